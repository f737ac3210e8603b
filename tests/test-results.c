/* test-results.c: a scenario's runs and their medians, the results
 * files, the closing table and the verdict. */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "machine.h"
#include "results-files.h"
#include "verdict.h"

#include "decimal-comma.h"
#include "results-fixture.h"

/* ------------------------------------------------------------- helpers */

/* Splits text (a whole CSV file) into records of fields. Fails the test
 * on what RFC 4180 does not allow: a quote inside an unquoted field, text
 * after a closing quote, an unterminated quote, a CR. Records end in LF. */
static GPtrArray *
csv_parse (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  const char *p = text;

  while (*p != '\0')
    {
      GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);

      g_ptr_array_add (records, fields);
      for (;;)
        {
          GString *field = g_string_new (NULL);

          if (*p == '"')
            for (p++;; p++)
              {
                g_assert_true (*p != '\0');
                if (*p == '"' && p[1] == '"')
                  {
                    g_string_append_c (field, '"');
                    p++;
                  }
                else if (*p == '"')
                  {
                    p++;
                    break;
                  }
                else
                  g_string_append_c (field, *p);
              }
          else
            for (; *p != '\0' && *p != ',' && *p != '\n'; p++)
              {
                g_assert_true (*p != '"');
                g_assert_true (*p != '\r');
                g_string_append_c (field, *p);
              }
          g_ptr_array_add (fields, g_string_free (field, FALSE));
          if (*p == ',')
            {
              p++;
              continue;
            }
          g_assert_cmpint (*p, ==, '\n');
          p++;
          break;
        }
    }
  return records;
}

static const char *
field (GPtrArray *records, guint r, guint f)
{
  GPtrArray *fields = records->pdata[r];

  g_assert_cmpuint (f, <, fields->len);
  return fields->pdata[f];
}

static guint
column (const char *name)
{
  g_auto(GStrv) names = g_strsplit (fs_results_csv_header (), ",", -1);

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], name))
      return i;
  g_error ("no column %s", name);
}

static guint
n_columns (void)
{
  g_auto(GStrv) names = g_strsplit (fs_results_csv_header (), ",", -1);

  return g_strv_length (names);
}

static char *
make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-results-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      rm_rf (child);
    }
  g_remove (path);
}

static char *
capture_table (const FsScenarioResult *srs, guint n, const FsVerdict *v)
{
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream (&text, &size);

  fs_results_print_table (srs, n, v, out);
  fclose (out);
  return text;
}

/* ------------------------------------------------------------- medians */

static void
test_median (void)
{
  double odd[] = { 3, 1, 2 };
  double even[] = { 4, 1, 3, 2 };
  double gaps[] = { NAN, 5, NAN, 1 };
  double none[] = { NAN, NAN };

  g_assert_cmpfloat (fs_median (odd, 3), ==, 2);
  g_assert_cmpfloat (fs_median (even, 4), ==, 2.5);
  g_assert_cmpfloat (fs_median (gaps, 4), ==, 3);
  g_assert_true (isnan (fs_median (none, 2)));
  g_assert_true (isnan (fs_median (none, 0)));
}

static void
test_scenario_runs (void)
{
  FsScenario sc = scenario (1, FS_MODE_THREAD, FS_OP_DOWNLOAD, 5);
  FsScenarioResult sr;
  const double speeds[] = { 300, 100, 200 };
  FsResultRow bad;
  g_autofree char *error = NULL;

  fs_scenario_result_init (&sr, &sc, FALSE);
  g_assert_true (isnan (sr.median[FS_FIG_AGGREGATE]));
  add_runs (&sr, speeds, 3);
  g_assert_cmpuint (sr.n_runs, ==, 3);
  g_assert_cmpuint (sr.runs_passed, ==, 3);
  g_assert_false (fs_scenario_result_failed (&sr));
  g_assert_cmpfloat_with_epsilon (sr.median[FS_FIG_AGGREGATE], 200 * 1048576.0, 1e-3);
  g_assert_cmpfloat_with_epsilon (sr.min[FS_FIG_AGGREGATE], 100 * 1048576.0, 1e-3);
  g_assert_cmpfloat_with_epsilon (sr.max[FS_FIG_AGGREGATE], 300 * 1048576.0, 1e-3);
  g_assert_cmpfloat (sr.median[FS_FIG_P99], ==, 40);
  g_assert_cmpfloat (sr.min[FS_FIG_P50], ==, 10);
  g_assert_cmpfloat (sr.max[FS_FIG_P50], ==, 30);
  /* Cost: 0.5 s over 5 x 10 MiB is 10 ms per MiB; PSS per client. */
  g_assert_cmpfloat_with_epsilon (sr.median[FS_FIG_SERVER_CPU_PER_MIB], 10, 1e-9);
  g_assert_true (isnan (sr.median[FS_FIG_SERVER_CPU_PER_KOP]));
  g_assert_cmpfloat (sr.median[FS_FIG_SERVER_MEM_PER_CLIENT], ==, 4096.0 / 5);
  g_assert_true (sr.verified);
  g_assert_null (fs_scenario_result_error (&sr));

  /* A failed run is left out of the figures, and named. */
  run_init (&bad, &sc, 4, 1);
  bad.fail = 2;
  bad.success = 3;
  bad.error = g_strdup ("client: connection reset");
  fs_scenario_result_add (&sr, &bad);
  g_assert_cmpuint (sr.runs_passed, ==, 3);
  g_assert_true (fs_scenario_result_failed (&sr));
  g_assert_cmpfloat_with_epsilon (sr.min[FS_FIG_AGGREGATE], 100 * 1048576.0, 1e-3);
  g_assert_cmpfloat (sr.median[FS_FIG_FAIL], ==, 0);
  error = fs_scenario_result_error (&sr);
  g_assert_cmpstr (error, ==, "run 4: client: connection reset");
  fs_scenario_result_clear (&sr);

  /* When no run passed, the figures are the failed runs'. */
  fs_scenario_result_init (&sr, &sc, FALSE);
  run_init (&bad, &sc, 1, 50);
  bad.verified = FALSE;
  fs_scenario_result_add (&sr, &bad);
  g_assert_cmpuint (sr.runs_passed, ==, 0);
  g_assert_false (sr.verified);
  g_assert_cmpfloat_with_epsilon (sr.median[FS_FIG_AGGREGATE], 50 * 1048576.0, 1e-3);
  fs_scenario_result_clear (&sr);
}

static void
test_figures_list (void)
{
  FsScenario sc = scenario (1, FS_MODE_PROCESS, FS_OP_LIST, 50);
  FsResultRow row;

  run_init (&row, &sc, 1, 100);
  row.server.cpu_s = 0.1;
  /* List moves no content: no rate; CPU per 1,000 operations. */
  g_assert_true (isnan (fs_result_row_figure (&row, FS_FIG_AGGREGATE)));
  g_assert_true (isnan (fs_result_row_figure (&row, FS_FIG_THROUGHPUT)));
  g_assert_true (isnan (fs_result_row_figure (&row, FS_FIG_SERVER_CPU_PER_MIB)));
  g_assert_cmpfloat_with_epsilon (fs_result_row_figure (&row, FS_FIG_SERVER_CPU_PER_KOP),
                                  0.1 * 1000 / 0.05, 1e-9);
  g_assert_cmpfloat (fs_result_row_figure (&row, FS_FIG_OPS_PER_S), ==,
                     50 / row.total_time_s);
  g_assert_cmpint (fs_scenario_speed_figure (&sc), ==, FS_FIG_OPS_PER_S);
  /* No /proc: no cost. */
  row.server.available = FALSE;
  g_assert_true (isnan (fs_result_row_figure (&row, FS_FIG_SERVER_CPU)));
  g_assert_true (isnan (fs_result_row_figure (&row, FS_FIG_SERVER_PSS)));
  row.pool_cpu_s = -1;
  g_assert_true (isnan (fs_result_row_figure (&row, FS_FIG_POOL_CPU)));
  /* No STATS: the server's counters are unknown, not 0. */
  g_assert_cmpfloat (fs_result_row_figure (&row, FS_FIG_SERVER_SUCCESS), ==, 50);
  row.server_counters = FALSE;
  g_assert_true (isnan (fs_result_row_figure (&row, FS_FIG_SERVER_SUCCESS)));
  g_assert_true (isnan (fs_result_row_figure (&row, FS_FIG_SERVER_FAIL)));
  g_assert_true (isnan (fs_result_row_figure (&row, FS_FIG_WORKER_RESTARTS)));
  fs_result_row_clear (&row);
}

/* ----------------------------------------------------------------- CSV */

static void
test_csv (void)
{
  FsScenario sc = scenario (1, FS_MODE_PROCESS, FS_OP_UPLOAD, 5);
  FsScenario ls = scenario (2, FS_MODE_PROCESS, FS_OP_LIST, 5);
  FsScenarioResult sr, list;
  g_autoptr(JsonNode) json = NULL;
  const double speeds[] = { 100, 300 };
  g_autofree char *record = NULL;
  g_autofree char *lrecord = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) records = NULL;
  FsResultRow bad;

  g_assert_true (g_str_has_prefix (fs_results_csv_header (),
                                   "timestamp,mode,client_mode,server_pool,operation,volume,"
                                   "client_pool,"
                                   "avg_time_s,throughput_Bps,success,fail,"));
  /* The idle connections last, after every column read by its place. */
  g_assert_true (g_str_has_suffix (fs_results_csv_header (),
                                   ",capacity_ops_per_s_max,idle_connections"));
  ls.idle = 50;
  fs_scenario_result_init (&sr, &sc, TRUE);
  add_runs (&sr, speeds, 2);
  run_init (&bad, &sc, 3, 1);
  bad.error = g_strdup ("server: \"no\",\nthen left");
  fs_scenario_result_add (&sr, &bad);
  fs_scenario_result_init (&list, &ls, FALSE);
  add_runs (&list, speeds, 1);

  record = fs_results_csv_record (&sr);
  lrecord = fs_results_csv_record (&list);
  text = g_strconcat (record, "\n", lrecord, "\n", NULL);
  records = csv_parse (text);
  g_assert_cmpuint (records->len, ==, 2);
  for (guint r = 0; r < 2; r++)
    g_assert_cmpuint (((GPtrArray *) records->pdata[r])->len, ==, n_columns ());
  /* The original ten hold the medians. */
  g_assert_cmpstr (field (records, 0, column ("mode")), ==, "process");
  /* The pool's model follows it, the server's mode before. */
  g_assert_cmpstr (field (records, 0, column ("client_mode")), ==, "thread");
  g_assert_cmpstr (field (records, 0, column ("operation")), ==, "upload");
  g_assert_cmpstr (field (records, 0, column ("volume")), ==, "10");
  g_assert_cmpstr (field (records, 0, column ("throughput_Bps")), ==, "41943040.0");
  g_assert_cmpstr (field (records, 0, column ("aggregate_Bps")), ==, "209715200.0");
  g_assert_cmpstr (field (records, 0, column ("aggregate_Bps_min")), ==, "104857600.0");
  g_assert_cmpstr (field (records, 0, column ("aggregate_Bps_max")), ==, "314572800.0");
  g_assert_cmpstr (field (records, 0, column ("p50_ms")), ==, "15.000");
  g_assert_cmpstr (field (records, 0, column ("success")), ==, "5");
  g_assert_cmpstr (field (records, 0, column ("timestamp")), ==, "2026-12-02 10:00:03");
  g_assert_cmpstr (field (records, 0, column ("runs")), ==, "3");
  g_assert_cmpstr (field (records, 0, column ("runs_passed")), ==, "2");
  g_assert_cmpstr (field (records, 0, column ("volume_unit")), ==, "KiB");
  g_assert_cmpstr (field (records, 0, column ("server_pss_kib")), ==, "3072");
  g_assert_cmpstr (field (records, 0, column ("pool_cpu_over_server")), ==, "false");
  g_assert_cmpstr (field (records, 0, column ("error")), ==, "run 3: server: \"no\",\nthen left");
  g_assert_cmpstr (field (records, 0, column ("idle_connections")), ==, "0");
  g_assert_cmpstr (field (records, 1, column ("idle_connections")), ==, "50");
  json = fs_scenario_result_to_json (&list);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json), "idle_connections"),
                   ==, 50);
  /* No value, no text: list has no rate and no CPU per MiB. */
  g_assert_cmpstr (field (records, 1, column ("throughput_Bps")), ==, "");
  g_assert_cmpstr (field (records, 1, column ("aggregate_Bps")), ==, "");
  g_assert_cmpstr (field (records, 1, column ("server_cpu_ms_per_mib")), ==, "");
  g_assert_cmpstr (field (records, 1, column ("server_cpu_ms_per_kop")), ==, "100000.000");
  g_assert_cmpstr (field (records, 1, column ("error")), ==, "");
  g_assert_cmpstr (field (records, 1, column ("volume_unit")), ==, "MiB");
  fs_scenario_result_clear (&sr);
  fs_scenario_result_clear (&list);
}

/* Numbers keep the dot whatever LC_NUMERIC says. */
static void
test_csv_locale (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  FsScenario sc = scenario (1, FS_MODE_THREAD, FS_OP_UPLOAD, 5);
  FsScenarioResult sr;
  const double speeds[] = { 100 };
  g_autofree char *record = NULL;

  if (!ft_set_decimal_comma ())
    return;
  sc.volume = 0.5;
  fs_scenario_result_init (&sr, &sc, FALSE);
  add_runs (&sr, speeds, 1);
  record = fs_results_csv_record (&sr);
  setlocale (LC_NUMERIC, saved);
  g_assert_nonnull (strstr (record, ",0.5,"));
  g_assert_nonnull (strstr (record, ",10.000,"));
  fs_scenario_result_clear (&sr);
}

/* --------------------------------------------------------------- files */

static FsMatrix *
small_matrix (void)
{
  static const char text[] =
    "[matrix]\nmodes=thread;process\noperations=download\nvolumes=10\n"
    "client_pools=1;5\nserver_pools=5\n[run]\nruns=2\n";
  g_autoptr(GError) error = NULL;
  FsMatrix *m = fs_matrix_load_data (text, sizeof text - 1, "small.conf", &error);

  g_assert_no_error (error);
  return m;
}

static JsonObject *
load_json (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_files_document (void)
{
  g_autofree char *tmp = make_tmpdir ();
  g_autofree char *dir = g_build_filename (tmp, "results", "run", NULL);
  g_autoptr(FsMatrix) m = small_matrix ();
  g_autoptr(GArray) scenarios = fs_matrix_expand (m, FALSE, 1);
  g_autoptr(GDateTime) started = g_date_time_new_local (2026, 12, 2, 10, 15, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(FsResults) results = NULL;
  g_autoptr(JsonObject) doc = NULL;
  FsMachine machine;
  FsRunInfo info;
  JsonObject *o;
  g_autofree char *csv = NULL;
  g_autoptr(GPtrArray) records = NULL;

  fs_machine_read (&machine, tmp);
  info = (FsRunInfo) { .command = "filestorm-stress --runs 2 --seed 42", .machine = &machine,
                       .started = started, .seed = 42, .runs = 2, .matrix_file = "small.conf",
                       .matrix = m, .quick = FALSE, .scale = 1 };
  results = fs_results_open (dir, &info, scenarios, &error);
  fs_machine_clear (&machine);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (fs_results_csv_path (results),
                                   "/orchestrator_results_20261202_101500.csv"));

  /* Valid before any run: the metadata, no scenarios, no verdict yet. */
  doc = load_json (fs_results_json_path (results));
  o = json_object_get_object_member (doc, "filestorm");
  g_assert_cmpstr (json_object_get_string_member (o, "version"), ==, PACKAGE_VERSION);
  g_assert_cmpstr (json_object_get_string_member (o, "command"), ==,
                   "filestorm-stress --runs 2 --seed 42");
  g_assert_cmpint (json_object_get_int_member (o, "results_format"), ==, FS_RESULTS_FORMAT);
  o = json_object_get_object_member (doc, "machine");
  for (guint i = 0; i < 8; i++)
    {
      static const char *const members[] = { "cpu_model", "logical_cores", "ram_bytes",
                                              "kernel", "os", "roots_filesystem",
                                              "load_average", "busy" };
      g_assert_true (json_object_has_member (o, members[i]));
    }
  g_assert_cmpint (json_object_get_int_member (o, "logical_cores"), ==, g_get_num_processors ());
  g_assert_cmpint (json_object_get_int_member (o, "ram_bytes"), >, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "load_average")),
                    ==, 3);
  o = json_object_get_object_member (doc, "run");
  g_assert_cmpint (json_object_get_int_member (o, "seed"), ==, 42);
  g_assert_cmpint (json_object_get_int_member (o, "runs"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (o, "matrix_file"), ==, "small.conf");
  g_assert_true (json_object_get_null_member (o, "ended"));
  g_assert_false (json_object_get_boolean_member (o, "complete"));
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (
                     json_object_get_object_member (o, "matrix"), "client_pools")), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "matrix"),
                                               "runs"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (doc, "scenarios")),
                    ==, 0);
  g_assert_true (json_object_get_null_member (doc, "verdict"));
  g_assert_true (g_file_get_contents (fs_results_csv_path (results), &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, fs_results_csv_header ()));
  g_assert_cmpstr (csv + strlen (fs_results_csv_header ()), ==, "\n");

  /* Two rounds over the four scenarios; each run is on disk at once. */
  for (guint round = 1; round <= 2; round++)
    for (guint i = 0; i < scenarios->len; i++)
      {
        const FsScenario *sc = &g_array_index (scenarios, FsScenario, i);
        FsResultRow row;
        double speed = (sc->mode == FS_MODE_THREAD ? 100 : 300) + round;

        run_init (&row, sc, round, speed);
        g_assert_true (fs_results_add (results, &row, &error));
        g_assert_no_error (error);
      }
  g_clear_pointer (&doc, json_object_unref);
  doc = load_json (fs_results_json_path (results));
  {
    JsonArray *scs = json_object_get_array_member (doc, "scenarios");
    JsonObject *first;
    JsonArray *runs;

    g_assert_cmpuint (json_array_get_length (scs), ==, 4);
    first = json_array_get_object_element (scs, 0);
    g_assert_cmpstr (json_object_get_string_member (first, "mode"), ==, "thread");
    g_assert_cmpstr (json_object_get_string_member (first, "client_mode"), ==, "thread");
    g_assert_cmpint (json_object_get_int_member (first, "runs_done"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (first, "runs_passed"), ==, 2);
    runs = json_object_get_array_member (first, "runs");
    g_assert_cmpuint (json_array_get_length (runs), ==, 2);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (runs, 1),
                                                 "round"), ==, 2);
    g_assert_cmpfloat (json_object_get_double_member (
                         json_object_get_object_member (first, "median"), "aggregate_Bps"),
                       ==, 101.5 * 1048576);
    g_assert_cmpfloat (json_object_get_double_member (
                         json_object_get_object_member (first, "max"), "aggregate_Bps"),
                       ==, 102 * 1048576);
    g_assert_true (json_object_has_member (json_object_get_object_member (first, "median"),
                                           "server_cpu_ms_per_mib"));
  }
  g_clear_pointer (&csv, g_free);
  g_assert_true (g_file_get_contents (fs_results_csv_path (results), &csv, NULL, NULL));
  records = csv_parse (csv);
  g_assert_cmpuint (records->len, ==, 5);

  /* Finished: the end time and the verdict. */
  g_assert_true (fs_results_finish (results, TRUE, &error));
  g_assert_no_error (error);
  g_assert_nonnull (fs_results_verdict (results));
  g_clear_pointer (&doc, json_object_unref);
  doc = load_json (fs_results_json_path (results));
  o = json_object_get_object_member (doc, "run");
  g_assert_nonnull (json_object_get_string_member (o, "ended"));
  g_assert_true (json_object_get_boolean_member (o, "complete"));
  o = json_object_get_object_member (doc, "verdict");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "pairs")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "conclusions")),
                    >=, 1);
  {
    JsonObject *speed = json_object_get_object_member (
      json_array_get_object_element (json_object_get_array_member (o, "pairs"), 0), "speed");
    g_assert_cmpstr (json_object_get_string_member (speed, "winner"), ==, "process");
    g_assert_cmpstr (json_object_get_string_member (speed, "call"), ==, "clear");
  }

  g_clear_pointer (&results, fs_results_free);
  rm_rf (tmp);
}

/* Results for m with a plain run description: one run, no seed. */
static FsResults *
open_plain (const char *dir, const FsMatrix *m, GArray *scenarios, GDateTime *started,
            GError **error)
{
  FsMachine machine;
  FsRunInfo info;
  FsResults *results;

  fs_machine_read (&machine, g_get_tmp_dir ());
  info = (FsRunInfo) { .command = "x", .machine = &machine, .started = started, .runs = 1,
                       .matrix_file = "m", .matrix = m, .scale = 1 };
  results = fs_results_open (dir, &info, scenarios, error);
  fs_machine_clear (&machine);
  return results;
}

static void
test_files_collision (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autoptr(FsMatrix) m = small_matrix ();
  g_autoptr(GArray) scenarios = fs_matrix_expand (m, FALSE, 1);
  g_autoptr(GDateTime) started = g_date_time_new_local (2026, 12, 2, 10, 15, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(FsResults) first = NULL;
  g_autoptr(FsResults) second = NULL;
  g_autoptr(FsResults) third = NULL;
  g_autofree char *stale = g_build_filename (dir, "orchestrator_results_20261202_101500-3.json",
                                             NULL);
  g_autofree char *orphan = g_build_filename (dir, "orchestrator_results_20261202_101500-3.csv",
                                              NULL);
  g_autofree char *text = NULL;

  first = open_plain (dir, m, scenarios, started, &error);
  g_assert_no_error (error);
  /* Same second: a new name, the first run's files untouched. */
  second = open_plain (dir, m, scenarios, started, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (fs_results_json_path (second),
                                   "/orchestrator_results_20261202_101500-2.json"));
  /* A name whose .json alone exists is taken too. */
  g_assert_true (g_file_set_contents (stale, "keep me", -1, NULL));
  third = open_plain (dir, m, scenarios, started, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (fs_results_csv_path (third),
                                   "/orchestrator_results_20261202_101500-4.csv"));
  g_assert_true (g_file_get_contents (stale, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "keep me");
  g_assert_false (g_file_test (orphan, G_FILE_TEST_EXISTS));
  g_clear_pointer (&first, fs_results_free);
  g_clear_pointer (&second, fs_results_free);
  g_clear_pointer (&third, fs_results_free);
  rm_rf (dir);
}

static void
test_files_bad_dir (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *file = g_build_filename (dir, "plain-file", NULL);
  g_autofree char *below = g_build_filename (file, "results", NULL);
  g_autoptr(FsMatrix) m = small_matrix ();
  g_autoptr(GArray) scenarios = fs_matrix_expand (m, FALSE, 1);
  g_autoptr(GDateTime) started = g_date_time_new_now_local ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FsResults) results = NULL;

  g_assert_true (g_file_set_contents (file, "", 0, NULL));
  results = open_plain (below, m, scenarios, started, &error);
  g_assert_null (results);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, below));
  rm_rf (dir);
}

/* ------------------------------------------------------------- verdict */

/* Four scenarios: 1 and 5 clients, thread and process. */
static FsScenarioResult *
four (const double *t1, const double *p1, const double *t5, const double *p5,
      guint runs)
{
  FsScenarioResult *srs = g_new0 (FsScenarioResult, 4);
  FsScenario s[4] = {
    scenario (1, FS_MODE_THREAD, FS_OP_DOWNLOAD, 1), scenario (2, FS_MODE_THREAD, FS_OP_DOWNLOAD, 5),
    scenario (3, FS_MODE_PROCESS, FS_OP_DOWNLOAD, 1), scenario (4, FS_MODE_PROCESS, FS_OP_DOWNLOAD, 5),
  };
  const double *speeds[4] = { t1, t5, p1, p5 };

  for (guint i = 0; i < 4; i++)
    {
      fs_scenario_result_init (&srs[i], &s[i], FALSE);
      add_runs (&srs[i], speeds[i], runs);
    }
  return srs;
}

static void
free_four (FsScenarioResult *srs)
{
  for (guint i = 0; i < 4; i++)
    fs_scenario_result_clear (&srs[i]);
  g_free (srs);
}

/* Three runs each: at 1 client the ranges overlap; at 5, process is
 * clearly ahead. */
static FsScenarioResult *
four_apart (void)
{
  static const double t1[] = { 100, 120, 140 }, p1[] = { 130, 150, 170 };
  static const double t5[] = { 100, 110, 120 }, p5[] = { 200, 210, 220 };

  return four (t1, p1, t5, p5, 3);
}

static void
test_verdict (void)
{
  FsScenarioResult *srs = four_apart ();
  g_autoptr(FsVerdict) v = fs_verdict_new (srs, 4, FALSE);
  const FsPair *p;

  g_assert_cmpuint (v->n_pairs, ==, 2);
  p = fs_verdict_find (v, &srs[2], FS_MODE_THREAD);
  g_assert_nonnull (p);
  g_assert_true (p->a == &srs[0] && p->b == &srs[2]);
  g_assert_true (p->speed.known);
  g_assert_cmpint (p->speed.winner, ==, FS_MODE_PROCESS);
  g_assert_cmpint (p->speed.call, ==, FS_CALL_NOISE);
  p = fs_verdict_find (v, &srs[1], FS_MODE_PROCESS);
  g_assert_cmpint (p->speed.winner, ==, FS_MODE_PROCESS);
  g_assert_cmpint (p->speed.call, ==, FS_CALL_CLEAR);
  g_assert_cmpfloat_with_epsilon (p->speed.ratio, cbrt (200.0 * 210 * 220 / (100.0 * 110 * 120)),
                                  1e-9);
  /* Same cost on both sides: a tie is never clear. */
  g_assert_true (p->cpu.tie);
  g_assert_cmpint (p->cpu.call, ==, FS_CALL_NOISE);
  g_test_message ("%s", (char *) v->conclusions->pdata[0]);
  g_assert_cmpstr (v->conclusions->pdata[0], ==,
                   "download: process ahead at 5 clients (1.91x, clear in 1 of 1 pair); "
                   "within noise at 1 client");
  free_four (srs);
}

static void
test_verdict_too_few (void)
{
  const double t[] = { 100 }, p[] = { 300 };
  FsScenarioResult *srs = four (t, p, t, p, 1);
  g_autoptr(FsVerdict) v = fs_verdict_new (srs, 4, FALSE);

  /* One run has no spread: never clear, however far apart. */
  for (guint i = 0; i < v->n_pairs; i++)
    g_assert_cmpint (v->pairs[i].speed.call, ==, FS_CALL_TOO_FEW);
  g_assert_cmpstr (v->conclusions->pdata[0], ==,
                   "download: too few runs to tell at 1 and 5 clients");
  free_four (srs);
}

static void
test_table (void)
{
  FsScenarioResult *srs = four_apart ();
  g_autoptr(FsVerdict) v = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  FsResultRow bad;

  run_init (&bad, &srs[3].scenario, 4, 1);
  bad.fail = 1;
  fs_scenario_result_add (&srs[3], &bad);
  srs[0].median[FS_FIG_POOL_CPU] = 9;  /* the pool outworked the server */
  v = fs_verdict_new (srs, 4, FALSE);
  text = capture_table (srs, 4, v);
  g_test_message ("\n%s", text);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpuint (strlen (lines[i]), <=, 100);
  g_assert_true (g_str_has_prefix (lines[0], "Op"));
  /* Each thread row right above its process twin, by client pool. */
  g_assert_nonnull (strstr (lines[1], " 1   5 thread"));
  g_assert_nonnull (strstr (lines[2], " 1   5 process"));
  g_assert_nonnull (strstr (lines[3], " 5   5 thread"));
  g_assert_nonnull (strstr (lines[4], " 5   5 process"));
  g_assert_nonnull (strstr (lines[2], "noise"));
  g_assert_nonnull (strstr (lines[4], "process 1.91x"));
  g_assert_nonnull (strstr (lines[4], "FAIL"));
  g_assert_nonnull (strstr (lines[4], "3/4"));
  g_assert_nonnull (strstr (lines[4], "210 (200-220)"));
  g_assert_nonnull (strstr (text, "^ The client pool used more CPU"));
  free_four (srs);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/results/median", test_median);
  g_test_add_func ("/results/scenario-runs", test_scenario_runs);
  g_test_add_func ("/results/figures-list", test_figures_list);
  g_test_add_func ("/results/csv", test_csv);
  g_test_add_func ("/results/csv-locale", test_csv_locale);
  g_test_add_func ("/results/files/document", test_files_document);
  g_test_add_func ("/results/files/collision", test_files_collision);
  g_test_add_func ("/results/files/bad-dir", test_files_bad_dir);
  g_test_add_func ("/results/table", test_table);
  g_test_add_func ("/verdict/pairs", test_verdict);
  g_test_add_func ("/verdict/too-few", test_verdict_too_few);

  return g_test_run ();
}
