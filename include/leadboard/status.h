/* Status codes shared by every layer.  The core and db layers return an
 * lb_status and fill an lb_err; only main and the board decide how to show
 * it.  The exit code of each status is the command line's contract. */
#ifndef LEADBOARD_STATUS_H
#define LEADBOARD_STATUS_H

#include <stdarg.h>

/* X(name, exit code, short description) */
#define LB_STATUS_LIST(X)                                                                          \
    X(LB_OK, 0, "ok")                                                                              \
    X(LB_EUSAGE, 1, "usage error")                                                                 \
    X(LB_EINVAL, 2, "invalid input")                                                               \
    X(LB_ENOTFOUND, 2, "not found")                                                                \
    X(LB_ETRANSITION, 2, "transition refused")                                                     \
    X(LB_EPERM, 3, "permission denied")                                                            \
    X(LB_ECONFLICT, 4, "conflict")                                                                 \
    X(LB_EDB, 5, "database error")

typedef enum {
#define LB_STATUS_ENUM(name, code, desc) name,
    LB_STATUS_LIST(LB_STATUS_ENUM)
#undef LB_STATUS_ENUM
        LB_STATUS_COUNT
} lb_status;

#define LB_ERR_MAX 512

typedef struct lb_err {
    lb_status status;
    char msg[LB_ERR_MAX];
} lb_err;

int lb_status_exit_code(lb_status st);
const char *lb_status_desc(lb_status st);

/* Fills err (if not NULL) with a formatted message and returns st. */
lb_status lb_fail(lb_err *err, lb_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void lb_err_clear(lb_err *err);

#endif
