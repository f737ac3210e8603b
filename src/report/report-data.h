/* report-data.h: a results JSON of filestorm-stress, read back for
 * filestorm-report.
 *
 * fs_report_run_load() checks that a file is filestorm results of the
 * format this filestorm writes (filestorm-results(5)) and keeps what the
 * report shows: the run's metadata, every scenario's medians, minima and
 * maxima, its failures by kind, and the verdict's lines. */
#pragma once

#include <glib.h>

#include "client.h"
#include "results.h"
#include "scenario.h"
#include "search.h"

G_BEGIN_DECLS

#define FS_REPORT_ERROR (fs_report_error_quark ())
GQuark fs_report_error_quark (void);

typedef enum {
  FS_REPORT_ERROR_INPUT,      /* unreadable, not JSON, or not filestorm results */
  FS_REPORT_ERROR_FORMAT,     /* filestorm results of another format */
  FS_REPORT_ERROR_USAGE,      /* a file written beside the results given instead */
  FS_REPORT_ERROR_OUTPUT,     /* the output directory cannot be written */
  FS_REPORT_ERROR_GNUPLOT,    /* gnuplot failed on a chart */
} FsReportError;

/* The failures of a scenario's runs by kind: the pool's error kinds, the
 * operations of crashed clients, and runs that failed without a failed
 * operation (the server did not start, a worker died, ...). */
enum {
  FS_REPORT_FAIL_CRASHED = FS_CLIENT_N_ERRORS,
  FS_REPORT_FAIL_RUN,
  FS_REPORT_N_FAILS
};
const char *fs_report_fail_name (guint kind);

typedef struct {
  FsScenario scenario;        /* index is its place in the file, from 1 */
  char      *volume_unit;     /* (owned) "MiB" or "KiB" */
  guint64    volume_bytes;
  guint      runs_done;
  guint      runs_passed;
  gboolean   verified;
  char      *error;           /* (owned) (nullable) */
  double     median[FS_N_FIGURES];  /* NaN: null or absent */
  double     min[FS_N_FIGURES];
  double     max[FS_N_FIGURES];
  guint64    fails[FS_REPORT_N_FAILS];  /* summed over the runs */
  guint      ranks;           /* its pool's MPI ranks; 1 (one process) when
                               * absent, 0 when null (not known) */
  /* A capacity search's steps, of every run, FsSearchStep; NULL when its
   * runs did not search. */
  GArray    *steps;           /* (owned) (nullable) */
} FsReportScenario;

typedef struct {
  char             *path;        /* (owned) as given */
  char             *file;        /* (owned) its base name, made printable */
  char             *label;       /* (owned) set by the caller */
  char             *version;     /* (owned) filestorm's */
  char             *command;     /* (owned) (nullable) */
  char             *cpu_model;   /* (owned) (nullable) */
  gint64            cores;       /* 0: not known */
  double            ram_bytes;   /* 0: not known */
  char             *kernel;      /* (owned) (nullable) */
  char             *os;          /* (owned) (nullable) */
  char             *roots_fs;    /* (owned) (nullable) */
  double            load1;       /* NaN: not known */
  gboolean          busy;
  char             *started;     /* (owned) (nullable) ISO 8601, UTC */
  char             *ended;       /* (owned) (nullable) */
  gboolean          complete;
  gint64            seed;        /* -1: not known */
  guint             runs;
  gboolean          quick;
  double            scale;
  char             *matrix_file; /* (owned) (nullable) */
  char             *launcher;    /* (owned) (nullable) --launcher's template */
  /* The runs searched capacities under slo (the matrix's). */
  gboolean          searched;
  FsSlo             slo;
  FsReportScenario *scenarios;   /* (owned) in the file's order */
  guint             n_scenarios;
  char             *verdict_rule;   /* (owned) (nullable) */
  GStrv             conclusions;    /* (owned) (nullable) */
  /* The verdict's answer: a line per operation and client count (which
   * model, which pool is enough, what limited the measurement); NULL in
   * results written before it. Entries that are not strings are left out. */
  GStrv             answer;         /* (owned) (nullable) */
  gboolean          has_client_times;  /* the file has client_time_* */
  /* results format 2: measured the old way, the client pool's model
   * following the server's (every scenario's client mode is same) */
  gboolean          old_way;
} FsReportRun;

/* Reads PATH. Errors name the file: FS_REPORT_ERROR_INPUT for a file that
 * cannot be read or is not filestorm results, FS_REPORT_ERROR_FORMAT for
 * results of another format (such as filestorm 0.1.0's array of rows),
 * FS_REPORT_ERROR_USAGE for a file written beside the results (the CSV,
 * the text summary, a report page), naming the results to give instead. */
FsReportRun *fs_report_run_load (const char *path, GError **error);
/* The same on len bytes of data read from path (which only names it). */
FsReportRun *fs_report_run_load_data (const char *data, gsize len, const char *path,
                                      GError **error);
void         fs_report_run_free (FsReportRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsReportRun, fs_report_run_free)

/* "AMD EPYC, 2 cores, 23.5 GiB RAM" (owned), or "an unknown machine". */
char *fs_report_run_machine (const FsReportRun *run);
/* "2026-12-02 18:39 UTC" (owned), from started, or NULL. */
char *fs_report_run_date (const FsReportRun *run);
/* text as valid UTF-8 with every control character (a line end, ...)
 * made a space: fit for a label, a comment line or a page. */
char *fs_report_printable (const char *text);

/* The scenario of run with the same mode, operation, volume in bytes,
 * client pool and server pool as s, or NULL. */
const FsReportScenario *fs_report_run_find (const FsReportRun *run,
                                            const FsReportScenario *s);
/* The label of a scenario in charts and tables: "thread upload 10 MiB
 * c50 s5" (owned). */
char *fs_report_scenario_label (const FsReportScenario *s);

/* The figure a scenario's speed is: its capacity when it searched for
 * one, else aggregate_Bps, ops_per_s for list. */
FsFigure fs_report_speed_figure (const FsReportScenario *s);

/* The unit the report shows a figure in ("MiB/s" for aggregate_Bps,
 * "MiB" for server_pss_kib, ...), and in *factor what turns the file's
 * value into it. */
const char *fs_report_figure_unit (FsFigure fig, double *factor);

G_END_DECLS
