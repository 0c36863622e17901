/* The board's configuration file: what each statement sets, and one
 * numbered message per line that cannot be understood. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/tui/config_file.h"
#include "suites.h"

/* Stand-ins for the board's key and request names. */
static int test_key(const char *name)
{
    if (strcmp(name, "Enter") == 0)
        return 1000;
    if (strcmp(name, "C-n") == 0)
        return 14;
    return strlen(name) == 1 ? (unsigned char)name[0] : -1;
}

static int test_request(const char *name)
{
    static const char *const reqs[] = {"none", "next", "prev", "open", "search-next"};
    for (int i = 0; i < 5; i++)
        if (strcmp(reqs[i], name) == 0)
            return i;
    return -1;
}

static const cfg_names names = {test_key, test_request};
static char warned[8][200];
static int nwarned;

static void warn(void *ud, const char *line)
{
    (void)ud;
    if (nwarned < 8)
        snprintf(warned[nwarned], sizeof warned[0], "%s", line);
    nwarned++;
}

static void parse(cfg *c, const char *text)
{
    nwarned = 0;
    cfg_init(c);
    cfg_parse(c, text, &names, warn, NULL);
}

START_TEST(test_config_bind)
{
    cfg c;
    parse(&c, "# keys\n\nbind generic C-n next   # Emacs\n"
              "bind board Enter open\n\tbind feedback \"v\" none\nbind standup n search-next\n");
    ck_assert_int_eq(c.errors, 0);
    ck_assert_int_eq(c.nbinds, 4);
    ck_assert_int_eq(c.binds[0].view, CFG_GENERIC);
    ck_assert_int_eq(c.binds[0].key, 14);
    ck_assert_int_eq(c.binds[0].req, 1);
    ck_assert_int_eq(c.binds[1].view, CFG_BOARD);
    ck_assert_int_eq(c.binds[1].key, 1000);
    ck_assert_int_eq(c.binds[1].req, 3);
    ck_assert_int_eq(c.binds[2].view, CFG_FEEDBACK);
    ck_assert_int_eq(c.binds[2].key, 'v');
    ck_assert_int_eq(c.binds[2].req, 0);
    ck_assert_int_eq(c.binds[3].view, CFG_STANDUP);
    cfg_free(&c);
}
END_TEST

START_TEST(test_config_color_set)
{
    cfg c;
    parse(&c, "color selected black yellow bold\ncolor alert color196 default bold underline\n"
              "set mouse = no\n");
    ck_assert_int_eq(c.errors, 0);
    ck_assert(c.colors[CFG_SELECTED].set);
    ck_assert_int_eq(c.colors[CFG_SELECTED].fg, 0);
    ck_assert_int_eq(c.colors[CFG_SELECTED].bg, 3);
    ck_assert_uint_eq(c.colors[CFG_SELECTED].attrs, CFG_BOLD);
    ck_assert_int_eq(c.colors[CFG_ALERT].fg, 196);
    ck_assert_int_eq(c.colors[CFG_ALERT].bg, CFG_COLOR_DEFAULT);
    ck_assert_uint_eq(c.colors[CFG_ALERT].attrs, CFG_BOLD | CFG_UNDERLINE);
    ck_assert(!c.colors[CFG_TITLE].set);
    ck_assert(!c.mouse);
    parse(&c, "set mouse=yes\n");
    ck_assert_int_eq(c.errors, 0);
    ck_assert(c.mouse);
    cfg_init(&c);
    ck_assert(c.mouse); /* on without a file */
}
END_TEST

/* Each bad line: its number and what is wrong, the good lines still apply. */
static const struct {
    const char *line, *message;
} bad_lines[] = {
    {"bind generic j acept", "config:2: unknown request 'acept'; see man 5 leadboard-config"},
    {"bind boad j next", "config:2: unknown view 'boad'; see man 5 leadboard-config"},
    {"bind board Foo next", "config:2: unknown key 'Foo'; see man 5 leadboard-config"},
    {"bind board j", "config:2: bind takes a view, a key and a request (bind board j next); "
                     "see man 5 leadboard-config"},
    {"color alert pink default", "config:2: unknown colour 'pink'; see man 5 leadboard-config"},
    {"color alert color256 default",
     "config:2: unknown colour 'color256'; see man 5 leadboard-config"},
    {"color border red default", "config:2: unknown element 'border'; see man 5 leadboard-config"},
    {"color alert red default shiny",
     "config:2: unknown attribute 'shiny'; see man 5 leadboard-config"},
    {"set mouse = maybe", "config:2: mouse is yes or no, not 'maybe'; see man 5 leadboard-config"},
    {"set colour = no", "config:2: unknown setting 'colour'; see man 5 leadboard-config"},
    {"set mouse no", "config:2: set takes a name, '=' and a value (set mouse = no); "
                     "see man 5 leadboard-config"},
    {"bnid generic j next",
     "config:2: unknown statement 'bnid' (bind, color or set); see man 5 leadboard-config"},
    {"bind generic \"j next", "config:2: a quote is not closed; see man 5 leadboard-config"},
    {"bind generic j \x1b[2Jnext",
     "config:2: unknown request '?[2Jnext'; see man 5 leadboard-config"},
};

START_TEST(test_config_bad_line)
{
    cfg c;
    char text[256];
    snprintf(text, sizeof text, "bind generic C-n next\n%s\nbind board Enter open\n",
             bad_lines[_i].line);
    parse(&c, text);
    ck_assert_int_eq(c.errors, 1);
    ck_assert_int_eq(nwarned, 1);
    ck_assert_str_eq(warned[0], bad_lines[_i].message);
    ck_assert_str_eq(c.first_error, bad_lines[_i].message);
    ck_assert_int_eq(c.nbinds, 2);
    ck_assert(c.mouse);
    cfg_free(&c);
}
END_TEST

START_TEST(test_config_path)
{
    char buf[256];
    setenv("XDG_CONFIG_HOME", "/x/conf", 1);
    ck_assert(cfg_path(buf, sizeof buf));
    ck_assert_str_eq(buf, "/x/conf/leadboard/config");
    unsetenv("XDG_CONFIG_HOME");
    setenv("HOME", "/home/ana", 1);
    ck_assert(cfg_path(buf, sizeof buf));
    ck_assert_str_eq(buf, "/home/ana/.config/leadboard/config");
    /* a missing file: the defaults, no message */
    cfg c;
    cfg_init(&c);
    nwarned = 0;
    cfg_load(&c, "/nonexistent/leadboard/config", &names, warn, NULL);
    ck_assert_int_eq(c.errors, 0);
    ck_assert_int_eq(nwarned, 0);
}
END_TEST

Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, test_config_bind);
    tcase_add_test(tc, test_config_color_set);
    tcase_add_loop_test(tc, test_config_bad_line, 0, sizeof bad_lines / sizeof bad_lines[0]);
    tcase_add_test(tc, test_config_path);
    suite_add_tcase(s, tc);
    return s;
}
