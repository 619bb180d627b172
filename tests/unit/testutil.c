/*
 * testutil.c — temp files, data paths and a route check for the unit tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <math.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

char *cor_test_write_temp(const char *suffix, const char *text, size_t len, char *path,
                          size_t path_size)
{
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(path, path_size, "%s/cortest-XXXXXX%s", dir, suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0) return NULL;
    if (len == (size_t)-1) len = strlen(text);
    ssize_t w = write(fd, text, len);
    close(fd);
    return w == (ssize_t)len ? path : NULL;
}

const char *cor_test_shared_data(const char *rel, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", COR_SHARED_DATA, rel);
    /* COR_TEST_NO_LARGE: files over 1 MB (DIMACS NY and the like) count as absent, for
     * scripts/test.sh's clang pass, which would spend minutes on what the first passes cover. */
    struct stat sb;
    if (getenv("COR_TEST_NO_LARGE") && stat(buf, &sb) == 0 && sb.st_size > (1 << 20))
        return NULL;
    return access(buf, R_OK) == 0 ? buf : NULL;
}

const char *cor_test_data(const char *rel, char *buf, size_t size)
{
    snprintf(buf, size, "%s/tests/data/%s", COR_SOURCE_DIR, rel);
    return buf;
}

void cor_test_check_route(const cor_route *route, uint32_t from, uint32_t to)
{
    double sum = 0;
    uint32_t at = from;
    for (size_t i = 0; i < route->n_legs; i++) {
        assert_int_equal(route->legs[i].from, at);
        at = route->legs[i].to;
        sum += route->legs[i].cost;
    }
    assert_int_equal(at, to);
    assert_true(fabs(sum - route->totals.cost) <= 1e-9 * (1 + sum));
}
