/*
 * scenario.c — scenarios: changes laid over a network for a run, the network untouched.
 *
 * Two layers, chosen by what a change needs:
 *
 * - Opening and closing (links, nodes, countries, borders) is an overlay: a status byte
 *   per link and a closed flag per node, read by the filter (filter.c) whenever a graph is
 *   compiled or a flow network built. It costs two bytes per element and nothing else.
 * - Changes of figures (`set`, `scale`) and new elements (`add`) need links whose numbers
 *   differ from the base's, wherever a link's measures are read: graph weights, route
 *   legs, corridor figures, capacities. Rather than teach each of those places about
 *   overrides, the scenario builds its own network: the base's nodes and links copied with
 *   the figures changed and the new elements appended, through the builder (so every check
 *   of a loaded network applies to them too). Indices are kept — added links and nodes come
 *   after the base's — so results on the scenario's network name base elements by the
 *   base's indices. The copy is made only when a scenario changes figures or adds.
 *
 * cor_graph_compile, cor_maxflow and cor_filter_init put the scenario's network in place
 * of the base they are given (cor_scenario_resolve), so `route --scenario` needs no new
 * code. A scenario that adds elements must be run on its own network
 * (cor_scenario_network), since results may name links the base does not have.
 *
 * Every fault is reported with the JSON path of its place ("changes[2].capacity"), and
 * a scenario with any fault is not returned at all.
 */
#include "load.h"
#include "network_internal.h"

#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNCHANGED 0xff
#define PATH 96

struct cor_scenario {
    char *name, *description;
    const cor_network *base;
    cor_network *own;      /* figures changed or elements added; NULL when neither */
    bool own_borrowed;     /* own is another scenario's (cor_scenario_opening): not freed */
    bool adds;             /* own has links or nodes the base lacks */
    uint8_t *link_status;  /* n_links: new status or UNCHANGED */
    uint8_t *node_closed;  /* n_nodes: 1 when closed */
    size_t n_links, n_nodes;
    double *durations;     /* per change, NaN when not given */
    size_t n_changes;
    uint32_t from, to;     /* the question it is about, COR_NONE when not given */
};

/* A place in the scenario file, for the builder's problems on the elements it changed. */
typedef struct place {
    char path[PATH];
} place;

typedef struct parse_ctx {
    const cor_network *net;
    cor_scenario *s;
    cor_error *err;
    const char *origin;
    size_t before;
    /* The scenario's copy (NULL until a change of figures or an addition): the base's
     * elements, then the added ones. */
    cor_node *nodes;
    cor_link *links;
    size_t n_nodes, n_links;
    double **xy;          /* geometry of added link k: xy[k], n_xy[k] points */
    size_t *n_xy;
    long *node_place, *link_place; /* index into places, -1 when untouched */
    place *places;
    size_t n_places, cap_places;
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

/* A JSON path into buf (PATH bytes); a longer one is cut (messages hold 64 bytes of it). */
static void pathf(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void pathf(char *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, PATH, fmt, ap);
    va_end(ap);
}

static bool faulty(const parse_ctx *c)
{
    return c->err->count + c->err->dropped > c->before;
}

/* ---------------------------------------------------------------- elements */

static const cor_link *link_at(const parse_ctx *c, uint32_t i)
{
    return c->links ? &c->links[i] : cor_net_link(c->net, i);
}

static const cor_node *node_at(const parse_ctx *c, uint32_t i)
{
    return c->nodes ? &c->nodes[i] : cor_net_node(c->net, i);
}

static size_t link_count(const parse_ctx *c)
{
    return c->links ? c->n_links : c->net->n_links;
}

static size_t node_count(const parse_ctx *c)
{
    return c->nodes ? c->n_nodes : c->net->n_nodes;
}

/* By id among the base's elements (hashed), then the added ones (few). */
static uint32_t find_link(const parse_ctx *c, const char *id)
{
    uint32_t l = cor_network_find_link(c->net, id);
    for (size_t i = c->net->n_links; l == COR_NONE && i < link_count(c); i++)
        if (strcmp(c->links[i].id, id) == 0) l = (uint32_t)i;
    return l;
}

static uint32_t find_node(const parse_ctx *c, const char *id)
{
    uint32_t n = cor_network_find_node(c->net, id);
    for (size_t i = c->net->n_nodes; n == COR_NONE && i < node_count(c); i++)
        if (strcmp(c->nodes[i].id, id) == 0) n = (uint32_t)i;
    return n;
}

/* Makes the scenario's copy of the base, with room for the additions counted up front. */
static bool ensure_copy(parse_ctx *c)
{
    if (c->links) return true;
    const cor_network *net = c->net;
    size_t nl = c->s->n_links, nn = c->s->n_nodes, added = nl - net->n_links;
    c->links = malloc((nl + 1) * sizeof *c->links);
    c->nodes = malloc((nn + 1) * sizeof *c->nodes);
    c->link_place = malloc((nl + 1) * sizeof *c->link_place);
    c->node_place = malloc((nn + 1) * sizeof *c->node_place);
    c->xy = calloc(added + 1, sizeof *c->xy);
    c->n_xy = calloc(added + 1, sizeof *c->n_xy);
    if (!c->links || !c->nodes || !c->link_place || !c->node_place || !c->xy || !c->n_xy) {
        free(c->links), free(c->nodes);
        c->links = NULL, c->nodes = NULL;
        cor_error_add(c->err, COR_ERR_NOMEM, c->origin, -1, -1, NULL, "out of memory");
        return false;
    }
    cor_network_copy_links(net, c->links);
    cor_network_copy_nodes(net, c->nodes);
    for (size_t i = 0; i <= nl; i++) c->link_place[i] = -1;
    for (size_t i = 0; i <= nn; i++) c->node_place[i] = -1;
    c->n_links = net->n_links;
    c->n_nodes = net->n_nodes;
    return true;
}

/* Records path as the place of a changed element; its index, -1 when out of memory. */
static long remember(parse_ctx *c, const char *path)
{
    if (c->n_places == c->cap_places) {
        size_t cap = c->cap_places ? 2 * c->cap_places : 16;
        place *p = realloc(c->places, cap * sizeof *p);
        if (!p) return -1;
        c->places = p;
        c->cap_places = cap;
    }
    pathf(c->places[c->n_places].path, "%s", path);
    return (long)c->n_places++;
}

/* ---------------------------------------------------------------- selecting elements */

typedef void (*element_fn)(parse_ctx *c, uint32_t index, const char *path, void *arg);

/* The array at `key` of a change; NULL after a fault naming what it must hold. */
static json_t *array_member(parse_ctx *c, json_t *change, const char *at, const char *key,
                            const char *what)
{
    json_t *arr = json_object_get(change, key);
    char path[PATH];
    if (json_is_array(arr)) return arr;
    pathf(path, "%s.%s", at, key);
    fault(c, path, "must be %s, not %s", what, cor_json_type_name(arr));
    return NULL;
}

/* The strings of the array at `key`, each resolved by find (links or nodes). */
static void each_id(parse_ctx *c, json_t *change, const char *at, const char *key,
                    uint32_t (*find)(const parse_ctx *, const char *), const char *what,
                    element_fn fn, void *arg)
{
    json_t *arr = array_member(c, change, at, key, "an array of ids");
    char path[PATH];
    if (!arr) return;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        pathf(path, "%s.%s[%zu]", at, key, i);
        uint32_t e = json_is_string(v) ? find(c, json_string_value(v)) : COR_NONE;
        if (!json_is_string(v)) fault(c, path, "must be a string, not %s", cor_json_type_name(v));
        else if (e == COR_NONE) fault(c, path, "no %s has the id '%s'", what, json_string_value(v));
        else fn(c, e, path, arg);
    }
}

static bool same_country(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* "layers": which layers a border applies to (all when absent). */
static unsigned border_layers(parse_ctx *c, json_t *change, const char *at)
{
    if (!json_object_get(change, "layers")) return ~0u;
    json_t *arr = array_member(c, change, at, "layers", "an array of layer names");
    char path[PATH];
    unsigned mask = 0;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        cor_layer l;
        pathf(path, "%s.layers[%zu]", at, i);
        if (json_is_string(v) && cor_layer_parse(json_string_value(v), &l)) mask |= 1u << l;
        else fault(c, path, "must be a layer name (transport, gas, oil, data)");
    }
    return mask;
}

/* "borders": [["GE", "TR"], ...] — every link with one end in each country. */
static void each_border_link(parse_ctx *c, json_t *change, const char *at, element_fn fn,
                             void *arg)
{
    json_t *arr = array_member(c, change, at, "borders", "an array of country pairs, e.g. [[\"GE\", \"TR\"]]");
    char path[PATH];
    if (!arr) return;
    unsigned layers = border_layers(c, change, at);
    size_t i;
    json_t *pair;
    json_array_foreach(arr, i, pair) {
        pathf(path, "%s.borders[%zu]", at, i);
        const char *a = json_string_value(json_array_get(pair, 0));
        const char *b = json_string_value(json_array_get(pair, 1));
        if (!json_is_array(pair) || json_array_size(pair) != 2 || !a || !b || !strcmp(a, b)) {
            fault(c, path, "must be two different country codes, e.g. [\"GE\", \"TR\"]");
            continue;
        }
        size_t hits = 0;
        for (uint32_t l = 0; l < link_count(c); l++) {
            const cor_link *k = link_at(c, l);
            const char *x = node_at(c, k->from)->country, *y = node_at(c, k->to)->country;
            if (!(layers & (1u << k->layer))) continue;
            if ((same_country(x, a) && same_country(y, b)) || (same_country(x, b) && same_country(y, a)))
                fn(c, l, path, arg), hits++;
        }
        if (!hits) fault(c, path, "no link joins %s and %s%s", a, b, layers != ~0u ? " on these layers" : "");
    }
}

/* "countries": every node of each country. */
static void each_country_node(parse_ctx *c, json_t *change, const char *at, element_fn fn,
                              void *arg)
{
    json_t *arr = array_member(c, change, at, "countries", "an array of country codes");
    char path[PATH];
    if (!arr) return;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        pathf(path, "%s.countries[%zu]", at, i);
        const char *cc = json_string_value(v);
        size_t hits = 0;
        for (uint32_t n = 0; cc && n < node_count(c); n++)
            if (same_country(node_at(c, n)->country, cc)) fn(c, n, path, arg), hits++;
        if (!cc) fault(c, path, "must be a string, not %s", cor_json_type_name(v));
        else if (!hits) fault(c, path, "no node is in the country '%s'", cc);
    }
}

static void each_link(parse_ctx *c, json_t *change, const char *at, element_fn fn, void *arg)
{
    if (json_object_get(change, "links")) each_id(c, change, at, "links", find_link, "link", fn, arg);
    if (json_object_get(change, "borders")) each_border_link(c, change, at, fn, arg);
}

static void each_node(parse_ctx *c, json_t *change, const char *at, element_fn fn, void *arg)
{
    if (json_object_get(change, "nodes")) each_id(c, change, at, "nodes", find_node, "node", fn, arg);
    if (json_object_get(change, "countries")) each_country_node(c, change, at, fn, arg);
}

/* ---------------------------------------------------------------- open and close */

static void set_status(parse_ctx *c, uint32_t l, const char *path, void *arg)
{
    (void)path;
    c->s->link_status[l] = (uint8_t)*(const cor_link_status *)arg;
}

static void close_node(parse_ctx *c, uint32_t n, const char *path, void *arg)
{
    (void)path, (void)arg;
    c->s->node_closed[n] = 1;
}

/* ---------------------------------------------------------------- scale and set */

static void scale_link(parse_ctx *c, uint32_t l, const char *path, void *arg)
{
    double f = *(const double *)arg;
    c->links[l].capacity *= f; /* unknown (no limit) stays unknown */
    c->links[l].reverse_capacity *= f;
    c->link_place[l] = remember(c, path);
}

static void scale_node(parse_ctx *c, uint32_t n, const char *path, void *arg)
{
    c->nodes[n].capacity *= *(const double *)arg;
    c->node_place[n] = remember(c, path);
}

/* One figure of a `set` change. */
typedef struct figure {
    const char *name;
    const cor_field *link, *node; /* where it lands; NULL when not on that element */
    double value;
    char path[PATH];
} figure;

#define MAX_FIGURES 24

typedef struct figures {
    figure f[MAX_FIGURES];
    size_t n;
    const char *at;
} figures;

static const figure *figure_named(const figures *fs, const char *name)
{
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].name, name) == 0) return &fs->f[i];
    return NULL;
}

static void set_link(parse_ctx *c, uint32_t l, const char *path, void *arg)
{
    const figures *fs = arg;
    cor_link *k = &c->links[l];
    for (size_t i = 0; i < fs->n; i++)
        if (fs->f[i].link) cor_field_set_number(fs->f[i].link, k, fs->f[i].value);
    const figure *headway = figure_named(fs, "headway_hours");
    if (headway) k->frequency_per_week = 168.0 / headway->value;
    /* The running time comes from duration_hours, else length_km / speed_kmh: a new
     * speed replaces the duration, a new duration the speed, a new length the speed. */
    const figure *speed = figure_named(fs, "speed_kmh");
    bool duration = figure_named(fs, "duration_hours") != NULL;
    if (speed && !duration) {
        k->duration_hours = NAN;
        if (!(k->length_km > 0))
            fault(c, speed->path, "link '%s' has no length_km, so a speed cannot give its running time",
                  k->id);
    } else if (duration && !speed)
        k->speed_kmh = NAN;
    else if (figure_named(fs, "length_km") && !isnan(k->duration_hours))
        k->speed_kmh = NAN;
    c->link_place[l] = remember(c, path);
}

static void set_node(parse_ctx *c, uint32_t n, const char *path, void *arg)
{
    const figures *fs = arg;
    for (size_t i = 0; i < fs->n; i++)
        if (fs->f[i].node) cor_field_set_number(fs->f[i].node, &c->nodes[n], fs->f[i].value);
    c->node_place[n] = remember(c, path);
}

/* A number field of the table (not id-like, not lon/lat), by name. */
static const cor_field *number_field(const cor_field *table, const char *name)
{
    for (const cor_field *f = table; f->name; f++)
        if (f->kind == COR_FIELD_NUMBER && !f->csv_only && strcmp(f->name, name) == 0) return f;
    return NULL;
}

/* Reads the figures of a `set` change: every member that is not a selector. */
static void read_figures(parse_ctx *c, json_t *change, figures *fs, bool links, bool nodes)
{
    static const char *const meta[] = {"op", "note", "duration_days", "links", "nodes",
                                       "borders", "countries", "layers", NULL};
    const char *key;
    json_t *v;
    json_object_foreach(change, key, v) {
        size_t k = 0;
        while (meta[k] && strcmp(meta[k], key)) k++;
        if (meta[k]) continue;
        figure f = {key, number_field(cor_link_fields, key), number_field(cor_node_fields, key), 0, ""};
        bool headway = strcmp(key, "headway_hours") == 0;
        pathf(f.path, "%s.%s", fs->at, key);
        if (!f.link && !f.node && !headway) {
            fault(c, f.path, "unknown member: not a link or node figure of docs/FORMAT.md");
            continue;
        }
        bool positive = headway || !strcmp(key, "speed_kmh") || !strcmp(key, "frequency_per_week");
        f.value = json_is_number(v) ? json_number_value(v) : NAN;
        if (!json_is_number(v)) fault(c, f.path, "must be a number, not %s", cor_json_type_name(v));
        else if (positive ? !(f.value > 0) : !(f.value >= 0))
            fault(c, f.path, "must be %s", positive ? "greater than 0" : "0 or more");
        else if ((f.link || headway) && !f.node && !links)
            fault(c, f.path, "is a link figure, but the change names no links or borders");
        else if (f.node && !f.link && !nodes)
            fault(c, f.path, "is a node figure, but the change names no nodes");
        else if (fs->n == MAX_FIGURES) fault(c, f.path, "too many figures in one change");
        else fs->f[fs->n++] = f;
    }
    if (figure_named(fs, "headway_hours") && figure_named(fs, "frequency_per_week"))
        fault(c, fs->at, "give frequency_per_week or headway_hours, not both");
    if (!fs->n) fault(c, fs->at, "a \"set\" change needs at least one figure");
}

/* ---------------------------------------------------------------- add */

/* Reads the members of an added element against its field table; false after a fault. */
static bool read_element(parse_ctx *c, json_t *obj, const cor_field *table, void *out,
                         const char *at, bool geometry)
{
    char path[PATH];
    if (!json_is_object(obj)) {
        fault(c, at, "must be an object, not %s", cor_json_type_name(obj));
        return false;
    }
    size_t before = c->err->count + c->err->dropped;
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        const cor_field *f = table;
        while (f->name && strcmp(f->name, key)) f++;
        pathf(path, "%s.%s", at, key);
        char why[200];
        if (f->name && !json_is_null(v) && !cor_field_set_json(f, out, v, why, sizeof why))
            fault(c, path, "%s", why);
        else if (!f->name && !(geometry && !strcmp(key, "geometry")))
            fault(c, path, "unknown member: not a property of docs/FORMAT.md");
    }
    for (const cor_field *f = table; f->name; f++) {
        json_t *v2 = json_object_get(obj, f->name);
        pathf(path, "%s.%s", at, f->name);
        if (f->required && (!v2 || json_is_null(v2))) fault(c, path, "required, and missing");
    }
    return c->err->count + c->err->dropped == before;
}

/* A LineString geometry (or null) of an added link into xy. */
static void read_geometry(parse_ctx *c, json_t *geom, const char *at, size_t k)
{
    char path[PATH];
    pathf(path, "%s.geometry", at);
    if (!geom || json_is_null(geom)) return;
    json_t *pts = json_object_get(geom, "coordinates");
    const char *type = json_string_value(json_object_get(geom, "type"));
    size_t n = json_array_size(pts);
    if (!type || strcmp(type, "LineString") || n < 2) {
        fault(c, path, "must be null or a LineString of at least two [lon, lat] points");
        return;
    }
    double *xy = malloc(2 * n * sizeof *xy);
    if (!xy) {
        fault(c, path, "out of memory");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(pts, i);
        json_t *x = json_array_get(p, 0), *y = json_array_get(p, 1);
        if (!json_is_number(x) || !json_is_number(y)) {
            fault(c, path, "point %zu is not [lon, lat] numbers", i);
            free(xy);
            return;
        }
        xy[2 * i] = json_number_value(x);
        xy[2 * i + 1] = json_number_value(y);
    }
    c->xy[k] = xy;
    c->n_xy[k] = n;
}

static void add_nodes(parse_ctx *c, json_t *arr, const char *at)
{
    size_t i;
    json_t *v;
    char path[PATH];
    json_array_foreach(arr, i, v) {
        pathf(path, "%s.nodes[%zu]", at, i);
        cor_node n;
        cor_node_init(&n);
        if (!read_element(c, v, cor_node_fields, &n, path, false)) continue;
        if (find_node(c, n.id) != COR_NONE) {
            fault(c, path, "a node has the id '%s' already", n.id);
            continue;
        }
        c->node_place[c->n_nodes] = remember(c, path);
        c->nodes[c->n_nodes++] = n;
    }
}

static void add_links(parse_ctx *c, json_t *arr, const char *at)
{
    size_t i;
    json_t *v;
    char path[PATH], end[PATH];
    json_array_foreach(arr, i, v) {
        pathf(path, "%s.links[%zu]", at, i);
        cor_link l;
        cor_link_init(&l);
        if (!read_element(c, v, cor_link_fields, &l, path, true)) continue;
        l.from = find_node(c, l.from_id);
        l.to = find_node(c, l.to_id);
        if (find_link(c, l.id) != COR_NONE) {
            fault(c, path, "a link has the id '%s' already", l.id);
            continue;
        }
        for (int e = 0; e < 2; e++) {
            pathf(end, "%s.%s", path, e ? "to" : "from");
            if ((e ? l.to : l.from) == COR_NONE)
                fault(c, end, "no node has the id '%s'", e ? l.to_id : l.from_id);
        }
        if (l.from == COR_NONE || l.to == COR_NONE) continue;
        read_geometry(c, json_object_get(v, "geometry"), path, c->n_links - c->net->n_links);
        c->link_place[c->n_links] = remember(c, path);
        c->links[c->n_links++] = l;
    }
}

/* ---------------------------------------------------------------- changes */

typedef enum op { OP_OPEN, OP_CLOSE, OP_SCALE, OP_SET, OP_ADD, OP_COUNT } op;

static const char *const op_names[OP_COUNT] = {"open", "close", "scale", "set", "add"};
/* The members each operation takes besides op, note and duration_days ("set" also takes
 * figures). */
static const char *const op_members[OP_COUNT] = {
    "links", "links, nodes, countries, borders, layers", "links, nodes, borders, layers, capacity",
    "links, nodes, borders, layers", "links, nodes"};

static bool member_of(const char *list, const char *key)
{
    size_t n = strlen(key);
    if (n == 0) return false; /* "" is in every string: strstr would walk past the end */
    for (const char *p = strstr(list, key); p; p = strstr(p + 1, key))
        if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0')) return true;
    return false;
}

/* Unknown members, the duration, and that the change names something to act on. */
static void check_members(parse_ctx *c, json_t *change, size_t ci, op o, const char *at)
{
    char path[PATH];
    const char *key;
    json_t *v;
    bool names = false;
    json_object_foreach(change, key, v) {
        pathf(path, "%s.%s", at, key);
        bool selector = member_of("links, nodes, countries, borders", key);
        if (!strcmp(key, "op") || !strcmp(key, "note")) continue;
        if (!strcmp(key, "duration_days")) {
            double d = json_is_number(v) ? json_number_value(v) : NAN;
            if (!(d > 0)) fault(c, path, "must be a number of days greater than 0");
            else c->s->durations[ci] = d;
        } else if (member_of(op_members[o], key))
            names = names || selector;
        else if (o != OP_SET || selector || !strcmp(key, "layers"))
            fault(c, path, "unknown member of a \"%s\" change (it takes op, note, duration_days, %s)",
                  op_names[o], op_members[o]);
    }
    if (json_object_get(change, "layers") && !json_object_get(change, "borders")) {
        pathf(path, "%s.layers", at);
        fault(c, path, "applies to borders: this change names none");
    }
    if (!names) fault(c, at, "names nothing to %s (give %s)", op_names[o], op_members[o]);
}

static void parse_change(parse_ctx *c, json_t *change, size_t ci)
{
    char at[PATH], path[PATH];
    pathf(at, "changes[%zu]", ci);
    if (!json_is_object(change)) {
        fault(c, at, "a change must be an object, not %s", cor_json_type_name(change));
        return;
    }
    const char *name = json_string_value(json_object_get(change, "op"));
    pathf(path, "%s.op", at);
    op o = 0;
    while (name && o < OP_COUNT && strcmp(op_names[o], name)) o++;
    if (!name || o == OP_COUNT) {
        fault(c, path, "%s%s%s: expected open, close, scale, set or add", name ? "unknown operation '" : "missing",
              name ? name : "", name ? "'" : "");
        return;
    }
    check_members(c, change, ci, o, at); /* reports; the rest is still read, for its faults */
    cor_link_status open = COR_STATUS_OPEN, closed = COR_STATUS_CLOSED;
    bool links = json_object_get(change, "links") || json_object_get(change, "borders");
    bool nodes = json_object_get(change, "nodes") || json_object_get(change, "countries");
    switch (o) {
    case OP_OPEN: each_link(c, change, at, set_status, &open); break;
    case OP_CLOSE:
        each_link(c, change, at, set_status, &closed);
        each_node(c, change, at, close_node, NULL);
        break;
    case OP_SCALE: {
        json_t *v = json_object_get(change, "capacity");
        double f = json_is_number(v) ? json_number_value(v) : NAN;
        pathf(path, "%s.capacity", at);
        if (!(f >= 0)) fault(c, path, "must be a factor of 0 or more (0.5 halves the capacity)");
        else if (ensure_copy(c)) {
            each_link(c, change, at, scale_link, &f);
            each_node(c, change, at, scale_node, &f);
        }
        break;
    }
    case OP_SET: {
        figures fs = {.at = at};
        size_t before = c->err->count + c->err->dropped;
        read_figures(c, change, &fs, links, nodes);
        if (c->err->count + c->err->dropped == before && ensure_copy(c)) {
            each_link(c, change, at, set_link, &fs);
            each_node(c, change, at, set_node, &fs);
        }
        break;
    }
    default: /* add: nodes first, so the links may join them */
        if (!ensure_copy(c)) break;
        for (int k = 0; k < 2; k++) {
            json_t *arr = json_object_get(change, k ? "links" : "nodes");
            pathf(path, "%s.%s", at, k ? "links" : "nodes");
            if (arr && !json_is_array(arr)) fault(c, path, "must be an array of objects");
            else if (arr && k) add_links(c, arr, at);
            else if (arr) add_nodes(c, arr, at);
        }
    }
}

/* Links and nodes the "add" changes may append, so the overlay is sized once. */
static void count_additions(json_t *changes, size_t *links, size_t *nodes)
{
    size_t i;
    json_t *ch;
    *links = *nodes = 0;
    json_array_foreach(changes, i, ch) {
        const char *o = json_string_value(json_object_get(ch, "op"));
        if (!o || strcmp(o, "add")) continue;
        *links += json_array_size(json_object_get(ch, "links"));
        *nodes += json_array_size(json_object_get(ch, "nodes"));
    }
}

static uint32_t read_end(parse_ctx *c, json_t *root, const char *key)
{
    json_t *v = json_object_get(root, key);
    uint32_t n = json_is_string(v) ? find_node(c, json_string_value(v)) : COR_NONE;
    if (!v) return COR_NONE;
    if (!json_is_string(v)) fault(c, key, "must be a node id, not %s", cor_json_type_name(v));
    else if (n == COR_NONE) fault(c, key, "no node has the id '%s'", json_string_value(v));
    return n;
}

static bool alloc_overlay(cor_scenario *s, size_t links, size_t nodes, size_t changes)
{
    s->n_links = links;
    s->n_nodes = nodes;
    s->n_changes = changes;
    s->link_status = malloc(links + 1);
    s->node_closed = calloc(nodes + 1, 1);
    s->durations = malloc((changes + 1) * sizeof *s->durations);
    if (!s->link_status || !s->node_closed || !s->durations) return false;
    memset(s->link_status, UNCHANGED, links + 1);
    for (size_t i = 0; i <= changes; i++) s->durations[i] = NAN;
    return true;
}

static void parse_root(parse_ctx *c, json_t *root)
{
    static const char *const keys[] = {"name", "description", "source", "changes", "from", "to", NULL};
    if (!json_is_object(root)) {
        fault(c, "", "a scenario must be a JSON object, not %s", cor_json_type_name(root));
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        size_t k = 0;
        while (keys[k] && strcmp(keys[k], key) != 0) k++;
        if (!keys[k])
            fault(c, key, "unknown member (expected name, description, source, from, to, changes)");
    }
    const char *name = json_string_value(json_object_get(root, "name"));
    const char *description = json_string_value(json_object_get(root, "description"));
    if (!name) fault(c, "name", "missing: a scenario needs a name");
    else c->s->name = strdup(name);
    if (description) c->s->description = strdup(description);
    json_t *changes = json_object_get(root, "changes");
    if (!json_is_array(changes)) {
        fault(c, "changes", "missing or not an array");
        return;
    }
    size_t links, nodes, i;
    count_additions(changes, &links, &nodes);
    if (!alloc_overlay(c->s, c->net->n_links + links, c->net->n_nodes + nodes, json_array_size(changes))) {
        cor_error_add(c->err, COR_ERR_NOMEM, c->origin, -1, -1, NULL, "out of memory");
        return;
    }
    json_array_foreach(changes, i, v) parse_change(c, v, i);
    c->s->from = read_end(c, root, "from");
    c->s->to = read_end(c, root, "to");
}

/* ---------------------------------------------------------------- the scenario's network */

/* The base's corridors, handed to the builder again (ids for indices). */
static bool copy_corridors(const cor_network *net, cor_builder *b)
{
    for (size_t i = 0; i < net->n_corridors; i++) {
        const cor_corridor *k = &net->corridors[i];
        size_t n = k->n_groups ? k->group_end[k->n_groups - 1] : 0;
        const char **ids = malloc((n + 1) * sizeof *ids);
        size_t *sizes = malloc((k->n_groups + 1) * sizeof *sizes);
        bool ok = ids && sizes;
        for (size_t j = 0; ok && j < n; j++) ids[j] = cor_net_node(net, k->through[j])->id;
        for (size_t g = 0; ok && g < k->n_groups; g++)
            sizes[g] = k->group_end[g] - (g ? k->group_end[g - 1] : 0);
        cor_corridor_spec spec = {k->id, k->name, k->description, k->avoid_countries,
                                  k->n_avoid_countries, k->modes, ids, sizes, k->n_groups};
        ok = ok && cor_builder_add_corridor(b, &spec, -1, -1) == COR_OK;
        free(ids);
        free(sizes);
        if (!ok) return false;
    }
    return true;
}

/* The builder's problems, at the places in the scenario of the elements they concern. */
static void report_build_problems(parse_ctx *c, const cor_error *e)
{
    char path[PATH];
    for (size_t i = 0; i < e->count; i++) {
        const cor_problem *p = &e->problems[i];
        if (p->feature >= 0 && (size_t)p->feature < c->n_places) {
            pathf(path, "%s%s%s", c->places[p->feature].path, p->field[0] ? "." : "",
                     p->field);
            cor_error_add(c->err, p->status, c->origin, -1, -1, path, "%s", p->message);
        } else
            cor_error_add(c->err, p->status, c->origin, -1, -1, p->field[0] ? p->field : NULL, "%s",
                          p->message);
    }
    if (e->dropped) c->err->dropped += e->dropped;
}

static void build_own_network(parse_ctx *c)
{
    const cor_network *net = c->net;
    cor_builder *b = cor_builder_new(net->file);
    cor_error e;
    cor_error_init(&e);
    bool ok = b && cor_builder_reserve(b, c->n_nodes, c->n_links) == COR_OK;
    if (b) cor_builder_set_format(b, net->format);
    for (uint32_t n = 0; ok && n < c->n_nodes; n++)
        ok = cor_builder_add_node(b, &c->nodes[n], -1, c->node_place[n]) == COR_OK;
    for (uint32_t i = 0; ok && i < c->n_links; i++) {
        cor_link l = c->links[i];
        const double *xy = NULL;
        size_t n_xy = 0;
        if (i < net->n_links) { /* ends by index: no lookups */
            l.from_id = l.to_id = NULL;
            n_xy = l.geom_count;
            xy = n_xy ? net->coords + 2 * (size_t)l.geom_first : NULL;
        } else {
            xy = c->xy[i - net->n_links];
            n_xy = c->n_xy[i - net->n_links];
        }
        ok = cor_builder_add_link(b, &l, n_xy ? xy : NULL, n_xy, -1, c->link_place[i]) == COR_OK;
    }
    ok = ok && copy_corridors(net, b);
    if (!ok) {
        cor_builder_free(b);
        cor_error_add(c->err, COR_ERR_NOMEM, c->origin, -1, -1, NULL, "out of memory");
    } else if (cor_builder_finish(b, &c->s->own, &e) != COR_OK)
        report_build_problems(c, &e);
    c->s->adds = c->n_links > net->n_links || c->n_nodes > net->n_nodes;
    cor_error_clear(&e);
}

static void parse_ctx_clear(parse_ctx *c)
{
    for (size_t k = 0; c->xy && k < c->s->n_links - c->net->n_links; k++) free(c->xy[k]);
    free(c->xy);
    free(c->n_xy);
    free(c->links);
    free(c->nodes);
    free(c->link_place);
    free(c->node_place);
    free(c->places);
}

/* ---------------------------------------------------------------- API */

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
    if (!s) {
        json_decref(root);
        return cor_error_add(err, COR_ERR_NOMEM, origin, -1, -1, NULL, "out of memory");
    }
    s->base = net;
    s->from = s->to = COR_NONE;
    parse_ctx c = {.net = net, .s = s, .err = err, .origin = origin,
                   .before = err->count + err->dropped};
    parse_root(&c, root);
    if (!faulty(&c) && c.links) build_own_network(&c);
    parse_ctx_clear(&c);
    json_decref(root); /* after the build: added elements' strings live in the document */
    if (faulty(&c) || !s->name) {
        cor_scenario_free(s);
        return c.before < err->count ? err->problems[c.before].status : COR_ERR_INPUT;
    }
    *out = s;
    return COR_OK;
}

cor_status cor_scenario_load(cor_scenario **out, const char *path, const cor_network *net,
                             cor_error *err)
{
    return cor_scenario_load_with(out, path, net, NULL, err);
}

cor_status cor_scenario_load_with(cor_scenario **out, const char *path, const cor_network *net,
                                  const cor_load_options *opt, cor_error *err)
{
    *out = NULL;
    char *text;
    size_t len;
    cor_status st = cor_file_read(path, opt, &text, &len, err);
    if (st == COR_OK) st = cor_scenario_parse(out, text, len, path, net, err);
    free(text);
    return st;
}

void cor_scenario_free(cor_scenario *s)
{
    if (!s) return;
    free(s->name);
    free(s->description);
    free(s->link_status);
    free(s->node_closed);
    free(s->durations);
    if (!s->own_borrowed) cor_network_free(s->own);
    free(s);
}

const char *cor_scenario_name(const cor_scenario *s)
{
    return s ? s->name : NULL;
}

const char *cor_scenario_description(const cor_scenario *s)
{
    return s ? s->description : NULL;
}

const cor_network *cor_scenario_network(const cor_scenario *s)
{
    return s->own ? s->own : s->base;
}

const cor_network *cor_scenario_base(const cor_scenario *s)
{
    return s->base;
}

size_t cor_scenario_change_count(const cor_scenario *s)
{
    return s->n_changes;
}

double cor_scenario_change_days(const cor_scenario *s, size_t change)
{
    return change < s->n_changes ? s->durations[change] : NAN;
}

double cor_scenario_duration_days(const cor_scenario *s)
{
    double d = NAN;
    for (size_t i = 0; i < s->n_changes; i++)
        if (isnan(d) || s->durations[i] > d) d = s->durations[i];
    return d;
}

void cor_scenario_pair(const cor_scenario *s, uint32_t *from, uint32_t *to)
{
    *from = s->from;
    *to = s->to;
}

cor_link_status cor_scenario_status_of(const cor_scenario *s, uint32_t link,
                                       cor_link_status own)
{
    return s && link < s->n_links && s->link_status[link] != UNCHANGED
               ? (cor_link_status)s->link_status[link]
               : own;
}

cor_link_status cor_scenario_link_status(const cor_scenario *s, const cor_network *net,
                                         uint32_t link)
{
    if (s && link < s->n_links && s->link_status[link] != UNCHANGED)
        return (cor_link_status)s->link_status[link];
    cor_link buf; /* a peek: fills no records */
    return cor_net_link_peek(net, link, &buf)->status;
}

bool cor_scenario_node_closed(const cor_scenario *s, uint32_t node)
{
    return s && node < s->n_nodes && s->node_closed[node];
}

cor_status cor_scenario_resolve(const cor_scenario *s, const cor_network **net, cor_error *err)
{
    if (!s || *net == s->own) return COR_OK;
    if (*net != s->base)
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "scenario",
                             "the scenario '%s' was read for another network", s->name);
    if (s->adds)
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "scenario",
                             "the scenario '%s' adds links or nodes: run it on its own network "
                             "(cor_scenario_network), not the base",
                             s->name);
    if (s->own) *net = s->own;
    return COR_OK;
}

bool cor_scenario_adds(const cor_scenario *s)
{
    return s && s->adds;
}

cor_status cor_scenario_opening(cor_scenario **out, const cor_network *net,
                                const cor_scenario *s, const uint32_t *links, size_t n,
                                cor_error *err)
{
    *out = NULL;
    const cor_network *use = s ? cor_scenario_network(s) : net;
    cor_scenario *o = calloc(1, sizeof *o);
    if (o) {
        o->name = strdup(s ? s->name : "clearance");
        o->link_status = malloc(use->n_links + 1);
        o->node_closed = calloc(use->n_nodes + 1, 1);
        o->durations = malloc(sizeof *o->durations);
    }
    if (!o || !o->name || !o->link_status || !o->node_closed || !o->durations) {
        cor_scenario_free(o);
        return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    }
    o->base = s ? s->base : net;
    o->own = s ? s->own : NULL;
    o->own_borrowed = true;
    o->adds = s && s->adds;
    o->n_links = use->n_links;
    o->n_nodes = use->n_nodes;
    o->from = s ? s->from : COR_NONE;
    o->to = s ? s->to : COR_NONE;
    for (size_t l = 0; l < use->n_links; l++)
        o->link_status[l] = s && l < s->n_links ? s->link_status[l] : UNCHANGED;
    for (size_t v = 0; s && v < use->n_nodes && v < s->n_nodes; v++)
        o->node_closed[v] = s->node_closed[v];
    for (size_t i = 0; i < n; i++) {
        if (links[i] >= use->n_links) continue;
        cor_link buf;
        cor_link_status own = cor_net_link_peek(use, links[i], &buf)->status;
        cor_link_status now = cor_scenario_link_status(s, use, links[i]);
        if (now == own && (own == COR_STATUS_MINED || own == COR_STATUS_CLOSED))
            o->link_status[links[i]] = COR_STATUS_OPEN;
    }
    *out = o;
    return COR_OK;
}
