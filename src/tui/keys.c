#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui.h"

static const struct {
    const char *name, *help;
} requests[] = {
    {"none", ""},
#define REQ_ROW(r, name, help) {name, help},
    REQ_LIST(REQ_ROW)
#undef REQ_ROW
};

const char *req_name(tui_req r)
{
    return (int)r >= 0 && r < REQ_COUNT ? requests[r].name : "?";
}

const char *req_help(tui_req r)
{
    return (int)r >= 0 && r < REQ_COUNT ? requests[r].help : "";
}

const char *const tui_view_names[VIEW_COUNT] = {"Board", "Feedback", "Campaigns", "Goals",
                                                "Stand-up", "Lead", "Help"};

/* The default keys of product.md section 6.  A view's own bindings come
 * before the general ones, so they win in that view. */
const keybind tui_keys[] = {
    {'n', REQ_PERSON_NEXT, IN(VIEW_STANDUP)},
    {'p', REQ_PERSON_PREV, IN(VIEW_STANDUP)},
    {'s', REQ_SINCE, IN(VIEW_STANDUP)},
    {TK_ENTER, REQ_REVIEW, IN(VIEW_FEEDBACK)},
    {'v', REQ_REVIEW, IN(VIEW_FEEDBACK)},
    {'h', REQ_COL_PREV, 0},          {TK_FN(KEY_LEFT), REQ_COL_PREV, 0},
    {'l', REQ_COL_NEXT, 0},          {TK_FN(KEY_RIGHT), REQ_COL_NEXT, 0},
    {'j', REQ_NEXT, 0},              {TK_FN(KEY_DOWN), REQ_NEXT, 0},
    {'k', REQ_PREV, 0},              {TK_FN(KEY_UP), REQ_PREV, 0},
    {'g', REQ_FIRST, 0},             {TK_FN(KEY_HOME), REQ_FIRST, 0},
    {'G', REQ_LAST, 0},              {TK_FN(KEY_END), REQ_LAST, 0},
    {TK_FN(KEY_NPAGE), REQ_PAGE_DOWN, 0}, {TK_FN(KEY_PPAGE), REQ_PAGE_UP, 0},
    {'H', REQ_STAGE_PREV, 0},        {'L', REQ_STAGE_NEXT, 0},
    {TK_ENTER, REQ_OPEN, 0},         {TK_FN(KEY_ENTER), REQ_OPEN, 0},
    {'n', REQ_NEW, 0},               {'e', REQ_EDIT, 0},
    {'t', REQ_HANDOFF, 0},           {'A', REQ_ACCEPT, 0},
    {'R', REQ_REJECT, 0},            {'c', REQ_LOG, 0},
    {'r', REQ_RATE, 0},              {'m', REQ_COMMENT, 0},
    {'w', REQ_WON, 0},               {'x', REQ_LOST, 0},
    {'/', REQ_SEARCH, 0},            {'f', REQ_FILTER, 0},
    {TK_ESC, REQ_CLEAR, 0},          {'U', REQ_SWITCH_USER, 0},
    {'1', REQ_VIEW_BOARD, 0},        {'2', REQ_VIEW_FEEDBACK, 0},
    {'3', REQ_VIEW_CAMPAIGNS, 0},    {'4', REQ_VIEW_GOALS, 0},
    {'5', REQ_VIEW_STANDUP, 0},      {TK_TAB, REQ_VIEW_NEXT, 0},
    {'?', REQ_HELP, 0},              {'q', REQ_QUIT, 0},
    {TK_CTRL('l'), REQ_REDRAW, 0},
};
const int tui_nkeys = (int)(sizeof tui_keys / sizeof tui_keys[0]);

tui_req key_request(int key, tui_view view)
{
    for (int i = 0; i < tui_nkeys; i++)
        if (tui_keys[i].key == key && (tui_keys[i].views == 0 || (tui_keys[i].views & IN(view))))
            return tui_keys[i].req;
    return REQ_NONE;
}

static const struct {
    const char *name;
    int key;
} named[] = {
    {"Enter", TK_ENTER},
    {"Esc", TK_ESC},
    {"Tab", TK_TAB},
    {"Space", ' '},
    {"BTab", TK_FN(KEY_BTAB)},
    {"Backspace", TK_FN(KEY_BACKSPACE)},
    {"Del", TK_FN(KEY_DC)},
    {"Up", TK_FN(KEY_UP)},
    {"Down", TK_FN(KEY_DOWN)},
    {"Left", TK_FN(KEY_LEFT)},
    {"Right", TK_FN(KEY_RIGHT)},
    {"Home", TK_FN(KEY_HOME)},
    {"End", TK_FN(KEY_END)},
    {"PgUp", TK_FN(KEY_PPAGE)},
    {"PgDn", TK_FN(KEY_NPAGE)},
};

void key_label(int key, char *buf, size_t n)
{
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (named[i].key == key) {
            snprintf(buf, n, "%s", named[i].name);
            return;
        }
    if (key == TK_FN(KEY_ENTER))
        snprintf(buf, n, "Enter");
    else if (key > 0 && key < 32)
        snprintf(buf, n, "C-%c", key + 'a' - 1);
    else if (!TK_IS_FN(key) && key > 0) {
        mbstate_t ps;
        memset(&ps, 0, sizeof ps);
        char mb[8];
        size_t k = wcrtomb(mb, (wchar_t)key, &ps);
        snprintf(buf, n, "%.*s", k == (size_t)-1 ? 1 : (int)k, k == (size_t)-1 ? "?" : mb);
    } else
        snprintf(buf, n, "key%d", key);
}

int key_parse(const char *name)
{
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strcmp(named[i].name, name) == 0)
            return named[i].key;
    if (name[0] == 'C' && name[1] == '-' && name[2] >= 'a' && name[2] <= 'z' && !name[3])
        return TK_CTRL(name[2]);
    if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
        int k = name[1] - '0';
        if (name[2] >= '0' && name[2] <= '2' && !name[3] && k == 1)
            k = 10 + name[2] - '0';
        else if (name[2])
            return TK_NONE;
        return TK_FN(KEY_F(k));
    }
    return TK_NONE;
}
