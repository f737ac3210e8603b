/* session-serve.c: the blocking models' driver of a session: one thread
 * or worker process waits in poll(2) on its one connection (and on the
 * server's stop) for whatever the session machine asks. */
#include "config.h"

#include "session.h"

#include <errno.h>
#include <poll.h>

/* Each thread (or worker process) keeps one set of buffers from one
 * connection to the next (session-reply.c says why). */
static GPrivate thread_cache = G_PRIVATE_INIT ((GDestroyNotify) fs_session_cache_free);

/* Waits until the socket is ready for what the session waits for, its
 * deadline comes, or stop_fd (-1: none) is readable. */
static void
wait_ready (FsSession *s, FsSessionWait what, int stop_fd)
{
  struct pollfd fds[2] = {
    { .fd = fs_session_fd (s), .events = what == FS_SESSION_WAIT_IN ? POLLIN : POLLOUT },
    { .fd = stop_fd, .events = POLLIN },
  };
  gint64 deadline = fs_session_deadline (s);
  int ms = -1;

  if (deadline != 0)
    {
      /* poll() counts whole milliseconds: round up, so that a timeout
       * means the time is really out. */
      gint64 left = MAX (deadline - g_get_monotonic_time (), 0);
      ms = (int) MIN ((left + 999) / 1000, G_MAXINT);
    }
  /* EINTR and the rest: fs_session_run() tries again and sees. */
  poll (fds, stop_fd >= 0 ? 2 : 1, ms);
}

gboolean
fs_session_serve (const FsSessionConfig *config, int fd)
{
  FsSessionCache *cache = g_private_get (&thread_cache);
  FsSession *s;
  GPollFD stop = { .fd = -1 };
  gboolean watching = FALSE;
  gboolean stopped = FALSE;
  FsSessionWait what;

  if (cache == NULL)
    {
      cache = fs_session_cache_new (1);
      g_private_set (&thread_cache, cache);
    }
  s = fs_session_new (config, fd, cache);
  if (config->stop != NULL)
    watching = g_cancellable_make_pollfd (config->stop, &stop);
  /* Taken as the server stopped: closed, not served. */
  if (g_cancellable_is_cancelled (config->stop))
    {
      stopped = TRUE;
      fs_session_stop (s);
    }
  while ((what = fs_session_run (s)) != FS_SESSION_CLOSED)
    {
      if (what == FS_SESSION_WAIT_WORK)
        {
          fs_session_work (s);
          continue;
        }
      if (!stopped && g_cancellable_is_cancelled (config->stop))
        {
          stopped = TRUE;
          fs_session_stop (s);
          continue;
        }
      wait_ready (s, what, watching && !stopped ? stop.fd : -1);
    }
  if (watching)
    g_cancellable_release_fd (config->stop);
  return fs_session_free (s);
}
