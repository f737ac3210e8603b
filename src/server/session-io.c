/* session-io.c: what the request loop (session.c) and the uploads
 * (session-upload.c) both do with a connection: read more under the
 * request timeout and the minimum rate, skip the rest of a line, answer,
 * and count a request's end. Below both, so that neither calls back into
 * the other. */
#include "config.h"

#include "session-private.h"

#include "errors.h"
#include "protocol.h"

/* ------------------------------------------------------------ counting */

void
fs_session_end_request (FsSession *s, gboolean ok)
{
  if (!s->request_open)
    return;
  s->request_open = FALSE;
  fs_stats_add (s->config->stats, ok ? FS_STAT_REQUESTS_OK : FS_STAT_REQUESTS_FAILED, 1);
}

/* ------------------------------------------------------------ replies */

gboolean
fs_session_reply (FsSession *s, GString *frame, gboolean ok, GError **error)
{
  g_autoptr(GString) owned = frame;
  gboolean sent = fs_writer_append_final (&s->writer, owned->str, owned->len, error);

  fs_session_end_request (s, ok && sent);
  return sent;
}

gboolean
fs_session_reply_error (FsSession *s, const char *message, GError **error)
{
  return fs_session_reply (s, fs_protocol_error_frame (message), FALSE, error);
}

gboolean
fs_session_reply_store_error (FsSession *s, const GError *cause, GError **error)
{
  /* G_IO_ERROR is the system's word on the root (a disk full, a file too
   * large, a directory gone); FS_ERROR is about the request. */
  if (cause->domain == G_IO_ERROR)
    {
      /* The message may name a file that a client chose. */
      g_autofree char *shown = fs_protocol_printable_text (cause->message);

      g_printerr ("filestorm-server: %s (root %s)\n", shown, fs_store_path (s->config->store));
    }
  return fs_session_reply_error (s, cause->message, error);
}

/* ------------------------------------------------------------ reading */

static gboolean
too_slow (FsSession *s, GError **error)
{
  if (s->rate != NULL)
    {
      g_autofree char *rate = g_format_size_full (s->rate->min_rate,
                                                  G_FORMAT_SIZE_IEC_UNITS);
      g_set_error (error, FS_ERROR, FS_ERROR_TOO_SLOW,
                   "upload too slow: less than %s/s over %d s", rate, FS_RATE_WINDOW_S);
    }
  else
    g_set_error (error, FS_ERROR, FS_ERROR_TOO_SLOW,
                 "request timeout: the request line did not arrive within %u s",
                 s->config->request_timeout);
  return FALSE;
}

gssize
fs_session_fill (FsSession *s, GCancellable *cancellable, GError **error)
{
  gint64 idle_us = (gint64) s->config->idle_timeout * G_USEC_PER_SEC;
  gint64 start = g_get_monotonic_time ();
  gint64 budget = -1;
  gssize n;

  if (s->rate != NULL)
    budget = fs_rate_guard_budget (s->rate);
  else if (s->request_deadline != 0)
    budget = MAX (s->request_deadline - start, 0);
  if (budget == 0)
    {
      too_slow (s, error);
      return -1;
    }

  /* The connection's own timeout (the idle timeout) bounds the read
   * itself; wait here first only when our bound comes sooner. */
  if (budget > 0 && (idle_us == 0 || budget < idle_us))
    {
      GError *local = NULL;

      if (!fs_conn_wait (&s->conn, G_IO_IN, budget, cancellable, &local))
        {
          if (s->rate != NULL)
            fs_rate_guard_advance (s->rate, g_get_monotonic_time () - start, 0);
          if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
            {
              g_propagate_error (error, local);
              return -1;
            }
          g_error_free (local);
          too_slow (s, error);
          return -1;
        }
    }

  n = fs_reader_fill (&s->reader, cancellable, error);
  if (s->rate != NULL)
    fs_rate_guard_advance (s->rate, g_get_monotonic_time () - start,
                           n > 0 ? (guint64) n : 0);
  return n;
}

gboolean
fs_session_fill_in_request (FsSession *s, GError **error)
{
  gssize n = fs_session_fill (s, NULL, error);

  if (n < 0)
    return FALSE;
  if (n == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                           "the client closed the connection in the middle of a request");
      return FALSE;
    }
  return TRUE;
}

gboolean
fs_session_discard_line (FsSession *s, GError **error)
{
  for (;;)
    {
      gssize nl = fs_reader_find (&s->reader, '\n');

      if (nl >= 0)
        {
          fs_reader_consume (&s->reader, (gsize) nl + 1);
          return TRUE;
        }
      fs_reader_consume (&s->reader, fs_reader_avail (&s->reader));
      if (!fs_session_fill_in_request (s, error))
        return FALSE;
    }
}
