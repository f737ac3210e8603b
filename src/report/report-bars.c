/* report-bars.c: filestorm-report's bar charts: failures by kind, and
 * the per-scenario ratios of a comparison. */
#include "config.h"

#include "report-charts-private.h"

#include <math.h>

/* ------------------------------------------------------- failures */

/* Failures per scenario by kind, stacked: only scenarios with failures,
 * only kinds that happened. */
gboolean
fs_report_bars_failures (const FsReportRun *run, const char *dir, gboolean *drawn, GError **error)
{
  g_autoptr(GString) dat = g_string_new (NULL), gp = g_string_new (NULL);
  g_autofree char *machine = fs_report_run_machine (run);
  g_autofree char *source = g_strdup (run->file);
  g_autofree char *subtitle = NULL;
  gboolean kinds[FS_REPORT_N_FAILS] = { FALSE };
  guint n = 0, col = 2, width;

  for (guint i = 0; i < run->n_scenarios; i++)
    for (guint k = 0; k < FS_REPORT_N_FAILS; k++)
      kinds[k] = kinds[k] || run->scenarios[i].fails[k] > 0;
  g_string_append_printf (dat, "# failures.dat: failures per scenario by kind\n# %s\n"
                          "# scenario", source);
  for (guint k = 0; k < FS_REPORT_N_FAILS; k++)
    if (kinds[k])
      g_string_append_printf (dat, ", %s", fs_report_fail_name (k));
  g_string_append (dat, "\n");
  for (guint i = 0; i < run->n_scenarios; i++)
    {
      const FsReportScenario *s = &run->scenarios[i];
      g_autofree char *label = NULL;
      guint64 total = 0;

      for (guint k = 0; k < FS_REPORT_N_FAILS; k++)
        total += s->fails[k];
      if (total == 0)
        continue;
      label = fs_report_scenario_label (s);
      fs_gp_data_string (dat, label);
      for (guint k = 0; k < FS_REPORT_N_FAILS; k++)
        if (kinds[k])
          g_string_append_printf (dat, " %" G_GUINT64_FORMAT, s->fails[k]);
      g_string_append (dat, "\n");
      n++;
    }
  *drawn = n > 0;
  if (n == 0)
    return TRUE;

  width = MIN (MAX (900, 28 * n + 260), 6000);
  subtitle = g_strdup_printf ("%s; summed over %u run%s per scenario; 'run': runs that failed "
                              "without a failed operation", machine, run->runs,
                              run->runs == 1 ? "" : "s");
  fs_gp_begin_script (gp, "failures", "failures per scenario by kind", source, width, 640);
  g_string_append (gp, "set title 'Failures per scenario, by kind'.\"\\n\".");
  fs_gp_quoted (gp, subtitle);
  g_string_append (gp, " font \",13\"\n"
                       "set style data histograms\nset style histogram rowstacked\n"
                       "set style fill solid 0.85 border -1\nset boxwidth 0.7\n"
                       "set xtics rotate by -50 font \",9\" nomirror\nset yrange [0:*]\n"
                       "set ylabel 'failed operations (runs for \"run\")'\n"
                       "set key outside right top\nset grid ytics lc rgb '#dddddd'\n"
                       "set bmargin 12\nplot ");
  for (guint k = 0; k < FS_REPORT_N_FAILS; k++)
    if (kinds[k])
      {
        g_string_append_printf (gp, "%s'failures.dat' using %u%s lc rgb '%s' title ",
                                col > 2 ? ", " : "", col, col == 2 ? ":xtic(1)" : "",
                                fs_gp_colours[k % FS_GP_N_COLOURS]);
        fs_gp_quoted (gp, fs_report_fail_name (k));
        col++;
      }
  g_string_append (gp, "\n");
  fs_gp_end_script (gp, FALSE);
  return fs_gp_write_file (dir, "failures", ".dat", dat, error)
         && fs_gp_write_file (dir, "failures", ".gp", gp, error);
}

/* ------------------------------------------------------- ratios */

typedef struct {
  double      ratio;
  char       *label;
} Ratio;

static int
compare_ratios (gconstpointer a, gconstpointer b)
{
  double x = ((const Ratio *) a)->ratio, y = ((const Ratio *) b)->ratio;

  return (x > y) - (x < y);
}

/* Per scenario the two runs share, the speed of run other over that of
 * run 0, sorted, as bars from 1.0 on a log axis. */
gboolean
fs_report_bars_ratios (FsReportRun *const *runs, guint other, const char *name, const char *dir,
              gboolean *drawn, GError **error)
{
  g_autoptr(GString) dat = g_string_new (NULL), gp = g_string_new (NULL);
  g_autoptr(GArray) ratios = g_array_new (FALSE, FALSE, sizeof (Ratio));
  g_autofree char *title = g_strdup_printf ("Speed of %s relative to %s, per scenario",
                                            runs[other]->label, runs[0]->label);
  g_autofree char *source = NULL;
  double lo = 1, hi = 1;
  guint width;

  {
    const char *a = runs[0]->file;
    const char *b = runs[other]->file;
    source = g_strdup_printf ("%s and %s", a, b);
  }
  for (guint i = 0; i < runs[0]->n_scenarios; i++)
    {
      const FsReportScenario *s = &runs[0]->scenarios[i];
      const FsReportScenario *t = fs_report_run_find (runs[other], s);
      FsFigure fig = fs_report_speed_figure (s);
      Ratio r;

      if (t == NULL || !(s->median[fig] > 0) || !isfinite (t->median[fig]))
        continue;
      r.ratio = t->median[fig] / s->median[fig];
      if (!isfinite (r.ratio))
        continue;
      if (!(r.ratio > 0))
        continue;
      r.label = fs_report_scenario_label (s);
      g_array_append_val (ratios, r);
      lo = MIN (lo, r.ratio);
      hi = MAX (hi, r.ratio);
    }
  *drawn = ratios->len > 0;
  if (ratios->len == 0)
    return TRUE;
  g_array_sort (ratios, compare_ratios);
  g_string_append_printf (dat, "# %s.dat: %s\n# %s\n# rank, ratio, bar low, bar high, "
                          "colour (1 faster, 0 slower), scenario\n", name, title, source);
  for (guint i = 0; i < ratios->len; i++)
    {
      Ratio *r = &g_array_index (ratios, Ratio, i);

      g_string_append_printf (dat, "%u ", i);
      fs_gp_number (dat, r->ratio);
      g_string_append (dat, " ");
      fs_gp_number (dat, MIN (r->ratio, 1));
      g_string_append (dat, " ");
      fs_gp_number (dat, MAX (r->ratio, 1));
      g_string_append_printf (dat, " %d ", r->ratio >= 1);
      fs_gp_data_string (dat, r->label);
      g_string_append (dat, "\n");
      g_free (r->label);
    }

  width = MIN (MAX (900, 9 * ratios->len + 200), 1600);
  fs_gp_begin_script (gp, name, title, source, width, 600);
  g_string_append (gp, "set title ");
  fs_gp_quoted (gp, title);
  g_string_append (gp, ".\"\\n\".");
  {
    g_autofree char *sub = g_strdup_printf (
      "aggregate throughput (operations/s for list), medians; above 1 (green): %s is "
      "faster; %u scenarios, sorted", runs[other]->label, ratios->len);
    fs_gp_quoted (gp, sub);
  }
  g_string_append (gp, " font \",13\"\nset logscale y 2\nset yrange [");
  fs_gp_number (gp, lo / 1.15);
  g_string_append (gp, ":");
  fs_gp_number (gp, hi * 1.15);
  g_string_append (gp, "]\nset ytics (");
  {
    /* Tics a reader can name on a log axis: halves and doubles, and the
     * steps between them near 1. */
    static const double tics[] = { 0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 0.67, 0.8, 0.9, 1,
                                   1.1, 1.25, 1.5, 2, 3, 4, 5, 10, 20, 50, 100 };
    gboolean first = TRUE;

    for (gsize i = 0; i < G_N_ELEMENTS (tics); i++)
      if (tics[i] >= lo / 1.15 && tics[i] <= hi * 1.15)
        {
          g_string_append (gp, first ? "" : ", ");
          fs_gp_number (gp, tics[i]);
          first = FALSE;
        }
  }
  g_string_append_printf (gp, ")\nset xrange [-1:%u]\nset ylabel 'ratio of medians (log scale)'\n"
                          "set grid ytics lc rgb '#dddddd'\n"
                          "set style fill solid 0.8 noborder\nunset xtics\n"
                          "set xlabel 'scenarios, sorted by ratio (the page''s table names them)'\n"
                          "set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lw 2 "
                          "lc rgb '#000000' front\n"
                          "set label 1 '1.0' at graph 0.005, first 1 offset 0,0.7 front\n"
                          "unset key\n"
                          "plot '%s.dat' using 1:2:($1-0.4):($1+0.4):3:4:($5 > 0 ? 0x009e73 : 0xd55e00) "
                          "with boxxyerror lc rgb variable title ",
                          ratios->len, name);
  {
    g_autofree char *key = g_strdup_printf ("%s / %s", runs[other]->label, runs[0]->label);
    fs_gp_quoted (gp, key);
  }
  g_string_append (gp, "\n");
  fs_gp_end_script (gp, FALSE);
  return fs_gp_write_file (dir, name, ".dat", dat, error) && fs_gp_write_file (dir, name, ".gp", gp, error);
}

