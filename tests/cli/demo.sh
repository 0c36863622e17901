#!/usr/bin/env bash
# The demo (issue 5): a company big enough to take the bulk path (indexes
# and counting triggers set aside, then rebuilt), that is consistent the
# way the board needs it (integrity, references, the running counts, every
# stage and view with something in it), the same for the same seed, and
# only ever written into an empty database.
. "$(dirname "$0")/lib.sh"
require_binary

N=12000 # past the 10,000 where the demo drops and rebuilds the indexes

what "demo fills an empty database"
expect_exit 0 lb demo --leads "$N" --seed 7
expect_eq "every lead is there" "$N" "$(sql_n 'SELECT count(*) FROM leads')"
expect_eq "integrity_check" ok "$(sql_n 'PRAGMA integrity_check')"
expect_eq "no reference points nowhere" 0 "$(sql_n 'SELECT count(*) FROM pragma_foreign_key_check')"
expect_eq "back in WAL mode" wal "$(sql 'PRAGMA journal_mode')"

# The indexes and triggers it set aside are all back, as a fresh board has them.
lbx --db "$TMP/fresh.db" init >/dev/null
schema() { sqlite3 "$1" "SELECT type || ' ' || name FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY 1"; }
expect_eq "the same indexes and triggers as a fresh board" "$(schema "$TMP/fresh.db")" "$(schema "$DB")"
expect_eq "stage_counts agree with the leads" 0 \
  "$(sql_n "SELECT count(*) FROM (SELECT stage, count(*) AS c FROM leads GROUP BY stage) x LEFT JOIN stage_counts s USING (stage) WHERE s.n IS NOT x.c")"
expect_eq "feedback_counts agrees with the ratings" \
  "$(sql_n 'SELECT count(*) FROM ratings WHERE reviewed_at IS NULL')" "$(sql_n 'SELECT unreviewed FROM feedback_counts')"

# Something true to show in every stage and every view.
expect_eq "every stage has leads" 8 "$(sql_n 'SELECT count(DISTINCT stage) FROM leads')"
for t in followups ratings comments goals campaigns; do
  expect_gt "$t are there" 0 "$(sql_n "SELECT count(*) FROM $t")"
done
expect_gt "some feedback is reviewed" 0 "$(sql_n 'SELECT count(*) FROM ratings WHERE reviewed_at IS NOT NULL')"
expect_gt "some feedback waits for review" 0 "$(sql_n 'SELECT count(*) FROM ratings WHERE reviewed_at IS NULL')"
expect_gt "some hand-offs are past the acceptance SLA" 0 \
  "$(sql_n "SELECT count(*) FROM leads WHERE stage = 'handed_off' AND handed_off_at < strftime('%Y-%m-%dT%H:%M:%SZ', '$LEADBOARD_NOW', '-24 hours')")"
expect_eq "every lead's story starts with its creation" 0 \
  "$(sql_n "SELECT count(*) FROM leads l WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.lead_id = l.id AND e.action = 'create')")"
expect_eq "won leads have a value, lost ones a reason" 0 \
  "$(sql_n "SELECT count(*) FROM leads WHERE (stage = 'won' AND value IS NULL) OR (stage = 'lost' AND reason = '')")"
expect_exit 0 lb --as maria report campaigns --format csv
expect_ne "the campaigns report has rows" 1 "$(printf '%s\n' "$OUT" | wc -l)"

what "the same seed makes the same company"
DB=$TMP/again.db expect_exit 0 lb demo --leads "$N" --seed 7
expect_exit 0 lb --as maria export "$TMP/one.csv"
DB=$TMP/again.db expect_exit 0 lb --as maria export "$TMP/two.csv"
check "the two exports are byte for byte the same" cmp "$TMP/one.csv" "$TMP/two.csv"
DB=$TMP/other.db expect_exit 0 lb demo --leads 200 --seed 8
DB=$TMP/other.db expect_exit 0 lb --as maria export "$TMP/three.csv"
check "another seed, another company" bash -c "! cmp -s <(head -c 4000 '$TMP/one.csv') <(head -c 4000 '$TMP/three.csv')"

what "a database with people or leads in it is refused, untouched"
expect_error_unchanged '!0' 'demo fills an empty database' lb demo --leads 10
what "a negative size is refused"
expect_error 2 'invalid --leads' lbx --db "$TMP/neg.db" demo --leads -5

finish
