/* stress-target.c: filestorm-stress --target, a server already running. */
#include "config.h"

#include "stress-target.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "client.h"
#include "errors.h"
#include "resolve.h"
#include "util.h"

/* As a scenario's STATS (stress.c): a silent server costs 2 s. */
#define STATS_TIMEOUT 2

void
fs_stress_target_clear (FsStressTarget *target)
{
  g_clear_pointer (&target->host, g_free);
  g_clear_pointer (&target->where, g_free);
  g_clear_pointer (&target->addresses, g_ptr_array_unref);
}

gboolean
fs_stress_target_parse (const char *text, gboolean allow_remote, FsStressTarget *target,
                        GError **error)
{
  const char *colon = strrchr (text, ':');
  g_autofree char *host = NULL;
  g_autoptr(GPtrArray) addresses = NULL;
  g_autoptr(GError) local = NULL;
  guint64 port = 0;
  gsize n;

  if (colon == NULL || colon == text
      || !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                   "--target must be HOST:PORT (a port from 1 to 65535), not '%s'", text);
      return FALSE;
    }
  host = g_strndup (text, (gsize) (colon - text));
  n = strlen (host);
  if (host[0] == '[' && n > 2 && host[n - 1] == ']')
    {
      memmove (host, host + 1, n - 2);
      host[n - 2] = '\0';
    }
  else if (strchr (host, ':') != NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                   "--target: write an IPv6 address in brackets, as [%s]:%" G_GUINT64_FORMAT,
                   host, port);
      return FALSE;
    }
  /* Resolved once: every address must be a loopback one, unless
   * allow_remote, and everything after connects to one of these
   * addresses (the first that accepts, see fs_stress_target_labels()),
   * so that a name cannot resolve to a loopback address for the check
   * and to another one for the pool (DNS rebinding). */
  addresses = fs_resolve (host, (guint) port, FALSE, &local);
  if (addresses == NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "--target: %s", local->message);
      return FALSE;
    }
  if (!allow_remote && !fs_check_loopback (host, addresses, error))
    {
      g_prefix_error (error, "--target ");
      return FALSE;
    }
  target->addresses = g_steal_pointer (&addresses);
  target->port = (guint) port;
  return TRUE;
}

gboolean
fs_stress_target_labels (FsStressTarget *target, const char *label_mode, guint label_pool,
                         GError **error)
{
  g_autoptr(FsClient) client = NULL;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GError) local = NULL;
  const char *stats_mode = NULL;
  gint64 stats_pool = 0;
  guint chosen = 0;

  /* The first address that accepts is the run's: with localhost as ::1
   * and 127.0.0.1, the server may listen on either. */
  client = fs_client_connect_first ((GSocketAddress *const *) target->addresses->pdata,
                                    target->addresses->len, STATS_TIMEOUT, &chosen, &local);
  if (client == NULL)
    {
      /* The message names the addresses once already. */
      g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "--target: %s", local->message);
      return FALSE;
    }
  {
    GInetSocketAddress *address = target->addresses->pdata[chosen];

    target->host = g_inet_address_to_string (g_inet_socket_address_get_address (address));
    target->where = fs_format_address (address);
  }
  /* A server without STATS answers ERROR, or nothing: only unknown. */
  if (fs_client_stats (client, &data, NULL))
    {
      stats_mode = json_object_get_string_member_with_default (data, "mode", NULL);
      stats_pool = json_object_get_int_member_with_default (data, "pool", 0);
    }
  target->from_stats = FALSE;
  if (label_mode != NULL)
    {
      if (!fs_mode_parse (label_mode, &target->mode, error))
        {
          g_prefix_error (error, "--label-mode: ");
          return FALSE;
        }
    }
  else if (stats_mode != NULL && fs_mode_parse (stats_mode, &target->mode, NULL))
    target->from_stats = TRUE;
  else
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "--target %s does not say its mode in "
                   "STATS: give it with --label-mode (thread, process or event)",
                   target->where);
      return FALSE;
    }
  if (label_pool > 0)
    target->pool = label_pool;
  else if (stats_pool > 0 && stats_pool <= G_MAXUINT)
    {
      target->pool = (guint) stats_pool;
      target->from_stats = TRUE;
    }
  else
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "--target %s does not say its pool in "
                   "STATS: give it with --label-pool N", target->where);
      return FALSE;
    }
  return TRUE;
}

void
fs_stress_target_apply (const FsStressTarget *target, FsMatrix *matrix)
{
  g_array_set_size (matrix->modes, 0);
  g_array_append_val (matrix->modes, target->mode);
  g_array_set_size (matrix->server_pools, 0);
  g_array_append_val (matrix->server_pools, target->pool);
}
