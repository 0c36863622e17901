#!/usr/bin/env bash
# Collateral, undo and work-in-progress limits on the command line (issue
# 14): assets added and used on calls, leads won and lost, the assets report
# worked out by hand; a run of changes undone one by one with the refusals;
# a rep over a WIP limit in the stand-up and warned of at a hand-off.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "${TESTS_DIR:-$here/..}/cli/lib.sh"
require_binary

at 2026-11-20T09:00:00Z
lb --as max user add max --team manager >/dev/null
lb --as max user add ana --team marketing >/dev/null
lb --as max user add bob --team sales >/dev/null
lb --as max user add cara --team sales >/dev/null
lb --as ana campaign add Expo --channel event >/dev/null
for n in 1 2 3 4 5; do
  lb --as ana lead add --name "Lead $n" --campaign Expo --value $((n * 1000)) >/dev/null
done

# ---------------------------------------------------------------- assets
what "marketing adds an asset with a kind, a link and a campaign"
expect_exit 0 lb --as ana asset add "Pricing sheet" --kind pricing --url https://x.test/p.pdf --campaign Expo
what "a manager adds one too"
expect_exit 0 lb --as max asset add "Acme case" --kind case_study
lb --as ana asset add "Intro deck" --kind deck >/dev/null
lb --as ana asset add "Old video" --kind video >/dev/null
what "sales may not add assets (3)"
expect_error_unchanged 3 "marketing and managers" lb --as bob asset add "My deck"
what "an unknown kind is refused with the kinds (2)"
expect_error_unchanged 2 "deck" lb --as ana asset add "Thing" --kind brochure
what "a second asset of the same name (any case) is refused"
expect_error_unchanged 2 "already exists" lb --as ana asset add "pricing SHEET"
what "an asset of an unknown campaign is refused"
expect_error_unchanged 2 "campaign" lb --as ana asset add "Other" --campaign Nope
what "asset list shows them by name"
expect_exit 0 lb --format csv asset list
check "asset list: four assets, header first" test "$(printf '%s\n' "$OUT" | head -1 | tr -d '\r')" = "name,kind,campaign,url,added_by,used,created_at"
expect_eq "asset list names in order" "Acme case,Intro deck,Old video,Pricing sheet" \
  "$(printf '%s\n' "$OUT" | tail -n +2 | cut -d, -f1 | paste -sd,)"

for n in 1 2 3 4; do
  lb --as ana handoff $n --to bob >/dev/null
  lb --as bob accept $n >/dev/null
done
what "a call that used two assets (case-insensitive names)"
expect_exit 0 lb --as bob log 1 --outcome connected --used "pricing sheet" --used "Acme case"
what "an unknown asset refuses the whole follow-up"
expect_error_unchanged 2 "no asset 'Nope'" lb --as bob log 1 --outcome voicemail --used Nope
lb --as bob log 1 --outcome voicemail --used "Acme case" >/dev/null       # Acme on lead 1 twice
lb --as bob log 2 --outcome connected --used "Acme case" --used "Intro deck" >/dev/null
lb --as bob log 3 --outcome connected --used "Pricing sheet" --used "Pricing sheet" >/dev/null
lb --as bob log 4 --outcome connected >/dev/null
lb --as bob move 1 won >/dev/null
lb --as bob move 2 lost --reason "went with a rival" >/dev/null
lb --as bob move 3 won >/dev/null
at 2026-11-20T09:05:00Z
lb --as bob log 4 --outcome no_answer --used "Intro deck" >/dev/null

# By hand: Acme case: follow-ups 1,2 (lead 1) and 3 (lead 2) -> used 3, leads
# 2 (1 won, 2 lost) -> win_rate 0.50.  Pricing sheet: lead 1 and lead 3
# (once: a repeat in one follow-up counts once) -> used 2, leads 2, won 2,
# win_rate 1.00.  Intro deck: lead 2 (lost) and lead 4 (open) -> used 2,
# leads 2, won 0, lost 1, win_rate 0.00, last used 09:05.  Old video: never.
what "report assets in csv"
expect_exit 0 lb --format csv report assets
expect_eq "report assets, worked out by hand" \
"asset,kind,campaign,used,leads,won,lost,win_rate,last_used
Acme case,case_study,,3,2,1,1,0.50,2026-11-20T09:00:00Z
Intro deck,deck,,2,2,0,1,0.00,2026-11-20T09:05:00Z
Pricing sheet,pricing,Expo,2,2,2,0,1.00,2026-11-20T09:00:00Z
Old video,video,,0,0,0,0,," "$(printf '%s' "$OUT" | tr -d '\r')"
what "the table says how many assets were never used, in a pipe too"
expect_contains "1 of 4 assets (25%) never used" lb --format table report assets
what "... and tsv in a pipe is the rows alone, for a program to read"
expect_no_grep "never used" lb report assets
what "report assets over a period counts only its uses"
expect_exit 0 lb --format csv report assets --since 2026-11-20T09:01:00Z
expect_eq "the period's uses: Intro deck once" \
  "Intro deck,deck,,1,1,0,0,,2026-11-20T09:05:00Z" "$(printf '%s\n' "$OUT" | sed -n 2p | tr -d '\r')"
what "help report names the assets report's columns"
expect_contains "asset,kind,campaign,used,leads,won,lost,win_rate,last_used" lb help report
what "lead show names the assets a follow-up used"
expect_contains "used Pricing sheet, Acme case" lb lead show 1
what "reopening a won lead moves its assets' counts"
expect_exit 0 lb --as max move 3 accepted
expect_exit 0 lb --format csv report assets
expect_eq "Pricing sheet after lead 3 reopened" "Pricing sheet,pricing,Expo,2,2,1,0,1.00,2026-11-20T09:00:00Z" \
  "$(printf '%s\n' "$OUT" | grep '^Pricing' | tr -d '\r')"
lb --as max undo >/dev/null

# ---------------------------------------------------------------- undo
at 2026-11-20T10:00:00Z
lb --as ana handoff 5 --to cara >/dev/null
lb --as cara accept 5 >/dev/null
lb --as cara log 5 --outcome connected --used "Old video" >/dev/null
rid=$(lb --as cara rate 5 4 --reason fit)
lb --as cara comment 5 "good call" >/dev/null
lb --as cara move 5 qualified >/dev/null
lb --as cara move 5 proposal >/dev/null
v_before=$(sql "SELECT version FROM leads WHERE id = 5")

what "undo takes back the last move and says so"
expect_out "undone: move of lead 5 (Lead 5) from qualified to proposal" lb --as cara undo
expect_eq "lead 5 is back in qualified" qualified "$(sql "SELECT stage FROM leads WHERE id = 5")"
expect_eq "the undo is a new version of the lead" $((v_before + 1)) "$(sql "SELECT version FROM leads WHERE id = 5")"
what "the undone move leaves the stand-up's moves (the audit log keeps it)"
expect_no_grep '^moved,5,.*qualified -> proposal' lb --format csv report standup
expect_grep '^moved,5,.*contacted -> qualified' lb --format csv report standup
expect_eq "the move's event is still in the log" 1 "$(sql "SELECT count(*) FROM events WHERE lead_id = 5 AND action = 'move' AND new_value = 'proposal'")"
what "undo again: the move before"
expect_out "undone: move of lead 5 (Lead 5) from contacted to qualified" lb --as cara undo
what "undo again: the comment"
expect_out_re "undone: comment [0-9]+ on lead 5 \(Lead 5\)" lb --as cara undo
what "undo again: the rating"
expect_out "undone: rating $rid of lead 5 (Lead 5)" lb --as cara undo
expect_eq "the rating stays, marked undone" 1 "$(sql "SELECT count(*) FROM ratings WHERE id = $rid AND undone_at IS NOT NULL")"
expect_eq "the lead has no stars again" "" "$(sql "SELECT stars FROM leads WHERE id = 5")"
what "an undone rating leaves the feedback list"
expect_no_grep "^$rid," lb --format csv feedback list

what "someone else's change of the lead since: refused, naming them (4)"
at 2026-11-20T10:01:00Z
lb --as max comment 5 "nice" >/dev/null
expect_error_unchanged 4 "changed since by max" lb --as cara undo
what "the refusal says when in the local time (TZ)"
expect_error_unchanged 4 "changed since by max at 2026-11-20 19:01" env TZ=Asia/Tokyo "$LEADBOARD" --db "$DB" --as cara undo
what "max takes his comment back; then cara may go on"
expect_exit 0 lb --as max undo
expect_out_re "undone: follow-up [0-9]+ on lead 5 \(Lead 5\)" lb --as cara undo
expect_eq "the follow-up stays, marked undone" 1 "$(sql "SELECT count(*) FROM followups WHERE lead_id = 5 AND undone_at IS NOT NULL")"
expect_eq "lead 5 is accepted again, untouched" "accepted|" "$(sql "SELECT stage, coalesce(first_touch_at, '') FROM leads WHERE id = 5")"
what "the undone follow-up leaves the SLA report's first touch"
expect_grep "^cara,1,1,0," lb --format csv report sla
what "the undone follow-up's asset use leaves the report"
expect_exit 0 lb --format csv report assets
expect_eq "Old video never used again" "Old video,video,,0,0,0,0,," "$(printf '%s\n' "$OUT" | grep '^Old video' | tr -d '\r')"
what "undo the acceptance"
expect_out "undone: acceptance of lead 5 (Lead 5)" lb --as cara undo
what "the undone acceptance leaves the SLA report: a hand-off not accepted"
expect_grep "^cara,1,0,0," lb --format csv report sla
what "cara has nothing left to undo (2)"
expect_error_unchanged 2 "nothing to undo" lb --as cara undo
what "ana takes back her hand-off"
expect_out "undone: hand-off of lead 5 (Lead 5) to cara" lb --as ana undo
expect_eq "lead 5 is in nurture without an owner" "nurture|" "$(sql "SELECT l.stage, coalesce(CAST(owner_id AS TEXT), '') FROM leads l WHERE id = 5")"
what "the undone hand-off leaves the SLA and speed reports and the funnel's period"
expect_no_grep "^cara," lb --format csv report sla
expect_no_grep "^cara," lb --format csv report speed

at 2026-11-20T10:02:00Z
lb --as ana lead edit 5 --phone "+1 555 0100" >/dev/null
at 2026-11-20T10:20:00Z
what "a change older than undo_minutes is refused (2)"
expect_error_unchanged 2 "too old.*15 minutes" lb --as ana undo
what "... at the local time of the change (TZ)"
expect_error_unchanged 2 "at 2026-11-20 05:02\) is over 15 minutes" env TZ=America/New_York "$LEADBOARD" --db "$DB" --as ana undo
what "a manager may lengthen undo_minutes"
expect_exit 0 lb --as max setting set undo_minutes 30
expect_out "undone: edit of lead 5 (Lead 5)" lb --as ana undo
expect_eq "the phone is empty again" "" "$(sql "SELECT phone FROM leads WHERE id = 5")"

what "a recycled lead handed off again: undoing the hand-off brings back its date to revisit"
L6=$(lb --as ana lead add --name "Lead 6" --campaign Expo)
lb --as ana handoff "$L6" --to bob >/dev/null
lb --as bob accept "$L6" >/dev/null
lb --as bob move "$L6" nurture --reason "budget in Q1" --revisit 2026-12-01 >/dev/null
expect_eq "recycled to revisit on 2026-12-01" "nurture|2026-12-01T00:00:00Z" "$(sql "SELECT stage, revisit_at FROM leads WHERE id = $L6")"
lb --as ana handoff "$L6" --to cara >/dev/null
expect_eq "the hand-off cleared it" "handed_off|" "$(sql "SELECT stage, coalesce(revisit_at, '') FROM leads WHERE id = $L6")"
expect_out "undone: hand-off of lead $L6 (Lead 6) to cara" lb --as ana undo
expect_eq "nurture again, to revisit on 2026-12-01" "nurture|2026-12-01T00:00:00Z" "$(sql "SELECT stage, revisit_at FROM leads WHERE id = $L6")"

what "feedback review undone: unreviewed again"
fid=$(sql "SELECT id FROM ratings WHERE undone_at IS NULL ORDER BY id LIMIT 1")
if [ -z "$fid" ]; then
  lb --as bob rate 4 3 >/dev/null
  fid=$(sql "SELECT id FROM ratings WHERE undone_at IS NULL ORDER BY id LIMIT 1")
fi
lb --as ana feedback review "$fid" --reply "thanks" >/dev/null
expect_out "undone: review of feedback $fid on lead 4 (Lead 4)" lb --as ana undo
expect_eq "the feedback is unreviewed, without the reply" "|" "$(sql "SELECT coalesce(reviewed_at, ''), reply FROM ratings WHERE id = $fid")"
expect_eq "the unreviewed count follows" "$(sql "SELECT count(*) FROM ratings WHERE reviewed_at IS NULL AND undone_at IS NULL")" \
  "$(sql "SELECT unreviewed FROM feedback_counts")"

what "every undo is in the audit log, which kept every change"
expect_eq "undo events" 12 "$(sql "SELECT count(*) FROM events WHERE action = 'undo'")"
expect_contains "undid the move of lead 5" lb lead show 5

# ---------------------------------------------------------------- WIP
at 2026-11-20T11:00:00Z
what "sales may not set a WIP limit (3)"
expect_error_unchanged 3 "" lb --as bob setting set wip.accepted 1
what "a WIP limit that is not a number is refused (2)"
expect_error_unchanged 2 "" lb --as max setting set wip.proposal lots
what "a manager sets wip.accepted"
expect_exit 0 lb --as max setting set wip.accepted 1
# bob takes two more leads: two accepted, over a limit of 1.
for n in 7 8; do
  id=$(lb --as ana lead add --name "Lead $n")
  lb --as ana handoff "$id" --to bob 2>/dev/null >/dev/null
  lb --as bob accept "$id" >/dev/null
done
held=$(sql "SELECT count(*) FROM leads l JOIN users u ON u.id = l.owner_id WHERE u.login = 'bob' AND l.stage = 'accepted'")
what "the stand-up shows bob over wip.accepted"
expect_exit 0 lb --format csv report standup
if [ "$held" -gt 1 ]; then
  expect_eq "over_wip row" "over_wip,,,bob,\"$held in accepted, limit 1\"" "$(printf '%s\n' "$OUT" | grep '^over_wip' | tr -d '\r')"
else
  expect_eq "bob holds more than one accepted lead" ">1" "$held"
fi
what "a hand-off to a rep over wip.accepted warns on stderr, and is done"
expect_stderr_grep 0 "warning: bob already holds $held accepted leads \(wip.accepted is 1\)" lb --as ana handoff 5 --to bob
expect_eq "the hand-off happened" handed_off "$(sql "SELECT stage FROM leads WHERE id = 5")"
what "a hand-off to a rep under the limit says nothing more"
lb --as ana undo >/dev/null
run lb --as ana handoff 5 --to cara
expect_eq "no warning for cara" "" "$ERR"
what "wip.STAGE 0 is no limit again"
expect_exit 0 lb --as max setting set wip.accepted 0
expect_no_grep "^over_wip" lb --format csv report standup
what "setting list shows the new settings"
expect_grep "^wip.proposal" lb --format csv setting list
expect_grep "^alarm.rejection_rate,0.30" lb --format csv setting list

what "an undone follow-up is no first touch in report speed"
lb --as cara accept 5 >/dev/null
expect_exit 0 lb --as cara log 5 --outcome connected
expect_exit 0 lb --as cara undo
run lb --format csv report speed
expect_eq "cara's hand-off counts as never touched (the one ana took back earlier counts not at all)" "cara,1,0,,0,0,0,0,1" "$(printf '%s\n' "$OUT" | grep '^cara,' | tr -d '\r')"

# A rejection taken back takes its feedback (the rating it carried) back
# too: out of marketing's inbox, its unreviewed count and the reports.
at 2026-11-20T10:30:00Z
L6=$(lb --as ana lead add --name "Lead 6" --campaign Expo)
lb --as ana handoff "$L6" --to bob >/dev/null
unreviewed=$(sql "SELECT unreviewed FROM feedback_counts")
lb --as bob reject "$L6" --reason "no budget" --stars 2 --reason-tag budget >/dev/null
fb=$(sql "SELECT id FROM ratings WHERE lead_id = $L6 AND kind = 'rejection'")
expect_grep "^$fb,$L6," lb --as ana --format csv feedback list
what "bob takes his rejection back"
expect_out "undone: rejection of lead $L6 (Lead 6) (back to bob)" lb --as bob undo
expect_eq "the lead is handed off to bob again" "handed_off|bob|" "$(sql "SELECT l.stage, u.login, coalesce(CAST(l.stars AS TEXT), '') FROM leads l JOIN users u ON u.id = l.owner_id WHERE l.id = $L6")"
expect_eq "its feedback stays, marked undone" 1 "$(sql "SELECT count(*) FROM ratings WHERE id = $fb AND undone_at IS NOT NULL")"
expect_no_grep "^$fb," lb --as ana --format csv feedback list
expect_eq "the unreviewed count is back" "$unreviewed" "$(sql "SELECT unreviewed FROM feedback_counts")"
expect_no_grep "^rejected,$L6," lb --format csv report standup

# Undoing a move after a connected call takes back that move only: the
# call's own move to contacted stays in the stand-up.
at 2026-11-20T11:00:00Z
L7=$(lb --as ana lead add --name "Lead 7" --campaign Expo)
lb --as ana handoff "$L7" --to bob >/dev/null
lb --as bob accept "$L7" >/dev/null
lb --as bob log "$L7" --outcome connected >/dev/null
lb --as bob move "$L7" won --value 700 >/dev/null
what "bob takes his win back"
expect_out "undone: move of lead $L7 (Lead 7) from contacted to won" lb --as bob undo
what "the stand-up still shows the call's move to contacted"
expect_grep "^moved,$L7,Lead 7,bob,accepted -> contacted" lb --format csv report standup --since 2026-11-20
expect_no_grep "^won,$L7," lb --format csv report standup --since 2026-11-20

finish
