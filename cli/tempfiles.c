/*
 * tempfiles.c — the temporary files of outputs being written, removed when SIGTERM, SIGINT
 * or SIGHUP ends the program.
 *
 * The library writes results through a temporary file beside the target (cor_output) and
 * installs no handler; the CLI lists each temporary file here while it exists. The handler
 * only calls what is async-signal-safe: unlink() the files, rmdir() the folders (after the
 * files, whatever the order they were listed in), restore the default action and raise
 * the signal again, so the exit status still says which signal ended the program. A signal
 * that was ignored when the program started (nohup, a background job) stays ignored.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

enum { SLOTS = 8, PATH_BYTES = 4096 };

static char slot_path[SLOTS][PATH_BYTES];
static volatile sig_atomic_t slot_kind[SLOTS]; /* 0 free, 1 file, 2 folder */

static void on_fatal_signal(int sig) {
    int saved = errno;
    for (int k = 1; k <= 2; k++)
        for (int i = 0; i < SLOTS; i++) {
            if (slot_kind[i] != k) continue;
            if (k == 1)
                unlink(slot_path[i]);
            else
                rmdir(slot_path[i]);
        }
    signal(sig, SIG_DFL);
    raise(sig); /* delivered when the handler returns: the signal is blocked until then */
    errno = saved;
}

void cli_tempfiles_init(void) {
    static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old, sa;
        if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN) continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_fatal_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

static bool add(const char *path, int kind) {
    if (!path || strlen(path) >= PATH_BYTES) return false;
    for (int i = 0; i < SLOTS; i++)
        if (slot_kind[i] == 0) {
            memcpy(slot_path[i], path, strlen(path) + 1); /* the path first, then the mark */
            slot_kind[i] = kind;
            return true;
        }
    return false;
}

bool cli_tempfile_add(const char *path) {
    return add(path, 1);
}
bool cli_tempdir_add(const char *path) {
    return add(path, 2);
}

void cli_temp_forget(const char *path) {
    for (int i = 0; path && i < SLOTS; i++)
        if (slot_kind[i] != 0 && strcmp(slot_path[i], path) == 0) slot_kind[i] = 0;
}
