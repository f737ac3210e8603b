/* server-thread.c: thread mode. A GThreadPool of exactly `pool` threads
 * serves the connections. Each thread, while it is free, waits to accept
 * on the shared listening sockets, as each worker process does in process
 * mode: a connection is taken only when a thread is free, and the others
 * wait in the kernel's backlog.
 *
 * Formerly the main thread accepted and handed each connection to a
 * free thread. The hand-off (a futex wake, a task switch) cost CPU on
 * every connection: measured on the 2-core VM of issue 12 (--pool 50,
 * filestorm-pool 50 clients x 100 LIST, a new connection each), 2.8
 * context switches and 127-133 us of server CPU per connection, against
 * 1.7 and 90 us in process mode.
 *
 * Why not GThreadedSocketService, GIO's thread-per-connection service: in
 * GLib 2.74 (Debian 12), pausing and resuming its GSocketService, which it
 * does whenever its thread limit is reached, is broken. Measured with
 * this server built on it (--pool 5, filestorm-pool 10 clients x 10
 * downloads of 1 MiB): the server died with SIGSEGV in libgio's main-loop
 * dispatch in every run; with the pause and resume moved to the main
 * thread it still crashed; with no thread limit and our own pause it no
 * longer crashed but reset 30% of the connections, because a stop that
 * cancels an accept in flight drops the socket that accept returned. The
 * accept loops below have neither problem and keep the thread limit. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "accept.h"
#include "server-model.h"
#include "store.h"

/* How often the main thread looks for a stop. */
#define STOP_POLL_US (100 * 1000)

typedef struct {
  FsSessionConfig session;
  GCancellable   *stop;    /* (owned) */
  GMutex          lock;
  GCond           ended;   /* signalled when a thread's loop ends */
  guint           running; /* threads still in their loop, under lock */
} ThreadServer;

/* One pool thread's life: accept a connection, serve it, again, until
 * the server stops. data is the thread's FsAcceptor, which it frees. */
static void
serve (gpointer data, gpointer user_data)
{
  g_autoptr(FsAcceptor) acceptor = data;
  ThreadServer *ts = user_data;

  while (!g_cancellable_is_cancelled (ts->stop))
    {
      g_autoptr(GError) local = NULL;
      int client = fs_acceptor_accept (acceptor, &local);

      if (client < 0)
        {
          if (!g_cancellable_is_cancelled (ts->stop))
            {
              /* Out of descriptors, say: wait rather than spin. */
              g_printerr ("filestorm-server: %s\n", local->message);
              g_usleep (100 * 1000);
            }
          continue;
        }
      fs_session_serve (&ts->session, client);
    }
  g_mutex_lock (&ts->lock);
  ts->running--;
  g_cond_signal (&ts->ended);
  g_mutex_unlock (&ts->lock);
}

/* Waits until no thread is in its loop any more, or the deadline
 * (monotonic) passes, or, without a deadline (0), the server stops.
 * Returns the number of threads still running. */
static guint
wait_running (ThreadServer *ts, gint64 deadline)
{
  guint running;

  g_mutex_lock (&ts->lock);
  while (ts->running > 0)
    {
      gint64 until = deadline ? deadline : g_get_monotonic_time () + STOP_POLL_US;
      if (!g_cond_wait_until (&ts->ended, &ts->lock, until)
          && (deadline != 0 || g_cancellable_is_cancelled (ts->stop)))
        break;
    }
  running = ts->running;
  g_mutex_unlock (&ts->lock);
  return running;
}

static int
run_thread (const FsServerModelArgs *args, GError **error)
{
  const FsServerConfig *config = args->config;
  /* On the heap: sessions still busy past the grace period may use it
   * until the process exits, after this function has returned. */
  ThreadServer *ts = g_new0 (ThreadServer, 1);
  g_autoptr(GPtrArray) acceptors = NULL;
  GThreadPool *pool;
  guint running;

  /* SIGINT/SIGTERM are taken by one thread, which cancels ts->stop: the
   * threads waiting to accept and every session waiting for a request
   * give up at once, sessions in the middle of a request finish it. */
  pthread_sigmask (SIG_BLOCK, args->stop, NULL);

  ts->stop = g_cancellable_new ();
  g_mutex_init (&ts->lock);
  g_cond_init (&ts->ended);
  ts->session = args->session;
  ts->session.stop = ts->stop;
  pool = g_thread_pool_new (serve, ts, (gint) config->pool, TRUE, error);
  if (pool == NULL)
    return FS_SERVER_EXIT_FAILURE;
  /* Every thread's acceptor is made first, so that a failure is the
   * server's, and the threads start only once the server has said it is
   * ready: a connection that comes sooner waits in the backlog. */
  acceptors = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_acceptor_free);
  for (guint i = 0; i < config->pool; i++)
    {
      FsAcceptor *acceptor = fs_acceptor_new (args->listeners, ts->stop, error);

      if (acceptor == NULL)
        return FS_SERVER_EXIT_FAILURE;
      g_ptr_array_add (acceptors, acceptor);
    }
  fs_server_watch_signals (ts->stop, args->stop, args->listeners);
  if (!fs_server_announce (config, args->listeners, error))
    return FS_SERVER_EXIT_FAILURE;
  ts->running = config->pool;
  /* An exclusive pool has made its threads already: a push only queues. */
  while (acceptors->len > 0)
    g_thread_pool_push (pool, g_ptr_array_steal_index_fast (acceptors, 0), NULL);

  /* The threads run until the stop; then those in the middle of a
   * request get the grace period to finish it. */
  wait_running (ts, 0);
  fs_server_close_listeners (args->listeners);
  running = wait_running (ts, g_get_monotonic_time ()
                              + (gint64) config->grace * G_USEC_PER_SEC);
  if (running > 0)
    {
      g_printerr ("filestorm-server: %u connection(s) still busy after %u s; exiting\n",
                  running, config->grace);
      /* Their threads still use the store and ts: end the process here,
       * leaving no half-written upload behind. */
      fs_store_cleanup_pid (args->session.store, getpid ());
      fflush (NULL);
      _exit (FS_SERVER_EXIT_OK);
    }
  g_thread_pool_free (pool, FALSE, TRUE);
  g_mutex_clear (&ts->lock);
  g_cond_clear (&ts->ended);
  g_object_unref (ts->stop);
  g_free (ts);
  return FS_SERVER_EXIT_OK;
}

const FsServerModel fs_server_model_thread = { FS_MODE_THREAD, run_thread };
