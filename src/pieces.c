/*
 * pieces.c — why a route query has no answer: are the two places in different connected
 * pieces of the compiled graph?
 *
 * The idea: a breadth-first search over the graph's states taking every arc both ways
 * (weak connectivity), from each place in turn, counting distinct nodes. It runs only
 * after a search failed, so the common case pays nothing; its cost is the size of the
 * pieces it walks, O(|V| + |E|) at worst, with one byte a state of memory. The trade-off:
 * nothing is precomputed, so two failures in a row walk twice — cheap beside the search
 * that failed, which already touched as much.
 */
#include "graph_internal.h"

#include <stdlib.h>

typedef struct walk {
    const cor_graph *g;
    uint8_t *seen_state; /* 1: reached from a, 2: reached from b */
    uint8_t *seen_node;
    uint32_t *queue;
} walk;

static void visit(walk *w, uint32_t s, uint8_t mark, size_t *tail, size_t *nodes) {
    if (w->seen_state[s]) return;
    w->seen_state[s] = mark;
    w->queue[(*tail)++] = s;
    uint32_t v = cor_g_node(w->g, s);
    if (w->seen_node[v] != mark) {
        w->seen_node[v] = mark;
        (*nodes)++;
    }
}

/* Nodes in the piece of `node` (0 when it has no arc); marks them with `mark`. */
static size_t piece_size(walk *w, uint32_t node, uint8_t mark) {
    const cor_graph *g = w->g;
    size_t head = 0, tail = 0, nodes = 0;
    bool any = false;
    for (uint32_t s = cor_g_first_state(g, node); s < cor_g_first_state(g, node + 1); s++) {
        any = any || g->first_out[s + 1] > g->first_out[s] || g->first_in[s + 1] > g->first_in[s];
        visit(w, s, mark, &tail, &nodes);
    }
    if (!any) return 0;
    while (head < tail) {
        uint32_t s = w->queue[head++];
        for (uint32_t a = g->first_out[s]; a < g->first_out[s + 1]; a++)
            visit(w, g->head[a], mark, &tail, &nodes);
        for (uint32_t a = g->first_in[s]; a < g->first_in[s + 1]; a++)
            visit(w, g->in_tail[a], mark, &tail, &nodes);
    }
    return nodes;
}

cor_status cor_graph_pieces(const cor_graph *g, uint32_t a, uint32_t b, bool *same, size_t *nodes_a,
                            size_t *nodes_b, cor_error *err) {
    if (a >= g->n_nodes || b >= g->n_nodes)
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, NULL, "node index out of range");
    walk w = {g, calloc((size_t)g->n_states + 1, 1), calloc((size_t)g->n_nodes + 1, 1),
              malloc(((size_t)g->n_states + 1) * sizeof(uint32_t))};
    cor_status st = COR_OK;
    if (!w.seen_state || !w.seen_node || !w.queue) {
        st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
        goto done;
    }
    *nodes_a = piece_size(&w, a, 1);
    *same = *nodes_a > 0 && w.seen_node[b] == 1;
    *nodes_b = *same ? *nodes_a : piece_size(&w, b, 2);
done:
    free(w.seen_state);
    free(w.seen_node);
    free(w.queue);
    return st;
}
