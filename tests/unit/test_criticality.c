/*
 * test_criticality.c — single-element criticality equals brute force: on hundreds of small
 * random networks, remove each link (and each node), recompile, recompute every pair, and
 * compare extra cost, disconnected pairs and unserved demand with cor_criticality_run,
 * which only re-runs the pairs whose route used the element — with 1 to 4 threads, and the
 * same results as with one; the same for pairs of elements (k = 2), for the detour's hours
 * (unknown, not 0, when every pair an element affects is cut off),
 * for stopping midway, and for throughput lost (max-flow recomputed without each element).
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
#include "criticality_internal.h"

static unsigned rng = 4242;
static unsigned rnd(void)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 8) & 0xffffff;
}

static cor_network *random_network(int n, int m)
{
    cor_builder *b = cor_builder_new("random");
    char id[16], a[16], c[16];
    for (int i = 0; i < n; i++) {
        cor_node node;
        cor_node_init(&node);
        snprintf(id, sizeof id, "%d", i);
        node.id = id;
        cor_builder_add_node(b, &node, -1, i);
    }
    for (int e = 0; e < m; e++) {
        cor_link l;
        cor_link_init(&l);
        snprintf(id, sizeof id, "L%d", e);
        snprintf(a, sizeof a, "%d", (int)(rnd() % n));
        snprintf(c, sizeof c, "%d", (int)(rnd() % n));
        l.id = id, l.from_id = a, l.to_id = c;
        l.cost = 1 + rnd() % 20;
        l.backward = rnd() % 2;
        cor_builder_add_link(b, &l, NULL, 0, -1, n + e);
    }
    cor_network *net;
    assert_int_equal(cor_builder_finish(b, &net, NULL), COR_OK);
    return net;
}

/* Objective distance of every pair with the profile (avoiding whatever it avoids). */
static void distances(const cor_network *net, const cor_profile *p, const cor_demand *d,
                      size_t n, double *out)
{
    cor_graph *g;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_graph_compile(&g, net, p, &err), COR_OK);
    cor_route_query *q = cor_route_query_new(g);
    for (size_t k = 0; k < n; k++) out[k] = cor_route_distance(q, d[k].from, d[k].to);
    cor_route_query_free(q);
    cor_graph_free(g);
    cor_error_clear(&err);
}

/* Brute force for one entry: the profile with its element(s) avoided, every pair again. */
static void brute(const cor_network *net, const cor_profile *p, const cor_demand *d, size_t nd,
                  const double *base, const cor_criticality *c, double *extra, size_t *disc,
                  double *unserved)
{
    char id[2][32];
    const char *links[2], *nodes[2];
    cor_profile q = *p;
    q.n_avoid_links = q.n_avoid_nodes = 0;
    for (int i = 0; i < 2; i++) {
        cor_element_kind kind = i ? c->kind2 : c->kind;
        uint32_t index = i ? c->index2 : c->index;
        if (index == COR_NONE) continue;
        snprintf(id[i], sizeof id[i], kind == COR_ELEMENT_LINK ? "L%u" : "%u", index);
        if (kind == COR_ELEMENT_LINK) links[q.n_avoid_links++] = id[i];
        else nodes[q.n_avoid_nodes++] = id[i];
    }
    q.avoid_links = links, q.avoid_nodes = nodes;
    double without[8];
    distances(net, &q, d, nd, without);
    *extra = *unserved = 0;
    *disc = 0;
    for (size_t k = 0; k < nd; k++) {
        if (isinf(base[k])) continue;
        if (isinf(without[k])) ++*disc, *unserved += d[k].quantity;
        else *extra += d[k].quantity * (without[k] - base[k]);
    }
}

static void check_entries(const cor_network *net, const cor_profile *p, const cor_demand *d,
                          size_t nd, const double *base, const cor_criticality *c, size_t n,
                          int round)
{
    for (size_t e = 0; e < n; e++) {
        double extra, unserved;
        size_t disconnected;
        brute(net, p, d, nd, base, &c[e], &extra, &disconnected, &unserved);
        if (!c[e].evaluated || fabs(extra - c[e].extra_cost) > 1e-9 ||
            disconnected != c[e].pairs_disconnected || unserved != c[e].unserved)
            fail_msg("round %d entry %zu (%u, %u): extra %g vs brute %g, disconnected %zu vs %zu",
                     round, e, c[e].index, c[e].index2, c[e].extra_cost, extra,
                     c[e].pairs_disconnected, disconnected);
        /* every pair it affects cut off: no detour, so its figures are unknown, not 0 */
        if (c[e].pairs_affected && c[e].pairs_disconnected == c[e].pairs_affected &&
            !(isnan(c[e].extra_hours) && isnan(c[e].extra_usd) && isnan(c[e].extra_co2_kg)))
            fail_msg("round %d entry %zu cuts off all %zu pairs: extra hours %g, USD %g, CO2 %g",
                     round, e, c[e].pairs_affected, c[e].extra_hours, c[e].extra_usd,
                     c[e].extra_co2_kg);
    }
}

static void same_results(const cor_criticality *a, const cor_criticality *b, size_t n)
{
    for (size_t e = 0; e < n; e++) {
        assert_true(a[e].kind == b[e].kind && a[e].index == b[e].index &&
                    a[e].kind2 == b[e].kind2 && a[e].index2 == b[e].index2);
        assert_true(a[e].extra_cost == b[e].extra_cost && a[e].unserved == b[e].unserved);
        assert_int_equal(a[e].pairs_affected, b[e].pairs_affected);
    }
}

/* k = 1 and k = 2 on 200 random networks: every entry equals brute force, the candidates are
 * the first of the k = 1 ranking, and the results are the same with 1 and 2-4 threads. */
static void test_equals_brute_force(void **state)
{
    (void)state;
    size_t pairs_checked = 0;
    for (int round = 0; round < 200; round++) {
        int n = 3 + (int)(rnd() % 8), m = 2 + (int)(rnd() % 20);
        cor_network *net = random_network(n, m);
        cor_demand d[6];
        size_t nd = 0;
        for (int k = 0; k < 6; k++) {
            uint32_t a = rnd() % n, b = rnd() % n;
            if (a != b) d[nd++] = (cor_demand){a, b, (double)(1 + rnd() % 5)};
        }
        cor_profile p;
        cor_profile_init(&p);
        double base[6];
        distances(net, &p, d, nd, base);
        cor_error err;
        cor_error_init(&err);
        cor_criticality_spec spec = {&p, d, nd, true, true, 2, 6, 1 + (unsigned)(round % 4), NULL};
        cor_criticality_result r, one;
        assert_int_equal(cor_criticality_run(net, &spec, &r, &err), COR_OK);
        assert_int_equal(r.n_single, (size_t)(m + n));
        spec.threads = 1;
        assert_int_equal(cor_criticality_run(net, &spec, &one, &err), COR_OK);
        assert_int_equal(one.n_single, r.n_single);
        assert_int_equal(one.n_pairs, r.n_pairs);
        same_results(one.single, r.single, r.n_single);
        same_results(one.pairs, r.pairs, r.n_pairs);
        check_entries(net, &p, d, nd, base, r.single, r.n_single, round);
        check_entries(net, &p, d, nd, base, r.pairs, r.n_pairs, round);
        pairs_checked += r.n_pairs;
        /* the candidates: the first of the ranking that affect some pair, at most 6 */
        cor_criticality_rank(one.single, one.n_single);
        size_t want = 0;
        while (want < one.n_single && want < 6 && one.single[want].pairs_affected) want++;
        assert_int_equal(r.candidates, want);
        assert_int_equal(r.n_pairs, want * (want - (want > 0)) / 2);
        for (size_t i = 1; i < r.n_pairs; i++) /* ranked */
            assert_true(r.pairs[i - 1].unserved >= r.pairs[i].unserved);
        cor_criticality_result_clear(&one);
        cor_criticality_result_clear(&r);
        cor_error_clear(&err);
        cor_network_free(net);
    }
    assert_true(pairs_checked > 1000); /* the k = 2 check is not vacuous */
}

/* The same through the routing index: each network saved as a .cor (its graph and index
 * stored) and loaded again, so cor_criticality_run closes elements by partial
 * customisation; every entry, k = 1 and 2, equals brute force on the original network. */
static void test_index_equals_brute_force(void **state)
{
    (void)state;
    size_t entries = 0;
    char path[256];
    snprintf(path, sizeof path, "/tmp/corridor-test-crit-%d.cor", (int)getpid());
    for (int round = 0; round < 120; round++) {
        int n = 3 + (int)(rnd() % 8), m = 2 + (int)(rnd() % 20);
        cor_network *net = random_network(n, m), *cor = NULL;
        cor_profile p;
        cor_profile_init(&p);
        cor_error err;
        cor_error_init(&err);
        assert_int_equal(cor_network_save(net, path, &p, 1, &err), COR_OK);
        assert_int_equal(cor_network_load(&cor, path, COR_FORMAT_COR, &err), COR_OK);
        cor_graph *g;
        assert_int_equal(cor_graph_compile(&g, cor, &p, &err), COR_OK);
        cor_route_query *q = cor_route_query_new(g);
        (void)cor_route_distance(q, 0, 1);
        assert_string_equal(cor_route_query_engine(q), "cch"); /* the index answers */
        cor_route_query_free(q);
        cor_graph_free(g);
        cor_demand d[6];
        size_t nd = 0;
        for (int k = 0; k < 6; k++) {
            uint32_t a = rnd() % n, b = rnd() % n;
            if (a != b) d[nd++] = (cor_demand){a, b, (double)(1 + rnd() % 5)};
        }
        double base[6];
        distances(net, &p, d, nd, base);
        cor_criticality_spec spec = {&p, d, nd, true, true, 2, 6, 1 + (unsigned)(round % 3), NULL};
        cor_criticality_result r;
        assert_int_equal(cor_criticality_run(cor, &spec, &r, &err), COR_OK);
        check_entries(net, &p, d, nd, base, r.single, r.n_single, round);
        check_entries(net, &p, d, nd, base, r.pairs, r.n_pairs, round);
        entries += r.n_single + r.n_pairs;
        cor_criticality_result_clear(&r);
        cor_error_clear(&err);
        cor_network_free(cor);
        cor_network_free(net);
    }
    remove(path);
    assert_true(entries > 2000);
}

/* Every link with cost and hours drawn at random (ties unlikely): the detour's extra hours
 * equal those of the route found without the element. */
static void test_extra_hours(void **state)
{
    (void)state;
    for (int round = 0; round < 50; round++) {
        int n = 6, m = 14;
        cor_network *net = random_network(n, m);
        cor_builder *b = cor_builder_new("hours");
        for (uint32_t v = 0; v < (uint32_t)n; v++) cor_builder_add_node(b, cor_network_node(net, v), -1, v);
        for (uint32_t l = 0; l < (uint32_t)m; l++) {
            cor_link link = *cor_network_link(net, l);
            link.from_id = cor_network_node(net, link.from)->id;
            link.to_id = cor_network_node(net, link.to)->id;
            link.cost = 1 + (rnd() % 1000) / 7.0;
            link.duration_hours = 1 + (rnd() % 1000) / 3.0;
            cor_builder_add_link(b, &link, NULL, 0, -1, n + l);
        }
        cor_network *timed;
        assert_int_equal(cor_builder_finish(b, &timed, NULL), COR_OK);
        cor_demand d[1] = {{0, 1, 2.0}};
        cor_profile p;
        cor_profile_init(&p);
        cor_criticality_spec spec = {&p, d, 1, true, false, 1, 0, 2, NULL};
        cor_criticality_result r;
        cor_error err;
        cor_error_init(&err);
        assert_int_equal(cor_criticality_run(timed, &spec, &r, &err), COR_OK);
        cor_graph *g;
        assert_int_equal(cor_graph_compile(&g, timed, &p, &err), COR_OK);
        cor_route_query *q = cor_route_query_new(g);
        cor_route base;
        if (cor_route_shortest(q, 0, 1, &base, &err) == COR_OK) {
            for (size_t e = 0; e < r.n_single; e++) {
                char id[32];
                const char *ids[] = {id};
                snprintf(id, sizeof id, "L%u", r.single[e].index);
                cor_profile without = p;
                without.avoid_links = ids, without.n_avoid_links = 1;
                cor_graph *g2;
                assert_int_equal(cor_graph_compile(&g2, timed, &without, &err), COR_OK);
                cor_route_query *q2 = cor_route_query_new(g2);
                cor_route alt;
                if (cor_route_shortest(q2, 0, 1, &alt, &err) == COR_OK) {
                    assert_float_equal(r.single[e].extra_hours, 2 * (alt.totals.hours - base.totals.hours), 1e-6);
                    assert_float_equal(r.single[e].extra_usd, 2 * (alt.totals.usd - base.totals.usd), 1e-6);
                    assert_float_equal(r.single[e].delay_tonne_hours, r.single[e].extra_hours, 1e-9);
                    cor_route_clear(&alt);
                } else {
                    assert_int_equal(r.single[e].pairs_disconnected, 1);
                    assert_true(isnan(r.single[e].extra_hours) && isnan(r.single[e].extra_co2_kg));
                    cor_error_clear(&err);
                }
                cor_route_query_free(q2);
                cor_graph_free(g2);
            }
            cor_route_clear(&base);
        }
        cor_error_clear(&err);
        cor_route_query_free(q);
        cor_graph_free(g);
        cor_criticality_result_clear(&r);
        cor_network_free(timed);
        cor_network_free(net);
    }
}

static bool stop_after_two(void *ctx, size_t done, size_t total)
{
    (void)done, (void)total;
    return ++*(int *)ctx < 2;
}

/* Stopping through the progress callback: COR_ERR_CANCELLED, the entries done are right and
 * marked evaluated, the others are not. */
static void test_cancel(void **state)
{
    (void)state;
    cor_network *net = random_network(40, 600);
    cor_demand d[20];
    for (int k = 0; k < 20; k++) d[k] = (cor_demand){(uint32_t)k, (uint32_t)(39 - k), 1};
    cor_profile p;
    cor_profile_init(&p);
    int calls = 0;
    cor_progress stop = {stop_after_two, &calls};
    cor_criticality_spec spec = {&p, d, 20, true, true, 2, 10, 1, &stop};
    cor_criticality_result r, full;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_criticality_run(net, &spec, &r, &err), COR_ERR_CANCELLED);
    assert_int_equal(calls, 2);
    assert_int_equal(r.n_pairs, 0); /* stopped among the singles */
    spec.progress = NULL;
    assert_int_equal(cor_criticality_run(net, &spec, &full, &err), COR_OK);
    size_t done = 0;
    for (size_t e = 0; e < r.n_single; e++)
        if (r.single[e].evaluated) {
            done++;
            assert_true(r.single[e].extra_cost == full.single[e].extra_cost);
        }
    assert_true(done > 0 && done < r.n_single);
    cor_criticality_result_clear(&r);
    cor_criticality_result_clear(&full);
    cor_error_clear(&err);
    cor_network_free(net);
}

/* issue 12: counts past the 32-bit inverted index are refused with a message, at their
 * bounds; a run with more pairs than it numbers is refused before anything is allocated. */
static void test_index_bounds(void **state)
{
    (void)state;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(criticality_index_fits(UINT32_MAX - 1, UINT32_MAX - 1, "links", &err), COR_OK);
    assert_int_equal(err.count, 0);
    assert_int_equal(criticality_index_fits(10, UINT32_MAX, "nodes", &err), COR_ERR_USAGE);
    assert_int_equal(err.count, 1);
    assert_string_equal(err.problems[0].field, "demand");
    assert_non_null(strstr(err.problems[0].message, "use 4294967295 nodes in all"));
    assert_non_null(strstr(err.problems[0].message, "(4294967294)"));
    cor_error_clear(&err);
    if (sizeof(size_t) <= 4) return;
    assert_int_equal(criticality_index_fits((size_t)UINT32_MAX, 0, "links", &err), COR_ERR_USAGE);
    assert_non_null(strstr(err.problems[0].message, "4294967295 origin-destination pairs"));
    cor_error_clear(&err);
    /* the run: refused by the count alone (the demand array is never read) */
    cor_network *net = random_network(10, 20);
    cor_demand d[1] = {{0, 9, 1}};
    cor_profile p;
    cor_profile_init(&p);
    cor_criticality_spec spec = {&p, d, (size_t)UINT32_MAX + 1, true, true, 1, 0, 1, NULL};
    cor_criticality_result r;
    assert_int_equal(cor_criticality_run(net, &spec, &r, &err), COR_ERR_USAGE);
    assert_string_equal(err.problems[0].field, "demand");
    assert_int_equal(r.n_single, 0);
    assert_null(r.single);
    cor_error_clear(&err);
    cor_network_free(net);
}

/* Throughput: each element's loss equals a max-flow recomputed without it. */
static void test_throughput_brute_force(void **state)
{
    (void)state;
    for (int round = 0; round < 100; round++) {
        int n = 4 + (int)(rnd() % 6), m = 4 + (int)(rnd() % 16);
        cor_network *g0 = random_network(n, m);
        cor_builder *b = cor_builder_new("cap");
        for (uint32_t v = 0; v < (uint32_t)n; v++) cor_builder_add_node(b, cor_network_node(g0, v), -1, v);
        for (uint32_t l = 0; l < (uint32_t)m; l++) {
            cor_link link = *cor_network_link(g0, l);
            link.from_id = cor_network_node(g0, link.from)->id;
            link.to_id = cor_network_node(g0, link.to)->id;
            link.capacity = 1 + rnd() % 9;
            cor_builder_add_link(b, &link, NULL, 0, -1, n + l);
        }
        cor_network *net;
        assert_int_equal(cor_builder_finish(b, &net, NULL), COR_OK);
        uint32_t s = 0, t = (uint32_t)n - 1;
        cor_flow_spec fs = {NULL, &s, 1, &t, 1, false, false};
        double base, *lost;
        size_t nl;
        cor_error err;
        cor_error_init(&err);
        assert_int_equal(cor_throughput_criticality(net, &fs, true, true, NULL, &base, &lost, &nl, &err), COR_OK);
        assert_int_equal(nl, (size_t)(m + n));
        for (size_t e = 0; e < nl; e++) {
            char id[32];
            const char *ids[] = {id};
            cor_profile q;
            cor_profile_init(&q);
            if (e < (size_t)m) snprintf(id, sizeof id, "L%zu", e), q.avoid_links = ids, q.n_avoid_links = 1;
            else snprintf(id, sizeof id, "%zu", e - m), q.avoid_nodes = ids, q.n_avoid_nodes = 1;
            cor_flow_spec without = fs;
            without.profile = &q;
            cor_flow_result fr;
            assert_int_equal(cor_maxflow(net, &without, &fr, &err), COR_OK);
            assert_float_equal(lost[e], base - fr.value, 1e-9);
            cor_flow_result_clear(&fr);
        }
        free(lost);
        cor_error_clear(&err);
        cor_network_free(net);
        cor_network_free(g0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_equals_brute_force),
                                       cmocka_unit_test(test_index_equals_brute_force),
                                       cmocka_unit_test(test_extra_hours),
                                       cmocka_unit_test(test_cancel),
                                       cmocka_unit_test(test_index_bounds),
                                       cmocka_unit_test(test_throughput_brute_force)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
