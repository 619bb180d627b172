/*
 * load_geojson.c — networks from a GeoJSON FeatureCollection (see docs/FORMAT.md).
 *
 * A feature whose properties name `from` or `to` is a link (geometry: a LineString, or
 * null for a straight line); any other feature is a node (geometry: a Point). Properties
 * are matched by name against the tables in load_fields.c; unknown ones are ignored, so
 * users may keep their own attributes in the same file.
 *
 * The whole document is parsed by jansson first (rejecting duplicate keys, which would
 * otherwise silently drop one value). Types are then checked per property: a number
 * written as a string ("12") is an error naming the feature and the property, because a
 * loader that guesses would hide a broken export.
 */
#include "load.h"

#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct geo {
    cor_builder *b;
    cor_report *r;
    double *xy; /* scratch for a link's geometry: lon, lat pairs */
    size_t xy_cap;
    bool out_of_memory;
} geo;

const char *cor_json_type_name(const json_t *v)
{
    if (!v) return "missing";
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* ---------------------------------------------------------------- properties */

bool cor_field_set_json(const cor_field *f, void *obj, json_t *v, char *why, size_t size)
{
    const char *want = NULL;
    switch (f->kind) {
    case COR_FIELD_STRING:
        if (json_is_string(v)) *(const char **)((char *)obj + f->offset) = json_string_value(v);
        else want = "a string";
        break;
    case COR_FIELD_NUMBER:
        if (json_is_number(v)) cor_field_set_number(f, obj, json_number_value(v));
        else want = "a number";
        break;
    case COR_FIELD_INT: {
        double d = json_is_number(v) ? json_number_value(v) : NAN;
        if (d == floor(d) && d >= INT_MIN && d <= INT_MAX) cor_field_set_number(f, obj, d);
        else want = "an integer";
        break;
    }
    case COR_FIELD_DIRECTED:
        if (json_is_boolean(v)) cor_field_set_bool(f, obj, json_is_true(v));
        else want = "true or false";
        break;
    default:
        if (!json_is_string(v)) want = "a string";
        else return cor_field_set_name(f, obj, json_string_value(v), why, size);
    }
    if (want) snprintf(why, size, "must be %s, not %s", want, cor_json_type_name(v));
    return !want;
}

/* Checks the JSON type of one property and stores it; false after reporting. */
static bool set_property(geo *g, const cor_field *f, void *obj, json_t *v, long i)
{
    char why[200];
    if (cor_field_set_json(f, obj, v, why, sizeof why)) return true;
    cor_report_add(g->r, COR_ERR_INPUT, -1, i, f->name, "%s", why);
    return false;
}

/* Reads every known property; a null value counts as absent. False when any was bad. */
static bool read_properties(geo *g, json_t *props, const cor_field *table, void *obj,
                            long i)
{
    bool ok = true;
    for (const cor_field *f = table; f->name; f++) {
        if (f->csv_only) continue;
        json_t *v = props ? json_object_get(props, f->name) : NULL;
        if (v && !json_is_null(v)) ok = set_property(g, f, obj, v, i) && ok;
        else if (f->required) {
            cor_report_add(g->r, COR_ERR_INPUT, -1, i, f->name, "required property is %s",
                           v ? "null" : "missing");
            ok = false;
        }
    }
    return ok;
}

/* ---------------------------------------------------------------- geometry */

/* [lon, lat] or [lon, lat, elevation...]: two numbers first. */
static bool read_position(const json_t *pos, double *lon, double *lat)
{
    if (!json_is_array(pos) || json_array_size(pos) < 2) return false;
    const json_t *x = json_array_get(pos, 0), *y = json_array_get(pos, 1);
    if (!json_is_number(x) || !json_is_number(y)) return false;
    *lon = json_number_value(x);
    *lat = json_number_value(y);
    return true;
}

/* The geometry's "coordinates" when its "type" is `type`, else NULL after a report. */
static json_t *coordinates_of(geo *g, json_t *geom, const char *type, long i)
{
    json_t *t = json_is_object(geom) ? json_object_get(geom, "type") : NULL;
    if (!json_is_string(t) || strcmp(json_string_value(t), type) != 0) {
        cor_report_add(g->r, COR_ERR_INPUT, -1, i, "geometry", "must be a %s%s, not %s%s",
                       type, strcmp(type, "Point") ? " or null" : "",
                       json_is_string(t) ? json_string_value(t) : cor_json_type_name(geom),
                       strcmp(type, "Point") ? "" : " (a node needs its position)");
        return NULL;
    }
    json_t *c = json_object_get(geom, "coordinates");
    if (!c) cor_report_add(g->r, COR_ERR_INPUT, -1, i, "geometry", "has no coordinates");
    return c;
}

static bool read_point(geo *g, json_t *geom, cor_node *n, long i)
{
    json_t *c = coordinates_of(g, geom, "Point", i);
    if (!c) return false;
    if (read_position(c, &n->lon, &n->lat)) return true;
    cor_report_add(g->r, COR_ERR_INPUT, -1, i, "geometry",
                   "Point coordinates must be [lon, lat] numbers");
    return false;
}

/* A LineString's points into g->xy; *n = 0 for a null geometry. */
static bool read_line(geo *g, json_t *geom, size_t *n, long i)
{
    *n = 0;
    if (!geom || json_is_null(geom)) return true;
    json_t *c = coordinates_of(g, geom, "LineString", i);
    if (!c) return false;
    size_t count = json_is_array(c) ? json_array_size(c) : 0;
    if (count < 2) {
        cor_report_add(g->r, COR_ERR_INPUT, -1, i, "geometry",
                       "a LineString needs an array of at least two [lon, lat] points");
        return false;
    }
    if (2 * count > g->xy_cap) {
        double *p = realloc(g->xy, 2 * count * sizeof *p);
        if (!p) {
            g->out_of_memory = true;
            return false;
        }
        g->xy = p;
        g->xy_cap = 2 * count;
    }
    for (size_t k = 0; k < count; k++)
        if (!read_position(json_array_get(c, k), &g->xy[2 * k], &g->xy[2 * k + 1])) {
            cor_report_add(g->r, COR_ERR_INPUT, -1, i, "geometry",
                           "point %zu of the LineString is not [lon, lat] numbers", k);
            return false;
        }
    *n = count;
    return true;
}

/* ---------------------------------------------------------------- features */

static void load_node(geo *g, json_t *props, json_t *geom, long i)
{
    cor_node n;
    cor_node_init(&n);
    bool ok = read_properties(g, props, cor_node_fields, &n, i);
    ok = read_point(g, geom, &n, i) && ok;
    if (ok && cor_builder_add_node(g->b, &n, -1, i) != COR_OK) g->out_of_memory = true;
}

static void load_link(geo *g, json_t *props, json_t *geom, long i)
{
    cor_link l;
    cor_link_init(&l);
    size_t n = 0;
    bool ok = read_properties(g, props, cor_link_fields, &l, i);
    ok = read_line(g, geom, &n, i) && ok;
    if (ok && cor_builder_add_link(g->b, &l, n ? g->xy : NULL, n, -1, i) != COR_OK)
        g->out_of_memory = true;
}

static void load_feature(geo *g, json_t *f, long i)
{
    if (!json_is_object(f)) {
        cor_report_add(g->r, COR_ERR_INPUT, -1, i, NULL, "a feature must be an object, not %s",
                       cor_json_type_name(f));
        return;
    }
    json_t *type = json_object_get(f, "type");
    if (!json_is_string(type) || strcmp(json_string_value(type), "Feature") != 0)
        cor_report_add(g->r, COR_ERR_INPUT, -1, i, "type", "must be \"Feature\"");
    json_t *props = json_object_get(f, "properties");
    if (props && !json_is_object(props) && !json_is_null(props)) {
        cor_report_add(g->r, COR_ERR_INPUT, -1, i, "properties",
                       "must be an object, not %s", cor_json_type_name(props));
        return;
    }
    json_t *geom = json_object_get(f, "geometry");
    bool is_link = json_is_object(props) &&
                   (json_object_get(props, "from") || json_object_get(props, "to"));
    if (is_link) load_link(g, props, geom, i);
    else load_node(g, json_is_object(props) ? props : NULL, geom, i);
}

/* The features array of a FeatureCollection, or NULL after a report. */
static json_t *features_of(cor_report *r, json_t *root)
{
    json_t *type = json_is_object(root) ? json_object_get(root, "type") : NULL;
    if (!json_is_string(type) || strcmp(json_string_value(type), "FeatureCollection") != 0) {
        cor_report_add(r, COR_ERR_INPUT, -1, -1, "type",
                       "the top level must be a GeoJSON FeatureCollection");
        return NULL;
    }
    json_t *features = json_object_get(root, "features");
    if (!json_is_array(features)) {
        cor_report_add(r, COR_ERR_INPUT, -1, -1, "features",
                       "a FeatureCollection needs a \"features\" array");
        return NULL;
    }
    return features;
}

cor_status cor_load_geojson(cor_builder *b, const char *path, cor_report *r)
{
    cor_text text;
    cor_status status = cor_slurp(path, &text, r);
    if (status != COR_OK) return status;
    json_error_t jerr;
    json_t *root = json_loadb(text.data, text.len, JSON_REJECT_DUPLICATES, &jerr);
    cor_text_free(&text);
    if (!root) {
        cor_report_add(r, COR_ERR_INPUT, jerr.line > 0 ? jerr.line : 1, -1, NULL,
                       "invalid JSON at column %d: %s", jerr.column, jerr.text);
        return r->status;
    }
    geo g = {b, r, NULL, 0, false};
    json_t *features = features_of(r, root);
    for (size_t i = 0; features && i < json_array_size(features) && !g.out_of_memory; i++)
        load_feature(&g, json_array_get(features, i), (long)i);
    if (features) cor_load_network_members(b, r, root);
    free(g.xy);
    json_decref(root);
    if (g.out_of_memory) {
        cor_report_add(r, COR_ERR_NOMEM, -1, -1, NULL, "out of memory");
        return COR_ERR_NOMEM;
    }
    return r->status;
}
