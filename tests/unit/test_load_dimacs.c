/*
 * test_load_dimacs.c — DIMACS .gr (+ .co) files: a small graph read arc by arc, the .co
 * found beside the .gr in every compression, strictness line by line, and the real road
 * graphs of the 9th Challenge (NY, with its load time printed) when the shared data is
 * there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <time.h>

#include "loadtest.h"

#define D COR_FORMAT_DIMACS
#define GR "c a graph\np sp 5 4\na 1 2 7\na 2 3 4\na 3 4 1\na 4 5 12\n"
#define CO "p aux sp co 5\nv 1 1000000 2000000\nv 2 -3 4\nv 3 5 6\nv 4 7 8\nv 5 9 10\n"

/* ---------------------------------------------------------------- good files */

static void small_graph(void **state)
{
    char path[512];
    cor_network *net =
        lt_load_ok(cor_test_data("dimacs/small.gr", path, sizeof path), COR_FORMAT_AUTO);
    assert_int_equal(cor_network_format(net), COR_FORMAT_DIMACS);
    assert_int_equal(cor_network_node_count(net), 5);
    assert_int_equal(cor_network_link_count(net), 8);
    for (uint32_t k = 0; k < 5; k++) { /* node k+1 has dense index k */
        char id[8];
        snprintf(id, sizeof id, "%u", k + 1);
        assert_int_equal(cor_network_find_node(net, id), k);
    }
    const cor_link *l = lt_link(net, "4"); /* the 4th arc: a 2 3 9, parallel to arc 3 */
    assert_string_equal(l->from_id, "2");
    assert_string_equal(l->to_id, "3");
    assert_int_equal(l->from, 1);
    assert_int_equal(l->to, 2);
    assert_float_equal(l->cost, 9, 0);
    assert_true(l->forward);
    assert_false(l->backward);
    assert_true(isnan(l->reverse_cost));
    assert_int_equal(l->geom_count, 0);
    assert_float_equal(lt_link(net, "3")->cost, 4, 0);
    assert_float_equal(lt_link(net, "5")->cost, 0, 0);   /* zero weight is allowed */
    assert_float_equal(lt_link(net, "8")->cost, 100, 0); /* tab-separated line */
    assert_int_equal(lt_link(net, "8")->to, 4);
    /* positions from small.co, in millionths of a degree */
    assert_float_equal(lt_node(net, "1")->lon, 49.8671, 1e-12);
    assert_float_equal(lt_node(net, "3")->lon, -44.7833, 1e-12);
    assert_float_equal(lt_node(net, "4")->lat, -42.1462, 1e-12);
    assert_float_equal(lt_node(net, "5")->lat, 0, 0);
    cor_network_free(net);
}

static void without_coordinates(void **state)
{
    char path[512];
    cor_network *net =
        lt_load_ok(cor_test_data("dimacs/nocoords.gr", path, sizeof path), COR_FORMAT_AUTO);
    assert_int_equal(cor_network_link_count(net), 8);
    assert_true(isnan(lt_node(net, "1")->lon));
    assert_true(isnan(lt_node(net, "5")->lat));
    cor_network_free(net);
}

/* Writes g.gr<gr_suffix> and, when co_name, that .co file, into a new folder; loads it. */
static cor_network *load_pair(const char *gr_name, const char *co_name)
{
    char dir[512], path[1024];
    lt_temp_dir(dir, sizeof dir);
    lt_write(dir, gr_name, GR);
    if (co_name) lt_write(dir, co_name, CO);
    snprintf(path, sizeof path, "%s/%s", dir, gr_name);
    cor_network *net = lt_load_ok(path, COR_FORMAT_AUTO);
    lt_remove_dir(dir);
    return net;
}

static void co_beside_gr_in_any_compression(void **state)
{
    static const char *const cases[][2] = {{"g.gr", "g.co"},       {"g.gr.gz", "g.co.gz"},
                                           {"g.gr.gz", "g.co"},    {"g.gr", "g.co.gz"},
                                           {"USA-road-t.X.gr", "USA-road-t.X.co"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cor_network *net = load_pair(cases[i][0], cases[i][1]);
        assert_float_equal(lt_node(net, "1")->lon, 1, 0);
        assert_float_equal(lt_node(net, "2")->lon, -3e-6, 1e-18);
        cor_network_free(net);
    }
    /* only the same stem: a .co of another name is not used */
    cor_network *net = load_pair("USA-road-t.X.gr", "USA-road-d.X.co");
    assert_true(isnan(lt_node(net, "1")->lon));
    cor_network_free(net);
}

static void explicit_format_and_line_endings(void **state)
{
    cor_network *net = lt_text_ok(".txt", "c x\r\np sp 2 1\r\na 1 2 5\r\n\r\n", D);
    assert_int_equal(cor_network_link_count(net), 1);
    assert_float_equal(lt_link(net, "1")->cost, 5, 0);
    cor_network_free(net);
    net = lt_text_ok(".gr", "p sp 3 0", COR_FORMAT_AUTO); /* no final newline, no arcs */
    assert_int_equal(cor_network_node_count(net), 3);
    assert_int_equal(cor_network_link_count(net), 0);
    cor_network_free(net);
    net = lt_text_ok(".gr", "p sp 2 1\na 1 2 9007199254740992\n", D); /* 2^53 */
    assert_float_equal(lt_link(net, "1")->cost, 9007199254740992.0, 0);
    cor_network_free(net);
}

/* ---------------------------------------------------------------- broken .gr */

static void arc_lines(void **state)
{
    const char *head = "p sp 5 1\n";
    static const struct {
        const char *arc, *field, *words;
    } cases[] = {
        {"a 1 2", "weight", "missing"},
        {"a 1", "to", "missing"},
        {"a", "from", "missing"},
        {"a 1 9 3", "to", "'9' is out of range 1..5"},
        {"a 0 2 3", "from", "'0' is out of range"},
        {"a 1 2 -3", "weight", "not a non-negative integer"},
        {"a 1 2 1.5", "weight", "'1.5'"},
        {"a 1 2 nan", "weight", "'nan'"},
        {"a 1 2 1e3", "weight", "'1e3'"},
        {"a 1 2 0x10", "weight", "'0x10'"},
        {"a 1 2 +3", "weight", "'+3'"},
        {"a 1 2 99999999999999999999", "weight", "out of range"},
        {"a 1 2 9007199254740993", "weight", "out of range"},
        {"a 18446744073709551616 2 3", "from", "out of range"},
        {"a 1 2 3 4", NULL, "unexpected '4'"},
        {"a1 2 3", NULL, "unexpected line"},
        {"arc 1 2 3", NULL, "unexpected line"},
        {" a 1 2 3", NULL, "unexpected line"},
        {"e 1 2 3", NULL, "unexpected line"},
    };
    char text[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(text, sizeof text, "c\n%s%s\n", head, cases[i].arc);
        lt_text_fails(".gr", text, D, 3, -1, cases[i].field, cases[i].words);
    }
}

static void headers(void **state)
{
    lt_text_fails(".gr", "", D, -1, -1, NULL, "no 'p sp");
    lt_text_fails(".gr", "c only comments\n", D, -1, -1, NULL, "no 'p sp");
    lt_text_fails(".gr", "c\na 1 2 3\np sp 2 1\n", D, 2, -1, NULL, "before the");
    lt_text_fails(".gr", "p sp 2\n", D, 1, -1, "arcs", "missing");
    lt_text_fails(".gr", "p max 2 1\n", D, 1, -1, NULL, "malformed header");
    lt_text_fails(".gr", "p sp -2 1\n", D, 1, -1, "nodes", NULL);
    lt_text_fails(".gr", "p sp 5000000000 1\n", D, 1, -1, "nodes", "out of range");
    lt_text_fails(".gr", "p sp 2 1 7\n", D, 1, -1, NULL, "unexpected '7'");
    lt_text_fails(".gr", "p sp 2 1\np sp 2 1\na 1 2 1\n", D, 2, -1, NULL, "second header");
    lt_text_fails(".gr", "p sp 2 2\na 1 2 1\n", D, 1, -1, "arcs", "announces 2 arcs, the file has 1");
    lt_text_fails(".gr", "p sp 2 0\na 1 2 1\n", D, 1, -1, "arcs", "announces 0");
}

/* issue 12: a header's counts are checked against the file before anything is allocated:
 * 18 bytes announcing 2e9 nodes, 17 announcing 12 million, more arcs than lines fit. */
static void declared_counts_against_the_file(void **state)
{
    assert_int_equal(lt_text_fails(".gr", "p sp 2000000000 0", D, 1, -1, "nodes",
                                   "announces 2000000000 nodes, more than a file of 17 bytes"),
                     1);
    lt_text_fails(".gr", "p sp 12000000 0\n", D, 1, -1, "nodes", "at most 1026");
    /* 12 bytes hold 2 * 0 + 12 / 8 + 1024 nodes that no arc names, and no more */
    cor_network *net = lt_text_ok(".gr", "p sp 1025 0\n", D);
    assert_int_equal(cor_network_node_count(net), 1025);
    cor_network_free(net);
    lt_text_fails(".gr", "p sp 1026 0\n", D, 1, -1, "nodes", "announces 1026 nodes");
    /* arcs: 8 bytes a line; the arcs of a refused header add no problem of their own */
    assert_int_equal(lt_text_fails(".gr", "p sp 5 100\na 1 2 3\n", D, 1, -1, "arcs",
                                   "announces 100 arcs, more than a file of 19 bytes"),
                     1);
    lt_text_fails(".gr", "p sp 5 2147483646\n", D, 1, -1, "arcs", "at most 2");
    net = lt_text_ok(".gr", "p sp 4 2\na 1 2 3\na 3 4 5", D); /* 7 bytes for the last */
    assert_int_equal(cor_network_link_count(net), 2);
    cor_network_free(net);
}

static void binary_and_truncated(void **state)
{
    char path[512];
    lt_load_fails(cor_test_data("broken/dimacs-binary.gr", path, sizeof path), COR_FORMAT_AUTO,
                  1, -1, NULL, "NUL byte");
    lt_load_fails(cor_test_data("broken/dimacs-truncated.gr", path, sizeof path),
                  COR_FORMAT_AUTO, 6, -1, "weight", "missing");
    lt_text_fails(".gr", "p sp 2 1\na 1 2 3\n\x01\x02garbage\n", D, 3, -1, NULL,
                  "unexpected line starting '??garbage'");
}

static void every_problem_is_reported(void **state)
{
    char path[512];
    cor_test_write_temp(".gr", "p sp 3 4\na 1 2 x\na 1 2 3\na 1 7 3\nb\n", (size_t)-1, path,
                        sizeof path);
    cor_error err;
    cor_error_init(&err);
    cor_network *net = NULL;
    assert_int_equal(cor_network_load(&net, path, COR_FORMAT_AUTO, &err), COR_ERR_INPUT);
    assert_null(net);
    assert_int_equal(err.count, 4);
    assert_non_null(lt_find(&err, 2, -1, "weight"));
    assert_non_null(lt_find(&err, 4, -1, "to"));
    assert_non_null(lt_find(&err, 5, -1, NULL));
    assert_non_null(lt_find(&err, 1, -1, "arcs")); /* 3 arc lines, 4 announced */
    cor_error_clear(&err);
    unlink(path);
}

/* ---------------------------------------------------------------- broken .co */

/* g.gr (good) beside a g.co of `co`: must fail in g.co at line, field. */
static void co_fails(const char *co, long line, const char *field, const char *words)
{
    char dir[512], gr[1024], want[1024];
    lt_temp_dir(dir, sizeof dir);
    lt_write(dir, "g.gr", GR);
    lt_write(dir, "g.co", co);
    snprintf(gr, sizeof gr, "%s/g.gr", dir);
    snprintf(want, sizeof want, "%s/g.co", dir);
    cor_error err;
    cor_error_init(&err);
    cor_network *net = NULL;
    assert_int_not_equal(cor_network_load(&net, gr, COR_FORMAT_AUTO, &err), COR_OK);
    assert_null(net);
    const cor_problem *p = lt_find(&err, line, -1, field);
    if (!p || !strstr(p->message, words)) lt_print_problems(&err);
    assert_non_null(p);
    assert_string_equal(p->file, want);
    assert_non_null(strstr(p->message, words));
    cor_error_clear(&err);
    lt_remove_dir(dir);
}

static void co_lines(void **state)
{
    co_fails("p aux sp co 5\nv 1 1 1\nv 2 1 1\nv 3 1 x\nv 4 1 1\nv 5 1 1\n", 4, "lat", "'x'");
    co_fails("p aux sp co 5\nv 1 1 1\nv 2 1 1\nv 3 1 1\nv 4 1 1\nv 9 1 1\n", 6, "id", "'9'");
    co_fails("p aux sp co 5\nv 1 1 1\nv 2 1 1\nv 2 1 1\nv 4 1 1\nv 5 1 1\n", 4, "id",
             "already");
    co_fails("p aux sp co 5\nv 1 1 1\nv 2 1 1\nv 3 1 1\nv 4 1 1\n", -1, NULL, "4 of the 5");
    co_fails("p aux sp co 6\nv 1 1 1\nv 2 1 1\nv 3 1 1\nv 4 1 1\nv 5 1 1\n", 1, "nodes",
             "announces 6");
    co_fails("p aux sp co 5\nv 1 1 1\nv 2 1 1\nv 3 1 95000000\nv 4 1 1\nv 5 1 1\n", 4, "lat",
             "out of range");
    co_fails("p aux sp co 5\nv 1 1 1\nv 2 -180000001 1\nv 3 1 1\nv 4 1 1\nv 5 1 1\n", 3, "lon",
             "out of range");
    co_fails("p aux sp co 5\nv 1 1 1\nv 2 1 1\nv 3 1 1 1\nv 4 1 1\nv 5 1 1\n", 4, NULL,
             "unexpected '1'");
    co_fails("p aux sp co 5\nv 1 1 1\nx 2 1 1\nv 3 1 1\nv 4 1 1\nv 5 1 1\n", 3, NULL,
             "unexpected line");
    co_fails("p aux sp co 5\nv 1 1 1\nv 2 - 1\nv 3 1 1\nv 4 1 1\nv 5 1 1\n", 3, "lon", "'-'");
}

/* ---------------------------------------------------------------- real road graphs */

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void new_york_road_graph(void **state)
{
    char path[512];
    if (!cor_test_shared_data("dimacs9/USA-road-d.NY.gr.gz", path, sizeof path)) skip();
    double t0 = seconds();
    cor_network *net = lt_load_ok(path, COR_FORMAT_AUTO);
    double t1 = seconds();
    print_message("USA-road-d.NY (.gr.gz + .co.gz): loaded in %.3f s\n", t1 - t0);
    assert_int_equal(cor_network_node_count(net), 264346);
    assert_int_equal(cor_network_link_count(net), 733846);
    double lo = INFINITY, hi = -INFINITY;
    for (uint32_t i = 0; i < cor_network_node_count(net); i++) {
        const cor_node *n = cor_network_node(net, i);
        lo = fmin(lo, n->lon);
        hi = fmax(hi, n->lon);
    }
    /* the README's range: -74.499998 to -73.500016 */
    assert_float_equal(lo, -74.499998, 1e-9);
    assert_float_equal(hi, -73.500016, 1e-9);
    double lo_w = INFINITY, hi_w = 0;
    for (uint32_t i = 0; i < cor_network_link_count(net); i++) {
        const cor_link *l = cor_network_link(net, i);
        lo_w = fmin(lo_w, l->cost);
        hi_w = fmax(hi_w, l->cost);
    }
    assert_float_equal(lo_w, 1, 0);
    assert_float_equal(hi_w, 36946, 0);
    cor_network_free(net);
}

static void rome_without_coordinates(void **state)
{
    char path[512];
    if (!cor_test_shared_data("dimacs9/rome99.gr", path, sizeof path)) skip();
    cor_network *net = lt_load_ok(path, COR_FORMAT_AUTO);
    assert_int_equal(cor_network_node_count(net), 3353);
    assert_int_equal(cor_network_link_count(net), 8870);
    assert_true(isnan(cor_network_node(net, 0)->lon));
    cor_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_graph),
        cmocka_unit_test(without_coordinates),
        cmocka_unit_test(co_beside_gr_in_any_compression),
        cmocka_unit_test(explicit_format_and_line_endings),
        cmocka_unit_test(arc_lines),
        cmocka_unit_test(headers),
        cmocka_unit_test(declared_counts_against_the_file),
        cmocka_unit_test(binary_and_truncated),
        cmocka_unit_test(every_problem_is_reported),
        cmocka_unit_test(co_lines),
        cmocka_unit_test(new_york_road_graph),
        cmocka_unit_test(rome_without_coordinates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
