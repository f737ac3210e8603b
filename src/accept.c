/* accept.c: each waiter (a pool thread or a worker process) waits in an
 * epoll set of its own that holds the shared listening socket with
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
 * to come back to accept. Elsewhere than Linux this is
 * g_socket_accept(). */
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
  GSocket      *listener; /* (owned) */
  GCancellable *stop;     /* (owned) */
  int           epoll;    /* -1 without epoll */
  int           stop_fd;  /* the stop's descriptor, -1 when none */
};

FsAcceptor *
fs_acceptor_new (GSocket *listener, GCancellable *stop, GError **error)
{
  g_autoptr(FsAcceptor) a = g_new0 (FsAcceptor, 1);

  a->listener = g_object_ref (listener);
  a->stop = g_object_ref (stop);
  a->epoll = -1;
  a->stop_fd = -1;
#ifdef __linux__
  {
    struct epoll_event listen_ev = { .events = EPOLLIN | EPOLLEXCLUSIVE };
    struct epoll_event stop_ev = { .events = EPOLLIN };

    a->epoll = epoll_create1 (EPOLL_CLOEXEC);
    if (a->epoll < 0)
      {
        fs_set_errno_error (error, errno, "cannot wait for connections");
        return NULL;
      }
    a->stop_fd = g_cancellable_get_fd (stop);
    listen_ev.data.fd = g_socket_get_fd (listener);
    stop_ev.data.fd = a->stop_fd;
    if (epoll_ctl (a->epoll, EPOLL_CTL_ADD, listen_ev.data.fd, &listen_ev) < 0
        || (a->stop_fd >= 0 && epoll_ctl (a->epoll, EPOLL_CTL_ADD, a->stop_fd, &stop_ev) < 0))
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
  g_object_unref (a->listener);
  g_free (a);
}

int
fs_acceptor_accept (FsAcceptor *a, GError **error)
{
#ifdef __linux__
  int lfd = g_socket_get_fd (a->listener);

  for (;;)
    {
      struct epoll_event ev;
      int fd, errsv;

      if (g_cancellable_set_error_if_cancelled (a->stop, error))
        return -1;
      /* The listening socket is non-blocking (GSocket makes it so). */
      fd = accept4 (lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (fd >= 0)
        return fd;
      errsv = errno;
      if (errsv == EINTR || errsv == ECONNABORTED)
        continue;
      if (errsv != EAGAIN && errsv != EWOULDBLOCK)
        {
          fs_set_errno_error (error, errsv, "cannot accept a connection");
          return -1;
        }
      if (epoll_wait (a->epoll, &ev, 1, -1) < 0 && errno != EINTR)
        {
          fs_set_errno_error (error, errno, "cannot wait for connections");
          return -1;
        }
    }
#else
  g_autoptr(GSocket) socket = g_socket_accept (a->listener, a->stop, error);
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
