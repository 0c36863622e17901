#include "config.h"

#include <curses.h>
#include <langinfo.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "tui.h"

static SCREEN *screen;
static FILE *null_out, *null_in;
static volatile sig_atomic_t stop_requested;
static bool color_on;

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* A crash still gives the terminal back before the default action. */
static void on_crash(int sig)
{
    if (screen)
        endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

bool term_stop_requested(void)
{
    return stop_requested != 0;
}

static void setup_colors(tui_term *t)
{
    t->color = has_colors() && !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
    color_on = t->color;
    if (!t->color)
        return;
    start_color();
    use_default_colors();
    init_pair(PAIR_TITLE, COLOR_BLACK, COLOR_CYAN);
    init_pair(PAIR_SELECTED, COLOR_BLACK, COLOR_YELLOW);
    init_pair(PAIR_ALERT, COLOR_RED, -1);
    init_pair(PAIR_STARS, COLOR_YELLOW, -1);
    init_pair(PAIR_DIM, COLOR_BLUE, -1);
    init_pair(PAIR_ERROR, COLOR_WHITE, COLOR_RED);
    init_pair(PAIR_OK, COLOR_BLACK, COLOR_GREEN);
    init_pair(PAIR_HEADER, COLOR_CYAN, -1);
}

/* Asks terminfo before curses starts: a terminal that cannot place the
 * cursor (TERM=dumb, a printer, an Emacs shell buffer) would show a blank
 * board, and a failed newterm() leaks; both get a line that says why. */
static bool term_usable(char *msg, size_t n)
{
    const char *term = getenv("TERM") ? getenv("TERM") : "";
    int err = 0;
    if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
        snprintf(msg, n, "cannot start the terminal (TERM=%s); set TERM to your terminal's type",
                 term);
        return false;
    }
    const char *cup = tigetstr("cup");
    bool usable = cup && cup != (const char *)-1;
    del_curterm(cur_term);
    if (!usable)
        snprintf(msg, n,
                 "the terminal (TERM=%s) cannot show the board: it cannot move the cursor; set "
                 "TERM to your terminal's type, or use the commands (leadboard --help)",
                 term);
    return usable;
}

bool term_start(tui_term *t, bool replay, int width, int height, char *msg, size_t n)
{
    memset(t, 0, sizeof *t);
    t->replay = replay;
    const char *cs = nl_langinfo(CODESET);
    t->ascii = !(cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0));

    if (replay) {
        /* An off-screen terminal: curses writes to nowhere and reads nothing;
         * the keys come from the script and the screen is read back from
         * curses itself. */
        char buf[16];
        snprintf(buf, sizeof buf, "%d", height);
        setenv("LINES", buf, 1);
        snprintf(buf, sizeof buf, "%d", width);
        setenv("COLUMNS", buf, 1);
        null_out = fopen("/dev/null", "w");
        null_in = fopen("/dev/null", "r");
        if (!null_out || !null_in) {
            snprintf(msg, n, "cannot open /dev/null for the off-screen terminal");
            return false;
        }
        static const char *const types[] = {"xterm-256color", "xterm", "vt100", "dumb"};
        for (size_t i = 0; i < sizeof types / sizeof types[0] && !screen; i++)
            screen = newterm(types[i], null_out, null_in);
    } else {
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
            snprintf(msg, n, "the board needs a terminal; use the commands instead "
                             "(leadboard --help)");
            return false;
        }
        if (!term_usable(msg, n))
            return false;
        screen = newterm(NULL, stdout, stdin);
    }
    if (!screen) {
        snprintf(msg, n, "cannot start the terminal (TERM=%s); set TERM to your terminal's type",
                 getenv("TERM") ? getenv("TERM") : "");
        return false;
    }
    set_term(screen);
    cbreak();
    noecho();
    if (!replay) {
        /* C-s saves a form: take it (and C-q) back from XON/XOFF flow
         * control.  endwin() gives the shell its own modes back. */
        struct termios tio;
        if (tcgetattr(STDIN_FILENO, &tio) == 0) {
            tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
            tcsetattr(STDIN_FILENO, TCSANOW, &tio);
            def_prog_mode();
        }
    }
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    leaveok(stdscr, TRUE);
    setup_colors(t);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGSEGV, on_crash);
    signal(SIGBUS, on_crash);
    signal(SIGABRT, on_crash);
    signal(SIGFPE, on_crash);
    atexit(term_end);
    return true;
}

void term_end(void)
{
    if (!screen)
        return;
    endwin();
    delscreen(screen);
    screen = NULL;
    if (null_out)
        fclose(null_out);
    if (null_in)
        fclose(null_in);
    null_out = null_in = NULL;
}

void term_flush(void)
{
    wnoutrefresh(stdscr);
    doupdate();
}

int term_key(int timeout_ms)
{
    wint_t wc;
    wtimeout(stdscr, timeout_ms);
    int rc = wget_wch(stdscr, &wc);
    if (rc == ERR)
        return TK_NONE;
    if (rc == KEY_CODE_YES) {
        if (wc == KEY_RESIZE)
            return TK_RESIZE;
        return TK_FN((int)wc);
    }
    if (wc == '\r')
        return TK_ENTER;
    if (wc == 127 || wc == 8)
        return TK_FN(KEY_BACKSPACE);
    return (int)wc;
}

void term_resize(int width, int height)
{
    resizeterm(height, width);
}

bool term_dump(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    char line[4096 * 4];
    for (int y = 0; y < LINES; y++) {
        size_t used = 0;
        mbstate_t ps;
        memset(&ps, 0, sizeof ps);
        for (int x = 0; x < COLS; x++) {
            cchar_t cc;
            wchar_t wch[CCHARW_MAX + 1];
            attr_t attrs;
            short pair;
            if (mvwin_wch(curscr, y, x, &cc) == ERR ||
                getcchar(&cc, wch, &attrs, &pair, NULL) == ERR || wch[0] == L'\0')
                wch[0] = L' ', wch[1] = L'\0';
            for (int k = 0; wch[k] && used + MB_LEN_MAX < sizeof line; k++) {
                size_t m = wcrtomb(line + used, wch[k], &ps);
                if (m == (size_t)-1)
                    line[used++] = '?';
                else
                    used += m;
            }
            if (wcwidth(wch[0]) == 2)
                x++; /* the next cell is this character's right half */
        }
        while (used > 0 && line[used - 1] == ' ')
            used--;
        fwrite(line, 1, used, f);
        fputc('\n', f);
    }
    return fclose(f) == 0;
}

/* ---- drawing ---- */

int draw_attr(int pair)
{
    return color_on && pair ? (int)COLOR_PAIR(pair) : 0;
}

int draw_text(int y, int x, int cells, const char *s, int attrs, int pair)
{
    char buf[1024];
    if (cells <= 0 || y < 0 || y >= LINES || x >= COLS)
        return 0;
    if (x + cells > COLS)
        cells = COLS - x;
    int w = text_fit(s, cells, false, buf, sizeof buf);
    attrset((attr_t)(attrs | draw_attr(pair)));
    mvaddstr(y, x, buf);
    attrset(A_NORMAL);
    return w;
}

void draw_fill(int y, int x, int cells, int attrs, int pair)
{
    if (y < 0 || y >= LINES || cells <= 0)
        return;
    if (x + cells > COLS)
        cells = COLS - x;
    attrset((attr_t)(attrs | draw_attr(pair)));
    mvhline(y, x, ' ', cells);
    attrset(A_NORMAL);
}

void draw_clear(void)
{
    erase();
}

int draw_width(void)
{
    return COLS;
}

int draw_height(void)
{
    return LINES;
}
