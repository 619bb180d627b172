/*
 * load_dimacs.c — networks from the 9th DIMACS Implementation Challenge format.
 *
 * A .gr file holds `c` comments, one `p sp N M` header and M arc lines `a U V W` (a
 * directed arc U→V of non-negative integer weight W; nodes are 1..N; parallel arcs are
 * allowed). Beside it, a .co file of the same stem (x.gr → x.co, either may be gzipped)
 * gives positions: `p aux sp co N`, then `v ID LON LAT` in millionths of a degree.
 *
 * Arc i (1-based, in file order) becomes link "i" with cost W, one way; node k becomes
 * node "k", added in order 1..N so that its dense index is k-1.
 *
 * These files are big (the NY road graph is 14 MB and 734 thousand arcs, the USA one
 * 24 million), so the scanner is hand-written: one memchr per line and a digit loop per
 * number, over the whole decompressed file in memory — no sscanf, no copies, no
 * allocation per line. It is also strict: every line must be well formed, every number
 * in range, the counts as the header announced; each problem is reported with its line.
 * The header's counts are checked against the file's size before anything is allocated
 * for them (counts_fit), so a few bytes cannot ask for gigabytes.
 */
#include "load.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Weights up to 2^53 convert to double exactly. */
#define MAX_WEIGHT (UINT64_C(1) << 53)

typedef struct dimacs {
    cor_builder *b;
    cor_report *r;
    uint32_t n_nodes;    /* from the header; 0 before it */
    uint64_t n_arcs;     /* announced by the header */
    size_t bytes;        /* size of the decompressed .gr text */
    uint64_t arcs_seen;  /* `a` lines */
    long header_line;    /* 0 until the header is read */
    bool refused;        /* the header announced more than the file can hold */
    bool told_no_header; /* arcs before the header are reported once */
    cor_link arc;        /* the template of every arc */
    double *lon, *lat;   /* from the .co file, NaN when not given */
    uint64_t positions;  /* `v` lines */
    bool out_of_memory;
} dimacs;

/* ---------------------------------------------------------------- scanning a line */

/* One line, without its line break, and a cursor over its tokens. */
typedef struct line {
    const char *p, *end;
    long number;
} line;

/* The next run of non-blank characters; false at the end of the line. */
static bool next_token(line *ln, const char **tok, size_t *len)
{
    while (ln->p < ln->end && (*ln->p == ' ' || *ln->p == '\t')) ln->p++;
    *tok = ln->p;
    while (ln->p < ln->end && *ln->p != ' ' && *ln->p != '\t') ln->p++;
    *len = (size_t)(ln->p - *tok);
    return *len > 0;
}

/* A token as it may appear in a message: at most 40 bytes, non-printable bytes as '?'
 * (a binary file must not put raw bytes into an error message). */
static const char *shown(const char *tok, size_t len, char buf[41])
{
    size_t n = len > 40 ? 40 : len;
    for (size_t i = 0; i < n; i++) buf[i] = tok[i] > ' ' && tok[i] < 127 ? tok[i] : '?';
    buf[n] = '\0';
    return buf;
}

typedef enum { NUM_OK, NUM_BAD, NUM_TOO_BIG } num_result;

/* Digits only, at most `max`. */
static num_result parse_digits(const char *s, size_t n, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    bool too_big = false;
    if (n == 0) return NUM_BAD;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (d > 9) return NUM_BAD;
        if (v > (UINT64_MAX - d) / 10) too_big = true;
        else v = v * 10 + d;
    }
    if (too_big || v > max) return NUM_TOO_BIG;
    *out = v;
    return NUM_OK;
}

/* The next token, or a report that the line ends early. */
static bool number_token(dimacs *d, line *ln, const char *field, const char **tok,
                         size_t *len)
{
    if (next_token(ln, tok, len)) return true;
    cor_report_add(d->r, COR_ERR_INPUT, ln->number, -1, field,
                   "is missing (the line ends early)");
    return false;
}

static void bad_number(dimacs *d, line *ln, const char *field, const char *tok, size_t len,
                       num_result res, const char *range)
{
    char buf[41];
    if (res == NUM_BAD)
        cor_report_add(d->r, COR_ERR_INPUT, ln->number, -1, field, "'%s' is not %s",
                       shown(tok, len, buf),
                       range[0] == '-' ? "an integer" : "a non-negative integer");
    else
        cor_report_add(d->r, COR_ERR_INPUT, ln->number, -1, field, "'%s' is out of range %s",
                       shown(tok, len, buf), range);
}

/* The next token as an integer in [lo, hi]; false after reporting it as `field`. */
static bool read_uint(dimacs *d, line *ln, const char *field, uint64_t lo, uint64_t hi,
                      uint64_t *out)
{
    const char *tok;
    size_t len;
    if (!number_token(d, ln, field, &tok, &len)) return false;
    num_result res = parse_digits(tok, len, hi, out);
    if (res == NUM_OK && *out < lo) res = NUM_TOO_BIG;
    if (res == NUM_OK) return true;
    char range[64];
    snprintf(range, sizeof range, "%llu..%llu", (unsigned long long)lo,
             (unsigned long long)hi);
    bad_number(d, ln, field, tok, len, res, range);
    return false;
}

/* A signed integer in [-limit, limit]; false after a report. Positions are checked here,
 * at their line in the .co file, because the builder only knows the .gr file. */
static bool read_int(dimacs *d, line *ln, const char *field, uint64_t limit, int64_t *out)
{
    const char *tok;
    size_t len;
    uint64_t v;
    if (!number_token(d, ln, field, &tok, &len)) return false;
    bool minus = *tok == '-';
    num_result res = parse_digits(tok + minus, len - minus, limit, &v);
    if (res == NUM_OK) {
        *out = minus ? -(int64_t)v : (int64_t)v;
        return true;
    }
    char range[64];
    snprintf(range, sizeof range, "-%llu..%llu (millionths of a degree)",
             (unsigned long long)limit, (unsigned long long)limit);
    bad_number(d, ln, field, tok, len, res, range);
    return false;
}

/* True when nothing but blanks is left; else reports the rest. */
static bool at_end(dimacs *d, line *ln)
{
    const char *tok;
    size_t len;
    if (!next_token(ln, &tok, &len)) return true;
    char buf[41];
    cor_report_add(d->r, COR_ERR_INPUT, ln->number, -1, NULL,
                   "unexpected '%s' at the end of the line", shown(tok, len, buf));
    return false;
}

/* Expects the literal words of a header ("sp", or "aux sp co"). */
static bool read_words(dimacs *d, line *ln, const char *const *words, const char *usage)
{
    for (; *words; words++) {
        const char *tok;
        size_t len;
        if (!next_token(ln, &tok, &len) || len != strlen(*words) ||
            memcmp(tok, *words, len) != 0) {
            cor_report_add(d->r, COR_ERR_INPUT, ln->number, -1, NULL,
                           "malformed header: expected '%s'", usage);
            return false;
        }
    }
    return true;
}

/* A NUL byte means a binary file: one problem instead of one per line of garbage. */
static bool is_text(dimacs *d, const cor_text *t)
{
    const char *nul = memchr(t->data, '\0', t->len);
    if (!nul) return true;
    long number = 1;
    for (const char *p = t->data; (p = memchr(p, '\n', (size_t)(nul - p))); p++) number++;
    cor_report_add(d->r, COR_ERR_INPUT, number, -1, NULL,
                   "holds a NUL byte: this is not a text file in the DIMACS format");
    return false;
}

/* Calls fn for every line of text that is not a comment or blank. */
static void for_each_line(dimacs *d, const cor_text *t, void (*fn)(dimacs *, line *))
{
    const char *s = t->data, *end = t->data + t->len;
    long number = 0;
    if (!is_text(d, t)) return;
    while (s < end && !d->out_of_memory) {
        const char *eol = memchr(s, '\n', (size_t)(end - s));
        if (!eol) eol = end;
        line ln = {s, eol, ++number};
        if (ln.end > ln.p && ln.end[-1] == '\r') ln.end--;
        s = eol + 1;
        if (ln.p < ln.end && *ln.p == 'c') continue;
        const char *tok;
        size_t len;
        line probe = ln;
        if (next_token(&probe, &tok, &len)) fn(d, &ln);
    }
}

/* Unknown first word: one report per line. */
static void unknown_line(dimacs *d, line *ln, const char *expected)
{
    const char *tok;
    size_t len;
    char buf[41];
    next_token(ln, &tok, &len);
    cor_report_add(d->r, COR_ERR_INPUT, ln->number, -1, NULL,
                   "unexpected line starting '%s' (expected %s)", shown(tok, len, buf),
                   expected);
}

/* ---------------------------------------------------------------- the .gr file */

/* Decimal digits of v, NUL-terminated, into buf[24]. */
static const char *decimal(uint64_t v, char *buf)
{
    char *p = buf + 23;
    *p = '\0';
    do *--p = (char)('0' + v % 10);
    while (v /= 10);
    return p;
}

/* Whether the file can hold what its header announces, checked before anything is
 * allocated for it: an arc line takes at least 8 bytes ("a 1 2 0" and its line break), and
 * a node costs the file nothing unless an arc names it, so beyond two per arc the nodes
 * are allowed one per 8 bytes of the file (and 1024 in any file), as many as arcs could
 * have named. A tiny header announcing millions is refused at its line, not allocated. */
static bool counts_fit(dimacs *d, line *ln, uint64_t n, uint64_t m)
{
    uint64_t arcs_max = ((uint64_t)d->bytes + 1) / 8;
    uint64_t nodes_max = 2 * (m < arcs_max ? m : arcs_max) + (uint64_t)d->bytes / 8 + 1024;
    if (m > arcs_max)
        cor_report_add(d->r, COR_ERR_INPUT, ln->number, -1, "arcs",
                       "the header announces %llu arcs, more than a file of %zu bytes can hold "
                       "(at most %llu: an arc line takes 8 bytes)",
                       (unsigned long long)m, d->bytes, (unsigned long long)arcs_max);
    else if (n > nodes_max)
        cor_report_add(d->r, COR_ERR_INPUT, ln->number, -1, "nodes",
                       "the header announces %llu nodes, more than a file of %zu bytes with %llu "
                       "arcs can hold (at most %llu: two per arc, for nodes that no arc names "
                       "one per 8 bytes of the file and 1024 more)",
                       (unsigned long long)n, d->bytes, (unsigned long long)m,
                       (unsigned long long)nodes_max);
    return m <= arcs_max && n <= nodes_max;
}

static void read_gr_header(dimacs *d, line *ln)
{
    static const char *const words[] = {"p", "sp", NULL};
    uint64_t n, m;
    if (d->header_line) {
        cor_report_add(d->r, COR_ERR_INPUT, ln->number, -1, NULL,
                       "a second header line (the first is line %ld)", d->header_line);
        return;
    }
    if (!read_words(d, ln, words, "p sp NODES ARCS") ||
        !read_uint(d, ln, "nodes", 0, UINT32_MAX - 1, &n) ||
        !read_uint(d, ln, "arcs", 0, (UINT32_MAX >> 1) - 1, &m) || !at_end(d, ln)) /* link << 1 */
        return;
    d->n_nodes = (uint32_t)n;
    d->n_arcs = m;
    d->header_line = ln->number;
    d->refused = !counts_fit(d, ln, n, m);
    /* Room for everything at once (the counts fit the file): no regrowing of big arrays. */
    if (!d->refused && cor_builder_reserve(d->b, n, m) != COR_OK) d->out_of_memory = true;
}

static void read_arc(dimacs *d, line *ln)
{
    uint64_t u, v, w;
    char id[24];
    ln->p++; /* the 'a' */
    d->arcs_seen++;
    if (d->refused) return; /* the header is reported; its arcs say nothing more */
    if (!d->header_line) {
        if (!d->told_no_header)
            cor_report_add(d->r, COR_ERR_INPUT, ln->number, -1, NULL,
                           "an arc before the 'p sp NODES ARCS' header line");
        d->told_no_header = true;
        return;
    }
    if (!read_uint(d, ln, "from", 1, d->n_nodes, &u) ||
        !read_uint(d, ln, "to", 1, d->n_nodes, &v) ||
        !read_uint(d, ln, "weight", 0, MAX_WEIGHT, &w) || !at_end(d, ln) ||
        d->r->problems)
        return;
    d->arc.id = decimal(d->arcs_seen, id);
    /* Nodes are added in order 1..N after the arcs, so node u has index u - 1: passing
     * indices spares the builder two string copies and lookups per arc. */
    d->arc.from_id = d->arc.to_id = NULL;
    d->arc.from = (uint32_t)(u - 1);
    d->arc.to = (uint32_t)(v - 1);
    d->arc.cost = (double)w;
    if (cor_builder_add_link(d->b, &d->arc, NULL, 0, ln->number, -1) != COR_OK)
        d->out_of_memory = true;
}

static void gr_line(dimacs *d, line *ln)
{
    const char *start = ln->p;
    if (ln->end - start >= 2 && start[1] != ' ' && start[1] != '\t')
        unknown_line(d, ln, "'c', 'p' or 'a'");
    else if (*start == 'a') read_arc(d, ln);
    else if (*start == 'p') read_gr_header(d, ln);
    else unknown_line(d, ln, "'c', 'p' or 'a'");
}

/* ---------------------------------------------------------------- the .co file */

static void read_position(dimacs *d, line *ln)
{
    uint64_t id;
    int64_t x, y;
    ln->p++; /* the 'v' */
    if (!read_uint(d, ln, "id", 1, d->n_nodes, &id) || !read_int(d, ln, "lon", 180000000, &x) ||
        !read_int(d, ln, "lat", 90000000, &y) || !at_end(d, ln))
        return;
    if (!isnan(d->lon[id - 1])) {
        cor_report_add(d->r, COR_ERR_INPUT, ln->number, -1, "id",
                       "node %llu has a position already", (unsigned long long)id);
        return;
    }
    d->lon[id - 1] = (double)x / 1e6;
    d->lat[id - 1] = (double)y / 1e6;
    d->positions++;
}

static void co_line(dimacs *d, line *ln)
{
    static const char *const words[] = {"p", "aux", "sp", "co", NULL};
    const char *start = ln->p;
    uint64_t n;
    if (ln->end - start >= 2 && start[1] != ' ' && start[1] != '\t')
        unknown_line(d, ln, "'c', 'p' or 'v'");
    else if (*start == 'v') read_position(d, ln);
    else if (*start != 'p') unknown_line(d, ln, "'c', 'p' or 'v'");
    else if (read_words(d, ln, words, "p aux sp co NODES") &&
             read_uint(d, ln, "nodes", 0, UINT32_MAX, &n) && at_end(d, ln) &&
             n != d->n_nodes)
        cor_report_add(d->r, COR_ERR_INPUT, ln->number, -1, "nodes",
                       "the header announces %llu nodes, the .gr file has %u",
                       (unsigned long long)n, d->n_nodes);
}

/* The .co file beside a .gr file (x.gr → x.co or x.co.gz; x.gr.gz → x.co.gz or x.co),
 * malloc'ed; NULL when there is none. */
static char *co_path(const char *gr)
{
    size_t n = strlen(gr);
    bool gz = n > 3 && strcmp(gr + n - 3, ".gz") == 0;
    size_t stem = n - (gz ? 3 : 0);
    if (stem < 3 || strncmp(gr + stem - 3, ".gr", 3) != 0) return NULL;
    char *p = malloc(n + 4);
    if (!p) return NULL;
    memcpy(p, gr, stem);
    strcpy(p + stem - 3, gz ? ".co.gz" : ".co");
    if (cor_path_is_file(p)) return p;
    strcpy(p + stem - 3, gz ? ".co" : ".co.gz");
    if (cor_path_is_file(p)) return p;
    free(p);
    return NULL;
}

static cor_status read_co(dimacs *d, const char *path)
{
    cor_text text;
    d->r->file = path;
    cor_status status = cor_slurp(path, &text, d->r);
    if (status != COR_OK) return status;
    d->lon = malloc(((size_t)d->n_nodes + 1) * sizeof *d->lon);
    d->lat = malloc(((size_t)d->n_nodes + 1) * sizeof *d->lat);
    if (!d->lon || !d->lat) {
        d->out_of_memory = true;
        goto done;
    }
    for (uint32_t i = 0; i < d->n_nodes; i++) d->lon[i] = d->lat[i] = NAN;
    for_each_line(d, &text, co_line);
    if (d->positions != d->n_nodes && !d->out_of_memory)
        cor_report_add(d->r, COR_ERR_INPUT, -1, -1, NULL,
                       "positions given for %llu of the %u nodes",
                       (unsigned long long)d->positions, d->n_nodes);
done:
    cor_text_free(&text);
    return COR_OK;
}

/* ---------------------------------------------------------------- loading */

static void add_nodes(dimacs *d)
{
    cor_node n;
    char id[24];
    cor_node_init(&n);
    for (uint32_t k = 0; k < d->n_nodes && !d->out_of_memory; k++) {
        n.id = decimal((uint64_t)k + 1, id);
        if (d->lon) {
            n.lon = d->lon[k];
            n.lat = d->lat[k];
        }
        if (cor_builder_add_node(d->b, &n, -1, -1) != COR_OK) d->out_of_memory = true;
    }
}

static void check_counts(dimacs *d)
{
    if (d->r->problems && !d->header_line) return; /* a binary file, or one that said so */
    if (!d->header_line)
        cor_report_add(d->r, COR_ERR_INPUT, -1, -1, NULL,
                       "no 'p sp NODES ARCS' header line: not a DIMACS .gr file");
    else if (!d->refused && d->arcs_seen != d->n_arcs)
        cor_report_add(d->r, COR_ERR_INPUT, d->header_line, -1, "arcs",
                       "the header announces %llu arcs, the file has %llu",
                       (unsigned long long)d->n_arcs, (unsigned long long)d->arcs_seen);
}

cor_status cor_load_dimacs(cor_builder *b, const char *path, cor_report *r)
{
    dimacs d = {.b = b, .r = r};
    cor_text text;
    cor_status status = cor_slurp(path, &text, r);
    if (status != COR_OK) return status;
    cor_link_init(&d.arc);
    d.arc.backward = false;
    d.bytes = text.len;
    for_each_line(&d, &text, gr_line);
    cor_text_free(&text);
    check_counts(&d);
    char *co = d.header_line && !d.refused && !d.out_of_memory ? co_path(path) : NULL;
    if (co) status = read_co(&d, co);
    r->file = path;
    if (status == COR_OK && r->problems == 0) add_nodes(&d);
    free(co);
    free(d.lon);
    free(d.lat);
    if (d.out_of_memory) {
        cor_report_add(r, COR_ERR_NOMEM, -1, -1, NULL, "out of memory");
        return COR_ERR_NOMEM;
    }
    return r->status;
}
