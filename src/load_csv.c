/*
 * load_csv.c — reading CSV row by row, and networks from a nodes.csv + links.csv pair.
 *
 * libcsv does the quoting (strict RFC 4180: a stray quote is an error, not data), but it
 * does not say where a row is. We feed it one physical line at a time, so we know the
 * line a row ends on, and subtract the line breaks quoted inside its cells to get the
 * line it starts on — the one a user looks for in an editor. A malformed row is reported
 * and skipped with a fresh parser, so one bad quote does not hide the rows after it.
 *
 * The pair uses the attribute names of the GeoJSON format as column headers
 * (load_fields.c). A header row is required; unknown columns are ignored; an empty cell
 * means "unknown" (the default).
 */
#include "load.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- CSV rows */

typedef struct csv_reader {
    char *buf; /* the current row's cells, each NUL-terminated */
    size_t len, cap;
    size_t *starts; /* offset of each cell in buf */
    char **cells;
    size_t n, n_cap;
    long line;      /* the physical line being fed to libcsv */
    long breaks;    /* line breaks inside the current row's cells */
    bool binary;    /* a cell held a NUL byte */
    bool stop, out_of_memory;
    cor_csv_row_fn fn;
    void *ctx;
    cor_report *r;
} csv_reader;

static void on_cell(void *field, size_t len, void *data)
{
    csv_reader *c = data;
    const char *s = field ? field : "";
    if (!field) len = 0;
    size_t cell_cap = c->n_cap;
    if (!cor_grow((void **)&c->buf, &c->cap, c->len + len + 1, 1) ||
        !cor_grow((void **)&c->starts, &c->n_cap, c->n + 1, sizeof *c->starts) ||
        !cor_grow((void **)&c->cells, &cell_cap, c->n + 1, sizeof *c->cells)) {
        c->out_of_memory = true;
        return;
    }
    if (memchr(s, '\0', len)) c->binary = true;
    for (const char *p = s; (p = memchr(p, '\n', len - (size_t)(p - s))); p++) c->breaks++;
    memcpy(c->buf + c->len, s, len);
    c->buf[c->len + len] = '\0';
    c->starts[c->n++] = c->len;
    c->len += len + 1;
}

static void reset_row(csv_reader *c)
{
    c->len = c->n = 0;
    c->breaks = 0;
    c->binary = false;
}

static void on_row_end(int term, void *data)
{
    csv_reader *c = data;
    long line = c->line - c->breaks;
    if (c->out_of_memory || c->stop) {
        /* nothing more is wanted from this file */
    } else if (c->binary) {
        /* A binary file would only produce a cascade of meaningless problems. */
        cor_report_add(c->r, COR_ERR_INPUT, line, -1, NULL,
                       "a cell holds a NUL byte: this is not a text CSV file");
        c->stop = true;
    } else if (c->n) {
        for (size_t i = 0; i < c->n; i++) c->cells[i] = c->buf + c->starts[i];
        if (!c->fn(c->ctx, c->cells, c->n, line)) c->stop = true;
    }
    reset_row(c);
}

static void restart_parser(struct csv_parser *p, csv_reader *c)
{
    csv_free(p);
    csv_init(p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
    reset_row(c);
}

/* Feeds one line (with its '\n') to libcsv; a quoting error skips the row. */
static void feed_line(struct csv_parser *p, csv_reader *c, const char *s, size_t len)
{
    if (csv_parse(p, s, len, on_cell, on_row_end, c) == len) return;
    if (csv_error(p) == CSV_ENOMEM) c->out_of_memory = true;
    else
        cor_report_add(c->r, COR_ERR_INPUT, c->line, -1, NULL,
                       "malformed CSV: a quote inside an unquoted cell, or text after a "
                       "closing quote (double a quote inside a quoted cell: \"\")");
    restart_parser(p, c);
}

cor_status cor_csv_read(const char *path, cor_csv_row_fn fn, void *ctx, cor_report *r)
{
    cor_text text;
    cor_status status = cor_slurp(path, &text, r);
    if (status != COR_OK) return status;
    csv_reader c = {.fn = fn, .ctx = ctx, .r = r};
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        c.out_of_memory = true;
        goto fail;
    }
    const char *s = text.data, *end = text.data + text.len;
    if (text.len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) s += 3; /* UTF-8 BOM */
    while (s < end && !c.stop && !c.out_of_memory) {
        const char *eol = memchr(s, '\n', (size_t)(end - s));
        const char *next = eol ? eol + 1 : end;
        c.line++;
        feed_line(&p, &c, s, (size_t)(next - s));
        s = next;
    }
    if (!c.stop && !c.out_of_memory && csv_fini(&p, on_cell, on_row_end, &c) != 0)
        cor_report_add(r, COR_ERR_INPUT, c.line, -1, NULL,
                       "the file ends inside a quoted cell (a closing quote is missing)");
    csv_free(&p);
fail:
    free(c.buf);
    free(c.starts);
    free(c.cells);
    cor_text_free(&text);
    if (!c.out_of_memory) return COR_OK;
    cor_report_add(r, COR_ERR_NOMEM, -1, -1, NULL, "out of memory while reading CSV");
    return COR_ERR_NOMEM;
}

/* ---------------------------------------------------------------- nodes.csv, links.csv */

typedef struct pair_file {
    cor_builder *b;
    cor_report *r;
    const cor_field *table;
    bool is_node;
    bool have_header;
    size_t n_columns;
    const cor_field **column; /* the field of each column; NULL: a column we ignore */
    bool out_of_memory;
} pair_file;

static const cor_field *field_named(const cor_field *table, const char *name)
{
    for (const cor_field *f = table; f->name; f++)
        if (strcmp(f->name, name) == 0) return f;
    return NULL;
}

/* Maps columns to fields; reports missing required columns. False: the file is unusable. */
static bool read_header(pair_file *pf, char **cells, size_t n, long line)
{
    bool ok = true;
    pf->have_header = true;
    pf->n_columns = n;
    pf->column = calloc(n, sizeof *pf->column);
    if (!pf->column) {
        pf->out_of_memory = true;
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        pf->column[i] = field_named(pf->table, cells[i]);
        for (size_t k = 0; k < i && pf->column[i]; k++)
            if (pf->column[k] == pf->column[i]) {
                cor_report_add(pf->r, COR_ERR_INPUT, line, -1, cells[i],
                               "column appears twice in the header (columns %zu and %zu)",
                               k + 1, i + 1);
                ok = false;
            }
    }
    for (const cor_field *f = pf->table; f->name; f++) {
        bool found = false;
        for (size_t i = 0; i < n; i++) found = found || pf->column[i] == f;
        if (f->required && !found) {
            cor_report_add(pf->r, COR_ERR_INPUT, line, -1, f->name,
                           "required column is missing from the header");
            ok = false;
        }
    }
    return ok;
}

/* Fills a node or link from a data row; false after reporting a bad cell. */
static bool read_cells(pair_file *pf, void *obj, char **cells, long line)
{
    bool ok = true;
    char why[200];
    for (size_t i = 0; i < pf->n_columns; i++) {
        const cor_field *f = pf->column[i];
        if (!f) continue;
        if (!cells[i][0]) {
            if (f->required) {
                cor_report_add(pf->r, COR_ERR_INPUT, line, -1, f->name,
                               "required value is empty");
                ok = false;
            }
        } else if (!cor_field_set_text(f, obj, cells[i], why, sizeof why)) {
            cor_report_add(pf->r, COR_ERR_INPUT, line, -1, f->name, "%s", why);
            ok = false;
        }
    }
    return ok;
}

static bool on_pair_row(void *ctx, char **cells, size_t n, long line)
{
    pair_file *pf = ctx;
    if (!pf->have_header) return read_header(pf, cells, n, line);
    if (n != pf->n_columns) {
        cor_report_add(pf->r, COR_ERR_INPUT, line, -1, NULL,
                       "the row has %zu columns, the header has %zu", n, pf->n_columns);
        return true;
    }
    cor_status status = COR_OK;
    if (pf->is_node) {
        cor_node node;
        cor_node_init(&node);
        if (read_cells(pf, &node, cells, line))
            status = cor_builder_add_node(pf->b, &node, line, -1);
    } else {
        cor_link link;
        cor_link_init(&link);
        if (read_cells(pf, &link, cells, line))
            status = cor_builder_add_link(pf->b, &link, NULL, 0, line, -1);
    }
    pf->out_of_memory = status != COR_OK;
    return !pf->out_of_memory;
}

static cor_status load_pair_file(cor_builder *b, const char *path, bool is_node,
                                 cor_report *r)
{
    pair_file pf = {.b = b, .r = r, .is_node = is_node};
    pf.table = is_node ? cor_node_fields : cor_link_fields;
    r->file = path;
    size_t before = r->problems;
    cor_status status = cor_csv_read(path, on_pair_row, &pf, r);
    free(pf.column);
    if (status == COR_OK && pf.out_of_memory) {
        cor_report_add(r, COR_ERR_NOMEM, -1, -1, NULL, "out of memory");
        status = COR_ERR_NOMEM;
    }
    if (status == COR_OK && !pf.have_header && r->problems == before)
        cor_report_add(r, COR_ERR_INPUT, 1, -1, NULL,
                       "the file is empty: a header row naming the columns is required");
    return status;
}

cor_status cor_load_csv_pair(cor_builder *b, const char *nodes_path, const char *links_path,
                             cor_report *r)
{
    const char *file = r->file;
    cor_status status = load_pair_file(b, nodes_path, true, r);
    /* Read links.csv even when nodes.csv failed, to report its problems in the same run. */
    if (status != COR_ERR_NOMEM) status = load_pair_file(b, links_path, false, r);
    r->file = file;
    return status == COR_ERR_NOMEM ? status : r->status;
}
