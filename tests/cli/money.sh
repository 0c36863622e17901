#!/usr/bin/env bash
# Money as people type and read it (issue 15): "12,000" and "12,500.50" are
# accepted wherever an amount is, a comma that is not a thousands separator
# is refused with one line and nothing written, and the table shows ROI as a
# percentage while csv, tsv and json keep the ratio.
. "$(dirname "$0")/lib.sh"
require_binary

lb --as boss user add boss --team manager >/dev/null
lb --as boss user add ana --team marketing >/dev/null
lb --as boss user add bob --team sales >/dev/null

what "campaign add --cost 12,000"
expect_exit 0 lb --as ana campaign add Expo --channel event --cost 12,000
expect_grep '^Expo,event,12000\.00,' lb --format csv campaign list

what "lead add --value 12,500.50"
L=$(lb --as ana lead add --name Ada --campaign Expo --value 12,500.50)
expect_eq "the value is stored in cents" 1250050 "$(sql "SELECT value FROM leads WHERE id = $L")"

what "lead edit --value 1,234,567.8"
expect_exit 0 lb --as ana lead edit "$L" --value 1,234,567.8
expect_eq "the edited value" 123456780 "$(sql "SELECT value FROM leads WHERE id = $L")"

what "goal set --revenue 100,000"
expect_exit 0 lb --as boss goal set 2026-Q4 --revenue 100,000
expect_grep '^2026-Q4,100000\.00,' lb --as boss --format csv report goals

for bad in 12,00 1,0000 1000,000 ,500 '1,000,' 1.000,50 '1, 000'; do
  what "--value '$bad' is refused, nothing written"
  expect_error_unchanged 2 "invalid amount .*12,500" lb --as ana lead edit "$L" --value "$bad"
done

# ROI: (revenue - cost) / cost.  One won lead of 60,000 against a cost of
# 12,000 is a ratio of 4.00, that is 400 %.
lb --as boss lead edit "$L" --value 60000 >/dev/null
lb --as ana handoff "$L" --to bob >/dev/null
lb --as bob accept "$L" >/dev/null
lb --as bob move "$L" won >/dev/null
what "the table shows ROI as a percentage"
expect_grep '^Expo .* 12,000\.00 .* 60,000\.00 .* 400%$' lb --as boss --format table report campaigns
what "markdown too"
expect_grep '^\| Expo \|.*\| 400% \|$' lb --as boss --format md report campaigns
what "csv keeps the ratio"
expect_grep '^Expo,event,12000\.00,.*,60000\.00,.*,4\.00'$'\r$' lb --as boss --format csv report campaigns
what "json keeps the ratio as a number"
expect_grep '"roi": 4\.00' lb --as boss --format json report campaigns

# The stand-up's won section: its amount in the money format of the table
# (and of the board's Stand-up view), plain in csv (issue 15).
what "the stand-up table shows the won value grouped"
expect_grep '^won .* 60,000\.00$' lb --as boss --format table report standup
what "the stand-up csv keeps it plain"
expect_grep '^won,[0-9]*,Ada,bob,60000\.00'$'\r$' lb --as boss --format csv report standup

# Reason tags and outcomes as people say them in the table, their names in
# csv (issue 15: no internal names in what people read).
lb --as bob rate "$L" 2 --reason contact_data --comment "wrong number" >/dev/null
what "the stand-up table names the reason tags by their labels"
expect_grep '^new_feedback .* 2/5 contact data: wrong number$' lb --as boss --format table report standup
what "the stand-up csv keeps their names"
expect_grep '^new_feedback,[0-9]*,Ada,bob,2/5 contact_data: wrong number'$'\r$' lb --as boss --format csv report standup

finish
