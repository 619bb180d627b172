/*
 * test_describe.c — what a network holds (src/describe.c): the measures and objectives of
 * the links a profile lets through, against cor_graph_compile on random networks; the box,
 * against every position; the stand-in demand, against a brute-force farthest-point
 * sampling over a brute-force largest component; the file's own name, unit and demand,
 * and each fault of the demand member at its JSON path.
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

static unsigned rng_state = 12345;
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return (rng_state >> 8) % n;
}

static const char *const KINDS[] = {"city", "village", "seaport", "border_crossing", NULL};

/* A random network: n nodes (positions and kinds random), m links with random figures
 * missing, some planned, some gas, some one-way with their own reverse cost. */
static cor_network *random_network(size_t n, size_t m)
{
    cor_builder *b = cor_builder_new("random");
    char id[32];
    for (size_t i = 0; i < n; i++) {
        cor_node node;
        cor_node_init(&node);
        snprintf(id, sizeof id, "N%zu", i);
        node.id = id;
        node.kind = KINDS[rnd(5)];
        node.lon = -20.0 + rnd(40000) / 1000.0;
        node.lat = 30.0 + rnd(20000) / 1000.0;
        cor_builder_add_node(b, &node, -1, (long)i);
    }
    for (size_t i = 0; i < m; i++) {
        cor_link l;
        cor_link_init(&l);
        char from[32], to[32];
        unsigned a = rnd((unsigned)n), c = rnd((unsigned)n);
        if (a == c) c = (a + 1) % (unsigned)n;
        snprintf(id, sizeof id, "L%zu", i);
        snprintf(from, sizeof from, "N%u", a);
        snprintf(to, sizeof to, "N%u", c);
        l.id = id, l.from_id = from, l.to_id = to;
        l.length_km = rnd(20) ? 10.0 + rnd(100) : NAN;
        l.speed_kmh = rnd(20) ? 40.0 + rnd(60) : NAN;
        l.cost = rnd(12) ? 1.0 + rnd(50) : NAN;
        l.co2_kg = rnd(10) ? 1.0 + rnd(9) : NAN;
        if (!rnd(6)) l.status = COR_STATUS_PLANNED;
        if (!rnd(8)) l.layer = COR_LAYER_GAS, l.mode = COR_MODE_PIPELINE;
        if (!rnd(5)) {
            l.backward = false;
            l.reverse_cost = rnd(2) ? 3.0 : NAN;
        }
        cor_builder_add_link(b, &l, NULL, 0, -1, (long)(n + i));
    }
    cor_network *net = NULL;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_builder_finish(b, &net, &err), COR_OK);
    cor_error_clear(&err);
    return net;
}

/* The objectives equal what cor_graph_compile accepts, on 200 random networks, with and
 * without planned links; the measures are those every usable link has. */
static void test_measures_as_compile(void **state)
{
    (void)state;
    for (int t = 0; t < 200; t++) {
        cor_network *net = random_network(3 + rnd(10), 1 + rnd(14));
        cor_profile p;
        cor_profile_init(&p);
        p.include_planned = t % 2;
        unsigned measures, objectives;
        cor_error err;
        cor_error_init(&err);
        assert_int_equal(cor_network_measures(net, &p, &measures, &objectives, &err), COR_OK);
        bool any = false;
        unsigned want = (1u << COR_MEASURE_COUNT) - 1;
        for (uint32_t i = 0; i < cor_network_link_count(net); i++) {
            const cor_link *l = cor_network_link(net, i);
            if (l->layer != COR_LAYER_TRANSPORT || (l->status == COR_STATUS_PLANNED && !p.include_planned))
                continue;
            any = true;
            bool hours = !isnan(l->length_km) && !isnan(l->speed_kmh);
            bool usd = !isnan(l->cost); /* reverse_cost is set only where there is no reverse */
            if (!hours) want &= ~(1u << COR_MEASURE_HOURS);
            if (!usd) want &= ~(1u << COR_MEASURE_USD);
            if (isnan(l->co2_kg)) want &= ~(1u << COR_MEASURE_CO2);
            if (isnan(l->length_km)) want &= ~(1u << COR_MEASURE_KM);
        }
        assert_int_equal(measures, any ? want : 0);
        for (int o = 0; o <= COR_OPT_GENERALISED; o++) {
            p.objective = (cor_objective)o;
            cor_graph *g = NULL;
            cor_status st = cor_graph_compile(&g, net, &p, &err);
            bool compiles = st == COR_OK && any;
            assert_int_equal(compiles, (objectives >> o) & 1u);
            cor_graph_free(g);
            cor_error_clear(&err);
        }
        cor_network_free(net);
    }
}

static void test_bbox(void **state)
{
    (void)state;
    for (int t = 0; t < 50; t++) {
        cor_network *net = random_network(2 + rnd(20), 1 + rnd(10));
        double box[4], want[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
        for (uint32_t i = 0; i < cor_network_node_count(net); i++) {
            const cor_node *n = cor_network_node(net, i);
            want[0] = fmin(want[0], n->lon), want[1] = fmin(want[1], n->lat);
            want[2] = fmax(want[2], n->lon), want[3] = fmax(want[3], n->lat);
        }
        assert_true(cor_network_bbox(net, box));
        for (int k = 0; k < 4; k++) assert_true(box[k] == want[k]);
        cor_network_free(net);
    }
}

/* ---------------------------------------------------------------- the stand-in demand */

static double great_circle(const cor_node *a, const cor_node *b)
{
    double p1 = a->lat * M_PI / 180, p2 = b->lat * M_PI / 180, dl = (b->lon - a->lon) * M_PI / 180;
    double h = pow(sin((p2 - p1) / 2), 2) + cos(p1) * cos(p2) * pow(sin(dl / 2), 2);
    return 2 * asin(sqrt(h));
}

/* comp[v]: the component label by repeated relaxation (slow and obvious). */
static size_t brute_largest(const cor_network *net, const cor_profile *p, bool *in)
{
    size_t n = cor_network_node_count(net), best = 0;
    size_t *label = malloc(n * sizeof *label);
    bool *touched = calloc(n, 1);
    for (size_t v = 0; v < n; v++) label[v] = v;
    bool changed = true;
    while (changed) {
        changed = false;
        for (uint32_t i = 0; i < cor_network_link_count(net); i++) {
            const cor_link *l = cor_network_link(net, i);
            bool usable = l->layer == COR_LAYER_TRANSPORT &&
                          (l->status == COR_STATUS_OPEN || (l->status == COR_STATUS_PLANNED && p->include_planned));
            if (!usable) continue;
            touched[l->from] = touched[l->to] = true;
            size_t m = label[l->from] < label[l->to] ? label[l->from] : label[l->to];
            if (label[l->from] != m || label[l->to] != m) changed = true;
            label[l->from] = label[l->to] = m;
        }
    }
    size_t best_size = 0;
    for (size_t c = 0; c < n; c++) {
        size_t size = 0;
        for (size_t v = 0; v < n; v++) size += touched[v] && label[v] == c;
        if (size > best_size) best_size = size, best = c;
    }
    for (size_t v = 0; v < n; v++) in[v] = best_size && touched[v] && label[v] == best;
    free(label);
    free(touched);
    return best_size;
}

static bool is_place(const cor_node *n)
{
    return n->kind && (!strcmp(n->kind, "city") || !strcmp(n->kind, "seaport"));
}

/* Farthest-point sampling as written in the header, by great-circle distances. */
static size_t brute_spread(const cor_network *net, const cor_profile *p, size_t k, uint32_t *pick)
{
    size_t n = cor_network_node_count(net), m = 0, kinds = 0;
    bool *in = calloc(n, 1);
    brute_largest(net, p, in);
    for (size_t v = 0; v < n; v++) kinds += in[v] && is_place(cor_network_node(net, (uint32_t)v));
    for (size_t v = 0; v < n; v++) in[v] = in[v] && (kinds < 2 || is_place(cor_network_node(net, (uint32_t)v)));
    double c[3] = {0, 0, 0};
    for (size_t v = 0; v < n; v++) {
        const cor_node *x = cor_network_node(net, (uint32_t)v);
        if (!in[v]) continue;
        double lo = x->lon * M_PI / 180, la = x->lat * M_PI / 180;
        c[0] += cos(la) * cos(lo), c[1] += cos(la) * sin(lo), c[2] += sin(la);
    }
    cor_node centre = {0};
    double r = sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
    centre.lat = asin(c[2] / r) * 180 / M_PI, centre.lon = atan2(c[1], c[0]) * 180 / M_PI;
    while (m < k) {
        long best = -1;
        double far = -1;
        for (size_t v = 0; v < n; v++) {
            if (!in[v]) continue;
            const cor_node *x = cor_network_node(net, (uint32_t)v);
            double d = m ? INFINITY : great_circle(x, &centre);
            for (size_t j = 0; j < m; j++) d = fmin(d, great_circle(x, cor_network_node(net, pick[j])));
            if (d > far + 1e-12) far = d, best = (long)v;
        }
        if (best < 0 || (m && far <= 0)) break;
        pick[m++] = (uint32_t)best;
        in[best] = false;
    }
    free(in);
    return m;
}

static void test_reference_demand_spread(void **state)
{
    (void)state;
    int compared = 0;
    for (int t = 0; t < 300; t++) {
        cor_network *net = random_network(4 + rnd(40), 3 + rnd(60));
        cor_profile p;
        cor_profile_init(&p);
        size_t k = 2 + rnd(5);
        uint32_t want[8];
        size_t m = brute_spread(net, &p, k, want);
        cor_demand *d;
        size_t n;
        cor_error err;
        cor_error_init(&err);
        cor_status st = cor_network_reference_demand(net, &p, k, &d, &n, &err);
        if (m < 2) assert_int_equal(st, COR_ERR_INPUT);
        else {
            assert_int_equal(st, COR_OK);
            assert_int_equal(n, m * (m - 1) / 2);
            size_t at = 0;
            for (size_t i = 0; i < m; i++)
                for (size_t j = i + 1; j < m; j++, at++) {
                    assert_int_equal(d[at].from, want[i]);
                    assert_int_equal(d[at].to, want[j]);
                    assert_true(d[at].quantity == 1.0);
                }
            free(d);
            compared++;
        }
        cor_error_clear(&err);
        cor_network_free(net);
    }
    assert_true(compared > 200);
}

static void test_reference_demand_usage(void **state)
{
    (void)state;
    cor_network *net = random_network(5, 8);
    cor_profile p;
    cor_profile_init(&p);
    cor_demand *d;
    size_t n;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_network_reference_demand(net, &p, 1, &d, &n, &err), COR_ERR_USAGE);
    assert_string_equal(err.problems[0].field, "k");
    cor_error_clear(&err);
    const char *avoid[] = {"NOPE"};
    p.avoid_nodes = avoid, p.n_avoid_nodes = 1;
    assert_int_equal(cor_network_reference_demand(net, &p, 3, &d, &n, &err), COR_ERR_NOT_FOUND);
    cor_error_clear(&err);
    cor_network_free(net);
}

/* ---------------------------------------------------------------- the file's members */

static const char *const NET_HEAD =
    "{\"type\": \"FeatureCollection\", %s \"features\": ["
    "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [1.5, 42.5]},"
    " \"properties\": {\"id\": \"A\"}},"
    "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [1.7, 42.6]},"
    " \"properties\": {\"id\": \"B\"}},"
    "{\"type\": \"Feature\", \"geometry\": null,"
    " \"properties\": {\"id\": \"AB\", \"from\": \"A\", \"to\": \"B\", \"mode\": \"road\", \"length_km\": 20}}]}";

static cor_status load_with(const char *members, cor_network **net, cor_error *err)
{
    char text[2048], path[256];
    snprintf(text, sizeof text, NET_HEAD, members);
    cor_test_write_temp(".geojson", text, (size_t)-1, path, sizeof path);
    cor_status st = cor_network_load(net, path, COR_FORMAT_AUTO, err);
    remove(path);
    return st;
}

static void test_file_members(void **state)
{
    (void)state;
    cor_network *net;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(load_with("\"name\": \"Two places\", \"unit\": \"t\", \"demand\": "
                               "[{\"from\": \"B\", \"to\": \"A\", \"quantity\": 2.5}],", &net, &err), COR_OK);
    assert_string_equal(cor_network_name(net), "Two places");
    assert_string_equal(cor_network_unit(net), "t");
    size_t n;
    const cor_demand *own = cor_network_demand(net, &n);
    assert_int_equal(n, 1);
    assert_int_equal(own[0].from, cor_network_find_node(net, "B"));
    assert_true(own[0].quantity == 2.5);
    cor_profile p;
    cor_profile_init(&p);
    cor_demand *d;
    assert_int_equal(cor_network_reference_demand(net, &p, 4, &d, &n, &err), COR_OK);
    assert_int_equal(n, 1); /* the file's own, not a spread */
    assert_true(d[0].from == own[0].from && d[0].to == own[0].to && d[0].quantity == 2.5);
    free(d);
    unsigned measures, objectives;
    assert_int_equal(cor_network_measures(net, &p, &measures, &objectives, &err), COR_OK);
    assert_int_equal(measures, 1u << COR_MEASURE_KM);
    assert_int_equal(objectives, 1u << COR_OPT_DISTANCE); /* km only: shortest by length */
    cor_network_free(net);
    assert_int_equal(load_with("", &net, &err), COR_OK);
    assert_null(cor_network_name(net));
    assert_null(cor_network_unit(net));
    assert_null(cor_network_demand(net, &n));
    assert_int_equal(n, 0);
    cor_network_free(net);

    static const struct {
        const char *members, *field, *message;
    } bad[] = {
        {"\"name\": 3,", "name", "must be a string"},
        {"\"unit\": [],", "unit", "must be a string"},
        {"\"demand\": {},", "demand", "must be an array of pairs"},
        {"\"demand\": [3],", "demand[0]", "a pair must be an object"},
        {"\"demand\": [{\"from\": \"A\", \"quantity\": 1}],", "demand[0]", "needs the node ids"},
        {"\"demand\": [{\"from\": \"A\", \"to\": \"B\", \"quantity\": \"1\"}],", "demand[0]", "a number 'quantity'"},
        {"\"demand\": [{\"from\": \"A\", \"to\": \"B\", \"quantity\": 1}, {\"from\": \"A\", \"to\": \"X\", \"quantity\": 1}],",
         "demand[1].to", "no node has the id 'X'"},
        {"\"demand\": [{\"from\": \"A\", \"to\": \"B\", \"quantity\": 0}],", "demand[0].quantity", "greater than 0"},
        {"\"demand\": [{\"from\": \"A\", \"to\": \"A\", \"quantity\": 1}],", "demand[0].quantity", "to itself"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(load_with(bad[i].members, &net, &err), COR_ERR_INPUT);
        assert_null(net);
        assert_true(err.count >= 1);
        assert_string_equal(err.problems[0].field, bad[i].field);
        if (!strstr(err.problems[0].message, bad[i].message))
            fail_msg("case %zu: '%s' lacks '%s'", i, err.problems[0].message, bad[i].message);
        cor_error_clear(&err);
    }
}

/* The embedded model names its heat-map pairs: the four China-Europe ends. */
static void test_model(void **state)
{
    (void)state;
    cor_network *net;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_network_load(&net, COR_SOURCE_DIR "/data/corridor.geojson", COR_FORMAT_AUTO, &err), COR_OK);
    size_t n;
    const cor_demand *d = cor_network_demand(net, &n);
    assert_int_equal(n, 4);
    static const char *const want[4][2] = {{"CN-XIAN", "DE-DUISBURG"}, {"CN-XIAN", "NL-ROTTERDAM"},
                                           {"CN-SHANGHAI", "DE-DUISBURG"}, {"CN-SHANGHAI", "NL-ROTTERDAM"}};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(cor_network_node(net, d[i].from)->id, want[i][0]);
        assert_string_equal(cor_network_node(net, d[i].to)->id, want[i][1]);
    }
    assert_string_equal(cor_network_unit(net), "TEU");
    cor_network_free(net);
}

/* What a .cor stores when no profile is named: cost for the model (every link has one); time
 * and distance for roads without money figures; cost alone for a DIMACS graph. */
static void test_default_profiles(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        size_t n;
        cor_objective o[2];
    } cases[] = {{"/data/corridor.geojson", 1, {COR_OPT_COST}},
                 {"/tests/data/web/andorra-roads.geojson", 2, {COR_OPT_TIME, COR_OPT_DISTANCE}},
                 {"/tests/data/dimacs/small.gr", 1, {COR_OPT_COST}}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s%s", COR_SOURCE_DIR, cases[i].file);
        cor_network *net;
        cor_error err;
        cor_error_init(&err);
        assert_int_equal(cor_network_load(&net, path, COR_FORMAT_AUTO, &err), COR_OK);
        cor_profile p[3];
        assert_int_equal(cor_network_default_profiles(net, p, 3), cases[i].n);
        for (size_t k = 0; k < cases[i].n; k++) assert_int_equal(p[k].objective, cases[i].o[k]);
        assert_int_equal(cor_network_default_profiles(net, p, 1), 1); /* bounded by max */
        cor_network_free(net);
        cor_error_clear(&err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_measures_as_compile), cmocka_unit_test(test_bbox),
        cmocka_unit_test(test_reference_demand_spread), cmocka_unit_test(test_reference_demand_usage),
        cmocka_unit_test(test_file_members), cmocka_unit_test(test_model),
        cmocka_unit_test(test_default_profiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
