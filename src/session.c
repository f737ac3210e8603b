/* session.c: one connection's request loop, shared by both server modes.
 *
 * Memory per connection is two fixed buffers (FsReader, FsWriter) and a
 * few small ones, whatever the size of the files moved: GET encodes while
 * it reads the file, and both upload forms decode into the temporary file
 * while the data arrives, including the one-line form whose "line" may be
 * hundreds of MB long. */
#include "config.h"

#include "session.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <unistd.h>

#include "base64.h"
#include "bufio.h"
#include "errors.h"
#include "protocol.h"

/* The reader's buffer bounds a request line (other than a one-line
 * UPLOAD's content). */
#define READ_BUFFER_SIZE FS_BUFIO_SIZE
/* GET reads the file in pieces of this size (a multiple of 3, so every
 * piece but the last encodes without carry); the writer holds two. */
#define FILE_CHUNK (48 * 1024)
#define WRITE_BUFFER_SIZE (2 * FS_B64_ENCODE_STEP_MAX (FILE_CHUNK))
/* Decoded output per step of an upload. */
#define DECODE_CHUNK FS_B64_DECODE_STEP_MAX (READ_BUFFER_SIZE)
/* Closing after an error: how long and how much we keep reading so that
 * the client receives our ERROR frame instead of a reset. */
#define LINGER_SECONDS 2
#define LINGER_BYTES (64 * 1024 * 1024)
/* How long ENDUPLOAD without its '\n' waits for more bytes. */
#define MARKER_WAIT_US (200 * 1000)

typedef struct {
  const FsSessionConfig *config;
  GSocket   *socket;      /* (unowned) */
  FsReader   reader;
  FsWriter   writer;
  guint8    *decoded;     /* (owned) DECODE_CHUNK bytes */
  guint64    counted_in;  /* reader/writer totals already added to stats */
  guint64    counted_out;
  /* The stream can no longer be trusted: close after the current answer,
   * reading what the client still sends for a moment so it gets to read
   * the answer. */
  gboolean   close_after;
} Session;

typedef enum {
  READ_LINE,   /* a complete line, or a full buffer of one */
  READ_END,    /* the client closed, went idle or the server stops */
  READ_FAILED, /* the connection broke in the middle of a line */
} ReadResult;

/* ------------------------------------------------------------ replies */

static gboolean
send_frame (Session *s, GString *frame, gboolean ok, GError **error)
{
  g_autoptr(GString) owned = frame;

  fs_stats_add (s->config->stats, ok ? FS_STAT_REQUESTS_OK : FS_STAT_REQUESTS_FAILED, 1);
  return fs_writer_append_final (&s->writer, owned->str, owned->len, error);
}

static gboolean
reply_error (Session *s, const char *message, GError **error)
{
  return send_frame (s, fs_protocol_error_frame (message), FALSE, error);
}

static void
count_bytes (Session *s)
{
  fs_stats_add (s->config->stats, FS_STAT_BYTES_IN, s->reader.total - s->counted_in);
  fs_stats_add (s->config->stats, FS_STAT_BYTES_OUT, s->writer.total - s->counted_out);
  s->counted_in = s->reader.total;
  s->counted_out = s->writer.total;
}

/* ------------------------------------------------------------ reading */

/* Reads more once a request is under way: no cancellation, the socket's
 * timeout still applies. End of stream is an error here. */
static gboolean
fill_in_request (Session *s, GError **error)
{
  gssize n = fs_reader_fill (&s->reader, NULL, error);

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

/* Waits for the next request line: until the buffer holds a '\n' or is
 * full. While waiting, the server's stop cancels and the idle timeout ends
 * the session cleanly. *line_len excludes the '\n'; *complete is FALSE when
 * the buffer filled first. A last line without '\n' before the client's
 * end of stream is served as a complete line. */
static ReadResult
read_line (Session *s, gsize *line_len, gboolean *complete, GError **error)
{
  for (;;)
    {
      gssize nl = fs_reader_find (&s->reader, '\n');
      g_autoptr(GError) local = NULL;
      gssize n;

      if (nl >= 0)
        {
          *line_len = (gsize) nl;
          *complete = TRUE;
          return READ_LINE;
        }
      if (fs_reader_full (&s->reader))
        {
          *line_len = fs_reader_avail (&s->reader);
          *complete = FALSE;
          return READ_LINE;
        }

      n = fs_reader_fill (&s->reader, s->config->stop, &local);
      if (n > 0)
        continue;
      if (n == 0)
        {
          if (fs_reader_avail (&s->reader) == 0)
            return READ_END;
          *line_len = fs_reader_avail (&s->reader);
          *complete = TRUE;
          return READ_LINE;
        }
      if (fs_reader_avail (&s->reader) == 0
          && (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED)
              || g_error_matches (local, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
              || g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)
              || g_error_matches (local, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE)))
        return READ_END;
      g_propagate_error (error, g_steal_pointer (&local));
      return READ_FAILED;
    }
}

/* Consumes the rest of the current line, its '\n' included, without
 * keeping it. Returns FALSE if the stream ended first. */
static gboolean
discard_line (Session *s, GError **error)
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
      if (!fill_in_request (s, error))
        return FALSE;
    }
}

/* ------------------------------------------------------------ commands */

static gboolean
handle_list (Session *s, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) names = fs_store_list (s->config->store, &local);

  if (names == NULL)
    return reply_error (s, local->message, error);
  return send_frame (s, fs_protocol_list_frame ((const char * const *) names), TRUE, error);
}

static gboolean
handle_stats (Session *s, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  count_bytes (s);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "OK");
  json_builder_set_member_name (b, "data");
  json_builder_add_value (b, fs_stats_to_json (s->config->stats));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return send_frame (s, fs_protocol_frame (root), TRUE, error);
}

static gboolean
handle_delete (Session *s, const char *name, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (!fs_store_delete (s->config->store, name, &local))
    return reply_error (s, local->message, error);
  return send_frame (s, fs_protocol_ok_message_frame ("File deleted successfully"),
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
          int errsv = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       "cannot read file: %s", g_strerror (errsv));
          return -1;
        }
    }
}

static gboolean
handle_get (Session *s, const char *name, GError **error)
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
    return reply_error (s, local->message, error);

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
    fs_stats_add (s->config->stats, FS_STAT_REQUESTS_OK, 1);
    ok = fs_writer_append_final (&s->writer, tail, n, error);
  }

out:
  close (fd);
  return ok;
}

/* An upload in progress: the decoder, the temporary file, and what went
 * wrong so far (content errors are answered once the client has finished
 * sending, so that the stream stays in step). */
typedef struct {
  FsB64Decoder decoder;
  FsUpload    *upload;       /* (owned) */
  GError      *problem;      /* (owned) (nullable) */
  guint64      input;        /* base64 characters received */
  guint64      input_limit;  /* 0 = none */
} Upload;

static void
upload_clear (Upload *u)
{
  g_clear_pointer (&u->upload, fs_upload_free);
  g_clear_error (&u->problem);
}

static gboolean
upload_start (Session *s, Upload *u, const char *name, GError **error)
{
  guint64 max = s->config->max_upload;

  memset (u, 0, sizeof *u);
  fs_b64_decoder_init (&u->decoder);
  /* Base64 is 4/3 of the content, plus line breaks: allow twice that
   * before calling a stream of characters hostile. */
  u->input_limit = max == 0 ? 0 : max / 3 * 8 + 2 * READ_BUFFER_SIZE;
  u->upload = fs_upload_begin (s->config->store, name, max, error);
  return u->upload != NULL;
}

/* Feeds base64 characters. Content problems are kept in u->problem and the
 * rest of the upload is only counted, not decoded. */
static void
upload_feed (Session *s, Upload *u, const guint8 *data, gsize len)
{
  gsize out_len = 0;

  u->input += len;
  /* Checked even after a content problem: draining a bad upload to its end
   * must not go on forever either. */
  if (u->input_limit != 0 && u->input > u->input_limit
      && !g_error_matches (u->problem, FS_ERROR, FS_ERROR_TOO_LARGE))
    {
      g_autofree char *limit = g_format_size_full (s->config->max_upload,
                                                   G_FORMAT_SIZE_IEC_UNITS);
      g_clear_error (&u->problem);
      g_set_error (&u->problem, FS_ERROR, FS_ERROR_TOO_LARGE,
                   "upload too large: the limit is %s", limit);
      return;
    }
  if (u->problem != NULL)
    return;
  while (len > 0 && u->problem == NULL)
    {
      gsize n = MIN (len, READ_BUFFER_SIZE);
      if (!fs_b64_decoder_step (&u->decoder, (const char *) data, n, s->decoded,
                                &out_len, &u->problem))
        break;
      fs_upload_write (u->upload, s->decoded, out_len, &u->problem);
      data += n;
      len -= n;
    }
}

/* Answers an upload whose content has all arrived. */
static gboolean
upload_finish (Session *s, Upload *u, GError **error)
{
  g_autofree char *stored = NULL;

  if (u->problem == NULL && fs_b64_decoder_finish (&u->decoder, &u->problem))
    stored = fs_upload_commit (u->upload, &u->problem);
  if (stored == NULL)
    {
      if (g_error_matches (u->problem, FS_ERROR, FS_ERROR_TOO_LARGE))
        s->close_after = TRUE;
      return reply_error (s, u->problem->message, error);
    }
  return send_frame (s, fs_protocol_upload_frame (stored, fs_upload_size (u->upload)),
                     TRUE, error);
}

/* UPLOAD name <base64>: the content runs to the end of the line, which may
 * be far longer than the buffer; the line's head is already consumed. */
static gboolean
handle_upload_line (Session *s, const char *name, GError **error)
{
  Upload u;
  g_autoptr(GError) local = NULL;
  gboolean ok;

  if (!upload_start (s, &u, name, &local))
    {
      upload_clear (&u);
      if (!discard_line (s, error))
        return FALSE;
      return reply_error (s, local->message, error);
    }

  for (;;)
    {
      gssize nl = fs_reader_find (&s->reader, '\n');
      gsize n = nl >= 0 ? (gsize) nl : fs_reader_avail (&s->reader);

      upload_feed (s, &u, fs_reader_data (&s->reader), n);
      fs_reader_consume (&s->reader, n);
      if (nl >= 0)
        {
          fs_reader_consume (&s->reader, 1);
          break;
        }
      if (g_error_matches (u.problem, FS_ERROR, FS_ERROR_TOO_LARGE))
        break;
      if (!fill_in_request (s, &local))
        {
          /* End of stream ends the line: the last request may lack '\n'. */
          if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)
              || fs_reader_avail (&s->reader) != 0)
            {
              upload_clear (&u);
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          g_clear_error (&local);
          break;
        }
    }
  ok = upload_finish (s, &u, error);
  upload_clear (&u);
  return ok;
}

static gboolean
is_end_upload (const guint8 *line, gsize len)
{
  while (len > 0 && g_ascii_isspace (line[len - 1]))
    len--;
  return len == strlen (FS_END_UPLOAD) && memcmp (line, FS_END_UPLOAD, len) == 0;
}

/* UPLOAD [name], then base64 lines of any length, then ENDUPLOAD. */
static gboolean
handle_upload_stream (Session *s, const char *name, GError **error)
{
  static const char ready[] = FS_READY_LINE FS_FRAME_END;
  /* "ENDUPLOAD\r\n": a line start with this much buffered and no '\n' in
   * it is content, not the end marker. */
  const gsize marker_max = strlen (FS_END_UPLOAD) + 2;
  g_autoptr(GError) local = NULL;
  gboolean at_line_start = TRUE;
  gboolean ok;
  Upload u;

  if (!upload_start (s, &u, name, &local))
    {
      upload_clear (&u);
      return reply_error (s, local->message, error);
    }
  if (!fs_writer_append_final (&s->writer, ready, strlen (ready), error))
    {
      upload_clear (&u);
      return FALSE;
    }

  for (;;)
    {
      gsize avail = fs_reader_avail (&s->reader);
      gssize nl = fs_reader_find (&s->reader, '\n');

      if (at_line_start)
        {
          if (nl < 0 && avail < marker_max)
            {
              /* Some clients send the marker without a '\n' and wait for
               * the answer: the marker followed by silence ends it too.
               * Content that merely starts with the same letters arrives
               * with more bytes right behind it. */
              if (is_end_upload (fs_reader_data (&s->reader), avail)
                  && !g_socket_condition_timed_wait (s->socket, G_IO_IN,
                                                     MARKER_WAIT_US, NULL, NULL))
                {
                  fs_reader_consume (&s->reader, avail);
                  break;
                }
              if (fill_in_request (s, &local))
                continue;
              /* A final ENDUPLOAD without its '\n' still ends the upload. */
              if (is_end_upload (fs_reader_data (&s->reader), avail))
                {
                  fs_reader_consume (&s->reader, avail);
                  break;
                }
              goto cut_off;
            }
          if (nl >= 0 && is_end_upload (fs_reader_data (&s->reader), (gsize) nl))
            {
              fs_reader_consume (&s->reader, (gsize) nl + 1);
              break;
            }
          at_line_start = FALSE;
        }

      if (avail == 0)
        {
          if (!fill_in_request (s, &local))
            goto cut_off;
          continue;
        }
      {
        gsize n = nl >= 0 ? (gsize) nl + 1 : avail;
        upload_feed (s, &u, fs_reader_data (&s->reader), n);
        fs_reader_consume (&s->reader, n);
        at_line_start = nl >= 0;
      }
      if (g_error_matches (u.problem, FS_ERROR, FS_ERROR_TOO_LARGE))
        break;
    }

  ok = upload_finish (s, &u, error);
  upload_clear (&u);
  return ok;

cut_off:
  upload_clear (&u);
  g_propagate_prefixed_error (error, g_steal_pointer (&local), "upload cut off: ");
  return FALSE;
}

/* Handles UPLOAD in its three forms. pos is just past the command word. */
static gboolean
handle_upload (Session *s, const char *line, gsize len, gsize pos,
               gboolean complete, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *name = NULL;

  if (!fs_protocol_next_token (line, len, &pos, &name, &local) && local != NULL)
    goto refuse;
  pos = fs_protocol_skip_space (line, len, pos);

  if (name != NULL && pos < len)
    {
      /* One-line form: the content starts at pos. */
      if (!fs_name_validate (name, -1, &local))
        goto refuse;
      fs_reader_consume (&s->reader, pos);
      return handle_upload_line (s, name, error);
    }
  if (!complete)
    {
      g_set_error_literal (&local, FS_ERROR, FS_ERROR_BAD_NAME,
                           "invalid file name: it is longer than 255 bytes");
      goto refuse;
    }
  if (!discard_line (s, error))
    return FALSE;
  if (name != NULL && !fs_name_validate (name, -1, &local))
    return reply_error (s, local->message, error);
  return handle_upload_stream (s, name, error);

refuse:
  if (!discard_line (s, error))
    return FALSE;
  return reply_error (s, local->message, error);
}

static gboolean
need_args (Session *s, const char *command, GStrv args, guint want, gboolean *ok,
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
  *ok = reply_error (s, message, error);
  return FALSE;
}

/* Serves one request whose line (or the buffer's worth of it) is at the
 * reader's start. Returns FALSE when the connection must end. */
static gboolean
handle_request (Session *s, gsize len, gboolean complete, GError **error)
{
  const char *line = (const char *) fs_reader_data (&s->reader);
  g_autoptr(GError) local = NULL;
  g_autofree char *word = NULL;
  g_auto(GStrv) args = NULL;
  FsCommand command = FS_CMD_UNKNOWN;
  gsize line_end = len;
  gsize pos = 0;
  gboolean ok = TRUE;

  fs_stats_add (s->config->stats, FS_STAT_REQUESTS, 1);
  if (complete && len > 0 && line[len - 1] == '\r')
    len--;

  /* A NUL never belongs in a request; it would also cut C strings short. */
  if (memchr (line, '\0', len) == NULL
      && fs_protocol_next_token (line, len, &pos, &word, NULL))
    command = fs_protocol_command (word);

  if (command == FS_CMD_UPLOAD)
    return handle_upload (s, line, len, pos, complete, error);

  if (!complete || command == FS_CMD_UNKNOWN
      || command == FS_CMD_GETRAW || command == FS_CMD_UPLOADRAW)
    {
      const char *message = command == FS_CMD_UNKNOWN || command == FS_CMD_GETRAW
                            || command == FS_CMD_UPLOADRAW
                            ? FS_MSG_UNKNOWN : "request line too long";
      if (!complete)
        {
          if (!discard_line (s, error))
            return FALSE;
        }
      else
        fs_reader_consume (&s->reader, MIN (line_end + 1, fs_reader_avail (&s->reader)));
      return reply_error (s, message, error);
    }

  if (!fs_protocol_tokenize (line + pos, len - pos, &args, &local))
    {
      fs_reader_consume (&s->reader, MIN (line_end + 1, fs_reader_avail (&s->reader)));
      return reply_error (s, local->message, error);
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
    case FS_CMD_DELETE:
      if (need_args (s, "DELETE", args, 1, &ok, error))
        return handle_delete (s, args[0], error);
      return ok;
    case FS_CMD_UPLOAD:
    case FS_CMD_GETRAW:
    case FS_CMD_UPLOADRAW:
    case FS_CMD_UNKNOWN:
    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------ the loop */

static void
linger_close (Session *s)
{
  g_autofree guint8 *sink = g_malloc (READ_BUFFER_SIZE);
  gint64 deadline = g_get_monotonic_time () + LINGER_SECONDS * G_USEC_PER_SEC;
  gsize drained = 0;

  if (!g_socket_shutdown (s->socket, FALSE, TRUE, NULL))
    return;
  g_socket_set_timeout (s->socket, 1);
  while (drained < LINGER_BYTES && g_get_monotonic_time () < deadline)
    {
      gssize n = g_socket_receive (s->socket, (char *) sink, READ_BUFFER_SIZE, NULL, NULL);
      if (n <= 0)
        break;
      drained += (gsize) n;
    }
}

gboolean
fs_session_serve (const FsSessionConfig *config, GSocketConnection *connection)
{
  Session s = { .config = config };
  g_autoptr(GError) error = NULL;
  gboolean clean = TRUE;

  s.socket = g_socket_connection_get_socket (connection);
  g_socket_set_timeout (s.socket, config->idle_timeout);
  g_socket_set_option (s.socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  fs_reader_init (&s.reader, g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                  READ_BUFFER_SIZE);
  fs_writer_init (&s.writer, g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                  WRITE_BUFFER_SIZE);
  s.decoded = g_malloc (DECODE_CHUNK);
  fs_stats_add (config->stats, FS_STAT_CONNECTIONS, 1);

  while (!g_cancellable_is_cancelled (config->stop))
    {
      gsize len = 0;
      gboolean complete = FALSE;
      ReadResult r = read_line (&s, &len, &complete, &error);

      if (r == READ_END)
        break;
      if (r == READ_FAILED || !handle_request (&s, len, complete, &error))
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
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  fs_reader_clear (&s.reader);
  fs_writer_clear (&s.writer);
  g_free (s.decoded);
  return clean;
}
