/* session-io.c: a session's socket. Drives the machine (session.c):
 * steps it, and does what it asks for, without blocking: receives into
 * its input, sends its output or a range of a file with sendfile(2),
 * and keeps the time of every wait, so that a model only has to wait for
 * readiness or for fs_session_deadline().
 *
 * Time limits, the same for every model:
 *  - waiting for a request: the idle timeout ends the session cleanly;
 *  - a request line, from its first byte: the request timeout;
 *  - upload content: the rate rule (rate.h), on the client's clock, which
 *    runs only while the session waits for input;
 *  - any other wait for the client, to read or to send: the idle timeout,
 *    which starts again whenever a byte moves;
 *  - lingering after the last answer: 2 s, at most 1 s without a byte. */
#include "config.h"

#include "session-private.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errors.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

#define LINGER_US (2 * G_USEC_PER_SEC)
#define LINGER_QUIET_US G_USEC_PER_SEC

FsSession *
fs_session_new (const FsSessionConfig *config, int fd, FsSessionCache *cache)
{
  FsSession *s = g_new0 (FsSession, 1);

  s->config = config;
  s->fd = fd;
  s->cache = cache;
  s->file_fd = -1;
  s->clean = TRUE;
  /* Its buffer is taken from the cache when input comes. */
  fs_reader_init_borrowed (&s->in, NULL, NULL, FS_SESSION_IN_SIZE);
  s->state = FS_ST_IDLE;
#ifndef __linux__
  /* On Linux the connection has it from the listening socket
   * (listeners.c), which spares a system call per connection. */
  {
    int on = 1;
    setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  }
#endif
  fs_stats_add (config->stats, FS_STAT_CONNECTIONS, 1);
  return s;
}

int
fs_session_fd (FsSession *s)
{
  return s->fd;
}

void
fs_session_stop (FsSession *s)
{
  s->stopping = TRUE;
}

gboolean
fs_session_free (FsSession *s)
{
  gboolean clean = s->clean;

  if (!clean)
    g_debug ("connection ended: %s", s->failure != NULL ? s->failure->message : "unknown error");
  fs_session_end_request (s, FALSE);
  fs_session_count_bytes (s);
  fs_stats_add (s->config->stats, clean ? FS_STAT_WORKERS_OK : FS_STAT_WORKERS_FAILED, 1);
  fs_session_get_clear (s);
  fs_session_upload_clear (s);
  close (s->fd);
  if (s->buf != NULL)
    fs_session_cache_give (s->cache, s->buf);
  if (s->big != NULL)
    g_string_free (s->big, TRUE);
  g_clear_error (&s->in_error);
  g_clear_error (&s->failure);
  g_clear_error (&s->pending_error);
  g_free (s->stream_name);
  g_free (s);
  return clean;
}

void
fs_session_work (FsSession *s)
{
  if (s->state == FS_ST_COMMIT && !s->up.committed)
    fs_session_upload_commit (s);
}

/* ------------------------------------------------------------ time */

static gint64
earliest (gint64 a, gint64 b)
{
  if (a == 0)
    return b;
  if (b == 0)
    return a;
  return MIN (a, b);
}

/* The bound on a wait for input besides the idle timeout: the request
 * line's deadline, or the rate rule's budget; 0 for none. */
static gint64
request_bound (FsSession *s)
{
  if (s->rate != NULL)
    {
      gint64 budget = fs_rate_guard_budget (s->rate);

      return budget < 0 ? 0 : s->wait_start + budget;
    }
  return s->request_deadline;
}

gint64
fs_session_deadline (FsSession *s)
{
  gint64 idle = s->config->idle_timeout != 0
                ? s->wait_start + (gint64) s->config->idle_timeout * G_USEC_PER_SEC : 0;

  switch (s->wait)
    {
    case FS_WAIT_OUT:
      return idle;
    case FS_WAIT_IN:
      if (s->state == FS_ST_LINGER)
        return MIN (s->linger_start + LINGER_US, s->wait_start + LINGER_QUIET_US);
      return earliest (idle, request_bound (s));
    case FS_WAIT_NONE:
    default:
      return 0;
    }
}

static void
begin_wait (FsSession *s, FsWaitKind kind)
{
  if (s->wait != kind)
    {
      s->wait = kind;
      s->wait_start = g_get_monotonic_time ();
    }
}

/* Sending failed: the answer is cut short, and the connection ends. */
static void
output_failed (FsSession *s, GError *cause)
{
  fs_session_end_request (s, FALSE);
  g_clear_error (&s->failure);
  s->failure = cause;
  s->clean = FALSE;
  s->out_len = s->out_sent = 0;
  if (s->big != NULL)
    g_string_free (g_steal_pointer (&s->big), TRUE);
  s->state = FS_ST_CLOSED;
}

/* The current wait ran out at now. */
static void
time_out (FsSession *s, gint64 now)
{
  FsWaitKind kind = s->wait;
  gint64 bound = request_bound (s);

  s->wait = FS_WAIT_NONE;
  if (kind == FS_WAIT_OUT)
    {
      output_failed (s, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                             "Socket I/O timed out"));
      return;
    }
  if (s->rate != NULL)
    fs_rate_guard_advance (s->rate, now - s->wait_start, 0);
  g_clear_error (&s->in_error);
  if (s->state != FS_ST_LINGER && bound != 0 && now >= bound)
    s->in_error = fs_session_too_slow (s);
  else
    s->in_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "Socket I/O timed out");
}

/* ------------------------------------------------------------ the socket */

static GError *
io_error (int errsv, const char *what)
{
  return g_error_new (G_IO_ERROR, g_io_error_from_errno (errsv), "%s: %s", what,
                      g_strerror (errsv));
}

/* Receives once into the input. FALSE when nothing is there yet. */
static gboolean
receive (FsSession *s)
{
  gint64 waited = 0;
  ssize_t n;

  if (s->buf == NULL)
    {
      s->buf = fs_session_cache_take (s->cache);
      s->in.buf = s->buf->in;
    }
  if (s->in.start > 0)
    {
      memmove (s->in.buf, s->in.buf + s->in.start, s->in.end - s->in.start);
      s->in.end -= s->in.start;
      s->in.start = 0;
    }
  g_assert (s->in.end < s->in.cap);
  if (s->rate != NULL && fs_rate_guard_budget (s->rate) == 0)
    {
      s->in_error = fs_session_too_slow (s);
      return TRUE;
    }
  do
    n = recv (s->fd, s->in.buf + s->in.end, s->in.cap - s->in.end, 0);
  while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    {
      begin_wait (s, FS_WAIT_IN);
      return FALSE;
    }
  if (s->rate != NULL)
    {
      if (s->wait == FS_WAIT_IN)
        waited = g_get_monotonic_time () - s->wait_start;
      fs_rate_guard_advance (s->rate, waited, n > 0 ? (guint64) n : 0);
    }
  s->wait = FS_WAIT_NONE;
  if (n < 0)
    s->in_error = io_error (errno, "Error receiving data");
  else if (n == 0)
    s->in_eof = TRUE;
  else
    {
      s->in.end += (gsize) n;
      s->in.total += (guint64) n;
    }
  return TRUE;
}

/* Sends what is queued. FALSE when the socket has no room for it. */
static gboolean
send_output (FsSession *s)
{
  while (fs_session_out_pending (s))
    {
      gboolean from_buf = s->out_sent < s->out_len;
      const guint8 *data = from_buf ? s->buf->out + s->out_sent
                                    : (const guint8 *) s->big->str + s->big_sent;
      gsize len = from_buf ? s->out_len - s->out_sent : s->big->len - s->big_sent;
      ssize_t n = send (s->fd, data, len, MSG_NOSIGNAL);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN || errno == EWOULDBLOCK)
            {
              begin_wait (s, FS_WAIT_OUT);
              return FALSE;
            }
          output_failed (s, io_error (errno, "Error sending data"));
          return TRUE;
        }
      s->wait = FS_WAIT_NONE;
      s->out_total += (guint64) n;
      if (from_buf)
        s->out_sent += (gsize) n;
      else if ((s->big_sent += (gsize) n) == s->big->len)
        {
          g_string_free (g_steal_pointer (&s->big), TRUE);
          s->big_sent = 0;
        }
    }
  s->out_len = s->out_sent = 0;
  /* An answer counts as OK only once its last byte is out. */
  if (s->reply_pending)
    fs_session_end_request (s, s->reply_ok);
  return TRUE;
}

/* Sends the rest of the file range straight from the page cache. FALSE
 * when the socket has no room. */
static gboolean
send_file (FsSession *s)
{
  while (s->file_off < s->file_size)
    {
      off_t off = (off_t) s->file_off;
      /* Linux sends at most about 2 GiB per call. */
      ssize_t n = sendfile (s->fd, s->file_fd, &off,
                            (size_t) MIN (s->file_size - s->file_off, 1u << 30));

      if (n > 0)
        {
          s->wait = FS_WAIT_NONE;
          s->file_off = (guint64) off;
          fs_stats_add (s->config->stats, FS_STAT_BYTES_OUT, (guint64) n);
          continue;
        }
      if (n == 0)
        output_failed (s, g_error_new_literal (FS_ERROR, FS_ERROR_FAILED,
                                               "the file got shorter while it was sent"));
      else if (errno == EINTR)
        continue;
      else if (errno == EAGAIN || errno == EWOULDBLOCK)
        {
          begin_wait (s, FS_WAIT_OUT);
          return FALSE;
        }
      else
        output_failed (s, io_error (errno, "cannot send file"));
      return TRUE;
    }
  return TRUE;
}

/* Waiting for the next request with nothing of it here: the buffers go
 * back to the thread's cache. */
static void
maybe_let_go (FsSession *s)
{
  if (s->buf != NULL && s->state == FS_ST_LINE && fs_session_in_avail (s) == 0
      && !fs_session_out_pending (s))
    {
      fs_session_cache_give (s->cache, s->buf);
      s->buf = NULL;
      s->in.buf = NULL;
    }
}

FsSessionWait
fs_session_run (FsSession *s)
{
  for (;;)
    {
      if (s->wait != FS_WAIT_NONE)
        {
          gint64 deadline = fs_session_deadline (s);
          gint64 now;

          if (deadline != 0 && (now = g_get_monotonic_time ()) >= deadline)
            time_out (s, now);
        }
      switch (fs_session_step (s))
        {
        case FS_STEP_CONTINUE:
          break;
        case FS_STEP_OUTPUT:
          if (!send_output (s))
            return FS_SESSION_WAIT_OUT;
          break;
        case FS_STEP_FILE:
          if (!send_file (s))
            return FS_SESSION_WAIT_OUT;
          break;
        case FS_STEP_INPUT:
          /* Every answer is out before more input is read: a client that
           * sends requests without reading the answers is not read. */
          if (fs_session_out_pending (s))
            {
              if (!send_output (s))
                return FS_SESSION_WAIT_OUT;
              break;
            }
          g_assert (!s->in_eof && s->in_error == NULL);
          if (!receive (s))
            {
              maybe_let_go (s);
              return FS_SESSION_WAIT_IN;
            }
          break;
        case FS_STEP_WORK:
          return FS_SESSION_WAIT_WORK;
        case FS_STEP_CLOSE:
        default:
          return FS_SESSION_CLOSED;
        }
    }
}
