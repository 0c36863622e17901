#!/usr/bin/env bash
# The layers of style.md, checked on the sources: the core knows no curses
# and no engine; only src/db knows SQLite; the stores do not reach up into
# the actions (the SLA settings are the stores' to read, issue 11); the
# board and the command line call stores and actions, never the engine.
set -u
src=${TESTS_DIR:-$(cd "$(dirname "$0")/.." && pwd)}/../src
pass=0 fail=0
none() { # none WHAT PATTERN FILES...: no line of FILES matches PATTERN
  local what=$1 pattern=$2; shift 2
  local hits
  hits=$(grep -nE -- "$pattern" "$@" 2>/dev/null)
  if [ -z "$hits" ]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); printf 'FAIL: %s\n%s\n' "$what" "$hits"; fi
}
none "the core includes no curses and no engine" '#include *<(n?curses|sqlite3|libpq)' "$src"/core/*.c
none "the core calls no engine" '\b(sqlite3|PQ)[a-z_]*\(' "$src"/core/*.c
none "the stores do not include the actions" '#include *"leadboard/actions.h"' "$src"/db/*.c
none "the stores speak the driver's statement API, not the engine's" '\bsqlite3_' "$src"/db/store_*.c "$src"/db/demo.c
none "the board calls no engine" '\bsqlite3_[a-z_]*\(' "$src"/tui/*.c
none "the command line calls no engine" '\bsqlite3_[a-z_]*\(' "$src"/cli/*.c
printf '%d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
