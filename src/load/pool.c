/* pool.c: the client pool's run: the closed loop, the workers, the merge.
 * One operation is in pool-op.c, the open loop in pool-open.c, what
 * comes before the timed run in pool-prepare.c, how a signal stops it in
 * pool-interrupt.c. */
#include "config.h"

#include "pool-private.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/wait.h>
#include <unistd.h>

#include "content.h"
#include "errors.h"
#include "resolve.h"
#include "util.h"

/* ------------------------------------------------------------ the closed loop */

/* Whether the client starts another operation: K of them, or, with a
 * duration, until the deadline (common to all clients, from the start
 * signal) and at least until one of them is measured. */
static gboolean
another (const FsPoolConfig *config, guint done, const FsPoolTally *t, gint64 deadline)
{
  if (fs_pool_interrupted ())
    return FALSE;
  if (config->duration_s <= 0)
    return done < config->repeat;
  return t->last_end_us == 0 || g_get_monotonic_time () < deadline;
}

static void
run_client (const FsPoolJob *job, guint index, FsPoolTally *t)
{
  const FsPoolConfig *config = job->config;
  gint64 start = g_get_monotonic_time ();
  /* An operation counts when it ends after the warm-up. */
  gint64 warm = t->start_us + (gint64) (config->warmup_s * G_USEC_PER_SEC);
  gint64 deadline = warm + (gint64) (config->duration_s * G_USEC_PER_SEC);
  FsClient *kept = NULL;

  if (job->schedule != NULL)
    {
      fs_pool_open_client (job, index, t);
      return;
    }
  fs_histogram_init (&t->latency);
  for (guint i = 0; another (config, i, t, deadline); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 op_start = g_get_monotonic_time (), op_end;
      FsPoolMoved before = fs_pool_moved (t);
      gboolean ok = fs_pool_operation (job, &job->slots[index], t,
                                       config->keep_alive ? &kept : NULL, &error);

      op_end = g_get_monotonic_time ();
      if (fs_pool_settle (t, &before, ok, error, config->duration_s > 0 && op_end <= warm,
                          op_start, op_end) == FS_POOL_ABANDONED)
        break;
    }
  g_clear_pointer (&kept, fs_client_free);
  /* With a duration, the client's own time is that of its measured
   * operations, from the first one's start to the last one's end. */
  if (config->duration_s > 0)
    t->seconds = (double) (t->last_end_us - t->first_start_us) / G_USEC_PER_SEC;
  else
    t->seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  t->done = TRUE;
}

/* ------------------------------------------------------------ the workers */

typedef struct {
  GMutex   lock;
  GCond    cond;
  gboolean open;
} Gate;

/* The common start, from which every client's deadlines count. */
static void
set_start (FsPoolTally *tallies, guint n, gint64 start)
{
  for (guint i = 0; i < n; i++)
    tallies[i].start_us = start;
}

typedef struct {
  const FsPoolJob *job;
  guint            index;
  FsPoolTally     *tally;
  Gate            *gate;
} ThreadArgs;

static gpointer
client_thread (gpointer data)
{
  ThreadArgs *args = data;

  g_mutex_lock (&args->gate->lock);
  while (!args->gate->open)
    g_cond_wait (&args->gate->cond, &args->gate->lock);
  g_mutex_unlock (&args->gate->lock);
  run_client (args->job, args->index, args->tally);
  return NULL;
}

static void
run_threads (const FsPoolJob *job, FsPoolTally *tallies, guint n, FsPoolStartFunc starting,
             gpointer data, gint64 *start)
{
  g_autofree GThread **threads = g_new0 (GThread *, n);
  g_autofree ThreadArgs *args = g_new0 (ThreadArgs, n);
  Gate gate = { .open = FALSE };

  g_mutex_init (&gate.lock);
  g_cond_init (&gate.cond);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      args[i] = (ThreadArgs) { job, i, &tallies[i], &gate };
      threads[i] = g_thread_try_new ("fs-client", client_thread, &args[i], &error);
      if (threads[i] == NULL)
        fs_copy_utf8 (tallies[i].first_error, error->message, sizeof tallies[i].first_error);
    }
  /* All clients start together, once every thread exists. */
  if (starting != NULL)
    starting (data);
  g_mutex_lock (&gate.lock);
  *start = g_get_monotonic_time ();
  set_start (tallies, n, *start);
  gate.open = TRUE;
  g_cond_broadcast (&gate.cond);
  g_mutex_unlock (&gate.lock);
  for (guint i = 0; i < n; i++)
    if (threads[i] != NULL)
      g_thread_join (threads[i]);
  g_mutex_clear (&gate.lock);
  g_cond_clear (&gate.cond);
}

/* Forked clients write their tally into shared memory and exit; one that
 * crashes leaves its tally unfinished and is counted as failed. They wait
 * on a pipe until the parent closes it, so they all start together. This
 * process is still single-threaded here (no GLib thread has been started:
 * see resolve.h, which resolves and connects without GResolver or a proxy
 * lookup), so fork() is safe. */
static void
run_processes (const FsPoolJob *job, FsPoolTally *tallies, guint n, FsPoolStartFunc starting,
               gpointer data, gint64 *start)
{
  g_autofree pid_t *pids = g_new0 (pid_t, n);
  int gate[2];

  *start = g_get_monotonic_time ();
  if (pipe (gate) < 0)
    {
      if (starting != NULL)
        starting (data);
      for (guint i = 0; i < n; i++)
        g_snprintf (tallies[i].first_error, sizeof tallies[i].first_error,
                    "cannot create a pipe: %s", g_strerror (errno));
      return;
    }
  fflush (NULL);
  fs_pool_forward_signals (pids, n);
  for (guint i = 0; i < n; i++)
    {
      pid_t parent = getpid ();

      pids[i] = fork ();
      if (pids[i] == 0)
        {
          char c;
#ifdef __linux__
          /* A client never outlives the pool, however the pool ends. */
          prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
          if (getppid () != parent)
            _exit (1);
          close (gate[1]);
          while (read (gate[0], &c, 1) < 0 && errno == EINTR)
            ;
          run_client (job, i, &tallies[i]);
          _exit (0);
        }
      if (pids[i] < 0)
        g_snprintf (tallies[i].first_error, sizeof tallies[i].first_error,
                    "cannot start a client process: %s", g_strerror (errno));
    }
  close (gate[0]);
  if (starting != NULL)
    starting (data);
  *start = g_get_monotonic_time ();
  /* Shared memory: the clients read it once the gate opens. */
  set_start (tallies, n, *start);
  close (gate[1]);
  for (guint i = 0; i < n; i++)
    if (pids[i] > 0)
      while (waitpid (pids[i], NULL, 0) < 0 && errno == EINTR)
        ;
  fs_pool_forward_signals (NULL, 0);
}

static void
merge (FsPoolTally *into, const FsPoolTally *from, guint repeat)
{
  if (!from->done)
    {
      /* A client that never reported: it crashed or could not start. */
      into->fail += repeat;
      into->crashed += repeat;
      if (into->first_error[0] == '\0')
        g_strlcpy (into->first_error,
                   from->first_error[0] ? from->first_error : "a client process crashed",
                   sizeof into->first_error);
      return;
    }
  into->seconds += from->seconds;
  into->success += from->success;
  into->fail += from->fail;
  for (int i = 0; i < FS_CLIENT_N_ERRORS; i++)
    into->errors[i] += from->errors[i];
  into->bytes += from->bytes;
  into->transfers += from->transfers;
  into->verified += from->verified;
  into->verified_bytes += from->verified_bytes;
  into->abandoned += from->abandoned;
  into->warmup_ops += from->warmup_ops;
  into->warmup_fail += from->warmup_fail;
  into->last_end_us = MAX (into->last_end_us, from->last_end_us);
  fs_histogram_merge (&into->latency, &from->latency);
  if (into->first_error[0] == '\0')
    g_strlcpy (into->first_error, from->first_error, sizeof into->first_error);
}

/* The fastest, median and slowest of the clients' own times: how evenly
 * the server shared itself out, where the mean hides stragglers. */
static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

void
fs_pool_result_set_client_times (FsPoolResult *result, double *times, guint n)
{
  g_free (result->client_times);
  result->client_times = times;
  result->n_client_times = n;
  result->avg_time_s = n > 0 ? result->total.seconds / n : 0;
  result->client_time_min_s = result->client_time_p50_s = result->client_time_max_s = 0;
  if (n == 0)
    return;
  qsort (times, n, sizeof *times, compare_doubles);
  result->client_time_min_s = times[0];
  result->client_time_max_s = times[n - 1];
  result->client_time_p50_s = n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
}

void
fs_pool_result_set_window (FsPoolResult *result, gint64 start_us)
{
  gint64 from = start_us + (gint64) (result->config.warmup_s * G_USEC_PER_SEC);

  result->window_s = result->window_end_us > from
                     ? (double) (result->window_end_us - from) / G_USEC_PER_SEC : 0;
}

/* ------------------------------------------------------------ the run */

/* The result of a run that a signal stopped before the clients started. */
static FsPoolResult *
stopped_early (FsPoolResult *result)
{
  result->interrupted = TRUE;
  result->signal = fs_pool_signal ();
  return result;
}

struct _FsPoolRun {
  FsPoolResult   *result;    /* (owned) */
  GPtrArray      *addresses; /* (owned) what config->host resolved to */
  char           *md5;       /* (owned) (nullable) */
  char           *get_name;  /* (owned) (nullable) set by another's preparation */
  gboolean        stopped;   /* a signal came during the preparation */
  FsPoolJob       job;
  /* Shared memory, so forked clients can report; threads use it alike. */
  FsPoolTally    *tallies;
  gsize           tallies_size;
  /* Under a rate, shared alike: the schedule, then a tally per client. */
  FsSchedule     *schedule;
  gsize           open_size;
  /* (owned) (nullable) The idle connections, closed with the run. */
  GPtrArray      *idle;
};

void
fs_pool_run_free (FsPoolRun *run)
{
  if (run == NULL)
    return;
  fs_pool_result_free (run->result);
  g_clear_pointer (&run->idle, g_ptr_array_unref);
  g_clear_pointer (&run->addresses, g_ptr_array_unref);
  g_free (run->md5);
  g_free (run->get_name);
  if (run->tallies != NULL)
    munmap (run->tallies, run->tallies_size);
  if (run->schedule != NULL)
    munmap (run->schedule, run->open_size);
  g_free (run);
}

/* The open loop's shared memory: the schedule, and a tally per client
 * after it (whole FsOpenTally structs, so aligned as such). */
static gboolean
map_schedule (FsPoolRun *run, GError **error)
{
  const FsPoolConfig *config = &run->result->config;
  gsize head = (sizeof (FsSchedule) + sizeof (FsOpenTally) - 1) / sizeof (FsOpenTally);
  void *memory;

  run->open_size = sizeof (FsOpenTally) * (head + config->clients);
  memory = mmap (NULL, run->open_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                 -1, 0);
  if (memory == MAP_FAILED)
    {
      fs_set_errno_error (error, errno, "cannot map memory for %u clients", config->clients);
      return FALSE;
    }
  run->schedule = memory;
  fs_schedule_init (run->schedule, config->rate, config->arrival, config->seed,
                    (gint64) ((config->warmup_s + config->duration_s) * 1e9));
  run->job.schedule = run->schedule;
  run->job.open = (FsOpenTally *) memory + head;
  return TRUE;
}

FsPoolRun *
fs_pool_run_prepare (const FsPoolConfig *config, FILE *progress, GError **error)
{
  g_autoptr(FsPoolRun) run = g_new0 (FsPoolRun, 1);
  FsPoolResult *result;
  GError *local = NULL;

  run->result = result = g_new0 (FsPoolResult, 1);
  result->config = *config;
  result->config.host = g_strdup (config->host);
  result->file = fs_content_name (config->volume_mb);
  result->file_size = fs_content_size (config->volume_mb);
  fs_histogram_init (&result->total.latency);

  /* Resolved once, here: the first setup connection (pool-prepare.c)
   * picks the first address that accepts, and every client connects to
   * that one, so that the name cannot point elsewhere mid-run. */
  run->addresses = fs_resolve (config->host, config->port, FALSE, &local);
  if (run->addresses == NULL)
    {
      g_set_error_literal (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_CONNECT, local->message);
      g_error_free (local);
      return NULL;
    }
  /* The job keeps pointing into the result's copy of the config. */
  run->job = (FsPoolJob) { &result->config, run->addresses, NULL, result->file,
                           result->file_size, fs_pool_publish_slots (config->clients + 1),
                           result->file, NULL, NULL, NULL };
  fs_open_tally_init (&result->open);

  if (!fs_pool_prepare (&run->job, result, progress, &local))
    {
      if (fs_pool_interrupted ())
        {
          g_clear_error (&local);
          run->stopped = TRUE;
          return g_steal_pointer (&run);
        }
      g_propagate_error (error, local);
      return NULL;
    }
  /* A server without STATS is not filestorm's, and its upload answer will
   * not carry the stored size: its MD5 name is the proof, if it gives one. */
  if (config->operation == FS_OP_UPLOAD && config->verify && result->server_mode == NULL)
    run->job.md5 = run->md5 = fs_content_md5 (result->file, result->file_size);

  run->tallies_size = sizeof (FsPoolTally) * config->clients;
  run->tallies = mmap (NULL, run->tallies_size, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (run->tallies == MAP_FAILED)
    {
      run->tallies = NULL;
      fs_set_errno_error (error, errno, "cannot map memory for %u clients", config->clients);
      return NULL;
    }
  if (config->rate > 0 && !map_schedule (run, error))
    return NULL;
  /* Last, after STATS and the download file, which they would otherwise
   * wait behind on a blocking server with fewer workers. */
  if (config->idle_connections > 0)
    {
      run->idle = fs_pool_idle_open (run->job.address, config->idle_connections,
                                     config->clients, config->timeout, &local);
      if (run->idle == NULL && fs_pool_interrupted ())
        {
          g_clear_error (&local);
          run->stopped = TRUE;
        }
      else if (run->idle == NULL)
        {
          g_propagate_error (error, local);
          return NULL;
        }
    }
  return g_steal_pointer (&run);
}

const FsPoolResult *
fs_pool_run_peek (const FsPoolRun *run)
{
  return run->result;
}

const char *
fs_pool_run_download_name (const FsPoolRun *run)
{
  return run->job.get_name;
}

void
fs_pool_run_set_download_name (FsPoolRun *run, const char *name)
{
  g_free (run->get_name);
  run->job.get_name = run->get_name = g_strdup (name);
}

/* The open loop's account: the clients' tallies, the operations never
 * sent, and a measured window of at least the duration (the operations
 * due in it may end a little after it, never before). */
static void
finish_open (FsPoolRun *run, FsPoolResult *result, gint64 start)
{
  for (guint i = 0; i < result->config.clients; i++)
    if (run->tallies[i].done)
      fs_open_tally_merge (&result->open, &run->job.open[i]);
  if (fs_pool_interrupted ())
    return;
  fs_pool_open_drain (&run->job, start, result->end_us, &result->open);
  result->window_s = MAX (result->window_s, result->config.duration_s);
}

FsPoolResult *
fs_pool_run_clients (FsPoolRun *run, FsPoolStartFunc starting, gpointer data)
{
  g_autoptr(FsPoolResult) result = g_steal_pointer (&run->result);
  const FsPoolConfig *config = &result->config;
  FsPoolTally *tallies = run->tallies;
  gint64 start = 0;
  guint done = 0;
  double *times;

  /* The job points into the result (its config, its file's names),
   * which lives on as the caller's. */
  if (run->stopped)
    {
      if (starting != NULL)
        starting (data);
      return stopped_early (g_steal_pointer (&result));
    }

  if (config->mode == FS_MODE_PROCESS)
    run_processes (&run->job, tallies, config->clients, starting, data, &start);
  else
    run_threads (&run->job, tallies, config->clients, starting, data, &start);
  result->start_us = start;
  result->end_us = g_get_monotonic_time ();
  result->total_time_s = (double) (result->end_us - start) / G_USEC_PER_SEC;

  times = g_new (double, config->clients);
  for (guint i = 0; i < config->clients; i++)
    {
      merge (&result->total, &tallies[i], config->repeat);
      if (tallies[i].done)
        times[done++] = tallies[i].seconds;
    }
  fs_pool_result_set_client_times (result, times, done);
  result->window_end_us = result->total.last_end_us;
  fs_pool_result_set_window (result, start);
  if (run->schedule != NULL)
    finish_open (run, result, start);
  if (fs_pool_interrupted ())
    return stopped_early (g_steal_pointer (&result));
  return g_steal_pointer (&result);
}

gboolean
fs_pool_result_unreachable (const FsPoolResult *result)
{
  return !result->interrupted && result->total.success == 0 && result->total.fail > 0
         && result->total.errors[FS_CLIENT_ERROR_CONNECT] == result->total.fail;
}

FsPoolResult *
fs_pool_run (const FsPoolConfig *config, FILE *progress, GError **error)
{
  g_autoptr(FsPoolRun) run = fs_pool_run_prepare (config, progress, error);
  g_autoptr(FsPoolResult) result = NULL;

  if (run == NULL)
    return NULL;
  result = fs_pool_run_clients (run, NULL, NULL);
  if (fs_pool_result_unreachable (result))
    {
      g_set_error_literal (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_CONNECT,
                           result->total.first_error);
      return NULL;
    }
  return g_steal_pointer (&result);
}

void
fs_pool_result_free (FsPoolResult *result)
{
  if (result == NULL)
    return;
  fs_pool_config_clear (&result->config);
  g_free (result->file);
  g_free (result->stored_name);
  g_free (result->server_mode);
  g_free (result->server_error);
  g_free (result->client_times);
  g_free (result);
}
