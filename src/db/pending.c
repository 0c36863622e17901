/* A file written under a temporary name beside its final one, synced, then
 * linked there (doc: db_internal.h, db_pending_*): `backup` and the
 * snapshot `copy` takes are whole or absent, whatever stops the program. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_internal.h"

/* The file being written and its side files, where a signal handler can
 * reach them: one pending file at a time. */
static char pending_path[PATH_MAX + 32];
static char pending_side[3][PATH_MAX + 48];

static const int pending_sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};
_Static_assert(sizeof pending_sigs / sizeof pending_sigs[0] == DB_PENDING_SIGNALS,
               "db_pending keeps a handler for each signal");

static void pending_remove(void)
{
    unlink(pending_path);
    for (int i = 0; i < 3; i++)
        unlink(pending_side[i]);
}

static void pending_on_signal(int sig)
{
    pending_remove();
    signal(sig, SIG_DFL);
    raise(sig);
}

lb_status db_pending_begin(db_pending *p, const char *dest, bool absent, const char **path,
                           lb_err *err)
{
    struct stat sb;
    if (lstat(dest, &sb) == 0)
        return lb_fail(err, LB_EINVAL, "%s already exists; give a new file name for the backup",
                       dest);
    lb_status st = db_make_parents(dest, err);
    if (st != LB_OK)
        return st;
    char dir[PATH_MAX], base[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", dest);
    snprintf(base, sizeof base, "%s", dest);
    const char *d = dirname(dir), *bn = basename(base);
    if ((size_t)snprintf(pending_path, sizeof pending_path, "%s/.%s.XXXXXX", d, bn) >=
        sizeof pending_path)
        return lb_fail(err, LB_EUSAGE, "the backup's file name is too long");
    int fd = mkstemp(pending_path);
    if (fd < 0)
        return lb_fail(err, LB_EDB, "cannot create a file in %s for the backup: %s", d,
                       strerror(errno));
    /* mode 0660 whatever the umask, so a team can share it through a group */
    bool ok = absent || fchmod(fd, 0660) == 0;
    int saved = errno;
    close(fd);
    if (absent)
        unlink(pending_path); /* its writer creates it afresh */
    static const char *const side[] = {"-journal", "-wal", "-shm"};
    for (int i = 0; i < 3; i++)
        snprintf(pending_side[i], sizeof pending_side[i], "%s%s", pending_path, side[i]);
    if (!ok) {
        pending_remove();
        return lb_fail(err, LB_EDB, "backup to %s failed: %s; nothing was written", dest,
                       strerror(saved));
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = pending_on_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < DB_PENDING_SIGNALS; i++)
        sigaction(pending_sigs[i], &sa, &p->old[i]);
    *path = pending_path;
    return LB_OK;
}

lb_status db_pending_end(db_pending *p, const char *dest, lb_status st, lb_err *err)
{
    if (st == LB_OK) {
        int fd = open(pending_path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fsync(fd) != 0)
            st = lb_fail(err, LB_EDB, "backup to %s failed: %s; nothing was written", dest,
                         strerror(errno));
        if (fd >= 0)
            close(fd);
    }
    if (st == LB_OK && link(pending_path, dest) != 0)
        st = errno == EEXIST
                 ? lb_fail(err, LB_EINVAL,
                           "%s appeared during the backup; give a new file name for the backup",
                           dest)
                 : lb_fail(err, LB_EDB, "backup to %s failed: %s; nothing was written", dest,
                           strerror(errno));
    pending_remove();
    for (int i = 0; i < DB_PENDING_SIGNALS; i++)
        sigaction(pending_sigs[i], &p->old[i], NULL);
    if (st == LB_OK) {
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s", dest);
        int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd); /* the new name, on disk */
            close(dfd);
        }
    }
    return st;
}
