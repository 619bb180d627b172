/*
 * test_load_geojson.c — the GeoJSON loader: a good network read field by field, gzip, and
 * every way a file can be wrong, each failing with no network and a problem at the right
 * feature (or line, for JSON syntax) and field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "loadtest.h"

#define G COR_FORMAT_GEOJSON

/* A collection of three nodes A, B, C (features 0-2) followed by the given features. */
static char *with_abc(const char *more)
{
    static char buf[8192];
    snprintf(buf, sizeof buf,
             "{\"type\": \"FeatureCollection\", \"features\": [\n"
             "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [49, 40]},"
             " \"properties\": {\"id\": \"A\"}},\n"
             "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [49.5, 40.2]},"
             " \"properties\": {\"id\": \"B\"}},\n"
             "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [50, 40.4]},"
             " \"properties\": {\"id\": \"C\"}}%s%s\n]}\n",
             *more ? ",\n" : "", more);
    return buf;
}

/* A link feature A→B with extra properties (a JSON fragment, may be empty). */
static char *link_ab(const char *props)
{
    static char buf[2048];
    snprintf(buf, sizeof buf,
             "{\"type\": \"Feature\", \"geometry\": null, \"properties\": "
             "{\"id\": \"AB\", \"from\": \"A\", \"to\": \"B\", \"mode\": \"road\"%s%s}}",
             *props ? ", " : "", props);
    return buf;
}

/* ---------------------------------------------------------------- good files */

static void small_network_nodes(void **state)
{
    char path[512];
    cor_network *net = lt_load_ok(cor_test_data("geojson/small.geojson", path, sizeof path),
                                  COR_FORMAT_AUTO);
    assert_int_equal(cor_network_node_count(net), 5);
    assert_int_equal(cor_network_link_count(net), 6);
    assert_int_equal(cor_network_format(net), COR_FORMAT_GEOJSON);
    assert_string_equal(cor_network_source_file(net), path);

    const cor_node *n = lt_node(net, "KZ-AKTAU");
    assert_int_equal(cor_network_find_node(net, "KZ-AKTAU"), 0); /* file order */
    assert_string_equal(n->name, "Aktau");
    assert_string_equal(n->country, "KZ");
    assert_string_equal(n->kind, "seaport");
    assert_string_equal(n->source, "test");
    assert_float_equal(n->lon, 51.1977, 1e-12);
    assert_float_equal(n->lat, 43.6481, 1e-12);
    assert_float_equal(n->capacity, 250000, 0);
    assert_float_equal(n->transfer_hours, 12, 0);
    assert_float_equal(n->transfer_usd, 40, 0);
    assert_float_equal(n->transfer_co2_kg, 5, 0);
    assert_true(isnan(n->transship_hours)); /* absent = unknown */

    n = lt_node(net, "AZ-ALAT");
    assert_string_equal(n->name, "Alat (Port of Baku)");
    assert_float_equal(n->transship_hours, 6, 0);
    assert_float_equal(n->transship_usd, 30, 0);
    assert_true(isnan(n->capacity));
    assert_null(lt_node(net, "AZ-BAKU")->source);
    assert_float_equal(lt_node(net, "AZ-BAKU")->lat, 40.4093, 1e-12); /* elevation ignored */
    cor_network_free(net);
}

static void small_network_links(void **state)
{
    char path[512];
    cor_network *net = lt_load_ok(cor_test_data("geojson/small.geojson", path, sizeof path),
                                  COR_FORMAT_GEOJSON);
    const cor_link *l = lt_link(net, "ferry-aktau-alat");
    assert_string_equal(l->from_id, "KZ-AKTAU");
    assert_int_equal(l->from, cor_network_find_node(net, "KZ-AKTAU"));
    assert_int_equal(l->to, cor_network_find_node(net, "AZ-ALAT"));
    assert_int_equal(l->mode, COR_MODE_FERRY);
    assert_int_equal(l->layer, COR_LAYER_TRANSPORT);
    assert_int_equal(l->status, COR_STATUS_OPEN);
    assert_true(l->forward && l->backward);
    assert_float_equal(l->length_km, 470, 0);
    assert_float_equal(l->duration_hours, 20, 0);
    assert_true(isnan(l->speed_kmh));
    assert_float_equal(l->cost, 900, 0);
    assert_float_equal(l->reverse_cost, 850, 0);
    assert_float_equal(l->co2_kg, 80, 0);
    assert_float_equal(l->capacity, 100000, 0);
    assert_float_equal(l->reverse_capacity, 60000, 0);
    assert_float_equal(l->frequency_per_week, 3.5, 0);
    assert_float_equal(l->border_dwell_hours, 10, 0);
    assert_string_equal(l->source, "test");
    assert_int_equal(l->geom_count, 3);
    const double *xy = cor_network_coords(net) + 2 * l->geom_first;
    assert_float_equal(xy[2], 50.3, 0);
    assert_float_equal(xy[3], 42.0, 0);
    assert_float_equal(xy[4], 49.4097, 0);

    assert_int_equal(lt_link(net, "road-alat-baku")->geom_count, 0); /* null geometry */
    assert_int_equal(cor_network_corridor_count(net), 1);
    assert_int_equal(cor_network_find_corridor(net, "middle"), 0);
    l = lt_link(net, "rail-alat-tbilisi");
    assert_int_equal(l->mode, COR_MODE_RAIL);
    assert_int_equal(l->gauge_mm, 1520);
    assert_true(l->forward && l->backward); /* "directed": false */
    assert_true(isnan(l->clearance_days));  /* null = unknown */
    assert_int_equal(lt_link(net, "rail-tbilisi-poti")->status, COR_STATUS_PLANNED);
    l = lt_link(net, "gas-baku-tbilisi");
    assert_int_equal(l->layer, COR_LAYER_GAS);
    assert_int_equal(l->mode, COR_MODE_PIPELINE);
    assert_true(l->forward && !l->backward); /* "directed": true */
    l = lt_link(net, "road-tbilisi-poti");
    assert_int_equal(l->status, COR_STATUS_MINED);
    assert_float_equal(l->clearance_days, 30, 0);
    assert_int_equal(l->gauge_mm, 0);
    cor_network_free(net);
}

static void gzipped_file(void **state)
{
    char src[512], dir[512], path[1024];
    cor_test_data("geojson/small.geojson", src, sizeof src);
    lt_temp_dir(dir, sizeof dir);
    lt_copy(src, dir, "net.geojson.gz");
    lt_copy(src, dir, "net.json.gz");
    snprintf(path, sizeof path, "%s/net.geojson.gz", dir);
    cor_network *net = lt_load_ok(path, COR_FORMAT_AUTO);
    assert_int_equal(cor_network_link_count(net), 6);
    cor_network_free(net);
    snprintf(path, sizeof path, "%s/net.json.gz", dir);
    net = lt_load_ok(path, COR_FORMAT_AUTO);
    assert_int_equal(cor_network_node_count(net), 5);
    cor_network_free(net);
    lt_remove_dir(dir);
}

static void any_name_with_explicit_format(void **state)
{
    cor_network *net = lt_text_ok(".txt", with_abc(link_ab("\"directed\": true")), G);
    assert_int_equal(cor_network_link_count(net), 1);
    assert_false(lt_link(net, "AB")->backward);
    cor_network_free(net);
}

static void empty_collection_and_extra_members(void **state)
{
    cor_network *net = lt_text_ok(".geojson",
                                  "{\"type\": \"FeatureCollection\", \"features\": [],"
                                  " \"corridors\": [], \"bbox\": [0, 0, 1, 1]}",
                                  COR_FORMAT_AUTO);
    assert_int_equal(cor_network_node_count(net), 0);
    cor_network_free(net);
}

static void integral_gauge_written_as_real(void **state)
{
    cor_network *net = lt_text_ok(
        ".geojson",
        with_abc("{\"type\": \"Feature\", \"geometry\": null, \"properties\": {\"id\": \"AB\","
                 " \"from\": \"A\", \"to\": \"B\", \"mode\": \"rail\", \"gauge_mm\": 1435.0}}"),
        G);
    assert_int_equal(lt_link(net, "AB")->gauge_mm, 1435);
    cor_network_free(net);
}

/* ---------------------------------------------------------------- JSON syntax */

static void syntax_errors_have_lines(void **state)
{
    lt_text_fails(".geojson", "", G, 1, -1, NULL, "invalid JSON");
    lt_text_fails(".geojson", "{\"type\": \"FeatureCollection\",\n\"features\": [\n{\"type\"",
                  G, 3, -1, NULL, "invalid JSON");
    lt_text_fails(".geojson", "{\"type\":\n\"FeatureCollection\", \"features\": [NaN]}", G, 2,
                  -1, NULL, "NaN");
    lt_text_fails(".geojson", "{\"type\": \"FeatureCollection\",\n\n\"features\": [1e999]}", G,
                  3, -1, NULL, "overflow");
    lt_text_fails(".geojson",
                  "{\"type\": \"FeatureCollection\", \"features\": [], \"features\": []}", G,
                  1, -1, NULL, "duplicate");
    lt_text_fails(".geojson", "\x89PNG\r\n\x1a\n binary", G, 1, -1, NULL, "invalid JSON");
}

static void not_a_feature_collection(void **state)
{
    lt_text_fails(".geojson", "[1, 2]", G, -1, -1, "type", "FeatureCollection");
    lt_text_fails(".geojson", "{\"type\": \"Feature\", \"properties\": {}}", G, -1, -1, "type",
                  "FeatureCollection");
    lt_text_fails(".geojson", "{\"type\": \"FeatureCollection\", \"features\": {}}", G, -1, -1,
                  "features", "array");
    lt_text_fails(".geojson", with_abc("42"), G, -1, 3, NULL, "object");
    lt_text_fails(".geojson", with_abc("{\"type\": \"Feat\", \"properties\": {\"id\": \"X\"},"
                                       " \"geometry\": {\"type\": \"Point\", \"coordinates\":"
                                       " [1, 2]}}"),
                  G, -1, 3, "type", "Feature");
    lt_text_fails(".geojson", with_abc("{\"type\": \"Feature\", \"properties\": [1],"
                                       " \"geometry\": null}"),
                  G, -1, 3, "properties", "object");
}

/* ---------------------------------------------------------------- properties */

static void numbers_must_be_json_numbers(void **state)
{
    lt_text_fails(".geojson", with_abc(link_ab("\"length_km\": \"12\"")), G, -1, 3,
                  "length_km", "must be a number, not a string");
    lt_text_fails(".geojson", with_abc(link_ab("\"cost\": \"nan\"")), G, -1, 3, "cost",
                  "must be a number");
    lt_text_fails(".geojson", with_abc(link_ab("\"capacity\": true")), G, -1, 3, "capacity",
                  "not a boolean");
    lt_text_fails(".geojson", with_abc(link_ab("\"gauge_mm\": 1435.5")), G, -1, 3, "gauge_mm",
                  "integer");
    lt_text_fails(".geojson", with_abc(link_ab("\"gauge_mm\": 1e12")), G, -1, 3, "gauge_mm",
                  "integer");
    lt_text_fails(".geojson", with_abc(link_ab("\"directed\": \"true\"")), G, -1, 3,
                  "directed", "true or false");
    lt_text_fails(".geojson", with_abc(link_ab("\"source\": 7")), G, -1, 3, "source",
                  "must be a string");
}

static void names_must_be_known(void **state)
{
    lt_text_fails(".geojson",
                  with_abc("{\"type\": \"Feature\", \"geometry\": null, \"properties\": {\"id\":"
                           " \"AB\", \"from\": \"A\", \"to\": \"B\", \"mode\": \"boat\"}}"),
                  G, -1, 3, "mode", "unknown mode 'boat'");
    lt_text_fails(".geojson", with_abc(link_ab("\"layer\": \"power\"")), G, -1, 3, "layer",
                  "power");
    lt_text_fails(".geojson", with_abc(link_ab("\"status\": \"Open\"")), G, -1, 3, "status",
                  "Open");
    lt_text_fails(".geojson", with_abc(link_ab("\"status\": 1")), G, -1, 3, "status",
                  "must be a string");
}

static void required_properties(void **state)
{
    lt_text_fails(".geojson",
                  with_abc("{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\","
                           " \"coordinates\": [1, 2]}, \"properties\": {\"name\": \"x\"}}"),
                  G, -1, 3, "id", "missing");
    lt_text_fails(".geojson",
                  with_abc("{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\","
                           " \"coordinates\": [1, 2]}, \"properties\": null}"),
                  G, -1, 3, "id", "missing");
    lt_text_fails(".geojson",
                  with_abc("{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\","
                           " \"coordinates\": [1, 2]}, \"properties\": {\"id\": 5}}"),
                  G, -1, 3, "id", "string");
    lt_text_fails(".geojson",
                  with_abc("{\"type\": \"Feature\", \"geometry\": null, \"properties\": {\"id\":"
                           " \"AB\", \"from\": \"A\", \"to\": \"B\"}}"),
                  G, -1, 3, "mode", "missing");
    /* Naming only one end still makes a link, and the other end is missing. */
    lt_text_fails(".geojson",
                  with_abc("{\"type\": \"Feature\", \"geometry\": null, \"properties\": {\"id\":"
                           " \"AB\", \"from\": \"A\", \"mode\": \"road\"}}"),
                  G, -1, 3, "to", "missing");
    lt_text_fails(".geojson",
                  with_abc("{\"type\": \"Feature\", \"geometry\": null, \"properties\": {\"id\":"
                           " null, \"from\": \"A\", \"to\": \"B\", \"mode\": \"road\"}}"),
                  G, -1, 3, "id", "null");
}

/* ---------------------------------------------------------------- geometry */

static void node_geometry(void **state)
{
    const char *fmt = "{\"type\": \"Feature\", \"geometry\": %s, \"properties\": {\"id\": \"D\"}}";
    const char *bad[] = {"null", "{\"type\": \"LineString\", \"coordinates\": [[1, 2], [3, 4]]}",
                         "{\"type\": \"Point\"}", "{\"type\": \"Point\", \"coordinates\": [1]}",
                         "{\"type\": \"Point\", \"coordinates\": [\"1\", 2]}", "[1, 2]"};
    char feature[512];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(feature, sizeof feature, fmt, bad[i]);
        lt_text_fails(".geojson", with_abc(feature), G, -1, 3, "geometry", NULL);
    }
    /* no "geometry" member at all */
    lt_text_fails(".geojson", with_abc("{\"type\": \"Feature\", \"properties\": {\"id\": \"D\"}}"),
                  G, -1, 3, "geometry", "not missing");
}

static void link_geometry(void **state)
{
    const char *fmt = "{\"type\": \"Feature\", \"geometry\": %s, \"properties\": {\"id\": \"AB\","
                      " \"from\": \"A\", \"to\": \"B\", \"mode\": \"road\"}}";
    const char *bad[] = {"{\"type\": \"Point\", \"coordinates\": [1, 2]}",
                         "{\"type\": \"LineString\", \"coordinates\": [[1, 2]]}",
                         "{\"type\": \"LineString\", \"coordinates\": [[1, 2], [3]]}",
                         "{\"type\": \"LineString\", \"coordinates\": [[1, 2], [3, null]]}",
                         "{\"type\": \"MultiLineString\", \"coordinates\": [[[1, 2], [3, 4]]]}"};
    char feature[512];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(feature, sizeof feature, fmt, bad[i]);
        lt_text_fails(".geojson", with_abc(feature), G, -1, 3, "geometry", NULL);
    }
    /* A geometry out of range is the builder's check, still at the feature. */
    snprintf(feature, sizeof feature, fmt,
             "{\"type\": \"LineString\", \"coordinates\": [[49, 40], [200, 40]]}");
    lt_text_fails(".geojson", with_abc(feature), G, -1, 3, "geometry", "out of range");
}

/* ---------------------------------------------------------------- semantic, via the builder */

static void builder_problems_name_the_feature(void **state)
{
    lt_text_fails(".geojson",
                  with_abc("{\"type\": \"Feature\", \"geometry\": null, \"properties\": {\"id\":"
                           " \"XB\", \"from\": \"X\", \"to\": \"B\", \"mode\": \"road\"}}"),
                  G, -1, 3, "from", "'X'");
    lt_text_fails(".geojson",
                  with_abc("{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\","
                           " \"coordinates\": [1, 2]}, \"properties\": {\"id\": \"B\"}}"),
                  G, -1, 3, "id", "duplicate");
    lt_text_fails(".geojson", with_abc(link_ab("\"length_km\": -5")), G, -1, 3, "length_km",
                  "negative");
    lt_text_fails(".geojson",
                  with_abc("{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\","
                           " \"coordinates\": [1, 95]}, \"properties\": {\"id\": \"D\"}}"),
                  G, -1, 3, "lat", "out of range");
}

/* ---------------------------------------------------------------- every problem, no half */

static void every_problem_is_reported(void **state)
{
    char more[2048];
    snprintf(more, sizeof more, "%s,\n%s,\n%s",
             "{\"type\": \"Feature\", \"geometry\": null, \"properties\": {\"id\": \"AB\","
             " \"from\": \"A\", \"to\": \"B\", \"mode\": \"boat\"}}",
             "{\"type\": \"Feature\", \"geometry\": null, \"properties\": {\"id\": \"BC\","
             " \"from\": \"B\", \"to\": \"C\", \"mode\": \"road\", \"cost\": \"3\"}}",
             "{\"type\": \"Feature\", \"geometry\": null, \"properties\": {\"id\": \"CA\","
             " \"from\": \"C\", \"to\": \"A\", \"mode\": \"road\", \"cost\": 3}}");
    char path[512];
    cor_test_write_temp(".geojson", with_abc(more), (size_t)-1, path, sizeof path);
    cor_error err;
    cor_error_init(&err);
    cor_network *net = NULL;
    assert_int_equal(cor_network_load(&net, path, COR_FORMAT_AUTO, &err), COR_ERR_INPUT);
    assert_null(net);
    assert_int_equal(err.count, 2);
    assert_non_null(lt_find(&err, -1, 3, "mode"));
    assert_non_null(lt_find(&err, -1, 4, "cost"));
    assert_string_equal(err.problems[0].file, path);
    cor_error_clear(&err);
    /* A NULL error record is allowed: the status still tells. */
    assert_int_equal(cor_network_load(&net, path, COR_FORMAT_AUTO, NULL), COR_ERR_INPUT);
    assert_null(net);
    unlink(path);
}

static void broken_fixtures(void **state)
{
    char path[512];
    lt_load_fails(cor_test_data("broken/geojson-truncated.geojson.gz", path, sizeof path),
                  COR_FORMAT_AUTO, -1, -1, NULL, "damaged gzip data");
    lt_load_fails(cor_test_data("broken/geojson-binary.geojson", path, sizeof path),
                  COR_FORMAT_AUTO, 1, -1, NULL, "invalid JSON");
    lt_load_fails(cor_test_data("broken/geojson-truncated.geojson", path, sizeof path),
                  COR_FORMAT_AUTO, 6, -1, NULL, "invalid JSON");
    lt_load_fails(cor_test_data("broken/no-such-file.geojson", path, sizeof path),
                  COR_FORMAT_GEOJSON, -1, -1, NULL, "cannot open");
}

/* ---------------------------------------------------------------- shared data */

static void natural_earth_ports_are_not_a_network(void **state)
{
    char path[512];
    if (!cor_test_shared_data("naturalearth/ne_10m_ports.json", path, sizeof path))
        skip();
    /* 1,081 Point features without an "id" property: each one is reported (up to the cap),
     * none is loaded. */
    cor_error err;
    cor_error_init(&err);
    cor_network *net = NULL;
    assert_int_equal(cor_network_load(&net, path, COR_FORMAT_AUTO, &err), COR_ERR_INPUT);
    assert_null(net);
    assert_int_equal(err.count + err.dropped, 1081);
    assert_non_null(lt_find(&err, -1, 0, "id"));
    assert_non_null(lt_find(&err, -1, 199, "id"));
    cor_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_network_nodes),
        cmocka_unit_test(small_network_links),
        cmocka_unit_test(gzipped_file),
        cmocka_unit_test(any_name_with_explicit_format),
        cmocka_unit_test(empty_collection_and_extra_members),
        cmocka_unit_test(integral_gauge_written_as_real),
        cmocka_unit_test(syntax_errors_have_lines),
        cmocka_unit_test(not_a_feature_collection),
        cmocka_unit_test(numbers_must_be_json_numbers),
        cmocka_unit_test(names_must_be_known),
        cmocka_unit_test(required_properties),
        cmocka_unit_test(node_geometry),
        cmocka_unit_test(link_geometry),
        cmocka_unit_test(builder_problems_name_the_feature),
        cmocka_unit_test(every_problem_is_reported),
        cmocka_unit_test(broken_fixtures),
        cmocka_unit_test(natural_earth_ports_are_not_a_network),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
