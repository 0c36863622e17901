#!/usr/bin/env bash
# The board's input in a real terminal (tmux): Ctrl-C inside a form (a
# signal, not a key) cancels the form and keeps the board; the mouse
# (clicks, a double click, the wheel), and the config file turning it off;
# the config file's colours.
set -u
LEADBOARD=${LEADBOARD:-/work/main/_build/leadboard}
if ! command -v tmux >/dev/null; then
  echo "tmux is not installed (./quickstart installs it)"; exit 1
fi
work=$(mktemp -d)
sock="leadboard-input-$$"
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
lb --as ana lead add --name 'Cy Dunn' --company Initech >/dev/null
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
expect_db() {
  local got; got=$(sqlite3 "$db" "$1")
  if [ "$got" = "$2" ]; then ok; else bad "$3: '$got', want '$2'"; fi
}

start() { # start LOGIN [LOCALE]
  local locale=${2:-C.UTF-8}
  T kill-server
  for _ in $(seq 50); do T has-session -t lb || break; sleep 0.1; done
  for _ in 1 2 3 4 5; do
    T -f /dev/null new-session -d -s lb -x 80 -y 24 \
      "env LANG=$locale LC_ALL=$locale LEADBOARD_NOW=$LEADBOARD_NOW XDG_CONFIG_HOME=$XDG_CONFIG_HOME '$LEADBOARD' --db '$db' --as $1; echo EXITED \$?; sleep 30" &&
      return 0
    sleep 0.3
  done
  bad "tmux could not start a session"
}

# ---- Ctrl-C in a form: the form goes, the board stays ----
start bob
expect_screen "first frame" "Nurture 2"
T send-keys -t lb m
expect_screen "the comment form" "─ Comment #"
T send-keys -t lb C-c
expect_screen "Ctrl-C on an empty form cancels it" "cancelled; nothing was written"
if screen | grep -qF EXITED; then bad "Ctrl-C in a form quit the board"; else ok; fi
T send-keys -t lb m
expect_screen "the comment form again" "─ Comment #"
T send-keys -t lb 'half a thought'
expect_screen "typing" "half a thought"
T send-keys -t lb C-c
expect_screen "Ctrl-C on typed text asks" "lose what you typed"
T send-keys -t lb Space
expect_screen "another key goes back to the form" "Esc: cancel"
if screen | grep -qF "half a thought"; then ok; else bad "the typing was lost"; screen; fi
T send-keys -t lb C-c
expect_screen "asked again" "lose what you typed"
T send-keys -t lb y
expect_screen "y cancels" "cancelled; nothing was written"
expect_db "select count(*) from comments" "0" "a cancelled comment"
T send-keys -t lb C-c
expect_screen "Ctrl-C on the board still quits it" "EXITED 0"

# ---- the mouse, as the terminal sends it (X10 encoding: ESC [ M, then
# the button + 32, the column + 33, the row + 33) ----
mouse() { # mouse BUTTON COLUMN ROW (from 0)
  T send-keys -t lb -H 1b 5b 4d "$(printf '%x' $(($1 + 32)))" "$(printf '%x' $(($2 + 33)))" \
    "$(printf '%x' $(($3 + 33)))"
}
click() { mouse 0 "$1" "$2"; mouse 3 "$1" "$2"; }
start ana
expect_screen "board for the mouse" "Nurture 2"
flag=$(T display -p -t lb '#{mouse_any_flag}#{mouse_standard_flag}#{mouse_button_flag}')
case $flag in *1*) ok ;; *) bad "the board did not ask the terminal for the mouse ($flag)" ;; esac
click 30 3
expect_screen "a click selects the card under it" "│▶Bo Chen"
click 2 7
expect_screen "a click in another column" "▶Cy Dunn"
sleep 0.5 # past the double-click interval
click 2 3
expect_screen "a click back on the first card" "▶Ana Avila"
sleep 0.5
mouse 65 2 3 # the wheel, one notch down
expect_screen "the wheel moves down" "▶Cy Dunn"
mouse 64 2 3 # and up
expect_screen "the wheel moves up" "▶Ana Avila"
sleep 0.5
click 30 3; click 30 3
expect_screen "a double click opens the card" "Lead 2: Bo Chen"
T send-keys -t lb q
expect_screen "back on the board" "Nurture 2"
T send-keys -t lb q
expect_screen "quits" "EXITED 0"

# set mouse = no leaves the mouse to the terminal (for selecting text):
# the board never asks for it, so the terminal sends no mouse events
mkdir -p "$XDG_CONFIG_HOME/leadboard"
printf 'set mouse = no\n' > "$XDG_CONFIG_HOME/leadboard/config"
start ana
expect_screen "board without the mouse" "Nurture 2"
flag=$(T display -p -t lb '#{mouse_any_flag}#{mouse_standard_flag}#{mouse_button_flag}')
case $flag in *1*) bad "set mouse = no still took the mouse ($flag)" ;; *) ok ;; esac
T send-keys -t lb l
expect_screen "the keys still work" "│▶Bo Chen"
rm -r "$XDG_CONFIG_HOME/leadboard"

# the config file's colours: the title bar red instead of cyan
mkdir -p "$XDG_CONFIG_HOME/leadboard"
printf 'color title white red bold\n' > "$XDG_CONFIG_HOME/leadboard/config"
start ana
expect_screen "board with the config's colours" "Nurture 2"
title=$(T capture-pane -e -p -t lb | head -1)
case $title in *41m*) ok ;; *) bad "the title bar is not red: $(printf '%q' "$title" | cut -c1-80)" ;; esac
rm -r "$XDG_CONFIG_HOME/leadboard"
start ana
expect_screen "board with the default colours" "Nurture 2"
title=$(T capture-pane -e -p -t lb | head -1)
case $title in *41m*) bad "a red title bar without the config" ;; *46m*) ok ;; *) bad "no cyan title bar" ;; esac

# ---- typing under LC_ALL=C: the terminal's UTF-8 is read, nothing lost ----
# (issue 10 item 2: the locale cannot show "é"; the keys after it were eaten)
start ana C
expect_screen "board under LC_ALL=C" "Nurture 2"
T send-keys -t lb n
expect_screen "the new-lead form" "Name"
T send-keys -t lb -l 'Zoé Ünal'
T send-keys -t lb Tab
T send-keys -t lb -l 'Ça va'
T send-keys -t lb C-s
expect_screen "saved under LC_ALL=C" "added to nurture"
expect_db "SELECT name || '|' || company FROM leads ORDER BY id DESC LIMIT 1" "Zoé Ünal|Ça va" \
  "the name and company typed under LC_ALL=C"

printf '%d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
