/* report-data.c: reading a results JSON back (filestorm-results(5)). */
#include "config.h"

#include "report-data.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "json-member.h"
#include "pool.h"
#include "util.h"

/* The results format this filestorm writes and reads, and the oldest it
 * still reads: format 2 has no client mode, since the client pool's model
 * followed the server's (read as client mode same, and the run marked
 * old_way). */
#define RESULTS_FORMAT 3
#define RESULTS_FORMAT_OLDEST 2

G_DEFINE_QUARK (fs-report-error-quark, fs_report_error)

const char *
fs_report_fail_name (guint kind)
{
  if (kind < FS_CLIENT_N_ERRORS)
    return fs_client_error_name ((FsClientError) kind);
  return kind == FS_REPORT_FAIL_CRASHED ? "crashed" : kind == FS_REPORT_FAIL_RUN ? "run" : "?";
}

FsFigure
fs_report_speed_figure (const FsReportScenario *s)
{
  return isfinite (s->median[FS_FIG_CAPACITY]) ? FS_FIG_CAPACITY
                                               : fs_scenario_speed_figure (&s->scenario);
}

const char *
fs_report_figure_unit (FsFigure fig, double *factor)
{
  *factor = 1;
  switch (fig)
    {
    case FS_FIG_AGGREGATE: case FS_FIG_THROUGHPUT:
      *factor = 1.0 / (1024 * 1024);
      return "MiB/s";
    case FS_FIG_SERVER_PSS: case FS_FIG_SERVER_RSS: case FS_FIG_SERVER_HWM_MAX:
    case FS_FIG_SERVER_HWM_SUM: case FS_FIG_POOL_PEAK_RSS:
      *factor = 1.0 / 1024;
      return "MiB";
    case FS_FIG_SERVER_MEM_PER_CLIENT:
      return "KiB";
    case FS_FIG_P50: case FS_FIG_P90: case FS_FIG_P99: case FS_FIG_MAX:
      return "ms";
    case FS_FIG_SERVER_CPU_PER_MIB:
      return "ms/MiB";
    case FS_FIG_SERVER_CPU_PER_KOP:
      return "ms/1k ops";
    case FS_FIG_OPS_PER_S: case FS_FIG_CAPACITY:
      return "ops/s";
    case FS_FIG_AVG_TIME: case FS_FIG_TOTAL_TIME: case FS_FIG_SERVER_CPU: case FS_FIG_POOL_CPU:
    case FS_FIG_CLIENT_TIME_MIN: case FS_FIG_CLIENT_TIME_P50: case FS_FIG_CLIENT_TIME_MAX:
      return "s";
    default:
      return "";
    }
}

/* ------------------------------------------------------------ reading */

typedef struct {
  const char *path;
  GError    **error;
  gint64      format;  /* filestorm.results_format, once checked */
} Reader;

static gboolean
bad (Reader *r, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static gboolean
bad (Reader *r, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *what = NULL;

  va_start (ap, fmt);
  what = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (r->error, FS_REPORT_ERROR, FS_REPORT_ERROR_INPUT,
               "%s: not filestorm results: %s", r->path, what);
  return FALSE;
}

static JsonNode *
get (JsonObject *o, const char *name)
{
  return o != NULL && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;
}

static JsonObject *
get_object (JsonObject *o, const char *name)
{
  JsonNode *n = get (o, name);

  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static gboolean
is_number (JsonNode *n)
{
  GType t;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  t = json_node_get_value_type (n);
  return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
}

static double
get_number (JsonObject *o, const char *name, double fallback)
{
  JsonNode *n = get (o, name);

  return is_number (n) ? json_node_get_double (n) : fallback;
}

static char *
dup_string (JsonObject *o, const char *name)
{
  JsonNode *n = get (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (n));
}

static gboolean
get_bool (JsonObject *o, const char *name)
{
  JsonNode *n = get (o, name);

  return n != NULL && JSON_NODE_HOLDS_VALUE (n)
         && json_node_get_value_type (n) == G_TYPE_BOOLEAN && json_node_get_boolean (n);
}

/* The first member, "filestorm", says what the file is. */
static gboolean
check_program (Reader *r, JsonNode *root, JsonObject **out)
{
  JsonObject *program;
  JsonNode *format;
  gint64 n;

  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (r->error, FS_REPORT_ERROR, FS_REPORT_ERROR_FORMAT,
                   "%s: results of an older filestorm (an array of rows, as filestorm 0.1.0 "
                   "wrote before results format %d); run filestorm-stress again to get "
                   "results this report can read", r->path, RESULTS_FORMAT);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return bad (r, "the document is not a JSON object");
  program = get_object (json_node_get_object (root), "filestorm");
  if (program == NULL)
    return bad (r, "no \"filestorm\" object");
  format = get (program, "results_format");
  if (format == NULL || !JSON_NODE_HOLDS_VALUE (format)
      || json_node_get_value_type (format) != G_TYPE_INT64)
    return bad (r, "no whole number in filestorm.results_format");
  n = json_node_get_int (format);
  if (n < RESULTS_FORMAT_OLDEST || n > RESULTS_FORMAT)
    {
      g_set_error (r->error, FS_REPORT_ERROR, FS_REPORT_ERROR_FORMAT,
                   "%s: results format %" G_GINT64_FORMAT " (from %s filestorm); this "
                   "filestorm-report reads formats %d to %d", r->path, n,
                   n < RESULTS_FORMAT ? "an older" : "a newer", RESULTS_FORMAT_OLDEST,
                   RESULTS_FORMAT);
      return FALSE;
    }
  r->format = n;
  *out = program;
  return TRUE;
}

static void
read_figures (JsonObject *o, double *v)
{
  for (guint f = 0; f < FS_N_FIGURES; f++)
    v[f] = get_number (o, fs_figure_name ((FsFigure) f), NAN);
}

static void
count_fails (JsonArray *runs, FsReportScenario *s)
{
  guint n = runs != NULL ? json_array_get_length (runs) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (runs, i);
      JsonObject *run, *errors;
      guint64 ops = 0;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      run = json_node_get_object (node);
      errors = get_object (run, "errors");
      for (guint k = 0; k < FS_CLIENT_N_ERRORS; k++)
        {
          double c = get_number (errors, fs_client_error_name ((FsClientError) k), 0);
          s->fails[k] += c > 0 ? (guint64) c : 0;
          ops += c > 0 ? (guint64) c : 0;
        }
      {
        double c = get_number (errors, "crashed", 0);
        s->fails[FS_REPORT_FAIL_CRASHED] += c > 0 ? (guint64) c : 0;
        ops += c > 0 ? (guint64) c : 0;
      }
      /* A run that failed with no failed operation counted by kind: it
       * failed around the pool (or its file has no "errors"). */
      if (ops == 0 && !get_bool (run, "passed"))
        s->fails[FS_REPORT_FAIL_RUN] += 1;
    }
}

/* The steps of the runs' capacity searches: those with an offered rate
 * and both percentiles, others left out. */
static void
read_steps (JsonArray *runs, FsReportScenario *s)
{
  guint n = runs != NULL ? json_array_get_length (runs) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (runs, i), *steps;
      JsonObject *search;
      guint m;

      if (!JSON_NODE_HOLDS_OBJECT (node)
          || (search = get_object (json_node_get_object (node), "search")) == NULL
          || (steps = get (search, "steps")) == NULL || !JSON_NODE_HOLDS_ARRAY (steps))
        continue;
      if (s->steps == NULL)
        s->steps = g_array_new (FALSE, FALSE, sizeof (FsSearchStep));
      m = json_array_get_length (json_node_get_array (steps));
      for (guint k = 0; k < m; k++)
        {
          JsonNode *sn = json_array_get_element (json_node_get_array (steps), k);
          JsonObject *so;
          FsSearchStep st = { 0 };

          if (!JSON_NODE_HOLDS_OBJECT (sn))
            continue;
          so = json_node_get_object (sn);
          st.offered = get_number (so, "offered", NAN);
          st.p50_ms = get_number (so, "p50_ms", NAN);
          st.p99_ms = get_number (so, "p99_ms", NAN);
          st.achieved = get_number (so, "achieved", NAN);
          st.met = get_bool (so, "met");
          if (isfinite (st.offered) && st.offered > 0 && isfinite (st.p50_ms)
              && isfinite (st.p99_ms))
            g_array_append_val (s->steps, st);
        }
    }
}

static gboolean
read_scenario (Reader *r, JsonNode *node, guint index, FsReportScenario *s)
{
  JsonObject *o, *median, *min, *max;
  g_autofree char *mode = NULL, *client_mode = NULL, *operation = NULL, *transfer = NULL;
  double volume, clients, spool;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return bad (r, "scenario %u is not an object", index);
  o = json_node_get_object (node);
  mode = dup_string (o, "mode");
  client_mode = dup_string (o, "client_mode");
  operation = dup_string (o, "operation");
  /* Results from before raw transfers have no such member: base64. */
  transfer = dup_string (o, "transfer");
  volume = get_number (o, "volume", NAN);
  clients = get_number (o, "client_pool", NAN);
  spool = get_number (o, "server_pool", NAN);
  median = get_object (o, "median");
  min = get_object (o, "min");
  max = get_object (o, "max");
  if (mode == NULL || !fs_mode_parse (mode, &s->scenario.mode, NULL))
    return bad (r, "scenario %u has no valid mode", index);
  /* Format 2 has none: its client pool ran the server's model. */
  if (client_mode == NULL && r->format < 3)
    s->scenario.client_mode = FS_CLIENT_SAME;
  else if (client_mode == NULL
           || !fs_client_mode_parse (client_mode, &s->scenario.client_mode, NULL))
    return bad (r, "scenario %u has no valid client_mode", index);
  if (operation == NULL || !fs_pool_operation_parse (operation, &s->scenario.operation, NULL))
    return bad (r, "scenario %u has no valid operation", index);
  if (transfer != NULL && !fs_pool_transfer_parse (transfer, &s->scenario.transfer, NULL))
    return bad (r, "scenario %u has a transfer that is neither base64 nor raw", index);
  if (!isfinite (volume) || volume < 0 || !(clients >= 1 && clients <= G_MAXUINT)
      || !(spool >= 1 && spool <= G_MAXUINT))
    return bad (r, "scenario %u has no valid volume, client_pool or server_pool", index);
  if (median == NULL || min == NULL || max == NULL)
    return bad (r, "scenario %u has no median, min or max object", index);
  s->scenario.index = index;
  s->scenario.volume = volume;
  s->scenario.client_pool = (guint) clients;
  s->scenario.server_pool = (guint) spool;
  /* Results from before the idle axis have none: 0. */
  s->scenario.idle = (guint) CLAMP (get_number (o, "idle_connections", 0), 0, G_MAXINT);
  /* Results from before filestorm-pool-mpi have no ranks: one process;
   * null is not known (0). */
  s->ranks = get (o, "ranks") == NULL ? 1
             : (guint) CLAMP (get_number (o, "ranks", 0), 0, G_MAXINT);
  s->volume_unit = dup_string (o, "volume_unit");
  if (s->volume_unit == NULL)
    s->volume_unit = g_strdup ("MiB");
  if (!g_str_equal (s->volume_unit, "MiB") && !g_str_equal (s->volume_unit, "KiB"))
    return bad (r, "scenario %u has a volume_unit that is neither MiB nor KiB", index);
  s->scenario.volume_mb = g_str_equal (s->volume_unit, "KiB") ? volume / 1024 : volume;
  s->volume_bytes = (guint64) MAX (get_number (o, "volume_bytes", 0), 0);
  s->runs_done = (guint) MAX (get_number (o, "runs_done", 0), 0);
  s->runs_passed = (guint) MAX (get_number (o, "runs_passed", 0), 0);
  s->verified = get_bool (o, "verified");
  s->error = dup_string (o, "error");
  read_figures (median, s->median);
  read_figures (min, s->min);
  read_figures (max, s->max);
  {
    JsonNode *runs = get (o, "runs");
    count_fails (runs != NULL && JSON_NODE_HOLDS_ARRAY (runs) ? json_node_get_array (runs) : NULL,
                 s);
    read_steps (runs != NULL && JSON_NODE_HOLDS_ARRAY (runs) ? json_node_get_array (runs) : NULL,
                s);
  }
  return TRUE;
}

/* The strings of an array of the verdict's lines; NULL when it is not an
 * array. Its other members, and empty strings, are left out rather than
 * refused: the lines are only shown, and the figures of a file with an
 * odd verdict are still worth drawing. */
static GStrv
string_lines (JsonNode *lines)
{
  JsonArray *a;
  GPtrArray *v;

  if (lines == NULL || !JSON_NODE_HOLDS_ARRAY (lines))
    return NULL;
  a = json_node_get_array (lines);
  v = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING
          && *json_node_get_string (e) != '\0')
        g_ptr_array_add (v, g_strdup (json_node_get_string (e)));
    }
  g_ptr_array_add (v, NULL);
  return (GStrv) g_ptr_array_free (v, FALSE);
}

static void
read_metadata (JsonObject *doc, JsonObject *program, FsReportRun *run)
{
  JsonObject *machine = get_object (doc, "machine"), *info = get_object (doc, "run");
  JsonObject *verdict = get_object (doc, "verdict");
  JsonNode *load = get (machine, "load_average");

  run->version = dup_string (program, "version");
  if (run->version == NULL)
    run->version = g_strdup ("?");
  run->command = dup_string (program, "command");
  run->cpu_model = dup_string (machine, "cpu_model");
  run->cores = (gint64) get_number (machine, "logical_cores", 0);
  run->ram_bytes = get_number (machine, "ram_bytes", 0);
  run->kernel = dup_string (machine, "kernel");
  run->os = dup_string (machine, "os");
  run->roots_fs = dup_string (machine, "roots_filesystem");
  run->load1 = NAN;
  if (load != NULL && JSON_NODE_HOLDS_ARRAY (load)
      && json_array_get_length (json_node_get_array (load)) > 0
      && is_number (json_array_get_element (json_node_get_array (load), 0)))
    run->load1 = json_array_get_double_element (json_node_get_array (load), 0);
  run->busy = get_bool (machine, "busy");
  run->started = dup_string (info, "started");
  run->ended = dup_string (info, "ended");
  run->complete = get_bool (info, "complete");
  run->seed = (gint64) get_number (info, "seed", -1);
  run->runs = (guint) MAX (get_number (info, "runs", 1), 0);
  run->quick = get_bool (info, "quick");
  run->scale = get_number (info, "scale", 1);
  run->matrix_file = dup_string (info, "matrix_file");
  run->launcher = dup_string (info, "launcher");
  {
    /* The objective of a capacity search, in filestorm-stress's form. */
    JsonObject *matrix = get_object (info, "matrix");
    g_autofree char *slo = matrix != NULL ? dup_string (matrix, "slo") : NULL;

    run->searched = slo != NULL && fs_slo_parse (slo, &run->slo, NULL);
  }
  run->verdict_rule = dup_string (verdict, "rule");
  run->conclusions = string_lines (get (verdict, "conclusions"));
  run->answer = string_lines (get (verdict, "answer"));
}

/* A file filestorm-stress or filestorm-report writes beside the results
 * (its CSV table, its text summary, a report page) is a mix-up of which
 * file to give: say which one to give instead, by name when it is there. */
static gboolean
wrong_file (const char *path, GError **error)
{
  g_autofree char *json = NULL;
  const char *what;

  if (g_str_has_suffix (path, ".csv") || g_str_has_suffix (path, ".txt"))
    {
      what = g_str_has_suffix (path, ".csv") ? "filestorm-stress's CSV table"
                                             : "filestorm-stress's text summary";
      json = g_strdup_printf ("%.*s.json", (int) (strlen (path) - 4), path);
    }
  else if (g_str_has_suffix (path, ".html"))
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *parent = g_path_get_dirname (dir);
      g_autofree char *name = g_path_get_basename (dir);

      what = "a report page";
      /* report_STAMP, or report_STAMP-N when that was taken. */
      if (g_str_has_prefix (name, "report_"))
        {
          char *dash = strchr (name, '-');

          if (dash != NULL)
            *dash = '\0';
          g_autofree char *base = g_strdup_printf ("orchestrator_results_%s.json",
                                                   name + strlen ("report_"));

          json = g_str_equal (parent, ".") ? g_steal_pointer (&base)
                                           : g_build_filename (parent, base, NULL);
        }
    }
  else
    return FALSE;
  if (json != NULL && g_file_test (json, G_FILE_TEST_IS_REGULAR))
    g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_USAGE,
                 "%s is %s, not the results: give the JSON file, %s", path, what, json);
  else
    g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_USAGE,
                 "%s is %s, not the results: give the orchestrator_results_STAMP.json "
                 "that filestorm-stress wrote", path, what);
  return TRUE;
}

FsReportRun *
fs_report_run_load (const char *path, GError **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GError) local = NULL;

  file = g_mapped_file_new (path, FALSE, &local);
  if (file == NULL)
    {
      int fd = g_open (path, O_RDONLY, 0);
      int saved = errno;

      /* GLib's own message quotes the name in the locale's quotes, which
       * a C locale shows as "?": say it in the tool's one-line form. */
      if (fd >= 0)
        g_close (fd, NULL);
      g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_INPUT, "%s: cannot read: %s",
                   path, fd < 0 ? g_strerror (saved)
                         : g_file_test (path, G_FILE_TEST_IS_DIR) ? g_strerror (EISDIR)
                         : local->message);
      return NULL;
    }
  return fs_report_run_load_data (g_mapped_file_get_contents (file),
                                  g_mapped_file_get_length (file), path, error);
}

FsReportRun *
fs_report_run_load_data (const char *data, gsize len, const char *path, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(FsReportRun) run = NULL;
  g_autoptr(GError) local = NULL;
  Reader r = { path, error };
  JsonObject *doc, *program = NULL;
  JsonNode *scenarios;
  JsonArray *list;

  if (len == 0)
    {
      if (!wrong_file (path, error))
        bad (&r, "the file is empty");
      return NULL;
    }
  /* json-glib recurses once per level: a file nested deep enough would
   * overflow its stack. Results nest 6 levels. */
  if (!fs_json_depth_within (data, len, FS_JSON_MAX_DEPTH))
    {
      bad (&r, "nested deeper than %d levels", FS_JSON_MAX_DEPTH);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local))
    {
      /* json-glib names the text <data>; the line names the file. */
      if (!wrong_file (path, error))
        bad (&r, "not JSON (at %s)", g_str_has_prefix (local->message, "<data>:")
                                      ? local->message + strlen ("<data>:") : local->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      bad (&r, "the file is empty");
      return NULL;
    }
  if (!check_program (&r, json_parser_get_root (parser), &program))
    return NULL;
  doc = json_node_get_object (json_parser_get_root (parser));
  scenarios = get (doc, "scenarios");
  if (scenarios == NULL || !JSON_NODE_HOLDS_ARRAY (scenarios))
    {
      bad (&r, "no \"scenarios\" array");
      return NULL;
    }
  list = json_node_get_array (scenarios);

  run = g_new0 (FsReportRun, 1);
  run->path = g_strdup (path);
  {
    g_autofree char *base = g_path_get_basename (path);
    run->file = fs_report_printable (base);
  }
  read_metadata (doc, program, run);
  run->old_way = r.format < 3;
  run->n_scenarios = json_array_get_length (list);
  if (run->n_scenarios == 0)
    {
      g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_INPUT,
                   "%s: no scenario has finished in this run yet; there is nothing to report",
                   path);
      return NULL;
    }
  run->scenarios = g_new0 (FsReportScenario, run->n_scenarios);
  for (guint i = 0; i < run->n_scenarios; i++)
    {
      FsReportScenario *s = &run->scenarios[i];

      if (!read_scenario (&r, json_array_get_element (list, i), i + 1, s))
        return NULL;
      if (isfinite (s->median[FS_FIG_CLIENT_TIME_MAX]))
        run->has_client_times = TRUE;
    }
  return g_steal_pointer (&run);
}

void
fs_report_run_free (FsReportRun *run)
{
  if (run == NULL)
    return;
  for (guint i = 0; run->scenarios != NULL && i < run->n_scenarios; i++)
    {
      g_free (run->scenarios[i].volume_unit);
      g_free (run->scenarios[i].error);
      g_clear_pointer (&run->scenarios[i].steps, g_array_unref);
    }
  g_free (run->scenarios);
  g_free (run->path);
  g_free (run->file);
  g_free (run->label);
  g_free (run->version);
  g_free (run->command);
  g_free (run->cpu_model);
  g_free (run->kernel);
  g_free (run->os);
  g_free (run->roots_fs);
  g_free (run->started);
  g_free (run->ended);
  g_free (run->matrix_file);
  g_free (run->launcher);
  g_free (run->verdict_rule);
  g_strfreev (run->conclusions);
  g_strfreev (run->answer);
  g_free (run);
}

char *
fs_report_run_machine (const FsReportRun *run)
{
  GString *s = g_string_new (run->cpu_model != NULL ? run->cpu_model : "an unknown CPU");

  if (run->cores > 0)
    g_string_append_printf (s, ", %" G_GINT64_FORMAT " core%s", run->cores,
                            run->cores == 1 ? "" : "s");
  if (run->ram_bytes > 0)
    g_string_append_printf (s, ", %.1f GiB RAM", run->ram_bytes / (1024.0 * 1024 * 1024));
  return g_string_free (s, FALSE);
}

char *
fs_report_printable (const char *text)
{
  char *out = g_utf8_make_valid (text, -1);

  for (char *p = out; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p))
      *p = ' ';
  return out;
}

char *
fs_report_run_date (const FsReportRun *run)
{
  g_autoptr(GDateTime) t = NULL;

  if (run->started == NULL || (t = g_date_time_new_from_iso8601 (run->started, NULL)) == NULL)
    return NULL;
  return g_date_time_format (t, "%Y-%m-%d %H:%M UTC");
}

const FsReportScenario *
fs_report_run_find (const FsReportRun *run, const FsReportScenario *s)
{
  for (guint i = 0; i < run->n_scenarios; i++)
    {
      const FsReportScenario *t = &run->scenarios[i];

      if (t->scenario.mode == s->scenario.mode
          /* The model the pool ran, not the label: a format 2 run's
           * thread scenarios (same) match client mode thread. */
          && fs_scenario_pool_mode (&t->scenario) == fs_scenario_pool_mode (&s->scenario)
          && t->scenario.operation == s->scenario.operation
          && t->scenario.transfer == s->scenario.transfer && t->volume_bytes == s->volume_bytes && t->scenario.client_pool == s->scenario.client_pool
          && t->scenario.server_pool == s->scenario.server_pool
          && t->scenario.idle == s->scenario.idle)
        return t;
    }
  return NULL;
}

char *
fs_report_scenario_label (const FsReportScenario *s)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *idle = s->scenario.idle > 0 ? g_strdup_printf (" idle:%u", s->scenario.idle)
                                                : g_strdup ("");

  return g_strdup_printf ("%s %s%s %s %s c%u s%u%s%s%s", fs_mode_name (s->scenario.mode),
                          fs_pool_operation_name (s->scenario.operation),
                          s->scenario.transfer == FS_TRANSFER_RAW ? " raw" : "",
                          fs_format_number (s->scenario.volume, number), s->volume_unit,
                          s->scenario.client_pool, s->scenario.server_pool,
                          s->scenario.client_mode == FS_CLIENT_THREAD ? "" : " clients:",
                          s->scenario.client_mode == FS_CLIENT_THREAD
                          ? "" : fs_client_mode_name (s->scenario.client_mode), idle);
}
