/* test-pool.c: end-to-end tests of filestorm-pool, the real program run as
 * a subprocess against the real filestorm-server: the original command
 * lines, the JSON result in every combination of pool mode and server mode,
 * preparation of the download file, and usage. Corrupt content, crashed
 * client processes, stalls and refused connections are in
 * test-pool-failures.c; what both run and check in pool-check.c. */
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

/* ------------------------------------------------------------ original lines */

/* The first command line of the original tool, with a small volume. */
static void
test_original_upload (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *port = g_strdup_printf ("%u", srv->port);
  const char *args[] = { "--mode", "thread", "--operation", "upload", "--volume", "1",
                         "--client-pool", "5", "--host", "127.0.0.1", "--port", port, NULL };
  const char *labels[] = {
    "Clients", "Server", "Operation", "Client pool size", "Volume per client",
    "Average time per client",
    "Throughput per client", "Aggregate throughput", "Success/Failure", "Operations per second",
    "Time per operation", "Latency (ms)",
    "Verified", "Total duration", NULL
  };
  const char *patterns[] = {
    "^5 threads$", "^thread mode, pool 3$", "^upload$", "^5$",
    "^1 MiB \\(1048576 bytes, file_1mb\\.bin\\)$", SECONDS_RE, RATE_RE, RATE_RE, "^5/0$",
    OPS_RE, OP_TIME_RE, LATENCY_RE, "^yes", SECONDS_RE, NULL
  };
  g_autoptr(FtRun) run = fp_run_a (0, args);

  ft_run_assert_exit (run, 0);
  fp_assert_stderr_is (run, "");
  fp_check_summary (run, labels, patterns);
  fp_assert_server_file_documented (srv, "file_1mb.bin", MiB);
  fp_assert_no_temporaries (srv);
  ft_server_stop (g_steal_pointer (&srv));
}

/* The second command line of the original tool, with a small volume: the
 * file is not there, so the pool uploads it first and says so. */
static void
test_original_download (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("process", POOL, NULL);
  g_autofree char *port = g_strdup_printf ("%u", srv->port);
  const char *args[] = { "--mode", "process", "--operation", "download", "--volume", "2",
                         "--client-pool", "10", "--host", "127.0.0.1", "--port", port, NULL };
  const char *labels[] = {
    "Clients", "Server", "Operation", "Client pool size", "Volume per client",
    "Average time per client",
    "Throughput per client", "Aggregate throughput", "Success/Failure", "Operations per second",
    "Time per operation", "Latency (ms)",
    "Verified", "Total duration", NULL
  };
  const char *patterns[] = {
    "^10 processes$", "^process mode, pool 3$", "^download$", "^10$",
    "^2 MiB \\(2097152 bytes, file_2mb\\.bin\\)$", SECONDS_RE, RATE_RE, RATE_RE, "^10/0$",
    OPS_RE, OP_TIME_RE, LATENCY_RE, "^yes, every byte$", SECONDS_RE, NULL
  };
  g_autoptr(FtRun) run = fp_run_a (0, args);

  ft_run_assert_exit (run, 0);
  fp_assert_stderr_is (run, PREFIX "file_2mb.bin was not on the server; uploaded it "
                    "(2097152 bytes) before the timed run\n");
  fp_check_summary (run, labels, patterns);
  fp_assert_server_file_documented (srv, "file_2mb.bin", 2 * MiB);
  ft_server_stop (g_steal_pointer (&srv));
}

/* list: no volume or throughput lines; with --repeat, the operations per
 * client line. */
static void
test_summary_list (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  const char *labels[] = {
    "Clients", "Server", "Operation", "Client pool size", "Operations per client",
    "Average time per client", "Success/Failure", "Operations per second",
    "Time per operation", "Latency (ms)", "Verified",
    "Total duration", NULL
  };
  const char *patterns[] = {
    "^3 threads$", "^thread mode, pool 3$", "^list$", "^3$", "^2$", SECONDS_RE, "^6/0$",
    OPS_RE, OP_TIME_RE, LATENCY_RE, "^yes", SECONDS_RE, NULL
  };
  g_autoptr(FtRun) run = fp_run (srv->port, "--operation", "list", "--client-pool", "3",
                                 "--repeat", "2", NULL);

  ft_run_assert_exit (run, 0);
  fp_assert_stderr_is (run, "");
  fp_check_summary (run, labels, patterns);
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ JSON matrix */

typedef struct {
  const char *pool_mode;
  const char *server_mode;
  const char *operation;   /* as given */
  guint       repeat;
  const char *transfer;    /* --transfer, or NULL for the default (base64) */
} MatrixCase;

static void
test_matrix (gconstpointer data)
{
  const MatrixCase *c = data;
  g_autoptr(FtServer) srv = ft_server_start (c->server_mode, POOL, NULL);
  g_autofree char *clients = g_strdup_printf ("%d", CLIENTS);
  g_autofree char *repeat = g_strdup_printf ("%u", c->repeat);
  gboolean download = strcmp (c->operation, "download") == 0 || strcmp (c->operation, "get") == 0;
  const char *reported = strcmp (c->operation, "get") == 0 ? "download" : c->operation;
  g_autoptr(FtRun) run = fp_run (srv->port, "--mode", c->pool_mode, "--operation", c->operation,
                                 "--volume", "1", "--client-pool", clients, "--repeat", repeat,
                                 "--json", c->transfer ? "--transfer" : NULL, c->transfer,
                                 NULL);
  g_autoptr(FpResult) r = NULL;
  FpExpect e;

  ft_run_assert_exit (run, 0);
  r = fp_parse_result (run);
  fp_expect_init (&e, c->pool_mode, reported, 1, CLIENTS, c->repeat);
  fp_check_success (r, &e);
  g_assert_cmpstr (fp_get_string (r, "transfer"), ==, c->transfer ? c->transfer : "base64");
  ft_check (fp_get_bool (r, "prepared") == download, "prepared is not %s in %s",
            download ? "true" : "false", r->shown);
  if (download)
    fp_assert_stderr_is (run, PREFIX "file_1mb.bin was not on the server; uploaded it "
                      "(1048576 bytes) before the timed run\n");
  else
    fp_assert_stderr_is (run, "");
  if (strcmp (c->operation, "list") == 0)
    {
      g_auto(GStrv) entries = ft_dir_entries (srv->root);
      ft_check (entries[0] == NULL, "list put files in the root");
    }
  else
    fp_assert_server_file_documented (srv, "file_1mb.bin", MiB);
  fp_assert_no_temporaries (srv);
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ preparation */

/* A download run finds the file missing and uploads it first; the next
 * run finds it and does not. */
static void
test_prepare (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autoptr(FtRun) first = fp_run (srv->port, "--operation", "download", "--volume", "1",
                                   "--client-pool", "3", "--json", NULL);
  g_autoptr(FtRun) second = NULL;
  g_autoptr(FpResult) r1 = NULL;
  g_autoptr(FpResult) r2 = NULL;
  FpExpect e;

  ft_run_assert_exit (first, 0);
  fp_assert_stderr_is (first, PREFIX "file_1mb.bin was not on the server; uploaded it "
                    "(1048576 bytes) before the timed run\n");
  r1 = fp_parse_result (first);
  fp_expect_init (&e, "thread", "download", 1, 3, 1);
  fp_check_success (r1, &e);
  ft_check (fp_get_bool (r1, "prepared"), "first run: prepared is not true: %s", r1->shown);
  fp_assert_server_file_documented (srv, "file_1mb.bin", MiB);

  second = fp_run (srv->port, "--operation", "get", "--volume", "1.0", "--client-pool", "3",
                     "--json", NULL);
  ft_run_assert_exit (second, 0);
  fp_assert_stderr_is (second, "");
  r2 = fp_parse_result (second);
  fp_check_success (r2, &e);
  ft_check (!fp_get_bool (r2, "prepared"), "second run: prepared is not false: %s", r2->shown);
  ft_server_stop (g_steal_pointer (&srv));
}

/* A fractional volume names and sizes the file as documented. */
static void
test_fractional_volume (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autoptr(FtRun) up = fp_run (srv->port, "--operation", "upload", "--volume", "0.5",
                                "--client-pool", "2", "--json", NULL);
  g_autoptr(FtRun) down = NULL;
  g_autoptr(FpResult) r = NULL;
  g_autoptr(FpResult) r2 = NULL;
  FpExpect e;

  ft_run_assert_exit (up, 0);
  r = fp_parse_result (up);
  fp_expect_init (&e, "thread", "upload", 0.5, 2, 1);
  fp_check_success (r, &e);
  fp_assert_server_file_documented (srv, "file_0.5mb.bin", MiB / 2);

  down = fp_run (srv->port, "--mode", "process", "--volume", "0.5", "--client-pool", "2",
                   "--json", NULL);
  ft_run_assert_exit (down, 0);
  fp_assert_stderr_is (down, "");
  r2 = fp_parse_result (down);
  fp_expect_init (&e, "process", "download", 0.5, 2, 1);
  fp_check_success (r2, &e);
  ft_check (!fp_get_bool (r2, "prepared"), "prepared after an upload run: %s", r2->shown);

  {
    g_autoptr(FtRun) odd = fp_run (srv->port, "--operation", "upload", "--volume", "0.3",
                                   "--client-pool", "1", "--json", NULL);
    g_autoptr(FpResult) r3 = NULL;

    ft_run_assert_exit (odd, 0);
    r3 = fp_parse_result (odd);
    fp_expect_init (&e, "thread", "upload", 0.3, 1, 1);
    g_assert_cmpint (e.file_bytes, ==, 314573);
    fp_check_success (r3, &e);
    fp_assert_server_file_documented (srv, "file_0.3mb.bin", 314573);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* --no-verify: everything succeeds, and the result never says verified. */
static void
test_no_verify (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autoptr(FtRun) run = fp_run (srv->port, "--volume", "1", "--client-pool", "2",
                                 "--no-verify", "--json", NULL);
  g_autoptr(FpResult) r = NULL;
  FpExpect e;

  ft_run_assert_exit (run, 0);
  r = fp_parse_result (run);
  fp_expect_init (&e, "thread", "download", 1, 2, 1);
  fp_check_shape (r, &e);
  g_assert_cmpint (fp_get_int (r, r->o, "success"), ==, 2);
  ft_check (!fp_get_bool (r, "verified"), "verified with --no-verify: %s", r->shown);
  ft_server_stop (g_steal_pointer (&srv));
}

/* ------------------------------------------------------------ usage */

typedef struct {
  const char *path;
  const char *args[6];
} UsageCase;

static const UsageCase usage_cases[] = {
  { "/pool/usage/client-pool-0", { "--client-pool", "0", NULL } },
  { "/pool/usage/client-pool-10001", { "--client-pool", "10001", NULL } },
  { "/pool/usage/volume-0", { "--volume", "0", NULL } },
  { "/pool/usage/transfer-bogus", { "--transfer", "binary", NULL } },
  { "/pool/usage/volume-negative", { "--volume", "-1", NULL } },
  { "/pool/usage/volume-too-large", { "--volume", "1048577", NULL } },
  { "/pool/usage/volume-nan", { "--volume=nan", NULL } },
  { "/pool/usage/volume-text", { "--volume", "ten", NULL } },
  { "/pool/usage/mode-bogus", { "--mode", "bogus", NULL } },
  { "/pool/usage/operation-bogus", { "--operation", "bogus", NULL } },
  { "/pool/usage/repeat-0", { "--repeat", "0", NULL } },
  { "/pool/usage/timeout-0", { "--timeout", "0", NULL } },
  { "/pool/usage/port-0", { "--port", "0", NULL } },
  { "/pool/usage/port-65536", { "--port", "65536", NULL } },
  { "/pool/usage/stray-argument", { "--operation", "list", "stray", NULL } },
  { "/pool/usage/unknown-option", { "--bogus", NULL } },
};

/* Usage errors come before any connection: --port points at a closed port
 * (unless the case sets its own), where a run would exit 3. */
static void
test_usage (gconstpointer data)
{
  const UsageCase *c = data;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *port = g_strdup_printf ("%u", ft_closed_port ());
  g_autoptr(FtRun) run = NULL;
  g_autofree char *msg = NULL;
  gboolean has_port = FALSE;

  for (gsize i = 0; c->args[i] != NULL; i++)
    {
      if (g_str_has_prefix (c->args[i], "--port"))
        has_port = TRUE;
      g_ptr_array_add (args, (char *) c->args[i]);
    }
  if (!has_port)
    {
      g_ptr_array_add (args, (char *) "--port");
      g_ptr_array_add (args, port);
    }
  g_ptr_array_add (args, NULL);
  run = fp_run_a (0, (const char * const *) args->pdata);
  ft_run_assert_exit (run, 2);
  msg = fp_assert_one_error_line (run);
  ft_note ("%s: %s", c->path, msg);
}

/* A result that cannot be written (standard output on a full disk):
 * exit 1 and one line, whichever the output form. */
static void
test_stdout_full (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  const char *json[] = { "--operation", "list", "--json", NULL };
  const char *summary[] = { "--operation", "list", NULL };
  const char * const *argss[] = { json, summary };

  for (gsize i = 0; i < G_N_ELEMENTS (argss); i++)
    {
      g_autoptr(GPtrArray) argv = fp_argv (srv->port, argss[i]);
      g_autoptr(FtRun) run = ft_run_start (NULL, NULL, "/dev/full", (const char * const *) argv->pdata);
      g_autofree char *msg = NULL;

      ft_run_wait (run, RUN_TIMEOUT);
      ft_run_assert_exit (run, 1);
      msg = fp_assert_one_error_line (run);
      ft_note ("%s", msg);
    }
  ft_server_stop (g_steal_pointer (&srv));
}

static void
test_help (gconstpointer data G_GNUC_UNUSED)
{
  const char *args[] = { "--help", NULL };
  const char *words[] = { "--mode", "--operation", "--volume", "--client-pool", "--repeat",
                          "--port", "--timeout", "--json", "--no-verify", NULL };
  g_autoptr(FtRun) run = fp_run_a (0, args);
  g_autofree char *out = ft_run_stdout_text (run);

  ft_run_assert_exit (run, 0);
  fp_assert_stderr_is (run, "");
  for (gsize i = 0; words[i] != NULL; i++)
    ft_check (strstr (out, words[i]) != NULL, "--help does not mention %s:\n%s", words[i], out);
}

static void
test_version (gconstpointer data G_GNUC_UNUSED)
{
  const char *args[] = { "--version", NULL };
  g_autoptr(FtRun) run = fp_run_a (0, args);
  g_autofree char *out = ft_run_stdout_text (run);

  ft_run_assert_exit (run, 0);
  fp_assert_stderr_is (run, "");
  g_assert_cmpstr (out, ==, "filestorm-pool (filestorm) 0.1.0\n");
}

int
main (int argc, char **argv)
{
  static const char * const modes[] = { "thread", "process" };
  static const char * const ops[] = { "upload", "download", "get", "list" };
  static MatrixCase matrix[G_N_ELEMENTS (modes) * G_N_ELEMENTS (modes) * G_N_ELEMENTS (ops)];
  static const MatrixCase repeats[] = {
    { "thread", "thread", "download", 3 },
    { "process", "process", "upload", 3 },
    { "process", "thread", "list", 3 },
  };
  static const MatrixCase raw[] = {
    { "thread", "process", "download", 2, "raw" },
    { "process", "thread", "download", 1, "raw" },
    { "thread", "thread", "upload", 2, "raw" },
    { "process", "process", "upload", 1, "raw" },
  };
  gsize n = 0;

  ft_init ();
  g_test_init (&argc, &argv, NULL);

  ft_test_add ("/pool/original/thread-upload", test_original_upload, NULL);
  ft_test_add ("/pool/original/process-download", test_original_download, NULL);
  ft_test_add ("/pool/summary/list", test_summary_list, NULL);
  for (gsize p = 0; p < G_N_ELEMENTS (modes); p++)
    for (gsize s = 0; s < G_N_ELEMENTS (modes); s++)
      for (gsize o = 0; o < G_N_ELEMENTS (ops); o++)
        {
          g_autofree char *path = g_strdup_printf ("/pool/json/%s-pool/%s-server/%s", modes[p],
                                                   modes[s], ops[o]);
          matrix[n] = (MatrixCase) { modes[p], modes[s], ops[o], 1 };
          ft_test_add (path, test_matrix, &matrix[n]);
          n++;
        }
  for (gsize i = 0; i < G_N_ELEMENTS (repeats); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pool/repeat/%s-pool/%s-server/%s",
                                               repeats[i].pool_mode, repeats[i].server_mode,
                                               repeats[i].operation);
      ft_test_add (path, test_matrix, &repeats[i]);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (raw); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pool/raw/%s-pool/%s-server/%s",
                                               raw[i].pool_mode, raw[i].server_mode,
                                               raw[i].operation);
      ft_test_add (path, test_matrix, &raw[i]);
    }
  ft_test_add ("/pool/download/prepare", test_prepare, NULL);
  ft_test_add ("/pool/volume/fraction", test_fractional_volume, NULL);
  ft_test_add ("/pool/no-verify", test_no_verify, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (usage_cases); i++)
    ft_test_add (usage_cases[i].path, test_usage, &usage_cases[i]);
  ft_test_add ("/pool/stdout-full", test_stdout_full, NULL);
  ft_test_add ("/pool/help", test_help, NULL);
  ft_test_add ("/pool/version", test_version, NULL);
  return g_test_run ();
}
