/* results.c: a run's figures, and a scenario's medians, minima and maxima
 * over its runs. */
#include "config.h"

#include "results.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1024.0 * 1024.0)

static const char *const figure_names[FS_N_FIGURES] = {
  [FS_FIG_AVG_TIME] = "avg_time_s",
  [FS_FIG_THROUGHPUT] = "throughput_Bps",
  [FS_FIG_SUCCESS] = "success",
  [FS_FIG_FAIL] = "fail",
  [FS_FIG_SERVER_SUCCESS] = "server_success",
  [FS_FIG_SERVER_FAIL] = "server_fail",
  [FS_FIG_AGGREGATE] = "aggregate_Bps",
  [FS_FIG_TOTAL_TIME] = "total_time_s",
  [FS_FIG_P50] = "p50_ms",
  [FS_FIG_P90] = "p90_ms",
  [FS_FIG_P99] = "p99_ms",
  [FS_FIG_MAX] = "max_ms",
  [FS_FIG_WORKER_RESTARTS] = "worker_restarts",
  [FS_FIG_OPS_PER_S] = "ops_per_s",
  [FS_FIG_SERVER_CPU] = "server_cpu_s",
  [FS_FIG_SERVER_CPU_PER_MIB] = "server_cpu_ms_per_mib",
  [FS_FIG_SERVER_CPU_PER_KOP] = "server_cpu_ms_per_kop",
  [FS_FIG_SERVER_PSS] = "server_pss_kib",
  [FS_FIG_SERVER_RSS] = "server_rss_kib",
  [FS_FIG_SERVER_HWM_MAX] = "server_hwm_max_kib",
  [FS_FIG_SERVER_HWM_SUM] = "server_hwm_sum_kib",
  [FS_FIG_SERVER_MEM_PER_CLIENT] = "server_mem_per_client_kib",
  [FS_FIG_SERVER_CTX_VOLUNTARY] = "server_ctx_voluntary",
  [FS_FIG_SERVER_CTX_INVOLUNTARY] = "server_ctx_involuntary",
  [FS_FIG_SERVER_PROCESSES] = "server_processes",
  [FS_FIG_SERVER_THREADS] = "server_threads",
  [FS_FIG_POOL_CPU] = "pool_cpu_s",
  [FS_FIG_POOL_PEAK_RSS] = "pool_peak_rss_kib",
  [FS_FIG_CLIENT_TIME_MIN] = "client_time_min_s",
  [FS_FIG_CLIENT_TIME_P50] = "client_time_p50_s",
  [FS_FIG_CLIENT_TIME_MAX] = "client_time_max_s",
  [FS_FIG_OPERATIONS] = "operations",
  [FS_FIG_WINDOW] = "window_s",
  [FS_FIG_AVG_OP_TIME] = "avg_op_time_s",
  [FS_FIG_WARMUP_OPERATIONS] = "warmup_operations",
  [FS_FIG_WARMUP_FAIL] = "warmup_fail",
  [FS_FIG_CAPACITY] = "capacity_ops_per_s",
};

const char *
fs_figure_name (FsFigure fig)
{
  return fig < FS_N_FIGURES ? figure_names[fig] : "?";
}

gboolean
fs_figure_is_count (FsFigure fig)
{
  switch (fig)
    {
    case FS_FIG_SUCCESS: case FS_FIG_FAIL: case FS_FIG_SERVER_SUCCESS:
    case FS_FIG_SERVER_FAIL: case FS_FIG_WORKER_RESTARTS: case FS_FIG_SERVER_PSS:
    case FS_FIG_SERVER_RSS: case FS_FIG_SERVER_HWM_MAX: case FS_FIG_SERVER_HWM_SUM:
    case FS_FIG_SERVER_CTX_VOLUNTARY: case FS_FIG_SERVER_CTX_INVOLUNTARY:
    case FS_FIG_SERVER_PROCESSES: case FS_FIG_SERVER_THREADS: case FS_FIG_POOL_PEAK_RSS:
    case FS_FIG_OPERATIONS: case FS_FIG_WARMUP_OPERATIONS: case FS_FIG_WARMUP_FAIL:
      return TRUE;
    default:
      return FALSE;
    }
}

const char *
fs_volume_unit (gboolean quick)
{
  return quick ? "KiB" : "MiB";
}

/* ------------------------------------------------------------- a run */

void
fs_result_row_clear (FsResultRow *row)
{
  g_clear_pointer (&row->timestamp, g_free);
  g_clear_pointer (&row->error, g_free);
  g_clear_pointer (&row->steps, g_array_unref);
}

char *
fs_result_row_server_stop (const FsResultRow *row)
{
  switch (row->server_stop)
    {
    case FS_SERVER_STOP_EXITED:
      return g_strdup ("exited");
    case FS_SERVER_STOP_KILLED:
      {
        /* A point whatever the locale: the JSON is read by programs. */
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup_printf ("killed after %s s",
                                g_ascii_formatd (buf, sizeof buf, "%.1f",
                                                 row->server_killed_after_s));
      }
    case FS_SERVER_STOP_UNKNOWN:
    default:
      return NULL;
    }
}

gboolean
fs_result_row_failed (const FsResultRow *row)
{
  return row->fail > 0 || row->server_fail > 0 || row->error != NULL
         || row->worker_restarts > 0 || !row->verified;
}

static gboolean
is_list (const FsScenario *scenario)
{
  return scenario->operation == FS_OP_LIST;
}

guint
fs_operation_rank (FsOperation op)
{
  switch (op)
    {
    case FS_OP_UPLOAD: return 0;
    case FS_OP_DOWNLOAD: return 1;
    case FS_OP_LIST:
    default: return 2;
    }
}

int
fs_scenario_compare_twins (const FsScenario *x, const FsScenario *y)
{
  /* First: twins share their load generator, and pairs group by it. */
  if (x->client_mode != y->client_mode)
    return x->client_mode < y->client_mode ? -1 : 1;
  /* Then the idle connections: the verdict is per their number. */
  if (x->idle != y->idle)
    return x->idle < y->idle ? -1 : 1;
  if (x->operation != y->operation)
    return fs_operation_rank (x->operation) < fs_operation_rank (y->operation) ? -1 : 1;
  if (x->transfer != y->transfer)
    return x->transfer < y->transfer ? -1 : 1;
  if (x->volume != y->volume)
    return x->volume < y->volume ? -1 : 1;
  if (x->client_pool != y->client_pool)
    return x->client_pool < y->client_pool ? -1 : 1;
  return (x->server_pool > y->server_pool) - (x->server_pool < y->server_pool);
}

void
fs_json_add_number (JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name (b, name);
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

guint
fs_scenario_result_ranks (const FsScenarioResult *sr)
{
  guint ranks = 0;

  for (guint i = 0; i < sr->n_runs; i++)
    ranks = MAX (ranks, sr->runs[i].ranks);
  return ranks;
}

FsFigure
fs_scenario_speed_figure (const FsScenario *scenario)
{
  return is_list (scenario) ? FS_FIG_OPS_PER_S : FS_FIG_AGGREGATE;
}

FsFigure
fs_scenario_result_speed_figure (const FsScenarioResult *sr)
{
  for (guint i = 0; i < sr->n_runs; i++)
    if (sr->runs[i].searched)
      return FS_FIG_CAPACITY;
  return fs_scenario_speed_figure (&sr->scenario);
}

FsFigure
fs_scenario_cpu_figure (const FsScenario *scenario)
{
  return is_list (scenario) ? FS_FIG_SERVER_CPU_PER_KOP : FS_FIG_SERVER_CPU_PER_MIB;
}

/* A server counter: NaN when the server has no STATS. */
static double
counter (const FsResultRow *row, guint64 v)
{
  return row->server_counters ? (double) v : NAN;
}

/* A cost figure: NaN when /proc could not be read. */
static double
cost (const FsResultRow *row, double v)
{
  return row->server.available ? v : NAN;
}

double
fs_result_row_figure (const FsResultRow *row, FsFigure fig)
{
  gboolean list = is_list (&row->scenario);
  double mib = (double) row->success * (double) row->volume_bytes / MIB;

  switch (fig)
    {
    case FS_FIG_AVG_TIME:
      /* With a duration a client's time is the window's length: the time
       * of one operation of one client says what the original's
       * avg_time_s said, with its one operation per client. */
      return row->duration_s > 0 && row->has_window ? row->avg_op_time_s : row->avg_time_s;
    case FS_FIG_THROUGHPUT: return list ? NAN : row->throughput_Bps;
    case FS_FIG_SUCCESS: return (double) row->success;
    case FS_FIG_FAIL: return (double) row->fail;
    case FS_FIG_SERVER_SUCCESS: return counter (row, row->server_success);
    case FS_FIG_SERVER_FAIL: return counter (row, row->server_fail);
    case FS_FIG_AGGREGATE: return list ? NAN : row->aggregate_Bps;
    case FS_FIG_TOTAL_TIME: return row->total_time_s;
    case FS_FIG_P50: return row->p50_ms;
    case FS_FIG_P90: return row->p90_ms;
    case FS_FIG_P99: return row->p99_ms;
    case FS_FIG_MAX: return row->max_ms;
    case FS_FIG_WORKER_RESTARTS: return counter (row, row->worker_restarts);
    case FS_FIG_OPS_PER_S:
      /* The pool's, over the measured window; a pool from before it said
       * gives the successes over the total time. */
      if (row->has_window)
        return row->ops_per_s;
      return row->total_time_s > 0 ? (double) row->success / row->total_time_s : NAN;
    case FS_FIG_SERVER_CPU: return cost (row, row->server.cpu_s);
    case FS_FIG_SERVER_CPU_PER_MIB:
      return list || mib <= 0 ? NAN : cost (row, row->server.cpu_s * 1000 / mib);
    case FS_FIG_SERVER_CPU_PER_KOP:
      return !list || row->success == 0 ? NAN
             : cost (row, row->server.cpu_s * 1000 / ((double) row->success / 1000));
    case FS_FIG_SERVER_PSS: return cost (row, (double) row->server.pss_kib);
    case FS_FIG_SERVER_RSS: return cost (row, (double) row->server.rss_kib);
    case FS_FIG_SERVER_HWM_MAX: return cost (row, (double) row->server.hwm_max_kib);
    case FS_FIG_SERVER_HWM_SUM: return cost (row, (double) row->server.hwm_sum_kib);
    case FS_FIG_SERVER_MEM_PER_CLIENT:
      return cost (row, (double) row->server.pss_kib / MAX (row->scenario.client_pool, 1));
    case FS_FIG_SERVER_CTX_VOLUNTARY: return cost (row, (double) row->server.ctx_voluntary);
    case FS_FIG_SERVER_CTX_INVOLUNTARY:
      return cost (row, (double) row->server.ctx_involuntary);
    case FS_FIG_SERVER_PROCESSES: return cost (row, (double) row->server.processes);
    case FS_FIG_SERVER_THREADS: return cost (row, (double) row->server.threads);
    case FS_FIG_POOL_CPU: return row->pool_cpu_s >= 0 ? row->pool_cpu_s : NAN;
    case FS_FIG_POOL_PEAK_RSS:
      return row->pool_peak_rss_kib > 0 ? (double) row->pool_peak_rss_kib : NAN;
    case FS_FIG_CLIENT_TIME_MIN: return row->client_time_min_s;
    case FS_FIG_CLIENT_TIME_P50: return row->client_time_p50_s;
    case FS_FIG_CLIENT_TIME_MAX: return row->client_time_max_s;
    case FS_FIG_OPERATIONS: return (double) row->operations;
    case FS_FIG_WINDOW: return row->has_window ? row->window_s : NAN;
    case FS_FIG_AVG_OP_TIME: return row->has_window ? row->avg_op_time_s : NAN;
    case FS_FIG_WARMUP_OPERATIONS: return (double) row->warmup_operations;
    case FS_FIG_WARMUP_FAIL: return (double) row->warmup_fail;
    case FS_FIG_CAPACITY: return row->searched ? row->capacity : NAN;
    case FS_N_FIGURES:
    default:
      return NAN;
    }
}

/* ------------------------------------------------------- a scenario */

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
fs_median (double *v, guint n)
{
  guint k = 0;

  for (guint i = 0; i < n; i++)
    if (!isnan (v[i]))
      v[k++] = v[i];
  if (k == 0)
    return NAN;
  qsort (v, k, sizeof *v, compare_doubles);
  return k % 2 == 1 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

void
fs_scenario_result_init (FsScenarioResult *sr, const FsScenario *scenario, gboolean quick)
{
  memset (sr, 0, sizeof *sr);
  sr->scenario = *scenario;
  sr->quick = quick;
  for (guint f = 0; f < FS_N_FIGURES; f++)
    sr->median[f] = sr->min[f] = sr->max[f] = NAN;
}

void
fs_scenario_result_clear (FsScenarioResult *sr)
{
  for (guint i = 0; i < sr->n_runs; i++)
    fs_result_row_clear (&sr->runs[i]);
  g_clear_pointer (&sr->runs, g_free);
  sr->n_runs = 0;
}

static void
recompute (FsScenarioResult *sr)
{
  g_autofree double *v = g_new (double, MAX (sr->n_runs, 1));
  /* The passed runs speak for the scenario; a scenario none of whose
   * runs passed still shows what its runs measured. */
  gboolean only_passed = sr->runs_passed > 0;

  sr->verified = TRUE;
  for (guint i = 0; i < sr->n_runs; i++)
    if (!only_passed || !fs_result_row_failed (&sr->runs[i]))
      sr->verified = sr->verified && sr->runs[i].verified;
  for (guint f = 0; f < FS_N_FIGURES; f++)
    {
      guint n = 0;

      for (guint i = 0; i < sr->n_runs; i++)
        if (!only_passed || !fs_result_row_failed (&sr->runs[i]))
          {
            double x = fs_result_row_figure (&sr->runs[i], (FsFigure) f);
            if (!isnan (x))
              v[n++] = x;
          }
      /* Sorted by fs_median(), so the ends are the extremes. */
      sr->count[f] = n;
      sr->median[f] = fs_median (v, n);
      sr->min[f] = n > 0 ? v[0] : NAN;
      sr->max[f] = n > 0 ? v[n - 1] : NAN;
    }
}

void
fs_scenario_result_add (FsScenarioResult *sr, FsResultRow *row)
{
  sr->runs = g_renew (FsResultRow, sr->runs, sr->n_runs + 1);
  sr->runs[sr->n_runs++] = *row;
  memset (row, 0, sizeof *row);
  sr->runs_passed = 0;
  for (guint i = 0; i < sr->n_runs; i++)
    if (!fs_result_row_failed (&sr->runs[i]))
      sr->runs_passed++;
  recompute (sr);
}

gboolean
fs_scenario_result_failed (const FsScenarioResult *sr)
{
  return sr->runs_passed < sr->n_runs;
}

char *
fs_scenario_result_error (const FsScenarioResult *sr)
{
  for (guint i = 0; i < sr->n_runs; i++)
    if (fs_result_row_failed (&sr->runs[i]))
      return g_strdup_printf ("run %u: %s", sr->runs[i].round,
                              sr->runs[i].error ? sr->runs[i].error : "failed");
  return NULL;
}
