#!/usr/bin/env bash
# Trust (issue 6): several processes writing at once lose nothing; a
# process killed with SIGKILL at any moment leaves an intact database that
# holds every write reported as done, and an import is all there or not at
# all; a database locked past the timeout is a clear exit 5; a backup taken
# while others write is consistent; strict_identity; modes and the audit log.
. "$(dirname "$0")/lib.sh"
require_binary

me=$(id -un)
lb --as boss user add boss --team manager >/dev/null
lb --as boss user add ana --team marketing >/dev/null
for r in bob cara dev eli; do lb --as boss user add "$r" --team sales >/dev/null; done
for i in 1 2 3 4; do
  lb --as ana lead add --name "Lead $i" --email "lead$i@x.test" >/dev/null
done
rep=(bob cara dev eli)
for i in 1 2 3 4; do
  lb --as ana handoff "$i" --to "${rep[$((i - 1))]}" >/dev/null
  lb --as "${rep[$((i - 1))]}" accept "$i" >/dev/null
done

# ---- several writers at once: every write there, none failed -------------
N=25
for i in 1 2 3 4; do
  (
    r=${rep[$((i - 1))]}
    for k in $(seq $N); do
      "$LEADBOARD" --db "$DB" --as "$r" log "$i" --outcome voicemail --note "w$i-$k" >/dev/null 2>>"$TMP/writers.err" ||
        echo "log $i $k failed" >>"$TMP/writers.err"
      "$LEADBOARD" --db "$DB" --as ana comment "$i" "c$i-$k" >/dev/null 2>>"$TMP/writers.err" ||
        echo "comment $i $k failed" >>"$TMP/writers.err"
    done
  ) &
done
wait
expect_eq "no writer failed on a busy database" "" "$(cat "$TMP/writers.err" 2>/dev/null)"
expect_eq "every follow-up is there" "$((4 * N))" "$(sql 'SELECT count(*) FROM followups')"
expect_eq "every comment is there" "$((4 * N))" "$(sql 'SELECT count(*) FROM comments')"
expect_eq "each writer's notes, all of them" "$N|$N|$N|$N" \
  "$(sql "SELECT group_concat(n, '|') FROM (SELECT count(*) n FROM followups GROUP BY lead_id ORDER BY lead_id)")"
expect_eq "every follow-up has its audit event" "$((4 * N))" "$(sql "SELECT count(*) FROM events WHERE action = 'log'")"
what "each timeline shows its writer's follow-ups"
expect_grep "w3-$N" lb lead show 3

# ---- a backup while others write is consistent ----------------------------
( for k in $(seq 40); do "$LEADBOARD" --db "$DB" --as bob log 1 --outcome no_answer --note "b$k" >/dev/null 2>&1; done ) &
sleep 0.2
expect_exit 0 lb backup "$TMP/copy.db"
wait
expect_eq "the backup passes integrity_check" "ok" "$(sql_on "$TMP/copy.db" 'PRAGMA integrity_check')"
what "the backup opens with leadboard"
expect_exit 0 lbx --db "$TMP/copy.db" list
copy_n=$(sql_on "$TMP/copy.db" "SELECT count(*) FROM followups")
if [ "$copy_n" -ge $((4 * N)) ] && [ "$copy_n" -le $((4 * N + 40)) ]; then
  _pass "the backup is one consistent moment ($copy_n follow-ups)"
else
  expect_eq "the backup's follow-ups" "between $((4 * N)) and $((4 * N + 40))" "$copy_n"
fi
expect_error 2 "already exists|exists" lb backup "$TMP/copy.db"

# ---- SIGKILL during follow-up logging: every reported write survives ------
: >"$TMP/done"
(
  for k in $(seq 150); do
    "$LEADBOARD" --db "$DB" --as cara log 2 --outcome connected --note "k$k" >/dev/null 2>&1 &&
      echo "k$k" >>"$TMP/done"
  done
) &
logger=$!
killed=0
while kill -0 "$logger" 2>/dev/null; do
  sleep "0.00$((RANDOM % 9 + 1))" # every few ms: each logging process lives ~10 ms
  # only this run's loggers (its own database): another test run at the same
  # time has its own, and its writers must not die of ours
  pkill -9 -f -- "--db $DB --as cara log 2" 2>/dev/null && killed=$((killed + 1))
done
wait "$logger"
expect_ne "logging processes were killed mid-way ($killed times)" 0 "$killed"
expect_eq "intact after SIGKILLs during logging" "ok" "$(sql 'PRAGMA integrity_check')"
missing=0
while read -r note; do
  [ "$(sql "SELECT count(*) FROM followups WHERE note = '$note'")" = 1 ] || missing=$((missing + 1))
done <"$TMP/done"
expect_eq "every follow-up reported done ($(wc -l <"$TMP/done") of 150) is there" 0 "$missing"

# ---- SIGKILL during imports: all or nothing -------------------------------
python3 - "$TMP/big.csv" <<'PY'
import csv, sys
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["First Name", "Last Name", "Email", "Company"])
    for i in range(20000):
        w.writerow([f"Imp{i}", "Núñez, Jr.", f"imp{i}@crash.test", f"Company {i % 50}"])
PY
kills=0
for round in $(seq 8); do
  before=$(lead_count)
  "$LEADBOARD" --db "$DB" --as ana import "$TMP/big.csv" --on-duplicate skip >/dev/null 2>&1 &
  pid=$!
  # early in the first rounds (surely mid-import), later and later after
  case $round in
    1 | 2) sleep "0.0$((RANDOM % 5 + 1))" ;;
    3 | 4) sleep "0.$((RANDOM % 6 + 1))" ;;
    *) sleep "1.$((RANDOM % 10))" ;;
  esac
  if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
  wait "$pid" 2>/dev/null
  after=$(lead_count)
  if [ "$(sql 'PRAGMA integrity_check')" != ok ]; then
    expect_eq "intact after killing import round $round" ok "$(sql 'PRAGMA integrity_check')"
  elif [ "$after" != "$before" ] && [ "$after" != "$((before + 20000))" ] && [ "$after" != 20004 ]; then
    expect_eq "import round $round is all or nothing (before $before)" "$before or $((before + 20000))" "$after"
  else
    _pass "import round $round: intact, all or nothing ($before -> $after leads)"
  fi
  [ "$after" -gt 4 ] && break # the import went through: the rest would only skip duplicates
done
expect_ne "at least one import was actually killed" 0 "$kills"
before=$(lead_count)
what "an import left to finish writes every row"
expect_exit 0 lb --as ana import "$TMP/big.csv" --on-duplicate skip
if [ "$before" = 4 ]; then
  expect_eq "all 20000 rows after the killed attempts" 20004 "$(lead_count)"
else
  expect_eq "nothing more: an earlier attempt had written them all" "$before" "$(lead_count)"
fi
expect_eq "intact after the imports" ok "$(sql 'PRAGMA integrity_check')"

# ---- a lock held past the busy timeout: exit 5, nothing changed -----------
python3 - "$DB" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[1] + ".locked", "w").close()
time.sleep(5)
PY
holder=$!
for _ in $(seq 50); do [ -e "$DB.locked" ] && break; sleep 0.1; done
what "a write waits out the busy timeout (LEADBOARD_BUSY_TIMEOUT=1500 ms), then exit 5"
t0=$(date +%s%N)
expect_error 5 "busy|locked" env LEADBOARD_BUSY_TIMEOUT=1500 "$LEADBOARD" --db "$DB" --as ana comment 1 "while locked"
waited=$((($(date +%s%N) - t0) / 1000000))
if [ "$waited" -ge 1400 ] && [ "$waited" -lt 6000 ]; then _pass "it waited about the timeout (${waited} ms)"; else expect_eq "waited about 1500 ms" "1500" "$waited"; fi
wait "$holder"
expect_eq "the refused write left nothing" 0 "$(sql "SELECT count(*) FROM comments WHERE body = 'while locked'")"

# ---- modes: the database 0660, its new folder not world-writable ----------
what "a new database in a new folder"
expect_exit 0 lbx --db "$TMP/new/team/board.db" init
expect_eq "database mode" 660 "$(stat -c %a "$TMP/new/team/board.db")"
mode=$(stat -c %a "$TMP/new/team")
if [ $((0$mode & 2)) -eq 0 ]; then _pass "folder $mode is not world-writable"; else expect_eq "folder not world-writable" "no o+w" "$mode"; fi

# ---- the audit log: both identities on every event, and it cannot change --
expect_eq "every event names the OS login" 0 "$(sql "SELECT count(*) FROM events WHERE os_login = ''")"
expect_eq "every event after the first user names a leadboard user" 0 \
  "$(sql "SELECT count(*) FROM events WHERE actor_id IS NULL AND id > 1")"
n=$(sql 'SELECT count(*) FROM events')
what "DELETE on the audit log is refused by the database"
expect_exit "!0" sql "DELETE FROM events"
what "UPDATE on the audit log is refused by the database"
expect_exit "!0" sql "UPDATE events SET note = 'x'"
expect_eq "the audit log is unchanged" "$n" "$(sql 'SELECT count(*) FROM events')"

# ---- strict_identity: only yourself, unless you are a manager -------------
lb --as boss user add "$me" --team sales --name "The OS user" >/dev/null
what "strict_identity can be changed only by a manager"
expect_error 3 "managers" lb --as "$me" setting set strict_identity 1
expect_exit 0 lb --as boss setting set strict_identity 1
what "--as another user is refused for a non-manager OS user"
expect_error 3 "strict_identity" lb --as boss lead add --name "Not allowed"
what "\$LEADBOARD_USER as another user is refused too"
expect_error 3 "strict_identity" env LEADBOARD_USER=cara "$LEADBOARD" --db "$DB" comment 1 hi
what "acting as yourself works"
expect_exit 0 lb --as "$me" comment 1 "it is me"
expect_eq "the comment is by the OS user" "$me" \
  "$(sql "SELECT u.login FROM comments c JOIN users u ON u.id = c.user_id WHERE c.body = 'it is me'")"
printf 'U\nRight\nEnter\n' >"$TMP/keys"
what "the board's U is refused as well"
expect_exit 0 lb --as "$me" --replay "$TMP/keys" --size 80x24 --dump-screen "$TMP/u.txt"
what "the board says why"
expect_grep "strict_identity" cat "$TMP/u.txt"

finish
