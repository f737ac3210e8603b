/* bench-get: N concurrent clients each GET one file from a filestorm
 * server and discard the answer, checking only that it ends in a frame
 * terminator. A load generator for benchmarks (tests/bench-server-rss.sh),
 * not a test; filestorm-pool is the real client pool. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

typedef struct {
  const char *host;
  guint16     port;
  const char *name;
  guint64     bytes;
  gboolean    ok;
} Job;

static gpointer
run (gpointer data)
{
  Job *job = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = g_strdup_printf ("GET %s\n", job->name);
  g_autofree char *buf = g_malloc (256 * 1024);
  char tail[4] = { 0 };
  GInputStream *in;

  g_socket_client_set_timeout (client, 60);
  conn = g_socket_client_connect_to_host (client, job->host, job->port, NULL, &error);
  if (conn == NULL
      || !g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)),
                                     request, strlen (request), NULL, NULL, &error))
    goto out;
  in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  for (;;)
    {
      gssize n = g_input_stream_read (in, buf, 256 * 1024, NULL, &error);
      if (n <= 0)
        break;
      job->bytes += (guint64) n;
      if (n >= 4)
        memcpy (tail, buf + n - 4, 4);
      else
        {
          memmove (tail, tail + n, 4 - (gsize) n);
          memcpy (tail + 4 - n, buf, (gsize) n);
        }
      if (memcmp (tail, "\r\n\r\n", 4) == 0)
        {
          job->ok = TRUE;
          break;
        }
    }
out:
  if (error != NULL)
    g_printerr ("bench-get: %s\n", error->message);
  return NULL;
}

int
main (int argc, char **argv)
{
  guint n;
  gint64 start;
  guint ok = 0;
  guint64 bytes = 0;

  if (argc != 5)
    {
      g_printerr ("usage: bench-get HOST PORT NAME CLIENTS\n");
      return 2;
    }
  n = (guint) atoi (argv[4]);
  g_autofree Job *jobs = g_new0 (Job, n);
  g_autofree GThread **threads = g_new0 (GThread *, n);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      jobs[i] = (Job) { argv[1], (guint16) atoi (argv[2]), argv[3], 0, FALSE };
      threads[i] = g_thread_new ("client", run, &jobs[i]);
    }
  for (guint i = 0; i < n; i++)
    {
      g_thread_join (threads[i]);
      ok += jobs[i].ok;
      bytes += jobs[i].bytes;
    }
  g_print ("clients %u ok %u bytes %" G_GUINT64_FORMAT " wall_s %.3f\n", n, ok, bytes,
           (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);
  return ok == n ? 0 : 1;
}
