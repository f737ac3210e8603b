/* test-stress-duration.c: filestorm-stress's steady state (issue 27 §2)
 * end to end, on a small real subset: every client repeats its operation
 * for --duration after --warmup, the runs record what the pool measured
 * and what it left in the warm-up, the server's counters agree with both,
 * a failure in the warm-up fails the run and says so, --repeat with
 * --duration is refused, and a blocking server starved by idle
 * connections shows timed-out operations within the run's bound. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "hostile-server.h"
#include "stress-run.h"
#include "testutil.h"

static double
number (JsonObject *o, const char *name, const char *what)
{
  JsonNode *node = json_object_get_member (o, name);

  ft_check (node != NULL && JSON_NODE_HOLDS_VALUE (node), "%s: no number %s", what, name);
  return json_node_get_double (node);
}

/* Two modes of a small download and list, a third of a second each after
 * a tenth of warm-up: every client made more than one operation, the
 * warm-up's are counted apart, and the server, which served both, counted
 * the pool's successes plus the warm-up's. */
static void
test_window (void)
{
  static const char *const args[] = {
    "--quick", "--operation", "download,list", "--volume", "10", "--client-pool", "5",
    "--server-pool", "5", "--runs", "1", "--duration", "0.3", "--warmup", "0.1",
    "--seed", "3", NULL,
  };
  g_auto(FtStressRun) r;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json_path = NULL, *csv_path = NULL, *csv = NULL;
  JsonObject *root, *matrix;
  JsonArray *scenarios;

  ft_stress_run (&r, NULL, args);
  ft_check (r.status == 0, "exit %d; stdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
  ft_check (strstr (r.out, "every client repeats its operation for 0.3 s, after a 0.1 s "
                           "warm-up") != NULL, "stdout does not say the steady state:\n%s",
            r.out);
  json_path = ft_stress_result_file (&r, ".json");
  g_assert_true (json_parser_load_from_file (parser, json_path, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  matrix = json_object_get_object_member (json_object_get_object_member (root, "run"),
                                          "matrix");
  g_assert_cmpfloat (number (matrix, "duration", "matrix"), ==, 0.3);
  g_assert_cmpfloat (number (matrix, "warmup", "matrix"), ==, 0.1);
  g_assert_true (json_object_get_null_member (matrix, "repeat"));
  scenarios = json_object_get_array_member (root, "scenarios");
  g_assert_cmpuint (json_array_get_length (scenarios), ==, 4);
  for (guint i = 0; i < json_array_get_length (scenarios); i++)
    {
      JsonObject *sc = json_array_get_object_element (scenarios, i);
      JsonArray *runs = json_object_get_array_member (sc, "runs");
      JsonObject *run = json_array_get_object_element (runs, 0);
      g_autofree char *what = g_strdup_printf ("%s %s",
                                               json_object_get_string_member (sc, "mode"),
                                               json_object_get_string_member (sc, "operation"));
      double success = number (run, "success", what);
      double operations = number (run, "operations", what);
      double warmup_ops = number (run, "warmup_operations", what);
      double window = number (run, "window_s", what);

      g_assert_cmpuint (json_array_get_length (runs), ==, 1);
      ft_check (json_object_get_boolean_member (run, "passed"), "%s failed: %s", what,
                json_object_get_string_member_with_default (run, "error", "?"));
      g_assert_cmpfloat (number (run, "duration_s", what), ==, 0.3);
      g_assert_cmpfloat (number (run, "warmup_s", what), ==, 0.1);
      /* A closed loop: more operations than clients, by far. */
      ft_check (operations > 5, "%s: %g operations for 5 clients", what, operations);
      g_assert_cmpfloat (operations, ==, success + number (run, "fail", what));
      ft_check (warmup_ops >= 5, "%s: %g operations in the warm-up", what, warmup_ops);
      g_assert_cmpfloat (number (run, "warmup_fail", what), ==, 0);
      ft_check (window >= 0.3 && window < 5, "%s: window %g s", what, window);
      ft_check (fabs (number (run, "ops_per_s", what) - success / window)
                  <= 1e-6 * success / window + 1e-9,
                "%s: ops_per_s %g is not %g successes over %g s", what,
                number (run, "ops_per_s", what), success, window);
      /* The time of one operation, not a client's whole window. */
      ft_check (number (run, "avg_time_s", what) == number (run, "avg_op_time_s", what)
                  && number (run, "avg_time_s", what) < 0.3,
                "%s: avg_time_s %g, avg_op_time_s %g", what, number (run, "avg_time_s", what),
                number (run, "avg_op_time_s", what));
      /* The server served the warm-up too, and nothing else of the pool. */
      ft_check (number (run, "server_success", what) == success + warmup_ops,
                "%s: server_success %g, but %g measured and %g in the warm-up succeeded",
                what, number (run, "server_success", what), success, warmup_ops);
      g_assert_cmpfloat (number (json_object_get_object_member (sc, "median"), "operations",
                                 what), ==, operations);
    }
  csv_path = ft_stress_result_file (&r, ".csv");
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_assert_no_error (error);
  ft_check (strstr (csv, ",client_time_max_s,operations,window_s,avg_op_time_s,"
                         "warmup_operations,warmup_fail,pool_cpu_over_server,") != NULL, "CSV header: %.400s", csv);
}

/* A count and a time at once: refused before anything runs, in one line. */
static void
test_refused (void)
{
  static const char *const both[] = { "--quick", "--operation", "list", "--repeat", "2",
                                      "--duration", "1", NULL };
  static const char *const warmup[] = { "--quick", "--operation", "list", "--repeat", "2",
                                        "--warmup", "1", NULL };
  const char *const *cases[] = { both, warmup };
  const char *words[] = { "--repeat and --duration cannot be combined",
                          "--repeat and --warmup cannot be combined" };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(FtStressRun) r;

      ft_stress_run (&r, NULL, cases[i]);
      ft_check (r.status == 2, "case %" G_GSIZE_FORMAT ": exit %d; stderr:\n%s", i, r.status,
                r.err);
      ft_check (strstr (r.err, words[i]) != NULL && strchr (r.err, '\n') == r.err
                  + strlen (r.err) - 1, "case %" G_GSIZE_FORMAT ": stderr is not one line "
                "saying '%s':\n%s", i, words[i], r.err);
      ft_check (!g_file_test (r.dir, G_FILE_TEST_EXISTS), "a refused run wrote %s", r.dir);
    }
}

/* A server that fails the first LIST (it closes the connection without
 * an answer) and answers every later one, and whose STATS counts the
 * connections it served: the one failure falls in the warm-up. */
static void
answer_first_fails (GSocket *conn, const char *request, gpointer data)
{
  static const char list[] = "{\"status\":\"OK\",\"data\":[]}\r\n\r\n";
  guint *served = data;
  gboolean first_list;

  ++*served;
  if (g_ascii_strncasecmp (request, "STATS", 5) == 0)
    {
      /* Every connection before this one has ended, cleanly. */
      g_autofree char *frame = g_strdup_printf (
        "{\"status\":\"OK\",\"data\":{\"mode\":\"thread\",\"pool\":1,\"connections\":%u,"
        "\"workers_ok\":%u,\"workers_failed\":0,\"worker_restarts\":0}}\r\n\r\n",
        *served, *served - 1);
      ft_hostile_send (conn, frame, strlen (frame));
      return;
    }
  first_list = served[1]++ == 0;
  if (!first_list)
    ft_hostile_send (conn, list, strlen (list));
}

/* A failure in the warm-up fails the run, although no measured operation
 * failed, and the run's error says where it was. */
static void
test_warmup_failure (void)
{
  guint served[2] = { 0, 0 };  /* connections, LIST requests */
  /* At most 200,000 connections: far more than 0.3 s of one client. */
  g_autoptr(FtHostile) server = ft_hostile_start (200000, answer_first_fails, served);
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", ft_hostile_port (server));
  const char *const args[] = {
    "--target", target, "--quick", "--operation", "list", "--volume", "10", "--client-pool",
    "1", "--runs", "1", "--duration", "0.2", "--warmup", "0.1", "--timeout", "5", NULL,
  };
  g_auto(FtStressRun) r;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json_path = NULL;
  JsonObject *run;

  ft_stress_run (&r, NULL, args);
  ft_check (r.status == 1, "exit %d; stdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
  json_path = ft_stress_result_file (&r, ".json");
  g_assert_true (json_parser_load_from_file (parser, json_path, &error));
  g_assert_no_error (error);
  run = json_array_get_object_element (
    json_object_get_array_member (
      json_array_get_object_element (
        json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                      "scenarios"), 0), "runs"), 0);
  g_assert_cmpfloat (number (run, "warmup_fail", "run"), ==, 1);
  g_assert_cmpfloat (number (run, "fail", "run"), ==, 0);
  ft_check (number (run, "success", "run") > 1, "%g measured successes",
            number (run, "success", "run"));
  g_assert_false (json_object_get_boolean_member (run, "passed"));
  ft_check (g_str_has_prefix (json_object_get_string_member_with_default (run, "error", ""),
                              "client: in the warm-up: "),
            "the run's error does not say the warm-up: %s",
            json_object_get_string_member_with_default (run, "error", "(none)"));
}

/* One idle connection against a thread server of one worker: the worker
 * waits on it for the whole run, so every operation times out, after
 * the run's duration and a few seconds (FS_STRESS_IDLE_SLACK), not the
 * default --timeout of 60 s; with five workers the same scenario passes,
 * and so does the event model's one worker, which --mode runs too. The
 * results record the idle connections, and the answer says which model
 * the idle connections starved. */
static void
test_idle_starved (void)
{
  static const char *const args[] = {
    "--quick", "--mode", "event,thread", "--operation", "list", "--volume", "10", "--client-pool",
    "5", "--server-pool", "1,5", "--idle-connections", "1", "--runs", "1", "--duration",
    "0.3", "--warmup", "0", "--seed", "3", NULL,
  };
  g_auto(FtStressRun) r;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json_path = NULL;
  JsonArray *scenarios;
  double started = ft_now (), took;

  ft_stress_run (&r, NULL, args);
  took = ft_now () - started;
  ft_check (r.status == 1, "exit %d; stdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
  /* 0.3 s rounded up and 5 s for the starved run, a second or so for
   * the other, and the servers' starts and stops. */
  ft_check (took < 20, "the run took %.1f s: the idle scenario was not bounded", took);
  json_path = ft_stress_result_file (&r, ".json");
  g_assert_true (json_parser_load_from_file (parser, json_path, &error));
  g_assert_no_error (error);
  scenarios = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "scenarios");
  g_assert_cmpuint (json_array_get_length (scenarios), ==, 4);
  ft_check (strstr (r.out, "\n  list, 5 clients: every run of thread pool 1 failed (event pool 1 "
                           "passed)")
            != NULL, "the answer does not say the idle connection starved thread:\n%s", r.out);
  for (guint i = 0; i < 4; i++)
    {
      JsonObject *sc = json_array_get_object_element (scenarios, i);
      JsonObject *run = json_array_get_object_element (json_object_get_array_member (sc, "runs"),
                                                       0);
      gint64 pool = json_object_get_int_member (sc, "server_pool");
      const char *mode = json_object_get_string_member (sc, "mode");
      g_autofree char *what = g_strdup_printf ("%s, server pool %" G_GINT64_FORMAT, mode, pool);

      g_assert_cmpint (json_object_get_int_member (sc, "idle_connections"), ==, 1);
      if (pool == 5 || strcmp (mode, "event") == 0)
        {
          ft_check (json_object_get_boolean_member (run, "passed"), "%s failed: %s", what,
                    json_object_get_string_member_with_default (run, "error", "?"));
          continue;
        }
      g_assert_cmpint (pool, ==, 1);
      g_assert_false (json_object_get_boolean_member (run, "passed"));
      g_assert_cmpfloat (number (run, "success", what), ==, 0);
      ft_check (number (run, "fail", what) >= 5
                  && number (json_object_get_object_member (run, "errors"), "timeout", what)
                     == number (run, "fail", what),
                "%s: %g failed, not all of them timed out", what, number (run, "fail", what));
      ft_check (number (run, "total_time_s", what) < 10, "%s: the pool ran %g s", what,
                number (run, "total_time_s", what));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stress-duration/window", test_window);
  g_test_add_func ("/stress-duration/refused", test_refused);
  g_test_add_func ("/stress-duration/warmup-failure", test_warmup_failure);
  g_test_add_func ("/stress-duration/idle-starved", test_idle_starved);
  return g_test_run ();
}
