/*
 * bench_criticality.c — all single-link criticality on a DIMACS road graph: corridor's
 * cor_criticality_run against the naive way (one full search per removed link per O-D
 * pair, as ra2ce does with NetworkX), on our engine and on NetworkX.
 *
 * Steps, in one process: load the graph (with its .co: A*), compile it for the default
 * profile (cost = the file's weight), draw N connected O-D pairs (splitmix64, fixed seed;
 * quantity 1). Then:
 *   1. ours: cor_criticality_run over every link, with each thread count asked (1 and 2),
 *      wall time; Σ pairs affected is the number of re-searches it made. The results of
 *      all thread counts must be identical.
 *   2. naive, our engine: for a uniform sample of links, every pair searched again with
 *      the link banned (cor_query_distance_without: the same bidirectional search with ban
 *      stamps as criticality's re-searches, no route built); the time per link times the
 *      number of links is the naive total. Its Σ extra cost and disconnected pairs per
 *      link must equal ours. A second sample drawn among the links that lie on some base
 *      route checks the links where the answer is not 0.
 *   3. the peer (--peer CMD): the pairs, our base distances and a few links with our
 *      answers go to a job file; CMD GRAPH JOB runs naive_criticality.py, which times
 *      NetworkX on the base distances and on the naive way for those links, and checks
 *      both against ours. Its `key value` lines are read back into the table.
 * The 1-minute load average is read before and after every timed step: the machine is
 * shared. A markdown table follows.
 */
#include "bench_util.h"
#include "corridor.h"
#include "graph_internal.h"
#include "route_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define MAX_THREAD_RUNS 4

/* ---------------------------------------------------------------- small helpers */

static double load_average(void) {
    double one = NAN;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &one) != 1) one = NAN;
        fclose(f);
    }
    return one;
}

/* CPU seconds of this process (all its threads) and of its waited-for children. */
static double cpu_s(void) {
    struct rusage self, children;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    return (double)(self.ru_utime.tv_sec + self.ru_stime.tv_sec + children.ru_utime.tv_sec +
                    children.ru_stime.tv_sec) +
           1e-6 * (double)(self.ru_utime.tv_usec + self.ru_stime.tv_usec +
                           children.ru_utime.tv_usec + children.ru_stime.tv_usec);
}

/* A timed step: wall and CPU seconds, and the load average around it. On a shared
 * machine the CPU time of a one-thread step is what its wall time would be alone. */
typedef struct span {
    double t0, c0, seconds, cpu, load0, load1;
} span;

static void span_start(span *s) {
    s->load0 = load_average();
    s->c0 = cpu_s();
    s->t0 = now_s();
}

static void span_stop(span *s) {
    s->seconds = now_s() - s->t0;
    s->cpu = cpu_s() - s->c0;
    s->load1 = load_average();
}

static bool same_figures(const cor_criticality *a, const cor_criticality *b) {
    return a->extra_cost == b->extra_cost && a->pairs_affected == b->pairs_affected &&
           a->pairs_disconnected == b->pairs_disconnected && a->unserved == b->unserved;
}

/* ---------------------------------------------------------------- the run */

typedef struct options {
    const char *path, *label, *peer;
    size_t n_pairs, n_sample, n_onpath, n_peer_links, n_peer_pairs;
    unsigned threads[MAX_THREAD_RUNS];
    size_t n_thread_runs;
    uint64_t seed;
} options;

/* One link sample run the naive way on our engine. */
typedef struct naive {
    uint32_t *links;
    size_t n, searches, mismatches, nonzero; /* nonzero: links whose loss costs something */
    size_t detours;                          /* searches whose answer changed */
    double detour_s, other_s;                /* their wall time, and the others' */
    span time;
} naive;

typedef struct bench {
    const options *o;
    cor_network *net;
    cor_graph *g;
    cor_profile profile;
    size_t nodes, links, drawn;
    bool astar;
    span load, compile, base;
    cor_demand *pairs;
    double *base_cost;
    cor_criticality_result ours[MAX_THREAD_RUNS];
    span ours_time[MAX_THREAD_RUNS];
    size_t affected, on_route, disconnected, thread_diffs;
    naive uniform, onpath;
    /* the peer's answers, from its output */
    bool peer_done;
    size_t peer_pairs; /* the first pairs, those the peer is given */
    span peer_time;
    char peer_version[64];
    double peer_build_s, peer_base_s, peer_naive_s, peer_base_cpu, peer_naive_cpu;
    size_t peer_links, peer_searches, peer_base_mismatch, peer_naive_mismatch;
} bench;

static void print_problems(const cor_error *err, const char *what) {
    char buf[1024];
    for (size_t i = 0; i < err->count && i < 10; i++)
        fprintf(stderr, "%s\n", cor_problem_format(&err->problems[i], buf, sizeof buf));
    if (err->count == 0) fprintf(stderr, "%s failed without a message\n", what);
}

/* N connected pairs of distinct nodes, uniform; their distances timed one by one. */
static bool draw_pairs(bench *b, cor_route_query *q) {
    uint64_t state = b->o->seed;
    uint32_t n = (uint32_t)b->nodes;
    size_t k = 0;
    b->pairs = calloc(b->o->n_pairs + 1, sizeof *b->pairs);
    b->base_cost = calloc(b->o->n_pairs + 1, sizeof *b->base_cost);
    if (!b->pairs || !b->base_cost || n < 2) return false;
    while (k < b->o->n_pairs && b->drawn < 100 * b->o->n_pairs) {
        uint32_t from = random_below(&state, n), to = random_below(&state, n);
        b->drawn++;
        if (from == to || isinf(cor_route_distance(q, from, to))) continue;
        b->pairs[k++] = (cor_demand){from, to, 1.0};
    }
    if (k < b->o->n_pairs) {
        fprintf(stderr, "only %zu connected pairs in %zu draws\n", k, b->drawn);
        return false;
    }
    span_start(&b->base);
    for (size_t i = 0; i < k; i++)
        b->base_cost[i] = cor_route_distance(q, b->pairs[i].from, b->pairs[i].to);
    span_stop(&b->base);
    return true;
}

static bool run_ours(bench *b) {
    for (size_t r = 0; r < b->o->n_thread_runs; r++) {
        cor_criticality_spec spec = {.profile = &b->profile,
                                     .demand = b->pairs,
                                     .n_demand = b->o->n_pairs,
                                     .links = true,
                                     .k = 1,
                                     .threads = b->o->threads[r],
                                     .progress = NULL};
        cor_error err;
        cor_error_init(&err);
        span_start(&b->ours_time[r]);
        cor_status st = cor_criticality_run(b->net, &spec, &b->ours[r], &err);
        span_stop(&b->ours_time[r]);
        if (st != COR_OK) print_problems(&err, "cor_criticality_run");
        cor_error_clear(&err);
        if (st != COR_OK) return false;
        fprintf(stderr, "ours, %u thread(s): %.1f s\n", b->o->threads[r], b->ours_time[r].seconds);
        if (b->ours[r].n_single != b->links || b->ours[r].n_pairs_routed != b->o->n_pairs) {
            fprintf(stderr,
                    "cor_criticality_run: %zu entries, %zu pairs routed; expected %zu, %zu\n",
                    b->ours[r].n_single, b->ours[r].n_pairs_routed, b->links, b->o->n_pairs);
            return false;
        }
        for (size_t i = 0; r > 0 && i < b->links; i++)
            b->thread_diffs += !same_figures(&b->ours[0].single[i], &b->ours[r].single[i]);
    }
    for (size_t i = 0; i < b->links; i++) {
        const cor_criticality *c = &b->ours[0].single[i];
        b->affected += c->pairs_affected;
        b->on_route += c->pairs_affected > 0;
        b->disconnected += c->pairs_disconnected;
    }
    return true;
}

/* n distinct links drawn uniformly, or among those on some base route. */
static bool sample_links(bench *b, naive *s, size_t n, bool on_route, uint64_t seed) {
    uint8_t *taken = calloc(b->links + 1, 1);
    s->links = malloc((n + 1) * sizeof *s->links);
    size_t pool = on_route ? b->on_route : b->links;
    if (!taken || !s->links) return free(taken), false;
    if (n > pool) n = pool;
    uint64_t state = seed;
    while (s->n < n) {
        uint32_t l = random_below(&state, (uint32_t)b->links);
        if (taken[l] || (on_route && b->ours[0].single[l].pairs_affected == 0)) continue;
        taken[l] = 1;
        s->links[s->n++] = l;
    }
    free(taken);
    return true;
}

/* The arcs of each sampled link (one scan of the graph); arcs[first[i] .. first[i+1]). */
static bool arcs_of(const bench *b, const naive *s, uint32_t **first, uint32_t **arcs) {
    const cor_graph *g = b->g;
    uint32_t *slot = malloc((b->links + 1) * sizeof *slot);
    *first = calloc(s->n + 2, sizeof **first);
    *arcs = malloc((g->n_arcs + 1) * sizeof **arcs);
    if (!slot || !*first || !*arcs) return free(slot), false;
    for (size_t l = 0; l < b->links; l++)
        slot[l] = COR_NONE;
    for (size_t i = 0; i < s->n; i++)
        slot[s->links[i]] = (uint32_t)i;
    for (uint32_t a = 0; a < g->n_arcs; a++)
        if (g->arc_link[a] != COR_ARC_TRANSFER && slot[g->arc_link[a] >> 1] != COR_NONE)
            (*first)[slot[g->arc_link[a] >> 1] + 2]++;
    for (size_t i = 0; i < s->n; i++)
        (*first)[i + 2] += (*first)[i + 1];
    for (uint32_t a = 0; a < g->n_arcs; a++)
        if (g->arc_link[a] != COR_ARC_TRANSFER && slot[g->arc_link[a] >> 1] != COR_NONE)
            (*arcs)[(*first)[slot[g->arc_link[a] >> 1] + 1]++] = a;
    free(slot);
    return true;
}

/* Σ extra cost and disconnections of one link over pairs [0, n), the naive way. The
 * searches whose answer changed (the link was on the pair's route: the searches ours
 * makes) are timed apart from the others, in s when given. */
static bool naive_link(const bench *b, cor_route_query *q, uint32_t link, size_t n,
                       const uint32_t *arcs, size_t n_arcs, cor_criticality *c, naive *s) {
    *c = (cor_criticality){.kind = COR_ELEMENT_LINK, .index = link};
    for (size_t k = 0; k < n; k++) {
        double d, t0 = now_s();
        if (!cor_query_distance_without(q, b->pairs[k].from, b->pairs[k].to, arcs, n_arcs, NULL, 0,
                                        &d))
            return false;
        if (s && d != b->base_cost[k])
            s->detours++, s->detour_s += now_s() - t0;
        else if (s)
            s->other_s += now_s() - t0;
        if (isinf(d)) {
            c->pairs_disconnected++;
            c->unserved += b->pairs[k].quantity;
        } else {
            c->extra_cost += b->pairs[k].quantity * (d - b->base_cost[k]);
        }
    }
    return true;
}

/* Every pair searched again for every link of the sample, with the link banned; the
 * figures compared with ours. */
static bool run_naive(bench *b, cor_route_query *q, naive *s) {
    uint32_t *first = NULL, *arcs = NULL;
    bool ok = arcs_of(b, s, &first, &arcs);
    span_start(&s->time);
    for (size_t i = 0; ok && i < s->n; i++) {
        cor_criticality c;
        const cor_criticality *mine = &b->ours[0].single[s->links[i]];
        ok = naive_link(b, q, s->links[i], b->o->n_pairs, arcs + first[i], first[i + 1] - first[i],
                        &c, s);
        s->searches += b->o->n_pairs;
        c.pairs_affected = mine->pairs_affected; /* the naive way does not know it */
        s->nonzero += c.extra_cost != 0 || c.pairs_disconnected != 0;
        if (!same_figures(&c, mine) && s->mismatches++ < 5)
            fprintf(stderr, "link %u: naive extra %.17g, %zu cut; ours %.17g, %zu cut\n",
                    s->links[i], c.extra_cost, c.pairs_disconnected, mine->extra_cost,
                    mine->pairs_disconnected);
    }
    span_stop(&s->time);
    free(first);
    free(arcs);
    return ok;
}

/* ---------------------------------------------------------------- the peer */

/* A link in the middle of pair 0's route: its loss costs that pair something. */
static uint32_t link_on_first_route(const bench *b, cor_route_query *q) {
    cor_route r;
    cor_error quiet;
    cor_error_init(&quiet);
    uint32_t l = COR_NONE;
    if (cor_route_shortest(q, b->pairs[0].from, b->pairs[0].to, &r, &quiet) == COR_OK) {
        for (size_t i = r.n_legs / 2; l == COR_NONE && i < r.n_legs; i++)
            if (r.legs[i].kind == COR_LEG_LINK) l = r.legs[i].link;
        cor_route_clear(&r);
    }
    cor_error_clear(&quiet);
    return l;
}

/* The peer's job: the pairs with our base distances, how many of them (the first) the
 * naive way runs, and its links with the figures our engine gives for them over those
 * pairs (the naive way, checked against cor_criticality_run on the samples above). */
static bool write_job(bench *b, cor_route_query *q, const char *path) {
    naive s = {.links = malloc((b->o->n_peer_links + 2) * sizeof *s.links)};
    if (!s.links) return false;
    for (size_t i = 0; i < b->o->n_peer_links && i < b->uniform.n; i++)
        s.links[s.n++] = b->uniform.links[i];
    if ((s.links[s.n] = link_on_first_route(b, q)) != COR_NONE) s.n++;
    uint32_t *first = NULL, *arcs = NULL;
    FILE *f = fopen(path, "w");
    bool ok = f && arcs_of(b, &s, &first, &arcs);
    if (ok) fprintf(f, "naive_pairs %zu\n", b->peer_pairs);
    for (size_t k = 0; ok && k < b->o->n_pairs; k++)
        fprintf(f, "pair %u %u %.17g\n", b->pairs[k].from, b->pairs[k].to, b->base_cost[k]);
    for (size_t i = 0; ok && i < s.n; i++) {
        cor_criticality c;
        const cor_link *link = cor_network_link(b->net, s.links[i]);
        ok = naive_link(b, q, s.links[i], b->peer_pairs, arcs + first[i], first[i + 1] - first[i],
                        &c, NULL);
        fprintf(f, "link %u %u %u %.17g %zu\n", s.links[i], link->from, link->to, c.extra_cost,
                c.pairs_disconnected);
    }
    if (f && fclose(f) != 0) ok = false;
    free(first);
    free(arcs);
    free(s.links);
    return ok;
}

/* Reads the peer's `key value` lines. */
static void read_peer(bench *b, FILE *p) {
    char line[512], key[64], value[256];
    while (fgets(line, sizeof line, p)) {
        if (sscanf(line, "%63s %255[^\n]", key, value) != 2) continue;
        if (strcmp(key, "networkx") == 0)
            snprintf(b->peer_version, sizeof b->peer_version, "%.63s", value);
        else if (strcmp(key, "build_s") == 0)
            b->peer_build_s = atof(value);
        else if (strcmp(key, "base_s") == 0)
            b->peer_base_s = atof(value);
        else if (strcmp(key, "base_mismatch") == 0)
            b->peer_base_mismatch = strtoul(value, NULL, 10);
        else if (strcmp(key, "naive_s") == 0)
            b->peer_naive_s = atof(value);
        else if (strcmp(key, "base_cpu_s") == 0)
            b->peer_base_cpu = atof(value);
        else if (strcmp(key, "naive_cpu_s") == 0)
            b->peer_naive_cpu = atof(value);
        else if (strcmp(key, "naive_links") == 0)
            b->peer_links = strtoul(value, NULL, 10);
        else if (strcmp(key, "naive_searches") == 0)
            b->peer_searches = strtoul(value, NULL, 10);
        else if (strcmp(key, "naive_mismatch") == 0) {
            b->peer_naive_mismatch = strtoul(value, NULL, 10);
            b->peer_done = true;
        } else if (strcmp(key, "link") == 0) {
            fprintf(stderr, "peer: link %s\n", value);
        }
    }
}

static bool run_peer(bench *b, cor_route_query *q) {
    char job[] = "/tmp/bench_criticality_XXXXXX", cmd[4096];
    int fd = mkstemp(job);
    if (fd < 0) return false;
    close(fd);
    b->peer_pairs = b->o->n_peer_pairs < b->o->n_pairs ? b->o->n_peer_pairs : b->o->n_pairs;
    bool ok = write_job(b, q, job);
    snprintf(cmd, sizeof cmd, "%s '%s' '%s'", b->o->peer, b->o->path, job);
    fprintf(stderr, "peer: %s\n", cmd);
    span_start(&b->peer_time);
    FILE *p = ok ? popen(cmd, "r") : NULL;
    if (p) {
        read_peer(b, p);
        ok = pclose(p) == 0 && b->peer_done;
        span_stop(&b->peer_time);
    }
    unlink(job);
    if (!ok) fprintf(stderr, "peer: %s failed\n", b->o->peer);
    return ok;
}

/* ---------------------------------------------------------------- the table */

/* One row: what, the figure, the CPU time and load of the step it comes from (if any). */
static void row(const char *name, const char *value, const span *s) {
    if (s)
        printf("| %s | %s | %.1f s | %.2f → %.2f |\n", name, value, s->cpu, s->load0, s->load1);
    else
        printf("| %s | %s | | |\n", name, value);
}

static const char *duration(double s, char *buf, size_t n) {
    if (s < 120)
        snprintf(buf, n, "%.1f s", s);
    else if (s < 2 * 3600)
        snprintf(buf, n, "%.0f s (%.1f min)", s, s / 60);
    else if (s < 2 * 86400)
        snprintf(buf, n, "%.0f s (%.1f h)", s, s / 3600);
    else
        snprintf(buf, n, "%.0f s (%.1f days)", s, s / 86400);
    return buf;
}

/* "a× (1 thread, wall), b× (2 threads, wall), c× (1 thread, CPU)": a naive total against
 * each run of ours; the CPU figure needs the naive total in CPU seconds too. */
static void ratios(const bench *b, double naive_wall, double naive_cpu, char *v, size_t n) {
    const options *o = b->o;
    size_t len = 0;
    v[0] = 0;
    for (size_t r = 0; r < o->n_thread_runs && len < n; r++)
        len += (size_t)snprintf(v + len, n - len, "%s**%.0f×** (%u thread%s, wall)", r ? ", " : "",
                                naive_wall / b->ours_time[r].seconds, o->threads[r],
                                o->threads[r] == 1 ? "" : "s");
    for (size_t r = 0; r < o->n_thread_runs && len < n; r++)
        if (o->threads[r] == 1)
            snprintf(v + len, n - len, ", %.0f× (1 thread, CPU)", naive_cpu / b->ours_time[r].cpu);
}

static void print_ours(const bench *b) {
    char v[256], d[64], name[128];
    const options *o = b->o;
    for (size_t r = 0; r < o->n_thread_runs; r++) {
        snprintf(name, sizeof name, "**ours: all %zu links, %u thread%s** (cor_criticality_run)",
                 b->links, o->threads[r], o->threads[r] == 1 ? "" : "s");
        int len = snprintf(v, sizeof v, "**%s**", duration(b->ours_time[r].seconds, d, sizeof d));
        if (r > 0)
            snprintf(v + len, sizeof v - (size_t)len, ", %.2f× faster than the first run",
                     b->ours_time[0].seconds / b->ours_time[r].seconds);
        row(name, v, &b->ours_time[r]);
    }
    snprintf(v, sizeof v, "%zu entries differ", b->thread_diffs);
    if (o->n_thread_runs > 1) row("results identical across thread counts", v, NULL);
    double naive_count = (double)b->links * (double)o->n_pairs;
    snprintf(v, sizeof v, "%zu (%.1f per pair) against %.0f naive (links × pairs): %.0f× fewer",
             b->affected, (double)b->affected / (double)o->n_pairs, naive_count,
             naive_count / (double)b->affected);
    row("re-searches: Σ pairs affected", v, NULL);
    snprintf(v, sizeof v, "%zu of %zu; %zu (link, pair) disconnections", b->on_route, b->links,
             b->disconnected);
    row("links on some base route", v, NULL);
    snprintf(v, sizeof v, "%.2f ms wall, %.2f ms CPU",
             1e3 * b->ours_time[0].seconds / (double)b->affected,
             1e3 * b->ours_time[0].cpu / (double)b->affected);
    row("ours, first run, per re-search (base routes and set-up included)", v, NULL);
}

static void print_naive(const bench *b, double *total_wall, double *total_cpu) {
    char v[320], d[64], d2[64], name[128];
    const options *o = b->o;
    const naive *u = &b->uniform;
    *total_wall = u->time.seconds / (double)u->n * (double)b->links;
    *total_cpu = u->time.cpu / (double)u->n * (double)b->links;
    snprintf(name, sizeof name, "naive, our engine: %zu random links × %zu pairs", u->n,
             o->n_pairs);
    snprintf(v, sizeof v, "%s: %.3f s per link, %.2f ms per search",
             duration(u->time.seconds, d, sizeof d), u->time.seconds / (double)u->n,
             1e3 * u->time.seconds / (double)u->searches);
    row(name, v, &u->time);
    snprintf(v, sizeof v, "**%s** wall, %s CPU", duration(*total_wall, d, sizeof d),
             duration(*total_cpu, d2, sizeof d2));
    row("naive, our engine, extrapolated to all links (per link × links)", v, NULL);
    ratios(b, *total_wall, *total_cpu, v, sizeof v);
    row("**naive (our engine) / ours**", v, NULL);
    snprintf(v, sizeof v, "%zu of %zu links (%zu of them cost something)", u->mismatches, u->n,
             u->nonzero);
    row("naive ≠ ours, random links", v, NULL);
    snprintf(name, sizeof name, "naive ≠ ours, %zu links on base routes × %zu pairs", b->onpath.n,
             o->n_pairs);
    snprintf(v, sizeof v, "%zu of %zu links (%zu cost something); %s", b->onpath.mismatches,
             b->onpath.n, b->onpath.nonzero, duration(b->onpath.time.seconds, d, sizeof d));
    row(name, v, &b->onpath.time);
    const naive *p = &b->onpath;
    size_t others = p->searches - p->detours;
    snprintf(v, sizeof v, "%.1f ms (%zu searches) / %.1f ms (%zu), wall",
             p->detours ? 1e3 * p->detour_s / (double)p->detours : NAN, p->detours,
             others ? 1e3 * p->other_s / (double)others : NAN, others);
    row("… per search: answer changed (a detour, what ours searches) / unchanged", v, NULL);
}

static void print_peer(const bench *b, double naive_wall, double naive_cpu) {
    char v[320], d[64], d2[64], name[128];
    const options *o = b->o;
    if (!b->peer_done) {
        row("NetworkX", o->peer ? "failed (see above)" : "not run (no --peer)", NULL);
        return;
    }
    double ours_base = b->base.seconds / (double)o->n_pairs;
    double peer_base = b->peer_base_s / (double)o->n_pairs;
    snprintf(v, sizeof v, "NetworkX %s: nx.DiGraph built in %.1f s (not counted below)",
             b->peer_version, b->peer_build_s);
    row("peer", v, NULL);
    snprintf(name, sizeof name, "base distances, %zu pairs: ours (cor_route_distance) / NetworkX",
             o->n_pairs);
    snprintf(v, sizeof v,
             "%.1f ms / %.0f ms per pair (wall): **%.0f×**; CPU: %.1f / %.0f ms, "
             "%.0f×; %zu ≠",
             1e3 * ours_base, 1e3 * peer_base, peer_base / ours_base,
             1e3 * b->base.cpu / (double)o->n_pairs, 1e3 * b->peer_base_cpu / (double)o->n_pairs,
             b->peer_base_cpu / b->base.cpu, b->peer_base_mismatch);
    row(name, v, &b->base);
    /* Each naive search is a full search: per search × links × pairs. */
    double scale = (double)b->links * (double)o->n_pairs / (double)b->peer_searches;
    double total = b->peer_naive_s * scale, total_cpu = b->peer_naive_cpu * scale;
    snprintf(name, sizeof name, "NetworkX naive: %zu links × first %zu pairs (%zu searches)",
             b->peer_links, b->peer_pairs, b->peer_searches);
    snprintf(v, sizeof v,
             "%.0f ms per search; extrapolated to all links × %zu pairs: **%s** "
             "wall, %s CPU",
             1e3 * b->peer_naive_s / (double)b->peer_searches, o->n_pairs,
             duration(total, d, sizeof d), duration(total_cpu, d2, sizeof d2));
    row(name, v, &b->peer_time);
    ratios(b, total, total_cpu, v, sizeof v);
    row("**naive (NetworkX) / ours**", v, NULL);
    snprintf(v, sizeof v, "%.0f× (wall), %.0f× (CPU)", total / naive_wall, total_cpu / naive_cpu);
    row("naive NetworkX / naive our engine", v, NULL);
    snprintf(v, sizeof v, "%zu of %zu links (the last one on pair 0's route)",
             b->peer_naive_mismatch, b->peer_links);
    row("NetworkX naive ≠ ours (same pairs)", v, NULL);
}

static void print_table(const bench *b) {
    char v[256];
    const options *o = b->o;
    printf("\n| %s | | CPU | load (1 min), start → end |\n|---|---|---|---|\n", o->label);
    snprintf(v, sizeof v, "%zu nodes, %zu links (one arc each), A* %s", b->nodes, b->links,
             b->astar ? "yes (.co)" : "no");
    row("graph", v, NULL);
    snprintf(v, sizeof v, "%.2f s + %.2f s", b->load.seconds, b->compile.seconds);
    row("load + compile", v, &b->load);
    snprintf(v, sizeof v, "%zu connected pairs (%zu drawn), seed %llu, quantity 1", o->n_pairs,
             b->drawn, (unsigned long long)o->seed);
    row("O-D pairs", v, NULL);
    print_ours(b);
    double naive_wall, naive_cpu;
    print_naive(b, &naive_wall, &naive_cpu);
    print_peer(b, naive_wall, naive_cpu);
}

/* ---------------------------------------------------------------- main */

static bool load_graph(bench *b) {
    cor_error err;
    cor_error_init(&err);
    cor_profile_init(&b->profile);
    span_start(&b->load);
    bool ok = cor_network_load(&b->net, b->o->path, COR_FORMAT_DIMACS, &err) == COR_OK;
    span_stop(&b->load);
    span_start(&b->compile);
    ok = ok && cor_graph_compile(&b->g, b->net, &b->profile, &err) == COR_OK;
    span_stop(&b->compile);
    if (!ok) print_problems(&err, "loading");
    cor_error_clear(&err);
    if (!ok) return false;
    b->nodes = cor_network_node_count(b->net);
    b->links = cor_network_link_count(b->net);
    b->astar = cor_graph_has_lower_bound(b->g);
    fprintf(stderr, "%s: %zu nodes, %zu links, loaded in %.2f s\n", b->o->label, b->nodes, b->links,
            b->load.seconds);
    return true;
}

static bool run(bench *b) {
    cor_route_query *q = NULL;
    bool ok = load_graph(b) && (q = cor_route_query_new(b->g)) && draw_pairs(b, q) && run_ours(b) &&
              sample_links(b, &b->uniform, b->o->n_sample, false, b->o->seed + 1) &&
              sample_links(b, &b->onpath, b->o->n_onpath, true, b->o->seed + 2);
    fprintf(stderr, "naive: %zu random links, then %zu on base routes\n", b->uniform.n,
            b->onpath.n);
    ok = ok && run_naive(b, q, &b->uniform) && run_naive(b, q, &b->onpath);
    if (ok && b->o->peer) run_peer(b, q); /* a failed peer is reported in the table */
    cor_route_query_free(q);
    if (ok) print_table(b);
    return ok;
}

static void bench_free(bench *b) {
    for (size_t r = 0; r < MAX_THREAD_RUNS; r++)
        cor_criticality_result_clear(&b->ours[r]);
    free(b->uniform.links);
    free(b->onpath.links);
    free(b->pairs);
    free(b->base_cost);
    cor_graph_free(b->g);
    cor_network_free(b->net);
}

static int usage(const char *argv0) {
    fprintf(
        stderr,
        "usage: %s [--pairs N] [--seed S] [--threads 1,2] [--sample LINKS] [--onpath LINKS]\n"
        "       [--peer CMD [--peer-links LINKS] [--peer-pairs N]] [--label TEXT] FILE.gr[.gz]\n"
        "All single-link criticality of a DIMACS graph for N random connected O-D pairs:\n"
        "cor_criticality_run against the naive way on a sample of links, on our engine and\n"
        "(--peer) on NetworkX. Prints a markdown table.\n"
        "Example: %s --peer 'python3 bench/naive_criticality.py' USA-road-d.NY.gr.gz\n",
        argv0, argv0);
    return 2;
}

static bool parse_threads(const char *s, options *o) {
    o->n_thread_runs = 0;
    while (*s && o->n_thread_runs < MAX_THREAD_RUNS) {
        char *end;
        unsigned long t = strtoul(s, &end, 10);
        if (end == s || t == 0 || t > 256) return false;
        o->threads[o->n_thread_runs++] = (unsigned)t;
        s = *end == ',' ? end + 1 : end;
        if (*end && *end != ',') return false;
    }
    return o->n_thread_runs > 0 && !*s;
}

int main(int argc, char **argv) {
    options o = {.n_pairs = 100,
                 .n_sample = 200,
                 .n_onpath = 20,
                 .n_peer_links = 3,
                 .n_peer_pairs = 20,
                 .threads = {1, 2},
                 .n_thread_runs = 2,
                 .seed = 20240601};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = true;
        if (strcmp(a, "--pairs") == 0 && next)
            o.n_pairs = strtoul(argv[++i], NULL, 10);
        else if (strcmp(a, "--seed") == 0 && next)
            o.seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(a, "--sample") == 0 && next)
            o.n_sample = strtoul(argv[++i], NULL, 10);
        else if (strcmp(a, "--onpath") == 0 && next)
            o.n_onpath = strtoul(argv[++i], NULL, 10);
        else if (strcmp(a, "--peer-links") == 0 && next)
            o.n_peer_links = strtoul(argv[++i], NULL, 10);
        else if (strcmp(a, "--peer-pairs") == 0 && next)
            o.n_peer_pairs = strtoul(argv[++i], NULL, 10);
        else if (strcmp(a, "--peer") == 0 && next)
            o.peer = argv[++i];
        else if (strcmp(a, "--label") == 0 && next)
            o.label = argv[++i];
        else if (strcmp(a, "--threads") == 0 && next)
            ok = parse_threads(argv[++i], &o);
        else if (a[0] == '-' || o.path)
            ok = false;
        else
            o.path = a;
        if (!ok) return usage(argv[0]);
    }
    if (!o.path || o.n_pairs == 0 || o.n_sample == 0) return usage(argv[0]);
    if (!o.label) o.label = o.path;
    if (access(o.path, R_OK) != 0) {
        fprintf(stderr, "%s: not found, nothing to measure\n", o.path);
        return 0;
    }
    bench b = {.o = &o};
    bool ok = run(&b);
    bench_free(&b);
    return ok ? 0 : 1;
}
