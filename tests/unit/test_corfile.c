/*
 * test_corfile.c — the compiled network file (.cor): round trips equal to the source in
 * every field of every node and link (the embedded model, the example, a pgRouting table,
 * a DIMACS graph, a nodes+links CSV pair), stored graphs equal array for array to a fresh
 * compile and passing cor_graph_check, the same distances on both, profiles not stored
 * compiled normally; damaged files (truncated at many offsets, a bit flipped at many
 * offsets, wrong magic, version, endianness, counts past 32 bits) refused with a message
 * naming the file; links and nodes filled lazily by several threads at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka needs the four above first */
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "corfile.h"
#include "corridor.h"
#include "graph_internal.h"
#include "testutil.h"

/* ---------------------------------------------------------------- helpers */

static cor_network *load(const char *path, cor_format f)
{
    cor_network *net = NULL;
    cor_error err;
    cor_error_init(&err);
    cor_status st = cor_network_load(&net, path, f, &err);
    if (st != COR_OK) {
        char buf[1024];
        fprintf(stderr, "%s\n", cor_problem_format(&err.problems[0], buf, sizeof buf));
    }
    assert_int_equal(st, COR_OK);
    cor_error_clear(&err);
    return net;
}

static void temp_cor(char *path, size_t size)
{
    assert_non_null(cor_test_write_temp(".cor", "", 0, path, size));
}

static void save(const cor_network *net, const char *path, const cor_profile *p, size_t n)
{
    cor_error err;
    cor_error_init(&err);
    cor_status st = cor_network_save(net, path, p, n, &err);
    if (st != COR_OK) {
        char buf[1024];
        fprintf(stderr, "%s\n", cor_problem_format(&err.problems[0], buf, sizeof buf));
    }
    assert_int_equal(st, COR_OK);
    cor_error_clear(&err);
}

static void same_string(const char *a, const char *b)
{
    if (!a || !b)
        assert_true(a == b);
    else
        assert_string_equal(a, b);
}

static void same_number(double a, double b)
{
    if (isnan(a))
        assert_true(isnan(b));
    else
        assert_true(a == b);
}

static void same_node(const cor_node *a, const cor_node *b)
{
    same_string(a->id, b->id);
    same_string(a->name, b->name);
    same_string(a->country, b->country);
    same_string(a->kind, b->kind);
    same_string(a->source, b->source);
    const double x[] = {a->lon,
                        a->lat,
                        a->capacity,
                        a->transfer_hours,
                        a->transfer_usd,
                        a->transfer_co2_kg,
                        a->transship_hours,
                        a->transship_usd};
    const double y[] = {b->lon,
                        b->lat,
                        b->capacity,
                        b->transfer_hours,
                        b->transfer_usd,
                        b->transfer_co2_kg,
                        b->transship_hours,
                        b->transship_usd};
    for (size_t i = 0; i < sizeof x / sizeof *x; i++)
        same_number(x[i], y[i]);
}

static void same_link(const cor_link *a, const cor_link *b)
{
    same_string(a->id, b->id);
    same_string(a->from_id, b->from_id);
    same_string(a->to_id, b->to_id);
    same_string(a->source, b->source);
    assert_int_equal(a->from, b->from);
    assert_int_equal(a->to, b->to);
    assert_int_equal(a->layer, b->layer);
    assert_int_equal(a->mode, b->mode);
    assert_int_equal(a->status, b->status);
    assert_int_equal(a->forward, b->forward);
    assert_int_equal(a->backward, b->backward);
    assert_int_equal(a->gauge_mm, b->gauge_mm);
    assert_int_equal(a->geom_first, b->geom_first);
    assert_int_equal(a->geom_count, b->geom_count);
    const double x[] = {a->length_km,          a->speed_kmh,
                        a->duration_hours,     a->cost,
                        a->reverse_cost,       a->co2_kg,
                        a->capacity,           a->reverse_capacity,
                        a->frequency_per_week, a->border_dwell_hours,
                        a->clearance_days};
    const double y[] = {b->length_km,          b->speed_kmh,
                        b->duration_hours,     b->cost,
                        b->reverse_cost,       b->co2_kg,
                        b->capacity,           b->reverse_capacity,
                        b->frequency_per_week, b->border_dwell_hours,
                        b->clearance_days};
    for (size_t i = 0; i < sizeof x / sizeof *x; i++)
        same_number(x[i], y[i]);
}

static void same_corridors(const cor_network *a, const cor_network *b)
{
    assert_int_equal(cor_network_corridor_count(a), cor_network_corridor_count(b));
    for (size_t i = 0; i < cor_network_corridor_count(a); i++) {
        const cor_corridor *x = cor_network_corridor(a, i), *y = cor_network_corridor(b, i);
        same_string(x->id, y->id);
        same_string(x->name, y->name);
        same_string(x->description, y->description);
        assert_int_equal(x->modes, y->modes);
        assert_int_equal(x->n_avoid_countries, y->n_avoid_countries);
        for (size_t k = 0; k < x->n_avoid_countries; k++)
            assert_string_equal(x->avoid_countries[k], y->avoid_countries[k]);
        assert_int_equal(x->n_groups, y->n_groups);
        for (size_t g = 0; g < x->n_groups; g++)
            assert_int_equal(x->group_end[g], y->group_end[g]);
        size_t n = x->n_groups ? x->group_end[x->n_groups - 1] : 0;
        for (size_t k = 0; k < n; k++)
            assert_int_equal(x->through[k], y->through[k]);
    }
}

/* The name, unit and reference demand the file carries. */
static void same_about(const cor_network *a, const cor_network *b)
{
    same_string(cor_network_name(a), cor_network_name(b));
    same_string(cor_network_unit(a), cor_network_unit(b));
    size_t na, nb;
    const cor_demand *x = cor_network_demand(a, &na), *y = cor_network_demand(b, &nb);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++)
        assert_true(x[i].from == y[i].from && x[i].to == y[i].to && x[i].quantity == y[i].quantity);
}

/* Every field of every element, the coordinates, the corridors, the name, unit and demand,
 * and every id lookup. */
static void same_network(const cor_network *a, const cor_network *b)
{
    same_about(a, b);
    size_t nn = cor_network_node_count(a), nl = cor_network_link_count(a);
    assert_int_equal(nn, cor_network_node_count(b));
    assert_int_equal(nl, cor_network_link_count(b));
    size_t n_coords = 0;
    /* ids read in place first, before anything fills b's records */
    for (uint32_t i = 0; i < nn; i++)
        assert_string_equal(cor_network_node_id(b, i), cor_network_node(a, i)->id);
    for (uint32_t i = 0; i < nl; i++)
        assert_string_equal(cor_network_link_id(b, i), cor_network_link(a, i)->id);
    assert_null(cor_network_node_id(b, (uint32_t)nn));
    assert_null(cor_network_link_id(b, (uint32_t)nl));
    for (uint32_t i = 0; i < nn; i++) {
        same_node(cor_network_node(a, i), cor_network_node(b, i));
        assert_string_equal(cor_network_node_id(b, i), cor_network_node(b, i)->id); /* filled */
        assert_int_equal(cor_network_find_node(b, cor_network_node(a, i)->id), i);
    }
    for (uint32_t i = 0; i < nl; i++) {
        const cor_link *l = cor_network_link(a, i);
        same_link(l, cor_network_link(b, i));
        assert_int_equal(cor_network_find_link(b, l->id), i);
        if (l->geom_first + l->geom_count > n_coords) n_coords = l->geom_first + l->geom_count;
    }
    if (n_coords)
        assert_memory_equal(cor_network_coords(a), cor_network_coords(b),
                            2 * n_coords * sizeof(double));
    assert_int_equal(cor_network_find_node(b, "no such node"), COR_NONE);
    assert_int_equal(cor_network_find_link(b, "no such link"), COR_NONE);
    same_corridors(a, b);
}

static cor_graph *compile(const cor_network *net, const cor_profile *p)
{
    cor_graph *g = NULL;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_graph_compile(&g, net, p, &err), COR_OK);
    assert_int_equal(cor_graph_check(g, &err), COR_OK);
    cor_error_clear(&err);
    return g;
}

/* The stored graph's arrays equal, byte for byte, those of a fresh compile on the source. */
static void same_graph(const cor_graph *stored, const cor_graph *fresh)
{
    cor_array a[16], b[16];
    size_t na = cor_graph_arrays(stored, a, 16), nb = cor_graph_arrays(fresh, b, 16);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        assert_string_equal(a[i].name, b[i].name);
        assert_int_equal(a[i].count, b[i].count);
        assert_int_equal(a[i].elem_size, b[i].elem_size);
        if (strcmp(a[i].name, "meta") != 0 && a[i].count)
            assert_memory_equal(a[i].data, b[i].data, a[i].count * a[i].elem_size);
    }
}

/* Distances between every pair (or 400 pseudo-random ones) agree. */
static void same_distances(const cor_graph *a, const cor_graph *b, size_t n_nodes)
{
    cor_route_query *qa = cor_route_query_new(a), *qb = cor_route_query_new(b);
    assert_non_null(qa);
    assert_non_null(qb);
    uint64_t x = 12345;
    for (size_t k = 0; k < 400; k++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        uint32_t s = (uint32_t)((x >> 33) % n_nodes), t = (uint32_t)((x >> 17) % n_nodes);
        double da = cor_route_distance(qa, s, t), db = cor_route_distance(qb, s, t);
        /* equal, up to the last bits where the index sums a route in another order */
        assert_true(da == db || (isinf(da) && isinf(db)) || fabs(da - db) <= 1e-12 * fabs(da));
    }
    cor_route_query_free(qa);
    cor_route_query_free(qb);
}

/* Source → .cor → network equal to the source; each profile's stored graph equal to a
 * fresh compile; a filtered profile compiled, not taken from the file; then the loaded
 * network saved again and loaded again, still equal. */
static void round_trip(const char *path, cor_format f, const cor_profile *p, size_t np)
{
    cor_network *src = load(path, f);
    char out[512], again[512];
    temp_cor(out, sizeof out);
    save(src, out, p, np);
    cor_network *cor = load(out, COR_FORMAT_AUTO);
    assert_int_equal(cor_network_format(cor), cor_network_format(src)); /* what it means */
    assert_true(cor_network_file_version(cor, NULL, NULL));
    assert_false(cor_network_file_version(src, NULL, NULL));
    same_network(src, cor);
    cor_profile stored[16];
    assert_int_equal(cor_network_stored_profiles(cor, stored, 16), np);
    for (size_t k = 0; k < np; k++) {
        /* the stored graph is the profile's topology (every link of its layers, INFINITY
         * where the profile lets nothing through), byte for byte, and answers as a compile */
        cor_graph *a = compile(cor, &p[k]), *b = compile(src, &p[k]), *t = NULL;
        cor_error err;
        cor_error_init(&err);
        assert_int_equal(cor_graph_compile_topology(&t, src, &p[k], &err), COR_OK);
        assert_true(cor_graph_is_stored(a));
        assert_false(cor_graph_is_stored(b));
        assert_int_equal(stored[k].objective, p[k].objective);
        same_graph(a, t);
        same_distances(a, b, cor_network_node_count(src));
        cor_graph_free(a);
        cor_graph_free(b);
        cor_graph_free(t);
        cor_error_clear(&err);
    }
    /* another profile: the stored topology customised for it, with the compile's answers */
    cor_profile filtered = p[0];
    const char *avoid[] = {cor_network_node(src, 0)->id};
    filtered.avoid_nodes = avoid;
    filtered.n_avoid_nodes = 1;
    cor_graph *a = compile(cor, &filtered), *b = compile(src, &filtered);
    assert_true(cor_graph_is_stored(a));
    same_distances(a, b, cor_network_node_count(src));
    cor_graph_free(a);
    cor_graph_free(b);
    temp_cor(again, sizeof again);
    save(cor, again, p, np);
    cor_network *cor2 = load(again, COR_FORMAT_COR);
    same_network(src, cor2);
    cor_network_free(cor2);
    cor_network_free(cor);
    cor_network_free(src);
    unlink(out);
    unlink(again);
}

/* ---------------------------------------------------------------- round trips */

static void model_round_trip(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/data/corridor.geojson", COR_SOURCE_DIR);
    cor_profile p[4];
    cor_objective o[] = {COR_OPT_COST, COR_OPT_TIME, COR_OPT_CO2, COR_OPT_GENERALISED};
    for (int k = 0; k < 4; k++) {
        cor_profile_init(&p[k]);
        p[k].objective = o[k];
        p[k].value_of_time = 2.5;
        p[k].carbon_price = 80;
    }
    round_trip(path, COR_FORMAT_AUTO, p, 4);
}

static void example_round_trip(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/data/example.geojson", COR_SOURCE_DIR);
    cor_profile p[2];
    cor_profile_init(&p[0]);
    cor_profile_init(&p[1]);
    p[1].objective = COR_OPT_TIME;
    p[1].include_planned = true;
    round_trip(path, COR_FORMAT_AUTO, p, 2);
}

static void pgrouting_dimacs_csv_round_trips(void **state)
{
    (void)state;
    char path[512];
    cor_profile p;
    cor_profile_init(&p);
    round_trip(cor_test_data("pgrouting/edges.csv", path, sizeof path), COR_FORMAT_AUTO, &p, 1);
    round_trip(cor_test_data("dimacs/small.gr", path, sizeof path), COR_FORMAT_AUTO, &p, 1);
    round_trip(cor_test_data("dimacs/nocoords.gr", path, sizeof path), COR_FORMAT_AUTO, &p, 1);
    round_trip(cor_test_data("csv", path, sizeof path), COR_FORMAT_CSV, &p, 1);
    round_trip(cor_test_data("geojson/small.geojson", path, sizeof path), COR_FORMAT_AUTO, &p, 1);
}

/* No graph stored: every profile compiles, the network is still the source's. */
static void no_profile_stored(void **state)
{
    (void)state;
    char path[512], out[512];
    snprintf(path, sizeof path, "%s/data/example.geojson", COR_SOURCE_DIR);
    cor_network *src = load(path, COR_FORMAT_AUTO);
    temp_cor(out, sizeof out);
    save(src, out, NULL, 0);
    cor_network *cor = load(out, COR_FORMAT_COR);
    same_network(src, cor);
    cor_profile p;
    cor_profile_init(&p);
    cor_graph *g = compile(cor, &p);
    assert_false(cor_graph_is_stored(g));
    cor_graph_free(g);
    cor_network_free(cor);
    cor_network_free(src);
    unlink(out);
}

/* A profile with filters cannot be stored. */
static void filtered_profile_refused(void **state)
{
    (void)state;
    char path[512], out[512];
    snprintf(path, sizeof path, "%s/data/example.geojson", COR_SOURCE_DIR);
    cor_network *src = load(path, COR_FORMAT_AUTO);
    temp_cor(out, sizeof out);
    unlink(out);
    cor_profile p;
    cor_profile_init(&p);
    const char *avoid[] = {"XX"};
    p.avoid_countries = avoid;
    p.n_avoid_countries = 1;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_network_save(src, out, &p, 1, &err), COR_ERR_USAGE);
    assert_int_equal(access(out, F_OK), -1); /* nothing written */
    cor_error_clear(&err);
    cor_network_free(src);
}

/* ---------------------------------------------------------------- damaged files */

static unsigned char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(*n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, *n, f), *n);
    fclose(f);
    return b;
}

static void write_all(const char *path, const unsigned char *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

/* Loading `bytes` fails with COR_ERR_INPUT and a first message naming the file and
 * containing `want` (NULL: any message). */
static void refused(const char *path, const unsigned char *bytes, size_t n, const char *want)
{
    write_all(path, bytes, n);
    cor_network *net = NULL;
    cor_error err;
    cor_error_init(&err);
    cor_status st = cor_network_load(&net, path, COR_FORMAT_AUTO, &err);
    if (st != COR_ERR_INPUT) fprintf(stderr, "not refused: %zu bytes\n", n);
    assert_int_equal(st, COR_ERR_INPUT);
    assert_null(net);
    assert_true(err.count >= 1);
    assert_string_equal(err.problems[0].file, path);
    if (want && !strstr(err.problems[0].message, want))
        fail_msg("'%s' lacks '%s'", err.problems[0].message, want);
    cor_error_clear(&err);
}

typedef struct fixture {
    char good[512], bad[512];
    unsigned char *bytes;
    size_t n;
} fixture;

static int make_fixture(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    char path[512];
    snprintf(path, sizeof path, "%s/data/corridor.geojson", COR_SOURCE_DIR);
    cor_network *net = load(path, COR_FORMAT_AUTO);
    cor_profile p[2];
    cor_profile_init(&p[0]);
    cor_profile_init(&p[1]);
    p[1].objective = COR_OPT_TIME;
    temp_cor(fx->good, sizeof fx->good);
    temp_cor(fx->bad, sizeof fx->bad);
    save(net, fx->good, p, 2);
    cor_network_free(net);
    fx->bytes = read_all(fx->good, &fx->n);
    *state = fx;
    return 0;
}

static int free_fixture(void **state)
{
    fixture *fx = *state;
    unlink(fx->good);
    unlink(fx->bad);
    free(fx->bytes);
    free(fx);
    return 0;
}

static void truncated(void **state)
{
    fixture *fx = *state;
    size_t cuts[] = {0, 1, 7, 8, 16, 63, 64, 65, 143, 144, fx->n / 2, fx->n - 64, fx->n - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++)
        refused(fx->bad, fx->bytes, cuts[i], NULL);
    for (size_t cut = 3; cut < fx->n; cut += fx->n / 97 + 1)
        refused(fx->bad, fx->bytes, cut, NULL);
    refused(fx->bad, fx->bytes, fx->n - 1, "truncated");
}

/* Every bit flipped anywhere is refused: the header, the table, data and padding are all
 * covered by a checksum or a check. */
static void bit_flipped(void **state)
{
    fixture *fx = *state;
    unsigned char *b = malloc(fx->n);
    size_t tried = 0;
    for (size_t at = 0; at < fx->n; at += (at < 4096 ? 7 : fx->n / 301 + 1)) {
        memcpy(b, fx->bytes, fx->n);
        b[at] ^= (unsigned char)(1u << (at % 8));
        refused(fx->bad, b, fx->n, NULL);
        tried++;
    }
    assert_true(tried > 800);
    memcpy(b, fx->bytes, fx->n);
    b[fx->n - 5] ^= 0x10;
    refused(fx->bad, b, fx->n, "checksum");
    free(b);
}

static void wrong_magic_version_endianness(void **state)
{
    fixture *fx = *state;
    unsigned char *b = malloc(fx->n);
    memcpy(b, fx->bytes, fx->n);
    b[1] = 'X';
    refused(fx->bad, b, fx->n, "not a compiled network file");
    memcpy(b, fx->bytes, fx->n);
    uint32_t v = 2;
    memcpy(b + 8, &v, 4);
    refused(fx->bad, b, fx->n, "format version 2");
    memcpy(b, fx->bytes, fx->n);
    uint32_t swapped = 0x04030201u;
    memcpy(b + 12, &swapped, 4);
    refused(fx->bad, b, fx->n, "other byte order");
    refused(fx->bad, (const unsigned char *)"{\"type\": \"FeatureCollection\"}", 30,
            "not a compiled network file");
    free(b);
}

/* A file written with these sections (checksums right) is refused; the first problem's
 * message (or field) contains `want`. */
static void crafted_refused(const char *path, const cor_array *s, size_t n, const char *want)
{
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_file_write(path, s, n, &err), COR_OK);
    cor_network *net = NULL;
    cor_status st = cor_network_load(&net, path, COR_FORMAT_COR, &err);
    if (st != COR_ERR_INPUT) fprintf(stderr, "accepted: %s\n", want);
    assert_int_equal(st, COR_ERR_INPUT);
    assert_true(strstr(err.problems[0].message, want) || strstr(err.problems[0].field, want));
    cor_error_clear(&err);
}

/* A well-formed file announcing counts past 32-bit indices. */
static void counts_past_32_bits(void **state)
{
    fixture *fx = *state;
    uint64_t meta[6] = {(uint64_t)5 << 30, 10, 0, 0, 0, 0};
    cor_array s[] = {{"net.meta", meta, 1, sizeof meta}, {"str", "", 0, 1}};
    crafted_refused(fx->bad, s, 2, "32-bit");
}

/* A count that does not fit the file is refused before anything is allocated for it. */
static void counts_checked_before_allocating(void **state)
{
    fixture *fx = *state;
    uint64_t meta[6] = {1000000000, 10, 0, 0, 0, 0};
    uint32_t ids[3] = {0, 0, 0};
    cor_array s[] = {
        {"net.meta", meta, 1, sizeof meta}, {"node.id", ids, 3, 4}, {"str", "a", 2, 1}};
    crafted_refused(fx->bad, s, 3, "node.id");
}

/* The good file rewritten into fx->bad (checksums right) with section `name` changed by
 * change(copy of its bytes, size, arg): what only the semantic checks can catch. */
static void rewrite(const fixture *fx, const char *name,
                    void (*change)(void *, size_t, const void *), const void *arg)
{
    cor_file *f = NULL;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_file_open(&f, fx->good, &err), COR_OK);
    size_t n = cor_file_section_count(f);
    cor_array *s = calloc(n, sizeof *s);
    void *copy = NULL;
    for (size_t i = 0; i < n; i++) {
        s[i] = *cor_file_section_at(f, i);
        if (strcmp(s[i].name, name) != 0) continue;
        size_t bytes = s[i].count * s[i].elem_size;
        copy = malloc(bytes);
        memcpy(copy, s[i].data, bytes);
        change(copy, bytes, arg);
        s[i].data = copy;
    }
    assert_non_null(copy);
    assert_int_equal(cor_file_write(fx->bad, s, n, &err), COR_OK);
    free(copy);
    free(s);
    cor_file_close(f);
}

typedef struct word_at {
    size_t at;
    uint32_t value;
} word_at;

static void set_word(void *p, size_t bytes, const void *arg)
{
    const word_at *w = arg;
    assert_true(w->at + 4 <= bytes);
    memcpy((char *)p + w->at, &w->value, 4);
}

static void mutated_refused(const fixture *fx, const char *section, size_t at, uint32_t value,
                            const char *want)
{
    word_at w = {at, value};
    rewrite(fx, section, set_word, &w);
    cor_network *net = NULL;
    cor_error err;
    cor_error_init(&err);
    cor_status st = cor_network_load(&net, fx->bad, COR_FORMAT_COR, &err);
    if (st != COR_ERR_INPUT) fprintf(stderr, "accepted: %s\n", want);
    assert_int_equal(st, COR_ERR_INPUT);
    assert_true(strstr(err.problems[0].message, want) || strstr(err.problems[0].field, want));
    cor_error_clear(&err);
}

/* Every slot full and naming an entry past the nodes: loads, and no lookup follows one or
 * probes forever. */
static void fill_slots(void *p, size_t bytes, const void *arg)
{
    (void)arg;
    for (size_t i = 0; i < bytes / 8; i++)
        ((uint64_t *)p)[i] = 999 + i;
}

static void index_past_entries_never_followed(void **state)
{
    fixture *fx = *state;
    rewrite(fx, "node.index", fill_slots, NULL);
    cor_network *net = load(fx->bad, COR_FORMAT_COR);
    assert_int_equal(cor_network_find_node(net, "CN-XIAN"), COR_NONE);
    assert_int_equal(cor_network_find_node(net, "nothing"), COR_NONE);
    assert_int_not_equal(cor_network_find_link(net, cor_network_link(net, 0)->id), COR_NONE);
    cor_network_free(net);
}

static void semantic_checks(void **state)
{
    fixture *fx = *state;
    mutated_refused(fx, "link.from", 4, 100, "link.from"); /* 100 nodes: 0..99 */
    mutated_refused(fx, "link.to", 0, UINT32_MAX, "link.from");
    mutated_refused(fx, "node.id", 8, 1u << 30, "node.id");   /* past the strings */
    mutated_refused(fx, "node.id", 8, UINT32_MAX, "node.id"); /* a node without id */
    mutated_refused(fx, "link.kind", 0, 9, "link.kind");      /* layer 9 */
    mutated_refused(fx, "link.geom_count", 0, 1u << 20, "link.geom_first");
    mutated_refused(fx, "corridors", 16, 500, "corridors"); /* 500 avoided countries */
    mutated_refused(fx, "g0.head", 0, 1u << 20, "head");
    mutated_refused(fx, "g1.first_out", 4, 1u << 20, "first_out");
    mutated_refused(fx, "g0.in_arc", 0, 1u << 20, "in_arc");
    mutated_refused(fx, "g0.arc_link", 0, 1u << 20, "arc_link");
    mutated_refused(fx, "g0.meta", 0, 5, "meta"); /* n_nodes 5 */
    mutated_refused(fx, "g0.state_class", 0, 0x7f7f7f7f, "state_node");
    mutated_refused(fx, "net.meta", 40, 17, "net.meta"); /* 17 stored graphs */
}

/* ---------------------------------------------------------------- graph arrays */

/* A stored graph's arrays with one damaged copy are refused, naming the array. */
static void damaged_graph_arrays(void **state)
{
    fixture *fx = *state;
    cor_network *net = load(fx->good, COR_FORMAT_COR);
    cor_profile p;
    cor_profile_init(&p);
    cor_graph *g = compile(net, &p);
    cor_array a[16];
    size_t n = cor_graph_arrays(g, a, 16);
    const char *names[] = {"head", "first_out", "in_arc", "arc_link", "weight32"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        cor_array b[16];
        memcpy(b, a, n * sizeof *a);
        void *copy = NULL;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(b[i].name, names[k]) != 0) continue;
            copy = malloc(b[i].count * b[i].elem_size);
            memcpy(copy, b[i].data, b[i].count * b[i].elem_size);
            if (strcmp(names[k], "weight32") == 0)
                ((float *)copy)[3] = -1;
            else
                ((uint32_t *)copy)[b[i].count - 1] = UINT32_MAX - 1;
            b[i].data = copy;
        }
        assert_non_null(copy);
        cor_graph *h = NULL;
        cor_error err;
        cor_error_init(&err);
        assert_int_equal(cor_graph_from_arrays(&h, net, b, n, &err), COR_ERR_INPUT);
        assert_null(h);
        assert_non_null(strstr(err.problems[0].field, "graph array"));
        cor_error_clear(&err);
        free(copy);
    }
    cor_array b[16]; /* without "head" */
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(a[i].name, "head") != 0) b[m++] = a[i];
    cor_graph *h = NULL;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_graph_from_arrays(&h, net, b, m, &err), COR_ERR_INPUT);
    assert_non_null(strstr(err.problems[0].message, "missing"));
    assert_int_equal(cor_graph_from_arrays(&h, net, a, n, &err), COR_OK); /* all there */
    cor_graph_free(h);
    cor_error_clear(&err);
    cor_graph_free(g);
    cor_network_free(net);
}

/* ---------------------------------------------------------------- lazy filling */

typedef struct reader_arg {
    const cor_network *net;
    unsigned seed;
    size_t mismatches;
} reader_arg;

static void *read_everything(void *p)
{
    reader_arg *r = p;
    size_t nl = cor_network_link_count(r->net), nn = cor_network_node_count(r->net);
    for (size_t k = 0; k < nl; k++) {
        uint32_t i = (uint32_t)((k * 7919 + r->seed) % nl);
        char want[24];
        snprintf(want, sizeof want, "L%u", i);
        const cor_link *l = cor_network_link(r->net, i);
        if (strcmp(l->id, want) != 0 || l->from != i % nn) r->mismatches++;
    }
    return NULL;
}

/* Four threads read every link of a mapped network at once, in different orders. */
static void filled_by_threads(void **state)
{
    (void)state;
    cor_builder *b = cor_builder_new("lazy");
    cor_builder_set_implicit_nodes(b, true);
    char from[24], to[24], id[24];
    for (uint32_t i = 0; i < 20000; i++) {
        cor_link l;
        cor_link_init(&l);
        snprintf(id, sizeof id, "L%u", i);
        snprintf(from, sizeof from, "N%u", i % 5000);
        snprintf(to, sizeof to, "N%u", (i + 1) % 5000);
        l.id = id, l.from_id = from, l.to_id = to, l.cost = i % 17;
        assert_int_equal(cor_builder_add_link(b, &l, NULL, 0, -1, -1), COR_OK);
    }
    cor_network *src = NULL;
    assert_int_equal(cor_builder_finish(b, &src, NULL), COR_OK);
    char out[512];
    temp_cor(out, sizeof out);
    cor_profile p;
    cor_profile_init(&p);
    save(src, out, &p, 1);
    cor_network *net = load(out, COR_FORMAT_COR);
    pthread_t t[4];
    reader_arg args[4];
    for (unsigned k = 0; k < 4; k++) {
        args[k] = (reader_arg){net, k * 4999, 0};
        assert_int_equal(pthread_create(&t[k], NULL, read_everything, &args[k]), 0);
    }
    for (unsigned k = 0; k < 4; k++) {
        pthread_join(t[k], NULL);
        assert_int_equal(args[k].mismatches, 0);
    }
    same_network(src, net);
    cor_network_free(net);
    cor_network_free(src);
    unlink(out);
}

/* Big networks from the shared data, when present: NY round trip. */
static void dimacs_ny(void **state)
{
    (void)state;
    char path[512];
    if (!cor_test_shared_data("dimacs9/USA-road-d.NY.gr.gz", path, sizeof path)) {
        printf("skipped: ../shared/data/dimacs9 is absent\n");
        skip();
    }
    cor_profile p;
    cor_profile_init(&p);
    round_trip(path, COR_FORMAT_AUTO, &p, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(model_round_trip),
        cmocka_unit_test(example_round_trip),
        cmocka_unit_test(pgrouting_dimacs_csv_round_trips),
        cmocka_unit_test(no_profile_stored),
        cmocka_unit_test(filtered_profile_refused),
        cmocka_unit_test_setup_teardown(truncated, make_fixture, free_fixture),
        cmocka_unit_test_setup_teardown(bit_flipped, make_fixture, free_fixture),
        cmocka_unit_test_setup_teardown(wrong_magic_version_endianness, make_fixture, free_fixture),
        cmocka_unit_test_setup_teardown(counts_past_32_bits, make_fixture, free_fixture),
        cmocka_unit_test_setup_teardown(counts_checked_before_allocating, make_fixture,
                                        free_fixture),
        cmocka_unit_test_setup_teardown(semantic_checks, make_fixture, free_fixture),
        cmocka_unit_test_setup_teardown(index_past_entries_never_followed, make_fixture,
                                        free_fixture),
        cmocka_unit_test_setup_teardown(damaged_graph_arrays, make_fixture, free_fixture),
        cmocka_unit_test(filled_by_threads),
        cmocka_unit_test(dimacs_ny),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
