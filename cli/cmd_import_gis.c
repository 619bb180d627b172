/*
 * cmd_import_gis.c — `corridor import-gis`: a network from a GIS line layer (through
 * GDAL/OGR, cor_import_gis), written as the project's GeoJSON.
 *
 * Three steps kept apart so that `corridor import --gis` can take them over: the options
 * into a cor_gis_spec (gis_parse), the library call (cor_import_gis), the writing
 * (gis_write: network_to_geojson through the atomic output, then the written file loaded
 * back, so a file that the project could not read is never left in place).
 */
#include "cli.h"
#include "output.h"

#include <getopt.h>
#include <math.h>
#include <string.h>

static const char usage[] =
    "Usage: corridor import-gis --gis FILE [options] -o OUT.geojson\n"
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
    "  -o, --output FILE      the network as GeoJSON (atomically; default: standard output)\n"
    "\n"
    "A summary goes to standard error. Exit status: 0 imported, 2 bad usage or bad input.\n"
    "\n"
    "Example:\n"
    "  corridor import-gis --gis marnet_plus_50km.gpkg --mode sea -o sea.geojson\n";

enum { OPT_GIS = 1200, OPT_MAP, OPT_MODE, OPT_LAYER_KIND, OPT_SNAP, OPT_SPLIT };

typedef struct gis_opts {
    common_opts c;
    cor_gis_spec spec;
    cor_gis_stats stats;
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
        case 'o':
        case OPT_OUTPUT: o->c.output = optarg; break;
        case OPT_SNAP:
            if (!cor_parse_double(optarg, &o->spec.snap_metres) || o->spec.snap_metres < 0)
                return cli_usage_error("import-gis", "--snap-metres needs a number of metres >= 0, got '%s'",
                                       optarg);
            break;
        default:
            return cli_usage_error("import-gis", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) return cli_usage_error("import-gis", "unexpected argument '%s'", argv[optind]);
    if (!o->spec.path) return cli_usage_error("import-gis", "give the file to import: --gis FILE");
    return 0;
}

/* The written file read back by the project's own loader; false (reported) when it fails. */
static bool loads_back(const char *path)
{
    cor_network *net = NULL;
    cor_error err;
    cor_error_init(&err);
    bool ok = cor_network_load(&net, path, COR_FORMAT_GEOJSON, &err) == COR_OK;
    if (!ok) {
        fprintf(stderr, "corridor import-gis: the written network does not load back:\n");
        cli_print_problems(&err);
    }
    cor_network_free(net);
    cor_error_clear(&err);
    return ok;
}

/* Writes the network as GeoJSON through the atomic output; an exit code. */
static int gis_write(const cor_network *net, const common_opts *c)
{
    json_t *doc = network_to_geojson(net, ~0u, NULL);
    FILE *f = cli_out_open(c);
    if (!f) {
        json_decref(doc);
        return EXIT_BAD;
    }
    bool ok = doc && json_write(f, doc) && fflush(f) == 0;
    json_decref(doc);
    if (ok && f != stdout) ok = loads_back(cli_out_tmp_path());
    return cli_out_close(f, c, ok ? EXIT_ANSWERED : EXIT_BAD);
}

static void print_summary(const gis_opts *o, const cor_network *net)
{
    const cor_gis_stats *s = &o->stats;
    fprintf(stderr,
            "corridor import-gis: %s, layer '%s': %zu features, %zu lines -> %zu nodes, %zu links "
            "(snapped within %g m%s%s); %zu connected component%s, the largest with %zu nodes",
            o->spec.path, s->layer, s->features, s->parts, cor_network_node_count(net),
            cor_network_link_count(net), o->spec.snap_metres > 0.001 ? o->spec.snap_metres : 0.001,
            o->spec.split_vertices ? ", split at shared vertices" : "",
            s->reprojected ? ", reprojected to WGS84" : "", s->components,
            s->components == 1 ? "" : "s", s->largest_component);
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
    if (cor_import_gis(&net, &o.spec, &err) != COR_OK) {
        cli_print_problems(&err);
        rc = EXIT_BAD;
    } else if ((rc = gis_write(net, &o.c)) == EXIT_ANSWERED)
        print_summary(&o, net);
    cor_error_clear(&err);
    cor_network_free(net);
    return rc;
}
