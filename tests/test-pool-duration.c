/* test-pool-duration: filestorm-pool's steady state by time (--duration,
 * --warmup) against the real filestorm-server on loopback port 0: the
 * clients repeat their operation for the duration, the operations that
 * end in the warm-up are left out of every figure (the server's STATS
 * proves they happened), every client makes at least one measured
 * operation, and the figures agree with one another. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define POOL 3
#define RUN_TIMEOUT 30.0

static FtRun *pool_start (guint16 port, ...) G_GNUC_NULL_TERMINATED;

static FtRun *
pool_start (guint16 port, ...)
{
  va_list ap;
  FtRun *run;

  va_start (ap, port);
  run = ft_run_start_port_v (ft_pool_path (), port, NULL, NULL, ap);
  va_end (ap);
  return run;
}

static FtRun *pool_run (guint16 port, ...) G_GNUC_NULL_TERMINATED;

/* Runs the pool against 127.0.0.1:port with the NULL-terminated
 * arguments, waiting at most RUN_TIMEOUT. */
static FtRun *
pool_run (guint16 port, ...)
{
  va_list ap;
  FtRun *run;

  va_start (ap, port);
  run = ft_run_start_port_v (ft_pool_path (), port, NULL, NULL, ap);
  va_end (ap);
  ft_run_wait (run, RUN_TIMEOUT);
  return run;
}

/* The --json result, asserted to be one object. */
static JsonNode *
result_json (FtRun *run)
{
  g_autofree char *out = ft_run_stdout_text (run);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  ft_check (json_parser_load_from_data (parser, out, -1, &error), "%s: not JSON (%s): %s",
            run->cmd, error ? error->message : "", out);
  ft_check (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)), "%s: not an object: %s",
            run->cmd, out);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
member (JsonNode *r, const char *name)
{
  JsonObject *o = json_node_get_object (r);
  g_autofree char *shown = ft_preview_json (r);

  ft_check (json_object_has_member (o, name), "no member %s in %s", name, shown);
  return json_object_get_member (o, name);
}

static gint64
int_member (JsonNode *r, const char *name)
{
  JsonNode *m = member (r, name);
  g_autofree char *shown = ft_preview_json (r);

  ft_check (json_node_get_value_type (m) == G_TYPE_INT64, "%s is not an integer in %s", name,
            shown);
  return json_node_get_int (m);
}

static double
number_member (JsonNode *r, const char *name)
{
  JsonNode *m = member (r, name);
  g_autofree char *shown = ft_preview_json (r);

  ft_check (JSON_NODE_HOLDS_VALUE (m) && (json_node_get_value_type (m) == G_TYPE_INT64
                                          || json_node_get_value_type (m) == G_TYPE_DOUBLE),
            "%s is not a number in %s", name, shown);
  return json_node_get_double (m);
}

static gboolean
bool_member (JsonNode *r, const char *name)
{
  return json_node_get_boolean (member (r, name));
}

static gint64
latency_count (JsonNode *r)
{
  JsonObject *latency = json_node_get_object (member (r, "latency_ms"));

  return json_object_get_int_member (latency, "count");
}

/* The server's counter, from a STATS connection of the test's own. */
static gint64
server_counter (guint16 port, const char *name)
{
  g_autoptr(FtConn) conn = ft_conn_new (port);
  g_autoptr(JsonNode) stats = ft_stats (conn);

  return ft_stat (stats, name);
}

/* The figures of a run with a duration agree with one another: what was
 * measured is what the latency holds, ops/s is the successes over the
 * window, and the window is at least the duration (the last operation
 * ends at or after the deadline) and not much more. */
static void
check_figures (JsonNode *r, double duration)
{
  g_autofree char *shown = ft_preview_json (r);
  gint64 ops = int_member (r, "operations");
  double window = number_member (r, "window_s");
  double rate = number_member (r, "ops_per_s");

  ft_check (ops == int_member (r, "success") + int_member (r, "fail"),
            "operations is not success + fail: %s", shown);
  ft_check (latency_count (r) == ops, "the latency counts other operations: %s", shown);
  ft_check (number_member (r, "duration_s") == duration, "duration_s is not %g: %s", duration,
            shown);
  ft_check (JSON_NODE_HOLDS_NULL (member (r, "repeat")), "repeat is not null: %s", shown);
  ft_check (window >= duration && window < duration + 5, "window_s out of range: %s", shown);
  ft_check (G_APPROX_VALUE (rate, int_member (r, "success") / window, rate * 1e-9 + 1e-9),
            "ops_per_s is not success / window_s: %s", shown);
  ft_check (number_member (r, "avg_op_time_s") > 0, "no time per operation: %s", shown);
  ft_check (number_member (r, "total_time_s") >= number_member (r, "warmup_s") + duration,
            "total_time_s is shorter than the warm-up and the duration: %s", shown);
}

/* Two list clients for 1 s after 0.5 s: many operations, all counted ones
 * verified; the server saw the warm-up's too, which were not counted. */
static void
test_list (gconstpointer data)
{
  const char *mode = data;
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  gint64 before = server_counter (srv->port, "connections");
  g_autoptr(FtRun) run = pool_run (srv->port, "--mode", mode, "--operation", "list",
                                   "--client-pool", "2", "--duration", "1", "--warmup", "0.5",
                                   "--json", NULL);
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *shown = NULL;
  gint64 ops, warm, seen;

  ft_run_assert_exit (run, 0);
  r = result_json (run);
  shown = ft_preview_json (r);
  /* The test's own STATS connection is counted once it is accepted. */
  seen = server_counter (srv->port, "connections") - before - 1;
  ops = int_member (r, "operations");
  warm = int_member (r, "warmup_operations");
  ft_check (ops > 20, "too few measured operations for 1 s: %s", shown);
  ft_check (int_member (r, "fail") == 0 && int_member (r, "warmup_fail") == 0,
            "failures: %s", shown);
  ft_check (bool_member (r, "verified"), "not verified: %s", shown);
  ft_check (warm > 0, "no operation in the warm-up: %s", shown);
  ft_check (seen == ops + warm + int_member (r, "setup_connections"),
            "the server counted %" G_GINT64_FORMAT " connections, the pool %" G_GINT64_FORMAT
            " measured + %" G_GINT64_FORMAT " in the warm-up + its setup: %s", seen, ops, warm,
            shown);
  g_assert_cmpfloat (number_member (r, "warmup_s"), ==, 0.5);
  check_figures (r, 1);
  ft_server_stop (g_steal_pointer (&srv));
}

/* A long warm-up and a short duration: the server moved more bytes than
 * the pool counts, and the counted bytes are exactly the measured
 * downloads'. */
static void
test_warmup_excluded (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("process", POOL, NULL);
  g_autoptr(FtRun) prepare = pool_run (srv->port, "--operation", "upload", "--volume", "0.0625",
                                       "--json", NULL);
  gint64 before, requests, ops, warm, size;
  g_autoptr(FtRun) run = NULL;
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *shown = NULL;

  ft_run_assert_exit (prepare, 0);
  before = server_counter (srv->port, "requests_ok");
  run = pool_run (srv->port, "--volume", "0.0625", "--client-pool", "2", "--mode", "process",
                  "--no-prepare", "--warmup", "1", "--duration", "0.5", "--json", NULL);
  ft_run_assert_exit (run, 0);
  /* Less the STATS of the pool and this one's own. */
  requests = server_counter (srv->port, "requests_ok") - before - 2;
  r = result_json (run);
  shown = ft_preview_json (r);
  ops = int_member (r, "operations");
  warm = int_member (r, "warmup_operations");
  size = int_member (r, "file_bytes");
  ft_check (ops >= 2 && warm > 0, "no measured or no warm-up operations: %s", shown);
  ft_check (requests == ops + warm, "the server answered %" G_GINT64_FORMAT " downloads, the "
            "pool measured %" G_GINT64_FORMAT " and warmed up with %" G_GINT64_FORMAT ": %s",
            requests, ops, warm, shown);
  ft_check (ops < requests, "the warm-up's operations were counted: %s", shown);
  ft_check (int_member (r, "bytes") == ops * size, "bytes is not the measured downloads': %s",
            shown);
  ft_check (G_APPROX_VALUE (number_member (r, "aggregate_Bps"),
                            ops * size / number_member (r, "window_s"), 1.0),
            "aggregate_Bps is not the bytes over the window: %s", shown);
  check_figures (r, 0.5);
  ft_server_stop (g_steal_pointer (&srv));
}

/* Operations far longer than the duration: every client still makes
 * one measured operation, and the run lasts as long as that takes. */
static void
test_slow (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autoptr(FtRun) run = pool_run (srv->port, "--volume", "8", "--client-pool", "3",
                                   "--duration", "0.001", "--warmup", "0.001", "--json", NULL);
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *shown = NULL;
  JsonObject *times;

  ft_run_assert_exit (run, 0);
  r = result_json (run);
  shown = ft_preview_json (r);
  times = json_node_get_object (member (r, "client_time_s"));
  ft_check (int_member (r, "success") >= 3, "fewer measured operations than clients: %s", shown);
  ft_check (json_object_get_double_member (times, "min") > 0,
            "a client made no measured operation: %s", shown);
  ft_check (bool_member (r, "verified"), "not verified: %s", shown);
  check_figures (r, 0.001);
  ft_server_stop (g_steal_pointer (&srv));
}

/* The summary says what was measured. */
static void
test_summary (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autoptr(FtRun) run = pool_run (srv->port, "--operation", "list", "--client-pool", "2",
                                   "--duration", "0.25", "--warmup", "0.25", NULL);
  g_autofree char *out = ft_run_stdout_text (run);

  ft_run_assert_exit (run, 0);
  ft_check (strstr (out, "\nDuration:                0.25 s after a warm-up of 0.25 s\n")
            != NULL, "no duration line:\n%s", out);
  ft_check (g_regex_match_simple ("\nMeasured:                [1-9][0-9]* operations in "
                                  "0\\.[0-9]{3} s, [1-9][0-9]* more in the warm-up\n",
                                  out, 0, 0), "no measured line:\n%s", out);
  ft_check (g_regex_match_simple ("^Clients:                 2 threads\n", out, 0, 0),
            "no clients line:\n%s", out);
  ft_check (g_regex_match_simple ("\nOperations per second:   [1-9][0-9]*\\.[0-9]\n", out, 0, 0),
            "no operations per second:\n%s", out);
  ft_server_stop (g_steal_pointer (&srv));
}

/* A signal mid-duration stops the pool at once with what finished. */
static void
test_interrupt (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autoptr(FtRun) run = pool_start (srv->port, "--operation", "list", "--client-pool", "2",
                                     "--duration", "60", "--json", NULL);
  pid_t pid = (pid_t) atoi (g_subprocess_get_identifier (run->proc));
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *shown = NULL;

  g_usleep (G_USEC_PER_SEC / 2);
  ft_run_poll (run);
  ft_check (!run->done, "%s: ended before it was signalled", run->cmd);
  ft_check (kill (pid, SIGINT) == 0, "cannot signal the pool");
  ft_run_wait (run, 10);
  ft_run_assert_exit (run, 130);
  r = result_json (run);
  shown = ft_preview_json (r);
  ft_check (bool_member (r, "interrupted"), "not marked as interrupted: %s", shown);
  ft_check (int_member (r, "success") >= 1 && int_member (r, "fail") == 0,
            "no finished operation counted, or failures: %s", shown);
  ft_check (number_member (r, "total_time_s") < 30, "not cut short: %s", shown);
  ft_server_stop (g_steal_pointer (&srv));
}

/* Bad combinations: one line, exit 2, before any connection. */
static void
test_usage (gconstpointer data G_GNUC_UNUSED)
{
  static const struct { const char *args[5]; const char *message; } cases[] = {
    { { "--repeat", "2", "--duration", "1", NULL },
      "filestorm-pool: --repeat and --duration cannot be combined: give a count or a time, "
      "not both\n" },
    { { "--warmup", "1", NULL },
      "filestorm-pool: --warmup needs --duration: a warm-up comes before a measured "
      "duration\n" },
    { { "--duration", "0", NULL },
      "filestorm-pool: --duration 0: not a positive number of seconds up to 86400; give one "
      "such as 5 or 0.5\n" },
    { { "--duration", "1", "--warmup", "-1", NULL },
      "filestorm-pool: --warmup -1: not a number of seconds up to 86400; give one such as 5 "
      "or 0.5\n" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char * const *a = cases[i].args;
      /* Port 1: nothing listens there, and nothing must be asked. */
      g_autoptr(FtRun) run = pool_run (1, a[0], a[1], a[2], a[3], NULL);
      g_autofree char *err = ft_run_stderr_text (run);

      ft_run_assert_exit (run, 2);
      ft_check (strcmp (err, cases[i].message) == 0, "%s: stderr is \"%s\"", run->cmd, err);
    }
}

int
main (int argc, char **argv)
{
  ft_init ();
  g_test_init (&argc, &argv, NULL);
  ft_test_add ("/pool-duration/list/thread", test_list, "thread");
  ft_test_add ("/pool-duration/list/process", test_list, "process");
  ft_test_add ("/pool-duration/warmup-excluded", test_warmup_excluded, NULL);
  ft_test_add ("/pool-duration/slow", test_slow, NULL);
  ft_test_add ("/pool-duration/summary", test_summary, NULL);
  ft_test_add ("/pool-duration/interrupt", test_interrupt, NULL);
  ft_test_add ("/pool-duration/usage", test_usage, NULL);
  return g_test_run ();
}
