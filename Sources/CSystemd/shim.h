#ifndef ENRICHD_CSYSTEMD_SHIM_H
#define ENRICHD_CSYSTEMD_SHIM_H

#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <sys/uio.h>
/* signalfd(2): the daemon receives SIGTERM/SIGHUP as readable events, never losing one. */
#include <sys/signalfd.h>
#include <signal.h>

#endif
