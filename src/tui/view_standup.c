/* The Stand-up view: awaiting acceptance, overdue follow-ups, stale leads,
 * and what moved, was won or lost and the new feedback since a start
 * (yesterday by default); n/p walk through it person by person.  Counted
 * on the worker when opened or when the data changes. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

#define STANDUP_KEEP 300 /* rows kept per section; the rest are counted */
#define SU_DETAIL_X 55   /* where a row's detail starts (su_draw_rows' format) */

typedef struct su_row {
    lb_standup_section section;
    int64_t lead_id;
    char lead[160], owner[LB_LOGIN_MAX + 1], marketer[LB_LOGIN_MAX + 1], detail[240];
} su_row;

struct rows {
    su_row *su;
    int nsu, su_sel, su_top;
    int64_t su_count[STANDUP_SECTION_COUNT];
    char since[LB_TIME_BUF];
    char people[64][LB_LOGIN_MAX + 1];
    int npeople, person; /* person -1: everyone */
    int sec_top[STANDUP_SECTION_COUNT]; /* the first row shown of a folded section */
};

static struct {
    tui_counted counted;
    struct rows rows;
} S = {.rows = {.person = -1}};

static void add_person(struct rows *r, const char *login)
{
    if (!login[0])
        return;
    for (int i = 0; i < r->npeople; i++)
        if (strcmp(r->people[i], login) == 0)
            return;
    if (r->npeople < 64)
        snprintf(r->people[r->npeople++], sizeof r->people[0], "%s", login);
}

static int su_add(const lb_standup_row *row, void *ud)
{
    struct rows *r = ud;
    r->su_count[row->section]++;
    if (r->su_count[row->section] > STANDUP_KEEP)
        return 0;
    if ((r->nsu & (r->nsu - 1)) == 0) {
        su_row *x = realloc(r->su, sizeof *x * (size_t)(r->nsu ? r->nsu * 2 : 64));
        if (!x)
            return 1;
        r->su = x;
    }
    su_row *x = &r->su[r->nsu++];
    x->section = row->section;
    x->lead_id = row->lead_id;
    snprintf(x->lead, sizeof x->lead, "%.150s", row->lead);
    snprintf(x->owner, sizeof x->owner, "%s", row->owner);
    snprintf(x->marketer, sizeof x->marketer, "%s", row->marketer);
    char detail[sizeof row->detail];
    standup_detail_text(row, true, detail, sizeof detail);
    snprintf(x->detail, sizeof x->detail, "%.230s", detail);
    return 0;
}

static int cmp_people(const void *x, const void *y)
{
    return strcmp(x, y);
}

static bool su_visible(const struct rows *r, const su_row *x)
{
    if (r->person < 0)
        return true;
    const char *p = r->people[r->person];
    return strcmp(x->owner, p) == 0 || strcmp(x->marketer, p) == 0;
}

static const char *const section_titles[STANDUP_SECTION_COUNT] = {
    "Awaiting acceptance", "Overdue follow-ups", "Stale", "Over WIP limit", "Revisit due",
    "Calls", "Moved", "Rejected", "Won", "Lost", "New feedback"};

static int su_rows(const struct rows *r)
{
    int n = 0;
    for (int i = 0; i < r->nsu; i++)
        n += su_visible(r, &r->su[i]);
    return n;
}

/* The stand-up as lines on one screen: each section with rows a header
 * and a share of the screen (layout_share: every section shows its first
 * rows, the cursor's section a window around the cursor), then one line
 * naming the sections with nothing in them.  Only when the window has not
 * even a header and a row for each section does the whole list scroll. */
typedef struct {
    int row;     /* index into su; -1: the section's header; -2: "nothing" */
    int section;
    int first, last; /* a header: the section's rows shown (1-based), when not all */
} su_line;

/* The visible rows of each section, in order: idx[s][k] into su. */
static int su_section_rows(const struct rows *r, int s, int *idx)
{
    int n = 0;
    for (int i = 0; i < r->nsu; i++)
        if (r->su[i].section == (lb_standup_section)s && su_visible(r, &r->su[i]))
            idx[n++] = i;
    return n;
}

static int su_lines(const struct rows *r, int sel_row, int height, bool fold, int nempty,
                    su_line *out, int *sec_top)
{
    int want[STANDUP_SECTION_COUNT], got[STANDUP_SECTION_COUNT], favour = -1, busy = 0;
    for (int s = 0; s < STANDUP_SECTION_COUNT; s++) {
        want[s] = 0;
        for (int i = 0; i < r->nsu; i++)
            want[s] += r->su[i].section == (lb_standup_section)s && su_visible(r, &r->su[i]);
        busy += want[s] > 0;
        if (sel_row >= 0 && r->su[sel_row].section == (lb_standup_section)s)
            favour = s;
    }
    int budget = height - busy - nempty;
    /* Folded while every busy section's header fits: a section the rows
     * do not reach shows its header and count, and gets rows when the
     * cursor comes to it (it is then `favour`). */
    if (!fold || budget < (sel_row >= 0 ? 1 : 0)) { /* everything, scrolled as one list */
        for (int s = 0; s < STANDUP_SECTION_COUNT; s++)
            got[s] = want[s];
    } else {
        layout_share(want, STANDUP_SECTION_COUNT, budget, favour, got);
    }
    int n = 0, *idx = malloc(sizeof *idx * (size_t)(r->nsu + 1));
    if (!idx)
        return 0;
    for (int s = 0; s < STANDUP_SECTION_COUNT; s++) {
        if (want[s] == 0) {
            if (!fold) {
                out[n++] = (su_line){-1, s, 0, 0};
                out[n++] = (su_line){-2, s, 0, 0};
            }
            continue;
        }
        int m = su_section_rows(r, s, idx), top = 0;
        if (got[s] == 0) { /* its header alone */
            out[n++] = (su_line){-1, s, 0, 0};
            continue;
        }
        if (got[s] < m) { /* the cursor's section: a window around it */
            int at = -1;
            for (int k = 0; k < m; k++)
                if (idx[k] == sel_row)
                    at = k;
            top = at >= 0 ? layout_scroll(at, sec_top[s], got[s], m) : 0;
            sec_top[s] = top;
        }
        out[n++] = (su_line){-1, s, got[s] < m ? top + 1 : 0, got[s] < m ? top + got[s] : 0};
        for (int k = top; k < top + got[s] && k < m; k++)
            out[n++] = (su_line){idx[k], s, 0, 0};
    }
    for (int k = 0; fold && k < nempty; k++)
        out[n++] = (su_line){-2, -1, k, 0};
    free(idx);
    return n;
}

static void su_draw_header(const struct rows *r, const su_line *l, int y, int w)
{
    char line[600], part[80] = "";
    int64_t shown = 0;
    for (int k = 0; k < r->nsu; k++)
        shown += r->su[k].section == (lb_standup_section)l->section && su_visible(r, &r->su[k]);
    int64_t count = r->person < 0 ? r->su_count[l->section] : shown;
    if (l->first)
        snprintf(part, sizeof part, "  %d-%d of %lld", l->first, l->last, (long long)count);
    int64_t more = r->person < 0 ? r->su_count[l->section] - shown : 0;
    snprintf(line, sizeof line, " %s (%lld)%s%s", section_titles[l->section], (long long)count,
             part, more > 0 ? "  ('leadboard report standup' lists all)" : "");
    draw_text(y, 0, w, line, A_BOLD, l->section <= STANDUP_STALE && shown ? PAIR_ALERT : 0);
}

/* "Nothing in: Over WIP limit, Revisit due", the empty sections, wrapped. */
static void su_empty_lines(const struct rows *r, int w, draw_lines *ls)
{
    char line[600] = "Nothing in:";
    bool any = false;
    for (int s = 0; s < STANDUP_SECTION_COUNT; s++) {
        int64_t shown = 0;
        for (int k = 0; k < r->nsu; k++)
            shown += r->su[k].section == (lb_standup_section)s && su_visible(r, &r->su[k]);
        if (shown == 0) {
            size_t u = strlen(line);
            snprintf(line + u, sizeof line - u, "%s %s", any ? "," : "", section_titles[s]);
            any = true;
        }
    }
    if (any)
        lines_wrap(ls, 0, PAIR_DIM, " ", "   ", line, w - 3, 0);
}

static void su_draw_rows(app *a)
{
    struct rows *r = &S.rows;
    /* the message line, when there is one, is below the last row */
    int w = draw_width(), y = 1, h = draw_height() - 3 - (a->msg[0] ? 1 : 0);
    char line[600], when[40] = "";
    lb_time t;
    if (time_parse(r->since, &t, NULL) == LB_OK)
        time_format_human(t, when, sizeof when);
    static const tui_hint keys[] = {{REQ_PERSON_NEXT, REQ_PERSON_PREV, "person by person"},
                                    {REQ_SINCE, 0, "since"},
                                    {REQ_OPEN, 0, "lead"}};
    char hint[120];
    hint_line(hint, sizeof hint, keys, 3, IN(VIEW_STANDUP), ": ", "  ");
    snprintf(line, sizeof line, " Stand-up since %s%s%s   %s", when, r->person >= 0 ? " | " : "",
             r->person >= 0 ? r->people[r->person] : "", hint);
    draw_text(y++, 0, w, line, A_BOLD, PAIR_HEADER);
    su_line *lines = malloc(sizeof *lines * (size_t)(r->nsu + STANDUP_SECTION_COUNT * 2 + 1));
    if (!lines)
        return;
    /* the cursor is on a row (never a header) */
    int rows = su_rows(r), sel_row = -1;
    if (r->su_sel >= rows)
        r->su_sel = rows > 0 ? rows - 1 : 0;
    for (int i = 0, k = 0; i < r->nsu; i++)
        if (su_visible(r, &r->su[i]) && k++ == r->su_sel)
            sel_row = i;
    draw_lines empty = {0};
    su_empty_lines(r, w, &empty);
    /* The selected row's detail, when its column cuts it, whole at the
     * foot of the view (three lines at most). */
    draw_lines whole = {0};
    if (sel_row >= 0 && text_width(r->su[sel_row].detail) > w - SU_DETAIL_X) {
        char head[80];
        snprintf(head, sizeof head, " #%lld: ", (long long)r->su[sel_row].lead_id);
        lines_wrap(&whole, 0, 0, head, "    ", r->su[sel_row].detail, w - 6, 3);
        h -= whole.n;
    }
    int n = su_lines(r, sel_row, h, true, empty.n, lines, r->sec_top);
    if (n > h) /* too small to fold: one list that scrolls */
        n = su_lines(r, sel_row, h, false, 0, lines, r->sec_top);
    int sel_line = 0;
    for (int i = 0; i < n; i++)
        if (lines[i].row == sel_row && sel_row >= 0)
            sel_line = i;
    r->su_top = n > h ? layout_scroll(sel_line, r->su_top, h, n) : 0;
    for (int i = r->su_top; i < n && y < h + 2; i++, y++) {
        const su_line *l = &lines[i];
        if (l->row == -1) {
            su_draw_header(r, l, y, w);
        } else if (l->row == -2 && l->section < 0) {
            draw_text(y, 0, w, empty.v[l->first].text, 0, PAIR_DIM);
        } else if (l->row == -2) {
            draw_text(y, 4, w - 4, "nothing", 0, PAIR_DIM);
        } else {
            const su_row *x = &r->su[l->row];
            bool sel = l->row == sel_row;
            char name[200], who[64];
            text_fit(x->lead, 30, a->term.ascii, name, sizeof name);
            snprintf(who, sizeof who, "%s", x->owner[0] ? x->owner : x->marketer);
            char id[24] = ""; /* none for a row about a person (over_wip) */
            if (x->lead_id)
                snprintf(id, sizeof id, "#%lld", (long long)x->lead_id);
            snprintf(line, sizeof line, "%s  %-10s %-8s %s%*s  %s", sel ? ">" : " ", who, id,
                     name, 30 - text_width(name), "", x->detail);
            draw_fill(y, 0, w, sel ? A_REVERSE : 0, sel ? PAIR_SELECTED : 0);
            draw_text(y, 0, w, line, sel ? A_REVERSE : 0, sel ? PAIR_SELECTED : 0);
            if (sel && x->lead_id)
                a->shown = (tui_rect){y, 0, w, 1};
        }
    }
    for (int k = 0; k < whole.n; k++)
        draw_text(h + 2 + k, 0, w, whole.v[k].text, 0, PAIR_DIM);
    free(whole.v);
    free(empty.v);
    free(lines);
}


typedef struct su_job {
    tui_count_job c;
    char since[LB_TIME_BUF];
    struct rows r;
} su_job;

static lb_status su_count(lb_db *db, tui_count_job *j, lb_err *err)
{
    su_job *sj = (su_job *)j;
    lb_report_range range;
    lb_status st = report_range_init(&range, j->now, sj->since[0] ? sj->since : NULL, NULL,
                                     true, err);
    if (st == LB_OK)
        st = report_standup(db, &range, su_add, &sj->r, err);
    if (!sj->since[0])
        snprintf(sj->r.since, sizeof sj->r.since, "%s", range.since);
    return st;
}

static void su_free_rows(tui_count_job *j)
{
    free(((su_job *)j)->r.su);
}

/* The new rows take the old ones' place; the person walked through stays. */
static void su_take(app *a, tui_count_job *j)
{
    (void)a;
    struct rows *r = &S.rows, *n = &((su_job *)j)->r;
    char keep[LB_LOGIN_MAX + 1] = "";
    if (r->person >= 0 && r->person < r->npeople)
        snprintf(keep, sizeof keep, "%s", r->people[r->person]);
    TUI_SWAP(r->su, n->su);
    r->nsu = n->nsu;
    memcpy(r->su_count, n->su_count, sizeof r->su_count);
    if (!r->since[0])
        snprintf(r->since, sizeof r->since, "%s", n->since);
    /* reps first, then marketers, each by login */
    r->npeople = 0;
    for (int i = 0; i < r->nsu; i++)
        add_person(r, r->su[i].owner);
    int reps = r->npeople;
    qsort(r->people, (size_t)reps, sizeof r->people[0], cmp_people);
    for (int i = 0; i < r->nsu; i++)
        add_person(r, r->su[i].marketer);
    qsort(r->people[reps], (size_t)(r->npeople - reps), sizeof r->people[0], cmp_people);
    r->person = -1;
    for (int i = 0; keep[0] && i < r->npeople; i++)
        if (strcmp(r->people[i], keep) == 0)
            r->person = i;
}

static const tui_count_spec su_spec = {sizeof(su_job), su_count, su_take, su_free_rows};

const char *standup_person(void)
{
    const struct rows *r = &S.rows;
    return r->person >= 0 && r->person < r->npeople ? r->people[r->person] : NULL;
}

static unsigned su_generation; /* moves on at every change of the data */

static void su_open(app *a, int64_t lead)
{
    (void)lead;
    su_job *sj = (su_job *)counted_new(&su_spec);
    if (!sj) {
        app_message(a, true, "out of memory");
        return;
    }
    char question[64];
    snprintf(sj->since, sizeof sj->since, "%s", S.rows.since);
    /* The data's generation is part of the question: an answer computed
     * before a write (ours, say A on an awaiting lead) is not taken for one
     * after it, so the stand-up never keeps showing the old state. */
    snprintf(question, sizeof question, "Stand-up %s #%u", sj->since, su_generation);
    sj->r.person = -1;
    counted_post(a, &S.counted, &sj->c, question);
}

static void su_draw(app *a)
{
    if (counted_ready(a, &S.counted, su_open, "Preparing the stand-up..."))
        su_draw_rows(a);
}

static lb_status since_submit(app *a, tui_form *f, tui_done *done, lb_err *err)
{
    char text[64];
    lb_time t;
    lb_status st =
        time_parse_input(form_text(f, "Since", text, sizeof text), a->ctx.now, false, &t, err);
    if (st == LB_OK) {
        time_format(t, S.rows.since);
        snprintf(done->msg, sizeof done->msg, "stand-up since %.40s", text);
    }
    (void)a;
    return st;
}

/* Any date a person may type (time_parse_input: local days, today, +3d...). */
static lb_status check_date(const char *s, lb_err *err)
{
    lb_time t, now;
    if (time_now(&now, NULL) != LB_OK)
        now = 0;
    return time_parse_input(s, now, false, &t, err);
}

static bool su_key(app *a, tui_req req)
{
    struct rows *r = &S.rows;
    if (req == REQ_SINCE) {
        tui_form *f = form_new(a, "Stand-up since", 0, since_submit);
        /* the period in effect, in the local time the header shows */
        char since[32];
        lb_time t;
        if (time_parse(r->since, &t, NULL) != LB_OK)
            t = time_local_day_start(a->ctx.now, -1);
        time_format_human(t, since, sizeof since);
        char *blank = strchr(since, ' ');
        if (blank)
            *blank = 'T'; /* local, as time_parse_input reads it */
        if (f)
            form_add_text(f, "Since", since, true, 25, check_date);
        form_open(a, f, NULL);
        return true;
    }
    if (req == REQ_PERSON_NEXT || req == REQ_PERSON_PREV) {
        if (r->npeople == 0) {
            app_message(a, false, "nobody has anything in this stand-up");
            return true;
        }
        /* everyone, then each person in turn, then everyone again */
        int p = r->person + (req == REQ_PERSON_NEXT ? 1 : -1);
        if (p >= r->npeople)
            p = -1;
        if (p < -1)
            p = r->npeople - 1;
        r->person = p;
        r->su_sel = 0;
        r->su_top = 0;
        app_message(a, false, "%s", p < 0 ? "everyone" : r->people[p]);
        return true;
    }
    if (req < REQ_COL_PREV || req > REQ_PAGE_UP)
        return false;
    draw_move(&r->su_sel, su_rows(r), req, (draw_height() - 3) / 2);
    return true;
}

static int64_t su_current_lead(app *a)
{
    (void)a;
    const struct rows *r = &S.rows;
    for (int i = 0, k = 0; i < r->nsu; i++)
        if (su_visible(r, &r->su[i]) && k++ == r->su_sel)
            return r->su[i].lead_id;
    return 0;
}

static void su_changed(app *a, tui_change what, int64_t lead)
{
    if (what == CHANGE_DATA || what == CHANGE_WRITE)
        su_generation++;
    if (counted_changed(a, VIEW_STANDUP, what))
        su_open(a, lead);
}

static void su_free(app *a)
{
    (void)a;
    free(S.rows.su);
    memset(&S, 0, sizeof S);
    S.rows.person = -1;
}

const tui_view_ops view_standup_ops = {
    .name = "Stand-up",
    .open = su_open,
    .draw = su_draw,
    .key = su_key,
    .current_lead = su_current_lead,
    .changed = su_changed,
    .free = su_free,
};
