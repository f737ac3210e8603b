/* stress-server.c: starting, watching and stopping the server of a
 * scenario: filestorm-server, or a command that speaks the protocol. */
#include "config.h"

#include "stress-server.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <gio/gunixinputstream.h>

#include "errors.h"
#include "stress-procs.h"

/* Deadlines, in seconds. */
#define READY_TIMEOUT 15   /* filestorm-server's "listening on" line */
#define STOP_TIMEOUT 20    /* filestorm-server to exit after SIGTERM (grace 10) */
#define GONE_TIMEOUT 2     /* a SIGKILLed process group to be gone */
#define KILL_TIMEOUT 5     /* a SIGKILLed child to be reaped */
/* Milliseconds between connection attempts while a command starts. */
#define CONNECT_INTERVAL_MS 20
/* Milliseconds one connection attempt may wait for its answer. */
#define CONNECT_WAIT_MS 200

typedef struct {
  gboolean (*start) (FsStressServer *s, const FsStressServerSpec *spec,
                     const FsScenario *scenario, GCancellable *interrupt, GError **error);
  gboolean (*stop)  (FsStressServer *s, GError **error);
  gboolean serves_root;
} Kind;

struct _FsStressServer {
  const Kind  *kind;
  GSubprocess *proc;       /* (owned) */
  pid_t        pid;        /* the process started; a command's group too */
  gboolean     own_group;  /* pid leads a process group of its own */
  char        *host;       /* (owned) */
  guint        port;
  guint        stop_grace;
  char        *base;       /* (owned) */
  char        *root;       /* (owned) base/root */
  char        *log_path;   /* (owned) base/server.log */
  FsServerStop stop;       /* how it ended when stopped */
  double       killed_after_s;
};

/* ------------------------------------------------------------ children */

static void
die_with_parent (gpointer data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
  /* A command runs in a process group of its own, so that stopping it
   * reaches every process it starts. */
  if (GPOINTER_TO_INT (data))
    setpgid (0, 0);
}

static GSubprocessLauncher *
launcher_new (GSubprocessFlags flags, gboolean own_group)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent,
                                         GINT_TO_POINTER (own_group), NULL);
  return launcher;
}

GSubprocess *
fs_stress_spawn (const char * const *argv, GSubprocessFlags flags, const char *stderr_path,
                 GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (flags, FALSE);

  GSubprocess *proc;

  if (stderr_path != NULL)
    g_subprocess_launcher_set_stderr_file_path (launcher, stderr_path);
  proc = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (proc != NULL)
    fs_stress_procs_track (proc);
  return proc;
}

void
fs_stress_keep_result (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static gboolean
on_deadline (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
exited (GSubprocess *proc)
{
  return g_subprocess_get_identifier (proc) == NULL;
}

/* Waits up to seconds for proc to exit; TRUE if it did. */
static gboolean
wait_exit (GSubprocess *proc, guint seconds)
{
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  gboolean expired = FALSE;
  /* Not g_timeout_add_seconds(): it may fire up to a second late, and the
   * grace is what server_stop reports. */
  guint timer = g_timeout_add (seconds * 1000, on_deadline, &expired);

  g_subprocess_wait_async (proc, cancel, fs_stress_keep_result, &done);
  while (done == NULL && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (timer);
  /* The callback must run before done goes out of scope. */
  g_cancellable_cancel (cancel);
  while (done == NULL)
    g_main_context_iteration (NULL, TRUE);
  return exited (proc);
}

/* The pid of proc, or 0 once it has exited and been reaped: GLib has no
 * identifier for it then (a command that exits at once can be gone
 * before we ask), and there is nothing to signal by its pid. */
static pid_t
proc_pid (GSubprocess *proc)
{
  const char *id = g_subprocess_get_identifier (proc);

  return id != NULL ? (pid_t) g_ascii_strtoll (id, NULL, 10) : 0;
}

gboolean
fs_stress_kill_and_reap (GSubprocess *proc, GError **error)
{
  g_autofree char *id = g_strdup (g_subprocess_get_identifier (proc));

  g_subprocess_force_exit (proc);
  if (wait_exit (proc, KILL_TIMEOUT))
    return TRUE;
  g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "process %s did not end within %d s of "
               "SIGKILL (stuck in the kernel?) and is left behind", id, KILL_TIMEOUT);
  return FALSE;
}

/* Kills proc; if it does not end, says so in *error (when set) too. */
static void
kill_or_say (GSubprocess *proc, GError **error)
{
  g_autoptr(GError) stuck = NULL;

  if (!fs_stress_kill_and_reap (proc, &stuck) && error != NULL && *error != NULL)
    {
      char *both = g_strdup_printf ("%s; %s", (*error)->message, stuck->message);
      g_free ((*error)->message);
      (*error)->message = both;
    }
}

/* The last lines of what the server wrote (at most three, from its last
 * 4 KiB), on one line: "a | b | c", or "no output". */
static char *
last_lines (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  g_autofree char *joined = NULL;
  gsize len = 0;
  const char *start;

  if (!g_file_get_contents (path, &text, &len, NULL) || len == 0)
    return g_strdup ("no output");
  start = text + (len > 4096 ? len - 4096 : 0);
  lines = g_strsplit (start, "\n", -1);
  for (guint i = g_strv_length (lines); i > 0 && kept->len < 3; i--)
    {
      g_strstrip (lines[i - 1]);
      if (lines[i - 1][0] != '\0')
        g_ptr_array_insert (kept, 0, lines[i - 1]);
    }
  if (kept->len == 0)
    return g_strdup ("no output");
  g_ptr_array_add (kept, NULL);
  joined = g_strjoinv (" | ", (char **) kept->pdata);
  {
    char *valid = g_utf8_make_valid (joined, -1);

    g_strdelimit (valid, "\t\r", ' ');
    if (g_utf8_strlen (valid, -1) > 300)
      {
        char *cut = g_utf8_substring (valid, 0, 300);
        g_free (valid);
        valid = cut;
      }
    return valid;
  }
}

/* Signals a command's whole process group (never ours: pid 0 or 1 would
 * name this process's own group, or every process). */
static void
kill_group (const FsStressServer *s, int sig)
{
  if (s->own_group && s->pid > 1)
    kill (-s->pid, sig);
}

/* ------------------------------------------------------------ leftovers */

/* The marks of the server's processes, for stress-procs.c. */
static FsStressProcs
procs_of (const FsStressServer *s)
{
  return (FsStressProcs) { s->own_group ? s->pid : 0, s->base };
}

/* Kills, and counts, the live processes that belong to the server. */
static guint
kill_leftovers (const FsStressServer *s)
{
  FsStressProcs procs = procs_of (s);

  return fs_stress_procs_kill (&procs, GONE_TIMEOUT * 1000);
}

/* ------------------------------------------------------------ filestorm-server */

/* Reads the ready line "listening on HOST:PORT (...)" with a deadline. */
static gboolean
read_ready_line (FsStressServer *s, GCancellable *interrupt, GError **error)
{
  GInputStream *out = g_subprocess_get_stdout_pipe (s->proc);
  int fd = g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (out));
  gint64 deadline = g_get_monotonic_time () + READY_TIMEOUT * G_USEC_PER_SEC;
  char line[256];
  gsize len = 0;

  while (len < sizeof line - 1)
    {
      GPollFD pfd = { fd, G_IO_IN, 0 };
      gint64 left = deadline - g_get_monotonic_time ();
      ssize_t n;

      if (left <= 0 || g_cancellable_is_cancelled (interrupt))
        break;
      if (g_poll (&pfd, 1, (gint) MIN (left / 1000 + 1, 100)) <= 0)
        continue;
      n = read (fd, line + len, 1);
      if (n <= 0)
        break;
      if (line[len] == '\n')
        {
          const char *colon;
          line[len] = '\0';
          colon = strrchr (line, ':');
          if (g_str_has_prefix (line, "listening on ") && colon != NULL)
            {
              s->port = (guint) g_ascii_strtoull (colon + 1, NULL, 10);
              if (s->port > 0)
                return TRUE;
            }
          break;
        }
      len++;
    }

  if (g_cancellable_set_error_if_cancelled (interrupt, error))
    return FALSE;
  {
    g_autofree char *why = last_lines (s->log_path);
    g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "the server did not start: %s", why);
  }
  return FALSE;
}

static gboolean
builtin_start (FsStressServer *s, const FsStressServerSpec *spec, const FsScenario *scenario,
               GCancellable *interrupt, GError **error)
{
  g_autofree char *pool = g_strdup_printf ("%u", scenario->server_pool);
  g_autofree char *idle = g_strdup_printf ("%u", spec->idle_timeout);
  const char *argv[] = {
    spec->server_path, "--mode", fs_mode_name (scenario->mode), "--pool", pool,
    "--host", "127.0.0.1", "--port", "0", "--root", s->root,
    /* last: a NULL here ends the list */
    spec->idle_timeout > 0 ? "--idle-timeout" : NULL, idle, NULL
  };

  s->proc = fs_stress_spawn (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, s->log_path, error);
  if (s->proc == NULL)
    return FALSE;
  s->pid = proc_pid (s->proc);
  return read_ready_line (s, interrupt, error);
}

/* Records how the server ended: in time (since SIGTERM at sent), or not,
 * and then killed now. Returns in_time. */
static gboolean
note_stop (FsStressServer *s, gboolean in_time, gint64 sent)
{
  s->stop = in_time ? FS_SERVER_STOP_EXITED : FS_SERVER_STOP_KILLED;
  s->killed_after_s = in_time ? 0 : (double) (g_get_monotonic_time () - sent) / G_USEC_PER_SEC;
  return in_time;
}

/* SIGTERM, then wait: our own server must exit 0 within the deadline. A
 * slow stop or another exit of filestorm-server is a bug of ours, so it
 * fails the run (where a command's does not, see command_stop()). */
static gboolean
builtin_stop (FsStressServer *s, GError **error)
{
  gint64 sent = g_get_monotonic_time ();

  g_subprocess_send_signal (s->proc, SIGTERM);
  if (!note_stop (s, wait_exit (s->proc, STOP_TIMEOUT), sent))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_FAILED,
                   "the server did not exit within %d s of SIGTERM", STOP_TIMEOUT);
      kill_or_say (s->proc, error);
      return FALSE;
    }
  if (!g_subprocess_get_if_exited (s->proc) || g_subprocess_get_exit_status (s->proc) != 0)
    {
      g_autofree char *why = last_lines (s->log_path);
      g_set_error (error, FS_ERROR, FS_ERROR_FAILED,
                   "the server did not stop cleanly (%s): %s",
                   g_subprocess_get_if_signaled (s->proc) ? "killed by a signal"
                                                           : "non-zero exit", why);
      return FALSE;
    }
  return TRUE;
}

static const Kind builtin = { builtin_start, builtin_stop, TRUE };

/* ------------------------------------------------------------ a command */

static const char *const placeholders[] = { "mode", "pool", "port", "host", "root" };

char **
fs_stress_command_argv (const char *template, const char *const values[5], GError **error)
{
  return fs_template_argv (template, "--server-command", placeholders, G_N_ELEMENTS (placeholders),
                           values, error);
}

gboolean
fs_stress_server_check_template (const char *template, GError **error)
{
  const char *const values[] = { "thread", "1", "7000", "127.0.0.1", "/tmp" };
  g_auto(GStrv) argv = fs_stress_command_argv (template, values, error);

  return argv != NULL;
}

/* A port that is free on the loopback interface now: bound, read, closed. */
static guint
free_port (GError **error)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int errsv;

  if (fd >= 0 && bind (fd, (struct sockaddr *) &addr, sizeof addr) == 0
      && getsockname (fd, (struct sockaddr *) &addr, &len) == 0)
    {
      close (fd);
      return ntohs (addr.sin_port);
    }
  errsv = errno;
  if (fd >= 0)
    close (fd);
  fs_set_errno_error (error, errsv, "cannot find a free port on 127.0.0.1");
  return 0;
}

/* Whether something takes connections on 127.0.0.1:port within wait_ms.
 * The connect does not block: a blocking one against a full listen queue
 * waits out the kernel's SYN retries (about 127 s with Linux's defaults). */
static gboolean
takes_connections (guint port, gint64 wait_ms)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons ((guint16) port),
                              .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  gboolean ok = FALSE;

  if (fd < 0)
    return FALSE;
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) == 0)
    ok = TRUE;
  else if (errno == EINPROGRESS)
    {
      struct pollfd pfd = { fd, POLLOUT, 0 };
      int err = 0;
      socklen_t len = sizeof err;

      ok = poll (&pfd, 1, (int) CLAMP (wait_ms, 0, G_MAXINT)) == 1
           && getsockopt (fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
    }
  close (fd);
  return ok;
}

/* Ready when a TCP connect to its port succeeds within the timeout. */
static gboolean
wait_listening (FsStressServer *s, guint timeout, GCancellable *interrupt, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout * G_USEC_PER_SEC;
  g_autofree char *why = NULL;

  for (;;)
    {
      /* The child watch reports an exit through the main context. */
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (exited (s->proc))
        break;
      /* One attempt waits CONNECT_WAIT_MS at most, so that an exit or an
       * interruption is seen soon; a queue that drains takes the next. */
      if (takes_connections (s->port, MIN (CONNECT_WAIT_MS,
                                           MAX (deadline - g_get_monotonic_time (), 0) / 1000)))
        return TRUE;
      if (g_cancellable_set_error_if_cancelled (interrupt, error))
        return FALSE;
      if (g_get_monotonic_time () > deadline)
        break;
      g_usleep (CONNECT_INTERVAL_MS * 1000);
    }
  why = last_lines (s->log_path);
  if (exited (s->proc))
    {
      g_autofree char *how = g_subprocess_get_if_exited (s->proc)
                             ? g_strdup_printf ("exit status %d",
                                                g_subprocess_get_exit_status (s->proc))
                             : g_strdup_printf ("signal %d",
                                                g_subprocess_get_term_sig (s->proc));
      g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "the server command ended (%s) "
                   "before it took connections on 127.0.0.1:%u; its last output: %s", how,
                   s->port, why);
    }
  else
    g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "the server command did not take "
                 "connections on 127.0.0.1:%u within %u s; its last output: %s", s->port,
                 timeout, why);
  return FALSE;
}

static gboolean
command_start (FsStressServer *s, const FsStressServerSpec *spec, const FsScenario *scenario,
               GCancellable *interrupt, GError **error)
{
  g_autofree char *pool = g_strdup_printf ("%u", scenario->server_pool);
  g_autofree char *port = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) argv = NULL;

  if ((s->port = free_port (error)) == 0)
    return FALSE;
  port = g_strdup_printf ("%u", s->port);
  {
    const char *const values[] = { fs_mode_name (scenario->mode), pool, port, "127.0.0.1",
                                   s->root };
    if ((argv = fs_stress_command_argv (spec->template, values, error)) == NULL)
      return FALSE;
  }
  if (g_mkdir_with_parents (s->root, 0755) < 0)
    {
      return fs_set_errno_error (error, errno, "cannot create %s", s->root);
    }
  /* Its standard input is /dev/null: the terminal is not the server's. */
  launcher = launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE, TRUE);
  g_subprocess_launcher_set_cwd (launcher, s->root);
  g_subprocess_launcher_set_stdout_file_path (launcher, s->log_path);
  s->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, error);
  if (s->proc == NULL)
    {
      g_prefix_error (error, "cannot start the server command: ");
      return FALSE;
    }
  fs_stress_procs_track (s->proc);
  s->pid = proc_pid (s->proc);
  s->own_group = TRUE;
  s->stop_grace = spec->stop_grace;
  return wait_listening (s, spec->start_timeout, interrupt, error);
}

/* SIGTERM to the whole group and every process below it, also one that
 * left the group (setsid, as a daemon does); once the command has exited,
 * or the grace has passed, SIGKILL to what is left of them (a launcher's
 * children may ignore SIGTERM), and then none of them may be alive.
 * Another server that is slow to stop has still served the run: the run
 * keeps its figures, and its server_stop says it was killed (the Python
 * server, pool 50, took over 5 s in 11 of 162 runs). Only a process that
 * outlives SIGKILL fails the run. */
static gboolean
command_stop (FsStressServer *s, GError **error)
{
  FsStressProcs procs = procs_of (s);
  gint64 sent = g_get_monotonic_time ();
  gboolean in_time;
  gboolean gone = TRUE;

  kill_group (s, SIGTERM);
  fs_stress_procs_signal (&procs, SIGTERM);
  in_time = note_stop (s, wait_exit (s->proc, s->stop_grace), sent);
  kill_group (s, SIGKILL);
  if (!in_time && !fs_stress_kill_and_reap (s->proc, error))
    {
      g_prefix_error (error, "the server command did not exit within %u s of SIGTERM, and "
                      "its ", s->stop_grace);
      gone = FALSE;
    }
  /* Those that left the group (setsid) are the command's too. */
  fs_stress_procs_kill (&procs, GONE_TIMEOUT * 1000);
  return gone;
}

static const Kind command = { command_start, command_stop, FALSE };

/* ------------------------------------------------------------ a target */

static gboolean
target_start (FsStressServer *s, const FsStressServerSpec *spec, const FsScenario *scenario,
              GCancellable *interrupt, GError **error)
{
  g_free (s->host);
  s->host = g_strdup (spec->target_host);
  s->port = spec->target_port;
  return TRUE;
}

/* Not ours to stop. */
static gboolean
target_stop (FsStressServer *s, GError **error)
{
  return TRUE;
}

static const Kind target = { target_start, target_stop, FALSE };

/* ------------------------------------------------------------ the seam */

FsStressServer *
fs_stress_server_start (const FsStressServerSpec *spec, const FsScenario *scenario,
                        const char *base, GCancellable *interrupt, GError **error)
{
  g_autoptr(FsStressServer) s = g_new0 (FsStressServer, 1);

  s->kind = spec->target_host != NULL ? &target : spec->template != NULL ? &command : &builtin;
  s->host = g_strdup ("127.0.0.1");
  s->base = g_strdup (base);
  s->root = g_build_filename (base, "root", NULL);
  s->log_path = g_build_filename (base, "server.log", NULL);
  if (!s->kind->start (s, spec, scenario, interrupt, error))
    {
      /* Not a server to stop gently: all of it goes at once. */
      kill_group (s, SIGKILL);
      if (s->proc != NULL && !exited (s->proc))
        kill_or_say (s->proc, error);
      kill_leftovers (s);
      return NULL;
    }
  return g_steal_pointer (&s);
}

const char *
fs_stress_server_host (const FsStressServer *server)
{
  return server->host;
}

guint
fs_stress_server_port (const FsStressServer *server)
{
  return server->port;
}

pid_t
fs_stress_server_pid (const FsStressServer *server)
{
  return server->proc != NULL && !exited (server->proc) ? server->pid : 0;
}

guint
fs_stress_server_probes (const FsStressServer *server)
{
  return server->kind == &command ? 1 : 0;
}

gboolean
fs_stress_server_serves_root (const FsStressServer *server)
{
  return server->kind->serves_root;
}

FsServerStop
fs_stress_server_how_stopped (const FsStressServer *server, double *killed_after_s)
{
  *killed_after_s = server->killed_after_s;
  return server->stop;
}

gboolean
fs_stress_server_stop (FsStressServer *s, GError **error)
{
  g_autoptr(GError) local = NULL;
  guint left;

  if (!s->kind->stop (s, &local) && local == NULL)
    g_set_error_literal (&local, FS_ERROR, FS_ERROR_FAILED, "the server did not stop");
  left = s->kind == &target ? 0 : kill_leftovers (s);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (left > 0)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_FAILED,
                   "%u server process(es) outlived the server and were killed", left);
      return FALSE;
    }
  return TRUE;
}

void
fs_stress_server_free (FsStressServer *s)
{
  if (s == NULL)
    return;
  if (s->proc != NULL && !exited (s->proc))
    {
      kill_group (s, SIGKILL);
      fs_stress_kill_and_reap (s->proc, NULL);
    }
  g_clear_object (&s->proc);
  g_free (s->host);
  g_free (s->base);
  g_free (s->root);
  g_free (s->log_path);
  g_free (s);
}
