/*
 * cmd_import.c — `corridor import`: a network from someone else's data, written in the
 * project's own GeoJSON so every other command reads it at once.
 *
 * The idea: the library does the import (cor_import_osm) and checks what it builds; this
 * file parses options, writes the network atomically (cli_out_open / cli_out_close) and
 * prints a summary on stderr. Sources are one per option — --osm here, --gis in
 * cmd_import_gis.c, to which the command line is handed over — so one command grows with
 * the formats instead of one command per format.
 */
#include "cli.h"
#include "output.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
    "Usage: corridor import --osm FILE [--modes road,rail,ferry] [--bbox W,S,E,N]\n"
    "                       [--road-classes LIST] [--rail-classes LIST] [--countries FILE]\n"
    "                       [--keep-all] -o OUT.geojson|OUT.cor\n"
    "\n"
    "Turns an OpenStreetMap file (.osm.pbf, .osm, .osm.gz, .osm.bz2) into a network: ways\n"
    "become links cut at every intersection, with their geometry, length, speed (maxspeed or\n"
    "a default per class) and one-way rules; nodes are 'n<osm id>', links 'w<way id>.<part>'.\n"
    "The rules and defaults are in docs/FORMAT.md, 'Importing OpenStreetMap'.\n"
    "\n"
    "  --modes LIST         road, rail, ferry (default: road)\n"
    "  --road-classes LIST  highway=* values to keep; 'default' = motorway..residential,\n"
    "                       unclassified and the _links; add service, track, living_street,\n"
    "                       road, path (e.g. --road-classes default,service)\n"
    "  --rail-classes LIST  railway=* values: rail (default), narrow_gauge, light_rail\n"
    "  --bbox W,S,E,N       keep the ways with a node inside (whole, not clipped)\n"
    "  --countries FILE     country polygons for the nodes the file's own admin_level=2\n"
    "                       boundaries do not cover: GeoJSON (an ISO_A2 property) or TopoJSON\n"
    "                       (world-atlas); default: Natural Earth 1:10m from the npm package\n"
    "                       world-atlas (web/node_modules, installed by the set-up), codes\n"
    "                       from Debian's iso-codes; 'none': only the file's boundaries\n"
    "  --keep-all           keep every connected piece (default: the largest road+ferry piece\n"
    "                       and the largest rail piece; what is dropped is said on stderr)\n"
    "  -o, --output FILE    the network: FILE.geojson, or FILE.cor compiled (written whole or\n"
    "                       not at all; GeoJSON on stdout when absent)\n"
    "\n"
    "GIS files (GeoPackage, Shapefile, ...): corridor import --gis FILE (see import --gis --help).\n"
    "\n"
    "Example:\n"
    "  corridor import --osm andorra.osm.pbf --modes road -o andorra.geojson\n"
    "  corridor route --network andorra.geojson --from n52298624 --to n625064 --optimize time\n";

typedef struct import_opts {
    common_opts c;
    cor_osm_options osm;
    const char *osm_path;
    bool countries_set; /* --countries given (else the bundled set, when installed) */
} import_opts;

#ifndef COR_WEB_DIR
#define COR_WEB_DIR "web/dist"
#endif
/* The bundled country polygons: Natural Earth 1:10m admin 0 as the npm package world-atlas
 * ships it (a dependency of the map page), and Debian's ISO 3166-1 table for its numeric ids. */
static const char bundled_countries[] = COR_WEB_DIR "/../node_modules/world-atlas/countries-10m.json";
static const char iso3166_table[] = "/usr/share/iso-codes/json/iso_3166-1.json";

enum { OPT_OSM = 1200, OPT_BBOX, OPT_ROAD_CLASSES, OPT_RAIL_CLASSES, OPT_COUNTRIES, OPT_KEEP_ALL };

static int parse_bbox(const char *arg, double *bb)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", arg);
    size_t n = 0;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (n == 4 || !cor_parse_double(t, &bb[n]))
            return cli_usage_error("import", "--bbox needs WEST,SOUTH,EAST,NORTH in degrees, got '%s'", arg);
        n++;
    }
    if (n != 4) return cli_usage_error("import", "--bbox needs WEST,SOUTH,EAST,NORTH in degrees, got '%s'", arg);
    return 0;
}

static int parse_modes(const char *arg, unsigned *modes)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", arg);
    *modes = 0;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        cor_mode m;
        if (!cor_mode_parse(t, &m) || !(m == COR_MODE_ROAD || m == COR_MODE_RAIL || m == COR_MODE_FERRY))
            return cli_usage_error("import", "--modes takes road, rail and ferry, got '%s'", t);
        *modes |= 1u << m;
    }
    if (!*modes) return cli_usage_error("import", "--modes needs at least one of road, rail, ferry");
    return 0;
}

static int own_option(int opt, const char *arg, void *ctx)
{
    import_opts *o = ctx;
    switch (opt) {
    case OPT_OSM: o->osm_path = arg; return 0;
    case OPT_MODES: return parse_modes(arg, &o->osm.modes);
    case OPT_BBOX: o->osm.has_bbox = true; return parse_bbox(arg, o->osm.bbox);
    case OPT_ROAD_CLASSES: o->osm.road_classes = arg; return 0;
    case OPT_RAIL_CLASSES: o->osm.rail_classes = arg; return 0;
    case OPT_COUNTRIES: o->osm.countries_path = strcmp(arg, "none") ? arg : NULL; o->countries_set = true; return 0;
    case OPT_KEEP_ALL: o->osm.keep_all = true; return 0;
    default: return 1;
    }
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

/* The output's name decides its format: the compiled .cor, or GeoJSON. */
static int check_output(const char *out)
{
    if (!out || strcmp(out, "-") == 0) return 0;
    if (!ends_with(out, ".cor") && !ends_with(out, ".geojson") && !ends_with(out, ".json"))
        return cli_usage_error("import", "%s: name the output *.geojson or *.cor (compiled)", out);
    return 0;
}

static void print_summary(const char *path, const cor_osm_options *o, const cor_osm_stats *s,
                          double seconds)
{
    char a[32], b[32], c[32], d[32];
    fprintf(stderr, "%s: read %s nodes, %s ways, %s relations\n", path,
            fmt_num(a, sizeof a, (double)s->file_nodes, 0), fmt_num(b, sizeof b, (double)s->file_ways, 0),
            fmt_num(c, sizeof c, (double)s->file_relations, 0));
    fprintf(stderr, "  kept %s ways (%s nodes used) -> %s nodes, %s links\n",
            fmt_num(a, sizeof a, (double)s->ways_kept, 0), fmt_num(b, sizeof b, (double)s->nodes_used, 0),
            fmt_num(c, sizeof c, (double)s->nodes, 0), fmt_num(d, sizeof d, (double)s->links, 0));
    for (int m = 0; m < COR_MODE_COUNT; m++)
        if (s->links_by_mode[m])
            fprintf(stderr, "  %-6s %10s links %12s km\n", cor_mode_name(m),
                    fmt_num(a, sizeof a, (double)s->links_by_mode[m], 0), fmt_num(b, sizeof b, s->km_by_mode[m], 1));
    if (o->keep_all)
        fprintf(stderr, "  components: %zu, all kept (--keep-all)\n", s->components);
    else
        fprintf(stderr, "  components: %zu; kept the largest (road and ferry; rail apart), dropped %zu "
                        "(%zu links, %zu nodes)\n",
                s->components, s->dropped_components, s->dropped_links, s->dropped_nodes);
    fprintf(stderr, "  countries: %zu nodes from the file's boundaries (%zu of %zu admin_level=2 "
                    "relations assembled), %zu from %s, %zu unknown\n",
            s->nodes_country_osm, s->boundary_areas, s->boundary_relations, s->nodes_country_file,
            o->countries_path == bundled_countries ? "Natural Earth (world-atlas)" : "--countries",
            s->nodes_country_unknown);
    if (s->refs_missing)
        fprintf(stderr, "  %zu node references without a location in the file (ways cut there)\n",
                s->refs_missing);
    fprintf(stderr, "  time: %.2f s\n", seconds);
}

/* "-o FILE" is "--output FILE" (the options are long ones everywhere else). */
static char **expand_short_output(int argc, char **argv)
{
    char **v = malloc(((size_t)argc + 1) * sizeof *v);
    if (!v) return NULL;
    for (int i = 0; i < argc; i++) v[i] = strcmp(argv[i], "-o") == 0 ? "--output" : argv[i];
    v[argc] = NULL;
    return v;
}

static int parse(import_opts *o, int argc, char **argv)
{
    static const struct option longs[] = {
        {"osm", required_argument, 0, OPT_OSM},
        {"modes", required_argument, 0, OPT_MODES},
        {"bbox", required_argument, 0, OPT_BBOX},
        {"road-classes", required_argument, 0, OPT_ROAD_CLASSES},
        {"rail-classes", required_argument, 0, OPT_RAIL_CLASSES},
        {"countries", required_argument, 0, OPT_COUNTRIES},
        {"keep-all", no_argument, 0, OPT_KEEP_ALL},
        {"output", required_argument, 0, OPT_OUTPUT},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int rc = cli_parse_options(argc, argv, "import", usage, longs, &o->c, NULL, own_option, o);
    if (rc) return rc;
    if (optind < argc) return cli_usage_error("import", "unexpected argument '%s'", argv[optind]);
    if (!o->osm_path)
        return cli_usage_error("import", "name the source: --osm FILE or --gis FILE (see --help)");
    o->osm.iso3166_path = iso3166_table;
    if (!o->countries_set && access(bundled_countries, R_OK) == 0 && access(iso3166_table, R_OK) == 0)
        o->osm.countries_path = bundled_countries;
    else if (!o->countries_set)
        fprintf(stderr, "corridor import: no bundled country polygons (%s, %s): run scripts/setup.sh, "
                        "or give --countries FILE\n", bundled_countries, iso3166_table);
    return check_output(o->c.output);
}

static int import_source(import_opts *o, cor_network **net, cor_osm_stats *stats)
{
    cor_error err;
    cor_error_init(&err);
    cor_status st = cor_import_osm(net, o->osm_path, &o->osm, stats, &err);
    if (st != COR_OK) cli_print_problems(&err);
    cor_error_clear(&err);
    return st == COR_OK ? 0 : EXIT_BAD;
}

/* True when the command line names the GIS source (--gis FILE or --gis=FILE). */
static bool names_gis(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--gis") == 0 || strncmp(argv[i], "--gis=", 6) == 0) return true;
    return false;
}

int cmd_import(int argc, char **argv)
{
    if (names_gis(argc, argv)) {
        for (int i = 1; i < argc; i++)
            if (strcmp(argv[i], "--osm") == 0 || strncmp(argv[i], "--osm=", 6) == 0)
                return cli_usage_error("import", "give one source: --osm FILE or --gis FILE");
        return cmd_import_gis(argc, argv);
    }
    import_opts o;
    memset(&o, 0, sizeof o);
    cor_osm_options_init(&o.osm);
    char **args = expand_short_output(argc, argv);
    if (!args) return cli_usage_error("import", "out of memory");
    int rc = parse(&o, argc, args);
    free(args);
    if (rc) return rc < 0 ? EXIT_ANSWERED : rc;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cor_network *net = NULL;
    cor_osm_stats stats;
    if ((rc = import_source(&o, &net, &stats)) != 0) return rc;
    rc = cli_write_network("import", net, &o.c);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc == EXIT_ANSWERED)
        print_summary(o.osm_path, &o.osm, &stats,
                      (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    cor_network_free(net);
    return rc;
}
