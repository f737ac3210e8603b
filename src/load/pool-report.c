/* pool-report.c: what a pool run's result says, as numbers, JSON and the
 * summary people read. */
#include "config.h"

#include "pool.h"
#include "protocol.h"

#include <signal.h>
#include <sys/resource.h>

guint64
fs_pool_result_counted_bytes (const FsPoolResult *r)
{
  return r->config.verify ? r->total.verified_bytes : r->total.bytes;
}

/* Failed operations move no counted bytes, so a pool whose uploads all
 * failed shows 0, not the volume over the time it took to fail. */
double
fs_pool_result_throughput (const FsPoolResult *r)
{
  if (r->config.operation == FS_OP_LIST || r->avg_time_s <= 0 || r->config.clients == 0)
    return 0;
  return (double) fs_pool_result_counted_bytes (r) / r->config.clients / r->avg_time_s;
}

/* With a duration, the time that the counted bytes took is the measured
 * window, not the total time, which holds the warm-up. */
static double
counted_time (const FsPoolResult *r)
{
  return r->config.duration_s > 0 ? r->window_s : r->total_time_s;
}

double
fs_pool_result_aggregate (const FsPoolResult *r)
{
  if (r->config.operation == FS_OP_LIST || counted_time (r) <= 0)
    return 0;
  return (double) fs_pool_result_counted_bytes (r) / counted_time (r);
}

guint64
fs_pool_result_operations (const FsPoolResult *r)
{
  return r->total.success + r->total.fail;
}

/* Failed operations are not work the server did: a refused connection
 * is quick, and would make a failing server look fast. */
double
fs_pool_result_ops_per_s (const FsPoolResult *r)
{
  return r->window_s > 0 ? (double) r->total.success / r->window_s : 0;
}

double
fs_pool_result_op_time (const FsPoolResult *r)
{
  const FsHistogram *h = &r->total.latency;

  return h->count > 0 ? (double) h->sum / h->count / G_USEC_PER_SEC : 0;
}

double
fs_pool_result_offered (const FsPoolResult *r)
{
  return r->config.rate > 0 && r->config.duration_s > 0
         ? (double) r->open.due / r->config.duration_s : 0;
}

const FsHistogram *
fs_pool_result_latency (const FsPoolResult *r)
{
  return r->config.rate > 0 ? &r->open.corrected : &r->total.latency;
}

gboolean
fs_pool_result_all_succeeded (const FsPoolResult *r)
{
  return r->total.fail == 0 && r->total.warmup_fail == 0;
}

/* Operations whose bytes count in the throughputs. */
static guint64
counted_operations (const FsPoolResult *r)
{
  return r->config.verify ? r->total.verified : r->total.success;
}

static const char *
signal_name (int sig)
{
  return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "a signal";
}

gboolean
fs_pool_result_verified (const FsPoolResult *r)
{
  return r->config.verify && fs_pool_result_all_succeeded (r)
         && r->total.verified == r->total.transfers;
}

static double
ms (guint64 us)
{
  return (double) us / 1000.0;
}

/* A histogram's min, p50, p90, p99, max and count, in milliseconds. */
static void
add_latency (JsonBuilder *b, const char *name, const FsHistogram *h)
{
  static const struct { const char *name; double q; } quantiles[] = {
    { "p50", 0.50 }, { "p90", 0.90 }, { "p99", 0.99 },
  };

  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "min");
  json_builder_add_double_value (b, h->count ? ms (h->min) : 0);
  for (gsize i = 0; i < G_N_ELEMENTS (quantiles); i++)
    {
      json_builder_set_member_name (b, quantiles[i].name);
      json_builder_add_double_value (b, ms (fs_histogram_quantile (h, quantiles[i].q)));
    }
  json_builder_set_member_name (b, "max");
  json_builder_add_double_value (b, ms (h->max));
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, (gint64) h->count);
  json_builder_end_object (b);
}

static void
add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_double (JsonBuilder *b, const char *name, double value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, value);
}

/* The open loop's account, null in the closed loop. */
static void
add_open_loop (JsonBuilder *b, const FsPoolResult *r)
{
  json_builder_set_member_name (b, "rate");
  if (r->config.rate <= 0)
    {
      json_builder_add_null_value (b);
      json_builder_set_member_name (b, "open_loop");
      json_builder_add_null_value (b);
      return;
    }
  json_builder_add_double_value (b, r->config.rate);
  json_builder_set_member_name (b, "open_loop");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "arrival");
  json_builder_add_string_value (b, fs_arrival_name (r->config.arrival));
  add_double (b, "offered_ops_per_s", fs_pool_result_offered (r));
  add_double (b, "achieved_ops_per_s", fs_pool_result_ops_per_s (r));
  add_int (b, "due", (gint64) r->open.due);
  add_int (b, "late", (gint64) r->open.late);
  add_int (b, "unsent", (gint64) r->open.unsent);
  add_int (b, "max_backlog", (gint64) r->open.max_backlog);
  json_builder_set_member_name (b, "schedule_lag_ms");
  json_builder_begin_object (b);
  add_double (b, "p50", ms (fs_histogram_quantile (&r->open.lag, 0.50)));
  add_double (b, "p99", ms (fs_histogram_quantile (&r->open.lag, 0.99)));
  add_double (b, "max", ms (r->open.lag.max));
  json_builder_end_object (b);
  add_latency (b, "uncorrected_latency_ms", &r->total.latency);
  json_builder_end_object (b);
}

JsonNode *
fs_pool_result_to_json (const FsPoolResult *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "mode");
  json_builder_add_string_value (b, fs_mode_name (r->config.mode));
  json_builder_set_member_name (b, "operation");
  json_builder_add_string_value (b, fs_pool_operation_name (r->config.operation));
  json_builder_set_member_name (b, "transfer");
  json_builder_add_string_value (b, fs_pool_transfer_name (r->config.transfer));
  json_builder_set_member_name (b, "volume_mb");
  json_builder_add_double_value (b, r->config.volume_mb);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, r->file);
  json_builder_set_member_name (b, "file_bytes");
  json_builder_add_int_value (b, (gint64) r->file_size);
  json_builder_set_member_name (b, "client_pool");
  json_builder_add_int_value (b, r->config.clients);
  json_builder_set_member_name (b, "repeat");
  if (r->config.duration_s > 0)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, r->config.repeat);
  json_builder_set_member_name (b, "duration_s");
  if (r->config.duration_s > 0)
    json_builder_add_double_value (b, r->config.duration_s);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "warmup_s");
  json_builder_add_double_value (b, r->config.warmup_s);
  json_builder_set_member_name (b, "success");
  json_builder_add_int_value (b, (gint64) r->total.success);
  json_builder_set_member_name (b, "fail");
  json_builder_add_int_value (b, (gint64) r->total.fail);
  json_builder_set_member_name (b, "avg_time_s");
  json_builder_add_double_value (b, r->avg_time_s);
  json_builder_set_member_name (b, "throughput_Bps");
  if (r->config.operation == FS_OP_LIST)
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, fs_pool_result_throughput (r));
  json_builder_set_member_name (b, "aggregate_Bps");
  if (r->config.operation == FS_OP_LIST)
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, fs_pool_result_aggregate (r));
  json_builder_set_member_name (b, "bytes");
  json_builder_add_int_value (b, r->config.operation == FS_OP_LIST
                                 ? 0 : (gint64) fs_pool_result_counted_bytes (r));
  json_builder_set_member_name (b, "total_time_s");
  json_builder_add_double_value (b, r->total_time_s);

  json_builder_set_member_name (b, "operations");
  json_builder_add_int_value (b, (gint64) fs_pool_result_operations (r));
  json_builder_set_member_name (b, "window_s");
  json_builder_add_double_value (b, r->window_s);
  json_builder_set_member_name (b, "ops_per_s");
  json_builder_add_double_value (b, fs_pool_result_ops_per_s (r));
  json_builder_set_member_name (b, "avg_op_time_s");
  json_builder_add_double_value (b, fs_pool_result_op_time (r));
  json_builder_set_member_name (b, "warmup_operations");
  json_builder_add_int_value (b, (gint64) r->total.warmup_ops);
  json_builder_set_member_name (b, "warmup_fail");
  json_builder_add_int_value (b, (gint64) r->total.warmup_fail);

  json_builder_set_member_name (b, "client_time_s");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "min");
  json_builder_add_double_value (b, r->client_time_min_s);
  json_builder_set_member_name (b, "p50");
  json_builder_add_double_value (b, r->client_time_p50_s);
  json_builder_set_member_name (b, "max");
  json_builder_add_double_value (b, r->client_time_max_s);
  json_builder_end_object (b);

  /* Under a rate, the corrected latency: from each operation's due time. */
  add_latency (b, "latency_ms", fs_pool_result_latency (r));
  json_builder_set_member_name (b, "keep_alive");
  json_builder_add_boolean_value (b, r->config.keep_alive);
  add_open_loop (b, r);

  json_builder_set_member_name (b, "errors");
  json_builder_begin_object (b);
  for (int i = 0; i < FS_CLIENT_N_ERRORS; i++)
    {
      json_builder_set_member_name (b, fs_client_error_name ((FsClientError) i));
      json_builder_add_int_value (b, (gint64) r->total.errors[i]);
    }
  json_builder_set_member_name (b, "crashed");
  json_builder_add_int_value (b, (gint64) r->total.crashed);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "first_error");
  if (r->total.first_error[0] != '\0')
    json_builder_add_string_value (b, r->total.first_error);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "verified");
  json_builder_add_boolean_value (b, fs_pool_result_verified (r));
  json_builder_set_member_name (b, "prepared");
  json_builder_add_boolean_value (b, r->prepared);
  json_builder_set_member_name (b, "server");
  if (r->server_mode != NULL)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "mode");
      json_builder_add_string_value (b, r->server_mode);
      json_builder_set_member_name (b, "pool");
      json_builder_add_int_value (b, r->server_pool);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "setup_connections");
  json_builder_add_int_value (b, r->setup_connections);
  json_builder_set_member_name (b, "idle_connections");
  json_builder_add_int_value (b, r->config.idle_connections);
  json_builder_set_member_name (b, "interrupted");
  json_builder_add_boolean_value (b, r->interrupted);
  json_builder_set_member_name (b, "abandoned");
  json_builder_add_int_value (b, (gint64) r->total.abandoned);
  {
    /* The load generator's own memory, so that a reader can tell when it
     * rather than the server was the limit: the peak RSS of this process
     * and, for process clients, of the largest client (Linux counts
     * ru_maxrss in KiB). */
    struct rusage self, children;
    gboolean ok = getrusage (RUSAGE_SELF, &self) == 0
                  && getrusage (RUSAGE_CHILDREN, &children) == 0;
    json_builder_set_member_name (b, "peak_rss_kib");
    json_builder_add_int_value (b, ok ? (gint64) self.ru_maxrss : 0);
    json_builder_set_member_name (b, "client_peak_rss_kib");
    json_builder_add_int_value (b, ok && r->config.mode == FS_MODE_PROCESS
                                   ? (gint64) children.ru_maxrss : 0);
  }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static char *
rate (double bytes_per_s)
{
  return g_strdup_printf ("%.2f MiB/s", bytes_per_s / (1024.0 * 1024.0));
}

static void
print_latency (FILE *out, const char *label, const FsHistogram *h)
{
  fprintf (out, "%-25smin %.2f  p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", label,
           h->count ? ms (h->min) : 0, ms (fs_histogram_quantile (h, 0.50)),
           ms (fs_histogram_quantile (h, 0.90)), ms (fs_histogram_quantile (h, 0.99)),
           ms (h->max));
}

/* The open loop: what was offered and achieved, and how late the pool
 * itself was (a pool that cannot keep to its schedule shows it here). */
static void
print_open_loop (const FsPoolResult *r, FILE *out)
{
  const FsOpenTally *o = &r->open;

  fprintf (out, "Rate:                    %.1f ops/s offered (%s arrivals, %.6g asked), "
           "%.1f achieved\n", fs_pool_result_offered (r), fs_arrival_name (r->config.arrival),
           r->config.rate, fs_pool_result_ops_per_s (r));
  fprintf (out, "Late starts:             %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
           " (every connection busy), longest backlog %" G_GUINT64_FORMAT ", %"
           G_GUINT64_FORMAT " never sent\n", o->late, o->due, o->max_backlog, o->unsent);
  fprintf (out, "Schedule lag (ms):       p50 %.3f  p99 %.3f  max %.3f\n",
           ms (fs_histogram_quantile (&o->lag, 0.50)),
           ms (fs_histogram_quantile (&o->lag, 0.99)), ms (o->lag.max));
}

void
fs_pool_result_print (const FsPoolResult *r, FILE *out)
{
  gboolean list = r->config.operation == FS_OP_LIST;
  guint64 operations = r->total.success + r->total.fail;
  char number[G_ASCII_DTOSTR_BUF_SIZE], warmup[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *volume = g_strdup_printf ("%s MiB (%" G_GUINT64_FORMAT " bytes, %s)",
                                             fs_format_number (r->config.volume_mb, number),
                                             r->file_size, r->file);

  /* What makes the numbers below partial comes first, where it is seen. */
  if (r->interrupted)
    fprintf (out, "INTERRUPTED:             by %s after %.3f s; the %" G_GUINT64_FORMAT
             " operations that finished are counted, %" G_GUINT64_FORMAT
             " in progress were abandoned\n", signal_name (r->signal), r->total_time_s,
             operations, r->total.abandoned);
  if (r->total.fail > 0 && list)
    fprintf (out, "FAILURES:                %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
             " operations failed\n", r->total.fail, operations);
  else if (r->total.fail > 0)
    fprintf (out, "FAILURES:                %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
             " operations failed; throughput counts only the %" G_GUINT64_FORMAT
             " that %s\n", r->total.fail, operations, counted_operations (r),
             counted_operations (r) == r->total.success ? "succeeded"
             : "succeeded and were verified");
  if (r->total.warmup_fail > 0)
    fprintf (out, "WARM-UP FAILURES:        %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
             " operations failed in the warm-up (not counted below)\n", r->total.warmup_fail,
             r->total.warmup_ops);
  if (fs_pool_result_all_succeeded (r) && !list && counted_operations (r) < r->total.success)
    fprintf (out, "UNVERIFIED:              %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
             " transfers could not be verified; throughput counts only the %"
             G_GUINT64_FORMAT " verified\n", r->total.success - counted_operations (r),
             r->total.success, counted_operations (r));
  /* The clients' model and the server's, named apart: the pool's mode
   * is the load generator's, not the server's. */
  fprintf (out, "Clients:                 %u %s%s\n", r->config.clients,
           r->config.mode == FS_MODE_PROCESS ? "process" : "thread",
           r->config.clients == 1 ? "" : r->config.mode == FS_MODE_PROCESS ? "es" : "s");
  if (r->server_mode != NULL)
    {
      g_autofree char *mode = fs_protocol_printable_text (r->server_mode);

      fprintf (out, "Server:                  %s mode, pool %" G_GINT64_FORMAT "\n", mode,
               r->server_pool);
    }
  else
    fprintf (out, "Server:                  unknown (STATS: %s)\n",
             r->server_error ? r->server_error : "not asked");
  fprintf (out, "Operation:               %s\n", fs_pool_operation_name (r->config.operation));
  /* The classic tool's summary has no such line: only raw adds one. */
  if (r->config.transfer == FS_TRANSFER_RAW && r->config.operation != FS_OP_LIST)
    fprintf (out, "Transfer:                raw (GETRAW, UPLOADRAW)\n");
  fprintf (out, "Client pool size:        %u%s\n", r->config.clients,
           r->config.keep_alive ? ", one kept connection each" : "");
  if (r->config.idle_connections > 0)
    fprintf (out, "Idle connections:        %u, held open without a request\n",
             r->config.idle_connections);
  if (r->config.duration_s > 0)
    fprintf (out, "Duration:                %s s after a warm-up of %s s\n",
             fs_format_number (r->config.duration_s, number),
             fs_format_number (r->config.warmup_s, warmup));
  else if (r->config.repeat > 1)
    fprintf (out, "Operations per client:   %u\n", r->config.repeat);
  if (r->config.operation != FS_OP_LIST)
    fprintf (out, "Volume per client:       %s\n", volume);
  fprintf (out, "Average time per client: %.3f s\n", r->avg_time_s);
  if (r->config.operation != FS_OP_LIST)
    {
      g_autofree char *per_client = rate (fs_pool_result_throughput (r));
      g_autofree char *aggregate = rate (fs_pool_result_aggregate (r));
      fprintf (out, "Throughput per client:   %s\n", per_client);
      fprintf (out, "Aggregate throughput:    %s\n", aggregate);
    }
  fprintf (out, "Success/Failure:         %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "\n",
           r->total.success, r->total.fail);
  if (r->config.duration_s > 0)
    fprintf (out, "Measured:                %" G_GUINT64_FORMAT " operations in %.3f s, %"
             G_GUINT64_FORMAT " more in the warm-up\n", fs_pool_result_operations (r),
             r->window_s, r->total.warmup_ops);
  fprintf (out, "Operations per second:   %.1f\n", fs_pool_result_ops_per_s (r));
  fprintf (out, "Time per operation:      %.3f ms\n", fs_pool_result_op_time (r) * 1000.0);
  if (r->config.rate > 0)
    {
      print_open_loop (r, out);
      print_latency (out, "Latency (ms), corrected: ", &r->open.corrected);
      print_latency (out, "Uncorrected (ms):        ", &r->total.latency);
    }
  else
    print_latency (out, "Latency (ms):            ", &r->total.latency);
  fprintf (out, "Verified:                %s\n",
           !r->config.verify ? "no (--no-verify)"
           : !fs_pool_result_verified (r) ? "NO"
           : r->config.operation == FS_OP_DOWNLOAD ? "yes, every byte"
           : r->config.operation == FS_OP_UPLOAD ? "yes, stored name and size"
           : "yes (nothing transferred)");
  if (!fs_pool_result_all_succeeded (r))
    {
      g_autofree char *shown = fs_protocol_printable_text (r->total.first_error);

      fprintf (out, "Errors:                 ");
      for (int i = 0; i < FS_CLIENT_N_ERRORS; i++)
        if (r->total.errors[i] > 0)
          fprintf (out, " %s %" G_GUINT64_FORMAT, fs_client_error_name ((FsClientError) i),
                   r->total.errors[i]);
      if (r->total.crashed > 0)
        fprintf (out, " crashed %" G_GUINT64_FORMAT, r->total.crashed);
      fprintf (out, "\nFirst error:             %s\n", shown);
    }
  fprintf (out, "Total duration:          %.3f s\n", r->total_time_s);
}
