/* session-get.c: GET, the file encoded in base64 into the output as it
 * is read, one piece at a time; and GETRAW, the answer's head and then
 * the file's bytes with sendfile(2), which session-io.c resumes where it
 * stopped whenever the socket has room again. */
#include "config.h"

#include "session-private.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errors.h"
#include "protocol.h"

static gboolean
open_file (FsSession *s, const char *name)
{
  g_autoptr(GError) local = NULL;

  s->file_fd = fs_store_open_read (s->config->store, name, &s->file_size, &local);
  s->file_off = 0;
  if (s->file_fd < 0)
    {
      fs_session_reply_store_error (s, local);
      return FALSE;
    }
  return TRUE;
}

static void
close_file (FsSession *s)
{
  if (s->file_fd >= 0)
    close (s->file_fd);
  s->file_fd = -1;
}

void
fs_session_get_start (FsSession *s, const char *name)
{
  g_autoptr(GString) head = NULL;

  if (!open_file (s, name))
    return;
  fs_b64_encoder_init (&s->encoder);
  head = fs_protocol_get_frame_head (name);
  fs_session_queue (s, head->str, head->len);
  s->state = FS_ST_GET;
}

FsStep
fs_session_get_step (FsSession *s)
{
  for (;;)
    {
      ssize_t n;

      if (fs_session_out_room (s) < FS_B64_ENCODE_STEP_MAX (FS_SESSION_FILE_CHUNK)
          || s->big != NULL)
        return FS_STEP_OUTPUT;
      n = read (s->file_fd, s->buf->work, FS_SESSION_FILE_CHUNK);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          /* Part of the answer is out: the frame cannot be completed, so
           * the connection has to go. */
          GError *local = NULL;

          fs_set_errno_error (&local, errno, "GET: cannot read file");
          close_file (s);
          return fs_session_fail (s, local);
        }
      if (n == 0)
        break;
      s->out_len += fs_b64_encoder_step (&s->encoder, s->buf->work, (gsize) n,
                                         (char *) fs_session_out_tail (s));
    }
  {
    char tail[FS_B64_ENCODE_CLOSE_MAX + sizeof FS_GET_FRAME_TAIL];
    gsize n = fs_b64_encoder_close (&s->encoder, tail);

    memcpy (tail + n, FS_GET_FRAME_TAIL, strlen (FS_GET_FRAME_TAIL));
    n += strlen (FS_GET_FRAME_TAIL);
    close_file (s);
    /* OK only once the last byte of the answer is out. */
    fs_session_reply (s, g_string_new_len (tail, (gssize) n), TRUE);
  }
  s->state = FS_ST_AFTER;
  return FS_STEP_CONTINUE;
}

static void
set_cork (FsSession *s, int on)
{
#ifdef TCP_CORK
  setsockopt (s->fd, IPPROTO_TCP, TCP_CORK, &on, sizeof on);
#endif
  s->corked = on;
}

/* GETRAW: the answer frame, then exactly its size in raw bytes. The
 * frame and the first bytes leave in one segment. */
void
fs_session_getraw_start (FsSession *s, const char *name)
{
  g_autoptr(GString) head = NULL;

  if (!open_file (s, name))
    return;
  head = fs_protocol_getraw_frame (name, s->file_size);
  set_cork (s, 1);
  fs_session_queue (s, head->str, head->len);
  s->state = FS_ST_GETRAW;
}

FsStep
fs_session_getraw_step (FsSession *s)
{
  if (fs_session_out_pending (s))
    return FS_STEP_OUTPUT;
  if (s->file_off < s->file_size)
    return FS_STEP_FILE;
  set_cork (s, 0);
  close_file (s);
  fs_session_end_request (s, TRUE);
  s->state = FS_ST_AFTER;
  return FS_STEP_CONTINUE;
}

/* What a session that ends in the middle of a GET or GETRAW still holds. */
void
fs_session_get_clear (FsSession *s)
{
  if (s->corked)
    set_cork (s, 0);
  close_file (s);
}
