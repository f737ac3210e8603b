/* testutil-server.c: starting and stopping the real filestorm-server for
 * a test (see testutil.h). */
#include "config.h"

#include "testutil.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>

char *
ft_program_path (const char *env_var, const char *name)
{
  const char *env = g_getenv (env_var);
  g_autoptr(GError) error = NULL;
  g_autofree char *self = NULL;
  g_autofree char *dir = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  self = g_file_read_link ("/proc/self/exe", &error);
  g_assert_no_error (error);
  dir = g_path_get_dirname (self);
  return g_build_filename (dir, "..", "src", name, NULL);
}

const char *
ft_server_path (void)
{
  static char *path;

  if (path == NULL)
    path = ft_program_path ("FILESTORM_SERVER", "filestorm-server");
  return path;
}

const char *
ft_pool_path (void)
{
  static char *path;

  if (path == NULL)
    path = ft_program_path ("FILESTORM_POOL", "filestorm-pool");
  return path;
}

/* RLIMIT_FSIZE for the next servers started, 0 for none. */
static guint64 server_fsize_limit;
/* The CPU the next servers are pinned to at SCHED_IDLE, -1 for none. */
static int server_idle_cpu = -1;

int
ft_pin_and_starve_servers (gboolean on)
{
  cpu_set_t set;
  int cpu;

  if (!on)
    {
      server_idle_cpu = -1;
      return -1;
    }
  g_assert_cmpint (sched_getaffinity (0, sizeof set, &set), ==, 0);
  for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET (cpu, &set); cpu++)
    ;
  g_assert_cmpint (cpu, <, CPU_SETSIZE);
  CPU_ZERO (&set);
  CPU_SET (cpu, &set);
  g_assert_cmpint (sched_setaffinity (0, sizeof set, &set), ==, 0);
  server_idle_cpu = cpu;
  return cpu;
}

void
ft_server_set_fsize_limit (guint64 bytes)
{
  server_fsize_limit = bytes;
}

static void
server_child_setup (gpointer data)
{
  ft_child_setup (data);
  if (server_idle_cpu >= 0)
    {
      struct sched_param param = { 0 };
      cpu_set_t set;

      CPU_ZERO (&set);
      CPU_SET (server_idle_cpu, &set);
      if (sched_setaffinity (0, sizeof set, &set) != 0
          || sched_setscheduler (0, SCHED_IDLE, &param) != 0)
        _exit (127);
    }
  if (server_fsize_limit != 0)
    {
      struct rlimit limit = { server_fsize_limit, server_fsize_limit };
      /* A default process takes SIGXFSZ as fatal, as the server would. */
      signal (SIGXFSZ, SIG_DFL);
      if (setrlimit (RLIMIT_FSIZE, &limit) != 0)
        _exit (127);
    }
}

static int
stdout_fd (FtServer *srv)
{
  GInputStream *in = g_subprocess_get_stdout_pipe (srv->proc);
  g_assert_true (G_IS_UNIX_INPUT_STREAM (in));
  return g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (in));
}

/* Reads up to and including '\n' from fd within timeout seconds. Returns
 * the line without '\n', or NULL with *why set. */
static char *
read_line_deadline (int fd, double timeout, char **why)
{
  double deadline = ft_now () + timeout;
  GString *line = g_string_new (NULL);

  for (;;)
    {
      double left = deadline - ft_now ();
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      char c;
      ssize_t n;

      if (left <= 0)
        {
          *why = g_strdup_printf ("no ready line within %.0f s (got \"%s\")", timeout, line->str);
          break;
        }
      if (poll (&pfd, 1, (int) (left * 1000) + 1) < 0)
        {
          if (errno == EINTR)
            continue;
          *why = g_strdup_printf ("poll: %s", g_strerror (errno));
          break;
        }
      if (pfd.revents == 0)
        continue;
      n = read (fd, &c, 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          *why = g_strdup_printf ("read: %s", g_strerror (errno));
          break;
        }
      if (n == 0)
        {
          *why = g_strdup_printf ("server closed stdout before its ready line (got \"%s\")", line->str);
          break;
        }
      if (c == '\n')
        return g_string_free (line, FALSE);
      g_string_append_c (line, c);
      if (line->len > 4096)
        {
          *why = g_strdup ("ready line longer than 4096 bytes");
          break;
        }
    }
  g_string_free (line, TRUE);
  return NULL;
}

/* Checks "listening on 127.0.0.1:PORT (MODE, pool N)" exactly; returns the
 * port, or 0 with *why set. */
static guint16
parse_ready_line (const char *line, const char *mode, guint pool, char **why)
{
  static const char prefix[] = "listening on 127.0.0.1:";
  const char *p = line;
  guint64 port = 0;
  gsize digits = 0;
  g_autofree char *tail = g_strdup_printf (" (%s, pool %u)", mode, pool);

  if (!g_str_has_prefix (line, prefix))
    goto bad;
  p += strlen (prefix);
  while (g_ascii_isdigit (p[digits]))
    {
      port = port * 10 + (guint64) (p[digits] - '0');
      digits++;
      if (digits > 5)
        goto bad;
    }
  if (digits == 0 || (digits > 1 && p[0] == '0') || port == 0 || port > 65535)
    goto bad;
  if (strcmp (p + digits, tail) != 0)
    goto bad;
  return (guint16) port;

bad:
  *why = g_strdup_printf ("ready line \"%s\" is not \"%sPORT%s\"", line, prefix, tail);
  return 0;
}

FtServer *
ft_server_start (const char *mode, guint pool, const char * const *extra)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *line = NULL;
  g_autofree char *why = NULL;
  FtServer *srv = g_new0 (FtServer, 1);

  if (g_getenv ("FT_SCRATCH") != NULL)
    {
      srv->base = g_build_filename (g_getenv ("FT_SCRATCH"), "server-XXXXXX", NULL);
      g_assert_nonnull (g_mkdtemp (srv->base));
    }
  else
    {
      srv->base = g_dir_make_tmp ("filestorm-test-XXXXXX", &error);
      g_assert_no_error (error);
    }
  srv->root = g_build_filename (srv->base, "root", NULL);
  srv->mode = g_strdup (mode);
  srv->pool = pool;

  g_ptr_array_add (argv, g_strdup (ft_server_path ()));
  g_ptr_array_add (argv, g_strdup ("--mode"));
  g_ptr_array_add (argv, g_strdup (mode));
  g_ptr_array_add (argv, g_strdup ("--pool"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", pool));
  g_ptr_array_add (argv, g_strdup ("--host"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1"));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup ("0"));
  g_ptr_array_add (argv, g_strdup ("--root"));
  g_ptr_array_add (argv, g_strdup (srv->root));
  for (gsize i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra[i]));
  g_ptr_array_add (argv, NULL);

  {
    g_autofree char *cmd = g_strjoinv (" ", (char **) argv->pdata);
    ft_note ("starting: %s", cmd);
  }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, server_child_setup, NULL, NULL);
  srv->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  srv->pid = (pid_t) atoi (g_subprocess_get_identifier (srv->proc));

  line = read_line_deadline (stdout_fd (srv), FT_READY_TIMEOUT, &why);
  if (line != NULL)
    srv->port = parse_ready_line (line, mode, pool, &why);
  if (line == NULL || srv->port == 0)
    {
      g_autofree char *msg = g_strdup (why);
      ft_server_free (srv);
      ft_fail ("filestorm-server --mode %s --pool %u: %s", mode, pool, msg);
    }
  return srv;
}

void
ft_server_signal (FtServer *srv, int sig)
{
  g_subprocess_send_signal (srv->proc, sig);
}

gboolean
ft_server_wait (FtServer *srv, double timeout)
{
  double deadline = ft_now () + timeout;

  /* GSubprocess reaps the child in GLib's worker thread and forgets its
   * identifier then, so polling it needs no main loop. */
  while (g_subprocess_get_identifier (srv->proc) != NULL)
    {
      if (ft_now () > deadline)
        return FALSE;
      g_usleep (5 * 1000);
    }
  g_subprocess_wait (srv->proc, NULL, NULL);
  return TRUE;
}

/* Whatever the server wrote on stdout after its ready line, read until end
 * of file (all its processes gone) or the deadline. */
static char *
drain_stdout (FtServer *srv, double timeout, gboolean *eof)
{
  int fd = stdout_fd (srv);
  double deadline = ft_now () + timeout;
  GString *rest = g_string_new (NULL);

  *eof = FALSE;
  while (ft_now () < deadline && rest->len < 65536)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      char buf[4096];
      ssize_t n;

      if (poll (&pfd, 1, 50) <= 0)
        continue;
      n = read (fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          *eof = TRUE;
          break;
        }
      g_string_append_len (rest, buf, n);
    }
  return g_string_free (rest, FALSE);
}

void
ft_server_assert_exit_ok (FtServer *srv)
{
  g_autofree char *rest = NULL;
  g_autofree char *shown = NULL;
  gboolean eof;

  ft_check (g_subprocess_get_identifier (srv->proc) == NULL,
            "server (pid %d) has not exited", (int) srv->pid);
  if (srv->reaped)
    return;
  srv->reaped = TRUE;
  if (g_subprocess_get_if_signaled (srv->proc))
    ft_fail ("server (pid %d, %s) was killed by signal %d instead of exiting 0",
             (int) srv->pid, srv->mode, g_subprocess_get_term_sig (srv->proc));
  ft_check (g_subprocess_get_if_exited (srv->proc), "server did not exit normally");
  ft_check (g_subprocess_get_exit_status (srv->proc) == 0,
            "server (pid %d, %s) exited %d, expected 0", (int) srv->pid, srv->mode,
            g_subprocess_get_exit_status (srv->proc));
  rest = drain_stdout (srv, 5.0, &eof);
  shown = ft_preview (rest, strlen (rest));
  ft_check (rest[0] == '\0', "server wrote more than its ready line on stdout: \"%s\"", shown);
  ft_check (eof, "server stdout still open 5 s after the server exited "
            "(a process of the server outlives it)");
}

void
ft_server_stop (FtServer *srv)
{
  if (g_subprocess_get_identifier (srv->proc) != NULL)
    {
      ft_server_signal (srv, SIGTERM);
      if (!ft_server_wait (srv, FT_STOP_TIMEOUT))
        {
          int pid = (int) srv->pid;
          g_autofree char *mode = g_strdup (srv->mode);
          ft_server_free (srv);
          ft_fail ("server (pid %d, %s) did not exit within %d s of SIGTERM",
                   pid, mode, FT_STOP_TIMEOUT);
        }
    }
  ft_server_assert_exit_ok (srv);
  ft_server_free (srv);
}

void
ft_server_free (FtServer *srv)
{
  if (srv == NULL)
    return;
  if (srv->proc != NULL)
    {
      if (g_subprocess_get_identifier (srv->proc) != NULL)
        {
          ft_server_signal (srv, SIGKILL);
          ft_server_wait (srv, FT_STOP_TIMEOUT);
        }
      g_object_unref (srv->proc);
    }
  if (srv->base != NULL)
    ft_rm_rf (srv->base);
  g_free (srv->base);
  g_free (srv->root);
  g_free (srv->mode);
  g_free (srv);
}
