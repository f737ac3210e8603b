/* report-capacity.c: filestorm-report's charts of a capacity search
 * (filestorm-stress --slo): the corrected latency of every step against
 * the rate it offered, with the objective and each capacity marked, and
 * the capacities as bars. */
#include "config.h"

#include "report-charts-private.h"

#include <math.h>
#include <stdlib.h>

#include "util.h"

/* A panel: the scenarios that differ only in mode and server pool. */
static gboolean
same_panel (const FsReportScenario *a, const FsReportScenario *b)
{
  return a->scenario.client_mode == b->scenario.client_mode
         && a->scenario.operation == b->scenario.operation
         && a->scenario.transfer == b->scenario.transfer && a->volume_bytes == b->volume_bytes
         && a->scenario.client_pool == b->scenario.client_pool;
}

static char *
panel_title (const FsReportScenario *s)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  if (s->scenario.operation == FS_OP_LIST)
    return g_strdup_printf ("list, %u clients", s->scenario.client_pool);
  return g_strdup_printf ("%s%s %s %s, %u clients", fs_pool_operation_name (s->scenario.operation),
                          s->scenario.transfer == FS_TRANSFER_RAW ? " raw" : "",
                          fs_format_number (s->scenario.volume, number), s->volume_unit,
                          s->scenario.client_pool);
}

static int
compare_steps (gconstpointer a, gconstpointer b)
{
  double x = ((const FsSearchStep *) a)->offered, y = ((const FsSearchStep *) b)->offered;

  return (x > y) - (x < y);
}

/* The colour of a server pool: its rank among the run's pools. */
static const char *
pool_colour (const FsReportRun *run, guint pool)
{
  guint rank = 0;
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < run->n_scenarios; i++)
    {
      guint p = run->scenarios[i].scenario.server_pool;
      gboolean known = FALSE;

      for (guint k = 0; k < seen->len && !known; k++)
        known = g_array_index (seen, guint, k) == p;
      if (!known)
        {
          g_array_append_val (seen, p);
          rank += p < pool;
        }
    }
  return fs_gp_colours[rank % FS_GP_N_COLOURS];
}

#define PANEL_W 620
#define PANEL_H 420
#define PANEL_COLS 2

/* Latency against offered rate, a panel per operation, volume and client
 * pool: per mode and server pool, the p99 (solid) and p50 (thin) of
 * every step of every run, sorted by rate; the objective's bounds as
 * horizontal lines; each median capacity as a vertical one. */
static gboolean
latency_chart (const FsReportRun *run, const char *dir, gboolean *drawn, GError **error)
{
  g_autoptr(GString) dat = g_string_new (NULL), gp = g_string_new (NULL);
  g_autofree gboolean *done = g_new0 (gboolean, MAX (run->n_scenarios, 1));
  g_autofree char *machine = fs_report_run_machine (run);
  g_autofree char *slo = fs_slo_describe (&run->slo);
  g_autofree char *sub = NULL;
  guint panels = 0, block = 0, rows, cols;

  for (guint i = 0; i < run->n_scenarios; i++)
    if (run->scenarios[i].steps != NULL && run->scenarios[i].steps->len > 0)
      {
        gboolean first = TRUE;
        for (guint j = 0; j < i && first; j++)
          first = !(run->scenarios[j].steps != NULL && run->scenarios[j].steps->len > 0
                    && same_panel (&run->scenarios[j], &run->scenarios[i]));
        panels += first;
      }
  *drawn = panels > 0;
  if (panels == 0)
    return TRUE;
  cols = MIN (panels, PANEL_COLS);
  rows = (panels + cols - 1) / cols;
  sub = g_strdup_printf ("%s; objective %s; every step of every run", machine, slo);
  g_string_append_printf (dat, "# capacity-latency.dat: the steps of the capacity searches\n"
                          "# %s\n# One block per panel and line (gnuplot's index, from 0); "
                          "columns:\n# medians: offered ops/s, p50 ms, p99 ms (corrected), steps;\n"
                          "# every step: offered ops/s, p99 ms, met (1/0)\n",
                          run->file);
  fs_gp_begin_script (gp, "capacity-latency", "latency against offered rate", run->file,
                      MAX (PANEL_W * cols, 9 * (guint) g_utf8_strlen (sub, -1) + 60),
                      PANEL_H * rows + 60);
  g_string_append_printf (gp, "set multiplot layout %u,%u title ", rows, cols);
  fs_gp_quoted (gp, "Corrected latency against offered rate");
  g_string_append (gp, ".\"\\n\".");
  fs_gp_quoted (gp, sub);
  g_string_append (gp, " font \",13\"\nset logscale xy\nset grid lc rgb '#dddddd'\n"
                       "set xlabel 'offered operations/s (log scale)'\n"
                       "set ylabel 'latency, ms (log scale)'\n"
                       "set key top left font \",9\" spacing 1\nset border 3\nset tics nomirror\n");
  for (guint i = 0; i < run->n_scenarios; i++)
    {
      const FsReportScenario *s = &run->scenarios[i];
      g_autoptr(GString) plot = g_string_new (NULL);
      g_autofree char *title = NULL;

      if (done[i] || s->steps == NULL || s->steps->len == 0)
        continue;
      title = panel_title (s);
      g_string_append (gp, "set title ");
      fs_gp_quoted (gp, title);
      g_string_append (gp, "\nunset arrow\n");
      for (guint k = i; k < run->n_scenarios; k++)
        {
          const FsReportScenario *t = &run->scenarios[k];
          g_autoptr(GArray) steps = NULL;
          g_autofree char *line = NULL;
          const char *colour = pool_colour (run, t->scenario.server_pool);
          double cap = t->median[FS_FIG_CAPACITY];
          int dash = fs_gp_mode_dash (t->scenario.mode);

          if (t->steps == NULL || t->steps->len == 0 || !same_panel (t, s))
            continue;
          done[k] = TRUE;
          steps = g_array_copy (t->steps);
          g_array_sort (steps, compare_steps);
          line = g_strdup_printf ("%s, server pool %u", fs_mode_name (t->scenario.mode),
                                  t->scenario.server_pool);
          /* Two blocks: the median p50 and p99 of the steps at each rate
           * (the runs' searches try many of the same rates), then every
           * step's p99. */
          g_string_append_printf (dat, "\n\n# index %u: %s; %s: medians at each rate\n",
                                  block, title, line);
          for (guint j = 0, next; j < steps->len; j = next)
            {
              const FsSearchStep *st = &g_array_index (steps, FsSearchStep, j);
              g_autofree double *p50 = NULL, *p99 = NULL;
              guint m = 0;

              for (next = j; next < steps->len
                   && g_array_index (steps, FsSearchStep, next).offered
                      <= st->offered * (1 + 1e-9); next++)
                ;
              p50 = g_new (double, next - j);
              p99 = g_new (double, next - j);
              for (guint k2 = j; k2 < next; k2++, m++)
                {
                  p50[m] = g_array_index (steps, FsSearchStep, k2).p50_ms;
                  p99[m] = g_array_index (steps, FsSearchStep, k2).p99_ms;
                }
              fs_gp_number (dat, st->offered);
              g_string_append_c (dat, ' ');
              /* A log axis has no 0: a step under a microsecond sits on it. */
              fs_gp_number (dat, MAX (fs_median (p50, m), 0.001));
              g_string_append_c (dat, ' ');
              fs_gp_number (dat, MAX (fs_median (p99, m), 0.001));
              g_string_append_printf (dat, " %u\n", m);
            }
          g_string_append_printf (dat, "\n\n# index %u: %s; %s: every step\n", block + 1,
                                  title, line);
          for (guint j = 0; j < steps->len; j++)
            {
              const FsSearchStep *st = &g_array_index (steps, FsSearchStep, j);
              fs_gp_number (dat, st->offered);
              g_string_append_c (dat, ' ');
              fs_gp_number (dat, MAX (st->p99_ms, 0.001));
              g_string_append_printf (dat, " %d\n", st->met ? 1 : 0);
            }
          g_string_append_printf (plot, "%s'capacity-latency.dat' index %u using 1:3 with "
                                  "lines lw 2 dt %d lc rgb '%s' title ",
                                  plot->len ? ", " : "", block, dash, colour);
          {
            g_autofree char *p99 = g_strdup_printf ("%s: p99", line);
            fs_gp_quoted (plot, p99);
          }
          g_string_append_printf (plot, ", '' index %u using 1:2 with lines lw 1 dt %d lc rgb "
                                  "'%s' notitle, '' index %u using 1:2 with points pt %d ps 0.5 "
                                  "lc rgb '%s' notitle", block, dash, colour, block + 1,
                                  fs_gp_mode_point (t->scenario.mode), colour);
          block += 2;
          /* The median capacity of the runs. */
          if (isfinite (cap) && cap > 0)
            {
              g_string_append (gp, "set arrow from ");
              fs_gp_number (gp, cap);
              g_string_append_printf (gp, ", graph 0 to ");
              fs_gp_number (gp, cap);
              g_string_append_printf (gp, ", graph 1 nohead dt %d lw 1.5 lc rgb '%s'\n",
                                      dash + 2, colour);
            }
        }
      /* The objective's bounds. */
      if (!isnan (run->slo.p99_ms))
        {
          g_string_append (plot, ", ");
          fs_gp_number (plot, run->slo.p99_ms);
          g_string_append (plot, " with lines lw 2 lc rgb '#d62728' title 'objective: p99'");
        }
      if (!isnan (run->slo.p50_ms))
        {
          g_string_append (plot, ", ");
          fs_gp_number (plot, run->slo.p50_ms);
          g_string_append (plot, " with lines lw 1 lc rgb '#d62728' title 'objective: p50'");
        }
      g_string_append_printf (gp, "plot %s\n", plot->str);
    }
  fs_gp_end_script (gp, TRUE);
  return fs_gp_write_file (dir, "capacity-latency", ".dat", dat, error)
         && fs_gp_write_file (dir, "capacity-latency", ".gp", gp, error);
}

/* The capacities as bars, a bar per scenario in the file's order grouped
 * by operation and volume, blue for thread, orange for process and green
 * for event, each with whiskers from the runs' minimum to their
 * maximum. */
static gboolean
bars_chart (const FsReportRun *run, const char *dir, gboolean *drawn, GError **error)
{
  g_autoptr(GString) dat = g_string_new (NULL), gp = g_string_new (NULL);
  g_autofree char *machine = fs_report_run_machine (run);
  g_autofree char *slo = fs_slo_describe (&run->slo);
  g_autofree char *sub = NULL;
  guint n = 0, width;
  gboolean has_mode[FS_N_MODES] = { FALSE };

  g_string_append_printf (dat, "# capacity.dat: the capacity of each scenario\n# %s\n"
                          "# index 0: thread, index 1: process, index 2: event; columns: "
                          "position, label, median, min, max (ops/s)\n", run->file);
  for (int m = 0; m < FS_N_MODES; m++)
    {
      g_string_append_printf (dat, "\n\n# index %d: %s\n", m, fs_mode_name ((FsMode) m));
      for (guint i = 0, x = 0; i < run->n_scenarios; i++)
        {
          const FsReportScenario *s = &run->scenarios[i];
          g_autofree char *label = NULL;

          if (!isfinite (s->median[FS_FIG_CAPACITY]))
            continue;
          x++;
          if (s->scenario.mode != (FsMode) m)
            continue;
          label = fs_report_scenario_label (s);
          g_string_append_printf (dat, "%u ", x);
          fs_gp_data_string (dat, label);
          for (int k = 0; k < 3; k++)
            {
              const double *v = k == 0 ? s->median : k == 1 ? s->min : s->max;
              g_string_append_c (dat, ' ');
              fs_gp_number (dat, isfinite (v[FS_FIG_CAPACITY]) ? v[FS_FIG_CAPACITY]
                                                               : s->median[FS_FIG_CAPACITY]);
            }
          g_string_append_c (dat, '\n');
          n++;
          has_mode[m] = TRUE;
        }
    }
  *drawn = n > 0;
  if (n == 0)
    return TRUE;
  sub = g_strdup_printf ("%s; objective %s; whiskers: min to max over the runs", machine, slo);
  width = MIN (MAX (MAX (900, 40 * n + 260), 9 * (guint) g_utf8_strlen (sub, -1) + 60), 6000);
  fs_gp_begin_script (gp, "capacity", "capacity per scenario", run->file, width, 640);
  g_string_append (gp, "set title 'Capacity per scenario'.\"\\n\".");
  fs_gp_quoted (gp, sub);
  g_string_append_printf (gp, " font \",13\"\nset style fill solid 0.8 border -1\n"
                              "set boxwidth 0.7\nset xrange [0.3:%g]\nset yrange [0:*]\n"
                              "set xtics rotate by -50 font \",9\" nomirror\n"
                              "set ylabel 'operations/s under the objective'\n"
                              "set key outside right top\nset grid ytics lc rgb '#dddddd'\n"
                              "set bmargin 12\nplot ", n + 0.7);
  /* A bar set per mode that has a bar: gnuplot stops at an empty
   * index, and the key names only what was measured. */
  for (int m = 0, k = 0; m < FS_N_MODES; m++)
    if (has_mode[m])
      g_string_append_printf (gp, "%s'capacity.dat' index %d using 1:3:4:5:(0.35):xtic(2) "
                              "with boxerrorbars lc rgb '%s' title '%s'", k++ ? ", " : "",
                              m, fs_gp_colours[m], fs_mode_name ((FsMode) m));
  g_string_append_c (gp, '\n');
  fs_gp_end_script (gp, FALSE);
  return fs_gp_write_file (dir, "capacity", ".dat", dat, error)
         && fs_gp_write_file (dir, "capacity", ".gp", gp, error);
}

static void
add (GPtrArray *charts, const char *name, const char *title, const char *caption)
{
  FsChart *c = g_new0 (FsChart, 1);

  c->name = g_strdup (name);
  c->title = g_strdup (title);
  c->caption = g_strdup (caption);
  g_ptr_array_add (charts, c);
}

gboolean
fs_report_capacity_charts (const FsReportRun *run, const char *dir, GPtrArray *charts,
                           GError **error)
{
  gboolean drawn;

  if (!run->searched)
    return TRUE;
  if (!bars_chart (run, dir, &drawn, error))
    return FALSE;
  if (drawn)
    add (charts, "capacity", "Capacity per scenario",
         "The highest offered rate at which the objective held and the server kept up, "
         "median over the runs, with their minimum and maximum: each run's search finds it "
         "to within 10%.");
  if (!latency_chart (run, dir, &drawn, error))
    return FALSE;
  if (drawn)
    add (charts, "capacity-latency", "Corrected latency against offered rate",
         "Every step of every run's search: p99 (thick) and p50 (thin) from each operation's "
         "due time, one colour per server pool, dashed for process mode and dash-dotted "
         "for event mode; the red line is the objective and each vertical line a median "
         "capacity.");
  return TRUE;
}
