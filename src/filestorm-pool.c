/* filestorm-pool: options in, fs_pool_run() out. */
#include "config.h"

#include <stdio.h>

#include "base64.h"
#include "errors.h"
#include "options.h"
#include "pool-options.h"
#include "protocol.h"

static int
fail (int status, const char *message)
{
  g_autofree char *shown = fs_protocol_printable_text (message);

  g_printerr ("filestorm-pool: %s\n", shown);
  return status;
}

static gboolean
parse_options (int *argc, char ***argv, FsPoolConfig *config, gboolean *json,
               gboolean *version, GError **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  FsPoolOptions options;
  gboolean ok;

  g_option_context_set_summary (context,
      "Run N concurrent clients against a filestorm server, each doing one\n"
      "operation on a test file of the given volume (or K of them, or as many\n"
      "as fit in --duration after --warmup, each on a new connection unless\n"
      "--keep-alive), and report the time per client, operations per second,\n"
      "throughput, latency percentiles and successes and failures. Every\n"
      "transferred byte is checked against the expected content.\n"
      "\n"
      "With --rate, an open loop: operations are due on a schedule over the\n"
      "whole pool, whatever the server does, and are timed from when each was\n"
      "due (corrected for coordinated omission) as well as from its send.");
  g_option_context_set_description (context,
      "On SIGINT (Ctrl-C) or SIGTERM no new operation starts, the ones in\n"
      "progress are abandoned (counted neither as successes nor as failures),\n"
      "and the result of the finished ones is printed, marked as interrupted.\n"
      "\n"
      "Exit status: 0 every operation succeeded, 1 some failed, 2 bad usage,\n"
      "3 the server cannot be reached, 130 interrupted by SIGINT or SIGTERM.\n"
      "See filestorm-pool(1).");
  fs_pool_options_init (&options);
  fs_pool_options_add (context, &options, "Concurrent clients, 1-10000 (default 1)");
  ok = fs_option_parse (context, argc, argv, error)
       && (options.version
           || fs_pool_options_apply (&options, FS_POOL_MAX_CLIENTS, config, error));
  *json = options.json;
  *version = options.version;
  fs_pool_options_clear (&options);
  return ok;
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
           : !fs_pool_result_all_succeeded (result) ? FS_POOL_EXIT_FAILED : FS_POOL_EXIT_OK;
  if (fflush (stdout) != 0)
    return fail (FS_POOL_EXIT_FAILED, "cannot write to standard output");
  return status;
}
