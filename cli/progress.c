/*
 * progress.c — see progress.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "progress.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t interrupted;
static struct sigaction before; /* SIGINT's action outside a run: tempfiles.c's, or ignored */

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
    sigaction(SIGINT, &before, NULL); /* a second Ctrl-C ends the program, temp files gone */
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static bool report(void *ctx, size_t done, size_t total)
{
    cli_progress *p = ctx;
    if (interrupted) return false;
    if (!p->enabled) return true;
    double t = now();
    if (t - p->start < 1.0 || (t - p->last < 0.1 && done < total)) return true;
    p->last = t;
    enum { WIDTH = 30 };
    double f = total ? (double)done / (double)total : 0.0;
    int fill = (int)(f * WIDTH + 0.5);
    char bar[WIDTH + 1];
    for (int i = 0; i < WIDTH; i++) bar[i] = i < fill ? '#' : '.';
    bar[WIDTH] = '\0';
    double eta = f > 0 ? (t - p->start) * (1.0 - f) / f : 0.0;
    fprintf(stderr, "\r%s [%s] %3.0f%%  %zu/%zu  %.0f s left   ", p->label, bar, 100.0 * f,
            done, total, eta);
    fflush(stderr);
    p->drawn = true;
    return true;
}

void cli_progress_start(cli_progress *p, const char *label, bool quiet)
{
    *p = (cli_progress){.lib = {report, p}, .label = label};
    p->enabled = !quiet && isatty(STDERR_FILENO);
    p->start = p->last = now();
    interrupted = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, NULL, &before);
    if (before.sa_handler != SIG_IGN) sigaction(SIGINT, &sa, NULL);
}

void cli_progress_end(cli_progress *p)
{
    if (before.sa_handler != SIG_IGN) sigaction(SIGINT, &before, NULL);
    if (p->drawn) fputs("\r\033[K", stderr);
    p->drawn = false;
}

bool cli_interrupted(void) { return interrupted != 0; }
