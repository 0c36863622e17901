/* The terminal: the only file that starts curses.  It gives the terminal
 * back on every way out (quitting, a signal that asks to stop, a crash),
 * reads keys, notices when the terminal has gone away, and reads the screen
 * back for replay tests. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "config_file.h"
#include "tui.h"

static SCREEN *screen;
static FILE *null_out, *null_in;
static volatile sig_atomic_t stop_requested;
static bool gone;
static bool bytes_in; /* the locale is not UTF-8: keys read as bytes (byte_key) */
/* The shell's terminal modes and what leaves curses' screen, kept ready so
 * a crash can give the terminal back with async-signal-safe calls only. */
static struct termios shell_modes;
static bool have_shell_modes;
static char leave_seq[128];
static size_t leave_len;

static volatile sig_atomic_t interrupted;

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* Ctrl-C: the loop decides (a form cancels, the board quits). */
static void on_interrupt(int sig)
{
    (void)sig;
    interrupted = 1;
}

bool term_take_interrupt(void)
{
    if (!interrupted)
        return false;
    interrupted = 0;
    return true;
}

/* A crash gives the terminal back (modes, cursor, screen) before the
 * default action: endwin() is not safe in a signal handler, these are. */
static void on_crash(int sig)
{
    if (have_shell_modes)
        tcsetattr(STDIN_FILENO, TCSANOW, &shell_modes);
    if (leave_len && write(STDOUT_FILENO, leave_seq, leave_len) < 0)
        leave_len = 0;
    signal(sig, SIG_DFL);
    raise(sig);
}

bool term_stop_requested(void)
{
    return stop_requested != 0 || gone;
}

bool term_gone(void)
{
    return gone;
}

/* The strings that put the cursor back and leave the alternate screen. */
static void keep_leave_sequence(void)
{
    const char *caps[] = {"sgr0", "cnorm", "rmcup"};
    leave_len = 0;
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        const char *s = tigetstr((char *)caps[i]);
        if (!s || s == (char *)-1)
            continue;
        size_t k = strlen(s);
        if (leave_len + k >= sizeof leave_seq)
            break;
        memcpy(leave_seq + leave_len, s, k);
        leave_len += k;
    }
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    /* Ctrl-\ (SIGQUIT) stops the board like Ctrl-C: the terminal and the
     * database are closed properly, no core file. */
    static const int stops[] = {SIGTERM, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++)
        sigaction(stops[i], &sa, NULL);
    sa.sa_handler = on_interrupt;
    sigaction(SIGINT, &sa, NULL);
    static const int crashes[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL, SIGTRAP, SIGSYS};
    sa.sa_handler = on_crash;
    sa.sa_flags = SA_RESETHAND;
    for (size_t i = 0; i < sizeof crashes / sizeof crashes[0]; i++)
        sigaction(crashes[i], &sa, NULL);
}

static void setup_colors(tui_term *t)
{
    t->color = has_colors() && !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
    draw_set_color(t->color);
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

void term_config(const tui_term *t, const struct cfg *c)
{
    static const struct {
        unsigned cfg;
        int curses;
    } attrs[] = {{CFG_BOLD, A_BOLD},           {CFG_DIM_ATTR, A_DIM}, {CFG_UNDERLINE, A_UNDERLINE},
                 {CFG_REVERSE, A_REVERSE},     {CFG_BLINK, A_BLINK},  {CFG_STANDOUT, A_STANDOUT}};
    for (int e = 0; e < CFG_ELEMENT_COUNT; e++) {
        const cfg_color *k = &c->colors[e];
        if (!k->set)
            continue;
        int a = 0;
        for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
            if (k->attrs & attrs[i].cfg)
                a |= attrs[i].curses;
        draw_set_pair_attrs(e + 1, a); /* NO_COLOR keeps the attributes */
        /* a colour the terminal does not have is left at its default */
        if (t->color && k->fg < COLORS && k->bg < COLORS)
            init_pair((short)(e + 1), (short)k->fg, (short)k->bg);
    }
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
    draw_set_ascii(t->ascii);
    /* only ASCII is the locale curses cannot read UTF-8 in; another
     * codeset (ISO-8859-15, KOI8-R) is decoded by curses in it */
    bytes_in = !cs || !strcmp(cs, "ANSI_X3.4-1968") || !strcmp(cs, "US-ASCII") ||
               !strcmp(cs, "ASCII") || !strcmp(cs, "646");

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
        have_shell_modes = tcgetattr(STDIN_FILENO, &shell_modes) == 0;
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
    if (!replay)
        keep_leave_sequence();
    catch_signals();
    atexit(term_end);
    return true;
}

void term_end(void)
{
    if (!screen)
        return;
    if (!gone) /* a terminal that has gone gets nothing more */
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

static double clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* curses says "no key" both when the time ran out and when the terminal is
 * gone (end of file, EIO, a hang-up without SIGHUP).  It is gone when the
 * terminal reports a hang-up or an error, or when it had something to read
 * before the time ran out and that something is the end of the input. */
static bool terminal_gone(bool early)
{
    struct pollfd p = {STDIN_FILENO, POLLIN, 0};
    if (poll(&p, 1, 0) < 0)
        return errno != EINTR;
    if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
        return true;
    if (!early || !(p.revents & POLLIN))
        return false;
    int flags = fcntl(STDIN_FILENO, F_GETFL);
    if (flags < 0 || fcntl(STDIN_FILENO, F_SETFL, flags | O_NONBLOCK) < 0)
        return false;
    unsigned char c;
    ssize_t k = read(STDIN_FILENO, &c, 1);
    int e = errno;
    fcntl(STDIN_FILENO, F_SETFL, flags);
    if (k == 1) { /* a key after all: give it back to curses */
        ungetch(c);
        return false;
    }
    return k == 0 || (e != EAGAIN && e != EWOULDBLOCK && e != EINTR);
}

static tui_mouse injected;
static bool has_injected;

void term_mouse_enable(bool on)
{
    if (on)
        mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED,
                  NULL);
    else
        mousemask(0, NULL);
}

void term_mouse_inject(const tui_mouse *m)
{
    injected = *m;
    has_injected = true;
}

bool term_mouse(tui_mouse *m)
{
    if (has_injected) {
        has_injected = false;
        *m = injected;
        return true;
    }
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return false;
    m->y = ev.y;
    m->x = ev.x;
    if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
        m->kind = MOUSE_DOUBLE;
    else if (ev.bstate & BUTTON1_CLICKED)
        m->kind = MOUSE_CLICK;
    else if (ev.bstate & BUTTON4_PRESSED)
        m->kind = MOUSE_WHEEL_UP;
#ifdef BUTTON5_PRESSED
    else if (ev.bstate & BUTTON5_PRESSED)
        m->kind = MOUSE_WHEEL_DOWN;
#endif
    else
        return false;
    return true;
}

/* Under a locale that is not UTF-8 (LC_ALL=C), curses cannot read the
 * UTF-8 a terminal sends for "é": it keeps waiting for a character the
 * locale does not have, and the keys typed after it are lost.  There the
 * bytes are read one by one and decoded here: a UTF-8 sequence is its
 * character (the board keeps text as Unicode, whatever it can show), and
 * a byte that starts none is taken as the Latin-1 character it would be. */
static int byte_key(int first)
{
    unsigned char b[4] = {(unsigned char)first};
    size_t need = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1, n = 1;
    wtimeout(stdscr, 50); /* the rest of a sequence comes at once */
    while (n < need) {
        int c = wgetch(stdscr);
        if (c == ERR)
            break;
        if (c < 0x80 || c > 0xBF) {
            ungetch(c);
            break;
        }
        b[n++] = (unsigned char)c;
    }
    uint32_t cp;
    if (n == need && utf8_decode(b, n, &cp) == n)
        return (int)cp;
    for (size_t k = n; k > 1; k--)
        ungetch(b[k - 1]); /* not UTF-8 after all: each byte on its own */
    return first;
}

int term_key(int timeout_ms)
{
    wint_t wc;
    if (gone)
        return TK_HANGUP;
    wtimeout(stdscr, timeout_ms);
    double t0 = clock_ms();
    int rc;
    if (bytes_in) {
        int c = wgetch(stdscr);
        rc = c == ERR ? ERR : c >= KEY_MIN ? KEY_CODE_YES : OK;
        wc = c == ERR ? 0 : c >= 0x80 && c <= 0xFF ? (wint_t)byte_key(c) : (wint_t)c;
    } else {
        rc = wget_wch(stdscr, &wc);
    }
    if (rc == ERR) {
        bool early = clock_ms() - t0 < timeout_ms / 2.0 && !stop_requested;
        if (null_in == NULL && terminal_gone(early)) {
            gone = true;
            return TK_HANGUP;
        }
        return TK_NONE;
    }
    if (rc == KEY_CODE_YES) {
        if (wc == KEY_RESIZE)
            return TK_RESIZE;
        if (wc == KEY_MOUSE)
            return TK_MOUSE;
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
        for (int x = 0; x < COLS; x++) {
            cchar_t cc;
            wchar_t wch[CCHARW_MAX + 1];
            attr_t attrs;
            short pair;
            if (mvwin_wch(curscr, y, x, &cc) == ERR ||
                getcchar(&cc, wch, &attrs, &pair, NULL) == ERR || wch[0] == L'\0')
                wch[0] = L' ', wch[1] = L'\0';
            for (int k = 0; wch[k] && used + MB_LEN_MAX < sizeof line; k++) {
                size_t m = utf8_encode((uint32_t)wch[k], line + used);
                if (m == 0)
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
