/*
 * cmd_build.c — `corridor build`: a network compiled once into a .cor file that every
 * command then maps in milliseconds.
 *
 * The command only reads options, opens the output, loads the network and calls
 * cor_network_write, which validates the profiles, compiles their graphs and writes the
 * file; the output is a temporary file beside the target renamed on success (removed on
 * failure, SIGTERM or SIGINT), or a FIFO or device written directly.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char build_usage[] =
    "Usage: corridor build --network FILE -o OUT.cor [--profiles cost,time,...]\n"
    "                      [--format FMT] [--value-of-time USD] [--carbon-price USD]\n"
    "                      [--max-input BYTES]\n"
    "\n"
    "Compiles a network into a .cor file: the network (ids, attributes, geometry,\n"
    "corridors) and the routing graph of each profile, checksummed, laid out so that\n"
    "loading is a memory map with no parsing. Every command that takes --network reads\n"
    "it; for a stored profile the graph is used as it is, not compiled again.\n"
    "\n"
    "  --network FILE     the source network (any format corridor reads)\n"
    "  -o, --output FILE  the .cor file to write (atomically: a temporary file renamed;\n"
    "                     a symlink's target is replaced, a FIFO written directly)\n"
    "  --profiles LIST    objectives to store graphs for: cost, time, co2, generalised,\n"
    "                     distance (default: cost, the commands' default; for a network\n"
    "                     without costs, time and distance where its links have them)\n"
    "  --value-of-time, --carbon-price   factors of the generalised cost\n"
    "  --max-input BYTES  the most the source file may hold, decompressed too (default\n"
    "                     256M): raise it for a big network once here, then load the .cor\n"
    "\n"
    "Exit status: 0 written, 2 bad usage or bad input (nothing written).\n"
    "\n"
    "Examples:\n"
    "  corridor build --network USA-road-d.NY.gr.gz -o ny.cor\n"
    "  corridor build --network data/corridor.geojson -o model.cor --profiles cost,time\n"
    "  corridor info ny.cor\n";

enum { OPT_PROFILES = 2000 };

typedef struct build_opts {
    common_opts c;
    cor_profile profiles[16];
    size_t n_profiles;
    double value_of_time, carbon_price;
} build_opts;

static int parse_profiles(build_opts *o, const char *arg)
{
    char *copy = NULL;
    size_t n = 0;
    const char **names = cli_split(arg, &copy, &n);
    int rc = names && n ? 0 : cli_usage_error("build", "--profiles needs a list of objectives");
    o->n_profiles = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        cor_objective obj;
        if (!cor_objective_parse(names[i], &obj))
            rc = cli_usage_error("build",
                                 "unknown objective '%s' in --profiles (use cost, "
                                 "time, co2 or generalised)",
                                 names[i]);
        for (size_t k = 0; rc == 0 && k < o->n_profiles; k++)
            if (o->profiles[k].objective == obj)
                rc = cli_usage_error("build", "objective '%s' is listed twice", names[i]);
        if (rc == 0 && o->n_profiles == 16) rc = cli_usage_error("build", "at most 16 profiles");
        if (rc == 0) {
            cor_profile_init(&o->profiles[o->n_profiles]);
            o->profiles[o->n_profiles++].objective = obj;
        }
    }
    free(names);
    free(copy);
    return rc;
}

static int parse_factor(const char *opt, const char *arg, double *out)
{
    if (cor_parse_double(arg, out) && *out >= 0 && *out <= CLI_MAX_FACTOR) return 0;
    return cli_usage_error("build", "%s must be a number from 0 to 1e9, got '%s'", opt, arg);
}

static int parse_args(build_opts *o, int argc, char **argv)
{
    static const struct option longs[] = {{"network", required_argument, 0, OPT_NETWORK},
                                          {"format", required_argument, 0, OPT_FORMAT},
                                          {"output", required_argument, 0, OPT_OUTPUT},
                                          {"profiles", required_argument, 0, OPT_PROFILES},
                                          {"value-of-time", required_argument, 0, OPT_VOT},
                                          {"carbon-price", required_argument, 0, OPT_CARBON},
                                          {"max-input", required_argument, 0, OPT_MAX_INPUT},
                                          {"help", no_argument, 0, OPT_HELP},
                                          {0, 0, 0, 0}};
    int opt, rc = 0;
    optind = 1;
    opterr = 0;
    while (rc == 0 && (opt = getopt_long(argc, argv, "o:", longs, NULL)) != -1) {
        if (opt == OPT_HELP) {
            fputs(build_usage, stdout);
            return -1;
        }
        if (opt == 'o') opt = OPT_OUTPUT;
        if (opt == OPT_PROFILES)
            rc = parse_profiles(o, optarg);
        else if (opt == OPT_VOT)
            rc = parse_factor("--value-of-time", optarg, &o->value_of_time);
        else if (opt == OPT_CARBON)
            rc = parse_factor("--carbon-price", optarg, &o->carbon_price);
        else if (opt == '?' || cli_common_option(&o->c, opt, optarg, "build") != 1)
            rc = opt == '?' ? cli_usage_error("build", "unknown or incomplete option '%s'",
                                              argv[optind - 1])
                            : EXIT_BAD;
    }
    if (rc) return rc;
    if (optind < argc) return cli_usage_error("build", "unexpected argument '%s'", argv[optind]);
    if (!o->c.network) return cli_usage_error("build", "--network FILE is required");
    if (!o->c.output) return cli_usage_error("build", "-o OUT.cor is required");
    return 0;
}

/* Whether the output is this process's standard output (-o /dev/stdout, -o -). */
static bool writes_stdout(const cor_output *out)
{
    struct stat a, b;
    return !out->tmp && fstat(out->fd, &a) == 0 && fstat(STDOUT_FILENO, &b) == 0 &&
           a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int cmd_build(int argc, char **argv)
{
    build_opts o;
    memset(&o, 0, sizeof o);
    int rc = parse_args(&o, argc, argv);
    if (rc) return rc < 0 ? EXIT_ANSWERED : rc;
    /* The output first: a folder that cannot take it shows before minutes of compiling,
     * and the temporary file is listed for SIGTERM from the start. */
    cor_output out;
    if (!cli_output_begin(&out, o.c.output)) return EXIT_BAD;
    cor_network *net = cli_load(&o.c);
    if (!net) return cli_output_end(&out, o.c.output, EXIT_BAD);
    if (o.n_profiles == 0) o.n_profiles = cor_network_default_profiles(net, o.profiles, 16);
    for (size_t k = 0; k < o.n_profiles; k++) {
        o.profiles[k].value_of_time = o.value_of_time;
        o.profiles[k].carbon_price = o.carbon_price;
    }
    FILE *say = writes_stdout(&out) ? stderr : stdout; /* the summary stays out of the file */
    rc = cli_save_network(net, &out, o.c.output, o.profiles, o.n_profiles);
    if (rc == EXIT_ANSWERED) {
        fprintf(say, "%s: %zu nodes, %zu links, %zu graph%s (", o.c.output, cor_network_node_count(net),
                cor_network_link_count(net), o.n_profiles, o.n_profiles == 1 ? "" : "s");
        for (size_t k = 0; k < o.n_profiles; k++)
            fprintf(say, "%s%s", k ? ", " : "", cor_objective_name(o.profiles[k].objective));
        fprintf(say, ")\n");
    }
    cor_network_free(net);
    return rc;
}
