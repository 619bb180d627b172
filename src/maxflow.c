/*
 * maxflow.c — how much the network can carry per year between two sets of nodes, and the
 * minimum cut that bounds it.
 *
 * The flow network is built from the network for each question: a super source feeding
 * every source node, a super sink fed by every sink node, one arc per link direction, and
 * — where a node has a handling capacity — the node split into in and out halves joined
 * by an arc of that capacity, so terminals and ports limit the flow like links do.
 * Unknown capacities mean "no limit". Before any flow is pushed, a search over the
 * unlimited arcs alone tells whether the answer is infinite (and which path makes it
 * so); otherwise every path has a finite arc and the maximum flow is finite.
 *
 * Shortest augmenting paths with distance labels (ISAP): exact distances to the sink by a
 * backward BFS, then an iterative depth-first search with current-arc pointers (no
 * recursion: road graphs have paths of thousands of arcs) that relabels where it is stuck,
 * with the gap heuristic and a fresh BFS after every |V| relabels. The arcs are CSR
 * arrays with each arc's reverse beside it by index. A last BFS from the source over the
 * residual arcs gives the source side of a minimum cut.
 */
#include "graph_internal.h"
#include "network_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { OWN_LINK_FWD, OWN_LINK_BWD, OWN_NODE, OWN_SOURCE, OWN_SINK };

typedef struct edge {
    uint32_t tail, head;
    double cap; /* INFINITY = no limit */
    uint32_t owner;
    uint8_t kind;
} edge;

typedef struct flownet {
    const cor_network *net;
    uint32_t n_vertices, source, sink;
    uint32_t *out_of; /* node -> its out vertex (== node when not split) */
    edge *edges;
    size_t n_edges, cap_edges;
    /* residual CSR: arc 2 per edge */
    uint32_t *first, *to, *rev, *edge_of;
    double *res;
    double big; /* stands for "no limit" in the residual graph */
    int32_t *level;
    uint32_t *it, *queue, *path;
} flownet;

static bool add_edge(flownet *f, uint32_t tail, uint32_t head, double cap, uint8_t kind,
                     uint32_t owner) {
    if (!(cap > 0)) return true; /* no arc: zero, negative or NaN-as-none handled by caller */
    if (f->n_edges == f->cap_edges) {
        size_t cap2 = f->cap_edges ? 2 * f->cap_edges : 1024;
        edge *e = realloc(f->edges, cap2 * sizeof *e);
        if (!e) return false;
        f->edges = e;
        f->cap_edges = cap2;
    }
    f->edges[f->n_edges++] = (edge){tail, head, cap, owner, kind};
    return true;
}

/* The capacities of a link's two directions (0: no arc; INFINITY: no limit). */
static void link_capacities(const cor_network *net, const cor_flow_spec *spec, const cor_link *l,
                            double *fwd, double *bwd) {
    if (net->format == COR_FORMAT_PGROUTING && !spec->capacity_from_cost) {
        *fwd = l->capacity > 0 ? l->capacity : 0; /* pgr_maxFlow: positive = an arc */
        *bwd = l->reverse_capacity > 0 ? l->reverse_capacity : 0;
        return;
    }
    double c = spec->capacity_from_cost ? l->cost : l->capacity;
    double rc = spec->capacity_from_cost ? l->reverse_cost : l->reverse_capacity;
    if (isnan(c)) c = INFINITY;
    if (isnan(rc)) rc = c;
    *fwd = l->forward ? c : 0;
    *bwd = l->backward ? rc : 0;
}

static bool build_edges(flownet *f, const cor_flow_spec *spec, const cor_filter *filter) {
    const cor_network *net = f->net;
    uint32_t n = (uint32_t)net->n_nodes, extra = 0;
    f->out_of = malloc((n + 1) * sizeof *f->out_of);
    if (!f->out_of) return false;
    for (uint32_t v = 0; v < n; v++) {
        bool split = spec->node_capacities && cor_net_node(net, v)->capacity >= 0;
        f->out_of[v] = split ? n + extra++ : v;
    }
    f->n_vertices = n + extra + 2;
    f->source = n + extra;
    f->sink = n + extra + 1;
    for (uint32_t v = 0; v < n; v++)
        if (f->out_of[v] != v &&
            !add_edge(f, v, f->out_of[v], cor_net_node(net, v)->capacity, OWN_NODE, v))
            return false;
    for (uint32_t i = 0; i < net->n_links; i++) {
        if (!cor_filter_link(filter, i)) continue;
        const cor_link *l = cor_net_link(net, i);
        double fwd, bwd;
        link_capacities(net, spec, l, &fwd, &bwd);
        if (!add_edge(f, f->out_of[l->from], l->to, fwd, OWN_LINK_FWD, i) ||
            !add_edge(f, f->out_of[l->to], l->from, bwd, OWN_LINK_BWD, i))
            return false;
    }
    for (size_t k = 0; k < spec->n_sources; k++)
        if (!add_edge(f, f->source, spec->sources[k], INFINITY, OWN_SOURCE, spec->sources[k]))
            return false;
    for (size_t k = 0; k < spec->n_sinks; k++)
        if (!add_edge(f, f->out_of[spec->sinks[k]], f->sink, INFINITY, OWN_SINK, spec->sinks[k]))
            return false;
    return true;
}

/* Residual CSR: edge e becomes arcs a (forward, residual = cap) and rev[a] (backward, 0). */
static bool build_residual(flownet *f) {
    uint32_t nv = f->n_vertices;
    size_t na = 2 * f->n_edges;
    f->first = calloc((size_t)nv + 1, sizeof *f->first);
    f->to = malloc((na + 1) * sizeof *f->to);
    f->rev = malloc((na + 1) * sizeof *f->rev);
    f->edge_of = malloc((na + 1) * sizeof *f->edge_of);
    f->res = malloc((na + 1) * sizeof *f->res);
    f->level = malloc(((size_t)nv + 1) * sizeof *f->level);
    f->it = malloc(((size_t)nv + 1) * sizeof *f->it);
    f->queue = malloc(((size_t)nv + 1) * sizeof *f->queue);
    f->path = malloc(((size_t)nv + 1) * sizeof *f->path);
    uint32_t *next = malloc(((size_t)nv + 1) * sizeof *next);
    if (!f->first || !f->to || !f->rev || !f->edge_of || !f->res || !f->level || !f->it ||
        !f->queue || !f->path || !next) {
        free(next);
        return false;
    }
    double finite = 0;
    for (size_t e = 0; e < f->n_edges; e++) {
        f->first[f->edges[e].tail + 1]++;
        f->first[f->edges[e].head + 1]++;
        if (isfinite(f->edges[e].cap)) finite += f->edges[e].cap;
    }
    f->big = 2 * finite + 1;
    for (uint32_t v = 0; v < nv; v++)
        f->first[v + 1] += f->first[v];
    memcpy(next, f->first, (size_t)nv * sizeof *next);
    for (size_t e = 0; e < f->n_edges; e++) {
        const edge *ed = &f->edges[e];
        uint32_t a = next[ed->tail]++, b = next[ed->head]++;
        f->to[a] = ed->head;
        f->to[b] = ed->tail;
        f->rev[a] = b;
        f->rev[b] = a;
        f->edge_of[a] = (uint32_t)e;
        f->edge_of[b] = UINT32_MAX; /* a reverse arc */
        f->res[a] = isfinite(ed->cap) ? ed->cap : f->big;
        f->res[b] = 0;
    }
    free(next);
    return true;
}

/* ---------------------------------------------------------------- augmenting paths */

/* BFS levels from the source over arcs with residual capacity; true when the sink is
 * reached. With `unlimited_only`, only arcs that had no capacity figure are followed. */
static bool bfs(flownet *f, bool unlimited_only) {
    for (uint32_t v = 0; v < f->n_vertices; v++)
        f->level[v] = -1;
    size_t head = 0, tail = 0;
    f->level[f->source] = 0;
    f->queue[tail++] = f->source;
    while (head < tail) {
        uint32_t u = f->queue[head++];
        for (uint32_t a = f->first[u]; a < f->first[u + 1]; a++) {
            uint32_t v = f->to[a];
            if (f->level[v] >= 0 || f->res[a] <= 0) continue;
            if (unlimited_only &&
                (f->edge_of[a] == UINT32_MAX || isfinite(f->edges[f->edge_of[a]].cap)))
                continue;
            f->level[v] = f->level[u] + 1;
            f->queue[tail++] = v;
        }
    }
    return f->level[f->sink] >= 0;
}

/* Exact distances to the sink in the residual graph, by a BFS backwards from it; vertices
 * that cannot reach it get n_vertices. count[d]: how many vertices are at distance d. */
static void label_from_sink(flownet *f, uint32_t *count) {
    int32_t n = (int32_t)f->n_vertices;
    for (uint32_t v = 0; v < f->n_vertices; v++)
        f->level[v] = n;
    memset(count, 0, ((size_t)n + 1) * sizeof *count);
    size_t head = 0, tail = 0;
    f->level[f->sink] = 0;
    f->queue[tail++] = f->sink;
    while (head < tail) {
        uint32_t v = f->queue[head++];
        count[f->level[v]]++;
        for (uint32_t a = f->first[v]; a < f->first[v + 1]; a++) {
            uint32_t u = f->to[a]; /* arc rev[a] runs u -> v */
            if (f->level[u] < n || f->res[f->rev[a]] <= 0) continue;
            f->level[u] = f->level[v] + 1;
            f->queue[tail++] = u;
        }
    }
    memcpy(f->it, f->first, (size_t)f->n_vertices * sizeof *f->it);
}

/* u has no admissible arc left: its label becomes one more than its lowest residual
 * neighbour's. When u was the last vertex at its old distance (a gap), no vertex above
 * that distance can reach the sink any more: they all go to n_vertices. */
static void relabel(flownet *f, uint32_t u, uint32_t *count) {
    int32_t n = (int32_t)f->n_vertices, old = f->level[u], low = n - 1;
    for (uint32_t a = f->first[u]; a < f->first[u + 1]; a++)
        if (f->res[a] > 0 && f->level[f->to[a]] < low) low = f->level[f->to[a]];
    f->it[u] = f->first[u];
    if (--count[old] == 0) {
        for (uint32_t v = 0; v < f->n_vertices; v++)
            if (f->level[v] > old && f->level[v] < n) count[f->level[v]]--, f->level[v] = n;
        f->level[u] = n;
    } else {
        f->level[u] = low + 1;
        if (low + 1 < n) count[low + 1]++;
    }
}

/* Shortest augmenting paths with distance labels (ISAP): a DFS from the source along arcs
 * one step nearer the sink, augmenting when it gets there and relabelling where it is
 * stuck, so labels grow where the flow needs them to instead of a BFS over the whole
 * graph per phase (road graphs need about one phase per augmenting path). The labels are
 * recomputed exactly after every n_vertices relabels. Ends when the source is cut off. */
static double augment_all(flownet *f, uint32_t *count) {
    int32_t n = (int32_t)f->n_vertices;
    uint32_t depth = 0, u = f->source, since = 0;
    double total = 0;
    label_from_sink(f, count);
    while (f->level[f->source] < n) {
        if (u == f->sink) {
            double b = INFINITY;
            for (uint32_t i = 0; i < depth; i++)
                if (f->res[f->path[i]] < b) b = f->res[f->path[i]];
            uint32_t cut_at = depth;
            for (uint32_t i = 0; i < depth; i++) {
                uint32_t a = f->path[i];
                f->res[a] -= b;
                f->res[f->rev[a]] += b;
                if (f->res[a] <= 0 && cut_at == depth) cut_at = i;
            }
            total += b;
            depth = cut_at; /* back to the tail of the first saturated arc */
            u = depth ? f->to[f->path[depth - 1]] : f->source;
            continue;
        }
        uint32_t end = f->first[u + 1], a = f->it[u];
        int32_t want = f->level[u] - 1;
        while (a < end && !(f->res[a] > 0 && f->level[f->to[a]] == want))
            a++;
        f->it[u] = a;
        if (a < end) {
            f->path[depth++] = a;
            u = f->to[a];
            continue;
        }
        relabel(f, u, count);
        if (++since >= f->n_vertices) {
            label_from_sink(f, count);
            since = depth = 0;
            u = f->source;
        } else if (depth > 0) {
            u = f->to[f->rev[f->path[--depth]]];
        }
    }
    return total;
}

/* ---------------------------------------------------------------- results */

static uint32_t node_of_vertex(const flownet *f, uint32_t v) {
    uint32_t n = (uint32_t)f->net->n_nodes;
    if (v < n) return v;
    for (uint32_t k = 0; k < n; k++) /* a split node's out half: rare, small */
        if (f->out_of[k] == v) return k;
    return COR_NONE;
}

/* The path of unlimited arcs the last bfs(f, true) found, as network nodes. */
static bool open_path(const flownet *f, cor_flow_result *out) {
    /* Walk back from the sink choosing any predecessor one level lower. */
    uint32_t *nodes = malloc(((size_t)f->level[f->sink] + 2) * sizeof *nodes);
    if (!nodes) return false;
    size_t n = 0;
    uint32_t v = f->sink;
    while (v != f->source) {
        uint32_t prev = COR_NONE;
        for (uint32_t a = f->first[v]; a < f->first[v + 1] && prev == COR_NONE; a++) {
            uint32_t b = f->rev[a], u = f->to[a]; /* arc b runs u -> v */
            if (f->edge_of[b] != UINT32_MAX && !isfinite(f->edges[f->edge_of[b]].cap) &&
                f->level[u] == f->level[v] - 1)
                prev = u;
        }
        if (prev == COR_NONE) break;
        uint32_t node = node_of_vertex(f, prev);
        if (prev != f->source && node != COR_NONE && (n == 0 || nodes[n - 1] != node))
            nodes[n++] = node;
        v = prev;
    }
    for (size_t i = 0; i < n / 2; i++) { /* sink-first → source-first */
        uint32_t t = nodes[i];
        nodes[i] = nodes[n - 1 - i];
        nodes[n - 1 - i] = t;
    }
    out->open_path = nodes;
    out->n_open_path = n;
    return true;
}

static bool collect(const flownet *f, cor_flow_result *out) {
    const cor_network *net = f->net;
    out->link_flow = calloc(net->n_links + 1, sizeof *out->link_flow);
    out->node_flow = calloc(net->n_nodes + 1, sizeof *out->node_flow);
    size_t n_cut = 0;
    for (size_t e = 0; e < f->n_edges; e++)
        n_cut += f->level[f->edges[e].tail] >= 0 && f->level[f->edges[e].head] < 0;
    out->cut = calloc(n_cut + 1, sizeof *out->cut);
    if (!out->link_flow || !out->node_flow || !out->cut) return false;
    for (uint32_t a = 0; a < f->first[f->n_vertices]; a++) {
        if (f->edge_of[a] == UINT32_MAX) continue;
        const edge *e = &f->edges[f->edge_of[a]];
        double flow = f->res[f->rev[a]]; /* what went through = the reverse residual */
        if (e->kind == OWN_LINK_FWD)
            out->link_flow[e->owner] += flow;
        else if (e->kind == OWN_LINK_BWD)
            out->link_flow[e->owner] -= flow;
        if (e->kind == OWN_NODE)
            out->node_flow[e->owner] = flow;
        else if (e->kind != OWN_SINK && f->out_of[node_of_vertex(f, e->head)] == e->head)
            out->node_flow[node_of_vertex(f, e->head)] += flow; /* unsplit: sum of inflows */
        if (f->level[e->tail] >= 0 && f->level[e->head] < 0)
            out->cut[out->n_cut++] =
                (cor_cut_item){e->kind == OWN_NODE, e->owner, e->kind == OWN_LINK_BWD, e->cap};
    }
    return true;
}

static void flownet_free(flownet *f) {
    free(f->out_of);
    free(f->edges);
    free(f->first);
    free(f->to);
    free(f->rev);
    free(f->edge_of);
    free(f->res);
    free(f->level);
    free(f->it);
    free(f->queue);
    free(f->path);
}

static cor_status check_ends(const cor_network *net, const cor_flow_spec *spec, cor_error *err) {
    if (!spec->n_sources || !spec->n_sinks)
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, spec->n_sources ? "to" : "from",
                             "a flow needs at least one source and one sink");
    for (size_t i = 0; i < spec->n_sources; i++) {
        if (spec->sources[i] >= net->n_nodes)
            return cor_error_add(err, COR_ERR_NOT_FOUND, NULL, -1, -1, "from",
                                 "node index out of range");
        for (size_t j = 0; j < spec->n_sinks; j++)
            if (spec->sinks[j] >= net->n_nodes)
                return cor_error_add(err, COR_ERR_NOT_FOUND, NULL, -1, -1, "to",
                                     "node index out of range");
            else if (spec->sources[i] == spec->sinks[j])
                return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "to",
                                     "'%s' is both a source and a sink",
                                     cor_net_node(net, spec->sources[i])->id);
    }
    return COR_OK;
}

cor_status cor_maxflow(const cor_network *net, const cor_flow_spec *spec, cor_flow_result *out,
                       cor_error *err) {
    memset(out, 0, sizeof *out);
    cor_status st = spec->profile ? cor_scenario_resolve(spec->profile->scenario, &net, err) : COR_OK;
    if (st == COR_OK) st = check_ends(net, spec, err); /* capacities scaled by a scenario */
    if (st != COR_OK) return st;
    cor_profile fallback;
    cor_profile_init(&fallback);
    cor_filter filter;
    if ((st = cor_filter_init(&filter, net, spec->profile ? spec->profile : &fallback, err)) !=
        COR_OK)
        return st;
    flownet f = {.net = net};
    bool ok = build_edges(&f, spec, &filter) && build_residual(&f);
    cor_filter_clear(&filter);
    if (ok && bfs(&f, true)) { /* a path with no limit anywhere */
        out->value = INFINITY;
        ok = open_path(&f, out);
    } else if (ok) {
        uint32_t *count = malloc(((size_t)f.n_vertices + 1) * sizeof *count);
        if ((ok = count != NULL)) {
            out->value = augment_all(&f, count);
            bfs(&f, false); /* the source side of a minimum cut */
            ok = collect(&f, out);
        }
        free(count);
    }
    flownet_free(&f);
    if (!ok) {
        cor_flow_result_clear(out);
        return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    }
    return COR_OK;
}

void cor_flow_result_clear(cor_flow_result *r) {
    free(r->link_flow);
    free(r->node_flow);
    free(r->cut);
    free(r->open_path);
    memset(r, 0, sizeof *r);
}
