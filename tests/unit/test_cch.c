/*
 * test_cch.c — the routing index (CCH) against the exact search.
 *
 * Hundreds of random graphs (directed and two-way links, parallel links, zero weights,
 * unreachable pairs) and random multimodal networks (road and rail of two gauges,
 * transfers and gauge changes at some nodes), each ordered by METIS and by inertial flow:
 * the index must give the plain search's distances (exactly on integer weights), valid
 * routes, tables equal to single queries; partial customisation must equal a full one,
 * slot for slot, after random changes and closures; saved arrays must come back, and
 * corrupted ones (a flipped bit, a truncated array) must be refused. On the DIMACS New
 * York graph (when ../shared/data is there), 1,000 random pairs against the plain search.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corridor.h"
#include "route_internal.h"
#include "testutil.h"

static unsigned rng_state = 777;
static unsigned rnd(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return (rng_state >> 8) & 0xffffff;
}

/* ---------------------------------------------------------------- random networks */

typedef struct net_spec {
    int n, m;
    bool positions, integer, multimodal, oneway;
} net_spec;

static void add_nodes(cor_builder *b, const net_spec *s)
{
    char id[32];
    for (int i = 0; i < s->n; i++) {
        cor_node nd;
        cor_node_init(&nd);
        snprintf(id, sizeof id, "%d", i);
        nd.id = id;
        if (s->positions) {
            nd.lon = 40 + (rnd() % 1000) / 100.0;
            nd.lat = 40 + (rnd() % 1000) / 100.0;
        }
        if (s->multimodal && rnd() % 3 == 0) nd.transfer_hours = (double)(rnd() % 4);
        if (s->multimodal && rnd() % 3 == 0) nd.transship_hours = (double)(rnd() % 3);
        assert_int_equal(cor_builder_add_node(b, &nd, i + 1, -1), COR_OK);
    }
}

/* Links between random nodes (repeats make parallel arcs); multimodal ones are road or
 * rail of gauge 1435 or 1520, weighted by hours. */
static cor_network *random_network(const net_spec *s)
{
    cor_builder *b = cor_builder_new("random");
    add_nodes(b, s);
    char id[32], from[32], to[32];
    for (int i = 0; i < s->m; i++) {
        cor_link l;
        cor_link_init(&l);
        snprintf(id, sizeof id, "L%d", i);
        snprintf(from, sizeof from, "%u", rnd() % (unsigned)s->n);
        snprintf(to, sizeof to, "%u", rnd() % (unsigned)s->n);
        l.id = id;
        l.from_id = from;
        l.to_id = to;
        double w = s->integer ? (double)(rnd() % 20) : (rnd() % 1000) / 7.0;
        l.cost = w;
        l.duration_hours = w;
        l.backward = s->oneway ? false : rnd() % 3 == 0;
        if (s->multimodal) {
            l.mode = rnd() % 2 ? COR_MODE_RAIL : COR_MODE_ROAD;
            if (l.mode == COR_MODE_RAIL) l.gauge_mm = rnd() % 2 ? 1435 : 1520;
        }
        assert_int_equal(cor_builder_add_link(b, &l, NULL, 0, i + 1, -1), COR_OK);
    }
    cor_network *net;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_builder_finish(b, &net, &err), COR_OK);
    cor_error_clear(&err);
    return net;
}

static cor_graph *compile(const cor_network *net, bool time)
{
    cor_profile p;
    cor_profile_init(&p);
    if (time) p.objective = COR_OPT_TIME;
    cor_graph *g;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_graph_compile(&g, net, &p, &err), COR_OK);
    cor_error_clear(&err);
    return g;
}

/* A built and checked index with its checked metric (the graph's own weights). */
static void index_build(const cor_graph *g, cor_cch_order order, cor_cch **c, cor_cch_metric **m)
{
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_cch_build(c, g, order, &err), COR_OK);
    assert_int_equal(cor_cch_check(*c, &err), COR_OK);
    assert_int_equal(cor_cch_customize(m, *c, NULL, &err), COR_OK);
    assert_int_equal(cor_cch_metric_check(*m, &err), COR_OK);
    cor_error_clear(&err);
}

/* One network compiled twice: plain (exact search, q0) and with an index (q). */
typedef struct twin {
    cor_graph *plain, *g;
    cor_cch *c;
    cor_cch_metric *m;
    cor_route_query *q0, *q;
} twin;

static void twin_open(twin *t, const cor_network *net, bool time, cor_cch_order order)
{
    t->plain = compile(net, time);
    t->g = compile(net, time);
    index_build(t->g, order, &t->c, &t->m);
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_graph_set_index(t->g, t->c, t->m, &err), COR_OK);
    cor_error_clear(&err);
    t->q0 = cor_route_query_new(t->plain);
    t->q = cor_route_query_new(t->g);
}

static void twin_close(twin *t)
{
    cor_route_query_free(t->q0);
    cor_route_query_free(t->q);
    cor_cch_metric_free(t->m);
    cor_cch_free(t->c);
    cor_graph_free(t->g);
    cor_graph_free(t->plain);
}

static bool same_cost(double a, double b, bool exact)
{
    if (isinf(a) || isinf(b)) return a == b;
    return exact ? a == b : fabs(a - b) <= 1e-9 * (1 + fabs(b));
}

/* ---------------------------------------------------------------- index vs exact */

/* Distances, routes, via routes and a table through the index against the exact search
 * on a twin graph without index. */
static void compare_on(const cor_network *net, const net_spec *s, cor_cch_order order)
{
    twin tw;
    twin_open(&tw, net, s->multimodal, order);
    cor_route_query *q0 = tw.q0, *q = tw.q;
    cor_error err;
    cor_error_init(&err);
    bool exact = s->integer;
    for (int k = 0; k < 12; k++) {
        uint32_t a = rnd() % (unsigned)s->n, b = rnd() % (unsigned)s->n;
        double want = cor_route_distance(q0, a, b), got = cor_route_distance(q, a, b);
        assert_string_equal(cor_route_query_engine(q), "cch");
        if (!same_cost(got, want, exact))
            fprintf(stderr, "%u -> %u: index %.17g, exact %.17g\n", a, b, got, want);
        assert_true(same_cost(got, want, exact));
        cor_route r0, r;
        cor_status st0 = cor_route_shortest(q0, a, b, &r0, &err);
        cor_status st = cor_route_shortest(q, a, b, &r, &err);
        assert_int_equal(st, st0);
        if (st == COR_OK) {
            cor_test_check_route(&r, a, b);
            assert_true(same_cost(r.totals.cost, r0.totals.cost, exact));
        }
        cor_route_clear(&r0);
        cor_route_clear(&r);
        uint32_t via[3] = {a, rnd() % (unsigned)s->n, b};
        st0 = cor_route_via(q0, via, 3, &r0, &err);
        st = cor_route_via(q, via, 3, &r, &err);
        if (!s->multimodal) assert_int_equal(st, st0);
        /* With one state per node a via route is the sum of shortest sections. With
         * modes, each section starts in the state the last one arrived in, which among
         * equal-cost arrivals is the engine's choice: then only the bound holds. */
        if (st == COR_OK) {
            cor_test_check_route(&r, a, b);
            double low = cor_route_distance(q0, a, via[1]) + cor_route_distance(q0, via[1], b);
            if (s->multimodal) assert_true(r.totals.cost >= low - 1e-9 * (1 + low));
            else assert_true(same_cost(r.totals.cost, r0.totals.cost, exact));
        }
        cor_route_clear(&r0);
        cor_route_clear(&r);
    }
    uint32_t from[4], to[5];
    for (int i = 0; i < 4; i++) from[i] = rnd() % (unsigned)s->n;
    for (int j = 0; j < 5; j++) to[j] = rnd() % (unsigned)s->n;
    to[4] = to[0]; /* a repeated target */
    cor_totals t0[20], t[20];
    assert_int_equal(cor_route_table(q0, from, 4, to, 5, t0, &err), COR_OK);
    assert_int_equal(cor_route_table(q, from, 4, to, 5, t, &err), COR_OK);
    assert_string_equal(cor_route_query_engine(q), "cch");
    for (int i = 0; i < 20; i++) {
        assert_true(same_cost(t[i].cost, t0[i].cost, exact));
        assert_true(same_cost(t[i].cost, cor_route_distance(q, from[i / 5], to[i % 5]), exact));
        /* every arc's hours equal its weight here: the figures are summed right */
        if (isfinite(t[i].cost)) assert_true(same_cost(t[i].hours, t[i].cost, exact));
        if (isfinite(t[i].cost)) assert_true(same_cost(t[i].km, t0[i].km, true) || isnan(t0[i].km));
    }
    /* One source, many targets: the PHAST sweep rather than buckets. */
    uint32_t many[250];
    for (int j = 0; j < 250; j++) many[j] = rnd() % (unsigned)s->n;
    cor_totals p0[250], p[250];
    assert_int_equal(cor_route_table(q0, from, 1, many, 250, p0, &err), COR_OK);
    assert_int_equal(cor_route_table(q, from, 1, many, 250, p, &err), COR_OK);
    for (int j = 0; j < 250; j++) {
        assert_true(same_cost(p[j].cost, p0[j].cost, exact));
        if (isfinite(p[j].cost)) assert_true(same_cost(p[j].hours, p[j].cost, exact));
    }
    size_t found = 0, found0 = 0;
    cor_route alt[2], alt0[2];
    cor_status st0 = cor_route_alternatives(q0, from[0], to[0], 2, alt0, &found0, &err);
    assert_int_equal(cor_route_alternatives(q, from[0], to[0], 2, alt, &found, &err), st0);
    assert_string_equal(cor_route_query_engine(q), "dijkstra"); /* Yen: the exact search */
    assert_int_equal(found, found0);
    for (size_t i = 0; i < found; i++) assert_true(alt[i].totals.cost == alt0[i].totals.cost);
    for (size_t i = 0; i < 2; i++) cor_route_clear(&alt[i]), cor_route_clear(&alt0[i]);
    cor_error_clear(&err);
    twin_close(&tw);
}

static void run_random(bool multimodal)
{
    for (int t = 0; t < 240; t++) {
        net_spec s = {2 + (int)(rnd() % 60), 0, rnd() % 2 == 0, multimodal || t % 2 == 0,
                      multimodal, t % 3 == 0};
        s.m = 1 + (int)(rnd() % (unsigned)(3 * s.n));
        cor_network *net = random_network(&s);
        compare_on(net, &s, COR_CCH_ORDER_METIS);
        if (s.positions) compare_on(net, &s, COR_CCH_ORDER_INERTIAL);
        cor_network_free(net);
    }
}

static void test_random_graphs(void **state)
{
    (void)state;
    run_random(false);
}

static void test_random_multimodal(void **state)
{
    (void)state;
    run_random(true);
}

static void test_inertial_needs_positions(void **state)
{
    (void)state;
    net_spec s = {20, 40, false, true, false, false};
    cor_network *net = random_network(&s);
    cor_graph *g = compile(net, false);
    cor_cch *c;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_cch_build(&c, g, COR_CCH_ORDER_INERTIAL, &err), COR_ERR_INPUT);
    assert_non_null(strstr(err.problems[0].message, "position"));
    cor_error_clear(&err);
    assert_int_equal(cor_cch_build(&c, g, COR_CCH_ORDER_DEFAULT, &err), COR_OK);
    assert_int_equal(cor_cch_order_used(c), COR_CCH_ORDER_METIS); /* the fall-back */
    cor_cch_free(c);
    cor_graph_free(g);
    cor_network_free(net);
}

/* ---------------------------------------------------------------- partial customisation */

static void assert_metrics_equal(const cor_cch_metric *a, const cor_cch_metric *b)
{
    cor_array x[3], y[3];
    assert_int_equal(cor_cch_metric_arrays(a, x, 3), 3);
    assert_int_equal(cor_cch_metric_arrays(b, y, 3), 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(x[i].count, y[i].count);
        assert_memory_equal(x[i].data, y[i].data, x[i].count * x[i].elem_size);
    }
}

/* Random changes (up, down, closures, reopenings) applied partially equal a full
 * customisation slot for slot, and the index's distances equal the exact search with
 * the closed arcs banned. */
static void partial_on(const cor_network *net, const net_spec *s)
{
    cor_graph *g = compile(net, s->multimodal);
    cor_route_query *q0 = cor_route_query_new(g);
    cor_cch *c;
    cor_cch_metric *m;
    index_build(g, COR_CCH_ORDER_METIS, &c, &m);
    size_t na = cor_graph_arc_count(g);
    double *w = malloc((na + 1) * sizeof *w);
    for (size_t a = 0; a < na; a++) w[a] = cor_cch_metric_input_weight(m, (uint32_t)a);
    cor_error err;
    cor_error_init(&err);
    for (int round = 0; round < 6 && na > 0; round++) {
        uint32_t arcs[4];
        double nw[4];
        size_t n = 1 + rnd() % 4;
        for (size_t i = 0; i < n; i++) {
            arcs[i] = rnd() % (unsigned)na;
            unsigned kind = rnd() % 4;
            nw[i] = kind == 0 ? INFINITY : kind == 1 ? w[arcs[i]] / 2 : (double)(rnd() % 30);
            w[arcs[i]] = nw[i];
        }
        assert_int_equal(cor_cch_customize_partial(m, arcs, nw, n, &err), COR_OK);
        cor_cch_metric *full;
        assert_int_equal(cor_cch_customize(&full, c, w, &err), COR_OK);
        assert_metrics_equal(m, full);
        assert_int_equal(cor_cch_metric_check(m, &err), COR_OK);
        cor_cch_metric_free(full);
    }
    /* Queries on a metric with closures: the closed arcs as bans in the exact search. */
    uint32_t *closed = malloc((na + 1) * sizeof *closed);
    size_t n_closed = 0;
    cor_cch_metric *orig;
    assert_int_equal(cor_cch_customize(&orig, c, NULL, &err), COR_OK);
    for (size_t a = 0; a < na; a++)
        if (rnd() % 8 == 0) closed[n_closed++] = (uint32_t)a;
    double *inf = malloc((n_closed + 1) * sizeof *inf);
    for (size_t i = 0; i < n_closed; i++) inf[i] = INFINITY;
    assert_int_equal(cor_cch_customize_partial(orig, closed, inf, n_closed, &err), COR_OK);
    assert_int_equal(cor_graph_set_index(g, c, orig, &err), COR_OK);
    cor_route_query *q = cor_route_query_new(g);
    for (int k = 0; k < 8; k++) {
        uint32_t a = rnd() % (unsigned)s->n, b = rnd() % (unsigned)s->n;
        double want;
        assert_true(cor_query_distance_without(q0, a, b, closed, n_closed, NULL, 0, &want));
        assert_true(same_cost(cor_route_distance(q, a, b), want, s->integer));
    }
    cor_route_query_free(q);
    free(inf);
    free(closed);
    cor_cch_metric_free(orig);
    cor_error_clear(&err);
    free(w);
    cor_route_query_free(q0);
    cor_cch_metric_free(m);
    cor_cch_free(c);
    cor_graph_free(g);
}

static void test_partial_customisation(void **state)
{
    (void)state;
    for (int t = 0; t < 200; t++) {
        net_spec s = {2 + (int)(rnd() % 50), 0, false, t % 2 == 0, t % 3 == 0, t % 4 == 0};
        s.m = 1 + (int)(rnd() % (unsigned)(3 * s.n));
        cor_network *net = random_network(&s);
        partial_on(net, &s);
        cor_network_free(net);
    }
}

/* ---------------------------------------------------------------- saved arrays */

typedef struct saved {
    cor_array a[8];
    void *copy[8];
    size_t n;
} saved;

static void save(saved *sv, const cor_array *a, size_t n)
{
    sv->n = n;
    for (size_t i = 0; i < n; i++) {
        size_t bytes = a[i].count * a[i].elem_size;
        sv->copy[i] = malloc(bytes + 1);
        memcpy(sv->copy[i], a[i].data, bytes);
        sv->a[i] = a[i];
        sv->a[i].data = sv->copy[i];
    }
}

static void saved_free(saved *sv)
{
    for (size_t i = 0; i < sv->n; i++) free(sv->copy[i]);
}

static bool flip_random_bit(saved *sv, size_t *which, size_t *byte, int *bit)
{
    *which = rnd() % sv->n;
    size_t bytes = sv->a[*which].count * sv->a[*which].elem_size;
    if (bytes == 0) return false;
    *byte = rnd() % bytes;
    *bit = (int)(rnd() % 8);
    ((unsigned char *)sv->copy[*which])[*byte] ^= (unsigned char)(1u << *bit);
    return true;
}

static void unflip(saved *sv, size_t which, size_t byte, int bit)
{
    ((unsigned char *)sv->copy[which])[byte] ^= (unsigned char)(1u << bit);
}

static void arrays_on(const cor_graph *g)
{
    cor_cch *c, *c2;
    cor_cch_metric *m, *m2;
    index_build(g, COR_CCH_ORDER_METIS, &c, &m);
    cor_error err;
    cor_error_init(&err);
    saved sc, sm;
    cor_array a[8];
    size_t n = cor_cch_arrays(c, a, 8);
    assert_true(n <= 8);
    save(&sc, a, n);
    assert_int_equal(cor_cch_from_arrays(&c2, g, sc.a, sc.n, &err), COR_OK);
    n = cor_cch_metric_arrays(m, a, 8);
    save(&sm, a, n);
    assert_int_equal(cor_cch_metric_from_arrays(&m2, c2, sm.a, sm.n, &err), COR_OK);
    assert_metrics_equal(m, m2);
    cor_cch_metric_free(m2);
    for (int k = 0; k < 20; k++) { /* a flipped bit in the index */
        size_t which, byte;
        int bit;
        if (!flip_random_bit(&sc, &which, &byte, &bit)) continue;
        cor_cch *bad = NULL;
        cor_status st = cor_cch_from_arrays(&bad, g, sc.a, sc.n, &err);
        if (st == COR_OK) fprintf(stderr, "accepted a flip in %s byte %zu bit %d\n",
                                  sc.a[which].name, byte, bit);
        assert_int_equal(st, COR_ERR_INPUT);
        assert_null(bad);
        unflip(&sc, which, byte, bit);
        cor_error_clear(&err);
    }
    for (int k = 0; k < 20; k++) { /* in the metric's slots (weights and vias) */
        size_t which, byte;
        int bit;
        if (!flip_random_bit(&sm, &which, &byte, &bit)) continue;
        cor_cch_metric *bad = NULL;
        cor_status st = cor_cch_metric_from_arrays(&bad, c2, sm.a, sm.n, &err);
        if (strcmp(sm.a[which].name, "metric.input_weight") != 0) {
            assert_int_equal(st, COR_ERR_INPUT);
            assert_null(bad);
        }
        cor_cch_metric_free(bad);
        unflip(&sm, which, byte, bit);
        cor_error_clear(&err);
    }
    for (size_t i = 0; i < sc.n; i++) { /* truncated, or missing */
        cor_cch *bad = NULL;
        sc.a[i].count--;
        assert_int_equal(cor_cch_from_arrays(&bad, g, sc.a, sc.n, &err), COR_ERR_INPUT);
        sc.a[i].count++;
        const char *name = sc.a[i].name;
        sc.a[i].name = "something else";
        assert_int_equal(cor_cch_from_arrays(&bad, g, sc.a, sc.n, &err), COR_ERR_INPUT);
        sc.a[i].name = name;
        assert_null(bad);
    }
    for (size_t i = 0; i < sm.n; i++) {
        cor_cch_metric *bad = NULL;
        sm.a[i].count--;
        assert_int_equal(cor_cch_metric_from_arrays(&bad, c2, sm.a, sm.n, &err), COR_ERR_INPUT);
        sm.a[i].count++;
        assert_null(bad);
    }
    cor_error_clear(&err);
    cor_cch_free(c2);
    saved_free(&sc);
    saved_free(&sm);
    cor_cch_metric_free(m);
    cor_cch_free(c);
}

static void test_arrays_round_trip_and_corruption(void **state)
{
    (void)state;
    for (int t = 0; t < 60; t++) {
        net_spec s = {5 + (int)(rnd() % 60), 0, false, t % 2 == 0, t % 3 == 0, false};
        s.m = s.n + (int)(rnd() % (unsigned)(3 * s.n));
        cor_network *net = random_network(&s);
        cor_graph *g = compile(net, s.multimodal);
        arrays_on(g);
        cor_graph_free(g);
        cor_network_free(net);
    }
}

/* ---------------------------------------------------------------- DIMACS New York */

static void test_new_york(void **state)
{
    (void)state;
    char path[512];
    if (!cor_test_shared_data("dimacs9/USA-road-d.NY.gr.gz", path, sizeof path)) {
        fprintf(stderr, "skipping: ../shared/data/dimacs9/USA-road-d.NY.gr.gz is absent\n");
        skip();
    }
    cor_network *net;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_network_load(&net, path, COR_FORMAT_DIMACS, &err), COR_OK);
    twin tw;
    twin_open(&tw, net, false, COR_CCH_ORDER_METIS);
    cor_route_query *q0 = tw.q0, *q = tw.q;
    uint32_t n = (uint32_t)cor_graph_state_count(tw.g);
    /* 1,000 random pairs: 10 sources × 100 targets, the exact side as one Dijkstra tree
     * a source (cor_route_table on the plain graph), the index one query a pair. */
    uint32_t from[10], to[100];
    for (int i = 0; i < 10; i++) from[i] = (uint32_t)(((uint64_t)rnd() << 8 ^ rnd()) % n);
    for (int j = 0; j < 100; j++) to[j] = (uint32_t)(((uint64_t)rnd() << 8 ^ rnd()) % n);
    cor_totals *exact = malloc(1000 * sizeof *exact);
    assert_int_equal(cor_route_table(q0, from, 10, to, 100, exact, &err), COR_OK);
    for (int k = 0; k < 1000; k++) {
        uint32_t a = from[k / 100], b = to[k % 100];
        assert_true(cor_route_distance(q, a, b) == exact[k].cost);
        if (k % 50 == 0) {
            cor_route r;
            assert_int_equal(cor_route_shortest(q, a, b, &r, &err), COR_OK);
            cor_test_check_route(&r, a, b);
            assert_true(r.totals.cost == exact[k].cost);
            cor_route_clear(&r);
        }
    }
    free(exact);
    cor_error_clear(&err);
    twin_close(&tw);
    cor_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_graphs),
        cmocka_unit_test(test_random_multimodal),
        cmocka_unit_test(test_inertial_needs_positions),
        cmocka_unit_test(test_partial_customisation),
        cmocka_unit_test(test_arrays_round_trip_and_corruption),
        cmocka_unit_test(test_new_york),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
