/* In-screen forms: text fields validated as you type, choice fields cycled
 * with the arrows or picked by their first letter, multi-choice fields
 * toggled with Space.  Esc cancels and nothing is written. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "tui.h"

static form_field *add_field(tui_form *f, const char *label, field_kind kind)
{
    if (f->n >= FORM_MAX_FIELDS)
        return NULL;
    form_field *fl = &f->fields[f->n++];
    memset(fl, 0, sizeof *fl);
    fl->label = label;
    fl->kind = kind;
    return fl;
}

static void check_field(form_field *fl)
{
    char buf[LB_BUF(FIELD_MAX_CHARS)];
    lb_err err;
    fl->error[0] = '\0';
    if (fl->kind != FIELD_TEXT)
        return;
    form_value(fl, buf, sizeof buf);
    if (fl->required && buf[strspn(buf, " ")] == '\0') {
        snprintf(fl->error, sizeof fl->error, "required");
        return;
    }
    if (text_check(fl->label, buf, fl->max_chars, fl->max_chars > LB_SHORT_MAX * 2, &err) !=
        LB_OK) {
        snprintf(fl->error, sizeof fl->error, "%.150s", err.msg);
        return;
    }
    if (buf[0] && fl->check && fl->check(buf, &err) != LB_OK)
        snprintf(fl->error, sizeof fl->error, "%.150s", err.msg);
}

void form_set_text(form_field *fl, const char *utf8)
{
    mbstate_t ps;
    memset(&ps, 0, sizeof ps);
    const char *p = utf8;
    size_t k = mbsrtowcs(fl->text, &p, FIELD_MAX_CHARS, &ps);
    if (k == (size_t)-1)
        k = 0;
    fl->text[k] = L'\0';
    fl->len = fl->cursor = (int)k;
    check_field(fl);
}

form_field *form_add_text(tui_form *f, const char *label, const char *value, bool required,
                          size_t max_chars, field_check check)
{
    form_field *fl = add_field(f, label, FIELD_TEXT);
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
    return add_field(f, label, kind);
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
    mbstate_t ps;
    memset(&ps, 0, sizeof ps);
    const wchar_t *p = fl->text;
    size_t k = wcsrtombs(buf, &p, n - 1, &ps);
    if (k == (size_t)-1)
        k = 0;
    buf[k] = '\0';
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

static void text_key(form_field *fl, int key)
{
    switch (key) {
    case TK_FN(KEY_LEFT):
        if (fl->cursor > 0)
            fl->cursor--;
        break;
    case TK_FN(KEY_RIGHT):
        if (fl->cursor < fl->len)
            fl->cursor++;
        break;
    case TK_FN(KEY_HOME):
    case TK_CTRL('a'):
        fl->cursor = 0;
        break;
    case TK_FN(KEY_END):
    case TK_CTRL('e'):
        fl->cursor = fl->len;
        break;
    case TK_CTRL('u'):
        fl->len = fl->cursor = 0;
        fl->text[0] = L'\0';
        break;
    case TK_FN(KEY_BACKSPACE):
        if (fl->cursor > 0) {
            memmove(&fl->text[fl->cursor - 1], &fl->text[fl->cursor],
                    sizeof(wchar_t) * (size_t)(fl->len - fl->cursor + 1));
            fl->cursor--;
            fl->len--;
        }
        break;
    case TK_FN(KEY_DC):
        if (fl->cursor < fl->len) {
            memmove(&fl->text[fl->cursor], &fl->text[fl->cursor + 1],
                    sizeof(wchar_t) * (size_t)(fl->len - fl->cursor));
            fl->len--;
        }
        break;
    default:
        if (TK_IS_FN(key) || key < 32 || key == 127 || !iswprint((wint_t)key))
            return;
        if (fl->len >= (int)FIELD_MAX_CHARS)
            return;
        memmove(&fl->text[fl->cursor + 1], &fl->text[fl->cursor],
                sizeof(wchar_t) * (size_t)(fl->len - fl->cursor + 1));
        fl->text[fl->cursor++] = (wchar_t)key;
        fl->len++;
    }
    check_field(fl);
}

static void choice_key(form_field *fl, int key)
{
    if (fl->nchoices == 0)
        return;
    if (key == TK_FN(KEY_RIGHT) || (key == ' ' && fl->kind == FIELD_CHOICE))
        fl->choice = (fl->choice + 1) % fl->nchoices;
    else if (key == TK_FN(KEY_LEFT))
        fl->choice = (fl->choice + fl->nchoices - 1) % fl->nchoices;
    else if (key == ' ' && fl->kind == FIELD_MULTI)
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

int form_key(tui_form *f, int key)
{
    form_field *fl = &f->fields[f->focus];
    switch (key) {
    case TK_ESC:
        return -1;
    case TK_TAB:
    case TK_FN(KEY_DOWN):
        f->focus = (f->focus + 1) % f->n;
        return 0;
    case TK_FN(KEY_BTAB):
    case TK_FN(KEY_UP):
        f->focus = (f->focus + f->n - 1) % f->n;
        return 0;
    case TK_ENTER:
    case TK_FN(KEY_ENTER):
        if (f->focus < f->n - 1) {
            f->focus++;
            return 0;
        }
        return 1;
    case TK_CTRL('s'):
        return 1;
    default:
        break;
    }
    if (fl->kind == FIELD_TEXT)
        text_key(fl, key);
    else
        choice_key(fl, key);
    return 0;
}

/* Draws the form as a box in the middle of the screen. */
void form_draw(const tui_form *f, const tui_term *t)
{
    int W = draw_width(), H = draw_height();
    int w = W - 4 < 72 ? W - 4 : 72;
    int h = f->n * 2 + 5;
    if (h > H - 2)
        h = H - 2;
    int top = (H - h) / 2, left = (W - w) / 2;
    int label_w = 12;
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

    int y = top + 1;
    for (int i = 0; i < f->n && y < top + h - 3; i++, y += 2) {
        const form_field *fl = &f->fields[i];
        bool focus = i == f->focus;
        char label[64];
        snprintf(label, sizeof label, "%s%s%s", focus ? (t->ascii ? ">" : "\xe2\x96\xb6") : " ",
                 fl->label, fl->required ? "*" : "");
        draw_text(y, left + 2, label_w, label, focus ? A_BOLD : 0, 0);
        int fx = left + 2 + label_w, fw = w - label_w - 4;
        char value[LB_BUF(FIELD_MAX_CHARS) + 64];
        if (fl->kind == FIELD_TEXT) {
            /* Show the end of a long text, where the cursor usually is. */
            form_value(fl, value, sizeof value);
            const char *shown = value;
            while (text_width(shown) > fw - 1 && *shown) {
                shown++;
                while ((*shown & 0xC0) == 0x80)
                    shown++;
            }
            draw_fill(y, fx, fw, A_UNDERLINE, 0);
            int used = draw_text(y, fx, fw, shown, A_UNDERLINE, 0);
            if (focus && used < fw)
                draw_text(y, fx + used, 1, "_", A_REVERSE, 0);
        } else if (fl->kind == FIELD_CHOICE) {
            snprintf(value, sizeof value, "%s %s %s", t->ascii ? "<" : "\xe2\x97\x80",
                     form_choice(fl), t->ascii ? ">" : "\xe2\x96\xb6");
            draw_text(y, fx, fw, value, focus ? A_REVERSE : 0, 0);
        } else {
            int x = fx;
            for (int k = 0; k < fl->nchoices && x < fx + fw; k++) {
                char item[80];
                snprintf(item, sizeof item, "[%s]%s", fl->picked[k] ? "x" : " ", fl->choices[k]);
                int attrs = focus && k == fl->choice ? A_REVERSE : 0;
                x += draw_text(y, x, fx + fw - x, item, attrs, 0) + 1;
            }
        }
        if (fl->error[0])
            draw_text(y + 1, fx, fw, fl->error, 0, PAIR_ALERT);
        else if (focus && fl->kind != FIELD_TEXT)
            draw_text(y + 1, fx, fw,
                      fl->kind == FIELD_MULTI ? "Left/Right choose, Space toggles"
                                              : "Left/Right or a first letter choose",
                      0, PAIR_DIM);
    }
    if (f->message[0])
        draw_text(top + h - 2, left + 2, w - 4, f->message, A_BOLD, PAIR_ALERT);
    else
        draw_text(top + h - 2, left + 2, w - 4,
                  "Tab: next field  Enter: next/save  C-s: save  Esc: cancel",
                  0, PAIR_DIM);
}

void form_free(tui_form *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->n; i++) {
        free(f->fields[i].choices);
        free(f->fields[i].picked);
    }
    free(f);
}
