#!/usr/bin/env bash
# Text that reaches a terminal (issue 10 item 9b-d).  One rule for what is
# stored: no control characters (but tabs and newlines in notes), no bidi
# overrides, invisible-only text is empty, names compared by their key
# (Expo, "Expo " and Expo+U+200B are one campaign).  One rule for what is
# printed -- tables, lead show, error lines, JSON, the board: a control
# character left in the data (a tampered file, an import's file name) is
# shown as a visible escape, never passed through.
. "$(dirname "$0")/lib.sh"
require_binary

ESC=$'\e' RLO=$'\u202e' ZWSP=$'\u200b' CSI1=$'\u009b'

# raw FILE: passes when FILE holds no byte a terminal would act on: C0
# controls but tab and newline, DEL, C1 (as UTF-8), bidi embeddings,
# overrides and isolates.
raw_free() {
  python3 - "$1" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read()
text = data.decode("utf-8", "replace")
bad = [c for c in text if (ord(c) < 0x20 and c not in "\t\n") or 0x7f <= ord(c) <= 0x9f
       or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069]
if bad:
    print("raw characters: " + ", ".join(sorted({"U+%04X" % ord(c) for c in bad})))
    sys.exit(1)
PY
}
# no_raw DESC CMD...: CMD's stdout and stderr are both free of raw controls.
no_raw() {
  local d=$1
  shift
  run "$@"
  check "$d: stdout" raw_free "$TMP/.out"
  check "$d: stderr" raw_free "$TMP/.err"
}

lb --as boss user add boss --team manager >/dev/null
lb --as boss user add ana --team marketing >/dev/null
lb --as boss user add bob --team sales >/dev/null

# ---- 9d: what is stored ---------------------------------------------------
expect_exit 0 lb --as ana campaign add Expo
what "a campaign name with a trailing space is the same campaign"
expect_error_unchanged 2 "already exists" lb --as ana campaign add "Expo "
what "nor with a zero-width space"
expect_error_unchanged 2 "already exists" lb --as ana campaign add "Expo$ZWSP"
what "nor with a no-break space and a zero-width space inside"
expect_exit 0 lb --as ana campaign add "Spring Expo"
expect_error_unchanged 2 "already exists" lb --as ana campaign add "Spring"$'\u00a0'"$ZWSP Expo"
what "a right-to-left override in a campaign name is refused"
expect_error_unchanged 2 "bidirectional.*U\+202E" lb --as ana campaign add "Expo${RLO}gpj"
what "and in a lead's name, and in its notes"
expect_error_unchanged 2 "bidirectional" lb --as ana lead add --name "Eve${RLO}lyn"
expect_error_unchanged 2 "bidirectional" lb --as ana lead add --name "Eve" --note "a"$'\u2066'"b"
what "a C1 control (CSI) in a name is refused"
expect_error_unchanged 2 "control character" lb --as ana lead add --name "Eve${CSI1}31m"
what "a name of invisible characters is no name"
expect_error_unchanged 2 "needs a name" lb --as ana lead add --name "$ZWSP"$'\u00a0'
expect_error_unchanged 2 "needs a name" lb --as ana campaign add "$ZWSP$ZWSP"
what "a lead finds its campaign by the name's key"
expect_out 1 lb --as ana --format csv lead add --name "Ada" --campaign "Expo$ZWSP " --company "$ZWSP"
expect_eq "one Expo campaign" 1 "$(sql_n "SELECT count(*) FROM campaigns WHERE name LIKE 'expo%'")"
expect_eq "the lead is in it" "Expo" "$(sql_n "SELECT c.name FROM leads l JOIN campaigns c ON c.id = l.campaign_id WHERE l.id = 1")"
expect_eq "an invisible-only company is stored empty" "" "$(sql_n "SELECT company FROM leads WHERE id = 1")"
expect_exit 0 lb --as ana list --campaign "  Expo$ZWSP"
expect_grep "Ada" printf '%s\n' "$OUT"
what "invisible-only notes, comments and replies are no text"
expect_exit 0 lb --as ana handoff 1 --to bob --note "$ZWSP "
expect_exit 0 lb --as bob accept 1
expect_exit 0 lb --as bob log 1 --outcome voicemail --note "$ZWSP" --next-step $'\u00a0'
expect_eq "the follow-up's note and next step are empty" "|" "$(sql_n "SELECT note || '|' || next_step FROM followups WHERE lead_id = 1")"
expect_error_unchanged 2 "needs some text" lb --as bob comment 1 "$ZWSP$ZWSP"
expect_exit 0 lb --as boss user add cy --team sales --name "$ZWSP"
expect_eq "an invisible display name is none" "" "$(sql_n "SELECT name FROM users WHERE login = 'cy'")"
printf 'Name,Email,Campaign\r\nB1,b1@x.test,Expo\r\nB2,b2@x.test,"Expo "\r\nB3,b3@x.test,Expo%s\r\nB4,b4@x.test,Fair%s\r\nB5,b5@x.test,Fair\r\n' \
  "$ZWSP" "$ZWSP" >"$TMP/camps.csv"
what "an import's campaign column: one campaign per name key"
expect_exit 0 lb --as ana import "$TMP/camps.csv"
expect_eq "Expo and Fair, nothing else" "Expo|Fair|Spring Expo" \
  "$(sql_n "SELECT group_concat(name, '|') FROM (SELECT name FROM campaigns ORDER BY name)")"

printf 'Name,Email,Campaign\r\nR1,r1@x.test,Expo%s\r\n' "$RLO" >"$TMP/rlo.csv"
what "an import's campaign with a right-to-left override is refused with its line"
expect_error_unchanged 2 "rlo.csv:2: .*bidirectional" lb --as ana import "$TMP/rlo.csv"
printf 'Name,Email\r\nR%s2,r2@x.test\r\n' "$RLO" >"$TMP/rlo2.csv"
expect_error_unchanged 2 "rlo2.csv:2: .*bidirectional" lb --as ana import "$TMP/rlo2.csv"

# ---- 9b: the import file's name, kept in the audit log --------------------
evil="$TMP/evil${ESC}[2J${ESC}]0;pwned"$'\a'"${RLO}.csv"
printf 'Name,Email\r\nCy,cy@x.test\r\n' >"$evil"
expect_exit 0 lb --as ana import "$evil"
check "the import summary names the file without raw controls" raw_free "$TMP/.out"
expect_contains '\x1b[2J' printf '%s\n' "$OUT"
id=$(sql_n "SELECT id FROM leads WHERE email = 'cy@x.test'")
expect_eq "the audit log keeps the name as it was" 1 \
  "$(sql_n "SELECT count(*) FROM events WHERE lead_id = $id AND instr(note, char(27)) > 0")"
no_raw "lead show, its timeline's last column holding the file name" lb --format table lead show "$id"
expect_contains '\x1b]0;pwned\x07\u202e.csv' lb --format table lead show "$id"
no_raw "lead show --format tsv (backslash escapes, as tsv has)" lb --format tsv lead show "$id"
expect_contains '\x1b]0;pwned' lb --format tsv lead show "$id"
no_raw "lead show --format md" lb --format md lead show "$id"
no_raw "lead show --format json" lb --format json lead show "$id"
expect_contains '\u001b' lb --format json lead show "$id"

# ---- 9c: error lines -------------------------------------------------------
what "a bad argument is echoed escaped"
expect_error 2 '\\x1b\[2J' lb lead show "1${ESC}[2J"
no_raw "unknown command" lbx "no${ESC}[2Jsuch"
expect_error 1 '\\x1b' lbx "no${ESC}[2Jsuch"
no_raw "unknown option" lbx "--x${ESC}[31m"
no_raw "unknown format" lb --format "t${ESC}[31m" list
what "an unknown campaign named with controls"
expect_error 2 '\\x1b\[31m' lb --as ana lead add --name X --campaign "C${ESC}[31m"
no_raw "--campaign with C1 and RLO" lb --as ana list --campaign "C${CSI1}x${RLO}"
expect_stderr_grep 2 '\\u009bx\\u202e' lb --as ana list --campaign "C${CSI1}x${RLO}"
what "LEADBOARD_NOW is echoed escaped"
expect_error 2 'LEADBOARD_NOW=.*\\x1b\[2J' env LEADBOARD_NOW="2026${ESC}[2J" "$LEADBOARD" --db "$DB" list
what "a CSV cell echoed in an import error"
printf 'Name,Email,Amount\r\nDi,di@x.test,"12%s[2J"\r\n' "$ESC" >"$TMP/cell.csv"
run lb --as ana import "$TMP/cell.csv"
expect_eq "the import is refused" 2 "$RC"
check "its error line has no raw control" raw_free "$TMP/.err"
printf 'Name,Email,Amount\r\nDi,di@x.test,12%s31\r\n' "$CSI1" >"$TMP/cell2.csv"
no_raw "a C1 control in a CSV cell" lb --as ana import "$TMP/cell2.csv"
no_raw "the file name in an import error" lb --as ana import "$TMP/missing${ESC}[2J.csv"
expect_error 2 '\\x1b\[2J' lb --as ana import "$TMP/missing${ESC}[2J.csv"
no_raw "--as with controls" lb --as "x${ESC}[2J" list
no_raw "--db with controls" lbx --db "$TMP/no/such${ESC}[2J/x.db" list
no_raw "init prints the path escaped" lbx --db "$TMP/new${ESC}[2J.db" init
expect_contains 'new\x1b[2J.db' lbx --db "$TMP/new${ESC}[2J.db" init

# ---- the output rule on data a tampered file holds -------------------------
sql "INSERT INTO leads(name, company, notes, stage, created_at, stage_at, updated_at)
     VALUES ('Tam' || char(27) || '[2J', 'Co' || char(155) || '31m', 'n' || char(8238) || 'x' || char(13) || 'over',
             'nurture', '2026-11-20T09:00:00Z', '2026-11-20T09:00:00Z', '2026-11-20T09:00:00Z')"
tam=$(sql_n "SELECT id FROM leads WHERE name LIKE 'Tam%'")
expect_gt "the tampered lead is there" 0 "$tam"
no_raw "list (table)" lb --format table list
expect_contains 'Tam\x1b[2J' lb --format table list
no_raw "list (md)" lb --format md list
no_raw "list (json)" lb --format json list
no_raw "lead show (table)" lb --format table lead show "$tam"
expect_contains 'Co\u009b31m' lb --format table lead show "$tam"
expect_contains 'n\u202ex\rover' lb --format table lead show "$tam"
what "confirmations echo names escaped"
no_raw "lead edit's confirmation" lb --as boss lead edit "$tam" --title CEO

# ---- the board ---------------------------------------------------------------
printf 'G\nEnter\n' >"$TMP/keys"
what "the board draws the tampered lead escaped"
expect_exit 0 lb --as boss --replay "$TMP/keys" --size 120x30 --dump-screen "$TMP/board.txt"
check "the board's screen has no raw controls" raw_free "$TMP/board.txt"
printf '/\nTam\nEnter\nEnter\n' >"$TMP/keys2"
expect_exit 0 lb --as boss --replay "$TMP/keys2" --size 120x30 --dump-screen "$TMP/detail.txt"
check "the detail screen has no raw controls" raw_free "$TMP/detail.txt"
expect_contains 'Tam\x1b[2J' cat "$TMP/detail.txt"

finish
