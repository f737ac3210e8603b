/* test-client-failures.c: end-to-end tests of filestorm-client when
 * things go wrong: answers that are not the protocol, usage errors, a
 * refused connection, a server that stalls, a full stdout; and --help and
 * --version. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client-run.h"
#include "hostile-server.h"

/* ------------------------------------------------------------ failures */

/* An answer that is not the protocol: exit 3, one line. */
static void
test_protocol_garbage (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtHostile) bs = ft_hostile_start_reply ("HTTP/1.0 400 Bad Request\r\n\r\n");
  g_autoptr(FtRun) run = fc_run (ft_hostile_port (bs), NULL, "list", NULL);
  g_autofree char *msg = NULL;

  fc_assert_exit (run, 3);
  msg = fc_assert_one_error_line (run);
  ft_note ("%s", msg);
}

/* A download cut off, or with content that is not base64: exit 3, and
 * neither the output file nor a temporary file, an existing one kept. */
static void
test_get_broken_answer (gconstpointer data)
{
  const char *reply = data;
  g_autofree char *dir = fc_work_dir ("broken");
  g_autofree char *out = g_build_filename (dir, "out.bin", NULL);
  g_autofree char *keep = g_build_filename (dir, "keep.bin", NULL);
  g_autoptr(GBytes) old = ft_content_bytes (80, 3000);

  {
    g_autoptr(FtHostile) bs = ft_hostile_start_reply (reply);
    g_autoptr(FtRun) run = fc_run (ft_hostile_port (bs), NULL, "get", "x.bin", "-o", out,
                                       NULL);

    fc_assert_exit (run, 3);
    g_free (fc_assert_one_error_line (run));
    {
      const char *want[] = { NULL };
      fc_assert_entries (dir, want);
    }
  }
  {
    g_autoptr(FtHostile) bs = ft_hostile_start_reply (reply);
    g_autoptr(FtRun) run = NULL;

    fc_write_local (dir, "keep.bin", old);
    run = fc_run (ft_hostile_port (bs), NULL, "get", "x.bin", "-o", keep, NULL);
    fc_assert_exit (run, 3);
    g_free (fc_assert_one_error_line (run));
    ft_assert_file_is (dir, "keep.bin", old);
    {
      const char *want[] = { "keep.bin", NULL };
      fc_assert_entries (dir, want);
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
  g_ptr_array_add (argv, g_strdup (fc_client_path ()));
  if (!has_port)
    {
      g_ptr_array_add (argv, g_strdup ("--port"));
      g_ptr_array_add (argv, g_strdup_printf ("%u", ft_closed_port ()));
    }
  for (gsize i = 0; c->args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (c->args[i]));
  g_ptr_array_add (argv, NULL);
  run = fc_run_argv (NULL, NULL, RUN_TIMEOUT, (const char * const *) argv->pdata);
  fc_assert_exit (run, 2);
  msg = fc_assert_one_error_line (run);
  ft_note ("%s: %s", c->path, msg);
}

static void
test_connect_refused (gconstpointer data G_GNUC_UNUSED)
{
  g_autofree char *port = g_strdup_printf ("%u", ft_closed_port ());
  const char *commands[] = { "list", "stats", NULL };

  {
    /* port 0 is within the range (no usage error); nothing answers there */
    g_autoptr(FtRun) run = fc_run_bare ("--port", "0", "list", NULL);
    fc_assert_exit (run, 3);
    g_free (fc_assert_one_error_line (run));
  }

  for (gsize i = 0; commands[i] != NULL; i++)
    {
      g_autoptr(FtRun) run = fc_run_bare ("--port", port, commands[i], NULL);
      fc_assert_exit (run, 3);
      g_free (fc_assert_one_error_line (run));
    }
  {
    g_autofree char *dir = fc_work_dir ("refused");
    g_autofree char *out = g_build_filename (dir, "o.bin", NULL);
    g_autoptr(FtRun) run = fc_run_bare ("-p", port, "get", "x.bin", "-o", out, NULL);

    fc_assert_exit (run, 3);
    g_free (fc_assert_one_error_line (run));
    {
      const char *want[] = { NULL };
      fc_assert_entries (dir, want);
    }
  }
}

/* A server that accepts (the kernel's backlog does) but never answers:
 * --timeout 1 gives up within a few seconds, and a get leaves no file. */
static void
test_timeout (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *dir = fc_work_dir ("stalled");
  g_autofree char *out = g_build_filename (dir, "out.bin", NULL);
  g_autofree char *port = g_strdup_printf ("%u", srv->port);
  const char *list_argv[] = { fc_client_path (), "--host", "127.0.0.1", "--port", port,
                              "--timeout", "1", "list", NULL };
  const char *get_argv[] = { fc_client_path (), "-t", "1", "--port", port,
                             "get", "x.bin", "-o", out, NULL };
  g_autoptr(FtRun) list = NULL;
  g_autoptr(FtRun) get = NULL;
  FtRun *runs[2];
  gboolean finished;
  double t0;

  g_bytes_unref (fc_put_on_server (srv, "x.bin", 70, 1000));
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
      fc_assert_exit (runs[i], 3);
      msg = fc_assert_one_error_line (runs[i]);
      ft_note ("timed out after %.2f s: %s", runs[i]->elapsed, msg);
      ft_check (runs[i]->elapsed >= 0.9, "%s: gave up after %.2f s, before the 1 s timeout",
                runs[i]->cmd, runs[i]->elapsed);
    }
  {
    const char *want[] = { NULL };
    fc_assert_entries (dir, want);
  }
  ft_server_stop (g_steal_pointer (&srv));
}

/* Standard output that cannot be written (a full disk): exit 3. */
static void
test_stdout_full (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", POOL, NULL);
  g_autofree char *port = g_strdup_printf ("%u", srv->port);
  const char *get_argv[] = { fc_client_path (), "--port", port, "get", "s.bin", "-o", "-", NULL };
  const char *list_argv[] = { fc_client_path (), "--port", port, "list", NULL };
  const char * const *argvs[] = { get_argv, list_argv };

  g_bytes_unref (fc_put_on_server (srv, "s.bin", 90, 200000));
  for (gsize i = 0; i < G_N_ELEMENTS (argvs); i++)
    {
      g_autoptr(FtRun) run = ft_run_start (NULL, NULL, "/dev/full", argvs[i]);
      g_autofree char *msg = NULL;

      ft_run_wait (run, RUN_TIMEOUT);
      fc_assert_exit (run, 3);
      msg = fc_assert_one_error_line (run);
      ft_note ("%s", msg);
    }
  ft_server_stop (g_steal_pointer (&srv));
}

static void
test_help (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtRun) run = fc_run_bare ("--help", NULL);
  g_autofree char *out = NULL;
  const char *words[] = { "list", "get", "upload", "delete", "stats", "--port", "--timeout",
                          "--output", "--name", "--raw", "--version", NULL };

  fc_assert_exit (run, 0);
  fc_assert_stderr_empty (run);
  out = ft_run_stdout_text (run);
  for (gsize i = 0; words[i] != NULL; i++)
    ft_check (strstr (out, words[i]) != NULL, "--help does not mention %s:\n%s", words[i], out);
}

static void
test_version (gconstpointer data G_GNUC_UNUSED)
{
  g_autoptr(FtRun) run = fc_run_bare ("--version", NULL);

  fc_assert_exit (run, 0);
  fc_assert_stderr_empty (run);
  fc_assert_stdout_is (run, "filestorm-client (filestorm) 0.1.0\n");
}

int
main (int argc, char **argv)
{
  /* Freed when main returns, so that LeakSanitizer finds nothing. */
  g_autoptr(GString) cut = NULL;

  ft_init ();
  g_test_init (&argc, &argv, NULL);

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
