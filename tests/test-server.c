/* test-server.c: end-to-end tests of filestorm-server, every case in both
 * concurrency models (/server/thread/... and /server/process/...), each
 * against a fresh server (pool 3) with a fresh root. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#define POOL 3
#define MiB (1024 * 1024)

typedef struct {
  FtServer *srv;
  const char *mode;
} Fixture;

static void
setup (Fixture *f, gconstpointer mode)
{
  f->mode = mode;
  f->srv = ft_server_start (mode, POOL, NULL);
}

static void
teardown (Fixture *f, gconstpointer mode G_GNUC_UNUSED)
{
  if (f->srv != NULL)
    ft_server_stop (f->srv);
}

/* ------------------------------------------------------------ helpers */

static void
assert_strv_equal (char **got, const char * const *want, const char *what)
{
  g_autofree char *g = g_strjoinv ("\", \"", got);
  g_autofree char *w = g_strjoinv ("\", \"", (char **) want);

  ft_check (g_strv_equal ((const char * const *) got, want),
            "%s: got [\"%s\"], want [\"%s\"]", what, g, w);
}

/* Asserts that the next answer on conn to line is an ERROR. */
static void
expect_error (FtConn *conn, const char *line)
{
  g_autoptr(GBytes) frame = ft_request_raw (conn, line);
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *shown = ft_preview (line, strlen (line));
  g_autofree char *got = ft_preview_bytes (frame);

  answer = ft_parse_frame (frame);
  ft_check (g_strcmp0 (ft_status (answer), "ERROR") == 0,
            "request \"%s\": expected ERROR, got \"%s\"", shown, got);
  ft_assert_error (answer);
}

static void
assert_list_ok (FtConn *conn)
{
  g_auto(GStrv) names = ft_list (conn);
}

static void
assert_file (const char *root, const char *name, const void *data, gsize len)
{
  g_autoptr(GBytes) got = ft_read_file (root, name);
  struct stat st;
  g_autofree char *path = g_build_filename (root, name, NULL);

  ft_check (got != NULL, "file \"%s\" missing from the root", name);
  ft_check (lstat (path, &st) == 0 && S_ISREG (st.st_mode), "\"%s\" is not a regular file", name);
  ft_assert_same_bytes (g_bytes_get_data (got, NULL), g_bytes_get_size (got), data, len);
}

/* Sends a streamed upload's request line and expects an ERROR frame instead
 * of READY (a name the server will not take). */
static void
expect_stream_refused (FtConn *conn, const char *name_arg)
{
  g_autofree char *line = g_strconcat ("UPLOAD ", name_arg, NULL);
  expect_error (conn, line);
}

static char *
upload_line_text (const char *name_arg, const char *b64)
{
  return g_strdup_printf ("UPLOAD %s %s", name_arg, b64);
}

/* ------------------------------------------------------------ LIST */

static void
test_list (Fixture *f, gconstpointer data G_GNUC_UNUSED)
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

  assert_strv_equal (empty, none, "LIST of an empty root");

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
  assert_strv_equal (names, want, "LIST");

  /* LIST ignores extra arguments. */
  {
    g_autoptr(JsonNode) answer = ft_request (conn, "LIST extra args");
    ft_assert_ok (answer);
  }
  again = ft_list (conn);
  assert_strv_equal (again, want, "second LIST");
}

/* ------------------------------------------------------------ GET */

static void
test_get (Fixture *f, gconstpointer data G_GNUC_UNUSED)
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

  expect_error (conn, "GET missing.txt");
  expect_error (conn, "GET");           /* no argument */
  expect_error (conn, "GET a a");       /* two arguments */
  expect_error (conn, "GET hello.txt a");
  expect_error (conn, "GET HELLO.TXT"); /* names are case-sensitive */
  /* the connection is still fine */
  g_bytes_unref (ft_get (conn, "hello.txt", hello));
}

/* ------------------------------------------------------------ UPLOAD */

static void
test_upload_line (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char *root = f->srv->root;
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autofree guint8 *bin = ft_content (2, 10000);
  g_autofree char *stored1 = ft_upload_line (conn, "up.txt", (const guint8 *) "hello world", 11);
  g_autofree char *stored2 = ft_upload_line (conn, "up.bin", bin, 10000);
  g_autoptr(GBytes) bin_bytes = g_bytes_new (bin, 10000);

  g_assert_cmpstr (stored1, ==, "up.txt");
  g_assert_cmpstr (stored2, ==, "up.bin");
  assert_file (root, "up.txt", "hello world", 11);
  assert_file (root, "up.bin", bin, 10000);
  g_bytes_unref (ft_get (conn, "up.bin", bin_bytes));

  /* White space inside the base64 is ignored; a CR before LF is dropped. */
  {
    g_autoptr(JsonNode) a = ft_request (conn, "UPLOAD ws.txt aGVs bG8g\td29y  bGQ=");
    g_autoptr(JsonNode) b = ft_request (conn, "UPLOAD crlf.txt aGk=\r");
    ft_assert_ok (a);
    ft_assert_ok (b);
  }
  assert_file (root, "ws.txt", "hello world", 11);
  assert_file (root, "crlf.txt", "hi", 2);
  ft_assert_no_hidden (root, NULL, "after one-line uploads");
}

static void
test_upload_stream_named (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char *root = f->srv->root;
  gsize len = 3 * MiB + 5;
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autofree guint8 *content = ft_content (3, len);
  g_autofree char *stored = ft_upload_stream (conn, "stream.bin", content, len, MiB);
  g_autofree char *stored2 = NULL;

  g_assert_cmpstr (stored, ==, "stream.bin");
  assert_file (root, "stream.bin", content, len);

  /* The same connection takes another request, and another upload. */
  assert_list_ok (conn);
  stored2 = ft_upload_stream (conn, "small.txt", (const guint8 *) "hello", 5, 0);
  g_assert_cmpstr (stored2, ==, "small.txt");
  assert_file (root, "small.txt", "hello", 5);
  ft_assert_no_hidden (root, NULL, "after streamed uploads");
}

/* Base64 split across lines at arbitrary points, with CRLF and trailing
 * white space, and ENDUPLOAD\r\n. */
static void
test_upload_stream_split (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char *root = f->srv->root;
  gsize len = 100000;
  static const gsize steps[] = { 1, 2, 3, 5, 7, 11, 13, 4093 };
  static const char * const ends[] = { "\n", "\r\n", " \t\n" };
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autofree guint8 *content = ft_content (4, len);
  g_autofree char *b64 = g_base64_encode (content, len);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GBytes) ready = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  gsize b64_len = strlen (b64);
  guint i = 0;

  for (gsize off = 0; off < b64_len; i++)
    {
      gsize n = MIN (steps[i % G_N_ELEMENTS (steps)], b64_len - off);
      g_string_append_len (body, b64 + off, (gssize) n);
      g_string_append (body, ends[i % G_N_ELEMENTS (ends)]);
      off += n;
    }
  g_string_append (body, "ENDUPLOAD\r\n");

  ft_conn_send_str (conn, "UPLOAD split.bin\r\n");
  ready = ft_conn_read_frame (conn, &error);
  g_assert_no_error (error);
  ft_assert_ready_frame (ready);
  ft_conn_send (conn, body->str, body->len);
  answer = ft_conn_read_json (conn);
  ft_assert_ok (answer);
  assert_file (root, "split.bin", content, len);
  assert_list_ok (conn);
}

static char *
md5_name (const guint8 *data, gsize len, const char *ext)
{
  g_autofree char *md5 = g_compute_checksum_for_data (G_CHECKSUM_MD5, data, len);
  return g_strconcat (md5, ext, NULL);
}

static void
test_upload_stream_unnamed (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  static const struct {
    const char *magic;
    gsize magic_len;
    const char *ext;
  } kinds[] = {
    { "\x89PNG\r\n\x1a\n", 8, ".png" },
    { "%PDF-1.7\n", 9, ".pdf" },
    { "\xff\xd8\xff\xe0", 4, ".jpeg" },
    { "GIF89a", 6, ".gif" },
    { "GIF87a", 6, ".gif" },
    { "PK\x03\x04", 4, ".zip" },
    { "ID3\x03", 4, ".mpeg" },
    { "\xff\xfb\x90", 3, ".mpeg" },
    { "plain text, no magic\n", 21, "" },
  };
  const char *root = f->srv->root;
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_auto(GStrv) names = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      gsize len = kinds[i].magic_len + 5000 + i;
      g_autofree guint8 *content = ft_content (100 + i, len);
      g_autofree char *want = NULL;
      g_autofree char *stored = NULL;
      g_autoptr(GBytes) bytes = NULL;

      memcpy (content, kinds[i].magic, kinds[i].magic_len);
      want = md5_name (content, len, kinds[i].ext);
      stored = ft_upload_stream (conn, NULL, content, len, 1000);
      ft_check (g_strcmp0 (stored, want) == 0, "unnamed upload of %s content stored as \"%s\", want \"%s\"",
                *kinds[i].ext ? kinds[i].ext : "unknown", stored, want);
      assert_file (root, want, content, len);
      bytes = g_bytes_new (content, len);
      g_bytes_unref (ft_get (conn, want, bytes));
    }
  names = ft_list (conn);
  g_assert_cmpuint (g_strv_length (names), ==, G_N_ELEMENTS (kinds));
}

/* ------------------------------------------------------------ DELETE */

static void
test_delete (Fixture *f, gconstpointer data G_GNUC_UNUSED)
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

  expect_error (conn, "DELETE del.txt");   /* already gone */
  expect_error (conn, "DELETE");
  expect_error (conn, "DELETE keep.txt extra");
  ft_check (ft_exists (root, "keep.txt"), "DELETE with two arguments removed a file");
  expect_error (conn, "DELETE dir");
  ft_check (ft_exists (root, "dir"), "DELETE of a directory removed it");
  assert_file (root, "keep.txt", "stay", 4);
}

/* ------------------------------------------------------------ STATS */

static void
test_stats (Fixture *f, gconstpointer data G_GNUC_UNUSED)
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
  if (g_str_equal (f->mode, "thread"))
    g_assert_cmpint (pid, ==, f->srv->pid);
  else
    {
      ft_check (pid != f->srv->pid, "process mode: STATS pid is the supervisor's");
      ft_check (ft_proc_ppid (pid) == f->srv->pid,
                "process mode: STATS pid %d is not a child of the supervisor %d (PPid %d)",
                (int) pid, (int) f->srv->pid, (int) ft_proc_ppid (pid));
    }

  assert_list_ok (conn);
  expect_error (conn, "BOGUS");
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
test_stats_counters (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtConn) a = ft_conn_new (f->srv->port);
  g_autoptr(FtConn) b = ft_conn_new (f->srv->port);
  g_autoptr(FtConn) c = NULL;
  g_autoptr(JsonNode) s = NULL;
  guint64 ab_in, ab_out, c_before_last = 0;
  gint64 k = 0, n_req = 0, n_ok = 0, n_failed = 0;
  double deadline;

  assert_list_ok (a); n_req++; n_ok++;
  expect_error (a, "GET nope"); n_req++; n_failed++;
  expect_error (a, "BOGUS"); n_req++; n_failed++;
  g_free (ft_upload_line (a, "sc.txt", (const guint8 *) "hi", 2)); n_req++; n_ok++;
  g_bytes_unref (ft_get (a, "sc.txt", NULL)); n_req++; n_ok++;
  assert_list_ok (b); n_req++; n_ok++;
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
test_unknown (Fixture *f, gconstpointer data G_GNUC_UNUSED)
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
  assert_list_ok (conn);
}

static void
test_case_insensitive (Fixture *f, gconstpointer data G_GNUC_UNUSED)
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
    assert_file (f->srv->root, "lc.txt", "hi", 2);
    del = ft_request (conn, "Delete lc.txt");
    ft_assert_ok (del);
    g_assert_false (ft_exists (f->srv->root, "lc.txt"));
  }
}

static void
test_case_insensitive_stream (Fixture *f, gconstpointer data G_GNUC_UNUSED)
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
  assert_file (f->srv->root, "lower.txt", "hi", 2);
}

static void
test_quoted (Fixture *f, gconstpointer data G_GNUC_UNUSED)
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
    assert_file (root, "c d.txt", "hi", 2);
    assert_file (root, "e f.txt", "ef", 2);
    assert_file (root, "g h.txt", "hi", 2);
  }

  {
    g_autoptr(JsonNode) del = ft_request (conn, "DELETE 'a b.txt'");
    g_autoptr(JsonNode) del2 = ft_request (conn, "DELETE \"c d.txt\"");
    ft_assert_ok (del);
    ft_assert_ok (del2);
    g_assert_false (ft_exists (root, "a b.txt"));
    g_assert_false (ft_exists (root, "c d.txt"));
  }
  expect_error (conn, "GET \"unterminated");
  expect_error (conn, "GET 'unterminated");
  expect_error (conn, "GET \"a b.txt\"");  /* deleted */
  assert_list_ok (conn);
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
test_classic_client (Fixture *f, gconstpointer data G_GNUC_UNUSED)
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
    assert_file (f->srv->root, "classic.bin", small, 100);
  }
  {
    g_autoptr(GBytes) r = classic_request (port, "DELETE classic.bin\r\n");
    g_autoptr(JsonNode) a = ft_parse_frame (r);
    ft_assert_ok (a);
  }
}

/* ------------------------------------------------------------ bad names */

static void
test_traversal (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char *root = f->srv->root;
  const char *base = f->srv->base;
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autofree char *outside_abs = g_build_filename (base, "outside.txt", NULL);
  /* Absolute names point into this test's own directory: a server that
   * failed here must not be able to damage the system. */
  const char *names[] = { "../x", "../outside.txt", outside_abs, "a/b", "..", ".", "./y", "\"\"", "''" };
  g_auto(GStrv) base_entries = NULL;
  g_auto(GStrv) root_entries = NULL;
  const char * const want_base[] = { "outside.txt", "root", NULL };
  const char * const none[] = { NULL };

  ft_write_file (base, "outside.txt", "secret", 6);
  expect_error (conn, "GET /etc/passwd");
  expect_error (conn, "GET ../../../../../../etc/passwd");

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *get = g_strconcat ("GET ", names[i], NULL);
      g_autofree char *del = g_strconcat ("DELETE ", names[i], NULL);
      g_autofree char *up = upload_line_text (names[i], "cHduZWQ=");

      ft_note ("name %s", names[i]);
      expect_error (conn, get);
      expect_error (conn, del);
      expect_error (conn, up);
      expect_stream_refused (conn, names[i]);
    }

  base_entries = ft_dir_entries (base);
  assert_strv_equal (base_entries, want_base, "entries next to the root");
  root_entries = ft_dir_entries (root);
  assert_strv_equal (root_entries, none, "entries in the root");
  assert_file (base, "outside.txt", "secret", 6);
  assert_list_ok (conn);
}

static void
test_symlink (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char *root = f->srv->root;
  const char *base = f->srv->base;
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autofree char *outside = g_build_filename (base, "outside.txt", NULL);
  g_autofree char *link_abs = g_build_filename (root, "link", NULL);
  g_autofree char *link_rel = g_build_filename (root, "rel", NULL);
  g_autofree char *link_in = g_build_filename (root, "inlink", NULL);
  g_autofree char *link_dir = g_build_filename (root, "dirlink", NULL);
  const char *links[] = { "link", "rel", "inlink" };
  const char * const want_list[] = { "inside.txt", NULL };
  g_auto(GStrv) names = NULL;

  ft_write_file (base, "outside.txt", "secret", 6);
  ft_write_file (root, "inside.txt", "inside", 6);
  g_assert_cmpint (symlink (outside, link_abs), ==, 0);
  g_assert_cmpint (symlink ("../outside.txt", link_rel), ==, 0);
  g_assert_cmpint (symlink ("inside.txt", link_in), ==, 0);
  g_assert_cmpint (symlink (base, link_dir), ==, 0);

  names = ft_list (conn);
  assert_strv_equal (names, want_list, "LIST with symlinks in the root");

  for (gsize i = 0; i < G_N_ELEMENTS (links); i++)
    {
      g_autofree char *get = g_strconcat ("GET ", links[i], NULL);
      g_autofree char *del = g_strconcat ("DELETE ", links[i], NULL);

      expect_error (conn, get);
      expect_error (conn, del);
      ft_check (ft_exists (root, links[i]), "DELETE %s answered ERROR but removed the link", links[i]);
    }
  expect_error (conn, "GET dirlink/outside.txt");
  expect_error (conn, "DELETE dirlink/outside.txt");
  expect_error (conn, "GET dirlink");
  assert_file (base, "outside.txt", "secret", 6);
  assert_file (root, "inside.txt", "inside", 6);

  /* An upload to a link's name may replace the link or be refused, but
   * must never write through it. */
  {
    g_autoptr(JsonNode) a = ft_request (conn, "UPLOAD link cHduZWQ=");
    g_autoptr(JsonNode) b = ft_upload_stream_answer (conn, "rel", (const guint8 *) "pwned", 5, 0);
    g_autoptr(JsonNode) c = ft_request (conn, "UPLOAD inlink cHduZWQ=");
    ft_note ("UPLOAD over symlinks answered %s, %s, %s", ft_status (a), ft_status (b), ft_status (c));
  }
  assert_file (base, "outside.txt", "secret", 6);
  assert_file (root, "inside.txt", "inside", 6);
  ft_assert_no_hidden (root, NULL, "after uploads over symlinks");
  assert_list_ok (conn);
}

static void
test_hidden (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char *root = f->srv->root;
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  const char * const allowed[] = { ".hidden", ".fstmp-1-x", NULL };
  const char * const want_root[] = { ".fstmp-1-x", ".hidden", NULL };
  g_auto(GStrv) entries = NULL;

  ft_write_file (root, ".hidden", "h", 1);
  ft_write_file (root, ".fstmp-1-x", "t", 1);

  expect_error (conn, "GET .hidden");
  expect_error (conn, "GET .fstmp-1-x");
  expect_error (conn, "DELETE .hidden");
  expect_error (conn, "DELETE .fstmp-1-x");
  expect_error (conn, "UPLOAD .hidden aGk=");
  expect_error (conn, "UPLOAD .new aGk=");
  expect_stream_refused (conn, ".hidden");
  expect_stream_refused (conn, ".new2");

  assert_file (root, ".hidden", "h", 1);
  assert_file (root, ".fstmp-1-x", "t", 1);
  ft_assert_no_hidden (root, allowed, "after requests on hidden names");
  entries = ft_dir_entries (root);
  assert_strv_equal (entries, want_root, "entries in the root");
  assert_list_ok (conn);
}

static void
test_bad_names (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char *root = f->srv->root;
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autofree char *long256 = g_strnfill (256, 'n');
  g_autofree char *long255 = g_strnfill (255, 'm');
  /* Names that exist on disk (so GET/DELETE must refuse them by rule, not
   * by absence) ... */
  const char *on_disk[] = { "a\x01" "b", "a\x1f" "b", "a\x7f" "b", "\x1b[31mred", "bad\xff\xfe.txt", "trunc\xc3" };
  /* ... and names that cannot. */
  const char *more[] = { long256, "\xc0\xaf", "\xed\xa0\x80" /* surrogate */ };
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (on_disk); i++)
    ft_write_file (root, on_disk[i], "x", 1);
  before = ft_dir_entries (root);

  for (gsize i = 0; i < G_N_ELEMENTS (on_disk) + G_N_ELEMENTS (more); i++)
    {
      const char *name = i < G_N_ELEMENTS (on_disk) ? on_disk[i] : more[i - G_N_ELEMENTS (on_disk)];
      g_autofree char *get = g_strconcat ("GET ", name, NULL);
      g_autofree char *del = g_strconcat ("DELETE ", name, NULL);
      g_autofree char *up = upload_line_text (name, "cHduZWQ=");
      g_autofree char *shown = ft_preview (name, strlen (name));

      ft_note ("name \"%s\"", shown);
      expect_error (conn, get);
      expect_error (conn, del);
      expect_error (conn, up);
      expect_stream_refused (conn, name);
    }
  after = ft_dir_entries (root);
  assert_strv_equal (after, (const char * const *) before, "root after requests on bad names");
  for (gsize i = 0; i < G_N_ELEMENTS (on_disk); i++)
    assert_file (root, on_disk[i], "x", 1);

  /* 255 bytes is still a good name. */
  {
    g_autofree char *stored = ft_upload_line (conn, long255, (const guint8 *) "long", 4);
    g_autoptr(GBytes) want = g_bytes_new_static ("long", 4);
    g_auto(GStrv) names = NULL;

    g_assert_cmpstr (stored, ==, long255);
    assert_file (root, long255, "long", 4);
    g_bytes_unref (ft_get (conn, long255, want));
    names = ft_list (conn);
    g_assert_true (g_strv_contains ((const char * const *) names, long255));
    ft_delete (conn, long255);
    g_assert_false (ft_exists (root, long255));
  }
  ft_assert_no_hidden (root, NULL, "after bad names");
}

/* Sends raw request bytes (a line that may hold a NUL) and expects ERROR. */
static void
expect_error_raw (FtConn *conn, const char *line, gsize len)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *shown = ft_preview (line, len);
  g_autofree char *got = NULL;

  ft_conn_send (conn, line, len);
  answer = ft_conn_read_json (conn);
  got = ft_preview_json (answer);
  ft_check (g_strcmp0 (ft_status (answer), "ERROR") == 0,
            "request \"%s\": expected ERROR, got %s", shown, got);
  ft_assert_error (answer);
}

/* A NUL inside a name: the name breaks the rules, whatever precedes it. */
static void
test_nul_in_name (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char *root = f->srv->root;
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  static const char get[] = "GET a.txt\0.bak\n";
  static const char del[] = "DELETE a.txt\0.bak\n";
  static const char up[] = "UPLOAD a.txt\0.bak cHduZWQ=\n";
  static const char up_stream[] = "UPLOAD a.txt\0.bak\n";
  static const char quoted[] = "GET \"a.txt\0.bak\"\n";

  ft_write_file (root, "a.txt", "original", 8);
  expect_error_raw (conn, get, sizeof get - 1);
  expect_error_raw (conn, del, sizeof del - 1);
  assert_file (root, "a.txt", "original", 8);
  expect_error_raw (conn, up, sizeof up - 1);
  assert_file (root, "a.txt", "original", 8);
  expect_error_raw (conn, up_stream, sizeof up_stream - 1);
  expect_error_raw (conn, quoted, sizeof quoted - 1);
  assert_file (root, "a.txt", "original", 8);
  assert_list_ok (conn);
}

/* Non-regular files in the root: a FIFO must not block the server. */
static void
test_special_files (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char *root = f->srv->root;
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autofree char *fifo = g_build_filename (root, "fifo", NULL);
  g_autofree char *dir = g_build_filename (root, "dir", NULL);

  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  g_assert_cmpint (mkdir (dir, 0755), ==, 0);
  ft_conn_set_timeout (conn, 10);
  expect_error (conn, "GET fifo");
  expect_error (conn, "GET dir");
  {
    g_autoptr(JsonNode) a = ft_request (conn, "DELETE fifo");
    ft_note ("DELETE of a FIFO answered %s", ft_status (a));
  }
  expect_error (conn, "UPLOAD dir aGk=");
  g_assert_true (ft_exists (root, "dir"));
  assert_list_ok (conn);
}

/* ------------------------------------------------------------ bad base64 */

static void
test_bad_base64_line (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  static const char * const bad[] = {
    "@@@@", "aGVsbG8", "aGV=bG8=", "=aGVs", "aGVsbG8===", "aGk=aGk=", "aGVsbG8*", "aG\x80k=",
    "YQ", "Y", "aGVs-G8=", "aGVs_G8=", "aGk=\x01",
  };
  const char *root = f->srv->root;
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad%02" G_GSIZE_FORMAT ".txt", i);
      g_autofree char *line = g_strdup_printf ("UPLOAD %s %s", name, bad[i]);
      g_autoptr(JsonNode) answer = ft_request (conn, line);
      g_autofree char *shown = ft_preview (bad[i], strlen (bad[i]));
      const char *msg;
      g_auto(GStrv) names = NULL;

      ft_note ("base64 \"%s\"", shown);
      msg = ft_assert_error (answer);
      ft_check (g_str_has_prefix (msg, "invalid base64"),
                "base64 \"%s\": message \"%s\" does not start with \"invalid base64\"", shown, msg);
      ft_check (!ft_exists (root, name), "bad base64 \"%s\" created %s", shown, name);
      names = ft_list (conn); /* the connection still answers */
      g_assert_false (g_strv_contains ((const char * const *) names, name));
    }
  ft_assert_no_hidden (root, NULL, "after bad one-line base64");
}

/* Sends a streamed upload whose body is given raw, returns the answer. */
static JsonNode *
stream_raw (FtConn *conn, const char *request, const char *body, gsize body_len)
{
  g_autoptr(GBytes) ready = NULL;
  g_autoptr(GError) error = NULL;

  ft_conn_send_str (conn, request);
  ready = ft_conn_read_frame (conn, &error);
  g_assert_no_error (error);
  ft_assert_ready_frame (ready);
  ft_conn_send (conn, body, body_len);
  return ft_conn_read_json (conn);
}

static void
test_bad_base64_stream (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char *root = f->srv->root;
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autofree guint8 *content = ft_content (6, 150000);
  g_autofree char *good = g_base64_encode (content, 150000);
  const char * const none[] = { NULL };
  static const char * const bodies[] = {
    "aGVsbG8gd29y\n!!!!\naGVs\nENDUPLOAD\n",
    "aGVsbG8\nENDUPLOAD\n",              /* truncated last quantum */
    "aGk=\naGk=\nENDUPLOAD\n",           /* data after padding */
    "aGVsbG8=\x00\nENDUPLOAD\n",          /* NUL */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      /* one body holds a NUL: its length is given */
      gsize len = i == 3 ? strlen ("aGVsbG8=") + 1 + strlen ("\nENDUPLOAD\n") : strlen (bodies[i]);
      g_autofree char *name = g_strdup_printf ("bad%" G_GSIZE_FORMAT ".bin", i);
      g_autofree char *req = g_strdup_printf ("UPLOAD %s\n", name);
      g_autoptr(JsonNode) answer = stream_raw (conn, req, bodies[i], len);
      g_autofree char *shown = ft_preview (bodies[i], len);
      const char *msg = ft_assert_error (answer);
      g_auto(GStrv) names = NULL;

      ft_check (g_str_has_prefix (msg, "invalid base64"),
                "body \"%s\": message \"%s\" does not start with \"invalid base64\"", shown, msg);
      /* The next frame answers LIST: the bad upload was drained to ENDUPLOAD. */
      names = ft_list (conn);
      assert_strv_equal (names, none, "LIST after a bad streamed upload");
      ft_check (!ft_exists (root, name), "bad streamed base64 created %s", name);
    }

  /* Unnamed, the error early and plenty of valid lines after it to drain. */
  {
    g_autoptr(GString) body = g_string_new ("####\n");
    g_autoptr(JsonNode) answer = NULL;
    g_auto(GStrv) names = NULL;
    gsize glen = strlen (good);

    for (gsize off = 0; off < glen; off += 1000)
      {
        g_string_append_len (body, good + off, (gssize) MIN (1000, glen - off));
        g_string_append_c (body, '\n');
      }
    g_string_append (body, "ENDUPLOAD\n");
    answer = stream_raw (conn, "UPLOAD\n", body->str, body->len);
    ft_assert_error (answer);
    names = ft_list (conn);
    assert_strv_equal (names, none, "LIST after a bad unnamed streamed upload");
  }
  ft_assert_no_hidden (root, NULL, "after bad streamed base64");
  {
    g_auto(GStrv) entries = ft_dir_entries (root);
    assert_strv_equal (entries, none, "entries in the root");
  }
}

/* ------------------------------------------------------------ cut off */

static void
check_cut_off (Fixture *f, const char *name)
{
  g_autoptr(FtConn) conn = NULL;
  g_auto(GStrv) names = NULL;
  const char * const none[] = { NULL };

  ft_assert_no_hidden (f->srv->root, NULL, "after an upload cut off");
  ft_check (!ft_exists (f->srv->root, name), "an upload cut off left %s", name);
  conn = ft_conn_new (f->srv->port);
  names = ft_list (conn);
  assert_strv_equal (names, none, "LIST after an upload cut off");
  if (g_str_equal (f->mode, "process"))
    {
      g_autoptr(JsonNode) s = ft_stats (conn);
      g_assert_cmpint (ft_stat (s, "worker_restarts"), ==, 0);
    }
}

static void
test_cutoff_stream (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  gsize len = 4 * MiB;
  g_autofree guint8 *content = ft_content (7, len);
  g_autofree char *b64 = g_base64_encode (content, len);
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autoptr(GBytes) ready = NULL;
  g_autoptr(GError) error = NULL;
  gsize half = strlen (b64) / 2;

  ft_conn_send_str (conn, "UPLOAD cut.bin\n");
  ready = ft_conn_read_frame (conn, &error);
  g_assert_no_error (error);
  ft_assert_ready_frame (ready);
  for (gsize off = 0; off < half; off += MiB)
    {
      ft_conn_send (conn, b64 + off, MIN (MiB, half - off));
      ft_conn_send (conn, "\n", 1);
    }
  g_clear_pointer (&conn, ft_conn_free);
  check_cut_off (f, "cut.bin");
}

static void
test_cutoff_line (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  gsize len = 2 * MiB;
  g_autofree guint8 *content = ft_content (8, len);
  g_autofree char *b64 = g_base64_encode (content, len);
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);

  ft_conn_send_str (conn, "UPLOAD cut2.bin ");
  ft_conn_send (conn, b64, strlen (b64) / 2);
  g_clear_pointer (&conn, ft_conn_free);
  check_cut_off (f, "cut2.bin");
}

/* ------------------------------------------------------------ garbage */

static void
test_garbage (Fixture *f, gconstpointer data G_GNUC_UNUSED)
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
  assert_list_ok (other);
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
test_long_line (Fixture *f, gconstpointer data G_GNUC_UNUSED)
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
      assert_list_ok (conn);
    }
}

/* ------------------------------------------------------------ pipelining */

static void
test_pipelined (Fixture *f, gconstpointer data G_GNUC_UNUSED)
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
      assert_strv_equal ((char **) got->pdata, want, "pipelined LIST after a streamed upload");
      g_ptr_array_free (got, TRUE);
    }
    names = ft_list (conn);
    assert_strv_equal (names, want, "LIST");
  }
}

/* ------------------------------------------------------------ limits */

static void
test_max_upload (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char * const extra[] = { "--max-upload", "1K", NULL };
  FtServer *srv = ft_server_start (f->mode, POOL, extra);
  g_autofree guint8 *content = ft_content (10, 4096);
  const char * const want[] = { "ok1024.bin", NULL };

  {
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    g_autofree char *stored = ft_upload_line (conn, "ok1024.bin", content, 1024);
    g_autofree char *stored2 = ft_upload_stream (conn, "ok1024b.bin", content, 1024, 100);
    g_assert_cmpstr (stored, ==, "ok1024.bin");
    assert_file (srv->root, "ok1024.bin", content, 1024);
    assert_file (srv->root, "ok1024b.bin", content, 1024);
    ft_delete (conn, "ok1024b.bin");
  }
  /* one-line, one byte over */
  {
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    g_autofree char *b64 = g_base64_encode (content, 1025);
    g_autofree char *line = g_strdup_printf ("UPLOAD over.bin %s", b64);
    g_autoptr(JsonNode) answer = ft_request (conn, line);
    gsize extra_bytes = 0;

    ft_assert_error (answer);
    ft_check (ft_conn_wait_closed (conn, 10, &extra_bytes),
              "connection not closed within 10 s after an upload over --max-upload");
    g_assert_cmpuint (extra_bytes, ==, 0);
  }
  /* streamed named and unnamed, twice the limit */
  for (int unnamed = 0; unnamed <= 1; unnamed++)
    {
      g_autoptr(FtConn) conn = ft_conn_new (srv->port);
      g_autoptr(JsonNode) answer = NULL;
      g_autoptr(GBytes) ready = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *b64 = g_base64_encode (content, 2048);
      g_autofree char *body = g_strdup_printf ("%s\nENDUPLOAD\n", b64);
      gsize extra_bytes = 0;

      ft_conn_send_str (conn, unnamed ? "UPLOAD\n" : "UPLOAD over2.bin\n");
      ready = ft_conn_read_frame (conn, &error);
      g_assert_no_error (error);
      ft_assert_ready_frame (ready);
      ft_conn_send_str (conn, body);
      answer = ft_conn_read_json (conn);
      ft_assert_error (answer);
      ft_check (ft_conn_wait_closed (conn, 10, &extra_bytes),
                "connection not closed within 10 s after a streamed upload over --max-upload");
      g_assert_cmpuint (extra_bytes, ==, 0);
    }
  /* far over the limit: the client may not even get to send it all, but
   * it gets the ERROR */
  for (int unnamed = 0; unnamed <= 1; unnamed++)
    {
      g_autoptr(FtConn) conn = ft_conn_new (srv->port);
      g_autoptr(GBytes) ready = NULL;
      g_autoptr(GBytes) frame = NULL;
      g_autoptr(JsonNode) answer = NULL;
      g_autoptr(GError) error = NULL;
      gsize big_len = 3 * MiB;
      g_autofree guint8 *big = ft_content (20, big_len);
      g_autofree char *b64 = g_base64_encode (big, big_len);
      gboolean sent;

      ft_conn_set_timeout (conn, 10);
      if (unnamed)
        {
          ft_conn_send_str (conn, "UPLOAD huge.bin\n");
          ready = ft_conn_read_frame (conn, &error);
          g_assert_no_error (error);
          ft_assert_ready_frame (ready);
          sent = ft_conn_try_send (conn, b64, strlen (b64), &error) &&
                 ft_conn_try_send (conn, "\nENDUPLOAD\n", 11, &error);
        }
      else
        sent = ft_conn_try_send (conn, "UPLOAD huge.bin ", 16, &error) &&
               ft_conn_try_send (conn, b64, strlen (b64), &error) &&
               ft_conn_try_send (conn, "\n", 1, &error);
      ft_note ("3 MiB over a 1 KiB limit: %s", sent ? "all sent" : error->message);
      g_clear_error (&error);
      frame = ft_conn_read_frame (conn, &error);
      ft_check (frame != NULL, "upload far over --max-upload (%s form): no ERROR frame: %s",
                unnamed ? "streamed" : "one-line", error->message);
      answer = ft_parse_frame (frame);
      ft_assert_error (answer);
      ft_check (ft_conn_wait_closed (conn, 10, NULL),
                "connection not closed within 10 s after an upload far over --max-upload");
    }
  ft_assert_no_hidden (srv->root, NULL, "after uploads over --max-upload");
  {
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    g_auto(GStrv) names = ft_list (conn);
    g_auto(GStrv) entries = ft_dir_entries (srv->root);
    assert_strv_equal (names, want, "LIST after uploads over --max-upload");
    assert_strv_equal (entries, want, "root entries after uploads over --max-upload");
  }
  ft_server_stop (srv);
}

/* ------------------------------------------------------------ big files */

static void
test_roundtrip_big (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  gsize len = 20 * MiB;
  g_autoptr(GBytes) content = ft_content_bytes (11, len);
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autofree char *stored = ft_upload_stream (conn, "big.bin", g_bytes_get_data (content, NULL), len, MiB);
  g_autoptr(GBytes) got = NULL;

  g_assert_cmpstr (stored, ==, "big.bin");
  assert_file (f->srv->root, "big.bin", g_bytes_get_data (content, NULL), len);
  got = ft_get (conn, "big.bin", content); /* compares base64 and bytes */
  g_assert_cmpuint (g_bytes_get_size (got), ==, len);
  ft_assert_no_hidden (f->srv->root, NULL, "after a 20 MiB round trip");
}

static void
test_roundtrip_line (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  gsize len = 3 * MiB + 1;
  g_autoptr(GBytes) content = ft_content_bytes (12, len);
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autofree char *stored = ft_upload_line (conn, "line.bin", g_bytes_get_data (content, NULL), len);

  g_assert_cmpstr (stored, ==, "line.bin");
  assert_file (f->srv->root, "line.bin", g_bytes_get_data (content, NULL), len);
  g_bytes_unref (ft_get (conn, "line.bin", content));
  assert_list_ok (conn);
}

static void
test_overwrite (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(GBytes) one = ft_content_bytes (13, 100000);
  g_autoptr(GBytes) two = ft_content_bytes (14, 50000);
  g_autoptr(GBytes) three = ft_content_bytes (15, 200000);
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  const char * const want[] = { "ow.bin", NULL };
  g_auto(GStrv) names = NULL;

  g_free (ft_upload_line (conn, "ow.bin", g_bytes_get_data (one, NULL), g_bytes_get_size (one)));
  g_free (ft_upload_line (conn, "ow.bin", g_bytes_get_data (two, NULL), g_bytes_get_size (two)));
  g_bytes_unref (ft_get (conn, "ow.bin", two));
  assert_file (f->srv->root, "ow.bin", g_bytes_get_data (two, NULL), g_bytes_get_size (two));
  g_free (ft_upload_stream (conn, "ow.bin", g_bytes_get_data (three, NULL), g_bytes_get_size (three), 4096));
  g_bytes_unref (ft_get (conn, "ow.bin", three));
  names = ft_list (conn);
  assert_strv_equal (names, want, "LIST after overwrites");
  ft_assert_no_hidden (f->srv->root, NULL, "after overwrites");
}

/* A reader during an upload sees the old content until the upload is
 * complete, then the new: never a partial file. */
static void
test_atomic_read (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  gsize len = 2 * MiB;
  g_autoptr(GBytes) old = ft_content_bytes (18, len);
  g_autoptr(GBytes) fresh = ft_content_bytes (19, len + 1000);
  g_autofree char *b64 = g_base64_encode (g_bytes_get_data (fresh, NULL), len + 1000);
  g_autoptr(FtConn) writer = ft_conn_new (f->srv->port);
  g_autoptr(FtConn) reader = ft_conn_new (f->srv->port);
  g_autoptr(GBytes) ready = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  gsize half = strlen (b64) / 2;

  ft_write_file (f->srv->root, "atomic.bin", g_bytes_get_data (old, NULL), len);
  ft_conn_send_str (writer, "UPLOAD atomic.bin\n");
  ready = ft_conn_read_frame (writer, &error);
  g_assert_no_error (error);
  ft_assert_ready_frame (ready);
  ft_conn_send (writer, b64, half);
  ft_conn_send_str (writer, "\n");
  /* Wait until half the new content is in the hidden temporary file
   * (PROTOCOL.md: uploads go to one in the root) ... */
  {
    double deadline = ft_now () + 5;
    gboolean seen = FALSE;

    while (!seen)
      {
        g_auto(GStrv) entries = ft_dir_entries (f->srv->root);
        for (gsize i = 0; entries[i] != NULL; i++)
          {
            g_autofree char *path = g_build_filename (f->srv->root, entries[i], NULL);
            struct stat st;
            if (entries[i][0] == '.' && lstat (path, &st) == 0 && st.st_size >= 512 * 1024)
              seen = TRUE;
          }
        if (!seen)
          {
            ft_check (ft_now () < deadline, "no hidden temporary file of 512 KiB in the root "
                      "5 s after sending half of a 2 MiB upload");
            g_usleep (10 * 1000);
          }
      }
  }
  /* ... then a GET on another connection must see the old content, whole. */
  g_bytes_unref (ft_get (reader, "atomic.bin", old));
  ft_conn_send (writer, b64 + half, strlen (b64) - half);
  ft_conn_send_str (writer, "\nENDUPLOAD\n");
  answer = ft_conn_read_json (writer);
  ft_assert_ok (answer);
  g_bytes_unref (ft_get (reader, "atomic.bin", fresh));
  ft_assert_no_hidden (f->srv->root, NULL, "after an overwrite");
}

/* Two uploads of one name at once: each is whole, the last to finish wins. */
static void
test_concurrent_same_name (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  gsize len = 1 * MiB;
  g_autoptr(GBytes) first = ft_content_bytes (26, len);
  g_autoptr(GBytes) second = ft_content_bytes (27, len / 2);
  g_autofree char *b64 = g_base64_encode (g_bytes_get_data (first, NULL), len);
  g_autoptr(FtConn) slow = ft_conn_new (f->srv->port);
  g_autoptr(FtConn) fast = ft_conn_new (f->srv->port);
  g_autoptr(GBytes) ready = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  gsize half = strlen (b64) / 2;

  ft_conn_send_str (slow, "UPLOAD same.bin\n");
  ready = ft_conn_read_frame (slow, &error);
  g_assert_no_error (error);
  ft_assert_ready_frame (ready);
  ft_conn_send (slow, b64, half);
  ft_conn_send_str (slow, "\n");
  g_free (ft_upload_stream (fast, "same.bin", g_bytes_get_data (second, NULL), len / 2, 0));
  g_bytes_unref (ft_get (fast, "same.bin", second));
  ft_conn_send (slow, b64 + half, strlen (b64) - half);
  ft_conn_send_str (slow, "\nENDUPLOAD\n");
  answer = ft_conn_read_json (slow);
  ft_assert_ok (answer);
  g_bytes_unref (ft_get (fast, "same.bin", first));
  ft_assert_no_hidden (f->srv->root, NULL, "after two uploads of one name");
}

/* An upload whose name is an existing directory fails and leaves nothing. */
static void
test_upload_over_dir (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autofree char *dir = g_build_filename (f->srv->root, "adir", NULL);
  g_autoptr(JsonNode) stream = NULL;
  g_auto(GStrv) entries = NULL;
  const char * const want[] = { "adir", NULL };
  struct stat st;

  g_assert_cmpint (mkdir (dir, 0755), ==, 0);
  expect_error (conn, "UPLOAD adir aGk=");
  expect_error (conn, "GET adir");
  stream = ft_upload_stream_answer (conn, "adir", (const guint8 *) "hi", 2, 0);
  ft_assert_error (stream);
  g_assert_cmpint (lstat (dir, &st), ==, 0);
  g_assert_true (S_ISDIR (st.st_mode));
  ft_assert_no_hidden (f->srv->root, NULL, "after uploads over a directory");
  entries = ft_dir_entries (f->srv->root);
  assert_strv_equal (entries, want, "root entries");
  assert_list_ok (conn);
}

/* --idle-timeout closes an idle connection, and one stalled in the middle
 * of an upload (leaving no trace), silently. */
static void
test_idle_timeout (Fixture *f, gconstpointer data G_GNUC_UNUSED)
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

  assert_list_ok (idle);
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
test_client_gone_mid_get (Fixture *f, gconstpointer data G_GNUC_UNUSED)
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
  assert_list_ok (y);
}

/* ------------------------------------------------------------ stopping */

static void
test_stop_idle (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  /* A long grace: idle connections must be closed at once, not waited for. */
  const char * const extra[] = { "--grace", "20", NULL };
  FtServer *srv = ft_server_start (f->mode, POOL, extra);
  g_autoptr(FtConn) a = ft_conn_new (srv->port);
  g_autoptr(FtConn) b = ft_conn_new (srv->port);
  g_autoptr(FtConn) c = NULL;
  double t0;
  gsize extra_bytes = 0;

  assert_list_ok (a);
  assert_list_ok (b);
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
test_stop_slow_get (Fixture *f, gconstpointer data G_GNUC_UNUSED)
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
test_stop_upload (Fixture *f, gconstpointer data G_GNUC_UNUSED)
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
  assert_file (f->srv->root, "inflight.bin", content, len);
  ft_assert_no_hidden (f->srv->root, NULL, "after an upload in flight at SIGTERM");
}

/* Once stopping, a new connection is refused or closed at once, never left
 * hanging unanswered until the server exits. */
static void
test_stop_refuse_new (Fixture *f, gconstpointer data G_GNUC_UNUSED)
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
test_stop_grace_expires (Fixture *f, gconstpointer data G_GNUC_UNUSED)
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

typedef void (*CaseFunc) (Fixture *f, gconstpointer data);

typedef struct {
  const char *mode;
  CaseFunc func;
} Case;

/* Runs in the case's own subprocess: a fresh server for every case. */
static void
run_case (gconstpointer data)
{
  const Case *c = data;
  Fixture f = { NULL, NULL };

  setup (&f, c->mode);
  c->func (&f, c->mode);
  teardown (&f, c->mode);
}

int
main (int argc, char **argv)
{
  static const char * const modes[] = { "thread", "process" };
  static const struct {
    const char *name;
    CaseFunc func;
  } cases[] = {
    { "list", test_list },
    { "get", test_get },
    { "upload/line", test_upload_line },
    { "upload/stream-named", test_upload_stream_named },
    { "upload/stream-split", test_upload_stream_split },
    { "upload/stream-unnamed", test_upload_stream_unnamed },
    { "upload/overwrite", test_overwrite },
    { "upload/atomic-read", test_atomic_read },
    { "upload/over-directory", test_upload_over_dir },
    { "upload/concurrent-same-name", test_concurrent_same_name },
    { "upload/max-size", test_max_upload },
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
    { "bad/traversal", test_traversal },
    { "bad/symlink", test_symlink },
    { "bad/hidden", test_hidden },
    { "bad/names", test_bad_names },
    { "bad/nul-in-name", test_nul_in_name },
    { "bad/special-files", test_special_files },
    { "bad/base64-line", test_bad_base64_line },
    { "bad/base64-stream", test_bad_base64_stream },
    { "bad/cutoff-stream", test_cutoff_stream },
    { "bad/cutoff-line", test_cutoff_line },
    { "bad/client-gone-mid-get", test_client_gone_mid_get },
    { "big/roundtrip-stream-20MiB", test_roundtrip_big },
    { "big/roundtrip-line-3MiB", test_roundtrip_line },
    { "idle-timeout", test_idle_timeout },
    { "stop/idle", test_stop_idle },
    { "stop/slow-get", test_stop_slow_get },
    { "stop/upload-in-flight", test_stop_upload },
    { "stop/refuse-new", test_stop_refuse_new },
    { "stop/grace-expires", test_stop_grace_expires },
  };

  /* Static, not allocated: LeakSanitizer would count what GTest keeps. */
  static Case all[G_N_ELEMENTS (modes) * G_N_ELEMENTS (cases)];
  gsize n = 0;

  ft_init ();
  g_test_init (&argc, &argv, NULL);

  for (gsize m = 0; m < G_N_ELEMENTS (modes); m++)
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++, n++)
      {
        g_autofree char *path = g_strdup_printf ("/server/%s/%s", modes[m], cases[i].name);

        all[n].mode = modes[m];
        all[n].func = cases[i].func;
        ft_test_add (path, run_case, &all[n]);
      }
  return g_test_run ();
}
