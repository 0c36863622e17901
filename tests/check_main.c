/* Runs every suite of the core: `make check` or ./tests/check_leadboard.
 * CK_VERBOSITY, CK_FORK, CK_RUN_SUITE and CK_RUN_CASE work as usual. */
#include "config.h"

#include <check.h>
#include <langinfo.h>
#include <libpq-fe.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "suites.h"

/* With LB_TEST_PG (a libpq URL of a database on the test server, set by
 * tests/check_pg.sh) every store and action test gets a fresh schema of
 * its own there: the same suites run on PostgreSQL (issue 16). */
lb_status test_db_open(lb_db **db, lb_err *err)
{
    const char *pg = getenv("LB_TEST_PG");
    if (!pg || !*pg)
        return db_open(":memory:", db, err);
    static int n;
    char schema[64], sql[128], url[2048];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    /* pids come back across the suites' runs: the time keeps names apart */
    snprintf(schema, sizeof schema, "ck_%d_%d_%ld%09ld", (int)getpid(), ++n, (long)ts.tv_sec,
             ts.tv_nsec);
    PGconn *c = PQconnectdb(pg);
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s", schema);
    PGresult *r = PQexec(c, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        lb_fail(err, LB_EDB, "cannot create a test schema: %s", PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    if (!ok)
        return LB_EDB;
    snprintf(url, sizeof url, "%s%soptions=-csearch_path%%3D%s", pg, strchr(pg, '?') ? "&" : "?",
             schema);
    return db_open(url, db, err);
}

/* Widths in terminal cells need a UTF-8 locale, as the program has when it
 * runs under ncursesw; a bare test environment (LANG unset) has "C". */
static void use_utf8_locale(void)
{
    if (setlocale(LC_ALL, "") != NULL && strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
        return;
    if (setlocale(LC_ALL, "C.UTF-8") == NULL)
        setlocale(LC_ALL, "C.utf8");
}

int main(void)
{
    /* The user's own environment must not leak into the tests. */
    unsetenv("LEADBOARD_DB");
    unsetenv("LEADBOARD_USER");
    unsetenv("LEADBOARD_NOW");
    /* Local time is UTC unless a test sets another zone (check_loop.c). */
    setenv("TZ", "UTC", 1);
    tzset();
    use_utf8_locale();

    SRunner *sr = srunner_create(text_suite());
    srunner_add_suite(sr, domain_suite());
    srunner_add_suite(sr, rules_suite());
    srunner_add_suite(sr, db_suite());
    srunner_add_suite(sr, actions_suite());
    srunner_add_suite(sr, csv_suite());
    srunner_add_suite(sr, import_suite());
    srunner_add_suite(sr, layout_suite());
    srunner_add_suite(sr, config_suite());
    srunner_add_suite(sr, report_suite());
    srunner_add_suite(sr, collateral_suite());
    srunner_add_suite(sr, actor_suite());
    srunner_add_suite(sr, loop_suite());
    srunner_add_suite(sr, decode_suite());
    srunner_add_suite(sr, totals_suite());

    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
