/* server-thread.c: thread mode. A GThreadPool of exactly `pool` threads
 * serves the connections; the main thread accepts one only when a pool
 * thread is free, so the others wait in the kernel's backlog, as they do
 * in process mode.
 *
 * Why not GThreadedSocketService, which is this same design in GIO: in
 * GLib 2.74 (Debian 12), pausing and resuming its GSocketService, which it
 * does whenever its thread limit is reached, is broken. Measured with
 * this server built on it (--pool 5, filestorm-pool 10 clients x 10
 * downloads of 1 MiB): the server died with SIGSEGV in libgio's main-loop
 * dispatch in every run; with the pause and resume moved to the main
 * thread it still crashed; with no thread limit and our own pause it no
 * longer crashed but reset 30% of the connections, because a stop that
 * cancels an accept in flight drops the socket that accept returned. The
 * accept loop below has neither problem and keeps the thread limit. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "server.h"

/* While every thread is busy, how often the accept loop looks for a stop. */
#define STOP_POLL_US (100 * 1000)

typedef struct {
  FsSessionConfig session;
  GCancellable   *stop;   /* (owned) */
  GMutex          lock;
  GCond           freed;  /* signalled when a connection ends */
  guint           busy;   /* connections handed to the pool, under lock */
} ThreadServer;

static void
serve (gpointer data, gpointer user_data)
{
  g_autoptr(GSocketConnection) connection = data;
  ThreadServer *ts = user_data;

  fs_session_serve (&ts->session, connection);
  g_mutex_lock (&ts->lock);
  ts->busy--;
  g_cond_signal (&ts->freed);
  g_mutex_unlock (&ts->lock);
}

/* Waits until fewer than limit connections are busy, or the deadline
 * (monotonic) passes, or, without a deadline (0), the server stops.
 * Returns the number still busy. */
static guint
wait_busy_below (ThreadServer *ts, guint limit, gint64 deadline)
{
  guint busy;

  g_mutex_lock (&ts->lock);
  while (ts->busy >= limit)
    {
      gint64 until = deadline ? deadline : g_get_monotonic_time () + STOP_POLL_US;
      if (!g_cond_wait_until (&ts->freed, &ts->lock, until)
          && (deadline != 0 || g_cancellable_is_cancelled (ts->stop)))
        break;
    }
  busy = ts->busy;
  g_mutex_unlock (&ts->lock);
  return busy;
}

int
fs_server_run_thread (FsServer *server, GError **error)
{
  const FsServerConfig *config = server->config;
  /* On the heap: sessions still busy past the grace period may use it
   * until the process exits, after this function has returned. */
  ThreadServer *ts = g_new0 (ThreadServer, 1);
  GThreadPool *pool;
  sigset_t set;
  guint busy;

  /* SIGINT/SIGTERM are taken by one thread, which cancels ts->stop: the
   * accept below and every session waiting for a request give up at
   * once, sessions in the middle of a request finish it. */
  sigemptyset (&set);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGTERM);
  pthread_sigmask (SIG_BLOCK, &set, NULL);

  ts->stop = g_cancellable_new ();
  g_mutex_init (&ts->lock);
  g_cond_init (&ts->freed);
  fs_server_session_config (server, ts->stop, &ts->session);
  pool = g_thread_pool_new (serve, ts, (gint) config->pool, TRUE, error);
  if (pool == NULL)
    return FS_SERVER_EXIT_FAILURE;
  fs_server_watch_signals (ts->stop, server->listener);
  if (!fs_server_announce (server, error))
    return FS_SERVER_EXIT_FAILURE;

  while (wait_busy_below (ts, config->pool, 0) < config->pool
         && !g_cancellable_is_cancelled (ts->stop))
    {
      g_autoptr(GError) local = NULL;
      GSocket *client = g_socket_accept (server->listener, ts->stop, &local);

      if (client == NULL)
        {
          if (!g_cancellable_is_cancelled (ts->stop))
            {
              /* Out of descriptors, say: wait rather than spin. */
              g_printerr ("filestorm-server: %s\n", local->message);
              g_usleep (100 * 1000);
            }
          continue;
        }
      g_mutex_lock (&ts->lock);
      ts->busy++;
      g_mutex_unlock (&ts->lock);
      g_thread_pool_push (pool, g_socket_connection_factory_create_connection (client),
                          NULL);
      g_object_unref (client);
    }

  g_socket_close (server->listener, NULL);
  busy = wait_busy_below (ts, 1, g_get_monotonic_time ()
                                 + (gint64) config->grace * G_USEC_PER_SEC);
  if (busy > 0)
    {
      g_printerr ("filestorm-server: %u connection(s) still busy after %u s; exiting\n",
                  busy, config->grace);
      /* Their threads still use the store and ts: end the process here,
       * leaving no half-written upload behind. */
      fs_store_cleanup_pid (server->store, getpid ());
      fflush (NULL);
      _exit (FS_SERVER_EXIT_OK);
    }
  g_thread_pool_free (pool, FALSE, TRUE);
  g_mutex_clear (&ts->lock);
  g_cond_clear (&ts->freed);
  g_object_unref (ts->stop);
  g_free (ts);
  return FS_SERVER_EXIT_OK;
}
