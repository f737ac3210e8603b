/* report.c: a report from results files, written whole or not at all. */
#include "config.h"

#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gnuplot.h"
#include "report-charts.h"
#include "report-html.h"
#include "util.h"

#define MAX_SUFFIX 999

char *
fs_report_default_output (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *stamp = NULL;
  char *out;

  if (g_str_has_prefix (base, "orchestrator_results_") && g_str_has_suffix (base, ".json"))
    stamp = g_strndup (base + strlen ("orchestrator_results_"),
                       strlen (base) - strlen ("orchestrator_results_") - strlen (".json"));
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      stamp = g_date_time_format (now, "%Y%m%d_%H%M%S");
    }
  out = g_strdup_printf ("%s/report_%s", dir, stamp);
  for (guint i = 2; i <= MAX_SUFFIX && g_file_test (out, G_FILE_TEST_EXISTS); i++)
    {
      g_free (out);
      out = g_strdup_printf ("%s/report_%s-%u", dir, stamp, i);
    }
  return out;
}

/* The output may be new, or an empty directory (which rename replaces). */
static gboolean
check_output (const char *output, GError **error)
{
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) local = NULL;

  if (!g_file_test (output, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!g_file_test (output, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_OUTPUT,
                   "%s exists and is not a directory", output);
      return FALSE;
    }
  d = g_dir_open (output, 0, &local);
  if (d == NULL)
    {
      g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_OUTPUT, "%s", local->message);
      return FALSE;
    }
  if (g_dir_read_name (d) != NULL)
    {
      g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_OUTPUT,
                   "%s exists and is not empty; name a new directory with --output", output);
      return FALSE;
    }
  return TRUE;
}

/* DIR as given, without trailing slashes ("out/" would name out's own
 * child ""), and resolved when it ends in "." or "..". */
static char *
output_path (const char *dir)
{
  g_autofree char *trimmed = g_strdup (dir);
  gsize n = strlen (trimmed);
  char *base;

  while (n > 1 && trimmed[n - 1] == '/')
    trimmed[--n] = '\0';
  base = strrchr (trimmed, '/');
  base = base != NULL ? base + 1 : trimmed;
  if (g_str_equal (base, ".") || g_str_equal (base, ".."))
    return g_canonicalize_filename (trimmed, NULL);
  return g_steal_pointer (&trimmed);
}

/* A label for every run: the caller's, or the date it started (and its
 * file's name when two dates are the same). */
static void
label_runs (FsReportRun **runs, guint n, const char *const *labels)
{
  for (guint i = 0; i < n; i++)
    {
      if (labels != NULL && labels[i] != NULL)
        runs[i]->label = fs_report_printable (labels[i]);
      else
        {
          char *date = fs_report_run_date (runs[i]);
          runs[i]->label = date != NULL ? date : g_strdup (runs[i]->file);
        }
    }
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < i; j++)
      if (g_str_equal (runs[i]->label, runs[j]->label) && (labels == NULL || labels[i] == NULL))
        {
          char *numbered = g_strdup_printf ("%s (%u)", runs[i]->label, i + 1);
          g_free (runs[i]->label);
          runs[i]->label = numbered;
          break;
        }
}

/* Draws every chart with gnuplot; FALSE with no error when there is no
 * gnuplot. */
static gboolean
draw (GPtrArray *charts, const char *charts_dir, FILE *notes, gboolean *drawn, GError **error)
{
  g_autofree char *gnuplot = fs_gnuplot_find ();

  *drawn = FALSE;
  if (gnuplot == NULL)
    {
      if (notes != NULL)
        fprintf (notes, "filestorm-report: gnuplot is not installed, so the report has no "
                        "charts (Debian: apt-get install gnuplot-nox); its tables are written\n");
      return TRUE;
    }
  for (guint i = 0; i < charts->len; i++)
    {
      const FsChart *c = g_ptr_array_index (charts, i);
      g_autofree char *script = g_strconcat (c->name, ".gp", NULL);
      g_autofree char *svg = g_strconcat (c->name, ".svg", NULL);
      g_autofree char *png = g_strconcat (c->name, ".png", NULL);
      const char *outputs[] = { svg, png, NULL };

      if (!fs_gnuplot_run (gnuplot, charts_dir, script, outputs, error))
        return FALSE;
    }
  *drawn = charts->len > 0;
  return TRUE;
}

static gboolean
write_into (FsReportRun **runs, guint n, const char *tmp, FILE *notes, gboolean *drawn,
            GError **error)
{
  g_autofree char *charts_dir = g_build_filename (tmp, "charts", NULL);
  g_autofree char *index = g_build_filename (tmp, "index.html", NULL);
  g_autoptr(GPtrArray) charts = NULL;
  FsReportPage page = { 0 };

  if (g_mkdir (charts_dir, 0755) != 0)
    {
      int errsv = errno;
      g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_OUTPUT, "cannot create %s: %s",
                   charts_dir, g_strerror (errsv));
      return FALSE;
    }
  charts = fs_report_charts_write (runs, n, charts_dir, error);
  if (charts == NULL || !draw (charts, charts_dir, notes, drawn, error))
    return FALSE;
  page.runs = runs;
  page.n_runs = n;
  page.charts = charts;
  page.charts_dir = charts_dir;
  page.drawn = *drawn;
  page.no_charts = charts->len == 0 ? "There was nothing to chart."
                   : "gnuplot was not installed when this report was written, so it has no "
                     "charts (Debian: apt-get install gnuplot-nox, then run filestorm-report "
                     "again).";
  return fs_report_html_write (&page, index, error);
}

gboolean
fs_report_write (const FsReportOptions *options, char **written, gboolean *charts_drawn,
                 GError **error)
{
  g_autofree FsReportRun **runs = g_new0 (FsReportRun *, options->n_inputs + 1);
  g_autofree char *output = NULL, *parent = NULL, *base = NULL, *tmp = NULL;
  gboolean drawn = FALSE, ok = TRUE;

  for (guint i = 0; ok && i < options->n_inputs; i++)
    ok = (runs[i] = fs_report_run_load (options->inputs[i], error)) != NULL;
  if (ok)
    {
      label_runs (runs, options->n_inputs, options->labels);
      output = options->output != NULL ? output_path (options->output)
                                       : fs_report_default_output (options->inputs[0]);
      ok = check_output (output, error);
    }
  if (ok)
    {
      parent = g_path_get_dirname (output);
      base = g_path_get_basename (output);
      if (g_mkdir_with_parents (parent, 0755) != 0)
        {
          int errsv = errno;
          g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_OUTPUT, "cannot create %s: %s",
                       parent, g_strerror (errsv));
          ok = FALSE;
        }
    }
  if (ok)
    {
      tmp = g_strdup_printf ("%s/.%s.tmp-XXXXXX", parent, base);
      if (g_mkdtemp_full (tmp, 0755) == NULL)
        {
          int errsv = errno;
          g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_OUTPUT,
                       "cannot create a directory in %s: %s", parent, g_strerror (errsv));
          g_clear_pointer (&tmp, g_free);
          ok = FALSE;
        }
    }
  if (ok)
    ok = write_into (runs, options->n_inputs, tmp, options->notes, &drawn, error);
  if (ok && g_rename (tmp, output) != 0)
    {
      int errsv = errno;
      g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_OUTPUT, "cannot rename %s to %s: %s",
                   tmp, output, g_strerror (errsv));
      ok = FALSE;
    }
  if (!ok && tmp != NULL)
    fs_remove_tree (tmp);
  for (guint i = 0; i < options->n_inputs; i++)
    fs_report_run_free (runs[i]);
  if (ok)
    {
      if (written != NULL)
        *written = g_steal_pointer (&output);
      if (charts_drawn != NULL)
        *charts_drawn = drawn;
    }
  return ok;
}
