/*
 * test_output_file.c — cor_output: a regular file through a temporary file beside it (the
 * umask's mode, renamed on commit, removed on discard), a symlink's target replaced with the
 * link kept, a FIFO and a descriptor's name written directly, a folder refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corridor.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/corridor-output-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void put(cor_output *out, const char *text)
{
    assert_int_equal(write(out->fd, text, strlen(text)), (ssize_t)strlen(text));
}

static void assert_holds(const char *path, const char *text)
{
    char buf[64] = {0};
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    assert_string_equal(buf, text);
}

static void test_regular_file(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/r.txt", dir);
    mode_t old = umask(027);
    cor_output out;
    assert_int_equal(cor_output_open(&out, path, NULL), COR_OK);
    umask(old);
    assert_non_null(out.tmp);
    assert_string_equal(out.target, path);
    assert_non_null(strstr(out.tmp, "/.r.txt.tmp-"));
    put(&out, "one");
    assert_int_equal(access(path, F_OK), -1); /* nothing there before the commit */
    char tmp[128];
    snprintf(tmp, sizeof tmp, "%s", out.tmp);
    assert_int_equal(cor_output_commit(&out, path, NULL), COR_OK);
    assert_int_equal(access(tmp, F_OK), -1);
    assert_holds(path, "one");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    /* discarded: the old content stays, the temporary file goes */
    assert_int_equal(cor_output_open(&out, path, NULL), COR_OK);
    snprintf(tmp, sizeof tmp, "%s", out.tmp);
    put(&out, "two");
    cor_output_discard(&out);
    assert_int_equal(access(tmp, F_OK), -1);
    assert_holds(path, "one");
    cor_output_discard(&out); /* a released output: nothing to do */
}

static void test_symlink(void **state)
{
    (void)state;
    char target[128], link[128];
    snprintf(target, sizeof target, "%s/target.txt", dir);
    snprintf(link, sizeof link, "%s/link.txt", dir);
    assert_int_equal(symlink("target.txt", link), 0); /* relative, dangling */
    cor_output out;
    assert_int_equal(cor_output_open(&out, link, NULL), COR_OK);
    assert_string_equal(out.target, target);
    put(&out, "via link");
    assert_int_equal(cor_output_commit(&out, link, NULL), COR_OK);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_holds(target, "via link");
}

static void test_direct(void **state)
{
    (void)state;
    char fifo[128];
    snprintf(fifo, sizeof fifo, "%s/out.fifo", dir);
    assert_int_equal(mkfifo(fifo, 0644), 0);
    int reader = open(fifo, O_RDONLY | O_NONBLOCK); /* so that opening to write does not wait */
    assert_true(reader >= 0);
    cor_output out;
    assert_int_equal(cor_output_open(&out, fifo, NULL), COR_OK);
    assert_null(out.tmp);
    put(&out, "piped");
    assert_int_equal(cor_output_commit(&out, fifo, NULL), COR_OK);
    char buf[16] = {0};
    assert_int_equal(read(reader, buf, sizeof buf - 1), 5);
    assert_string_equal(buf, "piped");
    close(reader);
    struct stat st;
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    /* a descriptor's name: a duplicate of it, no temporary file */
    assert_int_equal(cor_output_open(&out, "/dev/stderr", NULL), COR_OK);
    assert_null(out.tmp);
    assert_true(out.fd > 2);
    cor_output_discard(&out);
    assert_true(fcntl(2, F_GETFD) >= 0); /* stderr itself stays open */
    assert_int_equal(cor_output_open(&out, "/dev/null", NULL), COR_OK);
    assert_null(out.tmp);
    cor_output_discard(&out);
}

static void test_refused(void **state)
{
    (void)state;
    cor_error err;
    cor_error_init(&err);
    cor_output out;
    assert_int_equal(cor_output_open(&out, dir, &err), COR_ERR_IO); /* a folder */
    char path[128];
    snprintf(path, sizeof path, "%s/no/such/r.txt", dir);
    assert_int_equal(cor_output_open(&out, path, &err), COR_ERR_IO);
    assert_int_equal(err.count, 2);
    assert_string_equal(err.problems[1].file, path);
    assert_non_null(strstr(err.problems[1].message, "cannot write beside it"));
    cor_error_clear(&err);
    assert_int_equal(out.fd, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regular_file),
        cmocka_unit_test(test_symlink),
        cmocka_unit_test(test_direct),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
