/* test-pool-failures.c: end-to-end tests of filestorm-pool when things go
 * wrong: corrupt content (tampered, truncated, extended), a server that
 * refuses, no server at all, stalls and crashed client processes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pool-check.h"

/* ------------------------------------------------------------ corrupt content */

/* Places file_1mb.bin with a first pool run (upload), checking it. */
static void
place_file (FtServer *srv)
{
  g_autoptr(FtRun) up = fp_run (srv->port, "--operation", "upload", "--volume", "1",
                                "--client-pool", "1", "--json", NULL);
  ft_run_assert_exit (up, 0);
  fp_assert_server_file_documented (srv, "file_1mb.bin", MiB);
}

static void
flip_byte (FtServer *srv, const char *name, off_t offset)
{
  g_autofree char *path = g_build_filename (srv->root, name, NULL);
  int fd = open (path, O_RDWR);
  guint8 b;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pread (fd, &b, 1, offset), ==, 1);
  b ^= 0x5a;
  g_assert_cmpint (pwrite (fd, &b, 1, offset), ==, 1);
  g_assert_cmpint (close (fd), ==, 0);
}

/* A download run against a wrong file: every download fails as corrupt,
 * the result is printed all the same and the exit status is 1. */
static void
check_all_corrupt_as (FtServer *srv, const char *pool_mode, const char *transfer)
{
  g_autoptr(FtRun) run = fp_run (srv->port, "--mode", pool_mode, "--volume", "1",
                                 "--client-pool", "3", "--transfer", transfer, "--json", NULL);
  g_autoptr(FpResult) r = NULL;
  FpExpect e;

  ft_run_assert_exit (run, 1);
  fp_assert_stderr_is (run, "");
  r = fp_parse_result (run);
  fp_expect_init (&e, pool_mode, "download", 1, 3, 1);
  fp_check_shape (r, &e);
  g_assert_cmpint (fp_get_int (r, r->o, "success"), ==, 0);
  g_assert_cmpint (fp_get_int (r, r->o, "fail"), ==, 3);
  for (gsize i = 0; fp_error_kinds[i] != NULL; i++)
    ft_check (fp_get_error (r, fp_error_kinds[i]) == (strcmp (fp_error_kinds[i], "corrupt") == 0 ? 3 : 0),
              "errors.%s is wrong in %s", fp_error_kinds[i], r->shown);
  ft_check (!fp_get_bool (r, "verified"), "verified although corrupt: %s", r->shown);
  ft_check (!fp_get_bool (r, "prepared"), "prepared although the file was there: %s", r->shown);
  g_assert_cmpstr (fp_get_string (r, "transfer"), ==, transfer);
  ft_note ("first_error: %s", fp_get_string (r, "first_error"));
}

static void
check_all_corrupt (FtServer *srv, const char *pool_mode)
{
  check_all_corrupt_as (srv, pool_mode, "base64");
}

static void
test_tampered (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);

  place_file (srv);
  flip_byte (srv, "file_1mb.bin", MiB / 2 + 1);
  check_all_corrupt (srv, "thread");
  /* Raw bytes are checked as closely. */
  check_all_corrupt_as (srv, "process", "raw");

  /* The summary says so too: NO, and the two failure lines. */
  {
    const char *labels[] = {
      "FAILURES", "Clients", "Server", "Operation", "Client pool size", "Volume per client",
      "Average time per client",
      "Throughput per client", "Aggregate throughput", "Success/Failure",
      "Operations per second", "Time per operation", "Latency (ms)",
      "Verified", "Errors", "First error", "Total duration", NULL
    };
    const char *patterns[] = {
      "^2 of 2 operations failed; throughput counts only the 0 that succeeded$",
      "^2 threads$", "^thread mode, pool 3$", "^download$", "^2$",
      "^1 MiB \\(1048576 bytes, file_1mb\\.bin\\)$", SECONDS_RE, RATE_RE, RATE_RE, "^0/2$",
      "^0\\.0$", OP_TIME_RE, LATENCY_RE, "^NO$", "^corrupt 2$", ".", SECONDS_RE, NULL
    };
    g_autoptr(FtRun) run = fp_run (srv->port, "--volume", "1", "--client-pool", "2", NULL);

    ft_run_assert_exit (run, 1);
    fp_assert_stderr_is (run, "");
    fp_check_summary (run, labels, patterns);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

static void
test_truncated (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("process", POOL, NULL);
  g_autofree char *path = NULL;

  place_file (srv);
  path = g_build_filename (srv->root, "file_1mb.bin", NULL);
  g_assert_cmpint (truncate (path, MiB - 1000), ==, 0);
  check_all_corrupt (srv, "process");
  ft_server_stop (g_steal_pointer (&srv));
}

static void
test_extended (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *path = NULL;

  place_file (srv);
  path = g_build_filename (srv->root, "file_1mb.bin", NULL);
  g_assert_cmpint (truncate (path, MiB + 1), ==, 0);
  check_all_corrupt (srv, "thread");
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ server errors */

/* The test file's name is taken by a directory: uploads are refused by
 * the server (counted as server), and a download run cannot prepare the
 * file (exit 3, no result). */
static void
test_server_refuses (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = NULL;
  g_autoptr(FtRun) up = NULL;
  g_autoptr(FtRun) down = NULL;
  g_autoptr(FpResult) r = NULL;
  g_autofree char *msg = NULL;
  FpExpect e;

  {
    /* the server creates the root on start; one request makes sure */
    g_autoptr(FtConn) conn = ft_conn_new (srv->port);
    g_strfreev (ft_list (conn));
  }
  dir = g_build_filename (srv->root, "file_1mb.bin", NULL);
  g_assert_cmpint (mkdir (dir, 0755), ==, 0);
  ft_write_file (dir, "inside", "x", 1);

  up = fp_run (srv->port, "--operation", "upload", "--volume", "1", "--client-pool", "2",
                 "--json", NULL);
  ft_run_assert_exit (up, 1);
  r = fp_parse_result (up);
  fp_expect_init (&e, "thread", "upload", 1, 2, 1);
  fp_check_shape (r, &e);
  g_assert_cmpint (fp_get_int (r, r->o, "fail"), ==, 2);
  g_assert_cmpint (fp_get_error (r, "server"), ==, 2);
  ft_check (!fp_get_bool (r, "verified"), "verified although refused: %s", r->shown);

  down = fp_run (srv->port, "--operation", "download", "--volume", "1", "--client-pool", "2",
                   "--json", NULL);
  ft_run_assert_exit (down, 3);
  msg = fp_assert_one_error_line (down);
  ft_note ("cannot prepare: %s", msg);
  fp_assert_no_temporaries (srv);
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ no server */

static void
test_refused (gconstpointer data G_GNUC_UNUSED)
{
  guint16 port = ft_closed_port ();
  const char *ops[] = { "list", "upload", "download", NULL };

  for (gsize i = 0; ops[i] != NULL; i++)
    {
      g_autoptr(FtRun) json = fp_run (port, "--operation", ops[i], "--volume", "1",
                                      "--client-pool", "3", "--json", NULL);
      g_autoptr(FtRun) summary = fp_run (port, "--operation", ops[i], "--volume", "1",
                                         "--client-pool", "3", "--mode", "process", NULL);
      FtRun *runs[] = { json, summary };

      for (gsize k = 0; k < G_N_ELEMENTS (runs); k++)
        {
          g_autofree char *msg = NULL;

          ft_run_assert_exit (runs[k], 3);
          msg = fp_assert_one_error_line (runs[k]);
          ft_note ("%s: %s", runs[k]->cmd, msg);
        }
    }
}

/* ------------------------------------------------------------ stalls, crashes */

/* The live children of pid: from /proc/PID/task/TID/children where the
 * kernel has them, else by scanning /proc for the parent pid. */
static GArray *
children_of (pid_t pid)
{
  g_autofree char *task_dir = g_strdup_printf ("/proc/%d/task", (int) pid);
  g_autoptr(GDir) d = g_dir_open (task_dir, 0, NULL);
  GArray *kids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  gboolean have_files = FALSE;
  const char *tid;

  while (d != NULL && (tid = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (task_dir, tid, "children", NULL);
      g_autofree char *text = NULL;
      g_auto(GStrv) words = NULL;

      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;
      have_files = TRUE;
      words = g_strsplit_set (g_strstrip (text), " \n", -1);
      for (gsize i = 0; words[i] != NULL; i++)
        if (*words[i] != '\0')
          {
            pid_t kid = (pid_t) atoi (words[i]);
            if (ft_proc_alive (kid))
              g_array_append_val (kids, kid);
          }
    }
  if (have_files)
    return kids;
  g_array_unref (kids);
  return ft_proc_children (pid);
}

/* Every client stalls on a stopped server: each gives up after --timeout
 * and the run ends, all failures counted as timeouts. */
static void
test_stalled (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *port = g_strdup_printf ("%u", srv->port);
  const char *args[] = { "--operation", "list", "--client-pool", "3", "--timeout", "1",
                         "--json", "--port", port, NULL };
  g_autoptr(FtRun) run = NULL;
  g_autoptr(FpResult) r = NULL;
  FpExpect e;

  g_assert_cmpint (kill (srv->pid, SIGSTOP), ==, 0);
  run = fp_start_a (0, args);
  {
    double t0 = ft_now ();
    gboolean finished;

    while (!run->done && ft_now () - t0 < 10)
      {
        ft_run_poll (run);
        if (!run->done)
          g_usleep (10 * 1000);
      }
    finished = run->done;
    kill (srv->pid, SIGCONT);
    if (!finished)
      ft_run_wait (run, 10);
    ft_check (finished, "%s: still running 10 s after it started with --timeout 1", run->cmd);
  }
  ft_run_assert_exit (run, 1);
  fp_assert_stderr_is (run, "");
  r = fp_parse_result (run);
  fp_expect_init (&e, "thread", "list", 1, 3, 1);
  e.volume = 10;  /* the default, reported for list too */
  e.file = "file_10mb.bin";
  e.file_bytes = 10 * MiB;
  fp_check_shape (r, &e);
  g_assert_cmpint (fp_get_int (r, r->o, "fail"), ==, 3);
  g_assert_cmpint (fp_get_error (r, "timeout"), ==, 3);
  ft_check (!fp_get_bool (r, "verified"), "verified although failed: %s", r->shown);
  ft_check (fp_get_number (r, fp_get_object (r, "latency_ms"), "min") >= 900,
            "a timed-out operation took less than the 1 s timeout: %s", r->shown);
  ft_server_stop (g_steal_pointer (&srv));
}

/* A client process killed while it waits on a stopped server: the pool
 * does not hang, counts it as crashed and the others as timeouts. */
static void
test_crashed_client (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *port = g_strdup_printf ("%u", srv->port);
  const char *args[] = { "--mode", "process", "--operation", "list", "--client-pool", "3",
                         "--timeout", "3", "--json", "--port", port, NULL };
  g_autoptr(FtRun) run = NULL;
  g_autoptr(GArray) kids = NULL;
  g_autoptr(FpResult) r = NULL;
  pid_t pool_pid, victim;
  double deadline;
  gboolean finished;
  FpExpect e;

  g_assert_cmpint (kill (srv->pid, SIGSTOP), ==, 0);
  run = fp_start_a (0, args);
  pool_pid = (pid_t) atoi (g_subprocess_get_identifier (run->proc));

  deadline = ft_now () + 10;
  for (;;)
    {
      g_clear_pointer (&kids, g_array_unref);
      kids = children_of (pool_pid);
      ft_run_poll (run);
      if (kids->len == 3 || run->done || ft_now () > deadline)
        break;
      g_usleep (10 * 1000);
    }
  if (kids->len != 3)
    {
      kill (srv->pid, SIGCONT);
      ft_fail ("the pool (pid %d) has %u client processes, expected 3 (pool %s)",
               (int) pool_pid, kids->len, run->done ? "exited" : "running");
    }
  victim = g_array_index (kids, pid_t, 0);
  g_assert_cmpint (kill (victim, SIGKILL), ==, 0);

  deadline = ft_now () + 15;
  while (!run->done && ft_now () < deadline)
    {
      ft_run_poll (run);
      if (!run->done)
        g_usleep (10 * 1000);
    }
  finished = run->done;
  kill (srv->pid, SIGCONT);
  if (!finished)
    ft_run_wait (run, 5);
  ft_check (finished, "the pool did not exit within 15 s of the kill of a client process");

  ft_run_assert_exit (run, 1);
  fp_assert_stderr_is (run, "");
  r = fp_parse_result (run);
  fp_expect_init (&e, "process", "list", 1, 3, 1);
  e.volume = 10;
  e.file = "file_10mb.bin";
  e.file_bytes = 10 * MiB;
  fp_check_shape (r, &e);
  g_assert_cmpint (fp_get_int (r, r->o, "success"), ==, 0);
  g_assert_cmpint (fp_get_int (r, r->o, "fail"), ==, 3);
  g_assert_cmpint (fp_get_error (r, "crashed"), ==, 1);
  g_assert_cmpint (fp_get_error (r, "timeout"), ==, 2);
  ft_check (!fp_get_bool (r, "verified"), "verified although failed: %s", r->shown);
  for (guint i = 0; i < kids->len; i++)
    ft_check (!ft_proc_alive (g_array_index (kids, pid_t, i)),
              "client process %d outlives the pool", (int) g_array_index (kids, pid_t, i));
  ft_server_stop (g_steal_pointer (&srv));
}

int
main (int argc, char **argv)
{
  ft_init ();
  g_test_init (&argc, &argv, NULL);

  ft_test_add ("/pool/download/tampered", test_tampered, NULL);
  ft_test_add ("/pool/download/truncated", test_truncated, NULL);
  ft_test_add ("/pool/download/extended", test_extended, NULL);
  ft_test_add ("/pool/server-refuses", test_server_refuses, NULL);
  ft_test_add ("/pool/connect/refused", test_refused, NULL);
  ft_test_add ("/pool/stall/timeout", test_stalled, NULL);
  ft_test_add ("/pool/stall/crashed-client", test_crashed_client, NULL);
  return g_test_run ();
}
