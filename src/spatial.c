/*
 * spatial.c — places by coordinates: the nearest node to a longitude/latitude.
 *
 * The idea: a static k-d tree over the nodes' positions as 3-D unit vectors. On the unit
 * sphere the straight-line (chord) distance grows with the great-circle distance, so the
 * nearest point by chord is the nearest on the globe, and a 3-D tree needs no special
 * case at the antimeridian or the poles (lon/lat boxes do). The tree is implicit: the
 * points are permuted so that the median of every range is its root (Bentley 1975,
 * "Multidimensional binary search trees used for associative searching"; the layout is
 * the textbook one, written here from the idea), the split axis being the one of widest
 * extent in that range. No pointers: 28 bytes a point (x, y, z and the node), built once
 * in O(n log n) expected (quickselect per level), a query O(log n) expected.
 *
 * The trade-off: a locator is immutable. A scenario that closes links is a new compiled
 * graph, so a new locator (cheap beside the compile). Queries only read, so one locator
 * serves many threads.
 */
#include "graph_internal.h"
#include "network_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EARTH_RADIUS_M (COR_EARTH_RADIUS_KM * 1000.0) /* WGS84 mean radius (IUGG R1) */

struct cor_locator {
    size_t n;
    double *xyz;    /* 3 n, in tree order */
    uint32_t *node; /* n, in tree order */
    uint8_t *axis;  /* n: split axis of the range whose median this point is */
};

static void to_unit(double lon, double lat, double *v) {
    double la = lat * M_PI / 180, lo = lon * M_PI / 180;
    v[0] = cos(la) * cos(lo);
    v[1] = cos(la) * sin(lo);
    v[2] = sin(la);
}

double cor_great_circle_metres(double lon1, double lat1, double lon2, double lat2) {
    /* haversine: exact to rounding at every distance short of antipodes */
    double p1 = lat1 * M_PI / 180, p2 = lat2 * M_PI / 180;
    double dp = p2 - p1, dl = (lon2 - lon1) * M_PI / 180;
    double h = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    return 2 * EARTH_RADIUS_M * asin(fmin(1.0, sqrt(h)));
}

/* ---------------------------------------------------------------- building */

static void swap_points(cor_locator *t, size_t a, size_t b) {
    double v[3];
    memcpy(v, t->xyz + 3 * a, sizeof v);
    memcpy(t->xyz + 3 * a, t->xyz + 3 * b, sizeof v);
    memcpy(t->xyz + 3 * b, v, sizeof v);
    uint32_t n = t->node[a];
    t->node[a] = t->node[b];
    t->node[b] = n;
}

/* Puts the k-th smallest of [lo, hi) on `axis` at k, smaller before, larger after
 * (Hoare's quickselect with a median-of-three pivot). */
static void select_kth(cor_locator *t, size_t lo, size_t hi, size_t k, int axis) {
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        double a = t->xyz[3 * lo + axis], b = t->xyz[3 * mid + axis],
               c = t->xyz[3 * (hi - 1) + axis];
        double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        size_t i = lo, j = hi - 1;
        while (i <= j) {
            while (t->xyz[3 * i + axis] < pivot)
                i++;
            while (t->xyz[3 * j + axis] > pivot)
                j--;
            if (i <= j) {
                swap_points(t, i, j);
                i++;
                if (j == 0) break;
                j--;
            }
        }
        if (k <= j)
            hi = j + 1;
        else if (k >= i)
            lo = i;
        else
            return; /* between j and i: equal to the pivot, in place */
    }
}

static int widest_axis(const cor_locator *t, size_t lo, size_t hi) {
    double mn[3] = {INFINITY, INFINITY, INFINITY}, mx[3] = {-INFINITY, -INFINITY, -INFINITY};
    for (size_t i = lo; i < hi; i++)
        for (int d = 0; d < 3; d++) {
            mn[d] = fmin(mn[d], t->xyz[3 * i + d]);
            mx[d] = fmax(mx[d], t->xyz[3 * i + d]);
        }
    int best = 0;
    for (int d = 1; d < 3; d++)
        if (mx[d] - mn[d] > mx[best] - mn[best]) best = d;
    return best;
}

static void build(cor_locator *t, size_t lo, size_t hi) {
    while (hi > lo) {
        size_t mid = lo + (hi - lo) / 2;
        int axis = widest_axis(t, lo, hi);
        select_kth(t, lo, hi, mid, axis);
        t->axis[mid] = (uint8_t)axis;
        build(t, lo, mid); /* recursion depth: log2 n */
        lo = mid + 1;
    }
}

cor_status cor_locator_new_nodes(cor_locator **out, const cor_network *net, const bool *mask,
                                 cor_error *err) {
    *out = NULL;
    cor_locator *t = calloc(1, sizeof *t);
    size_t cap = net->n_nodes + 1;
    if (t) {
        t->xyz = malloc(3 * cap * sizeof *t->xyz);
        t->node = malloc(cap * sizeof *t->node);
        t->axis = malloc(cap);
    }
    if (!t || !t->xyz || !t->node || !t->axis) {
        cor_locator_free(t);
        return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL,
                             "out of memory building the spatial index");
    }
    for (uint32_t v = 0; v < net->n_nodes; v++) {
        const cor_node *nd = cor_net_node(net, v);
        if ((mask && !mask[v]) || !isfinite(nd->lon) || !isfinite(nd->lat)) continue;
        to_unit(nd->lon, nd->lat, t->xyz + 3 * t->n);
        t->node[t->n++] = v;
    }
    build(t, 0, t->n);
    *out = t;
    return COR_OK;
}

cor_status cor_locator_new(cor_locator **out, const cor_graph *g, cor_error *err) {
    bool *usable = calloc((size_t)g->n_nodes + 1, sizeof *usable);
    if (!usable) {
        *out = NULL;
        return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL,
                             "out of memory building the spatial index");
    }
    /* a node is usable when one of its states has an arc out or in */
    for (uint32_t v = 0; v < g->n_nodes; v++)
        for (uint32_t s = cor_g_first_state(g, v); s < cor_g_first_state(g, v + 1); s++)
            if (g->first_out[s + 1] > g->first_out[s] || g->first_in[s + 1] > g->first_in[s])
                usable[v] = true;
    cor_status st = cor_locator_new_nodes(out, g->net, usable, err);
    free(usable);
    return st;
}

void cor_locator_free(cor_locator *loc) {
    if (!loc) return;
    free(loc->xyz);
    free(loc->node);
    free(loc->axis);
    free(loc);
}

size_t cor_locator_size(const cor_locator *loc) {
    return loc->n;
}

/* ---------------------------------------------------------------- queries */

typedef struct nearest {
    const double *q;
    double best; /* squared chord */
    size_t at;
} nearest;

static double chord2(const double *a, const double *b) {
    double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
    return dx * dx + dy * dy + dz * dz;
}

static void descend(const cor_locator *t, size_t lo, size_t hi, nearest *s) {
    while (hi > lo) {
        size_t mid = lo + (hi - lo) / 2;
        double d2 = chord2(s->q, t->xyz + 3 * mid);
        /* ties go to the lower node index, so the answer does not depend on the layout */
        if (d2 < s->best || (d2 == s->best && t->node[mid] < t->node[s->at])) {
            s->best = d2;
            s->at = mid;
        }
        double off = s->q[t->axis[mid]] - t->xyz[3 * mid + t->axis[mid]];
        size_t near_lo = off < 0 ? lo : mid + 1, near_hi = off < 0 ? mid : hi;
        size_t far_lo = off < 0 ? mid + 1 : lo, far_hi = off < 0 ? hi : mid;
        descend(t, near_lo, near_hi, s);
        if (off * off > s->best) return; /* the far side is beyond the plane */
        lo = far_lo, hi = far_hi;
    }
}

cor_status cor_locator_nearest(const cor_locator *loc, double lon, double lat, uint32_t *node,
                               double *metres) {
    if (!isfinite(lon) || !isfinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90)
        return COR_ERR_USAGE;
    if (loc->n == 0) return COR_ERR_NOT_FOUND;
    double q[3];
    to_unit(lon, lat, q);
    nearest s = {q, INFINITY, 0};
    descend(loc, 0, loc->n, &s);
    *node = loc->node[s.at];
    if (metres) {
        double c = sqrt(s.best); /* chord → arc on the sphere */
        *metres = 2 * EARTH_RADIUS_M * asin(fmin(1.0, c / 2));
    }
    return COR_OK;
}

cor_status cor_locator_snap(const cor_locator *loc, const cor_network *net, double lon, double lat,
                            double limit_m, const char *field, uint32_t *node, double *metres,
                            cor_error *err) {
    cor_status st = cor_locator_nearest(loc, lon, lat, node, metres);
    if (st == COR_ERR_USAGE)
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, field,
                             "%s %.6g,%.6g: not a place (longitude -180..180, latitude -90..90)",
                             field ? field : "place", lon, lat);
    if (st == COR_ERR_NOT_FOUND)
        return cor_error_add(err, COR_ERR_INPUT, NULL, -1, -1, field,
                             "%s %.6f,%.6f: no node with a position can be used with these "
                             "settings",
                             field ? field : "place", lon, lat);
    if (limit_m >= 0 && *metres > limit_m)
        return cor_error_add(err, COR_ERR_INPUT, NULL, -1, -1, field,
                             "%s %.6f,%.6f is %.1f km from the nearest usable node ('%s'), "
                             "beyond the snap limit of %g km",
                             field ? field : "place", lon, lat, *metres / 1000,
                             cor_net_node(net, *node)->id, limit_m / 1000);
    return COR_OK;
}
