/* session-reply.c: what every part of the session machine uses: the
 * buffers, the input and output queues, the answers, and the counting.
 * Below the rest of the machine, so that nothing here calls back up.
 *
 * Counting: a request is counted in "requests" when its line has arrived
 * (or its time to arrive has run out) and ends in exactly one of
 * "requests_ok" (its OK answer went out in full) or "requests_failed"
 * (anything else, an answer cut short included). */
#include "config.h"

#include "session-private.h"

#include <string.h>

#include "errors.h"
#include "protocol.h"

/* ------------------------------------------------------------ buffers */

/* Each thread keeps its sessions' buffers from one request to the next.
 * Allocated per connection, the output buffer, above glibc's mmap
 * threshold, was an mmap() and an munmap() with its TLB shootdown on
 * every connection, and the others a heap that grew and shrank: perf
 * showed sysmalloc and flush_tlb_mm_range in the LIST profile of issue
 * 12. Taken only while a request is under way, so that an idle
 * connection of the event model costs no buffer at all. */
struct _FsSessionCache {
  GPtrArray *free;  /* FsSessionBuffers */
  guint      keep;
};

static void
buffers_free (gpointer data)
{
  FsSessionBuffers *b = data;

  g_free (b->in);
  g_free (b->out);
  g_free (b->work);
  g_free (b);
}

FsSessionCache *
fs_session_cache_new (guint keep)
{
  FsSessionCache *cache = g_new0 (FsSessionCache, 1);

  cache->free = g_ptr_array_new_with_free_func (buffers_free);
  cache->keep = MAX (keep, 1);
  return cache;
}

void
fs_session_cache_free (FsSessionCache *cache)
{
  if (cache == NULL)
    return;
  g_ptr_array_unref (cache->free);
  g_free (cache);
}

FsSessionBuffers *
fs_session_cache_take (FsSessionCache *cache)
{
  FsSessionBuffers *b;

  if (cache->free->len > 0)
    return g_ptr_array_steal_index_fast (cache->free, cache->free->len - 1);
  b = g_new (FsSessionBuffers, 1);
  b->in = g_malloc (FS_SESSION_IN_SIZE);
  b->out = g_malloc (FS_SESSION_OUT_SIZE);
  b->work = g_malloc (FS_SESSION_WORK_SIZE);
  return b;
}

void
fs_session_cache_give (FsSessionCache *cache, FsSessionBuffers *b)
{
  if (cache->free->len < cache->keep)
    g_ptr_array_add (cache->free, b);
  else
    buffers_free (b);
}

/* ------------------------------------------------------------ input */

gboolean
fs_session_in_ended (FsSession *s, GError **error)
{
  if (s->in_error != NULL)
    {
      g_propagate_error (error, g_error_copy (s->in_error));
      return TRUE;
    }
  if (s->in_eof)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                           "the client closed the connection in the middle of a request");
      return TRUE;
    }
  return FALSE;
}

/* ------------------------------------------------------------ output */

void
fs_session_queue (FsSession *s, const void *data, gsize len)
{
  if (s->big == NULL && len <= fs_session_out_room (s))
    {
      memcpy (fs_session_out_tail (s), data, len);
      s->out_len += len;
      return;
    }
  /* Larger than the room left (a long LIST): it goes out after the
   * buffer, from a copy of its own. */
  if (s->big == NULL)
    s->big = g_string_sized_new (len);
  g_string_append_len (s->big, data, (gssize) len);
}

/* ------------------------------------------------------------ counting */

void
fs_session_begin_request (FsSession *s)
{
  fs_stats_add (s->config->stats, FS_STAT_REQUESTS, 1);
  s->request_open = TRUE;
  s->reply_pending = FALSE;
}

void
fs_session_end_request (FsSession *s, gboolean ok)
{
  s->reply_pending = FALSE;
  if (!s->request_open)
    return;
  s->request_open = FALSE;
  fs_stats_add (s->config->stats, ok ? FS_STAT_REQUESTS_OK : FS_STAT_REQUESTS_FAILED, 1);
}

void
fs_session_count_bytes (FsSession *s)
{
  fs_stats_add (s->config->stats, FS_STAT_BYTES_IN, s->in.total - s->counted_in);
  fs_stats_add (s->config->stats, FS_STAT_BYTES_OUT, s->out_total - s->counted_out);
  s->counted_in = s->in.total;
  s->counted_out = s->out_total;
}

/* ------------------------------------------------------------ answers */

void
fs_session_reply (FsSession *s, GString *frame, gboolean ok)
{
  g_autoptr(GString) owned = frame;

  fs_session_queue (s, owned->str, owned->len);
  s->reply_pending = s->request_open;
  s->reply_ok = ok;
}

void
fs_session_reply_error (FsSession *s, const char *message)
{
  fs_session_reply (s, fs_protocol_error_frame (message), FALSE);
}

void
fs_session_reply_store_error (FsSession *s, const GError *cause)
{
  /* G_IO_ERROR is the system's word on the root (a disk full, a file too
   * large, a directory gone); FS_ERROR is about the request. */
  if (cause->domain == G_IO_ERROR)
    {
      /* The message may name a file that a client chose. */
      g_autofree char *shown = fs_protocol_printable_text (cause->message);

      g_printerr ("filestorm-server: %s (root %s)\n", shown, fs_store_path (s->config->store));
    }
  fs_session_reply_error (s, cause->message);
}

GError *
fs_session_too_slow (FsSession *s)
{
  if (s->rate != NULL)
    {
      g_autofree char *rate = g_format_size_full (s->rate->min_rate, G_FORMAT_SIZE_IEC_UNITS);

      return g_error_new (FS_ERROR, FS_ERROR_TOO_SLOW,
                          "upload too slow: less than %s/s over %d s", rate, FS_RATE_WINDOW_S);
    }
  return g_error_new (FS_ERROR, FS_ERROR_TOO_SLOW,
                      "request timeout: the request line did not arrive within %u s",
                      s->config->request_timeout);
}

void
fs_session_discard_then_answer (FsSession *s, GError *answer)
{
  s->state = FS_ST_DISCARD;
  s->discard_then = FS_THEN_REPLY;
  s->discard_cut_off = FALSE;
  g_clear_error (&s->pending_error);
  s->pending_error = answer;
}

FsStep
fs_session_fail (FsSession *s, GError *cause)
{
  /* Too slow, wherever it was reading (the line, the rest of an overlong
   * one, an upload's content): say why, once, and go. */
  if (s->request_open && g_error_matches (cause, FS_ERROR, FS_ERROR_TOO_SLOW))
    fs_session_reply_error (s, cause->message);
  /* Whatever else ended it without an answer (the client gone in the
   * middle of a GET, say), the request failed. */
  fs_session_end_request (s, FALSE);
  g_clear_error (&s->failure);
  s->failure = cause;
  s->clean = FALSE;
  s->state = FS_ST_FLUSH_CLOSE;
  return FS_STEP_CONTINUE;
}
