/* text.h: money, times, periods, free-text checks, UTF-8 and cell widths,
 * ids. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "leadboard/domain.h" /* LB_TIME_BUF */
#include "leadboard/status.h"
#include "leadboard/text.h"

#include "suites.h"

#define ELLIPSIS "\xe2\x80\xa6" /* U+2026, one cell */

/* Seconds at midnight UTC of a civil date, computed here independently of the
 * code under test (H. Hinnant's days_from_civil). */
static int64_t civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (era * 146097 + doe - 719468) * 86400;
}

/* ---- money ------------------------------------------------------------- */

static const struct {
    const char *in;
    lb_status st;
    int64_t cents;
} money_cases[] = {
    {"12500", LB_OK, 1250000},
    {"12500.5", LB_OK, 1250050},
    {"12500.50", LB_OK, 1250050},
    {"0", LB_OK, 0},
    {"0.01", LB_OK, 1},
    {"0.1", LB_OK, 10},
    {"7.05", LB_OK, 705},
    {"100000000000", LB_OK, LB_MONEY_MAX},
    {"100000000000.01", LB_EINVAL, 0},
    {"999999999999999999999999", LB_EINVAL, 0},
    {"-5", LB_EINVAL, 0},
    {"1,000", LB_OK, 100000},
    {"12,000", LB_OK, 1200000},
    {"12,500.50", LB_OK, 1250050},
    {"1,234,567.8", LB_OK, 123456780},
    {"100,000,000,000", LB_OK, LB_MONEY_MAX},
    {"100,000,000,000.01", LB_EINVAL, 0},
    {"1,0000", LB_EINVAL, 0},
    {"1000,000", LB_EINVAL, 0},
    {"1,00", LB_EINVAL, 0},
    {"1,000,00", LB_EINVAL, 0},
    {",500", LB_EINVAL, 0},
    {"1,,000", LB_EINVAL, 0},
    {"1,000,", LB_EINVAL, 0},
    {"1, 000", LB_EINVAL, 0},
    {"1,000.", LB_EINVAL, 0},
    {"1.000,50", LB_EINVAL, 0},
    {"12.345", LB_EINVAL, 0},
    {"1e5", LB_EINVAL, 0},
    {"", LB_EINVAL, 0},
    {".5", LB_EINVAL, 0},
    {"12.", LB_EINVAL, 0},
    {"+5", LB_EINVAL, 0},
    {" 5", LB_EINVAL, 0},
    {"5 ", LB_EINVAL, 0},
    {"abc", LB_EINVAL, 0},
    {"1.2.3", LB_EINVAL, 0},
    {"0x10", LB_EINVAL, 0},
    {"12,50", LB_EINVAL, 0},
    {"$5", LB_EINVAL, 0},
};

START_TEST(test_money_parse)
{
    lb_err err;
    lb_err_clear(&err);
    int64_t cents = -1;
    lb_status st = money_parse(money_cases[_i].in, &cents, &err);
    ck_assert_msg(st == money_cases[_i].st, "money_parse(\"%s\") returned %d, expected %d (%s)",
                  money_cases[_i].in, (int)st, (int)money_cases[_i].st, err.msg);
    if (st == LB_OK)
        ck_assert_msg(cents == money_cases[_i].cents, "money_parse(\"%s\") gave %lld cents",
                      money_cases[_i].in, (long long)cents);
    else
        ck_assert_msg(err.msg[0] != '\0', "money_parse(\"%s\") failed without a message",
                      money_cases[_i].in);
}
END_TEST

static const struct {
    int64_t cents;
    const char *machine;
    const char *human;
} money_fmt_cases[] = {
    {0, "0.00", "0.00"},
    {5, "0.05", "0.05"},
    {50, "0.50", "0.50"},
    {99999, "999.99", "999.99"},
    {100000, "1000.00", "1,000.00"},
    {1250000, "12500.00", "12,500.00"},
    {1250050, "12500.50", "12,500.50"},
    {123456789, "1234567.89", "1,234,567.89"},
    {LB_MONEY_MAX, "100000000000.00", "100,000,000,000.00"},
};

START_TEST(test_money_format)
{
    char buf[64];
    money_format(money_fmt_cases[_i].cents, buf, sizeof buf);
    ck_assert_str_eq(buf, money_fmt_cases[_i].machine);
    money_format_human(money_fmt_cases[_i].cents, buf, sizeof buf);
    ck_assert_str_eq(buf, money_fmt_cases[_i].human);
}
END_TEST

START_TEST(test_money_roundtrip)
{
    static const int64_t values[] = {0, 1, 10, 99, 100, 123456, 1250050, LB_MONEY_MAX};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char buf[64];
        int64_t back = -1;
        lb_err err;
        money_format(values[i], buf, sizeof buf);
        ck_assert_int_eq(money_parse(buf, &back, &err), LB_OK);
        ck_assert_int_eq(back, values[i]);
    }
}
END_TEST

START_TEST(test_money_format_small_buffer)
{
    char buf[6];
    memset(buf, 'x', sizeof buf);
    money_format_human(123456789, buf, sizeof buf);
    ck_assert_msg(memchr(buf, '\0', sizeof buf) != NULL, "money_format_human overflowed");
    ck_assert_uint_lt(strlen(buf), sizeof buf);
}
END_TEST

/* ---- times ------------------------------------------------------------- */

static const struct {
    const char *in;
    lb_status st;
    int64_t t;
} time_cases[] = {
    {"2024-03-01", LB_OK, 1709251200},
    {"2024-03-01T09:30", LB_OK, 1709285400},
    {"2024-03-01T09:30Z", LB_OK, 1709285400},
    {"2024-03-01T09:30:15", LB_OK, 1709285415},
    {"2024-03-01T09:30:15Z", LB_OK, 1709285415},
    {"1970-01-01", LB_OK, 0},
    {"1970-01-01T00:00:01Z", LB_OK, 1},
    {"2024-02-29", LB_OK, 1709164800},
    {"2000-02-29T23:59:59Z", LB_OK, 951868799},
    {"2024-12-31T23:59:59Z", LB_OK, 1735689599},
    {"2024-02-30", LB_EINVAL, 0},
    {"2023-02-29", LB_EINVAL, 0},
    {"1900-02-29", LB_EINVAL, 0},
    {"2024-13-01", LB_EINVAL, 0},
    {"2024-00-10", LB_EINVAL, 0},
    {"2024-01-00", LB_EINVAL, 0},
    {"2024-01-32", LB_EINVAL, 0},
    {"2024-04-31", LB_EINVAL, 0},
    {"2024-03-01T24:00", LB_EINVAL, 0},
    {"2024-03-01T23:60", LB_EINVAL, 0},
    {"2024-03-01T23:59:60", LB_EINVAL, 0},
    {"2024-03-01T09:30:15Zjunk", LB_EINVAL, 0},
    {"2024-03-01T09:30:15+02:00", LB_EINVAL, 0},
    {"2024-03-01junk", LB_EINVAL, 0},
    {"2024-03-01 ", LB_EINVAL, 0},
    {"2024-03-01T", LB_EINVAL, 0},
    {"2024-03-01T09", LB_EINVAL, 0},
    {"2024-3-1", LB_EINVAL, 0},
    {"24-03-01", LB_EINVAL, 0},
    {"", LB_EINVAL, 0},
    {"yesterday", LB_EINVAL, 0},
};

START_TEST(test_time_parse)
{
    lb_err err;
    lb_err_clear(&err);
    lb_time t = -12345;
    lb_status st = time_parse(time_cases[_i].in, &t, &err);
    ck_assert_msg(st == time_cases[_i].st, "time_parse(\"%s\") returned %d, expected %d (%s)",
                  time_cases[_i].in, (int)st, (int)time_cases[_i].st, err.msg);
    if (st == LB_OK)
        ck_assert_msg(t == time_cases[_i].t, "time_parse(\"%s\") gave %lld, expected %lld",
                      time_cases[_i].in, (long long)t, (long long)time_cases[_i].t);
    else
        ck_assert_msg(err.msg[0] != '\0', "time_parse(\"%s\") failed without a message",
                      time_cases[_i].in);
}
END_TEST

START_TEST(test_time_expected_values_are_civil)
{
    /* The table's constants, cross-checked against the independent helper. */
    ck_assert_int_eq(civil(2024, 3, 1), 1709251200);
    ck_assert_int_eq(civil(2024, 3, 1) + 9 * 3600 + 30 * 60 + 15, 1709285415);
    ck_assert_int_eq(civil(2025, 1, 1) - 1, 1735689599);
}
END_TEST

START_TEST(test_time_format)
{
    char buf[LB_TIME_BUF];
    time_format(1709285415, buf);
    ck_assert_str_eq(buf, "2024-03-01T09:30:15Z");
    time_format(0, buf);
    ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
    time_format(1735689599, buf);
    ck_assert_str_eq(buf, "2024-12-31T23:59:59Z");
    time_format(civil(2024, 2, 29), buf);
    ck_assert_str_eq(buf, "2024-02-29T00:00:00Z");
}
END_TEST

START_TEST(test_time_format_human)
{
    char buf[32];
    time_format_human(1709285415, buf, sizeof buf);
    ck_assert_str_eq(buf, "2024-03-01 09:30");
    time_format_human(0, buf, sizeof buf);
    ck_assert_str_eq(buf, "1970-01-01 00:00");
}
END_TEST

START_TEST(test_time_roundtrip)
{
    /* Every accepted input formats to the canonical form that parses back. */
    for (size_t i = 0; i < sizeof time_cases / sizeof time_cases[0]; i++) {
        if (time_cases[i].st != LB_OK)
            continue;
        char buf[LB_TIME_BUF];
        lb_time back = -1;
        lb_err err;
        time_format(time_cases[i].t, buf);
        ck_assert_int_eq(strlen(buf), LB_TIME_BUF - 1);
        ck_assert_int_eq(time_parse(buf, &back, &err), LB_OK);
        ck_assert_int_eq(back, time_cases[i].t);
    }
}
END_TEST

START_TEST(test_time_days_from_civil)
{
    ck_assert_int_eq(time_days_from_civil(1970, 1, 1), 0);
    ck_assert_int_eq(time_days_from_civil(1970, 1, 2), 1);
    ck_assert_int_eq(time_days_from_civil(1969, 12, 31), -1);
    ck_assert_int_eq(time_days_from_civil(2000, 3, 1), 11017);
    ck_assert_int_eq(time_days_from_civil(2024, 2, 29), 19782);
    ck_assert_int_eq(time_days_from_civil(2024, 3, 1), 19783);
}
END_TEST

START_TEST(test_time_now_env)
{
    lb_err err;
    lb_time t = 0;
    setenv("LEADBOARD_NOW", "2024-03-04T09:00:00Z", 1);
    ck_assert_int_eq(time_now(&t, &err), LB_OK);
    ck_assert_int_eq(t, 1709542800);

    setenv("LEADBOARD_NOW", "2024-03-04", 1);
    ck_assert_int_eq(time_now(&t, &err), LB_OK);
    ck_assert_int_eq(t, civil(2024, 3, 4));
}
END_TEST

START_TEST(test_time_now_env_invalid)
{
    lb_err err;
    lb_err_clear(&err);
    lb_time t = 0;
    setenv("LEADBOARD_NOW", "next tuesday", 1);
    ck_assert_int_ne(time_now(&t, &err), LB_OK);
    ck_assert_msg(strstr(err.msg, "LEADBOARD_NOW") != NULL,
                  "the error should name LEADBOARD_NOW: \"%s\"", err.msg);
}
END_TEST

START_TEST(test_time_now_clock)
{
    lb_err err;
    lb_time t = 0;
    unsetenv("LEADBOARD_NOW");
    time_t before = time(NULL);
    ck_assert_int_eq(time_now(&t, &err), LB_OK);
    time_t after = time(NULL);
    ck_assert_int_ge(t, (int64_t)before);
    ck_assert_int_le(t, (int64_t)after);
}
END_TEST

START_TEST(test_time_format_age)
{
    char buf[32];
    time_format_age(45 * 60, buf, sizeof buf);
    ck_assert_str_eq(buf, "45m");
    time_format_age(2 * 3600, buf, sizeof buf);
    ck_assert_str_eq(buf, "2h");
    time_format_age(3 * 86400, buf, sizeof buf);
    ck_assert_str_eq(buf, "3d");
}
END_TEST

/* ---- periods ----------------------------------------------------------- */

static const struct {
    const char *in;
    lb_status st;
    int y0, m0, y1, m1; /* [y0-m0-01, y1-m1-01) */
} period_cases[] = {
    {"2024-03", LB_OK, 2024, 3, 2024, 4},  {"2024-01", LB_OK, 2024, 1, 2024, 2},
    {"2024-02", LB_OK, 2024, 2, 2024, 3},  {"2024-12", LB_OK, 2024, 12, 2025, 1},
    {"2024-Q1", LB_OK, 2024, 1, 2024, 4},  {"2024-Q2", LB_OK, 2024, 4, 2024, 7},
    {"2024-Q3", LB_OK, 2024, 7, 2024, 10}, {"2024-Q4", LB_OK, 2024, 10, 2025, 1},
    {"2024-13", LB_EINVAL, 0, 0, 0, 0},    {"2024-00", LB_EINVAL, 0, 0, 0, 0},
    {"2024-Q0", LB_EINVAL, 0, 0, 0, 0},    {"2024-Q5", LB_EINVAL, 0, 0, 0, 0},
    {"2024-Q", LB_EINVAL, 0, 0, 0, 0},     {"2024-Q1x", LB_EINVAL, 0, 0, 0, 0},
    {"2024-03x", LB_EINVAL, 0, 0, 0, 0},   {"2024-3", LB_EINVAL, 0, 0, 0, 0},
    {"24-03", LB_EINVAL, 0, 0, 0, 0},      {"2024-03-01", LB_EINVAL, 0, 0, 0, 0},
    {"2024", LB_EINVAL, 0, 0, 0, 0},       {"Q1-2024", LB_EINVAL, 0, 0, 0, 0},
    {"", LB_EINVAL, 0, 0, 0, 0},
};

START_TEST(test_period_parse)
{
    lb_err err;
    lb_err_clear(&err);
    lb_time start = -1, end = -1;
    lb_status st = period_parse(period_cases[_i].in, &start, &end, &err);
    ck_assert_msg(st == period_cases[_i].st, "period_parse(\"%s\") returned %d, expected %d (%s)",
                  period_cases[_i].in, (int)st, (int)period_cases[_i].st, err.msg);
    if (st != LB_OK) {
        ck_assert_msg(err.msg[0] != '\0', "period_parse(\"%s\") failed without a message",
                      period_cases[_i].in);
        return;
    }
    ck_assert_int_eq(start, civil(period_cases[_i].y0, period_cases[_i].m0, 1));
    ck_assert_int_eq(end, civil(period_cases[_i].y1, period_cases[_i].m1, 1));
}
END_TEST

/* ---- free text --------------------------------------------------------- */

static char long_text[1024];

static const char *repeat(const char *unit, int times)
{
    long_text[0] = '\0';
    for (int i = 0; i < times; i++)
        strcat(long_text, unit);
    return long_text;
}

static const struct {
    const char *s;
    size_t max;
    bool multiline;
    lb_status st;
} text_cases[] = {
    {"hello", 120, false, LB_OK},
    {"", 120, false, LB_OK},
    {"h\xc3\xa9llo", 5, false, LB_OK},             /* 5 characters, 6 bytes */
    {"h\xc3\xa9llo", 4, false, LB_EINVAL},         /* one character too many */
    {"\xe6\x97\xa5\xe6\x9c\xac", 2, false, LB_OK}, /* 2 CJK characters, 6 bytes */
    {"\xe6\x97\xa5\xe6\x9c\xac", 1, false, LB_EINVAL},
    {"a\x01"
     "b",
     120, false, LB_EINVAL},
    {"a\x01"
     "b",
     120, true, LB_EINVAL},
    {"a\x1b[31mred", 120, true, LB_EINVAL},
    {"a\x7f"
     "b",
     120, true, LB_EINVAL},
    {"line\nline", 120, false, LB_EINVAL},
    {"line\nline", 120, true, LB_OK},
    {"col\tcol", 120, false, LB_EINVAL},
    {"col\tcol", 120, true, LB_OK},
    {"bad \xc3\x28 utf8", 120, false, LB_EINVAL},
    {"bad \xff", 120, true, LB_EINVAL},
    {"overlong \xc0\xaf", 120, false, LB_EINVAL},
    /* C1 controls, as UTF-8 (U+009B is CSI to a terminal) */
    {"a\xc2\x9b"
     "31m",
     120, true, LB_EINVAL},
    {"a\xc2\x85"
     "b",
     120, false, LB_EINVAL},
    /* bidi embeddings, overrides and isolates, in every field */
    {"Expo\xe2\x80\xae"
     "gpj.exe",
     120, false, LB_EINVAL}, /* U+202E right-to-left override */
    {"a\xe2\x80\xaa"
     "b",
     120, true, LB_EINVAL}, /* U+202A */
    {"a\xe2\x81\xa6"
     "b",
     120, true, LB_EINVAL}, /* U+2066 left-to-right isolate */
    {"a\xe2\x81\xa9"
     "b",
     120, false, LB_EINVAL}, /* U+2069 pop isolate */
    {"a\xe2\x81\xaa"
     "b",
     120, false, LB_OK},                                     /* U+206A: not one of them */
    {"\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", 120, false, LB_OK}, /* Hebrew text itself is fine */
    {"a\xe2\x80\x8e"
     "b",
     120, false, LB_OK}, /* a direction mark reorders nothing */
};

START_TEST(test_text_check)
{
    lb_err err;
    lb_err_clear(&err);
    lb_status st =
        text_check("--note", text_cases[_i].s, text_cases[_i].max, text_cases[_i].multiline, &err);
    ck_assert_msg(st == text_cases[_i].st, "text_check case %d returned %d, expected %d (%s)", _i,
                  (int)st, (int)text_cases[_i].st, err.msg);
    if (st != LB_OK)
        ck_assert_msg(strstr(err.msg, "--note") != NULL,
                      "case %d: the error should name the field: \"%s\"", _i, err.msg);
}
END_TEST

START_TEST(test_text_check_limit_in_characters)
{
    lb_err err;
    /* 120 two-byte characters (240 bytes) fit a 120-character field. */
    ck_assert_int_eq(text_check("--company", repeat("\xc3\xa9", 120), 120, false, &err), LB_OK);
    /* 120 three-byte characters too. */
    ck_assert_int_eq(text_check("--company", repeat("\xe2\x82\xac", 120), 120, false, &err), LB_OK);
    lb_err_clear(&err);
    ck_assert_int_eq(text_check("--company", repeat("\xc3\xa9", 121), 120, false, &err), LB_EINVAL);
}
END_TEST

START_TEST(test_text_check_bidi_message)
{
    lb_err err;
    lb_err_clear(&err);
    ck_assert_int_eq(text_check("campaign name", "Expo\xe2\x80\xae", 120, false, &err), LB_EINVAL);
    ck_assert_msg(strstr(err.msg, "U+202E") != NULL && strstr(err.msg, "campaign name") != NULL,
                  "message: %s", err.msg);
    /* the message itself holds no raw control character */
    ck_assert_ptr_null(strstr(err.msg, "\xe2\x80\xae"));
}
END_TEST

/* ---- names: the key they are compared by ------------------------------- */

static const struct {
    const char *in, *key;
} name_key_cases[] = {
    {"Expo", "Expo"},
    {"Expo ", "Expo"},
    {"  Expo", "Expo"},
    {"Expo\xe2\x80\x8b", "Expo"}, /* zero-width space after */
    {"\xe2\x80\x8b"
     "Expo",
     "Expo"},
    {"Ex\xe2\x80\x8bpo", "Expo"}, /* inside, too */
    {"Expo\xef\xbb\xbf", "Expo"}, /* BOM */
    {"Expo\xe2\x81\xa0", "Expo"}, /* word joiner */
    {"Expo\xe2\x80\x8e", "Expo"}, /* direction mark */
    {"Expo\xc2\xa0", "Expo"},     /* no-break space at the end */
    {"Spring\xc2\xa0"
     "Expo",
     "Spring Expo"}, /* inside: one plain space */
    {"Spring   Expo", "Spring Expo"},
    {"Spring \xe2\x80\x8b Expo", "Spring Expo"},
    {"Spring\tExpo", "Spring Expo"},
    {"\xe2\x80\x8b", ""}, /* nothing at all */
    {"", ""},
    {"Caf\xc3\xa9", "Caf\xc3\xa9"},                                   /* letters are letters */
    {"\xd9\x85\xe2\x80\x8c\xd9\x8a", "\xd9\x85\xe2\x80\x8c\xd9\x8a"}, /* a ZWNJ in a word stays */
};

START_TEST(test_text_name_key)
{
    char buf[64];
    memset(buf, 'x', sizeof buf);
    size_t n = text_name_key(name_key_cases[_i].in, buf, sizeof buf);
    ck_assert_msg(strcmp(buf, name_key_cases[_i].key) == 0,
                  "name key case %d: \"%s\", expected \"%s\"", _i, buf, name_key_cases[_i].key);
    ck_assert_uint_eq(n, strlen(buf));
}
END_TEST

START_TEST(test_text_name_key_small_buffer)
{
    char buf[4];
    text_name_key("Spring Expo", buf, sizeof buf);
    ck_assert_str_eq(buf, "Spr");
    text_name_key("\xc3\xa9\xc3\xa9", buf, sizeof buf); /* never half a character */
    ck_assert_str_eq(buf, "\xc3\xa9");
}
END_TEST

/* ---- the output rule: what a terminal is shown ------------------------- */

static const struct {
    const char *in;
    bool keep_lines;
    const char *out;
} escape_cases[] = {
    {"plain", false, "plain"},
    {"", false, ""},
    {"Caf\xc3\xa9 \xe6\x97\xa5", false, "Caf\xc3\xa9 \xe6\x97\xa5"},
    {"a\x1b[2Jb", false, "a\\x1b[2Jb"},         /* ESC */
    {"\x07\x08\x7f", false, "\\x07\\x08\\x7f"}, /* BEL, BS, DEL */
    {"a\rb", false, "a\\rb"},
    {"a\rb", true, "a\\rb"}, /* CR can overwrite a line: always shown */
    {"a\nb\tc", false, "a\\nb\\tc"},
    {"a\nb\tc", true, "a\nb\tc"},
    {"a\xc2\x9b"
     "31m",
     false, "a\\u009b31m"},        /* C1 CSI */
    {"\xc2\x85", true, "\\u0085"}, /* C1 NEL */
    {"evil\xe2\x80\xae"
     "txt",
     false, "evil\\u202etxt"}, /* RLO */
    {"\xe2\x81\xa6x\xe2\x81\xa9", false, "\\u2066x\\u2069"},
    {"bad\xff", false, "bad\\xff"}, /* not UTF-8 */
    {"\xc3", false, "\\xc3"},       /* cut short */
    {"\\x1b", false, "\\x1b"},      /* a backslash stays a backslash */
};

START_TEST(test_text_escape)
{
    char buf[128];
    memset(buf, 'x', sizeof buf);
    size_t need = text_escape(escape_cases[_i].in, escape_cases[_i].keep_lines, buf, sizeof buf);
    ck_assert_msg(strcmp(buf, escape_cases[_i].out) == 0, "escape case %d: \"%s\", expected \"%s\"",
                  _i, buf, escape_cases[_i].out);
    ck_assert_uint_eq(need, strlen(escape_cases[_i].out));
    char *dup = text_escape_dup(escape_cases[_i].in, escape_cases[_i].keep_lines);
    ck_assert_str_eq(dup, escape_cases[_i].out);
    free(dup);
    /* nothing a terminal would act on is left */
    for (const unsigned char *p = (const unsigned char *)buf; *p; p++)
        ck_assert_msg(*p >= 0x20 || (escape_cases[_i].keep_lines && (*p == '\n' || *p == '\t')),
                      "case %d left byte 0x%02x", _i, *p);
}
END_TEST

START_TEST(test_text_escape_cut)
{
    char buf[6];
    /* whole escapes or none: "ab\x1b" does not fit in 5 bytes */
    ck_assert_uint_eq(text_escape("ab\x1b", false, buf, sizeof buf), 6);
    ck_assert_str_eq(buf, "ab");
    ck_assert_uint_eq(text_escape("\xc3\xa9\xc3\xa9\xc3\xa9", false, buf, sizeof buf), 6);
    ck_assert_str_eq(buf, "\xc3\xa9\xc3\xa9");
}
END_TEST

START_TEST(test_text_check_message)
{
    lb_err err;
    lb_err_clear(&err);
    ck_assert_int_eq(text_check("--company", repeat("x", 130), 120, false, &err), LB_EINVAL);
    ck_assert_int_eq(err.status, LB_EINVAL);
    ck_assert_msg(strstr(err.msg, "--company") != NULL, "no field name in \"%s\"", err.msg);
    ck_assert_msg(strstr(err.msg, "130") != NULL, "no length in \"%s\"", err.msg);
    ck_assert_msg(strstr(err.msg, "120") != NULL, "no limit in \"%s\"", err.msg);
}
END_TEST

/* ---- UTF-8 ------------------------------------------------------------- */

static const struct {
    const char *s;
    int len; /* -1: strlen */
    bool valid;
} utf8_cases[] = {
    {"abc", -1, true},
    {"", -1, true},
    {"\xc3\xa9", -1, true},          /* é */
    {"\xe2\x82\xac", -1, true},      /* € */
    {"\xf0\x9d\x84\x9e", -1, true},  /* U+1D11E */
    {"\xf4\x8f\xbf\xbf", -1, true},  /* U+10FFFF */
    {"\xc3\xa9", 1, false},          /* cut inside a character */
    {"\xc3", -1, false},             /* truncated */
    {"\xc3\x28", -1, false},         /* bad continuation */
    {"\x80", -1, false},             /* lone continuation */
    {"\xc0\xaf", -1, false},         /* overlong '/' */
    {"\xe0\x80\xaf", -1, false},     /* overlong */
    {"\xed\xa0\x80", -1, false},     /* UTF-16 surrogate */
    {"\xf4\x90\x80\x80", -1, false}, /* above U+10FFFF */
    {"\xff", -1, false},
    {"ok\xfe", -1, false},
};

START_TEST(test_utf8_valid)
{
    const char *s = utf8_cases[_i].s;
    size_t len = utf8_cases[_i].len < 0 ? strlen(s) : (size_t)utf8_cases[_i].len;
    ck_assert_msg(utf8_valid(s, len) == utf8_cases[_i].valid, "utf8_valid case %d should be %s", _i,
                  utf8_cases[_i].valid ? "true" : "false");
}
END_TEST

START_TEST(test_utf8_chars)
{
    ck_assert_uint_eq(utf8_chars(""), 0);
    ck_assert_uint_eq(utf8_chars("abc"), 3);
    ck_assert_uint_eq(utf8_chars("h\xc3\xa9llo"), 5);
    ck_assert_uint_eq(utf8_chars("\xe6\x97\xa5\xe6\x9c\xac"), 2);
    ck_assert_uint_eq(utf8_chars("\xf0\x9d\x84\x9e!"), 2);
}
END_TEST

/* ---- blank text -------------------------------------------------------- */

static const struct {
    const char *s; /* NULL too */
    bool blank;
} blank_cases[] = {
    {NULL, true},
    {"", true},
    {" ", true},
    {" \t\r\n ", true},
    {"\xc2\xa0", true}, /* U+00A0 no-break space */
    {"\xc2\xa0\xc2\xa0", true},
    {"\xe2\x80\x8b", true},                          /* U+200B zero-width space */
    {"\xe2\x80\x8c\xe2\x80\x8d", true},              /* U+200C, U+200D joiners */
    {"\xe2\x81\xa0", true},                          /* U+2060 word joiner */
    {"\xef\xbb\xbf", true},                          /* U+FEFF, the BOM */
    {"\xe3\x80\x80", true},                          /* U+3000 ideographic space */
    {"\xe2\x80\x80", true},                          /* U+2000 en quad */
    {"\xe2\x80\x8a", true},                          /* U+200A hair space */
    {"\xe2\x80\xaf", true},                          /* U+202F narrow no-break space */
    {"\xe2\x81\x9f", true},                          /* U+205F medium math space */
    {" \xc2\xa0\t\xe2\x80\x8b\xef\xbb\xbf\n", true}, /* a mix */
    {"a", false},
    {"0", false},
    {"-", false},
    {"  x  ", false},
    {"\xc2\xa0"
     "a",
     false},
    {"\xe2\x80\x8b"
     "a\xe2\x80\x8b",
     false},
    {"\xc3\xa9", false},     /* é */
    {"\xe5\xb0\x8f", false}, /* 小 */
    {" \xe5\xb0\x8f ", false},
    {"\xf0\x9f\x98\x80", false},    /* an emoji */
    {"\xe2\x80\x90", false},        /* U+2010 hyphen, just past the spaces */
    {"\xe2\x80\x8e", true},         /* U+200E left-to-right mark draws nothing */
    {"\xe2\x80\x8f\xd8\x9c", true}, /* U+200F, U+061C: the other direction marks */
    {"\xff", false},                /* invalid bytes are not blank */
    {" \x80 ", false},              /* lone continuation byte */
    {"\xc2", false},                /* a no-break space cut short */
    {"\xe2\x80", false},            /* a zero-width space cut short */
    {"\xc0\xa0", false},            /* overlong space */
    {"\xed\xa0\x80", false},        /* surrogate */
};

START_TEST(test_text_blank)
{
    const char *s = blank_cases[_i].s;
    ck_assert_msg(text_blank(s) == blank_cases[_i].blank,
                  "text_blank case %d (\"%s\") should be %s", _i, s ? s : "(null)",
                  blank_cases[_i].blank ? "true" : "false");
}
END_TEST

/* ---- cell widths ------------------------------------------------------- */

static const struct {
    const char *s;
    int width;
} width_cases[] = {
    {"", 0},
    {"abc", 3},
    {"h\xc3\xa9llo", 5},
    {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 6}, /* 日本語 */
    {"a\xe6\x97\xa5"
     "b",
     4},
    {"e\xcc\x81", 1}, /* e + combining acute */
    {"e\xcc\x81"
     "e\xcc\x81"
     "e\xcc\x81",
     3},
    {"\xea\xb0\x80\xeb\x82\x98", 4}, /* 가나 (Hangul) */
    {"a\x01"
     "b",
     3}, /* control: one cell */
    {"a\xff"
     "b",
     3}, /* invalid byte: one cell */
};

START_TEST(test_text_width)
{
    int w = text_width(width_cases[_i].s);
    ck_assert_msg(w == width_cases[_i].width, "text_width case %d = %d, expected %d", _i, w,
                  width_cases[_i].width);
}
END_TEST

static const struct {
    const char *s;
    int cells;
    bool ascii;
    const char *out;
    int width;
} fit_cases[] = {
    {"hello", 10, false, "hello", 5},
    {"hello", 5, false, "hello", 5},
    {"hello world", 5, false, "hell" ELLIPSIS, 5},
    {"hello world", 5, true, "hell~", 5},
    {"hello", 1, false, ELLIPSIS, 1},
    {"hello", 1, true, "~", 1},
    {"hello", 0, false, "", 0},
    {"", 4, false, "", 0},
    /* 日本語 is 6 cells */
    {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 6, false, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 6},
    {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5, false, "\xe6\x97\xa5\xe6\x9c\xac" ELLIPSIS, 5},
    /* 4 cells: 日 + "…" = 3; half of 本 never shows */
    {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4, false, "\xe6\x97\xa5" ELLIPSIS, 3},
    {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4, true, "\xe6\x97\xa5~", 3},
    {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 2, false, ELLIPSIS, 1},
    /* combining marks stay with their base and take no cell */
    {"e\xcc\x81"
     "e\xcc\x81"
     "e\xcc\x81",
     3, false,
     "e\xcc\x81"
     "e\xcc\x81"
     "e\xcc\x81",
     3},
    {"e\xcc\x81"
     "bcdef",
     3, false,
     "e\xcc\x81"
     "b" ELLIPSIS,
     3},
    {"ab\xe6\x97\xa5"
     "cd",
     4, false, "ab" ELLIPSIS, 3},
    /* the output rule: control characters show as their escapes, which
     * take their length in cells and are never cut in half */
    {"a\x1b[2J", 20, false, "a\\x1b[2J", 8},
    {"a\x1b[2J", 4, false, "a" ELLIPSIS, 2},
    {"x\xe2\x80\xae"
     "y",
     20, false, "x\\u202ey", 8},
    {"x\xc2\x9b"
     "y",
     20, true, "x\\u009by", 8},
    {"two\nlines", 20, false, "two\\nlines", 10},
    {"bad\xff", 20, false, "bad\\xff", 7},
};

START_TEST(test_text_fit)
{
    char buf[64];
    memset(buf, 'x', sizeof buf);
    int w = text_fit(fit_cases[_i].s, fit_cases[_i].cells, fit_cases[_i].ascii, buf, sizeof buf);
    ck_assert_msg(strcmp(buf, fit_cases[_i].out) == 0,
                  "text_fit case %d gave \"%s\", expected \"%s\"", _i, buf, fit_cases[_i].out);
    ck_assert_msg(w == fit_cases[_i].width, "text_fit case %d returned %d, expected %d", _i, w,
                  fit_cases[_i].width);
    ck_assert_int_le(text_width(buf), fit_cases[_i].cells);
    ck_assert(utf8_valid(buf, strlen(buf)));
}
END_TEST

/* ---- ids --------------------------------------------------------------- */

static const struct {
    const char *in;
    lb_status st;
    int64_t id;
} id_cases[] = {
    {"12", LB_OK, 12},
    {"1", LB_OK, 1},
    {"9007199254740993", LB_OK, INT64_C(9007199254740993)},
    {"0", LB_EINVAL, 0},
    {"-1", LB_EINVAL, 0},
    {"abc", LB_EINVAL, 0},
    {"", LB_EINVAL, 0},
    {"12a", LB_EINVAL, 0},
    {" 12", LB_EINVAL, 0},
    {"12 ", LB_EINVAL, 0},
    {"1.5", LB_EINVAL, 0},
    {"0x1f", LB_EINVAL, 0},
    {"99999999999999999999999", LB_EINVAL, 0},
};

START_TEST(test_id_parse)
{
    lb_err err;
    lb_err_clear(&err);
    int64_t id = -7;
    lb_status st = id_parse("lead id", id_cases[_i].in, &id, &err);
    ck_assert_msg(st == id_cases[_i].st, "id_parse(\"%s\") returned %d, expected %d",
                  id_cases[_i].in, (int)st, (int)id_cases[_i].st);
    if (st == LB_OK)
        ck_assert_int_eq(id, id_cases[_i].id);
    else
        ck_assert_msg(strstr(err.msg, "lead id") != NULL, "id_parse(\"%s\"): \"%s\" names no what",
                      id_cases[_i].in, err.msg);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *text_suite(void)
{
    Suite *s = suite_create("text");

    TCase *tc = tcase_create("money");
    tcase_add_loop_test(tc, test_money_parse, 0, N(money_cases));
    tcase_add_loop_test(tc, test_money_format, 0, N(money_fmt_cases));
    tcase_add_test(tc, test_money_roundtrip);
    tcase_add_test(tc, test_money_format_small_buffer);
    suite_add_tcase(s, tc);

    tc = tcase_create("time");
    tcase_add_loop_test(tc, test_time_parse, 0, N(time_cases));
    tcase_add_test(tc, test_time_expected_values_are_civil);
    tcase_add_test(tc, test_time_format);
    tcase_add_test(tc, test_time_format_human);
    tcase_add_test(tc, test_time_roundtrip);
    tcase_add_test(tc, test_time_days_from_civil);
    tcase_add_test(tc, test_time_now_env);
    tcase_add_test(tc, test_time_now_env_invalid);
    tcase_add_test(tc, test_time_now_clock);
    tcase_add_test(tc, test_time_format_age);
    suite_add_tcase(s, tc);

    tc = tcase_create("period");
    tcase_add_loop_test(tc, test_period_parse, 0, N(period_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("text_check");
    tcase_add_loop_test(tc, test_text_check, 0, N(text_cases));
    tcase_add_test(tc, test_text_check_limit_in_characters);
    tcase_add_test(tc, test_text_check_message);
    tcase_add_test(tc, test_text_check_bidi_message);
    suite_add_tcase(s, tc);

    tc = tcase_create("name_key");
    tcase_add_loop_test(tc, test_text_name_key, 0, N(name_key_cases));
    tcase_add_test(tc, test_text_name_key_small_buffer);
    suite_add_tcase(s, tc);

    tc = tcase_create("escape");
    tcase_add_loop_test(tc, test_text_escape, 0, N(escape_cases));
    tcase_add_test(tc, test_text_escape_cut);
    suite_add_tcase(s, tc);

    tc = tcase_create("utf8");
    tcase_add_loop_test(tc, test_utf8_valid, 0, N(utf8_cases));
    tcase_add_test(tc, test_utf8_chars);
    tcase_add_loop_test(tc, test_text_blank, 0, N(blank_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("width");
    tcase_add_loop_test(tc, test_text_width, 0, N(width_cases));
    tcase_add_loop_test(tc, test_text_fit, 0, N(fit_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("id");
    tcase_add_loop_test(tc, test_id_parse, 0, N(id_cases));
    suite_add_tcase(s, tc);

    return s;
}
