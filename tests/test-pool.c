/* test-pool.c: end-to-end tests of filestorm-pool, the real program run as
 * a subprocess against the real filestorm-server: the original command
 * lines, the JSON result in every combination of pool mode and server mode,
 * preparation of the download file, corrupt content, crashed client
 * processes, stalls, refused connections and usage errors. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#define POOL 3               /* server pool size */
#define CLIENTS 4            /* pool size of the JSON cases */
#define MiB (1024 * 1024)
#define RUN_TIMEOUT 30.0     /* seconds for any one run of the pool */
#define PREFIX "filestorm-pool: "
#define SLACK 0.05           /* seconds of clock slack between two measurements */

/* ------------------------------------------------------------ programs */

/* The pool binary: $FILESTORM_POOL, else ../src/filestorm-pool next to the
 * directory of this test program (like ft_server_path()). */
static void
assert_stderr_is (FtRun *run, const char *want)
{
  g_autofree char *err = ft_run_stderr_text (run);
  g_autofree char *shown = ft_preview (err, strlen (err));
  g_autofree char *wanted = ft_preview (want, strlen (want));

  ft_check (strcmp (err, want) == 0, "%s: stderr \"%s\", expected \"%s\"", run->cmd, shown,
            wanted);
}

/* Nothing on stdout and exactly one line "filestorm-pool: MESSAGE" on
 * stderr; returns the message (owned). */
static char *
assert_one_error_line (FtRun *run)
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
static GPtrArray *
pool_argv (guint16 port, const char * const *args)
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

static FtRun *
pool_start_a (guint16 port, const char * const *args)
{
  g_autoptr(GPtrArray) argv = pool_argv (port, args);
  return ft_run_start (NULL, NULL, NULL, (const char * const *) argv->pdata);
}

static FtRun *
pool_run_a (guint16 port, const char * const *args)
{
  FtRun *run = pool_start_a (port, args);

  ft_run_wait (run, RUN_TIMEOUT);
  return run;
}

static FtRun *pool_run (guint16 port, ...) G_GNUC_NULL_TERMINATED;

/* Runs the pool against 127.0.0.1:port with the NULL-terminated
 * arguments, waiting at most RUN_TIMEOUT. */
static FtRun *
pool_run (guint16 port, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  va_start (ap, port);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return pool_run_a (port, (const char * const *) args->pdata);
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

static void
assert_server_file_documented (FtServer *srv, const char *name, gsize size)
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

static void
assert_no_temporaries (FtServer *srv)
{
  g_autofree char *left = NULL;

  ft_check (ft_wait_no_hidden (srv->root, NULL, 5, &left), "temporary file %s left in the root",
            left);
}

/* ------------------------------------------------------------ JSON */

typedef struct {
  JsonNode   *root;   /* (owned) */
  JsonObject *o;      /* (unowned) the root's */
  char       *shown;  /* (owned) for messages */
} Result;

static void
result_free (Result *r)
{
  if (r == NULL)
    return;
  json_node_unref (r->root);
  g_free (r->shown);
  g_free (r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Result, result_free)

/* stdout must be exactly one line holding one JSON object. */
static Result *
parse_result (FtRun *run)
{
  g_autofree char *out = ft_run_stdout_text (run);
  g_autofree char *shown = ft_preview (out, strlen (out));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *nl = strchr (out, '\n');
  Result *r;

  ft_check (nl != NULL && nl[1] == '\0', "%s: stdout is not one line: \"%s\"", run->cmd, shown);
  json_parser_load_from_data (parser, out, -1, &error);
  ft_check (error == NULL, "%s: stdout is not JSON (%s): \"%s\"", run->cmd,
            error ? error->message : "", shown);
  ft_check (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)),
            "%s: stdout is not a JSON object: \"%s\"", run->cmd, shown);
  r = g_new0 (Result, 1);
  r->root = json_node_copy (json_parser_get_root (parser));
  r->o = json_node_get_object (r->root);
  r->shown = g_strdup (out);
  return r;
}

static JsonNode *
member (Result *r, JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  ft_check (n != NULL, "no member \"%s\" in %s", name, r->shown);
  return n;
}

static gint64
get_int (Result *r, JsonObject *o, const char *name)
{
  JsonNode *n = member (r, o, name);

  ft_check (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64,
            "\"%s\" is not an integer in %s", name, r->shown);
  return json_node_get_int (n);
}

static double
get_number (Result *r, JsonObject *o, const char *name)
{
  JsonNode *n = member (r, o, name);

  ft_check (JSON_NODE_HOLDS_VALUE (n) && (json_node_get_value_type (n) == G_TYPE_DOUBLE ||
                                          json_node_get_value_type (n) == G_TYPE_INT64),
            "\"%s\" is not a number in %s", name, r->shown);
  return json_node_get_double (n);
}

static gboolean
get_bool (Result *r, const char *name)
{
  JsonNode *n = member (r, r->o, name);

  ft_check (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN,
            "\"%s\" is not a boolean in %s", name, r->shown);
  return json_node_get_boolean (n);
}

static const char *
get_string (Result *r, const char *name)
{
  JsonNode *n = member (r, r->o, name);

  ft_check (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING,
            "\"%s\" is not a string in %s", name, r->shown);
  return json_node_get_string (n);
}

static gboolean
is_null (Result *r, const char *name)
{
  return JSON_NODE_HOLDS_NULL (member (r, r->o, name));
}

static JsonObject *
get_object (Result *r, const char *name)
{
  JsonNode *n = member (r, r->o, name);

  ft_check (JSON_NODE_HOLDS_OBJECT (n), "\"%s\" is not an object in %s", name, r->shown);
  return json_node_get_object (n);
}

static const char * const error_kinds[] = {
  "connect", "read", "write", "timeout", "protocol", "corrupt", "server", "crashed", NULL
};

static gint64
get_error (Result *r, const char *kind)
{
  return get_int (r, get_object (r, "errors"), kind);
}

/* What a result must say about its own configuration. */
typedef struct {
  const char *mode;
  const char *operation;   /* as reported: "download" for get */
  double      volume;
  const char *file;
  gint64      file_bytes;
  gint64      clients;
  gint64      repeat;
} Expect;

/* Every documented member, with its type, in the documented order, and
 * the members that echo the configuration. */
static void
check_shape (Result *r, const Expect *e)
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

  g_assert_cmpstr (get_string (r, "mode"), ==, e->mode);
  g_assert_cmpstr (get_string (r, "operation"), ==, e->operation);
  ft_check (get_number (r, r->o, "volume_mb") == e->volume, "volume_mb is not %g in %s",
            e->volume, r->shown);
  g_assert_cmpstr (get_string (r, "file"), ==, e->file);
  g_assert_cmpint (get_int (r, r->o, "file_bytes"), ==, e->file_bytes);
  g_assert_cmpint (get_int (r, r->o, "client_pool"), ==, e->clients);
  g_assert_cmpint (get_int (r, r->o, "repeat"), ==, e->repeat);
  g_assert_cmpint (get_int (r, r->o, "success"), >=, 0);
  g_assert_cmpint (get_int (r, r->o, "fail"), >=, 0);
  g_assert_cmpint (get_int (r, r->o, "success") + get_int (r, r->o, "fail"), ==,
                   e->clients * e->repeat);
  g_assert_cmpfloat (get_number (r, r->o, "avg_time_s"), >=, 0);
  g_assert_cmpfloat (get_number (r, r->o, "total_time_s"), >=, 0);
  if (list)
    {
      ft_check (is_null (r, "throughput_Bps"), "throughput_Bps is not null for list: %s",
                r->shown);
      ft_check (is_null (r, "aggregate_Bps"), "aggregate_Bps is not null for list: %s",
                r->shown);
    }
  else
    {
      g_assert_cmpfloat (get_number (r, r->o, "throughput_Bps"), >=, 0);
      g_assert_cmpfloat (get_number (r, r->o, "aggregate_Bps"), >=, 0);
    }

  latency = get_object (r, "latency_ms");
  for (gsize i = 0; quantiles[i] != NULL; i++)
    {
      g_assert_cmpfloat (get_number (r, latency, quantiles[i]), >=, 0);
      if (i > 0)
        ft_check (get_number (r, latency, quantiles[i - 1]) <= get_number (r, latency, quantiles[i]),
                  "latency %s > %s in %s", quantiles[i - 1], quantiles[i], r->shown);
    }
  ft_check (get_number (r, latency, "max") / 1000 <= get_number (r, r->o, "total_time_s") + SLACK,
            "latency max beyond the total time in %s", r->shown);
  /* Every operation that ended was timed (a crashed client's were
   * not); the counted bytes are whole files of the successful transfers,
   * all of them when verified. */
  g_assert_cmpint (get_int (r, latency, "count"), ==,
                   get_int (r, r->o, "success") + get_int (r, r->o, "fail")
                   - get_error (r, "crashed"));
  if (list)
    g_assert_cmpint (get_int (r, r->o, "bytes"), ==, 0);
  else
    {
      gint64 bytes = get_int (r, r->o, "bytes");
      g_assert_cmpint (bytes % e->file_bytes, ==, 0);
      g_assert_cmpint (bytes, <=, e->file_bytes * get_int (r, r->o, "success"));
      if (json_object_get_boolean_member (r->o, "verified"))
        g_assert_cmpint (bytes, ==, e->file_bytes * get_int (r, r->o, "success"));
    }

  for (gsize i = 0; error_kinds[i] != NULL; i++)
    {
      gint64 n = get_error (r, error_kinds[i]);
      g_assert_cmpint (n, >=, 0);
      sum += n;
    }
  ft_check (sum == get_int (r, r->o, "fail"), "errors do not add up to fail in %s", r->shown);
  {
    JsonNode *first = member (r, r->o, "first_error");
    ft_check (get_int (r, r->o, "fail") == 0
              ? JSON_NODE_HOLDS_NULL (first)
              : (JSON_NODE_HOLDS_VALUE (first) && json_node_get_value_type (first) == G_TYPE_STRING
                 && *json_node_get_string (first) != '\0'
                 && strlen (json_node_get_string (first)) <= 255),
              "first_error does not match fail in %s", r->shown);
  }
  get_bool (r, "verified");
  get_bool (r, "prepared");
}

/* A fully successful, verified run. */
static void
check_success (Result *r, const Expect *e)
{
  gboolean list = strcmp (e->operation, "list") == 0;
  double avg, total;

  check_shape (r, e);
  g_assert_cmpint (get_int (r, r->o, "success"), ==, e->clients * e->repeat);
  g_assert_cmpint (get_int (r, r->o, "fail"), ==, 0);
  for (gsize i = 0; error_kinds[i] != NULL; i++)
    ft_check (get_error (r, error_kinds[i]) == 0, "errors.%s is not 0 in %s", error_kinds[i],
              r->shown);
  ft_check (get_bool (r, "verified"), "not verified: %s", r->shown);
  ft_check (is_null (r, "first_error"), "first_error is not null: %s", r->shown);

  avg = get_number (r, r->o, "avg_time_s");
  total = get_number (r, r->o, "total_time_s");
  ft_check (avg > 0 && total > 0, "zero times in %s", r->shown);
  ft_check (avg <= total + SLACK, "avg_time_s beyond total_time_s in %s", r->shown);
  {
    /* The spread of the clients' times brackets their mean. */
    JsonObject *times = get_object (r, "client_time_s");
    double lo = get_number (r, times, "min"), mid = get_number (r, times, "p50"),
           hi = get_number (r, times, "max");

    ft_check (lo > 0 && lo <= mid && mid <= hi && hi <= total + SLACK,
              "client_time_s is not 0 < min <= p50 <= max <= total in %s", r->shown);
    ft_check (lo <= avg * (1 + 1e-9) && avg <= hi * (1 + 1e-9),
              "avg_time_s outside client_time_s min..max in %s", r->shown);
    if (e->clients == 1)
      ft_check (lo == hi, "one client, yet client_time_s min != max in %s", r->shown);
  }
  ft_check (get_number (r, get_object (r, "latency_ms"), "min") > 0,
            "latency min is 0 although operations were timed: %s", r->shown);
  if (!list)
    {
      double want_tp = (double) e->file_bytes * (double) e->repeat / avg;
      double want_agg = (double) e->file_bytes * (double) (e->clients * e->repeat) / total;
      double tp = get_number (r, r->o, "throughput_Bps");
      double agg = get_number (r, r->o, "aggregate_Bps");

      ft_check (fabs (tp - want_tp) <= 1e-6 * want_tp,
                "throughput_Bps %.17g is not file_bytes*repeat/avg_time_s = %.17g in %s",
                tp, want_tp, r->shown);
      ft_check (agg > 0, "aggregate_Bps is not positive in %s", r->shown);
      ft_check (fabs (agg - want_agg) <= 1e-6 * want_agg,
                "aggregate_Bps %.17g is not the content bytes / total_time_s = %.17g in %s",
                agg, want_agg, r->shown);
    }
}

static void
expect_init (Expect *e, const char *mode, const char *operation, double volume,
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
static void
check_summary (FtRun *run, const char * const *labels, const char * const *patterns)
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

#define SECONDS_RE "^[0-9]+\\.[0-9]{3} s$"
#define RATE_RE "^[0-9]+\\.[0-9]{2} MiB/s$"
#define MS_RE "[0-9]+\\.[0-9]{2}"
#define OPS_RE "^[0-9]+\\.[0-9]$"
#define OP_TIME_RE "^[0-9]+\\.[0-9]{3} ms$"
#define LATENCY_RE "^min " MS_RE "  p50 " MS_RE "  p90 " MS_RE "  p99 " MS_RE "  max " MS_RE "$"

/* ------------------------------------------------------------ original lines */

/* The first command line of the original tool, with a small volume. */
static void
test_original_upload (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *port = g_strdup_printf ("%u", srv->port);
  const char *args[] = { "--mode", "thread", "--operation", "upload", "--volume", "1",
                         "--client-pool", "5", "--host", "127.0.0.1", "--port", port, NULL };
  const char *labels[] = {
    "Clients", "Server", "Operation", "Client pool size", "Volume per client",
    "Average time per client",
    "Throughput per client", "Aggregate throughput", "Success/Failure", "Operations per second",
    "Time per operation", "Latency (ms)",
    "Verified", "Total duration", NULL
  };
  const char *patterns[] = {
    "^5 threads$", "^thread mode, pool 3$", "^upload$", "^5$",
    "^1 MiB \\(1048576 bytes, file_1mb\\.bin\\)$", SECONDS_RE, RATE_RE, RATE_RE, "^5/0$",
    OPS_RE, OP_TIME_RE, LATENCY_RE, "^yes", SECONDS_RE, NULL
  };
  g_autoptr(FtRun) run = pool_run_a (0, args);

  ft_run_assert_exit (run, 0);
  assert_stderr_is (run, "");
  check_summary (run, labels, patterns);
  assert_server_file_documented (srv, "file_1mb.bin", MiB);
  assert_no_temporaries (srv);
  ft_server_stop (g_steal_pointer (&srv));
}

/* The second command line of the original tool, with a small volume: the
 * file is not there, so the pool uploads it first and says so. */
static void
test_original_download (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("process", POOL, NULL);
  g_autofree char *port = g_strdup_printf ("%u", srv->port);
  const char *args[] = { "--mode", "process", "--operation", "download", "--volume", "2",
                         "--client-pool", "10", "--host", "127.0.0.1", "--port", port, NULL };
  const char *labels[] = {
    "Clients", "Server", "Operation", "Client pool size", "Volume per client",
    "Average time per client",
    "Throughput per client", "Aggregate throughput", "Success/Failure", "Operations per second",
    "Time per operation", "Latency (ms)",
    "Verified", "Total duration", NULL
  };
  const char *patterns[] = {
    "^10 processes$", "^process mode, pool 3$", "^download$", "^10$",
    "^2 MiB \\(2097152 bytes, file_2mb\\.bin\\)$", SECONDS_RE, RATE_RE, RATE_RE, "^10/0$",
    OPS_RE, OP_TIME_RE, LATENCY_RE, "^yes, every byte$", SECONDS_RE, NULL
  };
  g_autoptr(FtRun) run = pool_run_a (0, args);

  ft_run_assert_exit (run, 0);
  assert_stderr_is (run, PREFIX "file_2mb.bin was not on the server; uploaded it "
                    "(2097152 bytes) before the timed run\n");
  check_summary (run, labels, patterns);
  assert_server_file_documented (srv, "file_2mb.bin", 2 * MiB);
  ft_server_stop (g_steal_pointer (&srv));
}

/* list: no volume or throughput lines; with --repeat, the operations per
 * client line. */
static void
test_summary_list (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  const char *labels[] = {
    "Clients", "Server", "Operation", "Client pool size", "Operations per client",
    "Average time per client", "Success/Failure", "Operations per second",
    "Time per operation", "Latency (ms)", "Verified",
    "Total duration", NULL
  };
  const char *patterns[] = {
    "^3 threads$", "^thread mode, pool 3$", "^list$", "^3$", "^2$", SECONDS_RE, "^6/0$",
    OPS_RE, OP_TIME_RE, LATENCY_RE, "^yes", SECONDS_RE, NULL
  };
  g_autoptr(FtRun) run = pool_run (srv->port, "--operation", "list", "--client-pool", "3",
                                 "--repeat", "2", NULL);

  ft_run_assert_exit (run, 0);
  assert_stderr_is (run, "");
  check_summary (run, labels, patterns);
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ JSON matrix */

typedef struct {
  const char *pool_mode;
  const char *server_mode;
  const char *operation;   /* as given */
  guint       repeat;
  const char *transfer;    /* --transfer, or NULL for the default (base64) */
} MatrixCase;

static void
test_matrix (gconstpointer data)
{
  const MatrixCase *c = data;
  g_autoptr(FtServer) srv = ft_server_start (c->server_mode, POOL, NULL);
  g_autofree char *clients = g_strdup_printf ("%d", CLIENTS);
  g_autofree char *repeat = g_strdup_printf ("%u", c->repeat);
  gboolean download = strcmp (c->operation, "download") == 0 || strcmp (c->operation, "get") == 0;
  const char *reported = strcmp (c->operation, "get") == 0 ? "download" : c->operation;
  g_autoptr(FtRun) run = pool_run (srv->port, "--mode", c->pool_mode, "--operation", c->operation,
                                 "--volume", "1", "--client-pool", clients, "--repeat", repeat,
                                 "--json", c->transfer ? "--transfer" : NULL, c->transfer,
                                 NULL);
  g_autoptr(Result) r = NULL;
  Expect e;

  ft_run_assert_exit (run, 0);
  r = parse_result (run);
  expect_init (&e, c->pool_mode, reported, 1, CLIENTS, c->repeat);
  check_success (r, &e);
  g_assert_cmpstr (get_string (r, "transfer"), ==, c->transfer ? c->transfer : "base64");
  ft_check (get_bool (r, "prepared") == download, "prepared is not %s in %s",
            download ? "true" : "false", r->shown);
  if (download)
    assert_stderr_is (run, PREFIX "file_1mb.bin was not on the server; uploaded it "
                      "(1048576 bytes) before the timed run\n");
  else
    assert_stderr_is (run, "");
  if (strcmp (c->operation, "list") == 0)
    {
      g_auto(GStrv) entries = ft_dir_entries (srv->root);
      ft_check (entries[0] == NULL, "list put files in the root");
    }
  else
    assert_server_file_documented (srv, "file_1mb.bin", MiB);
  assert_no_temporaries (srv);
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ preparation */

/* A download run finds the file missing and uploads it first; the next
 * run finds it and does not. */
static void
test_prepare (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autoptr(FtRun) first = pool_run (srv->port, "--operation", "download", "--volume", "1",
                                   "--client-pool", "3", "--json", NULL);
  g_autoptr(FtRun) second = NULL;
  g_autoptr(Result) r1 = NULL;
  g_autoptr(Result) r2 = NULL;
  Expect e;

  ft_run_assert_exit (first, 0);
  assert_stderr_is (first, PREFIX "file_1mb.bin was not on the server; uploaded it "
                    "(1048576 bytes) before the timed run\n");
  r1 = parse_result (first);
  expect_init (&e, "thread", "download", 1, 3, 1);
  check_success (r1, &e);
  ft_check (get_bool (r1, "prepared"), "first run: prepared is not true: %s", r1->shown);
  assert_server_file_documented (srv, "file_1mb.bin", MiB);

  second = pool_run (srv->port, "--operation", "get", "--volume", "1.0", "--client-pool", "3",
                     "--json", NULL);
  ft_run_assert_exit (second, 0);
  assert_stderr_is (second, "");
  r2 = parse_result (second);
  check_success (r2, &e);
  ft_check (!get_bool (r2, "prepared"), "second run: prepared is not false: %s", r2->shown);
  ft_server_stop (g_steal_pointer (&srv));
}

/* A fractional volume names and sizes the file as documented. */
static void
test_fractional_volume (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autoptr(FtRun) up = pool_run (srv->port, "--operation", "upload", "--volume", "0.5",
                                "--client-pool", "2", "--json", NULL);
  g_autoptr(FtRun) down = NULL;
  g_autoptr(Result) r = NULL;
  g_autoptr(Result) r2 = NULL;
  Expect e;

  ft_run_assert_exit (up, 0);
  r = parse_result (up);
  expect_init (&e, "thread", "upload", 0.5, 2, 1);
  check_success (r, &e);
  assert_server_file_documented (srv, "file_0.5mb.bin", MiB / 2);

  down = pool_run (srv->port, "--mode", "process", "--volume", "0.5", "--client-pool", "2",
                   "--json", NULL);
  ft_run_assert_exit (down, 0);
  assert_stderr_is (down, "");
  r2 = parse_result (down);
  expect_init (&e, "process", "download", 0.5, 2, 1);
  check_success (r2, &e);
  ft_check (!get_bool (r2, "prepared"), "prepared after an upload run: %s", r2->shown);

  {
    g_autoptr(FtRun) odd = pool_run (srv->port, "--operation", "upload", "--volume", "0.3",
                                   "--client-pool", "1", "--json", NULL);
    g_autoptr(Result) r3 = NULL;

    ft_run_assert_exit (odd, 0);
    r3 = parse_result (odd);
    expect_init (&e, "thread", "upload", 0.3, 1, 1);
    g_assert_cmpint (e.file_bytes, ==, 314573);
    check_success (r3, &e);
    assert_server_file_documented (srv, "file_0.3mb.bin", 314573);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* --no-verify: everything succeeds, and the result never says verified. */
static void
test_no_verify (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autoptr(FtRun) run = pool_run (srv->port, "--volume", "1", "--client-pool", "2",
                                 "--no-verify", "--json", NULL);
  g_autoptr(Result) r = NULL;
  Expect e;

  ft_run_assert_exit (run, 0);
  r = parse_result (run);
  expect_init (&e, "thread", "download", 1, 2, 1);
  check_shape (r, &e);
  g_assert_cmpint (get_int (r, r->o, "success"), ==, 2);
  ft_check (!get_bool (r, "verified"), "verified with --no-verify: %s", r->shown);
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ corrupt content */

/* Places file_1mb.bin with a first pool run (upload), checking it. */
static void
place_file (FtServer *srv)
{
  g_autoptr(FtRun) up = pool_run (srv->port, "--operation", "upload", "--volume", "1",
                                "--client-pool", "1", "--json", NULL);
  ft_run_assert_exit (up, 0);
  assert_server_file_documented (srv, "file_1mb.bin", MiB);
}

static void
flip_byte (FtServer *srv, const char *name, off_t offset)
{
  g_autofree char *path = g_build_filename (srv->root, name, NULL);
  int fd = open (path, O_RDWR);
  guint8 b;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pread (fd, &b, 1, offset), ==, 1);
  b ^= 0x5a;
  g_assert_cmpint (pwrite (fd, &b, 1, offset), ==, 1);
  g_assert_cmpint (close (fd), ==, 0);
}

/* A download run against a wrong file: every download fails as corrupt,
 * the result is printed all the same and the exit status is 1. */
static void
check_all_corrupt_as (FtServer *srv, const char *pool_mode, const char *transfer)
{
  g_autoptr(FtRun) run = pool_run (srv->port, "--mode", pool_mode, "--volume", "1",
                                 "--client-pool", "3", "--transfer", transfer, "--json", NULL);
  g_autoptr(Result) r = NULL;
  Expect e;

  ft_run_assert_exit (run, 1);
  assert_stderr_is (run, "");
  r = parse_result (run);
  expect_init (&e, pool_mode, "download", 1, 3, 1);
  check_shape (r, &e);
  g_assert_cmpint (get_int (r, r->o, "success"), ==, 0);
  g_assert_cmpint (get_int (r, r->o, "fail"), ==, 3);
  for (gsize i = 0; error_kinds[i] != NULL; i++)
    ft_check (get_error (r, error_kinds[i]) == (strcmp (error_kinds[i], "corrupt") == 0 ? 3 : 0),
              "errors.%s is wrong in %s", error_kinds[i], r->shown);
  ft_check (!get_bool (r, "verified"), "verified although corrupt: %s", r->shown);
  ft_check (!get_bool (r, "prepared"), "prepared although the file was there: %s", r->shown);
  g_assert_cmpstr (get_string (r, "transfer"), ==, transfer);
  ft_note ("first_error: %s", get_string (r, "first_error"));
}

static void
check_all_corrupt (FtServer *srv, const char *pool_mode)
{
  check_all_corrupt_as (srv, pool_mode, "base64");
}

static void
test_tampered (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);

  place_file (srv);
  flip_byte (srv, "file_1mb.bin", MiB / 2 + 1);
  check_all_corrupt (srv, "thread");
  /* Raw bytes are checked as closely. */
  check_all_corrupt_as (srv, "process", "raw");

  /* The summary says so too: NO, and the two failure lines. */
  {
    const char *labels[] = {
      "FAILURES", "Clients", "Server", "Operation", "Client pool size", "Volume per client",
      "Average time per client",
      "Throughput per client", "Aggregate throughput", "Success/Failure",
      "Operations per second", "Time per operation", "Latency (ms)",
      "Verified", "Errors", "First error", "Total duration", NULL
    };
    const char *patterns[] = {
      "^2 of 2 operations failed; throughput counts only the 0 that succeeded$",
      "^2 threads$", "^thread mode, pool 3$", "^download$", "^2$",
      "^1 MiB \\(1048576 bytes, file_1mb\\.bin\\)$", SECONDS_RE, RATE_RE, RATE_RE, "^0/2$",
      "^0\\.0$", OP_TIME_RE, LATENCY_RE, "^NO$", "^corrupt 2$", ".", SECONDS_RE, NULL
    };
    g_autoptr(FtRun) run = pool_run (srv->port, "--volume", "1", "--client-pool", "2", NULL);

    ft_run_assert_exit (run, 1);
    assert_stderr_is (run, "");
    check_summary (run, labels, patterns);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

static void
test_truncated (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("process", POOL, NULL);
  g_autofree char *path = NULL;

  place_file (srv);
  path = g_build_filename (srv->root, "file_1mb.bin", NULL);
  g_assert_cmpint (truncate (path, MiB - 1000), ==, 0);
  check_all_corrupt (srv, "process");
  ft_server_stop (g_steal_pointer (&srv));
}

static void
test_extended (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *path = NULL;

  place_file (srv);
  path = g_build_filename (srv->root, "file_1mb.bin", NULL);
  g_assert_cmpint (truncate (path, MiB + 1), ==, 0);
  check_all_corrupt (srv, "thread");
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ server errors */

/* The test file's name is taken by a directory: uploads are refused by
 * the server (counted as server), and a download run cannot prepare the
 * file (exit 3, no result). */
static void
test_server_refuses (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = NULL;
  g_autoptr(FtRun) up = NULL;
  g_autoptr(FtRun) down = NULL;
  g_autoptr(Result) r = NULL;
  g_autofree char *msg = NULL;
  Expect e;

  {
    /* the server creates the root on start; one request makes sure */
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    g_strfreev (ft_list (conn));
  }
  dir = g_build_filename (srv->root, "file_1mb.bin", NULL);
  g_assert_cmpint (mkdir (dir, 0755), ==, 0);
  ft_write_file (dir, "inside", "x", 1);

  up = pool_run (srv->port, "--operation", "upload", "--volume", "1", "--client-pool", "2",
                 "--json", NULL);
  ft_run_assert_exit (up, 1);
  r = parse_result (up);
  expect_init (&e, "thread", "upload", 1, 2, 1);
  check_shape (r, &e);
  g_assert_cmpint (get_int (r, r->o, "fail"), ==, 2);
  g_assert_cmpint (get_error (r, "server"), ==, 2);
  ft_check (!get_bool (r, "verified"), "verified although refused: %s", r->shown);

  down = pool_run (srv->port, "--operation", "download", "--volume", "1", "--client-pool", "2",
                   "--json", NULL);
  ft_run_assert_exit (down, 3);
  msg = assert_one_error_line (down);
  ft_note ("cannot prepare: %s", msg);
  assert_no_temporaries (srv);
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ no server */

static void
test_refused (gconstpointer data G_GNUC_UNUSED)
{
  guint16 port = ft_closed_port ();
  const char *ops[] = { "list", "upload", "download", NULL };

  for (gsize i = 0; ops[i] != NULL; i++)
    {
      g_autoptr(FtRun) json = pool_run (port, "--operation", ops[i], "--volume", "1",
                                      "--client-pool", "3", "--json", NULL);
      g_autoptr(FtRun) summary = pool_run (port, "--operation", ops[i], "--volume", "1",
                                         "--client-pool", "3", "--mode", "process", NULL);
      FtRun *runs[] = { json, summary };

      for (gsize k = 0; k < G_N_ELEMENTS (runs); k++)
        {
          g_autofree char *msg = NULL;

          ft_run_assert_exit (runs[k], 3);
          msg = assert_one_error_line (runs[k]);
          ft_note ("%s: %s", runs[k]->cmd, msg);
        }
    }
}

/* ------------------------------------------------------------ stalls, crashes */

/* The live children of pid: from /proc/PID/task/TID/children where the
 * kernel has them, else by scanning /proc for the parent pid. */
static GArray *
children_of (pid_t pid)
{
  g_autofree char *task_dir = g_strdup_printf ("/proc/%d/task", (int) pid);
  g_autoptr(GDir) d = g_dir_open (task_dir, 0, NULL);
  GArray *kids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  gboolean have_files = FALSE;
  const char *tid;

  while (d != NULL && (tid = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (task_dir, tid, "children", NULL);
      g_autofree char *text = NULL;
      g_auto(GStrv) words = NULL;

      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;
      have_files = TRUE;
      words = g_strsplit_set (g_strstrip (text), " \n", -1);
      for (gsize i = 0; words[i] != NULL; i++)
        if (*words[i] != '\0')
          {
            pid_t kid = (pid_t) atoi (words[i]);
            if (ft_proc_alive (kid))
              g_array_append_val (kids, kid);
          }
    }
  if (have_files)
    return kids;
  g_array_unref (kids);
  return ft_proc_children (pid);
}

/* Every client stalls on a stopped server: each gives up after --timeout
 * and the run ends, all failures counted as timeouts. */
static void
test_stalled (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *port = g_strdup_printf ("%u", srv->port);
  const char *args[] = { "--operation", "list", "--client-pool", "3", "--timeout", "1",
                         "--json", "--port", port, NULL };
  g_autoptr(FtRun) run = NULL;
  g_autoptr(Result) r = NULL;
  Expect e;

  g_assert_cmpint (kill (srv->pid, SIGSTOP), ==, 0);
  run = pool_start_a (0, args);
  {
    double t0 = ft_now ();
    gboolean finished;

    while (!run->done && ft_now () - t0 < 10)
      {
        ft_run_poll (run);
        if (!run->done)
          g_usleep (10 * 1000);
      }
    finished = run->done;
    kill (srv->pid, SIGCONT);
    if (!finished)
      ft_run_wait (run, 10);
    ft_check (finished, "%s: still running 10 s after it started with --timeout 1", run->cmd);
  }
  ft_run_assert_exit (run, 1);
  assert_stderr_is (run, "");
  r = parse_result (run);
  expect_init (&e, "thread", "list", 1, 3, 1);
  e.volume = 10;  /* the default, reported for list too */
  e.file = "file_10mb.bin";
  e.file_bytes = 10 * MiB;
  check_shape (r, &e);
  g_assert_cmpint (get_int (r, r->o, "fail"), ==, 3);
  g_assert_cmpint (get_error (r, "timeout"), ==, 3);
  ft_check (!get_bool (r, "verified"), "verified although failed: %s", r->shown);
  ft_check (get_number (r, get_object (r, "latency_ms"), "min") >= 900,
            "a timed-out operation took less than the 1 s timeout: %s", r->shown);
  ft_server_stop (g_steal_pointer (&srv));
}

/* A client process killed while it waits on a stopped server: the pool
 * does not hang, counts it as crashed and the others as timeouts. */
static void
test_crashed_client (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *port = g_strdup_printf ("%u", srv->port);
  const char *args[] = { "--mode", "process", "--operation", "list", "--client-pool", "3",
                         "--timeout", "3", "--json", "--port", port, NULL };
  g_autoptr(FtRun) run = NULL;
  g_autoptr(GArray) kids = NULL;
  g_autoptr(Result) r = NULL;
  pid_t pool_pid, victim;
  double deadline;
  gboolean finished;
  Expect e;

  g_assert_cmpint (kill (srv->pid, SIGSTOP), ==, 0);
  run = pool_start_a (0, args);
  pool_pid = (pid_t) atoi (g_subprocess_get_identifier (run->proc));

  deadline = ft_now () + 10;
  for (;;)
    {
      g_clear_pointer (&kids, g_array_unref);
      kids = children_of (pool_pid);
      ft_run_poll (run);
      if (kids->len == 3 || run->done || ft_now () > deadline)
        break;
      g_usleep (10 * 1000);
    }
  if (kids->len != 3)
    {
      kill (srv->pid, SIGCONT);
      ft_fail ("the pool (pid %d) has %u client processes, expected 3 (pool %s)",
               (int) pool_pid, kids->len, run->done ? "exited" : "running");
    }
  victim = g_array_index (kids, pid_t, 0);
  g_assert_cmpint (kill (victim, SIGKILL), ==, 0);

  deadline = ft_now () + 15;
  while (!run->done && ft_now () < deadline)
    {
      ft_run_poll (run);
      if (!run->done)
        g_usleep (10 * 1000);
    }
  finished = run->done;
  kill (srv->pid, SIGCONT);
  if (!finished)
    ft_run_wait (run, 5);
  ft_check (finished, "the pool did not exit within 15 s of the kill of a client process");

  ft_run_assert_exit (run, 1);
  assert_stderr_is (run, "");
  r = parse_result (run);
  expect_init (&e, "process", "list", 1, 3, 1);
  e.volume = 10;
  e.file = "file_10mb.bin";
  e.file_bytes = 10 * MiB;
  check_shape (r, &e);
  g_assert_cmpint (get_int (r, r->o, "success"), ==, 0);
  g_assert_cmpint (get_int (r, r->o, "fail"), ==, 3);
  g_assert_cmpint (get_error (r, "crashed"), ==, 1);
  g_assert_cmpint (get_error (r, "timeout"), ==, 2);
  ft_check (!get_bool (r, "verified"), "verified although failed: %s", r->shown);
  for (guint i = 0; i < kids->len; i++)
    ft_check (!ft_proc_alive (g_array_index (kids, pid_t, i)),
              "client process %d outlives the pool", (int) g_array_index (kids, pid_t, i));
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ usage */

typedef struct {
  const char *path;
  const char *args[6];
} UsageCase;

static const UsageCase usage_cases[] = {
  { "/pool/usage/client-pool-0", { "--client-pool", "0", NULL } },
  { "/pool/usage/client-pool-10001", { "--client-pool", "10001", NULL } },
  { "/pool/usage/volume-0", { "--volume", "0", NULL } },
  { "/pool/usage/transfer-bogus", { "--transfer", "binary", NULL } },
  { "/pool/usage/volume-negative", { "--volume", "-1", NULL } },
  { "/pool/usage/volume-too-large", { "--volume", "1048577", NULL } },
  { "/pool/usage/volume-nan", { "--volume=nan", NULL } },
  { "/pool/usage/volume-text", { "--volume", "ten", NULL } },
  { "/pool/usage/mode-bogus", { "--mode", "bogus", NULL } },
  { "/pool/usage/operation-bogus", { "--operation", "bogus", NULL } },
  { "/pool/usage/repeat-0", { "--repeat", "0", NULL } },
  { "/pool/usage/timeout-0", { "--timeout", "0", NULL } },
  { "/pool/usage/port-0", { "--port", "0", NULL } },
  { "/pool/usage/port-65536", { "--port", "65536", NULL } },
  { "/pool/usage/stray-argument", { "--operation", "list", "stray", NULL } },
  { "/pool/usage/unknown-option", { "--bogus", NULL } },
};

/* Usage errors come before any connection: --port points at a closed port
 * (unless the case sets its own), where a run would exit 3. */
static void
test_usage (gconstpointer data)
{
  const UsageCase *c = data;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *port = g_strdup_printf ("%u", ft_closed_port ());
  g_autoptr(FtRun) run = NULL;
  g_autofree char *msg = NULL;
  gboolean has_port = FALSE;

  for (gsize i = 0; c->args[i] != NULL; i++)
    {
      if (g_str_has_prefix (c->args[i], "--port"))
        has_port = TRUE;
      g_ptr_array_add (args, (char *) c->args[i]);
    }
  if (!has_port)
    {
      g_ptr_array_add (args, (char *) "--port");
      g_ptr_array_add (args, port);
    }
  g_ptr_array_add (args, NULL);
  run = pool_run_a (0, (const char * const *) args->pdata);
  ft_run_assert_exit (run, 2);
  msg = assert_one_error_line (run);
  ft_note ("%s: %s", c->path, msg);
}

/* A result that cannot be written (standard output on a full disk):
 * exit 1 and one line, whichever the output form. */
static void
test_stdout_full (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  const char *json[] = { "--operation", "list", "--json", NULL };
  const char *summary[] = { "--operation", "list", NULL };
  const char * const *argss[] = { json, summary };

  for (gsize i = 0; i < G_N_ELEMENTS (argss); i++)
    {
      g_autoptr(GPtrArray) argv = pool_argv (srv->port, argss[i]);
      g_autoptr(FtRun) run = ft_run_start (NULL, NULL, "/dev/full", (const char * const *) argv->pdata);
      g_autofree char *msg = NULL;

      ft_run_wait (run, RUN_TIMEOUT);
      ft_run_assert_exit (run, 1);
      msg = assert_one_error_line (run);
      ft_note ("%s", msg);
    }
  ft_server_stop (g_steal_pointer (&srv));
}

static void
test_help (gconstpointer data G_GNUC_UNUSED)
{
  const char *args[] = { "--help", NULL };
  const char *words[] = { "--mode", "--operation", "--volume", "--client-pool", "--repeat",
                          "--port", "--timeout", "--json", "--no-verify", NULL };
  g_autoptr(FtRun) run = pool_run_a (0, args);
  g_autofree char *out = ft_run_stdout_text (run);

  ft_run_assert_exit (run, 0);
  assert_stderr_is (run, "");
  for (gsize i = 0; words[i] != NULL; i++)
    ft_check (strstr (out, words[i]) != NULL, "--help does not mention %s:\n%s", words[i], out);
}

static void
test_version (gconstpointer data G_GNUC_UNUSED)
{
  const char *args[] = { "--version", NULL };
  g_autoptr(FtRun) run = pool_run_a (0, args);
  g_autofree char *out = ft_run_stdout_text (run);

  ft_run_assert_exit (run, 0);
  assert_stderr_is (run, "");
  g_assert_cmpstr (out, ==, "filestorm-pool (filestorm) 0.1.0\n");
}

int
main (int argc, char **argv)
{
  static const char * const modes[] = { "thread", "process" };
  static const char * const ops[] = { "upload", "download", "get", "list" };
  static MatrixCase matrix[G_N_ELEMENTS (modes) * G_N_ELEMENTS (modes) * G_N_ELEMENTS (ops)];
  static const MatrixCase repeats[] = {
    { "thread", "thread", "download", 3 },
    { "process", "process", "upload", 3 },
    { "process", "thread", "list", 3 },
  };
  static const MatrixCase raw[] = {
    { "thread", "process", "download", 2, "raw" },
    { "process", "thread", "download", 1, "raw" },
    { "thread", "thread", "upload", 2, "raw" },
    { "process", "process", "upload", 1, "raw" },
  };
  gsize n = 0;

  ft_init ();
  g_test_init (&argc, &argv, NULL);

  ft_test_add ("/pool/original/thread-upload", test_original_upload, NULL);
  ft_test_add ("/pool/original/process-download", test_original_download, NULL);
  ft_test_add ("/pool/summary/list", test_summary_list, NULL);
  for (gsize p = 0; p < G_N_ELEMENTS (modes); p++)
    for (gsize s = 0; s < G_N_ELEMENTS (modes); s++)
      for (gsize o = 0; o < G_N_ELEMENTS (ops); o++)
        {
          g_autofree char *path = g_strdup_printf ("/pool/json/%s-pool/%s-server/%s", modes[p],
                                                   modes[s], ops[o]);
          matrix[n] = (MatrixCase) { modes[p], modes[s], ops[o], 1 };
          ft_test_add (path, test_matrix, &matrix[n]);
          n++;
        }
  for (gsize i = 0; i < G_N_ELEMENTS (repeats); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pool/repeat/%s-pool/%s-server/%s",
                                               repeats[i].pool_mode, repeats[i].server_mode,
                                               repeats[i].operation);
      ft_test_add (path, test_matrix, &repeats[i]);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (raw); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pool/raw/%s-pool/%s-server/%s",
                                               raw[i].pool_mode, raw[i].server_mode,
                                               raw[i].operation);
      ft_test_add (path, test_matrix, &raw[i]);
    }
  ft_test_add ("/pool/download/prepare", test_prepare, NULL);
  ft_test_add ("/pool/download/tampered", test_tampered, NULL);
  ft_test_add ("/pool/download/truncated", test_truncated, NULL);
  ft_test_add ("/pool/download/extended", test_extended, NULL);
  ft_test_add ("/pool/volume/fraction", test_fractional_volume, NULL);
  ft_test_add ("/pool/no-verify", test_no_verify, NULL);
  ft_test_add ("/pool/server-refuses", test_server_refuses, NULL);
  ft_test_add ("/pool/connect/refused", test_refused, NULL);
  ft_test_add ("/pool/stall/timeout", test_stalled, NULL);
  ft_test_add ("/pool/stall/crashed-client", test_crashed_client, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (usage_cases); i++)
    ft_test_add (usage_cases[i].path, test_usage, &usage_cases[i]);
  ft_test_add ("/pool/stdout-full", test_stdout_full, NULL);
  ft_test_add ("/pool/help", test_help, NULL);
  ft_test_add ("/pool/version", test_version, NULL);
  return g_test_run ();
}
