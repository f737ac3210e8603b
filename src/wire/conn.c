/* conn.c: reads and writes on a socket's descriptor, with GSocket's
 * timeout and error semantics (the same GIOErrorEnum codes and
 * messages), written by hand for the server's per-connection cost.
 *
 * Why not GSocket: g_socket_new_from_fd() spends six system calls on
 * every accepted connection (SO_TYPE, getsockname, getpeername,
 * SO_KEEPALIVE, F_GETFL, F_SETFL) and makes a GObject with its private
 * data, all for facts the server already knows. Measured on the 2-core
 * VM of issue 12 (--pool 50, filestorm-pool 50 clients x 100 LIST, a new
 * connection each, strace and /proc CPU times): about 20 system calls per
 * connection at about 1.1 us each on that VM, and GLib's GObject and GIO
 * code about a fifth of the server's user time. The figures before and
 * after are in the closing note of issue 12. */
#include "config.h"

#include "conn.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

void
fs_conn_init (FsConn *c, int fd, guint timeout_s)
{
  c->fd = fd;
  c->timeout_us = (gint64) timeout_s * G_USEC_PER_SEC;
}

static gboolean
io_error (GError **error, int errsv, const char *what)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "%s: %s", what,
               g_strerror (errsv));
  return FALSE;
}

gboolean
fs_conn_wait (FsConn *c, GIOCondition condition, gint64 timeout_us,
              GCancellable *cancellable, GError **error)
{
  struct pollfd fds[2] = { { .fd = c->fd, .events = (short) condition } };
  nfds_t n = 1;
  gint64 deadline = timeout_us >= 0 ? g_get_monotonic_time () + timeout_us : -1;
  gboolean ok = TRUE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (cancellable != NULL)
    {
      GPollFD cfd;

      if (g_cancellable_make_pollfd (cancellable, &cfd))
        {
          fds[1].fd = cfd.fd;
          fds[1].events = POLLIN;
          n = 2;
        }
    }

  for (;;)
    {
      int ms = -1;
      int r;

      if (deadline >= 0)
        {
          /* poll() counts whole milliseconds: round up, so that a
           * timeout means the time is really out. */
          gint64 left = MAX (deadline - g_get_monotonic_time (), 0);
          ms = (int) MIN ((left + 999) / 1000, G_MAXINT);
        }
      r = poll (fds, n, ms);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        ok = io_error (error, errno, "Error waiting on the socket");
      else if (r == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "Socket I/O timed out");
          ok = FALSE;
        }
      else if (g_cancellable_set_error_if_cancelled (cancellable, error))
        ok = FALSE;
      break;
    }
  if (n == 2)
    g_cancellable_release_fd (cancellable);
  return ok;
}

/* The time left of an operation that started waiting at *start (0: not
 * yet), for fs_conn_wait(). */
static gint64
time_left (FsConn *c, gint64 *start)
{
  if (c->timeout_us == 0)
    return -1;
  if (*start == 0)
    *start = g_get_monotonic_time ();
  return MAX (*start + c->timeout_us - g_get_monotonic_time (), 0);
}

gssize
fs_conn_receive (FsConn *c, void *buf, gsize len, GCancellable *cancellable, GError **error)
{
  gint64 start = 0;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;
  for (;;)
    {
      ssize_t n = recv (c->fd, buf, len, 0);
      int errsv;

      if (n >= 0)
        return n;
      errsv = errno;
      if (errsv == EINTR)
        continue;
      if (errsv != EAGAIN && errsv != EWOULDBLOCK)
        {
          io_error (error, errsv, "Error receiving data");
          return -1;
        }
      if (!fs_conn_wait (c, G_IO_IN, time_left (c, &start), cancellable, error))
        return -1;
    }
}

gboolean
fs_conn_send_all (FsConn *c, const void *data, gsize len, gsize *written, GError **error)
{
  const char *p = data;
  gsize done = 0;
  gboolean ok = TRUE;
  gint64 start = 0; /* of the current wait for room, 0 when none */

  while (done < len)
    {
      ssize_t n = send (c->fd, p + done, len - done, MSG_NOSIGNAL);
      int errsv;

      if (n >= 0)
        {
          done += (gsize) n;
          start = 0;
          continue;
        }
      errsv = errno;
      if (errsv == EINTR)
        continue;
      if (errsv != EAGAIN && errsv != EWOULDBLOCK)
        ok = io_error (error, errsv, "Error sending data");
      else if (fs_conn_wait (c, G_IO_OUT, time_left (c, &start), NULL, error))
        continue;
      else
        ok = FALSE;
      break;
    }
  if (written != NULL)
    *written = done;
  return ok;
}
