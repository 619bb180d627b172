/*
 * testutil.h — small helpers shared by the unit tests.
 */
#ifndef COR_TESTUTIL_H
#define COR_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "corridor.h"

/* Writes `text` (len bytes; strlen when len == (size_t)-1) to a new temporary file whose
 * name ends in `suffix`; returns its path in static storage of the caller's buffer. */
char *cor_test_write_temp(const char *suffix, const char *text, size_t len, char *path,
                          size_t path_size);
/* Path of a file under ../shared/data, or NULL when it is absent (the test should skip). */
const char *cor_test_shared_data(const char *rel, char *buf, size_t size);
/* Path of a file under the repository's tests/data. */
const char *cor_test_data(const char *rel, char *buf, size_t size);

/* Asserts that a route's legs join up, start at `from`, end at `to` and sum to its total. */
void cor_test_check_route(const cor_route *route, uint32_t from, uint32_t to);

#endif
