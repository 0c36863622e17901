#!/usr/bin/env bash
# copy DEST (issue 16): a board moved from a SQLite file to $DB (a second
# file, or with ENGINE=postgresql a database on a PostgreSQL server, by
# COPY) and back to a file gives the same bytes in every export, report
# and timeline; ids go on after the highest copied one; text with tabs,
# backslashes, CRs and newlines survives; a destination that is not empty
# and the open board itself are refused, and nothing is written.
. "$(dirname "$0")/lib.sh"
require_binary

src="$TMP/src.db"
back="$TMP/back.db"
s() { _timeout "$LEADBOARD" --db "$src" "$@"; }
b() { _timeout "$LEADBOARD" --db "$back" "$@"; }

what "a demo board, with a lead whose text holds COPY's special bytes"
expect_exit 0 s demo --leads 150 --seed 7
note=$(printf 'back\\slash \\N\ttab\r\nCR LF\nand \\\\two')
expect_exit 0 s --as maria lead add --name 'Esc\ape \N' --company 'Back\\slash' --note "$note"
odd=$(s --format csv list --search 'Esc' | awk -F, 'NR == 2 {print $1}')

what "copy into the empty destination"
expect_grep '^copied .* rows\)$' s copy "$DB"
what "and from there into a new file"
expect_grep '^copied .* rows\)$' lb copy "$back"

same() { # same DESC ARGS...: the three boards print the same bytes
  local a c d
  a=$(s "${@:2}" 2>&1 | md5sum); c=$(lb "${@:2}" 2>&1 | md5sum); d=$(b "${@:2}" 2>&1 | md5sum)
  if [ "$a" = "$c" ] && [ "$c" = "$d" ]; then expect_eq "$1" same same
  else expect_eq "$1 (source, $ENGINE, back)" "$a $a $a" "$a $c $d"; fi
}
same "export" --as maria export
for r in funnel campaigns sla standup goals speed marketers assets; do
  same "report $r" --as maria --format csv report "$r"
  same "report $r, all time" --as maria --format csv report "$r" --since 2000-01-01
done
same "list" --as maria --format csv list
same "feedback list" --as maria --format csv feedback list
same "asset list" --as maria --format csv asset list
same "the odd lead's timeline" --as maria --format csv lead show "$odd"
same "a handed-off lead's timeline" --as maria --format csv lead show 2
expect_eq "the odd lead's notes, byte for byte" \
  "$(sqlite3 "$src" "SELECT hex(notes) FROM leads WHERE id = $odd")" \
  "$(sqlite3 "$back" "SELECT hex(notes) FROM leads WHERE id = $odd")"

what "ids go on after the copied ones"
expect_out "$((odd + 1))" lb --as maria lead add --name "After the copy"

what "a destination that is not empty is refused"
expect_error_unchanged 2 "already holds a board" s copy "$DB"
what "copying the open board onto itself is refused"
expect_error 2 "another board" lb copy "$DB"

finish
