/* server-thread.c: thread mode. A GThreadedSocketService runs each
 * connection in a thread of its pool; its thread limit is the pool size,
 * and it stops accepting while every thread is busy, so the kernel's
 * backlog holds the rest. */
#include "config.h"

#include <glib-unix.h>

#include "server.h"

/* How often the main loop checks whether sessions have drained on stop. */
#define DRAIN_POLL_MS 20

typedef struct {
  FsSessionConfig session;
  GSocketService *service;  /* (owned) */
  GCancellable   *stop;     /* (owned) */
  GMainLoop      *loop;     /* (owned) */
  gint            active;   /* sessions running, atomic */
  gint64          deadline; /* monotonic time to give up waiting on stop */
  guint           grace;
} ThreadServer;

static gboolean
on_run (GThreadedSocketService *service, GSocketConnection *connection,
        GObject *source, gpointer data)
{
  ThreadServer *ts = data;

  g_atomic_int_inc (&ts->active);
  if (!g_cancellable_is_cancelled (ts->stop))
    fs_session_serve (&ts->session, connection);
  else
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  g_atomic_int_add (&ts->active, -1);
  return TRUE;
}

static gboolean
check_drained (gpointer data)
{
  ThreadServer *ts = data;

  if (g_atomic_int_get (&ts->active) > 0 && g_get_monotonic_time () < ts->deadline)
    return G_SOURCE_CONTINUE;
  if (g_atomic_int_get (&ts->active) > 0)
    g_printerr ("filestorm-server: %d connection(s) still busy after %u s; exiting\n",
                g_atomic_int_get (&ts->active), ts->grace);
  g_main_loop_quit (ts->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_signal (gpointer data)
{
  ThreadServer *ts = data;

  if (g_cancellable_is_cancelled (ts->stop))
    return G_SOURCE_CONTINUE;
  /* Stop accepting, wake sessions waiting for a request, and let those in
   * the middle of one finish within the grace period. */
  g_socket_service_stop (ts->service);
  g_socket_listener_close (G_SOCKET_LISTENER (ts->service));
  g_cancellable_cancel (ts->stop);
  ts->deadline = g_get_monotonic_time () + (gint64) ts->grace * G_USEC_PER_SEC;
  g_timeout_add (DRAIN_POLL_MS, check_drained, ts);
  check_drained (ts);
  return G_SOURCE_CONTINUE;
}

int
fs_server_run_thread (FsServer *server, GError **error)
{
  /* On the heap: sessions still busy past the grace period may use it
   * until the process exits, after this function has returned. */
  ThreadServer *ts = g_new0 (ThreadServer, 1);
  guint sigint, sigterm;
  int status = FS_SERVER_EXIT_OK;

  ts->grace = server->config->grace;
  ts->stop = g_cancellable_new ();
  ts->loop = g_main_loop_new (NULL, FALSE);
  ts->service = g_threaded_socket_service_new ((int) server->config->pool);
  fs_server_session_config (server, ts->stop, &ts->session);
  g_signal_connect (ts->service, "run", G_CALLBACK (on_run), ts);

  if (!g_socket_listener_add_socket (G_SOCKET_LISTENER (ts->service), server->listener,
                                     NULL, error))
    {
      status = FS_SERVER_EXIT_LISTEN;
      goto out;
    }
  sigint = g_unix_signal_add (SIGINT, on_signal, ts);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, ts);
  g_socket_service_start (ts->service);
  if (!fs_server_announce (server, error))
    status = FS_SERVER_EXIT_FAILURE;
  else
    g_main_loop_run (ts->loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

out:
  g_socket_service_stop (ts->service);
  g_socket_listener_close (G_SOCKET_LISTENER (ts->service));
  /* ts and the service are left to the process's exit: a connection the
   * service accepted just before it stopped may still reach on_run(). */
  return status;
}
