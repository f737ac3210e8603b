/* pool-mpi.c: every MPI call of filestorm-pool-mpi. Each rank runs the
 * pool library's clients as threads (or processes) of its own; MPI only
 * shares the parameters, decides together whether to go on, starts the
 * timed phase at one barrier and merges the results onto rank 0, as IOR
 * and mdtest do. Only this process's main thread calls MPI
 * (MPI_THREAD_FUNNELED): the clients never do.
 *
 * The order, on every rank:
 *   1. rank 0's parameters are broadcast (with its version);
 *   2. each rank prepares: rank 0 asks STATS and puts the download file
 *      in place, the others ask STATS, which proves they reach the server;
 *   3. the outcome is decided together (MPI_Allreduce): a rank that failed
 *      makes every rank stop, with its message, before any barrier;
 *   4. the name the server stored the file under goes from rank 0 to all;
 *   5. the clients start once every rank's clients are ready (a barrier);
 *   6. the results are merged onto rank 0 (reductions and gathers), which
 *      prints them; the exit status is broadcast. */
#include "config.h"

#include "pool-mpi.h"

#include <mpi.h>
#include <string.h>
#include <sys/resource.h>

#include "errors.h"
#include "protocol.h"
#include "resolve.h"
#include "util.h"

#define MESSAGE_MAX 512

/* Rank 0's parameters, as plain bytes: every rank runs the same job. */
typedef struct {
  char    version[32];
  char    host[256];
  gint32  mode, operation, transfer;
  double  volume_mb, duration_s, warmup_s;
  guint32 clients, clients_per_rank, repeat, port, timeout;
  gint32  verify, prepare, json, allow_remote;
  gint32  test_rank;
  guint32 test_port;
  double  rate;              /* the whole job's, 0 for the closed loop */
  gint32  arrival, keep_alive;
  guint64 seed;
  guint32 idle;              /* --idle-connections, held by rank 0 */
} Params;

/* What a rank that could not go on says, broadcast from it. */
typedef struct {
  gint32 status;
  char   host[256];
  char   message[MESSAGE_MAX];
} Failure;

typedef struct {
  int  rank, size;
  char host[MPI_MAX_PROCESSOR_NAME];
} Job;

/* One line on err, which may hold what a server sent. */
static void
say (FILE *err, const char *message)
{
  g_autofree char *shown = fs_protocol_printable_text (message);

  fprintf (err, "filestorm-pool-mpi: %s\n", shown);
}

static void
params_from_config (Params *p, const FsPoolMpiConfig *c)
{
  memset (p, 0, sizeof *p);
  g_strlcpy (p->version, PACKAGE_VERSION, sizeof p->version);
  g_strlcpy (p->host, c->config.host, sizeof p->host);
  p->mode = c->config.mode;
  p->operation = c->config.operation;
  p->transfer = c->config.transfer;
  p->volume_mb = c->config.volume_mb;
  p->duration_s = c->config.duration_s;
  p->warmup_s = c->config.warmup_s;
  p->clients = c->config.clients;
  p->clients_per_rank = c->clients_per_rank;
  p->repeat = c->config.repeat;
  p->port = c->config.port;
  p->timeout = c->config.timeout;
  p->verify = c->config.verify;
  p->prepare = c->config.prepare;
  p->json = c->json;
  p->allow_remote = c->allow_remote;
  p->test_rank = c->test_rank;
  p->test_port = c->test_port;
  p->rate = c->config.rate;
  p->arrival = c->config.arrival;
  p->keep_alive = c->config.keep_alive;
  p->seed = c->config.seed;
  p->idle = c->config.idle_connections;
}

/* This rank's pool: its share of the clients, and for rank 0 only the
 * preparation of the download file. */
static void
config_from_params (FsPoolConfig *c, const Params *p, const Job *job)
{
  fs_pool_config_init (c);
  g_free (c->host);
  c->host = g_strndup (p->host, sizeof p->host);
  c->mode = (FsMode) p->mode;
  c->operation = (FsOperation) p->operation;
  c->transfer = (FsTransfer) p->transfer;
  c->volume_mb = p->volume_mb;
  c->duration_s = p->duration_s;
  c->warmup_s = p->warmup_s;
  c->clients = p->clients_per_rank > 0 ? p->clients_per_rank
               : fs_pool_mpi_share (p->clients, (guint) job->rank, (guint) job->size);
  c->repeat = p->repeat;
  c->port = job->rank == p->test_rank ? p->test_port : p->port;
  c->timeout = p->timeout;
  c->verify = p->verify;
  c->prepare = p->prepare && job->rank == 0;
  /* One set of idle connections for the job, not one a rank. */
  c->idle_connections = job->rank == 0 ? p->idle : 0;
  /* The rate is split in proportion to the clients, so that every
   * connection carries the same load; each rank has arrivals of its own. */
  c->keep_alive = p->keep_alive;
  c->arrival = (FsArrival) p->arrival;
  c->seed = p->seed + G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) * (guint64) job->rank;
  if (p->rate > 0)
    c->rate = p->rate * c->clients / (p->clients_per_rank > 0
                                      ? (double) p->clients_per_rank * job->size
                                      : (double) p->clients);
}

/* What the whole job asks for that no single rank can check: rank 0
 * decides, every rank learns it with the parameters. */
static gboolean
check_job (const Params *p, const Job *job, GError **error)
{
  guint total = p->clients_per_rank > 0 ? p->clients_per_rank * (guint) job->size : p->clients;
  guint most = p->clients_per_rank > 0 ? p->clients_per_rank
               : fs_pool_mpi_share (p->clients, 0, (guint) job->size);

  if (p->clients_per_rank == 0 && p->clients < (guint) job->size)
    g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                 "--client-pool %u is fewer than the %d ranks: every rank runs at least one "
                 "client", p->clients, job->size);
  else if (most > FS_POOL_MAX_CLIENTS)
    g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                 "%u clients on one rank (%u over %d ranks): at most %d each, so use more ranks",
                 most, total, job->size, FS_POOL_MAX_CLIENTS);
  else if (p->test_rank >= job->size)
    g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                 "--test-rank-port: there is no rank %d of %d", p->test_rank, job->size);
  else
    return TRUE;
  return FALSE;
}

/* What this rank itself must check before it goes on: that it runs the
 * same filestorm as rank 0 (the content of the test file depends on it)
 * and that the server is loopback unless remote servers are allowed. */
static gboolean
check_rank (const Params *p, GError **error)
{
  if (strncmp (p->version, PACKAGE_VERSION, sizeof p->version) != 0)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                   "this is filestorm %s, rank 0 runs %.*s: run one version on every host",
                   PACKAGE_VERSION, (int) sizeof p->version, p->version);
      return FALSE;
    }
  if (!p->allow_remote && !fs_host_is_loopback (p->host, error))
    {
      g_prefix_error (error, "--host: ");
      return FALSE;
    }
  return TRUE;
}

/* A loopback server is a different one on every host: refused on rank 0
 * (the only one that sees every host) when the ranks span several, with
 * --allow-remote or without. */
static gboolean
check_hosts (const Params *p, const Job *job, const char *all_hosts, GError **error)
{
  if (!fs_host_is_loopback (p->host, NULL))
    return TRUE;
  for (int i = 1; i < job->size; i++)
    if (strncmp (all_hosts + (gsize) i * MPI_MAX_PROCESSOR_NAME, job->host,
                 MPI_MAX_PROCESSOR_NAME) != 0)
      {
        g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                     "the ranks run on several hosts (%s, %.*s) and %s is a loopback address, "
                     "a different server on each: give --host an address every host reaches "
                     "(and --allow-remote)", job->host, MPI_MAX_PROCESSOR_NAME,
                     all_hosts + (gsize) i * MPI_MAX_PROCESSOR_NAME, p->host);
        return FALSE;
      }
  return TRUE;
}

/* Decides together: every rank passes its own outcome (status 0 when it
 * can go on) and learns the job's, that of the lowest rank that failed.
 * Collective, so no rank waits at a barrier for one that has stopped. */
static gboolean
decide (const Job *job, int status, const char *message, Failure *out)
{
  struct { int failed; int rank; } mine = { status != 0, job->rank }, first;

  MPI_Allreduce (&mine, &first, 1, MPI_2INT, MPI_MAXLOC, MPI_COMM_WORLD);
  if (!first.failed)
    return TRUE;
  /* MAXLOC breaks ties by the lowest rank. */
  memset (out, 0, sizeof *out);
  if (job->rank == first.rank)
    {
      out->status = status;
      g_strlcpy (out->host, job->host, sizeof out->host);
      fs_copy_utf8 (out->message, message, sizeof out->message);
    }
  MPI_Bcast (out, sizeof *out, MPI_BYTE, first.rank, MPI_COMM_WORLD);
  out->status = out->status != 0 ? out->status : FS_POOL_EXIT_SERVER;
  /* The rank and host go first, so the one line says where. */
  {
    g_autofree char *line = g_strdup_printf ("rank %d (%.*s): %.*s", first.rank,
                                             (int) sizeof out->host, out->host,
                                             (int) sizeof out->message, out->message);
    fs_copy_utf8 (out->message, line, sizeof out->message);
  }
  return FALSE;
}

/* The name downloads ask for, from rank 0 (which prepared) to all. */
static void
share_download_name (const Job *job, FsPoolRun *run)
{
  g_autofree char *name = g_strdup (fs_pool_run_download_name (run));
  int len = (int) strlen (name) + 1;

  MPI_Bcast (&len, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (job->rank != 0)
    {
      g_free (name);
      name = g_malloc (len);
    }
  MPI_Bcast (name, len, MPI_CHAR, 0, MPI_COMM_WORLD);
  name[len - 1] = '\0';
  if (job->rank != 0)
    fs_pool_run_set_download_name (run, name);
}

/* Called by the pool once this rank's clients are ready: they start when
 * every rank's are. The time after the barrier is where this rank counts
 * its start and end from; across hosts, whose clocks differ, that is the
 * common origin (within the barrier's own spread). */
static void
start_together (gpointer data)
{
  gint64 *origin = data;

  MPI_Barrier (MPI_COMM_WORLD);
  *origin = g_get_monotonic_time ();
}

/* ------------------------------------------------------------ merging */

enum {
  C_SUCCESS, C_FAIL, C_CRASHED, C_BYTES, C_TRANSFERS, C_VERIFIED, C_VERIFIED_BYTES,
  C_ABANDONED, C_WARMUP_OPS, C_WARMUP_FAIL, C_SETUP, C_CLIENTS, C_ERRORS,
  C_N = C_ERRORS + FS_CLIENT_N_ERRORS
};

static void
counters (const FsPoolResult *r, guint64 *c)
{
  c[C_SUCCESS] = r->total.success;
  c[C_FAIL] = r->total.fail;
  c[C_CRASHED] = r->total.crashed;
  c[C_BYTES] = r->total.bytes;
  c[C_TRANSFERS] = r->total.transfers;
  c[C_VERIFIED] = r->total.verified;
  c[C_VERIFIED_BYTES] = r->total.verified_bytes;
  c[C_ABANDONED] = r->total.abandoned;
  c[C_WARMUP_OPS] = r->total.warmup_ops;
  c[C_WARMUP_FAIL] = r->total.warmup_fail;
  c[C_SETUP] = r->setup_connections;
  c[C_CLIENTS] = r->config.clients;
  for (int i = 0; i < FS_CLIENT_N_ERRORS; i++)
    c[C_ERRORS + i] = r->total.errors[i];
}

static void
set_counters (FsPoolResult *r, const guint64 *c)
{
  r->total.success = c[C_SUCCESS];
  r->total.fail = c[C_FAIL];
  r->total.crashed = c[C_CRASHED];
  r->total.bytes = c[C_BYTES];
  r->total.transfers = c[C_TRANSFERS];
  r->total.verified = c[C_VERIFIED];
  r->total.verified_bytes = c[C_VERIFIED_BYTES];
  r->total.abandoned = c[C_ABANDONED];
  r->total.warmup_ops = c[C_WARMUP_OPS];
  r->total.warmup_fail = c[C_WARMUP_FAIL];
  r->setup_connections = (guint) c[C_SETUP];
  r->config.clients = (guint) c[C_CLIENTS];
  for (int i = 0; i < FS_CLIENT_N_ERRORS; i++)
    r->total.errors[i] = c[C_ERRORS + i];
}

static void
fill_row (FsPoolRankRow *row, const Job *job, const FsPoolResult *r)
{
  struct rusage self, children;

  memset (row, 0, sizeof *row);
  row->rank = job->rank;
  row->clients = r->config.clients;
  row->success = r->total.success;
  row->fail = r->total.fail;
  row->total_time_s = r->total_time_s;
  row->latency_p50_ms = (double) fs_histogram_quantile (fs_pool_result_latency (r), 0.5) / 1000.0;
  if (getrusage (RUSAGE_SELF, &self) == 0 && getrusage (RUSAGE_CHILDREN, &children) == 0)
    {
      row->peak_rss_kib = self.ru_maxrss;
      row->client_peak_rss_kib = r->config.mode == FS_MODE_PROCESS ? children.ru_maxrss : 0;
    }
  g_strlcpy (row->host, job->host, sizeof row->host);
  g_strlcpy (row->first_error, r->total.first_error, sizeof row->first_error);
}

/* Adds every rank's histogram h into rank 0's: they all have the same
 * buckets, so the merge is exact. */
static void
reduce_histogram (const Job *job, FsHistogram *h)
{
  guint64 ends[2] = { h->min, G_MAXUINT64 - h->max }, ends_min[2];
  guint64 sum = 0;
  g_autofree guint32 *buckets = job->rank == 0 ? g_new (guint32, FS_HISTOGRAM_N_BUCKETS) : NULL;

  /* Minima of min and of (max turned around), in one reduction. */
  MPI_Reduce (ends, ends_min, 2, MPI_UINT64_T, MPI_MIN, 0, MPI_COMM_WORLD);
  MPI_Reduce (&h->sum, &sum, 1, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  MPI_Reduce (h->buckets, buckets, FS_HISTOGRAM_N_BUCKETS, MPI_UINT32_T, MPI_SUM, 0,
              MPI_COMM_WORLD);
  if (job->rank != 0)
    return;
  h->min = ends_min[0];
  h->max = G_MAXUINT64 - ends_min[1];
  h->sum = sum;
  memcpy (h->buckets, buckets, sizeof h->buckets);
  /* The histogram's own count, from its merged buckets. */
  h->count = 0;
  for (gsize i = 0; i < FS_HISTOGRAM_N_BUCKETS; i++)
    h->count += buckets[i];
}

/* The open loop's counts and histograms; the backlog is the largest of
 * any rank's (each rank keeps a schedule of its own). */
static void
reduce_open (const Job *job, FsPoolResult *r)
{
  guint64 mine[3] = { r->open.due, r->open.late, r->open.unsent }, sum[3];
  guint64 backlog = r->open.max_backlog, backlog_max = 0;

  MPI_Reduce (mine, sum, 3, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  MPI_Reduce (&backlog, &backlog_max, 1, MPI_UINT64_T, MPI_MAX, 0, MPI_COMM_WORLD);
  reduce_histogram (job, &r->open.corrected);
  reduce_histogram (job, &r->open.lag);
  if (job->rank != 0)
    return;
  r->open.due = sum[0];
  r->open.late = sum[1];
  r->open.unsent = sum[2];
  r->open.max_backlog = backlog_max;
}

/* Merges every rank's result onto rank 0's, which becomes the job's; the
 * rows (rank 0 only, else NULL) are each rank's own. */
static FsPoolRankRow *
merge (const Job *job, FsPoolResult *r, gint64 origin, double total_rate)
{
  guint64 mine[C_N], sum[C_N];
  /* This rank's start, end and measured window's end after the common
   * origin; the job's time is the latest end less the earliest start, its
   * window runs from the earliest start's warm-up end to the latest
   * measured operation's end (each rank's clients keep the deadlines of
   * their own start, one barrier apart). */
  gint64 span[3] = { r->start_us - origin, -(r->end_us - origin),
                     r->window_end_us > 0 ? -(r->window_end_us - origin) : 0 }, span_min[3];
  int stop[2] = { r->interrupted, r->signal }, stop_max[2];
  double seconds = r->total.seconds, seconds_sum = 0;
  g_autofree int *counts = job->rank == 0 ? g_new (int, job->size) : NULL;
  g_autofree int *offsets = job->rank == 0 ? g_new0 (int, job->size) : NULL;
  double *times = NULL;
  int n_times = (int) r->n_client_times, all_times = 0;
  FsPoolRankRow row, *rows = job->rank == 0 ? g_new (FsPoolRankRow, job->size) : NULL;

  fill_row (&row, job, r);
  counters (r, mine);
  MPI_Reduce (mine, sum, C_N, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  MPI_Reduce (span, span_min, 3, MPI_INT64_T, MPI_MIN, 0, MPI_COMM_WORLD);
  MPI_Reduce (stop, stop_max, 2, MPI_INT, MPI_MAX, 0, MPI_COMM_WORLD);
  MPI_Reduce (&seconds, &seconds_sum, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
  reduce_histogram (job, &r->total.latency);
  if (r->config.rate > 0)
    reduce_open (job, r);
  MPI_Gather (&n_times, 1, MPI_INT, counts, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (job->rank == 0)
    {
      for (int i = 0; i < job->size; i++)
        {
          offsets[i] = all_times;
          all_times += counts[i];
        }
      times = g_new (double, MAX (all_times, 1));
    }
  MPI_Gatherv (r->client_times, n_times, MPI_DOUBLE, times, counts, offsets, MPI_DOUBLE, 0,
               MPI_COMM_WORLD);
  MPI_Gather (&row, sizeof row, MPI_BYTE, rows, sizeof row, MPI_BYTE, 0, MPI_COMM_WORLD);
  if (job->rank != 0)
    return NULL;

  set_counters (r, sum);
  r->total.seconds = seconds_sum;
  r->total_time_s = (double) (-span_min[1] - span_min[0]) / G_USEC_PER_SEC;
  /* On rank 0's clock, from the origin. */
  r->window_end_us = span_min[2] < 0 ? origin - span_min[2] : 0;
  fs_pool_result_set_window (r, origin + span_min[0]);
  if (r->config.rate > 0)
    {
      r->config.rate = total_rate;
      r->window_s = MAX (r->window_s, r->config.duration_s);
    }
  r->interrupted = stop_max[0];
  r->signal = stop_max[1];
  fs_pool_result_set_client_times (r, times, (guint) all_times);
  /* The first error of the lowest rank that had one, saying where. */
  r->total.first_error[0] = '\0';
  for (int i = 0; i < job->size; i++)
    if (rows[i].first_error[0] != '\0')
      {
        g_autofree char *line = g_strdup_printf ("rank %d (%s): %s", rows[i].rank,
                                                 rows[i].host, rows[i].first_error);

        fs_copy_utf8 (r->total.first_error, line, sizeof r->total.first_error);
        break;
      }
  return rows;
}

/* ------------------------------------------------------------ the job */

static int
report (const Params *p, FsPoolResult *merged, const FsPoolRankRow *rows, guint n, FILE *out,
        FILE *err)
{
  int status;

  if (fs_pool_result_unreachable (merged))
    {
      say (err, merged->total.first_error);
      return FS_POOL_EXIT_SERVER;
    }
  if (p->json)
    {
      g_autoptr(JsonNode) node = fs_pool_mpi_to_json (merged, rows, n);
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_root (gen, node);
      text = json_generator_to_data (gen, NULL);
      fprintf (out, "%s\n", text);
    }
  else
    fs_pool_mpi_print (merged, rows, n, out);
  status = merged->interrupted ? FS_POOL_EXIT_INTERRUPTED
           : !fs_pool_result_all_succeeded (merged) ? FS_POOL_EXIT_FAILED : FS_POOL_EXIT_OK;
  if (fflush (out) != 0)
    {
      fprintf (err, "filestorm-pool-mpi: cannot write to standard output\n");
      return FS_POOL_EXIT_FAILED;
    }
  return status;
}

/* From the parameters to the merged result, once MPI runs. */
static int
run_job (const Job *job, const FsPoolMpiConfig *mine, FILE *out, FILE *err)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsPoolRun) run = NULL;
  g_autoptr(FsPoolResult) result = NULL;
  g_autofree FsPoolRankRow *rows = NULL;
  g_autofree char *all_hosts = job->rank == 0 ? g_malloc0 ((gsize) job->size
                                                           * MPI_MAX_PROCESSOR_NAME) : NULL;
  FsPoolConfig config;
  Failure failure;
  Params p;
  gint64 origin = 0;
  int status = 0;

  memset (&p, 0, sizeof p);
  if (job->rank == 0)
    params_from_config (&p, mine);
  MPI_Bcast (&p, sizeof p, MPI_BYTE, 0, MPI_COMM_WORLD);
  p.host[sizeof p.host - 1] = '\0';
  /* Every rank reaches the same verdict here, from the same bytes. */
  if (!check_job (&p, job, &error))
    {
      if (job->rank == 0)
        say (err, error->message);
      return FS_POOL_EXIT_USAGE;
    }

  MPI_Gather (job->host, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, all_hosts, MPI_MAX_PROCESSOR_NAME,
              MPI_CHAR, 0, MPI_COMM_WORLD);
  config_from_params (&config, &p, job);
  if (!check_rank (&p, &error) || (job->rank == 0 && !check_hosts (&p, job, all_hosts, &error)))
    status = FS_POOL_EXIT_USAGE;
  else if ((run = fs_pool_run_prepare (&config, job->rank == 0 ? err : NULL, &error)) == NULL)
    status = FS_POOL_EXIT_SERVER;
  fs_pool_config_clear (&config);
  if (!decide (job, status, error != NULL ? error->message : "", &failure))
    {
      if (job->rank == 0)
        say (err, failure.message);
      return failure.status;
    }

  share_download_name (job, run);
  result = fs_pool_run_clients (run, start_together, &origin);
  rows = merge (job, result, origin, p.rate);
  if (job->rank == 0)
    status = report (&p, result, rows, (guint) job->size, out, err);
  MPI_Bcast (&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return status;
}

/* MPI up on this rank: 0, or the exit status when it cannot be. */
static int
job_start (Job *job, FILE *err)
{
  int provided = 0, len = 0;

  if (MPI_Init_thread (NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
    {
      fprintf (err, "filestorm-pool-mpi: MPI cannot start (MPI_Init_thread failed)\n");
      return FS_POOL_EXIT_SERVER;
    }
  MPI_Comm_rank (MPI_COMM_WORLD, &job->rank);
  MPI_Comm_size (MPI_COMM_WORLD, &job->size);
  memset (job->host, 0, sizeof job->host);
  if (MPI_Get_processor_name (job->host, &len) != MPI_SUCCESS || len <= 0)
    g_strlcpy (job->host, g_get_host_name (), sizeof job->host);
  if (provided < MPI_THREAD_FUNNELED)
    {
      if (job->rank == 0)
        fprintf (err, "filestorm-pool-mpi: this MPI does not allow threads "
                 "(MPI_THREAD_FUNNELED not provided)\n");
      MPI_Finalize ();
      return FS_POOL_EXIT_SERVER;
    }
  return 0;
}

/* The first collective of every rank, run or refused: whether any rank
 * refused its options (status, message), and then the job's status, that
 * of the lowest such rank, which rank 0 prints (naming the rank when it
 * is another). Ranks may be given different options (mpirun's "a : b")
 * or environments, so one that refuses must not wait alone. */
static gboolean
agree (const Job *job, int status, const char *message, int *job_status, FILE *err)
{
  Failure failure;

  if (decide (job, status, message, &failure))
    return TRUE;
  if (job->rank == 0)
    say (err, status != 0 ? message : failure.message);
  *job_status = failure.status;
  return FALSE;
}

/* No rank leaves before rank 0 has printed: mpirun kills the job when
 * the first rank exits non-zero. */
static int
job_end (int status, FILE *err)
{
  fflush (err);
  MPI_Barrier (MPI_COMM_WORLD);
  MPI_Finalize ();
  return status;
}

int
fs_pool_mpi_refuse (int status, const char *message, FILE *err)
{
  Job job;
  int job_status = status;

  if (job_start (&job, err) != 0)
    {
      say (err, message);
      return status;
    }
  agree (&job, status, message, &job_status, err);
  return job_end (job_status, err);
}

int
fs_pool_mpi_run (const FsPoolMpiConfig *config, FILE *out, FILE *err)
{
  Job job;
  int status = job_start (&job, err);

  if (status != 0)
    return status;
  if (agree (&job, 0, "", &status, err))
    status = run_job (&job, config, out, err);
  return job_end (status, err);
}
