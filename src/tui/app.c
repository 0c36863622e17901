/* The board's loop: one key, one request, one frame.  It owns the terminal
 * and the dispatch: the title and status lines (the views' names come from
 * their table), the input modes (a form, typing a search), resizing (ncurses
 * turns SIGWINCH into KEY_RESIZE), and telling every view when the data
 * changed, ours or another process's (noticed through the database's data
 * version).  It can replay a key script on an off-screen terminal for tests
 * and bug reports. */
#include "config.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "config_file.h"
#include "tui.h"

#define VIEW_OPS(id, ops, req, name, help) &ops,
const tui_view_ops *const tui_views[VIEW_COUNT] = {
    VIEW_LIST(VIEW_OPS)[VIEW_DETAIL] = &view_detail_ops,
    [VIEW_HELP] = &view_help_ops,
};
#undef VIEW_OPS

static const tui_view_ops *current(const app *a)
{
    return tui_views[a->view];
}

/* An error line after the screen is given back, under the output rule
 * (file names and messages may hold anything). */
static void app_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void app_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *line = text_error_line(fmt, ap);
    va_end(ap);
    fputs(line ? line : "leadboard: out of memory", stderr);
    fputc('\n', stderr);
    free(line);
}

/* Every view hears of a change, the Board first (its counts go to the
 * worker before a report view's rows). */
static void app_changed(app *a, tui_change what, int64_t lead)
{
    lb_err err;
    /* a promotion or demotion elsewhere shows at once: the status line,
     * what the views offer and the checks before a form opens */
    if (what == CHANGE_DATA || what == CHANGE_WRITE)
        ctx_refresh_actor(&a->ctx, &err);
    for (int v = 0; v < VIEW_COUNT; v++)
        if (tui_views[v]->changed)
            tui_views[v]->changed(a, what, lead);
}

static void open_view(app *a, tui_view v, int64_t lead)
{
    a->view = v;
    if (tui_views[v]->open)
        tui_views[v]->open(a, lead);
}

static void draw_title(app *a)
{
    int w = draw_width();
    char left[768], filter[400] = "";
    size_t used = 0;
    const tui_filter *fi = &a->filter;
    if (fi->owner[0])
        used += (size_t)snprintf(filter + used, sizeof filter - used, "%sowner %s",
                                 used ? ", " : "", fi->owner);
    if (fi->campaign[0] && used < sizeof filter)
        used += (size_t)snprintf(filter + used, sizeof filter - used, "%scampaign %.300s",
                                 used ? ", " : "", fi->campaign);
    char search[160] = "";
    if (fi->search[0] || fi->searching)
        snprintf(search, sizeof search, " | search \"%.120s\"%s", fi->search,
                 fi->searching ? "_" : "");
    snprintf(left, sizeof left, " leadboard %s %s%s%s%s", a->term.ascii ? "|" : "\xe2\x94\x82",
             current(a)->name, filter[0] ? " | filter: " : "", filter, search);
    draw_fill(0, 0, w, A_BOLD | (a->term.color ? 0 : A_REVERSE), PAIR_TITLE);
    draw_text(0, 0, w, left, A_BOLD | (a->term.color ? 0 : A_REVERSE), PAIR_TITLE);
    /* the numbered views, the current one marked */
    char views[VIEW_MAIN * 24] = "";
    for (int v = 0; v < VIEW_MAIN; v++) {
        size_t u = strlen(views);
        snprintf(views + u, sizeof views - u, v == (int)a->view ? "[%d %s] " : "%d %s ", v + 1,
                 tui_views[v]->name);
    }
    if (text_width(left) + text_width(views) + 2 >= w) { /* narrow: numbers only */
        views[0] = '\0';
        for (int v = 0; v < VIEW_MAIN; v++) {
            size_t u = strlen(views);
            snprintf(views + u, sizeof views - u, v == (int)a->view ? "[%d]" : " %d ", v + 1);
        }
    }
    int vw = text_width(views);
    if (text_width(left) + vw + 2 < w)
        draw_text(0, w - vw - 1, vw, views, A_BOLD | (a->term.color ? 0 : A_REVERSE), PAIR_TITLE);
}

/* The message line above the status line, wrapped once when long. */
static void draw_message(app *a, int y, int w)
{
    char line[600];
    /* Messages get the line above, so the status line keeps who is acting
     * and a long refusal is read whole. */
    snprintf(line, sizeof line, " %s%s", a->msg_error ? "! " : "", a->msg);
    int attrs = A_BOLD | (a->term.color ? 0 : A_REVERSE);
    int pair = a->msg_error ? PAIR_ERROR : PAIR_OK;
    char *rest = NULL;
    if (text_width(line) > w - 1) { /* wrap once, at the last space that fits */
        char head[sizeof line];
        text_fit(line, w - 1, true, head, sizeof head);
        size_t cut = strlen(head) - 1;
        while (cut > 0 && line[cut] != ' ')
            cut--;
        if (cut > 0) {
            line[cut] = '\0';
            rest = line + cut + 1;
        }
    }
    int row = rest ? y - 2 : y - 1;
    draw_fill(row, 0, w, attrs, pair);
    draw_text(row, 0, w, line, attrs, pair);
    if (rest) {
        draw_fill(y - 1, 0, w, attrs, pair);
        draw_text(y - 1, 3, w - 3, rest, attrs, pair);
    }
}

#define ALERT_KINDS 6

/* The status line's alerts, each in full ("3 hand-offs await your
 * acceptance") or, where brief[k], short ("3 to accept"); the length. */
static size_t alerts_text(const app *a, const bool brief[ALERT_KINDS], char *line, size_t n)
{
    const lb_alerts *al = &a->alerts;
    bool rep = a->ctx.has_actor && a->ctx.actor.team == TEAM_SALES;
    bool marketer = a->ctx.has_actor && a->ctx.actor.team == TEAM_MARKETING;
    const struct {
        int64_t count;
        const char *one, *many, *brief_one, *brief_many;
    } items[ALERT_KINDS] = {
        {al->awaiting_acceptance,
         rep ? "hand-off awaits your acceptance" : "hand-off awaits acceptance",
         rep ? "hand-offs await your acceptance" : "hand-offs await acceptance", "to accept",
         "to accept"},
        {al->followups_overdue, "follow-up overdue", "follow-ups overdue", "overdue", "overdue"},
        /* marketing's inbox: what sales said that nobody has read yet */
        {marketer ? al->unreviewed_feedback : 0, "feedback to review", "feedback to review",
         "to review", "to review"},
        /* the loop's other direction, and what comes back to marketing */
        {al->replies_unseen, "reply from marketing", "replies from marketing", "reply", "replies"},
        {al->revisit_due, "lead to revisit", "leads to revisit", "to revisit", "to revisit"},
        {al->campaigns_alarmed, "campaign over the rejection alarm",
         "campaigns over the rejection alarm", "campaign alarm", "campaign alarms"},
    };
    size_t used = 0;
    line[0] = '\0';
    for (size_t k = 0; k < ALERT_KINDS && used < n; k++) {
        bool one = items[k].count == 1;
        if (items[k].count)
            used += (size_t)snprintf(line + used, n - used, "%s %lld %s", used ? "," : "",
                                     (long long)items[k].count,
                                     brief[k] ? (one ? items[k].brief_one : items[k].brief_many)
                                              : (one ? items[k].one : items[k].many));
    }
    return used;
}

/* The alerts in `room` cells: shortened one at a time, the longest
 * wordings first and what comes back to a rep last, so that what fits
 * stays whole ("2 replies from marketing"). */
static size_t alerts_fit(const app *a, int room, char *line, size_t n)
{
    static const int order[ALERT_KINDS] = {0, 1, 5, 4, 2, 3};
    bool brief[ALERT_KINDS] = {false};
    size_t used = alerts_text(a, brief, line, n);
    for (int k = 0; k < ALERT_KINDS && used && text_width(line) > room; k++) {
        brief[order[k]] = true;
        used = alerts_text(a, brief, line, n);
    }
    return used;
}

static void draw_status(app *a)
{
    int w = draw_width(), y = draw_height() - 1;
    char who[128];
    const char *base = strrchr(db_path(a->db), '/');
    base = base ? base + 1 : db_path(a->db);
    if (a->ctx.has_actor)
        snprintf(who, sizeof who, " %s (%s)", a->ctx.actor.login, team_name(a->ctx.actor.team));
    else
        snprintf(who, sizeof who, " %s (not a user: U to pick one)", a->ctx.wanted);
    draw_fill(y, 0, w, A_REVERSE, PAIR_TITLE);
    /* The way to help comes first: the hint keeps its place at the right
     * and the rest is cut to what is left of the line. */
    static const tui_hint plain[] = {{REQ_HELP, 0, "help"}, {REQ_QUIT, 0, "quit"}};
    char hints[160];
    if (current(a)->hint)
        current(a)->hint(a, hints, sizeof hints);
    else
        hint_line(hints, sizeof hints, plain, 2, IN(a->view), " ", "  ");
    char where[320], alerts[600], name[300];
    int hw = text_width(hints);
    /* the alerts are what the line is for: a view's long hint gives way to
     * help and quit first, then a long file name is cut (to 8 cells at
     * the least), then each alert is shortened */
    bool brief_all[ALERT_KINDS] = {true, true, true, true, true, true};
    size_t used = alerts_text(a, brief_all, alerts, sizeof alerts);
    int least = used ? text_width(alerts) : 0;
    if (hw + 2 > w / 2 || (used && text_width(who) + text_width(base) + 4 + least > w - hw - 2)) {
        hint_line(hints, sizeof hints, plain, 2, IN(a->view), " ", "  ");
        hw = text_width(hints);
    }
    int fixed = text_width(who) + 4, avail = w - hw - 2, bw = text_width(base);
    used = alerts_fit(a, avail - fixed - (bw < 8 ? bw : 8), alerts, sizeof alerts);
    int room_name = avail - fixed - (used ? text_width(alerts) : 0);
    text_fit(base, room_name < 8 ? 8 : room_name, a->term.ascii, name, sizeof name);
    snprintf(where, sizeof where, " %s %s ", a->term.ascii ? "|" : "\xe2\x94\x82", name);
    if (hw + 2 < w)
        draw_text(y, w - hw - 1, hw, hints, A_REVERSE, PAIR_TITLE);
    int room = w - hw - 2;
    int x = draw_text(y, 0, room, who, A_REVERSE | A_BOLD, PAIR_TITLE);
    x += draw_text(y, x, room - x, where, A_REVERSE, PAIR_TITLE);
    if (a->msg[0])
        draw_message(a, y, w);
    if (used)
        draw_text(y, x, room - x, alerts, A_BOLD | A_REVERSE, PAIR_ERROR);
}

static void draw_frame(app *a)
{
    draw_clear();
    if (layout_too_small(draw_width(), draw_height())) {
        char msg[80];
        snprintf(msg, sizeof msg, "Too small: %dx%d, need %dx%d", draw_width(), draw_height(),
                 LAYOUT_MIN_WIDTH, LAYOUT_MIN_HEIGHT);
        /* wrapped, so that even a sliver of a window says what it needs */
        draw_lines ls = {0};
        lines_wrap(&ls, A_BOLD, 0, "", "", msg, draw_width(), 0);
        int y = (draw_height() - ls.n) / 2;
        for (int k = 0; k < ls.n; k++)
            draw_text((y > 0 ? y : 0) + k, 0, draw_width(), ls.v[k].text, A_BOLD, 0);
        free(ls.v);
        term_flush();
        return;
    }
    draw_title(a);
    a->shown.h = 0;
    current(a)->draw(a);
    if (a->form)
        form_draw(a->form, &a->term, &a->shown);
    draw_status(a);
    term_flush();
}

static void refresh_clock(app *a)
{
    lb_err err;
    if (time_now(&a->ctx.now, &err) == LB_OK)
        time_format(a->ctx.now, a->ctx.now_iso);
}

/* Reloads when another process has written since we last looked. */
static bool check_external(app *a)
{
    int64_t v = db_data_version(a->db);
    if (v == a->data_version)
        return false;
    a->data_version = v;
    refresh_clock(a);
    app_changed(a, CHANGE_DATA, 0);
    return true;
}

/* Typing a search: the board narrows with every key. */
static void search_key(app *a, int key)
{
    tui_filter *fi = &a->filter;
    size_t len = strlen(fi->search);
    switch (key_request(key, IN_SEARCH)) {
    case REQ_SEARCH_KEEP: /* Enter: the match again, or "no lead matches" (as less says) */
        fi->searching = false;
        if (fi->search[0])
            app_changed(a, CHANGE_SEARCH, 0);
        return;
    case REQ_SEARCH_CLEAR:
        fi->searching = false;
        fi->search[0] = '\0';
        break;
    case REQ_SEARCH_ERASE:
        while (len > 0 && (fi->search[len - 1] & 0xC0) == 0x80) /* continuation bytes */
            len--;
        if (len > 0)
            len--;
        fi->search[len] = '\0';
        break;
    default: {
        char mb[4];
        size_t k = TK_IS_FN(key) || key < ' ' || key == 127 ? 0 : utf8_encode((uint32_t)key, mb);
        if (k == 0)
            return;
        if (len + k < sizeof fi->search - 1 && utf8_chars(fi->search) < LB_SHORT_MAX) {
            memcpy(fi->search + len, mb, k);
            fi->search[len + k] = '\0';
        }
    }
    }
    app_changed(a, CHANGE_SEARCH, 0);
}

/* Calls the form's action; keeps the form open on an error. */
static void form_submitted(app *a)
{
    tui_form *f = a->form;
    if (!form_valid(f)) {
        snprintf(f->message, sizeof f->message, "%s: %s", f->fields[f->focus].label,
                 f->fields[f->focus].error);
        return;
    }
    tui_done done = {.change = CHANGE_WRITE};
    lb_err err;
    lb_status st = f->submit(a, f, &done, &err);
    if (st != LB_OK) {
        f->conflict = st == LB_ECONFLICT;
        snprintf(f->message, sizeof f->message, "%.440s", err.msg);
        if (f->conflict) {
            size_t used = strlen(f->message);
            snprintf(f->message + used, sizeof f->message - used,
                     " -- %s reloads it (your typing is lost), %s cancels",
                     key_of(REQ_FORM_RELOAD, IN_FORM), key_of(REQ_FORM_CANCEL, IN_FORM));
        }
        return;
    }
    form_free(a->form);
    a->form = NULL;
    app_message(a, false, "%s", done.msg);
    app_changed(a, done.change, done.lead);
}

static void form_input(app *a, int key)
{
    switch (form_key(a->form, key)) {
    case FORM_RELOAD:
        ui_form_reload(a);
        break;
    case FORM_CANCEL:
        form_free(a->form);
        a->form = NULL;
        app_message(a, false, "cancelled; nothing was written");
        break;
    case FORM_SUBMIT:
        form_submitted(a);
        break;
    case FORM_GO_ON:
        break;
    }
}

/* The requests that are the loop's own: moving among the views. */
static bool loop_request(app *a, tui_req r)
{
    bool pushed = a->view >= VIEW_MAIN; /* the detail or help, over another */
    switch (r) {
    case REQ_QUIT:
        if (a->view == VIEW_BOARD)
            a->quit = true;
        else if (!pushed && current(a)->back && current(a)->back(a))
            ; /* one level up inside the view */
        else
            a->view = pushed ? a->back : VIEW_BOARD;
        return true;
    case REQ_CLEAR:
        if (!pushed)
            return false; /* the view's own (the board clears its filter) */
        a->view = a->back;
        return true;
    case REQ_HELP:
        if (a->view != VIEW_HELP)
            a->back = a->view;
        open_view(a, VIEW_HELP, 0);
        return true;
    case REQ_REDRAW:
        clearok(curscr, TRUE);
        app_changed(a, CHANGE_DATA, 0);
        return true;
    case REQ_VIEW_NEXT:
        open_view(a, (tui_view)(pushed ? 0 : (a->view + 1) % VIEW_MAIN), 0);
        return true;
    case REQ_VIEW_PREV:
        open_view(a, (tui_view)(pushed ? 0 : (a->view + VIEW_MAIN - 1) % VIEW_MAIN), 0);
        return true;
    case REQ_SEARCH:
        a->view = VIEW_BOARD;
        a->filter.searching = true;
        return true;
    case REQ_OPEN: {
        int64_t lead = current(a)->current_lead ? current(a)->current_lead(a) : 0;
        if (!pushed && lead) {
            a->back = a->view;
            open_view(a, VIEW_DETAIL, lead);
            return true;
        }
        return pushed; /* no lead there: the view may use Enter (Collateral) */
    }
    default:
        break;
    }
#define VIEW_REQ(id, ops, req, name, help)                                                         \
    if (r == req) {                                                                                \
        open_view(a, id, 0); /* fresh numbers each time a view is opened */                        \
        return true;                                                                               \
    }
    VIEW_LIST(VIEW_REQ)
#undef VIEW_REQ
    return false;
}

static void handle_key(app *a, int key);

/* The mouse: the wheel moves as j and k do (three rows a notch), a click
 * selects what is under it and a double click opens it (the view says
 * what is where).  A form takes no clicks: Esc, Tab and the keys work. */
static void handle_mouse(app *a)
{
    tui_mouse m;
    if (!term_mouse(&m) || a->form || a->filter.searching ||
        layout_too_small(draw_width(), draw_height()))
        return;
    a->msg[0] = '\0';
    if (m.kind == MOUSE_WHEEL_UP || m.kind == MOUSE_WHEEL_DOWN) {
        tui_req r = m.kind == MOUSE_WHEEL_UP ? REQ_PREV : REQ_NEXT;
        if (current(a)->point && m.y > 0 && m.y < draw_height() - 1)
            current(a)->point(a, m.y, m.x); /* the pane under the pointer scrolls */
        for (int i = 0; i < 3; i++) {
            const tui_view_ops *v = current(a);
            if (v->key)
                v->key(a, r);
        }
        return;
    }
    if (m.y == 0 || m.y >= draw_height() - 1)
        return; /* the title and status lines */
    const tui_view_ops *v = current(a);
    if (v->mouse && v->mouse(a, m.y, m.x, m.kind == MOUSE_DOUBLE) && m.kind == MOUSE_DOUBLE)
        loop_request(a, REQ_OPEN);
}

static void handle_key(app *a, int key)
{
    if (key == TK_RESIZE) {
        app_changed(a, CHANGE_RESIZE, 0);
        return;
    }
    if (key == TK_MOUSE) {
        handle_mouse(a);
        return;
    }
    a->msg[0] = '\0';
    if (a->form) {
        form_input(a, key);
        return;
    }
    if (a->filter.searching) {
        search_key(a, key);
        return;
    }
    tui_req r = key_request(key, IN(a->view));
    /* n and N find the next match only while there is a search to match
     * (as in less); otherwise the key does what it does in every view
     * (n: a new lead). */
    if ((r == REQ_SEARCH_NEXT || r == REQ_SEARCH_PREV) && !a->filter.search[0])
        r = key_request(key, 0);
    if (r == REQ_NONE || loop_request(a, r))
        return;
    const tui_view_ops *v = current(a);
    if (v->key && v->key(a, r))
        return;
    tui_done done;
    if (ui_request(a, r, v->current_lead ? v->current_lead(a) : 0, &done)) {
        app_message(a, false, "%s", done.msg);
        app_changed(a, done.change, done.lead);
    }
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

typedef struct timings {
    double *v;
    int n, cap;
} timings;

static void timing_add(timings *t, double ms)
{
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 64;
        double *v = realloc(t->v, sizeof *v * (size_t)cap);
        if (!v)
            return;
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n++] = ms;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

/* A replayed key waits for the counting it started (worker.c), as a person
 * would before the next key, so a script's screens are the same on every
 * run.  t[1] gets the time from the key to the frame with every number in
 * it, for the keys that had to count. */
static void settle(app *a, timings *t, double t0, bool timed)
{
    if (!worker_busy(a))
        return;
    worker_wait(a);
    draw_frame(a);
    if (timed)
        timing_add(&t[1], now_ms() - t0);
}

/* Feeds one line of a replay script: a key name, "resize WxH", or text to
 * type.  Returns false on a line it cannot read. */
static bool replay_line(app *a, char *line, timings *t, bool timed)
{
    size_t len = strlen(line);
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    if (len == 0 || line[0] == '#')
        return true;
    int w, h;
    char what[16];
    if (sscanf(line, "mouse %15s %d %d", what, &w, &h) == 3) {
        /* "mouse click|double|wheel-up|wheel-down COLUMN ROW", from 0 */
        static const char *const kinds[] = {"click", "double", "wheel-up", "wheel-down"};
        int k = 0;
        while (k < 4 && strcmp(kinds[k], what) != 0)
            k++;
        if (k == 4 || w < 0 || h < 0)
            return false;
        if (!a->mouse)
            return true; /* set mouse = no: the terminal keeps it */
        term_mouse_inject(&(tui_mouse){(tui_mouse_kind)k, h, w});
        handle_key(a, TK_MOUSE);
        draw_frame(a);
        settle(a, t, now_ms(), false);
        return true;
    }
    if (sscanf(line, "resize %dx%d", &w, &h) == 2) {
        if (w < 1 || h < 1 || w > 1000 || h > 500)
            return false;
        term_resize(w, h);
        double t0 = now_ms();
        handle_key(a, TK_RESIZE);
        draw_frame(a);
        if (timed)
            timing_add(&t[0], now_ms() - t0);
        settle(a, t, t0, timed);
        return true;
    }
    /* a key's name, or text: UTF-8, whatever the locale */
    int key = key_parse(line);
    uint32_t keys[1024];
    size_t n = 0;
    if (key != TK_NONE) {
        keys[n++] = (uint32_t)key;
    } else {
        const unsigned char *p = (const unsigned char *)line;
        for (size_t left = len; left > 0 && n < 1024; n++) {
            size_t k = utf8_decode(p, left, &keys[n]);
            if (k == 0)
                return false;
            p += k;
            left -= k;
        }
    }
    for (size_t i = 0; i < n; i++) {
        double t0 = now_ms();
        handle_key(a, (int)keys[i]);
        if (!a->quit)
            draw_frame(a);
        if (timed)
            timing_add(&t[0], now_ms() - t0);
        if (a->quit)
            break;
        settle(a, t, t0, timed);
        check_external(a);
    }
    return true;
}

/* The config file's names for keys and requests are the replay's and the
 * request table's. */
static int cfg_key(const char *name)
{
    int key = key_parse(name);
    uint32_t cp;
    size_t len = strlen(name);
    if (key == TK_NONE && len > 0 && utf8_decode((const unsigned char *)name, len, &cp) == len &&
        cp > ' ' && cp != 127)
        key = (int)cp;
    return key == TK_NONE ? -1 : key;
}

static int cfg_request(const char *name)
{
    for (int r = 0; r < REQ_COUNT; r++)
        if (strcmp(req_name((tui_req)r), name) == 0)
            return r;
    return -1;
}

/* The config file's complaints, all of them, for stderr once the screen
 * is given back (the message line shows the first while the board runs). */
static char cfg_warnings[4096];

static void cfg_warn(void *ud, const char *line)
{
    (void)ud;
    char shown[512]; /* the file's words may hold control characters */
    text_escape(line, false, shown, sizeof shown);
    size_t used = strlen(cfg_warnings);
    if (used + strlen(shown) + 12 < sizeof cfg_warnings)
        snprintf(cfg_warnings + used, sizeof cfg_warnings - used, "leadboard: %s\n", shown);
}

/* Reads the config file and binds its keys; what could not be read is told
 * on stderr now and on the message line once the board is up. */
static void load_config(app *a, cfg *c)
{
    static const unsigned where[CFG_VIEW_COUNT] = {
        [CFG_GENERIC] = 0,
        [CFG_BOARD] = IN(VIEW_BOARD),
        [CFG_FEEDBACK] = IN(VIEW_FEEDBACK),
        [CFG_CAMPAIGNS] = IN(VIEW_CAMPAIGNS),
        [CFG_GOALS] = IN(VIEW_GOALS),
        [CFG_STANDUP] = IN(VIEW_STANDUP),
        [CFG_COLLATERAL] = IN(VIEW_COLLATERAL),
        [CFG_LEAD] = IN(VIEW_DETAIL),
        [CFG_HELP] = IN(VIEW_HELP),
        [CFG_FORM] = IN_FORM,
        [CFG_SEARCH] = IN_SEARCH,
    };
    static const cfg_names names = {cfg_key, cfg_request};
    char path[4096];
    cfg_init(c);
    a->mouse = c->mouse;
    if (!cfg_path(path, sizeof path))
        return;
    cfg_load(c, path, &names, cfg_warn, a);
    for (int i = 0; i < c->nbinds; i++)
        keys_bind(c->binds[i].key, (tui_req)c->binds[i].req, where[c->binds[i].view]);
    a->mouse = c->mouse;
}

/* The app on db for as_login, the key file opened, the terminal started,
 * the config read and the first frame drawn.  NULL (the error said, its
 * exit code in *code) when it cannot start. */
static app *app_start(lb_db *db, const char *as_login, const tui_options *opt, FILE **script,
                      int *code)
{
    app *a = calloc(1, sizeof *a);
    lb_err err;
    char msg[256];
    *script = NULL;
    *code = 5;
    if (!a)
        return NULL;
    a->db = db;
    if (ctx_init(&a->ctx, db, as_login, &err) != LB_OK) {
        app_error("%s", err.msg);
        *code = lb_status_exit_code(err.status);
        free(a);
        return NULL;
    }
    sla_load(db, &a->sla, &err);
    if (opt->replay) {
        *script = strcmp(opt->replay, "-") == 0 ? stdin : fopen(opt->replay, "r");
        if (!*script) {
            app_error("cannot read the key file %s", opt->replay);
            *code = 2;
            free(a);
            return NULL;
        }
    }
    if (!term_start(&a->term, opt->replay != NULL, opt->width, opt->height, msg, sizeof msg)) {
        app_error("%s", msg);
        if (*script && *script != stdin)
            fclose(*script);
        *script = NULL;
        *code = 1;
        free(a);
        return NULL;
    }
    cfg config;
    load_config(a, &config);
    term_config(&a->term, &config);
    if (!opt->replay)
        term_mouse_enable(a->mouse);
    worker_start(a);
    a->data_version = db_data_version(db);
    app_changed(a, CHANGE_DATA, 0);
    if (*script) /* a replay's first frame has every number in it */
        worker_wait(a);
    if (a->alerts.awaiting_acceptance == 0 && !a->ctx.has_actor)
        app_message(a, false, "press U to choose who you are");
    if (config.errors == 1)
        app_message(a, true, "%s", config.first_error);
    else if (config.errors > 1)
        app_message(a, true, "%s (and %d more lines)", config.first_error, config.errors - 1);
    cfg_free(&config);
    draw_frame(a);
    *code = 0;
    return a;
}

/* Feeds the key file to the board and dumps the screen; the exit code. */
static int run_replay(app *a, FILE *script, const tui_options *opt, timings t[2])
{
    char line[4096];
    int lineno = 0, code = 0;
    while (!a->quit && fgets(line, sizeof line, script)) {
        lineno++;
        if (!replay_line(a, line, t, opt->timings)) {
            term_end();
            app_error("%s:%d: cannot read this line as a key, text or 'resize WxH'", opt->replay,
                      lineno);
            code = 2;
            break;
        }
    }
    if (script != stdin)
        fclose(script);
    if (code == 0 && opt->dump && !term_dump(opt->dump)) {
        term_end();
        app_error("cannot write %s", opt->dump);
        code = 2;
    }
    return code;
}

/* The real terminal's loop, until q, a signal or the terminal going away. */
static void run_terminal(app *a)
{
    while (!a->quit && !term_stop_requested()) {
        /* While the worker counts, look for its results every 20 ms. */
        int key = term_key(worker_busy(a) ? 20 : 500);
        if (key == TK_HANGUP)
            break; /* the terminal went away: end now, drawing nothing */
        if (term_take_interrupt()) {
            /* Ctrl-C: a form cancels (it asks first when something was
             * typed), the board quits */
            if (!a->form)
                break;
            key = TK_CTRL('c');
        }
        if (key == TK_NONE) {
            lb_time before = a->ctx.now;
            refresh_clock(a);
            /* Redraw when counts came in, when another process wrote,
             * and once a minute so ages and SLA badges stay true. */
            bool counted = worker_poll(a);
            if (check_external(a) || counted || a->ctx.now / 60 != before / 60)
                draw_frame(a);
            continue;
        }
        refresh_clock(a);
        handle_key(a, key);
        worker_poll(a);
        check_external(a);
        if (!a->quit)
            draw_frame(a);
    }
}

/* --timings: the first frame, the peak memory and the latencies. */
static void print_timings(double first, timings t[2])
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("first_frame_ms %.2f\n", first);
    printf("peak_rss_kb %ld\n", ru.ru_maxrss);
    for (int i = 0; i < t[0].n; i++)
        printf("key %d %.3f\n", i + 1, t[0].v[i]);
    static const char *const what[2] = {"keys", "counted"};
    for (int k = 0; k < 2; k++) {
        timings *x = &t[k];
        if (!x->n)
            continue;
        qsort(x->v, (size_t)x->n, sizeof *x->v, cmp_double);
        int p99 = (int)((x->n - 1) * 0.99 + 0.5);
        printf("%s %d p50_ms %.3f p99_ms %.3f max_ms %.3f\n", what[k], x->n,
               x->v[(x->n - 1) / 2], x->v[p99], x->v[x->n - 1]);
    }
}

static void app_free(app *a)
{
    worker_stop(a);
    for (int v = 0; v < VIEW_COUNT; v++)
        if (tui_views[v]->free)
            tui_views[v]->free(a);
    form_free(a->form);
    keys_reset();
    fputs(cfg_warnings, stderr);
    cfg_warnings[0] = '\0';
    free(a);
}

int tui_run(lb_db *db, const char *as_login, const tui_options *opt)
{
    double start = now_ms();
    FILE *script;
    int code;
    app *a = app_start(db, as_login, opt, &script, &code);
    if (!a)
        return code;
    double first = now_ms() - start;
    timings t[2] = {{0}}; /* key to frame; key to the frame with its counts */
    if (script)
        code = run_replay(a, script, opt, t);
    else
        run_terminal(a);
    term_end();
    if (opt->timings)
        print_timings(first, t);
    free(t[0].v);
    free(t[1].v);
    app_free(a);
    return code;
}
