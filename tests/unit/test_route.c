/*
 * test_route.c — routing checked against plain references.
 *
 * Hundreds of random graphs: the bidirectional search (with and without the A* bound)
 * must give the distances of a textbook O(V²) Dijkstra, and valid paths whose legs sum to
 * the total. Yen's k alternatives must equal brute-force enumeration of simple paths on
 * small graphs. Tables must agree with single queries. A small multimodal network pins
 * transfers, gauge changes, waits and border dwells.
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
#include "testutil.h"

/* ---------------------------------------------------------------- random graphs */

typedef struct rgraph {
    int n, m;
    int *from, *to;
    double *w;
    bool *both;
} rgraph;

static unsigned rng_state = 12345;
static unsigned rnd(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return (rng_state >> 8) & 0xffffff;
}

static void rgraph_make(rgraph *r, int n, int m, bool integer)
{
    r->n = n;
    r->m = m;
    r->from = malloc(m * sizeof(int));
    r->to = malloc(m * sizeof(int));
    r->w = malloc(m * sizeof(double));
    r->both = malloc(m * sizeof(bool));
    for (int i = 0; i < m; i++) {
        r->from[i] = (int)(rnd() % n);
        r->to[i] = (int)(rnd() % n);
        r->w[i] = integer ? (double)(rnd() % 20) : (rnd() % 1000) / 7.0;
        r->both[i] = rnd() % 3 == 0;
    }
}

static void rgraph_free(rgraph *r)
{
    free(r->from);
    free(r->to);
    free(r->w);
    free(r->both);
}

/* Nodes on a small patch of the globe (so A* has positions), links with the weights. */
static cor_network *rgraph_network(const rgraph *r, bool positions)
{
    cor_builder *b = cor_builder_new("random");
    char id[32], from[32], to[32];
    for (int i = 0; i < r->n; i++) {
        cor_node n;
        cor_node_init(&n);
        snprintf(id, sizeof id, "%d", i);
        n.id = id;
        if (positions) {
            n.lon = 40 + (rnd() % 1000) / 100.0;
            n.lat = 40 + (rnd() % 1000) / 100.0;
        }
        assert_int_equal(cor_builder_add_node(b, &n, i + 1, -1), COR_OK);
    }
    for (int i = 0; i < r->m; i++) {
        cor_link l;
        cor_link_init(&l);
        snprintf(id, sizeof id, "L%d", i);
        snprintf(from, sizeof from, "%d", r->from[i]);
        snprintf(to, sizeof to, "%d", r->to[i]);
        l.id = id;
        l.from_id = from;
        l.to_id = to;
        l.cost = r->w[i];
        l.backward = r->both[i];
        assert_int_equal(cor_builder_add_link(b, &l, NULL, 0, i + 1, -1), COR_OK);
    }
    cor_network *net;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_builder_finish(b, &net, &err), COR_OK);
    cor_error_clear(&err);
    return net;
}

/* Textbook Dijkstra over the raw arc list: the reference. */
static void reference_dijkstra(const rgraph *r, int s, double *dist)
{
    bool *done = calloc(r->n, sizeof(bool));
    for (int i = 0; i < r->n; i++) dist[i] = INFINITY;
    dist[s] = 0;
    for (;;) {
        int u = -1;
        for (int i = 0; i < r->n; i++)
            if (!done[i] && isfinite(dist[i]) && (u < 0 || dist[i] < dist[u])) u = i;
        if (u < 0) break;
        done[u] = true;
        for (int e = 0; e < r->m; e++) {
            if (r->from[e] == u && dist[u] + r->w[e] < dist[r->to[e]])
                dist[r->to[e]] = dist[u] + r->w[e];
            if (r->both[e] && r->to[e] == u && dist[u] + r->w[e] < dist[r->from[e]])
                dist[r->from[e]] = dist[u] + r->w[e];
        }
    }
    free(done);
}

static void check_random_graphs(bool positions, bool integer)
{
    for (int t = 0; t < 300; t++) {
        rgraph r;
        int n = 2 + (int)(rnd() % 40);
        rgraph_make(&r, n, (int)(rnd() % (4 * n)) + 1, integer);
        cor_network *net = rgraph_network(&r, positions);
        cor_profile p;
        cor_profile_init(&p);
        cor_graph *g;
        cor_error err;
        cor_error_init(&err);
        assert_int_equal(cor_graph_compile(&g, net, &p, &err), COR_OK);
        cor_route_query *q = cor_route_query_new(g);
        double *ref = malloc(n * sizeof(double));
        for (int k = 0; k < 5; k++) {
            int s = (int)(rnd() % n), d = (int)(rnd() % n);
            reference_dijkstra(&r, s, ref);
            double got = cor_route_distance(q, s, d);
            if (isinf(ref[d])) {
                assert_true(isinf(got));
                continue;
            }
            if (!(fabs(got - ref[d]) <= 1e-9 * (1 + ref[d])))
                fprintf(stderr, "graph %d: %d -> %d: got %g, reference %g\n", t, s, d, got, ref[d]);
            assert_true(fabs(got - ref[d]) <= 1e-9 * (1 + ref[d]));
            cor_route route;
            assert_int_equal(cor_route_shortest(q, s, d, &route, &err), COR_OK);
            assert_true(fabs(route.totals.cost - ref[d]) <= 1e-9 * (1 + ref[d]));
            cor_test_check_route(&route, s, d);
            cor_route_clear(&route);
        }
        free(ref);
        cor_route_query_free(q);
        cor_graph_free(g);
        cor_network_free(net);
        rgraph_free(&r);
        cor_error_clear(&err);
    }
}

static void test_random_dijkstra(void **state)
{
    (void)state;
    check_random_graphs(false, false);
}

static void test_random_astar(void **state)
{
    (void)state;
    check_random_graphs(true, false);
    check_random_graphs(true, true);
}

/* ---------------------------------------------------------------- Yen vs brute force */

typedef struct enum_ctx {
    const rgraph *r;
    int target;
    bool *on_path;
    double *costs;
    int n_costs, cap;
} enum_ctx;

static void enumerate(enum_ctx *c, int u, double cost)
{
    if (u == c->target) {
        if (c->n_costs == c->cap) {
            c->cap = c->cap ? 2 * c->cap : 64;
            c->costs = realloc(c->costs, c->cap * sizeof(double));
        }
        c->costs[c->n_costs++] = cost;
        return;
    }
    c->on_path[u] = true;
    const rgraph *r = c->r;
    for (int e = 0; e < r->m; e++) {
        if (r->from[e] == u && !c->on_path[r->to[e]]) enumerate(c, r->to[e], cost + r->w[e]);
        if (r->both[e] && r->to[e] == u && !c->on_path[r->from[e]])
            enumerate(c, r->from[e], cost + r->w[e]);
    }
    c->on_path[u] = false;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_yen_brute_force(void **state)
{
    (void)state;
    for (int t = 0; t < 200; t++) {
        rgraph r;
        int n = 2 + (int)(rnd() % 7);
        rgraph_make(&r, n, (int)(rnd() % (2 * n)) + 2, t % 2);
        cor_network *net = rgraph_network(&r, t % 3 == 0);
        cor_profile p;
        cor_profile_init(&p);
        cor_graph *g;
        cor_error err;
        cor_error_init(&err);
        assert_int_equal(cor_graph_compile(&g, net, &p, &err), COR_OK);
        cor_route_query *q = cor_route_query_new(g);
        int s = (int)(rnd() % n), d = (int)(rnd() % n);
        if (s == d) d = (d + 1) % n;
        enum_ctx c = {&r, d, calloc(n, sizeof(bool)), NULL, 0, 0};
        enumerate(&c, s, 0);
        if (c.n_costs) qsort(c.costs, c.n_costs, sizeof(double), cmp_double);
        const size_t k = 6;
        cor_route routes[6];
        size_t found = 0;
        cor_status st = cor_route_alternatives(q, s, d, k, routes, &found, &err);
        if (c.n_costs == 0) {
            assert_int_equal(st, COR_ERR_NO_ROUTE);
        } else {
            assert_int_equal(st, COR_OK);
            assert_int_equal(found, c.n_costs < (int)k ? (size_t)c.n_costs : k);
            for (size_t i = 0; i < found; i++) {
                assert_true(fabs(routes[i].totals.cost - c.costs[i]) < 1e-9 * (1 + c.costs[i]));
                cor_test_check_route(&routes[i], s, d);
                /* loopless: no node twice */
                bool *seen = calloc(n, sizeof(bool));
                seen[s] = true;
                for (size_t l = 0; l < routes[i].n_legs; l++) {
                    assert_false(seen[routes[i].legs[l].to]);
                    seen[routes[i].legs[l].to] = true;
                }
                free(seen);
                /* distinct from the ones before */
                for (size_t j = 0; j < i; j++) {
                    bool same = routes[i].n_legs == routes[j].n_legs;
                    for (size_t l = 0; same && l < routes[i].n_legs; l++)
                        same = routes[i].legs[l].link == routes[j].legs[l].link &&
                               routes[i].legs[l].to == routes[j].legs[l].to;
                    assert_false(same);
                }
                cor_route_clear(&routes[i]);
            }
        }
        free(c.on_path);
        free(c.costs);
        cor_route_query_free(q);
        cor_graph_free(g);
        cor_network_free(net);
        rgraph_free(&r);
        cor_error_clear(&err);
    }
}

/* ---------------------------------------------------------------- tables */

static void test_table_matches_queries(void **state)
{
    (void)state;
    for (int t = 0; t < 50; t++) {
        rgraph r;
        int n = 5 + (int)(rnd() % 30);
        rgraph_make(&r, n, 3 * n, false);
        cor_network *net = rgraph_network(&r, true);
        cor_profile p;
        cor_profile_init(&p);
        cor_graph *g;
        cor_error err;
        cor_error_init(&err);
        assert_int_equal(cor_graph_compile(&g, net, &p, &err), COR_OK);
        cor_route_query *q = cor_route_query_new(g);
        uint32_t from[3], to[4];
        for (int i = 0; i < 3; i++) from[i] = rnd() % n;
        for (int i = 0; i < 4; i++) to[i] = rnd() % n;
        to[3] = to[0]; /* a repeated target */
        cor_totals tab[12];
        assert_int_equal(cor_route_table(q, from, 3, to, 4, tab, &err), COR_OK);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++) {
                double d = cor_route_distance(q, from[i], to[j]);
                if (isinf(d)) assert_true(isinf(tab[i * 4 + j].cost));
                else assert_true(fabs(d - tab[i * 4 + j].cost) < 1e-9 * (1 + d));
            }
        cor_route_query_free(q);
        cor_graph_free(g);
        cor_network_free(net);
        rgraph_free(&r);
        cor_error_clear(&err);
    }
}

/* ---------------------------------------------------------------- multimodal */

/* A (CN) -rail 1435, 10 h, 6 h border dwell- B (KZ, gauge change 4 h) -rail 1520, 100 km
 * at 50 km/h- C (KZ port, transfer 3 h) -ferry 20 h, 7 a week- D (AZ port, transfer 2 h)
 * -road 5 h- E (AZ); and a direct road A–E of 100 h. */
static cor_network *corridor_network(void)
{
    cor_builder *b = cor_builder_new("mini");
    const char *ids[] = {"A", "B", "C", "D", "E"}, *cc[] = {"CN", "KZ", "KZ", "AZ", "AZ"};
    double transfer[] = {NAN, NAN, 3, 2, NAN};
    for (int i = 0; i < 5; i++) {
        cor_node n;
        cor_node_init(&n);
        n.id = ids[i];
        n.country = cc[i];
        n.lon = 80 - 8 * i;
        n.lat = 43;
        n.transfer_hours = transfer[i];
        if (i == 1) n.transship_hours = 4;
        assert_int_equal(cor_builder_add_node(b, &n, -1, i), COR_OK);
    }
    struct {
        const char *id, *from, *to;
        cor_mode mode;
        int gauge;
        double hours, km, speed, freq, dwell, usd;
    } ls[] = {
        {"AB", "A", "B", COR_MODE_RAIL, 1435, 10, NAN, NAN, NAN, 6, 100},
        {"BC", "B", "C", COR_MODE_RAIL, 1520, NAN, 100, 50, NAN, NAN, 200},
        {"CD", "C", "D", COR_MODE_FERRY, 0, 20, NAN, NAN, 7, NAN, 300},
        {"DE", "D", "E", COR_MODE_ROAD, 0, 5, NAN, NAN, NAN, NAN, 50},
        {"AE", "A", "E", COR_MODE_ROAD, 0, 100, NAN, NAN, NAN, NAN, 5000},
    };
    for (int i = 0; i < 5; i++) {
        cor_link l;
        cor_link_init(&l);
        l.id = ls[i].id;
        l.from_id = ls[i].from;
        l.to_id = ls[i].to;
        l.mode = ls[i].mode;
        l.gauge_mm = ls[i].gauge;
        l.duration_hours = ls[i].hours;
        l.length_km = ls[i].km;
        l.speed_kmh = ls[i].speed;
        l.frequency_per_week = ls[i].freq;
        l.border_dwell_hours = ls[i].dwell;
        l.cost = ls[i].usd;
        assert_int_equal(cor_builder_add_link(b, &l, NULL, 0, -1, 5 + i), COR_OK);
    }
    cor_network *net;
    assert_int_equal(cor_builder_finish(b, &net, NULL), COR_OK);
    return net;
}

static cor_status route_with(const cor_network *net, cor_profile *p, const char *from,
                             const char *to, cor_route *out)
{
    cor_graph *g;
    cor_error err;
    cor_error_init(&err);
    cor_status st = cor_graph_compile(&g, net, p, &err);
    if (st == COR_OK) {
        cor_route_query *q = cor_route_query_new(g);
        st = cor_route_shortest(q, cor_network_find_node(net, from),
                                cor_network_find_node(net, to), out, &err);
        cor_route_query_free(q);
        cor_graph_free(g);
    }
    cor_error_clear(&err);
    return st;
}

static void test_multimodal_time(void **state)
{
    (void)state;
    cor_network *net = corridor_network();
    cor_profile p;
    cor_profile_init(&p);
    p.objective = COR_OPT_TIME;
    cor_route r;
    assert_int_equal(route_with(net, &p, "A", "E", &r), COR_OK);
    /* 10 + 6 dwell + 4 gauge + 2 + 3 transfer + 20 + 12 wait + 2 transfer + 5 */
    assert_true(fabs(r.totals.hours - 64) < 1e-9);
    assert_true(fabs(r.totals.cost - 64) < 1e-9);
    assert_int_equal(r.totals.transfers, 3);
    assert_int_equal(r.totals.borders, 2);
    assert_true(fabs(r.totals.usd - 650) < 1e-9);
    assert_int_equal(r.n_legs, 7);
    assert_int_equal(r.legs[1].kind, COR_LEG_TRANSFER);
    assert_int_equal(r.legs[1].gauge_mm, 1520);
    assert_true(fabs(r.legs[4].wait_hours - 12) < 1e-9);
    cor_route_clear(&r);

    /* Avoiding Kazakhstan leaves the road. */
    const char *kz[] = {"KZ"};
    p.avoid_countries = kz;
    p.n_avoid_countries = 1;
    assert_int_equal(route_with(net, &p, "A", "E", &r), COR_OK);
    assert_true(fabs(r.totals.hours - 100) < 1e-9);
    assert_int_equal(r.n_legs, 1);
    cor_route_clear(&r);

    /* Rail and ferry only: no way to E. */
    p.n_avoid_countries = 0;
    p.modes = 1u << COR_MODE_RAIL | 1u << COR_MODE_FERRY;
    assert_int_equal(route_with(net, &p, "A", "E", &r), COR_ERR_NO_ROUTE);
    assert_int_equal(route_with(net, &p, "A", "D", &r), COR_OK);
    cor_route_clear(&r);

    /* Cost: the chain is cheaper. */
    cor_profile_init(&p);
    assert_int_equal(route_with(net, &p, "A", "E", &r), COR_OK);
    assert_true(fabs(r.totals.cost - 650) < 1e-9);
    cor_route_clear(&r);
    cor_network_free(net);
}

/* X -rail- Y -road- Z, with Y given `facility` hours of transfer or transshipment. */
static cor_status rail_then_road(bool terminal, bool transship)
{
    cor_builder *b = cor_builder_new("t");
    const char *ids[] = {"X", "Y", "Z"};
    for (int i = 0; i < 3; i++) {
        cor_node n;
        cor_node_init(&n);
        n.id = ids[i];
        if (i == 1 && terminal) n.transfer_hours = 1;
        if (i == 1 && transship) n.transship_hours = 1;
        cor_builder_add_node(b, &n, -1, i);
    }
    cor_link l;
    cor_link_init(&l);
    l.id = "XY", l.from_id = "X", l.to_id = "Y", l.mode = COR_MODE_RAIL, l.cost = 1;
    cor_builder_add_link(b, &l, NULL, 0, -1, 3);
    l.id = "YZ", l.from_id = "Y", l.to_id = "Z", l.mode = COR_MODE_ROAD;
    cor_builder_add_link(b, &l, NULL, 0, -1, 4);
    cor_network *net;
    assert_int_equal(cor_builder_finish(b, &net, NULL), COR_OK);
    cor_profile p;
    cor_profile_init(&p);
    cor_route r;
    cor_status st = route_with(net, &p, "X", "Z", &r);
    cor_route_clear(&r);
    cor_network_free(net);
    return st;
}

static void test_transfer_needs_terminal(void **state)
{
    (void)state;
    /* A change of mode needs a terminal; a gauge-change facility alone is not one. */
    assert_int_equal(rail_then_road(false, false), COR_ERR_NO_ROUTE);
    assert_int_equal(rail_then_road(false, true), COR_ERR_NO_ROUTE);
    assert_int_equal(rail_then_road(true, false), COR_OK);
    /* Without a gauge-change facility at B, rail 1435 cannot continue on 1520. */
    cor_network *net = corridor_network();
    cor_profile p;
    cor_profile_init(&p);
    const char *avoid[] = {"AE"};
    p.avoid_links = avoid;
    p.n_avoid_links = 1;
    cor_route r;
    assert_int_equal(route_with(net, &p, "A", "C", &r), COR_OK);
    cor_route_clear(&r);
    const char *bad[] = {"NOPE"};
    p.avoid_links = bad;
    cor_graph *g;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_graph_compile(&g, net, &p, &err), COR_ERR_NOT_FOUND);
    assert_non_null(strstr(err.problems[0].message, "NOPE"));
    cor_error_clear(&err);
    cor_network_free(net);
}

static void test_via_and_missing_time(void **state)
{
    (void)state;
    cor_network *net = corridor_network();
    cor_profile p;
    cor_profile_init(&p);
    p.objective = COR_OPT_TIME;
    cor_graph *g;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_graph_compile(&g, net, &p, &err), COR_OK);
    cor_route_query *q = cor_route_query_new(g);
    uint32_t via[] = {cor_network_find_node(net, "E"), cor_network_find_node(net, "A"),
                      cor_network_find_node(net, "C")};
    cor_route r;
    assert_int_equal(cor_route_via(q, via, 3, &r, &err), COR_OK);
    cor_test_check_route(&r, via[0], via[2]);
    cor_route_clear(&r);
    cor_route_query_free(q);
    cor_graph_free(g);
    p.objective = COR_OPT_CO2; /* no link has CO2: a clear error naming a link */
    assert_int_equal(cor_graph_compile(&g, net, &p, &err), COR_ERR_INPUT);
    assert_string_equal(err.problems[0].field, "co2_kg");
    cor_error_clear(&err);
    cor_network_free(net);
}

/* issue 12: a generalised cost that overflows from finite figures is the profile's fault
 * (its value of time), named as such, not a network file missing a figure. */
static void test_generalised_overflow_blames_the_profile(void **state)
{
    (void)state;
    char path[512];
    cor_network *net = NULL;
    cor_error err;
    cor_error_init(&err);
    cor_test_data("cli/multimodal.geojson", path, sizeof path);
    assert_int_equal(cor_network_load(&net, path, COR_FORMAT_AUTO, &err), COR_OK);
    cor_profile p;
    cor_profile_init(&p);
    p.objective = COR_OPT_GENERALISED;
    p.value_of_time = 1e9; /* the CLI's largest: still finite */
    cor_graph *g = NULL;
    assert_int_equal(cor_graph_compile(&g, net, &p, &err), COR_OK);
    cor_graph_free(g);
    p.value_of_time = 1e308;
    assert_int_equal(cor_graph_compile(&g, net, &p, &err), COR_ERR_USAGE);
    assert_null(g);
    assert_string_equal(err.problems[0].field, "value_of_time");
    assert_string_equal(err.problems[0].file, "");
    assert_non_null(strstr(err.problems[0].message, "overflows"));
    cor_error_clear(&err);
    cor_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_dijkstra),
        cmocka_unit_test(test_random_astar),
        cmocka_unit_test(test_yen_brute_force),
        cmocka_unit_test(test_table_matches_queries),
        cmocka_unit_test(test_multimodal_time),
        cmocka_unit_test(test_transfer_needs_terminal),
        cmocka_unit_test(test_via_and_missing_time),
        cmocka_unit_test(test_generalised_overflow_blames_the_profile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
