/* The board's geometry as plain arithmetic, so it can be tested without a
 * terminal: how many pipeline columns fit and how wide, how many cards a
 * column shows, and which rows stay in view as the cursor moves. */
#ifndef LEADBOARD_LAYOUT_H
#define LEADBOARD_LAYOUT_H

#define LAYOUT_COL_MIN 24 /* narrowest useful column, gap included */
#define LAYOUT_CARD_LINES 4
#define LAYOUT_MIN_WIDTH 40
#define LAYOUT_MIN_HEIGHT 10

typedef struct lb_board_geom {
    int col_w;     /* cells per column, its one-cell gap included */
    int visible;   /* columns on screen */
    int first;     /* first column on screen */
    int cards;     /* cards that fit in a column */
} lb_board_geom;

/* Lays out ncols columns in width x height cells (the body, without the
 * title and status lines), keeping `selected` on screen and moving as
 * little as possible from `prev_first`. */
void layout_board(int width, int height, int ncols, int selected, int prev_first,
                  lb_board_geom *g);

/* The first row to show so that `selected` is among the `visible` rows
 * starting there, moving as little as possible from `first`. */
int layout_scroll(int selected, int first, int visible, int count);

/* Shares `budget` rows among n sections that want want[k] each, so that
 * every section shows some of its rows: equal shares, a section that
 * wants less giving the rest to the others, what is left over going to
 * section `favour` first (-1: none) and then in order.  got[k] <= want[k];
 * returns the rows given. */
int layout_share(const int *want, int n, int budget, int favour, int *got);

/* True when the screen is too small for anything but a message. */
int layout_too_small(int width, int height);

#endif
