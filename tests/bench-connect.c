/* bench-connect: the one load generator that tests/bench-event.sh points
 * at filestorm-server and at nginx alike, so that a ratio of the two is
 * about the servers, not about two load generators (filestorm-pool and
 * wrk) on the same two cores. A benchmark tool, not a test.
 *
 *   bench-connect connect PORT CLIENTS SECONDS REQUEST
 *     CLIENTS threads, each for SECONDS: connect to 127.0.0.1:PORT, send
 *     REQUEST ("\n" and "\r" as C escapes), read until the server closes
 *     or a "\r\n\r\n" after which nothing more is expected (a filestorm
 *     answer), close. Prints "connections N failed F seconds S".
 *   bench-connect hold PORT COUNT SECONDS
 *     Opens COUNT connections and holds them, sending nothing, for
 *     SECONDS; prints "held N" once all are open.
 *
 * Plain sockets, not GIO: its GSocketClient costs more CPU per
 * connection than the servers it measures. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>

typedef struct {
  guint16     port;
  const char *request;
  gsize       request_len;
  gboolean    http;     /* read to the end of the stream */
  gint64      until;    /* monotonic */
  guint64     done;
  guint64     failed;
} Job;

static int
connect_to (guint16 port)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons (port) };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int on = 1;

  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0)
    return -1;
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  if (connect (fd, (struct sockaddr *) &sa, sizeof sa) < 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

static gboolean
one (Job *job)
{
  char buf[16384];
  gsize have = 0;
  int fd = connect_to (job->port);
  gboolean ok = FALSE;

  if (fd < 0)
    return FALSE;
  if (send (fd, job->request, job->request_len, MSG_NOSIGNAL) != (ssize_t) job->request_len)
    goto out;
  for (;;)
    {
      ssize_t n = recv (fd, buf + have, sizeof buf - have - 1, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          ok = n == 0 && have > 0 && job->http;
          break;
        }
      have += (gsize) n;
      buf[have] = '\0';
      if (!job->http && strstr (buf, "\r\n\r\n") != NULL)
        {
          ok = TRUE;
          break;
        }
      if (have == sizeof buf - 1)
        have = 0; /* only the end matters */
    }
out:
  close (fd);
  return ok;
}

static gpointer
run (gpointer data)
{
  Job *job = data;

  while (g_get_monotonic_time () < job->until)
    {
      if (one (job))
        job->done++;
      else
        job->failed++;
    }
  return NULL;
}

static char *
unescape (const char *text)
{
  return g_strcompress (text);
}

int
main (int argc, char **argv)
{
  if (argc == 6 && strcmp (argv[1], "connect") == 0)
    {
      guint clients = (guint) atoi (argv[3]);
      double seconds = g_ascii_strtod (argv[4], NULL);
      g_autofree char *request = unescape (argv[5]);
      Job *jobs = g_new0 (Job, clients);
      GThread **threads = g_new (GThread *, clients);
      gint64 start = g_get_monotonic_time ();
      guint64 done = 0, failed = 0;

      for (guint i = 0; i < clients; i++)
        {
          jobs[i].port = (guint16) atoi (argv[2]);
          jobs[i].request = request;
          jobs[i].request_len = strlen (request);
          jobs[i].http = g_str_has_prefix (request, "GET /");
          jobs[i].until = start + (gint64) (seconds * G_USEC_PER_SEC);
          threads[i] = g_thread_new ("connect", run, &jobs[i]);
        }
      for (guint i = 0; i < clients; i++)
        {
          g_thread_join (threads[i]);
          done += jobs[i].done;
          failed += jobs[i].failed;
        }
      printf ("connections %" G_GUINT64_FORMAT " failed %" G_GUINT64_FORMAT " seconds %.3f\n",
              done, failed, (g_get_monotonic_time () - start) / 1e6);
      return failed == 0 ? 0 : 1;
    }
  if (argc == 5 && strcmp (argv[1], "hold") == 0)
    {
      guint count = (guint) atoi (argv[3]);
      guint held = 0;

      for (guint i = 0; i < count; i++)
        if (connect_to ((guint16) atoi (argv[2])) >= 0)
          held++;
      printf ("held %u\n", held);
      fflush (stdout);
      g_usleep ((gulong) (g_ascii_strtod (argv[4], NULL) * G_USEC_PER_SEC));
      return held == count ? 0 : 1;
    }
  fprintf (stderr, "usage: bench-connect connect PORT CLIENTS SECONDS REQUEST\n"
                   "       bench-connect hold PORT COUNT SECONDS\n");
  return 2;
}
