/*
 * bench_load.c — how long a network takes to load, and what it costs in memory: a source
 * file (DIMACS .gr.gz, GeoJSON, ...) against its compiled .cor.
 *
 *   bench_load FILE [REPEAT]
 *
 * Each round loads FILE (cor_network_load: for a .cor, open + mmap + every check), then
 * compiles the default profile (for a .cor with that profile stored: the stored graph, no
 * compile) and runs one route between the first and the last node. Prints the median and
 * minimum of each step over REPEAT rounds (default 10); the first round also reads a cold
 * page cache when the file was not read before. Peak RSS is measured around a whole
 * process instead (bench/run.sh: /usr/bin/time -v on `corridor route --pairs`).
 */
#include "bench_util.h"
#include "corridor.h"

#include <stdio.h>
#include <stdlib.h>

/* CPU time of the process: what the load costs, without the waits of a busy machine. */
static double cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int fail(const char *what, cor_error *err)
{
    char buf[1024];
    fprintf(stderr, "bench_load: %s: %s\n", what,
            err->count ? cor_problem_format(&err->problems[0], buf, sizeof buf) : "failed");
    cor_error_clear(err);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_load FILE [REPEAT]\n");
        return 2;
    }
    int repeat = argc > 2 ? atoi(argv[2]) : 10;
    if (repeat < 1 || repeat > 1000) repeat = 10;
    double *t_load = calloc((size_t)repeat, sizeof *t_load);
    double *t_graph = calloc((size_t)repeat, sizeof *t_graph);
    double *t_route = calloc((size_t)repeat, sizeof *t_route);
    double *c_load = calloc((size_t)repeat, sizeof *c_load);
    if (!t_load || !t_graph || !t_route || !c_load) return 1;
    size_t nodes = 0, links = 0;
    bool stored = false;
    for (int r = 0; r < repeat; r++) {
        cor_error err;
        cor_error_init(&err);
        cor_network *net;
        double c0 = cpu_s(), t0 = now_s();
        if (cor_network_load(&net, argv[1], COR_FORMAT_AUTO, &err) != COR_OK)
            return fail(argv[1], &err);
        double t1 = now_s();
        c_load[r] = cpu_s() - c0;
        cor_profile p;
        cor_profile_init(&p);
        cor_graph *g;
        if (cor_graph_compile(&g, net, &p, &err) != COR_OK) return fail("compile", &err);
        double t2 = now_s();
        cor_route_query *q = cor_route_query_new(g);
        nodes = cor_network_node_count(net);
        links = cor_network_link_count(net);
        if (q) (void)cor_route_distance(q, 0, (uint32_t)(nodes - 1));
        double t3 = now_s();
        stored = cor_graph_is_stored(g);
        t_load[r] = t1 - t0, t_graph[r] = t2 - t1, t_route[r] = t3 - t2;
        cor_route_query_free(q);
        cor_graph_free(g);
        cor_network_free(net);
        cor_error_clear(&err);
    }
    double *all[] = {t_load, c_load, t_graph, t_route};
    const char *names[] = {"load", "load, CPU time", stored ? "graph (stored)" : "graph (compiled)",
                           "query + one route"};
    printf("%s: %zu nodes, %zu links, %d rounds\n", argv[1], nodes, links, repeat);
    for (int k = 0; k < 4; k++) {
        qsort(all[k], (size_t)repeat, sizeof(double), compare_double);
        printf("  %-18s median %9.2f ms   min %9.2f ms\n", names[k], 1e3 * all[k][repeat / 2],
               1e3 * all[k][0]);
    }
    free(t_load), free(t_graph), free(t_route), free(c_load);
    return 0;
}
