/* test-raw.c: GETRAW and UPLOADRAW against a real filestorm-server, in
 * both concurrency models: exactly N raw bytes and nothing more, the
 * stream still in step for the next request, the guarantees of the
 * base64 path (atomic rename, --max-upload, a cut-off transfer leaves
 * nothing, STATS counting) and every refusal answered before READY. */
#include "config.h"

#include <string.h>

#include "testutil.h"

#define POOL 3
#define MiB (1024 * 1024)

typedef void (*CaseFunc) (const char *mode);

/* Reads exactly len raw bytes after a frame (some may already be pending). */
static GBytes *
read_exactly (FtConn *conn, gsize len)
{
  while (conn->pending->len < len)
    {
      g_autoptr(GError) error = NULL;
      gssize n = ft_conn_recv_some (conn, MIN (len - conn->pending->len, 1 << 20), &error);

      g_assert_no_error (error);
      ft_check (n > 0, "the server closed after %u of %" G_GSIZE_FORMAT " raw bytes",
                conn->pending->len, len);
    }
  {
    GBytes *got = g_bytes_new (conn->pending->data, len);

    g_byte_array_remove_range (conn->pending, 0, (guint) len);
    return got;
  }
}

/* GETRAW name: asserts the frame's members and returns the raw bytes. */
static GBytes *
getraw (FtConn *conn, const char *name)
{
  g_autofree char *line = g_strdup_printf ("GETRAW %s", name);
  g_autoptr(JsonNode) answer = ft_request (conn, line);
  JsonObject *o = json_node_get_object (answer);

  ft_assert_ok (answer);
  g_assert_cmpstr (json_object_get_string_member (o, "data_namafile"), ==, name);
  g_assert_true (json_object_has_member (o, "size"));
  g_assert_false (json_object_has_member (o, "data_file"));
  return read_exactly (conn, (gsize) json_object_get_int_member (o, "size"));
}

/* UPLOADRAW name size, READY, then the bytes: the answer. */
static JsonNode *
uploadraw (FtConn *conn, const char *name, const guint8 *data, gsize len)
{
  g_autofree char *line = g_strdup_printf ("UPLOADRAW %s %" G_GSIZE_FORMAT "\n", name, len);

  ft_conn_send_str (conn, line);
  ft_conn_read_ready (conn);
  /* In pieces of odd sizes, so that the server's reads split anywhere. */
  for (gsize off = 0; off < len; off += 99991)
    ft_conn_send (conn, data + off, MIN (99991, len - off));
  return ft_conn_read_json (conn);
}

static void
expect_error_containing (FtConn *conn, const char *line, const char *want)
{
  g_autoptr(JsonNode) answer = ft_request (conn, line);
  const char *message = ft_assert_error (answer);

  ft_check (strstr (message, want) != NULL, "\"%s\": got \"%s\", want \"%s\" in it", line,
            message, want);
}

static void
test_getraw (const char *mode)
{
  g_autoptr(FtServer) srv = ft_server_start (mode, POOL, NULL);
  g_autoptr(GBytes) big = ft_content_bytes (21, 3 * MiB + 7);
  g_autoptr(GBytes) crlf = g_bytes_new_static ("\r\n\r\nERROR\r\n\r\n", 13);
  g_autoptr(FtConn) conn = NULL;

  ft_write_file (srv->root, "big.bin", g_bytes_get_data (big, NULL), g_bytes_get_size (big));
  ft_write_file (srv->root, "empty.bin", "", 0);
  ft_write_file (srv->root, "crlf.txt", "\r\n\r\nERROR\r\n\r\n", 13);
  conn = ft_conn_new (srv->port);
  for (int round = 0; round < 2; round++)
    {
      g_autoptr(GBytes) got = getraw (conn, "big.bin");
      g_autoptr(GBytes) none = getraw (conn, "empty.bin");
      g_autoptr(GBytes) tricky = getraw (conn, "crlf.txt");

      g_assert_true (g_bytes_equal (got, big));
      g_assert_cmpuint (g_bytes_get_size (none), ==, 0);
      g_assert_true (g_bytes_equal (tricky, crlf));
    }
  /* Exactly N bytes: the next answer starts right after them. */
  {
    g_auto(GStrv) names = ft_list (conn);

    g_assert_cmpuint (g_strv_length (names), ==, 3);
  }
  /* Lower case, as every command. */
  {
    g_autoptr(JsonNode) answer = ft_request (conn, "getraw crlf.txt");
    g_autoptr(GBytes) rest = NULL;

    ft_assert_ok (answer);
    rest = read_exactly (conn, 13);
    g_assert_true (g_bytes_equal (rest, crlf));
  }
  expect_error_containing (conn, "GETRAW nope.bin", "not found");
  expect_error_containing (conn, "GETRAW ../etc/passwd", "invalid file name");
  expect_error_containing (conn, "GETRAW", "GETRAW needs a file name");
  expect_error_containing (conn, "GETRAW a b", "takes one file name");
  {
    g_autoptr(JsonNode) stats = ft_stats (conn);

    /* Both rounds' raw bytes, besides the frames. */
    ft_check (ft_stat (stats, "bytes_out") > 2 * (3 * MiB + 7 + 13),
              "bytes_out %" G_GINT64_FORMAT " does not count the raw bytes",
              ft_stat (stats, "bytes_out"));
    g_assert_cmpint (ft_stat (stats, "requests_failed"), ==, 4);
  }
}

static void
test_uploadraw (const char *mode)
{
  g_autoptr(FtServer) srv = ft_server_start (mode, POOL, NULL);
  gsize len = 5 * MiB + 3;
  g_autoptr(GBytes) content = ft_content_bytes (22, len);
  g_autoptr(FtConn) conn = ft_conn_new (srv->port);
  g_autoptr(JsonNode) before = ft_stats (conn);

  for (int round = 0; round < 2; round++)
    {
      /* The second round overwrites the first, atomically. */
      g_autoptr(JsonNode) answer = uploadraw (conn, "up.bin", g_bytes_get_data (content, NULL),
                                              len - (gsize) round);
      JsonObject *data = NULL;

      ft_assert_ok (answer);
      data = json_object_get_object_member (json_node_get_object (answer), "data");
      g_assert_cmpstr (json_object_get_string_member (data, "file_path"), ==, "up.bin");
      g_assert_cmpint (json_object_get_int_member (data, "size"), ==, (gint64) (len - round));
    }
  {
    g_autoptr(GBytes) want = g_bytes_new_from_bytes (content, 0, len - 1);

    ft_assert_file_is (srv->root, "up.bin", want);
  }
  {
    g_autoptr(JsonNode) answer = uploadraw (conn, "empty.bin", (const guint8 *) "", 0);
    g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);

    ft_assert_ok (answer);
    ft_assert_file_is (srv->root, "empty.bin", empty);
  }
  /* Bytes that look like requests are content. */
  {
    static const char tricky[] = "LIST\nENDUPLOAD\n\r\n\r\n";
    g_autoptr(JsonNode) answer = uploadraw (conn, "tricky.txt", (const guint8 *) tricky,
                                            strlen (tricky));
    g_autoptr(GBytes) want = g_bytes_new_static (tricky, strlen (tricky));
    g_autoptr(GBytes) back = NULL;

    ft_assert_ok (answer);
    ft_assert_file_is (srv->root, "tricky.txt", want);
    back = getraw (conn, "tricky.txt");
    g_assert_true (g_bytes_equal (back, want));
  }
  {
    g_autoptr(JsonNode) after = ft_stats (conn);
    gint64 in = ft_stat (after, "bytes_in") - ft_stat (before, "bytes_in");

    ft_check (in >= (gint64) (2 * len - 1), "bytes_in grew by %" G_GINT64_FORMAT, in);
    g_assert_cmpint (ft_stat (after, "requests_ok") - ft_stat (before, "requests_ok"), ==, 6);
  }
  ft_assert_no_hidden (srv->root, NULL, "after raw uploads");
}

static void
test_uploadraw_refused (const char *mode)
{
  static const struct { const char *line, *want; } refusals[] = {
    { "UPLOADRAW over.bin 1025", "upload too large" },
    { "UPLOADRAW huge.bin 99999999999999999999", "size" },
    { "UPLOADRAW neg.bin -1", "size" },
    { "UPLOADRAW plus.bin +1", "size" },
    { "UPLOADRAW word.bin ten", "size" },
    { "UPLOADRAW nosize.bin", "needs a file name and a size" },
    { "UPLOADRAW", "needs a file name and a size" },
    { "UPLOADRAW ../x.bin 1", "invalid file name" },
    { "UPLOADRAW .hidden 1", "invalid file name" },
  };
  const char * const extra[] = { "--max-upload", "1K", NULL };
  g_autoptr(FtServer) srv = ft_server_start (mode, POOL, extra);
  g_autofree guint8 *content = ft_content (23, 1024);

  /* Each refusal comes instead of READY, and then the connection ends:
   * what a client sent without waiting for READY is not requests. */
  ft_write_file (srv->root, "victim.bin", "v", 1);
  for (gsize i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autoptr(FtConn) conn = ft_conn_new (srv->port);
      g_autofree char *line = g_strconcat (refusals[i].line, "\nDELETE victim.bin\n", NULL);
      g_autoptr(GBytes) frame = NULL;
      g_autoptr(JsonNode) answer = NULL;
      g_autoptr(GError) error = NULL;
      gsize extra_bytes = 0;

      ft_conn_send_str (conn, line);
      frame = ft_conn_read_frame (conn, &error);
      g_assert_no_error (error);
      answer = ft_parse_frame (frame);
      ft_check (strstr (ft_assert_error (answer), refusals[i].want) != NULL,
                "\"%s\": no \"%s\" in the answer", refusals[i].line, refusals[i].want);
      ft_check (ft_conn_wait_closed (conn, 10, &extra_bytes),
                "\"%s\": the connection stayed open", refusals[i].line);
      g_assert_cmpuint (extra_bytes, ==, 0);
    }
  ft_check (ft_exists (srv->root, "victim.bin"), "a DELETE after a refused UPLOADRAW ran");
  {
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    g_autoptr(JsonNode) answer = uploadraw (conn, "ok.bin", content, 1024);
    g_auto(GStrv) names = NULL;
    const char * const want[] = { "ok.bin", "victim.bin", NULL };

    ft_assert_ok (answer);
    names = ft_list (conn);
    g_assert_true (g_strv_equal ((const char * const *) names, want));
  }
  /* A request line cut off by the end of the stream stores nothing, even
   * of size 0. */
  {
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    g_autoptr(JsonNode) answer = NULL;

    ft_conn_send_str (conn, "UPLOADRAW zero.bin 0");
    ft_conn_shutdown_write (conn);
    answer = ft_conn_read_json (conn);
    ft_check (strstr (ft_assert_error (answer), "cut off") != NULL, "no cut-off message");
    ft_check (!ft_exists (srv->root, "zero.bin"), "a cut-off UPLOADRAW line was stored");
  }
  ft_assert_no_hidden (srv->root, NULL, "after refused raw uploads");
}

static void
test_uploadraw_cut_off (const char *mode)
{
  g_autoptr(FtServer) srv = ft_server_start (mode, POOL, NULL);
  g_autofree guint8 *content = ft_content (24, 2 * MiB);
  g_autoptr(GBytes) old = ft_content_bytes (25, 1000);

  ft_write_file (srv->root, "cut.bin", g_bytes_get_data (old, NULL), 1000);
  /* Closed after half: nothing stored, the old content stays. */
  {
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);

    ft_conn_send_str (conn, "UPLOADRAW cut.bin 2097152\n");
    ft_conn_read_ready (conn);
    ft_conn_send (conn, content, MiB);
  }
  /* Half-closed after all but one byte: told why, nothing stored. */
  {
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    g_autoptr(JsonNode) answer = NULL;

    ft_conn_send_str (conn, "UPLOADRAW cut2.bin 2097152\n");
    ft_conn_read_ready (conn);
    ft_conn_send (conn, content, 2 * MiB - 1);
    ft_conn_shutdown_write (conn);
    answer = ft_conn_read_json (conn);
    ft_check (strstr (ft_assert_error (answer), "cut off") != NULL, "no cut-off message");
  }
  ft_assert_no_hidden (srv->root, NULL, "after cut-off raw uploads");
  ft_assert_file_is (srv->root, "cut.bin", old);
  ft_check (!ft_exists (srv->root, "cut2.bin"), "a cut-off raw upload was stored");
  /* The temporary file goes before the request is counted: wait for
   * the count, a bounded while. */
  for (int tries = 0;; tries++)
    {
      g_autoptr(FtConn) conn = ft_conn_new (srv->port);
      g_autoptr(JsonNode) stats = ft_stats (conn);

      if (g_str_equal (mode, "process"))
        g_assert_cmpint (ft_stat (stats, "worker_restarts"), ==, 0);
      if (ft_stat (stats, "requests_failed") == 2 || tries == 100)
        {
          g_assert_cmpint (ft_stat (stats, "requests_failed"), ==, 2);
          break;
        }
      g_usleep (100 * 1000);
    }
}

typedef struct {
  const char *name;
  CaseFunc    func;
  const char *mode;
} Case;

static void
run_case (gconstpointer data)
{
  const Case *c = data;

  c->func (c->mode);
}

int
main (int argc, char **argv)
{
  static const char * const modes[] = { "thread", "process", "event" };
  static const struct {
    const char *name;
    CaseFunc func;
  } cases[] = {
    { "getraw", test_getraw },
    { "uploadraw", test_uploadraw },
    { "uploadraw/refused", test_uploadraw_refused },
    { "uploadraw/cut-off", test_uploadraw_cut_off },
  };
  static Case all[G_N_ELEMENTS (modes) * G_N_ELEMENTS (cases)];
  gsize n = 0;

  ft_init ();
  g_test_init (&argc, &argv, NULL);
  for (gsize m = 0; m < G_N_ELEMENTS (modes); m++)
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++, n++)
      {
        g_autofree char *path = g_strdup_printf ("/raw/%s/%s", modes[m], cases[i].name);

        all[n] = (Case) { cases[i].name, cases[i].func, modes[m] };
        ft_test_add (path, run_case, &all[n]);
      }
  return g_test_run ();
}
