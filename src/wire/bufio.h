/* bufio.h: fixed-size buffered reading and writing on a connection.
 * Memory per connection is the buffers, whatever the amount of data. */
#pragma once

#include <gio/gio.h>

#include "conn.h"

G_BEGIN_DECLS

#define FS_BUFIO_SIZE (64 * 1024)

typedef struct {
  FsConn       *conn;  /* (unowned) */
  guint8       *buf;   /* owned unless borrowed */
  gboolean      borrowed;
  gsize         cap;
  gsize         start; /* first unread byte */
  gsize         end;   /* one past the last buffered byte */
  guint64       total; /* bytes read from the stream so far */
} FsReader;

void fs_reader_init  (FsReader *r, FsConn *conn, gsize cap);
/* The same in a buffer of the caller's, which must outlive the reader. */
void fs_reader_init_borrowed (FsReader *r, FsConn *conn, guint8 *buf, gsize cap);
void fs_reader_clear (FsReader *r);

static inline const guint8 *fs_reader_data  (FsReader *r) { return r->buf + r->start; }
static inline gsize         fs_reader_avail (FsReader *r) { return r->end - r->start; }
static inline gboolean      fs_reader_full  (FsReader *r) { return r->start == 0 && r->end == r->cap; }
void fs_reader_consume (FsReader *r, gsize n);

/* Reads once more into the buffer (moving unread bytes to its start first).
 * Returns the number of bytes added, 0 at end of stream, -1 on error. The
 * buffer must not be full. */
gssize fs_reader_fill (FsReader *r, GCancellable *cancellable, GError **error);

/* Offset of the first occurrence of c in the buffered data, or -1. */
gssize fs_reader_find (FsReader *r, guint8 c);

typedef struct {
  FsConn        *conn;  /* (unowned) */
  guint8        *buf;   /* owned unless borrowed */
  gboolean       borrowed;
  gsize          cap;
  gsize          len;
  guint64        total; /* bytes written to the stream so far */
} FsWriter;

void     fs_writer_init  (FsWriter *w, FsConn *conn, gsize cap);
void     fs_writer_init_borrowed (FsWriter *w, FsConn *conn, guint8 *buf, gsize cap);
void     fs_writer_clear (FsWriter *w);
/* Room left in the buffer, and a pointer to it, for writing in place. */
static inline gsize   fs_writer_room (FsWriter *w) { return w->cap - w->len; }
static inline guint8 *fs_writer_tail (FsWriter *w) { return w->buf + w->len; }
static inline void    fs_writer_commit (FsWriter *w, gsize n) { w->len += n; }
/* Appends, writing the buffer out whenever it fills. */
gboolean fs_writer_append (FsWriter *w, const void *data, gsize len, GError **error);
/* Appends data that must go out in a single write (a frame's end): flushes
 * first if it would not fit, then appends, then flushes. Data larger than
 * the buffer goes out in one write call of its own. */
gboolean fs_writer_append_final (FsWriter *w, const void *data, gsize len, GError **error);
gboolean fs_writer_flush  (FsWriter *w, GError **error);

G_END_DECLS
