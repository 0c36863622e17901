/* The board's configuration file (doc/leadboard-config.5): `bind`, `color`
 * and `set` lines read into plain data.  No curses here: the keys and the
 * requests are named through the caller's functions, so the parser is
 * tested on its own (tests/check_config.c) and the board applies what it
 * returns. */
#ifndef LEADBOARD_TUI_CONFIG_FILE_H
#define LEADBOARD_TUI_CONFIG_FILE_H

#include <stdbool.h>
#include <stddef.h>

/* The views a binding is for, by their names in the file. */
enum {
    CFG_GENERIC,
    CFG_BOARD,
    CFG_FEEDBACK,
    CFG_CAMPAIGNS,
    CFG_GOALS,
    CFG_STANDUP,
    CFG_COLLATERAL,
    CFG_LEAD,
    CFG_HELP,
    CFG_FORM,
    CFG_SEARCH,
    CFG_VIEW_COUNT
};
/* The elements that take colours, in the order of the board's colour pairs. */
enum {
    CFG_TITLE,
    CFG_SELECTED,
    CFG_ALERT,
    CFG_STARS,
    CFG_DIM,
    CFG_ERROR,
    CFG_OK,
    CFG_HEADER,
    CFG_ELEMENT_COUNT
};
/* Attributes, to be turned into curses' by the board. */
enum {
    CFG_BOLD = 1,
    CFG_DIM_ATTR = 2,
    CFG_UNDERLINE = 4,
    CFG_REVERSE = 8,
    CFG_BLINK = 16,
    CFG_STANDOUT = 32
};
#define CFG_COLOR_DEFAULT (-1)

typedef struct cfg_bind {
    int view; /* CFG_GENERIC ... */
    int key;  /* as the caller's key function gave it */
    int req;  /* as the caller's request function gave it (0: none) */
} cfg_bind;

typedef struct cfg_color {
    bool set;
    int fg, bg; /* CFG_COLOR_DEFAULT, or 0-255 */
    unsigned attrs;
} cfg_color;

typedef struct cfg {
    cfg_bind *binds; /* in the file's order: a later one wins */
    int nbinds, cap;
    cfg_color colors[CFG_ELEMENT_COUNT];
    bool mouse;
    int errors;            /* lines that could not be understood */
    char first_error[200]; /* "config:12: unknown request 'acept'; ..." */
} cfg;

typedef struct cfg_names {
    int (*key)(const char *name);     /* < 0: not a key */
    int (*request)(const char *name); /* < 0: not a request; "none" is one */
} cfg_names;

/* Defaults: no bindings, no colours, the mouse on. */
void cfg_init(cfg *c);
/* Reads text, a whole file's; every bad line is counted and told to `warn`
 * (may be NULL) as one line, "config:LINE: what; see man 5 leadboard-config",
 * and skipped. */
void cfg_parse(cfg *c, const char *text, const cfg_names *names,
               void (*warn)(void *ud, const char *line), void *ud);
/* $XDG_CONFIG_HOME/leadboard/config, else ~/.config/leadboard/config, into
 * buf; false when neither variable says where. */
bool cfg_path(char *buf, size_t n);
/* Reads the file at path (a missing file is no error: the defaults). */
void cfg_load(cfg *c, const char *path, const cfg_names *names,
              void (*warn)(void *ud, const char *line), void *ud);
void cfg_free(cfg *c);

#endif
