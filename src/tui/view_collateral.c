/* The Collateral view: marketing's assets (decks, case studies, price
 * sheets) by how much sales uses them, with bars of the won and lost deals
 * they were used in, and the ones never used listed for marketing.  Enter
 * on an asset lists the leads it was used on; Enter there opens a lead.
 * The report is read on the worker when the view opens or data changes. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/collateral.h"
#include "tui.h"

#define LEADS_MAX 500 /* leads listed for one asset (the most recent uses) */

struct rows {
    lb_asset_row *v;
    int n;
    int64_t unused;
};

static struct {
    tui_counted counted;
    struct rows rows;
    int sel, top;
    /* Enter on an asset: its leads */
    bool leads_open;
    lb_asset asset;
    lb_asset_lead *leads;
    int nleads, lsel, ltop;
} C;

static int row_add(const lb_asset_row *row, void *ud)
{
    struct rows *r = ud;
    if ((r->n & (r->n - 1)) == 0) {
        int cap = r->n ? r->n * 2 : 16;
        lb_asset_row *v = realloc(r->v, sizeof *v * (size_t)cap);
        if (!v)
            return 1;
        r->v = v;
    }
    r->v[r->n++] = *row;
    if (row->a.used == 0)
        r->unused++;
    return 0;
}

typedef struct asset_job {
    tui_count_job c;
    struct rows r;
} asset_job;

static lb_status assets_count(lb_db *db, tui_count_job *j, lb_err *err)
{
    lb_report_range range;
    report_range_init(&range, j->now, NULL, NULL, false, err);
    return report_assets(db, &range, row_add, &((asset_job *)j)->r, err);
}

static void assets_free_rows(tui_count_job *j)
{
    free(((asset_job *)j)->r.v);
}

static void assets_take(app *a, tui_count_job *j)
{
    (void)a;
    TUI_SWAP(C.rows, ((asset_job *)j)->r); /* the old ones are freed with the job */
    if (C.sel >= C.rows.n)
        C.sel = C.rows.n ? C.rows.n - 1 : 0;
}

static const tui_count_spec assets_spec = {sizeof(asset_job), assets_count, assets_take,
                                           assets_free_rows};

static void assets_open(app *a, int64_t lead)
{
    (void)lead;
    counted_load(a, &C.counted, &assets_spec, "Collateral");
}

static void view_open(app *a, int64_t lead)
{
    C.leads_open = false;
    assets_open(a, lead);
}

/* ---- the assets ---- */

static void draw_assets(app *a)
{
    struct rows *r = &C.rows;
    int w = draw_width(), h = draw_height() - 3, y = 1;
    char line[600], rate[32], kind[32];
    bool ascii = a->term.ascii;
    snprintf(line, sizeof line, " Collateral: %d asset%s, %lld (%lld%%) never used   bars: %s won  %s lost",
             r->n, r->n == 1 ? "" : "s", (long long)r->unused,
             (long long)(r->n ? report_div_round(r->unused, r->n, 100) : 0),
             ascii ? "#" : "\xe2\x96\x88", ascii ? "=" : "\xe2\x96\x93");
    draw_text(y++, 0, w, line, A_BOLD, PAIR_HEADER);
    if (r->n == 0) {
        draw_text(y + 1, 2, w - 2,
                  "No assets yet: marketing adds them with 'leadboard asset add NAME'.", 0,
                  PAIR_DIM);
        return;
    }
    int64_t max = 1;
    for (int i = 0; i < r->n; i++)
        if (r->v[i].a.won > max || r->v[i].a.lost > max)
            max = r->v[i].a.won > r->v[i].a.lost ? r->v[i].a.won : r->v[i].a.lost;
    int used_rows = 0;
    for (int i = 0; i < r->n; i++)
        used_rows += r->v[i].a.used > 0;
    /* two lines for an asset in use, one for a never-used one */
    int visible = (h - (r->unused ? 1 : 0)) / 2;
    if (visible < 1)
        visible = 1;
    C.top = layout_scroll(C.sel, C.top, visible, r->n);
    int bar = w - 44 > 6 ? (w - 44) / 2 : 6;
    if (bar > 24)
        bar = 24;
    bool header_done = false;
    for (int i = C.top; i < r->n && y < h + 2; i++) {
        const lb_asset *as = &r->v[i].a;
        bool sel = i == C.sel;
        int attrs = sel ? A_REVERSE : 0, pair = sel ? PAIR_SELECTED : 0;
        if (as->used == 0 && !header_done) {
            header_done = true;
            draw_text(y++, 0, w, " Never used (for marketing: retire, rework or tell sales):",
                      A_BOLD, PAIR_ALERT);
            if (y >= h + 2)
                break;
        }
        if (as->used == 0) {
            snprintf(line, sizeof line, "%s%.200s (%s%s%.120s)", sel ? ">" : " ", as->name,
                     vocab_label(&lb_asset_kinds, (int)as->kind, kind, sizeof kind),
                     as->campaign[0] ? ", " : "", as->campaign);
            draw_fill(y, 0, w, attrs, pair);
            draw_text(y++, 0, w, line, attrs, sel ? pair : PAIR_DIM);
            continue;
        }
        draw_percent(r->v[i].win_rate, rate, sizeof rate);
        /* the figures first: a long name is what the edge cuts, never them */
        snprintf(line, sizeof line, "%s%5lld use%s %5lld lead%s  last %-10.10s  %.200s (%s%s%.120s)",
                 sel ? ">" : " ", (long long)as->used, as->used == 1 ? " " : "s",
                 (long long)as->leads, as->leads == 1 ? " " : "s", as->last_used, as->name,
                 vocab_label(&lb_asset_kinds, (int)as->kind, kind, sizeof kind),
                 as->campaign[0] ? ", " : "", as->campaign);
        draw_fill(y, 0, w, attrs, pair);
        draw_text(y++, 0, w, line, attrs | A_BOLD, pair);
        if (y >= h + 2)
            break;
        int x = 3;
        x += draw_text(y, x, 5, "won ", 0, 0);
        draw_bar(&a->term, y, x, bar, as->won, max, true, PAIR_OK);
        x += bar;
        snprintf(line, sizeof line, " %-5lld lost ", (long long)as->won);
        x += draw_text(y, x, w - x, line, 0, 0);
        draw_bar(&a->term, y, x, bar, as->lost, max, false, PAIR_ALERT);
        x += bar;
        snprintf(line, sizeof line, " %-5lld win rate %s", (long long)as->lost, rate);
        draw_text(y++, x, w - x, line, 0, 0);
    }
    (void)used_rows;
}

/* ---- the leads of one asset ---- */

static int lead_add(const lb_asset_lead *l, void *ud)
{
    (void)ud;
    if (C.nleads >= LEADS_MAX)
        return 1;
    C.leads[C.nleads++] = *l;
    return 0;
}

static void leads_load(app *a)
{
    lb_err err;
    C.nleads = 0;
    if (!C.leads && !(C.leads = malloc(sizeof *C.leads * LEADS_MAX))) {
        app_message(a, true, "out of memory");
        C.leads_open = false;
        return;
    }
    if (asset_leads_each(a->db, C.asset.id, LEADS_MAX, lead_add, NULL, &err) != LB_OK)
        app_message(a, true, "%s", err.msg);
    if (C.lsel >= C.nleads)
        C.lsel = C.nleads ? C.nleads - 1 : 0;
}

static void draw_leads(app *a)
{
    int w = draw_width(), h = draw_height() - 3, y = 1;
    char line[600];
    snprintf(line, sizeof line, " %.200s: used on %lld lead%s (won %lld, lost %lld)", C.asset.name,
             (long long)C.asset.leads, C.asset.leads == 1 ? "" : "s", (long long)C.asset.won,
             (long long)C.asset.lost);
    draw_text(y++, 0, w, line, A_BOLD, PAIR_HEADER);
    if (C.nleads == 0) {
        draw_text(y + 1, 2, w - 2, "Not used on any lead yet.", 0, PAIR_DIM);
        return;
    }
    C.ltop = layout_scroll(C.lsel, C.ltop, h, C.nleads);
    for (int i = C.ltop; i < C.nleads && y < h + 2; i++, y++) {
        const lb_asset_lead *l = &C.leads[i];
        bool sel = i == C.lsel;
        char stage[32];
        snprintf(line, sizeof line, "%s%-8lld %-10s %-10s %3lld use%s  last %.10s  %.120s%s%.120s",
                 sel ? ">" : " ", (long long)l->lead_id,
                 vocab_label(&lb_stages, (int)l->stage, stage, sizeof stage),
                 l->owner[0] ? l->owner : "-", (long long)l->uses, l->uses == 1 ? " " : "s",
                 l->last_at, l->name, l->company[0] ? ", " : "", l->company);
        if (sel)
            a->shown = (tui_rect){y, 0, w, 1};
        draw_fill(y, 0, w, sel ? A_REVERSE : 0, sel ? PAIR_SELECTED : 0);
        draw_text(y, 0, w, line, sel ? A_REVERSE : 0,
                  sel ? PAIR_SELECTED
                      : l->stage == STAGE_WON    ? PAIR_OK
                      : l->stage == STAGE_LOST ? PAIR_DIM
                                               : 0);
    }
}

/* ---- the operations ---- */

static void view_draw(app *a)
{
    if (!counted_ready(a, &C.counted, assets_open, "Counting the assets..."))
        return;
    if (C.leads_open)
        draw_leads(a);
    else
        draw_assets(a);
}

static bool view_key(app *a, tui_req r)
{
    if (C.leads_open) {
        if (r == REQ_CLEAR) { /* Esc, as q (view_back): back to the assets */
            C.leads_open = false;
            return true;
        }
        if (r >= REQ_COL_PREV && r <= REQ_PAGE_UP) {
            draw_move(&C.lsel, C.nleads, r, draw_height() - 4);
            return true;
        }
        return false; /* Enter: the loop opens the lead under the cursor */
    }
    if (r == REQ_OPEN) {
        if (C.sel < C.rows.n) {
            C.asset = C.rows.v[C.sel].a;
            C.leads_open = true;
            C.lsel = C.ltop = 0;
            leads_load(a);
        }
        return true;
    }
    if (r < REQ_COL_PREV || r > REQ_PAGE_UP)
        return false;
    draw_move(&C.sel, C.rows.n, r, 5);
    return true;
}

static bool view_back(app *a)
{
    (void)a;
    if (!C.leads_open)
        return false;
    C.leads_open = false;
    return true;
}

static int64_t view_current_lead(app *a)
{
    (void)a;
    return C.leads_open && C.lsel < C.nleads ? C.leads[C.lsel].lead_id : 0;
}

static void view_changed(app *a, tui_change what, int64_t lead)
{
    if (!counted_changed(a, VIEW_COLLATERAL, what))
        return;
    assets_open(a, lead);
    if (C.leads_open)
        leads_load(a);
}

static void view_hint(app *a, char *buf, size_t n)
{
    static const tui_hint assets[] = {{REQ_OPEN, 0, "its leads"}, {REQ_HELP, 0, "help"},
                                      {REQ_QUIT, 0, "quit"}};
    static const tui_hint leads[] = {{REQ_OPEN, 0, "lead"}, {REQ_QUIT, 0, "back"}};
    if (C.leads_open)
        hint_line(buf, n, leads, 2, IN(VIEW_COLLATERAL), " ", "  ");
    else if (C.rows.n == 0)
        hint_line(buf, n, assets + 1, 2, IN(VIEW_COLLATERAL), " ", "  ");
    else
        hint_line(buf, n, assets, 3, IN(VIEW_COLLATERAL), " ", "  ");
}

static void view_free(app *a)
{
    (void)a;
    free(C.rows.v);
    free(C.leads);
    memset(&C, 0, sizeof C);
}

const tui_view_ops view_collateral_ops = {
    .name = "Collateral",
    .open = view_open,
    .draw = view_draw,
    .key = view_key,
    .current_lead = view_current_lead,
    .changed = view_changed,
    .hint = view_hint,
    .free = view_free,
    .back = view_back,
};
