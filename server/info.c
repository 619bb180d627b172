/*
 * info.c — /v1/info: what the served network is, for a page that has never seen it.
 *
 * The map page used to carry the embedded model's words (its title, the Caspian, TEU) and
 * its demand (Xi'an and Shanghai to Duisburg and Rotterdam); on any other network it was
 * wrong. Now it asks here: the network's name, counts, the layers and modes present, the
 * measures and objectives routes on it have (cor_network_measures, for the transport links
 * the page routes on), the unit of its cost and what its figures are per, its corridors and
 * the server's scenarios, the box to fit the map to, and the demand behind the heat map
 * (cor_network_reference_demand).
 *
 * The network and the scenarios never change while the server runs, so the document is
 * built once at start; each request gets a copy (jansson values are not shared between
 * threads).
 */
#include "output.h"
#include "server.h"

#include <stdlib.h>
#include <string.h>

/* The stand-in demand's size when the network carries none: 4 places, 6 pairs. */
#define INFO_DEMAND_PLACES 4

static json_t *names_of(unsigned set, int count, const char *(*name)(int))
{
    json_t *list = json_array();
    for (int i = 0; i < count; i++)
        if (set & (1u << i)) json_array_append_new(list, json_string(name(i)));
    return list;
}

static const char *layer_name(int i) { return cor_layer_name((cor_layer)i); }
static const char *mode_name(int i) { return cor_mode_name((cor_mode)i); }
static const char *measure_name(int i) { return cor_measure_name((cor_measure)i); }
static const char *objective_name(int i) { return cor_objective_name((cor_objective)i); }

static json_t *described(const char *id, const char *name, const char *description)
{
    return json_pack("{s:s, s:s, s:o}", "id", id, "name", name ? name : id, "description",
                     description ? json_string(description) : json_null());
}

static json_t *corridors_of(const cor_network *net)
{
    json_t *list = json_array();
    for (size_t i = 0; i < cor_network_corridor_count(net); i++) {
        const cor_corridor *c = cor_network_corridor(net, i);
        json_array_append_new(list, described(c->id, c->name, c->description));
    }
    return list;
}

/* {"source": "network" | "spread", "pairs": [{from, to, quantity}]}; null when the
 * network has no two places to join (the page then offers no heat map). */
static json_t *demand_of(const cor_network *net, const cor_profile *p)
{
    cor_demand *d;
    size_t n, own;
    cor_error err;
    cor_error_init(&err);
    cor_network_demand(net, &own);
    json_t *doc = json_null();
    if (cor_network_reference_demand(net, p, INFO_DEMAND_PLACES, &d, &n, &err) == COR_OK) {
        json_t *pairs = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(pairs, json_pack("{s:s, s:s, s:f}", "from",
                                                   cor_network_node(net, d[i].from)->id, "to",
                                                   cor_network_node(net, d[i].to)->id,
                                                   "quantity", d[i].quantity));
        json_decref(doc);
        doc = json_pack("{s:s, s:o}", "source", own ? "network" : "spread", "pairs", pairs);
        free(d);
    }
    cor_error_clear(&err);
    return doc;
}

/* The network's name: its own, else its file's name. */
static const char *name_of(const cor_network *net)
{
    const char *name = cor_network_name(net), *file = cor_network_source_file(net);
    const char *slash = strrchr(file, '/');
    return name ? name : slash ? slash + 1 : file;
}

json_t *srv_info_build(const srv *s)
{
    const cor_network *net = s->net;
    unsigned layers = 0, modes = 0, measures = 0, objectives = 0;
    for (uint32_t i = 0; i < cor_network_link_count(net); i++) {
        layers |= 1u << cor_network_link(net, i)->layer;
        modes |= 1u << cor_network_link(net, i)->mode;
    }
    cor_profile p;
    cor_profile_init(&p); /* the page's: transport links, open ones */
    cor_error err;
    cor_error_init(&err);
    cor_network_measures(net, &p, &measures, &objectives, &err);
    cor_error_clear(&err);
    json_t *scenarios = json_array();
    for (size_t i = 0; i < s->n_scenarios; i++)
        json_array_append_new(scenarios, described(s->scenarios[i].id, s->scenarios[i].name,
                                                   s->scenarios[i].description));
    double b[4];
    json_t *bbox = cor_network_bbox(net, b) ? json_pack("[f, f, f, f]", b[0], b[1], b[2], b[3])
                                            : json_null();
    const char *unit = cor_network_unit(net);
    return json_pack("{s:s, s:o, s:I, s:I, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o}",
                     "name", name_of(net), "unit", unit ? json_string(unit) : json_null(),
                     "nodes", (json_int_t)cor_network_node_count(net),
                     "links", (json_int_t)cor_network_link_count(net),
                     "layers", names_of(layers, COR_LAYER_COUNT, layer_name),
                     "modes", names_of(modes, COR_MODE_COUNT, mode_name),
                     "measures", names_of(measures, COR_MEASURE_COUNT, measure_name),
                     "objectives", names_of(objectives, 8 * (int)sizeof objectives, objective_name),
                     "cost_unit", money_unit(net), "corridors", corridors_of(net),
                     "scenarios", scenarios, "bbox", bbox, "demand", demand_of(net, &p));
}
