/*
 * osm_reader.h — reading OpenStreetMap files (.osm.pbf, .osm, .osm.gz, .osm.bz2) through
 * libosmium, behind a C interface.
 *
 * The idea: libosmium is C++ and throws; the rest of the library is C and reports problems
 * in a cor_error. This header is the whole border between the two. The reader streams the
 * file and hands each object to a C callback; it keeps nothing itself except, when
 * boundaries are asked for, what libosmium's multipolygon assembler needs for the
 * admin_level=2 relations (their member ways and those ways' node locations). Every C++
 * exception (damaged PBF, truncated gzip, bad XML, unreadable file, out of memory) is
 * caught in osm_reader.cpp and turned into a problem naming the file; none crosses into C.
 *
 * The trade-off: one full read of the file per pass (the caller runs two or three), in
 * exchange for memory bounded by what the caller keeps, not by the file.
 */
#ifndef COR_OSM_READER_H
#define COR_OSM_READER_H

#include "corridor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct osm_tag {
    const char *key, *value;
} osm_tag;

/* A way as the reader sees it; every pointer is valid only during the callback. */
typedef struct osm_way {
    int64_t id;
    const osm_tag *tags;
    size_t n_tags;
    const int64_t *refs; /* node ids, in order */
    size_t n_refs;
} osm_way;

/* Callbacks return false to stop the read (the caller has filled err itself). */
typedef struct osm_handlers {
    bool (*way)(void *ctx, const osm_way *w);
    bool (*node)(void *ctx, int64_t id, double lon, double lat);
    /* One ring of an assembled country area (admin_level=2 boundary): `code` is the
     * upper-cased ISO 3166-1 alpha-2 code, `area` numbers the areas, `xy` the ring's
     * lon/lat pairs (closed: first = last). Rings of one area come one after another. */
    bool (*ring)(void *ctx, const char *code, size_t area, bool outer, const double *xy,
                 size_t n);
    void *ctx;
} osm_handlers;

/* What a pass counted (objects in the file, for comparison with `osmium fileinfo -e`). */
typedef struct osm_counts {
    size_t nodes, ways, relations;
    size_t boundary_relations; /* admin_level=2 relations with an ISO code */
    size_t boundary_areas;     /* of those, the ones the assembler closed into areas */
} osm_counts;

/* osm_reader_new opens the file's reader state; with `boundaries` it reads the relations
 * (an extra pass over the file) and remembers the admin_level=2 boundaries' member ways.
 * Free *out with osm_reader_free, also after a failure.
 * osm_read_ways: h->way for each way; the member ways' node ids are remembered for
 * osm_read_nodes. */
typedef struct osm_reader osm_reader;
cor_status osm_reader_new(osm_reader **out, const char *path, bool boundaries, cor_error *err);
cor_status osm_read_ways(osm_reader *r, const osm_handlers *h, osm_counts *counts,
                         cor_error *err);
/* Pass over the nodes: h->node for each node; then, with boundaries, h->ring for every
 * ring of every country area the assembler could close. */
cor_status osm_read_nodes(osm_reader *r, const osm_handlers *h, osm_counts *counts,
                          cor_error *err);
void osm_reader_free(osm_reader *r);

#ifdef __cplusplus
}
#endif

#endif
