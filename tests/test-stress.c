/* test-stress.c: filestorm-stress end to end, on small real subsets of
 * the matrix (quick volumes, or a few MiB): repeated runs in shuffled
 * rounds, the seed, the cost figures from /proc, the verdict and its
 * consistency between two runs, the results document, and the fixed
 * frictions of bad options and a missing TMPDIR. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "errors.h"
#include "stress-server.h"
#include "stress-target.h"
#include "stress-run.h"
#include "testutil.h"

typedef FtStressRun Run;

static JsonObject *
load_results (const Run *r)
{
  g_autofree char *path = ft_stress_result_file (r, ".json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The progress lines "[round r/K, i/N] what: ..." as "r what" each. */
static char *
run_order (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GString *s = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon = strstr (lines[i], ": ");
      if (g_str_has_prefix (lines[i], "[round ") && colon != NULL)
        g_string_append_printf (s, "%.*s\n", (int) (colon - lines[i]), lines[i]);
    }
  return g_string_free (s, FALSE);
}

static double
median_of (JsonObject *scenario, const char *figure)
{
  JsonObject *m = json_object_get_object_member (scenario, "median");
  JsonNode *n = json_object_get_member (m, figure);

  g_assert_nonnull (n);
  return JSON_NODE_HOLDS_NULL (n) ? -1 : json_node_get_double (n);
}

static const char *const small_quick[] = {
  "--quick", "--operation", "download,list", "--volume", "10", "--client-pool", "1,5",
  "--server-pool", "5", NULL,
};

static void
test_runs_and_seed (gconstpointer data)
{
  const char *args[32];
  guint n = 0;
  Run a, b, c;
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *order_a = NULL, *order_b = NULL, *order_c = NULL;
  g_autofree char *csv_path = NULL, *csv = NULL;
  JsonObject *run;
  JsonArray *scenarios;

  for (guint i = 0; small_quick[i] != NULL; i++)
    args[n++] = small_quick[i];
  args[n++] = "--runs";
  args[n++] = "2";
  args[n++] = "--seed";
  args[n++] = "42";
  args[n] = NULL;
  ft_stress_run (&a, NULL, args);
  ft_check (a.status == 0, "exit %d\n%s\n%s", a.status, a.out, a.err);
  g_assert_cmpstr (a.err, ==, "");
  g_assert_nonnull (strstr (a.out, "8 scenarios x 2 runs"));
  g_assert_nonnull (strstr (a.out, "seed 42"));
  g_assert_nonnull (strstr (a.out, "quick: volumes in KiB; these runs measure latency"));

  doc = load_results (&a);
  run = json_object_get_object_member (doc, "run");
  g_assert_cmpint (json_object_get_int_member (run, "seed"), ==, 42);
  g_assert_cmpint (json_object_get_int_member (run, "runs"), ==, 2);
  g_assert_true (json_object_get_boolean_member (run, "complete"));
  scenarios = json_object_get_array_member (doc, "scenarios");
  g_assert_cmpuint (json_array_get_length (scenarios), ==, 8);
  for (guint i = 0; i < 8; i++)
    {
      JsonObject *s = json_array_get_object_element (scenarios, i);
      JsonArray *runs = json_object_get_array_member (s, "runs");
      g_assert_cmpint (json_object_get_int_member (s, "runs_done"), ==, 2);
      g_assert_cmpint (json_object_get_int_member (s, "runs_passed"), ==, 2);
      g_assert_cmpuint (json_array_get_length (runs), ==, 2);
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (runs, 0),
                                                   "round"), ==, 1);
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (runs, 1),
                                                   "round"), ==, 2);
    }
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (doc, "verdict")));

  /* The CSV: one row per scenario, LF line ends, list without a rate. */
  csv_path = ft_stress_result_file (&a, ".csv");
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_null (strchr (csv, '\r'));
  {
    g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
    guint lists = 0;
    g_assert_cmpuint (g_strv_length (lines), ==, 1 + 8 + 1);
    for (guint i = 1; i < 9; i++)
      if (strstr (lines[i], ",list,") != NULL)
        {
          g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
          g_assert_cmpstr (f[8], ==, "");  /* throughput_Bps */
          lists++;
        }
    g_assert_cmpuint (lists, ==, 4);
  }

  /* The same seed visits the scenarios in the same order; another seed
   * in another; every round in an order of its own. */
  ft_stress_run (&b, NULL, args);
  args[n - 1] = "43";
  ft_stress_run (&c, NULL, args);
  g_assert_cmpint (b.status, ==, 0);
  g_assert_cmpint (c.status, ==, 0);
  order_a = run_order (a.out);
  order_b = run_order (b.out);
  order_c = run_order (c.out);
  g_assert_cmpuint (strlen (order_a), >, 0);
  g_assert_cmpstr (order_a, ==, order_b);
  g_assert_cmpstr (order_a, !=, order_c);
  ft_stress_run_clear (&a);
  ft_stress_run_clear (&b);
  ft_stress_run_clear (&c);
}

/* A real transfer costs the server CPU; in process mode the summed PSS
 * is at most the summed RSS, and the workers are counted. */
static void
test_cost (gconstpointer data)
{
  static const char *const args[] = {
    "--operation", "download", "--volume", "10", "--scale", "0.2", "--client-pool", "5",
    "--server-pool", "5", "--runs", "1", NULL,
  };
  Run r;
  g_autoptr(JsonObject) doc = NULL;
  JsonArray *scenarios;

  ft_stress_run (&r, NULL, args);
  ft_check (r.status == 0, "exit %d\n%s\n%s", r.status, r.out, r.err);
  doc = load_results (&r);
  scenarios = json_object_get_array_member (doc, "scenarios");
  g_assert_cmpuint (json_array_get_length (scenarios), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *s = json_array_get_object_element (scenarios, i);
      gboolean process = g_str_equal (json_object_get_string_member (s, "mode"), "process");
      double pss = median_of (s, "server_pss_kib"), rss = median_of (s, "server_rss_kib");

      ft_note ("%s: cpu %.4f s, %.3f ms/MiB, pss %.0f rss %.0f KiB, %.0f processes, "
               "%.0f threads, pool cpu %.4f s", process ? "process" : "thread",
               median_of (s, "server_cpu_s"), median_of (s, "server_cpu_ms_per_mib"), pss, rss,
               median_of (s, "server_processes"), median_of (s, "server_threads"),
               median_of (s, "pool_cpu_s"));
      g_assert_cmpfloat (median_of (s, "server_cpu_s"), >, 0);
      g_assert_cmpfloat (median_of (s, "server_cpu_ms_per_mib"), >, 0);
      g_assert_cmpfloat (median_of (s, "pool_cpu_s"), >, 0);
      g_assert_cmpfloat (median_of (s, "pool_peak_rss_kib"), >, 0);
      /* Five clients: the spread of their times, from the pool. */
      g_assert_cmpfloat (median_of (s, "client_time_min_s"), >, 0);
      g_assert_cmpfloat (median_of (s, "client_time_min_s"), <=, median_of (s, "client_time_p50_s"));
      g_assert_cmpfloat (median_of (s, "client_time_p50_s"), <=, median_of (s, "client_time_max_s"));
      {
        JsonObject *run = json_array_get_object_element (json_object_get_array_member (s, "runs"), 0);
        JsonObject *errors = json_object_get_object_member (run, "errors");

        g_assert_nonnull (errors);
        g_assert_cmpint (json_object_get_int_member (errors, "connect"), ==, 0);
        g_assert_cmpint (json_object_get_int_member (errors, "crashed"), ==, 0);
      }
      g_assert_cmpfloat (pss, >, 0);
      g_assert_cmpfloat (pss, <=, rss);
      g_assert_cmpfloat (median_of (s, "server_hwm_max_kib"), >, 0);
      if (process)
        {
          /* The supervisor and its 5 workers; their shared pages are
           * counted once in the PSS, once per process in the RSS. */
          g_assert_cmpfloat (median_of (s, "server_processes"), ==, 6);
          g_assert_cmpfloat (pss, <, rss);
          g_assert_cmpfloat (median_of (s, "server_hwm_sum_kib"), >,
                             median_of (s, "server_hwm_max_kib"));
        }
      else
        {
          g_assert_cmpfloat (median_of (s, "server_processes"), ==, 1);
          g_assert_cmpfloat (median_of (s, "server_threads"), >=, 6);
        }
    }
  ft_stress_run_clear (&r);
}

/* transfers=base64;raw: the raw scenarios run over GETRAW and UPLOADRAW,
 * verified, the server counting every operation, and carry their
 * transfer in the JSON and the CSV; list comes once. */
static void
test_transfers (gconstpointer data)
{
  static const char matrix[] =
    "[matrix]\nmodes=thread;process\noperations=upload;download;list\n"
    "transfers=base64;raw\nvolumes=300\nclient_pools=3\nserver_pools=3\n";
  g_autofree char *dir = g_dir_make_tmp ("test-stress-matrix-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "m.conf", NULL);
  /* One operation per client: the counts are exact. */
  const char *args[] = { "--quick", "--matrix", path, "--runs", "1", "--repeat", "1", NULL };
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *csv = NULL;
  JsonArray *scenarios;
  guint raw = 0;
  Run r;

  g_assert_true (g_file_set_contents (path, matrix, -1, NULL));
  ft_stress_run (&r, NULL, args);
  ft_check (r.status == 0, "exit %d\n%s\n%s", r.status, r.out, r.err);
  doc = load_results (&r);
  scenarios = json_object_get_array_member (doc, "scenarios");
  g_assert_cmpuint (json_array_get_length (scenarios), ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      JsonObject *s = json_array_get_object_element (scenarios, i);
      const char *transfer = json_object_get_string_member (s, "transfer");
      const char *op = json_object_get_string_member (s, "operation");

      g_assert_true (g_str_equal (transfer, "raw") || g_str_equal (transfer, "base64"));
      if (g_str_equal (op, "list"))
        g_assert_cmpstr (transfer, ==, "base64");
      raw += g_str_equal (transfer, "raw");
      g_assert_true (json_object_get_boolean_member (s, "verified"));
      g_assert_cmpint (json_object_get_int_member (s, "ranks"), ==, 1);
      g_assert_cmpfloat (median_of (s, "success"), ==, 3);
      g_assert_cmpfloat (median_of (s, "server_success"), ==, 3);
    }
  g_assert_cmpuint (raw, ==, 4);
  csv_path = ft_stress_result_file (&r, ".csv");
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  /* A pool run without a launcher is one rank; without a search, the
   * capacity's three columns are empty; no idle connections, last. */
  g_assert_nonnull (strstr (csv, ",transfer,ranks,capacity_ops_per_s,capacity_ops_per_s_min,"
                                 "capacity_ops_per_s_max,idle_connections\n"));
  g_assert_nonnull (strstr (csv, ",raw,1,,,,0\n"));
  ft_stress_run_clear (&r);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* The property the verdict must have: two runs of the same matrix on the
 * same machine never call the same pair clear in opposite directions. */
static void
test_verdict_consistent (gconstpointer data)
{
  const char *args[] = {
    "--quick", "--operation", "download,list", "--volume", "10", "--client-pool", "5",
    "--server-pool", "1,5", "--runs", "3", "--seed", "1", NULL,
  };
  Run a, b;
  g_autoptr(JsonObject) da = NULL, db = NULL;
  JsonArray *pa, *pb;
  guint clear = 0;

  ft_stress_run (&a, NULL, args);
  args[G_N_ELEMENTS (args) - 2] = "2";
  ft_stress_run (&b, NULL, args);
  ft_check (a.status == 0 && b.status == 0, "exit %d, %d\n%s\n%s", a.status, b.status, a.err,
            b.err);
  da = load_results (&a);
  db = load_results (&b);
  pa = json_object_get_array_member (json_object_get_object_member (da, "verdict"), "pairs");
  pb = json_object_get_array_member (json_object_get_object_member (db, "verdict"), "pairs");
  g_assert_cmpuint (json_array_get_length (pa), ==, 4);
  g_assert_cmpuint (json_array_get_length (pb), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      JsonObject *x = json_object_get_object_member (json_array_get_object_element (pa, i),
                                                     "speed");
      JsonObject *y = json_object_get_object_member (json_array_get_object_element (pb, i),
                                                     "speed");
      const char *cx = json_object_get_string_member_with_default (x, "call", "");
      const char *cy = json_object_get_string_member_with_default (y, "call", "");
      const char *wx = json_object_get_string_member_with_default (x, "winner", "");
      const char *wy = json_object_get_string_member_with_default (y, "winner", "");

      ft_note ("pair %u: %s %s %.2fx / %s %s %.2fx", i, cx, wx,
               json_object_get_double_member (x, "ratio"), cy, wy,
               json_object_get_double_member (y, "ratio"));
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (pa, i),
                                                   "server_pool"), ==,
                       json_object_get_int_member (json_array_get_object_element (pb, i),
                                                   "server_pool"));
      if (g_str_equal (cx, "clear") && g_str_equal (cy, "clear"))
        {
          g_assert_cmpstr (wx, ==, wy);
          clear++;
        }
    }
  /* The verdict prints its conclusion lines. */
  g_assert_nonnull (strstr (a.out, "Verdict, thread against process"));
  g_assert_nonnull (strstr (a.out, "  download: "));
  g_assert_nonnull (strstr (a.out, "  list: "));
  /* ... and ends with the answer, which the JSON's verdict opens with. */
  g_assert_nonnull (strstr (a.out, "\nAnswer:\n  download, 5 clients: "));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (da, "verdict"), "answer")), >, 0);
  ft_note ("%u pairs clear in both runs", clear);
  /* A verdict that calls everything noise would pass the check above
   * without testing it. On a quiet machine the list pairs differ several
   * times over and come out clear; on a loaded one (make -j2 check beside a
   * package build) three runs can spread too much for the interval to
   * exclude 1. That is the
   * verdict working, not failing, so it is a skip with the reason; that
   * the verdict does call clear differences clear is asserted on fixed
   * figures in test-results /verdict/pairs and test-verdict. */
  if (clear == 0)
    ft_skip ("the machine was too noisy: no pair was clear in both runs");
  ft_stress_run_clear (&a);
  ft_stress_run_clear (&b);
}

/* The scenario of doc with this server mode and client mode. */
static JsonObject *
scenario_of (JsonObject *doc, const char *mode, const char *client_mode)
{
  JsonArray *all = json_object_get_array_member (doc, "scenarios");

  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *s = json_array_get_object_element (all, i);

      if (g_str_equal (json_object_get_string_member (s, "mode"), mode)
          && g_str_equal (json_object_get_string_member (s, "client_mode"), client_mode))
        return s;
    }
  g_assert_not_reached ();
}

/* The client mode: its own axis and CSV column; the pool runs it
 * whatever the server's mode (the pool's JSON says so, in each run's
 * pool_mode), same following the server; pairs only within one client
 * mode, and same's said not to compare the servers alone. */
static void
test_client_mode (gconstpointer data)
{
  static const char *const args[] = {
    "--quick", "--operation", "list", "--volume", "10", "--client-pool", "5",
    "--server-pool", "5", "--client-mode", "same,thread,process", "--runs", "1", NULL,
  };
  static const char *const modes[] = { "thread", "process" };
  static const char *const cms[] = { "thread", "process", "same" };
  Run r;
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *csv_path = NULL, *csv = NULL;
  g_auto(GStrv) lines = NULL;
  JsonArray *pairs;

  ft_stress_run (&r, NULL, args);
  ft_check (r.status == 0, "exit %d\n%s", r.status, r.err);
  csv_path = ft_stress_result_file (&r, ".csv");
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "timestamp,mode,client_mode,server_pool,"));
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 6 + 1);
  doc = load_results (&r);
  for (guint m = 0; m < 2; m++)
    for (guint c = 0; c < 3; c++)
      {
        JsonObject *s = scenario_of (doc, modes[m], cms[c]);
        JsonObject *run = json_array_get_object_element (
          json_object_get_array_member (s, "runs"), 0);

        /* A process server's pool ran threads under client mode thread. */
        g_assert_cmpstr (json_object_get_string_member (run, "pool_mode"), ==,
                         c == 2 ? modes[m] : cms[c]);
        g_assert_true (json_object_get_boolean_member (run, "passed"));
      }
  pairs = json_object_get_array_member (json_object_get_object_member (doc, "verdict"),
                                        "pairs");
  g_assert_cmpuint (json_array_get_length (pairs), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *p = json_array_get_object_element (pairs, i);
      const char *cm = json_object_get_string_member (p, "client_mode");
      JsonObject *speed = json_object_get_object_member (p, "speed");
      JsonObject *med[2];

      g_assert_cmpstr (cm, ==, cms[i]);
      g_assert_true (json_object_get_boolean_member (p, "compares_servers_alone")
                     == !g_str_equal (cm, "same"));
      /* Each side is the scenario of the pair's client mode. */
      for (guint m = 0; m < 2; m++)
        {
          med[m] = json_object_get_object_member (scenario_of (doc, modes[m], cm), "median");
          g_assert_cmpfloat (json_object_get_double_member (speed, modes[m]), ==,
                             json_object_get_double_member (med[m], "ops_per_s"));
        }
    }
  g_assert_nonnull (strstr (r.out, "list (client mode process): "));
  /* (The line is wrapped at 99 columns.) */
  g_assert_nonnull (strstr (r.out, "client mode 'same': the client pool's model changes with"));
  g_assert_nonnull (strstr (r.out, " Clients "));
  ft_stress_run_clear (&r);
}

/* Bad input: one line naming what is wrong, exit 2 (3 for TMPDIR), at
 * once. */
static void
test_bad_input (gconstpointer data)
{
  static const struct { const char *args[4]; int status; const char *words[2]; } cases[] = {
    { { "--scale", "2000000", NULL }, 2, { "--scale", "1000000" } },
    { { "--max-fail", "-1", NULL }, 2, { "--max-fail", "-1" } },
    { { "--runs", "0", NULL }, 2, { "--runs", "between 1 and 1000" } },
    { { "--runs", "1001", NULL }, 2, { "--runs", "1001" } },
    { { "--seed", "-1", NULL }, 2, { "--seed", "-1" } },
    { { "--seed", "4294967296", NULL }, 2, { "--seed", "4294967295" } },
    { { "--server-command", "srv --port '{port}", NULL }, 2,
      { "cannot be split", "srv --port '{port}" } },
    { { "--client-mode", "thread,fork", NULL }, 2, { "--client-mode fork", "same" } },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Run r;
      ft_stress_run (&r, NULL, cases[i].args);
      g_assert_cmpint (r.status, ==, cases[i].status);
      g_assert_true (g_str_has_prefix (r.err, "filestorm-stress: "));
      g_assert_nonnull (strstr (r.err, cases[i].words[0]));
      g_assert_nonnull (strstr (r.err, cases[i].words[1]));
      g_assert_cmpint (strchr (r.err, '\n') - r.err, ==, (long) strlen (r.err) - 1);
      ft_stress_run_clear (&r);
    }

  /* The user's locale for GLib's messages: a UTF-8 ellipsis, not "?". */
  {
    g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    g_autofree char *path = ft_program_path ("FILESTORM_STRESS", "filestorm-stress");
    g_autoptr(GSubprocess) proc = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;

    g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
    proc = g_subprocess_launcher_spawn (launcher, &error, path, "--help", NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (out, "[OPTION\u2026]"));
    /* What --server-command does not check, said where it is given. */
    g_assert_nonnull (strstr (out, "Only {port} is checked free; the command's exit status "
                                   "is ignored"));
  }

  /* TMPDIR that points nowhere: stop before the first scenario. */
  {
    static const char *const args[] = { "--quick", NULL };
    Run r;
    double t0 = ft_now ();
    ft_stress_run (&r, "/nonexistent/filestorm-tmp", args);
    g_assert_cmpint (r.status, ==, 3);
    g_assert_nonnull (strstr (r.err, "/nonexistent/filestorm-tmp"));
    g_assert_nonnull (strstr (r.err, "TMPDIR"));
    g_assert_cmpint (strchr (r.err, '\n') - r.err, ==, (long) strlen (r.err) - 1);
    g_assert_cmpfloat (ft_now () - t0, <, 10);
    g_assert_false (g_file_test (r.dir, G_FILE_TEST_EXISTS));
    ft_stress_run_clear (&r);
  }
}

/* --server-command: only the five placeholders are replaced, in words
 * already split, so a shell's ${HOME}, awk's {print} and an unknown
 * {name} pass as they are, and a value with a space stays one word;
 * {{port}} is the text {port}. */
static void
test_template (gconstpointer data)
{
  const char *const values[] = { "process", "5", "7001", "127.0.0.1", "/tmp/a b/root" };
  static const struct { const char *template; const char *words[6]; } cases[] = {
    { "srv --mode {mode} --pool {pool} --host {host} --root {root}",
      { "srv", "--mode", "process", "--pool", "5", "--host" } },
    { "srv --port={port} \"{root}\" '{host}'", { "srv", "--port=7001", "/tmp/a b/root", "127.0.0.1" } },
    { "sh -c 'echo ${HOME}; exec srv --port {port}'",
      { "sh", "-c", "echo ${HOME}; exec srv --port 7001" } },
    { "awk '{print}'", { "awk", "{print}" } },
    { "echo {prot} {port {} }{ {{prot}}", { "echo", "{prot}", "{port", "{}", "}{", "{{prot}}" } },
    /* Doubled braces around a placeholder's name give it literally. */
    { "echo {{port}} x{{mode}}y '{{root}}={root}' {{{host}}}",
      { "echo", "{port}", "x{mode}y", "{root}=/tmp/a b/root", "{{host}}" } },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) argv = fs_stress_command_argv (cases[i].template, values, &error);

      g_assert_no_error (error);
      for (guint w = 0; w < G_N_ELEMENTS (cases[i].words) && cases[i].words[w] != NULL; w++)
        {
          ft_check (argv[w] != NULL, "%s: word %u missing", cases[i].template, w);
          g_assert_cmpstr (argv[w], ==, cases[i].words[w]);
        }
    }
  {
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) argv = fs_stress_command_argv ("srv --root '{root}", values, &error);

    g_assert_null (argv);
    g_assert_error (error, FS_ERROR, FS_ERROR_USAGE);
    /* The user's template, not one with values in it. */
    ft_check (strstr (error->message, "srv --root '{root}") != NULL, "%s", error->message);
  }
}

/* --target resolves its host once, to every address it has, and hands
 * them on: the pool and STATS connect to what the loopback check saw (no
 * second lookup for a DNS rebinding to answer); the first STATS
 * connection picks the address that accepts, and an IPv6 address is
 * written [::1]:PORT. */
static const char *
target_ip (const FsStressTarget *t, guint i)
{
  static char ip[64];
  g_autofree char *text = g_inet_address_to_string (
    g_inet_socket_address_get_address (t->addresses->pdata[i]));

  g_strlcpy (ip, text, sizeof ip);
  return ip;
}

static void
test_target_parse (gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  {
    g_auto(FsStressTarget) t = { 0 };

    g_assert_true (fs_stress_target_parse ("localhost:7000", FALSE, &t, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (t.addresses->len, >=, 1);
    for (guint i = 0; i < t.addresses->len; i++)
      ft_check (g_strcmp0 (target_ip (&t, i), "127.0.0.1") == 0
                || g_strcmp0 (target_ip (&t, i), "::1") == 0,
                "--target localhost: address %s", target_ip (&t, i));
  }
  {
    g_auto(FsStressTarget) t = { 0 };

    g_assert_true (fs_stress_target_parse ("[::1]:1", FALSE, &t, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (t.addresses->len, ==, 1);
    g_assert_cmpstr (target_ip (&t, 0), ==, "::1");
    g_assert_cmpuint (t.port, ==, 1);
    /* Nothing listens on port 1: the message names it once, with
     * brackets. */
    g_assert_false (fs_stress_target_labels (&t, NULL, 0, &error));
    g_assert_error (error, FS_ERROR, FS_ERROR_FAILED);
    ft_check (strstr (error->message, "cannot connect to [::1]:1: ") != NULL, "%s",
              error->message);
    g_clear_error (&error);
  }
  {
    g_auto(FsStressTarget) t = { 0 };

    g_assert_false (fs_stress_target_parse ("192.0.2.1:7000", FALSE, &t, &error));
    g_assert_error (error, FS_ERROR, FS_ERROR_USAGE);
    g_clear_error (&error);
    /* Allowed: resolved all the same, nothing connects here. */
    g_assert_true (fs_stress_target_parse ("192.0.2.1:7000", TRUE, &t, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (target_ip (&t, 0), ==, "192.0.2.1");
  }
}

int
main (int argc, char **argv)
{
  ft_init ();
  g_test_init (&argc, &argv, NULL);

  ft_test_add ("/stress/runs-and-seed", test_runs_and_seed, NULL);
  ft_test_add ("/stress/cost", test_cost, NULL);
  ft_test_add ("/stress/transfers", test_transfers, NULL);
  ft_test_add ("/stress/verdict-consistent", test_verdict_consistent, NULL);
  ft_test_add ("/stress/client-mode", test_client_mode, NULL);
  ft_test_add ("/stress/bad-input", test_bad_input, NULL);
  ft_test_add ("/stress/target/parse", test_target_parse, NULL);
  ft_test_add ("/stress/server-command/template", test_template, NULL);

  return g_test_run ();
}
