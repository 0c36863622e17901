#!/usr/bin/env bash
# The man pages in step with the program (issue 15): every command that
# leadboard(1) names exists and every command the program has is named,
# each with the options of 'leadboard help COMMAND'; the global options and
# every environment variable the sources read are documented; and every
# request of the board (what a key can do) is listed in
# leadboard-config(5) and every request listed there exists.
. "$(dirname "$0")/lib.sh"
require_binary

SRC=$(cd "$TESTS_DIR/.." && pwd)
MAN1=$SRC/doc/leadboard.1
MAN5=$SRC/doc/leadboard-config.5
for f in "$MAN1" "$MAN5"; do
  if [ ! -f "$f" ]; then
    echo "not ok 1 - $f exists"
    exit 1
  fi
done

# section FILE NAME: the roff source of one .SH section, "\-" as "-".
section() {
  awk -v want="$2" '
    /^\.SH / { name = substr($0, 5); gsub(/"/, "", name); on = (name == want); next }
    on' "$1" | sed 's/\\-/-/g'
}
# entries: the bold word(s) that open each .TP entry ("\fBlead add\fR ...").
entries() {
  awk 'tp && /^\\fB/ { s = substr($0, 4); sub(/\\f.*/, "", s); print s } { tp = /^\.TP/ }' | sort
}
# entry_line NAME: the line that opens NAME's entry.
entry_line() {
  awk -v want="$1" 'tp && /^\\fB/ { s = substr($0, 4); sub(/\\f.*/, "", s); if (s == want) print } { tp = /^\.TP/ }'
}
options_in() { grep -oE -- '--[a-z][a-z-]*' | sort -u; }

# compare WHAT PROGRAM_LIST MAN_LIST: both ways.
compare() {
  local what=$1 prog=$2 man=$3
  expect_eq "every $what of the program is in the man page (missing ones after >)" "" \
    "$(comm -13 <(printf '%s\n' "$man") <(printf '%s\n' "$prog") | sed 's/^/> /')"
  expect_eq "every $what the man page names exists (unknown ones after >)" "" \
    "$(comm -23 <(printf '%s\n' "$man") <(printf '%s\n' "$prog") | sed 's/^/> /')"
}

# ---- commands ----
run lbx help --list commands
expect_eq "help --list commands works" 0 "$RC"
prog_cmds=$(printf '%s\n' "$OUT" | sort)
commands=$(section "$MAN1" COMMANDS)
man_cmds=$(printf '%s\n' "$commands" | entries)
expect_ne "the man page lists commands" "" "$man_cmds"
compare command "$prog_cmds" "$man_cmds"

while IFS= read -r cmd; do
  [ -n "$cmd" ] || continue
  # shellcheck disable=SC2086 # a command is one or two words
  run lbx help $cmd
  if [ "$RC" -ne 0 ]; then
    expect_eq "leadboard help $cmd works" 0 "$RC"
    continue
  fi
  usage=$(printf '%s\n' "$OUT" | head -1)
  expect_eq "$cmd: the man page's options are those of 'leadboard help $cmd'" \
    "$(printf '%s\n' "$usage" | options_in)" \
    "$(printf '%s\n' "$commands" | entry_line "$cmd" | options_in)"
done <<<"$man_cmds"

# ---- global options ----
run lbx --help
globals=$(printf '%s\n' "$OUT" | sed '/^Commands:/,$d' | options_in)
expect_ne "--help shows the global options" "" "$globals"
man_opts=$(section "$MAN1" OPTIONS | options_in)
expect_eq "every global option of --help is under OPTIONS (missing after >)" "" \
  "$(comm -13 <(printf '%s\n' "$man_opts") <(printf '%s\n' "$globals") | sed 's/^/> /')"
for o in --help --version; do
  case $'\n'"$man_opts"$'\n' in
  *$'\n'"$o"$'\n'*) _pass "$o is under OPTIONS" ;;
  *) expect_eq "$o is under OPTIONS" "$o" "" ;;
  esac
done

# ---- environment ----
vars=$(grep -rhoE 'getenv\("[A-Za-z_]+"\)' "$SRC/src" | sed 's/getenv("//; s/")//' | sort -u)
expect_ne "the sources read some environment" "" "$vars"
man_vars=$(section "$MAN1" ENVIRONMENT | awk 'tp && /^\.B / { print $2 } { tp = /^\.TP/ }' | sort -u)
expect_eq "every variable the sources read is under ENVIRONMENT (missing after >)" "" \
  "$(comm -13 <(printf '%s\n' "$man_vars") <(printf '%s\n' "$vars") | sed 's/^/> /')"

# ---- the exit codes of --help ----
man_codes=$(section "$MAN1" "EXIT STATUS" | awk 'tp && /^\.B / { print $2 } { tp = /^\.TP/ }' | tr '\n' ' ')
expect_eq "EXIT STATUS has the codes 0 to 5" "0 1 2 3 4 5 " "$man_codes"

# ---- the board's requests ----
# The program's own list when it gives one; until then the request table in
# the board's sources (X(REQ_..., "name", ...)).  An empty list is a failure:
# the table has moved, so teach this test where (or add help --list requests).
run lbx help --list requests
if [ "$RC" -eq 0 ]; then
  prog_reqs=$(printf '%s\n' "$OUT" | sort)
else
  prog_reqs=$( (echo none; cat "$SRC"/src/tui/*.[ch]) |
    sed -n 's/^none$/none/p; s/.*X(REQ_[A-Z0-9_]*, *"\([a-z0-9-]*\)".*/\1/p' | sort -u)
fi
expect_ne "the board's requests are found" "none" "$(printf '%s\n' "$prog_reqs" | tr -d '\n')"
man_reqs=$(section "$MAN5" REQUESTS | entries)
compare request "$prog_reqs" "$man_reqs"

finish
