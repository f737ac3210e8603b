/* pool-options.c: the client pool's settings, their names, and the
 * command-line options that filestorm-pool and filestorm-pool-mpi
 * share. */
#include "config.h"

#include "pool-options.h"

#include <math.h>
#include <string.h>

#include "errors.h"

void
fs_pool_config_init (FsPoolConfig *config)
{
  memset (config, 0, sizeof *config);
  config->mode = FS_MODE_THREAD;
  config->operation = FS_OP_DOWNLOAD;
  config->volume_mb = 10;
  config->clients = 1;
  config->repeat = 1;
  config->host = g_strdup ("127.0.0.1");
  config->port = 7000;
  config->timeout = 60;
  config->verify = TRUE;
  config->prepare = TRUE;
}

void
fs_pool_config_clear (FsPoolConfig *config)
{
  g_clear_pointer (&config->host, g_free);
}

const char *
fs_pool_operation_name (FsOperation op)
{
  switch (op)
    {
    case FS_OP_LIST: return "list";
    case FS_OP_UPLOAD: return "upload";
    case FS_OP_DOWNLOAD:
    default: return "download";
    }
}

gboolean
fs_pool_operation_parse (const char *text, FsOperation *op, GError **error)
{
  if (g_strcmp0 (text, "list") == 0)
    *op = FS_OP_LIST;
  else if (g_strcmp0 (text, "download") == 0 || g_strcmp0 (text, "get") == 0)
    *op = FS_OP_DOWNLOAD;
  else if (g_strcmp0 (text, "upload") == 0)
    *op = FS_OP_UPLOAD;
  else
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                   "invalid operation '%s' (expected list, download, get or upload)", text);
      return FALSE;
    }
  return TRUE;
}

const char *
fs_pool_transfer_name (FsTransfer transfer)
{
  return transfer == FS_TRANSFER_RAW ? "raw" : "base64";
}

gboolean
fs_pool_transfer_parse (const char *text, FsTransfer *transfer, GError **error)
{
  if (g_strcmp0 (text, "base64") == 0)
    *transfer = FS_TRANSFER_BASE64;
  else if (g_strcmp0 (text, "raw") == 0)
    *transfer = FS_TRANSFER_RAW;
  else
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                   "invalid transfer '%s' (expected base64 or raw)", text);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------ options */

void
fs_pool_options_init (FsPoolOptions *o)
{
  FsPoolConfig defaults;

  fs_pool_config_init (&defaults);
  memset (o, 0, sizeof *o);
  o->volume = defaults.volume_mb;
  o->clients = (gint) defaults.clients;
  o->repeat = FS_POOL_REPEAT_UNSET;
  o->port = (gint) defaults.port;
  o->timeout = (gint) defaults.timeout;
  fs_pool_config_clear (&defaults);
}

void
fs_pool_options_clear (FsPoolOptions *o)
{
  g_clear_pointer (&o->mode, g_free);
  g_clear_pointer (&o->operation, g_free);
  g_clear_pointer (&o->transfer, g_free);
  g_clear_pointer (&o->host, g_free);
  g_clear_pointer (&o->volume_text, g_free);
  g_clear_pointer (&o->duration_text, g_free);
  g_clear_pointer (&o->warmup_text, g_free);
  g_clear_pointer (&o->rate_text, g_free);
  g_clear_pointer (&o->arrival, g_free);
  g_clear_pointer (&o->rest, g_strfreev);
}

void
fs_pool_options_add (GOptionContext *context, FsPoolOptions *o, const char *client_pool_help)
{
  const GOptionEntry entries[] = {
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &o->mode,
      "Clients are threads or processes (default thread)", "MODE" },
    { "operation", 'o', 0, G_OPTION_ARG_STRING, &o->operation,
      "list, download (or get), or upload (default download)", "OP" },
    { "transfer", 0, 0, G_OPTION_ARG_STRING, &o->transfer,
      "Move content as base64 (GET, UPLOAD; the default) or raw (GETRAW, UPLOADRAW)",
      "KIND" },
    { "volume", 'v', 0, G_OPTION_ARG_STRING, &o->volume_text,
      "MiB per transfer, any positive number (default 10)", "MIB" },
    { "client-pool", 'c', 0, G_OPTION_ARG_INT, &o->clients,
      client_pool_help, "N" },
    { "repeat", 'r', 0, G_OPTION_ARG_INT, &o->repeat,
      "Operations per client (default 1; not with --duration)", "K" },
    { "duration", 0, 0, G_OPTION_ARG_STRING, &o->duration_text,
      "Repeat the operation for this long, after the warm-up; decimals allowed",
      "SECONDS" },
    { "warmup", 0, 0, G_OPTION_ARG_STRING, &o->warmup_text,
      "With --duration: do not count operations that end this early (default 0)",
      "SECONDS" },
    { "rate", 0, 0, G_OPTION_ARG_STRING, &o->rate_text,
      "Open loop: this many operations per second over the pool, on a schedule, "
      "timed from when each was due (needs --duration)", "OPS" },
    { "arrival", 0, 0, G_OPTION_ARG_STRING, &o->arrival,
      "With --rate: uniform (the default) or poisson arrivals", "KIND" },
    { "keep-alive", 0, 0, G_OPTION_ARG_NONE, &o->keep_alive,
      "Each client keeps one connection for all its operations (always so with --rate)",
      NULL },
    { "host", 0, 0, G_OPTION_ARG_STRING, &o->host, "Server address (default 127.0.0.1)",
      "HOST" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &o->port, "Server port (default 7000)", "PORT" },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &o->timeout,
      "Fail a connect, read or write stalled this long (default 60)", "SECONDS" },
    { "idle-connections", 0, 0, G_OPTION_ARG_INT, &o->idle,
      "Before the clients start, open K connections and hold them open without a "
      "request until the pool ends (default 0)", "K" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &o->json, "Print the result as one JSON object", NULL },
    { "no-verify", 0, 0, G_OPTION_ARG_NONE, &o->no_verify,
      "Do not check the transferred bytes", NULL },
    { "no-prepare", 0, 0, G_OPTION_ARG_NONE, &o->no_prepare,
      "download: do not check for (and upload) the test file first", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &o->version, "Print the version and exit", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->rest, NULL, NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
}

/* As GOption reads a double: the locale's decimal point or a dot. */
static gboolean
parse_number (const char *text, double *out)
{
  char *end = NULL;

  *out = g_strtod (text, &end);
  return end != text && *end == '\0';
}

/* A day at most: a longer run is a typing error, and the deadlines stay
 * far from overflowing in microseconds. */
#define SECONDS_MAX 86400.0

/* --duration and --warmup: a number of seconds, decimals allowed;
 * positive for the duration, or zero too for the warm-up. */
static gboolean
parse_seconds (const char *option, const char *text, gboolean zero, double *out,
               GError **error)
{
  if (!parse_number (text, out) || !isfinite (*out) || *out < 0 || (*out == 0 && !zero)
      || *out > SECONDS_MAX)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                   "%s %s: not a %snumber of seconds up to %g; give one such as 5 or 0.5",
                   option, text, zero ? "" : "positive ", SECONDS_MAX);
      return FALSE;
    }
  return TRUE;
}

/* The steady-state options: --duration, with an optional --warmup, or
 * --repeat, never both. */
static gboolean
apply_steady (const FsPoolOptions *o, FsPoolConfig *config, GError **error)
{
  if (o->duration_text == NULL)
    {
      if (o->warmup_text == NULL)
        return TRUE;
      g_set_error_literal (error, FS_ERROR, FS_ERROR_USAGE,
                           "--warmup needs --duration: a warm-up comes before a measured "
                           "duration");
      return FALSE;
    }
  if (o->repeat != FS_POOL_REPEAT_UNSET)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_USAGE,
                           "--repeat and --duration cannot be combined: give a count or a "
                           "time, not both");
      return FALSE;
    }
  return parse_seconds ("--duration", o->duration_text, FALSE, &config->duration_s, error)
         && (o->warmup_text == NULL
             || parse_seconds ("--warmup", o->warmup_text, TRUE, &config->warmup_s, error));
}

/* The open loop: --rate, a positive number of operations per second up
 * to FS_SCHEDULE_MAX_RATE, over a --duration; --arrival only with it. */
static gboolean
apply_rate (const FsPoolOptions *o, FsPoolConfig *config, GError **error)
{
  if (o->rate_text == NULL)
    {
      if (o->arrival == NULL)
        return TRUE;
      g_set_error_literal (error, FS_ERROR, FS_ERROR_USAGE,
                           "--arrival needs --rate: arrivals are those of a rate");
      return FALSE;
    }
  if (!parse_number (o->rate_text, &config->rate) || !isfinite (config->rate)
      || config->rate <= 0 || config->rate > FS_SCHEDULE_MAX_RATE)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                   "--rate %s: not a positive number of operations per second up to %g; "
                   "give one such as 200 or 0.5", o->rate_text, FS_SCHEDULE_MAX_RATE);
      return FALSE;
    }
  if (o->repeat != FS_POOL_REPEAT_UNSET)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_USAGE,
                           "--rate and --repeat cannot be combined: a rate runs for a "
                           "--duration");
      return FALSE;
    }
  if (o->duration_text == NULL)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_USAGE,
                           "--rate needs --duration: a rate runs for a time");
      return FALSE;
    }
  if (config->rate * (config->warmup_s + config->duration_s) > FS_POOL_MAX_SCHEDULED)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                   "--rate %s over %g s schedules more than %g operations; give a lower "
                   "rate or a shorter --duration", o->rate_text,
                   config->warmup_s + config->duration_s, FS_POOL_MAX_SCHEDULED);
      return FALSE;
    }
  if (o->arrival != NULL && !fs_arrival_parse (o->arrival, &config->arrival, error))
    {
      g_prefix_error (error, "--arrival: ");
      return FALSE;
    }
  config->keep_alive = TRUE;
  config->seed = g_random_int () | (guint64) g_random_int () << 32;
  return TRUE;
}

gboolean
fs_pool_options_apply (FsPoolOptions *o, guint max_clients, FsPoolConfig *config,
                       GError **error)
{
  GError *local = NULL;

  if (o->rest != NULL && o->rest[0] != NULL)
    g_set_error (&local, FS_ERROR, FS_ERROR_USAGE, "unexpected argument '%s'", o->rest[0]);
  else if (o->mode != NULL && !fs_pool_mode_parse (o->mode, &config->mode, &local))
    g_prefix_error (&local, "--mode: ");
  else if (o->operation != NULL
           && !fs_pool_operation_parse (o->operation, &config->operation, &local))
    g_prefix_error (&local, "--operation: ");
  else if (o->transfer != NULL && !fs_pool_transfer_parse (o->transfer, &config->transfer, &local))
    g_prefix_error (&local, "--transfer: ");
  else if (o->volume_text != NULL && !parse_number (o->volume_text, &o->volume))
    /* GOption's own "Cannot parse double value" says neither the unit
     * nor what to write: 10MB is a usual first try. */
    g_set_error (&local, FS_ERROR, FS_ERROR_USAGE,
                 "--volume %s: not a number of MiB; give one such as 10 or 0.5", o->volume_text);
  else if (!(o->volume > 0) || !isfinite (o->volume) || o->volume > 1024 * 1024)
    g_set_error (&local, FS_ERROR, FS_ERROR_USAGE,
                 "--volume must be a positive number of MiB (up to 1048576), not %g", o->volume);
  else if (o->clients < 1 || (guint) o->clients > max_clients)
    g_set_error (&local, FS_ERROR, FS_ERROR_USAGE,
                 "--client-pool must be between 1 and %u, not %d", max_clients, o->clients);
  else if (o->repeat != FS_POOL_REPEAT_UNSET && o->repeat < 1)
    g_set_error (&local, FS_ERROR, FS_ERROR_USAGE, "--repeat must be at least 1, not %d",
                 o->repeat);
  else if (o->port < 1 || o->port > 65535)
    g_set_error (&local, FS_ERROR, FS_ERROR_USAGE,
                 "--port must be between 1 and 65535, not %d", o->port);
  else if (o->timeout < 1)
    g_set_error (&local, FS_ERROR, FS_ERROR_USAGE, "--timeout must be at least 1, not %d",
                 o->timeout);
  else if (o->idle < 0 || o->idle > FS_POOL_MAX_IDLE)
    g_set_error (&local, FS_ERROR, FS_ERROR_USAGE,
                 "--idle-connections must be between 0 and %d, not %d", FS_POOL_MAX_IDLE,
                 o->idle);
  else if (apply_steady (o, config, &local))
    apply_rate (o, config, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }

  config->volume_mb = o->volume;
  config->clients = (guint) o->clients;
  config->repeat = o->repeat == FS_POOL_REPEAT_UNSET ? 1 : (guint) o->repeat;
  config->port = (guint) o->port;
  config->timeout = (guint) o->timeout;
  config->idle_connections = (guint) o->idle;
  config->verify = !o->no_verify;
  config->prepare = !o->no_prepare;
  config->keep_alive = config->keep_alive || o->keep_alive;
  if (o->host != NULL)
    {
      g_free (config->host);
      config->host = g_steal_pointer (&o->host);
    }
  return TRUE;
}
