/* The one table of requests and the keys bound to them: the input loop, the
 * forms, the search, the help screen and every hint line read it, so none
 * of them can name a key the others do not know. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

static const struct {
    const char *name, *help;
} requests[] = {
    {"none", ""},
#define REQ_ROW(r, name, help) {name, help},
#define X_REQ REQ_ROW
    REQ_LIST(REQ_ROW)
#undef X_REQ
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

/* The default keys of doc/product.md section 6.  A view's own bindings come
 * before the general ones, so they win in that view; the first key of a
 * request is the one hint lines name. */
static const keybind default_keys[] = {
    {'n', REQ_PERSON_NEXT, IN(VIEW_STANDUP)},
    {'p', REQ_PERSON_PREV, IN(VIEW_STANDUP)},
    {'s', REQ_SINCE, IN(VIEW_STANDUP)},
    {TK_ENTER, REQ_REVIEW, IN(VIEW_FEEDBACK)},
    {'v', REQ_REVIEW, IN(VIEW_FEEDBACK)},
    {'f', REQ_FEEDBACK_CAMPAIGN, IN(VIEW_FEEDBACK)},
    /* as in less; without a search, n is a new lead (app.c) */
    {'n', REQ_SEARCH_NEXT, IN(VIEW_BOARD)},
    {'N', REQ_SEARCH_PREV, IN(VIEW_BOARD)},
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
    {'u', REQ_UNDO, 0},
#define VIEW_KEY(id, ops, req, name, help) {'1' + (id), req, 0},
    VIEW_LIST(VIEW_KEY)
#undef VIEW_KEY
    {TK_TAB, REQ_VIEW_NEXT, 0},      {TK_FN(KEY_BTAB), REQ_VIEW_PREV, 0},
    {'?', REQ_HELP, 0},              {'q', REQ_QUIT, 0},
    {TK_CTRL('l'), REQ_REDRAW, 0},
    /* forms: a text field takes every printable key (Space too) as text */
    {TK_TAB, REQ_FORM_NEXT, IN_FORM},        {TK_FN(KEY_DOWN), REQ_FORM_NEXT, IN_FORM},
    {TK_FN(KEY_BTAB), REQ_FORM_PREV, IN_FORM}, {TK_FN(KEY_UP), REQ_FORM_PREV, IN_FORM},
    {TK_FN(KEY_LEFT), REQ_FORM_LEFT, IN_FORM}, {TK_FN(KEY_RIGHT), REQ_FORM_RIGHT, IN_FORM},
    {TK_FN(KEY_HOME), REQ_FORM_HOME, IN_FORM}, {TK_CTRL('a'), REQ_FORM_HOME, IN_FORM},
    {TK_FN(KEY_END), REQ_FORM_END, IN_FORM},   {TK_CTRL('e'), REQ_FORM_END, IN_FORM},
    {TK_CTRL('u'), REQ_FORM_KILL, IN_FORM},
    {TK_FN(KEY_BACKSPACE), REQ_FORM_BACKSPACE, IN_FORM},
    {TK_FN(KEY_DC), REQ_FORM_DELETE, IN_FORM},
    {' ', REQ_FORM_TOGGLE, IN_FORM},
    {TK_ENTER, REQ_FORM_ENTER, IN_FORM},       {TK_FN(KEY_ENTER), REQ_FORM_ENTER, IN_FORM},
    {TK_CTRL('s'), REQ_FORM_SAVE, IN_FORM},
    {TK_CTRL('r'), REQ_FORM_RELOAD, IN_FORM},
    {TK_ESC, REQ_FORM_CANCEL, IN_FORM},
    {TK_CTRL('c'), REQ_FORM_INTERRUPT, IN_FORM}, /* SIGINT in a form comes as C-c */
    /* typing a search: every printable key is text */
    {TK_ENTER, REQ_SEARCH_KEEP, IN_SEARCH},    {TK_FN(KEY_ENTER), REQ_SEARCH_KEEP, IN_SEARCH},
    {TK_ESC, REQ_SEARCH_CLEAR, IN_SEARCH},
    {TK_FN(KEY_BACKSPACE), REQ_SEARCH_ERASE, IN_SEARCH},
};
#define NDEFAULT ((int)(sizeof default_keys / sizeof default_keys[0]))

/* The keys as bound: the defaults until keys_bind changes them. */
static keybind *bound;
static int nbound;
const keybind *tui_keys = default_keys;
int tui_nkeys = NDEFAULT;

/* A binding holds in `where`: its own views, or every view. */
static bool holds(const keybind *b, unsigned where)
{
    if (b->where == 0)
        return (where & (IN_FORM | IN_SEARCH)) == 0;
    return (b->where & where) != 0;
}

tui_req key_request(int key, unsigned where)
{
    /* a view's own binding first, wherever it is in the table */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < tui_nkeys; i++)
            if (tui_keys[i].key == key && (tui_keys[i].where != 0) == (pass == 0) &&
                holds(&tui_keys[i], where))
                return tui_keys[i].req;
    return REQ_NONE;
}

bool keys_bind(int key, tui_req req, unsigned where)
{
    if (!bound) {
        bound = malloc(sizeof *bound * (size_t)(NDEFAULT + 1));
        if (!bound)
            return false;
        memcpy(bound + 1, default_keys, sizeof default_keys);
        nbound = NDEFAULT + 1;
        bound[0].key = TK_NONE; /* room for the first new binding */
    } else {
        keybind *b = realloc(bound, sizeof *b * (size_t)(nbound + 1));
        if (!b)
            return false;
        bound = b;
        memmove(bound + 1, bound, sizeof *bound * (size_t)nbound++);
    }
    /* The new binding goes first, so hint lines name it; an earlier one of
     * the same key in the same place goes. */
    bound[0] = (keybind){key, req, where};
    int n = 1;
    for (int i = 1; i < nbound; i++)
        if (bound[i].key != TK_NONE && !(bound[i].key == key && bound[i].where == where))
            bound[n++] = bound[i];
    nbound = n;
    tui_keys = bound;
    tui_nkeys = nbound;
    return true;
}

void keys_reset(void)
{
    free(bound);
    bound = NULL;
    nbound = 0;
    tui_keys = default_keys;
    tui_nkeys = NDEFAULT;
}

static const struct {
    const char *name;
    int key;
} named[] = {
    {"Enter", TK_ENTER},
    {"Esc", TK_ESC},
    {"Tab", TK_TAB},
    {"Space", ' '},
    {"S-Tab", TK_FN(KEY_BTAB)}, /* shown so; BTab (curses' name) is read too */
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
        char mb[8];
        size_t k = utf8_encode((uint32_t)key, mb);
        snprintf(buf, n, "%.*s", k ? (int)k : 1, k ? mb : "?");
    } else
        snprintf(buf, n, "key%d", key);
}

const char *key_of(tui_req r, unsigned where)
{
    static char labels[4][16];
    static int next;
    char *buf = labels[next++ % 4]; /* a few at once, for one line */
    for (int i = 0; i < tui_nkeys; i++)
        if (tui_keys[i].req == r && holds(&tui_keys[i], where) &&
            key_request(tui_keys[i].key, where) == r) { /* not shadowed */
            key_label(tui_keys[i].key, buf, sizeof labels[0]);
            return buf;
        }
    return "?";
}

void hint_line(char *buf, size_t n, const tui_hint *h, int count, unsigned where,
               const char *keysep, const char *sep)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < count && used < n; i++) {
        used += (size_t)snprintf(buf + used, n - used, "%s%s%s%s%s%s", i ? sep : "",
                                 key_of(h[i].req, where), h[i].req2 ? "/" : "",
                                 h[i].req2 ? key_of(h[i].req2, where) : "", keysep, h[i].word);
    }
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
