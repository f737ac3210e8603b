/* pool.c: the client pool's run: preparation, the workers, the merge. */
#include "config.h"

#include "pool.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/wait.h>
#include <unistd.h>

#include "content.h"
#include "errors.h"
#include "util.h"

void
fs_pool_config_init (FsPoolConfig *config)
{
  memset (config, 0, sizeof *config);
  config->mode = FS_MODE_THREAD;
  config->operation = FS_OP_DOWNLOAD;
  config->volume_mb = 10;
  config->clients = 1;
  config->repeat = 1;
  config->host = g_strdup ("127.0.0.1");
  config->port = 7000;
  config->timeout = 60;
  config->verify = TRUE;
  config->prepare = TRUE;
}

void
fs_pool_config_clear (FsPoolConfig *config)
{
  g_clear_pointer (&config->host, g_free);
}

const char *
fs_pool_operation_name (FsOperation op)
{
  switch (op)
    {
    case FS_OP_LIST: return "list";
    case FS_OP_UPLOAD: return "upload";
    case FS_OP_DOWNLOAD:
    default: return "download";
    }
}

gboolean
fs_pool_operation_parse (const char *text, FsOperation *op, GError **error)
{
  if (g_strcmp0 (text, "list") == 0)
    *op = FS_OP_LIST;
  else if (g_strcmp0 (text, "download") == 0 || g_strcmp0 (text, "get") == 0)
    *op = FS_OP_DOWNLOAD;
  else if (g_strcmp0 (text, "upload") == 0)
    *op = FS_OP_UPLOAD;
  else
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                   "invalid operation '%s' (expected list, download, get or upload)", text);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------ one client */

typedef struct {
  const FsPoolConfig *config;
  GSocketAddress     *address;  /* (unowned) */
  const char         *file;
  guint64             size;
} Job;

typedef struct {
  FsContent content;
  gboolean  verify;
} Check;

static gboolean
check_download (const guint8 *data, gsize len, gpointer user_data, GError **error)
{
  Check *check = user_data;
  guint64 bad = 0;

  if (!check->verify)
    return TRUE;
  if (fs_content_check (&check->content, data, len, &bad))
    return TRUE;
  if (bad >= check->content.size)
    g_set_error (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_CORRUPT,
                 "the download is longer than the expected %" G_GUINT64_FORMAT " bytes",
                 check->content.size);
  else
    g_set_error (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_CORRUPT,
                 "the download differs from the expected content at byte %" G_GUINT64_FORMAT,
                 bad);
  return FALSE;
}

static gssize
generate (guint8 *buf, gsize len, gpointer user_data, GError **error)
{
  return (gssize) fs_content_fill (user_data, buf, len);
}

static gboolean
corrupt (GError **error, const char *what, guint64 got, guint64 want)
{
  g_set_error (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_CORRUPT,
               "%s: %" G_GUINT64_FORMAT " bytes, expected %" G_GUINT64_FORMAT, what, got, want);
  return FALSE;
}

static gboolean
upload (FsClient *client, const Job *job, FsPoolTally *t, GError **error)
{
  g_autofree char *stored = NULL;
  guint64 stored_size = 0;
  FsContent content;

  fs_content_init (&content, job->file, job->size);
  if (!fs_client_upload (client, job->file, generate, &content, &stored, &stored_size, error))
    return FALSE;
  if (strcmp (stored, job->file) != 0)
    {
      g_set_error (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_CORRUPT,
                   "the server stored the upload as '%s', not '%s'", stored, job->file);
      return FALSE;
    }
  if (stored_size != G_MAXUINT64 && stored_size != job->size)
    return corrupt (error, "the server stored", stored_size, job->size);
  if (job->config->verify && stored_size != G_MAXUINT64)
    t->verified++;
  t->bytes += job->size;
  return TRUE;
}

static gboolean
download (FsClient *client, const Job *job, FsPoolTally *t, GError **error)
{
  Check check = { .verify = job->config->verify };
  guint64 size = 0;

  fs_content_init (&check.content, job->file, job->size);
  if (!fs_client_get (client, job->file, check_download, &check, &size, error))
    return FALSE;
  if (size != job->size)
    return corrupt (error, "the download has", size, job->size);
  if (job->config->verify)
    t->verified++;
  t->bytes += size;
  return TRUE;
}

static gboolean
one_operation (const Job *job, FsPoolTally *t, GError **error)
{
  g_autoptr(FsClient) client = fs_client_connect_address (job->address,
                                                          job->config->timeout, error);
  g_auto(GStrv) names = NULL;

  if (client == NULL)
    return FALSE;
  switch (job->config->operation)
    {
    case FS_OP_LIST:
      return fs_client_list (client, &names, error);
    case FS_OP_UPLOAD:
      t->transfers++;
      return upload (client, job, t, error);
    case FS_OP_DOWNLOAD:
    default:
      t->transfers++;
      return download (client, job, t, error);
    }
}

static void
run_client (const Job *job, FsPoolTally *t)
{
  gint64 start = g_get_monotonic_time ();

  fs_histogram_init (&t->latency);
  for (guint i = 0; i < job->config->repeat; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 op_start = g_get_monotonic_time ();
      gboolean ok = one_operation (job, t, &error);

      fs_histogram_record (&t->latency, (guint64) (g_get_monotonic_time () - op_start));
      if (ok)
        {
          t->success++;
          continue;
        }
      t->fail++;
      if (error->domain == FS_CLIENT_ERROR && error->code < FS_CLIENT_N_ERRORS)
        t->errors[error->code]++;
      else
        t->errors[FS_CLIENT_ERROR_PROTOCOL]++;
      if (t->first_error[0] == '\0')
        g_strlcpy (t->first_error, error->message, sizeof t->first_error);
    }
  t->seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  t->done = TRUE;
}

/* ------------------------------------------------------------ the workers */

typedef struct {
  GMutex   lock;
  GCond    cond;
  gboolean open;
} Gate;

typedef struct {
  const Job   *job;
  FsPoolTally *tally;
  Gate        *gate;
} ThreadArgs;

static gpointer
client_thread (gpointer data)
{
  ThreadArgs *args = data;

  g_mutex_lock (&args->gate->lock);
  while (!args->gate->open)
    g_cond_wait (&args->gate->cond, &args->gate->lock);
  g_mutex_unlock (&args->gate->lock);
  run_client (args->job, args->tally);
  return NULL;
}

static void
run_threads (const Job *job, FsPoolTally *tallies, guint n, gint64 *start)
{
  g_autofree GThread **threads = g_new0 (GThread *, n);
  g_autofree ThreadArgs *args = g_new0 (ThreadArgs, n);
  Gate gate = { .open = FALSE };

  g_mutex_init (&gate.lock);
  g_cond_init (&gate.cond);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      args[i] = (ThreadArgs) { job, &tallies[i], &gate };
      threads[i] = g_thread_try_new ("fs-client", client_thread, &args[i], &error);
      if (threads[i] == NULL)
        g_strlcpy (tallies[i].first_error, error->message, sizeof tallies[i].first_error);
    }
  /* All clients start together, once every thread exists. */
  g_mutex_lock (&gate.lock);
  *start = g_get_monotonic_time ();
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
 * see fs_resolve() and the proxy setting in client.c), so fork() is safe. */
static void
run_processes (const Job *job, FsPoolTally *tallies, guint n, gint64 *start)
{
  g_autofree pid_t *pids = g_new0 (pid_t, n);
  int gate[2];

  *start = g_get_monotonic_time ();
  if (pipe (gate) < 0)
    {
      for (guint i = 0; i < n; i++)
        g_snprintf (tallies[i].first_error, sizeof tallies[i].first_error,
                    "cannot create a pipe: %s", g_strerror (errno));
      return;
    }
  fflush (NULL);
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
          run_client (job, &tallies[i]);
          _exit (0);
        }
      if (pids[i] < 0)
        g_snprintf (tallies[i].first_error, sizeof tallies[i].first_error,
                    "cannot start a client process: %s", g_strerror (errno));
    }
  close (gate[0]);
  *start = g_get_monotonic_time ();
  close (gate[1]);
  for (guint i = 0; i < n; i++)
    if (pids[i] > 0)
      while (waitpid (pids[i], NULL, 0) < 0 && errno == EINTR)
        ;
}

/* ------------------------------------------------------------ the run */

/* For download: the file must be on the server before timing starts. */
static gboolean
prepare (const Job *job, gboolean *uploaded, GError **error)
{
  g_autoptr(FsClient) client = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *stored = NULL;
  guint64 stored_size = 0;
  FsContent content;

  *uploaded = FALSE;
  client = fs_client_connect_address (job->address, job->config->timeout, error);
  if (client == NULL || !fs_client_list (client, &names, error))
    return FALSE;
  if (g_strv_contains ((const char * const *) names, job->file))
    return TRUE;

  g_clear_pointer (&client, fs_client_free);
  client = fs_client_connect_address (job->address, job->config->timeout, error);
  fs_content_init (&content, job->file, job->size);
  if (client == NULL
      || !fs_client_upload (client, job->file, generate, &content, &stored, &stored_size,
                            error))
    {
      g_prefix_error (error, "cannot upload %s for the download test: ", job->file);
      return FALSE;
    }
  if (strcmp (stored, job->file) != 0
      || (stored_size != G_MAXUINT64 && stored_size != job->size))
    {
      g_set_error (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_CORRUPT,
                   "cannot upload %s for the download test: the server stored %s",
                   job->file, stored);
      return FALSE;
    }
  *uploaded = TRUE;
  return TRUE;
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
  fs_histogram_merge (&into->latency, &from->latency);
  if (into->first_error[0] == '\0')
    g_strlcpy (into->first_error, from->first_error, sizeof into->first_error);
}

FsPoolResult *
fs_pool_run (const FsPoolConfig *config, FILE *progress, GError **error)
{
  g_autoptr(FsPoolResult) result = g_new0 (FsPoolResult, 1);
  g_autoptr(GSocketAddress) address = NULL;
  GError *local = NULL;
  FsPoolTally *tallies;
  gsize tallies_size;
  gint64 start = 0;
  guint done = 0;
  Job job;

  result->config = *config;
  result->config.host = g_strdup (config->host);
  result->file = fs_content_name (config->volume_mb);
  result->file_size = fs_content_size (config->volume_mb);
  fs_histogram_init (&result->total.latency);

  address = fs_resolve (config->host, config->port, FALSE, &local);
  if (address == NULL)
    {
      g_set_error_literal (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_CONNECT, local->message);
      g_error_free (local);
      return NULL;
    }
  job = (Job) { config, address, result->file, result->file_size };

  if (config->operation == FS_OP_DOWNLOAD && config->prepare)
    {
      if (!prepare (&job, &result->prepared, error))
        return NULL;
      if (result->prepared && progress != NULL)
        fprintf (progress, "filestorm-pool: %s was not on the server; uploaded it (%"
                 G_GUINT64_FORMAT " bytes) before the timed run\n", result->file,
                 result->file_size);
    }

  /* Shared memory, so forked clients can report; threads use it alike. */
  tallies_size = sizeof (FsPoolTally) * config->clients;
  tallies = mmap (NULL, tallies_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                  -1, 0);
  if (tallies == MAP_FAILED)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "cannot map memory for %u clients: %s", config->clients,
                   g_strerror (errsv));
      return NULL;
    }

  if (config->mode == FS_MODE_PROCESS)
    run_processes (&job, tallies, config->clients, &start);
  else
    run_threads (&job, tallies, config->clients, &start);
  result->total_time_s = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;

  for (guint i = 0; i < config->clients; i++)
    {
      merge (&result->total, &tallies[i], config->repeat);
      done += tallies[i].done;
    }
  munmap (tallies, tallies_size);
  result->avg_time_s = done > 0 ? result->total.seconds / done : 0;

  /* Nothing got through and every failure was a refused connection: the
   * server is not there, which is one clear error rather than a report. */
  if (result->total.success == 0
      && result->total.errors[FS_CLIENT_ERROR_CONNECT] == result->total.fail)
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
  g_free (result);
}
