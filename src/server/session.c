/* session.c: the session machine (session-private.h): request lines,
 * the commands other than GET, GETRAW and the uploads, and how a request
 * and a connection end. session-io.c feeds it with what arrives and sends
 * what it queues; it never touches the socket but to shut its write side
 * when lingering.
 *
 * Memory per connection is three fixed buffers, taken only while a
 * request is under way, and a few small ones, whatever the size of the
 * files moved: GET encodes while it reads the file, and both upload forms
 * decode into the temporary file while the data arrives, including the
 * one-line form whose "line" may be hundreds of MB long.
 *
 * Every wait for input honours the request timeout (--request-timeout)
 * while a line arrives and the minimum rate (--min-rate) while upload
 * content does (session-io.c). The idle timeout alone restarts with
 * every byte, so without these a client trickling one byte a second
 * could hold a thread or worker for as long as it liked. */
#include "config.h"

#include "session-private.h"

#include <string.h>
#include <sys/socket.h>

#include "errors.h"
#include "protocol.h"

/* Closing after an error: how much we keep reading so that the client
 * receives our ERROR frame instead of a reset (the time is session-io.c's). */
#define LINGER_BYTES (64 * 1024 * 1024)

/* ------------------------------------------------------------ commands */

static void
handle_list (FsSession *s)
{
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) names = fs_store_list (s->config->store, &local);

  if (names == NULL)
    fs_session_reply_store_error (s, local);
  else
    fs_session_reply (s, fs_protocol_list_frame ((const char * const *) names), TRUE);
}

static void
handle_stats (FsSession *s)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  /* This request is counted in "requests" and, until its answer is out,
   * in neither of the other two. */
  fs_session_count_bytes (s);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "OK");
  json_builder_set_member_name (b, "data");
  json_builder_add_value (b, fs_stats_to_json (s->config->stats));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  fs_session_reply (s, fs_protocol_frame (root), TRUE);
}

static void
handle_delete (FsSession *s, const char *name)
{
  g_autoptr(GError) local = NULL;

  if (!fs_store_delete (s->config->store, name, &local))
    fs_session_reply_store_error (s, local);
  else
    fs_session_reply (s, fs_protocol_ok_message_frame ("File deleted successfully"), TRUE);
}

static gboolean
need_args (FsSession *s, const char *command, GStrv args, guint want)
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
  fs_session_reply_error (s, message);
  return FALSE;
}

/* Handles the request whose line (or the buffer's worth of it) is at the
 * input's start: answers it, or starts the state that serves it. */
static void
handle_request (FsSession *s, gsize len, gboolean complete)
{
  const char *line = (const char *) fs_session_in_data (s);
  g_autoptr(GError) local = NULL;
  g_autofree char *word = NULL;
  g_auto(GStrv) args = NULL;
  FsCommand command = FS_CMD_UNKNOWN;
  gsize line_end = len;
  gsize pos = 0;

  fs_session_begin_request (s);
  s->state = FS_ST_AFTER;
  if (complete && len > 0 && line[len - 1] == '\r')
    len--;

  /* A NUL never belongs in a request; it would also cut C strings short. */
  if (memchr (line, '\0', len) == NULL
      && fs_protocol_next_token (line, len, &pos, &word, NULL))
    command = fs_protocol_command (word);

  if (command == FS_CMD_UPLOAD)
    {
      fs_session_upload_start (s, line, len, pos, complete);
      return;
    }

  /* The buffer holds two bytes more than the longest line, for its
   * "\r\n": a line that came whole may still be too long. */
  if (!complete || len > FS_SESSION_LINE_MAX || command == FS_CMD_UNKNOWN)
    {
      const char *message = command == FS_CMD_UNKNOWN ? FS_MSG_UNKNOWN
                                                      : "request line too long";
      if (!complete)
        {
          fs_session_discard_then_answer (s, g_error_new_literal (FS_ERROR, FS_ERROR_FAILED,
                                                                  message));
          return;
        }
      fs_session_in_consume (s, MIN (line_end + 1, fs_session_in_avail (s)));
      fs_session_reply_error (s, message);
      return;
    }

  if (!fs_protocol_tokenize (line + pos, len - pos, &args, &local))
    {
      fs_session_in_consume (s, MIN (line_end + 1, fs_session_in_avail (s)));
      fs_session_reply_error (s, local->message);
      return;
    }
  /* The arguments are copies: the line can go before the answer. */
  fs_session_in_consume (s, MIN (line_end + 1, fs_session_in_avail (s)));

  switch (command)
    {
    case FS_CMD_LIST:
      handle_list (s);
      break;
    case FS_CMD_STATS:
      handle_stats (s);
      break;
    case FS_CMD_GET:
      if (need_args (s, "GET", args, 1))
        fs_session_get_start (s, args[0]);
      break;
    case FS_CMD_GETRAW:
      if (need_args (s, "GETRAW", args, 1))
        fs_session_getraw_start (s, args[0]);
      break;
    case FS_CMD_UPLOADRAW:
      fs_session_upload_raw_start (s, args);
      break;
    case FS_CMD_DELETE:
      if (need_args (s, "DELETE", args, 1))
        handle_delete (s, args[0]);
      break;
    case FS_CMD_UPLOAD:
    case FS_CMD_UNKNOWN:
    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------ states */

static FsStep
close_now (FsSession *s, gboolean clean)
{
  if (!clean)
    s->clean = FALSE;
  s->state = FS_ST_CLOSED;
  return FS_STEP_CLOSE;
}

/* Waits for the next request line: until the input holds a '\n', is
 * full, or holds the head of a one-line UPLOAD, whose content the upload
 * code reads under the rate rule rather than the request timeout. While
 * no byte of the line has arrived, the server's stop and the idle
 * timeout end the session cleanly; from its first byte on, the line must
 * arrive within the request timeout. A last line that the client's end
 * of stream cuts short is handled as complete, with line_at_eof set. */
static FsStep
step_line (FsSession *s)
{
  gsize avail = s->buf != NULL ? fs_session_in_avail (s) : 0;
  gssize nl = avail > 0 ? fs_session_in_find (s, '\n') : -1;

  /* The clock starts at the line's first byte, even when that byte comes
   * with the whole buffer: the rest of an overlong line is read under it
   * too. */
  if (avail > 0 && s->request_deadline == 0 && s->config->request_timeout != 0)
    s->request_deadline = g_get_monotonic_time ()
                          + (gint64) s->config->request_timeout * G_USEC_PER_SEC;
  if (nl >= 0)
    handle_request (s, (gsize) nl, TRUE);
  else if (avail > 0
           && (fs_session_in_full (s)
               || fs_protocol_upload_head ((const char *) fs_session_in_data (s), avail)))
    handle_request (s, avail, FALSE);
  else if (s->in_eof)
    {
      if (avail == 0)
        return close_now (s, TRUE);
      s->line_at_eof = TRUE;
      handle_request (s, avail, TRUE);
    }
  else if (s->in_error != NULL)
    {
      if (g_error_matches (s->in_error, FS_ERROR, FS_ERROR_TOO_SLOW))
        {
          fs_session_begin_request (s);
          return fs_session_fail (s, g_steal_pointer (&s->in_error));
        }
      /* A client gone or silent between requests ends cleanly. */
      if (avail == 0
          && (g_error_matches (s->in_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
              || g_error_matches (s->in_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)
              || g_error_matches (s->in_error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE)))
        return close_now (s, TRUE);
      g_clear_error (&s->failure);
      s->failure = g_steal_pointer (&s->in_error);
      return close_now (s, FALSE);
    }
  else if (s->stopping)
    {
      if (avail > 0)
        s->failure = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                          "the server stopped in the middle of a request line");
      return close_now (s, avail == 0);
    }
  else
    return FS_STEP_INPUT;
  return FS_STEP_CONTINUE;
}

/* Skips input up to and with the next '\n', then goes on. */
static FsStep
step_discard (FsSession *s)
{
  g_autoptr(GError) local = NULL;
  gssize nl = fs_session_in_find (s, '\n');

  if (nl < 0)
    {
      fs_session_in_consume (s, fs_session_in_avail (s));
      if (!fs_session_in_ended (s, &local))
        return FS_STEP_INPUT;
      if (s->discard_cut_off)
        return fs_session_upload_cut_off (s, g_steal_pointer (&local));
      return fs_session_fail (s, g_steal_pointer (&local));
    }
  fs_session_in_consume (s, (gsize) nl + 1);
  if (s->discard_then == FS_THEN_STREAM)
    {
      fs_session_upload_stream_begin (s);
      return FS_STEP_CONTINUE;
    }
  {
    g_autoptr(GError) answer = g_steal_pointer (&s->pending_error);

    s->state = FS_ST_AFTER;
    fs_session_reply_store_error (s, answer);
  }
  return FS_STEP_CONTINUE;
}

/* The answer is queued: once it is out, the next request, or the end. */
static FsStep
step_after (FsSession *s)
{
  if (fs_session_out_pending (s))
    return FS_STEP_OUTPUT;
  fs_session_end_request (s, FALSE);
  s->rate = NULL;
  fs_session_count_bytes (s);
  if (s->close_after)
    {
      if (shutdown (s->fd, SHUT_WR) < 0)
        return close_now (s, TRUE);
      s->state = FS_ST_LINGER;
      s->linger_start = g_get_monotonic_time ();
      s->lingered = 0;
      g_clear_error (&s->in_error);
      return FS_STEP_CONTINUE;
    }
  s->state = FS_ST_IDLE;
  return FS_STEP_CONTINUE;
}

/* Reads and drops what the client still sends, for a moment (its time is
 * session-io.c's), so that it gets to read our last answer. */
static FsStep
step_linger (FsSession *s)
{
  if (s->buf != NULL)
    {
      s->lingered += fs_session_in_avail (s);
      fs_session_in_consume (s, fs_session_in_avail (s));
    }
  /* What is drained after the last answer is not counted in bytes_in. */
  s->counted_in = s->in.total;
  if (s->in_eof || s->in_error != NULL || s->lingered >= LINGER_BYTES)
    return close_now (s, TRUE);
  return FS_STEP_INPUT;
}

FsStep
fs_session_step (FsSession *s)
{
  switch (s->state)
    {
    case FS_ST_IDLE:
      if (s->stopping)
        return close_now (s, TRUE);
      s->request_deadline = 0;
      s->line_at_eof = FALSE;
      s->state = FS_ST_LINE;
      return FS_STEP_CONTINUE;
    case FS_ST_LINE:
      return step_line (s);
    case FS_ST_DISCARD:
      return step_discard (s);
    case FS_ST_GET:
      return fs_session_get_step (s);
    case FS_ST_GETRAW:
      return fs_session_getraw_step (s);
    case FS_ST_UPLOAD_LINE:
    case FS_ST_UPLOAD_STREAM:
    case FS_ST_UPLOAD_RAW:
    case FS_ST_COMMIT:
      return fs_session_upload_step (s);
    case FS_ST_AFTER:
      return step_after (s);
    case FS_ST_LINGER:
      return step_linger (s);
    case FS_ST_FLUSH_CLOSE:
      if (fs_session_out_pending (s))
        return FS_STEP_OUTPUT;
      return close_now (s, FALSE);
    case FS_ST_CLOSED:
    default:
      return FS_STEP_CLOSE;
    }
}
