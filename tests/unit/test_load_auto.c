/*
 * test_load_auto.c — choosing the format: cor_format_parse, the choice by name and by a
 * CSV's header (through .gz too), and the errors for names that say nothing, missing
 * files and folders.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "loadtest.h"

static void format_names(void **state)
{
    static const struct {
        const char *name;
        cor_format format;
    } good[] = {{"auto", COR_FORMAT_AUTO},           {"geojson", COR_FORMAT_GEOJSON},
                {"GeoJSON", COR_FORMAT_GEOJSON},     {"csv", COR_FORMAT_CSV},
                {"pgrouting", COR_FORMAT_PGROUTING}, {"dimacs", COR_FORMAT_DIMACS}};
    cor_format f;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        f = (cor_format)-1;
        assert_true(cor_format_parse(good[i].name, &f));
        assert_int_equal(f, good[i].format);
    }
    assert_false(cor_format_parse("shapefile", &f));
    assert_false(cor_format_parse("", &f));
    assert_false(cor_format_parse(NULL, &f));
}

static cor_format format_of(const char *suffix, const char *text)
{
    cor_network *net = lt_text_ok(suffix, text, COR_FORMAT_AUTO);
    cor_format f = cor_network_format(net);
    cor_network_free(net);
    return f;
}

static void chosen_by_name_and_header(void **state)
{
    const char *fc = "{\"type\": \"FeatureCollection\", \"features\": []}";
    assert_int_equal(format_of(".geojson", fc), COR_FORMAT_GEOJSON);
    assert_int_equal(format_of(".JSON", fc), COR_FORMAT_GEOJSON);
    assert_int_equal(format_of(".gr", "p sp 1 0\n"), COR_FORMAT_DIMACS);
    assert_int_equal(format_of(".csv", "id,source,target,cost\n1,1,2,1\n"),
                     COR_FORMAT_PGROUTING);
    assert_int_equal(format_of(".csv", "\xEF\xBB\xBF\"id\", \"source\" ,target,cost\n"),
                     COR_FORMAT_PGROUTING);
    assert_int_equal(format_of("_links.csv", "id,source,target,cost\n1,1,2,1\n"),
                     COR_FORMAT_PGROUTING); /* the header decides, not the name */
}

static void gzipped_names_are_looked_through(void **state)
{
    char dir[512], path[1024];
    lt_temp_dir(dir, sizeof dir);
    lt_write(dir, "net.gr.gz", "p sp 2 1\na 1 2 3\n");
    lt_write(dir, "edges.csv.gz", "id,source,target,cost\n1,1,2,1\n");
    snprintf(path, sizeof path, "%s/net.gr.gz", dir);
    cor_network *net = lt_load_ok(path, COR_FORMAT_AUTO);
    assert_int_equal(cor_network_format(net), COR_FORMAT_DIMACS);
    cor_network_free(net);
    snprintf(path, sizeof path, "%s/edges.csv.gz", dir);
    net = lt_load_ok(path, COR_FORMAT_AUTO);
    assert_int_equal(cor_network_format(net), COR_FORMAT_PGROUTING);
    cor_network_free(net);
    lt_remove_dir(dir);
}

static void usage_errors(void **state)
{
    lt_text_fails(".shp", "x", COR_FORMAT_AUTO, -1, -1, NULL, "cannot tell the format");
    lt_text_fails(".csv", "a,b\n1,2\n", COR_FORMAT_AUTO, -1, -1, NULL, "nodes.csv");
    /* first columns about as long as the sniffer's 64-byte buffer, and longer: it once
     * read and wrote past it (lengths just past it meet the sanitizer's red zone) */
    char wide[400];
    for (size_t len = 60; len < 300; len += len < 72 ? 1 : 50) {
        memset(wide, 'x', len);
        snprintf(wide + len, sizeof wide - len, "   ,source,target\n");
        lt_text_fails(".csv", wide, COR_FORMAT_AUTO, -1, -1, NULL, "nodes.csv");
    }
    cor_error err;
    cor_error_init(&err);
    cor_network *net = (cor_network *)&err;
    assert_int_equal(cor_network_load(&net, "", COR_FORMAT_AUTO, &err), COR_ERR_USAGE);
    assert_null(net);
    cor_error_clear(&err);
}

static void missing_files_and_folders(void **state)
{
    char dir[512], path[1024];
    lt_temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/none.geojson", dir);
    assert_int_equal(lt_load_fails(path, COR_FORMAT_AUTO, -1, -1, NULL, "cannot open"), 1);
    snprintf(path, sizeof path, "%s/none.gr", dir);
    lt_load_fails(path, COR_FORMAT_DIMACS, -1, -1, NULL, "cannot open");
    /* an empty folder: both files of the pair are missing, both are named */
    assert_int_equal(lt_load_fails(dir, COR_FORMAT_AUTO, -1, -1, NULL, "cannot open"), 2);
    /* a folder given as a GeoJSON file */
    lt_load_fails(dir, COR_FORMAT_GEOJSON, -1, -1, NULL, "directory");
    lt_remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(format_names),
        cmocka_unit_test(chosen_by_name_and_header),
        cmocka_unit_test(gzipped_names_are_looked_through),
        cmocka_unit_test(usage_errors),
        cmocka_unit_test(missing_files_and_folders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
