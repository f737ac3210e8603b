/* stress.c: one scenario of filestorm-stress, end to end. */
#include "config.h"

#include "stress.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>

#include "client.h"
#include "content.h"
#include "cost.h"
#include "errors.h"
#include "util.h"

/* Deadlines, in seconds. */
#define READY_TIMEOUT 15   /* the server's "listening on" line */
#define SETTLE_TIMEOUT 10  /* the server's sessions to end after the pool */
#define STOP_TIMEOUT 20    /* the server to exit after SIGTERM (grace 10) */
#define STATS_TIMEOUT 10
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
  config->pool_path = g_build_filename (dir, "filestorm-pool", NULL);
  for (int i = 0; i < 2; i++)
    {
      const char *path = i == 0 ? config->server_path : config->pool_path;
      if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        {
          g_set_error (error, FS_ERROR, FS_ERROR_FAILED,
                       "%s is missing: filestorm-stress runs the programs installed "
                       "beside it", path);
          return FALSE;
        }
    }
  return TRUE;
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

/* ------------------------------------------------------------ helpers */

/* In the child, before exec: the child dies with us, however we end. */
static void
die_with_parent (gpointer data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

static GSubprocess *
spawn (const char * const *argv, GSubprocessFlags flags, const char *stderr_path,
       GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  if (stderr_path != NULL)
    g_subprocess_launcher_set_stderr_file_path (launcher, stderr_path);
  return g_subprocess_launcher_spawnv (launcher, argv, error);
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static gboolean
on_deadline (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the default main context until *result is set, the deadline
 * (seconds) passes or interrupt is cancelled. Returns FALSE on the
 * latter two. */
static gboolean
wait_for (GAsyncResult **result, guint seconds, GCancellable *interrupt)
{
  gboolean expired = FALSE;
  guint timer = g_timeout_add_seconds (seconds, on_deadline, &expired);

  while (*result == NULL && !expired && !g_cancellable_is_cancelled (interrupt))
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (timer);
  return *result != NULL;
}

/* Ends a child for sure: SIGKILL, then reap it. */
static void
kill_and_reap (GSubprocess *proc)
{
  g_subprocess_force_exit (proc);
  g_subprocess_wait (proc, NULL, NULL);
}

/* The first line of a file (a program's stderr), for an error message. */
static char *
first_line (const char *path)
{
  g_autofree char *text = NULL;
  char *nl;

  if (!g_file_get_contents (path, &text, NULL, NULL) || text[0] == '\0')
    return g_strdup ("no message");
  nl = strchr (text, '\n');
  if (nl != NULL)
    *nl = '\0';
  return g_strdup (text);
}

/* ------------------------------------------------------------ server */

typedef struct {
  GSubprocess *proc;      /* (owned) */
  guint        port;
  char        *log_path;  /* (owned) its stderr */
} Server;

static void
server_clear (Server *server)
{
  if (server->proc != NULL && !g_subprocess_get_if_exited (server->proc)
      && !g_subprocess_get_if_signaled (server->proc))
    kill_and_reap (server->proc);
  g_clear_object (&server->proc);
  g_clear_pointer (&server->log_path, g_free);
}

/* Reads the ready line "listening on HOST:PORT (...)" with a deadline. */
static gboolean
read_ready_line (Server *server, GCancellable *interrupt, GError **error)
{
  GInputStream *out = g_subprocess_get_stdout_pipe (server->proc);
  int fd = g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (out));
  gint64 deadline = g_get_monotonic_time () + READY_TIMEOUT * G_USEC_PER_SEC;
  char line[256];
  gsize len = 0;

  while (len < sizeof line - 1)
    {
      GPollFD pfd = { fd, G_IO_IN, 0 };
      gint64 left = deadline - g_get_monotonic_time ();
      ssize_t n;

      if (left <= 0 || g_cancellable_is_cancelled (interrupt))
        break;
      if (g_poll (&pfd, 1, (gint) MIN (left / 1000 + 1, 100)) <= 0)
        continue;
      n = read (fd, line + len, 1);
      if (n <= 0)
        break;
      if (line[len] == '\n')
        {
          const char *colon;
          line[len] = '\0';
          colon = strrchr (line, ':');
          if (g_str_has_prefix (line, "listening on ") && colon != NULL)
            {
              server->port = (guint) g_ascii_strtoull (colon + 1, NULL, 10);
              if (server->port > 0)
                return TRUE;
            }
          break;
        }
      len++;
    }

  if (g_cancellable_set_error_if_cancelled (interrupt, error))
    return FALSE;
  {
    g_autofree char *why = first_line (server->log_path);
    g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "the server did not start: %s", why);
  }
  return FALSE;
}

static gboolean
server_start (const FsStressConfig *config, const FsScenario *scenario, const char *base,
              Server *server, GCancellable *interrupt, GError **error)
{
  g_autofree char *pool = g_strdup_printf ("%u", scenario->server_pool);
  g_autofree char *root = g_build_filename (base, "root", NULL);
  const char *argv[] = {
    config->server_path, "--mode", fs_mode_name (scenario->mode), "--pool", pool,
    "--host", "127.0.0.1", "--port", "0", "--root", root, NULL
  };

  server->log_path = g_build_filename (base, "server.log", NULL);
  server->proc = spawn (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, server->log_path, error);
  if (server->proc == NULL)
    return FALSE;
  return read_ready_line (server, interrupt, error);
}

/* SIGTERM, then wait: the server must exit 0 within the deadline. */
static gboolean
server_stop (Server *server, GCancellable *interrupt, GError **error)
{
  g_autoptr(GAsyncResult) done = NULL;

  g_subprocess_send_signal (server->proc, SIGTERM);
  g_subprocess_wait_async (server->proc, NULL, on_done, &done);
  if (!wait_for (&done, STOP_TIMEOUT, NULL))
    {
      kill_and_reap (server->proc);
      g_set_error (error, FS_ERROR, FS_ERROR_FAILED,
                   "the server did not exit within %d s of SIGTERM", STOP_TIMEOUT);
      return FALSE;
    }
  if (!g_subprocess_get_if_exited (server->proc) || g_subprocess_get_exit_status (server->proc) != 0)
    {
      g_autofree char *why = first_line (server->log_path);
      g_set_error (error, FS_ERROR, FS_ERROR_FAILED,
                   "the server did not stop cleanly (%s): %s",
                   g_subprocess_get_if_signaled (server->proc) ? "killed by a signal"
                                                                 : "non-zero exit", why);
      return FALSE;
    }
  return TRUE;
}

/* Processes whose command line names this scenario's root: the server's
 * workers are forked, not exec'd, so they carry it too. None may be left. */
static guint
kill_leftovers (const char *root)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint found = 0;

  if (proc == NULL)
    return 0;
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *cmdline = NULL;
      gsize len = 0;
      pid_t pid = (pid_t) g_ascii_strtoll (name, NULL, 10);

      if (pid <= 0 || pid == getpid ())
        continue;
      path = g_strdup_printf ("/proc/%s/cmdline", name);
      if (!g_file_get_contents (path, &cmdline, &len, NULL))
        continue;
      for (gsize i = 0; i + 1 < len; i++)
        if (cmdline[i] == '\0')
          cmdline[i] = ' ';
      if (strstr (cmdline, root) != NULL)
        {
          kill (pid, SIGKILL);
          found++;
        }
    }
  return found;
}

/* ------------------------------------------------------------ STATS */

typedef struct {
  guint64 connections, workers_ok, workers_failed, worker_restarts;
} Snapshot;

static gboolean
snapshot (guint port, Snapshot *snap, GError **error)
{
  g_autoptr(FsClient) client = fs_client_connect ("127.0.0.1", port, STATS_TIMEOUT, error);
  g_autoptr(JsonObject) data = NULL;

  if (client == NULL || !fs_client_stats (client, &data, error))
    {
      g_prefix_error (error, "STATS: ");
      return FALSE;
    }
  snap->connections = (guint64) json_object_get_int_member_with_default (data, "connections", 0);
  snap->workers_ok = (guint64) json_object_get_int_member_with_default (data, "workers_ok", 0);
  snap->workers_failed =
    (guint64) json_object_get_int_member_with_default (data, "workers_failed", 0);
  snap->worker_restarts =
    (guint64) json_object_get_int_member_with_default (data, "worker_restarts", 0);
  return TRUE;
}

/* Takes STATS until every session but the asking one has ended, so the
 * pool's sessions are all counted. Returns the number of STATS
 * connections it made. */
static guint
settle (guint port, Snapshot *snap, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + SETTLE_TIMEOUT * G_USEC_PER_SEC;
  gulong pause_us = 1000;
  guint asked = 0;

  for (;;)
    {
      if (!snapshot (port, snap, error))
        return 0;
      asked++;
      if (snap->workers_ok + snap->workers_failed + 1 >= snap->connections)
        return asked;
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_FAILED,
                       "the server still had %" G_GUINT64_FORMAT " connection(s) open %d s "
                       "after the pool ended", snap->connections - 1 - snap->workers_ok
                       - snap->workers_failed, SETTLE_TIMEOUT);
          return 0;
        }
      g_usleep (pause_us);
      pause_us = MIN (pause_us * 2, 100 * 1000);
    }
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
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "cannot create %s: %s", path, g_strerror (errsv));
      return FALSE;
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
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "cannot write %s: %s", path, g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

static double
member_double (JsonObject *obj, const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return 0;
  return json_node_get_double (node);
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
  row->avg_time_s = member_double (obj, "avg_time_s");
  row->throughput_Bps = member_double (obj, "throughput_Bps");
  row->aggregate_Bps = member_double (obj, "aggregate_Bps");
  row->total_time_s = member_double (obj, "total_time_s");
  row->success = (guint64) json_object_get_int_member_with_default (obj, "success", 0);
  row->fail = (guint64) json_object_get_int_member_with_default (obj, "fail", 0);
  row->verified = json_object_get_boolean_member_with_default (obj, "verified", FALSE);
  row->volume_bytes = (guint64) json_object_get_int_member_with_default (obj, "file_bytes", 0);
  *setup = (guint64) json_object_get_int_member_with_default (obj, "setup_connections", 0);
  /* The pool process's peak RSS, or its largest client process's. */
  row->pool_peak_rss_kib =
    (guint64) MAX (json_object_get_int_member_with_default (obj, "peak_rss_kib", 0),
                   json_object_get_int_member_with_default (obj, "client_peak_rss_kib", 0));
  if (json_object_has_member (obj, "client_time_s")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "client_time_s")))
    {
      JsonObject *times = json_object_get_object_member (obj, "client_time_s");

      row->client_time_min_s = member_double (times, "min");
      row->client_time_p50_s = member_double (times, "p50");
      row->client_time_max_s = member_double (times, "max");
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
      row->p50_ms = member_double (latency, "p50");
      row->p90_ms = member_double (latency, "p90");
      row->p99_ms = member_double (latency, "p99");
      row->max_ms = member_double (latency, "max");
    }
  if (row->fail > 0 && json_object_get_string_member_with_default (obj, "first_error", NULL))
    row->error = g_strdup_printf ("client: %s",
                                  json_object_get_string_member (obj, "first_error"));
  return TRUE;
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
run_pool (const FsStressConfig *config, const FsScenario *scenario, const Server *server,
          GCancellable *interrupt, FsResultRow *row, guint64 *setup, GError **error)
{
  g_autofree char *volume = g_malloc (G_ASCII_DTOSTR_BUF_SIZE);
  g_autofree char *clients = g_strdup_printf ("%u", scenario->client_pool);
  g_autofree char *port_s = g_strdup_printf ("%u", server->port);
  g_autofree char *timeout = g_strdup_printf ("%u", config->timeout);
  g_autofree char *repeat = g_strdup_printf ("%u", config->repeat);
  const char *argv[] = {
    /* --no-prepare: the file is already in the root (place_file()), and
     * the pool's check for it would be a connection the server counts. */
    config->pool_path, "--json", "--no-prepare", "--mode", fs_mode_name (scenario->mode),
    "--operation", fs_pool_operation_name (scenario->operation), "--volume", volume,
    "--client-pool", clients, "--repeat", repeat, "--host", "127.0.0.1", "--port", port_s,
    "--timeout", timeout, NULL
  };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(FsCostProbe) probe = NULL;
  /* NULL once the server has exited and been reaped: no cost then. */
  const char *server_id = g_subprocess_get_identifier (server->proc);
  pid_t server_pid = server_id != NULL ? (pid_t) g_ascii_strtoll (server_id, NULL, 10) : 0;
  double pool_cpu;
  guint sampler;
  int status;

  g_ascii_dtostr (volume, G_ASCII_DTOSTR_BUF_SIZE, scenario->volume_mb);
  /* The window opens before the pool starts and closes once it has been
   * waited for: the server serves nothing else in between, and the pool's
   * start-up and exit are a few milliseconds of it. */
  probe = server_pid > 0 ? fs_cost_probe_start (server_pid) : NULL;
  pool_cpu = fs_cost_children_cpu ();
  proc = spawn (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, NULL,
                error);
  if (proc == NULL)
    return FALSE;
  sampler = probe != NULL ? g_timeout_add (SAMPLE_INTERVAL_MS, on_sample, probe) : 0;
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, on_done, &done);
  /* The pool bounds its own time with --timeout on every connect, read
   * and write; only an interruption cuts it short. */
  while (done == NULL && !g_cancellable_is_cancelled (interrupt))
    g_main_context_iteration (NULL, TRUE);
  if (sampler != 0)
    g_source_remove (sampler);
  if (done == NULL)
    {
      kill_and_reap (proc);
      while (done == NULL)
        g_main_context_iteration (NULL, TRUE);
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
  g_strchomp (err);
  if (status < 0)
    g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "the pool was killed by a signal: %s",
                 err[0] ? err : "no message");
  else
    g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "the pool failed (exit status %d): %s",
                 status, err[0] ? err : "no message");
  return FALSE;
}

/* ------------------------------------------------------------ a scenario */

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL
         && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}

gboolean
fs_stress_run_scenario (const FsStressConfig *config, const FsScenario *scenario, guint round,
                        GCancellable *interrupt, FsResultRow *row)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *base = NULL;
  Server server = { 0 };
  Snapshot before = { 0 }, after = { 0 };
  guint asked = 0, leftovers;
  guint64 setup = 0;
  gboolean ran = FALSE;

  memset (row, 0, sizeof *row);
  row->scenario = *scenario;
  row->round = round;
  row->quick = config->quick;
  row->pool_cpu_s = -1;
  row->volume_bytes = fs_content_size (scenario->volume_mb);

  base = g_dir_make_tmp ("filestorm-stress-XXXXXX", &error);
  if (base == NULL)
    {
      g_prefix_error (&error, "cannot make the server's directory: ");
      goto out;
    }
  if (scenario->operation == FS_OP_DOWNLOAD && !place_file (base, scenario, &error))
    goto out;
  if (!server_start (config, scenario, base, &server, interrupt, &error)
      || !snapshot (server.port, &before, &error)
      || !run_pool (config, scenario, &server, interrupt, row, &setup, &error))
    goto stop;
  ran = TRUE;
  asked = settle (server.port, &after, &error);
  if (asked > 0)
    {
      /* The orchestrator's own sessions (the first STATS and all but the
       * last of settle()'s) and the pool's setup ones ended cleanly in
       * between: leave them out. */
      guint64 ours = asked + setup;
      guint64 ok = after.workers_ok - before.workers_ok;
      row->server_success = ok > ours ? ok - ours : 0;
      row->server_fail = after.workers_failed - before.workers_failed;
      row->worker_restarts = after.worker_restarts - before.worker_restarts;
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
  if (server.proc != NULL)
    {
      g_autoptr(GError) stop_error = NULL;
      if (!server_stop (&server, interrupt, &stop_error) && error == NULL)
        g_propagate_error (&error, g_steal_pointer (&stop_error));
    }
  server_clear (&server);
  leftovers = kill_leftovers (base);
  if (leftovers > 0 && error == NULL)
    g_set_error (&error, FS_ERROR, FS_ERROR_FAILED,
                 "%u server process(es) outlived the server and were killed", leftovers);
  remove_tree (base);

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
