#ifndef ENRICHD_CSYSTEMD_SHIM_H
#define ENRICHD_CSYSTEMD_SHIM_H

#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <sys/uio.h>
/* signalfd(2): the daemon receives SIGTERM/SIGHUP as readable events, never losing one. */
#include <sys/signalfd.h>
#include <signal.h>
/* statfs(2): is the spool on a network filesystem (where inotify misses remote changes)? */
#include <sys/vfs.h>
/* getxattr(2)/setxattr(2): POSIX ACLs (system.posix_acl_*), so a submitter can read their own job's results. */
#include <sys/xattr.h>

#endif
