/* test-server-uploads.c: end-to-end tests of filestorm-server's uploads:
 * one-line and streamed, named and unnamed, overwrites that readers never
 * see half done, the size limit, big round trips. Every case runs in both
 * concurrency models, each against a fresh server (pool 3). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server-cases.h"

/* ------------------------------------------------------------ UPLOAD */

static void
test_upload_line (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char *root = f->srv->root;
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autofree guint8 *bin = ft_content (2, 10000);
  g_autofree char *stored1 = ft_upload_line (conn, "up.txt", (const guint8 *) "hello world", 11);
  g_autofree char *stored2 = ft_upload_line (conn, "up.bin", bin, 10000);
  g_autoptr(GBytes) bin_bytes = g_bytes_new (bin, 10000);

  g_assert_cmpstr (stored1, ==, "up.txt");
  g_assert_cmpstr (stored2, ==, "up.bin");
  ft_assert_root_file (root, "up.txt", "hello world", 11);
  ft_assert_root_file (root, "up.bin", bin, 10000);
  g_bytes_unref (ft_get (conn, "up.bin", bin_bytes));

  /* White space inside the base64 is ignored; a CR before LF is dropped. */
  {
    g_autoptr(JsonNode) a = ft_request (conn, "UPLOAD ws.txt aGVs bG8g\td29y  bGQ=");
    g_autoptr(JsonNode) b = ft_request (conn, "UPLOAD crlf.txt aGk=\r");
    ft_assert_ok (a);
    ft_assert_ok (b);
  }
  ft_assert_root_file (root, "ws.txt", "hello world", 11);
  ft_assert_root_file (root, "crlf.txt", "hi", 2);
  ft_assert_no_hidden (root, NULL, "after one-line uploads");
}

static void
test_upload_stream_named (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char *root = f->srv->root;
  gsize len = 3 * MiB + 5;
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autofree guint8 *content = ft_content (3, len);
  g_autofree char *stored = ft_upload_stream (conn, "stream.bin", content, len, MiB);
  g_autofree char *stored2 = NULL;

  g_assert_cmpstr (stored, ==, "stream.bin");
  ft_assert_root_file (root, "stream.bin", content, len);

  /* The same connection takes another request, and another upload. */
  ft_assert_list_ok (conn);
  stored2 = ft_upload_stream (conn, "small.txt", (const guint8 *) "hello", 5, 0);
  g_assert_cmpstr (stored2, ==, "small.txt");
  ft_assert_root_file (root, "small.txt", "hello", 5);
  ft_assert_no_hidden (root, NULL, "after streamed uploads");
}

/* Base64 split across lines at arbitrary points, with CRLF and trailing
 * white space, and ENDUPLOAD\r\n. */
static void
test_upload_stream_split (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
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
  ft_assert_root_file (root, "split.bin", content, len);
  ft_assert_list_ok (conn);
}

static char *
md5_name (const guint8 *data, gsize len, const char *ext)
{
  g_autofree char *md5 = g_compute_checksum_for_data (G_CHECKSUM_MD5, data, len);
  return g_strconcat (md5, ext, NULL);
}

static void
test_upload_stream_unnamed (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
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
      ft_assert_root_file (root, want, content, len);
      bytes = g_bytes_new (content, len);
      g_bytes_unref (ft_get (conn, want, bytes));
    }
  names = ft_list (conn);
  g_assert_cmpuint (g_strv_length (names), ==, G_N_ELEMENTS (kinds));
}

/* ------------------------------------------------------------ limits */

static void
test_max_upload (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
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
    ft_assert_root_file (srv->root, "ok1024.bin", content, 1024);
    ft_assert_root_file (srv->root, "ok1024b.bin", content, 1024);
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
    ft_assert_strv_equal (names, want, "LIST after uploads over --max-upload");
    ft_assert_strv_equal (entries, want, "root entries after uploads over --max-upload");
  }
  ft_server_stop (srv);
}

/* ------------------------------------------------------------ big files */

static void
test_roundtrip_big (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  gsize len = 20 * MiB;
  g_autoptr(GBytes) content = ft_content_bytes (11, len);
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autofree char *stored = ft_upload_stream (conn, "big.bin", g_bytes_get_data (content, NULL), len, MiB);
  g_autoptr(GBytes) got = NULL;

  g_assert_cmpstr (stored, ==, "big.bin");
  ft_assert_root_file (f->srv->root, "big.bin", g_bytes_get_data (content, NULL), len);
  got = ft_get (conn, "big.bin", content); /* compares base64 and bytes */
  g_assert_cmpuint (g_bytes_get_size (got), ==, len);
  ft_assert_no_hidden (f->srv->root, NULL, "after a 20 MiB round trip");
}

static void
test_roundtrip_line (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  gsize len = 3 * MiB + 1;
  g_autoptr(GBytes) content = ft_content_bytes (12, len);
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autofree char *stored = ft_upload_line (conn, "line.bin", g_bytes_get_data (content, NULL), len);

  g_assert_cmpstr (stored, ==, "line.bin");
  ft_assert_root_file (f->srv->root, "line.bin", g_bytes_get_data (content, NULL), len);
  g_bytes_unref (ft_get (conn, "line.bin", content));
  ft_assert_list_ok (conn);
}

static void
test_overwrite (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
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
  ft_assert_root_file (f->srv->root, "ow.bin", g_bytes_get_data (two, NULL), g_bytes_get_size (two));
  g_free (ft_upload_stream (conn, "ow.bin", g_bytes_get_data (three, NULL), g_bytes_get_size (three), 4096));
  g_bytes_unref (ft_get (conn, "ow.bin", three));
  names = ft_list (conn);
  ft_assert_strv_equal (names, want, "LIST after overwrites");
  ft_assert_no_hidden (f->srv->root, NULL, "after overwrites");
}

/* A reader during an upload sees the old content until the upload is
 * complete, then the new: never a partial file. */
static void
test_atomic_read (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
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
test_concurrent_same_name (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
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
test_upload_over_dir (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autofree char *dir = g_build_filename (f->srv->root, "adir", NULL);
  g_autoptr(JsonNode) stream = NULL;
  g_auto(GStrv) entries = NULL;
  const char * const want[] = { "adir", NULL };
  struct stat st;

  g_assert_cmpint (mkdir (dir, 0755), ==, 0);
  ft_expect_error (conn, "UPLOAD adir aGk=");
  ft_expect_error (conn, "GET adir");
  stream = ft_upload_stream_answer (conn, "adir", (const guint8 *) "hi", 2, 0);
  ft_assert_error (stream);
  g_assert_cmpint (lstat (dir, &st), ==, 0);
  g_assert_true (S_ISDIR (st.st_mode));
  ft_assert_no_hidden (f->srv->root, NULL, "after uploads over a directory");
  entries = ft_dir_entries (f->srv->root);
  ft_assert_strv_equal (entries, want, "root entries");
  ft_assert_list_ok (conn);
}

/* ------------------------------------------------------------ main */

int
main (int argc, char **argv)
{
  static const FtServerCase cases[] = {
    { "upload/line", test_upload_line },
    { "upload/stream-named", test_upload_stream_named },
    { "upload/stream-split", test_upload_stream_split },
    { "upload/stream-unnamed", test_upload_stream_unnamed },
    { "upload/overwrite", test_overwrite },
    { "upload/atomic-read", test_atomic_read },
    { "upload/over-directory", test_upload_over_dir },
    { "upload/concurrent-same-name", test_concurrent_same_name },
    { "upload/max-size", test_max_upload },
    { "big/roundtrip-stream-20MiB", test_roundtrip_big },
    { "big/roundtrip-line-3MiB", test_roundtrip_line },
  };

  return ft_server_cases_run (&argc, &argv, cases, G_N_ELEMENTS (cases));
}
