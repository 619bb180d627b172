/*
 * test_spatial.c — places by coordinates and the distance objective.
 *
 * The locator (src/spatial.c) against a brute-force search by haversine on thousands of
 * random queries over random node sets (uniform on the globe; clustered, with duplicate
 * positions, the antimeridian and the poles; DIMACS New York with its .co when present);
 * usable nodes only; bad coordinates; the snap limit. The distance objective: a route
 * whose shortest differs from its fastest, transfers at 0 km, a link without length_km
 * named, DIMACS refused once. Connected pieces (src/pieces.c) on a network of two pieces
 * and a one-way link.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corridor.h"
#include "testutil.h"

static unsigned long long rng = 88172645463325252ULL;
static double urand(void) /* xorshift64, [0, 1) */
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

/* A uniform point on the sphere. */
static void sphere_point(double *lon, double *lat) {
    *lon = urand() * 360 - 180;
    *lat = asin(2 * urand() - 1) * 180 / M_PI;
}

/* ---------------------------------------------------------------- networks */

static cor_network *finish(cor_builder *b) {
    cor_network *net;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_builder_finish(b, &net, &err), COR_OK);
    cor_error_clear(&err);
    return net;
}

typedef struct pos {
    double lon, lat;
} pos;

static cor_network *points_network(const pos *p, size_t n) {
    cor_builder *b = cor_builder_new("points");
    char id[32];
    for (size_t i = 0; i < n; i++) {
        cor_node nd;
        cor_node_init(&nd);
        snprintf(id, sizeof id, "n%zu", i);
        nd.id = id;
        nd.lon = p[i].lon;
        nd.lat = p[i].lat;
        assert_int_equal(cor_builder_add_node(b, &nd, (long)i + 1, -1), COR_OK);
    }
    return finish(b);
}

/* Brute force: the nearest node by haversine, ties to the lower index; NaN positions and
 * nodes outside mask skipped. */
static uint32_t brute_nearest(const cor_network *net, const bool *mask, double lon, double lat,
                              double *best) {
    uint32_t at = COR_NONE;
    *best = INFINITY;
    for (uint32_t v = 0; v < cor_network_node_count(net); v++) {
        const cor_node *nd = cor_network_node(net, v);
        if ((mask && !mask[v]) || isnan(nd->lon)) continue;
        double d = cor_great_circle_metres(lon, lat, nd->lon, nd->lat);
        if (d < *best) *best = d, at = v;
    }
    return at;
}

/* Every query's answer equals brute force: the same node, or one as near within 1 µm (two
 * nodes at one distance up to rounding); metres as haversine says. */
static void check_queries(const cor_network *net, const cor_locator *loc, const bool *mask,
                          size_t queries, bool near_nodes) {
    size_t n = cor_network_node_count(net), same = 0;
    if (n == 0) return;
    for (size_t k = 0; k < queries; k++) {
        double lon, lat;
        if (near_nodes && k % 2) { /* close to a node: the hard case for pruning */
            const cor_node *nd = cor_network_node(net, (uint32_t)(urand() * n));
            if (isnan(nd->lon)) continue;
            lon = fmax(-180, fmin(180, nd->lon + (urand() - 0.5) * 1e-3));
            lat = fmax(-90, fmin(90, nd->lat + (urand() - 0.5) * 1e-3));
        } else
            sphere_point(&lon, &lat);
        double best, metres;
        uint32_t want = brute_nearest(net, mask, lon, lat, &best), got;
        assert_int_equal(cor_locator_nearest(loc, lon, lat, &got, &metres), COR_OK);
        const cor_node *g = cor_network_node(net, got);
        double got_d = cor_great_circle_metres(lon, lat, g->lon, g->lat);
        if (got != want && fabs(got_d - best) > 1e-6)
            fail_msg("query %.9f,%.9f: got node %u at %.6f m, brute force %u at %.6f m", lon, lat,
                     got, got_d, want, best);
        assert_true(fabs(metres - got_d) <= 1e-6 * fmax(1.0, got_d));
        if (mask) assert_true(mask[got]);
        same += got == want;
    }
    /* other nodes at the same distance only where positions coincide (duplicates, a pole) */
    assert_true(same >= queries / 2);
}

static void test_uniform_points(void **state) {
    (void)state;
    for (int round = 0; round < 4; round++) {
        size_t n = round == 0 ? 1 : round == 1 ? 7 : round == 2 ? 1000 : 20000;
        pos *p = malloc(n * sizeof *p);
        for (size_t i = 0; i < n; i++)
            sphere_point(&p[i].lon, &p[i].lat);
        cor_network *net = points_network(p, n);
        cor_locator *loc;
        cor_error err;
        cor_error_init(&err);
        assert_int_equal(cor_locator_new_nodes(&loc, net, NULL, &err), COR_OK);
        assert_int_equal(cor_locator_size(loc), n);
        check_queries(net, loc, NULL, n > 5000 ? 1500 : 3000, true);
        cor_locator_free(loc);
        cor_network_free(net);
        free(p);
    }
}

/* Clusters, duplicates, a line of equal longitude, the antimeridian, the poles, nodes
 * without a position, and a mask. */
static void test_hard_points(void **state) {
    (void)state;
    size_t n = 6000;
    pos *p = malloc(n * sizeof *p);
    for (size_t i = 0; i < n; i++) {
        switch (i % 6) {
        case 0:
            p[i] = (pos){1.5 + urand() * 0.01, 42.5 + urand() * 0.01};
            break;
        case 1:
            p[i] = p[i - 1];
            break; /* a duplicate position */
        case 2:
            p[i] = (pos){urand() < 0.5 ? 179.9999 : -179.9999, urand() * 10 - 5};
            break;
        case 3:
            p[i] = (pos){urand() * 360 - 180, urand() < 0.5 ? 89.99 : -90};
            break;
        case 4:
            p[i] = (pos){10.0, urand() * 20};
            break;
        default:
            p[i] = (pos){NAN, NAN};
            break;
        }
    }
    cor_network *net = points_network(p, n);
    bool *mask = malloc(n);
    for (size_t i = 0; i < n; i++)
        mask[i] = urand() < 0.7;
    cor_locator *all, *some;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_locator_new_nodes(&all, net, NULL, &err), COR_OK);
    assert_int_equal(cor_locator_new_nodes(&some, net, mask, &err), COR_OK);
    assert_int_equal(cor_locator_size(all), n - n / 6);
    check_queries(net, all, NULL, 3000, true);
    check_queries(net, some, mask, 3000, true);
    /* across the antimeridian: 179.9999 and -179.9999 are 22 m apart, not 40,000 km */
    uint32_t v;
    double m;
    assert_int_equal(cor_locator_nearest(all, -180, 0.0, &v, &m), COR_OK);
    assert_true(m < 1e6);
    cor_locator_free(all);
    cor_locator_free(some);
    cor_network_free(net);
    free(mask);
    free(p);
}

static void test_bad_places(void **state) {
    (void)state;
    pos p[2] = {{1.5, 42.5}, {NAN, NAN}};
    cor_network *net = points_network(p, 2);
    cor_locator *loc, *none;
    cor_error err;
    cor_error_init(&err);
    bool mask[2] = {false, true};
    assert_int_equal(cor_locator_new_nodes(&loc, net, NULL, &err), COR_OK);
    assert_int_equal(cor_locator_new_nodes(&none, net, mask, &err), COR_OK);
    uint32_t v;
    double m;
    assert_int_equal(cor_locator_nearest(loc, 181, 0, &v, &m), COR_ERR_USAGE);
    assert_int_equal(cor_locator_nearest(loc, 0, -90.5, &v, &m), COR_ERR_USAGE);
    assert_int_equal(cor_locator_nearest(loc, NAN, 0, &v, &m), COR_ERR_USAGE);
    assert_int_equal(cor_locator_nearest(none, 0, 0, &v, &m), COR_ERR_NOT_FOUND);
    /* the snap limit: 1° of latitude is 111,195 m on the mean sphere */
    assert_int_equal(cor_locator_snap(loc, net, 1.5, 43.5, 111000, "from", &v, &m, &err),
                     COR_ERR_INPUT);
    assert_string_equal(err.problems[0].field, "from");
    assert_non_null(strstr(err.problems[0].message, "111.2 km"));
    assert_non_null(strstr(err.problems[0].message, "'n0'"));
    cor_error_clear(&err);
    assert_int_equal(cor_locator_snap(loc, net, 1.5, 43.5, 111200, "from", &v, &m, &err), COR_OK);
    assert_int_equal(v, 0);
    assert_true(fabs(m - 111195.08) < 0.05);
    assert_int_equal(cor_locator_snap(none, net, 1.5, 43.5, -1, "to", &v, &m, &err), COR_ERR_INPUT);
    assert_string_equal(err.problems[0].field, "to");
    cor_error_clear(&err);
    assert_true(fabs(cor_great_circle_metres(0, 0, 180, 0) - M_PI * 6371008.8) < 1e-3);
    cor_locator_free(loc);
    cor_locator_free(none);
    cor_network_free(net);
}

/* ---------------------------------------------------------------- a road network */

/* A-B-D fast (18 km, 0.2 h), A-C-D short (15 km, 0.5 h); D -> E one way; F-G apart; H
 * alone; X-Y by rail, X a terminal (mode change at X). */
static cor_network *roads(bool drop_length) {
    static const struct {
        const char *id;
        double lon, lat;
    } nodes[] = {{"A", 1.50, 42.50}, {"B", 1.60, 42.50}, {"C", 1.55, 42.55}, {"D", 1.70, 42.52},
                 {"E", 1.75, 42.55}, {"F", 1.80, 42.60}, {"G", 1.82, 42.61}, {"H", 1.00, 42.00},
                 {"X", 1.71, 42.53}, {"Y", 1.90, 42.70}};
    static const struct {
        const char *id, *from, *to;
        double km, kmh;
        bool one_way, rail;
    } links[] = {{"ab", "A", "B", 9, 90, false, false}, {"bd", "B", "D", 9, 90, false, false},
                 {"ac", "A", "C", 7, 30, false, false}, {"cd", "C", "D", 8, 30, false, false},
                 {"de", "D", "E", 6, 60, true, false},  {"fg", "F", "G", 2, 40, false, false},
                 {"dx", "D", "X", 1, 50, false, false}, {"xy", "X", "Y", 30, 100, false, true}};
    cor_builder *b = cor_builder_new("roads");
    for (size_t i = 0; i < sizeof nodes / sizeof *nodes; i++) {
        cor_node n;
        cor_node_init(&n);
        n.id = nodes[i].id;
        n.lon = nodes[i].lon;
        n.lat = nodes[i].lat;
        if (strcmp(n.id, "X") == 0) n.transfer_hours = 2;
        assert_int_equal(cor_builder_add_node(b, &n, (long)i + 1, -1), COR_OK);
    }
    for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
        cor_link l;
        cor_link_init(&l);
        l.id = links[i].id;
        l.from_id = links[i].from;
        l.to_id = links[i].to;
        l.length_km = links[i].km;
        l.speed_kmh = links[i].kmh;
        if (drop_length && i == 2) /* a time, but no length */
            l.duration_hours = links[i].km / links[i].kmh, l.length_km = l.speed_kmh = NAN;
        l.backward = !links[i].one_way;
        if (links[i].rail) l.mode = COR_MODE_RAIL, l.gauge_mm = 1435;
        assert_int_equal(cor_builder_add_link(b, &l, NULL, 0, (long)i + 1, -1), COR_OK);
    }
    return finish(b);
}

static cor_graph *compile(const cor_network *net, cor_objective o) {
    cor_profile p;
    cor_profile_init(&p);
    p.objective = o;
    cor_graph *g;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_graph_compile(&g, net, &p, &err), COR_OK);
    cor_error_clear(&err);
    return g;
}

static void route_ids(const cor_network *net, const cor_route *r, char *buf, size_t size) {
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->n_legs && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? "," : "",
                                 r->legs[i].kind == COR_LEG_LINK
                                     ? cor_network_link(net, r->legs[i].link)->id
                                     : "transfer");
}

static void test_distance_objective(void **state) {
    (void)state;
    cor_network *net = roads(false);
    assert_int_equal(cor_objective_parse("distance", &(cor_objective){0}), true);
    assert_string_equal(cor_objective_name(COR_OPT_DISTANCE), "distance");
    cor_graph *gd = compile(net, COR_OPT_DISTANCE), *gt = compile(net, COR_OPT_TIME);
    cor_route_query *qd = cor_route_query_new(gd), *qt = cor_route_query_new(gt);
    cor_route rd, rt;
    cor_error err;
    cor_error_init(&err);
    uint32_t a = cor_network_find_node(net, "A"), d = cor_network_find_node(net, "D");
    uint32_t y = cor_network_find_node(net, "Y");
    char ids[128];
    assert_int_equal(cor_route_shortest(qd, a, d, &rd, &err), COR_OK);
    assert_int_equal(cor_route_shortest(qt, a, d, &rt, &err), COR_OK);
    route_ids(net, &rd, ids, sizeof ids);
    assert_string_equal(ids, "ac,cd");
    assert_true(fabs(rd.totals.cost - 15) < 1e-12 && fabs(rd.totals.km - 15) < 1e-12);
    route_ids(net, &rt, ids, sizeof ids);
    assert_string_equal(ids, "ab,bd");
    assert_true(fabs(rt.totals.km - 18) < 1e-12 && fabs(rt.totals.cost - 0.2) < 1e-12);
    cor_route_clear(&rd);
    cor_route_clear(&rt);
    /* a mode change costs hours, not km */
    assert_int_equal(cor_route_shortest(qd, a, y, &rd, &err), COR_OK);
    route_ids(net, &rd, ids, sizeof ids);
    assert_string_equal(ids, "ac,cd,dx,transfer,xy");
    assert_true(fabs(rd.totals.cost - 46) < 1e-12);
    assert_true(rd.legs[3].km == 0 && rd.legs[3].cost == 0 && rd.legs[3].hours == 2);
    cor_route_clear(&rd);
    cor_route_query_free(qd);
    cor_route_query_free(qt);
    cor_graph_free(gd);
    cor_graph_free(gt);
    cor_network_free(net);
    /* a usable link without length_km: a compile error naming it and the field */
    net = roads(true);
    cor_profile p;
    cor_profile_init(&p);
    p.objective = COR_OPT_DISTANCE;
    cor_graph *g;
    assert_int_equal(cor_graph_compile(&g, net, &p, &err), COR_ERR_INPUT);
    assert_int_equal(err.count, 1);
    assert_string_equal(err.problems[0].field, "length_km");
    assert_non_null(strstr(err.problems[0].message, "'ac'"));
    cor_error_clear(&err);
    p.objective = COR_OPT_TIME; /* the other objectives do not need it */
    assert_int_equal(cor_graph_compile(&g, net, &p, &err), COR_OK);
    cor_graph_free(g);
    cor_network_free(net);
}

static void test_distance_dimacs(void **state) {
    (void)state;
    char path[4096];
    cor_network *net;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_network_load(&net, cor_test_data("dimacs/small.gr", path, sizeof path),
                                      COR_FORMAT_AUTO, &err),
                     COR_OK);
    cor_profile p;
    cor_profile_init(&p);
    p.objective = COR_OPT_DISTANCE;
    cor_graph *g;
    assert_int_equal(cor_graph_compile(&g, net, &p, &err), COR_ERR_INPUT);
    assert_int_equal(err.count, 1); /* once for the file, not once per arc */
    assert_string_equal(err.problems[0].field, "length_km");
    assert_non_null(strstr(err.problems[0].message, "DIMACS"));
    cor_error_clear(&err);
    cor_network_free(net);
}

/* ---------------------------------------------------------------- usable nodes, pieces */

static void test_usable_and_pieces(void **state) {
    (void)state;
    cor_network *net = roads(false);
    cor_graph *g = compile(net, COR_OPT_DISTANCE);
    cor_locator *loc;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_locator_new(&loc, g, &err), COR_OK);
    assert_int_equal(cor_locator_size(loc), 9); /* H has no link */
    uint32_t v;
    double m;
    assert_int_equal(cor_locator_nearest(loc, 1.0, 42.0, &v, &m), COR_OK);
    assert_string_equal(cor_network_node(net, v)->id, "A"); /* not H, 0 m away */
    assert_true(m > 60000);
    cor_locator_free(loc);
    /* a profile without rail: Y has no usable link, X still has roads */
    cor_profile p;
    cor_profile_init(&p);
    p.objective = COR_OPT_DISTANCE;
    p.modes = 1u << COR_MODE_ROAD;
    cor_graph *road;
    assert_int_equal(cor_graph_compile(&road, net, &p, &err), COR_OK);
    assert_int_equal(cor_locator_new(&loc, road, &err), COR_OK);
    assert_int_equal(cor_locator_nearest(loc, 1.90, 42.70, &v, &m), COR_OK);
    assert_string_equal(cor_network_node(net, v)->id, "G");
    cor_locator_free(loc);

    bool same;
    size_t na, nb;
#define NODE(id) cor_network_find_node(net, id)
    assert_int_equal(cor_graph_pieces(g, NODE("A"), NODE("F"), &same, &na, &nb, &err), COR_OK);
    assert_false(same);
    assert_int_equal(na, 7); /* A B C D E X Y */
    assert_int_equal(nb, 2);
    assert_int_equal(cor_graph_pieces(g, NODE("E"), NODE("A"), &same, &na, &nb, &err), COR_OK);
    assert_true(same); /* one piece; only the one-way link keeps E from A */
    assert_int_equal(na, 7);
    assert_int_equal(nb, 7);
    assert_int_equal(cor_graph_pieces(g, NODE("H"), NODE("A"), &same, &na, &nb, &err), COR_OK);
    assert_false(same);
    assert_int_equal(na, 0);
    assert_int_equal(nb, 7);
    assert_int_equal(cor_graph_pieces(road, NODE("Y"), NODE("G"), &same, &na, &nb, &err), COR_OK);
    assert_int_equal(na, 0);
    assert_int_equal(nb, 2);
    assert_int_equal(cor_graph_pieces(g, 99, 0, &same, &na, &nb, &err), COR_ERR_USAGE);
#undef NODE
    cor_error_clear(&err);
    cor_graph_free(road);
    cor_graph_free(g);
    cor_network_free(net);
}

/* ---------------------------------------------------------------- a real node set */

static void test_dimacs_ny(void **state) {
    (void)state;
    char path[4096];
    if (!cor_test_shared_data("dimacs9/USA-road-d.NY.gr.gz", path, sizeof path) ||
        !cor_test_shared_data("dimacs9/USA-road-d.NY.co.gz", (char[4096]){0}, 4096)) {
        print_message("skip: ../shared/data/dimacs9/USA-road-d.NY.{gr,co}.gz absent\n");
        skip();
    }
    cor_network *net;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_network_load(&net, path, COR_FORMAT_AUTO, &err), COR_OK);
    cor_profile p;
    cor_profile_init(&p);
    cor_graph *g;
    assert_int_equal(cor_graph_compile(&g, net, &p, &err), COR_OK);
    cor_locator *loc;
    assert_int_equal(cor_locator_new(&loc, g, &err), COR_OK);
    assert_int_equal(cor_locator_size(loc), cor_network_node_count(net));
    /* queries over New York's box and near its nodes (uniform ones would all land far) */
    size_t n = cor_network_node_count(net);
    for (int k = 0; k < 600; k++) {
        double lon, lat, best, metres;
        const cor_node *nd = cor_network_node(net, (uint32_t)(urand() * n));
        if (k % 3 == 0)
            lon = -74.5 + urand() * 1.5, lat = 40.3 + urand() * 1.0;
        else
            lon = nd->lon + (urand() - 0.5) * 2e-3, lat = nd->lat + (urand() - 0.5) * 2e-3;
        uint32_t want = brute_nearest(net, NULL, lon, lat, &best), got;
        assert_int_equal(cor_locator_nearest(loc, lon, lat, &got, &metres), COR_OK);
        const cor_node *gn = cor_network_node(net, got);
        if (got != want)
            assert_true(fabs(cor_great_circle_metres(lon, lat, gn->lon, gn->lat) - best) < 1e-6);
        assert_true(fabs(metres - best) < 1e-6 * fmax(1, best));
    }
    cor_locator_free(loc);
    cor_graph_free(g);
    cor_network_free(net);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uniform_points),  cmocka_unit_test(test_hard_points),
        cmocka_unit_test(test_bad_places),      cmocka_unit_test(test_distance_objective),
        cmocka_unit_test(test_distance_dimacs), cmocka_unit_test(test_usable_and_pieces),
        cmocka_unit_test(test_dimacs_ny),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
