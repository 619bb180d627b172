/*
 * bench_locator.c — places by coordinates on DIMACS New York: building the k-d tree
 * (cor_locator_new over the compiled graph's usable nodes) and nearest-node queries,
 * against a brute-force scan of every node (haversine) in the same run, on the same points.
 *
 *   bench_locator [NY.gr.gz] [queries]     (default: ../shared/data/dimacs9/USA-road-d.NY.gr.gz)
 *
 * Query points are drawn uniformly in the graph's bounding box (splitmix64, fixed seed);
 * the answers of both methods are compared (same distance) so the timing is of right
 * answers. Wall times with CLOCK_MONOTONIC.
 */
#include "corridor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static unsigned long long seed = 20261203;
static double unit(void) /* splitmix64 → [0, 1) */
{
    unsigned long long z = (seed += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

static uint32_t brute(const cor_network *net, double lon, double lat, double *best) {
    uint32_t at = COR_NONE;
    *best = INFINITY;
    for (uint32_t v = 0; v < cor_network_node_count(net); v++) {
        const cor_node *n = cor_network_node(net, v);
        double d = cor_great_circle_metres(lon, lat, n->lon, n->lat);
        if (d < *best) *best = d, at = v;
    }
    return at;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "../shared/data/dimacs9/USA-road-d.NY.gr.gz";
    long queries = argc > 2 ? atol(argv[2]) : 100000;
    cor_error err;
    cor_error_init(&err);
    cor_network *net;
    cor_graph *g;
    cor_profile p;
    cor_profile_init(&p);
    if (cor_network_load(&net, path, COR_FORMAT_AUTO, &err) != COR_OK ||
        cor_graph_compile(&g, net, &p, &err) != COR_OK) {
        fprintf(stderr, "bench_locator: cannot load %s\n", path);
        return 2;
    }
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    for (uint32_t v = 0; v < cor_network_node_count(net); v++) {
        const cor_node *n = cor_network_node(net, v);
        lo[0] = fmin(lo[0], n->lon), hi[0] = fmax(hi[0], n->lon);
        lo[1] = fmin(lo[1], n->lat), hi[1] = fmax(hi[1], n->lat);
    }
    cor_locator *loc;
    double t0 = now();
    if (cor_locator_new(&loc, g, &err) != COR_OK) return 2;
    double build = now() - t0;
    double *pts = malloc(2 * (size_t)queries * sizeof *pts);
    for (long i = 0; i < queries; i++) {
        pts[2 * i] = lo[0] + unit() * (hi[0] - lo[0]);
        pts[2 * i + 1] = lo[1] + unit() * (hi[1] - lo[1]);
    }
    uint32_t v;
    double m, sum = 0;
    t0 = now();
    for (long i = 0; i < queries; i++) {
        cor_locator_nearest(loc, pts[2 * i], pts[2 * i + 1], &v, &m);
        sum += m;
    }
    double tree = (now() - t0) / (double)queries;
    long nb = queries < 200 ? queries : 200, wrong = 0;
    t0 = now();
    for (long i = 0; i < nb; i++) {
        double best;
        brute(net, pts[2 * i], pts[2 * i + 1], &best);
        cor_locator_nearest(loc, pts[2 * i], pts[2 * i + 1], &v, &m);
        wrong += fabs(best - m) > 1e-6;
    }
    double scan = (now() - t0) / (double)nb;
    printf("graph %s: %zu nodes indexed\n", path, cor_locator_size(loc));
    printf("build: %.1f ms (%.0f ns per node)\n", build * 1e3,
           build * 1e9 / (double)cor_locator_size(loc));
    printf("k-d tree query: %.2f us mean over %ld points (mean snap %.0f m)\n", tree * 1e6, queries,
           sum / (double)queries);
    printf("brute-force scan: %.2f ms mean over %ld points; %.0fx slower; %ld answers differ\n",
           scan * 1e3, nb, scan / tree, wrong);
    free(pts);
    cor_locator_free(loc);
    cor_graph_free(g);
    cor_network_free(net);
    return wrong ? 1 : 0;
}
