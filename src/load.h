/*
 * load.h — what the network loaders (load*.c) share.
 *
 * Each loader parses one file format and feeds a cor_builder; it reports format-level
 * problems (unreadable file, bad syntax, wrong types, missing fields, unknown names) with
 * their place, keeps going to find the rest, and leaves semantic checks (dangling ends,
 * duplicate ids, ranges) to cor_builder_finish. load.c picks the loader and decides, from
 * what the loader reported, whether the builder is finished or thrown away.
 *
 * Problems go through a cor_report rather than straight into the cor_error: the error list
 * is capped, so only the report's own counter can tell a loader reliably whether it has
 * found anything wrong.
 */
#ifndef COR_LOAD_H
#define COR_LOAD_H

#include "corridor.h"

/* ---------------------------------------------------------------- reporting problems */

typedef struct cor_report {
    cor_error *err;
    const char *file;  /* the file problems are reported in; loaders may switch it */
    size_t problems;   /* how many this load has reported (not capped) */
    cor_status status; /* the status of the first one, COR_OK when none */
    /* What one file may hold (cor_slurp, cor_csv_read); NULL = the defaults. */
    const cor_load_options *limits;
} cor_report;

void cor_report_init(cor_report *r, cor_error *err, const char *file);
/* Records a problem at r->file; line and feature are -1 when they do not apply. */
void cor_report_add(cor_report *r, cor_status status, long line, long feature,
                    const char *field, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* ---------------------------------------------------------------- files */

/* A whole file in memory, NUL-terminated (data[len] == '\0'); gzip is decompressed. */
typedef struct cor_text {
    char *data;
    size_t len;
} cor_text;

/* Reads `path` (plain or gzipped) whole, within r->limits: reading stops one byte past a
 * limit and the file is refused (COR_ERR_INPUT, the field naming the limit). On failure
 * reports the problem and returns its status with out->data NULL. */
cor_status cor_slurp(const char *path, cor_text *out, cor_report *r);
void cor_text_free(cor_text *t);

/* Makes *arr (capacity *cap elements of elem bytes) hold at least `need`, doubling; false
 * when out of memory or the size would overflow (*arr is then unchanged). */
bool cor_grow(void **arr, size_t *cap, size_t need, size_t elem);
bool cor_path_is_dir(const char *path);
bool cor_path_is_file(const char *path);
/* True when `path` ends with `ext` (e.g. ".csv"), also when followed by ".gz". */
bool cor_path_has_ext(const char *path, const char *ext);

/* ---------------------------------------------------------------- fields by name */

/* How a named attribute (a GeoJSON property, a CSV column) is stored in cor_node or
 * cor_link. GeoJSON and CSV use the same names, so they share one table each. */
typedef enum cor_field_kind {
    COR_FIELD_STRING,
    COR_FIELD_NUMBER,   /* double */
    COR_FIELD_INT,      /* int (gauge_mm) */
    COR_FIELD_DIRECTED, /* bool: true clears cor_link.backward */
    COR_FIELD_LAYER,
    COR_FIELD_MODE,
    COR_FIELD_STATUS
} cor_field_kind;

typedef struct cor_field {
    const char *name;
    cor_field_kind kind;
    size_t offset;  /* of the member in cor_node or cor_link */
    bool required;
    bool csv_only;  /* lon, lat: GeoJSON has them in the geometry */
} cor_field;

/* Both end with an entry whose name is NULL. */
extern const cor_field cor_node_fields[];
extern const cor_field cor_link_fields[];

/* Stores a value given as text into obj (a cor_node or cor_link). On failure returns false
 * and writes why into why[size]. An empty string is not accepted: callers treat it as
 * "unknown" and leave the default. */
bool cor_field_set_text(const cor_field *f, void *obj, const char *text, char *why,
                        size_t size);
/* The same from typed values (GeoJSON). */
void cor_field_set_number(const cor_field *f, void *obj, double v);
void cor_field_set_bool(const cor_field *f, void *obj, bool v);
/* Enum kinds only; false with why filled when the name is unknown. */
bool cor_field_set_name(const cor_field *f, void *obj, const char *s, char *why,
                        size_t size);

/* The same from a JSON value (GeoJSON properties, a scenario's added elements): false with
 * why filled ("must be a number, not a string", or the unknown name). */
struct json_t;
bool cor_field_set_json(const cor_field *f, void *obj, struct json_t *v, char *why, size_t size);
/* "a string", "a number", ... for messages; "missing" for NULL. */
const char *cor_json_type_name(const struct json_t *v);

/* ---------------------------------------------------------------- CSV reading */

/* Called for every row of a CSV file, header included. cells[n] are NUL-terminated and
 * valid until the callback returns; line is the 1-based line where the row starts.
 * Returning false stops the reading (the header showed the rest cannot be used). */
typedef bool (*cor_csv_row_fn)(void *ctx, char **cells, size_t n, long line);

/* Reads a CSV file (RFC 4180 quoting, strict) row by row. Malformed rows are reported and
 * skipped. Returns COR_OK, or the status of an unreadable file or exhausted memory. */
cor_status cor_csv_read(const char *path, cor_csv_row_fn fn, void *ctx, cor_report *r);

/* ---------------------------------------------------------------- the loaders */

/* Each adds what it reads to b and returns r->status after reading (COR_OK when it found
 * no problem), or COR_ERR_NOMEM when it had to stop. */
cor_status cor_load_geojson(cor_builder *b, const char *path, cor_report *r);
/* The corridors, the demand and the name of a GeoJSON network (load_corridors.c). */
void cor_load_network_members(cor_builder *b, cor_report *r, struct json_t *root);
cor_status cor_load_csv_pair(cor_builder *b, const char *nodes_path, const char *links_path,
                             cor_report *r);
cor_status cor_load_pgrouting(cor_builder *b, const char *path, cor_report *r);
cor_status cor_load_dimacs(cor_builder *b, const char *path, cor_report *r);

#endif
