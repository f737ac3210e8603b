/* test-hostile.c: filestorm-server against clients that cut their
 * requests short, reset their connections, or meet the server's resource
 * limits, in both concurrency models (/hostile/thread/..., and
 * /hostile/process/...). Each case is the regression test of one failure
 * an audit found; the comment above it says which. The slow clients
 * (request timeout, minimum upload rate) are in test-slow-clients.c. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define POOL 3
#define KiB 1024
#define MiB (1024 * 1024)

static void
assert_no_hidden_now (const char *root, const char *what)
{
  g_auto(GStrv) entries = ft_dir_entries (root);

  for (gsize i = 0; entries[i] != NULL; i++)
    ft_check (entries[i][0] != '.', "%s: \"%s\" is in the root", what, entries[i]);
}

/* Reads one answer and asserts it is an ERROR whose text holds needle. */
static void
expect_error_with (FtConn *conn, const char *needle, const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) frame = ft_conn_read_frame (conn, &error);
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *shown = NULL;
  const char *message;

  ft_check (frame != NULL, "%s: no answer: %s", what, error->message);
  shown = ft_preview_bytes (frame);
  answer = ft_parse_frame (frame);
  ft_check (g_strcmp0 (ft_status (answer), "ERROR") == 0, "%s: expected ERROR, got %s", what,
            shown);
  message = ft_assert_error (answer);
  ft_check (strstr (message, needle) != NULL, "%s: ERROR \"%s\" does not say \"%s\"", what,
            message, needle);
}

/* Polls STATS on a new connection until the server has taken the
 * connections the test made before (others) and every one of them has
 * ended; returns that answer. The polls before it, each an OK request,
 * are left out of the counters it returns, as if it were the only STATS
 * sent. */
static JsonNode *
stats_when_quiet (guint16 port, gint64 others)
{
  g_autoptr(FtConn) conn = ft_conn_new (port);
  double deadline = ft_now () + 10;

  for (gint64 polls = 0;; polls++)
    {
      JsonNode *s = ft_stats (conn);
      gint64 ended = ft_stat (s, "workers_ok") + ft_stat (s, "workers_failed");

      if (ended == others && ft_stat (s, "connections") == others + 1)
        {
          JsonObject *o = json_node_get_object (s);
          json_object_set_int_member (o, "requests", ft_stat (s, "requests") - polls);
          json_object_set_int_member (o, "requests_ok", ft_stat (s, "requests_ok") - polls);
          return s;
        }
      ft_check (ft_now () < deadline, "after 10 s, %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                " connections taken, %" G_GINT64_FORMAT " ended", ft_stat (s, "connections") - 1,
                others, ended);
      json_node_unref (s);
      g_usleep (50 * 1000);
    }
}

/* ------------------------------------------------------------ item 1 */

/* A one-line UPLOAD whose '\n' never arrives was cut off: it stores
 * nothing and is answered ERROR, even when the cut lands on a whole
 * base64 quantum, and the good file of that name stays. */
static void
test_cutoff_line_aligned (const char *mode)
{
  g_autoptr(FtServer) srv = ft_server_start (mode, POOL, NULL);
  g_autoptr(GBytes) good = ft_content_bytes (1, 256 * KiB);
  g_autofree guint8 *other = ft_content (2, 256 * KiB);
  g_autofree char *b64 = g_base64_encode (other, 256 * KiB);
  gsize cut = strlen (b64) / 2 / 4 * 4;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;

  {
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    g_free (ft_upload_line (conn, "same.bin", g_bytes_get_data (good, NULL),
                            g_bytes_get_size (good)));
    before = ft_stats (conn);
  }
  {
    /* Cut halfway, on a 4-character boundary: the prefix decodes. */
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    ft_conn_send_str (conn, "UPLOAD same.bin ");
    ft_conn_send (conn, b64, cut);
    ft_conn_shutdown_write (conn);
    expect_error_with (conn, "cut off", "one-line upload cut halfway");
  }
  {
    /* The whole request in one piece, only its '\n' missing. */
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    ft_conn_send_str (conn, "UPLOAD tiny.bin QUJD");
    ft_conn_shutdown_write (conn);
    expect_error_with (conn, "cut off", "one-line upload without its newline");
  }
  {
    /* The streamed form's request line without '\n' is cut off too. */
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    ft_conn_send_str (conn, "UPLOAD named.bin");
    ft_conn_shutdown_write (conn);
    expect_error_with (conn, "cut off", "UPLOAD name without its newline");
  }
  {
    /* A client killed mid-upload: its kernel closes the connection. */
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    ft_conn_send_str (conn, "UPLOAD same.bin ");
    ft_conn_send (conn, b64, cut);
  }

  after = stats_when_quiet (srv->port, 5);
  ft_assert_file_is (srv->root, "same.bin", good);
  ft_check (!ft_exists (srv->root, "tiny.bin"), "a cut-off one-line upload stored tiny.bin");
  ft_check (!ft_exists (srv->root, "named.bin"), "a cut-off UPLOAD line stored named.bin");
  ft_assert_no_hidden (srv->root, NULL, "after cut-off uploads");
  g_assert_cmpint (ft_stat (after, "requests_failed") - ft_stat (before, "requests_failed"),
                   ==, 4);
  /* Only the STATS that took "before" succeeded in between. */
  g_assert_cmpint (ft_stat (after, "requests_ok") - ft_stat (before, "requests_ok"), ==, 1);
  ft_server_stop (g_steal_pointer (&srv));
}

/* "Other commands may still be served from a last line without \n". */
static void
test_last_line_served (const char *mode)
{
  g_autoptr(FtServer) srv = ft_server_start (mode, POOL, NULL);
  g_autoptr(FtConn) conn = ft_conn_new (srv->port);
  g_autoptr(JsonNode) answer = NULL;

  ft_conn_send_str (conn, "LIST");
  ft_conn_shutdown_write (conn);
  answer = ft_conn_read_json (conn);
  ft_assert_ok (answer);
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ item 2 */

/* RLIMIT_FSIZE: SIGXFSZ used to kill the server (thread mode) or the
 * worker (process mode), leaving a temporary file. Now the upload past
 * the limit is an ERROR like a full disk, and nothing is left. */
static void
test_rlimit_fsize (const char *mode)
{
  g_autoptr(FtServer) srv = NULL;
  g_autoptr(FtConn) conn = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) stats = NULL;
  gsize big = 3 * MiB;
  g_autofree guint8 *content = ft_content (3, big);
  g_auto(GStrv) names = NULL;
  const char *message;

  ft_server_set_fsize_limit (1 * MiB);
  srv = ft_server_start (mode, POOL, NULL);
  ft_server_set_fsize_limit (0);

  conn = ft_conn_new (srv->port);
  answer = ft_upload_stream_answer (conn, "big.bin", content, big, 64 * KiB);
  message = ft_assert_error (answer);
  ft_check (strstr (message, "File too large") != NULL, "upload past RLIMIT_FSIZE: ERROR \"%s\"",
            message);
  ft_check (strstr (message, srv->base) == NULL, "the ERROR holds the root's path: %s", message);
  ft_assert_no_hidden (srv->root, NULL, "after an upload past RLIMIT_FSIZE");
  ft_check (!ft_exists (srv->root, "big.bin"), "an upload past RLIMIT_FSIZE was stored");

  /* The same connection and the server go on serving. */
  names = ft_list (conn);
  g_free (ft_upload_stream (conn, "small.bin", content, 100 * KiB, 0));
  stats = ft_stats (conn);
  g_assert_cmpint (ft_stat (stats, "worker_restarts"), ==, 0);
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ item 6 */

/* A content line that begins with the letters ENDUPLOAD is content,
 * however long the client pauses after them; the marker is a whole line,
 * ended by '\n' or by the end of the stream. */
static void
test_endupload_prefix (const char *mode)
{
  g_autoptr(FtServer) srv = ft_server_start (mode, POOL, NULL);
  g_autoptr(GBytes) want = NULL;
  gsize len = 0;

  {
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    g_autoptr(JsonNode) answer = NULL;
    guint8 *decoded = NULL;

    ft_conn_send_str (conn, "UPLOAD pre.bin\n");
    ft_conn_read_ready (conn);
    ft_conn_send_str (conn, "QUJD\nENDUPLOAD");
    g_usleep (500 * 1000);
    ft_conn_send_str (conn, "AAA\nENDUPLOAD\n");
    answer = ft_conn_read_json (conn);
    ft_assert_ok (answer);
    decoded = g_base64_decode ("QUJDENDUPLOADAAA", &len);
    want = g_bytes_new_take (decoded, len);
    ft_assert_file_is (srv->root, "pre.bin", want);
  }
  {
    /* ENDUPLOAD then the end of the stream still ends the upload. */
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    g_autoptr(JsonNode) answer = NULL;
    g_autoptr(GBytes) abc = g_bytes_new_static ("ABC", 3);

    ft_conn_send_str (conn, "UPLOAD eos.bin\n");
    ft_conn_read_ready (conn);
    ft_conn_send_str (conn, "QUJD\nENDUPLOAD");
    ft_conn_shutdown_write (conn);
    answer = ft_conn_read_json (conn);
    ft_assert_ok (answer);
    ft_assert_file_is (srv->root, "eos.bin", abc);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ item 7 */

/* Every request counted in "requests" ends in exactly one of
 * "requests_ok" and "requests_failed": after successes, ERROR answers,
 * cut-off uploads, an abandoned GET, a request that ran out of time and
 * an upload over the limit, the only request in neither is the STATS
 * being answered. */
static void
test_stats_add_up (const char *mode)
{
  const char * const extra[] = { "--request-timeout", "1", "--max-upload", "64K", NULL };
  g_autoptr(FtServer) srv = ft_server_start (mode, POOL, extra);
  g_autofree guint8 *big = ft_content (4, 8 * MiB);
  g_autofree guint8 *small = ft_content (5, 4 * KiB);
  g_autoptr(JsonNode) s = NULL;

  ft_write_file (srv->root, "big.bin", big, 8 * MiB);
  {
    /* 2 OK, 2 failed */
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    g_auto(GStrv) names = ft_list (conn);
    g_autoptr(JsonNode) missing = ft_request (conn, "GET missing.bin");
    g_autoptr(GBytes) unknown = ft_request_raw (conn, "BOGUS");

    ft_assert_error (missing);
    ft_assert_unknown_frame (unknown);
    g_free (ft_upload_line (conn, "ok.bin", small, 4 * KiB));
  }
  {
    /* a one-line upload cut off */
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    ft_conn_send_str (conn, "UPLOAD c1.bin QUJD");
  }
  {
    /* a streamed upload cut off */
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    ft_conn_send_str (conn, "UPLOAD c2.bin\n");
    ft_conn_read_ready (conn);
    ft_conn_send_str (conn, "QUJDQUJD\n");
  }
  {
    /* a GET abandoned: the client resets the connection unread */
    FtConn *conn = ft_conn_new (srv->port);
    ft_conn_send_str (conn, "GET big.bin\n");
    ft_conn_reset (conn);
  }
  {
    /* a request line that never ends: cut off by --request-timeout */
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    ft_conn_send_str (conn, "LIS");
    expect_error_with (conn, "request timeout", "a request line that never ends");
  }
  {
    /* over --max-upload: ERROR, then the server closes */
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    g_autofree guint8 *over = ft_content (6, 100 * KiB);
    g_autoptr(JsonNode) answer = ft_upload_stream_answer (conn, "over.bin", over, 100 * KiB,
                                                          0);
    ft_assert_error (answer);
  }

  s = stats_when_quiet (srv->port, 6);
  g_assert_cmpint (ft_stat (s, "requests"), ==,
                   ft_stat (s, "requests_ok") + ft_stat (s, "requests_failed") + 1);
  /* LIST and the upload; GET missing, BOGUS, two cut-off uploads, the
   * abandoned GET, the timeout and the upload over the limit */
  g_assert_cmpint (ft_stat (s, "requests_ok"), ==, 2);
  g_assert_cmpint (ft_stat (s, "requests_failed"), ==, 7);
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ item 11 */

/* A GET counts as OK only once its last write has succeeded. With a pool
 * of one, a client sends GET and resets its connection while it waits in
 * the backlog; when it is served, the read succeeds but the answer's one
 * write fails: that GET failed. */
static void
test_get_ok_after_write (const char *mode)
{
  g_autoptr(FtServer) srv = ft_server_start (mode, 1, NULL);
  g_autofree guint8 *small = ft_content (7, 8 * KiB);
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;

  ft_write_file (srv->root, "small.bin", small, 8 * KiB);
  {
    g_autoptr(FtConn) holder = ft_conn_new (srv->port);
    FtConn *gone = NULL;

    before = ft_stats (holder);
    /* holder keeps the pool's one thread or worker: gone waits */
    gone = ft_conn_new (srv->port);
    ft_conn_send_str (gone, "GET small.bin\n");
    ft_conn_reset (gone);
  }
  after = stats_when_quiet (srv->port, 2);
  /* holder's STATS succeeded; the GET failed. */
  g_assert_cmpint (ft_stat (after, "requests_ok") - ft_stat (before, "requests_ok"), ==, 1);
  g_assert_cmpint (ft_stat (after, "requests_failed") - ft_stat (before, "requests_failed"),
                   ==, 1);
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ item 8 */

/* --max-upload near the top of the range used to wrap the base64 input
 * limit, so that uploads of about 100 KiB were refused. */
static void
test_max_upload_huge (const char *mode)
{
  const char * const extra[] = { "--max-upload", "6291456T", NULL };
  g_autoptr(FtServer) srv = ft_server_start (mode, POOL, extra);
  g_autoptr(FtConn) conn = ft_conn_new (srv->port);
  g_autoptr(GBytes) content = ft_content_bytes (8, 300 * KiB);
  gsize len = g_bytes_get_size (content);

  g_free (ft_upload_line (conn, "line.bin", g_bytes_get_data (content, NULL), len));
  g_free (ft_upload_stream (conn, "stream.bin", g_bytes_get_data (content, NULL), len,
                            64 * KiB));
  ft_assert_file_is (srv->root, "line.bin", content);
  ft_assert_file_is (srv->root, "stream.bin", content);
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ item 9 */

/* A refused upload's temporary file is gone before its ERROR is sent: a
 * look at the root the moment the answer arrives finds nothing. The
 * server runs starved on the test's CPU, so that the answer's arrival
 * preempts it at once: removing the file after answering is then caught
 * every time instead of once in a while. */
static void
test_tmp_gone_before_error (const char *mode)
{
  g_autoptr(FtServer) srv = NULL;
  g_autoptr(FtConn) conn = NULL;
  gsize len = 1 * MiB;
  g_autofree guint8 *content = ft_content (9, len);
  g_autofree char *b64 = g_base64_encode (content, len);

  ft_note ("server pinned to CPU %d at SCHED_IDLE", ft_pin_and_starve_servers (TRUE));
  srv = ft_server_start (mode, POOL, NULL);
  ft_pin_and_starve_servers (FALSE);
  conn = ft_conn_new (srv->port);
  for (int round = 0; round < 3; round++)
    {
      ft_conn_send_str (conn, "UPLOAD bad.bin\n");
      ft_conn_read_ready (conn);
      ft_conn_send_str (conn, b64);
      ft_conn_send_str (conn, "\n!!!!\nENDUPLOAD\n");
      expect_error_with (conn, "base64", "an upload with bad base64 at its end");
      assert_no_hidden_now (srv->root, "right after the ERROR of a refused upload");
    }
  ft_check (!ft_exists (srv->root, "bad.bin"), "a refused upload was stored");
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ item 10 */

/* ERROR messages name files, never the server's root path. The root is
 * removed under the running server, so that creating an upload's
 * temporary file fails (as root, permissions would not stop it). */
static void
test_no_root_path (const char *mode)
{
  g_autoptr(FtServer) srv = ft_server_start (mode, POOL, NULL);
  g_autoptr(FtConn) conn = ft_conn_new (srv->port);
  g_autoptr(JsonNode) line = NULL;
  g_autoptr(JsonNode) stream = NULL;
  g_autoptr(JsonNode) get = NULL;
  const char *message;

  ft_rm_rf (srv->root);
  line = ft_request (conn, "UPLOAD x.bin QUJD");
  message = ft_assert_error (line);
  ft_note ("one-line upload: %s", message);
  ft_check (strstr (message, srv->base) == NULL, "ERROR holds the root's path: %s", message);
  ft_check (strstr (message, "temporary file") != NULL, "unexpected ERROR: %s", message);
  stream = ft_request (conn, "UPLOAD y.bin");
  message = ft_assert_error (stream);
  ft_check (strstr (message, srv->base) == NULL, "ERROR holds the root's path: %s", message);
  get = ft_request (conn, "GET z.bin");
  message = ft_assert_error (get);
  ft_check (strstr (message, srv->base) == NULL, "ERROR holds the root's path: %s", message);
  {
    /* Refused (no temporary file) and then cut off: the session must
     * not reuse the refusal's error (it did, and freed it twice). */
    g_autoptr(FtConn) cut = ft_conn_new (srv->port);
    g_autoptr(FtConn) after = NULL;
    g_auto(GStrv) names = NULL;

    ft_conn_send_str (cut, "UPLOAD a.bin AAAA");
    ft_conn_shutdown_write (cut);
    expect_error_with (cut, "cut off", "a refused one-line upload cut off");
    after = ft_conn_new (srv->port);
    names = ft_list (after);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ item 4 */

/* Process mode: a stopped worker dies with its supervisor. SIGTERM as the
 * parent-death signal stayed pending in a stopped worker, which kept the
 * listening socket; new clients hung on it. */
static void
test_stopped_worker (const char *mode)
{
  g_autoptr(FtServer) srv = ft_server_start (mode, 3, NULL);
  g_autoptr(GArray) workers = ft_proc_children (srv->pid);
  guint16 port = srv->port;
  pid_t stopped;
  double t0, deadline;
  gboolean refused = FALSE;

  g_assert_cmpuint (workers->len, ==, 3);
  stopped = g_array_index (workers, pid_t, 0);
  g_assert_cmpint (kill (stopped, SIGSTOP), ==, 0);
  ft_server_signal (srv, SIGKILL);
  g_assert_true (ft_server_wait (srv, FT_STOP_TIMEOUT));

  t0 = ft_now ();
  deadline = t0 + 2.0;
  while (!(refused = ft_port_refuses (port)) && ft_now () < deadline)
    g_usleep (50 * 1000);
  if (refused)
    ft_note ("port refused %.2f s after the supervisor died", ft_now () - t0);
  for (guint i = 0; i < workers->len; i++)
    if (ft_proc_alive (g_array_index (workers, pid_t, i)))
      {
        pid_t w = g_array_index (workers, pid_t, i);
        /* do not leave it behind, whatever the outcome */
        kill (w, SIGKILL);
        kill (w, SIGCONT);
      }
  ft_check (refused, "something still listens on port %u 2 s after the supervisor was killed "
            "with a stopped worker", port);
}

/* ------------------------------------------------------------ main */

typedef void (*CaseFunc) (const char *mode);

typedef struct {
  const char *name;
  CaseFunc    func;
  gboolean    process_only;
  /* It needs a connection to wait in the backlog while the pool is busy,
   * which an event loop never makes it do (test-event.c's reset in the
   * middle of a sendfile is its event-mode twin). */
  gboolean    blocking_only;
} Case;

static const Case cases[] = {
  { "cutoff/one-line-aligned", test_cutoff_line_aligned, FALSE },
  { "cutoff/last-line-served", test_last_line_served, FALSE },
  { "limits/rlimit-fsize", test_rlimit_fsize, FALSE },
  { "limits/max-upload-huge", test_max_upload_huge, FALSE },
  { "upload/endupload-prefix", test_endupload_prefix, FALSE },
  { "upload/tmp-gone-before-error", test_tmp_gone_before_error, FALSE },
  { "stats/add-up", test_stats_add_up, FALSE },
  { "stats/get-ok-after-write", test_get_ok_after_write, FALSE, TRUE },
  { "errors/no-root-path", test_no_root_path, FALSE },
  { "supervisor/stopped-worker", test_stopped_worker, TRUE },
};

static const char * const modes[] = { "thread", "process", "event" };

typedef struct {
  const char *mode;
  const Case *c;
} ModeCase;

static ModeCase mode_cases[G_N_ELEMENTS (modes) * G_N_ELEMENTS (cases)];

static void
run_case (gconstpointer data)
{
  const ModeCase *mc = data;

  mc->c->func (mc->mode);
}

int
main (int argc, char **argv)
{
  gsize n = 0;

  ft_init ();
  g_test_init (&argc, &argv, NULL);
  for (gsize m = 0; m < G_N_ELEMENTS (modes); m++)
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *path = NULL;

        if (cases[i].process_only && strcmp (modes[m], "process") != 0)
          continue;
        if (cases[i].blocking_only && strcmp (modes[m], "event") == 0)
          continue;
        mode_cases[n].mode = modes[m];
        mode_cases[n].c = &cases[i];
        path = g_strdup_printf ("/hostile/%s/%s", modes[m], cases[i].name);
        ft_test_add (path, run_case, &mode_cases[n]);
        n++;
      }
  return g_test_run ();
}
