/*
 * load_pgrouting.c — networks from a pgRouting edge table exported as CSV.
 *
 * Columns: id, source, target, cost, reverse_cost, and optionally capacity,
 * reverse_capacity and x1, y1, x2, y2 (others, such as a geometry, are ignored). The
 * meaning is pgRouting's own (pgr_dijkstra, pgr_maxFlow "Edges SQL"), so results can be
 * compared with it one to one:
 *   - a negative cost means no arc source→target, a negative reverse_cost no arc
 *     target→source; a missing reverse_cost column means -1 (one way). An edge with both
 *     negative is kept, with no arc at all, as pgRouting keeps it.
 *   - a negative capacity means no capacity in that direction: stored as 0 (not NaN,
 *     which for reverse_capacity would mean "same as forward"). A missing
 *     reverse_capacity column means -1, as in pgr_maxFlow.
 * Ids are integers; they become strings in their canonical decimal form ("007" → "7").
 * Nodes are not listed: the builder makes them from the link ends (implicit nodes), at
 * the position of the end point when x1..y2 are given.
 */
#include "load.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { ID, SOURCE, TARGET, COST, REVERSE_COST, CAPACITY, REVERSE_CAPACITY, X1, Y1, X2, Y2,
       N_COLUMNS };

static const char *const column_names[N_COLUMNS] = {
    "id", "source", "target", "cost", "reverse_cost", "capacity", "reverse_capacity",
    "x1", "y1", "x2", "y2"};

typedef struct pgr {
    cor_builder *b;
    cor_report *r;
    bool have_header;
    size_t n_columns;
    long at[N_COLUMNS]; /* the cell index of each column, -1 when absent */
    bool out_of_memory;
} pgr;

/* ---------------------------------------------------------------- header */

static bool read_header(pgr *g, char **cells, size_t n, long line)
{
    bool ok = true;
    g->have_header = true;
    g->n_columns = n;
    for (int k = 0; k < N_COLUMNS; k++) g->at[k] = -1;
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < N_COLUMNS; k++) {
            if (strcmp(cells[i], column_names[k]) != 0) continue;
            if (g->at[k] >= 0) {
                cor_report_add(g->r, COR_ERR_INPUT, line, -1, column_names[k],
                               "column appears twice in the header");
                ok = false;
            }
            g->at[k] = (long)i;
        }
    for (int k = ID; k <= COST; k++)
        if (g->at[k] < 0) {
            cor_report_add(g->r, COR_ERR_INPUT, line, -1, column_names[k],
                           "required column is missing from the header");
            ok = false;
        }
    int n_xy = (g->at[X1] >= 0) + (g->at[Y1] >= 0) + (g->at[X2] >= 0) + (g->at[Y2] >= 0);
    for (int k = X1; k <= Y2 && n_xy > 0 && n_xy < 4; k++)
        if (g->at[k] < 0) {
            cor_report_add(g->r, COR_ERR_INPUT, line, -1, column_names[k],
                           "column is missing: x1, y1, x2 and y2 go together");
            ok = false;
        }
    return ok;
}

/* ---------------------------------------------------------------- rows */

/* A row's cells by column, with the problems found reading them. */
typedef struct row {
    pgr *g;
    char **cells;
    long line;
    bool ok;
} row;

/* The cell of column k; NULL when the column is absent. */
static const char *cell(const row *w, int k)
{
    return w->g->at[k] >= 0 ? w->cells[w->g->at[k]] : NULL;
}

/* An integer id in canonical form into buf; "" after a report. */
static void read_id(row *w, int k, char *buf, size_t size)
{
    const char *s = cell(w, k);
    long v;
    buf[0] = '\0';
    if (!*s)
        cor_report_add(w->g->r, COR_ERR_INPUT, w->line, -1, column_names[k],
                       "required value is empty");
    else if (!cor_parse_long(s, &v))
        cor_report_add(w->g->r, COR_ERR_INPUT, w->line, -1, column_names[k],
                       "'%.40s' is not an integer id", s);
    else {
        snprintf(buf, size, "%ld", v);
        return;
    }
    w->ok = false;
}

/* A number; `fallback` when the column is absent, or (when `empty_ok`) the cell empty. */
static double read_number(row *w, int k, bool empty_ok, double fallback)
{
    const char *s = cell(w, k);
    double v;
    if (!s || (!*s && empty_ok)) return fallback;
    if (!*s)
        cor_report_add(w->g->r, COR_ERR_INPUT, w->line, -1, column_names[k],
                       "required value is empty");
    else if (cor_parse_double(s, &v)) return v;
    else
        cor_report_add(w->g->r, COR_ERR_INPUT, w->line, -1, column_names[k],
                       "'%.40s' is not a finite decimal number", s);
    w->ok = false;
    return NAN;
}

/* pgRouting's directions: a negative cost or capacity means "no arc that way". */
static void set_directions(cor_link *l, row *w)
{
    double cost = read_number(w, COST, false, NAN);
    double reverse = read_number(w, REVERSE_COST, false, -1);
    l->forward = !(cost < 0);
    l->backward = !(reverse < 0);
    l->cost = l->forward ? cost : NAN;
    l->reverse_cost = l->backward ? reverse : NAN;
    if (cell(w, CAPACITY)) {
        double cap = read_number(w, CAPACITY, true, NAN);
        double rcap = read_number(w, REVERSE_CAPACITY, true, -1);
        l->capacity = cap < 0 ? 0 : cap;
        l->reverse_capacity = rcap < 0 ? 0 : rcap;
    } else if (cell(w, REVERSE_CAPACITY)) {
        double rcap = read_number(w, REVERSE_CAPACITY, true, NAN);
        l->reverse_capacity = rcap < 0 ? 0 : rcap;
    }
}

/* The two end points into xy; false when the row has none (no columns or empty cells). */
static bool read_ends(row *w, double xy[4])
{
    if (!cell(w, X1)) return false;
    bool all = true;
    for (int k = X1; k <= Y2; k++) {
        xy[k - X1] = read_number(w, k, true, NAN);
        all = all && !isnan(xy[k - X1]);
    }
    return all;
}

static bool on_row(void *ctx, char **cells, size_t n, long line)
{
    pgr *g = ctx;
    if (!g->have_header) return read_header(g, cells, n, line);
    if (n != g->n_columns) {
        cor_report_add(g->r, COR_ERR_INPUT, line, -1, NULL,
                       "the row has %zu columns, the header has %zu", n, g->n_columns);
        return true;
    }
    row w = {g, cells, line, true};
    char id[24], from[24], to[24];
    double xy[4];
    cor_link l;
    cor_link_init(&l);
    read_id(&w, ID, id, sizeof id);
    read_id(&w, SOURCE, from, sizeof from);
    read_id(&w, TARGET, to, sizeof to);
    set_directions(&l, &w);
    bool has_ends = read_ends(&w, xy);
    if (!w.ok) return true;
    l.id = id;
    l.from_id = from;
    l.to_id = to;
    if (cor_builder_add_link(g->b, &l, has_ends ? xy : NULL, has_ends ? 2 : 0, line, -1) !=
        COR_OK)
        g->out_of_memory = true;
    return !g->out_of_memory;
}

cor_status cor_load_pgrouting(cor_builder *b, const char *path, cor_report *r)
{
    pgr g = {.b = b, .r = r};
    cor_builder_set_implicit_nodes(b, true);
    size_t before = r->problems;
    cor_status status = cor_csv_read(path, on_row, &g, r);
    if (status != COR_OK) return status;
    if (g.out_of_memory) {
        cor_report_add(r, COR_ERR_NOMEM, -1, -1, NULL, "out of memory");
        return COR_ERR_NOMEM;
    }
    if (!g.have_header && r->problems == before)
        cor_report_add(r, COR_ERR_INPUT, 1, -1, NULL,
                       "the file is empty: a header row (id,source,target,cost,...) is "
                       "required");
    return r->status;
}
