/*
 * progress.h — the progress bar on stderr and Ctrl-C for long analyses.
 *
 * cli_progress_start gives a cor_progress for the library: the bar appears once the run has
 * taken a second, only when stderr is a terminal and --quiet was not given, and is redrawn at
 * most ten times a second. Ctrl-C sets a flag that makes the callback answer "stop"; the
 * library then returns COR_ERR_CANCELLED with what it had finished, and the command prints
 * that. A second Ctrl-C ends the program at once (the default action).
 */
#ifndef COR_CLI_PROGRESS_H
#define COR_CLI_PROGRESS_H

#include "corridor.h"

#include <stdbool.h>

typedef struct cli_progress {
    cor_progress lib; /* hand &lib to the library */
    const char *label;
    bool enabled;     /* a terminal, and not --quiet */
    bool drawn;       /* something is on the line */
    double start, last;
} cli_progress;

void cli_progress_start(cli_progress *p, const char *label, bool quiet);
/* Clears the bar and restores Ctrl-C's default action. */
void cli_progress_end(cli_progress *p);
/* True once Ctrl-C was pressed during the run. */
bool cli_interrupted(void);

#endif
