/* stress-pool.c: one pool of filestorm-stress against a scenario's
 * server: its command line, its cost and the server's while it runs, and
 * what its JSON says. */
#include "config.h"

#include "stress-pool.h"

#include <math.h>
#include <string.h>

#include "content.h"
#include "cost.h"
#include "errors.h"
#include "json-member.h"
#include "util.h"

/* Milliseconds between samples of the server's memory while the pool
 * runs. A sample of a 50-worker process-mode server (listing /proc, then
 * status and smaps_rollup of 51 processes) took 3.8 to 6.4 ms here (2-core AMD
 * EPYC VM, tests/bench-cost.c), so one a second costs under 1% of a core
 * while the pool runs; the last sample, as the pool ends, is always
 * taken, and VmHWM is a peak the kernel keeps. */
#define SAMPLE_INTERVAL_MS 1000

static gboolean
parse_pool_json (const char *text, FsResultRow *row, guint64 *setup, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *obj, *latency;

  if (!json_parser_load_from_data (parser, text, -1, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_PROTOCOL, "not a JSON object");
      return FALSE;
    }
  obj = json_node_get_object (json_parser_get_root (parser));
  row->avg_time_s = fs_json_double (obj, "avg_time_s");
  row->throughput_Bps = fs_json_double (obj, "throughput_Bps");
  row->aggregate_Bps = fs_json_double (obj, "aggregate_Bps");
  row->total_time_s = fs_json_double (obj, "total_time_s");
  row->success = (guint64) json_object_get_int_member_with_default (obj, "success", 0);
  row->fail = (guint64) json_object_get_int_member_with_default (obj, "fail", 0);
  row->verified = json_object_get_boolean_member_with_default (obj, "verified", FALSE);
  row->volume_bytes = (guint64) json_object_get_int_member_with_default (obj, "file_bytes", 0);
  /* filestorm-pool-mpi says over how many ranks it ran; filestorm-pool
   * does not, and is one process (the row's ranks already). */
  if (json_object_has_member (obj, "ranks"))
    row->ranks = (guint) CLAMP (json_object_get_int_member_with_default (obj, "ranks", 1), 1,
                                G_MAXINT);
  /* The pool's own word on its clients' model: the evidence that the
   * client mode, not the server's, chose it. */
  if (!fs_mode_parse (json_object_get_string_member_with_default (obj, "mode", NULL),
                      &row->pool_mode, NULL))
    row->pool_mode = fs_scenario_pool_mode (&row->scenario);
  /* The idle connections are sessions of the server's too, that ended
   * when the pool closed them: counted with the setup ones. */
  *setup = (guint64) json_object_get_int_member_with_default (obj, "setup_connections", 0)
           + (guint64) json_object_get_int_member_with_default (obj, "idle_connections", 0);
  /* The steady state: a pool from before it (--repeat only) gives none
   * of these, and the figures fall back on what it did say. */
  row->duration_s = fs_json_double (obj, "duration_s");
  row->warmup_s = fs_json_double (obj, "warmup_s");
  row->operations = (guint64) json_object_get_int_member_with_default (obj, "operations",
                                                                        row->success + row->fail);
  row->has_window = json_object_has_member (obj, "window_s")
                    && json_object_has_member (obj, "ops_per_s")
                    && json_object_has_member (obj, "avg_op_time_s");
  row->window_s = fs_json_double (obj, "window_s");
  row->ops_per_s = fs_json_double (obj, "ops_per_s");
  row->avg_op_time_s = fs_json_double (obj, "avg_op_time_s");
  if (json_object_has_member (obj, "open_loop")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "open_loop")))
    row->offered_ops_per_s = fs_json_double (json_object_get_object_member (obj, "open_loop"),
                                             "offered_ops_per_s");
  row->warmup_operations =
    (guint64) json_object_get_int_member_with_default (obj, "warmup_operations", 0);
  row->warmup_fail = (guint64) json_object_get_int_member_with_default (obj, "warmup_fail", 0);
  /* The pool process's peak RSS, or its largest client process's. */
  row->pool_peak_rss_kib =
    (guint64) MAX (json_object_get_int_member_with_default (obj, "peak_rss_kib", 0),
                   json_object_get_int_member_with_default (obj, "client_peak_rss_kib", 0));
  if (json_object_has_member (obj, "client_time_s")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "client_time_s")))
    {
      JsonObject *times = json_object_get_object_member (obj, "client_time_s");

      row->client_time_min_s = fs_json_double (times, "min");
      row->client_time_p50_s = fs_json_double (times, "p50");
      row->client_time_max_s = fs_json_double (times, "max");
    }
  if (json_object_has_member (obj, "errors")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "errors")))
    {
      JsonObject *errors = json_object_get_object_member (obj, "errors");

      for (int i = 0; i < FS_CLIENT_N_ERRORS; i++)
        row->errors[i] = (guint64) json_object_get_int_member_with_default (
          errors, fs_client_error_name ((FsClientError) i), 0);
      row->crashed = (guint64) json_object_get_int_member_with_default (errors, "crashed", 0);
    }
  if (json_object_has_member (obj, "latency_ms")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "latency_ms")))
    {
      latency = json_object_get_object_member (obj, "latency_ms");
      row->p50_ms = fs_json_double (latency, "p50");
      row->p90_ms = fs_json_double (latency, "p90");
      row->p99_ms = fs_json_double (latency, "p99");
      row->max_ms = fs_json_double (latency, "max");
    }
  /* A failure in the warm-up fails the run too (the pool exits 1), and
   * the error says where it was, since no measured figure shows it. */
  if ((row->fail > 0 || row->warmup_fail > 0)
      && json_object_get_string_member_with_default (obj, "first_error", NULL))
    row->error = g_strdup_printf ("client: %s%s", row->fail == 0 ? "in the warm-up: " : "",
                                  json_object_get_string_member (obj, "first_error"));
  else if (row->warmup_fail > 0)
    row->error = g_strdup_printf ("client: %" G_GUINT64_FORMAT " operation(s) failed in the "
                                  "warm-up", row->warmup_fail);
  return TRUE;
}

/* The line of a failed pool's stderr that says why (owned), or NULL: the
 * last of its own (filestorm-pool: or filestorm-pool-mpi:; a note that
 * it uploaded the file may come before), else the first that is not
 * empty. A launcher adds banners of its own around it (mpirun's are a
 * dozen lines), and a row's error is one line. */
static char *
pool_message (const char *err)
{
  g_auto(GStrv) lines = g_strsplit (err, "\n", -1);
  const char *own = NULL, *first = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (g_str_has_prefix (lines[i], "filestorm-pool"))
        own = lines[i];
      if (first == NULL && lines[i][0] != '\0')
        first = lines[i];
    }
  return g_strdup (own != NULL ? own : first);
}

static gboolean
on_sample (gpointer data)
{
  fs_cost_probe_sample (data);
  return G_SOURCE_CONTINUE;
}

guint
fs_stress_pool_timeout (const FsStressConfig *config, const FsScenario *scenario)
{
  guint bound = (guint) ceil (config->warmup + config->duration) + FS_STRESS_IDLE_SLACK;

  return scenario->idle > 0 ? MIN (config->timeout, bound) : config->timeout;
}

guint
fs_stress_server_idle_timeout (const FsStressConfig *config, const FsScenario *scenario)
{
  if (scenario->idle == 0)
    return 0;
  return (guint) ceil (config->warmup + config->duration)
         + 2 * fs_stress_pool_timeout (config, scenario) + 60;
}

void
fs_stress_row_init (FsResultRow *row, const FsStressConfig *config, const FsScenario *scenario,
                    guint round)
{
  memset (row, 0, sizeof *row);
  row->scenario = *scenario;
  row->round = round;
  row->quick = config->quick;
  row->pool_cpu_s = -1;
  row->volume_bytes = fs_content_size (scenario->volume_mb);
  /* What the pool was started over, until it says (a failed one may not). */
  row->ranks = config->ranks;
}

gboolean
fs_stress_run_pool (const FsStressConfig *config, const FsScenario *scenario,
                    const FsStressServer *server, GCancellable *interrupt, double rate,
                    FsResultRow *row, guint64 *setup, GError **error)
{
  g_autofree char *volume = g_malloc (G_ASCII_DTOSTR_BUF_SIZE);
  g_autofree char *clients = g_strdup_printf ("%u", scenario->client_pool);
  g_autofree char *port_s = g_strdup_printf ("%u", fs_stress_server_port (server));
  g_autofree char *timeout = g_strdup_printf ("%u", fs_stress_pool_timeout (config, scenario));
  g_autofree char *idle = g_strdup_printf ("%u", scenario->idle);
  g_autofree char *repeat = g_strdup_printf ("%u", config->repeat);
  char duration[G_ASCII_DTOSTR_BUF_SIZE], warmup[G_ASCII_DTOSTR_BUF_SIZE];
  char rate_s[G_ASCII_DTOSTR_BUF_SIZE];
  const char *pool_argv[] = {
    /* --mode is the client mode's, not the server's (unless it is same):
     * one load generator for both server models, with or without a
     * launcher.
     * --no-prepare: the file is already in the root (place_file()), and
     * the pool's check for it would be a connection the server counts.
     * Another server's root is its own: the pool uploads the file there. */
    config->pool_path, "--json", "--mode", fs_mode_name (fs_scenario_pool_mode (scenario)),
    "--operation", fs_pool_operation_name (scenario->operation),
    "--transfer", fs_pool_transfer_name (scenario->transfer), "--volume", volume,
    "--client-pool", clients, "--host", fs_stress_server_host (server), "--port", port_s,
    "--timeout", timeout,
    /* A count, or a time after a warm-up: filestorm-pool and
     * filestorm-pool-mpi both take either. */
    config->duration > 0 ? "--duration" : "--repeat",
    config->duration > 0 ? g_ascii_dtostr (duration, sizeof duration, config->duration) : repeat,
    /* last: a NULL here ends the list */
    fs_stress_server_serves_root (server) ? "--no-prepare" : NULL, NULL
  };
  /* The launcher's words (mpirun -n 4 ...), then the pool's. */
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GCancellable) gave_up = g_cancellable_new ();
  g_autofree char *out = NULL, *err = NULL, *message = NULL;
  g_autoptr(FsCostProbe) probe = NULL;
  /* 0 once the server has exited and been reaped: no cost then. */
  pid_t server_pid = fs_stress_server_pid (server);
  double pool_cpu;
  guint sampler;
  int status;

  g_ascii_dtostr (volume, G_ASCII_DTOSTR_BUF_SIZE, scenario->volume_mb);
  for (guint i = 0; config->launcher != NULL && config->launcher[i] != NULL; i++)
    g_ptr_array_add (argv, config->launcher[i]);
  for (gsize i = 0; pool_argv[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) pool_argv[i]);
  /* The idle connections, held by the pool (by rank 0 of
   * filestorm-pool-mpi) for the whole run. */
  if (scenario->idle > 0)
    {
      g_ptr_array_add (argv, (gpointer) "--idle-connections");
      g_ptr_array_add (argv, idle);
    }
  if (config->duration > 0)
    {
      g_ptr_array_add (argv, (gpointer) "--warmup");
      g_ptr_array_add (argv, g_ascii_dtostr (warmup, sizeof warmup, config->warmup));
    }
  /* A step of a capacity search: the open loop at that rate. */
  if (rate > 0)
    {
      g_ptr_array_add (argv, (gpointer) "--rate");
      g_ptr_array_add (argv, g_ascii_dtostr (rate_s, sizeof rate_s, rate));
      g_ptr_array_add (argv, (gpointer) "--arrival");
      g_ptr_array_add (argv, (gpointer) fs_arrival_name (config->arrival));
    }
  /* filestorm-pool-mpi keeps to loopback unless told: --target's
   * --allow-remote tells it too. */
  if (config->launcher != NULL && config->allow_remote)
    g_ptr_array_add (argv, (gpointer) "--allow-remote");
  g_ptr_array_add (argv, NULL);
  /* The window opens before the pool starts and closes once it has been
   * waited for: the server serves nothing else in between, and the pool's
   * start-up and exit are a few milliseconds of it. */
  probe = server_pid > 0 ? fs_cost_probe_start (server_pid) : NULL;
  pool_cpu = fs_cost_children_cpu ();
  proc = fs_stress_spawn ((const char *const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, NULL,
                error);
  if (proc == NULL)
    return FALSE;
  sampler = probe != NULL ? g_timeout_add (SAMPLE_INTERVAL_MS, on_sample, probe) : 0;
  g_subprocess_communicate_utf8_async (proc, NULL, gave_up, fs_stress_keep_result, &done);
  /* The pool bounds its own time with --timeout on every connect, read
   * and write; only an interruption cuts it short. */
  while (done == NULL && !g_cancellable_is_cancelled (interrupt))
    g_main_context_iteration (NULL, TRUE);
  if (sampler != 0)
    g_source_remove (sampler);
  if (done == NULL)
    {
      g_autoptr(GError) stuck = NULL;

      /* communicate() ends once the pool has been reaped, or cancelled. */
      if (!fs_stress_kill_and_reap (proc, &stuck))
        g_cancellable_cancel (gave_up);
      while (done == NULL)
        g_main_context_iteration (NULL, TRUE);
      if (stuck != NULL)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "interrupted, and the pool's %s",
                       stuck->message);
          return FALSE;
        }
      return !g_cancellable_set_error_if_cancelled (interrupt, error);
    }
  /* communicate() has waited for the pool, so its time is counted. */
  if (probe != NULL)
    fs_cost_probe_finish (probe, &row->server);
  row->pool_cpu_s = MAX (fs_cost_children_cpu () - pool_cpu, 0);
  if (!g_subprocess_communicate_utf8_finish (proc, done, &out, &err, error))
    return FALSE;

  status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
  if ((status == 0 || status == 1) && parse_pool_json (out, row, setup, NULL))
    return TRUE;
  message = pool_message (err);
  if (status < 0)
    g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "the pool was killed by a signal: %s",
                 message != NULL ? message : "no message");
  else
    g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "the pool failed (exit status %d): %s",
                 status, message != NULL ? message : "no message");
  return FALSE;
}

