/* In-screen forms: text fields validated as you type, choice fields cycled
 * with the arrows or picked by their first letter, multi-choice fields
 * toggled with Space.  Esc cancels and nothing is written.  Fields are
 * reached by their label.  A field keeps its text as Unicode characters
 * decoded from UTF-8 (not through the locale), so a form under a locale
 * that cannot show a character still saves it unchanged. */
#include "config.h"

#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "tui.h"

/* A field holding up to cap characters (its text is allocated: a lead's
 * notes hold LB_NOTES_MAX). */
static form_field *add_field(tui_form *f, const char *label, field_kind kind, size_t cap)
{
    if (f->n >= FORM_MAX_FIELDS)
        return NULL;
    uint32_t *text = calloc(cap + 1, sizeof *text);
    if (!text)
        return NULL;
    form_field *fl = &f->fields[f->n++];
    memset(fl, 0, sizeof *fl);
    fl->label = label;
    fl->kind = kind;
    fl->text = text;
    fl->cap = (int)cap;
    return fl;
}

static void check_field(form_field *fl)
{
    lb_err err;
    fl->error[0] = '\0';
    if (fl->kind != FIELD_TEXT)
        return;
    size_t n = LB_BUF((size_t)fl->len);
    char *buf = malloc(n);
    if (!buf) {
        snprintf(fl->error, sizeof fl->error, "out of memory");
        return;
    }
    form_value(fl, buf, n);
    if (fl->required && buf[strspn(buf, " ")] == '\0')
        snprintf(fl->error, sizeof fl->error, "required");
    else if (text_check(fl->label, buf, fl->max_chars, fl->max_chars > LB_SHORT_MAX * 2, &err) !=
             LB_OK)
        snprintf(fl->error, sizeof fl->error, "%.150s", err.msg);
    else if (buf[0] && fl->check && fl->check(buf, &err) != LB_OK)
        snprintf(fl->error, sizeof fl->error, "%.150s", err.msg);
    free(buf);
}

void form_set_text(form_field *fl, const char *utf8)
{
    const unsigned char *p = (const unsigned char *)utf8;
    size_t left = strlen(utf8);
    int k = 0;
    while (left > 0 && k < fl->cap) {
        uint32_t cp;
        size_t m = utf8_decode(p, left, &cp);
        if (m == 0) { /* not UTF-8 (the store never holds such): a visible mark */
            cp = 0xFFFD;
            m = 1;
        }
        fl->text[k++] = cp;
        p += m;
        left -= m;
    }
    fl->text[k] = 0;
    fl->len = fl->cursor = k;
    check_field(fl);
}

form_field *form_add_text(tui_form *f, const char *label, const char *value, bool required,
                          size_t max_chars, field_check check)
{
    form_field *fl = add_field(f, label, FIELD_TEXT,
                               max_chars > FIELD_MAX_CHARS ? max_chars : FIELD_MAX_CHARS);
    if (!fl)
        return NULL;
    fl->required = required;
    fl->max_chars = max_chars;
    fl->check = check;
    form_set_text(fl, value ? value : "");
    return fl;
}

form_field *form_add_choice(tui_form *f, const char *label, field_kind kind)
{
    return add_field(f, label, kind, LB_SHORT_MAX); /* the filter typed */
}

void form_add_option(form_field *fl, const char *option, bool selected)
{
    if (!fl)
        return;
    if ((fl->nchoices & (fl->nchoices - 1)) == 0) { /* grow at powers of two */
        int cap = fl->nchoices ? fl->nchoices * 2 : 8;
        char(*c)[FORM_CHOICE_BUF] = realloc(fl->choices, sizeof *c * (size_t)cap);
        if (!c)
            return;
        fl->choices = c;
        bool *p = realloc(fl->picked, sizeof *p * (size_t)cap);
        if (!p)
            return;
        fl->picked = p;
    }
    fl->picked[fl->nchoices] = false;
    snprintf(fl->choices[fl->nchoices], sizeof fl->choices[0], "%s", option);
    if (selected && fl->kind == FIELD_CHOICE)
        fl->choice = fl->nchoices;
    fl->nchoices++;
}

void form_value(const form_field *fl, char *buf, size_t n)
{
    size_t used = 0;
    for (int i = 0; i < fl->len; i++) {
        char mb[4];
        size_t m = utf8_encode(fl->text[i], mb);
        if (used + m >= n)
            break;
        memcpy(buf + used, mb, m);
        used += m;
    }
    buf[used] = '\0';
}

form_field *form_field_named(tui_form *f, const char *label)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->fields[i].label, label) == 0)
            return &f->fields[i];
    return NULL;
}

const char *form_text(tui_form *f, const char *label, char *buf, size_t n)
{
    const form_field *fl = form_field_named(f, label);
    buf[0] = '\0';
    if (fl)
        form_value(fl, buf, n);
    return buf;
}

const char *form_choice_of(tui_form *f, const char *label, int *index)
{
    const form_field *fl = form_field_named(f, label);
    if (index)
        *index = fl ? fl->choice : 0;
    return fl ? form_choice(fl) : "";
}

void form_set(tui_form *f, const char *label, const char *utf8)
{
    form_field *fl = form_field_named(f, label);
    if (fl)
        form_set_text(fl, utf8);
}

tui_form *form_new(app *a, const char *title, int64_t lead_id, form_submit submit)
{
    tui_form *f = calloc(1, sizeof *f);
    if (!f) {
        app_message(a, true, "out of memory");
        return NULL;
    }
    f->submit = submit;
    f->lead_id = lead_id;
    snprintf(f->title, sizeof f->title, "%.150s", title);
    return f;
}

void form_open(app *a, tui_form *f, const lb_lead *l)
{
    if (!f)
        return;
    if (l)
        f->version = l->version;
    form_free(a->form);
    a->form = f;
}

const char *form_choice(const form_field *fl)
{
    return fl->nchoices ? fl->choices[fl->choice] : "";
}

bool form_valid(tui_form *f)
{
    for (int i = 0; i < f->n; i++) {
        check_field(&f->fields[i]);
        if (f->fields[i].error[0]) {
            f->focus = i;
            return false;
        }
    }
    return true;
}

/* A character a text field takes.  Past ASCII not by iswprint, which
 * knows only the locale's characters (none under LC_ALL=C, where "é"
 * would be dropped): any character but C1 controls and surrogates; the
 * core's text rule refuses what may not be stored, with a message. */
static bool printable(int key)
{
    if (TK_IS_FN(key) || key < 32 || key == 127 || key > 0x10FFFF)
        return false;
    if (key < 127)
        return true;
    return key >= 0xA0 && !(key >= 0xD800 && key <= 0xDFFF);
}

static void text_key(form_field *fl, tui_req r, int key)
{
    switch (r) {
    case REQ_FORM_LEFT:
        if (fl->cursor > 0)
            fl->cursor--;
        break;
    case REQ_FORM_RIGHT:
        if (fl->cursor < fl->len)
            fl->cursor++;
        break;
    case REQ_FORM_HOME:
        fl->cursor = 0;
        break;
    case REQ_FORM_END:
        fl->cursor = fl->len;
        break;
    case REQ_FORM_KILL:
        fl->len = fl->cursor = 0;
        fl->text[0] = 0;
        break;
    case REQ_FORM_BACKSPACE:
        if (fl->cursor > 0) {
            memmove(&fl->text[fl->cursor - 1], &fl->text[fl->cursor],
                    sizeof fl->text[0] * (size_t)(fl->len - fl->cursor + 1));
            fl->cursor--;
            fl->len--;
        }
        break;
    case REQ_FORM_DELETE:
        if (fl->cursor < fl->len) {
            memmove(&fl->text[fl->cursor], &fl->text[fl->cursor + 1],
                    sizeof fl->text[0] * (size_t)(fl->len - fl->cursor));
            fl->len--;
        }
        break;
    default:
        if (!printable(key) || fl->len >= fl->cap)
            return;
        memmove(&fl->text[fl->cursor + 1], &fl->text[fl->cursor],
                sizeof fl->text[0] * (size_t)(fl->len - fl->cursor + 1));
        fl->text[fl->cursor++] = (uint32_t)key;
        fl->len++;
    }
    check_field(fl);
}

/* Case-insensitive (ASCII letters) substring. */
static bool contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return true;
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

bool form_option_shown(const form_field *fl, int k)
{
    if (!fl->filter || fl->len == 0 || fl->picked[k])
        return true;
    char want[LB_BUF(LB_SHORT_MAX)];
    form_value(fl, want, sizeof want);
    return contains_nocase(fl->choices[k], want);
}

/* The next option offered, from choice in direction dir (0: the current
 * one if offered, else the next). */
static void filter_move(form_field *fl, int dir)
{
    int step = dir ? dir : 1;
    for (int k = dir ? 1 : 0; k <= fl->nchoices; k++) {
        int i = ((fl->choice + step * k) % fl->nchoices + fl->nchoices) % fl->nchoices;
        if (form_option_shown(fl, i)) {
            fl->choice = i;
            return;
        }
    }
}

/* A filtered multi-pick: letters type the filter, Backspace and C-u take
 * it back, the arrows walk the options it leaves, Space toggles. */
static void filter_key(form_field *fl, tui_req r, int key)
{
    if (r == REQ_FORM_RIGHT || r == REQ_FORM_LEFT) {
        filter_move(fl, r == REQ_FORM_RIGHT ? 1 : -1);
    } else if (r == REQ_FORM_TOGGLE) {
        if (form_option_shown(fl, fl->choice))
            fl->picked[fl->choice] = !fl->picked[fl->choice];
    } else if (r == REQ_FORM_BACKSPACE && fl->len > 0) {
        fl->text[--fl->len] = 0;
        fl->cursor = fl->len;
        filter_move(fl, 0);
    } else if (r == REQ_FORM_KILL) {
        fl->len = fl->cursor = 0;
        fl->text[0] = 0;
    } else if (printable(key) && key != ' ' && fl->len < LB_SHORT_MAX) {
        fl->text[fl->len++] = (uint32_t)key;
        fl->text[fl->len] = 0;
        fl->cursor = fl->len;
        filter_move(fl, 0);
    }
}

static void choice_key(form_field *fl, tui_req r, int key)
{
    if (fl->nchoices == 0)
        return;
    if (fl->filter) {
        filter_key(fl, r, key);
        return;
    }
    if (r == REQ_FORM_RIGHT || (r == REQ_FORM_TOGGLE && fl->kind == FIELD_CHOICE))
        fl->choice = (fl->choice + 1) % fl->nchoices;
    else if (r == REQ_FORM_LEFT)
        fl->choice = (fl->choice + fl->nchoices - 1) % fl->nchoices;
    else if (r == REQ_FORM_TOGGLE && fl->kind == FIELD_MULTI)
        fl->picked[fl->choice] = !fl->picked[fl->choice];
    else if (!TK_IS_FN(key) && key > ' ' && key < 127) {
        /* Jump to the next option starting with that letter. */
        for (int k = 1; k <= fl->nchoices; k++) {
            int i = (fl->choice + k) % fl->nchoices;
            if (towlower((wint_t)(unsigned char)fl->choices[i][0]) == towlower((wint_t)key)) {
                fl->choice = i;
                break;
            }
        }
    }
}

form_result form_key(tui_form *f, int key)
{
    form_field *fl = &f->fields[f->focus];
    if (f->asking) { /* "cancel and lose what you typed?" */
        f->asking = false;
        f->message[0] = '\0';
        if (key == 'y' || key == 'Y' || key_request(key, IN_FORM) == REQ_FORM_INTERRUPT)
            return FORM_CANCEL;
        return FORM_GO_ON; /* any other key: back to the form, the key unused */
    }
    /* a text field takes printable keys as text, whatever they are bound to */
    tui_req r = fl->kind == FIELD_TEXT && printable(key) ? REQ_NONE : key_request(key, IN_FORM);
    switch (r) {
    case REQ_FORM_CANCEL:
        return FORM_CANCEL;
    case REQ_FORM_INTERRUPT:
        if (!f->typed)
            return FORM_CANCEL;
        f->asking = true;
        snprintf(f->message, sizeof f->message,
                 "Cancel the form and lose what you typed? y: yes, any other key: no");
        return FORM_GO_ON;
    case REQ_FORM_NEXT:
        f->focus = (f->focus + 1) % f->n;
        return FORM_GO_ON;
    case REQ_FORM_PREV:
        f->focus = (f->focus + f->n - 1) % f->n;
        return FORM_GO_ON;
    case REQ_FORM_ENTER:
        if (f->focus < f->n - 1) {
            f->focus++;
            return FORM_GO_ON;
        }
        return FORM_SUBMIT;
    case REQ_FORM_SAVE:
        return FORM_SUBMIT;
    case REQ_FORM_RELOAD:
        if (f->conflict)
            return FORM_RELOAD;
        break;
    default:
        break;
    }
    if (fl->kind == FIELD_TEXT) {
        int len = fl->len;
        uint32_t last = fl->len ? fl->text[fl->len - 1] : 0;
        text_key(fl, r, key);
        f->typed |= fl->len != len || (fl->len && fl->text[fl->len - 1] != last) ||
                    r == REQ_NONE;
    } else {
        int choice = fl->choice;
        bool picked = fl->nchoices ? fl->picked[fl->choice] : false;
        choice_key(fl, r, key);
        f->typed |= fl->choice != choice || (fl->nchoices && fl->picked[fl->choice] != picked);
    }
    return FORM_GO_ON;
}

#define LABEL_W 12

/* The options of a multi-choice field on as many lines as they need at fw
 * cells, never one cut: starts[k] is the first option of line k.  Returns
 * the lines. */
static int multi_lines(const form_field *fl, int fw, int starts[], int most)
{
    int lines = 0, x = 0;
    if (fl->filter && fl->len) { /* "pri: " before the options */
        char typed[LB_BUF(LB_SHORT_MAX)];
        form_value(fl, typed, sizeof typed);
        x = text_width(typed) + 2;
        starts[lines++] = 0;
    }
    for (int k = 0; k < fl->nchoices; k++) {
        char item[FORM_CHOICE_BUF + 8];
        if (!form_option_shown(fl, k))
            continue; /* filtered out */
        snprintf(item, sizeof item, "[ ]%s", fl->choices[k]);
        int iw = text_width(item) + 1;
        if (lines == 0 || (x + iw > fw + 1 && x > 0)) {
            if (lines == most)
                break;
            starts[lines++] = k;
            x = 0;
        }
        x += iw;
    }
    return lines ? lines : 1;
}

/* A single choice whose options would take more lines than a field may
 * (every user and campaign in the filter's list): shown as "< chosen >",
 * so that the chosen one is always in sight. */
static bool choice_compact(const form_field *fl, int fw)
{
    int starts[FORM_MAX_CHOICE_LINES + 1];
    return fl->kind == FIELD_CHOICE &&
           multi_lines(fl, fw, starts, FORM_MAX_CHOICE_LINES + 1) > FORM_MAX_CHOICE_LINES;
}

/* The lines of a field's error, wrapped to fw (three at most). */
#define FIELD_ERROR_LINES 3
static int error_lines(const form_field *fl, int fw, draw_lines *ls)
{
    if (!fl->error[0])
        return 1;
    int n = lines_wrap(ls, 0, PAIR_ALERT, "", "", fl->error, fw, FIELD_ERROR_LINES);
    return n > 0 ? n : 1;
}

/* Its input's rows, then one for its hint or the lines of its error. */
static int field_rows(const form_field *fl, int fw)
{
    int starts[FORM_MAX_CHOICE_LINES];
    draw_lines err = {0};
    int below = error_lines(fl, fw, &err);
    free(err.v);
    bool one = fl->kind == FIELD_TEXT || choice_compact(fl, fw);
    return (one ? 1 : multi_lines(fl, fw, starts, FORM_MAX_CHOICE_LINES)) + below;
}

#define FORM_MAX_W 72 /* wider reads worse */
#define FORM_MIN_W 36 /* narrower than this, beside a card, is too cramped */
#define FORM_MIN_H 6  /* a border, one field, the hint */

/* The rows a form of width w needs (its fields, border, title and hint). */
static int form_needs(const tui_form *f, int w, int H)
{
    int total = 0;
    for (int i = 0; i < f->n; i++)
        total += field_rows(&f->fields[i], w - LABEL_W - 4);
    return total + 4 + (f->message[0] || total + 6 <= H - 2 ? 2 : 1);
}

/* Where the form goes: rows 1 to H-2 (between the title line and the
 * status line), beside the lead it acts on when that is on screen (avoid),
 * so the card stays readable: below it, above it, right or left of it,
 * whichever shows the form whole at the widest.  When the whole card
 * leaves no room for all of the form, only its name line is kept clear
 * (the form then shows more of itself); in a window too small for even
 * that, the middle. */
typedef struct form_box {
    int top, left, h, w;
} form_box;

/* 0: no room beside r; 1: room for part of the form; 2: for all of it. */
static int box_beside(const tui_form *f, int W, int H, const tui_rect *r, form_box *best)
{
    enum { BELOW, ABOVE, RIGHT, LEFT };
    long best_score = -1;
    for (int side = BELOW; side <= LEFT; side++) {
        int r0 = 1, r1 = H - 2, c0 = 0, c1 = W - 1; /* the region, inclusive */
        if (side == BELOW)
            r0 = r->y + r->h;
        else if (side == ABOVE)
            r1 = r->y - 1;
        else if (side == RIGHT)
            c0 = r->x + r->w + 1;
        else
            c1 = r->x - 2;
        int rh = r1 - r0 + 1, rw = c1 - c0 + 1;
        int w = side <= ABOVE ? rw - 4 : rw;
        if (w > FORM_MAX_W)
            w = FORM_MAX_W;
        if (w < FORM_MIN_W || rh < FORM_MIN_H)
            continue;
        int need = form_needs(f, w, H), h = need < rh ? need : rh;
        /* whole first, then wide, then tall */
        long score = (need <= rh ? 1000000L : 0) + (long)w * h;
        if (score <= best_score)
            continue;
        best_score = score;
        best->w = w;
        best->h = h;
        best->left = side <= ABOVE ? (W - w) / 2 : side == RIGHT ? c0 : c1 - w + 1;
        best->top = side == BELOW   ? r0
                    : side == ABOVE ? r1 - h + 1
                                    : r0 + (rh - h) / 2;
    }
    return best_score < 0 ? 0 : best_score >= 1000000L ? 2 : 1;
}

static form_box form_place(const tui_form *f, int W, int H, const tui_rect *avoid)
{
    form_box b;
    if (avoid && avoid->h > 0) {
        tui_rect name = *avoid;
        name.h = 1;
        form_box nb;
        int card = box_beside(f, W, H, avoid, &b);
        if (card == 2)
            return b;
        int named = box_beside(f, W, H, &name, &nb);
        if (named == 2 || (named && (!card || nb.h > b.h)))
            return nb;
        if (card)
            return b;
    }
    b.w = W - 4 < FORM_MAX_W ? W - 4 : FORM_MAX_W;
    b.h = form_needs(f, b.w, H);
    if (b.h > H - 2)
        b.h = H - 2;
    b.top = (H - b.h) / 2;
    b.left = (W - b.w) / 2;
    return b;
}

/* The box: its border and its title. */
static void draw_box(const tui_form *f, const tui_term *t, int top, int left, int h, int w)
{
    const char *hbar = t->ascii ? "-" : "\xe2\x94\x80";
    const char *vbar = t->ascii ? "|" : "\xe2\x94\x82";
    for (int y = top; y < top + h; y++) {
        draw_fill(y, left, w, 0, 0);
        draw_text(y, left, 1, vbar, 0, PAIR_HEADER);
        draw_text(y, left + w - 1, 1, vbar, 0, PAIR_HEADER);
    }
    for (int x = left + 1; x < left + w - 1; x++) {
        draw_text(top, x, 1, hbar, 0, PAIR_HEADER);
        draw_text(top + h - 1, x, 1, hbar, 0, PAIR_HEADER);
    }
    draw_text(top, left, 1, t->ascii ? "+" : "\xe2\x94\x8c", 0, PAIR_HEADER);
    draw_text(top, left + w - 1, 1, t->ascii ? "+" : "\xe2\x94\x90", 0, PAIR_HEADER);
    draw_text(top + h - 1, left, 1, t->ascii ? "+" : "\xe2\x94\x94", 0, PAIR_HEADER);
    draw_text(top + h - 1, left + w - 1, 1, t->ascii ? "+" : "\xe2\x94\x98", 0, PAIR_HEADER);
    char title[200];
    snprintf(title, sizeof title, " %s ", f->title);
    draw_text(top, left + 2, w - 4, title, A_BOLD, PAIR_HEADER);
}

/* Field fl at row y (its second row, for its error or hint, below; none
 * past bottom), its input after its label in fw cells. */
static void draw_field(const form_field *fl, const tui_term *t, bool focus, int y, int left,
                       int fw, int rows, int bottom)
{
    char label[64];
    snprintf(label, sizeof label, "%s%s%s", focus ? (t->ascii ? ">" : "\xe2\x96\xb6") : " ",
             fl->label, fl->required ? "*" : "");
    draw_text(y, left + 2, LABEL_W, label, focus ? A_BOLD : 0, 0);
    int fx = left + 2 + LABEL_W;
    draw_lines err = {0};
    int nerr = error_lines(fl, fw, &err);
    int below = y + rows - nerr; /* the rows for its error or hint */
    if (fl->kind == FIELD_TEXT) {
        /* Show the end of a long text, where the cursor usually is:
         * the characters that fit, counted from the end (a note of
         * 65536 characters costs what the window shows). */
        form_field tail = *fl;
        int cells = 0;
        tail.len = 0;
        while (tail.len < fl->len) {
            char mb[8];
            size_t m = utf8_encode(fl->text[fl->len - 1 - tail.len], mb);
            mb[m] = '\0';
            int cw = text_width(mb);
            if (cells + cw > fw - 1)
                break;
            cells += cw;
            tail.len++;
        }
        tail.text = fl->text + (fl->len - tail.len);
        char *shown = malloc(LB_BUF((size_t)tail.len) + 1);
        if (shown)
            form_value(&tail, shown, LB_BUF((size_t)tail.len) + 1);
        draw_fill(y, fx, fw, A_UNDERLINE, 0);
        int n = draw_text(y, fx, fw, shown ? shown : "", A_UNDERLINE, 0);
        free(shown);
        if (focus && n < fw)
            draw_text(y, fx + n, 1, "_", A_REVERSE, 0);
    } else if (choice_compact(fl, fw)) {
        char value[FORM_CHOICE_BUF + 64];
        snprintf(value, sizeof value, "%s %s %s  (%d of %d)", t->ascii ? "<" : "\xe2\x97\x80",
                 form_choice(fl), t->ascii ? ">" : "\xe2\x96\xb6", fl->choice + 1, fl->nchoices);
        draw_text(y, fx, fw, value, focus ? A_REVERSE : 0, 0);
    } else {
        /* Every option, wrapped (never one cut): "[x]" before each picked
         * one of a multi-choice field, "(*)" before the one chosen of a
         * single choice; the cursor's option reversed when focused. */
        int starts[FORM_MAX_CHOICE_LINES];
        int nl = multi_lines(fl, fw, starts, FORM_MAX_CHOICE_LINES);
        for (int line = 0; line < nl && y + line < bottom; line++) {
            int end = line + 1 < nl ? starts[line + 1] : fl->nchoices, x = fx;
            if (line == 0 && fl->filter && fl->len) { /* what is typed, first */
                char typed[LB_BUF(LB_SHORT_MAX) + 4];
                form_value(fl, typed, sizeof typed - 3);
                strcat(typed, ": ");
                x += draw_text(y, x, fw, typed, A_UNDERLINE, 0);
            }
            for (int k = starts[line]; k < end; k++) {
                char item[FORM_CHOICE_BUF + 8];
                if (!form_option_shown(fl, k))
                    continue;
                if (fl->kind == FIELD_MULTI)
                    snprintf(item, sizeof item, "[%s]%s", fl->picked[k] ? "x" : " ",
                             fl->choices[k]);
                else
                    snprintf(item, sizeof item, "(%s)%s",
                             k != fl->choice ? " " : t->ascii ? "*" : "\xe2\x97\x8f",
                             fl->choices[k]);
                int attrs = focus && k == fl->choice ? A_REVERSE
                            : fl->kind == FIELD_CHOICE && k == fl->choice ? A_BOLD
                                                                           : 0;
                x += draw_text(y + line, x, fx + fw - x, item, attrs, 0) + 1;
            }
        }
    }
    if (below >= bottom) {
        free(err.v);
        return;
    }
    if (fl->error[0]) {
        for (int k = 0; k < err.n && below + k < bottom; k++)
            draw_text(below + k, fx, fw, err.v[k].text, err.v[k].attrs, err.v[k].pair);
    } else if (focus && fl->kind != FIELD_TEXT) {
        static const tui_hint multi[] = {{REQ_FORM_LEFT, REQ_FORM_RIGHT, "choose"},
                                         {REQ_FORM_TOGGLE, 0, "toggles"}};
        static const tui_hint one[] = {
            {REQ_FORM_LEFT, REQ_FORM_RIGHT, "or a first letter choose"}};
        char fhint[160];
        if (fl->kind == FIELD_MULTI)
        {
            hint_line(fhint, sizeof fhint, multi, 2, IN_FORM, " ", ", ");
            if (fl->filter) {
                size_t u = strlen(fhint);
                snprintf(fhint + u, sizeof fhint - u, ", type to filter");
            }
        } else
            hint_line(fhint, sizeof fhint, one, 1, IN_FORM, " ", "");
        draw_text(below, fx, fw, fhint, 0, PAIR_DIM);
    }
    free(err.v);
}

/* Draws the form as a box beside the lead it acts on (form_place).  Fields
 * take two rows (a multi-choice field one more per line of options); in a
 * small window they scroll so the focused one is always whole on screen. */
void form_draw(const tui_form *f, const tui_term *t, const tui_rect *avoid)
{
    int W = draw_width(), H = draw_height();
    form_box box = form_place(f, W, H, avoid);
    int w = box.w;
    int fw = w - LABEL_W - 4;
    int rows[FORM_MAX_FIELDS], total = 0;
    for (int i = 0; i < f->n; i++)
        total += rows[i] = field_rows(&f->fields[i], fw);
    /* the message or the keys' hint, wrapped, three lines at most */
    draw_lines msg = {0};
    char hint[200];
    if (f->message[0]) {
        lines_wrap(&msg, A_BOLD, PAIR_ALERT, "", "", f->message, w - 4, 3);
    } else {
        static const tui_hint keys[] = {{REQ_FORM_NEXT, 0, "next field"},
                                        {REQ_FORM_ENTER, 0, "next/save"},
                                        {REQ_FORM_SAVE, 0, "save"},
                                        {REQ_FORM_CANCEL, 0, "cancel"}};
        hint_line(hint, sizeof hint, keys, 4, IN_FORM, ": ", "  ");
        /* two lines when the window has room for every field, else one */
        lines_wrap(&msg, 0, PAIR_DIM, "", "", hint, w - 4, total + 6 <= H - 2 ? 2 : 1);
    }
    int mrows = msg.n ? msg.n : 1;
    int h = total + 4 + mrows;
    if (h > box.h)
        h = box.h;
    int top = box.top, left = box.left;
    draw_box(f, t, top, left, h, w);

    /* the fields that fit, the focused one among them */
    int avail = h - 3 - mrows;
    int first = 0;
    for (;;) {
        int used = 0;
        for (int i = first; i <= f->focus; i++)
            used += rows[i];
        if (used <= avail || first == f->focus)
            break;
        first++;
    }
    int last = first, used = 0; /* one past the last shown */
    while (last < f->n && (used + rows[last] <= avail || last == first))
        used += rows[last++];
    if (first > 0) {
        char more[32];
        snprintf(more, sizeof more, " %s %d more ", t->ascii ? "^" : "\xe2\x86\x91", first);
        int mw = text_width(more);
        draw_text(top, left + w - 2 - mw, mw, more, 0, PAIR_DIM);
    }
    if (last < f->n) {
        char more[32];
        snprintf(more, sizeof more, " %s %d more ", t->ascii ? "v" : "\xe2\x86\x93", f->n - last);
        int mw = text_width(more);
        draw_text(top + h - 1, left + w - 2 - mw, mw, more, 0, PAIR_DIM);
    }
    int y = top + 1, bottom = top + 1 + avail;
    for (int i = first; i < last; y += rows[i], i++) {
        draw_field(&f->fields[i], t, i == f->focus, y, left, fw, rows[i], bottom);
    }
    /* the next field's first lines where they fit (a long list of assets
     * under the others: what it offers is seen before Tab reaches it) */
    if (last < f->n && avail - used >= 2)
        draw_field(&f->fields[last], t, false, y, left, fw, rows[last], bottom);
    for (int k = 0; k < msg.n; k++)
        draw_text(top + h - 1 - mrows + k, left + 2, w - 4, msg.v[k].text, msg.v[k].attrs,
                  msg.v[k].pair);
    free(msg.v);
}

static void field_free(form_field *fl)
{
    free(fl->choices);
    free(fl->picked);
    free(fl->text);
    fl->choices = NULL;
    fl->picked = NULL;
    fl->text = NULL;
}

void form_drop_last(tui_form *f)
{
    if (f->n > 0)
        field_free(&f->fields[--f->n]);
}

void form_free(tui_form *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->n; i++)
        field_free(&f->fields[i]);
    free(f);
}
