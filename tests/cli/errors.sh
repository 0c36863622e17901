#!/usr/bin/env bash
# Bad input: each gets the documented exit status and one stderr line
# "leadboard: ...", and changes nothing in the database.  Damaged, foreign and
# newer database files are refused and left byte-for-byte as they were.
# Run: LEADBOARD=/abs/path/leadboard TESTS_DIR=/abs/path/tests bash tests/cli/errors.sh

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "${TESTS_DIR:-$here/..}/cli/lib.sh"
require_binary

# ---------------------------------------------------------------- setup
at 2026-11-20T09:00:00Z
expect_exit 0 lb init
expect_exit 0 lb --as boss user add boss --team manager
expect_exit 0 lb --as boss user add ana --team marketing
expect_exit 0 lb --as boss user add bob --team sales
expect_exit 0 lb --as ana campaign add "Spring Expo" --channel event --cost 1000
expect_out_re '[0-9]+' lb --as ana lead add --name 'Ada Lovelace' --company 'Engines' --value 100
L1=$OUT
expect_out_re '[0-9]+' lb --as ana lead add --name 'Grace Hopper' --company 'Navy'
L2=$OUT
at 2026-11-20T10:00:00Z
expect_exit 0 lb --as ana handoff "$L2" --to bob
expect_exit 0 lb --as bob accept "$L2"

# ---------------------------------------------------------------- usage (1)
what "unknown command (1)"
expect_error_unchanged 1 "frobnicate" lb --as boss frobnicate
what "unknown subcommand (1)"
expect_error_unchanged 1 "" lb --as boss lead frobnicate
what "help for an unknown command (1)"
expect_error 1 "" lbx help frobnicate
what "unknown option (1)"
expect_error_unchanged 1 "--frob" lb --as boss list --frob
what "unknown option on a mutation (1)"
expect_error_unchanged 1 "" lb --as ana lead add --name X --colour blue
what "missing option value at the end (1)"
expect_error_unchanged 1 "" lb --as ana lead add --name
what "missing value of --stage (1)"
expect_error_unchanged 1 "" lb --as boss list --stage
what "missing value of a global option (1)"
expect_error 1 "" lbx --db
# A PostgreSQL URL goes to a server (a host that is not there is a database
# error, exit 5), and no local file named after it appears (it used to
# create ./postgresql:/dbhost/leads); a password in the URL is refused
# before anything is tried (exit 1): libpq's own means keep it.
cd "$TMP"
PGCONNECT_TIMEOUT=3 expect_error 5 "PostgreSQL server" lbx --db postgresql://dbhost.invalid/leads init
expect_error 1 "pgpass" lbx --db postgresql://me:secret@dbhost.invalid/leads init
cd - >/dev/null
expect_eq "no file named after the URL" "" "$(ls -d "$TMP"/postgres* 2>/dev/null)"
what "missing required argument: move without a stage (1)"
expect_error_unchanged 1 "" lb --as bob move "$L2"
what "lead add without --name (1 or 2)"
expect_error_unchanged "1|2" "" lb --as ana lead add --company 'Nameless'
what "unknown --format (1 or 2)"
expect_error_unchanged "1|2" "" lb --as boss --format xml list

# ---------------------------------------------------------------- invalid input (2)
for bad in '12,5' 'abc' '-3' '1.234' '12.' '1e3'; do
    what "bad money '$bad' on lead add (2)"
    expect_error_unchanged 2 "" lb --as ana lead add --name 'Money Test' --value "$bad"
done
what "bad money on campaign add (2)"
expect_error_unchanged 2 "" lb --as ana campaign add 'Cheap' --cost '12,5'
what "bad money on move won --value (2)"
expect_error_unchanged 2 "" lb --as bob move "$L2" won --value abc
what "bad money on goal set (2)"
expect_error_unchanged 2 "" lb --as boss goal set 2026-Q4 --revenue 'lots'

for bad in 2026-02-30 2026-13-01 2026-1-5 someday +3x 2026-11-20T25:00; do
    what "bad date '$bad' on campaign add (2)"
    expect_error_unchanged 2 "" lb --as ana campaign add 'Dated' --start "$bad"
done
what "bad due date on log (2)"
expect_error_unchanged 2 "" lb --as bob log "$L2" --outcome connected --due 2026-02-30

what "unknown stage in list (2)"
expect_error_unchanged 2 "bogus" lb --as boss list --stage bogus
what "unknown stage in move (2)"
expect_error_unchanged 2 "bogus" lb --as bob move "$L2" bogus
what "stage names are the CLI names: 'Won' is unknown (2)"
expect_error_unchanged 2 "" lb --as bob move "$L2" Won --value 5
what "unknown outcome (2)"
expect_error_unchanged 2 "bogus" lb --as bob log "$L2" --outcome bogus
what "unknown follow-up kind (2)"
expect_error_unchanged 2 "fax" lb --as bob log "$L2" --outcome connected --kind fax
what "unknown team (2)"
expect_error_unchanged 2 "hr" lb --as boss user add dora --team hr
what "unknown channel (2)"
expect_error_unchanged 2 "tv" lb --as ana campaign add 'TV Spot' --channel tv
what "stars not a number (1 or 2)"
expect_error_unchanged "1|2" "" lb --as bob rate "$L2" four

what "unknown lead id in lead show (2)"
expect_error_unchanged 2 "9999" lb --as boss lead show 9999
what "unknown lead id in accept (2)"
expect_error_unchanged 2 "9999" lb --as bob accept 9999
what "unknown lead id in lead edit (2)"
expect_error_unchanged 2 "9999" lb --as ana lead edit 9999 --company X
what "unknown lead id in comment (2)"
expect_error_unchanged 2 "9999" lb --as ana comment 9999 'hello'
what "a lead id that is not a number (1 or 2)"
expect_error_unchanged "1|2" "" lb --as boss lead show abc
what "unknown feedback id (2)"
expect_error_unchanged 2 "" lb --as ana feedback review 9999 --reply x

what "unknown campaign on lead add (2)"
expect_error_unchanged 2 "Nope" lb --as ana lead add --name 'Camp Test' --campaign 'Nope'
what "a duplicate campaign name (2)"
expect_error_unchanged 2 "" lb --as ana campaign add 'Spring Expo'
what "hand-off to an unknown user (2)"
expect_error_unchanged 2 "" lb --as ana handoff "$L1" --to nobody

# ---------------------------------------------------------------- acting user
what "--as a login not in the database, on a change: exit 3, says how to add one"
expect_error_unchanged 3 "user add" lb --as ghost comment "$L1" 'boo'
what "--as a login not in the database, on a read: exit 3, says how to add one"
expect_error_unchanged 3 "user add" lb --as ghost list
what "\$LEADBOARD_USER not in the database: exit 3, says how to add one"
expect_error_unchanged 3 "user add" env LEADBOARD_USER=ghost "$LEADBOARD" --db "$DB" comment "$L1" 'boo'
what "OS login not in the database (no --as, no \$LEADBOARD_USER): says how to add one"
expect_error_unchanged 3 "user add" env -u LEADBOARD_USER USER=zz-nobody LOGNAME=zz-nobody "$LEADBOARD" --db "$DB" comment "$L1" hi
check "no comment was written by the unknown OS user" test "$(sql 'SELECT count(*) FROM comments')" = 0

# ---------------------------------------------------------------- logins
for bad in 'Bad Login' 'BOB' 'a/b' 'naïve' "$(printf 'a%.0s' {1..33})"; do
    what "invalid login '$bad' for user add (2)"
    expect_error_unchanged 2 "" lb --as boss user add "$bad" --team sales
done
what "an existing login cannot be added twice (2)"
expect_error_unchanged 2 "" lb --as boss user add bob --team sales
what "a 32-character login is valid"
expect_exit 0 lb --as boss user add "$(printf 'a%.0s' {1..32})" --team sales

# ---------------------------------------------------------------- LEADBOARD_NOW
for bad in yesterday 2026-02-30 '2026-11-20 09:00' 2026-11-20T09:99; do
    what "LEADBOARD_NOW='$bad' is refused with a message naming it"
    expect_error_unchanged '!0' "LEADBOARD_NOW" env LEADBOARD_NOW="$bad" "$LEADBOARD" --db "$DB" --as ana comment "$L1" 'at a bad time'
done
check "no comment was written with a bad clock" test "$(sql 'SELECT count(*) FROM comments')" = 0

# ---------------------------------------------------------------- stale edits
at 2026-11-20T11:00:00Z
expect_exit 0 lb --as ana lead edit "$L1" --company 'Analytical Engines'
expect_eq "the edit bumped the version to 2" 2 "$(sql "SELECT version FROM leads WHERE id = '$L1'")"
at 2026-11-20T12:00:00Z
what "lead edit --if-version 1 after the version moved on: exit 4, changed by ana at the time"
expect_error_unchanged 4 "changed by ana at [0-9]" lb --as boss lead edit "$L1" --if-version 1 --company X
what "the time it was changed is the local time (TZ), as every time shown"
when=$(sql "SELECT updated_at FROM leads WHERE id = $L1")
local=$(TZ=Asia/Tokyo date -d "$when" '+%Y-%m-%d %H:%M')
expect_error_unchanged 4 "changed by ana at $local " env TZ=Asia/Tokyo "$LEADBOARD" --db "$DB" --as boss lead edit "$L1" --if-version 1 --company X
what "handoff --if-version 1 after the version moved on (4)"
expect_error_unchanged 4 "changed by" lb --as ana handoff "$L1" --to bob --if-version 1
what "move --if-version with a stale version (4)"
expect_error_unchanged 4 "changed by" lb --as bob move "$L2" contacted --if-version 1
what "lead edit with the current version succeeds"
expect_exit 0 lb --as boss lead edit "$L1" --if-version 2 --company 'Babbage & Co'
expect_eq "the company was edited" 'Babbage & Co' "$(sql "SELECT company FROM leads WHERE id = '$L1'")"
what "lead edit with a bad --if-version (1 or 2)"
expect_error_unchanged "1|2" "" lb --as boss lead edit "$L1" --if-version abc --company Y

# ---------------------------------------------------------------- permission (3) changes nothing
what "sales editing a lead (3)"
expect_error_unchanged 3 "" lb --as bob lead edit "$L1" --company 'Hijacked'
what "marketing moving a lead (3)"
expect_error_unchanged 3 "" lb --as ana move "$L2" contacted

# ---------------------------------------------------------------- a file that is not SQLite
head -c 8192 /dev/urandom >"$TMP/random.db"
printf 'not a database' | dd of="$TMP/random.db" conv=notrunc status=none
cp "$TMP/random.db" "$TMP/random.orig"
what "a non-SQLite file: list (5)"
expect_error 5 "" lbx --db "$TMP/random.db" --as boss list
check "the non-SQLite file is unchanged after list" cmp "$TMP/random.db" "$TMP/random.orig"
what "a non-SQLite file: init (5)"
expect_error 5 "" lbx --db "$TMP/random.db" init
check "the non-SQLite file is unchanged after init" cmp "$TMP/random.db" "$TMP/random.orig"
what "a non-SQLite file: user add (5)"
expect_error 5 "" lbx --db "$TMP/random.db" --as boss user add boss --team manager
check "the non-SQLite file is unchanged after user add" cmp "$TMP/random.db" "$TMP/random.orig"

# ---------------------------------------------------------------- a newer database
NEWER="$TMP/newer.db"
expect_exit 0 lbx --db "$NEWER" init
expect_exit 0 lbx --db "$NEWER" --as boss user add boss --team manager
check "set user_version=999 with sqlite3" sqlite3 "$NEWER" 'PRAGMA user_version=999'
cp "$NEWER" "$TMP/newer.orig"
what "a newer database: list (5, says newer)"
expect_error 5 "newer" lbx --db "$NEWER" --as boss list
check "the newer database is unchanged after list" cmp "$NEWER" "$TMP/newer.orig"
what "a newer database: init (5, says newer)"
expect_error 5 "newer" lbx --db "$NEWER" init
check "the newer database is unchanged after init" cmp "$NEWER" "$TMP/newer.orig"
what "a newer database: lead add (5, says newer)"
expect_error 5 "newer" lbx --db "$NEWER" --as boss lead add --name 'Should not be written'
check "the newer database is unchanged after lead add" cmp "$NEWER" "$TMP/newer.orig"
expect_eq "the newer database still says user_version 999" 999 "$(sql_on "$NEWER" 'PRAGMA user_version')"

# ---------------------------------------------------------------- --db in new folders
NESTED="$TMP/new/deeper/still/board.db"
what "--db in a new nested folder: init creates it"
expect_contains "board.db" bash -c 'umask 022; exec "$@"' _ "$LEADBOARD" --db "$NESTED" init
check "the nested folders were created" test -d "$TMP/new/deeper/still"
check "the database file was created" test -f "$NESTED"
expect_eq "the new database has mode 0660 (umask 022)" 660 "$(stat -c %a "$NESTED" 2>&1)"
expect_eq "the new database passes integrity_check" ok "$(sql_on "$NESTED" 'PRAGMA integrity_check' 2>&1)"
NESTED2="$TMP/other/place/board.db"
what "--db in a new folder: first use by a non-init command creates it"
expect_exit 0 bash -c 'umask 022; exec "$@"' _ "$LEADBOARD" --db "$NESTED2" --as boss user add boss --team manager
expect_eq "created on first use with mode 0660" 660 "$(stat -c %a "$NESTED2" 2>&1)"

# ---------------------------------------------------------------- the main database survived
if on_sqlite; then
    expect_eq "the test database passes integrity_check" ok "$(sql 'PRAGMA integrity_check' 2>&1)"
else
    expect_eq "the test board's stage counts match its leads" \
        "$(sql "SELECT string_agg(stage || '=' || n, ',' ORDER BY stage) FROM (SELECT stage, count(*) AS n FROM leads GROUP BY stage) s")" \
        "$(sql "SELECT string_agg(stage || '=' || n, ',' ORDER BY stage) FROM stage_counts WHERE n > 0")"
fi
expect_eq "no stray leads were written" 2 "$(lead_count)"

what "help for a command that does not exist is an error, as the command is"
expect_error 1 "unknown command 'nosuch'" lb nosuch --help
what "a negative number is a value refused with its reason, not an unknown option"
expect_error_unchanged 2 "invalid wip.proposal '-1': use a whole number" lb --as boss setting set wip.proposal -1

finish
