/* filestorm-server: options (and --config) in, fs_server_run() out. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base64.h"
#include "errors.h"
#include "options.h"
#include "server.h"

/* The settings given on the command line, by name without dashes, as
 * text: checked by fs_server_config_set() like the configuration file's,
 * and applied after it, so that they win. */
static GHashTable *given;

static gboolean
remember (const char *option, const char *value, gpointer data, GError **error)
{
  g_hash_table_insert (given, g_strdup (option + 2), g_strdup (value));
  return TRUE;
}

static int
fail (int status, const char *message)
{
  g_printerr ("filestorm-server: %s\n", message);
  return status;
}

/* Applies the command line's settings; --port wins over --base-port. */
static gboolean
apply_given (FsServerConfig *config, GError **error)
{
  static const char * const order[] = {
    "mode", "pool", "host", "base-port", "port", "port-file", "root", "max-upload",
    "idle-timeout", "request-timeout", "min-rate", "grace",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (order); i++)
    {
      const char *value = g_hash_table_lookup (given, order[i]);
      if (value != NULL && !fs_server_config_set (config, order[i], value, error))
        {
          g_prefix_error (error, "--");
          return FALSE;
        }
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autofree char *config_path = NULL;
  g_auto(GStrv) rest = NULL;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      "Read settings from FILE ([server] group); options given here win", "FILE" },
    { "mode", 0, 0, G_OPTION_ARG_CALLBACK, remember,
      "Concurrency model: thread, process or event (default thread)", "MODE" },
    { "pool", 0, 0, G_OPTION_ARG_CALLBACK, remember,
      "Threads or worker processes, 1-1024 (default 5)", "N" },
    { "host", 0, 0, G_OPTION_ARG_CALLBACK, remember,
      "Address or name to listen on, every address it has (default 127.0.0.1)", "ADDR" },
    { "port", 0, 0, G_OPTION_ARG_CALLBACK, remember,
      "TCP port, 0 for any free port (default 7000)", "N" },
    { "base-port", 0, 0, G_OPTION_ARG_CALLBACK, remember,
      "Same as --port (the original tool's spelling)", "N" },
    { "port-file", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, remember,
      "Once listening, write the bound port to FILE", "FILE" },
    { "root", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, remember,
      "Directory to serve, created if missing (default ./files)", "DIR" },
    { "max-upload", 0, 0, G_OPTION_ARG_CALLBACK, remember,
      "Largest upload accepted, e.g. 512M (default 1G)", "SIZE" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_CALLBACK, remember,
      "Close connections idle this long, 0 for never (default 60)", "SECONDS" },
    { "request-timeout", 0, 0, G_OPTION_ARG_CALLBACK, remember,
      "Longest a request line may take to arrive, 0 for no limit (default 30)", "SECONDS" },
    { "min-rate", 0, 0, G_OPTION_ARG_CALLBACK, remember,
      "Slowest upload accepted, over any 10 s, 0 for none (default 1K)", "BYTES_PER_SECOND" },
    { "grace", 0, 0, G_OPTION_ARG_CALLBACK, remember,
      "On SIGINT/SIGTERM, let requests finish this long (default 10)", "SECONDS" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GHashTable) options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         g_free);
  g_autoptr(GError) error = NULL;
  FsServerConfig config;
  int status;

  fs_locale_init ();
  given = options;
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
      "Serve the files of one directory over the filestorm protocol, running\n"
      "connections on a pool of threads or of pre-forked worker processes.");
  g_option_context_set_description (context,
      "Exit status: 0 stopped by SIGINT/SIGTERM, 1 failure, 2 bad usage,\n"
      "3 cannot listen, 4 cannot use the root directory.\n"
      "See filestorm-server(1) and filestorm-protocol(7).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!fs_option_parse (context, &argc, &argv, &error))
    return fail (FS_SERVER_EXIT_USAGE, error->message);
  if (version)
    {
      printf ("filestorm-server (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return FS_SERVER_EXIT_OK;
    }
  if (!fs_b64_check_environment (&error))
    return fail (FS_SERVER_EXIT_USAGE, error->message);

  fs_server_config_init (&config);
  if (rest != NULL && rest[0] != NULL)
    g_set_error (&error, FS_ERROR, FS_ERROR_USAGE, "unexpected argument '%s'", rest[0]);
  /* A --base-port on the command line also overrides the file's port. */
  else if (g_hash_table_contains (given, "base-port")
           && !g_hash_table_contains (given, "port"))
    g_hash_table_insert (given, g_strdup ("port"),
                         g_strdup (g_hash_table_lookup (given, "base-port")));
  if (error == NULL && config_path != NULL)
    fs_server_config_load (&config, config_path, given, &error);
  if (error == NULL)
    apply_given (&config, &error);
  if (error != NULL)
    {
      fs_server_config_clear (&config);
      return fail (FS_SERVER_EXIT_USAGE, error->message);
    }

  status = fs_server_run (&config, &error);
  fs_server_config_clear (&config);
  if (status != FS_SERVER_EXIT_OK)
    return fail (status, error ? error->message : "failed");
  return FS_SERVER_EXIT_OK;
}
