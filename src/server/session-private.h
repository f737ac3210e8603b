/* session-private.h: what the request loop (session.c, the small
 * commands), the uploads (session-upload.c, both forms of UPLOAD) and
 * session-io.c (reading, replying, counting: used by both) share. Not for
 * the server models, which see only session.h. */
#pragma once

#include "bufio.h"
#include "rate.h"
#include "session.h"

G_BEGIN_DECLS

/* The longest request line (other than a one-line UPLOAD's content),
 * not counting its line feed and a carriage return before it:
 * filestorm-protocol(7) refuses only a line longer than 64 KiB. */
#define FS_SESSION_LINE_MAX (64 * 1024)
/* The reader's buffer holds the longest line with its "\r\n", so that a
 * line that fits is seen whole, and a full buffer without a '\n' is a
 * line too long. */
#define FS_SESSION_READ_BUFFER (FS_SESSION_LINE_MAX + 2)

typedef struct {
  const FsSessionConfig *config;
  FsConn       conn;
  FsReader     reader;
  FsWriter     writer;
  guint8      *decoded;          /* (unowned) decoded upload bytes, one step */
  guint64      counted_in;       /* reader/writer totals already in stats */
  guint64      counted_out;
  /* The stream can no longer be trusted: close after the current answer,
   * reading what the client still sends for a moment so it gets to read
   * the answer. */
  gboolean     close_after;
  /* The current request is counted in "requests" but not yet in
   * "requests_ok" or "requests_failed". */
  gboolean     request_open;
  /* The current request line ended at the client's end of stream, not
   * at a '\n'. */
  gboolean     line_at_eof;
  /* Monotonic time by which the request line must have arrived, 0 for
   * none; and the rule on the upload body being received (nullable).
   * Every read honours whichever is set. */
  gint64       request_deadline;
  FsRateGuard *rate;             /* (nullable) &body_rate while in a body */
  FsRateGuard  body_rate;
} FsSession;

/* ---- session-io.c ---- */

/* Reads more into the reader: the bytes added, 0 at end of stream, -1 on
 * error. A request deadline or rate rule that runs out fails with
 * FS_ERROR_TOO_SLOW. */
gssize   fs_session_fill (FsSession *s, GCancellable *cancellable, GError **error);
/* The same once a request is under way: no cancellation, and end of
 * stream is a G_IO_ERROR_CONNECTION_CLOSED error. */
gboolean fs_session_fill_in_request (FsSession *s, GError **error);
/* Consumes the rest of the current line, its '\n' included. FALSE if the
 * stream ended first. */
gboolean fs_session_discard_line (FsSession *s, GError **error);

/* Sends the answer to the current request (taking the frame) and counts
 * the request: OK when ok and the answer went out, else failed. */
gboolean fs_session_reply (FsSession *s, GString *frame, gboolean ok, GError **error);
gboolean fs_session_reply_error (FsSession *s, const char *message, GError **error);
/* Answers an error from the store. The client gets error's message, which
 * never holds the root's path; the server's log gets the path too when
 * the failure is the server's own (an I/O error). */
gboolean fs_session_reply_store_error (FsSession *s, const GError *cause, GError **error);
/* Counts the current request as ended (ok or failed) if it is not yet. */
void     fs_session_end_request (FsSession *s, gboolean ok);

/* ---- session-upload.c, called by the request loop ---- */

/* UPLOAD in its three forms (session-upload.c). line/len is the request
 * line at the reader's start (or the buffer's worth of it); pos is just
 * past the command word; complete is FALSE when the line goes on past
 * what is buffered. */
gboolean fs_session_upload (FsSession *s, const char *line, gsize len, gsize pos,
                            gboolean complete, GError **error);
/* UPLOADRAW name size, its line consumed; args are its arguments. */
gboolean fs_session_upload_raw (FsSession *s, GStrv args, GError **error);

G_END_DECLS
