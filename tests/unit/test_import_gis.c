/*
 * test_import_gis.c — cor_import_gis on GeoPackages and Shapefiles built here with GDAL's C
 * API: topology from end points snapped within (and not beyond) the tolerance, lines split
 * at shared vertices, lines meeting at the antimeridian, every mapped field reaching the
 * network (from a Shapefile in Web Mercator, reprojected), each bad input's place and
 * message, and the marnet sea-lane file from ../shared/data (skipped when absent).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "loadtest.h"

#define KM_PER_DEGREE (6371.0088 * M_PI / 180) /* great circle, one degree on the equator */

/* A feature to write: WKT and the values of the fields ID, SRC, DST, LEN, TYPE. */
typedef struct ft {
    const char *wkt;
    int id;
    const char *src, *dst;
    double len;
    const char *type;
} ft;

static char dir[256];

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/cor-gis-XXXXXX");
    GDALAllRegister();
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

static const char *path_of(const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", dir, name);
    return buf;
}

static void add_fields(OGRLayerH l)
{
    static const struct {
        const char *name;
        OGRFieldType type;
    } fields[] = {{"ID", OFTInteger}, {"SRC", OFTString}, {"DST", OFTString}, {"LEN", OFTReal}, {"TYPE", OFTString}};
    for (size_t i = 0; i < 5; i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(fields[i].name, fields[i].type);
        assert_int_equal(OGR_L_CreateField(l, fd, TRUE), OGRERR_NONE);
        OGR_Fld_Destroy(fd);
    }
}

static void add_feature(OGRLayerH l, OGRSpatialReferenceH srs, const ft *f)
{
    OGRFeatureH h = OGR_F_Create(OGR_L_GetLayerDefn(l));
    OGR_F_SetFieldInteger(h, 0, f->id);
    if (f->src) OGR_F_SetFieldString(h, 1, f->src);
    if (f->dst) OGR_F_SetFieldString(h, 2, f->dst);
    if (!isnan(f->len)) OGR_F_SetFieldDouble(h, 3, f->len);
    if (f->type) OGR_F_SetFieldString(h, 4, f->type);
    char *wkt = (char *)f->wkt;
    OGRGeometryH g = NULL;
    assert_int_equal(OGR_G_CreateFromWkt(&wkt, srs, &g), OGRERR_NONE);
    OGR_F_SetGeometryDirectly(h, g);
    assert_int_equal(OGR_L_CreateFeature(l, h), OGRERR_NONE);
    OGR_F_Destroy(h);
}

/* Adds a layer to the file (created when `create`) with the features. */
static void write_layer(const char *driver, const char *path, bool create, const char *name, int epsg,
                        OGRwkbGeometryType type, const ft *fts, size_t n)
{
    GDALDatasetH ds = create ? GDALCreate(GDALGetDriverByName(driver), path, 0, 0, 0, GDT_Unknown, NULL)
                             : GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    assert_int_equal(OSRImportFromEPSG(srs, epsg), OGRERR_NONE);
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayerH l = GDALDatasetCreateLayer(ds, name, srs, type, NULL);
    assert_non_null(l);
    add_fields(l);
    for (size_t i = 0; i < n; i++) add_feature(l, srs, &fts[i]);
    OSRRelease(srs);
    GDALClose(ds);
}

static cor_network *import_ok(const cor_gis_spec *spec)
{
    cor_error err;
    cor_network *net = NULL;
    cor_error_init(&err);
    cor_status st = cor_import_gis(&net, spec, &err);
    if (st != COR_OK) lt_print_problems(&err);
    assert_int_equal(st, COR_OK);
    assert_non_null(net);
    cor_error_clear(&err);
    return net;
}

/* The import must fail with status `want` and a problem at (feature, field) saying `words`. */
static void import_fails(const cor_gis_spec *spec, cor_status want, long feature, const char *field,
                         const char *words)
{
    cor_error err;
    cor_network *net = (cor_network *)&err;
    cor_error_init(&err);
    cor_status st = cor_import_gis(&net, spec, &err);
    const cor_problem *p = lt_find(&err, -2, feature, field);
    if (!p || !strstr(p->message, words)) {
        print_message("expected feature %ld, field %s: '%s'\n", feature, field ? field : "-", words);
        lt_print_problems(&err);
    }
    assert_int_equal(st, want);
    assert_null(net);
    assert_non_null(p);
    assert_non_null(strstr(p->message, words));
    assert_string_equal(p->file, spec->path);
    cor_error_clear(&err);
}

static const cor_link *link_of(const cor_network *net, const char *id)
{
    uint32_t i = cor_network_find_link(net, id);
    if (i == COR_NONE) print_message("no link '%s'\n", id);
    assert_int_not_equal(i, COR_NONE);
    return cor_network_link(net, i);
}

static const char *end_id(const cor_network *net, const cor_link *l, bool to)
{
    return cor_network_node(net, to ? l->to : l->from)->id;
}

/* ---------------------------------------------------------------- snapping */

/* Line 2 starts 0.11 m from line 1's end, line 3 starts 111 m from line 2's end. */
static const ft nearly[] = {{"LINESTRING (0 0, 1 0)", 1, NULL, NULL, NAN, NULL},
                            {"LINESTRING (1.000001 0, 2 0)", 2, NULL, NULL, NAN, NULL},
                            {"LINESTRING (2.001 0, 3 0)", 3, NULL, NULL, NAN, NULL}};

static void snapped_within_tolerance(void **state)
{
    char path[300];
    write_layer("GPKG", path_of("nearly.gpkg", path, sizeof path), true, "lanes", 4326, wkbLineString,
                nearly, 3);
    cor_gis_stats stats;
    cor_gis_spec spec = {.path = path, .mode = "sea", .snap_metres = 1, .stats = &stats};
    cor_network *net = import_ok(&spec);
    assert_int_equal(cor_network_node_count(net), 5);
    assert_int_equal(cor_network_link_count(net), 3);
    assert_string_equal(stats.layer, "lanes");
    assert_int_equal(stats.features, 3);
    assert_int_equal(stats.components, 2);
    assert_int_equal(stats.largest_component, 3);
    const cor_link *a = link_of(net, "1"), *b = link_of(net, "2"), *c = link_of(net, "3");
    assert_string_equal(end_id(net, a, false), "n1");
    assert_string_equal(end_id(net, a, true), "n2");
    assert_int_equal(b->from, a->to); /* 0.11 m apart: one node */
    assert_int_not_equal(c->from, b->to); /* 111 m apart: two */
    assert_int_equal(a->mode, COR_MODE_SEA);
    assert_int_equal(a->layer, COR_LAYER_TRANSPORT);
    assert_float_equal(a->length_km, KM_PER_DEGREE, 1e-6);
    /* the line ends on its node: b's first point moved to a's end (1, 0) */
    const double *xy = cor_network_coords(net) + 2 * b->geom_first;
    assert_float_equal(xy[0], 1, 1e-12);
    cor_network_free(net);

    spec.snap_metres = 200; /* now the 111 m gap closes too */
    net = import_ok(&spec);
    assert_int_equal(cor_network_node_count(net), 4);
    assert_int_equal(link_of(net, "3")->from, link_of(net, "2")->to);
    assert_int_equal(stats.components, 1);
    cor_network_free(net);

    spec.snap_metres = 0; /* only coinciding points */
    net = import_ok(&spec);
    assert_int_equal(cor_network_node_count(net), 6);
    cor_network_free(net);
}

/* A cross: two lines through a shared interior vertex (1, 0), and a third ending on it. */
static const ft cross[] = {{"LINESTRING (0 0, 1 0, 2 0)", 1, NULL, NULL, NAN, NULL},
                           {"LINESTRING (1 -1, 1 0, 1 1)", 2, NULL, NULL, NAN, NULL},
                           {"MULTILINESTRING ((3 3, 1 0), (5 5, 6 6))", 3, NULL, NULL, NAN, NULL}};

static void split_at_shared_vertices(void **state)
{
    char path[300];
    write_layer("GPKG", path_of("cross.gpkg", path, sizeof path), true, "cross", 4326, wkbUnknown, cross, 3);
    cor_gis_spec spec = {.path = path, .mode = "road"};
    cor_network *net = import_ok(&spec);
    /* no split: the ends only; (1,0) is a node as the end of line 3's first part */
    assert_int_equal(cor_network_link_count(net), 4);
    assert_int_equal(cor_network_node_count(net), 8);
    link_of(net, "3-1"), link_of(net, "3-2");
    cor_network_free(net);

    spec.split_vertices = true;
    net = import_ok(&spec);
    assert_int_equal(cor_network_link_count(net), 6);
    assert_int_equal(cor_network_node_count(net), 8);
    const cor_link *a1 = link_of(net, "1-1"), *a2 = link_of(net, "1-2"), *b1 = link_of(net, "2-1");
    assert_int_equal(a1->to, a2->from);
    assert_int_equal(b1->to, a1->to);
    assert_int_equal(link_of(net, "3-1")->to, a1->to);
    const cor_node *mid = cor_network_node(net, a1->to);
    assert_float_equal(mid->lon, 1, 0);
    assert_float_equal(mid->lat, 0, 0);
    assert_float_equal(a1->length_km, KM_PER_DEGREE, 1e-6);
    cor_network_free(net);
}

/* marnet's lines run past 180 where they cross the antimeridian. */
static void antimeridian(void **state)
{
    static const ft lines[] = {{"LINESTRING (179.5 10, 180.5 10)", 1, NULL, NULL, NAN, NULL},
                               {"LINESTRING (-179.5 10, -178 10)", 2, NULL, NULL, NAN, NULL}};
    char path[300];
    write_layer("GPKG", path_of("dateline.gpkg", path, sizeof path), true, "l", 4326, wkbLineString, lines, 2);
    cor_gis_spec spec = {.path = path, .mode = "sea"};
    cor_network *net = import_ok(&spec);
    assert_int_equal(cor_network_node_count(net), 3);
    const cor_link *a = link_of(net, "1");
    assert_int_equal(a->to, link_of(net, "2")->from);
    assert_float_equal(cor_network_node(net, a->to)->lon, -179.5, 1e-9);
    assert_float_equal(a->length_km, KM_PER_DEGREE * cos(10 * M_PI / 180), 0.05);
    cor_network_free(net);
}

/* ---------------------------------------------------------------- field mapping */

/* Web Mercator metres of (lon, lat). */
#define MX(lon) ((lon) * 20037508.342789244 / 180)
#define MY(lat) (6378137 * log(tan(M_PI / 4 + (lat) * M_PI / 360)))

static void mapped_fields_from_a_shapefile(void **state)
{
    char w0[160], w1[160], path[300];
    snprintf(w0, sizeof w0, "LINESTRING (%.6f %.6f, %.6f %.6f)", MX(1.0), MY(10.0), MX(2.0), MY(10.0));
    snprintf(w1, sizeof w1, "LINESTRING (%.6f %.6f, %.6f %.6f)", MX(2.0), MY(10.0), MX(2.0), MY(11.0));
    ft fts[] = {{w0, 70, "A", "B", 115.5, "rail"}, {w1, 71, "B", "C", NAN, "road"}};
    write_layer("ESRI Shapefile", path_of("links.shp", path, sizeof path), true, "links", 3857, wkbLineString, fts, 2);
    cor_gis_stats stats;
    cor_gis_spec spec = {.path = path, .map = "from=SRC,to=DST,length_km=LEN,mode=TYPE,id=ID", .stats = &stats};
    cor_network *net = import_ok(&spec);
    assert_true(stats.reprojected);
    assert_int_equal(cor_network_node_count(net), 3);
    const cor_link *a = link_of(net, "70"), *b = link_of(net, "71");
    assert_string_equal(end_id(net, a, false), "A");
    assert_string_equal(end_id(net, a, true), "B");
    assert_string_equal(end_id(net, b, true), "C");
    assert_int_equal(a->mode, COR_MODE_RAIL);
    assert_int_equal(b->mode, COR_MODE_ROAD);
    assert_float_equal(a->length_km, 115.5, 0);
    assert_float_equal(b->length_km, KM_PER_DEGREE, 1e-3); /* LEN empty: the geometry's */
    const cor_node *n = cor_network_node(net, a->from);
    assert_float_equal(n->lon, 1, 1e-7);
    assert_float_equal(n->lat, 10, 1e-7);
    cor_network_free(net);

    spec.map = "from=SRC,to=DST,length_km=LEN*1000,source=TYPE"; /* scaled; ids from FIDs */
    spec.mode = "ferry";
    spec.layer_kind = "transport";
    net = import_ok(&spec);
    a = link_of(net, "0");
    assert_float_equal(a->length_km, 115500, 0);
    assert_string_equal(a->source, "rail");
    assert_int_equal(a->mode, COR_MODE_FERRY);
    cor_network_free(net);
}

/* ---------------------------------------------------------------- bad input */

static void bad_spec_and_layers(void **state)
{
    char path[300], other[300];
    write_layer("GPKG", path_of("two.gpkg", path, sizeof path), true, "first", 4326, wkbLineString, nearly, 3);
    cor_gis_spec spec = {.path = path, .mode = "sea"};
    cor_network_free(import_ok(&spec));
    write_layer("GPKG", path, false, "second", 4326, wkbLineString, nearly, 1);
    import_fails(&spec, COR_ERR_INPUT, -1, "layer", "2 line layers in the file: name one (layers: 'first'");
    spec.layer = "third";
    import_fails(&spec, COR_ERR_INPUT, -1, "layer", "no layer 'third' in the file (layers: 'first' (Line String), 'second'");
    spec.layer = "second";
    cor_network_free(import_ok(&spec));
    spec.map = "length=LEN";
    import_fails(&spec, COR_ERR_USAGE, -1, "map", "unknown link field 'length' (one of: id, from, to");
    spec.map = "length_km=NOPE";
    import_fails(&spec, COR_ERR_INPUT, -1, "NOPE", "no field 'NOPE' in layer 'second' (mapped to length_km; fields: ID, SRC");
    spec.map = "length_km=TYPE";
    import_fails(&spec, COR_ERR_INPUT, -1, "TYPE", "is a String field; length_km needs a number");
    spec.map = "from=SRC";
    import_fails(&spec, COR_ERR_USAGE, -1, "map", "map both from and to, or neither");
    spec.map = "length_km";
    import_fails(&spec, COR_ERR_USAGE, -1, "map", "is not key=FIELD");
    spec.map = NULL;
    spec.mode = NULL;
    import_fails(&spec, COR_ERR_USAGE, -1, "mode", "no mode: give a default mode");
    spec.mode = "hovercraft";
    import_fails(&spec, COR_ERR_USAGE, -1, "mode", "unknown mode 'hovercraft' (one of: rail, road");
    spec.mode = "sea";
    spec.snap_metres = -1;
    import_fails(&spec, COR_ERR_USAGE, -1, "snap-metres", "must be a number of metres >= 0");
    spec.snap_metres = 0;
    spec.path = path_of("absent.gpkg", other, sizeof other);
    import_fails(&spec, COR_ERR_IO, -1, NULL, "cannot open: No such file");
    assert_non_null(cor_test_write_temp(".gpkg", "not a geopackage\n", (size_t)-1, other, sizeof other));
    spec.path = other;
    import_fails(&spec, COR_ERR_INPUT, -1, NULL, "not a vector file GDAL/OGR can read");
    unlink(other);
}

static void bad_features(void **state)
{
    static const ft fts[] = {{"LINESTRING (0 0, 1 0)", 1, "A", "B", 5, "rail"},
                             {"POINT (3 3)", 2, "B", "C", 5, "rail"},
                             {"LINESTRING (1 0, 2 0)", 3, "B", "C", 5, "hovercraft"},
                             {"LINESTRING (2 0, 3 0)", 4, NULL, "D", -5, "road"}};
    char path[300];
    write_layer("GPKG", path_of("bad.gpkg", path, sizeof path), true, "bad", 4326, wkbUnknown, fts, 4);
    cor_gis_spec spec = {.path = path, .map = "from=SRC,to=DST,length_km=LEN,mode=TYPE"};
    /* GeoPackage FIDs start at 1: feature N is the FID ogrinfo shows */
    import_fails(&spec, COR_ERR_INPUT, 2, "geometry", "a Point, not a line (LineString or MultiLineString)");
    import_fails(&spec, COR_ERR_INPUT, 3, "TYPE", "unknown mode 'hovercraft' (one of: rail, road");
    import_fails(&spec, COR_ERR_INPUT, 4, "SRC", "empty value: from is required");
}

static void bad_values_checked_by_the_network(void **state)
{
    static const ft fts[] = {{"LINESTRING (0 0, 1 0)", 1, "A", "B", -5, "pipeline"}};
    char path[300];
    write_layer("GPKG", path_of("neg.gpkg", path, sizeof path), true, "neg", 4326, wkbLineString, fts, 1);
    cor_gis_spec spec = {.path = path, .map = "from=SRC,to=DST,length_km=LEN,mode=TYPE"};
    cor_error err;
    cor_network *net = NULL;
    cor_error_init(&err);
    assert_int_equal(cor_import_gis(&net, &spec, &err), COR_ERR_INPUT);
    assert_null(net);
    lt_print_problems(&err);
    assert_non_null(lt_find(&err, -2, 1, "length_km"));
    assert_non_null(lt_find(&err, -2, 1, "mode")); /* a pipeline on the transport layer */
    cor_error_clear(&err);
}

/* ---------------------------------------------------------------- marnet */

static void marnet_sea_lanes(void **state)
{
    char path[512];
    if (!cor_test_shared_data("maritime/eurostat-searoute/marnet_plus_50km.gpkg", path, sizeof path)) {
        print_message("skipped: ../shared/data/maritime/eurostat-searoute/marnet_plus_50km.gpkg is absent\n");
        skip();
    }
    cor_gis_stats stats;
    cor_gis_spec spec = {.path = path, .mode = "sea", .stats = &stats};
    cor_network *net = import_ok(&spec);
    assert_int_equal(stats.features, 15498);
    assert_int_equal(stats.parts, 15498);
    /* every lane joins the others where their end points coincide: one sea */
    assert_int_equal(stats.components, 1);
    assert_int_equal(stats.largest_component, cor_network_node_count(net));
    assert_int_equal(cor_network_link_count(net) + stats.loops_dropped, 15498);
    assert_int_equal(cor_network_node_count(net), 7378);
    for (uint32_t i = 0; i < cor_network_link_count(net); i++) {
        const cor_link *l = cor_network_link(net, i);
        assert_int_equal(l->mode, COR_MODE_SEA);
        assert_true(l->length_km > 0 && l->length_km < 5000);
    }
    cor_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(snapped_within_tolerance),
        cmocka_unit_test(split_at_shared_vertices),
        cmocka_unit_test(antimeridian),
        cmocka_unit_test(mapped_fields_from_a_shapefile),
        cmocka_unit_test(bad_spec_and_layers),
        cmocka_unit_test(bad_features),
        cmocka_unit_test(bad_values_checked_by_the_network),
        cmocka_unit_test(marnet_sea_lanes),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
