/* results.h: filestorm-stress's results: one row per scenario, written to
 * a CSV file (RFC 4180) and a JSON file beside it as each scenario ends,
 * so an interrupted run keeps every finished row; and the closing table. */
#pragma once

#include <stdio.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "scenario.h"

G_BEGIN_DECLS

typedef struct {
  FsScenario scenario;
  gboolean   quick;            /* volumes are KiB */
  char      *timestamp;        /* (owned) "YYYY-mm-dd HH:MM:SS", local, at the end */
  /* From the pool's JSON; all zero when the scenario could not run. */
  double     avg_time_s;
  double     throughput_Bps;   /* 0 for list */
  double     aggregate_Bps;    /* 0 for list */
  double     total_time_s;
  guint64    success;
  guint64    fail;
  double     p50_ms, p90_ms, p99_ms, max_ms;
  gboolean   verified;
  guint64    volume_bytes;     /* bytes per transfer */
  /* Differences of the server's STATS over the pool's run, the
   * orchestrator's own STATS connections left out. */
  guint64    server_success;   /* workers_ok */
  guint64    server_fail;      /* workers_failed */
  guint64    worker_restarts;
  char      *error;            /* (owned) (nullable) why the scenario failed to run */
} FsResultRow;

void     fs_result_row_clear  (FsResultRow *row);
/* A failure of any kind: a client, the server, or the scenario itself. */
gboolean fs_result_row_failed (const FsResultRow *row);

typedef struct _FsResults FsResults;

/* Creates DIR (and parents) and DIR/orchestrator_results_<YYYYmmdd_HHMMSS>.csv
 * (the time given, local) with its header, and the .json beside it. */
FsResults  *fs_results_open  (const char *dir, GDateTime *started, GError **error);
/* Appends a row to the CSV and flushes it to disk, and rewrites the JSON
 * file (atomically) with every row so far. */
gboolean    fs_results_add   (FsResults *results, const FsResultRow *row, GError **error);
const char *fs_results_csv_path  (FsResults *results);
const char *fs_results_json_path (FsResults *results);
void        fs_results_free  (FsResults *results);

/* The CSV header line, without line end. It starts with the original
 * tool's columns: timestamp,mode,server_pool,operation,volume,client_pool,
 * avg_time_s,throughput_Bps,success,fail; then filestorm's own. */
const char *fs_results_csv_header (void);
/* One CSV record, without line end, fields quoted as RFC 4180 requires. */
char       *fs_results_csv_record (const FsResultRow *row);
JsonNode   *fs_result_row_to_json (const FsResultRow *row);

/* The closing table, in the original's style:
 * Mode | Op | Vol | CliPool | SrvPool | Avg(s) | Thrpt | Suc/Fal */
void fs_results_print_table (FsResultRow *rows, guint n, FILE *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsResults, fs_results_free)

G_END_DECLS
