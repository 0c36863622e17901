#include "config.h"

#include <stdio.h>
#include <string.h>

#include "leadboard/domain.h"

static const char *const team_names[] = {"marketing", "sales", "manager"};
static const char *const stage_names[] = {"nurture",   "handed_off", "accepted", "contacted",
                                          "qualified", "proposal",   "won",      "lost"};
static const char *const channel_names[] = {"event",    "webinar", "email",
                                            "paid",     "content", "referral",
                                            "partner",  "outbound", "other"};
static const char *const kind_names[] = {"call", "email", "meeting", "note"};
static const char *const outcome_names[] = {"connected",      "voicemail",     "no_answer",
                                            "meeting_booked", "not_interested", "wrong_contact"};
static const char *const reason_names[] = {"fit",    "budget",       "authority", "need",
                                           "timing", "contact_data", "duplicate"};

#define VOCAB(what, arr) {what, arr, (int)(sizeof arr / sizeof arr[0])}
const lb_vocab lb_teams = VOCAB("team", team_names);
const lb_vocab lb_stages = VOCAB("stage", stage_names);
const lb_vocab lb_channels = VOCAB("channel", channel_names);
const lb_vocab lb_kinds = VOCAB("kind", kind_names);
const lb_vocab lb_outcomes = VOCAB("outcome", outcome_names);
const lb_vocab lb_reasons = VOCAB("reason", reason_names);

_Static_assert(sizeof team_names / sizeof team_names[0] == TEAM_COUNT, "teams");
_Static_assert(sizeof stage_names / sizeof stage_names[0] == STAGE_COUNT, "stages");
_Static_assert(sizeof channel_names / sizeof channel_names[0] == CHANNEL_COUNT, "channels");
_Static_assert(sizeof kind_names / sizeof kind_names[0] == KIND_COUNT, "kinds");
_Static_assert(sizeof outcome_names / sizeof outcome_names[0] == OUTCOME_COUNT, "outcomes");
_Static_assert(sizeof reason_names / sizeof reason_names[0] == REASON_COUNT, "reasons");

const char *vocab_name(const lb_vocab *v, int value)
{
    if (value < 0 || value >= v->count)
        return "?";
    return v->names[value];
}

int vocab_find(const lb_vocab *v, const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < v->count; i++)
        if (strcmp(v->names[i], name) == 0)
            return i;
    return -1;
}

void vocab_list(const lb_vocab *v, char *buf, size_t n)
{
    size_t used = 0;
    if (n == 0)
        return;
    buf[0] = '\0';
    for (int i = 0; i < v->count && used < n; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "", v->names[i]);
}

lb_status vocab_parse(const lb_vocab *v, const char *name, int *out, lb_err *err)
{
    int i = vocab_find(v, name);
    if (i < 0) {
        char list[256];
        vocab_list(v, list, sizeof list);
        return lb_fail(err, LB_EINVAL, "unknown %s '%.60s'; use one of: %s", v->what,
                       name ? name : "", list);
    }
    *out = i;
    return LB_OK;
}

const char *stage_name(lb_stage s)
{
    return vocab_name(&lb_stages, (int)s);
}

const char *team_name(lb_team t)
{
    return vocab_name(&lb_teams, (int)t);
}

bool stage_is_working(lb_stage s)
{
    return s == STAGE_ACCEPTED || s == STAGE_CONTACTED || s == STAGE_QUALIFIED ||
           s == STAGE_PROPOSAL;
}

bool stage_is_closed(lb_stage s)
{
    return s == STAGE_WON || s == STAGE_LOST;
}

bool login_valid(const char *login)
{
    size_t n = 0;
    if (!login)
        return false;
    for (const char *p = login; *p; p++, n++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-'))
            return false;
    }
    return n >= 1 && n <= LB_LOGIN_MAX;
}

const char *vocab_label(const lb_vocab *v, int value, char *buf, size_t n)
{
    snprintf(buf, n, "%s", vocab_name(v, value));
    for (char *p = buf; *p; p++)
        if (*p == '_')
            *p = ' ';
    return buf;
}

const char *vocab_labels(const lb_vocab *v, const char *names, char *buf, size_t n)
{
    size_t used = 0;
    if (n)
        buf[0] = '\0';
    for (const char *p = names ? names : ""; *p && used + 1 < n;) {
        size_t k = strcspn(p, ",");
        char one[64], label[64];
        snprintf(one, sizeof one, "%.*s", (int)(k < sizeof one ? k : sizeof one - 1), p);
        int i = vocab_find(v, one);
        used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "",
                                 i >= 0 ? vocab_label(v, i, label, sizeof label) : one);
        if (used >= n)
            used = n - 1;
        p += k;
        if (*p == ',')
            p++;
    }
    return buf;
}
