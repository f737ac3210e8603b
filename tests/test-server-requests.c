/* test-server-requests.c: end-to-end tests of filestorm-server's requests:
 * LIST, GET, DELETE, STATS, the request line (case, quotes, pipelining,
 * garbage) and the classic client's way of talking. Every case runs in
 * both concurrency models (/server/thread/... and /server/process/...),
 * each against a fresh server (pool 3) with a fresh root. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server-cases.h"

/* ------------------------------------------------------------ LIST */

static void
test_list (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char *root = f->srv->root;
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_auto(GStrv) empty = ft_list (conn);
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) again = NULL;
  g_autofree char *dir = g_build_filename (root, "dir", NULL);
  g_autofree char *fifo = g_build_filename (root, "fifo", NULL);
  g_autofree char *link = g_build_filename (root, "link", NULL);
  /* Bytewise order: upper case before lower case, UTF-8 last. */
  const char * const want[] = { "B.txt", "Z", "a b.txt", "a.txt", "b.txt", "\xc3\xa4.txt", NULL };
  const char * const none[] = { NULL };

  ft_assert_strv_equal (empty, none, "LIST of an empty root");

  ft_write_file (root, "b.txt", "b", 1);
  ft_write_file (root, "a.txt", "a", 1);
  ft_write_file (root, "B.txt", "B", 1);
  ft_write_file (root, "Z", "Z", 1);
  ft_write_file (root, "\xc3\xa4.txt", "u", 1);
  ft_write_file (root, "a b.txt", "s", 1);
  ft_write_file (root, ".hidden", "h", 1);
  ft_write_file (root, ".fstmp-1-abcdef", "t", 1);
  ft_write_file (root, "ctl\x01name", "c", 1);
  ft_write_file (root, "bad\xff.txt", "c", 1);
  g_assert_cmpint (mkdir (dir, 0755), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  g_assert_cmpint (symlink ("a.txt", link), ==, 0);

  names = ft_list (conn);
  ft_assert_strv_equal (names, want, "LIST");

  /* LIST ignores extra arguments. */
  {
    g_autoptr(JsonNode) answer = ft_request (conn, "LIST extra args");
    ft_assert_ok (answer);
  }
  again = ft_list (conn);
  ft_assert_strv_equal (again, want, "second LIST");
}

/* ------------------------------------------------------------ GET */

static void
test_get (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char *root = f->srv->root;
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autoptr(GBytes) hello = g_bytes_new_static ("Hello, world!\n", 14);
  g_autoptr(GBytes) bin = ft_content_bytes (1, 70001);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);

  ft_write_file (root, "hello.txt", "Hello, world!\n", 14);
  ft_write_file (root, "bin.dat", g_bytes_get_data (bin, NULL), g_bytes_get_size (bin));
  ft_write_file (root, "empty", "", 0);
  ft_write_file (root, "a", "a", 1);

  g_bytes_unref (ft_get (conn, "hello.txt", hello));
  g_bytes_unref (ft_get (conn, "bin.dat", bin));
  g_bytes_unref (ft_get (conn, "empty", empty));

  ft_expect_error (conn, "GET missing.txt");
  ft_expect_error (conn, "GET");           /* no argument */
  ft_expect_error (conn, "GET a a");       /* two arguments */
  ft_expect_error (conn, "GET hello.txt a");
  ft_expect_error (conn, "GET HELLO.TXT"); /* names are case-sensitive */
  /* the connection is still fine */
  g_bytes_unref (ft_get (conn, "hello.txt", hello));
}

/* ------------------------------------------------------------ DELETE */

static void
test_delete (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char *root = f->srv->root;
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autofree char *dir = g_build_filename (root, "dir", NULL);
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;

  ft_write_file (root, "del.txt", "bye", 3);
  ft_write_file (root, "keep.txt", "stay", 4);
  g_assert_cmpint (mkdir (dir, 0755), ==, 0);
  before = ft_list (conn);
  g_assert_true (g_strv_contains ((const char * const *) before, "del.txt"));

  ft_delete (conn, "del.txt");
  ft_check (!ft_exists (root, "del.txt"), "DELETE answered OK but the file is still there");
  after = ft_list (conn);
  g_assert_false (g_strv_contains ((const char * const *) after, "del.txt"));
  g_assert_true (g_strv_contains ((const char * const *) after, "keep.txt"));

  ft_expect_error (conn, "DELETE del.txt");   /* already gone */
  ft_expect_error (conn, "DELETE");
  ft_expect_error (conn, "DELETE keep.txt extra");
  ft_check (ft_exists (root, "keep.txt"), "DELETE with two arguments removed a file");
  ft_expect_error (conn, "DELETE dir");
  ft_check (ft_exists (root, "dir"), "DELETE of a directory removed it");
  ft_assert_root_file (root, "keep.txt", "stay", 4);
}

/* ------------------------------------------------------------ STATS */

static void
test_stats (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autoptr(JsonNode) s0 = ft_stats (conn);
  g_autoptr(JsonNode) s1 = NULL;
  g_autoptr(JsonNode) extra = NULL;
  JsonObject *o0 = json_node_get_object (s0);
  pid_t pid = (pid_t) ft_stat (s0, "pid");
  static const char * const counters[] = {
    "connections", "requests", "requests_ok", "requests_failed", "workers_ok",
    "workers_failed", "worker_restarts", "bytes_in", "bytes_out", NULL
  };

  g_assert_cmpstr (json_object_get_string_member (o0, "mode"), ==, f->mode);
  g_assert_cmpint (ft_stat (s0, "pool"), ==, POOL);
  g_assert_cmpint (ft_stat (s0, "worker_restarts"), ==, 0);
  g_assert_cmpint (ft_stat (s0, "connections"), >=, 1);
  if (!g_str_equal (f->mode, "process"))
    g_assert_cmpint (pid, ==, f->srv->pid);
  else
    {
      ft_check (pid != f->srv->pid, "process mode: STATS pid is the supervisor's");
      ft_check (ft_proc_ppid (pid) == f->srv->pid,
                "process mode: STATS pid %d is not a child of the supervisor %d (PPid %d)",
                (int) pid, (int) f->srv->pid, (int) ft_proc_ppid (pid));
    }

  ft_assert_list_ok (conn);
  ft_expect_error (conn, "BOGUS");
  extra = ft_request (conn, "STATS ignored arguments");
  ft_assert_ok (extra);
  s1 = ft_stats (conn);
  for (gsize i = 0; counters[i] != NULL; i++)
    ft_check (ft_stat (s1, counters[i]) >= ft_stat (s0, counters[i]),
              "STATS counter %s went down", counters[i]);
  /* Same connection, strictly one request after another: the difference is
   * exact whether a request is counted when it starts or when it ends. */
  g_assert_cmpint (ft_stat (s1, "requests") - ft_stat (s0, "requests"), ==, 4);
  g_assert_cmpint (ft_stat (s1, "requests_ok") - ft_stat (s0, "requests_ok"), ==, 3);
  g_assert_cmpint (ft_stat (s1, "requests_failed") - ft_stat (s0, "requests_failed"), ==, 1);
  g_assert_cmpint (ft_stat (s1, "connections"), ==, ft_stat (s0, "connections"));
  g_assert_cmpint (ft_stat (s1, "pid"), ==, pid);
}

/* Counters against everything this test did, on a fresh server: after the
 * sessions ended, requests and bytes are exact, whenever the server counts
 * them. */
static void
test_stats_counters (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtConn) a = ft_conn_new (f->srv->port);
  g_autoptr(FtConn) b = ft_conn_new (f->srv->port);
  g_autoptr(FtConn) c = NULL;
  g_autoptr(JsonNode) s = NULL;
  guint64 ab_in, ab_out, c_before_last = 0;
  gint64 k = 0, n_req = 0, n_ok = 0, n_failed = 0;
  double deadline;

  ft_assert_list_ok (a); n_req++; n_ok++;
  ft_expect_error (a, "GET nope"); n_req++; n_failed++;
  ft_expect_error (a, "BOGUS"); n_req++; n_failed++;
  g_free (ft_upload_line (a, "sc.txt", (const guint8 *) "hi", 2)); n_req++; n_ok++;
  g_bytes_unref (ft_get (a, "sc.txt", NULL)); n_req++; n_ok++;
  ft_assert_list_ok (b); n_req++; n_ok++;
  json_node_unref (ft_stats (b)); n_req++; n_ok++;
  ab_in = a->sent + b->sent;
  ab_out = a->received + b->received;
  g_clear_pointer (&a, ft_conn_free);
  g_clear_pointer (&b, ft_conn_free);

  /* Wait until both sessions have ended (counted as workers_ok/failed). */
  c = ft_conn_new (f->srv->port);
  deadline = ft_now () + 10;
  for (;;)
    {
      g_autoptr(JsonNode) prev = g_steal_pointer (&s);
      c_before_last = c->received;
      s = ft_stats (c);
      k++;
      if (prev != NULL)
        g_assert_cmpint (ft_stat (s, "requests"), >=, ft_stat (prev, "requests"));
      if (ft_stat (s, "workers_ok") + ft_stat (s, "workers_failed") >= 2)
        break;
      ft_check (ft_now () < deadline, "the two closed sessions were not counted within 10 s "
                "(workers_ok %" G_GINT64_FORMAT ", workers_failed %" G_GINT64_FORMAT ")",
                ft_stat (s, "workers_ok"), ft_stat (s, "workers_failed"));
      g_usleep (20 * 1000);
    }

  g_assert_cmpint (ft_stat (s, "connections"), ==, 3);
  g_assert_cmpint (ft_stat (s, "workers_ok"), ==, 2);
  g_assert_cmpint (ft_stat (s, "workers_failed"), ==, 0);
  g_assert_cmpint (ft_stat (s, "worker_restarts"), ==, 0);
  /* C's STATS requests: the one answering may or may not count itself. */
  g_assert_cmpint (ft_stat (s, "requests"), >=, n_req + k - 1);
  g_assert_cmpint (ft_stat (s, "requests"), <=, n_req + k);
  g_assert_cmpint (ft_stat (s, "requests_ok"), >=, n_ok + k - 1);
  g_assert_cmpint (ft_stat (s, "requests_ok"), <=, n_ok + k);
  g_assert_cmpint (ft_stat (s, "requests_failed"), ==, n_failed);
  g_assert_cmpint (ft_stat (s, "requests_ok") + ft_stat (s, "requests_failed"), <=, ft_stat (s, "requests"));
  g_assert_cmpint (ft_stat (s, "requests_ok") + ft_stat (s, "requests_failed"), >=, ft_stat (s, "requests") - 1);
  g_assert_cmpint (ft_stat (s, "bytes_in"), >=, (gint64) ab_in);
  g_assert_cmpint (ft_stat (s, "bytes_in"), <=, (gint64) (ab_in + c->sent));
  g_assert_cmpint (ft_stat (s, "bytes_out"), >=, (gint64) ab_out);
  g_assert_cmpint (ft_stat (s, "bytes_out"), <=, (gint64) (ab_out + c_before_last));
}

/* ------------------------------------------------------------ requests */

static void
test_unknown (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  static const char * const lines[] = {
    "FOO", "", "\r", "   ", "GETX a", "LISTING", "UPLOADS x", "ENDUPLOAD", "READY TO RECEIVE FILE",
    "42", "{\"status\":\"OK\"}",
  };
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);

  for (gsize i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr(GBytes) frame = ft_request_raw (conn, lines[i]);
      g_autofree char *shown = ft_preview (lines[i], strlen (lines[i]));
      ft_note ("request \"%s\"", shown);
      ft_assert_unknown_frame (frame);
    }
  ft_assert_list_ok (conn);
}

static void
test_case_insensitive (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  static const char * const ok_lines[] = {
    "list", "List", "lIsT", "stats", "Stats", "get C.txt", "GeT C.txt", "GET    C.txt", "GET C.txt   ",
  };
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);

  ft_write_file (f->srv->root, "C.txt", "c", 1);
  for (gsize i = 0; i < G_N_ELEMENTS (ok_lines); i++)
    {
      g_autoptr(JsonNode) answer = ft_request (conn, ok_lines[i]);
      ft_note ("request \"%s\"", ok_lines[i]);
      ft_assert_ok (answer);
    }
  {
    g_autoptr(JsonNode) up = ft_request (conn, "upload lc.txt aGk=");
    g_autoptr(JsonNode) del = NULL;
    ft_assert_ok (up);
    ft_assert_root_file (f->srv->root, "lc.txt", "hi", 2);
    del = ft_request (conn, "Delete lc.txt");
    ft_assert_ok (del);
    g_assert_false (ft_exists (f->srv->root, "lc.txt"));
  }
}

static void
test_case_insensitive_stream (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autoptr(GBytes) ready = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  ft_conn_send_str (conn, "uPlOaD lower.txt\n");
  ready = ft_conn_read_frame (conn, &error);
  g_assert_no_error (error);
  ft_assert_ready_frame (ready);
  ft_conn_send_str (conn, "aGk=\nENDUPLOAD\n");
  answer = ft_conn_read_json (conn);
  ft_assert_ok (answer);
  ft_assert_root_file (f->srv->root, "lower.txt", "hi", 2);
}

static void
test_quoted (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char *root = f->srv->root;
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autoptr(GBytes) spaced = g_bytes_new_static ("spaced", 6);
  g_autoptr(GBytes) quote = g_bytes_new_static ("q", 1);

  ft_write_file (root, "a b.txt", "spaced", 6);
  ft_write_file (root, "say \"hi\".txt", "q", 1);
  ft_write_file (root, "it's.txt", "q", 1);

  {
    g_autoptr(JsonNode) a = ft_request (conn, "GET \"a b.txt\"");
    g_autoptr(JsonNode) b = ft_request (conn, "GET 'a b.txt'");
    g_autoptr(JsonNode) c = ft_request (conn, "GET 'say \"hi\".txt'");
    g_autoptr(JsonNode) d = ft_request (conn, "GET \"say \\\"hi\\\".txt\"");
    g_autoptr(JsonNode) e = ft_request (conn, "GET \"it's.txt\"");
    JsonNode *all[] = { a, b, c, d, e };
    const char *names[] = { "a b.txt", "a b.txt", "say \"hi\".txt", "say \"hi\".txt", "it's.txt" };

    for (gsize i = 0; i < G_N_ELEMENTS (all); i++)
      {
        ft_assert_ok (all[i]);
        g_assert_cmpstr (json_object_get_string_member (json_node_get_object (all[i]), "data_namafile"),
                         ==, names[i]);
      }
  }
  g_bytes_unref (ft_get (conn, "a b.txt", spaced));
  g_bytes_unref (ft_get (conn, "say \"hi\".txt", quote));

  /* one-line and streamed uploads of quoted names */
  {
    g_autoptr(JsonNode) up = ft_request (conn, "UPLOAD \"c d.txt\" aGk=");
    g_autofree char *stored = ft_upload_stream (conn, "e f.txt", (const guint8 *) "ef", 2, 0);
    g_autoptr(JsonNode) up2 = ft_request (conn, "UPLOAD 'g h.txt' aGk=");
    ft_assert_ok (up);
    ft_assert_ok (up2);
    g_assert_cmpstr (stored, ==, "e f.txt");
    ft_assert_root_file (root, "c d.txt", "hi", 2);
    ft_assert_root_file (root, "e f.txt", "ef", 2);
    ft_assert_root_file (root, "g h.txt", "hi", 2);
  }

  {
    g_autoptr(JsonNode) del = ft_request (conn, "DELETE 'a b.txt'");
    g_autoptr(JsonNode) del2 = ft_request (conn, "DELETE \"c d.txt\"");
    ft_assert_ok (del);
    ft_assert_ok (del2);
    g_assert_false (ft_exists (root, "a b.txt"));
    g_assert_false (ft_exists (root, "c d.txt"));
  }
  ft_expect_error (conn, "GET \"unterminated");
  ft_expect_error (conn, "GET 'unterminated");
  ft_expect_error (conn, "GET \"a b.txt\"");  /* deleted */
  ft_assert_list_ok (conn);
}

/* ------------------------------------------------------------ classic client */

/* One request on its own connection, read the way many existing clients do:
 * recv(4096) until one chunk contains "\r\n\r\n". Fails if the terminator
 * only appears split across chunks, or never. Returns the whole answer. */
static GBytes *
classic_request (guint16 port, const char *request)
{
  g_autoptr(FtConn) conn = ft_conn_new (port);
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autofree char *shown = ft_preview (request, strlen (request));

  ft_conn_set_timeout (conn, 10);
  ft_conn_send_str (conn, request);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      guint8 chunk[4096];
      gssize n = g_socket_receive (conn->socket, (char *) chunk, sizeof chunk, NULL, &error);

      ft_check (n > 0, "classic client, request \"%s\": %s after %u bytes", shown,
                n == 0 ? "end of stream" : error->message, all->len);
      g_byte_array_append (all, chunk, (guint) n);
      if (memmem (chunk, (gsize) n, "\r\n\r\n", 4) != NULL)
        {
          /* the chunk with the terminator ends the answer */
          ft_check (all->len >= 4 && memcmp (all->data + all->len - 4, "\r\n\r\n", 4) == 0,
                    "classic client, request \"%s\": bytes after the terminator", shown);
          break;
        }
      ft_check (memmem (all->data, all->len, "\r\n\r\n", 4) == NULL,
                "classic client, request \"%s\": the terminator was split across reads "
                "(chunk of %" G_GSSIZE_FORMAT " bytes)", shown, n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&all));
}

static void
test_classic_client (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  guint16 port = f->srv->port;
  g_autofree guint8 *small = ft_content (5, 100);
  g_autofree char *small_b64 = g_base64_encode (small, 100);
  g_autofree char *upload = g_strdup_printf ("UPLOAD classic.bin %s\r\n", small_b64);

  ft_write_file (f->srv->root, "small.bin", small, 100);
  for (int i = 0; i < 20; i++)
    {
      g_autofree char *name = g_strdup_printf ("file-%02d.txt", i);
      ft_write_file (f->srv->root, name, "x", 1);
    }

  {
    g_autoptr(GBytes) r = classic_request (port, "LIST\r\n");
    g_autoptr(JsonNode) a = ft_parse_frame (r);
    ft_assert_ok (a);
  }
  {
    g_autoptr(GBytes) r = classic_request (port, "STATS\n");
    g_autoptr(JsonNode) a = ft_parse_frame (r);
    ft_assert_ok (a);
  }
  {
    g_autoptr(GBytes) r = classic_request (port, "GET small.bin\r\n");
    g_autoptr(JsonNode) a = ft_parse_frame (r);
    ft_assert_ok (a);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (a), "data_file"), ==, small_b64);
  }
  {
    g_autoptr(GBytes) r = classic_request (port, "GET missing.bin\r\n");
    g_autoptr(JsonNode) a = ft_parse_frame (r);
    ft_assert_error (a);
  }
  {
    g_autoptr(GBytes) r = classic_request (port, "HELLO\r\n");
    ft_assert_unknown_frame (r);
  }
  {
    g_autoptr(GBytes) r = classic_request (port, "\r\n");
    ft_assert_unknown_frame (r);
  }
  {
    g_autoptr(GBytes) r = classic_request (port, upload);
    g_autoptr(JsonNode) a = ft_parse_frame (r);
    ft_assert_ok (a);
    ft_assert_root_file (f->srv->root, "classic.bin", small, 100);
  }
  {
    g_autoptr(GBytes) r = classic_request (port, "DELETE classic.bin\r\n");
    g_autoptr(JsonNode) a = ft_parse_frame (r);
    ft_assert_ok (a);
  }
}

/* ------------------------------------------------------------ garbage */

static void
test_garbage (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  gsize len = 1000;
  g_autofree guint8 *line = ft_content (9, len);
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autoptr(FtConn) other = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < len; i++)
    if (line[i] == '\n')
      line[i] = 'x';
  line[0] = 0xff;
  line[5] = 0x00;
  line[6] = 0xff;
  line[len - 1] = '\n';
  ft_conn_send (conn, line, len);
  answer = ft_conn_read_json (conn);
  ft_assert_error (answer);

  /* The server still serves: a new connection for sure ... */
  other = ft_conn_new (f->srv->port);
  ft_assert_list_ok (other);
  /* ... and this one, unless the server chose to close it. */
  if (ft_conn_try_send (conn, "LIST\n", 5, &error))
    {
      g_autoptr(GBytes) frame = ft_conn_read_frame (conn, &error);
      if (frame != NULL)
        {
          g_autoptr(JsonNode) list = ft_parse_frame (frame);
          ft_assert_ok (list);
        }
      else
        ft_note ("connection closed after garbage: %s", error->message);
    }
}

/* A request line over 64 KiB: ERROR, the rest of the line discarded, and
 * the next request answered. */
static void
test_long_line (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  const char *cmds[] = { "LIST ", "GET ", "FOO " };

  for (gsize i = 0; i < G_N_ELEMENTS (cmds); i++)
    {
      g_autoptr(GString) line = g_string_new (cmds[i]);
      g_autoptr(JsonNode) answer = NULL;

      for (int j = 0; j < 100 * 1024; j++)
        g_string_append_c (line, (char) ('a' + j % 26));
      g_string_append_c (line, '\n');
      ft_conn_send (conn, line->str, line->len);
      answer = ft_conn_read_json (conn);
      ft_assert_error (answer);
      ft_assert_list_ok (conn);
    }
}

/* ------------------------------------------------------------ pipelining */

static void
test_pipelined (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  static const char batch[] =
    "LIST\nSTATS\nGET x.txt\nBOGUS\nLIST\nUPLOAD p.txt aGk=\nGET p.txt\nDELETE p.txt\nGET p.txt\n\n";
  g_autofree char *x_b64 = g_base64_encode ((const guint8 *) "pipelined", 9);
  JsonNode *a[9];

  ft_write_file (f->srv->root, "x.txt", "pipelined", 9);
  ft_conn_send (conn, batch, strlen (batch)); /* one write */
  for (gsize i = 0; i < G_N_ELEMENTS (a); i++)
    {
      if (i == 3)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GBytes) frame = ft_conn_read_frame (conn, &error);
          g_assert_no_error (error);
          ft_assert_unknown_frame (frame);
          a[i] = NULL;
          continue;
        }
      a[i] = ft_conn_read_json (conn);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) last = ft_conn_read_frame (conn, &error);
    g_assert_no_error (error);
    ft_assert_unknown_frame (last); /* the empty line */
  }

  ft_assert_ok (a[0]);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (a[0]), "data")), ==, 1);
  ft_assert_ok (a[1]);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (a[1]), "data"), "mode"), ==, f->mode);
  ft_assert_ok (a[2]);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (a[2]), "data_namafile"), ==, "x.txt");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (a[2]), "data_file"), ==, x_b64);
  ft_assert_ok (a[4]);
  ft_assert_ok (a[5]);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (a[5]), "data"), "file_path"), ==, "p.txt");
  ft_assert_ok (a[6]);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (a[6]), "data_file"), ==, "aGk=");
  ft_assert_ok (a[7]);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (a[7]), "message"), ==, "File deleted successfully");
  ft_assert_error (a[8]);
  for (gsize i = 0; i < G_N_ELEMENTS (a); i++)
    if (a[i] != NULL)
      json_node_unref (a[i]);

  /* A streamed upload written in the same write as its body and the next
   * request. */
  {
    static const char stream[] = "UPLOAD s.txt\naGk=\nENDUPLOAD\nLIST\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) ready = NULL;
    g_autoptr(JsonNode) up = NULL;
    g_auto(GStrv) names = NULL;
    const char * const want[] = { "s.txt", "x.txt", NULL };

    ft_conn_send (conn, stream, strlen (stream));
    ready = ft_conn_read_frame (conn, &error);
    g_assert_no_error (error);
    ft_assert_ready_frame (ready);
    up = ft_conn_read_json (conn);
    ft_assert_ok (up);
    {
      g_autoptr(JsonNode) list = ft_conn_read_json (conn);
      JsonArray *arr;
      GPtrArray *got = g_ptr_array_new ();

      ft_assert_ok (list);
      arr = json_object_get_array_member (json_node_get_object (list), "data");
      for (guint i = 0; i < json_array_get_length (arr); i++)
        g_ptr_array_add (got, (gpointer) json_array_get_string_element (arr, i));
      g_ptr_array_add (got, NULL);
      ft_assert_strv_equal ((char **) got->pdata, want, "pipelined LIST after a streamed upload");
      g_ptr_array_free (got, TRUE);
    }
    names = ft_list (conn);
    ft_assert_strv_equal (names, want, "LIST");
  }
}

/* ------------------------------------------------------------ main */

int
main (int argc, char **argv)
{
  static const FtServerCase cases[] = {
    { "list", test_list },
    { "get", test_get },
    { "delete", test_delete },
    { "stats", test_stats },
    { "stats/counters", test_stats_counters },
    { "request/unknown", test_unknown },
    { "request/case-insensitive", test_case_insensitive },
    { "request/case-insensitive-stream", test_case_insensitive_stream },
    { "request/quoted", test_quoted },
    { "request/pipelined", test_pipelined },
    { "request/long-line", test_long_line },
    { "request/garbage", test_garbage },
    { "classic-client", test_classic_client },
  };

  return ft_server_cases_run (&argc, &argv, cases, G_N_ELEMENTS (cases));
}
