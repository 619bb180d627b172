/*
 * corfile.h — the .cor container: named arrays (sections) in one checksummed file, mapped.
 *
 * A writer hands over any number of cor_array (name, data, count, element size); the file
 * holds a header, a table of sections and the sections, each at an offset aligned to 64
 * bytes. Opening maps the file read-only and checks everything that can be checked
 * without knowing what the sections mean: magic, endianness mark, format version, size,
 * the XXH3 checksum of the header and table, every section's bounds, size and checksum,
 * and that the padding between sections is zero — so any flipped bit is refused here.
 * What the sections mean (counts that agree, indices in range) is checked by their owners
 * (network_file.c, graph.c). Layout: docs/FORMAT.md, "Compiled network file (.cor)".
 */
#ifndef COR_CORFILE_H
#define COR_CORFILE_H

#include "corridor.h"

#define COR_FILE_VERSION 1u
#define COR_FILE_NAME_MAX 40 /* a section name, NUL included */
#define COR_FILE_MAX_SECTIONS 4096u

typedef struct cor_file cor_file;

/* Writes the sections to `path` through cor_output_open (a temporary file renamed on
 * success, nothing left behind on failure; a FIFO or device directly). COR_ERR_USAGE for a
 * name too long or repeated, COR_ERR_IO when the file cannot be written. O(total bytes). */
cor_status cor_file_write(const char *path, const cor_array *sections, size_t n, cor_error *err);
/* The same into an open output, which the caller commits or discards; `path` for messages. */
cor_status cor_file_write_to(cor_output *out, const char *path, const cor_array *sections,
                             size_t n, cor_error *err);

/* True when the file starts with the .cor magic (false when unreadable). */
bool cor_file_has_magic(const char *path);

/* Maps and checks the file (see above). COR_ERR_IO when it cannot be opened, COR_ERR_INPUT
 * for anything wrong with it, named in err with the file. O(file size) for the checksums. */
cor_status cor_file_open(cor_file **out, const char *path, cor_error *err);
void cor_file_close(cor_file *f);

size_t cor_file_section_count(const cor_file *f);
/* Section i (its data points into the mapping), NULL past the end. */
const cor_array *cor_file_section_at(const cor_file *f, size_t i);
/* The section named `name`, NULL when absent. O(sections). */
const cor_array *cor_file_find(const cor_file *f, const char *name);
/* The section `name` with elements of elem_size bytes and, unless count is UINT64_MAX,
 * exactly `count` of them; its data or NULL. A missing section is an error only when
 * `required` (*data NULL, COR_OK otherwise). Problems name the file and the section. */
cor_status cor_file_get(const cor_file *f, const char *name, uint32_t elem_size, uint64_t count,
                        bool required, const void **data, uint64_t *n, cor_error *err);
const char *cor_file_path(const cor_file *f);
/* Hands the mapping's resident pages back to the page cache (advice: the data stays, and
 * pages are faulted in again from the cache when read). Loading calls it after each group
 * of checks, so that checking every page costs a group's worth of resident memory, not the
 * file's. */
void cor_file_release(const cor_file *f);
const char *cor_file_writer(const cor_file *f); /* library version that wrote it */
uint32_t cor_file_version(const cor_file *f);
uint64_t cor_file_bytes(const cor_file *f);

#endif
