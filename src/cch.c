/*
 * cch.c — the metric-independent part of the CCH: contraction into the chordal
 * supergraph, its invariants, and its arrays for a file.
 *
 * Contraction follows the order (cch_order.c): eliminating rank r joins its upper
 * neighbours into a clique. Done naively that is quadratic; the elimination tree makes it
 * linear in the output: the upper neighbours of r but its lowest one p (its parent in the
 * tree) are added to p's, and since p is eliminated later, the clique closes by
 * induction (Dibbelt, Strasser, Wagner 2016, section 4). Each rank's row is sorted and
 * deduplicated when it is eliminated, then copied into the CSR, so the working lists die
 * as the CSR grows.
 *
 * Trade-off: the downward view and the input-arc slots are stored (8 + 4 bytes per arc)
 * rather than derived at load, so that a wrapped file needs checks only, no building.
 */
#include "cch.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CCH_MAX_COUNT 0x7ffffffeu /* slots (2e + 1) and via codes must fit 31 bits */

static const char *const array_names[CCH_N_ARRAYS] = {
    "cch.order",     "cch.up_first", "cch.up_head", "cch.down_first",
    "cch.down_tail", "cch.down_arc", "cch.arc_slot"};

uint32_t cch_find_arc(const cor_cch *c, uint32_t lo, uint32_t hi)
{
    uint32_t a = c->up_first[lo], b = c->up_first[lo + 1];
    while (a < b) {
        uint32_t mid = a + (b - a) / 2;
        if (c->up_head[mid] < hi)
            a = mid + 1;
        else
            b = mid;
    }
    return a < c->up_first[lo + 1] && c->up_head[a] == hi ? a : COR_NONE;
}

bool cch_grow(void *array, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return true;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *p = realloc(*(void **)array, c * elem);
    if (!p) return false;
    *(void **)array = p;
    *cap = c;
    return true;
}

uint32_t cch_arc_low(const cor_cch *c, uint32_t e)
{
    uint32_t lo = 0, hi = c->n;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (c->up_first[mid] <= e)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static cor_status nomem(cor_error *err)
{
    return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL,
                         "out of memory building the index");
}

static cor_status refuse(cor_error *err, const char *array, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A broken invariant: COR_ERR_INPUT naming the array. */
static cor_status refuse(cor_error *err, const char *array, const char *fmt, ...)
{
    char msg[240];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cor_error_add(err, COR_ERR_INPUT, NULL, -1, -1, array, "index: %s", msg);
}

/* ---------------------------------------------------------------- contraction */

typedef struct row {
    uint32_t *a;
    uint32_t n;
    size_t cap;
} row;

static bool row_push(row *r, uint32_t v)
{
    if (!cch_grow(&r->a, &r->cap, (size_t)r->n + 1, sizeof *r->a)) return false;
    r->a[r->n++] = v;
    return true;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static void row_sort_unique(row *r)
{
    if (r->n < 2) return;
    qsort(r->a, r->n, sizeof *r->a, cmp_u32);
    uint32_t w = 0;
    for (uint32_t i = 0; i < r->n; i++)
        if (w == 0 || r->a[w - 1] != r->a[i]) r->a[w++] = r->a[i];
    r->n = w;
}

/* The skeleton's upper neighbours of every rank, before elimination. */
static bool initial_rows(const cor_cch *c, row *rows)
{
    cch_skeleton s = {0};
    if (!cch_skeleton_build(&s, c->g)) return false;
    bool ok = true;
    for (uint32_t v = 0; v < s.n && ok; v++)
        for (uint32_t i = s.first[v]; i < s.first[v + 1] && ok; i++)
            if (c->rank[s.adj[i]] > c->rank[v]) ok = row_push(&rows[c->rank[v]], c->rank[s.adj[i]]);
    cch_skeleton_clear(&s);
    return ok;
}

/* Eliminates ranks in order into up_first / up_head (owned). */
static cor_status contract(cor_cch *c, cor_error *err)
{
    row *rows = calloc((size_t)c->n + 1, sizeof *rows);
    uint32_t *first = malloc(((size_t)c->n + 1) * sizeof *first), *head = NULL;
    size_t m = 0, cap = 0;
    cor_status st = COR_OK;
    if (!rows || !first || !initial_rows(c, rows)) goto oom;
    for (uint32_t r = 0; r < c->n; r++) {
        row *x = &rows[r];
        row_sort_unique(x);
        for (uint32_t i = 1; i < x->n; i++)
            if (!row_push(&rows[x->a[0]], x->a[i])) goto oom;
        if (m + x->n > CCH_MAX_COUNT) {
            st = refuse(err, "cch.up_head", "more than %u supergraph arcs", CCH_MAX_COUNT);
            goto fail;
        }
        if (!cch_grow(&head, &cap, m + x->n, sizeof *head)) goto oom;
        first[r] = (uint32_t)m;
        if (x->n) memcpy(head + m, x->a, (size_t)x->n * sizeof *head);
        m += x->n;
        free(x->a);
        x->a = NULL;
    }
    first[c->n] = (uint32_t)m;
    c->m = (uint32_t)m;
    c->owned[CCH_UP_FIRST] = first;
    c->owned[CCH_UP_HEAD] = head ? head : malloc(sizeof *head);
    if (!c->owned[CCH_UP_HEAD]) goto oom;
    first = head = NULL;
    goto done;
oom:
    st = nomem(err);
fail:
done:
    for (uint32_t r = 0; rows && r < c->n; r++)
        free(rows[r].a);
    free(rows);
    free(first);
    free(head);
    return st;
}

/* The downward view: for each rank its lower neighbours (increasing) and the arcs. */
static bool build_down(cor_cch *c)
{
    const uint32_t *uf = c->owned[CCH_UP_FIRST], *uh = c->owned[CCH_UP_HEAD];
    uint32_t *first = calloc((size_t)c->n + 2, sizeof *first);
    uint32_t *tail = malloc(((size_t)c->m + 1) * sizeof *tail);
    uint32_t *arc = malloc(((size_t)c->m + 1) * sizeof *arc);
    if (!first || !tail || !arc) {
        free(first), free(tail), free(arc);
        return false;
    }
    for (uint32_t e = 0; e < c->m; e++)
        first[uh[e] + 2]++;
    for (uint32_t r = 0; r < c->n; r++)
        first[r + 2] += first[r + 1];
    for (uint32_t r = 0; r < c->n; r++) /* rows filled in increasing tail order */
        for (uint32_t e = uf[r]; e < uf[r + 1]; e++) {
            uint32_t k = first[uh[e] + 1]++;
            tail[k] = r;
            arc[k] = e;
        }
    c->owned[CCH_DOWN_FIRST] = first;
    c->owned[CCH_DOWN_TAIL] = tail;
    c->owned[CCH_DOWN_ARC] = arc;
    return true;
}

/* Each input arc's slot: 2e when it runs up its supergraph arc e, 2e + 1 when down. */
static bool build_slots(cor_cch *c)
{
    const cor_graph *g = c->g;
    uint32_t *slot = malloc(((size_t)c->n_input + 1) * sizeof *slot);
    if (!slot) return false;
    for (uint32_t s = 0; s < g->n_states; s++)
        for (uint32_t a = g->first_out[s]; a < g->first_out[s + 1]; a++) {
            uint32_t rs = c->rank[s], rt = c->rank[g->head[a]];
            uint32_t lo = rs < rt ? rs : rt, hi = rs < rt ? rt : rs;
            slot[a] = rs == rt ? COR_NONE : cch_find_arc(c, lo, hi) << 1 | (rs > rt);
        }
    c->owned[CCH_ARC_SLOT] = slot;
    return true;
}

/* The elimination tree's parents from the upward rows; false when out of memory. */
static bool build_parents(cor_cch *c)
{
    if (!(c->parent = malloc(((size_t)c->n + 1) * sizeof *c->parent))) return false;
    for (uint32_t r = 0; r < c->n; r++)
        c->parent[r] = c->up_first[r] < c->up_first[r + 1] ? c->up_head[c->up_first[r]] : COR_NONE;
    return true;
}

static void point_at_owned(cor_cch *c)
{
    c->order = c->owned[CCH_ORDER];
    c->up_first = c->owned[CCH_UP_FIRST];
    c->up_head = c->owned[CCH_UP_HEAD];
    c->down_first = c->owned[CCH_DOWN_FIRST];
    c->down_tail = c->owned[CCH_DOWN_TAIL];
    c->down_arc = c->owned[CCH_DOWN_ARC];
    c->arc_slot = c->owned[CCH_ARC_SLOT];
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Inertial flow when every node has a position (the faster queries in bench/results/
 * index-NY.md), METIS otherwise or when asked for. */
static cor_status make_order(cor_cch *c, cor_cch_order kind, cor_error *err)
{
    c->kind = kind == COR_CCH_ORDER_DEFAULT ? COR_CCH_ORDER_INERTIAL : kind;
    if (c->kind == COR_CCH_ORDER_INERTIAL) {
        cor_error quiet;
        cor_error_init(&quiet);
        cor_status st =
            cch_order_inertial(c->g, c->rank, kind == COR_CCH_ORDER_DEFAULT ? &quiet : err);
        cor_error_clear(&quiet);
        if (st != COR_ERR_INPUT || kind != COR_CCH_ORDER_DEFAULT) return st;
        c->kind = COR_CCH_ORDER_METIS; /* no positions: fall back */
    }
    return cch_order_metis(c->g, c->rank, err);
}

cor_status cor_cch_build(cor_cch **out, const cor_graph *g, cor_cch_order kind, cor_error *err)
{
    *out = NULL;
    if (g->n_states > CCH_MAX_COUNT || g->n_arcs > CCH_MAX_COUNT)
        return cor_error_add(err, COR_ERR_INPUT, NULL, -1, -1, NULL,
                             "index: %u states and %u arcs: at most %u of each are supported",
                             g->n_states, g->n_arcs, CCH_MAX_COUNT);
    cor_cch *c = calloc(1, sizeof *c);
    if (!c) return nomem(err);
    c->g = g;
    c->n = g->n_states;
    c->n_input = g->n_arcs;
    c->rank = malloc(((size_t)c->n + 1) * sizeof *c->rank);
    uint32_t *order = c->owned[CCH_ORDER] = malloc(((size_t)c->n + 1) * sizeof *order);
    cor_status st = COR_OK;
    if (!c->rank || !order) goto oom;
    double t0 = seconds();
    if ((st = make_order(c, kind, err)) != COR_OK) goto fail;
    double t1 = seconds();
    for (uint32_t s = 0; s < c->n; s++)
        order[c->rank[s]] = s;
    if ((st = contract(c, err)) != COR_OK) goto fail;
    if (!build_down(c)) goto oom;
    point_at_owned(c);
    if (!build_slots(c) || !build_parents(c)) goto oom;
    point_at_owned(c);
    c->order_seconds = t1 - t0;
    c->contract_seconds = seconds() - t1;
    *out = c;
    return COR_OK;
oom:
    st = nomem(err);
fail:
    cor_cch_free(c);
    return st;
}

void cor_cch_free(cor_cch *c)
{
    if (!c) return;
    for (int i = 0; i < CCH_N_ARRAYS; i++)
        free(c->owned[i]);
    free(c->rank);
    free(c->parent);
    free(c);
}

size_t cor_cch_arc_count(const cor_cch *c)
{
    return c->m;
}

size_t cor_cch_memory_bytes(const cor_cch *c)
{
    return sizeof *c + ((size_t)5 * c->n + 2) * 4 + (size_t)3 * c->m * 4 + (size_t)c->n_input * 4;
}

const char *cor_cch_order_name(cor_cch_order o)
{
    return o == COR_CCH_ORDER_METIS      ? "metis"
           : o == COR_CCH_ORDER_INERTIAL ? "inertial"
                                         : "default";
}

cor_cch_order cor_cch_order_used(const cor_cch *c)
{
    return c->kind;
}

/* ---------------------------------------------------------------- invariants */

static cor_status check_csr(const uint32_t *first, uint32_t n, uint32_t m, const char *name,
                            cor_error *err)
{
    if (first[0] != 0) return refuse(err, name, "row 0 starts at %u", first[0]);
    for (uint32_t r = 0; r < n; r++)
        if (first[r + 1] < first[r] || first[r + 1] > m)
            return refuse(err, name, "row %u ends at %u, out of order", r, first[r + 1]);
    if (first[n] != m) return refuse(err, name, "rows end at %u, not %u", first[n], m);
    return COR_OK;
}

/* Upward rows: heads above the rank, below n, increasing; parent's row closes the clique. */
static cor_status check_up(const cor_cch *c, cor_error *err)
{
    cor_status st = check_csr(c->up_first, c->n, c->m, "cch.up_first", err);
    if (st != COR_OK) return st;
    for (uint32_t r = 0; r < c->n; r++)
        for (uint32_t e = c->up_first[r]; e < c->up_first[r + 1]; e++) {
            uint32_t h = c->up_head[e];
            if (h <= r || h >= c->n || (e > c->up_first[r] && h <= c->up_head[e - 1]))
                return refuse(err, "cch.up_head", "arc %u from rank %u does not go up in order", e,
                              r);
        }
    for (uint32_t r = 0; r < c->n; r++) {
        uint32_t b = c->up_first[r], e = c->up_first[r + 1];
        for (uint32_t i = b + 1; i < e; i++)
            if (cch_find_arc(c, c->up_head[b], c->up_head[i]) == COR_NONE)
                return refuse(err, "cch.up_head",
                              "rank %u: its upper neighbours are not a "
                              "clique (missing arc to rank %u)",
                              r, c->up_head[i]);
    }
    return COR_OK;
}

/* The downward view is exactly the transpose of the upward rows. */
static cor_status check_down(const cor_cch *c, cor_error *err)
{
    cor_status st = check_csr(c->down_first, c->n, c->m, "cch.down_first", err);
    if (st != COR_OK) return st;
    for (uint32_t h = 0; h < c->n; h++)
        for (uint32_t i = c->down_first[h]; i < c->down_first[h + 1]; i++) {
            uint32_t t = c->down_tail[i], e = c->down_arc[i];
            if (t >= h || (i > c->down_first[h] && t <= c->down_tail[i - 1]))
                return refuse(err, "cch.down_tail", "entry %u of rank %u is out of order", i, h);
            if (e >= c->m || e < c->up_first[t] || e >= c->up_first[t + 1] || c->up_head[e] != h)
                return refuse(err, "cch.down_arc", "entry %u names arc %u, not its own", i, e);
        }
    return COR_OK;
}

static cor_status check_slots(const cor_cch *c, cor_error *err)
{
    const cor_graph *g = c->g;
    for (uint32_t s = 0; s < g->n_states; s++)
        for (uint32_t a = g->first_out[s]; a < g->first_out[s + 1]; a++) {
            uint32_t rs = c->rank[s], rt = c->rank[g->head[a]], slot = c->arc_slot[a];
            uint32_t lo = rs < rt ? rs : rt, hi = rs < rt ? rt : rs;
            uint32_t want = rs == rt ? COR_NONE : cch_find_arc(c, lo, hi);
            if (rs == rt ? slot != COR_NONE : want == COR_NONE || slot != (want << 1 | (rs > rt)))
                return refuse(err, "cch.arc_slot", "input arc %u has slot %u, not its own", a,
                              slot);
        }
    return COR_OK;
}

/* rank = the inverse of order, refusing anything but a permutation of the states. */
static cor_status invert_order(const cor_cch *c, uint32_t *rank, cor_error *err)
{
    for (uint32_t s = 0; s < c->n; s++)
        rank[s] = COR_NONE;
    for (uint32_t r = 0; r < c->n; r++) {
        uint32_t s = c->order[r];
        if (s >= c->n || rank[s] != COR_NONE)
            return refuse(err, "cch.order", "rank %u names state %u, out of range or twice", r, s);
        rank[s] = r;
    }
    return COR_OK;
}

cor_status cor_cch_check(const cor_cch *c, cor_error *err)
{
    if (c->n != c->g->n_states || c->n_input != c->g->n_arcs)
        return refuse(err, NULL, "built for %u states and %u arcs, not this graph", c->n,
                      c->n_input);
    uint32_t *rank = malloc(((size_t)c->n + 1) * sizeof *rank);
    if (!rank) return nomem(err);
    cor_status st = invert_order(c, rank, err);
    if (st == COR_OK && memcmp(rank, c->rank, (size_t)c->n * sizeof *rank) != 0)
        st = refuse(err, "cch.order", "the ranks are not the inverse of the order");
    free(rank);
    if (st == COR_OK) st = check_up(c, err);
    if (st == COR_OK) st = check_down(c, err);
    if (st == COR_OK) st = check_slots(c, err);
    return st;
}

/* ---------------------------------------------------------------- arrays */

size_t cor_cch_arrays(const cor_cch *c, cor_array *out, size_t max)
{
    const void *data[CCH_N_ARRAYS] = {c->order,     c->up_first, c->up_head, c->down_first,
                                      c->down_tail, c->down_arc, c->arc_slot};
    uint64_t count[CCH_N_ARRAYS] = {c->n, (uint64_t)c->n + 1, c->m, (uint64_t)c->n + 1, c->m,
                                    c->m, c->n_input};
    for (size_t i = 0; i < CCH_N_ARRAYS && i < max; i++)
        out[i] = (cor_array){array_names[i], data[i], count[i], sizeof(uint32_t)};
    return CCH_N_ARRAYS;
}

/* The array called name, of count elements of elem_size bytes; NULL (with the problem in
 * err) when absent or of another shape. */
const void *cch_array_find(const cor_array *a, size_t n, const char *name, uint64_t count,
                           uint32_t elem_size, cor_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!a[i].name || strcmp(a[i].name, name) != 0) continue;
        if (a[i].elem_size != elem_size || a[i].count != count || !a[i].data) {
            refuse(err, name, "has %llu elements of %u bytes, not %llu of %u",
                   (unsigned long long)a[i].count, a[i].elem_size, (unsigned long long)count,
                   elem_size);
            return NULL;
        }
        return a[i].data;
    }
    cor_error_add(err, COR_ERR_INPUT, NULL, -1, -1, name, "index: the array is missing");
    return NULL;
}

cor_status cor_cch_from_arrays(cor_cch **out, const cor_graph *g, const cor_array *a, size_t n,
                               cor_error *err)
{
    *out = NULL;
    cor_cch *c = calloc(1, sizeof *c);
    if (!c || !(c->rank = malloc(((size_t)g->n_states + 1) * sizeof *c->rank))) {
        free(c);
        return nomem(err);
    }
    c->g = g;
    c->n = g->n_states;
    c->n_input = g->n_arcs;
    c->kind = COR_CCH_ORDER_DEFAULT; /* unknown once saved */
    cor_status st = COR_ERR_INPUT;
    const uint32_t *up_first = cch_array_find(a, n, "cch.up_first", (uint64_t)c->n + 1, 4, err);
    if (!up_first) goto fail;
    c->m = up_first[c->n]; /* its size is checked against the arcs' arrays */
    const void **slot[CCH_N_ARRAYS] = {(const void **)&c->order,     (const void **)&c->up_first,
                                       (const void **)&c->up_head,   (const void **)&c->down_first,
                                       (const void **)&c->down_tail, (const void **)&c->down_arc,
                                       (const void **)&c->arc_slot};
    cor_array want[CCH_N_ARRAYS];
    cor_cch_arrays(c, want, CCH_N_ARRAYS);
    for (int i = 0; i < CCH_N_ARRAYS; i++)
        if (!(*slot[i] = cch_array_find(a, n, array_names[i], want[i].count, 4, err))) goto fail;
    if ((st = invert_order(c, c->rank, err)) != COR_OK) goto fail;
    if ((st = cor_cch_check(c, err)) != COR_OK) goto fail;
    if (!build_parents(c)) {
        st = nomem(err);
        goto fail;
    }
    *out = c;
    return COR_OK;
fail:
    cor_cch_free(c);
    return st;
}

/* ---------------------------------------------------------------- on the graph */

cor_status cor_graph_set_index(cor_graph *g, const cor_cch *c, const cor_cch_metric *m,
                               cor_error *err)
{
    if ((c == NULL) != (m == NULL) || (c && (c->g != g || m->c != c)))
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, NULL,
                             "index: the index was not built on this graph, or the metric "
                             "not on this index");
    g->cch = c;
    g->cch_metric = m;
    g->index_generation++;
    return COR_OK;
}
