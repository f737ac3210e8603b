/* pool-interrupt.c: how SIGINT and SIGTERM stop the client pool: the
 * signal handler, the slots in which every client registers its socket,
 * and the client processes the signal is passed on to. Below the run
 * (pool.c) and the preparation (pool-prepare.c), which both register
 * their connections here. */
#include "config.h"

#include "pool-private.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* What the signal handler may touch: lock-free atomics and system calls
 * that are async-signal-safe (shutdown, kill, sigaction, getpid).
 *
 * Every client registers the socket of its operation in progress in its
 * slot (one per client, and one more for the connections made before the
 * timed run); the handler shuts down every registered socket, so that the
 * blocked read or write fails at once. A slot may name a descriptor that
 * its client has just closed and another client has just reused: that
 * socket is one of ours too, and its operation is being stopped anyway,
 * since every client checks the flag after registering. The process-mode
 * clients have their own copy of the slots and of the handler; the pool
 * process forwards the signal to them. */
static gint stopping;                 /* the signal number, 0 until one came */
static gint *slots;                   /* (owned) n_slots descriptors, -1 when idle */
static gint n_slots;
static pid_t *volatile client_pids;   /* the process-mode clients, 0 when not started */
static gint n_client_pids;
static pid_t pool_pid;                /* the process that installed the handler */

static void
on_signal (int sig)
{
  int saved = errno;
  gint *s = g_atomic_pointer_get (&slots);
  pid_t *pids = client_pids;
  gint n = g_atomic_int_get (&n_slots);

  g_atomic_int_compare_and_exchange (&stopping, 0, sig);
  for (gint i = 0; s != NULL && i < n; i++)
    {
      int fd = g_atomic_int_get (&s[i]);
      if (fd >= 0)
        shutdown (fd, SHUT_RDWR);
    }
  if (getpid () == pool_pid)
    {
      /* A terminal's Ctrl-C reaches the clients too, a kill(1) only us. */
      for (gint i = 0; pids != NULL && i < g_atomic_int_get (&n_client_pids); i++)
        if (pids[i] > 0)
          kill (pids[i], SIGTERM);
      /* A second signal stops the pool the hard way (its client
       * processes follow, PR_SET_PDEATHSIG). */
      signal (SIGINT, SIG_DFL);
      signal (SIGTERM, SIG_DFL);
    }
  errno = saved;
}

void
fs_pool_handle_signals (void)
{
  struct sigaction sa;

  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESTART;
  sigemptyset (&sa.sa_mask);
  pool_pid = getpid ();
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
}

gboolean
fs_pool_interrupted (void)
{
  return g_atomic_int_get (&stopping) != 0;
}

/* Registers client's socket in slot; FALSE (the socket already shut
 * down) when the pool is being interrupted. */
gboolean
fs_pool_watch (gint *slot, FsClient *client)
{
  g_atomic_int_set (slot, fs_client_fd (client));
  if (!fs_pool_interrupted ())
    return TRUE;
  shutdown (fs_client_fd (client), SHUT_RDWR);
  return FALSE;
}

/* Unregisters the slot; once interrupted, makes the close a reset too: a
 * plain close would leave the server writing into a closed window until
 * its own timeouts end the session, holding one of its workers. */
void
fs_pool_unwatch (gint *slot, FsClient *client)
{
  g_atomic_int_set (slot, -1);
  if (fs_pool_interrupted ())
    {
      struct linger reset = { .l_onoff = 1, .l_linger = 0 };
      setsockopt (fs_client_fd (client), SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    }
}

gboolean
fs_pool_interrupted_error (GError **error)
{
  g_set_error_literal (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_READ, "interrupted");
  return FALSE;
}

/* The slots outlive the run: a signal handler may still be reading them
 * (see on_signal()). A run in the same process again leaks the old ones,
 * which no program does. */
gint *
fs_pool_publish_slots (guint n)
{
  gint *fresh = g_new (gint, n);

  for (guint i = 0; i < n; i++)
    fresh[i] = -1;
  g_atomic_int_set (&n_slots, 0);
  g_atomic_pointer_set (&slots, fresh);
  g_atomic_int_set (&n_slots, (gint) n);
  return fresh;
}

int
fs_pool_signal (void)
{
  return g_atomic_int_get (&stopping);
}

void
fs_pool_forward_signals (pid_t *pids, guint n)
{
  /* The handler reads the array, then its length: a length is never
   * published before its array, nor an array taken back before it. */
  if (pids != NULL)
    {
      g_atomic_int_set (&n_client_pids, (gint) n);
      client_pids = pids;
    }
  else
    {
      client_pids = NULL;
      g_atomic_int_set (&n_client_pids, 0);
    }
}
