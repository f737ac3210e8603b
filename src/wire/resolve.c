/* resolve.c: from a name to its addresses, and from addresses to the
 * first one that accepts a connection (see resolve.h). */
#include "config.h"

#include "resolve.h"

#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

#include "errors.h"
#include "util.h"

GPtrArray *
fs_resolve (const char *host, guint port, gboolean passive, GError **error)
{
  struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = passive ? AI_PASSIVE : 0 };
  struct addrinfo *list = NULL;
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (g_object_unref);
  int rc = getaddrinfo (host, NULL, &hints, &list);

  if (rc != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND, "cannot resolve '%s': %s",
                   host, gai_strerror (rc));
      return NULL;
    }
  for (struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next)
    {
      g_autoptr(GSocketAddress) native = g_socket_address_new_from_native (ai->ai_addr,
                                                                           ai->ai_addrlen);
      GInetAddress *inet;
      gboolean seen = FALSE;

      if (native == NULL || !G_IS_INET_SOCKET_ADDRESS (native))
        continue;
      inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (native));
      /* A name listed twice in /etc/hosts comes twice: the server would
       * bind the same address twice, a client try it twice. */
      for (guint i = 0; i < addresses->len && !seen; i++)
        seen = g_inet_address_equal (
          inet, g_inet_socket_address_get_address (addresses->pdata[i]));
      if (!seen)
        g_ptr_array_add (addresses, g_inet_socket_address_new (inet, port));
    }
  freeaddrinfo (list);
  if (addresses->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND,
                   "cannot resolve '%s': it has no IP address", host);
      return NULL;
    }
  return g_steal_pointer (&addresses);
}

gboolean
fs_address_is_loopback (GInetSocketAddress *address)
{
  GInetAddress *inet = g_inet_socket_address_get_address (address);
  const guint8 *bytes = g_inet_address_to_bytes (inet);
  static const guint8 v4_mapped[12] = { [10] = 0xff, [11] = 0xff };

  if (g_inet_address_get_is_loopback (inet))
    return TRUE;
  /* GLib does not count ::ffff:127.0.0.1 (an IPv4 address in IPv6
   * form, which reaches 127.0.0.1) as loopback. */
  return g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6
         && memcmp (bytes, v4_mapped, sizeof v4_mapped) == 0 && bytes[12] == 127;
}

gboolean
fs_check_loopback (const char *host, GPtrArray *addresses, GError **error)
{
  for (guint i = 0; i < addresses->len; i++)
    if (!fs_address_is_loopback (addresses->pdata[i]))
      {
        g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                     "%s is not a loopback address: load a server on another machine only "
                     "on purpose, with --allow-remote", host);
        return FALSE;
      }
  return TRUE;
}

gboolean
fs_host_is_loopback (const char *host, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GPtrArray) addresses = fs_resolve (host, 0, FALSE, &local);

  if (addresses == NULL)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_USAGE, local->message);
      return FALSE;
    }
  return fs_check_loopback (host, addresses, error);
}

static GSocket *
connect_one (GSocketAddress *address, guint timeout_s, GError **error)
{
  g_autoptr(GSocket) socket = g_socket_new (g_socket_address_get_family (address),
                                            G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                            error);

  if (socket == NULL)
    return NULL;
  /* A GSocket, not a GSocketClient: the client's errors say "Could not
   * connect to HOST:" before the reason, and the address would be said
   * twice; a GSocket's say only the reason. No proxy is looked up either
   * (that would start threads, and load GIO modules, in a process that
   * may still fork). */
  g_socket_set_timeout (socket, timeout_s);
  if (!g_socket_connect (socket, address, NULL, error))
    return NULL;
  return g_steal_pointer (&socket);
}

GSocket *
fs_connect_first (GSocketAddress *const *addresses, guint n, guint timeout_s, guint *chosen,
                  GError **error)
{
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  gboolean all_refused = TRUE, same_reason = TRUE;
  GError *last;

  g_return_val_if_fail (n > 0, NULL);
  for (guint i = 0; i < n; i++)
    {
      GError *local = NULL;
      GSocket *socket = connect_one (addresses[i], timeout_s, &local);

      if (socket != NULL)
        {
          if (chosen != NULL)
            *chosen = i;
          return socket;
        }
      all_refused = all_refused && g_error_matches (local, G_IO_ERROR,
                                                    G_IO_ERROR_CONNECTION_REFUSED);
      same_reason = same_reason
                    && (i == 0 || g_strcmp0 (local->message,
                                             ((GError *) failures->pdata[0])->message) == 0);
      g_ptr_array_add (failures, local);
    }
  /* One line that says each address once: "A or B: reason" when the
   * reasons agree, "A (reason) or B (reason)" when not. */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *shown = fs_format_address (G_INET_SOCKET_ADDRESS (addresses[i]));

      if (i > 0)
        g_string_append (where, i + 1 < n ? ", " : " or ");
      g_string_append (where, shown);
      if (!same_reason)
        g_string_append_printf (where, " (%s)", ((GError *) failures->pdata[i])->message);
    }
  last = failures->pdata[n - 1];
  g_set_error (error, G_IO_ERROR, last->code, "cannot connect to %s%s%s%s", where->str,
               same_reason ? ": " : "", same_reason ? last->message : "",
               all_refused ? "; is a filestorm-server listening there?" : "");
  return NULL;
}
