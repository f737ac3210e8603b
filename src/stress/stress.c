/* stress.c: one scenario of filestorm-stress, end to end. */
#include "config.h"

#include "stress.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "client.h"
#include "content.h"
#include "cost.h"
#include "errors.h"
#include "json-member.h"
#include "stress-server.h"
#include "util.h"

/* Deadlines, in seconds. */
#define SETTLE_TIMEOUT 10  /* the server's sessions to end after the pool */
/* One STATS's connect and answer: filestorm-server answers in
 * milliseconds, and a server silent on STATS costs this once in a run
 * (FsStressMemo), where 10 s had cost 10 s in every scenario. */
#define STATS_TIMEOUT 2
/* Milliseconds between samples of the server's memory while the pool
 * runs. A sample of a 50-worker process-mode server (listing /proc, then
 * status and smaps_rollup of 51 processes) took 3.8 to 6.4 ms here (2-core AMD
 * EPYC VM, tests/bench-cost.c), so one a second costs under 1% of a core
 * while the pool runs; the last sample, as the pool ends, is always
 * taken, and VmHWM is a peak the kernel keeps. */
#define SAMPLE_INTERVAL_MS 1000

void
fs_stress_config_clear (FsStressConfig *config)
{
  g_clear_pointer (&config->server_path, g_free);
  g_clear_pointer (&config->pool_path, g_free);
  g_clear_pointer (&config->server_command, g_free);
  g_clear_pointer (&config->target_host, g_free);
  g_clear_pointer (&config->launcher, g_strfreev);
}

gboolean
fs_stress_find_programs (FsStressConfig *config, GError **error)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", error);
  g_autofree char *dir = NULL;

  if (self == NULL)
    {
      g_prefix_error (error, "cannot find where this program lives: ");
      return FALSE;
    }
  dir = g_path_get_dirname (self);
  config->server_path = g_build_filename (dir, "filestorm-server", NULL);
  /* Through a launcher, the pool is the MPI one. */
  config->pool_path = g_build_filename (dir, config->launcher != NULL ? "filestorm-pool-mpi"
                                        : "filestorm-pool", NULL);
  for (int i = 0; i < 2; i++)
    {
      const char *path = i == 0 ? config->server_path : config->pool_path;
      if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        {
          g_set_error (error, FS_ERROR, FS_ERROR_FAILED,
                       "%s is missing: filestorm-stress runs the programs installed "
                       "beside it%s", path, i == 1 && config->launcher != NULL
                       ? " (--launcher: filestorm-pool-mpi, in the filestorm-mpi package)" : "");
          return FALSE;
        }
    }
  if (config->launcher != NULL)
    {
      g_autofree char *found = g_find_program_in_path (config->launcher[0]);
      if (found == NULL)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_FAILED,
                       "--launcher: %s is not found in PATH", config->launcher[0]);
          return FALSE;
        }
    }
  return TRUE;
}

char **
fs_stress_launcher_argv (const char *template, guint ranks, gboolean ranks_given,
                         guint *started, GError **error)
{
  static const char *const names[] = { "ranks" };
  g_autofree char *number = g_strdup_printf ("%u", ranks);
  const char *const values[] = { number };
  g_auto(GStrv) words = NULL;

  if (ranks_given && strstr (template, "{ranks}") == NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                   "--ranks %u: the --launcher template has no {ranks} to put it in", ranks);
      return NULL;
    }
  /* An empty template does not split: no word list is ever empty. */
  words = fs_template_argv (template, "--launcher", names, 1, values, error);
  *started = strstr (template, "{ranks}") != NULL ? ranks : 0;
  return g_steal_pointer (&words);
}

gboolean
fs_stress_check_ranks (const FsStressConfig *config, const GArray *scenarios,
                       GError **error)
{
  guint smallest = G_MAXUINT;

  for (guint i = 0; i < scenarios->len; i++)
    smallest = MIN (smallest, g_array_index (scenarios, FsScenario, i).client_pool);
  if (config->launcher == NULL || config->ranks <= 1 || smallest >= config->ranks)
    return TRUE;
  g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
               "--ranks %u needs %u clients or more in every scenario, and one has %u: "
               "choose larger ones with --client-pool", config->ranks, config->ranks, smallest);
  return FALSE;
}

char *
fs_stress_check_tmpdir (GError **error)
{
  const char *dir = g_get_tmp_dir ();
  g_autofree char *probe = NULL;
  g_autofree char *tmpl = g_build_filename (dir, "filestorm-stress-XXXXXX", NULL);

  probe = g_mkdtemp (tmpl) != NULL ? g_strdup (tmpl) : NULL;
  if (probe == NULL)
    {
      int errsv = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                   "cannot make the servers' directories in %s%s: %s", dir,
                   g_getenv ("TMPDIR") != NULL ? " (TMPDIR)" : "", g_strerror (errsv));
      return NULL;
    }
  g_rmdir (probe);
  return g_strdup (dir);
}

/* ------------------------------------------------------------ STATS */

typedef struct {
  guint64 connections, workers_ok, workers_failed, worker_restarts;
} Snapshot;

/* One STATS. *no_stats is set when the server was reached but gave no
 * counters: an ERROR answer, one without them, a closed connection or no
 * answer in time (not filestorm's server; the pool's ask_server() takes
 * any of these the same way). */
static gboolean
snapshot (const FsStressServer *server, Snapshot *snap, gboolean *no_stats, GError **error)
{
  g_autoptr(FsClient) client = fs_client_connect (fs_stress_server_host (server),
                                                  fs_stress_server_port (server),
                                                  STATS_TIMEOUT, error);
  g_autoptr(JsonObject) data = NULL;

  *no_stats = FALSE;
  if (client == NULL)
    {
      g_prefix_error (error, "STATS: ");
      return FALSE;
    }
  if (!fs_client_stats (client, &data, error))
    {
      *no_stats = TRUE;
      g_prefix_error (error, "STATS: ");
      return FALSE;
    }
  if (!json_object_has_member (data, "connections") || !json_object_has_member (data, "workers_ok"))
    {
      *no_stats = TRUE;
      g_set_error_literal (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_PROTOCOL,
                           "STATS: the answer has no connection counters");
      return FALSE;
    }
  /* Counters it has but that are no counts fail the run: not a server
   * without STATS, one that breaks the protocol. */
  if (!fs_client_stats_count (data, "connections", &snap->connections, error)
      || !fs_client_stats_count (data, "workers_ok", &snap->workers_ok, error)
      || !fs_client_stats_count (data, "workers_failed", &snap->workers_failed, error)
      || !fs_client_stats_count (data, "worker_restarts", &snap->worker_restarts, error))
    {
      g_prefix_error (error, "STATS: ");
      return FALSE;
    }
  return TRUE;
}

/* Takes STATS until every session but the asking one has ended, and the
 * server has accepted at least at_least connections besides these asks, so
 * the sessions before it are all counted; when says when that is, for the
 * message. Returns the number of STATS connections it made, or 0 with
 * error set (and *no_stats, as snapshot() sets it). */
static guint
settle (const FsStressServer *server, guint64 at_least, const char *when, Snapshot *snap,
        gboolean *no_stats, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + SETTLE_TIMEOUT * G_USEC_PER_SEC;
  gulong pause_us = 1000;
  guint asked = 0;

  for (;;)
    {
      guint64 ended;

      if (!snapshot (server, snap, no_stats, error))
        return 0;
      asked++;
      ended = snap->workers_ok + snap->workers_failed;
      /* Those made before and every ask so far must have been accepted:
       * one still in the listen queue is not counted yet. */
      if (ended + 1 >= snap->connections && snap->connections >= at_least + asked)
        return asked;
      if (g_get_monotonic_time () > deadline)
        {
          if (ended + 1 < snap->connections)
            g_set_error (error, FS_ERROR, FS_ERROR_FAILED,
                         "the server still had %" G_GUINT64_FORMAT " connection(s) open %d s "
                         "%s", snap->connections - 1 - ended, SETTLE_TIMEOUT, when);
          else
            g_set_error (error, FS_ERROR, FS_ERROR_FAILED,
                         "the server had counted %" G_GUINT64_FORMAT " of the %"
                         G_GUINT64_FORMAT " connection(s) made to it %d s %s",
                         snap->connections, at_least + asked, SETTLE_TIMEOUT, when);
          return 0;
        }
      g_usleep (pause_us);
      pause_us = MIN (pause_us * 2, 100 * 1000);
    }
}

/* The counters before the pool: settled, or none when the server has no
 * STATS; an unreachable server is an error. */
static gboolean
first_counters (const FsStressServer *server, Snapshot *snap, gboolean *available,
                GError **error)
{
  g_autoptr(GError) local = NULL;
  gboolean no_stats = FALSE;

  /* The server has seen our probes (a command's readiness connection)
   * and these STATS connections, once it has accepted them all. */
  *available = settle (server, fs_stress_server_probes (server), "before the pool started",
                       snap, &no_stats, &local) > 0;
  if (*available || no_stats)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/* after - before, counter by counter; FALSE, with error set, when one went
 * down: the server restarted, or its counters are not one set. */
static gboolean
difference (const Snapshot *before, const Snapshot *after, Snapshot *diff, GError **error)
{
  if (after->connections < before->connections || after->workers_ok < before->workers_ok
      || after->workers_failed < before->workers_failed
      || after->worker_restarts < before->worker_restarts)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "STATS: the server's counters went down "
                   "during the run (connections %" G_GUINT64_FORMAT ", then %"
                   G_GUINT64_FORMAT ")", before->connections, after->connections);
      return FALSE;
    }
  diff->connections = after->connections - before->connections;
  diff->workers_ok = after->workers_ok - before->workers_ok;
  diff->workers_failed = after->workers_failed - before->workers_failed;
  diff->worker_restarts = after->worker_restarts - before->worker_restarts;
  return TRUE;
}

/* ------------------------------------------------------------ the pool */

/* For download: the test file goes straight into the new root, so the
 * pool finds it and the server's counters see only the timed run. */
static gboolean
place_file (const char *base, const FsScenario *scenario, GError **error)
{
  g_autofree char *root = g_build_filename (base, "root", NULL);
  g_autofree char *name = fs_content_name (scenario->volume_mb);
  g_autofree char *path = g_build_filename (root, name, NULL);
  g_autofree guint8 *buf = g_malloc (64 * 1024);
  FsContent content;
  gsize n;
  int fd;

  if (g_mkdir_with_parents (root, 0755) < 0
      || (fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
    {
      return fs_set_errno_error (error, errno, "cannot create %s", path);
    }
  fs_content_init (&content, name, fs_content_size (scenario->volume_mb));
  while ((n = fs_content_fill (&content, buf, 64 * 1024)) > 0)
    if (!fs_write_all (fd, buf, n, path, error))
      {
        close (fd);
        return FALSE;
      }
  if (close (fd) < 0)
    {
      return fs_set_errno_error (error, errno, "cannot write %s", path);
    }
  return TRUE;
}

static gboolean
parse_pool_json (const char *text, FsResultRow *row, guint64 *setup, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *obj, *latency;

  if (!json_parser_load_from_data (parser, text, -1, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_PROTOCOL, "not a JSON object");
      return FALSE;
    }
  obj = json_node_get_object (json_parser_get_root (parser));
  row->avg_time_s = fs_json_double (obj, "avg_time_s");
  row->throughput_Bps = fs_json_double (obj, "throughput_Bps");
  row->aggregate_Bps = fs_json_double (obj, "aggregate_Bps");
  row->total_time_s = fs_json_double (obj, "total_time_s");
  row->success = (guint64) json_object_get_int_member_with_default (obj, "success", 0);
  row->fail = (guint64) json_object_get_int_member_with_default (obj, "fail", 0);
  row->verified = json_object_get_boolean_member_with_default (obj, "verified", FALSE);
  row->volume_bytes = (guint64) json_object_get_int_member_with_default (obj, "file_bytes", 0);
  /* filestorm-pool-mpi says over how many ranks it ran; filestorm-pool
   * does not, and is one process (the row's ranks already). */
  if (json_object_has_member (obj, "ranks"))
    row->ranks = (guint) CLAMP (json_object_get_int_member_with_default (obj, "ranks", 1), 1,
                                G_MAXINT);
  /* The pool's own word on its clients' model: the evidence that the
   * client mode, not the server's, chose it. */
  if (!fs_mode_parse (json_object_get_string_member_with_default (obj, "mode", NULL),
                      &row->pool_mode, NULL))
    row->pool_mode = fs_scenario_pool_mode (&row->scenario);
  *setup = (guint64) json_object_get_int_member_with_default (obj, "setup_connections", 0);
  /* The steady state: a pool from before it (--repeat only) gives none
   * of these, and the figures fall back on what it did say. */
  row->duration_s = fs_json_double (obj, "duration_s");
  row->warmup_s = fs_json_double (obj, "warmup_s");
  row->operations = (guint64) json_object_get_int_member_with_default (obj, "operations",
                                                                        row->success + row->fail);
  row->has_window = json_object_has_member (obj, "window_s")
                    && json_object_has_member (obj, "ops_per_s")
                    && json_object_has_member (obj, "avg_op_time_s");
  row->window_s = fs_json_double (obj, "window_s");
  row->ops_per_s = fs_json_double (obj, "ops_per_s");
  row->avg_op_time_s = fs_json_double (obj, "avg_op_time_s");
  row->warmup_operations =
    (guint64) json_object_get_int_member_with_default (obj, "warmup_operations", 0);
  row->warmup_fail = (guint64) json_object_get_int_member_with_default (obj, "warmup_fail", 0);
  /* The pool process's peak RSS, or its largest client process's. */
  row->pool_peak_rss_kib =
    (guint64) MAX (json_object_get_int_member_with_default (obj, "peak_rss_kib", 0),
                   json_object_get_int_member_with_default (obj, "client_peak_rss_kib", 0));
  if (json_object_has_member (obj, "client_time_s")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "client_time_s")))
    {
      JsonObject *times = json_object_get_object_member (obj, "client_time_s");

      row->client_time_min_s = fs_json_double (times, "min");
      row->client_time_p50_s = fs_json_double (times, "p50");
      row->client_time_max_s = fs_json_double (times, "max");
    }
  if (json_object_has_member (obj, "errors")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "errors")))
    {
      JsonObject *errors = json_object_get_object_member (obj, "errors");

      for (int i = 0; i < FS_CLIENT_N_ERRORS; i++)
        row->errors[i] = (guint64) json_object_get_int_member_with_default (
          errors, fs_client_error_name ((FsClientError) i), 0);
      row->crashed = (guint64) json_object_get_int_member_with_default (errors, "crashed", 0);
    }
  if (json_object_has_member (obj, "latency_ms")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "latency_ms")))
    {
      latency = json_object_get_object_member (obj, "latency_ms");
      row->p50_ms = fs_json_double (latency, "p50");
      row->p90_ms = fs_json_double (latency, "p90");
      row->p99_ms = fs_json_double (latency, "p99");
      row->max_ms = fs_json_double (latency, "max");
    }
  /* A failure in the warm-up fails the run too (the pool exits 1), and
   * the error says where it was, since no measured figure shows it. */
  if ((row->fail > 0 || row->warmup_fail > 0)
      && json_object_get_string_member_with_default (obj, "first_error", NULL))
    row->error = g_strdup_printf ("client: %s%s", row->fail == 0 ? "in the warm-up: " : "",
                                  json_object_get_string_member (obj, "first_error"));
  else if (row->warmup_fail > 0)
    row->error = g_strdup_printf ("client: %" G_GUINT64_FORMAT " operation(s) failed in the "
                                  "warm-up", row->warmup_fail);
  return TRUE;
}

/* The line of a failed pool's stderr that says why (owned), or NULL: the
 * last of its own (filestorm-pool: or filestorm-pool-mpi:; a note that
 * it uploaded the file may come before), else the first that is not
 * empty. A launcher adds banners of its own around it (mpirun's are a
 * dozen lines), and a row's error is one line. */
static char *
pool_message (const char *err)
{
  g_auto(GStrv) lines = g_strsplit (err, "\n", -1);
  const char *own = NULL, *first = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (g_str_has_prefix (lines[i], "filestorm-pool"))
        own = lines[i];
      if (first == NULL && lines[i][0] != '\0')
        first = lines[i];
    }
  return g_strdup (own != NULL ? own : first);
}

static gboolean
on_sample (gpointer data)
{
  fs_cost_probe_sample (data);
  return G_SOURCE_CONTINUE;
}

/* Runs the pool against the server; its cost and the server's over the
 * pool's life go in row, and setup receives the connections the pool made
 * outside its timed operations. */
static gboolean
run_pool (const FsStressConfig *config, const FsScenario *scenario,
          const FsStressServer *server, GCancellable *interrupt, FsResultRow *row,
          guint64 *setup, GError **error)
{
  g_autofree char *volume = g_malloc (G_ASCII_DTOSTR_BUF_SIZE);
  g_autofree char *clients = g_strdup_printf ("%u", scenario->client_pool);
  g_autofree char *port_s = g_strdup_printf ("%u", fs_stress_server_port (server));
  g_autofree char *timeout = g_strdup_printf ("%u", config->timeout);
  g_autofree char *repeat = g_strdup_printf ("%u", config->repeat);
  char duration[G_ASCII_DTOSTR_BUF_SIZE], warmup[G_ASCII_DTOSTR_BUF_SIZE];
  const char *pool_argv[] = {
    /* --mode is the client mode's, not the server's (unless it is same):
     * one load generator for both server models, with or without a
     * launcher.
     * --no-prepare: the file is already in the root (place_file()), and
     * the pool's check for it would be a connection the server counts.
     * Another server's root is its own: the pool uploads the file there. */
    config->pool_path, "--json", "--mode", fs_mode_name (fs_scenario_pool_mode (scenario)),
    "--operation", fs_pool_operation_name (scenario->operation),
    "--transfer", fs_pool_transfer_name (scenario->transfer), "--volume", volume,
    "--client-pool", clients, "--host", fs_stress_server_host (server), "--port", port_s,
    "--timeout", timeout,
    /* A count, or a time after a warm-up: filestorm-pool and
     * filestorm-pool-mpi both take either. */
    config->duration > 0 ? "--duration" : "--repeat",
    config->duration > 0 ? g_ascii_dtostr (duration, sizeof duration, config->duration) : repeat,
    /* last: a NULL here ends the list */
    fs_stress_server_serves_root (server) ? "--no-prepare" : NULL, NULL
  };
  /* The launcher's words (mpirun -n 4 ...), then the pool's. */
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GCancellable) gave_up = g_cancellable_new ();
  g_autofree char *out = NULL, *err = NULL, *message = NULL;
  g_autoptr(FsCostProbe) probe = NULL;
  /* 0 once the server has exited and been reaped: no cost then. */
  pid_t server_pid = fs_stress_server_pid (server);
  double pool_cpu;
  guint sampler;
  int status;

  g_ascii_dtostr (volume, G_ASCII_DTOSTR_BUF_SIZE, scenario->volume_mb);
  for (guint i = 0; config->launcher != NULL && config->launcher[i] != NULL; i++)
    g_ptr_array_add (argv, config->launcher[i]);
  for (gsize i = 0; pool_argv[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) pool_argv[i]);
  if (config->duration > 0)
    {
      g_ptr_array_add (argv, (gpointer) "--warmup");
      g_ptr_array_add (argv, g_ascii_dtostr (warmup, sizeof warmup, config->warmup));
    }
  /* filestorm-pool-mpi keeps to loopback unless told: --target's
   * --allow-remote tells it too. */
  if (config->launcher != NULL && config->allow_remote)
    g_ptr_array_add (argv, (gpointer) "--allow-remote");
  g_ptr_array_add (argv, NULL);
  /* The window opens before the pool starts and closes once it has been
   * waited for: the server serves nothing else in between, and the pool's
   * start-up and exit are a few milliseconds of it. */
  probe = server_pid > 0 ? fs_cost_probe_start (server_pid) : NULL;
  pool_cpu = fs_cost_children_cpu ();
  proc = fs_stress_spawn ((const char *const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, NULL,
                error);
  if (proc == NULL)
    return FALSE;
  sampler = probe != NULL ? g_timeout_add (SAMPLE_INTERVAL_MS, on_sample, probe) : 0;
  g_subprocess_communicate_utf8_async (proc, NULL, gave_up, fs_stress_keep_result, &done);
  /* The pool bounds its own time with --timeout on every connect, read
   * and write; only an interruption cuts it short. */
  while (done == NULL && !g_cancellable_is_cancelled (interrupt))
    g_main_context_iteration (NULL, TRUE);
  if (sampler != 0)
    g_source_remove (sampler);
  if (done == NULL)
    {
      g_autoptr(GError) stuck = NULL;

      /* communicate() ends once the pool has been reaped, or cancelled. */
      if (!fs_stress_kill_and_reap (proc, &stuck))
        g_cancellable_cancel (gave_up);
      while (done == NULL)
        g_main_context_iteration (NULL, TRUE);
      if (stuck != NULL)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "interrupted, and the pool's %s",
                       stuck->message);
          return FALSE;
        }
      return !g_cancellable_set_error_if_cancelled (interrupt, error);
    }
  /* communicate() has waited for the pool, so its time is counted. */
  if (probe != NULL)
    fs_cost_probe_finish (probe, &row->server);
  row->pool_cpu_s = MAX (fs_cost_children_cpu () - pool_cpu, 0);
  if (!g_subprocess_communicate_utf8_finish (proc, done, &out, &err, error))
    return FALSE;

  status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
  if ((status == 0 || status == 1) && parse_pool_json (out, row, setup, NULL))
    return TRUE;
  message = pool_message (err);
  if (status < 0)
    g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "the pool was killed by a signal: %s",
                 message != NULL ? message : "no message");
  else
    g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "the pool failed (exit status %d): %s",
                 status, message != NULL ? message : "no message");
  return FALSE;
}

/* ------------------------------------------------------------ a scenario */

gboolean
fs_stress_run_scenario (const FsStressConfig *config, const FsScenario *scenario, guint round,
                        FsStressMemo *memo, GCancellable *interrupt, FsResultRow *row)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *base = NULL;
  g_autoptr(FsStressServer) server = NULL;
  FsStressServerSpec spec = { config->server_path, config->server_command,
                              config->start_timeout, config->stop_grace,
                              config->target_host, config->target_port };
  Snapshot before = { 0 }, after = { 0 }, diff = { 0 };
  guint asked = 0;
  guint64 setup = 0;
  gboolean ran = FALSE, counters = FALSE;

  memset (row, 0, sizeof *row);
  row->scenario = *scenario;
  row->round = round;
  row->quick = config->quick;
  row->pool_cpu_s = -1;
  row->volume_bytes = fs_content_size (scenario->volume_mb);
  /* What the pool was started over, until it says (a failed one may not). */
  row->ranks = config->ranks;

  base = g_dir_make_tmp ("filestorm-stress-XXXXXX", &error);
  if (base == NULL)
    {
      g_prefix_error (&error, "cannot make the server's directory: ");
      goto out;
    }
  server = fs_stress_server_start (&spec, scenario, base, interrupt, &error);
  if (server == NULL)
    goto clean;
  if (scenario->operation == FS_OP_DOWNLOAD && fs_stress_server_serves_root (server)
      && !place_file (base, scenario, &error))
    goto stop;
  /* Settled first too: a command's readiness was a connection. */
  if ((!memo->no_stats && !first_counters (server, &before, &counters, &error))
      || !run_pool (config, scenario, server, interrupt, row, &setup, &error))
    goto stop;
  /* Only another server may lack STATS: filestorm-server that gives no
   * counters is a failure each scenario must show, not a habit to learn. */
  if (config->server_command != NULL || config->target_host != NULL)
    memo->no_stats = !counters;
  ran = TRUE;
  row->server_counters = counters;
  if (counters)
    {
      gboolean no_stats;
      /* Every connection of the pool that succeeded was accepted, and so
       * were its setup ones and the warm-up's that succeeded (they count
       * in no figure of the pool, but the server served them): counted
       * too before the reading is taken. */
      asked = settle (server, before.connections + row->success + setup
                              + (row->warmup_operations - MIN (row->warmup_fail,
                                                               row->warmup_operations)),
                      "after the pool ended", &after, &no_stats, &error);
    }
  if (asked > 0 && difference (&before, &after, &diff, &error))
    {
      /* The orchestrator's own sessions (the first STATS and all but the
       * last of settle()'s) and the pool's setup ones ended cleanly in
       * between: leave them out. */
      guint64 ours = asked + setup;
      row->server_success = diff.workers_ok > ours ? diff.workers_ok - ours : 0;
      row->server_fail = diff.workers_failed;
      row->worker_restarts = diff.worker_restarts;
    }
  /* Every failed row says why in its error column. */
  if (error == NULL && row->error == NULL)
    {
      if (row->server_fail > 0)
        row->error = g_strdup_printf ("server: %" G_GUINT64_FORMAT " connection(s) ended "
                                      "with an error", row->server_fail);
      else if (row->worker_restarts > 0)
        row->error = g_strdup_printf ("server: %" G_GUINT64_FORMAT " worker(s) died and "
                                      "were replaced", row->worker_restarts);
      else if (!row->verified)
        row->error = g_strdup ("client: not every transfer was verified");
    }

stop:
  {
    g_autoptr(GError) stop_error = NULL;
    if (!fs_stress_server_stop (server, &stop_error) && error == NULL)
      g_propagate_error (&error, g_steal_pointer (&stop_error));
    row->server_stop = fs_stress_server_how_stopped (server, &row->server_killed_after_s);
  }
  g_clear_pointer (&server, fs_stress_server_free);
clean:
  fs_remove_tree (base);

out:
  now = g_date_time_new_now_local ();
  row->timestamp = g_date_time_format (now, "%Y-%m-%d %H:%M:%S");
  if (error != NULL)
    {
      g_free (row->error);
      row->error = g_strdup (error->message);
    }
  /* A scenario whose pool finished is complete, even if an interruption
   * came while the server was being stopped. */
  return ran || !g_cancellable_is_cancelled (interrupt);
}
