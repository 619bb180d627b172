/*
 * criticality_internal.h — what the criticality tests need to see of criticality.c.
 *
 * The inverted index (element → pairs whose best route uses it) is two uint32_t arrays:
 * pair numbers, and per element the offset of its list among all (pair, element)
 * incidences. A demand or a set of routes too big for them is refused before the index is
 * built, with a message, instead of wrapping around.
 */
#ifndef COR_CRITICALITY_INTERNAL_H
#define COR_CRITICALITY_INTERNAL_H

#include "corridor.h"

/* COR_OK when n_pairs pairs whose best routes use `incidences` (pair, element) entries in
 * all fit the 32-bit index; otherwise COR_ERR_USAGE in err, field "demand", saying which
 * count is past its bound and what to do. O(1). */
cor_status criticality_index_fits(size_t n_pairs, uint64_t incidences, const char *what,
                                  cor_error *err);

#endif
