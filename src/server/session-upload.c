/* session-upload.c: UPLOAD, in its one-line and streamed forms, and
 * UPLOADRAW, as states of the session machine.
 *
 * Both decode into the store's temporary file while the content arrives,
 * under the rate rule (--min-rate) instead of the request timeout, which
 * covers only the line up to the content. Nothing is stored unless the
 * whole upload arrived: a one-line upload whose '\n' never comes was cut
 * off, and so was a streamed one whose stream ends before its ENDUPLOAD
 * line. A failed upload's temporary file is gone before the ERROR goes
 * out, so a client that looks at the root once it has the answer never
 * sees it. */
#include "config.h"

#include "session-private.h"

#include <string.h>

#include "errors.h"
#include "protocol.h"

#define CUT_OFF_MESSAGE \
  "upload cut off: the connection ended before the upload did; nothing was stored"

void
fs_session_upload_clear (FsSession *s)
{
  g_clear_pointer (&s->up.upload, fs_upload_free);
  g_clear_error (&s->up.problem);
  g_clear_pointer (&s->up.stored, g_free);
}

/* How many base64 characters an upload of at most max bytes may send
 * before it is called hostile: base64 is 4/3 of the content, plus line
 * breaks, so allow twice that (8/3), saturating instead of wrapping for
 * limits near the top of the range. 0 = none. */
static guint64
input_limit (guint64 max)
{
  const guint64 slack = 2 * FS_SESSION_IN_SIZE;

  if (max == 0)
    return 0;
  if (max / 3 > (G_MAXUINT64 - slack) / 8)
    return G_MAXUINT64;
  return max / 3 * 8 + slack;
}

static gboolean
upload_begin (FsSession *s, const char *name, GError **error)
{
  FsSessionUpload *u = &s->up;

  fs_session_upload_clear (s);
  memset (u, 0, sizeof *u);
  fs_b64_decoder_init (&u->decoder);
  u->input_limit = input_limit (s->config->max_upload);
  u->at_line_start = TRUE;
  u->upload = fs_upload_begin (s->config->store, name, s->config->max_upload, error);
  return u->upload != NULL;
}

/* From here on the content arrives under the rate rule. */
static void
body_begin (FsSession *s)
{
  fs_rate_guard_init (&s->body_rate, s->config->min_rate);
  s->rate = &s->body_rate;
  s->request_deadline = 0;
}

/* Feeds base64 characters. Content problems are kept in up.problem and
 * the rest of the upload is only counted, not decoded. */
static void
upload_feed (FsSession *s, const guint8 *data, gsize len)
{
  FsSessionUpload *u = &s->up;
  gsize out_len = 0;

  u->input += len;
  /* Checked even after a content problem: draining a bad upload to its end
   * must not go on forever either. */
  if (u->input_limit != 0 && u->input > u->input_limit
      && !g_error_matches (u->problem, FS_ERROR, FS_ERROR_TOO_LARGE))
    {
      g_clear_error (&u->problem);
      fs_upload_too_large (s->config->max_upload, &u->problem);
      return;
    }
  if (u->problem != NULL)
    return;
  while (len > 0 && u->problem == NULL)
    {
      gsize n = MIN (len, FS_SESSION_IN_SIZE);
      if (!fs_b64_decoder_step (&u->decoder, (const char *) data, n, s->buf->work, &out_len,
                                &u->problem))
        break;
      fs_upload_write (u->upload, s->buf->work, out_len, &u->problem);
      data += n;
      len -= n;
    }
}

/* Answers an upload that has ended: stored (up.stored) or not. */
static FsStep
upload_answer (FsSession *s)
{
  FsSessionUpload *u = &s->up;
  g_autofree char *stored = g_steal_pointer (&u->stored);
  g_autoptr(GError) problem = NULL;
  guint64 size;

  size = fs_upload_size (u->upload);
  problem = g_steal_pointer (&u->problem);
  /* The temporary file goes before the answer does. */
  fs_session_upload_clear (s);
  s->state = FS_ST_AFTER;
  if (stored == NULL)
    {
      if (g_error_matches (problem, FS_ERROR, FS_ERROR_TOO_LARGE))
        s->close_after = TRUE;
      fs_session_reply_store_error (s, problem);
    }
  else
    fs_session_reply (s, fs_protocol_upload_frame (stored, size), TRUE);
  return FS_STEP_CONTINUE;
}

/* An upload whose content has all arrived: stored, once its fsync and
 * rename are done (FS_ST_COMMIT), or refused. */
static FsStep
upload_finish (FsSession *s)
{
  FsSessionUpload *u = &s->up;

  if (u->problem == NULL && fs_b64_decoder_finish (&u->decoder, &u->problem))
    {
      u->committed = FALSE;
      s->state = FS_ST_COMMIT;
      return FS_STEP_WORK;
    }
  return upload_answer (s);
}

void
fs_session_upload_commit (FsSession *s)
{
  s->up.stored = fs_upload_commit (s->up.upload, &s->up.problem);
  s->up.committed = TRUE;
}

FsStep
fs_session_upload_cut_off (FsSession *s, GError *cause)
{
  g_autoptr(GError) owned = cause;

  fs_session_upload_clear (s);
  /* A client that has only closed its sending side is told why; one too
   * slow is told by fs_session_fail(). */
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
    {
      fs_session_reply_error (s, CUT_OFF_MESSAGE);
      return fs_session_fail (s, g_error_new_literal (FS_ERROR, FS_ERROR_CUT_OFF,
                                                      CUT_OFF_MESSAGE));
    }
  if (!g_error_matches (cause, FS_ERROR, FS_ERROR_TOO_SLOW))
    g_prefix_error (&owned, "upload cut off: ");
  return fs_session_fail (s, g_steal_pointer (&owned));
}

/* Waits for more content: FS_STEP_INPUT, or the cut-off when it ended. */
static FsStep
more_content (FsSession *s)
{
  GError *local = NULL;

  if (!fs_session_in_ended (s, &local))
    return FS_STEP_INPUT;
  return fs_session_upload_cut_off (s, local);
}

/* UPLOAD name <base64>: the content runs to the end of the line, which may
 * be far longer than the buffer; the line's head is already consumed. */
static FsStep
step_line (FsSession *s)
{
  for (;;)
    {
      gssize nl = fs_session_in_find (s, '\n');
      gsize n = nl >= 0 ? (gsize) nl : fs_session_in_avail (s);

      upload_feed (s, fs_session_in_data (s), n);
      fs_session_in_consume (s, n);
      if (nl >= 0)
        {
          fs_session_in_consume (s, 1);
          break;
        }
      if (g_error_matches (s->up.problem, FS_ERROR, FS_ERROR_TOO_LARGE))
        break;
      /* End of stream before the '\n' is a cut-off upload, whatever the
       * content so far would decode to. */
      return more_content (s);
    }
  return upload_finish (s);
}

static gboolean
is_end_upload (const guint8 *line, gsize len)
{
  while (len > 0 && g_ascii_isspace (line[len - 1]))
    len--;
  return len == strlen (FS_END_UPLOAD) && memcmp (line, FS_END_UPLOAD, len) == 0;
}

/* Whether the start of a line, its '\n' not yet arrived, may still turn
 * out to be the ENDUPLOAD line: a prefix of the marker, or the marker and
 * white space. */
static gboolean
may_be_end_upload (const guint8 *line, gsize len)
{
  gsize m = strlen (FS_END_UPLOAD);

  if (len <= m)
    return memcmp (line, FS_END_UPLOAD, len) == 0;
  if (memcmp (line, FS_END_UPLOAD, m) != 0)
    return FALSE;
  for (gsize i = m; i < len; i++)
    if (!g_ascii_isspace (line[i]))
      return FALSE;
  return TRUE;
}

/* UPLOAD [name], then base64 lines of any length, then the line
 * ENDUPLOAD: a whole line, ended by '\n' or by the end of the stream. A
 * line that merely begins with those letters is content, however long the
 * client pauses after them. */
static FsStep
step_stream (FsSession *s)
{
  FsSessionUpload *u = &s->up;

  for (;;)
    {
      gsize avail = fs_session_in_avail (s);
      gssize nl = fs_session_in_find (s, '\n');

      if (u->at_line_start)
        {
          if (nl >= 0 && is_end_upload (fs_session_in_data (s), (gsize) nl))
            {
              fs_session_in_consume (s, (gsize) nl + 1);
              break;
            }
          if (nl < 0 && !fs_session_in_full (s)
              && may_be_end_upload (fs_session_in_data (s), avail))
            {
              /* Wait for the rest of the line to tell. */
              if (s->in_eof && s->in_error == NULL
                  && is_end_upload (fs_session_in_data (s), avail))
                {
                  /* ENDUPLOAD, then the end of the stream. */
                  fs_session_in_consume (s, avail);
                  break;
                }
              return more_content (s);
            }
          u->at_line_start = FALSE;
        }

      if (avail == 0)
        return more_content (s);
      {
        gsize n = nl >= 0 ? (gsize) nl + 1 : avail;
        upload_feed (s, fs_session_in_data (s), n);
        fs_session_in_consume (s, n);
        u->at_line_start = nl >= 0;
      }
      if (g_error_matches (u->problem, FS_ERROR, FS_ERROR_TOO_LARGE))
        break;
    }
  return upload_finish (s);
}

void
fs_session_upload_stream_begin (FsSession *s)
{
  static const char ready[] = FS_READY_LINE FS_FRAME_END;
  g_autofree char *name = g_steal_pointer (&s->stream_name);
  GError *local = NULL;

  if (!upload_begin (s, name, &local))
    {
      g_autoptr(GError) refused = local;

      fs_session_upload_clear (s);
      fs_session_reply_store_error (s, refused);
      s->state = FS_ST_AFTER;
      return;
    }
  /* READY goes out before any content is read (session-io.c sends what
   * is queued before it reads). */
  fs_session_queue (s, ready, strlen (ready));
  body_begin (s);
  s->state = FS_ST_UPLOAD_STREAM;
}

void
fs_session_upload_start (FsSession *s, const char *line, gsize len, gsize pos,
                         gboolean complete)
{
  GError *local = NULL;
  g_autofree char *name = NULL;

  if (s->line_at_eof)
    {
      /* "UPLOAD ..." without its '\n': cut off, in either form. */
      fs_session_in_consume (s, fs_session_in_avail (s));
      fs_session_upload_cut_off (s, g_error_new_literal (G_IO_ERROR,
                                                         G_IO_ERROR_CONNECTION_CLOSED,
                                                         CUT_OFF_MESSAGE));
      return;
    }

  if (!fs_protocol_next_token (line, len, &pos, &name, &local) && local != NULL)
    {
      fs_session_discard_then_answer (s, local);
      return;
    }
  pos = fs_protocol_skip_space (line, len, pos);

  if (name != NULL && pos < len)
    {
      /* One-line form: the content starts at pos. */
      body_begin (s);
      if (!fs_name_validate (name, -1, &local))
        {
          fs_session_discard_then_answer (s, local);
          return;
        }
      fs_session_in_consume (s, pos);
      if (!upload_begin (s, name, &local))
        {
          fs_session_upload_clear (s);
          fs_session_discard_then_answer (s, local);
          s->discard_cut_off = TRUE;
          return;
        }
      s->state = FS_ST_UPLOAD_LINE;
      return;
    }
  if (!complete)
    {
      fs_session_discard_then_answer (s, g_error_new_literal (FS_ERROR, FS_ERROR_BAD_NAME,
                                      "invalid file name: it is longer than 255 bytes"));
      return;
    }
  if (name != NULL && !fs_name_validate (name, -1, &local))
    {
      fs_session_discard_then_answer (s, local);
      return;
    }
  /* The temporary file is made once the line is all in: a client that
   * never ends it leaves nothing behind. */
  g_free (s->stream_name);
  s->stream_name = g_steal_pointer (&name);
  s->state = FS_ST_DISCARD;
  s->discard_then = FS_THEN_STREAM;
  s->discard_cut_off = FALSE;
}

/* UPLOADRAW name size: READY, then exactly size raw bytes, under the rate
 * rule, straight from the input buffer into the temporary file. A bad
 * name or size, or a size over --max-upload, is refused before READY; the
 * connection then ends, since raw content a client sent without waiting
 * for READY cannot be told from requests. */
void
fs_session_upload_raw_start (FsSession *s, GStrv args)
{
  static const char ready[] = FS_READY_LINE FS_FRAME_END;
  g_autoptr(GError) local = NULL;
  guint64 size;

  if (s->line_at_eof)
    {
      /* "UPLOADRAW ..." without its '\n': cut off, as UPLOAD is. */
      fs_session_upload_cut_off (s, g_error_new_literal (G_IO_ERROR,
                                                         G_IO_ERROR_CONNECTION_CLOSED,
                                                         CUT_OFF_MESSAGE));
      return;
    }
  s->close_after = TRUE;
  if (g_strv_length (args) != 2)
    {
      fs_session_reply_error (s, "UPLOADRAW needs a file name and a size");
      return;
    }
  if (!fs_name_validate (args[0], -1, &local))
    {
      fs_session_reply_error (s, local->message);
      return;
    }
  if (!g_ascii_string_to_unsigned (args[1], 10, 0, G_MAXINT64, &size, NULL))
    {
      fs_session_reply_error (s, "UPLOADRAW: the size must be a number of bytes");
      return;
    }
  if (s->config->max_upload != 0 && size > s->config->max_upload)
    {
      fs_upload_too_large (s->config->max_upload, &local);
      fs_session_reply_error (s, local->message);
      return;
    }
  if (!upload_begin (s, args[0], &local))
    {
      fs_session_upload_clear (s);
      fs_session_reply_store_error (s, local);
      return;
    }
  fs_session_queue (s, ready, strlen (ready));
  /* READY is on its way: the stream is in step from here on. */
  s->close_after = FALSE;
  body_begin (s);
  s->up.raw_left = size;
  s->state = FS_ST_UPLOAD_RAW;
}

static FsStep
step_raw (FsSession *s)
{
  FsSessionUpload *u = &s->up;

  while (u->raw_left > 0)
    {
      gsize n = (gsize) MIN ((guint64) fs_session_in_avail (s), u->raw_left);

      if (n == 0)
        return more_content (s);
      /* After a write error (a disk full) the rest is only read, so that
       * the stream stays in step for the answer. */
      if (u->problem == NULL)
        fs_upload_write (u->upload, fs_session_in_data (s), n, &u->problem);
      fs_session_in_consume (s, n);
      u->raw_left -= n;
    }
  return upload_finish (s);
}

FsStep
fs_session_upload_step (FsSession *s)
{
  switch (s->state)
    {
    case FS_ST_UPLOAD_LINE:
      return step_line (s);
    case FS_ST_UPLOAD_STREAM:
      return step_stream (s);
    case FS_ST_COMMIT:
      if (!s->up.committed)
        return FS_STEP_WORK;
      return upload_answer (s);
    case FS_ST_UPLOAD_RAW:
    default:
      return step_raw (s);
    }
}
