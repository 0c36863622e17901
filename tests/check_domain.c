/* domain.h and status.h: vocabularies, logins, stage classes, exit codes. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "leadboard/domain.h"
#include "leadboard/status.h"

#include "suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Every vocabulary with the names doc/product.md gives it, in enum order. */
static const char *const team_names[] = {"marketing", "sales", "manager"};
static const char *const stage_names[] = {"nurture",   "handed_off", "accepted", "contacted",
                                          "qualified", "proposal",   "won",      "lost"};
static const char *const channel_names[] = {"event",    "webinar", "email",    "paid", "content",
                                            "referral", "partner", "outbound", "other"};
static const char *const kind_names[] = {"call", "email", "meeting", "note"};
static const char *const outcome_names[] = {"connected",      "voicemail",      "no_answer",
                                            "meeting_booked", "not_interested", "wrong_contact"};
static const char *const reason_names[] = {"fit",    "budget",       "authority", "need",
                                           "timing", "contact_data", "duplicate"};

static const struct {
    const lb_vocab *v;
    const char *const *names;
    int count;
    int enum_count;
} vocabs[] = {
    {&lb_teams, team_names, N(team_names), TEAM_COUNT},
    {&lb_stages, stage_names, N(stage_names), STAGE_COUNT},
    {&lb_channels, channel_names, N(channel_names), CHANNEL_COUNT},
    {&lb_kinds, kind_names, N(kind_names), KIND_COUNT},
    {&lb_outcomes, outcome_names, N(outcome_names), OUTCOME_COUNT},
    {&lb_reasons, reason_names, N(reason_names), REASON_COUNT},
};

START_TEST(test_vocab_names)
{
    const lb_vocab *v = vocabs[_i].v;
    ck_assert_int_eq(v->count, vocabs[_i].count);
    ck_assert_int_eq(v->count, vocabs[_i].enum_count);
    ck_assert_ptr_nonnull(v->what);
    ck_assert_uint_gt(strlen(v->what), 0);
    for (int k = 0; k < vocabs[_i].count; k++) {
        ck_assert_str_eq(v->names[k], vocabs[_i].names[k]);
        ck_assert_str_eq(vocab_name(v, k), vocabs[_i].names[k]);
        ck_assert_int_eq(vocab_find(v, vocabs[_i].names[k]), k);
    }
    ck_assert_str_eq(vocab_name(v, -1), "?");
    ck_assert_str_eq(vocab_name(v, v->count), "?");
}
END_TEST

START_TEST(test_vocab_find_unknown)
{
    const lb_vocab *v = vocabs[_i].v;
    ck_assert_int_eq(vocab_find(v, ""), -1);
    ck_assert_int_eq(vocab_find(v, "nonsense"), -1);
    /* Case-sensitive and exact: no prefixes, no trailing space. */
    char upper[64];
    strcpy(upper, vocabs[_i].names[0]);
    upper[0] = (char)(upper[0] - 'a' + 'A');
    ck_assert_int_eq(vocab_find(v, upper), -1);
    char prefix[64];
    strcpy(prefix, vocabs[_i].names[0]);
    prefix[strlen(prefix) - 1] = '\0';
    ck_assert_int_eq(vocab_find(v, prefix), -1);
    char spaced[64];
    snprintf(spaced, sizeof spaced, "%s ", vocabs[_i].names[0]);
    ck_assert_int_eq(vocab_find(v, spaced), -1);
}
END_TEST

START_TEST(test_vocab_parse)
{
    const lb_vocab *v = vocabs[_i].v;
    for (int k = 0; k < vocabs[_i].count; k++) {
        int out = -1;
        lb_err err;
        ck_assert_int_eq(vocab_parse(v, vocabs[_i].names[k], &out, &err), LB_OK);
        ck_assert_int_eq(out, k);
    }
    /* The error lists every allowed name. */
    int out = -1;
    lb_err err;
    lb_err_clear(&err);
    ck_assert_int_eq(vocab_parse(v, "bogus", &out, &err), LB_EINVAL);
    ck_assert_msg(strstr(err.msg, "'bogus'") != NULL, "no quoted input in \"%s\"", err.msg);
    ck_assert_msg(strstr(err.msg, v->what) != NULL, "no \"%s\" in \"%s\"", v->what, err.msg);
    for (int k = 0; k < vocabs[_i].count; k++)
        ck_assert_msg(strstr(err.msg, vocabs[_i].names[k]) != NULL, "\"%s\" missing from \"%s\"",
                      vocabs[_i].names[k], err.msg);
}
END_TEST

START_TEST(test_vocab_parse_message_exact)
{
    int out = -1;
    lb_err err;
    ck_assert_int_eq(vocab_parse(&lb_teams, "boss", &out, &err), LB_EINVAL);
    ck_assert_str_eq(err.msg, "unknown team 'boss'; use one of: marketing, sales, manager");
    ck_assert_str_eq(lb_teams.what, "team");
    ck_assert_str_eq(lb_stages.what, "stage");
}
END_TEST

START_TEST(test_vocab_list)
{
    char buf[256];
    vocab_list(&lb_teams, buf, sizeof buf);
    ck_assert_str_eq(buf, "marketing, sales, manager");
    vocab_list(&lb_kinds, buf, sizeof buf);
    ck_assert_str_eq(buf, "call, email, meeting, note");
    vocab_list(&lb_stages, buf, sizeof buf);
    ck_assert_str_eq(buf,
                     "nurture, handed_off, accepted, contacted, qualified, proposal, won, lost");
}
END_TEST

START_TEST(test_vocab_list_small_buffer)
{
    char buf[8];
    memset(buf, 'x', sizeof buf);
    vocab_list(&lb_outcomes, buf, sizeof buf);
    ck_assert_msg(memchr(buf, '\0', sizeof buf) != NULL, "vocab_list overflowed its buffer");
    ck_assert_int_eq(strncmp(buf, "connected", strlen(buf)), 0);
}
END_TEST

START_TEST(test_stage_and_team_names)
{
    for (int k = 0; k < STAGE_COUNT; k++)
        ck_assert_str_eq(stage_name((lb_stage)k), stage_names[k]);
    for (int k = 0; k < TEAM_COUNT; k++)
        ck_assert_str_eq(team_name((lb_team)k), team_names[k]);
}
END_TEST

static const struct {
    lb_stage s;
    bool working, closed;
} stage_classes[] = {
    {STAGE_NURTURE, false, false},  {STAGE_HANDED_OFF, false, false}, {STAGE_ACCEPTED, true, false},
    {STAGE_CONTACTED, true, false}, {STAGE_QUALIFIED, true, false},   {STAGE_PROPOSAL, true, false},
    {STAGE_WON, false, true},       {STAGE_LOST, false, true},
};

START_TEST(test_stage_classes)
{
    ck_assert_msg(stage_is_working(stage_classes[_i].s) == stage_classes[_i].working,
                  "stage_is_working(%s)", stage_names[_i]);
    ck_assert_msg(stage_is_closed(stage_classes[_i].s) == stage_classes[_i].closed,
                  "stage_is_closed(%s)", stage_names[_i]);
}
END_TEST

static const struct {
    const char *login;
    bool valid;
} login_cases[] = {
    {"sam", true},
    {"a", true},
    {"0", true},
    {"sam.o-k_1", true},
    {"abcdefghijklmnopqrstuvwxyz012345", true},   /* 32 */
    {"abcdefghijklmnopqrstuvwxyz0123456", false}, /* 33 */
    {"", false},
    {"Sam", false},
    {"sam smith", false},
    {"sam/x", false},
    {"s\xc3\xa1m", false},
    {"sam@corp", false},
    {"sam\n", false},
};

START_TEST(test_login_valid)
{
    ck_assert_msg(login_valid(login_cases[_i].login) == login_cases[_i].valid,
                  "login_valid(\"%s\") should be %s", login_cases[_i].login,
                  login_cases[_i].valid ? "true" : "false");
}
END_TEST

static const struct {
    lb_status st;
    int code;
} exit_codes[] = {
    {LB_OK, 0},          {LB_EUSAGE, 1}, {LB_EINVAL, 2},    {LB_ENOTFOUND, 2},
    {LB_ETRANSITION, 2}, {LB_EPERM, 3},  {LB_ECONFLICT, 4}, {LB_EDB, 5},
};

START_TEST(test_status_exit_code)
{
    ck_assert_int_eq(lb_status_exit_code(exit_codes[_i].st), exit_codes[_i].code);
    const char *d = lb_status_desc(exit_codes[_i].st);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_gt(strlen(d), 0);
}
END_TEST

START_TEST(test_status_desc_and_fail)
{
    ck_assert_str_eq(lb_status_desc(LB_OK), "ok");
    ck_assert_str_eq(lb_status_desc(LB_ECONFLICT), "conflict");
    ck_assert_int_eq(LB_STATUS_COUNT, 8);

    lb_err err;
    lb_err_clear(&err);
    ck_assert_int_eq(err.status, LB_OK);
    ck_assert_str_eq(err.msg, "");

    ck_assert_int_eq(lb_fail(&err, LB_ENOTFOUND, "no lead %d", 42), LB_ENOTFOUND);
    ck_assert_int_eq(err.status, LB_ENOTFOUND);
    ck_assert_str_eq(err.msg, "no lead 42");

    ck_assert_int_eq(lb_fail(NULL, LB_EPERM, "ignored"), LB_EPERM);

    /* A message longer than the buffer is cut, not overflowed. */
    char big[LB_ERR_MAX * 2];
    memset(big, 'y', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    lb_fail(&err, LB_EINVAL, "%s", big);
    ck_assert_uint_eq(strlen(err.msg), LB_ERR_MAX - 1);

    lb_err_clear(&err);
    ck_assert_int_eq(err.status, LB_OK);
    ck_assert_str_eq(err.msg, "");
}
END_TEST

Suite *domain_suite(void)
{
    Suite *s = suite_create("domain");

    TCase *tc = tcase_create("vocab");
    tcase_add_loop_test(tc, test_vocab_names, 0, N(vocabs));
    tcase_add_loop_test(tc, test_vocab_find_unknown, 0, N(vocabs));
    tcase_add_loop_test(tc, test_vocab_parse, 0, N(vocabs));
    tcase_add_test(tc, test_vocab_parse_message_exact);
    tcase_add_test(tc, test_vocab_list);
    tcase_add_test(tc, test_vocab_list_small_buffer);
    tcase_add_test(tc, test_stage_and_team_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("stages");
    tcase_add_loop_test(tc, test_stage_classes, 0, N(stage_classes));
    suite_add_tcase(s, tc);

    tc = tcase_create("login");
    tcase_add_loop_test(tc, test_login_valid, 0, N(login_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("status");
    tcase_add_loop_test(tc, test_status_exit_code, 0, N(exit_codes));
    tcase_add_test(tc, test_status_desc_and_fail);
    suite_add_tcase(s, tc);

    return s;
}
