/* client-run.c: what test-client and test-client-failures share: running
 * the real filestorm-client and checking its exit status and output (see
 * client-run.h). */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "client-run.h"

/* ------------------------------------------------------------ programs */

/* The client binary: $FILESTORM_CLIENT, else ../src/filestorm-client next
 * to the directory of this test program (like ft_server_path()). */
const char *
fc_client_path (void)
{
  static char *path;

  if (path == NULL)
    path = ft_program_path ("FILESTORM_CLIENT", "filestorm-client");
  return path;
}

FtRun *
fc_run_argv (const char *cwd, const char *stdin_path, double timeout, const char * const *argv)
{
  FtRun *run = ft_run_start (cwd, stdin_path, NULL, argv);

  ft_run_wait (run, timeout);
  return run;
}

const char *
fc_run_stdout (FtRun *run, gsize *len)
{
  return g_bytes_get_data (run->out, len);
}

void
fc_assert_stderr_empty (FtRun *run)
{
  g_autofree char *err = ft_run_stderr_text (run);
  g_autofree char *shown = ft_preview (err, strlen (err));

  ft_check (err[0] == '\0', "%s: unexpected stderr \"%s\"", run->cmd, shown);
}

/* Asserts the run exited (not killed by a signal) with status want, and,
 * for 0, that it wrote nothing on stderr. */
void
fc_assert_exit (FtRun *run, int want)
{
  ft_run_assert_exit (run, want);
  /* stderr carries failures only */
  if (want == 0)
    fc_assert_stderr_empty (run);
}

void
fc_assert_stdout_empty (FtRun *run)
{
  g_autofree char *out = ft_run_stdout_text (run);
  g_autofree char *shown = ft_preview (out, strlen (out));

  ft_check (out[0] == '\0', "%s: unexpected stdout \"%s\"", run->cmd, shown);
}

void
fc_assert_stdout_is (FtRun *run, const char *want)
{
  g_autofree char *out = ft_run_stdout_text (run);
  g_autofree char *shown = ft_preview (out, strlen (out));
  g_autofree char *wanted = ft_preview (want, strlen (want));

  ft_check (strcmp (out, want) == 0, "%s: stdout \"%s\", expected \"%s\"", run->cmd, shown,
            wanted);
}

/* Exactly one line on stderr, "filestorm-client: MESSAGE\n" with a
 * non-empty message; returns the message (owned). Nothing on stdout. */
char *
fc_assert_one_error_line (FtRun *run)
{
  g_autofree char *err = ft_run_stderr_text (run);
  g_autofree char *shown = ft_preview (err, strlen (err));
  const char *nl = strchr (err, '\n');

  ft_check (g_str_has_prefix (err, PREFIX), "%s: stderr \"%s\" does not start with \"%s\"",
            run->cmd, shown, PREFIX);
  ft_check (nl != NULL && nl[1] == '\0', "%s: stderr \"%s\" is not exactly one line",
            run->cmd, shown);
  ft_check (nl - err > (gssize) strlen (PREFIX), "%s: empty message on stderr", run->cmd);
  fc_assert_stdout_empty (run);
  return g_strndup (err + strlen (PREFIX), (gsize) (nl - err) - strlen (PREFIX));
}

/* Runs the client with --host 127.0.0.1 --port PORT and the NULL-terminated
 * arguments, in cwd (nullable), waiting at most RUN_TIMEOUT. */
static FtRun *
client_run_v (guint16 port, const char *cwd, const char *stdin_path, va_list ap)
{
  FtRun *run = ft_run_start_port_v (fc_client_path (), port, cwd, stdin_path, ap);

  ft_run_wait (run, RUN_TIMEOUT);
  return run;
}

FtRun *
fc_run (guint16 port, const char *cwd, ...)
{
  va_list ap;
  FtRun *run;

  va_start (ap, cwd);
  run = client_run_v (port, cwd, NULL, ap);
  va_end (ap);
  return run;
}

FtRun *
fc_run_stdin (guint16 port, const char *stdin_path, ...)
{
  va_list ap;
  FtRun *run;

  va_start (ap, stdin_path);
  run = client_run_v (port, NULL, stdin_path, ap);
  va_end (ap);
  return run;
}

/* The client with exactly these arguments (no --host/--port added). */
FtRun *
fc_run_bare (const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  g_ptr_array_add (argv, (char *) fc_client_path ());
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  return fc_run_argv (NULL, NULL, RUN_TIMEOUT, (const char * const *) argv->pdata);
}

/* ------------------------------------------------------------ helpers */

/* A fresh local working directory for the case (owned path). */
char *
fc_work_dir (const char *name)
{
  const char *scratch = g_getenv ("FT_SCRATCH");
  g_autofree char *tmpl = NULL;
  char *dir;

  if (scratch != NULL)
    tmpl = g_strdup_printf ("%s/%s-XXXXXX", scratch, name);
  else
    tmpl = g_build_filename (g_get_tmp_dir (), "filestorm-client-XXXXXX", NULL);
  dir = g_mkdtemp (tmpl);
  g_assert_nonnull (dir);
  return g_steal_pointer (&tmpl);
}

/* Asserts dir's entries are exactly want (NULL-terminated, sorted). */
void
fc_assert_entries (const char *dir, const char * const *want)
{
  g_auto(GStrv) got = ft_dir_entries (dir);
  g_autofree char *got_text = g_strjoinv (" | ", got);
  g_autofree char *want_text = g_strjoinv (" | ", (char **) want);

  ft_check (g_strv_equal ((const char * const *) got, want),
            "%s holds [%s], expected [%s]", dir, got_text, want_text);
}

GBytes *
fc_put_on_server (FtServer *srv, const char *name, guint64 seed, gsize len)
{
  GBytes *content = ft_content_bytes (seed, len);
  gsize n = 0;
  const void *data = g_bytes_get_data (content, &n);

  ft_write_file (srv->root, name, data, n);
  return content;
}

/* ft_write_file() does not truncate an existing longer file here (GLib's
 * g_file_set_contents_full() without CONSISTENT writes in place), so the
 * old file goes first. */
void
fc_write_local (const char *dir, const char *name, GBytes *content)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gsize n = 0;
  const void *data = g_bytes_get_data (content, &n);

  unlink (path);
  ft_write_file (dir, name, data, n);
}
