#!/usr/bin/env bash
# The board starts, moves around, opens every view and quits with no memory
# error and no definite leak under valgrind.  (In the -fsanitize build,
# AddressSanitizer checks the same things and valgrind cannot run: SKIP.)
set -u
LEADBOARD=${LEADBOARD:-/work/main/_build/leadboard}
if grep -q __asan_init "$LEADBOARD" 2>/dev/null; then
  echo "SKIP: sanitized build (AddressSanitizer checks memory there)"; exit 77
fi
if ! command -v valgrind >/dev/null; then
  echo "valgrind is not installed (./quickstart installs it)"; exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LEADBOARD_NOW=2026-11-20T09:00:00Z LC_ALL=C.UTF-8
"$LEADBOARD" --db "$work/b.db" demo --leads 60 >/dev/null || exit 1
printf '%s\n' j l j Enter q 2 j 3 j 4 5 n ? q / Zo Esc c Esc 1 q > "$work/keys"
valgrind -q --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite \
  --show-leak-kinds=definite "$LEADBOARD" --db "$work/b.db" --as bob --replay "$work/keys" \
  --size 100x30 --dump-screen "$work/s" 2>"$work/vg"
rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$work/vg" ]; then
  echo "1 passed, 0 failed"
else
  cat "$work/vg"; echo "exit $rc"; echo "0 passed, 1 failed"; exit 1
fi
