/*
 * output_file.c — how every result file is written: the .cor writer and the CLI's outputs.
 *
 * The idea. A regular file (or a name that does not exist yet) is written to a temporary
 * file beside it and renamed onto it only when complete, so a reader never sees half a
 * result and a failure leaves the old file as it was. The temporary file is created with
 * mode 0666 and the umask applied by the kernel (the permissions any new file would get);
 * a file being replaced keeps its own mode. A symlink is followed to the file it ends at,
 * and that file is replaced (the temporary file beside it): the link stays a link. What is
 * not a regular file — a FIFO, a character device such as /dev/null, a socket — and the
 * names of open descriptors (/dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N) are
 * written directly: there is nothing to rename onto, and renaming would replace the node.
 *
 * The trade-off. A direct write cannot be taken back: a failure midway leaves what was
 * written. The temporary file's name is made here (O_CREAT | O_EXCL with random letters)
 * rather than by mkstemp, whose 0600 ignores the umask, and without calling umask(), which
 * would race with other threads. Nothing here installs signal handlers: a program that
 * wants its temporary file gone on SIGTERM reads `tmp` and removes it itself.
 */
#define _GNU_SOURCE
#include "corridor.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_HOPS = 40 };

/* The descriptor a path names (/dev/stdout, /dev/fd/1, /proc/self/fd/1), or -1. */
static int descriptor_named(const char *p) {
    if (strcmp(p, "/dev/stdout") == 0) return STDOUT_FILENO;
    if (strcmp(p, "/dev/stderr") == 0) return STDERR_FILENO;
    static const char *const dirs[] = {"/dev/fd/", "/proc/self/fd/"};
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(dirs[i]);
        if (strncmp(p, dirs[i], n) != 0 || !p[n]) continue;
        char *end;
        errno = 0;
        long fd = strtol(p + n, &end, 10);
        if (*end || errno || fd < 0 || fd > INT_MAX) return -1;
        return (int)fd;
    }
    return -1;
}

/* The folder part of a path ("." when none), freshly allocated. */
static char *folder_of(const char *p) {
    const char *slash = strrchr(p, '/');
    if (!slash) return strdup(".");
    if (slash == p) return strdup("/");
    return strndup(p, (size_t)(slash - p));
}

/* Where a symlink points, relative links taken from the link's folder; NULL when out of
 * memory or unreadable (errno set). */
static char *link_target(const char *link) {
    char buf[PATH_MAX];
    ssize_t n = readlink(link, buf, sizeof buf - 1);
    if (n < 0) return NULL;
    buf[n] = '\0';
    if (buf[0] == '/') return strdup(buf);
    char *dir = folder_of(link), *out = NULL;
    if (dir && asprintf(&out, "%s/%s", dir, buf) < 0) out = NULL;
    free(dir);
    return out;
}

/* A temporary file beside `target`: ".NAME.tmp-XXXXXX" in its folder, mode 0666 less the
 * umask (or `mode` when >= 0). */
static int create_beside(const char *target, int mode, char **tmp) {
    const char *slash = strrchr(target, '/');
    int dir_len = slash ? (int)(slash - target + 1) : 0;
    static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned char r[6];
        if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) return -1;
        char suffix[7];
        for (int i = 0; i < 6; i++)
            suffix[i] = letters[r[i] % (sizeof letters - 1)];
        suffix[6] = '\0';
        if (asprintf(tmp, "%.*s.%s.tmp-%s", dir_len, target, target + dir_len, suffix) < 0) {
            *tmp = NULL;
            errno = ENOMEM;
            return -1;
        }
        int fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            if (mode >= 0) (void)fchmod(fd, (mode_t)mode);
            return fd;
        }
        free(*tmp);
        *tmp = NULL;
        if (errno != EEXIST) return -1;
    }
    return -1;
}

static cor_status failed(cor_output *out, const char *path, cor_error *err, const char *what) {
    int e = errno;
    cor_output_discard(out);
    return cor_error_add(err, e == ENOMEM ? COR_ERR_NOMEM : COR_ERR_IO, path, -1, -1, NULL,
                         "%s: %s", what, strerror(e));
}

cor_status cor_output_open(cor_output *out, const char *path, cor_error *err) {
    *out = (cor_output){.fd = -1};
    char *p = strdup(path);
    if (!p) return failed(out, path, err, "cannot write");
    struct stat st;
    for (int hop = 0;; hop++) {
        int fd = descriptor_named(p);
        if (fd >= 0) { /* an open descriptor: written as it is, at its offset */
            out->target = p;
            if ((out->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0)
                return failed(out, path, err, "cannot write to that descriptor");
            return COR_OK;
        }
        if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode)) break;
        if (hop == MAX_HOPS) {
            free(p);
            errno = ELOOP;
            return failed(out, path, err, "cannot write");
        }
        char *next = link_target(p);
        free(p);
        if (!(p = next)) return failed(out, path, err, "cannot follow the link");
    }
    out->target = p;
    bool exists = lstat(p, &st) == 0;
    if (!exists && errno != ENOENT) return failed(out, path, err, "cannot write");
    if (exists && S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        return failed(out, path, err, "cannot write");
    }
    if (exists && !S_ISREG(st.st_mode)) { /* a FIFO, a device, a socket: written directly */
        if ((out->fd = open(p, O_WRONLY | O_NOCTTY | O_CLOEXEC)) < 0)
            return failed(out, path, err, "cannot write");
        return COR_OK;
    }
    out->fd = create_beside(p, exists ? (int)(st.st_mode & 07777) : -1, &out->tmp);
    if (out->fd < 0) return failed(out, path, err, "cannot write beside it");
    return COR_OK;
}

cor_status cor_output_commit(cor_output *out, const char *path, cor_error *err) {
    int fd = out->fd;
    out->fd = -1;
    if (fd >= 0 && close(fd) != 0) return failed(out, path, err, "write failed");
    if (out->tmp && rename(out->tmp, out->target) != 0)
        return failed(out, path, err, "cannot replace it");
    free(out->tmp);
    out->tmp = NULL;
    cor_output_discard(out);
    return COR_OK;
}

void cor_output_discard(cor_output *out) {
    int e = errno;
    if (out->fd >= 0) close(out->fd);
    if (out->tmp) unlink(out->tmp);
    free(out->tmp);
    free(out->target);
    *out = (cor_output){.fd = -1};
    errno = e;
}
