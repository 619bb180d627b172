/*
 * test_assign.c — demand assignment on networks small enough to solve by hand.
 *
 * LP: capacity forces a split between two routes; capacity runs out and demand is left
 * unserved; two pairs compete for one link. Frank-Wolfe: two parallel links with BPR
 * delays reach the equilibrium where both take the same time (found here by bisection on
 * the equilibrium condition itself). Demand files: every bad line at its place.
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
#include "testutil.h"

/* Nodes A..E; links given as "id from to cost capacity" (capacity < 0: none). */
typedef struct spec_link {
    const char *id, *from, *to;
    double cost, cap;
} spec_link;

static cor_network *build(const spec_link *links, size_t n)
{
    cor_builder *b = cor_builder_new("assign");
    const char *ids[] = {"A", "B", "C", "D", "E"};
    for (int i = 0; i < 5; i++) {
        cor_node node;
        cor_node_init(&node);
        node.id = ids[i];
        cor_builder_add_node(b, &node, -1, i);
    }
    for (size_t i = 0; i < n; i++) {
        cor_link l;
        cor_link_init(&l);
        l.id = links[i].id, l.from_id = links[i].from, l.to_id = links[i].to;
        l.cost = links[i].cost;
        l.duration_hours = links[i].cost;
        l.backward = false;
        if (links[i].cap >= 0) l.capacity = links[i].cap;
        cor_builder_add_link(b, &l, NULL, 0, -1, 5 + (long)i);
    }
    cor_network *net;
    assert_int_equal(cor_builder_finish(b, &net, NULL), COR_OK);
    return net;
}

static cor_status run(const cor_network *net, cor_demand *d, size_t n, cor_assign_method m,
                      cor_assign_result *r)
{
    for (size_t i = 0; i < n; i++) { /* nodes were named A.. in order */
        d[i].from = (uint32_t)d[i].from;
        d[i].to = (uint32_t)d[i].to;
    }
    cor_assign_spec spec = {NULL, d, n, m, 500, 1e-9, 0, 0, NULL};
    cor_error err;
    cor_error_init(&err);
    cor_status st = cor_assign(net, &spec, r, &err);
    cor_error_clear(&err);
    return st;
}

static double volume(const cor_network *net, const cor_assign_result *r, const char *link)
{
    return r->link_volume[cor_network_find_link(net, link)];
}

enum { A, B, C, D, E };

static void test_lp_split_and_unserved(void **state)
{
    (void)state;
    /* A-B direct costs 1 (capacity 10); A-C-B costs 2 + 2 (capacity 8 on A-C). */
    spec_link links[] = {{"AB", "A", "B", 1, 10}, {"AC", "A", "C", 2, 8}, {"CB", "C", "B", 2, -1}};
    cor_network *net = build(links, 3);
    cor_demand d[] = {{A, B, 15}};
    cor_assign_result r;
    assert_int_equal(run(net, d, 1, COR_ASSIGN_LP, &r), COR_OK);
    assert_true(fabs(volume(net, &r, "AB") - 10) < 1e-6);
    assert_true(fabs(volume(net, &r, "AC") - 5) < 1e-6);
    assert_true(fabs(r.unserved[0]) < 1e-6);
    assert_true(fabs(r.cost - (10 * 1 + 5 * 4)) < 1e-6);
    assert_true(fabs(r.hours - 30) < 1e-6);
    cor_assign_result_clear(&r);
    /* 25 wanted, 18 can go: 7 unserved */
    d[0].quantity = 25;
    assert_int_equal(run(net, d, 1, COR_ASSIGN_LP, &r), COR_OK);
    assert_true(fabs(r.unserved[0] - 7) < 1e-6);
    assert_true(fabs(volume(net, &r, "AB") - 10) < 1e-6);
    assert_true(fabs(volume(net, &r, "CB") - 8) < 1e-6);
    cor_assign_result_clear(&r);
    cor_network_free(net);
}

static void test_lp_competition(void **state)
{
    (void)state;
    /* A->D and B->D both want C-D (capacity 10). A has a detour A-E-D costing 5 more,
     * B has none: the system optimum keeps C-D for B. */
    spec_link links[] = {{"AC", "A", "C", 1, -1}, {"BC", "B", "C", 1, -1}, {"CD", "C", "D", 1, 10},
                         {"AE", "A", "E", 3, -1}, {"ED", "E", "D", 4, -1}};
    cor_network *net = build(links, 5);
    cor_demand d[] = {{A, D, 8}, {B, D, 6}};
    cor_assign_result r;
    assert_int_equal(run(net, d, 2, COR_ASSIGN_LP, &r), COR_OK);
    assert_true(fabs(volume(net, &r, "BC") - 6) < 1e-6);
    assert_true(fabs(volume(net, &r, "AC") - 4) < 1e-6);
    assert_true(fabs(volume(net, &r, "AE") - 4) < 1e-6);
    assert_true(fabs(volume(net, &r, "CD") - 10) < 1e-6);
    assert_true(fabs(r.cost - (6 * 2 + 4 * 2 + 4 * 7)) < 1e-6);
    cor_assign_result_clear(&r);
    cor_network_free(net);
}

static void test_lp_zero_row(void **state)
{
    (void)state;
    /* A row of quantity 0 is served with no volume; the others are solved as without it
     * (GLPK refused the whole program: a column bounded to [0, 0] as "double-bounded"). */
    spec_link links[] = {{"AB", "A", "B", 1, 10}, {"AC", "A", "C", 2, 8}, {"CB", "C", "B", 2, -1}};
    cor_network *net = build(links, 3);
    cor_demand d[] = {{A, C, 0}, {A, B, 15}, {C, B, 0}};
    cor_assign_result r;
    assert_int_equal(run(net, d, 3, COR_ASSIGN_LP, &r), COR_OK);
    assert_true(fabs(volume(net, &r, "AB") - 10) < 1e-6);
    assert_true(fabs(volume(net, &r, "AC") - 5) < 1e-6);
    assert_true(r.unserved[0] == 0 && fabs(r.unserved[1]) < 1e-6 && r.unserved[2] == 0);
    assert_true(fabs(r.cost - 30) < 1e-6);
    cor_assign_result_clear(&r);
    cor_demand none[] = {{A, B, 0}}; /* nothing to move at all */
    assert_int_equal(run(net, none, 1, COR_ASSIGN_LP, &r), COR_OK);
    assert_true(r.unserved[0] == 0 && volume(net, &r, "AB") == 0 && r.cost == 0);
    cor_assign_result_clear(&r);
    cor_network_free(net);
}

static double bpr(double t0, double cap, double v)
{
    return t0 * (1 + 0.15 * pow(v / cap, 4));
}

static void test_frank_wolfe_two_links(void **state)
{
    (void)state;
    spec_link links[] = {{"FAST", "A", "B", 10, 100}, {"SLOW", "A", "B", 15, 100}};
    cor_network *net = build(links, 2);
    cor_demand d[] = {{A, B, 300}};
    cor_assign_result r;
    assert_int_equal(run(net, d, 1, COR_ASSIGN_FRANK_WOLFE, &r), COR_OK);
    /* Wardrop: both used and equally fast, v1 + v2 = 300; solve t1(v1) = t2(300 - v1). */
    double lo = 0, hi = 300;
    for (int i = 0; i < 100; i++) {
        double mid = 0.5 * (lo + hi);
        if (bpr(10, 100, mid) > bpr(15, 100, 300 - mid)) hi = mid;
        else lo = mid;
    }
    double v1 = 0.5 * (lo + hi);
    assert_true(fabs(volume(net, &r, "FAST") - v1) < 0.5);
    assert_true(fabs(volume(net, &r, "SLOW") - (300 - v1)) < 0.5);
    assert_true(r.n_gaps >= 1 && r.gaps[r.n_gaps - 1] < 1e-4);
    /* the gap goes down */
    assert_true(r.gaps[r.n_gaps - 1] <= r.gaps[0]);
    cor_assign_result_clear(&r);
    /* uncongested: everything on the fast link */
    d[0].quantity = 1;
    assert_int_equal(run(net, d, 1, COR_ASSIGN_FRANK_WOLFE, &r), COR_OK);
    assert_true(fabs(volume(net, &r, "FAST") - 1) < 1e-9);
    cor_assign_result_clear(&r);
    cor_network_free(net);
}

static bool stop_at(void *ctx, size_t done, size_t total)
{
    (void)total;
    return done < *(size_t *)ctx;
}

/* Stopped through the progress callback midway through iteration 3 (the demand has two
 * origins, so 2 reports per loading): COR_ERR_CANCELLED, two whole iterations, and the
 * volumes equal those of a run limited to two iterations. Stopped in the first loading:
 * nothing assigned, all unserved. */
static void test_frank_wolfe_stopped(void **state)
{
    (void)state;
    spec_link links[] = {{"FAST", "A", "B", 10, 100}, {"SLOW", "A", "B", 15, 100},
                         {"CA", "C", "A", 1, -1}, {"CB", "C", "B", 30, -1}};
    cor_network *net = build(links, 4);
    cor_demand d[] = {{A, B, 300}, {C, B, 50}};
    size_t limit = 2 * 3 + 1; /* initial loading + 2 iterations, then one origin of the third */
    cor_progress stop = {stop_at, &limit};
    cor_assign_spec spec = {NULL, d, 2, COR_ASSIGN_FRANK_WOLFE, 500, 1e-12, 0, 0, &stop};
    cor_assign_result r, two;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_assign(net, &spec, &r, &err), COR_ERR_CANCELLED);
    assert_int_equal(r.iterations, 2);
    spec.progress = NULL;
    spec.max_iterations = 2;
    assert_int_equal(cor_assign(net, &spec, &two, &err), COR_OK);
    for (uint32_t l = 0; l < cor_network_link_count(net); l++)
        assert_true(r.link_volume[l] == two.link_volume[l]);
    cor_assign_result_clear(&r);
    cor_assign_result_clear(&two);
    limit = 1;
    spec.progress = &stop;
    assert_int_equal(cor_assign(net, &spec, &r, &err), COR_ERR_CANCELLED);
    assert_int_equal(r.iterations, 0);
    for (uint32_t l = 0; l < cor_network_link_count(net); l++) assert_true(r.link_volume[l] == 0);
    assert_true(r.unserved[0] == 300 && r.unserved[1] == 50);
    cor_assign_result_clear(&r);
    cor_error_clear(&err);
    cor_network_free(net);
}

/* Frank–Wolfe through the routing index: the network saved as a .cor (graph and index
 * stored) and loaded again, so the assignment customises the index anew at each
 * iteration's costs; congested, several origins with several destinations (no tree on
 * the index): the same volumes, iterations and gaps as on the network itself. */
static void test_frank_wolfe_index(void **state)
{
    (void)state;
    spec_link links[] = {{"FAST", "A", "B", 10, 100}, {"SLOW", "A", "B", 15, 100},
                         {"CA", "C", "A", 1, 80},     {"CB", "C", "B", 30, -1},
                         {"BD", "B", "D", 2, 60},     {"AD", "A", "D", 14, 50},
                         {"DE", "D", "E", 1, 40},     {"CE", "C", "E", 20, -1}};
    cor_network *net = build(links, 8), *cor = NULL;
    char path[256];
    snprintf(path, sizeof path, "/tmp/corridor-test-assign-%d.cor", (int)getpid());
    cor_profile p;
    cor_profile_init(&p);
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_network_save(net, path, &p, 1, &err), COR_OK);
    assert_int_equal(cor_network_load(&cor, path, COR_FORMAT_COR, &err), COR_OK);
    cor_demand d[] = {{A, B, 300}, {A, D, 70}, {C, B, 50}, {C, E, 45}, {A, E, 20}};
    cor_assign_result r, s;
    assert_int_equal(run(net, d, 5, COR_ASSIGN_FRANK_WOLFE, &r), COR_OK);
    assert_int_equal(run(cor, d, 5, COR_ASSIGN_FRANK_WOLFE, &s), COR_OK);
    assert_true(r.iterations > 3); /* congestion moved the paths: the index was customised */
    assert_int_equal(r.iterations, s.iterations);
    for (size_t i = 0; i < r.n_gaps; i++) assert_true(fabs(r.gaps[i] - s.gaps[i]) < 1e-9);
    for (uint32_t l = 0; l < cor_network_link_count(net); l++)
        assert_true(fabs(r.link_volume[l] - s.link_volume[l]) < 1e-6);
    assert_true(fabs(r.cost - s.cost) < 1e-6 * r.cost);
    cor_assign_result_clear(&r);
    cor_assign_result_clear(&s);
    cor_error_clear(&err);
    cor_network_free(cor);
    cor_network_free(net);
    remove(path);
}

static void test_demand_files(void **state)
{
    (void)state;
    spec_link links[] = {{"AB", "A", "B", 1, 10}};
    cor_network *net = build(links, 1);
    char path[256];
    cor_demand *d;
    size_t n;
    cor_error err;
    cor_error_init(&err);
    cor_test_write_temp(".csv", "from,to,quantity\nA,B,5\n\n# note\nB, A ,2.5\n", (size_t)-1, path, sizeof path);
    assert_int_equal(cor_demand_load(path, net, &d, &n, &err), COR_OK);
    assert_int_equal(n, 2);
    assert_true(d[1].quantity == 2.5 && d[1].to == A);
    free(d);
    cor_test_write_temp(".csv", "from,to,quantity\nA,Z,5\nA,B,-1\nA,B,nan\nA,B\nA,A,1\n", (size_t)-1, path,
                        sizeof path);
    assert_int_equal(cor_demand_load(path, net, &d, &n, &err), COR_ERR_INPUT);
    assert_null(d);
    assert_int_equal(err.count, 5);
    assert_int_equal(err.problems[0].line, 2);
    assert_string_equal(err.problems[0].field, "to");
    assert_string_equal(err.problems[1].field, "quantity");
    assert_non_null(strstr(err.problems[2].message, "'nan' is not a number"));
    assert_int_equal(err.problems[3].line, 5);
    assert_non_null(strstr(err.problems[4].message, "same node"));
    cor_error_clear(&err);
    cor_test_write_temp(".csv", "from,to,quantity\n", (size_t)-1, path, sizeof path);
    assert_int_equal(cor_demand_load(path, net, &d, &n, &err), COR_ERR_INPUT);
    assert_non_null(strstr(err.problems[0].message, "no demand"));
    cor_error_clear(&err);
    cor_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lp_split_and_unserved),
        cmocka_unit_test(test_lp_competition),
        cmocka_unit_test(test_lp_zero_row),
        cmocka_unit_test(test_frank_wolfe_two_links),
        cmocka_unit_test(test_frank_wolfe_stopped),
        cmocka_unit_test(test_frank_wolfe_index),
        cmocka_unit_test(test_demand_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
