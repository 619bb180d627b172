/*
 * test_core.c — the error record, strict number parsing, names, and the network builder's
 * validation (each semantic check at its place), independent of any file format.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "corridor.h"

static void test_error_record(void **state)
{
    (void)state;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_error_status(&err), COR_OK);
    assert_int_equal(cor_error_add(&err, COR_ERR_INPUT, "net.csv", 12, -1, "cost", "bad %s", "x"),
                     COR_ERR_INPUT);
    cor_error_add(&err, COR_ERR_IO, "b.geojson", -1, 3, NULL, "second");
    char buf[256];
    assert_string_equal(cor_problem_format(&err.problems[0], buf, sizeof buf),
                        "net.csv:12: field 'cost': bad x");
    assert_string_equal(cor_problem_format(&err.problems[1], buf, sizeof buf),
                        "b.geojson: feature 3: second");
    assert_int_equal(cor_error_status(&err), COR_ERR_INPUT);
    for (int i = 0; i < 500; i++) cor_error_add(&err, COR_ERR_INPUT, NULL, i, -1, NULL, "many");
    assert_int_equal(err.count, COR_MAX_PROBLEMS);
    assert_int_equal(err.dropped, 502 - COR_MAX_PROBLEMS);
    char tiny[8];
    cor_problem_format(&err.problems[0], tiny, sizeof tiny); /* truncates, no overflow */
    assert_int_equal(strlen(tiny), 7);
    cor_error_clear(&err);
    assert_int_equal(err.count, 0);
}

static void test_strict_numbers(void **state)
{
    (void)state;
    double d;
    long l;
    assert_true(cor_parse_double("12", &d) && d == 12);
    assert_true(cor_parse_double("-3.5e2", &d) && d == -350);
    const char *bad[] = {"", "12km", "nan", "NaN", "inf", "1e999", "0x10", " 1", "1 ", "--1", "."};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(cor_parse_double(bad[i], &d));
    assert_false(cor_parse_double(NULL, &d));
    assert_true(cor_parse_long("-42", &l) && l == -42);
    assert_false(cor_parse_long("4.2", &l));
    assert_false(cor_parse_long("99999999999999999999999", &l));
    assert_false(cor_parse_long("", &l));
}

static void test_names(void **state)
{
    (void)state;
    for (int m = 0; m < COR_MODE_COUNT; m++) {
        cor_mode back;
        assert_true(cor_mode_parse(cor_mode_name(m), &back));
        assert_int_equal(back, m);
    }
    cor_layer layer;
    cor_link_status st;
    cor_objective o;
    cor_format f;
    assert_true(cor_layer_parse("gas", &layer) && layer == COR_LAYER_GAS);
    assert_false(cor_layer_parse("water", &layer));
    assert_true(cor_link_status_parse("mined", &st) && st == COR_STATUS_MINED);
    assert_true(cor_objective_parse("generalized", &o) && o == COR_OPT_GENERALISED);
    assert_false(cor_objective_parse("speed", &o));
    assert_true(cor_format_parse("dimacs", &f) && f == COR_FORMAT_DIMACS);
    assert_false(cor_format_parse("shp", &f));
    assert_null(cor_mode_name(COR_MODE_COUNT));
}

/* ---------------------------------------------------------------- builder checks */

static void add_node(cor_builder *b, const char *id, double lon, double lat, long line)
{
    cor_node n;
    cor_node_init(&n);
    n.id = id;
    n.lon = lon;
    n.lat = lat;
    assert_int_equal(cor_builder_add_node(b, &n, line, -1), COR_OK);
}

static cor_link plain_link(const char *id, const char *from, const char *to)
{
    cor_link l;
    cor_link_init(&l);
    l.id = id;
    l.from_id = from;
    l.to_id = to;
    l.mode = COR_MODE_RAIL;
    return l;
}

/* Does some problem sit at `line` with `field` and contain `text`? */
static bool reported(const cor_error *err, long line, const char *field, const char *text)
{
    for (size_t i = 0; i < err->count; i++) {
        const cor_problem *p = &err->problems[i];
        if (p->line == line && strcmp(p->field, field) == 0 && strstr(p->message, text))
            return true;
    }
    return false;
}

static void test_builder_reports_every_problem(void **state)
{
    (void)state;
    cor_builder *b = cor_builder_new("net.csv");
    add_node(b, "A", 10, 10, 2);
    add_node(b, "A", 11, 11, 3);          /* duplicate */
    add_node(b, "B", 200, 10, 4);         /* lon out of range */
    add_node(b, "C", 10, NAN, 5);         /* half a position */
    cor_node n;
    cor_node_init(&n);
    n.id = "D";
    n.country = "Azerbaijan";             /* not ISO alpha-2 */
    n.transfer_hours = -1;                /* negative */
    assert_int_equal(cor_builder_add_node(b, &n, 6, -1), COR_OK);

    cor_link l = plain_link("L1", "A", "Z");  /* dangling */
    cor_builder_add_link(b, &l, NULL, 0, 10, -1);
    l = plain_link("L1", "A", "B");           /* duplicate link id */
    cor_builder_add_link(b, &l, NULL, 0, 11, -1);
    l = plain_link("L3", "A", "B");
    l.mode = COR_MODE_PIPELINE;               /* pipeline on transport */
    cor_builder_add_link(b, &l, NULL, 0, 12, -1);
    l = plain_link("L4", "A", "B");
    l.mode = COR_MODE_ROAD;
    l.gauge_mm = 1520;                        /* gauge on road */
    cor_builder_add_link(b, &l, NULL, 0, 13, -1);
    l = plain_link("L5", "A", "B");
    l.gauge_mm = 1234;                        /* unknown gauge */
    cor_builder_add_link(b, &l, NULL, 0, 14, -1);
    l = plain_link("L6", "A", "B");
    l.length_km = 100;
    l.speed_kmh = 50;
    l.duration_hours = 3;                     /* contradicts 100 / 50 = 2 */
    cor_builder_add_link(b, &l, NULL, 0, 15, -1);
    l = plain_link("L7", "A", "B");
    l.status = COR_STATUS_MINED;              /* no clearance effort */
    cor_builder_add_link(b, &l, NULL, 0, 16, -1);
    l = plain_link("L8", "A", "B");
    l.speed_kmh = 0;                          /* must be > 0 */
    l.cost = INFINITY;                        /* must be finite */
    cor_builder_add_link(b, &l, NULL, 0, 17, -1);
    double one_point[] = {10, 10};
    l = plain_link("L9", "A", "B");
    cor_builder_add_link(b, &l, one_point, 1, 18, -1);
    l = plain_link("L10", NULL, "B");
    l.from_id = NULL;                         /* neither id nor index */
    cor_builder_add_link(b, &l, NULL, 0, 19, -1);

    cor_network *net = (cor_network *)1;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_builder_finish(b, &net, &err), COR_ERR_INPUT);
    assert_null(net);
    assert_true(reported(&err, 3, "id", "duplicate node id 'A' (first defined at line 2)"));
    assert_true(reported(&err, 4, "lon", "out of range"));
    assert_true(reported(&err, 5, "lat", "missing"));
    assert_true(reported(&err, 6, "country", "Azerbaijan"));
    assert_true(reported(&err, 6, "transfer_hours", "negative"));
    assert_true(reported(&err, 10, "to", "'Z', which does not exist"));
    assert_true(reported(&err, 11, "id", "duplicate link id 'L1'"));
    assert_true(reported(&err, 12, "mode", "does not belong on the 'transport' layer"));
    assert_true(reported(&err, 13, "gauge_mm", "road"));
    assert_true(reported(&err, 14, "gauge_mm", "1234"));
    assert_true(reported(&err, 15, "duration_hours", "contradicts"));
    assert_true(reported(&err, 16, "clearance_days", "mined"));
    assert_true(reported(&err, 17, "speed_kmh", "greater than 0"));
    assert_true(reported(&err, 17, "cost", "finite"));
    assert_true(reported(&err, 18, "geometry", "two points"));
    assert_true(reported(&err, 19, "from", "has no from node"));
    assert_string_equal(err.problems[0].file, "net.csv");
    cor_error_clear(&err);
}

static void test_builder_good_network(void **state)
{
    (void)state;
    cor_builder *b = cor_builder_new("mem");
    add_node(b, "A", 49.8, 40.4, -1);
    add_node(b, "B", 44.8, 41.7, -1);
    double xy[] = {49.8, 40.4, 47, 41, 44.8, 41.7};
    cor_link l = plain_link("AB", "A", "B");
    l.gauge_mm = 1520;
    l.backward = false;
    assert_int_equal(cor_builder_add_link(b, &l, xy, 3, -1, 0), COR_OK);
    /* an end given by index */
    l = plain_link("BA", NULL, NULL);
    l.from = 1;
    l.to = 0;
    assert_int_equal(cor_builder_add_link(b, &l, NULL, 0, -1, 1), COR_OK);
    cor_network *net;
    assert_int_equal(cor_builder_finish(b, &net, NULL), COR_OK);
    assert_int_equal(cor_network_node_count(net), 2);
    assert_int_equal(cor_network_find_node(net, "B"), 1);
    assert_int_equal(cor_network_find_node(net, "nope"), COR_NONE);
    uint32_t ab = cor_network_find_link(net, "AB");
    const cor_link *got = cor_network_link(net, ab);
    assert_int_equal(got->from, 0);
    assert_int_equal(got->to, 1);
    assert_false(got->backward);
    assert_int_equal(got->geom_count, 3);
    assert_true(cor_network_coords(net)[2 * got->geom_first + 2] == 47);
    const cor_link *ba = cor_network_link(net, cor_network_find_link(net, "BA"));
    assert_string_equal(ba->from_id, "B");
    assert_null(cor_network_node(net, 2));
    cor_network_free(net);
}

static void test_builder_implicit_nodes(void **state)
{
    (void)state;
    cor_builder *b = cor_builder_new("edges.csv");
    cor_builder_set_implicit_nodes(b, true);
    char id[16], from[16], to[16];
    for (int i = 0; i < 1000; i++) { /* enough to regrow the node index */
        snprintf(id, sizeof id, "%d", i);
        snprintf(from, sizeof from, "%d", i);
        snprintf(to, sizeof to, "%d", i + 1);
        double xy[] = {i * 0.01, 0, (i + 1) * 0.01, 0};
        cor_link l = plain_link(id, from, to);
        cor_builder_add_link(b, &l, xy, 2, i + 2, -1);
    }
    cor_network *net;
    assert_int_equal(cor_builder_finish(b, &net, NULL), COR_OK);
    assert_int_equal(cor_network_node_count(net), 1001);
    uint32_t n = cor_network_find_node(net, "1000");
    assert_int_not_equal(n, COR_NONE);
    assert_true(fabs(cor_network_node(net, n)->lon - 10.0) < 1e-12);
    cor_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_record),
        cmocka_unit_test(test_strict_numbers),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_builder_reports_every_problem),
        cmocka_unit_test(test_builder_good_network),
        cmocka_unit_test(test_builder_implicit_nodes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
