#!/usr/bin/env bash
# Trust, the database layer (issue 10 items 1, 3, 13, 15, 16): a backup is
# whole or absent; a file-size limit is a clear exit 5 and nothing written;
# another program's SQLite file, a non-empty file that holds no board and
# anything not a regular file are refused untouched; a read of a missing
# database creates nothing; output that cannot be written is exit 5.
. "$(dirname "$0")/lib.sh"
require_binary

lb --as boss user add boss --team manager >/dev/null
lb --as boss user add ana --team marketing >/dev/null
for i in 1 2 3; do lb --as ana lead add --name "Lead $i" >/dev/null; done
size_kb=$(( $(stat -c %s "$DB") / 1024 ))

# ---- item 1: a backup is whole or absent -----------------------------------
# A file-size limit below the database's size stops the copy half-way (on
# an old build the signal killed it, leaving half a file under the name).
what "a backup stopped by the file size limit: exit 5, says so"
expect_error 5 "file size limit" bash -c "ulimit -f $((size_kb / 2)); exec \"\$LEADBOARD\" --db \"\$DB\" backup \"\$TMP/half.db\""
expect_eq "no file under the backup's name" "absent" "$([ -e "$TMP/half.db" ] && echo present || echo absent)"
expect_eq "no temporary file left beside it" "" "$(ls -A "$TMP" | grep -E '^\.half\.db' || true)"
expect_exit 0 lb backup "$TMP/whole.db"
expect_eq "a finished backup passes integrity_check" "ok" "$(sql_on "$TMP/whole.db" 'PRAGMA integrity_check' 2>&1)"
expect_eq "and holds every lead" "3" "$(lead_count "$TMP/whole.db")"
expect_eq "nothing but the backup was left in its folder" "" "$(ls -A "$TMP" | grep -E '^\.whole' || true)"
expect_error 2 "already exists" lb backup "$TMP/whole.db"

# A file with a hot journal and no board in it (an interrupted write of
# something else): never initialized as an empty board.
python3 - "$TMP/hot.db" <<'PY'
import os, sqlite3, sys
p = sys.argv[1]
open(p, "w").close()
c = sqlite3.connect(p, isolation_level=None)
c.execute("PRAGMA cache_size=1")
c.execute("BEGIN")
c.execute("CREATE TABLE t(x)")
for i in range(300):
    c.execute("INSERT INTO t VALUES(randomblob(3000))")
os._exit(0)  # the transaction never ends: its journal stays hot
PY
check "the test file has a hot journal" test -s "$TMP/hot.db-journal"
expect_error 5 "holds no leadboard board|not a leadboard" lbx --db "$TMP/hot.db" list
expect_eq "no board was made in it" "0" "$(sql_on "$TMP/hot.db" "SELECT count(*) FROM sqlite_master WHERE name = 'leads'" 2>&1)"

# ---- item 3: a file-size limit ---------------------------------------------
what "a write past the file size limit: exit 5, says so"
expect_error 5 "file size limit" bash -c 'ulimit -f 1; exec "$LEADBOARD" --db "$DB" --as ana lead add --name "Past the limit"'
expect_eq "and it was not written" "0" "$(sql "SELECT count(*) FROM leads WHERE name = 'Past the limit'")"
# A limit that lets the commit through but not the checkpoint at the end:
# the write is reported done (exit 0) and is there.
what "a write whose checkpoint hits the limit is reported done"
expect_out_re "[0-9]+" bash -c "ulimit -f $((size_kb + 40)); exec \"\$LEADBOARD\" --db \"\$DB\" --as ana lead add --name 'Under the limit'"
expect_eq "and it is there" "1" "$(sql "SELECT count(*) FROM leads WHERE name = 'Under the limit'")"

# ---- item 13: another program's file ---------------------------------------
sqlite3 "$TMP/other.db" 'PRAGMA application_id = 1234; PRAGMA user_version = 3; CREATE TABLE users(x); CREATE TABLE leads(x); CREATE TABLE campaigns(x); CREATE TABLE events(x);'
before=$(od -An -tx1 "$TMP/other.db" | md5sum)
expect_error 5 "another program|not a leadboard" lbx --db "$TMP/other.db" init
expect_eq "another program's file is untouched" "$before" "$(od -An -tx1 "$TMP/other.db" | md5sum)"
expect_eq "and not switched to WAL" "delete" "$(sql_on "$TMP/other.db" 'PRAGMA journal_mode')"
sqlite3 "$TMP/foreign.db" 'PRAGMA user_version = 2; CREATE TABLE notes(x);'
before=$(od -An -tx1 "$TMP/foreign.db" | md5sum)
expect_error 5 "not a leadboard" lbx --db "$TMP/foreign.db" --as x lead add --name A
expect_eq "a file with a user_version but no board is untouched" "$before" "$(od -An -tx1 "$TMP/foreign.db" | md5sum)"
expect_eq "a board carries leadboard's application id" "1279414852" "$(sql 'PRAGMA application_id')"
# A board made before the mark: known by its tables, marked at a write.
sql 'PRAGMA application_id = 0'
expect_exit 0 lb list
expect_exit 0 lb --as ana lead add --name "Marks it"
expect_eq "an unmarked board is marked at its next write" "1279414852" "$(sql 'PRAGMA application_id')"
# An interrupted write beside another program's file (a hot journal): a
# refused open must not roll it back, which would change that file.
hot() { # hot FILE APPID: a file whose last write was cut off, its journal left
  python3 - "$1" "$2" <<'PY'
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA journal_mode = DELETE")
c.execute("PRAGMA application_id = %d" % int(sys.argv[2]))
c.execute("CREATE TABLE IF NOT EXISTS t(x)")
c.execute("INSERT INTO t VALUES (1)")
c.execute("BEGIN")
c.execute("PRAGMA cache_size = 1")
c.execute("INSERT INTO t SELECT randomblob(5000) FROM t")
c.execute("INSERT INTO t SELECT randomblob(5000) FROM t")
os._exit(0)  # mid-transaction: the journal stays, hot
PY
}
hot "$TMP/hot2.db" 1234
check "the interrupted write left its journal" test -s "$TMP/hot2.db-journal"
before=$(cat "$TMP/hot2.db" "$TMP/hot2.db-journal" | md5sum)
expect_error 5 "not a leadboard board, and an unfinished write" lbx --db "$TMP/hot2.db" list
expect_eq "neither the file nor its journal was touched" "$before" "$(cat "$TMP/hot2.db" "$TMP/hot2.db-journal" 2>/dev/null | md5sum)"
# Our own board's interrupted write is rolled back, as SQLite recovers it.
cp "$DB" "$TMP/own.db"
rm -f "$TMP/own.db-wal" "$TMP/own.db-shm"
sqlite3 "$TMP/own.db" 'PRAGMA journal_mode = DELETE' >/dev/null
hot "$TMP/own.db" 1279414852
check "our board's interrupted write left its journal" test -s "$TMP/own.db-journal"
expect_exit 0 lbx --db "$TMP/own.db" list
expect_eq "it was recovered: the cut-off rows are gone" "1" "$(sql_on "$TMP/own.db" 'SELECT count(*) FROM t')"

# ---- item 15: stray files ----------------------------------------------------
expect_error 5 "not a regular file" lbx --db /dev/null list
expect_error 5 "not a regular file" lbx --db /dev/null --as x lead add --name A
expect_eq "no /dev/null-journal" "absent" "$([ -e /dev/null-journal ] && echo present || echo absent)"
expect_error 2 "no database at" lbx --db "$TMP/typo/dir/board.db" list
expect_eq "a read of a missing database creates no folder" "absent" "$([ -e "$TMP/typo" ] && echo present || echo absent)"
expect_error 2 "no database at" lbx --db "$TMP/missing.db" report funnel
expect_eq "nor a file" "absent" "$([ -e "$TMP/missing.db" ] && echo present || echo absent)"
expect_exit 0 lbx --db "$TMP/new/board.db" init
check "init creates it" test -s "$TMP/new/board.db"

# ---- item 16: output that cannot be written; huge numbers --------------------
if [ -w /dev/full ]; then
  what "list > /dev/full: exit 5, says why"
  expect_stderr_grep 5 "cannot write output: No space left on device" bash -c 'exec "$LEADBOARD" --db "$DB" list --format csv >/dev/full'
  what "export > /dev/full: exit 5, says why"
  expect_stderr_grep 5 "cannot write output: No space left on device" bash -c 'exec "$LEADBOARD" --db "$DB" export >/dev/full'
else
  echo "# skipped: /dev/full is not writable here"
fi
expect_error 2 "too large \(at most 9223372036854775807\)" lb list --limit 99999999999999999999
# A full disk says so, not "disk I/O error" (a small tmpfs: root only).
mkdir "$TMP/full"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=512k tmpfs "$TMP/full" 2>/dev/null; then
  lbx --db "$TMP/full/b.db" --as boss user add boss --team manager >/dev/null
  dd if=/dev/zero of="$TMP/full/fill" bs=1k 2>/dev/null
  expect_error 5 "the disk is full" lbx --db "$TMP/full/b.db" --as boss user add ann --team sales
  umount "$TMP/full"
else
  echo "# skipped the full-disk check: it needs root to mount a small tmpfs"
fi

# ---- item 14: deleted trailing events cannot hide ---------------------------
last=$(sql 'SELECT max(id) FROM events')
sql 'DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = (SELECT max(id) FROM events)'
expect_error_unchanged 5 "guard events_no_delete.*leadboard init" lb --as ana lead add --name "Unguarded"
expect_exit 0 lb init
expect_eq "init restores the guard" "1" "$(sql "SELECT count(*) FROM sqlite_master WHERE name = 'events_no_delete'")"
expect_exit 0 lb --as ana lead add --name "After the deletion"
expect_gt "the next event's id is past the deleted one's ($last)" "$last" "$(sql 'SELECT max(id) FROM events')"
sql 'DROP TRIGGER stage_counts_insert'
expect_error_unchanged 5 "guard stage_counts_insert" lb --as ana lead add --name "Uncounted"
sql "INSERT INTO leads(name, stage, created_at, stage_at, updated_at) SELECT 'Shell', 'nurture', created_at, stage_at, updated_at FROM leads LIMIT 1" 2>/dev/null
expect_exit 0 lb init
expect_eq "init restores the count's trigger and recounts" "$(sql "SELECT count(*) FROM leads WHERE stage = 'nurture'")" "$(sql "SELECT n FROM stage_counts WHERE stage = 'nurture'")"
expect_exit 0 lb --as ana lead add --name "Guarded again"
expect_eq "and counts again" "$(sql "SELECT count(*) FROM leads WHERE stage = 'nurture'")" "$(sql "SELECT n FROM stage_counts WHERE stage = 'nurture'")"
# The assets' counts are guarded the same way (issue 14): a use written
# while their trigger was gone is counted again by init.
lb --as boss user add rep --team sales >/dev/null
lb --as boss asset add Deck >/dev/null
AL=$(lb --as boss lead add --name "Asset lead")
lb --as boss handoff "$AL" --to rep >/dev/null
lb --as rep accept "$AL" >/dev/null
lb --as rep log "$AL" --outcome connected --used Deck >/dev/null
sql 'DROP TRIGGER asset_counts_use'
expect_error_unchanged 5 "guard asset_counts_use" lb --as rep log "$AL" --outcome voicemail --used Deck
sql "INSERT INTO followups(lead_id, user_id, kind, outcome, note, next_step, created_at) SELECT $AL, user_id, 'call', 'voicemail', '', '', created_at FROM followups WHERE lead_id = $AL"
sql "INSERT INTO asset_uses(asset_id, lead_id, followup_id, at) SELECT a.id, $AL, (SELECT max(id) FROM followups), '2026-11-20T09:00:00Z' FROM assets a WHERE a.name = 'Deck'"
expect_exit 0 lb init
expect_eq "init restores the asset trigger" 1 "$(sql "SELECT count(*) FROM sqlite_master WHERE name = 'asset_counts_use'")"
expect_eq "and recounts the asset's uses" "2|1" "$(sql "SELECT used, leads FROM assets WHERE name = 'Deck'")"
expect_exit 0 lb --as rep log "$AL" --outcome connected --used Deck
expect_eq "and counts again" "3|1" "$(sql "SELECT used, leads FROM assets WHERE name = 'Deck'")"
what "init on a board with every guard in place still counts the assets again"
sql "UPDATE assets SET used = 99, leads = 7 WHERE name = 'Deck'"
expect_exit 0 lb init
expect_eq "the hand-made counts are true again" "3|1" "$(sql "SELECT used, leads FROM assets WHERE name = 'Deck'")"

# ---- items 4, 5: readers leave nothing that blocks writers -------------------
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
  as_owner() { setpriv --reuid=1000 --regid=1000 --clear-groups env HOME="$TMP/home" "$@"; }
  as_member() { setpriv --reuid=1001 --regid=1000 --clear-groups env HOME="$TMP/home" "$@"; }
  team="$TMP/team"
  mkdir "$team" && chown 1000:1000 "$team" && chmod 2770 "$team"
  chmod 755 "$TMP"
  TB="$team/board.db"
  as_owner "$LEADBOARD" --db "$TB" --as boss user add boss --team manager >/dev/null
  as_owner chmod 0640 "$TB"
  what "a read-only team member reads the board"
  expect_grep "^boss" as_member "$LEADBOARD" --db "$TB" user list
  expect_eq "the reader left no -wal or -shm of its own" "" "$(find "$team" -user 1001)"
  what "the owner writes after the member's read"
  expect_exit 0 as_owner "$LEADBOARD" --db "$TB" --as boss user add ann --team sales
  # While a writer holds the board open (its WAL not yet checkpointed), a
  # member reads through the writer's files, and sees its last change.
  as_owner python3 - "$TB" "$team/held" <<'PY' &
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA wal_autocheckpoint = 0")
c.execute("INSERT INTO users(login, name, team, created_at) VALUES ('held', '', 'sales', '2026-11-20T09:00:00Z')")
open(sys.argv[2], "w").close()
while os.path.exists(sys.argv[2]):
    time.sleep(0.05)
PY
  holder=$!
  while [ ! -e "$team/held" ] && kill -0 "$holder" 2>/dev/null; do sleep 0.05; done
  check "a writer holds the board open, its change only in the WAL" test -e "$team/held" -a -s "$TB-wal"
  what "a member reads while a writer has the board open"
  expect_grep "^held" as_member "$LEADBOARD" --db "$TB" user list
  expect_eq "and leaves no file of its own" "" "$(find "$team" -user 1001)"
  rm -f "$team/held"
  wait "$holder"
  # Files another user left (an older leadboard's read) are named.
  as_member touch "$TB-wal" "$TB-shm"
  chmod 0640 "$TB-wal" "$TB-shm"
  what "a write blocked by another user's -wal names the file and its owner"
  expect_error 5 "board.db-(wal|shm) belongs to (uid 1001|[a-z]+)" as_owner "$LEADBOARD" --db "$TB" --as boss user add cara --team sales
  rm -f "$TB-wal" "$TB-shm"
  # A rep who may only read the file lists their feedback (issue 13):
  # reading writes nothing, so the replies stay unseen for them.
  as_owner "$LEADBOARD" --db "$TB" --as boss user add rod --team sales >/dev/null
  L=$(as_owner "$LEADBOARD" --db "$TB" --as boss lead add --name "Read only")
  as_owner "$LEADBOARD" --db "$TB" --as boss handoff "$L" --to rod >/dev/null
  as_owner "$LEADBOARD" --db "$TB" --as rod reject "$L" --reason "no budget" >/dev/null
  as_owner "$LEADBOARD" --db "$TB" --as boss feedback review 1 --reply "noted" >/dev/null
  what "a read-only rep lists their feedback"
  expect_grep "noted" as_member "$LEADBOARD" --db "$TB" --as rod feedback list
  expect_eq "and marked nothing seen" "0" "$(sql_on "$TB" "SELECT count(*) FROM ratings WHERE reply_seen_at IS NOT NULL")"
  expect_eq "and left no file of its own" "" "$(find "$team" -user 1001)"
  what "the rep who may write sees the reply marked seen"
  expect_exit 0 as_owner "$LEADBOARD" --db "$TB" --as rod feedback list
  expect_eq "seen" "1" "$(sql_on "$TB" "SELECT count(*) FROM ratings WHERE reply_seen_at IS NOT NULL")"
  # Item 5: a read-only board in a folder the reader cannot write.
  ro="$TMP/ro"
  mkdir "$ro" && cp "$TB" "$ro/board.db" && chmod 0644 "$ro/board.db" && chmod 0755 "$ro"
  what "a read in a folder the reader cannot write"
  expect_grep "^boss" as_member "$LEADBOARD" --db "$ro/board.db" user list
else
  echo "# skipped the multi-user checks: they need root and setpriv"
fi

finish
