/* pool-idle.c: connections held open without a request for the whole
 * pool (filestorm-pool --idle-connections). A blocking server gives each
 * one a worker until its idle timeout, which is the failure mode the
 * idle axis of filestorm-stress measures; an event server keeps them in
 * its epoll set for the price of a small session and no buffer.
 *
 * Each is a bare GSocket, not an FsClient: nothing is ever read or
 * written on it, and 10,000 of them then cost the pool a socket each,
 * not a client's buffers. */
#include "config.h"

#include "pool-private.h"

#include <errno.h>
#include <sys/resource.h>

#include "errors.h"

/* Descriptors the pool needs besides the idle connections: a connection
 * per client, the setup connection, stdio, and GLib's own (its wakeup
 * pipes, a worker's eventfd): a margin, not a count. */
#define OTHER_FDS 64

/* Raises the soft limit on open files to the hard one when the soft one
 * cannot hold idle connections beside the clients' (the hard limit is
 * what the user may have; a shell's ulimit -n is often 1024 under a
 * hard limit of 524288). Failing to is not an error here: the socket
 * that then fails says why, and which one. */
static void
raise_nofile (guint idle, guint clients)
{
  struct rlimit rl;
  rlim_t need = (rlim_t) idle + clients + OTHER_FDS;

  if (getrlimit (RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY
      || rl.rlim_cur >= need)
    return;
  rl.rlim_cur = rl.rlim_max;
  (void) setrlimit (RLIMIT_NOFILE, &rl);
}

static void
close_socket (gpointer p)
{
  g_socket_close (p, NULL);
  g_object_unref (p);
}

GPtrArray *
fs_pool_idle_open (GSocketAddress *address, guint n, guint clients, guint timeout_s,
                   GError **error)
{
  g_autoptr(GPtrArray) sockets = g_ptr_array_new_full (n, close_socket);
  g_autofree char *where = fs_format_address (G_INET_SOCKET_ADDRESS (address));

  raise_nofile (n, clients);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(GSocket) socket = NULL;

      if (fs_pool_interrupted ())
        {
          fs_pool_interrupted_error (error);
          return NULL;
        }
      socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                             G_SOCKET_PROTOCOL_TCP, &local);
      /* A connect that the server's listen queue cannot take waits
       * --timeout, as a client's does, and no longer. */
      if (socket != NULL)
        g_socket_set_timeout (socket, timeout_s);
      if (socket == NULL || !g_socket_connect (socket, address, NULL, &local))
        {
          struct rlimit rl;
          gboolean limit = g_error_matches (local, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES)
                           && getrlimit (RLIMIT_NOFILE, &rl) == 0;

          g_set_error (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_CONNECT,
                       "--idle-connections: cannot open connection %u of %u to %s: %s%s", i + 1,
                       n, where, local->message,
                       limit ? " (raise the hard limit on open files, ulimit -Hn)" : "");
          return NULL;
        }
      g_ptr_array_add (sockets, g_steal_pointer (&socket));
    }
  return g_steal_pointer (&sockets);
}
