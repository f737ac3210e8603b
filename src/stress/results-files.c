/* results-files.c: the CSV and JSON files of a filestorm-stress run.
 *
 * Both files are rewritten whole after every run of a scenario, through
 * g_file_set_contents(): a temporary file, fsync()ed, renamed over the
 * old one. Readers see the previous version or the new one, never half,
 * and a crash of the machine (which the server under test may provoke)
 * loses at most the run in progress. At the default matrix's size the
 * JSON document is about 1.3 MB.
 *
 * Names: fs_results_open() never overwrites earlier results. When
 * orchestrator_results_<stamp>.csv or its .json exists already, it uses
 * orchestrator_results_<stamp>-2, then -3 and so on; the files are
 * created with O_EXCL, so two runs racing for a name cannot both get it. */
#include "config.h"

#include "results-files.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "errors.h"
#include "util.h"

/* Suffixes tried before giving up: -2 .. -999. */
#define MAX_SUFFIX 999

struct _FsResults {
  char             *csv_path;   /* (owned) */
  char             *json_path;  /* (owned) */
  JsonNode         *program;    /* (owned) "filestorm" */
  JsonNode         *machine;    /* (owned) */
  JsonObject       *run;        /* (owned) */
  FsScenarioResult *scenarios;  /* (owned) in matrix order */
  guint             n_scenarios;
  char            **texts;      /* (owned) each scenario's JSON text, NULL when stale */
  FsVerdict        *verdict;    /* (owned) (nullable) */
};

/* --------------------------------------------------------------- CSV */

/* The columns after the original ten and filestorm 0.1.0's: the spread,
 * then the medians of every other figure. */
static const FsFigure spread_figures[] = {
  FS_FIG_AGGREGATE, FS_FIG_AVG_TIME, FS_FIG_P50, FS_FIG_P99,
};
static const FsFigure extra_figures[] = {
  FS_FIG_OPS_PER_S, FS_FIG_SERVER_CPU, FS_FIG_SERVER_CPU_PER_MIB, FS_FIG_SERVER_CPU_PER_KOP,
  FS_FIG_SERVER_PSS, FS_FIG_SERVER_RSS, FS_FIG_SERVER_HWM_MAX, FS_FIG_SERVER_HWM_SUM,
  FS_FIG_SERVER_MEM_PER_CLIENT, FS_FIG_SERVER_CTX_VOLUNTARY, FS_FIG_SERVER_CTX_INVOLUNTARY,
  FS_FIG_SERVER_PROCESSES, FS_FIG_SERVER_THREADS, FS_FIG_POOL_CPU, FS_FIG_POOL_PEAK_RSS,
  FS_FIG_CLIENT_TIME_MIN, FS_FIG_CLIENT_TIME_P50, FS_FIG_CLIENT_TIME_MAX,
  /* The steady state's: ranks stays the last column. */
  FS_FIG_OPERATIONS, FS_FIG_WINDOW, FS_FIG_AVG_OP_TIME, FS_FIG_WARMUP_OPERATIONS,
  FS_FIG_WARMUP_FAIL,
};

static char *csv_header;

const char *
fs_results_csv_header (void)
{
  static gsize once;

  if (g_once_init_enter (&once))
    {
      GString *s = g_string_new (
        "timestamp,mode,client_mode,server_pool,operation,volume,client_pool,avg_time_s,throughput_Bps,"
        "success,fail,server_success,server_fail,aggregate_Bps,total_time_s,p50_ms,p90_ms,"
        "p99_ms,max_ms,verified,worker_restarts,volume_unit,volume_bytes,error,"
        "runs,runs_passed");
      for (gsize i = 0; i < G_N_ELEMENTS (spread_figures); i++)
        g_string_append_printf (s, ",%s_min,%s_max", fs_figure_name (spread_figures[i]),
                                fs_figure_name (spread_figures[i]));
      for (gsize i = 0; i < G_N_ELEMENTS (extra_figures); i++)
        g_string_append_printf (s, ",%s", fs_figure_name (extra_figures[i]));
      g_string_append (s, ",pool_cpu_over_server,transfer,ranks");
      /* A capacity search's, empty without one. */
      g_string_append (s, ",capacity_ops_per_s,capacity_ops_per_s_min,capacity_ops_per_s_max");
      /* Last, after every column a reader may find by its place. */
      g_string_append (s, ",idle_connections");
      csv_header = g_string_free (s, FALSE);
      g_once_init_leave (&once, 1);
    }
  return csv_header;
}

/* RFC 4180: a field holding a comma, a double quote, CR or LF is quoted,
 * with its quotes doubled. Every field is preceded by a comma, and the
 * record's first one dropped at the end, so an empty first field still
 * counts. NULL is an empty field. */
static void
add_field (GString *s, const char *text)
{
  g_string_append_c (s, ',');
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (s, text);
      return;
    }
  g_string_append_c (s, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

/* The printf format of a figure's value; counts print as the shortest
 * exact number (a median of two may end in .5). */
static const char *
figure_format (FsFigure fig)
{
  const char *name = fs_figure_name (fig);

  if (fs_figure_is_count (fig))
    return NULL;
  if (g_str_has_suffix (name, "_Bps") || fig == FS_FIG_OPS_PER_S || fig == FS_FIG_CAPACITY)
    return "%.1f";
  if (g_str_has_suffix (name, "time_s") || g_str_has_suffix (name, "cpu_s"))
    return "%.6f";
  if (fig == FS_FIG_SERVER_CPU_PER_MIB)
    return "%.4f";
  return "%.3f";
}

/* A value with the C locale's dot whatever the user's locale says; empty
 * for NaN (a figure that does not apply: a rate for list). */
static void
add_value (GString *s, FsFigure fig, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  const char *format = figure_format (fig);

  if (!isfinite (v))
    add_field (s, NULL);
  else if (format == NULL)
    add_field (s, fs_format_number (v, buf));
  else
    add_field (s, g_ascii_formatd (buf, sizeof buf, format, v));
}

static void
add_u64 (GString *s, guint64 v)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, v);
  add_field (s, buf);
}

char *
fs_results_csv_record (const FsScenarioResult *sr)
{
  GString *s = g_string_new (NULL);
  const FsScenario *sc = &sr->scenario;
  const double *m = sr->median;
  g_autofree char *error = fs_scenario_result_error (sr);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double pool = m[FS_FIG_POOL_CPU], server = m[FS_FIG_SERVER_CPU];

  add_field (s, sr->n_runs > 0 ? sr->runs[sr->n_runs - 1].timestamp : NULL);
  add_field (s, fs_mode_name (sc->mode));
  add_field (s, fs_client_mode_name (sc->client_mode));
  add_u64 (s, sc->server_pool);
  add_field (s, fs_pool_operation_name (sc->operation));
  add_field (s, fs_format_number (sc->volume, buf));
  add_u64 (s, sc->client_pool);
  add_value (s, FS_FIG_AVG_TIME, m[FS_FIG_AVG_TIME]);
  add_value (s, FS_FIG_THROUGHPUT, m[FS_FIG_THROUGHPUT]);
  add_value (s, FS_FIG_SUCCESS, m[FS_FIG_SUCCESS]);
  add_value (s, FS_FIG_FAIL, m[FS_FIG_FAIL]);
  add_value (s, FS_FIG_SERVER_SUCCESS, m[FS_FIG_SERVER_SUCCESS]);
  add_value (s, FS_FIG_SERVER_FAIL, m[FS_FIG_SERVER_FAIL]);
  add_value (s, FS_FIG_AGGREGATE, m[FS_FIG_AGGREGATE]);
  add_value (s, FS_FIG_TOTAL_TIME, m[FS_FIG_TOTAL_TIME]);
  add_value (s, FS_FIG_P50, m[FS_FIG_P50]);
  add_value (s, FS_FIG_P90, m[FS_FIG_P90]);
  add_value (s, FS_FIG_P99, m[FS_FIG_P99]);
  add_value (s, FS_FIG_MAX, m[FS_FIG_MAX]);
  add_field (s, sr->verified ? "true" : "false");
  add_value (s, FS_FIG_WORKER_RESTARTS, m[FS_FIG_WORKER_RESTARTS]);
  add_field (s, fs_volume_unit (sr->quick));
  add_u64 (s, sr->n_runs > 0 ? sr->runs[0].volume_bytes : 0);
  add_field (s, error);
  add_u64 (s, sr->n_runs);
  add_u64 (s, sr->runs_passed);
  for (gsize i = 0; i < G_N_ELEMENTS (spread_figures); i++)
    {
      add_value (s, spread_figures[i], sr->min[spread_figures[i]]);
      add_value (s, spread_figures[i], sr->max[spread_figures[i]]);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (extra_figures); i++)
    add_value (s, extra_figures[i], m[extra_figures[i]]);
  add_field (s, isnan (pool) || isnan (server) ? NULL : pool > server ? "true" : "false");
  add_field (s, fs_pool_transfer_name (sc->transfer));
  /* Empty when no run's pool said, and its launcher's template had no
   * {ranks}. */
  if (fs_scenario_result_ranks (sr) > 0)
    add_u64 (s, fs_scenario_result_ranks (sr));
  else
    add_field (s, NULL);
  add_value (s, FS_FIG_CAPACITY, m[FS_FIG_CAPACITY]);
  add_value (s, FS_FIG_CAPACITY, sr->min[FS_FIG_CAPACITY]);
  add_value (s, FS_FIG_CAPACITY, sr->max[FS_FIG_CAPACITY]);
  add_u64 (s, sc->idle);
  g_string_erase (s, 0, 1);
  return g_string_free (s, FALSE);
}

static char *
csv_document (FsResults *r)
{
  GString *s = g_string_new (fs_results_csv_header ());

  /* LF, as awk, cut and grep expect; RFC 4180 readers accept it too. */
  g_string_append_c (s, '\n');
  for (guint i = 0; i < r->n_scenarios; i++)
    if (r->scenarios[i].n_runs > 0)
      {
        g_autofree char *record = fs_results_csv_record (&r->scenarios[i]);
        g_string_append (s, record);
        g_string_append_c (s, '\n');
      }
  return g_string_free (s, FALSE);
}

/* -------------------------------------------------------------- JSON */

static void
add_string (JsonBuilder *b, const char *name, const char *v)
{
  json_builder_set_member_name (b, name);
  if (v != NULL)
    json_builder_add_string_value (b, v);
  else
    json_builder_add_null_value (b);
}

/* A figure: a count that is whole as a JSON integer (a median of two
 * counts may end in .5), anything else as a double. */
static void
add_figure (JsonBuilder *b, FsFigure fig, double v)
{
  if (fs_figure_is_count (fig) && isfinite (v) && v == floor (v) && fabs (v) < 9e15)
    {
      json_builder_set_member_name (b, fs_figure_name (fig));
      json_builder_add_int_value (b, (gint64) v);
    }
  else
    fs_json_add_number (b, fs_figure_name (fig), v);
}

static void
add_figures (JsonBuilder *b, const char *name, const double *v)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  for (guint f = 0; f < FS_N_FIGURES; f++)
    add_figure (b, (FsFigure) f, v[f]);
  json_builder_end_object (b);
}

static void
add_run (JsonBuilder *b, const FsResultRow *row)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "round");
  json_builder_add_int_value (b, row->round);
  add_string (b, "timestamp", row->timestamp);
  /* What the pool ran, with same resolved: the scenario's client mode
   * says what was asked. */
  add_string (b, "pool_mode", fs_mode_name (row->pool_mode));
  json_builder_set_member_name (b, "passed");
  json_builder_add_boolean_value (b, !fs_result_row_failed (row));
  json_builder_set_member_name (b, "verified");
  json_builder_add_boolean_value (b, row->verified);
  json_builder_set_member_name (b, "cost_available");
  json_builder_add_boolean_value (b, row->server.available);
  /* The pool's steady state: a duration (null with a fixed count) after
   * a warm-up. */
  fs_json_add_number (b, "duration_s", row->duration_s > 0 ? row->duration_s : NAN);
  fs_json_add_number (b, "warmup_s", row->warmup_s);
  for (guint f = 0; f < FS_N_FIGURES; f++)
    add_figure (b, (FsFigure) f, fs_result_row_figure (row, (FsFigure) f));
  json_builder_set_member_name (b, "errors");
  json_builder_begin_object (b);
  for (int i = 0; i < FS_CLIENT_N_ERRORS; i++)
    {
      json_builder_set_member_name (b, fs_client_error_name ((FsClientError) i));
      json_builder_add_int_value (b, (gint64) row->errors[i]);
    }
  json_builder_set_member_name (b, "crashed");
  json_builder_add_int_value (b, (gint64) row->crashed);
  json_builder_end_object (b);
  add_string (b, "error", row->error);
  {
    g_autofree char *stop = fs_result_row_server_stop (row);
    add_string (b, "server_stop", stop);
  }
  /* A capacity search: whether its capacity was confirmed, and every
   * step (search.h). */
  json_builder_set_member_name (b, "search");
  if (row->searched)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "confirmed");
      json_builder_add_boolean_value (b, row->capacity_confirmed);
      json_builder_set_member_name (b, "steps");
      json_builder_add_value (b, fs_search_steps_to_json (row->steps));
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

JsonNode *
fs_scenario_result_to_json (const FsScenarioResult *sr)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const FsScenario *sc = &sr->scenario;
  g_autofree char *error = fs_scenario_result_error (sr);

  json_builder_begin_object (b);
  add_string (b, "mode", fs_mode_name (sc->mode));
  add_string (b, "client_mode", fs_client_mode_name (sc->client_mode));
  add_string (b, "operation", fs_pool_operation_name (sc->operation));
  add_string (b, "transfer", fs_pool_transfer_name (sc->transfer));
  fs_json_add_number (b, "volume", sc->volume);
  add_string (b, "volume_unit", fs_volume_unit (sr->quick));
  json_builder_set_member_name (b, "volume_bytes");
  json_builder_add_int_value (b, sr->n_runs > 0 ? (gint64) sr->runs[0].volume_bytes : 0);
  json_builder_set_member_name (b, "client_pool");
  json_builder_add_int_value (b, sc->client_pool);
  json_builder_set_member_name (b, "server_pool");
  json_builder_add_int_value (b, sc->server_pool);
  json_builder_set_member_name (b, "idle_connections");
  json_builder_add_int_value (b, sc->idle);
  json_builder_set_member_name (b, "ranks");
  if (fs_scenario_result_ranks (sr) > 0)
    json_builder_add_int_value (b, fs_scenario_result_ranks (sr));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "runs_done");
  json_builder_add_int_value (b, sr->n_runs);
  json_builder_set_member_name (b, "runs_passed");
  json_builder_add_int_value (b, sr->runs_passed);
  json_builder_set_member_name (b, "verified");
  json_builder_add_boolean_value (b, sr->verified);
  add_string (b, "error", error);
  add_figures (b, "median", sr->median);
  add_figures (b, "min", sr->min);
  add_figures (b, "max", sr->max);
  json_builder_set_member_name (b, "runs");
  json_builder_begin_array (b);
  for (guint i = 0; i < sr->n_runs; i++)
    add_run (b, &sr->runs[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static char *
iso_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  return g_date_time_format_iso8601 (now);
}

static JsonNode *
program_json (const FsRunInfo *info)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string (b, "version", PACKAGE_VERSION);
  add_string (b, "command", info->command);
  json_builder_set_member_name (b, "results_format");
  json_builder_add_int_value (b, FS_RESULTS_FORMAT);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonObject *
run_json (const FsRunInfo *info, guint n_scenarios)
{
  JsonObject *o = json_object_new ();
  g_autofree char *started = g_date_time_format_iso8601 (info->started);

  json_object_set_string_member (o, "started", started);
  json_object_set_null_member (o, "ended");
  json_object_set_boolean_member (o, "complete", FALSE);
  json_object_set_int_member (o, "seed", info->seed);
  json_object_set_int_member (o, "runs", info->runs);
  json_object_set_int_member (o, "scenarios", n_scenarios);
  json_object_set_string_member (o, "matrix_file", info->matrix_file);
  json_object_set_member (o, "matrix", fs_matrix_to_json (info->matrix));
  json_object_set_boolean_member (o, "quick", info->quick);
  json_object_set_double_member (o, "scale", info->scale);
  /* Which server was measured: filestorm-server, or a command's. */
  if (info->server_command != NULL)
    json_object_set_string_member (o, "server_command", info->server_command);
  else
    json_object_set_null_member (o, "server_command");
  if (info->target != NULL)
    json_object_set_string_member (o, "target", info->target);
  else
    json_object_set_null_member (o, "target");
  /* How the pools were started: filestorm-pool, or filestorm-pool-mpi
   * through a launcher. */
  if (info->launcher != NULL)
    json_object_set_string_member (o, "launcher", info->launcher);
  else
    json_object_set_null_member (o, "launcher");
  /* 0: a launcher whose template has no {ranks}; the scenarios say. */
  if (info->ranks > 0)
    json_object_set_int_member (o, "ranks", info->ranks);
  else
    json_object_set_null_member (o, "ranks");
  return o;
}

static char *
node_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

/* The document, put together from its members' texts. A scenario's text
 * is kept until it gains a run: generating all 162 scenarios' trees
 * after each of 486 runs made the default matrix's writing grow to half
 * a second per run near the end (tests/bench-results-write.c); with the
 * texts kept, each run generates one scenario. */
static char *
json_document (FsResults *r)
{
  g_autoptr(GString) doc = g_string_new ("{\n");
  g_autoptr(JsonNode) run = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *program = node_text (r->program);
  g_autofree char *machine = node_text (r->machine);
  g_autofree char *run_text = NULL;
  gboolean first = TRUE;

  json_node_set_object (run, r->run);
  run_text = node_text (run);
  g_string_append_printf (doc, "\"filestorm\" : %s,\n\"machine\" : %s,\n\"run\" : %s,\n"
                          "\"scenarios\" : [", program, machine, run_text);
  for (guint i = 0; i < r->n_scenarios; i++)
    {
      if (r->scenarios[i].n_runs == 0)
        continue;
      if (r->texts[i] == NULL)
        {
          g_autoptr(JsonNode) node = fs_scenario_result_to_json (&r->scenarios[i]);
          r->texts[i] = node_text (node);
        }
      g_string_append_printf (doc, "%s\n%s", first ? "" : ",", r->texts[i]);
      first = FALSE;
    }
  g_string_append (doc, first ? "],\n\"verdict\" : " : "\n],\n\"verdict\" : ");
  if (r->verdict != NULL)
    {
      g_autoptr(JsonNode) verdict = fs_verdict_to_json (r->verdict);
      g_autofree char *text = node_text (verdict);
      g_string_append (doc, text);
    }
  else
    g_string_append (doc, "null");
  g_string_append (doc, "\n}\n");
  return g_string_free (g_steal_pointer (&doc), FALSE);
}

/* ------------------------------------------------------------- files */

static gboolean
set_errno_error (GError **error, int saved_errno, const char *what, const char *path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "cannot %s %s: %s",
               what, path, g_strerror (saved_errno));
  return FALSE;
}

/* Creates path, failing with EEXIST rather than touching an existing
 * file. */
static gboolean
create_new (const char *path, gboolean *busy, GError **error)
{
  int fd;

  do
    fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  while (fd < 0 && errno == EINTR);
  *busy = fd < 0 && errno == EEXIST;
  if (fd < 0)
    return set_errno_error (error, errno, "create", path);
  close (fd);
  return TRUE;
}

/* Both files are rewritten; the JSON first, so that the CSV, which the
 * original tool's users read, is never ahead of the full record. */
static gboolean
write_all (FsResults *r, GError **error)
{
  g_autofree char *json = json_document (r);
  g_autofree char *csv = csv_document (r);

  return g_file_set_contents (r->json_path, json, -1, error)
         && g_file_set_contents (r->csv_path, csv, -1, error);
}

/* Claims base.csv and base.json, both new. */
static gboolean
claim (FsResults *r, const char *base, gboolean *busy, GError **error)
{
  g_autofree char *csv = g_strconcat (base, ".csv", NULL);
  g_autofree char *json = g_strconcat (base, ".json", NULL);

  if (!create_new (csv, busy, error))
    return FALSE;
  if (!create_new (json, busy, error))
    {
      g_unlink (csv);
      return FALSE;
    }
  r->csv_path = g_steal_pointer (&csv);
  r->json_path = g_steal_pointer (&json);
  return TRUE;
}

FsResults *
fs_results_open (const char *dir, const FsRunInfo *info, GArray *scenarios, GError **error)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (info->started);
  g_autofree char *stamp = g_date_time_format (local, "%Y%m%d_%H%M%S");
  g_autoptr(FsResults) r = g_new0 (FsResults, 1);

  if (g_mkdir_with_parents (dir, 0777) < 0)
    {
      set_errno_error (error, errno, "create directory", dir);
      return NULL;
    }
  for (guint n = 1; r->csv_path == NULL; n++)
    {
      g_autofree char *name = n == 1
        ? g_strdup_printf ("orchestrator_results_%s", stamp)
        : g_strdup_printf ("orchestrator_results_%s-%u", stamp, n);
      g_autofree char *base = g_build_filename (dir, name, NULL);
      g_autoptr(GError) local_error = NULL;
      gboolean busy = FALSE;

      if (claim (r, base, &busy, &local_error))
        break;
      if (!busy || n == MAX_SUFFIX)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  r->program = program_json (info);
  r->machine = fs_machine_to_json (info->machine);
  r->run = run_json (info, scenarios->len);
  r->n_scenarios = scenarios->len;
  r->scenarios = g_new0 (FsScenarioResult, MAX (scenarios->len, 1));
  r->texts = g_new0 (char *, MAX (scenarios->len, 1));
  for (guint i = 0; i < scenarios->len; i++)
    fs_scenario_result_init (&r->scenarios[i], &g_array_index (scenarios, FsScenario, i),
                             info->quick);
  /* Valid documents from the start, so a reader never finds an empty
   * file; on failure neither is left behind. */
  if (!write_all (r, error))
    {
      g_unlink (r->csv_path);
      g_unlink (r->json_path);
      return NULL;
    }
  return g_steal_pointer (&r);
}

gboolean
fs_results_add (FsResults *r, FsResultRow *row, GError **error)
{
  guint i = row->scenario.index - 1;

  if (i >= r->n_scenarios)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "no scenario %u in these results", i + 1);
      return FALSE;
    }
  /* Kept even when the writing below fails, so the next one has it. */
  fs_scenario_result_add (&r->scenarios[i], row);
  g_clear_pointer (&r->texts[i], g_free);
  return write_all (r, error);
}

gboolean
fs_results_finish (FsResults *r, gboolean complete, GError **error)
{
  g_autofree char *ended = iso_now ();

  g_clear_pointer (&r->verdict, fs_verdict_free);
  r->verdict = fs_verdict_new (r->scenarios, r->n_scenarios,
                               json_object_get_boolean_member_with_default (
                                 json_node_get_object (r->machine), "busy", FALSE));
  json_object_set_string_member (r->run, "ended", ended);
  json_object_set_boolean_member (r->run, "complete", complete);
  return write_all (r, error);
}

FsScenarioResult *
fs_results_scenarios (FsResults *r, guint *n)
{
  *n = r->n_scenarios;
  return r->scenarios;
}

const FsVerdict *
fs_results_verdict (FsResults *r)
{
  return r->verdict;
}

const char *
fs_results_csv_path (FsResults *r)
{
  return r->csv_path;
}

const char *
fs_results_json_path (FsResults *r)
{
  return r->json_path;
}

void
fs_results_free (FsResults *r)
{
  if (r == NULL)
    return;
  g_free (r->csv_path);
  g_free (r->json_path);
  g_clear_pointer (&r->program, json_node_unref);
  g_clear_pointer (&r->machine, json_node_unref);
  g_clear_pointer (&r->run, json_object_unref);
  for (guint i = 0; i < r->n_scenarios; i++)
    {
      fs_scenario_result_clear (&r->scenarios[i]);
      g_free (r->texts[i]);
    }
  g_free (r->scenarios);
  g_free (r->texts);
  fs_verdict_free (r->verdict);
  g_free (r);
}
