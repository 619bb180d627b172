/*
 * http.c — the HTTP side of `corridor serve` (libmicrohttpd): limits, the bearer token,
 * request bodies, JSON errors, the web page's static files, and handing analyses to the
 * work queue.
 *
 * libmicrohttpd runs a few poll threads (epoll) that only read requests and write answers,
 * so a slow or idle client costs a connection, never a thread. It calls on_uri as soon as
 * a request line is in (the request's clock starts there, and a query with more than
 * SRV_MAX_PARAMS parameters is cut before libmicrohttpd parses it: parsing hundreds would
 * exhaust the connection's memory and leave the request unanswered), then on_request once
 * the headers are in (everything that can be refused without the body is refused there:
 * unknown endpoint, wrong method, missing token, too many requests in flight, a declared
 * body too large, too many parameters, a value that is not UTF-8), then with each piece of
 * the body (a body crossing --max-body is refused at once), then once more to answer.
 * The cheap endpoints answer there and then; an analysis becomes a job of the work queue
 * (queue.c) and its connection is suspended until a worker resumes it with the answer.
 *
 * Requests in flight are counted here, not by libmicrohttpd's connection limit, so that one
 * over --max-connections gets a 503 with a JSON error instead of a refused connection;
 * libmicrohttpd's own limits (--max-clients in all, --per-client from one address) bound
 * the connections held open. A request is counted from its headers until its answer is
 * sent, so a slow upload holds its place.
 */
#define _GNU_SOURCE
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

double srv_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void srv_error(srv_reply *reply, unsigned status, const char *field, const char *fmt, ...)
{
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_decref(reply->doc);
    reply->status = status;
    reply->text = NULL;
    reply->doc = json_pack("{s:{s:i, s:s, s:o?}}", "error", "code", (int)status, "message", msg,
                           "field", field && *field ? json_string(field) : NULL);
    if (reply->doc) return;
    /* a message or field quoting what is not UTF-8 (a URL's bytes): said with '?' */
    char safe_field[256];
    snprintf(safe_field, sizeof safe_field, "%s", field ? field : "");
    for (char *p = msg; *p; p++)
        if ((unsigned char)*p >= 0x80) *p = '?';
    for (char *p = safe_field; *p; p++)
        if ((unsigned char)*p >= 0x80) *p = '?';
    reply->doc = json_pack("{s:{s:i, s:s, s:o?}}", "error", "code", (int)status, "message", msg,
                           "field", *safe_field ? json_string(safe_field) : NULL);
}

/* ---------------------------------------------------------------- one request */


static enum MHD_Result send_reply(struct MHD_Connection *conn, srv_reply *reply,
                                  const char *allow)
{
    struct MHD_Response *res;
    if (reply->text)
        res = MHD_create_response_from_buffer(reply->text_len, (void *)reply->text,
                                              MHD_RESPMEM_PERSISTENT);
    else {
        char *text = json_dumps(reply->doc, JSON_COMPACT | JSON_REAL_PRECISION(12));
        if (!text) text = strdup("{\"error\":{\"code\":500,\"message\":\"out of memory\",\"field\":null}}");
        if (!text) return MHD_NO;
        res = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
        if (!res) free(text);
    }
    json_decref(reply->doc);
    reply->doc = NULL;
    if (!res) return MHD_NO;
    MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE,
                            reply->text ? "application/geo+json" : "application/json");
    MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(res, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (allow) MHD_add_response_header(res, MHD_HTTP_HEADER_ALLOW, allow);
    /* a 503 is a matter of load or of stopping: worth another try in a second */
    if (reply->status == MHD_HTTP_SERVICE_UNAVAILABLE)
        MHD_add_response_header(res, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    if (reply->status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(res, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    enum MHD_Result rc = MHD_queue_response(conn, reply->status, res);
    MHD_destroy_response(res);
    return rc;
}

static enum MHD_Result send_error(struct MHD_Connection *conn, unsigned status,
                                  const char *allow, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static enum MHD_Result send_error(struct MHD_Connection *conn, unsigned status,
                                  const char *allow, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    srv_reply reply = {0};
    srv_error(&reply, status, NULL, "%s", msg);
    return send_reply(conn, &reply, allow);
}

/* "Bearer <token>", compared in constant time: the loop always runs over the whole
 * expected token, whatever was given. */
static bool token_ok(const srv *s, const char *header)
{
    if (!s->token) return true;
    if (!header || strncmp(header, "Bearer ", 7) != 0) return false;
    const char *given = header + 7;
    size_t n = strlen(given);
    volatile unsigned char diff = n != s->token_len;
    for (size_t i = 0; i < s->token_len; i++)
        diff |= (unsigned char)s->token[i] ^ (unsigned char)(i < n ? given[i] : 0);
    return diff == 0;
}

/* ---------------------------------------------------------------- parameters */

typedef struct param_list {
    srv_param *items;
    size_t n, cap;
    bool failed;
} param_list;

static void params_add(param_list *l, const char *name, char *value, json_t *object)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        srv_param *items = realloc(l->items, cap * sizeof *items);
        if (!items) {
            l->failed = true;
            free(value);
            json_decref(object);
            return;
        }
        l->items = items, l->cap = cap;
    }
    char *n = strdup(name);
    if (!n || !value) l->failed = true;
    l->items[l->n++] = (srv_param){n, value, object};
}

static void params_free(param_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].name);
        free(l->items[i].value);
        json_decref(l->items[i].object);
    }
    free(l->items);
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    params_add(cls, key, strdup(value ? value : ""), NULL);
    return MHD_YES;
}

/* Whether text is UTF-8 (jansson's check: every parameter ends up in JSON). */
static bool is_utf8(const char *text)
{
    json_t *j = json_string(text);
    json_decref(j);
    return j != NULL;
}

/* The first query parameter whose name or value is not UTF-8 once unescaped. */
typedef struct bad_param {
    bool found, in_name;
    char name[128];
} bad_param;

static enum MHD_Result find_non_utf8(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    bad_param *b = cls;
    if (is_utf8(key) && (!value || is_utf8(value))) return MHD_YES;
    b->found = true;
    b->in_name = !is_utf8(key);
    if (!b->in_name) snprintf(b->name, sizeof b->name, "%s", key);
    return MHD_NO;
}

/* One JSON value as parameter text: strings as they are, numbers, true/false, arrays of
 * those joined by commas; a demand's rows as "from,to,quantity;..." and closed links as
 * "link,crew_days;..." (objects or arrays). */
static char *value_text(const char *name, json_t *v, char *why, size_t size)
{
    char buf[64];
    switch (json_typeof(v)) {
    case JSON_STRING: return strdup(json_string_value(v));
    case JSON_INTEGER: snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); return strdup(buf);
    case JSON_REAL: snprintf(buf, sizeof buf, "%.17g", json_real_value(v)); return strdup(buf);
    case JSON_TRUE: return strdup("true");
    case JSON_FALSE: return strdup("false");
    case JSON_ARRAY: break;
    default:
        snprintf(why, size, "'%s' must be a string, a number, a boolean or an array", name);
        return NULL;
    }
    bool closed = strcmp(name, "closed") == 0;
    bool rows = strcmp(name, "demand") == 0 || strcmp(name, "od") == 0 || closed;
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    size_t i;
    json_t *item;
    bool ok = f != NULL;
    json_array_foreach(v, i, item) {
        if (!ok) break;
        if (closed && json_is_object(item))
            item = json_pack("[O?O?]", json_object_get(item, "link"), json_object_get(item, "crew_days"));
        else if (rows && json_is_object(item))
            item = json_pack("[O?O?O?]", json_object_get(item, "from"), json_object_get(item, "to"),
                             json_object_get(item, "quantity"));
        else json_incref(item);
        char *text = item && (!json_is_array(item) || rows)
                         ? value_text(rows ? "demand row" : name, item, why, size)
                         : NULL;
        if (!text && item && json_is_array(item) && !rows)
            snprintf(why, size, "'%s' must be a list of strings or numbers", name);
        if (!item) snprintf(why, size, closed ? "'%s': a row needs link and crew_days" : "'%s': a row needs from, to and quantity", name);
        json_decref(item);
        if (!text) ok = false;
        else fprintf(f, "%s%s", i ? (rows ? ";" : ",") : "", text);
        free(text);
    }
    if (f && fclose(f) != 0) ok = false;
    if (!ok) {
        free(out);
        return NULL;
    }
    return out;
}

/* The body's members as parameters; false (reply filled) when it is not a JSON object of
 * such values. */
static bool collect_body(const char *body, size_t len, param_list *l, srv_reply *reply)
{
    if (len == 0) return true;
    json_error_t jerr;
    json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        srv_error(reply, MHD_HTTP_BAD_REQUEST, "body", "malformed JSON body: line %d, column %d: %s",
                  jerr.line, jerr.column, jerr.text);
        return false;
    }
    if (!json_is_object(doc)) {
        json_decref(doc);
        srv_error(reply, MHD_HTTP_BAD_REQUEST, "body",
                  "the body must be a JSON object whose members are the parameters");
        return false;
    }
    if (json_is_array(json_object_get(doc, "changes")) && !json_object_get(doc, "scenario")) {
        /* the body is a scenario document itself (curl -d @scenario.json): the other
         * parameters come from the query */
        params_add(l, "scenario", strdup(""), doc);
        return true;
    }
    const char *key;
    json_t *v;
    char why[256];
    json_object_foreach(doc, key, v) {
        if (strcmp(key, "scenario") == 0 && json_is_object(v)) {
            params_add(l, key, strdup(""), json_incref(v));
            continue;
        }
        char *text = value_text(key, v, why, sizeof why);
        if (!text) {
            srv_error(reply, MHD_HTTP_BAD_REQUEST, key, "%s", why);
            json_decref(doc);
            return false;
        }
        params_add(l, key, text, NULL);
    }
    json_decref(doc);
    return true;
}

/* ---------------------------------------------------------------- static files */

static const char *content_type(const char *path)
{
    static const char *const types[][2] = {
        {"html", "text/html; charset=utf-8"}, {"js", "text/javascript; charset=utf-8"},
        {"mjs", "text/javascript; charset=utf-8"}, {"css", "text/css; charset=utf-8"},
        {"json", "application/json"}, {"geojson", "application/geo+json"},
        {"map", "application/json"}, {"svg", "image/svg+xml"}, {"png", "image/png"},
        {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"gif", "image/gif"},
        {"webp", "image/webp"}, {"ico", "image/x-icon"}, {"woff2", "font/woff2"},
        {"woff", "font/woff"}, {"ttf", "font/ttf"}, {"txt", "text/plain; charset=utf-8"},
        {"wasm", "application/wasm"}};
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash))
        for (size_t i = 0; i < sizeof types / sizeof *types; i++)
            if (strcasecmp(dot + 1, types[i][0]) == 0) return types[i][1];
    return "application/octet-stream";
}

/* A path the page may be served from: no "..", no hidden names, no backslash. */
static bool plain_path(const char *url)
{
    if (url[0] != '/' || strchr(url, '\\')) return false;
    for (const char *p = url; (p = strchr(p, '/')) != NULL; p++)
        if (p[1] == '.') return false; /* "..", ".git", "./" */
    return true;
}

static enum MHD_Result serve_file(srv *s, struct MHD_Connection *conn, const char *url)
{
    if (!s->web_real)
        return send_error(conn, MHD_HTTP_NOT_FOUND, NULL,
                          "the web page is not built: run scripts/web.sh (it builds web/dist) or give "
                          "--web DIR; looked in %s",
                          s->cfg.web_dir);
    char want[PATH_MAX], real[PATH_MAX];
    if (!plain_path(url)) return send_error(conn, MHD_HTTP_NOT_FOUND, NULL, "no such file");
    size_t ul = strlen(url);
    int n = snprintf(want, sizeof want, "%s%s%s", s->web_real, url,
                     url[ul - 1] == '/' ? "index.html" : "");
    if (n < 0 || (size_t)n >= sizeof want || !realpath(want, real))
        return send_error(conn, MHD_HTTP_NOT_FOUND, NULL, "no such file");
    size_t wl = strlen(s->web_real);
    struct stat st;
    int fd = -1;
    /* realpath resolved every symlink: the file must still be inside the folder */
    if (strncmp(real, s->web_real, wl) != 0 || real[wl] != '/' ||
        (fd = open(real, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) != 0 ||
        !S_ISREG(st.st_mode)) {
        if (fd >= 0) close(fd);
        return send_error(conn, MHD_HTTP_NOT_FOUND, NULL, "no such file");
    }
    struct MHD_Response *res = MHD_create_response_from_fd64((uint64_t)st.st_size, fd);
    if (!res) {
        close(fd);
        return MHD_NO;
    }
    MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE, content_type(real));
    MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(res, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    enum MHD_Result rc = MHD_queue_response(conn, MHD_HTTP_OK, res);
    MHD_destroy_response(res);
    return rc;
}

/* ---------------------------------------------------------------- the handler */

/* The endpoint's name when url is /v1/NAME, else NULL. */
static const char *api_name(const char *url)
{
    return strncmp(url, "/v1/", 4) == 0 ? url + 4 : NULL;
}

static bool method_allowed(const char *allow, const char *method)
{
    if (strcmp(method, "HEAD") == 0) method = "GET";
    size_t n = strlen(method);
    for (const char *p = allow; (p = strstr(p, method)) != NULL; p += n)
        if ((p == allow || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0')) return true;
    return false;
}

/* ---------------------------------------------------------------- one request */

enum { JOB_NONE, JOB_QUEUED, JOB_DONE };

/* An analysis handed to the work queue; its connection is suspended meanwhile. */
struct srv_job {
    srv *s;
    struct MHD_Connection *conn;
    char *name;
    bool post;
    param_list params;
    double start;
    srv_reply reply;
    atomic_int state;
};

/* What is known of a request between libmicrohttpd's calls (its *con_cls). */
typedef struct request {
    double start;     /* when its request line came in: the deadline counts from here */
    bool seen;        /* its headers were looked at */
    bool counted;     /* in s->in_flight */
    bool too_big;     /* the body crossed --max-body: refused */
    size_t dropped;   /* bytes of the body dropped since */
    size_t n_query;   /* parameters of the query when more than SRV_MAX_PARAMS, else 0 */
    char *body;
    size_t len;
    srv_job job;
} request;

static request *request_new(void)
{
    request *rq = calloc(1, sizeof *rq);
    if (rq) rq->start = srv_now();
    return rq;
}

/* Runs on a worker: the analysis, unless the server is stopping or the request waited
 * past its deadline; then the connection is resumed to send the answer. */
static void run_job(srv_job *job, bool stopping)
{
    srv *s = job->s;
    double late = srv_now() - job->start - (double)s->cfg.deadline_ms / 1000.0;
    if (!job->name)
        srv_error(&job->reply, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "out of memory");
    else if (stopping)
        srv_error(&job->reply, MHD_HTTP_SERVICE_UNAVAILABLE, NULL,
                  "the server is stopping: the request was not run; try again later");
    else if (late > 0)
        srv_error(&job->reply, MHD_HTTP_SERVICE_UNAVAILABLE, NULL,
                  "the request waited for a worker past its deadline of %ld ms (--deadline-ms) "
                  "and was not run; try again later",
                  s->cfg.deadline_ms);
    else {
        bool method_ok = true;
        srv_api(s, job->name, job->post, job->params.items, job->params.n, job->start,
                &job->reply, &method_ok);
        if (atomic_load(&s->stopping) && job->reply.status == MHD_HTTP_SERVICE_UNAVAILABLE)
            srv_error(&job->reply, MHD_HTTP_SERVICE_UNAVAILABLE, NULL,
                      "stopped: the server is stopping; try again later");
    }
    struct MHD_Connection *conn = job->conn;
    atomic_store(&job->state, JOB_DONE);
    MHD_resume_connection(conn); /* the request may be gone once this returns */
}

/* Hands a request's analysis to the queue, its connection suspended until a worker has the
 * answer; a full queue answers 503 at once. */
static enum MHD_Result enqueue(srv *s, struct MHD_Connection *conn, const char *name, bool post,
                               request *rq, param_list *params)
{
    if (!srv_queue_reserve(s->queue)) {
        size_t waiting, running, depth;
        srv_queue_stats(s->queue, &waiting, &running, &depth);
        if (atomic_load(&s->stopping))
            return send_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE, NULL,
                              "the server is stopping; try again later");
        return send_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE, NULL,
                          "busy: %zu analyses wait for a worker, the limit is %zu (--queue); try "
                          "again shortly",
                          waiting, depth);
    }
    srv_job *job = &rq->job;
    job->s = s;
    job->conn = conn;
    job->post = post;
    job->start = rq->start;
    job->params = *params;
    *params = (param_list){0};
    job->name = strdup(name);
    atomic_store(&job->state, JOB_QUEUED);
    atomic_fetch_add(&s->open_jobs, 1);
    MHD_suspend_connection(conn);
    srv_queue_push(s->queue, job); /* run_job answers a NULL name "out of memory" */
    return MHD_YES;
}

/* The first call of a request: what can be refused before the body. MHD_YES without a
 * response queued to go on. */
static enum MHD_Result on_headers(srv *s, struct MHD_Connection *conn, const char *url,
                                  const char *method, request *rq)
{
    const char *name = api_name(url);
    if (rq->n_query)
        return send_error(conn, MHD_HTTP_BAD_REQUEST, NULL,
                          "the query has %zu parameters; the limit is %d", rq->n_query,
                          SRV_MAX_PARAMS);
    if (!name) {
        if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
            return send_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "GET, HEAD",
                              "%s is not allowed on the page's files: use GET", method);
        return serve_file(s, conn, url);
    }
    const char *allow = srv_api_allow(name);
    if (strcmp(name, "health") != 0 &&
        !token_ok(s, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION)))
        return send_error(conn, MHD_HTTP_UNAUTHORIZED, NULL,
                          "this server needs 'Authorization: Bearer <token>' (see --token-file)");
    if (!allow) return send_error(conn, MHD_HTTP_NOT_FOUND, NULL, "no endpoint /v1/%s", name);
    if (!method_allowed(allow, method))
        return send_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED, allow,
                          "/v1/%s takes %s, not %s", name, allow, method);
    bad_param bad = {0};
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, find_non_utf8, &bad);
    if (bad.found) {
        srv_reply reply = {0};
        if (bad.in_name)
            srv_error(&reply, MHD_HTTP_BAD_REQUEST, NULL,
                      "a parameter's name is not UTF-8 (once its %%XX escapes are decoded)");
        else
            srv_error(&reply, MHD_HTTP_BAD_REQUEST, bad.name,
                      "'%s' is not UTF-8 (once its %%XX escapes are decoded)", bad.name);
        return send_reply(conn, &reply, NULL);
    }
    if (strcmp(name, "health") != 0) {
        rq->counted = true;
        long now = atomic_fetch_add(&s->in_flight, 1) + 1;
        if (now > s->cfg.max_connections)
            return send_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE, NULL,
                              "busy: %ld requests in flight, the limit is %ld (--max-connections); "
                              "try again shortly",
                              now - 1, s->cfg.max_connections);
    }
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    long declared;
    if (cl && cor_parse_long(cl, &declared) && declared > s->cfg.max_body)
        return send_error(conn, MHD_HTTP_CONTENT_TOO_LARGE, NULL,
                          "the body has %ld bytes; the limit is %ld (--max-body)", declared,
                          s->cfg.max_body);
    return MHD_YES;
}

/* The answer to a body that crossed --max-body while it was coming in (chunked: no
 * Content-Length to refuse it by). libmicrohttpd 0.9.75 takes no response until the body is
 * complete, and reading it to its end would read whatever a client sends; so the 413 is
 * written to the socket here and the sending side shut: the client sees the answer, then
 * the end. What comes after is dropped, up to SRV_LINGER_BYTES (a client still sending
 * when the connection closes gets a reset, which can drop the answer before it is read),
 * then MHD_NO makes libmicrohttpd close the connection. */
static void refuse_body(srv *s, struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    srv_reply reply = {0};
    srv_error(&reply, MHD_HTTP_CONTENT_TOO_LARGE, NULL,
              "the body is larger than the limit of %ld bytes (--max-body)", s->cfg.max_body);
    char *body = json_dumps(reply.doc, JSON_COMPACT);
    json_decref(reply.doc);
    if (ci && body) {
        char head[256];
        int n = snprintf(head, sizeof head,
                         "HTTP/1.1 413 Content Too Large\r\nContent-Type: application/json\r\n"
                         "Content-Length: %zu\r\nConnection: close\r\nCache-Control: no-store\r\n"
                         "X-Content-Type-Options: nosniff\r\n\r\n",
                         strlen(body));
        if (send(ci->connect_fd, head, (size_t)n, MSG_NOSIGNAL) == n)
            (void)send(ci->connect_fd, body, strlen(body), MSG_NOSIGNAL);
        shutdown(ci->connect_fd, SHUT_WR);
    }
    free(body);
}

/* A piece of the body; past --max-body the request is refused at once (refuse_body). */
static enum MHD_Result on_body(srv *s, struct MHD_Connection *conn, request *rq,
                               const char *data, size_t *size)
{
    size_t n = *size;
    *size = 0;
    if (rq->too_big) return (rq->dropped += n) > SRV_LINGER_BYTES ? MHD_NO : MHD_YES;
    if (rq->len + n > (size_t)s->cfg.max_body) {
        rq->too_big = true;
        free(rq->body);
        rq->body = NULL;
        refuse_body(s, conn);
        return MHD_YES;
    }
    char *body = realloc(rq->body, rq->len + n + 1);
    if (!body) return MHD_NO;
    memcpy(body + rq->len, data, n);
    rq->body = body;
    rq->len += n;
    return MHD_YES;
}

/* The whole request is in: its parameters, then the answer, here or from the queue. */
static enum MHD_Result on_complete_request(srv *s, struct MHD_Connection *conn, const char *url,
                                           const char *method, request *rq)
{
    const char *name = api_name(url);
    bool post = strcmp(method, "POST") == 0;
    param_list params = {0};
    srv_reply reply = {0};
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, &params);
    bool method_ok = true;
    if (post && !collect_body(rq->body, rq->len, &params, &reply)) {
        /* reply holds the body's fault */
    } else if (params.failed) {
        srv_error(&reply, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "out of memory");
    } else if (params.n > SRV_MAX_PARAMS) {
        srv_error(&reply, MHD_HTTP_BAD_REQUEST, post ? "body" : NULL,
                  "the request has %zu parameters; the limit is %d", params.n, SRV_MAX_PARAMS);
    } else if (srv_api_queued(name)) {
        enum MHD_Result rc = enqueue(s, conn, name, post, rq, &params);
        params_free(&params);
        return rc;
    } else {
        srv_api(s, name, post, params.items, params.n, rq->start, &reply, &method_ok);
    }
    params_free(&params);
    return send_reply(conn, &reply, NULL);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    srv *s = cls;
    request *rq = *con_cls;
    if (!rq && !(rq = *con_cls = request_new())) return MHD_NO;
    if (!rq->seen) {
        rq->seen = true;
        return on_headers(s, conn, url, method, rq);
    }
    if (*upload_size) return on_body(s, conn, rq, upload_data, upload_size);
    if (rq->too_big) return MHD_NO; /* answered 413 already, on the socket */
    switch (atomic_load(&rq->job.state)) {
    case JOB_DONE: return send_reply(conn, &rq->job.reply, NULL);
    case JOB_QUEUED: return MHD_YES; /* not reached: suspended until done */
    default: return on_complete_request(s, conn, url, method, rq);
    }
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn, (void)toe;
    srv *s = cls;
    request *rq = *con_cls;
    if (!rq) return;
    if (rq->counted) atomic_fetch_sub(&s->in_flight, 1);
    if (atomic_load(&rq->job.state) != JOB_NONE) atomic_fetch_sub(&s->open_jobs, 1);
    json_decref(rq->job.reply.doc);
    params_free(&rq->job.params);
    free(rq->job.name);
    free(rq->body);
    free(rq);
    *con_cls = NULL;
}

/* The request line is in: the request's clock starts. A query of more than SRV_MAX_PARAMS
 * parameters is cut off here, before libmicrohttpd parses it into its connection's memory
 * (which hundreds of them exhaust: it then closes the connection without an answer), and
 * answered 400 once the headers are in. The URI is libmicrohttpd's writable read buffer,
 * about to be split at the '?' it points past. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls, (void)conn;
    request *rq = request_new();
    char *query = strchr(uri, '?');
    if (!rq || !query) return rq;
    size_t n = 1;
    for (const char *p = query + 1; (p = strchr(p, '&')) != NULL; p++) n++;
    if (n > SRV_MAX_PARAMS) {
        rq->n_query = n;
        query[1] = '\0';
    }
    return rq;
}

/* URLs and query values are unescaped as usual, except that "%00" is left as it is: a NUL
 * would end the C string early ("/index.html%00.png" would name index.html). */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls, (void)conn;
    return strstr(s, "%00") ? strlen(s) : MHD_http_unescape(s);
}

/* ---------------------------------------------------------------- running */

/* After SIGTERM or SIGINT: no new connections, running analyses cancelled (env_expired in
 * api.c sees s->stopping), waiting ones answered 503, their answers sent; all within
 * SRV_DRAIN_S. An analysis in a library call without a cancel hook may outlast it: the
 * process then leaves without waiting for it. */
static void drain(srv *s, struct MHD_Daemon *d)
{
    double until = srv_now() + SRV_DRAIN_S;
    MHD_socket listener = MHD_quiesce_daemon(d);
    atomic_store(&s->stopping, true);
    if (!srv_queue_stop(s->queue, until)) {
        fprintf(stderr, "corridor: an analysis still runs %.0f s after the signal: exiting without it\n",
                SRV_DRAIN_S);
        fflush(stderr);
        _exit(EXIT_ANSWERED);
    }
    /* every job is answered; give the answers until `until` to be sent */
    struct timespec tick = {0, 10 * 1000 * 1000};
    while (atomic_load(&s->open_jobs) > 0 && srv_now() < until) nanosleep(&tick, NULL);
    MHD_stop_daemon(d);
    if (listener != MHD_INVALID_SOCKET) close(listener);
}

int srv_run(srv *s)
{
    struct sockaddr_in v4 = {0};
    struct sockaddr_in6 v6 = {0};
    const struct sockaddr *addr;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
                     (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES ? MHD_USE_EPOLL
                                                                             : MHD_USE_POLL);
    bool ipv6 = strchr(s->cfg.bind, ':') != NULL;
    if (!ipv6 && inet_pton(AF_INET, s->cfg.bind, &v4.sin_addr) == 1) {
        v4.sin_family = AF_INET;
        v4.sin_port = htons((uint16_t)s->cfg.port);
        addr = (const struct sockaddr *)&v4;
    } else if (ipv6 && inet_pton(AF_INET6, s->cfg.bind, &v6.sin6_addr) == 1) {
        v6.sin6_family = AF_INET6;
        v6.sin6_port = htons((uint16_t)s->cfg.port);
        addr = (const struct sockaddr *)&v6;
        flags |= MHD_USE_IPv6;
    } else {
        return cli_usage_error("serve", "--bind needs an IP address such as 127.0.0.1 or ::1, got '%s'",
                               s->cfg.bind);
    }
    /* SIGINT and SIGTERM are taken by sigwait below; the server's threads inherit the mask. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    if (!(s->queue = srv_queue_new((size_t)s->cfg.threads, (size_t)s->cfg.queue_depth, run_job))) {
        fprintf(stderr, "corridor serve: cannot start the worker threads: %s\n", strerror(errno));
        return EXIT_BAD;
    }
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)s->cfg.port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)SRV_POLL_THREADS, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)s->cfg.max_clients, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)s->cfg.per_client, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->cfg.idle_timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SRV_CONNECTION_MEMORY,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "corridor serve: cannot listen on %s port %ld: %s\n", s->cfg.bind,
                s->cfg.port, strerror(errno));
        if (srv_queue_stop(s->queue, srv_now() + SRV_DRAIN_S)) srv_queue_free(s->queue);
        s->queue = NULL;
        return EXIT_BAD;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    fprintf(stderr, "corridor: listening on http://%s%s%s:%u/\n", ipv6 ? "[" : "", s->cfg.bind,
            ipv6 ? "]" : "", info ? info->port : (unsigned)s->cfg.port);
    fflush(stderr);
    int sig = 0;
    while (sigwait(&stop, &sig) != 0) {
    }
    fprintf(stderr, "corridor: %s: stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    drain(s, d);
    srv_queue_free(s->queue);
    s->queue = NULL;
    return EXIT_ANSWERED;
}
