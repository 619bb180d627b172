/*
 * test_load_limits.c — every reader stops at the input limits (cor_load_options): a plain
 * file at and one byte past the limit, a gzip bomb stopped at the decompressed limit while
 * its compressed bytes are within theirs, /dev/zero stopped through every reader (each
 * network format, the .co beside a .gr, scenarios, closed links), the defaults for a file
 * larger than them (a sparse file: refused before a byte is read).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>

#include "loadtest.h"

static cor_load_options limits(uint64_t in, uint64_t out)
{
    cor_load_options o;
    cor_load_options_init(&o);
    o.max_input_bytes = in;
    o.max_decompressed_bytes = out;
    return o;
}

/* The only problem in err is at `file`, in `field`, and says `words`. */
static void assert_refused(const cor_error *err, const char *file, const char *field,
                           const char *words)
{
    if (err->count != 1 || !strstr(err->problems[0].file, file) ||
        strcmp(err->problems[0].field, field) != 0 || !strstr(err->problems[0].message, words)) {
        print_message("expected one problem in %s, field %s, saying '%s'\n", file, field, words);
        lt_print_problems(err);
    }
    assert_int_equal(err->count, 1);
    assert_int_equal(err->problems[0].status, COR_ERR_INPUT);
    assert_non_null(strstr(err->problems[0].file, file));
    assert_string_equal(err->problems[0].field, field);
    assert_non_null(strstr(err->problems[0].message, words));
}

static void defaults(void **state)
{
    (void)state;
    cor_load_options o;
    memset(&o, 0xff, sizeof o);
    cor_load_options_init(&o);
    assert_true(o.max_input_bytes == COR_MAX_INPUT_DEFAULT);
    assert_true(o.max_decompressed_bytes == COR_MAX_INPUT_DEFAULT);
    assert_true(COR_MAX_INPUT_DEFAULT == (uint64_t)256 << 20);
}

static void plain_file_at_and_past_the_limit(void **state)
{
    (void)state;
    char text[1001], path[512], *data = (char *)&data;
    memset(text, 'x', 1000);
    text[1000] = '\0';
    assert_non_null(cor_test_write_temp(".txt", text, 1000, path, sizeof path));
    size_t len = 0;
    cor_error err;
    cor_error_init(&err);
    cor_load_options o = limits(1000, 10);
    assert_int_equal(cor_file_read(path, &o, &data, &len, &err), COR_OK);
    assert_int_equal(len, 1000);
    assert_int_equal(data[1000], '\0');
    free(data);
    o.max_input_bytes = 999;
    assert_int_equal(cor_file_read(path, &o, &data, &len, &err), COR_ERR_INPUT);
    assert_null(data);
    assert_refused(&err, path, "max_input_bytes", "the file is 1000 bytes");
    assert_non_null(strstr(err.problems[0].message, "limit of 999 bytes"));
    cor_error_clear(&err);
    unlink(path);
}

/* dir/name: `mb` MiB of zeros, gzipped (a few KiB on disk). */
static void write_bomb(const char *dir, const char *name, int mb, char *path, size_t size)
{
    static char zeros[1 << 20];
    snprintf(path, size, "%s/%s", dir, name);
    gzFile gz = gzopen(path, "wb9");
    assert_non_null(gz);
    for (int i = 0; i < mb; i++)
        assert_int_equal(gzwrite(gz, zeros, sizeof zeros), (int)sizeof zeros);
    assert_int_equal(gzclose(gz), Z_OK);
}

static void gzip_bomb_stops_at_the_decompressed_limit(void **state)
{
    (void)state;
    char dir[512], path[1024], *data;
    size_t len;
    lt_temp_dir(dir, sizeof dir);
    write_bomb(dir, "bomb.geojson.gz", 4, path, sizeof path);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size < 64 << 10);
    cor_error err;
    cor_error_init(&err);
    cor_load_options o = limits(1 << 20, 1 << 20); /* the compressed bytes are within */
    assert_int_equal(cor_file_read(path, &o, &data, &len, &err), COR_ERR_INPUT);
    assert_null(data);
    assert_refused(&err, "bomb.geojson.gz", "max_decompressed_bytes", "decompresses to more than");
    cor_error_clear(&err);
    cor_network *net = NULL;
    assert_int_equal(cor_network_load_with(&net, path, COR_FORMAT_AUTO, &o, &err), COR_ERR_INPUT);
    assert_null(net);
    assert_refused(&err, "bomb.geojson.gz", "max_decompressed_bytes", "1048576 bytes (1 MiB)");
    cor_error_clear(&err);
    o.max_decompressed_bytes = 4 << 20; /* exactly what it holds: read whole */
    assert_int_equal(cor_file_read(path, &o, &data, &len, &err), COR_OK);
    assert_int_equal(len, 4 << 20);
    free(data);
    cor_error_clear(&err);
    lt_remove_dir(dir);
}

/* /dev/zero through every reader: stopped at the limit, named, never read to the end. */
static void dev_zero_through_every_reader(void **state)
{
    (void)state;
    if (access("/dev/zero", R_OK) != 0) skip();
    cor_load_options o = limits(64 << 10, 64 << 10);
    static const cor_format formats[] = {COR_FORMAT_GEOJSON, COR_FORMAT_PGROUTING,
                                         COR_FORMAT_DIMACS};
    cor_error err;
    cor_error_init(&err);
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        cor_network *net = NULL;
        assert_int_equal(cor_network_load_with(&net, "/dev/zero", formats[i], &o, &err),
                         COR_ERR_INPUT);
        assert_null(net);
        assert_refused(&err, "/dev/zero", "max_input_bytes", "reading stopped there");
        cor_error_clear(&err);
    }
    char path[512];
    cor_network *net = lt_load_ok(cor_test_data("dimacs/small.gr", path, sizeof path),
                                  COR_FORMAT_AUTO);
    cor_scenario *s = (cor_scenario *)&err;
    assert_int_equal(cor_scenario_load_with(&s, "/dev/zero", net, &o, &err), COR_ERR_INPUT);
    assert_null(s);
    assert_refused(&err, "/dev/zero", "max_input_bytes", "65536 bytes (64 KiB)");
    cor_error_clear(&err);
    cor_closed_link *closed = (cor_closed_link *)&err;
    size_t n = 7;
    assert_int_equal(cor_closed_load_with("/dev/zero", net, &o, &closed, &n, &err), COR_ERR_INPUT);
    assert_null(closed);
    assert_int_equal(n, 0);
    assert_refused(&err, "/dev/zero", "max_input_bytes", "holds more than");
    cor_error_clear(&err);
    cor_network_free(net);
}

/* The files a loader reads beside the one named: the .co of a .gr, the pair's links.csv. */
static void files_beside_are_bounded_too(void **state)
{
    (void)state;
    char dir[512], path[1024], co[2100];
    lt_temp_dir(dir, sizeof dir);
    lt_write(dir, "g.gr", "p sp 2 1\na 1 2 3\n");
    strcpy(co, "p aux sp co 2\nv 1 0 0\nv 2 1 1\n");
    while (strlen(co) < 2000) strcat(co, "c padding\n");
    lt_write(dir, "g.co", co);
    cor_error err;
    cor_error_init(&err);
    cor_network *net = NULL;
    cor_load_options o = limits(1000, 1000);
    snprintf(path, sizeof path, "%s/g.gr", dir);
    assert_int_equal(cor_network_load_with(&net, path, COR_FORMAT_AUTO, &o, &err), COR_ERR_INPUT);
    assert_refused(&err, "g.co", "max_input_bytes", "more than the limit of 1000 bytes");
    cor_error_clear(&err);
    lt_write(dir, "nodes.csv", "id,lon,lat\nA,0,0\nB,1,1\n");
    lt_write(dir, "links.csv", co); /* too big; its contents never matter */
    snprintf(path, sizeof path, "%s/nodes.csv", dir);
    assert_int_equal(cor_network_load_with(&net, path, COR_FORMAT_CSV, &o, &err), COR_ERR_INPUT);
    assert_null(net);
    assert_non_null(lt_find(&err, -1, -1, "max_input_bytes"));
    assert_non_null(strstr(lt_find(&err, -1, -1, "max_input_bytes")->file, "links.csv"));
    cor_error_clear(&err);
    o.max_input_bytes = o.max_decompressed_bytes = 4096; /* raised: the .gr and .co load */
    snprintf(path, sizeof path, "%s/g.gr", dir);
    assert_int_equal(cor_network_load_with(&net, path, COR_FORMAT_AUTO, &o, &err), COR_OK);
    assert_int_equal(cor_network_node_count(net), 2);
    cor_network_free(net);
    cor_error_clear(&err);
    lt_remove_dir(dir);
}

/* A sparse file larger than the default limit: refused by its size, nothing read. */
static void default_limit_refuses_a_bigger_file_unread(void **state)
{
    (void)state;
    char dir[512], path[1024], *data;
    size_t len;
    lt_temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/big.geojson", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)COR_MAX_INPUT_DEFAULT + 1), 0);
    close(fd);
    cor_error err;
    cor_error_init(&err);
    cor_network *net = NULL;
    assert_int_equal(cor_network_load(&net, path, COR_FORMAT_AUTO, &err), COR_ERR_INPUT);
    assert_refused(&err, "big.geojson", "max_input_bytes", "the file is 268435457 bytes");
    assert_non_null(strstr(err.problems[0].message, "limit of 268435456 bytes (256 MiB)"));
    cor_error_clear(&err);
    assert_int_equal(cor_file_read(path, NULL, &data, &len, &err), COR_ERR_INPUT);
    assert_null(data);
    cor_error_clear(&err);
    lt_remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults),
        cmocka_unit_test(plain_file_at_and_past_the_limit),
        cmocka_unit_test(gzip_bomb_stops_at_the_decompressed_limit),
        cmocka_unit_test(dev_zero_through_every_reader),
        cmocka_unit_test(files_beside_are_bounded_too),
        cmocka_unit_test(default_limit_refuses_a_bigger_file_unread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
