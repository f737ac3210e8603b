/* gnuplot.c: running gnuplot on a script, as a subprocess. */
#include "config.h"

#include "gnuplot.h"

#include <string.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "report-data.h"

char *
fs_gnuplot_find (void)
{
  const char *wanted = g_getenv ("FILESTORM_GNUPLOT");

  if (wanted == NULL)
    wanted = "gnuplot";
  if (*wanted == '\0')
    return NULL;
  if (strchr (wanted, '/') != NULL)
    return g_file_test (wanted, G_FILE_TEST_IS_EXECUTABLE) ? g_strdup (wanted) : NULL;
  return g_find_program_in_path (wanted);
}

/* gnuplot's first line that says what went wrong, or its first line. */
static char *
complaint (const char *err)
{
  g_auto(GStrv) lines = g_strsplit (err != NULL ? err : "", "\n", -1);
  const char *first = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = g_strstrip (lines[i]);

      if (*l == '\0' || *l == '^')
        continue;
      if (strstr (l, "rror") != NULL)
        return g_strdup (l);
      if (first == NULL)
        first = l;
    }
  return g_strdup (first != NULL ? first : "");
}

gboolean
fs_gnuplot_run (const char *gnuplot, const char *dir, const char *script,
                const char *const *outputs, GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                               | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  g_autofree char *err = NULL;

  g_subprocess_launcher_set_cwd (launcher, dir);
  /* No window and no display: the scripts name their terminals. */
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  proc = g_subprocess_launcher_spawn (launcher, &local, gnuplot, script, NULL);
  if (proc == NULL || !g_subprocess_communicate (proc, NULL, NULL, NULL, &err_bytes, &local))
    {
      g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_GNUPLOT,
                   "cannot run %s: %s", gnuplot, local->message);
      return FALSE;
    }
  if (!g_subprocess_get_if_exited (proc) || g_subprocess_get_exit_status (proc) != 0)
    {
      g_autofree char *why = NULL;

      err = err_bytes != NULL && g_bytes_get_size (err_bytes) > 0
            ? g_utf8_make_valid (g_bytes_get_data (err_bytes, NULL),
                                 (gssize) g_bytes_get_size (err_bytes))
            : g_strdup ("");
      why = complaint (err);

      if (*why != '\0')
        g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_GNUPLOT,
                     "gnuplot failed on %s: %s", script, why);
      else if (g_subprocess_get_if_exited (proc))
        g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_GNUPLOT,
                     "gnuplot failed on %s: exit status %d, nothing on stderr", script,
                     g_subprocess_get_exit_status (proc));
      else
        g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_GNUPLOT,
                     "gnuplot failed on %s: killed by signal %d", script,
                     g_subprocess_get_term_sig (proc));
      return FALSE;
    }
  for (guint i = 0; outputs[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, outputs[i], NULL);
      GStatBuf st;

      if (g_stat (path, &st) != 0 || st.st_size == 0)
        {
          g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_GNUPLOT,
                       "gnuplot did not write %s from %s", outputs[i], script);
          return FALSE;
        }
    }
  return TRUE;
}
