/* bufio.c: fixed-size buffered reading and writing on a connection
 * (conn.c).
 *
 * Straight on the socket, not through GSocketConnection's streams: a
 * connection and its two streams are three more GObjects to make and
 * free for every connection, and GLib's GObject and GIO code was about a
 * fifth of the server's CPU time per LIST connection (perf, issue 12,
 * process mode, 50 clients x 100 LIST, a new connection each). */
#include "config.h"

#include "bufio.h"

#include <string.h>

void
fs_reader_init_borrowed (FsReader *r, FsConn *conn, guint8 *buf, gsize cap)
{
  r->conn = conn;
  r->buf = buf;
  r->borrowed = TRUE;
  r->cap = cap;
  r->start = r->end = 0;
  r->total = 0;
}

void
fs_reader_init (FsReader *r, FsConn *conn, gsize cap)
{
  fs_reader_init_borrowed (r, conn, g_malloc (cap), cap);
  r->borrowed = FALSE;
}

void
fs_reader_clear (FsReader *r)
{
  if (r->borrowed)
    r->buf = NULL;
  g_clear_pointer (&r->buf, g_free);
  r->start = r->end = r->cap = 0;
}

void
fs_reader_consume (FsReader *r, gsize n)
{
  g_assert (n <= fs_reader_avail (r));
  r->start += n;
  if (r->start == r->end)
    r->start = r->end = 0;
}

gssize
fs_reader_fill (FsReader *r, GCancellable *cancellable, GError **error)
{
  gssize n;

  g_assert (!fs_reader_full (r));
  if (r->start > 0 && r->end == r->cap)
    {
      memmove (r->buf, r->buf + r->start, r->end - r->start);
      r->end -= r->start;
      r->start = 0;
    }
  n = fs_conn_receive (r->conn, r->buf + r->end, r->cap - r->end, cancellable, error);
  if (n > 0)
    {
      r->end += (gsize) n;
      r->total += (guint64) n;
    }
  return n;
}

gssize
fs_reader_find (FsReader *r, guint8 c)
{
  const guint8 *p = memchr (fs_reader_data (r), c, fs_reader_avail (r));
  return p ? (gssize) (p - fs_reader_data (r)) : -1;
}

void
fs_writer_init_borrowed (FsWriter *w, FsConn *conn, guint8 *buf, gsize cap)
{
  w->conn = conn;
  w->buf = buf;
  w->borrowed = TRUE;
  w->cap = cap;
  w->len = 0;
  w->total = 0;
}

void
fs_writer_init (FsWriter *w, FsConn *conn, gsize cap)
{
  fs_writer_init_borrowed (w, conn, g_malloc (cap), cap);
  w->borrowed = FALSE;
}

void
fs_writer_clear (FsWriter *w)
{
  if (w->borrowed)
    w->buf = NULL;
  g_clear_pointer (&w->buf, g_free);
  w->len = w->cap = 0;
}

gboolean
fs_writer_flush (FsWriter *w, GError **error)
{
  gsize written = 0;
  gboolean ok;

  if (w->len == 0)
    return TRUE;
  ok = fs_conn_send_all (w->conn, w->buf, w->len, &written, error);
  w->total += written;
  w->len = 0;
  return ok;
}

gboolean
fs_writer_append (FsWriter *w, const void *data, gsize len, GError **error)
{
  const guint8 *p = data;

  while (len > 0)
    {
      gsize n = MIN (len, fs_writer_room (w));
      memcpy (fs_writer_tail (w), p, n);
      w->len += n;
      p += n;
      len -= n;
      if (fs_writer_room (w) == 0 && !fs_writer_flush (w, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
fs_writer_append_final (FsWriter *w, const void *data, gsize len, GError **error)
{
  gsize written = 0;
  gboolean ok;

  if (len > fs_writer_room (w) && !fs_writer_flush (w, error))
    return FALSE;
  if (len <= fs_writer_room (w))
    {
      memcpy (fs_writer_tail (w), data, len);
      w->len += len;
      return fs_writer_flush (w, error);
    }
  /* Larger than the buffer (a long LIST): still one write call. */
  ok = fs_conn_send_all (w->conn, data, len, &written, error);
  w->total += written;
  return ok;
}
