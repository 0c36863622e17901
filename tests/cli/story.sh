#!/usr/bin/env bash
# A whole hand-off story on the command line: a manager bootstraps the team,
# marketing creates campaigns and leads and hands them to sales, sales
# accepts, rejects, logs follow-ups, rates and closes; marketing reviews the
# feedback; goals, help, backup and the audit log.
# Run: LEADBOARD=/abs/path/leadboard TESTS_DIR=/abs/path/tests bash tests/cli/story.sh

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "${TESTS_DIR:-$here/..}/cli/lib.sh"
require_binary

T0=2026-11-20T09:00:00Z
T1=2026-11-20T10:00:00Z
T2=2026-11-20T11:00:00Z
T3=2026-11-20T12:00:00Z
T4=2026-11-20T13:00:00Z
T5=2026-11-20T14:00:00Z
T6=2026-11-20T15:00:00Z
T7=2026-11-20T16:00:00Z
T8=2026-11-20T17:00:00Z

LIST_HEADER="id,name,company,title,email,phone,campaign,value,stage,owner,marketer,stars,created_at,stage_at"
FEEDBACK_HEADER="id,lead_id,lead,campaign,rater,stars,reasons,comment,created_at,reviewed_by,reviewed_at,reply,kind"

# csv_row FILE ID: the fields of the row whose first field is ID, as
# "col=value" lines (python's csv module, strict RFC 4180 reading).
csv_row() {
    python3 - "$1" "$2" <<'EOF'
import csv, io, sys
data = open(sys.argv[1], 'rb').read().decode('utf-8')
rows = list(csv.reader(io.StringIO(data, newline=''), strict=True))
header = rows[0]
for r in rows[1:]:
    if r and r[0] == sys.argv[2]:
        for k, v in zip(header, r):
            print('%s=%s' % (k, v))
        sys.exit(0)
print('no row with id %s' % sys.argv[2])
sys.exit(1)
EOF
}

# expect_csv_field FILE ID COLUMN VALUE
expect_csv_field() {
    local got row
    if row=$(csv_row "$1" "$2" 2>&1) && grep -q "^$3=" <<<"$row"; then
        got=$(sed -n "s/^$3=//p" <<<"$row")
    else
        got="(no column $3 in a row with id '$2': $row)"
    fi
    expect_eq "'$4' in column $3 of row $2 of $(basename "$1")" "$4" "$got"
}

# ---------------------------------------------------------------- setup
at "$T0"

what "init prints the database path"
expect_contains "$DB" lb init
if on_sqlite; then
    check "init created the database file" test -f "$DB"
else
    expect_eq "init recorded SQLite's numbered schema history on the server" \
        "$(ls "$TESTS_DIR/../schema/sqlite" | sed -n 's/^0*\([0-9][0-9]*\)_.*\.sql$/\1/p' | sort -n | paste -sd,)" \
        "$(sql 'SELECT string_agg(version::text, $$,$$ ORDER BY version) FROM schema_migrations')"
fi
what "init again on an existing database succeeds"
expect_exit 0 lb init

what "bootstrap: the first user (a manager) is added acting as itself"
expect_exit 0 lb --as boss user add boss --team manager --name "Bea Boss"
what "manager adds marketing user ana"
expect_exit 0 lb --as boss user add ana --team marketing --name "Ana Álvarez"
what "manager adds sales user bob"
expect_exit 0 lb --as boss user add bob --team sales --name "Bob Brown"
what "manager adds sales user cara"
expect_exit 0 lb --as boss user add cara --team sales --name "Cara Çelik"

what "after bootstrap, user add by marketing is refused (3)"
expect_error 3 "" lb --as ana user add dan --team sales
what "after bootstrap, user add by sales is refused (3)"
expect_error 3 "" lb --as bob user add dan --team sales
what "after bootstrap, user add by a login not in the database is refused (3)"
expect_exit 3 lb --as dan user add dan --team sales

what "user list csv header"
expect_exit 0 lb --as boss --format csv user list
save_out users.csv
check "user list csv header is login,name,team,active" \
    test "$(head -n 1 "$TMP/users.csv" | tr -d '\r')" = "login,name,team,active"
check "user list has exactly boss, ana, bob, cara with their teams" python3 - "$TMP/users.csv" <<'EOF'
import csv, io, sys
rows = list(csv.DictReader(io.StringIO(open(sys.argv[1], encoding='utf-8').read(), newline='')))
got = {r['login']: (r['team'], r['name']) for r in rows}
want = {'boss': ('manager', 'Bea Boss'), 'ana': ('marketing', 'Ana Álvarez'),
        'bob': ('sales', 'Bob Brown'), 'cara': ('sales', 'Cara Çelik')}
if got != want:
    print('got', got); print('want', want); sys.exit(1)
EOF

# ---------------------------------------------------------------- campaigns
what "marketing adds a campaign with a cost"
expect_exit 0 lb --as ana campaign add "Spring Expo" --channel event --cost 12500.50 --start 2026-03-01
what "marketing adds a second campaign"
expect_exit 0 lb --as ana campaign add "Webinar Q4" --channel webinar --cost 800 --start 2026-10-01 --end 2026-12-31
what "sales may not create campaigns (3)"
expect_error 3 "" lb --as bob campaign add "Bob's Pet Project" --channel other

what "campaign list csv"
expect_exit 0 lb --as boss campaign list --format csv
save_out campaigns.csv
check "campaign list csv header is name,channel,cost,start,end" \
    test "$(head -n 1 "$TMP/campaigns.csv" | tr -d '\r')" = "name,channel,cost,start,end"
check "campaign list: Spring Expo, event, 12500.50, starts 2026-03-01" \
    grep -Eq '^Spring Expo,event,12500\.50,2026-03-01' "$TMP/campaigns.csv"
check "campaign list: Webinar Q4, webinar, 800.00" \
    grep -Eq '^Webinar Q4,webinar,800\.00,2026-10-01' "$TMP/campaigns.csv"
check "sales' campaign was not created" \
    test "$(grep -c "Bob's Pet Project" "$TMP/campaigns.csv")" = 0

# ---------------------------------------------------------------- leads
what "lead add prints only the new id"
expect_out_re '[0-9]+' lb --as ana lead add --name 'José "Pepe" Núñez' --company 'Acme, Inc.' \
    --campaign 'Spring Expo' --value 5000
L1=$OUT
expect_eq "lead $L1 holds the UTF-8 name with quotes" 'José "Pepe" Núñez' \
    "$(sql "SELECT name FROM leads WHERE id = '$L1'")"
expect_eq "lead $L1 holds the company with the comma" 'Acme, Inc.' \
    "$(sql "SELECT company FROM leads WHERE id = '$L1'")"

what "lead add without a value prints only the new id"
expect_out_re '[0-9]+' lb --as ana lead add --name 'Zoë Wang' --company 'Globex' \
    --email zoe@globex.example --campaign 'Webinar Q4'
L2=$OUT
what "lead add by a manager prints only the new id"
expect_out_re '[0-9]+' lb --as boss lead add --name 'Ivan Petrov' --company 'Initech' \
    --campaign 'Spring Expo' --value 1200
L3=$OUT
what "lead add --format json still prints only the new id"
expect_out_re '[0-9]+' lb --as ana --format json lead add --name 'Lena Lost' --company 'Umbrella' \
    --value 300.5
L4=$OUT
expect_eq "four distinct lead ids" 4 "$(printf '%s\n' "$L1" "$L2" "$L3" "$L4" | sort -u | grep -c .)"

count=$(lead_count)
what "sales may not add leads (3)"
expect_error 3 "" lb --as bob lead add --name 'Not Allowed'
expect_eq "lead count unchanged after the refused lead add" "$count" "$(lead_count)"

# ---------------------------------------------------------------- list formats
what "list --format csv"
expect_exit 0 lb --as boss --format csv list
save_out list.csv
check "list csv: exact header row" \
    test "$(head -n 1 "$TMP/list.csv" | tr -d '\r')" = "$LIST_HEADER"
check "list csv: every line ends with CRLF, no bare LF" python3 - "$TMP/list.csv" <<'EOF'
import sys
data = open(sys.argv[1], 'rb').read()
if not data.endswith(b'\r\n'):
    print('does not end with CRLF:', data[-20:]); sys.exit(1)
bare = data.replace(b'\r\n', b'').count(b'\n')
if bare:
    print(bare, 'bare LF'); sys.exit(1)
if data.count(b'\r\n') != 5:
    print('expected 5 lines (header + 4 leads), got', data.count(b'\r\n')); sys.exit(1)
EOF
check "list csv: the name is quoted with doubled quotes (RFC 4180)" \
    grep -Fq '"José ""Pepe"" Núñez"' "$TMP/list.csv"
check "list csv: the company with a comma is quoted" \
    grep -Fq '"Acme, Inc."' "$TMP/list.csv"
expect_csv_field "$TMP/list.csv" "$L1" name 'José "Pepe" Núñez'
expect_csv_field "$TMP/list.csv" "$L1" company 'Acme, Inc.'
expect_csv_field "$TMP/list.csv" "$L1" campaign 'Spring Expo'
expect_csv_field "$TMP/list.csv" "$L1" value '5000.00'
expect_csv_field "$TMP/list.csv" "$L1" stage 'nurture'
expect_csv_field "$TMP/list.csv" "$L1" owner ''
expect_csv_field "$TMP/list.csv" "$L1" marketer 'ana'
expect_csv_field "$TMP/list.csv" "$L1" created_at "$T0"
expect_csv_field "$TMP/list.csv" "$L2" value ''
expect_csv_field "$TMP/list.csv" "$L2" email 'zoe@globex.example'
expect_csv_field "$TMP/list.csv" "$L3" marketer 'boss'
expect_csv_field "$TMP/list.csv" "$L4" value '300.50'

what "list --format tsv"
expect_exit 0 lb --as boss --format tsv list
save_out list.tsv
check "list tsv: exact header row" \
    test "$(head -n 1 "$TMP/list.tsv" | tr -d '\r')" = "$(printf '%s' "$LIST_HEADER" | tr ',' '\t')"
check "list tsv: the lead row has the name, company and value" \
    grep -Fq "$(printf '%s\tJosé "Pepe" Núñez\tAcme, Inc.\t' "$L1")" "$TMP/list.tsv"

what "list without --format, stdout not a terminal: tsv"
expect_exit 0 lb --as boss list
save_out list-default.txt
check "default output to a pipe has the tsv header" \
    test "$(head -n 1 "$TMP/list-default.txt" | tr -d '\r')" = "$(printf '%s' "$LIST_HEADER" | tr ',' '\t')"

what "list --format table shows the UTF-8 name"
expect_contains 'Núñez' lb --as boss --format table list

what "list --format json"
expect_exit 0 lb --as boss --format json list
save_out list.json
check "list json parses" python3 -c 'import json,sys; json.load(sys.stdin)' <"$TMP/list.json"
check "list json: keys and values (logins, stage names, money 5000.00 as a number, UTC times, nulls)" \
    python3 - "$TMP/list.json" "$L1" "$L2" "$T0" "$LIST_HEADER" <<'EOF'
import json, sys
path, l1, l2, t0, header = sys.argv[1:]
rows = json.load(open(path, encoding='utf-8'),
                 parse_float=lambda s: ('number', s), parse_int=lambda s: ('number', s))
bad = []
if not isinstance(rows, list) or len(rows) != 4:
    print('not an array of 4 objects:', rows); sys.exit(1)
for r in rows:
    missing = [k for k in header.split(',') if k not in r]
    if missing:
        bad.append('row %r lacks keys %s' % (r.get('id'), missing))
byid = {r.get('id'): r for r in rows}
a = byid.get(('number', l1))
b = byid.get(('number', l2))
if a is None or b is None:
    print('ids %s/%s not found as numbers; ids: %s' % (l1, l2, [r.get('id') for r in rows])); sys.exit(1)
want = {'name': 'José "Pepe" Núñez', 'company': 'Acme, Inc.', 'campaign': 'Spring Expo',
        'value': ('number', '5000.00'), 'stage': 'nurture', 'owner': None, 'marketer': 'ana',
        'stars': None, 'created_at': t0, 'stage_at': t0}
for k, v in want.items():
    if a.get(k) != v:
        bad.append('lead %s %s: want %r, got %r' % (l1, k, v, a.get(k)))
if b.get('value') is not None:
    bad.append('lead %s value: want null, got %r' % (l2, b.get('value')))
if b.get('email') != 'zoe@globex.example':
    bad.append('lead %s email: got %r' % (l2, b.get('email')))
for m in bad:
    print(m)
sys.exit(1 if bad else 0)
EOF

what "global options after the command: list --db --as --format csv"
expect_exit 0 lbx list --db "$DB" --as bob --format csv
check "options after the command still give the csv header" \
    test "$(printf '%s\n' "$OUT" | head -n 1 | tr -d '\r')" = "$LIST_HEADER"

# ---------------------------------------------------------------- hand-off
at "$T1"
what "marketing hands lead $L1 to bob (prints a confirmation)"
expect_grep '.' lb --as ana handoff "$L1" --to bob --note 'hot lead from booth 12'
what "sales may not hand off (3)"
expect_error_unchanged 3 "" lb --as bob handoff "$L3" --to bob
what "hand-off to a marketing user is refused (2)"
expect_error_unchanged 2 "" lb --as ana handoff "$L3" --to ana
what "hand-off to an unknown login is refused (2)"
expect_error_unchanged 2 "" lb --as ana handoff "$L3" --to nobody
what "marketing hands lead $L3 to cara"
expect_exit 0 lb --as ana handoff "$L3" --to cara
what "marketing hands lead $L2 to bob"
expect_exit 0 lb --as ana handoff "$L2" --to bob
what "with --format, a mutation prints nothing on stdout"
expect_out "" lb --as ana --format csv handoff "$L4" --to bob

what "list --stage handed_off"
expect_exit 0 lb --as boss --format csv list --stage handed_off
save_out handed.csv
expect_csv_field "$TMP/handed.csv" "$L1" owner bob
expect_csv_field "$TMP/handed.csv" "$L1" stage handed_off
expect_csv_field "$TMP/handed.csv" "$L1" stage_at "$T1"
expect_csv_field "$TMP/handed.csv" "$L3" owner cara
check "list --stage handed_off lists exactly 4 leads" \
    test "$(tail -n +2 "$TMP/handed.csv" | grep -c .)" = 4

what "list --owner cara"
expect_exit 0 lb --as boss --format csv list --owner cara
check "list --owner cara lists only lead $L3" \
    test "$(printf '%s\n' "$OUT" | tail -n +2 | cut -d, -f1 | tr -d '\r' | tr '\n' ' ')" = "$L3 "

# ---------------------------------------------------------------- accept / reject
at "$T2"
what "accept by cara, who is not the assignee (3)"
expect_error_unchanged 3 "" lb --as cara accept "$L1"
what "accept by bob"
expect_exit 0 lb --as bob accept "$L1"
what "accepting again is a refused transition (2)"
expect_error_unchanged 2 "" lb --as bob accept "$L1"
what "bob accepts $L2"
expect_exit 0 lb --as bob accept "$L2"
what "bob accepts $L4"
expect_exit 0 lb --as bob accept "$L4"

what "reject by bob, who is not the assignee (3)"
expect_error_unchanged 3 "" lb --as bob reject "$L3" --reason 'not mine'
what "reject without --reason (1 or 2)"
expect_error_unchanged "1|2" "" lb --as cara reject "$L3"
what "reject with an empty --reason (1 or 2)"
expect_error_unchanged "1|2" "" lb --as cara reject "$L3" --reason ''
what "reject with a reason"
expect_exit 0 lb --as cara reject "$L3" --reason 'student, no budget'
what "list --stage nurture after the rejection"
expect_exit 0 lb --as boss --format csv list --stage nurture
save_out nurture.csv
expect_csv_field "$TMP/nurture.csv" "$L3" stage nurture
expect_csv_field "$TMP/nurture.csv" "$L3" stage_at "$T2"

what "list --stage accepted"
expect_exit 0 lb --as boss --format csv list --stage accepted
save_out accepted.csv
expect_csv_field "$TMP/accepted.csv" "$L1" owner bob
expect_csv_field "$TMP/accepted.csv" "$L1" stage_at "$T2"
check "list --stage accepted lists $L1, $L2 and $L4" \
    test "$(tail -n +2 "$TMP/accepted.csv" | cut -d, -f1 | tr -d '\r' | sort -n | tr '\n' ' ')" \
    = "$(printf '%s\n' "$L1" "$L2" "$L4" | sort -n | tr '\n' ' ')"

# ---------------------------------------------------------------- refused transitions
what "a nurture lead cannot be moved to won (2), and the error names the allowed transitions"
expect_error_unchanged 2 "handed_off|handoff" lb --as boss move "$L3" won --value 10
what "an accepted lead cannot go back to handed_off (2); the error lists contacted"
expect_error_unchanged 2 "contacted" lb --as boss move "$L1" handed_off

# ---------------------------------------------------------------- won / lost
at "$T3"
what "move to won without a value on a lead without one (2)"
expect_error_unchanged 2 "" lb --as bob move "$L2" won
what "move to won with --value"
expect_exit 0 lb --as bob move "$L2" won --value 700
what "list --stage won --format json"
expect_exit 0 lb --as boss --format json list --stage won
save_out won.json
check "won lead $L2 has value 700.00 and stage won" python3 - "$TMP/won.json" "$L2" <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1], encoding='utf-8'), parse_float=lambda s: ('number', s))
r = [r for r in rows if str(r.get('id')) == sys.argv[2]]
if len(rows) != 1 or not r or r[0].get('value') != ('number', '700.00') or r[0].get('stage') != 'won':
    print(rows); sys.exit(1)
EOF
what "reopen by the owner is refused (3)"
expect_error_unchanged 3 "" lb --as bob move "$L2" accepted
what "reopen by a manager"
expect_exit 0 lb --as boss move "$L2" accepted

what "move to lost without --reason (1 or 2)"
expect_error_unchanged "1|2" "" lb --as bob move "$L4" lost
what "move to lost with a reason"
expect_exit 0 lb --as bob move "$L4" lost --reason 'went with a competitor'
expect_eq "lead $L4 is lost with its reason" "lost|went with a competitor" \
    "$(sql "SELECT stage || '|' || reason FROM leads WHERE id = '$L4'")"

# ---------------------------------------------------------------- follow-ups
what "marketing may not log follow-ups (3)"
expect_error_unchanged 3 "" lb --as ana log "$L1" --outcome connected
what "cara may not log on bob's lead (3)"
expect_error_unchanged 3 "" lb --as cara log "$L1" --outcome connected
what "bob logs a connected call on the accepted lead"
expect_exit 0 lb --as bob log "$L1" --outcome connected --kind call \
    --note 'spoke with Pepe about pricing' --next-step 'send quote' --due 2026-11-25
what "the connected call moved the lead to contacted"
expect_exit 0 lb --as boss --format csv list --stage contacted
save_out contacted.csv
expect_csv_field "$TMP/contacted.csv" "$L1" stage contacted
expect_csv_field "$TMP/contacted.csv" "$L1" stage_at "$T3"

# ---------------------------------------------------------------- ratings
at "$T4"
what "rate prints only the feedback id"
expect_out_re '[0-9]+' lb --as bob rate "$L1" 4 --reason fit --reason timing --comment 'good fit, timing is right'
F1=$OUT
what "rate 6 is invalid (2)"
expect_error_unchanged 2 "" lb --as bob rate "$L1" 6
what "rate 0 is invalid (2)"
expect_error_unchanged 2 "" lb --as bob rate "$L1" 0
what "rate with an unknown reason tag (2)"
expect_error_unchanged 2 "bogus" lb --as bob rate "$L1" 3 --reason bogus
what "marketing may not rate (3)"
expect_error_unchanged 3 "" lb --as ana rate "$L1" 2
what "cara may not rate bob's lead (3)"
expect_error_unchanged 3 "" lb --as cara rate "$L1" 2
expect_eq "only one rating stored" 1 "$(sql "SELECT count(*) FROM ratings WHERE kind = 'rating'")"
what "rate --format json prints only the feedback id"
expect_out_re '[0-9]+' lb --as bob --format json rate "$L2" 2 --reason budget
F2=$OUT
expect_ne "two distinct feedback ids" "$F1" "$F2"

# ---------------------------------------------------------------- comments
at "$T5"
what "marketing comments"
expect_exit 0 lb --as ana comment "$L1" 'Pepe asked for a demo'
what "another sales rep comments"
expect_exit 0 lb --as cara comment "$L1" 'I met Pepe last year'
what "the acting user from \$LEADBOARD_USER"
expect_exit 0 env LEADBOARD_USER=boss "$LEADBOARD" --db "$DB" comment "$L1" 'boss was here'
expect_eq "the comment from \$LEADBOARD_USER is by boss" boss \
    "$(sql "SELECT u.login FROM comments c JOIN users u ON u.id = c.user_id WHERE c.body = 'boss was here'")"

# ---------------------------------------------------------------- working stages
what "owner moves contacted → qualified"
expect_exit 0 lb --as bob move "$L1" qualified
what "cara may not move bob's lead (3)"
expect_error_unchanged 3 "" lb --as cara move "$L1" proposal
what "owner moves qualified → proposal"
expect_exit 0 lb --as bob move "$L1" proposal
what "owner moves back proposal → qualified"
expect_exit 0 lb --as bob move "$L1" qualified
expect_eq "lead $L1 is qualified" qualified "$(sql "SELECT stage FROM leads WHERE id = '$L1'")"

# ---------------------------------------------------------------- feedback
what "feedback list --format csv"
expect_exit 0 lb --as ana --format csv feedback list
save_out feedback.csv
check "feedback list csv: exact header row" \
    test "$(head -n 1 "$TMP/feedback.csv" | tr -d '\r')" = "$FEEDBACK_HEADER"
expect_csv_field "$TMP/feedback.csv" "$F1" lead_id "$L1"
expect_csv_field "$TMP/feedback.csv" "$F1" lead 'José "Pepe" Núñez'
expect_csv_field "$TMP/feedback.csv" "$F1" campaign 'Spring Expo'
expect_csv_field "$TMP/feedback.csv" "$F1" rater bob
expect_csv_field "$TMP/feedback.csv" "$F1" stars 4
expect_csv_field "$TMP/feedback.csv" "$F1" comment 'good fit, timing is right'
expect_csv_field "$TMP/feedback.csv" "$F1" created_at "$T4"
expect_csv_field "$TMP/feedback.csv" "$F1" reviewed_by ''
check "feedback reasons hold fit and timing" \
    bash -c 'csv=$1; grep -q "^reasons=.*fit" <<<"$csv" && grep -q "^reasons=.*timing" <<<"$csv"' _ \
    "$(csv_row "$TMP/feedback.csv" "$F1")"
what "list shows the latest stars of lead $L1"
expect_exit 0 lb --as boss --format csv list --stage qualified
save_out qualified.csv
expect_csv_field "$TMP/qualified.csv" "$L1" stars 4

what "feedback list --unreviewed lists the new rating"
expect_exit 0 lb --as ana --format csv feedback list --unreviewed
check "unreviewed feedback includes $F1" \
    bash -c 'tail -n +2 | cut -d, -f1 | grep -qx "$1"' _ "$F1" <<<"$(printf '%s\n' "$OUT" | tr -d '\r')"

at "$T6"
what "sales may not review feedback (3)"
expect_error_unchanged 3 "" lb --as bob feedback review "$F1" --reply 'self-review'
what "marketing reviews the feedback with a reply"
expect_exit 0 lb --as ana feedback review "$F1" --reply 'thanks, we will target more like this'
what "feedback list after the review"
expect_exit 0 lb --as ana --format csv feedback list
save_out feedback2.csv
expect_csv_field "$TMP/feedback2.csv" "$F1" reviewed_by ana
expect_csv_field "$TMP/feedback2.csv" "$F1" reviewed_at "$T6"
expect_csv_field "$TMP/feedback2.csv" "$F1" reply 'thanks, we will target more like this'
what "feedback list --unreviewed no longer lists the reviewed rating"
expect_exit 0 lb --as ana --format csv feedback list --unreviewed
check "unreviewed feedback excludes $F1 and includes $F2" \
    bash -c 'ids=$(tail -n +2 | cut -d, -f1); ! grep -qx "$1" <<<"$ids" && grep -qx "$2" <<<"$ids"' _ "$F1" "$F2" \
    <<<"$(printf '%s\n' "$OUT" | tr -d '\r')"

# ---------------------------------------------------------------- goals
what "manager sets a quarterly goal"
expect_exit 0 lb --as boss goal set 2026-Q4 --revenue 100000 --wins 5
expect_eq "the goal is stored in cents" "10000000|5" \
    "$(sql "SELECT revenue_target || '|' || wins_target FROM goals WHERE period = '2026-Q4'")"
what "marketing may not set goals (3)"
expect_error_unchanged 3 "" lb --as ana goal set 2026-Q4 --revenue 1 --wins 1
what "bad period 2026-Q5 (2)"
expect_error_unchanged 2 "" lb --as boss goal set 2026-Q5 --revenue 1000
what "bad period 2026-13 (2)"
expect_error_unchanged 2 "" lb --as boss goal set 2026-13 --revenue 1000
what "bad period Q4 (2)"
expect_error_unchanged 2 "" lb --as boss goal set Q4 --revenue 1000
what "report goals shows the target"
expect_grep '^2026-Q4,100000\.00,[0-9.]*,5,' lb --as boss --format csv report goals

# ---------------------------------------------------------------- lead show
at "$T7"
what "lead show lists the whole timeline"
expect_exit 0 lb --as boss lead show "$L1"
save_out show.txt
for text in 'hot lead from booth 12' 'spoke with Pepe about pricing' 'good fit, timing is right' \
    'Pepe asked for a demo' 'I met Pepe last year'; do
    check "lead show mentions: $text" grep -Fq "$text" "$TMP/show.txt"
done
check "lead show: hand-off note, follow-up, rating, comment in time order" python3 - "$TMP/show.txt" <<'EOF'
import sys
text = open(sys.argv[1], encoding='utf-8').read()
keys = ['hot lead from booth 12', 'spoke with Pepe about pricing', 'good fit, timing is right',
        'Pepe asked for a demo', 'I met Pepe last year']
pos = [text.rfind(k) for k in keys]
if -1 in pos or pos != sorted(pos):
    print(list(zip(keys, pos))); sys.exit(1)
EOF

what "lead show --format table shows the lead's details (UTF-8 name) and its timeline"
expect_exit 0 lb --as boss --format table lead show "$L1"
save_out show-table.txt
check "lead show table: the name" grep -Fq 'José "Pepe" Núñez' "$TMP/show-table.txt"
check "lead show table: the company" grep -Fq 'Acme, Inc.' "$TMP/show-table.txt"
check "lead show table: the timeline" grep -Fq 'Pepe asked for a demo' "$TMP/show-table.txt"

what "lead show --format json"
expect_exit 0 lb --as boss --format json lead show "$L1"
save_out show.json
check "lead show json parses" python3 -c 'import json,sys; json.load(sys.stdin)' <"$TMP/show.json"

what "lead show --format csv: the timeline as at,type,user,detail"
expect_exit 0 lb --as boss --format csv lead show "$L1"
save_out show.csv
check "lead show csv: header at,type,user,detail" \
    test "$(head -n 1 "$TMP/show.csv" | tr -d '\r')" = "at,type,user,detail"
check "lead show csv: times in order; each note at its time by its author" \
    python3 - "$TMP/show.csv" "$T0" "$T1" "$T3" "$T4" "$T5" <<'EOF'
import csv, io, sys, re
path, t0, t1, t3, t4, t5 = sys.argv[1:]
rows = list(csv.DictReader(io.StringIO(open(path, encoding='utf-8').read(), newline='')))
bad = []
ats = [r['at'] for r in rows]
if ats != sorted(ats):
    bad.append('times not in order: %s' % ats)
for a in ats:
    if not re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', a):
        bad.append('not ISO 8601 UTC: %r' % a)
if not ats or ats[0] != t0:
    bad.append('first entry should be the creation at %s' % t0)
def find(text):
    return [r for r in rows if text in r['detail']]
for text, at, user in [('hot lead from booth 12', t1, 'ana'), ('spoke with Pepe about pricing', t3, 'bob'),
                       ('good fit, timing is right', t4, 'bob'), ('Pepe asked for a demo', t5, 'ana'),
                       ('I met Pepe last year', t5, 'cara'), ('boss was here', t5, 'boss')]:
    f = find(text)
    if not f:
        bad.append('no entry with %r' % text)
    elif not any(r['at'] == at and r['user'] == user for r in f):
        bad.append('%r: want at=%s user=%s, got %s' % (text, at, user, [(r['at'], r['user']) for r in f]))
types = {r['type'] for r in rows}
if len(types) < 4:
    bad.append('expected at least 4 kinds of entries (events, follow-up, rating, comment), got %s' % types)
for m in bad:
    print(m)
sys.exit(1 if bad else 0)
EOF

# ---------------------------------------------------------------- help, version
what "--help exits 0 and prints usage"
expect_grep '[Uu]sage' lbx --help
what "help handoff exits 0 and shows --to"
expect_grep '--to' lbx help handoff
what "handoff --help exits 0 and shows --to"
expect_grep '--to' lbx handoff --help
what "lead add --help exits 0 and shows --name"
expect_grep '--name' lbx lead add --help
what "--version prints a version"
expect_grep '[0-9]+\.[0-9]+' lbx --version

# ---------------------------------------------------------------- backup
at "$T8"
what "backup to a file"
expect_exit 0 lb --as boss backup "$TMP/backup.db"
check "the backup file exists and is not empty" test -s "$TMP/backup.db"
expect_eq "the database still has its 4 leads" 4 "$(lead_count)"
expect_eq "the backup passes integrity_check" ok "$(sql_on "$TMP/backup.db" 'PRAGMA integrity_check' 2>&1)"
expect_eq "the backup has the same lead count" "$(lead_count)" "$(lead_count "$TMP/backup.db")"
expect_eq "the backup has the same events" \
    "$(sql 'SELECT count(*), max(id) FROM events')" "$(sql_on "$TMP/backup.db" 'SELECT count(*), max(id) FROM events' 2>&1)"

# ---------------------------------------------------------------- audit log
events=$(sql 'SELECT count(*) FROM events')
check "events were recorded" test "${events:-0}" -gt 10
check "the database refuses DELETE FROM events" refused "DELETE FROM events"
expect_eq "events count unchanged after DELETE" "$events" "$(sql 'SELECT count(*) FROM events')"
check "the database refuses UPDATE events" refused "UPDATE events SET note = 'tampered'"
expect_eq "no event was changed by UPDATE" 0 "$(sql "SELECT count(*) FROM events WHERE note = 'tampered'")"
expect_eq "events count unchanged after UPDATE" "$events" "$(sql 'SELECT count(*) FROM events')"
expect_eq "every event records the OS login" "$events" "$(sql "SELECT count(*) FROM events WHERE os_login <> ''")"
check "events record the acting users (ana, bob, cara, boss)" test \
    "$(sql "SELECT count(DISTINCT u.login) FROM events e JOIN users u ON u.id = e.actor_id WHERE u.login IN ('ana','bob','cara','boss')")" = 4
check "bob's accept of lead $L1 is an event by bob" test \
    "$(sql "SELECT count(*) FROM events e JOIN users u ON u.id = e.actor_id WHERE u.login = 'bob' AND e.lead_id = '$L1' AND e.at = '$T2'")" -ge 1
check "the rejection reason is in the audit log" test \
    "$(sql "SELECT count(*) FROM events WHERE lead_id = '$L3' AND (note LIKE '%student, no budget%' OR new_value LIKE '%student, no budget%')")" -ge 1
if on_pg; then
    check "the server refuses TRUNCATE events" refused "TRUNCATE events"
    expect_eq "events count unchanged after TRUNCATE" "$events" "$(sql 'SELECT count(*) FROM events')"
    expect_eq "every event records the server's session user" "$events" \
        "$(sql "SELECT count(*) FROM events WHERE db_user = session_user")"
    expect_eq "a forged session user is not kept (the server sets it)" "$(sql 'SELECT session_user')" \
        "$(pg_psql "$PGDB" -At -c BEGIN -c "INSERT INTO events(at, os_login, entity, action, db_user) VALUES ('x', 'x', 'x', 'x', 'mallory')" \
            -c 'SELECT db_user FROM events ORDER BY id DESC LIMIT 1' -c ROLLBACK)"
    expect_eq "the derived stage counts match the leads" \
        "$(sql "SELECT string_agg(stage || '=' || n, ',' ORDER BY stage) FROM (SELECT stage, count(*) AS n FROM leads GROUP BY stage) s")" \
        "$(sql "SELECT string_agg(stage || '=' || n, ',' ORDER BY stage) FROM stage_counts WHERE n > 0")"
else
    expect_eq "the database passes integrity_check" ok "$(sql 'PRAGMA integrity_check' 2>&1)"
fi

finish
