/*
 * countries.h — which country a point lies in, from a set of country polygons: the
 * OpenStreetMap import's country boundaries (assembled by libosmium) or a GeoJSON file of
 * country polygons (e.g. Natural Earth admin 0).
 */
#ifndef COR_COUNTRIES_H
#define COR_COUNTRIES_H

#include "corridor.h"

typedef struct country_set country_set;

country_set *country_set_new(void); /* NULL when out of memory */
void country_set_free(country_set *s);
/* Adds a ring (lon/lat pairs, closed or not) to polygon `poly`, whose country is `code`
 * (two capital letters); the rings of one polygon are added one after another (outer
 * and inner rings alike: inside = an odd number of crossings). false when out of memory. */
bool country_set_add_ring(country_set *s, const char *code, size_t poly, const double *xy,
                          size_t n);
/* Builds the lookup index; call once, after the last ring. false when out of memory. */
bool country_set_finish(country_set *s);
size_t country_set_polygons(const country_set *s);
/* The code of the polygon that holds the point (the largest when several do), NULL when
 * none does. O(polygons) box tests, then only the edges of the point's latitude band. */
const char *country_set_lookup(const country_set *s, double lon, double lat);
/* Reads a GeoJSON FeatureCollection of Polygon / MultiPolygon features. The code is the
 * first property of ISO_A2_EH, ISO_A2, iso_a2, ISO3166-1-Alpha-2, ISO3166-1:alpha2, iso2
 * that holds two letters; a feature without one is skipped (Natural Earth writes "-99"). */
cor_status country_set_load_geojson(country_set *s, const char *path, cor_error *err);

/* Reads a TopoJSON whose objects.countries holds Polygon / MultiPolygon geometries with
 * ISO 3166-1 numeric ids (world-atlas, from Natural Earth), the ids turned into alpha-2
 * codes by the iso-codes table at iso_path (Debian's /usr/share/iso-codes/json/
 * iso_3166-1.json); a geometry without a known id is skipped. */
cor_status country_set_load_topojson(country_set *s, const char *path, const char *iso_path,
                                     cor_error *err);

#endif
