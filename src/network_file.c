/*
 * network_file.c — a network and its compiled graphs saved as a .cor file, and mapped back.
 *
 * The network is stored by columns: one section per field (node.lon, link.cost, ...), a
 * column left out when every element has the default (NaN, NULL, 0), so a DIMACS road
 * graph stores from, to, kind and cost and nothing else per link. Strings live in one
 * blob ("str", NUL-separated) that the loaded structs point into; coordinates and the two
 * id hash tables are used in place from the mapping. The compiled graphs are stored as
 * their own arrays under "g<k>." (graph_file.c).
 *
 * cor_node and cor_link are public structs with `const char *` members, so they cannot be
 * mapped as they are. They are filled from the columns lazily, 64 at a time, the first
 * time anything reads one (cor_net_node / cor_net_link; a chunk is claimed by
 * compare-and-swap so threads sharing the network fill it once), into arrays whose
 * untouched pages cost nothing; a search's legs only peek (a copy on the stack). Loading
 * is therefore the checks alone: every column's indices and string offsets are checked
 * here, once, so that filling can never fail.
 *
 * The trade-off: each read goes through an accessor with a branch (a byte per 64
 * elements says whether the chunk is there), and the code inside the library must never
 * index the arrays directly (they are named node_array and link_array so that it cannot
 * by accident). Layout and checks: docs/FORMAT.md, "Compiled network file (.cor)".
 */
#include "corfile.h"
#include "graph_internal.h"
#include "network_internal.h"

#include <math.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_STRING UINT32_MAX
#define MAX_SECTIONS 256
#define MAX_PROFILES 16

/* The record "net.meta". */
typedef struct net_meta {
    uint64_t n_nodes, n_links, n_coords, n_corridors;
    uint32_t source_format, source_file; /* source_file: offset in "str" */
    uint32_t n_graphs, reserved;
} net_meta;

/* ---------------------------------------------------------------- the columns */

typedef enum col_type { COL_DOUBLE, COL_STRING, COL_U32, COL_I32 } col_type;

typedef struct column {
    const char *name;
    size_t offset;
    col_type type;
    bool required;
} column;

#define NODE_D(f)                                                                                  \
    {                                                                                              \
        "node." #f, offsetof(cor_node, f), COL_DOUBLE, false                                       \
    }
#define NODE_S(f, r)                                                                               \
    {                                                                                              \
        "node." #f, offsetof(cor_node, f), COL_STRING, r                                           \
    }
#define LINK_D(f)                                                                                  \
    {                                                                                              \
        "link." #f, offsetof(cor_link, f), COL_DOUBLE, false                                       \
    }

static const column node_columns[] = {
    NODE_S(id, true),      NODE_S(name, false),     NODE_S(country, false),
    NODE_S(kind, false),   NODE_S(source, false),   NODE_D(lon),
    NODE_D(lat),           NODE_D(capacity),        NODE_D(transfer_hours),
    NODE_D(transfer_usd),  NODE_D(transfer_co2_kg), NODE_D(transship_hours),
    NODE_D(transship_usd),
};

static const column link_columns[] = {
    {"link.id", offsetof(cor_link, id), COL_STRING, true},
    {"link.source", offsetof(cor_link, source), COL_STRING, false},
    {"link.from", offsetof(cor_link, from), COL_U32, true},
    {"link.to", offsetof(cor_link, to), COL_U32, true},
    {"link.geom_first", offsetof(cor_link, geom_first), COL_U32, false},
    {"link.geom_count", offsetof(cor_link, geom_count), COL_U32, false},
    {"link.gauge_mm", offsetof(cor_link, gauge_mm), COL_I32, false},
    LINK_D(length_km),
    LINK_D(speed_kmh),
    LINK_D(duration_hours),
    LINK_D(cost),
    LINK_D(reverse_cost),
    LINK_D(co2_kg),
    LINK_D(capacity),
    LINK_D(reverse_capacity),
    LINK_D(frequency_per_week),
    LINK_D(border_dwell_hours),
    LINK_D(clearance_days),
};

enum { COL_FROM = 2, COL_TO, COL_GEOM_FIRST, COL_GEOM_COUNT }; /* in link_columns */
enum { NODE_COL_COUNTRY = 2 };                                 /* in node_columns */

#define N_NODE_COLUMNS (sizeof node_columns / sizeof *node_columns)
#define N_LINK_COLUMNS (sizeof link_columns / sizeof *link_columns)

/* "link.kind": layer | mode << 4 | status << 8 | forward << 12 | backward << 13. */
static uint32_t kind_of(const cor_link *l)
{
    return (uint32_t)l->layer | (uint32_t)l->mode << 4 | (uint32_t)l->status << 8 |
           (uint32_t)l->forward << 12 | (uint32_t)l->backward << 13;
}

/* k was checked at load (check_links). */
static void kind_set(cor_link *l, uint32_t k)
{
    l->layer = (cor_layer)(k & 0xf);
    l->mode = (cor_mode)(k >> 4 & 0xf);
    l->status = (cor_link_status)(k >> 8 & 0xf);
    l->forward = k >> 12 & 1;
    l->backward = k >> 13 & 1;
}

static uint32_t elem_size(col_type t)
{
    return t == COL_DOUBLE ? 8 : 4;
}

/* ---------------------------------------------------------------- saving */

typedef struct blob {
    char *data;
    size_t len, cap;
    bool failed;
} blob;

static uint32_t blob_add(blob *b, const char *s)
{
    if (!s) return NO_STRING;
    size_t n = strlen(s) + 1;
    if (b->len + n >= NO_STRING) b->failed = true;
    if (b->failed) return NO_STRING;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 1 << 16;
        while (cap < b->len + n)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) {
            b->failed = true;
            return NO_STRING;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    return (uint32_t)(b->len - n);
}

typedef struct saver {
    const cor_network *net;
    const char *path;
    cor_error *err;
    cor_array s[MAX_SECTIONS];
    size_t n;
    void *owned[MAX_SECTIONS]; /* buffers to free */
    size_t n_owned;
    char names[MAX_SECTIONS][COR_FILE_NAME_MAX];
    blob str;
    cor_graph *graphs[MAX_PROFILES];
    size_t n_graphs;
    cor_cch *cch[MAX_PROFILES]; /* the index of each stored graph, and its metric */
    cor_cch_metric *metric[MAX_PROFILES];
    bool nomem;
} saver;

static void add(saver *sv, const char *name, const void *data, uint64_t count, uint32_t size)
{
    if (sv->n == MAX_SECTIONS) {
        sv->nomem = true;
        return;
    }
    snprintf(sv->names[sv->n], COR_FILE_NAME_MAX, "%s", name);
    sv->s[sv->n] = (cor_array){sv->names[sv->n], data, count, size};
    sv->n++;
}

static void *own(saver *sv, size_t bytes)
{
    void *p = sv->n_owned < MAX_SECTIONS ? malloc(bytes + 1) : NULL;
    if (!p)
        sv->nomem = true;
    else
        sv->owned[sv->n_owned++] = p;
    return p;
}

/* One value of a column from a struct; false when it is the default (left out). */
static bool cell(saver *sv, const column *c, const void *rec, void *out)
{
    const char *p = (const char *)rec + c->offset;
    if (c->type == COL_DOUBLE) {
        memcpy(out, p, 8);
        return !isnan(*(const double *)out);
    }
    if (c->type == COL_STRING) {
        const char *s;
        memcpy(&s, p, sizeof s);
        uint32_t off = blob_add(&sv->str, s);
        memcpy(out, &off, 4);
        return s != NULL;
    }
    memcpy(out, p, 4);
    return *(const uint32_t *)out != 0;
}

/* The column over n records of `stride` bytes, left out when all are defaults. */
static void save_column(saver *sv, const column *c, const void *recs, size_t n, size_t stride)
{
    uint32_t es = elem_size(c->type);
    char *buf = own(sv, n * es);
    if (!buf) return;
    bool any = c->required;
    for (size_t i = 0; i < n; i++)
        any |= cell(sv, c, (const char *)recs + i * stride, buf + i * es);
    if (any) add(sv, c->name, buf, n, es);
}

static void save_links_kind(saver *sv)
{
    const cor_network *net = sv->net;
    uint32_t *kind = own(sv, net->n_links * 4);
    if (!kind) return;
    for (size_t i = 0; i < net->n_links; i++)
        kind[i] = kind_of(&net->link_array[i]);
    add(sv, "link.kind", kind, net->n_links, 4);
}

/* "corridors": per corridor id, name, description (string offsets), modes, then the
 * avoided countries (a count, the offsets), the groups (a count, each group's end), the
 * through nodes (a count, the indices). */
static void save_corridors(saver *sv)
{
    const cor_network *net = sv->net;
    size_t words = 0;
    for (size_t i = 0; i < net->n_corridors; i++) {
        const cor_corridor *c = &net->corridors[i];
        size_t through = c->n_groups ? c->group_end[c->n_groups - 1] : 0;
        words += 7 + c->n_avoid_countries + c->n_groups + through;
    }
    uint32_t *w = own(sv, words * 4);
    if (!w) return;
    size_t k = 0;
    for (size_t i = 0; i < net->n_corridors; i++) {
        const cor_corridor *c = &net->corridors[i];
        size_t through = c->n_groups ? c->group_end[c->n_groups - 1] : 0;
        w[k++] = blob_add(&sv->str, c->id);
        w[k++] = blob_add(&sv->str, c->name);
        w[k++] = blob_add(&sv->str, c->description);
        w[k++] = c->modes;
        w[k++] = (uint32_t)c->n_avoid_countries;
        for (size_t j = 0; j < c->n_avoid_countries; j++)
            w[k++] = blob_add(&sv->str, c->avoid_countries[j]);
        w[k++] = (uint32_t)c->n_groups;
        for (size_t j = 0; j < c->n_groups; j++)
            w[k++] = c->group_end[j];
        w[k++] = (uint32_t)through;
        for (size_t j = 0; j < through; j++)
            w[k++] = c->through[j];
    }
    add(sv, "corridors", w, words, 4);
}

/* "about": the network's name and unit (string offsets); "demand": its reference demand,
 * three words a pair (from, to, then the quantity's index into "demand.quantity"). */
static void save_about(saver *sv)
{
    const cor_network *net = sv->net;
    uint32_t *w = own(sv, 2 * 4);
    if (!w) return;
    w[0] = blob_add(&sv->str, net->name);
    w[1] = blob_add(&sv->str, net->unit);
    add(sv, "about", w, 2, 4);
    if (!net->n_demand) return;
    uint32_t *ends = own(sv, 2 * 4 * net->n_demand);
    double *q = own(sv, 8 * net->n_demand);
    if (!ends || !q) return;
    for (size_t i = 0; i < net->n_demand; i++) {
        ends[2 * i] = net->demand[i].from;
        ends[2 * i + 1] = net->demand[i].to;
        q[i] = net->demand[i].quantity;
    }
    add(sv, "demand.ends", ends, 2 * net->n_demand, 4);
    add(sv, "demand.quantity", q, net->n_demand, 8);
}

static cor_status save_graphs(saver *sv, const cor_profile *profiles, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        const cor_profile *p = &profiles[k];
        if (p->scenario || p->n_avoid_countries || p->n_avoid_nodes || p->n_avoid_links)
            return cor_error_add(sv->err, COR_ERR_USAGE, sv->path, -1, -1, "profiles",
                                 "a stored profile cannot avoid elements or use a scenario");
        cor_status st = cor_graph_compile_topology(&sv->graphs[k], sv->net, p, sv->err);
        if (st != COR_OK) return st;
        sv->n_graphs++;
        if ((st = cor_graph_check(sv->graphs[k], sv->err)) != COR_OK) return st;
        cor_array a[16];
        size_t na = cor_graph_arrays(sv->graphs[k], a, 16);
        for (size_t i = 0; i < na; i++) {
            char name[COR_FILE_NAME_MAX];
            snprintf(name, sizeof name, "g%zu.%s", k, a[i].name);
            add(sv, name, a[i].data, a[i].count, a[i].elem_size);
        }
    }
    return COR_OK;
}

/* The routing index of each stored graph (cor_cch_build, default order) and its metric for
 * the graph's own weights: sections "c<k>.<name>" and "m<k>.<name>". */
static cor_status save_indexes(saver *sv)
{
    for (size_t k = 0; k < sv->n_graphs; k++) {
        cor_status st = cor_cch_build(&sv->cch[k], sv->graphs[k], COR_CCH_ORDER_DEFAULT, sv->err);
        if (st == COR_OK) st = cor_cch_customize(&sv->metric[k], sv->cch[k], NULL, sv->err);
        if (st != COR_OK) return st;
        cor_array a[32];
        size_t na = cor_cch_arrays(sv->cch[k], a, 32);
        size_t nm = cor_cch_metric_arrays(sv->metric[k], a + na, 32 - na);
        if (na + nm > 32) return cor_error_add(sv->err, COR_ERR_USAGE, sv->path, -1, -1, NULL,
                                               "the index has too many arrays");
        for (size_t i = 0; i < na + nm; i++) {
            char name[COR_FILE_NAME_MAX];
            snprintf(name, sizeof name, "%c%zu.%s", i < na ? 'c' : 'm', k, a[i].name);
            add(sv, name, a[i].data, a[i].count, a[i].elem_size);
        }
    }
    return COR_OK;
}

static void save_network(saver *sv, net_meta *meta)
{
    const cor_network *net = sv->net;
    for (size_t i = 0; i < net->n_nodes; i += (size_t)1 << COR_CHUNK_BITS)
        (void)cor_net_node(net, (uint32_t)i); /* a mapped network: every chunk filled */
    for (size_t i = 0; i < net->n_links; i += (size_t)1 << COR_CHUNK_BITS)
        (void)cor_net_link(net, (uint32_t)i);
    for (size_t c = 0; c < N_NODE_COLUMNS; c++)
        save_column(sv, &node_columns[c], net->node_array, net->n_nodes, sizeof *net->node_array);
    for (size_t c = 0; c < N_LINK_COLUMNS; c++)
        save_column(sv, &link_columns[c], net->link_array, net->n_links, sizeof *net->link_array);
    save_links_kind(sv);
    add(sv, "coords", net->coords, 2 * (uint64_t)net->n_coords, 8);
    add(sv, "node.index", net->node_index.slots, net->node_index.mask + 1, 8);
    add(sv, "link.index", net->link_index.slots, net->link_index.mask + 1, 8);
    save_corridors(sv);
    save_about(sv);
    memset(meta, 0, sizeof *meta);
    meta->n_nodes = net->n_nodes;
    meta->n_links = net->n_links;
    meta->n_coords = net->n_coords;
    meta->n_corridors = net->n_corridors;
    meta->source_format = (uint32_t)net->format;
    meta->source_file = blob_add(&sv->str, net->file);
}

static void saver_clear(saver *sv)
{
    for (size_t i = 0; i < sv->n_owned; i++)
        free(sv->owned[i]);
    for (size_t i = 0; i < sv->n_graphs; i++) {
        cor_cch_metric_free(sv->metric[i]);
        cor_cch_free(sv->cch[i]);
        cor_graph_free(sv->graphs[i]);
    }
    free(sv->str.data);
}

cor_status cor_network_save(const cor_network *net, const char *path, const cor_profile *profiles,
                            size_t n_profiles, cor_error *err)
{
    cor_output out;
    cor_status st = cor_output_open(&out, path, err);
    if (st != COR_OK) return st;
    st = cor_network_write(net, &out, path, profiles, n_profiles, err);
    if (st != COR_OK) {
        cor_output_discard(&out);
        return st;
    }
    return cor_output_commit(&out, path, err);
}

cor_status cor_network_write(const cor_network *net, cor_output *out, const char *path,
                             const cor_profile *profiles, size_t n_profiles, cor_error *err)
{
    if (net->n_nodes >= UINT32_MAX || net->n_links >= (UINT32_MAX >> 1) ||
        2 * (uint64_t)net->n_coords >= UINT32_MAX)
        return cor_error_add(err, COR_ERR_USAGE, path, -1, -1, NULL,
                             "%zu nodes and %zu links: past the 32-bit indices a .cor holds",
                             net->n_nodes, net->n_links);
    if (n_profiles > MAX_PROFILES)
        return cor_error_add(err, COR_ERR_USAGE, path, -1, -1, "profiles",
                             "%zu profiles, at most %d", n_profiles, MAX_PROFILES);
    saver *sv = calloc(1, sizeof *sv);
    if (!sv) return cor_error_add(err, COR_ERR_NOMEM, path, -1, -1, NULL, "out of memory");
    sv->net = net;
    sv->path = path;
    sv->err = err;
    net_meta meta;
    add(sv, "net.meta", &meta, 1, sizeof meta);
    save_network(sv, &meta);
    cor_status st = save_graphs(sv, profiles, n_profiles);
    if (st == COR_OK) st = save_indexes(sv);
    meta.n_graphs = (uint32_t)sv->n_graphs;
    add(sv, "str", sv->str.data ? sv->str.data : "", sv->str.len, 1);
    if (st == COR_OK && (sv->nomem || sv->str.failed))
        st = cor_error_add(err, COR_ERR_NOMEM, path, -1, -1, NULL,
                           "out of memory (or strings past 4 GiB) while saving");
    if (st == COR_OK) st = cor_file_write_to(out, path, sv->s, sv->n, err);
    saver_clear(sv);
    free(sv);
    return st;
}

/* ---------------------------------------------------------------- loading */

typedef struct reader {
    cor_file *f;
    cor_network *net;
    const char *str;
    uint64_t str_len;
    cor_error *err;
} reader;

static cor_status damaged(const reader *r, const char *section, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static cor_status damaged(const reader *r, const char *section, const char *fmt, ...)
{
    char field[64];
    snprintf(field, sizeof field, "section '%s'", section);
    va_list ap;
    va_start(ap, fmt);
    cor_status st =
        cor_error_addv(r->err, COR_ERR_INPUT, cor_file_path(r->f), -1, -1, field, fmt, ap);
    va_end(ap);
    return st;
}

/* A string of the blob, or NULL for NO_STRING; false when the offset is out of range. */
static bool string_at(const reader *r, uint32_t off, const char **out)
{
    if (off == NO_STRING) {
        *out = NULL;
        return true;
    }
    if (off >= r->str_len) return false;
    *out = r->str + off;
    return true;
}

/* The columns of one kind of record, fetched and checked. */
struct cor_link_source {
    const void *col[N_LINK_COLUMNS];
    const uint32_t *kind;
    const char *str;
};

struct cor_node_source {
    const void *col[N_NODE_COLUMNS]; /* col[0]: node.id */
    const char *str;
};

/* Fills records [begin, end) from the columns (data[c] NULL: the default) into out, which
 * holds record `begin` first. Column by column within a chunk that stays in cache. Cannot
 * fail: the columns were checked. */
static void fill_records(const column *cols, size_t n_cols, const void *const *data,
                         const char *str, void *out, size_t stride, size_t begin, size_t end)
{
    for (size_t c = 0; c < n_cols; c++) {
        size_t off = cols[c].offset;
        const void *d = data[c];
        for (size_t i = begin; i < end; i++) {
            char *p = (char *)out + (i - begin) * stride + off;
            if (cols[c].type == COL_DOUBLE) {
                double v = d ? ((const double *)d)[i] : NAN;
                memcpy(p, &v, 8);
            } else if (cols[c].type == COL_STRING) {
                uint32_t o = d ? ((const uint32_t *)d)[i] : NO_STRING;
                const char *v = o == NO_STRING ? NULL : str + o;
                memcpy(p, &v, sizeof v);
            } else {
                uint32_t v = d ? ((const uint32_t *)d)[i] : 0;
                memcpy(p, &v, 4);
            }
        }
    }
}

/* Fetches every column (counts checked) and checks its strings point into the blob. */
static cor_status fetch_columns(const reader *r, const column *cols, size_t n_cols, size_t n,
                                const void **data)
{
    for (size_t c = 0; c < n_cols; c++) {
        cor_status st = cor_file_get(r->f, cols[c].name, elem_size(cols[c].type), n,
                                     cols[c].required, &data[c], NULL, r->err);
        if (st != COR_OK) return st;
        if (cols[c].type != COL_STRING || !data[c]) continue;
        const uint32_t *o = data[c];
        for (size_t i = 0; i < n; i++)
            if (o[i] == NO_STRING ? cols[c].required : o[i] >= r->str_len)
                return damaged(r, cols[c].name, "element %zu points outside the strings", i);
    }
    return COR_OK;
}

static cor_status check_links(const reader *r, const cor_link_source *src)
{
    const cor_network *net = r->net;
    const uint32_t *from = src->col[COL_FROM], *to = src->col[COL_TO],
                   *first = src->col[COL_GEOM_FIRST], *count = src->col[COL_GEOM_COUNT];
    unsigned ends = 0, kinds = 0, geometry = 0; /* branch-free scans */
    size_t n = net->n_links;
    uint32_t nn = (uint32_t)net->n_nodes;
    for (size_t i = 0; i < n; i++)
        ends |= (from[i] >= nn) | (to[i] >= nn);
    for (size_t i = 0; i < n; i++) {
        uint32_t k = src->kind[i];
        kinds |= ((k & 0xf) >= COR_LAYER_COUNT) | ((k >> 4 & 0xf) >= COR_MODE_COUNT) |
                 ((k >> 8 & 0xf) >= COR_STATUS_COUNT) | (k >> 14 != 0);
    }
    for (size_t i = 0; (first || count) && i < n; i++)
        geometry |= (first ? first[i] : 0) + (uint64_t)(count ? count[i] : 0) > net->n_coords;
    if (ends) return damaged(r, "link.from", "a link has an end outside the nodes");
    if (kinds) return damaged(r, "link.kind", "a link has an unknown layer, mode or status");
    if (geometry)
        return damaged(r, "link.geom_first", "a link has a geometry outside the coordinates");
    return COR_OK;
}

static void fill_links_into(const cor_network *net, cor_link *out, size_t begin, size_t end)
{
    const cor_link_source *src = net->link_source;
    const uint32_t *node_id = net->node_source->col[0];
    fill_records(link_columns, N_LINK_COLUMNS, src->col, src->str, out, sizeof *out, begin, end);
    for (size_t i = begin; i < end; i++) {
        cor_link *l = &out[i - begin];
        kind_set(l, src->kind[i]);
        l->from_id = src->str + node_id[l->from]; /* without filling the nodes */
        l->to_id = src->str + node_id[l->to];
    }
}

static void fill_links(const cor_network *net, size_t begin, size_t end)
{
    fill_links_into(net, &net->link_array[begin], begin, end);
}

/* Fills chunk c of a lazily filled array once: the first thread to claim it fills it, the
 * others wait until it is ready. */
static void fill_chunk(const cor_network *net, _Atomic uint8_t *state, size_t c, size_t n,
                       void (*fill)(const cor_network *, size_t, size_t))
{
    uint8_t empty = 0;
    if (atomic_compare_exchange_strong(&state[c], &empty, 1)) {
        size_t begin = c << COR_CHUNK_BITS, end = begin + ((size_t)1 << COR_CHUNK_BITS);
        fill(net, begin, end < n ? end : n);
        atomic_store_explicit(&state[c], 2, memory_order_release);
    } else
        while (atomic_load_explicit(&state[c], memory_order_acquire) != 2)
            sched_yield(); /* another thread fills it: a few microseconds */
}

const cor_link *cor_net_link_fill(const cor_network *net, uint32_t i)
{
    fill_chunk(net, net->link_state, i >> COR_CHUNK_BITS, net->n_links, fill_links);
    return &net->link_array[i];
}

static void fill_nodes(const cor_network *net, size_t begin, size_t end)
{
    const cor_node_source *src = net->node_source;
    fill_records(node_columns, N_NODE_COLUMNS, src->col, src->str, &net->node_array[begin],
                 sizeof *net->node_array, begin, end);
}

static bool filled(_Atomic uint8_t *state, uint32_t i)
{
    return !state || atomic_load_explicit(&state[i >> COR_CHUNK_BITS], memory_order_acquire) == 2;
}

const cor_link *cor_net_link_peek(const cor_network *net, uint32_t i, cor_link *buf)
{
    if (filled(net->link_state, i)) return &net->link_array[i];
    fill_links_into(net, buf, i, (size_t)i + 1);
    return buf;
}

const char *cor_net_node_country(const cor_network *net, uint32_t i)
{
    if (filled(net->node_state, i)) return net->node_array[i].country;
    const uint32_t *c = net->node_source->col[NODE_COL_COUNTRY];
    return !c || c[i] == NO_STRING ? NULL : net->node_source->str + c[i];
}

const char *cor_net_node_id(const cor_network *net, uint32_t i)
{
    if (filled(net->node_state, i)) return net->node_array[i].id;
    const uint32_t *c = net->node_source->col[0]; /* node.id, required */
    return c[i] == NO_STRING ? NULL : net->node_source->str + c[i];
}

const char *cor_net_link_id(const cor_network *net, uint32_t i)
{
    if (filled(net->link_state, i)) return net->link_array[i].id;
    const uint32_t *c = net->link_source->col[0]; /* link.id, required */
    return c[i] == NO_STRING ? NULL : net->link_source->str + c[i];
}

const cor_node *cor_net_node_fill(const cor_network *net, uint32_t i)
{
    fill_chunk(net, net->node_state, i >> COR_CHUNK_BITS, net->n_nodes, fill_nodes);
    return &net->node_array[i];
}

bool cor_net_link_end_columns(const cor_network *net, const uint32_t **from, const uint32_t **to)
{
    if (!net->link_source) return false;
    *from = net->link_source->col[COL_FROM];
    *to = net->link_source->col[COL_TO];
    return true;
}

void cor_network_copy_nodes(const cor_network *net, cor_node *dst)
{
    for (size_t i = 0; i < net->n_nodes; i++)
        dst[i] = *cor_net_node(net, (uint32_t)i);
}

void cor_network_copy_links(const cor_network *net, cor_link *dst)
{
    for (size_t i = 0; i < net->n_links; i++)
        dst[i] = *cor_net_link(net, (uint32_t)i);
}

void cor_network_view_links(cor_network *view, cor_link *links)
{
    view->link_array = links;
    view->link_state = NULL;
    view->link_source = NULL;
}

static cor_status load_links(reader *r)
{
    cor_network *net = r->net;
    cor_link_source *src = calloc(1, sizeof *src);
    size_t chunks = (net->n_links >> COR_CHUNK_BITS) + 1;
    /* Untouched pages of the array cost no memory: only the chunks read are filled. */
    net->link_array = malloc((net->n_links + 1) * sizeof *net->link_array);
    net->link_state = calloc(chunks, sizeof *net->link_state);
    net->link_source = src;
    if (!src || !net->link_array || !net->link_state)
        return cor_error_add(r->err, COR_ERR_NOMEM, cor_file_path(r->f), -1, -1, NULL,
                             "out of memory for %zu links", net->n_links);
    src->str = r->str;
    cor_status st = fetch_columns(r, link_columns, N_LINK_COLUMNS, net->n_links, src->col);
    if (st == COR_OK)
        st = cor_file_get(r->f, "link.kind", 4, net->n_links, true, (const void **)&src->kind, NULL,
                          r->err);
    return st == COR_OK ? check_links(r, src) : st;
}

static cor_status load_nodes(reader *r)
{
    cor_network *net = r->net;
    cor_node_source *src = calloc(1, sizeof *src);
    net->node_array = malloc((net->n_nodes + 1) * sizeof *net->node_array);
    net->node_state = calloc((net->n_nodes >> COR_CHUNK_BITS) + 1, sizeof *net->node_state);
    net->node_source = src;
    if (!src || !net->node_array || !net->node_state)
        return cor_error_add(r->err, COR_ERR_NOMEM, cor_file_path(r->f), -1, -1, NULL,
                             "out of memory for %zu nodes", net->n_nodes);
    src->str = r->str;
    return fetch_columns(r, node_columns, N_NODE_COLUMNS, net->n_nodes, src->col);
}

/* A hash table used in place: a power-of-two size above n. Its slots are not read here:
 * lookups never follow an entry past n and stop after one turn (network.c), and the
 * checksum keeps them as written. */
static cor_status load_index(reader *r, const char *name, size_t n, cor_index *ix)
{
    const uint64_t *slots;
    uint64_t count;
    cor_status st =
        cor_file_get(r->f, name, 8, UINT64_MAX, true, (const void **)&slots, &count, r->err);
    if (st != COR_OK) return st;
    if (count <= n || (count & (count - 1)) || count > ((uint64_t)4 << 32))
        return damaged(r, name, "has %llu slots for %zu entries", (unsigned long long)count, n);
    ix->slots = (uint64_t *)slots;
    ix->mask = (size_t)count - 1;
    return COR_OK;
}

/* The next word of the "corridors" stream, or false at its end. */
typedef struct words {
    const uint32_t *w;
    uint64_t n, at;
} words;

static bool next_word(words *w, uint32_t *out)
{
    if (w->at >= w->n) return false;
    *out = w->w[w->at++];
    return true;
}

static cor_status load_corridor(reader *r, words *w, cor_corridor *c)
{
    uint32_t id = 0, name = 0, desc = 0, modes = 0, n_avoid = 0, n_groups = 0, n_through = 0, v;
    bool ok = next_word(w, &id) && next_word(w, &name) && next_word(w, &desc) &&
              next_word(w, &modes) && next_word(w, &n_avoid) && n_avoid <= w->n - w->at;
    ok = ok && string_at(r, id, &c->id) && string_at(r, name, &c->name) &&
         string_at(r, desc, &c->description) && c->id && c->name;
    const char **avoid = ok ? calloc((size_t)n_avoid + 1, sizeof *avoid) : NULL;
    c->avoid_countries = avoid;
    c->n_avoid_countries = n_avoid;
    c->modes = modes;
    for (uint32_t i = 0; avoid && i < n_avoid; i++)
        ok = ok && next_word(w, &v) && string_at(r, v, &avoid[i]) && avoid[i];
    ok = avoid && ok && next_word(w, &n_groups) && n_groups <= w->n - w->at;
    uint32_t *ends = ok ? calloc((size_t)n_groups + 1, sizeof *ends) : NULL;
    c->group_end = ends;
    c->n_groups = n_groups;
    for (uint32_t g = 0; ends && g < n_groups; g++)
        ok = ok && next_word(w, &ends[g]) && ends[g] >= (g ? ends[g - 1] : 0);
    ok = ends && ok && next_word(w, &n_through) && n_through <= w->n - w->at &&
         n_through == (n_groups ? ends[n_groups - 1] : 0);
    uint32_t *through = ok ? calloc((size_t)n_through + 1, sizeof *through) : NULL;
    c->through = through;
    for (uint32_t i = 0; through && i < n_through; i++)
        ok = ok && next_word(w, &through[i]) && through[i] < r->net->n_nodes;
    return ok && through ? COR_OK : damaged(r, "corridors", "a corridor is damaged");
}

static cor_status load_corridors(reader *r, uint64_t n)
{
    words w = {NULL, 0, 0};
    cor_status st =
        cor_file_get(r->f, "corridors", 4, UINT64_MAX, true, (const void **)&w.w, &w.n, r->err);
    if (st != COR_OK) return st;
    if (n > w.n / 7)
        return damaged(r, "corridors", "%llu corridors cannot fit", (unsigned long long)n);
    r->net->corridors = calloc((size_t)n + 1, sizeof *r->net->corridors);
    if (!r->net->corridors)
        return cor_error_add(r->err, COR_ERR_NOMEM, cor_file_path(r->f), -1, -1, NULL,
                             "out of memory");
    for (uint64_t i = 0; i < n && st == COR_OK; i++) {
        st = load_corridor(r, &w, &r->net->corridors[i]);
        r->net->n_corridors++;
    }
    if (st == COR_OK && w.at != w.n) st = damaged(r, "corridors", "has words left over");
    return st;
}

/* The name, unit and reference demand (sections absent in files without them). */
static cor_status load_about(reader *r)
{
    cor_network *net = r->net;
    const uint32_t *w = NULL, *ends = NULL;
    const double *q = NULL;
    uint64_t n = 0, nq = 0;
    cor_status st = cor_file_get(r->f, "about", 4, 2, false, (const void **)&w, &n, r->err);
    if (st != COR_OK) return st;
    if (w && !(string_at(r, w[0], &net->name) && string_at(r, w[1], &net->unit)))
        return damaged(r, "about", "a string offset is out of range");
    if ((st = cor_file_get(r->f, "demand.ends", 4, UINT64_MAX, false, (const void **)&ends, &n,
                           r->err)) != COR_OK ||
        (st = cor_file_get(r->f, "demand.quantity", 8, ends ? n / 2 : 0, ends != NULL,
                           (const void **)&q, &nq, r->err)) != COR_OK)
        return st;
    if (!ends) return COR_OK;
    if (n % 2 || nq != n / 2) return damaged(r, "demand.ends", "odd or unmatched pairs");
    net->demand = calloc((size_t)nq + 1, sizeof *net->demand);
    if (!net->demand)
        return cor_error_add(r->err, COR_ERR_NOMEM, cor_file_path(r->f), -1, -1, NULL,
                             "out of memory");
    for (uint64_t i = 0; i < nq; i++) {
        if (ends[2 * i] >= net->n_nodes || ends[2 * i + 1] >= net->n_nodes || !(q[i] > 0))
            return damaged(r, "demand.ends", "pair %llu names no node or no quantity",
                           (unsigned long long)i);
        net->demand[i] = (cor_demand){ends[2 * i], ends[2 * i + 1], q[i]};
        net->n_demand++;
    }
    return COR_OK;
}

/* Graph k's routing index when the file has one ("c<k>." and "m<k>."): wrapped in place
 * (cor_cch_from_arrays and cor_cch_metric_from_arrays check every array first) and attached
 * to the graph, so the copies cor_graph_compile hands out answer through it. */
static cor_status load_routing_index(reader *r, uint32_t k)
{
    cor_network *net = r->net;
    cor_array a[32];
    char prefix[16];
    snprintf(prefix, sizeof prefix, "c%u.", k);
    size_t na = cor_network_stored_arrays(net, prefix, a, 32);
    if (na == 0) return COR_OK;
    if (na > 32) return damaged(r, prefix, "%zu index arrays", na);
    cor_status st = cor_cch_from_arrays(&net->cch[k], net->graphs[k], a, na, r->err);
    cor_file_release(r->f);
    snprintf(prefix, sizeof prefix, "m%u.", k);
    size_t nm = st == COR_OK ? cor_network_stored_arrays(net, prefix, a, 32) : 0;
    if (st == COR_OK && (nm == 0 || nm > 32)) return damaged(r, prefix, "%zu metric arrays", nm);
    if (st == COR_OK) st = cor_cch_metric_from_arrays(&net->cch_metric[k], net->cch[k], a, nm, r->err);
    if (st == COR_OK)
        st = cor_graph_set_index(net->graphs[k], net->cch[k], net->cch_metric[k], r->err);
    return st;
}

/* The stored graphs: the sections "g<k>.<name>" handed to cor_graph_from_arrays. */
static cor_status load_graphs(reader *r, uint32_t n)
{
    cor_network *net = r->net;
    if (n > MAX_PROFILES) return damaged(r, "net.meta", "%u stored graphs", n);
    net->graphs = calloc(n + 1, sizeof *net->graphs);
    if (!net->graphs)
        return cor_error_add(r->err, COR_ERR_NOMEM, cor_file_path(r->f), -1, -1, NULL,
                             "out of memory");
    for (uint32_t k = 0; k < n; k++) {
        cor_array a[16];
        char prefix[16];
        snprintf(prefix, sizeof prefix, "g%u.", k);
        size_t na = cor_network_stored_arrays(net, prefix, a, 16);
        cor_status st = cor_graph_from_arrays(&net->graphs[k], net, a, na, r->err);
        if (st != COR_OK) return st;
        cor_file_release(r->f); /* each group of checks touches its pages, then lets go */
        net->n_graphs++;
        if ((st = load_routing_index(r, k)) != COR_OK) return st;
        cor_file_release(r->f);
    }
    return COR_OK;
}

static cor_status load_meta(reader *r, const net_meta **meta)
{
    cor_status st =
        cor_file_get(r->f, "net.meta", sizeof **meta, 1, true, (const void **)meta, NULL, r->err);
    if (st == COR_OK)
        st = cor_file_get(r->f, "str", 1, UINT64_MAX, true, (const void **)&r->str, &r->str_len,
                          r->err);
    if (st != COR_OK) return st;
    const net_meta *m = *meta;
    if (r->str_len && r->str[r->str_len - 1] != '\0')
        return damaged(r, "str", "does not end with a NUL");
    if (m->n_nodes >= UINT32_MAX || m->n_links >= (UINT32_MAX >> 1) ||
        2 * m->n_coords >= UINT32_MAX)
        return damaged(r, "net.meta",
                       "%llu nodes and %llu links: past the 32-bit indices "
                       "this corridor handles",
                       (unsigned long long)m->n_nodes, (unsigned long long)m->n_links);
    if (m->source_format > COR_FORMAT_COR)
        return damaged(r, "net.meta", "unknown source format %u", m->source_format);
    /* Counts are checked against the columns before anything that size is allocated. */
    const void *data;
    if ((st = cor_file_get(r->f, "node.id", 4, m->n_nodes, true, &data, NULL, r->err)) ||
        (st = cor_file_get(r->f, "link.id", 4, m->n_links, true, &data, NULL, r->err)) ||
        (st = cor_file_get(r->f, "coords", 8, 2 * m->n_coords, true, &data, NULL, r->err)))
        return st;
    r->net->coords = (double *)data;
    r->net->n_coords = (size_t)m->n_coords;
    return COR_OK;
}

static cor_status load_all(reader *r)
{
    cor_network *net = r->net;
    const net_meta *m;
    cor_status st = load_meta(r, &m);
    if (st != COR_OK) return st;
    net->format = (cor_format)m->source_format; /* what the data means (pgRouting costs...) */
    net->n_nodes = (size_t)m->n_nodes;
    net->n_links = (size_t)m->n_links;
    if ((st = load_nodes(r)) || (st = load_links(r)) || (cor_file_release(r->f), false) ||
        (st = load_index(r, "node.index", net->n_nodes, &net->node_index)) ||
        (st = load_index(r, "link.index", net->n_links, &net->link_index)) ||
        (st = load_corridors(r, m->n_corridors)) || (st = load_about(r)))
        return st;
    return load_graphs(r, m->n_graphs);
}

cor_status cor_network_load_cor(cor_network **out, const char *path, cor_error *err)
{
    *out = NULL;
    cor_file *f;
    cor_status st = cor_file_open(&f, path, err);
    if (st != COR_OK) return st;
    cor_network *net = calloc(1, sizeof *net);
    if (!net || !(net->file = strdup(path))) {
        free(net);
        cor_file_close(f);
        return cor_error_add(err, COR_ERR_NOMEM, path, -1, -1, NULL, "out of memory");
    }
    net->map = f;
    reader r = {f, net, NULL, 0, err};
    st = load_all(&r);
    if (st != COR_OK) {
        cor_network_free(net);
        return st;
    }
    *out = net;
    return COR_OK;
}

void cor_network_free_mapped(cor_network *net)
{
    for (size_t i = 0; i < net->n_graphs; i++) {
        cor_cch_metric_free(net->cch_metric[i]); /* their arrays are mapped too */
        cor_cch_free(net->cch[i]);
        free(net->graphs[i]); /* arrays are mapped */
    }
    free(net->graphs);
    for (size_t i = 0; i < net->n_corridors; i++)
        cor_corridor_clear(&net->corridors[i]);
    free(net->corridors);
    free(net->demand);
    free(net->node_array);
    free((void *)net->node_state);
    free((void *)net->node_source);
    free(net->link_array);
    free((void *)net->link_state);
    free((void *)net->link_source);
    free(net->file);
    cor_file_close(net->map);
    free(net);
}

/* ---------------------------------------------------------------- what the file holds */

size_t cor_network_stored_arrays(const cor_network *net, const char *prefix, cor_array *out,
                                 size_t max)
{
    size_t n = 0, len = strlen(prefix);
    for (size_t i = 0; net->map && i < cor_file_section_count(net->map); i++) {
        const cor_array *s = cor_file_section_at(net->map, i);
        if (strncmp(s->name, prefix, len) != 0) continue;
        if (n < max) {
            out[n] = *s;
            out[n].name = s->name + len;
        }
        n++;
    }
    return n;
}

bool cor_network_file_version(const cor_network *net, uint32_t *version, const char **writer)
{
    if (!net->map) return false;
    if (version) *version = cor_file_version(net->map);
    if (writer) *writer = cor_file_writer(net->map);
    return true;
}

size_t cor_network_file_sections(const cor_network *net, const cor_array **sections)
{
    if (!net->map) {
        *sections = NULL;
        return 0;
    }
    *sections = cor_file_section_at(net->map, 0);
    return cor_file_section_count(net->map);
}

size_t cor_network_stored_profiles(const cor_network *net, cor_profile *out, size_t max)
{
    for (size_t i = 0; i < net->n_graphs && i < max; i++)
        out[i] = net->graphs[i]->profile;
    return net->n_graphs;
}
