/* import.h: header mapping for CRM layouts, the import's validation (a bad
 * row anywhere writes nothing), duplicates in the three modes, dry runs,
 * campaigns, permissions, the audit trail, and export → import round trips
 * field by field.  The CSV is inline: the sample files live outside the
 * repository, so the layouts of ../shared/data are copied here in small. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/actions.h"
#include "leadboard/csv.h"
#include "leadboard/db.h"
#include "leadboard/import.h"
#include "leadboard/report.h"
#include "leadboard/store.h"
#include "leadboard/text.h"

#include "suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static lb_db *db;
static lb_ctx ctx;
static lb_err err;
static lb_import_summary sum;
static lb_time clock_now;
static const lb_time T0 = 1709542800; /* 2024-03-04T09:00:00Z */

#define CHECK_OK(call)                                                                             \
    do {                                                                                           \
        lb_err_clear(&err);                                                                        \
        lb_status st_ = (call);                                                                    \
        ck_assert_msg(st_ == LB_OK, "%s failed: %d %s", #call, (int)st_, err.msg);                 \
    } while (0)

static void as_on(lb_db *d, const char *login)
{
    char now[LB_TIME_BUF];
    clock_now += 60;
    time_format(clock_now, now);
    setenv("LEADBOARD_NOW", now, 1);
    lb_err e;
    ck_assert_msg(ctx_init(&ctx, d, login, &e) == LB_OK, "ctx_init: %s", e.msg);
}

static void as(const char *login)
{
    as_on(db, login);
}

static int64_t sql_int_on(lb_db *d, const char *expr)
{
    char sql[1024], buf[64];
    lb_err e;
    snprintf(sql, sizeof sql,
             "INSERT OR REPLACE INTO settings(key, value) SELECT 'test.probe', (%s)", expr);
    ck_assert_msg(db_exec_raw(d, sql, &e) == LB_OK, "%s: %s", sql, e.msg);
    ck_assert_int_eq(setting_get(d, "test.probe", buf, sizeof buf, &e), LB_OK);
    return strtoll(buf, NULL, 10);
}

static int64_t sql_int(const char *expr)
{
    return sql_int_on(db, expr);
}

static lb_lead get(int64_t id)
{
    lb_lead l;
    lb_err e;
    ck_assert_msg(lead_get(db, id, &l, &e) == LB_OK, "lead_get(%lld): %s", (long long)id, e.msg);
    return l;
}

/* The lead with this email (exactly). */
struct email_find {
    const char *email;
    int64_t id;
};

static int email_match(const lb_lead *l, void *ud)
{
    struct email_find *f = ud;
    if (strcmp(l->email, f->email) != 0)
        return 0;
    f->id = l->id;
    return 1;
}

static lb_lead by_email(const char *email)
{
    struct email_find f = {email, 0};
    lb_lead_filter flt = {.search = email};
    CHECK_OK(lead_each(db, &flt, email_match, &f, &err));
    ck_assert_msg(f.id > 0, "no lead with email %s", email);
    return get(f.id);
}

static void add_team(lb_db *d)
{
    as_on(d, "max");
    CHECK_OK(act_user_add(&ctx, "max", "manager", "Max Manager", &err));
    as_on(d, "max");
    CHECK_OK(act_user_add(&ctx, "mia", "marketing", "Mia Marketer", &err));
    CHECK_OK(act_user_add(&ctx, "mo", "marketing", "Mo Marketer", &err));
    CHECK_OK(act_user_add(&ctx, "sam", "sales", "Sam Seller", &err));
    CHECK_OK(act_user_add(&ctx, "sue", "sales", "Sue Seller", &err));
}

static void setup(void)
{
    clock_now = T0;
    lb_err_clear(&err);
    unsetenv("LEADBOARD_USER");
    ck_assert_msg(test_db_open(&db, &err) == LB_OK, "db_open: %s", err.msg);
    add_team(db);
    as("mia");
    lb_campaign_input c = {.name = "Spring Expo", .channel = "event", .cost = "1500"};
    CHECK_OK(act_campaign_add(&ctx, &c, NULL, &err));
}

static void teardown(void)
{
    if (db)
        db_close(db);
    db = NULL;
}

/* Imports csv as the current ctx. */
static lb_status import_opts(const char *csv, const char *campaign, bool dry_run, lb_dup_mode mode)
{
    lb_import_opts o = {.source = "test.csv", .campaign = campaign, .dry_run = dry_run, .on_duplicate = mode};
    csv_reader *r = csv_open_mem(csv, strlen(csv));
    lb_err_clear(&err);
    lb_status st = import_csv(&ctx, r, &o, &sum, &err);
    csv_close(r);
    return st;
}

static lb_status import(const char *csv)
{
    return import_opts(csv, NULL, false, DUP_SKIP);
}

/* ---- "writes nothing" ---- */

typedef struct {
    int64_t leads, events, campaigns, versions;
} counts;

static counts take(void)
{
    counts c = {sql_int("SELECT count(*) FROM leads"), sql_int("SELECT count(*) FROM events"),
                sql_int("SELECT count(*) FROM campaigns"),
                sql_int("SELECT coalesce(sum(version), 0) FROM leads")};
    return c;
}

#define REFUSED(want, msg_part, call)                                                              \
    do {                                                                                           \
        counts before_ = take();                                                                   \
        lb_status st_ = (call);                                                                    \
        ck_assert_msg(st_ == (want), "%s returned %d, expected %d (%s)", #call, (int)st_,          \
                      (int)(want), err.msg);                                                       \
        ck_assert_msg(strstr(err.msg, msg_part) != NULL, "message '%s' lacks '%s'", err.msg,       \
                      msg_part);                                                                   \
        counts after_ = take();                                                                    \
        ck_assert_msg(memcmp(&before_, &after_, sizeof before_) == 0,                              \
                      "%s wrote: leads %lld→%lld, events %lld→%lld, campaigns %lld→%lld", #call,   \
                      (long long)before_.leads, (long long)after_.leads,                           \
                      (long long)before_.events, (long long)after_.events,                         \
                      (long long)before_.campaigns, (long long)after_.campaigns);                  \
    } while (0)

/* ---- header mapping ---- */

static const struct {
    const char *header;
    lb_import_field field;
} header_cases[] = {
    {"First Name", IMP_FIRST_NAME},
    {"first_name", IMP_FIRST_NAME},
    /* the longest qualifier is taken off: "Personal", not "Person" */
    {"Personal Email", IMP_EMAIL},
    {"Person - Email", IMP_EMAIL},
    /* Outlook in French and German, Pipedrive's deals, Close's contacts */
    {"Adresse de messagerie", IMP_EMAIL},
    {"T\xc3\xa9l\xc3\xa9phone (bureau)", IMP_PHONE},
    {"T\xc3\xa9l. mobile", IMP_MOBILE},
    {"Fonction", IMP_TITLE},
    {"Telefon gesch\xc3\xa4" "ftlich", IMP_PHONE},
    {"Deal - Contact person", IMP_NAME},
    {"Deal - Organization", IMP_COMPANY},
    {"contact_emails", IMP_EMAIL},
    {"contact_title", IMP_TITLE},
    /* address books in other languages (Thunderbird's exports) */
    {"Prim\xc3\xa4re E-Mail-Adresse", IMP_EMAIL},
    {"Anzeigename", IMP_NAME},
    {"Mobil-Tel.-Nr.", IMP_MOBILE},
    {"Nom de famille", IMP_LAST_NAME},
    {"Premi\xc3\xa8re adresse \xc3\xa9lectronique", IMP_EMAIL},
    {"T\xc3\xa9l. professionnel", IMP_PHONE},
    {"\xe5\xa7\x93", IMP_LAST_NAME},                  /* 姓 */
    {"\xe8\xa1\xa8\xe7\xa4\xba\xe5\x90\x8d", IMP_NAME}, /* 表示名 */
    {"\xe7\xac\xac 1 \xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab\xe3\x82\xa2\xe3\x83\x89\xe3\x83\xac\xe3\x82\xb9",
     IMP_EMAIL},                                        /* 第 1 メールアドレス */
    {"\xe6\x90\xba\xe5\xb8\xaf\xe9\x9b\xbb\xe8\xa9\xb1\xe7\x95\xaa\xe5\x8f\xb7", IMP_MOBILE}, /* 携帯電話番号 */
    {"\xe5\x8b\xa4\xe5\x8b\x99\xe5\x85\x88", IMP_COMPANY}, /* 勤務先 */
    {"FIRSTNAME", IMP_FIRST_NAME},
    {"Last-Name", IMP_LAST_NAME},
    {"First Name\xC2\xA0", IMP_FIRST_NAME},      /* a trailing no-break space */
    {"\xC2\xA0Last\xC2\xA0Name", IMP_LAST_NAME}, /* no-break spaces anywhere */
    {"\xEF\xBB\xBF"
     "Email",
     IMP_EMAIL}, /* a stray BOM */
    {"campaign_channel", IMP_CAMPAIGN_CHANNEL},
    {"Campaign Cost", IMP_CAMPAIGN_COST},
    {"Name", IMP_NAME},
    {"Full Name", IMP_NAME},
    {"Company", IMP_COMPANY},
    {"Company Name", IMP_COMPANY},
    {"Account Name", IMP_COMPANY},
    {"Email", IMP_EMAIL},
    {"E-mail", IMP_EMAIL},
    {"Email Address", IMP_EMAIL},
    {"Phone", IMP_PHONE},
    {"Phone Number", IMP_PHONE},
    {"Mobile", IMP_MOBILE},
    {"Title", IMP_TITLE},
    {"Job Title", IMP_TITLE},
    {"Lead Source", IMP_CAMPAIGN},
    {"Campaign", IMP_CAMPAIGN},
    {"Original Source", IMP_CAMPAIGN},
    {"Amount", IMP_VALUE},
    {"Estimated Value", IMP_VALUE},
    {"value", IMP_VALUE},
    {"Description", IMP_NOTES},
    {"Notes", IMP_NOTES},
    {"id", IMP_IGNORED},
    {"stars", IMP_STARS},
    {"Furthest", IMP_FURTHEST},
    {"rejections", IMP_REJECTIONS},
    {"stage", IMP_STAGE},
    {"owner", IMP_OWNER},
    {"marketer", IMP_MARKETER},
    {"reason", IMP_REASON},
    {"created_at", IMP_CREATED_AT},
    {"Handed Off At", IMP_HANDED_OFF_AT},
    {"closed_at", IMP_CLOSED_AT},
    {"Lead ID", IMP_UNKNOWN},
    {"Industry", IMP_UNKNOWN},
    {"Lead Owner", IMP_UNKNOWN},
    {"Contact owner", IMP_UNKNOWN},
    {"Lifecycle Stage", IMP_UNKNOWN},
    {"Created Date", IMP_UNKNOWN},
    {"", IMP_UNKNOWN},
    {"emailaddressemailaddressemailaddressemailaddressemailaddressemailaddress", IMP_UNKNOWN},
    /* the spellings of real exports (issue 12) */
    {"Display Name", IMP_NAME},
    {"Primary Email", IMP_EMAIL},
    {"Secondary Email", IMP_EMAIL},
    {"E-mail 1 - Value", IMP_EMAIL},
    {"E-mail 2 - Value", IMP_EMAIL},
    {"E-mail 1 - Type", IMP_UNKNOWN},
    {"E-mail 2 Address", IMP_EMAIL},
    {"EmailID", IMP_EMAIL},
    {"email_work", IMP_EMAIL},
    {"email_other", IMP_EMAIL},
    {"Email (Work)", IMP_EMAIL},
    {"Email - Home", IMP_EMAIL},
    {"Contact Email", IMP_EMAIL},
    {"Email Opt Out", IMP_UNKNOWN},
    {"Company / Account", IMP_COMPANY},
    {"Company name", IMP_COMPANY},
    {"Organization", IMP_COMPANY},
    {"Organization 1 - Name", IMP_COMPANY},
    {"Organization 1 - Title", IMP_TITLE},
    {"Person - Organization", IMP_COMPANY},
    {"Mobile Phone Number", IMP_MOBILE},
    {"Mobile Number", IMP_MOBILE},
    {"Phone - Mobile", IMP_MOBILE},
    {"Cell Phone", IMP_MOBILE},
    {"Work Phone", IMP_PHONE},
    {"Home Phone", IMP_PHONE},
    {"Phone 1 - Value", IMP_PHONE},
    {"Phone 1 - Type", IMP_UNKNOWN},
    {"Business Fax", IMP_UNKNOWN},
    {"Given Name", IMP_FIRST_NAME},
    {"Family Name", IMP_LAST_NAME},
    {"Contact First Name", IMP_FIRST_NAME},
    {"contact_last_name", IMP_LAST_NAME},
    {"firstname", IMP_FIRST_NAME},
    {"Vorname", IMP_FIRST_NAME},
    {"Pr\xC3\xA9nom", IMP_FIRST_NAME},
    {"SOCI\xC3\x89T\xC3\x89", IMP_COMPANY},
    {"Position", IMP_TITLE},
    {"Deal - Title", IMP_UNKNOWN},
    {"Deal Value", IMP_VALUE},
    {"Lead Status", IMP_UNKNOWN},
    {"Middle Name", IMP_UNKNOWN},
    {"Nickname", IMP_UNKNOWN},
    {"Record ID", IMP_UNKNOWN},
    {"Create Date", IMP_UNKNOWN},
    {"E\x1bm\x7f" "ail\x01", IMP_EMAIL}, /* control characters are no part of a name */
    /* event and form tools, units and types after a name, other tongues */
    {"Invitee Name", IMP_NAME},
    {"Invitee Email", IMP_EMAIL},
    {"Attendee First Name", IMP_FIRST_NAME},
    {"Participant Name", IMP_NAME},
    {"Deal value (EUR)", IMP_VALUE},
    {"Amount (USD)", IMP_VALUE},
    {"Telephone (Cell)", IMP_PHONE},
    {"EMAIL;TYPE=INTERNET", IMP_EMAIL},
    {"Name;Email", IMP_UNKNOWN}, /* a header read with the wrong delimiter */
    {"FN", IMP_NAME},
    {"Lead - Title", IMP_UNKNOWN}, /* Pipedrive: the lead's name, not a job */
    {"Lead - Value", IMP_VALUE},
    {"Deal Size", IMP_VALUE},
    {"Work number", IMP_PHONE},
    {"First Phone", IMP_PHONE},
    {"Corporate Phone", IMP_PHONE},
    {"Betrag", IMP_VALUE},
    {"Kampagne", IMP_CAMPAIGN},
    {"Montant", IMP_VALUE},
    {"Cargo", IMP_TITLE},
    {"Importe", IMP_VALUE},
    {"custom.Lead Source", IMP_CAMPAIGN}, /* Close */
};

/* The campaign `name` on board d has this channel and cost (cents). */
static void assert_campaign(lb_db *d, const char *name, lb_channel channel, int64_t cost)
{
    lb_campaign c;
    lb_err e;
    ck_assert_msg(campaign_get(d, name, &c, &e) == LB_OK, "%s: %s", name, e.msg);
    ck_assert_msg(c.channel == channel, "%s: channel %d, want %d", name, c.channel, channel);
    ck_assert_msg(c.cost == cost, "%s: cost %lld, want %lld", name, (long long)c.cost,
                  (long long)cost);
}

START_TEST(test_header_mapping)
{
    ck_assert_msg(import_map_header(header_cases[_i].header) == header_cases[_i].field,
                  "'%s' maps to %d, expected %d", header_cases[_i].header,
                  (int)import_map_header(header_cases[_i].header), (int)header_cases[_i].field);
}
END_TEST

START_TEST(test_dup_mode_parse)
{
    lb_dup_mode m;
    CHECK_OK(dup_mode_parse("skip", &m, &err));
    ck_assert_int_eq(m, DUP_SKIP);
    CHECK_OK(dup_mode_parse("update", &m, &err));
    ck_assert_int_eq(m, DUP_UPDATE);
    CHECK_OK(dup_mode_parse("error", &m, &err));
    ck_assert_int_eq(m, DUP_ERROR);
    ck_assert_int_eq(dup_mode_parse("Skip", &m, &err), LB_EUSAGE);
    ck_assert_int_eq(dup_mode_parse(NULL, &m, &err), LB_EUSAGE);
}
END_TEST

/* ---- the CRM layouts ---- */

/* ../shared/data/salesforce_leads.csv in small: BOM, CRLF, a quoted comma,
 * a quoted line break, Unicode, unknown columns, Phone and Mobile. */
static const char salesforce[] =
    "\xEF\xBB\xBFLead ID,First Name,Last Name,Title,Company,Email,Phone,Mobile,Lead Source,Lead "
    "Status,Industry,Created Date,Lead Owner,Description\r\n"
    "00Q1,Katarzyna,Kim,Head of Sales,Müller & Söhne GmbH,katarzyna.kim0@mllershnegmb.test,+1 "
    "(866) 555-1791,,Web,Open - Not Contacted,Software,2026-10-14,,\r\n"
    "00Q2,Rafael,Kim,\"Director, IT\",Tyrell Corporation,rafael.kim2@tyrellcorpor.test,,+1 (629) "
    "555-3363,Paid Search,Open - Not Contacted,Retail,2026-10-04,,\r\n"
    "00Q3,Yusuf,Okafor,Operations Lead,Stark Industries,yusuf.okafor8@starkindustr.test,+1 (956) "
    "555-5056,+1 (956) 555-0000,Web,Working - Contacted,Software,2026-10-05,,\"Met at the "
    "keynote.\r\nFollow up after the holidays\"\r\n";

START_TEST(test_salesforce_layout)
{
    as("mia");
    CHECK_OK(import(salesforce));
    ck_assert_int_eq(sum.added, 3);
    ck_assert_int_eq(sum.updated, 0);
    ck_assert_int_eq(sum.skipped, 0);
    ck_assert_str_eq(sum.unknown_columns,
                     "Lead ID, Lead Status, Industry, Created Date, Lead Owner");
    ck_assert_str_eq(sum.created_campaigns, "Web, Paid Search");
    ck_assert_int_eq(sum.created_campaigns_n, 2);

    lb_lead k = by_email("katarzyna.kim0@mllershnegmb.test");
    ck_assert_str_eq(k.name, "Katarzyna Kim");
    ck_assert_str_eq(k.company, "Müller & Söhne GmbH");
    ck_assert_str_eq(k.title, "Head of Sales");
    ck_assert_str_eq(k.phone, "+1 (866) 555-1791");
    ck_assert_str_eq(k.campaign, "Web");
    ck_assert_int_eq(k.stage, STAGE_NURTURE);
    ck_assert_str_eq(k.marketer, "mia");
    ck_assert_str_eq(k.notes, "Lead ID: 00Q1\nLead Status: Open - Not Contacted\n"
                              "Industry: Software\nCreated Date: 2026-10-14");

    lb_lead r = by_email("rafael.kim2@tyrellcorpor.test");
    ck_assert_str_eq(r.title, "Director, IT");
    ck_assert_str_eq(r.phone, "+1 (629) 555-3363"); /* Mobile when Phone is empty */
    ck_assert_str_eq(r.campaign, "Paid Search");

    lb_lead y = by_email("yusuf.okafor8@starkindustr.test");
    ck_assert_str_eq(y.phone, "+1 (956) 555-5056"); /* Phone preferred */
    ck_assert_ptr_nonnull(strstr(y.notes, "Met at the keynote.\r\nFollow up after the holidays\n"
                                          "Lead ID: 00Q3\nMobile: +1 (956) 555-0000\n"));
    ck_assert_int_eq(k.campaign_id, y.campaign_id); /* "Web" created once */
}
END_TEST

/* ../shared/data/hubspot_contacts.csv in small: LF, money with cents, CJK. */
static const char hubspot[] =
    "Record ID,First Name,Last Name,Email,Phone Number,Company Name,Job Title,Lifecycle "
    "Stage,Lead Status,Original Source,Create Date,Contact owner,Estimated Value\n"
    "51000,Mónica,Petrova,mnica.petrova1000@globexcorpor.test,+1 (842) 555-1308,Globex "
    "Corporation,Procurement Manager,marketingqualifiedlead,OPEN,Organic Search,2026-09-15 "
    "11:57,,32500.00\n"
    "51008,Ximena,Kim,ximena.kim1008@example.test,+1 (552) 555-7162,北京科技有限公司,CEO,lead,"
    "OPEN,Organic Search,2026-09-11 15:35,,8000.5\n"
    "51009,Gustavo,Zhang,gustavo.zhang1009@acmeinc.test,,\"Acme, Inc.\",\"Director, "
    "IT\",marketingqualifiedlead,NEW,Paid Social,2026-09-13 19:14,,\n";

START_TEST(test_hubspot_layout)
{
    as("mo");
    CHECK_OK(import(hubspot));
    ck_assert_int_eq(sum.added, 3);
    ck_assert_str_eq(sum.created_campaigns, "Organic Search, Paid Social");
    lb_lead m = by_email("mnica.petrova1000@globexcorpor.test");
    ck_assert_str_eq(m.name, "Mónica Petrova");
    ck_assert_str_eq(m.company, "Globex Corporation");
    ck_assert_str_eq(m.title, "Procurement Manager");
    ck_assert_str_eq(m.phone, "+1 (842) 555-1308");
    ck_assert(m.has_value);
    ck_assert_int_eq(m.value, 3250000);
    ck_assert_str_eq(m.marketer, "mo");
    ck_assert_ptr_nonnull(strstr(m.notes, "Create Date: 2026-09-15 11:57"));
    ck_assert_ptr_null(strstr(m.notes, "Contact owner")); /* empty values are skipped */
    lb_lead x = by_email("ximena.kim1008@example.test");
    ck_assert_str_eq(x.company, "北京科技有限公司");
    ck_assert_int_eq(x.value, 800050);
    lb_lead g = by_email("gustavo.zhang1009@acmeinc.test");
    ck_assert_str_eq(g.company, "Acme, Inc.");
    ck_assert(!g.has_value);
    ck_assert_str_eq(g.phone, "");
}
END_TEST

START_TEST(test_name_column_preferred)
{
    as("mia");
    CHECK_OK(import("Full Name,First Name,Last Name,Email\n"
                    "\"O'Brien, Wei \"\"W\"\"\",Wei,O'Brien,w@x.test\n"
                    ",Ana,Avila,a@x.test\n"
                    ",,Chen,c@x.test\n"));
    ck_assert_str_eq(by_email("w@x.test").name, "O'Brien, Wei \"W\"");
    ck_assert_str_eq(by_email("a@x.test").name, "Ana Avila");
    ck_assert_str_eq(by_email("c@x.test").name, "Chen");
}
END_TEST

START_TEST(test_header_only_and_blank_rows)
{
    as("mia");
    CHECK_OK(import("Name,Email\r\n"));
    ck_assert_int_eq(sum.added, 0);
    CHECK_OK(import("Name,Email\n,\n\n\"\",\"\"\nAna,a@x.test\n , \n"));
    ck_assert_int_eq(sum.added, 1);
    ck_assert_int_eq(sum.blank_rows, 3);
    /* Rows ending in an extra empty field lose nothing. */
    CHECK_OK(import("Name,Email\nBo,b@x.test,\nCy,c@x.test,,\n"));
    ck_assert_int_eq(sum.added, 2);
}
END_TEST

START_TEST(test_created_at_for_marketing)
{
    as("mia");
    CHECK_OK(import("Name,created_at,stage,owner,stage_at\n"
                    "Ana,2023-05-06T07:08:09Z,won,sam,2023-06-01\n"));
    ck_assert(sum.pipeline_ignored);
    ck_assert_int_eq(sum.unknown_columns_n, 0);
    lb_lead l = get(sql_int("SELECT max(id) FROM leads"));
    ck_assert_str_eq(l.created_at, "2023-05-06T07:08:09Z");
    ck_assert_int_eq(l.stage, STAGE_NURTURE); /* stage and owner: managers only */
    ck_assert_int_eq(l.owner_id, 0);
    ck_assert_str_eq(l.stage_at, ctx.now_iso);
    ck_assert_str_eq(l.marketer, "mia");
    ck_assert_str_eq(l.notes, ""); /* known columns are not notes */
}
END_TEST

START_TEST(test_notes_cut_when_full)
{
    char *csv = malloc(LB_NOTES_MAX + 100);
    strcpy(csv, "Name,Notes,Extra\nAna,\"");
    memset(csv + strlen(csv), 'n', LB_NOTES_MAX - 10);
    strcpy(csv + 22 + LB_NOTES_MAX - 10, "\",too much to keep\n");
    as("mia");
    CHECK_OK(import(csv));
    ck_assert_int_eq(sum.notes_cut, 1);
    lb_lead l = get(sql_int("SELECT max(id) FROM leads"));
    ck_assert_uint_eq(strlen(l.notes), LB_NOTES_MAX - 10);
    free(csv);
}
END_TEST

START_TEST(test_repeated_columns)
{
    /* The first column of a kind with a value is the field; the others'
     * values are kept in the notes (once, where they differ). */
    as("mia");
    CHECK_OK(import("Name,Email,Email,Campaign,Lead Source\nAna,a@x.test,ana@home.test,Web,Fair\n"
                    "Bo,,bo@x.test,,Fair\nCy,c@x.test,c@x.test,Web,Web\n"));
    lb_lead l = by_email("a@x.test");
    ck_assert_str_eq(l.campaign, "Web");
    ck_assert_str_eq(l.notes, "Email: ana@home.test\nLead Source: Fair");
    ck_assert_str_eq(sum.unknown_columns, "");
    l = by_email("bo@x.test");
    ck_assert_str_eq(l.campaign, "Fair");
    ck_assert_str_eq(l.notes, "");
    ck_assert_str_eq(by_email("c@x.test").notes, "");
}
END_TEST

START_TEST(test_header_no_break_space)
{
    /* Spreadsheets pad headers with U+00A0: "First Name\u00A0" is First Name. */
    as("mia");
    CHECK_OK(import("First Name\xC2\xA0,Last Name,Email\nAna,Avila,a@x.test\n"));
    ck_assert_int_eq(sum.added, 1);
    ck_assert_int_eq(sum.unknown_columns_n, 0);
    ck_assert_str_eq(sum.unknown_columns, "");
    lb_lead l = by_email("a@x.test");
    ck_assert_str_eq(l.name, "Ana Avila");
    ck_assert_str_eq(l.notes, "");
}
END_TEST

START_TEST(test_invisible_padding_trimmed)
{
    /* No-break and zero-width spaces around first and last names, email
     * and campaign go, as plain spaces do. */
    as("mia");
    CHECK_OK(import("First Name,Last Name,Email,Campaign\n"
                    "Ed\xC2\xA0,\xE2\x80\x8BLee\xC2\xA0,\xC2\xA0"
                    "e@x.test\xE2\x80\x8B,"
                    "\xE3\x80\x80"
                    "Expo\xC2\xA0\n"));
    lb_lead l = by_email("e@x.test");
    ck_assert_str_eq(l.name, "Ed Lee");
    ck_assert_str_eq(l.campaign, "Expo");
}
END_TEST

START_TEST(test_crm_pipeline_columns_kept_for_marketing)
{
    /* Not leadboard's export (no stage_at): ID, Stage, Owner and Reason are
     * the CRM's own, kept in the notes like any other column. */
    as("mia");
    CHECK_OK(import("Name,ID,Stage,Owner,Reason,Email\n"
                    "Ana,42,Prospecting,Jane Roe,Budget review,a@x.test\n"));
    ck_assert_int_eq(sum.added, 1);
    ck_assert(!sum.pipeline_ignored);
    ck_assert_str_eq(sum.unknown_columns, "ID, Stage, Owner, Reason");
    ck_assert_int_eq(sum.unknown_columns_n, 4);
    lb_lead l = by_email("a@x.test");
    ck_assert_str_eq(l.notes, "ID: 42\nStage: Prospecting\nOwner: Jane Roe\nReason: Budget review");
    ck_assert_int_eq(l.stage, STAGE_NURTURE);
    ck_assert_int_eq(l.owner_id, 0);
    ck_assert_str_eq(l.reason, "");
    ck_assert_str_eq(l.marketer, "mia");
    ck_assert_str_eq(l.stage_at, ctx.now_iso);
}
END_TEST

START_TEST(test_own_pipeline_columns_ignored_for_marketing)
{
    /* leadboard's own layout (stage_at): the same columns are left out. */
    as("mia");
    CHECK_OK(import("Name,ID,Stage,Owner,Reason,Email,stage_at\n"
                    "Ana,42,won,sam,Budget review,a@x.test,2024-01-01\n"));
    ck_assert_int_eq(sum.added, 1);
    ck_assert(sum.pipeline_ignored);
    ck_assert_int_eq(sum.unknown_columns_n, 0);
    lb_lead l = by_email("a@x.test");
    ck_assert_str_eq(l.notes, "");
    ck_assert_int_eq(l.stage, STAGE_NURTURE);
    ck_assert_int_eq(l.owner_id, 0);
    ck_assert_str_eq(l.reason, "");
    ck_assert_str_eq(l.stage_at, ctx.now_iso);
}
END_TEST

static const struct {
    const char *text;
    int64_t cents;
} values[] = {
    {"32500.00", 3250000}, {"12500.5", 1250050}, {"12500", 1250000}, {" 7 ", 700}, {"0", 0},
};

START_TEST(test_value_forms)
{
    char csv[128];
    snprintf(csv, sizeof csv, "Name,Amount\nAna,\"%s\"\n", values[_i].text);
    as("mia");
    CHECK_OK(import(csv));
    lb_lead l = get(sql_int("SELECT max(id) FROM leads"));
    ck_assert(l.has_value);
    ck_assert_int_eq(l.value, values[_i].cents);
}
END_TEST

typedef struct {
    const char *p;
    size_t len, pos;
} drip;

static long drip_read(void *ud, char *buf, size_t n)
{
    drip *d = ud;
    size_t k = d->len - d->pos < 3 ? d->len - d->pos : 3;
    if (k > n)
        k = n; /* never more than asked for */
    memcpy(buf, d->p + d->pos, k);
    d->pos += k;
    return (long)k;
}

START_TEST(test_import_streamed)
{
    /* Three bytes per read: the BOM, CRLFs and quoted line breaks split. */
    drip d = {salesforce, strlen(salesforce), 0};
    csv_reader *r = csv_open(drip_read, &d);
    lb_import_opts o = {.source = "drip.csv", .campaign = NULL, .dry_run = false, .on_duplicate = DUP_SKIP};
    as("mia");
    CHECK_OK(import_csv(&ctx, r, &o, &sum, &err));
    csv_close(r);
    ck_assert_int_eq(sum.added, 3);
    ck_assert_str_eq(by_email("katarzyna.kim0@mllershnegmb.test").name, "Katarzyna Kim");
    ck_assert_ptr_nonnull(
        strstr(by_email("yusuf.okafor8@starkindustr.test").notes, "keynote.\r\nFollow"));
}
END_TEST

/* ---- bad input writes nothing ---- */

typedef struct {
    const char *what;
    const char *csv;
    const char *says; /* with "test.csv:LINE: " */
} bad_import;

static const bad_import bad_imports[] = {
    {"empty file", "", "test.csv: the file is empty"},
    {"BOM only", "\xEF\xBB\xBF", "the file is empty"},
    {"no column names a person", "Industry,City\nRetail,Boston\n",
     "test.csv:1: no column names the person"},
    {"semicolons", "\nName;Email\nAna;a@x\n",
     "test.csv:2: the header is one column with semicolons"},
    {"tabs", "Name\tEmail\nAna\ta@x\n", "test.csv:1: the header is one column with tabs"},
    {"broken quoting", "Name,Company\nAna,Acme\nBo,\"Globex\nCy,Initech\n",
     "test.csv:3: a quoted field starts on this line but never ends"},
    {"stray quote", "Name,Company\nAna,Ac\"me\n", "test.csv:2: a quote inside"},
    {"not UTF-8", "Name,Company\nAna,Acme\nRen\xE9,Globex\n",
     "test.csv:3: field 1 is not valid UTF-8"},
    {"control character in a name", "Name\nAna\nB\x01o\n",
     "test.csv:3: Name contains a control character"},
    {"too few fields", "Name,Email,Company\nAna,a@x\n",
     "test.csv:2: 2 fields, but the header has 3"},
    {"too many fields", "Name,Email\nAna,a@x,Acme\n", "test.csv:2: 3 fields, but the header has 2"},
    {"bad amount", "Name,Amount\nAna,100\nBo,five\n",
     "test.csv:3: Amount: 'five' is not an amount"},
    {"amount with three decimals", "Name,Estimated Value\nAna,1.005\n",
     "test.csv:2: Estimated Value: amount '1.005' has more than two decimals"},
    {"negative value", "Name,Amount\nAna,-142.85\n",
     "test.csv:2: Amount '-142.85' is negative; a lead's value is 0 or more"},
    {"bad created_at in leadboard's export", "Name,created_at,stage_at\nAna,yesterday,\n",
     "test.csv:2: created_at: invalid date"},
    {"control character in an unknown column", "Name,Fax\nAna,\"1\x02\"\n",
     "test.csv:2: Fax contains a control character"},
    /* two files joined with cat */
    {"header repeated after a BOM", "Name,Email\nA,a@x.test\n\xEF\xBB\xBFName,Email\nB,b@x.test\n",
     "test.csv:3: this row repeats the header (two files joined?); remove the line"},
    {"header repeated", "Name,Company\r\nA,Acme\r\nName,Company\r\nB,Globex\r\n",
     "test.csv:3: this row repeats the header (two files joined?); remove the line"},
    {"header repeated in capitals", "Name,Company\nA,Acme\nNAME,COMPANY\n",
     "test.csv:3: this row repeats the header (two files joined?); remove the line"},
    /* the campaign's channel and cost */
    {"bad campaign channel",
     "Name,Campaign,campaign_channel,campaign_cost\nA,Web,event,10\nB,Fair,tv,5\n",
     "test.csv:3: campaign_channel: unknown channel 'tv'"},
    {"bad campaign cost", "Name,Campaign,campaign_channel,campaign_cost\nA,Web,event,abc\n",
     "test.csv:2: campaign_cost: 'abc' is not an amount"},
};

START_TEST(test_bad_import_writes_nothing)
{
    const bad_import *b = &bad_imports[_i];
    as("mia");
    REFUSED(LB_EINVAL, b->says, import(b->csv));
}
END_TEST

START_TEST(test_bad_row_deep_in_a_big_file)
{
    /* 3000 good rows (with new campaigns), then a broken one: nothing. */
    size_t cap = 3100 * 80;
    char *csv = malloc(cap), *p = csv;
    p += sprintf(p, "First Name,Last Name,Email,Lead Source,Amount\r\n");
    for (int i = 0; i < 3000; i++)
        p += sprintf(p, "Ann%d,Lee,ann%d@x.test,Source %d,%d.50\r\n", i, i, i % 7, i);
    sprintf(p, "Bad,Row,bad@x.test,Web,12,5\r\n");
    as("mia");
    REFUSED(LB_EINVAL, "test.csv:3002: 6 fields, but the header has 5", import(csv));
    /* the triggers a bulk write sets aside are back after the rollback */
    ck_assert_int_eq(sql_int("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND "
                             "name LIKE 'stage_counts_%'"),
                     3);
    /* and the same file without the bad row goes in whole */
    *p = '\0';
    CHECK_OK(import(csv));
    ck_assert_int_eq(sum.added, 3000);
    ck_assert_int_eq(sum.created_campaigns_n, 7);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM leads"), 3000);
    /* the board's counts were rebuilt once, and the triggers put back */
    ck_assert_int_eq(sql_int("SELECT n FROM stage_counts WHERE stage = 'nurture'"), 3000);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND "
                             "name LIKE 'stage_counts_%'"),
                     3);
    /* and they keep counting after the import */
    as("mia");
    lb_lead_input in = {.name = "After"};
    int64_t id;
    CHECK_OK(act_lead_add(&ctx, &in, &id, &err));
    ck_assert_int_eq(sql_int("SELECT n FROM stage_counts WHERE stage = 'nurture'"), 3001);
    free(csv);
}
END_TEST

/* ---- duplicates ---- */

static int64_t existing(const char *email)
{
    as("mia");
    lb_lead_input in = {
        .name = "Old Name", .company = "Old Co", .email = email, .phone = "111", .value = "10"};
    int64_t id;
    CHECK_OK(act_lead_add(&ctx, &in, &id, &err));
    return id;
}

static const char dup_csv[] = "Name,Email,Company,Phone,Amount\n"
                              "New Name,ANA@Acme.Test,,222,\n"
                              "Bo,bo@x.test,Globex,,\n";

START_TEST(test_duplicate_skip)
{
    int64_t id = existing("ana@acme.test");
    int64_t ev = sql_int("SELECT count(*) FROM events");
    as("mo");
    CHECK_OK(import(dup_csv));
    ck_assert_int_eq(sum.added, 1);
    ck_assert_int_eq(sum.skipped, 1);
    ck_assert_int_eq(sum.duplicates, 1);
    lb_lead l = get(id);
    ck_assert_str_eq(l.name, "Old Name");
    ck_assert_int_eq(l.version, 1);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM events"), ev + 1);
}
END_TEST

START_TEST(test_duplicate_within_the_file)
{
    as("mia");
    CHECK_OK(import("Name,Email\nAna,ana@x.test\nAnna,ANA@X.TEST\nNo Mail,\nNo Mail,\n"));
    ck_assert_int_eq(sum.added, 3); /* rows without email are never duplicates */
    ck_assert_int_eq(sum.skipped, 1);
    ck_assert_str_eq(by_email("ana@x.test").name, "Ana");
    as("mia");
    REFUSED(LB_EINVAL, "test.csv:3: duplicate of line 2 (same email",
            import_opts("Name,Email\nCy,cy@x.test\nCyrus,Cy@x.test\n", NULL, false, DUP_ERROR));
}
END_TEST

/* On a board without emails the rows are matched among themselves in
 * memory (NOCASE's folding): the same answers as the index gives. */
START_TEST(test_duplicate_within_the_file_update)
{
    as("mia");
    CHECK_OK(import_opts("Name,Email,Company\nAna,a@x.test,\nAnna,A@X.TEST,Acme\n"
                         "\xC3\x89lise,\xC3\xA9@x.test,\n\xC3\x89lise,\xC3\x89@x.test,\n",
                         NULL, false, DUP_UPDATE));
    /* SQLite's NOCASE folds only ASCII letters; PostgreSQL's nocase
     * collation (ICU, case-insensitive) folds every letter's case, so
     * there the two Élise rows are one lead */
    ck_assert_int_eq(sum.added, getenv("LB_TEST_PG") ? 2 : 3);
    ck_assert_int_eq(sum.updated, 1);
    lb_lead l = by_email("a@x.test");
    ck_assert_str_eq(l.name, "Anna");
    ck_assert_str_eq(l.company, "Acme");
}
END_TEST

START_TEST(test_duplicate_update)
{
    int64_t id = existing("ana@acme.test");
    as("mo");
    CHECK_OK(import_opts(dup_csv, "Spring Expo", false, DUP_UPDATE));
    ck_assert_int_eq(sum.added, 1);
    ck_assert_int_eq(sum.updated, 1);
    ck_assert_int_eq(sum.skipped, 0);
    lb_lead l = get(id);
    ck_assert_str_eq(l.name, "New Name");
    ck_assert_str_eq(l.company, "Old Co"); /* empty in the file: kept */
    ck_assert_str_eq(l.phone, "222");
    ck_assert_str_eq(l.email, "ana@acme.test");
    ck_assert_int_eq(l.value, 1000);
    ck_assert_str_eq(l.campaign, "Spring Expo");
    ck_assert_int_eq(l.version, 2);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM events e JOIN users u ON u.id = e.actor_id "
                             "WHERE e.lead_id = 1 AND e.action = 'edit' AND u.login = 'mo' AND "
                             "e.note = 'imported from test.csv:2'"),
                     3); /* name, phone, campaign */
    /* The same file again changes nothing more. */
    as("mo");
    CHECK_OK(import_opts(dup_csv, "Spring Expo", false, DUP_UPDATE));
    ck_assert_int_eq(sum.updated, 0);
    ck_assert_int_eq(sum.skipped, 2);
    ck_assert_int_eq(get(id).version, 2);
}
END_TEST

static int64_t existing_with_notes(const char *email, const char *notes)
{
    as("mia");
    lb_lead_input in = {.name = "Ana", .email = email, .notes = notes};
    int64_t id;
    CHECK_OK(act_lead_add(&ctx, &in, &id, &err));
    return id;
}

START_TEST(test_duplicate_update_appends_notes)
{
    /* Without a Notes column the row's other columns go below the lead's
     * own notes, once. */
    int64_t id = existing_with_notes("ana@acme.test", "precious history");
    static const char csv[] = "Name,Email,Industry\nAna,ANA@Acme.TEST,Retail\n";
    as("mo");
    CHECK_OK(import_opts(csv, NULL, false, DUP_UPDATE));
    ck_assert_int_eq(sum.updated, 1);
    ck_assert_int_eq(sum.added, 0);
    lb_lead l = get(id);
    ck_assert_str_eq(l.notes, "precious history\nIndustry: Retail");
    ck_assert_str_eq(l.name, "Ana");
    ck_assert_int_eq(l.version, 2);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM events WHERE action = 'edit' AND field = "
                             "'notes' AND old_value = 'precious history'"),
                     1);
    /* The same file again: the lines are there already. */
    int64_t ev = sql_int("SELECT count(*) FROM events");
    as("mo");
    CHECK_OK(import_opts(csv, NULL, false, DUP_UPDATE));
    ck_assert_int_eq(sum.updated, 0);
    ck_assert_int_eq(sum.duplicates, 1);
    ck_assert_int_eq(sum.skipped, 1);
    l = get(id);
    ck_assert_str_eq(l.notes, "precious history\nIndustry: Retail");
    ck_assert_int_eq(l.version, 2);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM events"), ev);
    /* An empty Notes column is no Notes column. */
    as("mo");
    CHECK_OK(
        import_opts("Name,Email,Notes,Region\nAna,ana@acme.test,,EMEA\n", NULL, false, DUP_UPDATE));
    ck_assert_int_eq(sum.updated, 1);
    ck_assert_str_eq(get(id).notes, "precious history\nIndustry: Retail\nRegion: EMEA");
    /* A Notes cell of spaces is empty too: no blank line in between. */
    as("mo");
    CHECK_OK(
        import_opts("Name,Email,Notes,Size\nAna,ana@acme.test, ,50\n", NULL, false, DUP_UPDATE));
    ck_assert_str_eq(get(id).notes, "precious history\nIndustry: Retail\nRegion: EMEA\nSize: 50");
}
END_TEST

START_TEST(test_duplicate_update_matches_whole_lines)
{
    /* "Industry: Retail" is not already in "Industry: Retailers". */
    int64_t id = existing_with_notes("ana@acme.test", "Industry: Retailers");
    as("mo");
    CHECK_OK(
        import_opts("Name,Email,Industry\nAna,ana@acme.test,Retail\n", NULL, false, DUP_UPDATE));
    ck_assert_int_eq(sum.updated, 1);
    ck_assert_str_eq(get(id).notes, "Industry: Retailers\nIndustry: Retail");
}
END_TEST

START_TEST(test_duplicate_update_notes_column_replaces)
{
    int64_t id = existing_with_notes("ana@acme.test", "precious history");
    static const char csv[] = "Name,Email,Notes,Industry\nAna,ana@acme.test,fresh notes,Retail\n";
    as("mo");
    CHECK_OK(import_opts(csv, NULL, false, DUP_UPDATE));
    ck_assert_int_eq(sum.updated, 1);
    ck_assert_str_eq(get(id).notes, "fresh notes\nIndustry: Retail");
    /* again: nothing to change */
    int64_t ev = sql_int("SELECT count(*) FROM events");
    as("mo");
    CHECK_OK(import_opts(csv, NULL, false, DUP_UPDATE));
    ck_assert_int_eq(sum.updated, 0);
    ck_assert_int_eq(sum.duplicates, 1);
    ck_assert_str_eq(get(id).notes, "fresh notes\nIndustry: Retail");
    ck_assert_int_eq(sql_int("SELECT count(*) FROM events"), ev);
}
END_TEST

START_TEST(test_duplicate_update_past_nurture)
{
    int64_t id = existing("ana@acme.test");
    as("mia");
    CHECK_OK(act_handoff(&ctx, id, "sam", NULL, 0, &err));
    as("mo");
    CHECK_OK(import_opts(dup_csv, NULL, false, DUP_UPDATE));
    ck_assert_int_eq(sum.not_updated, 1);
    ck_assert_int_eq(sum.skipped, 1);
    ck_assert_int_eq(sum.updated, 0);
    ck_assert_str_eq(get(id).name, "Old Name");
    /* a manager may */
    as("max");
    CHECK_OK(import_opts(dup_csv, NULL, false, DUP_UPDATE));
    ck_assert_int_eq(sum.updated, 1);
    lb_lead l = get(id);
    ck_assert_str_eq(l.name, "New Name");
    ck_assert_int_eq(l.stage, STAGE_HANDED_OFF); /* never the stage */
    ck_assert_str_eq(l.owner, "sam");
}
END_TEST

START_TEST(test_duplicate_error)
{
    int64_t id = existing("ana@acme.test");
    char want[64];
    snprintf(want, sizeof want, "test.csv:2: duplicate of lead %lld", (long long)id);
    as("mia");
    REFUSED(LB_EINVAL, want, import_opts(dup_csv, NULL, false, DUP_ERROR));
}
END_TEST

/* ---- dry run, campaigns, permissions, events ---- */

START_TEST(test_dry_run_writes_nothing)
{
    existing("ana@acme.test");
    counts before = take();
    as("mia");
    CHECK_OK(import_opts(salesforce, NULL, true, DUP_SKIP));
    ck_assert(sum.dry_run);
    ck_assert_int_eq(sum.added, 3);
    ck_assert_int_eq(sum.created_campaigns_n, 2);
    counts after = take();
    ck_assert_int_eq(after.leads, before.leads);
    ck_assert_int_eq(after.events, before.events);
    ck_assert_int_eq(after.campaigns, before.campaigns);
    as("mia");
    CHECK_OK(import_opts(dup_csv, NULL, true, DUP_UPDATE));
    ck_assert_int_eq(sum.updated, 1);
    ck_assert_int_eq(take().versions, before.versions);
    /* A dry run reports the same errors. */
    as("mia");
    REFUSED(LB_EINVAL,
            "test.csv:3:", import_opts("Name,Amount\nAna,1\nBo,x\n", NULL, true, DUP_SKIP));
}
END_TEST

START_TEST(test_campaign_option)
{
    as("mia");
    CHECK_OK(import_opts("Name,Lead Source\nAna,Web\nBo,\n", "spring expo", false, DUP_SKIP));
    ck_assert_int_eq(sum.created_campaigns_n, 0);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM leads l JOIN campaigns c ON "
                             "c.id = l.campaign_id WHERE c.name = 'Spring Expo'"),
                     2);
    /* A campaign --campaign names that the board does not have is
     * created (as a file's own campaign column does). */
    as("mia");
    CHECK_OK(import_opts("Name\nAna\n", "Autumn", false, DUP_SKIP));
    ck_assert_str_eq(sum.created_campaigns, "Autumn");
    ck_assert_int_eq(sql_int("SELECT count(*) FROM leads l JOIN campaigns c ON "
                             "c.id = l.campaign_id WHERE c.name = 'Autumn'"),
                     1);
    as("mia");
    CHECK_OK(import_opts("Name\nBo\n", "autumn", false, DUP_SKIP));
    ck_assert_int_eq(sum.created_campaigns_n, 0);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM campaigns WHERE name LIKE 'autumn'"), 1);
}
END_TEST

START_TEST(test_campaigns_from_the_file)
{
    as("mia");
    CHECK_OK(import("Name,Campaign\nAna,SPRING EXPO\nBo,Webinar Q1\nCy,webinar q1\nDi,\n"));
    ck_assert_int_eq(sum.created_campaigns_n, 1);
    ck_assert_str_eq(sum.created_campaigns, "Webinar Q1");
    assert_campaign(db, "Webinar Q1", CHANNEL_OTHER, 0);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM events WHERE entity = 'campaign' AND "
                             "action = 'create' AND entity_id = (SELECT id FROM campaigns WHERE "
                             "name = 'Webinar Q1')"),
                     1);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM leads WHERE campaign_id = "
                             "(SELECT id FROM campaigns WHERE name = 'Spring Expo')"),
                     1);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM leads WHERE campaign_id IS NULL"), 1);
}
END_TEST

START_TEST(test_campaign_channel_and_cost_from_the_file)
{
    as("mia");
    CHECK_OK(import("Name,Campaign,campaign_channel,campaign_cost\n"
                    "Ana,Webinar Q1,Webinar,99.5\n"
                    "Bo,Spring Expo,paid,1\n" /* exists: left as it is */
                    "Cy,webinar q1,email,5\n" /* created by line 2 already */
                    "Di,,referral,7\n"        /* no campaign, none created */
                    "Ed,Fair,,\n"));          /* new, without channel or cost */
    ck_assert_int_eq(sum.added, 5);
    ck_assert_int_eq(sum.unknown_columns_n, 0);
    ck_assert_str_eq(sum.created_campaigns, "Webinar Q1, Fair");
    assert_campaign(db, "Webinar Q1", CHANNEL_WEBINAR, 9950);
    assert_campaign(db, "Spring Expo", CHANNEL_EVENT, 150000);
    assert_campaign(db, "Fair", CHANNEL_OTHER, 0);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM campaigns"), 3);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM events WHERE entity = 'campaign' AND action = "
                             "'create' AND new_value = '99.50' AND entity_id = (SELECT id FROM "
                             "campaigns WHERE name = 'Webinar Q1')"),
                     1);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM leads l JOIN campaigns c ON c.id = "
                             "l.campaign_id WHERE c.name = 'Webinar Q1'"),
                     2);
    ck_assert_str_eq(get(sql_int("SELECT id FROM leads WHERE name = 'Di'")).notes, "");
}
END_TEST

START_TEST(test_import_permissions)
{
    as("sam");
    REFUSED(LB_EPERM, "permission denied", import("Name\nAna\n"));
    as("nobody");
    REFUSED(LB_EPERM, "not a leadboard user", import("Name\nAna\n"));
    as("max");
    CHECK_OK(import("Name\nAna\n"));
    ck_assert_int_eq(sum.added, 1);
}
END_TEST

START_TEST(test_import_events)
{
    as("mia");
    CHECK_OK(import("Name,Email\nAna,a@x.test\nBo,b@x.test\n"));
    ck_assert_int_eq(sql_int("SELECT count(*) FROM events e JOIN users u ON u.id = e.actor_id "
                             "WHERE e.entity = 'lead' AND e.action = 'create' AND u.login = "
                             "'mia' AND e.os_login <> '' AND e.lead_id = e.entity_id"),
                     2);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM events WHERE note = 'imported from "
                             "test.csv:3' AND new_value = 'Bo'"),
                     1);
    /* no events pretending to be transitions */
    ck_assert_int_eq(sql_int("SELECT count(*) FROM events WHERE action IN ('handoff', 'accept', "
                             "'move', 'reject')"),
                     0);
}
END_TEST

/* ---- a manager restores the pipeline ---- */

START_TEST(test_manager_restores_pipeline)
{
    as("max");
    CHECK_OK(import("name,stage,owner,marketer,value,reason,created_at,stage_at,handed_off_at,"
                    "accepted_at,closed_at\n"
                    "Ana,won,sam,mo,500,,2024-01-01T00:00:00Z,2024-02-01T10:00:00Z,"
                    "2024-01-02T00:00:00Z,2024-01-03T00:00:00Z,2024-02-01T10:00:00Z\n"
                    "Bo,Lost,sue,,,no budget,2024-01-01,,,,\n"
                    "Cy,,,,,,,,,,\n"));
    ck_assert(!sum.pipeline_ignored);
    lb_lead a = get(sql_int("SELECT id FROM leads WHERE name = 'Ana'"));
    ck_assert_int_eq(a.stage, STAGE_WON);
    ck_assert_str_eq(a.owner, "sam");
    ck_assert_str_eq(a.marketer, "mo");
    ck_assert_str_eq(a.stage_at, "2024-02-01T10:00:00Z");
    ck_assert_str_eq(a.closed_at, "2024-02-01T10:00:00Z");
    ck_assert_int_eq(a.furthest, STAGE_WON);
    lb_lead b = get(sql_int("SELECT id FROM leads WHERE name = 'Bo'"));
    ck_assert_int_eq(b.stage, STAGE_LOST);
    ck_assert_str_eq(b.marketer, ""); /* an empty marketer column stays empty */
    ck_assert_str_eq(b.created_at, "2024-01-01T00:00:00Z");
    ck_assert_str_eq(b.stage_at, "2024-01-01T00:00:00Z");
    ck_assert_int_eq(b.furthest, STAGE_ACCEPTED);
    lb_lead c = get(sql_int("SELECT id FROM leads WHERE name = 'Cy'"));
    ck_assert_int_eq(c.stage, STAGE_NURTURE);
}
END_TEST

/* leadboard's own export, known by its stage_at column */
static const bad_import bad_pipelines[] = {
    {"unknown stage", "name,stage,owner,stage_at\nAna,closed,sam,\n",
     "test.csv:2: stage 'closed' is not a stage"},
    {"unknown owner", "name,stage,owner,stage_at\nAna,accepted,zed,\n",
     "test.csv:2: owner: no user 'zed'"},
    {"owner not in sales", "name,stage,owner,stage_at\nAna,accepted,mia,\n",
     "owner mia is in marketing"},
    {"stage without owner", "name,stage,owner,stage_at\nAna,qualified,,\n",
     "a lead in qualified needs its owner"},
    {"nurture with owner", "name,stage,owner,stage_at\nAna,nurture,sam,\n",
     "a lead in nurture has no owner"},
    {"won without value", "name,stage,owner,stage_at\nAna,won,sam,\n",
     "a won lead needs its value"},
    {"lost without reason", "name,stage,owner,reason,stage_at\nAna,lost,sam, ,\n",
     "a lost lead needs its reason"},
    {"bad time", "name,closed_at,stage_at\nAna,2024-13-01,\n", "test.csv:2: closed_at:"},
};

START_TEST(test_manager_crm_pipeline_kept)
{
    /* Another CRM's stage and owner, even spelled as leadboard spells them
     * (Mautic's "stage"), are its own: kept in the notes, for a manager too. */
    as("max");
    CHECK_OK(import("name,email,stage,owner\nAna,a@x.test,Lead,Jane Roe\n"));
    lb_lead l = by_email("a@x.test");
    ck_assert_int_eq(l.stage, STAGE_NURTURE);
    ck_assert_int_eq(l.owner_id, 0);
    ck_assert_str_eq(l.notes, "stage: Lead\nowner: Jane Roe");
}
END_TEST

START_TEST(test_manager_bad_pipeline)
{
    as("max");
    REFUSED(LB_EINVAL, bad_pipelines[_i].says, import(bad_pipelines[_i].csv));
}
END_TEST

/* ---- export ---- */

typedef struct {
    char *p;
    size_t len, cap;
    int calls, fail_after; /* fail_after: fail that call (0: never) */
} sink;

static int sink_write(void *ud, const char *data, size_t n)
{
    sink *s = ud;
    if (++s->calls == s->fail_after)
        return -1;
    if (s->len + n + 1 > s->cap) {
        s->cap = (s->len + n + 1) * 2;
        s->p = realloc(s->p, s->cap);
    }
    memcpy(s->p + s->len, data, n);
    s->len += n;
    s->p[s->len] = '\0';
    return 0;
}

static char *export_all(lb_db *d, int64_t *count)
{
    sink s = {0};
    CHECK_OK(export_csv(d, sink_write, &s, count, &err));
    return s.p;
}

START_TEST(test_export_header_and_quoting)
{
    as("mia");
    lb_lead_input in = {.name = "O'Brien, \"Bo\"",
                        .company = "Zoë & 北京",
                        .notes = "a\nb",
                        .value = "12500.5",
                        .campaign = "Spring Expo",
                        .email = "bo@x.test"};
    CHECK_OK(act_lead_add(&ctx, &in, NULL, &err));
    int64_t n = 0;
    char *out = export_all(db, &n);
    ck_assert_int_eq(n, 1);
    const char *header = "id,name,company,title,email,phone,notes,campaign,value,stage,owner,"
                         "marketer,reason,created_at,stage_at,handed_off_at,accepted_at,"
                         "first_touch_at,last_touch_at,next_due_at,closed_at,stars,furthest,"
                         "rejections,campaign_channel,campaign_cost\r\n";
    ck_assert_int_eq(strncmp(out, header, strlen(header)), 0);
    char row[512];
    snprintf(row, sizeof row,
             "1,\"O'Brien, \"\"Bo\"\"\",Zoë & 北京,,bo@x.test,,\"a\nb\",Spring Expo,12500.50,"
             "nurture,,mia,,%s,%s,,,,,,,,nurture,0,event,1500.00\r\n",
             ctx.now_iso, ctx.now_iso);
    ck_assert_str_eq(out + strlen(header), row);
    free(out);
}
END_TEST

START_TEST(test_export_empty_and_write_failure)
{
    int64_t n = -1;
    char *out = export_all(db, &n);
    ck_assert_int_eq(n, 0);
    ck_assert_ptr_nonnull(
        strstr(out, "closed_at,stars,furthest,rejections,campaign_channel,campaign_cost\r\n"));
    free(out);
    sink s = {0};
    s.fail_after = 1;
    ck_assert_int_eq(export_csv(db, sink_write, &s, NULL, &err), LB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "cannot write"));
    free(s.p);
}
END_TEST

START_TEST(test_export_campaign_channel_and_cost)
{
    ck_assert_int_eq(export_ncolumns, 26);
    ck_assert_str_eq(export_columns[export_ncolumns - 2], "campaign_channel");
    ck_assert_str_eq(export_columns[export_ncolumns - 1], "campaign_cost");
    as("mia");
    lb_campaign_input c = {.name = "Webinar Q1", .channel = "webinar", .cost = "99.5"};
    CHECK_OK(act_campaign_add(&ctx, &c, NULL, &err));
    lb_lead_input a = {.name = "Ana", .campaign = "Webinar Q1"}, b = {.name = "Bo"},
                  e = {.name = "Cy", .campaign = "spring expo"};
    CHECK_OK(act_lead_add(&ctx, &a, NULL, &err));
    CHECK_OK(act_lead_add(&ctx, &b, NULL, &err));
    CHECK_OK(act_lead_add(&ctx, &e, NULL, &err));
    int64_t n = 0;
    char *out = export_all(db, &n);
    ck_assert_int_eq(n, 3);
    /* each row ends in its campaign's channel and cost, empty without one */
    const char *row = strstr(out, "\r\n1,Ana,");
    ck_assert_ptr_nonnull(row);
    ck_assert_ptr_nonnull(strstr(row, ",nurture,0,webinar,99.50\r\n2,Bo,"));
    row = strstr(out, "\r\n2,Bo,");
    ck_assert_ptr_nonnull(strstr(row, ",nurture,0,,\r\n3,Cy,"));
    row = strstr(out, "\r\n3,Cy,");
    ck_assert_int_eq(strcmp(out + strlen(out) - strlen(",nurture,0,event,1500.00\r\n"),
                            ",nurture,0,event,1500.00\r\n"),
                     0);
    ck_assert_ptr_nonnull(row);
    free(out);
}
END_TEST

START_TEST(test_export_streams_in_pieces)
{
    as("mia");
    CHECK_OK(import_opts("Name,Notes\n"
                         "A,\"" /* long notes so that the export flushes more than once */
                         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n",
                         NULL, false, DUP_SKIP));
    /* 2000 leads of ~100 bytes: several 64 KiB writes. */
    char *csv = malloc(2000 * 40 + 32), *p = csv;
    p += sprintf(p, "Name,Email\n");
    for (int i = 0; i < 2000; i++)
        p += sprintf(p, "Lead %d,lead%d@x.test\n", i, i);
    as("mia");
    CHECK_OK(import(csv));
    sink s = {0};
    int64_t n;
    CHECK_OK(export_csv(db, sink_write, &s, &n, &err));
    ck_assert_int_eq(n, 2001);
    ck_assert_int_gt(s.calls, 1);
    free(s.p);
    free(csv);
}
END_TEST

/* Leads in every stage, made the ordinary way, with awkward text, in two
 * campaigns (and none) of their own channel and cost. */
static void build_pipeline(void)
{
    static const char *const campaigns[] = {NULL, "Spring Expo", "Webinar Q1"};
    as("mia");
    lb_campaign_input c = {.name = "Webinar Q1", .channel = "webinar", .cost = "99.95"};
    CHECK_OK(act_campaign_add(&ctx, &c, NULL, &err));
    static const char *const names[] = {
        "O'Brien, Wei \"W\"", "Zoë Núñez",  "北京 李",   "Søren Ø",  "Emoji 😀 Fan",
        "Plain Name",         "Ana, Avila", "Trailing ", " Leading", "Last"};
    int64_t ids[10];
    for (int i = 0; i < 10; i++) {
        as(i % 2 ? "mo" : "mia");
        char email[64], notes[128], value[16];
        snprintf(email, sizeof email, "Lead%d@Example.test", i);
        snprintf(notes, sizeof notes, "line one of %d\nline \"two\", with comma\r\nthree", i);
        snprintf(value, sizeof value, "%d.%02d", 1000 * i, i);
        lb_lead_input in = {.name = names[i],
                            .company = i == 3 ? "Müller & Söhne, GmbH" : "",
                            .title = "Director, IT",
                            .email = email,
                            .phone = "+1 (555) 0100",
                            .notes = notes,
                            .campaign = campaigns[i % 3],
                            .value = i == 4 ? NULL : value};
        CHECK_OK(act_lead_add(&ctx, &in, &ids[i], &err));
    }
    for (int i = 1; i < 10; i++) {
        as("mia");
        CHECK_OK(act_handoff(&ctx, ids[i], i % 2 ? "sam" : "sue", NULL, 0, &err));
    }
    as("sue");
    CHECK_OK(act_reject(&ctx, ids[2], "not our market, \"really\"", 0, &err));
    for (int i = 3; i < 10; i++) {
        as(i % 2 ? "sam" : "sue");
        CHECK_OK(act_accept(&ctx, ids[i], 0, &err));
    }
    lb_followup_input f = {KIND_CALL, OUTCOME_CONNECTED, "hi", NULL, "2024-04-01", NULL, 0};
    for (int i = 5; i < 10; i++) {
        as(i % 2 ? "sam" : "sue");
        CHECK_OK(act_log(&ctx, ids[i], &f, NULL, NULL, &err));
    }
    as("sam");
    CHECK_OK(act_move(&ctx, ids[7], STAGE_WON, NULL, NULL, 0, &err));
    as("sam");
    CHECK_OK(act_move(&ctx, ids[9], STAGE_LOST, NULL, "budget\ncut", 0, &err));
    as("sue");
    CHECK_OK(act_move(&ctx, ids[8], STAGE_PROPOSAL, NULL, NULL, 0, &err));
    as("max");
    CHECK_OK(act_move(&ctx, ids[6], STAGE_NURTURE, NULL, "recycled: timing", 0, &err));
    as("sue");
    CHECK_OK(act_rate(&ctx, ids[8], 4, NULL, 0, "good", NULL, &err));
}

/* The campaigns report, row after row, as text. */
static int campaign_row_text(const lb_campaign_row *row, void *ud)
{
    char *buf = ud, line[1024];
    snprintf(
        line, sizeof line,
        "%s|%d|%d|%lld|%lld|%lld|%lld|%lld|%lld|%lld|%d:%lld|%lld|%lld|%d:%lld|%d:%lld|%d:%lld\n",
        row->name, (int)row->none, (int)row->channel, (long long)row->cost, (long long)row->leads,
        (long long)row->handed_off, (long long)row->accepted, (long long)row->rejected,
        (long long)row->rated, (long long)row->stars_sum, (int)row->avg_rating.has,
        (long long)row->avg_rating.v, (long long)row->won, (long long)row->revenue,
        (int)row->cost_per_lead.has, (long long)row->cost_per_lead.v, (int)row->cost_per_win.has,
        (long long)row->cost_per_win.v, (int)row->roi.has, (long long)row->roi.v);
    strncat(buf, line, 4096 - strlen(buf) - 1);
    return 0;
}

static void campaigns_report(lb_db *d, char buf[4096])
{
    lb_report_range r;
    buf[0] = '\0';
    CHECK_OK(report_range_init(&r, clock_now, NULL, NULL, false, &err));
    CHECK_OK(report_campaigns(d, &r, campaign_row_text, buf, &err));
}

static void same_lead(const lb_lead *a, const lb_lead *b)
{
#define SAME(f)                                                                                    \
    ck_assert_msg(strcmp(a->f, b->f) == 0, "lead %lld: " #f " '%s' became '%s'", (long long)a->id, \
                  a->f, b->f)
    SAME(name);
    SAME(company);
    SAME(title);
    SAME(email);
    SAME(phone);
    SAME(notes);
    SAME(campaign);
    SAME(owner);
    SAME(marketer);
    SAME(reason);
    SAME(created_at);
    SAME(stage_at);
    SAME(handed_off_at);
    SAME(accepted_at);
    SAME(first_touch_at);
    SAME(last_touch_at);
    SAME(next_due_at);
    SAME(closed_at);
#undef SAME
    ck_assert_int_eq(a->has_value, b->has_value);
    ck_assert_int_eq(a->value, b->value);
    ck_assert_int_eq(a->stage, b->stage);
    /* what the funnel, campaigns and cards read */
    ck_assert_int_eq(a->furthest, b->furthest);
    ck_assert_int_eq(a->rejections, b->rejections);
    ck_assert_int_eq(a->stars, b->stars);
}

START_TEST(test_round_trip)
{
    build_pipeline();
    int64_t n1 = 0, n2 = 0;
    char *first = export_all(db, &n1);
    ck_assert_int_eq(n1, 10);

    /* A new, empty board with the same people. */
    lb_db *other;
    CHECK_OK(test_db_open(&other, &err));
    add_team(other);
    as_on(other, "max");
    lb_import_opts o = {.source = "export.csv", .campaign = NULL, .dry_run = false, .on_duplicate = DUP_ERROR};
    csv_reader *r = csv_open_mem(first, strlen(first));
    CHECK_OK(import_csv(&ctx, r, &o, &sum, &err));
    csv_close(r);
    ck_assert_int_eq(sum.added, 10);
    ck_assert_int_eq(sum.unknown_columns_n, 0);
    ck_assert_str_eq(sum.created_campaigns, "Spring Expo, Webinar Q1");
    /* the campaigns come with their channel and cost */
    assert_campaign(other, "Spring Expo", CHANNEL_EVENT, 150000);
    assert_campaign(other, "Webinar Q1", CHANNEL_WEBINAR, 9995);
    /* and the campaigns report reads the same */
    char report_a[4096], report_b[4096];
    campaigns_report(db, report_a);
    campaigns_report(other, report_b);
    ck_assert_ptr_nonnull(strstr(report_a, "Webinar Q1|0|1|9995|"));
    ck_assert_str_eq(report_b, report_a);

    for (int64_t id = 1; id <= 10; id++) {
        lb_lead a, b;
        CHECK_OK(lead_get(db, id, &a, &err));
        CHECK_OK(lead_get(other, id, &b, &err));
        same_lead(&a, &b);
    }
    /* and the export of the copy is the same text */
    char *second = export_all(other, &n2);
    ck_assert_int_eq(n2, n1);
    ck_assert_str_eq(second, first);
    /* one event per lead, none pretending to be a transition */
    ck_assert_int_eq(sql_int_on(other, "SELECT count(*) FROM events WHERE lead_id IS NOT NULL"),
                     10);
    free(first);
    free(second);
    db_close(other);
}
END_TEST

/* Values a spreadsheet would run are exported behind an apostrophe, which
 * importing the export takes off; blank notes survive too; another CRM's
 * apostrophes are its data. */
START_TEST(test_round_trip_formulas)
{
    static const char *const names[] = {"=1+2",     "'=x",    "''+y",  "-3",
                                        "@SUM(A1)", "'plain", "normal"};
    as("mia");
    for (int i = 0; i < N(names); i++) {
        /* a company with a link in parentheses is leadboard's own text,
         * kept as it is (a Notion export's relation link is taken off) */
        lb_lead_input in = {.name = names[i],
                            .phone = "+1 555 0100",
                            .company = i == 1 ? "Sato KK (https://sato.test)" : NULL,
                            .notes = i == 0 ? "   " : NULL};
        CHECK_OK(act_lead_add(&ctx, &in, NULL, &err));
    }
    int64_t n1 = 0, n2 = 0;
    char *first = export_all(db, &n1);
    ck_assert_ptr_nonnull(strstr(first, ",'=1+2,"));
    ck_assert_ptr_nonnull(strstr(first, ",''=x,"));
    ck_assert_ptr_nonnull(strstr(first, ",'''+y,"));
    ck_assert_ptr_nonnull(strstr(first, ",-3,")); /* a plain negative number stays one */
    ck_assert_ptr_nonnull(strstr(first, ",'@SUM(A1),"));
    ck_assert_ptr_nonnull(strstr(first, ",'plain,")); /* nothing to guard */
    ck_assert_ptr_nonnull(strstr(first, ",'+1 555 0100,"));

    lb_db *other;
    CHECK_OK(test_db_open(&other, &err));
    add_team(other);
    as_on(other, "max");
    lb_import_opts o = {.source = "export.csv", .campaign = NULL, .dry_run = false, .on_duplicate = DUP_ERROR};
    csv_reader *r = csv_open_mem(first, strlen(first));
    CHECK_OK(import_csv(&ctx, r, &o, &sum, &err));
    csv_close(r);
    ck_assert_int_eq(sum.added, N(names));
    for (int64_t id = 1; id <= N(names); id++) {
        lb_lead a, b;
        CHECK_OK(lead_get(db, id, &a, &err));
        CHECK_OK(lead_get(other, id, &b, &err));
        same_lead(&a, &b);
    }
    char *second = export_all(other, &n2);
    ck_assert_str_eq(second, first);
    free(first);
    free(second);
    db_close(other);

    /* not leadboard's export: the apostrophe is the CRM's, and blank notes
     * are no notes */
    as("mia");
    CHECK_OK(import("Name,Notes,Email\n'@bob said,   ,crm@x.test\n"));
    lb_lead l = by_email("crm@x.test");
    ck_assert_str_eq(l.name, "'@bob said");
    ck_assert_str_eq(l.notes, "");
}
END_TEST

START_TEST(test_round_trip_into_the_same_board_skips)
{
    build_pipeline();
    char *csv = export_all(db, NULL);
    counts before = take();
    as("max");
    CHECK_OK(import(csv));
    ck_assert_int_eq(sum.added, 0);
    ck_assert_int_eq(sum.skipped, 10);
    counts after = take();
    ck_assert_int_eq(after.leads, before.leads);
    ck_assert_int_eq(after.events, before.events);
    free(csv);
}
END_TEST

START_TEST(test_round_trip_as_marketing)
{
    build_pipeline();
    char *csv = export_all(db, NULL);
    lb_db *other;
    CHECK_OK(test_db_open(&other, &err));
    add_team(other);
    as_on(other, "mia");
    lb_import_opts o = {.source = "export.csv", .campaign = NULL, .dry_run = false, .on_duplicate = DUP_SKIP};
    csv_reader *r = csv_open_mem(csv, strlen(csv));
    CHECK_OK(import_csv(&ctx, r, &o, &sum, &err));
    csv_close(r);
    ck_assert_int_eq(sum.added, 10);
    ck_assert(sum.pipeline_ignored);
    ck_assert_int_eq(sql_int_on(other, "SELECT count(*) FROM leads WHERE stage = 'nurture' AND "
                                       "owner_id IS NULL AND marketer_id = (SELECT id FROM "
                                       "users WHERE login = 'mia')"),
                     10);
    lb_lead a, b;
    CHECK_OK(lead_get(db, 1, &a, &err));
    CHECK_OK(lead_get(other, 1, &b, &err));
    ck_assert_str_eq(a.name, b.name);
    ck_assert_str_eq(a.notes, b.notes);
    ck_assert_str_eq(a.created_at, b.created_at);
    free(csv);
    db_close(other);
}
END_TEST

/* ---- real CRM files (issue 12) ---- */

static const struct {
    const char *text;
    bool decimal_comma;
    int64_t cents; /* -1: refused */
} money_cases[] = {
    {"$12,500.00", false, 1250000},
    {"12500", false, 1250000},
    {"12,500", false, 1250000},
    {"-142.85", false, -14285},
    {"(142.85)", false, -14285},
    {"142.85-", false, -14285},
    {"\xE2\x88\x92" "5", false, -500},
    {"12.500,00 \xE2\x82\xAC", true, 1250000},
    {"12.500,00 \xE2\x82\xAC", false, 1250000}, /* both marks: the last is the decimal one */
    {"12.500", true, 1250000},
    {"12,50", true, 1250},
    {"12,50", false, 1250}, /* two digits after a comma: never a group */
    {"12,500", true, 1250},
    {"1.250.000", false, 125000000},
    {"1 250,00", true, 125000},
    {"1\xC2\xA0" "250,00", true, 125000},
    {"1\xE2\x80\xAF" "250,00 \xE2\x82\xAC", true, 125000},
    {"1'250.50", false, 125050},
    {"EUR 1.250,00", true, 125000},
    {"12500 USD", false, 1250000},
    {"\xC2\xA3" "99.9", false, 9990},
    {"  7 ", false, 700},
    {"12.5000", false, 1250},
    {"", false, -1},
    {"abc", false, -1},
    {"$", false, -1},
    {"12.345", false, -1}, /* three decimals */
    {"1e5", false, -1},
    {"12..5", false, -1},
    {"(12", false, -1},
    {"--5", false, -1},
    {"12,5.0,0", false, -1},
    {"ABCD 5", false, -1},
    {"99999999999999999", false, -1},
    {"1,234,567.89", false, 123456789},
    {"1.234.567,89", true, 123456789},
    {"0,5", false, 50},
    {"12.", false, 1200},
    {"$ (1,000.00)", false, -100000},
    {"-(5)", false, -1},
    {"12,,500", false, -1},
    {",50", false, -1},
    {"12k", false, 1200000},
    {"$12.5K", false, 1250000},
    {"1.5M", false, 150000000},
    {"2,5k", true, 250000},
    {"12k EUR", false, 1200000},
    {"12.500,00 eur", true, 1250000},
    {"12,50,000", false, 125000000}, /* lakh groups */
    {"1200abc", false, -1},
    {"12 boxes", false, -1},
    {"12kk", false, -1},
    {"1,2,3", false, -1},
    {"12,5,0", false, -1},
    {"1,2345", false, -1},
    {"1,23,456", false, 12345600},
    {"12x", false, -1},
};

START_TEST(test_money_forms)
{
    int64_t c = 7;
    lb_err e;
    lb_status st = import_money_parse(money_cases[_i].text, money_cases[_i].decimal_comma, &c, &e);
    if (money_cases[_i].cents == -1) {
        ck_assert_msg(st == LB_EINVAL, "'%s' read as %lld", money_cases[_i].text, (long long)c);
        ck_assert_msg(c == 7, "'%s' refused but written", money_cases[_i].text);
        ck_assert_msg(strstr(e.msg, "amount") != NULL, "'%s': %s", money_cases[_i].text, e.msg);
    } else {
        ck_assert_msg(st == LB_OK, "'%s': %s", money_cases[_i].text, e.msg);
        ck_assert_msg(c == money_cases[_i].cents, "'%s' read as %lld, want %lld",
                      money_cases[_i].text, (long long)c, (long long)money_cases[_i].cents);
    }
}
END_TEST

START_TEST(test_fallback_name)
{
    char buf[LB_BUF(LB_SHORT_MAX)];
    ck_assert(import_fallback_name(" ana@x.test ", "Acme", "555", buf, sizeof buf));
    ck_assert_str_eq(buf, "ana@x.test");
    ck_assert(import_fallback_name("", "Acme", "555", buf, sizeof buf));
    ck_assert_str_eq(buf, "Acme");
    ck_assert(import_fallback_name(NULL, "\xE2\x80\x8B", "+1 555", buf, sizeof buf));
    ck_assert_str_eq(buf, "+1 555");
    ck_assert(!import_fallback_name(" ", "", NULL, buf, sizeof buf));
    ck_assert_str_eq(buf, "");
    char longer[400];
    memset(longer, 0, sizeof longer);
    for (int i = 0; i < 130; i++)
        strcat(longer, "\xC3\xA9"); /* é: cut on characters, not bytes */
    ck_assert(import_fallback_name(NULL, longer, NULL, buf, sizeof buf));
    ck_assert_uint_eq(utf8_chars(buf), LB_SHORT_MAX);
}
END_TEST

/* rows = added + updated + skipped + empty + rejected */
static void assert_accounted(void)
{
    ck_assert_msg(sum.rows == sum.added + sum.updated + sum.skipped + sum.empty + sum.rejected,
                  "%lld rows but %lld added, %lld updated, %lld skipped, %lld empty, %lld "
                  "rejected",
                  (long long)sum.rows, (long long)sum.added, (long long)sum.updated,
                  (long long)sum.skipped, (long long)sum.empty, (long long)sum.rejected);
}

START_TEST(test_preamble)
{
    /* Invoice Ninja's export: three lines above the header. */
    as("mia");
    CHECK_OK(import("Clients\nExported by Ana on 2026-11-02,\n,\n"
                    "Name,Balance,Contact Email\nAcme Ltd,-142.85,ap@acme.test\n"));
    ck_assert_int_eq(sum.header_line, 4);
    ck_assert_int_eq(sum.added, 1);
    ck_assert_int_eq(sum.rows, 1);
    lb_lead l = by_email("ap@acme.test");
    ck_assert_str_eq(l.name, "Acme Ltd");
    ck_assert_str_eq(l.notes, "Balance: -142.85");
    /* A title that maps one known word is no header when a better one follows. */
    as("mia");
    CHECK_OK(import("Name\nFirst Name,Last Name,Email\nBo,Chen,bo@x.test\n"));
    ck_assert_int_eq(sum.header_line, 2);
    ck_assert_str_eq(by_email("bo@x.test").name, "Bo Chen");
    /* A header of one column is still a header. */
    as("mia");
    CHECK_OK(import("Email\ncy@x.test\n"));
    ck_assert_int_eq(sum.header_line, 1);
    ck_assert_str_eq(by_email("cy@x.test").name, "cy@x.test");
}
END_TEST

/* The layouts of reports and spreadsheets around the rows: a data row
 * is never the header, a footer and a totals row are no leads, a line
 * break typed in a cell is a space, an apostrophe guarding a phone goes,
 * and the file's amounts say its decimal mark. */
START_TEST(test_report_layouts)
{
    /* Calendly: the first row's answers ("Company", "Job Title") beside an
     * address: data, not the header */
    as("mia");
    CHECK_OK(import("Invitee Name,Invitee Email,Question 1,Response 1,Question 2,Response 2\n"
                    "Rosa Parks,rosa@parks.test,Company,Parks Co,Job Title,Organizer\n"
                    "Cesar Chavez,cesar@ufw.test,Company,UFW,Job Title,Leader\n"));
    ck_assert_int_eq(sum.header_line, 1);
    ck_assert_int_eq(sum.added, 2);
    ck_assert_str_eq(by_email("rosa@parks.test").name, "Rosa Parks");
    /* Salesforce's report footer, below a blank line */
    as("mia");
    CHECK_OK(import("\"Full Name\",\"Company\",\"Email\"\n\"Tom Baker\",\"Baker\",\"tom@b.test\"\n"
                    "\n\"\"\n\"Confidential Information - Do Not Distribute\"\n"
                    "\"Generated By:  Jane Doe  12/6/2024 3:14 PM\"\n\"Acme Inc.\"\n"));
    ck_assert_int_eq(sum.added, 1);
    ck_assert_int_eq(sum.footer_rows, 3);
    ck_assert_int_eq(sum.footer_line, 5);
    ck_assert_int_eq(sum.rows, sum.added + sum.empty);
    /* ... but a one-value line among the rows is still a bad row */
    as("mia");
    REFUSED(LB_EINVAL, "test.csv:3: 1 field, but the header has 3",
            import("Name,Company,Email\nAna,Acme,a@x.test\nStray\nBo,Globex,b@x.test\n"));
    /* a spreadsheet's total under its rows */
    as("mia");
    CHECK_OK(import("Name,Company,Email,Deal Value\nPriya,Acme,p@acme.test,\"$25,000.00\"\n"
                    "Total,,,\"$25,000.00\"\n"));
    ck_assert_int_eq(sum.added, 1);
    ck_assert_int_eq(sum.total_rows, 1);
    ck_assert_int_eq(sum.empty, 1);
    /* Alt+Enter in a cell: one line; two phones: the first, both in the notes */
    as("mia");
    CHECK_OK(import("Name,Email,Company,Phone\n\"Anna\nBerg\",anna@berg.test,\"Berg AB\r\nStockholm\","
                    "\"+46 8 555 01 00\n+46 70 555 01 01\"\n"));
    lb_lead l = by_email("anna@berg.test");
    ck_assert_str_eq(l.name, "Anna Berg");
    ck_assert_str_eq(l.company, "Berg AB Stockholm");
    ck_assert_str_eq(l.phone, "+46 8 555 01 00");
    ck_assert_ptr_nonnull(strstr(l.notes, "+46 70 555 01 01"));
    /* the apostrophe a spreadsheet export puts before a phone */
    as("mia");
    CHECK_OK(import("Name,Email,Phone\nQuinn,q@f.test,'+14195550199\n"));
    ck_assert_str_eq(by_email("q@f.test").phone, "+14195550199");
    /* a German export not separated by ';' (Excel's Unicode text has
     * tabs): "1.234" after "12.500,00" is a thousand and more */
    as("mia");
    CHECK_OK(import("Name,E-Mail,Betrag\nJ\xc3\xb6rg,j@s.test,\"12.500,00 \xe2\x82\xac\"\n"
                    "Anke,a@v.test,1.234\n"));
    ck_assert_int_eq(by_email("j@s.test").value, 1250000);
    ck_assert_int_eq(by_email("a@v.test").value, 123400);
    /* Notion's relation: the company without its link, which is kept */
    as("mia");
    CHECK_OK(import("Name,Email,Company\nHana,hana@sato.test,Sato KK (https://www.notion.so/Sato-KK-1a2b)\n"));
    l = by_email("hana@sato.test");
    ck_assert_str_eq(l.company, "Sato KK");
    ck_assert_ptr_nonnull(strstr(l.notes, "https://www.notion.so/Sato-KK-1a2b"));
    /* Close: the contact is the person, the lead's display_name the company */
    as("mia");
    CHECK_OK(import("display_name,primary_contact_name,primary_contact_primary_email\n"
                    "Globex Corporation,Hank Scorpio,hank@globex.test\n"));
    ck_assert_str_eq(by_email("hank@globex.test").name, "Hank Scorpio");
}
END_TEST

/* No header name is known (another language, or made-up names): the
 * column whose values are addresses is the email, and says so. */
START_TEST(test_email_column_by_content)
{
    as("mia");
    CHECK_OK(import("Exported\n\xd0\x98\xd0\xbc\xd1\x8f,\xd0\x9f\xd0\xbe\xd1\x87\xd1\x82\xd0\xb0\n"
                    "\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd,ivan@x.test\n,olga@x.test\n,\n"));
    ck_assert_int_eq(sum.header_line, 2);
    ck_assert_int_eq(sum.added, 2);
    ck_assert_int_eq(sum.empty, 1);
    assert_accounted();
    ck_assert_str_eq(sum.email_by_content, "\xd0\x9f\xd0\xbe\xd1\x87\xd1\x82\xd0\xb0");
    ck_assert_str_eq(by_email("olga@x.test").name, "olga@x.test");
    ck_assert_str_eq(by_email("ivan@x.test").notes, "\xd0\x98\xd0\xbc\xd1\x8f: \xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd");
    /* a column that also holds other text is no email column */
    as("mia");
    REFUSED(LB_EINVAL, "no column names the person",
            import("A,B\nx,ann@x.test\ny,not an address\n"));
    /* a known header needs no guess */
    as("mia");
    CHECK_OK(import("Email,Other\nbo@x.test,cy@x.test\n"));
    ck_assert_str_eq(sum.email_by_content, "");
}
END_TEST

START_TEST(test_no_name_and_empty_rows)
{
    /* HubSpot keeps contacts with only an email; Mautic's demo has rows with
     * nobody in them; Zoho names people in Display Name. */
    as("mia");
    CHECK_OK(import("First Name,Last Name,Display Name,Email,Company,Phone,Points\n"
                    ",,,only@x.test,,,5\n"
                    ",,,,Globex,,\n"
                    ",,,,,+1 555 0100,\n"
                    ",,,,,,12\n"
                    ",,,,,,\n"
                    ",,Ana Avila,ana@x.test,,,\n"
                    "\xE2\x80\x8B,\xC2\xA0,,z@x.test,,,\n"));
    ck_assert_int_eq(sum.rows, 7);
    ck_assert_int_eq(sum.added, 5);
    ck_assert_int_eq(sum.empty, 2);
    ck_assert_int_eq(sum.blank_rows, 1);
    assert_accounted();
    ck_assert_str_eq(by_email("only@x.test").name, "only@x.test");
    ck_assert_int_eq(sql_int("SELECT count(*) FROM leads WHERE name = 'Globex' AND company = "
                             "'Globex'"),
                     1);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM leads WHERE name = '+1 555 0100'"), 1);
    ck_assert_str_eq(by_email("ana@x.test").name, "Ana Avila");
    ck_assert_str_eq(by_email("z@x.test").name, "z@x.test");
}
END_TEST

START_TEST(test_values_trimmed_and_kept)
{
    char longco[200];
    memset(longco, 'x', 150);
    longco[150] = '\0';
    char csv[1024];
    snprintf(csv, sizeof csv,
             "Name,Email,Company,Phone,E-mail 2\n"
             "  Ana  , Ana <ana@x.test> ,%s,+1 555 0100 ext. 12 ask for the front desk please,\n"
             "Bo,n/a,Acme,,\n"
             "Cy,\"a@x.test ::: c@x.test\",,,\n"
             "Di,,,,\"[{\"\"value\"\":\"\"di@x.test\"\",\"\"label\"\":\"\"work\"\"}]\"\n",
             longco);
    as("mia");
    CHECK_OK(import(csv));
    ck_assert_int_eq(sum.added, 4);
    lb_lead l = by_email("ana@x.test");
    ck_assert_str_eq(l.name, "Ana");
    ck_assert_str_eq(l.company, "");
    ck_assert_str_eq(l.phone, "");
    ck_assert_ptr_nonnull(strstr(l.notes, "Email: Ana <ana@x.test>"));
    ck_assert_ptr_nonnull(strstr(l.notes, longco));
    ck_assert_ptr_nonnull(strstr(l.notes, "Phone: +1 555 0100 ext. 12"));
    lb_lead b = get(sql_int("SELECT id FROM leads WHERE name = 'Bo'"));
    ck_assert_str_eq(b.email, "");
    ck_assert_str_eq(b.notes, "Email: n/a");
    ck_assert_str_eq(by_email("a@x.test").name, "Cy");
    ck_assert_str_eq(by_email("a@x.test").notes, "Email: a@x.test ::: c@x.test");
    ck_assert_str_eq(by_email("di@x.test").name, "Di");
}
END_TEST

START_TEST(test_long_notes_kept_whole)
{
    /* An email thread pasted into a description: 9,000 characters and more. */
    size_t n = 60000;
    char *csv = malloc(n + 200);
    strcpy(csv, "Name,Description\nAna,\"");
    size_t at = strlen(csv);
    for (size_t i = 0; i < n; i++)
        csv[at + i] = i % 80 == 79 ? '\n' : (char)('a' + i % 26);
    strcpy(csv + at + n, "\"\n");
    as("mia");
    CHECK_OK(import(csv));
    lb_lead l = get(sql_int("SELECT max(id) FROM leads"));
    ck_assert_uint_eq(strlen(l.notes), n);
    ck_assert_int_eq(memcmp(l.notes, csv + at, n), 0);
    /* past LB_NOTES_MAX the notes hold what fits, and the summary says
     * the row was cut (a whole mail thread refused the file before) */
    char *big = malloc(LB_NOTES_MAX + 200);
    strcpy(big, "Name,Notes\nBo,");
    memset(big + strlen(big), 'n', LB_NOTES_MAX + 1);
    strcpy(big + 14 + LB_NOTES_MAX + 1, "\n");
    as("mia");
    CHECK_OK(import(big));
    ck_assert_int_eq(sum.notes_cut, 1);
    ck_assert_int_eq(sum.notes_cut_line, 2);
    lb_lead b = get(sql_int("SELECT max(id) FROM leads"));
    ck_assert_str_eq(b.name, "Bo");
    ck_assert_uint_eq(strlen(b.notes), LB_NOTES_MAX);
    free(big);
    free(csv);
}
END_TEST

/* The rejects file, in memory. */
static char rejected[8192];
static size_t nrejected;

static int keep_rejects(void *ud, const char *data, size_t n)
{
    (void)ud;
    ck_assert(nrejected + n < sizeof rejected);
    memcpy(rejected + nrejected, data, n);
    nrejected += n;
    rejected[nrejected] = '\0';
    return 0;
}

static lb_status import_rejects(const char *csv, bool dry_run)
{
    lb_import_opts o = {.source = "test.csv", .campaign = NULL, .dry_run = dry_run, .on_duplicate = DUP_SKIP};
    o.rejects = keep_rejects;
    nrejected = 0;
    rejected[0] = '\0';
    csv_reader *r = csv_open_mem(csv, strlen(csv));
    lb_err_clear(&err);
    lb_status st = import_csv(&ctx, r, &o, &sum, &err);
    csv_close(r);
    return st;
}

static const char messy[] = "Report: leads\n"
                            "Name,Email,Amount,Stage\r\n"
                            "Ana,a@x.test,\"$1,200.00\",New\r\n"
                            "Bo,b@x.test,lots,\r\n"
                            ",,,\r\n"
                            "Ana again,A@X.TEST,5,\r\n"
                            "Cy,c@x.test\r\n"
                            "Di,d@x.test,-3,\r\n"
                            "Name,Email,Amount,Stage\r\n"
                            "Ed,e@x.test,=1+2,\"multi\nline\"\r\n";

START_TEST(test_rejects)
{
    as("mia");
    CHECK_OK(import_rejects(messy, false));
    ck_assert_int_eq(sum.rows, 8);
    ck_assert_int_eq(sum.added, 1);
    ck_assert_int_eq(sum.skipped, 1);
    ck_assert_int_eq(sum.empty, 1);
    ck_assert_int_eq(sum.rejected, 5);
    assert_accounted();
    ck_assert_int_eq(sum.first_reject_line, 4);
    ck_assert_str_eq(sum.first_reject, "Amount: 'lots' is not an amount; write it like 12500, "
                                       "$12,500.00 or 12.500,00 \xE2\x82\xAC");
    ck_assert_int_eq(by_email("a@x.test").value, 120000);
    ck_assert_str_eq(rejected,
                     "Name,Email,Amount,Stage,reason\r\n"
                     "Bo,b@x.test,lots,,\"Amount: 'lots' is not an amount; write it like 12500, "
                     "$12,500.00 or 12.500,00 \xE2\x82\xAC\"\r\n"
                     "Cy,c@x.test,,,\"2 fields, but the header has 4; a value with a delimiter, "
                     "quote or line break must be in double quotes\"\r\n"
                     "Di,d@x.test,-3,,Amount '-3' is negative; a lead's value is 0 or more\r\n"
                     "Name,Email,Amount,Stage,this row repeats the header (two files joined?); "
                     "remove the line\r\n"
                     "Ed,e@x.test,=1+2,\"multi\nline\",\"Amount: '=1+2' is not an amount; write "
                     "it like 12500, $12,500.00 or 12.500,00 \xE2\x82\xAC\"\r\n");
}
END_TEST

START_TEST(test_rejects_dry_run_reports_the_same)
{
    as("mia");
    counts before = take();
    CHECK_OK(import_rejects(messy, true));
    lb_import_summary dry = sum;
    counts after = take();
    ck_assert_int_eq(memcmp(&before, &after, sizeof before), 0);
    as("mia");
    CHECK_OK(import_rejects(messy, false));
    ck_assert_int_eq(dry.added, sum.added);
    ck_assert_int_eq(dry.skipped, sum.skipped);
    ck_assert_int_eq(dry.empty, sum.empty);
    ck_assert_int_eq(dry.rejected, sum.rejected);
    ck_assert_int_eq(dry.rows, sum.rows);
    /* Without --rejects the first bad row stops it all. */
    as("mia");
    REFUSED(LB_EINVAL, "test.csv:4: Amount: 'lots'", import(messy));
}
END_TEST

START_TEST(test_header_controls_never_shown)
{
    as("mia");
    CHECK_OK(import("Name,Fa\x1b[2Jx,\xC2\x9bX\nAna,1,2\n"));
    ck_assert_str_eq(sum.unknown_columns, "Fa\\x1b[2Jx, \\u009bX");
    lb_lead l = get(sql_int("SELECT max(id) FROM leads"));
    ck_assert_str_eq(l.notes, "Fa\\x1b[2Jx: 1\n\\u009bX: 2");
    /* and in a reason */
    as("mia");
    CHECK_OK(import_rejects("Name,Am\x1bount\nBo,zz\n", false));
    ck_assert_ptr_null(strchr(sum.first_reject, '\x1b'));
    ck_assert_ptr_nonnull(strstr(sum.first_reject, "Am\\x1bount"));
    as("mia");
    REFUSED(LB_EINVAL, "Am\\x1bount: 'zz'", import("Name,Am\x1bount\nBo,zz\n"));
    ck_assert_ptr_null(strchr(err.msg, '\x1b'));
}
END_TEST

START_TEST(test_semicolon_money)
{
    as("mia");
    lb_import_opts o = {.source = "eu.csv", .campaign = NULL, .dry_run = false, .on_duplicate = DUP_SKIP};
    o.delimiter = ';';
    /* the reader splits a ';' file (decode's delimiter); here, one column */
    const char *csv = "Name,Amount\nAna,\"12.500,00 \xE2\x82\xAC\"\nBo,\"1.250\"\n";
    csv_reader *r = csv_open_mem(csv, strlen(csv));
    CHECK_OK(import_csv(&ctx, r, &o, &sum, &err));
    csv_close(r);
    ck_assert_int_eq(sql_int("SELECT value FROM leads WHERE name = 'Ana'"), 1250000);
    ck_assert_int_eq(sql_int("SELECT value FROM leads WHERE name = 'Bo'"), 125000);
}
END_TEST

START_TEST(test_placeholders_and_foreign_times)
{
    /* "N/A" for an amount is no amount (not a zero, not a bad row); another
     * CRM's created_at is a time when it reads as one, else notes. */
    as("mia");
    CHECK_OK(import("Name,Email,Amount,created_at\nAna,a@x.test,N/A,2024-01-15 10:30:00\n"
                    "Bo,b@x.test,-,last tuesday\nCy,c@x.test,\xE2\x80\x94,\n"));
    ck_assert_int_eq(sum.added, 3);
    lb_lead a = by_email("a@x.test");
    ck_assert(!a.has_value);
    ck_assert_str_eq(a.created_at, "2024-01-15T10:30:00Z");
    lb_lead b = by_email("b@x.test");
    ck_assert(!b.has_value);
    ck_assert_str_eq(b.created_at, ctx.now_iso);
    ck_assert_str_eq(b.notes, "created_at: last tuesday");
    ck_assert(!by_email("c@x.test").has_value);
}
END_TEST

START_TEST(test_sales_cannot_create_by_import)
{
    as("sam");
    REFUSED(LB_EPERM, "", import_opts("Name\nAna\n", "New One", false, DUP_SKIP));
}
END_TEST

/* ---- a long import leaves room for other writers (issue 10, item 8) ---- */

typedef struct {
    const char *p;
    size_t len, pos;
    const char *path;
    int writes;        /* concurrent writes done */
    lb_status results[2];
} racer;

/* Another process's write: its own connection, waiting 1 ms at most. */
static lb_status other_writer(const char *path, const char *email)
{
    lb_db *d;
    lb_ctx c;
    lb_err e;
    lb_status st = db_open(path, &d, &e);
    if (st != LB_OK)
        return st;
    setenv("LEADBOARD_BUSY_TIMEOUT", "1", 1);
    st = ctx_init(&c, d, "mo", &e);
    int64_t id = 0;
    lb_lead_input in = {.name = "Walk-in", .email = email};
    if (st == LB_OK)
        st = act_lead_add(&c, &in, &id, &e);
    unsetenv("LEADBOARD_BUSY_TIMEOUT");
    db_close(d);
    return st;
}

/* Hands the import the file a third at a time; between the thirds
 * another connection writes (the second time with the email of a row the
 * import has already read, and one of a row it has not). */
static long racer_read(void *ud, char *buf, size_t n)
{
    racer *x = ud;
    size_t third = x->len / 3 + 1;
    if (x->pos > 0 && x->pos < x->len && x->writes < 2) {
        x->results[x->writes] =
            other_writer(x->path, x->writes == 0 ? "walkin@x.test" : "row5@x.test");
        x->writes++;
    }
    size_t k = x->len - x->pos < third ? x->len - x->pos : third;
    if (k > n)
        k = n;
    memcpy(buf, x->p + x->pos, k);
    x->pos += k;
    return (long)k;
}

/* An import of 3002 rows as mia in mode, with two writes by another
 * connection while it reads (see racer_read). */
static lb_db *race(lb_dup_mode mode, char *dir)
{
    char path[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/board.db", dir);
    lb_db *fdb;
    CHECK_OK(db_open(path, &fdb, &err));
    add_team(fdb);
    char *csv = malloc(200000);
    strcpy(csv, "Name,Email\n");
    for (int i = 0; i < 3000; i++)
        sprintf(csv + strlen(csv), "Row %d,row%d@x.test\n", i, i);
    strcat(csv, "Last,row2999@x.test\nLate,ROW5@x.test\n");
    racer x = {csv, strlen(csv), 0, path, 0, {LB_EDB, LB_EDB}};
    csv_reader *r = csv_open(racer_read, &x);
    csv_set_limits(r, 0, 0, 0);
    lb_import_opts o = {.source = "race.csv", .campaign = NULL, .dry_run = false, .on_duplicate = mode};
    as_on(fdb, "mia");
    CHECK_OK(import_csv(&ctx, r, &o, &sum, &err));
    csv_close(r);
    ck_assert_int_eq(x.writes, 2);
    ck_assert_msg(x.results[0] == LB_OK, "a write while the import read the file: %d",
                  (int)x.results[0]);
    ck_assert_msg(x.results[1] == LB_OK, "the second write: %d", (int)x.results[1]);
    free(csv);
    return fdb;
}

static void race_done(lb_db *fdb, const char *dir)
{
    db_close(fdb);
    char rm[128];
    snprintf(rm, sizeof rm, "rm -rf %s", dir);
    ck_assert_int_eq(system(rm), 0);
}

START_TEST(test_concurrent_writer_during_import)
{
    char dir[] = "/tmp/lb-import-XXXXXX";
    lb_db *fdb = race(DUP_SKIP, dir);
    /* row5 was read before the other writer added it: a duplicate after all */
    ck_assert_int_eq(sum.rows, 3002);
    ck_assert_int_eq(sum.added, 2999);
    ck_assert_int_eq(sum.skipped, 3);
    assert_accounted();
    ck_assert_int_eq(sql_int_on(fdb, "SELECT count(*) FROM leads"), 3001);
    ck_assert_int_eq(sql_int_on(fdb, "SELECT count(*) FROM leads WHERE email LIKE 'row5@x.test'"),
                     1);
    ck_assert_int_eq(sql_int_on(fdb, "SELECT count(*) FROM leads WHERE name = 'Walk-in'"), 2);
    /* ids follow the file's order, each with its create event */
    ck_assert_int_eq(sql_int_on(fdb, "SELECT count(*) FROM leads l JOIN events e ON e.lead_id = "
                                     "l.id AND e.action = 'create' AND e.note = 'imported from "
                                     "race.csv:' || (substr(l.email, 4, instr(l.email, '@') - 4) "
                                     "+ 2) WHERE l.name LIKE 'Row %'"),
                     2999);
    race_done(fdb, dir);
}
END_TEST

START_TEST(test_concurrent_writer_during_import_update)
{
    /* In update mode the rows another writer's lead duplicates update it. */
    char dir[] = "/tmp/lb-import-XXXXXX";
    lb_db *fdb = race(DUP_UPDATE, dir);
    ck_assert_int_eq(sum.rows, 3002);
    ck_assert_int_eq(sum.added, 2999);
    ck_assert_int_eq(sum.updated, 3); /* Row 5 and Late into the walk-in, Last into Row 2999 */
    assert_accounted();
    ck_assert_int_eq(sql_int_on(fdb, "SELECT count(*) FROM leads"), 3001);
    ck_assert_int_eq(sql_int_on(fdb, "SELECT count(*) FROM leads WHERE email = 'row5@x.test' AND "
                                     "name = 'Late'"),
                     1);
    ck_assert_int_eq(sql_int_on(fdb, "SELECT count(*) FROM leads WHERE name = 'Last'"), 1);
    race_done(fdb, dir);
}
END_TEST

Suite *import_suite(void)
{
    Suite *s = suite_create("import");

    TCase *tc = tcase_create("mapping");
    tcase_add_loop_test(tc, test_header_mapping, 0, N(header_cases));
    tcase_add_test(tc, test_dup_mode_parse);
    suite_add_tcase(s, tc);

    tc = tcase_create("layouts");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_salesforce_layout);
    tcase_add_test(tc, test_hubspot_layout);
    tcase_add_test(tc, test_name_column_preferred);
    tcase_add_test(tc, test_header_only_and_blank_rows);
    tcase_add_test(tc, test_created_at_for_marketing);
    tcase_add_test(tc, test_notes_cut_when_full);
    tcase_add_test(tc, test_repeated_columns);
    tcase_add_test(tc, test_header_no_break_space);
    tcase_add_test(tc, test_invisible_padding_trimmed);
    tcase_add_test(tc, test_crm_pipeline_columns_kept_for_marketing);
    tcase_add_test(tc, test_own_pipeline_columns_ignored_for_marketing);
    tcase_add_loop_test(tc, test_value_forms, 0, N(values));
    tcase_add_test(tc, test_import_streamed);
    suite_add_tcase(s, tc);

    tc = tcase_create("crm_files");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_money_forms, 0, N(money_cases));
    tcase_add_test(tc, test_fallback_name);
    tcase_add_test(tc, test_concurrent_writer_during_import);
    tcase_add_test(tc, test_concurrent_writer_during_import_update);
    suite_add_tcase(s, tc);
    tc = tcase_create("crm_rows");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_preamble);
    tcase_add_test(tc, test_report_layouts);
    tcase_add_test(tc, test_email_column_by_content);
    tcase_add_test(tc, test_no_name_and_empty_rows);
    tcase_add_test(tc, test_values_trimmed_and_kept);
    tcase_add_test(tc, test_long_notes_kept_whole);
    tcase_add_test(tc, test_rejects);
    tcase_add_test(tc, test_rejects_dry_run_reports_the_same);
    tcase_add_test(tc, test_header_controls_never_shown);
    tcase_add_test(tc, test_semicolon_money);
    tcase_add_test(tc, test_sales_cannot_create_by_import);
    tcase_add_test(tc, test_placeholders_and_foreign_times);
    suite_add_tcase(s, tc);

    tc = tcase_create("bad_input");
    tcase_set_timeout(tc, 30);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_bad_import_writes_nothing, 0, N(bad_imports));
    tcase_add_test(tc, test_bad_row_deep_in_a_big_file);
    suite_add_tcase(s, tc);

    tc = tcase_create("duplicates");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_duplicate_skip);
    tcase_add_test(tc, test_duplicate_within_the_file);
    tcase_add_test(tc, test_duplicate_update);
    tcase_add_test(tc, test_duplicate_within_the_file_update);
    tcase_add_test(tc, test_duplicate_update_appends_notes);
    tcase_add_test(tc, test_duplicate_update_notes_column_replaces);
    tcase_add_test(tc, test_duplicate_update_matches_whole_lines);
    tcase_add_test(tc, test_duplicate_update_past_nurture);
    tcase_add_test(tc, test_duplicate_error);
    suite_add_tcase(s, tc);

    tc = tcase_create("transaction");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_dry_run_writes_nothing);
    tcase_add_test(tc, test_campaign_option);
    tcase_add_test(tc, test_campaigns_from_the_file);
    tcase_add_test(tc, test_campaign_channel_and_cost_from_the_file);
    tcase_add_test(tc, test_import_permissions);
    tcase_add_test(tc, test_import_events);
    tcase_add_test(tc, test_manager_restores_pipeline);
    tcase_add_loop_test(tc, test_manager_bad_pipeline, 0, N(bad_pipelines));
    tcase_add_test(tc, test_manager_crm_pipeline_kept);
    suite_add_tcase(s, tc);

    tc = tcase_create("export");
    tcase_set_timeout(tc, 30);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_export_header_and_quoting);
    tcase_add_test(tc, test_export_empty_and_write_failure);
    tcase_add_test(tc, test_export_campaign_channel_and_cost);
    tcase_add_test(tc, test_export_streams_in_pieces);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_round_trip_formulas);
    tcase_add_test(tc, test_round_trip_into_the_same_board_skips);
    tcase_add_test(tc, test_round_trip_as_marketing);
    suite_add_tcase(s, tc);

    return s;
}
