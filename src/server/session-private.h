/* session-private.h: the inside of a session (session.h), shared by the
 * files of the machine:
 *
 *   session-io.c      the socket: reads, writes, sendfile, time limits;
 *                     drives the machine (fs_session_step())
 *   session.c         the machine: request lines, the small commands,
 *                     how a request and a connection end
 *   session-get.c     GET and GETRAW
 *   session-upload.c  both forms of UPLOAD, and UPLOADRAW
 *   session-reply.c   the buffers, answers and counting, below them all
 *
 * Not for the server's models, which see only session.h. */
#pragma once

#include "base64.h"
#include "bufio.h"
#include "rate.h"
#include "session.h"

G_BEGIN_DECLS

/* The longest request line (other than a one-line UPLOAD's content),
 * not counting its line feed and a carriage return before it:
 * filestorm-protocol(7) refuses only a line longer than 64 KiB. */
#define FS_SESSION_LINE_MAX (64 * 1024)
/* The input buffer holds the longest line with its "\r\n", so that a
 * line that fits is seen whole, and a full buffer without a '\n' is a
 * line too long. */
#define FS_SESSION_IN_SIZE (FS_SESSION_LINE_MAX + 2)
/* GET reads the file in pieces of this size (a multiple of 3, so every
 * piece but the last encodes without carry); the output holds two. */
#define FS_SESSION_FILE_CHUNK (48 * 1024)
#define FS_SESSION_OUT_SIZE (2 * FS_B64_ENCODE_STEP_MAX (FS_SESSION_FILE_CHUNK))
/* The work buffer: a piece of a file for GET, or the decoded bytes of
 * one step of an upload. */
#define FS_SESSION_DECODE_CHUNK FS_B64_DECODE_STEP_MAX (FS_SESSION_IN_SIZE)
#define FS_SESSION_WORK_SIZE MAX (FS_SESSION_FILE_CHUNK, FS_SESSION_DECODE_CHUNK)

typedef struct {
  guint8 *in;
  guint8 *out;
  guint8 *work;
} FsSessionBuffers;

typedef enum {
  FS_ST_IDLE,          /* between requests */
  FS_ST_LINE,          /* reading a request line */
  FS_ST_DISCARD,       /* skipping the rest of a line, then discard_then */
  FS_ST_GET,           /* encoding the file into the output */
  FS_ST_GETRAW,        /* the head queued, the file to send */
  FS_ST_UPLOAD_LINE,   /* a one-line UPLOAD's content */
  FS_ST_UPLOAD_STREAM, /* a streamed UPLOAD's lines */
  FS_ST_UPLOAD_RAW,    /* UPLOADRAW's raw bytes */
  FS_ST_COMMIT,        /* an upload all in: its fsync and rename to do */
  FS_ST_AFTER,         /* the answer queued: send it, then what follows */
  FS_ST_LINGER,        /* write side shut: reading a while, so the client
                          gets our last answer rather than a reset */
  FS_ST_FLUSH_CLOSE,   /* send what is queued, then close */
  FS_ST_CLOSED,
} FsSessionState;

/* What the machine needs to go on (fs_session_step()). */
typedef enum {
  FS_STEP_CONTINUE, /* the state changed: step again */
  FS_STEP_INPUT,    /* more input than is buffered, or its end */
  FS_STEP_OUTPUT,   /* the queued output sent */
  FS_STEP_FILE,     /* the file range (file_fd, file_off, file_size) sent */
  FS_STEP_WORK,     /* file work that may block: fs_session_work() */
  FS_STEP_CLOSE,    /* the connection ends */
} FsStep;

/* After a discarded line. */
typedef enum {
  FS_THEN_REPLY,      /* answer pending_error */
  FS_THEN_STREAM,     /* a streamed UPLOAD's content follows */
} FsDiscardThen;

/* An upload in progress: the decoder, the temporary file, and what went
 * wrong so far (content errors are answered once the client has finished
 * sending, so that the stream stays in step). */
typedef struct {
  FsB64Decoder decoder;
  FsUpload    *upload;       /* (owned) (nullable) */
  GError      *problem;      /* (owned) (nullable) */
  guint64      input;        /* base64 characters received */
  guint64      input_limit;  /* 0 = none */
  gboolean     at_line_start; /* streamed form */
  guint64      raw_left;      /* UPLOADRAW */
  gboolean     committed;     /* FS_ST_COMMIT: fs_session_work() has run */
  char        *stored;        /* (owned) (nullable) its stored name */
} FsSessionUpload;

typedef enum { FS_WAIT_NONE, FS_WAIT_IN, FS_WAIT_OUT } FsWaitKind;

struct _FsSession {
  const FsSessionConfig *config;
  int              fd;
  FsSessionCache  *cache;
  FsSessionBuffers *buf;        /* (nullable) while no request is under way */
  FsSessionState   state;

  /* Input: buf->in while there is one (in.conn unused: the session
   * receives itself, session-io.c). */
  FsReader         in;
  gboolean         in_eof;      /* the client's end of stream came */
  GError          *in_error;    /* (nullable) reading failed or ran out of time */
  /* Output: [out_sent, out_len) of buf->out, then big. */
  gsize            out_len, out_sent;
  GString         *big;         /* (nullable) an answer larger than the buffer */
  gsize            big_sent;
  guint64          out_total;   /* bytes sent from the buffer and big */
  guint64          counted_in, counted_out; /* totals already in stats */

  /* What the current wait is for, since when (monotonic). */
  FsWaitKind       wait;
  gint64           wait_start;

  /* The current request is counted in "requests" but not yet in
   * "requests_ok" or "requests_failed". */
  gboolean         request_open;
  /* An answer is queued; the request ends OK (reply_ok) or failed once
   * its last byte is out. */
  gboolean         reply_pending, reply_ok;
  /* The stream can no longer be trusted: close after the current answer,
   * lingering. */
  gboolean         close_after;
  /* The current request line ended at the client's end of stream, not
   * at a '\n'. */
  gboolean         line_at_eof;
  gboolean         stopping;    /* fs_session_stop() */
  gboolean         clean;       /* no failure so far */
  GError          *failure;     /* (nullable) why it ended uncleanly */

  /* Monotonic time by which the request line must have arrived, 0 for
   * none; and the rule on the upload body being received (nullable).
   * Every read honours whichever is set. */
  gint64           request_deadline;
  FsRateGuard     *rate;        /* &body_rate while in a body */
  FsRateGuard      body_rate;

  /* FS_ST_DISCARD */
  FsDiscardThen    discard_then;
  GError          *pending_error; /* (nullable) the answer after discarding */
  gboolean         discard_cut_off; /* ending there is an upload cut off */
  char            *stream_name;     /* (nullable) a streamed UPLOAD's name */

  /* GET, GETRAW */
  int              file_fd;     /* -1 when none */
  guint64          file_off, file_size;
  FsB64Encoder     encoder;
  gboolean         corked;

  FsSessionUpload  up;

  /* FS_ST_LINGER */
  gint64           linger_start;
  guint64          lingered;
};

/* ---- session.c: the machine ---- */

/* Handles what is buffered, as far as it can. */
FsStep fs_session_step (FsSession *s);

/* ---- session-get.c ---- */

void   fs_session_get_start    (FsSession *s, const char *name);
void   fs_session_getraw_start (FsSession *s, const char *name);
FsStep fs_session_get_step     (FsSession *s);
FsStep fs_session_getraw_step  (FsSession *s);
/* Lets go of the file of a GET or GETRAW that did not end. */
void   fs_session_get_clear    (FsSession *s);

/* ---- session-upload.c ---- */

/* UPLOAD; line/len is the request line at the input's start (or the
 * buffer's worth of it); pos is just past the command word; complete is
 * FALSE when the line goes on past what is buffered. */
void   fs_session_upload_start     (FsSession *s, const char *line, gsize len, gsize pos,
                                    gboolean complete);
/* UPLOADRAW name size, its line consumed. */
void   fs_session_upload_raw_start (FsSession *s, GStrv args);
/* After the line of a streamed UPLOAD was discarded. */
void   fs_session_upload_stream_begin (FsSession *s);
FsStep fs_session_upload_step      (FsSession *s);
/* FS_ST_COMMIT's work: the fsync and the rename. */
void   fs_session_upload_commit    (FsSession *s);
/* The upload could not be received whole (cause, taken): nothing is
 * stored, and the connection ends. */
FsStep fs_session_upload_cut_off   (FsSession *s, GError *cause);
/* Removes an unfinished upload's temporary file. */
void   fs_session_upload_clear     (FsSession *s);

/* ---- session-reply.c: buffers, answers, counting ---- */

FsSessionBuffers *fs_session_cache_take (FsSessionCache *cache);
void              fs_session_cache_give (FsSessionCache *cache, FsSessionBuffers *b);

static inline const guint8 *fs_session_in_data  (FsSession *s) { return fs_reader_data (&s->in); }
static inline gsize         fs_session_in_avail (FsSession *s) { return fs_reader_avail (&s->in); }
static inline gboolean      fs_session_in_full  (FsSession *s) { return fs_reader_full (&s->in); }
static inline gssize        fs_session_in_find  (FsSession *s, guint8 c)
{
  return fs_reader_find (&s->in, c);
}
static inline void          fs_session_in_consume (FsSession *s, gsize n)
{
  fs_reader_consume (&s->in, n);
}
/* In the middle of a request, no more input is buffered than what the
 * caller has seen: FALSE (wait for more) while the stream goes on, TRUE
 * with *error set when it ended (G_IO_ERROR_CONNECTION_CLOSED) or
 * failed. */
gboolean fs_session_in_ended   (FsSession *s, GError **error);

static inline gsize   fs_session_out_room (FsSession *s) { return FS_SESSION_OUT_SIZE - s->out_len; }
static inline guint8 *fs_session_out_tail (FsSession *s) { return s->buf->out + s->out_len; }
static inline gboolean fs_session_out_pending (FsSession *s)
{
  return s->out_sent < s->out_len || s->big != NULL;
}
/* Queues bytes to send (taking them whole, past the buffer if need be). */
void     fs_session_queue      (FsSession *s, const void *data, gsize len);

/* Queues the answer to the current request (taking the frame); the
 * request is counted OK once it is out in full when ok, else failed. */
void     fs_session_reply       (FsSession *s, GString *frame, gboolean ok);
void     fs_session_reply_error (FsSession *s, const char *message);
/* Answers an error from the store. The client gets cause's message, which
 * never holds the root's path; the server's log gets the path too when
 * the failure is the server's own (an I/O error). */
void     fs_session_reply_store_error (FsSession *s, const GError *cause);
/* Counts the start of a request, and its end (ok or failed) if it has
 * not ended yet. */
void     fs_session_begin_request (FsSession *s);
void     fs_session_end_request   (FsSession *s, gboolean ok);
/* Adds the bytes moved since the last call to the stats. */
void     fs_session_count_bytes   (FsSession *s);
/* Skips the rest of the current line, then answers with answer's
 * message (taken), as a store error. */
void     fs_session_discard_then_answer (FsSession *s, GError *answer);
/* Ends the connection uncleanly because of cause (taken), after telling
 * a client too slow why; what is queued still goes out. */
FsStep   fs_session_fail          (FsSession *s, GError *cause);
/* The error of a request that took too long (the line) or of content
 * that came too slowly (the rate rule): FS_ERROR_TOO_SLOW. */
GError  *fs_session_too_slow      (FsSession *s);

G_END_DECLS
