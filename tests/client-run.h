/* client-run.h: what test-client and test-client-failures share: running
 * the real filestorm-client, checking its exit status and its output, and
 * files on either side. */
#pragma once

#include "testutil.h"

G_BEGIN_DECLS

#define POOL 3
#define MiB (1024 * 1024)
#define RUN_TIMEOUT 30.0   /* seconds for any one run of the client */
#define PREFIX "filestorm-client: "

/* ---------------------------------------------------------------- programs */

/* The client binary: $FILESTORM_CLIENT, else ../src/filestorm-client. */
const char *fc_client_path (void);
/* Runs argv in cwd (nullable) with stdin from stdin_path (nullable) and
 * waits at most timeout seconds for it. */
FtRun *fc_run_argv (const char *cwd, const char *stdin_path, double timeout,
                    const char * const *argv);
/* stdout as bytes. */
const char *fc_run_stdout (FtRun *run, gsize *len);

void  fc_assert_stderr_empty (FtRun *run);
/* Asserts the run exited (not killed by a signal) with status want, and,
 * for 0, that it wrote nothing on stderr. */
void  fc_assert_exit (FtRun *run, int want);
void  fc_assert_stdout_empty (FtRun *run);
void  fc_assert_stdout_is (FtRun *run, const char *want);
/* Exactly one line on stderr, "filestorm-client: MESSAGE\n" with a
 * non-empty message; returns the message (owned). Nothing on stdout. */
char *fc_assert_one_error_line (FtRun *run);

/* Run the client with --host 127.0.0.1 --port PORT and the NULL-terminated
 * arguments, in cwd (nullable) or with stdin from stdin_path, waiting at
 * most RUN_TIMEOUT. */
FtRun *fc_run (guint16 port, const char *cwd, ...) G_GNUC_NULL_TERMINATED;
FtRun *fc_run_stdin (guint16 port, const char *stdin_path, ...) G_GNUC_NULL_TERMINATED;
/* The client with exactly these arguments (no --host/--port added). */
FtRun *fc_run_bare (const char *first, ...) G_GNUC_NULL_TERMINATED;

/* ---------------------------------------------------------------- files */

/* A fresh local working directory for the case (owned path). */
char   *fc_work_dir (const char *name);
/* Asserts dir's entries are exactly want (NULL-terminated, sorted). */
void    fc_assert_entries (const char *dir, const char * const *want);
/* Writes len bytes of ft_content (seed) as name in the server's root and
 * returns them. */
GBytes *fc_put_on_server (FtServer *srv, const char *name, guint64 seed, gsize len);
/* Writes dir/name afresh (removed first: ft_write_file() does not truncate
 * a longer file). */
void    fc_write_local (const char *dir, const char *name, GBytes *content);

G_END_DECLS
