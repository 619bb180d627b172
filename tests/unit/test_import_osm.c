/*
 * test_import_osm.c — cor_import_osm on the hand-written fixtures of tests/data/osm/ (each
 * rule of docs/FORMAT.md "Importing OpenStreetMap" with its exact outcome), its refusals
 * of bad input, and cor_network_components.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "corridor.h"
#include "countries.h"
#include "testutil.h"

#define EARTH_KM 6371.0088

static double seg_km(double lon1, double lat1, double lon2, double lat2)
{
    const double r = M_PI / 180;
    double h = pow(sin((lat2 - lat1) * r / 2), 2) +
               cos(lat1 * r) * cos(lat2 * r) * pow(sin((lon2 - lon1) * r / 2), 2);
    return 2 * EARTH_KM * asin(sqrt(h));
}

/* Every link's geometry starts at its from node and ends at its to node, and its length is
 * the great-circle sum of its geometry. */
static void check_links(const cor_network *net)
{
    const double *xy = cor_network_coords(net);
    for (uint32_t i = 0; i < cor_network_link_count(net); i++) {
        const cor_link *l = cor_network_link(net, i);
        const cor_node *a = cor_network_node(net, l->from), *b = cor_network_node(net, l->to);
        const double *g = xy + 2 * l->geom_first;
        assert_true(l->geom_count >= 2);
        assert_true(g[0] == a->lon && g[1] == a->lat);
        assert_true(g[2 * l->geom_count - 2] == b->lon && g[2 * l->geom_count - 1] == b->lat);
        double km = 0;
        for (uint32_t k = 0; k + 1 < l->geom_count; k++)
            km += seg_km(g[2 * k], g[2 * k + 1], g[2 * k + 2], g[2 * k + 3]);
        assert_true(fabs(km - l->length_km) < 1e-9 * (1 + km));
        assert_int_not_equal(l->from, l->to);
    }
}

static cor_network *import(const char *fixture, const cor_osm_options *o, cor_osm_stats *stats)
{
    char path[1024];
    cor_error err;
    cor_error_init(&err);
    cor_network *net = NULL;
    cor_status st = cor_import_osm(&net, cor_test_data(fixture, path, sizeof path), o, stats, &err);
    char buf[1024];
    for (size_t i = 0; i < err.count; i++)
        print_message("  problem: %s\n", cor_problem_format(&err.problems[i], buf, sizeof buf));
    assert_int_equal(st, COR_OK);
    cor_error_clear(&err);
    check_links(net);
    return net;
}

/* The import's first problem: its status, and its text holds `text`. */
static void import_fails(const char *path, const cor_osm_options *o, cor_status want,
                         const char *field, const char *text)
{
    cor_error err;
    cor_error_init(&err);
    cor_network *net = (cor_network *)1;
    cor_status st = cor_import_osm(&net, path, o, NULL, &err);
    assert_int_equal(st, want);
    assert_null(net);
    assert_true(err.count >= 1);
    char buf[1024];
    cor_problem_format(&err.problems[0], buf, sizeof buf);
    print_message("  refused: %s\n", buf);
    if (field) assert_string_equal(err.problems[0].field, field);
    assert_non_null(strstr(buf, text));
    cor_error_clear(&err);
}

static const cor_link *link_of(const cor_network *net, const char *id)
{
    uint32_t i = cor_network_find_link(net, id);
    if (i == COR_NONE) print_message("no link %s\n", id);
    assert_int_not_equal(i, COR_NONE);
    return cor_network_link(net, i);
}

static const char *from_id(const cor_network *net, const cor_link *l)
{
    return cor_network_node(net, l->from)->id;
}

static const char *to_id(const cor_network *net, const cor_link *l)
{
    return cor_network_node(net, l->to)->id;
}

static void assert_ends(const cor_network *net, const char *id, const char *from, const char *to,
                        bool both_ways)
{
    const cor_link *l = link_of(net, id);
    assert_string_equal(from_id(net, l), from);
    assert_string_equal(to_id(net, l), to);
    assert_true(l->forward);
    assert_int_equal(l->backward, both_ways);
}

/* ---------------------------------------------------------------- roads */

static void test_split_at_shared_nodes(void **state)
{
    cor_osm_options o;
    cor_osm_options_init(&o);
    o.keep_all = true;
    cor_osm_stats s;
    cor_network *net = import("osm/rules.osm", &o, &s);
    assert_int_equal(cor_network_link_count(net), 18);
    assert_int_equal(cor_network_node_count(net), 20);
    /* way 100 (1-2-3-4) is cut at 3, which way 101 shares; 2 is geometry only */
    assert_ends(net, "w100.1", "n1", "n3", true);
    assert_ends(net, "w100.2", "n3", "n4", true);
    assert_ends(net, "w101.1", "n5", "n3", true);
    assert_ends(net, "w101.2", "n3", "n6", true);
    assert_int_equal(cor_network_find_node(net, "n2"), COR_NONE);
    const cor_link *l = link_of(net, "w100.1");
    assert_int_equal(l->geom_count, 3);
    const double *xy = cor_network_coords(net) + 2 * l->geom_first;
    assert_true(fabs(xy[2] - 10.01) < 1e-9 && fabs(xy[3] - 50) < 1e-9); /* node 2's position */
    double km = seg_km(10.00, 50, 10.01, 50) + seg_km(10.01, 50, 10.02, 50);
    assert_true(fabs(l->length_km - km) < 1e-9);
    /* the closed roundabout is cut at its middle vertex: no link from a node to itself */
    assert_ends(net, "w130.1", "n23", "n25", false);
    assert_ends(net, "w130.2", "n25", "n23", false);
    assert_int_equal(link_of(net, "w130.1")->geom_count, 3);
    /* a repeated node is one point; a node missing from the file cuts the way */
    assert_int_equal(link_of(net, "w141.1")->geom_count, 2);
    assert_ends(net, "w142.1", "n32", "n33", true);
    assert_ends(net, "w142.2", "n34", "n35", true);
    assert_int_equal(s.refs_missing, 1);
    assert_string_equal(l->source, "OpenStreetMap way 100 (rules.osm): highway=primary; name=Main Street; maxspeed=50");
    cor_network_free(net);
}

static void test_oneway_forms(void **state)
{
    cor_osm_options o;
    cor_osm_options_init(&o);
    o.keep_all = true;
    cor_network *net = import("osm/rules.osm", &o, NULL);
    assert_ends(net, "w102.1", "n4", "n7", false);   /* oneway=yes */
    assert_ends(net, "w103.1", "n8", "n7", false);   /* oneway=-1: turned round */
    const cor_link *l = link_of(net, "w103.1");
    const double *xy = cor_network_coords(net) + 2 * l->geom_first;
    assert_true(fabs(xy[0] - 10.05) < 1e-9 && fabs(xy[2] - 10.04) < 1e-9); /* geometry turned round */
    assert_ends(net, "w105.1", "n4", "n10", false);  /* motorway: implied */
    assert_ends(net, "w106.1", "n10", "n11", true);  /* motorway with oneway=no */
    assert_ends(net, "w107.1", "n11", "n12", false); /* oneway=true */
    assert_ends(net, "w108.1", "n12", "n13", false); /* oneway=1 */
    assert_int_equal(cor_network_find_link(net, "w104.1"), COR_NONE); /* reversible */
    cor_network_free(net);
}

static void test_access(void **state)
{
    cor_osm_options o;
    cor_osm_options_init(&o);
    cor_network *net = import("osm/rules.osm", &o, NULL);
    const char *out[] = {"w110.1", "w111.1", "w112.1", "w113.1"};
    for (size_t i = 0; i < 4; i++) assert_int_equal(cor_network_find_link(net, out[i]), COR_NONE);
    assert_ends(net, "w114.1", "n13", "n18", true); /* access=no, motorcar=yes: the specific wins */
    cor_network_free(net);
}

static void test_maxspeed_forms(void **state)
{
    cor_osm_options o;
    cor_osm_options_init(&o);
    cor_network *net = import("osm/rules.osm", &o, NULL);
    assert_true(link_of(net, "w100.1")->speed_kmh == 50);              /* "50" */
    assert_true(link_of(net, "w101.1")->speed_kmh == 30);              /* residential default */
    assert_true(fabs(link_of(net, "w105.1")->speed_kmh - 30 * 1.609344) < 1e-12); /* "30 mph" */
    assert_true(link_of(net, "w106.1")->speed_kmh == 110);             /* "RU:urban": default */
    assert_true(link_of(net, "w107.1")->speed_kmh == 50);              /* "50;30": the first */
    assert_true(link_of(net, "w108.1")->speed_kmh == 30);              /* "none": default */
    assert_true(link_of(net, "w102.1")->speed_kmh == 60);              /* secondary default */
    assert_true(isnan(link_of(net, "w100.1")->duration_hours));
    cor_network_free(net);
}

static void test_classes_when_asked(void **state)
{
    cor_osm_options o;
    cor_osm_options_init(&o);
    cor_network *net = import("osm/rules.osm", &o, NULL);
    assert_int_equal(cor_network_find_link(net, "w120.1"), COR_NONE);
    assert_int_equal(cor_network_link_count(net), 14);
    cor_network_free(net);
    o.road_classes = "default,service,track,path";
    net = import("osm/rules.osm", &o, NULL);
    assert_int_equal(cor_network_link_count(net), 17);
    assert_true(link_of(net, "w120.1")->speed_kmh == 20);
    assert_true(link_of(net, "w121.1")->speed_kmh == 15);
    assert_true(link_of(net, "w122.1")->speed_kmh == 5);
    assert_int_equal(cor_network_find_link(net, "w123.1"), COR_NONE); /* footway: no class */
    cor_network_free(net);
    o.road_classes = "primary";
    /* w100 (now one link, 3 is no cut) and the roundabout (two links) are apart, with two
     * nodes each: the one with more links is kept */
    net = import("osm/rules.osm", &o, NULL);
    assert_int_equal(cor_network_link_count(net), 2);
    assert_non_null(link_of(net, "w130.1"));
    assert_int_equal(cor_network_find_link(net, "w100.1"), COR_NONE);
    cor_network_free(net);
}

static void test_components_kept_and_dropped(void **state)
{
    cor_osm_options o;
    cor_osm_options_init(&o);
    cor_osm_stats s;
    cor_network *net = import("osm/rules.osm", &o, &s);
    assert_int_equal(cor_network_link_count(net), 14);
    assert_int_equal(cor_network_node_count(net), 14);
    assert_int_equal(s.components, 3);
    assert_int_equal(s.dropped_components, 2);
    assert_int_equal(s.dropped_links, 4);
    assert_int_equal(s.dropped_nodes, 6);
    assert_int_equal(cor_network_find_node(net, "n30"), COR_NONE);
    cor_components cc;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_network_components(net, NULL, &cc, &err), COR_OK);
    assert_int_equal(cc.count, 1);
    assert_int_equal(cc.isolated, 0);
    cor_components_clear(&cc);
    cor_network_free(net);
}

/* ---------------------------------------------------------------- ferries, rail, bbox */

static void test_ferry_durations(void **state)
{
    cor_osm_options o;
    cor_osm_options_init(&o);
    o.modes = 1u << COR_MODE_ROAD | 1u << COR_MODE_FERRY;
    cor_network *net = import("osm/modes.osm", &o, NULL);
    assert_true(link_of(net, "w201.1")->duration_hours == 1.5);  /* 01:30 */
    assert_true(link_of(net, "w202.1")->duration_hours == 0.75); /* 45 minutes */
    assert_true(link_of(net, "w203.1")->duration_hours == 2.5);  /* PT2H30M */
    assert_true(isnan(link_of(net, "w201.1")->speed_kmh));
    const cor_link *none = link_of(net, "w204.1");
    assert_true(isnan(none->duration_hours) && none->speed_kmh == 20);
    assert_int_equal(link_of(net, "w201.1")->mode, COR_MODE_FERRY);
    assert_int_equal(cor_network_find_link(net, "w205.1"), COR_NONE); /* motor_vehicle=no */
    /* cut at node 8 (road 207): 2 hours shared 1 : 2 by length */
    assert_true(fabs(link_of(net, "w206.1")->duration_hours - 2.0 / 3) < 1e-9);
    assert_true(fabs(link_of(net, "w206.2")->duration_hours - 4.0 / 3) < 1e-9);
    cor_network_free(net);
}

static void test_rail_gauge_and_classes(void **state)
{
    cor_osm_options o;
    cor_osm_options_init(&o);
    o.modes = 1u << COR_MODE_RAIL;
    cor_network *net = import("osm/modes.osm", &o, NULL);
    const cor_link *l = link_of(net, "w300.1");
    assert_int_equal(l->mode, COR_MODE_RAIL);
    assert_int_equal(l->gauge_mm, 1435); /* "1435;1520": the first */
    assert_true(l->speed_kmh == 80);
    assert_non_null(strstr(l->source, "usage=main; electrified=contact_line; voltage=15000"));
    assert_int_equal(link_of(net, "w301.1")->gauge_mm, 1520);
    assert_true(link_of(net, "w301.1")->speed_kmh == 120);
    assert_int_equal(link_of(net, "w304.1")->gauge_mm, 0); /* "standard": unknown */
    assert_int_equal(cor_network_find_link(net, "w302.1"), COR_NONE);
    assert_int_equal(cor_network_find_link(net, "w303.1"), COR_NONE);
    /* without roads, node 21 (the level crossing) is no cut: w300 is one link */
    assert_int_equal(cor_network_link_count(net), 3);
    assert_int_equal(cor_network_find_link(net, "w300.2"), COR_NONE);
    cor_network_free(net);
    o.rail_classes = "rail,narrow_gauge,light_rail";
    net = import("osm/modes.osm", &o, NULL);
    assert_int_equal(link_of(net, "w302.1")->gauge_mm, 1000);
    assert_true(link_of(net, "w303.1")->speed_kmh == 50);
    cor_network_free(net);
}

static void test_rail_apart_from_roads(void **state)
{
    cor_osm_options o;
    cor_osm_options_init(&o);
    o.modes = 1u << COR_MODE_ROAD | 1u << COR_MODE_RAIL | 1u << COR_MODE_FERRY;
    cor_osm_stats s;
    cor_network *net = import("osm/modes.osm", &o, &s);
    /* road 208 shares node 21 with the railway but is a road piece of its own: dropped;
     * node 21 stays for the railway */
    assert_int_equal(cor_network_find_link(net, "w208.1"), COR_NONE);
    assert_int_not_equal(cor_network_find_node(net, "n21"), COR_NONE);
    assert_int_equal(cor_network_find_node(net, "n27"), COR_NONE);
    assert_int_equal(s.links_by_mode[COR_MODE_RAIL], 4); /* w300 cut at 21 */
    assert_int_equal(s.links_by_mode[COR_MODE_FERRY], 6);
    assert_int_equal(s.dropped_links, 1);
    cor_network_free(net);
}

static void test_bbox_keeps_whole_ways(void **state)
{
    cor_osm_options o;
    cor_osm_options_init(&o);
    o.modes = 1u << COR_MODE_ROAD | 1u << COR_MODE_FERRY;
    o.has_bbox = true;
    double bb[4] = {10.005, 50.025, 10.015, 50.035}; /* holds node 9 only */
    memcpy(o.bbox, bb, sizeof bb);
    cor_network *net = import("osm/modes.osm", &o, NULL);
    /* way 206 (2-8-9) is kept whole; road 207 is out, so 8 is no longer a cut */
    assert_int_equal(cor_network_link_count(net), 1);
    assert_ends(net, "w206.1", "n2", "n9", true);
    assert_int_equal(link_of(net, "w206.1")->geom_count, 3);
    assert_true(link_of(net, "w206.1")->duration_hours == 2);
    cor_network_free(net);
}

/* ---------------------------------------------------------------- countries */

static void test_countries(void **state)
{
    char countries[1024];
    cor_osm_options o;
    cor_osm_options_init(&o);
    o.countries_path = cor_test_data("osm/countries.geojson", countries, sizeof countries);
    cor_osm_stats s;
    cor_network *net = import("osm/country.osm", &o, &s);
    const char *want[][2] = {{"n1", "AD"}, {"n2", "AD"}, {"n3", "FR"}, {"n4", NULL}};
    for (size_t i = 0; i < 4; i++) {
        const cor_node *n = cor_network_node(net, cor_network_find_node(net, want[i][0]));
        if (want[i][1]) assert_string_equal(n->country, want[i][1]);
        else assert_null(n->country);
    }
    assert_int_equal(s.boundary_relations, 1);
    assert_int_equal(s.boundary_areas, 1);
    assert_int_equal(s.nodes_country_osm, 2);
    assert_int_equal(s.nodes_country_file, 1);
    assert_int_equal(s.nodes_country_unknown, 1);
    cor_network_free(net);
}

/* A polygon with a hole, as a MultiPolygon: the even-odd rule puts the hole outside. */
static void test_countries_hole(void **state)
{
    const char *geo =
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
        "\"properties\":{\"iso_a2\":\"DE\"},\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":"
        "[[[[10.035,49.99],[10.065,49.99],[10.065,50.01],[10.035,50.01],[10.035,49.99]],"
        "[[10.045,49.995],[10.055,49.995],[10.055,50.005],[10.045,50.005],[10.045,49.995]]],"
        "[[[10.07,49.99],[10.09,49.99],[10.09,50.01],[10.07,49.99]]]]}}]}";
    char path[512];
    cor_osm_options o;
    cor_osm_options_init(&o);
    o.countries_path = cor_test_write_temp(".geojson", geo, (size_t)-1, path, sizeof path);
    cor_network *net = import("osm/country.osm", &o, NULL);
    /* n3 (10.05, 50.00) is in the hole; n4 (10.08, 50.00) on the triangle's inside */
    assert_null(cor_network_node(net, cor_network_find_node(net, "n3"))->country);
    assert_string_equal(cor_network_node(net, cor_network_find_node(net, "n4"))->country, "DE");
    cor_network_free(net);
    remove(path);
}

/* ---------------------------------------------------------------- bad input */

static void test_bad_options(void **state)
{
    char path[1024];
    cor_test_data("osm/rules.osm", path, sizeof path);
    cor_osm_options o;
    cor_osm_options_init(&o);
    o.has_bbox = true;
    double bb[4] = {11, 50, 10, 51}; /* west > east */
    memcpy(o.bbox, bb, sizeof bb);
    import_fails(path, &o, COR_ERR_USAGE, "bbox", "west < east");
    cor_osm_options_init(&o);
    o.road_classes = "default,motorways";
    import_fails(path, &o, COR_ERR_USAGE, "road-classes", "unknown class 'motorways'");
    cor_osm_options_init(&o);
    o.modes = 1u << COR_MODE_SEA;
    import_fails(path, &o, COR_ERR_USAGE, "modes", "road, rail and ferry");
    cor_osm_options_init(&o);
    o.road_classes = "service";
    o.modes = 1u << COR_MODE_RAIL;
    import_fails(path, &o, COR_ERR_INPUT, NULL, "no way passes the filter");
}

static void test_bad_files(void **state)
{
    cor_osm_options o;
    cor_osm_options_init(&o);
    import_fails("/nonexistent/x.osm.pbf", &o, COR_ERR_IO, NULL, "cannot open");
    char path[512];
    cor_test_write_temp(".osm", "<osm><node id=\"1\" lat=\"50\" lon=\"10\"></osm>", (size_t)-1, path,
                        sizeof path);
    import_fails(path, &o, COR_ERR_INPUT, NULL, "not a readable OpenStreetMap file");
    remove(path);
    cor_test_write_temp(".osm.pbf", "this is not a PBF file at all, just text", (size_t)-1, path,
                        sizeof path);
    import_fails(path, &o, COR_ERR_INPUT, NULL, "not a readable OpenStreetMap file");
    remove(path);
    char countries[1024];
    o.countries_path = cor_test_write_temp(".geojson", "{\"type\": \"FeatureCollection\", \"features\": [",
                                           (size_t)-1, countries, sizeof countries);
    cor_test_data("osm/rules.osm", path, sizeof path);
    import_fails(path, &o, COR_ERR_INPUT, NULL, "invalid JSON");
    remove(countries);
}

/* A gzipped fixture cut in half: libosmium's exception becomes a problem naming the file. */
static void test_truncated_gzip(void **state)
{
    char src[1024], path[512];
    cor_test_data("osm/rules.osm", src, sizeof src);
    FILE *f = fopen(src, "rb");
    assert_non_null(f);
    char text[16384];
    size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    cor_test_write_temp(".osm.gz", "", 0, path, sizeof path);
    gzFile gz = gzopen(path, "wb");
    gzwrite(gz, text, (unsigned)n);
    gzclose(gz);
    f = fopen(path, "rb");
    char packed[16384];
    size_t m = fread(packed, 1, sizeof packed, f);
    fclose(f);
    f = fopen(path, "wb");
    fwrite(packed, 1, m / 2, f);
    fclose(f);
    cor_osm_options o;
    cor_osm_options_init(&o);
    import_fails(path, &o, COR_ERR_INPUT, NULL, path);
    remove(path);
}

/* ---------------------------------------------------------------- components */

static void add_node(cor_builder *b, const char *id, double lon)
{
    cor_node n;
    cor_node_init(&n);
    n.id = id;
    n.lon = lon;
    n.lat = 0;
    assert_int_equal(cor_builder_add_node(b, &n, -1, -1), COR_OK);
}

static void add_link(cor_builder *b, const char *id, const char *from, const char *to, cor_mode m)
{
    cor_link l;
    cor_link_init(&l);
    l.id = id;
    l.from_id = from;
    l.to_id = to;
    l.mode = m;
    l.length_km = 1;
    assert_int_equal(cor_builder_add_link(b, &l, NULL, 0, -1, -1), COR_OK);
}

static void test_network_components(void **state)
{
    cor_builder *b = cor_builder_new("mem");
    const char *ids[] = {"A", "B", "C", "D", "E", "F", "G"};
    for (int i = 0; i < 7; i++) add_node(b, ids[i], i);
    add_link(b, "AB", "A", "B", COR_MODE_ROAD);
    add_link(b, "BC", "B", "C", COR_MODE_RAIL);
    add_link(b, "DE", "D", "E", COR_MODE_ROAD);
    add_link(b, "EF", "E", "F", COR_MODE_ROAD);
    add_link(b, "FD", "F", "D", COR_MODE_ROAD); /* G: isolated */
    cor_network *net = NULL;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_builder_finish(b, &net, &err), COR_OK);
    cor_components cc;
    assert_int_equal(cor_network_components(net, NULL, &cc, &err), COR_OK);
    assert_int_equal(cc.count, 2);
    assert_int_equal(cc.isolated, 1);
    assert_int_equal(cc.items[0].nodes, 3); /* DEF: 3 nodes, 3 links beats ABC's 2 links */
    assert_int_equal(cc.items[0].links, 3);
    assert_string_equal(cor_network_node(net, cc.items[0].node)->id, "D");
    assert_true(cc.items[0].bbox[0] == 3 && cc.items[0].bbox[2] == 5);
    assert_true(cc.items[0].km == 3);
    assert_int_equal(cc.label[cor_network_find_node(net, "A")], 1);
    assert_int_equal(cc.label[cor_network_find_node(net, "G")], COR_NONE);
    cor_components_clear(&cc);
    cor_error_clear(&err);
    cor_profile p; /* roads only: BC is not counted, C becomes isolated */
    cor_profile_init(&p);
    p.modes = 1u << COR_MODE_ROAD;
    assert_int_equal(cor_network_components(net, &p, &cc, &err), COR_OK);
    assert_int_equal(cc.count, 2);
    assert_int_equal(cc.isolated, 2);
    assert_int_equal(cc.items[1].nodes, 2);
    cor_components_clear(&cc);
    const char *missing[] = {"NOPE"};
    p.avoid_nodes = missing;
    p.n_avoid_nodes = 1;
    assert_int_equal(cor_network_components(net, &p, &cc, &err), COR_ERR_NOT_FOUND);
    cor_error_clear(&err);
    cor_network_free(net);
}

/* The bundled country set's format: a TopoJSON (quantized, delta-encoded arcs, one arc shared
 * by two countries and reversed in the second) with ISO numeric ids turned into alpha-2 by
 * an iso-codes table; ids the table lacks, and geometries without one, are skipped. */
static void test_countries_topojson(void **state)
{
    (void)state;
    static const char topo[] =
        "{\"type\": \"Topology\", \"transform\": {\"scale\": [0.5, 0.5], \"translate\": [10, 40]},"
        " \"objects\": {\"countries\": {\"type\": \"GeometryCollection\", \"geometries\": ["
        "  {\"type\": \"Polygon\", \"id\": \"020\", \"arcs\": [[0, 1]]},"
        "  {\"type\": \"MultiPolygon\", \"id\": \"250\", \"arcs\": [[[-2, 2]]]},"
        "  {\"type\": \"Polygon\", \"id\": \"999\", \"arcs\": [[0, 1]]},"
        "  {\"type\": \"Polygon\", \"arcs\": [[0, 1]]}]}},"
        " \"arcs\": [[[2, 2], [-2, 0], [0, -2], [2, 0]], [[2, 0], [0, 2]],"
        "            [[2, 0], [2, 0], [0, 2], [-2, 0]]]}";
    static const char iso[] = "{\"3166-1\": [{\"alpha_2\": \"AD\", \"numeric\": \"020\"},"
                              " {\"alpha_2\": \"FR\", \"numeric\": \"250\"}]}";
    char tp[256], ip[256];
    cor_test_write_temp(".json", topo, (size_t)-1, tp, sizeof tp);
    cor_test_write_temp(".json", iso, (size_t)-1, ip, sizeof ip);
    country_set *cs = country_set_new();
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(country_set_load_topojson(cs, tp, ip, &err), COR_OK);
    assert_true(country_set_finish(cs));
    assert_int_equal(country_set_polygons(cs), 2);
    assert_string_equal(country_set_lookup(cs, 10.5, 40.5), "AD"); /* lon 10..11, lat 40..41 */
    assert_string_equal(country_set_lookup(cs, 11.5, 40.5), "FR"); /* lon 11..12 */
    assert_null(country_set_lookup(cs, 12.5, 40.5));
    assert_null(country_set_lookup(cs, 10.5, 41.5));
    country_set_free(cs);
    /* an arc index past the arcs, or no objects.countries: refused, naming the file */
    static const char broken[] =
        "{\"type\": \"Topology\", \"objects\": {\"countries\": {\"geometries\": ["
        " {\"type\": \"Polygon\", \"id\": \"020\", \"arcs\": [[7]]}]}}, \"arcs\": [[[0, 0], [1, 1]]]}";
    static const char no_countries[] = "{\"type\": \"Topology\", \"objects\": {}, \"arcs\": []}";
    char bp[256];
    const char *bad[] = {broken, no_countries, "{\"type\": \"Topology\", "};
    for (size_t i = 0; i < 3; i++) {
        cor_test_write_temp(".json", bad[i], (size_t)-1, bp, sizeof bp);
        country_set *b = country_set_new();
        assert_int_equal(country_set_load_topojson(b, bp, ip, &err), COR_ERR_INPUT);
        assert_string_equal(err.problems[0].file, bp);
        country_set_free(b);
        cor_error_clear(&err);
        remove(bp);
    }
    /* without the table nothing has a code: refused, naming the file */
    cs = country_set_new();
    assert_int_equal(country_set_load_topojson(cs, tp, "/nonexistent/iso.json", &err), COR_ERR_INPUT);
    assert_non_null(strstr(err.problems[0].file, ".json"));
    country_set_free(cs);
    cor_error_clear(&err);
    remove(tp);
    remove(ip);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_at_shared_nodes),
        cmocka_unit_test(test_oneway_forms),
        cmocka_unit_test(test_access),
        cmocka_unit_test(test_maxspeed_forms),
        cmocka_unit_test(test_classes_when_asked),
        cmocka_unit_test(test_components_kept_and_dropped),
        cmocka_unit_test(test_ferry_durations),
        cmocka_unit_test(test_rail_gauge_and_classes),
        cmocka_unit_test(test_rail_apart_from_roads),
        cmocka_unit_test(test_bbox_keeps_whole_ways),
        cmocka_unit_test(test_countries),
        cmocka_unit_test(test_countries_hole),
        cmocka_unit_test(test_countries_topojson),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_truncated_gzip),
        cmocka_unit_test(test_network_components),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
