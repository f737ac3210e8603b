/* session-upload.c: UPLOAD, in its one-line and streamed forms, and
 * UPLOADRAW.
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

#include "base64.h"
#include "errors.h"
#include "protocol.h"

#define CUT_OFF_MESSAGE \
  "upload cut off: the connection ended before the upload did; nothing was stored"

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

/* How many base64 characters an upload of at most max bytes may send
 * before it is called hostile: base64 is 4/3 of the content, plus line
 * breaks, so allow twice that (8/3), saturating instead of wrapping for
 * limits near the top of the range. 0 = none. */
static guint64
input_limit (guint64 max)
{
  const guint64 slack = 2 * FS_SESSION_READ_BUFFER;

  if (max == 0)
    return 0;
  if (max / 3 > (G_MAXUINT64 - slack) / 8)
    return G_MAXUINT64;
  return max / 3 * 8 + slack;
}

static gboolean
upload_start (FsSession *s, Upload *u, const char *name, GError **error)
{
  memset (u, 0, sizeof *u);
  fs_b64_decoder_init (&u->decoder);
  u->input_limit = input_limit (s->config->max_upload);
  u->upload = fs_upload_begin (s->config->store, name, s->config->max_upload, error);
  return u->upload != NULL;
}

/* Feeds base64 characters. Content problems are kept in u->problem and the
 * rest of the upload is only counted, not decoded. */
static void
upload_feed (FsSession *s, Upload *u, const guint8 *data, gsize len)
{
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
      gsize n = MIN (len, FS_SESSION_READ_BUFFER);
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
upload_finish (FsSession *s, Upload *u, GError **error)
{
  g_autofree char *stored = NULL;
  g_autoptr(GError) problem = NULL;
  guint64 size;

  if (u->problem == NULL && fs_b64_decoder_finish (&u->decoder, &u->problem))
    stored = fs_upload_commit (u->upload, &u->problem);
  size = fs_upload_size (u->upload);
  problem = g_steal_pointer (&u->problem);
  /* The temporary file goes before the answer does. */
  upload_clear (u);
  if (stored == NULL)
    {
      if (g_error_matches (problem, FS_ERROR, FS_ERROR_TOO_LARGE))
        s->close_after = TRUE;
      return fs_session_reply_store_error (s, problem, error);
    }
  return fs_session_reply (s, fs_protocol_upload_frame (stored, size), TRUE, error);
}

/* The upload could not be received whole: the client's stream ended or
 * broke, or its data came too slowly. Nothing is stored, the temporary
 * file (if any) is gone first, and the connection ends; a client that has
 * only closed its sending side is told why (and one too slow is told by
 * the session loop). Takes cause; always returns FALSE. */
static gboolean
upload_cut_off (FsSession *s, Upload *u, GError *cause, GError **error)
{
  g_autoptr(GError) owned = cause;

  if (u != NULL)
    upload_clear (u);
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
    {
      fs_session_reply_error (s, CUT_OFF_MESSAGE, NULL);
      g_set_error_literal (error, FS_ERROR, FS_ERROR_CUT_OFF, CUT_OFF_MESSAGE);
      return FALSE;
    }
  if (g_error_matches (cause, FS_ERROR, FS_ERROR_TOO_SLOW))
    g_propagate_error (error, g_steal_pointer (&owned));
  else
    g_propagate_prefixed_error (error, g_steal_pointer (&owned), "upload cut off: ");
  return FALSE;
}

/* UPLOAD name <base64>: the content runs to the end of the line, which may
 * be far longer than the buffer; the line's head is already consumed. */
static gboolean
handle_upload_line (FsSession *s, const char *name, GError **error)
{
  GError *local = NULL;
  Upload u;

  if (!upload_start (s, &u, name, &local))
    {
      g_autoptr(GError) refused = g_steal_pointer (&local);

      upload_clear (&u);
      if (!fs_session_discard_line (s, &local))
        return upload_cut_off (s, NULL, g_steal_pointer (&local), error);
      return fs_session_reply_store_error (s, refused, error);
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
      /* End of stream before the '\n' is a cut-off upload, whatever the
       * content so far would decode to. */
      if (!fs_session_fill_in_request (s, &local))
        return upload_cut_off (s, &u, g_steal_pointer (&local), error);
    }
  return upload_finish (s, &u, error);
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
static gboolean
handle_upload_stream (FsSession *s, const char *name, GError **error)
{
  static const char ready[] = FS_READY_LINE FS_FRAME_END;
  GError *local = NULL;
  gboolean at_line_start = TRUE;
  Upload u;

  if (!upload_start (s, &u, name, &local))
    {
      g_autoptr(GError) refused = g_steal_pointer (&local);

      upload_clear (&u);
      return fs_session_reply_store_error (s, refused, error);
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
          if (nl >= 0 && is_end_upload (fs_reader_data (&s->reader), (gsize) nl))
            {
              fs_reader_consume (&s->reader, (gsize) nl + 1);
              break;
            }
          if (nl < 0 && !fs_reader_full (&s->reader)
              && may_be_end_upload (fs_reader_data (&s->reader), avail))
            {
              /* Wait for the rest of the line to tell. */
              if (fs_session_fill_in_request (s, &local))
                continue;
              if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)
                  && is_end_upload (fs_reader_data (&s->reader),
                                    fs_reader_avail (&s->reader)))
                {
                  /* ENDUPLOAD, then the end of the stream. */
                  g_clear_error (&local);
                  fs_reader_consume (&s->reader, fs_reader_avail (&s->reader));
                  break;
                }
              return upload_cut_off (s, &u, g_steal_pointer (&local), error);
            }
          at_line_start = FALSE;
        }

      if (avail == 0)
        {
          if (!fs_session_fill_in_request (s, &local))
            return upload_cut_off (s, &u, g_steal_pointer (&local), error);
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

  return upload_finish (s, &u, error);
}

/* From here on the content arrives under the rate rule. */
static void
body_begin (FsSession *s)
{
  fs_rate_guard_init (&s->body_rate, s->config->min_rate);
  s->rate = &s->body_rate;
  s->request_deadline = 0;
}

static gboolean
upload_dispatch (FsSession *s, const char *line, gsize len, gsize pos, gboolean complete,
                 GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *name = NULL;

  if (s->line_at_eof)
    {
      /* "UPLOAD ..." without its '\n': cut off, in either form. */
      fs_reader_consume (&s->reader, fs_reader_avail (&s->reader));
      g_set_error_literal (&local, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, CUT_OFF_MESSAGE);
      return upload_cut_off (s, NULL, g_steal_pointer (&local), error);
    }

  if (!fs_protocol_next_token (line, len, &pos, &name, &local) && local != NULL)
    goto refuse;
  pos = fs_protocol_skip_space (line, len, pos);

  if (name != NULL && pos < len)
    {
      /* One-line form: the content starts at pos. */
      body_begin (s);
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
  if (!fs_session_discard_line (s, error))
    return FALSE;
  if (name != NULL && !fs_name_validate (name, -1, &local))
    return fs_session_reply_error (s, local->message, error);
  body_begin (s);
  return handle_upload_stream (s, name, error);

refuse:
  if (!fs_session_discard_line (s, error))
    return FALSE;
  return fs_session_reply_error (s, local->message, error);
}

gboolean
fs_session_upload (FsSession *s, const char *line, gsize len, gsize pos,
                   gboolean complete, GError **error)
{
  gboolean ok = upload_dispatch (s, line, len, pos, complete, error);

  s->rate = NULL;
  return ok;
}

/* UPLOADRAW name size: READY, then exactly size raw bytes, under the rate
 * rule, straight from the reader's buffer into the temporary file. A bad
 * name or size, or a size over --max-upload, is refused before READY; the
 * connection then ends, since raw content a client sent without waiting
 * for READY cannot be told from requests. */
static gboolean
upload_raw (FsSession *s, GStrv args, GError **error)
{
  static const char ready[] = FS_READY_LINE FS_FRAME_END;
  g_autoptr(GError) local = NULL;
  guint64 size, left;
  Upload u;

  if (s->line_at_eof)
    {
      /* "UPLOADRAW ..." without its '\n': cut off, as UPLOAD is. */
      g_set_error_literal (&local, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, CUT_OFF_MESSAGE);
      return upload_cut_off (s, NULL, g_steal_pointer (&local), error);
    }
  s->close_after = TRUE;
  if (g_strv_length (args) != 2)
    return fs_session_reply_error (s, "UPLOADRAW needs a file name and a size", error);
  if (!fs_name_validate (args[0], -1, &local))
    return fs_session_reply_error (s, local->message, error);
  if (!g_ascii_string_to_unsigned (args[1], 10, 0, G_MAXINT64, &size, NULL))
    return fs_session_reply_error (s, "UPLOADRAW: the size must be a number of bytes", error);
  if (s->config->max_upload != 0 && size > s->config->max_upload)
    {
      fs_upload_too_large (s->config->max_upload, &local);
      return fs_session_reply_error (s, local->message, error);
    }
  if (!upload_start (s, &u, args[0], &local))
    {
      upload_clear (&u);
      return fs_session_reply_store_error (s, local, error);
    }
  if (!fs_writer_append_final (&s->writer, ready, strlen (ready), error))
    {
      upload_clear (&u);
      return FALSE;
    }
  /* READY is out: the stream is in step from here on. */
  s->close_after = FALSE;
  body_begin (s);
  for (left = size; left > 0;)
    {
      gsize n = (gsize) MIN ((guint64) fs_reader_avail (&s->reader), left);

      if (n == 0)
        {
          if (!fs_session_fill_in_request (s, &local))
            return upload_cut_off (s, &u, g_steal_pointer (&local), error);
          continue;
        }
      /* After a write error (a disk full) the rest is only read, so that
       * the stream stays in step for the answer. */
      if (u.problem == NULL)
        fs_upload_write (u.upload, fs_reader_data (&s->reader), n, &u.problem);
      fs_reader_consume (&s->reader, n);
      left -= n;
    }
  return upload_finish (s, &u, error);
}

gboolean
fs_session_upload_raw (FsSession *s, GStrv args, GError **error)
{
  gboolean ok = upload_raw (s, args, error);

  s->rate = NULL;
  return ok;
}
