/*
 * test_scenario.c — scenarios as overlays and the corridor comparison, in the library.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "corridor.h"
#include "testutil.h"

static cor_network *load(void)
{
    char path[4096];
    cor_network *net;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_network_load(&net, cor_test_data("cli/corridors.geojson", path, sizeof path),
                                      COR_FORMAT_AUTO, &err), COR_OK);
    cor_error_clear(&err);
    return net;
}

static double hours(const cor_network *net, const cor_scenario *s, const char *from,
                    const char *to)
{
    cor_profile p;
    cor_profile_init(&p);
    p.objective = COR_OPT_TIME;
    p.scenario = s;
    cor_graph *g;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_graph_compile(&g, net, &p, &err), COR_OK);
    cor_route_query *q = cor_route_query_new(g);
    double d = cor_route_distance(q, cor_network_find_node(net, from), cor_network_find_node(net, to));
    cor_route_query_free(q);
    cor_graph_free(g);
    cor_error_clear(&err);
    return d;
}

static void test_overlay_leaves_network_alone(void **state)
{
    (void)state;
    cor_network *net = load();
    const char *text = "{\"name\": \"open\", \"changes\": [{\"op\": \"open\", \"links\": [\"PLANNED\"]}]}";
    cor_scenario *s;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_scenario_parse(&s, text, strlen(text), "mem", net, &err), COR_OK);
    assert_string_equal(cor_scenario_name(s), "open");
    uint32_t planned = cor_network_find_link(net, "PLANNED");
    assert_int_equal(cor_scenario_link_status(s, net, planned), COR_STATUS_OPEN);
    assert_int_equal(cor_network_link(net, planned)->status, COR_STATUS_PLANNED);
    assert_true(hours(net, NULL, "A", "E") == 64);
    assert_true(hours(net, s, "A", "E") == 40);
    assert_true(hours(net, NULL, "A", "E") == 64); /* unchanged after the scenario run */
    cor_scenario_free(s);

    text = "{\"name\": \"shut\", \"changes\": [{\"op\": \"close\", \"countries\": [\"KZ\"], "
           "\"nodes\": [\"F\"]}]}";
    assert_int_equal(cor_scenario_parse(&s, text, strlen(text), "mem", net, &err), COR_OK);
    assert_true(cor_scenario_node_closed(s, cor_network_find_node(net, "B")));
    assert_true(hours(net, s, "A", "E") == 100); /* only the direct road is left */
    cor_scenario_free(s);
    cor_error_clear(&err);
    cor_network_free(net);
}

static void test_faults_have_json_paths(void **state)
{
    (void)state;
    cor_network *net = load();
    struct {
        const char *text, *field, *message;
    } cases[] = {
        {"{\"name\": \"x\", \"changes\": [{\"op\": \"open\", \"links\": [\"NOPE\"]}]}",
         "changes[0].links[0]", "no link has the id 'NOPE'"},
        {"{\"name\": \"x\", \"changes\": [{\"op\": \"close\", \"nodes\": [1]}]}",
         "changes[0].nodes[0]", "must be a string"},
        {"{\"name\": \"x\", \"changes\": [{}, {\"op\": \"open\", \"nodes\": [\"A\"]}]}",
         "changes[0].op", "missing"},
        {"{\"name\": \"x\", \"changes\": {}}", "changes", "not an array"},
        {"{\"name\": \"x\", \"changes\": [], \"extra\": 1}", "extra", "unknown member"},
        {"[1, 2]", "", "must be a JSON object"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cor_scenario *s = (cor_scenario *)1;
        cor_error err;
        cor_error_init(&err);
        assert_int_equal(cor_scenario_parse(&s, cases[i].text, strlen(cases[i].text), "s.json",
                                            net, &err), COR_ERR_INPUT);
        assert_null(s);
        assert_string_equal(err.problems[0].field, cases[i].field);
        assert_non_null(strstr(err.problems[0].message, cases[i].message));
        assert_string_equal(err.problems[0].file, "s.json");
        cor_error_clear(&err);
    }
    cor_scenario *s;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_scenario_parse(&s, "{\"name\":", 8, "t.json", net, &err), COR_ERR_INPUT);
    assert_int_equal(err.problems[0].line, 1);
    cor_error_clear(&err);
    assert_int_equal(cor_scenario_load(&s, "/nonexistent/s.json", net, &err), COR_ERR_IO);
    cor_error_clear(&err);
    cor_network_free(net);
}

static void test_compare(void **state)
{
    (void)state;
    cor_network *net = load();
    assert_int_equal(cor_network_corridor_count(net), 3);
    assert_int_equal(cor_network_find_corridor(net, "north"), 1);
    const cor_corridor *c = cor_network_corridor(net, 0);
    assert_int_equal(c->n_groups, 2);
    assert_int_equal(c->through[1], cor_network_find_node(net, "D"));
    cor_profile p;
    cor_profile_init(&p);
    p.objective = COR_OPT_TIME;
    cor_corridor_result r[3];
    cor_error err;
    cor_error_init(&err);
    uint32_t a = cor_network_find_node(net, "A"), e = cor_network_find_node(net, "E");
    assert_int_equal(cor_compare(net, &p, a, e, r, &err), COR_OK);
    assert_int_equal(r[0].status, COR_OK);
    assert_true(r[0].route.totals.hours == 64);
    assert_int_equal(r[1].status, COR_OK);
    assert_true(r[1].route.totals.hours == 70); /* A-F-E by road, Kazakhstan avoided */
    assert_int_equal(r[2].status, COR_ERR_NO_ROUTE);
    /* the slowest element of the first is the ferry (20 h + 12 h wait) */
    assert_int_equal(r[0].route.legs[r[0].slowest_leg].link, cor_network_find_link(net, "CD"));
    cor_compare_clear(r, 3);
    /* the caller's filters narrow every corridor */
    const char *ru[] = {"RU"};
    p.avoid_countries = ru;
    p.n_avoid_countries = 1;
    assert_int_equal(cor_compare(net, &p, a, e, r, &err), COR_OK);
    assert_int_equal(r[1].status, COR_ERR_NO_ROUTE);
    cor_compare_clear(r, 3);
    cor_error_clear(&err);
    cor_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overlay_leaves_network_alone),
        cmocka_unit_test(test_faults_have_json_paths),
        cmocka_unit_test(test_compare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
