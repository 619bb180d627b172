/*
 * places.c — reading places (node ids or LON,LAT), snapping coordinates with the
 * library's spatial index, reporting the snaps, and explaining a "no route".
 *
 * The idea: parsing is text work and stays here, shared by every subcommand and the
 * server; the geometry (the nearest usable node, its distance, the limit) and the
 * connectivity are the library's (cor_locator_snap, cor_graph_pieces). The rule that
 * tells a coordinate from an id is in places.h. The trade-off: the locator is built per
 * answer, only when some place is a coordinate, so id-only queries pay nothing and a
 * coordinate query pays O(n log n) on top of its compile (the CLI compiles per run anyway).
 */
#include "places.h"

#include "output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double cli_snap_limit_m(const profile_opts *p) {
    return (p->snap_limit_set ? p->snap_limit_km : CLI_SNAP_LIMIT_KM) * 1000.0;
}

/* A number written with a decimal point and nothing else: "1.5", "-73.", ".25". */
static bool decimal_with_point(const char *s, double *v) {
    if (!strchr(s, '.') || strpbrk(s, "eE") || !cor_parse_double(s, v)) return false;
    return true;
}

static bool push(cli_place *pl, size_t cap, size_t *n, cli_place p, char *msg, size_t size) {
    if (*n >= cap) {
        snprintf(msg, size, "too many places (at most %zu)", cap);
        return false;
    }
    pl[(*n)++] = p;
    return true;
}

/* A coordinate from two tokens; false (msg filled when they read as numbers but are out
 * of range) when they are not one. */
static bool take_coordinate(const char *a, const char *b, cli_place *p, char *msg, size_t size) {
    double lon, lat;
    if (!decimal_with_point(a, &lon) || !decimal_with_point(b, &lat)) return false;
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
        snprintf(msg, size,
                 "'%s,%s' is not a coordinate: longitude must be within -180..180 "
                 "and latitude within -90..90",
                 a, b);
        return false;
    }
    *p = (cli_place){COR_NONE, true, lon, lat, 0, NULL};
    return true;
}

static bool unknown_id(const char *id, char *msg, size_t size) {
    double x;
    if (!*msg)
        snprintf(msg, size, "no node has the id '%s'%s", id,
                 cor_parse_double(id, &x) || strchr(id, ',')
                     ? " (a coordinate is LON,LAT with decimal points, e.g. 1.5218,42.5063)"
                     : "");
    return false;
}

/* One place from tok[0], or from tok[0], tok[1] read as LON,LAT; *used: tokens taken. */
static bool take_place(const cor_network *net, char **tok, size_t left, cli_place *p, size_t *used,
                       char *msg, size_t size) {
    uint32_t v = cor_network_find_node(net, tok[0]);
    cli_place c;
    bool coord = left >= 2 && take_coordinate(tok[0], tok[1], &c, msg, size);
    *used = 1;
    if (v != COR_NONE && coord) {
        snprintf(msg, size,
                 "'%s,%s' reads both as node ids and as a coordinate: separate places with ';' "
                 "('%s;%s' for the nodes, '%s,%s;' for the coordinate)",
                 tok[0], tok[1], tok[0], tok[1], tok[0], tok[1]);
        return false;
    }
    if (v != COR_NONE) {
        *msg = '\0'; /* an out-of-range pair after an id is not a fault of the id */
        *p = (cli_place){v, false, NAN, NAN, 0, NULL};
        return true;
    }
    if (!coord) return unknown_id(tok[0], msg, size);
    *p = c;
    *used = 2;
    return true;
}

bool cli_places_tokens(const cor_network *net, char **tok, size_t n_tok, cli_place *pl, size_t cap,
                       size_t *n, char *msg, size_t msg_size) {
    for (size_t i = 0; i < n_tok;) {
        cli_place p;
        size_t used;
        if (!take_place(net, tok + i, n_tok - i, &p, &used, msg, msg_size) ||
            !push(pl, cap, n, p, msg, msg_size))
            return false;
        i += used;
    }
    return true;
}

static char *trim(char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        s[--len] = '\0';
    return s;
}

/* An item of a ';' list: an id as a whole, else one coordinate, else an unknown id. */
static bool take_item(const cor_network *net, char *item, cli_place *pl, size_t cap, size_t *n,
                      char *msg, size_t size) {
    cli_place p = {cor_network_find_node(net, item), false, NAN, NAN, 0, NULL};
    if (p.node != COR_NONE) return push(pl, cap, n, p, msg, size);
    char *comma = strchr(item, ',');
    bool ok = false;
    if (comma && !strchr(comma + 1, ',')) {
        *comma = '\0';
        ok = take_coordinate(trim(item), trim(comma + 1), &p, msg, size);
        *comma = ',';
    }
    return (ok || unknown_id(item, msg, size)) && push(pl, cap, n, p, msg, size);
}

static bool parse_text(const cor_network *net, char *copy, cli_place *pl, size_t cap, size_t *n,
                       char *msg, size_t size) {
    char *save = NULL;
    if (strchr(copy, ';')) {
        for (char *it = strtok_r(copy, ";", &save); it; it = strtok_r(NULL, ";", &save))
            if (*trim(it) && !take_item(net, trim(it), pl, cap, n, msg, size)) return false;
        return true;
    }
    size_t cap_tok = 1;
    for (const char *c = copy; *c; c++)
        cap_tok += *c == ',';
    char **tok = malloc(cap_tok * sizeof *tok);
    size_t k = 0;
    if (!tok) return snprintf(msg, size, "out of memory"), false;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (*trim(t)) tok[k++] = trim(t);
    bool ok = cli_places_tokens(net, tok, k, pl, cap, n, msg, size);
    free(tok);
    return ok;
}

bool cli_places_parse(const char *cmd, const char *what, const cor_network *net, const char *text,
                      bool one, cli_place *pl, size_t cap, size_t *n) {
    char msg[512] = "";
    size_t first = *n;
    cli_place whole = {cor_network_find_node(net, text), false, NAN, NAN, 0, what};
    bool ok;
    if (whole.node != COR_NONE) /* an id that exists wins, commas and all */
        ok = push(pl, cap, n, whole, msg, sizeof msg);
    else {
        char *copy = strdup(text);
        ok = copy && parse_text(net, copy, pl, cap, n, msg, sizeof msg);
        if (!copy) snprintf(msg, sizeof msg, "out of memory");
        free(copy);
    }
    if (ok && *n == first) ok = (snprintf(msg, sizeof msg, "no place given"), false);
    if (ok && one && *n - first != 1)
        ok = (snprintf(msg, sizeof msg, "takes one place, got %zu in '%s'", *n - first, text),
              false);
    for (size_t i = first; i < *n; i++)
        pl[i].what = what;
    /* an unknown id names nothing (404 in the API); every other fault is the text's */
    cor_status kind =
        strncmp(msg, "no node has the id", 18) == 0 ? COR_ERR_NOT_FOUND : COR_ERR_USAGE;
    if (!ok) cli_fail(cmd, kind, what, "--%s: %s", what, msg);
    return ok;
}

bool cli_places_any(const cli_place *pl, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (pl[i].coordinate) return true;
    return false;
}

/* Snaps with a locator built by the caller; each refusal reported. */
static bool snap_with(const char *cmd, const cor_network *net, const cor_locator *loc,
                      const profile_opts *p, cli_place *pl, size_t n, cor_error *err) {
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++)
        if (pl[i].coordinate)
            ok = cor_locator_snap(loc, net, pl[i].lon, pl[i].lat, cli_snap_limit_m(p), pl[i].what,
                                  &pl[i].node, &pl[i].metres, err) == COR_OK;
    if (!ok && err->count) {
        const cor_problem *pr = &err->problems[0];
        bool far = pr->status == COR_ERR_INPUT && strstr(pr->message, "snap limit");
        cli_fail(cmd, pr->status, pr->field, "%s%s", pr->message,
                 far ? " (--snap-limit KM to allow it)" : "");
    }
    return ok;
}

bool cli_places_snap(const char *cmd, cli_env *env, cor_route_query *q, const profile_opts *p,
                     cli_place *pl, size_t n) {
    if (!cli_places_any(pl, n)) return true;
    cor_error err;
    cor_error_init(&err);
    cor_locator *own = NULL;
    const cor_locator *loc = env->locator ? env->locator(env, q) : NULL;
    if (!env->locator && cor_locator_new(&own, cor_route_query_graph(q), &err) != COR_OK)
        cli_print_problems(&err);
    if (own) loc = own;
    bool ok = loc && snap_with(cmd, env->net, loc, p, pl, n, &err);
    cor_locator_free(own);
    cor_error_clear(&err);
    return ok;
}

bool cli_places_snap_any_node(const char *cmd, const cor_network *net, const profile_opts *p,
                              cli_place *pl, size_t n) {
    if (!cli_places_any(pl, n)) return true;
    cor_error err;
    cor_error_init(&err);
    cor_locator *loc = NULL;
    bool ok = cor_locator_new_nodes(&loc, net, NULL, &err) == COR_OK;
    if (!ok) cli_print_problems(&err);
    ok = ok && snap_with(cmd, net, loc, p, pl, n, &err);
    cor_locator_free(loc);
    cor_error_clear(&err);
    return ok;
}

/* ---------------------------------------------------------------- regions */

/* Nodes a flow can start or end at: those with a link in the profile's layers. */
static bool *layer_nodes(const cor_network *net, const profile_opts *p) {
    unsigned layers = p->profile.layers ? p->profile.layers : 1u << COR_LAYER_TRANSPORT;
    bool *mask = calloc(cor_network_node_count(net) + 1, sizeof *mask);
    for (uint32_t i = 0; mask && i < cor_network_link_count(net); i++) {
        const cor_link *l = cor_network_link(net, i);
        if (layers & (1u << l->layer)) mask[l->from] = mask[l->to] = true;
    }
    return mask;
}

/* Snaps the coordinate places among pl[0..n) into ids appended to out (a memstream). */
static bool region_snap(const char *cmd, const cor_network *net, const profile_opts *p,
                        cli_place *pl, size_t n, FILE *out) {
    cor_error err;
    cor_error_init(&err);
    cor_locator *loc = NULL;
    bool *mask = cli_places_any(pl, n) ? layer_nodes(net, p) : NULL;
    bool ok =
        !cli_places_any(pl, n) || (mask && cor_locator_new_nodes(&loc, net, mask, &err) == COR_OK &&
                                   snap_with(cmd, net, loc, p, pl, n, &err));
    if (mask && !loc && !ok) cli_print_problems(&err);
    for (size_t i = 0; ok && i < n; i++)
        fprintf(out, "%s,", cor_network_node(net, pl[i].node)->id);
    free(mask);
    cor_locator_free(loc);
    cor_error_clear(&err);
    return ok;
}

char *cli_region_places(const char *cmd, const char *what, const cor_network *net,
                        const profile_opts *p, const char *spec, cli_place **snaps,
                        size_t *n_snaps) {
    size_t cap = 2, n = 0, len = 0;
    for (const char *t = spec; *t; t++)
        cap += *t == ',' || *t == ';';
    char *copy = strdup(spec), *save = NULL, *joined = NULL, msg[512] = "";
    char **tok = malloc(cap * sizeof *tok);
    cli_place *pl = malloc(cap * sizeof *pl);
    FILE *out = open_memstream(&joined, &len);
    bool ok = copy && tok && pl && out;
    size_t k = 0;
    for (char *t = ok ? strtok_r(copy, ",;", &save) : NULL; t; t = strtok_r(NULL, ",;", &save))
        if (*trim(t)) tok[k++] = trim(t);
    for (size_t i = 0; ok && i < k;) { /* ids, and coordinates; anything else is kept */
        size_t used = 1;
        cli_place c;
        bool id = cor_network_find_node(net, tok[i]) != COR_NONE;
        bool coord = i + 1 < k && take_coordinate(tok[i], tok[i + 1], &c, msg, sizeof msg);
        if (id && coord) /* the same refusal as for places */
            ok = take_place(net, tok + i, k - i, &c, &used, msg, sizeof msg);
        else if (coord) {
            c.what = what;
            pl[n++] = c;
            used = 2;
        } else if (*msg && !id)
            ok = false;
        else
            fprintf(out, "%s,", tok[i]); /* cor_region_resolve skips the last comma */
        if (ok) *msg = '\0';
        i += used;
    }
    if (!copy || !tok || !pl || !out)
        cli_fail(cmd, COR_ERR_NOMEM, NULL, "out of memory");
    else if (!ok)
        cli_fail(cmd, COR_ERR_USAGE, what, "--%s: %s", what, msg);
    ok = ok && region_snap(cmd, net, p, pl, n, out);
    if (out) fclose(out);
    cli_place *grown = ok && n ? realloc(*snaps, (*n_snaps + n) * sizeof *grown) : NULL;
    if (grown) memcpy(grown + *n_snaps, pl, n * sizeof *pl), *snaps = grown, *n_snaps += n;
    if (ok && n && !grown) ok = !cli_fail(cmd, COR_ERR_NOMEM, NULL, "out of memory");
    if (!ok) free(joined), joined = NULL;
    free(copy);
    free(tok);
    free(pl);
    return joined;
}

json_t *cli_places_json(const cor_network *net, const cli_place *pl, size_t n) {
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        if (pl[i].coordinate)
            json_array_append_new(list, json_pack("{s:s, s:f, s:f, s:s, s:o}", "place", pl[i].what,
                                                  "lon", pl[i].lon, "lat", pl[i].lat, "node",
                                                  cor_network_node(net, pl[i].node)->id, "metres",
                                                  json_num(round(pl[i].metres * 10) / 10)));
    return list;
}

void cli_places_print(FILE *f, const cor_network *net, const cli_place *pl, size_t n) {
    char m[32];
    for (size_t i = 0; i < n; i++) {
        if (!pl[i].coordinate) continue;
        const cor_node *v = cor_network_node(net, pl[i].node);
        fprintf(f, "%s %.6f,%.6f: node %s%s%s%s, %s m away\n", pl[i].what, pl[i].lon, pl[i].lat,
                v->id, v->name ? " (" : "", v->name ? v->name : "", v->name ? ")" : "",
                fmt_num(m, sizeof m, pl[i].metres, 0));
    }
}

/* ---------------------------------------------------------------- no route */

int cli_no_route(const char *cmd, const cor_graph *g, const uint32_t *stops, size_t n) {
    const cor_network *net = cor_graph_network(g);
    cor_error err;
    cor_error_init(&err);
    int rc = EXIT_NO_ANSWER;
    size_t first_same = n;
    char x[32], y[32];
    for (size_t i = 0; i + 1 < n; i++) {
        bool same;
        size_t na, nb;
        const char *a = cor_network_node(net, stops[i])->id,
                   *b = cor_network_node(net, stops[i + 1])->id;
        if (stops[i] == stops[i + 1]) continue;
        if (cor_graph_pieces(g, stops[i], stops[i + 1], &same, &na, &nb, &err) != COR_OK) {
            cli_print_problems(&err);
            rc = EXIT_BAD;
            goto done;
        }
        if (same) {
            if (first_same == n) first_same = i;
            continue;
        }
        if (!na || !nb)
            cli_fail(cmd, COR_ERR_NO_ROUTE, NULL,
                     "no route from '%s' to '%s': '%s' has no link usable with these settings", a,
                     b, na ? b : a);
        else
            cli_fail(
                cmd, COR_ERR_NO_ROUTE, NULL,
                "no route from '%s' to '%s': they are in different connected pieces of the "
                "network with these settings (the piece of '%s' has %s nodes, that of '%s' %s)",
                a, b, a, fmt_num(x, sizeof x, (double)na, 0), b,
                fmt_num(y, sizeof y, (double)nb, 0));
        goto done;
    }
    if (first_same < n) {
        bool same;
        size_t na, nb;
        cor_graph_pieces(g, stops[first_same], stops[first_same + 1], &same, &na, &nb, &err);
        cli_fail(cmd, COR_ERR_NO_ROUTE, NULL,
                 "no route from '%s' to '%s': both are in one connected piece (%s nodes), but "
                 "one-way links leave no path from the first to the second",
                 cor_network_node(net, stops[first_same])->id,
                 cor_network_node(net, stops[first_same + 1])->id,
                 fmt_num(x, sizeof x, (double)na, 0));
    }
done:
    cor_error_clear(&err);
    return rc;
}
