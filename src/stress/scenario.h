/* scenario.h: the scenario matrix of filestorm-stress.
 *
 * A matrix is a GKeyFile (data/scenarios.conf, format in
 * filestorm-scenarios(5)): lists of modes, operations, volumes, client
 * pools and server pools; every combination is one scenario. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "pool.h"
#include "search.h"

G_BEGIN_DECLS

/* The client pool's model: an axis of its own, so that both server
 * models can be loaded by the same generator (DESIGN.md's first rule).
 * The first two have FsMode's values; SAME follows the server's mode, as
 * the original tool did (thread for an event server: see
 * fs_scenario_pool_mode()). */
typedef enum {
  FS_CLIENT_THREAD = FS_MODE_THREAD,
  FS_CLIENT_PROCESS = FS_MODE_PROCESS,
  FS_CLIENT_SAME,
} FsClientMode;

#define FS_CLIENT_N_MODES 3

/* "thread", "process" or "same"; anything else is FS_ERROR_USAGE. */
gboolean    fs_client_mode_parse (const char *text, FsClientMode *mode, GError **error);
const char *fs_client_mode_name  (FsClientMode mode);

typedef struct {
  guint        index;        /* 1-based, in matrix order */
  FsMode       mode;         /* the server's */
  FsOperation  operation;
  double       volume;       /* as listed (MiB, or KiB when quick) */
  double       volume_mb;    /* what the pool is asked for, in MiB */
  guint        client_pool;
  guint        server_pool;
  FsTransfer   transfer;     /* base64 for list, which moves no content */
  /* Last, so that a scenario written out without them has the default. */
  FsClientMode client_mode;  /* the pool's (fs_scenario_pool_mode()) */
  /* Connections the pool holds open without a request for the whole run
   * (filestorm-pool --idle-connections); 0: none. */
  guint        idle;
} FsScenario;

typedef struct {
  GArray *modes;         /* FsMode */
  GArray *client_modes;  /* FsClientMode; optional in the file, default thread */
  GArray *idles;         /* guint: idle connections; optional in the file, default 0 */
  GArray *operations;    /* FsOperation */
  GArray *transfers;     /* FsTransfer; optional in the file, default base64 */
  GArray *volumes;       /* double */
  GArray *client_pools;  /* guint */
  GArray *server_pools;  /* guint */
  guint   timeout;       /* [run] timeout, seconds */
  guint   repeat;        /* [run] repeat; 0 when duration is in force */
  /* [run] duration and warmup, seconds: each client repeats its operation
   * for duration after warmup (filestorm-pool --duration, --warmup); 0:
   * not in force, the fixed count of repeat is. The two exclude each
   * other. */
  double  duration;
  double  warmup;
  guint   runs;          /* [run] runs: times every scenario is measured */
  /* [run] slo (or --slo): each run searches the scenario's capacity
   * under this objective (search.h) instead of measuring one closed
   * loop; needs a duration. */
  gboolean search;
  FsSlo    slo;
} FsMatrix;

/* The most scenarios a matrix may hold: days of measuring already, and
 * far from what the expansion's memory and counters can take. */
#define FS_MATRIX_MAX_SCENARIOS 100000
/* The longest [run] duration and warmup, as filestorm-pool's. */
#define FS_MATRIX_MAX_SECONDS 86400.0
/* The most runs of each scenario: [run] runs and --runs. */
#define FS_MATRIX_MAX_RUNS 1000

/* Loads a matrix file; every key of [matrix] is required and checked
 * (FS_ERROR_USAGE names the file, the key and the bad value), and the
 * whole holds at most FS_MATRIX_MAX_SCENARIOS scenarios. */
FsMatrix *fs_matrix_load      (const char *path, GError **error);
/* The same from text (the default matrix compiled into the program). */
FsMatrix *fs_matrix_load_data (const char *data, gsize len, const char *name,
                               GError **error);
void      fs_matrix_free      (FsMatrix *matrix);

/* Parses a number of seconds for [run] duration (zero FALSE) and warmup
 * (zero TRUE), and for --duration and --warmup: a dot as the decimal
 * separator, positive (or zero when zero), at most FS_MATRIX_MAX_SECONDS.
 * On failure returns the reason ("not a positive number of seconds up to
 * 86400"), for the caller to name the value where its message wants it. */
char     *fs_matrix_parse_seconds (const char *text, gboolean zero, double *out);

/* --quick's steady state, unless the command line says otherwise: three
 * runs a side, the fewest the comparison (compare.h) calls anything on
 * with a margin, of a short window after a shorter warm-up; the whole
 * default matrix then takes about a minute (filestorm-stress(1)). */
#define FS_QUICK_RUNS 3
#define FS_QUICK_DURATION 0.08
#define FS_QUICK_WARMUP 0.02

/* Applies the command line's steady state to the matrix: repeat (0: not
 * given), and the texts of --duration and --warmup (NULL: not given).
 * An option overrides its counterpart in the file: --repeat over the
 * file's duration= (and its warmup=), --duration over its repeat=.
 * quick, with neither --repeat nor --duration, is FS_QUICK_DURATION
 * after FS_QUICK_WARMUP. FS_ERROR_USAGE for --repeat with --duration or
 * --warmup, for --warmup with no duration in force, and for a bad
 * number of seconds. */
gboolean  fs_matrix_apply_steady (FsMatrix *matrix, guint repeat, const char *duration,
                                  const char *warmup, gboolean quick, GError **error);

/* Applies --slo (text, NULL: not given) over the file's slo=: a search
 * then runs, which needs a duration (FS_ERROR_USAGE otherwise, and for
 * an objective that does not parse). Call after
 * fs_matrix_apply_steady(). */
gboolean  fs_matrix_apply_slo (FsMatrix *matrix, const char *text, GError **error);
/* Keeps only the listed values of one dimension ("--mode thread",
 * "--volume 10,50"): key is "mode", "client-mode", "operation", "volume",
 * "client-pool", "server-pool" or "transfer"; list is comma-separated. A value that is not in the
 * matrix is an error, so a typo does not silently run nothing. */
gboolean  fs_matrix_restrict  (FsMatrix *matrix, const char *key, const char *list,
                               GError **error);

/* Sets the client modes to list (comma-separated: thread, process,
 * same), unlike fs_matrix_restrict(), since the default matrix has thread
 * alone and the others are there to be asked for. They are kept in that
 * order, not as typed, so a run does not depend on how the option was
 * written. */
gboolean  fs_matrix_set_client_modes (FsMatrix *matrix, const char *list, GError **error);
/* The same for the server's modes (thread, process, event): the default
 * matrix has thread and process, and --mode event adds the third. */
gboolean  fs_matrix_set_modes (FsMatrix *matrix, const char *list, GError **error);
/* The same for the idle connections (--idle-connections 0,50), kept in
 * increasing order: the default is 0 alone. */
gboolean  fs_matrix_set_idle  (FsMatrix *matrix, const char *list, GError **error);

/* Every scenario, modes outermost, then client modes, idle connections,
 * operations, transfers, volumes, client pools and server pools; list comes once, as base64, since it
 * moves no content. volume_mb = volume * scale (/ 1024 when quick). */
GArray   *fs_matrix_expand    (const FsMatrix *matrix, gboolean quick, double scale);

/* The model the scenario's client pool runs: its client mode, or the
 * server's mode for FS_CLIENT_SAME, thread for an event server (a client
 * pool is threads or processes). */
FsMode    fs_scenario_pool_mode (const FsScenario *scenario);

/* "thread upload 10MiB c5 s50", with " raw" after the operation for raw,
 * " clients:process" (or "clients:same") when the client mode is not the
 * default, thread, and " idle:50" at the end with idle connections */
char     *fs_scenario_describe (const FsScenario *scenario, gboolean quick);

/* The matrix as JSON: every list under its file key, and [run]'s keys. */
JsonNode *fs_matrix_to_json (const FsMatrix *matrix);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsMatrix, fs_matrix_free)

G_END_DECLS
