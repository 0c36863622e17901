# shellcheck shell=bash
# make bench ENGINE=postgresql (issue 16): the same figures on PostgreSQL,
# sourced by bench.sh after its SQLite figures.  The SQLite bench board is
# copied onto a private server (tests/pg_server.sh) with `leadboard copy`,
# so both engines hold the same data on the same machine; each figure is
# printed next to its PostgreSQL target and, as the baseline, SQLite's
# figure from this run (or psql's \copy for the import).
. "$(dirname "$0")/../pg_server.sh"
echo
echo "PostgreSQL $("${_PG_PSQL:-psql}" --version | awk '{print $3}'), the same $LEADS leads"
pg_server_start "$dir/pg" || { echo "PostgreSQL: no server could be started"; return 0; }
trap 'pg_server_stop; [ -n "${BENCH_DIR:-}" ] || rm -rf "$dir"' EXIT
pgfig() { awk -F'\t' -v k="$1" '$1 == k {print $2}' "$figs"; }
pg_createdb bench
url=$(pg_url bench)
t0=$(ms); "$LEADBOARD" --db "$db" copy "$url" >/dev/null || { echo "copy failed"; return 0; }; t1=$(ms)
row "copy the board SQLite -> PostgreSQL" "$((t1 - t0)) ms" "(no target)" "demo on SQLite ${demo_ms} ms"
pg_psql bench -c "ANALYZE" >/dev/null 2>&1 # the planner's statistics, as autovacuum would gather

board "$url" > "$dir/t.pg"
ff=$(val first_frame_ms "$dir/t.pg"); kp=$(p99 "$dir/t.pg"); rss=$(val peak_rss_kb "$dir/t.pg")
row "pg: board first frame (120x40)" "${ff} ms" "<= 150 ms" "SQLite $(pgfig first_frame_ms) ms"
verdict pg_first_frame "$(awk -v x="$ff" 'BEGIN{print (x <= 150)}')"
row "pg: board p99 key-to-frame" "${kp} ms" "<= 20 ms" "SQLite $(pgfig key_p99_ms) ms"
verdict pg_key_p99 "$(awk -v x="$kp" 'BEGIN{print (x <= 20)}')"
row "pg: board: key to its numbers, p50/max" "$(cnt "$dir/t.pg")" "(as SQLite)" "SQLite max $(pgfig view_numbers_max_ms) ms"
row "pg: board peak memory" "$((rss / 1024)) MB" "<= 50 MB" "SQLite $(pgfig peak_mb) MB"

for rep in funnel campaigns sla standup goals speed marketers assets; do
  for per in default all-time; do
    if [ $per = default ]; then args=(); else args=(--since 2000-01-01); fi
    rep_ms=$(best_of 3 "$LEADBOARD" --db "$url" --format csv report "$rep" "${args[@]}")
    row "pg: report $rep ($per)" "${rep_ms} ms" "<= 500 ms" "SQLite $(pgfig "report_${rep}_${per}_ms") ms"
    verdict "pg_report_${rep}_$per" "$([ "$rep_ms" -le 500 ] && echo 1 || echo 0)"
  done
done
list_ms=$(best_of 3 "$LEADBOARD" --db "$url" --format csv list --stage qualified)
row "pg: list --stage qualified --format csv" "${list_ms} ms" "(no target)" "SQLite $(pgfig list_ms) ms"

# 100,000 rows: ours against psql's \copy of the same rows (already in the
# table's columns) into the same table and indexes of an empty board.
if [ -n "${csv:-}" ] && [ -s "$csv" ]; then
  rows=$dir/pg_rows.csv
  python3 - "$csv" "$rows" <<'PY'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f, open(sys.argv[2], "w", newline="") as g:
    r = csv.reader(f); next(r); w = csv.writer(g)
    for first, last, email, company, title, phone, amount in r:
        w.writerow([f"{first} {last}", company, title, email, phone, round(float(amount) * 100),
                    "nurture", "2026-11-20T09:00:00Z", "2026-11-20T09:00:00Z", "2026-11-20T09:00:00Z"])
PY
  n=0 ours_ms=999999999 copy_ms=999999999
  for _ in 1 2 3; do
    n=$((n + 1))
    pg_createdb "imp$n"; pg_createdb "cp$n"
    "$LEADBOARD" --db "$(pg_url "imp$n")" --as m user add m --team manager >/dev/null
    t0=$(ms); "$LEADBOARD" --db "$(pg_url "imp$n")" --as m import "$csv" >/dev/null || echo "import failed" >&2; t1=$(ms)
    [ $((t1 - t0)) -lt "$ours_ms" ] && ours_ms=$((t1 - t0))
    "$LEADBOARD" --db "$(pg_url "cp$n")" init >/dev/null
    t0=$(ms)
    pg_psql "cp$n" -v ON_ERROR_STOP=1 -c "\\copy leads(name, company, title, email, phone, value, stage, created_at, stage_at, updated_at) FROM '$rows' WITH (FORMAT csv)" >/dev/null || echo "psql \\copy failed" >&2
    t1=$(ms)
    [ $((t1 - t0)) -lt "$copy_ms" ] && copy_ms=$((t1 - t0))
  done
  row "pg: import 100,000 rows" "${ours_ms} ms" "<= 2x" "psql \\copy ${copy_ms} ms (SQLite import $(pgfig import_ms) ms)"
  verdict pg_import "$(awk -v a="$ours_ms" -v b="$copy_ms" 'BEGIN{print (a <= 2 * b)}')"
fi
pg_server_stop
trap '[ -n "${BENCH_DIR:-}" ] || rm -rf "$dir"' EXIT
