# shellcheck shell=bash
# Helpers for the command-line tests; sourced by tests/cli/*.sh.
#
# Each script gets its own temporary directory $TMP (removed on exit; set
# KEEP_TMP=1 to keep it) and database $DB.  `lb ARGS...` runs
#     "$LEADBOARD" --db "$DB" ARGS...
# under a timeout.  Assertions run a command with stdout and stderr captured
# (stdin is /dev/null), print "ok N - ..." or "not ok N - ..." with the command,
# what was expected and what happened, and count passes and failures; `finish`
# prints "N passed, M failed" and exits non-zero when anything failed.
#
# After every assertion: RC is the exit status, OUT and ERR the captured
# stdout and stderr (trailing newlines stripped); `save_out NAME` keeps the
# exact stdout bytes as $TMP/NAME.
#
# Exit-code arguments (CODE) are a number, alternatives "1|2", or "!0" for
# any failure.
#
# The environment is pinned: no $LEADBOARD_DB / $LEADBOARD_USER from the
# caller, HOME and XDG_DATA_HOME inside $TMP, NO_COLOR, a UTF-8 locale, a
# local time zone that is not UTC (so local-time bugs show), and
# LEADBOARD_NOW set to a fixed time (change it with `at TIME`).

set -u

: "${LEADBOARD:=/work/main/_build/leadboard}"
if [ -z "${TESTS_DIR:-}" ]; then
    TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fi
export LEADBOARD TESTS_DIR

TMP=$(mktemp -d "${TMPDIR:-/tmp}/leadboard-cli.XXXXXX") || {
    echo "cannot create a temporary directory" >&2
    exit 99
}
_lb_cleanup() {
    if [ "${KEEP_TMP:-0}" = 1 ]; then
        echo "# kept $TMP" >&2
    else
        rm -rf "$TMP"
    fi
}
trap _lb_cleanup EXIT
trap 'exit 130' INT TERM

DB="$TMP/board.db"
export DB TMP

unset LEADBOARD_DB LEADBOARD_USER
mkdir -p "$TMP/home" "$TMP/xdg"
export HOME="$TMP/home" XDG_DATA_HOME="$TMP/xdg" NO_COLOR=1
# A UTF-8 locale when there is one (the binary may call setlocale).
for _loc in C.UTF-8 C.utf8 en_US.UTF-8 en_US.utf8; do
    if locale -a 2>/dev/null | grep -qix "$_loc"; then
        export LC_ALL="$_loc"
        break
    fi
done
unset _loc
# Times show in the local zone (TZ): UTC unless a test says otherwise.
export TZ=UTC

export LEADBOARD_NOW="2026-11-20T09:00:00Z"
at() { export LEADBOARD_NOW="$1"; }

PASS=0
FAIL=0
RC=0
OUT=""
ERR=""
_NEXT_DESC=""

if command -v timeout >/dev/null 2>&1; then
    _timeout() { timeout "${LB_TIMEOUT:-60}" "$@"; }
else
    _timeout() { "$@"; }
fi

# The binary on the test database.
lb() { _timeout "$LEADBOARD" --db "$DB" "$@"; }
# The binary with no --db (help, version, other database files).
lbx() { _timeout "$LEADBOARD" "$@"; }

# ENGINE=postgresql (issue 16): $DB is a fresh database on a PostgreSQL
# server instead of a file: the server given by LB_PG_HOST/LB_PG_PORT/
# LB_PG_USER, or a private one started here for this script (in the build
# folder) and stopped at its end.  Stories that look at the file itself
# ask `on_sqlite` first.
ENGINE=${ENGINE:-sqlite}
on_sqlite() { [ "$ENGINE" = sqlite ]; }
on_pg() { [ "$ENGINE" = postgresql ]; }
if on_pg; then
    # shellcheck source=../pg_server.sh
    . "$TESTS_DIR/pg_server.sh"
    if [ -z "${LB_PG_HOST:-}" ]; then
        _lb_pgdir="${LB_PG_DIR:-$PWD/tests/pg}/$(basename "$0" .sh).$$"
        pg_server_start "$_lb_pgdir" || exit 99
        trap 'pg_server_stop; _lb_cleanup' EXIT
    fi
    PGDB="lb_$(basename "$0" .sh | tr -c 'a-z0-9\n' _)_$$"
    pg_createdb "$PGDB" || exit 99
    DB=$(pg_url "$PGDB")
    export PGDB DB
fi

# SQL on the test database, either engine (or: sql_on FILE QUERY, SQLite).
sql() {
    if on_pg; then
        pg_psql "$PGDB" -At -v ON_ERROR_STOP=1 -c "$*"
    else
        sqlite3 "$DB" "$@"
    fi
}
sql_on() { sqlite3 "$@"; }
# A textual image of the whole database, to compare before/after.
dump_db() {
    if on_pg && [ -z "${1:-}" ]; then
        # every table's rows (not the sequences: a refused insert uses up ids)
        local t
        for t in $(pg_psql "$PGDB" -At -c "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"); do
            echo "-- $t"
            pg_psql "$PGDB" -c "COPY (SELECT * FROM $t ORDER BY 1) TO STDOUT" 2>&1
        done
    else
        sqlite3 "${1:-$DB}" .dump 2>&1
    fi
}

# what "label": a description for the next assertion (default: the command).
what() { _NEXT_DESC="$1"; }

_cmdstr() {
    local s="" a
    for a in "$@"; do
        s+="$(printf '%q' "$a") "
    done
    printf '%s' "${s% }"
}

# run CMD...: runs with stdout/stderr captured; sets RC, OUT, ERR.
run() {
    "$@" >"$TMP/.out" 2>"$TMP/.err" <"${RUN_STDIN:-/dev/null}"
    RC=$?
    OUT=$(cat "$TMP/.out")
    ERR=$(cat "$TMP/.err")
}

# save_out NAME: the last command's exact stdout bytes into $TMP/NAME.
save_out() { cp "$TMP/.out" "$TMP/$1"; }

_code_ok() { # _code_ok CODE RC
    local want=$1 rc=$2 alt
    if [ "$want" = "!0" ]; then
        [ "$rc" -ne 0 ]
        return
    fi
    local IFS='|'
    for alt in $want; do
        [ "$alt" = "$rc" ] && return 0
    done
    return 1
}

_show() { # _show LABEL TEXT: indented, at most 25 lines
    local label=$1 text=$2 n
    if [ -z "$text" ]; then
        printf '    %s: (empty)\n' "$label"
        return
    fi
    printf '    %s:\n' "$label"
    n=$(printf '%s\n' "$text" | wc -l)
    printf '%s\n' "$text" | head -n 25 | sed 's/^/      | /'
    if [ "$n" -gt 25 ]; then
        printf '      | ... (%d lines in all)\n' "$n"
    fi
}

_desc() { # _desc CMD...: sets d (the caller's local) to this assertion's label
    if [ -n "$_NEXT_DESC" ]; then
        d=$_NEXT_DESC
    else
        d=$(_cmdstr "$@")
    fi
    _NEXT_DESC=""
}

_pass() {
    PASS=$((PASS + 1))
    printf 'ok %d - %s\n' $((PASS + FAIL)) "$1"
}

# _fail DESC CMDSTR EXPECTED: reports the last run (RC, OUT, ERR).
_fail() {
    FAIL=$((FAIL + 1))
    printf 'not ok %d - %s\n' $((PASS + FAIL)) "$1"
    printf '    command: %s\n' "$2"
    case $2 in
    lb\ *) printf '      (lb = %s --db %s)\n' "$LEADBOARD" "$DB" ;;
    lbx\ *) printf '      (lbx = %s)\n' "$LEADBOARD" ;;
    esac
    printf '    LEADBOARD_NOW=%s\n' "${LEADBOARD_NOW:-}"
    printf '    expected: %s\n' "$3"
    printf '    actual exit: %s\n' "$RC"
    _show stdout "$OUT"
    _show stderr "$ERR"
}

# expect_exit CODE CMD...
expect_exit() {
    local code=$1
    shift
    local d
    _desc "$@"
    run "$@"
    if _code_ok "$code" "$RC"; then
        _pass "$d"
    else
        _fail "$d" "$(_cmdstr "$@")" "exit $code"
    fi
}

# expect_out TEXT CMD...: exit 0 and stdout exactly TEXT (trailing newlines
# of both are ignored).
expect_out() {
    local want=$1
    shift
    local d
    _desc "$@"
    run "$@"
    want=$(printf '%s' "$want")
    if [ "$RC" -eq 0 ] && [ "$OUT" = "$want" ]; then
        _pass "$d"
    else
        _fail "$d" "$(_cmdstr "$@")" "exit 0 and stdout exactly:
$(printf '%s\n' "$want" | sed 's/^/      | /')"
    fi
}

# expect_out_re ERE CMD...: exit 0 and the whole stdout matches ^ERE$.
expect_out_re() {
    local re=$1
    shift
    local d
    _desc "$@"
    run "$@"
    if [ "$RC" -eq 0 ] && [[ $OUT =~ ^$re$ ]]; then
        _pass "$d"
    else
        _fail "$d" "$(_cmdstr "$@")" "exit 0 and the whole stdout matching ^$re\$"
    fi
}

# expect_grep ERE CMD...: exit 0 and some stdout line matches ERE.
expect_grep() {
    local re=$1
    shift
    local d
    _desc "$@"
    run "$@"
    if [ "$RC" -eq 0 ] && grep -Eq -- "$re" "$TMP/.out"; then
        _pass "$d"
    else
        _fail "$d" "$(_cmdstr "$@")" "exit 0 and a stdout line matching /$re/"
    fi
}

# expect_no_grep ERE CMD...: exit 0 and no stdout line matches ERE.
expect_no_grep() {
    local re=$1
    shift
    local d
    _desc "$@"
    run "$@"
    if [ "$RC" -eq 0 ] && ! grep -Eq -- "$re" "$TMP/.out"; then
        _pass "$d"
    else
        _fail "$d" "$(_cmdstr "$@")" "exit 0 and no stdout line matching /$re/"
    fi
}

# expect_contains TEXT CMD...: exit 0 and stdout contains TEXT (fixed string).
expect_contains() {
    local text=$1
    shift
    local d
    _desc "$@"
    run "$@"
    if [ "$RC" -eq 0 ] && grep -Fq -- "$text" "$TMP/.out"; then
        _pass "$d"
    else
        _fail "$d" "$(_cmdstr "$@")" "exit 0 and stdout containing '$text'"
    fi
}

# expect_stderr_grep CODE ERE CMD...: exit CODE and some stderr line matches ERE.
expect_stderr_grep() {
    local code=$1 re=$2
    shift 2
    local d
    _desc "$@"
    run "$@"
    if _code_ok "$code" "$RC" && grep -Eq -- "$re" "$TMP/.err"; then
        _pass "$d"
    else
        _fail "$d" "$(_cmdstr "$@")" "exit $code and a stderr line matching /$re/"
    fi
}

# expect_error CODE ERE CMD...: the error contract: exit CODE, nothing on
# stdout, exactly one line on stderr, starting "leadboard: " and matching
# ERE (case-insensitive; "" for any).
expect_error() {
    local code=$1 re=$2
    shift 2
    local d why=""
    _desc "$@"
    run "$@"
    if ! _code_ok "$code" "$RC"; then
        why="wrong exit status"
    elif [ -n "$OUT" ]; then
        why="stdout not empty"
    elif [ -z "$ERR" ]; then
        why="nothing on stderr"
    elif [[ $ERR == *$'\n'* ]]; then
        why="more than one line on stderr"
    elif [[ $ERR != "leadboard: "* ]]; then
        why="stderr does not start with 'leadboard: '"
    elif [ -n "$re" ] && ! grep -Eiq -- "$re" "$TMP/.err"; then
        why="stderr does not match /$re/"
    fi
    if [ -z "$why" ]; then
        _pass "$d"
    else
        _fail "$d" "$(_cmdstr "$@")" "exit $code, empty stdout, one stderr line 'leadboard: ...'${re:+ matching /$re/ (case-insensitive)} -- $why"
    fi
}

# expect_error_unchanged CODE ERE CMD...: expect_error, then a second
# assertion that the database ($DB) is exactly as before (sqlite3 .dump).
expect_error_unchanged() {
    local before after d
    before=$(dump_db "$DB")
    if [ -n "$_NEXT_DESC" ]; then d=$_NEXT_DESC; else d=$(_cmdstr "${@:3}"); fi
    expect_error "$@"
    after=$(dump_db "$DB")
    if [ "$before" = "$after" ]; then
        _pass "database unchanged after: $d"
    else
        FAIL=$((FAIL + 1))
        printf 'not ok %d - database unchanged after: %s\n' $((PASS + FAIL)) "$d"
        printf '    command: %s\n' "$(_cmdstr "${@:3}")"
        printf '    expected: sqlite3 .dump identical before and after\n'
        _show "diff (before < > after)" "$(diff <(printf '%s\n' "$before") <(printf '%s\n' "$after"))"
    fi
}

# check DESC CMD...: passes when CMD exits 0 (stdin is passed through, so a
# here-document can feed it); on failure shows CMD's output.
check() {
    local d=$1
    shift
    _NEXT_DESC=""
    "$@" >"$TMP/.cout" 2>&1
    local rc=$?
    if [ "$rc" -eq 0 ]; then
        _pass "$d"
    else
        FAIL=$((FAIL + 1))
        printf 'not ok %d - %s\n' $((PASS + FAIL)) "$d"
        printf '    command: %s\n' "$(_cmdstr "$@")"
        printf '    expected: exit 0, got %s\n' "$rc"
        _show output "$(cat "$TMP/.cout")"
    fi
}

# expect_eq DESC EXPECTED ACTUAL
expect_eq() {
    _NEXT_DESC=""
    if [ "$2" = "$3" ]; then
        _pass "$1"
    else
        FAIL=$((FAIL + 1))
        printf 'not ok %d - %s\n' $((PASS + FAIL)) "$1"
        _show expected "$2"
        _show actual "$3"
    fi
}

# expect_ne DESC UNEXPECTED ACTUAL
expect_ne() {
    _NEXT_DESC=""
    if [ "$2" != "$3" ]; then
        _pass "$1"
    else
        FAIL=$((FAIL + 1))
        printf 'not ok %d - %s\n' $((PASS + FAIL)) "$1"
        _show "expected anything but" "$2"
    fi
}

# expect_gt DESC MIN ACTUAL: ACTUAL is a whole number greater than MIN (so
# a query that failed, and printed nothing or an error, does not pass).
expect_gt() {
    _NEXT_DESC=""
    if [[ $3 =~ ^-?[0-9]+$ ]] && [ "$3" -gt "$2" ]; then
        _pass "$1"
    else
        FAIL=$((FAIL + 1))
        printf 'not ok %d - %s\n' $((PASS + FAIL)) "$1"
        _show "expected a whole number greater than" "$2"
        _show actual "$3"
    fi
}

# sql_n QUERY: sqlite3 on $DB with its errors in the output, so that a
# broken query never reads as an empty or expected answer.
sql_n() { sqlite3 -bail "$DB" "$@" 2>&1; }

# The number of leads, straight from the database.
lead_count() {
    if [ -z "${1:-}" ]; then
        sql 'SELECT count(*) FROM leads' 2>&1
    else
        sqlite3 "$1" 'SELECT count(*) FROM leads' 2>&1
    fi
}
# refused SQL: the database itself refuses it (the program's role on a server)
refused() { ! sql "$1" >/dev/null 2>&1; }

finish() {
    echo "$PASS passed, $FAIL failed"
    if [ "$FAIL" -eq 0 ] && [ "$PASS" -gt 0 ]; then
        exit 0
    fi
    exit 1
}

# Without the binary nothing else can be checked.
require_binary() {
    if [ ! -x "$LEADBOARD" ]; then
        FAIL=$((FAIL + 1))
        printf 'not ok 1 - the binary exists\n    expected: an executable at %s\n' "$LEADBOARD"
        finish
    fi
    for _t in sqlite3 python3; do
        if ! command -v "$_t" >/dev/null 2>&1; then
            FAIL=$((FAIL + 1))
            printf 'not ok %d - %s is installed\n' $((PASS + FAIL)) "$_t"
            finish
        fi
    done
}
