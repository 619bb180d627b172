/*
 * import_osm.c — an OpenStreetMap file as a corridor network (cor_import_osm).
 *
 * The idea: OSM's own topology. Ways that pass the tag filter (roads by highway class,
 * railways, ferries; docs/FORMAT.md "Importing OpenStreetMap" lists every rule) are kept
 * with their node ids; the nodes' locations are read in a second pass; then each way is
 * cut into links at every node that another kept way also uses (an intersection), at its
 * ends, and where a node has no location in the file. Links carry the way's positions as
 * geometry and their great-circle length. The network's nodes are only the cut points.
 *
 *   pass 1 (osm_read_ways):  filter ways; remember each kept way's node ids (a hash from
 *                            OSM id to a dense slot) and its figures (speed, direction,
 *                            gauge, duration, a source text)
 *   pass 2 (osm_read_nodes): locations of those slots only; country areas assembled
 *   then:                    bbox, cut into links, components (largest kept), countries,
 *                            cor_builder.
 *
 * The trade-off: two (three with boundaries) reads of the file for memory that grows with
 * the kept ways — about 4 bytes per node reference and 40 per distinct node used — and
 * not with the file's millions of untagged nodes. The --bbox test needs locations, so it
 * is applied after pass 2: ways outside it still cost memory until then.
 */
#include "components_internal.h"
#include "countries.h"
#include "graph_internal.h"
#include "load.h"
#include "osm_reader.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- classes and defaults */

typedef struct way_class {
    const char *name;
    double kmh;     /* default speed when maxspeed says nothing usable */
    bool dflt;      /* among the default classes */
    bool oneway;    /* one-way unless tagged otherwise (motorways) */
} way_class;

static const way_class road_classes[] = {
    {"motorway", 110, true, true},      {"motorway_link", 60, true, true},
    {"trunk", 90, true, false},         {"trunk_link", 50, true, false},
    {"primary", 70, true, false},       {"primary_link", 45, true, false},
    {"secondary", 60, true, false},     {"secondary_link", 40, true, false},
    {"tertiary", 50, true, false},      {"tertiary_link", 35, true, false},
    {"unclassified", 40, true, false},  {"residential", 30, true, false},
    {"living_street", 10, false, false}, {"service", 20, false, false},
    {"track", 15, false, false},        {"road", 40, false, false},
    {"path", 5, false, false}};
static const way_class rail_classes[] = {
    {"rail", 80, true, false}, {"narrow_gauge", 40, false, false}, {"light_rail", 50, false, false}};
#define N_ROAD (sizeof road_classes / sizeof *road_classes)
#define N_RAIL (sizeof rail_classes / sizeof *rail_classes)
#define FERRY_KMH 20.0
#define MAX_SLOTS (UINT32_MAX / 4)

void cor_osm_options_init(cor_osm_options *o)
{
    memset(o, 0, sizeof *o);
    o->modes = 1u << COR_MODE_ROAD;
}

/* ---------------------------------------------------------------- the import's state */

typedef struct kept_way {
    int64_t id;
    uint32_t ref_first, ref_count; /* into refs: node slots */
    size_t source;                 /* offset of its source text in text */
    double kmh, hours;             /* speed; ferry duration (NaN when none) */
    int gauge;
    cor_mode mode;
    int dir;                       /* 1 forward only, -1 backward only, 0 both */
    bool dropped;                  /* outside the bbox */
} kept_way;

typedef struct part {
    uint32_t way, from, to;        /* node slots */
    size_t geom_first, geom_count; /* points in xy */
    double km, hours; /* hours: a ferry's share of its way's duration (NaN: none) */
    unsigned no;
} part;

typedef struct importer {
    const char *path, *file_name;
    const cor_osm_options *opt;
    bool road_on[N_ROAD], rail_on[N_RAIL];
    cor_error *err;
    bool nomem;
    /* node slots */
    int64_t *node_id;
    double *lon, *lat;
    uint32_t *uses, *net_index;
    size_t n_slots, cap_slots;
    uint32_t *table; /* slot + 1, 0 = empty */
    size_t table_mask;
    /* ways */
    kept_way *ways;
    size_t n_ways, cap_ways;
    uint32_t *refs;
    size_t n_refs, cap_refs;
    char *text;
    size_t n_text, cap_text;
    /* links */
    part *parts;
    size_t n_parts, cap_parts;
    double *xy;
    size_t n_xy, cap_xy;
    unsigned char *keep;
    country_set *osm_countries, *file_countries;
    cor_osm_stats st;
} importer;

/* Reports running out of memory once; returns false. */
static bool out_of_memory(importer *m)
{
    if (!m->nomem) cor_error_add(m->err, COR_ERR_NOMEM, m->path, -1, -1, NULL, "out of memory");
    m->nomem = true;
    return false;
}

static bool grow(importer *m, void **p, size_t *cap, size_t need, size_t elem)
{
    return cor_grow(p, cap, need, elem) || out_of_memory(m);
}

static uint64_t hash_id(int64_t id)
{
    uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 31);
}

static bool table_resize(importer *m, size_t size)
{
    uint32_t *t = calloc(size, sizeof *t);
    if (!t) return out_of_memory(m);
    for (size_t s = 0; s < m->n_slots; s++) {
        size_t i = hash_id(m->node_id[s]) & (size - 1);
        while (t[i]) i = (i + 1) & (size - 1);
        t[i] = (uint32_t)s + 1;
    }
    free(m->table);
    m->table = t;
    m->table_mask = size - 1;
    return true;
}

/* The slot of an OSM node id; with `add`, a new slot when absent. UINT32_MAX: none. */
static uint32_t node_slot(importer *m, int64_t id, bool add)
{
    if (!m->table) return UINT32_MAX;
    size_t i = hash_id(id) & m->table_mask;
    for (; m->table[i]; i = (i + 1) & m->table_mask)
        if (m->node_id[m->table[i] - 1] == id) return m->table[i] - 1;
    if (!add || m->n_slots >= MAX_SLOTS) return UINT32_MAX;
    size_t cap = m->cap_slots, need = m->n_slots + 1;
    if (!grow(m, (void **)&m->node_id, &cap, need, sizeof *m->node_id)) return UINT32_MAX;
    cap = m->cap_slots;
    if (!grow(m, (void **)&m->lon, &cap, need, sizeof *m->lon)) return UINT32_MAX;
    cap = m->cap_slots;
    if (!grow(m, (void **)&m->lat, &cap, need, sizeof *m->lat)) return UINT32_MAX;
    m->cap_slots = cap;
    uint32_t s = (uint32_t)m->n_slots++;
    m->node_id[s] = id;
    m->lon[s] = m->lat[s] = NAN;
    m->table[i] = s + 1;
    if (2 * m->n_slots > m->table_mask + 1 && !table_resize(m, 2 * (m->table_mask + 1)))
        return UINT32_MAX;
    return s;
}

static size_t add_text(importer *m, const char *s)
{
    size_t n = strlen(s) + 1, at = m->n_text;
    if (!grow(m, (void **)&m->text, &m->cap_text, m->n_text + n, 1)) return 0;
    memcpy(m->text + at, s, n);
    m->n_text += n;
    return at;
}

/* ---------------------------------------------------------------- tags */

/* The tags the rules read, found once per way. */
typedef struct way_tags {
    const char *highway, *railway, *route, *oneway, *junction, *maxspeed, *access,
        *motor_vehicle, *motorcar, *vehicle, *gauge, *duration, *name, *usage, *electrified,
        *voltage, *service, *area, *ref;
} way_tags;

static void read_tags(const osm_way *w, way_tags *t)
{
    static const struct {
        const char *key;
        size_t at;
    } keys[] = {
#define K(f) {#f, offsetof(way_tags, f)}
        K(highway), K(railway), K(route), K(oneway), K(junction), K(maxspeed), K(access),
        K(motor_vehicle), K(motorcar), K(vehicle), K(gauge), K(duration), K(name), K(usage),
        K(electrified), K(voltage), K(service), K(area), K(ref)
#undef K
    };
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < w->n_tags; i++)
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
            if (strcmp(w->tags[i].key, keys[k].key) == 0)
                *(const char **)((char *)t + keys[k].at) = w->tags[i].value;
}

static bool is_one_of(const char *v, const char *const *set)
{
    for (; v && *set; set++)
        if (strcmp(v, *set) == 0) return true;
    return false;
}

/* Motor vehicles may not use it: the most specific of motorcar, motor_vehicle, vehicle,
 * access that is tagged decides; no and private shut it. */
static bool motor_access_denied(const way_tags *t)
{
    static const char *const closed[] = {"no", "private", NULL};
    const char *v = t->motorcar ? t->motorcar
                    : t->motor_vehicle ? t->motor_vehicle
                    : t->vehicle ? t->vehicle : t->access;
    return is_one_of(v, closed);
}

/* 1 forward, -1 backward, 0 both ways, 2 reversible (left out). */
static int direction(const way_tags *t, bool implied)
{
    static const char *const yes[] = {"yes", "1", "true", NULL};
    static const char *const no[] = {"no", "0", "false", NULL};
    static const char *const back[] = {"-1", "reverse", NULL};
    static const char *const round[] = {"roundabout", "circular", NULL};
    if (is_one_of(t->oneway, yes)) return 1;
    if (is_one_of(t->oneway, back)) return -1;
    if (t->oneway && (strcmp(t->oneway, "reversible") == 0 || strcmp(t->oneway, "alternating") == 0))
        return 2;
    if (is_one_of(t->oneway, no)) return 0;
    return implied || is_one_of(t->junction, round) ? 1 : 0;
}

/* maxspeed in km/h: "50", "50 mph", "50mph", "30;50" (the first); anything else
 * ("RU:urban", "none", "signals", "walk") gives the class default. */
static double parse_maxspeed(const char *v, double dflt)
{
    if (!v) return dflt;
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (end == v || errno || !(x > 0 && x <= 300)) return dflt;
    while (*end == ' ') end++;
    if (strncmp(end, "mph", 3) == 0) return x * 1.609344;
    if (strncmp(end, "km/h", 4) == 0 || strncmp(end, "kmh", 3) == 0) end += *end == 'k' && end[2] == '/' ? 4 : 3;
    return *end == '\0' || *end == ';' ? x : dflt;
}

/* Ferry duration in hours: "mm", "hh:mm", "hh:mm:ss", ISO 8601 "PT1H30M"; NaN otherwise. */
static double parse_duration(const char *v)
{
    if (!v || !*v) return NAN;
    if (v[0] == 'P' && v[1] == 'T') {
        double h = 0, x;
        int n;
        for (const char *p = v + 2; *p; p += n + 1) {
            if (sscanf(p, "%lf%n", &x, &n) != 1 || x < 0) return NAN;
            char u = p[n];
            h += u == 'H' ? x : u == 'M' ? x / 60 : u == 'S' ? x / 3600 : NAN;
            if (isnan(h)) return NAN;
        }
        return h > 0 ? h : NAN;
    }
    unsigned a, b, c;
    char tail;
    if (strchr(v, '-') || strchr(v, '+')) return NAN; /* %u would take "-5" */
    if (sscanf(v, "%u:%u:%u%c", &a, &b, &c, &tail) == 3 && b < 60 && c < 60)
        return a + b / 60.0 + c / 3600.0;
    if (sscanf(v, "%u:%u%c", &a, &b, &tail) == 2 && b < 60) return a + b / 60.0;
    if (sscanf(v, "%u%c", &a, &tail) == 1) return a / 60.0;
    return NAN;
}

/* gauge_mm from "1435" or "1435;1520" (the first); 0 when not one the format knows. */
static int parse_gauge(const char *v)
{
    static const int known[] = {600, 750, 760, 1000, 1067, 1435, 1520, 1524, 1600, 1668};
    if (!v) return 0;
    char *end;
    long g = strtol(v, &end, 10);
    if (end == v || (*end && *end != ';')) return 0;
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (g == known[i]) return (int)g;
    return 0;
}

/* ---------------------------------------------------------------- pass 1: ways */

static const way_class *find_class(const way_class *set, const bool *on, size_t n, const char *v)
{
    for (size_t i = 0; v && i < n; i++)
        if (on[i] && strcmp(set[i].name, v) == 0) return &set[i];
    return NULL;
}

/* Mode, speed and direction of a way, or false when the rules leave it out. */
static bool classify(const importer *m, const way_tags *t, kept_way *k)
{
    unsigned modes = m->opt->modes ? m->opt->modes : 1u << COR_MODE_ROAD;
    const way_class *c = NULL;
    k->hours = NAN;
    k->gauge = 0;
    if ((modes & (1u << COR_MODE_FERRY)) && t->route && strcmp(t->route, "ferry") == 0) {
        if (motor_access_denied(t)) return false;
        k->mode = COR_MODE_FERRY;
        k->hours = parse_duration(t->duration);
        k->kmh = isnan(k->hours) ? FERRY_KMH : NAN;
        k->dir = direction(t, false);
    } else if ((modes & (1u << COR_MODE_ROAD)) &&
               (c = find_class(road_classes, m->road_on, N_ROAD, t->highway))) {
        if (motor_access_denied(t) || (t->area && strcmp(t->area, "yes") == 0)) return false;
        k->mode = COR_MODE_ROAD;
        k->kmh = parse_maxspeed(t->maxspeed, c->kmh);
        k->dir = direction(t, c->oneway);
    } else if ((modes & (1u << COR_MODE_RAIL)) &&
               (c = find_class(rail_classes, m->rail_on, N_RAIL, t->railway))) {
        k->mode = COR_MODE_RAIL;
        k->kmh = parse_maxspeed(t->maxspeed, c->kmh);
        k->gauge = parse_gauge(t->gauge);
        k->dir = direction(t, false);
    } else return false;
    return k->dir != 2;
}

/* "OpenStreetMap way 123 (file): highway=primary; name=...": what a user needs to find the
 * way again, and for railways what the link fields cannot hold (usage, electrification). */
static size_t source_text(importer *m, int64_t id, const way_tags *t, cor_mode mode)
{
    char buf[768];
    size_t n = (size_t)snprintf(buf, sizeof buf, "OpenStreetMap way %lld (%s)", (long long)id,
                                m->file_name);
    const struct {
        const char *key, *value;
    } shown[] = {{"highway", mode == COR_MODE_ROAD ? t->highway : NULL},
                 {"railway", mode == COR_MODE_RAIL ? t->railway : NULL},
                 {"route", mode == COR_MODE_FERRY ? t->route : NULL},
                 {"ref", t->ref}, {"name", t->name},
                 {"usage", t->usage}, {"service", mode == COR_MODE_RAIL ? t->service : NULL},
                 {"electrified", t->electrified}, {"voltage", t->voltage},
                 {"gauge", mode == COR_MODE_RAIL ? t->gauge : NULL},
                 {"maxspeed", t->maxspeed}, {"duration", t->duration}};
    const char *sep = ": ";
    for (size_t i = 0; i < sizeof shown / sizeof *shown && n < sizeof buf; i++)
        if (shown[i].value) {
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s=%s", sep, shown[i].key,
                                  shown[i].value);
            sep = "; ";
        }
    return add_text(m, buf);
}

static bool on_way(void *ctx, const osm_way *w)
{
    importer *m = ctx;
    way_tags t;
    kept_way k;
    read_tags(w, &t);
    if (w->n_refs < 2 || !classify(m, &t, &k)) return true;
    if (m->n_refs + w->n_refs >= UINT32_MAX || m->n_ways >= UINT32_MAX - 1) {
        cor_error_add(m->err, COR_ERR_INPUT, m->path, -1, -1, NULL,
                      "more node references in the kept ways than an import can hold (2^32)");
        return false;
    }
    if (!grow(m, (void **)&m->ways, &m->cap_ways, m->n_ways + 1, sizeof *m->ways) ||
        !grow(m, (void **)&m->refs, &m->cap_refs, m->n_refs + w->n_refs, sizeof *m->refs))
        return false;
    k.id = w->id;
    k.ref_first = (uint32_t)m->n_refs;
    k.ref_count = (uint32_t)w->n_refs;
    k.source = source_text(m, w->id, &t, k.mode);
    k.dropped = false;
    for (size_t i = 0; i < w->n_refs; i++) {
        uint32_t s = node_slot(m, w->refs[i], true);
        if (s == UINT32_MAX) {
            if (!m->nomem)
                cor_error_add(m->err, COR_ERR_INPUT, m->path, -1, -1, NULL,
                              "more distinct nodes in the kept ways than an import can hold");
            return false;
        }
        m->refs[m->n_refs++] = s;
    }
    m->ways[m->n_ways++] = k;
    return !m->nomem;
}

/* ---------------------------------------------------------------- pass 2: nodes, areas */

static bool on_node(void *ctx, int64_t id, double lon, double lat)
{
    importer *m = ctx;
    uint32_t s = node_slot(m, id, false);
    if (s != UINT32_MAX) m->lon[s] = lon, m->lat[s] = lat;
    return true;
}

static bool on_ring(void *ctx, const char *code, size_t area, bool outer, const double *xy,
                    size_t n)
{
    importer *m = ctx;
    return country_set_add_ring(m->osm_countries, code, area, xy, n) || out_of_memory(m);
}

/* ---------------------------------------------------------------- cutting ways into links */

static double segment_km(const double *a, const double *b)
{
    const double r = M_PI / 180;
    double dlat = (b[1] - a[1]) * r, dlon = (b[0] - a[0]) * r;
    double h = sin(dlat / 2) * sin(dlat / 2) + cos(a[1] * r) * cos(b[1] * r) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * COR_EARTH_RADIUS_KM * asin(fmin(1, sqrt(h)));
}

static bool located(const importer *m, uint32_t s)
{
    return !isnan(m->lon[s]);
}

/* --bbox: a way is kept whole when one of its nodes lies inside. */
static void apply_bbox(importer *m)
{
    const double *bb = m->opt->bbox;
    for (size_t w = 0; m->opt->has_bbox && w < m->n_ways; w++) {
        const kept_way *k = &m->ways[w];
        bool in = false;
        for (uint32_t i = 0; i < k->ref_count && !in; i++) {
            uint32_t s = m->refs[k->ref_first + i];
            in = located(m, s) && m->lon[s] >= bb[0] && m->lon[s] <= bb[2] && m->lat[s] >= bb[1] &&
                 m->lat[s] <= bb[3];
        }
        m->ways[w].dropped = !in;
    }
}

/* uses[s] ≥ 2 marks a cut: a node two kept ways share (or one way twice), or the end of
 * a run of located nodes (a way's ends, and either side of a node the file lacks). */
static void count_uses(importer *m)
{
    for (size_t w = 0; w < m->n_ways; w++) {
        const kept_way *k = &m->ways[w];
        const uint32_t *r = &m->refs[k->ref_first];
        if (k->dropped) continue;
        m->st.ways_kept++;
        for (uint32_t i = 0; i < k->ref_count; i++) {
            if (!located(m, r[i])) {
                m->st.refs_missing++;
                continue;
            }
            if (i > 0 && r[i] == r[i - 1]) continue;
            if (m->uses[r[i]]++ == 0) m->st.nodes_used++;
            bool run_start = i == 0 || !located(m, r[i - 1]);
            bool run_end = i + 1 == k->ref_count || !located(m, r[i + 1]);
            if (run_start || run_end) m->uses[r[i]] += 2;
        }
    }
}

static bool add_point(importer *m, uint32_t s)
{
    if (!grow(m, (void **)&m->xy, &m->cap_xy, 2 * (m->n_xy + 1), sizeof *m->xy)) return false;
    m->xy[2 * m->n_xy] = m->lon[s];
    m->xy[2 * m->n_xy + 1] = m->lat[s];
    m->n_xy++;
    return true;
}

static bool add_part(importer *m, uint32_t way, uint32_t from, uint32_t to, size_t first,
                     size_t count, unsigned *no)
{
    if (!grow(m, (void **)&m->parts, &m->cap_parts, m->n_parts + 1, sizeof *m->parts)) return false;
    part *p = &m->parts[m->n_parts++];
    p->way = way, p->from = from, p->to = to;
    p->geom_first = first, p->geom_count = count;
    p->no = ++*no;
    p->km = 0;
    for (size_t i = first; i + 1 < first + count; i++) p->km += segment_km(&m->xy[2 * i], &m->xy[2 * i + 2]);
    return true;
}

/* A part from a node back to itself (a closed way cut only at its start) is cut again at
 * its middle vertex, which becomes a node: a loop link routes nowhere. */
static bool emit(importer *m, uint32_t way, uint32_t from, uint32_t to, size_t first,
                 size_t count, const uint32_t *slot_of, unsigned *no)
{
    if (from != to || count < 3) return add_part(m, way, from, to, first, count, no);
    size_t mid = count / 2;
    return add_part(m, way, from, slot_of[mid], first, mid + 1, no) &&
           add_part(m, way, slot_of[mid], to, first + mid, count - mid, no);
}

/* The way's located runs, cut at every node with uses ≥ 2. `slots` is scratch space of
 * the way's length (the slot of each point of the current part). */
static bool cut_way(importer *m, uint32_t w, uint32_t *slots)
{
    const kept_way *k = &m->ways[w];
    const uint32_t *r = &m->refs[k->ref_first];
    size_t first = 0, count = 0;
    unsigned no = 0;
    for (uint32_t i = 0; i < k->ref_count; i++) {
        uint32_t s = r[i];
        if (!located(m, s)) { /* the run's last point ends its last part: keep it */
            count = 0;
            continue;
        }
        if (i > 0 && s == r[i - 1]) continue;
        if (count == 0) first = m->n_xy;
        if (!add_point(m, s)) return false;
        slots[count++] = s;
        if (count >= 2 && m->uses[s] >= 2) {
            if (!emit(m, w, slots[0], s, first, count, slots, &no)) return false;
            first = m->n_xy - 1; /* the next part starts at this node */
            slots[0] = s;
            count = 1;
        }
    }
    return true;
}

/* Cuts every kept way; a ferry's duration is shared among its parts by length. */
static bool cut_ways(importer *m)
{
    uint32_t max_refs = 0;
    for (size_t w = 0; w < m->n_ways; w++)
        if (m->ways[w].ref_count > max_refs) max_refs = m->ways[w].ref_count;
    uint32_t *slots = malloc(((size_t)max_refs + 1) * sizeof *slots);
    if (!slots) return out_of_memory(m);
    bool ok = true;
    for (uint32_t w = 0; ok && w < m->n_ways; w++) {
        if (m->ways[w].dropped) continue;
        size_t from = m->n_parts;
        ok = cut_way(m, w, slots);
        double km = 0;
        for (size_t i = from; ok && i < m->n_parts; i++) km += m->parts[i].km;
        for (size_t i = from; ok && i < m->n_parts; i++)
            m->parts[i].hours = km > 0 ? m->ways[w].hours * m->parts[i].km / km : m->ways[w].hours;
    }
    free(slots);
    return ok;
}

/* ---------------------------------------------------------------- components */

static bool in_group(cor_mode mode, int group)
{
    return group == 0 ? mode != COR_MODE_RAIL : mode == COR_MODE_RAIL;
}

/* The largest component's label among `count` (most nodes, then most links). */
static uint32_t largest(const importer *m, const uint32_t *label, size_t n_nodes, size_t count,
                        const unsigned char *use, size_t *sizes)
{
    memset(sizes, 0, 2 * count * sizeof *sizes);
    for (size_t v = 0; v < n_nodes; v++)
        if (label[v] != UINT32_MAX) sizes[2 * label[v]]++;
    for (size_t i = 0; i < m->n_parts; i++)
        if (use[i]) sizes[2 * label[m->net_index[m->parts[i].from]] + 1]++;
    uint32_t best = 0;
    for (uint32_t c = 1; c < count; c++)
        if (sizes[2 * c] > sizes[2 * best] ||
            (sizes[2 * c] == sizes[2 * best] && sizes[2 * c + 1] > sizes[2 * best + 1]))
            best = c;
    return best;
}

/* keep[i]: part i is in the largest component of its group (road and ferry together;
 * rail apart, since the two share nodes at level crossings but no traffic). */
static bool keep_largest(importer *m, size_t n_nodes, const uint32_t *ends)
{
    unsigned char *use = malloc(m->n_parts + 1);
    uint32_t *label = malloc((n_nodes + 1) * sizeof *label);
    size_t *sizes = malloc((2 * m->n_parts + 2) * sizeof *sizes);
    bool ok = use && label && sizes;
    memset(m->keep, 1, m->n_parts);
    for (int group = 0; ok && group < 2; group++) {
        for (size_t i = 0; i < m->n_parts; i++) use[i] = in_group(m->ways[m->parts[i].way].mode, group);
        size_t count = cor_label_components(n_nodes, m->n_parts, ends, use, label);
        ok = count != SIZE_MAX;
        if (!ok || count == 0) continue;
        m->st.components += count;
        if (m->opt->keep_all) continue;
        uint32_t best = largest(m, label, n_nodes, count, use, sizes);
        m->st.dropped_components += count - 1;
        for (size_t i = 0; i < m->n_parts; i++)
            if (use[i] && label[ends[2 * i]] != best) m->keep[i] = 0, m->st.dropped_links++;
    }
    free(use);
    free(label);
    free(sizes);
    return ok || out_of_memory(m);
}

/* Numbers the network's nodes (the ends of the parts in `mask`, NULL: all) in order of
 * first use; returns their count. */
static size_t number_nodes(importer *m, const unsigned char *mask)
{
    size_t n = 0;
    for (size_t s = 0; s < m->n_slots; s++) m->net_index[s] = UINT32_MAX;
    for (size_t i = 0; i < m->n_parts; i++) {
        if (mask && !mask[i]) continue;
        const part *p = &m->parts[i];
        if (m->net_index[p->from] == UINT32_MAX) m->net_index[p->from] = (uint32_t)n++;
        if (m->net_index[p->to] == UINT32_MAX) m->net_index[p->to] = (uint32_t)n++;
    }
    return n;
}

static bool components(importer *m)
{
    size_t n = number_nodes(m, NULL);
    uint32_t *ends = malloc((2 * m->n_parts + 1) * sizeof *ends);
    m->keep = malloc(m->n_parts + 1);
    if (!ends || !m->keep) return free(ends), out_of_memory(m);
    for (size_t i = 0; i < m->n_parts; i++) {
        ends[2 * i] = m->net_index[m->parts[i].from];
        ends[2 * i + 1] = m->net_index[m->parts[i].to];
    }
    bool ok = keep_largest(m, n, ends);
    free(ends);
    m->st.dropped_nodes = n - number_nodes(m, m->keep);
    return ok;
}

/* ---------------------------------------------------------------- the network */

static const char *node_country(importer *m, uint32_t s)
{
    const char *c = m->osm_countries ? country_set_lookup(m->osm_countries, m->lon[s], m->lat[s]) : NULL;
    if (c) return m->st.nodes_country_osm++, c;
    c = m->file_countries ? country_set_lookup(m->file_countries, m->lon[s], m->lat[s]) : NULL;
    if (c) return m->st.nodes_country_file++, c;
    m->st.nodes_country_unknown++;
    return NULL;
}

static cor_status add_nodes(importer *m, cor_builder *b, size_t n)
{
    uint32_t *slot_of = malloc((n + 1) * sizeof *slot_of);
    if (!slot_of) return out_of_memory(m), COR_ERR_NOMEM;
    for (size_t s = 0; s < m->n_slots; s++)
        if (m->net_index[s] != UINT32_MAX) slot_of[m->net_index[s]] = (uint32_t)s;
    cor_status st = COR_OK;
    for (size_t v = 0; v < n && st == COR_OK; v++) {
        char id[32];
        cor_node node;
        cor_node_init(&node);
        snprintf(id, sizeof id, "n%lld", (long long)m->node_id[slot_of[v]]);
        node.id = id;
        node.lon = m->lon[slot_of[v]];
        node.lat = m->lat[slot_of[v]];
        node.country = node_country(m, slot_of[v]);
        st = cor_builder_add_node(b, &node, -1, -1);
    }
    free(slot_of);
    return st;
}

/* One part as a link; a way tagged oneway=-1 is turned round, so that every one-way link
 * runs from → to in its direction of travel. */
static cor_status add_link(importer *m, cor_builder *b, const part *p, double *rev)
{
    const kept_way *k = &m->ways[p->way];
    char id[48];
    cor_link l;
    cor_link_init(&l);
    snprintf(id, sizeof id, "w%lld.%u", (long long)k->id, p->no);
    const double *xy = &m->xy[2 * p->geom_first];
    l.id = id;
    l.from = m->net_index[k->dir < 0 ? p->to : p->from];
    l.to = m->net_index[k->dir < 0 ? p->from : p->to];
    l.mode = k->mode;
    l.forward = true;
    l.backward = k->dir == 0;
    l.length_km = p->km;
    l.speed_kmh = k->kmh;
    l.duration_hours = p->hours;
    l.gauge_mm = k->gauge;
    l.source = m->text + k->source;
    if (k->dir < 0) {
        for (size_t i = 0; i < p->geom_count; i++) {
            rev[2 * i] = xy[2 * (p->geom_count - 1 - i)];
            rev[2 * i + 1] = xy[2 * (p->geom_count - 1 - i) + 1];
        }
        xy = rev;
    }
    m->st.links_by_mode[k->mode]++;
    m->st.km_by_mode[k->mode] += p->km;
    return cor_builder_add_link(b, &l, xy, p->geom_count, -1, -1);
}

static cor_status build(importer *m, cor_network **out)
{
    size_t n = number_nodes(m, m->keep), kept = 0, longest = 0;
    for (size_t i = 0; i < m->n_parts; i++) {
        kept += m->keep[i];
        if (m->parts[i].geom_count > longest) longest = m->parts[i].geom_count;
    }
    cor_builder *b = cor_builder_new(m->path);
    if (b) { /* a name for the page and `info`: the extract's file name */
        const char *base = strrchr(m->path, '/');
        char name[320];
        snprintf(name, sizeof name, "OpenStreetMap: %s", base ? base + 1 : m->path);
        cor_builder_set_about(b, name, NULL);
    }
    double *rev = malloc((2 * longest + 2) * sizeof *rev);
    cor_status st = b && rev ? cor_builder_reserve(b, n, kept) : COR_ERR_NOMEM;
    if (st == COR_OK) st = add_nodes(m, b, n);
    for (size_t i = 0; i < m->n_parts && st == COR_OK; i++)
        if (m->keep[i]) st = add_link(m, b, &m->parts[i], rev);
    free(rev);
    if (st != COR_OK) { /* the builder fails only for want of memory */
        if (b) cor_builder_free(b);
        return out_of_memory(m), COR_ERR_NOMEM;
    }
    st = cor_builder_finish(b, out, m->err);
    if (st == COR_OK) m->st.links = kept, m->st.nodes = n;
    return st;
}

/* ---------------------------------------------------------------- options, the passes */

/* A comma list of class names into `on`; "default" stands for the default classes. */
static cor_status parse_classes(const char *list, const way_class *set, size_t n, bool *on,
                                const char *field, cor_error *err)
{
    for (size_t i = 0; i < n; i++) on[i] = !list && set[i].dflt;
    cor_status st = COR_OK;
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        bool found = len == 7 && strncmp(p, "default", 7) == 0;
        for (size_t i = 0; i < n; i++) {
            if (found && len == 7 && strncmp(p, "default", 7) == 0) on[i] = on[i] || set[i].dflt;
            else if (strlen(set[i].name) == len && strncmp(p, set[i].name, len) == 0)
                on[i] = found = true;
        }
        if (!found) {
            char known[512] = "default";
            for (size_t i = 0; i < n; i++)
                snprintf(known + strlen(known), sizeof known - strlen(known), ", %s", set[i].name);
            st = cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, field,
                               "unknown class '%.*s' (known: %s)", (int)len, p, known);
        }
        p += len + (p[len] == ',');
    }
    return st;
}

static cor_status check_options(importer *m, const cor_osm_options *o, cor_error *err)
{
    const double *b = o->bbox;
    if (o->has_bbox && !(b[0] >= -180 && b[2] <= 180 && b[1] >= -90 && b[3] <= 90 && b[0] < b[2] &&
                         b[1] < b[3]))
        cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "bbox",
                      "must be WEST,SOUTH,EAST,NORTH in degrees with west < east and south < north");
    unsigned allowed = 1u << COR_MODE_ROAD | 1u << COR_MODE_RAIL | 1u << COR_MODE_FERRY;
    if (o->modes & ~allowed)
        cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "modes",
                      "an OpenStreetMap import takes road, rail and ferry");
    parse_classes(o->road_classes, road_classes, N_ROAD, m->road_on, "road-classes", err);
    parse_classes(o->rail_classes, rail_classes, N_RAIL, m->rail_on, "rail-classes", err);
    return cor_error_status(err);
}

static cor_status read_file(importer *m)
{
    osm_reader *r = NULL;
    osm_handlers h = {on_way, on_node, on_ring, m};
    osm_counts counts = {0};
    m->table = calloc(1024, sizeof *m->table);
    m->table_mask = 1023;
    m->osm_countries = country_set_new();
    if (!m->table || !m->osm_countries) return out_of_memory(m), COR_ERR_NOMEM;
    cor_status st = osm_reader_new(&r, m->path, true, m->err);
    if (st == COR_OK) st = osm_read_ways(r, &h, &counts, m->err);
    if (st == COR_OK) st = osm_read_nodes(r, &h, &counts, m->err);
    osm_reader_free(r);
    m->st.file_nodes = counts.nodes;
    m->st.file_ways = counts.ways;
    m->st.file_relations = counts.relations;
    m->st.boundary_relations = counts.boundary_relations;
    m->st.boundary_areas = counts.boundary_areas;
    if (st == COR_OK && !country_set_finish(m->osm_countries)) st = (out_of_memory(m), COR_ERR_NOMEM);
    return st;
}

/* A TopoJSON says "type": "Topology" near its start (world-atlas: at the very start). */
static bool is_topojson(const char *path)
{
    char head[4096];
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(head, 1, sizeof head - 1, f) : 0;
    if (f) fclose(f);
    head[n] = '\0';
    return strstr(head, "\"Topology\"") != NULL;
}

static cor_status read_countries(importer *m)
{
    if (!m->opt->countries_path) return COR_OK;
    m->file_countries = country_set_new();
    if (!m->file_countries) return out_of_memory(m), COR_ERR_NOMEM;
    cor_status st = is_topojson(m->opt->countries_path)
                        ? country_set_load_topojson(m->file_countries, m->opt->countries_path,
                                                    m->opt->iso3166_path, m->err)
                        : country_set_load_geojson(m->file_countries, m->opt->countries_path, m->err);
    if (st == COR_OK && !country_set_finish(m->file_countries)) st = (out_of_memory(m), COR_ERR_NOMEM);
    m->st.country_polygons = country_set_polygons(m->file_countries);
    return st;
}

static cor_status make_links(importer *m)
{
    m->uses = calloc(m->n_slots + 1, sizeof *m->uses);
    m->net_index = malloc((m->n_slots + 1) * sizeof *m->net_index);
    if (!m->uses || !m->net_index) return out_of_memory(m), COR_ERR_NOMEM;
    apply_bbox(m);
    count_uses(m);
    if (!cut_ways(m)) return COR_ERR_NOMEM;
    if (m->n_parts == 0)
        return cor_error_add(m->err, COR_ERR_INPUT, m->path, -1, -1, NULL,
                             "no way passes the filter (%zu ways read; see --modes, --road-classes, "
                             "--rail-classes, --bbox)", m->st.file_ways);
    return components(m) ? COR_OK : COR_ERR_NOMEM;
}

static void importer_free(importer *m)
{
    free(m->node_id), free(m->lon), free(m->lat), free(m->uses), free(m->net_index);
    free(m->table), free(m->ways), free(m->refs), free(m->text), free(m->parts);
    free(m->xy), free(m->keep);
    country_set_free(m->osm_countries);
    country_set_free(m->file_countries);
}

cor_status cor_import_osm(cor_network **out, const char *path, const cor_osm_options *opt,
                          cor_osm_stats *stats, cor_error *err)
{
    *out = NULL;
    importer m;
    memset(&m, 0, sizeof m);
    m.path = path;
    m.opt = opt;
    m.err = err;
    const char *slash = path ? strrchr(path, '/') : NULL;
    m.file_name = slash ? slash + 1 : path;
    cor_status st = path ? check_options(&m, opt, err)
                         : cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "osm", "no file given");
    FILE *probe = st == COR_OK ? fopen(path, "rb") : NULL;
    if (st == COR_OK && !probe)
        st = cor_error_add(err, COR_ERR_IO, path, -1, -1, NULL, "cannot open: %s", strerror(errno));
    if (probe) fclose(probe);
    if (st == COR_OK) st = read_countries(&m);
    if (st == COR_OK) st = read_file(&m);
    if (st == COR_OK) st = make_links(&m);
    if (st == COR_OK) st = build(&m, out);
    if (stats) *stats = m.st;
    importer_free(&m);
    return st;
}
