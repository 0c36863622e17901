#include "config.h"

#include <stdio.h>
#include <string.h>

#include "leadboard/status.h"

static const struct {
    int code;
    const char *desc;
} status_table[] = {
#define LB_STATUS_ROW(name, code, desc) {code, desc},
    LB_STATUS_LIST(LB_STATUS_ROW)
#undef LB_STATUS_ROW
};

int lb_status_exit_code(lb_status st)
{
    if ((int)st < 0 || st >= LB_STATUS_COUNT)
        return 5;
    return status_table[st].code;
}

const char *lb_status_desc(lb_status st)
{
    if ((int)st < 0 || st >= LB_STATUS_COUNT)
        return "unknown status";
    return status_table[st].desc;
}

lb_status lb_fail(lb_err *err, lb_status st, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->status = st;
    }
    return st;
}

void lb_err_clear(lb_err *err)
{
    if (err) {
        err->status = LB_OK;
        err->msg[0] = '\0';
    }
}
