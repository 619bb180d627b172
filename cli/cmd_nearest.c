/*
 * cmd_nearest.c — `corridor nearest` and /v1/nearest: the node a coordinate snaps to.
 *
 * The same snap every command makes for a LON,LAT place (cli/places.c over the library's
 * cor_locator), asked on its own: which usable node of the profile is nearest, and how
 * far. Sharing cli_command makes the CLI's options and the API's parameters one table.
 */
#include "cli.h"
#include "output.h"
#include "places.h"

#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: corridor nearest [--network FILE] --lon LON --lat LAT [options]\n"
    "\n"
    "The node a coordinate snaps to: the nearest node that the profile can use (one with\n"
    "a usable link), and its great-circle distance in metres. Every command that takes a\n"
    "place accepts LON,LAT and snaps it this way.\n"
    "\n"
    "  --network FILE, --format FMT, --max-input BYTES   as for 'corridor route'\n"
    "  --lon LON, --lat LAT            degrees WGS84\n"
    "  --modes, --layer, --avoid-country, --avoid-node, --avoid-link, --include-planned,\n"
    "  --scenario                      which nodes are usable, as for 'corridor route'\n"
    "  --snap-limit KM                 refuse a place farther from every node (default 50)\n"
    "  --json                          output format (default: a line of text)\n"
    "  --output FILE                   write there (atomically)\n"
    "\n"
    "Exit status: 0 answered, 2 bad usage, bad input or beyond the snap limit.\n"
    "\n"
    "Example:\n"
    "  corridor nearest --lon 49.87 --lat 40.41 --modes rail\n";

enum { OPT_LON = 6000, OPT_LAT };

typedef struct nearest_opts {
    common_opts c;
    profile_opts p;
    double lon, lat;
    bool has_lon, has_lat;
    double metres; /* the answer's, unrounded (the text rounds it its own way) */
} nearest_opts;

static int nearest_option(int opt, const char *arg, void *ctx) {
    nearest_opts *o = ctx;
    if (opt != OPT_LON && opt != OPT_LAT) return 1;
    double *v = opt == OPT_LON ? &o->lon : &o->lat;
    const char *name = opt == OPT_LON ? "lon" : "lat";
    double lim = opt == OPT_LON ? 180 : 90;
    if (!cor_parse_double(arg, v) || fabs(*v) > lim)
        return cli_fail("nearest", COR_ERR_USAGE, name,
                        "--%s needs degrees from %g to %g, got '%s'", name, -lim, lim, arg);
    if (opt == OPT_LON)
        o->has_lon = true;
    else
        o->has_lat = true;
    return 0;
}

static int nearest_check(void *ctx) {
    nearest_opts *o = ctx;
    if (!o->has_lon || !o->has_lat) return cli_usage_error("nearest", "give --lon and --lat");
    if (o->c.out == OUT_CSV || o->c.out == OUT_GEOJSON)
        return cli_usage_error("nearest", "the answer is a line of text or --json");
    return 0;
}

/* The snap as the --json document. */
static int nearest_answer(void *ctx, cli_env *env, json_t **doc) {
    nearest_opts *o = ctx;
    *doc = NULL;
    cor_route_query *q = env->acquire(env, &o->p);
    if (!q) return EXIT_BAD;
    cli_place pl = {COR_NONE, true, o->lon, o->lat, 0, "place"};
    bool ok = cli_places_snap("nearest", env, q, &o->p, &pl, 1);
    env->release(env, q);
    if (!ok) return EXIT_BAD;
    o->metres = pl.metres;
    const cor_node *v = cor_network_node(env->net, pl.node);
    *doc =
        json_pack("{s:f, s:f, s:{s:s, s:o, s:o, s:o, s:o, s:o}, s:o}", "lon", o->lon, "lat", o->lat,
                  "node", "id", v->id, "name", v->name ? json_string(v->name) : json_null(),
                  "country", v->country ? json_string(v->country) : json_null(), "kind",
                  v->kind ? json_string(v->kind) : json_null(), "lon", json_num(v->lon), "lat",
                  json_num(v->lat), "metres", json_num(round(pl.metres * 10) / 10));
    return *doc ? EXIT_ANSWERED : cli_fail("nearest", COR_ERR_NOMEM, NULL, "out of memory");
}

static void print_text(FILE *f, json_t *doc, double metres) {
    json_t *node = json_object_get(doc, "node");
    const char *name = json_string_value(json_object_get(node, "name"));
    char m[32];
    fprintf(f, "%.6f,%.6f: node %s%s%s%s, %s m away\n",
            json_real_value(json_object_get(doc, "lon")),
            json_real_value(json_object_get(doc, "lat")),
            json_string_value(json_object_get(node, "id")), name ? " (" : "", name ? name : "",
            name ? ")" : "", fmt_num(m, sizeof m, metres, 0));
}

static void nearest_init(void *ctx) {
    cor_profile_init(&((nearest_opts *)ctx)->p.profile);
}

static void nearest_clear(void *ctx) {
    cli_profile_free(&((nearest_opts *)ctx)->p);
}

#define NEAREST_OPTIONS                                                                            \
    PROFILE_LONG_OPTIONS, {"lon", required_argument, 0, OPT_LON}, {                                \
        "lat", required_argument, 0, OPT_LAT                                                       \
    }

static const struct option nearest_params[] = {NEAREST_OPTIONS, {0, 0, 0, 0}};

const cli_command cli_nearest_command = {"nearest",
                                         nearest_params,
                                         sizeof(nearest_opts),
                                         offsetof(nearest_opts, c),
                                         offsetof(nearest_opts, p),
                                         nearest_init,
                                         nearest_option,
                                         nearest_check,
                                         nearest_answer,
                                         nearest_clear};

int cmd_nearest(int argc, char **argv) {
    static const struct option longs[] = {COMMON_LONG_OPTIONS, NEAREST_OPTIONS, {0, 0, 0, 0}};
    nearest_opts o = {0};
    nearest_init(&o);
    int rc = cli_parse_command(&cli_nearest_command, argc, argv, usage, longs, &o);
    cor_network *net = NULL;
    json_t *doc = NULL;
    if (rc != 0) {
        rc = rc < 0 ? EXIT_ANSWERED : rc;
        goto done;
    }
    cli_env env;
    rc = EXIT_BAD;
    if (!(net = cli_open_network(&o.c, &o.p, &env))) goto done;
    if ((rc = nearest_answer(&o, &env, &doc)) != EXIT_ANSWERED) goto done;
    FILE *f = cli_out_open(&o.c);
    if (!f) {
        rc = EXIT_BAD;
        goto done;
    }
    if (o.c.out == OUT_JSON)
        rc = json_write(f, doc) ? EXIT_ANSWERED : EXIT_BAD;
    else
        print_text(f, doc, o.metres);
    rc = cli_out_close(f, &o.c, rc);
done:
    json_decref(doc);
    cor_network_free(net);
    nearest_clear(&o);
    return rc;
}
