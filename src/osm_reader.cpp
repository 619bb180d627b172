/*
 * osm_reader.cpp — the one C++ file of libcorridor: OpenStreetMap files read with
 * libosmium (https://osmcode.org/libosmium/, Debian libosmium2-dev), handed to C callbacks.
 *
 * The idea: libosmium decodes every OSM format (PBF blocks decompressed on its own thread
 * pool, XML through expat, gzip and bzip2 transparently) and assembles multipolygons
 * correctly (rings from unordered member ways, inner and outer roles, touching rings).
 * This file only walks what it reads and calls the C side (osm_reader.h); it keeps no
 * OSM data of its own except, for country boundaries, libosmium's multipolygon manager
 * (the admin_level=2 relations and their member ways) and the locations of those member
 * ways' nodes — a few thousand nodes per country, not the file.
 *
 * Passes (each a full read of the file, decoding only the object kinds asked for):
 *   relations (only with boundaries): the MultipolygonManager's first pass, and the ids
 *             of the member ways of admin_level=2 relations that carry an ISO code;
 *   ways:     every way to the C side; member ways' node ids remembered;
 *   nodes:    every node to the C side; member nodes' locations into a sparse index,
 *             member ways located and fed to the manager, which assembles the areas.
 *
 * The trade-off: two or three reads of the file instead of one, so that memory is bounded
 * by what the caller keeps (the ways that pass its filter and their nodes) and not by the
 * whole file. Every exception is caught here and becomes a cor_error problem naming the
 * file; none crosses into C.
 */
#include "osm_reader.h"

#include <osmium/area/assembler.hpp>
#include <osmium/area/multipolygon_manager.hpp>
#include <osmium/handler.hpp>
#include <osmium/handler/node_locations_for_ways.hpp>
#include <osmium/index/map/sparse_mem_array.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/osm/area.hpp>
#include <osmium/tags/tags_filter.hpp>
#include <osmium/visitor.hpp>

#include <cctype>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <system_error>
#include <unordered_set>
#include <vector>

namespace {

using location_index = osmium::index::map::SparseMemArray<osmium::unsigned_object_id_type,
                                                          osmium::Location>;
using location_handler = osmium::handler::NodeLocationsForWays<location_index>;
using mp_manager = osmium::area::MultipolygonManager<osmium::area::Assembler>;

/* Thrown when a C callback asks to stop; the callback has reported why. */
struct stop_read {};

/* The ISO 3166-1 alpha-2 code of a country boundary, upper-cased ("ad" in Andorra's own
 * relation), or "" when the object is not one. */
std::string country_code(const osmium::TagList &tags)
{
    const char *boundary = tags.get_value_by_key("boundary");
    const char *level = tags.get_value_by_key("admin_level");
    if (!boundary || std::strcmp(boundary, "administrative") != 0 || !level ||
        std::strcmp(level, "2") != 0)
        return "";
    const char *code = tags.get_value_by_key("ISO3166-1:alpha2");
    if (!code) code = tags.get_value_by_key("ISO3166-1");
    if (!code || std::strlen(code) != 2) return "";
    std::string s;
    for (const char *p = code; *p; p++) {
        if (!std::isalpha(static_cast<unsigned char>(*p))) return "";
        s += static_cast<char>(std::toupper(static_cast<unsigned char>(*p)));
    }
    return s;
}

/* Relations pass: which ways make up the country boundaries. */
struct boundary_collector : osmium::handler::Handler {
    std::unordered_set<int64_t> *member_ways;
    size_t relations = 0, boundaries = 0;
    void relation(const osmium::Relation &r)
    {
        relations++;
        if (country_code(r.tags()).empty()) return;
        boundaries++;
        for (const auto &m : r.members())
            if (m.type() == osmium::item_type::way) member_ways->insert(m.ref());
    }
};

} // namespace

struct osm_reader {
    std::string path;
    bool boundaries = false;
    std::unique_ptr<mp_manager> mp;
    std::unordered_set<int64_t> member_ways, member_nodes;
    size_t relations = 0, boundary_relations = 0;
};

namespace {

/* Ways pass. */
struct way_pass : osmium::handler::Handler {
    osm_reader *r;
    const osm_handlers *h;
    size_t ways = 0;
    std::vector<osm_tag> tags;
    std::vector<int64_t> refs;
    void way(const osmium::Way &w)
    {
        ways++;
        tags.clear();
        refs.clear();
        for (const auto &t : w.tags()) tags.push_back(osm_tag{t.key(), t.value()});
        for (const auto &n : w.nodes()) refs.push_back(n.ref());
        if (r->boundaries && r->member_ways.count(w.id()))
            r->member_nodes.insert(refs.begin(), refs.end());
        osm_way v{w.id(), tags.data(), tags.size(), refs.data(), refs.size()};
        if (h->way && !h->way(h->ctx, &v)) throw stop_read{};
    }
};

/* Nodes pass: every node to C; boundary members located for the assembler. */
struct node_pass : osmium::handler::Handler {
    osm_reader *r;
    const osm_handlers *h;
    location_handler *locations;
    size_t nodes = 0;
    void node(const osmium::Node &n)
    {
        nodes++;
        const osmium::Location loc = n.location();
        if (loc.valid() && h->node && !h->node(h->ctx, n.id(), loc.lon(), loc.lat()))
            throw stop_read{};
        if (locations && r->member_nodes.count(n.id())) locations->node(n);
    }
    void way(osmium::Way &w)
    {
        if (locations && r->member_ways.count(w.id())) locations->way(w);
    }
};

/* Hands every ring of every assembled country area to C. */
struct area_pass : osmium::handler::Handler {
    const osm_handlers *h;
    size_t areas = 0;
    std::vector<double> xy;
    void ring(const std::string &code, const osmium::NodeRefList &ring, bool outer)
    {
        xy.clear();
        for (const auto &n : ring) {
            xy.push_back(n.location().lon());
            xy.push_back(n.location().lat());
        }
        if (h->ring && !h->ring(h->ctx, code.c_str(), areas, outer, xy.data(), xy.size() / 2))
            throw stop_read{};
    }
    void area(const osmium::Area &a)
    {
        std::string code = country_code(a.tags());
        if (code.empty()) return;
        bool any = false; /* a relation the assembler could not close gives an empty area */
        for (const auto &outer : a.outer_rings()) {
            ring(code, outer, true);
            for (const auto &inner : a.inner_rings(outer)) ring(code, inner, false);
            any = true;
        }
        areas += any;
    }
};

/* Runs one pass, turning every exception into a problem. */
template <typename F> cor_status guarded(const osm_reader *r, cor_error *err, F &&pass)
{
    const char *file = r->path.c_str(); /* set before the first pass */
    try {
        pass();
        return COR_OK;
    } catch (const stop_read &) {
        cor_status st = cor_error_status(err);
        return st != COR_OK ? st : COR_ERR_INPUT;
    } catch (const std::bad_alloc &) {
        return cor_error_add(err, COR_ERR_NOMEM, file, -1, -1, nullptr, "out of memory");
    } catch (const std::system_error &e) {
        return cor_error_add(err, COR_ERR_IO, file, -1, -1, nullptr, "cannot read: %s",
                             e.what());
    } catch (const std::exception &e) {
        return cor_error_add(err, COR_ERR_INPUT, file, -1, -1, nullptr,
                             "not a readable OpenStreetMap file: %s", e.what());
    } catch (...) {
        return cor_error_add(err, COR_ERR_INPUT, file, -1, -1, nullptr,
                             "not a readable OpenStreetMap file");
    }
}

} // namespace

extern "C" cor_status osm_reader_new(osm_reader **out, const char *path, bool boundaries,
                                     cor_error *err)
{
    *out = nullptr;
    osm_reader *r = new (std::nothrow) osm_reader;
    if (!r) return cor_error_add(err, COR_ERR_NOMEM, path, -1, -1, nullptr, "out of memory");
    *out = r;
    try {
        r->path = path;
    } catch (const std::bad_alloc &) {
        return cor_error_add(err, COR_ERR_NOMEM, path, -1, -1, nullptr, "out of memory");
    }
    return guarded(r, err, [&] {
        r->boundaries = boundaries;
        if (!boundaries) return;
        osmium::TagsFilter filter{false};
        filter.add_rule(true, "admin_level", "2");
        osmium::area::Assembler::config_type config;
        r->mp = std::make_unique<mp_manager>(config, filter);
        boundary_collector collect;
        collect.member_ways = &r->member_ways;
        osmium::io::Reader reader{osmium::io::File{r->path}, osmium::osm_entity_bits::relation};
        osmium::apply(reader, *r->mp, collect);
        reader.close();
        r->mp->prepare_for_lookup();
        r->relations = collect.relations;
        r->boundary_relations = collect.boundaries;
    });
}

extern "C" cor_status osm_read_ways(osm_reader *r, const osm_handlers *h, osm_counts *counts,
                                    cor_error *err)
{
    return guarded(r, err, [&] {
        way_pass pass;
        pass.r = r;
        pass.h = h;
        osmium::io::Reader reader{osmium::io::File{r->path}, osmium::osm_entity_bits::way};
        osmium::apply(reader, pass);
        reader.close();
        counts->ways = pass.ways;
        counts->relations = r->relations;
        counts->boundary_relations = r->boundary_relations;
    });
}

extern "C" cor_status osm_read_nodes(osm_reader *r, const osm_handlers *h, osm_counts *counts,
                                     cor_error *err)
{
    return guarded(r, err, [&] {
        location_index index;
        location_handler locations{index};
        locations.ignore_errors(); /* a member node outside the extract: no area, no throw */
        node_pass pass;
        pass.r = r;
        pass.h = h;
        pass.locations = r->boundaries ? &locations : nullptr;
        area_pass areas;
        areas.h = h;
        if (r->boundaries) {
            osmium::io::Reader reader{osmium::io::File{r->path},
                                      osmium::osm_entity_bits::node | osmium::osm_entity_bits::way};
            auto assembled = r->mp->handler(
                [&areas](osmium::memory::Buffer &&buffer) { osmium::apply(buffer, areas); });
            osmium::apply(reader, pass, assembled);
            reader.close();
        } else {
            osmium::io::Reader reader{osmium::io::File{r->path}, osmium::osm_entity_bits::node};
            osmium::apply(reader, pass);
            reader.close();
        }
        counts->nodes = pass.nodes;
        counts->boundary_areas = areas.areas;
    });
}

extern "C" void osm_reader_free(osm_reader *r)
{
    delete r;
}
