/* results-table.c: filestorm-stress's closing table.
 *
 * One row per scenario, sorted by client mode, operation, volume, client
 * pool and server pool, so that each thread row stands right above its process
 * twin; medians, with the aggregate's min-max range; at most 100 columns
 * for the default matrix's values. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "results-files.h"
#include "util.h"

enum { COL_OP, COL_VOL, COL_CLI, COL_SRV, COL_IDLE, COL_MODE, COL_CLIENT_MODE, COL_AGG, COL_P99,
       COL_CPU, COL_MEM, COL_RUNS, COL_NOTE, N_COLS };

static const char *const titles[N_COLS] = {
  "Op", "Vol", "Cli", "Srv", "Idle", "Mode", "Clients", "Speed (min-max)", "p99 ms", "CPU ms",
  "PSS MiB", "Runs", "Note",
};

static const gboolean right[N_COLS] = {
  FALSE, TRUE, TRUE, TRUE, TRUE, FALSE, FALSE, TRUE, TRUE, TRUE, TRUE, TRUE, FALSE,
};

static int
table_order (const void *a, const void *b)
{
  const FsScenario *x = &(*(const FsScenarioResult *const *) a)->scenario;
  const FsScenario *y = &(*(const FsScenarioResult *const *) b)->scenario;
  int c = fs_scenario_compare_twins (x, y);

  if (c != 0)
    return c;
  return (int) x->mode - (int) y->mode;
}

/* "845", "84.5", "8.45": three significant digits, enough for a table. */
static char *
short_number (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (v))
    return g_strdup ("-");
  return g_strdup (g_ascii_formatd (buf, sizeof buf,
                                    fabs (v) >= 100 ? "%.0f" : fabs (v) >= 10 ? "%.1f" : "%.2f",
                                    v));
}

static char *
speed_cell (const FsScenarioResult *sr)
{
  FsFigure f = fs_scenario_result_speed_figure (sr);
  double scale = f == FS_FIG_AGGREGATE ? 1024.0 * 1024.0 : 1.0;
  g_autofree char *m = short_number (sr->median[f] / scale);
  g_autofree char *lo = short_number (sr->min[f] / scale);
  g_autofree char *hi = short_number (sr->max[f] / scale);

  if (isnan (sr->median[f]))
    return g_strdup ("-");
  if (sr->n_runs < 2)
    return g_strdup (m);
  return g_strdup_printf ("%s (%s-%s)", m, lo, hi);
}

/* The pair's speed comparison, on the row of its b side; "vs thread: "
 * before it when the table has more than two models. */
static char *
pair_note (const FsPair *pair, gboolean named)
{
  g_autofree char *r = NULL;
  g_autofree char *vs = NULL;

  if (!pair->speed.known)
    return NULL;
  vs = named ? g_strdup_printf ("vs %s: ", fs_mode_name (pair->a->scenario.mode))
             : g_strdup ("");
  if (pair->speed.call == FS_CALL_TOO_FEW)
    return g_strdup_printf ("%sfew runs", vs);
  if (pair->speed.tie || pair->speed.call == FS_CALL_NOISE)
    return g_strdup_printf ("%snoise", vs);
  r = isfinite (pair->speed.ratio) ? short_number (pair->speed.ratio) : g_strdup (">1000");
  return g_strdup_printf ("%s%s %sx", vs, fs_mode_name (pair->speed.winner), r);
}

static void
print_row (FILE *out, char *const *cells, const guint *widths)
{
  GString *line = g_string_new (NULL);

  for (guint c = 0; c < N_COLS; c++)
    {
      const char *text = cells[c] != NULL ? cells[c] : "";
      int w = (int) widths[c];

      /* A hidden column (the client mode, when thread throughout). */
      if (w == 0)
        continue;
      if (c > 0)
        g_string_append_c (line, ' ');
      if (right[c])
        g_string_append_printf (line, "%*s", w, text);
      else
        g_string_append_printf (line, "%-*s", c + 1 < N_COLS ? w : 0, text);
    }
  g_strchomp (line->str);
  fprintf (out, "%s\n", line->str);
  g_string_free (line, TRUE);
}

void
fs_results_print_table (const FsScenarioResult *results, guint n, const FsVerdict *verdict,
                        FILE *out)
{
  g_autofree const FsScenarioResult **order = g_new (const FsScenarioResult *, MAX (n, 1));
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  guint widths[N_COLS], rows = 0;
  gboolean any_list = FALSE, any_failed = FALSE, any_bound = FALSE, any_clients = FALSE;
  gboolean any_capacity = FALSE, any_idle = FALSE;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i < n; i++)
    if (results[i].n_runs > 0)
      order[rows++] = &results[i];
  if (rows == 0)
    return;
  qsort (order, rows, sizeof *order, table_order);

  for (guint c = 0; c < N_COLS; c++)
    widths[c] = (guint) strlen (titles[c]);
  for (guint i = 0; i < rows; i++)
    {
      const FsScenarioResult *sr = order[i];
      FsFigure cpu = fs_scenario_cpu_figure (&sr->scenario);
      GString *note = g_string_new (NULL);
      double pool = sr->median[FS_FIG_POOL_CPU], server = sr->median[FS_FIG_SERVER_CPU];

      any_list = any_list || sr->scenario.operation == FS_OP_LIST;
      any_capacity = any_capacity || fs_scenario_result_speed_figure (sr) == FS_FIG_CAPACITY;
      any_clients = any_clients || sr->scenario.client_mode != FS_CLIENT_THREAD;
      g_ptr_array_add (cells, g_strconcat (fs_pool_operation_name (sr->scenario.operation),
                                           sr->scenario.transfer == FS_TRANSFER_RAW ? " raw" : "",
                                           NULL));
      g_ptr_array_add (cells, g_strconcat (fs_format_number (sr->scenario.volume, buf),
                                           fs_volume_unit (sr->quick), NULL));
      g_ptr_array_add (cells, g_strdup_printf ("%u", sr->scenario.client_pool));
      g_ptr_array_add (cells, g_strdup_printf ("%u", sr->scenario.server_pool));
      g_ptr_array_add (cells, g_strdup_printf ("%u", sr->scenario.idle));
      any_idle = any_idle || sr->scenario.idle > 0;
      g_ptr_array_add (cells, g_strdup (fs_mode_name (sr->scenario.mode)));
      g_ptr_array_add (cells, g_strdup (fs_client_mode_name (sr->scenario.client_mode)));
      g_ptr_array_add (cells, speed_cell (sr));
      g_ptr_array_add (cells, short_number (sr->median[FS_FIG_P99]));
      if (!isnan (pool) && !isnan (server) && pool > server)
        {
          g_autofree char *c = short_number (sr->median[cpu]);
          g_ptr_array_add (cells, g_strconcat (c, "^", NULL));
          any_bound = TRUE;
        }
      else
        g_ptr_array_add (cells, short_number (sr->median[cpu]));
      g_ptr_array_add (cells, short_number (sr->median[FS_FIG_SERVER_PSS] / 1024));
      g_ptr_array_add (cells, g_strdup_printf ("%u/%u", sr->runs_passed, sr->n_runs));

      if (fs_scenario_result_failed (sr))
        {
          g_string_append (note, "FAIL");
          any_failed = TRUE;
        }
      /* Each pair on the row of its b side: process against thread, and
       * event against both. */
      for (FsMode other = 0; verdict != NULL && other < sr->scenario.mode; other++)
        {
          const FsPair *pair = fs_verdict_find (verdict, sr, other);
          g_autofree char *pn = pair != NULL ? pair_note (pair, verdict->n_modes > 2) : NULL;

          if (pn != NULL)
            g_string_append_printf (note, "%s%s", note->len ? ", " : "", pn);
        }
      g_ptr_array_add (cells, g_string_free (note, FALSE));
    }
  for (guint i = 0; i < cells->len; i++)
    widths[i % N_COLS] = MAX (widths[i % N_COLS], (guint) strlen (cells->pdata[i]));
  /* The default, thread for every scenario, goes in a line below rather
   * than a column: the table keeps to 100 columns. */
  if (!any_clients)
    widths[COL_CLIENT_MODE] = 0;
  /* And no idle connections, the default, needs no column either. */
  if (!any_idle)
    widths[COL_IDLE] = 0;

  print_row (out, (char *const *) titles, widths);
  for (guint i = 0; i < rows; i++)
    {
      if (i > 0 && (order[i]->scenario.operation != order[i - 1]->scenario.operation
                    || order[i]->scenario.volume != order[i - 1]->scenario.volume
                    || order[i]->scenario.idle != order[i - 1]->scenario.idle))
        fputc ('\n', out);
      print_row (out, (char *const *) &cells->pdata[i * N_COLS], widths);
    }
  fprintf (out, "\nMedians over the passed runs (over all runs when none passed).\n");
  if (any_capacity)
    fprintf (out, "Speed: the capacity, the highest operations/s that met the objective; p99:\n"
             "at the capacity, from when each operation was due.\n");
  else
    fprintf (out, "Speed: aggregate MiB/s%s.\n", any_list ? " (operations/s for list)" : "");
  fprintf (out, "CPU: the server's CPU ms per MiB moved%s.\n"
           "Note: the faster mode of a pair and by how much, when the 95%% interval of the\n"
           "ratio excludes 1; noise when it does not; few runs with fewer than 2 a side.\n",
           any_list ? " (per 1,000 operations for list)" : "");
  fprintf (out, "%s\n", any_clients ? "Clients: the client pool's model (same: the server's)."
                                    : "Clients: threads in every scenario (--client-mode).");
  if (any_idle)
    fprintf (out, "Idle: connections the pool held open without a request (--idle-connections).\n");
  if (any_bound)
    fprintf (out, "^ The client pool used more CPU than the server: the load generator may be "
             "the limit.\n");
  if (any_failed)
    fprintf (out, "FAIL marks a scenario with a run that had a failed or unverified operation;\n"
             "the medians leave that run out (see the error column of the CSV).\n");
}
