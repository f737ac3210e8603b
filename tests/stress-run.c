/* stress-run.c: see stress-run.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "stress-run.h"
#include "testutil.h"

void
ft_stress_run_clear (FtStressRun *r)
{
  g_free (r->out);
  g_free (r->err);
  g_free (r->dir);
  if (r->work != NULL)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", r->work);
      g_assert_cmpint (system (cmd), ==, 0);
    }
  g_free (r->work);
}

void
ft_stress_run (FtStressRun *r, const char *tmpdir, const char *const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;

  memset (r, 0, sizeof *r);
  r->work = g_dir_make_tmp ("test-stress-XXXXXX", &error);
  g_assert_no_error (error);
  r->dir = g_build_filename (r->work, "results", NULL);
  tmp = g_build_filename (r->work, "tmp", NULL);
  g_assert_cmpint (g_mkdir (tmp, 0755), ==, 0);
  g_subprocess_launcher_setenv (launcher, "TMPDIR", tmpdir != NULL ? tmpdir : tmp, TRUE);
  g_ptr_array_add (argv, ft_program_path ("FILESTORM_STRESS", "filestorm-stress"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, g_strdup ("--no-report"));
  g_ptr_array_add (argv, g_strdup ("--results-dir"));
  g_ptr_array_add (argv, g_strdup (r->dir));
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  r->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}

char *
ft_stress_result_file (const FtStressRun *r, const char *suffix)
{
  g_autoptr(GDir) dir = g_dir_open (r->dir, 0, NULL);
  const char *name;
  char *found = NULL;

  ft_check (dir != NULL, "no results directory %s; stdout:\n%s\nstderr:\n%s", r->dir, r->out,
            r->err);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      /* Every run here is --no-report (test-report checks the report). */
      ft_check (!g_str_has_prefix (name, "report_"), "--no-report wrote %s", name);
      if (g_str_has_suffix (name, suffix))
        {
          g_assert_null (found);
          found = g_build_filename (r->dir, name, NULL);
        }
    }
  g_assert_nonnull (found);
  return found;
}

