/* stress-run.c: filestorm-stress's loop over rounds and scenarios, with
 * its progress display. */
#include "config.h"

#include <string.h>

#include "protocol.h"
#include "stress.h"

void
fs_stress_outcome_clear (FsStressOutcome *outcome)
{
  g_clear_pointer (&outcome->write_error, g_free);
}

guint *
fs_stress_round_order (guint32 seed, guint round, guint n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint *order = g_new (guint, MAX (n, 1));

  /* Fisher-Yates from the identity in every round, the generator going
   * on from round to round. */
  for (guint r = 1; r <= round; r++)
    {
      for (guint i = 0; i < n; i++)
        order[i] = i;
      for (guint i = n; i > 1; i--)
        {
          guint j = (guint) g_rand_int_range (rand, 0, (gint32) i);
          guint tmp = order[i - 1];
          order[i - 1] = order[j];
          order[j] = tmp;
        }
    }
  return order;
}

char *
fs_stress_clock_text (double seconds)
{
  guint s = seconds > 0 ? (guint) (seconds + 0.5) : 0;

  if (s >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%02u:%02u", s / 60, s % 60);
}

typedef struct {
  FILE       *out;
  guint       round, rounds;
  guint       index;      /* 1-based, of the running scenario in its round */
  guint       total;      /* scenarios per round */
  char       *what;       /* (owned) the running scenario */
  gint64      started;
  gint64      run_started;
  double      done_s;     /* time spent on finished runs */
  guint       done;
} Progress;

/* The time left: the mean of the finished runs for every run not
 * finished, less what the running one has taken; never below zero, and
 * unknown before the first run ends. */
static char *
eta_text (const Progress *p)
{
  double running = (double) (g_get_monotonic_time () - p->run_started) / G_USEC_PER_SEC;
  guint all = p->total * p->rounds;
  double left;

  if (p->done == 0)
    return g_strdup ("--:--");
  left = p->done_s / p->done * (double) (all - p->done) - running;
  return fs_stress_clock_text (left > 0 ? left : 0);
}

/* Redraws the live line: round k/K, run i/N, what runs, elapsed, ETA. */
static gboolean
redraw (gpointer data)
{
  Progress *p = data;
  double elapsed = (double) (g_get_monotonic_time () - p->started) / G_USEC_PER_SEC;
  g_autofree char *el = fs_stress_clock_text (elapsed);
  g_autofree char *eta = eta_text (p);

  fprintf (p->out, "\r\033[K[round %u/%u, %u/%u] %s  elapsed %s  ETA %s", p->round,
           p->rounds, p->index, p->total, p->what, el, eta);
  fflush (p->out);
  return G_SOURCE_CONTINUE;
}

/* One run; FALSE when the loop must stop. */
static gboolean
one_run (const FsStressConfig *config, const FsScenario *sc, FsStressMemo *memo,
         FsResults *results, GCancellable *interrupt, gboolean live, Progress *p,
         FsStressOutcome *outcome)
{
  g_autoptr(GError) error = NULL;
  FsResultRow row;
  gboolean failed;
  guint64 success, fail;
  double total_time;
  g_autofree char *why = NULL;

  g_free (p->what);
  p->what = fs_scenario_describe (sc, config->quick);
  p->run_started = g_get_monotonic_time ();
  if (live)
    redraw (p);
  if (!fs_stress_run_scenario (config, sc, p->round, memo, interrupt, &row))
    {
      fs_result_row_clear (&row);
      return FALSE;
    }
  outcome->n_runs++;
  p->done++;
  p->done_s += (double) (g_get_monotonic_time () - p->run_started) / G_USEC_PER_SEC;
  failed = fs_result_row_failed (&row);
  success = row.success;
  fail = row.fail;
  total_time = row.total_time_s;
  /* It may hold what the server sent. */
  why = row.error != NULL ? fs_protocol_printable_text (row.error) : NULL;
  /* Takes the row's contents. */
  if (!fs_results_add (results, &row, &error))
    {
      /* Measuring on without a place for the numbers loses them. */
      outcome->write_error = g_strdup (error->message);
      return FALSE;
    }
  if (!live)
    fprintf (p->out, "[round %u/%u, %u/%u] %s: %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
             " in %.2f s%s%s\n", p->round, p->rounds, p->index, p->total, p->what, success,
             fail, total_time, why ? " -- " : "", why ? why : "");
  else if (failed)
    fprintf (p->out, "\r\033[K[round %u/%u, %u/%u] %s: FAILED%s%s\n", p->round, p->rounds,
             p->index, p->total, p->what, why ? ": " : "", why ? why : "");
  fflush (p->out);
  return TRUE;
}

void
fs_stress_run_all (const FsStressConfig *config, GArray *scenarios, guint runs, guint32 seed,
                   FsResults *results, FILE *out, gboolean live, GCancellable *interrupt,
                   FsStressOutcome *outcome)
{
  Progress p = { .out = out, .rounds = runs, .total = scenarios->len,
                 .started = g_get_monotonic_time () };
  guint timer = live ? g_timeout_add (500, redraw, &p) : 0;
  FsStressMemo memo = { FALSE };
  gboolean going = TRUE;
  FsScenarioResult *srs;
  guint n;

  memset (outcome, 0, sizeof *outcome);
  for (guint r = 1; r <= runs && going; r++)
    {
      g_autofree guint *order = fs_stress_round_order (seed, r, scenarios->len);

      p.round = r;
      for (guint i = 0; i < scenarios->len && going; i++)
        {
          p.index = i + 1;
          going = !g_cancellable_is_cancelled (interrupt)
                  && one_run (config, &g_array_index (scenarios, FsScenario, order[i]),
                              &memo, results, interrupt, live, &p, outcome);
        }
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
  srs = fs_results_scenarios (results, &n);
  for (guint i = 0; i < n; i++)
    if (fs_scenario_result_failed (&srs[i]))
      outcome->n_failed++;
  outcome->interrupted = g_cancellable_is_cancelled (interrupt);
  outcome->elapsed_s = (double) (g_get_monotonic_time () - p.started) / G_USEC_PER_SEC;
  g_free (p.what);
}
