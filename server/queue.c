/*
 * queue.c — the server's work queue: analyses run here, never on libmicrohttpd's threads.
 *
 * libmicrohttpd's few poll threads only read requests and write answers; a request for an
 * analysis becomes a job pushed here, and its connection is suspended until a worker has
 * its answer. The queue is a fixed ring of `depth` places: a push into a full ring fails at
 * once (the caller answers 503 with Retry-After) instead of growing without bound. Workers
 * take jobs in arrival order. Stopping answers every job still waiting without running it
 * (the job's `run` sees `stopping`) and waits, for a bounded time, for the running ones,
 * which the server cancels through the library's progress hook.
 */
#include "server.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

struct srv_queue {
    pthread_mutex_t lock;
    pthread_cond_t work; /* a job was pushed, or stopping */
    pthread_cond_t idle; /* a worker finished a job or left */
    srv_job **ring;
    size_t depth, head, n;
    size_t reserved; /* places promised to a job about to be pushed */
    size_t running;
    bool stopping;
    pthread_t *workers;
    size_t n_workers, alive;
    void (*run)(srv_job *job, bool stopping);
};

static void *worker(void *arg)
{
    srv_queue *q = arg;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        while (!q->n && (!q->stopping || q->reserved))
            pthread_cond_wait(&q->work, &q->lock);
        if (!q->n) break; /* stopping and nothing left or promised */
        srv_job *job = q->ring[q->head];
        q->head = (q->head + 1) % q->depth;
        q->n--;
        q->running++;
        bool stopping = q->stopping;
        pthread_mutex_unlock(&q->lock);
        q->run(job, stopping);
        pthread_mutex_lock(&q->lock);
        q->running--;
        pthread_cond_broadcast(&q->idle);
    }
    q->alive--;
    pthread_cond_broadcast(&q->idle);
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

srv_queue *srv_queue_new(size_t workers, size_t depth, void (*run)(srv_job *job, bool stopping))
{
    srv_queue *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    q->depth = depth ? depth : 1;
    q->run = run;
    q->ring = calloc(q->depth, sizeof *q->ring);
    q->workers = calloc(workers, sizeof *q->workers);
    if (!q->ring || !q->workers) goto fail;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->work, NULL);
    pthread_cond_init(&q->idle, NULL);
    for (; q->n_workers < workers; q->n_workers++) {
        if (pthread_create(&q->workers[q->n_workers], NULL, worker, q) != 0) break;
        q->alive++;
    }
    if (q->n_workers) return q;
    pthread_cond_destroy(&q->idle);
    pthread_cond_destroy(&q->work);
    pthread_mutex_destroy(&q->lock);
fail:
    free(q->ring);
    free(q->workers);
    free(q);
    return NULL;
}

bool srv_queue_reserve(srv_queue *q)
{
    pthread_mutex_lock(&q->lock);
    bool ok = !q->stopping && q->n + q->reserved < q->depth;
    if (ok) q->reserved++;
    pthread_mutex_unlock(&q->lock);
    return ok;
}

void srv_queue_push(srv_queue *q, srv_job *job)
{
    pthread_mutex_lock(&q->lock);
    q->reserved--;
    q->ring[(q->head + q->n) % q->depth] = job;
    q->n++;
    pthread_cond_broadcast(&q->work);
    pthread_mutex_unlock(&q->lock);
}

void srv_queue_stats(srv_queue *q, size_t *waiting, size_t *running, size_t *depth)
{
    pthread_mutex_lock(&q->lock);
    *waiting = q->n;
    *running = q->running;
    *depth = q->depth;
    pthread_mutex_unlock(&q->lock);
}

bool srv_queue_stop(srv_queue *q, double until)
{
    struct timespec at;
    clock_gettime(CLOCK_REALTIME, &at);
    double wait = until - srv_now();
    if (wait < 0) wait = 0;
    at.tv_sec += (time_t)wait;
    at.tv_nsec += (long)((wait - (double)(time_t)wait) * 1e9);
    if (at.tv_nsec >= 1000000000L) at.tv_sec++, at.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&q->lock);
    q->stopping = true;
    pthread_cond_broadcast(&q->work);
    int rc = 0;
    while (q->alive && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&q->idle, &q->lock, &at);
    bool all = q->alive == 0;
    pthread_mutex_unlock(&q->lock);
    if (all)
        for (size_t i = 0; i < q->n_workers; i++)
            pthread_join(q->workers[i], NULL);
    return all;
}

void srv_queue_free(srv_queue *q)
{
    if (!q) return;
    pthread_cond_destroy(&q->idle);
    pthread_cond_destroy(&q->work);
    pthread_mutex_destroy(&q->lock);
    free(q->ring);
    free(q->workers);
    free(q);
}
