/* The board: a thin layer over the core's actions and stores.  term.c is the
 * only file that starts curses; keys.c holds the one table of keys that the
 * input loop and the help screen both read; each view draws from rows it
 * asked a store for. */
#ifndef LEADBOARD_TUI_H
#define LEADBOARD_TUI_H

#include <stdbool.h>
#include <stdint.h>
#include <wchar.h>

#include "leadboard/actions.h"
#include "leadboard/layout.h"
#include "leadboard/store.h"

/* ---- requests and keys ---- */

/* X(request, name, help) — the order here is the help screen's order. */
#define REQ_LIST(X)                                                                                \
    X(REQ_COL_PREV, "column-prev", "previous column")                                             \
    X(REQ_COL_NEXT, "column-next", "next column")                                                 \
    X(REQ_NEXT, "next", "next card or row")                                                       \
    X(REQ_PREV, "prev", "previous card or row")                                                   \
    X(REQ_FIRST, "first", "first card or row")                                                    \
    X(REQ_LAST, "last", "last card or row")                                                       \
    X(REQ_PAGE_DOWN, "page-down", "a page down")                                                  \
    X(REQ_PAGE_UP, "page-up", "a page up")                                                        \
    X(REQ_STAGE_PREV, "stage-prev", "move the card to the previous stage")                        \
    X(REQ_STAGE_NEXT, "stage-next", "move the card to the next stage")                            \
    X(REQ_OPEN, "open", "lead detail with its whole timeline")                                    \
    X(REQ_NEW, "new", "new lead")                                                                 \
    X(REQ_EDIT, "edit", "edit lead")                                                              \
    X(REQ_HANDOFF, "handoff", "hand off to a sales rep")                                          \
    X(REQ_ACCEPT, "accept", "accept a hand-off")                                                  \
    X(REQ_REJECT, "reject", "reject a hand-off (asks a reason)")                                  \
    X(REQ_LOG, "log", "log a follow-up")                                                          \
    X(REQ_RATE, "rate", "rate lead quality")                                                      \
    X(REQ_COMMENT, "comment", "comment on the lead")                                              \
    X(REQ_WON, "won", "mark won (asks the value if missing)")                                     \
    X(REQ_LOST, "lost", "mark lost (asks a reason)")                                              \
    X(REQ_SEARCH, "search", "search name, company, email")                                        \
    X(REQ_FILTER, "filter", "filter: mine, owner, campaign")                                      \
    X(REQ_CLEAR, "clear", "clear search and filter")                                              \
    X(REQ_SWITCH_USER, "switch-user", "switch the acting user")                                   \
    X(REQ_VIEW_BOARD, "view-board", "Board: the pipeline")                                       \
    X(REQ_VIEW_FEEDBACK, "view-feedback", "Feedback: sales' ratings, review and reply")          \
    X(REQ_VIEW_CAMPAIGNS, "view-campaigns", "Campaigns: cost, revenue, quality")                 \
    X(REQ_VIEW_GOALS, "view-goals", "Goals: shared targets, funnel, SLA per rep")                \
    X(REQ_VIEW_STANDUP, "view-standup", "Stand-up: what changed, what is overdue")               \
    X(REQ_VIEW_NEXT, "view-next", "next view")                                                    \
    X(REQ_REVIEW, "review", "review the feedback, with a reply")                                  \
    X(REQ_PERSON_NEXT, "person-next", "stand-up: next person")                                    \
    X(REQ_PERSON_PREV, "person-prev", "stand-up: previous person")                                \
    X(REQ_SINCE, "since", "stand-up: since when")                                                 \
    X(REQ_HELP, "help", "this help")                                                              \
    X(REQ_QUIT, "quit", "back / quit")                                                            \
    X(REQ_REDRAW, "redraw", "redraw the screen")

typedef enum {
    REQ_NONE,
#define REQ_ENUM(r, name, help) r,
    REQ_LIST(REQ_ENUM)
#undef REQ_ENUM
        REQ_COUNT
} tui_req;

const char *req_name(tui_req r);
const char *req_help(tui_req r);

/* A key: a Unicode character, or a curses function key offset past
 * Unicode's range so the two never collide. */
#define TK_FN(k) (0x200000 + (k))
#define TK_IS_FN(k) ((k) >= 0x200000)
#define TK_ESC 27
#define TK_ENTER '\n'
#define TK_TAB '\t'
#define TK_RESIZE (-2)
#define TK_NONE (-1)
#define TK_CTRL(c) ((c) & 0x1f)

/* The views; 1-5 and Tab switch among the first five. */
typedef enum {
    VIEW_BOARD,
    VIEW_FEEDBACK,
    VIEW_CAMPAIGNS,
    VIEW_GOALS,
    VIEW_STANDUP,
    VIEW_DETAIL,
    VIEW_HELP,
    VIEW_COUNT
} tui_view;
#define VIEW_MAIN 5
#define IN(v) (1u << (v))

typedef struct keybind {
    int key;
    tui_req req;
    unsigned views; /* IN(VIEW_...) bits where this binding holds; 0: everywhere */
} keybind;
extern const keybind tui_keys[];
extern const int tui_nkeys;
extern const char *const tui_view_names[VIEW_COUNT];

/* The request a key makes in a view (a view's own binding first). */
tui_req key_request(int key, tui_view view);
/* "j", "Down", "C-l", "Enter" */
void key_label(int key, char *buf, size_t n);
/* Parses a key name from a replay script; TK_NONE if it is not one. */
int key_parse(const char *name);

/* ---- the terminal (term.c: the only place that starts curses) ---- */

typedef struct tui_term {
    bool replay;
    bool color;
    bool ascii; /* the locale is not UTF-8: ASCII marks and bars */
} tui_term;

/* Starts curses on the real terminal, or (replay) on an off-screen one of
 * width x height.  Returns false with a message when it cannot. */
bool term_start(tui_term *t, bool replay, int width, int height, char *msg, size_t n);
void term_end(void);
/* One frame: everything drawn goes out in one update. */
void term_flush(void);
/* Next key, waiting at most timeout_ms (real terminal); TK_NONE on time-out. */
int term_key(int timeout_ms);
void term_resize(int width, int height);
/* Writes curses' own idea of the screen as text, one line a row. */
bool term_dump(const char *path);
/* A signal asked us to stop. */
bool term_stop_requested(void);

/* ---- drawing helpers (draw.c) ---- */

enum { PAIR_TITLE = 1, PAIR_SELECTED, PAIR_ALERT, PAIR_STARS, PAIR_DIM, PAIR_ERROR, PAIR_OK,
       PAIR_HEADER };

/* Writes s at (y, x) cut to `cells` cells with attributes; returns cells used. */
int draw_text(int y, int x, int cells, const char *s, int attrs, int pair);
/* Fills the rest of a line with spaces in the given attributes. */
void draw_fill(int y, int x, int cells, int attrs, int pair);
int draw_attr(int pair); /* a colour pair's attribute, or 0 without colour */
void draw_clear(void);
int draw_width(void);
int draw_height(void);

/* ---- forms (form.c) ---- */

typedef enum { FIELD_TEXT, FIELD_CHOICE, FIELD_MULTI } field_kind;

#define FORM_MAX_FIELDS 9
#define FORM_CHOICE_BUF (LB_BUF(LB_SHORT_MAX) + 16) /* "campaign " + a name */
#define FIELD_MAX_CHARS LB_LONG_MAX

typedef lb_status (*field_check)(const char *utf8, lb_err *err);

typedef struct form_field {
    const char *label;
    field_kind kind;
    bool required;
    size_t max_chars;
    field_check check;
    wchar_t text[FIELD_MAX_CHARS + 1];
    int len, cursor;
    char (*choices)[FORM_CHOICE_BUF]; /* allocated as options are added */
    bool *picked;                     /* FIELD_MULTI */
    int nchoices, choice;
    char error[160];
} form_field;

struct app;
struct tui_form;
typedef lb_status (*form_submit)(struct app *a, struct tui_form *f, lb_err *err);

typedef struct tui_form {
    char title[160];
    form_field fields[FORM_MAX_FIELDS];
    int n, focus;
    form_submit submit;
    int64_t lead_id;
    int64_t version; /* the lead's version when the form opened */
    int kind;        /* which form (app.c) */
    char message[LB_ERR_MAX];
    bool conflict; /* the lead changed: Ctrl-R reloads */
} tui_form;

form_field *form_add_text(tui_form *f, const char *label, const char *value, bool required,
                          size_t max_chars, field_check check);
form_field *form_add_choice(tui_form *f, const char *label, field_kind kind);
void form_add_option(form_field *fl, const char *option, bool selected);
/* The field's text as UTF-8. */
void form_value(const form_field *fl, char *buf, size_t n);
const char *form_choice(const form_field *fl);
void form_set_text(form_field *fl, const char *utf8);
/* Handles a key: 1 submit, -1 cancel, 0 go on. */
int form_key(tui_form *f, int key);
void form_draw(const tui_form *f, const tui_term *t);
void form_free(tui_form *f);
bool form_valid(tui_form *f);

/* ---- the application ---- */


/* A card: what the board draws of a lead, no more. */
typedef struct tui_card {
    int64_t id, version, value;
    bool has_value;
    int stars;
    lb_stage stage;
    unsigned sla;
    char name[LB_BUF(LB_SHORT_MAX)];
    char company[LB_BUF(LB_SHORT_MAX)];
    char campaign[LB_BUF(LB_SHORT_MAX)];
    char owner[LB_LOGIN_MAX + 1];
    char stage_at[LB_TIME_BUF];
} tui_card;

typedef struct tui_column {
    int64_t top_id;   /* first card shown (0: the column's start) */
    int64_t count;    /* cards in the column under the filter */
    int n;            /* cards fetched */
    bool more_below;
    int sel;          /* selected card among those fetched */
    tui_card *cards;  /* geometry.cards + 1 */
} tui_column;

/* ---- background work (worker.c) ---- */

/* Slots, in the order the worker takes them: the board's first. */
enum { JOB_COUNTS, JOB_VIEW, JOB_SLOTS };
struct app;
typedef struct tui_job tui_job;
struct tui_job {
    int slot;
    /* What it asks (a hash of its parameters): a job is interrupted only by
     * a different question, and an older job's answer to the newest
     * question is still shown (a board that others keep writing to would
     * otherwise never finish a count). */
    uint64_t question;
    uint64_t seq;
    bool interrupted; /* stopped half way by a newer question: never shown */
    tui_job *next;
    /* On the worker's own connection: no curses, nothing of the app. */
    void (*run)(lb_db *db, tui_job *j);
    /* Back in the loop, for the newest job of its slot only. */
    void (*done)(struct app *a, tui_job *j);
    void (*free)(tui_job *j);
};
typedef struct tui_worker tui_worker;
/* FNV-1a of s, folded into h: to build a job's question. */
uint64_t job_hash(uint64_t h, const char *s);
/* Opens the second connection and starts the thread; false: jobs run in
 * place (an in-memory database). */
bool worker_start(struct app *a);
/* Takes j; without a worker, runs it and its done at once. */
void worker_post(struct app *a, tui_job *j);
/* Hands finished jobs to their done; true when one was. */
bool worker_poll(struct app *a);
/* A job waits, runs, or waits for worker_poll. */
bool worker_busy(struct app *a);
/* Until no job is left (replay: the screen settles before the next key). */
void worker_wait(struct app *a);
void worker_stop(struct app *a);

typedef struct app {
    lb_db *db;
    tui_worker *worker;
    bool counts_pending;  /* the board's counts under a filter are being counted */
    bool want_first_lead; /* board_to_first_lead once they are in */
    lb_ctx ctx;
    tui_term term;
    lb_sla sla;
    tui_view view, back;
    bool quit;

    /* board */
    tui_column cols[STAGE_COUNT];
    int cur, first_col;
    lb_board_geom geom;
    int cap; /* cards allocated per column */
    lb_lead_filter filter;
    char search[LB_BUF(LB_SHORT_MAX)];
    char owner[LB_LOGIN_MAX + 1];
    char campaign[LB_BUF(LB_SHORT_MAX)];
    bool searching;
    lb_alerts alerts;
    int64_t data_version;
    int64_t generation; /* bumped whenever the data may have changed (ours or others') */

    /* detail */
    int64_t detail_id;
    int detail_top;
    int help_top;

    /* feedback: a window of the inbox */
    struct tui_feedback *fb;
    /* campaigns, goals, stand-up: their rows, fetched when opened or when the
     * data changes */
    struct tui_reports *rep;

    tui_form *form;
    char msg[LB_ERR_MAX];
    bool msg_error;
} app;

/* The views. */
void board_reload(app *a, bool counts);
void board_draw(app *a);
void board_key(app *a, tui_req r);
void board_follow(app *a, int64_t lead_id);
/* After a search or filter: the cursor to the first column with a card. */
void board_to_first_lead(app *a);
/* The lead under the cursor (board or detail), 0 if none. */
int64_t app_current_lead(app *a);
void detail_draw(app *a);
void detail_free(void);
void detail_key(app *a, tui_req r);
void help_draw(app *a);
void help_key(app *a, tui_req r);
/* The report views (views.c): load when opened or when the data changed. */
void views_load(app *a, tui_view v);
void views_draw(app *a, tui_view v);
void views_key(app *a, tui_view v, tui_req r);
void views_free(app *a);
/* The lead the cursor of a report view is on (stand-up, feedback), 0 if none. */
int64_t views_current_lead(app *a, tui_view v);
/* The feedback under the cursor, 0 if none. */
int64_t views_current_feedback(app *a);
void views_set_since(app *a, const char *iso);
void views_set_feedback_campaign(app *a, const char *campaign);

/* Actions with their forms (actions_ui.c). */
void ui_request(app *a, tui_req r);
void ui_form_submitted(app *a);
void ui_form_reload(app *a);

void app_message(app *a, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

typedef struct tui_options {
    const char *replay; /* key file */
    int width, height;
    const char *dump;
    bool timings;
} tui_options;

/* Runs the board; returns the process exit code. */
int tui_run(lb_db *db, const char *as_login, const tui_options *opt);

#endif
