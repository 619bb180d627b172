/*
 * testutil.c — temp files and data paths for the unit tests.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
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
    return access(buf, R_OK) == 0 ? buf : NULL;
}

const char *cor_test_data(const char *rel, char *buf, size_t size)
{
    snprintf(buf, size, "%s/tests/data/%s", COR_SOURCE_DIR, rel);
    return buf;
}
