/* pool-check.c: what test-pool and test-pool-failures share: running
 * filestorm-pool, and checking its JSON result and its summary against
 * the man page (see pool-check.h). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "pool-check.h"

#define SLACK 0.05           /* seconds of clock slack between two measurements */

/* ------------------------------------------------------------ programs */

void
fp_assert_stderr_is (FtRun *run, const char *want)
{
  g_autofree char *err = ft_run_stderr_text (run);
  g_autofree char *shown = ft_preview (err, strlen (err));
  g_autofree char *wanted = ft_preview (want, strlen (want));

  ft_check (strcmp (err, want) == 0, "%s: stderr \"%s\", expected \"%s\"", run->cmd, shown,
            wanted);
}

/* Nothing on stdout and exactly one line "filestorm-pool: MESSAGE" on
 * stderr; returns the message (owned). */
char *
fp_assert_one_error_line (FtRun *run)
{
  g_autofree char *out = ft_run_stdout_text (run);
  g_autofree char *err = ft_run_stderr_text (run);
  g_autofree char *out_shown = ft_preview (out, strlen (out));
  g_autofree char *shown = ft_preview (err, strlen (err));
  const char *nl = strchr (err, '\n');

  ft_check (out[0] == '\0', "%s: unexpected stdout \"%s\"", run->cmd, out_shown);
  ft_check (g_str_has_prefix (err, PREFIX), "%s: stderr \"%s\" does not start with \"%s\"",
            run->cmd, shown, PREFIX);
  ft_check (nl != NULL && nl[1] == '\0', "%s: stderr \"%s\" is not exactly one line",
            run->cmd, shown);
  ft_check (nl - err > (gssize) strlen (PREFIX), "%s: empty message on stderr", run->cmd);
  return g_strndup (err + strlen (PREFIX), (gsize) (nl - err) - strlen (PREFIX));
}

/* argv for the pool: --host 127.0.0.1 --port PORT (port 0: none), then
 * args (NULL-terminated). */
GPtrArray *
fp_argv (guint16 port, const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_strdup (ft_pool_path ()));
  if (port != 0)
    {
      g_ptr_array_add (argv, g_strdup ("--host"));
      g_ptr_array_add (argv, g_strdup ("127.0.0.1"));
      g_ptr_array_add (argv, g_strdup ("--port"));
      g_ptr_array_add (argv, g_strdup_printf ("%u", port));
    }
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  return argv;
}

FtRun *
fp_start_a (guint16 port, const char * const *args)
{
  g_autoptr(GPtrArray) argv = fp_argv (port, args);
  return ft_run_start (NULL, NULL, NULL, (const char * const *) argv->pdata);
}

FtRun *
fp_run_a (guint16 port, const char * const *args)
{
  FtRun *run = fp_start_a (port, args);

  ft_run_wait (run, RUN_TIMEOUT);
  return run;
}

/* Runs the pool against 127.0.0.1:port with the NULL-terminated
 * arguments, waiting at most RUN_TIMEOUT. */
FtRun *
fp_run (guint16 port, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  va_start (ap, port);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return fp_run_a (port, (const char * const *) args->pdata);
}

/* ------------------------------------------------------------ helpers */

/* The test file's content as filestorm-pool(1) defines it (THE TEST
 * FILE), written here from the man page rather than taken from the
 * library, so that the pool is checked against its documentation. */
static guint64
mix (guint64 z)
{
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static GBytes *
documented_content (const char *name, gsize size)
{
  const guint64 golden = G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  guint64 key;
  guint8 *out = g_malloc (size + 8);

  for (const guint8 *p = (const guint8 *) name; *p != '\0'; p++)
    {
      h ^= *p;
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  key = mix (h ^ mix ((guint64) size + golden));
  for (gsize i = 0; i * 8 < size; i++)
    {
      guint64 w = mix (key + (guint64) (i + 1) * golden);
      for (int b = 0; b < 8; b++)
        out[i * 8 + (gsize) b] = (guint8) (w >> (8 * b));
    }
  return g_bytes_new_take (out, size);
}

void
fp_assert_server_file_documented (FtServer *srv, const char *name, gsize size)
{
  g_autoptr(GBytes) got = ft_read_file (srv->root, name);
  g_autoptr(GBytes) want = documented_content (name, size);
  gsize got_len = 0, want_len = 0;
  const guint8 *g, *w;

  ft_check (got != NULL, "%s is not in the server's root", name);
  g = g_bytes_get_data (got, &got_len);
  w = g_bytes_get_data (want, &want_len);
  ft_assert_same_bytes (g, got_len, w, want_len);
}

void
fp_assert_no_temporaries (FtServer *srv)
{
  g_autofree char *left = NULL;

  ft_check (ft_wait_no_hidden (srv->root, NULL, 5, &left), "temporary file %s left in the root",
            left);
}

/* ------------------------------------------------------------ JSON */

void
fp_result_free (FpResult *r)
{
  if (r == NULL)
    return;
  json_node_unref (r->root);
  g_free (r->shown);
  g_free (r);
}

/* stdout must be exactly one line holding one JSON object. */
FpResult *
fp_parse_result (FtRun *run)
{
  g_autofree char *out = ft_run_stdout_text (run);
  g_autofree char *shown = ft_preview (out, strlen (out));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *nl = strchr (out, '\n');
  FpResult *r;

  ft_check (nl != NULL && nl[1] == '\0', "%s: stdout is not one line: \"%s\"", run->cmd, shown);
  json_parser_load_from_data (parser, out, -1, &error);
  ft_check (error == NULL, "%s: stdout is not JSON (%s): \"%s\"", run->cmd,
            error ? error->message : "", shown);
  ft_check (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)),
            "%s: stdout is not a JSON object: \"%s\"", run->cmd, shown);
  r = g_new0 (FpResult, 1);
  r->root = json_node_copy (json_parser_get_root (parser));
  r->o = json_node_get_object (r->root);
  r->shown = g_strdup (out);
  return r;
}

static JsonNode *
member (FpResult *r, JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  ft_check (n != NULL, "no member \"%s\" in %s", name, r->shown);
  return n;
}

gint64
fp_get_int (FpResult *r, JsonObject *o, const char *name)
{
  JsonNode *n = member (r, o, name);

  ft_check (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64,
            "\"%s\" is not an integer in %s", name, r->shown);
  return json_node_get_int (n);
}

double
fp_get_number (FpResult *r, JsonObject *o, const char *name)
{
  JsonNode *n = member (r, o, name);

  ft_check (JSON_NODE_HOLDS_VALUE (n) && (json_node_get_value_type (n) == G_TYPE_DOUBLE ||
                                          json_node_get_value_type (n) == G_TYPE_INT64),
            "\"%s\" is not a number in %s", name, r->shown);
  return json_node_get_double (n);
}

gboolean
fp_get_bool (FpResult *r, const char *name)
{
  JsonNode *n = member (r, r->o, name);

  ft_check (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN,
            "\"%s\" is not a boolean in %s", name, r->shown);
  return json_node_get_boolean (n);
}

const char *
fp_get_string (FpResult *r, const char *name)
{
  JsonNode *n = member (r, r->o, name);

  ft_check (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING,
            "\"%s\" is not a string in %s", name, r->shown);
  return json_node_get_string (n);
}

static gboolean
is_null (FpResult *r, const char *name)
{
  return JSON_NODE_HOLDS_NULL (member (r, r->o, name));
}

JsonObject *
fp_get_object (FpResult *r, const char *name)
{
  JsonNode *n = member (r, r->o, name);

  ft_check (JSON_NODE_HOLDS_OBJECT (n), "\"%s\" is not an object in %s", name, r->shown);
  return json_node_get_object (n);
}

const char * const fp_error_kinds[] = {
  "connect", "read", "write", "timeout", "protocol", "corrupt", "server", "crashed", NULL
};

gint64
fp_get_error (FpResult *r, const char *kind)
{
  return fp_get_int (r, fp_get_object (r, "errors"), kind);
}

/* Every documented member, with its type, in the documented order, and
 * the members that echo the configuration. */
void
fp_check_shape (FpResult *r, const FpExpect *e)
{
  static const char * const order[] = {
    "mode", "operation", "volume_mb", "file", "file_bytes", "client_pool", "repeat",
    "success", "fail", "avg_time_s", "throughput_Bps", "aggregate_Bps", "bytes", "total_time_s",
    "client_time_s", "latency_ms", "errors", "first_error", "verified", "prepared", "server",
    "setup_connections", "interrupted", "abandoned", NULL
  };
  static const char * const quantiles[] = { "min", "p50", "p90", "p99", "max", NULL };
  gboolean list = strcmp (e->operation, "list") == 0;
  g_autoptr(GList) members = json_object_get_members (r->o);
  GList *l = members;
  JsonObject *latency;
  gint64 sum = 0;

  /* The documented members appear in the documented order (unknown ones
   * may come between). */
  for (gsize i = 0; order[i] != NULL; i++)
    {
      while (l != NULL && strcmp (l->data, order[i]) != 0)
        l = l->next;
      ft_check (l != NULL, "member \"%s\" missing or out of order in %s", order[i], r->shown);
    }

  g_assert_cmpstr (fp_get_string (r, "mode"), ==, e->mode);
  g_assert_cmpstr (fp_get_string (r, "operation"), ==, e->operation);
  ft_check (fp_get_number (r, r->o, "volume_mb") == e->volume, "volume_mb is not %g in %s",
            e->volume, r->shown);
  g_assert_cmpstr (fp_get_string (r, "file"), ==, e->file);
  g_assert_cmpint (fp_get_int (r, r->o, "file_bytes"), ==, e->file_bytes);
  g_assert_cmpint (fp_get_int (r, r->o, "client_pool"), ==, e->clients);
  g_assert_cmpint (fp_get_int (r, r->o, "repeat"), ==, e->repeat);
  g_assert_cmpint (fp_get_int (r, r->o, "success"), >=, 0);
  g_assert_cmpint (fp_get_int (r, r->o, "fail"), >=, 0);
  g_assert_cmpint (fp_get_int (r, r->o, "success") + fp_get_int (r, r->o, "fail"), ==,
                   e->clients * e->repeat);
  g_assert_cmpfloat (fp_get_number (r, r->o, "avg_time_s"), >=, 0);
  g_assert_cmpfloat (fp_get_number (r, r->o, "total_time_s"), >=, 0);
  if (list)
    {
      ft_check (is_null (r, "throughput_Bps"), "throughput_Bps is not null for list: %s",
                r->shown);
      ft_check (is_null (r, "aggregate_Bps"), "aggregate_Bps is not null for list: %s",
                r->shown);
    }
  else
    {
      g_assert_cmpfloat (fp_get_number (r, r->o, "throughput_Bps"), >=, 0);
      g_assert_cmpfloat (fp_get_number (r, r->o, "aggregate_Bps"), >=, 0);
    }

  latency = fp_get_object (r, "latency_ms");
  for (gsize i = 0; quantiles[i] != NULL; i++)
    {
      g_assert_cmpfloat (fp_get_number (r, latency, quantiles[i]), >=, 0);
      if (i > 0)
        ft_check (fp_get_number (r, latency, quantiles[i - 1]) <= fp_get_number (r, latency, quantiles[i]),
                  "latency %s > %s in %s", quantiles[i - 1], quantiles[i], r->shown);
    }
  ft_check (fp_get_number (r, latency, "max") / 1000 <= fp_get_number (r, r->o, "total_time_s") + SLACK,
            "latency max beyond the total time in %s", r->shown);
  /* Every operation that ended was timed (a crashed client's were
   * not); the counted bytes are whole files of the successful transfers,
   * all of them when verified. */
  g_assert_cmpint (fp_get_int (r, latency, "count"), ==,
                   fp_get_int (r, r->o, "success") + fp_get_int (r, r->o, "fail")
                   - fp_get_error (r, "crashed"));
  if (list)
    g_assert_cmpint (fp_get_int (r, r->o, "bytes"), ==, 0);
  else
    {
      gint64 bytes = fp_get_int (r, r->o, "bytes");
      g_assert_cmpint (bytes % e->file_bytes, ==, 0);
      g_assert_cmpint (bytes, <=, e->file_bytes * fp_get_int (r, r->o, "success"));
      if (json_object_get_boolean_member (r->o, "verified"))
        g_assert_cmpint (bytes, ==, e->file_bytes * fp_get_int (r, r->o, "success"));
    }

  for (gsize i = 0; fp_error_kinds[i] != NULL; i++)
    {
      gint64 n = fp_get_error (r, fp_error_kinds[i]);
      g_assert_cmpint (n, >=, 0);
      sum += n;
    }
  ft_check (sum == fp_get_int (r, r->o, "fail"), "errors do not add up to fail in %s", r->shown);
  {
    JsonNode *first = member (r, r->o, "first_error");
    ft_check (fp_get_int (r, r->o, "fail") == 0
              ? JSON_NODE_HOLDS_NULL (first)
              : (JSON_NODE_HOLDS_VALUE (first) && json_node_get_value_type (first) == G_TYPE_STRING
                 && *json_node_get_string (first) != '\0'
                 && strlen (json_node_get_string (first)) <= 255),
              "first_error does not match fail in %s", r->shown);
  }
  fp_get_bool (r, "verified");
  fp_get_bool (r, "prepared");
}

/* A fully successful, verified run. */
void
fp_check_success (FpResult *r, const FpExpect *e)
{
  gboolean list = strcmp (e->operation, "list") == 0;
  double avg, total;

  fp_check_shape (r, e);
  g_assert_cmpint (fp_get_int (r, r->o, "success"), ==, e->clients * e->repeat);
  g_assert_cmpint (fp_get_int (r, r->o, "fail"), ==, 0);
  for (gsize i = 0; fp_error_kinds[i] != NULL; i++)
    ft_check (fp_get_error (r, fp_error_kinds[i]) == 0, "errors.%s is not 0 in %s", fp_error_kinds[i],
              r->shown);
  ft_check (fp_get_bool (r, "verified"), "not verified: %s", r->shown);
  ft_check (is_null (r, "first_error"), "first_error is not null: %s", r->shown);

  avg = fp_get_number (r, r->o, "avg_time_s");
  total = fp_get_number (r, r->o, "total_time_s");
  ft_check (avg > 0 && total > 0, "zero times in %s", r->shown);
  ft_check (avg <= total + SLACK, "avg_time_s beyond total_time_s in %s", r->shown);
  {
    /* The spread of the clients' times brackets their mean. */
    JsonObject *times = fp_get_object (r, "client_time_s");
    double lo = fp_get_number (r, times, "min"), mid = fp_get_number (r, times, "p50"),
           hi = fp_get_number (r, times, "max");

    ft_check (lo > 0 && lo <= mid && mid <= hi && hi <= total + SLACK,
              "client_time_s is not 0 < min <= p50 <= max <= total in %s", r->shown);
    ft_check (lo <= avg * (1 + 1e-9) && avg <= hi * (1 + 1e-9),
              "avg_time_s outside client_time_s min..max in %s", r->shown);
    if (e->clients == 1)
      ft_check (lo == hi, "one client, yet client_time_s min != max in %s", r->shown);
  }
  ft_check (fp_get_number (r, fp_get_object (r, "latency_ms"), "min") > 0,
            "latency min is 0 although operations were timed: %s", r->shown);
  if (!list)
    {
      double want_tp = (double) e->file_bytes * (double) e->repeat / avg;
      double want_agg = (double) e->file_bytes * (double) (e->clients * e->repeat) / total;
      double tp = fp_get_number (r, r->o, "throughput_Bps");
      double agg = fp_get_number (r, r->o, "aggregate_Bps");

      ft_check (fabs (tp - want_tp) <= 1e-6 * want_tp,
                "throughput_Bps %.17g is not file_bytes*repeat/avg_time_s = %.17g in %s",
                tp, want_tp, r->shown);
      ft_check (agg > 0, "aggregate_Bps is not positive in %s", r->shown);
      ft_check (fabs (agg - want_agg) <= 1e-6 * want_agg,
                "aggregate_Bps %.17g is not the content bytes / total_time_s = %.17g in %s",
                agg, want_agg, r->shown);
    }
}

void
fp_expect_init (FpExpect *e, const char *mode, const char *operation, double volume,
                gint64 clients, gint64 repeat)
{
  e->mode = mode;
  e->operation = operation;
  e->volume = volume;
  e->file = volume == 1 ? "file_1mb.bin" : volume == 2 ? "file_2mb.bin"
          : volume == 0.5 ? "file_0.5mb.bin" : volume == 0.3 ? "file_0.3mb.bin" : NULL;
  g_assert_nonnull (e->file);
  /* rounded to the nearest byte: 0.3 MiB is 314572.8 bytes */
  e->file_bytes = (gint64) floor (volume * MiB + 0.5);
  e->clients = clients;
  e->repeat = repeat;
}

/* ------------------------------------------------------------ summary */

/* The human summary: each line "Label:" padded to column 25, then the
 * value; the labels in order and the values matching the patterns. */
void
fp_check_summary (FtRun *run, const char * const *labels, const char * const *patterns)
{
  g_autofree char *out = ft_run_stdout_text (run);
  g_auto(GStrv) lines = NULL;
  gsize n;

  ft_check (g_str_has_suffix (out, "\n"), "%s: summary does not end in a newline:\n%s",
            run->cmd, out);
  lines = g_strsplit (out, "\n", -1);
  n = g_strv_length (lines) - 1;  /* after the last newline */
  ft_check (n == g_strv_length ((char **) labels), "%s: %" G_GSIZE_FORMAT
            " summary lines, expected %u:\n%s", run->cmd, n, g_strv_length ((char **) labels),
            out);
  for (gsize i = 0; i < n; i++)
    {
      const char *line = lines[i];
      gsize label_len = strlen (labels[i]);

      ft_check (g_str_has_prefix (line, labels[i]) && line[label_len] == ':',
                "%s: summary line %" G_GSIZE_FORMAT " is \"%s\", expected \"%s:\":\n%s",
                run->cmd, i + 1, line, labels[i], out);
      ft_check (strlen (line) > 25 && line[25] != ' ', "%s: value of \"%s\" not at column 25:\n%s",
                run->cmd, labels[i], out);
      for (gsize k = label_len + 1; k < 25; k++)
        ft_check (line[k] == ' ', "%s: \"%s\" not padded with spaces to column 25:\n%s",
                  run->cmd, labels[i], out);
      ft_check (g_regex_match_simple (patterns[i], line + 25, 0, 0),
                "%s: \"%s\" value \"%s\" does not match /%s/:\n%s", run->cmd, labels[i],
                line + 25, patterns[i], out);
    }
}
