/*
 * test_topology.c — a topology graph (every link of the layers, whatever its mode, status or
 * filters) with a profile's weights answers exactly as the graph compiled for that profile:
 * on hundreds of random multimodal networks (road, ferry, rail in two gauges, terminals and
 * transshipment yards, planned and closed links, countries) and random profiles (modes,
 * planned links, avoided countries, nodes and links, objectives), every pair's distance is the
 * same on both; and the weights cor_graph_profile_weights gives over one topology are those
 * of the topology compiled for the profile itself.
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
#include <unistd.h>

#include "corridor.h"
#include "graph_internal.h"

static unsigned rng = 777;
static unsigned rnd(void)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 8) & 0xffffff;
}

static const char *const countries[] = {"AZ", "GE", "TR"};

static cor_network *random_network(int n, int m)
{
    cor_builder *b = cor_builder_new("random");
    char id[16], a[16], c[16];
    for (int i = 0; i < n; i++) {
        cor_node node;
        cor_node_init(&node);
        snprintf(id, sizeof id, "%d", i);
        node.id = id;
        node.country = countries[rnd() % 3];
        node.lon = 40 + (rnd() % 1000) / 100.0, node.lat = 40 + (rnd() % 1000) / 100.0;
        unsigned k = rnd() % 4;
        if (k == 0) node.transfer_hours = 1 + rnd() % 5, node.transfer_usd = rnd() % 50;
        if (k == 1) node.transship_hours = 1 + rnd() % 9, node.transship_usd = rnd() % 90;
        if (k == 2) node.transfer_hours = 2, node.transship_hours = 7 + rnd() % 5;
        cor_builder_add_node(b, &node, -1, i);
    }
    static const cor_mode modes[] = {COR_MODE_ROAD, COR_MODE_RAIL, COR_MODE_FERRY};
    for (int e = 0; e < m; e++) {
        cor_link l;
        cor_link_init(&l);
        snprintf(id, sizeof id, "L%d", e);
        snprintf(a, sizeof a, "%d", (int)(rnd() % n));
        snprintf(c, sizeof c, "%d", (int)(rnd() % n));
        l.id = id, l.from_id = a, l.to_id = c;
        l.mode = modes[rnd() % 3];
        if (l.mode == COR_MODE_RAIL) l.gauge_mm = rnd() % 2 ? 1435 : 1520;
        l.length_km = 10 + rnd() % 500;
        l.speed_kmh = 20 + rnd() % 80;
        l.cost = rnd() % 7 ? 1 + rnd() % 300 : 0;
        l.co2_kg = rnd() % 100;
        l.backward = rnd() % 3 != 0;
        unsigned s = rnd() % 8;
        l.status = s == 0 ? COR_STATUS_PLANNED : s == 1 ? COR_STATUS_CLOSED : COR_STATUS_OPEN;
        cor_builder_add_link(b, &l, NULL, 0, -1, n + e);
    }
    cor_network *net;
    assert_int_equal(cor_builder_finish(b, &net, NULL), COR_OK);
    return net;
}

typedef struct profile_case {
    cor_profile p;
    const char *avoid_country[1], *avoid_node[1], *avoid_link[1];
    char node_id[16], link_id[16];
} profile_case;

static void random_profile(profile_case *pc, int n, int m)
{
    cor_profile *p = &pc->p;
    cor_profile_init(p);
    static const cor_objective objectives[] = {COR_OPT_COST, COR_OPT_TIME, COR_OPT_CO2,
                                               COR_OPT_GENERALISED};
    p->objective = objectives[rnd() % 4];
    p->value_of_time = rnd() % 20, p->carbon_price = rnd() % 90;
    if (rnd() % 2) p->modes = 1u + rnd() % 7; /* a subset of road, rail, ferry (bits 0-2) */
    p->modes = p->modes ? ((p->modes & 1) << COR_MODE_ROAD | (p->modes & 2) >> 1 << COR_MODE_RAIL |
                           (p->modes & 4) >> 2 << COR_MODE_FERRY)
                        : 0;
    p->include_planned = rnd() % 2;
    if (rnd() % 3 == 0) {
        pc->avoid_country[0] = countries[rnd() % 3];
        p->avoid_countries = pc->avoid_country, p->n_avoid_countries = 1;
    }
    if (rnd() % 3 == 0) {
        snprintf(pc->node_id, sizeof pc->node_id, "%d", (int)(rnd() % n));
        pc->avoid_node[0] = pc->node_id;
        p->avoid_nodes = pc->avoid_node, p->n_avoid_nodes = 1;
    }
    if (rnd() % 3 == 0) {
        snprintf(pc->link_id, sizeof pc->link_id, "L%d", (int)(rnd() % m));
        pc->avoid_link[0] = pc->link_id;
        p->avoid_links = pc->avoid_link, p->n_avoid_links = 1;
    }
}

static void same_distances(const cor_graph *a, const cor_graph *b, int n, int round)
{
    cor_route_query *qa = cor_route_query_new(a), *qb = cor_route_query_new(b);
    assert_non_null(qa);
    assert_non_null(qb);
    for (uint32_t s = 0; s < (uint32_t)n; s++)
        for (uint32_t t = 0; t < (uint32_t)n; t++) {
            if (s == t) continue;
            double da = cor_route_distance(qa, s, t), db = cor_route_distance(qb, s, t);
            if (!(da == db || fabs(da - db) <= 1e-9 * fabs(da)))
                fail_msg("round %d: %u -> %u: compiled %.17g, topology %.17g", round, s, t, da, db);
        }
    cor_route_query_free(qa);
    cor_route_query_free(qb);
}

static void test_topology_equals_compiled(void **state)
{
    (void)state;
    size_t compared = 0;
    for (int round = 0; round < 400; round++) {
        int n = 3 + (int)(rnd() % 9), m = 2 + (int)(rnd() % 25);
        cor_network *net = random_network(n, m);
        profile_case base, pc;
        random_profile(&base, n, m);
        random_profile(&pc, n, m);
        cor_error err;
        cor_error_init(&err);
        cor_graph *g = NULL, *t = NULL, *t0 = NULL;
        cor_status st = cor_graph_compile(&g, net, &pc.p, &err);
        if (st == COR_OK) {
            assert_int_equal(cor_graph_compile_topology(&t, net, &pc.p, &err), COR_OK);
            assert_true(t->topology);
            same_distances(g, t, n, round);
            /* The same weights from a topology compiled for another profile. */
            cor_status st0 = cor_graph_compile_topology(&t0, net, &base.p, &err);
            if (st0 == COR_OK) {
                assert_int_equal(t0->n_arcs, t->n_arcs);
                double *w = malloc((t0->n_arcs + 1) * sizeof *w);
                assert_int_equal(cor_graph_profile_weights(t0, &pc.p, w, &err), COR_OK);
                for (uint32_t a = 0; a < t0->n_arcs; a++)
                    assert_true(w[a] == cor_g_weight(t, a) ||
                                (isinf(w[a]) && isinf(cor_g_weight(t, a))));
                free(w);
                compared++;
            }
        } else {
            /* The profile cannot be compiled (a usable link lacks what it optimises): the
             * topology refuses it too, with the same status. */
            cor_error_clear(&err);
            assert_int_equal(cor_graph_compile_topology(&t, net, &pc.p, &err), st);
        }
        cor_graph_free(g);
        cor_graph_free(t);
        cor_graph_free(t0);
        cor_error_clear(&err);
        cor_network_free(net);
    }
    assert_true(compared > 100); /* the weight comparison is not vacuous */
}

/* A yard where changing gauge (10 h) costs more than two mode changes (2 h each), and a road
 * there that the profile cannot use (closed): the topology has a road state at the yard, but a
 * route may not pass through it, since the profile's own graph has none. */
static void test_no_transfer_through_a_dead_state(void **state)
{
    (void)state;
    cor_builder *b = cor_builder_new("yard");
    const char *ids[] = {"A", "B", "C", "D"};
    for (int i = 0; i < 4; i++) {
        cor_node n;
        cor_node_init(&n);
        n.id = ids[i];
        if (i == 1) n.transfer_hours = 2, n.transship_hours = 10;
        cor_builder_add_node(b, &n, -1, i);
    }
    const char *from[] = {"A", "B", "B"}, *to[] = {"B", "C", "D"};
    for (int e = 0; e < 3; e++) {
        cor_link l;
        cor_link_init(&l);
        char id[8];
        snprintf(id, sizeof id, "L%d", e);
        l.id = id, l.from_id = from[e], l.to_id = to[e];
        l.mode = e == 2 ? COR_MODE_ROAD : COR_MODE_RAIL;
        l.gauge_mm = e == 0 ? 1435 : e == 1 ? 1520 : 0;
        l.duration_hours = 1;
        l.status = e == 2 ? COR_STATUS_CLOSED : COR_STATUS_OPEN;
        cor_builder_add_link(b, &l, NULL, 0, -1, 4 + e);
    }
    cor_network *net;
    assert_int_equal(cor_builder_finish(b, &net, NULL), COR_OK);
    cor_profile p;
    cor_profile_init(&p);
    p.objective = COR_OPT_TIME;
    cor_graph *g, *t;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_graph_compile(&g, net, &p, &err), COR_OK);
    assert_int_equal(cor_graph_compile_topology(&t, net, &p, &err), COR_OK);
    assert_true(cor_graph_state_count(t) > cor_graph_state_count(g)); /* the road state */
    cor_route_query *q = cor_route_query_new(t);
    assert_true(cor_route_distance(q, 0, 2) == 12.0); /* 1 + 10 + 1, not 1 + 2 + 2 + 1 */
    cor_route_query_free(q);
    q = cor_route_query_new(g);
    assert_true(cor_route_distance(q, 0, 2) == 12.0);
    cor_route_query_free(q);
    cor_graph_free(g);
    cor_graph_free(t);
    cor_error_clear(&err);
    cor_network_free(net);
}

/* A .cor stores the topology of its profile with an index: any other profile of its layers
 * is that topology customised (its weights, a metric of the stored index), and answers every
 * pair as the graph compiled for the profile on the source network does, through the index. */
static void test_cor_customised_profiles(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "/tmp/corridor-test-topology-%d.cor", (int)getpid());
    size_t customised = 0;
    for (int round = 0; round < 120; round++) {
        int n = 3 + (int)(rnd() % 9), m = 2 + (int)(rnd() % 25);
        cor_network *net = random_network(n, m), *cor = NULL;
        cor_profile p0;
        cor_profile_init(&p0);
        p0.objective = COR_OPT_TIME; /* every random link has a time */
        cor_error err;
        cor_error_init(&err);
        assert_int_equal(cor_network_save(net, path, &p0, 1, &err), COR_OK);
        assert_int_equal(cor_network_load(&cor, path, COR_FORMAT_COR, &err), COR_OK);
        for (int k = 0; k < 4; k++) {
            profile_case pc;
            random_profile(&pc, n, m);
            cor_graph *g = NULL, *c = NULL;
            cor_status st = cor_graph_compile(&g, net, &pc.p, &err);
            cor_error_clear(&err);
            assert_int_equal(cor_graph_compile(&c, cor, &pc.p, &err), st);
            cor_error_clear(&err);
            if (st == COR_OK) {
                assert_true(cor_graph_is_stored(c)); /* the stored arrays, not a compile */
                same_distances(g, c, n, round);
                cor_route_query *q = cor_route_query_new(c);
                (void)cor_route_distance(q, 0, 1);
                assert_string_equal(cor_route_query_engine(q), "cch");
                cor_route_query_free(q);
                customised++;
            }
            cor_graph_free(g);
            cor_graph_free(c);
        }
        cor_network_free(cor);
        cor_network_free(net);
    }
    remove(path);
    assert_true(customised > 200);
}

/* A graph compiled normally is no topology: asking it for another profile's weights fails. */
static void test_weights_need_a_topology(void **state)
{
    (void)state;
    cor_network *net = random_network(5, 8);
    cor_profile p;
    cor_profile_init(&p);
    cor_graph *g;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_graph_compile(&g, net, &p, &err), COR_OK);
    double w[64];
    assert_true(cor_graph_arc_count(g) < 64);
    assert_int_equal(cor_graph_profile_weights(g, &p, w, &err), COR_ERR_USAGE);
    cor_graph_free(g);
    cor_error_clear(&err);
    cor_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_topology_equals_compiled),
        cmocka_unit_test(test_no_transfer_through_a_dead_state),
        cmocka_unit_test(test_weights_need_a_topology),
        cmocka_unit_test(test_cor_customised_profiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
