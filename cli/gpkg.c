/*
 * gpkg.c — a command's GeoJSON result written as a GeoPackage that QGIS opens styled.
 *
 * The idea. Every analysing command already builds a GeoJSON FeatureCollection (its
 * --geojson). That document is split by geometry into layers (lines, points, and rows for
 * features without a geometry), each with one field per property seen in its features;
 * a field's type is read off the JSON values (integers → Integer64, any real → Real,
 * booleans → Integer(Boolean), text or a mix → String, arrays and objects → String(JSON)).
 * Each layer gets a row in `layer_styles`, the table QGIS reads its default style from
 * (QGIS's own schema: f_table_name, f_geometry_column, styleName, styleQML, useAsDefault,
 * ...; queried by QGIS with f_table_schema = ''), holding a QML single-symbol style whose
 * colour and width are QGIS expressions over the layer's figures (criticality, volume,
 * utilisation, ...): graduated looks without class breaks that go stale.
 *
 * The trade-off. A temporary folder beside the target takes the file and SQLite's journal
 * files (SQLite needs a file it can seek in and journal beside); the complete file is then
 * copied into the output of cor_output_open — a temporary file renamed onto the target
 * (a symlink's target), or a FIFO or device written directly — so a failed write leaves
 * nothing, and SIGTERM removes the folder and the temporary file (tempfiles.c).
 * The JSON is walked twice (schema, then rows) instead of building an intermediate table.
 * GDAL's messages are caught, not printed, and reported as ours.
 */
#define _GNU_SOURCE
#include "gpkg.h"

#include "cli.h"

#include <cpl_error.h>
#include <errno.h>
#include <fcntl.h>
#include <gdal.h>
#include <libgen.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_FIELDS 128

enum { K_LINES, K_POINTS, K_ROWS, K_COUNT };
static const char *const kind_name[K_COUNT] = {"lines", "points", "rows"};

/* The look of a command's layers: QGIS expressions for colour and width (mm). */
typedef struct style {
    const char *cmd, *colour, *width;
} style;

static const style looks[] = {
    {"route",
     "CASE \"mode\" WHEN 'rail' THEN '#7b3294' WHEN 'road' THEN '#e66101' WHEN 'ferry' THEN "
     "'#0571b0' WHEN 'sea' THEN '#2c7bb6' WHEN 'pipeline' THEN '#4d4d4d' ELSE '#1a9641' END",
     "1.2"},
    {"matrix", "ramp_color('Viridis', scale_linear(\"cost\", minimum(\"cost\"), maximum(\"cost\"), 0, 1))",
     "0.6"},
    {"flow",
     "CASE WHEN \"in_cut\" THEN '#d7191c' ELSE ramp_color('Blues', scale_linear(coalesce(\"utilisation\", 0), "
     "0, 1, 0.35, 1)) END",
     "0.4 + 2.6 * coalesce(\"utilisation\", 0)"},
    {"stress", "coalesce(\"stroke\", \"marker-color\", '#bd0026')", "0.3 + 2.5 * coalesce(\"criticality\", 0)"},
    {"assign", "ramp_color('Reds', scale_linear(coalesce(\"utilisation\", 0), 0, 1, 0.2, 1))",
     "0.3 + 3 * scale_linear(\"volume\", 0, maximum(\"volume\"), 0, 1)"},
    {"restore", "ramp_color('Spectral', scale_linear(\"order\", 1, maximum(\"order\"), 0, 1))", "1.5"},
};

/* A layer's fields, in the order their properties first appear. */
typedef struct schema {
    size_t n_features;
    size_t n;
    char *name[MAX_FIELDS];
    OGRFieldType type[MAX_FIELDS];
    OGRFieldSubType sub[MAX_FIELDS];
    bool seen[MAX_FIELDS]; /* a non-null value was seen */
    bool multi;            /* a Multi* geometry was seen */
} schema;

typedef struct writer {
    const char *cmd, *path;
    GDALDatasetH ds;
    OGRSpatialReferenceH wgs;
    char msg[256]; /* GDAL's last failure */
} writer;

static void CPL_STDCALL keep_message(CPLErr cls, CPLErrorNum no, const char *m)
{
    (void)no;
    writer *w = CPLGetErrorHandlerUserData();
    if (w && cls >= CE_Failure) snprintf(w->msg, sizeof w->msg, "%s", m);
}

static bool fail(writer *w, const char *what)
{
    cli_fail(w->cmd, COR_ERR_IO, "geopackage", "%s: %s%s%s", w->path, what, w->msg[0] ? ": " : "", w->msg);
    return false;
}

/* ---------------------------------------------------------------- the schema */

static int kind_of(json_t *geom, bool *multi)
{
    const char *t = json_string_value(json_object_get(geom, "type"));
    *multi = t && strncmp(t, "Multi", 5) == 0;
    if (!t) return K_ROWS;
    if (!strcmp(t, "LineString") || !strcmp(t, "MultiLineString")) return K_LINES;
    if (!strcmp(t, "Point") || !strcmp(t, "MultiPoint")) return K_POINTS;
    return K_ROWS;
}

static void type_of(json_t *v, OGRFieldType *t, OGRFieldSubType *s)
{
    *s = OFSTNone;
    switch (json_typeof(v)) {
    case JSON_INTEGER: *t = OFTInteger64; break;
    case JSON_REAL: *t = OFTReal; break;
    case JSON_TRUE:
    case JSON_FALSE: *t = OFTInteger, *s = OFSTBoolean; break;
    case JSON_STRING: *t = OFTString; break;
    default: *t = OFTString, *s = OFSTJSON; break;
    }
}

/* Widens a field to hold v too: integers and reals make reals, anything else text. */
static void merge(schema *sc, size_t i, json_t *v)
{
    OGRFieldType t;
    OGRFieldSubType s;
    if (json_is_null(v)) return;
    type_of(v, &t, &s);
    if (!sc->seen[i]) sc->type[i] = t, sc->sub[i] = s;
    else if (sc->type[i] == t && sc->sub[i] == s) return;
    else if ((sc->type[i] == OFTInteger64 || sc->type[i] == OFTReal) && (t == OFTInteger64 || t == OFTReal))
        sc->type[i] = OFTReal;
    else sc->type[i] = OFTString, sc->sub[i] = OFSTNone;
    sc->seen[i] = true;
}

static size_t field_at(const schema *sc, const char *key)
{
    for (size_t i = 0; i < sc->n; i++)
        if (!strcmp(sc->name[i], key)) return i;
    return MAX_FIELDS;
}

static bool add_properties(schema *sc, json_t *props)
{
    const char *key;
    json_t *v;
    json_object_foreach(props, key, v)
    {
        size_t i = field_at(sc, key);
        if (i == MAX_FIELDS) {
            if (sc->n == MAX_FIELDS || !(sc->name[sc->n] = strdup(key))) return false;
            i = sc->n++;
            sc->type[i] = OFTString, sc->sub[i] = OFSTNone, sc->seen[i] = false;
        }
        merge(sc, i, v);
    }
    return true;
}

static bool read_schemas(writer *w, json_t *features, schema sc[K_COUNT])
{
    size_t i;
    json_t *f;
    json_array_foreach(features, i, f)
    {
        bool multi;
        int k = kind_of(json_object_get(f, "geometry"), &multi);
        sc[k].n_features++;
        sc[k].multi |= multi;
        if (!add_properties(&sc[k], json_object_get(f, "properties")))
            return fail(w, "too many properties for one layer");
    }
    return true;
}

static void schemas_clear(schema sc[K_COUNT])
{
    for (int k = 0; k < K_COUNT; k++)
        for (size_t i = 0; i < sc[k].n; i++) free(sc[k].name[i]);
}

/* ---------------------------------------------------------------- rows */

static void set_value(OGRFeatureH f, int i, const schema *sc, json_t *v)
{
    if (!v || json_is_null(v)) OGR_F_SetFieldNull(f, i);
    else if (sc->type[i] == OFTReal) OGR_F_SetFieldDouble(f, i, json_number_value(v));
    else if (sc->type[i] == OFTInteger64) OGR_F_SetFieldInteger64(f, i, json_integer_value(v));
    else if (sc->sub[i] == OFSTBoolean) OGR_F_SetFieldInteger(f, i, json_is_true(v));
    else if (json_is_string(v)) OGR_F_SetFieldString(f, i, json_string_value(v));
    else {
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (text) OGR_F_SetFieldString(f, i, text);
        free(text);
    }
}

static bool set_geometry(OGRFeatureH f, json_t *geom, OGRwkbGeometryType type)
{
    char *text = json_dumps(geom, JSON_COMPACT);
    OGRGeometryH g = text ? OGR_G_CreateGeometryFromJson(text) : NULL;
    free(text);
    if (g) g = OGR_G_ForceTo(g, type, NULL);
    return g && OGR_F_SetGeometryDirectly(f, g) == OGRERR_NONE;
}

static bool write_rows(writer *w, OGRLayerH l, json_t *features, int kind, const schema *sc)
{
    size_t n;
    json_t *ft;
    OGRwkbGeometryType type = OGR_L_GetGeomType(l);
    json_array_foreach(features, n, ft)
    {
        bool multi, ok = true;
        json_t *geom = json_object_get(ft, "geometry"), *props = json_object_get(ft, "properties");
        if (kind_of(geom, &multi) != kind) continue;
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
        for (size_t i = 0; i < sc->n; i++) set_value(f, (int)i, sc, json_object_get(props, sc->name[i]));
        if (kind != K_ROWS) ok = set_geometry(f, geom, type);
        ok = ok && OGR_L_CreateFeature(l, f) == OGRERR_NONE;
        OGR_F_Destroy(f);
        if (!ok) return fail(w, "cannot write a feature");
    }
    return true;
}

/* ---------------------------------------------------------------- layers */

static OGRLayerH create_layer(writer *w, const char *name, int kind, const schema *sc)
{
    static const OGRwkbGeometryType single[] = {wkbLineString, wkbPoint, wkbNone},
                                    multi[] = {wkbMultiLineString, wkbMultiPoint, wkbNone};
    char *options[] = {"GEOMETRY_NAME=geom", "FID=fid", NULL};
    OGRLayerH l = GDALDatasetCreateLayer(w->ds, name, kind == K_ROWS ? NULL : w->wgs,
                                         (sc->multi ? multi : single)[kind], options);
    for (size_t i = 0; l && i < sc->n; i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(sc->name[i], sc->type[i]);
        OGR_Fld_SetSubType(fd, sc->sub[i]);
        bool ok = OGR_L_CreateField(l, fd, TRUE) == OGRERR_NONE;
        OGR_Fld_Destroy(fd);
        if (!ok) l = NULL;
    }
    if (!l) fail(w, "cannot create a layer");
    return l;
}

/* Writes text with XML's five special characters escaped. */
static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default: fputc(*s, f);
        }
}

/* One data-defined property of a symbol layer: an expression (QGIS property type 3). */
static void qml_property(FILE *f, const char *key, const char *expr)
{
    fprintf(f, "<Option type=\"Map\" name=\"%s\"><Option type=\"bool\" name=\"active\" value=\"true\"/>"
               "<Option type=\"QString\" name=\"expression\" value=\"", key);
    xml_text(f, expr);
    fputs("\"/><Option type=\"int\" name=\"type\" value=\"3\"/></Option>", f);
}

/* Both spellings of a symbol layer property: <Option> (QGIS >= 3.26) and <prop> (older). */
static void qml_props(FILE *f, const char *const *kv)
{
    fputs("<Option type=\"Map\">", f);
    for (const char *const *p = kv; *p; p += 2) fprintf(f, "<Option type=\"QString\" name=\"%s\" value=\"%s\"/>", p[0], p[1]);
    fputs("</Option>", f);
    for (const char *const *p = kv; *p; p += 2) fprintf(f, "<prop k=\"%s\" v=\"%s\"/>", p[0], p[1]);
}

/* A QML single-symbol style: lines (or point markers) coloured and sized by expressions. */
static char *style_qml(const style *s, int kind)
{
    static const char *const line[] = {"line_color", "31,120,180,255", "line_width", "0.8", "line_width_unit", "MM",
                                       "capstyle", "round", "joinstyle", "round", "line_style", "solid", NULL};
    static const char *const marker[] = {"name", "circle", "color", "31,120,180,255", "size", "2.5",
                                         "size_unit", "MM", "outline_color", "35,35,35,255", NULL};
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f) return NULL;
    fprintf(f, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
               "<qgis version=\"3.22.0\" styleCategories=\"Symbology\">"
               "<renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">"
               "<symbols><symbol type=\"%s\" name=\"0\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"
               "<layer class=\"%s\" enabled=\"1\" locked=\"0\" pass=\"0\">",
            kind == K_LINES ? "line" : "marker", kind == K_LINES ? "SimpleLine" : "SimpleMarker");
    qml_props(f, kind == K_LINES ? line : marker);
    fputs("<data_defined_properties><Option type=\"Map\"><Option type=\"QString\" name=\"name\" value=\"\"/>"
          "<Option type=\"Map\" name=\"properties\">", f);
    qml_property(f, kind == K_LINES ? "outlineColor" : "fillColor", s->colour);
    if (kind == K_LINES) qml_property(f, "outlineWidth", s->width);
    fputs("</Option><Option type=\"QString\" name=\"type\" value=\"collection\"/></Option>"
          "</data_defined_properties></layer></symbol></symbols><rotation/><sizescale/></renderer-v2>", f);
    fprintf(f, "<layerGeometryType>%d</layerGeometryType></qgis>\n", kind == K_LINES ? 1 : 0);
    fclose(f);
    return text;
}

/* The `layer_styles` table, with QGIS's columns. */
static OGRLayerH create_styles(writer *w)
{
    static const struct {
        const char *name;
        OGRFieldType type;
        int width;
    } cols[] = {{"f_table_catalog", OFTString, 256}, {"f_table_schema", OFTString, 256},
                {"f_table_name", OFTString, 256},    {"f_geometry_column", OFTString, 256},
                {"styleName", OFTString, 30},        {"styleQML", OFTString, 0},
                {"styleSLD", OFTString, 0},          {"useAsDefault", OFTInteger, 0},
                {"description", OFTString, 0},       {"owner", OFTString, 30},
                {"ui", OFTString, 30},               {"update_time", OFTDateTime, 0}};
    char *options[] = {"FID=id", NULL};
    OGRLayerH l = GDALDatasetCreateLayer(w->ds, "layer_styles", NULL, wkbNone, options);
    for (size_t i = 0; l && i < sizeof cols / sizeof *cols; i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(cols[i].name, cols[i].type);
        OGR_Fld_SetWidth(fd, cols[i].width);
        if (!strcmp(cols[i].name, "useAsDefault")) OGR_Fld_SetSubType(fd, OFSTBoolean);
        if (OGR_L_CreateField(l, fd, TRUE) != OGRERR_NONE) l = NULL;
        OGR_Fld_Destroy(fd);
    }
    if (!l) fail(w, "cannot create the layer_styles table");
    return l;
}

static bool add_style(writer *w, OGRLayerH styles, const char *layer, int kind)
{
    const style *s = &looks[0];
    for (size_t i = 0; i < sizeof looks / sizeof *looks; i++)
        if (!strcmp(looks[i].cmd, w->cmd)) s = &looks[i];
    char *qml = style_qml(s, kind), desc[160];
    snprintf(desc, sizeof desc, "corridor %s: default style", w->cmd);
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(styles));
    const char *text[][2] = {{"f_table_catalog", ""}, {"f_table_schema", ""}, {"f_table_name", layer},
                             {"f_geometry_column", "geom"}, {"styleName", layer}, {"styleQML", qml ? qml : ""},
                             {"styleSLD", ""}, {"description", desc}, {"owner", ""}, {"ui", ""}};
    for (size_t i = 0; i < sizeof text / sizeof *text; i++)
        OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, text[i][0]), text[i][1]);
    OGR_F_SetFieldInteger(f, OGR_F_GetFieldIndex(f, "useAsDefault"), 1);
    time_t now = time(NULL);
    struct tm t;
    gmtime_r(&now, &t);
    OGR_F_SetFieldDateTimeEx(f, OGR_F_GetFieldIndex(f, "update_time"), t.tm_year + 1900, t.tm_mon + 1,
                             t.tm_mday, t.tm_hour, t.tm_min, (float)t.tm_sec, 100);
    bool ok = qml && OGR_L_CreateFeature(styles, f) == OGRERR_NONE;
    OGR_F_Destroy(f);
    free(qml);
    return ok || fail(w, "cannot write a style");
}

/* Every layer that has features, with its style. */
static bool write_layers(writer *w, json_t *features, const schema sc[K_COUNT])
{
    OGRLayerH styles = NULL;
    bool ok = true;
    size_t total = sc[K_LINES].n_features + sc[K_POINTS].n_features + sc[K_ROWS].n_features;
    for (int k = 0; ok && k < K_COUNT; k++) {
        if (!sc[k].n_features && !(k == K_LINES && total == 0)) continue; /* an empty result: one empty layer */
        char name[64];
        snprintf(name, sizeof name, "%s_%s", w->cmd, kind_name[k]);
        OGRLayerH l = create_layer(w, name, k, &sc[k]);
        ok = l && GDALDatasetStartTransaction(w->ds, FALSE) == OGRERR_NONE;
        ok = ok && write_rows(w, l, features, k, &sc[k]);
        ok = ok && GDALDatasetCommitTransaction(w->ds) == OGRERR_NONE;
        if (ok && k != K_ROWS && !styles) ok = (styles = create_styles(w)) != NULL;
        if (ok && k != K_ROWS) ok = add_style(w, styles, name, k);
    }
    return ok;
}

/* ---------------------------------------------------------------- the file */

/* A fresh folder beside path ("DIR/.NAME.tmp-XXXXXX") for the file and its journals. */
static char *temp_dir(const char *path)
{
    char *copy = strdup(path), *copy2 = strdup(path), *out = NULL;
    if (copy && copy2 && asprintf(&out, "%s/.%s.tmp-XXXXXX", dirname(copy), basename(copy2)) >= 0 &&
        !mkdtemp(out)) {
        free(out);
        out = NULL;
    }
    free(copy);
    free(copy2);
    return out;
}

static const char *const journals[] = {"", "-journal", "-wal", "-shm"};

/* The folder and what SQLite may leave in it, listed for the signal handler (or removed
 * from the list). */
static void list_temp(const char *dir, const char *file, bool add)
{
    char p[4200];
    if (add && dir) (void)cli_tempdir_add(dir);
    for (size_t i = 0; file && i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", file, journals[i]);
        if (add) (void)cli_tempfile_add(p);
        else cli_temp_forget(p);
    }
    if (!add) cli_temp_forget(dir);
}

static void remove_temp(const char *dir, const char *file)
{
    char p[4200];
    for (size_t i = 0; file && i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", file, journals[i]);
        unlink(p);
    }
    if (dir) rmdir(dir);
    list_temp(dir, file, false);
}

/* The finished GeoPackage copied into the output (its temporary file, or a FIFO). */
static bool copy_into(const char *file, int fd)
{
    int in = open(file, O_RDONLY | O_CLOEXEC);
    if (in < 0) return false;
    char buf[1 << 16];
    ssize_t n;
    bool ok = true;
    while (ok && (n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0) {
            ok = errno == EINTR;
            continue;
        }
        for (ssize_t at = 0; ok && at < n;) {
            ssize_t k = write(fd, buf + at, (size_t)(n - at));
            if (k > 0) at += k;
            else ok = k < 0 && errno == EINTR;
        }
    }
    close(in);
    return ok;
}

static bool write_file(writer *w, const char *file, json_t *features)
{
    schema sc[K_COUNT] = {{0}};
    bool ok = read_schemas(w, features, sc);
    GDALDriverH drv = ok ? GDALGetDriverByName("GPKG") : NULL;
    if (ok && !drv) ok = fail(w, "GDAL has no GeoPackage driver");
    if (ok && !(w->ds = GDALCreate(drv, file, 0, 0, 0, GDT_Unknown, NULL)))
        ok = fail(w, "cannot create the file");
    if (ok && (!(w->wgs = OSRNewSpatialReference(NULL)) || OSRImportFromEPSG(w->wgs, 4326) != OGRERR_NONE))
        ok = fail(w, "no WGS84 definition (is gdal-data installed?)");
    if (w->wgs) OSRSetAxisMappingStrategy(w->wgs, OAMS_TRADITIONAL_GIS_ORDER);
    ok = ok && write_layers(w, features, sc);
    if (w->ds) {
        w->msg[0] = '\0'; /* GDALClose returns nothing: its failure is a message */
        GDALClose(w->ds);
        if (ok && w->msg[0]) ok = fail(w, "cannot finish the file");
    }
    w->ds = NULL;
    if (w->wgs) OSRRelease(w->wgs);
    schemas_clear(sc);
    return ok;
}

int gpkg_write(const char *cmd, const char *path, json_t *fc)
{
    writer w = {.cmd = cmd, .path = path};
    json_t *features = json_object_get(fc, "features");
    cor_output out;
    bool opened = cli_output_begin(&out, path); /* problems printed */
    /* GDAL writes in a folder beside the file that gets the result (a symlink's target);
     * for a FIFO or a device, in $TMPDIR rather than beside /dev/null */
    char tmpdir[4096];
    const char *env = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/corridor.gpkg", env && *env ? env : "/tmp");
    char *dir = opened ? temp_dir(out.tmp ? out.target : tmpdir) : NULL, *file = NULL;
    bool ok = dir && asprintf(&file, "%s/out.gpkg", dir) >= 0;
    if (!ok) {
        file = NULL;
        if (opened)
            cli_fail(cmd, COR_ERR_IO, "geopackage", "%s: cannot write beside it: %s", path, strerror(errno));
    } else if (!json_is_array(features)) ok = fail(&w, "the result has no features");
    if (ok) {
        list_temp(dir, file, true);
        CPLPushErrorHandlerEx(keep_message, &w);
        GDALAllRegister();
        ok = write_file(&w, file, features);
        CPLPopErrorHandler();
    }
    if (ok && !copy_into(file, out.fd))
        ok = !cli_fail(cmd, COR_ERR_IO, "geopackage", "%s: %s", path, strerror(errno));
    remove_temp(dir, file);
    if (opened && cli_output_end(&out, path, ok ? EXIT_ANSWERED : EXIT_BAD) != EXIT_ANSWERED) ok = false;
    free(dir);
    free(file);
    json_decref(fc);
    return ok ? EXIT_ANSWERED : EXIT_BAD;
}
