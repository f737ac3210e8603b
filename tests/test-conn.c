/* test-conn.c: reads and writes with a timeout on a socket's descriptor
 * (src/wire/conn.c), over a real loopback TCP connection. */
#include "config.h"

#include "conn.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A connected pair on 127.0.0.1: *ours non-blocking, *theirs blocking. */
static void
tcp_pair (int *ours, int *theirs)
{
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof a;
  int l = socket (AF_INET, SOCK_STREAM, 0);

  g_assert_cmpint (l, >=, 0);
  g_assert_cmpint (bind (l, (struct sockaddr *) &a, sizeof a), ==, 0);
  g_assert_cmpint (listen (l, 1), ==, 0);
  g_assert_cmpint (getsockname (l, (struct sockaddr *) &a, &len), ==, 0);
  *theirs = socket (AF_INET, SOCK_STREAM, 0);
  g_assert_cmpint (connect (*theirs, (struct sockaddr *) &a, sizeof a), ==, 0);
  *ours = accept (l, NULL, NULL);
  g_assert_cmpint (*ours, >=, 0);
  g_assert_cmpint (fcntl (*ours, F_SETFL, O_NONBLOCK), ==, 0);
  close (l);
}

static void
test_receive_data_then_end (void)
{
  g_autoptr(GError) error = NULL;
  char buf[16];
  FsConn c;
  int ours, theirs;

  tcp_pair (&ours, &theirs);
  fs_conn_init (&c, ours, 5);
  g_assert_cmpint (write (theirs, "abc", 3), ==, 3);
  g_assert_cmpint (fs_conn_receive (&c, buf, sizeof buf, NULL, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpmem (buf, 3, "abc", 3);
  close (theirs);
  g_assert_cmpint (fs_conn_receive (&c, buf, sizeof buf, NULL, &error), ==, 0);
  g_assert_no_error (error);
  close (ours);
}

/* Nothing comes: the receive gives up after the timeout, not before. */
static void
test_receive_timeout (void)
{
  g_autoptr(GError) error = NULL;
  char buf[16];
  gint64 t0;
  FsConn c;
  int ours, theirs;

  tcp_pair (&ours, &theirs);
  fs_conn_init (&c, ours, 1);
  t0 = g_get_monotonic_time ();
  g_assert_cmpint (fs_conn_receive (&c, buf, sizeof buf, NULL, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, G_USEC_PER_SEC);
  close (ours);
  close (theirs);
}

/* A timeout below a millisecond's multiple is rounded up, never down. */
static void
test_wait_rounds_up (void)
{
  g_autoptr(GError) error = NULL;
  gint64 t0;
  FsConn c;
  int ours, theirs;

  tcp_pair (&ours, &theirs);
  fs_conn_init (&c, ours, 0);
  for (int i = 0; i < 20; i++)
    {
      t0 = g_get_monotonic_time ();
      g_assert_false (fs_conn_wait (&c, G_IO_IN, 1500, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
      g_assert_cmpint (g_get_monotonic_time () - t0, >=, 1500);
      g_clear_error (&error);
    }
  /* Readable at once: no wait at all. */
  g_assert_cmpint (write (theirs, "x", 1), ==, 1);
  g_assert_true (fs_conn_wait (&c, G_IO_IN, G_USEC_PER_SEC, NULL, &error));
  g_assert_no_error (error);
  close (ours);
  close (theirs);
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (100 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

/* The stop ends a wait without end, and one already cancelled does not
 * wait (nor read what is there). */
static void
test_wait_cancelled (void)
{
  g_autoptr(GCancellable) stop = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) canceller = NULL;
  char buf[4];
  FsConn c;
  int ours, theirs;

  tcp_pair (&ours, &theirs);
  fs_conn_init (&c, ours, 0);
  canceller = g_thread_new ("cancel", cancel_later, stop);
  g_assert_false (fs_conn_wait (&c, G_IO_IN, -1, stop, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_thread_join (g_steal_pointer (&canceller));

  g_assert_cmpint (write (theirs, "x", 1), ==, 1);
  g_assert_cmpint (fs_conn_receive (&c, buf, sizeof buf, stop, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  close (ours);
  close (theirs);
}

/* A peer that reads nothing: the send gives up after the timeout and
 * says how much went out. */
static void
test_send_timeout_partial (void)
{
  g_autoptr(GError) error = NULL;
  gsize len = 64 * 1024 * 1024, written = 0;
  g_autofree char *data = g_malloc0 (len);
  FsConn c;
  int ours, theirs;

  tcp_pair (&ours, &theirs);
  fs_conn_init (&c, ours, 1);
  g_assert_false (fs_conn_send_all (&c, data, len, &written, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpuint (written, >, 0);
  g_assert_cmpuint (written, <, len);
  close (ours);
  close (theirs);
}

/* A peer gone: an error, not SIGPIPE (which would end this test). */
static void
test_send_peer_gone (void)
{
  g_autoptr(GError) error = NULL;
  struct linger reset = { .l_onoff = 1, .l_linger = 0 };
  char data[4096] = { 0 };
  gboolean ok = TRUE;
  FsConn c;
  int ours, theirs;

  tcp_pair (&ours, &theirs);
  fs_conn_init (&c, ours, 5);
  g_assert_cmpint (setsockopt (theirs, SOL_SOCKET, SO_LINGER, &reset, sizeof reset), ==, 0);
  close (theirs);
  for (int i = 0; i < 100 && ok; i++)
    ok = fs_conn_send_all (&c, data, sizeof data, NULL, &error);
  g_assert_false (ok);
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_assert_true (g_str_has_prefix (error->message, "Error sending data: "));
  g_clear_error (&error);
  /* Once the reset is known, the kernel says EPIPE (and would signal). */
  g_assert_false (fs_conn_send_all (&c, data, sizeof data, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  close (ours);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_DFL);
  g_test_add_func ("/conn/receive/data-then-end", test_receive_data_then_end);
  g_test_add_func ("/conn/receive/timeout", test_receive_timeout);
  g_test_add_func ("/conn/wait/rounds-up", test_wait_rounds_up);
  g_test_add_func ("/conn/wait/cancelled", test_wait_cancelled);
  g_test_add_func ("/conn/send/timeout-partial", test_send_timeout_partial);
  g_test_add_func ("/conn/send/peer-gone", test_send_peer_gone);
  return g_test_run ();
}
