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
    char lead[160], campaign[160], rater[LB_LOGIN_MAX + 1], reasons[128], comment[400],
        reviewed_by[LB_LOGIN_MAX + 1], reply[300], created_at[LB_TIME_BUF];
} fb_row;

static struct feedback {
    fb_row rows[FB_PAGE];
    int n;
    int64_t offset, pos, top, total, unreviewed;
    char campaign[LB_BUF(LB_SHORT_MAX)];
    bool loaded;
} *FB;

static int fb_add(const lb_rating *r, void *ud)
{
    struct feedback *fb = ud;
    if (fb->n >= FB_PAGE)
        return 1;
    fb_row *x = &fb->rows[fb->n++];
    x->id = r->id;
    x->lead_id = r->lead_id;
    x->stars = r->stars;
    snprintf(x->lead, sizeof x->lead, "%.150s", r->lead_name);
    snprintf(x->campaign, sizeof x->campaign, "%.150s", r->campaign);
    snprintf(x->rater, sizeof x->rater, "%s", r->user);
    snprintf(x->reasons, sizeof x->reasons, "%s", r->reasons);
    snprintf(x->comment, sizeof x->comment, "%.390s", r->comment);
    snprintf(x->reviewed_by, sizeof x->reviewed_by, "%s", r->reviewed_by);
    snprintf(x->reply, sizeof x->reply, "%.290s", r->reply);
    snprintf(x->created_at, sizeof x->created_at, "%s", r->created_at);
    return 0;
}

static void fb_fetch(app *a)
{
    struct feedback *fb = FB;
    lb_err err;
    lb_feedback_filter f = {false, fb->campaign[0] ? fb->campaign : NULL, FB_PAGE, fb->offset};
    fb->n = 0;
    if (rating_counts(a->db, f.campaign, &fb->total, &fb->unreviewed, &err) != LB_OK ||
        rating_each(a->db, &f, fb_add, fb, &err) != LB_OK)
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

static void fb_draw_rows(app *a)
{
    struct feedback *fb = FB;
    int w = draw_width(), h = draw_height() - 3, y = 1;
    char line[1200], head[400];
    static const tui_hint keys[] = {{REQ_REVIEW, 0, "review"},
                                    {REQ_FEEDBACK_CAMPAIGN, 0, "campaign"}};
    char hint[80];
    hint_line(hint, sizeof hint, keys, 2, IN(VIEW_FEEDBACK), ": ", "  ");
    snprintf(head, sizeof head, " %lld feedback, %lld not reviewed%s%.200s   %s",
             (long long)fb->total, (long long)fb->unreviewed, fb->campaign[0] ? " | campaign " : "",
             fb->campaign, hint);
    draw_text(y++, 0, w, head, A_BOLD, PAIR_HEADER);
    if (fb->total == 0) {
        draw_text(y + 1, 2, w - 2, "No feedback yet: sales rates leads with 'r' on the board.", 0,
                  PAIR_DIM);
        return;
    }
    int visible = h / 2;
    fb->top = layout_scroll((int)fb->pos, (int)fb->top, visible, (int)fb->total);
    fb_window(a, visible);
    for (int i = 0; i < visible; i++) {
        int64_t g = fb->top + i;
        if (g >= fb->total || g - fb->offset >= fb->n || g < fb->offset)
            break;
        const fb_row *x = &fb->rows[g - fb->offset];
        bool sel = g == fb->pos, done = x->reviewed_by[0] != 0;
        int attrs = sel ? A_REVERSE : 0;
        char stars[32] = "";
        for (int s = 0; s < 5; s++)
            strcat(stars, a->term.ascii ? (s < x->stars ? "*" : ".")
                                        : (s < x->stars ? "\xe2\x98\x85" : "\xe2\x98\x86"));
        snprintf(line, sizeof line, "%s%s %s %d/5  %s  (%s)  by %s  #%lld", sel ? ">" : " ",
                 done ? (a->term.ascii ? "v" : "\xe2\x9c\x93") : "*", stars, x->stars, x->lead,
                 x->campaign[0] ? x->campaign : "no campaign", x->rater, (long long)x->id);
        draw_fill(y, 0, w, attrs, sel ? PAIR_SELECTED : 0);
        draw_text(y, 0, w, line, attrs | (done ? 0 : A_BOLD), sel ? PAIR_SELECTED : 0);
        snprintf(line, sizeof line, "      %s%s%s%s%s%s", x->reasons[0] ? "[" : "", x->reasons,
                 x->reasons[0] ? "] " : "", x->comment,
                 done ? "  | reviewed by " : "  | not reviewed", done ? x->reviewed_by : "");
        if (done && x->reply[0]) {
            size_t used = strlen(line);
            snprintf(line + used, sizeof line - used, ": %s", x->reply);
        }
        draw_text(y + 1, 0, w, line, 0, done ? PAIR_DIM : 0);
        y += 2;
    }
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
    if (ctx_require_actor(&a->ctx, &err) != LB_OK ||
        rules_permit(&a->ctx.actor, ACTION_FEEDBACK_REVIEW, NULL, &err) != LB_OK) {
        app_message(a, true, "%s", err.msg);
    } else {
        char title[200];
        snprintf(title, sizeof title, "Review feedback #%lld: %d/5 on %.80s", (long long)id,
                 rt->stars, rt->lead_name);
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

/* A click on a row (two lines each, from the third line) selects it. */
static bool fb_mouse(app *a, int y, int x, bool twice)
{
    (void)a, (void)x, (void)twice;
    if (!FB || y < 2 || FB->total == 0)
        return false;
    int64_t g = FB->top + (y - 2) / 2;
    if (g >= FB->total)
        return false;
    FB->pos = g;
    return true;
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
