/* test-process.c: end-to-end tests specific to filestorm-server's process
 * mode: worker death and replacement, no orphaned workers, counters shared
 * between workers. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "testutil.h"

#define POOL 3
#define MiB (1024 * 1024)

static gboolean
pid_in (GArray *pids, pid_t pid)
{
  for (guint i = 0; i < pids->len; i++)
    if (g_array_index (pids, pid_t, i) == pid)
      return TRUE;
  return FALSE;
}

static char *
pids_text (GArray *pids)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < pids->len; i++)
    g_string_append_printf (s, "%s%d", i ? " " : "", (int) g_array_index (pids, pid_t, i));
  return g_string_free (s, FALSE);
}

/* Polls until the supervisor has exactly n live children. */
static GArray *
wait_children (pid_t supervisor, guint n, double timeout)
{
  double deadline = ft_now () + timeout;

  for (;;)
    {
      GArray *kids = ft_proc_children (supervisor);
      if (kids->len == n)
        return kids;
      if (ft_now () > deadline)
        {
          g_autofree char *text = pids_text (kids);
          g_array_unref (kids);
          ft_fail ("supervisor %d has children [%s], want %u", (int) supervisor, text, n);
        }
      g_array_unref (kids);
      g_usleep (20 * 1000);
    }
}

/* Waits until STATS data says worker_restarts == want (and never more). */
static void
wait_restarts (FtConn *conn, gint64 want, double timeout)
{
  double deadline = ft_now () + timeout;

  for (;;)
    {
      g_autoptr(JsonNode) s = ft_stats (conn);
      gint64 got = ft_stat (s, "worker_restarts");

      g_assert_cmpint (got, <=, want);
      if (got == want)
        return;
      ft_check (ft_now () < deadline, "worker_restarts is %" G_GINT64_FORMAT " after %.0f s, want %"
                G_GINT64_FORMAT, got, timeout, want);
      g_usleep (20 * 1000);
    }
}

/* A worker killed while its neighbours transfer: their transfers complete,
 * it is counted, replaced, and the pool is whole again. */
static void
test_kill_worker (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("process", POOL, NULL);
  gsize len = 8 * MiB;
  g_autofree guint8 *content = ft_content (21, len);
  g_autofree char *want_b64 = g_base64_encode (content, len);
  g_autoptr(FtConn) a = ft_conn_new (srv->port);
  g_autoptr(FtConn) b = NULL;
  g_autoptr(FtConn) c = NULL;
  g_autoptr(FtConn) d = NULL;
  g_autoptr(JsonNode) sa = ft_stats (a);
  pid_t killed = (pid_t) ft_stat (sa, "pid");
  g_autoptr(GArray) pids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  g_autoptr(GArray) kids = NULL;
  gsize extra = 0;

  g_assert_cmpint (ft_proc_ppid (killed), ==, srv->pid);
  ft_write_file (srv->root, "big.bin", content, len);

  b = ft_conn_new (srv->port);
  c = ft_conn_new (srv->port);
  ft_conn_send_str (b, "GET big.bin\n");
  ft_conn_send_str (c, "GET big.bin\n");
  /* Both transfers have started (data waiting) before the kill. */
  {
    g_autoptr(GError) error = NULL;
    g_assert_true (g_socket_condition_timed_wait (b->socket, G_IO_IN, 10 * G_USEC_PER_SEC, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_socket_condition_timed_wait (c->socket, G_IO_IN, 10 * G_USEC_PER_SEC, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (kill (killed, SIGKILL), ==, 0);

  {
    FtConn *both[] = { b, c };
    for (gsize i = 0; i < G_N_ELEMENTS (both); i++)
      {
        g_autoptr(JsonNode) answer = ft_conn_read_json (both[i]);
        ft_assert_ok (answer);
        ft_check (g_strcmp0 (json_object_get_string_member (json_node_get_object (answer), "data_file"),
                             want_b64) == 0,
                  "GET on connection %c: content differs after a neighbour worker was killed",
                  (char) ('B' + i));
      }
  }
  ft_check (ft_conn_wait_closed (a, 10, &extra), "connection of the killed worker not closed");
  g_clear_pointer (&a, ft_conn_free);
  g_clear_pointer (&b, ft_conn_free);
  g_clear_pointer (&c, ft_conn_free);

  d = ft_conn_new (srv->port);
  wait_restarts (d, 1, 10);
  g_clear_pointer (&d, ft_conn_free);
  ft_check (!ft_proc_alive (killed), "killed worker %d still alive", (int) killed);

  /* Three connections held open at once, each answered by its own worker:
   * the pool is back to three. */
  {
    FtConn *held[POOL];
    for (guint i = 0; i < POOL; i++)
      {
        g_autoptr(JsonNode) s = NULL;
        pid_t pid;

        held[i] = ft_conn_new (srv->port);
        s = ft_stats (held[i]);
        pid = (pid_t) ft_stat (s, "pid");
        g_assert_cmpint (ft_stat (s, "worker_restarts"), ==, 1);
        ft_check (pid != killed, "the killed worker's pid %d answered", (int) pid);
        ft_check (!pid_in (pids, pid), "two held connections served by the same worker %d", (int) pid);
        ft_check (ft_proc_ppid (pid) == srv->pid, "worker %d is not a child of the supervisor", (int) pid);
        g_array_append_val (pids, pid);
      }
    for (guint i = 0; i < POOL; i++)
      ft_conn_free (held[i]);
  }
  kids = wait_children (srv->pid, POOL, 5);
  for (guint i = 0; i < pids->len; i++)
    ft_check (pid_in (kids, g_array_index (pids, pid_t, i)), "worker %d is not among the supervisor's children",
              (int) g_array_index (pids, pid_t, i));
  {
    g_autofree char *left = NULL;
    ft_check (ft_wait_no_hidden (srv->root, NULL, 5, &left), "temporary file %s left", left);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* A worker killed in the middle of an upload: its temporary file goes. */
static void
test_dead_worker_temp (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("process", POOL, NULL);
  g_autoptr(FtConn) a = ft_conn_new (srv->port);
  g_autoptr(FtConn) d = NULL;
  g_autoptr(JsonNode) sa = ft_stats (a);
  pid_t pid = (pid_t) ft_stat (sa, "pid");
  gsize len = 2 * MiB;
  g_autofree guint8 *content = ft_content (22, len);
  g_autofree char *b64 = g_base64_encode (content, len);
  g_autofree char *prefix = g_strdup_printf (".fstmp-%d-", (int) pid);
  g_autoptr(GBytes) ready = NULL;
  g_autoptr(GError) error = NULL;
  gboolean seen = FALSE;
  double deadline;

  ft_conn_send_str (a, "UPLOAD dying.bin\n");
  ready = ft_conn_read_frame (a, &error);
  g_assert_no_error (error);
  ft_assert_ready_frame (ready);
  ft_conn_send (a, b64, strlen (b64) / 2);
  ft_conn_send_str (a, "\n");

  /* The temporary file is named after the worker (see the brief); wait
   * until it is there so the kill hits an upload in progress. */
  deadline = ft_now () + 5;
  while (!seen && ft_now () < deadline)
    {
      g_auto(GStrv) entries = ft_dir_entries (srv->root);
      for (gsize i = 0; entries[i] != NULL; i++)
        if (g_str_has_prefix (entries[i], prefix))
          seen = TRUE;
      if (!seen)
        g_usleep (20 * 1000);
    }
  ft_check (seen, "no temporary file %s* in the root during an upload", prefix);

  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  {
    g_autofree char *left = NULL;
    ft_check (ft_wait_no_hidden (srv->root, NULL, 10, &left),
              "temporary file %s of the killed worker %d not removed within 10 s", left, (int) pid);
  }
  g_assert_false (ft_exists (srv->root, "dying.bin"));
  d = ft_conn_new (srv->port);
  wait_restarts (d, 1, 10);
  g_clear_pointer (&d, ft_conn_free);
  g_clear_pointer (&a, ft_conn_free);
  ft_server_stop (g_steal_pointer (&srv));
}

/* Live processes that still belong to the server: the given workers, and
 * anything whose command line holds the root. */
static char *
survivors (GArray *workers, const char *root)
{
  g_autoptr(GArray) by_cmdline = ft_proc_with_cmdline (root);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < workers->len; i++)
    if (ft_proc_alive (g_array_index (workers, pid_t, i)))
      g_string_append_printf (s, " %d(worker)", (int) g_array_index (workers, pid_t, i));
  for (guint i = 0; i < by_cmdline->len; i++)
    g_string_append_printf (s, " %d(cmdline)", (int) g_array_index (by_cmdline, pid_t, i));
  return g_string_free (s, s->len == 0);
}

static void
wait_no_survivors (GArray *workers, const char *root, double timeout, const char *what)
{
  double deadline = ft_now () + timeout;

  for (;;)
    {
      g_autofree char *left = survivors (workers, root);
      if (left == NULL)
        return;
      ft_check (ft_now () < deadline, "%s: processes of the server still alive after %.0f s:%s",
                what, timeout, left);
      g_usleep (20 * 1000);
    }
}

/* Starts a server, holds idle connections, and returns its workers after
 * checking that they are the supervisor's forked children. */
static GArray *
workers_of (FtServer *srv, FtConn **held, guint n_held)
{
  GArray *kids = wait_children (srv->pid, POOL, 5);
  g_autoptr(GArray) by_cmdline = ft_proc_with_cmdline (srv->root);

  for (guint i = 0; i < n_held; i++)
    {
      g_autoptr(JsonNode) s = NULL;
      held[i] = ft_conn_new (srv->port);
      s = ft_stats (held[i]);
      ft_check (pid_in (kids, (pid_t) ft_stat (s, "pid")), "STATS pid %d is not a worker",
                (int) ft_stat (s, "pid"));
    }
  /* Workers are fork()ed, so their cmdline is the supervisor's. */
  ft_check (pid_in (by_cmdline, srv->pid), "supervisor's cmdline does not hold the root");
  for (guint i = 0; i < kids->len; i++)
    ft_check (pid_in (by_cmdline, g_array_index (kids, pid_t, i)),
              "worker %d's cmdline does not hold the root", (int) g_array_index (kids, pid_t, i));
  return kids;
}

static void
test_no_orphans_sigterm (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("process", POOL, NULL);
  FtConn *held[2];
  g_autoptr(GArray) kids = workers_of (srv, held, G_N_ELEMENTS (held));
  g_autofree char *root = g_strdup (srv->root);

  ft_server_signal (srv, SIGTERM);
  ft_check (ft_server_wait (srv, FT_STOP_TIMEOUT), "supervisor did not exit within %d s of SIGTERM",
            FT_STOP_TIMEOUT);
  ft_server_assert_exit_ok (srv);
  wait_no_survivors (kids, root, 10, "after SIGTERM");
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    {
      ft_check (ft_conn_wait_closed (held[i], 5, NULL), "idle connection not closed after SIGTERM");
      ft_conn_free (held[i]);
    }
}

static void
test_no_orphans_sigkill (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("process", POOL, NULL);
  FtConn *held[2];
  g_autoptr(GArray) kids = workers_of (srv, held, G_N_ELEMENTS (held));
  g_autofree char *root = g_strdup (srv->root);

  ft_server_signal (srv, SIGKILL);
  ft_check (ft_server_wait (srv, 5), "supervisor not dead 5 s after SIGKILL");
  wait_no_survivors (kids, root, 10, "after SIGKILL of the supervisor");
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    {
      ft_check (ft_conn_wait_closed (held[i], 5, NULL), "connection not closed after the workers died");
      ft_conn_free (held[i]);
    }
}

/* STATS answered by two different workers speak for the same counters. */
static void
test_shared_stats (gconstpointer data G_GNUC_UNUSED)
{
  static const char * const counters[] = {
    "connections", "requests", "requests_ok", "requests_failed", "workers_ok",
    "workers_failed", "worker_restarts", "bytes_in", "bytes_out", NULL
  };
  g_autoptr(FtServer) srv = ft_server_start ("process", POOL, NULL);
  g_autoptr(FtConn) a = ft_conn_new (srv->port);
  g_autoptr(FtConn) b = NULL;
  g_autoptr(JsonNode) a0 = ft_stats (a);
  g_autoptr(JsonNode) b0 = NULL;
  g_autoptr(JsonNode) a1 = NULL;
  g_autoptr(JsonNode) b1 = NULL;
  g_autoptr(JsonNode) a2 = NULL;

  b = ft_conn_new (srv->port);
  b0 = ft_stats (b);
  ft_check (ft_stat (a0, "pid") != ft_stat (b0, "pid"), "two open connections served by one worker");
  g_assert_cmpint (ft_stat (b0, "connections"), >=, 2);
  for (int i = 0; i < 3; i++)
    {
      g_auto(GStrv) names = ft_list (a);
    }
  a1 = ft_stats (a);
  b1 = ft_stats (b);
  a2 = ft_stats (a);

  g_assert_cmpint (ft_stat (a1, "requests") - ft_stat (a0, "requests"), >=, 4);
  g_assert_cmpint (ft_stat (a1, "requests_ok") - ft_stat (a0, "requests_ok"), >=, 4);
  for (gsize i = 0; counters[i] != NULL; i++)
    {
      /* Each snapshot was taken after the previous one was answered. */
      ft_check (ft_stat (b0, counters[i]) >= ft_stat (a0, counters[i]) &&
                ft_stat (a1, counters[i]) >= ft_stat (b0, counters[i]) &&
                ft_stat (b1, counters[i]) >= ft_stat (a1, counters[i]) &&
                ft_stat (a2, counters[i]) >= ft_stat (b1, counters[i]),
                "%s is not shared: a0 %" G_GINT64_FORMAT ", b0 %" G_GINT64_FORMAT ", a1 %" G_GINT64_FORMAT
                ", b1 %" G_GINT64_FORMAT ", a2 %" G_GINT64_FORMAT, counters[i],
                ft_stat (a0, counters[i]), ft_stat (b0, counters[i]), ft_stat (a1, counters[i]),
                ft_stat (b1, counters[i]), ft_stat (a2, counters[i]));
    }
  g_assert_cmpint (ft_stat (b1, "requests"), >, ft_stat (b0, "requests") + 3);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (b1), "mode"), ==, "process");
  g_assert_cmpint (ft_stat (b1, "pool"), ==, POOL);
  g_clear_pointer (&a, ft_conn_free);
  g_clear_pointer (&b, ft_conn_free);
  ft_server_stop (g_steal_pointer (&srv));
}

int
main (int argc, char **argv)
{
  ft_init ();
  g_test_init (&argc, &argv, NULL);

  ft_test_add ("/process/kill-worker", test_kill_worker, NULL);
  ft_test_add ("/process/dead-worker-temp", test_dead_worker_temp, NULL);
  ft_test_add ("/process/no-orphans/sigterm", test_no_orphans_sigterm, NULL);
  ft_test_add ("/process/no-orphans/sigkill", test_no_orphans_sigkill, NULL);
  ft_test_add ("/process/shared-stats", test_shared_stats, NULL);
  return g_test_run ();
}
