/*
 * util.c — names of the vocabulary (modes, layers, statuses, objectives) and strict
 * number parsing.
 *
 * Input numbers are parsed strictly: the whole field must be a finite number. atof()
 * would turn "12km" into 12 and "abc" into 0 without a word; here both are errors the
 * loaders can report with their place.
 */
#include "corridor.h"
#include "load.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const mode_names[COR_MODE_COUNT] = {"rail", "road", "ferry",
                                                       "sea", "pipeline", "fiber"};
static const char *const layer_names[COR_LAYER_COUNT] = {"transport", "gas", "oil", "data"};
static const char *const status_names[COR_STATUS_COUNT] = {"open", "planned", "closed",
                                                           "mined"};
static const char *const objective_names[] = {"cost", "time", "co2", "generalised", "distance"};

static bool parse_name(const char *s, const char *const *names, int n, int *out)
{
    if (!s) return false;
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return true;
        }
    return false;
}

const char *cor_mode_name(cor_mode m)
{
    return (unsigned)m < COR_MODE_COUNT ? mode_names[m] : NULL;
}

const char *cor_layer_name(cor_layer l)
{
    return (unsigned)l < COR_LAYER_COUNT ? layer_names[l] : NULL;
}

const char *cor_link_status_name(cor_link_status s)
{
    return (unsigned)s < COR_STATUS_COUNT ? status_names[s] : NULL;
}

const char *cor_objective_name(cor_objective o)
{
    return (unsigned)o <= COR_OPT_DISTANCE ? objective_names[o] : NULL;
}

bool cor_mode_parse(const char *s, cor_mode *out)
{
    int i;
    if (!parse_name(s, mode_names, COR_MODE_COUNT, &i)) return false;
    *out = (cor_mode)i;
    return true;
}

bool cor_layer_parse(const char *s, cor_layer *out)
{
    int i;
    if (!parse_name(s, layer_names, COR_LAYER_COUNT, &i)) return false;
    *out = (cor_layer)i;
    return true;
}

bool cor_link_status_parse(const char *s, cor_link_status *out)
{
    int i;
    if (!parse_name(s, status_names, COR_STATUS_COUNT, &i)) return false;
    *out = (cor_link_status)i;
    return true;
}

bool cor_objective_parse(const char *s, cor_objective *out)
{
    int i;
    if (s && strcmp(s, "generalized") == 0) s = "generalised";
    if (!parse_name(s, objective_names, COR_OPT_DISTANCE + 1, &i)) return false;
    *out = (cor_objective)i;
    return true;
}

/* Only what a decimal number may contain: strtod also accepts "nan", "inf" and hex. */
static bool looks_decimal(const char *s)
{
    for (const char *p = s; *p; p++)
        if (!strchr("0123456789+-.eE", *p)) return false;
    return true;
}

bool cor_parse_double(const char *s, double *out)
{
    if (!s || !*s || !looks_decimal(s)) return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v)) return false;
    *out = v;
    return true;
}

bool cor_parse_long(const char *s, long *out)
{
    if (!s || !*s) return false;
    for (const char *p = (*s == '-' || *s == '+') ? s + 1 : s; *p; p++)
        if (*p < '0' || *p > '9') return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE) return false;
    *out = v;
    return true;
}

void cor_node_init(cor_node *n)
{
    memset(n, 0, sizeof *n);
    n->lon = n->lat = NAN;
    n->capacity = NAN;
    n->transfer_hours = n->transfer_usd = n->transfer_co2_kg = NAN;
    n->transship_hours = n->transship_usd = NAN;
}

void cor_link_init(cor_link *l)
{
    memset(l, 0, sizeof *l);
    l->from = l->to = COR_NONE;
    l->layer = COR_LAYER_TRANSPORT;
    l->mode = COR_MODE_ROAD;
    l->status = COR_STATUS_OPEN;
    l->forward = l->backward = true;
    l->length_km = l->speed_kmh = l->duration_hours = NAN;
    l->cost = l->reverse_cost = l->co2_kg = NAN;
    l->capacity = l->reverse_capacity = NAN;
    l->frequency_per_week = l->border_dwell_hours = l->clearance_days = NAN;
}

void cor_profile_init(cor_profile *p)
{
    memset(p, 0, sizeof *p);
    p->objective = COR_OPT_COST;
}

bool cor_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return true;
    size_t n = *cap ? *cap : 64;
    while (n < need) {
        if (n > SIZE_MAX / 2) return false;
        n *= 2;
    }
    if (elem && n > SIZE_MAX / elem) return false;
    void *p = realloc(*arr, n * elem);
    if (!p) return false;
    *arr = p;
    *cap = n;
    return true;
}
