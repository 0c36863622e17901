/* Runs every suite of the core: `make check` or ./tests/check_leadboard.
 * CK_VERBOSITY, CK_FORK, CK_RUN_SUITE and CK_RUN_CASE work as usual. */
#include "config.h"

#include <check.h>
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "suites.h"

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
