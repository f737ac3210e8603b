/* listeners.c: the listening sockets that every concurrency model
 * accepts on: binding them, the ready line, and the thread that closes
 * them on a stop signal. */
#include "config.h"

#include "listeners.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <sys/socket.h>

#include "errors.h"
#include "util.h"

/* Connections the kernel queues while every thread or worker is busy:
 * enough for the largest client pools we run against a pool of one. */
#define LISTEN_BACKLOG 1024
/* With --port 0, how many free ports to try before giving up when the
 * first address's is taken on another of the name's addresses. */
#define FREE_PORT_TRIES 8

/* Binds and listens on one address. v6only: an IPv6 socket takes IPv6
 * only, since the name's IPv4 addresses get sockets of their own (or
 * "::" would take 0.0.0.0's connections, and its bind fail). bind(2)
 * rather than g_socket_bind(), whose error names the address again. */
static GSocket *
listen_one (GInetSocketAddress *address, gboolean v6only, GError **error)
{
  g_autofree char *where = fs_format_address (address);
  g_autoptr(GSocket) socket = NULL;
  struct sockaddr_storage native;
  gsize len = g_socket_address_get_native_size (G_SOCKET_ADDRESS (address));

  socket = g_socket_new (g_socket_address_get_family (G_SOCKET_ADDRESS (address)),
                         G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL
      || !g_socket_address_to_native (G_SOCKET_ADDRESS (address), &native, sizeof native,
                                      error))
    {
      g_prefix_error (error, "cannot listen on %s: ", where);
      return NULL;
    }
  /* A restarted server binds its port again at once, whatever
   * connections of the last one are still in TIME_WAIT. */
  g_socket_set_option (socket, SOL_SOCKET, SO_REUSEADDR, 1, NULL);
  if (v6only)
    g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, 1, NULL);
  if (bind (g_socket_get_fd (socket), (struct sockaddr *) &native, (socklen_t) len) < 0)
    {
      int errsv = errno;

      if (errsv == EADDRINUSE)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                     "cannot listen on %s: the port is in use (another server?): give "
                     "another --port, or --port 0 for a free one", where);
      else
        fs_set_errno_error (error, errsv, "cannot listen on %s", where);
      return NULL;
    }
  /* Every answer leaves in whole frames: no Nagle delay. Linux gives the
   * accepted connections the listening socket's TCP_NODELAY, so this is
   * once for all of them (session.c sets it per connection elsewhere). */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_listen (socket, error))
    {
      g_prefix_error (error, "cannot listen on %s: ", where);
      return NULL;
    }
  return g_steal_pointer (&socket);
}

/* The port the kernel gave listener. */
static guint
bound_port (GSocket *listener, GError **error)
{
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (listener, error);

  return local != NULL ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)) : 0;
}

GPtrArray *
fs_server_listen (GPtrArray *addresses, GError **error)
{
  guint port;

  g_return_val_if_fail (addresses->len > 0, NULL);
  port = g_inet_socket_address_get_port (addresses->pdata[0]);
  for (guint attempt = 1;; attempt++)
    {
      g_autoptr(GPtrArray) listeners = g_ptr_array_new_with_free_func (g_object_unref);
      GError *local = NULL;
      guint chosen = port;

      for (guint i = 0; i < addresses->len && local == NULL; i++)
        {
          GInetAddress *inet = g_inet_socket_address_get_address (addresses->pdata[i]);
          g_autoptr(GSocketAddress) at = g_inet_socket_address_new (inet, chosen);
          GSocket *listener = listen_one (G_INET_SOCKET_ADDRESS (at), addresses->len > 1,
                                          &local);

          if (listener == NULL)
            break;
          g_ptr_array_add (listeners, listener);
          if (i == 0 && chosen == 0 && (chosen = bound_port (listener, &local)) == 0)
            break;
        }
      if (local == NULL)
        return g_steal_pointer (&listeners);
      /* The port free on the first address may be taken on another: with
       * --port 0, another free port is as good, a few times over. */
      if (port == 0 && listeners->len > 0 && attempt < FREE_PORT_TRIES
          && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        {
          g_error_free (local);
          continue;
        }
      g_propagate_error (error, local);
      return NULL;
    }
}

gboolean
fs_server_announce (const FsServerConfig *config, GPtrArray *listeners, GError **error)
{
  guint port = bound_port (listeners->pdata[0], error);

  if (port == 0)
    return FALSE;
  if (config->port_file != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%u\n", port);
      if (!g_file_set_contents (config->port_file, text, -1, error))
        {
          g_prefix_error (error, "cannot write the port file: ");
          return FALSE;
        }
    }
  /* The first line as it always was, since programs read it (see
   * filestorm-server(1)); one more line for each further address. */
  for (guint i = 0; i < listeners->len; i++)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (listeners->pdata[i], error);
      g_autofree char *where = NULL;

      if (local == NULL)
        return FALSE;
      where = fs_format_address (G_INET_SOCKET_ADDRESS (local));
      if (i == 0)
        printf ("listening on %s (%s, pool %u)\n", where, fs_mode_name (config->mode),
                config->pool);
      else
        printf ("also listening on %s\n", where);
    }
  fflush (stdout);
  return TRUE;
}

void
fs_server_close_listeners (GPtrArray *listeners)
{
  for (guint i = 0; i < listeners->len; i++)
    g_socket_close (listeners->pdata[i], NULL);
}

typedef struct {
  GCancellable *stop;     /* (owned) */
  sigset_t      signals;
  GPtrArray    *listeners; /* (owned) */
} Watch;

static gpointer
watch_signals (gpointer data)
{
  Watch *watch = data;
  int sig;

  while (sigwait (&watch->signals, &sig) != 0)
    ;
  g_cancellable_cancel (watch->stop);
  /* The accept that may be waiting on them was woken by the cancellation. */
  fs_server_close_listeners (watch->listeners);
  g_object_unref (watch->stop);
  g_ptr_array_unref (watch->listeners);
  g_free (watch);
  return NULL;
}

void
fs_server_watch_signals (GCancellable *stop, const sigset_t *signals, GPtrArray *listeners)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->stop = g_object_ref (stop);
  watch->signals = *signals;
  watch->listeners = g_ptr_array_ref (listeners);
  g_thread_unref (g_thread_new ("fs-signals", watch_signals, watch));
}
