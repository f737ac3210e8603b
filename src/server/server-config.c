/* server-config.c: filestorm-server's settings, from the command line and
 * from a configuration file (GKeyFile, group [server]) that uses the same
 * names as the options, parsed and checked in one place. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "errors.h"
#include "server-config.h"
#include "util.h"

#define GROUP "server"

void
fs_server_config_init (FsServerConfig *config)
{
  memset (config, 0, sizeof *config);
  config->mode = FS_MODE_THREAD;
  config->pool = FS_SERVER_DEFAULT_POOL;
  config->host = g_strdup (FS_SERVER_DEFAULT_HOST);
  config->port = FS_SERVER_DEFAULT_PORT;
  config->root = g_strdup (FS_SERVER_DEFAULT_ROOT);
  config->max_upload = FS_SERVER_DEFAULT_MAX_UPLOAD;
  config->idle_timeout = FS_SERVER_DEFAULT_IDLE_TIMEOUT;
  config->request_timeout = FS_SERVER_DEFAULT_REQUEST_TIMEOUT;
  config->min_rate = FS_SERVER_DEFAULT_MIN_RATE;
  config->grace = FS_SERVER_DEFAULT_GRACE;
}

void
fs_server_config_clear (FsServerConfig *config)
{
  g_clear_pointer (&config->host, g_free);
  g_clear_pointer (&config->port_file, g_free);
  g_clear_pointer (&config->root, g_free);
}

static gboolean
parse_int (const char *key, const char *value, gint64 min, gint64 max, gint64 *out,
           GError **error)
{
  char *end = NULL;
  gint64 v;

  errno = 0;
  v = g_ascii_strtoll (value, &end, 10);
  if (errno != 0 || end == value || *end != '\0' || v < min || v > max)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                   "%s must be a whole number between %" G_GINT64_FORMAT " and %"
                   G_GINT64_FORMAT ", not '%s'", key, min, max, value);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

static void
set_string (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

gboolean
fs_server_config_set (FsServerConfig *config, const char *key, const char *value,
                      GError **error)
{
  gint64 n = 0;

  /* Every message names the setting: the caller prefixes "--" for the
   * command line, or the file and group for --config. */
  if (strcmp (key, "mode") == 0)
    {
      if (!fs_mode_parse (value, &config->mode, error))
        {
          g_prefix_error (error, "mode: ");
          return FALSE;
        }
      return TRUE;
    }
  if (strcmp (key, "host") == 0)
    {
      if (value[0] == '\0')
        {
          g_set_error_literal (error, FS_ERROR, FS_ERROR_USAGE, "host must not be empty");
          return FALSE;
        }
      set_string (&config->host, value);
      return TRUE;
    }
  if (strcmp (key, "root") == 0 || strcmp (key, "port-file") == 0)
    {
      if (value[0] == '\0')
        {
          g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "%s must not be empty", key);
          return FALSE;
        }
      set_string (key[0] == 'r' ? &config->root : &config->port_file, value);
      return TRUE;
    }
  if (strcmp (key, "max-upload") == 0)
    {
      guint64 size = 0;

      if (!fs_parse_size (value, &size, error))
        {
          g_prefix_error (error, "max-upload: ");
          return FALSE;
        }
      if (size > FS_SERVER_MAX_MAX_UPLOAD)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                       "max-upload: '%s' is larger than the largest possible file "
                       "(8388607T)", value);
          return FALSE;
        }
      config->max_upload = size;
      return TRUE;
    }
  if (strcmp (key, "min-rate") == 0)
    {
      guint64 rate = 0;

      if (strcmp (value, "0") != 0 && !fs_parse_size (value, &rate, error))
        {
          g_prefix_error (error, "min-rate: ");
          return FALSE;
        }
      if (rate > FS_SERVER_MAX_MIN_RATE)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                       "min-rate: '%s' is more than 1T bytes per second", value);
          return FALSE;
        }
      config->min_rate = rate;
      return TRUE;
    }
  if (strcmp (key, "pool") == 0)
    {
      if (!parse_int (key, value, 1, FS_SERVER_MAX_POOL, &n, error))
        return FALSE;
      config->pool = (guint) n;
      return TRUE;
    }
  if (strcmp (key, "port") == 0 || strcmp (key, "base-port") == 0)
    {
      if (!parse_int (key, value, 0, 65535, &n, error))
        return FALSE;
      config->port = (guint) n;
      return TRUE;
    }
  if (strcmp (key, "idle-timeout") == 0)
    {
      if (!parse_int (key, value, 0, G_MAXINT / 2, &n, error))
        return FALSE;
      config->idle_timeout = (guint) n;
      return TRUE;
    }
  if (strcmp (key, "request-timeout") == 0)
    {
      if (!parse_int (key, value, 0, 86400, &n, error))
        return FALSE;
      config->request_timeout = (guint) n;
      return TRUE;
    }
  if (strcmp (key, "grace") == 0)
    {
      if (!parse_int (key, value, 0, 3600, &n, error))
        return FALSE;
      config->grace = (guint) n;
      return TRUE;
    }
  g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "unknown setting '%s'", key);
  return FALSE;
}

static gboolean
apply_file (FsServerConfig *config, GKeyFile *file, const char *path, GHashTable *skip,
            GError **error)
{
  g_auto(GStrv) groups = NULL;
  g_auto(GStrv) keys = NULL;
  /* A misspelt group or key must not be silently ignored. */
  groups = g_key_file_get_groups (file, NULL);
  for (gsize i = 0; groups[i] != NULL; i++)
    if (strcmp (groups[i], GROUP) != 0)
      {
        g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "%s: unknown group [%s] (expected [%s])",
                     path, groups[i], GROUP);
        return FALSE;
      }
  keys = g_key_file_get_keys (file, GROUP, NULL, NULL);
  for (gsize i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *value = NULL;

      /* base-port is the command line's alias; a file says port. */
      if (strcmp (keys[i], "base-port") == 0)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "%s: [%s] base-port: use port", path,
                       GROUP);
          return FALSE;
        }
      value = fs_key_file_get_string (file, GROUP, keys[i], error);
      if (value == NULL)
        {
          g_prefix_error (error, "%s: [%s] %s: ", path, GROUP, keys[i]);
          return FALSE;
        }
      if (skip != NULL && g_hash_table_contains (skip, keys[i]))
        continue;
      if (!fs_server_config_set (config, keys[i], value, error))
        {
          g_prefix_error (error, "%s: [%s] ", path, GROUP);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
fs_server_config_load (FsServerConfig *config, const char *path, GHashTable *skip,
                       GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  return apply_file (config, file, path, skip, error);
}

gboolean
fs_server_config_load_data (FsServerConfig *config, const char *data, gsize len,
                            const char *name, GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();

  if (!g_key_file_load_from_data (file, data, len, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  return apply_file (config, file, name, NULL, error);
}
