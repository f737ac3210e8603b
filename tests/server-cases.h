/* server-cases.h: what the test-server-* programs share. Each case runs
 * in both concurrency models (/server/thread/NAME and
 * /server/process/NAME), in a subprocess of its own, against a fresh
 * server (pool POOL) with a fresh root; and the assertions their cases
 * have in common. */
#pragma once

#include "testutil.h"

G_BEGIN_DECLS

#define POOL 3
#define MiB (1024 * 1024)

typedef struct {
  FtServer   *srv;   /* (owned) the case's server; a case that stops it sets NULL */
  const char *mode;  /* "thread" or "process" */
} FtServerFixture;

typedef void (*FtServerCaseFunc) (FtServerFixture *f, gconstpointer data);

typedef struct {
  const char      *name;  /* the path below /server/MODE/ */
  FtServerCaseFunc func;
} FtServerCase;

/* The main() of a test-server-* program: registers every case in both
 * models and runs them. */
int  ft_server_cases_run (int *argc, char ***argv, const FtServerCase *cases, gsize n_cases);

/* Asserts got equals want (NULL-terminated); what names them. */
void ft_assert_strv_equal (char **got, const char * const *want, const char *what);
/* Asserts that the answer on conn to line is an ERROR. */
void ft_expect_error (FtConn *conn, const char *line);
/* Asserts that LIST still answers OK. */
void ft_assert_list_ok (FtConn *conn);
/* Asserts root/name is a regular file holding exactly data. */
void ft_assert_root_file (const char *root, const char *name, const void *data, gsize len);

G_END_DECLS
