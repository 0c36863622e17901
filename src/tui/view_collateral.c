/* The Collateral view: what marketing gives sales to work with (decks,
 * case studies, price sheets).  A skeleton for now: its rows come with the
 * collateral issue, which fills in open/draw/key/current_lead here. */
#include "config.h"

#include <curses.h>

#include "tui.h"

static void collateral_draw(app *a)
{
    (void)a;
    draw_text(1, 0, draw_width(), " Collateral", A_BOLD, PAIR_HEADER);
    draw_text(3, 2, draw_width() - 2, "Collateral comes later: marketing's assets for sales.", 0,
              PAIR_DIM);
}

const tui_view_ops view_collateral_ops = {
    .name = "Collateral",
    .draw = collateral_draw,
};
