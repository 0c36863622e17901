/* Work that takes longer than a frame on a big board (the report views, the
 * board's counts under a search or filter) runs on one background thread
 * with its own read connection, so a key always gets its frame at once and
 * the numbers follow when they are ready.  SQLite in WAL mode lets that
 * connection read while this one writes.
 *
 * Jobs go in slots: a newer job replaces one still waiting in its slot, and
 * the result of a job overtaken by a newer one in its slot is dropped, so
 * the screen only ever shows the latest question's answer.  Without a
 * second connection (an in-memory database) each job runs in place. */
#include "config.h"

#include <curses.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui.h"

struct tui_worker {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    lb_db *db;
    tui_job *queued[JOB_SLOTS]; /* waiting, one per slot */
    tui_job *done;              /* finished, newest first */
    int running;                /* jobs taken by the thread and not yet done */
    tui_job *current;           /* the one running */
    uint64_t seq, latest[JOB_SLOTS], latest_question[JOB_SLOTS];
    bool stop;
};

static void *work(void *arg)
{
    tui_worker *w = arg;
    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        tui_job *j = NULL;
        for (int s = 0; s < JOB_SLOTS && !j; s++)
            if (w->queued[s]) {
                j = w->queued[s];
                w->queued[s] = NULL;
            }
        if (!j) {
            pthread_cond_wait(&w->cv, &w->mu);
            continue;
        }
        w->running++;
        w->current = j;
        pthread_mutex_unlock(&w->mu);
        j->run(w->db, j);
        pthread_mutex_lock(&w->mu);
        w->current = NULL;
        w->running--;
        j->next = w->done;
        w->done = j;
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

uint64_t job_hash(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001B3ULL;
    return (h ^ 0xFF) * 0x100000001B3ULL; /* an end mark: "ab","c" is not "a","bc" */
}

bool worker_start(app *a)
{
    lb_err err;
    const char *path = db_path(a->db);
    if (strcmp(path, ":memory:") == 0)
        return false;
    tui_worker *w = calloc(1, sizeof *w);
    if (!w)
        return false;
    if (db_open(path, &w->db, &err) != LB_OK) {
        free(w);
        return false;
    }
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->thread, NULL, work, w) != 0) {
        db_close(w->db);
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        free(w);
        return false;
    }
    a->worker = w;
    return true;
}

void worker_post(app *a, tui_job *j)
{
    tui_worker *w = a->worker;
    if (!w) {
        j->run(a->db, j);
        j->done(a, j);
        j->free(j);
        return;
    }
    tui_job *old;
    pthread_mutex_lock(&w->mu);
    j->seq = ++w->seq;
    w->latest[j->slot] = j->seq;
    w->latest_question[j->slot] = j->question;
    old = w->queued[j->slot];
    w->queued[j->slot] = j;
    /* The job running in this slot answers another question: stop it (its
     * result would be dropped) so this one starts at once.  Under the lock
     * the thread cannot move on to another job meanwhile. */
    tui_job *cur = w->current;
    if (cur && cur->slot == j->slot && cur->question != j->question && !cur->interrupted) {
        cur->interrupted = true; /* its partial answer is dropped */
        db_interrupt(w->db);
    }
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    if (old)
        old->free(old);
}

bool worker_poll(app *a)
{
    tui_worker *w = a->worker;
    if (!w)
        return false;
    pthread_mutex_lock(&w->mu);
    tui_job *list = w->done;
    w->done = NULL;
    pthread_mutex_unlock(&w->mu);
    /* oldest first, as they were asked */
    tui_job *rev = NULL;
    while (list) {
        tui_job *n = list->next;
        list->next = rev;
        rev = list;
        list = n;
    }
    bool any = false;
    while (rev) {
        tui_job *n = rev->next;
        /* the newest job of its slot, or an older one asking the same */
        if (!rev->interrupted && (rev->seq == w->latest[rev->slot] ||
                                  rev->question == w->latest_question[rev->slot])) {
            rev->done(a, rev);
            any = true;
        }
        rev->free(rev);
        rev = n;
    }
    return any;
}

bool worker_busy(app *a)
{
    tui_worker *w = a->worker;
    if (!w)
        return false;
    pthread_mutex_lock(&w->mu);
    bool busy = w->running > 0 || w->done != NULL;
    for (int s = 0; s < JOB_SLOTS; s++)
        busy = busy || w->queued[s] != NULL;
    pthread_mutex_unlock(&w->mu);
    return busy;
}

void worker_wait(app *a)
{
    struct timespec nap = {0, 1000000}; /* 1 ms */
    while (worker_busy(a)) {
        worker_poll(a);
        if (worker_busy(a))
            nanosleep(&nap, NULL);
    }
}

void worker_stop(app *a)
{
    tui_worker *w = a->worker;
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    if (w->current) { /* quitting does not wait for a count */
        w->current->interrupted = true;
        db_interrupt(w->db);
    }
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    for (int s = 0; s < JOB_SLOTS; s++)
        if (w->queued[s])
            w->queued[s]->free(w->queued[s]);
    while (w->done) {
        tui_job *n = w->done->next;
        w->done->free(w->done);
        w->done = n;
    }
    db_close(w->db);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
    a->worker = NULL;
}

/* ---- the report views' rows ---- */

/* A job dropped before it was done (overtaken in its slot by another
 * view's) leaves its view without rows on the way: it asks again when next
 * drawn. */
static void counted_free(tui_job *j)
{
    tui_count_job *cj = (tui_count_job *)j;
    if (cj->owner->pending_seq == cj->owner_seq)
        cj->owner->pending_seq = 0;
    cj->spec->free_rows(cj);
    free(cj);
}

void counted_fail(tui_count_job *j, lb_status st, const lb_err *err)
{
    snprintf(j->error, sizeof j->error, "%s", err->msg[0] ? err->msg : lb_status_desc(st));
}

static void counted_run(lb_db *db, tui_job *j)
{
    tui_count_job *cj = (tui_count_job *)j;
    lb_err err;
    err.msg[0] = '\0';
    lb_status st = cj->spec->count(db, cj, &err);
    if (st != LB_OK)
        counted_fail(cj, st, &err);
}

static void counted_done(app *a, tui_job *j)
{
    tui_count_job *cj = (tui_count_job *)j;
    cj->owner->pending_seq = 0;
    cj->owner->loaded = true;
    if (cj->error[0])
        app_message(a, true, "%s", cj->error);
    cj->spec->take(a, cj);
}

tui_count_job *counted_new(const tui_count_spec *spec)
{
    tui_count_job *j = calloc(1, spec->size);
    if (j)
        j->spec = spec;
    return j;
}

void counted_post(app *a, tui_counted *c, tui_count_job *j, const char *question)
{
    j->job = (tui_job){.slot = JOB_VIEW, .run = counted_run, .done = counted_done,
                       .free = counted_free};
    j->job.question = job_hash(JOB_HASH_START, question);
    j->owner = c;
    j->owner_seq = ++c->next_seq;
    j->now = a->ctx.now;
    snprintf(j->now_iso, sizeof j->now_iso, "%s", a->ctx.now_iso);
    c->pending_seq = j->owner_seq;
    worker_post(a, &j->job);
}

void counted_load(app *a, tui_counted *c, const tui_count_spec *spec, const char *question)
{
    tui_count_job *j = counted_new(spec);
    if (j)
        counted_post(a, c, j, question);
    else
        app_message(a, true, "out of memory");
}

bool counted_ready(app *a, tui_counted *c, void (*load)(app *a, int64_t lead), const char *busy)
{
    if (!c->loaded && !c->pending_seq)
        load(a, 0);
    if (c->loaded)
        return true;
    draw_text(2, 2, draw_width() - 4, busy, A_BOLD, 0); /* the first count is on its way */
    return false;
}

bool counted_changed(const app *a, tui_view v, tui_change what)
{
    return what != CHANGE_RESIZE && a->view == v;
}
