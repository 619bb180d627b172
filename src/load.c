/*
 * load.c — cor_network_load: pick the format, run its loader, finish or discard.
 *
 * The format comes from the caller or from the name: .geojson/.json, .gr (DIMACS), .csv
 * (a pgRouting edge table when its header starts id,source,target, otherwise one of a
 * nodes.csv + links.csv pair), a directory (that pair); a trailing .gz is looked through.
 * Every file is read through zlib's gz* functions, which read plain files as they are, so
 * no format needs a compressed and an uncompressed path.
 *
 * Every read is bounded (cor_load_options, docs/LIMITS.md): a regular file larger than the
 * input limit is refused before reading, and any other read asks zlib for at most one byte
 * past the limit that applies (the file's bytes when plain, the decompressed bytes when
 * compressed) and grows its buffer no further, so a device, a pipe or a gzip bomb costs at
 * most the limit before it is refused.
 *
 * The loaders report format problems and go on to find the rest. Only a load that found
 * none is handed to cor_builder_finish for the semantic checks; otherwise the builder is
 * thrown away, so a caller never sees a network built from part of a file.
 */
#include "load.h"
#include "corfile.h"
#include "network_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zlib.h>

/* ---------------------------------------------------------------- reporting */

void cor_report_init(cor_report *r, cor_error *err, const char *file)
{
    r->err = err;
    r->file = file;
    r->problems = 0;
    r->status = COR_OK;
    r->limits = NULL;
}

void cor_report_add(cor_report *r, cor_status status, long line, long feature,
                    const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cor_error_addv(r->err, status, r->file, line, feature, field, fmt, ap);
    va_end(ap);
    if (r->problems++ == 0) r->status = status;
}

/* ---------------------------------------------------------------- paths */

bool cor_path_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool cor_path_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

bool cor_path_has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path);
    if (ends_with(path, n, ".gz")) n -= 3;
    return ends_with(path, n, ext);
}

/* ---------------------------------------------------------------- reading whole files */

void cor_text_free(cor_text *t)
{
    free(t->data);
    t->data = NULL;
    t->len = 0;
}

void cor_load_options_init(cor_load_options *o)
{
    o->max_input_bytes = COR_MAX_INPUT_DEFAULT;
    o->max_decompressed_bytes = COR_MAX_INPUT_DEFAULT;
}

/* A load's limits, zeros and NULL taken as the defaults. */
static void limits_of(const cor_load_options *o, uint64_t *in, uint64_t *out)
{
    const uint64_t most = SIZE_MAX / 4; /* so limit + 2 is a size, whatever was asked */
    *in = o && o->max_input_bytes ? o->max_input_bytes : COR_MAX_INPUT_DEFAULT;
    *out = o && o->max_decompressed_bytes ? o->max_decompressed_bytes : COR_MAX_INPUT_DEFAULT;
    if (*in > most) *in = most;
    if (*out > most) *out = most;
}

/* "268435456 bytes (256 MiB)" for messages. */
static const char *bytes_text(uint64_t n, char *buf, size_t size)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    int u = -1;
    double v = (double)n;
    while (v >= 1024 && u < 3) v /= 1024, u++;
    if (u < 0) snprintf(buf, size, "%llu bytes", (unsigned long long)n);
    else snprintf(buf, size, "%llu bytes (%.4g %s)", (unsigned long long)n, v, units[u]);
    return buf;
}

/* The refusal of a file past a limit: which one, and the one way to raise it. */
static cor_status past_limit(cor_report *r, bool decompressed, uint64_t limit, uint64_t size)
{
    char lim[64], got[64];
    const char *field = decompressed ? "max_decompressed_bytes" : "max_input_bytes";
    if (size)
        cor_report_add(r, COR_ERR_INPUT, -1, -1, field,
                       "the file is %s, more than the limit of %s on one input file (raise "
                       "max_input_bytes; on the command line --max-input BYTES)",
                       bytes_text(size, got, sizeof got), bytes_text(limit, lim, sizeof lim));
    else
        cor_report_add(r, COR_ERR_INPUT, -1, -1, field,
                       "%s more than the limit of %s, so reading stopped there (raise %s; on "
                       "the command line --max-input BYTES)",
                       decompressed ? "decompresses to" : "holds",
                       bytes_text(limit, lim, sizeof lim), field);
    return COR_ERR_INPUT;
}

/* A first guess of the decompressed size, so big files are not regrown by doubling. Two
 * bytes of slack: one for the final NUL, one for the read that finds the end. */
static size_t initial_capacity(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || st.st_size <= 0) return 4096;
    size_t size = (size_t)st.st_size;
    return (ends_with(path, strlen(path), ".gz") ? 4 * size : size) + 2;
}

/* Grows t to hold `need` bytes, doubling, but never past `ceiling`. */
static bool reserve(cor_text *t, size_t *cap, size_t need, size_t ceiling)
{
    if (need <= *cap) return true;
    size_t cap2 = *cap * 2 > need ? *cap * 2 : need;
    if (cap2 > ceiling) cap2 = ceiling > need ? ceiling : need;
    char *p = realloc(t->data, cap2);
    if (!p) return false;
    t->data = p;
    *cap = cap2;
    return true;
}

/* Reads gz into out until its end or one byte past `limit` decompressed bytes, or until
 * more than max_in bytes of the file were taken in. *past: which limit stopped it (0: none,
 * 1: the input, 2: the decompressed bytes). False when memory ran out. */
static bool read_within(gzFile gz, cor_text *out, size_t *cap, uint64_t limit, uint64_t max_in,
                        int *past)
{
    size_t ceiling = (size_t)limit + 2; /* limits_of keeps it a size */
    *past = 0;
    for (;;) {
        if (*cap - out->len < 2 && !reserve(out, cap, out->len + 2, ceiling)) return false;
        size_t room = *cap - out->len - 1; /* keep a byte for the NUL */
        uint64_t left = limit + 1 - out->len;  /* one byte past the limit tells it is passed */
        if (room > left) room = (size_t)left;
        int n = gzread(gz, out->data + out->len, room > (1u << 30) ? 1u << 30 : (unsigned)room);
        if (n <= 0) return true;
        out->len += (size_t)n;
        if (out->len > limit) *past = gzdirect(gz) ? 1 : 2;
        else if (gzoffset(gz) > 0 && (uint64_t)gzoffset(gz) > max_in) *past = 1;
        if (*past) return true;
    }
}

cor_status cor_slurp(const char *path, cor_text *out, cor_report *r)
{
    out->data = NULL;
    out->len = 0;
    if (cor_path_is_dir(path)) {
        cor_report_add(r, COR_ERR_IO, -1, -1, NULL, "is a directory, not a file");
        return COR_ERR_IO;
    }
    uint64_t max_in, max_out;
    limits_of(r->limits, &max_in, &max_out);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size > max_in)
        return past_limit(r, false, max_in, (uint64_t)st.st_size);
    gzFile gz = gzopen(path, "rb");
    if (!gz) {
        cor_report_add(r, COR_ERR_IO, -1, -1, NULL, "cannot open: %s",
                       errno ? strerror(errno) : "out of memory");
        return COR_ERR_IO;
    }
    gzbuffer(gz, 1 << 17);
    /* A plain file's bytes are what is held; a compressed one is held decompressed. */
    bool direct = gzdirect(gz);
    uint64_t limit = direct ? max_in : max_out;
    size_t cap = 0, guess = initial_capacity(path);
    cor_status status = COR_ERR_NOMEM;
    if (guess > limit + 2) guess = (size_t)limit + 2;
    int past;
    if (!reserve(out, &cap, guess, guess) || !read_within(gz, out, &cap, limit, max_in, &past))
        goto fail;
    if (past) {
        status = past_limit(r, past == 2, past == 2 ? max_out : max_in, 0);
        goto fail;
    }
    int zerr;
    const char *msg = gzerror(gz, &zerr);
    if (zerr == Z_ERRNO) {
        cor_report_add(r, COR_ERR_IO, -1, -1, NULL, "cannot read: %s", strerror(errno));
        status = COR_ERR_IO;
        goto fail;
    }
    if (zerr != Z_OK) {
        size_t n = strlen(path); /* zlib's message starts with the path: we have it already */
        if (strncmp(msg, path, n) == 0 && strncmp(msg + n, ": ", 2) == 0) msg += n + 2;
        cor_report_add(r, COR_ERR_INPUT, -1, -1, NULL, "damaged gzip data: %s", msg);
        status = COR_ERR_INPUT;
        goto fail;
    }
    gzclose(gz);
    out->data[out->len] = '\0';
    return COR_OK;
fail:
    if (status == COR_ERR_NOMEM)
        cor_report_add(r, COR_ERR_NOMEM, -1, -1, NULL, "out of memory while reading");
    gzclose(gz);
    cor_text_free(out);
    return status;
}

cor_status cor_file_read(const char *path, const cor_load_options *opt, char **data,
                         size_t *len, cor_error *err)
{
    cor_report r;
    cor_report_init(&r, err, path);
    r.limits = opt;
    cor_text t;
    cor_status st = cor_slurp(path, &t, &r);
    *data = t.data;
    *len = t.len;
    return st;
}

/* ---------------------------------------------------------------- choosing the format */

bool cor_format_parse(const char *s, cor_format *out)
{
    static const struct {
        const char *name;
        cor_format format;
    } names[] = {{"auto", COR_FORMAT_AUTO},   {"geojson", COR_FORMAT_GEOJSON},
                 {"csv", COR_FORMAT_CSV},     {"pgrouting", COR_FORMAT_PGROUTING},
                 {"dimacs", COR_FORMAT_DIMACS}, {"cor", COR_FORMAT_COR}};
    for (size_t i = 0; s && i < sizeof names / sizeof *names; i++)
        if (strcasecmp(s, names[i].name) == 0) {
            *out = names[i].format;
            return true;
        }
    return false;
}

/* The next comma-separated column name of a header line, without spaces and quotes. */
static const char *next_column(const char *p, char *name, size_t size)
{
    p += strspn(p, " \t\"");
    size_t k = strcspn(p, ",\"\r\n");
    size_t n = k < size - 1 ? k : size - 1; /* memcpy: gcc -O1 misreads a %.*s here */
    memcpy(name, p, n);
    name[n] = '\0';
    while (n && (name[n - 1] == ' ' || name[n - 1] == '\t')) name[--n] = '\0';
    p += strcspn(p, ",\r\n");
    return *p == ',' ? p + 1 : p;
}

/* True when the first line of a CSV file starts with the columns id,source,target. */
static bool csv_header_is_pgrouting(const char *path)
{
    char line[1024], name[64];
    gzFile gz = gzopen(path, "rb");
    if (!gz) return false;
    bool ok = gzgets(gz, line, sizeof line) != NULL;
    gzclose(gz);
    if (!ok) return false;
    const char *p = strncmp(line, "\xEF\xBB\xBF", 3) == 0 ? line + 3 : line; /* UTF-8 BOM */
    static const char *const want[] = {"id", "source", "target"};
    for (int i = 0; i < 3; i++) {
        p = next_column(p, name, sizeof name);
        if (strcasecmp(name, want[i]) != 0) return false;
    }
    return true;
}

static cor_status detect_format(const char *path, cor_format *format, cor_report *r)
{
    if (cor_path_is_dir(path)) *format = COR_FORMAT_CSV;
    else if (cor_path_has_ext(path, ".cor") || cor_file_has_magic(path)) *format = COR_FORMAT_COR;
    else if (cor_path_has_ext(path, ".geojson") || cor_path_has_ext(path, ".json"))
        *format = COR_FORMAT_GEOJSON;
    else if (cor_path_has_ext(path, ".gr")) *format = COR_FORMAT_DIMACS;
    else if (cor_path_has_ext(path, ".csv"))
        *format = csv_header_is_pgrouting(path) ? COR_FORMAT_PGROUTING : COR_FORMAT_CSV;
    else {
        cor_report_add(r, COR_ERR_USAGE, -1, -1, NULL,
                       "cannot tell the format from the name (expected .geojson, .json, "
                       ".csv, .gr, maybe with .gz, .cor, or a folder); name the format: "
                       "geojson, csv, pgrouting, dimacs or cor");
        return COR_ERR_USAGE;
    }
    return COR_OK;
}

/* ---------------------------------------------------------------- the nodes + links pair */

/* The file `name` in the folder that the first dir_len bytes of `dir` name, or name.gz
 * when only that exists. */
static char *file_in(const char *dir, size_t dir_len, const char *name)
{
    size_t n = dir_len + strlen(name) + 5;
    char *p = malloc(n);
    if (!p) return NULL;
    const char *slash = dir_len && dir[dir_len - 1] != '/' ? "/" : "";
    snprintf(p, n, "%.*s%s%s", (int)dir_len, dir, slash, name);
    if (cor_path_is_file(p)) return p;
    strcat(p, ".gz");
    if (cor_path_is_file(p)) return p;
    p[strlen(p) - 3] = '\0';
    return p;
}

/* A file's partner: "x/az_nodes.csv.gz" pairs with "x/az_links.csv" (or .gz). */
static char *partner(const char *path, size_t stem, const char *name)
{
    size_t base = stem - strlen(name);
    size_t n = base + strlen(name) + 5;
    char *p = malloc(n);
    if (!p) return NULL;
    snprintf(p, n, "%.*s%s", (int)base, path, name);
    if (!cor_path_is_file(p)) {
        strcat(p, ".gz");
        if (!cor_path_is_file(p)) p[strlen(p) - 3] = '\0';
    }
    return p;
}

/* From a folder, or from either file of the pair, the paths of both files: a file named
 * ...nodes.csv pairs with ...links.csv beside it. */
static cor_status pair_paths(const char *path, char **nodes, char **links, cor_report *r)
{
    *nodes = *links = NULL;
    size_t n = strlen(path);
    if (cor_path_is_dir(path)) {
        *nodes = file_in(path, n, "nodes.csv");
        *links = file_in(path, n, "links.csv");
    } else {
        size_t stem = n - (ends_with(path, n, ".gz") ? 3 : 0);
        bool is_nodes = ends_with(path, stem, "nodes.csv");
        if (!is_nodes && !ends_with(path, stem, "links.csv")) {
            cor_report_add(r, COR_ERR_USAGE, -1, -1, NULL,
                           "is neither a pgRouting edge table (header id,source,target,...) "
                           "nor a file named ...nodes.csv or ...links.csv with its partner "
                           "beside it");
            return COR_ERR_USAGE;
        }
        *nodes = is_nodes ? strdup(path) : partner(path, stem, "nodes.csv");
        *links = is_nodes ? partner(path, stem, "links.csv") : strdup(path);
    }
    if (*nodes && *links) return COR_OK;
    free(*nodes);
    free(*links);
    *nodes = *links = NULL;
    cor_report_add(r, COR_ERR_NOMEM, -1, -1, NULL, "out of memory");
    return COR_ERR_NOMEM;
}

static cor_status load_csv(cor_builder *b, const char *path, cor_report *r)
{
    char *nodes, *links;
    cor_status status = pair_paths(path, &nodes, &links, r);
    if (status != COR_OK) return status;
    status = cor_load_csv_pair(b, nodes, links, r);
    free(nodes);
    free(links);
    return status;
}

/* ---------------------------------------------------------------- cor_network_load */

static cor_status run_loader(cor_builder *b, const char *path, cor_format format,
                             cor_report *r)
{
    switch (format) {
    case COR_FORMAT_GEOJSON: return cor_load_geojson(b, path, r);
    case COR_FORMAT_CSV: return load_csv(b, path, r);
    case COR_FORMAT_PGROUTING: return cor_load_pgrouting(b, path, r);
    case COR_FORMAT_DIMACS: return cor_load_dimacs(b, path, r);
    default:
        cor_report_add(r, COR_ERR_USAGE, -1, -1, NULL, "unknown format %d", (int)format);
        return COR_ERR_USAGE;
    }
}

cor_status cor_network_load(cor_network **out, const char *path, cor_format format,
                            cor_error *err)
{
    return cor_network_load_with(out, path, format, NULL, err);
}

cor_status cor_network_load_with(cor_network **out, const char *path, cor_format format,
                                 const cor_load_options *opt, cor_error *err)
{
    *out = NULL;
    cor_report r;
    cor_report_init(&r, err, path);
    r.limits = opt;
    if (!path || !*path) {
        cor_report_add(&r, COR_ERR_USAGE, -1, -1, NULL, "no file name given");
        return COR_ERR_USAGE;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        cor_report_add(&r, COR_ERR_IO, -1, -1, NULL, "cannot open: %s", strerror(errno));
        return COR_ERR_IO;
    }
    if (format == COR_FORMAT_AUTO && detect_format(path, &format, &r) != COR_OK)
        return r.status;
    if (format == COR_FORMAT_COR) return cor_network_load_cor(out, path, err);
    cor_builder *b = cor_builder_new(path);
    if (!b) {
        cor_report_add(&r, COR_ERR_NOMEM, -1, -1, NULL, "out of memory");
        return COR_ERR_NOMEM;
    }
    cor_builder_set_format(b, format);
    cor_status status = run_loader(b, path, format, &r);
    if (status == COR_OK && r.problems == 0) return cor_builder_finish(b, out, err);
    cor_builder_free(b);
    return status != COR_OK ? status : r.status;
}
