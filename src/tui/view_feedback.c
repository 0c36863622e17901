/* The Feedback view: marketing's inbox of sales' ratings, unreviewed first.
 * It keeps a window of the inbox around the cursor (one quick query at any
 * size), and Enter reviews the feedback under the cursor with a reply. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

#define FB_PAGE 200

typedef struct fb_row {
    int64_t id, lead_id;
    int stars;
    bool rejection, reply_unseen;
    char lead[160], campaign[160], rater[LB_LOGIN_MAX + 1], reasons[128],
        reviewed_by[LB_LOGIN_MAX + 1], created_at[LB_TIME_BUF];
    char *comment, *reply; /* whole: the view wraps them */
} fb_row;

static struct feedback {
    fb_row rows[FB_PAGE];
    int n;
    int64_t offset, pos, top, total, unreviewed;
    char campaign[LB_BUF(LB_SHORT_MAX)];
    bool loaded;
    /* where the rows were drawn, for a click: row_y[k] is the first line
     * of the k-th shown (top + k), row_y[shown] one past the last */
    int row_y[FB_PAGE + 1], shown;
} *FB;

static void fb_rows_free(struct feedback *fb)
{
    for (int i = 0; i < fb->n; i++) {
        free(fb->rows[i].comment);
        free(fb->rows[i].reply);
    }
    fb->n = 0;
}

static int fb_add(const lb_rating *r, void *ud)
{
    struct feedback *fb = ud;
    if (fb->n >= FB_PAGE)
        return 1;
    fb_row *x = &fb->rows[fb->n++];
    x->id = r->id;
    x->lead_id = r->lead_id;
    x->stars = r->stars;
    x->rejection = r->rejection;
    x->reply_unseen = r->reply_unseen;
    snprintf(x->lead, sizeof x->lead, "%.150s", r->lead_name);
    snprintf(x->campaign, sizeof x->campaign, "%.150s", r->campaign);
    snprintf(x->rater, sizeof x->rater, "%s", r->user);
    snprintf(x->reasons, sizeof x->reasons, "%s", r->reasons);
    x->comment = strdup(r->comment);
    x->reply = strdup(r->reply);
    snprintf(x->reviewed_by, sizeof x->reviewed_by, "%s", r->reviewed_by);
    if (!x->comment || !x->reply) {
        free(x->comment);
        free(x->reply);
        fb->n--;
        return 1;
    }
    snprintf(x->created_at, sizeof x->created_at, "%s", r->created_at);
    return 0;
}

static bool fb_rep(const app *a)
{
    return a->ctx.has_actor && a->ctx.actor.team == TEAM_SALES;
}

static void fb_fetch(app *a)
{
    struct feedback *fb = FB;
    lb_err err;
    lb_feedback_filter f = {false, fb->campaign[0] ? fb->campaign : NULL, FB_PAGE, fb->offset, 0};
    fb_rows_free(fb);
    /* A rep sees their own feedback with marketing's replies. */
    if (fb_rep(a))
        f.user_id = a->ctx.actor.id;
    lb_status st = f.user_id ? feedback_counts_user(a->db, f.user_id, f.campaign, &fb->total,
                                                    &fb->unreviewed, &err)
                             : rating_counts(a->db, f.campaign, &fb->total, &fb->unreviewed, &err);
    if (st != LB_OK || rating_each(a->db, &f, fb_add, fb, &err) != LB_OK)
        app_message(a, true, "%s", err.msg);
    if (fb->pos >= fb->total)
        fb->pos = fb->total > 0 ? fb->total - 1 : 0;
}

/* Moves the window of fetched rows so that rows [top, top + visible) are in it. */
static void fb_window(app *a, int visible)
{
    struct feedback *fb = FB;
    if (fb->top >= fb->offset && fb->top + visible <= fb->offset + fb->n)
        return;
    if (fb->top >= fb->offset && fb->offset + fb->n >= fb->total)
        return;
    int64_t off = fb->top - (FB_PAGE - visible) / 2;
    fb->offset = off < 0 ? 0 : off;
    fb_fetch(a);
}

/* One feedback as lines: its title line, then its reasons, comment,
 * review and reply wrapped to the width (the selected one whole, the
 * others folded to FB_FOLD lines, the cut marked). */
#define FB_FOLD 3
static void fb_item(app *a, const fb_row *x, bool sel, int w, draw_lines *ls)
{
    bool done = x->reviewed_by[0] != 0;
    char stars[32] = "", line[1200];
    for (int s = 0; s < 5; s++)
        strcat(stars, a->term.ascii ? (s < x->stars ? "*" : ".")
                                    : (s < x->stars ? "\xe2\x98\x85" : "\xe2\x98\x86"));
    char score[16] = "-/5";
    if (x->stars)
        snprintf(score, sizeof score, "%d/5", x->stars);
    snprintf(line, sizeof line, "%s %s %s  %s%s  (%s)  by %s  #%lld%s",
             done ? (a->term.ascii ? "v" : "\xe2\x9c\x93") : "*", stars, score,
             x->rejection ? "REJECTED " : "", x->lead,
             x->campaign[0] ? x->campaign : "no campaign", x->rater, (long long)x->id,
             x->reply_unseen && fb_rep(a) ? "  NEW REPLY" : "");
    int attrs = (sel ? A_REVERSE : 0) | (done ? 0 : A_BOLD), pair = sel ? PAIR_SELECTED : 0;
    lines_wrap(ls, attrs, pair, sel ? ">" : " ", "   ", line, w - 1, sel ? 0 : 1);
    size_t n = strlen(x->comment) + strlen(x->reply) + 2 * sizeof x->reasons + 80;
    char *text = malloc(n);
    if (!text)
        return;
    /* "[fit] comment  | reviewed by ana: reply" */
    char reasons[sizeof x->reasons * 2]; /* the tags as people say them */
    vocab_labels(&lb_reasons, x->reasons, reasons, sizeof reasons);
    snprintf(text, n, "%s%s%s%s%s%s%s%s%s", x->reasons[0] ? "[" : "", reasons,
             x->reasons[0] ? "]" : "", x->reasons[0] && x->comment[0] ? " " : "", x->comment,
             x->reasons[0] || x->comment[0] ? "  | " : "", done ? "reviewed by " : "not reviewed",
             done ? x->reviewed_by : "", done && x->reply[0] ? ": " : "");
    if (done && x->reply[0])
        strcat(text, x->reply);
    lines_wrap(ls, 0, done ? PAIR_DIM : 0, "      ", "      ", text, w - 6, sel ? 0 : FB_FOLD);
    free(text);
}

static void fb_draw_rows(app *a)
{
    struct feedback *fb = FB;
    int w = draw_width(), h = draw_height() - 3, y = 1;
    char head[400];
    static const tui_hint keys[] = {{REQ_REVIEW, 0, "review"},
                                    {REQ_FEEDBACK_CAMPAIGN, 0, "campaign"}};
    char hint[80];
    hint_line(hint, sizeof hint, keys, 2, IN(VIEW_FEEDBACK), ": ", "  ");
    if (fb_rep(a))
        snprintf(hint, sizeof hint, "Enter: read the reply");
    snprintf(head, sizeof head, " %s%lld feedback, %lld not reviewed%s%.200s   %s",
             fb_rep(a) ? "Your " : "", (long long)fb->total, (long long)fb->unreviewed,
             fb->campaign[0] ? " | campaign " : "", fb->campaign, hint);
    draw_text(y++, 0, w, head, A_BOLD, PAIR_HEADER);
    fb->shown = 0;
    if (fb->total == 0) {
        draw_text(y + 1, 2, w - 2, "No feedback yet: sales rates leads with 'r' on the board.", 0,
                  PAIR_DIM);
        return;
    }
    /* The selected item whole on screen: the first shown moves down until
     * every line of the ones from it to the selected one fits. */
    if (fb->top > fb->pos)
        fb->top = fb->pos;
    if (fb->pos - fb->top >= h) /* a jump (G, End): each item takes a line at least */
        fb->top = fb->pos - h + 1;
    for (;;) {
        fb_window(a, (int)(fb->pos - fb->top + 1));
        int used = 0;
        for (int64_t g = fb->top; g <= fb->pos && g - fb->offset < fb->n; g++) {
            draw_lines ls = {0};
            if (g < fb->offset)
                break;
            fb_item(a, &fb->rows[g - fb->offset], g == fb->pos, w, &ls);
            used += ls.n;
            free(ls.v);
        }
        if (used <= h || fb->top == fb->pos)
            break;
        fb->top++;
    }
    fb_window(a, h);
    for (int64_t g = fb->top; g < fb->total && y < h + 2; g++) {
        if (g - fb->offset >= fb->n || g < fb->offset)
            break;
        const fb_row *x = &fb->rows[g - fb->offset];
        bool sel = g == fb->pos;
        draw_lines ls = {0};
        fb_item(a, x, sel, w, &ls);
        if (fb->shown < FB_PAGE)
            fb->row_y[fb->shown++] = y;
        if (sel)
            a->shown = (tui_rect){y, 0, w, ls.n};
        for (int k = 0; k < ls.n && y < h + 2; k++, y++) {
            if (sel && k == 0)
                draw_fill(y, 0, w, ls.v[k].attrs, ls.v[k].pair);
            draw_text(y, 0, w, ls.v[k].text, ls.v[k].attrs, ls.v[k].pair);
        }
        free(ls.v);
    }
    fb->row_y[fb->shown] = y;
}

/* Allocated when first opened: most sessions never open the inbox. */
static struct feedback *feedback(app *a)
{
    if (!FB && !(FB = calloc(1, sizeof *FB)))
        app_message(a, true, "out of memory");
    return FB;
}

static void fb_open(app *a, int64_t lead)
{
    (void)lead;
    if (!feedback(a))
        return;
    fb_fetch(a);
    FB->loaded = true;
    /* A rep who opens the view has seen the replies shown (the status line
     * stops counting them); only when there are some, so that a redraw
     * after the write does not write again. */
    int64_t unseen = 0;
    lb_err err;
    if (fb_rep(a) && feedback_unseen_replies(a->db, a->ctx.actor.id, &unseen, &err) == LB_OK &&
        unseen > 0 && act_feedback_seen(&a->ctx, NULL, &err) == LB_OK)
        a->alerts.replies_unseen = 0;
}

static void fb_draw(app *a)
{
    if (!FB || !FB->loaded)
        fb_open(a, 0);
    if (FB)
        fb_draw_rows(a);
}

static int64_t fb_current(int64_t (*of)(const fb_row *x))
{
    if (FB && FB->pos >= FB->offset && FB->pos < FB->offset + FB->n)
        return of(&FB->rows[FB->pos - FB->offset]);
    return 0;
}

static int64_t lead_of(const fb_row *x)
{
    return x->lead_id;
}

static int64_t id_of(const fb_row *x)
{
    return x->id;
}

static int64_t fb_current_lead(app *a)
{
    (void)a;
    return fb_current(lead_of);
}

static lb_status review_submit(app *a, tui_form *f, tui_done *done, lb_err *err)
{
    char reply[LB_BUF(FIELD_MAX_CHARS)];
    lb_status st = act_feedback_review(&a->ctx, f->item, form_text(f, "Reply", reply, sizeof reply), err);
    snprintf(done->msg, sizeof done->msg, "feedback %lld reviewed", (long long)f->item);
    return st;
}

static void review_form(app *a)
{
    lb_err err;
    int64_t id = fb_current(id_of);
    lb_rating *rt = malloc(sizeof *rt);
    if (!id || !rt || rating_get(a->db, id, rt, &err) != LB_OK) {
        app_message(a, true, "%s", id ? err.msg : "no feedback selected");
        free(rt);
        return;
    }
    if (fb_rep(a)) { /* a rep reads the answer in full; marketing reviews */
        if (rt->reply[0])
            app_message(a, false, "#%lld %.60s: %s replied: %.300s", (long long)id, rt->lead_name,
                        rt->reviewed_by, rt->reply);
        else
            app_message(a, false, "#%lld %.60s: %s", (long long)id, rt->lead_name,
                        rt->reviewed_at[0] ? "reviewed by marketing, no reply"
                                           : "not reviewed by marketing yet");
    } else if (ctx_require_actor(&a->ctx, &err) != LB_OK ||
        rules_permit(&a->ctx.actor, ACTION_FEEDBACK_REVIEW, NULL, &err) != LB_OK) {
        app_message(a, true, "%s", err.msg);
    } else {
        char title[200];
        char stars[16] = ""; /* a rejection may carry no rating */
        if (rt->stars)
            snprintf(stars, sizeof stars, "%d/5 ", rt->stars);
        snprintf(title, sizeof title, "Review %s #%lld: %son %.80s",
                 rt->rejection ? "rejection" : "feedback", (long long)id, stars, rt->lead_name);
        tui_form *f = form_new(a, title, 0, review_submit);
        if (f) {
            f->item = id;
            form_add_text(f, "Reply", rt->reply, false, LB_LONG_MAX, NULL);
        }
        form_open(a, f, NULL);
    }
    free(rt);
}

static lb_status campaign_submit(app *a, tui_form *f, tui_done *done, lb_err *err)
{
    (void)err;
    int i;
    const char *c = form_choice_of(f, "Campaign", &i);
    if (feedback(a)) {
        snprintf(FB->campaign, sizeof FB->campaign, "%s", i == 0 ? "" : c);
        FB->pos = FB->top = FB->offset = 0;
    }
    snprintf(done->msg, sizeof done->msg, "feedback of %s", c);
    return LB_OK;
}

static int add_campaign(const lb_campaign *c, void *ud)
{
    form_add_option(ud, c->name, false);
    return 0;
}

static void campaign_form(app *a)
{
    lb_err err;
    tui_form *f = form_new(a, "Feedback of campaign", 0, campaign_submit);
    if (f) {
        form_field *c = form_add_choice(f, "Campaign", FIELD_CHOICE);
        form_add_option(c, "(all campaigns)", true);
        campaign_each(a->db, add_campaign, c, &err);
    }
    form_open(a, f, NULL);
}

static bool fb_key(app *a, tui_req r)
{
    if (r == REQ_REVIEW) {
        review_form(a);
        return true;
    }
    if (r == REQ_FEEDBACK_CAMPAIGN) {
        campaign_form(a);
        return true;
    }
    if (r == REQ_CLEAR) { /* Esc: every campaign's feedback again */
        if (FB && FB->campaign[0]) {
            FB->campaign[0] = '\0';
            FB->pos = FB->top = FB->offset = 0;
            fb_fetch(a);
            app_message(a, false, "feedback of every campaign");
        }
        return true;
    }
    if (r < REQ_COL_PREV || r > REQ_PAGE_UP)
        return false;
    if (FB) {
        int pos = (int)FB->pos;
        draw_move(&pos, (int)FB->total, r, (draw_height() - 3) / 2);
        FB->pos = pos;
    }
    return true;
}

/* A click on a row selects it (where fb_draw_rows drew it). */
static bool fb_mouse(app *a, int y, int x, bool twice)
{
    (void)a, (void)x, (void)twice;
    if (!FB || FB->total == 0)
        return false;
    for (int k = 0; k < FB->shown; k++)
        if (y >= FB->row_y[k] && y < FB->row_y[k + 1]) {
            FB->pos = FB->top + k;
            return true;
        }
    return false;
}

static void fb_changed(app *a, tui_change what, int64_t lead)
{
    (void)lead;
    if (what != CHANGE_RESIZE && a->view == VIEW_FEEDBACK)
        fb_open(a, 0);
}

static void fb_free(app *a)
{
    (void)a;
    if (FB)
        fb_rows_free(FB);
    free(FB);
    FB = NULL;
}

const tui_view_ops view_feedback_ops = {
    .name = "Feedback",
    .open = fb_open,
    .draw = fb_draw,
    .key = fb_key,
    .current_lead = fb_current_lead,
    .changed = fb_changed,
    .free = fb_free,
    .mouse = fb_mouse,
};
