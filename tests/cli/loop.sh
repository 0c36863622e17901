#!/usr/bin/env bash
# Issue 13, the loop closing both ways, end to end: a hand-off rejected with
# a rating, answered by marketing and seen by the rep; a due date on its own
# day in a non-UTC zone; a recycled lead coming back on its date; the speed
# and marketers reports with their numbers worked out by hand; the
# stand-up's period on a Monday.
. "$(dirname "$0")/lib.sh"
require_binary
# csv without its CRLF line ends, for exact lines.
csv() { lb --format csv "$@" | tr -d '\r'; }

at 2026-11-16T08:00:00Z # a Monday
lb --as boss user add boss --team manager >/dev/null
lb --as boss user add mia --team marketing >/dev/null
lb --as boss user add mo --team marketing >/dev/null
lb --as boss user add bob --team sales >/dev/null
lb --as boss user add cara --team sales >/dev/null
lb --as mia campaign add Expo --channel event --cost 1000 >/dev/null
L1=$(lb --as mia lead add --name Ann --campaign Expo --value 5000)
L2=$(lb --as mia lead add --name Ben --campaign Expo --phone 1)
L3=$(lb --as mia lead add --name Cat --campaign Expo)
L4=$(lb --as mia lead add --name Dan --campaign Expo)
L5=$(lb --as mo lead add --name Eve)

at 2026-11-16T09:00:00Z
for l in $L1 $L2; do lb --as mia handoff "$l" --to bob >/dev/null; done
for l in $L3 $L5; do lb --as mia handoff "$l" --to cara >/dev/null; done

# Speed to lead: L1 called 3 minutes after the hand-off, L2 40 minutes,
# L5 27 hours, L3 never (rejected).
at 2026-11-16T09:01:00Z
lb --as bob accept "$L1" >/dev/null
lb --as cara accept "$L5" >/dev/null
at 2026-11-16T09:03:00Z
lb --as bob log "$L1" --outcome connected >/dev/null
at 2026-11-16T09:10:00Z
lb --as bob accept "$L2" >/dev/null
at 2026-11-16T09:40:00Z
lb --as bob log "$L2" --outcome voicemail >/dev/null

# ---- a hand-off rejected with a rating ----
at 2026-11-16T10:00:00Z
what "reject --stars 7 is refused, nothing written"
expect_error_unchanged 2 "stars" lb --as cara reject "$L3" --reason "no budget" --stars 7
what "reject --reason-tag nope is refused, nothing written"
expect_error_unchanged 2 "reason" lb --as cara reject "$L3" --reason "no budget" --reason-tag nope
what "cara rejects L3 with 2 stars and a tag"
expect_exit 0 lb --as cara reject "$L3" --reason "no budget this year" --stars 2 --reason-tag budget
expect_eq "the lead carries the stars" 2 "$(sql "SELECT stars FROM leads WHERE id = $L3")"
what "the rejection is in marketing's inbox with its reason"
expect_grep "^[0-9]*,$L3,Cat,Expo,cara,2,budget,no budget this year,.*,rejection\$" \
  csv --as mia feedback list
FID=$(sql "SELECT id FROM ratings WHERE kind = 'rejection' AND lead_id = $L3")

at 2026-11-16T11:00:00Z
what "marketing answers the rejection"
expect_exit 0 lb --as mia feedback review "$FID" --reply "we will qualify budget first"
expect_eq "one reply unseen by cara" 1 \
  "$(sql "SELECT count(*) FROM ratings WHERE id = $FID AND reply_seen_at IS NULL")"
what "bob does not see cara's feedback"
expect_no_grep "no budget" csv --as bob feedback list
what "cara sees her rejection with marketing's reply"
expect_grep "no budget this year,.*,mia,.*,we will qualify budget first,rejection\$" \
  csv --as cara feedback list
expect_eq "and the reply is marked seen" 0 \
  "$(sql "SELECT count(*) FROM ratings WHERE id = $FID AND reply_seen_at IS NULL")"

at 2026-11-17T12:00:00Z
lb --as cara log "$L5" --outcome connected >/dev/null
lb --as bob move "$L1" won >/dev/null

# ---- the new reports, by hand ----
# bob: L1 3 min (180 s), L2 40 min (2400 s): median (180+2400)/2 s = 21.5
#   min, rounded half up 22; one within 5 min, one within the hour.
# cara: L5 27 h = 1620 min, later; L3 never.
# all: 180, 2400, 97200 s: median 2400 s = 40 min.
what "report speed"
expect_out "owner,handoffs,touched,median_minutes,within_5m,within_1h,within_24h,later,never
bob,2,2,22,1,1,0,0,0
cara,2,1,1620,0,0,0,1,1
all,4,3,40,1,1,0,1,1" csv report speed
# mia: 4 leads, 3 handed off (L1 L2 L3), 2 accepted, 1 rejected (1/3 =
# 0.33), the only rating L3's 2 stars, L1 won for 5000.
# mo: L5 handed off and accepted, no rating, nothing won.
what "report marketers"
expect_out "marketer,leads,handed_off,accepted,rejected,rejection_rate,avg_rating,won,revenue
mia,4,3,2,1,0.33,2.00,1,5000.00
mo,1,1,1,0,0.00,,0,0.00" csv report marketers

# ---- a rep rates at hand-off, and corrects contact details ----
at 2026-11-18T09:00:00Z
lb --as mia handoff "$L4" --to bob >/dev/null
what "bob rates L4 the moment it arrives"
expect_out_re '^[0-9]+$' lb --as bob rate "$L4" 4 --reason fit
what "bob fixes L2's phone after a wrong_contact call"
expect_exit 0 lb --as bob lead edit "$L2" --phone "+1 555 0100" --email ben@right.test
expect_eq "the phone is fixed" "+1 555 0100" "$(sql "SELECT phone FROM leads WHERE id = $L2")"
expect_eq "and audited" 2 \
  "$(sql "SELECT count(*) FROM events WHERE lead_id = $L2 AND action = 'edit'")"
what "but not its name"
expect_error_unchanged 3 "contact|email, phone" lb --as bob lead edit "$L2" --name Benjamin
what "nor cara, who does not own it"
expect_error_unchanged 3 "" lb --as cara lead edit "$L2" --phone 2

# ---- a due date in New York ----
at 2026-11-30T15:00:00Z
TZ=America/New_York lb --as bob log "$L2" --outcome no_answer --due 2026-12-02 >/dev/null
expect_eq "due at the end of 2026-12-02 in New York" "2026-12-03T04:59:59Z" \
  "$(sql "SELECT next_due_at FROM leads WHERE id = $L2")"
at 2026-12-02T14:00:00Z # 09:00 in New York, the stand-up
what "not overdue at the stand-up on its day"
TZ=America/New_York expect_no_grep "^overdue_followup,$L2," csv report standup
what "shown as its local day in the table"
TZ=America/New_York expect_grep "2026-12-02 23:59" lb --format table lead show "$L2"
what "the timeline's follow-up gives its due in local time too"
TZ=America/New_York expect_grep "no_answer; due 2026-12-02 23:59\$" lb --format table lead show "$L2"
at 2026-12-03T14:00:00Z
what "overdue the next morning"
TZ=America/New_York expect_grep "^overdue_followup,$L2,Ben,bob,due 2026-12-02\$" \
  csv report standup
what "relative dates: --due tomorrow"
TZ=Asia/Tokyo expect_exit 0 lb --as bob log "$L2" --outcome no_answer --due tomorrow
# 14:00Z on 12-03 is 23:00 on 12-03 in Tokyo: tomorrow ends 12-04 23:59:59 +09:00.
expect_eq "tomorrow in Tokyo" "2026-12-04T14:59:59Z" \
  "$(sql "SELECT next_due_at FROM leads WHERE id = $L2")"

# ---- recycled with a date to revisit ----
at 2026-12-03T15:00:00Z
what "--revisit in the past is refused"
expect_error_unchanged 2 "revisit" lb --as bob move "$L2" nurture --reason later --revisit yesterday
what "--revisit with a date that is none: the date and what to type, said once"
expect_error_unchanged 2 "^leadboard: --revisit: invalid date 'soonish': use YYYY-MM-DD" \
  lb --as bob move "$L2" nurture --reason later --revisit soonish
what "--revisit only with nurture"
expect_error_unchanged 2 "revisit" lb --as bob move "$L2" qualified --revisit +2w
what "bob recycles L2 until 2026-12-10"
expect_grep "^lead $L2 moved to nurture; revisit 2026-12-10\$" \
  lb --as bob move "$L2" nurture --reason "budget in Q1" --revisit 2026-12-10
what "lead show says when it comes back"
expect_grep "revisit.*2026-12-10 00:00" lb --format table lead show "$L2"
expect_grep '"revisit_at": *"2026-12-10T00:00:00Z"' lb --format json lead show "$L2"
what "its timeline says so in words, not as a column name"
expect_grep "revisit[[:space:]]bob[[:space:]]to revisit on 2026-12-10\$" lb --format tsv lead show "$L2"
expect_no_grep "revisit_at" lb --format tsv lead show "$L2"
at 2026-12-09T09:00:00Z
what "not due before its date"
expect_no_grep "^revisit_due," csv report standup
at 2026-12-10T09:00:00Z
what "back to its marketer on its date"
expect_grep "^revisit_due,$L2,Ben,,revisit 2026-12-10: budget in Q1\$" csv report standup

# ---- the stand-up on a Monday covers Friday ----
at 2026-12-11T15:00:00Z # Friday
lb --as cara log "$L5" --outcome voicemail --note "left a message" >/dev/null
at 2026-12-14T09:00:00Z # Monday
what "Monday's stand-up shows Friday's call"
expect_grep "^calls,$L5,Eve,cara,call voicemail: left a message\$" csv report standup
at 2026-12-15T09:00:00Z # Tuesday
what "Tuesday's does not"
expect_no_grep "^calls,$L5," csv report standup

# ---- the rejection-rate alarm ----
expect_eq "alarm.rejection_rate defaults to 0.30" "0.30" \
  "$(sql "SELECT value FROM settings WHERE key = 'alarm.rejection_rate'")"
what "a manager sets the alarm"
expect_exit 0 lb --as boss setting set alarm.rejection_rate 0.5
expect_eq "kept as 0.50" "0.50" "$(sql "SELECT value FROM settings WHERE key = 'alarm.rejection_rate'")"
for bad in 1.5 abc 0.555 2 0. 1.01; do
  what "alarm.rejection_rate '$bad' is refused, nothing written"
  expect_error_unchanged 2 "ratio" lb --as boss setting set alarm.rejection_rate "$bad"
done
what "marketing may not set it"
expect_error_unchanged 3 "" lb --as mia setting set alarm.rejection_rate 0.4

# ---- a long reply reaches the rep whole, in a table too ----
LONG="we will qualify budget on the form before any hand-off, from the next campaign on"
lb --as mia feedback review "$FID" --reply "$LONG" >/dev/null
what "the rep's feedback table shows the whole reply"
expect_grep "$LONG" lb --format table --as cara feedback list

finish
