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

/* The default keys of product.md section 6. */
const keybind tui_keys[] = {
    {'h', REQ_COL_PREV},          {TK_FN(KEY_LEFT), REQ_COL_PREV},
    {'l', REQ_COL_NEXT},          {TK_FN(KEY_RIGHT), REQ_COL_NEXT},
    {'j', REQ_NEXT},              {TK_FN(KEY_DOWN), REQ_NEXT},
    {'k', REQ_PREV},              {TK_FN(KEY_UP), REQ_PREV},
    {'g', REQ_FIRST},             {TK_FN(KEY_HOME), REQ_FIRST},
    {'G', REQ_LAST},              {TK_FN(KEY_END), REQ_LAST},
    {TK_FN(KEY_NPAGE), REQ_PAGE_DOWN}, {TK_FN(KEY_PPAGE), REQ_PAGE_UP},
    {'H', REQ_STAGE_PREV},        {'L', REQ_STAGE_NEXT},
    {TK_ENTER, REQ_OPEN},         {TK_FN(KEY_ENTER), REQ_OPEN},
    {'n', REQ_NEW},               {'e', REQ_EDIT},
    {'t', REQ_HANDOFF},           {'A', REQ_ACCEPT},
    {'R', REQ_REJECT},            {'c', REQ_LOG},
    {'r', REQ_RATE},              {'m', REQ_COMMENT},
    {'w', REQ_WON},               {'x', REQ_LOST},
    {'/', REQ_SEARCH},            {'f', REQ_FILTER},
    {TK_ESC, REQ_CLEAR},          {'U', REQ_SWITCH_USER},
    {'1', REQ_VIEW_BOARD},        {TK_TAB, REQ_VIEW_NEXT},
    {'?', REQ_HELP},              {'q', REQ_QUIT},
    {TK_CTRL('l'), REQ_REDRAW},
};
const int tui_nkeys = (int)(sizeof tui_keys / sizeof tui_keys[0]);

tui_req key_request(int key)
{
    for (int i = 0; i < tui_nkeys; i++)
        if (tui_keys[i].key == key)
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
