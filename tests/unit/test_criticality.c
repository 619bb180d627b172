/*
 * test_criticality.c — single-element criticality equals brute force: on hundreds of small
 * random networks, remove each link (and each node), recompile, recompute every pair, and
 * compare extra cost, disconnected pairs and unserved demand with cor_criticality_run,
 * which only re-runs the pairs whose route used the element — with 1 to 4 threads, and the
 * same results as with one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "corridor.h"

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

static void test_equals_brute_force(void **state)
{
    (void)state;
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
        double base[6], without[6];
        distances(net, &p, d, nd, base);
        cor_criticality *c;
        size_t nc;
        cor_error err;
        cor_error_init(&err);
        unsigned threads = 1 + (unsigned)(round % 4); /* 1 to 4 threads */
        assert_int_equal(cor_criticality_run(net, &p, d, nd, true, true, threads, &c, &nc, &err), COR_OK);
        assert_int_equal(nc, (size_t)(m + n));
        cor_criticality *one;
        size_t n_one;
        assert_int_equal(cor_criticality_run(net, &p, d, nd, true, true, 1, &one, &n_one, &err), COR_OK);
        assert_int_equal(n_one, nc); /* the same results whatever the thread count */
        for (size_t e = 0; e < nc; e++) {
            assert_true(one[e].kind == c[e].kind && one[e].index == c[e].index);
            assert_true(one[e].extra_cost == c[e].extra_cost && one[e].unserved == c[e].unserved);
            assert_int_equal(one[e].pairs_affected, c[e].pairs_affected);
        }
        free(one);
        for (size_t e = 0; e < nc; e++) {
            char id[16];
            const char *ids[] = {id};
            cor_profile q = p;
            if (c[e].kind == COR_ELEMENT_LINK) {
                snprintf(id, sizeof id, "L%u", c[e].index);
                q.avoid_links = ids, q.n_avoid_links = 1;
            } else {
                snprintf(id, sizeof id, "%u", c[e].index);
                q.avoid_nodes = ids, q.n_avoid_nodes = 1;
            }
            distances(net, &q, d, nd, without);
            double extra = 0, unserved = 0;
            size_t disconnected = 0;
            for (size_t k = 0; k < nd; k++) {
                if (isinf(base[k])) continue;
                if (isinf(without[k])) disconnected++, unserved += d[k].quantity;
                else extra += d[k].quantity * (without[k] - base[k]);
            }
            if (fabs(extra - c[e].extra_cost) > 1e-9 || disconnected != c[e].pairs_disconnected ||
                unserved != c[e].unserved)
                fail_msg("round %d element %zu (%s %u): extra %g vs brute %g, disconnected %zu vs %zu",
                         round, e, c[e].kind == COR_ELEMENT_LINK ? "link" : "node", c[e].index,
                         c[e].extra_cost, extra, c[e].pairs_disconnected, disconnected);
        }
        free(c);
        cor_error_clear(&err);
        cor_network_free(net);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_equals_brute_force)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
