/* stress.h: filestorm-stress's runner: one scenario against a real
 * server it starts itself, measured by the real client pool. */
#pragma once

#include <gio/gio.h>

#include "results-files.h"
#include "scenario.h"

G_BEGIN_DECLS

typedef struct {
  char    *server_path;  /* (owned) filestorm-server beside this program */
  char    *pool_path;    /* (owned) filestorm-pool beside this program */
  gboolean quick;        /* volumes are KiB */
  guint    timeout;      /* the pool's --timeout */
  guint    repeat;       /* the pool's --repeat; 0 with a duration */
  double   duration;     /* the pool's --duration, seconds; 0: --repeat */
  double   warmup;       /* the pool's --warmup, with a duration */
  char    *server_command;  /* (owned) (nullable) --server-command's template */
  guint    start_timeout;   /* seconds for a command's server to take connections */
  guint    stop_grace;      /* seconds between SIGTERM and SIGKILL of a command's */
  char    *target_host;     /* (owned) (nullable) --target: a server already running */
  guint    target_port;
  /* (owned) (nullable) --launcher's words, {ranks} replaced: the pool is
   * then filestorm-pool-mpi, started by them. */
  char   **launcher;
  /* The ranks a scenario's pool is started over: 1 without a launcher,
   * 0 (not known until the pool says) with one whose template has no
   * {ranks}. */
  guint    ranks;
  gboolean allow_remote;  /* --allow-remote: passed on to filestorm-pool-mpi */
  /* A capacity search per run (--slo): from search_start ops/s, each step
   * an open-loop pool (--rate) of duration after warmup. */
  gboolean search;
  FsSlo    slo;
  double   search_start;
  FsArrival arrival;      /* the steps' arrivals (--arrival) */
} FsStressConfig;

void fs_stress_config_clear (FsStressConfig *config);

/* Finds filestorm-server and filestorm-pool (filestorm-pool-mpi with a
 * launcher) in the directory of the running program (the build tree's
 * src/, or the installed bin/): never through PATH, so the programs
 * measured are the ones built or installed together.  The launcher's own
 * program is looked for in PATH, as it will be started. */
gboolean fs_stress_find_programs (FsStressConfig *config, GError **error);

/* --launcher's template split into words as a shell would, with {ranks}
 * replaced by ranks; FS_ERROR_USAGE when it does not split, or holds no
 * {ranks} although ranks_given (--ranks would then be a number the results
 * show but the launcher never used).  *started is set to the ranks the
 * pools will be started over: ranks, or 0 (unknown) without {ranks}. */
char   **fs_stress_launcher_argv (const char *template, guint ranks, gboolean ranks_given,
                                  guint *started, GError **error);

/* FS_ERROR_USAGE when a scenario's client pool is smaller than the ranks
 * it would be split over (filestorm-pool-mpi gives each rank a client at
 * least); the message names the smallest such pool. */
gboolean fs_stress_check_ranks (const FsStressConfig *config, const GArray *scenarios,
                                GError **error);

/* Checks that the directory the servers' roots go in ($TMPDIR, else
 * /tmp) exists and takes a new directory; returns its path. */
char    *fs_stress_check_tmpdir (GError **error);

/* --slo-start (text, NULL: not given) into *start, 10 by default: a
 * number of operations per second above 0 and up to the pool's largest
 * rate; FS_ERROR_USAGE for a bad one, or one given without an objective
 * (search FALSE). */
gboolean fs_stress_search_start (const char *text, gboolean search, double *start,
                                 GError **error);
/* --arrival (text, NULL: not given, uniform) into *arrival; the same
 * errors as fs_stress_search_start(). */
gboolean fs_stress_search_arrival (const char *text, gboolean search, FsArrival *arrival,
                                   GError **error);
/* The line that says, before a search starts, how long it may take
 * (owned): every run is a search of a number of steps that depends on
 * the capacity, each step a pool of the warm-up and the duration. */
char    *fs_stress_search_estimate (const FsStressConfig *config, guint scenarios, guint runs);

/* What a scenario learns about the server for the scenarios after it. */
typedef struct {
  /* A --server-command or --target server gave no counters (no STATS,
   * or no answer to it in time): the rest of the run does not ask, so a
   * server silent on STATS costs one wait, not one per scenario.
   * filestorm-server is always asked. */
  gboolean no_stats;
} FsStressMemo;

/* Runs one scenario once, as part of round (1-based), and fills row
 * (row->error says why it failed). The
 * server is started on 127.0.0.1 port 0 with a fresh root, STATS is read
 * before and after the pool (unless memo says there is none), and the server is stopped with SIGTERM and
 * checked to be gone with all its workers. Cancelling interrupt stops the
 * pool and the server at once; the function then returns FALSE, unless the
 * pool had already finished (the row is then complete). */
gboolean fs_stress_run_scenario (const FsStressConfig *config, const FsScenario *scenario,
                                 guint round, FsStressMemo *memo, GCancellable *interrupt,
                                 FsResultRow *row);

G_END_DECLS

G_BEGIN_DECLS

typedef struct {
  guint        n_runs;       /* runs that finished */
  guint        n_failed;     /* scenarios with a failed run */
  gboolean     interrupted;
  char        *write_error;  /* (owned) (nullable) the results could not be written */
  double       elapsed_s;
} FsStressOutcome;

void fs_stress_outcome_clear (FsStressOutcome *outcome);

/* "01:05", "1:02:03"; "00:00" for a negative time. */
char  *fs_stress_clock_text (double seconds);

/* The order of round (1-based) of runs: every scenario index 0..n-1 once,
 * shuffled by a generator seeded with seed and advanced through the
 * rounds before it, so a seed always gives the same order. */
guint *fs_stress_round_order (guint32 seed, guint round, guint n);

/* Runs every scenario `runs` times, in rounds that each visit every
 * scenario once in the order fs_stress_round_order() gives, adding each
 * run to results as it ends. Progress goes to out: on a terminal a live
 * line (round k/K, run i/N, what is running, elapsed time and ETA),
 * otherwise one plain line per run. Stops early when interrupt is
 * cancelled. */
void fs_stress_run_all (const FsStressConfig *config, GArray *scenarios, guint runs,
                        guint32 seed, FsResults *results, FILE *out, gboolean live,
                        GCancellable *interrupt, FsStressOutcome *outcome);

G_END_DECLS
