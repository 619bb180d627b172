/*
 * fuzz_reader.c — libFuzzer harnesses for every reader, one binary per FUZZ_<TARGET>.
 *
 * The readers take paths, so each input is written to files in a private folder under
 * /dev/shm (made once per process) and read back through the public loader. Inputs that
 * make two files (nodes + links, .gr + .co, query + body) are split at the first line
 * "%%": what comes before is the first file. Readers that resolve ids against a network
 * (scenario, demand, closed links, pairs, HTTP) use the small network
 * tests/data/scenario/net.geojson, loaded once. A harness only checks that nothing
 * crashes, leaks or trips a sanitizer; refusing the input is the normal outcome.
 */
#define _GNU_SOURCE
#include "corridor.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <string.h>
#include <unistd.h>

#if defined(FUZZ_PAIRS)
#include "../../cli/cmd_route.c"
#elif defined(FUZZ_HTTP)
#include "../../server/http.c"
#endif

static char dir[64];

/* At exit (libFuzzer exits when its time is up): the private folder and what is in it. */
static void remove_dir(void)
{
    DIR *d = opendir(dir);
    if (!d) return;
    char path[512];
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    closedir(d);
    rmdir(dir);
}

__attribute__((unused)) static const char *in_dir(const char *name)
{
    static char path[128];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/dev/shm/corfuzz.XXXXXX");
        if (!mkdtemp(dir)) abort();
        atexit(remove_dir);
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

__attribute__((unused)) static void put(const char *name, const uint8_t *data, size_t size)
{
    FILE *f = fopen(in_dir(name), "wb");
    if (!f) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    if (fclose(f) != 0) abort();
}

/* The length of the first part of data (before a line "%%"), *rest where the second starts;
 * no separator: the whole input, *rest = size. */
__attribute__((unused)) static size_t split(const uint8_t *data, size_t size, size_t *rest)
{
    static const char sep[] = "%%\n";
    for (size_t i = 0; i + 3 <= size; i++)
        if ((i == 0 || data[i - 1] == '\n') && memcmp(data + i, sep, 3) == 0) {
            *rest = i + 3;
            return i;
        }
    *rest = size;
    return size;
}

__attribute__((unused)) static void load_and_free(const char *path, cor_format format)
{
    cor_network *net = NULL;
    cor_error err;
    cor_error_init(&err);
    if (cor_network_load(&net, path, format, &err) == COR_OK) {
        /* what a loaded network is used for first: a graph of the default profile */
        cor_profile p;
        cor_profile_init(&p);
        cor_graph *g = NULL;
        cor_error_clear(&err);
        if (cor_graph_compile(&g, net, &p, &err) == COR_OK) {
            cor_error_clear(&err);
            if (cor_graph_check(g, &err) != COR_OK) abort(); /* a loaded network compiles sound */
        }
        cor_graph_free(g);
    }
    cor_network_free(net);
    cor_error_clear(&err);
}

#if defined(FUZZ_SCENARIO) || defined(FUZZ_DEMAND) || defined(FUZZ_CLOSED) || \
    defined(FUZZ_PAIRS) || defined(FUZZ_HTTP)
static cor_network *base_network(void)
{
    static cor_network *net;
    if (!net) {
        cor_error err;
        cor_error_init(&err);
        if (cor_network_load(&net, COR_SOURCE_DIR "/tests/data/scenario/net.geojson",
                             COR_FORMAT_GEOJSON, &err) != COR_OK)
            abort();
        cor_error_clear(&err);
    }
    return net;
}
#endif

#if defined(FUZZ_HTTP)
/* The query "a=b&c" as libmicrohttpd hands it over (split, %-decoding left out: the
 * parameters' values reach the server as the bytes given), then the body as collect_body
 * sees it, then the endpoint named on the first line. */
static void http_request(const uint8_t *data, size_t size)
{
    static srv s;
    if (!s.net) {
        s.net = base_network();
        s.cache = srv_cache_new(s.net, 4);
        s.cfg.deadline_ms = 2000;
        s.cfg.max_body = 1 << 20;
        pthread_mutex_init(&s.geojson_lock, NULL);
        /* as serve.c does: /v1/network's cache, one row per scenario (none here) */
        s.geojson = calloc(1, sizeof *s.geojson);
        s.geojson_len = calloc(1, sizeof *s.geojson_len);
        s.token = "Bearer-fuzz";
        s.token_len = strlen(s.token);
        s.info = srv_info_build(&s);
        if (!s.cache || !s.geojson || !s.geojson_len || !s.info) abort();
    }
    size_t rest;
    size_t head = split(data, size, &rest);
    char *text = strndup((const char *)data, head);
    if (!text) return;
    char *query = strchr(text, '\n');
    if (query) *query++ = '\0';
    const char *name = api_name(text[0] == '/' ? text : "/v1/route");
    param_list l = {0};
    for (char *save = NULL, *kv = query ? strtok_r(query, "&\n", &save) : NULL; kv;
         kv = strtok_r(NULL, "&\n", &save)) {
        char *eq = strchr(kv, '=');
        if (eq) *eq++ = '\0';
        collect_query(&l, MHD_GET_ARGUMENT_KIND, kv, eq);
    }
    const char *body = (const char *)data + rest;
    size_t len = size - rest;
    srv_reply reply = {0};
    bool method_ok = true;
    if (!l.failed && collect_body(body, len, &l, &reply) && name)
        srv_api(&s, name, len > 0, l.items, l.n, srv_now(), &reply, &method_ok);
    (void)token_ok(&s, text);
    (void)plain_path(text);
    json_decref(reply.doc);
    params_free(&l);
    free(text);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#if defined(FUZZ_GEOJSON)
    put("net.geojson", data, size);
    load_and_free(in_dir("net.geojson"), COR_FORMAT_GEOJSON);
#elif defined(FUZZ_CSV)
    size_t rest, n = split(data, size, &rest);
    put("nodes.csv", data, n);
    put("links.csv", data + rest, size - rest);
    load_and_free(in_dir(""), COR_FORMAT_CSV);
#elif defined(FUZZ_PGROUTING)
    put("edges.csv", data, size);
    load_and_free(in_dir("edges.csv"), COR_FORMAT_PGROUTING);
#elif defined(FUZZ_DIMACS)
    size_t rest, n = split(data, size, &rest);
    put("net.gr", data, n);
    if (rest < size || n < size) put("net.co", data + rest, size - rest);
    else unlink(in_dir("net.co"));
    load_and_free(in_dir("net.gr"), COR_FORMAT_DIMACS);
#elif defined(FUZZ_GZIP)
    /* the first byte picks what the decompressed text is read as */
    static const char *names[] = {"net.geojson.gz", "net.gr.gz", "edges.csv.gz"};
    if (size == 0) return 0;
    const char *name = names[data[0] % 3];
    put(name, data + 1, size - 1);
    load_and_free(in_dir(name), COR_FORMAT_AUTO);
    unlink(in_dir(name));
#elif defined(FUZZ_COR)
    put("net.cor", data, size);
    load_and_free(in_dir("net.cor"), COR_FORMAT_COR);
#elif defined(FUZZ_SCENARIO)
    cor_scenario *sc = NULL;
    cor_error err;
    cor_error_init(&err);
    if (cor_scenario_parse(&sc, (const char *)data, size, "fuzz.json", base_network(), &err) ==
        COR_OK) {
        cor_profile p;
        cor_profile_init(&p);
        p.scenario = sc;
        cor_graph *g = NULL;
        cor_error_clear(&err);
        (void)cor_graph_compile(&g, base_network(), &p, &err);
        cor_graph_free(g);
    }
    cor_scenario_free(sc);
    cor_error_clear(&err);
#elif defined(FUZZ_DEMAND) || defined(FUZZ_CLOSED)
    put("rows.csv", data, size);
    cor_error err;
    cor_error_init(&err);
    size_t n = 0;
#if defined(FUZZ_DEMAND)
    cor_demand *rows = NULL;
    (void)cor_demand_load(in_dir("rows.csv"), base_network(), &rows, &n, &err);
#else
    cor_closed_link *rows = NULL;
    (void)cor_closed_load(in_dir("rows.csv"), base_network(), &rows, &n, &err);
#endif
    free(rows);
    cor_error_clear(&err);
#elif defined(FUZZ_PAIRS)
    put("pairs.txt", data, size);
    size_t n = 0;
    free(read_pairs(in_dir("pairs.txt"), NULL, base_network(), &n)); /* the default limits */
#elif defined(FUZZ_HTTP)
    http_request(data, size);
#else
#error "define one FUZZ_<TARGET>"
#endif
    return 0;
}
