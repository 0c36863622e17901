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

/* One lead's story, worked out whole before anything is written: who it
 * is, where it ends, and the events, follow-ups and rating on the way.
 * The pieces below draw from the random sequence in a fixed order, so a
 * seed gives the same board. */
#define STORY_EVENTS 16
#define STORY_FOLLOWUPS 6
typedef struct story {
    int64_t id;
    char name[160], email[200], phone[40];
    const char *company;
    const struct camp *camp;
    int64_t campaign_id, value, owner, marketer_id, rep_id;
    bool has_value, rated;
    int rep;
    lb_stage stage, cur; /* where it ends; where the story has got to */
    lb_time t_created, end, t;
    int steps;
    int furthest, rejections, stars;
    const char *reason;
    char created[LB_TIME_BUF], stage_at[LB_TIME_BUF], handed[LB_TIME_BUF],
        accepted[LB_TIME_BUF], first_touch[LB_TIME_BUF], last_touch[LB_TIME_BUF],
        next_due[LB_TIME_BUF], closed[LB_TIME_BUF];
    struct story_event {
        lb_time at;
        int64_t actor;
        const char *action, *field, *old, *new, *note;
    } evs[STORY_EVENTS];
    int nev;
    struct story_followup {
        lb_time at;
        int kind, outcome;
        const char *note;
        lb_time due;
    } fus[STORY_FOLLOWUPS];
    int nfollow;
} story;

static void story_event(story *s, lb_time at, int64_t actor, const char *action,
                        const char *field, const char *old, const char *new, const char *note)
{
    if (s->nev < STORY_EVENTS)
        s->evs[s->nev++] = (struct story_event){at, actor, action, field, old, new, note};
}

/* The next step's time after t0: a share of what is left until the end,
 * so histories fit in time. */
static lb_time story_step(uint64_t *r, story *s, lb_time t0)
{
    lb_time share = (s->end - t0) / (s->steps > 1 ? s->steps-- : 1);
    lb_time hi = share > 600 ? (s->end - t0) / (s->steps > 1 ? s->steps : 1) : 600;
    return t0 + between(r, 600, hi);
}

/* Who the lead is: the person, the campaign, the value, its people. */
static void story_who(demo *d, story *s)
{
    uint64_t *r = &d->rng;
    const char *first = first_names[pick(r, N(first_names))];
    const char *last = last_names[pick(r, N(last_names))];
    s->company = companies[pick(r, N(companies))];
    snprintf(s->name, sizeof s->name, "%s %s", first, last);
    snprintf(s->email, sizeof s->email, "lead%lld@%s.test", (long long)s->id,
             (const char *[]){"acme", "globex", "initech", "hooli", "example"}[pick(r, 5)]);
    snprintf(s->phone, sizeof s->phone, "+1 (%03d) 555-%04d", (int)between(r, 200, 999),
             (int)between(r, 0, 9999));

    int total = 0, w = (int)between(r, 1, 100), c = 0;
    for (int k = 0; k < N(campaigns); k++)
        total += campaigns[k].weight;
    w = (int)between(r, 0, total - 1);
    while (w >= campaigns[c].weight)
        w -= campaigns[c++].weight;
    s->camp = &campaigns[c];
    s->campaign_id = pick(r, 20) == 0 ? 0 : d->campaign_id[c];
    s->value = between(r, 2, 100) * 50000;
    s->has_value = pick(r, 8) != 0;
    int marketer = FIRST_MARKETER + pick(r, N_MARKETERS);
    s->rep = FIRST_REP + pick(r, N_REPS);
    s->marketer_id = d->user_id[marketer];
    s->rep_id = d->user_id[s->rep];
}

/* Where it ends (better campaigns go further) and when its story does. */
static void story_fate(demo *d, story *s)
{
    uint64_t *r = &d->rng;
    int roll = (int)between(r, 0, 99) + (s->camp->quality - 3) * 4;
    s->stage = roll < 25   ? STAGE_NURTURE
               : roll < 32 ? STAGE_HANDED_OFF
               : roll < 38 ? STAGE_ACCEPTED
               : roll < 50 ? STAGE_CONTACTED
               : roll < 60 ? STAGE_QUALIFIED
               : roll < 68 ? STAGE_PROPOSAL
               : roll < 84 ? STAGE_LOST
                           : STAGE_WON;
    /* Recent leads are earlier in the pipeline. */
    s->t_created = d->now - between(r, s->stage == STAGE_NURTURE ? 0 : 5 * 86400, 180 * 86400);
    if (s->stage == STAGE_HANDED_OFF)
        s->t_created = d->now - between(r, 2 * 86400, 20 * 86400);
    iso(s->t_created, s->created);
    /* Closed leads ended some time ago, open ones recently. */
    lb_time age = d->now - s->t_created;
    s->end = stage_is_closed(s->stage)
                 ? s->t_created + age * between(r, 20, 95) / 100
                 : d->now - between(r, 0, age / 3 < 10 * 86400 ? age / 3 : 10 * 86400);
    s->steps = 8;
    s->t = s->t_created;
    s->cur = STAGE_NURTURE;
    s->reason = "";
}

/* Created; perhaps handed off once and rejected; handed off. */
static void story_handoff(demo *d, story *s)
{
    uint64_t *r = &d->rng;
    story_event(s, s->t, s->marketer_id, "create", "", NULL, s->name, "");
    /* Some nurture leads were handed off once and rejected. */
    if (s->stage == STAGE_NURTURE && pick(r, 6) == 0) {
        lb_time h = s->t + between(r, 3600, 5 * 86400), j = h + between(r, 1800, 30 * 3600);
        if (j < d->now) {
            story_event(s, h, s->marketer_id, "handoff", "owner", NULL, people[s->rep].login, "");
            s->reason = reject_reasons[pick(r, N(reject_reasons))];
            story_event(s, j, s->rep_id, "reject", "owner", people[s->rep].login, NULL, s->reason);
            s->rejections = 1;
            s->furthest = 1;
            s->t = j;
        }
    }
    if (s->stage < STAGE_HANDED_OFF)
        return;
    lb_time span = d->now - s->t;
    lb_time h = s->stage == STAGE_HANDED_OFF
                    ? d->now - between(r, 3600, 60 * 3600)
                    : s->t + between(r, 3600, span / 6 > 7200 ? span / 6 : 7200);
    if (h > d->now - 1800)
        h = d->now - 1800;
    if (h < s->t)
        h = s->t;
    s->t = h;
    iso(s->t, s->handed);
    s->owner = s->rep_id;
    story_event(s, s->t, s->marketer_id, "handoff", "owner", NULL, people[s->rep].login, "");
    s->cur = STAGE_HANDED_OFF;
    s->furthest = 1;
}

/* Accepted (usually within the day, sometimes late: an SLA breach), and
 * the follow-ups of a lead past acceptance. */
static void story_accept(demo *d, story *s)
{
    uint64_t *r = &d->rng;
    if (s->stage < STAGE_ACCEPTED)
        return;
    lb_time a = s->t + (pick(r, 7) == 0 ? between(r, 25 * 3600, 60 * 3600)
                                        : between(r, 600, 20 * 3600));
    s->steps--;
    if (a > d->now - 600)
        a = d->now - 600;
    s->t = a;
    iso(s->t, s->accepted);
    story_event(s, s->t, s->rep_id, "accept", "stage", "handed_off", "accepted", "");
    s->cur = STAGE_ACCEPTED;
    s->furthest = 2;
    if (s->stage == STAGE_ACCEPTED && pick(r, 3) == 0)
        return; /* not followed up yet */
    int n = s->stage == STAGE_ACCEPTED ? 1 : (int)between(r, 1, 4);
    for (int k = 0; k < n && s->nfollow < STORY_FOLLOWUPS; k++) {
        lb_time at = k == 0 ? s->t + (pick(r, 8) == 0 ? between(r, 49 * 3600, 6 * 86400)
                                                      : between(r, 1800, 40 * 3600))
                            : story_step(r, s, s->t);
        if (at > d->now - 300)
            break;
        int outcome = k == 0 && s->stage >= STAGE_CONTACTED ? OUTCOME_CONNECTED
                      : s->stage == STAGE_ACCEPTED
                          ? (int[]){OUTCOME_VOICEMAIL, OUTCOME_NO_ANSWER}[pick(r, 2)]
                          : (int)between(r, 0, 3);
        struct story_followup *fu = &s->fus[s->nfollow++];
        fu->at = at;
        fu->kind = pick(r, 3);
        fu->outcome = outcome;
        fu->note = followup_notes[outcome][pick(r, 3)];
        fu->due = pick(r, 2) ? at + between(r, 86400, 10 * 86400) : 0;
        s->t = at;
        story_event(s, at, s->rep_id, "log", "outcome", NULL, vocab_name(&lb_outcomes, outcome),
                    "");
        if (k == 0 && s->cur == STAGE_ACCEPTED && s->stage >= STAGE_CONTACTED) {
            story_event(s, at, s->rep_id, "move", "stage", "accepted", "contacted",
                        "after a connected follow-up");
            s->cur = STAGE_CONTACTED;
            s->furthest = 3;
        }
    }
    if (s->nfollow) {
        iso(s->fus[0].at, s->first_touch);
        iso(s->fus[s->nfollow - 1].at, s->last_touch);
        if (s->fus[s->nfollow - 1].due)
            iso(s->fus[s->nfollow - 1].due, s->next_due);
    }
}

/* The rest of the way along the pipeline, the close, and the rating. */
static void story_close(demo *d, story *s)
{
    uint64_t *r = &d->rng;
    static const lb_stage path[] = {STAGE_CONTACTED, STAGE_QUALIFIED, STAGE_PROPOSAL};
    for (int k = 0; k < 3; k++) {
        lb_stage next = path[k];
        if (next <= s->cur)
            continue;
        bool go = s->stage == STAGE_WON || (s->stage == STAGE_LOST && pick(r, 2)) ||
                  ((int)s->stage >= (int)next && s->stage != STAGE_LOST);
        if (!go)
            break;
        lb_time at = story_step(r, s, s->t);
        if (at > d->now - 120)
            at = d->now - 120;
        s->t = at;
        story_event(s, s->t, s->rep_id, "move", "stage", stage_name(s->cur), stage_name(next), "");
        s->cur = next;
        s->furthest = (int)next;
    }
    if (s->stage == STAGE_WON || s->stage == STAGE_LOST) {
        lb_time at = s->end > s->t ? s->end : s->t + 600;
        if (at > d->now - 60)
            at = d->now - 60;
        s->t = at;
        if (s->stage == STAGE_WON && !s->has_value) {
            s->has_value = true;
            s->value = between(r, 4, 60) * 50000;
        }
        if (s->stage == STAGE_LOST)
            s->reason = lost_reasons[pick(r, N(lost_reasons))];
        story_event(s, s->t, s->rep_id, "move", "stage", stage_name(s->cur),
                    stage_name(s->stage), s->reason);
        if (s->stage == STAGE_WON)
            s->furthest = 6;
        iso(s->t, s->closed);
        s->cur = s->stage;
    }
    s->stage = s->cur; /* a lead that never got going stays where it reached */
    iso(s->t, s->stage_at);
    if (s->stage == STAGE_NURTURE) {
        s->owner = 0;
        char sa[LB_TIME_BUF];
        snprintf(sa, sizeof sa, "%s", s->rejections ? s->stage_at : s->created);
        snprintf(s->stage_at, sizeof s->stage_at, "%s", sa);
    }
    /* A rating from the rep on most leads that got past acceptance. */
    s->rated = s->stage >= STAGE_ACCEPTED && pick(r, 5) < 3;
    if (s->rated) {
        int st = s->camp->quality + (int)between(r, -2, 1) + (s->stage == STAGE_WON) -
                 (s->stage == STAGE_LOST);
        s->stars = st < 1 ? 1 : st > 5 ? 5 : st;
    }
}

/* The lead row, in its final state (events reference it, so it goes first). */
static lb_status story_insert_lead(demo *d, const story *s, lb_err *err)
{
    uint64_t *r = &d->rng;
    lb_stmt *L = d->lead;
    bool nurture = s->stage == STAGE_NURTURE;
    db_bind_int64(L, 1, s->id);
    bind_s(L, 2, s->name);
    bind_s(L, 3, s->company);
    bind_s(L, 4, titles[pick(r, N(titles))]);
    bind_s(L, 5, s->email);
    bind_s(L, 6, s->phone);
    bind_s(L, 7, notes[pick(r, N(notes))]);
    bind_id(L, 8, s->campaign_id);
    if (s->has_value)
        db_bind_int64(L, 9, s->value);
    else
        db_bind_null(L, 9);
    db_bind_int64(L, 10, s->marketer_id);
    bind_id(L, 11, s->owner);
    bind_s(L, 12, stage_name(s->stage));
    bind_s(L, 13, s->reason);
    bind_s(L, 14, s->created);
    bind_s(L, 15, s->stage_at);
    bind_so(L, 16, nurture ? "" : s->handed);
    bind_so(L, 17, nurture ? "" : s->accepted);
    bind_so(L, 18, s->first_touch);
    bind_so(L, 19, s->last_touch);
    bind_so(L, 20, stage_is_working(s->stage) ? s->next_due : "");
    bind_so(L, 21, s->closed);
    db_bind_int(L, 22, s->furthest);
    db_bind_int(L, 23, s->rejections);
    if (s->stars)
        db_bind_int(L, 24, s->stars);
    else
        db_bind_null(L, 24);
    db_bind_int(L, 25, s->nev);
    bind_s(L, 26, s->stage_at);
    db_bind_int64(L, 27, nurture ? s->marketer_id : s->rep_id);
    lb_status st = step(d, L, err);
    if (st == LB_OK)
        d->stats->leads++;
    return st;
}

/* The events in time order, each "log" with its follow-up. */
static lb_status story_insert_events(demo *d, const story *s, lb_err *err)
{
    uint64_t *r = &d->rng;
    lb_status st;
    int f = 0;
    for (int k = 0; k < s->nev; k++) {
        int64_t entity_id = s->id;
        const char *entity = "lead";
        if (strcmp(s->evs[k].action, "log") == 0 && f < s->nfollow) {
            char at[LB_TIME_BUF], due[LB_TIME_BUF] = "";
            iso(s->fus[f].at, at);
            if (s->fus[f].due)
                iso(s->fus[f].due, due);
            lb_stmt *F = d->followup;
            db_bind_int64(F, 1, s->id);
            db_bind_int64(F, 2, s->rep_id);
            bind_s(F, 3, vocab_name(&lb_kinds, s->fus[f].kind));
            bind_s(F, 4, vocab_name(&lb_outcomes, s->fus[f].outcome));
            bind_s(F, 5, s->fus[f].note);
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
        if ((st = event(d, s->evs[k].at, s->evs[k].actor, entity, entity_id, s->id,
                        s->evs[k].action, s->evs[k].field, s->evs[k].old, s->evs[k].new,
                        s->evs[k].note, err)) != LB_OK)
            return st;
    }
    return LB_OK;
}

/* The rep's rating, reviewed by marketing when it is old enough. */
static lb_status story_insert_rating(demo *d, const story *s, lb_err *err)
{
    uint64_t *r = &d->rng;
    lb_status st;
    char at[LB_TIME_BUF], stars[8], tags[64] = "";
    lb_time when = s->t + 600 < d->now ? s->t + 600 : d->now;
    iso(when, at);
    int a = pick(r, REASON_COUNT), b = pick(r, REASON_COUNT);
    snprintf(tags, sizeof tags, "%s%s%s", vocab_name(&lb_reasons, a < b ? a : b),
             a == b ? "" : ",", a == b ? "" : vocab_name(&lb_reasons, a < b ? b : a));
    lb_stmt *R = d->rating;
    db_bind_int64(R, 1, s->id);
    db_bind_int64(R, 2, s->rep_id);
    db_bind_int(R, 3, s->stars);
    bind_s(R, 4, tags);
    static const char *const low[] = {"No budget until next year", "Student, not a buyer",
                                      "Phone number and email both wrong",
                                      "Already a customer of a competitor"};
    static const char *const high[] = {"Ready to buy this quarter", "Great fit, decision maker",
                                       "Warm intro, very engaged"};
    bind_s(R, 5, s->stars <= 2 ? low[pick(r, 4)] : s->stars >= 4 ? high[pick(r, 3)] : "");
    bind_s(R, 6, at);
    bool reviewed = when < d->now - 3 * 86400 && pick(r, 3) != 0;
    char rat[LB_TIME_BUF];
    iso(when + 86400, rat);
    if (reviewed) {
        db_bind_int64(R, 7, s->marketer_id);
        bind_s(R, 8, rat);
        bind_s(R, 9, s->stars <= 2 ? "Thanks, we will tighten the targeting." : "Thanks!");
    } else {
        db_bind_null(R, 7);
        db_bind_null(R, 8);
        bind_s(R, 9, "");
    }
    if ((st = step(d, R, err)) != LB_OK)
        return st;
    int64_t rid = db_last_id(d->db);
    d->stats->ratings++;
    snprintf(stars, sizeof stars, "%d", s->stars);
    if ((st = event(d, when, s->rep_id, "rating", rid, s->id, "rate", "stars", NULL, stars, "",
                    err)) != LB_OK)
        return st;
    if (reviewed)
        st = event(d, when + 86400 < d->now ? when + 86400 : d->now, s->marketer_id, "rating",
                   rid, s->id, "review", "reply", NULL, "Thanks!", "", err);
    return st;
}

/* A comment from marketing on one lead in twenty. */
static lb_status story_insert_comment(demo *d, const story *s, lb_err *err)
{
    uint64_t *r = &d->rng;
    if (pick(r, 20) != 0)
        return LB_OK;
    char at[LB_TIME_BUF];
    lb_time when = s->t_created + (d->now - s->t_created) / 2;
    iso(when, at);
    lb_stmt *C = d->comment;
    db_bind_int64(C, 1, s->id);
    db_bind_int64(C, 2, s->marketer_id);
    bind_s(C, 3, comments[pick(r, N(comments))]);
    bind_s(C, 4, at);
    lb_status st = step(d, C, err);
    if (st != LB_OK)
        return st;
    d->stats->comments++;
    return event(d, when, s->marketer_id, "comment", db_last_id(d->db), s->id,
                 "comment", "", NULL, NULL, "", err);
}

/* One lead and its whole history, consistent with where it ends up. */
static lb_status one_lead(demo *d, int64_t i, lb_err *err)
{
    story one, *s = &one;
    memset(s, 0, sizeof *s);
    s->id = i;
    story_who(d, s);
    story_fate(d, s);
    story_handoff(d, s);
    story_accept(d, s);
    story_close(d, s);
    lb_status st = story_insert_lead(d, s, err);
    if (st == LB_OK)
        st = story_insert_events(d, s, err);
    if (st == LB_OK && s->rated)
        st = story_insert_rating(d, s, err);
    if (st == LB_OK)
        st = story_insert_comment(d, s, err);
    return st;
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

/* The statements one_lead runs, once per row. */
static lb_status demo_prepare(demo *d, lb_err *err)
{
    lb_status st = prepare(
        d, &d->lead,
        "INSERT INTO leads(id, name, company, title, email, phone, notes, campaign_id, value, "
        "marketer_id, owner_id, stage, reason, created_at, stage_at, handed_off_at, accepted_at, "
        "first_touch_at, last_touch_at, next_due_at, closed_at, furthest, rejections, stars, "
        "version, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
        "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)",
        err);
    if (st == LB_OK)
        st = prepare(d, &d->event,
                     "INSERT INTO events(at, actor_id, os_login, entity, entity_id, lead_id, "
                     "action, field, old_value, new_value, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                     "?7, ?8, ?9, ?10, ?11)",
                     err);
    if (st == LB_OK)
        st = prepare(d, &d->followup,
                     "INSERT INTO followups(lead_id, user_id, kind, outcome, note, next_step, "
                     "due_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                     err);
    if (st == LB_OK)
        st = prepare(d, &d->rating,
                     "INSERT INTO ratings(lead_id, user_id, stars, reasons, comment, created_at, "
                     "reviewed_by, reviewed_at, reply) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                     err);
    if (st == LB_OK)
        st = prepare(d, &d->comment,
                     "INSERT INTO comments(lead_id, user_id, body, created_at) "
                     "VALUES (?1, ?2, ?3, ?4)",
                     err);
    return st;
}

static void demo_finalize(demo *d)
{
    db_finalize(d->lead);
    db_finalize(d->event);
    db_finalize(d->followup);
    db_finalize(d->rating);
    db_finalize(d->comment);
}

/* A fast load, or back to normal after it.  Appending to an empty
 * database, a rollback journal has next to nothing to save, while WAL would
 * write every page twice; crash safety is the same.  (If another process
 * has the file open this fails and we simply stay in WAL.)  Every reference
 * the demo writes points at a row it wrote before (tests run
 * foreign_key_check on its output); checking each of the millions of them
 * on the way in would double the time. */
static void demo_pragmas(lb_db *db, bool loading)
{
    bool file = strcmp(db_path(db), ":memory:") != 0;
    if (loading) {
        if (file)
            db_exec_rc(db, "PRAGMA journal_mode = DELETE");
        db_exec_rc(db, "PRAGMA foreign_keys = OFF");
        return;
    }
    db_exec_rc(db, "PRAGMA foreign_keys = ON");
    if (file)
        db_exec_rc(db, "PRAGMA journal_mode = WAL");
}

/* Inside the transaction: refuses a database with users or leads. */
static lb_status demo_check_empty(lb_db *db, lb_err *err)
{
    lb_stmt *chk = NULL;
    int64_t existing = 0;
    if (db_prepare(db, "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM leads)",
                           &chk) == DB_OK &&
        db_step(chk) == DB_ROW)
        existing = db_col_int64(chk, 0);
    db_finalize(chk);
    if (existing > 0)
        return lb_fail(err, LB_EINVAL,
                       "%s already has users or leads; demo fills an empty database (use a new "
                       "--db FILE)",
                       db_path(db));
    return LB_OK;
}

/* Everything, inside the transaction.  Bulk loading: the indexes are
 * dropped and built once at the end, much faster than keeping them up to
 * date row by row; their definitions come from the schema itself, so a new
 * migration's index is kept too. */
static lb_status demo_load(demo *d, int64_t leads, lb_err *err)
{
    bool bulk = leads >= 10000;
    char *create = NULL, *triggers = NULL;
    /* 64 MB: index sorts larger than this are cut into sorted runs that a
     * second thread can merge; a bigger cache measured no faster and held
     * 600 MB. */
    db_exec_rc(d->db, "PRAGMA cache_size = -65536");
    db_exec_rc(d->db, "PRAGMA threads = 2"); /* index sorts on two cores */
    lb_status st = bulk ? drop_indexes(d, &create, err) : LB_OK;
    if (st == LB_OK)
        st = db_bulk_begin_all(d->db, &triggers, err);
    if (st == LB_OK)
        st = demo_prepare(d, err);
    d->stats->leads = leads; /* scales the goals */
    if (st == LB_OK)
        st = setup(d, err);
    d->stats->leads = 0;
    for (int64_t i = 1; st == LB_OK && i <= leads; i++)
        st = one_lead(d, i, err);
    /* Every rejection is feedback for marketing (issue 13), as the reject
     * action records it. */
    if (st == LB_OK)
        st = exec(d,
                  "INSERT INTO ratings(lead_id, user_id, kind, stars, comment, created_at) "
                  "SELECT lead_id, actor_id, 'rejection', NULL, note, at FROM events "
                  "WHERE action = 'reject' AND actor_id IS NOT NULL ORDER BY id",
                  err);
    if (st == LB_OK && bulk)
        st = exec(d, create, err);
    free(create);
    if (st == LB_OK)
        st = demo_assets(d, err);
    if (st == LB_OK)
        st = db_bulk_end(d->db, triggers, err);
    else
        free(triggers);
    demo_finalize(d);
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
    demo_pragmas(db, true);
    if ((st = db_begin(db, err)) != LB_OK) {
        demo_pragmas(db, false);
        return st;
    }
    if ((st = demo_check_empty(db, err)) == LB_OK)
        st = demo_load(&d, leads, err);
    if (st != LB_OK)
        db_rollback(db);
    else
        st = db_commit(db, err);
    /* Statistics for the planner from a sample: enough to choose indexes,
     * in milliseconds rather than seconds. */
    if (st == LB_OK && leads >= 10000)
        db_exec_rc(db, "PRAGMA analysis_limit = 1000; ANALYZE");
    demo_pragmas(db, false);
    return st;
}
