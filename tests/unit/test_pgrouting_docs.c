/*
 * test_pgrouting_docs.c — the queries of pgRouting's documentation, answered by corridor.
 *
 * pgRouting's docs (3.4.2, in ../shared/data/pgrouting-3.4.2-doc) show each function run
 * on its sample network with the exact output. This test reads those pages' query and
 * result blocks itself — pgr_Dijkstra, pgr_dijkstraCost and pgr_KSP, directed, on the
 * `cost, reverse_cost` edge table — runs the same queries on tests/data/pgrouting/edges.csv
 * and requires the same aggregate costs, the same unreachable pairs (pgRouting prints no
 * row for them) and, for KSP, the same list of path costs. Undirected queries and queries
 * over other tables are skipped (counted, not silently).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "corridor.h"
#include "testutil.h"

#define MAXV 16

typedef struct query {
    enum { Q_DIJKSTRA, Q_COST, Q_KSP } kind;
    long starts[MAXV], ends[MAXV];
    int n_starts, n_ends;
    long k;
} query;

typedef struct fixture {
    cor_network *net;
    cor_graph *g;
    cor_route_query *q;
    int checked, skipped;
} fixture;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc(n + 1);
    if (fread(s, 1, n, f) != (size_t)n) n = 0;
    s[n] = '\0';
    fclose(f);
    return s;
}

/* "6" or "ARRAY[6, 1]" → values; returns the count, -1 when neither. */
static int parse_vids(const char *s, long *out)
{
    while (isspace((unsigned char)*s)) s++;
    if (strncasecmp(s, "ARRAY[", 6) != 0) {
        char *end;
        out[0] = strtol(s, &end, 10);
        return end == s ? -1 : 1;
    }
    int n = 0;
    for (s += 6; *s && *s != ']' && n < MAXV;) {
        char *end;
        out[n++] = strtol(s, &end, 10);
        if (end == s) return -1;
        s = end;
        while (*s == ',' || isspace((unsigned char)*s)) s++;
    }
    return n;
}

/* Splits the arguments after the edge SQL at top-level commas. */
static int split_args(char *s, char **args, int max)
{
    int n = 0, depth = 0;
    args[n++] = s;
    for (; *s; s++) {
        if (*s == '[' || *s == '(') depth++;
        else if (*s == ']') depth--;
        else if (*s == ')') {
            if (depth == 0) {
                *s = '\0';
                break;
            }
            depth--;
        } else if (*s == ',' && depth == 0 && n < max) {
            *s = '\0';
            args[n++] = s + 1;
        }
    }
    return n;
}

static bool parse_query(const char *text, query *q)
{
    static const char *const fns[] = {"pgr_Dijkstra(", "pgr_dijkstraCost(", "pgr_KSP("};
    const char *call = NULL;
    for (int i = 0; i < 3 && !call; i++)
        if ((call = strcasestr(text, fns[i]))) q->kind = i;
    if (!call || strstr(text, "=>") || strcasestr(text, "combinations")) return false;
    const char *sql = strcasestr(call, "'select id, source, target, cost, reverse_cost from edges'");
    if (!sql) return false;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", strchr(sql + 1, '\'') + 2);
    char *args[5];
    int n = split_args(buf, args, 5);
    if (n < 2) return false;
    for (int i = 2; i < n; i++) /* a trailing `false` means undirected */
        if (strcasestr(args[i], "false")) return false;
    q->n_starts = parse_vids(args[0], q->starts);
    q->n_ends = parse_vids(args[1], q->ends);
    q->k = q->kind == Q_KSP && n > 2 ? strtol(args[2], NULL, 10) : 0;
    return q->n_starts > 0 && q->n_ends > 0;
}

/* Index of a column in the header line, -1 when absent. */
static int column(const char *header, const char *name)
{
    int i = 0;
    char h[256];
    snprintf(h, sizeof h, "%s", header);
    for (char *t = strtok(h, "|\n"); t; t = strtok(NULL, "|\n"), i++) {
        while (isspace((unsigned char)*t)) t++;
        size_t len = strlen(t);
        while (len && isspace((unsigned char)t[len - 1])) t[--len] = '\0';
        if (strcmp(t, name) == 0) return i;
    }
    return -1;
}

static double cell(const char *row, int col)
{
    for (int i = 0; i < col; i++) row = strchr(row, '|') + 1;
    return strtod(row, NULL);
}

static uint32_t node(const fixture *fx, long vid)
{
    char id[32];
    snprintf(id, sizeof id, "%ld", vid);
    return cor_network_find_node(fx->net, id);
}

/* Compares one block's documented rows with corridor's answers. */
static void check_block(fixture *fx, const query *q, char *header, char *rows)
{
    int c_start = column(header, "start_vid"), c_end = column(header, "end_vid");
    int c_edge = column(header, "edge"), c_agg = column(header, "agg_cost");
    int c_path = column(header, "path_id");
    if (c_agg < 0) fail_msg("no agg_cost column in header [%s]", header);
    double expected[MAXV][MAXV];
    for (int i = 0; i < MAXV; i++)
        for (int j = 0; j < MAXV; j++) expected[i][j] = INFINITY;
    double ksp[64];
    int n_ksp = 0;
    for (char *line = strtok(rows, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strchr(line, '|')) break; /* "(N rows)" */
        if (c_edge >= 0 && cell(line, c_edge) != -1) continue;
        long s = c_start >= 0 ? (long)cell(line, c_start) : q->starts[0];
        long e = c_end >= 0 ? (long)cell(line, c_end) : q->ends[0];
        if (q->kind == Q_KSP && c_path >= 0) {
            ksp[n_ksp++] = cell(line, c_agg);
            continue;
        }
        for (int i = 0; i < q->n_starts; i++)
            for (int j = 0; j < q->n_ends; j++)
                if (q->starts[i] == s && q->ends[j] == e) expected[i][j] = cell(line, c_agg);
    }
    if (q->kind == Q_KSP) {
        cor_route routes[16];
        size_t found = 0;
        cor_error err;
        cor_error_init(&err);
        assert_int_equal(cor_route_alternatives(fx->q, node(fx, q->starts[0]), node(fx, q->ends[0]),
                                                (size_t)q->k, routes, &found, &err), COR_OK);
        assert_int_equal(found, n_ksp);
        for (size_t i = 0; i < found; i++) {
            assert_true(routes[i].totals.cost == ksp[i]);
            cor_route_clear(&routes[i]);
        }
        fx->checked++;
        return;
    }
    for (int i = 0; i < q->n_starts; i++)
        for (int j = 0; j < q->n_ends; j++) {
            if (q->starts[i] == q->ends[j]) continue; /* pgRouting prints nothing */
            double got = cor_route_distance(fx->q, node(fx, q->starts[i]), node(fx, q->ends[j]));
            if (got != expected[i][j])
                fail_msg("%ld -> %ld: corridor %g, pgRouting documents %g", q->starts[i],
                         q->ends[j], got, expected[i][j]);
            fx->checked++;
        }
}

static void check_page(fixture *fx, const char *page)
{
    char name[256], path[4096];
    snprintf(name, sizeof name, "pgrouting-3.4.2-doc/%s.examples.txt", page);
    if (!cor_test_shared_data(name, path, sizeof path)) skip();
    char *text = slurp(path);
    assert_non_null(text);
    for (char *block = strstr(text, "-- ===== block"); block;) {
        char *next = strstr(block + 1, "-- ===== block");
        if (next) next[0] = '\0';
        char *header = NULL;
        for (char *l = block; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
            if (strchr(l, '|') && (!strchr(l, '\n') || strchr(l, '|') < strchr(l, '\n'))) {
                header = l;
                break;
            }
        query q;
        if (header && (header[-1] = '\0', parse_query(block, &q))) {
            char *dashes = strchr(header, '\n');
            *dashes = '\0';
            char *rows = strchr(dashes + 1, '\n');
            check_block(fx, &q, header, rows ? rows + 1 : dashes + 1);
        } else {
            fx->skipped++;
        }
        if (next) next[0] = '-';
        block = next;
    }
    free(text);
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    char path[4096];
    cor_error err;
    cor_error_init(&err);
    if (cor_network_load(&fx->net, cor_test_data("pgrouting/edges.csv", path, sizeof path),
                         COR_FORMAT_PGROUTING, &err) != COR_OK)
        return -1;
    cor_profile p;
    cor_profile_init(&p);
    if (cor_graph_compile(&fx->g, fx->net, &p, &err) != COR_OK) return -1;
    fx->q = cor_route_query_new(fx->g);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    printf("pgRouting docs: %d results checked, %d blocks skipped (undirected or other tables)\n",
           fx->checked, fx->skipped);
    cor_route_query_free(fx->q);
    cor_graph_free(fx->g);
    cor_network_free(fx->net);
    free(fx);
    return 0;
}

static void test_dijkstra(void **state)
{
    fixture *fx = *state;
    int before = fx->checked;
    check_page(fx, "pgr_dijkstra");
    assert_true(fx->checked - before >= 10);
}

static void test_dijkstra_cost(void **state)
{
    fixture *fx = *state;
    int before = fx->checked;
    check_page(fx, "pgr_dijkstraCost");
    assert_true(fx->checked - before >= 5);
}

static void test_ksp(void **state)
{
    fixture *fx = *state;
    int before = fx->checked;
    check_page(fx, "pgr_KSP");
    assert_true(fx->checked - before >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dijkstra),
        cmocka_unit_test(test_dijkstra_cost),
        cmocka_unit_test(test_ksp),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
