/* The board's geometry: columns that fit, cards per column, scrolling. */
#include "config.h"

#include <check.h>

#include "leadboard/layout.h"
#include "suites.h"

static const struct {
    int width, height, selected, prev_first;
    int col_w, visible, first, cards;
} boards[] = {
    /* 80x24 leaves 22 body lines: 3 columns of 26, (22-1)/4 = 5 cards */
    {80, 22, 0, 0, 26, 3, 0, 5},
    /* moving right past the last visible column scrolls by one */
    {80, 22, 3, 0, 26, 3, 1, 5},
    /* moving back left inside the view does not scroll */
    {80, 22, 2, 1, 26, 3, 1, 5},
    /* left of the view scrolls back to it */
    {80, 22, 0, 2, 26, 3, 0, 5},
    /* the last column: never scrolls past the end */
    {80, 22, 7, 0, 26, 3, 5, 5},
    /* a wide terminal shows all eight and shares the spare width */
    {200, 38, 7, 0, 25, 8, 0, 9},
    {192, 38, 5, 3, 24, 8, 0, 9},
    /* narrower than two columns: one column, the selected one */
    {40, 8, 4, 0, 40, 1, 4, 1},
    /* too short for a card still lays out one */
    {80, 2, 0, 0, 26, 3, 0, 1},
    /* a column too wide for the screen: one column, all of it */
    {10, 20, 2, 0, 10, 1, 2, 4},
};

START_TEST(test_layout_board)
{
    lb_board_geom g;
    layout_board(boards[_i].width, boards[_i].height, 8, boards[_i].selected,
                 boards[_i].prev_first, &g);
    ck_assert_int_eq(g.col_w, boards[_i].col_w);
    ck_assert_int_eq(g.visible, boards[_i].visible);
    ck_assert_int_eq(g.first, boards[_i].first);
    ck_assert_int_eq(g.cards, boards[_i].cards);
    /* the selected column is always on screen */
    ck_assert_int_ge(boards[_i].selected, g.first);
    ck_assert_int_lt(boards[_i].selected, g.first + g.visible);
}
END_TEST

static const struct {
    int selected, first, visible, count, want;
} scrolls[] = {
    {0, 0, 5, 10, 0},   {4, 0, 5, 10, 0},  {5, 0, 5, 10, 1},  {9, 0, 5, 10, 5},
    {3, 5, 5, 10, 3},   {7, 3, 5, 10, 3},  {2, 8, 5, 10, 2},  {0, 0, 5, 3, 0},
    {2, 1, 5, 3, 0},    /* fewer rows than fit: never scrolled */
    {-1, 4, 5, 10, 0},  /* no selection: the top */
    {3, 0, 0, 10, 3},   /* a zero-height view still shows the selected row */
};

START_TEST(test_layout_scroll)
{
    ck_assert_int_eq(layout_scroll(scrolls[_i].selected, scrolls[_i].first, scrolls[_i].visible,
                                   scrolls[_i].count),
                     scrolls[_i].want);
}
END_TEST

START_TEST(test_too_small)
{
    ck_assert(layout_too_small(39, 24));
    ck_assert(layout_too_small(80, 9));
    ck_assert(!layout_too_small(40, 10));
    ck_assert(!layout_too_small(80, 24));
}
END_TEST

/* The stand-up's sections share the screen: every section some rows, the
 * section with the cursor what is left over. */
static const struct {
    int want[4], n, budget, favour, got[4];
} shares[] = {
    {{29, 45, 98, 4}, 4, 14, -1, {4, 4, 3, 3}},  /* equal shares, the rest in order */
    {{29, 45, 98, 4}, 4, 14, 2, {4, 3, 4, 3}},   /* the left-over rows: the cursor's first */
    {{2, 1, 0, 3}, 4, 20, -1, {2, 1, 0, 3}},     /* room for all */
    {{1, 100, 100, 0}, 3, 10, -1, {1, 5, 4, 0}}, /* a small one whole */
    {{10, 10, 10, 0}, 3, 2, 1, {1, 1, 0, 0}},    /* too few rows: the favoured first */
    {{5, 5, 0, 0}, 2, 0, 0, {0, 0, 0, 0}},
};

START_TEST(test_layout_share)
{
    int got[4];
    int given = layout_share(shares[_i].want, shares[_i].n, shares[_i].budget,
                             shares[_i].favour, got);
    int sum = 0;
    for (int k = 0; k < shares[_i].n; k++) {
        ck_assert_int_eq(got[k], shares[_i].got[k]);
        sum += got[k];
    }
    ck_assert_int_eq(given, sum);
}
END_TEST

Suite *layout_suite(void)
{
    Suite *s = suite_create("layout");
    TCase *tc = tcase_create("geometry");
    tcase_add_loop_test(tc, test_layout_board, 0, (int)(sizeof boards / sizeof boards[0]));
    tcase_add_loop_test(tc, test_layout_scroll, 0, (int)(sizeof scrolls / sizeof scrolls[0]));
    tcase_add_test(tc, test_too_small);
    tcase_add_loop_test(tc, test_layout_share, 0, (int)(sizeof shares / sizeof shares[0]));
    suite_add_tcase(s, tc);
    return s;
}
