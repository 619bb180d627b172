/*
 * cli.h — what the subcommands of `corridor` share: options common to all of them,
 * loading the network, printing problems, and writing output safely.
 *
 * The CLI is a thin layer: it parses arguments, calls the library, and formats results.
 * Exit codes: 0 answered, 1 no answer (no route), 2 bad usage or bad input.
 */
#ifndef COR_CLI_H
#define COR_CLI_H

#include "corridor.h"

#include <jansson.h>
#include <stdio.h>

enum { EXIT_ANSWERED = 0, EXIT_NO_ANSWER = 1, EXIT_BAD = 2 };
/* The largest --value-of-time (USD per hour) and --carbon-price (USD per tonne): far past any
 * real figure, and small enough that a generalised cost stays a finite double. */
#define CLI_MAX_FACTOR 1e9

typedef enum out_kind { OUT_TABLE, OUT_JSON, OUT_GEOJSON, OUT_CSV } out_kind;

/* Options every analysing subcommand accepts. */
typedef struct common_opts {
    const char *network;
    cor_format format;
    out_kind out;
    const char *output; /* file to write (atomically), NULL = stdout */
    long top;           /* rows in a ranked table (--top, for commands that list TOP_OPTION) */
    bool quiet;         /* --quiet: no progress bar (commands that list QUIET_LONG_OPTION) */
    const char *geopackage; /* --geopackage FILE: the result's layers too (cli/gpkg.h) */
    cor_load_options load;  /* --max-input BYTES: what one input file may hold (zero: the
                               library's defaults) */
} common_opts;

/* Profile options (route, matrix). Lists are split from comma-separated arguments. */
typedef struct profile_opts {
    cor_profile profile;
    char *lists[3]; /* storage of the split strings */
    const char **items[3];
    const char *scenario_path;
    cor_scenario *scenario;
    /* What identifies the scenario in a cache key (the server: "name:tripp" or the inline
     * text); NULL: scenario_path. */
    const char *scenario_key;
    double snap_limit_km; /* --snap-limit: places by coordinates farther are refused */
    bool snap_limit_set;  /* false: the default (cli/places.h) */
    bool index; /* --index cch: the CLI's queries answer through a CCH (cli_env_local) */
    const cor_load_options *load; /* limits for --scenario (cli_open_network sets it) */
} profile_opts;

int cmd_route(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_flow(int argc, char **argv);
int cmd_energy(int argc, char **argv);
int cmd_assign(int argc, char **argv);
int cmd_stress(int argc, char **argv);
int cmd_scenario(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_serve(int argc, char **argv); /* server/serve.c */
int cmd_import_gis(int argc, char **argv); /* GIS files through GDAL/OGR */
int cmd_nearest(int argc, char **argv); /* cli/cmd_nearest.c */

/* "corridor: <message>" on stderr; returns EXIT_BAD. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints every problem in err on stderr. */
void cli_print_problems(const cor_error *err);
/* Maps a library status to an exit code. */
int cli_exit_for(cor_status st);

/* The network named by --network, or the embedded example when none is given. */
const char *cli_default_network(void);
/* Loads (printing problems on failure); NULL on failure. */
cor_network *cli_load(const common_opts *c);

/* Handles one option shared by all subcommands; returns 1 if handled, 0 if not, -1 on a
 * bad value (message printed). */
int cli_common_option(common_opts *c, int opt, const char *arg, const char *cmd);
/* Same for profile options. */
int cli_profile_option(profile_opts *p, int opt, const char *arg, const char *cmd);
void cli_profile_free(profile_opts *p);
/* The network to compute on: the scenario's own (figures changed, links added; owned by the
 * scenario) when there is one, else net. Results name its links. */
const cor_network *cli_scenario_network(const profile_opts *p, const cor_network *net);
/* Loads --scenario (if given) against the network and puts it in the profile; prints
 * problems and returns false on failure. */
bool cli_profile_scenario(profile_opts *p, const cor_network *net);

/* The option loop every subcommand shares: common and profile (when p is given) options
 * are handled here, --help prints `usage`, any other option goes to own(opt, arg, ctx),
 * which returns 0 (taken), 1 (not an option of this command) or an exit code. Returns 0,
 * -1 when help was printed, or EXIT_BAD (message printed). optind is left after the
 * options. */
struct option;
int cli_parse_options(int argc, char **argv, const char *cmd, const char *usage,
                      const struct option *longs, common_opts *c, profile_opts *p,
                      int (*own)(int opt, const char *arg, void *ctx), void *ctx);
/* --max-input BYTES: a whole number of bytes >= 1, with an optional K, M or G (binary:
 * 1K = 1024) after it. True with *out set; false when the text is not one. */
bool cli_parse_bytes(const char *arg, uint64_t *out);
/* Splits "a,b,c" into a NULL-terminated array of pointers into a copy; *storage owns it. */
const char **cli_split(const char *s, char **storage, size_t *n);

/* Output: stdout, or --output through cor_output_open (a temporary file beside it renamed
 * into place on success; a FIFO, a device or /dev/stdout written directly). */
FILE *cli_out_open(const common_opts *c);
int cli_out_close(FILE *f, const common_opts *c, int status);
/* The temporary file the last cli_out_open writes (before cli_out_close renames it), to read
 * a result back before it replaces anything; NULL when the output is written directly. */
const char *cli_out_tmp_path(void);
/* cor_output_open with the problem printed and the temporary file listed for the signal
 * handler (tempfiles.c); false on error. */
bool cli_output_begin(cor_output *out, const char *path);
/* Commits the output (or discards it when status is EXIT_BAD) and forgets its temporary
 * file; returns status, or EXIT_BAD when the commit failed (printed). */
int cli_output_end(cor_output *out, const char *path, int status);
/* A .cor written to `path` (into `opened` when the caller already began it), committed:
 * EXIT_ANSWERED or EXIT_BAD with the problems printed. */
int cli_save_network(const cor_network *net, cor_output *opened, const char *path,
                     const cor_profile *profiles, size_t n_profiles);

/* tempfiles.c: SIGTERM, SIGINT and SIGHUP (unless ignored at start) remove the listed
 * temporary files and folders, then end the program by the same signal. */
void cli_tempfiles_init(void);
bool cli_tempfile_add(const char *path);
bool cli_tempdir_add(const char *path);
void cli_temp_forget(const char *path);

/* Long-option codes shared by the subcommands. */
enum {
    OPT_NETWORK = 1000,
    OPT_FORMAT,
    OPT_JSON,
    OPT_GEOJSON,
    OPT_CSV,
    OPT_OUTPUT,
    OPT_OPTIMIZE,
    OPT_VOT,
    OPT_CARBON,
    OPT_MODES,
    OPT_AVOID_COUNTRY,
    OPT_AVOID_NODE,
    OPT_AVOID_LINK,
    OPT_INCLUDE_PLANNED,
    OPT_LAYER,
    OPT_FROM,
    OPT_TO,
    OPT_VIA,
    OPT_ALTERNATIVES,
    OPT_PAIRS,
    OPT_SCENARIO,
    OPT_TOP,
    OPT_QUIET,
    OPT_GEOPACKAGE,
    OPT_SNAP_LIMIT,
    OPT_INDEX,
    OPT_MAX_INPUT,
    OPT_HELP
};

#define COMMON_LONG_OPTIONS                                                                \
    {"network", required_argument, 0, OPT_NETWORK},                                        \
        {"format", required_argument, 0, OPT_FORMAT}, {"json", no_argument, 0, OPT_JSON},  \
        {"geojson", no_argument, 0, OPT_GEOJSON}, {"csv", no_argument, 0, OPT_CSV},        \
        {"output", required_argument, 0, OPT_OUTPUT},                                      \
        {"max-input", required_argument, 0, OPT_MAX_INPUT}, {"help", no_argument, 0, OPT_HELP}

/* --top N: for commands whose table lists the first N rows of a ranking. */
#define TOP_LONG_OPTION {"top", required_argument, 0, OPT_TOP}
/* --geopackage FILE: for commands whose result has a GeoJSON form (the CLI's only). */
#define GEOPACKAGE_LONG_OPTION {"geopackage", required_argument, 0, OPT_GEOPACKAGE}
/* --index cch|none: answer through a routing index built after loading (route, matrix;
 * the CLI's only, until compiled network files carry one). */
#define INDEX_LONG_OPTION {"index", required_argument, 0, OPT_INDEX}
/* --quiet: for commands that draw a progress bar (cli/progress.h); the CLI's only. */
#define QUIET_LONG_OPTION {"quiet", no_argument, 0, OPT_QUIET}

#define PROFILE_LONG_OPTIONS                                                               \
    {"optimize", required_argument, 0, OPT_OPTIMIZE},                                      \
        {"optimise", required_argument, 0, OPT_OPTIMIZE},                                  \
        {"value-of-time", required_argument, 0, OPT_VOT},                                  \
        {"carbon-price", required_argument, 0, OPT_CARBON},                                \
        {"modes", required_argument, 0, OPT_MODES},                                        \
        {"avoid-country", required_argument, 0, OPT_AVOID_COUNTRY},                        \
        {"avoid-node", required_argument, 0, OPT_AVOID_NODE},                              \
        {"avoid-link", required_argument, 0, OPT_AVOID_LINK},                              \
        {"include-planned", no_argument, 0, OPT_INCLUDE_PLANNED},                          \
        {"layer", required_argument, 0, OPT_LAYER},                                        \
        {"scenario", required_argument, 0, OPT_SCENARIO},                                  \
        {"snap-limit", required_argument, 0, OPT_SNAP_LIMIT}

/* ---------------------------------------------------------------- shared with the server
 *
 * Each analysing subcommand is split in three so that the CLI and the HTTP server run the
 * same code: options (getopt codes; the server maps parameter names to them through the
 * command's `params` table) → checks → an answer on a network → the JSON document that
 * `--json` prints. Messages the shared code reports go to stderr in the CLI and into the
 * request's record in the server (cli_sink). */

/* Where this thread's messages go. The CLI leaves it unset (stderr); the server installs
 * one per request and answers with the first message and its kind. */
typedef struct cli_sink {
    bool set;
    cor_status kind;  /* COR_ERR_USAGE for a bad option; a library status otherwise */
    char field[64];   /* the parameter or field at fault, "" when unknown */
    char message[1024];
} cli_sink;
void cli_sink_install(cli_sink *s); /* NULL: back to stderr */

/* Reports a problem of the given kind: "corridor CMD: message" on stderr, or into this
 * thread's sink. field names the option (without dashes) or the field at fault; NULL when
 * none. Returns EXIT_BAD, or EXIT_NO_ANSWER for COR_ERR_NO_ROUTE. */
int cli_fail(const char *cmd, cor_status kind, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Where an answer gets its route queries and its deadline. The CLI compiles one graph per
 * run (cli_env_local); the server shares compiled graphs across requests. */
typedef struct cli_env {
    const cor_network *net;
    /* A query on the graph compiled for the profile; NULL on failure (reported). */
    cor_route_query *(*acquire)(struct cli_env *env, const profile_opts *p);
    void (*release)(struct cli_env *env, cor_route_query *q);
    /* True once the request's deadline has passed; NULL: no deadline. */
    bool (*expired)(struct cli_env *env);
    void *ctx;
    /* The spatial index of the graph of a query acquired here, kept by the env (the
     * server's cache); NULL: each answer builds its own (cli/places.c). */
    const cor_locator *(*locator)(struct cli_env *env, cor_route_query *q);
} cli_env;
void cli_env_local(cli_env *env, const cor_network *net);
/* The CLI's start of every analysis: loads --network and --scenario (problems printed) and
 * points env at what to compute on, the scenario's network when there is one. NULL on
 * failure; the caller frees the network returned. */
cor_network *cli_open_network(const common_opts *c, profile_opts *p, cli_env *env);
/* Reports the deadline when it has passed (kind COR_ERR_CANCELLED); true when it has. */
bool cli_env_expired(cli_env *env, const char *cmd);

/* A subcommand as both the CLI and the server run it. */
typedef struct cli_command {
    const char *name;
    const struct option *params; /* what the API accepts: the CLI's options minus files and
                                    output formats */
    size_t size;                 /* of the options struct */
    size_t common_at;            /* offset of its common_opts */
    long profile_at;             /* offset of its profile_opts, -1 when none */
    void (*init)(void *o);
    int (*option)(int opt, const char *arg, void *o); /* as `own` of cli_parse_options */
    int (*check)(void *o);       /* once every option is in: 0 or EXIT_BAD (reported) */
    /* The answer as the --json document: an exit code, *doc NULL when there is none. */
    int (*answer)(void *o, cli_env *env, json_t **doc);
    void (*clear)(void *o);
} cli_command;
extern const cli_command cli_route_command, cli_matrix_command, cli_compare_command,
    cli_flow_command, cli_assign_command, cli_energy_command, cli_stress_command,
    cli_restore_command;
extern const cli_command cli_nearest_command; /* the snap of a LON,LAT (cli/cmd_nearest.c) */

/* The CLI's side of a shared command: cli_parse_options over `longs` (the API's
 * parameters plus files and output formats), no argument left over, then cmd->check.
 * Returns as cli_parse_options does. */
int cli_parse_command(const cli_command *cmd, int argc, char **argv, const char *usage,
                      const struct option *longs, void *o);

/* One option, by code, as the option loop applies it: common, then profile (p may be NULL),
 * then the command's own. 0 taken, 1 unknown, or an exit code (reported). */
int cli_apply_option(const char *cmd, common_opts *c, profile_opts *p,
                     int (*own)(int opt, const char *arg, void *ctx), void *ctx, int opt,
                     const char *arg);

/* A demand sent to the server (which reads no file a client names): "FROM,TO,QUANTITY"
 * items separated by ';', with the checks of cor_demand_load, each fault reported (as
 * cli_fail, with `field`) with the item's place. NULL on a fault. */
cor_demand *cli_demand_rows(const char *cmd, const char *field, const cor_network *net,
                            const char *text, size_t *n);
/* The splitting under it: items separated by ';' (or newlines), fields by ',' or blanks;
 * an item without exactly `fields` fields is reported as "<what> item N: expected
 * '<shape>'"; take() gets the fields and the item's 1-based place, and reports its own
 * refusals. false on any fault, or when there is no item. */
bool cli_rows(const char *cmd, const char *field, const char *what, const char *shape,
              const char *text, int fields,
              bool (*take)(char **f, size_t item, void *ctx), void *ctx);
/* A progress callback for the library that stops it at env's deadline (the server's). */
cor_progress cli_env_progress(cli_env *env);

/* Writes a network to c->output: a compiled .cor (cor_network_save, the profiles of
 * cor_network_default_profiles)
 * when the name ends in .cor, else the project's GeoJSON through the atomic output, read
 * back before it replaces anything. An exit code; problems reported as "corridor CMD". */
int cli_write_network(const char *cmd, const cor_network *net, const common_opts *c);

/* Formatting numbers for people: "—" for unknown, thousands separators. */
const char *fmt_num(char *buf, size_t size, double v, int decimals);

#endif
