/* The board: a thin layer over the core's actions and stores.
 *
 * Layers, each calling only the ones below it (never back up):
 *   app.c         the loop: owns the terminal, dispatches keys, title and
 *                 status lines, tells the views when data changed
 *   actions_ui.c  the lead actions with their forms (called by the loop)
 *   view_*.c      one file per view, its state private, reached only
 *                 through its table of operations (tui_view_ops)
 *   form.c, worker.c, keys.c, draw.c, term.c   forms, background counting,
 *                 the one request table, drawing helpers, curses itself
 *
 * Adding a view: write src/tui/view_NAME.c defining
 *     const tui_view_ops view_NAME_ops = {.name = "Name", .draw = ..., ...};
 * (see tui_view_ops below for what each operation is for; all but draw may
 * be NULL), add one line to VIEW_LIST below and the file to Makefile.am.
 * The title bar, its number key, Tab/Shift-Tab and the help screen follow
 * from VIEW_LIST.  A view never calls another view: what it needs from the
 * others (the lead under the cursor, "the data changed") goes through the
 * loop.  Its keys are requests in REQ_LIST, bound in keys.c. */
#ifndef LEADBOARD_TUI_H
#define LEADBOARD_TUI_H

#include <stdbool.h>
#include <stdint.h>
#include <wchar.h>

#include "leadboard/actions.h"
#include "leadboard/layout.h"
#include "leadboard/report.h"
#include "leadboard/store.h"

/* ---- the views ---- */

/* X(id, ops, request, request name, help): the numbered views, in the order
 * of their number keys (1-9) and the title bar. */
#define VIEW_LIST(X)                                                                               \
    X(VIEW_BOARD, view_board_ops, REQ_VIEW_BOARD, "view-board", "Board: the pipeline")             \
    X(VIEW_FEEDBACK, view_feedback_ops, REQ_VIEW_FEEDBACK, "view-feedback",                        \
      "Feedback: sales' ratings, review and reply")                                                \
    X(VIEW_CAMPAIGNS, view_campaigns_ops, REQ_VIEW_CAMPAIGNS, "view-campaigns",                    \
      "Campaigns: cost, revenue, quality")                                                         \
    X(VIEW_GOALS, view_goals_ops, REQ_VIEW_GOALS, "view-goals",                                    \
      "Goals: shared targets, funnel, SLA per rep")                                                \
    X(VIEW_STANDUP, view_standup_ops, REQ_VIEW_STANDUP, "view-standup",                            \
      "Stand-up: what changed, what is overdue")                                                   \
    X(VIEW_COLLATERAL, view_collateral_ops, REQ_VIEW_COLLATERAL, "view-collateral",                \
      "Collateral: what marketing gives sales")

typedef enum {
#define VIEW_ENUM(id, ops, req, name, help) id,
    VIEW_LIST(VIEW_ENUM)
#undef VIEW_ENUM
        VIEW_MAIN, /* how many numbered views */
    VIEW_DETAIL = VIEW_MAIN, /* opened over another view: q and Esc go back */
    VIEW_HELP,
    VIEW_COUNT
} tui_view;

/* ---- requests and keys ---- */

/* X(request, name, help) — the order here is the help screen's order; the
 * names are stable (a config file will rebind keys by them). */
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
    X(REQ_SEARCH, "search", "search name, company, email, notes")                                 \
    X(REQ_SEARCH_NEXT, "search-next", "after a search: the next card that matches")               \
    X(REQ_SEARCH_PREV, "search-prev", "after a search: the previous card that matches")           \
    X(REQ_FILTER, "filter", "filter: mine, owner, campaign")                                      \
    X(REQ_CLEAR, "clear", "clear the search and filter (feedback: its campaign)")                                              \
    X(REQ_SWITCH_USER, "switch-user", "switch the acting user")                                   \
    X(REQ_UNDO, "undo", "undo your own last change")                                              \
    VIEW_LIST(REQ_OF_VIEW)                                                                         \
    X(REQ_VIEW_NEXT, "view-next", "next view")                                                    \
    X(REQ_VIEW_PREV, "view-prev", "previous view")                                                \
    X(REQ_REVIEW, "review", "review the feedback, with a reply")                                  \
    X(REQ_FEEDBACK_CAMPAIGN, "feedback-campaign", "the feedback of one campaign")                 \
    X(REQ_PERSON_NEXT, "person-next", "stand-up: next person")                                    \
    X(REQ_PERSON_PREV, "person-prev", "stand-up: previous person")                                \
    X(REQ_SINCE, "since", "stand-up: since when")                                                 \
    X(REQ_HELP, "help", "this help")                                                              \
    X(REQ_QUIT, "quit", "back / quit")                                                            \
    X(REQ_REDRAW, "redraw", "redraw the screen")                                                  \
    /* in forms */                                                                                 \
    X(REQ_FORM_NEXT, "form-next", "next field")                                                   \
    X(REQ_FORM_PREV, "form-prev", "previous field")                                               \
    X(REQ_FORM_LEFT, "form-left", "move left in text, or the previous option")                    \
    X(REQ_FORM_RIGHT, "form-right", "move right in text, or the next option")                     \
    X(REQ_FORM_HOME, "form-home", "start of the text")                                            \
    X(REQ_FORM_END, "form-end", "end of the text")                                                \
    X(REQ_FORM_KILL, "form-kill", "clear the text")                                               \
    X(REQ_FORM_BACKSPACE, "form-backspace", "delete before the cursor")                           \
    X(REQ_FORM_DELETE, "form-delete", "delete under the cursor")                                  \
    X(REQ_FORM_TOGGLE, "form-toggle", "toggle an option (reasons), or the next option")           \
    X(REQ_FORM_ENTER, "form-enter", "next field; on the last one, save")                          \
    X(REQ_FORM_SAVE, "form-save", "save")                                                         \
    X(REQ_FORM_RELOAD, "form-reload", "reload a lead someone else changed")                       \
    X(REQ_FORM_CANCEL, "form-cancel", "cancel: nothing is written")                               \
    X(REQ_FORM_INTERRUPT, "form-interrupt", "cancel, asking first when something was typed")     \
    /* while typing a search */                                                                    \
    X(REQ_SEARCH_KEEP, "search-keep", "keep the search")                                          \
    X(REQ_SEARCH_CLEAR, "search-clear", "clear the search")                                       \
    X(REQ_SEARCH_ERASE, "search-erase", "delete the last character")

#define REQ_OF_VIEW(id, ops, req, name, help) X_REQ(req, name, help)

typedef enum {
    REQ_NONE,
#define REQ_ENUM(r, name, help) r,
#define X_REQ REQ_ENUM
    REQ_LIST(REQ_ENUM)
#undef X_REQ
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
#define TK_HANGUP (-3) /* the terminal went away */
#define TK_MOUSE (-4)  /* a mouse event: term_mouse says which */
#define TK_CTRL(c) ((c) & 0x1f)

/* Where a binding holds: in some views (IN bits), in every view (0), in
 * forms or while typing a search. */
#define IN(v) (1u << (v))
#define IN_FORM (1u << 30)
#define IN_SEARCH (1u << 29)

typedef struct keybind {
    int key;
    tui_req req;
    unsigned where;
} keybind;
/* The keys as bound now: the defaults and the config file's. */
extern const keybind *tui_keys;
extern int tui_nkeys;
/* Binds key to req there (REQ_NONE takes the key's binding away), replacing
 * a binding of the same key in the same place; false when out of memory. */
bool keys_bind(int key, tui_req req, unsigned where);
void keys_reset(void); /* the defaults again */

/* The request a key makes: `where` is IN(view), IN_FORM or IN_SEARCH (a
 * view's own binding first). */
tui_req key_request(int key, unsigned where);
/* "j", "Down", "C-l", "Enter" */
void key_label(int key, char *buf, size_t n);
/* The label of the first key bound to r there ("?" when none). */
const char *key_of(tui_req r, unsigned where);
/* Parses a key name from a replay script; TK_NONE if it is not one. */
int key_parse(const char *name);

/* A hint line: each entry's keys (from the table) and its word, e.g.
 * "Enter: review  f: campaign".  `keysep` goes between key and word (": "
 * or " "), `sep` between entries; a second request's key is joined with
 * "/" ("n/p"). */
typedef struct tui_hint {
    tui_req req, req2;
    const char *word;
} tui_hint;
void hint_line(char *buf, size_t n, const tui_hint *h, int count, unsigned where,
               const char *keysep, const char *sep);

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
/* Next key, waiting at most timeout_ms (real terminal); TK_NONE on time-out,
 * TK_HANGUP when the terminal is gone. */
int term_key(int timeout_ms);
void term_resize(int width, int height);
/* The mouse, as the board uses it: a click, a double click, the wheel. */
typedef enum { MOUSE_CLICK, MOUSE_DOUBLE, MOUSE_WHEEL_UP, MOUSE_WHEEL_DOWN } tui_mouse_kind;
typedef struct tui_mouse {
    tui_mouse_kind kind;
    int y, x;
} tui_mouse;
/* Takes the mouse (clicks, double clicks, the wheel) or leaves it to the
 * terminal (for selecting text). */
void term_mouse_enable(bool on);
/* The event of the last TK_MOUSE; false when it is none the board uses. */
bool term_mouse(tui_mouse *m);
/* Replay: the next term_mouse gives m. */
void term_mouse_inject(const tui_mouse *m);
struct cfg;
/* The config file's colours and attributes, once the terminal is started. */
void term_config(const tui_term *t, const struct cfg *c);
/* Writes curses' own idea of the screen as text, one line a row. */
bool term_dump(const char *path);
/* A signal asked us to stop, or the terminal went away. */
bool term_stop_requested(void);
/* Ctrl-C (SIGINT) came since the last call: a form takes it as a key. */
bool term_take_interrupt(void);
/* The terminal is gone: nothing more may be written to it. */
bool term_gone(void);

/* ---- drawing helpers (draw.c) ---- */

enum { PAIR_TITLE = 1, PAIR_SELECTED, PAIR_ALERT, PAIR_STARS, PAIR_DIM, PAIR_ERROR, PAIR_OK,
       PAIR_HEADER };

/* Writes s at (y, x) cut to `cells` cells with attributes; returns cells used. */
int draw_text(int y, int x, int cells, const char *s, int attrs, int pair);
/* Fills the rest of a line with spaces in the given attributes. */
void draw_fill(int y, int x, int cells, int attrs, int pair);
/* A colour pair's attributes: its colour (none without colour) and the
 * config file's attributes for it. */
int draw_attr(int pair);
void draw_set_pair_attrs(int pair, int attrs);
void draw_set_color(bool on);
void draw_set_ascii(bool on); /* the locale shows ASCII only */
void draw_clear(void);
int draw_width(void);
int draw_height(void);
/* A bar of `cells` cells filled to value/max, in eighths of a cell. */
void draw_bar(const tui_term *t, int y, int x, int cells, int64_t value, int64_t max, bool solid,
              int pair);
/* A report's fixed-point number with a suffix, "-" when it has none. */
void draw_fixed(lb_fixed f, const char *suffix, char *buf, size_t n);
/* A ratio in hundredths as a percentage, grouped: 45.92 is "4,592%"; "-"
 * when there is none. */
void draw_percent(lb_fixed f, char *buf, size_t n);
/* A cursor in a list of n rows moved by a movement request. */
void draw_move(int *sel, int n, tui_req req, int page);

/* Lines of text drawn under the title line and scrolled (detail, help). */
typedef struct draw_line {
    char text[LB_BUF(LB_LONG_MAX) + 600];
    int attrs, pair;
} draw_line;
typedef struct draw_lines {
    draw_line *v;
    int n, cap;
} draw_lines;
draw_line *lines_add(draw_lines *ls, int attrs, int pair, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void lines_draw(draw_lines *ls, int *top);
/* Adds text wrapped to `cells` at its newlines and at the last space that
 * fits, the first line after `first`, the others after `next` (prefixes of
 * one width); at most max_lines lines (0: all), the last marked when some
 * are left out.  DRAW_GLUE is a space the text is never cut at ("rejected"
 * and its figure on one line); it is shown as a space.  Returns the lines
 * added. */
#define DRAW_GLUE "\x1f"
int lines_wrap(draw_lines *ls, int attrs, int pair, const char *first, const char *next,
               const char *text, int cells, int max_lines);
/* Scrolls *top by a movement request. */
void lines_scroll(int *top, tui_req r);

/* ---- forms (form.c) ---- */

/* Cells on screen: a card or row as drawn. */
typedef struct tui_rect {
    int y, x, w, h;
} tui_rect;

typedef enum { FIELD_TEXT, FIELD_CHOICE, FIELD_MULTI } field_kind;

#define FORM_MAX_FIELDS 9
#define FORM_MAX_CHOICE_LINES 12 /* a multi-choice field's options wrap to these */
#define FORM_CHOICE_BUF (LB_BUF(LB_SHORT_MAX) + 16) /* "campaign " + a name */
/* What most text fields hold; a field made with a larger max_chars (a
 * lead's notes: LB_NOTES_MAX) holds that many. */
#define FIELD_MAX_CHARS LB_LONG_MAX

typedef lb_status (*field_check)(const char *utf8, lb_err *err);

typedef struct form_field {
    const char *label; /* also its name: unique in its form */
    field_kind kind;
    bool required;
    size_t max_chars;
    field_check check;
    /* The text as the user sees and edits it: one Unicode character a
     * cell (text.c's decoder), whatever the locale can show. */
    uint32_t *text; /* cap + 1 characters */
    int cap;
    int len, cursor;
    char (*choices)[FORM_CHOICE_BUF]; /* allocated as options are added */
    bool *picked;                     /* FIELD_MULTI */
    int nchoices, choice;
    /* A multi-pick filtered as you type (the log form's assets): text is
     * the filter, only the options containing it are offered (and the
     * picked ones, always shown). */
    bool filter;
    char error[160];
} form_field;

struct app;
struct tui_form;

/* What a successful submit did, for the loop to tell the views. */
typedef enum {
    CHANGE_DATA,   /* something was written (by us or another process) */
    CHANGE_WRITE,  /* we wrote; `lead` is what it was about, 0: no one lead */
    CHANGE_FILTER, /* the board's filter changed */
    CHANGE_SEARCH, /* the search text changed */
    CHANGE_RESIZE, /* the terminal changed size */
} tui_change;

typedef struct tui_done {
    char msg[160];
    int64_t lead;
    tui_change change;
} tui_done;

/* Calls the form's action; on LB_OK fills done (its change is CHANGE_WRITE
 * unless it says otherwise). */
typedef lb_status (*form_submit)(struct app *a, struct tui_form *f, tui_done *done, lb_err *err);

typedef struct tui_form {
    char title[160];
    form_field fields[FORM_MAX_FIELDS];
    int n, focus;
    form_submit submit;
    int64_t lead_id;
    int64_t version; /* the lead's version when the form opened */
    int64_t item;    /* another row the form is about (a feedback) */
    char message[LB_ERR_MAX];
    bool conflict; /* the lead changed: Ctrl-R reloads */
    bool typed;    /* something was typed or chosen since it opened */
    bool asking;   /* Ctrl-C on typed text: cancel? */
} tui_form;

/* A new form, or NULL (with a message) when out of memory. */
tui_form *form_new(struct app *a, const char *title, int64_t lead_id, form_submit submit);
/* Shows f over the view (f may be NULL: nothing happens). */
void form_open(struct app *a, tui_form *f, const lb_lead *l);
form_field *form_add_text(tui_form *f, const char *label, const char *value, bool required,
                          size_t max_chars, field_check check);
form_field *form_add_choice(tui_form *f, const char *label, field_kind kind);
void form_add_option(form_field *fl, const char *option, bool selected);
/* The field named label (NULL if none). */
form_field *form_field_named(tui_form *f, const char *label);
/* The text of the field named label as UTF-8, in buf ("" if none). */
const char *form_text(tui_form *f, const char *label, char *buf, size_t n);
/* The chosen option of the field named label, its index in *index. */
const char *form_choice_of(tui_form *f, const char *label, int *index);
void form_set(tui_form *f, const char *label, const char *utf8);
/* The field's text as UTF-8. */
void form_value(const form_field *fl, char *buf, size_t n);
const char *form_choice(const form_field *fl);
void form_set_text(form_field *fl, const char *utf8);
typedef enum { FORM_GO_ON, FORM_SUBMIT, FORM_CANCEL, FORM_RELOAD } form_result;
form_result form_key(tui_form *f, int key);
/* Whether option k of a filtered multi-pick is offered under its filter
 * (every option of any other field). */
bool form_option_shown(const form_field *fl, int k);
/* Draws f beside avoid (the lead it acts on, as drawn; NULL or h 0: none). */
void form_draw(const tui_form *f, const tui_term *t, const tui_rect *avoid);
void form_free(tui_form *f);
/* Takes back the field added last (one that turned out to offer nothing). */
void form_drop_last(tui_form *f);
bool form_valid(tui_form *f);

/* ---- background work (worker.c) ---- */

/* Slots, in the order the worker takes them: the board's first, then the
 * board's search (a rare word scans whole stages), then a report view's. */
enum { JOB_COUNTS, JOB_SEARCH, JOB_VIEW, JOB_SLOTS };
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
#define JOB_HASH_START 0xCBF29CE484222325ULL
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

/* A report view's rows counted on the worker.  The view embeds a
 * tui_counted in its state, and its job (a struct starting with a
 * tui_count_job) is described once by a tui_count_spec: the loop, the
 * failure path and the hand-over are the worker's, the view only counts,
 * takes and frees its rows. */
typedef struct tui_counted {
    bool loaded;          /* its rows are in */
    uint64_t pending_seq; /* the job on its way (0: none) */
    uint64_t next_seq;
} tui_counted;
typedef struct tui_count_job tui_count_job;
typedef struct tui_count_spec {
    size_t size; /* of the view's job */
    /* On the worker's connection: counts into the job's rows. */
    lb_status (*count)(lb_db *db, tui_count_job *j, lb_err *err);
    /* In the loop, for an answer that is shown: the job's rows become the
     * view's (the view's old rows go to the job, to be freed with it). */
    void (*take)(struct app *a, tui_count_job *j);
    /* Frees the job's rows (the job itself is the worker's to free). */
    void (*free_rows)(tui_count_job *j);
} tui_count_spec;
struct tui_count_job {
    tui_job job;
    const tui_count_spec *spec;
    tui_counted *owner;
    uint64_t owner_seq;
    lb_time now;
    char now_iso[LB_TIME_BUF];
    char error[LB_ERR_MAX];
};
/* A new job of spec, zeroed (NULL when out of memory). */
tui_count_job *counted_new(const tui_count_spec *spec);
/* Posts j (from counted_new) for the view's rows c, asking `question`. */
void counted_post(struct app *a, tui_counted *c, tui_count_job *j, const char *question);
/* counted_new and counted_post in one. */
void counted_load(struct app *a, tui_counted *c, const tui_count_spec *spec, const char *question);
/* A job that could not count: its error is shown when it comes back. */
void counted_fail(tui_count_job *j, lb_status st, const lb_err *err);
/* Before drawing: loads the first rows (load) unless they are in or on their
 * way; false (having drawn `busy`) until they are in. */
bool counted_ready(struct app *a, tui_counted *c, void (*load)(struct app *a, int64_t lead),
                   const char *busy);
/* In a view's `changed`: whether the view v must count again (the data
 * changed while it is shown; a resize only redraws). */
bool counted_changed(const struct app *a, tui_view v, tui_change what);

/* Swaps two lvalues of one type (a view's rows with a job's). */
#define TUI_SWAP(x, y)                                                                             \
    do {                                                                                           \
        __typeof__(x) t_ = (x);                                                                    \
        (x) = (y);                                                                                 \
        (y) = t_;                                                                                  \
    } while (0)

/* ---- the application ---- */

/* The board's filter: shown in the title bar whatever the view, set by the
 * filter form and the search, read by the Board view. */
typedef struct tui_filter {
    char search[LB_BUF(LB_SHORT_MAX)];
    char owner[LB_LOGIN_MAX + 1];
    char campaign[LB_BUF(LB_SHORT_MAX)];
    bool searching; /* typing a search */
} tui_filter;

typedef struct app {
    lb_db *db;
    tui_worker *worker;
    lb_ctx ctx;
    tui_term term;
    lb_sla sla;
    tui_view view, back;
    bool quit;
    tui_filter filter;
    lb_alerts alerts; /* the status line's, counted with the board's counts */
    int64_t data_version;
    tui_form *form;
    char msg[LB_ERR_MAX];
    bool msg_error;
    bool mouse; /* the config file's "set mouse" */
    /* The lead under the cursor as the view last drew it (h 0: none), for
     * a form to leave it in sight. */
    tui_rect shown;
} app;

/* A view's operations.  The loop calls them; a view calls none of another
 * view's.  Every one but draw may be NULL. */
typedef struct tui_view_ops {
    const char *name; /* in the title bar ("Board") */
    /* Opened (a number key, Tab, or Enter on a lead for the detail: `lead`
     * is the one under the cursor of the view it came from). */
    void (*open)(app *a, int64_t lead);
    /* Draws between the title line and the status line. */
    void (*draw)(app *a);
    /* A request the loop did not take; true when this view used it.  A
     * request no view uses goes to the lead actions (actions_ui.c). */
    bool (*key)(app *a, tui_req r);
    /* The lead under the cursor, 0 if none (actions and Enter use it). */
    int64_t (*current_lead)(app *a);
    /* Something changed (every view hears it, shown or not). */
    void (*changed)(app *a, tui_change what, int64_t lead);
    /* The status line's hint at the right ("? help  q quit" when NULL). */
    void (*hint)(app *a, char *buf, size_t n);
    /* Frees its state when the board ends. */
    void (*free)(app *a);
    /* A click (twice: a double click) at a cell of the body: selects (and
     * opens) what is there; true when something was.  The wheel is the
     * loop's: it moves as j and k do. */
    bool (*mouse)(app *a, int y, int x, bool twice);
    /* q: closes a list the view opened inside itself (an asset's leads)
     * and is true, or false when there is none and q leaves the view. */
    bool (*back)(app *a);
    /* The wheel turned with the pointer at a cell of the body: the view
     * moves its focus to the pane there (the board's column) before the
     * loop scrolls it. */
    void (*point)(app *a, int y, int x);
} tui_view_ops;

#define VIEW_DECL(id, ops, req, name, help) extern const tui_view_ops ops;
VIEW_LIST(VIEW_DECL)
#undef VIEW_DECL
extern const tui_view_ops view_detail_ops, view_help_ops;
/* Every view's operations, by tui_view (app.c). */
extern const tui_view_ops *const tui_views[VIEW_COUNT];

/* The message line above the status line (draw.c). */
void app_message(app *a, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The lead actions with their forms (actions_ui.c): a request on the lead
 * under the cursor (lead), or one that needs none (new, filter, user).
 * Returns true when it wrote: done says what, for the loop to tell the views. */
bool ui_request(app *a, tui_req r, int64_t lead, tui_done *done);
/* Reloads the lead of a form refused as stale (C-r). */
void ui_form_reload(app *a);

typedef struct tui_options {
    const char *replay; /* key file */
    int width, height;
    const char *dump;
    bool timings;
} tui_options;

/* Runs the board; returns the process exit code. */
int tui_run(lb_db *db, const char *as_login, const tui_options *opt);

/* The person the stand-up is walking through (n/p), NULL when none. */
const char *standup_person(void);

#endif
