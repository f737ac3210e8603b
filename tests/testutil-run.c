/* testutil-run.c: programs a test runs to completion, their output
 * collected (see testutil.h). */
#include "config.h"

#include "testutil.h"

#include <signal.h>
#include <sys/prctl.h>

void
ft_child_setup (gpointer data G_GNUC_UNUSED)
{
  /* A program started by a test (the server too) must not outlive a test
   * program that aborts on a failed assertion; and it must see SIGPIPE as
   * a default process would (ignored dispositions survive exec). */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  signal (SIGPIPE, SIG_DFL);
}

static void
run_communicated (GObject *source, GAsyncResult *result, gpointer data)
{
  FtRun *run = data;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, &run->out, &run->err,
                                   &run->error);
  /* stdout not piped (redirected to a file): nothing collected */
  if (run->out == NULL)
    run->out = g_bytes_new (NULL, 0);
  run->elapsed = ft_now () - run->started;
  run->done = TRUE;
}

static gboolean
run_set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

FtRun *
ft_run_start (const char *cwd, const char *stdin_path, const char *stdout_path,
              const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                 (stdout_path ? 0 : G_SUBPROCESS_FLAGS_STDOUT_PIPE));
  g_autoptr(GError) error = NULL;
  FtRun *run = g_new0 (FtRun, 1);

  run->cmd = g_strjoinv (" ", (char **) argv);
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  if (stdin_path != NULL)
    g_subprocess_launcher_set_stdin_file_path (launcher, stdin_path);
  if (stdout_path != NULL)
    g_subprocess_launcher_set_stdout_file_path (launcher, stdout_path);
  g_subprocess_launcher_set_child_setup (launcher, ft_child_setup, NULL, NULL);
  run->ctx = g_main_context_new ();
  run->started = ft_now ();
  run->proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  ft_check (error == NULL, "cannot start %s: %s", run->cmd, error ? error->message : "");
  g_main_context_push_thread_default (run->ctx);
  g_subprocess_communicate_async (run->proc, NULL, NULL, run_communicated, run);
  g_main_context_pop_thread_default (run->ctx);
  return run;
}

FtRun *
ft_run_start_port_v (const char *program, guint16 port, const char *cwd, const char *stdin_path,
                     va_list ap)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  const char *arg;

  g_ptr_array_add (argv, g_strdup (program));
  g_ptr_array_add (argv, g_strdup ("--host"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1"));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", port));
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  g_ptr_array_add (argv, NULL);
  return ft_run_start (cwd, stdin_path, NULL, (const char * const *) argv->pdata);
}

void
ft_run_poll (FtRun *run)
{
  while (g_main_context_iteration (run->ctx, FALSE))
    ;
}

void
ft_run_wait (FtRun *run, double timeout)
{
  gboolean expired = FALSE;
  GSource *timer = g_timeout_source_new ((guint) (timeout * 1000));

  g_source_set_callback (timer, run_set_flag, &expired, NULL);
  g_source_attach (timer, run->ctx);
  while (!run->done && !expired)
    g_main_context_iteration (run->ctx, TRUE);
  g_source_destroy (timer);
  g_source_unref (timer);
  if (!run->done)
    ft_fail ("%s: still running after %.0f s (killed)", run->cmd, timeout);
  ft_check (run->error == NULL, "%s: %s", run->cmd, run->error ? run->error->message : "");
}

void
ft_run_free (FtRun *run)
{
  if (run == NULL)
    return;
  if (!run->done && run->proc != NULL)
    {
      double deadline = ft_now () + 5;

      g_subprocess_force_exit (run->proc);
      while (!run->done && ft_now () < deadline)
        if (!g_main_context_iteration (run->ctx, FALSE))
          g_usleep (5000);
    }
  g_clear_object (&run->proc);
  /* A run that never completed keeps its context: its callback may still
   * come. */
  if (run->done)
    g_main_context_unref (run->ctx);
  g_clear_pointer (&run->out, g_bytes_unref);
  g_clear_pointer (&run->err, g_bytes_unref);
  g_clear_error (&run->error);
  g_free (run->cmd);
  g_free (run);
}

static char *
bytes_text (GBytes *bytes)
{
  gsize len = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;

  return g_strndup (data ? data : "", len);
}

char *
ft_run_stdout_text (FtRun *run)
{
  return bytes_text (run->out);
}

char *
ft_run_stderr_text (FtRun *run)
{
  return bytes_text (run->err);
}

void
ft_run_assert_exit (FtRun *run, int want)
{
  gsize out_len = 0, err_len = 0;
  const char *o = run->out ? g_bytes_get_data (run->out, &out_len) : NULL;
  const char *e = run->err ? g_bytes_get_data (run->err, &err_len) : NULL;
  g_autofree char *out = ft_preview (o, out_len);
  g_autofree char *err = ft_preview (e, err_len);

  ft_check (!g_subprocess_get_if_signaled (run->proc),
            "%s: killed by signal %d (stdout \"%s\", stderr \"%s\")", run->cmd,
            g_subprocess_get_term_sig (run->proc), out, err);
  ft_check (g_subprocess_get_if_exited (run->proc), "%s: did not exit", run->cmd);
  ft_check (g_subprocess_get_exit_status (run->proc) == want,
            "%s: exit status %d, expected %d (stdout \"%s\", stderr \"%s\")", run->cmd,
            g_subprocess_get_exit_status (run->proc), want, out, err);
}
