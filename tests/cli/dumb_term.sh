#!/usr/bin/env bash
# A terminal the board cannot use (issue 15): TERM=dumb, an unknown TERM or
# none at all gives one clear line on stderr and exit 1, not a blank screen.
# script(1) gives the board the terminal it asks for.
. "$(dirname "$0")/lib.sh"
require_binary
if ! command -v script >/dev/null 2>&1; then
  echo "not ok 1 - script(1) from util-linux is installed"
  exit 1
fi
lb init >/dev/null

# on_tty ENV...: the board on a pseudo-terminal; OUT is all it wrote there
# (carriage returns dropped), RC its exit status.
on_tty() {
  local q
  q="env $(_cmdstr "$@") $(_cmdstr "$LEADBOARD") --db $(_cmdstr "$DB") 2>&1; echo \"rc=\$?\""
  OUT=$(_timeout script -qec "$q" /dev/null </dev/null | tr -d '\r')
  RC=${OUT##*rc=}
  OUT=${OUT%rc=*}
  OUT=${OUT%$'\n'}
}

for term in TERM=dumb TERM=no-such-terminal -u\ TERM; do
  # shellcheck disable=SC2086 # "-u TERM" is two words
  on_tty $term
  expect_eq "$term: exit 1" 1 "$RC"
  case $OUT in
  *$'\n'*) expect_eq "$term: one line" "one line" "$OUT" ;;
  "leadboard: "*TERM*) _pass "$term: one line 'leadboard: ...' that names TERM" ;;
  *) expect_eq "$term: the line says what is wrong" "leadboard: ... TERM ..." "$OUT" ;;
  esac
  case $OUT in
  *$'\e'*) expect_eq "$term: no escape sequences" "no ESC" "$(printf '%q' "$OUT")" ;;
  *) _pass "$term: no escape sequences written" ;;
  esac
done
on_tty TERM=dumb
expect_eq "TERM=dumb: the message says why" \
  "leadboard: the terminal (TERM=dumb) cannot show the board: it cannot move the cursor; set TERM to your terminal's type, or use the commands (leadboard --help)" \
  "$OUT"

finish
