/* stress-run.c: filestorm-stress's loop over the scenarios, with its
 * progress display. */
#include "config.h"

#include <string.h>

#include "stress.h"

void
fs_stress_outcome_clear (FsStressOutcome *outcome)
{
  for (guint i = 0; i < outcome->n_rows; i++)
    fs_result_row_clear (&outcome->rows[i]);
  g_clear_pointer (&outcome->rows, g_free);
  g_clear_pointer (&outcome->write_error, g_free);
  outcome->n_rows = 0;
}

static char *
clock_text (double seconds)
{
  guint s = (guint) (seconds + 0.5);

  if (s >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%02u:%02u", s / 60, s % 60);
}

typedef struct {
  FILE       *out;
  guint       index;      /* 1-based, of the running scenario */
  guint       total;
  char       *what;       /* (owned) the running scenario */
  gint64      started;
  double      done_s;     /* time spent on finished scenarios */
  guint       done;
} Progress;

/* Redraws the live line: scenario k/N, what runs, elapsed, ETA. */
static gboolean
redraw (gpointer data)
{
  Progress *p = data;
  double elapsed = (double) (g_get_monotonic_time () - p->started) / G_USEC_PER_SEC;
  g_autofree char *el = clock_text (elapsed);
  g_autofree char *eta = p->done > 0
                         ? clock_text (p->done_s / p->done * (p->total - p->done + 1)
                                       - (elapsed - p->done_s))
                         : g_strdup ("--:--");

  fprintf (p->out, "\r\033[K[%u/%u] %s  elapsed %s  ETA %s", p->index, p->total,
           p->what, el, eta);
  fflush (p->out);
  return G_SOURCE_CONTINUE;
}

void
fs_stress_run_all (const FsStressConfig *config, GArray *scenarios, FsResults *results,
                   FILE *out, gboolean live, GCancellable *interrupt,
                   FsStressOutcome *outcome)
{
  Progress p = { .out = out, .total = scenarios->len, .started = g_get_monotonic_time () };
  guint timer = live ? g_timeout_add (500, redraw, &p) : 0;

  memset (outcome, 0, sizeof *outcome);
  outcome->rows = g_new0 (FsResultRow, scenarios->len);
  for (guint i = 0; i < scenarios->len && !g_cancellable_is_cancelled (interrupt); i++)
    {
      const FsScenario *sc = &g_array_index (scenarios, FsScenario, i);
      FsResultRow *row = &outcome->rows[outcome->n_rows];
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(GError) error = NULL;

      g_free (p.what);
      p.what = fs_scenario_describe (sc, config->quick);
      p.index = i + 1;
      if (live)
        redraw (&p);
      if (!fs_stress_run_scenario (config, sc, interrupt, row))
        {
          fs_result_row_clear (row);
          break;
        }
      outcome->n_rows++;
      p.done++;
      p.done_s += (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
      if (fs_result_row_failed (row))
        outcome->n_failed++;
      if (!fs_results_add (results, row, &error))
        {
          /* Measuring on without a place for the numbers loses them. */
          outcome->write_error = g_strdup (error->message);
          break;
        }
      if (!live)
        fprintf (out, "[%u/%u] %s: %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " in %.2f s%s%s\n",
                 p.index, p.total, p.what, row->success, row->fail, row->total_time_s,
                 row->error ? " -- " : "", row->error ? row->error : "");
      else if (fs_result_row_failed (row))
        fprintf (out, "\r\033[K[%u/%u] %s: FAILED%s%s\n", p.index, p.total, p.what,
                 row->error ? ": " : "", row->error ? row->error : "");
      fflush (out);
    }
  if (timer != 0)
    {
      g_source_remove (timer);
      fprintf (out, "\r\033[K");
      fflush (out);
    }
  /* A signal that came after the last scenario's main loop ran. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  outcome->interrupted = g_cancellable_is_cancelled (interrupt);
  outcome->elapsed_s = (double) (g_get_monotonic_time () - p.started) / G_USEC_PER_SEC;
  g_free (p.what);
}
