/* accept.c: each waiter (a pool thread or a worker process) waits in an
 * epoll set of its own that holds the shared listening sockets with
 * EPOLLEXCLUSIVE and the stop's file descriptor, and takes the connection
 * with accept4().
 *
 * Why not g_socket_accept(): it waits in poll(2), and every thread or
 * worker waiting in poll() on the one listening socket wakes for every
 * new connection; all but one find nothing to accept and go back to
 * sleep. EPOLLEXCLUSIVE wakes one. Measured on the 2-core VM of issue 12
 * (process mode, --pool 50, filestorm-pool 50 clients x 100 LIST, a new
 * connection each): a minimal C server that polls the listening socket
 * spent 70 us of CPU per connection and 2.1 context switches, the same
 * server waiting with EPOLLEXCLUSIVE 52-60 us and 1.1.
 *
 * Each waiter's epoll set is one more file descriptor per pool thread or
 * worker; fs_server_run() raises the soft RLIMIT_NOFILE to the hard one
 * for that. EPOLLEXCLUSIVE needs Linux 4.5; before 5.7 (if memory of
 * the kernel's history serves) a waiter already woken could count as
 * woken again for a second connection, which then waited for a thread
 * to come back to accept.
 *
 * A server listens on every address of its --host (::1 and 127.0.0.1 for
 * localhost): each waiter's set holds every listening socket, so that the
 * same threads or workers serve them all. epoll_wait() says which one is
 * ready, and that one is tried first.
 *
 * Elsewhere than Linux this is g_socket_accept() on the first listening
 * socket only: it waits on one socket, and waiting on several there would
 * take a poll() loop of our own that no system we test on would run. */
#include "config.h"

#include <errno.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/socket.h>
#else
#include <fcntl.h>
#endif

#include "accept.h"
#include "errors.h"

struct _FsAcceptor {
  GPtrArray    *listeners; /* (owned) GSocket */
  GCancellable *stop;      /* (owned) */
  int           epoll;     /* -1 without epoll */
  int           stop_fd;   /* the stop's descriptor, -1 when none */
  guint         next;      /* the listener to try first */
};

FsAcceptor *
fs_acceptor_new (GPtrArray *listeners, GCancellable *stop, GError **error)
{
  g_autoptr(FsAcceptor) a = g_new0 (FsAcceptor, 1);

  g_return_val_if_fail (listeners->len > 0, NULL);
  a->listeners = g_ptr_array_ref (listeners);
  a->stop = g_object_ref (stop);
  a->epoll = -1;
  a->stop_fd = -1;
#ifdef __linux__
  {
    /* Each event's data is the listener's index; the stop's is past
     * them. */
    struct epoll_event stop_ev = { .events = EPOLLIN, .data.u32 = listeners->len };

    a->epoll = epoll_create1 (EPOLL_CLOEXEC);
    if (a->epoll < 0)
      {
        fs_set_errno_error (error, errno, "cannot wait for connections");
        return NULL;
      }
    for (guint i = 0; i < listeners->len; i++)
      {
        struct epoll_event listen_ev = { .events = EPOLLIN | EPOLLEXCLUSIVE, .data.u32 = i };

        if (epoll_ctl (a->epoll, EPOLL_CTL_ADD, g_socket_get_fd (listeners->pdata[i]),
                       &listen_ev) < 0)
          {
            fs_set_errno_error (error, errno, "cannot wait for connections");
            return NULL;
          }
      }
    a->stop_fd = g_cancellable_get_fd (stop);
    if (a->stop_fd >= 0 && epoll_ctl (a->epoll, EPOLL_CTL_ADD, a->stop_fd, &stop_ev) < 0)
      {
        fs_set_errno_error (error, errno, "cannot wait for connections");
        return NULL;
      }
  }
#endif
  return g_steal_pointer (&a);
}

void
fs_acceptor_free (FsAcceptor *a)
{
  if (a == NULL)
    return;
  if (a->epoll >= 0)
    close (a->epoll);
  if (a->stop_fd >= 0)
    g_cancellable_release_fd (a->stop);
  g_object_unref (a->stop);
  g_ptr_array_unref (a->listeners);
  g_free (a);
}

int
fs_acceptor_accept (FsAcceptor *a, GError **error)
{
#ifdef __linux__
  guint n = a->listeners->len;

  for (;;)
    {
      struct epoll_event ev;
      int fd = -1, errsv = EAGAIN;

      if (g_cancellable_set_error_if_cancelled (a->stop, error))
        return -1;
      /* Each listener in turn from the one last ready, until one has a
       * connection. The listening sockets are non-blocking (GSocket
       * makes them so). */
      for (guint k = 0; k < n && fd < 0; k++)
        {
          GSocket *listener = a->listeners->pdata[(a->next + k) % n];

          fd = accept4 (g_socket_get_fd (listener), NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
          errsv = fd < 0 ? errno : 0;
          if (errsv != 0 && errsv != EAGAIN && errsv != EWOULDBLOCK)
            break;
        }
      if (fd >= 0)
        return fd;
      if (errsv == EINTR || errsv == ECONNABORTED)
        continue;
      if (errsv != EAGAIN && errsv != EWOULDBLOCK)
        {
          fs_set_errno_error (error, errsv, "cannot accept a connection");
          return -1;
        }
      if (epoll_wait (a->epoll, &ev, 1, -1) < 0)
        {
          if (errno != EINTR)
            {
              fs_set_errno_error (error, errno, "cannot wait for connections");
              return -1;
            }
        }
      else if (ev.data.u32 < n)
        a->next = ev.data.u32;
    }
#else
  g_autoptr(GSocket) socket = g_socket_accept (a->listeners->pdata[0], a->stop, error);
  int fd;

  if (socket == NULL)
    return -1;
  /* The session works on the descriptor (conn.c): keep a copy of it. */
  fd = fcntl (g_socket_get_fd (socket), F_DUPFD_CLOEXEC, 0);
  if (fd < 0)
    fs_set_errno_error (error, errno, "cannot accept a connection");
  return fd;
#endif
}
