/* test-pool-signal.c: filestorm-pool interrupted (SIGINT, SIGTERM) with
 * clients as threads and as processes; the server's mode, pool and the
 * setup connections in its result, against filestorm-server and against
 * a server whose STATS fails; and throughput that counts only what
 * succeeded. The real programs, over TCP on 127.0.0.1. */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostile-server.h"
#include "testutil.h"

#define RUN_TIMEOUT 30.0   /* seconds for a pool run that is not interrupted */
#define STOP_WITHIN 5.0    /* seconds from the signal to the pool's exit */
#define CLIENTS 4
#define REPEAT "400"       /* far more than a run lasts before its signal */

/* Starts the pool against 127.0.0.1:port with the NULL-terminated
 * arguments. */
static FtRun *
pool_start (guint16 port, const char *first, ...) G_GNUC_NULL_TERMINATED;

static FtRun *
pool_start (guint16 port, const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  va_list ap;

  g_ptr_array_add (argv, g_strdup (ft_pool_path ()));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", port));
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  return ft_run_start (NULL, NULL, NULL, (const char * const *) argv->pdata);
}

/* stdout as one JSON object (owned). */
static JsonNode *
result_json (FtRun *run)
{
  g_autofree char *out = ft_run_stdout_text (run);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, out, -1, &error);
  ft_check (error == NULL && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)),
            "%s: stdout is not a JSON object: \"%s\"", run->cmd, out);
  return json_node_copy (json_parser_get_root (parser));
}

static gint64
int_member (JsonNode *node, const char *name)
{
  JsonNode *m = json_object_get_member (json_node_get_object (node), name);
  g_autofree char *shown = ft_preview_json (node);

  ft_check (m != NULL && JSON_NODE_HOLDS_VALUE (m) && json_node_get_value_type (m) == G_TYPE_INT64,
            "no integer \"%s\" in %s", name, shown);
  return json_node_get_int (m);
}

static double
number_member (JsonNode *node, const char *name)
{
  JsonNode *m = json_object_get_member (json_node_get_object (node), name);
  g_autofree char *shown = ft_preview_json (node);

  ft_check (m != NULL && JSON_NODE_HOLDS_VALUE (m), "no number \"%s\" in %s", name, shown);
  return json_node_get_double (m);
}

static gboolean
bool_member (JsonNode *node, const char *name)
{
  JsonNode *m = json_object_get_member (json_node_get_object (node), name);
  g_autofree char *shown = ft_preview_json (node);

  ft_check (m != NULL && JSON_NODE_HOLDS_VALUE (m)
            && json_node_get_value_type (m) == G_TYPE_BOOLEAN,
            "no boolean \"%s\" in %s", name, shown);
  return json_node_get_boolean (m);
}

/* The connections the server has counted, asked on a connection of its
 * own (which it counts too). */
static gint64
server_connections (guint16 port)
{
  g_autoptr(FtConn) conn = ft_conn_new (port);
  g_autoptr(JsonNode) stats = ft_stats (conn);

  return ft_stat (stats, "connections");
}

static gint64
server_bytes_out (guint16 port)
{
  g_autoptr(FtConn) conn = ft_conn_new (port);
  g_autoptr(JsonNode) stats = ft_stats (conn);

  return ft_stat (stats, "bytes_out");
}

/* ------------------------------------------------------------ interruption */

typedef struct {
  const char *path;
  const char *mode;   /* the clients' */
  int         sig;
  gboolean    json;
} SignalCase;

static const SignalCase signal_cases[] = {
  { "/pool-signal/thread/sigint", "thread", SIGINT, TRUE },
  { "/pool-signal/thread/sigterm", "thread", SIGTERM, TRUE },
  { "/pool-signal/process/sigint", "process", SIGINT, TRUE },
  { "/pool-signal/process/sigterm", "process", SIGTERM, TRUE },
  { "/pool-signal/thread/summary", "thread", SIGINT, FALSE },
  { "/pool-signal/process/summary", "process", SIGTERM, FALSE },
};

/* A long download run, signalled once a few operations have finished:
 * it stops within STOP_WITHIN seconds, exits 130 and prints the finished
 * operations, all successful and verified, marked as interrupted. */
static void
test_signal (gconstpointer data)
{
  const SignalCase *c = data;
  g_autoptr(FtServer) srv = ft_server_start ("thread", 3, NULL);
  g_autoptr(FtRun) run = NULL;
  g_autoptr(GArray) kids = NULL;
  g_autofree char *clients = g_strdup_printf ("%d", CLIENTS);
  /* A download of 2 MiB is about 2.8 MB of base64 on the wire. Once the
   * server has sent that many bytes for CLIENTS + 2 downloads, at least 2
   * have been sent whole; with at most one download in progress per
   * client, at least 1 has been received whole. */
  const gint64 enough = (CLIENTS + 2) * 2 * 1024 * 1024 * 4 / 3;
  gint64 base;
  double deadline, signalled;
  pid_t pid;

  /* --no-prepare, the file placed beforehand: every session the server
   * ends from now on is one of the timed operations. */
  {
    g_autoptr(FtRun) up = pool_start (srv->port, "--operation", "upload", "--volume", "2",
                                      "--json", NULL);
    ft_run_wait (up, RUN_TIMEOUT);
    ft_run_assert_exit (up, 0);
  }
  base = server_bytes_out (srv->port);
  run = pool_start (srv->port, "--mode", c->mode, "--volume", "2", "--client-pool", clients,
                    "--repeat", REPEAT, "--no-prepare", c->json ? "--json" : NULL, NULL);
  pid = (pid_t) atoi (g_subprocess_get_identifier (run->proc));

  deadline = ft_now () + 20;
  while (server_bytes_out (srv->port) - base < enough && ft_now () < deadline)
    {
      ft_run_poll (run);
      ft_check (!run->done, "%s: ended before it was signalled", run->cmd);
      g_usleep (20 * 1000);
    }
  if (strcmp (c->mode, "process") == 0)
    kids = ft_proc_children (pid);
  signalled = ft_now ();
  ft_check (kill (pid, c->sig) == 0, "cannot signal the pool");
  ft_run_wait (run, 15);
  ft_check (run->elapsed - (signalled - run->started) <= STOP_WITHIN,
            "%s: took %.1f s to stop after the signal", run->cmd,
            run->elapsed - (signalled - run->started));
  ft_run_assert_exit (run, 130);

  if (c->json)
    {
      g_autoptr(JsonNode) r = result_json (run);
      g_autofree char *shown = ft_preview_json (r);
      gint64 success = int_member (r, "success");
      gint64 abandoned = int_member (r, "abandoned");

      ft_check (bool_member (r, "interrupted"), "not marked as interrupted: %s", shown);
      ft_check (success >= 1, "no finished operation counted: %s", shown);
      g_assert_cmpint (int_member (r, "fail"), ==, 0);
      ft_check (abandoned >= 0 && abandoned <= CLIENTS, "abandoned out of range: %s", shown);
      ft_check (success + abandoned < CLIENTS * atoi (REPEAT), "the run was not cut short: %s",
                shown);
      ft_check (bool_member (r, "verified"), "finished operations not verified: %s", shown);
      ft_check (number_member (r, "throughput_Bps") > 0 && number_member (r, "aggregate_Bps") > 0,
                "no throughput for the finished operations: %s", shown);
    }
  else
    {
      g_autofree char *out = ft_run_stdout_text (run);
      const char *want = c->sig == SIGINT ? "INTERRUPTED:             by SIGINT after "
                                          : "INTERRUPTED:             by SIGTERM after ";

      ft_check (g_str_has_prefix (out, want), "%s: the summary does not start with \"%s\":\n%s",
                run->cmd, want, out);
      ft_check (strstr (out, "\nSuccess/Failure:") != NULL, "no counts in the summary:\n%s", out);
    }
  {
    g_autofree char *err = ft_run_stderr_text (run);
    ft_check (err[0] == '\0', "%s: unexpected stderr \"%s\"", run->cmd, err);
  }
  /* The client processes stopped too, by themselves. */
  for (guint i = 0; kids != NULL && i < kids->len; i++)
    {
      pid_t kid = g_array_index (kids, pid_t, i);
      deadline = ft_now () + 5;
      while (ft_proc_alive (kid) && ft_now () < deadline)
        g_usleep (10 * 1000);
      ft_check (!ft_proc_alive (kid), "client process %d outlives the pool", (int) kid);
    }
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ the server */

/* The result names the server's mode and pool, and setup_connections is
 * what the server counted besides the timed operations. */
static void
check_connections (FtServer *srv, const char *operation, const char *extra,
                   gint64 want_setup)
{
  gint64 before = server_connections (srv->port);
  g_autoptr(FtRun) run = pool_start (srv->port, "--operation", operation, "--volume", "1",
                                     "--client-pool", "3", "--repeat", "2", "--json", extra,
                                     NULL);
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *shown = NULL;
  JsonObject *server;
  gint64 after;

  ft_run_wait (run, RUN_TIMEOUT);
  ft_run_assert_exit (run, 0);
  r = result_json (run);
  shown = ft_preview_json (r);
  after = server_connections (srv->port);
  g_assert_cmpint (int_member (r, "setup_connections"), ==, want_setup);
  /* minus the second of our own STATS connections */
  ft_check (after - before - 1 == want_setup + 3 * 2,
            "the server counted %" G_GINT64_FORMAT " connections for %s", after - before - 1,
            shown);
  ft_check (JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (r), "server")),
            "no \"server\" object in %s", shown);
  server = json_object_get_object_member (json_node_get_object (r), "server");
  g_assert_cmpstr (json_object_get_string_member (server, "mode"), ==, srv->mode);
  g_assert_cmpint (json_object_get_int_member (server, "pool"), ==, srv->pool);
  ft_check (!bool_member (r, "interrupted"), "interrupted without a signal: %s", shown);
}

static void
test_server (gconstpointer data)
{
  const char *mode = data;
  g_autoptr(FtServer) srv = ft_server_start (mode, 2, NULL);
  g_autofree char *want = g_strdup_printf ("\nServer:                  %s mode, pool 2\n", mode);

  check_connections (srv, "upload", NULL, 1);                 /* STATS */
  check_connections (srv, "download", NULL, 2);               /* STATS, LIST */
  check_connections (srv, "download", "--no-prepare", 1);     /* STATS */
  check_connections (srv, "list", NULL, 1);
  {
    g_autofree char *file = g_build_filename (srv->root, "file_1mb.bin", NULL);
    g_assert_cmpint (unlink (file), ==, 0);
  }
  check_connections (srv, "download", NULL, 3);               /* STATS, LIST, UPLOAD */
  {
    g_autoptr(FtRun) run = pool_start (srv->port, "--operation", "list", NULL);
    g_autofree char *out = NULL;

    ft_run_wait (run, RUN_TIMEOUT);
    ft_run_assert_exit (run, 0);
    out = ft_run_stdout_text (run);
    ft_check (strstr (out, want) != NULL, "the summary has no \"%s\":\n%s", want + 1, out);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* A server of the classic protocol without STATS: LIST works, STATS
 * answers ERROR. */
static void
no_stats (GSocket *conn, const char *request, gpointer data)
{
  static const char list[] = "{\"status\":\"OK\",\"data\":[]}\r\n\r\n";
  static const char error[] = "{\"status\":\"ERROR\",\"data\":\"unknown command\"}\r\n\r\n";

  if (strcmp (request, "STATS") == 0)
    ft_hostile_send (conn, error, strlen (error));
  else
    ft_hostile_send (conn, list, strlen (list));
}

static void
test_server_without_stats (gconstpointer data)
{
  const gboolean json = GPOINTER_TO_INT (data);
  g_autoptr(FtHostile) h = ft_hostile_start (1 + 2, no_stats, NULL);
  g_autoptr(FtRun) run = pool_start (ft_hostile_port (h), "--operation", "list",
                                     "--client-pool", "2", "--timeout", "5",
                                     json ? "--json" : NULL, NULL);

  ft_run_wait (run, RUN_TIMEOUT);
  ft_run_assert_exit (run, 0);
  if (json)
    {
      g_autoptr(JsonNode) r = result_json (run);
      g_autofree char *shown = ft_preview_json (r);
      JsonNode *server = json_object_get_member (json_node_get_object (r), "server");

      ft_check (server != NULL && JSON_NODE_HOLDS_NULL (server), "\"server\" is not null: %s",
                shown);
      g_assert_cmpint (int_member (r, "setup_connections"), ==, 1);
      g_assert_cmpint (int_member (r, "success"), ==, 2);
    }
  else
    {
      g_autofree char *out = ft_run_stdout_text (run);
      ft_check (strstr (out, "\nServer:                  unknown (STATS: unknown command)\n")
                != NULL, "the summary does not say the server is unknown:\n%s", out);
    }
  ft_hostile_stop (h);
  g_assert_cmpstr (ft_hostile_request (h), ==, "STATS");
}

/* ------------------------------------------------------------ throughput */

/* Uploads the server refuses (larger than --max-upload) move nothing
 * that counts: throughput 0, and the summary says why first. */
static void
test_failed_throughput (gconstpointer data G_GNUC_UNUSED)
{
  const char * const extra[] = { "--max-upload", "64K", NULL };
  g_autoptr(FtServer) srv = ft_server_start ("thread", 2, extra);
  g_autoptr(FtRun) json = pool_start (srv->port, "--operation", "upload", "--volume", "1",
                                      "--client-pool", "2", "--json", NULL);
  g_autoptr(FtRun) summary = NULL;
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *out = NULL;

  ft_run_wait (json, RUN_TIMEOUT);
  ft_run_assert_exit (json, 1);
  r = result_json (json);
  shown = ft_preview_json (r);
  g_assert_cmpint (int_member (r, "fail"), ==, 2);
  ft_check (number_member (r, "throughput_Bps") == 0, "throughput of failed uploads: %s", shown);
  ft_check (number_member (r, "aggregate_Bps") == 0, "aggregate of failed uploads: %s", shown);

  summary = pool_start (srv->port, "--operation", "upload", "--volume", "1", "--client-pool",
                        "2", NULL);
  ft_run_wait (summary, RUN_TIMEOUT);
  ft_run_assert_exit (summary, 1);
  out = ft_run_stdout_text (summary);
  ft_check (g_str_has_prefix (out, "FAILURES:                2 of 2 operations failed; "
                              "throughput counts only the 0 that succeeded\n"),
            "the summary does not start with the failures:\n%s", out);
  ft_check (strstr (out, "\nThroughput per client:   0.00 MiB/s\n") != NULL
            && strstr (out, "\nAggregate throughput:    0.00 MiB/s\n") != NULL,
            "the summary shows a throughput for failed uploads:\n%s", out);
  ft_server_stop (g_steal_pointer (&srv));
}

int
main (int argc, char **argv)
{
  ft_init ();
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (signal_cases); i++)
    ft_test_add (signal_cases[i].path, test_signal, &signal_cases[i]);
  ft_test_add ("/pool-server/thread", test_server, "thread");
  ft_test_add ("/pool-server/process", test_server, "process");
  ft_test_add ("/pool-server/no-stats/json", test_server_without_stats, GINT_TO_POINTER (TRUE));
  ft_test_add ("/pool-server/no-stats/summary", test_server_without_stats,
               GINT_TO_POINTER (FALSE));
  ft_test_add ("/pool-throughput/failed", test_failed_throughput, NULL);
  return g_test_run ();
}
