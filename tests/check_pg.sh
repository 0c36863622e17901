#!/usr/bin/env bash
# The Check suites of the stores and actions on PostgreSQL (issue 16): a
# private server in the build folder (tests/pg_server.sh), one database,
# a fresh schema per test (test_db_open in check_main.c), the server
# stopped at the end.  The SQLite run is tests/check_leadboard itself.
set -u
: "${TESTS_DIR:=$(cd "$(dirname "$0")" && pwd)}"
. "$TESTS_DIR/pg_server.sh"
CHECK=${CHECK_BINARY:-$PWD/tests/check_leadboard}
if [ -z "${LB_PG_HOST:-}" ]; then
    pg_server_start "${LB_PG_DIR:-$PWD/tests/pg}/check.$$" || exit 99
    trap pg_server_stop EXIT
fi
db="ck_$$"
pg_createdb "$db" || exit 99
status=0
# each test makes its schema and runs ten migrations on a server that
# shares two cores with everything else: more than Check's 4 s default
export CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-60}
for suite in actions report collateral loop import actor; do
    CK_RUN_SUITE=$suite LB_TEST_PG=$(pg_url "$db") "$CHECK" || status=1
done
pg_psql postgres -c "DROP DATABASE \"$db\"" >/dev/null 2>&1
exit $status
