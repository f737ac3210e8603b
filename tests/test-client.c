/* test-client.c: end-to-end tests of filestorm-client, the real program
 * run as a subprocess against the real filestorm-server (thread mode,
 * pool 3, and process mode for one case): every command, its output, its
 * exit status and its one-line error messages. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostile-server.h"
#include "testutil.h"

#define POOL 3
#define MiB (1024 * 1024)
#define RUN_TIMEOUT 30.0   /* seconds for any one run of the client */
#define PREFIX "filestorm-client: "

/* ------------------------------------------------------------ programs */

/* The client binary: $FILESTORM_CLIENT, else ../src/filestorm-client next
 * to the directory of this test program (like ft_server_path()). */
static const char *
client_path (void)
{
  static char *path;

  if (path == NULL)
    path = ft_program_path ("FILESTORM_CLIENT", "filestorm-client");
  return path;
}

static FtRun *
run_argv (const char *cwd, const char *stdin_path, double timeout, const char * const *argv)
{
  FtRun *run = ft_run_start (cwd, stdin_path, NULL, argv);

  ft_run_wait (run, timeout);
  return run;
}

static const char *
run_stdout (FtRun *run, gsize *len)
{
  return g_bytes_get_data (run->out, len);
}

static void
assert_stderr_empty (FtRun *run)
{
  g_autofree char *err = ft_run_stderr_text (run);
  g_autofree char *shown = ft_preview (err, strlen (err));

  ft_check (err[0] == '\0', "%s: unexpected stderr \"%s\"", run->cmd, shown);
}

/* Asserts the run exited (not killed by a signal) with status want, and,
 * for 0, that it wrote nothing on stderr. */
static void
assert_exit (FtRun *run, int want)
{
  ft_run_assert_exit (run, want);
  /* stderr carries failures only */
  if (want == 0)
    assert_stderr_empty (run);
}

static void
assert_stdout_empty (FtRun *run)
{
  g_autofree char *out = ft_run_stdout_text (run);
  g_autofree char *shown = ft_preview (out, strlen (out));

  ft_check (out[0] == '\0', "%s: unexpected stdout \"%s\"", run->cmd, shown);
}

static void
assert_stdout_is (FtRun *run, const char *want)
{
  g_autofree char *out = ft_run_stdout_text (run);
  g_autofree char *shown = ft_preview (out, strlen (out));
  g_autofree char *wanted = ft_preview (want, strlen (want));

  ft_check (strcmp (out, want) == 0, "%s: stdout \"%s\", expected \"%s\"", run->cmd, shown,
            wanted);
}

/* Exactly one line on stderr, "filestorm-client: MESSAGE\n" with a
 * non-empty message; returns the message (owned). Nothing on stdout. */
static char *
assert_one_error_line (FtRun *run)
{
  g_autofree char *err = ft_run_stderr_text (run);
  g_autofree char *shown = ft_preview (err, strlen (err));
  const char *nl = strchr (err, '\n');

  ft_check (g_str_has_prefix (err, PREFIX), "%s: stderr \"%s\" does not start with \"%s\"",
            run->cmd, shown, PREFIX);
  ft_check (nl != NULL && nl[1] == '\0', "%s: stderr \"%s\" is not exactly one line",
            run->cmd, shown);
  ft_check (nl - err > (gssize) strlen (PREFIX), "%s: empty message on stderr", run->cmd);
  assert_stdout_empty (run);
  return g_strndup (err + strlen (PREFIX), (gsize) (nl - err) - strlen (PREFIX));
}

/* Runs the client with --host 127.0.0.1 --port PORT and the NULL-terminated
 * arguments, in cwd (nullable), waiting at most RUN_TIMEOUT. */
static FtRun *
client_run_v (guint16 port, const char *cwd, const char *stdin_path, va_list ap)
{
  FtRun *run = ft_run_start_port_v (client_path (), port, cwd, stdin_path, ap);

  ft_run_wait (run, RUN_TIMEOUT);
  return run;
}

static FtRun *client_run (guint16 port, const char *cwd, ...) G_GNUC_NULL_TERMINATED;

static FtRun *
client_run (guint16 port, const char *cwd, ...)
{
  va_list ap;
  FtRun *run;

  va_start (ap, cwd);
  run = client_run_v (port, cwd, NULL, ap);
  va_end (ap);
  return run;
}

static FtRun *client_run_stdin (guint16 port, const char *stdin_path, ...) G_GNUC_NULL_TERMINATED;

static FtRun *
client_run_stdin (guint16 port, const char *stdin_path, ...)
{
  va_list ap;
  FtRun *run;

  va_start (ap, stdin_path);
  run = client_run_v (port, NULL, stdin_path, ap);
  va_end (ap);
  return run;
}

/* The client with exactly these arguments (no --host/--port added). */
static FtRun *client_run_bare (const char *first, ...) G_GNUC_NULL_TERMINATED;

static FtRun *
client_run_bare (const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  g_ptr_array_add (argv, (char *) client_path ());
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  return run_argv (NULL, NULL, RUN_TIMEOUT, (const char * const *) argv->pdata);
}

/* ------------------------------------------------------------ helpers */

/* A fresh local working directory for the case (owned path). */
static char *
work_dir (const char *name)
{
  const char *scratch = g_getenv ("FT_SCRATCH");
  g_autofree char *tmpl = NULL;
  char *dir;

  if (scratch != NULL)
    tmpl = g_strdup_printf ("%s/%s-XXXXXX", scratch, name);
  else
    tmpl = g_build_filename (g_get_tmp_dir (), "filestorm-client-XXXXXX", NULL);
  dir = g_mkdtemp (tmpl);
  g_assert_nonnull (dir);
  return g_steal_pointer (&tmpl);
}

/* Asserts dir's entries are exactly want (NULL-terminated, sorted). */
static void
assert_entries (const char *dir, const char * const *want)
{
  g_auto(GStrv) got = ft_dir_entries (dir);
  g_autofree char *got_text = g_strjoinv (" | ", got);
  g_autofree char *want_text = g_strjoinv (" | ", (char **) want);

  ft_check (g_strv_equal ((const char * const *) got, want),
            "%s holds [%s], expected [%s]", dir, got_text, want_text);
}

static GBytes *
put_on_server (FtServer *srv, const char *name, guint64 seed, gsize len)
{
  GBytes *content = ft_content_bytes (seed, len);
  gsize n = 0;
  const void *data = g_bytes_get_data (content, &n);

  ft_write_file (srv->root, name, data, n);
  return content;
}

/* ft_write_file() does not truncate an existing longer file here (GLib's
 * g_file_set_contents_full() without CONSISTENT writes in place), so the
 * old file goes first. */
static void
write_local (const char *dir, const char *name, GBytes *content)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gsize n = 0;
  const void *data = g_bytes_get_data (content, &n);

  unlink (path);
  ft_write_file (dir, name, data, n);
}

/* ------------------------------------------------------------ upload */

static void
test_upload_basename (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = work_dir ("up");
  g_autofree char *path = g_build_filename (dir, "photo.bin", NULL);
  g_autoptr(GBytes) content = ft_content_bytes (1, 300 * 1024 + 7);
  g_autoptr(FtRun) run = NULL;

  write_local (dir, "photo.bin", content);
  run = client_run (srv->port, NULL, "upload", path, NULL);
  assert_exit (run, 0);
  assert_stdout_is (run, "photo.bin\n");
  assert_stderr_empty (run);
  ft_assert_file_is (srv->root, "photo.bin", content);
  {
    const char *want[] = { "photo.bin", NULL };
    assert_entries (srv->root, want);
  }

  /* Options after the command, and the =VALUE form: replaces the file. */
  {
    g_autoptr(GBytes) other = ft_content_bytes (2, 1000);
    g_autoptr(FtRun) again = NULL;
    g_autofree char *port = g_strdup_printf ("--port=%u", srv->port);

    write_local (dir, "photo.bin", other);
    again = client_run_bare ("upload", path, port, "--host=127.0.0.1", NULL);
    assert_exit (again, 0);
    assert_stdout_is (again, "photo.bin\n");
    assert_stderr_empty (again);
    ft_assert_file_is (srv->root, "photo.bin", other);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

static void
test_upload_name_spaces (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = work_dir ("up");
  g_autofree char *path = g_build_filename (dir, "local.dat", NULL);
  g_autoptr(GBytes) content = ft_content_bytes (3, 200 * 1024);
  g_autoptr(FtRun) run = NULL;
  g_autoptr(FtRun) list = NULL;

  write_local (dir, "local.dat", content);
  run = client_run (srv->port, NULL, "upload", path, "--name", "a b.bin", NULL);
  assert_exit (run, 0);
  assert_stdout_is (run, "a b.bin\n");
  assert_stderr_empty (run);
  ft_assert_file_is (srv->root, "a b.bin", content);
  ft_check (!ft_exists (srv->root, "local.dat"), "the file was stored under its own name too");

  list = client_run (srv->port, NULL, "list", NULL);
  assert_exit (list, 0);
  assert_stdout_is (list, "a b.bin\n");
  ft_server_stop (g_steal_pointer (&srv));
}

/* upload /dev/stdin --name: any readable file will do. */
static void
test_upload_stdin (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = work_dir ("up");
  g_autofree char *path = g_build_filename (dir, "piped", NULL);
  g_autoptr(GBytes) content = ft_content_bytes (4, 100 * 1024 + 1);
  g_autoptr(FtRun) run = NULL;

  write_local (dir, "piped", content);
  run = client_run_stdin (srv->port, path, "upload", "/dev/stdin", "-n", "piped.tar", NULL);
  assert_exit (run, 0);
  assert_stdout_is (run, "piped.tar\n");
  assert_stderr_empty (run);
  ft_assert_file_is (srv->root, "piped.tar", content);
  ft_server_stop (g_steal_pointer (&srv));
}

/* -- ends the options: a local file whose name begins with a dash. */
static void
test_upload_dash (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = work_dir ("up");
  g_autoptr(GBytes) content = ft_content_bytes (5, 4096);
  g_autoptr(FtRun) up = NULL;
  g_autoptr(FtRun) get = NULL;

  write_local (dir, "-dash.bin", content);
  up = client_run (srv->port, dir, "upload", "--", "-dash.bin", NULL);
  assert_exit (up, 0);
  assert_stdout_is (up, "-dash.bin\n");
  ft_assert_file_is (srv->root, "-dash.bin", content);

  get = client_run (srv->port, dir, "get", "-o", "copy.bin", "--", "-dash.bin", NULL);
  assert_exit (get, 0);
  assert_stdout_empty (get);
  ft_assert_file_is (dir, "copy.bin", content);
  ft_server_stop (g_steal_pointer (&srv));
}

/* A name the server refuses (starts with a dot): exit 1, nothing stored. */
static void
test_upload_bad_name (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = work_dir ("up");
  g_autofree char *path = g_build_filename (dir, "x.bin", NULL);
  g_autoptr(GBytes) content = ft_content_bytes (6, 1000);
  g_autoptr(FtRun) run = NULL;
  g_autofree char *msg = NULL;
  g_autofree char *left = NULL;

  write_local (dir, "x.bin", content);
  run = client_run (srv->port, NULL, "upload", path, "--name", ".hidden", NULL);
  assert_exit (run, 1);
  msg = assert_one_error_line (run);
  ft_note ("refused: %s", msg);
  ft_check (ft_wait_no_hidden (srv->root, NULL, 5, &left), "%s left in the root", left);
  {
    const char *want[] = { NULL };
    assert_entries (srv->root, want);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

static void
test_upload_missing_local (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = work_dir ("up");
  g_autofree char *path = g_build_filename (dir, "no-such-file.bin", NULL);
  g_autoptr(FtRun) run = client_run (srv->port, NULL, "upload", path, NULL);
  g_autofree char *msg = NULL;

  assert_exit (run, 3);
  msg = assert_one_error_line (run);
  ft_check (strstr (msg, path) != NULL, "message \"%s\" does not name %s", msg, path);
  {
    const char *want[] = { NULL };
    assert_entries (srv->root, want);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ list */

static void
test_list (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autoptr(FtRun) empty = client_run (srv->port, NULL, "list", NULL);
  g_autoptr(FtRun) run = NULL;
  const char *names[] = { "zeta.txt", "beta b.txt", "_x", "Alpha.bin", "b", NULL };

  assert_exit (empty, 0);
  assert_stdout_empty (empty);
  assert_stderr_empty (empty);

  for (gsize i = 0; names[i] != NULL; i++)
    g_bytes_unref (put_on_server (srv, names[i], 10 + i, 10 * i + 1));
  run = client_run (srv->port, NULL, "list", NULL);
  assert_exit (run, 0);
  /* bytewise: 'A' < '_' < 'b' ("b" before "beta b.txt") < 'z' */
  assert_stdout_is (run, "Alpha.bin\n_x\nb\nbeta b.txt\nzeta.txt\n");
  assert_stderr_empty (run);
  {
    /* --timeout 0: no limit, the same answer */
    g_autoptr(FtRun) run0 = client_run (srv->port, NULL, "--timeout", "0", "list", NULL);
    assert_exit (run0, 0);
    assert_stdout_is (run0, "Alpha.bin\n_x\nb\nbeta b.txt\nzeta.txt\n");
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ get */

static void
test_get_file (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = work_dir ("get");
  g_autofree char *out = g_build_filename (dir, "out.bin", NULL);
  g_autoptr(GBytes) content = put_on_server (srv, "data.bin", 20, 123457);
  g_autoptr(FtRun) run = client_run (srv->port, NULL, "get", "data.bin", "-o", out, NULL);

  assert_exit (run, 0);
  assert_stdout_empty (run);
  assert_stderr_empty (run);
  ft_assert_file_is (dir, "out.bin", content);
  {
    const char *want[] = { "out.bin", NULL };
    assert_entries (dir, want);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* An existing FILE is replaced in one step by a new file of mode 0644
 * less the umask; a symbolic link named FILE is replaced, not followed. */
static void
test_get_replace (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = work_dir ("get");
  g_autofree char *out = g_build_filename (dir, "out.bin", NULL);
  g_autofree char *link = g_build_filename (dir, "link.bin", NULL);
  g_autofree char *target = g_build_filename (dir, "target.bin", NULL);
  g_autoptr(GBytes) content = put_on_server (srv, "data.bin", 21, 5000);
  g_autoptr(GBytes) old = ft_content_bytes (22, 99999);
  g_autoptr(FtRun) run = NULL;
  g_autoptr(FtRun) run2 = NULL;
  struct stat st;
  mode_t mask = umask (0022);

  umask (mask);
  write_local (dir, "out.bin", old);
  g_assert_cmpint (chmod (out, 0600), ==, 0);
  run = client_run (srv->port, NULL, "get", "data.bin", "--output", out, NULL);
  assert_exit (run, 0);
  ft_assert_file_is (dir, "out.bin", content);
  g_assert_cmpint (stat (out, &st), ==, 0);
  ft_check ((st.st_mode & 07777) == (0644 & ~mask), "mode %o, expected %o",
            (unsigned) (st.st_mode & 07777), (unsigned) (0644 & ~mask));

  write_local (dir, "target.bin", old);
  g_assert_cmpint (symlink (target, link), ==, 0);
  run2 = client_run (srv->port, NULL, "get", "data.bin", "-o", link, NULL);
  assert_exit (run2, 0);
  g_assert_cmpint (lstat (link, &st), ==, 0);
  ft_check (S_ISREG (st.st_mode), "%s is still a symbolic link", link);
  ft_assert_file_is (dir, "link.bin", content);
  ft_assert_file_is (dir, "target.bin", old);
  {
    const char *want[] = { "link.bin", "out.bin", "target.bin", NULL };
    assert_entries (dir, want);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* 8 MiB both ways: upload from a file, get to a file and to stdout. */
static void
test_large (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = work_dir ("big");
  g_autofree char *src = g_build_filename (dir, "big.bin", NULL);
  g_autofree char *out = g_build_filename (dir, "copy.bin", NULL);
  g_autoptr(GBytes) content = ft_content_bytes (30, 8 * MiB);
  g_autoptr(FtRun) up = NULL;
  g_autoptr(FtRun) get = NULL;
  g_autoptr(FtRun) cat = NULL;
  const char *want = NULL;
  const char *got = NULL;
  gsize want_len = 0, got_len = 0;

  write_local (dir, "big.bin", content);
  up = client_run (srv->port, NULL, "upload", src, NULL);
  assert_exit (up, 0);
  assert_stdout_is (up, "big.bin\n");
  ft_assert_file_is (srv->root, "big.bin", content);

  get = client_run (srv->port, NULL, "get", "big.bin", "-o", out, NULL);
  assert_exit (get, 0);
  assert_stderr_empty (get);
  ft_assert_file_is (dir, "copy.bin", content);

  cat = client_run (srv->port, NULL, "get", "big.bin", "-o", "-", NULL);
  assert_exit (cat, 0);
  assert_stderr_empty (cat);
  want = g_bytes_get_data (content, &want_len);
  got = run_stdout (cat, &got_len);
  ft_assert_same_bytes ((const guint8 *) got, got_len, (const guint8 *) want, want_len);
  {
    const char *entries[] = { "big.bin", "copy.bin", NULL };
    assert_entries (dir, entries);
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
  g_autofree char *dir = work_dir ("raw");
  g_autofree char *src = g_build_filename (dir, "raw.bin", NULL);
  g_autofree char *out = g_build_filename (dir, "copy.bin", NULL);
  g_autoptr(GBytes) content = ft_content_bytes (31, 3 * MiB + 17);
  g_autoptr(FtRun) up = NULL;
  g_autoptr(FtRun) get = NULL;
  g_autoptr(FtRun) missing = NULL;
  g_autoptr(FtRun) dev = NULL;

  write_local (dir, "raw.bin", content);
  up = client_run (srv->port, NULL, "upload", "--raw", src, "--name", "stored.bin", NULL);
  assert_exit (up, 0);
  assert_stdout_is (up, "stored.bin\n");
  ft_assert_file_is (srv->root, "stored.bin", content);

  get = client_run (srv->port, NULL, "get", "--raw", "stored.bin", "-o", out, NULL);
  assert_exit (get, 0);
  assert_stderr_empty (get);
  ft_assert_file_is (dir, "copy.bin", content);

  missing = client_run (srv->port, NULL, "get", "-r", "nope.bin", "-o", out, NULL);
  assert_exit (missing, 1);
  ft_assert_file_is (dir, "copy.bin", content);

  /* The size goes on the request line: only a regular file has one. */
  dev = client_run (srv->port, NULL, "upload", "--raw", "/dev/null", NULL);
  assert_exit (dev, 2);
  {
    const char *entries[] = { "copy.bin", "raw.bin", NULL };
    assert_entries (dir, entries);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

static void
test_get_stdout (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = work_dir ("get");
  g_autoptr(GBytes) content = put_on_server (srv, "s.bin", 31, 70001);
  g_autoptr(GBytes) nothing = put_on_server (srv, "empty.bin", 32, 0);
  g_autoptr(FtRun) run = client_run (srv->port, dir, "get", "s.bin", "-o", "-", NULL);
  g_autoptr(FtRun) run0 = NULL;
  const char *got;
  gsize got_len = 0, want_len = 0;
  const guint8 *want = g_bytes_get_data (content, &want_len);

  assert_exit (run, 0);
  assert_stderr_empty (run);
  got = run_stdout (run, &got_len);
  ft_assert_same_bytes ((const guint8 *) got, got_len, want, want_len);

  run0 = client_run (srv->port, dir, "get", "empty.bin", "-o", "-", NULL);
  assert_exit (run0, 0);
  assert_stdout_empty (run0);
  assert_stderr_empty (run0);
  {
    const char *entries[] = { NULL };
    assert_entries (dir, entries);  /* nothing written into the cwd */
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* Without --output: ./NAME in the current directory (an empty file too). */
static void
test_get_default_output (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = work_dir ("get");
  g_autoptr(GBytes) content = put_on_server (srv, "here.bin", 33, 65536 + 3);
  g_autoptr(GBytes) nothing = put_on_server (srv, "empty.bin", 34, 0);
  g_autoptr(FtRun) run = client_run (srv->port, dir, "get", "here.bin", NULL);
  g_autoptr(FtRun) run0 = NULL;

  assert_exit (run, 0);
  assert_stdout_empty (run);
  assert_stderr_empty (run);
  ft_assert_file_is (dir, "here.bin", content);

  run0 = client_run (srv->port, dir, "get", "empty.bin", NULL);
  assert_exit (run0, 0);
  ft_assert_file_is (dir, "empty.bin", nothing);
  {
    const char *want[] = { "empty.bin", "here.bin", NULL };
    assert_entries (dir, want);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* A missing file: exit 1 with the server's message, and no output file,
 * no temporary file, an existing FILE untouched. */
static void
test_get_missing (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = work_dir ("get");
  g_autofree char *out = g_build_filename (dir, "out.bin", NULL);
  g_autofree char *keep = g_build_filename (dir, "keep.bin", NULL);
  g_autoptr(GBytes) old = ft_content_bytes (40, 777);
  g_autoptr(FtRun) run = client_run (srv->port, NULL, "get", "nosuch.bin", "-o", out, NULL);
  g_autoptr(FtRun) run2 = NULL;
  g_autoptr(FtRun) run3 = NULL;
  g_autofree char *msg = NULL;
  g_autofree char *msg2 = NULL;

  assert_exit (run, 1);
  msg = assert_one_error_line (run);
  g_assert_cmpstr (msg, ==, "file not found: nosuch.bin");
  {
    const char *want[] = { NULL };
    assert_entries (dir, want);
  }

  /* Default output in the cwd: nothing created either. */
  run2 = client_run (srv->port, dir, "get", "nosuch.bin", NULL);
  assert_exit (run2, 1);
  msg2 = assert_one_error_line (run2);
  g_assert_cmpstr (msg2, ==, "file not found: nosuch.bin");
  {
    const char *want[] = { NULL };
    assert_entries (dir, want);
  }

  /* An existing FILE is left as it was. */
  write_local (dir, "keep.bin", old);
  run3 = client_run (srv->port, NULL, "get", "nosuch.bin", "-o", keep, NULL);
  assert_exit (run3, 1);
  g_free (assert_one_error_line (run3));
  ft_assert_file_is (dir, "keep.bin", old);
  {
    const char *want[] = { "keep.bin", NULL };
    assert_entries (dir, want);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* Output into a directory that does not exist, or onto a directory. */
static void
test_get_bad_output (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = work_dir ("get");
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "out.bin", NULL);
  g_autofree char *sub = g_build_filename (dir, "sub", NULL);
  g_autoptr(GBytes) content = put_on_server (srv, "d.bin", 41, 4000);
  g_autoptr(FtRun) run = client_run (srv->port, NULL, "get", "d.bin", "-o", missing, NULL);
  g_autoptr(FtRun) run2 = NULL;
  struct stat st;

  assert_exit (run, 3);
  g_free (assert_one_error_line (run));
  {
    const char *want[] = { NULL };
    assert_entries (dir, want);
  }

  g_assert_cmpint (mkdir (sub, 0755), ==, 0);
  run2 = client_run (srv->port, NULL, "get", "d.bin", "-o", sub, NULL);
  assert_exit (run2, 3);
  g_free (assert_one_error_line (run2));
  g_assert_cmpint (lstat (sub, &st), ==, 0);
  ft_check (S_ISDIR (st.st_mode), "%s is no longer a directory", sub);
  {
    const char *want[] = { "sub", NULL };
    g_auto(GStrv) inside = ft_dir_entries (sub);
    assert_entries (dir, want);
    ft_check (inside[0] == NULL, "%s is not empty any more", sub);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ delete */

static void
test_delete (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autoptr(GBytes) a = put_on_server (srv, "a.bin", 50, 100);
  g_autoptr(GBytes) b = put_on_server (srv, "b c.bin", 51, 100);
  g_autoptr(FtRun) run = client_run (srv->port, NULL, "delete", "a.bin", NULL);
  g_autoptr(FtRun) run2 = NULL;
  g_autoptr(FtRun) list = NULL;

  assert_exit (run, 0);
  assert_stdout_empty (run);
  assert_stderr_empty (run);
  ft_check (!ft_exists (srv->root, "a.bin"), "a.bin still in the root");
  run2 = client_run (srv->port, NULL, "delete", "b c.bin", NULL);
  assert_exit (run2, 0);
  ft_check (!ft_exists (srv->root, "b c.bin"), "\"b c.bin\" still in the root");
  list = client_run (srv->port, NULL, "list", NULL);
  assert_exit (list, 0);
  assert_stdout_empty (list);
  ft_server_stop (g_steal_pointer (&srv));
}

static void
test_delete_missing (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autoptr(GBytes) a = put_on_server (srv, "a.bin", 52, 100);
  g_autoptr(FtRun) run = client_run (srv->port, NULL, "delete", "nosuch.bin", NULL);
  g_autofree char *msg = NULL;

  assert_exit (run, 1);
  msg = assert_one_error_line (run);
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
  g_autoptr(FtRun) run = client_run (srv->port, NULL, "stats", NULL);

  assert_exit (run, 0);
  assert_stderr_empty (run);
  check_stats_output (run, "thread", POOL);
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ process mode */

static void
test_process_server (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("process", POOL, NULL);
  g_autofree char *dir = work_dir ("proc");
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

  write_local (dir, "p.bin", content);
  up = client_run (srv->port, NULL, "upload", src, "--name", "q r.bin", NULL);
  assert_exit (up, 0);
  assert_stdout_is (up, "q r.bin\n");
  ft_assert_file_is (srv->root, "q r.bin", content);

  list = client_run (srv->port, NULL, "list", NULL);
  assert_exit (list, 0);
  assert_stdout_is (list, "q r.bin\n");

  get = client_run (srv->port, NULL, "get", "q r.bin", "-o", out, NULL);
  assert_exit (get, 0);
  ft_assert_file_is (dir, "back.bin", content);

  del = client_run (srv->port, NULL, "delete", "q r.bin", NULL);
  assert_exit (del, 0);
  ft_check (!ft_exists (srv->root, "q r.bin"), "deleted file still in the root");

  miss = client_run (srv->port, dir, "get", "q r.bin", NULL);
  assert_exit (miss, 1);
  msg = assert_one_error_line (miss);
  g_assert_cmpstr (msg, ==, "file not found: q r.bin");

  stats = client_run (srv->port, NULL, "stats", NULL);
  assert_exit (stats, 0);
  check_stats_output (stats, "process", POOL);
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ failures */

/* An answer that is not the protocol: exit 3, one line. */
static void
test_protocol_garbage (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtHostile) bs = ft_hostile_start_reply ("HTTP/1.0 400 Bad Request\r\n\r\n");
  g_autoptr(FtRun) run = client_run (ft_hostile_port (bs), NULL, "list", NULL);
  g_autofree char *msg = NULL;

  assert_exit (run, 3);
  msg = assert_one_error_line (run);
  ft_note ("%s", msg);
}

/* A download cut off, or with content that is not base64: exit 3, and
 * neither the output file nor a temporary file, an existing one kept. */
static void
test_get_broken_answer (gconstpointer data)
{
  const char *reply = data;
  g_autofree char *dir = work_dir ("broken");
  g_autofree char *out = g_build_filename (dir, "out.bin", NULL);
  g_autofree char *keep = g_build_filename (dir, "keep.bin", NULL);
  g_autoptr(GBytes) old = ft_content_bytes (80, 3000);

  {
    g_autoptr(FtHostile) bs = ft_hostile_start_reply (reply);
    g_autoptr(FtRun) run = client_run (ft_hostile_port (bs), NULL, "get", "x.bin", "-o", out,
                                       NULL);

    assert_exit (run, 3);
    g_free (assert_one_error_line (run));
    {
      const char *want[] = { NULL };
      assert_entries (dir, want);
    }
  }
  {
    g_autoptr(FtHostile) bs = ft_hostile_start_reply (reply);
    g_autoptr(FtRun) run = NULL;

    write_local (dir, "keep.bin", old);
    run = client_run (ft_hostile_port (bs), NULL, "get", "x.bin", "-o", keep, NULL);
    assert_exit (run, 3);
    g_free (assert_one_error_line (run));
    ft_assert_file_is (dir, "keep.bin", old);
    {
      const char *want[] = { "keep.bin", NULL };
      assert_entries (dir, want);
    }
  }
}


typedef struct {
  const char *path;
  const char *args[8];
} UsageCase;

static const UsageCase usage_cases[] = {
  { "/client/usage/no-command", { NULL } },
  { "/client/usage/raw-with-list", { "list", "--raw", NULL } },
  { "/client/usage/unknown-command", { "fetch", "x", NULL } },
  { "/client/usage/upper-case-command", { "LIST", NULL } },
  { "/client/usage/get-without-name", { "get", NULL } },
  { "/client/usage/delete-two-names", { "delete", "a", "b", NULL } },
  { "/client/usage/list-extra-argument", { "list", "extra", NULL } },
  { "/client/usage/output-with-list", { "list", "--output", "x.bin", NULL } },
  { "/client/usage/name-with-get", { "get", "a.bin", "--name", "b.bin", NULL } },
  { "/client/usage/port-70000", { "--port", "70000", "list", NULL } },
  { "/client/usage/negative-timeout", { "--timeout", "-1", "list", NULL } },
  { "/client/usage/unknown-option", { "--bogus", "list", NULL } },
};

/* Usage errors come before any connection: --port points at a closed port
 * (unless the case sets its own), so a connection attempt would exit 3. */
static void
test_usage (gconstpointer data)
{
  const UsageCase *c = data;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(FtRun) run = NULL;
  g_autofree char *msg = NULL;
  gboolean has_port = FALSE;

  for (gsize i = 0; c->args[i] != NULL; i++)
    if (g_str_has_prefix (c->args[i], "--port"))
      has_port = TRUE;
  g_ptr_array_add (argv, g_strdup (client_path ()));
  if (!has_port)
    {
      g_ptr_array_add (argv, g_strdup ("--port"));
      g_ptr_array_add (argv, g_strdup_printf ("%u", ft_closed_port ()));
    }
  for (gsize i = 0; c->args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (c->args[i]));
  g_ptr_array_add (argv, NULL);
  run = run_argv (NULL, NULL, RUN_TIMEOUT, (const char * const *) argv->pdata);
  assert_exit (run, 2);
  msg = assert_one_error_line (run);
  ft_note ("%s: %s", c->path, msg);
}

static void
test_connect_refused (gconstpointer data G_GNUC_UNUSED)
{
  g_autofree char *port = g_strdup_printf ("%u", ft_closed_port ());
  const char *commands[] = { "list", "stats", NULL };

  {
    /* port 0 is within the range (no usage error); nothing answers there */
    g_autoptr(FtRun) run = client_run_bare ("--port", "0", "list", NULL);
    assert_exit (run, 3);
    g_free (assert_one_error_line (run));
  }

  for (gsize i = 0; commands[i] != NULL; i++)
    {
      g_autoptr(FtRun) run = client_run_bare ("--port", port, commands[i], NULL);
      assert_exit (run, 3);
      g_free (assert_one_error_line (run));
    }
  {
    g_autofree char *dir = work_dir ("refused");
    g_autofree char *out = g_build_filename (dir, "o.bin", NULL);
    g_autoptr(FtRun) run = client_run_bare ("-p", port, "get", "x.bin", "-o", out, NULL);

    assert_exit (run, 3);
    g_free (assert_one_error_line (run));
    {
      const char *want[] = { NULL };
      assert_entries (dir, want);
    }
  }
}

/* A server that accepts (the kernel's backlog does) but never answers:
 * --timeout 1 gives up within a few seconds, and a get leaves no file. */
static void
test_timeout (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = work_dir ("stalled");
  g_autofree char *out = g_build_filename (dir, "out.bin", NULL);
  g_autofree char *port = g_strdup_printf ("%u", srv->port);
  const char *list_argv[] = { client_path (), "--host", "127.0.0.1", "--port", port,
                              "--timeout", "1", "list", NULL };
  const char *get_argv[] = { client_path (), "-t", "1", "--port", port,
                             "get", "x.bin", "-o", out, NULL };
  g_autoptr(FtRun) list = NULL;
  g_autoptr(FtRun) get = NULL;
  FtRun *runs[2];
  gboolean finished;
  double t0;

  g_bytes_unref (put_on_server (srv, "x.bin", 70, 1000));
  g_assert_cmpint (kill (srv->pid, SIGSTOP), ==, 0);
  runs[0] = list = ft_run_start (NULL, NULL, NULL, list_argv);
  runs[1] = get = ft_run_start (NULL, NULL, NULL, get_argv);
  t0 = ft_now ();
  while (!(list->done && get->done) && ft_now () - t0 < 8)
    {
      gboolean busy = FALSE;
      for (gsize i = 0; i < G_N_ELEMENTS (runs); i++)
        busy |= g_main_context_iteration (runs[i]->ctx, FALSE);
      if (!busy)
        g_usleep (10 * 1000);
    }
  finished = list->done && get->done;
  kill (srv->pid, SIGCONT);
  for (gsize i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_autofree char *msg = NULL;

      if (!runs[i]->done)
        ft_run_wait (runs[i], 10);
      ft_check (finished, "%s: still running 8 s after it was started with a 1 s timeout",
                runs[i]->cmd);
      assert_exit (runs[i], 3);
      msg = assert_one_error_line (runs[i]);
      ft_note ("timed out after %.2f s: %s", runs[i]->elapsed, msg);
      ft_check (runs[i]->elapsed >= 0.9, "%s: gave up after %.2f s, before the 1 s timeout",
                runs[i]->cmd, runs[i]->elapsed);
    }
  {
    const char *want[] = { NULL };
    assert_entries (dir, want);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* Standard output that cannot be written (a full disk): exit 3. */
static void
test_stdout_full (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *port = g_strdup_printf ("%u", srv->port);
  const char *get_argv[] = { client_path (), "--port", port, "get", "s.bin", "-o", "-", NULL };
  const char *list_argv[] = { client_path (), "--port", port, "list", NULL };
  const char * const *argvs[] = { get_argv, list_argv };

  g_bytes_unref (put_on_server (srv, "s.bin", 90, 200000));
  for (gsize i = 0; i < G_N_ELEMENTS (argvs); i++)
    {
      g_autoptr(FtRun) run = ft_run_start (NULL, NULL, "/dev/full", argvs[i]);
      g_autofree char *msg = NULL;

      ft_run_wait (run, RUN_TIMEOUT);
      assert_exit (run, 3);
      msg = assert_one_error_line (run);
      ft_note ("%s", msg);
    }
  ft_server_stop (g_steal_pointer (&srv));
}

static void
test_help (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtRun) run = client_run_bare ("--help", NULL);
  g_autofree char *out = NULL;
  const char *words[] = { "list", "get", "upload", "delete", "stats", "--port", "--timeout",
                          "--output", "--name", "--raw", "--version", NULL };

  assert_exit (run, 0);
  assert_stderr_empty (run);
  out = ft_run_stdout_text (run);
  for (gsize i = 0; words[i] != NULL; i++)
    ft_check (strstr (out, words[i]) != NULL, "--help does not mention %s:\n%s", words[i], out);
}

static void
test_version (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtRun) run = client_run_bare ("--version", NULL);

  assert_exit (run, 0);
  assert_stderr_empty (run);
  assert_stdout_is (run, "filestorm-client (filestorm) 0.1.0\n");
}

int
main (int argc, char **argv)
{
  /* Freed when main returns, so that LeakSanitizer finds nothing. */
  g_autoptr(GString) cut = NULL;

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
  for (gsize i = 0; i < G_N_ELEMENTS (usage_cases); i++)
    ft_test_add (usage_cases[i].path, test_usage, &usage_cases[i]);
  ft_test_add ("/client/connect/refused", test_connect_refused, NULL);
  ft_test_add ("/client/protocol/garbage", test_protocol_garbage, NULL);
  /* "QUJD" * 8192 is 24 KiB of content, then the connection ends */
  cut = g_string_new ("{\"status\":\"OK\",\"data_namafile\":\"x.bin\",\"data_file\":\"");
  for (int i = 0; i < 8192; i++)
    g_string_append (cut, "QUJD");
  ft_test_add ("/client/protocol/get-cut-off", test_get_broken_answer, cut->str);
  ft_test_add ("/client/protocol/get-bad-base64", test_get_broken_answer,
               "{\"status\":\"OK\",\"data_namafile\":\"x.bin\",\"data_file\":\"QUJD!!!!QUJD\"}\r\n\r\n");
  ft_test_add ("/client/timeout", test_timeout, NULL);
  ft_test_add ("/client/stdout-full", test_stdout_full, NULL);
  ft_test_add ("/client/help", test_help, NULL);
  ft_test_add ("/client/version", test_version, NULL);
  return g_test_run ();
}
