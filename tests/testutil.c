/* testutil.c: helpers for the end-to-end tests (see testutil.h). */
#include "config.h"

#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>

#define FRAME_END "\r\n\r\n"
#define UNKNOWN_FRAME "{\"status\":\"ERROR\",\"data\":\"request tidak dikenali\"}" FRAME_END
#define READY_FRAME "READY TO RECEIVE FILE" FRAME_END

void
ft_init (void)
{
  /* A server closing on us while we write must fail the write, not kill
   * the test program. */
  signal (SIGPIPE, SIG_IGN);
}

typedef struct {
  GTestDataFunc func;
  gconstpointer data;
} IsolatedCase;

#define SKIP_FILE "ft-skipped"

void
ft_skip (const char *reason)
{
  const char *scratch = g_getenv ("FT_SCRATCH");

  if (g_test_subprocess () && scratch != NULL)
    {
      g_autofree char *path = g_build_filename (scratch, SKIP_FILE, NULL);

      g_assert_true (g_file_set_contents (path, reason, -1, NULL));
    }
  g_test_skip (reason);
}

static void
run_isolated (gconstpointer p)
{
  const IsolatedCase *c = p;
  g_autofree char *scratch = NULL;
  g_autofree char *skip_path = NULL;
  g_autofree char *skipped = NULL;
  g_autoptr(GError) error = NULL;

  if (g_test_subprocess ())
    {
      c->func (c->data);
      return;
    }
  /* The case's temporary files go under a directory removed here, so that
   * a case that aborts leaves nothing behind. */
  scratch = g_dir_make_tmp ("filestorm-case-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("FT_SCRATCH", scratch, TRUE);
  /* The child's stdout is captured (a "Bail out!" there would end the TAP
   * stream); its stderr, with the failure message, goes to the log. */
  g_test_trap_subprocess (NULL, (guint64) FT_TEST_TIMEOUT * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("FT_SCRATCH");
  skip_path = g_build_filename (scratch, SKIP_FILE, NULL);
  if (!g_file_get_contents (skip_path, &skipped, NULL, NULL))
    skipped = NULL;
  ft_rm_rf (scratch);
  if (g_test_trap_reached_timeout ())
    g_test_fail_printf ("%s: no result within %d s", g_test_get_path (), FT_TEST_TIMEOUT);
  else if (skipped != NULL && !g_test_trap_has_passed ())
    g_test_skip (skipped);
  else if (!g_test_trap_has_passed ())
    g_test_fail_printf ("%s failed: see its messages on stderr", g_test_get_path ());
}

void
ft_test_add (const char *path, GTestDataFunc func, gconstpointer data)
{
  IsolatedCase *c = g_new (IsolatedCase, 1);

  c->func = func;
  c->data = data;
  g_test_add_data_func_full (path, c, run_isolated, g_free);
}

void
ft_note (const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (g_test_subprocess ())
    g_printerr ("# %s\n", text);
  else
    g_test_message ("%s", text);
}

double
ft_now (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

char *
ft_preview (const void *data, gsize len)
{
  const gsize max = 300;
  GString *out = g_string_new (NULL);
  const guint8 *p = data;

  for (gsize i = 0; i < len && i < max; i++)
    {
      if (p[i] == '\\')
        g_string_append (out, "\\\\");
      else if (p[i] == '\n')
        g_string_append (out, "\\n");
      else if (p[i] == '\r')
        g_string_append (out, "\\r");
      else if (p[i] < 0x20 || p[i] >= 0x7f)
        g_string_append_printf (out, "\\x%02x", p[i]);
      else
        g_string_append_c (out, (char) p[i]);
    }
  if (len > max)
    g_string_append_printf (out, "... (%" G_GSIZE_FORMAT " bytes)", len);
  return g_string_free (out, FALSE);
}

char *
ft_preview_bytes (GBytes *bytes)
{
  gsize len = 0;
  const void *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;
  return ft_preview (data, len);
}

char *
ft_preview_json (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  return ft_preview (text, strlen (text));
}

/* ================================================================ server */

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
child_setup (gpointer data G_GNUC_UNUSED)
{
  /* A program started by a test (the server too) must not outlive a test
   * program that aborts on a failed assertion; and it must see SIGPIPE as
   * a default process would (ignored dispositions survive exec). */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  signal (SIGPIPE, SIG_DFL);
}

static void
server_child_setup (gpointer data)
{
  child_setup (data);
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

/* ================================================================ client */

FtConn *
ft_conn_new (guint16 port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  FtConn *conn = g_new0 (FtConn, 1);

  g_socket_client_set_timeout (client, FT_IO_TIMEOUT);
  g_socket_client_set_enable_proxy (client, FALSE);
  conn->connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  g_assert_no_error (error);
  conn->socket = g_socket_connection_get_socket (conn->connection);
  g_socket_set_timeout (conn->socket, FT_IO_TIMEOUT);
  conn->pending = g_byte_array_new ();
  return conn;
}

void
ft_conn_free (FtConn *conn)
{
  if (conn == NULL)
    return;
  g_socket_close (conn->socket, NULL);
  g_object_unref (conn->connection);
  g_byte_array_unref (conn->pending);
  g_free (conn);
}

void
ft_conn_shutdown_write (FtConn *conn)
{
  g_autoptr(GError) error = NULL;

  g_socket_shutdown (conn->socket, FALSE, TRUE, &error);
  g_assert_no_error (error);
}

void
ft_conn_reset (FtConn *conn)
{
  struct linger lg = { 1, 0 };

  g_assert_cmpint (setsockopt (g_socket_get_fd (conn->socket), SOL_SOCKET, SO_LINGER,
                               &lg, sizeof lg), ==, 0);
  ft_conn_free (conn);
}

gboolean
ft_port_refuses (guint16 port)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (socket);
  g_socket_set_timeout (socket, 2);
  if (g_socket_connect (socket, address, NULL, &error))
    return FALSE;
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

void
ft_conn_set_timeout (FtConn *conn, guint seconds)
{
  g_socket_set_timeout (conn->socket, seconds);
}

gboolean
ft_conn_try_send (FtConn *conn, const void *data, gsize len, GError **error)
{
  const char *p = data;

  while (len > 0)
    {
      gssize n = g_socket_send (conn->socket, p, len, NULL, error);
      if (n < 0)
        return FALSE;
      p += n;
      len -= (gsize) n;
      conn->sent += (guint64) n;
    }
  return TRUE;
}

void
ft_conn_send (FtConn *conn, const void *data, gsize len)
{
  g_autoptr(GError) error = NULL;

  ft_conn_try_send (conn, data, len, &error);
  g_assert_no_error (error);
}

void
ft_conn_send_str (FtConn *conn, const char *text)
{
  ft_conn_send (conn, text, strlen (text));
}

gssize
ft_conn_recv_some (FtConn *conn, gsize max, GError **error)
{
  guint old = conn->pending->len;
  gssize n;

  g_byte_array_set_size (conn->pending, old + (guint) max);
  n = g_socket_receive (conn->socket, (char *) conn->pending->data + old, max, NULL, error);
  g_byte_array_set_size (conn->pending, old + (guint) MAX (n, 0));
  if (n > 0)
    conn->received += (guint64) n;
  return n;
}

GBytes *
ft_conn_read_frame (FtConn *conn, GError **error)
{
  gsize scan = 0;

  for (;;)
    {
      GByteArray *p = conn->pending;
      gssize n;

      if (p->len >= FT_MAX_FRAME)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       "no frame terminator in %u bytes", p->len);
          return NULL;
        }
      if (p->len >= 4)
        {
          const guint8 *hit = memmem (p->data + scan, p->len - scan, FRAME_END, 4);
          if (hit != NULL)
            {
              gsize len = (gsize) (hit - p->data) + 4;
              if (len == p->len)
                {
                  conn->pending = g_byte_array_new ();
                  return g_byte_array_free_to_bytes (p);
                }
              GBytes *frame = g_bytes_new (p->data, len);
              g_byte_array_remove_range (p, 0, (guint) len);
              return frame;
            }
          scan = p->len >= 3 ? p->len - 3 : 0;
        }
      n = ft_conn_recv_some (conn, 256 * 1024, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        {
          g_autofree char *shown = ft_preview (conn->pending->data, conn->pending->len);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                       "server closed the connection before a whole frame "
                       "(%u bytes pending: \"%s\")", conn->pending->len, shown);
          return NULL;
        }
    }
}

gboolean
ft_conn_wait_closed (FtConn *conn, double timeout, gsize *extra_bytes)
{
  double deadline = ft_now () + timeout;
  gsize extra = conn->pending->len;
  gboolean closed = FALSE;

  g_byte_array_set_size (conn->pending, 0);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      double left = deadline - ft_now ();
      char buf[65536];
      gssize n;

      if (left <= 0)
        break;
      if (!g_socket_condition_timed_wait (conn->socket, G_IO_IN,
                                          (gint64) (left * G_USEC_PER_SEC), NULL, &error))
        break;
      n = g_socket_receive (conn->socket, buf, sizeof buf, NULL, &error);
      /* end of stream, or a reset (whatever GIO maps ECONNRESET to) */
      if (n == 0 || (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) &&
                     !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)))
        {
          closed = TRUE;
          break;
        }
      if (n < 0)
        {
          ft_note ("waiting for close: %s", error->message);
          break;
        }
      extra += (gsize) n;
    }
  if (extra_bytes != NULL)
    *extra_bytes = extra;
  return closed;
}

JsonNode *
ft_parse_frame (GBytes *frame)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = ft_preview_bytes (frame);
  gsize len = 0;
  const char *data = g_bytes_get_data (frame, &len);
  JsonObject *object;
  JsonNode *status;

  ft_check (len >= 4 && memcmp (data + len - 4, FRAME_END, 4) == 0,
            "frame does not end in \\r\\n\\r\\n: \"%s\"", shown);
  ft_check (g_utf8_validate (data, (gssize) len - 4, NULL),
            "frame is not valid UTF-8: \"%s\"", shown);
  json_parser_load_from_data (parser, data, (gssize) len - 4, &error);
  ft_check (error == NULL, "frame is not JSON (%s): \"%s\"", error ? error->message : "", shown);
  ft_check (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)),
            "frame is not a JSON object: \"%s\"", shown);
  object = json_node_get_object (json_parser_get_root (parser));
  status = json_object_get_member (object, "status");
  ft_check (status != NULL && JSON_NODE_HOLDS_VALUE (status) &&
            json_node_get_value_type (status) == G_TYPE_STRING &&
            (g_strcmp0 (json_node_get_string (status), "OK") == 0 ||
             g_strcmp0 (json_node_get_string (status), "ERROR") == 0),
            "frame has no \"status\" of \"OK\" or \"ERROR\": \"%s\"", shown);
  return json_node_copy (json_parser_get_root (parser));
}

JsonNode *
ft_conn_read_json (FtConn *conn)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) frame = ft_conn_read_frame (conn, &error);

  g_assert_no_error (error);
  return ft_parse_frame (frame);
}

GBytes *
ft_request_raw (FtConn *conn, const char *line)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strconcat (line, "\n", NULL);
  GBytes *frame;

  ft_conn_send_str (conn, text);
  frame = ft_conn_read_frame (conn, &error);
  if (error != NULL)
    {
      g_autofree char *shown = ft_preview (line, strlen (line));
      ft_fail ("no answer to \"%s\": %s", shown, error->message);
    }
  return frame;
}

JsonNode *
ft_request (FtConn *conn, const char *line)
{
  g_autoptr(GBytes) frame = ft_request_raw (conn, line);
  return ft_parse_frame (frame);
}

const char *
ft_status (JsonNode *answer)
{
  return json_object_get_string_member (json_node_get_object (answer), "status");
}

void
ft_assert_ok (JsonNode *answer)
{
  if (g_strcmp0 (ft_status (answer), "OK") != 0)
    {
      g_autofree char *shown = ft_preview_json (answer);
      ft_fail ("expected status OK, got %s", shown);
    }
}

const char *
ft_assert_error (JsonNode *answer)
{
  JsonObject *object = json_node_get_object (answer);
  JsonNode *data = json_object_get_member (object, "data");
  g_autofree char *shown = ft_preview_json (answer);

  ft_check (g_strcmp0 (ft_status (answer), "ERROR") == 0, "expected status ERROR, got %s", shown);
  ft_check (data != NULL && JSON_NODE_HOLDS_VALUE (data) &&
            json_node_get_value_type (data) == G_TYPE_STRING &&
            *json_node_get_string (data) != '\0',
            "ERROR answer without a message string in \"data\": %s", shown);
  return json_node_get_string (data);
}

void
ft_assert_unknown_frame (GBytes *frame)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (frame, &len);
  g_autofree char *shown = ft_preview_bytes (frame);

  ft_check (len == strlen (UNKNOWN_FRAME) && memcmp (data, UNKNOWN_FRAME, len) == 0,
            "expected exactly {\"status\":\"ERROR\",\"data\":\"request tidak dikenali\"}"
            "\\r\\n\\r\\n, got \"%s\"", shown);
}

void
ft_conn_read_ready (FtConn *conn)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) ready = ft_conn_read_frame (conn, &error);

  g_assert_no_error (error);
  ft_assert_ready_frame (ready);
}

void
ft_assert_ready_frame (GBytes *frame)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (frame, &len);
  g_autofree char *shown = ft_preview_bytes (frame);

  ft_check (len == strlen (READY_FRAME) && memcmp (data, READY_FRAME, len) == 0,
            "expected exactly READY TO RECEIVE FILE\\r\\n\\r\\n, got \"%s\"", shown);
}

char *
ft_quote (const char *name)
{
  GString *out;

  if (*name != '\0' && strpbrk (name, " \t\"'\\") == NULL)
    return g_strdup (name);
  out = g_string_new ("\"");
  for (const char *p = name; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------------------- commands */

static const char *
string_member (JsonNode *answer, const char *member)
{
  JsonObject *object = json_node_get_object (answer);
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *shown = ft_preview_json (answer);

  ft_check (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
            json_node_get_value_type (node) == G_TYPE_STRING,
            "answer has no string member \"%s\": %s", member, shown);
  return json_node_get_string (node);
}

GStrv
ft_list (FtConn *conn)
{
  g_autoptr(JsonNode) answer = ft_request (conn, "LIST");
  g_autofree char *shown = ft_preview_json (answer);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  JsonNode *data;
  JsonArray *array;

  ft_assert_ok (answer);
  data = json_object_get_member (json_node_get_object (answer), "data");
  ft_check (data != NULL && JSON_NODE_HOLDS_ARRAY (data), "LIST answer without a \"data\" array: %s", shown);
  array = json_node_get_array (data);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      ft_check (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING,
                "LIST element %u is not a string: %s", i, shown);
      g_strv_builder_add (names, json_node_get_string (e));
    }
  return g_strv_builder_end (names);
}

GBytes *
ft_get (FtConn *conn, const char *name, GBytes *expect)
{
  g_autofree char *quoted = ft_quote (name);
  g_autofree char *line = g_strconcat ("GET ", quoted, NULL);
  g_autoptr(JsonNode) answer = ft_request (conn, line);
  const char *b64;
  guchar *decoded;
  gsize decoded_len = 0;

  ft_assert_ok (answer);
  ft_check (g_strcmp0 (string_member (answer, "data_namafile"), name) == 0,
            "GET %s: data_namafile is \"%s\"", name, string_member (answer, "data_namafile"));
  b64 = string_member (answer, "data_file");
  if (expect != NULL)
    {
      gsize want_len = 0;
      const guint8 *want = g_bytes_get_data (expect, &want_len);
      g_autofree char *want_b64 = g_base64_encode (want, want_len);

      if (strcmp (b64, want_b64) != 0)
        {
          gsize i = 0;
          while (b64[i] != '\0' && b64[i] == want_b64[i])
            i++;
          ft_fail ("GET %s: data_file differs from the base64 of the content at "
                   "offset %" G_GSIZE_FORMAT " (got %" G_GSIZE_FORMAT " chars, want %"
                   G_GSIZE_FORMAT ")", name, i, strlen (b64), strlen (want_b64));
        }
    }
  decoded = g_base64_decode (b64, &decoded_len);
  if (expect != NULL)
    {
      gsize want_len = 0;
      const guint8 *want = g_bytes_get_data (expect, &want_len);
      ft_assert_same_bytes (decoded, decoded_len, want, want_len);
    }
  return g_bytes_new_take (decoded, decoded_len);
}

static char *
check_upload_answer (JsonNode *answer, const char *what)
{
  JsonObject *object;
  JsonNode *data;
  JsonNode *path;
  g_autofree char *shown = ft_preview_json (answer);

  ft_check (g_strcmp0 (ft_status (answer), "OK") == 0, "%s: expected OK, got %s", what, shown);
  ft_check (g_strcmp0 (string_member (answer, "message"), "File uploaded successfully") == 0,
            "%s: wrong message in %s", what, shown);
  object = json_node_get_object (answer);
  data = json_object_get_member (object, "data");
  ft_check (data != NULL && JSON_NODE_HOLDS_OBJECT (data), "%s: no \"data\" object in %s", what, shown);
  path = json_object_get_member (json_node_get_object (data), "file_path");
  ft_check (path != NULL && JSON_NODE_HOLDS_VALUE (path) &&
            json_node_get_value_type (path) == G_TYPE_STRING,
            "%s: no data.file_path string in %s", what, shown);
  return g_strdup (json_node_get_string (path));
}

char *
ft_upload_line (FtConn *conn, const char *name, const guint8 *data, gsize len)
{
  g_autofree char *quoted = ft_quote (name);
  g_autofree char *b64 = NULL;
  g_autoptr(GString) line = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) frame = NULL;
  g_autofree char *what = g_strdup_printf ("one-line UPLOAD %s (%" G_GSIZE_FORMAT " bytes)", name, len);

  g_assert_cmpuint (len, >, 0); /* "UPLOAD name" alone is the streamed form */
  b64 = g_base64_encode (data, len);
  line = g_string_sized_new (strlen (b64) + strlen (quoted) + 16);
  g_string_append_printf (line, "UPLOAD %s %s\n", quoted, b64);
  ft_conn_send (conn, line->str, line->len);
  frame = ft_conn_read_frame (conn, &error);
  ft_check (error == NULL, "%s: no answer: %s", what, error ? error->message : "");
  answer = ft_parse_frame (frame);
  return check_upload_answer (answer, what);
}

JsonNode *
ft_upload_stream_answer (FtConn *conn, const char *name, const guint8 *data,
                         gsize len, gsize line_len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) ready = NULL;
  g_autoptr(GBytes) frame = NULL;
  g_autofree char *b64 = g_base64_encode (data, len);
  g_autofree char *request = NULL;
  gsize b64_len = strlen (b64);

  if (name != NULL)
    {
      g_autofree char *quoted = ft_quote (name);
      request = g_strdup_printf ("UPLOAD %s\n", quoted);
    }
  else
    request = g_strdup ("UPLOAD\n");
  ft_conn_send_str (conn, request);
  ready = ft_conn_read_frame (conn, &error);
  ft_check (error == NULL, "streamed UPLOAD %s: no READY: %s", name ? name : "(unnamed)",
            error ? error->message : "");
  ft_assert_ready_frame (ready);

  if (line_len == 0)
    line_len = MAX (b64_len, 1);
  for (gsize off = 0; off < b64_len; off += line_len)
    {
      ft_conn_send (conn, b64 + off, MIN (line_len, b64_len - off));
      ft_conn_send (conn, "\n", 1);
    }
  ft_conn_send_str (conn, "ENDUPLOAD\n");
  frame = ft_conn_read_frame (conn, &error);
  ft_check (error == NULL, "streamed UPLOAD %s: no answer after ENDUPLOAD: %s",
            name ? name : "(unnamed)", error ? error->message : "");
  return ft_parse_frame (frame);
}

char *
ft_upload_stream (FtConn *conn, const char *name, const guint8 *data, gsize len, gsize line_len)
{
  g_autoptr(JsonNode) answer = ft_upload_stream_answer (conn, name, data, len, line_len);
  g_autofree char *what = g_strdup_printf ("streamed UPLOAD %s (%" G_GSIZE_FORMAT " bytes)",
                                           name ? name : "(unnamed)", len);
  return check_upload_answer (answer, what);
}

void
ft_delete (FtConn *conn, const char *name)
{
  g_autofree char *quoted = ft_quote (name);
  g_autofree char *line = g_strconcat ("DELETE ", quoted, NULL);
  g_autoptr(JsonNode) answer = ft_request (conn, line);
  g_autofree char *shown = ft_preview_json (answer);

  ft_check (g_strcmp0 (ft_status (answer), "OK") == 0, "DELETE %s: expected OK, got %s", name, shown);
  ft_check (g_strcmp0 (string_member (answer, "message"), "File deleted successfully") == 0,
            "DELETE %s: wrong message in %s", name, shown);
}

static const char * const counters[] = {
  "connections", "requests", "requests_ok", "requests_failed", "workers_ok",
  "workers_failed", "worker_restarts", "bytes_in", "bytes_out", NULL
};

JsonNode *
ft_stats (FtConn *conn)
{
  g_autoptr(JsonNode) answer = ft_request (conn, "STATS");
  g_autofree char *shown = ft_preview_json (answer);
  JsonNode *data;
  JsonObject *object;
  JsonNode *member;

  ft_assert_ok (answer);
  data = json_object_get_member (json_node_get_object (answer), "data");
  ft_check (data != NULL && JSON_NODE_HOLDS_OBJECT (data), "STATS answer without a \"data\" object: %s", shown);
  object = json_node_get_object (data);

  member = json_object_get_member (object, "mode");
  ft_check (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
            json_node_get_value_type (member) == G_TYPE_STRING &&
            (g_strcmp0 (json_node_get_string (member), "thread") == 0 ||
             g_strcmp0 (json_node_get_string (member), "process") == 0),
            "STATS: bad \"mode\": %s", shown);
  member = json_object_get_member (object, "uptime_s");
  ft_check (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
            (json_node_get_value_type (member) == G_TYPE_INT64 ||
             json_node_get_value_type (member) == G_TYPE_DOUBLE) &&
            json_node_get_double (member) >= 0,
            "STATS: bad \"uptime_s\": %s", shown);
  for (gsize i = 0; counters[i] != NULL; i++)
    ft_check (ft_stat (data, counters[i]) >= 0, "STATS: negative %s: %s", counters[i], shown);
  ft_check (ft_stat (data, "pool") >= 1, "STATS: bad pool: %s", shown);
  ft_check (ft_stat (data, "pid") > 1, "STATS: bad pid: %s", shown);
  return json_node_copy (data);
}

gint64
ft_stat (JsonNode *stats, const char *member)
{
  JsonNode *node = json_object_get_member (json_node_get_object (stats), member);
  g_autofree char *shown = ft_preview_json (stats);

  ft_check (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
            json_node_get_value_type (node) == G_TYPE_INT64,
            "STATS data has no integer member \"%s\": %s", member, shown);
  return json_node_get_int (node);
}

/* ================================================================ data */

guint8 *
ft_content (guint64 seed, gsize len)
{
  guint8 *out = g_malloc (len + 1);
  guint64 x = seed * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15) + G_GUINT64_CONSTANT (0x2545F4914F6CDD1D);

  if (x == 0)
    x = 1;
  for (gsize i = 0; i < len; i += 8)
    {
      guint64 v;
      x ^= x >> 12;
      x ^= x << 25;
      x ^= x >> 27;
      v = x * G_GUINT64_CONSTANT (0x2545F4914F6CDD1D);
      memcpy (out + i, &v, MIN (8, len - i));
    }
  return out;
}

GBytes *
ft_content_bytes (guint64 seed, gsize len)
{
  return g_bytes_new_take (ft_content (seed, len), len);
}

void
ft_assert_same_bytes (const guint8 *got, gsize got_len, const guint8 *want, gsize want_len)
{
  if (got_len == want_len && memcmp (got, want, got_len) == 0)
    return;
  for (gsize i = 0; i < MIN (got_len, want_len); i++)
    if (got[i] != want[i])
      ft_fail ("content differs at byte %" G_GSIZE_FORMAT ": got 0x%02x, want 0x%02x "
               "(lengths %" G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT ")",
               i, got[i], want[i], got_len, want_len);
  ft_fail ("content has %" G_GSIZE_FORMAT " bytes, want %" G_GSIZE_FORMAT
           " (equal up to the shorter)", got_len, want_len);
}

/* ================================================================ files */

void
ft_write_file (const char *dir, const char *name, const void *data, gsize len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  /* GLib 2.74 writes G_FILE_SET_CONTENTS_NONE in place without truncating:
   * a shorter content would keep the old file's tail. */
  g_unlink (path);
  g_file_set_contents_full (path, data, (gssize) len, G_FILE_SET_CONTENTS_NONE, 0644, &error);
  g_assert_no_error (error);
}

GBytes *
ft_read_file (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, &error))
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return NULL;
      g_assert_no_error (error);
    }
  return g_bytes_new_take (data, len);
}

gboolean
ft_exists (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  struct stat st;

  return lstat (path, &st) == 0;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
ft_dir_entries (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = g_dir_open (dir, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

void
ft_assert_file_is (const char *dir, const char *name, GBytes *want)
{
  g_autoptr(GBytes) got = ft_read_file (dir, name);

  ft_check (got != NULL, "%s/%s does not exist", dir, name);
  ft_assert_same_bytes (g_bytes_get_data (got, NULL), g_bytes_get_size (got),
                        g_bytes_get_data (want, NULL), g_bytes_get_size (want));
}

void
ft_assert_no_hidden (const char *root, const char * const *allowed, const char *what)
{
  g_autofree char *left = NULL;

  ft_check (ft_wait_no_hidden (root, allowed, 10.0, &left),
            "%s: hidden/temporary file \"%s\" left in the root", what, left);
}

gboolean
ft_wait_no_hidden (const char *dir, const char * const *allowed, double timeout, char **left)
{
  double deadline = ft_now () + timeout;

  for (;;)
    {
      g_auto(GStrv) entries = ft_dir_entries (dir);
      const char *found = NULL;

      for (gsize i = 0; entries[i] != NULL && found == NULL; i++)
        if (entries[i][0] == '.' &&
            (allowed == NULL || !g_strv_contains (allowed, entries[i])))
          found = entries[i];
      if (found == NULL)
        return TRUE;
      if (ft_now () > deadline)
        {
          if (left != NULL)
            *left = g_strdup (found);
          return FALSE;
        }
      g_usleep (20 * 1000);
    }
}

static int
rm_one (const char *path, const struct stat *st G_GNUC_UNUSED, int flag G_GNUC_UNUSED,
        struct FTW *ftw G_GNUC_UNUSED)
{
  remove (path);
  return 0;
}

void
ft_rm_rf (const char *path)
{
  nftw (path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ================================================================ /proc */

/* State letter and PPid of pid from /proc/PID/status; FALSE if gone. */
static gboolean
proc_status (pid_t pid, char *state, pid_t *ppid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *text = NULL;
  const char *p;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  p = strstr (text, "\nState:");
  if (p == NULL)
    return FALSE;
  p += strlen ("\nState:");
  while (*p == ' ' || *p == '\t')
    p++;
  *state = *p;
  p = strstr (text, "\nPPid:");
  if (p == NULL)
    return FALSE;
  *ppid = (pid_t) atoi (p + strlen ("\nPPid:"));
  return TRUE;
}

pid_t
ft_proc_ppid (pid_t pid)
{
  char state;
  pid_t ppid;

  if (!proc_status (pid, &state, &ppid))
    return -1;
  return ppid;
}

gboolean
ft_proc_alive (pid_t pid)
{
  char state;
  pid_t ppid;

  return proc_status (pid, &state, &ppid) && state != 'Z' && state != 'X';
}

static GArray *
scan_proc (pid_t ppid, const char *needle)
{
  GArray *found = g_array_new (FALSE, FALSE, sizeof (pid_t));
  g_autoptr(GDir) d = g_dir_open ("/proc", 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      char state;
      pid_t pid, parent;

      if (!g_ascii_isdigit (name[0]))
        continue;
      pid = (pid_t) atoi (name);
      if (pid == getpid () || !proc_status (pid, &state, &parent) || state == 'Z' || state == 'X')
        continue;
      if (needle == NULL)
        {
          if (parent == ppid)
            g_array_append_val (found, pid);
        }
      else
        {
          g_autofree char *path = g_strdup_printf ("/proc/%d/cmdline", (int) pid);
          g_autofree char *cmdline = NULL;
          gsize len = 0;

          if (g_file_get_contents (path, &cmdline, &len, NULL) &&
              memmem (cmdline, len, needle, strlen (needle)) != NULL)
            g_array_append_val (found, pid);
        }
    }
  return found;
}

GArray *
ft_proc_children (pid_t ppid)
{
  return scan_proc (ppid, NULL);
}

GArray *
ft_proc_with_cmdline (const char *needle)
{
  return scan_proc (0, needle);
}

/* ---------------------------------------------------------------- programs */

static void
run_communicated (GObject *source, GAsyncResult *result, gpointer data)
{
  FtRun *run = data;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, &run->out, &run->err,
                                   &run->error);
  /* stdout not piped (redirected to a file): nothing collected */
  if (run->out == NULL)
    run->out = g_bytes_new (NULL, 0);
  run->elapsed = ft_now () - run->started;
  run->done = TRUE;
}

static gboolean
run_set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

FtRun *
ft_run_start (const char *cwd, const char *stdin_path, const char *stdout_path,
              const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                 (stdout_path ? 0 : G_SUBPROCESS_FLAGS_STDOUT_PIPE));
  g_autoptr(GError) error = NULL;
  FtRun *run = g_new0 (FtRun, 1);

  run->cmd = g_strjoinv (" ", (char **) argv);
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  if (stdin_path != NULL)
    g_subprocess_launcher_set_stdin_file_path (launcher, stdin_path);
  if (stdout_path != NULL)
    g_subprocess_launcher_set_stdout_file_path (launcher, stdout_path);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  run->ctx = g_main_context_new ();
  run->started = ft_now ();
  run->proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  ft_check (error == NULL, "cannot start %s: %s", run->cmd, error ? error->message : "");
  g_main_context_push_thread_default (run->ctx);
  g_subprocess_communicate_async (run->proc, NULL, NULL, run_communicated, run);
  g_main_context_pop_thread_default (run->ctx);
  return run;
}

void
ft_run_poll (FtRun *run)
{
  while (g_main_context_iteration (run->ctx, FALSE))
    ;
}

void
ft_run_wait (FtRun *run, double timeout)
{
  gboolean expired = FALSE;
  GSource *timer = g_timeout_source_new ((guint) (timeout * 1000));

  g_source_set_callback (timer, run_set_flag, &expired, NULL);
  g_source_attach (timer, run->ctx);
  while (!run->done && !expired)
    g_main_context_iteration (run->ctx, TRUE);
  g_source_destroy (timer);
  g_source_unref (timer);
  if (!run->done)
    ft_fail ("%s: still running after %.0f s (killed)", run->cmd, timeout);
  ft_check (run->error == NULL, "%s: %s", run->cmd, run->error ? run->error->message : "");
}

void
ft_run_free (FtRun *run)
{
  if (run == NULL)
    return;
  if (!run->done && run->proc != NULL)
    {
      double deadline = ft_now () + 5;

      g_subprocess_force_exit (run->proc);
      while (!run->done && ft_now () < deadline)
        if (!g_main_context_iteration (run->ctx, FALSE))
          g_usleep (5000);
    }
  g_clear_object (&run->proc);
  /* A run that never completed keeps its context: its callback may still
   * come. */
  if (run->done)
    g_main_context_unref (run->ctx);
  g_clear_pointer (&run->out, g_bytes_unref);
  g_clear_pointer (&run->err, g_bytes_unref);
  g_clear_error (&run->error);
  g_free (run->cmd);
  g_free (run);
}

static char *
bytes_text (GBytes *bytes)
{
  gsize len = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;

  return g_strndup (data ? data : "", len);
}

char *
ft_run_stdout_text (FtRun *run)
{
  return bytes_text (run->out);
}

char *
ft_run_stderr_text (FtRun *run)
{
  return bytes_text (run->err);
}

void
ft_run_assert_exit (FtRun *run, int want)
{
  gsize out_len = 0, err_len = 0;
  const char *o = run->out ? g_bytes_get_data (run->out, &out_len) : NULL;
  const char *e = run->err ? g_bytes_get_data (run->err, &err_len) : NULL;
  g_autofree char *out = ft_preview (o, out_len);
  g_autofree char *err = ft_preview (e, err_len);

  ft_check (!g_subprocess_get_if_signaled (run->proc),
            "%s: killed by signal %d (stdout \"%s\", stderr \"%s\")", run->cmd,
            g_subprocess_get_term_sig (run->proc), out, err);
  ft_check (g_subprocess_get_if_exited (run->proc), "%s: did not exit", run->cmd);
  ft_check (g_subprocess_get_exit_status (run->proc) == want,
            "%s: exit status %d, expected %d (stdout \"%s\", stderr \"%s\")", run->cmd,
            g_subprocess_get_exit_status (run->proc), want, out, err);
}
