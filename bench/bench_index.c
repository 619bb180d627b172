/*
 * bench_index.c — the routing index (CCH) against today's exact search, RoutingKit's CH
 * and CCH, and igraph, on the DIMACS road graphs.
 *
 * For each graph: corridor's load and compile; the exact search (bidirectional A* with
 * the .co, Dijkstra without) on N random pairs (fixed seed); then for each order (METIS,
 * inertial flow): order and contraction time, supergraph arcs, customisation, partial
 * customisation of one closed link (mean over 100 random links, each reopened after),
 * query median / mean / p99 on the same pairs, one-to-many (1 × N) and a 100 × 100 table
 * against the exact tables; peak memory (VmHWM). Every distance is compared with the
 * exact search's. With --peer, RoutingKit's harness runs on the same graph and pairs (a
 * separate process: its figures are its own report) and its distances are compared too;
 * igraph answers the first --igraph-pairs pairs.
 *
 *   bench_index [--queries N] [--seed S] [--peer peer_routingkit] [--igraph-pairs K]
 *               [--tmp DIR] --label NAME graph.gr.gz ...
 */
#include "bench_util.h"
#include "cch.h"
#include "graph_internal.h"
#include "igraph_route.h"
#include "network_internal.h"
#include "route_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct options {
    size_t queries, igraph_pairs;
    uint64_t seed;
    const char *peer, *tmp;
} options;

typedef struct stats {
    double median, mean, p99;
} stats;

static stats summarise(double *v, size_t n)
{
    stats s = {0, 0, 0};
    if (!n) return s;
    qsort(v, n, sizeof *v, compare_double);
    for (size_t i = 0; i < n; i++) s.mean += v[i] / (double)n;
    s.median = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    s.p99 = v[(size_t)((double)(n - 1) * 0.99)];
    return s;
}

static long vm_hwm_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0) kb = strtol(line + 6, NULL, 10);
    if (f) fclose(f);
    return kb;
}

typedef struct bench {
    const options *o;
    const char *label, *path;
    cor_network *net;
    cor_graph *g;
    uint32_t *from, *to;
    double *exact;     /* the exact search's distances */
    cor_totals *t_one, *t_square; /* the exact tables: 1 × N and 100 × 100 */
    double exact_one_s, exact_square_s;
} bench;

/* Times cor_route_distance over the pairs into v (µs); counts mismatches with want. */
static size_t time_pairs(bench *b, cor_route_query *q, double *v, double *got)
{
    size_t bad = 0;
    for (size_t i = 0; i < b->o->queries; i++) {
        double t0 = now_s();
        got[i] = cor_route_distance(q, b->from[i], b->to[i]);
        v[i] = 1e6 * (now_s() - t0);
        if (b->exact && got[i] != b->exact[i]) bad++;
    }
    return bad;
}

static size_t tables_differ(const cor_totals *a, const cor_totals *b, size_t n)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) bad += a[i].cost != b[i].cost;
    return bad;
}

/* The exact search: pairs, then the tables the index is compared with. */
static bool run_exact(bench *b)
{
    size_t n = b->o->queries;
    double *v = malloc(n * sizeof *v);
    b->exact = malloc(n * sizeof *b->exact);
    b->t_one = malloc(n * sizeof *b->t_one);
    b->t_square = malloc(100 * 100 * sizeof *b->t_square);
    cor_route_query *q = cor_route_query_new(b->g);
    if (!v || !b->exact || !b->t_one || !b->t_square || !q) return false;
    double *keep = b->exact;
    b->exact = NULL;
    time_pairs(b, q, v, keep);
    b->exact = keep;
    stats s = summarise(v, n);
    printf("| exact search (%s) query | median %.0f µs, mean %.0f µs, p99 %.0f µs |\n",
           cor_graph_has_lower_bound(b->g) ? "bidirectional A*" : "bidirectional Dijkstra",
           s.median, s.mean, s.p99);
    cor_error err;
    cor_error_init(&err);
    size_t k = n < 100 ? n : 100;
    double t0 = now_s();
    cor_route_table(q, b->from, 1, b->to, n, b->t_one, &err);
    b->exact_one_s = now_s() - t0;
    t0 = now_s();
    cor_route_table(q, b->from, k, b->to, k, b->t_square, &err);
    b->exact_square_s = now_s() - t0;
    printf("| exact one-to-many 1 × %zu / table %zu × %zu | %.1f ms / %.1f ms |\n", n, k, k,
           1e3 * b->exact_one_s, 1e3 * b->exact_square_s);
    cor_error_clear(&err);
    cor_route_query_free(q);
    free(v);
    return true;
}

/* All arcs of the link of arc a (both directions). */
static size_t link_arcs(const cor_graph *g, uint32_t a, uint32_t *out)
{
    uint32_t tail = cor_graph_arc_tail(g, a), head = g->head[a], n = 0;
    uint32_t ends[2] = {tail, head};
    for (int e = 0; e < 2; e++)
        for (uint32_t x = g->first_out[ends[e]]; x < g->first_out[ends[e] + 1] && n < 8; x++)
            if (g->arc_link[x] != COR_ARC_TRANSFER && g->arc_link[x] >> 1 == g->arc_link[a] >> 1)
                out[n++] = x;
    return n;
}

/* Mean time to close one random link (and, apart, to reopen it), over 100 links. */
static void time_partial(bench *b, cor_cch_metric *m, uint64_t *rs)
{
    double close = 0, reopen = 0;
    cor_error err;
    cor_error_init(&err);
    for (int k = 0; k < 100; k++) {
        uint32_t arcs[8];
        double inf[8], w[8];
        size_t n = link_arcs(b->g, random_below(rs, b->g->n_arcs), arcs);
        for (size_t i = 0; i < n; i++) inf[i] = INFINITY, w[i] = cor_cch_metric_input_weight(m, arcs[i]);
        double t0 = now_s();
        cor_cch_customize_partial(m, arcs, inf, n, &err);
        double t1 = now_s();
        cor_cch_customize_partial(m, arcs, w, n, &err);
        close += (t1 - t0) / 100, reopen += (now_s() - t1) / 100;
    }
    printf("| partial customisation, one closed link (mean of 100) | %.2f ms (reopening %.2f ms) |\n",
           1e3 * close, 1e3 * reopen);
    cor_error_clear(&err);
}

/* The buckets alone (cch_query.c): distances without the routes' figures. */
static void time_distance_tables(bench *b, const cor_cch *c, const cor_cch_metric *m)
{
    size_t n = b->o->queries, k = n < 100 ? n : 100, bad = 0;
    cch_query *cq = cch_query_new(c);
    cch_table *ct = cch_table_new(c);
    double *d = malloc(n * sizeof *d);
    if (!cq || !ct || !d) goto done;
    double t0 = now_s();
    cch_table_targets(ct, cq, m, b->to, n);
    cch_table_source(ct, cq, m, b->from[0], d);
    double t1 = now_s();
    for (size_t j = 0; j < n; j++) bad += d[j] != b->t_one[j].cost;
    cch_table_targets(ct, cq, m, b->to, k);
    for (size_t i = 0; i < k; i++) {
        cch_table_source(ct, cq, m, b->from[i], d);
        for (size_t j = 0; j < k; j++) bad += d[j] != b->t_square[i * k + j].cost;
    }
    double t2 = now_s();
    printf("| distances only, buckets: 1 × %zu / %zu × %zu | %.2f ms / %.2f ms (%.0f× / %.0f× the "
           "exact tables); %zu differ |\n", n, k, k, 1e3 * (t1 - t0), 1e3 * (t2 - t1),
           b->exact_one_s / (t1 - t0), b->exact_square_s / (t2 - t1), bad);
    cch_phast *ph = cch_phast_new(c);
    if (!ph) goto done;
    t0 = now_s();
    cch_phast_run(ph, m, b->from[0]);
    uint32_t state;
    for (size_t j = 0; j < n; j++) d[j] = cch_phast_node(ph, b->to[j], &state);
    t1 = now_s();
    bad = 0;
    for (size_t j = 0; j < n; j++) bad += d[j] != b->t_one[j].cost;
    printf("| distances only, PHAST: 1 × %zu | %.2f ms (%.0f× the exact one-to-many); %zu differ |\n",
           n, 1e3 * (t1 - t0), b->exact_one_s / (t1 - t0), bad);
    cch_phast_free(ph);
done:
    free(d);
    cch_table_free(ct);
    cch_query_free(cq);
}

static void time_tables(bench *b, cor_route_query *q)
{
    size_t n = b->o->queries, k = n < 100 ? n : 100;
    cor_totals *one = malloc(n * sizeof *one), *sq = malloc(k * k * sizeof *sq);
    cor_error err;
    cor_error_init(&err);
    double t0 = now_s();
    cor_route_table(q, b->from, 1, b->to, n, one, &err);
    double t1 = now_s();
    cor_route_table(q, b->from, k, b->to, k, sq, &err);
    double t2 = now_s();
    printf("| one-to-many 1 × %zu (with totals) | %.2f ms, %.0f× the exact one; %zu costs differ |\n",
           n, 1e3 * (t1 - t0), b->exact_one_s / (t1 - t0), tables_differ(one, b->t_one, n));
    printf("| table %zu × %zu (with totals) | %.1f ms, %.0f× the exact one; %zu costs differ |\n", k,
           k, 1e3 * (t2 - t1), b->exact_square_s / (t2 - t1), tables_differ(sq, b->t_square, k * k));
    cor_error_clear(&err);
    free(one);
    free(sq);
}

/* Wrapping saved arrays back, with their checks (what loading a .cor will cost). */
static void time_wrap(bench *b, const cor_cch *c, const cor_cch_metric *m)
{
    cor_array ca[16], ma[16];
    size_t nc = cor_cch_arrays(c, ca, 16), nm = cor_cch_metric_arrays(m, ma, 16);
    cor_cch *c2 = NULL;
    cor_cch_metric *m2 = NULL;
    cor_error err;
    cor_error_init(&err);
    double t0 = now_s();
    cor_status st = cor_cch_from_arrays(&c2, b->g, ca, nc, &err);
    double t1 = now_s();
    if (st == COR_OK) st = cor_cch_metric_from_arrays(&m2, c2, ma, nm, &err);
    double t2 = now_s();
    printf("| wrapping saved arrays, checks included: index / metric | %.1f ms / %.1f ms%s |\n",
           1e3 * (t1 - t0), 1e3 * (t2 - t1), st == COR_OK ? "" : " (REFUSED)");
    cor_cch_metric_free(m2);
    cor_cch_free(c2);
    cor_error_clear(&err);
}

/* One order: build, customise, partial, queries, tables. */
static bool run_index(bench *b, cor_cch_order order)
{
    cor_error err;
    cor_error_init(&err);
    cor_cch *c = NULL;
    cor_cch_metric *m = NULL;
    double t0 = now_s();
    cor_status st = cor_cch_build(&c, b->g, order, &err);
    if (st == COR_ERR_INPUT) { /* inertial flow without positions */
        printf("| **%s** order | not available: %s |\n", cor_cch_order_name(order),
               err.problems[0].message);
        cor_error_clear(&err);
        return true;
    }
    if (st != COR_OK) goto fail;
    double t1 = now_s();
    if (cor_cch_customize(&m, c, NULL, &err) != COR_OK) goto fail;
    double t2 = now_s();
    printf("| **%s** order / contraction | %.2f s / %.3f s (%zu supergraph arcs, %.2f per input arc) |\n",
           cor_cch_order_name(order), c->order_seconds, c->contract_seconds, cor_cch_arc_count(c),
           (double)cor_cch_arc_count(c) / b->g->n_arcs);
    printf("| customisation | %.3f s (build total %.2f s); index %.1f MB, metric %.1f MB |\n", t2 - t1,
           t1 - t0, cor_cch_memory_bytes(c) / 1e6, (24.0 * c->m + 8.0 * c->n_input) / 1e6);
    time_wrap(b, c, m);
    uint64_t rs = b->o->seed ^ 0x5eed;
    time_partial(b, m, &rs);
    if (cor_graph_set_index(b->g, c, m, &err) != COR_OK) goto fail;
    cor_route_query *q = cor_route_query_new(b->g);
    size_t n = b->o->queries;
    double *v = malloc(n * sizeof *v), *got = malloc(n * sizeof *got);
    size_t bad = time_pairs(b, q, v, got);
    stats s = summarise(v, n);
    printf("| query (%s) | median %.1f µs, mean %.1f µs, p99 %.1f µs; %zu of %zu distances differ |\n",
           cor_route_query_engine(q), s.median, s.mean, s.p99, bad, n);
    time_tables(b, q);
    time_distance_tables(b, c, m);
    printf("| VmHWM so far | %.1f MB |\n", vm_hwm_kb() / 1024.0);
    free(v);
    free(got);
    cor_route_query_free(q);
    cor_graph_set_index(b->g, NULL, NULL, &err);
    cor_cch_metric_free(m);
    cor_cch_free(c);
    return true;
fail:
    fprintf(stderr, "bench_index: %s: %s\n", b->label, err.count ? err.problems[0].message : "?");
    cor_error_clear(&err);
    cor_cch_metric_free(m);
    cor_cch_free(c);
    return false;
}

static void run_igraph(bench *b)
{
    size_t k = b->o->igraph_pairs < b->o->queries ? b->o->igraph_pairs : b->o->queries;
    if (k == 0) return;
    bench_igraph *ig = bench_igraph_new(b->net);
    if (!ig) return;
    double *v = malloc(k * sizeof *v);
    size_t bad = 0, edges;
    for (size_t i = 0; i < k; i++) {
        double t0 = now_s(), d = bench_igraph_route(ig, b->from[i], b->to[i], &edges);
        v[i] = 1e6 * (now_s() - t0);
        bad += d != b->exact[i];
    }
    stats s = summarise(v, k);
    printf("| igraph Dijkstra, first %zu pairs | median %.0f µs, mean %.0f µs; %zu of %zu distances differ |\n",
           k, s.median, s.mean, bad, k);
    free(v);
    bench_igraph_free(ig);
}

/* RoutingKit's harness on the same graph (decompressed into tmp) and pairs (DIMACS ids):
 * its own report, line by line, and its distances against ours. */
static void run_peer(bench *b)
{
    const options *o = b->o;
    if (!o->peer) return;
    char gr[512], co[512], pairs[512], out[512], log[512], cmd[4096];
    snprintf(gr, sizeof gr, "%s/peer.gr", o->tmp);
    snprintf(pairs, sizeof pairs, "%s/peer.pairs", o->tmp);
    snprintf(out, sizeof out, "%s/peer.out", o->tmp);
    snprintf(log, sizeof log, "%s/peer.log", o->tmp);
    snprintf(co, sizeof co, "%s", b->path);
    char *ext = strstr(co, ".gr");
    if (ext) memcpy(ext, ".co", 3);
    FILE *f = fopen(co, "r");
    if (f) fclose(f);
    else co[0] = 0;
    f = fopen(pairs, "w");
    if (!f) return;
    for (size_t i = 0; i < o->queries; i++)
        fprintf(f, "%s %s\n", b->net->nodes[b->from[i]].id, b->net->nodes[b->to[i]].id);
    fclose(f);
    snprintf(cmd, sizeof cmd, "zcat -f '%s' > '%s' && '%s' '%s' '%s' %s%s%s > '%s' 2> '%s'", b->path,
             gr, o->peer, gr, pairs, co[0] ? "'" : "", co, co[0] ? "'" : "", out, log);
    if (system(cmd) != 0) {
        printf("| RoutingKit | the harness failed: see %s |\n", log);
        return;
    }
    char line[512];
    if ((f = fopen(log, "r"))) {
        while (fgets(line, sizeof line, f)) {
            line[strcspn(line, "\n")] = 0;
            printf("| RoutingKit | %s |\n", line);
        }
        fclose(f);
    }
    size_t bad = 0, n = 0;
    if ((f = fopen(out, "r"))) {
        char s_id[64], t_id[64], d[64];
        while (n < o->queries && fscanf(f, "%63s %63s %63s", s_id, t_id, d) == 3) {
            double x = strcmp(d, "inf") == 0 ? INFINITY : strtod(d, NULL);
            bad += x != b->exact[n++];
        }
        fclose(f);
    }
    printf("| RoutingKit distances | %zu of %zu differ from the exact search's |\n", bad, n);
    remove(gr);
}

static void draw_pairs(bench *b)
{
    uint64_t rs = b->o->seed;
    size_t n = b->o->queries;
    b->from = malloc(n * sizeof *b->from);
    b->to = malloc(n * sizeof *b->to);
    for (size_t i = 0; i < n; i++) {
        b->from[i] = random_below(&rs, b->g->n_nodes);
        b->to[i] = random_below(&rs, b->g->n_nodes);
    }
}

static bool bench_one(bench *b)
{
    cor_error err;
    cor_error_init(&err);
    double t0 = now_s();
    if (cor_network_load(&b->net, b->path, COR_FORMAT_DIMACS, &err) != COR_OK) {
        fprintf(stderr, "bench_index: %s: %s\n", b->path, err.problems[0].message);
        cor_error_clear(&err);
        return false;
    }
    double t1 = now_s();
    cor_profile p;
    cor_profile_init(&p);
    if (cor_graph_compile(&b->g, b->net, &p, &err) != COR_OK) return false;
    double t2 = now_s();
    printf("\n## %s\n\n| what | figure |\n|---|---|\n", b->label);
    printf("| graph | %u nodes, %u arcs |\n", b->g->n_nodes, b->g->n_arcs);
    printf("| load / compile | %.2f s / %.2f s; VmHWM %.1f MB |\n", t1 - t0, t2 - t1,
           vm_hwm_kb() / 1024.0);
    draw_pairs(b);
    bool ok = run_exact(b) && run_index(b, COR_CCH_ORDER_METIS) &&
              run_index(b, COR_CCH_ORDER_INERTIAL);
    if (ok) run_igraph(b);
    if (ok) run_peer(b);
    cor_error_clear(&err);
    return ok;
}

static void bench_clear(bench *b)
{
    free(b->from);
    free(b->to);
    free(b->exact);
    free(b->t_one);
    free(b->t_square);
    cor_graph_free(b->g);
    cor_network_free(b->net);
}

int main(int argc, char **argv)
{
    options o = {1000, 100, 1, NULL, "/tmp"};
    const char *label = NULL;
    int status = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--queries") && v) o.queries = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(a, "--seed") && v) o.seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--peer") && v) o.peer = argv[++i];
        else if (!strcmp(a, "--igraph-pairs") && v) o.igraph_pairs = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(a, "--tmp") && v) o.tmp = argv[++i];
        else if (!strcmp(a, "--label") && v) label = argv[++i];
        else if (a[0] == '-' || o.queries == 0) {
            fprintf(stderr, "usage: %s [--queries N] [--seed S] [--peer peer_routingkit] "
                            "[--igraph-pairs K] [--tmp DIR] --label NAME graph.gr.gz ...\n", argv[0]);
            return 2;
        } else {
            bench b = {&o, label ? label : a, a, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0};
            if (!bench_one(&b)) status = 1;
            bench_clear(&b);
            label = NULL;
            fflush(stdout);
        }
    }
    return status;
}
