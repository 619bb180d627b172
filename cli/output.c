/*
 * output.c — results as JSON (jansson), GeoJSON, CSV (libcsv's quoting) and tables.
 *
 * Unknown quantities are NaN in the library; they become null in JSON, empty cells in
 * CSV and "-" in tables, never a made-up 0.
 */
#include "output.h"
#include "cli.h"

#include <csv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

json_t *json_num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

json_t *totals_to_json(const cor_totals *t)
{
    json_t *o = json_object();
    json_object_set_new(o, "cost", json_num(t->cost));
    json_object_set_new(o, "hours", json_num(t->hours));
    json_object_set_new(o, "days", json_num(t->hours / 24));
    json_object_set_new(o, "usd", json_num(t->usd));
    json_object_set_new(o, "co2_kg", json_num(t->co2_kg));
    json_object_set_new(o, "km", json_num(t->km));
    json_object_set_new(o, "transfers", json_integer(t->transfers));
    json_object_set_new(o, "borders", json_integer(t->borders));
    return o;
}

static json_t *leg_properties(const cor_network *net, const cor_leg *leg)
{
    json_t *o = json_object();
    bool transfer = leg->kind == COR_LEG_TRANSFER;
    json_object_set_new(o, "kind", json_string(transfer ? "transfer" : "link"));
    json_object_set_new(o, "link", transfer ? json_null()
                                            : json_string(cor_network_link_id(net, leg->link)));
    json_object_set_new(o, "from", json_string(cor_network_node_id(net, leg->from)));
    json_object_set_new(o, "to", json_string(cor_network_node_id(net, leg->to)));
    json_object_set_new(o, "mode", json_string(cor_mode_name(leg->mode)));
    json_object_set_new(o, "gauge_mm", leg->gauge_mm ? json_integer(leg->gauge_mm) : json_null());
    json_object_set_new(o, "cost", json_num(leg->cost));
    json_object_set_new(o, "hours", json_num(leg->hours));
    json_object_set_new(o, "usd", json_num(leg->usd));
    json_object_set_new(o, "co2_kg", json_num(leg->co2_kg));
    json_object_set_new(o, "km", json_num(leg->km));
    json_object_set_new(o, "wait_hours", json_num(leg->wait_hours));
    json_object_set_new(o, "dwell_hours", json_num(leg->dwell_hours));
    json_object_set_new(o, "border", json_boolean(leg->border));
    return o;
}

json_t *route_to_json(const cor_network *net, const cor_route *r)
{
    json_t *o = json_object(), *legs = json_array();
    json_object_set_new(o, "totals", totals_to_json(&r->totals));
    for (size_t i = 0; i < r->n_legs; i++)
        json_array_append_new(legs, leg_properties(net, &r->legs[i]));
    json_object_set_new(o, "legs", legs);
    return o;
}

static json_t *position(double lon, double lat)
{
    json_t *p = json_array();
    json_array_append_new(p, json_real(lon));
    json_array_append_new(p, json_real(lat));
    return p;
}

/* The leg's line in the direction travelled: the link's own geometry when it has one,
 * else the straight line between its nodes; null when positions are unknown. */
static json_t *leg_geometry(const cor_network *net, const cor_leg *leg)
{
    if (leg->kind == COR_LEG_LINK)
        return link_geometry(net, leg->link, leg->from != cor_network_link(net, leg->link)->from);
    const cor_node *a = cor_network_node(net, leg->from);
    if (isnan(a->lon)) return json_null();
    return json_pack("{s:s, s:o}", "type", "Point", "coordinates", position(a->lon, a->lat));
}

json_t *link_geometry(const cor_network *net, uint32_t link, bool reversed)
{
    const cor_link *l = cor_network_link(net, link);
    const cor_node *a = cor_network_node(net, reversed ? l->to : l->from);
    const cor_node *b = cor_network_node(net, reversed ? l->from : l->to);
    const double *xy = cor_network_coords(net);
    json_t *coords = json_array();
    if (l->geom_count >= 2) {
        for (uint32_t k = 0; k < l->geom_count; k++) {
            uint32_t i = l->geom_first + (reversed ? l->geom_count - 1 - k : k);
            json_array_append_new(coords, position(xy[2 * i], xy[2 * i + 1]));
        }
    } else if (!isnan(a->lon) && !isnan(b->lon)) {
        json_array_append_new(coords, position(a->lon, a->lat));
        json_array_append_new(coords, position(b->lon, b->lat));
    } else {
        json_decref(coords);
        return json_null();
    }
    json_t *g = json_object();
    json_object_set_new(g, "type", json_string("LineString"));
    json_object_set_new(g, "coordinates", coords);
    return g;
}

void route_add_geometry(const cor_network *net, const cor_route *r, json_t *route_json)
{
    json_t *legs = json_object_get(route_json, "legs");
    for (size_t i = 0; i < r->n_legs && i < json_array_size(legs); i++) {
        const cor_leg *leg = &r->legs[i];
        json_object_set_new(json_array_get(legs, i), "geometry",
                            leg->kind == COR_LEG_LINK ? leg_geometry(net, leg) : json_null());
    }
}

void route_to_features(const cor_network *net, const cor_route *r, int index, json_t *features)
{
    for (size_t i = 0; i < r->n_legs; i++) {
        json_t *f = json_object(), *props = leg_properties(net, &r->legs[i]);
        json_object_set_new(props, "route", json_integer(index));
        json_object_set_new(props, "seq", json_integer((json_int_t)i + 1));
        json_object_set_new(f, "type", json_string("Feature"));
        json_object_set_new(f, "geometry", leg_geometry(net, &r->legs[i]));
        json_object_set_new(f, "properties", props);
        json_array_append_new(features, f);
    }
}

/* Sets a number only when it is known, as the files leave unknown values out. */
static void set_known(json_t *o, const char *key, double v)
{
    if (isfinite(v)) json_object_set_new(o, key, json_real(v));
}

static void set_text(json_t *o, const char *key, const char *v)
{
    if (v) json_object_set_new(o, key, json_string(v));
}

static json_t *node_feature(const cor_node *n)
{
    json_t *p = json_object();
    set_text(p, "id", n->id);
    set_text(p, "name", n->name);
    set_text(p, "country", n->country);
    set_text(p, "kind", n->kind);
    set_known(p, "capacity", n->capacity);
    set_known(p, "transfer_hours", n->transfer_hours);
    set_known(p, "transfer_usd", n->transfer_usd);
    set_known(p, "transfer_co2_kg", n->transfer_co2_kg);
    set_known(p, "transship_hours", n->transship_hours);
    set_known(p, "transship_usd", n->transship_usd);
    set_text(p, "source", n->source);
    json_t *g = isnan(n->lon) ? json_null()
                              : json_pack("{s:s, s:o}", "type", "Point", "coordinates",
                                          position(n->lon, n->lat));
    return json_pack("{s:s, s:o, s:o}", "type", "Feature", "geometry", g, "properties", p);
}

/* A link that runs only to → from (pgRouting's cost < 0, reverse_cost ≥ 0) is written
 * turned round, since the file's "directed" means from → to: its ends, geometry and
 * per-direction figures swap, so the file loads back as the same network. */
static json_t *link_feature(const cor_network *net, uint32_t i, const cor_scenario *sc)
{
    const cor_link *l = cor_network_link(net, i);
    bool turn = !l->forward && l->backward;
    cor_link_status status = cor_scenario_link_status(sc, net, i);
    if (cor_scenario_node_closed(sc, l->from) || cor_scenario_node_closed(sc, l->to))
        status = COR_STATUS_CLOSED;
    json_t *p = json_object();
    set_text(p, "id", l->id);
    set_text(p, "from", cor_network_node_id(net, turn ? l->to : l->from));
    set_text(p, "to", cor_network_node_id(net, turn ? l->from : l->to));
    set_text(p, "layer", cor_layer_name(l->layer));
    set_text(p, "mode", cor_mode_name(l->mode));
    set_text(p, "status", cor_link_status_name(status));
    json_object_set_new(p, "directed", json_boolean(!(l->forward && l->backward)));
    set_known(p, "length_km", l->length_km);
    set_known(p, "speed_kmh", l->speed_kmh);
    set_known(p, "duration_hours", l->duration_hours);
    set_known(p, "cost", turn ? l->reverse_cost : l->cost);
    set_known(p, "reverse_cost", turn ? l->cost : l->reverse_cost);
    set_known(p, "co2_kg", l->co2_kg);
    set_known(p, "capacity", turn ? l->reverse_capacity : l->capacity);
    set_known(p, "reverse_capacity", turn ? l->capacity : l->reverse_capacity);
    set_known(p, "frequency_per_week", l->frequency_per_week);
    set_known(p, "border_dwell_hours", l->border_dwell_hours);
    set_known(p, "clearance_days", l->clearance_days);
    if (l->gauge_mm) json_object_set_new(p, "gauge_mm", json_integer(l->gauge_mm));
    set_text(p, "source", l->source);
    return json_pack("{s:s, s:o, s:o}", "type", "Feature", "geometry",
                     link_geometry(net, i, turn), "properties", p);
}

/* A corridor as the GeoJSON "corridors" member spells it (docs/FORMAT.md). */
static json_t *corridor_to_json(const cor_network *net, const cor_corridor *c)
{
    json_t *o = json_pack("{s:s}", "id", c->id), *through = json_array(), *avoid = json_array();
    if (c->name) json_object_set_new(o, "name", json_string(c->name));
    if (c->description) json_object_set_new(o, "description", json_string(c->description));
    for (size_t g = 0, k = 0; g < c->n_groups; g++) {
        json_t *group = json_array();
        for (; k < c->group_end[g]; k++)
            json_array_append_new(group, json_string(cor_network_node_id(net, c->through[k])));
        json_array_append_new(through, group);
    }
    json_object_set_new(o, "through", through);
    for (size_t i = 0; i < c->n_avoid_countries; i++)
        json_array_append_new(avoid, json_string(c->avoid_countries[i]));
    json_object_set_new(o, "avoid_countries", avoid);
    if (c->modes) {
        json_t *modes = json_array();
        for (int m = 0; m < COR_MODE_COUNT; m++)
            if (c->modes & (1u << m)) json_array_append_new(modes, json_string(cor_mode_name(m)));
        json_object_set_new(o, "modes", modes);
    }
    return o;
}

void network_about_to_json(const cor_network *net, json_t *doc)
{
    if (cor_network_name(net)) json_object_set_new(doc, "name", json_string(cor_network_name(net)));
    if (cor_network_unit(net)) json_object_set_new(doc, "unit", json_string(cor_network_unit(net)));
    size_t nd, nc = cor_network_corridor_count(net);
    const cor_demand *d = cor_network_demand(net, &nd);
    if (nd) {
        json_t *a = json_array();
        for (size_t i = 0; i < nd; i++)
            json_array_append_new(a, json_pack("{s:s, s:s, s:f}", "from",
                                               cor_network_node_id(net, d[i].from), "to",
                                               cor_network_node_id(net, d[i].to), "quantity",
                                               d[i].quantity));
        json_object_set_new(doc, "demand", a);
    }
    if (nc) {
        json_t *a = json_array();
        for (size_t i = 0; i < nc; i++)
            json_array_append_new(a, corridor_to_json(net, cor_network_corridor(net, i)));
        json_object_set_new(doc, "corridors", a);
    }
}

json_t *network_to_geojson(const cor_network *net, unsigned layers, const cor_scenario *sc)
{
    size_t nn = cor_network_node_count(net), nl = cor_network_link_count(net);
    bool all = (layers & ((1u << COR_LAYER_COUNT) - 1)) == (1u << COR_LAYER_COUNT) - 1;
    unsigned char *touched = calloc(nn + 1, 1);
    json_t *features = json_array();
    for (uint32_t i = 0; touched && i < nl; i++) {
        const cor_link *l = cor_network_link(net, i);
        if (layers & (1u << l->layer)) touched[l->from] = touched[l->to] = 1;
    }
    for (uint32_t v = 0; touched && v < nn; v++)
        if (all || touched[v]) json_array_append_new(features, node_feature(cor_network_node(net, v)));
    for (uint32_t i = 0; touched && i < nl; i++)
        if (layers & (1u << cor_network_link(net, i)->layer))
            json_array_append_new(features, link_feature(net, i, sc));
    free(touched);
    json_t *doc = json_pack("{s:s}", "type", "FeatureCollection");
    network_about_to_json(net, doc);
    json_object_set_new(doc, "features", features);
    return doc;
}

bool json_write(FILE *f, json_t *j)
{
    int rc = json_dumpf(j, f, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    return rc == 0 && fputc('\n', f) != EOF;
}

void csv_field(FILE *f, const char *s, const char *sep)
{
    /* Quoted (by libcsv) only when it must be, so plain ids stay plain. */
    if (s && strpbrk(s, ",\"\r\n")) csv_fwrite(f, s, strlen(s));
    else if (s) fputs(s, f);
    fputs(sep, f);
}

void csv_number(FILE *f, double v, const char *sep)
{
    if (isfinite(v)) fprintf(f, "%.12g", v);
    fputs(sep, f);
}

const char *fmt_hours(char *buf, size_t size, double h)
{
    char a[32], b[32];
    if (!isfinite(h)) return snprintf(buf, size, "-"), buf;
    snprintf(buf, size, "%s h (%s days)", fmt_num(a, sizeof a, h, 1), fmt_num(b, sizeof b, h / 24, 1));
    return buf;
}

static const char *leg_mode(char *buf, size_t size, const cor_leg *leg)
{
    if (leg->gauge_mm) snprintf(buf, size, "%s %d", cor_mode_name(leg->mode), leg->gauge_mm);
    else snprintf(buf, size, "%s", cor_mode_name(leg->mode));
    return buf;
}

const char *money_unit(const cor_network *net)
{
    cor_format fmt = cor_network_format(net);
    return fmt == COR_FORMAT_PGROUTING || fmt == COR_FORMAT_DIMACS ? "cost" : "USD";
}

void route_print_table(FILE *f, const cor_network *net, const cor_route *r)
{
    char m[32], km[32], h[32], usd[32], co2[32];
    fprintf(f, "  %3s  %-20s %-20s %-10s %9s %9s %9s %9s  %s\n", "#", "from", "to", "mode", "km",
            "hours", money_unit(net), "kg CO2", "notes");
    for (size_t i = 0; i < r->n_legs; i++) {
        const cor_leg *leg = &r->legs[i];
        const char *from = cor_network_node_id(net, leg->from);
        const char *to = cor_network_node_id(net, leg->to);
        char notes[128] = "";
        if (leg->kind == COR_LEG_TRANSFER) {
            bool gauge = leg->mode == COR_MODE_RAIL && i > 0 && r->legs[i - 1].mode == COR_MODE_RAIL;
            snprintf(notes, sizeof notes, "%s at %s", gauge ? "change of gauge" : "transfer", from);
            to = "";
        } else {
            size_t n = 0;
            if (leg->wait_hours > 0)
                n += snprintf(notes + n, sizeof notes - n, "wait %.1f h ", leg->wait_hours);
            if (leg->dwell_hours > 0)
                n += snprintf(notes + n, sizeof notes - n, "border dwell %.1f h ", leg->dwell_hours);
            else if (leg->border) snprintf(notes + n, sizeof notes - n, "border");
        }
        fprintf(f, "  %3zu  %-20s %-20s %-10s %9s %9s %9s %9s  %s\n", i + 1, from, to,
                leg_mode(m, sizeof m, leg), fmt_num(km, sizeof km, leg->km, 0),
                fmt_num(h, sizeof h, leg->hours, 1), fmt_num(usd, sizeof usd, leg->usd, 0),
                fmt_num(co2, sizeof co2, leg->co2_kg, 0), notes);
    }
    const cor_totals *t = &r->totals;
    char hrs[64];
    fprintf(f, "  total: %s km, %s, %s %s, %s kg CO2; %u transfer%s, %u border crossing%s\n",
            fmt_num(km, sizeof km, t->km, 0), fmt_hours(hrs, sizeof hrs, t->hours),
            fmt_num(usd, sizeof usd, t->usd, 0), money_unit(net), fmt_num(co2, sizeof co2, t->co2_kg, 0),
            t->transfers, t->transfers == 1 ? "" : "s", t->borders, t->borders == 1 ? "" : "s");
}
