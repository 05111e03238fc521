// libpq, for the PostgreSQL audit sink. Parameterized statements only (PQexecParams/PQsendQueryParams).
#ifndef CPOSTGRES_SHIM_H
#define CPOSTGRES_SHIM_H
#include <libpq-fe.h>
#endif
