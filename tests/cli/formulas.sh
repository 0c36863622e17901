#!/usr/bin/env bash
# One CSV writer, one formula rule (issue 10 item 12): list, campaign list,
# every report in csv and tsv, lead show's timeline and export all guard a
# cell that starts with = + - @ (or tab or CR) with an apostrophe, and leave
# plain negative numbers (an ROI of -1.00) as numbers.
. "$(dirname "$0")/lib.sh"
require_binary

lb --as boss user add boss --team manager >/dev/null
lb --as boss user add ana --team marketing >/dev/null
lb --as boss user add bob --team sales >/dev/null
lb --as ana campaign add "=HYPERLINK(\"http://x.test\")" --cost 100 >/dev/null
lb --as ana lead add --name "@SUM(A1)" --company "+cmd|' /C calc'!A0" --phone "+1 555 0100" \
  --campaign "=HYPERLINK(\"http://x.test\")" --value 500 >/dev/null
lb --as ana handoff 1 --to bob --note "-2+3" >/dev/null

# no_formula FILE: no cell of the csv/tsv FILE starts with = + - @ unless it
# is a plain negative number.
no_formula() {
  python3 - "$1" "$2" <<'PY'
import csv, re, sys
fmt = sys.argv[2]
text = open(sys.argv[1], encoding="utf-8", newline="").read()
rows = csv.reader(text.splitlines(), delimiter="\t" if fmt == "tsv" else ",") if fmt == "tsv" \
    else csv.reader(text.splitlines(True))
bad = []
for row in rows:
    for cell in row:
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"-\d+(\.\d+)?", cell):
            bad.append(cell)
if bad:
    print("formula cells: %r" % bad)
    sys.exit(1)
PY
}

for fmt in csv tsv; do
  for cmd in "list" "campaign list" "lead show 1" "feedback list" \
    "report campaigns" "report funnel" "report sla" "report standup --since 2026-01-01" \
    "report goals"; do
    # shellcheck disable=SC2086
    run lb --as boss --format "$fmt" $cmd
    if [ "$RC" -ne 0 ]; then
      expect_eq "$cmd --format $fmt runs" 0 "$RC"
      continue
    fi
    save_out "out.$fmt"
    check "$cmd --format $fmt: no cell a spreadsheet would run" no_formula "$TMP/out.$fmt" "$fmt"
  done
done

what "the guarded cells, as the one writer writes them"
expect_contains "'@SUM(A1)" lb --as boss --format csv list
expect_contains "'+1 555 0100" lb --as boss --format csv list
expect_contains "\"'=HYPERLINK(\"\"http://x.test\"\")\"" lb --as boss --format csv campaign list
expect_contains "'=HYPERLINK" lb --as boss --format tsv report campaigns
what "a negative ROI stays a number"
expect_contains ",-1.00" lb --as boss --format csv report campaigns
expect_no_grep "'-1.00" lb --as boss --format csv report campaigns
what "export, through the same writer, and back"
expect_exit 0 lb --as boss export "$TMP/all.csv"
check "export: no cell a spreadsheet would run" no_formula "$TMP/all.csv" csv
expect_exit 0 lbx --db "$TMP/copy.db" --as boss user add boss --team manager
expect_exit 0 lbx --db "$TMP/copy.db" --as boss user add bob --team sales
expect_exit 0 lbx --db "$TMP/copy.db" --as boss user add ana --team marketing
expect_exit 0 lbx --db "$TMP/copy.db" --as boss import "$TMP/all.csv"
expect_eq "the values come back as they were" "@SUM(A1)|+cmd|' /C calc'!A0|+1 555 0100" \
  "$(sqlite3 "$TMP/copy.db" "SELECT name || '|' || company || '|' || phone FROM leads")"

finish
