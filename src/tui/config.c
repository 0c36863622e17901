/* The configuration file, read into plain data (see config_file.h and
 * doc/leadboard-config.5).  A bad line is one message with its number and
 * is skipped: a typo in a key binding never keeps the board from starting. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_file.h"

static const char *const view_names[CFG_VIEW_COUNT] = {
    "generic",    "board", "feedback", "campaigns", "goals", "standup",
    "collateral", "lead",  "help",     "form",      "search"};
static const char *const element_names[CFG_ELEMENT_COUNT] = {
    "title", "selected", "alert", "stars", "dim", "error", "ok", "header"};
static const char *const color_names[] = {"black", "red",     "green", "yellow",
                                          "blue",  "magenta", "cyan",  "white"};
static const struct {
    const char *name;
    unsigned attr;
} attr_names[] = {{"normal", 0},
                  {"bold", CFG_BOLD},
                  {"dim", CFG_DIM_ATTR},
                  {"underline", CFG_UNDERLINE},
                  {"reverse", CFG_REVERSE},
                  {"blink", CFG_BLINK},
                  {"standout", CFG_STANDOUT}};

#define MAX_WORDS 8
#define WORD_MAX 64

void cfg_init(cfg *c)
{
    memset(c, 0, sizeof *c);
    c->mouse = true;
}

void cfg_free(cfg *c)
{
    free(c->binds);
    c->binds = NULL;
    c->nbinds = c->cap = 0;
}

typedef struct parse {
    cfg *c;
    int line;
    void (*warn)(void *ud, const char *line);
    void *ud;
} parse;

/* A word from the file as it may be shown: control characters (and any
 * byte that could start one) become '?'. */
static void shown(const char *w, char *buf, size_t n)
{
    size_t k = 0;
    for (; *w && k + 1 < n && k < 40; w++)
        buf[k++] = (unsigned char)*w < 0x20 || *w == 0x7f ? '?' : *w;
    buf[k] = '\0';
}

static void bad(parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(parse *p, const char *fmt, ...)
{
    char what[160], line[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(line, sizeof line, "config:%d: %s; see man 5 leadboard-config", p->line, what);
    if (p->c->errors++ == 0)
        snprintf(p->c->first_error, sizeof p->c->first_error, "%s", line);
    if (p->warn)
        p->warn(p->ud, line);
}

static int find(const char *const *names, int n, const char *w)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], w) == 0)
            return i;
    return -1;
}

/* A colour: a name, "default" or colorN (0-255); -2 when it is none. */
static int color_of(const char *w)
{
    if (strcmp(w, "default") == 0)
        return CFG_COLOR_DEFAULT;
    int i = find(color_names, 8, w);
    if (i >= 0)
        return i;
    if (strncmp(w, "color", 5) == 0 && w[5] >= '0' && w[5] <= '9') {
        char *end;
        errno = 0;
        long v = strtol(w + 5, &end, 10);
        if (*end == '\0' && errno == 0 && v >= 0 && v <= 255 && (w[5] != '0' || !w[6]))
            return (int)v;
    }
    return -2;
}

static void add_bind(cfg *c, int view, int key, int req)
{
    if (c->nbinds == c->cap) {
        int cap = c->cap ? c->cap * 2 : 16;
        cfg_bind *b = realloc(c->binds, sizeof *b * (size_t)cap);
        if (!b)
            return;
        c->binds = b;
        c->cap = cap;
    }
    c->binds[c->nbinds++] = (cfg_bind){view, key, req};
}

static void statement(parse *p, char w[][WORD_MAX + 1], int n, const cfg_names *names)
{
    char s1[48], s2[48];
    if (strcmp(w[0], "bind") == 0) {
        if (n != 4) {
            bad(p, "bind takes a view, a key and a request (bind board j next)");
            return;
        }
        int view = find(view_names, CFG_VIEW_COUNT, w[1]);
        int key = names->key(w[2]);
        int req = names->request(w[3]);
        shown(w[1], s1, sizeof s1);
        if (view < 0)
            bad(p, "unknown view '%s'", s1);
        else if (key < 0)
            shown(w[2], s2, sizeof s2), bad(p, "unknown key '%s'", s2);
        else if (req < 0)
            shown(w[3], s2, sizeof s2), bad(p, "unknown request '%s'", s2);
        else
            add_bind(p->c, view, key, req);
    } else if (strcmp(w[0], "color") == 0) {
        if (n < 4) {
            bad(p, "color takes an element, a foreground and a background colour "
                   "(color alert red default)");
            return;
        }
        int el = find(element_names, CFG_ELEMENT_COUNT, w[1]);
        int fg = color_of(w[2]), bg = color_of(w[3]);
        unsigned attrs = 0;
        if (el < 0) {
            shown(w[1], s1, sizeof s1);
            bad(p, "unknown element '%s'", s1);
            return;
        }
        for (int k = 2; k < 4; k++)
            if (color_of(w[k]) == -2) {
                shown(w[k], s1, sizeof s1);
                bad(p, "unknown colour '%s'", s1);
                return;
            }
        for (int k = 4; k < n; k++) {
            size_t a = 0;
            while (a < sizeof attr_names / sizeof attr_names[0] &&
                   strcmp(attr_names[a].name, w[k]) != 0)
                a++;
            if (a == sizeof attr_names / sizeof attr_names[0]) {
                shown(w[k], s1, sizeof s1);
                bad(p, "unknown attribute '%s'", s1);
                return;
            }
            attrs |= attr_names[a].attr;
        }
        p->c->colors[el] = (cfg_color){true, fg, bg, attrs};
    } else if (strcmp(w[0], "set") == 0) {
        if (n != 4 || strcmp(w[2], "=") != 0) {
            bad(p, "set takes a name, '=' and a value (set mouse = no)");
            return;
        }
        if (strcmp(w[1], "mouse") != 0) {
            shown(w[1], s1, sizeof s1);
            bad(p, "unknown setting '%s'", s1);
            return;
        }
        if (strcmp(w[3], "yes") == 0)
            p->c->mouse = true;
        else if (strcmp(w[3], "no") == 0)
            p->c->mouse = false;
        else {
            shown(w[3], s1, sizeof s1);
            bad(p, "mouse is yes or no, not '%s'", s1);
        }
    } else {
        shown(w[0], s1, sizeof s1);
        bad(p, "unknown statement '%s' (bind, color or set)", s1);
    }
}

/* One line (without its newline) into words: spaces and tabs separate,
 * double quotes keep spaces, '#' outside quotes ends the line, '=' is a
 * word of its own. */
static void one_line(parse *p, const char *s, size_t len, const cfg_names *names)
{
    char w[MAX_WORDS][WORD_MAX + 1];
    int n = 0;
    size_t i = 0;
    while (i < len) {
        char ch = s[i];
        if (ch == ' ' || ch == '\t' || ch == '\r') {
            i++;
            continue;
        }
        if (ch == '#')
            break;
        if (n == MAX_WORDS) {
            bad(p, "too many words");
            return;
        }
        size_t k = 0;
        bool quoted = false, long_word = false;
        if (ch == '=') {
            w[n][k++] = '=';
            i++;
        } else {
            while (i < len) {
                ch = s[i];
                if (ch == '"') {
                    quoted = !quoted;
                    i++;
                    continue;
                }
                if (!quoted && (ch == ' ' || ch == '\t' || ch == '\r' || ch == '#' || ch == '='))
                    break;
                if (k < WORD_MAX)
                    w[n][k++] = ch;
                else
                    long_word = true;
                i++;
            }
        }
        w[n][k] = '\0';
        if (quoted) {
            bad(p, "a quote is not closed");
            return;
        }
        if (long_word) {
            bad(p, "a word longer than %d bytes", WORD_MAX);
            return;
        }
        n++;
    }
    if (n > 0)
        statement(p, w, n, names);
}

void cfg_parse(cfg *c, const char *text, const cfg_names *names,
               void (*warn)(void *ud, const char *line), void *ud)
{
    parse p = {c, 0, warn, ud};
    for (const char *s = text; *s;) {
        size_t len = strcspn(s, "\n");
        p.line++;
        one_line(&p, s, len, names);
        s += len;
        if (*s == '\n')
            s++;
    }
}

bool cfg_path(char *buf, size_t n)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        snprintf(buf, n, "%s/leadboard/config", xdg);
    else if (home && *home)
        snprintf(buf, n, "%s/.config/leadboard/config", home);
    else
        return false;
    return true;
}

void cfg_load(cfg *c, const char *path, const cfg_names *names,
              void (*warn)(void *ud, const char *line), void *ud)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno != ENOENT) {
            parse p = {c, 0, warn, ud};
            bad(&p, "cannot read %s: %s", path, strerror(errno));
        }
        return;
    }
    size_t cap = 4096, len = 0, k;
    char *text = malloc(cap);
    while (text && (k = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += k;
        if (len + 1 == cap) {
            if (cap >= (1u << 20)) /* a megabyte of key bindings is not a config file */
                break;
            char *t = realloc(text, cap *= 2);
            if (!t) {
                free(text);
                text = NULL;
            }
            text = t;
        }
    }
    fclose(f);
    if (!text)
        return;
    text[len] = '\0';
    cfg_parse(c, text, names, warn, ud);
    free(text);
}
