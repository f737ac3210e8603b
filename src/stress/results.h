/* results.h: filestorm-stress's results.
 *
 * A run of a scenario gives one FsResultRow; a scenario measured K times
 * gathers its runs in an FsScenarioResult, which holds the median, the
 * minimum and the maximum of every figure over them. The files (CSV and
 * JSON, results-files.c), the closing table (results-table.c) and the
 * verdict (verdict.c) are drawn from those. */
#pragma once

#include <stdio.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "client.h"
#include "cost.h"
#include "scenario.h"

G_BEGIN_DECLS

/* How a run's server ended when it was stopped. */
typedef enum {
  FS_SERVER_STOP_UNKNOWN,  /* not ours to stop (--target), or never started */
  FS_SERVER_STOP_EXITED,   /* it exited within the grace after SIGTERM */
  FS_SERVER_STOP_KILLED,   /* it did not, and was killed with SIGKILL */
} FsServerStop;

/* One run of one scenario. */
typedef struct {
  FsScenario scenario;
  gboolean   quick;            /* volumes are KiB */
  guint      round;            /* 1-based: which of the K rounds */
  char      *timestamp;        /* (owned) "YYYY-mm-dd HH:MM:SS", local, at the end */
  /* From the pool's JSON; all zero when the scenario could not run. */
  double     avg_time_s;
  double     throughput_Bps;   /* per client; 0 for list */
  double     aggregate_Bps;    /* 0 for list */
  double     total_time_s;
  guint64    success;
  guint64    fail;
  double     p50_ms, p90_ms, p99_ms, max_ms;
  double     client_time_min_s, client_time_p50_s, client_time_max_s;
  /* The steady state (filestorm-pool(1) STEADY STATE): duration_s 0
   * with a fixed count; the pool's figures are over the measured
   * operations, those that ended in the warm-up counted apart.
   * has_window: the pool gave window_s, ops_per_s and avg_op_time_s (an
   * older pool, or a row made otherwise, did not). */
  gboolean   has_window;
  double     duration_s, warmup_s;
  guint64    operations;        /* measured: success + fail */
  double     window_s;          /* the measured window */
  double     ops_per_s;         /* successes over the window */
  double     offered_ops_per_s; /* an open loop's: due over the duration; 0 closed */
  double     avg_op_time_s;     /* mean latency of the measured operations */
  guint64    warmup_operations;
  guint64    warmup_fail;
  /* The failed operations by kind (client.h), and those of clients
   * that crashed. */
  guint64    errors[FS_CLIENT_N_ERRORS];
  guint64    crashed;
  gboolean   verified;
  guint64    volume_bytes;     /* bytes per transfer */
  /* Differences of the server's STATS over the pool's run, the
   * orchestrator's own STATS connections left out; when server_counters
   * is FALSE (a server without STATS) they are unknown, not zero. */
  gboolean   server_counters;
  guint64    server_success;   /* workers_ok */
  guint64    server_fail;      /* workers_failed */
  guint64    worker_restarts;
  /* What the run cost, over the pool's run (cost.h). */
  FsCost     server;
  double     pool_cpu_s;       /* < 0: not known */
  guint64    pool_peak_rss_kib;
  FsMode     pool_mode;        /* the model the pool's clients ran, as its JSON
                                * says (else as it was asked) */
  guint      ranks;            /* the pool's MPI ranks (its JSON's "ranks", else
                                * those it was started over); 1: filestorm-pool,
                                * one process; 0: not known */
  char      *error;            /* (owned) (nullable) why the run failed */
  /* How the server stopped (not known for --target, nor when it did not
   * start); killed_after_s: from SIGTERM to SIGKILL. */
  FsServerStop server_stop;
  double     server_killed_after_s;
  /* A capacity search (search.h): the figures above are those of its
   * last step that met the objective (the confirmation at the capacity,
   * when it held); steps holds every step, FsSearchStep. */
  gboolean   searched;
  FsSlo      slo;               /* the objective it searched under */
  double     capacity;          /* ops/s; 0 when no rate met the objective */
  gboolean   capacity_confirmed;
  GArray    *steps;             /* (owned) (nullable) */
} FsResultRow;

void     fs_result_row_clear  (FsResultRow *row);
/* server_stop as the JSON says it: "exited", "killed after 5.0 s", or
 * NULL when not known (owned). */
char    *fs_result_row_server_stop (const FsResultRow *row);
/* A failure of any kind: a client, the server, or the run itself. */
gboolean fs_result_row_failed (const FsResultRow *row);

/* Every figure a run measures, in the order of the files. Each has a
 * median (and a minimum and maximum) over a scenario's runs. A figure
 * that does not apply to a run (a rate for list, the cost when /proc
 * could not be read) is NaN there and left out of the median. */
typedef enum {
  FS_FIG_AVG_TIME,          /* avg_time_s: time per client */
  FS_FIG_THROUGHPUT,        /* throughput_Bps: per client, the original's */
  FS_FIG_SUCCESS,
  FS_FIG_FAIL,
  FS_FIG_SERVER_SUCCESS,
  FS_FIG_SERVER_FAIL,
  FS_FIG_AGGREGATE,         /* aggregate_Bps */
  FS_FIG_TOTAL_TIME,
  FS_FIG_P50,
  FS_FIG_P90,
  FS_FIG_P99,
  FS_FIG_MAX,
  FS_FIG_WORKER_RESTARTS,
  FS_FIG_OPS_PER_S,         /* successful operations / the measured window */
  FS_FIG_SERVER_CPU,        /* server_cpu_s */
  FS_FIG_SERVER_CPU_PER_MIB,  /* ms per MiB moved; transfers */
  FS_FIG_SERVER_CPU_PER_KOP,  /* ms per 1,000 operations; list */
  FS_FIG_SERVER_PSS,        /* server_pss_kib: peak, summed */
  FS_FIG_SERVER_RSS,        /* server_rss_kib: summed, in the same sample */
  FS_FIG_SERVER_HWM_MAX,
  FS_FIG_SERVER_HWM_SUM,
  FS_FIG_SERVER_MEM_PER_CLIENT,  /* server_pss_kib / client pool */
  FS_FIG_SERVER_CTX_VOLUNTARY,
  FS_FIG_SERVER_CTX_INVOLUNTARY,
  FS_FIG_SERVER_PROCESSES,
  FS_FIG_SERVER_THREADS,
  FS_FIG_POOL_CPU,
  FS_FIG_POOL_PEAK_RSS,
  FS_FIG_CLIENT_TIME_MIN,   /* client_time_min_s: the fastest client's time */
  FS_FIG_CLIENT_TIME_P50,   /* the median client's */
  FS_FIG_CLIENT_TIME_MAX,   /* the slowest client's */
  /* Last, so that the older figures keep their places. */
  FS_FIG_OPERATIONS,        /* measured operations */
  FS_FIG_WINDOW,            /* window_s: the measured window */
  FS_FIG_AVG_OP_TIME,       /* avg_op_time_s: one operation of one client */
  FS_FIG_WARMUP_OPERATIONS,
  FS_FIG_WARMUP_FAIL,
  FS_FIG_CAPACITY,          /* capacity_ops_per_s: under the objective; searched only */
  FS_N_FIGURES
} FsFigure;

/* The figure's name in the files ("aggregate_Bps"). */
const char *fs_figure_name      (FsFigure fig);
/* Whether it is a count (printed without decimals when whole). */
gboolean    fs_figure_is_count  (FsFigure fig);
double      fs_result_row_figure (const FsResultRow *row, FsFigure fig);

/* A scenario and its runs so far. */
typedef struct {
  FsScenario   scenario;
  gboolean     quick;
  FsResultRow *runs;          /* (owned) in the order they ran */
  guint        n_runs;
  guint        runs_passed;
  /* Over the passed runs, or over every run when none passed; NaN for a
   * figure that no counted run has. */
  double       median[FS_N_FIGURES];
  double       min[FS_N_FIGURES];
  double       max[FS_N_FIGURES];
  guint        count[FS_N_FIGURES];  /* the values each figure was taken over */
  gboolean     verified;      /* every counted run verified */
} FsScenarioResult;

void        fs_scenario_result_init  (FsScenarioResult *sr, const FsScenario *scenario,
                                      gboolean quick);
void        fs_scenario_result_clear (FsScenarioResult *sr);
/* Takes row's contents (row is zeroed) and recomputes the figures. */
void        fs_scenario_result_add   (FsScenarioResult *sr, FsResultRow *row);
gboolean    fs_scenario_result_failed (const FsScenarioResult *sr);
/* The first failed run's error, "run 2: ..." (owned), or NULL. */
char       *fs_scenario_result_error (const FsScenarioResult *sr);
/* The ranks its pool ran over: the most of its runs' (1 for
 * filestorm-pool); 0 when not known (no run yet, or pools that failed
 * before saying, started by a launcher without {ranks}). */
guint       fs_scenario_result_ranks (const FsScenarioResult *sr);
/* The figure the verdict ranks by: aggregate_Bps, ops_per_s for list. */
FsFigure    fs_scenario_speed_figure (const FsScenario *scenario);
/* The same for measured runs: the capacity when they searched for it. */
FsFigure    fs_scenario_result_speed_figure (const FsScenarioResult *sr);
/* The server CPU figure: per MiB, per 1,000 operations for list. */
FsFigure    fs_scenario_cpu_figure   (const FsScenario *scenario);

/* The order operations are shown in, as in the default matrix: upload,
 * download, list. */
guint       fs_operation_rank (FsOperation op);

/* Orders scenarios by client mode, idle connections, operation (fs_operation_rank()),
 * transfer, volume, client pool and server pool, the (server's) mode left
 * out: twins compare equal. */
int         fs_scenario_compare_twins (const FsScenario *a, const FsScenario *b);

/* A member holding a number, or null for NaN and infinity, which JSON
 * does not have. */
void        fs_json_add_number (JsonBuilder *b, const char *name, double v);

/* The median of n values, NaN left out; NaN if none is left. Sorts v. */
double      fs_median (double *v, guint n);

/* "MiB" or "KiB". */
const char *fs_volume_unit (gboolean quick);

G_END_DECLS
