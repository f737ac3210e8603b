/* test-client.c: end-to-end tests of filestorm-client, the real program
 * run as a subprocess against the real filestorm-server (thread mode,
 * pool 3, and process mode for one case): every command and its output.
 * Failures, usage and the one-line error messages are in
 * test-client-failures.c; what both use in client-run.c. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client-run.h"

/* ------------------------------------------------------------ upload */

static void
test_upload_basename (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = fc_work_dir ("up");
  g_autofree char *path = g_build_filename (dir, "photo.bin", NULL);
  g_autoptr(GBytes) content = ft_content_bytes (1, 300 * 1024 + 7);
  g_autoptr(FtRun) run = NULL;

  fc_write_local (dir, "photo.bin", content);
  run = fc_run (srv->port, NULL, "upload", path, NULL);
  fc_assert_exit (run, 0);
  fc_assert_stdout_is (run, "photo.bin\n");
  fc_assert_stderr_empty (run);
  ft_assert_file_is (srv->root, "photo.bin", content);
  {
    const char *want[] = { "photo.bin", NULL };
    fc_assert_entries (srv->root, want);
  }

  /* Options after the command, and the =VALUE form: replaces the file. */
  {
    g_autoptr(GBytes) other = ft_content_bytes (2, 1000);
    g_autoptr(FtRun) again = NULL;
    g_autofree char *port = g_strdup_printf ("--port=%u", srv->port);

    fc_write_local (dir, "photo.bin", other);
    again = fc_run_bare ("upload", path, port, "--host=127.0.0.1", NULL);
    fc_assert_exit (again, 0);
    fc_assert_stdout_is (again, "photo.bin\n");
    fc_assert_stderr_empty (again);
    ft_assert_file_is (srv->root, "photo.bin", other);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

static void
test_upload_name_spaces (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = fc_work_dir ("up");
  g_autofree char *path = g_build_filename (dir, "local.dat", NULL);
  g_autoptr(GBytes) content = ft_content_bytes (3, 200 * 1024);
  g_autoptr(FtRun) run = NULL;
  g_autoptr(FtRun) list = NULL;

  fc_write_local (dir, "local.dat", content);
  run = fc_run (srv->port, NULL, "upload", path, "--name", "a b.bin", NULL);
  fc_assert_exit (run, 0);
  fc_assert_stdout_is (run, "a b.bin\n");
  fc_assert_stderr_empty (run);
  ft_assert_file_is (srv->root, "a b.bin", content);
  ft_check (!ft_exists (srv->root, "local.dat"), "the file was stored under its own name too");

  list = fc_run (srv->port, NULL, "list", NULL);
  fc_assert_exit (list, 0);
  fc_assert_stdout_is (list, "a b.bin\n");
  ft_server_stop (g_steal_pointer (&srv));
}

/* upload /dev/stdin --name: any readable file will do. */
static void
test_upload_stdin (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = fc_work_dir ("up");
  g_autofree char *path = g_build_filename (dir, "piped", NULL);
  g_autoptr(GBytes) content = ft_content_bytes (4, 100 * 1024 + 1);
  g_autoptr(FtRun) run = NULL;

  fc_write_local (dir, "piped", content);
  run = fc_run_stdin (srv->port, path, "upload", "/dev/stdin", "-n", "piped.tar", NULL);
  fc_assert_exit (run, 0);
  fc_assert_stdout_is (run, "piped.tar\n");
  fc_assert_stderr_empty (run);
  ft_assert_file_is (srv->root, "piped.tar", content);
  ft_server_stop (g_steal_pointer (&srv));
}

/* -- ends the options: a local file whose name begins with a dash. */
static void
test_upload_dash (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = fc_work_dir ("up");
  g_autoptr(GBytes) content = ft_content_bytes (5, 4096);
  g_autoptr(FtRun) up = NULL;
  g_autoptr(FtRun) get = NULL;

  fc_write_local (dir, "-dash.bin", content);
  up = fc_run (srv->port, dir, "upload", "--", "-dash.bin", NULL);
  fc_assert_exit (up, 0);
  fc_assert_stdout_is (up, "-dash.bin\n");
  ft_assert_file_is (srv->root, "-dash.bin", content);

  get = fc_run (srv->port, dir, "get", "-o", "copy.bin", "--", "-dash.bin", NULL);
  fc_assert_exit (get, 0);
  fc_assert_stdout_empty (get);
  ft_assert_file_is (dir, "copy.bin", content);
  ft_server_stop (g_steal_pointer (&srv));
}

/* A name the server refuses (starts with a dot): exit 1, nothing stored. */
static void
test_upload_bad_name (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = fc_work_dir ("up");
  g_autofree char *path = g_build_filename (dir, "x.bin", NULL);
  g_autoptr(GBytes) content = ft_content_bytes (6, 1000);
  g_autoptr(FtRun) run = NULL;
  g_autofree char *msg = NULL;
  g_autofree char *left = NULL;

  fc_write_local (dir, "x.bin", content);
  run = fc_run (srv->port, NULL, "upload", path, "--name", ".hidden", NULL);
  fc_assert_exit (run, 1);
  msg = fc_assert_one_error_line (run);
  ft_note ("refused: %s", msg);
  ft_check (ft_wait_no_hidden (srv->root, NULL, 5, &left), "%s left in the root", left);
  {
    const char *want[] = { NULL };
    fc_assert_entries (srv->root, want);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

static void
test_upload_missing_local (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = fc_work_dir ("up");
  g_autofree char *path = g_build_filename (dir, "no-such-file.bin", NULL);
  g_autoptr(FtRun) run = fc_run (srv->port, NULL, "upload", path, NULL);
  g_autofree char *msg = NULL;

  fc_assert_exit (run, 3);
  msg = fc_assert_one_error_line (run);
  ft_check (strstr (msg, path) != NULL, "message \"%s\" does not name %s", msg, path);
  {
    const char *want[] = { NULL };
    fc_assert_entries (srv->root, want);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ list */

static void
test_list (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autoptr(FtRun) empty = fc_run (srv->port, NULL, "list", NULL);
  g_autoptr(FtRun) run = NULL;
  const char *names[] = { "zeta.txt", "beta b.txt", "_x", "Alpha.bin", "b", NULL };

  fc_assert_exit (empty, 0);
  fc_assert_stdout_empty (empty);
  fc_assert_stderr_empty (empty);

  for (gsize i = 0; names[i] != NULL; i++)
    g_bytes_unref (fc_put_on_server (srv, names[i], 10 + i, 10 * i + 1));
  run = fc_run (srv->port, NULL, "list", NULL);
  fc_assert_exit (run, 0);
  /* bytewise: 'A' < '_' < 'b' ("b" before "beta b.txt") < 'z' */
  fc_assert_stdout_is (run, "Alpha.bin\n_x\nb\nbeta b.txt\nzeta.txt\n");
  fc_assert_stderr_empty (run);
  {
    /* --timeout 0: no limit, the same answer */
    g_autoptr(FtRun) run0 = fc_run (srv->port, NULL, "--timeout", "0", "list", NULL);
    fc_assert_exit (run0, 0);
    fc_assert_stdout_is (run0, "Alpha.bin\n_x\nb\nbeta b.txt\nzeta.txt\n");
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ get */

static void
test_get_file (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = fc_work_dir ("get");
  g_autofree char *out = g_build_filename (dir, "out.bin", NULL);
  g_autoptr(GBytes) content = fc_put_on_server (srv, "data.bin", 20, 123457);
  g_autoptr(FtRun) run = fc_run (srv->port, NULL, "get", "data.bin", "-o", out, NULL);

  fc_assert_exit (run, 0);
  fc_assert_stdout_empty (run);
  fc_assert_stderr_empty (run);
  ft_assert_file_is (dir, "out.bin", content);
  {
    const char *want[] = { "out.bin", NULL };
    fc_assert_entries (dir, want);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* An existing FILE is replaced in one step by a new file of mode 0644
 * less the umask; a symbolic link named FILE is replaced, not followed. */
static void
test_get_replace (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = fc_work_dir ("get");
  g_autofree char *out = g_build_filename (dir, "out.bin", NULL);
  g_autofree char *link = g_build_filename (dir, "link.bin", NULL);
  g_autofree char *target = g_build_filename (dir, "target.bin", NULL);
  g_autoptr(GBytes) content = fc_put_on_server (srv, "data.bin", 21, 5000);
  g_autoptr(GBytes) old = ft_content_bytes (22, 99999);
  g_autoptr(FtRun) run = NULL;
  g_autoptr(FtRun) run2 = NULL;
  struct stat st;
  mode_t mask = umask (0022);

  umask (mask);
  fc_write_local (dir, "out.bin", old);
  g_assert_cmpint (chmod (out, 0600), ==, 0);
  run = fc_run (srv->port, NULL, "get", "data.bin", "--output", out, NULL);
  fc_assert_exit (run, 0);
  ft_assert_file_is (dir, "out.bin", content);
  g_assert_cmpint (stat (out, &st), ==, 0);
  ft_check ((st.st_mode & 07777) == (0644 & ~mask), "mode %o, expected %o",
            (unsigned) (st.st_mode & 07777), (unsigned) (0644 & ~mask));

  fc_write_local (dir, "target.bin", old);
  g_assert_cmpint (symlink (target, link), ==, 0);
  run2 = fc_run (srv->port, NULL, "get", "data.bin", "-o", link, NULL);
  fc_assert_exit (run2, 0);
  g_assert_cmpint (lstat (link, &st), ==, 0);
  ft_check (S_ISREG (st.st_mode), "%s is still a symbolic link", link);
  ft_assert_file_is (dir, "link.bin", content);
  ft_assert_file_is (dir, "target.bin", old);
  {
    const char *want[] = { "link.bin", "out.bin", "target.bin", NULL };
    fc_assert_entries (dir, want);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* 8 MiB both ways: upload from a file, get to a file and to stdout. */
static void
test_large (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = fc_work_dir ("big");
  g_autofree char *src = g_build_filename (dir, "big.bin", NULL);
  g_autofree char *out = g_build_filename (dir, "copy.bin", NULL);
  g_autoptr(GBytes) content = ft_content_bytes (30, 8 * MiB);
  g_autoptr(FtRun) up = NULL;
  g_autoptr(FtRun) get = NULL;
  g_autoptr(FtRun) cat = NULL;
  const char *want = NULL;
  const char *got = NULL;
  gsize want_len = 0, got_len = 0;

  fc_write_local (dir, "big.bin", content);
  up = fc_run (srv->port, NULL, "upload", src, NULL);
  fc_assert_exit (up, 0);
  fc_assert_stdout_is (up, "big.bin\n");
  ft_assert_file_is (srv->root, "big.bin", content);

  get = fc_run (srv->port, NULL, "get", "big.bin", "-o", out, NULL);
  fc_assert_exit (get, 0);
  fc_assert_stderr_empty (get);
  ft_assert_file_is (dir, "copy.bin", content);

  cat = fc_run (srv->port, NULL, "get", "big.bin", "-o", "-", NULL);
  fc_assert_exit (cat, 0);
  fc_assert_stderr_empty (cat);
  want = g_bytes_get_data (content, &want_len);
  got = fc_run_stdout (cat, &got_len);
  ft_assert_same_bytes ((const guint8 *) got, got_len, (const guint8 *) want, want_len);
  {
    const char *entries[] = { "big.bin", "copy.bin", NULL };
    fc_assert_entries (dir, entries);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* --raw: the same round trip over UPLOADRAW and GETRAW, in the process
 * mode, with a size that is not a multiple of any buffer; a missing file
 * is the server's ERROR (exit 1) and leaves the output as it was. */
static void
test_raw (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("process", POOL, NULL);
  g_autofree char *dir = fc_work_dir ("raw");
  g_autofree char *src = g_build_filename (dir, "raw.bin", NULL);
  g_autofree char *out = g_build_filename (dir, "copy.bin", NULL);
  g_autoptr(GBytes) content = ft_content_bytes (31, 3 * MiB + 17);
  g_autoptr(FtRun) up = NULL;
  g_autoptr(FtRun) get = NULL;
  g_autoptr(FtRun) missing = NULL;
  g_autoptr(FtRun) dev = NULL;

  fc_write_local (dir, "raw.bin", content);
  up = fc_run (srv->port, NULL, "upload", "--raw", src, "--name", "stored.bin", NULL);
  fc_assert_exit (up, 0);
  fc_assert_stdout_is (up, "stored.bin\n");
  ft_assert_file_is (srv->root, "stored.bin", content);

  get = fc_run (srv->port, NULL, "get", "--raw", "stored.bin", "-o", out, NULL);
  fc_assert_exit (get, 0);
  fc_assert_stderr_empty (get);
  ft_assert_file_is (dir, "copy.bin", content);

  missing = fc_run (srv->port, NULL, "get", "-r", "nope.bin", "-o", out, NULL);
  fc_assert_exit (missing, 1);
  ft_assert_file_is (dir, "copy.bin", content);

  /* The size goes on the request line: only a regular file has one. */
  dev = fc_run (srv->port, NULL, "upload", "--raw", "/dev/null", NULL);
  fc_assert_exit (dev, 2);
  {
    const char *entries[] = { "copy.bin", "raw.bin", NULL };
    fc_assert_entries (dir, entries);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

static void
test_get_stdout (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = fc_work_dir ("get");
  g_autoptr(GBytes) content = fc_put_on_server (srv, "s.bin", 31, 70001);
  g_autoptr(GBytes) nothing = fc_put_on_server (srv, "empty.bin", 32, 0);
  g_autoptr(FtRun) run = fc_run (srv->port, dir, "get", "s.bin", "-o", "-", NULL);
  g_autoptr(FtRun) run0 = NULL;
  const char *got;
  gsize got_len = 0, want_len = 0;
  const guint8 *want = g_bytes_get_data (content, &want_len);

  fc_assert_exit (run, 0);
  fc_assert_stderr_empty (run);
  got = fc_run_stdout (run, &got_len);
  ft_assert_same_bytes ((const guint8 *) got, got_len, want, want_len);

  run0 = fc_run (srv->port, dir, "get", "empty.bin", "-o", "-", NULL);
  fc_assert_exit (run0, 0);
  fc_assert_stdout_empty (run0);
  fc_assert_stderr_empty (run0);
  {
    const char *entries[] = { NULL };
    fc_assert_entries (dir, entries);  /* nothing written into the cwd */
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* Without --output: ./NAME in the current directory (an empty file too). */
static void
test_get_default_output (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = fc_work_dir ("get");
  g_autoptr(GBytes) content = fc_put_on_server (srv, "here.bin", 33, 65536 + 3);
  g_autoptr(GBytes) nothing = fc_put_on_server (srv, "empty.bin", 34, 0);
  g_autoptr(FtRun) run = fc_run (srv->port, dir, "get", "here.bin", NULL);
  g_autoptr(FtRun) run0 = NULL;

  fc_assert_exit (run, 0);
  fc_assert_stdout_empty (run);
  fc_assert_stderr_empty (run);
  ft_assert_file_is (dir, "here.bin", content);

  run0 = fc_run (srv->port, dir, "get", "empty.bin", NULL);
  fc_assert_exit (run0, 0);
  ft_assert_file_is (dir, "empty.bin", nothing);
  {
    const char *want[] = { "empty.bin", "here.bin", NULL };
    fc_assert_entries (dir, want);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* A missing file: exit 1 with the server's message, and no output file,
 * no temporary file, an existing FILE untouched. */
static void
test_get_missing (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = fc_work_dir ("get");
  g_autofree char *out = g_build_filename (dir, "out.bin", NULL);
  g_autofree char *keep = g_build_filename (dir, "keep.bin", NULL);
  g_autoptr(GBytes) old = ft_content_bytes (40, 777);
  g_autoptr(FtRun) run = fc_run (srv->port, NULL, "get", "nosuch.bin", "-o", out, NULL);
  g_autoptr(FtRun) run2 = NULL;
  g_autoptr(FtRun) run3 = NULL;
  g_autofree char *msg = NULL;
  g_autofree char *msg2 = NULL;

  fc_assert_exit (run, 1);
  msg = fc_assert_one_error_line (run);
  g_assert_cmpstr (msg, ==, "file not found: nosuch.bin");
  {
    const char *want[] = { NULL };
    fc_assert_entries (dir, want);
  }

  /* Default output in the cwd: nothing created either. */
  run2 = fc_run (srv->port, dir, "get", "nosuch.bin", NULL);
  fc_assert_exit (run2, 1);
  msg2 = fc_assert_one_error_line (run2);
  g_assert_cmpstr (msg2, ==, "file not found: nosuch.bin");
  {
    const char *want[] = { NULL };
    fc_assert_entries (dir, want);
  }

  /* An existing FILE is left as it was. */
  fc_write_local (dir, "keep.bin", old);
  run3 = fc_run (srv->port, NULL, "get", "nosuch.bin", "-o", keep, NULL);
  fc_assert_exit (run3, 1);
  g_free (fc_assert_one_error_line (run3));
  ft_assert_file_is (dir, "keep.bin", old);
  {
    const char *want[] = { "keep.bin", NULL };
    fc_assert_entries (dir, want);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* Output into a directory that does not exist, or onto a directory. */
static void
test_get_bad_output (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = fc_work_dir ("get");
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "out.bin", NULL);
  g_autofree char *sub = g_build_filename (dir, "sub", NULL);
  g_autoptr(GBytes) content = fc_put_on_server (srv, "d.bin", 41, 4000);
  g_autoptr(FtRun) run = fc_run (srv->port, NULL, "get", "d.bin", "-o", missing, NULL);
  g_autoptr(FtRun) run2 = NULL;
  struct stat st;

  fc_assert_exit (run, 3);
  g_free (fc_assert_one_error_line (run));
  {
    const char *want[] = { NULL };
    fc_assert_entries (dir, want);
  }

  g_assert_cmpint (mkdir (sub, 0755), ==, 0);
  run2 = fc_run (srv->port, NULL, "get", "d.bin", "-o", sub, NULL);
  fc_assert_exit (run2, 3);
  g_free (fc_assert_one_error_line (run2));
  g_assert_cmpint (lstat (sub, &st), ==, 0);
  ft_check (S_ISDIR (st.st_mode), "%s is no longer a directory", sub);
  {
    const char *want[] = { "sub", NULL };
    g_auto(GStrv) inside = ft_dir_entries (sub);
    fc_assert_entries (dir, want);
    ft_check (inside[0] == NULL, "%s is not empty any more", sub);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ delete */

static void
test_delete (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autoptr(GBytes) a = fc_put_on_server (srv, "a.bin", 50, 100);
  g_autoptr(GBytes) b = fc_put_on_server (srv, "b c.bin", 51, 100);
  g_autoptr(FtRun) run = fc_run (srv->port, NULL, "delete", "a.bin", NULL);
  g_autoptr(FtRun) run2 = NULL;
  g_autoptr(FtRun) list = NULL;

  fc_assert_exit (run, 0);
  fc_assert_stdout_empty (run);
  fc_assert_stderr_empty (run);
  ft_check (!ft_exists (srv->root, "a.bin"), "a.bin still in the root");
  run2 = fc_run (srv->port, NULL, "delete", "b c.bin", NULL);
  fc_assert_exit (run2, 0);
  ft_check (!ft_exists (srv->root, "b c.bin"), "\"b c.bin\" still in the root");
  list = fc_run (srv->port, NULL, "list", NULL);
  fc_assert_exit (list, 0);
  fc_assert_stdout_empty (list);
  ft_server_stop (g_steal_pointer (&srv));
}

static void
test_delete_missing (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autoptr(GBytes) a = fc_put_on_server (srv, "a.bin", 52, 100);
  g_autoptr(FtRun) run = fc_run (srv->port, NULL, "delete", "nosuch.bin", NULL);
  g_autofree char *msg = NULL;

  fc_assert_exit (run, 1);
  msg = fc_assert_one_error_line (run);
  ft_check (strstr (msg, "nosuch.bin") != NULL, "message \"%s\" does not name the file", msg);
  ft_assert_file_is (srv->root, "a.bin", a);
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ stats */

static void
check_stats_output (FtRun *run, const char *mode, guint pool)
{
  static const char * const counters[] = {
    "connections", "requests", "requests_ok", "requests_failed", "workers_ok",
    "workers_failed", "worker_restarts", "bytes_in", "bytes_out", NULL
  };
  g_autofree char *out = ft_run_stdout_text (run);
  g_autofree char *shown = ft_preview (out, strlen (out));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o;
  JsonNode *n;

  json_parser_load_from_data (parser, out, -1, &error);
  ft_check (error == NULL, "stats output is not JSON (%s): \"%s\"",
            error ? error->message : "", shown);
  ft_check (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)),
            "stats output is not a JSON object: \"%s\"", shown);
  ft_check (g_str_has_suffix (out, "}\n"), "stats output does not end in \"}\\n\": \"%s\"", shown);
  ft_check (strchr (out, '\n') < out + strlen (out) - 1, "stats output is not indented: \"%s\"",
            shown);
  o = json_node_get_object (json_parser_get_root (parser));
  n = json_object_get_member (o, "mode");
  ft_check (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
            && strcmp (json_node_get_string (n), mode) == 0, "stats: mode is not \"%s\": %s",
            mode, shown);
  n = json_object_get_member (o, "pool");
  ft_check (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64
            && json_node_get_int (n) == pool, "stats: pool is not %u: %s", pool, shown);
  n = json_object_get_member (o, "uptime_s");
  ft_check (n != NULL && JSON_NODE_HOLDS_VALUE (n) &&
            (json_node_get_value_type (n) == G_TYPE_INT64 ||
             json_node_get_value_type (n) == G_TYPE_DOUBLE) && json_node_get_double (n) >= 0,
            "stats: bad uptime_s: %s", shown);
  for (gsize i = 0; counters[i] != NULL; i++)
    {
      n = json_object_get_member (o, counters[i]);
      ft_check (n != NULL && JSON_NODE_HOLDS_VALUE (n) &&
                json_node_get_value_type (n) == G_TYPE_INT64 && json_node_get_int (n) >= 0,
                "stats: %s is not a count: %s", counters[i], shown);
    }
  /* This very connection's STATS is being counted. */
  ft_check (json_object_get_int_member (o, "connections") >= 1 &&
            json_object_get_int_member (o, "requests") >= 1,
            "stats: connections/requests not counted: %s", shown);
}

static void
test_stats (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autoptr(FtRun) run = fc_run (srv->port, NULL, "stats", NULL);

  fc_assert_exit (run, 0);
  fc_assert_stderr_empty (run);
  check_stats_output (run, "thread", POOL);
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ process mode */

static void
test_process_server (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("process", POOL, NULL);
  g_autofree char *dir = fc_work_dir ("proc");
  g_autofree char *src = g_build_filename (dir, "p.bin", NULL);
  g_autofree char *out = g_build_filename (dir, "back.bin", NULL);
  g_autoptr(GBytes) content = ft_content_bytes (60, 2 * MiB + 5);
  g_autoptr(FtRun) up = NULL;
  g_autoptr(FtRun) list = NULL;
  g_autoptr(FtRun) get = NULL;
  g_autoptr(FtRun) del = NULL;
  g_autoptr(FtRun) miss = NULL;
  g_autoptr(FtRun) stats = NULL;
  g_autofree char *msg = NULL;

  fc_write_local (dir, "p.bin", content);
  up = fc_run (srv->port, NULL, "upload", src, "--name", "q r.bin", NULL);
  fc_assert_exit (up, 0);
  fc_assert_stdout_is (up, "q r.bin\n");
  ft_assert_file_is (srv->root, "q r.bin", content);

  list = fc_run (srv->port, NULL, "list", NULL);
  fc_assert_exit (list, 0);
  fc_assert_stdout_is (list, "q r.bin\n");

  get = fc_run (srv->port, NULL, "get", "q r.bin", "-o", out, NULL);
  fc_assert_exit (get, 0);
  ft_assert_file_is (dir, "back.bin", content);

  del = fc_run (srv->port, NULL, "delete", "q r.bin", NULL);
  fc_assert_exit (del, 0);
  ft_check (!ft_exists (srv->root, "q r.bin"), "deleted file still in the root");

  miss = fc_run (srv->port, dir, "get", "q r.bin", NULL);
  fc_assert_exit (miss, 1);
  msg = fc_assert_one_error_line (miss);
  g_assert_cmpstr (msg, ==, "file not found: q r.bin");

  stats = fc_run (srv->port, NULL, "stats", NULL);
  fc_assert_exit (stats, 0);
  check_stats_output (stats, "process", POOL);
  ft_server_stop (g_steal_pointer (&srv));
}

int
main (int argc, char **argv)
{
  ft_init ();
  g_test_init (&argc, &argv, NULL);

  ft_test_add ("/client/upload/basename", test_upload_basename, NULL);
  ft_test_add ("/client/upload/name-spaces", test_upload_name_spaces, NULL);
  ft_test_add ("/client/upload/stdin", test_upload_stdin, NULL);
  ft_test_add ("/client/upload/dash", test_upload_dash, NULL);
  ft_test_add ("/client/upload/bad-name", test_upload_bad_name, NULL);
  ft_test_add ("/client/upload/missing-local", test_upload_missing_local, NULL);
  ft_test_add ("/client/list/sorted", test_list, NULL);
  ft_test_add ("/client/get/file", test_get_file, NULL);
  ft_test_add ("/client/get/replace", test_get_replace, NULL);
  ft_test_add ("/client/get/stdout", test_get_stdout, NULL);
  ft_test_add ("/client/get/default-output", test_get_default_output, NULL);
  ft_test_add ("/client/get/missing", test_get_missing, NULL);
  ft_test_add ("/client/get/bad-output", test_get_bad_output, NULL);
  ft_test_add ("/client/get/large", test_large, NULL);
  ft_test_add ("/client/raw", test_raw, NULL);
  ft_test_add ("/client/delete/existing", test_delete, NULL);
  ft_test_add ("/client/delete/missing", test_delete_missing, NULL);
  ft_test_add ("/client/stats", test_stats, NULL);
  ft_test_add ("/client/process-server", test_process_server, NULL);
  return g_test_run ();
}
