/*
 * output.h — turning library results into JSON, GeoJSON, CSV and tables.
 */
#ifndef COR_CLI_OUTPUT_H
#define COR_CLI_OUTPUT_H

#include "corridor.h"

#include <jansson.h>
#include <stdio.h>

/* A number, or null when NaN or infinite (JSON has no NaN). */
json_t *json_num(double v);
json_t *totals_to_json(const cor_totals *t);
json_t *route_to_json(const cor_network *net, const cor_route *r);
/* A link's line in the given direction: its geometry, or the straight line between its
 * nodes; null when positions are unknown. */
json_t *link_geometry(const cor_network *net, uint32_t link, bool reversed);
/* Sets "geometry" on each leg of route_json (route_to_json's answer for r): a link leg's
 * line in the direction travelled (link_geometry), null for a transfer. */
void route_add_geometry(const cor_network *net, const cor_route *r, json_t *route_json);
/* Appends one feature per leg (LineString for links, Point for transfers). */
void route_to_features(const cor_network *net, const cor_route *r, int index, json_t *features);
/* The network as a GeoJSON FeatureCollection with the properties of docs/FORMAT.md (unknown
 * values left out, as in the files): nodes as Points, then links as LineStrings. `layers`
 * is a bit set of (1u << cor_layer); only links of those layers and the nodes they touch
 * are kept (every node when every layer is asked). Under a scenario (sc, NULL for none;
 * net is then the scenario's network), each link's status is the one it has there: closed
 * when it or an end node is closed, open when the scenario opens it. */
/* The network's own members of its GeoJSON (name, unit, demand, corridors), set on doc when
 * the network has them. */
void network_about_to_json(const cor_network *net, json_t *doc);
json_t *network_to_geojson(const cor_network *net, unsigned layers, const cor_scenario *sc);
/* Dumps JSON with a final newline; returns false on a write error. */
bool json_write(FILE *f, json_t *j);

/* CSV: writes one field, quoted when needed, followed by sep ("," or "\n"). */
void csv_field(FILE *f, const char *s, const char *sep);
void csv_number(FILE *f, double v, const char *sep);

/* "USD", or "cost" for networks whose weights have no unit (pgRouting, DIMACS). */
const char *money_unit(const cor_network *net);
/* Human table of a route's legs and totals. */
void route_print_table(FILE *f, const cor_network *net, const cor_route *r);
/* "412.5 h (17.2 days)" */
const char *fmt_hours(char *buf, size_t size, double h);

#endif
