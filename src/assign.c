/*
 * assign.c — an origin–destination demand assigned onto the network's capacities.
 *
 * Method `lp`: the exact system optimum, a min-cost multi-commodity flow solved with GLPK's
 * simplex. It works on the compiled graph, so transfers between modes, gauge changes,
 * waits and dwells cost what they cost in routing. One commodity per O-D pair:
 *   minimise   Σ_k Σ_a c_a x_ka + M Σ_k u_k
 *   subject to flow conservation of every commodity at every state, except that the
 *              origin's states together send q_k − u_k and the destination's states
 *              together receive it; Σ_k x_ka ≤ capacity of a's link in a's direction;
 *              x, u ≥ 0,
 * where u_k is demand left unserved and M exceeds the cost of any simple route, so demand
 * goes unserved only when capacity runs out. Sizes grow as pairs × arcs: this is for
 * corridor-sized networks; Frank–Wolfe is the method for large ones.
 *
 * Method `frank-wolfe`: user equilibrium (Wardrop) with BPR volume-delay functions
 * t(v) = t0 (1 + α (v / capacity)^β) on links with a capacity (others keep t0). Each
 * iteration loads all demand on the current shortest paths (all-or-nothing, with one
 * one-to-many search per origin, reusing the routing engine), finds the step by bisection
 * on the derivative of Beckmann's objective, and records the relative gap
 * (Σ t·v − Σ t·y) / Σ t·v. Demand with no route at all is reported unserved.
 *
 * The library never prints: GLPK's terminal output is switched off around the solve.
 */
#include "graph_internal.h"
#include "network_internal.h"
#include "route_internal.h"

#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- demand files */

static char *trim(char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* Splits a line on commas into at most `max` fields; returns how many there were. */
static int split_fields(char *line, char **fields, int max) {
    int n = 0;
    for (char *p = line;;) {
        char *comma = strchr(p, ',');
        if (comma) *comma = '\0';
        if (n < max) fields[n] = trim(p);
        n++;
        if (!comma) break;
        p = comma + 1;
    }
    return n;
}

static bool read_demand_line(char *line, long no, const char *path, const cor_network *net,
                             cor_demand *d, cor_error *err) {
    char *f[3];
    int n = split_fields(line, f, 3);
    if (n != 3)
        return cor_error_add(err, COR_ERR_INPUT, path, no, -1, NULL,
                             "expected 3 fields 'from,to,quantity', found %d", n),
               false;
    d->from = cor_network_find_node(net, f[0]);
    d->to = cor_network_find_node(net, f[1]);
    bool ok = true;
    if (d->from == COR_NONE)
        ok = (cor_error_add(err, COR_ERR_INPUT, path, no, -1, "from", "no node has the id '%s'",
                            f[0]),
              false);
    if (d->to == COR_NONE)
        ok =
            (cor_error_add(err, COR_ERR_INPUT, path, no, -1, "to", "no node has the id '%s'", f[1]),
             false);
    if (!cor_parse_double(f[2], &d->quantity))
        ok = (cor_error_add(err, COR_ERR_INPUT, path, no, -1, "quantity", "'%s' is not a number",
                            f[2]),
              false);
    else if (d->quantity < 0)
        ok = (cor_error_add(err, COR_ERR_INPUT, path, no, -1, "quantity",
                            "must not be negative, got %g", d->quantity),
              false);
    if (ok && d->from == d->to)
        ok = (cor_error_add(err, COR_ERR_INPUT, path, no, -1, "to",
                            "origin and destination are the same node"),
              false);
    return ok;
}

cor_status cor_demand_load(const char *path, const cor_network *net, cor_demand **out,
                           size_t *n_out, cor_error *err) {
    return cor_demand_load_with(path, net, NULL, out, n_out, err);
}

/* The file is read whole within the limits (plain or gzip: docs/LIMITS.md), then split
 * into lines in place. */
cor_status cor_demand_load_with(const char *path, const cor_network *net,
                                const cor_load_options *opt, cor_demand **out, size_t *n_out,
                                cor_error *err) {
    *out = NULL;
    *n_out = 0;
    char *text;
    size_t text_len;
    cor_status st = cor_file_read(path, opt, &text, &text_len, err);
    if (st != COR_OK) return st;
    size_t before = err ? err->count + err->dropped : 0, n = 0, cap = 0;
    cor_demand *list = NULL;
    long no = 0;
    bool header_seen = false, oom = false;
    for (char *line = text, *end = text + text_len; line < end && !oom;) {
        char *eol = memchr(line, '\n', (size_t)(end - line)), *next = eol ? eol + 1 : end;
        if (eol) *eol = '\0';
        no++;
        bool nul = strlen(line) != (size_t)((eol ? eol : end) - line);
        char *t = trim(line);
        line = next;
        if (nul) {
            cor_error_add(err, COR_ERR_INPUT, path, no, -1, NULL,
                          "holds a NUL byte: not a CSV file");
            continue;
        }
        if (!*t || *t == '#') continue;
        if (!header_seen) {
            header_seen = true;
            if (strncmp(t, "from", 4) == 0) continue; /* the header: from,to,quantity */
        }
        cor_demand d;
        if (!read_demand_line(t, no, path, net, &d, err)) continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            cor_demand *grown = realloc(list, cap * sizeof *grown);
            if (!grown) {
                oom = true;
                break;
            }
            list = grown;
        }
        list[n++] = d;
    }
    free(text);
    if (oom)
        cor_error_add(err, COR_ERR_NOMEM, path, -1, -1, NULL, "out of memory");
    else if (n == 0 && (!err || err->count + err->dropped == before))
        cor_error_add(err, COR_ERR_INPUT, path, -1, -1, NULL, "no demand in the file");
    if (!err || err->count + err->dropped > before || oom) {
        free(list);
        return oom ? COR_ERR_NOMEM : COR_ERR_INPUT;
    }
    *out = list;
    *n_out = n;
    return COR_OK;
}

/* ---------------------------------------------------------------- results */

static bool result_alloc(const cor_network *net, size_t n_demand, cor_assign_result *out) {
    memset(out, 0, sizeof *out);
    out->link_volume = calloc(net->n_links + 1, sizeof *out->link_volume);
    out->link_volume_back = calloc(net->n_links + 1, sizeof *out->link_volume_back);
    out->unserved = calloc(n_demand + 1, sizeof *out->unserved);
    return out->link_volume && out->link_volume_back && out->unserved;
}

/* Per-link volumes and totals of hours, USD and CO2 from the volume on every arc. */
static void result_from_arcs(const cor_graph *g, const double *arc_volume, cor_assign_result *out) {
    const cor_network *net = g->net;
    out->hours = out->usd = out->co2_kg = out->cost = 0;
    for (uint32_t s = 0; s < g->n_states; s++)
        for (uint32_t a = g->first_out[s]; a < g->first_out[s + 1]; a++) {
            double v = arc_volume[a];
            if (v <= 0) continue;
            cor_measures m;
            uint32_t code = g->arc_link[a];
            if (code == COR_ARC_TRANSFER) {
                cor_transfer_measures(cor_net_node(net, cor_g_node(g, s)),
                                      &g->classes[cor_g_class(g, s)],
                                      &g->classes[cor_g_class(g, g->head[a])], &m);
            } else {
                cor_link buf;
                cor_link_measures(net, cor_net_link_peek(net, code >> 1, &buf), code & 1, &m);
                if (code & 1)
                    out->link_volume_back[code >> 1] += v;
                else
                    out->link_volume[code >> 1] += v;
            }
            out->cost += v * cor_g_weight(g, a);
            out->hours += v * m.hours;
            out->usd += v * m.usd;
            out->co2_kg += v * m.co2_kg;
        }
}

void cor_assign_result_clear(cor_assign_result *r) {
    free(r->link_volume);
    free(r->link_volume_back);
    free(r->unserved);
    free(r->gaps);
    memset(r, 0, sizeof *r);
}

/* The capacity of an arc's link in the arc's direction; INFINITY when none is known. */
static double arc_capacity(const cor_graph *g, uint32_t a) {
    uint32_t code = g->arc_link[a];
    if (code == COR_ARC_TRANSFER) return INFINITY;
    cor_link buf; /* a peek: reading every arc's capacity fills no link records */
    const cor_link *l = cor_net_link_peek(g->net, code >> 1, &buf);
    double c = (code & 1) && !isnan(l->reverse_capacity) ? l->reverse_capacity : l->capacity;
    return isnan(c) ? INFINITY : c;
}

/* ---------------------------------------------------------------- the linear program */

typedef struct lp_build {
    const cor_graph *g;
    const cor_demand *d;
    size_t K, A;
    int *ia, *ja;
    double *ar;
    size_t nz;
} lp_build;

static void put(lp_build *b, int row, int col, double v) {
    b->nz++;
    b->ia[b->nz] = row;
    b->ja[b->nz] = col;
    b->ar[b->nz] = v;
}

/* Row of commodity k at state s: the origin's and destination's states share one row. */
static int state_row(const lp_build *b, const int *rows, size_t k, uint32_t s) {
    uint32_t node = cor_g_node(b->g, s);
    if (node == b->d[k].from) return rows[2 * k];
    if (node == b->d[k].to) return rows[2 * k + 1];
    return rows[2 * b->K] + (int)(k * b->g->n_states + s); /* see solve_lp */
}

/* The program of K commodities, every one with a positive quantity; row[k] is commodity k's
 * row in the caller's demand (where its unserved quantity goes). */
static cor_status solve_program(const cor_graph *g, const cor_demand *demand, size_t K,
                                const size_t *row, cor_assign_result *out, cor_error *err) {
    const size_t A = g->n_arcs, S = g->n_states;
    double M = 1;
    for (size_t a = 0; a < A; a++)
        M += 2 * cor_g_weight(g, (uint32_t)a);
    size_t n_cap = 0;
    for (size_t a = 0; a < A; a++)
        n_cap += isfinite(arc_capacity(g, (uint32_t)a));
    size_t max_nz = K * A * 3 + 2 * K + 1;
    lp_build b = {g,
                  demand,
                  K,
                  A,
                  malloc((max_nz + 1) * sizeof(int)),
                  malloc((max_nz + 1) * sizeof(int)),
                  malloc((max_nz + 1) * sizeof(double)),
                  0};
    int *rows = malloc((2 * K + 1) * sizeof *rows);
    double *arc_volume = calloc(A + 1, sizeof *arc_volume);
    cor_status st = COR_OK;
    glp_prob *lp = NULL;
    if (!b.ia || !b.ja || !b.ar || !rows || !arc_volume) {
        st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory building the LP");
        goto done;
    }
    glp_term_out(GLP_OFF);
    lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    /* rows: 2 per commodity (origin, destination), then one per (commodity, state) — the
     * ones at origin or destination states stay empty and free — then capacities. */
    int first = glp_add_rows(lp, (int)(2 * K + K * S + n_cap));
    for (size_t k = 0; k < K; k++) {
        rows[2 * k] = first + (int)(2 * k);
        rows[2 * k + 1] = first + (int)(2 * k + 1);
        glp_set_row_bnds(lp, rows[2 * k], GLP_FX, demand[k].quantity, demand[k].quantity);
        glp_set_row_bnds(lp, rows[2 * k + 1], GLP_FX, -demand[k].quantity, -demand[k].quantity);
    }
    rows[2 * K] = first + (int)(2 * K);
    for (size_t r = 0; r < K * S; r++)
        glp_set_row_bnds(lp, rows[2 * K] + (int)r, GLP_FX, 0, 0);
    int col0 = glp_add_cols(lp, (int)(K * A + K));
    for (size_t k = 0; k < K; k++) {
        for (size_t a = 0; a < A; a++) {
            int col = col0 + (int)(k * A + a);
            glp_set_col_bnds(lp, col, GLP_LO, 0, 0);
            glp_set_obj_coef(lp, col, cor_g_weight(g, (uint32_t)a));
        }
        int u = col0 + (int)(K * A + k);
        glp_set_col_bnds(lp, u, GLP_DB, 0, demand[k].quantity);
        glp_set_obj_coef(lp, u, M);
        put(&b, rows[2 * k], u, 1);      /* origin: out - in + u = q */
        put(&b, rows[2 * k + 1], u, -1); /* destination: out - in - u = -q */
    }
    for (uint32_t s = 0; s < S; s++)
        for (uint32_t a = g->first_out[s]; a < g->first_out[s + 1]; a++)
            for (size_t k = 0; k < K; k++) {
                int rt = state_row(&b, rows, k, s), rh = state_row(&b, rows, k, g->head[a]);
                if (rt == rh) continue; /* within the origin or destination: cancels */
                int col = col0 + (int)(k * A + a);
                put(&b, rt, col, 1);
                put(&b, rh, col, -1);
            }
    int cap_row = rows[2 * K] + (int)(K * S);
    for (size_t a = 0; a < A; a++) {
        double c = arc_capacity(g, (uint32_t)a);
        if (!isfinite(c)) continue;
        glp_set_row_bnds(lp, cap_row, GLP_UP, 0, c);
        for (size_t k = 0; k < K; k++)
            put(&b, cap_row, col0 + (int)(k * A + a), 1);
        cap_row++;
    }
    glp_load_matrix(lp, (int)b.nz, b.ia, b.ja, b.ar);
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_ON;
    int ret = glp_simplex(lp, &parm);
    if (ret != 0 || glp_get_status(lp) != GLP_OPT) {
        st = cor_error_add(err, COR_ERR_INPUT, NULL, -1, -1, NULL,
                           "the linear program has no optimal solution (GLPK code %d, status %d)",
                           ret, glp_get_status(lp));
        goto done;
    }
    for (size_t k = 0; k < K; k++) {
        for (size_t a = 0; a < A; a++)
            arc_volume[a] += glp_get_col_prim(lp, col0 + (int)(k * A + a));
        out->unserved[row[k]] = glp_get_col_prim(lp, col0 + (int)(K * A + k));
    }
    result_from_arcs(g, arc_volume, out);
    out->iterations = 1;
done:
    if (lp) glp_delete_prob(lp);
    glp_free_env();
    free(b.ia);
    free(b.ja);
    free(b.ar);
    free(rows);
    free(arc_volume);
    return st;
}

/* The LP over the rows that move something. A row of quantity 0 is served with no volume:
 * in the program its unserved column would be bounded to [0, 0], which GLPK's simplex
 * refuses for the whole program (GLP_EBOUND), so it stays out. */
static cor_status solve_lp(const cor_graph *g, const cor_demand *demand, size_t K,
                           cor_assign_result *out, cor_error *err) {
    cor_demand *moving = malloc((K + 1) * sizeof *moving);
    size_t *row = malloc((K + 1) * sizeof *row), n = 0;
    cor_status st = COR_OK;
    if (!moving || !row) {
        st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory building the LP");
        goto done;
    }
    for (size_t k = 0; k < K; k++)
        if (demand[k].quantity > 0) {
            moving[n] = demand[k];
            row[n++] = k;
        }
    if (n > 0)
        st = solve_program(g, moving, n, row, out, err);
    else
        out->iterations = 1; /* nothing to move: every total stays 0 */
done:
    free(moving);
    free(row);
    return st;
}

/* ---------------------------------------------------------------- Frank-Wolfe */

typedef struct fw {
    cor_graph *g; /* private to this assignment: its weights change every iteration */
    const cor_assign_spec *spec;
    cor_route_query *q;
    double *t0, *cap, *v, *y;
    uint32_t *to, *found;
    double alpha, beta;
    size_t done, total; /* origins searched, and at most (iterations + 1) x origins */
    bool stopped;       /* the progress callback said stop */
} fw;

/* One more origin searched: reports it, and learns whether to stop. */
static void report(fw *f)
{
    const cor_progress *p = f->spec->progress;
    f->done++;
    if (p && p->fn && !p->fn(p->ctx, f->done, f->total)) f->stopped = true;
}

static double bpr(const fw *f, uint32_t a, double v) {
    if (!isfinite(f->cap[a]) || f->cap[a] <= 0) return f->t0[a];
    return f->t0[a] * (1 + f->alpha * pow(v / f->cap[a], f->beta));
}

/* Demand k on the current shortest path into vol[], and unserved[k]: a point-to-point
 * search (through the index when the graph has one). */
static void load_pair(fw *f, size_t k, double *vol, double *unserved) {
    const cor_demand *d = f->spec->demand;
    uint32_t *arcs;
    size_t len;
    bool found = cor_query_route_arcs(f->q, d[k].from, d[k].to, &arcs, &len);
    unserved[k] = found ? 0 : d[k].quantity;
    for (size_t i = 0; i < len; i++)
        vol[arcs[i]] += d[k].quantity;
    free(arcs);
}

/* All demand on the current shortest paths into vol[]; unserved[] set for unreachable
 * pairs. Pairs are grouped by origin: without an index one search serves them all; with
 * one, a query per pair costs far less than one tree. Returns false when the progress
 * callback stopped it (vol[] is then incomplete). */
static bool all_or_nothing(fw *f, double *vol, double *unserved) {
    const cor_demand *d = f->spec->demand;
    size_t K = f->spec->n_demand;
    memset(vol, 0, f->g->n_arcs * sizeof *vol);
    for (size_t k = 0; k < K && !f->stopped; k++) {
        bool first = true;
        for (size_t j = 0; j < k && first; j++)
            first = d[j].from != d[k].from;
        if (!first) continue;
        size_t n = 0;
        for (size_t j = k; j < K; j++)
            if (d[j].from == d[k].from) f->to[n++] = d[j].to;
        if (n == 1 || f->g->cch) {
            for (size_t j = k; j < K; j++)
                if (d[j].from == d[k].from) load_pair(f, j, vol, unserved);
            report(f);
            continue;
        }
        cor_query_tree(f->q, d[k].from, f->to, n, f->found);
        for (size_t j = k, i = 0; j < K; j++) {
            if (d[j].from != d[k].from) continue;
            uint32_t s = f->found[i++];
            unserved[j] = s == COR_NONE ? d[j].quantity : 0;
            for (uint32_t a; s != COR_NONE && (a = cor_query_parent_arc(f->q, s)) != COR_NONE;
                 s = cor_graph_arc_tail(f->g, a))
                vol[a] += d[j].quantity;
        }
        report(f);
    }
    return !f->stopped;
}

/* How many distinct origins the demand has. */
static size_t origins(const cor_demand *d, size_t K) {
    size_t n = 0;
    for (size_t k = 0; k < K; k++) {
        bool first = true;
        for (size_t j = 0; j < k && first; j++) first = d[j].from != d[k].from;
        n += first;
    }
    return n;
}

/* The costs at the current volumes; true when one changed. */
static bool set_costs(fw *f) {
    bool changed = false;
    for (uint32_t a = 0; a < f->g->n_arcs; a++) {
        double w = bpr(f, a, f->v[a]);
        changed |= w != f->g->weight[a];
        f->g->weight[a] = w;
    }
    return changed;
}

/* The step λ in [0, 1] where Σ (y − v) t(v + λ (y − v)) changes sign. */
static double line_search(const fw *f) {
    double lo = 0, hi = 1;
    for (int i = 0; i < 40; i++) {
        double mid = 0.5 * (lo + hi), slope = 0;
        for (uint32_t a = 0; a < f->g->n_arcs; a++) {
            double dv = f->y[a] - f->v[a];
            if (dv != 0) slope += dv * bpr(f, a, f->v[a] + mid * dv);
        }
        if (slope > 0)
            hi = mid;
        else
            lo = mid;
    }
    return 0.5 * (lo + hi);
}

static cor_status solve_frank_wolfe(cor_graph *g, const cor_assign_spec *spec,
                                    cor_assign_result *out, cor_error *err) {
    size_t A = g->n_arcs, K = spec->n_demand;
    int max_it = spec->max_iterations > 0 ? spec->max_iterations : 100;
    double target = spec->gap > 0 ? spec->gap : 1e-4;
    fw f = {g,
            spec,
            NULL,
            malloc((A + 1) * sizeof(double)),
            malloc((A + 1) * sizeof(double)),
            calloc(A + 1, sizeof(double)),
            calloc(A + 1, sizeof(double)),
            malloc((K + 1) * sizeof(uint32_t)),
            malloc((K + 1) * sizeof(uint32_t)),
            spec->bpr_alpha > 0 ? spec->bpr_alpha : 0.15,
            spec->bpr_beta > 0 ? spec->bpr_beta : 4,
            0,
            0,
            false};
    out->gaps = malloc(((size_t)max_it + 1) * sizeof *out->gaps);
    cor_status st = COR_OK;
    if (!g->weight) { /* weights become non-integer: widen them to doubles */
        g->weight = malloc((A + 1) * sizeof *g->weight);
        if (g->weight) {
            for (size_t a = 0; a < A; a++)
                g->weight[a] = g->weight32[a];
            free(g->weight32);
            g->weight32 = NULL;
        }
    }
    f.q = g->weight ? cor_route_query_new(g) : NULL;
    if (!f.t0 || !f.cap || !f.v || !f.y || !f.to || !f.found || !out->gaps || !f.q) {
        st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
        goto done;
    }
    for (uint32_t a = 0; a < A; a++) {
        f.t0[a] = g->weight[a];
        f.cap[a] = arc_capacity(g, a);
    }
    f.total = ((size_t)max_it + 1) * origins(spec->demand, K);
    double *unserved = malloc((K + 1) * sizeof *unserved); /* this iteration's, kept when whole */
    if (!unserved) {
        st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
        goto done;
    }
    if (!all_or_nothing(&f, f.v, out->unserved)) { /* stopped before any whole loading */
        memset(f.v, 0, A * sizeof *f.v);
        for (size_t k = 0; k < K; k++) out->unserved[k] = spec->demand[k].quantity;
    }
    for (int it = 1; it <= max_it && !f.stopped; it++) {
        /* New costs: the index's metric follows them (the searches see its generation). */
        if (set_costs(&f) && (st = cor_graph_recustomise(g, err)) != COR_OK) break;
        if (!all_or_nothing(&f, f.y, unserved)) break; /* v: the last whole iteration */
        memcpy(out->unserved, unserved, K * sizeof *unserved);
        double tv = 0, ty = 0; /* arcs no profile lets through cost INFINITY, carry nothing */
        for (uint32_t a = 0; a < A; a++) {
            if (f.v[a] > 0) tv += g->weight[a] * f.v[a];
            if (f.y[a] > 0) ty += g->weight[a] * f.y[a];
        }
        double gap = tv > 0 ? (tv - ty) / tv : 0;
        out->gaps[out->n_gaps++] = gap;
        out->iterations = it;
        if (gap < target) break;
        double lambda = line_search(&f);
        for (uint32_t a = 0; a < A; a++)
            f.v[a] += lambda * (f.y[a] - f.v[a]);
    }
    free(unserved);
    if (st != COR_OK) goto done;
    set_costs(&f); /* report costs at the final volumes */
    result_from_arcs(g, f.v, out);
    if (f.stopped)
        st = cor_error_add(err, COR_ERR_CANCELLED, NULL, -1, -1, NULL,
                           "stopped after %d of at most %d iterations", out->iterations, max_it);
    else if (spec->progress && spec->progress->fn)
        spec->progress->fn(spec->progress->ctx, f.total, f.total); /* converged early: done */
done:
    cor_route_query_free(f.q);
    free(f.t0);
    free(f.cap);
    free(f.v);
    free(f.y);
    free(f.to);
    free(f.found);
    return st;
}

/* ---------------------------------------------------------------- entry */

cor_status cor_assign(const cor_network *net, const cor_assign_spec *spec, cor_assign_result *out,
                      cor_error *err) {
    cor_profile fallback;
    cor_profile_init(&fallback);
    const cor_profile *p = spec->profile ? spec->profile : &fallback;
    for (size_t k = 0; k < spec->n_demand; k++)
        if (spec->demand[k].from >= net->n_nodes || spec->demand[k].to >= net->n_nodes ||
            !(spec->demand[k].quantity >= 0))
            return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "demand",
                                 "demand %zu has a bad node or quantity", k + 1);
    if (!result_alloc(net, spec->n_demand, out)) {
        cor_assign_result_clear(out);
        return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    }
    cor_graph *g = NULL;
    /* Frank–Wolfe rewrites the weights: a graph of its own (over a stored topology and its
     * index when the .cor has one for these layers, customised anew as the costs change). */
    cor_status st = spec->method == COR_ASSIGN_LP ? cor_graph_compile_private(&g, net, p, err)
                                                  : cor_graph_compile_reweighable(&g, net, p, err);
    if (st == COR_OK && spec->method == COR_ASSIGN_LP) {
        if ((double)spec->n_demand * g->n_arcs > 2e6)
            st = cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "method",
                               "%zu pairs x %u arcs is too large for the LP; use frank-wolfe",
                               spec->n_demand, g->n_arcs);
        else
            st = solve_lp(g, spec->demand, spec->n_demand, out, err);
    } else if (st == COR_OK) {
        st = solve_frank_wolfe(g, spec, out, err);
    }
    cor_graph_free(g);
    if (st != COR_OK && st != COR_ERR_CANCELLED) cor_assign_result_clear(out);
    return st;
}
