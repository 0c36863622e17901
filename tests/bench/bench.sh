#!/usr/bin/env bash
# make bench: the targets of doc/product.md section 7, each printed next to its
# figure and a baseline measured in the same run.  Not part of make check.
#   LEADS=1000000 (default) the size of the demo database; BENCH_DIR keeps
#   the databases between runs (default: a temporary folder).
set -u
LEADBOARD=${LEADBOARD:-$(pwd)/leadboard}
LEADS=${LEADS:-1000000}
dir=${BENCH_DIR:-$(mktemp -d)}
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$dir"' EXIT
export LEADBOARD_NOW=2026-11-20T09:00:00Z LC_ALL=C.UTF-8
unset LEADBOARD_DB LEADBOARD_USER
db=$dir/bench.db

ms() { local ns; ns=$(date +%s%N); echo $((ns / 1000000)); }
# best_of N CMD...: the fastest of N runs, in ms (output discarded)
best_of() {
  local n=$1 best=999999999 t0 t1; shift
  for _ in $(seq "$n"); do
    t0=$(ms); "$@" >/dev/null 2>&1; t1=$(ms)
    [ $((t1 - t0)) -lt "$best" ] && best=$((t1 - t0))
  done
  echo "$best"
}
row() { printf '%-44s %12s   target %-14s baseline %s\n' "$1" "$2" "$3" "$4"; }
verdict() { # verdict NAME OK? — collected for the summary
  if [ "$2" = 1 ]; then met=$((met + 1)); else missed=$((missed + 1)); missed_names="$missed_names $1"; fi
}
met=0 missed=0 missed_names=""

echo "leadboard bench: $LEADS leads in $db ($(nproc) cores)"
echo

# 1. demo: the whole company in one transaction
if [ ! -s "$db" ]; then
  t0=$(ms); "$LEADBOARD" --db "$db" demo --leads "$LEADS" >/dev/null || exit 1; t1=$(ms)
  demo_ms=$((t1 - t0))
else
  demo_ms=0
  echo "(reusing $db; demo not timed)"
fi
# baseline: the sqlite3 shell inserting as many bare rows into the same table
base=$dir/base.db; rm -f "$base"*
"$LEADBOARD" --db "$base" init >/dev/null
t0=$(ms)
sqlite3 "$base" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $LEADS)
  INSERT INTO leads(name, company, stage, created_at, stage_at, updated_at)
  SELECT 'Lead ' || i, 'Company ' || (i % 1000), 'nurture', '2026-01-01T00:00:00Z',
         '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;" || exit 1
t1=$(ms); base_demo=$((t1 - t0))
[ "$demo_ms" -gt 0 ] && row "demo --leads $LEADS" "${demo_ms} ms" "<= 60000 ms" "sqlite3 bare inserts ${base_demo} ms" &&
  verdict demo "$([ "$demo_ms" -le 60000 ] && echo 1 || echo 0)"
counts=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM leads) || ' leads, ' || (SELECT count(*) FROM followups) || ' follow-ups, ' || (SELECT count(*) FROM ratings) || ' ratings, ' || (SELECT count(*) FROM events) || ' events'")
echo "  ($counts; $(du -h "$db" | cut -f1) on disk)"

# 2. the board: first frame, per-key latency, peak memory (a big and a small database)
keys=$dir/keys
{ for _ in $(seq 20); do echo j; done; echo l; for _ in $(seq 20); do echo j; done
  echo G; echo g; echo l; echo PgDn; echo PgDn; echo PgUp; echo Enter; echo q; echo h; echo k
  for _ in $(seq 20); do echo l; echo j; echo h; echo k; done
  # every view, a person at a time in the stand-up, a search typed and cleared
  echo 2; echo j; echo j; echo 3; echo j; echo 4; echo 5; echo n; echo n; echo p; echo 1
  echo /; echo Ana; echo Enter; echo j; echo l; echo Esc
  for _ in $(seq 5); do echo Tab; done; echo 1; } > "$keys"
small=$dir/small.db; rm -f "$small"*
"$LEADBOARD" --db "$small" demo --leads 100 >/dev/null
board() { "$LEADBOARD" --db "$1" --as maria --replay "$keys" --size 120x40 --timings; }
board "$db" > "$dir/t.big"; board "$small" > "$dir/t.small"
val() { awk -v k="$1" '$1 == k {print $2}' "$2"; }
p99() { awk '$1 == "keys" {print $6}' "$1"; }
ff=$(val first_frame_ms "$dir/t.big"); ffs=$(val first_frame_ms "$dir/t.small")
row "board first frame (120x40)" "${ff} ms" "<= 100 ms" "100-lead db ${ffs} ms"
verdict first_frame "$(awk -v x="$ff" 'BEGIN{print (x <= 100)}')"
kp=$(p99 "$dir/t.big"); kps=$(p99 "$dir/t.small")
row "board p99 key-to-frame ($(awk '$1=="keys"{print $2}' "$dir/t.big") keys)" "${kp} ms" "<= 10 ms" "100-lead db ${kps} ms"
verdict key_p99 "$(awk -v x="$kp" 'BEGIN{print (x <= 10)}')"
# Report views and filtered counts are counted in the background (the key's
# frame comes at once, with "Counting..."): how long until the numbers show.
cnt() { awk '$1 == "counted" {printf "%.0f/%.0f ms", $4, $8; n = $2} END {if (!n) printf "-"}' "$1"; }
row "board: key to its numbers, p50/max ($(awk '$1=="counted"{print $2}' "$dir/t.big") keys)" "$(cnt "$dir/t.big")" "none (counted" "100-lead db $(cnt "$dir/t.small")"
echo "$(printf '%-44s %12s   ' '' '')       in the background; the key's own frame is the row above)"
rss=$(val peak_rss_kb "$dir/t.big"); rsss=$(val peak_rss_kb "$dir/t.small")
row "board peak memory" "$((rss / 1024)) MB" "<= 50 MB" "100-lead db $((rsss / 1024)) MB"
verdict memory "$([ "$rss" -le 51200 ] && echo 1 || echo 0)"

# 3. list --stage S --format csv against the same query in the sqlite3 shell
list_ms=$(best_of 3 "$LEADBOARD" --db "$db" --format csv list --stage qualified)
sql_ms=$(best_of 3 sqlite3 -csv -header "$db" "SELECT l.id, l.name, l.company, l.title, l.email, l.phone, c.name AS campaign, printf('%.2f', l.value / 100.0) AS value, l.stage, o.login AS owner, m.login AS marketer, l.stars, l.created_at, l.stage_at FROM leads l LEFT JOIN campaigns c ON c.id = l.campaign_id LEFT JOIN users m ON m.id = l.marketer_id LEFT JOIN users o ON o.id = l.owner_id WHERE l.stage = 'qualified' ORDER BY l.id")
rows=$("$LEADBOARD" --db "$db" --format csv list --stage qualified | wc -l)
row "list --stage qualified --format csv" "${list_ms} ms" "<= 1.5x" "sqlite3 shell ${sql_ms} ms ($((rows - 1)) rows)"
verdict list "$(awk -v a="$list_ms" -v b="$sql_ms" 'BEGIN{print (a <= 1.5 * b || a <= b + 5)}')"

# 4. report campaigns
if "$LEADBOARD" help report >/dev/null 2>&1; then
  rep_ms=$(best_of 3 "$LEADBOARD" --db "$db" --format csv report campaigns)
  sqlr_ms=$(best_of 3 sqlite3 "$db" "SELECT campaign_id, count(*), sum(stage = 'won'), sum(CASE WHEN stage = 'won' THEN value END), avg(stars) FROM leads GROUP BY campaign_id")
  row "report campaigns" "${rep_ms} ms" "<= 500 ms" "sqlite3 one GROUP BY ${sqlr_ms} ms"
  verdict report "$([ "$rep_ms" -le 500 ] && echo 1 || echo 0)"
  # the reports of issue 13, each within the same target
  for rep in speed marketers standup; do
    rep_ms=$(best_of 3 "$LEADBOARD" --db "$db" --format csv report "$rep")
    row "report $rep" "${rep_ms} ms" "<= 100 ms" ""
  done
else
  echo "report campaigns: not in this build"
fi

# 5. import 100,000 rows against the sqlite3 shell's .import of the same file
# into the same table and indexes; then the same rows as Excel's "Unicode
# text" (UTF-16LE with a BOM, tab-separated), which goes through the decoder's
# slower path and the delimiter's detection, against the same baseline.
if "$LEADBOARD" help import >/dev/null 2>&1; then
  csv=$dir/import.csv
  python3 - "$csv" <<'PY'
import csv, sys
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["First Name", "Last Name", "Email", "Company", "Title", "Phone", "Amount"])
    for i in range(100000):
        w.writerow([f"Ana{i}", "Ávila, Jr." if i % 7 == 0 else "Chen", f"lead{i}@bench.test",
                    f"Company {i % 997}", "CTO", f"+1 555 {i:07d}", f"{(i % 90 + 1) * 500}.00"])
PY
  u16=$dir/import_utf16.txt
  python3 - "$csv" "$u16" <<'PY'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f, \
     open(sys.argv[2], "w", newline="", encoding="utf-16") as g:  # "utf-16": a BOM, then LE
    w = csv.writer(g, delimiter="\t", lineterminator="\r\n")
    for r in csv.reader(f):
        w.writerow(r)
PY
  # Each side three times into a fresh database, the best of each kept
  # (this machine's speed varies by 10-20% from one run to the next).
  ours() {
    imp=$dir/imp.db; rm -f "$imp"*
    "$LEADBOARD" --db "$imp" --as m user add m --team manager >/dev/null
    t0=$(ms); "$LEADBOARD" --db "$imp" --as m import "$1" >/dev/null || echo "import failed" >&2; t1=$(ms)
    echo $((t1 - t0))
  }
  theirs() {
    shell=$dir/shell.db; rm -f "$shell"*
    "$LEADBOARD" --db "$shell" init >/dev/null
    t0=$(ms)
    sqlite3 "$shell" <<SQL
.import --csv $csv raw
INSERT INTO leads(name, company, title, email, phone, value, stage, created_at, stage_at, updated_at)
SELECT "First Name" || ' ' || "Last Name", Company, Title, Email, Phone,
       CAST(round(Amount * 100) AS INTEGER), 'nurture', '2026-11-20T09:00:00Z',
       '2026-11-20T09:00:00Z', '2026-11-20T09:00:00Z' FROM raw;
SQL
    t1=$(ms); echo $((t1 - t0))
  }
  imp_ms=999999999 shell_ms=999999999 u16_ms=999999999
  for _ in 1 2 3; do
    t=$(ours "$csv"); [ "$t" -lt "$imp_ms" ] && imp_ms=$t
    t=$(ours "$u16"); [ "$t" -lt "$u16_ms" ] && u16_ms=$t
    t=$(theirs); [ "$t" -lt "$shell_ms" ] && shell_ms=$t
  done
  row "import 100,000 rows" "${imp_ms} ms" "<= 1.5x" "sqlite3 .import + INSERT ${shell_ms} ms"
  verdict import "$(awk -v a="$imp_ms" -v b="$shell_ms" 'BEGIN{print (a <= 1.5 * b)}')"
  row "import 100,000 rows, UTF-16LE + tabs" "${u16_ms} ms" "<= 1.5x" "the same, of the UTF-8 file"
  verdict import_utf16 "$(awk -v a="$u16_ms" -v b="$shell_ms" 'BEGIN{print (a <= 1.5 * b)}')"

  # 6. a big file streams: peak memory importing BIG_MB (default 1024; 0 to
  # skip) MB of leads whose notes are long (an email thread each), against the
  # 100,000-row import's.  Generated here, removed after.
  big_mb=${BIG_MB:-1024}
  if [ "$big_mb" -gt 0 ] && [ -x /usr/bin/time ]; then
    big=$dir/big.csv
    python3 - "$big" "$big_mb" <<'PY'
import sys
path, mb = sys.argv[1], int(sys.argv[2])
note = ("Re: pricing for next quarter; \"as discussed\", see below. " * 16)[:940]
with open(path, "w", newline="", encoding="utf-8") as f:
    f.write("First Name,Last Name,Email,Company,Description\r\n")
    i, size, limit = 0, 0, mb << 20
    while size < limit:
        line = f"Big{i},Núñez,big{i}@bench.test,Company {i % 997},\"{note.replace(chr(34), chr(34) * 2)} #{i}\"\r\n"
        f.write(line)
        size += len(line.encode())
        i += 1
PY
    rows_big=$(($(wc -l <"$big") - 1))
    peak() { # peak FILE: the import's peak RSS in kB, and its time in ms
      local imp=$dir/peak.db; rm -f "$imp"*
      "$LEADBOARD" --db "$imp" --as m user add m --team manager >/dev/null
      t0=$(ms)
      /usr/bin/time -f %M -o "$dir/rss" "$LEADBOARD" --db "$imp" --as m import "$1" >/dev/null || echo "import failed" >&2
      t1=$(ms)
      echo "$(cat "$dir/rss") $((t1 - t0))"
      rm -f "$imp"*
    }
    read -r small_kb _ <<<"$(peak "$csv")"
    read -r big_kb big_ms <<<"$(peak "$big")"
    # Bounded: the decoder's and the CSV reader's buffers are fixed, and the
    # import's pages live in SQLite's caches (64 MB for the board, 64 MB for
    # the staged rows), which a big file fills and a small one may not; so
    # the bound is theirs, 128 MB, whatever the file's size.
    row "import ${big_mb} MB ($rows_big rows): peak memory" "$((big_kb / 1024)) MB" "<= 128 MB" "100,000-row file $((small_kb / 1024)) MB"
    verdict import_memory "$([ "$big_kb" -le 131072 ] && echo 1 || echo 0)"
    row "import ${big_mb} MB: time" "$((big_ms / 1000)) s" "" "$(awk -v m="$big_mb" -v t="$big_ms" 'BEGIN{printf "%.0f MB/s", m / (t / 1000)}')"
    rm -f "$big"
  fi
else
  echo "import: not in this build"
fi

echo
echo "targets met: $met, missed: $missed${missed_names:+ ($missed_names )}"
