/* stress.c: one scenario of filestorm-stress, end to end: its server,
 * STATS before and after, and the pool (stress-pool.c) or the capacity
 * search (stress-search.c) between them. */
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
#include "errors.h"
#include "stress-pool.h"
#include "stress-server.h"
#include "util.h"

/* Deadlines, in seconds. */
#define SETTLE_TIMEOUT 10  /* the server's sessions to end after the pool */
/* One STATS's connect and answer: filestorm-server answers in
 * milliseconds, and a server silent on STATS costs this once in a run
 * (FsStressMemo), where 10 s had cost 10 s in every scenario. */
#define STATS_TIMEOUT 2

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
                              config->target_host, config->target_port,
                              fs_stress_server_idle_timeout (config, scenario) };
  Snapshot before = { 0 }, after = { 0 }, diff = { 0 };
  guint asked = 0;
  guint64 setup = 0;
  gboolean ran = FALSE, counters = FALSE;

  fs_stress_row_init (row, config, scenario, round);

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
  if (config->search)
    {
      ran = fs_stress_run_search (config, scenario, server, interrupt, row, &error);
      goto stop;
    }
  /* Settled first too: a command's readiness was a connection. */
  if ((!memo->no_stats && !first_counters (server, &before, &counters, &error))
      || !fs_stress_run_pool (config, scenario, server, interrupt, 0, row, &setup, &error))
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
