/*
 * cmd_import_gis.c — `corridor import --gis`: a network from a GIS line layer (through
 * GDAL/OGR, cor_import_gis), its largest connected piece kept unless --keep-all
 * (cor_network_keep_largest), written as the project's GeoJSON. cmd_import (cmd_import.c)
 * hands the command line over when it names --gis.
 *
 * Three steps kept apart: the options into a cor_gis_spec (gis_parse), the library calls,
 * the writing (cli_write_network: a .cor, or GeoJSON through the atomic output read back
 * before it replaces anything).
 */
#include "cli.h"
#include "output.h"

#include <getopt.h>
#include <math.h>
#include <string.h>

static const char usage[] =
    "Usage: corridor import --gis FILE [options] -o OUT.geojson|OUT.cor\n"
    "\n"
    "Imports a line layer from any file GDAL/OGR reads (GeoPackage, Shapefile, GeoJSON,\n"
    "FlatGeobuf, ...) as a network. Without from/to fields the topology comes from the lines'\n"
    "end points: points closer than --snap-metres are one node. Coordinates are reprojected to\n"
    "WGS84; length_km is the great-circle length of each line unless mapped.\n"
    "\n"
    "  --gis FILE             the file to read\n"
    "  --layer NAME           the layer (default: the file's only line layer)\n"
    "  --map KEY=FIELD,...    link fields from the layer's fields, e.g.\n"
    "                         from=SRC,to=DST,length_km=LEN,mode=TYPE,id=ID; a number may be\n"
    "                         scaled: length_km=LEN_M*0.001 (keys: docs/FORMAT.md, Link)\n"
    "  --mode MODE            mode of every link without a mapped one: rail, road, ferry, sea,\n"
    "                         pipeline, fiber\n"
    "  --layer-kind KIND      transport (default), gas, oil or data\n"
    "  --snap-metres X        end points closer than X metres are one node (default 0: 1 mm)\n"
    "  --split-vertices       also split lines at interior vertices they share with others\n"
    "  --keep-all             keep every connected piece (default: the largest; what is\n"
    "                         dropped is said on stderr)\n"
    "  -o, --output FILE      the network: FILE.geojson, or FILE.cor compiled (atomically;\n"
    "                         default: GeoJSON on standard output)\n"
    "\n"
    "A summary goes to standard error. Exit status: 0 imported, 2 bad usage or bad input.\n"
    "\n"
    "Example:\n"
    "  corridor import --gis marnet_plus_50km.gpkg --mode sea -o sea.geojson\n";

enum { OPT_GIS = 1200, OPT_MAP, OPT_MODE, OPT_LAYER_KIND, OPT_SNAP, OPT_SPLIT, OPT_KEEP_ALL };

typedef struct gis_opts {
    common_opts c;
    cor_gis_spec spec;
    cor_gis_stats stats;
    bool keep_all;
    size_t imported_nodes, imported_links, dropped_nodes, dropped_links;
} gis_opts;

/* The options into o; 0, -1 after --help, or EXIT_BAD (reported). */
static int gis_parse(int argc, char **argv, gis_opts *o)
{
    static const struct option longs[] = {
        {"gis", required_argument, 0, OPT_GIS},      {"layer", required_argument, 0, OPT_LAYER},
        {"map", required_argument, 0, OPT_MAP},      {"mode", required_argument, 0, OPT_MODE},
        {"layer-kind", required_argument, 0, OPT_LAYER_KIND},
        {"snap-metres", required_argument, 0, OPT_SNAP},
        {"split-vertices", no_argument, 0, OPT_SPLIT},
        {"keep-all", no_argument, 0, OPT_KEEP_ALL},
        {"output", required_argument, 0, OPT_OUTPUT}, {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int opt;
    optind = 1;
    opterr = 0;
    o->spec.stats = &o->stats;
    while ((opt = getopt_long(argc, argv, "o:", longs, NULL)) != -1) {
        switch (opt) {
        case OPT_HELP: fputs(usage, stdout); return -1;
        case OPT_GIS: o->spec.path = optarg; break;
        case OPT_LAYER: o->spec.layer = optarg; break;
        case OPT_MAP: o->spec.map = optarg; break;
        case OPT_MODE: o->spec.mode = optarg; break;
        case OPT_LAYER_KIND: o->spec.layer_kind = optarg; break;
        case OPT_SPLIT: o->spec.split_vertices = true; break;
        case OPT_KEEP_ALL: o->keep_all = true; break;
        case 'o':
        case OPT_OUTPUT: o->c.output = optarg; break;
        case OPT_SNAP:
            if (!cor_parse_double(optarg, &o->spec.snap_metres) || o->spec.snap_metres < 0)
                return cli_usage_error("import", "--snap-metres needs a number of metres >= 0, got '%s'",
                                       optarg);
            break;
        default:
            return cli_usage_error("import", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) return cli_usage_error("import", "unexpected argument '%s'", argv[optind]);
    if (!o->spec.path) return cli_usage_error("import", "give the file to import: --gis FILE");
    return 0;
}

static void print_summary(const gis_opts *o)
{
    const cor_gis_stats *s = &o->stats;
    fprintf(stderr,
            "corridor import: %s, layer '%s': %zu features, %zu lines -> %zu nodes, %zu links "
            "(snapped within %g m%s%s); %zu connected component%s, the largest with %zu nodes",
            o->spec.path, s->layer, s->features, s->parts, o->imported_nodes, o->imported_links, o->spec.snap_metres > 0.001 ? o->spec.snap_metres : 0.001,
            o->spec.split_vertices ? ", split at shared vertices" : "",
            s->reprojected ? ", reprojected to WGS84" : "", s->components,
            s->components == 1 ? "" : "s", s->largest_component);
    if (!o->keep_all && s->components > 1)
        fprintf(stderr, "; kept the largest, dropped %zu node%s and %zu link%s (--keep-all keeps them)",
                o->dropped_nodes, o->dropped_nodes == 1 ? "" : "s", o->dropped_links,
                o->dropped_links == 1 ? "" : "s");
    if (s->components > 1 && !o->spec.split_vertices)
        fprintf(stderr, "; lines that cross or meet at an inner vertex are not joined: "
                        "--split-vertices joins them, --snap-metres joins ends that nearly meet");
    if (s->loops_dropped) fprintf(stderr, "; %zu loop%s dropped", s->loops_dropped, s->loops_dropped == 1 ? "" : "s");
    fprintf(stderr, "\n");
}

int cmd_import_gis(int argc, char **argv)
{
    gis_opts o = {0};
    int rc = gis_parse(argc, argv, &o);
    if (rc) return rc < 0 ? EXIT_ANSWERED : rc;
    cor_network *net = NULL;
    cor_error err;
    cor_error_init(&err);
    cor_status st = cor_import_gis(&net, &o.spec, &err);
    if (st == COR_OK) {
        o.imported_nodes = cor_network_node_count(net);
        o.imported_links = cor_network_link_count(net);
    }
    if (st == COR_OK && !o.keep_all && o.stats.components > 1) {
        cor_network *all = net;
        st = cor_network_keep_largest(all, &net, &o.dropped_nodes, &o.dropped_links, &err);
        cor_network_free(all);
    }
    if (st != COR_OK) {
        cli_print_problems(&err);
        rc = EXIT_BAD;
    } else if ((rc = cli_write_network("import", net, &o.c)) == EXIT_ANSWERED)
        print_summary(&o);
    cor_error_clear(&err);
    cor_network_free(net);
    return rc;
}
