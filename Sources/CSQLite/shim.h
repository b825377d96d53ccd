#ifndef ENRICHD_CSQLITE_SHIM_H
#define ENRICHD_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
