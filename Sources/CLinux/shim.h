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
/* pipe2(2) and posix_spawn(3) file actions (glibc 2.34+), which glibc declares only under _GNU_SOURCE: a hook the
   daemon starts inherits none of its descriptors and starts in /. */
#include <spawn.h>
extern int pipe2(int fds[2], int flags);
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
extern int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *__restrict actions,
                                                const char *__restrict path);

#endif
