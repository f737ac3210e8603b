/* test-server-bad.c: end-to-end tests of what filestorm-server refuses:
 * names that escape the root or name no regular file, bad base64, uploads
 * cut off. Every case runs in both concurrency models, each against a
 * fresh server (pool 3). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server-cases.h"

/* ------------------------------------------------------------ helpers */

/* Sends a streamed upload's request line and expects an ERROR frame instead
 * of READY (a name the server will not take). */
static void
expect_stream_refused (FtConn *conn, const char *name_arg)
{
  g_autofree char *line = g_strconcat ("UPLOAD ", name_arg, NULL);
  ft_expect_error (conn, line);
}

static char *
upload_line_text (const char *name_arg, const char *b64)
{
  return g_strdup_printf ("UPLOAD %s %s", name_arg, b64);
}

/* ------------------------------------------------------------ bad names */

static void
test_traversal (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
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
  ft_expect_error (conn, "GET /etc/passwd");
  ft_expect_error (conn, "GET ../../../../../../etc/passwd");

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *get = g_strconcat ("GET ", names[i], NULL);
      g_autofree char *del = g_strconcat ("DELETE ", names[i], NULL);
      g_autofree char *up = upload_line_text (names[i], "cHduZWQ=");

      ft_note ("name %s", names[i]);
      ft_expect_error (conn, get);
      ft_expect_error (conn, del);
      ft_expect_error (conn, up);
      expect_stream_refused (conn, names[i]);
    }

  base_entries = ft_dir_entries (base);
  ft_assert_strv_equal (base_entries, want_base, "entries next to the root");
  root_entries = ft_dir_entries (root);
  ft_assert_strv_equal (root_entries, none, "entries in the root");
  ft_assert_root_file (base, "outside.txt", "secret", 6);
  ft_assert_list_ok (conn);
}

static void
test_symlink (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
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
  ft_assert_strv_equal (names, want_list, "LIST with symlinks in the root");

  for (gsize i = 0; i < G_N_ELEMENTS (links); i++)
    {
      g_autofree char *get = g_strconcat ("GET ", links[i], NULL);
      g_autofree char *del = g_strconcat ("DELETE ", links[i], NULL);

      ft_expect_error (conn, get);
      ft_expect_error (conn, del);
      ft_check (ft_exists (root, links[i]), "DELETE %s answered ERROR but removed the link", links[i]);
    }
  ft_expect_error (conn, "GET dirlink/outside.txt");
  ft_expect_error (conn, "DELETE dirlink/outside.txt");
  ft_expect_error (conn, "GET dirlink");
  ft_assert_root_file (base, "outside.txt", "secret", 6);
  ft_assert_root_file (root, "inside.txt", "inside", 6);

  /* An upload to a link's name may replace the link or be refused, but
   * must never write through it. */
  {
    g_autoptr(JsonNode) a = ft_request (conn, "UPLOAD link cHduZWQ=");
    g_autoptr(JsonNode) b = ft_upload_stream_answer (conn, "rel", (const guint8 *) "pwned", 5, 0);
    g_autoptr(JsonNode) c = ft_request (conn, "UPLOAD inlink cHduZWQ=");
    ft_note ("UPLOAD over symlinks answered %s, %s, %s", ft_status (a), ft_status (b), ft_status (c));
  }
  ft_assert_root_file (base, "outside.txt", "secret", 6);
  ft_assert_root_file (root, "inside.txt", "inside", 6);
  ft_assert_no_hidden (root, NULL, "after uploads over symlinks");
  ft_assert_list_ok (conn);
}

static void
test_hidden (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char *root = f->srv->root;
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  const char * const allowed[] = { ".hidden", ".fstmp-1-x", NULL };
  const char * const want_root[] = { ".fstmp-1-x", ".hidden", NULL };
  g_auto(GStrv) entries = NULL;

  ft_write_file (root, ".hidden", "h", 1);
  ft_write_file (root, ".fstmp-1-x", "t", 1);

  ft_expect_error (conn, "GET .hidden");
  ft_expect_error (conn, "GET .fstmp-1-x");
  ft_expect_error (conn, "DELETE .hidden");
  ft_expect_error (conn, "DELETE .fstmp-1-x");
  ft_expect_error (conn, "UPLOAD .hidden aGk=");
  ft_expect_error (conn, "UPLOAD .new aGk=");
  expect_stream_refused (conn, ".hidden");
  expect_stream_refused (conn, ".new2");

  ft_assert_root_file (root, ".hidden", "h", 1);
  ft_assert_root_file (root, ".fstmp-1-x", "t", 1);
  ft_assert_no_hidden (root, allowed, "after requests on hidden names");
  entries = ft_dir_entries (root);
  ft_assert_strv_equal (entries, want_root, "entries in the root");
  ft_assert_list_ok (conn);
}

static void
test_bad_names (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
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
      ft_expect_error (conn, get);
      ft_expect_error (conn, del);
      ft_expect_error (conn, up);
      expect_stream_refused (conn, name);
    }
  after = ft_dir_entries (root);
  ft_assert_strv_equal (after, (const char * const *) before, "root after requests on bad names");
  for (gsize i = 0; i < G_N_ELEMENTS (on_disk); i++)
    ft_assert_root_file (root, on_disk[i], "x", 1);

  /* 255 bytes is still a good name. */
  {
    g_autofree char *stored = ft_upload_line (conn, long255, (const guint8 *) "long", 4);
    g_autoptr(GBytes) want = g_bytes_new_static ("long", 4);
    g_auto(GStrv) names = NULL;

    g_assert_cmpstr (stored, ==, long255);
    ft_assert_root_file (root, long255, "long", 4);
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
test_nul_in_name (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
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
  ft_assert_root_file (root, "a.txt", "original", 8);
  expect_error_raw (conn, up, sizeof up - 1);
  ft_assert_root_file (root, "a.txt", "original", 8);
  expect_error_raw (conn, up_stream, sizeof up_stream - 1);
  expect_error_raw (conn, quoted, sizeof quoted - 1);
  ft_assert_root_file (root, "a.txt", "original", 8);
  ft_assert_list_ok (conn);
}

/* Non-regular files in the root: a FIFO must not block the server. */
static void
test_special_files (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const char *root = f->srv->root;
  g_autoptr(FtConn) conn = ft_conn_new (f->srv->port);
  g_autofree char *fifo = g_build_filename (root, "fifo", NULL);
  g_autofree char *dir = g_build_filename (root, "dir", NULL);

  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  g_assert_cmpint (mkdir (dir, 0755), ==, 0);
  ft_conn_set_timeout (conn, 10);
  ft_expect_error (conn, "GET fifo");
  ft_expect_error (conn, "GET dir");
  {
    g_autoptr(JsonNode) a = ft_request (conn, "DELETE fifo");
    ft_note ("DELETE of a FIFO answered %s", ft_status (a));
  }
  ft_expect_error (conn, "UPLOAD dir aGk=");
  g_assert_true (ft_exists (root, "dir"));
  ft_assert_list_ok (conn);
}

/* ------------------------------------------------------------ bad base64 */

static void
test_bad_base64_line (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
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
test_bad_base64_stream (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
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
      ft_assert_strv_equal (names, none, "LIST after a bad streamed upload");
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
    ft_assert_strv_equal (names, none, "LIST after a bad unnamed streamed upload");
  }
  ft_assert_no_hidden (root, NULL, "after bad streamed base64");
  {
    g_auto(GStrv) entries = ft_dir_entries (root);
    ft_assert_strv_equal (entries, none, "entries in the root");
  }
}

/* ------------------------------------------------------------ cut off */

static void
check_cut_off (FtServerFixture *f, const char *name)
{
  g_autoptr(FtConn) conn = NULL;
  g_auto(GStrv) names = NULL;
  const char * const none[] = { NULL };

  ft_assert_no_hidden (f->srv->root, NULL, "after an upload cut off");
  ft_check (!ft_exists (f->srv->root, name), "an upload cut off left %s", name);
  conn = ft_conn_new (f->srv->port);
  names = ft_list (conn);
  ft_assert_strv_equal (names, none, "LIST after an upload cut off");
  if (g_str_equal (f->mode, "process"))
    {
      g_autoptr(JsonNode) s = ft_stats (conn);
      g_assert_cmpint (ft_stat (s, "worker_restarts"), ==, 0);
    }
}

static void
test_cutoff_stream (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
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
test_cutoff_line (FtServerFixture *f, gconstpointer data G_GNUC_UNUSED)
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

/* ------------------------------------------------------------ main */

int
main (int argc, char **argv)
{
  static const FtServerCase cases[] = {
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
  };

  return ft_server_cases_run (&argc, &argv, cases, G_N_ELEMENTS (cases));
}
