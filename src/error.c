/*
 * error.c — the error record every fallible function fills.
 *
 * A cor_error is a growable list of problems, each with its place (file, line or feature,
 * field). Loaders keep going after a problem so a user sees every fault in one run; the
 * list is capped at COR_MAX_PROBLEMS so a garbage file cannot exhaust memory, and the
 * rest are only counted.
 */
#include "corridor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cor_error_init(cor_error *err)
{
    memset(err, 0, sizeof *err);
}

void cor_error_clear(cor_error *err)
{
    free(err->problems);
    cor_error_init(err);
}

static bool error_has_room(cor_error *err)
{
    if (err->count < err->cap) return true;
    if (err->count >= COR_MAX_PROBLEMS) return false;
    size_t cap = err->cap ? err->cap * 2 : 8;
    if (cap > COR_MAX_PROBLEMS) cap = COR_MAX_PROBLEMS;
    cor_problem *p = realloc(err->problems, cap * sizeof *p);
    if (!p) return false;
    err->problems = p;
    err->cap = cap;
    return true;
}

cor_status cor_error_addv(cor_error *err, cor_status status, const char *file, long line,
                          long feature, const char *field, const char *fmt, va_list ap)
{
    if (!err) return status;
    if (!error_has_room(err)) {
        err->dropped++;
        return status;
    }
    cor_problem *p = &err->problems[err->count++];
    memset(p, 0, sizeof *p);
    p->status = status;
    p->line = line;
    p->feature = feature;
    if (file) snprintf(p->file, sizeof p->file, "%s", file);
    if (field) snprintf(p->field, sizeof p->field, "%s", field);
    vsnprintf(p->message, sizeof p->message, fmt, ap);
    return status;
}

cor_status cor_error_add(cor_error *err, cor_status status, const char *file, long line,
                         long feature, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cor_status s = cor_error_addv(err, status, file, line, feature, field, fmt, ap);
    va_end(ap);
    return s;
}

cor_status cor_error_status(const cor_error *err)
{
    if (!err || err->count == 0) return err && err->dropped ? COR_ERR_NOMEM : COR_OK;
    return err->problems[0].status;
}

char *cor_problem_format(const cor_problem *p, char *buf, size_t size)
{
    size_t n = 0;
#define PUT(...)                                                                           \
    do {                                                                                   \
        int k_ = snprintf(buf + n, n < size ? size - n : 0, __VA_ARGS__);                  \
        if (k_ > 0) n += (size_t)k_;                                                       \
    } while (0)
    if (size == 0) return buf;
    buf[0] = '\0';
    if (p->file[0]) PUT("%s", p->file);
    if (p->line >= 0) PUT("%s%ld", p->file[0] ? ":" : "line ", p->line);
    if (p->feature >= 0) PUT("%sfeature %ld", n ? ": " : "", p->feature);
    if (p->field[0]) PUT("%sfield '%s'", n ? ": " : "", p->field);
    PUT("%s%s", n ? ": " : "", p->message);
#undef PUT
    return buf;
}
