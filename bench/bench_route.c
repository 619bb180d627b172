/*
 * bench_route.c — point-to-point routing: corridor against igraph on DIMACS road graphs.
 *
 * For each graph file given: load it (cor_network_load, DIMACS), compile it for the
 * default cost profile (arc weight = the file's weight), draw N random pairs of node
 * indices (fixed seed, uniform), and answer every pair four ways in one process:
 * cor_route_distance (distance only), cor_route_shortest (with the route), a one-way
 * Dijkstra on our arrays (cor_route_table, 1 × 1), and igraph's single-pair Dijkstra on a
 * graph built from the same links. The methods take turns by blocks of queries; each
 * call is timed alone; the distances must agree exactly (integer weights, so sums in
 * double are exact). Then a markdown table of all graphs is printed.
 *
 * Options before a file apply to that file only: --label TEXT names its column,
 * --no-igraph skips the igraph side (for variants of a graph already compared).
 *
 * The memory breakdown reads the compiled graph's arrays through graph_internal.h, so
 * it says which array the bytes per arc go to; it checks that its parts add up to
 * cor_graph_memory_bytes.
 */
#include "bench_util.h"
#include "corridor.h"
#include "graph_internal.h"
#include "igraph_route.h"

#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------- small helpers */

/* Bytes of heap in use (glibc), to measure what the network keeps after loading. */
static double heap_in_use(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 mi = mallinfo2();
    return (double)mi.uordblks + (double)mi.hblkhd;
#else
    return NAN;
#endif
}

typedef struct summary {
    double median, mean;
} summary;

/* Sorts v in place. */
static summary summarise(double *v, size_t n)
{
    summary s = {NAN, NAN};
    if (n == 0) return s;
    qsort(v, n, sizeof *v, compare_double);
    s.median = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += v[i];
    s.mean = sum / (double)n;
    return s;
}

/* ---------------------------------------------------------------- one graph */

typedef struct result {
    const char *label, *path;
    bool done, with_igraph, astar;
    size_t nodes, links, states, arcs, queries, unreachable;
    double load_s, compile_s, igraph_build_s, net_bytes;
    summary distance_us, shortest_us, igraph_us, settled;
    summary adjacent_us, igraph_adjacent_us; /* pairs one arc apart: the fixed cost per call */
    summary oneway_us, oneway_settled;       /* cor_route_table 1 × 1: one-way Dijkstra */
    size_t mismatch_oneway;
    size_t mismatch_distance_route, mismatch_igraph, bad_paths;
    size_t mem_bytes, mem_forward, mem_backward, mem_states, mem_astar, weight_bytes;
} result;

/* Which array the graph's bytes go to; the parts must add up to the library's count. */
static bool measure_memory(const cor_graph *g, result *r)
{
    size_t n = g->n_nodes, s = g->n_states, a = g->n_arcs;
    r->mem_bytes = cor_graph_memory_bytes(g);
    /* Weights are floats when all are exact in single precision; the state arrays are
     * absent when state = node (one mode class). */
    r->weight_bytes = g->weight32 ? sizeof *g->weight32 : sizeof *g->weight;
    r->mem_forward = (s + 1) * sizeof *g->first_out +
                     a * (sizeof *g->head + sizeof *g->arc_link + r->weight_bytes);
    r->mem_backward = (s + 1) * sizeof *g->first_in + a * (sizeof *g->in_tail +
                      sizeof *g->in_arc);
    r->mem_states = g->state_node ? (n + 1) * sizeof *g->node_first_state +
                                        s * (sizeof *g->state_node + sizeof *g->state_class)
                                  : 0;
    r->mem_astar = g->xyz ? 3 * n * sizeof *g->xyz : 0;
    size_t parts = sizeof *g + r->mem_forward + r->mem_backward + r->mem_states + r->mem_astar;
    if (parts != r->mem_bytes)
        fprintf(stderr, "memory breakdown: parts add up to %zu, the library says %zu\n", parts,
                r->mem_bytes);
    return parts == r->mem_bytes;
}

/* A route must run from `from` to `to` leg after leg and cost the sum of its legs. */
static bool route_is_sound(const cor_route *rt, uint32_t from, uint32_t to)
{
    double sum = 0;
    if (rt->n_legs == 0) return false;
    if (rt->legs[0].from != from || rt->legs[rt->n_legs - 1].to != to) return false;
    for (size_t k = 0; k < rt->n_legs; k++) {
        if (k > 0 && rt->legs[k - 1].to != rt->legs[k].from) return false;
        sum += rt->legs[k].cost;
    }
    return sum == rt->totals.cost;
}

#define N_ADJACENT 100

typedef struct answers {
    uint32_t *from, *to;
    uint32_t adj_from[N_ADJACENT], adj_to[N_ADJACENT];
    double adj_us[N_ADJACENT], igraph_adj_us[N_ADJACENT];
    size_t n_adj;
    double *distance, *shortest, *igraph, *oneway; /* per query */
    double *distance_us, *shortest_us, *igraph_us, *settled, *oneway_us, *oneway_settled;
} answers;

static void answers_free(answers *a)
{
    free(a->from), free(a->to);
    free(a->distance), free(a->shortest), free(a->igraph), free(a->oneway);
    free(a->distance_us), free(a->shortest_us), free(a->igraph_us), free(a->settled);
    free(a->oneway_us), free(a->oneway_settled);
}

static bool answers_alloc(answers *a, size_t n)
{
    memset(a, 0, sizeof *a);
    a->from = malloc(n * sizeof *a->from), a->to = malloc(n * sizeof *a->to);
    double **d[] = {&a->distance, &a->shortest,  &a->igraph,  &a->oneway,
                    &a->distance_us, &a->shortest_us, &a->igraph_us, &a->settled,
                    &a->oneway_us, &a->oneway_settled};
    bool ok = a->from && a->to;
    for (size_t i = 0; i < sizeof d / sizeof *d; i++) ok = (*d[i] = malloc(n * sizeof(double))) && ok;
    return ok;
}

/* N random pairs, and up to N_ADJACENT pairs (u, v) joined by an arc u → v. */
static void draw_pairs(answers *a, size_t n, const cor_graph *g, uint64_t seed)
{
    uint64_t state = seed;
    uint32_t n_nodes = (uint32_t)cor_network_node_count(cor_graph_network(g));
    for (size_t i = 0; i < n; i++) {
        a->from[i] = random_below(&state, n_nodes);
        do a->to[i] = random_below(&state, n_nodes);
        while (a->to[i] == a->from[i] && n_nodes > 1);
    }
    a->n_adj = 0;
    for (size_t i = 0; i < n && a->n_adj < N_ADJACENT; i++) {
        uint32_t s = cor_g_first_state(g, a->from[i]);
        if (s == cor_g_first_state(g, a->from[i] + 1) || g->first_out[s] == g->first_out[s + 1])
            continue;
        uint32_t v = cor_g_node(g, g->head[g->first_out[s]]);
        if (v == a->from[i]) continue;
        a->adj_from[a->n_adj] = a->from[i];
        a->adj_to[a->n_adj++] = v;
    }
}

/* Queries i0 .. i1 - 1, each method in turn over the block; see run_queries. */
static void time_corridor(cor_route_query *q, answers *a, size_t i0, size_t i1, result *r)
{
    for (size_t i = i0; i < i1; i++) {
        double t0 = now_s();
        a->distance[i] = cor_route_distance(q, a->from[i], a->to[i]);
        a->distance_us[i] = 1e6 * (now_s() - t0);
        a->settled[i] = (double)cor_route_query_settled(q);
        if (isinf(a->distance[i])) r->unreachable++;
    }
    for (size_t i = i0; i < i1; i++) {
        cor_route rt;
        cor_error err;
        cor_error_init(&err);
        double t0 = now_s();
        cor_status st = cor_route_shortest(q, a->from[i], a->to[i], &rt, &err);
        a->shortest_us[i] = 1e6 * (now_s() - t0);
        a->shortest[i] = st == COR_OK ? rt.totals.cost : INFINITY;
        if (st == COR_OK && !route_is_sound(&rt, a->from[i], a->to[i])) r->bad_paths++;
        if (st != COR_OK && st != COR_ERR_NO_ROUTE) r->bad_paths++;
        cor_route_clear(&rt);
        cor_error_clear(&err);
    }
}

/* The algorithm igraph runs (one-way Dijkstra stopped when the target is settled) on our
 * arrays: cor_route_table with one source and one target. Separates what the algorithm
 * buys (bidirectional, A*) from what the implementation does. */
static void time_oneway(cor_route_query *q, answers *a, size_t i0, size_t i1)
{
    for (size_t i = i0; i < i1; i++) {
        cor_totals t;
        cor_error err;
        cor_error_init(&err);
        double t0 = now_s();
        cor_status st = cor_route_table(q, &a->from[i], 1, &a->to[i], 1, &t, &err);
        a->oneway_us[i] = 1e6 * (now_s() - t0);
        a->oneway[i] = st == COR_OK ? t.cost : NAN;
        a->oneway_settled[i] = (double)cor_route_query_settled(q);
        cor_error_clear(&err);
    }
}

static void time_igraph(bench_igraph *ig, answers *a, size_t i0, size_t i1)
{
    for (size_t i = i0; i < i1; i++) {
        size_t n_edges;
        double t0 = now_s();
        a->igraph[i] = bench_igraph_route(ig, a->from[i], a->to[i], &n_edges);
        a->igraph_us[i] = 1e6 * (now_s() - t0);
    }
}

/* Pairs one arc apart: what a call costs before it searches. These calls are short enough
 * for one preemption to cover a whole batch, so each pair keeps its fastest of 5 runs. */
static void time_adjacent(cor_route_query *q, bench_igraph *ig, answers *a)
{
    for (size_t i = 0; i < a->n_adj; i++) {
        a->adj_us[i] = a->igraph_adj_us[i] = INFINITY;
        for (int rep = 0; rep < 5; rep++) {
            size_t n_edges;
            double t0 = now_s();
            cor_route_distance(q, a->adj_from[i], a->adj_to[i]);
            a->adj_us[i] = fmin(a->adj_us[i], 1e6 * (now_s() - t0));
            if (!ig) continue;
            t0 = now_s();
            bench_igraph_route(ig, a->adj_from[i], a->adj_to[i], &n_edges);
            a->igraph_adj_us[i] = fmin(a->igraph_adj_us[i], 1e6 * (now_s() - t0));
        }
    }
}

static bench_igraph *build_igraph(const cor_network *net, result *r)
{
    double t0 = now_s();
    bench_igraph *ig = bench_igraph_new(net);
    r->igraph_build_s = now_s() - t0;
    if (ig && bench_igraph_edge_count(ig) != r->arcs)
        fprintf(stderr, "%s: igraph has %zu edges, corridor %zu arcs\n", r->label,
                bench_igraph_edge_count(ig), r->arcs);
    return ig;
}

static void compare(const answers *a, size_t n, result *r)
{
    for (size_t i = 0; i < n; i++) {
        if (a->distance[i] != a->shortest[i]) r->mismatch_distance_route++;
        if (r->with_igraph && a->distance[i] != a->oneway[i]) r->mismatch_oneway++;
        if (r->with_igraph && a->distance[i] != a->igraph[i]) {
            if (r->mismatch_igraph < 5)
                fprintf(stderr, "%s: query %zu (%u -> %u): corridor %.17g, igraph %.17g\n",
                        r->label, i, a->from[i], a->to[i], a->distance[i], a->igraph[i]);
            r->mismatch_igraph++;
        }
    }
}

/* The methods take turns by blocks of BLOCK queries (ours, one-way, igraph, next block):
 * each runs with its own data warm in cache, and a change in the machine's load during
 * the run (it is shared) falls on all of them alike instead of on whichever ran last. */
#define BLOCK 50

static bool run_queries(const cor_network *net, const cor_graph *g, size_t n, uint64_t seed,
                        result *r)
{
    answers a;
    cor_route_query *q = cor_route_query_new(g);
    bench_igraph *ig = NULL;
    bool ok = answers_alloc(&a, n) && q && (!r->with_igraph || (ig = build_igraph(net, r)));
    if (ok) {
        draw_pairs(&a, n, g, seed);
        for (size_t i0 = 0; i0 < n; i0 += BLOCK) {
            size_t i1 = i0 + BLOCK < n ? i0 + BLOCK : n;
            time_corridor(q, &a, i0, i1, r);
            if (!ig) continue;
            time_oneway(q, &a, i0, i1);
            time_igraph(ig, &a, i0, i1);
        }
        time_adjacent(q, ig, &a);
        compare(&a, n, r);
        r->queries = n;
        r->distance_us = summarise(a.distance_us, n);
        r->shortest_us = summarise(a.shortest_us, n);
        r->settled = summarise(a.settled, n);
        r->adjacent_us = summarise(a.adj_us, a.n_adj);
        if (ig) {
            r->igraph_us = summarise(a.igraph_us, n);
            r->igraph_adjacent_us = summarise(a.igraph_adj_us, a.n_adj);
            r->oneway_us = summarise(a.oneway_us, n);
            r->oneway_settled = summarise(a.oneway_settled, n);
        }
    }
    bench_igraph_free(ig);
    cor_route_query_free(q);
    answers_free(&a);
    return ok;
}

static void print_problems(const char *path, const cor_error *err)
{
    char buf[1024];
    for (size_t i = 0; i < err->count && i < 10; i++)
        fprintf(stderr, "%s\n", cor_problem_format(&err->problems[i], buf, sizeof buf));
    if (err->count == 0) fprintf(stderr, "%s: failed without a message\n", path);
}

/* Load, compile, query: fills r; false when something failed (and said so). */
static bool bench_one(result *r, size_t n_queries, uint64_t seed)
{
    cor_network *net = NULL;
    cor_graph *g = NULL;
    cor_error err;
    cor_profile p;
    bool ok = false;
    cor_error_init(&err);
    cor_profile_init(&p);
    double heap0 = heap_in_use(), t0 = now_s();
    if (cor_network_load(&net, r->path, COR_FORMAT_DIMACS, &err) != COR_OK) goto fail;
    r->load_s = now_s() - t0;
    r->net_bytes = heap_in_use() - heap0;
    t0 = now_s();
    if (cor_graph_compile(&g, net, &p, &err) != COR_OK) goto fail;
    r->compile_s = now_s() - t0;
    r->nodes = cor_network_node_count(net);
    r->links = cor_network_link_count(net);
    r->states = cor_graph_state_count(g);
    r->arcs = cor_graph_arc_count(g);
    r->astar = cor_graph_has_lower_bound(g);
    measure_memory(g, r);
    fprintf(stderr, "%s: %zu nodes, %zu arcs, loaded in %.3f s, compiled in %.3f s%s\n",
            r->label, r->nodes, r->arcs, r->load_s, r->compile_s, r->astar ? ", A*" : "");
    if (!run_queries(net, g, n_queries, seed, r)) {
        fprintf(stderr, "%s: out of memory (or an igraph error) running the queries\n", r->label);
        goto done;
    }
    ok = r->done = true;
    goto done;
fail:
    print_problems(r->path, &err);
done:
    cor_graph_free(g);
    cor_network_free(net);
    cor_error_clear(&err);
    return ok;
}

/* ---------------------------------------------------------------- the table */

typedef void (*cell_fn)(const result *r, char *buf, size_t size);

/* One table row; cells of graphs that failed say so, igraph cells of graphs run without
 * igraph are "-". */
static void print_row(const char *name, const result *rs, size_t n, cell_fn cell,
                      bool igraph_cell)
{
    char buf[128];
    printf("| %s |", name);
    for (size_t i = 0; i < n; i++) {
        if (!rs[i].done) snprintf(buf, sizeof buf, "not run");
        else if (igraph_cell && !rs[i].with_igraph) snprintf(buf, sizeof buf, "-");
        else cell(&rs[i], buf, sizeof buf);
        printf(" %s |", buf);
    }
    printf("\n");
}

#define CELL(name, ...)                                                                 \
    static void name(const result *r, char *b, size_t n)                                \
    {                                                                                   \
        snprintf(b, n, __VA_ARGS__);                                                    \
    }

static double per_arc(const result *r, size_t bytes)
{
    return r->arcs ? (double)bytes / (double)r->arcs : 0;
}

CELL(c_size, "%zu / %zu", r->nodes, r->arcs)
CELL(c_astar, "%s", r->astar ? "yes (.co found)" : "no")
CELL(c_load, "%.3f s", r->load_s)
CELL(c_compile, "%.3f s", r->compile_s)
CELL(c_dist, "%.0f / %.0f", r->distance_us.median, r->distance_us.mean)
CELL(c_route, "%.0f / %.0f", r->shortest_us.median, r->shortest_us.mean)
CELL(c_settled, "%.0f / %.0f", r->settled.median, r->settled.mean)
CELL(c_self, "%zu ≠, %zu bad routes, %zu unreachable", r->mismatch_distance_route,
     r->bad_paths, r->unreachable)
CELL(c_adjacent, "%.1f", r->adjacent_us.median)
CELL(c_oneway, "%.0f / %.0f (settled %.0f / %.0f; %zu ≠)", r->oneway_us.median,
     r->oneway_us.mean, r->oneway_settled.median, r->oneway_settled.mean, r->mismatch_oneway)
CELL(c_igraph_build, "%.3f s", r->igraph_build_s)
CELL(c_igraph, "%.0f / %.0f", r->igraph_us.median, r->igraph_us.mean)
CELL(c_igraph_adjacent, "%.0f", r->igraph_adjacent_us.median)
CELL(c_ratio, "**%.1f×** (with path: %.1f×)", r->igraph_us.median / r->distance_us.median,
     r->igraph_us.median / r->shortest_us.median)
CELL(c_mismatch, "%zu of %zu", r->mismatch_igraph, r->queries)
CELL(c_bpa, "%.1f", per_arc(r, r->mem_bytes))
CELL(c_bpa_fwd, "%.1f (weights: %s)", per_arc(r, r->mem_forward),
     r->weight_bytes == 4 ? "float, exact" : "double")
CELL(c_bpa_bwd, "%.1f", per_arc(r, r->mem_backward))
CELL(c_bpa_states, "%.1f", per_arc(r, r->mem_states))
CELL(c_bpa_astar, "%.1f", per_arc(r, r->mem_astar))
CELL(c_net, "%.0f MiB (%.0f B per link)", r->net_bytes / 1048576.0,
     r->net_bytes / (double)r->links)

static void print_table(const result *rs, size_t n, size_t n_queries, uint64_t seed)
{
    static const struct {
        const char *name;
        cell_fn cell;
        bool igraph;
    } rows[] = {
        {"nodes / arcs", c_size, false},
        {"A* (coordinates)", c_astar, false},
        {"load: cor_network_load", c_load, false},
        {"compile: cor_graph_compile", c_compile, false},
        {"cor_route_distance µs, median / mean", c_dist, false},
        {"cor_route_shortest µs, median / mean", c_route, false},
        {"settled states, median / mean", c_settled, false},
        {"self-check: distance vs shortest", c_self, false},
        {"cor_route_distance µs, adjacent pairs (best of 5)", c_adjacent, false},
        {"one-way Dijkstra on our graph (cor_route_table 1×1) µs", c_oneway, true},
        {"igraph: graph build (not in query times)", c_igraph_build, true},
        {"igraph_get_shortest_path_dijkstra µs, median / mean", c_igraph, true},
        {"igraph µs, adjacent pairs (best of 5: fixed cost per call)", c_igraph_adjacent, true},
        {"**igraph median / our median**", c_ratio, true},
        {"distances ≠ igraph", c_mismatch, true},
        {"graph bytes per arc", c_bpa, false},
        {"… forward CSR: first_out, head, arc_link, weight", c_bpa_fwd, false},
        {"… backward CSR: first_in, in_tail, in_arc", c_bpa_bwd, false},
        {"… states: node_first_state, state_node, state_class", c_bpa_states, false},
        {"… A* coordinates: xyz", c_bpa_astar, false},
        {"network heap (cor_network, not in the above)", c_net, false},
    };
    printf("\n%zu random queries per graph (seed %llu), each call timed alone\n\n", n_queries,
           (unsigned long long)seed);
    printf("| |");
    for (size_t i = 0; i < n; i++) printf(" %s |", rs[i].label);
    printf("\n|---|");
    for (size_t i = 0; i < n; i++) printf("---|");
    printf("\n");
    for (size_t k = 0; k < sizeof rows / sizeof *rows; k++)
        print_row(rows[k].name, rs, n, rows[k].cell, rows[k].igraph);
}

/* ---------------------------------------------------------------- main */

static int usage(const char *argv0)
{
    fprintf(stderr,
            "usage: %s [--queries N] [--seed S] [[--label TEXT] [--no-igraph] FILE.gr[.gz]]...\n"
            "Loads each DIMACS graph (with FILE.co[.gz] beside it when present), answers N\n"
            "random point-to-point queries with corridor and igraph, prints a table.\n"
            "Example: %s --label NY-d /data/USA-road-d.NY.gr.gz\n",
            argv0, argv0);
    return 2;
}

int main(int argc, char **argv)
{
    size_t n_queries = 1000, n = 0;
    uint64_t seed = 20240601;
    result *rs = calloc((size_t)argc, sizeof *rs);
    const char *label = NULL;
    bool with_igraph = true;
    if (!rs) return 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--queries") == 0 && i + 1 < argc) n_queries = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--label") == 0 && i + 1 < argc) label = argv[++i];
        else if (strcmp(argv[i], "--no-igraph") == 0) with_igraph = false;
        else if (argv[i][0] == '-' || n_queries == 0) return free(rs), usage(argv[0]);
        else {
            rs[n++] = (result){.label = label ? label : argv[i], .path = argv[i],
                               .with_igraph = with_igraph};
            label = NULL;
            with_igraph = true;
        }
    }
    if (n == 0) return free(rs), usage(argv[0]);
    bool all_ok = true;
    size_t n_run = 0;
    for (size_t i = 0; i < n; i++) {
        if (access(rs[i].path, R_OK) != 0) {
            fprintf(stderr, "%s: not found, skipped\n", rs[i].path);
            continue;
        }
        n_run++;
        all_ok = bench_one(&rs[i], n_queries, seed) && all_ok;
    }
    if (n_run > 0) print_table(rs, n, n_queries, seed);
    else fprintf(stderr, "no graph file found: nothing to measure\n");
    free(rs);
    return all_ok ? 0 : 1;
}
