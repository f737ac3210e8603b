/* test-slow-clients.c: filestorm-server against clients that send too
 * slowly to deserve a thread or worker, in both concurrency models. The
 * idle timeout restarts with every byte, so without --request-timeout and
 * --min-rate a few clients trickling a byte a second held the whole pool,
 * and everyone else waited. Every loop here sends a bounded number of
 * bytes within a bounded time. */
#include "config.h"

#include <string.h>

#include "testutil.h"

#define KiB 1024

/* Whether conn has something to read (or its end) right now. */
static gboolean
readable (FtConn *conn)
{
  return (g_socket_condition_check (conn->socket, G_IO_IN | G_IO_HUP | G_IO_ERR) != 0);
}

/* A trickling client: sends a byte or a few at a time, and notes when
 * the server cut it off and what it said. */
typedef struct {
  FtConn *conn;
  double  started;  /* its first byte of the slow part */
  double  cut;      /* when the server closed it, 0 while open */
  char   *said;     /* (owned) the server's answer, as text */
} Trickler;

/* Reads what has arrived; once the server has closed (end of stream or
 * reset), records when. */
static void
trickler_poll (Trickler *t)
{
  while (t->cut == 0 && readable (t->conn))
    {
      g_autoptr(GError) error = NULL;
      gssize n = ft_conn_recv_some (t->conn, 4096, &error);

      if (n > 0)
        continue;
      t->cut = ft_now ();
      t->said = g_strndup ((const char *) t->conn->pending->data, t->conn->pending->len);
    }
}

static void
trickler_send (Trickler *t, const char *text)
{
  g_autoptr(GError) error = NULL;

  trickler_poll (t);
  if (t->cut == 0 && !ft_conn_try_send (t->conn, text, strlen (text), &error))
    trickler_poll (t);
}

static void
trickler_clear (Trickler *t)
{
  g_clear_pointer (&t->conn, ft_conn_free);
  g_clear_pointer (&t->said, g_free);
}

static void
assert_cut_with (Trickler *t, const char *needle, double at_least, double at_most,
                 const char *what)
{
  double after = t->cut - t->started;

  ft_check (t->cut != 0, "%s: still connected after %.1f s", what, ft_now () - t->started);
  ft_note ("%s: cut off after %.2f s: %s", what, after, t->said);
  ft_check (after >= at_least && after <= at_most,
            "%s: cut off after %.2f s, expected %.1f to %.1f s", what, after, at_least, at_most);
  ft_check (strstr (t->said, "\"status\":\"ERROR\"") != NULL && strstr (t->said, needle) != NULL,
            "%s: the server said \"%s\", not an ERROR about \"%s\"", what, t->said, needle);
}

/* Slowloris: as many clients as the pool has threads or workers trickle
 * a request line that never ends. Each is cut off within the request
 * timeout of its first byte, and a LIST that waits behind them is served
 * within the request timeout + 2 s. */
static void
test_request_timeout (const char *mode)
{
  const guint timeout = 2;
  const char * const extra[] = { "--request-timeout", "2", NULL };
  g_autoptr(FtServer) srv = ft_server_start (mode, 2, extra);
  Trickler t[2] = { { 0 } };
  g_autoptr(FtConn) list = NULL;
  double asked, answered = 0;

  for (guint i = 0; i < G_N_ELEMENTS (t); i++)
    {
      t[i].conn = ft_conn_new (srv->port);
      t[i].started = ft_now ();
      ft_conn_send_str (t[i].conn, "L");
    }
  /* Both are being served, so the pool is full... */
  g_usleep (300 * 1000);
  /* ... and this one waits in the backlog. */
  list = ft_conn_new (srv->port);
  ft_conn_send_str (list, "LIST\n");
  asked = ft_now ();

  for (int round = 0; round < 40 && (answered == 0 || t[0].cut == 0 || t[1].cut == 0); round++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (t); i++)
        trickler_send (&t[i], "I");
      if (answered == 0 && readable (list))
        {
          g_autoptr(JsonNode) answer = ft_conn_read_json (list);
          ft_assert_ok (answer);
          answered = ft_now ();
        }
      g_usleep (250 * 1000);
    }

  ft_check (answered != 0, "LIST behind two trickling clients: no answer after %.1f s",
            ft_now () - asked);
  ft_note ("LIST answered after %.2f s", answered - asked);
  ft_check (answered - asked <= timeout + 2.0,
            "LIST behind two trickling clients answered after %.2f s, more than %u s",
            answered - asked, timeout + 2);
  for (guint i = 0; i < G_N_ELEMENTS (t); i++)
    {
      assert_cut_with (&t[i], "request timeout", timeout - 0.5, timeout + 1.5,
                       "trickled request line");
      trickler_clear (&t[i]);
    }
  ft_server_stop (g_steal_pointer (&srv));
}

/* The request timeout also runs when the line's first read fills the
 * whole buffer (64 KiB without a '\n', queued while the pool was busy):
 * the rest of the line is read under it, not under the idle timeout
 * alone. */
static void
test_request_timeout_full_buffer (const char *mode)
{
  const guint timeout = 2;
  const char * const extra[] = { "--request-timeout", "2", NULL };
  g_autoptr(FtServer) srv = ft_server_start (mode, 1, extra);
  g_autoptr(FtConn) holder = ft_conn_new (srv->port);
  g_autofree char *full = g_malloc (64 * KiB);
  Trickler t = { 0 };
  g_autoptr(JsonNode) stats = ft_stats (holder);

  memset (full, 'A', 64 * KiB);
  t.conn = ft_conn_new (srv->port);
  ft_conn_send (t.conn, full, 64 * KiB);
  /* Served from now on. */
  g_clear_pointer (&holder, ft_conn_free);
  t.started = ft_now ();
  for (int round = 0; round < 40 && t.cut == 0; round++)
    {
      trickler_send (&t, "A");
      g_usleep (250 * 1000);
    }
  assert_cut_with (&t, "request timeout", 0, timeout + 1.5, "64 KiB, then a trickle");
  trickler_clear (&t);
  ft_server_stop (g_steal_pointer (&srv));
}

/* --min-rate: uploads whose content trickles in at 100 bytes a second,
 * against a minimum of 1 KiB/s, end with an ERROR about 10 s in (the
 * first window) and store nothing, in both forms and as UPLOADRAW; an upload that pauses
 * for 3 s in the middle is stored as usual. The rule's window is 10 s, so
 * both modes run side by side in one case to keep the suite short. */
typedef struct {
  FtServer *srv;       /* (owned) */
  FtConn   *pause;     /* (owned) */
  Trickler  stream;
  Trickler  line;
  Trickler  raw;
  gboolean  paused_done;
} MinRate;

static void
min_rate_start (MinRate *m, const char *mode, GBytes *old, const char *paused_b64)
{
  const char * const extra[] = { "--min-rate", "1K", NULL };

  m->srv = ft_server_start (mode, 4, extra);
  ft_write_file (m->srv->root, "slow.bin", g_bytes_get_data (old, NULL),
                 g_bytes_get_size (old));
  m->stream.conn = ft_conn_new (m->srv->port);
  ft_conn_send_str (m->stream.conn, "UPLOAD slow.bin\n");
  ft_conn_read_ready (m->stream.conn);
  m->stream.started = ft_now ();
  m->line.conn = ft_conn_new (m->srv->port);
  ft_conn_send_str (m->line.conn, "UPLOAD slow2.bin ");
  m->line.started = ft_now ();
  m->raw.conn = ft_conn_new (m->srv->port);
  ft_conn_send_str (m->raw.conn, "UPLOADRAW slow3.bin 100000\n");
  ft_conn_read_ready (m->raw.conn);
  m->raw.started = ft_now ();
  m->pause = ft_conn_new (m->srv->port);
  ft_conn_send_str (m->pause, "UPLOAD paused.bin\n");
  ft_conn_read_ready (m->pause);
  ft_conn_send_str (m->pause, paused_b64);
  ft_conn_send_str (m->pause, "\n");
}

static void
min_rate_check (MinRate *m, GBytes *old, GBytes *paused)
{

  ft_note ("%s mode:", m->srv->mode);
  ft_check (m->paused_done, "the paused upload never finished");
  assert_cut_with (&m->stream, "upload too slow", 9.0, 13.0, "trickled streamed upload");
  assert_cut_with (&m->line, "upload too slow", 9.0, 13.0, "trickled one-line upload");
  assert_cut_with (&m->raw, "upload too slow", 9.0, 13.0, "trickled UPLOADRAW");
  ft_assert_file_is (m->srv->root, "slow.bin", old);
  ft_check (!ft_exists (m->srv->root, "slow2.bin"), "a slow one-line upload was stored");
  ft_check (!ft_exists (m->srv->root, "slow3.bin"), "a slow UPLOADRAW was stored");
  ft_assert_file_is (m->srv->root, "paused.bin", paused);
  ft_assert_no_hidden (m->srv->root, NULL, "after slow uploads");
  trickler_clear (&m->stream);
  trickler_clear (&m->line);
  trickler_clear (&m->raw);
  g_clear_pointer (&m->pause, ft_conn_free);
  ft_server_stop (g_steal_pointer (&m->srv));
}

static void
test_min_rate (const char *unused)
{
  const char * const modes[] = { "thread", "process", "event" };
  g_autoptr(GBytes) old = ft_content_bytes (1, 2 * KiB);
  g_autoptr(GBytes) paused = ft_content_bytes (2, 15 * KiB);
  g_autofree char *paused_b64 = g_base64_encode (g_bytes_get_data (paused, NULL), 15 * KiB);
  g_autoptr(GString) chunk = g_string_new (NULL);
  MinRate m[G_N_ELEMENTS (modes)] = { { 0 } };
  gboolean open = TRUE;

  for (int i = 0; i < 25; i++)
    g_string_append (chunk, "QUJD"); /* 100 characters */
  for (gsize i = 0; i < G_N_ELEMENTS (m); i++)
    min_rate_start (&m[i], modes[i], old, paused_b64);

  for (int round = 0; round < 16 && open; round++)
    {
      open = FALSE;
      for (gsize i = 0; i < G_N_ELEMENTS (m); i++)
        {
          trickler_send (&m[i].stream, chunk->str);
          trickler_send (&m[i].line, chunk->str);
          trickler_send (&m[i].raw, chunk->str);
          open = open || m[i].stream.cut == 0 || m[i].line.cut == 0 || m[i].raw.cut == 0;
          if (round == 3)
            {
              g_autoptr(JsonNode) answer = NULL;

              ft_conn_send_str (m[i].pause, "ENDUPLOAD\n");
              answer = ft_conn_read_json (m[i].pause);
              ft_assert_ok (answer);
              m[i].paused_done = TRUE;
            }
        }
      g_usleep (G_USEC_PER_SEC);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (m); i++)
    min_rate_check (&m[i], old, paused);
}

/* The pool is exactly --pool threads or workers, each of which takes a
 * connection only while it is free: with both of a pool of 2 holding a
 * connection, a third waits unanswered in the backlog, and is served as
 * soon as one of the two ends. */
static void
test_pool_limit (const char *mode)
{
  g_autoptr(FtServer) srv = ft_server_start (mode, 2, NULL);
  FtConn *held[2];
  g_autoptr(FtConn) third = NULL;
  g_autoptr(JsonNode) answer = NULL;
  double freed;
  int round;

  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    {
      g_autoptr(JsonNode) list = NULL;

      held[i] = ft_conn_new (srv->port);
      /* Answered, so a thread or worker has it, and keeps it. */
      ft_conn_send_str (held[i], "LIST\n");
      list = ft_conn_read_json (held[i]);
      ft_assert_ok (list);
    }
  third = ft_conn_new (srv->port);
  ft_conn_send_str (third, "LIST\n");
  for (round = 0; round < 10 && !readable (third); round++)
    g_usleep (100 * 1000);
  ft_check (!readable (third), "%s: a third connection was served by a pool of 2", mode);

  ft_conn_free (held[0]);
  freed = ft_now ();
  for (round = 0; round < 50 && !readable (third); round++)
    g_usleep (100 * 1000);
  ft_check (readable (third), "%s: the third connection was not served %.1f s after a "
            "thread or worker came free", mode, ft_now () - freed);
  answer = ft_conn_read_json (third);
  ft_assert_ok (answer);
  ft_note ("%s: the third connection served %.3f s after one came free", mode,
           ft_now () - freed);
  ft_conn_free (held[1]);
  ft_server_stop (g_steal_pointer (&srv));
}

typedef void (*CaseFunc) (const char *mode);

typedef struct {
  const char *path;
  const char *mode;
  CaseFunc    func;
} Case;

static const Case cases[] = {
  { "/slow/thread/pool-limit", "thread", test_pool_limit },
  { "/slow/process/pool-limit", "process", test_pool_limit },
  { "/slow/thread/request-timeout", "thread", test_request_timeout },
  { "/slow/process/request-timeout", "process", test_request_timeout },
  { "/slow/event/request-timeout", "event", test_request_timeout },
  { "/slow/thread/request-timeout-full-buffer", "thread", test_request_timeout_full_buffer },
  { "/slow/process/request-timeout-full-buffer", "process", test_request_timeout_full_buffer },
  { "/slow/event/request-timeout-full-buffer", "event", test_request_timeout_full_buffer },
  { "/slow/all-modes/min-rate", NULL, test_min_rate },
};

static void
run_case (gconstpointer data)
{
  const Case *c = data;

  c->func (c->mode);
}

int
main (int argc, char **argv)
{
  ft_init ();
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    ft_test_add (cases[i].path, run_case, &cases[i]);
  return g_test_run ();
}
