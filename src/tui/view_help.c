/* The help screen: every request of the one key table with its keys, in
 * the table's order, the board's keys first, then the forms' and the
 * search's.  Nothing here is typed twice. */
#include "config.h"

#include <curses.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

static int help_top;

/* " (stand-up)" when r is bound in one view only. */
static void where_of(tui_req r, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int i = 0; i < tui_nkeys; i++)
        if (tui_keys[i].req == r && tui_keys[i].where == 0)
            return; /* bound in every view too */
    for (int i = 0; i < tui_nkeys; i++) {
        unsigned w = tui_keys[i].where;
        if (tui_keys[i].req != r || w == 0 || (w & (IN_FORM | IN_SEARCH)))
            continue;
        for (int v = 0; v < VIEW_COUNT; v++)
            if (w == IN(v)) {
                snprintf(buf, n, " (%s)", tui_views[v]->name);
                for (char *p = buf; *p; p++)
                    *p = (char)tolower((unsigned char)*p);
            }
    }
}

/* One line per request bound in `where` (0: the views). */
static void section(draw_lines *ls, unsigned where)
{
    for (int r = 1; r < REQ_COUNT; r++) {
        char keys[64] = "", in[40];
        for (int i = 0; i < tui_nkeys; i++) {
            const keybind *b = &tui_keys[i];
            bool here = where ? (b->where & where) != 0 : (b->where & (IN_FORM | IN_SEARCH)) == 0;
            if (b->req != (tui_req)r || !here)
                continue;
            char label[16];
            key_label(b->key, label, sizeof label);
            size_t used = strlen(keys);
            if (strstr(keys, label) == NULL)
                snprintf(keys + used, sizeof keys - used, "%s%s", used ? " " : "", label);
        }
        if (!keys[0])
            continue;
        where_of((tui_req)r, in, sizeof in);
        lines_add(ls, 0, 0, "  %-14s %s%s", keys, req_help((tui_req)r), where ? "" : in);
    }
}

static void help_open(app *a, int64_t lead)
{
    (void)a;
    (void)lead;
    help_top = 0;
}

static void help_draw(app *a)
{
    draw_lines ls = {0};
    lines_add(&ls, A_BOLD, 0, " Keys (%s or %s: back)", key_of(REQ_QUIT, IN(VIEW_HELP)),
              key_of(REQ_CLEAR, IN(VIEW_HELP)));
    section(&ls, 0);
    lines_add(&ls, 0, 0, "%s", "");
    lines_add(&ls, A_BOLD, 0, " In forms");
    section(&ls, IN_FORM);
    lines_add(&ls, 0, 0, "%s", "");
    lines_add(&ls, A_BOLD, 0, " Typing a search");
    section(&ls, IN_SEARCH);
    lines_add(&ls, 0, 0, "%s", "");
    int w = draw_width() - 3;
    lines_wrap(&ls, 0, PAIR_DIM, " ", "   ",
               "Badges: !ACCEPT hand-off not accepted in time, !TOUCH no first "
               "follow-up in time, !DUE follow-up overdue, !STALE no follow-up "
               "for days, !REVISIT a recycled lead's date to revisit has come, !WIP its "
               "rep holds more than the stage's limit (wip.STAGE); in the Feedback view "
               "REJECTED marks a rejection, NEW REPLY marketing's answer not yet read",
               w, 0);
    lines_wrap(&ls, 0, PAIR_DIM, " ", "   ",
               "Mouse: a click selects a card or row, a double click opens it, the wheel "
               "scrolls; 'set mouse = no' in the config file (leadboard-config(5)) leaves "
               "the mouse to the terminal",
               w, 0);
    bool ascii = a->term.ascii;
    char marks[400];
    snprintf(marks, sizeof marks,
              "Marks: %s %s after a column's count: more cards above, below (%s %s to scroll);"
              " %s N more, %s N more: columns off screen to the right, left (%s %s)",
              ascii ? "^" : "\xe2\x86\x91", ascii ? "v" : "\xe2\x86\x93",
              key_of(REQ_PREV, IN(VIEW_BOARD)), key_of(REQ_NEXT, IN(VIEW_BOARD)),
              ascii ? "->" : "\xe2\x86\x92", ascii ? "<-" : "\xe2\x86\x90",
              key_of(REQ_COL_NEXT, IN(VIEW_BOARD)), key_of(REQ_COL_PREV, IN(VIEW_BOARD)));
    lines_wrap(&ls, 0, PAIR_DIM, " ", "   ", marks, w, 0);
    lines_draw(&ls, &help_top);
    free(ls.v);
}

static bool help_key(app *a, tui_req r)
{
    (void)a;
    lines_scroll(&help_top, r);
    return true; /* no action works on the help screen */
}

const tui_view_ops view_help_ops = {
    .name = "Help",
    .open = help_open,
    .draw = help_draw,
    .key = help_key,
};
