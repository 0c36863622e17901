/* The write path of actions.c for the core's other action files
 * (collateral.c): the acting user's transaction, the audit event, the
 * commit or rollback, exactly as actions.c's own actions use them. */
#ifndef LEADBOARD_ACTIONS_INTERNAL_H
#define LEADBOARD_ACTIONS_INTERNAL_H

#include "leadboard/actions.h"

lb_status actions_begin(lb_ctx *ctx, lb_err *err);
lb_status actions_audit(lb_ctx *ctx, const char *entity, int64_t entity_id, int64_t lead_id,
                        const char *action, const char *field, const char *old_value,
                        const char *new_value, const char *note, lb_err *err);
lb_status actions_finish(lb_ctx *ctx, lb_status st, lb_err *err);

#endif
