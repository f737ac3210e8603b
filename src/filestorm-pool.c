/* filestorm-pool: options in, fs_pool_run() out. */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "base64.h"
#include "errors.h"
#include "pool.h"

static int
fail (int status, const char *message)
{
  g_printerr ("filestorm-pool: %s\n", message);
  return status;
}

static gboolean
parse_options (int *argc, char ***argv, FsPoolConfig *config, gboolean *json,
               gboolean *version, GError **error)
{
  g_autofree char *mode = NULL;
  g_autofree char *operation = NULL;
  g_autofree char *transfer = NULL;
  g_autofree char *host = NULL;
  g_auto(GStrv) rest = NULL;
  double volume = config->volume_mb;
  gint clients = (gint) config->clients;
  gint repeat = (gint) config->repeat;
  gint port = (gint) config->port;
  gint timeout = (gint) config->timeout;
  gboolean no_verify = FALSE;
  gboolean no_prepare = FALSE;
  const GOptionEntry entries[] = {
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &mode,
      "Clients are threads or processes (default thread)", "MODE" },
    { "operation", 'o', 0, G_OPTION_ARG_STRING, &operation,
      "list, download (or get), or upload (default download)", "OP" },
    { "transfer", 0, 0, G_OPTION_ARG_STRING, &transfer,
      "Move content as base64 (GET, UPLOAD; the default) or raw (GETRAW, UPLOADRAW)",
      "KIND" },
    { "volume", 'v', 0, G_OPTION_ARG_DOUBLE, &volume,
      "MiB per transfer, any positive number (default 10)", "MIB" },
    { "client-pool", 'c', 0, G_OPTION_ARG_INT, &clients,
      "Concurrent clients, 1-10000 (default 1)", "N" },
    { "repeat", 'r', 0, G_OPTION_ARG_INT, &repeat,
      "Operations per client (default 1)", "K" },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, "Server address (default 127.0.0.1)", "HOST" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Server port (default 7000)", "PORT" },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout,
      "Fail a connect, read or write stalled this long (default 60)", "SECONDS" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, json, "Print the result as one JSON object", NULL },
    { "no-verify", 0, 0, G_OPTION_ARG_NONE, &no_verify,
      "Do not check the transferred bytes", NULL },
    { "no-prepare", 0, 0, G_OPTION_ARG_NONE, &no_prepare,
      "download: do not check for (and upload) the test file first", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, version, "Print the version and exit", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  g_option_context_set_summary (context,
      "Run N concurrent clients against a filestorm server, each doing one\n"
      "operation on a test file of the given volume, and report the time per\n"
      "client, throughput, latency percentiles and successes and failures.\n"
      "Every transferred byte is checked against the expected content.");
  g_option_context_set_description (context,
      "On SIGINT (Ctrl-C) or SIGTERM no new operation starts, the ones in\n"
      "progress are abandoned (counted neither as successes nor as failures),\n"
      "and the result of the finished ones is printed, marked as interrupted.\n"
      "\n"
      "Exit status: 0 every operation succeeded, 1 some failed, 2 bad usage,\n"
      "3 the server cannot be reached, 130 interrupted by SIGINT or SIGTERM.\n"
      "See filestorm-pool(1).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (*version)
    return TRUE;

  if (rest != NULL && rest[0] != NULL)
    g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "unexpected argument '%s'", rest[0]);
  else if (mode != NULL && !fs_mode_parse (mode, &config->mode, error))
    g_prefix_error (error, "--mode: ");
  else if (operation != NULL && !fs_pool_operation_parse (operation, &config->operation, error))
    g_prefix_error (error, "--operation: ");
  else if (transfer != NULL && !fs_pool_transfer_parse (transfer, &config->transfer, error))
    g_prefix_error (error, "--transfer: ");
  else if (!(volume > 0) || !isfinite (volume) || volume > 1024 * 1024)
    g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                 "--volume must be a positive number of MiB (up to 1048576), not %g", volume);
  else if (clients < 1 || clients > FS_POOL_MAX_CLIENTS)
    g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                 "--client-pool must be between 1 and %d, not %d", FS_POOL_MAX_CLIENTS, clients);
  else if (repeat < 1)
    g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "--repeat must be at least 1, not %d", repeat);
  else if (port < 1 || port > 65535)
    g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                 "--port must be between 1 and 65535, not %d", port);
  else if (timeout < 1)
    g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "--timeout must be at least 1, not %d",
                 timeout);
  if (*error != NULL)
    return FALSE;

  config->volume_mb = volume;
  config->clients = (guint) clients;
  config->repeat = (guint) repeat;
  config->port = (guint) port;
  config->timeout = (guint) timeout;
  config->verify = !no_verify;
  config->prepare = !no_prepare;
  if (host != NULL)
    {
      g_free (config->host);
      config->host = g_steal_pointer (&host);
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsPoolResult) result = NULL;
  gboolean json = FALSE, version = FALSE;
  FsPoolConfig config;
  int status;

  fs_locale_init ();
  fs_pool_config_init (&config);
  if (!parse_options (&argc, &argv, &config, &json, &version, &error))
    {
      fs_pool_config_clear (&config);
      return fail (FS_POOL_EXIT_USAGE, error->message);
    }
  if (version)
    {
      fs_pool_config_clear (&config);
      printf ("filestorm-pool (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return FS_POOL_EXIT_OK;
    }
  if (!fs_b64_check_environment (&error))
    {
      fs_pool_config_clear (&config);
      return fail (FS_POOL_EXIT_USAGE, error->message);
    }

  fs_pool_handle_signals ();
  result = fs_pool_run (&config, stderr, &error);
  fs_pool_config_clear (&config);
  if (result == NULL)
    return fail (FS_POOL_EXIT_SERVER, error->message);

  if (json)
    {
      g_autoptr(JsonNode) node = fs_pool_result_to_json (result);
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_root (gen, node);
      text = json_generator_to_data (gen, NULL);
      printf ("%s\n", text);
    }
  else
    fs_pool_result_print (result, stdout);

  status = result->interrupted ? FS_POOL_EXIT_INTERRUPTED
           : result->total.fail > 0 ? FS_POOL_EXIT_FAILED : FS_POOL_EXIT_OK;
  if (fflush (stdout) != 0)
    return fail (FS_POOL_EXIT_FAILED, "cannot write to standard output");
  return status;
}
