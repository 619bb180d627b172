/*
 * test_scenario.c — scenarios as overlays and the corridor comparison, in the library.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corridor.h"
#include "testutil.h"

static cor_network *load_file(const char *rel)
{
    char path[4096];
    cor_network *net;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_network_load(&net, cor_test_data(rel, path, sizeof path), COR_FORMAT_AUTO, &err),
                     COR_OK);
    cor_error_clear(&err);
    return net;
}

static cor_network *load(void)
{
    return load_file("cli/corridors.geojson");
}

static cor_totals route_on(const cor_network *net, const cor_scenario *s, cor_objective o,
                           const char *from, const char *to, cor_status want);

static double hours(const cor_network *net, const cor_scenario *s, const char *from,
                    const char *to)
{
    return route_on(net, s, COR_OPT_TIME, from, to, COR_OK).hours;
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

/* The scenario text is refused, its first problem at `field` with `message` in it. */
static void expect_fault(const cor_network *net, const char *text, const char *field,
                         const char *message)
{
    cor_scenario *s = (cor_scenario *)1;
    cor_error err;
    cor_error_init(&err);
    cor_status st = cor_scenario_parse(&s, text, strlen(text), "s.json", net, &err);
    if (st != COR_ERR_INPUT || !err.count || strcmp(err.problems[0].field, field) ||
        !strstr(err.problems[0].message, message))
        fail_msg("%s: status %d, field '%s', message '%s'", text, st, err.count ? err.problems[0].field : "",
                 err.count ? err.problems[0].message : "");
    assert_null(s);
    assert_string_equal(err.problems[0].file, "s.json");
    cor_error_clear(&err);
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
        {"{\"name\": \"x\", \"changes\": [{\"op\": \"close\", \"\": 1, \"links\": [\"AB\"]}]}",
         "changes[0].", "unknown member of a \"close\" change"}, /* read past a string once */
        {"{\"name\": \"x\", \"changes\": [{\"op\": \"close\", \"nodes\": [1]}]}",
         "changes[0].nodes[0]", "must be a string"},
        {"{\"name\": \"x\", \"changes\": [{}, {\"op\": \"open\", \"nodes\": [\"A\"]}]}",
         "changes[0].op", "missing"},
        {"{\"name\": \"x\", \"changes\": {}}", "changes", "not an array"},
        {"{\"name\": \"x\", \"changes\": [], \"extra\": 1}", "extra", "unknown member"},
        {"[1, 2]", "", "must be a JSON object"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_fault(net, cases[i].text, cases[i].field, cases[i].message);
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

/* ---------------------------------------------------------------- the full format */

/* tests/data/scenario/net.geojson: A (CN) -rail- B (KZ) -rail- C (KZ port) -ferry- D (AZ
 * port) -rail- G (GE) -rail/road/gas- T (TR), and D -mined rail- M (AZ) -rail- T. By time,
 * A -> T is 93 h (16 + 4 transship + 2 + 3 transfer + 20 + 12 wait + 2 transfer + 14 + 5
 * transship + 15); by cost 1030 USD; the most A can send T is 300 a year (the ferry). */
static cor_network *load_net(void)
{
    return load_file("scenario/net.geojson");
}

static cor_scenario *parse(const cor_network *net, const char *changes)
{
    char text[4096];
    snprintf(text, sizeof text, "{\"name\": \"t\", \"changes\": [%s]}", changes);
    cor_scenario *s = NULL;
    cor_error err;
    cor_error_init(&err);
    cor_status st = cor_scenario_parse(&s, text, strlen(text), "t.json", net, &err);
    if (st != COR_OK) {
        char buf[1024];
        fail_msg("%s", cor_problem_format(&err.problems[0], buf, sizeof buf));
    }
    cor_error_clear(&err);
    return s;
}

/* The route A -> T under the scenario, on the network given (the base or the scenario's). */
static cor_totals route_on(const cor_network *net, const cor_scenario *s, cor_objective o,
                           const char *from, const char *to, cor_status want)
{
    cor_profile p;
    cor_profile_init(&p);
    p.objective = o;
    p.scenario = s;
    cor_graph *g;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_graph_compile(&g, net, &p, &err), COR_OK);
    cor_route_query *q = cor_route_query_new(g);
    cor_route r;
    cor_totals t = {.hours = INFINITY, .usd = INFINITY};
    assert_int_equal(cor_route_shortest(q, cor_network_find_node(net, from), cor_network_find_node(net, to),
                                        &r, &err), want);
    if (want == COR_OK) {
        t = r.totals;
        double hours = 0; /* legs add up to the totals */
        for (size_t i = 0; i < r.n_legs; i++) hours += r.legs[i].hours;
        assert_true(fabs(hours - t.hours) < 1e-9);
        cor_route_clear(&r);
    }
    cor_route_query_free(q);
    cor_graph_free(g);
    cor_error_clear(&err);
    return t;
}

static double hours_at(const cor_network *net, const cor_scenario *s)
{
    return route_on(net, s, COR_OPT_TIME, "A", "T", COR_OK).hours;
}

static double flow(const cor_network *net, const cor_scenario *s, unsigned layers, const char *from,
                   const char *to)
{
    cor_profile p;
    cor_profile_init(&p);
    p.layers = layers;
    p.scenario = s;
    uint32_t a = cor_network_find_node(net, from), b = cor_network_find_node(net, to);
    cor_flow_spec spec = {&p, &a, 1, &b, 1, true, false};
    cor_flow_result r;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_maxflow(net, &spec, &r, &err), COR_OK);
    double v = r.value;
    cor_flow_result_clear(&r);
    cor_error_clear(&err);
    return v;
}

static void test_set_changes_every_measure(void **state)
{
    (void)state;
    cor_network *net = load_net();
    assert_true(hours_at(net, NULL) == 93);
    struct {
        const char *change;
        double hours;
    } cases[] = {
        {"{\"op\": \"set\", \"links\": [\"BC\"], \"speed_kmh\": 25}", 95},        /* 2 h -> 4 h */
        {"{\"op\": \"set\", \"links\": [\"AB\"], \"border_dwell_hours\": 12}", 99},
        {"{\"op\": \"set\", \"links\": [\"CD\"], \"frequency_per_week\": 14}", 87}, /* wait 6 h */
        {"{\"op\": \"set\", \"links\": [\"CD\"], \"headway_hours\": 48}", 105},     /* wait 24 h */
        {"{\"op\": \"set\", \"links\": [\"CD\"], \"duration_hours\": 30}", 103},
        {"{\"op\": \"set\", \"links\": [\"AB\"], \"speed_kmh\": 65}", 93},          /* replaces 10 h */
        {"{\"op\": \"set\", \"nodes\": [\"C\"], \"transfer_hours\": 10}", 100},
        {"{\"op\": \"set\", \"nodes\": [\"G\"], \"transship_hours\": 1}", 89},
        {"{\"op\": \"set\", \"borders\": [[\"GE\", \"TR\"]], \"border_dwell_hours\": 0}", 83},
        {"{\"op\": \"open\", \"links\": [\"DM\"]}", 74},                           /* mined, cleared */
        {"{\"op\": \"close\", \"borders\": [[\"TR\", \"GE\"]]}, {\"op\": \"open\", \"links\": [\"DM\"]}", 74},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cor_scenario *s = parse(net, cases[i].change);
        double h = hours_at(net, s);
        if (h != cases[i].hours) fail_msg("%s: %g h, expected %g", cases[i].change, h, cases[i].hours);
        /* the scenario's own network gives the same */
        assert_true(hours_at(cor_scenario_network(s), s) == cases[i].hours);
        cor_scenario_free(s);
    }
    /* cost: legs' USD and totals follow a new cost */
    assert_true(route_on(net, NULL, COR_OPT_COST, "A", "T", COR_OK).usd == 1030);
    cor_scenario *s = parse(net, "{\"op\": \"set\", \"links\": [\"CD\"], \"cost\": 600, \"co2_kg\": 1}");
    cor_totals t = route_on(net, s, COR_OPT_COST, "A", "T", COR_OK);
    assert_true(t.usd == 1330 && t.co2_kg == 103 - 59);
    cor_scenario_free(s);
    cor_network_free(net);
}

static void test_close_border_and_layers(void **state)
{
    (void)state;
    cor_network *net = load_net();
    unsigned gas = 1u << COR_LAYER_GAS;
    cor_scenario *s = parse(net, "{\"op\": \"close\", \"borders\": [[\"GE\", \"TR\"]], \"layers\": [\"transport\"]}");
    route_on(net, s, COR_OPT_TIME, "A", "T", COR_ERR_NO_ROUTE); /* M is behind a mined link */
    assert_true(flow(net, s, gas, "G", "T") == 20);              /* the pipeline still runs */
    assert_int_equal(cor_scenario_link_status(s, net, cor_network_find_link(net, "GT-road")), COR_STATUS_CLOSED);
    cor_scenario_free(s);
    s = parse(net, "{\"op\": \"close\", \"borders\": [[\"GE\", \"TR\"]]}");
    assert_true(flow(net, s, gas, "G", "T") == 0);
    cor_scenario_free(s);
    s = parse(net, "{\"op\": \"close\", \"nodes\": [\"C\"]}");
    route_on(net, s, COR_OPT_TIME, "A", "T", COR_ERR_NO_ROUTE);
    assert_true(flow(net, s, 0, "A", "T") == 0);
    cor_scenario_free(s);
    cor_network_free(net);
}

static void test_scale_capacity(void **state)
{
    (void)state;
    cor_network *net = load_net();
    assert_true(flow(net, NULL, 0, "A", "T") == 300);
    struct {
        const char *change;
        double value;
    } cases[] = {
        {"{\"op\": \"scale\", \"links\": [\"CD\"], \"capacity\": 0.5}", 150},
        {"{\"op\": \"scale\", \"links\": [\"CD\"], \"capacity\": 2}", 500}, /* then node C: 500 */
        {"{\"op\": \"scale\", \"nodes\": [\"C\"], \"capacity\": 0.2}", 100},
        {"{\"op\": \"scale\", \"links\": [\"CD\"], \"capacity\": 0}", 0},
        {"{\"op\": \"set\", \"links\": [\"CD\"], \"capacity\": 50}", 50},
        {"{\"op\": \"scale\", \"borders\": [[\"GE\", \"TR\"]], \"capacity\": 0.1}", 50},
        /* C and the ferry tripled, M opened: 500 by G and T, 200 by M */
        {"{\"op\": \"scale\", \"links\": [\"CD\"], \"nodes\": [\"C\"], \"capacity\": 3},"
         " {\"op\": \"open\", \"links\": [\"DM\"]}", 700},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cor_scenario *s = parse(net, cases[i].change);
        double v = flow(net, s, 0, "A", "T");
        if (v != cases[i].value) fail_msg("%s: %g, expected %g", cases[i].change, v, cases[i].value);
        cor_scenario_free(s);
    }
    cor_network_free(net);
}

static void test_add_links_and_nodes(void **state)
{
    (void)state;
    cor_network *net = load_net();
    cor_scenario *s = parse(net,
        "{\"op\": \"add\", \"links\": [{\"id\": \"BD\", \"from\": \"B\", \"to\": \"D\", \"mode\": \"rail\","
        " \"gauge_mm\": 1520, \"length_km\": 800, \"speed_kmh\": 80, \"cost\": 100, \"co2_kg\": 10,"
        " \"capacity\": 50, \"geometry\": {\"type\": \"LineString\", \"coordinates\": [[72, 43], [56, 43]]}}]}");
    const cor_network *own = cor_scenario_network(s);
    assert_ptr_not_equal(own, net);
    assert_int_equal(cor_network_link_count(own), cor_network_link_count(net) + 1);
    assert_int_equal(cor_network_link_count(net), 9);
    uint32_t bd = cor_network_find_link(own, "BD");
    assert_int_equal(bd, 9); /* after the base's, whose indices stay */
    assert_int_equal(cor_network_find_link(own, "CD"), cor_network_find_link(net, "CD"));
    assert_int_equal(cor_network_link(own, bd)->geom_count, 2);
    assert_true(hours_at(own, s) == 64); /* 16 + 4 + 10 + 14 + 5 + 15 */
    assert_true(flow(own, s, 0, "A", "T") == 350);
    /* the base with a scenario that adds links is refused: results could name BD */
    cor_profile p;
    cor_profile_init(&p);
    p.scenario = s;
    cor_graph *g = (cor_graph *)1;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_graph_compile(&g, net, &p, &err), COR_ERR_USAGE);
    assert_null(g);
    assert_non_null(strstr(err.problems[0].message, "cor_scenario_network"));
    cor_error_clear(&err);
    cor_scenario_free(s);

    /* a new node, a link to it that a later change sets and closes */
    s = parse(net,
        "{\"op\": \"add\", \"nodes\": [{\"id\": \"N\", \"country\": \"GE\", \"lon\": 44, \"lat\": 41}],"
        " \"links\": [{\"id\": \"GN\", \"from\": \"G\", \"to\": \"N\", \"mode\": \"road\", \"duration_hours\": 2,"
        " \"cost\": 5}]}, {\"op\": \"set\", \"links\": [\"GN\"], \"duration_hours\": 3}");
    own = cor_scenario_network(s);
    assert_int_equal(cor_network_find_node(own, "N"), 7);
    assert_true(cor_network_link(own, cor_network_find_link(own, "GN"))->duration_hours == 3);
    cor_scenario_free(s);
    s = parse(net, "{\"op\": \"add\", \"links\": [{\"id\": \"X\", \"from\": \"A\", \"to\": \"T\", \"mode\": \"road\","
                   " \"duration_hours\": 1}]}, {\"op\": \"close\", \"links\": [\"X\"]}");
    assert_true(hours_at(cor_scenario_network(s), s) == 93);
    cor_scenario_free(s);
    cor_network_free(net);
}

static void test_durations_and_pair(void **state)
{
    (void)state;
    cor_network *net = load_net();
    cor_scenario *s = parse(net, "{\"op\": \"close\", \"links\": [\"CD\"], \"duration_days\": 16},"
                                 "{\"op\": \"open\", \"links\": [\"DM\"]},"
                                 "{\"op\": \"scale\", \"links\": [\"AB\"], \"capacity\": 0.5, \"duration_days\": 30.5}");
    assert_int_equal(cor_scenario_change_count(s), 3);
    assert_true(cor_scenario_change_days(s, 0) == 16);
    assert_true(isnan(cor_scenario_change_days(s, 1)));
    assert_true(cor_scenario_duration_days(s) == 30.5);
    uint32_t a, b;
    cor_scenario_pair(s, &a, &b);
    assert_int_equal(a, COR_NONE);
    cor_scenario_free(s);
    const char *text = "{\"name\": \"p\", \"from\": \"A\", \"to\": \"T\", \"changes\": []}";
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_scenario_parse(&s, text, strlen(text), "p", net, &err), COR_OK);
    cor_scenario_pair(s, &a, &b);
    assert_int_equal(a, cor_network_find_node(net, "A"));
    assert_int_equal(b, cor_network_find_node(net, "T"));
    assert_true(isnan(cor_scenario_duration_days(s)));
    assert_ptr_equal(cor_scenario_network(s), net); /* nothing to copy */
    cor_scenario_free(s);
    cor_error_clear(&err);
    cor_network_free(net);
}

static void test_every_fault_has_its_path(void **state)
{
    (void)state;
    cor_network *net = load_net();
    struct {
        const char *changes, *field, *message;
    } cases[] = {
        {"{\"op\": \"set\", \"links\": [\"NOPE\"], \"cost\": 1}", "changes[0].links[0]", "no link has the id 'NOPE'"},
        {"{\"op\": \"set\", \"links\": [\"AB\"], \"cost\": -1}", "changes[0].cost", "0 or more"},
        {"{\"op\": \"set\", \"links\": [\"AB\"], \"cost\": \"12\"}", "changes[0].cost", "must be a number"},
        {"{\"op\": \"set\", \"links\": [\"AB\"], \"speed_kmh\": 0}", "changes[0].speed_kmh", "greater than 0"},
        {"{\"op\": \"set\", \"links\": [\"AB\"], \"colour\": 1}", "changes[0].colour", "unknown member"},
        {"{\"op\": \"set\", \"links\": [\"AB\"]}", "changes[0]", "at least one figure"},
        {"{\"op\": \"set\", \"links\": [\"AB\"], \"transfer_hours\": 1}", "changes[0].transfer_hours", "names no nodes"},
        {"{\"op\": \"set\", \"nodes\": [\"A\"], \"cost\": 1}", "changes[0].cost", "names no links"},
        {"{\"op\": \"set\", \"links\": [\"CD\"], \"headway_hours\": 1, \"frequency_per_week\": 2}", "changes[0]", "not both"},
        {"{\"op\": \"set\", \"links\": [\"GT-gas\"], \"speed_kmh\": 10}", "changes[0].speed_kmh", "no length_km"},
        {"{\"op\": \"scale\", \"links\": [\"AB\"], \"capacity\": -2}", "changes[0].capacity", "factor"},
        {"{\"op\": \"scale\", \"links\": [\"AB\"]}", "changes[0].capacity", "factor"},
        {"{\"op\": \"scale\", \"countries\": [\"KZ\"], \"capacity\": 1}", "changes[0].countries", "unknown member"},
        {"{\"op\": \"close\", \"links\": [\"AB\"], \"duration_days\": 0}", "changes[0].duration_days", "greater than 0"},
        {"{\"op\": \"close\", \"links\": [\"AB\"], \"duration_days\": \"3\"}", "changes[0].duration_days", "number of days"},
        {"{\"op\": \"close\", \"borders\": [[\"GE\"]]}", "changes[0].borders[0]", "two different country codes"},
        {"{\"op\": \"close\", \"borders\": [[\"GE\", \"GE\"]]}", "changes[0].borders[0]", "two different"},
        {"{\"op\": \"close\", \"borders\": [[\"CN\", \"TR\"]]}", "changes[0].borders[0]", "no link joins CN and TR"},
        {"{\"op\": \"close\", \"borders\": [[\"GE\", \"TR\"]], \"layers\": [\"water\"]}", "changes[0].layers[0]", "layer name"},
        {"{\"op\": \"close\", \"links\": [\"AB\"], \"layers\": [\"gas\"]}", "changes[0].layers", "applies to borders"},
        {"{\"op\": \"close\"}", "changes[0]", "names nothing"},
        {"{\"op\": \"open\", \"nodes\": [\"A\"]}", "changes[0].nodes", "unknown member of a \"open\" change"},
        {"{\"op\": \"explode\"}", "changes[0].op", "unknown operation 'explode'"},
        {"\"close\"", "changes[0]", "must be an object"},
        {"{\"op\": \"add\", \"links\": [{\"id\": \"AB\", \"from\": \"A\", \"to\": \"B\", \"mode\": \"rail\"}]}",
         "changes[0].links[0]", "has the id 'AB' already"},
        {"{\"op\": \"add\", \"links\": [{\"id\": \"Z\", \"from\": \"A\", \"to\": \"Q\", \"mode\": \"rail\"}]}",
         "changes[0].links[0].to", "no node has the id 'Q'"},
        {"{\"op\": \"add\", \"links\": [{\"id\": \"Z\", \"from\": \"A\", \"to\": \"B\", \"mode\": \"tram\"}]}",
         "changes[0].links[0].mode", "unknown mode 'tram'"},
        {"{\"op\": \"add\", \"links\": [{\"id\": \"Z\", \"from\": \"A\", \"to\": \"B\"}]}", "changes[0].links[0].mode",
         "required"},
        {"{\"op\": \"add\", \"links\": [{\"id\": \"Z\", \"from\": \"A\", \"to\": \"B\", \"mode\": \"rail\", \"size\": 3}]}",
         "changes[0].links[0].size", "unknown member"},
        {"{\"op\": \"add\", \"links\": [{\"id\": \"Z\", \"from\": \"A\", \"to\": \"B\", \"mode\": \"rail\","
         " \"geometry\": {\"type\": \"Point\"}}]}", "changes[0].links[0].geometry", "LineString"},
        /* found by the builder's checks, reported at the element's place */
        {"{\"op\": \"add\", \"links\": [{\"id\": \"Z\", \"from\": \"A\", \"to\": \"B\", \"mode\": \"rail\","
         " \"status\": \"mined\"}]}", "changes[0].links[0].clearance_days", "clearance effort"},
        {"{\"op\": \"add\", \"links\": [{\"id\": \"Z\", \"from\": \"A\", \"to\": \"B\", \"mode\": \"road\","
         " \"gauge_mm\": 1520}]}", "changes[0].links[0].gauge_mm", "only rail"},
        {"{\"op\": \"add\", \"nodes\": [{\"id\": \"N\", \"lon\": 500, \"lat\": 1}]}", "changes[0].nodes[0].lon",
         "out of range"},
        {"{\"op\": \"add\", \"nodes\": [{\"id\": \"N\", \"lat\": 1}]}", "changes[0].nodes[0].lon", "required"},
        {"{\"op\": \"close\", \"links\": [\"AB\"]}, {\"op\": \"add\", \"nodes\": [{\"id\": \"N\", \"lon\": 1,"
         " \"lat\": 1, \"country\": \"Georgia\"}]}", "changes[1].nodes[0].country", "ISO 3166-1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[2048];
        snprintf(text, sizeof text, "{\"name\": \"x\", \"changes\": [%s]}", cases[i].changes);
        expect_fault(net, text, cases[i].field, cases[i].message);
    }
    /* top-level from/to, and malformed JSON with its line */
    const char *bad[] = {"{\"name\": \"x\", \"from\": \"Q\", \"changes\": []}",
                         "{\"name\": \"x\", \"to\": 3, \"changes\": []}",
                         "{\"name\": \"x\",\n \"changes\": [}"};
    const char *field[] = {"from", "to", ""};
    for (size_t i = 0; i < 3; i++) {
        cor_scenario *s;
        cor_error err;
        cor_error_init(&err);
        assert_int_equal(cor_scenario_parse(&s, bad[i], strlen(bad[i]), "s.json", net, &err), COR_ERR_INPUT);
        assert_string_equal(err.problems[0].field, field[i]);
        if (i == 2) {
            assert_int_equal(err.problems[0].line, 2);
            assert_non_null(strstr(err.problems[0].message, "column"));
        }
        cor_error_clear(&err);
    }
    cor_network_free(net);
}

/* Every field of every node and link, and the coordinates, as bytes. */
typedef struct snapshot {
    void *nodes, *links, *coords;
    size_t nn, nl, nc;
} snapshot;

static snapshot take(const cor_network *net)
{
    snapshot s = {NULL, NULL, NULL, cor_network_node_count(net), cor_network_link_count(net), 0};
    for (uint32_t i = 0; i < s.nl; i++) {
        const cor_link *l = cor_network_link(net, i);
        if (l->geom_first + l->geom_count > s.nc) s.nc = l->geom_first + l->geom_count;
    }
    s.nodes = malloc(s.nn * sizeof(cor_node));
    s.links = malloc(s.nl * sizeof(cor_link));
    s.coords = malloc(2 * s.nc * sizeof(double) + 1);
    memcpy(s.nodes, cor_network_node(net, 0), s.nn * sizeof(cor_node));
    memcpy(s.links, cor_network_link(net, 0), s.nl * sizeof(cor_link));
    memcpy(s.coords, cor_network_coords(net), 2 * s.nc * sizeof(double));
    return s;
}

static void assert_same(const cor_network *net, snapshot *s)
{
    assert_int_equal(cor_network_node_count(net), s->nn);
    assert_int_equal(cor_network_link_count(net), s->nl);
    assert_memory_equal(s->nodes, cor_network_node(net, 0), s->nn * sizeof(cor_node));
    assert_memory_equal(s->links, cor_network_link(net, 0), s->nl * sizeof(cor_link));
    assert_memory_equal(s->coords, cor_network_coords(net), 2 * s->nc * sizeof(double));
    for (uint32_t i = 0; i < s->nl; i++) /* and the index still finds every id */
        assert_int_equal(cor_network_find_link(net, cor_network_link(net, i)->id), i);
    free(s->nodes), free(s->links), free(s->coords);
}

static void test_network_unchanged_and_side_by_side(void **state)
{
    (void)state;
    cor_network *net = load_net();
    snapshot before = take(net);
    cor_scenario *slow = parse(net, "{\"op\": \"set\", \"links\": [\"BC\"], \"speed_kmh\": 25},"
                                    "{\"op\": \"scale\", \"links\": [\"CD\"], \"capacity\": 0.5},"
                                    "{\"op\": \"close\", \"borders\": [[\"GE\", \"TR\"]], \"layers\": [\"gas\"]}");
    cor_scenario *fast = parse(net, "{\"op\": \"open\", \"links\": [\"DM\"]},"
                                    "{\"op\": \"set\", \"nodes\": [\"C\"], \"transfer_hours\": 1}");
    cor_scenario *added = parse(net, "{\"op\": \"add\", \"links\": [{\"id\": \"BD\", \"from\": \"B\", \"to\": \"D\","
                                     " \"mode\": \"road\", \"duration_hours\": 1, \"capacity\": 5}]}");
    for (int round = 0; round < 2; round++) { /* interleaved, in either order */
        assert_true(hours_at(net, slow) == 95);
        assert_true(hours_at(net, fast) == 72);
        assert_true(hours_at(net, NULL) == 93);
        assert_true(flow(net, slow, 0, "A", "T") == 150);
        assert_true(flow(net, fast, 0, "A", "T") == 300);
        assert_true(flow(cor_scenario_network(added), added, 0, "A", "T") == 305);
        assert_true(flow(net, NULL, 1u << COR_LAYER_GAS, "G", "T") == 20);
        assert_true(flow(net, slow, 1u << COR_LAYER_GAS, "G", "T") == 0);
    }
    /* the corridor comparison too */
    cor_profile p;
    cor_profile_init(&p);
    p.objective = COR_OPT_TIME;
    p.scenario = fast;
    cor_corridor_result r[2];
    cor_error err;
    cor_error_init(&err);
    uint32_t a = cor_network_find_node(net, "A"), t = cor_network_find_node(net, "T");
    p.scenario = NULL;
    assert_int_equal(cor_compare(net, &p, a, t, r, &err), COR_OK);
    assert_true(r[0].route.totals.hours == 93);
    assert_int_equal(r[1].status, COR_ERR_NO_ROUTE); /* M is behind the mined link */
    cor_compare_clear(r, 2);
    p.scenario = fast;
    assert_int_equal(cor_compare(net, &p, a, t, r, &err), COR_OK);
    assert_true(r[0].route.totals.hours == 72); /* transfer at C of 1 h, then by M */
    assert_int_equal(r[1].status, COR_OK);
    assert_true(r[1].route.totals.hours == 72);
    cor_compare_clear(r, 2);
    cor_error_clear(&err);
    cor_scenario_free(fast);
    assert_true(hours_at(net, slow) == 95); /* one freed, the other unaffected */
    cor_scenario_free(slow);
    cor_scenario_free(added);
    assert_same(net, &before);
    cor_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overlay_leaves_network_alone),
        cmocka_unit_test(test_faults_have_json_paths),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_set_changes_every_measure),
        cmocka_unit_test(test_close_border_and_layers),
        cmocka_unit_test(test_scale_capacity),
        cmocka_unit_test(test_add_links_and_nodes),
        cmocka_unit_test(test_durations_and_pair),
        cmocka_unit_test(test_every_fault_has_its_path),
        cmocka_unit_test(test_network_unchanged_and_side_by_side),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
