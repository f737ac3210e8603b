/* stress-search.c: a run of filestorm-stress as a capacity search
 * (search.h), each step a pool at an offered rate. */
#include "config.h"

#include "stress-pool.h"

#include <math.h>
#include <string.h>

#include "errors.h"

gboolean
fs_stress_search_start (const char *text, gboolean search, double *start, GError **error)
{
  char *end = NULL;

  *start = 10;
  if (text == NULL)
    return TRUE;
  if (!search)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_USAGE,
                           "--slo-start goes with an objective (--slo, or the matrix's slo=)");
      return FALSE;
    }
  *start = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (*start) || *start <= 0
      || *start > FS_SCHEDULE_MAX_RATE)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                   "--slo-start %s: not a positive number of operations per second up to %g",
                   text, FS_SCHEDULE_MAX_RATE);
      return FALSE;
    }
  return TRUE;
}

gboolean
fs_stress_search_arrival (const char *text, gboolean search, FsArrival *arrival,
                          GError **error)
{
  *arrival = FS_ARRIVAL_UNIFORM;
  if (text == NULL)
    return TRUE;
  if (!search)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_USAGE,
                           "--arrival goes with an objective (--slo, or the matrix's slo=)");
      return FALSE;
    }
  if (fs_arrival_parse (text, arrival, error))
    return TRUE;
  g_prefix_error (error, "--arrival: ");
  return FALSE;
}

char *
fs_stress_search_estimate (const FsStressConfig *config, guint scenarios, guint runs)
{
  g_autofree char *slo = fs_slo_describe (&config->slo);
  /* A step: the pool's warm-up and duration, and about half a second to
   * start it and read its answer. A search takes about 10 steps for a
   * capacity 16 times the start, 15 for one 1,000 times it. */
  double step = config->warmup + config->duration + 0.5;
  double searches = (double) scenarios * runs;
  g_autofree char *low = fs_stress_clock_text (searches * 10 * step);
  g_autofree char *high = fs_stress_clock_text (searches * 18 * step);

  return g_strdup_printf ("capacity search under %s, from %g ops/s, %s arrivals: each of the "
                          "%u x %u runs takes 10 to 18 steps of about %.1f s; expect %s to %s",
                          slo, config->search_start, fs_arrival_name (config->arrival),
                          scenarios, runs, step, low, high);
}

typedef struct {
  const FsStressConfig *config;
  const FsScenario     *scenario;
  const FsStressServer *server;
  GCancellable         *interrupt;
  FsResultRow          *row;     /* the run's: the last step that met the objective */
} Search;

/* One step of the search: the pool at step->offered. A step whose pool
 * ran but had failed operations is a step that may miss the objective;
 * a pool that could not run ends the search. */
static gboolean
search_step (FsSearchStep *step, gpointer data, GError **error)
{
  Search *s = data;
  FsResultRow r;
  guint64 setup = 0;

  fs_stress_row_init (&r, s->config, s->scenario, s->row->round);
  if (!fs_stress_run_pool (s->config, s->scenario, s->server, s->interrupt, step->offered, &r,
                           &setup, error))
    {
      fs_result_row_clear (&r);
      return FALSE;
    }
  step->achieved = r.ops_per_s;
  step->scheduled = r.offered_ops_per_s;
  step->p50_ms = r.p50_ms;
  step->p99_ms = r.p99_ms;
  step->operations = r.operations;
  step->errors = r.operations > 0 ? (double) r.fail / (double) r.operations : 0;
  if (!fs_search_judge (&s->config->slo, step))
    {
      fs_result_row_clear (&r);
      return TRUE;
    }
  /* Its figures become the run's. */
  r.searched = TRUE;
  r.steps = g_steal_pointer (&s->row->steps);
  r.timestamp = g_steal_pointer (&s->row->timestamp);
  fs_result_row_clear (s->row);
  *s->row = r;
  return TRUE;
}

/* The run as a capacity search against one server: its steps are pools
 * at offered rates (search.h). The server's counters are not read: the
 * open loop's kept connections are not one per operation. */
gboolean
fs_stress_run_search (const FsStressConfig *config, const FsScenario *scenario,
                      const FsStressServer *server, GCancellable *interrupt, FsResultRow *row,
                      GError **error)
{
  Search s = { config, scenario, server, interrupt, row };
  FsSearchResult result;
  gboolean ok = fs_search_run (&config->slo, config->search_start, FS_SCHEDULE_MAX_RATE,
                               search_step, &s, &result, error);

  row->searched = TRUE;
  row->slo = config->slo;
  row->capacity = result.capacity;
  row->capacity_confirmed = result.confirmed;
  g_clear_pointer (&row->steps, g_array_unref);
  row->steps = g_steal_pointer (&result.steps);
  if (!ok)
    return FALSE;
  if (result.capacity <= 0 && row->error == NULL)
    {
      g_autofree char *slo = fs_slo_describe (&config->slo);
      row->error = g_strdup_printf ("no rate met the objective (%s), down to %.3g ops/s",
                                    slo, config->search_start / 64);
    }
  return TRUE;
}

