/*
 * restore.c — the order in which to clear links closed by mines or damage so that the
 * most origin-destination value comes back soonest, for a number of crews.
 *
 * The measure is accessibility A(S): for a set S of cleared links, the demand-weighted mean
 * over the O-D pairs of base cost / cost with the links outside S closed (0 when cut off).
 * A is monotone: clearing more never raises a best cost. An order becomes a schedule by
 * giving each link to the first crew free; its value is the area under A(links finished by
 * t) over the horizon.
 *
 * Evaluating A is the expensive part, so: the graph is compiled once with every closed link
 * usable (the spec's scenario, or none, with the closed links opened: cor_scenario_opening);
 * each pair's best route with everything cleared is found once, with the closed links it
 * uses; a pair whose route uses only cleared links has v = 1 with no search; the others are
 * searched with the arcs of the still-closed links banned through the query's ban stamps —
 * or, when the graph has an index (a .cor's stored topology customised), closed in a
 * metric of restore's own by a partial customisation, answered by the index, and reopened.
 * Values are cached by set (a hash of the set's bits), so an order costs at most n new
 * evaluations and the exact search at most 2^n in all.
 *
 * Exact search: depth-first over orders, the incumbent being the heuristic's answer. The
 * bound of a partial order lets every remaining link finish at the earliest a crew could
 * finish it (the first free time + its crew-days), which by monotonicity bounds any
 * completion from above. Two consecutive links starting on the same day on different crews
 * make the same schedule in either order, so only the increasing one is explored.
 *
 * Heuristic: greedy by marginal accessibility per crew-day (ties: what the link's loss
 * alone costs once everything else is cleared, per crew-day), then first-improvement local
 * search over moves (one link to another position) and swaps until no move improves.
 */
#include "cch.h"
#include "graph_internal.h"
#include "load.h"
#include "network_internal.h"
#include "route_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_DAYS 365.0
#define DEFAULT_NODES_MAX 500 /* equal-weight demand: up to 500 × 499 pairs */
#define MAX_PASSES 50         /* local search: passes over every move, at most */
#define MULTI_START 20        /* local search from several starts up to this many links */
#define EARTH_KM 6371.0088

/* ---------------------------------------------------------------- the closed-links file */

typedef struct closed_reader {
    const cor_network *net;
    cor_report *r;
    long link_col, days_col;
    bool header_seen;
    cor_closed_link *list;
    long *lines; /* where each link was listed, for duplicates */
    size_t n, cap;
    bool oom;
} closed_reader;

static char *trim(char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static bool read_header(closed_reader *c, char **cells, size_t n, long line) {
    c->header_seen = true;
    c->link_col = c->days_col = -1;
    for (size_t i = 0; i < n; i++) {
        const char *h = trim(cells[i]);
        if (strcmp(h, "link") == 0) c->link_col = (long)i;
        if (strcmp(h, "crew_days") == 0) c->days_col = (long)i;
    }
    if (c->link_col >= 0 && c->days_col >= 0) return true;
    cor_report_add(c->r, COR_ERR_INPUT, line, -1, c->link_col < 0 ? "link" : "crew_days",
                   "the header must name the columns link and crew_days (e.g. "
                   "'link,crew_days,reason')");
    return false;
}

static bool read_closed_row(void *ctx, char **cells, size_t n, long line) {
    closed_reader *c = ctx;
    if (cells[0][0] == '#') return true; /* a comment */
    if (!c->header_seen) return read_header(c, cells, n, line);
    size_t need = (size_t)(c->link_col > c->days_col ? c->link_col : c->days_col) + 1;
    if (n < need) {
        cor_report_add(c->r, COR_ERR_INPUT, line, -1,
                       n <= (size_t)c->link_col ? "link" : "crew_days",
                       "expected at least %zu fields, found %zu", need, n);
        return true;
    }
    const char *id = trim(cells[c->link_col]), *days = trim(cells[c->days_col]);
    uint32_t l = cor_network_find_link(c->net, id);
    double d = NAN;
    bool ok = true;
    if (l == COR_NONE) {
        cor_report_add(c->r, COR_ERR_INPUT, line, -1, "link", "no link has the id '%s'", id);
        ok = false;
    }
    for (size_t i = 0; ok && i < c->n; i++)
        if (c->list[i].link == l) {
            cor_report_add(c->r, COR_ERR_INPUT, line, -1, "link",
                           "'%s' is listed twice (first on line %ld)", id, c->lines[i]);
            ok = false;
        }
    if (!cor_parse_double(days, &d)) {
        cor_report_add(c->r, COR_ERR_INPUT, line, -1, "crew_days", "'%s' is not a number", days);
        ok = false;
    } else if (!(d > 0)) {
        cor_report_add(c->r, COR_ERR_INPUT, line, -1, "crew_days",
                       "must be more than 0 crew-days, got %g", d);
        ok = false;
    }
    if (!ok) return true;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        cor_closed_link *list = realloc(c->list, cap * sizeof *list);
        if (list) c->list = list;
        long *lines = realloc(c->lines, cap * sizeof *lines);
        if (lines) c->lines = lines;
        if (!list || !lines) {
            c->oom = true;
            return false;
        }
        c->cap = cap;
    }
    c->lines[c->n] = line;
    c->list[c->n++] = (cor_closed_link){l, d};
    return true;
}

cor_status cor_closed_load(const char *path, const cor_network *net, cor_closed_link **out,
                           size_t *n, cor_error *err) {
    return cor_closed_load_with(path, net, NULL, out, n, err);
}

cor_status cor_closed_load_with(const char *path, const cor_network *net,
                                const cor_load_options *opt, cor_closed_link **out, size_t *n,
                                cor_error *err) {
    *out = NULL;
    *n = 0;
    cor_report r;
    cor_report_init(&r, err, path);
    r.limits = opt;
    closed_reader c = {.net = net, .r = &r};
    cor_status st = cor_csv_read(path, read_closed_row, &c, &r);
    if (st == COR_OK && c.oom)
        st = cor_error_add(err, COR_ERR_NOMEM, path, -1, -1, NULL, "out of memory");
    if (st == COR_OK && r.problems == 0 && c.n == 0)
        cor_report_add(&r, COR_ERR_INPUT, -1, -1, NULL,
                       c.header_seen ? "no closed link in the file"
                                     : "empty file: expected a header 'link,crew_days'");
    free(c.lines);
    if (st != COR_OK || r.problems) {
        free(c.list);
        return st != COR_OK ? st : r.status;
    }
    *out = c.list;
    *n = c.n;
    return COR_OK;
}

/* ---------------------------------------------------------------- sets of cleared links */

static inline bool has(const uint64_t *s, size_t j) {
    return s[j >> 6] >> (j & 63) & 1;
}
static inline void put(uint64_t *s, size_t j) {
    s[j >> 6] |= UINT64_C(1) << (j & 63);
}

/* Accessibility by set: open addressing on a hash of the set's words. */
typedef struct set_cache {
    size_t words, cap, count;
    uint64_t *keys; /* cap × words */
    double *values;
    uint8_t *used;
} set_cache;

static uint64_t set_hash(const uint64_t *s, size_t words) {
    uint64_t h = 0x9e3779b97f4a7c15u;
    for (size_t i = 0; i < words; i++) {
        uint64_t z = (h ^ s[i]) + 0x9e3779b97f4a7c15u;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
        h = z ^ (z >> 31);
    }
    return h;
}

static size_t cache_slot(const set_cache *c, const uint64_t *s) {
    size_t i = (size_t)set_hash(s, c->words) & (c->cap - 1);
    while (c->used[i] && memcmp(c->keys + i * c->words, s, c->words * sizeof *s) != 0)
        i = (i + 1) & (c->cap - 1);
    return i;
}

static bool cache_grow(set_cache *c) {
    set_cache g = {c->words, c->cap ? 2 * c->cap : 1024, c->count, NULL, NULL, NULL};
    g.keys = malloc(g.cap * g.words * sizeof *g.keys);
    g.values = malloc(g.cap * sizeof *g.values);
    g.used = calloc(g.cap, 1);
    if (!g.keys || !g.values || !g.used) {
        free(g.keys);
        free(g.values);
        free(g.used);
        return false;
    }
    for (size_t i = 0; i < c->cap; i++)
        if (c->used[i]) {
            size_t k = cache_slot(&g, c->keys + i * c->words);
            memcpy(g.keys + k * g.words, c->keys + i * c->words, g.words * sizeof *g.keys);
            g.values[k] = c->values[i];
            g.used[k] = 1;
        }
    free(c->keys);
    free(c->values);
    free(c->used);
    *c = g;
    return true;
}

/* ---------------------------------------------------------------- the evaluator */

typedef struct od_pair {
    uint32_t from, to;
    double q, base;
} od_pair;

typedef struct restore_ctx {
    const cor_restore_spec *spec;
    size_t n, words;
    const double *days; /* n: crew-days */
    const cor_network *net; /* the network computed on: the scenario's when it has one */
    cor_scenario *opening;  /* the spec's scenario with the closed links open */
    cor_profile profile;    /* the spec's, with that scenario */
    cor_graph *g;
    /* with an index: g with a metric of restore's own, where closures are customised */
    cor_graph gw;
    cor_cch_metric *metric;
    double *open_w, *inf_w; /* per arc of arcs[]: its weight, and INFINITY */
    double *banned_w;       /* scratch: the open weights of banned[] */
    cor_route_query *q;
    uint32_t *arc_first, *arcs; /* closed link j's arcs: arcs[arc_first[j] .. [j+1]) */
    od_pair *pairs;             /* the affected pairs */
    uint64_t *uses;             /* pair k's closed links: uses[k*words ..] */
    size_t n_affected;
    double q_fixed, q_total; /* unaffected demand (always served at base), all demand */
    uint32_t *banned;        /* scratch: arcs banned in one evaluation */
    set_cache cache;
    size_t total_units; /* for progress reports */
    size_t next_report, ticks;
    bool stopped, oom;
    bool budget_reached; /* spec->max_evaluations routed: local search stops improving */
} restore_ctx;

/* Reports the evaluations done (the measure of work) and asks whether to go on. */
static void check_progress(restore_ctx *c) {
    const cor_progress *p = c->spec->progress;
    if (c->stopped || !p || !p->fn) return;
    size_t done = c->cache.count < c->total_units ? c->cache.count : c->total_units - 1;
    if (!p->fn(p->ctx, done, c->total_units)) c->stopped = true;
}

/* Between evaluations: about 200 reports over a run, and one per 4096 steps of work that
 * needs no new evaluation (cached sets), so a stop is seen soon either way. */
static void tick(restore_ctx *c, bool evaluated) {
    if (evaluated && c->cache.count >= c->next_report) {
        c->next_report = c->cache.count + c->total_units / 200 + 1;
        check_progress(c);
    } else if (!evaluated && (++c->ticks & 4095) == 0) {
        check_progress(c);
    }
}

/* The banned arcs set to w[] in restore's metric; false (out of memory) sets c->oom. */
static bool customise(restore_ctx *c, const double *w, size_t nb) {
    cor_error err;
    cor_error_init(&err);
    if (cor_cch_customize_partial(c->metric, c->banned, w, nb, &err) != COR_OK) c->oom = true;
    cor_error_clear(&err);
    return !c->oom;
}

/* A(set): cached; NaN once stopped (or out of memory) for a set not seen before. */
static double accessibility(restore_ctx *c, const uint64_t *open) {
    size_t slot = cache_slot(&c->cache, open);
    if (c->cache.used[slot]) return c->cache.values[slot];
    if (c->stopped || c->oom) return NAN;
    size_t nb = 0;
    for (size_t j = 0; j < c->n; j++)
        if (!has(open, j))
            for (uint32_t i = c->arc_first[j]; i < c->arc_first[j + 1]; i++) {
                if (c->metric) c->banned_w[nb] = c->open_w[i];
                c->banned[nb++] = c->arcs[i];
            }
    bool closed = false; /* with an index: the banned arcs closed in its metric */
    double sum = c->q_fixed;
    for (size_t k = 0; k < c->n_affected; k++) {
        const uint64_t *u = c->uses + k * c->words;
        bool inside = true;
        for (size_t w = 0; inside && w < c->words; w++)
            inside = (u[w] & ~open[w]) == 0;
        if (inside) {
            sum += c->pairs[k].q;
            continue;
        }
        double d;
        if (c->metric) {
            if (!closed && !(closed = customise(c, c->inf_w, nb))) return NAN;
            d = cor_route_distance(c->q, c->pairs[k].from, c->pairs[k].to);
        } else if (!cor_query_distance_without(c->q, c->pairs[k].from, c->pairs[k].to, c->banned,
                                               nb, NULL, 0, &d)) {
            c->oom = true;
            return NAN;
        }
        if (isfinite(d))
            sum += c->pairs[k].q * (d <= c->pairs[k].base ? 1.0 : c->pairs[k].base / d);
    }
    if (closed && !customise(c, c->banned_w, nb)) return NAN; /* reopened */
    double a = sum / c->q_total;
    if (2 * (c->cache.count + 1) > c->cache.cap) {
        if (!cache_grow(&c->cache)) {
            c->oom = true;
            return NAN;
        }
        slot = cache_slot(&c->cache, open);
    }
    memcpy(c->cache.keys + slot * c->words, open, c->words * sizeof *open);
    c->cache.values[slot] = a;
    c->cache.used[slot] = 1;
    c->cache.count++;
    tick(c, true);
    return a;
}

/* ---------------------------------------------------------------- schedules and areas */

typedef struct event {
    double t;
    uint32_t j;
} event;

/* By time, unknown (NaN) last, then by link: also sorts the naive orders' keys. */
static int by_time(const void *a, const void *b) {
    const event *x = a, *y = b;
    bool xn = isnan(x->t), yn = isnan(y->t);
    if (xn != yn) return xn ? 1 : -1;
    if (!xn && x->t != y->t) return x->t < y->t ? -1 : 1;
    return (x->j > y->j) - (x->j < y->j);
}

/* Gives each link of the order to the first crew free (lowest number on ties). */
static void schedule(const restore_ctx *c, const uint32_t *order, double *free_at, unsigned *crew,
                     double *start, double *finish) {
    unsigned crews = c->spec->crews;
    for (unsigned k = 0; k < crews; k++)
        free_at[k] = 0;
    for (size_t i = 0; i < c->n; i++) {
        unsigned k = 0;
        for (unsigned m = 1; m < crews; m++)
            if (free_at[m] < free_at[k]) k = m;
        uint32_t j = order[i];
        if (crew) crew[j] = k;
        if (start) start[j] = free_at[k];
        finish[j] = free_at[k] += c->days[j];
    }
}

/* ∫ A(links whose event has passed) over [0, horizon]; ev is sorted in place. */
static double integrate(restore_ctx *c, event *ev, size_t m, uint64_t *set) {
    double h = c->spec->horizon_days;
    qsort(ev, m, sizeof *ev, by_time);
    memset(set, 0, c->words * sizeof *set);
    double t = 0, a = accessibility(c, set), area = 0;
    for (size_t i = 0; i < m && ev[i].t < h;) {
        area += a * (ev[i].t - t);
        t = ev[i].t;
        for (; i < m && ev[i].t == t; i++)
            put(set, ev[i].j);
        a = accessibility(c, set);
    }
    return area + a * (h - t);
}

/* Scratch for evaluating orders. */
typedef struct scratch {
    double *free_at, *finish;
    event *ev;
    uint64_t *set;
} scratch;

static double order_area(restore_ctx *c, const uint32_t *order, scratch *s) {
    tick(c, false);
    schedule(c, order, s->free_at, NULL, NULL, s->finish);
    for (size_t j = 0; j < c->n; j++)
        s->ev[j] = (event){s->finish[j], (uint32_t)j};
    return integrate(c, s->ev, c->n, s->set);
}

/* ---------------------------------------------------------------- heuristic */

/* Greedy: the link whose clearing adds the most accessibility per crew-day next. */
static void greedy(restore_ctx *c, uint32_t *order, scratch *s) {
    size_t n = c->n;
    double *alone = s->finish; /* (1 − A(all but j)) / days: what j's loss costs at the end */
    uint8_t *taken = calloc(n, 1);
    if (!taken) {
        c->oom = true;
        return;
    }
    for (size_t j = 0; j < n; j++) {
        memset(s->set, 0, c->words * sizeof *s->set);
        for (size_t i = 0; i < n; i++)
            if (i != j) put(s->set, i);
        alone[j] = (1.0 - accessibility(c, s->set)) / c->days[j];
    }
    memset(s->set, 0, c->words * sizeof *s->set);
    double base = accessibility(c, s->set);
    for (size_t step = 0; step < n; step++) {
        size_t best = n;
        double best_gain = -INFINITY, gain;
        for (size_t j = 0; j < n && !c->stopped; j++) {
            if (taken[j]) continue;
            put(s->set, j);
            gain = (accessibility(c, s->set) - base) / c->days[j];
            s->set[j >> 6] &= ~(UINT64_C(1) << (j & 63));
            if (best == n || gain > best_gain + 1e-15 ||
                (fabs(gain - best_gain) <= 1e-15 && alone[j] > alone[best])) {
                best = j;
                best_gain = gain;
            }
        }
        if (best == n) /* stopped: the rest in file order */
            for (best = 0; taken[best]; best++) {
            }
        taken[best] = 1;
        order[step] = (uint32_t)best;
        put(s->set, best);
        base = accessibility(c, s->set);
    }
    free(taken);
}

/* Moves order[i] to position k (shifting what is between). */
static void move_to(uint32_t *order, size_t i, size_t k) {
    uint32_t x = order[i];
    if (i < k)
        memmove(order + i, order + i + 1, (k - i) * sizeof *order);
    else
        memmove(order + k + 1, order + k, (i - k) * sizeof *order);
    order[k] = x;
}

/* True once the evaluation budget is spent (then local search stops improving). */
static bool over_budget(restore_ctx *c) {
    size_t max = c->spec->max_evaluations;
    if (max && c->cache.count >= max) c->budget_reached = true;
    return c->budget_reached;
}

/* First-improvement local search over moves and swaps; returns the area reached. */
static double local_search(restore_ctx *c, uint32_t *order, double area, scratch *s) {
    size_t n = c->n;
    double tol = 1e-12 * c->spec->horizon_days;
    bool improved = true;
    for (int pass = 0; improved && pass < MAX_PASSES && !c->stopped && !over_budget(c); pass++) {
        improved = false;
        for (size_t i = 0; i < n && !c->stopped && !over_budget(c); i++)
            for (size_t k = 0; k < n && !c->stopped && !over_budget(c); k++) {
                if (k == i) continue;
                move_to(order, i, k);
                double a = order_area(c, order, s);
                if (a > area + tol) {
                    area = a;
                    improved = true;
                    continue;
                }
                move_to(order, k, i);
                if (k < i) continue;
                uint32_t t = order[i];
                order[i] = order[k];
                order[k] = t;
                a = order_area(c, order, s);
                if (a > area + tol) {
                    area = a;
                    improved = true;
                    continue;
                }
                order[k] = order[i];
                order[i] = t;
            }
    }
    return area;
}

/* ---------------------------------------------------------------- exact search */

typedef struct bb {
    restore_ctx *c;
    scratch *s;
    uint32_t *order, *best_order, *rank;
    double *free_at, *finish;
    double best, tol;
} bb;

/* The area if every remaining link finished as soon as the first free crew could finish it. */
static double bound(bb *b, uint64_t used) {
    restore_ctx *c = b->c;
    unsigned crews = c->spec->crews;
    double m = b->free_at[0];
    for (unsigned k = 1; k < crews; k++)
        m = fmin(m, b->free_at[k]);
    for (size_t j = 0; j < c->n; j++)
        b->s->ev[j] = (event){used >> j & 1 ? b->finish[j] : m + c->days[j], (uint32_t)j};
    return integrate(c, b->s->ev, c->n, b->s->set);
}

static void branch(bb *b, size_t depth, uint64_t used, double prev_start, uint32_t prev) {
    restore_ctx *c = b->c;
    if (c->stopped || c->oom) return;
    tick(c, false);
    if (depth == c->n) {
        double a = order_area(c, b->order, b->s);
        if (a > b->best + b->tol) {
            b->best = a;
            memcpy(b->best_order, b->order, c->n * sizeof *b->order);
        }
        return;
    }
    if (depth > 0 && bound(b, used) <= b->best + b->tol) return;
    unsigned k = 0;
    for (unsigned m = 1; m < c->spec->crews; m++)
        if (b->free_at[m] < b->free_at[k]) k = m;
    double start = b->free_at[k];
    for (size_t r = 0; r < c->n; r++) {
        uint32_t j = b->rank[r];
        if (used >> j & 1) continue;
        if (depth > 0 && start == prev_start && j < prev) continue; /* the same schedule */
        b->order[depth] = j;
        b->finish[j] = b->free_at[k] = start + c->days[j];
        branch(b, depth + 1, used | UINT64_C(1) << j, start, j);
        b->free_at[k] = start;
    }
}

/* Proves or improves the incumbent; false when stopped before the end. */
static bool exact(restore_ctx *c, uint32_t *best_order, double *best, scratch *s) {
    size_t n = c->n;
    bb b = {c,
            s,
            malloc(n * sizeof(uint32_t)),
            best_order,
            malloc(n * sizeof(uint32_t)),
            calloc(c->spec->crews, sizeof(double)),
            malloc(n * sizeof(double)),
            *best,
            1e-12 * c->spec->horizon_days};
    if (!b.order || !b.rank || !b.free_at || !b.finish)
        c->oom = true;
    else {
        memcpy(b.rank, best_order, n * sizeof *b.rank); /* the incumbent's order first */
        branch(&b, 0, 0, 0, 0);
        *best = b.best;
    }
    free(b.order);
    free(b.rank);
    free(b.free_at);
    free(b.finish);
    return !c->stopped && !c->oom;
}

/* ---------------------------------------------------------------- setting up */

static bool default_kind(const char *k) {
    static const char *const kinds[] = {"city", "seaport", "rail_terminal", "dry_port"};
    for (size_t i = 0; k && i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(k, kinds[i]) == 0) return true;
    return false;
}

/* Equal weight per ordered pair among the default kinds' nodes that the graph reaches. */
/* Whether some usable arc (a finite weight) leaves or enters one of node v's states: what
 * having states means in a compiled graph, where a stored topology has every node's. */
static bool node_live(const cor_graph *g, uint32_t v) {
    for (uint32_t s = cor_g_first_state(g, v); s < cor_g_first_state(g, v + 1); s++) {
        for (uint32_t a = g->first_out[s]; a < g->first_out[s + 1]; a++)
            if (isfinite(cor_g_weight(g, a))) return true;
        for (uint32_t b = g->first_in[s]; b < g->first_in[s + 1]; b++)
            if (isfinite(cor_g_weight(g, g->in_arc[b]))) return true;
    }
    return false;
}

static cor_status default_demand(const restore_ctx *c, const cor_network *net, cor_demand **out,
                                 size_t *n, cor_error *err) {
    uint32_t *nodes = malloc((net->n_nodes + 1) * sizeof *nodes);
    if (!nodes) return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    size_t m = 0;
    for (uint32_t v = 0; v < net->n_nodes; v++)
        if (default_kind(cor_net_node(net, v)->kind) && node_live(c->g, v)) nodes[m++] = v;
    cor_status st = COR_OK;
    if (m > DEFAULT_NODES_MAX)
        st = cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "demand",
                           "%zu nodes are cities, seaports, rail terminals or dry ports: too many "
                           "for equal weight per pair (at most %d); give a demand",
                           m, DEFAULT_NODES_MAX);
    else if (!(*out = malloc((m * m + 1) * sizeof **out)))
        st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    *n = 0;
    for (size_t i = 0; st == COR_OK && i < m; i++)
        for (size_t k = 0; k < m; k++)
            if (i != k) (*out)[(*n)++] = (cor_demand){nodes[i], nodes[k], 1.0};
    free(nodes);
    return st;
}

/* The network to compute on and the profile to compile it with: the spec's scenario (or
 * none) with the closed links open (they can be cleared), read by the graph compiler like
 * any scenario, so a .cor's stored topology serves it through its index. A link the
 * scenario itself closes stays closed: clearing mines does not lift that closure. */
static cor_status make_view(restore_ctx *c, const cor_network *net, cor_error *err) {
    const cor_profile *p = c->spec->profile;
    const cor_scenario *s = p->scenario;
    if (s && net != cor_scenario_base(s) && net != cor_scenario_network(s))
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "scenario",
                             "the scenario '%s' was read for another network",
                             cor_scenario_name(s));
    uint32_t *links = malloc((c->n + 1) * sizeof *links);
    if (!links) return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    for (size_t j = 0; j < c->n; j++) links[j] = c->spec->closed[j].link;
    cor_status st = cor_scenario_opening(&c->opening, net, s, links, c->n, err);
    free(links);
    if (st != COR_OK) return st;
    c->net = s ? cor_scenario_network(s) : net;
    c->profile = *p;
    c->profile.scenario = c->opening;
    return COR_OK;
}

/* The arcs of each closed link in the compiled graph. */
static bool closed_arcs(restore_ctx *c, const cor_network *net) {
    uint32_t *which = malloc((net->n_links + 1) * sizeof *which);
    c->arc_first = calloc(c->n + 2, sizeof *c->arc_first);
    if (!which || !c->arc_first) {
        free(which);
        return false;
    }
    for (size_t l = 0; l < net->n_links; l++)
        which[l] = COR_NONE;
    for (size_t j = 0; j < c->n; j++)
        which[c->spec->closed[j].link] = (uint32_t)j;
    const cor_graph *g = c->g;
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t a = 0; a < g->n_arcs; a++) {
            uint32_t code = g->arc_link[a];
            /* a stored topology has every link's arcs: those of the profile's are finite */
            if (code == COR_ARC_TRANSFER || which[code >> 1] == COR_NONE ||
                !isfinite(cor_g_weight(g, a)))
                continue;
            uint32_t j = which[code >> 1];
            if (pass == 0)
                c->arc_first[j + 2]++;
            else
                c->arcs[c->arc_first[j + 1]++] = a;
        }
        if (pass == 0) {
            for (size_t j = 0; j < c->n; j++)
                c->arc_first[j + 2] += c->arc_first[j + 1];
            c->arcs = malloc((c->arc_first[c->n + 1] + 1) * sizeof *c->arcs);
            c->banned = malloc((c->arc_first[c->n + 1] + 1) * sizeof *c->banned);
            if (!c->arcs || !c->banned) break;
        }
    }
    free(which);
    return c->arcs && c->banned;
}

/* With an index: restore's own metric (closures are customised into it) and the weights
 * that close and reopen each closed link's arcs; false when out of memory. */
static bool index_setup(restore_ctx *c) {
    if (!c->g->cch || !c->g->cch_metric) return true;
    size_t na = c->arc_first[c->n + 1];
    c->gw = *c->g;
    c->metric = cch_metric_clone(c->g->cch_metric);
    c->open_w = malloc((na + 1) * sizeof *c->open_w);
    c->inf_w = malloc((na + 1) * sizeof *c->inf_w);
    c->banned_w = malloc((na + 1) * sizeof *c->banned_w);
    if (!c->metric || !c->open_w || !c->inf_w || !c->banned_w) return false;
    c->gw.cch_metric = c->metric;
    c->gw.index_generation++;
    for (size_t i = 0; i < na; i++) {
        c->open_w[i] = cor_cch_metric_input_weight(c->metric, c->arcs[i]);
        c->inf_w[i] = INFINITY;
    }
    return true;
}

/* Each pair's best route with everything cleared, and the closed links it uses. */
static cor_status base_routes(restore_ctx *c, const cor_demand *d, size_t nd,
                              cor_restore_result *out, cor_error *err) {
    uint32_t *which = malloc((c->net->n_links + 1) * sizeof *which);
    c->pairs = malloc((nd + 1) * sizeof *c->pairs);
    c->uses = calloc((nd + 1) * c->words, sizeof *c->uses);
    if (!which || !c->pairs || !c->uses) {
        free(which);
        return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    }
    for (size_t l = 0; l < c->net->n_links; l++)
        which[l] = COR_NONE;
    for (size_t j = 0; j < c->n; j++)
        which[c->spec->closed[j].link] = (uint32_t)j;
    for (size_t k = 0; k < nd && !c->oom; k++) {
        double dist;
        uint32_t *arcs = NULL;
        size_t na = 0;
        if (!(d[k].quantity > 0) || d[k].from == d[k].to) continue;
        if (c->metric) {
            dist = cor_route_distance(c->q, d[k].from, d[k].to);
        } else if (!cor_query_distance_without(c->q, d[k].from, d[k].to, NULL, 0, NULL, 0, &dist)) {
            c->oom = true;
            break;
        }
        if (isinf(dist)) {
            out->n_pairs_unrouted++;
            continue;
        }
        out->n_pairs++;
        c->q_total += d[k].quantity;
        if (!cor_query_route_arcs(c->q, d[k].from, d[k].to, &arcs, &na)) {
            c->oom = true;
            break;
        }
        uint64_t *u = c->uses + c->n_affected * c->words;
        bool affected = false;
        for (size_t i = 0; i < na; i++) {
            uint32_t code = c->g->arc_link[arcs[i]];
            if (code != COR_ARC_TRANSFER && which[code >> 1] != COR_NONE) {
                if (!has(u, which[code >> 1])) out->pairs_using[which[code >> 1]]++;
                put(u, which[code >> 1]);
                affected = true;
            }
        }
        free(arcs);
        if (affected)
            c->pairs[c->n_affected++] = (od_pair){d[k].from, d[k].to, d[k].quantity, dist};
        else
            c->q_fixed += d[k].quantity;
    }
    free(which);
    out->n_pairs_affected = c->n_affected;
    if (c->oom) return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    if (out->n_pairs == 0)
        return cor_error_add(err, COR_ERR_INPUT, NULL, -1, -1, "demand",
                             "no demand pair has a route, even with every closed link cleared");
    return COR_OK;
}

static double great_circle_km(const cor_node *a, const cor_node *b) {
    if (isnan(a->lon) || isnan(a->lat) || isnan(b->lon) || isnan(b->lat)) return NAN;
    double rad = M_PI / 180.0, dlat = (b->lat - a->lat) * rad, dlon = (b->lon - a->lon) * rad;
    double h = sin(dlat / 2) * sin(dlat / 2) +
               cos(a->lat * rad) * cos(b->lat * rad) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * EARTH_KM * asin(fmin(1.0, sqrt(h)));
}

/* The depot: given, else the origin with the most demand, ties to the one nearest the
 * closed links' ends (their mean position). */
static uint32_t pick_depot(const restore_ctx *c, const cor_network *net, const cor_demand *d,
                           size_t nd) {
    if (c->spec->depot != COR_NONE) return c->spec->depot;
    double *out_q = calloc(net->n_nodes + 1, sizeof *out_q), lon = 0, lat = 0;
    size_t m = 0;
    if (!out_q) return COR_NONE;
    for (size_t k = 0; k < nd; k++)
        out_q[d[k].from] += d[k].quantity;
    for (size_t j = 0; j < c->n; j++) {
        const cor_link *l = cor_net_link(net, c->spec->closed[j].link);
        const cor_node *ends[2] = {cor_net_node(net, l->from), cor_net_node(net, l->to)};
        for (int e = 0; e < 2; e++)
            if (!isnan(ends[e]->lon) && !isnan(ends[e]->lat)) {
                lon += ends[e]->lon;
                lat += ends[e]->lat;
                m++;
            }
    }
    cor_node centre;
    cor_node_init(&centre);
    if (m) centre.lon = lon / (double)m, centre.lat = lat / (double)m;
    uint32_t best = COR_NONE;
    double best_km = INFINITY;
    for (uint32_t v = 0; v < net->n_nodes; v++) {
        if (!(out_q[v] > 0)) continue;
        double km = great_circle_km(cor_net_node(net, v), &centre);
        if (isnan(km)) km = INFINITY;
        if (best == COR_NONE || out_q[v] > out_q[best] ||
            (out_q[v] == out_q[best] && km < best_km)) {
            best = v;
            best_km = km;
        }
    }
    free(out_q);
    return best;
}

/* ---------------------------------------------------------------- naive orders */

static bool sorted_order(const double *key, size_t n, uint32_t *order) {
    event *k = malloc((n + 1) * sizeof *k);
    if (!k) return false;
    for (size_t j = 0; j < n; j++)
        k[j] = (event){key[j], (uint32_t)j};
    qsort(k, n, sizeof *k, by_time);
    for (size_t j = 0; j < n; j++)
        order[j] = k[j].j;
    free(k);
    return true;
}

/* ---------------------------------------------------------------- results */

/* The plan of an order: schedule, accessibility after each step, curve, area. */
static bool fill_plan(restore_ctx *c, const uint32_t *order, scratch *s, cor_restore_plan *p) {
    size_t n = c->n;
    unsigned *crew = malloc(n * sizeof *crew);
    double *start = malloc(n * sizeof *start);
    p->steps = calloc(n, sizeof *p->steps);
    p->curve = calloc(n + 1, sizeof *p->curve);
    if (!crew || !start || !p->steps || !p->curve) {
        free(crew);
        free(start);
        return false;
    }
    schedule(c, order, s->free_at, crew, start, s->finish);
    for (size_t j = 0; j < n; j++)
        s->ev[j] = (event){s->finish[j], (uint32_t)j};
    p->area = integrate(c, s->ev, n, s->set); /* leaves ev sorted by finish */
    memset(s->set, 0, c->words * sizeof *s->set);
    p->curve[p->n_curve++] = (cor_restore_point){0, accessibility(c, s->set)};
    for (size_t i = 0; i < n;) {
        double t = s->ev[i].t;
        for (; i < n && s->ev[i].t == t; i++)
            put(s->set, s->ev[i].j);
        p->curve[p->n_curve++] = (cor_restore_point){t, accessibility(c, s->set)};
    }
    p->finish_day = s->ev[n - 1].t;
    for (size_t i = 0; i < n; i++) {
        uint32_t j = order[i];
        double a = NAN;
        for (size_t m = 0; m < p->n_curve; m++)
            if (p->curve[m].day == s->finish[j]) a = p->curve[m].accessibility;
        p->steps[i] = (cor_restore_step){j, crew[j], start[j], s->finish[j], a};
    }
    free(crew);
    free(start);
    return true;
}

static cor_status check_spec(const cor_network *net, const cor_restore_spec *spec, cor_error *err) {
    if (!spec->profile || spec->n_closed == 0 || !spec->closed)
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "closed", "no closed link given");
    if (spec->crews < 1)
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "crews", "needs at least one crew");
    if (!(spec->horizon_days >= 0) || isinf(spec->horizon_days))
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "horizon_days",
                             "must be a number of days above 0, got %g", spec->horizon_days);
    if (spec->method == COR_RESTORE_EXACT && spec->n_closed > COR_RESTORE_EXACT_MAX)
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "method",
                             "the exact search takes at most %d closed links, got %zu",
                             COR_RESTORE_EXACT_MAX, spec->n_closed);
    if (spec->depot != COR_NONE && spec->depot >= net->n_nodes)
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "depot", "no node %u", spec->depot);
    for (size_t k = 0; k < spec->n_demand; k++)
        if (spec->demand[k].from >= net->n_nodes || spec->demand[k].to >= net->n_nodes ||
            !(spec->demand[k].quantity >= 0))
            return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "demand",
                                 "demand pair %zu: a node out of range or a bad quantity", k);
    for (size_t j = 0; j < spec->n_closed; j++) {
        const cor_closed_link *x = &spec->closed[j];
        if (x->link >= net->n_links)
            return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "closed", "no link %u", x->link);
        if (!(x->crew_days > 0) || isinf(x->crew_days))
            return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "crew_days",
                                 "link '%s': must be more than 0 crew-days, got %g",
                                 cor_net_link(net, x->link)->id, x->crew_days);
        for (size_t i = 0; i < j; i++)
            if (spec->closed[i].link == x->link)
                return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "closed",
                                     "link '%s' is listed twice", cor_net_link(net, x->link)->id);
    }
    return COR_OK;
}

static void ctx_free(restore_ctx *c) {
    cor_route_query_free(c->q);
    cor_graph_free(c->g);
    cor_scenario_free(c->opening);
    cor_cch_metric_free(c->metric);
    free(c->open_w);
    free(c->inf_w);
    free(c->banned_w);
    free(c->arc_first);
    free(c->arcs);
    free(c->banned);
    free(c->pairs);
    free(c->uses);
    free(c->cache.keys);
    free(c->cache.values);
    free(c->cache.used);
    free((void *)c->days);
}

/* Sets up the evaluator: the view, its graph, the demand and each pair's base route. */
static cor_status prepare(restore_ctx *c, const cor_network *net, cor_restore_result *out,
                          cor_demand **own_demand, cor_error *err) {
    const cor_restore_spec *spec = c->spec;
    double *days = malloc(c->n * sizeof *days);
    c->days = days;
    out->pairs_using = calloc(c->n, sizeof *out->pairs_using);
    out->usable = calloc(c->n, sizeof *out->usable);
    out->depot_km = calloc(c->n, sizeof *out->depot_km);
    if (!days || !out->pairs_using || !out->usable || !out->depot_km || !cache_grow(&c->cache))
        return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    for (size_t j = 0; j < c->n; j++)
        days[j] = spec->closed[j].crew_days;
    cor_status st = make_view(c, net, err);
    /* on the given network unless the scenario adds elements (then on its own) */
    if (st == COR_OK)
        st = cor_graph_compile(&c->g, cor_scenario_adds(c->opening) ? c->net : net, &c->profile,
                               err);
    if (st != COR_OK) return st;
    net = c->net; /* from here on: the network computed on */
    if (!closed_arcs(c, net) || !index_setup(c) ||
        !(c->q = cor_route_query_new(c->metric ? &c->gw : c->g)))
        return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    for (size_t j = 0; j < c->n; j++)
        out->usable[j] = c->arc_first[j + 1] > c->arc_first[j];
    const cor_demand *d = spec->demand;
    size_t nd = spec->n_demand;
    if (!d) {
        if ((st = default_demand(c, net, own_demand, &nd, err)) != COR_OK) return st;
        d = *own_demand;
        out->default_demand = true;
    }
    if ((st = base_routes(c, d, nd, out, err)) != COR_OK) return st;
    out->depot = pick_depot(c, net, d, nd);
    for (size_t j = 0; j < c->n; j++) {
        const cor_link *l = cor_net_link(net, spec->closed[j].link);
        out->depot_km[j] = NAN;
        if (out->depot == COR_NONE) continue;
        const cor_node *dep = cor_net_node(net, out->depot);
        double a = great_circle_km(dep, cor_net_node(net, l->from)),
               b = great_circle_km(dep, cor_net_node(net, l->to));
        out->depot_km[j] = isnan(a) ? b : isnan(b) ? a : fmin(a, b);
    }
    return COR_OK;
}

/* Finds the best order: naive ones, greedy + local search, then the exact search. */
static void search(restore_ctx *c, cor_restore_result *out, uint32_t *orders[COR_ORDER_COUNT],
                   scratch *s) {
    size_t n = c->n;
    double area[COR_ORDER_COUNT];
    if (!sorted_order(c->days, n, orders[COR_ORDER_SHORTEST_FIRST]) ||
        !sorted_order(out->depot_km, n, orders[COR_ORDER_NEAREST_FIRST])) {
        c->oom = true;
        return;
    }
    memcpy(orders[COR_ORDER_BEST], orders[COR_ORDER_SHORTEST_FIRST], n * sizeof **orders);
    for (int o = COR_ORDER_SHORTEST_FIRST; o < COR_ORDER_COUNT; o++)
        area[o] = order_area(c, orders[o], s);
    area[COR_ORDER_BEST] = area[COR_ORDER_SHORTEST_FIRST];
    if (area[COR_ORDER_NEAREST_FIRST] > area[COR_ORDER_BEST]) {
        memcpy(orders[COR_ORDER_BEST], orders[COR_ORDER_NEAREST_FIRST], n * sizeof **orders);
        area[COR_ORDER_BEST] = area[COR_ORDER_NEAREST_FIRST];
    }
    uint32_t *g = malloc(n * sizeof *g);
    if (!g) {
        c->oom = true;
        return;
    }
    /* local search from the greedy order and, up to MULTI_START links, from each naive one
     * too (the best end wins); beyond, each start costs O(n^3) evaluations */
    for (int start = 0; start < COR_ORDER_COUNT && !c->stopped && !c->oom; start++) {
        if (start != COR_ORDER_BEST && n > MULTI_START) break;
        if (start == COR_ORDER_BEST)
            greedy(c, g, s);
        else
            memcpy(g, orders[start], n * sizeof *g);
        double ga = local_search(c, g, order_area(c, g, s), s);
        if (ga > area[COR_ORDER_BEST]) {
            memcpy(orders[COR_ORDER_BEST], g, n * sizeof *g);
            area[COR_ORDER_BEST] = ga;
        }
    }
    free(g);
    if (out->method == COR_RESTORE_EXACT && !c->stopped && !c->oom)
        out->optimal = exact(c, orders[COR_ORDER_BEST], &area[COR_ORDER_BEST], s);
}

cor_status cor_restore(const cor_network *net, const cor_restore_spec *spec,
                       cor_restore_result *out, cor_error *err) {
    memset(out, 0, sizeof *out);
    cor_status st = check_spec(net, spec, err);
    if (st != COR_OK) return st;
    size_t n = spec->n_closed, words = (n + 63) / 64;
    restore_ctx c = {.spec = spec, .n = n, .words = words};
    c.cache.words = words;
    cor_restore_spec sp = *spec; /* with the defaults filled in */
    if (sp.horizon_days == 0) sp.horizon_days = DEFAULT_DAYS;
    c.spec = &sp;
    out->horizon_days = sp.horizon_days;
    out->n_steps = n;
    out->method = sp.method == COR_RESTORE_EXACT ||
                          (sp.method == COR_RESTORE_AUTO && n <= COR_RESTORE_EXACT_AUTO)
                      ? COR_RESTORE_EXACT
                      : COR_RESTORE_HEURISTIC;
    c.total_units = out->method == COR_RESTORE_EXACT ? (size_t)1 << n : n * (n + 3) / 2 + 2 * n + 2;
    cor_demand *own_demand = NULL;
    uint32_t *orders[COR_ORDER_COUNT] = {0};
    scratch s = {calloc(sp.crews, sizeof(double)), malloc(n * sizeof(double)),
                 malloc(n * sizeof(event)), calloc(words, sizeof(uint64_t))};
    bool ok = s.free_at && s.finish && s.ev && s.set;
    for (int o = 0; o < COR_ORDER_COUNT; o++)
        ok = (orders[o] = malloc(n * sizeof(uint32_t))) && ok;
    if (!ok) st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    if (st == COR_OK) st = prepare(&c, net, out, &own_demand, err);
    if (st == COR_OK) {
        search(&c, out, orders, &s);
        memset(s.set, 0, words * sizeof *s.set);
        out->initial = accessibility(&c, s.set);
        for (int o = 0; o < COR_ORDER_COUNT && !c.oom; o++)
            if (!fill_plan(&c, orders[o], &s, &out->plans[o])) c.oom = true;
        out->evaluations = c.cache.count;
        out->budget_reached = c.budget_reached;
        if (c.oom)
            st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
        else if (c.stopped) {
            out->optimal = false;
            st = cor_error_add(err, COR_ERR_CANCELLED, NULL, -1, -1, NULL,
                               "stopped: the order is the best found so far");
        } else if (spec->progress && spec->progress->fn)
            spec->progress->fn(spec->progress->ctx, c.total_units, c.total_units);
    }
    for (int o = 0; o < COR_ORDER_COUNT; o++)
        free(orders[o]);
    free(s.free_at);
    free(s.finish);
    free(s.ev);
    free(s.set);
    free(own_demand);
    ctx_free(&c);
    if (st != COR_OK && st != COR_ERR_CANCELLED) cor_restore_result_clear(out);
    return st;
}

void cor_restore_result_clear(cor_restore_result *r) {
    for (int o = 0; o < COR_ORDER_COUNT; o++) {
        free(r->plans[o].steps);
        free(r->plans[o].curve);
    }
    free(r->pairs_using);
    free(r->usable);
    free(r->depot_km);
    memset(r, 0, sizeof *r);
}

const char *cor_restore_order_name(cor_restore_order o) {
    static const char *const names[] = {"best", "shortest-first", "nearest-first"};
    return o < COR_ORDER_COUNT ? names[o] : NULL;
}
