/*
 * bench_maxflow.c — maximum flow: corridor against igraph on DIMACS road graphs.
 *
 * For each graph file given: load it (cor_network_load, DIMACS), build igraph's directed
 * graph from the same links (each arc from → to, capacity = the arc weight), draw N random
 * pairs of distinct node indices (fixed seed, uniform), and compute the maximum flow of
 * every pair three ways in one process: cor_maxflow (capacity_from_cost: the arc weight is
 * the capacity; value, flow per link and minimum cut), igraph_maxflow asked for the same
 * outputs (value, flow, cut), and igraph_maxflow_value (the value only). The three take
 * turns pair by pair, in an order that rotates; each call is timed alone, and its minor
 * page faults are counted. The values must agree exactly (integer capacities: sums in
 * double are exact), and both flows are checked after the timed call: within capacity,
 * conserved, the value out of the source and into the sink, a cut whose capacities sum to
 * the value. Then a markdown table of all graphs is printed, and one line per pair.
 *
 * --label TEXT before a file names its column.
 */
#include "bench_util.h"
#include "corridor.h"
#include "igraph_maxflow.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------- small helpers */

/* Minor page faults so far: each call allocates its arrays afresh (both libraries), and
 * on this VM a page the kernel must hand over costs ~10 µs, so how much memory the
 * allocator has kept from the previous call shows in the timings. */
static double page_faults(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_minflt;
}

typedef struct summary {
    double median, mean, min, max;
} summary;

/* Of a copy: the per-pair arrays keep their order for the per-pair lines. */
static summary summarise(const double *v, size_t n)
{
    summary s = {NAN, NAN, NAN, NAN};
    double *w = n ? malloc(n * sizeof *w) : NULL;
    if (!w) return s;
    memcpy(w, v, n * sizeof *w);
    qsort(w, n, sizeof *w, compare_double);
    s.median = n % 2 ? w[n / 2] : 0.5 * (w[n / 2 - 1] + w[n / 2]);
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += w[i];
    s.mean = sum / (double)n;
    s.min = w[0], s.max = w[n - 1];
    free(w);
    return s;
}

/* ---------------------------------------------------------------- one graph */

/* Per pair, in pair order. */
typedef struct pair_answers {
    uint32_t from, to;
    double value, igraph_value, igraph_value_only; /* the three flow values */
    double ours_ms, igraph_ms, igraph_value_ms;
    double ours_faults, igraph_faults, igraph_value_faults; /* minor page faults in the call */
    size_t n_cut, igraph_n_cut;
    bench_igraph_flow_stats stats; /* of igraph_maxflow (value, flow, cut) */
    bool sound, igraph_sound;
} pair_answers;

typedef struct result {
    const char *label, *path;
    bool done;
    size_t nodes, links, arcs, igraph_arcs, n_pairs;
    double load_s, igraph_build_s;
    pair_answers *pairs;
    summary ours_ms, igraph_ms, igraph_value_ms, value;
    summary ours_faults, igraph_faults, igraph_value_faults;
    summary pushes, relabels, global_relabels;
    size_t mismatches, mismatches_value_only, unsound, igraph_unsound, errors;
} result;

/* What cor_maxflow turns into arcs with capacity_from_cost: positive weights (DIMACS:
 * every link forward, none backward). */
static size_t count_arcs(const cor_network *net)
{
    size_t n = 0, n_links = cor_network_link_count(net);
    for (uint32_t i = 0; i < n_links; i++) {
        const cor_link *l = cor_network_link(net, i);
        double rc = isnan(l->reverse_cost) ? l->cost : l->reverse_cost;
        n += (l->forward && l->cost > 0) + (l->backward && rc > 0);
    }
    return n;
}

/* Our flow must be within each link's capacity in the direction it runs, conserved at
 * every node but the two ends, carry the value out of `from` and into `to`, and come with
 * a cut of links whose capacities sum to the value. Exact: integer capacities. */
static bool flow_is_sound(const cor_network *net, const cor_flow_result *r, uint32_t from,
                          uint32_t to)
{
    size_t n_nodes = cor_network_node_count(net), n_links = cor_network_link_count(net);
    double *net_out = calloc(n_nodes, sizeof *net_out);
    if (!net_out) return false;
    bool ok = true;
    for (uint32_t i = 0; i < n_links; i++) {
        const cor_link *l = cor_network_link(net, i);
        double f = r->link_flow[i], rc = isnan(l->reverse_cost) ? l->cost : l->reverse_cost;
        if ((f > 0 && !(l->forward && f <= l->cost)) || (f < 0 && !(l->backward && -f <= rc)))
            ok = false;
        net_out[l->from] += f;
        net_out[l->to] -= f;
    }
    for (uint32_t v = 0; v < n_nodes; v++)
        if (v != from && v != to && net_out[v] != 0) ok = false;
    ok = ok && net_out[from] == r->value && net_out[to] == -r->value;
    double cut = 0;
    for (size_t k = 0; k < r->n_cut; k++) {
        if (r->cut[k].is_node) ok = false;
        cut += r->cut[k].capacity;
    }
    free(net_out);
    return ok && cut == r->value;
}

static void time_corridor(const cor_network *net, pair_answers *p, result *r)
{
    cor_flow_spec spec = {.profile = NULL, .sources = &p->from, .n_sources = 1,
                          .sinks = &p->to, .n_sinks = 1, .node_capacities = false,
                          .capacity_from_cost = true};
    cor_flow_result fr;
    cor_error err;
    cor_error_init(&err);
    double f0 = page_faults(), t0 = now_s();
    cor_status st = cor_maxflow(net, &spec, &fr, &err);
    p->ours_ms = 1e3 * (now_s() - t0);
    p->ours_faults = page_faults() - f0;
    if (st != COR_OK) {
        char buf[1024];
        if (err.count) fprintf(stderr, "%s\n", cor_problem_format(&err.problems[0], buf, sizeof buf));
        p->value = NAN;
        r->errors++;
    } else {
        p->value = fr.value;
        p->n_cut = fr.n_cut;
        p->sound = flow_is_sound(net, &fr, p->from, p->to);
        cor_flow_result_clear(&fr);
    }
    cor_error_clear(&err);
}

static void time_igraph(bench_igraph_flow *ig, pair_answers *p, bool with_flow, result *r)
{
    double f0 = page_faults(), t0 = now_s();
    double value = bench_igraph_maxflow(ig, p->from, p->to, with_flow);
    double ms = 1e3 * (now_s() - t0), faults = page_faults() - f0;
    if (isnan(value)) r->errors++;
    if (!with_flow) {
        p->igraph_value_only = value, p->igraph_value_ms = ms, p->igraph_value_faults = faults;
        return;
    }
    p->igraph_value = value, p->igraph_ms = ms, p->igraph_faults = faults;
    p->stats = bench_igraph_flow_last_stats(ig);
    p->igraph_n_cut = p->stats.n_cut;
    p->igraph_sound = bench_igraph_flow_check(ig, p->from, p->to, value);
}

static void draw_pairs(pair_answers *p, size_t n, uint32_t n_nodes, uint64_t seed)
{
    uint64_t state = seed;
    for (size_t i = 0; i < n; i++) {
        p[i].from = random_below(&state, n_nodes);
        do p[i].to = random_below(&state, n_nodes);
        while (p[i].to == p[i].from && n_nodes > 1);
    }
}

static void compare_and_summarise(result *r)
{
    size_t n = r->n_pairs;
    double *v = malloc(10 * (n + 1) * sizeof *v);
    if (!v) return;
    double *ours = v, *igraph = v + n, *value_only = v + 2 * n, *value = v + 3 * n;
    double *pushes = v + 4 * n, *relabels = v + 5 * n, *global = v + 6 * n;
    double *faults = v + 7 * n, *igraph_faults = v + 8 * n, *value_faults = v + 9 * n;
    for (size_t i = 0; i < n; i++) {
        const pair_answers *p = &r->pairs[i];
        if (p->value != p->igraph_value) {
            if (r->mismatches < 5)
                fprintf(stderr, "%s: pair %zu (%u -> %u): corridor %.17g, igraph %.17g\n",
                        r->label, i + 1, p->from, p->to, p->value, p->igraph_value);
            r->mismatches++;
        }
        r->mismatches_value_only += p->value != p->igraph_value_only;
        r->unsound += !p->sound;
        r->igraph_unsound += !p->igraph_sound;
        ours[i] = p->ours_ms, igraph[i] = p->igraph_ms, value_only[i] = p->igraph_value_ms;
        value[i] = p->value;
        pushes[i] = (double)p->stats.pushes, relabels[i] = (double)p->stats.relabels;
        global[i] = (double)p->stats.global_relabels;
        faults[i] = p->ours_faults, igraph_faults[i] = p->igraph_faults;
        value_faults[i] = p->igraph_value_faults;
    }
    r->ours_ms = summarise(ours, n);
    r->igraph_ms = summarise(igraph, n);
    r->igraph_value_ms = summarise(value_only, n);
    r->value = summarise(value, n);
    r->pushes = summarise(pushes, n);
    r->relabels = summarise(relabels, n);
    r->global_relabels = summarise(global, n);
    r->ours_faults = summarise(faults, n);
    r->igraph_faults = summarise(igraph_faults, n);
    r->igraph_value_faults = summarise(value_faults, n);
    free(v);
}

static bool run_pairs(const cor_network *net, size_t n, uint64_t seed, result *r)
{
    double t0 = now_s();
    bench_igraph_flow *ig = bench_igraph_flow_new(net);
    r->igraph_build_s = now_s() - t0;
    r->pairs = calloc(n, sizeof *r->pairs);
    if (!ig || !r->pairs) {
        bench_igraph_flow_free(ig);
        return false;
    }
    r->igraph_arcs = bench_igraph_flow_edge_count(ig);
    if (r->igraph_arcs != r->arcs)
        fprintf(stderr, "%s: igraph has %zu edges, corridor %zu arcs\n", r->label,
                r->igraph_arcs, r->arcs);
    r->n_pairs = n;
    draw_pairs(r->pairs, n, (uint32_t)r->nodes, seed);
    /* Pair by pair, the three calls in turn: a change in the (shared) machine's load
     * during the run falls on all of them alike. The order rotates from pair to pair, so
     * that none always runs after the same one (each call frees what it allocated, and
     * what the allocator keeps of it decides how many pages the next call faults in). */
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < 3; k++) {
            size_t which = (i + k) % 3;
            if (which == 0) time_corridor(net, &r->pairs[i], r);
            else time_igraph(ig, &r->pairs[i], which == 1, r);
        }
    bench_igraph_flow_free(ig);
    compare_and_summarise(r);
    return true;
}

static void print_problems(const char *path, const cor_error *err)
{
    char buf[1024];
    for (size_t i = 0; i < err->count && i < 10; i++)
        fprintf(stderr, "%s\n", cor_problem_format(&err->problems[i], buf, sizeof buf));
    if (err->count == 0) fprintf(stderr, "%s: failed without a message\n", path);
}

/* Load, then the pairs: fills r; false when something failed (and said so). */
static bool bench_one(result *r, size_t n_pairs, uint64_t seed)
{
    cor_network *net = NULL;
    cor_error err;
    bool ok = false;
    cor_error_init(&err);
    double t0 = now_s();
    if (cor_network_load(&net, r->path, COR_FORMAT_DIMACS, &err) != COR_OK) {
        print_problems(r->path, &err);
        goto done;
    }
    r->load_s = now_s() - t0;
    r->nodes = cor_network_node_count(net);
    r->links = cor_network_link_count(net);
    r->arcs = count_arcs(net);
    fprintf(stderr, "%s: %zu nodes, %zu arcs, loaded in %.3f s\n", r->label, r->nodes,
            r->arcs, r->load_s);
    if (r->nodes < 2) fprintf(stderr, "%s: fewer than two nodes, no pair to draw\n", r->label);
    else if (!run_pairs(net, n_pairs, seed, r))
        fprintf(stderr, "%s: out of memory (or an igraph error) building the graphs\n", r->label);
    else {
        r->done = true;
        ok = r->errors == 0;
        if (!ok) fprintf(stderr, "%s: %zu calls failed\n", r->label, r->errors);
    }
done:
    cor_network_free(net);
    cor_error_clear(&err);
    return ok;
}

/* ---------------------------------------------------------------- the tables */

typedef void (*cell_fn)(const result *r, char *buf, size_t size);

static void print_row(const char *name, const result *rs, size_t n, cell_fn cell)
{
    char buf[160];
    printf("| %s |", name);
    for (size_t i = 0; i < n; i++) {
        if (!rs[i].done) snprintf(buf, sizeof buf, "not run");
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

CELL(c_size, "%zu / %zu", r->nodes, r->arcs)
CELL(c_load, "%.3f s", r->load_s)
CELL(c_igraph_build, "%.3f s (%zu edges)", r->igraph_build_s, r->igraph_arcs)
CELL(c_ours, "%.1f / %.1f", r->ours_ms.median, r->ours_ms.mean)
CELL(c_igraph, "%.1f / %.1f", r->igraph_ms.median, r->igraph_ms.mean)
CELL(c_igraph_value, "%.1f / %.1f", r->igraph_value_ms.median, r->igraph_value_ms.mean)
CELL(c_ratio, "**%.2f×** (against value only: %.2f×)", r->igraph_ms.median / r->ours_ms.median,
     r->igraph_value_ms.median / r->ours_ms.median)
CELL(c_mismatch, "%zu of %zu (value only: %zu)", r->mismatches, r->n_pairs,
     r->mismatches_value_only)
CELL(c_sound, "ours %zu bad, igraph %zu bad", r->unsound, r->igraph_unsound)
CELL(c_value, "%.0f / %.0f (%.0f – %.0f)", r->value.median, r->value.mean, r->value.min,
     r->value.max)
CELL(c_faults, "%.0f / %.0f / %.0f", r->ours_faults.mean, r->igraph_faults.mean,
     r->igraph_value_faults.mean)
CELL(c_stats, "%.0f / %.0f / %.0f", r->pushes.median, r->relabels.median,
     r->global_relabels.median)

static void print_pairs(const result *r)
{
    printf("\n%s, pair by pair (node indices; DIMACS ids are one more):\n\n", r->label);
    printf("| pair | from → to | max flow | cut arcs: ours / igraph | cor_maxflow ms |"
           " igraph_maxflow ms | igraph_maxflow_value ms |\n");
    printf("|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < r->n_pairs; i++) {
        const pair_answers *p = &r->pairs[i];
        printf("| %zu | %u → %u | %.0f%s | %zu / %zu | %.1f | %.1f | %.1f |\n", i + 1, p->from,
               p->to, p->value,
               p->value == p->igraph_value && p->value == p->igraph_value_only ? "" : " (≠ igraph)",
               p->n_cut, p->igraph_n_cut, p->ours_ms, p->igraph_ms, p->igraph_value_ms);
    }
}

static void print_tables(const result *rs, size_t n, size_t n_pairs, uint64_t seed)
{
    static const struct {
        const char *name;
        cell_fn cell;
    } rows[] = {
        {"nodes / arcs", c_size},
        {"load: cor_network_load", c_load},
        {"igraph: graph build (not in call times)", c_igraph_build},
        {"cor_maxflow ms, median / mean (value, flow per link, cut)", c_ours},
        {"igraph_maxflow ms, median / mean (value, flow, cut)", c_igraph},
        {"igraph_maxflow_value ms, median / mean (value only)", c_igraph_value},
        {"**igraph median / our median**", c_ratio},
        {"values ≠ igraph", c_mismatch},
        {"flows checked (capacity, conservation, cut = value)", c_sound},
        {"max flow, median / mean (min – max)", c_value},
        {"page faults per call, mean: ours / igraph_maxflow / value only", c_faults},
        {"igraph pushes / relabels / global relabels, median", c_stats},
    };
    printf("\n%zu random pairs per graph (seed %llu, from ≠ to), capacity = arc weight, each "
           "call timed alone\n\n", n_pairs, (unsigned long long)seed);
    printf("| |");
    for (size_t i = 0; i < n; i++) printf(" %s |", rs[i].label);
    printf("\n|---|");
    for (size_t i = 0; i < n; i++) printf("---|");
    printf("\n");
    for (size_t k = 0; k < sizeof rows / sizeof *rows; k++)
        print_row(rows[k].name, rs, n, rows[k].cell);
    for (size_t i = 0; i < n; i++)
        if (rs[i].done) print_pairs(&rs[i]);
}

/* ---------------------------------------------------------------- main */

static int usage(const char *argv0)
{
    fprintf(stderr,
            "usage: %s [--pairs N] [--seed S] [[--label TEXT] FILE.gr[.gz]]...\n"
            "Loads each DIMACS graph, computes the maximum flow (capacity = arc weight) of N\n"
            "random pairs with corridor and igraph, prints a table.\n"
            "Example: %s --pairs 20 --label NY-d /data/USA-road-d.NY.gr.gz\n",
            argv0, argv0);
    return 2;
}

int main(int argc, char **argv)
{
    size_t n_pairs = 20, n = 0;
    uint64_t seed = 20240601;
    result *rs = calloc((size_t)argc, sizeof *rs);
    const char *label = NULL;
    if (!rs) return 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--pairs") == 0 && i + 1 < argc) n_pairs = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--label") == 0 && i + 1 < argc) label = argv[++i];
        else if (argv[i][0] == '-' || n_pairs == 0) return free(rs), usage(argv[0]);
        else {
            rs[n++] = (result){.label = label ? label : argv[i], .path = argv[i]};
            label = NULL;
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
        all_ok = bench_one(&rs[i], n_pairs, seed) && all_ok;
    }
    if (n_run > 0) print_tables(rs, n, n_pairs, seed);
    else fprintf(stderr, "no graph file found: nothing to measure\n");
    for (size_t i = 0; i < n; i++) free(rs[i].pairs);
    free(rs);
    return all_ok ? 0 : 1;
}
