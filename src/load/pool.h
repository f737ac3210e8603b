/* pool.h: the client pool: N concurrent clients (threads or forked
 * processes) each doing one operation `repeat` times, or for a duration
 * after a warm-up, against a server, with every transferred byte
 * verified, timed and counted. */
#pragma once

#include <stdio.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "client.h"
#include "histogram.h"
#include "schedule.h"
#include "util.h"

G_BEGIN_DECLS

typedef enum {
  FS_OP_LIST,
  FS_OP_DOWNLOAD,
  FS_OP_UPLOAD,
} FsOperation;

/* How content moves: base64 in GET/UPLOAD (the classic protocol), or raw
 * bytes in GETRAW/UPLOADRAW (filestorm's extension). */
typedef enum {
  FS_TRANSFER_BASE64,
  FS_TRANSFER_RAW,
} FsTransfer;

#define FS_POOL_MAX_CLIENTS 10000

/* Exit codes of filestorm-pool (documented in filestorm-pool(1)). */
enum {
  FS_POOL_EXIT_OK = 0,       /* every operation succeeded */
  FS_POOL_EXIT_FAILED = 1,   /* at least one operation failed */
  FS_POOL_EXIT_USAGE = 2,    /* bad command line */
  FS_POOL_EXIT_SERVER = 3,   /* the server cannot be reached or prepared */
  FS_POOL_EXIT_INTERRUPTED = 130, /* SIGINT or SIGTERM: 128 + SIGINT, as shells do */
};

typedef struct {
  FsMode      mode;
  FsOperation operation;
  double      volume_mb;   /* MiB per transfer, > 0 */
  guint       clients;     /* 1..FS_POOL_MAX_CLIENTS */
  guint       repeat;      /* operations per client, >= 1; 1 with a duration */
  /* Steady state, by time (0: the fixed count of repeat instead): every
   * client repeats its operation until duration_s seconds after a warm-up
   * of warmup_s seconds from the common start, and at least until it has
   * made one operation that ends after the warm-up. */
  double      duration_s;
  double      warmup_s;
  char       *host;        /* (owned) */
  guint       port;
  guint       timeout;     /* seconds, for connect and every read/write */
  gboolean    verify;
  FsTransfer  transfer;    /* for upload and download */
  /* Download: check that the file is on the server, uploading it if not,
   * before the timed run (one connection more to the server). */
  gboolean    prepare;
  /* The open loop (with a duration): operations per second over the
   * whole pool, due on a schedule of the given arrivals from the common
   * start, each taken by whichever client is free; 0 for the closed loop.
   * Under a rate, an operation counts when it is due after the warm-up. */
  double      rate;
  FsArrival   arrival;
  guint64     seed;        /* of poisson arrivals */
  /* Each client keeps one connection for all its operations (always so
   * under a rate); otherwise every operation has a connection of its own. */
  gboolean    keep_alive;
  /* Connections opened after the preparation, before the clients start,
   * and held open without a request until the pool ends (0: none): what
   * idle or slow clients cost a blocking server. */
  guint       idle_connections;
} FsPoolConfig;

/* The most idle connections a pool may hold. */
#define FS_POOL_MAX_IDLE 1000000

/* The most operations one open-loop run may schedule (rate times warm-up
 * and duration): the histograms count in 32 bits, and the operations left
 * waiting at the end are accounted one by one. */
#define FS_POOL_MAX_SCHEDULED 1e9

void        fs_pool_config_init  (FsPoolConfig *config);
void        fs_pool_config_clear (FsPoolConfig *config);
gboolean    fs_pool_operation_parse (const char *text, FsOperation *op, GError **error);
const char *fs_pool_operation_name  (FsOperation op);
gboolean    fs_pool_transfer_parse  (const char *text, FsTransfer *transfer, GError **error);
const char *fs_pool_transfer_name   (FsTransfer transfer);

/* What one client did; clients' tallies are merged after they end. */
typedef struct {
  gboolean    done;        /* the client reported (a crashed process does not) */
  double      seconds;     /* the client's own time for all its operations */
  guint64     success;
  guint64     fail;
  guint64     errors[FS_CLIENT_N_ERRORS];
  guint64     crashed;     /* operations of clients that crashed */
  guint64     bytes;       /* content bytes of successful transfers */
  guint64     transfers;   /* transfers attempted */
  guint64     verified;    /* transfers checked and found right */
  guint64     verified_bytes; /* content bytes of those */
  guint64     abandoned;   /* operations cut short by an interruption */
  /* Operations that ended during the warm-up: left out of every count
   * above and of the latency, but a failed one still fails the run. */
  guint64     warmup_ops;
  guint64     warmup_fail;
  /* The start and end of the client's first and last measured operation,
   * on the monotonic clock; 0 when it made none. */
  gint64      first_start_us;
  gint64      last_end_us;
  /* The common start signal, set by the pool before the clients are
   * released: the deadlines count from it. */
  gint64      start_us;
  FsHistogram latency;     /* per operation, microseconds */
  char        first_error[256];
} FsPoolTally;

typedef struct {
  FsPoolConfig config;        /* (owned) a copy */
  char        *file;          /* (owned) the test file's name */
  guint64      file_size;
  gboolean     prepared;      /* the pool uploaded the file before timing */
  char        *stored_name;   /* (owned) (nullable) the name the server stored
                               * it under, when prepared */
  double       total_time_s;  /* from the start signal to the last client's end */
  gint64       start_us;      /* the start signal and the last client's end, */
  gint64       end_us;        /* on this process's monotonic clock */
  double       avg_time_s;    /* mean of the clients' own times */
  /* The measured window: from the warm-up's end (the start signal, with
   * no warm-up) to the end of the last measured operation; 0 when none. */
  double       window_s;
  gint64       window_end_us; /* that end, on the monotonic clock, or 0 */
  /* The spread of the clients' own times, over the clients that
   * reported: the fastest, the median and the slowest; 0 when none did. */
  double       client_time_min_s;
  double       client_time_p50_s;
  double       client_time_max_s;
  double      *client_times;  /* (owned) those times, sorted */
  guint        n_client_times; /* the clients that reported */
  FsPoolTally  total;
  /* The open loop's account (config.rate > 0): total.latency then holds
   * the uncorrected latency, from each operation's send. */
  FsOpenTally  open;
  /* The server's own account of itself, from STATS before the timed run:
   * server_mode is NULL when it did not answer (server_error says why). */
  char        *server_mode;   /* (owned) (nullable) */
  gint64       server_pool;
  char        *server_error;  /* (owned) (nullable) */
  /* Connections made outside the timed operations (STATS, and the
   * download's check and upload), which the server counts as sessions. */
  guint        setup_connections;
  /* SIGINT or SIGTERM came (see fs_pool_handle_signals()): the clients
   * stopped early and the result holds the operations that finished. */
  gboolean     interrupted;
  int          signal;
} FsPoolResult;

/* Installs handlers for SIGINT and SIGTERM that interrupt fs_pool_run():
 * no operation starts after the signal, the ones in progress are cut
 * short (their sockets shut down) and left out of the counts, and the
 * run returns a result with interrupted set. In process mode the signal
 * is passed on to the client processes. A second signal to the pool
 * process has its default effect. For main(), once, before the run. */
void fs_pool_handle_signals (void);

/* Runs the pool. Fails (FS_POOL_EXIT_SERVER territory) only when the
 * server cannot be reached, the download file cannot be put in place or
 * the idle connections cannot be opened;
 * failed operations are counted in the result instead. progress (nullable)
 * receives a line such as the note that the file was uploaded first. */
FsPoolResult *fs_pool_run (const FsPoolConfig *config, FILE *progress, GError **error);
void          fs_pool_result_free (FsPoolResult *result);

/* fs_pool_run() in steps, for a pool that is one of many processes run
 * as one (filestorm-pool-mpi): fs_pool_run_prepare() does what comes
 * before the timed run (STATS, and the download file put in place) and
 * fails as fs_pool_run() does; fs_pool_run_clients() runs the clients,
 * calling starting (nullable) in this thread once every client is ready,
 * just before they start, and returns the result, failed operations and
 * a server that refused every connection included (see
 * fs_pool_result_unreachable()). A signal during the preparation makes
 * fs_pool_run_clients() return at once, with interrupted set. */
typedef struct _FsPoolRun FsPoolRun;
typedef void (*FsPoolStartFunc) (gpointer data);

FsPoolRun    *fs_pool_run_prepare  (const FsPoolConfig *config, FILE *progress, GError **error);
/* What the preparation found: the server's STATS, the stored name. */
const FsPoolResult *fs_pool_run_peek (const FsPoolRun *run);
/* The name downloads ask for: the test file's, or the one the server
 * stored it under when the preparation uploaded it; set, for a pool that
 * did not prepare, to the name another one's preparation found. */
const char   *fs_pool_run_download_name     (const FsPoolRun *run);
void          fs_pool_run_set_download_name (FsPoolRun *run, const char *name);
/* Once per run. */
FsPoolResult *fs_pool_run_clients  (FsPoolRun *run, FsPoolStartFunc starting, gpointer data);
void          fs_pool_run_free     (FsPoolRun *run);

/* Nothing got through and every failure was a refused connection: the
 * server is not there, which is one clear error rather than a report. */
gboolean  fs_pool_result_unreachable (const FsPoolResult *result);
/* Takes times (the clients' own times, n of them, the ones that
 * reported) and sets the average and the spread from them and from
 * total.seconds. */
void      fs_pool_result_set_client_times (FsPoolResult *result, double *times, guint n);

/* Sets window_s from window_end_us and the start signal start_us. */
void      fs_pool_result_set_window (FsPoolResult *result, gint64 start_us);

/* The content bytes that count: those of successful transfers, and of
 * verified ones only when verification is on. */
guint64   fs_pool_result_counted_bytes (const FsPoolResult *result);
/* Counted bytes / clients / average time per client (for a run where
 * everything succeeded, the original tool's volume * repeat / average
 * time); 0 for list and when nothing counted. */
double    fs_pool_result_throughput (const FsPoolResult *result);
/* Counted bytes / total wall time (with a duration: / the measured
 * window); 0 for list. */
double    fs_pool_result_aggregate  (const FsPoolResult *result);
/* Measured operations (succeeded and failed), those that succeeded per
 * second of the measured window, and the mean time of one operation. */
guint64   fs_pool_result_operations (const FsPoolResult *result);
double    fs_pool_result_ops_per_s  (const FsPoolResult *result);
double    fs_pool_result_op_time    (const FsPoolResult *result);
/* Under a rate: the operations due in the measured window per second of
 * the duration (the rate itself for uniform arrivals); 0 otherwise. */
double    fs_pool_result_offered    (const FsPoolResult *result);
/* The latency people should read: the corrected one, from each
 * operation's due time, under a rate; from its start otherwise. */
const FsHistogram *fs_pool_result_latency (const FsPoolResult *result);
/* No operation failed, measured or in the warm-up. */
gboolean  fs_pool_result_all_succeeded (const FsPoolResult *result);
/* TRUE only when verification was on and every transfer was checked and
 * matched (vacuously so for list). */
gboolean  fs_pool_result_verified   (const FsPoolResult *result);
JsonNode *fs_pool_result_to_json    (const FsPoolResult *result);
void      fs_pool_result_print      (const FsPoolResult *result, FILE *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsPoolResult, fs_pool_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsPoolRun, fs_pool_run_free)

G_END_DECLS
