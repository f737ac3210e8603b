/* scenario-mode.c: a scenario's models in words: the client mode's
 * names, the model its pool runs, and its one-line description. */
#include "config.h"

#include "errors.h"
#include "util.h"
#include "scenario.h"

char *
fs_scenario_describe (const FsScenario *scenario, gboolean quick)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *idle = scenario->idle > 0 ? g_strdup_printf (" idle:%u", scenario->idle)
                                              : g_strdup ("");

  return g_strdup_printf ("%s %s%s %s%s c%u s%u%s%s%s", fs_mode_name (scenario->mode),
                          fs_pool_operation_name (scenario->operation),
                          scenario->transfer == FS_TRANSFER_RAW ? " raw" : "",
                          fs_format_number (scenario->volume, buf), quick ? "KiB" : "MiB",
                          scenario->client_pool, scenario->server_pool,
                          scenario->client_mode == FS_CLIENT_THREAD ? "" : " clients:",
                          scenario->client_mode == FS_CLIENT_THREAD
                          ? "" : fs_client_mode_name (scenario->client_mode), idle);
}

FsMode
fs_scenario_pool_mode (const FsScenario *scenario)
{
  if (scenario->client_mode != FS_CLIENT_SAME)
    return (FsMode) scenario->client_mode;
  /* A client pool blocks on its connections: it has no event model.
   * Same then means threads, the default client mode, so that an event
   * server and a thread server are loaded alike. */
  return scenario->mode == FS_MODE_EVENT ? FS_MODE_THREAD : scenario->mode;
}

const char *
fs_client_mode_name (FsClientMode mode)
{
  return mode == FS_CLIENT_SAME ? "same" : fs_mode_name ((FsMode) mode);
}

gboolean
fs_client_mode_parse (const char *text, FsClientMode *mode, GError **error)
{
  FsMode m;

  if (g_strcmp0 (text, "same") == 0)
    {
      *mode = FS_CLIENT_SAME;
      return TRUE;
    }
  if (text == NULL || !fs_pool_mode_parse (text, &m, NULL))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                   "invalid client mode '%s' (expected thread, process or same)",
                   text != NULL ? text : "");
      return FALSE;
    }
  *mode = (FsClientMode) m;
  return TRUE;
}
