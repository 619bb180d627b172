/*
 * test_restore.c — the clearance order against brute force.
 *
 * The brute force here shares nothing with src/restore.c but the router: accessibility of
 * every set of cleared links by recompiling the graph with the others avoided and routing
 * every pair again, then every permutation of the closed links scheduled on the crews by
 * hand, its area integrated. The exact mode must reach the best of all permutations on
 * hundreds of random networks; the heuristic must come within the bound the header states;
 * the naive orders and the schedules must be what their rules say; stopping through the
 * progress callback must leave a valid order; bad input is refused with its place.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after the headers it needs */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "corridor.h"
#include "testutil.h"

#define MAXK 9

static unsigned rng = 777;
static unsigned rnd(void) {
    rng = rng * 1103515245u + 12345u;
    return (rng >> 8) & 0xffffff;
}

/* A random network: a ring (so most pairs have a route) plus random chords. */
static cor_network *random_network(int n, int m) {
    cor_builder *b = cor_builder_new("random");
    char id[16], a[16], c[16];
    for (int i = 0; i < n; i++) {
        cor_node node;
        cor_node_init(&node);
        snprintf(id, sizeof id, "%d", i);
        node.id = id;
        node.lon = (double)(rnd() % 1000) / 100.0;
        node.lat = (double)(rnd() % 1000) / 100.0;
        cor_builder_add_node(b, &node, -1, i);
    }
    for (int e = 0; e < m; e++) {
        cor_link l;
        cor_link_init(&l);
        snprintf(id, sizeof id, "L%d", e);
        snprintf(a, sizeof a, "%d", e < n ? e : (int)(rnd() % n));
        snprintf(c, sizeof c, "%d", e < n ? (e + 1) % n : (int)(rnd() % n));
        l.id = id, l.from_id = a, l.to_id = c;
        l.cost = 1 + rnd() % 20;
        l.backward = rnd() % 4 != 0;
        cor_builder_add_link(b, &l, NULL, 0, -1, n + e);
    }
    cor_network *net;
    assert_int_equal(cor_builder_finish(b, &net, NULL), COR_OK);
    return net;
}

/* ---------------------------------------------------------------- brute force */

typedef struct instance {
    const cor_network *net;
    cor_demand d[12];
    size_t nd;
    cor_closed_link closed[MAXK];
    size_t k;
    unsigned crews;
    double horizon;
    double a[1 << MAXK]; /* accessibility of each set of cleared links (bit j = closed[j]) */
} instance;

static void distances(const instance *in, unsigned cleared, double *out) {
    char ids[MAXK][16];
    const char *avoid[MAXK];
    cor_profile p;
    cor_profile_init(&p);
    for (size_t j = 0; j < in->k; j++)
        if (!(cleared >> j & 1)) {
            snprintf(ids[p.n_avoid_links], sizeof ids[0], "%s",
                     cor_network_link(in->net, in->closed[j].link)->id);
            avoid[p.n_avoid_links] = ids[p.n_avoid_links];
            p.n_avoid_links++;
        }
    p.avoid_links = avoid;
    cor_graph *g;
    assert_int_equal(cor_graph_compile(&g, in->net, &p, NULL), COR_OK);
    cor_route_query *q = cor_route_query_new(g);
    for (size_t i = 0; i < in->nd; i++)
        out[i] = cor_route_distance(q, in->d[i].from, in->d[i].to);
    cor_route_query_free(q);
    cor_graph_free(g);
}

/* Every set's accessibility, by recompiling with the uncleared links avoided. */
static void brute_sets(instance *in) {
    unsigned all = (1u << in->k) - 1;
    double base[12], cur[12], total = 0;
    distances(in, all, base);
    for (size_t i = 0; i < in->nd; i++)
        if (isfinite(base[i])) total += in->d[i].quantity;
    for (unsigned s = 0; s <= all; s++) {
        distances(in, s, cur);
        double sum = 0;
        for (size_t i = 0; i < in->nd; i++) {
            if (!isfinite(base[i]) || !isfinite(cur[i])) continue;
            sum += in->d[i].quantity * (cur[i] <= base[i] ? 1.0 : base[i] / cur[i]);
        }
        in->a[s] = sum / total;
    }
}

/* List scheduling by hand: the next link to the crew free first (lowest number on ties). */
static void hand_schedule(const instance *in, const uint32_t *order, double *start, double *finish,
                          unsigned *crew) {
    double free_at[8] = {0};
    for (size_t i = 0; i < in->k; i++) {
        unsigned c = 0;
        for (unsigned m = 1; m < in->crews; m++)
            if (free_at[m] < free_at[c]) c = m;
        uint32_t j = order[i];
        start[j] = free_at[c];
        finish[j] = free_at[c] += in->closed[j].crew_days;
        crew[j] = c;
    }
}

static double brute_area(const instance *in, const uint32_t *order) {
    double start[MAXK], finish[MAXK];
    unsigned crew[MAXK];
    hand_schedule(in, order, start, finish, crew);
    /* step through time: the cleared set changes only at finish days */
    double t = 0, area = 0;
    unsigned set = 0;
    for (;;) {
        double next = INFINITY;
        for (size_t j = 0; j < in->k; j++)
            if (!(set >> j & 1) && finish[j] < next) next = finish[j];
        double until = next < in->horizon ? next : in->horizon;
        area += in->a[set] * (until - t);
        if (next >= in->horizon) break;
        for (size_t j = 0; j < in->k; j++)
            if (finish[j] == next) set |= 1u << j;
        t = next;
    }
    return area;
}

static void permute(const instance *in, uint32_t *p, size_t i, double *best) {
    if (i == in->k) {
        double a = brute_area(in, p);
        if (a > *best) *best = a;
        return;
    }
    for (size_t j = i; j < in->k; j++) {
        uint32_t t = p[i];
        p[i] = p[j], p[j] = t;
        permute(in, p, i + 1, best);
        p[j] = p[i], p[i] = t;
    }
}

static double brute_best(const instance *in) {
    uint32_t p[MAXK] = {0};
    for (size_t j = 0; j < in->k; j++)
        p[j] = (uint32_t)j;
    double best = -1;
    permute(in, p, 0, &best);
    return best;
}

/* ---------------------------------------------------------------- instances */

static void random_instance(instance *in, cor_network **net, size_t k) {
    int n = 5 + (int)(rnd() % 6), m = n + 4 + (int)(rnd() % 10);
    *net = random_network(n, m);
    in->net = *net;
    in->nd = 3 + rnd() % 8;
    for (size_t i = 0; i < in->nd; i++) {
        in->d[i].from = rnd() % (unsigned)n;
        do
            in->d[i].to = rnd() % (unsigned)n;
        while (in->d[i].to == in->d[i].from);
        in->d[i].quantity = 1 + rnd() % 10;
    }
    in->k = k;
    for (size_t j = 0; j < k; j++) {
        uint32_t l;
        bool dup;
        do {
            l = rnd() % (unsigned)m;
            dup = false;
            for (size_t i = 0; i < j; i++)
                dup |= in->closed[i].link == l;
        } while (dup);
        in->closed[j].link = l;
        in->closed[j].crew_days = 1 + rnd() % 12 + (rnd() % 2 ? 0.5 : 0);
    }
    in->crews = 1 + rnd() % 3;
    double total = 0;
    for (size_t j = 0; j < k; j++)
        total += in->closed[j].crew_days;
    in->horizon = rnd() % 3 ? total / in->crews * (0.3 + (rnd() % 100) / 100.0) : 365;
}

static cor_status run_budget(const instance *in, cor_restore_method method,
                             const cor_progress *progress, size_t budget, cor_restore_result *res) {
    cor_profile p;
    cor_profile_init(&p);
    cor_restore_spec spec = {&p,        in->d,       in->nd, in->closed, in->k,
                             in->crews, in->horizon, method, COR_NONE,   progress, budget};
    cor_error err;
    cor_error_init(&err);
    cor_status st = cor_restore(in->net, &spec, res, &err);
    cor_error_clear(&err);
    return st;
}

static cor_status run(const instance *in, cor_restore_method method, const cor_progress *progress,
                      cor_restore_result *res) {
    return run_budget(in, method, progress, 0, res);
}

static void order_of(const cor_restore_plan *p, size_t k, uint32_t *order) {
    for (size_t i = 0; i < k; i++)
        order[i] = p->steps[i].closed;
}

/* A plan is its order's hand schedule, its area and curve are the brute force's. */
static void check_plan(const instance *in, const cor_restore_plan *p, double initial) {
    uint32_t order[MAXK];
    double start[MAXK], finish[MAXK];
    unsigned crew[MAXK], seen = 0;
    order_of(p, in->k, order);
    for (size_t i = 0; i < in->k; i++) {
        assert_true(order[i] < in->k && !(seen >> order[i] & 1));
        seen |= 1u << order[i];
    }
    hand_schedule(in, order, start, finish, crew);
    for (size_t i = 0; i < in->k; i++) {
        const cor_restore_step *s = &p->steps[i];
        assert_true(s->start_day == start[s->closed] && s->finish_day == finish[s->closed]);
        assert_int_equal(s->crew, crew[s->closed]);
        unsigned set = 0;
        for (size_t j = 0; j < in->k; j++)
            if (finish[j] <= s->finish_day) set |= 1u << j;
        assert_true(fabs(s->accessibility - in->a[set]) < 1e-12);
    }
    assert_true(fabs(p->area - brute_area(in, order)) < 1e-9 * in->horizon);
    assert_true(p->curve[0].day == 0 && fabs(p->curve[0].accessibility - initial) < 1e-15);
    assert_true(fabs(p->curve[p->n_curve - 1].accessibility - 1.0) < 1e-12);
}

/* ---------------------------------------------------------------- tests */

/* 200 random networks, 3-7 closed links, 1-3 crews: the exact mode reaches the optimum. */
static void test_exact_equals_brute_force(void **state) {
    (void)state;
    int done = 0;
    for (int round = 0; done < 200; round++) {
        instance in;
        cor_network *net;
        random_instance(&in, &net, 3 + rnd() % 5);
        cor_restore_result res;
        cor_status st = run(&in, COR_RESTORE_AUTO, NULL, &res);
        if (st == COR_ERR_INPUT) { /* no pair routed at all: a valid refusal */
            cor_network_free(net);
            continue;
        }
        assert_int_equal(st, COR_OK);
        brute_sets(&in);
        double best = brute_best(&in);
        assert_int_equal(res.method, COR_RESTORE_EXACT);
        assert_true(res.optimal);
        if (fabs(res.plans[COR_ORDER_BEST].area - best) > 1e-9 * in.horizon)
            fail_msg("round %d: k %zu crews %u: exact %.12g, brute force %.12g", round, in.k,
                     in.crews, res.plans[COR_ORDER_BEST].area, best);
        assert_true(fabs(res.initial - in.a[0]) < 1e-12);
        for (int o = 0; o < COR_ORDER_COUNT; o++)
            check_plan(&in, &res.plans[o], res.initial);
        assert_true(res.plans[COR_ORDER_BEST].area >=
                    res.plans[COR_ORDER_SHORTEST_FIRST].area - 1e-9);
        assert_true(res.plans[COR_ORDER_BEST].area >=
                    res.plans[COR_ORDER_NEAREST_FIRST].area - 1e-9);
        cor_restore_result_clear(&res);
        cor_network_free(net);
        done++;
    }
}

/* The heuristic on 8-9 links against all permutations: within 3% of the optimal area on
 * every instance (the bound docs state); the worst and mean gaps are printed. */
static void test_heuristic_within_bound(void **state) {
    (void)state;
    double worst = 0, sum = 0, worst_gain = 0;
    int done = 0, optimal = 0;
    while (done < 60) {
        instance in;
        cor_network *net;
        random_instance(&in, &net, done < 50 ? 8 : 9);
        cor_restore_result res;
        cor_status st = run(&in, COR_RESTORE_HEURISTIC, NULL, &res);
        if (st == COR_ERR_INPUT) {
            cor_network_free(net);
            continue;
        }
        assert_int_equal(st, COR_OK);
        assert_int_equal(res.method, COR_RESTORE_HEURISTIC);
        assert_false(res.optimal);
        brute_sets(&in);
        double best = brute_best(&in), got = res.plans[COR_ORDER_BEST].area;
        check_plan(&in, &res.plans[COR_ORDER_BEST], res.initial);
        double gap = (best - got) / best;
        assert_true(gap > -1e-9);
        if (gap > 0.03)
            fail_msg("instance %d: heuristic %.9g, optimum %.9g (gap %.4f)", done, got, best, gap);
        worst = fmax(worst, gap);
        double floor = res.initial * in.horizon; /* the area with nothing cleared */
        if (best > floor + 1e-9) worst_gain = fmax(worst_gain, (best - got) / (best - floor));
        sum += gap;
        optimal += gap < 1e-9;
        cor_restore_result_clear(&res);
        cor_network_free(net);
        done++;
    }
    printf("heuristic vs optimum on %d instances: optimal on %d, mean gap %.5f%%, worst %.5f%% "
           "of the area (%.3f%% of the gain over clearing nothing)\n",
           done, optimal, 100 * sum / done, 100 * worst, 100 * worst_gain);
}

/* The arithmetic of a schedule, by hand: 2 crews, shortest first. */
/* An evaluation budget: local search stops early, the order is still a valid plan (checked
 * against brute force) and no worse than the naive orders; without one, never reached. */
static void test_budget(void **state) {
    (void)state;
    int done = 0, cut = 0;
    while (done < 20) {
        instance in;
        cor_network *net;
        random_instance(&in, &net, 9);
        cor_restore_result res, free_run;
        cor_status st = run_budget(&in, COR_RESTORE_HEURISTIC, NULL, 40, &res);
        if (st == COR_ERR_INPUT) {
            cor_network_free(net);
            continue;
        }
        assert_int_equal(st, COR_OK);
        assert_int_equal(run(&in, COR_RESTORE_HEURISTIC, NULL, &free_run), COR_OK);
        assert_false(free_run.budget_reached);
        if (res.budget_reached) {
            cut++;
            assert_true(res.evaluations < free_run.evaluations);
        }
        brute_sets(&in);
        check_plan(&in, &res.plans[COR_ORDER_BEST], res.initial);
        for (int o = COR_ORDER_SHORTEST_FIRST; o < COR_ORDER_COUNT; o++)
            assert_true(res.plans[COR_ORDER_BEST].area >= res.plans[o].area - 1e-9);
        assert_true(res.plans[COR_ORDER_BEST].area <= free_run.plans[COR_ORDER_BEST].area + 1e-9 ||
                    !res.budget_reached);
        cor_restore_result_clear(&res);
        cor_restore_result_clear(&free_run);
        cor_network_free(net);
        done++;
    }
    assert_true(cut > 0); /* the budget did bite */
}

static void test_schedule_by_hand(void **state) {
    (void)state;
    instance in = {0};
    cor_network *net = random_network(6, 6); /* a ring 0-1-2-3-4-5-0 */
    in.net = net;
    in.nd = 1;
    in.d[0] = (cor_demand){0, 3, 1};
    in.k = 4;
    double days[4] = {4, 2, 3, 1};
    for (uint32_t j = 0; j < 4; j++)
        in.closed[j] = (cor_closed_link){j, days[j]};
    in.crews = 2;
    in.horizon = 10;
    cor_restore_result res;
    assert_int_equal(run(&in, COR_RESTORE_AUTO, NULL, &res), COR_OK);
    const cor_restore_step *s = res.plans[COR_ORDER_SHORTEST_FIRST].steps;
    /* L3 (1 day) crew 0 0-1; L1 (2) crew 1 0-2; L2 (3) crew 0 1-4; L0 (4) crew 1 2-6 */
    uint32_t want_link[4] = {3, 1, 2, 0};
    unsigned want_crew[4] = {0, 1, 0, 1};
    double want_start[4] = {0, 0, 1, 2}, want_finish[4] = {1, 2, 4, 6};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(s[i].closed, want_link[i]);
        assert_int_equal(s[i].crew, want_crew[i]);
        assert_true(s[i].start_day == want_start[i] && s[i].finish_day == want_finish[i]);
    }
    assert_true(res.plans[COR_ORDER_SHORTEST_FIRST].finish_day == 6);
    brute_sets(&in);
    for (int o = 0; o < COR_ORDER_COUNT; o++)
        check_plan(&in, &res.plans[o], res.initial);
    cor_restore_result_clear(&res);
    cor_network_free(net);
}

typedef struct stopper {
    size_t calls, stop_after;
} stopper;

static bool stop_fn(void *ctx, size_t done, size_t total) {
    stopper *s = ctx;
    assert_true(done <= total);
    return ++s->calls <= s->stop_after;
}

/* Stopping at any point returns COR_ERR_CANCELLED with a valid order, never optimal. */
static void test_cancel_keeps_a_valid_order(void **state) {
    (void)state;
    for (size_t stop_after = 0; stop_after < 40; stop_after += 3) {
        instance in;
        cor_network *net;
        cor_restore_result res;
        cor_status st;
        do {
            random_instance(&in, &net, 9);
            stopper s = {0, stop_after};
            cor_progress p = {stop_fn, &s};
            st = run(&in, stop_after % 2 ? COR_RESTORE_HEURISTIC : COR_RESTORE_AUTO, &p, &res);
            if (st != COR_ERR_CANCELLED && st != COR_OK) cor_network_free(net);
        } while (st != COR_ERR_CANCELLED && st != COR_OK);
        if (st == COR_ERR_CANCELLED) {
            assert_false(res.optimal);
            for (int o = 0; o < COR_ORDER_COUNT; o++) {
                unsigned seen = 0;
                for (size_t i = 0; i < in.k; i++) {
                    uint32_t j = res.plans[o].steps[i].closed;
                    assert_true(j < in.k && !(seen >> j & 1));
                    seen |= 1u << j;
                }
            }
            /* what was computed is right */
            brute_sets(&in);
            uint32_t order[MAXK];
            order_of(&res.plans[COR_ORDER_BEST], in.k, order);
            if (!isnan(res.plans[COR_ORDER_BEST].area))
                assert_true(fabs(res.plans[COR_ORDER_BEST].area - brute_area(&in, order)) <
                            1e-9 * in.horizon);
        }
        cor_restore_result_clear(&res);
        cor_network_free(net);
    }
}

/* Links the network marks mined are cleared into service; links the profile filters out
 * stay useless; the default demand is equal weight among cities and ports. */
/* The same restore on a network and on its .cor built for the default profile (the stored
 * topology customised for the spec's, closures
 * customised into restore's metric, the pairs answered by the index): the same answer. */
static void same_on_cor(const cor_network *net, const cor_restore_spec *spec) {
    char path[256];
    snprintf(path, sizeof path, "/tmp/corridor-test-restore-%d.cor", (int)getpid());
    cor_error err;
    cor_error_init(&err);
    cor_network *cor = NULL;
    cor_profile stored; /* what `corridor build` stores: the default profile's topology */
    cor_profile_init(&stored);
    assert_int_equal(cor_network_save(net, path, &stored, 1, &err), COR_OK);
    assert_int_equal(cor_network_load(&cor, path, COR_FORMAT_COR, &err), COR_OK);
    remove(path);
    cor_restore_result a, b;
    cor_status sa = cor_restore(net, spec, &a, &err), sb = cor_restore(cor, spec, &b, &err);
    assert_int_equal(sa, sb);
    if (sa == COR_OK) {
        assert_int_equal(a.n_pairs, b.n_pairs);
        assert_int_equal(a.n_pairs_unrouted, b.n_pairs_unrouted);
        assert_true(fabs(a.initial - b.initial) < 1e-12);
        assert_int_equal(a.method, b.method);
        for (size_t j = 0; j < spec->n_closed; j++) assert_int_equal(a.usable[j], b.usable[j]);
        for (int o = 0; o < COR_ORDER_COUNT; o++) {
            double horizon = spec->horizon_days > 0 ? spec->horizon_days : 365;
            assert_true(fabs(a.plans[o].area - b.plans[o].area) < 1e-9 * horizon);
            for (size_t i = 0; i < spec->n_closed; i++) {
                const cor_restore_step *x = &a.plans[o].steps[i], *y = &b.plans[o].steps[i];
                assert_true(fabs(x->accessibility - y->accessibility) < 1e-12);
                if (o != COR_ORDER_BEST) assert_int_equal(x->closed, y->closed);
            }
        }
        cor_restore_result_clear(&a);
        cor_restore_result_clear(&b);
    }
    cor_error_clear(&err);
    cor_network_free(cor);
}

static void test_mined_links_and_default_demand(void **state) {
    (void)state;
    cor_builder *b = cor_builder_new("mined");
    /* E, a city reached only by a planned link: no pair of the default demand, on the
     * network or on its .cor (whose stored topology has every link's arcs) */
    const char *ids[] = {"A", "B", "C", "D", "E"},
               *kinds[] = {"city", "seaport", "border_crossing", "city", "city"};
    for (int i = 0; i < 5; i++) {
        cor_node n;
        cor_node_init(&n);
        n.id = ids[i], n.kind = kinds[i];
        cor_builder_add_node(b, &n, -1, i);
    }
    struct {
        const char *id, *from, *to;
        double cost;
        cor_link_status st;
        cor_mode mode;
    } ls[] = {
        {"AB", "A", "B", 10, COR_STATUS_MINED, COR_MODE_ROAD},
        {"AC", "A", "C", 4, COR_STATUS_OPEN, COR_MODE_ROAD},
        {"CB", "C", "B", 26, COR_STATUS_OPEN, COR_MODE_ROAD},
        {"BD", "B", "D", 5, COR_STATUS_CLOSED, COR_MODE_ROAD},
        {"AD", "A", "D", 1, COR_STATUS_OPEN, COR_MODE_RAIL},
        {"DE", "D", "E", 1, COR_STATUS_PLANNED, COR_MODE_ROAD},
    };
    for (int i = 0; i < 6; i++) {
        cor_link l;
        cor_link_init(&l);
        l.id = ls[i].id, l.from_id = ls[i].from, l.to_id = ls[i].to;
        l.cost = ls[i].cost, l.status = ls[i].st, l.mode = ls[i].mode;
        if (l.status == COR_STATUS_MINED) l.clearance_days = 5;
        cor_builder_add_link(b, &l, NULL, 0, -1, 5 + i);
    }
    cor_network *net;
    assert_int_equal(cor_builder_finish(b, &net, NULL), COR_OK);
    cor_profile p;
    cor_profile_init(&p);
    p.modes = 1u << COR_MODE_ROAD;                        /* AD (rail) is filtered out */
    cor_closed_link closed[3] = {{0, 5}, {3, 2}, {4, 1}}; /* AB mined, BD closed, AD rail */
    cor_restore_spec spec = {&p, NULL, 0, closed, 3, 1, 100, COR_RESTORE_AUTO, COR_NONE, NULL, 0};
    cor_restore_result res;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_restore(net, &spec, &res, &err), COR_OK);
    assert_true(res.default_demand);
    assert_int_equal(res.n_pairs, 6); /* A, B, D: every ordered pair, all routed once cleared */
    assert_true(res.usable[0] && res.usable[1] && !res.usable[2]);
    assert_int_equal(res.pairs_using[2], 0);
    /* A-B: 30 via C before AB is cleared, 10 after; B-D and A-D need BD. Shortest first
     * clears AD (useless) first: the best order never does. */
    assert_true(res.plans[COR_ORDER_BEST].steps[2].closed == 2);
    assert_true(res.plans[COR_ORDER_BEST].area > res.plans[COR_ORDER_SHORTEST_FIRST].area);
    /* at day 0 only A-B (1/3) and B-A (1/3) connect: 2 of 6 pairs at a third each */
    assert_true(fabs(res.initial - (2 * (10.0 / 30.0)) / 6) < 1e-12);
    cor_restore_result_clear(&res);
    cor_error_clear(&err);
    same_on_cor(net, &spec); /* mined and closed links opened on a stored topology too */
    cor_network_free(net);
}

/* 60 random instances, on the network and on its .cor. */
static void test_index_equals_exact_search(void **state) {
    (void)state;
    for (int round = 0; round < 60; round++) {
        instance in;
        cor_network *net;
        random_instance(&in, &net, 2 + rnd() % 6);
        cor_profile p;
        cor_profile_init(&p);
        cor_restore_spec spec = {&p,       in.d,       in.nd,          in.closed, in.k,
                                 in.crews, in.horizon, COR_RESTORE_AUTO, COR_NONE, NULL, 0};
        same_on_cor(net, &spec);
        cor_network_free(net);
    }
}

static cor_status spec_error(const cor_network *net, cor_restore_spec *spec, const char *field) {
    cor_restore_result res;
    cor_error err;
    cor_error_init(&err);
    cor_status st = cor_restore(net, spec, &res, &err);
    assert_true(err.count >= 1);
    if (field) assert_string_equal(err.problems[0].field, field);
    assert_null(res.plans[0].steps);
    cor_error_clear(&err);
    return st;
}

static void test_bad_specs(void **state) {
    (void)state;
    cor_network *net = random_network(6, 20);
    cor_profile p;
    cor_profile_init(&p);
    cor_demand d[1] = {{0, 3, 1}};
    cor_closed_link closed[13];
    for (uint32_t j = 0; j < 13; j++)
        closed[j] = (cor_closed_link){j, 1 + j};
    cor_restore_spec ok = {&p, d, 1, closed, 3, 2, 0, COR_RESTORE_AUTO, COR_NONE, NULL, 0}, s;
    s = ok, s.crews = 0;
    assert_int_equal(spec_error(net, &s, "crews"), COR_ERR_USAGE);
    s = ok, s.n_closed = 0;
    assert_int_equal(spec_error(net, &s, "closed"), COR_ERR_USAGE);
    s = ok, s.horizon_days = -1;
    assert_int_equal(spec_error(net, &s, "horizon_days"), COR_ERR_USAGE);
    s = ok, s.method = COR_RESTORE_EXACT, s.n_closed = 13;
    assert_int_equal(spec_error(net, &s, "method"), COR_ERR_USAGE);
    s = ok, s.depot = 99;
    assert_int_equal(spec_error(net, &s, "depot"), COR_ERR_USAGE);
    cor_closed_link dup[2] = {{1, 2}, {1, 3}}, zero[1] = {{1, 0}}, far[1] = {{99, 1}};
    s = ok, s.closed = dup, s.n_closed = 2;
    assert_int_equal(spec_error(net, &s, "closed"), COR_ERR_USAGE);
    s = ok, s.closed = zero, s.n_closed = 1;
    assert_int_equal(spec_error(net, &s, "crew_days"), COR_ERR_USAGE);
    s = ok, s.closed = far, s.n_closed = 1;
    assert_int_equal(spec_error(net, &s, "closed"), COR_ERR_USAGE);
    cor_demand self[1] = {{2, 2, 1}};
    s = ok, s.demand = self;
    assert_int_equal(spec_error(net, &s, "demand"), COR_ERR_INPUT); /* nothing routed */
    cor_network_free(net);
}

/* The closed-links file: every bad row with its line and field. */
static void test_closed_file(void **state) {
    (void)state;
    cor_network *net = random_network(6, 10);
    char path[256];
    cor_closed_link *c;
    size_t n;
    cor_error err;
    cor_error_init(&err);
    cor_test_write_temp(".csv", "# illustrative\nlink,crew_days,reason\nL1,3,mines\n\"L2\",0.5,\n",
                        -1, path, sizeof path);
    assert_int_equal(cor_closed_load(path, net, &c, &n, &err), COR_OK);
    assert_int_equal(n, 2);
    assert_true(c[0].link == 1 && c[0].crew_days == 3 && c[1].link == 2 && c[1].crew_days == 0.5);
    free(c);
    cor_test_write_temp(".csv",
                        "reason,crew_days,link\n"
                        "x,4,L9\n"   /* line 2: fine (columns by name) */
                        "x,2,L99\n"  /* 3: unknown link */
                        "x,-1,L3\n"  /* 4: negative */
                        "x,abc,L4\n" /* 5: not a number */
                        "x,1,L9\n"   /* 6: twice */
                        "x,0,L5\n"   /* 7: zero */
                        "x\n",       /* 8: missing cells */
                        -1, path, sizeof path);
    assert_int_equal(cor_closed_load(path, net, &c, &n, &err), COR_ERR_INPUT);
    assert_null(c);
    struct {
        long line;
        const char *field, *text;
    } want[] = {{3, "link", "L99"},
                {4, "crew_days", "more than 0"},
                {5, "crew_days", "not a number"},
                {6, "link", "first on line 2"},
                {7, "crew_days", "more than 0"},
                {8, "link", "fields"}};
    assert_int_equal(err.count, 6);
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(err.problems[i].line, want[i].line);
        assert_string_equal(err.problems[i].field, want[i].field);
        assert_non_null(strstr(err.problems[i].message, want[i].text));
        assert_string_equal(err.problems[i].file, path);
    }
    cor_error_clear(&err);
    cor_test_write_temp(".csv", "L1,3\n", -1, path, sizeof path);
    assert_int_equal(cor_closed_load(path, net, &c, &n, &err), COR_ERR_INPUT);
    assert_int_equal(err.problems[0].line, 1);
    assert_non_null(strstr(err.problems[0].message, "header"));
    cor_error_clear(&err);
    cor_test_write_temp(".csv", "link,crew_days\n", -1, path, sizeof path);
    assert_int_equal(cor_closed_load(path, net, &c, &n, &err), COR_ERR_INPUT);
    assert_non_null(strstr(err.problems[0].message, "no closed link"));
    cor_error_clear(&err);
    assert_int_equal(cor_closed_load("/nonexistent/closed.csv", net, &c, &n, &err), COR_ERR_IO);
    cor_error_clear(&err);
    cor_network_free(net);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_equals_brute_force),
        cmocka_unit_test(test_heuristic_within_bound),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_schedule_by_hand),
        cmocka_unit_test(test_cancel_keeps_a_valid_order),
        cmocka_unit_test(test_mined_links_and_default_demand),
        cmocka_unit_test(test_index_equals_exact_search),
        cmocka_unit_test(test_bad_specs),
        cmocka_unit_test(test_closed_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
