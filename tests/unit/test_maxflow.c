/*
 * test_maxflow.c — maximum flow and minimum cut.
 *
 * pgRouting's documented pgr_maxFlow results on its sample network; a brute-force
 * minimum cut (every vertex subset) on hundreds of small random networks, with node
 * capacities; the reported cut adds up to the flow; flows respect capacities and are
 * conserved; an uncapacitated path gives an infinite answer with the path named.
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

static double flow_between(const cor_network *net, const char *const *from, size_t nf,
                           const char *const *to, size_t nt, cor_flow_result *r)
{
    uint32_t s[16], t[16];
    for (size_t i = 0; i < nf; i++) s[i] = cor_network_find_node(net, from[i]);
    for (size_t i = 0; i < nt; i++) t[i] = cor_network_find_node(net, to[i]);
    cor_flow_spec spec = {NULL, s, nf, t, nt, true, false};
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_maxflow(net, &spec, r, &err), COR_OK);
    cor_error_clear(&err);
    return r->value;
}

static void test_pgrouting_documented(void **state)
{
    (void)state;
    char path[4096];
    cor_network *net;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_network_load(&net, cor_test_data("pgrouting/edges.csv", path, sizeof path),
                                      COR_FORMAT_PGROUTING, &err), COR_OK);
    /* pgRouting 3.4.2 docs, pgr_maxFlow page (../shared/data/pgrouting-3.4.2-doc). */
    struct {
        const char *from[3], *to[3];
        size_t nf, nt;
        double value;
    } cases[] = {
        {{"11"}, {"12"}, 1, 1, 230},
        {{"11"}, {"5", "10", "12"}, 1, 3, 340},
        {{"11", "3", "17"}, {"12"}, 3, 1, 230},
        {{"11", "3", "17"}, {"5", "10", "12"}, 3, 3, 360},
        {{"5", "6"}, {"10", "15", "14"}, 2, 3, 80},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cor_flow_result r;
        double v = flow_between(net, cases[i].from, cases[i].nf, cases[i].to, cases[i].nt, &r);
        if (v != cases[i].value) fail_msg("case %zu: %g, documented %g", i, v, cases[i].value);
        double cut = 0;
        for (size_t k = 0; k < r.n_cut; k++) cut += r.cut[k].capacity;
        assert_true(cut == v);
        cor_flow_result_clear(&r);
    }
    cor_network_free(net);
    cor_error_clear(&err);
}

/* ---------------------------------------------------------------- brute force */

static unsigned rng = 777;
static unsigned rnd(void)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 8) & 0xffffff;
}

typedef struct small {
    int n, m;
    int from[24], to[24];
    double cap[24], rcap[24]; /* rcap < 0: one-way */
    double node_cap[8];       /* < 0: none */
} small;

static cor_network *small_network(const small *g)
{
    cor_builder *b = cor_builder_new("small");
    char id[16], a[16], c[16];
    for (int i = 0; i < g->n; i++) {
        cor_node n;
        cor_node_init(&n);
        snprintf(id, sizeof id, "%d", i);
        n.id = id;
        if (g->node_cap[i] >= 0) n.capacity = g->node_cap[i];
        cor_builder_add_node(b, &n, -1, i);
    }
    for (int e = 0; e < g->m; e++) {
        cor_link l;
        cor_link_init(&l);
        snprintf(id, sizeof id, "L%d", e);
        snprintf(a, sizeof a, "%d", g->from[e]);
        snprintf(c, sizeof c, "%d", g->to[e]);
        l.id = id, l.from_id = a, l.to_id = c;
        l.capacity = g->cap[e];
        l.backward = g->rcap[e] >= 0;
        if (l.backward) l.reverse_capacity = g->rcap[e];
        cor_builder_add_link(b, &l, NULL, 0, -1, g->n + e);
    }
    cor_network *net;
    assert_int_equal(cor_builder_finish(b, &net, NULL), COR_OK);
    return net;
}

/* Min over vertex sets X of the split graph (in/out halves) with the source's in half in X
 * and the sink's out half outside, of the capacity leaving X: the handling capacity of
 * the source and sink nodes counts too. Vertex 2v = in, 2v+1 = out. */
static double brute_min_cut(const small *g, int s, int t)
{
    int nv = 2 * g->n;
    double best = INFINITY;
    for (unsigned mask = 0; mask < (1u << nv); mask++) {
        bool in_s = mask >> (2 * s) & 1;
        bool out_t = !(mask >> (2 * t + 1) & 1);
        if (!in_s || !out_t) continue;
        double cut = 0;
#define CROSS(u, v) ((mask >> (u) & 1) && !(mask >> (v) & 1))
        for (int v = 0; v < g->n; v++) {
            double c = g->node_cap[v] >= 0 ? g->node_cap[v] : INFINITY;
            if (CROSS(2 * v, 2 * v + 1)) cut += c;
        }
        for (int e = 0; e < g->m; e++) {
            if (CROSS(2 * g->from[e] + 1, 2 * g->to[e])) cut += g->cap[e];
            if (g->rcap[e] >= 0 && CROSS(2 * g->to[e] + 1, 2 * g->from[e])) cut += g->rcap[e];
        }
#undef CROSS
        if (cut < best) best = cut;
    }
    return best;
}

static void test_random_brute_force(void **state)
{
    (void)state;
    for (int round = 0; round < 300; round++) {
        small g;
        g.n = 2 + (int)(rnd() % 6);
        g.m = 1 + (int)(rnd() % 16);
        for (int v = 0; v < g.n; v++) g.node_cap[v] = rnd() % 3 == 0 ? (double)(rnd() % 12) : -1;
        for (int e = 0; e < g.m; e++) {
            g.from[e] = (int)(rnd() % g.n);
            g.to[e] = (int)(rnd() % g.n);
            g.cap[e] = (double)(1 + rnd() % 10);
            g.rcap[e] = rnd() % 2 ? (double)(rnd() % 10) : -1;
        }
        int s = (int)(rnd() % g.n), t = (int)(rnd() % g.n);
        if (s == t) t = (t + 1) % g.n;
        cor_network *net = small_network(&g);
        char a[16], b[16];
        snprintf(a, sizeof a, "%d", s);
        snprintf(b, sizeof b, "%d", t);
        const char *from[] = {a}, *to[] = {b};
        cor_flow_result r;
        double v = flow_between(net, from, 1, to, 1, &r);
        double want = brute_min_cut(&g, s, t);
        if (v != want) fail_msg("round %d: max flow %g, brute-force min cut %g", round, v, want);
        if (isfinite(v)) {
            double cut = 0;
            for (size_t k = 0; k < r.n_cut; k++) cut += r.cut[k].capacity;
            assert_true(cut == v);
            /* capacities respected, flow conserved at every other node */
            double *balance = calloc(g.n, sizeof(double));
            for (int e = 0; e < g.m; e++) {
                double f = r.link_flow[e];
                assert_true(f <= g.cap[e] + 1e-9);
                assert_true(-f <= (g.rcap[e] >= 0 ? g.rcap[e] : 0) + 1e-9);
                balance[g.from[e]] -= f;
                balance[g.to[e]] += f;
            }
            for (int u = 0; u < g.n; u++) {
                if (u == s) assert_true(fabs(balance[u] + v) < 1e-9);
                else if (u == t) assert_true(fabs(balance[u] - v) < 1e-9);
                else assert_true(fabs(balance[u]) < 1e-9);
                if (g.node_cap[u] >= 0) assert_true(r.node_flow[u] <= g.node_cap[u] + 1e-9);
            }
            free(balance);
        }
        cor_flow_result_clear(&r);
        cor_network_free(net);
    }
}

static void test_unlimited_and_errors(void **state)
{
    (void)state;
    small g = {.n = 4, .m = 3};
    for (int v = 0; v < 4; v++) g.node_cap[v] = -1;
    g.from[0] = 0, g.to[0] = 1, g.cap[0] = 5, g.rcap[0] = -1;
    g.from[1] = 1, g.to[1] = 2, g.cap[1] = NAN, g.rcap[1] = -1; /* no capacity figure */
    g.from[2] = 2, g.to[2] = 3, g.cap[2] = NAN, g.rcap[2] = -1;
    cor_network *net = small_network(&g);
    cor_flow_result r;
    const char *from1[] = {"1"}, *from0[] = {"0"}, *to[] = {"3"};
    assert_true(isinf(flow_between(net, from1, 1, to, 1, &r)));
    assert_int_equal(r.n_open_path, 3);
    assert_int_equal(r.open_path[0], cor_network_find_node(net, "1"));
    assert_int_equal(r.open_path[2], cor_network_find_node(net, "3"));
    cor_flow_result_clear(&r);
    assert_true(flow_between(net, from0, 1, to, 1, &r) == 5);
    assert_int_equal(r.n_cut, 1);
    assert_int_equal(r.cut[0].index, cor_network_find_link(net, "L0"));
    cor_flow_result_clear(&r);
    uint32_t same = 0;
    cor_flow_spec spec = {NULL, &same, 1, &same, 1, true, false};
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_maxflow(net, &spec, &r, &err), COR_ERR_USAGE);
    assert_non_null(strstr(err.problems[0].message, "both a source and a sink"));
    cor_error_clear(&err);
    spec.n_sinks = 0;
    assert_int_equal(cor_maxflow(net, &spec, &r, &err), COR_ERR_USAGE);
    cor_error_clear(&err);
    cor_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pgrouting_documented),
        cmocka_unit_test(test_random_brute_force),
        cmocka_unit_test(test_unlimited_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
