/*
 * places.h — places as users write them: a node id, or `LON,LAT` snapped to the nearest
 * usable node. Shared by the subcommands and the server (the same text in a --from and in
 * a from= parameter reads the same way).
 *
 * The rule (docs/FORMAT.md, "Places"): a coordinate is two numbers each written with a
 * decimal point, longitude first ("1.5218,42.5063"); an id that exists always wins. A list
 * is split on ';' when it holds one (each item one place), else on ',' with two decimal
 * numbers in a row read as one coordinate. Integers are never coordinates, so a DIMACS
 * list "1,2" stays two nodes. A list without ';' in which a node id with a decimal point
 * is followed by another decimal number is refused as ambiguous: ';' says which is meant.
 */
#ifndef COR_CLI_PLACES_H
#define COR_CLI_PLACES_H

#include "cli.h"

#define CLI_SNAP_LIMIT_KM 50.0 /* default --snap-limit */

typedef struct cli_place {
    uint32_t node;    /* the node, once a coordinate is snapped (COR_NONE before) */
    bool coordinate;  /* given as LON,LAT */
    double lon, lat;  /* as given */
    double metres;    /* great-circle distance to the node it snapped to */
    const char *what; /* the option: "from", "to", "via", "depot"... (static) */
} cli_place;

/* Parses `text` into at most `cap` places appended at pl[*n] (ids looked up in net,
 * coordinates kept to snap). `one`: exactly one place must be given. Each fault reported
 * (cli_fail, field `what`). */
bool cli_places_parse(const char *cmd, const char *what, const cor_network *net, const char *text,
                      bool one, cli_place *pl, size_t cap, size_t *n);
/* The same over tokens already split (a line of a pairs file): false with the fault in
 * msg. */
bool cli_places_tokens(const cor_network *net, char **tok, size_t n_tok, cli_place *pl, size_t cap,
                       size_t *n, char *msg, size_t msg_size);
/* True when some place is a coordinate. */
bool cli_places_any(const cli_place *pl, size_t n);
/* Snaps every coordinate to the nearest node usable in the graph of q (acquired from env:
 * env's locator when it keeps one, else one built for this call), refusing any beyond the
 * profile's --snap-limit. Each refusal reported with its place. */
bool cli_places_snap(const char *cmd, cli_env *env, cor_route_query *q, const profile_opts *p,
                     cli_place *pl, size_t n);
/* The same to the nearest node of net with a position, usable or not (a depot). */
bool cli_places_snap_any_node(const char *cmd, const cor_network *net, const profile_opts *p,
                              cli_place *pl, size_t n);
/* A region (node ids, country codes, EU: cor_region_resolve) with each LON,LAT in it
 * replaced by the id of the node it snaps to: the nearest node with a link in the
 * profile's layers (flows have no compiled graph). The same rule as places; other tokens
 * are left for cor_region_resolve. Coordinates are appended to *snaps (realloc'd, *n_snaps
 * counted). A malloc'd spec, NULL on a fault (reported). */
char *cli_region_places(const char *cmd, const char *what, const cor_network *net,
                        const profile_opts *p, const char *spec, cli_place **snaps,
                        size_t *n_snaps);
/* The snaps, for --json: [{"place": "from", "lon":, "lat":, "node": "id", "metres":}]. */
json_t *cli_places_json(const cor_network *net, const cli_place *pl, size_t n);
/* The snaps as lines for a table: "from 1.521800,42.506300: node X (name), 12 m away". */
void cli_places_print(FILE *f, const cor_network *net, const cli_place *pl, size_t n);
/* The limit in metres the profile options give. */
double cli_snap_limit_m(const profile_opts *p);
/* After a search found no route through stops[0..n) on g: reports why, for the first two
 * consecutive stops in different connected pieces (cor_graph_pieces), else that one-way
 * links leave no path; as cli_fail with COR_ERR_NO_ROUTE. Returns EXIT_NO_ANSWER (EXIT_BAD
 * when out of memory). */
int cli_no_route(const char *cmd, const cor_graph *g, const uint32_t *stops, size_t n);

#endif
