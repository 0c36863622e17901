/* A realistic, deterministic company for an empty database: marketers,
 * reps and a manager, campaigns across channels, leads in every stage with
 * consistent histories (events, follow-ups, ratings, comments), goals, and
 * some SLA breaches, so every view has something true to show. */
#ifndef LEADBOARD_DEMO_H
#define LEADBOARD_DEMO_H

#include <stdint.h>

#include "leadboard/db.h"
#include "leadboard/text.h"

typedef struct lb_demo_stats {
    int64_t users, campaigns, leads, followups, ratings, comments, events;
} lb_demo_stats;

/* Fills db (which must have no users and no leads) as of `now`, in one
 * transaction.  The same seed gives the same company. */
lb_status demo_fill(lb_db *db, int64_t leads, uint64_t seed, lb_time now, const char *os_login,
                    lb_demo_stats *stats, lb_err *err);

#endif
