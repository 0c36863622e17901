#!/usr/bin/env bash
# The board in a real terminal (tmux): keys that arrive as escape
# sequences, a write from another process while it is open, resizing,
# colours and NO_COLOR, quitting, and refusing to start without a terminal.
set -u
LEADBOARD=${LEADBOARD:-/work/main/_build/leadboard}
if ! command -v tmux >/dev/null; then
  echo "tmux is not installed (./quickstart installs it)"; exit 1
fi
work=$(mktemp -d)
sock="leadboard-test-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$work"' EXIT
export LEADBOARD_NOW=2026-11-20T09:00:00Z XDG_CONFIG_HOME=$work/config
unset LEADBOARD_DB LEADBOARD_USER NO_COLOR
db=$work/board.db
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*"; }
lb() { "$LEADBOARD" --db "$db" "$@"; }

lb --as max user add max --team manager >/dev/null
lb --as max user add ana --team marketing >/dev/null
lb --as max user add bob --team sales >/dev/null
lb --as ana lead add --name 'Ana Avila' --company Acme >/dev/null
lb --as ana lead add --name 'Bo Chen' --company Globex >/dev/null
lb --as ana handoff 2 --to bob >/dev/null

T() { tmux -L "$sock" "$@" 2>/dev/null; }
screen() { T capture-pane -p -t lb; }
# wait_for TEXT: up to 15 s (a loaded CI machine) for the screen to show it.
wait_for() {
  for _ in $(seq 150); do
    screen | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  return 1
}
expect_screen() {
  if wait_for "$2"; then ok; else bad "$1: the screen never showed '$2'"; screen; fi
}

# new_session CMD: a fresh server and session, once the old one has gone.
new_session() {
  T kill-server
  for _ in $(seq 50); do T has-session -t lb || break; sleep 0.1; done
  for _ in 1 2 3 4 5; do
    T -f /dev/null new-session -d -s lb -x 80 -y 24 "$1" && return 0
    sleep 0.3
  done
  bad "tmux could not start a session"
}

# The board's pid goes to $work/pid; after it ends, its exit status and the
# terminal's echo and flow-control modes are shown.
start() { # start [ENV=VALUE...]
  new_session \
    "sh -c 'echo \$\$ > $work/pid; exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 LEADBOARD_NOW=$LEADBOARD_NOW $* \"$LEADBOARD\" --db \"$db\" --as bob'; echo EXITED \$?; stty -a | tr ' ;' '\n\n' | grep -x -- '-*ixon\\|-*echo' | sed 's/^/TTY /'; sleep 30"
}

start
expect_screen "first frame" "Nurture 1"
expect_screen "status line" "bob (sales)"
T send-keys -t lb Right          # an escape sequence, not a letter
expect_screen "arrow key moves the cursor" "│▶Bo Chen"

# another process writes: the open board shows it within a second or two
lb --as ana lead add --name 'Fresh Lead' --company Initech >/dev/null
expect_screen "another process's write appears" "Fresh Lead"
expect_screen "counts follow" "Nurture 2"
if screen | grep -qF "│▶Bo Chen"; then ok; else bad "the cursor stayed on its lead after the refresh"; screen; fi

# a promotion made elsewhere counts at once in the open board: its status
# line, and the check before a form opens (bob, sales, may not add leads
# until he is marketing)
T send-keys -t lb n
expect_screen "sales may not add a lead" "permission denied"
sqlite3 "$db" "UPDATE users SET team = 'marketing' WHERE login = 'bob'"
expect_screen "the promotion shows in the status line" "bob (marketing)"
T send-keys -t lb n
expect_screen "and the new-lead form opens" "New lead"
T send-keys -t lb Escape
sqlite3 "$db" "UPDATE users SET team = 'sales' WHERE login = 'bob'"
expect_screen "back to sales" "bob (sales)"

# resize storm: smaller than the minimum, then back
T resize-window -t lb -x 30 -y 8
expect_screen "too small" "Too small"
T resize-window -t lb -x 12 -y 3
T resize-window -t lb -x 100 -y 30
expect_screen "back to normal after a resize" "Handed off 1"
if screen | grep -qF "Too small"; then bad "still says too small after enlarging"; else ok; fi

# colours are on by default, off with NO_COLOR
if T capture-pane -e -p -t lb | grep -q $'\e\\[[0-9;]*3[0-7]m\|\e\\[[0-9;]*4[0-7]m'; then ok; else bad "no colours in a colour terminal"; fi

# help and quitting restore the shell
T send-keys -t lb '?'
expect_screen "help screen" "previous column"
T send-keys -t lb q
expect_screen "back from help, all columns that fit shown again" "Nurture 2"
T send-keys -t lb q
expect_screen "q quits with status 0" "EXITED 0"
expect_screen "the terminal has its flow control (ixon) back" "TTY ixon"

# Ctrl-\\ (SIGQUIT) stops the board like Ctrl-C: no core dump, and the
# shell gets its echo back
start
expect_screen "board for Ctrl-\\" "Nurture 2"
T send-keys -t lb 'C-\'
expect_screen "Ctrl-\\ ends it cleanly" "EXITED 0"
expect_screen "the terminal has its echo back after Ctrl-\\" "TTY echo"

# a crash (here SIGABRT) still gives the terminal back before dying
start
expect_screen "board for the crash" "Nurture 2"
kill -ABRT "$(cat "$work/pid")"
expect_screen "the crash kills it with its signal" "EXITED 134"
expect_screen "the terminal has its echo back after a crash" "TTY echo"

start NO_COLOR=1
expect_screen "NO_COLOR board" "Nurture 2"
if T capture-pane -e -p -t lb | grep -q $'\e\\[[0-9;]*3[0-7]m'; then bad "colour codes with NO_COLOR"; else ok; fi
T send-keys -t lb C-c
expect_screen "Ctrl-C ends it cleanly" "EXITED 0"

# a stale edit: another process changes the lead while the form is open;
# saving is refused with who changed it, the typing is kept, C-r reloads
start
expect_screen "board for the edit" "Nurture 2"
new_session \
  "env LANG=C.UTF-8 LC_ALL=C.UTF-8 LEADBOARD_NOW=$LEADBOARD_NOW '$LEADBOARD' --db '$db' --as ana; sleep 30"
expect_screen "board as ana" "ana (marketing)"
T send-keys -t lb e
expect_screen "the edit form" "Edit lead"
T send-keys -t lb Tab C-u 'Typed Corp'
expect_screen "typing in the form" "Typed Corp"
lb --as max lead edit 1 --company 'Changed Elsewhere' >/dev/null
T send-keys -t lb C-s
expect_screen "the save is refused with who changed it" "changed by max"
if screen | grep -qF "Typed Corp"; then ok; else bad "the typing was kept"; screen; fi
expect_eq_db() { local got; got=$(sqlite3 "$db" "$1"); [ "$got" = "$2" ] && ok || bad "$3: '$got' != '$2'"; }
expect_eq_db "select company from leads where id = 1" "Changed Elsewhere" "the other change stands"
T send-keys -t lb C-r
expect_screen "C-r reloads the lead" "Changed Elsewhere"
T send-keys -t lb C-s
expect_screen "then it saves" "lead 1 saved"

# the terminal goes away without a SIGHUP (the board is not in the
# terminal's session, as under su or runuser): it ends at once, status 0,
# and leaves the database to the others
if python3 - "$LEADBOARD" "$db" <<'PY'
import fcntl, os, select, struct, subprocess, sys, termios, time
m, s = os.openpty()
fcntl.ioctl(s, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
env = dict(os.environ, TERM="xterm", LC_ALL="C.UTF-8", LANG="C.UTF-8")
# a new session: the pty is not its controlling terminal, so closing it
# sends no SIGHUP
p = subprocess.Popen([sys.argv[1], "--db", sys.argv[2], "--as", "bob"], stdin=s, stdout=s,
                     stderr=s, start_new_session=True, env=env)
os.close(s)
seen, end = b"", time.time() + 15
while b"Nurture" not in seen and time.time() < end:
    if select.select([m], [], [], 0.5)[0]:
        seen += os.read(m, 65536)
os.close(m)
try:
    rc = p.wait(timeout=20)
except subprocess.TimeoutExpired:
    p.kill()
    print("the board still runs 20 s after its terminal went away")
    sys.exit(1)
if b"Nurture" not in seen or rc != 0:
    print("first frame seen: %s, exit status %d" % (b"Nurture" in seen, rc))
    sys.exit(1)
PY
then ok; else bad "the board did not end when its terminal went away"; fi
if lb --as ana lead add --name 'After Hangup' >/dev/null; then ok; else bad "a write after the hang-up"; fi

# no terminal: one clear line, exit 1
"$LEADBOARD" --db "$db" --as bob </dev/null >"$work/out" 2>"$work/err"; code=$?
if [ "$code" = 1 ] && [ "$(wc -l < "$work/err")" = 1 ] && grep -q "needs a terminal" "$work/err" &&
   [ ! -s "$work/out" ]; then ok; else bad "without a terminal: exit $code, '$(cat "$work/err")'"; fi

printf '%d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
