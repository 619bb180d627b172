/*
 * cch_order.c — nested-dissection orders of the state graph's undirected skeleton.
 *
 * A CCH is as good as its order: a nested dissection puts small separators last, so
 * contraction adds few shortcuts and the elimination tree is shallow. Two orders:
 *
 *  - METIS_NodeND (multilevel nested dissection, Karypis and Kumar), from Debian's
 *    libmetis: needs only the graph.
 *  - Inertial flow (Schild and Sommer, "On balanced separators in road networks", SEA
 *    2015): project the node positions on a few directions; for each, the first quarter
 *    are sources, the last quarter sinks, and a unit-capacity maximum flow between them
 *    gives a minimum edge cut; the one of its sides with fewer cut endpoints is the
 *    separator. The best direction's separator takes the highest ranks of the part, and
 *    the two sides are ordered recursively. States of one node share its position.
 *
 * Trade-off: the flow uses edge cuts turned into vertex separators (at most one endpoint
 * per cut edge) rather than node-split flows: simpler, and road cuts are small. The
 * augmenting paths are plain BFS (Ford–Fulkerson): a cut of c edges costs c searches.
 */
#include "cch.h"
#include "network_internal.h"

#include <math.h>
#include <metis.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- skeleton */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Sorts each row and drops loops and repeats, compacting adj in place. */
static void skeleton_compact(cch_skeleton *s)
{
    uint32_t w = 0;
    for (uint32_t v = 0; v < s->n; v++) {
        uint32_t b = s->first[v], e = s->first[v + 1];
        qsort(s->adj + b, e - b, sizeof *s->adj, cmp_u32);
        s->first[v] = w;
        for (uint32_t i = b; i < e; i++)
            if (s->adj[i] != v && (w == s->first[v] || s->adj[w - 1] != s->adj[i]))
                s->adj[w++] = s->adj[i];
    }
    s->first[s->n] = w;
}

bool cch_skeleton_build(cch_skeleton *s, const cor_graph *g)
{
    s->n = g->n_states;
    s->first = malloc(((size_t)s->n + 1) * sizeof *s->first);
    s->adj = malloc(((size_t)2 * g->n_arcs + 1) * sizeof *s->adj);
    if (!s->first || !s->adj) {
        cch_skeleton_clear(s);
        return false;
    }
    uint32_t k = 0;
    for (uint32_t v = 0; v < s->n; v++) {
        s->first[v] = k;
        for (uint32_t a = g->first_out[v]; a < g->first_out[v + 1]; a++)
            s->adj[k++] = g->head[a];
        for (uint32_t b = g->first_in[v]; b < g->first_in[v + 1]; b++)
            s->adj[k++] = g->in_tail[b];
    }
    s->first[s->n] = k;
    skeleton_compact(s);
    return true;
}

void cch_skeleton_clear(cch_skeleton *s)
{
    free(s->first);
    free(s->adj);
    s->first = s->adj = NULL;
}

/* ---------------------------------------------------------------- METIS */

cor_status cch_order_metis(const cor_graph *g, uint32_t *rank, cor_error *err)
{
    cch_skeleton s = {0};
    cor_status st = COR_OK;
    idx_t *perm = NULL, *iperm = NULL;
    if (!cch_skeleton_build(&s, g)) goto nomem;
    if (s.first[s.n] == 0 || s.n < 3) { /* nothing to dissect (METIS wants edges) */
        for (uint32_t v = 0; v < s.n; v++)
            rank[v] = v;
        goto done;
    }
    perm = malloc((size_t)s.n * sizeof *perm);
    iperm = malloc((size_t)s.n * sizeof *iperm);
    if (!perm || !iperm) goto nomem;
    idx_t options[METIS_NOPTIONS], nv = (idx_t)s.n;
    METIS_SetDefaultOptions(options);
    options[METIS_OPTION_NUMBERING] = 0;
    /* idx_t is 32-bit here, like our indices: the arrays are passed as they are. */
    int rc = METIS_NodeND(&nv, (idx_t *)s.first, (idx_t *)s.adj, NULL, options, perm, iperm);
    if (rc != METIS_OK) {
        st = cor_error_add(err, rc == METIS_ERROR_MEMORY ? COR_ERR_NOMEM : COR_ERR_INPUT, NULL, -1,
                           -1, NULL, "METIS_NodeND failed (code %d)", rc);
        goto done;
    }
    /* iperm[v] is v's position in the permuted matrix: its elimination rank. */
    for (uint32_t v = 0; v < s.n; v++)
        rank[v] = (uint32_t)iperm[v];
    goto done;
nomem:
    st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory ordering the index");
done:
    free(perm);
    free(iperm);
    cch_skeleton_clear(&s);
    return st;
}

/* ---------------------------------------------------------------- inertial flow */

typedef struct part_graph { /* a part of the skeleton, in local ids */
    uint32_t k;
    uint32_t *first, *adj, *twin; /* twin[i]: the index of the reverse half-edge */
    int8_t *flow;                 /* on each half-edge: -1, 0, 1 */
} part_graph;

typedef struct inertial {
    const cch_skeleton *s;
    double *x, *y;   /* per state */
    uint32_t *local; /* state → local id in the current part */
    uint32_t *mark;  /* == part stamp: in the current part */
    uint32_t stamp;
    uint32_t next_rank; /* ranks are given from the top down */
    uint32_t *rank;
    /* scratch sized for the whole graph */
    uint32_t *queue, *pred; /* BFS: queue, predecessor half-edge */
    uint8_t *role;          /* 1 source, 2 sink */
    uint32_t *seen;         /* == seen_stamp: reached by the BFS */
    uint32_t seen_stamp;
    struct keyed *byk; /* projections, sorted */
} inertial;

static void part_free(part_graph *p)
{
    free(p->first);
    free(p->adj);
    free(p->twin);
    free(p->flow);
}

/* The subgraph induced by nodes[0..k), with local ids, sorted rows and twins. */
static bool part_build(inertial *in, const uint32_t *nodes, uint32_t k, part_graph *p)
{
    const cch_skeleton *s = in->s;
    in->stamp++;
    for (uint32_t i = 0; i < k; i++) {
        in->mark[nodes[i]] = in->stamp;
        in->local[nodes[i]] = i;
    }
    size_t m = 0;
    for (uint32_t i = 0; i < k; i++)
        for (uint32_t j = s->first[nodes[i]]; j < s->first[nodes[i] + 1]; j++)
            m += in->mark[s->adj[j]] == in->stamp;
    p->k = k;
    p->first = malloc(((size_t)k + 1) * sizeof *p->first);
    p->adj = malloc((m + 1) * sizeof *p->adj);
    p->twin = malloc((m + 1) * sizeof *p->twin);
    p->flow = calloc(m + 1, 1);
    if (!p->first || !p->adj || !p->twin || !p->flow) return false;
    m = 0;
    for (uint32_t i = 0; i < k; i++) { /* rows stay sorted: local ids follow the state order */
        p->first[i] = (uint32_t)m;
        for (uint32_t j = s->first[nodes[i]]; j < s->first[nodes[i] + 1]; j++)
            if (in->mark[s->adj[j]] == in->stamp) p->adj[m++] = in->local[s->adj[j]];
    }
    p->first[k] = (uint32_t)m;
    for (uint32_t u = 0; u < k; u++)
        for (uint32_t i = p->first[u]; i < p->first[u + 1]; i++) {
            uint32_t v = p->adj[i], lo = p->first[v], hi = p->first[v + 1];
            while (lo < hi) { /* u in v's sorted row */
                uint32_t mid = lo + (hi - lo) / 2;
                if (p->adj[mid] < u)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            p->twin[i] = lo;
        }
    return true;
}

/* BFS in the residual graph from every source; returns a sink reached, or COR_NONE. With
 * stop_at_sink false it only marks what the sources reach (the cut's source side). */
static uint32_t residual_bfs(inertial *in, const part_graph *p, bool stop_at_sink)
{
    uint32_t head = 0, tail = 0;
    if (++in->seen_stamp == 0) {
        memset(in->seen, 0, (size_t)in->s->n * sizeof *in->seen);
        in->seen_stamp = 1;
    }
    for (uint32_t u = 0; u < p->k; u++)
        if (in->role[u] == 1) {
            in->seen[u] = in->seen_stamp;
            in->pred[u] = COR_NONE;
            in->queue[tail++] = u;
        }
    while (head < tail) {
        uint32_t u = in->queue[head++];
        for (uint32_t i = p->first[u]; i < p->first[u + 1]; i++) {
            uint32_t v = p->adj[i];
            if (p->flow[i] >= 1 || in->seen[v] == in->seen_stamp) continue;
            in->seen[v] = in->seen_stamp;
            in->pred[v] = i;
            if (stop_at_sink && in->role[v] == 2) return v;
            in->queue[tail++] = v;
        }
    }
    return COR_NONE;
}

/* Pushes one unit along the BFS tree from a source to sink t. */
static void augment(inertial *in, part_graph *p, uint32_t t)
{
    for (uint32_t v = t; in->pred[v] != COR_NONE;) {
        uint32_t i = in->pred[v];
        p->flow[i]++;
        p->flow[p->twin[i]]--;
        v = p->adj[p->twin[i]];
    }
}

typedef struct keyed {
    double key;
    uint32_t id;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    double x = ((const keyed *)a)->key, y = ((const keyed *)b)->key;
    return (x > y) - (x < y);
}

/* Sources and sinks of one direction: the quarter of the part with the lowest and the
 * quarter with the highest projection on (cos a, sin a). */
static void set_roles(inertial *in, const uint32_t *nodes, uint32_t k, double angle)
{
    double cx = cos(angle), cy = sin(angle);
    for (uint32_t i = 0; i < k; i++) {
        in->byk[i] = (keyed){cx * in->x[nodes[i]] + cy * in->y[nodes[i]], i};
        in->role[i] = 0;
    }
    qsort(in->byk, k, sizeof *in->byk, cmp_keyed);
    uint32_t q = k / 4 ? k / 4 : 1;
    for (uint32_t i = 0; i < q; i++) {
        in->role[in->byk[i].id] = 1;
        in->role[in->byk[k - 1 - i].id] = 2;
    }
}

/* Max flow from sources to sinks, then the side with fewer cut endpoints as separator:
 * cls[u] = 0 (source side), 1 (sink side), 2 (separator). Returns the separator's size. */
static uint32_t cut_one_direction(inertial *in, part_graph *p, uint8_t *cls)
{
    memset(p->flow, 0, p->first[p->k]);
    uint32_t t;
    while ((t = residual_bfs(in, p, true)) != COR_NONE)
        augment(in, p, t);
    residual_bfs(in, p, false);
    uint32_t n_src = 0, n_snk = 0;
    for (uint32_t u = 0; u < p->k; u++)
        cls[u] = in->seen[u] == in->seen_stamp ? 0 : 1;
    /* 3: a source-side cut endpoint, 4: a sink-side one (counted once each). */
    for (uint32_t u = 0; u < p->k; u++) {
        if (cls[u] == 1 || cls[u] == 4) continue;
        for (uint32_t i = p->first[u]; i < p->first[u + 1]; i++) {
            uint32_t v = p->adj[i];
            if (cls[v] != 1 && cls[v] != 4) continue;
            if (cls[u] == 0) cls[u] = 3, n_src++;
            if (cls[v] == 1) cls[v] = 4, n_snk++;
        }
    }
    uint8_t sep = n_src <= n_snk ? 3 : 4;
    for (uint32_t u = 0; u < p->k; u++)
        cls[u] = cls[u] == sep ? 2 : cls[u] == 3 ? 0 : cls[u] == 4 ? 1 : cls[u];
    return n_src <= n_snk ? n_src : n_snk;
}

/* The best of four directions into cls (the smallest separator). */
static bool best_cut(inertial *in, const uint32_t *nodes, part_graph *p, uint8_t *cls)
{
    uint8_t *trial = malloc((size_t)p->k + 1);
    if (!trial) return false;
    uint32_t best = UINT32_MAX;
    for (int d = 0; d < 4; d++) {
        set_roles(in, nodes, p->k, d * M_PI / 4);
        uint32_t size = cut_one_direction(in, p, trial);
        if (size < best) {
            best = size;
            memcpy(cls, trial, p->k);
        }
    }
    free(trial);
    return true;
}

/* Orders the part nodes[0..k) from rank next_rank down: its separator on top, then each
 * side recursively. The nodes are permuted in place (sides, then separator). */
static bool dissect(inertial *in, uint32_t *nodes, uint32_t k)
{
    if (k <= 2) {
        for (uint32_t i = 0; i < k; i++)
            in->rank[nodes[i]] = --in->next_rank;
        return true;
    }
    part_graph p = {0};
    uint8_t *cls = malloc(k);
    uint32_t *tmp = malloc((size_t)k * sizeof *tmp);
    bool ok = cls && tmp && part_build(in, nodes, k, &p) && best_cut(in, nodes, &p, cls);
    part_free(&p);
    if (!ok) goto done;
    uint32_t na = 0, nb = 0, w = 0;
    for (uint32_t i = 0; i < k; i++)
        na += cls[i] == 0, nb += cls[i] == 1;
    for (int c = 0; c < 3; c++)
        for (uint32_t i = 0; i < k; i++)
            if (cls[i] == c) tmp[w++] = nodes[i];
    memcpy(nodes, tmp, (size_t)k * sizeof *tmp);
    for (uint32_t i = na + nb; i < k; i++)
        in->rank[nodes[i]] = --in->next_rank;
    free(cls);
    free(tmp);
    cls = NULL, tmp = NULL;
    ok = dissect(in, nodes, na) && dissect(in, nodes + na, nb);
done:
    free(cls);
    free(tmp);
    return ok;
}

static bool positions(const cor_graph *g, double *x, double *y)
{
    const cor_network *net = g->net;
    double lat0 = 0;
    for (uint32_t v = 0; v < g->n_nodes; v++) {
        const cor_node *nd = cor_net_node(net, v);
        if (isnan(nd->lon) || isnan(nd->lat)) return false;
        lat0 += nd->lat / g->n_nodes;
    }
    double c = cos(lat0 * M_PI / 180);
    for (uint32_t s = 0; s < g->n_states; s++) {
        const cor_node *nd = cor_net_node(net, cor_g_node(g, s));
        x[s] = nd->lon * c;
        y[s] = nd->lat;
    }
    return true;
}

cor_status cch_order_inertial(const cor_graph *g, uint32_t *rank, cor_error *err)
{
    cch_skeleton s = {0};
    inertial in = {0};
    cor_status st = COR_OK;
    size_t n = (size_t)g->n_states + 1;
    uint32_t *nodes = malloc(n * sizeof *nodes);
    in.x = malloc(n * sizeof *in.x);
    in.y = malloc(n * sizeof *in.y);
    if (!nodes || !in.x || !in.y) goto nomem;
    if (!positions(g, in.x, in.y)) {
        st = cor_error_add(err, COR_ERR_INPUT, g->net->file, -1, -1, "lon",
                           "the inertial-flow order needs a position for every node");
        goto done;
    }
    in.s = &s;
    in.rank = rank;
    in.next_rank = g->n_states;
    in.local = malloc(n * sizeof *in.local);
    in.mark = calloc(n, sizeof *in.mark);
    in.queue = malloc(n * sizeof *in.queue);
    in.pred = malloc(n * sizeof *in.pred);
    in.role = malloc(n);
    in.seen = calloc(n, sizeof *in.seen);
    in.byk = malloc(n * sizeof *in.byk);
    if (!in.local || !in.mark || !in.queue || !in.pred || !in.role || !in.seen || !in.byk ||
        !cch_skeleton_build(&s, g))
        goto nomem;
    for (uint32_t v = 0; v < g->n_states; v++)
        nodes[v] = v;
    if (!dissect(&in, nodes, g->n_states)) goto nomem;
    goto done;
nomem:
    st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory ordering the index");
done:
    free(nodes);
    free(in.x);
    free(in.y);
    free(in.local);
    free(in.mark);
    free(in.queue);
    free(in.pred);
    free(in.role);
    free(in.seen);
    free(in.byk);
    cch_skeleton_clear(&s);
    return st;
}
