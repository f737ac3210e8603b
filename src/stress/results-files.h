/* results-files.h: filestorm-stress's results files.
 *
 * A run writes DIR/orchestrator_results_<YYYYmmdd_HHMMSS>.csv, one row
 * per scenario holding the medians over its runs, and the .json beside
 * it, one document: the program, the machine, the run, every scenario
 * with every run's figures, and the verdict (filestorm-results(5)). Both
 * are rewritten whole, atomically, after every run of a scenario, so a
 * run killed at any moment leaves both valid and holding every run that
 * finished. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "machine.h"
#include "results.h"
#include "verdict.h"

G_BEGIN_DECLS

/* What the results say about the run as a whole. */
typedef struct {
  const char      *command;      /* the command line as given */
  const FsMachine *machine;
  GDateTime       *started;
  guint32          seed;
  guint            runs;
  const char      *matrix_file;  /* a path, or "the built-in default matrix" */
  const FsMatrix  *matrix;       /* as resolved: after the --mode... filters */
  gboolean         quick;
  double           scale;
  const char      *server_command;  /* (nullable) --server-command's template */
  const char      *target;          /* (nullable) --target's HOST:PORT */
  const char      *launcher;        /* (nullable) --launcher's template */
  guint            ranks;           /* what {ranks} stood for (--ranks, or 1);
                                     * 0 when the launcher has no {ranks} */
} FsRunInfo;

/* The version of the JSON document's layout, in filestorm.results_format. */
/* 3: the client mode (client_mode), an axis of its own; 2 and before,
 * the client pool's model followed the server's (filestorm-results(5)). */
#define FS_RESULTS_FORMAT 3

typedef struct _FsResults FsResults;

/* Creates DIR (and parents) and the two files; scenarios (FsScenario, in
 * matrix order) are the ones the run will measure. Never overwrites
 * earlier results: when the name is taken (two runs started in the same
 * second) it adds -2, -3 and so on. */
FsResults  *fs_results_open   (const char *dir, const FsRunInfo *info, GArray *scenarios,
                               GError **error);
/* Adds a run (taking row's contents) to its scenario and rewrites both
 * files. */
gboolean    fs_results_add    (FsResults *results, FsResultRow *row, GError **error);
/* Ends the run: the verdict, the end time, and whether it was complete. */
gboolean    fs_results_finish (FsResults *results, gboolean complete, GError **error);

/* The scenarios, in matrix order, and how many there are. */
FsScenarioResult *fs_results_scenarios (FsResults *results, guint *n);
/* NULL before fs_results_finish(). */
const FsVerdict  *fs_results_verdict   (FsResults *results);
const char *fs_results_csv_path  (FsResults *results);
const char *fs_results_json_path (FsResults *results);
void        fs_results_free      (FsResults *results);

/* The CSV header line, without line end. It starts with the original
 * tool's ten columns: timestamp,mode,server_pool,operation,volume,
 * client_pool,avg_time_s,throughput_Bps,success,fail; then filestorm's. */
const char *fs_results_csv_header (void);
/* One scenario's CSV record, without line end, quoted as RFC 4180 says. */
char       *fs_results_csv_record (const FsScenarioResult *sr);
JsonNode   *fs_scenario_result_to_json (const FsScenarioResult *sr);

/* The closing table (results-table.c): thread rows next to their process
 * twins, by operation, volume and client pool; at most 100 columns. */
void fs_results_print_table (const FsScenarioResult *results, guint n,
                             const FsVerdict *verdict, FILE *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsResults, fs_results_free)

G_END_DECLS
