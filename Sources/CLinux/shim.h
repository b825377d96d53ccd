#ifndef ENRICHD_CLINUX_SHIM_H
#define ENRICHD_CLINUX_SHIM_H

/* statfs(2): is the spool on a network filesystem (where inotify misses remote changes)? */
#include <sys/vfs.h>
/* getxattr(2)/setxattr(2): POSIX ACLs (system.posix_acl_*), so a submitter can read their own job's results. */
#include <sys/xattr.h>

#endif
