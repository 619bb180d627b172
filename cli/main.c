/*
 * main.c — `corridor`, the command line: dispatches to one subcommand per file.
 */
#include "cli.h"

#include <string.h>

static const char usage[] =
    "Usage: corridor COMMAND [options]\n"
    "\n"
    "Multimodal freight routing on the Middle Corridor and any network you load.\n"
    "\n"
    "Commands:\n"
    "  route      best route between two places (or many pairs), with alternatives\n"
    "  compare    the named corridors side by side (northern, middle, southern, maritime)\n"
    "  matrix     table of costs, hours and km between sets of places\n"
    "  flow       how much can go per year between two regions, and what limits it\n"
    "  energy     gas deliverable per region, and the EU N-1 security-of-supply standard\n"
    "  assign     an origin-destination demand put onto the network's capacities\n"
    "  stress     which links and nodes matter most (N-1, N-2, throughput lost)\n"
    "  scenario   'scenario diff FILE': what a scenario changes, before and after\n"
    "  restore    the order to clear mined or damaged links that restores most soonest\n"
    "  serve      the HTTP API (JSON under /v1/) and the web map\n"
    "  validate   check a network file and list every problem with its place\n"
    "  info       what a network holds: counts by layer, mode, country, status\n"
    "  import     a network from OpenStreetMap (--osm) or a GIS layer (--gis): GeoJSON or .cor\n"
    "  nearest    the node a LON,LAT snaps to (places may be given as LON,LAT everywhere)\n"
    "  build      compile a network into a .cor file that loads in milliseconds\n"
    "\n"
    "'corridor COMMAND --help' explains each command, with an example.\n"
    "Example:\n"
    "  corridor route --from CN-XIAN --to DE-DUISBURG --optimize time\n";

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } commands[] = {{"route", cmd_route},
                    {"compare", cmd_compare},
                    {"flow", cmd_flow},
                    {"energy", cmd_energy},
                    {"assign", cmd_assign},
                    {"stress", cmd_stress},
                    {"scenario", cmd_scenario},
                    {"restore", cmd_restore},
                    {"serve", cmd_serve},
                    {"matrix", cmd_matrix},
                    {"validate", cmd_validate},
                    {"info", cmd_info},
                    {"import", cmd_import},
                    {"nearest", cmd_nearest},
                    {"build", cmd_build}};
    cli_tempfiles_init(); /* outputs' temporary files go with SIGTERM and SIGINT */
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_BAD;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, stdout);
        return EXIT_ANSWERED;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("corridor %s\n", COR_VERSION);
        return EXIT_ANSWERED;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[1], commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "corridor: unknown command '%s'\n\n", argv[1]);
    fputs(usage, stderr);
    return EXIT_BAD;
}
