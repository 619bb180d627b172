/*
 * test_load_broken.c — every fixture in tests/data/broken/ fails as its EXPECT line says.
 *
 * EXPECT lists each fixture with the substrings its first problem must contain; the CLI
 * tests read the same file, so the library and the command line are held to the same
 * messages. A fixture without an EXPECT line is an error too, so none is forgotten.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "loadtest.h"

#define MAX_CASES 256

typedef struct expect {
    char name[128];
    char words[4][128];
    int n_words;
} expect;

static int read_expect(expect *cases, int max)
{
    char path[512], line[1024];
    FILE *f = fopen(cor_test_data("broken/EXPECT", path, sizeof path), "r");
    assert_non_null(f);
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#') continue;
        assert_true(n < max);
        expect *e = &cases[n++];
        memset(e, 0, sizeof *e);
        char *save, *tok = strtok_r(line, "\t", &save);
        snprintf(e->name, sizeof e->name, "%s", tok);
        while ((tok = strtok_r(NULL, "\t", &save)) && e->n_words < 4)
            snprintf(e->words[e->n_words++], sizeof e->words[0], "%s", tok);
        assert_true(e->n_words > 0);
    }
    fclose(f);
    return n;
}

static void each_fixture_fails_as_expected(void **state)
{
    static expect cases[MAX_CASES];
    int n = read_expect(cases, MAX_CASES), failed = 0;
    char path[512], first[1024];
    for (int i = 0; i < n; i++) {
        snprintf(first, sizeof first, "broken/%s", cases[i].name);
        cor_test_data(first, path, sizeof path);
        cor_error err;
        cor_error_init(&err);
        cor_network *net = NULL;
        cor_status st = cor_network_load(&net, path, COR_FORMAT_AUTO, &err);
        first[0] = '\0';
        if (err.count) cor_problem_format(&err.problems[0], first, sizeof first);
        bool ok = st != COR_OK && !net && err.count > 0;
        for (int k = 0; k < cases[i].n_words; k++)
            ok = ok && strstr(first, cases[i].words[k]) != NULL;
        if (!ok) {
            print_message("%s: status %d, first problem: %s\n", cases[i].name, (int)st, first);
            failed++;
        }
        cor_network_free(net);
        cor_error_clear(&err);
    }
    assert_int_equal(failed, 0);
    assert_true(n >= 40);
}

/* Every file or folder in broken/ has its EXPECT line (a .co belongs to its .gr). */
static void each_fixture_is_listed(void **state)
{
    static expect cases[MAX_CASES];
    int n = read_expect(cases, MAX_CASES), missing = 0;
    char path[512];
    DIR *d = opendir(cor_test_data("broken", path, sizeof path));
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *name = e->d_name;
        size_t len = strlen(name);
        if (name[0] == '.' || !strcmp(name, "EXPECT")) continue;
        if (len > 3 && !strcmp(name + len - 3, ".co")) continue;
        bool listed = false;
        for (int i = 0; i < n && !listed; i++) listed = !strcmp(cases[i].name, name);
        if (!listed) {
            print_message("broken/%s has no line in EXPECT\n", name);
            missing++;
        }
    }
    closedir(d);
    assert_int_equal(missing, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_fixture_fails_as_expected),
        cmocka_unit_test(each_fixture_is_listed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
