/* repro-threaded-service: why filestorm-server's thread mode does not use
 * GThreadedSocketService. Not a test and not part of filestorm: a minimal
 * server on GThreadedSocketService with a thread limit, and clients that
 * connect more often than it has threads. Build and run:
 *   make tests/repro-threaded-service && tests/repro-threaded-service
 * On GLib 2.74 (Debian 12) the process dies with SIGSEGV in libgio's
 * main-loop dispatch within a second or two, or reports connections that
 * were reset before an answer came; it prints "no failure" if the GLib it
 * runs on handles the limit correctly. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <gio/gio.h>

#define MAX_THREADS 5
#define CLIENTS 10
#define ROUNDS 200

static guint16 port;
static gint failures;

/* Answers one line with one line, as a minimal request/response server. */
static gboolean
on_run (GThreadedSocketService *service, GSocketConnection *connection, GObject *source,
        gpointer data)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  char buf[64];

  if (g_input_stream_read (in, buf, sizeof buf, NULL, NULL) > 0)
    g_output_stream_write_all (out, "ok\n", 3, NULL, NULL, NULL);
  return TRUE;
}

static gpointer
client (gpointer data)
{
  for (int i = 0; i < ROUNDS; i++)
    {
      g_autoptr(GSocketClient) sc = g_socket_client_new ();
      g_autoptr(GSocketConnection) c = NULL;
      char buf[8];
      gssize n = -1;

      g_socket_client_set_timeout (sc, 10);
      c = g_socket_client_connect_to_host (sc, "127.0.0.1", port, NULL, NULL);
      if (c != NULL
          && g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (c)),
                                        "hello\n", 6, NULL, NULL, NULL))
        n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (c)), buf,
                                 sizeof buf, NULL, NULL);
      if (n != 3)
        g_atomic_int_inc (&failures);
    }
  return NULL;
}

static gpointer
clients (gpointer loop)
{
  GThread *threads[CLIENTS];

  for (int i = 0; i < CLIENTS; i++)
    threads[i] = g_thread_new ("client", client, NULL);
  for (int i = 0; i < CLIENTS; i++)
    g_thread_join (threads[i]);
  g_main_loop_quit (loop);
  return NULL;
}

int
main (void)
{
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (MAX_THREADS);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  if (port == 0)
    {
      fprintf (stderr, "repro: %s\n", error->message);
      return 2;
    }
  g_signal_connect (service, "run", G_CALLBACK (on_run), NULL);
  g_socket_service_start (service);
  g_thread_unref (g_thread_new ("clients", clients, loop));
  g_main_loop_run (loop);
  printf ("GLib %u.%u.%u, %d threads, %d clients x %d connections: %s (%d failed)\n",
          glib_major_version, glib_minor_version, glib_micro_version, MAX_THREADS, CLIENTS,
          ROUNDS, failures ? "FAILURES" : "no failure", failures);
  return failures ? 1 : 0;
}
