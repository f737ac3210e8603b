/* bench-get: N concurrent clients each GET (or GETRAW) one file from a
 * filestorm server and discard the answer, checking only that it ends in
 * a frame terminator (or, raw, that the announced size arrived). A load
 * generator for benchmarks, not a test; filestorm-pool is the real client
 * pool. Its CPU time is the floor of any client that receives the bytes:
 * tests/bench-compare.sh sets filestorm-pool's beside it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <gio/gio.h>

typedef struct {
  const char *host;
  guint16     port;
  const char *name;
  gboolean    raw;
  guint64     bytes;
  gboolean    ok;
} Job;

/* GETRAW: the frame, then exactly its "size" bytes. */
static void
read_raw (Job *job, GInputStream *in, char *buf, gsize cap, GError **error)
{
  gsize have = 0;
  const char *end = NULL, *size;
  guint64 want, got;

  while (end == NULL && have < cap - 1)
    {
      gssize n = g_input_stream_read (in, buf + have, cap - 1 - have, NULL, error);
      if (n <= 0)
        return;
      have += (gsize) n;
      buf[have] = '\0';
      end = strstr (buf, "\r\n\r\n");
    }
  size = end ? strstr (buf, "\"size\":") : NULL;
  if (size == NULL)
    return;
  want = g_ascii_strtoull (size + 7, NULL, 10);
  got = have - (gsize) (end + 4 - buf);
  job->bytes += have;
  while (got < want)
    {
      gssize n = g_input_stream_read (in, buf, (gsize) MIN (cap, want - got), NULL, error);
      if (n <= 0)
        return;
      got += (guint64) n;
      job->bytes += (guint64) n;
    }
  job->ok = got == want;
}

static gpointer
run (gpointer data)
{
  Job *job = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = g_strdup_printf ("%s %s\n", job->raw ? "GETRAW" : "GET", job->name);
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
  if (job->raw)
    {
      read_raw (job, in, buf, 256 * 1024, &error);
      goto out;
    }
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
  gboolean raw = argc == 6 && strcmp (argv[5], "raw") == 0;
  struct rusage ru;

  if (argc != 5 && !raw)
    {
      g_printerr ("usage: bench-get HOST PORT NAME CLIENTS [raw]\n");
      return 2;
    }
  n = (guint) atoi (argv[4]);
  g_autofree Job *jobs = g_new0 (Job, n);
  g_autofree GThread **threads = g_new0 (GThread *, n);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      jobs[i] = (Job) { argv[1], (guint16) atoi (argv[2]), argv[3], raw, 0, FALSE };
      threads[i] = g_thread_new ("client", run, &jobs[i]);
    }
  for (guint i = 0; i < n; i++)
    {
      g_thread_join (threads[i]);
      ok += jobs[i].ok;
      bytes += jobs[i].bytes;
    }
  getrusage (RUSAGE_SELF, &ru);
  g_print ("clients %u ok %u bytes %" G_GUINT64_FORMAT " wall_s %.3f cpu_s %.3f\n", n, ok, bytes,
           (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC,
           (double) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec)
           + (double) (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
  return ok == n ? 0 : 1;
}
