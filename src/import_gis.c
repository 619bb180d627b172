/*
 * import_gis.c — cor_import_gis: a network from any line layer GDAL/OGR reads
 * (GeoPackage, Shapefile, GeoJSON, FlatGeobuf, ...), through OGR's C API.
 *
 * The idea. Two passes over the layer. The first reads every geometry (reprojected to
 * WGS84 lon/lat, axis order "traditional GIS": longitude first) into one array of points,
 * one range per LineString part. Unless from/to are mapped, the topology then comes from
 * the points themselves: every end point (and with split_vertices every vertex) goes into
 * a grid of cells of the snap tolerance over 3-D unit vectors, sorted; points within the
 * tolerance of each other, looked up in the 27 neighbouring cells, are joined in a
 * union-find whose root is the cluster's first point read (deterministic node ids "n1",
 * "n2", ... in reading order, each at its first point's position). Unit vectors rather
 * than degrees make the metric honest at every latitude and join lines that meet at the
 * antimeridian (180 and -180 are one point). The second pass reads the attributes through
 * the mapping (`--map from=SRC,...`) with the project's own field rules (load_fields.c)
 * and adds one link per piece to a cor_builder, which validates the whole network.
 *
 * The trade-off. Two reads of the layer instead of holding every feature's attributes:
 * memory is the points (16 bytes each) plus, while snapping, 56 bytes per snapped point;
 * the file is read twice. Snapping is single-linkage: a chain of points each within the
 * tolerance of the next is one node even if its ends are farther apart (documented).
 * A piece whose two ends fall on one node is dropped (a loop carries nothing) and counted.
 *
 * GDAL's messages are caught by a handler pushed for the call (thread-local in GDAL), so
 * the library still never prints. OGR API: https://gdal.org/api/vector_c_api.html.
 */
#include "load.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <errno.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define EARTH_M 6371008.8             /* mean Earth radius (IUGG), as graph.c's km */
#define MAX_FEATURES 100000000L       /* more lines than any continent's road network */
#define MAX_POINTS ((size_t)UINT32_MAX - 2)
#define MAX_MAP 24

/* ---------------------------------------------------------------- state */

/* A mapped field: the link field it fills and where it comes from in the layer. */
typedef struct binding {
    const cor_field *f;
    int index;          /* of the layer's field */
    OGRFieldType type;
    double factor;      /* numbers only: "LEN*0.001"; 1 otherwise */
    char name[64];      /* the file's field name, for messages */
} binding;

/* One LineString: a range of points, and the feature it came from. */
typedef struct part {
    size_t first, count;
    size_t feature; /* 0-based reading order */
} part;

typedef struct gis {
    const cor_gis_spec *spec;
    cor_report *r;
    cor_builder *b;
    OGRLayerH layer;
    OGRCoordinateTransformationH ct;
    bool has_srs, said_degrees;
    size_t max_points; /* from the file's size: memory stays in proportion to the input */
    binding map[MAX_MAP];
    size_t n_map;
    const binding *id, *from, *to, *length; /* NULL when not mapped */
    cor_link tmpl; /* the defaults: --mode, --layer-kind */
    bool have_mode, mode_mapped;
    double *xy;
    size_t n_pts, cap_pts;
    part *parts;
    size_t n_parts, cap_parts, n_features;
    uint32_t *parent; /* union-find over points (snapped mode) */
    uint32_t *node_at; /* per root point: its node, COR_NONE when none */
    cor_gis_stats stats;
} gis;

/* GDAL's failures, kept for our messages instead of printed. */
typedef struct gdal_msgs {
    char last[256];
} gdal_msgs;

static void CPL_STDCALL keep_gdal_message(CPLErr cls, CPLErrorNum no, const char *msg)
{
    (void)no;
    gdal_msgs *m = CPLGetErrorHandlerUserData();
    if (m && cls >= CE_Failure) snprintf(m->last, sizeof m->last, "%s", msg);
}

static void nomem(gis *g)
{
    cor_report_add(g->r, COR_ERR_NOMEM, -1, -1, NULL, "out of memory");
}

/* ---------------------------------------------------------------- the layer */

static bool is_line_type(OGRwkbGeometryType t)
{
    t = wkbFlatten(t);
    return t == wkbLineString || t == wkbMultiLineString || t == wkbCircularString ||
           t == wkbCompoundCurve || t == wkbMultiCurve;
}

/* "a (Line String), b (Point)" */
static void list_layers(GDALDatasetH ds, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < GDALDatasetGetLayerCount(ds) && n < size; i++) {
        OGRLayerH l = GDALDatasetGetLayer(ds, i);
        n += (size_t)snprintf(buf + n, size - n, "%s'%s' (%s)", i ? ", " : "", OGR_L_GetName(l),
                              OGRGeometryTypeToName(OGR_L_GetGeomType(l)));
    }
}

static OGRLayerH choose_layer(gis *g, GDALDatasetH ds)
{
    char names[200];
    list_layers(ds, names, sizeof names);
    if (g->spec->layer) {
        OGRLayerH l = GDALDatasetGetLayerByName(ds, g->spec->layer);
        if (!l)
            cor_report_add(g->r, COR_ERR_INPUT, -1, -1, "layer", "no layer '%.60s' in the file (layers: %s)",
                           g->spec->layer, names);
        return l;
    }
    int n = GDALDatasetGetLayerCount(ds), lines = 0;
    OGRLayerH found = NULL;
    for (int i = 0; i < n; i++) {
        OGRLayerH l = GDALDatasetGetLayer(ds, i);
        if (n == 1 || is_line_type(OGR_L_GetGeomType(l))) lines++, found = l;
    }
    if (lines == 1) return found;
    cor_report_add(g->r, COR_ERR_INPUT, -1, -1, "layer",
                   lines ? "%d line layers in the file: name one (layers: %s)"
                         : "%d line layers in the file (layers: %s)",
                   lines, names);
    return NULL;
}

/* Sets up the reprojection to WGS84 lon/lat when the layer is in another CRS. */
static bool setup_crs(gis *g, gdal_msgs *m)
{
    OGRSpatialReferenceH src = OGR_L_GetSpatialRef(g->layer);
    g->has_srs = src != NULL;
    if (!src) return true;
    OGRSpatialReferenceH from = OSRClone(src), wgs = OSRNewSpatialReference(NULL);
    bool ok = from && wgs && OSRSetWellKnownGeogCS(wgs, "WGS84") == OGRERR_NONE;
    if (ok) {
        OSRSetAxisMappingStrategy(from, OAMS_TRADITIONAL_GIS_ORDER);
        OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
        if (!(OSRIsGeographic(from) && OSRIsSame(from, wgs))) {
            g->ct = OCTNewCoordinateTransformation(from, wgs);
            g->stats.reprojected = true;
            ok = g->ct != NULL;
        }
    }
    if (!ok)
        cor_report_add(g->r, COR_ERR_INPUT, -1, -1, "layer",
                       "cannot reproject the layer's CRS '%.60s' to WGS84: %s", OSRGetName(src),
                       m->last[0] ? m->last : "unsupported");
    OSRRelease(from);
    OSRRelease(wgs);
    return ok;
}

/* ---------------------------------------------------------------- the mapping */

/* What a field of OGR type t can fill, or NULL when it fits the link field's kind. */
static const char *type_misfit(cor_field_kind k, OGRFieldType t)
{
    bool whole = t == OFTInteger || t == OFTInteger64, number = whole || t == OFTReal;
    switch (k) {
    case COR_FIELD_NUMBER: return number ? NULL : "a number";
    case COR_FIELD_INT: return number ? NULL : "a whole number";
    case COR_FIELD_STRING: return t == OFTString || whole ? NULL : "text or a whole number";
    case COR_FIELD_DIRECTED: return t == OFTString || whole ? NULL : "a boolean (0/1 or true/false)";
    default: return t == OFTString ? NULL : "text";
    }
}

static const cor_field *link_field(const char *key)
{
    for (const cor_field *f = cor_link_fields; f->name; f++)
        if (strcmp(f->name, key) == 0) return f;
    return NULL;
}

/* "id, from, to, ..." */
static void list_keys(char *buf, size_t size)
{
    size_t n = 0;
    for (const cor_field *f = cor_link_fields; f->name && n < size; f++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", f == cor_link_fields ? "" : ", ", f->name);
}

static void list_fields(OGRFeatureDefnH defn, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < OGR_FD_GetFieldCount(defn) && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "",
                              OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
}

/* One "key=FIELD[*FACTOR]" item; false after a report. */
static bool bind_one(gis *g, OGRFeatureDefnH defn, char *item)
{
    char *eq = strchr(item, '='), *star;
    char keys[300], fields[240];
    if (!eq || eq == item || !eq[1])
        return cor_report_add(g->r, COR_ERR_USAGE, -1, -1, "map",
                              "'%.60s' is not key=FIELD (e.g. from=SRC,to=DST,length_km=LEN)", item), false;
    *eq = '\0';
    const cor_field *f = link_field(item);
    if (!f) {
        list_keys(keys, sizeof keys);
        return cor_report_add(g->r, COR_ERR_USAGE, -1, -1, "map",
                              "unknown link field '%.40s' (one of: %s)", item, keys), false;
    }
    for (size_t i = 0; i < g->n_map; i++)
        if (g->map[i].f == f)
            return cor_report_add(g->r, COR_ERR_USAGE, -1, -1, "map", "'%s' is mapped twice", f->name), false;
    binding *m = &g->map[g->n_map];
    m->f = f;
    m->factor = 1;
    if ((star = strchr(eq + 1, '*'))) {
        *star = '\0';
        if (f->kind != COR_FIELD_NUMBER || !cor_parse_double(star + 1, &m->factor) || !(m->factor > 0))
            return cor_report_add(g->r, COR_ERR_USAGE, -1, -1, "map",
                                  "'%s=%s*%.20s': a factor must be a number > 0, for a number field",
                                  f->name, eq + 1, star + 1), false;
    }
    snprintf(m->name, sizeof m->name, "%s", eq + 1);
    m->index = OGR_FD_GetFieldIndex(defn, m->name);
    if (m->index < 0) {
        list_fields(defn, fields, sizeof fields);
        return cor_report_add(g->r, COR_ERR_INPUT, -1, -1, m->name,
                              "no field '%s' in layer '%s' (mapped to %s; fields: %s)", m->name,
                              OGR_L_GetName(g->layer), f->name, fields), false;
    }
    m->type = OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, m->index));
    const char *want = type_misfit(f->kind, m->type);
    if (want)
        return cor_report_add(g->r, COR_ERR_INPUT, -1, -1, m->name,
                              "is a %s field; %s needs %s", OGR_GetFieldTypeName(m->type), f->name,
                              want), false;
    g->n_map++;
    return true;
}

static const binding *bound(const gis *g, const char *key)
{
    for (size_t i = 0; i < g->n_map; i++)
        if (strcmp(g->map[i].f->name, key) == 0) return &g->map[i];
    return NULL;
}

/* Parses spec->map against the layer's fields, and the defaults; false after reports. */
static bool bind_map(gis *g)
{
    const cor_gis_spec *s = g->spec;
    char why[200], *copy = strdup(s->map ? s->map : ""), *save = NULL;
    bool ok = copy != NULL;
    if (!copy) nomem(g);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(g->layer);
    for (char *item = ok ? strtok_r(copy, ",", &save) : NULL; item; item = strtok_r(NULL, ",", &save)) {
        if (g->n_map == MAX_MAP) {
            ok = (cor_report_add(g->r, COR_ERR_USAGE, -1, -1, "map", "more than %d mapped fields", MAX_MAP), false);
            break;
        }
        ok = bind_one(g, defn, item) && ok;
    }
    free(copy);
    g->id = bound(g, "id"), g->from = bound(g, "from"), g->to = bound(g, "to");
    g->length = bound(g, "length_km");
    g->mode_mapped = bound(g, "mode") != NULL;
    if (ok && !g->from != !g->to)
        ok = (cor_report_add(g->r, COR_ERR_USAGE, -1, -1, "map", "map both from and to, or neither"), false);
    cor_link_init(&g->tmpl);
    const struct { const char *key, *value; } defaults[] = {{"mode", s->mode}, {"layer", s->layer_kind}};
    for (int i = 0; i < 2; i++)
        if (defaults[i].value && !cor_field_set_text(link_field(defaults[i].key), &g->tmpl,
                                                     defaults[i].value, why, sizeof why))
            ok = (cor_report_add(g->r, COR_ERR_USAGE, -1, -1, defaults[i].key, "%s", why), false);
    g->have_mode = s->mode != NULL;
    if (ok && !g->have_mode && !g->mode_mapped)
        ok = (cor_report_add(g->r, COR_ERR_USAGE, -1, -1, "mode",
                             "no mode: give a default mode (e.g. sea) or map mode=FIELD"), false);
    return ok;
}

/* ---------------------------------------------------------------- pass 1: geometry */

static void report_feature(gis *g, long fid, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void report_feature(gis *g, long fid, const char *field, const char *fmt, ...)
{
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cor_report_add(g->r, COR_ERR_INPUT, -1, fid, field, "%s", msg);
}

/* Reprojects the points just read; false after a report. */
static bool to_wgs84(gis *g, double *xy, size_t n, long fid)
{
    for (size_t i = 0; i < n; i++) {
        double *p = xy + 2 * i;
        if (g->ct && (!OCTTransform(g->ct, 1, &p[0], &p[1], NULL) || !isfinite(p[0]) || !isfinite(p[1]))) {
            report_feature(g, fid, "geometry", "point %zu cannot be reprojected to WGS84", i);
            return false;
        }
        if (!g->has_srs && !g->said_degrees && !(fabs(p[0]) <= 360 && fabs(p[1]) <= 90)) {
            g->said_degrees = true;
            report_feature(g, fid, "geometry",
                           "point (%g, %g) is not in degrees and the layer has no CRS: give it "
                           "one (e.g. ogr2ogr -a_srs EPSG:3857)", p[0], p[1]);
            return false;
        }
        /* Lines drawn across the antimeridian run past 180 (marnet: 180.75): the same
         * place, one turn round. Lengths and snapping are on the sphere, so unaffected. */
        if (p[0] > 180 && p[0] <= 360) p[0] -= 360;
        else if (p[0] < -180 && p[0] >= -360) p[0] += 360;
    }
    return true;
}

static bool add_part(gis *g, OGRGeometryH line, long fid)
{
    int n = OGR_G_GetPointCount(line);
    if (n < 2 && !(n == 0 && g->from)) {
        report_feature(g, fid, "geometry", "a line of %d point%s: at least 2 are needed", n, n == 1 ? "" : "s");
        return false;
    }
    if (g->n_pts + (size_t)n > g->max_points) {
        report_feature(g, fid, "geometry", "more than %zu points: more than a file of this size "
                       "can hold", g->max_points);
        return false;
    }
    if (!cor_grow((void **)&g->xy, &g->cap_pts, 2 * (g->n_pts + (size_t)n), sizeof *g->xy) ||
        !cor_grow((void **)&g->parts, &g->cap_parts, g->n_parts + 1, sizeof *g->parts))
        return nomem(g), false;
    double *xy = g->xy + 2 * g->n_pts;
    if (n) OGR_G_GetPoints(line, xy, 2 * sizeof *xy, xy + 1, 2 * sizeof *xy, NULL, 0);
    if (!to_wgs84(g, xy, (size_t)n, fid)) return false;
    g->parts[g->n_parts++] = (part){g->n_pts, (size_t)n, g->n_features};
    g->n_pts += (size_t)n;
    return true;
}

/* One feature's geometry as parts; false after a report. */
static bool read_geometry(gis *g, OGRGeometryH geom, long fid)
{
    if (!geom || OGR_G_IsEmpty(geom)) {
        if (g->from) return true; /* from/to mapped: a link may have no geometry */
        report_feature(g, fid, "geometry", "no geometry: a line is needed (or map from and to)");
        return false;
    }
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(geom));
    OGRGeometryH linear = NULL;
    if (t == wkbCircularString || t == wkbCompoundCurve || t == wkbMultiCurve) {
        geom = linear = OGR_G_GetLinearGeometry(geom, 0, NULL);
        t = geom ? wkbFlatten(OGR_G_GetGeometryType(geom)) : wkbUnknown;
    }
    bool ok = true;
    if (t == wkbLineString) ok = add_part(g, geom, fid);
    else if (t == wkbMultiLineString)
        for (int i = 0; ok && i < OGR_G_GetGeometryCount(geom); i++)
            ok = add_part(g, OGR_G_GetGeometryRef(geom, i), fid);
    else {
        report_feature(g, fid, "geometry", "a %s, not a line (LineString or MultiLineString)",
                       OGRGeometryTypeToName(t));
        ok = false;
    }
    if (linear) OGR_G_DestroyGeometry(linear);
    return ok;
}

static cor_status read_geometries(gis *g)
{
    OGRFeatureH f;
    OGR_L_ResetReading(g->layer);
    while ((f = OGR_L_GetNextFeature(g->layer))) {
        long fid = (long)OGR_F_GetFID(f);
        if (g->n_features == (size_t)MAX_FEATURES) {
            OGR_F_Destroy(f);
            cor_report_add(g->r, COR_ERR_INPUT, -1, fid, NULL, "more than %ld features", MAX_FEATURES);
            break;
        }
        bool ok = read_geometry(g, OGR_F_GetGeometryRef(f), fid);
        OGR_F_Destroy(f);
        g->n_features++;
        if (!ok && g->r->status == COR_ERR_NOMEM) return COR_ERR_NOMEM;
    }
    g->stats.features = g->n_features;
    g->stats.parts = g->n_parts;
    if (g->n_features == 0 && g->r->problems == 0)
        cor_report_add(g->r, COR_ERR_INPUT, -1, -1, "layer", "layer '%s' has no feature", OGR_L_GetName(g->layer));
    return g->r->status;
}

/* ---------------------------------------------------------------- snapping */

typedef struct snap_pt {
    int64_t cell[3];
    double u[3]; /* unit vector */
    uint32_t v;  /* point index */
} snap_pt;

static int by_cell(const void *x, const void *y)
{
    const snap_pt *a = x, *b = y;
    for (int k = 0; k < 3; k++)
        if (a->cell[k] != b->cell[k]) return a->cell[k] < b->cell[k] ? -1 : 1;
    for (int k = 0; k < 3; k++)
        if (a->u[k] != b->u[k]) return a->u[k] < b->u[k] ? -1 : 1;
    return (a->v > b->v) - (a->v < b->v);
}

static uint32_t find(uint32_t *parent, uint32_t v)
{
    while (parent[v] != v) v = parent[v] = parent[parent[v]];
    return v;
}

/* Joins two clusters; the root is the smaller point index (the first read). */
static void join(uint32_t *parent, uint32_t a, uint32_t b)
{
    a = find(parent, a), b = find(parent, b);
    if (a < b) parent[b] = a;
    else parent[a] = b;
}

static void unit_vector(const double *lonlat, double u[3])
{
    double lon = lonlat[0] * M_PI / 180, lat = lonlat[1] * M_PI / 180;
    u[0] = cos(lat) * cos(lon), u[1] = cos(lat) * sin(lon), u[2] = sin(lat);
}

/* The first entry of pts[0..n) in cell c or after it. */
static size_t lower_bound(const snap_pt *pts, size_t n, const int64_t c[3])
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, k = 0;
        while (k < 3 && pts[mid].cell[k] == c[k]) k++;
        if (k < 3 && pts[mid].cell[k] < c[k]) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* Joins every point of pts within `tol` (unit-sphere units) of point i, searching the 27
 * cells around it; only points after i, so each pair is seen once. */
static void join_neighbours(uint32_t *parent, const snap_pt *pts, size_t n, size_t i, double tol)
{
    for (int d = 0; d < 27; d++) {
        int64_t c[3] = {pts[i].cell[0] + d % 3 - 1, pts[i].cell[1] + d / 3 % 3 - 1,
                        pts[i].cell[2] + d / 9 - 1};
        for (size_t j = lower_bound(pts, n, c); j < n && !memcmp(pts[j].cell, c, sizeof c); j++) {
            if (pts[j].v <= pts[i].v) continue;
            double dx = pts[i].u[0] - pts[j].u[0], dy = pts[i].u[1] - pts[j].u[1],
                   dz = pts[i].u[2] - pts[j].u[2];
            if (dx * dx + dy * dy + dz * dz <= tol * tol) join(parent, pts[i].v, pts[j].v);
        }
    }
}

/* Only runs of distinct positions are searched: identical points are joined directly. */
static size_t join_identical(uint32_t *parent, snap_pt *pts, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k && !memcmp(pts[k - 1].u, pts[i].u, sizeof pts[i].u)) join(parent, pts[k - 1].v, pts[i].v);
        else pts[k++] = pts[i];
    }
    return k;
}

static bool is_end(uint32_t v, const part *p)
{
    return v == p->first || v == p->first + p->count - 1;
}

/* Clusters the snapped points (ends; every vertex with split_vertices). */
static cor_status snap_points(gis *g)
{
    double tol_m = g->spec->snap_metres > 0.001 ? g->spec->snap_metres : 0.001;
    double tol = tol_m / EARTH_M;
    size_t n = 0;
    snap_pt *pts = malloc((g->n_pts ? g->n_pts : 1) * sizeof *pts);
    g->parent = malloc((g->n_pts ? g->n_pts : 1) * sizeof *g->parent);
    if (!pts || !g->parent) {
        free(pts);
        return nomem(g), COR_ERR_NOMEM;
    }
    for (uint32_t v = 0; v < g->n_pts; v++) g->parent[v] = v;
    for (size_t i = 0; i < g->n_parts; i++) {
        const part *p = &g->parts[i];
        for (size_t v = p->first; v < p->first + p->count; v++) {
            if (!g->spec->split_vertices && !is_end((uint32_t)v, p)) continue;
            snap_pt *s = &pts[n++];
            unit_vector(g->xy + 2 * v, s->u);
            for (int k = 0; k < 3; k++) s->cell[k] = (int64_t)floor(s->u[k] / tol);
            s->v = (uint32_t)v;
        }
    }
    qsort(pts, n, sizeof *pts, by_cell);
    n = join_identical(g->parent, pts, n);
    for (size_t i = 0; i < n; i++) join_neighbours(g->parent, pts, n, i, tol);
    free(pts);
    return COR_OK;
}

/* Numbers the nodes: the points that end a part, or (split_vertices) share their cluster
 * with another point; each cluster's node sits at its root, the first point read. */
static cor_status number_nodes(gis *g)
{
    uint32_t *size = calloc(g->n_pts ? g->n_pts : 1, sizeof *size);
    g->node_at = malloc((g->n_pts ? g->n_pts : 1) * sizeof *g->node_at);
    if (!size || !g->node_at) {
        free(size);
        return nomem(g), COR_ERR_NOMEM;
    }
    for (uint32_t v = 0; v < g->n_pts; v++) size[find(g->parent, v)]++, g->node_at[v] = COR_NONE;
    uint32_t nodes = 0;
    cor_status st = COR_OK;
    for (size_t i = 0; i < g->n_parts && st == COR_OK; i++) {
        const part *p = &g->parts[i];
        for (size_t v = p->first; v < p->first + p->count && st == COR_OK; v++) {
            uint32_t root = find(g->parent, (uint32_t)v);
            if (!is_end((uint32_t)v, p) && !(g->spec->split_vertices && size[root] > 1)) continue;
            if (g->node_at[root] != COR_NONE) continue;
            g->node_at[root] = nodes++;
            char id[24];
            cor_node n;
            cor_node_init(&n);
            snprintf(id, sizeof id, "n%u", nodes);
            n.id = id;
            n.lon = g->xy[2 * root], n.lat = g->xy[2 * root + 1];
            st = cor_builder_add_node(g->b, &n, -1, -1);
        }
    }
    free(size);
    if (st != COR_OK) nomem(g);
    return st;
}

/* The node of point v, COR_NONE when v is not one (an interior vertex kept in its line). */
static uint32_t node_of(const gis *g, uint32_t v)
{
    return g->node_at[find(g->parent, v)];
}

/* ---------------------------------------------------------------- pass 2: attributes */

static double great_circle_km(const double *xy, size_t n)
{
    double km = 0;
    for (size_t i = 1; i < n; i++) {
        const double *a = xy + 2 * (i - 1), *b = xy + 2 * i;
        double dlat = (b[1] - a[1]) * M_PI / 360, dlon = (b[0] - a[0]) * M_PI / 360;
        double h = sin(dlat) * sin(dlat) +
                   cos(a[1] * M_PI / 180) * cos(b[1] * M_PI / 180) * sin(dlon) * sin(dlon);
        km += 2 * EARTH_M / 1000 * asin(sqrt(h < 1 ? h : 1));
    }
    return km;
}

/* One mapped value into l; false after a report. A null value leaves the default. */
static bool read_value(gis *g, OGRFeatureH f, const binding *m, long fid, cor_link *l)
{
    char why[200];
    if (!OGR_F_IsFieldSetAndNotNull(f, m->index)) {
        if (m->f->required && !(m->f == link_field("mode") && g->have_mode)) {
            report_feature(g, fid, m->name, "empty value: %s is required", m->f->name);
            return false;
        }
        return true;
    }
    if (m->f->kind == COR_FIELD_NUMBER) {
        cor_field_set_number(m->f, l, OGR_F_GetFieldAsDouble(f, m->index) * m->factor);
        return true;
    }
    const char *text = OGR_F_GetFieldAsString(f, m->index);
    if (*text && cor_field_set_text(m->f, l, text, why, sizeof why)) return true;
    report_feature(g, fid, m->name, "%s", *text ? why : "empty value");
    return false;
}

/* The feature's link attributes (strings point into f); false after reports. */
static bool read_attributes(gis *g, OGRFeatureH f, long fid, cor_link *l)
{
    bool ok = true;
    *l = g->tmpl;
    for (size_t i = 0; i < g->n_map; i++) ok = read_value(g, f, &g->map[i], fid, l) && ok;
    return ok;
}

/* A piece of a part between two nodes: points [first, last]. */
typedef struct piece {
    size_t first, last;
    uint32_t from, to;
} piece;

typedef struct pieces {
    piece *p;
    size_t n, cap;
    double *buf; /* one piece's points */
    size_t buf_cap;
} pieces;

/* Cuts a part at its nodes; loops (both ends on one node) are dropped and counted. */
static bool cut_part(gis *g, const part *p, pieces *out)
{
    size_t start = p->first;
    for (size_t v = p->first + 1; v < p->first + p->count; v++) {
        uint32_t to = node_of(g, (uint32_t)v);
        if (to == COR_NONE) continue;
        uint32_t from = node_of(g, (uint32_t)start);
        if (from == to) g->stats.loops_dropped++;
        else {
            if (!cor_grow((void **)&out->p, &out->cap, out->n + 1, sizeof *out->p)) return false;
            out->p[out->n++] = (piece){start, v, from, to};
        }
        start = v;
    }
    return true;
}

static cor_status add_piece(gis *g, cor_link *l, const piece *pc, const char *base, size_t k,
                            size_t n, pieces *ps, long fid)
{
    char id[160], from[24], to[24];
    size_t count = pc->last - pc->first + 1;
    if (!cor_grow((void **)&ps->buf, &ps->buf_cap, 2 * count, sizeof *ps->buf)) return COR_ERR_NOMEM;
    memcpy(ps->buf, g->xy + 2 * pc->first, 2 * count * sizeof *ps->buf);
    memcpy(ps->buf, g->xy + 2 * find(g->parent, (uint32_t)pc->first), 2 * sizeof *ps->buf);
    memcpy(ps->buf + 2 * (count - 1), g->xy + 2 * find(g->parent, (uint32_t)pc->last),
           2 * sizeof *ps->buf);
    if (n > 1) snprintf(id, sizeof id, "%s-%zu", base, k + 1);
    else snprintf(id, sizeof id, "%s", base);
    snprintf(from, sizeof from, "n%u", pc->from + 1);
    snprintf(to, sizeof to, "n%u", pc->to + 1);
    cor_link m = *l;
    m.id = id, m.from_id = from, m.to_id = to;
    if (!g->length || isnan(m.length_km)) m.length_km = great_circle_km(ps->buf, count);
    return cor_builder_add_link(g->b, &m, ps->buf, count, -1, fid);
}

/* The links of feature k (parts [*at, ...) are its own) in snapped mode. */
static cor_status emit_snapped(gis *g, cor_link *l, const char *base, size_t *at, pieces *ps, long fid)
{
    ps->n = 0;
    for (; *at < g->n_parts && g->parts[*at].feature == g->n_features; (*at)++)
        if (!cut_part(g, &g->parts[*at], ps)) return COR_ERR_NOMEM;
    cor_status st = COR_OK;
    for (size_t k = 0; k < ps->n && st == COR_OK; k++) st = add_piece(g, l, &ps->p[k], base, k, ps->n, ps, fid);
    return st;
}

/* With from/to mapped: one link per feature, its parts end to end (length: their sum). */
static cor_status emit_mapped(gis *g, cor_link *l, const char *base, size_t *at, long fid)
{
    size_t first = *at < g->n_parts ? g->parts[*at].first : 0, count = 0;
    double km = 0;
    for (; *at < g->n_parts && g->parts[*at].feature == g->n_features; (*at)++) {
        km += great_circle_km(g->xy + 2 * g->parts[*at].first, g->parts[*at].count);
        count += g->parts[*at].count;
    }
    cor_link m = *l;
    if (!g->id) m.id = base;
    if ((!g->length || isnan(m.length_km)) && count) m.length_km = km;
    return cor_builder_add_link(g->b, &m, count ? g->xy + 2 * first : NULL, count, -1, fid);
}

static cor_status read_links(gis *g)
{
    OGRFeatureH f;
    size_t at = 0;
    pieces ps = {0};
    cor_status st = COR_OK;
    g->n_features = 0;
    OGR_L_ResetReading(g->layer);
    while (st == COR_OK && (f = OGR_L_GetNextFeature(g->layer))) {
        long fid = (long)OGR_F_GetFID(f);
        cor_link l;
        char base[128];
        if (read_attributes(g, f, fid, &l) && g->r->problems == 0) {
            if (g->id) snprintf(base, sizeof base, "%s", l.id);
            else snprintf(base, sizeof base, "%ld", fid);
            st = g->from ? emit_mapped(g, &l, base, &at, fid) : emit_snapped(g, &l, base, &at, &ps, fid);
        }
        OGR_F_Destroy(f);
        g->n_features++;
    }
    free(ps.p);
    free(ps.buf);
    if (st == COR_ERR_NOMEM) nomem(g);
    else if (g->r->problems == 0 && g->n_features != g->stats.features)
        cor_report_add(g->r, COR_ERR_IO, -1, -1, NULL, "the layer changed while it was read");
    return g->r->status;
}

/* ---------------------------------------------------------------- the import */

/* Connected components of the network, for the summary. */
static void count_components(const cor_network *net, cor_gis_stats *s)
{
    size_t n = cor_network_node_count(net);
    uint32_t *parent = malloc((n ? n : 1) * sizeof *parent), *size = calloc(n ? n : 1, sizeof *size);
    if (parent && size) {
        for (uint32_t v = 0; v < n; v++) parent[v] = v;
        for (uint32_t i = 0; i < cor_network_link_count(net); i++)
            join(parent, cor_network_link(net, i)->from, cor_network_link(net, i)->to);
        for (uint32_t v = 0; v < n; v++) {
            uint32_t r = find(parent, v);
            if (size[r]++ == 0) s->components++;
            if (size[r] > s->largest_component) s->largest_component = size[r];
        }
    }
    free(parent);
    free(size);
}

/* At most 64 points per byte of the file (a GeoPackage point takes 16 bytes; 64 leaves room
 * for compressed inputs OGR reads, .shp.zip), 10^6 at least; a folder (of Shapefiles) is
 * bounded by MAX_POINTS only. */
static size_t points_bound(const struct stat *st)
{
    if (S_ISDIR(st->st_mode) || (uint64_t)st->st_size > MAX_POINTS / 64) return MAX_POINTS;
    size_t n = 64 * (size_t)st->st_size;
    return n < 1000000 ? 1000000 : n;
}

static bool check_spec(const cor_gis_spec *s, cor_report *r, size_t *max_points)
{
    if (!s || !s->path || !*s->path) {
        cor_report_add(r, COR_ERR_USAGE, -1, -1, NULL, "no file name given");
        return false;
    }
    if (!(s->snap_metres >= 0) || !isfinite(s->snap_metres)) {
        cor_report_add(r, COR_ERR_USAGE, -1, -1, "snap-metres",
                       "the snap tolerance must be a number of metres >= 0, got %g", s->snap_metres);
        return false;
    }
    struct stat st;
    if (stat(s->path, &st) != 0) {
        cor_report_add(r, COR_ERR_IO, -1, -1, NULL, "cannot open: %s", strerror(errno));
        return false;
    }
    *max_points = points_bound(&st);
    return true;
}

/* Everything between opening the layer and finishing the builder. */
static cor_status import_layer(gis *g, GDALDatasetH ds, gdal_msgs *m)
{
    if (!(g->layer = choose_layer(g, ds)) || !setup_crs(g, m) || !bind_map(g)) return g->r->status;
    snprintf(g->stats.layer, sizeof g->stats.layer, "%s", OGR_L_GetName(g->layer));
    GIntBig declared = OGR_L_GetFeatureCount(g->layer, FALSE);
    if (declared > MAX_FEATURES) {
        cor_report_add(g->r, COR_ERR_INPUT, -1, -1, "layer", "the layer declares %lld features, more than %ld",
                       (long long)declared, MAX_FEATURES);
        return g->r->status;
    }
    if (read_geometries(g) != COR_OK) {
        if (g->r->status != COR_ERR_NOMEM) read_links(g); /* the attributes' problems too */
        return g->r->status;
    }
    cor_builder_set_implicit_nodes(g->b, g->from != NULL);
    if (!g->from && (snap_points(g) != COR_OK || number_nodes(g) != COR_OK)) return g->r->status;
    return read_links(g);
}

cor_status cor_import_gis(cor_network **out, const cor_gis_spec *spec, cor_error *err)
{
    *out = NULL;
    cor_report r;
    cor_report_init(&r, err, spec && spec->path ? spec->path : "");
    size_t max_points;
    if (!check_spec(spec, &r, &max_points)) return r.status;
    gdal_msgs m = {{0}};
    CPLPushErrorHandlerEx(keep_gdal_message, &m);
    GDALAllRegister();
    gis g = {.spec = spec, .r = &r, .max_points = max_points};
    GDALDatasetH ds = GDALOpenEx(spec->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    cor_status st;
    if (!ds) {
        cor_report_add(&r, COR_ERR_INPUT, -1, -1, NULL, "not a vector file GDAL/OGR can read%s%s",
                       m.last[0] ? ": " : "", m.last);
        st = r.status;
    } else if (!(g.b = cor_builder_new(spec->path))) {
        nomem(&g);
        st = COR_ERR_NOMEM;
    } else if ((st = import_layer(&g, ds, &m)) == COR_OK && r.problems == 0) {
        st = cor_builder_finish(g.b, out, err);
        g.b = NULL;
        if (st == COR_OK) count_components(*out, &g.stats);
    }
    if (st == COR_OK && spec->stats) *spec->stats = g.stats;
    cor_builder_free(g.b);
    if (g.ct) OCTDestroyCoordinateTransformation(g.ct);
    if (ds) GDALClose(ds);
    CPLPopErrorHandler();
    free(g.xy);
    free(g.parts);
    free(g.parent);
    free(g.node_at);
    return st != COR_OK ? st : r.status;
}
