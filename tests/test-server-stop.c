/* test-server-stop.c: end-to-end tests of filestorm-server's lifecycle:
 * the idle timeout, a client gone in the middle of a GET, and stopping on
 * SIGTERM (idle, in flight, refusing new clients, the grace period).
 * Every case runs in both concurrency models, each against a fresh server
 * (pool 3). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server-cases.h"

/* --idle-timeout closes an idle connection, and one stalled in the middle
 * of an upload (leaving no trace), silently. */
static void
test_idle_timeout (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char * const extra[] = { "--idle-timeout", "1", NULL };
  FtServer *srv = ft_server_start (f->mode, POOL, extra);
  g_autoptr(FtConn) idle = ft_conn_new (srv->port);
  g_autoptr(FtConn) stalled = ft_conn_new (srv->port);
  g_autoptr(FtConn) other = NULL;
  g_autoptr(GBytes) ready = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) s = NULL;
  gsize extra_bytes = 0;
  double t0;

  ft_assert_list_ok (idle);
  ft_conn_send_str (stalled, "UPLOAD stalled.bin\n");
  ready = ft_conn_read_frame (stalled, &error);
  g_assert_no_error (error);
  ft_assert_ready_frame (ready);
  ft_conn_send_str (stalled, "aGVsbG8gd29ybGQ");
  t0 = ft_now ();
  ft_check (ft_conn_wait_closed (idle, 6, &extra_bytes), "idle connection still open 6 s past a 1 s idle timeout");
  g_assert_cmpuint (extra_bytes, ==, 0);
  ft_check (ft_conn_wait_closed (stalled, 6, &extra_bytes),
            "stalled upload still open 6 s past a 1 s idle timeout");
  g_assert_cmpuint (extra_bytes, ==, 0);
  ft_note ("closed %.2f s after going idle", ft_now () - t0);
  ft_assert_no_hidden (srv->root, NULL, "after a stalled upload timed out");
  g_assert_false (ft_exists (srv->root, "stalled.bin"));
  other = ft_conn_new (srv->port);
  s = ft_stats (other);
  g_assert_cmpint (ft_stat (s, "worker_restarts"), ==, 0);

  /* A reader that stops reading a GET is stalled mid-transfer too: its
   * session ends (watched through STATS, without reading), and what it
   * reads afterwards is a cut-off answer. */
  {
    gsize len = 16 * MiB;
    g_autofree guint8 *content = ft_content (25, len);
    g_autoptr(FtConn) slow = ft_conn_new (srv->port);
    gint64 ended0 = ft_stat (s, "workers_ok") + ft_stat (s, "workers_failed");
    double deadline = ft_now () + 10;
    g_autoptr(GBytes) frame = NULL;

    ft_write_file (srv->root, "big.bin", content, len);
    ft_conn_send_str (slow, "GET big.bin\n");
    g_assert_true (g_socket_condition_timed_wait (slow->socket, G_IO_IN, 10 * G_USEC_PER_SEC, NULL, &error));
    g_assert_no_error (error);
    for (;;)
      {
        g_autoptr(JsonNode) now = ft_stats (other);
        if (ft_stat (now, "workers_ok") + ft_stat (now, "workers_failed") > ended0)
          break;
        ft_check (ft_now () < deadline, "a GET whose reader stalled still open 10 s past a 1 s idle timeout");
        g_usleep (50 * 1000);
      }
    frame = ft_conn_read_frame (slow, &error);
    ft_check (frame == NULL, "a GET whose reader stalled past the idle timeout still got its whole answer");
    ft_note ("stalled GET reader cut off after %" G_GUINT64_FORMAT " bytes", slow->received);
  }
  g_clear_pointer (&other, ft_conn_free);
  ft_server_stop (srv);
}

/* A client that goes away in the middle of a GET must not hurt the server
 * (no SIGPIPE death, session counted as ended). */
static void
test_client_gone_mid_get (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  gsize len = 8 * MiB;
  g_autofree guint8 *content = ft_content (16, len);
  g_autoptr(FtConn) x = ft_conn_new (f->srv->port);
  g_autoptr(FtConn) y = NULL;
  g_autoptr(JsonNode) sx = ft_stats (x);
  pid_t pid = (pid_t) ft_stat (sx, "pid");
  gint64 ended0 = ft_stat (sx, "workers_ok") + ft_stat (sx, "workers_failed");
  double deadline;

  ft_write_file (f->srv->root, "big.bin", content, len);
  ft_conn_send_str (x, "GET big.bin\n");
  while (x->received < 65536)
    {
      g_autoptr(GError) error = NULL;
      gssize n = ft_conn_recv_some (x, 65536, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
    }
  g_clear_pointer (&x, ft_conn_free);

  y = ft_conn_new (f->srv->port);
  deadline = ft_now () + 10;
  for (;;)
    {
      g_autoptr(JsonNode) s = ft_stats (y);
      g_assert_cmpint (ft_stat (s, "worker_restarts"), ==, 0);
      if (ft_stat (s, "workers_ok") + ft_stat (s, "workers_failed") > ended0)
        break;
      ft_check (ft_now () < deadline, "the session of a client gone mid-GET did not end within 10 s");
      g_usleep (20 * 1000);
    }
  if (g_str_equal (f->mode, "process"))
    ft_check (ft_proc_alive (pid), "worker %d died when its client went away mid-GET", (int) pid);
  ft_assert_list_ok (y);
}

/* ------------------------------------------------------------ stopping */

static void
test_stop_idle (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  /* A long grace: idle connections must be closed at once, not waited for. */
  const char * const extra[] = { "--grace", "20", NULL };
  FtServer *srv = ft_server_start (f->mode, POOL, extra);
  g_autoptr(FtConn) a = ft_conn_new (srv->port);
  g_autoptr(FtConn) b = ft_conn_new (srv->port);
  g_autoptr(FtConn) c = NULL;
  double t0;
  gsize extra_bytes = 0;

  ft_assert_list_ok (a);
  ft_assert_list_ok (b);
  c = ft_conn_new (srv->port); /* connected, never sends a request */
  t0 = ft_now ();
  ft_server_signal (srv, SIGTERM);
  ft_check (ft_server_wait (srv, 6.0),
            "server with only idle clients did not exit within 6 s of SIGTERM (grace 20 s)");
  ft_note ("exited %.2f s after SIGTERM", ft_now () - t0);
  ft_server_assert_exit_ok (srv);
  ft_check (ft_conn_wait_closed (a, 2, &extra_bytes), "idle connection not closed");
  g_assert_cmpuint (extra_bytes, ==, 0);
  ft_check (ft_conn_wait_closed (b, 2, &extra_bytes), "idle connection not closed");
  g_assert_cmpuint (extra_bytes, ==, 0);
  ft_check (ft_conn_wait_closed (c, 2, &extra_bytes), "silent connection not closed");
  g_assert_cmpuint (extra_bytes, ==, 0);
  ft_server_stop (srv);
}

static void
test_stop_slow_get (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  gsize len = 16 * MiB;
  g_autoptr(GBytes) content = ft_content_bytes (17, len);
  g_autofree char *want_b64 = g_base64_encode (g_bytes_get_data (content, NULL), len);
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) frame = NULL;
  g_autoptr(JsonNode) answer = NULL;
  guint reads = 0;
  double t0;

  ft_write_file (f->srv->root, "big.bin", g_bytes_get_data (content, NULL), len);
  ft_conn_send_str (conn, "GET big.bin\n");
  while (conn->received < 1 * MiB)
    {
      gssize n = ft_conn_recv_some (conn, 65536, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
    }
  t0 = ft_now ();
  ft_server_signal (f->srv, SIGTERM);
  /* Read the rest slowly (about 2 s in all, well inside the 10 s grace). */
  while (memmem (conn->pending->data + (conn->pending->len >= 4 ? conn->pending->len - 4 : 0),
                 MIN (conn->pending->len, 4), "\r\n\r\n", 4) == NULL)
    {
      gssize n = ft_conn_recv_some (conn, 65536, &error);
      ft_check (n > 0, "GET cut off by SIGTERM after %" G_GUINT64_FORMAT " bytes (%s)",
                conn->received, n == 0 ? "end of stream" : error->message);
      if (++reads % 4 == 0)
        g_usleep (20 * 1000);
      ft_check (ft_now () - t0 < 9.0, "slow GET reading too slow for this test");
    }
  frame = ft_conn_read_frame (conn, &error);
  g_assert_no_error (error);
  answer = ft_parse_frame (frame);
  ft_assert_ok (answer);
  ft_check (g_strcmp0 (json_object_get_string_member (json_node_get_object (answer), "data_file"), want_b64) == 0,
            "GET in flight at SIGTERM: content differs");
  ft_note ("GET finished %.2f s after SIGTERM", ft_now () - t0);
  ft_check (ft_server_wait (f->srv, FT_STOP_TIMEOUT), "server did not exit after the in-flight GET");
  ft_server_assert_exit_ok (f->srv);
}

/* SIGTERM in the middle of a streamed upload: the upload is in flight and
 * completes (the grace is 10 s). */
static void
test_stop_upload (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  gsize len = 4 * MiB;
  g_autofree guint8 *content = ft_content (23, len);
  g_autofree char *b64 = g_base64_encode (content, len);
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autoptr(GBytes) ready = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  gsize b64_len = strlen (b64);
  gsize half = b64_len / 2;

  ft_conn_send_str (conn, "UPLOAD inflight.bin\n");
  ready = ft_conn_read_frame (conn, &error);
  g_assert_no_error (error);
  ft_assert_ready_frame (ready);
  ft_conn_send (conn, b64, half);
  ft_conn_send_str (conn, "\n");
  ft_server_signal (f->srv, SIGTERM);
  for (gsize off = half; off < b64_len; off += 256 * 1024)
    {
      ft_check (ft_conn_try_send (conn, b64 + off, MIN (256 * 1024, b64_len - off), &error),
                "upload in flight at SIGTERM cut off after %" G_GUINT64_FORMAT " bytes: %s",
                conn->sent, error->message);
      g_usleep (5 * 1000); /* a slow client, 60 ms in all */
    }
  ft_conn_send_str (conn, "\nENDUPLOAD\n");
  answer = ft_conn_read_json (conn);
  ft_assert_ok (answer);
  ft_check (ft_server_wait (f->srv, FT_STOP_TIMEOUT), "server did not exit after the in-flight upload");
  ft_server_assert_exit_ok (f->srv);
  ft_assert_root_file (f->srv->root, "inflight.bin", content, len);
  ft_assert_no_hidden (f->srv->root, NULL, "after an upload in flight at SIGTERM");
}

/* Once stopping, a new connection is refused or closed at once, never left
 * hanging unanswered until the server exits. */
static void
test_stop_refuse_new (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  gsize len = 16 * MiB;
  g_autofree guint8 *content = ft_content (28, len);
  g_autoptr(FtConn) get = ft_conn_new (f->srv->port);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) frame = NULL;
  double deadline;
  const char *outcome = NULL;

  /* A GET in flight keeps the server in its grace period. */
  ft_write_file (f->srv->root, "big.bin", content, len);
  ft_conn_send_str (get, "GET big.bin\n");
  g_assert_true (g_socket_condition_timed_wait (get->socket, G_IO_IN, 10 * G_USEC_PER_SEC, NULL, &error));
  g_assert_no_error (error);
  ft_server_signal (f->srv, SIGTERM);

  /* Until the signal has landed a new connection may still be served, and
   * one taken by a worker on its way out may be closed: keep trying for 3 s
   * or until refused. None may hang. */
  deadline = ft_now () + 3;
  while (ft_now () < deadline)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", f->srv->port);
      g_autoptr(GSocketConnection) c = NULL;
      g_autoptr(GError) cerr = NULL;
      GSocket *sock;
      char buf[256];
      gssize n;

      g_socket_client_set_enable_proxy (client, FALSE);
      g_socket_client_set_timeout (client, 2);
      c = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &cerr);
      if (c == NULL)
        {
          outcome = "refused";
          ft_note ("connection during the grace: refused");
          break;
        }
      sock = g_socket_connection_get_socket (c);
      g_socket_send (sock, "LIST\n", 5, NULL, NULL);
      n = g_socket_receive (sock, buf, sizeof buf, NULL, &cerr);
      if (n < 0 && g_error_matches (cerr, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        ft_fail ("a connection made while the server stops (SIGTERM, a GET in flight) was "
                 "accepted but neither answered nor closed within 2 s: it hangs until the server exits "
                 "(earlier attempts: %s)", outcome ? outcome : "none");
      outcome = n == 0 ? "closed" : n < 0 ? "reset" : "answered";
      ft_note ("connection during the grace: %s", outcome);
      g_usleep (50 * 1000);
    }
  ft_check (g_strcmp0 (outcome, "answered") != 0, "new connections still answered 3 s after SIGTERM");

  frame = ft_conn_read_frame (get, &error);
  g_assert_no_error (error);
  ft_check (ft_server_wait (f->srv, FT_STOP_TIMEOUT), "server did not exit after the in-flight GET");
  ft_server_assert_exit_ok (f->srv);
}

/* Requests that do not finish within --grace: the server still exits 0
 * soon after the grace, and the stalled upload leaves no trace. */
static void
test_stop_grace_expires (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char * const extra[] = { "--grace", "1", "--idle-timeout", "60", NULL };
  FtServer *srv = ft_server_start (f->mode, POOL, extra);
  gsize len = 16 * MiB;
  g_autofree guint8 *content = ft_content (24, len);
  g_autoptr(FtConn) up = ft_conn_new (srv->port);
  g_autoptr(FtConn) get = ft_conn_new (srv->port);
  g_autoptr(GBytes) ready = NULL;
  g_autoptr(GError) error = NULL;
  double t0;

  ft_write_file (srv->root, "big.bin", content, len);
  /* an upload that stalls after its first bytes */
  ft_conn_send_str (up, "UPLOAD stalled.bin\n");
  ready = ft_conn_read_frame (up, &error);
  g_assert_no_error (error);
  ft_assert_ready_frame (ready);
  ft_conn_send_str (up, "aGVsbG8gd29ybGQ");
  /* a GET whose reader stops reading */
  ft_conn_send_str (get, "GET big.bin\n");
  g_assert_true (g_socket_condition_timed_wait (get->socket, G_IO_IN, 10 * G_USEC_PER_SEC, NULL, &error));
  g_assert_no_error (error);

  t0 = ft_now ();
  ft_server_signal (srv, SIGTERM);
  ft_check (ft_server_wait (srv, 8.0),
            "server did not exit within 8 s of SIGTERM with --grace 1 (stalled upload, stalled GET)");
  ft_note ("exited %.2f s after SIGTERM", ft_now () - t0);
  ft_server_assert_exit_ok (srv);
  ft_check (ft_conn_wait_closed (up, 5, NULL), "stalled upload's connection not closed");
  ft_assert_no_hidden (srv->root, NULL, "after a stalled upload at shutdown");
  g_assert_false (ft_exists (srv->root, "stalled.bin"));
  ft_server_stop (srv);
}

/* ------------------------------------------------------------ main */

int
main (int argc, char **argv)
{
  static const FtServerCase cases[] = {
    { "bad/client-gone-mid-get", test_client_gone_mid_get },
    { "idle-timeout", test_idle_timeout },
    { "stop/idle", test_stop_idle },
    { "stop/slow-get", test_stop_slow_get },
    { "stop/upload-in-flight", test_stop_upload },
    { "stop/refuse-new", test_stop_refuse_new },
    { "stop/grace-expires", test_stop_grace_expires },
  };

  return ft_server_cases_run (&argc, &argv, cases, G_N_ELEMENTS (cases));
}
