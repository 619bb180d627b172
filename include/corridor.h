/*
 * corridor.h — the public API of libcorridor.
 *
 * libcorridor is an engine for multimodal freight and infrastructure networks. The flow
 * of data is: files → cor_network (immutable, validated) → cor_graph (compiled for one
 * profile: what to minimise and what to avoid) → queries (cor_route_query) → results as
 * plain structs. Every exported name starts with `cor_`.
 *
 * The library never prints and never exits. A function that can fail returns a status
 * (COR_OK = 0 on success) and fills a caller-owned cor_error with every problem it found,
 * each with its place: file, line or feature index, and field. The library holds no
 * global mutable state: distinct objects may be used from distinct threads; one
 * cor_route_query belongs to one thread at a time, a cor_graph and a cor_network may be
 * shared read-only.
 */
#ifndef CORRIDOR_H
#define CORRIDOR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define COR_VERSION "0.1.0"
#define COR_NONE UINT32_MAX /* "no node / no link / no state" */

/* ---------------------------------------------------------------- errors */

typedef enum cor_status {
    COR_OK = 0,
    COR_ERR_USAGE,     /* bad argument from the caller (unknown option value, ...) */
    COR_ERR_INPUT,     /* bad input data (a file or a request) */
    COR_ERR_IO,        /* a file could not be opened or read */
    COR_ERR_NOMEM,     /* out of memory */
    COR_ERR_NOT_FOUND, /* an id that names nothing */
    COR_ERR_NO_ROUTE,  /* the question has no answer (no path) */
    COR_ERR_CANCELLED  /* stopped by the caller's progress callback; partial results kept */
} cor_status;

/* One problem and its place. line and feature are -1 when they do not apply; line is
 * 1-based, feature is the 0-based index of a GeoJSON feature. */
typedef struct cor_problem {
    cor_status status;
    long line;
    long feature;
    char file[256];
    char field[64];
    char message[320];
} cor_problem;

/* A list of problems. Loaders report every problem they find, up to COR_MAX_PROBLEMS;
 * `dropped` counts the ones beyond. */
#define COR_MAX_PROBLEMS 200
typedef struct cor_error {
    cor_problem *problems;
    size_t count;
    size_t cap;
    size_t dropped;
} cor_error;

void cor_error_init(cor_error *err);
void cor_error_clear(cor_error *err); /* frees the list, leaves an empty record */
/* Adds a problem and returns its status. file/field may be NULL. Never fails: when memory
 * runs out the problem is counted in `dropped`. */
cor_status cor_error_add(cor_error *err, cor_status status, const char *file, long line,
                         long feature, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
cor_status cor_error_addv(cor_error *err, cor_status status, const char *file, long line,
                          long feature, const char *field, const char *fmt, va_list ap);
/* Status of the first problem, COR_OK when there is none. */
cor_status cor_error_status(const cor_error *err);
/* "file:line: field 'f': message" (or "file: feature 3: ..."), into buf; returns buf. */
char *cor_problem_format(const cor_problem *p, char *buf, size_t size);

/* ---------------------------------------------------------------- progress */

/* Long analyses (criticality, clearance order) say how far they are and can be stopped.
 * `fn` is called with the units done so far out of `total`, from the calling thread or
 * one of the analysis's workers but never two at once, at most a few hundred times per
 * run. Returning false stops the analysis soon after: it returns COR_ERR_CANCELLED and
 * keeps what it had finished (each analysis says how that is marked). NULL: no reports. */
typedef struct cor_progress {
    bool (*fn)(void *ctx, size_t done, size_t total);
    void *ctx;
} cor_progress;

/* ---------------------------------------------------------------- vocabulary */

typedef enum cor_mode {
    COR_MODE_RAIL,
    COR_MODE_ROAD,
    COR_MODE_FERRY,
    COR_MODE_SEA,
    COR_MODE_PIPELINE,
    COR_MODE_FIBER,
    COR_MODE_COUNT
} cor_mode;

typedef enum cor_layer {
    COR_LAYER_TRANSPORT,
    COR_LAYER_GAS,
    COR_LAYER_OIL,
    COR_LAYER_DATA,
    COR_LAYER_COUNT
} cor_layer;

typedef enum cor_link_status {
    COR_STATUS_OPEN,
    COR_STATUS_PLANNED,
    COR_STATUS_CLOSED,
    COR_STATUS_MINED,
    COR_STATUS_COUNT
} cor_link_status;

/* Names as written in files ("rail", "transport", "open"); NULL when out of range. */
const char *cor_mode_name(cor_mode m);
const char *cor_layer_name(cor_layer l);
const char *cor_link_status_name(cor_link_status s);
/* Parse a name; return false when the name is unknown. */
bool cor_mode_parse(const char *s, cor_mode *out);
bool cor_layer_parse(const char *s, cor_layer *out);
bool cor_link_status_parse(const char *s, cor_link_status *out);

/* Strict number parsing: the whole string must be a finite decimal number (no trailing
 * garbage, no empty string, no "nan", no overflow). */
bool cor_parse_double(const char *s, double *out);
bool cor_parse_long(const char *s, long *out);

/* ---------------------------------------------------------------- network model */

/* A node. Unknown numbers are NaN. Strings are owned by the network (or, when passed to
 * cor_builder_add_node, copied by the builder). */
typedef struct cor_node {
    const char *id;      /* stable string id, e.g. "AZ-ALAT" */
    const char *name;    /* human name; may be NULL */
    const char *country; /* ISO 3166-1 alpha-2, e.g. "AZ"; may be NULL */
    const char *kind;    /* city, rail_terminal, seaport, border_crossing, ...; may be NULL */
    const char *source;  /* where its figures come from; may be NULL */
    double lon, lat;     /* degrees WGS84; NaN when unknown */
    double capacity;     /* handling capacity per year (layer units) */
    double transfer_hours; /* changing mode here: time (hours) */
    double transfer_usd;   /* changing mode here: money (USD per unit) */
    double transfer_co2_kg;
    double transship_hours; /* changing rail gauge here: time (defaults to transfer) */
    double transship_usd;
} cor_node;

/* A link. Unknown numbers are NaN. A link may carry traffic forward (from → to),
 * backward (to → from) or both; `cost`, `hours` and `capacity` may differ by
 * direction (the reverse_* fields; NaN means "same as forward"). */
typedef struct cor_link {
    const char *id;
    const char *from_id, *to_id; /* node ids as written (used by the builder) */
    uint32_t from, to;           /* dense node indices (filled by the network); a loader
                                    may pass an index here with from_id/to_id NULL */
    cor_layer layer;
    cor_mode mode;
    cor_link_status status;
    bool forward, backward;
    double length_km;
    double speed_kmh;        /* used when duration_hours is unknown */
    double duration_hours;   /* running time, without waits and dwells */
    double cost;             /* USD per unit; for pgRouting and DIMACS the arc weight */
    double reverse_cost;
    double co2_kg;           /* kg CO2 per unit */
    double capacity;         /* per year, layer units (TEU, bcm, Mt, Tbit/s) */
    double reverse_capacity;
    double frequency_per_week; /* scheduled services: expected wait = half the headway */
    double border_dwell_hours; /* added when the link crosses a border */
    double clearance_days;     /* crew-days to clear a mined link */
    int gauge_mm;              /* rail gauge, 0 when not rail or unknown */
    const char *source;
    uint32_t geom_first, geom_count; /* into the network's coordinate array */
} cor_link;

/* Defaults: every number NaN, strings NULL, forward and backward true, status open,
 * layer transport, mode road, gauge 0. */
void cor_node_init(cor_node *n);
void cor_link_init(cor_link *l);

typedef struct cor_network cor_network;

typedef enum cor_format {
    COR_FORMAT_AUTO,      /* by extension: .geojson/.json, .csv (nodes+links or pgRouting
                             by header), .gr (DIMACS); a trailing .gz is looked through */
    COR_FORMAT_GEOJSON,
    COR_FORMAT_CSV,       /* nodes.csv + links.csv */
    COR_FORMAT_PGROUTING, /* id,source,target,cost,reverse_cost[,capacity,...] */
    COR_FORMAT_DIMACS,    /* .gr (+ .co beside it when present) */
    COR_FORMAT_COR        /* compiled network file written by cor_network_save (.cor, or
                             recognised by its first bytes under AUTO) */
} cor_format;

bool cor_format_parse(const char *s, cor_format *out);

/* What a reader takes in from one file (docs/LIMITS.md). Every file a loader reads whole
 * (networks, the .co beside a .gr, scenarios, closed links, and through cor_file_read any
 * caller's) is read through these limits: past one, the read stops there and the file is
 * refused with COR_ERR_INPUT naming the file, the limit and its field, so /dev/zero, a
 * pipe or a gzip bomb costs at most the limit, never all the memory there is. A regular
 * file larger than max_input_bytes is refused before reading. A .cor is mapped, not read:
 * no byte limit (its checks bound every count by its size). cor_load_options_init gives the
 * defaults; zeroed memory is the same. */
#define COR_MAX_INPUT_DEFAULT ((uint64_t)256 << 20) /* 256 MiB */
typedef struct cor_load_options {
    uint64_t max_input_bytes;        /* bytes read from one file as stored (a .gz: its
                                        compressed bytes); 0 = COR_MAX_INPUT_DEFAULT */
    uint64_t max_decompressed_bytes; /* bytes one compressed file may expand to (what is
                                        held in memory); 0 = COR_MAX_INPUT_DEFAULT */
} cor_load_options;

void cor_load_options_init(cor_load_options *o);

/* Loads and validates a network. On any problem, returns its status with every problem
 * listed in err and *out set to NULL (nothing half-loaded). For COR_FORMAT_CSV, path may
 * name the folder holding nodes.csv and links.csv, or either of the two files. The
 * default limits; cor_network_load_with takes others (opt NULL = the defaults). */
cor_status cor_network_load(cor_network **out, const char *path, cor_format format,
                            cor_error *err);
cor_status cor_network_load_with(cor_network **out, const char *path, cor_format format,
                                 const cor_load_options *opt, cor_error *err);
/* A whole file (plain or gzip, decompressed) in memory within the limits (opt NULL = the
 * defaults): *data is malloc'd and NUL-terminated (data[*len] == '\0'; free it). On failure
 * returns COR_ERR_IO (cannot open or read), COR_ERR_INPUT (a limit, damaged gzip) or
 * COR_ERR_NOMEM with the problem in err at the file, and *data NULL. O(bytes read). */
cor_status cor_file_read(const char *path, const cor_load_options *opt, char **data,
                         size_t *len, cor_error *err);
void cor_network_free(cor_network *net);

size_t cor_network_node_count(const cor_network *net);
size_t cor_network_link_count(const cor_network *net);
const cor_node *cor_network_node(const cor_network *net, uint32_t i);
const cor_link *cor_network_link(const cor_network *net, uint32_t i);
/* Node i's / link i's id (NULL past the end). On a mapped .cor these read the id in place,
 * where cor_network_node/_link fill the records around it (memory): output that names
 * many elements uses these. */
const char *cor_network_node_id(const cor_network *net, uint32_t i);
const char *cor_network_link_id(const cor_network *net, uint32_t i);
/* Dense index of a node or link id, COR_NONE when absent. O(1) expected. */
uint32_t cor_network_find_node(const cor_network *net, const char *id);
uint32_t cor_network_find_link(const cor_network *net, const char *id);
/* The coordinates (lon, lat pairs) of the network; a link's geometry is
 * coords[2*geom_first .. 2*(geom_first+geom_count)). */
const double *cor_network_coords(const cor_network *net);
/* Name of the file the network came from ("" when built in memory). */
const char *cor_network_source_file(const cor_network *net);
/* The format the network was read from; for a .cor, the format it was built from (what
 * its figures mean: pgRouting costs, DIMACS weights), cor_network_file_version telling
 * that it came from a .cor. */
cor_format cor_network_format(const cor_network *net);
/* The network's own name (the GeoJSON top-level "name"); NULL when it has none. */
const char *cor_network_name(const cor_network *net);
/* What its transport figures (money, CO2, capacities) are per, e.g. "TEU" (the GeoJSON
 * top-level "unit"); NULL when the file does not say. */
const char *cor_network_unit(const cor_network *net);

/* ---------------------------------------------------------------- output files */

/* A result file being written (src/output_file.c). A regular file, or a name that does
 * not exist yet, is written to `tmp`, a temporary file beside it (".NAME.tmp-XXXXXX",
 * mode 0666 less the umask, or the mode of the file it replaces) renamed onto it by
 * cor_output_commit. A symlink is followed to the file it ends at, which is replaced the
 * same way (the link stays). A FIFO, a device, a socket and the names of open descriptors
 * (/dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N) are written directly: `tmp` is
 * NULL. No signal handler is installed: a program that wants `tmp` removed on a signal
 * does it itself (the CLI does, async-signal-safely). */
typedef struct cor_output {
    int fd;       /* write here */
    char *target; /* the file that receives the result: the path, or where its links end */
    char *tmp;    /* the temporary file, or NULL when the target is written directly */
} cor_output;

/* Opens `path` for writing as above (a FIFO without a reader blocks, as a shell's `>`
 * does). Errors: COR_ERR_IO naming the path (a folder, no permission, no folder to write
 * the temporary file in), COR_ERR_NOMEM. On error *out holds nothing to discard. */
cor_status cor_output_open(cor_output *out, const char *path, cor_error *err);
/* Closes the file and renames the temporary file onto the target; on error the temporary
 * file is removed and COR_ERR_IO names `path`. Either way *out is released. */
cor_status cor_output_commit(cor_output *out, const char *path, cor_error *err);
/* Closes the file and removes the temporary file: the target is left as it was (what a
 * direct write wrote stays). Safe on a released output. */
void cor_output_discard(cor_output *out);

/* ---------------------------------------------------------------- compiled network file */

/* A named flat array: what a .cor file stores as one section, and how the compiled graph
 * (and the index) hand their arrays over for saving and take them back mapped. */
typedef struct cor_array {
    const char *name;
    const void *data;
    uint64_t count;
    uint32_t elem_size;
} cor_array;

typedef struct cor_profile cor_profile;

/* Writes the network and the graph compiled for each of the n_profiles profiles (which
 * must have no avoid lists and no scenario) to `path` as a .cor file (docs/FORMAT.md),
 * through cor_output_open: a temporary file renamed on success, a FIFO or device directly. A later cor_network_load of the file maps
 * it (no parsing), and cor_graph_compile for one of these profiles returns the stored
 * graph without compiling. Errors: COR_ERR_USAGE for a profile with filters or a
 * network past 32-bit indices, compile errors as cor_graph_compile, COR_ERR_IO when the
 * file cannot be written. O(|V| + |E|) per profile plus the bytes written. */
cor_status cor_network_save(const cor_network *net, const char *path,
                            const cor_profile *profiles, size_t n_profiles, cor_error *err);
/* The same into an output the caller opened with cor_output_open (and commits or discards
 * after: a program can learn the temporary file's name before the compiles start); `path`
 * names the file in messages. The file is synced to disk when it is a temporary file. */
cor_status cor_network_write(const cor_network *net, cor_output *out, const char *path,
                             const cor_profile *profiles, size_t n_profiles, cor_error *err);

/* For a network loaded from a .cor: the file's format version and the library version
 * that wrote it (true), or false for a network read from another format. */
bool cor_network_file_version(const cor_network *net, uint32_t *version, const char **writer);
/* The sections of the .cor it was loaded from (data points into the mapping); 0 when it
 * was not loaded from one. */
size_t cor_network_file_sections(const cor_network *net, const cor_array **sections);
/* The profiles whose compiled graphs the .cor holds: up to max into out, returns the
 * count (0 when not from a .cor). Their avoid lists and scenario are empty. */
size_t cor_network_stored_profiles(const cor_network *net, cor_profile *out, size_t max);

/* Building a network in memory (loaders use this; so can callers). Problems found while
 * adding are collected; cor_builder_finish validates the whole network (dangling ends,
 * duplicate ids, ranges, inconsistent attributes), reporting each problem at the line or
 * feature given when the element was added. */
typedef struct cor_builder cor_builder;
cor_builder *cor_builder_new(const char *file); /* NULL when out of memory */
void cor_builder_free(cor_builder *b);
/* Copies the node (its strings too). line/feature: its place, -1 when not applicable. */
cor_status cor_builder_add_node(cor_builder *b, const cor_node *n, long line, long feature);
/* Copies the link and its geometry (coords: n_coords lon/lat pairs, may be NULL). */
cor_status cor_builder_add_link(cor_builder *b, const cor_link *l, const double *coords,
                                size_t n_coords, long line, long feature);
/* Makes room for this many nodes and links (a size hint: avoids regrowing big arrays). */
cor_status cor_builder_reserve(cor_builder *b, size_t nodes, size_t links);
/* Creates nodes for link ends that do not exist yet (for formats without node lists:
 * pgRouting, DIMACS). */
void cor_builder_set_implicit_nodes(cor_builder *b, bool on);
void cor_builder_set_format(cor_builder *b, cor_format format);
/* The network's name and the unit of its transport figures (copied; NULL: none). */
void cor_builder_set_about(cor_builder *b, const char *name, const char *unit);
/* One pair of the network's reference demand (see cor_network_demand): the ids are copied
 * and resolved by cor_builder_finish, which reports an unknown id as field
 * 'demand[i].from' / 'demand[i].to' and a quantity not above 0 as 'demand[i].quantity'. */
cor_status cor_builder_add_demand(cor_builder *b, const char *from_id, const char *to_id,
                                  double quantity);
/* Validates and produces the network; the builder is consumed (freed) either way. */
cor_status cor_builder_finish(cor_builder *b, cor_network **out, cor_error *err);

/* ---------------------------------------------------------------- GIS import (GDAL/OGR) */

/* What cor_import_gis found, for a summary. */
typedef struct cor_gis_stats {
    char layer[128];          /* the layer read */
    size_t features;          /* features read */
    size_t parts;             /* LineStrings read (a MultiLineString counts each part) */
    size_t loops_dropped;     /* pieces whose two ends snapped to one node */
    size_t components;        /* connected components of the imported network */
    size_t largest_component; /* nodes in the largest one */
    bool reprojected;         /* the layer was not in WGS84 degrees */
} cor_gis_stats;

/* An import from any vector file GDAL/OGR reads (GeoPackage, Shapefile, GeoJSON,
 * FlatGeobuf, ...). Only `path` is required. */
typedef struct cor_gis_spec {
    const char *path;
    const char *layer;      /* NULL: the only line layer of the file */
    /* "key=FIELD,...": link fields of docs/FORMAT.md (id, from, to, mode, length_km, ...)
     * taken from the layer's fields; a number may be scaled: "length_km=LEN_M*0.001".
     * NULL: none. With from and to mapped, node ids come from those fields; without,
     * nodes are the lines' end points snapped within snap_metres. */
    const char *map;
    const char *mode;       /* mode of features without a mapped one ("sea"); NULL: none */
    const char *layer_kind; /* network layer ("transport", "gas", ...); NULL: transport */
    double snap_metres;     /* end points closer than this are one node (0: 1 mm) */
    bool split_vertices;    /* also split lines at interior vertices shared with others */
    cor_gis_stats *stats;   /* filled on success when not NULL */
} cor_gis_spec;

/* Reads a line layer into a network, validated as every loaded network (nothing
 * half-built: *out is NULL on any problem). Every feature becomes one link (a
 * MultiLineString one per part, and with split_vertices one per piece between shared
 * vertices); link ids are the mapped id or the feature's FID ("12", or "12-1", "12-2"
 * for its pieces); snapped nodes are "n1", "n2", ... in the order their first point is
 * read. Coordinates are reprojected to WGS84 lon/lat; length_km, unless mapped, is the
 * geometry's great-circle length. Places in err: the file, the feature as its FID, and
 * the field (the file's field name; "geometry"; "map", "mode", "layer" for the spec).
 * Errors: COR_ERR_USAGE for a bad spec (a map item that is not key=FIELD, an unknown
 * key, from without to, an unknown default mode or layer kind, no mode at all, a negative
 * tolerance); COR_ERR_IO when the file cannot be opened; COR_ERR_INPUT for the file: not
 * a vector file, an unknown layer or several line layers (the message lists them), a
 * mapped field it lacks or of the wrong type, a feature's non-line geometry or bad value,
 * and the network's checks; COR_ERR_NOMEM. Time O(V log V) for the V points snapped
 * (a sort, then 27 cell look-ups per point), plus reading and the builder's checks. */
cor_status cor_import_gis(cor_network **out, const cor_gis_spec *spec, cor_error *err);

/* ---------------------------------------------------------------- OpenStreetMap import */

/* What to take from an OpenStreetMap file (docs/FORMAT.md, "Importing OpenStreetMap",
 * lists every rule and default). cor_osm_options_init gives the defaults (zeroed memory is
 * the same: roads, default classes, no bbox, largest components). */
typedef struct cor_osm_options {
    unsigned modes;        /* bit set of (1u << COR_MODE_ROAD / _RAIL / _FERRY); 0 = road */
    const char *road_classes; /* comma list of highway=* values ("default" = the car
                                 router's through-traffic classes); NULL = default */
    const char *rail_classes; /* comma list of railway=* values; NULL = "rail" */
    bool has_bbox;
    double bbox[4];           /* west, south, east, north (degrees) */
    const char *countries_path; /* country polygons for the nodes outside the file's own
                                   boundaries: a GeoJSON with an ISO alpha-2 property (e.g.
                                   Natural Earth admin 0), or a TopoJSON of countries with ISO
                                   numeric ids (world-atlas); NULL: none */
    const char *iso3166_path;   /* for a TopoJSON: the iso-codes table of ISO 3166-1 codes
                                   (Debian iso-codes: /usr/share/iso-codes/json/iso_3166-1.json) */
    bool keep_all;            /* false: keep only the largest component of road+ferry and
                                 the largest of rail */
} cor_osm_options;

void cor_osm_options_init(cor_osm_options *o);

/* What an import read, kept and dropped. */
typedef struct cor_osm_stats {
    size_t file_nodes, file_ways, file_relations; /* objects in the file */
    size_t ways_kept;       /* ways that passed the tag filter (and the bbox) */
    size_t nodes_used;      /* distinct nodes of those ways */
    size_t refs_missing;    /* node references with no location in the file */
    size_t links, nodes;    /* in the network returned */
    size_t links_by_mode[COR_MODE_COUNT];
    double km_by_mode[COR_MODE_COUNT];
    size_t components;      /* pieces before keeping the largest */
    size_t dropped_components, dropped_links, dropped_nodes;
    size_t boundary_relations, boundary_areas; /* admin_level=2 in the file; assembled */
    size_t country_polygons; /* from countries_path */
    size_t nodes_country_osm, nodes_country_file, nodes_country_unknown;
} cor_osm_stats;

/* Imports an OpenStreetMap file (.osm.pbf, .osm, .osm.gz, .osm.bz2) as a network: ways
 * become links split at every node shared with another kept way, nodes are "n<osm id>",
 * links "w<way id>.<part>". Reads the file two or three times; memory grows with the kept
 * ways, not with the file. On failure (unreadable or damaged file, bad options, bad
 * countries file) returns the status with every problem in err and *out NULL (bad options:
 * COR_ERR_USAGE with the field "bbox", "modes", "road-classes" or "rail-classes"). stats
 * may be NULL. O(file + K) expected for K node references of kept ways, plus
 * O(V × P) box tests for V nodes and P country polygons. */
cor_status cor_import_osm(cor_network **out, const char *path, const cor_osm_options *opt,
                          cor_osm_stats *stats, cor_error *err);

/* ---------------------------------------------------------------- corridors */

/* A named corridor stored with the network (GeoJSON member "corridors"): the route must
 * pass one node of each `through` group, in order, using only `modes` and avoiding
 * `avoid_countries`. `compare` puts the corridors side by side. */
typedef struct cor_corridor {
    const char *id, *name, *description;
    const char *const *avoid_countries;
    size_t n_avoid_countries;
    unsigned modes;            /* bit set of (1u << cor_mode); 0 = all */
    const uint32_t *through;   /* node indices of every group, in order */
    const uint32_t *group_end; /* group g is through[g ? group_end[g-1] : 0 .. group_end[g]) */
    size_t n_groups;
} cor_corridor;

/* What a loader hands the builder: the same, with node ids as strings. */
typedef struct cor_corridor_spec {
    const char *id, *name, *description;
    const char *const *avoid_countries;
    size_t n_avoid_countries;
    unsigned modes;
    const char *const *through_ids; /* every group's ids, concatenated */
    const size_t *group_sizes;
    size_t n_groups;
} cor_corridor_spec;

/* Copies the corridor; node ids are resolved (and checked) by cor_builder_finish. */
cor_status cor_builder_add_corridor(cor_builder *b, const cor_corridor_spec *c, long line,
                                    long feature);
size_t cor_network_corridor_count(const cor_network *net);
const cor_corridor *cor_network_corridor(const cor_network *net, size_t i);
/* Index of a corridor id, COR_NONE when absent. */
uint32_t cor_network_find_corridor(const cor_network *net, const char *id);

/* ---------------------------------------------------------------- scenarios */

/* A scenario is a named list of changes laid over a network without changing it, so
 * several can be used side by side on one network. The file is JSON (docs/FORMAT.md):
 *   {"name": "...", "description": "...", "source": "...", "from": "id", "to": "id",
 *    "changes": [{"op": "close", "borders": [["GE", "TR"]], "duration_days": 16}, ...]}
 * with the operations open (links put in service: planned, closed or mined), close (links,
 * nodes, countries, borders), scale (capacity by a factor), set (figures of links and
 * nodes: speed, cost, dwell, frequency, transfer, ...) and add (new links and nodes).
 * Every fault is reported with the JSON path of its place in `field`
 * ("changes[2].capacity"); a scenario with any fault is not returned.
 *
 * Opening and closing is an overlay the filter reads. Changes of figures and additions
 * give the scenario its own network: the base's nodes and links (same indices) with the
 * figures changed, then the added elements. cor_graph_compile, cor_maxflow (and everything
 * built on them) given the base and a profile with the scenario compute on the scenario's
 * network; for a scenario that adds elements they refuse the base (COR_ERR_USAGE): pass
 * cor_scenario_network(s), and look links up in it, since results may name new links. The
 * base must outlive the scenario, and the scenario every graph compiled with it. */
typedef struct cor_scenario cor_scenario;

cor_status cor_scenario_load(cor_scenario **out, const char *path, const cor_network *net,
                             cor_error *err);
/* The same within the given input limits (NULL = the defaults of cor_load_options). */
cor_status cor_scenario_load_with(cor_scenario **out, const char *path, const cor_network *net,
                                  const cor_load_options *opt, cor_error *err);
/* The same from text in memory; `origin` names it in messages. */
cor_status cor_scenario_parse(cor_scenario **out, const char *text, size_t len,
                              const char *origin, const cor_network *net, cor_error *err);
void cor_scenario_free(cor_scenario *s);
const char *cor_scenario_name(const cor_scenario *s);
const char *cor_scenario_description(const cor_scenario *s); /* NULL when none */
/* The network to compute on under the scenario: its own when it changes figures or adds
 * elements, else the base it was read for. */
const cor_network *cor_scenario_network(const cor_scenario *s);
const cor_network *cor_scenario_base(const cor_scenario *s);
/* The status a link has under the scenario (its own when the scenario leaves it). */
cor_link_status cor_scenario_link_status(const cor_scenario *s, const cor_network *net,
                                         uint32_t link);
/* True when the scenario closes the node (itself or its country). */
bool cor_scenario_node_closed(const cor_scenario *s, uint32_t node);
/* Durations: per change (NaN when the change has none) and the longest (NaN when no
 * change has one). A duration describes the disruption; the changes apply in full. */
size_t cor_scenario_change_count(const cor_scenario *s);
double cor_scenario_change_days(const cor_scenario *s, size_t change);
double cor_scenario_duration_days(const cor_scenario *s);
/* The origin and destination the scenario is about ("from", "to"), COR_NONE when absent. */
void cor_scenario_pair(const cor_scenario *s, uint32_t *from, uint32_t *to);

/* ---------------------------------------------------------------- profiles and graphs */

typedef enum cor_objective {
    COR_OPT_COST,       /* USD (for pgRouting/DIMACS: the file's weights) */
    COR_OPT_TIME,       /* hours, with waits, dwells and transfers */
    COR_OPT_CO2,        /* kg CO2 */
    COR_OPT_GENERALISED, /* USD + value_of_time × hours + carbon_price/1000 × kg CO2 */
    COR_OPT_DISTANCE     /* km (length_km); transfers cost 0 km */
} cor_objective;

bool cor_objective_parse(const char *s, cor_objective *out);
const char *cor_objective_name(cor_objective o);

/* What a route minimises and what it may use. Arrays are borrowed (not copied) and must
 * live until cor_graph_compile returns. */
struct cor_profile {
    cor_objective objective;
    double value_of_time;   /* USD per hour, generalised cost */
    double carbon_price;    /* USD per tonne CO2, generalised cost */
    unsigned modes;         /* bit set of (1u << cor_mode); 0 = all */
    unsigned layers;        /* bit set of (1u << cor_layer); 0 = transport only */
    bool include_planned;   /* treat planned links as open */
    const char *const *avoid_countries;
    size_t n_avoid_countries;
    const char *const *avoid_nodes;
    size_t n_avoid_nodes;
    const char *const *avoid_links;
    size_t n_avoid_links;
    const cor_scenario *scenario; /* NULL: the network as it is */
};

void cor_profile_init(cor_profile *p); /* cost, all modes, transport layer, no filters */

/* A network compiled for one profile: CSR arrays over (node, mode class) states, where a
 * mode class is a mode, and for rail a mode and gauge. Arcs are either links or
 * transfers between classes at a node (costing the node's transfer, or transshipment when
 * only the gauge changes). Immutable; may be shared by many queries and threads. */
typedef struct cor_graph cor_graph;

/* O(|V| + |E| log deg). Fails with COR_ERR_NOT_FOUND for an avoided id that names nothing,
 * COR_ERR_INPUT when a usable link lacks what the objective needs (named in err). */
cor_status cor_graph_compile(cor_graph **out, const cor_network *net, const cor_profile *p,
                             cor_error *err);
void cor_graph_free(cor_graph *g);
size_t cor_graph_state_count(const cor_graph *g);
size_t cor_graph_arc_count(const cor_graph *g);
size_t cor_graph_memory_bytes(const cor_graph *g);
const cor_network *cor_graph_network(const cor_graph *g);
/* True when the graph has a valid geometric lower bound (A* is used). */
bool cor_graph_has_lower_bound(const cor_graph *g);
/* The graph's arrays for saving (names as in docs/FORMAT.md: "meta", "first_out", ...),
 * pointing into the graph: up to max into out; returns how many there are. O(1). */
size_t cor_graph_arrays(const cor_graph *g, cor_array *out, size_t max);
/* A graph over net that uses the arrays as they are (no copy: they must outlive it, and
 * the network), after checking what indexing needs: sizes agree, CSR offsets rise from 0
 * to the arc count, every head, tail, arc and link index in range, weights finite and not
 * negative, states numbered per node (cor_graph_check proves the rest). COR_ERR_INPUT
 * naming the array otherwise. O(|V| + |E|), sequential. */
cor_status cor_graph_from_arrays(cor_graph **out, const cor_network *net, const cor_array *a,
                                 size_t n, cor_error *err);
/* Every invariant of a compiled graph: CSR offsets, indices in range, weights finite and not
 * negative, each link arc joining its link's ends (transfers within one node), the backward
 * CSR the exact mirror of the forward one, states numbered per node, positions on the unit
 * sphere. COR_ERR_INPUT naming the array at fault. O(|V| + |E|). */
cor_status cor_graph_check(const cor_graph *g, cor_error *err);
/* True when the graph wraps stored arrays (from a .cor) rather than compiled ones. */
bool cor_graph_is_stored(const cor_graph *g);

/* ---------------------------------------------------------------- connectivity */

/* One weakly connected component: the nodes joined by the counted links, their direction
 * ignored. bbox = {west, south, east, north} of its nodes' positions (NaN when none has
 * one); `node` is its lowest-numbered node, to name it. */
typedef struct cor_component {
    size_t nodes, links;
    double km;        /* length of its links (those with a known length_km) */
    double bbox[4];
    uint32_t node;
} cor_component;

typedef struct cor_components {
    cor_component *items; /* largest first (most nodes, then most links, then lowest node) */
    size_t count;         /* components with at least one link */
    size_t isolated;      /* nodes that no counted link touches (not in items) */
    uint32_t *label;      /* per node: index into items, COR_NONE when isolated */
} cor_components;

/* Weakly connected components of the links the profile lets through (p NULL: the
 * defaults of cor_profile_init — open transport links of every mode). A network with many
 * pieces is still valid; this only describes it. Fails only with COR_ERR_NOMEM, or as
 * cor_graph_compile for a profile naming ids that do not exist.
 * O(|V| + |E| α(|V|)) time, O(|V|) memory. Free with cor_components_clear. */
cor_status cor_network_components(const cor_network *net, const cor_profile *p,
                                  cor_components *out, cor_error *err);
void cor_components_clear(cor_components *c);
/* A copy of net with only its largest component (of the links of every layer, planned ones
 * included): its nodes, and the links with both ends in it; *dropped_nodes and
 * *dropped_links count the rest (isolated nodes included). Corridors are not copied. For an
 * import that should keep what joins up. O(|V| + |E|) plus the builder's checks. */
cor_status cor_network_keep_largest(const cor_network *net, cor_network **out, size_t *dropped_nodes,
                                    size_t *dropped_links, cor_error *err);

/* ---------------------------------------------------------------- routes */

typedef struct cor_totals {
    double cost;  /* the objective's value */
    double hours; /* NaN when some element has no time */
    double usd;   /* NaN when some element has no cost */
    double co2_kg;
    double km;
    unsigned transfers; /* changes of mode or gauge */
    unsigned borders;   /* links crossing a border */
} cor_totals;

typedef enum cor_leg_kind { COR_LEG_LINK, COR_LEG_TRANSFER } cor_leg_kind;

/* One element of a route: a link travelled, or a transfer at a node. */
typedef struct cor_leg {
    cor_leg_kind kind;
    uint32_t link;        /* COR_NONE for a transfer */
    uint32_t from, to;    /* nodes (equal for a transfer) */
    cor_mode mode;        /* the link's mode, or the mode after the transfer */
    int gauge_mm;
    bool border;          /* crosses a border */
    double cost, hours, usd, co2_kg, km;
    double wait_hours;    /* expected wait for a scheduled service (in hours) */
    double dwell_hours;   /* border dwell (in hours) */
} cor_leg;

typedef struct cor_route {
    cor_totals totals;
    cor_leg *legs;
    size_t n_legs;
} cor_route;

void cor_route_init(cor_route *r);
void cor_route_clear(cor_route *r);

/* A reusable query over one graph. Its arrays are sized for the graph once; each search
 * resets them by timestamp, so a query costs what it touches. One thread at a time. */
typedef struct cor_route_query cor_route_query;

cor_route_query *cor_route_query_new(const cor_graph *g); /* NULL when out of memory */
void cor_route_query_free(cor_route_query *q);

/* Shortest route between two nodes: bidirectional search, A* (average potentials) when
 * the graph has a lower bound. O((|V| + |E|) log |V|) worst case. COR_ERR_NO_ROUTE when
 * none. */
cor_status cor_route_shortest(cor_route_query *q, uint32_t from, uint32_t to,
                              cor_route *out, cor_error *err);
/* Through the given nodes in order (n >= 2): each section starts in the state (mode) in
 * which the previous one arrived. */
cor_status cor_route_via(cor_route_query *q, const uint32_t *nodes, size_t n,
                         cor_route *out, cor_error *err);
/* Up to k loopless shortest routes in increasing cost (Yen's algorithm; loopless over
 * (node, mode) states). routes must hold k entries; *n_found is set. */
cor_status cor_route_alternatives(cor_route_query *q, uint32_t from, uint32_t to, size_t k,
                                  cor_route *routes, size_t *n_found, cor_error *err);
/* Totals from every source to every target (row-major, n_from × n_to); unreachable
 * entries have cost = INFINITY. One forward search per source, stopped once every target
 * is settled. */
cor_status cor_route_table(cor_route_query *q, const uint32_t *from, size_t n_from,
                           const uint32_t *to, size_t n_to, cor_totals *out, cor_error *err);
/* The graph a query searches. */
const cor_graph *cor_route_query_graph(const cor_route_query *q);
/* The objective's distance only (no path), for benchmarks: INFINITY when unreachable. */
double cor_route_distance(cor_route_query *q, uint32_t from, uint32_t to);
/* States settled by the last search (for benchmarks and tests). */
size_t cor_route_query_settled(const cor_route_query *q);
/* Which engine answered the last call on q: "cch" (the graph's index) or "dijkstra" (the
 * exact bidirectional search, A* when the graph has a bound). */
const char *cor_route_query_engine(const cor_route_query *q);

/* ---------------------------------------------------------------- index */

/* A customisable contraction hierarchy (Dibbelt, Strasser, Wagner, "Customizable
 * Contraction Hierarchies", JEA 2016) over a compiled graph's states. Three stages:
 * cor_cch_build (metric-independent: a nested-dissection order and the chordal supergraph
 * with its elimination tree), cor_cch_customize (one weight per arc → a metric; several
 * metrics share one cor_cch), and queries through a graph that carries (cch, metric):
 * cor_graph_set_index, after which cor_route_shortest / _via / _distance / _table answer
 * with exactly the costs of the plain search. Yen alternatives and searches with banned
 * arcs always run the exact search. */
typedef struct cor_cch cor_cch;
typedef struct cor_cch_metric cor_cch_metric;

typedef enum cor_cch_order {
    COR_CCH_ORDER_DEFAULT, /* inertial flow when every node has a position, else METIS
                              (bench/results/index-NY.md says why) */
    COR_CCH_ORDER_METIS,   /* METIS_NodeND on the undirected skeleton */
    COR_CCH_ORDER_INERTIAL /* inertial flow from node positions (Schild, Sommer 2015); every
                              node needs a position */
} cor_cch_order;

/* (cor_array, above with the compiled network file, also carries the index's arrays.) */

/* Builds the metric-independent index of g (g must outlive it). COR_ERR_INPUT when the
 * order needs positions some node lacks (COR_CCH_ORDER_INERTIAL), or when the graph has
 * 2^31 states or arcs or more. Time: the order (METIS: O(|E| log |V|) in practice;
 * inertial flow: O(cut × |E|) per level of dissection) plus the contraction,
 * O(|E+| log deg) for |E+| supergraph arcs. */
cor_status cor_cch_build(cor_cch **out, const cor_graph *g, cor_cch_order order,
                         cor_error *err);
void cor_cch_free(cor_cch *c);
size_t cor_cch_arc_count(const cor_cch *c);         /* arcs of the chordal supergraph */
size_t cor_cch_memory_bytes(const cor_cch *c);
const char *cor_cch_order_name(cor_cch_order o);    /* "metis", "inertial" */
cor_cch_order cor_cch_order_used(const cor_cch *c); /* the order actually built */
/* Every invariant (sizes, a permutation, ranks increasing along upward arcs, sorted rows,
 * the downward view the transpose of the upward one, the supergraph chordal: each rank's
 * upper neighbours but its parent are its parent's, every input arc on its slot). The
 * first violation goes into err as COR_ERR_INPUT. O(|E+| log deg + |E|). */
cor_status cor_cch_check(const cor_cch *c, cor_error *err);

/* Customises c with one weight per arc of its graph (weight[a] for arc a, NULL: the
 * graph's own weights); INFINITY means the arc is absent (filters, closures). Negative or
 * NaN weights are refused (COR_ERR_INPUT naming the arc). Time: O(Σ over ranks of the
 * upper neighbours' degrees) — the lower triangles, in rank order. */
cor_status cor_cch_customize(cor_cch_metric **out, const cor_cch *c, const double *weight,
                             cor_error *err);
/* Sets weight[i] on arcs[i] (i < n, up or down, to or from INFINITY) and recomputes only
 * the supergraph arcs whose value can change, upward through the triangles; the result is
 * identical to a full customisation with the new weights. O(affected arcs × their
 * triangles). */
cor_status cor_cch_customize_partial(cor_cch_metric *m, const uint32_t *arcs,
                                     const double *weight, size_t n, cor_error *err);
void cor_cch_metric_free(cor_cch_metric *m);
/* Every slot's weight is its minimum over its input arcs and lower triangles, and what
 * unpacks it gives that weight. O(customisation). */
cor_status cor_cch_metric_check(const cor_cch_metric *m, cor_error *err);
/* The weight the metric gives input arc a (what it was customised with). */
double cor_cch_metric_input_weight(const cor_cch_metric *m, uint32_t a);

/* What to save: fills up to max arrays (pointers into c), returns how many there are
 * (call with max = 0 to count). */
size_t cor_cch_arrays(const cor_cch *c, cor_array *out, size_t max);
/* Wraps saved arrays (no copy: they may be mmapped and must outlive the index) for graph
 * g, checking every invariant first (cor_cch_check); corrupted arrays are refused with
 * COR_ERR_INPUT naming the array, never read out of bounds. O(|E+| log deg + |E|). */
cor_status cor_cch_from_arrays(cor_cch **out, const cor_graph *g, const cor_array *a,
                               size_t n, cor_error *err);
size_t cor_cch_metric_arrays(const cor_cch_metric *m, cor_array *out, size_t max);
/* The same for a metric of c: checks that every slot holds what it stands for (its input
 * arc's weight, or the sum of its triangle's halves) and that no input arc is lighter than
 * its slot — O(|E+| log deg + |E|), not a customisation; cor_cch_metric_check is the full
 * one. */
cor_status cor_cch_metric_from_arrays(cor_cch_metric **out, const cor_cch *c,
                                      const cor_array *a, size_t n, cor_error *err);

/* Lets every query of g answer through (c, m) (both built on g; NULL, NULL detaches).
 * Call before sharing g between threads; c and m must outlive g's use. COR_ERR_USAGE
 * when c was not built on g or m not on c. */
cor_status cor_graph_set_index(cor_graph *g, const cor_cch *c, const cor_cch_metric *m,
                               cor_error *err);

/* ---------------------------------------------------------------- places by coordinates */

/* Great-circle distance in metres between two lon/lat points (degrees), on the sphere of
 * the WGS84 mean radius (6,371,008.8 m), by the haversine formula. O(1). */
double cor_great_circle_metres(double lon1, double lat1, double lon2, double lat2);

/* A spatial index over node positions: the nearest node to a longitude/latitude. A static
 * k-d tree over the positions as 3-D unit vectors (nearest by chord = nearest by
 * great-circle distance, no special case at the antimeridian or the poles). Immutable: one
 * locator may be shared by many threads. */
typedef struct cor_locator cor_locator;

/* Over the nodes usable under g's profile: those with at least one arc in g (nodes without
 * a position are left out). O(n log n) expected for n such nodes, 28 bytes each.
 * COR_ERR_NOMEM only. */
cor_status cor_locator_new(cor_locator **out, const cor_graph *g, cor_error *err);
/* Over the nodes of net with mask[i] true (mask NULL: every node) that have a position. */
cor_status cor_locator_new_nodes(cor_locator **out, const cor_network *net, const bool *mask,
                                 cor_error *err);
void cor_locator_free(cor_locator *loc);
size_t cor_locator_size(const cor_locator *loc); /* nodes indexed */

/* The nearest indexed node to (lon, lat) in degrees, and its great-circle distance in
 * metres (metres may be NULL); ties go to the lower node index. COR_ERR_USAGE when lon is
 * outside [-180, 180] or lat outside [-90, 90] (or not finite), COR_ERR_NOT_FOUND when the
 * locator is empty; nothing is added to an error record. O(log n) expected. */
cor_status cor_locator_nearest(const cor_locator *loc, double lon, double lat, uint32_t *node,
                               double *metres);
/* The same, refusing a place farther than limit_m metres (limit_m < 0: no limit), each
 * refusal in err with `field` (e.g. "from") as its place: COR_ERR_USAGE for a coordinate
 * out of range, COR_ERR_INPUT for an empty locator or a place beyond the limit (the
 * message gives the distance and the nearest node). net is the locator's network. */
cor_status cor_locator_snap(const cor_locator *loc, const cor_network *net, double lon,
                            double lat, double limit_m, const char *field, uint32_t *node,
                            double *metres, cor_error *err);

/* After a failed search: whether nodes a and b lie in the same weakly connected piece of g
 * (its arcs taken both ways) and how many nodes each one's piece has (0 for a node with no
 * arc under the profile). A breadth-first walk, run only when asked: O(size of the two
 * pieces), one byte per state and per node plus a queue of states. COR_ERR_USAGE for an
 * index out of range, COR_ERR_NOMEM. */
cor_status cor_graph_pieces(const cor_graph *g, uint32_t a, uint32_t b, bool *same,
                            size_t *nodes_a, size_t *nodes_b, cor_error *err);

/* ---------------------------------------------------------------- corridor comparison */

typedef struct cor_corridor_result {
    uint32_t corridor; /* index in the network's corridors */
    cor_status status; /* COR_OK, or COR_ERR_NO_ROUTE when the corridor cannot serve */
    cor_route route;
    long slowest_leg;  /* index of the leg with the most hours, -1 when none */
    long dearest_leg;  /* index of the leg with the most USD, -1 when none */
} cor_corridor_result;

/* The best route along each of the network's corridors, under the base profile (its
 * objective and filters) narrowed by each corridor's filters; with several nodes in a
 * waypoint group every choice is tried. out must hold cor_network_corridor_count(net)
 * entries. Fails only on bad input (a compile error, an unknown node): a corridor with
 * no route has status COR_ERR_NO_ROUTE. */
cor_status cor_compare(const cor_network *net, const cor_profile *base, uint32_t from,
                       uint32_t to, cor_corridor_result *out, cor_error *err);
void cor_compare_clear(cor_corridor_result *results, size_t n);

/* ---------------------------------------------------------------- maximum flow */

/* What a flow question asks: from which nodes to which, over the links the profile lets
 * through (its layers, modes, planned links, avoided elements, scenario; the objective
 * does not matter). Capacities are per year in the layer's unit: a link's `capacity` in
 * each direction it allows (`reverse_capacity` backwards when given), unknown = no limit;
 * a node's handling `capacity` limits what passes through it when node_capacities is set.
 * For pgRouting networks, as in pgr_maxFlow, a direction exists when its capacity is
 * positive. capacity_from_cost uses each link's cost as its capacity (for benchmarks on
 * DIMACS graphs, where the weight is the only number). */
typedef struct cor_flow_spec {
    const cor_profile *profile; /* NULL: transport layer, open links */
    const uint32_t *sources;
    size_t n_sources;
    const uint32_t *sinks;
    size_t n_sinks;
    bool node_capacities;
    bool capacity_from_cost;
} cor_flow_spec;

/* One element of a minimum cut: a link (in one direction) or a node (its handling). */
typedef struct cor_cut_item {
    bool is_node;
    uint32_t index;   /* link or node */
    bool reversed;    /* a link crossed to -> from */
    double capacity;
} cor_cut_item;

typedef struct cor_flow_result {
    double value;      /* per year; INFINITY when some path has no limit at all */
    double *link_flow; /* n_links: net flow, positive from -> to, negative to -> from */
    double *node_flow; /* n_nodes: what passes through (in, or out at sources) */
    cor_cut_item *cut; /* a minimum cut; its capacities sum to value (empty if infinite) */
    size_t n_cut;
    uint32_t *open_path; /* when infinite: nodes of a path with no capacity anywhere */
    size_t n_open_path;
} cor_flow_result;

/* Maximum flow from the sources to the sinks, by shortest augmenting paths with distance
 * labels (ISAP: relabelling, the gap heuristic, periodic exact labels; O(V² E), far less on
 * sparse networks), and a minimum cut read from the final residual graph. Fails with
 * COR_ERR_USAGE when a node is both source and sink or a set is empty. */
cor_status cor_maxflow(const cor_network *net, const cor_flow_spec *spec, cor_flow_result *out,
                       cor_error *err);
void cor_flow_result_clear(cor_flow_result *r);

/* The nodes a user means by `spec`: comma-separated node ids, ISO country codes (every
 * node in the country) and EU (the 27 member states). *nodes is malloc'd, distinct, in
 * index order. COR_ERR_NOT_FOUND (with `field`) for a token that names nothing. */
cor_status cor_region_resolve(const cor_network *net, const char *spec, const char *field,
                              uint32_t **nodes, size_t *n, cor_error *err);

/* ---------------------------------------------------------------- demand assignment */

/* One origin-destination demand: `quantity` per year in the layer's unit. */
typedef struct cor_demand {
    uint32_t from, to;
    double quantity;
} cor_demand;

/* Reads a demand CSV: a `from,to,quantity` header (optional), then one pair a line; every
 * bad line (unknown node, negative or non-numeric quantity, wrong field count) reported
 * with its line. *out is malloc'd (free it); nothing is returned on any problem. */
cor_status cor_demand_load(const char *path, const cor_network *net, cor_demand **out,
                           size_t *n, cor_error *err);
/* The same within the given input limits (NULL = the defaults of cor_load_options). */
cor_status cor_demand_load_with(const char *path, const cor_network *net,
                                const cor_load_options *opt, cor_demand **out, size_t *n,
                                cor_error *err);

/* The reference demand the network file carries (GeoJSON top-level "demand": the pairs
 * whose traffic the network is about, e.g. the model's China-Europe ends), owned by the
 * network; *n = 0 and NULL when it has none. O(1). */
const cor_demand *cor_network_demand(const cor_network *net, size_t *n);

/* ---------------------------------------------------------------- what a network holds */

/* The measures a route can report (cor_totals' hours, usd, co2_kg and km). */
typedef enum cor_measure {
    COR_MEASURE_HOURS,
    COR_MEASURE_USD, /* money: USD, or the file's weight for pgRouting and DIMACS */
    COR_MEASURE_CO2,
    COR_MEASURE_KM,
    COR_MEASURE_COUNT
} cor_measure;

/* "hours", "usd", "co2_kg", "km" (the names of cor_totals' members in JSON); NULL beyond. */
const char *cor_measure_name(cor_measure m);

/* What routes on the links the profile lets through can report and minimise. *measures
 * gets a bit (1u << cor_measure) for each measure every such link has in each direction it
 * allows (a route's total of it is then never unknown); *objectives a bit
 * (1u << cor_objective) for each objective cor_graph_compile would accept on the profile
 * (every such link has a finite value of it). Both 0 when no link is let through. Errors
 * as cor_graph_compile's filters (an avoided id that names nothing). O(|V| + |E|). */
cor_status cor_network_measures(const cor_network *net, const cor_profile *p, unsigned *measures,
                                unsigned *objectives, cor_error *err);
/* The profiles a compiled file stores when none is named: cost when every usable transport
 * link has one, else time and distance where every one has them (into out, at most max;
 * returns how many). None of them: cost, so that saving reports what is missing. O(|E|). */
size_t cor_network_default_profiles(const cor_network *net, cor_profile *out, size_t max);

/* The box around every node position and link geometry: box = {west, south, east, north}
 * in degrees. False (box untouched) when nothing has a position. O(|V| + coordinates). */
bool cor_network_bbox(const cor_network *net, double box[4]);

/* A small demand that stands for the network's traffic, for analyses that need one when
 * the user gives none (the map's criticality heat map): the network's own reference demand
 * (cor_network_demand) when it carries one, else `k` places spread over the network by
 * farthest-point sampling, one unit from each to each one picked after it (k(k-1)/2 pairs).
 * Places: the nodes of the largest connected piece of the links the profile lets through
 * (ties: the piece with the lowest node index),
 * those of kind city, seaport, rail_terminal or dry_port when there are at least two, else
 * all of them; the first is the one farthest from their centre, each next one the farthest
 * (great-circle) from those picked, ties to the lower index. *out is malloc'd.
 * COR_ERR_USAGE for k < 2; COR_ERR_INPUT when fewer than two places have a position; filter
 * errors as cor_network_measures. O(|E| α(|V|) + k |V|). */
cor_status cor_network_reference_demand(const cor_network *net, const cor_profile *p, size_t k,
                                        cor_demand **out, size_t *n, cor_error *err);

/* ---------------------------------------------------------------- assignment */

typedef enum cor_assign_method {
    COR_ASSIGN_LP,         /* system optimum: min-cost multi-commodity flow (GLPK) */
    COR_ASSIGN_FRANK_WOLFE /* user equilibrium with BPR volume-delay functions */
} cor_assign_method;

typedef struct cor_assign_spec {
    const cor_profile *profile; /* objective and filters, as for routing */
    const cor_demand *demand;
    size_t n_demand;
    cor_assign_method method;
    int max_iterations; /* Frank-Wolfe; 0 = 100 */
    double gap;         /* Frank-Wolfe: stop below this relative gap; 0 = 1e-4 */
    double bpr_alpha, bpr_beta; /* 0 = 0.15 and 4 */
    /* Frank-Wolfe reports origins searched (out of (iterations + 1) x origins at most) and
     * may be stopped between origins: COR_ERR_CANCELLED, with the volumes of the last
     * finished iteration in the result (iterations and gaps say how far it got). The LP
     * (GLPK) cannot be stopped midway. NULL: no reports. */
    const cor_progress *progress;
} cor_assign_spec;

typedef struct cor_assign_result {
    double *link_volume;      /* n_links: volume from -> to */
    double *link_volume_back; /* n_links: volume to -> from */
    double *unserved;         /* n_demand: demand capacity could not carry (LP) */
    double cost;              /* Σ volume × arc cost (the objective, without penalties) */
    double hours, usd, co2_kg; /* Σ volume × the arc's measure */
    int iterations;
    double *gaps;             /* Frank-Wolfe: relative gap after each iteration */
    size_t n_gaps;
} cor_assign_result;

cor_status cor_assign(const cor_network *net, const cor_assign_spec *spec,
                      cor_assign_result *out, cor_error *err);
void cor_assign_result_clear(cor_assign_result *r);

/* ---------------------------------------------------------------- energy */

/* Gas security of supply on the gas layer: how much gas each region can receive from the
 * supply (a maximum flow), and the EU N-1 infrastructure standard of Regulation (EU)
 * 2017/1938, Annex II, for the area the regions make up together:
 *
 *   N-1 [%] = (EPm + Pm + Sm + LNGm - Im) / (Dmax - Deff) × 100     (Deff = 0 when not given)
 *
 * The gas layer's capacities are bcm per year; the N-1 terms are mcm per day, converted at
 * COR_MCM_D_PER_BCM_Y (× 1000 / 365: a technical capacity over an average day). */
#define COR_MCM_D_PER_BCM_Y (1000.0 / 365.0)

/* A region: country codes (every gas node of the country) and node ids. Its gas is
 * delivered to its sinks: for a country, its nodes of kind "consumer_region" or "demand"
 * when it has any, else all its gas nodes; a node id is its own sink. Supply nodes are never
 * sinks. For the N-1, the calculated area is every node of every region's countries and
 * node ids. */
typedef struct cor_gas_region {
    const char *name;            /* for messages, e.g. "GR+BG" */
    const char *const *members;  /* country codes and node ids */
    size_t n_members;
    double demand;               /* bcm/year it takes at most; NaN: all that can reach it */
} cor_gas_region;

/* How the other regions' demand weighs on a region's deliverable gas. */
typedef enum cor_gas_others {
    COR_GAS_OTHERS_IGNORE, /* each region alone: the most it can receive */
    COR_GAS_OTHERS_FIRST   /* the other regions are served first, each up to its demand
                              (or all that can reach it); the region gets what is left */
} cor_gas_others;

typedef struct cor_energy_spec {
    const cor_profile *profile; /* usable links: planned, scenario, avoided elements (NULL:
                                   open links); its layers and modes are ignored (gas) */
    const char *const *supply;  /* supply node ids; none: every gas node of kind "field" or
                                   "production" */
    size_t n_supply;
    const cor_gas_region *regions;
    size_t n_regions;
    cor_gas_others others;
    bool n1; /* also compute the N-1 of the area */
    /* N-1 inputs in mcm/d, NaN when not given. Dmax is required (no network holds a 1-in-20
     * peak demand); Sm, LNGm and Deff count as 0 when not given; EPm, Pm and Im replace
     * the figures computed from the network. */
    double dmax, deff, sm, lngm, epm, pm, im;
} cor_energy_spec;

/* A region's deliverable gas. */
typedef struct cor_gas_delivery {
    double value;          /* bcm/year; INFINITY when a path has no capacity figure */
    uint32_t *sinks;       /* nodes */
    size_t n_sinks;
    cor_cut_item *limits;  /* what bounds it alone (a minimum cut; COR_GAS_OTHERS_IGNORE
                              only): links and nodes, index COR_NONE = the region's demand */
    size_t n_limits;
    uint32_t *open_path;   /* when infinite: nodes of a path with no capacity figure */
    size_t n_open_path;
} cor_gas_delivery;

typedef enum cor_gas_asset_kind {
    COR_GAS_ENTRY,      /* a link carrying gas into the area (a term of EPm) */
    COR_GAS_PRODUCTION, /* a supply node inside the area (a term of Pm) */
    COR_GAS_JUNCTION    /* a node where several entry links meet, inside or outside the
                           area: one infrastructure carrying their sum (Im only) */
} cor_gas_asset_kind;

typedef struct cor_gas_asset {
    cor_gas_asset_kind kind;
    uint32_t index;  /* link (entry) or node */
    bool reversed;   /* an entry link crossed to -> from */
    double capacity; /* mcm/d; NaN when the network has no figure */
} cor_gas_asset;

typedef enum cor_n1_origin {
    COR_N1_MODEL,  /* computed from the network */
    COR_N1_GIVEN,  /* given in the spec */
    COR_N1_ABSENT  /* neither: counted as 0 (Sm, LNGm, Deff) */
} cor_n1_origin;

typedef struct cor_n1_term {
    double value; /* mcm/d */
    cor_n1_origin origin;
} cor_n1_term;

typedef struct cor_n1_result {
    cor_n1_term epm, pm, sm, lngm, im, dmax, deff;
    double percent;          /* the N-1 */
    cor_gas_asset *entries;  /* EPm's entry links, each with its capacity inward */
    size_t n_entries;
    cor_gas_asset *production; /* Pm's supply nodes: node capacity, else what leaves them */
    size_t n_production;
    cor_gas_asset im_asset;  /* the infrastructure Im is; index COR_NONE when Im was given
                                or the area has no infrastructure */
    uint32_t *im_links;      /* the entry links it carries (none for production) */
    size_t n_im_links;
    double deliverable;            /* bcm/year from the supply to every region's sinks */
    double deliverable_without_im; /* the same with Im out of service; NaN when Im was given */
} cor_n1_result;

typedef struct cor_energy_result {
    uint32_t *supply; /* supply nodes */
    size_t n_supply;
    cor_gas_delivery *regions; /* one per spec region, in order */
    size_t n_regions;
    bool has_n1;
    cor_n1_result n1;
} cor_energy_result;

/* Deliverable gas per region and, when spec->n1, the N-1 of the area.
 *
 * Deliverable gas is the maximum flow (cor_maxflow) over the usable gas links, from the
 * supply nodes to the region's sinks, through one demand node per region whose capacity is
 * the region's demand; node capacities count where a node has only gas links (elsewhere
 * its capacity is in another layer's unit). With COR_GAS_OTHERS_FIRST it is F(all regions)
 * - F(the others): every maximum flow to the others extends to one to all regions without
 * taking gas from them, so this is exactly the most the region gets once they are served.
 *
 * N-1 terms from the network: EPm = Σ inward capacity of the usable gas links entering the
 * area; Pm = Σ production of the supply nodes inside it; Im = the largest of the entry
 * links, the production nodes and the junctions (entry links meeting at one node are
 * "connected to a common upstream or downstream gas infrastructure": counted as one).
 *
 * Errors: COR_ERR_USAGE for a bad spec (no region, a negative or non-finite figure, no Dmax,
 * Deff >= Dmax, Im above EPm + Pm + Sm + LNGm); COR_ERR_NOT_FOUND for a member or supply id
 * that names nothing; COR_ERR_INPUT when a region has no sink, there is no supply, the
 * others can take unlimited gas, or an N-1 term the network should give has no capacity
 * figure (the field names the term to give). O(R · V² E) for R regions (see cor_maxflow), far less
 * on the sparse gas layer. */
cor_status cor_energy(const cor_network *net, const cor_energy_spec *spec,
                      cor_energy_result *out, cor_error *err);
void cor_energy_result_clear(cor_energy_result *r);

/* ---------------------------------------------------------------- criticality */

typedef enum cor_element_kind { COR_ELEMENT_LINK, COR_ELEMENT_NODE } cor_element_kind;

/* What losing one element (or, for k = 2, two at once) costs the demand. Figures are sums
 * over the demand of quantity × (value without the element − value with it). */
typedef struct cor_criticality {
    cor_element_kind kind;
    uint32_t index;          /* link or node */
    cor_element_kind kind2;  /* k = 2: the second element; index2 is COR_NONE for k = 1 */
    uint32_t index2;
    bool evaluated;          /* false: the run was stopped before this entry was done */
    double extra_cost;       /* in the objective's unit, over the pairs still connected */
    double extra_hours;      /* the detour's figures, over the pairs still connected (NaN */
    double extra_usd;        /*   when a route lacks the figure, or when the loss cut off  */
    double extra_co2_kg;     /*   every pair it affected); with ties in the objective,    */
                             /*   those of the route the search returns                   */
    double delay_tonne_hours;/* Σ quantity × extra hours (0 where the hours are unknown)  */
    size_t pairs_affected;   /* pairs whose best route used it */
    size_t pairs_disconnected;
    double unserved;         /* Σ quantity of the disconnected pairs */
} cor_criticality;

typedef struct cor_criticality_spec {
    const cor_profile *profile;
    const cor_demand *demand;
    size_t n_demand;
    bool links, nodes;       /* which kinds of element */
    unsigned k;              /* 1 (0 means 1) or 2 */
    size_t candidates;       /* k = 2: pairs among the first `candidates` of the k = 1
                              * ranking (0: 20) — see cor_criticality_rank */
    unsigned threads;        /* 0: one per core */
    const cor_progress *progress;
} cor_criticality_spec;

typedef struct cor_criticality_result {
    cor_criticality *single; /* one per element asked: links first, in index order, then nodes */
    size_t n_single;
    cor_criticality *pairs;  /* k = 2: every pair of candidates, ranked (most critical first) */
    size_t n_pairs;
    size_t candidates;       /* how many single elements the pairs were drawn from */
    size_t n_pairs_routed;   /* demand pairs with a route when everything is in place */
} cor_criticality_result;

/* Criticality of every link and/or node (N-1), and for k = 2 of every pair among the most
 * critical single elements (N-2). Each pair's best route is found once; only the pairs
 * whose route uses an element are searched again, with the element banned (the answer is
 * the naive one's: a pair whose route avoids the element loses nothing). For two elements,
 * the pairs whose route uses either. Pairs with no route even with everything in place
 * are left out. Elements are handed to `threads` threads in chunks, each thread with its
 * own query on one shared graph; results are stored by entry, so they do not depend on
 * the number of threads. Cancelled through spec->progress: COR_ERR_CANCELLED, *out kept
 * with `evaluated` false on the entries not done. */
cor_status cor_criticality_run(const cor_network *net, const cor_criticality_spec *spec,
                               cor_criticality_result *out, cor_error *err);
void cor_criticality_result_clear(cor_criticality_result *r);
/* Sorts most critical first: unserved demand, then extra cost (compared to 9 significant
 * digits, so rounding in the last bits of sums does not reorder equal costs), then pairs
 * affected, then element (links before nodes, by index) — the order k = 2 draws its
 * candidates from. */
void cor_criticality_rank(cor_criticality *c, size_t n);

/* What losing each link and/or node costs the maximum flow of spec (its profile's avoided
 * elements are kept, each element is added to them in turn). Only elements that carry flow
 * in the base answer are computed again (the others' loss leaves that flow feasible).
 * lost[i] = base − without, for element i as in cor_criticality_result.single's order;
 * *base is the flow with everything in place. Fails with COR_ERR_NO_ROUTE when the base
 * flow has no limit (no answer; the path is named), else as cor_maxflow. */
cor_status cor_throughput_criticality(const cor_network *net, const cor_flow_spec *spec,
                                      bool links, bool nodes, const cor_progress *progress,
                                      double *base, double **lost, size_t *n, cor_error *err);

/* ---------------------------------------------------------------- clearance order */

/* A link closed by mines or damage, and the crew-days one crew needs to clear it. */
typedef struct cor_closed_link {
    uint32_t link;
    double crew_days; /* > 0 */
} cor_closed_link;

/* Reads a closed-links CSV (docs/FORMAT.md, "Clearance order"): a header naming the
 * columns `link` and `crew_days` (others are ignored), then one link a row; rows whose first
 * cell starts with '#' are comments. Every bad row (unknown link, crew_days not a number or
 * not above 0, a link listed twice, a missing cell) is reported with its line and field.
 * *out is malloc'd (free it); nothing is returned on any problem. */
cor_status cor_closed_load(const char *path, const cor_network *net, cor_closed_link **out,
                           size_t *n, cor_error *err);
/* The same within the given input limits (NULL = the defaults of cor_load_options). */
cor_status cor_closed_load_with(const char *path, const cor_network *net,
                                const cor_load_options *opt, cor_closed_link **out, size_t *n,
                                cor_error *err);

typedef enum cor_restore_method {
    COR_RESTORE_AUTO,     /* exact up to COR_RESTORE_EXACT_AUTO links, heuristic beyond */
    COR_RESTORE_EXACT,    /* branch and bound over every order; up to COR_RESTORE_EXACT_MAX */
    COR_RESTORE_HEURISTIC /* greedy by marginal value per crew-day, then local search */
} cor_restore_method;

#define COR_RESTORE_EXACT_AUTO 10
#define COR_RESTORE_EXACT_MAX 12

/* The question: which order of clearance restores the most O-D value soonest.
 *
 * Accessibility A(t) = Σ_k q_k v_k(t) / Σ_k q_k over the demand pairs that have a route once
 * every closed link is cleared, where v_k = base_k / cost_k(t): the pair's best cost (in
 * the profile's objective) with everything cleared over its best cost with the links not
 * yet cleared at day t closed; 0 while the pair is cut off. A = 1 once everything is
 * cleared. The closed links are closed at day 0 on top of whatever the profile and its
 * scenario close; a link comes back when its crew finishes. Clearing a link turns its own
 * status from mined or closed to open; the profile's filters and scenario still apply.
 *
 * Crews work in parallel, one crew per link. An order becomes a schedule by giving the next
 * link to the first crew free (the lowest-numbered one on ties). The objective is the area
 * under A(t) over [0, horizon] (accessibility-days; higher is better). */
typedef struct cor_restore_spec {
    const cor_profile *profile;   /* objective and filters, as for routing */
    const cor_demand *demand;     /* NULL: equal weight per ordered pair among the nodes of
                                     kind city, seaport, rail_terminal and dry_port */
    size_t n_demand;
    const cor_closed_link *closed;
    size_t n_closed;
    unsigned crews;               /* >= 1 */
    double horizon_days;          /* 0: 365 */
    cor_restore_method method;
    uint32_t depot;               /* nearest-first reference node; COR_NONE: the origin with
                                     the most demand (ties: the one nearest the closed links) */
    const cor_progress *progress;
    size_t max_evaluations;       /* heuristic: stop improving once this many distinct sets of
                                     open links have been routed (0: no limit); the best
                                     order found by then is returned, result.budget_reached */
} cor_restore_spec;

/* The orders the answer holds: the best found, and the naive ones it is compared with. */
typedef enum cor_restore_order {
    COR_ORDER_BEST,
    COR_ORDER_SHORTEST_FIRST, /* fewest crew-days first (ties: file order) */
    COR_ORDER_NEAREST_FIRST,  /* great-circle km from the depot to the link's nearer end
                                 (links without positions last; ties: file order) */
    COR_ORDER_COUNT
} cor_restore_order;

const char *cor_restore_order_name(cor_restore_order o); /* "best", "shortest-first", ... */

typedef struct cor_restore_step {
    uint32_t closed;      /* index into spec->closed */
    unsigned crew;        /* 0-based */
    double start_day, finish_day;
    double accessibility; /* once every link finished by finish_day is open; NaN when the
                             run was stopped before it was computed */
} cor_restore_step;

/* A(t) as a step function: `accessibility` holds from `day` until the next point. */
typedef struct cor_restore_point {
    double day, accessibility;
} cor_restore_point;

typedef struct cor_restore_plan {
    cor_restore_step *steps; /* n_closed, in the order the links are given to crews */
    cor_restore_point *curve; /* day 0, then each distinct finish day */
    size_t n_curve;
    double area;              /* ∫ A over [0, horizon], accessibility-days; NaN if stopped */
    double finish_day;        /* when the last crew is done */
} cor_restore_plan;

typedef struct cor_restore_result {
    cor_restore_plan plans[COR_ORDER_COUNT];
    size_t n_steps;           /* = n_closed */
    cor_restore_method method; /* the one used: exact or heuristic */
    bool optimal;             /* the best order is proven best (the exact search finished) */
    double horizon_days;
    double initial;           /* A at day 0 */
    uint32_t depot;
    bool default_demand;      /* the equal-weight pairs were used */
    size_t n_pairs;           /* pairs with a route once everything is cleared */
    size_t n_pairs_unrouted;  /* left out: no route even then */
    size_t n_pairs_affected;  /* whose best route (everything cleared) uses a closed link */
    size_t evaluations;       /* distinct sets of open links routed */
    bool budget_reached;      /* the heuristic stopped improving at spec->max_evaluations */
    size_t *pairs_using;      /* n_closed: affected pairs whose route uses each link */
    bool *usable;             /* n_closed: the profile lets the link carry anything once
                                 cleared (false: clearing it changes nothing) */
    double *depot_km;         /* n_closed: the nearest-first distance (NaN: no position) */
} cor_restore_result;

/* The best clearance order found, its schedule and curve, and the naive orders beside it.
 *
 * The graph is compiled once with every closed link usable; a set of open links is
 * evaluated by routing again only the pairs whose best route uses a closed link still
 * closed, with that link's arcs banned in the query (no recompiling), and cached by set.
 * Exact (COR_RESTORE_EXACT, or AUTO with at most COR_RESTORE_EXACT_AUTO links): branch and
 * bound over orders (bound: each remaining link finishing as early as any crew could
 * finish it; orders that only swap links starting together are skipped), at most 2^n
 * evaluations. Heuristic: greedy by marginal accessibility per crew-day, then local search
 * by moving and swapping links until no move improves; never below the naive orders.
 *
 * Errors: COR_ERR_USAGE for a bad spec (no closed link, a link twice, crews 0, crew_days or
 * horizon not above 0, exact beyond COR_RESTORE_EXACT_MAX, an index out of range, a default
 * demand over 500 nodes); COR_ERR_INPUT when no demand pair has a route even with
 * everything cleared; compile errors as cor_graph_compile. Stopped through spec->progress:
 * COR_ERR_CANCELLED with *out filled: the best order found so far (optimal false), values
 * not computed by then NaN. */
cor_status cor_restore(const cor_network *net, const cor_restore_spec *spec,
                       cor_restore_result *out, cor_error *err);
void cor_restore_result_clear(cor_restore_result *r);

#ifdef __cplusplus
}
#endif
#endif
