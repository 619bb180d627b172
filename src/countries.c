/*
 * countries.c — point in country: the country polygons an OSM import gives its nodes.
 *
 * The idea: each polygon keeps its bounding box and its edges bucketed by latitude band
 * (CSR: band → edges crossing it). A point is tested only against the polygons whose box
 * holds it, and in each only against the edges of its band, by the even-odd rule (a ray
 * towards the east crosses the boundary an odd number of times when the point is inside;
 * holes and islands need no special case). With about four edges per band the test costs
 * a handful of edges whatever the polygon's size.
 *
 * The trade-off: boxes are tested one by one (O(polygons) per point). With the few hundred
 * polygons of a world country set that is a few hundred comparisons, cheaper than keeping
 * a second index; a long edge is stored in every band it crosses.
 */
#include "countries.h"
#include "load.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct polygon {
    char code[3];
    size_t key;
    double bbox[4]; /* west, south, east, north */
    double area;    /* of its largest ring, square degrees: the largest polygon wins */
    size_t edge_first, edge_count;
    size_t band_first; /* into band_off: n_bands + 1 offsets */
    size_t n_bands;
    double band_h;
} polygon;

struct country_set {
    polygon *polys;
    size_t n_polys, cap_polys;
    double *edges; /* x1, y1, x2, y2 */
    size_t n_edges, cap_edges;
    size_t *band_off;
    uint32_t *band_edges;
};

country_set *country_set_new(void)
{
    return calloc(1, sizeof(country_set));
}

void country_set_free(country_set *s)
{
    if (!s) return;
    free(s->polys);
    free(s->edges);
    free(s->band_off);
    free(s->band_edges);
    free(s);
}

size_t country_set_polygons(const country_set *s)
{
    return s->n_polys;
}

static polygon *current_polygon(country_set *s, const char *code, size_t key)
{
    polygon *last = s->n_polys ? &s->polys[s->n_polys - 1] : NULL;
    if (last && last->key == key && strcmp(last->code, code) == 0) return last;
    if (!cor_grow((void **)&s->polys, &s->cap_polys, s->n_polys + 1, sizeof *s->polys)) return NULL;
    polygon *p = &s->polys[s->n_polys++];
    memset(p, 0, sizeof *p);
    snprintf(p->code, sizeof p->code, "%s", code);
    p->key = key;
    p->bbox[0] = p->bbox[1] = INFINITY;
    p->bbox[2] = p->bbox[3] = -INFINITY;
    p->edge_first = s->n_edges;
    return p;
}

bool country_set_add_ring(country_set *s, const char *code, size_t poly, const double *xy,
                          size_t n)
{
    if (n < 3) return true; /* no area */
    polygon *p = current_polygon(s, code, poly);
    if (!p || !cor_grow((void **)&s->edges, &s->cap_edges, 4 * (s->n_edges + n), sizeof *s->edges))
        return false;
    double area = 0;
    for (size_t i = 0; i < n; i++) {
        const double *a = &xy[2 * i], *b = &xy[2 * ((i + 1) % n)];
        if (a[0] == b[0] && a[1] == b[1]) continue; /* the closing point of a closed ring */
        double *e = &s->edges[4 * s->n_edges++];
        e[0] = a[0], e[1] = a[1], e[2] = b[0], e[3] = b[1];
        area += a[0] * b[1] - b[0] * a[1];
        p->bbox[0] = fmin(p->bbox[0], a[0]);
        p->bbox[1] = fmin(p->bbox[1], a[1]);
        p->bbox[2] = fmax(p->bbox[2], a[0]);
        p->bbox[3] = fmax(p->bbox[3], a[1]);
    }
    p->edge_count = s->n_edges - p->edge_first;
    p->area = fmax(p->area, fabs(area) / 2);
    return true;
}

/* The bands an edge crosses in polygon p: [*lo, *hi]. */
static void edge_bands(const polygon *p, const double *e, size_t *lo, size_t *hi)
{
    double y0 = fmin(e[1], e[3]), y1 = fmax(e[1], e[3]);
    double a = (y0 - p->bbox[1]) / p->band_h, b = (y1 - p->bbox[1]) / p->band_h;
    *lo = a <= 0 ? 0 : (size_t)a >= p->n_bands ? p->n_bands - 1 : (size_t)a;
    *hi = b <= 0 ? 0 : (size_t)b >= p->n_bands ? p->n_bands - 1 : (size_t)b;
}

bool country_set_finish(country_set *s)
{
    size_t total_bands = 0, total_refs = 0;
    for (size_t k = 0; k < s->n_polys; k++) {
        polygon *p = &s->polys[k];
        size_t nb = p->edge_count / 4;
        p->n_bands = nb < 1 ? 1 : nb > 4096 ? 4096 : nb;
        double h = (p->bbox[3] - p->bbox[1]) / (double)p->n_bands;
        p->band_h = h > 0 ? h : 1;
        p->band_first = total_bands;
        total_bands += p->n_bands + 1;
    }
    s->band_off = calloc(total_bands + 1, sizeof *s->band_off);
    if (!s->band_off) return false;
    for (size_t k = 0; k < s->n_polys; k++) { /* count, then prefix sums, then fill */
        const polygon *p = &s->polys[k];
        for (size_t i = p->edge_first; i < p->edge_first + p->edge_count; i++) {
            size_t lo, hi;
            edge_bands(p, &s->edges[4 * i], &lo, &hi);
            for (size_t b = lo; b <= hi; b++) s->band_off[p->band_first + b + 1]++;
            total_refs += hi - lo + 1;
        }
    }
    for (size_t b = 1; b <= total_bands; b++) s->band_off[b] += s->band_off[b - 1];
    s->band_edges = malloc((total_refs + 1) * sizeof *s->band_edges);
    size_t *fill = malloc((total_bands + 1) * sizeof *fill);
    if (!s->band_edges || !fill) return free(fill), false;
    memcpy(fill, s->band_off, (total_bands + 1) * sizeof *fill);
    for (size_t k = 0; k < s->n_polys; k++) {
        const polygon *p = &s->polys[k];
        for (size_t i = p->edge_first; i < p->edge_first + p->edge_count; i++) {
            size_t lo, hi;
            edge_bands(p, &s->edges[4 * i], &lo, &hi);
            for (size_t b = lo; b <= hi; b++) s->band_edges[fill[p->band_first + b]++] = (uint32_t)i;
        }
    }
    free(fill);
    return true;
}

static bool inside(const country_set *s, const polygon *p, double lon, double lat)
{
    if (lon < p->bbox[0] || lon > p->bbox[2] || lat < p->bbox[1] || lat > p->bbox[3]) return false;
    double a = (lat - p->bbox[1]) / p->band_h;
    size_t b = a >= (double)p->n_bands ? p->n_bands - 1 : (size_t)a;
    bool in = false;
    for (size_t k = s->band_off[p->band_first + b]; k < s->band_off[p->band_first + b + 1]; k++) {
        const double *e = &s->edges[4 * s->band_edges[k]];
        if ((e[1] > lat) != (e[3] > lat) && lon < e[0] + (lat - e[1]) * (e[2] - e[0]) / (e[3] - e[1]))
            in = !in;
    }
    return in;
}

const char *country_set_lookup(const country_set *s, double lon, double lat)
{
    const polygon *best = NULL;
    for (size_t k = 0; k < s->n_polys; k++) {
        const polygon *p = &s->polys[k];
        if ((!best || p->area > best->area) && inside(s, p, lon, lat)) best = p;
    }
    return best ? best->code : NULL;
}

/* ---------------------------------------------------------------- GeoJSON */

static bool two_letters(const char *v)
{
    return v && strlen(v) == 2 && v[0] >= 'A' && v[0] <= 'Z' && v[1] >= 'A' && v[1] <= 'Z';
}

static const char *feature_code(json_t *props)
{
    static const char *const keys[] = {"ISO_A2_EH", "ISO_A2", "iso_a2", "ISO3166-1-Alpha-2",
                                       "ISO3166-1:alpha2", "iso2"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        const char *v = json_string_value(json_object_get(props, keys[i]));
        if (two_letters(v)) return v;
    }
    return NULL;
}

/* One polygon's rings ([[lon, lat], ...] each) into the set; false on a malformed one. */
static bool add_polygon(country_set *s, const char *code, size_t key, json_t *rings,
                        bool *nomem)
{
    double *xy = NULL;
    bool ok = json_is_array(rings) && json_array_size(rings) > 0;
    for (size_t r = 0; ok && r < json_array_size(rings); r++) {
        json_t *ring = json_array_get(rings, r);
        size_t n = json_array_size(ring);
        ok = json_is_array(ring) && n >= 4;
        double *grown = ok ? realloc(xy, 2 * n * sizeof *xy) : NULL;
        if (ok && !grown) *nomem = true;
        if (!grown) break;
        xy = grown;
        for (size_t i = 0; ok && i < n; i++) {
            json_t *pt = json_array_get(ring, i);
            json_t *x = json_array_get(pt, 0), *y = json_array_get(pt, 1);
            ok = json_is_number(x) && json_is_number(y);
            if (ok) xy[2 * i] = json_number_value(x), xy[2 * i + 1] = json_number_value(y);
        }
        if (ok && !country_set_add_ring(s, code, key, xy, n)) ok = false, *nomem = true;
    }
    free(xy);
    return ok;
}

static void load_feature(country_set *s, const char *path, size_t i, json_t *feat,
                         cor_error *err)
{
    const char *code = feature_code(json_object_get(feat, "properties"));
    if (!code) return;
    json_t *g = json_object_get(feat, "geometry");
    const char *type = json_string_value(json_object_get(g, "type"));
    json_t *coords = json_object_get(g, "coordinates");
    bool ok = false, nomem = false;
    if (type && strcmp(type, "Polygon") == 0) ok = add_polygon(s, code, 2 * i, coords, &nomem);
    else if (type && strcmp(type, "MultiPolygon") == 0) {
        ok = json_is_array(coords);
        for (size_t k = 0; ok && k < json_array_size(coords); k++)
            ok = add_polygon(s, code, s->n_polys ? s->polys[s->n_polys - 1].key + 1 : 0,
                             json_array_get(coords, k), &nomem);
    }
    if (nomem) cor_error_add(err, COR_ERR_NOMEM, path, -1, (long)i, NULL, "out of memory");
    else if (!ok)
        cor_error_add(err, COR_ERR_INPUT, path, -1, (long)i, "geometry",
                      "a country must be a Polygon or MultiPolygon of closed rings of [lon, lat]");
}

cor_status country_set_load_geojson(country_set *s, const char *path, cor_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) return cor_error_add(err, COR_ERR_IO, path, -1, -1, NULL, "cannot open: %s", strerror(errno));
    json_error_t jerr;
    json_t *doc = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    fclose(f);
    if (!doc)
        return cor_error_add(err, COR_ERR_INPUT, path, jerr.line, -1, NULL,
                             "invalid JSON at column %d: %s", jerr.column, jerr.text);
    json_t *features = json_object_get(doc, "features");
    size_t before = s->n_polys;
    if (!json_is_array(features))
        cor_error_add(err, COR_ERR_INPUT, path, -1, -1, "features",
                      "a country file is a GeoJSON FeatureCollection");
    for (size_t i = 0; i < json_array_size(features); i++)
        load_feature(s, path, i, json_array_get(features, i), err);
    json_decref(doc);
    if (err->count == 0 && s->n_polys == before)
        cor_error_add(err, COR_ERR_INPUT, path, -1, -1, NULL,
                      "no feature has a two-letter ISO code in ISO_A2_EH, ISO_A2, iso_a2, "
                      "ISO3166-1-Alpha-2, ISO3166-1:alpha2 or iso2");
    return cor_error_status(err);
}

/* ---------------------------------------------------------------- TopoJSON (world-atlas) */

/* The numeric ISO 3166-1 codes ("020") to alpha-2 ("AD"), from Debian's iso-codes JSON
 * ({"3166-1": [{"alpha_2": "AD", "numeric": "020", ...}, ...]}); NULL when unreadable. */
static json_t *numeric_codes(const char *iso_path)
{
    json_t *doc = iso_path ? json_load_file(iso_path, 0, NULL) : NULL;
    json_t *map = json_object(), *list = json_object_get(doc, "3166-1");
    for (size_t i = 0; map && i < json_array_size(list); i++) {
        json_t *e = json_array_get(list, i);
        const char *a2 = json_string_value(json_object_get(e, "alpha_2"));
        const char *num = json_string_value(json_object_get(e, "numeric"));
        if (two_letters(a2) && num) json_object_set_new(map, num, json_string(a2));
    }
    json_decref(doc);
    return map;
}

typedef struct topo {
    json_t *arcs;
    double scale[2], translate[2];
    double *xy; /* a ring being assembled */
    size_t n, cap;
} topo;

static bool topo_point(topo *t, double x, double y)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 256;
        double *p = realloc(t->xy, 2 * cap * sizeof *p);
        if (!p) return false;
        t->xy = p, t->cap = cap;
    }
    t->xy[2 * t->n] = x * t->scale[0] + t->translate[0];
    t->xy[2 * t->n + 1] = y * t->scale[1] + t->translate[1];
    t->n++;
    return true;
}

/* Appends arc `index` (~index: reversed) to the ring, its first point dropped after the first
 * arc (TopoJSON's arcs share their ends). Quantized arcs are delta-encoded. */
static bool topo_arc(topo *t, json_int_t index, bool first, bool *bad)
{
    bool rev = index < 0;
    json_t *arc = json_array_get(t->arcs, (size_t)(rev ? ~index : index));
    size_t n = json_array_size(arc);
    if (!json_is_array(arc) || n < 2) return !(*bad = true);
    double *x = malloc(2 * n * sizeof *x), cx = 0, cy = 0;
    if (!x) return false;
    for (size_t i = 0; i < n; i++) {
        json_t *pt = json_array_get(arc, i);
        cx += json_number_value(json_array_get(pt, 0));
        cy += json_number_value(json_array_get(pt, 1));
        x[2 * i] = cx, x[2 * i + 1] = cy;
    }
    bool ok = true;
    for (size_t k = first ? 0 : 1; ok && k < n; k++) {
        size_t i = rev ? n - 1 - k : k;
        ok = topo_point(t, x[2 * i], x[2 * i + 1]);
    }
    free(x);
    return ok;
}

/* One polygon (a list of rings, each a list of arc indices) into the set. */
static bool topo_polygon(country_set *s, topo *t, const char *code, size_t key, json_t *rings,
                         bool *bad)
{
    for (size_t r = 0; r < json_array_size(rings); r++) {
        json_t *ring = json_array_get(rings, r);
        t->n = 0;
        for (size_t a = 0; a < json_array_size(ring); a++)
            if (!topo_arc(t, json_integer_value(json_array_get(ring, a)), a == 0, bad))
                return *bad;
        if (t->n >= 4 && !country_set_add_ring(s, code, key, t->xy, t->n)) return false;
    }
    return true;
}

cor_status country_set_load_topojson(country_set *s, const char *path, const char *iso_path,
                                     cor_error *err)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc)
        return cor_error_add(err, jerr.line > 0 ? COR_ERR_INPUT : COR_ERR_IO, path, jerr.line, -1,
                             NULL, "cannot read the country polygons: %s", jerr.text);
    json_t *codes = numeric_codes(iso_path), *tr = json_object_get(doc, "transform");
    topo t = {json_object_get(doc, "arcs"), {1, 1}, {0, 0}, NULL, 0, 0};
    for (int k = 0; k < 2 && tr; k++) {
        t.scale[k] = json_number_value(json_array_get(json_object_get(tr, "scale"), k));
        t.translate[k] = json_number_value(json_array_get(json_object_get(tr, "translate"), k));
    }
    json_t *geoms = json_object_get(json_object_get(json_object_get(doc, "objects"), "countries"),
                                    "geometries");
    bool bad = !json_is_array(t.arcs) || !json_is_array(geoms) || !codes, ok = true;
    size_t before = s->n_polys, key = before ? s->polys[before - 1].key + 1 : 0;
    for (size_t i = 0; ok && !bad && i < json_array_size(geoms); i++) {
        json_t *g = json_array_get(geoms, i);
        const char *id = json_string_value(json_object_get(g, "id"));
        const char *code = id ? json_string_value(json_object_get(codes, id)) : NULL;
        const char *type = json_string_value(json_object_get(g, "type"));
        json_t *arcs = json_object_get(g, "arcs");
        if (!code || !type) continue; /* no ISO code (Kosovo, Northern Cyprus): unknown there */
        if (strcmp(type, "Polygon") == 0) ok = topo_polygon(s, &t, code, key++, arcs, &bad);
        else if (strcmp(type, "MultiPolygon") == 0)
            for (size_t k = 0; ok && !bad && k < json_array_size(arcs); k++)
                ok = topo_polygon(s, &t, code, key++, json_array_get(arcs, k), &bad);
    }
    free(t.xy);
    json_decref(codes);
    json_decref(doc);
    if (!ok) return cor_error_add(err, COR_ERR_NOMEM, path, -1, -1, NULL, "out of memory");
    if (bad || s->n_polys == before)
        return cor_error_add(err, COR_ERR_INPUT, path, -1, -1, NULL,
                             "not a TopoJSON of countries with ISO 3166-1 numeric ids (objects."
                             "countries, as world-atlas writes it), or %s lacks their codes",
                             iso_path ? iso_path : "the ISO 3166-1 table");
    return COR_OK;
}
