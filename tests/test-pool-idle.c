/* test-pool-idle.c: filestorm-pool --idle-connections against the real
 * filestorm-server on loopback port 0: the connections are opened before
 * the clients and held open without a request for the whole run (a
 * thread server of one worker serves nobody else, and its clients time
 * out within --timeout), the server counts them, they are closed when
 * the pool ends, the soft limit on open files is raised for them, and a
 * failure to open them is one line and exit status 3. */
#include "config.h"

#include <string.h>

#include "pool-check.h"

static gint64
connections (guint16 port)
{
  g_autoptr(FtConn) conn = ft_conn_new (port);
  g_autoptr(JsonNode) stats = ft_stats (conn);

  return ft_stat (stats, "connections");
}

/* One worker, one idle connection: the worker waits on it (the server's
 * --idle-timeout is far away), so both clients time out after --timeout,
 * 1 s, and not later; once the pool has ended and closed it, the worker
 * serves again. */
static void
test_held (gconstpointer data)
{
  const char *extra[] = { "--idle-timeout", "60", NULL };
  FtServer *srv = ft_server_start ("thread", 1, extra);
  g_autoptr(FtRun) starved = fp_run (srv->port, "--operation", "list", "--client-pool", "2",
                                     "--timeout", "1", "--idle-connections", "1", "--json",
                                     NULL);
  g_autoptr(FpResult) r = NULL;
  g_autoptr(FtRun) after = NULL;

  (void) data;
  ft_run_assert_exit (starved, 1);
  r = fp_parse_result (starved);
  g_assert_cmpint (fp_get_int (r, r->o, "idle_connections"), ==, 1);
  g_assert_cmpint (fp_get_int (r, r->o, "success"), ==, 0);
  g_assert_cmpint (fp_get_int (r, r->o, "fail"), ==, 2);
  g_assert_cmpint (fp_get_error (r, "timeout"), ==, 2);
  ft_check (starved->elapsed < 10, "%s took %.1f s, not about --timeout (1 s)", starved->cmd,
            starved->elapsed);

  after = fp_run (srv->port, "--operation", "list", "--client-pool", "2", "--timeout", "5",
                  "--json", NULL);
  ft_run_assert_exit (after, 0);
  ft_server_stop (srv);
}

/* The server counts each idle connection as one (STATS' connections):
 * a run with 3 of them makes 3 more than the same run without. */
static void
test_counted (gconstpointer data)
{
  FtServer *srv = ft_server_start ("thread", 4, NULL);
  gint64 before, middle, end;
  g_autoptr(FtRun) plain = NULL;
  g_autoptr(FtRun) idle = NULL;
  g_autofree char *summary = NULL;

  (void) data;
  before = connections (srv->port);
  plain = fp_run (srv->port, "--operation", "list", NULL);
  ft_run_assert_exit (plain, 0);
  middle = connections (srv->port);
  idle = fp_run (srv->port, "--operation", "list", "--idle-connections", "3", NULL);
  ft_run_assert_exit (idle, 0);
  end = connections (srv->port);
  g_assert_cmpint (end - middle, ==, middle - before + 3);
  summary = ft_run_stdout_text (idle);
  ft_check (strstr (summary, "\nIdle connections:        3, held open without a request\n")
            != NULL, "%s: no idle connections line in\n%s", idle->cmd, summary);
  ft_server_stop (srv);
}

/* A soft limit on open files below what the connections need is raised
 * to the hard one; a hard limit below it fails the pool with one line
 * that names the connection, and exit status 3. */
static void
test_limit (gconstpointer data)
{
  const char *extra[] = { "--idle-timeout", "60", NULL };
  FtServer *srv = ft_server_start ("thread", 1, extra);
  g_autofree char *port = g_strdup_printf ("%u", srv->port);
  const char *soft[] = { "/bin/sh", "-c", "ulimit -Sn 40 && exec \"$0\" \"$@\"", ft_pool_path (),
                         "--port", port, "--operation", "list", "--idle-connections", "100",
                         "--timeout", "1", "--json", NULL };
  const char *hard[] = { "/bin/sh", "-c", "ulimit -n 40 && exec \"$0\" \"$@\"", ft_pool_path (),
                         "--port", port, "--operation", "list", "--idle-connections", "100",
                         "--timeout", "5", NULL };
  g_autoptr(FtRun) raised = ft_run_start (NULL, NULL, NULL, soft);
  g_autoptr(FtRun) refused = NULL;
  g_autofree char *message = NULL;
  g_autofree char *want = NULL;

  (void) data;
  /* Raised: the connections open, and the one worker's client times
   * out behind them. */
  ft_run_wait (raised, RUN_TIMEOUT);
  ft_run_assert_exit (raised, 1);
  {
    g_autoptr(FpResult) r = fp_parse_result (raised);
    g_assert_cmpint (fp_get_int (r, r->o, "idle_connections"), ==, 100);
    g_assert_cmpint (fp_get_error (r, "timeout"), ==, 1);
  }
  refused = ft_run_start (NULL, NULL, NULL, hard);
  ft_run_wait (refused, RUN_TIMEOUT);
  ft_run_assert_exit (refused, 3);
  message = fp_assert_one_error_line (refused);
  want = g_strdup_printf ("--idle-connections: cannot open connection [0-9]+ of 100 to "
                          "127\\.0\\.0\\.1:%u: .* \\(raise the hard limit on open files, "
                          "ulimit -Hn\\)", srv->port);
  ft_check (g_regex_match_simple (want, message, 0, 0), "%s: message \"%s\" is not /%s/",
            refused->cmd, message, want);
  ft_server_stop (srv);
}

static void
test_usage (gconstpointer data)
{
  g_autoptr(FtRun) run = fp_run (0, "--idle-connections", "-1", NULL);
  g_autofree char *message = NULL;

  (void) data;
  ft_run_assert_exit (run, 2);
  message = fp_assert_one_error_line (run);
  g_assert_cmpstr (message, ==, "--idle-connections must be between 0 and 1000000, not -1");
}

int
main (int argc, char **argv)
{
  ft_init ();
  g_test_init (&argc, &argv, NULL);

  ft_test_add ("/pool-idle/held", test_held, NULL);
  ft_test_add ("/pool-idle/counted", test_counted, NULL);
  ft_test_add ("/pool-idle/limit", test_limit, NULL);
  ft_test_add ("/pool-idle/usage", test_usage, NULL);
  return g_test_run ();
}
