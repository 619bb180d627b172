/*
 * loadtest.h — helpers for the loader tests (test_load_*.c): load a file and assert on
 * the outcome, find a problem by its place, make gzipped copies and temporary folders.
 *
 * Header-only (static inline) so each test executable takes just what it uses; include it
 * after <cmocka.h>.
 */
#ifndef COR_LOADTEST_H
#define COR_LOADTEST_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "corridor.h"
#include "testutil.h"

/* Prints every problem: shown by cmocka when an assertion fails after it. */
static inline void lt_print_problems(const cor_error *err)
{
    char buf[1024];
    for (size_t i = 0; i < err->count; i++)
        print_message("  problem: %s\n", cor_problem_format(&err->problems[i], buf, sizeof buf));
}

/* Loads a file that must be good; fails the test with its problems otherwise. */
static inline cor_network *lt_load_ok(const char *path, cor_format format)
{
    cor_error err;
    cor_network *net = NULL;
    cor_error_init(&err);
    cor_status st = cor_network_load(&net, path, format, &err);
    if (st != COR_OK) lt_print_problems(&err);
    assert_int_equal(st, COR_OK);
    assert_non_null(net);
    assert_int_equal(err.count, 0);
    cor_error_clear(&err);
    return net;
}

/* The first problem at this place (line/feature -2: any; field NULL: any), or NULL. */
static inline const cor_problem *lt_find(const cor_error *err, long line, long feature,
                                         const char *field)
{
    for (size_t i = 0; i < err->count; i++) {
        const cor_problem *p = &err->problems[i];
        if ((line == -2 || p->line == line) && (feature == -2 || p->feature == feature) &&
            (!field || strcmp(p->field, field) == 0))
            return p;
    }
    return NULL;
}

/* Loads a file that must fail with a problem at (line, feature, field) whose message holds
 * `words` (NULL: any). Returns the number of problems. */
static inline size_t lt_load_fails(const char *path, cor_format format, long line,
                                   long feature, const char *field, const char *words)
{
    cor_error err;
    cor_network *net = (cor_network *)&err; /* must be reset to NULL */
    cor_error_init(&err);
    cor_status st = cor_network_load(&net, path, format, &err);
    const cor_problem *p = lt_find(&err, line, feature, field);
    if (!p || (words && !strstr(p->message, words))) {
        print_message("expected a problem at line %ld, feature %ld, field %s, saying '%s'\n",
                      line, feature, field ? field : "(any)", words ? words : "");
        lt_print_problems(&err);
    }
    assert_int_not_equal(st, COR_OK);
    assert_null(net);
    assert_true(err.count > 0);
    assert_int_equal(cor_error_status(&err), st);
    assert_non_null(p);
    if (words) assert_non_null(strstr(p->message, words));
    size_t n = err.count;
    cor_error_clear(&err);
    return n;
}

/* The same, for a file written from `text` with a name ending in `suffix`. */
static inline size_t lt_text_fails(const char *suffix, const char *text, cor_format format,
                                   long line, long feature, const char *field,
                                   const char *words)
{
    char path[512];
    assert_non_null(cor_test_write_temp(suffix, text, (size_t)-1, path, sizeof path));
    size_t n = lt_load_fails(path, format, line, feature, field, words);
    unlink(path);
    return n;
}

static inline cor_network *lt_text_ok(const char *suffix, const char *text, cor_format format)
{
    char path[512];
    assert_non_null(cor_test_write_temp(suffix, text, (size_t)-1, path, sizeof path));
    cor_network *net = lt_load_ok(path, format);
    unlink(path);
    return net;
}

/* A new temporary folder, its path in buf. */
static inline const char *lt_temp_dir(char *buf, size_t size)
{
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(buf, size, "%s/cortest-XXXXXX", tmp);
    assert_non_null(mkdtemp(buf));
    return buf;
}

/* Writes `text` to dir/name, gzipped when name ends in ".gz". */
static inline void lt_write(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t n = strlen(path), len = strlen(text);
    if (n > 3 && strcmp(path + n - 3, ".gz") == 0) {
        gzFile gz = gzopen(path, "wb");
        assert_non_null(gz);
        assert_int_equal(gzwrite(gz, text, (unsigned)len), (int)len);
        assert_int_equal(gzclose(gz), Z_OK);
    } else {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(text, 1, len, f), len);
        fclose(f);
    }
}

/* Copies the file `src` into dir/name (gzipping when name ends in ".gz"). */
static inline void lt_copy(const char *src, const char *dir, const char *name)
{
    FILE *f = fopen(src, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    char *text = malloc((size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    text[size] = '\0';
    fclose(f);
    lt_write(dir, name, text);
    free(text);
}

/* Removes a folder made by lt_temp_dir and the files in it. */
static inline void lt_remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char path[1024];
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    closedir(d);
    rmdir(dir);
}

static inline const cor_node *lt_node(const cor_network *net, const char *id)
{
    uint32_t i = cor_network_find_node(net, id);
    if (i == COR_NONE) print_message("no node '%s'\n", id);
    assert_int_not_equal(i, COR_NONE);
    return cor_network_node(net, i);
}

static inline const cor_link *lt_link(const cor_network *net, const char *id)
{
    uint32_t i = cor_network_find_link(net, id);
    if (i == COR_NONE) print_message("no link '%s'\n", id);
    assert_int_not_equal(i, COR_NONE);
    return cor_network_link(net, i);
}

#endif
