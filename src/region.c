/*
 * region.c — places named the way users name them: a node id, an ISO country code, or EU
 * (the 27 member states), several separated by commas.
 */
#include "network_internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const eu27[] = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI",
                                   "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
                                   "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"};

static bool is_country_code(const char *s, size_t len)
{
    return len == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

static size_t mark_country(const cor_network *net, const char *cc, uint8_t *mark)
{
    size_t hits = 0;
    for (uint32_t v = 0; v < net->n_nodes; v++) {
        const char *c = cor_net_node(net, v)->country;
        if (c && strcmp(c, cc) == 0) mark[v] = 1, hits++;
    }
    return hits;
}

cor_status cor_region_resolve(const cor_network *net, const char *spec, const char *field,
                              uint32_t **nodes, size_t *n, cor_error *err)
{
    *nodes = NULL;
    *n = 0;
    uint8_t *mark = calloc(net->n_nodes + 1, 1);
    char *copy = strdup(spec ? spec : "");
    if (!mark || !copy) {
        free(mark);
        free(copy);
        return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, field, "out of memory");
    }
    size_t tokens = 0;
    cor_status st = COR_OK;
    char *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        tokens++;
        uint32_t v = cor_network_find_node(net, t);
        size_t hits = 0;
        if (v != COR_NONE) mark[v] = 1, hits = 1;
        else if (strcmp(t, "EU") == 0)
            for (size_t k = 0; k < sizeof eu27 / sizeof *eu27; k++) hits += mark_country(net, eu27[k], mark);
        else if (is_country_code(t, strlen(t)))
            hits = mark_country(net, t, mark);
        if (!hits)
            st = cor_error_add(err, COR_ERR_NOT_FOUND, NULL, -1, -1, field,
                          "'%s' is neither a node id nor a country with nodes (nor EU)", t);
    }
    if (!tokens) st = cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, field, "no place given");
    uint32_t *out = st == COR_OK ? malloc((net->n_nodes + 1) * sizeof *out) : NULL;
    if (st == COR_OK && !out) st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, field, "out of memory");
    for (uint32_t v = 0; out && v < net->n_nodes; v++)
        if (mark[v]) out[(*n)++] = v;
    free(mark);
    free(copy);
    *nodes = out;
    return st;
}
