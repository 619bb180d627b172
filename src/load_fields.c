/*
 * load_fields.c — the attributes of nodes and links, by the names files use.
 *
 * GeoJSON properties and CSV columns carry the same names ("capacity", "mode", ...), so
 * one table per element says where each lands in cor_node or cor_link and of what kind it
 * is. Loaders look names up here instead of each repeating a list of strcmp()s, and a new
 * attribute is one new line.
 */
#include "load.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define NODE(name, kind, req) {#name, COR_FIELD_##kind, offsetof(cor_node, name), req, false}
#define LINK(name, kind, req) {#name, COR_FIELD_##kind, offsetof(cor_link, name), req, false}

const cor_field cor_node_fields[] = {
    NODE(id, STRING, true),
    NODE(name, STRING, false),
    NODE(country, STRING, false),
    NODE(kind, STRING, false),
    NODE(capacity, NUMBER, false),
    NODE(transfer_hours, NUMBER, false),
    NODE(transfer_usd, NUMBER, false),
    NODE(transfer_co2_kg, NUMBER, false),
    NODE(transship_hours, NUMBER, false),
    NODE(transship_usd, NUMBER, false),
    NODE(source, STRING, false),
    {"lon", COR_FIELD_NUMBER, offsetof(cor_node, lon), true, true},
    {"lat", COR_FIELD_NUMBER, offsetof(cor_node, lat), true, true},
    {NULL, COR_FIELD_STRING, 0, false, false},
};

const cor_field cor_link_fields[] = {
    LINK(id, STRING, true),
    {"from", COR_FIELD_STRING, offsetof(cor_link, from_id), true, false},
    {"to", COR_FIELD_STRING, offsetof(cor_link, to_id), true, false},
    LINK(layer, LAYER, false),
    LINK(mode, MODE, true),
    LINK(status, STATUS, false),
    {"directed", COR_FIELD_DIRECTED, 0, false, false},
    LINK(length_km, NUMBER, false),
    LINK(speed_kmh, NUMBER, false),
    LINK(duration_hours, NUMBER, false),
    LINK(cost, NUMBER, false),
    LINK(reverse_cost, NUMBER, false),
    LINK(co2_kg, NUMBER, false),
    LINK(capacity, NUMBER, false),
    LINK(reverse_capacity, NUMBER, false),
    LINK(frequency_per_week, NUMBER, false),
    LINK(border_dwell_hours, NUMBER, false),
    LINK(clearance_days, NUMBER, false),
    LINK(gauge_mm, INT, false),
    LINK(source, STRING, false),
    {NULL, COR_FIELD_STRING, 0, false, false},
};

static void *member(const cor_field *f, void *obj)
{
    return (char *)obj + f->offset;
}

void cor_field_set_number(const cor_field *f, void *obj, double v)
{
    if (f->kind == COR_FIELD_INT) *(int *)member(f, obj) = (int)v;
    else *(double *)member(f, obj) = v;
}

void cor_field_set_bool(const cor_field *f, void *obj, bool directed)
{
    ((cor_link *)obj)->backward = !directed;
}

/* "rail, road, ferry, ..." for messages about unknown names. */
static void list_names(const char *(*name_of)(int), char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; name_of(i) && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", name_of(i));
}

static const char *mode_name(int i)
{
    return cor_mode_name((cor_mode)i);
}

static const char *layer_name(int i)
{
    return cor_layer_name((cor_layer)i);
}

static const char *status_name(int i)
{
    return cor_link_status_name((cor_link_status)i);
}

bool cor_field_set_name(const cor_field *f, void *obj, const char *s, char *why, size_t size)
{
    bool ok = false;
    const char *(*name_of)(int) = NULL;
    switch (f->kind) {
    case COR_FIELD_LAYER:
        ok = cor_layer_parse(s, (cor_layer *)member(f, obj));
        name_of = layer_name;
        break;
    case COR_FIELD_MODE:
        ok = cor_mode_parse(s, (cor_mode *)member(f, obj));
        name_of = mode_name;
        break;
    case COR_FIELD_STATUS:
        ok = cor_link_status_parse(s, (cor_link_status *)member(f, obj));
        name_of = status_name;
        break;
    default: break;
    }
    if (!ok && name_of) {
        char names[128];
        list_names(name_of, names, sizeof names);
        snprintf(why, size, "unknown %s '%.40s' (one of: %s)", f->name, s, names);
    }
    return ok;
}

/* For CSV cells: "true"/"false"/"1"/"0", in any case. */
static bool parse_bool(const char *s, bool *out)
{
    if (!strcasecmp(s, "true") || !strcmp(s, "1")) *out = true;
    else if (!strcasecmp(s, "false") || !strcmp(s, "0")) *out = false;
    else return false;
    return true;
}

bool cor_field_set_text(const cor_field *f, void *obj, const char *text, char *why,
                        size_t size)
{
    double d;
    long l;
    bool b;
    switch (f->kind) {
    case COR_FIELD_STRING: *(const char **)member(f, obj) = text; return true;
    case COR_FIELD_NUMBER:
        if (cor_parse_double(text, &d)) {
            cor_field_set_number(f, obj, d);
            return true;
        }
        snprintf(why, size, "'%.40s' is not a finite decimal number", text);
        return false;
    case COR_FIELD_INT:
        if (cor_parse_long(text, &l) && l >= INT_MIN && l <= INT_MAX) {
            *(int *)member(f, obj) = (int)l;
            return true;
        }
        snprintf(why, size, "'%.40s' is not an integer", text);
        return false;
    case COR_FIELD_DIRECTED:
        if (parse_bool(text, &b)) {
            cor_field_set_bool(f, obj, b);
            return true;
        }
        snprintf(why, size, "'%.40s' is not a boolean (true, false, 1 or 0)", text);
        return false;
    default: return cor_field_set_name(f, obj, text, why, size);
    }
}
