#include "config.h"

#include <string.h>

#include "cli.h"

static int find(const cmd_args *a, const char *name)
{
    for (int i = 0; i < a->nopts; i++)
        if (strcmp(a->opts[i].name, name) == 0)
            return i;
    return -1;
}

const char *arg_get(const cmd_args *a, const char *name)
{
    int i = find(a, name);
    return i < 0 ? NULL : a->opts[i].values[a->opts[i].count - 1];
}

bool arg_has(const cmd_args *a, const char *name)
{
    return find(a, name) >= 0;
}

int arg_all(const cmd_args *a, const char *name, const char *const **values)
{
    int i = find(a, name);
    if (i < 0)
        return 0;
    *values = a->opts[i].values;
    return a->opts[i].count;
}
