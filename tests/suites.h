/* One Check suite per core module; check_main.c runs them all. */
#ifndef LEADBOARD_TESTS_SUITES_H
#define LEADBOARD_TESTS_SUITES_H

#include <check.h>

#include "leadboard/db.h"

Suite *text_suite(void);
Suite *domain_suite(void);
Suite *rules_suite(void);
Suite *db_suite(void);
Suite *actions_suite(void);
Suite *csv_suite(void);
Suite *import_suite(void);
Suite *layout_suite(void);
Suite *config_suite(void);
Suite *report_suite(void);
Suite *collateral_suite(void);
Suite *actor_suite(void);
Suite *loop_suite(void);
Suite *decode_suite(void);
Suite *totals_suite(void);

/* The board of a store or action test: in-memory SQLite, or a fresh schema
 * on the PostgreSQL server of LB_TEST_PG (check_main.c). */
lb_status test_db_open(lb_db **db, lb_err *err);

#endif
