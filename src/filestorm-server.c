/* filestorm-server: options in, fs_server_run() out. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "errors.h"
#include "server.h"
#include "util.h"

/* An int option not given on the command line. */
#define UNSET G_MININT

static int
fail (int status, const char *message)
{
  g_printerr ("filestorm-server: %s\n", message);
  return status;
}

static gboolean
check_range (const char *option, gint value, gint min, gint max, GError **error)
{
  if (value >= min && value <= max)
    return TRUE;
  g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "%s must be between %d and %d, not %d",
               option, min, max, value);
  return FALSE;
}

int
main (int argc, char **argv)
{
  g_autofree char *mode = NULL;
  g_autofree char *host = NULL;
  g_autofree char *port_file = NULL;
  g_autofree char *root = NULL;
  g_autofree char *max_upload = NULL;
  g_auto(GStrv) rest = NULL;
  gint pool = FS_SERVER_DEFAULT_POOL;
  gint port = UNSET, base_port = UNSET;
  const char *port_option = "--port";
  gint idle_timeout = FS_SERVER_DEFAULT_IDLE_TIMEOUT;
  gint grace = FS_SERVER_DEFAULT_GRACE;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode,
      "Concurrency model: thread or process (default thread)", "MODE" },
    { "pool", 0, 0, G_OPTION_ARG_INT, &pool,
      "Threads or worker processes, 1-1024 (default 5)", "N" },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host,
      "Address to listen on (default 127.0.0.1)", "ADDR" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port,
      "TCP port, 0 for any free port (default 7000)", "N" },
    { "base-port", 0, 0, G_OPTION_ARG_INT, &base_port,
      "Same as --port (the original tool's spelling)", "N" },
    { "port-file", 0, 0, G_OPTION_ARG_FILENAME, &port_file,
      "Once listening, write the bound port to FILE", "FILE" },
    { "root", 0, 0, G_OPTION_ARG_FILENAME, &root,
      "Directory to serve, created if missing (default ./files)", "DIR" },
    { "max-upload", 0, 0, G_OPTION_ARG_STRING, &max_upload,
      "Largest upload accepted, e.g. 512M (default 1G)", "SIZE" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
      "Close connections idle this long, 0 for never (default 60)", "SECONDS" },
    { "grace", 0, 0, G_OPTION_ARG_INT, &grace,
      "On SIGINT/SIGTERM, let requests finish this long (default 10)", "SECONDS" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  FsServerConfig config;
  int status;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
      "Serve the files of one directory over the filestorm protocol, running\n"
      "connections on a pool of threads or of pre-forked worker processes.");
  g_option_context_set_description (context,
      "Exit status: 0 stopped by SIGINT/SIGTERM, 1 failure, 2 bad usage,\n"
      "3 cannot listen, 4 cannot use the root directory.\n"
      "See filestorm-server(1) and filestorm-protocol(7).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (FS_SERVER_EXIT_USAGE, error->message);
  if (version)
    {
      printf ("filestorm-server (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return FS_SERVER_EXIT_OK;
    }

  fs_server_config_init (&config);
  if (rest != NULL && rest[0] != NULL)
    {
      g_set_error (&error, FS_ERROR, FS_ERROR_USAGE, "unexpected argument '%s'", rest[0]);
      goto usage;
    }
  if (mode != NULL && !fs_server_mode_parse (mode, &config.mode, &error))
    goto usage;
  if (!check_range ("--pool", pool, 1, FS_SERVER_MAX_POOL, &error))
    goto usage;
  /* --port wins when both are given. */
  if (port == UNSET && base_port != UNSET)
    {
      port = base_port;
      port_option = "--base-port";
    }
  if (port != UNSET && !check_range (port_option, port, 0, 65535, &error))
    goto usage;
  if (!check_range ("--idle-timeout", idle_timeout, 0, G_MAXINT / 2, &error)
      || !check_range ("--grace", grace, 0, 3600, &error))
    goto usage;
  if (max_upload != NULL)
    {
      if (!fs_parse_size (max_upload, &config.max_upload, &error))
        {
          g_prefix_error (&error, "--max-upload: ");
          goto usage;
        }
    }
  config.pool = (guint) pool;
  if (port != UNSET)
    config.port = (guint) port;
  if (host != NULL)
    {
      g_free (config.host);
      config.host = g_steal_pointer (&host);
    }
  if (root != NULL)
    {
      g_free (config.root);
      config.root = g_steal_pointer (&root);
    }
  config.port_file = g_steal_pointer (&port_file);
  config.idle_timeout = (guint) idle_timeout;
  config.grace = (guint) grace;

  status = fs_server_run (&config, &error);
  fs_server_config_clear (&config);
  if (status != FS_SERVER_EXIT_OK)
    return fail (status, error ? error->message : "failed");
  return FS_SERVER_EXIT_OK;

usage:
  fs_server_config_clear (&config);
  return fail (FS_SERVER_EXIT_USAGE, error->message);
}
