#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "db_internal.h"
#include "leadboard/demo.h"
#include "leadboard/domain.h"

/* The demo binds strings that live until the statement has stepped, so
 * SQLite need not copy them (millions of copies otherwise). */
static void bind_s(lb_stmt *st, int i, const char *s)
{
    if (s)
        db_bind_str(st, i, s, -1, DB_STATIC);
    else
        db_bind_null(st, i);
}

static void bind_so(lb_stmt *st, int i, const char *s)
{
    bind_s(st, i, s && *s ? s : NULL);
}

/* splitmix64: small, fast and the same everywhere, so a seed is a company. */
static uint64_t next_u64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static int pick(uint64_t *s, int n)
{
    return (int)(next_u64(s) % (uint64_t)n);
}

static int64_t between(uint64_t *s, int64_t lo, int64_t hi)
{
    return hi <= lo ? lo : lo + (int64_t)(next_u64(s) % (uint64_t)(hi - lo + 1));
}

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const first_names[] = {
    "Ana",   "Bo",     "Chloé",  "Dmitri", "Eun-ji", "Farah",  "Gustavo", "Hiroshi", "Inès",
    "Jamal", "Katarzyna", "Liam", "Mónica", "Nnamdi", "Olga",  "Priya",   "Quentin", "Rafael",
    "Søren", "Tomás",  "Ursula", "Văn",    "Wei",    "Ximena", "Yusuf",   "Zoë",     "小明",
    "Aiko",  "Björn",  "Céline", "Diego",  "Emeka",  "Fatima", "Giulia",  "Hamid",   "Ingrid"};
static const char *const last_names[] = {
    "Avila",  "Chen",    "Dubois", "Eze",     "García", "Haddad", "Ivanov",  "Jørgensen",
    "Kim",    "Lefèvre", "Müller", "Nguyễn",  "Núñez",  "O'Brien", "Okafor", "Petrova",
    "Pereira", "Schmidt", "Souza", "Tanaka",  "Moreau", "Nowak",  "Zhang",   "王",
    "Kowalski", "Rossi", "Svensson", "Yamamoto", "Adeyemi", "Fischer", "Larsen", "Costa"};
static const char *const companies[] = {
    "Acme, Inc.",       "Globex Corporation", "Initech",          "Umbrella \"Bio\" Labs",
    "Hooli",            "Pied Piper",         "Soylent Corp",     "Stark Industries",
    "Wayne Enterprises", "Tyrell Corporation", "Cyberdyne Systems", "Wonka Industries",
    "Oceanic Airlines", "Vandelay Industries", "Müller & Söhne GmbH", "北京科技有限公司",
    "Nordwind AB",      "Blue Harbor Foods",  "Kestrel Logistics", "Lumen Health",
    "Orbital Freight",  "Quantum Dairy",      "Redwood Analytics", "Sakura Textiles"};
static const char *const titles[] = {"CEO",           "CTO",         "VP Marketing",
                                     "Head of Sales", "Director, IT", "Procurement Manager",
                                     "Operations Lead", "Analyst",   "CFO", "Founder"};
static const char *const lost_reasons[] = {
    "went with a competitor", "no budget this year", "project cancelled",
    "price too high",         "no decision maker",   "timing: revisit next year"};
static const char *const reject_reasons[] = {
    "not a fit: too small", "student, not a buyer", "duplicate of an existing account",
    "no budget", "wrong contact, left the company"};
static const char *const notes[] = {"Asked for pricing", "Visited booth; wants a demo",
                                    "Downloaded the whitepaper", "Referred by a customer",
                                    "Met at the keynote.\nFollow up after the holidays", ""};
/* A note that fits the outcome, by outcome. */
static const char *const followup_notes[OUTCOME_COUNT][3] = {
    [OUTCOME_CONNECTED] = {"Intro call, good fit", "Pricing discussion",
                           "Needs sign-off from the CFO"},
    [OUTCOME_VOICEMAIL] = {"Left a voicemail", "Voicemail, sent an email too", "Left a message"},
    [OUTCOME_NO_ANSWER] = {"No answer, will retry", "No answer", "Rang twice, no answer"},
    [OUTCOME_MEETING_BOOKED] = {"Demo booked", "Meeting with the team booked",
                                "Security review booked"},
    [OUTCOME_NOT_INTERESTED] = {"Not interested right now", "Happy with their vendor",
                                "No project this year"},
    [OUTCOME_WRONG_CONTACT] = {"Wrong person, got a referral", "Left the company",
                               "Wrong number"},
};
static const char *const comments[] = {
    "Great lead, thanks!", "Can we get more like this one?", "Budget confirmed for Q1.",
    "They asked about the partner program.", "Please check the phone number."};

struct camp {
    const char *name, *channel;
    int64_t cost;   /* cents */
    int quality;    /* 1..5: how good its leads tend to be */
    int weight;
};
static const struct camp campaigns[] = {
    {"Spring Expo 2026", "event", 2500000, 4, 14},
    {"Trade Show Berlin", "event", 4000000, 3, 10},
    {"Q3 Webinar Series", "webinar", 300000, 4, 12},
    {"Newsletter", "email", 50000, 2, 12},
    {"LinkedIn Ads", "paid", 1800000, 2, 14},
    {"Search Ads", "paid", 2200000, 3, 12},
    {"Whitepaper: Cloud Costs", "content", 400000, 3, 8},
    {"Customer Referrals", "referral", 0, 5, 6},
    {"Partner: Globex", "partner", 800000, 4, 6},
    {"Outbound SDR", "outbound", 1200000, 2, 6},
};

static const struct {
    const char *login, *name, *team;
} people[] = {
    {"maria", "Maria Rossi", "manager"},    {"ana", "Ana Ávila", "marketing"},
    {"mo", "Mo Nakamura", "marketing"},     {"priya", "Priya Patel", "marketing"},
    {"bob", "Bob Chen", "sales"},           {"cara", "Cara Okafor", "sales"},
    {"dev", "Dev Sharma", "sales"},         {"eli", "Eli Novak", "sales"},
    {"fay", "Fay Lindqvist", "sales"},
};
#define FIRST_MARKETER 1
#define N_MARKETERS 3
#define FIRST_REP 4
#define N_REPS 5

typedef struct demo {
    lb_db *db;
    uint64_t rng;
    lb_time now;
    const char *os;
    lb_stmt *lead, *event, *followup, *rating, *comment;
    int64_t user_id[N(people)];
    int64_t campaign_id[N(campaigns)];
    lb_demo_stats *stats;
} demo;

static void iso(lb_time t, char *buf)
{
    time_format(t, buf);
}

static lb_status step(demo *d, lb_stmt *st, lb_err *err)
{
    int rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE)
        return db_fail(d->db, err, "filling the demo");
    return LB_OK;
}

static lb_status event(demo *d, lb_time at, int64_t actor, const char *entity, int64_t entity_id,
                       int64_t lead, const char *action, const char *field, const char *old,
                       const char *new, const char *note, lb_err *err)
{
    char when[LB_TIME_BUF];
    iso(at, when);
    lb_stmt *st = d->event;
    bind_s(st, 1, when);
    bind_id(st, 2, actor);
    bind_s(st, 3, d->os);
    bind_s(st, 4, entity);
    bind_id(st, 5, entity_id);
    bind_id(st, 6, lead);
    bind_s(st, 7, action);
    bind_s(st, 8, field);
    bind_s(st, 9, old);
    bind_s(st, 10, new);
    bind_s(st, 11, note);
    d->stats->events++;
    return step(d, st, err);
}

static lb_status exec(demo *d, const char *sql, lb_err *err)
{
    if (db_exec_rc(d->db, sql) != DB_OK)
        return db_fail(d->db, err, "filling the demo");
    return LB_OK;
}

static lb_status prepare(demo *d, lb_stmt **st, const char *sql, lb_err *err)
{
    if (db_prepare(d->db, sql, st) != DB_OK)
        return db_fail(d->db, err, "filling the demo");
    return LB_OK;
}

static lb_status setup(demo *d, lb_err *err)
{
    lb_status st;
    char when[LB_TIME_BUF], start[LB_TIME_BUF], end[LB_TIME_BUF];
    lb_stmt *ins = NULL;
    iso(d->now - 200 * 86400, when);

    if ((st = prepare(d, &ins, "INSERT INTO users(login, name, team, created_at) "
                               "VALUES (?1, ?2, ?3, ?4)",
                      err)) != LB_OK)
        return st;
    for (int i = 0; i < N(people) && st == LB_OK; i++) {
        bind_s(ins, 1, people[i].login);
        bind_s(ins, 2, people[i].name);
        bind_s(ins, 3, people[i].team);
        bind_s(ins, 4, when);
        st = step(d, ins, err);
        d->user_id[i] = db_last_id(d->db);
        d->stats->users++;
        if (st == LB_OK)
            st = event(d, d->now - 200 * 86400, i == 0 ? 0 : d->user_id[0], "user",
                       d->user_id[i], 0, "create", "team", NULL, people[i].team,
                       i == 0 ? "first user" : "", err);
    }
    db_finalize(ins);
    if (st != LB_OK)
        return st;

    if ((st = prepare(d, &ins, "INSERT INTO campaigns(name, channel, cost, start_date, end_date, "
                               "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                      err)) != LB_OK)
        return st;
    for (int i = 0; i < N(campaigns) && st == LB_OK; i++) {
        iso(d->now - (190 - i * 12) * 86400, start);
        iso(d->now - (100 - i * 12) * 86400, end);
        bind_s(ins, 1, campaigns[i].name);
        bind_s(ins, 2, campaigns[i].channel);
        db_bind_int64(ins, 3, campaigns[i].cost);
        db_bind_str(ins, 4, start, 10, DB_TRANSIENT);
        db_bind_str(ins, 5, end, 10, DB_TRANSIENT);
        bind_s(ins, 6, when);
        st = step(d, ins, err);
        d->campaign_id[i] = db_last_id(d->db);
        d->stats->campaigns++;
        if (st == LB_OK) {
            char cost[32];
            money_format(campaigns[i].cost, cost, sizeof cost);
            st = event(d, d->now - 199 * 86400, d->user_id[FIRST_MARKETER + i % N_MARKETERS],
                       "campaign", d->campaign_id[i], 0, "create", "cost", NULL, cost,
                       campaigns[i].name, err);
        }
    }
    db_finalize(ins);
    if (st != LB_OK)
        return st;

    /* Goals: this quarter, last quarter and this month. */
    char goal[80];
    int y, m;
    {
        char n[LB_TIME_BUF];
        iso(d->now, n);
        y = (n[0] - '0') * 1000 + (n[1] - '0') * 100 + (n[2] - '0') * 10 + (n[3] - '0');
        m = (n[5] - '0') * 10 + (n[6] - '0');
    }
    int q = (m - 1) / 3 + 1;
    int64_t scale = d->stats->leads > 0 ? d->stats->leads : 1;
    struct {
        char period[16];
        int64_t revenue, wins;
    } goals[3];
    snprintf(goals[0].period, sizeof goals[0].period, "%04d-Q%d", y, q);
    snprintf(goals[1].period, sizeof goals[1].period, "%04d-Q%d", q == 1 ? y - 1 : y,
             q == 1 ? 4 : q - 1);
    snprintf(goals[2].period, sizeof goals[2].period, "%04d-%02d", y, m);
    /* About what the demo's pipeline wins (a sixth of the leads over half
     * a year, some 25,000 each), so progress reads like a real quarter. */
    goals[0].wins = scale / 4, goals[0].revenue = goals[0].wins * 2500000;
    goals[1].wins = scale / 5, goals[1].revenue = goals[1].wins * 2500000;
    goals[2].wins = scale / 10, goals[2].revenue = goals[2].wins * 2500000;
    if ((st = prepare(d, &ins, "INSERT INTO goals(period, revenue_target, wins_target, "
                               "updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                      err)) != LB_OK)
        return st;
    for (int i = 0; i < 3 && st == LB_OK; i++) {
        bind_s(ins, 1, goals[i].period);
        db_bind_int64(ins, 2, goals[i].revenue);
        db_bind_int64(ins, 3, goals[i].wins > 0 ? goals[i].wins : 1);
        bind_s(ins, 4, when);
        db_bind_int64(ins, 5, d->user_id[0]);
        st = step(d, ins, err);
        snprintf(goal, sizeof goal, "%lld/%lld", (long long)goals[i].revenue,
                 (long long)goals[i].wins);
        if (st == LB_OK)
            st = event(d, d->now - 180 * 86400, d->user_id[0], "goal", 0, 0, "set",
                       goals[i].period, NULL, goal, "", err);
    }
    db_finalize(ins);
    return st;
}

/* One lead and its whole history, consistent with where it ends up. */
static lb_status one_lead(demo *d, int64_t i, lb_err *err)
{
    uint64_t *r = &d->rng;
    lb_status st;
    char name[160], email[200], phone[40];
    char created[LB_TIME_BUF], stage_at[LB_TIME_BUF], handed[LB_TIME_BUF] = "",
                                                      accepted[LB_TIME_BUF] = "",
                                                      first_touch[LB_TIME_BUF] = "",
                                                      last_touch[LB_TIME_BUF] = "",
                                                      next_due[LB_TIME_BUF] = "",
                                                      closed[LB_TIME_BUF] = "";
    const char *first = first_names[pick(r, N(first_names))];
    const char *last = last_names[pick(r, N(last_names))];
    const char *company = companies[pick(r, N(companies))];
    snprintf(name, sizeof name, "%s %s", first, last);
    snprintf(email, sizeof email, "lead%lld@%s.test", (long long)i,
             (const char *[]){"acme", "globex", "initech", "hooli", "example"}[pick(r, 5)]);
    snprintf(phone, sizeof phone, "+1 (%03d) 555-%04d", (int)between(r, 200, 999),
             (int)between(r, 0, 9999));

    int total = 0, w = (int)between(r, 1, 100), c = 0;
    for (int k = 0; k < N(campaigns); k++)
        total += campaigns[k].weight;
    w = (int)between(r, 0, total - 1);
    while (w >= campaigns[c].weight)
        w -= campaigns[c++].weight;
    const struct camp *camp = &campaigns[c];
    int64_t campaign_id = pick(r, 20) == 0 ? 0 : d->campaign_id[c];
    int64_t value = between(r, 2, 100) * 50000;
    bool has_value = pick(r, 8) != 0;
    int marketer = FIRST_MARKETER + pick(r, N_MARKETERS);
    int rep = FIRST_REP + pick(r, N_REPS);
    int64_t marketer_id = d->user_id[marketer], rep_id = d->user_id[rep];

    /* Where it ends: better campaigns go further. */
    int roll = (int)between(r, 0, 99) + (camp->quality - 3) * 4;
    lb_stage stage = roll < 25   ? STAGE_NURTURE
                     : roll < 32 ? STAGE_HANDED_OFF
                     : roll < 38 ? STAGE_ACCEPTED
                     : roll < 50 ? STAGE_CONTACTED
                     : roll < 60 ? STAGE_QUALIFIED
                     : roll < 68 ? STAGE_PROPOSAL
                     : roll < 84 ? STAGE_LOST
                                 : STAGE_WON;
    /* Recent leads are earlier in the pipeline. */
    lb_time t_created = d->now - between(r, stage == STAGE_NURTURE ? 0 : 5 * 86400, 180 * 86400);
    if (stage == STAGE_HANDED_OFF)
        t_created = d->now - between(r, 2 * 86400, 20 * 86400);
    iso(t_created, created);

    /* When the story ends: closed leads some time ago, open ones recently.
     * Each step takes a share of what is left, so histories fit in time. */
    lb_time end = stage_is_closed(stage)
                      ? t_created + (d->now - t_created) * between(r, 20, 95) / 100
                      : d->now - between(r, 0, (d->now - t_created) / 3 < 10 * 86400
                                                       ? (d->now - t_created) / 3
                                                       : 10 * 86400);
    int steps = 8;
#define STEP(t_) (t_ + between(r, 600, (end - (t_)) / (steps > 1 ? steps-- : 1) > 600        \
                                            ? (end - (t_)) / (steps > 1 ? steps : 1)          \
                                            : 600))
    int64_t id = i, owner = 0;
    int furthest = 0, rejections = 0, stars = 0;
    const char *reason = "";
    lb_time t = t_created;
    lb_stage cur = STAGE_NURTURE;
    char sa[LB_TIME_BUF];

    /* The lead row goes first (events reference it); its final state is
     * computed below and written with the same statement's UPDATE-free
     * path: we know the whole story before inserting. */
    struct ev {
        lb_time at;
        int64_t actor;
        const char *action, *field, *old, *new, *note;
    } evs[16];
    int nev = 0;
#define EV(at_, actor_, action_, field_, old_, new_, note_)                                        \
    do {                                                                                           \
        if (nev < 16)                                                                              \
            evs[nev++] = (struct ev){at_, actor_, action_, field_, old_, new_, note_};             \
    } while (0)
    EV(t, marketer_id, "create", "", NULL, name, "");

    /* Some nurture leads were handed off once and rejected. */
    if (stage == STAGE_NURTURE && pick(r, 6) == 0) {
        lb_time h = t + between(r, 3600, 5 * 86400), j = h + between(r, 1800, 30 * 3600);
        if (j < d->now) {
            EV(h, marketer_id, "handoff", "owner", NULL, people[rep].login, "");
            reason = reject_reasons[pick(r, N(reject_reasons))];
            EV(j, rep_id, "reject", "owner", people[rep].login, NULL, reason);
            rejections = 1;
            furthest = 1;
            t = j;
        }
    }
    if (stage >= STAGE_HANDED_OFF) {
        lb_time span = d->now - t;
        lb_time h = stage == STAGE_HANDED_OFF ? d->now - between(r, 3600, 60 * 3600)
                                              : t + between(r, 3600, span / 6 > 7200 ? span / 6 : 7200);
        if (h > d->now - 1800)
            h = d->now - 1800;
        if (h < t)
            h = t;
        t = h;
        iso(t, handed);
        owner = rep_id;
        EV(t, marketer_id, "handoff", "owner", NULL, people[rep].login, "");
        cur = STAGE_HANDED_OFF;
        furthest = 1;
    }
    int nfollow = 0;
    struct {
        lb_time at;
        int kind, outcome;
        const char *note;
        lb_time due;
    } fus[6];
    if (stage >= STAGE_ACCEPTED) {
        /* Usually within the day; sometimes late (an SLA breach). */
        lb_time a = t + (pick(r, 7) == 0 ? between(r, 25 * 3600, 60 * 3600)
                                         : between(r, 600, 20 * 3600));
        steps--;
        if (a > d->now - 600)
            a = d->now - 600;
        t = a;
        iso(t, accepted);
        EV(t, rep_id, "accept", "stage", "handed_off", "accepted", "");
        cur = STAGE_ACCEPTED;
        furthest = 2;
    }
    /* Follow-ups for leads past acceptance. */
    if (stage >= STAGE_ACCEPTED && !(stage == STAGE_ACCEPTED && pick(r, 3) == 0)) {
        int n = stage == STAGE_ACCEPTED ? 1 : (int)between(r, 1, 4);
        for (int k = 0; k < n && nfollow < 6; k++) {
            lb_time at = k == 0 ? t + (pick(r, 8) == 0 ? between(r, 49 * 3600, 6 * 86400)
                                                       : between(r, 1800, 40 * 3600))
                                : STEP(t);
            if (at > d->now - 300)
                break;
            int outcome = k == 0 && stage >= STAGE_CONTACTED ? OUTCOME_CONNECTED
                          : stage == STAGE_ACCEPTED
                              ? (int[]){OUTCOME_VOICEMAIL, OUTCOME_NO_ANSWER}[pick(r, 2)]
                              : (int)between(r, 0, 3);
            fus[nfollow].at = at;
            fus[nfollow].kind = pick(r, 3);
            fus[nfollow].outcome = outcome;
            fus[nfollow].note = followup_notes[outcome][pick(r, 3)];
            fus[nfollow].due = pick(r, 2) ? at + between(r, 86400, 10 * 86400) : 0;
            nfollow++;
            t = at;
            if (k == 0 && cur == STAGE_ACCEPTED && stage >= STAGE_CONTACTED) {
                EV(at, rep_id, "log", "outcome", NULL, vocab_name(&lb_outcomes, outcome), "");
                EV(at, rep_id, "move", "stage", "accepted", "contacted",
                   "after a connected follow-up");
                cur = STAGE_CONTACTED;
                furthest = 3;
            } else {
                EV(at, rep_id, "log", "outcome", NULL, vocab_name(&lb_outcomes, outcome), "");
            }
        }
        if (nfollow) {
            iso(fus[0].at, first_touch);
            iso(fus[nfollow - 1].at, last_touch);
            if (fus[nfollow - 1].due)
                iso(fus[nfollow - 1].due, next_due);
        }
    }
    /* Walk the rest of the way. */
    static const lb_stage path[] = {STAGE_CONTACTED, STAGE_QUALIFIED, STAGE_PROPOSAL};
    for (int k = 0; k < 3; k++) {
        lb_stage next = path[k];
        if (next <= cur)
            continue;
        bool go = stage == STAGE_WON || (stage == STAGE_LOST && pick(r, 2)) ||
                  ((int)stage >= (int)next && stage != STAGE_LOST);
        if (!go)
            break;
        lb_time at = STEP(t);
        if (at > d->now - 120)
            at = d->now - 120;
        t = at;
        EV(t, rep_id, "move", "stage", stage_name(cur), stage_name(next), "");
        cur = next;
        furthest = (int)next;
    }
    if (stage == STAGE_WON || stage == STAGE_LOST) {
        lb_time at = end > t ? end : t + 600;
        if (at > d->now - 60)
            at = d->now - 60;
        t = at;
        if (stage == STAGE_WON && !has_value) {
            has_value = true;
            value = between(r, 4, 60) * 50000;
        }
        if (stage == STAGE_LOST)
            reason = lost_reasons[pick(r, N(lost_reasons))];
        EV(t, rep_id, "move", "stage", stage_name(cur), stage_name(stage), reason);
        if (stage == STAGE_WON)
            furthest = 6;
        iso(t, closed);
        cur = stage;
    }
    if (cur != stage) { /* a lead that never got going stays where it reached */
        stage = cur;
    }
    iso(t, stage_at);
    if (stage == STAGE_NURTURE) {
        owner = 0;
        snprintf(sa, sizeof sa, "%s", rejections ? stage_at : created);
        snprintf(stage_at, sizeof stage_at, "%s", sa);
    }

    /* A rating from the rep on most leads that got past acceptance. */
    bool rated = stage >= STAGE_ACCEPTED && pick(r, 5) < 3;
    if (rated) {
        int s = camp->quality + (int)between(r, -2, 1) + (stage == STAGE_WON) - (stage == STAGE_LOST);
        stars = s < 1 ? 1 : s > 5 ? 5 : s;
    }

    lb_stmt *L = d->lead;
    db_bind_int64(L, 1, id);
    bind_s(L, 2, name);
    bind_s(L, 3, company);
    bind_s(L, 4, titles[pick(r, N(titles))]);
    bind_s(L, 5, email);
    bind_s(L, 6, phone);
    bind_s(L, 7, notes[pick(r, N(notes))]);
    bind_id(L, 8, campaign_id);
    if (has_value)
        db_bind_int64(L, 9, value);
    else
        db_bind_null(L, 9);
    db_bind_int64(L, 10, marketer_id);
    bind_id(L, 11, owner);
    bind_s(L, 12, stage_name(stage));
    bind_s(L, 13, reason);
    bind_s(L, 14, created);
    bind_s(L, 15, stage_at);
    bind_so(L, 16, stage == STAGE_NURTURE ? "" : handed);
    bind_so(L, 17, stage == STAGE_NURTURE ? "" : accepted);
    bind_so(L, 18, first_touch);
    bind_so(L, 19, last_touch);
    bind_so(L, 20, stage_is_working(stage) ? next_due : "");
    bind_so(L, 21, closed);
    db_bind_int(L, 22, furthest);
    db_bind_int(L, 23, rejections);
    if (stars)
        db_bind_int(L, 24, stars);
    else
        db_bind_null(L, 24);
    db_bind_int(L, 25, nev);
    bind_s(L, 26, stage_at);
    db_bind_int64(L, 27, stage == STAGE_NURTURE ? marketer_id : rep_id);
    if ((st = step(d, L, err)) != LB_OK)
        return st;
    d->stats->leads++;

    /* Follow-ups and their events, in time order with the others. */
    int f = 0;
    for (int k = 0; k < nev; k++) {
        int64_t entity_id = id;
        const char *entity = "lead";
        if (strcmp(evs[k].action, "log") == 0 && f < nfollow) {
            char at[LB_TIME_BUF], due[LB_TIME_BUF] = "";
            iso(fus[f].at, at);
            if (fus[f].due)
                iso(fus[f].due, due);
            lb_stmt *F = d->followup;
            db_bind_int64(F, 1, id);
            db_bind_int64(F, 2, rep_id);
            bind_s(F, 3, vocab_name(&lb_kinds, fus[f].kind));
            bind_s(F, 4, vocab_name(&lb_outcomes, fus[f].outcome));
            bind_s(F, 5, fus[f].note);
            bind_s(F, 6, pick(r, 2) ? "send a proposal" : "");
            bind_so(F, 7, due);
            bind_s(F, 8, at);
            if ((st = step(d, F, err)) != LB_OK)
                return st;
            entity = "followup";
            entity_id = db_last_id(d->db);
            d->stats->followups++;
            f++;
        }
        if ((st = event(d, evs[k].at, evs[k].actor, entity, entity_id, id, evs[k].action,
                        evs[k].field, evs[k].old, evs[k].new, evs[k].note, err)) != LB_OK)
            return st;
    }
    if (rated) {
        char at[LB_TIME_BUF], s[8], tags[64] = "";
        lb_time when = t + 600 < d->now ? t + 600 : d->now;
        iso(when, at);
        int a = pick(r, REASON_COUNT), b = pick(r, REASON_COUNT);
        snprintf(tags, sizeof tags, "%s%s%s", vocab_name(&lb_reasons, a < b ? a : b),
                 a == b ? "" : ",", a == b ? "" : vocab_name(&lb_reasons, a < b ? b : a));
        lb_stmt *R = d->rating;
        db_bind_int64(R, 1, id);
        db_bind_int64(R, 2, rep_id);
        db_bind_int(R, 3, stars);
        bind_s(R, 4, tags);
        static const char *const low[] = {"No budget until next year", "Student, not a buyer",
                                          "Phone number and email both wrong",
                                          "Already a customer of a competitor"};
        static const char *const high[] = {"Ready to buy this quarter", "Great fit, decision maker",
                                           "Warm intro, very engaged"};
        bind_s(R, 5, stars <= 2 ? low[pick(r, 4)] : stars >= 4 ? high[pick(r, 3)] : "");
        bind_s(R, 6, at);
        bool reviewed = when < d->now - 3 * 86400 && pick(r, 3) != 0;
        char rat[LB_TIME_BUF];
        iso(when + 86400, rat);
        if (reviewed) {
            db_bind_int64(R, 7, marketer_id);
            bind_s(R, 8, rat);
            bind_s(R, 9, stars <= 2 ? "Thanks, we will tighten the targeting." : "Thanks!");
        } else {
            db_bind_null(R, 7);
            db_bind_null(R, 8);
            bind_s(R, 9, "");
        }
        if ((st = step(d, R, err)) != LB_OK)
            return st;
        int64_t rid = db_last_id(d->db);
        d->stats->ratings++;
        snprintf(s, sizeof s, "%d", stars);
        if ((st = event(d, when, rep_id, "rating", rid, id, "rate", "stars", NULL, s, "", err)) !=
            LB_OK)
            return st;
        if (reviewed && (st = event(d, when + 86400 < d->now ? when + 86400 : d->now, marketer_id,
                                    "rating", rid, id, "review", "reply", NULL, "Thanks!", "",
                                    err)) != LB_OK)
            return st;
    }
    if (pick(r, 20) == 0) {
        char at[LB_TIME_BUF];
        iso(t_created + (d->now - t_created) / 2, at);
        lb_stmt *C = d->comment;
        db_bind_int64(C, 1, id);
        db_bind_int64(C, 2, marketer_id);
        bind_s(C, 3, comments[pick(r, N(comments))]);
        bind_s(C, 4, at);
        if ((st = step(d, C, err)) != LB_OK)
            return st;
        d->stats->comments++;
        if ((st = event(d, t_created + (d->now - t_created) / 2, marketer_id, "comment",
                        db_last_id(d->db), id, "comment", "", NULL, NULL, "",
                        err)) != LB_OK)
            return st;
    }
    return LB_OK;
}

/* Drops the indexes of the bulk-loaded tables; *create gets the SQL that
 * builds them again. */
static lb_status drop_indexes(demo *d, char **create, lb_err *err)
{
    lb_stmt *st = NULL;
    db_str *make = db_str_new(), *drop = db_str_new();
    /* All of them: even those led by lead_id, which would only append,
     * cost more to keep up row by row than to build at the end (measured). */
    lb_status s = prepare(d, &st,
                          "SELECT m.name, m.sql FROM sqlite_master m WHERE m.type = 'index' AND "
                          "m.sql IS NOT NULL AND m.tbl_name IN ('leads', 'followups', 'ratings', "
                          "'comments', 'events')",
                          err);
    while (s == LB_OK && db_step(st) == DB_ROW) {
        db_str_appendf(make, "%s;", (const char *)db_col_text(st, 1));
        db_str_appendf(drop, "DROP INDEX \"%s\";", (const char *)db_col_text(st, 0));
    }
    db_finalize(st);
    char *drops = db_str_finish(drop);
    *create = db_str_finish(make);
    if (s == LB_OK && drops)
        s = exec(d, drops, err);
    free(drops);
    return s;
}

/* Collateral (issue 14, seed 003): a dozen assets, a third of them never
 * used, as studies of B2B content find; the rest used on about a third of
 * the calls and meetings, the popular ones far more than the others (a
 * skewed pick per follow-up, sometimes two).  The uses go in with one
 * INSERT ... SELECT and the counts are built once, with the per-row
 * trigger set aside, so a million leads cost a second or two. */
static const struct {
    const char *name, *kind;
    int campaign; /* index into campaigns, -1: none */
    int weight;   /* 0: never used */
} demo_assets_list[] = {
    {"Product overview deck", "deck", -1, 30},
    {"Pricing sheet 2026", "pricing", -1, 22},
    {"Case study: Globex", "case_study", 8, 12},
    {"Live demo script", "demo", -1, 10},
    {"ROI one-pager", "one_pager", -1, 8},
    {"Expo follow-up deck", "deck", 0, 6},
    {"Webinar recording", "video", 2, 5},
    {"Cloud costs whitepaper summary", "one_pager", 6, 4},
    {"Security FAQ", "other", -1, 3},
    {"Berlin booth video", "video", 1, 0},
    {"Partner co-sell deck", "deck", 8, 0},
    {"Competitor battlecard", "one_pager", -1, 0},
    {"Industry report 2025", "case_study", -1, 0},
};

static lb_status demo_assets(demo *d, lb_err *err)
{
    lb_status st = LB_OK;
    lb_stmt *ins = NULL;
    char when[LB_TIME_BUF], pick[1024] = "CASE";
    int total = 0, n = (int)N(demo_assets_list);
    iso(d->now - 180 * 86400, when);
    if ((st = prepare(d, &ins,
                      "INSERT INTO assets(id, name, kind, url, campaign_id, added_by, created_at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                      err)) != LB_OK)
        return st;
    for (int i = 0; i < n && st == LB_OK; i++) {
        char url[160];
        snprintf(url, sizeof url, "https://intranet.example/collateral/%d", i + 1);
        db_bind_int(ins, 1, i + 1);
        bind_s(ins, 2, demo_assets_list[i].name);
        bind_s(ins, 3, demo_assets_list[i].kind);
        bind_s(ins, 4, url);
        bind_id(ins, 5, demo_assets_list[i].campaign >= 0
                            ? d->campaign_id[demo_assets_list[i].campaign]
                            : 0);
        bind_id(ins, 6, d->user_id[FIRST_MARKETER + i % N_MARKETERS]);
        bind_s(ins, 7, when);
        st = step(d, ins, err);
        if (demo_assets_list[i].weight > 0) {
            total += demo_assets_list[i].weight;
            size_t used = strlen(pick);
            snprintf(pick + used, sizeof pick - used, " WHEN h < %d THEN %d", total, i + 1);
        }
    }
    db_finalize(ins);
    size_t used = strlen(pick);
    snprintf(pick + used, sizeof pick - used, " ELSE 1 END");

    /* h: a hash of the follow-up's id into 0..total-1 (fixed, so a seed
     * gives the same board); a second asset (k = 1, another hash) on one
     * use in five. */
    char sql[4096];
    snprintf(sql, sizeof sql,
             "CREATE TEMP TABLE demo_trigger AS SELECT sql FROM sqlite_master "
             "WHERE type = 'trigger' AND name = 'asset_counts_use';"
             "DROP TRIGGER asset_counts_use;"
             "INSERT OR IGNORE INTO asset_uses(asset_id, lead_id, followup_id, at) "
             "SELECT %s, lead_id, id, created_at FROM (SELECT f.id, f.lead_id, f.created_at, "
             "((f.id * 2654435761 + k * 500009) %% 1000003) %% %d AS h FROM followups f, "
             "(SELECT 0 AS k UNION ALL SELECT 1) WHERE f.kind <> 'note' "
             "AND (f.id * 40503) %% 100 < 35 AND (k = 0 OR (f.id * 7919) %% 5 = 0));",
             pick, total);
    if (st == LB_OK)
        st = exec(d, sql, err);
    if (st == LB_OK)
        st = exec(d,
                  "INSERT INTO asset_leads(asset_id, lead_id, uses, last_at) "
                  "SELECT asset_id, lead_id, count(*), max(at) FROM asset_uses "
                  "GROUP BY asset_id, lead_id;"
                  "UPDATE assets SET (used, leads, won, lost, last_used) = (SELECT "
                  "coalesce(sum(al.uses), 0), count(*), coalesce(sum(l.stage = 'won'), 0), "
                  "coalesce(sum(l.stage = 'lost'), 0), max(al.last_at) FROM asset_leads al "
                  "JOIN leads l ON l.id = al.lead_id WHERE al.asset_id = assets.id);",
                  err);
    if (st == LB_OK) {
        /* put the trigger back from its own definition */
        lb_stmt *t = NULL;
        if ((st = prepare(d, &t, "SELECT sql FROM temp.demo_trigger", err)) == LB_OK &&
            db_step(t) == DB_ROW)
            st = exec(d, (const char *)db_col_text(t, 0), err);
        db_finalize(t);
    }
    if (st == LB_OK)
        st = exec(d, "DROP TABLE temp.demo_trigger", err);
    return st;
}

lb_status demo_fill(lb_db *db, int64_t leads, uint64_t seed, lb_time now, const char *os_login,
                    lb_demo_stats *stats, lb_err *err)
{
    demo d;
    lb_status st;
    memset(&d, 0, sizeof d);
    memset(stats, 0, sizeof *stats);
    d.db = db;
    d.rng = seed ^ 0x6C65616462726421ULL;
    d.now = now;
    d.os = os_login;
    d.stats = stats;
#ifdef M_TRIM_THRESHOLD
    /* Keep freed memory instead of handing it back and faulting it in
     * again a moment later, over and over, for the length of the load. */
    mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
    mallopt(M_TOP_PAD, 64 * 1024 * 1024);
#endif
    if (leads < 0 || leads > 10000000)
        return lb_fail(err, LB_EINVAL, "--leads must be from 0 to 10000000");

    /* Appending to an empty database, a rollback journal has next to
     * nothing to save, while WAL would write every page twice; crash safety
     * is the same.  (If another process has the file open this fails and
     * we simply stay in WAL.) */
    if (strcmp(db_path(db), ":memory:") != 0)
        db_exec_rc(db, "PRAGMA journal_mode = DELETE");
    /* Every reference the demo writes points at a row it wrote before
     * (tests run foreign_key_check on its output); checking each of the
     * millions of them on the way in would double the time. */
    db_exec_rc(db, "PRAGMA foreign_keys = OFF");
    if ((st = db_begin(db, err)) != LB_OK)
        return st;
    lb_stmt *chk = NULL;
    int64_t existing = 0;
    if (db_prepare(db, "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM leads)",
                           &chk) == DB_OK &&
        db_step(chk) == DB_ROW)
        existing = db_col_int64(chk, 0);
    db_finalize(chk);
    if (existing > 0) {
        db_rollback(db);
        db_exec_rc(db, "PRAGMA foreign_keys = ON");
        db_exec_rc(db, "PRAGMA journal_mode = WAL");
        return lb_fail(err, LB_EINVAL,
                       "%s already has users or leads; demo fills an empty database (use a new "
                       "--db FILE)",
                       db_path(db));
    }
    /* Bulk loading: the indexes are dropped and built once at the end, much
     * faster than keeping them up to date row by row.  Their definitions
     * come from the schema itself, so a new migration's index is kept too. */
    bool bulk = leads >= 10000;
    char *create = NULL, *triggers = NULL;
    /* 64 MB: index sorts larger than this are cut into sorted runs that a
     * second thread can merge; a bigger cache measured no faster and held
     * 600 MB. */
    db_exec_rc(db, "PRAGMA cache_size = -65536");
    db_exec_rc(db, "PRAGMA threads = 2"); /* index sorts on two cores */
    st = bulk ? drop_indexes(&d, &create, err) : LB_OK;
    if (st == LB_OK)
        st = db_bulk_begin_all(db, &triggers, err);
    if (st == LB_OK)
        st = prepare(&d, &d.lead,
                     "INSERT INTO leads(id, name, company, title, email, phone, notes, "
                     "campaign_id, value, marketer_id, owner_id, stage, reason, created_at, "
                     "stage_at, handed_off_at, accepted_at, first_touch_at, last_touch_at, "
                     "next_due_at, closed_at, furthest, rejections, stars, version, updated_at, "
                     "updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                     "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)",
                     err);
    if (st == LB_OK)
        st = prepare(&d, &d.event,
                     "INSERT INTO events(at, actor_id, os_login, entity, entity_id, lead_id, "
                     "action, field, old_value, new_value, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                     "?7, ?8, ?9, ?10, ?11)",
                     err);
    if (st == LB_OK)
        st = prepare(&d, &d.followup,
                     "INSERT INTO followups(lead_id, user_id, kind, outcome, note, next_step, "
                     "due_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                     err);
    if (st == LB_OK)
        st = prepare(&d, &d.rating,
                     "INSERT INTO ratings(lead_id, user_id, stars, reasons, comment, created_at, "
                     "reviewed_by, reviewed_at, reply) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                     err);
    if (st == LB_OK)
        st = prepare(&d, &d.comment,
                     "INSERT INTO comments(lead_id, user_id, body, created_at) "
                     "VALUES (?1, ?2, ?3, ?4)",
                     err);
    stats->leads = leads; /* scales the goals */
    if (st == LB_OK)
        st = setup(&d, err);
    stats->leads = 0;
    for (int64_t i = 1; st == LB_OK && i <= leads; i++)
        st = one_lead(&d, i, err);
    /* Every rejection is feedback for marketing (issue 13), as the reject
     * action records it. */
    if (st == LB_OK)
        st = exec(&d,
                  "INSERT INTO ratings(lead_id, user_id, kind, stars, comment, created_at) "
                  "SELECT lead_id, actor_id, 'rejection', NULL, note, at FROM events "
                  "WHERE action = 'reject' AND actor_id IS NOT NULL ORDER BY id",
                  err);
    if (st == LB_OK && bulk)
        st = exec(&d, create, err);
    free(create);
    if (st == LB_OK)
        st = demo_assets(&d, err);
    if (st == LB_OK)
        st = db_bulk_end(db, triggers, err);
    else
        free(triggers);
    db_finalize(d.lead);
    db_finalize(d.event);
    db_finalize(d.followup);
    db_finalize(d.rating);
    db_finalize(d.comment);
    if (st != LB_OK)
        db_rollback(db);
    else
        st = db_commit(db, err);
    /* Statistics for the planner from a sample: enough to choose indexes,
     * in milliseconds rather than seconds. */
    if (st == LB_OK && bulk)
        db_exec_rc(db, "PRAGMA analysis_limit = 1000; ANALYZE");
    db_exec_rc(db, "PRAGMA foreign_keys = ON");
    if (strcmp(db_path(db), ":memory:") != 0)
        db_exec_rc(db, "PRAGMA journal_mode = WAL");
    return st;
}
