#include "config.h"

#include "leadboard/layout.h"

int layout_scroll(int selected, int first, int visible, int count)
{
    if (visible < 1)
        visible = 1;
    if (selected < 0)
        selected = 0;
    if (selected < first)
        first = selected;
    if (selected >= first + visible)
        first = selected - visible + 1;
    if (first > count - visible)
        first = count - visible;
    return first < 0 ? 0 : first;
}

void layout_board(int width, int height, int ncols, int selected, int prev_first,
                  lb_board_geom *g)
{
    int fit = width / LAYOUT_COL_MIN;
    if (fit < 1)
        fit = 1;
    if (fit > ncols)
        fit = ncols;
    g->visible = fit;
    g->col_w = width / fit; /* share the spare width out */
    g->first = layout_scroll(selected, prev_first, fit, ncols);
    /* One line of the body is the columns' headers. */
    g->cards = (height - 1) / LAYOUT_CARD_LINES;
    if (g->cards < 1)
        g->cards = 1;
}

int layout_too_small(int width, int height)
{
    return width < LAYOUT_MIN_WIDTH || height < LAYOUT_MIN_HEIGHT;
}

int layout_share(const int *want, int n, int budget, int favour, int *got)
{
    int given = 0;
    for (int k = 0; k < n; k++)
        got[k] = 0;
    for (;;) {
        int hungry = 0;
        for (int k = 0; k < n; k++)
            hungry += got[k] < want[k];
        int left = budget - given;
        if (hungry == 0 || left <= 0)
            break;
        int share = left / hungry;
        if (share == 0) { /* fewer rows than sections still wanting: favour first */
            for (int pass = 0; pass < 2 && left > 0; pass++)
                for (int k = 0; k < n && left > 0; k++)
                    if (got[k] < want[k] && (pass == 1 || k == favour) &&
                        !(pass == 1 && k == favour)) {
                        got[k]++;
                        left--;
                        given++;
                    }
            break;
        }
        for (int k = 0; k < n; k++) {
            int more = want[k] - got[k];
            if (more > share)
                more = share;
            if (more > 0) {
                got[k] += more;
                given += more;
            }
        }
    }
    return given;
}
