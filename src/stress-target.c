/* stress-target.c: filestorm-stress --target, a server already running. */
#include "config.h"

#include "stress-target.h"

#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <json-glib/json-glib.h>

#include "client.h"
#include "errors.h"
#include "util.h"

/* As a scenario's STATS (stress.c): a silent server costs 2 s. */
#define STATS_TIMEOUT 2

void
fs_stress_target_clear (FsStressTarget *target)
{
  g_clear_pointer (&target->host, g_free);
  g_clear_pointer (&target->where, g_free);
}

/* Resolves host once: every address it resolves to must be a loopback
 * one, unless allow_remote; the first (the one a client would take) is
 * returned with port. Everything after connects to that address, so a
 * name cannot resolve to a loopback address for the check and to another
 * one for the pool (DNS rebinding). */
static GInetSocketAddress *
resolve_once (const char *host, guint port, gboolean allow_remote, GError **error)
{
  struct addrinfo hints = { .ai_socktype = SOCK_STREAM };
  struct addrinfo *list = NULL;
  g_autoptr(GSocketAddress) first = NULL;
  gboolean all = TRUE;
  int rc = getaddrinfo (host, NULL, &hints, &list);

  if (rc != 0)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "--target: cannot resolve '%s': %s", host,
                   gai_strerror (rc));
      return NULL;
    }
  for (struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next)
    all = all && fs_sockaddr_is_loopback (ai->ai_addr);
  first = g_socket_address_new_from_native (list->ai_addr, list->ai_addrlen);
  freeaddrinfo (list);
  if (!all && !allow_remote)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                   "--target %s is not a loopback address: load a server on another machine "
                   "only on purpose, with --allow-remote", host);
      return NULL;
    }
  if (first == NULL || !G_IS_INET_SOCKET_ADDRESS (first))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "--target: '%s' is not an IP address", host);
      return NULL;
    }
  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (first)), port));
}

gboolean
fs_stress_target_parse (const char *text, gboolean allow_remote, FsStressTarget *target,
                        GError **error)
{
  const char *colon = strrchr (text, ':');
  g_autofree char *host = NULL;
  g_autoptr(GInetSocketAddress) address = NULL;
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
  address = resolve_once (host, (guint) port, allow_remote, error);
  if (address == NULL)
    return FALSE;
  target->host = g_inet_address_to_string (g_inet_socket_address_get_address (address));
  target->port = (guint) port;
  target->where = fs_format_address (address);
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

  client = fs_client_connect (target->host, target->port, STATS_TIMEOUT, &local);
  if (client == NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "cannot reach --target %s: %s",
                   target->where, local->message);
      return FALSE;
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
                   "STATS: give it with --label-mode thread or --label-mode process",
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
