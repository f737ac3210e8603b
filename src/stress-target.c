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

#define STATS_TIMEOUT 10

void
fs_stress_target_clear (FsStressTarget *target)
{
  g_clear_pointer (&target->host, g_free);
}

static gboolean
is_loopback (const struct sockaddr *sa)
{
  if (sa->sa_family == AF_INET)
    return (ntohl (((const struct sockaddr_in *) sa)->sin_addr.s_addr) >> 24) == 127;
  if (sa->sa_family == AF_INET6)
    {
      const struct in6_addr *a = &((const struct sockaddr_in6 *) sa)->sin6_addr;
      return IN6_IS_ADDR_LOOPBACK (a) || (IN6_IS_ADDR_V4MAPPED (a) && a->s6_addr[12] == 127);
    }
  return FALSE;
}

/* Whether every address host resolves to is a loopback one (and it
 * resolves at all). */
static gboolean
only_loopback (const char *host, GError **error)
{
  struct addrinfo hints = { .ai_socktype = SOCK_STREAM };
  struct addrinfo *list = NULL;
  gboolean all = TRUE;
  int rc = getaddrinfo (host, NULL, &hints, &list);

  if (rc != 0)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "--target: cannot resolve '%s': %s", host,
                   gai_strerror (rc));
      return FALSE;
    }
  for (struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next)
    all = all && is_loopback (ai->ai_addr);
  freeaddrinfo (list);
  if (!all)
    g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                 "--target %s is not a loopback address: load a server on another machine "
                 "only on purpose, with --allow-remote", host);
  return all;
}

gboolean
fs_stress_target_parse (const char *text, gboolean allow_remote, FsStressTarget *target,
                        GError **error)
{
  const char *colon = strrchr (text, ':');
  g_autofree char *host = NULL;
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
  if (!allow_remote && !only_loopback (host, error))
    return FALSE;
  target->host = g_steal_pointer (&host);
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

  client = fs_client_connect (target->host, target->port, STATS_TIMEOUT, &local);
  if (client == NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "cannot reach --target %s:%u: %s",
                   target->host, target->port, local->message);
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
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "--target %s:%u does not say its mode in "
                   "STATS: give it with --label-mode thread or --label-mode process",
                   target->host, target->port);
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
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "--target %s:%u does not say its pool in "
                   "STATS: give it with --label-pool N", target->host, target->port);
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
