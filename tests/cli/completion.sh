#!/usr/bin/env bash
# Bash completion (issue 15): completion/leadboard.bash, sourced in bash,
# offers the commands, each command's options and the words its arguments
# allow, read from the program itself, and logins and campaign names from
# the database on the command line, quoted so a name with spaces stays one
# word; it never creates a database.
. "$(dirname "$0")/lib.sh"
require_binary

COMPLETION=$TESTS_DIR/../completion/leadboard.bash
if ! . "$COMPLETION"; then
  echo "not ok 1 - $COMPLETION can be sourced"
  exit 1
fi
run complete -p leadboard
expect_eq "it registers itself for leadboard" "complete -F _leadboard leadboard" "$OUT"

lb --as max user add max --team manager >/dev/null
lb --as max user add bob --team sales >/dev/null
lb --as max user add bea --team sales >/dev/null
lb --as max user add ana --team marketing >/dev/null
lb --as ana campaign add "Spring Expo" --channel event >/dev/null
lb --as ana campaign add "Spring Sale" --channel paid >/dev/null
lb --as ana campaign add "O'Brien \"Deals\" Día" --channel other >/dev/null
lb --as ana campaign add 'Back\slash\t' --channel other >/dev/null

# complete WORD...: the completions of the last WORD (the command line so
# far), one per line as the shell would insert them.
complete_line() {
  COMP_WORDS=("$LEADBOARD" "$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE="${COMP_WORDS[*]}"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _leadboard
  printf '%s\n' "${COMPREPLY[@]}"
}
# expect_completion DESC EXPECTED WORD...: exactly EXPECTED (sorted, one
# per line).
expect_completion() {
  local d=$1 want=$2
  shift 2
  expect_eq "$d" "$(printf '%s\n' "$want" | sort)" "$(complete_line "$@" | sort)"
}

first_words=$(lbx help --list commands | sed 's/ .*//' | sort -u)
expect_ne "the program lists commands" "" "$first_words"
expect_completion "the first word: every command" "$first_words" ''
expect_completion "l: lead, list, log" $'lead\nlist\nlog' l
expect_completion "lead: its three commands" $'add\nedit\nshow' lead ''
expect_completion "feedback r: review" review feedback r
expect_completion "global options" \
  $'--db\n--as\n--format\n--help\n--version\n--replay\n--size\n--dump-screen\n--timings' --
expect_completion "an option of the command" $'--outcome' --db "$DB" log 3 --ou
expect_completion "--format: the formats" "$(lbx help --list formats)" --format ''
expect_completion "move ID: the stages" "$(lbx help --list stages)" move 3 ''
expect_completion "move ID q: qualified" qualified move 3 q
expect_completion "an option's value does not count as an argument" qualified move --value 5 3 q
expect_completion "log --outcome n" $'no_answer\nnot_interested' log 3 --outcome n
expect_completion "log --kind" "$(lbx help --list kinds)" log 3 --kind ''
expect_completion "campaign add --channel" "$(lbx help --list channels)" campaign add X --channel ''
expect_completion "user add --team" "$(lbx help --list teams)" user add zoe --team ''
expect_completion "rate --reason: the reason tags" "$(lbx help --list reasons)" rate 3 4 --reason ''
expect_completion "reject --reason is free text" "" reject 3 --reason ''
expect_completion "rate ID: the stars" $'1\n2\n3\n4\n5' rate 3 ''
expect_completion "import --on-duplicate: from its usage" $'skip\nupdate\nerror' import f.csv --on-duplicate ''
expect_completion "import --delimiter: the four delimiters, quoted for the shell" $'\\,\n\\;\ntab\n\\|' import f.csv --delimiter ''
expect_completion "import --encoding SHIFT: iconv's names" "$(iconv -l | tr -s ', ' '\n\n' | sed -n 's,//*$,,p' | grep '^SHIFT' | sort -u)" import f.csv --encoding SHIFT
expect_completion "import --rej: --rejects" --rejects import f.csv --rej
expect_completion "import --ca: --campaign" --campaign import f.csv --ca
expect_completion "import --dr: --dry-run" --dry-run import f.csv --dr
expect_completion "report: the reports of its usage" \
  "$(lbx help report | head -1 | sed 's/^usage: leadboard report //; s/ .*//' | tr '|' '\n')" report ''

# From the database named on the line.
expect_completion "handoff --to b: logins from --db" $'bea\nbob' --db "$DB" handoff 1 --to b
LEADBOARD_DB=$DB expect_completion "--as, from \$LEADBOARD_DB" max --as m
expect_completion "--campaign Spring: quoted for the shell" $'Spring\\ Expo\nSpring\\ Sale' \
  --db "$DB" list --campaign Spring
expect_completion "setting set: the keys of setting list" \
  "$(lb --format tsv setting list | tail -n +2 | cut -f1)" --db "$DB" setting set ''
run complete_line --db "$DB" lead add --campaign O
expect_eq "a name with quotes is one completion" 1 "$(printf '%s\n' "$OUT" | grep -c .)"
eval "back=($OUT)"
expect_eq "which the shell reads back as the name" "O'Brien \"Deals\" Día" "${back[0]-}"

run complete_line --db "$DB" lead add --campaign Back
eval "back=($OUT)"
expect_eq "tsv's escapes are undone: a backslash stays a backslash" 'Back\slash\t' "${back[0]-}"

lb --as ana asset add "Pricing sheet" --kind pricing >/dev/null
lb --as ana asset add "Product deck" --kind deck >/dev/null
expect_completion "log --used P: asset names from --db" $'Pricing\\ sheet\nProduct\\ deck' \
  --db "$DB" log 1 --used P
expect_completion "asset add --kind: the asset kinds" "$(lbx help --list asset_kinds)" asset add X --kind ''
expect_completion "no database file: no names" "" --db "$TMP/none.db" handoff 1 --to ''
expect_eq "and none is created" no "$([ -e "$TMP/none.db" ] && echo yes || echo no)"

finish
