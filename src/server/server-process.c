/* server-process.c: process mode. A supervisor forks `pool` workers that
 * all accept on the listening sockets it bound; each serves one
 * connection at a time. The supervisor replaces workers that die and stops
 * them all on SIGINT/SIGTERM.
 *
 * The supervisor stays single-threaded so that fork() is safe: it waits
 * for signals with sigtimedwait() instead of a GLib main loop (GLib
 * dispatches Unix signals and child watches from a worker thread). */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <glib-unix.h>

#include "accept.h"
#include "server-model.h"
#include "store.h"

/* A worker that cannot accept (out of file descriptors, say) waits this
 * long before trying again, instead of spinning. */
#define ACCEPT_RETRY_US (100 * 1000)
/* More restarts than this per pool slot within one second is a crash
 * loop: the supervisor then slows down. */
#define RESTART_BURST 2
#define RESTART_BACKOFF_US (200 * 1000)
/* How long the first workers may take to set up before the supervisor
 * announces the server anyway. */
#define READY_TIMEOUT_S 10

typedef struct {
  const FsServerModelArgs *args;
  pid_t    *workers;  /* (owned) pid of each slot, 0 when empty */
  guint     pool;
  guint     live;
  pid_t     self;
  gint64    window_start;
  guint     window_restarts;
  /* While the first workers start: the pipe on which each says it is set
   * up, -1 afterwards. */
  int       ready[2];
} Supervisor;

/* ------------------------------------------------------------ worker */

static G_GNUC_NORETURN void
worker_main (const FsServerModelArgs *args, pid_t supervisor, const int ready[2])
{
  g_autoptr(GCancellable) stop = NULL;
  g_autoptr(FsAcceptor) acceptor = NULL;
  g_autoptr(GError) setup_error = NULL;
  FsSessionConfig session;

#ifdef __linux__
  /* No worker outlives the supervisor, however it ends. SIGKILL, not
   * SIGTERM: a stopped worker (SIGSTOP) would hold SIGTERM pending and
   * keep its copy of the listening socket, where new clients would hang.
   * A graceful stop never gets here: the supervisor waits for its
   * workers before it exits. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
  if (getppid () != supervisor)
    _exit (0);

  /* SIGINT/SIGTERM stay blocked (inherited) and are taken by a thread,
   * which can cancel: a worker waiting to accept or for a request gives
   * up at once, one in the middle of a request finishes it. */
  stop = g_cancellable_new ();
  fs_server_watch_signals (stop, args->stop, args->listeners);
  session = args->session;
  session.stop = stop;
  acceptor = fs_acceptor_new (args->listeners, stop, &setup_error);
  if (acceptor == NULL)
    {
      g_printerr ("filestorm-server: worker %ld: %s\n", (long) getpid (), setup_error->message);
      _exit (1);
    }
  /* Set up, the parent-death signal included: the supervisor may say
   * the server is ready once every first worker has said so. */
  if (ready[1] >= 0)
    {
      close (ready[0]);
      while (write (ready[1], "", 1) < 0 && errno == EINTR)
        ;
      close (ready[1]);
    }

  while (!g_cancellable_is_cancelled (stop))
    {
      g_autoptr(GError) error = NULL;
      int client = fs_acceptor_accept (acceptor, &error);

      if (client < 0)
        {
          if (!g_cancellable_is_cancelled (stop))
            {
              g_printerr ("filestorm-server: worker %ld: %s\n", (long) getpid (),
                          error->message);
              g_usleep (ACCEPT_RETRY_US);
            }
          continue;
        }
      fs_session_serve (&session, client);
    }
  _exit (0);
}

/* ------------------------------------------------------------ supervisor */

static gboolean
spawn (Supervisor *sv, guint slot)
{
  pid_t pid = fork ();

  if (pid < 0)
    {
      g_printerr ("filestorm-server: cannot start a worker: %s\n", g_strerror (errno));
      return FALSE;
    }
  if (pid == 0)
    worker_main (sv->args, sv->self, sv->ready);
  sv->workers[slot] = pid;
  sv->live++;
  return TRUE;
}

static void
describe_exit (int status, char *buf, gsize size)
{
  if (WIFSIGNALED (status))
    g_snprintf (buf, size, "was killed by signal %d (%s)", WTERMSIG (status),
                strsignal (WTERMSIG (status)));
  else
    g_snprintf (buf, size, "exited with status %d", WEXITSTATUS (status));
}

/* Reaps every worker that has ended. When replace is set, each is logged,
 * counted and replaced. */
static void
reap (Supervisor *sv, gboolean replace)
{
  pid_t pid;
  int status;

  while ((pid = waitpid (-1, &status, WNOHANG)) > 0)
    {
      guint slot;
      char how[96];

      for (slot = 0; slot < sv->pool && sv->workers[slot] != pid; slot++)
        ;
      if (slot == sv->pool)
        continue;
      sv->workers[slot] = 0;
      sv->live--;
      fs_store_cleanup_pid (sv->args->session.store, pid);
      if (!replace)
        continue;

      describe_exit (status, how, sizeof how);
      fs_stats_add (sv->args->session.stats, FS_STAT_WORKER_RESTARTS, 1);
      if (g_get_monotonic_time () - sv->window_start > G_USEC_PER_SEC)
        {
          sv->window_start = g_get_monotonic_time ();
          sv->window_restarts = 0;
        }
      if (++sv->window_restarts > RESTART_BURST * sv->pool)
        g_usleep (RESTART_BACKOFF_US);
      if (spawn (sv, slot))
        g_printerr ("filestorm-server: worker %ld %s; replaced by worker %ld\n",
                    (long) pid, how, (long) sv->workers[slot]);
    }
}

/* Starts workers for empty slots (after a failed fork). */
static void
fill_slots (Supervisor *sv)
{
  for (guint slot = 0; slot < sv->pool; slot++)
    if (sv->workers[slot] == 0)
      spawn (sv, slot);
}

/* Waits (at most READY_TIMEOUT_S) until every first worker is set up,
 * or has died trying: the ready line must not come while a worker could
 * still be stopped before it has asked to die with the supervisor. */
static void
wait_workers_ready (Supervisor *sv)
{
  gint64 deadline = g_get_monotonic_time () + READY_TIMEOUT_S * G_USEC_PER_SEC;
  guint seen = 0;

  /* The workers hold the only other write ends: end of file once all
   * have written, or died. */
  close (sv->ready[1]);
  sv->ready[1] = -1;
  while (seen < sv->pool)
    {
      gint64 left = deadline - g_get_monotonic_time ();
      struct pollfd pfd = { .fd = sv->ready[0], .events = POLLIN };
      char buf[64];
      ssize_t n;

      if (left <= 0)
        break;
      if (poll (&pfd, 1, (int) (left / 1000) + 1) < 0 && errno != EINTR)
        break;
      if (pfd.revents == 0)
        continue;
      n = read (sv->ready[0], buf, sizeof buf);
      if (n == 0 || (n < 0 && errno != EINTR))
        break;
      if (n > 0)
        seen += (guint) n;
    }
  close (sv->ready[0]);
  sv->ready[0] = -1;
}

static void
stop_workers (Supervisor *sv, const sigset_t *set)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) sv->args->config->grace * G_USEC_PER_SEC;

  for (guint slot = 0; slot < sv->pool; slot++)
    if (sv->workers[slot] != 0)
      kill (sv->workers[slot], SIGTERM);

  reap (sv, FALSE);
  while (sv->live > 0)
    {
      gint64 left = deadline - g_get_monotonic_time ();
      struct timespec ts;

      if (left <= 0)
        break;
      ts.tv_sec = left / G_USEC_PER_SEC;
      ts.tv_nsec = (left % G_USEC_PER_SEC) * 1000;
      sigtimedwait (set, NULL, &ts);
      reap (sv, FALSE);
    }
  if (sv->live > 0)
    {
      g_printerr ("filestorm-server: %u worker(s) still busy after %u s; killing them\n",
                  sv->live, sv->args->config->grace);
      for (guint slot = 0; slot < sv->pool; slot++)
        if (sv->workers[slot] != 0)
          kill (sv->workers[slot], SIGKILL);
      for (guint slot = 0; slot < sv->pool; slot++)
        if (sv->workers[slot] != 0)
          {
            waitpid (sv->workers[slot], NULL, 0);
            fs_store_cleanup_pid (sv->args->session.store, sv->workers[slot]);
            sv->workers[slot] = 0;
            sv->live--;
          }
    }
}

static int
run_process (const FsServerModelArgs *args, GError **error)
{
  Supervisor sv = { .args = args, .pool = args->config->pool, .ready = { -1, -1 } };
  sigset_t set, old;
  int status = FS_SERVER_EXIT_OK;

  /* Blocked before the first fork, so workers inherit the mask and take
   * SIGINT/SIGTERM in their signal thread. */
  set = *args->stop;
  sigaddset (&set, SIGCHLD);
  sigprocmask (SIG_BLOCK, &set, &old);

  sv.self = getpid ();
  sv.workers = g_new0 (pid_t, sv.pool);
  if (!g_unix_open_pipe (sv.ready, FD_CLOEXEC, error))
    {
      g_prefix_error (error, "cannot start the workers: ");
      status = FS_SERVER_EXIT_FAILURE;
      goto stop;
    }
  for (guint slot = 0; slot < sv.pool; slot++)
    if (!spawn (&sv, slot))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "cannot start %u worker processes", sv.pool);
        status = FS_SERVER_EXIT_FAILURE;
        goto stop;
      }
  wait_workers_ready (&sv);
  if (!fs_server_announce (args->config, args->listeners, error))
    {
      status = FS_SERVER_EXIT_FAILURE;
      goto stop;
    }

  for (;;)
    {
      struct timespec ts = { .tv_sec = 1 };
      int sig = sigtimedwait (&set, NULL, &ts);

      if (sig > 0 && sigismember (args->stop, sig) == 1)
        break;
      reap (&sv, TRUE);
      fill_slots (&sv);
    }

stop:
  for (int i = 0; i < 2; i++)
    if (sv.ready[i] >= 0)
      close (sv.ready[i]);
  /* Workers keep their copy of the socket until they exit; ours goes now
   * so nothing new is queued for them. */
  fs_server_close_listeners (args->listeners);
  stop_workers (&sv, &set);
  g_free (sv.workers);
  sigprocmask (SIG_SETMASK, &old, NULL);
  return status;
}

const FsServerModel fs_server_model_process = { FS_MODE_PROCESS, run_process };
