#ifndef ENRICHD_CLINUX_SHIM_H
#define ENRICHD_CLINUX_SHIM_H

/* statfs(2): is the spool on a network filesystem (where inotify misses remote changes)? */
#include <sys/vfs.h>
/* getxattr(2)/setxattr(2): POSIX ACLs (system.posix_acl_*), so a submitter can read their own job's results. */
#include <sys/xattr.h>
/* wcwidth(3): the columns a character takes on a terminal (enrichctl fits its tables to the terminal's width).
   Glibc declares it only under _XOPEN_SOURCE, which Swift's Glibc module is not built with. */
#include <wchar.h>
extern int wcwidth(wchar_t c);

#endif
