/*
 * scenario.c — scenarios as overlays: a network stays as loaded, and a scenario says
 * which links, nodes and countries are opened or closed on top of it.
 *
 * An overlay rather than a modified copy: the network is shared read-only by every query
 * and thread, and a scenario costs one byte per link and node. The graph compiler reads
 * the overlay (cor_profile.scenario) when it decides which links are usable.
 */
#include "network_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNCHANGED 0xff

struct cor_scenario {
    char *name;
    uint8_t *link_status; /* n_links: new status or UNCHANGED */
    uint8_t *node_closed; /* n_nodes: 1 when closed */
    size_t n_links, n_nodes;
};

typedef struct parse_ctx {
    const cor_network *net;
    cor_scenario *s;
    cor_error *err;
    const char *origin;
    size_t before;
} parse_ctx;

static void fault(parse_ctx *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fault(parse_ctx *c, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cor_error_addv(c->err, COR_ERR_INPUT, c->origin, -1, -1, path, fmt, ap);
    va_end(ap);
}

/* Calls fn for every string of the array at `key`, with its JSON path. */
static void each_id(parse_ctx *c, json_t *change, size_t ci, const char *key,
                    void (*fn)(parse_ctx *, const char *, const char *, cor_link_status),
                    cor_link_status status)
{
    json_t *arr = json_object_get(change, key);
    char path[96];
    if (!arr) return;
    snprintf(path, sizeof path, "changes[%zu].%s", ci, key);
    if (!json_is_array(arr)) {
        fault(c, path, "must be an array of ids");
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        snprintf(path, sizeof path, "changes[%zu].%s[%zu]", ci, key, i);
        if (!json_is_string(v)) fault(c, path, "must be a string");
        else fn(c, json_string_value(v), path, status);
    }
}

static void set_link(parse_ctx *c, const char *id, const char *path, cor_link_status st)
{
    uint32_t l = cor_network_find_link(c->net, id);
    if (l == COR_NONE) fault(c, path, "no link has the id '%s'", id);
    else c->s->link_status[l] = (uint8_t)st;
}

static void close_node(parse_ctx *c, const char *id, const char *path, cor_link_status st)
{
    (void)st;
    uint32_t n = cor_network_find_node(c->net, id);
    if (n == COR_NONE) fault(c, path, "no node has the id '%s'", id);
    else c->s->node_closed[n] = 1;
}

static void close_country(parse_ctx *c, const char *cc, const char *path, cor_link_status st)
{
    (void)st;
    size_t hits = 0;
    for (uint32_t n = 0; n < c->net->n_nodes; n++)
        if (c->net->nodes[n].country && strcmp(c->net->nodes[n].country, cc) == 0) {
            c->s->node_closed[n] = 1;
            hits++;
        }
    if (!hits) fault(c, path, "no node is in the country '%s'", cc);
}

static void parse_change(parse_ctx *c, json_t *change, size_t ci)
{
    static const char *const keys[] = {"op", "links", "nodes", "countries", "note", NULL};
    char path[64];
    snprintf(path, sizeof path, "changes[%zu]", ci);
    if (!json_is_object(change)) {
        fault(c, path, "a change must be an object");
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach(change, key, v) {
        size_t k = 0;
        while (keys[k] && strcmp(keys[k], key) != 0) k++;
        if (!keys[k]) {
            snprintf(path, sizeof path, "changes[%zu].%s", ci, key);
            fault(c, path, "unknown member (expected op, links, nodes, countries, note)");
        }
    }
    const char *op = json_string_value(json_object_get(change, "op"));
    snprintf(path, sizeof path, "changes[%zu].op", ci);
    if (!op) fault(c, path, "missing: \"open\" or \"close\"");
    else if (strcmp(op, "open") == 0) {
        each_id(c, change, ci, "links", set_link, COR_STATUS_OPEN);
        if (json_object_get(change, "nodes") || json_object_get(change, "countries"))
            fault(c, path, "\"open\" applies to links only");
    } else if (strcmp(op, "close") == 0) {
        each_id(c, change, ci, "links", set_link, COR_STATUS_CLOSED);
        each_id(c, change, ci, "nodes", close_node, COR_STATUS_CLOSED);
        each_id(c, change, ci, "countries", close_country, COR_STATUS_CLOSED);
    } else
        fault(c, path, "unknown operation '%s' (expected \"open\" or \"close\")", op);
}

static void parse_root(parse_ctx *c, json_t *root)
{
    if (!json_is_object(root)) {
        fault(c, "", "a scenario must be a JSON object");
        return;
    }
    static const char *const keys[] = {"name", "description", "source", "changes", NULL};
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        size_t k = 0;
        while (keys[k] && strcmp(keys[k], key) != 0) k++;
        if (!keys[k]) fault(c, key, "unknown member (expected name, description, source, changes)");
    }
    const char *name = json_string_value(json_object_get(root, "name"));
    if (!name) fault(c, "name", "missing: a scenario needs a name");
    else c->s->name = strdup(name);
    json_t *changes = json_object_get(root, "changes");
    if (!json_is_array(changes)) {
        fault(c, "changes", "missing or not an array");
        return;
    }
    size_t i;
    json_array_foreach(changes, i, v) parse_change(c, v, i);
}

cor_status cor_scenario_parse(cor_scenario **out, const char *text, size_t len,
                              const char *origin, const cor_network *net, cor_error *err)
{
    *out = NULL;
    cor_error local;
    if (!err) {
        cor_error_init(&local);
        cor_status st = cor_scenario_parse(out, text, len, origin, net, &local);
        cor_error_clear(&local);
        return st;
    }
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return cor_error_add(err, COR_ERR_INPUT, origin, je.line, -1, NULL,
                             "invalid JSON at column %d: %s", je.column, je.text);
    cor_scenario *s = calloc(1, sizeof *s);
    parse_ctx c = {net, s, err, origin, err->count + err->dropped};
    if (!s || !(s->link_status = malloc(net->n_links + 1)) ||
        !(s->node_closed = calloc(net->n_nodes + 1, 1))) {
        json_decref(root);
        cor_scenario_free(s);
        return cor_error_add(err, COR_ERR_NOMEM, origin, -1, -1, NULL, "out of memory");
    }
    memset(s->link_status, UNCHANGED, net->n_links + 1);
    s->n_links = net->n_links;
    s->n_nodes = net->n_nodes;
    parse_root(&c, root);
    json_decref(root);
    if (err->count + err->dropped > c.before || !s->name) {
        cor_scenario_free(s);
        return COR_ERR_INPUT;
    }
    *out = s;
    return COR_OK;
}

cor_status cor_scenario_load(cor_scenario **out, const char *path, const cor_network *net,
                             cor_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return cor_error_add(err, COR_ERR_IO, path, -1, -1, NULL, "cannot open the scenario");
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 > cap) {
            char *t = realloc(text, cap = cap ? 2 * cap : 65536);
            if (!t) break;
            text = t;
        }
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
    }
    bool bad = ferror(f) || !text;
    fclose(f);
    cor_status st = bad ? cor_error_add(err, COR_ERR_IO, path, -1, -1, NULL, "cannot read the scenario")
                        : cor_scenario_parse(out, text, len, path, net, err);
    free(text);
    return st;
}

void cor_scenario_free(cor_scenario *s)
{
    if (!s) return;
    free(s->name);
    free(s->link_status);
    free(s->node_closed);
    free(s);
}

const char *cor_scenario_name(const cor_scenario *s)
{
    return s ? s->name : NULL;
}

cor_link_status cor_scenario_link_status(const cor_scenario *s, const cor_network *net,
                                         uint32_t link)
{
    if (s && link < s->n_links && s->link_status[link] != UNCHANGED)
        return (cor_link_status)s->link_status[link];
    return net->links[link].status;
}

bool cor_scenario_node_closed(const cor_scenario *s, uint32_t node)
{
    return s && node < s->n_nodes && s->node_closed[node];
}
