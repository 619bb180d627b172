/*
 * test_load_pgrouting.c — pgRouting edge tables: pgRouting's own sample network read edge
 * by edge (directions from the signs of cost and reverse_cost, capacities, positions), the
 * defaults pgRouting documents for missing columns, and broken tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "loadtest.h"

#define P COR_FORMAT_PGROUTING

static cor_network *sample(void)
{
    char path[512];
    return lt_load_ok(cor_test_data("pgrouting/edges.csv", path, sizeof path),
                      COR_FORMAT_AUTO);
}

/* ---------------------------------------------------------------- the sample network */

static void sample_counts_and_ids(void **state)
{
    cor_network *net = sample();
    assert_int_equal(cor_network_format(net), COR_FORMAT_PGROUTING);
    assert_int_equal(cor_network_node_count(net), 17);
    assert_int_equal(cor_network_link_count(net), 18);
    char id[8];
    for (int i = 1; i <= 18; i++) {
        snprintf(id, sizeof id, "%d", i);
        const cor_link *l = lt_link(net, id);
        assert_int_equal(l->mode, COR_MODE_ROAD);
        assert_int_equal(l->layer, COR_LAYER_TRANSPORT);
        assert_int_equal(l->geom_count, 2);
    }
    for (int i = 1; i <= 17; i++) {
        snprintf(id, sizeof id, "%d", i);
        lt_node(net, id);
    }
    assert_string_equal(lt_link(net, "17")->from_id, "2");
    assert_string_equal(lt_link(net, "17")->to_id, "4");
    cor_network_free(net);
}

/* The signs of cost and reverse_cost, as in pgRouting: negative = no arc that way. */
static void sample_directions(void **state)
{
    cor_network *net = sample();
    const cor_link *l = lt_link(net, "1"); /* 1, 1 */
    assert_true(l->forward && l->backward);
    assert_float_equal(l->cost, 1, 0);
    assert_float_equal(l->reverse_cost, 1, 0);
    l = lt_link(net, "2"); /* -1, 1 */
    assert_false(l->forward);
    assert_true(l->backward);
    assert_true(isnan(l->cost));
    assert_float_equal(l->reverse_cost, 1, 0);
    l = lt_link(net, "5"); /* 1, -1 */
    assert_true(l->forward);
    assert_false(l->backward);
    assert_float_equal(l->cost, 1, 0);
    assert_true(isnan(l->reverse_cost));
    cor_network_free(net);
}

/* Negative capacity = none that way, stored as 0. */
static void sample_capacities(void **state)
{
    cor_network *net = sample();
    assert_float_equal(lt_link(net, "1")->capacity, 80, 0);
    assert_float_equal(lt_link(net, "1")->reverse_capacity, 130, 0);
    assert_float_equal(lt_link(net, "2")->capacity, 0, 0);
    assert_float_equal(lt_link(net, "2")->reverse_capacity, 100, 0);
    assert_float_equal(lt_link(net, "13")->reverse_capacity, 0, 0);
    cor_network_free(net);
}

/* Nodes sit at the end points x1,y1 / x2,y2 (the vertices table of the docs). */
static void sample_positions(void **state)
{
    cor_network *net = sample();
    static const struct {
        const char *id;
        double x, y;
    } v[] = {{"1", 0, 2}, {"2", 0.5, 3.5}, {"4", 1.999999999999, 3.5}, {"5", 2, 0},
             {"13", 3.5, 2.3}, {"14", 3.5, 4}, {"17", 4, 3}};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        const cor_node *n = lt_node(net, v[i].id);
        assert_float_equal(n->lon, v[i].x, 0);
        assert_float_equal(n->lat, v[i].y, 0);
    }
    const cor_link *l = lt_link(net, "18");
    const double *xy = cor_network_coords(net) + 2 * l->geom_first;
    assert_float_equal(xy[0], 3.5, 0);
    assert_float_equal(xy[1], 2.3, 0);
    assert_float_equal(xy[2], 3.5, 0);
    assert_float_equal(xy[3], 4, 0);
    cor_network_free(net);
}

/* pgRouting's documented result (pgr_dijkstra, directed, 6 → 10: agg_cost 5) holds. */
static void sample_shortest_path_matches_the_docs(void **state)
{
    cor_network *net = sample();
    cor_profile prof;
    cor_profile_init(&prof);
    cor_graph *g = NULL;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_graph_compile(&g, net, &prof, &err), COR_OK);
    cor_route_query *q = cor_route_query_new(g);
    assert_non_null(q);
    assert_float_equal(cor_route_distance(q, cor_network_find_node(net, "6"),
                                          cor_network_find_node(net, "10")),
                       5, 1e-9);
    cor_route_query_free(q);
    cor_graph_free(g);
    cor_error_clear(&err);
    cor_network_free(net);
}

static void gzipped_table_is_detected(void **state)
{
    char src[512], dir[512], path[1024];
    lt_temp_dir(dir, sizeof dir);
    lt_copy(cor_test_data("pgrouting/edges.csv", src, sizeof src), dir, "edges.csv.gz");
    snprintf(path, sizeof path, "%s/edges.csv.gz", dir);
    cor_network *net = lt_load_ok(path, COR_FORMAT_AUTO);
    assert_int_equal(cor_network_format(net), COR_FORMAT_PGROUTING);
    assert_int_equal(cor_network_link_count(net), 18);
    cor_network_free(net);
    lt_remove_dir(dir);
}

/* ---------------------------------------------------------------- pgRouting's defaults */

static void missing_reverse_cost_means_one_way(void **state)
{
    cor_network *net = lt_text_ok(".csv", "id,source,target,cost\n1,1,2,3\n2,2,3,-1\n",
                                  COR_FORMAT_AUTO);
    assert_true(lt_link(net, "1")->forward);
    assert_false(lt_link(net, "1")->backward);
    /* both directions negative: kept, with no arc at all, as pgRouting keeps it */
    assert_false(lt_link(net, "2")->forward);
    assert_false(lt_link(net, "2")->backward);
    assert_int_equal(cor_network_node_count(net), 3);
    assert_true(isnan(lt_node(net, "3")->lon)); /* no x/y columns: no position */
    assert_true(isnan(lt_link(net, "1")->capacity));
    cor_network_free(net);
}

static void missing_reverse_capacity_means_none(void **state)
{
    cor_network *net = lt_text_ok(".csv", "id,source,target,cost,reverse_cost,capacity\n"
                                          "1,1,2,3,3,40\n2,2,3,3,3,\n",
                                  COR_FORMAT_AUTO);
    assert_float_equal(lt_link(net, "1")->capacity, 40, 0);
    assert_float_equal(lt_link(net, "1")->reverse_capacity, 0, 0);
    assert_true(isnan(lt_link(net, "2")->capacity)); /* empty cell: unknown */
    cor_network_free(net);
}

static void ids_are_canonical_integers(void **state)
{
    cor_network *net = lt_text_ok(".txt",
                                  "geom,id,source,target,cost,reverse_cost,name\n"
                                  "0102,007,+12,-3,2.5,1e1,\"Main St\"\n",
                                  P);
    const cor_link *l = lt_link(net, "7");
    assert_string_equal(l->from_id, "12");
    assert_string_equal(l->to_id, "-3");
    assert_float_equal(l->cost, 2.5, 0);
    assert_float_equal(l->reverse_cost, 10, 0);
    cor_network_free(net);
}

static void empty_position_cells_give_no_geometry(void **state)
{
    cor_network *net = lt_text_ok(".csv",
                                  "id,source,target,cost,x1,y1,x2,y2\n1,1,2,1,,,,\n"
                                  "2,2,3,1,10,20,11,21\n",
                                  COR_FORMAT_AUTO);
    assert_int_equal(lt_link(net, "1")->geom_count, 0);
    assert_int_equal(lt_link(net, "2")->geom_count, 2);
    assert_float_equal(lt_node(net, "3")->lon, 11, 0);
    assert_float_equal(lt_node(net, "3")->lat, 21, 0);
    cor_network_free(net);
}

/* ---------------------------------------------------------------- broken tables */

#define HEAD "id,source,target,cost,reverse_cost\n"

static void bad_numbers(void **state)
{
    lt_text_fails(".csv", HEAD "1,1,2,1,1\n2,2,3,NaN,1\n", P, 3, -1, "cost", "NaN");
    lt_text_fails(".csv", HEAD "1,1,2,nan,1\n", P, 2, -1, "cost", "nan");
    lt_text_fails(".csv", HEAD "1,1,2,1,1e999\n", P, 2, -1, "reverse_cost", "1e999");
    lt_text_fails(".csv", HEAD "1,1,2,-inf,1\n", P, 2, -1, "cost", "-inf");
    lt_text_fails(".csv", HEAD "1,1,2,1 km,1\n", P, 2, -1, "cost", "1 km");
    lt_text_fails(".csv", HEAD "1,1,2,,1\n", P, 2, -1, "cost", "empty");
    lt_text_fails(".csv", HEAD "1,1,2,1,\n", P, 2, -1, "reverse_cost", "empty");
    lt_text_fails(".csv", "id,source,target,cost,capacity\n1,1,2,1,lots\n", P, 2, -1,
                  "capacity", "lots");
    lt_text_fails(".csv", "id,source,target,cost,x1,y1,x2,y2\n1,1,2,1,0,0,1,north\n", P, 2, -1,
                  "y2", "north");
}

static void bad_ids(void **state)
{
    lt_text_fails(".csv", HEAD "1,a7,2,1,1\n", P, 2, -1, "source", "a7");
    lt_text_fails(".csv", HEAD "1,1,2.0,1,1\n", P, 2, -1, "target", "2.0");
    lt_text_fails(".csv", HEAD "x,1,2,1,1\n", P, 2, -1, "id", "'x'");
    lt_text_fails(".csv", HEAD "1,99999999999999999999,2,1,1\n", P, 2, -1, "source",
                  "integer");
    lt_text_fails(".csv", HEAD ",1,2,1,1\n", P, 2, -1, "id", "empty");
}

static void bad_header_and_rows(void **state)
{
    lt_text_fails(".csv", "id,source,target,reverse_cost\n1,1,2,1\n", COR_FORMAT_AUTO, 1, -1,
                  "cost", "missing");
    lt_text_fails(".txt", "id,target,cost\n1,2,1\n", P, 1, -1, "source", "missing");
    lt_text_fails(".csv", "id,source,target,cost,cost\n1,1,2,1,1\n", P, 1, -1, "cost",
                  "twice");
    lt_text_fails(".csv", "id,source,target,cost,x1,y1\n1,1,2,1,0,0\n", P, 1, -1, "x2",
                  "go together");
    lt_text_fails(".csv", HEAD "1,1,2,1\n", P, 2, -1, NULL, "4 columns, the header has 5");
    lt_text_fails(".csv", HEAD "1,1,2,1,1\n2,2,", P, 3, -1, NULL, "3 columns");
    lt_text_fails(".csv", HEAD "1,1,2,\"1,1\n", P, 2, -1, NULL, "quoted cell");
    lt_text_fails(".txt", "", P, 1, -1, NULL, "empty");
}

static void duplicate_edge_ids(void **state)
{
    lt_text_fails(".csv", HEAD "1,1,2,1,1\n2,2,3,1,1\n1,3,4,1,1\n", P, 4, -1, "id",
                  "duplicate");
    lt_text_fails(".csv", HEAD "1,1,2,1,1\n01,3,4,1,1\n", P, 3, -1, "id", "duplicate");
}

static void every_problem_is_reported(void **state)
{
    char path[512];
    cor_test_write_temp(".csv", HEAD "1,1,2,x,1\n2,2,3,1,1\n3,b,4,1,1\n4,4,5\n", (size_t)-1,
                        path, sizeof path);
    cor_error err;
    cor_error_init(&err);
    cor_network *net = NULL;
    assert_int_equal(cor_network_load(&net, path, COR_FORMAT_AUTO, &err), COR_ERR_INPUT);
    assert_null(net);
    assert_int_equal(err.count, 3);
    assert_non_null(lt_find(&err, 2, -1, "cost"));
    assert_non_null(lt_find(&err, 4, -1, "source"));
    assert_non_null(lt_find(&err, 5, -1, NULL));
    cor_error_clear(&err);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sample_counts_and_ids),
        cmocka_unit_test(sample_directions),
        cmocka_unit_test(sample_capacities),
        cmocka_unit_test(sample_positions),
        cmocka_unit_test(sample_shortest_path_matches_the_docs),
        cmocka_unit_test(gzipped_table_is_detected),
        cmocka_unit_test(missing_reverse_cost_means_one_way),
        cmocka_unit_test(missing_reverse_capacity_means_none),
        cmocka_unit_test(ids_are_canonical_integers),
        cmocka_unit_test(empty_position_cells_give_no_geometry),
        cmocka_unit_test(bad_numbers),
        cmocka_unit_test(bad_ids),
        cmocka_unit_test(bad_header_and_rows),
        cmocka_unit_test(duplicate_edge_ids),
        cmocka_unit_test(every_problem_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
