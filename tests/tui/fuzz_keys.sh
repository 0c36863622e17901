#!/usr/bin/env bash
# Random key sequences (every bound key, text with wide characters, control
# keys, mouse events, resizes down to 1x1) through the real board with
# --replay.  A run fails when the board exits with anything but 0, or the
# database is not intact afterwards; the failing key file is kept and its
# seed printed.
#   FUZZ_RUNS (default 12) runs of FUZZ_KEYS (default 250) keys each, from
#   FUZZ_SEED (default 1: `make check` runs the same keys every time, so a
#   failure there can be reproduced); FUZZ_SEED=random draws a new seed, as
#   `make fuzz-keys` does (it runs many more, on the sanitized build).
set -u
LEADBOARD=${LEADBOARD:-/work/main/_build/leadboard}
RUNS=${FUZZ_RUNS:-12} KEYS=${FUZZ_KEYS:-250} SEED=${FUZZ_SEED:-1}
if [ "$SEED" = random ]; then SEED=$RANDOM; fi
case $SEED in '' | *[!0-9]*) echo "FUZZ_SEED must be a number or 'random'"; exit 1 ;; esac
echo "# seed $SEED (FUZZ_SEED=$SEED repeats these runs)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LEADBOARD_NOW=2026-11-20T09:00:00Z LC_ALL=C.UTF-8
unset LEADBOARD_DB LEADBOARD_USER
db=$work/board.db
"$LEADBOARD" --db "$db" demo --leads 300 --seed 7 >/dev/null || { echo "demo failed"; exit 1; }
users=(maria ana bob cara nobody)
fail=0 pass=0
for run in $(seq "$RUNS"); do
  seed=$((SEED * 1000 + run))
  python3 - "$seed" "$KEYS" > "$work/keys" <<'PY'
import random, sys
r = random.Random(int(sys.argv[1]))
named = ["Enter", "Esc", "Tab", "BTab", "Backspace", "Del", "Up", "Down", "Left", "Right",
         "Home", "End", "PgUp", "PgDn", "Space", "C-s", "C-r", "C-u", "C-a", "C-e", "C-l", "F1",
         "C-c"]
letters = list("hjklgGHLnNetARcrmwx/fU?q123456npsv") + list("abdiouyzBCDEFIJKMNOPQSTVWXYZ0!@#-_.,")
texts = ["Zoë", "北京科技", "José \"Pepe\" Núñez", "a,b;c", "12,50", "9999999999999999", "2026-13-40",
         "x" * 300, "Ünïcødé 😀", "-", ""]
out = []
for _ in range(int(sys.argv[2])):
    k = r.random()
    if k < 0.45:
        out.append(r.choice(letters))
    elif k < 0.80:
        out.append(r.choice(named))
    elif k < 0.92:
        out.append(r.choice(texts) or "z")
    elif k < 0.96:
        out.append("mouse %s %d %d" % (r.choice(["click", "double", "wheel-up", "wheel-down"]),
                                       r.randrange(0, 260), r.randrange(0, 70)))
    else:
        out.append("resize %dx%d" % (r.choice([1, 3, 20, 39, 40, 80, 120, 250]),
                                     r.choice([1, 2, 9, 10, 24, 60])))
print("\n".join(out))
PY
  user=${users[$((run % ${#users[@]}))]}
  "$LEADBOARD" --db "$db" --as "$user" --replay "$work/keys" --size 80x24 \
    --dump-screen "$work/screen" >"$work/out" 2>"$work/err"
  rc=$?
  if [ "$rc" -ne 0 ]; then
    fail=$((fail + 1))
    cp "$work/keys" "${TMPDIR:-/tmp}/leadboard-fuzz-keys-$seed.txt"
    echo "FAIL: run $run (seed $seed, as $user): exit $rc; keys kept in ${TMPDIR:-/tmp}/leadboard-fuzz-keys-$seed.txt"
    head -5 "$work/err"
  else
    pass=$((pass + 1))
  fi
done
if [ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ]; then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL: the database is damaged after the runs"; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
