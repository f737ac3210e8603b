/* session.c: one connection's request loop, shared by both server modes:
 * reading requests, counting them, and the commands other than UPLOAD and
 * UPLOADRAW (which are in session-upload.c).
 *
 * Memory per connection is two fixed buffers (FsReader, FsWriter) and a
 * few small ones, whatever the size of the files moved: GET encodes while
 * it reads the file, and both upload forms decode into the temporary file
 * while the data arrives, including the one-line form whose "line" may be
 * hundreds of MB long.
 *
 * Every read goes through fs_session_fill() (session-io.c, with the
 * replies that this file and session-upload.c both send), which bounds
 * how long a request line may take to arrive (--request-timeout) and how
 * slowly upload content may come in (--min-rate). The idle timeout alone
 * restarts with every byte, so without these a client trickling one byte
 * a second could hold a thread or worker for as long as it liked.
 *
 * Counting: a request is counted in "requests" when its line has arrived
 * (or its time to arrive has run out) and ends in exactly one of
 * "requests_ok" (its OK answer went out in full) or "requests_failed"
 * (anything else, an answer cut short included). */
#include "config.h"

#include "session-private.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base64.h"
#include "errors.h"
#include "protocol.h"

/* GET reads the file in pieces of this size (a multiple of 3, so every
 * piece but the last encodes without carry); the writer holds two. */
#define FILE_CHUNK (48 * 1024)
#define WRITE_BUFFER_SIZE (2 * FS_B64_ENCODE_STEP_MAX (FILE_CHUNK))
/* Decoded output per step of an upload. */
#define DECODE_CHUNK FS_B64_DECODE_STEP_MAX (FS_SESSION_READ_BUFFER)
/* Closing after an error: how long and how much we keep reading so that
 * the client receives our ERROR frame instead of a reset. */
#define LINGER_SECONDS 2
#define LINGER_BYTES (64 * 1024 * 1024)

typedef enum {
  READ_LINE,     /* a complete line, a full buffer of one, or a one-line
                    UPLOAD's head */
  READ_END,      /* the client closed, went idle or the server stops */
  READ_TOO_SLOW, /* the line did not arrive within the request timeout */
  READ_FAILED,   /* the connection broke in the middle of a line */
} ReadResult;

/* ------------------------------------------------------------ counting */

static void
begin_request (FsSession *s)
{
  fs_stats_add (s->config->stats, FS_STAT_REQUESTS, 1);
  s->request_open = TRUE;
}

static void
count_bytes (FsSession *s)
{
  fs_stats_add (s->config->stats, FS_STAT_BYTES_IN, s->reader.total - s->counted_in);
  fs_stats_add (s->config->stats, FS_STAT_BYTES_OUT, s->writer.total - s->counted_out);
  s->counted_in = s->reader.total;
  s->counted_out = s->writer.total;
}

/* ------------------------------------------------------------ reading */

/* Waits for the next request line: until the buffer holds a '\n', is
 * full, or holds the head of a one-line UPLOAD, whose content the upload
 * code reads under the rate rule rather than the request timeout. While
 * no byte of the line has arrived, the server's stop cancels and the idle
 * timeout ends the session cleanly; from its first byte on, the line must
 * arrive within the request timeout. *line_len excludes the '\n';
 * *complete is FALSE when the line goes on past what is returned. A last
 * line that the client's end of stream cuts short is returned complete,
 * with s->line_at_eof set. */
static ReadResult
read_line (FsSession *s, gsize *line_len, gboolean *complete, GError **error)
{
  s->line_at_eof = FALSE;
  for (;;)
    {
      gsize avail = fs_reader_avail (&s->reader);
      gssize nl = fs_reader_find (&s->reader, '\n');
      g_autoptr(GError) local = NULL;
      gssize n;

      /* The clock starts at the line's first byte, even when that byte
       * comes with the whole buffer: the rest of an overlong line is
       * read under it too. */
      if (avail > 0 && s->request_deadline == 0 && s->config->request_timeout != 0)
        s->request_deadline = g_get_monotonic_time ()
                              + (gint64) s->config->request_timeout * G_USEC_PER_SEC;
      if (nl >= 0)
        {
          *line_len = (gsize) nl;
          *complete = TRUE;
          return READ_LINE;
        }
      if (fs_reader_full (&s->reader)
          || fs_protocol_upload_head ((const char *) fs_reader_data (&s->reader), avail))
        {
          *line_len = avail;
          *complete = FALSE;
          return READ_LINE;
        }

      n = fs_session_fill (s, s->config->stop, &local);
      if (n > 0)
        continue;
      if (n == 0)
        {
          if (avail == 0)
            return READ_END;
          *line_len = avail;
          *complete = TRUE;
          s->line_at_eof = TRUE;
          return READ_LINE;
        }
      if (g_error_matches (local, FS_ERROR, FS_ERROR_TOO_SLOW))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return READ_TOO_SLOW;
        }
      if (avail == 0
          && (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED)
              || g_error_matches (local, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
              || g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)
              || g_error_matches (local, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE)))
        return READ_END;
      g_propagate_error (error, g_steal_pointer (&local));
      return READ_FAILED;
    }
}

/* ------------------------------------------------------------ commands */

static gboolean
handle_list (FsSession *s, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) names = fs_store_list (s->config->store, &local);

  if (names == NULL)
    return fs_session_reply_store_error (s, local, error);
  return fs_session_reply (s, fs_protocol_list_frame ((const char * const *) names), TRUE,
                           error);
}

static gboolean
handle_stats (FsSession *s, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  /* This request is counted in "requests" and, until its answer is out,
   * in neither of the other two. */
  count_bytes (s);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "OK");
  json_builder_set_member_name (b, "data");
  json_builder_add_value (b, fs_stats_to_json (s->config->stats));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return fs_session_reply (s, fs_protocol_frame (root), TRUE, error);
}

static gboolean
handle_delete (FsSession *s, const char *name, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (!fs_store_delete (s->config->store, name, &local))
    return fs_session_reply_store_error (s, local, error);
  return fs_session_reply (s, fs_protocol_ok_message_frame ("File deleted successfully"),
                           TRUE, error);
}

static gssize
read_fd (int fd, guint8 *buf, gsize len, GError **error)
{
  for (;;)
    {
      ssize_t n = read (fd, buf, len);
      if (n >= 0)
        return n;
      if (errno != EINTR)
        {
          fs_set_errno_error (error, errno, "cannot read file");
          return -1;
        }
    }
}

static gboolean
handle_get (FsSession *s, const char *name, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GString) head = NULL;
  g_autofree guint8 *chunk = NULL;
  FsB64Encoder enc;
  guint64 size;
  gboolean ok = FALSE;
  int fd;

  fd = fs_store_open_read (s->config->store, name, &size, &local);
  if (fd < 0)
    return fs_session_reply_store_error (s, local, error);

  chunk = g_malloc (FILE_CHUNK);
  fs_b64_encoder_init (&enc);
  head = fs_protocol_get_frame_head (name);
  if (!fs_writer_append (&s->writer, head->str, head->len, error))
    goto out;

  for (;;)
    {
      gssize n = read_fd (fd, chunk, FILE_CHUNK, error);
      if (n < 0)
        {
          /* Part of the answer is out: the frame cannot be completed, so
           * the connection has to go. */
          g_prefix_error (error, "GET %s: ", name);
          goto out;
        }
      if (n == 0)
        break;
      if (fs_writer_room (&s->writer) < FS_B64_ENCODE_STEP_MAX ((gsize) n)
          && !fs_writer_flush (&s->writer, error))
        goto out;
      fs_writer_commit (&s->writer,
                        fs_b64_encoder_step (&enc, chunk, (gsize) n,
                                             (char *) fs_writer_tail (&s->writer)));
    }
  {
    char tail[FS_B64_ENCODE_CLOSE_MAX + sizeof FS_GET_FRAME_TAIL];
    gsize n = fs_b64_encoder_close (&enc, tail);

    memcpy (tail + n, FS_GET_FRAME_TAIL, strlen (FS_GET_FRAME_TAIL));
    n += strlen (FS_GET_FRAME_TAIL);
    ok = fs_writer_append_final (&s->writer, tail, n, error);
  }

out:
  /* OK only once the last byte of the answer is out. */
  fs_session_end_request (s, ok);
  close (fd);
  return ok;
}

/* Sends size bytes of fd straight from the page cache, waiting for room
 * under the idle timeout as every write does. */
static gboolean
send_file (FsSession *s, int fd, guint64 size, GError **error)
{
  gint64 idle_us = (gint64) s->config->idle_timeout * G_USEC_PER_SEC;
  int sock = s->conn.fd;
  off_t off = 0;

  while ((guint64) off < size)
    {
      /* Linux sends at most about 2 GiB per call. */
      ssize_t n = sendfile (sock, fd, &off, (size_t) MIN (size - (guint64) off, 1u << 30));

      if (n > 0)
        {
          fs_stats_add (s->config->stats, FS_STAT_BYTES_OUT, (guint64) n);
          continue;
        }
      if (n == 0)
        {
          g_set_error_literal (error, FS_ERROR, FS_ERROR_FAILED,
                               "the file got shorter while it was sent");
          return FALSE;
        }
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN)
        {
          if (!fs_conn_wait (&s->conn, G_IO_OUT, idle_us > 0 ? idle_us : -1, NULL, error))
            return FALSE;
          continue;
        }
      {
        return fs_set_errno_error (error, errno, "cannot send file");
      }
    }
  return TRUE;
}

static void
set_cork (FsSession *s, int on)
{
#ifdef TCP_CORK
  setsockopt (s->conn.fd, IPPROTO_TCP, TCP_CORK, &on, sizeof on);
#endif
}

/* GETRAW: the answer frame, then exactly its size in raw bytes, with
 * sendfile(2). The frame and the first bytes leave in one segment. */
static gboolean
handle_getraw (FsSession *s, const char *name, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GString) head = NULL;
  guint64 size;
  gboolean ok;
  int fd;

  fd = fs_store_open_read (s->config->store, name, &size, &local);
  if (fd < 0)
    return fs_session_reply_store_error (s, local, error);
  head = fs_protocol_getraw_frame (name, size);
  set_cork (s, 1);
  ok = fs_writer_append (&s->writer, head->str, head->len, error)
       && fs_writer_flush (&s->writer, error) && send_file (s, fd, size, error);
  set_cork (s, 0);
  /* Part of the answer may be out: a failure ends the connection. */
  if (!ok)
    g_prefix_error (error, "GETRAW %s: ", name);
  fs_session_end_request (s, ok);
  close (fd);
  return ok;
}

static gboolean
need_args (FsSession *s, const char *command, GStrv args, guint want, gboolean *ok,
           GError **error)
{
  guint have = g_strv_length (args);
  g_autofree char *message = NULL;

  if (have == want)
    return TRUE;
  if (have < want)
    message = g_strdup_printf ("%s needs a file name", command);
  else
    message = g_strdup_printf ("%s takes one file name (quote a name that contains spaces)",
                               command);
  *ok = fs_session_reply_error (s, message, error);
  return FALSE;
}

/* Serves one request whose line (or the buffer's worth of it) is at the
 * reader's start. Returns FALSE when the connection must end. */
static gboolean
handle_request (FsSession *s, gsize len, gboolean complete, GError **error)
{
  const char *line = (const char *) fs_reader_data (&s->reader);
  g_autoptr(GError) local = NULL;
  g_autofree char *word = NULL;
  g_auto(GStrv) args = NULL;
  FsCommand command = FS_CMD_UNKNOWN;
  gsize line_end = len;
  gsize pos = 0;
  gboolean ok = TRUE;

  if (complete && len > 0 && line[len - 1] == '\r')
    len--;

  /* A NUL never belongs in a request; it would also cut C strings short. */
  if (memchr (line, '\0', len) == NULL
      && fs_protocol_next_token (line, len, &pos, &word, NULL))
    command = fs_protocol_command (word);

  if (command == FS_CMD_UPLOAD)
    return fs_session_upload (s, line, len, pos, complete, error);

  /* The buffer holds two bytes more than the longest line, for its
   * "\r\n": a line that came whole may still be too long. */
  if (!complete || len > FS_SESSION_LINE_MAX || command == FS_CMD_UNKNOWN)
    {
      const char *message = command == FS_CMD_UNKNOWN ? FS_MSG_UNKNOWN
                                                      : "request line too long";
      if (!complete)
        {
          if (!fs_session_discard_line (s, error))
            return FALSE;
        }
      else
        fs_reader_consume (&s->reader, MIN (line_end + 1, fs_reader_avail (&s->reader)));
      return fs_session_reply_error (s, message, error);
    }

  if (!fs_protocol_tokenize (line + pos, len - pos, &args, &local))
    {
      fs_reader_consume (&s->reader, MIN (line_end + 1, fs_reader_avail (&s->reader)));
      return fs_session_reply_error (s, local->message, error);
    }
  /* The arguments are copies: the line can go before the answer. */
  fs_reader_consume (&s->reader, MIN (line_end + 1, fs_reader_avail (&s->reader)));

  switch (command)
    {
    case FS_CMD_LIST:
      return handle_list (s, error);
    case FS_CMD_STATS:
      return handle_stats (s, error);
    case FS_CMD_GET:
      if (need_args (s, "GET", args, 1, &ok, error))
        return handle_get (s, args[0], error);
      return ok;
    case FS_CMD_GETRAW:
      if (need_args (s, "GETRAW", args, 1, &ok, error))
        return handle_getraw (s, args[0], error);
      return ok;
    case FS_CMD_UPLOADRAW:
      return fs_session_upload_raw (s, args, error);
    case FS_CMD_DELETE:
      if (need_args (s, "DELETE", args, 1, &ok, error))
        return handle_delete (s, args[0], error);
      return ok;
    case FS_CMD_UPLOAD:
    case FS_CMD_UNKNOWN:
    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------ the loop */

static void
linger_close (FsSession *s)
{
  g_autofree guint8 *sink = g_malloc (FS_SESSION_READ_BUFFER);
  gint64 deadline = g_get_monotonic_time () + LINGER_SECONDS * G_USEC_PER_SEC;
  gsize drained = 0;

  if (shutdown (s->conn.fd, SHUT_WR) < 0)
    return;
  s->conn.timeout_us = G_USEC_PER_SEC;
  while (drained < LINGER_BYTES && g_get_monotonic_time () < deadline)
    {
      gssize n = fs_conn_receive (&s->conn, sink, FS_SESSION_READ_BUFFER, NULL, NULL);
      if (n <= 0)
        break;
      drained += (gsize) n;
    }
}

/* Each thread (or worker process) keeps its session's buffers from one
 * connection to the next. Allocated per connection, the write buffer,
 * above glibc's mmap threshold, was an mmap() and an munmap() with its
 * TLB shootdown on every connection, and the others a heap that grew and
 * shrank: perf showed sysmalloc and flush_tlb_mm_range in the LIST
 * profile of issue 12. */
typedef struct {
  guint8 *read;
  guint8 *write;
  guint8 *decoded;
} Buffers;

static void
buffers_free (gpointer data)
{
  Buffers *b = data;

  g_free (b->read);
  g_free (b->write);
  g_free (b->decoded);
  g_free (b);
}

static GPrivate thread_buffers = G_PRIVATE_INIT (buffers_free);

static Buffers *
get_buffers (void)
{
  Buffers *b = g_private_get (&thread_buffers);

  if (b == NULL)
    {
      b = g_new (Buffers, 1);
      b->read = g_malloc (FS_SESSION_READ_BUFFER);
      b->write = g_malloc (WRITE_BUFFER_SIZE);
      b->decoded = g_malloc (DECODE_CHUNK);
      g_private_set (&thread_buffers, b);
    }
  return b;
}

gboolean
fs_session_serve (const FsSessionConfig *config, int fd)
{
  Buffers *buffers = get_buffers ();
  FsSession s = { .config = config };
  g_autoptr(GError) error = NULL;
  gboolean clean = TRUE;

  fs_conn_init (&s.conn, fd, config->idle_timeout);
#ifndef __linux__
  /* On Linux the connection has it from the listening socket
   * (server.c), which spares a system call per connection. */
  {
    int on = 1;
    setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  }
#endif
  fs_reader_init_borrowed (&s.reader, &s.conn, buffers->read, FS_SESSION_READ_BUFFER);
  fs_writer_init_borrowed (&s.writer, &s.conn, buffers->write, WRITE_BUFFER_SIZE);
  s.decoded = buffers->decoded;
  fs_stats_add (config->stats, FS_STAT_CONNECTIONS, 1);

  while (!g_cancellable_is_cancelled (config->stop))
    {
      gsize len = 0;
      gboolean complete = FALSE;
      gboolean served;
      ReadResult r;

      s.request_deadline = 0;
      r = read_line (&s, &len, &complete, &error);
      if (r == READ_END)
        break;
      if (r == READ_FAILED)
        {
          clean = FALSE;
          break;
        }
      begin_request (&s);
      if (r == READ_TOO_SLOW)
        {
          /* Say why, once, and go: this client gets no more time. */
          fs_session_reply_error (&s, error->message, NULL);
          clean = FALSE;
          break;
        }
      served = handle_request (&s, len, complete, &error);
      /* Too slow, wherever it was reading (the rest of an overlong line,
       * an upload's content): say why, once, and go. */
      if (!served && s.request_open && g_error_matches (error, FS_ERROR, FS_ERROR_TOO_SLOW))
        fs_session_reply_error (&s, error->message, NULL);
      /* Whatever else ended it without an answer (the client gone in the
       * middle of a GET, say), the request failed. */
      fs_session_end_request (&s, FALSE);
      if (!served)
        {
          clean = FALSE;
          break;
        }
      count_bytes (&s);
      if (s.close_after)
        {
          linger_close (&s);
          break;
        }
    }

  if (!clean)
    g_debug ("connection ended: %s", error ? error->message : "unknown error");
  count_bytes (&s);
  fs_stats_add (config->stats, clean ? FS_STAT_WORKERS_OK : FS_STAT_WORKERS_FAILED, 1);
  close (fd);
  fs_reader_clear (&s.reader);
  fs_writer_clear (&s.writer);
  return clean;
}
