/* test-event.c: what only the event model (filestorm-server --mode
 * event) promises: one worker is never held by a connection, however
 * slow or idle, and a connection that stalls or goes away in the middle
 * of an answer costs the others nothing. Each case runs a server with
 * --pool 1, where a blocking model would serve nobody else (run them
 * with FT_EVENT_MODE=thread to see them fail). Every loop sends a
 * bounded number of bytes within a bounded time. */
#include "config.h"

#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "testutil.h"

#define KiB 1024
#define MiB (1024 * 1024)

static const char *
mode (void)
{
  const char *m = g_getenv ("FT_EVENT_MODE");

  return m != NULL ? m : "event";
}

/* Receives want bytes of an answer (what is pending first), adding them
 * to body (nullable). */
static void
receive_bytes (FtConn *c, GByteArray *body, gsize want)
{
  gsize got = 0;

  while (got < want)
    {
      gsize n;

      if (c->pending->len == 0)
        ft_check (ft_conn_recv_some (c, MIN (want - got, 64 * KiB), NULL) > 0,
                  "the answer stopped after %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes",
                  got, want);
      n = MIN (c->pending->len, want - got);
      if (body != NULL)
        g_byte_array_append (body, c->pending->data, (guint) n);
      g_byte_array_remove_range (c->pending, 0, (guint) n);
      got += n;
    }
}

/* A client's LIST, answered within limit seconds. */
static void
assert_list_answered (guint16 port, double limit, const char *behind)
{
  g_autoptr(FtConn) c = ft_conn_new (port);
  double asked = ft_now ();
  g_auto(GStrv) names = NULL;

  ft_conn_set_timeout (c, (guint) limit + 1);
  names = ft_list (c);
  ft_note ("LIST behind %s answered after %.3f s", behind, ft_now () - asked);
  ft_check (ft_now () - asked <= limit, "LIST behind %s answered after %.2f s, not within %.0f s",
            behind, ft_now () - asked, limit);
}

/* 1,000 connections that each send half a request line and then nothing:
 * one worker still answers a LIST at once, and counts them all. */
static void
test_slowloris (void)
{
  const guint n = 1000;
  const char * const extra[] = { "--request-timeout", "60", NULL };
  g_autoptr(FtServer) srv = NULL;
  g_autoptr(GPtrArray) conns = g_ptr_array_new_with_free_func ((GDestroyNotify) ft_conn_free);
  g_autoptr(FtConn) probe = NULL;
  g_autoptr(JsonNode) stats = NULL;
  struct rlimit lim;

  if (getrlimit (RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < n + 100)
    {
      lim.rlim_cur = MIN (lim.rlim_max, (rlim_t) n + 100);
      setrlimit (RLIMIT_NOFILE, &lim);
      if (lim.rlim_cur < n + 100)
        {
          ft_skip ("fewer than 1100 descriptors allowed");
          return;
        }
    }
  srv = ft_server_start (mode (), 1, extra);
  for (guint i = 0; i < n; i++)
    {
      FtConn *c = ft_conn_new (srv->port);

      ft_conn_send_str (c, "LIS");
      g_ptr_array_add (conns, c);
    }
  assert_list_answered (srv->port, 2.0, "1000 half request lines");
  probe = ft_conn_new (srv->port);
  ft_conn_set_timeout (probe, 3);
  stats = ft_stats (probe);
  ft_check (ft_stat (stats, "connections") >= n + 2,
            "STATS counts %" G_GINT64_FORMAT " connections, fewer than the %u open",
            ft_stat (stats, "connections"), n + 2);
  g_clear_pointer (&conns, g_ptr_array_unref);
  g_clear_pointer (&probe, ft_conn_free);
  ft_server_stop (g_steal_pointer (&srv));
}

/* A client that reads its GET one byte a second holds its own answer
 * back, and nobody else's: another client's LIST and GET of the same
 * file are served in full meanwhile. */
static void
test_slow_reader (void)
{
  g_autoptr(FtServer) srv = ft_server_start (mode (), 1, NULL);
  g_autoptr(GBytes) content = ft_content_bytes (7, 4 * MiB);
  g_autoptr(FtConn) slow = NULL;
  g_autoptr(FtConn) other = NULL;
  g_autoptr(GBytes) got = NULL;
  int small = 4 * KiB;
  double start;

  ft_write_file (srv->root, "big.bin", g_bytes_get_data (content, NULL), 4 * MiB);
  slow = ft_conn_new (srv->port);
  setsockopt (g_socket_get_fd (slow->socket), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  ft_conn_send_str (slow, "GET big.bin\n");
  /* Three bytes in three seconds: the server's sends to it stall. */
  for (int i = 0; i < 3; i++)
    {
      g_usleep (G_USEC_PER_SEC);
      ft_check (ft_conn_recv_some (slow, 1, NULL) == 1, "the slow reader got no byte");
    }
  assert_list_answered (srv->port, 2.0, "a GET read at 1 byte/s");
  other = ft_conn_new (srv->port);
  ft_conn_set_timeout (other, 10);
  start = ft_now ();
  got = ft_get (other, "big.bin", content);
  ft_check (got != NULL && ft_now () - start < 10.0, "GET beside the slow reader took %.1f s",
            ft_now () - start);
  g_clear_pointer (&slow, ft_conn_free);
  ft_server_stop (g_steal_pointer (&srv));
}

/* A client resets its connection in the middle of a GETRAW's sendfile:
 * the request counts as failed, the connection as failed, and the
 * server serves the next GETRAW in full. */
static void
test_reset_mid_sendfile (void)
{
  g_autoptr(FtServer) srv = ft_server_start (mode (), 1, NULL);
  const gsize size = 32 * MiB;
  g_autofree guint8 *data = ft_content (11, size);
  g_autoptr(FtConn) c = NULL;
  g_autoptr(FtConn) next = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(GBytes) head = NULL;

  ft_write_file (srv->root, "raw.bin", data, size);
  c = ft_conn_new (srv->port);
  before = ft_stats (c);
  ft_conn_send_str (c, "GETRAW raw.bin\n");
  head = ft_conn_read_frame (c, NULL);
  ft_check (head != NULL, "no GETRAW answer");
  receive_bytes (c, NULL, 256 * KiB);
  /* The server waits for room now, with most of the file to go. */
  g_usleep (200 * 1000);
  ft_conn_reset (g_steal_pointer (&c));

  next = ft_conn_new (srv->port);
  ft_conn_set_timeout (next, 20);
  {
    g_autoptr(GBytes) frame = ft_request_raw (next, "GETRAW raw.bin");
    g_autoptr(GByteArray) body = g_byte_array_sized_new (size);

    ft_check (strstr ((const char *) g_bytes_get_data (frame, NULL), "\"OK\"") != NULL,
              "the GETRAW after the reset failed");
    receive_bytes (next, body, size);
    ft_assert_same_bytes (body->data, body->len, data, size);
  }
  after = ft_stats (next);
  ft_check (ft_stat (after, "requests_failed") == ft_stat (before, "requests_failed") + 1,
            "requests_failed went from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT
            ", not up by the reset GETRAW",
            ft_stat (before, "requests_failed"), ft_stat (after, "requests_failed"));
  ft_check (ft_stat (after, "workers_failed") == ft_stat (before, "workers_failed") + 1,
            "workers_failed did not count the reset connection");
  ft_server_stop (g_steal_pointer (&srv));
}

/* A base64 GET to a client that does not read fills the socket's buffer
 * (the server's send gets EAGAIN): the worker serves others meanwhile,
 * and once the client reads, every byte of its answer is right. */
static void
test_get_full_buffer (void)
{
  g_autoptr(FtServer) srv = ft_server_start (mode (), 1, NULL);
  g_autoptr(GBytes) content = ft_content_bytes (5, 16 * MiB);
  g_autoptr(FtConn) stalled = NULL;

  ft_write_file (srv->root, "f.bin", g_bytes_get_data (content, NULL), 16 * MiB);
  stalled = ft_conn_new (srv->port);
  ft_conn_send_str (stalled, "GET f.bin\n");
  g_usleep (500 * 1000);
  assert_list_answered (srv->port, 2.0, "a GET whose client does not read");
  ft_conn_set_timeout (stalled, 20);
  {
    g_autoptr(JsonNode) answer = ft_conn_read_json (stalled);
    g_autofree char *want = g_base64_encode (g_bytes_get_data (content, NULL), 16 * MiB);
    JsonObject *o = json_node_get_object (answer);

    ft_assert_ok (answer);
    ft_check (g_strcmp0 (json_object_get_string_member_with_default (o, "data_file", ""), want)
              == 0, "the stalled GET's content is not the file's base64");
  }
  ft_server_stop (g_steal_pointer (&srv));
}

int
main (int argc, char **argv)
{
  ft_init ();
  g_test_init (&argc, &argv, NULL);
  ft_test_add ("/event/slowloris-1000", (GTestDataFunc) test_slowloris, NULL);
  ft_test_add ("/event/get-read-1-byte-a-second", (GTestDataFunc) test_slow_reader, NULL);
  ft_test_add ("/event/reset-mid-sendfile", (GTestDataFunc) test_reset_mid_sendfile, NULL);
  ft_test_add ("/event/get-eagain-full-buffer", (GTestDataFunc) test_get_full_buffer, NULL);
  return g_test_run ();
}
