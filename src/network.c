/*
 * network.c — the network model: building, validating and looking up nodes and links.
 *
 * Every loader feeds a cor_builder, element by element, telling it where each element
 * came from (line or feature). cor_builder_finish then checks the whole network at once
 * — dangling link ends, duplicate ids, numbers out of range, attributes that contradict
 * each other — and reports every problem at the place the element was read, so the same
 * checks and the same messages serve every file format. Only a network with no problem
 * is handed out; otherwise everything is freed (nothing half-loaded).
 *
 * Ids are strings for people and dense 32-bit indices for algorithms; two open-addressing
 * hash tables map one to the other.
 */
#include "network_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* ---------------------------------------------------------------- string pool */

const char *cor_pool_strdup(cor_pool *pool, const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    cor_pool_chunk *c = pool->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > 65536 ? n : 65536;
        c = malloc(sizeof *c + size);
        if (!c) return NULL;
        c->next = pool->head;
        c->used = 0;
        c->size = size;
        pool->head = c;
    }
    char *p = c->data + c->used;
    memcpy(p, s, n);
    c->used += n;
    return p;
}

void cor_pool_free(cor_pool *pool)
{
    cor_pool_chunk *c = pool->head;
    while (c) {
        cor_pool_chunk *next = c->next;
        free(c);
        c = next;
    }
    pool->head = NULL;
}

/* ---------------------------------------------------------------- hash index */

static uint64_t hash_string(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h ^ (h >> 29);
}

/* A slot holds the entry's index (low 32 bits) and the top of its hash (high 32 bits),
 * so probing compares strings only when the hashes agree: far fewer cache misses. */
#define SLOT_EMPTY UINT64_MAX

static bool index_init(cor_index *ix, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n) cap <<= 1;
    ix->slots = malloc(cap * sizeof *ix->slots);
    if (!ix->slots) return false;
    memset(ix->slots, 0xff, cap * sizeof *ix->slots);
    ix->mask = cap - 1;
    return true;
}

/* The slot holding `key`, or the empty slot where it would go. */
static size_t index_probe(const cor_index *ix, const char *key, uint64_t h,
                          const char *(*key_of)(const void *, uint32_t), const void *ctx)
{
    uint64_t tag = h >> 32 << 32;
    size_t i = h & ix->mask;
    for (; ix->slots[i] != SLOT_EMPTY; i = (i + 1) & ix->mask) {
        uint64_t slot = ix->slots[i];
        if ((slot & ~0xffffffffULL) == tag && strcmp(key_of(ctx, (uint32_t)slot), key) == 0)
            break;
    }
    return i;
}

/* Returns the index already holding `key`, or inserts `value` and returns COR_NONE. */
static uint32_t index_insert(cor_index *ix, const char *key, uint32_t value,
                             const char *(*key_of)(const void *, uint32_t), const void *ctx)
{
    uint64_t h = hash_string(key);
    size_t i = index_probe(ix, key, h, key_of, ctx);
    if (ix->slots[i] != SLOT_EMPTY) return (uint32_t)ix->slots[i];
    ix->slots[i] = (h >> 32 << 32) | value;
    return COR_NONE;
}

/* The entry holding `key`, or COR_NONE. Safe on a table mapped from a file: entries past
 * the n there are never followed, and a probe ends after one turn round the table even
 * when no slot is empty. */
static uint32_t index_find(const cor_index *ix, const char *key, size_t n,
                           const char *(*key_of)(const void *, uint32_t), const void *ctx)
{
    if (!ix->slots || !key) return COR_NONE;
    uint64_t h = hash_string(key), tag = h >> 32 << 32;
    size_t i = h & ix->mask;
    for (size_t k = 0; k <= ix->mask && ix->slots[i] != SLOT_EMPTY; k++, i = (i + 1) & ix->mask) {
        uint64_t slot = ix->slots[i];
        uint32_t v = (uint32_t)slot;
        if ((slot & ~0xffffffffULL) == tag && v < n && strcmp(key_of(ctx, v), key) == 0)
            return v;
    }
    return COR_NONE;
}

static const char *node_key(const void *ctx, uint32_t i)
{
    return cor_net_node_id((const cor_network *)ctx, i);
}

static const char *link_key(const void *ctx, uint32_t i)
{
    return cor_net_link_id((const cor_network *)ctx, i);
}

/* ---------------------------------------------------------------- builder */

typedef struct place {
    long line, feature;
} place;

typedef struct cor_pending_demand {
    const char *from, *to; /* in the pool */
    double quantity;
} cor_pending_demand;

struct cor_builder {
    cor_network *net;
    place *node_place, *link_place;
    size_t node_cap, link_cap, coord_cap;
    cor_pending_corridor *corridors;
    size_t n_corridors, corridor_cap;
    cor_pending_demand *demand; /* ids resolved by cor_builder_finish */
    size_t n_demand, demand_cap;
    bool implicit_nodes;
    bool out_of_memory;
};

/* Big arrays (a road graph's links: 100+ MB) are asked to use transparent huge pages:
 * first-touch page faults were most of the load time of DIMACS New York. Only advice;
 * nothing changes where the kernel does not offer them. */
static void advise_huge_pages(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    if (bytes < ((size_t)32 << 20)) return;
    uintptr_t start = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
    uintptr_t end = ((uintptr_t)p + bytes) & ~(uintptr_t)4095;
    if (end > start) (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)p, (void)bytes;
#endif
}

static bool grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return true;
    size_t cap2 = *cap ? *cap : 64;
    while (cap2 < need) cap2 *= 2;
    void *p = realloc(*arr, cap2 * elem);
    if (!p) return false;
    advise_huge_pages(p, cap2 * elem);
    *arr = p;
    *cap = cap2;
    return true;
}

cor_builder *cor_builder_new(const char *file)
{
    cor_builder *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->net = calloc(1, sizeof *b->net);
    if (!b->net) {
        free(b);
        return NULL;
    }
    b->net->file = strdup(file ? file : "");
    if (!b->net->file) {
        free(b->net);
        free(b);
        return NULL;
    }
    return b;
}

cor_status cor_builder_reserve(cor_builder *b, size_t nodes, size_t links)
{
    cor_network *net = b->net;
    size_t cap = b->node_cap;
    bool ok = grow((void **)&net->node_array, &b->node_cap, nodes, sizeof *net->node_array) &&
              grow((void **)&b->node_place, &cap, nodes, sizeof *b->node_place);
    cap = b->link_cap;
    ok = ok && grow((void **)&net->link_array, &b->link_cap, links, sizeof *net->link_array) &&
         grow((void **)&b->link_place, &cap, links, sizeof *b->link_place);
    if (!ok) b->out_of_memory = true;
    return ok ? COR_OK : COR_ERR_NOMEM;
}

void cor_builder_set_implicit_nodes(cor_builder *b, bool on)
{
    b->implicit_nodes = on;
}

void cor_builder_set_format(cor_builder *b, cor_format format)
{
    b->net->format = format;
}

/* Copies a string into the pool; remembers running out of memory. */
static const char *keep(cor_builder *b, const char *s)
{
    if (!s) return NULL;
    const char *p = cor_pool_strdup(&b->net->pool, s);
    if (!p) b->out_of_memory = true;
    return p;
}

cor_status cor_builder_add_node(cor_builder *b, const cor_node *n, long line, long feature)
{
    cor_network *net = b->net;
    size_t cap = b->node_cap;
    if (!grow((void **)&net->node_array, &b->node_cap, net->n_nodes + 1, sizeof *net->node_array) ||
        !grow((void **)&b->node_place, &cap, net->n_nodes + 1, sizeof *b->node_place)) {
        b->out_of_memory = true;
        return COR_ERR_NOMEM;
    }
    cor_node *m = &net->node_array[net->n_nodes];
    *m = *n;
    m->id = keep(b, n->id ? n->id : "");
    m->name = keep(b, n->name);
    m->country = keep(b, n->country);
    m->kind = keep(b, n->kind);
    m->source = keep(b, n->source);
    b->node_place[net->n_nodes] = (place){line, feature};
    net->n_nodes++;
    return b->out_of_memory ? COR_ERR_NOMEM : COR_OK;
}

cor_status cor_builder_add_link(cor_builder *b, const cor_link *l, const double *coords,
                                size_t n_coords, long line, long feature)
{
    cor_network *net = b->net;
    size_t cap = b->link_cap;
    if (!grow((void **)&net->link_array, &b->link_cap, net->n_links + 1, sizeof *net->link_array) ||
        !grow((void **)&b->link_place, &cap, net->n_links + 1, sizeof *b->link_place) ||
        !grow((void **)&net->coords, &b->coord_cap, 2 * (net->n_coords + n_coords),
              sizeof *net->coords)) {
        b->out_of_memory = true;
        return COR_ERR_NOMEM;
    }
    cor_link *m = &net->link_array[net->n_links];
    *m = *l;
    m->id = keep(b, l->id ? l->id : "");
    /* Ends given as node indices (from_id NULL) skip the copy and the lookup: DIMACS
     * graphs have millions of them. */
    m->from_id = l->from_id ? keep(b, l->from_id) : NULL;
    m->to_id = l->to_id ? keep(b, l->to_id) : NULL;
    m->source = keep(b, l->source);
    if (l->from_id) m->from = COR_NONE;
    if (l->to_id) m->to = COR_NONE;
    m->geom_first = (uint32_t)net->n_coords;
    m->geom_count = coords ? (uint32_t)n_coords : 0;
    if (coords && n_coords) {
        memcpy(net->coords + 2 * net->n_coords, coords, 2 * n_coords * sizeof *coords);
        net->n_coords += n_coords;
    }
    b->link_place[net->n_links] = (place){line, feature};
    net->n_links++;
    return b->out_of_memory ? COR_ERR_NOMEM : COR_OK;
}

cor_status cor_builder_add_corridor(cor_builder *b, const cor_corridor_spec *c, long line,
                                    long feature)
{
    if (!grow((void **)&b->corridors, &b->corridor_cap, b->n_corridors + 1,
              sizeof *b->corridors) ||
        cor_corridor_copy(&b->net->pool, c, &b->corridors[b->n_corridors]) != COR_OK) {
        b->out_of_memory = true;
        return COR_ERR_NOMEM;
    }
    b->corridors[b->n_corridors].line = line;
    b->corridors[b->n_corridors].feature = feature;
    b->n_corridors++;
    return COR_OK;
}

void cor_builder_set_about(cor_builder *b, const char *name, const char *unit)
{
    b->net->name = keep(b, name);
    b->net->unit = keep(b, unit);
}

cor_status cor_builder_add_demand(cor_builder *b, const char *from_id, const char *to_id,
                                  double quantity)
{
    if (!grow((void **)&b->demand, &b->demand_cap, b->n_demand + 1, sizeof *b->demand)) {
        b->out_of_memory = true;
        return COR_ERR_NOMEM;
    }
    b->demand[b->n_demand++] = (cor_pending_demand){keep(b, from_id), keep(b, to_id), quantity};
    return b->out_of_memory ? COR_ERR_NOMEM : COR_OK;
}

void cor_builder_free(cor_builder *b)
{
    if (!b) return;
    free(b->demand);
    for (size_t i = 0; i < b->n_corridors; i++) {
        cor_corridor_clear(&b->corridors[i].c);
        free(b->corridors[i].through_ids);
    }
    free(b->corridors);
    cor_network_free(b->net);
    free(b->node_place);
    free(b->link_place);
    free(b);
}

/* ---------------------------------------------------------------- validation */

typedef struct checker {
    cor_builder *b;
    cor_error *err;
    size_t before;
} checker;

static void problem(checker *c, place at, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(checker *c, place at, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cor_error_addv(c->err, COR_ERR_INPUT, c->b->net->file, at.line, at.feature, field, fmt,
                   ap);
    va_end(ap);
}

/* A number that must be unknown (NaN) or >= 0 (or > 0 when `positive`). */
static void check_amount(checker *c, place at, const char *field, double v, bool positive)
{
    if (isnan(v)) return;
    if (isinf(v)) problem(c, at, field, "must be finite, got %g", v);
    else if (positive && v <= 0) problem(c, at, field, "must be greater than 0, got %g", v);
    else if (v < 0) problem(c, at, field, "must not be negative, got %g", v);
}

static bool valid_country(const char *s)
{
    return s && strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

static void check_position(checker *c, place at, double lon, double lat)
{
    if (isnan(lon) != isnan(lat))
        problem(c, at, isnan(lon) ? "lon" : "lat", "is missing while the other coordinate is given");
    if (!isnan(lon) && !(lon >= -180 && lon <= 180))
        problem(c, at, "lon", "longitude %g is out of range [-180, 180]", lon);
    if (!isnan(lat) && !(lat >= -90 && lat <= 90))
        problem(c, at, "lat", "latitude %g is out of range [-90, 90]", lat);
}

static void check_node(checker *c, uint32_t i)
{
    const cor_node *n = &c->b->net->node_array[i];
    place at = c->b->node_place[i];
    if (!n->id[0]) problem(c, at, "id", "node id is empty");
    check_position(c, at, n->lon, n->lat);
    if (n->country && !valid_country(n->country))
        problem(c, at, "country", "'%s' is not an ISO 3166-1 alpha-2 code (two capital letters)",
                n->country);
    check_amount(c, at, "capacity", n->capacity, false);
    check_amount(c, at, "transfer_hours", n->transfer_hours, false);
    check_amount(c, at, "transfer_usd", n->transfer_usd, false);
    check_amount(c, at, "transfer_co2_kg", n->transfer_co2_kg, false);
    check_amount(c, at, "transship_hours", n->transship_hours, false);
    check_amount(c, at, "transship_usd", n->transship_usd, false);
}

static bool mode_fits_layer(cor_mode m, cor_layer l)
{
    switch (l) {
    case COR_LAYER_TRANSPORT:
        return m == COR_MODE_RAIL || m == COR_MODE_ROAD || m == COR_MODE_FERRY ||
               m == COR_MODE_SEA;
    case COR_LAYER_GAS:
    case COR_LAYER_OIL: return m == COR_MODE_PIPELINE;
    case COR_LAYER_DATA: return m == COR_MODE_FIBER;
    default: return false;
    }
}

static bool known_gauge(int mm)
{
    static const int gauges[] = {600, 750, 760, 1000, 1067, 1435, 1520, 1524, 1600, 1668};
    for (size_t i = 0; i < sizeof gauges / sizeof *gauges; i++)
        if (gauges[i] == mm) return true;
    return false;
}

static void check_link_numbers(checker *c, const cor_link *l, place at)
{
    check_amount(c, at, "length_km", l->length_km, false);
    check_amount(c, at, "speed_kmh", l->speed_kmh, true);
    check_amount(c, at, "duration_hours", l->duration_hours, false);
    check_amount(c, at, "cost", l->cost, false);
    check_amount(c, at, "reverse_cost", l->reverse_cost, false);
    check_amount(c, at, "co2_kg", l->co2_kg, false);
    check_amount(c, at, "capacity", l->capacity, false);
    check_amount(c, at, "reverse_capacity", l->reverse_capacity, false);
    check_amount(c, at, "frequency_per_week", l->frequency_per_week, true);
    check_amount(c, at, "border_dwell_hours", l->border_dwell_hours, false);
    check_amount(c, at, "clearance_days", l->clearance_days, false);
}

static void check_link_consistency(checker *c, const cor_link *l, place at)
{
    if ((unsigned)l->mode >= COR_MODE_COUNT) problem(c, at, "mode", "unknown mode");
    else if ((unsigned)l->layer >= COR_LAYER_COUNT) problem(c, at, "layer", "unknown layer");
    else if (!mode_fits_layer(l->mode, l->layer))
        problem(c, at, "mode", "mode '%s' does not belong on the '%s' layer",
                cor_mode_name(l->mode), cor_layer_name(l->layer));
    if ((unsigned)l->status >= COR_STATUS_COUNT) problem(c, at, "status", "unknown status");
    if (l->gauge_mm != 0 && l->mode != COR_MODE_RAIL)
        problem(c, at, "gauge_mm", "a gauge is given for a %s link (only rail has one)",
                cor_mode_name(l->mode));
    else if (l->gauge_mm != 0 && !known_gauge(l->gauge_mm))
        problem(c, at, "gauge_mm", "%d mm is not a known track gauge", l->gauge_mm);
    if (l->length_km > 0 && l->speed_kmh > 0 && l->duration_hours > 0) {
        double implied = l->length_km / l->speed_kmh;
        if (fabs(implied - l->duration_hours) > 0.01 * l->duration_hours)
            problem(c, at, "duration_hours",
                    "%g h contradicts length_km / speed_kmh = %g h; give one of the two",
                    l->duration_hours, implied);
    }
    if (l->status == COR_STATUS_MINED && isnan(l->clearance_days))
        problem(c, at, "clearance_days", "a mined link needs its clearance effort");
}

static void check_geometry(checker *c, const cor_link *l, place at)
{
    if (l->geom_count == 1) problem(c, at, "geometry", "a line needs at least two points");
    if (l->geom_count == 0) return; /* coords may be NULL: no offset from it, even by 0 */
    const double *xy = c->b->net->coords + 2 * (size_t)l->geom_first;
    for (uint32_t k = 0; k < l->geom_count; k++) {
        double lon = xy[2 * k], lat = xy[2 * k + 1];
        if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
            problem(c, at, "geometry", "point %u (%g, %g) is out of range", k, lon, lat);
            return;
        }
    }
}

/* Adds a node named by a link end, with the link's end point as its position. */
static uint32_t add_implicit_node(cor_builder *b, const char *id, const cor_link *l, bool at_to,
                                  place at)
{
    cor_node n;
    cor_node_init(&n);
    n.id = id;
    if (l->geom_count >= 2) {
        const double *xy = b->net->coords + 2 * ((size_t)l->geom_first +
                                                 (at_to ? l->geom_count - 1 : 0));
        n.lon = xy[0];
        n.lat = xy[1];
    }
    if (cor_builder_add_node(b, &n, at.line, at.feature) != COR_OK) return COR_NONE;
    uint32_t i = (uint32_t)(b->net->n_nodes - 1);
    uint32_t old = index_insert(&b->net->node_index, b->net->node_array[i].id, i, node_key, b->net);
    (void)old;
    return i;
}

static bool index_rebuild(cor_index *ix, size_t n)
{
    free(ix->slots);
    return index_init(ix, n);
}

static void resolve_link_end(checker *c, uint32_t li, bool at_to)
{
    cor_builder *b = c->b;
    cor_network *net = b->net;
    cor_link *l = &net->link_array[li];
    const char *id = at_to ? l->to_id : l->from_id;
    if (!id) { /* given as an index */
        uint32_t n = at_to ? l->to : l->from;
        if (n == COR_NONE)
            problem(c, b->link_place[li], at_to ? "to" : "from", "link '%s' has no %s node",
                    l->id, at_to ? "to" : "from");
        else if (n >= net->n_nodes) {
            problem(c, b->link_place[li], at_to ? "to" : "from",
                    "link '%s' refers to node index %u, which does not exist", l->id, n);
            n = COR_NONE;
        }
        if (at_to) l->to = n, l->to_id = n == COR_NONE ? "" : net->node_array[n].id;
        else l->from = n, l->from_id = n == COR_NONE ? "" : net->node_array[n].id;
        return;
    }
    uint32_t n = index_find(&net->node_index, id, net->n_nodes, node_key, net);
    if (n == COR_NONE && b->implicit_nodes) {
        /* The index must keep room for the new node: grow it when it gets half full. */
        if (2 * (net->n_nodes + 1) > net->node_index.mask + 1) {
            if (!index_rebuild(&net->node_index, 2 * (net->n_nodes + 1))) {
                b->out_of_memory = true;
                return;
            }
            for (uint32_t k = 0; k < net->n_nodes; k++)
                index_insert(&net->node_index, net->node_array[k].id, k, node_key, net);
        }
        n = add_implicit_node(b, id, l, at_to, b->link_place[li]);
        l = &net->link_array[li]; /* nodes array may not alias links, but stay explicit */
    }
    if (n == COR_NONE && !b->out_of_memory)
        problem(c, b->link_place[li], at_to ? "to" : "from",
                "link '%s' refers to node '%s', which does not exist", l->id, id);
    if (at_to) l->to = n;
    else l->from = n;
}

static void index_nodes(checker *c)
{
    cor_network *net = c->b->net;
    if (!index_init(&net->node_index, net->n_nodes + 1)) {
        c->b->out_of_memory = true;
        return;
    }
    for (uint32_t i = 0; i < net->n_nodes; i++) {
        uint32_t old = index_insert(&net->node_index, net->node_array[i].id, i, node_key, net);
        if (old != COR_NONE)
            problem(c, c->b->node_place[i], "id",
                    "duplicate node id '%s' (first defined at %s %ld)", net->node_array[i].id,
                    c->b->node_place[old].line >= 0 ? "line" : "feature",
                    c->b->node_place[old].line >= 0 ? c->b->node_place[old].line
                                                    : c->b->node_place[old].feature);
        check_node(c, i);
    }
}

static void index_links(checker *c)
{
    cor_network *net = c->b->net;
    if (!index_init(&net->link_index, net->n_links + 1)) {
        c->b->out_of_memory = true;
        return;
    }
    for (uint32_t i = 0; i < net->n_links && !c->b->out_of_memory; i++) {
        const cor_link *l = &net->link_array[i];
        place at = c->b->link_place[i];
        if (!l->id[0]) problem(c, at, "id", "link id is empty");
        uint32_t old = index_insert(&net->link_index, l->id, i, link_key, net);
        if (old != COR_NONE)
            problem(c, at, "id", "duplicate link id '%s' (first defined at %s %ld)", l->id,
                    c->b->link_place[old].line >= 0 ? "line" : "feature",
                    c->b->link_place[old].line >= 0 ? c->b->link_place[old].line
                                                    : c->b->link_place[old].feature);
        check_link_numbers(c, l, at);
        check_link_consistency(c, l, at);
        check_geometry(c, l, at);
        resolve_link_end(c, i, false);
        resolve_link_end(c, i, true);
    }
}

/* Resolves the corridors' nodes and hands them to the network. */
static void resolve_corridors(checker *c)
{
    cor_builder *b = c->b;
    cor_network *net = b->net;
    if (!b->n_corridors) return;
    net->corridors = calloc(b->n_corridors, sizeof *net->corridors);
    if (!net->corridors) {
        b->out_of_memory = true;
        return;
    }
    for (size_t i = 0; i < b->n_corridors; i++) {
        cor_pending_corridor *p = &b->corridors[i];
        cor_corridor_resolve(net, p, c->err);
        for (size_t k = 0; k < i; k++)
            if (strcmp(net->corridors[k].id, p->c.id) == 0)
                problem(c, (place){p->line, p->feature}, "corridors.id",
                        "duplicate corridor id '%s'", p->c.id);
        net->corridors[i] = p->c;
        memset(&p->c, 0, sizeof p->c);
        net->n_corridors++;
    }
}

/* Resolves the reference demand's node ids (field 'demand[i].from' at fault) and checks
 * each quantity. */
static void resolve_demand(checker *c)
{
    cor_builder *b = c->b;
    cor_network *net = b->net;
    if (!b->n_demand) return;
    if (!(net->demand = calloc(b->n_demand, sizeof *net->demand))) {
        b->out_of_memory = true;
        return;
    }
    for (size_t i = 0; i < b->n_demand; i++) {
        const cor_pending_demand *d = &b->demand[i];
        cor_demand *out = &net->demand[net->n_demand++];
        char field[48];
        for (int end = 0; end < 2; end++) {
            const char *id = end ? d->to : d->from;
            uint32_t *at = end ? &out->to : &out->from;
            snprintf(field, sizeof field, "demand[%zu].%s", i, end ? "to" : "from");
            if ((*at = cor_network_find_node(net, id)) == COR_NONE)
                problem(c, (place){-1, -1}, field, "no node has the id '%s'", id ? id : "");
        }
        snprintf(field, sizeof field, "demand[%zu].quantity", i);
        if (!(d->quantity > 0) || !isfinite(d->quantity))
            problem(c, (place){-1, -1}, field, "must be a number greater than 0");
        else if (out->from == out->to && out->from != COR_NONE)
            problem(c, (place){-1, -1}, field, "a pair from a node to itself carries nothing");
        out->quantity = d->quantity;
    }
}

cor_status cor_builder_finish(cor_builder *b, cor_network **out, cor_error *err)
{
    *out = NULL;
    checker c = {b, err, err ? err->count + err->dropped : 0};
    cor_error local;
    if (!err) {
        cor_error_init(&local);
        c.err = &local;
    }
    /* Indices are 32-bit, and a graph arc is link << 1. */
    bool too_big = b->net->n_nodes >= COR_NONE || b->net->n_links >= (UINT32_MAX >> 1) ||
                   b->net->n_coords >= UINT32_MAX;
    if (too_big)
        problem(&c, (place){-1, -1}, NULL,
                "%zu nodes, %zu links, %zu points: past the 32-bit indices corridor uses "
                "(at most %u nodes, %u links, %u points)", b->net->n_nodes, b->net->n_links,
                b->net->n_coords, COR_NONE - 1, (UINT32_MAX >> 1) - 1, UINT32_MAX - 1);
    if (!too_big && !b->out_of_memory) index_nodes(&c);
    if (!too_big && !b->out_of_memory) index_links(&c);
    if (!too_big && !b->out_of_memory) resolve_corridors(&c);
    if (!too_big && !b->out_of_memory) resolve_demand(&c);
    cor_status status = COR_OK;
    if (b->out_of_memory)
        status = cor_error_add(c.err, COR_ERR_NOMEM, b->net->file, -1, -1, NULL,
                               "out of memory while building the network");
    else if (c.err->count + c.err->dropped > c.before)
        status = COR_ERR_INPUT;
    if (status == COR_OK) {
        *out = b->net;
        b->net = NULL;
    }
    if (!err) cor_error_clear(&local);
    cor_builder_free(b);
    return status;
}

/* ---------------------------------------------------------------- network access */

void cor_network_free(cor_network *net)
{
    if (!net) return;
    if (net->map) {
        cor_network_free_mapped(net);
        return;
    }
    free(net->node_array);
    free(net->link_array);
    free(net->coords);
    free(net->node_index.slots);
    free(net->link_index.slots);
    free(net->file);
    for (size_t i = 0; i < net->n_corridors; i++) cor_corridor_clear(&net->corridors[i]);
    free(net->corridors);
    free(net->demand);
    cor_pool_free(&net->pool);
    free(net);
}

size_t cor_network_node_count(const cor_network *net)
{
    return net->n_nodes;
}

size_t cor_network_link_count(const cor_network *net)
{
    return net->n_links;
}

const cor_node *cor_network_node(const cor_network *net, uint32_t i)
{
    return i < net->n_nodes ? cor_net_node(net, i) : NULL;
}

const cor_link *cor_network_link(const cor_network *net, uint32_t i)
{
    return i < net->n_links ? cor_net_link(net, i) : NULL;
}

const char *cor_network_node_id(const cor_network *net, uint32_t i)
{
    return i < net->n_nodes ? cor_net_node_id(net, i) : NULL;
}

const char *cor_network_link_id(const cor_network *net, uint32_t i)
{
    return i < net->n_links ? cor_net_link_id(net, i) : NULL;
}

uint32_t cor_network_find_node(const cor_network *net, const char *id)
{
    return index_find(&net->node_index, id, net->n_nodes, node_key, net);
}

uint32_t cor_network_find_link(const cor_network *net, const char *id)
{
    return index_find(&net->link_index, id, net->n_links, link_key, net);
}

const double *cor_network_coords(const cor_network *net)
{
    return net->coords;
}

const char *cor_network_source_file(const cor_network *net)
{
    return net->file;
}

cor_format cor_network_format(const cor_network *net)
{
    return net->format;
}

const char *cor_network_name(const cor_network *net)
{
    return net->name;
}

const char *cor_network_unit(const cor_network *net)
{
    return net->unit;
}

const cor_demand *cor_network_demand(const cor_network *net, size_t *n)
{
    *n = net->n_demand;
    return net->demand;
}
