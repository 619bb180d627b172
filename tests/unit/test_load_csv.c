/*
 * test_load_csv.c — the nodes.csv + links.csv loader: the pair found from a folder or
 * either file, quoting, empty cells, gzip, line numbers that survive multi-line cells, and
 * broken files failing with the file, line and column named.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "loadtest.h"

#define NODES "id,name,lon,lat\nA,Alpha,49.0,40.0\nB,Beta,49.5,40.2\nC,Gamma,50.0,40.4\n"
#define LINKS "id,from,to,mode,cost\nAB,A,B,road,10\nBC,B,C,rail,20\n"

/* Writes the pair into a new folder (links NULL: no links.csv); path of the folder. */
static const char *pair(char *dir, size_t size, const char *nodes, const char *links)
{
    lt_temp_dir(dir, size);
    if (nodes) lt_write(dir, "nodes.csv", nodes);
    if (links) lt_write(dir, "links.csv", links);
    return dir;
}

/* The pair must fail with a problem in `file` (nodes.csv / links.csv, or NULL for the
 * folder: the builder's semantic checks) at line, field, saying words. */
static void pair_fails(const char *nodes, const char *links, const char *file, long line,
                       const char *field, const char *words)
{
    char dir[512], want[1024];
    pair(dir, sizeof dir, nodes, links);
    cor_error err;
    cor_error_init(&err);
    cor_network *net = NULL;
    cor_status st = cor_network_load(&net, dir, COR_FORMAT_AUTO, &err);
    snprintf(want, sizeof want, "%s%s%s", dir, file ? "/" : "", file ? file : "");
    const cor_problem *p = lt_find(&err, line, -1, field);
    if (!p || strcmp(p->file, want) != 0 || !strstr(p->message, words)) {
        print_message("expected %s:%ld field %s '%s'\n", want, line, field ? field : "-", words);
        lt_print_problems(&err);
    }
    assert_int_not_equal(st, COR_OK);
    assert_null(net);
    assert_non_null(p);
    assert_string_equal(p->file, want);
    assert_non_null(strstr(p->message, words));
    cor_error_clear(&err);
    lt_remove_dir(dir);
}

/* ---------------------------------------------------------------- good files */

static void small_network(void **state)
{
    char path[512];
    cor_network *net = lt_load_ok(cor_test_data("csv", path, sizeof path), COR_FORMAT_AUTO);
    assert_int_equal(cor_network_node_count(net), 5);
    assert_int_equal(cor_network_link_count(net), 6);
    assert_int_equal(cor_network_format(net), COR_FORMAT_CSV);

    const cor_node *n = lt_node(net, "KZ-AKTAU");
    assert_string_equal(n->name, "Aktau");
    assert_string_equal(n->country, "KZ");
    assert_string_equal(n->kind, "seaport");
    assert_float_equal(n->lon, 51.1977, 1e-12);
    assert_float_equal(n->lat, 43.6481, 1e-12);
    assert_float_equal(n->capacity, 250000, 0);
    assert_float_equal(n->transfer_co2_kg, 5, 0);
    assert_true(isnan(n->transship_hours)); /* empty cell = unknown */
    assert_string_equal(lt_node(net, "AZ-ALAT")->name, "Alat (Port of Baku, new)");
    assert_null(lt_node(net, "AZ-BAKU")->source);

    const cor_link *l = lt_link(net, "ferry-aktau-alat");
    assert_int_equal(l->mode, COR_MODE_FERRY);
    assert_float_equal(l->cost, 900, 0);
    assert_float_equal(l->reverse_cost, 850, 0);
    assert_float_equal(l->frequency_per_week, 3.5, 0);
    assert_true(isnan(l->speed_kmh));
    assert_int_equal(l->geom_count, 0);
    assert_true(lt_link(net, "rail-alat-tbilisi")->backward);  /* directed false */
    assert_true(lt_link(net, "rail-tbilisi-poti")->backward);  /* directed 0 */
    assert_false(lt_link(net, "gas-baku-tbilisi")->backward);  /* directed true */
    assert_false(lt_link(net, "road-tbilisi-poti")->backward); /* directed 1 */
    assert_int_equal(lt_link(net, "rail-alat-tbilisi")->gauge_mm, 1520);
    assert_int_equal(lt_link(net, "gas-baku-tbilisi")->layer, COR_LAYER_GAS);
    assert_int_equal(lt_link(net, "road-tbilisi-poti")->status, COR_STATUS_MINED);
    assert_int_equal(lt_link(net, "rail-tbilisi-poti")->status, COR_STATUS_PLANNED);
    cor_network_free(net);
}

static void pair_found_from_either_file(void **state)
{
    char path[512];
    cor_network *net =
        lt_load_ok(cor_test_data("csv/nodes.csv", path, sizeof path), COR_FORMAT_AUTO);
    assert_int_equal(cor_network_link_count(net), 6);
    cor_network_free(net);
    net = lt_load_ok(cor_test_data("csv/links.csv", path, sizeof path), COR_FORMAT_CSV);
    assert_int_equal(cor_network_node_count(net), 5);
    cor_network_free(net);

    char dir[512], file[1024];
    lt_temp_dir(dir, sizeof dir);
    lt_write(dir, "az_nodes.csv", NODES);
    lt_write(dir, "az_links.csv.gz", LINKS);
    snprintf(file, sizeof file, "%s/az_nodes.csv", dir);
    net = lt_load_ok(file, COR_FORMAT_AUTO);
    assert_int_equal(cor_network_link_count(net), 2);
    cor_network_free(net);
    snprintf(file, sizeof file, "%s/az_links.csv.gz", dir);
    net = lt_load_ok(file, COR_FORMAT_AUTO);
    assert_int_equal(cor_network_node_count(net), 3);
    cor_network_free(net);
    lt_remove_dir(dir);
}

static void gzipped_pair(void **state)
{
    char dir[512];
    lt_temp_dir(dir, sizeof dir);
    lt_write(dir, "nodes.csv.gz", NODES);
    lt_write(dir, "links.csv.gz", LINKS);
    cor_network *net = lt_load_ok(dir, COR_FORMAT_AUTO);
    assert_int_equal(cor_network_node_count(net), 3);
    assert_float_equal(lt_link(net, "BC")->cost, 20, 0);
    cor_network_free(net);
    lt_remove_dir(dir);
}

static void windows_files(void **state)
{
    char dir[512];
    pair(dir, sizeof dir,
         "\xEF\xBB\xBFid,name,lon,lat\r\nA,Alpha,49.0,40.0\r\nB,Beta,49.5,40.2\r\n",
         "id,from,to,mode\r\nAB,A,B,road\r\n");
    cor_network *net = lt_load_ok(dir, COR_FORMAT_CSV);
    assert_string_equal(lt_node(net, "A")->name, "Alpha"); /* BOM not part of "id" */
    assert_string_equal(lt_node(net, "B")->name, "Beta");  /* no '\r' left in cells */
    cor_network_free(net);
    lt_remove_dir(dir);
}

static void spaces_quotes_and_blank_lines(void **state)
{
    char dir[512];
    pair(dir, sizeof dir,
         "id , name,lon,lat\n\nA, \"Al, pha\" ,49.0,40.0\n\"B\",\"say \"\"hi\"\"\",49.5,40.2\n",
         "id,from,to,mode,unknown_column\nAB,A,B,road,whatever\n");
    cor_network *net = lt_load_ok(dir, COR_FORMAT_CSV);
    assert_string_equal(lt_node(net, "A")->name, "Al, pha");
    assert_string_equal(lt_node(net, "B")->name, "say \"hi\"");
    cor_network_free(net);
    lt_remove_dir(dir);
}

/* Users keep their own columns, as many as they like. */
static void wide_files(void **state)
{
    static char nodes[16384];
    size_t n = (size_t)snprintf(nodes, sizeof nodes, "id");
    for (int i = 0; i < 500; i++) n += (size_t)snprintf(nodes + n, sizeof nodes - n, ",c%d", i);
    n += (size_t)snprintf(nodes + n, sizeof nodes - n, ",lon,lat\nA");
    for (int i = 0; i < 500; i++) n += (size_t)snprintf(nodes + n, sizeof nodes - n, ",%d", i);
    snprintf(nodes + n, sizeof nodes - n, ",49,40\n");
    char dir[512];
    pair(dir, sizeof dir, nodes, "id,from,to,mode\n");
    cor_network *net = lt_load_ok(dir, COR_FORMAT_CSV);
    assert_float_equal(lt_node(net, "A")->lat, 40, 0);
    cor_network_free(net);
    lt_remove_dir(dir);
}

static void headers_only_is_an_empty_network(void **state)
{
    char dir[512];
    pair(dir, sizeof dir, "id,lon,lat\n", "id,from,to,mode\n");
    cor_network *net = lt_load_ok(dir, COR_FORMAT_CSV);
    assert_int_equal(cor_network_node_count(net), 0);
    assert_int_equal(cor_network_link_count(net), 0);
    cor_network_free(net);
    lt_remove_dir(dir);
}

/* ---------------------------------------------------------------- broken cells */

static void bad_numbers(void **state)
{
    pair_fails(NODES, "id,from,to,mode,cost\nAB,A,B,road,10\nBC,B,C,rail,12km\n", "links.csv",
               3, "cost", "12km");
    pair_fails(NODES, "id,from,to,mode,cost\nAB,A,B,road,nan\n", "links.csv", 2, "cost", "nan");
    pair_fails(NODES, "id,from,to,mode,cost\nAB,A,B,road,1e999\n", "links.csv", 2, "cost",
               "1e999");
    pair_fails(NODES, "id,from,to,mode,cost\nAB,A,B,road,inf\n", "links.csv", 2, "cost", "inf");
    pair_fails(NODES, "id,from,to,mode,cost\nAB,A,B,road,0x10\n", "links.csv", 2, "cost",
               "0x10");
    pair_fails(NODES, "id,from,to,mode,gauge_mm\nAB,A,B,rail,1520.5\n", "links.csv", 2,
               "gauge_mm", "integer");
    pair_fails(NODES, "id,from,to,mode,gauge_mm\nAB,A,B,rail,99999999999\n", "links.csv", 2,
               "gauge_mm", "integer");
    pair_fails("id,lon,lat\nA,49,forty\n", LINKS, "nodes.csv", 2, "lat", "forty");
}

static void bad_names_and_booleans(void **state)
{
    pair_fails(NODES, "id,from,to,mode\nAB,A,B,boat\n", "links.csv", 2, "mode", "boat");
    pair_fails(NODES, "id,from,to,mode,layer\nAB,A,B,road,power\n", "links.csv", 2, "layer",
               "power");
    pair_fails(NODES, "id,from,to,mode,status\nAB,A,B,road,shut\n", "links.csv", 2, "status",
               "shut");
    pair_fails(NODES, "id,from,to,mode,directed\nAB,A,B,road,yes\n", "links.csv", 2,
               "directed", "yes");
}

static void required_columns_and_values(void **state)
{
    pair_fails(NODES, "id,from,to\nAB,A,B\n", "links.csv", 1, "mode", "missing");
    pair_fails("id,name,lon\nA,x,1\n", LINKS, "nodes.csv", 1, "lat", "missing");
    pair_fails(NODES, "id,from,to,mode\nAB,,B,road\n", "links.csv", 2, "from", "empty");
    pair_fails("id,lon,lat\nA,49,\n", LINKS, "nodes.csv", 2, "lat", "empty");
    pair_fails(NODES, "id,from,to,mode,cost,cost\nAB,A,B,road,1,2\n", "links.csv", 1, "cost",
               "twice");
}

static void rows_and_quotes(void **state)
{
    pair_fails(NODES, "id,from,to,mode\nAB,A,B,road,extra\n", "links.csv", 2, NULL,
               "5 columns, the header has 4");
    pair_fails(NODES, "id,from,to,mode\nAB,A,B\n", "links.csv", 2, NULL, "3 columns");
    pair_fails("id,name,lon,lat\nA,Al\"pha,49,40\n", LINKS, "nodes.csv", 2, NULL,
               "malformed CSV");
    pair_fails("id,name,lon,lat\nA,\"Alpha\"x,49,40\n", LINKS, "nodes.csv", 2, NULL,
               "malformed CSV");
    pair_fails(NODES, "id,from,to,mode\nAB,A,B,\"road\n", "links.csv", 2, NULL, "quoted cell");
    pair_fails(NODES, "", "links.csv", 1, NULL, "empty");
}

static void missing_file(void **state)
{
    pair_fails(NODES, NULL, "links.csv", -1, NULL, "cannot open");
    pair_fails(NULL, LINKS, "nodes.csv", -1, NULL, "cannot open");
}

/* ---------------------------------------------------------------- lines */

/* A quoted cell over several lines must not shift the line of the rows after it. */
static void lines_after_multiline_cells(void **state)
{
    pair_fails("id,name,lon,lat\nA,\"one\ntwo\nthree\",49,40\nB,x,49,bad\n", LINKS,
               "nodes.csv", 5, "lat", "bad");
    pair_fails("id,name,lon,lat\nA,\"one\ntwo\",49,bad\n", LINKS, "nodes.csv", 2, "lat",
               "bad");
    pair_fails("id,name,lon,lat\n\n\nA,x,49,bad\n", LINKS, "nodes.csv", 4, "lat", "bad");
    /* and a row after a malformed one is still read, at its own line */
    pair_fails("id,name,lon,lat\nA,x\"y,49,40\nB,x,49,bad\n", LINKS, "nodes.csv", 3, "lat",
               "bad");
}

static void every_problem_is_reported(void **state)
{
    char dir[512];
    pair(dir, sizeof dir, "id,lon,lat\nA,49,40\nB,x,40\nC,50,y\n",
         "id,from,to,mode,cost\nAB,A,B,road,1\nBC,B,C,boat,2\nCA,C,A,road,-\n");
    cor_error err;
    cor_error_init(&err);
    cor_network *net = NULL;
    assert_int_equal(cor_network_load(&net, dir, COR_FORMAT_AUTO, &err), COR_ERR_INPUT);
    assert_null(net);
    assert_int_equal(err.count, 4);
    assert_non_null(lt_find(&err, 3, -1, "lon"));
    assert_non_null(lt_find(&err, 4, -1, "lat"));
    assert_non_null(lt_find(&err, 3, -1, "mode"));
    assert_non_null(lt_find(&err, 4, -1, "cost"));
    cor_error_clear(&err);
    lt_remove_dir(dir);
}

/* ---------------------------------------------------------------- semantic, via the builder */

static void builder_problems_name_the_line(void **state)
{
    pair_fails(NODES, "id,from,to,mode\nAB,A,B,road\nBZ,B,Z,road\n", NULL, 3, "to", "'Z'");
    pair_fails(NODES "A,Again,51,41\n", LINKS, NULL, 5, "id", "duplicate");
    pair_fails(NODES, LINKS "AB,C,A,road,1\n", NULL, 4, "id", "duplicate");
    pair_fails("id,lon,lat\nA,190,40\n", "id,from,to,mode\n", NULL, 2, "lon", "out of range");
    pair_fails(NODES, "id,from,to,mode,cost\nAB,A,B,road,-1\n", NULL, 2, "cost", "negative");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_network),
        cmocka_unit_test(pair_found_from_either_file),
        cmocka_unit_test(gzipped_pair),
        cmocka_unit_test(windows_files),
        cmocka_unit_test(spaces_quotes_and_blank_lines),
        cmocka_unit_test(wide_files),
        cmocka_unit_test(headers_only_is_an_empty_network),
        cmocka_unit_test(bad_numbers),
        cmocka_unit_test(bad_names_and_booleans),
        cmocka_unit_test(required_columns_and_values),
        cmocka_unit_test(rows_and_quotes),
        cmocka_unit_test(missing_file),
        cmocka_unit_test(lines_after_multiline_cells),
        cmocka_unit_test(every_problem_is_reported),
        cmocka_unit_test(builder_problems_name_the_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
