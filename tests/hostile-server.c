/* hostile-server.c: a server that breaks the protocol on purpose; see
 * hostile-server.h. */
#include "config.h"

#include "hostile-server.h"

#include <string.h>

#include "testutil.h"

/* Any one read or write of the hostile server gives up after this long,
 * so that its thread always ends. */
#define IO_TIMEOUT 20
#define MAX_REQUEST 4096
#define MAX_SKIP (64u * 1024 * 1024)

struct _FtHostile {
  GSocket      *listener;    /* (owned) */
  GCancellable *stop;        /* (owned) */
  GThread      *thread;      /* (owned) (nullable) once joined */
  FtAnswerFunc  answer;
  gpointer      data;
  char         *reply;       /* (owned) (nullable) for ft_hostile_start_reply */
  guint         max_connections;
  char         *request;     /* (owned) (nullable) the first request line */
  guint16       port;
};

/* Reads the request line (up to MAX_REQUEST bytes), one byte at a time
 * so that nothing after it is taken from what the answer may read. */
static char *
read_request (GSocket *conn)
{
  GString *line = g_string_new (NULL);

  while (line->len < MAX_REQUEST)
    {
      char c;
      gssize n = g_socket_receive (conn, &c, 1, NULL, NULL);

      if (n <= 0 || c == '\n')
        break;
      g_string_append_c (line, c);
    }
  return g_string_free (line, FALSE);
}

static gpointer
serve (gpointer user_data)
{
  FtHostile *h = user_data;

  for (guint i = 0; i < h->max_connections; i++)
    {
      g_autoptr(GSocket) conn = g_socket_accept (h->listener, h->stop, NULL);
      g_autofree char *request = NULL;

      if (conn == NULL)
        break;
      g_socket_set_timeout (conn, IO_TIMEOUT);
      request = read_request (conn);
      h->answer (conn, request, h->data);
      if (h->request == NULL)
        h->request = g_steal_pointer (&request);
      g_socket_shutdown (conn, FALSE, TRUE, NULL);
      g_socket_close (conn, NULL);
    }
  return NULL;
}

FtHostile *
ft_hostile_start (guint max_connections, FtAnswerFunc answer, gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  FtHostile *h = g_new0 (FtHostile, 1);

  h->answer = answer;
  h->data = data;
  h->max_connections = max_connections;
  h->stop = g_cancellable_new ();
  h->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                              G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (h->listener, any, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (h->listener, &error);
  g_assert_no_error (error);
  /* bounds each accept: the thread always ends */
  g_socket_set_timeout (h->listener, IO_TIMEOUT);
  bound = g_socket_get_local_address (h->listener, &error);
  g_assert_no_error (error);
  h->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  h->thread = g_thread_new ("hostile-server", serve, h);
  return h;
}

static void
answer_reply (GSocket *conn, const char *request, gpointer data)
{
  const char *reply = data;

  ft_hostile_send (conn, reply, strlen (reply));
}

FtHostile *
ft_hostile_start_reply (const char *reply)
{
  char *copy = g_strdup (reply);
  FtHostile *h = ft_hostile_start (1, answer_reply, copy);

  h->reply = copy;
  return h;
}

guint16
ft_hostile_port (FtHostile *h)
{
  return h->port;
}

const char *
ft_hostile_request (FtHostile *h)
{
  g_assert_null (h->thread);
  return h->request;
}

void
ft_hostile_stop (FtHostile *h)
{
  if (h->thread == NULL)
    return;
  g_cancellable_cancel (h->stop);
  g_thread_join (h->thread);
  h->thread = NULL;
}

void
ft_hostile_free (FtHostile *h)
{
  if (h == NULL)
    return;
  ft_hostile_stop (h);
  g_socket_close (h->listener, NULL);
  g_object_unref (h->listener);
  g_object_unref (h->stop);
  g_free (h->reply);
  g_free (h->request);
  g_free (h);
}

gboolean
ft_hostile_send (GSocket *conn, const void *data, gsize len)
{
  const char *p = data;

  while (len > 0)
    {
      gssize n = g_socket_send (conn, p, len, NULL, NULL);
      if (n <= 0)
        return FALSE;
      p += n;
      len -= (gsize) n;
    }
  return TRUE;
}

gboolean
ft_hostile_send_repeated (GSocket *conn, const char *chunk, guint64 total)
{
  g_autoptr(GString) block = g_string_new (NULL);

  /* 64 KiB a send, not one chunk: a few hundred calls for 64 MiB. */
  while (block->len < 64 * 1024)
    g_string_append (block, chunk);
  for (guint64 sent = 0; sent < total; sent += block->len)
    if (!ft_hostile_send (conn, block->str, (gsize) MIN ((guint64) block->len, total - sent)))
      return FALSE;
  return TRUE;
}

void
ft_hostile_hold (GSocket *conn, double seconds)
{
  double deadline = ft_now () + seconds;
  char sink[4096];

  while (ft_now () < deadline)
    {
      gint64 left = (gint64) ((deadline - ft_now ()) * G_USEC_PER_SEC);

      if (left <= 0 || !g_socket_condition_timed_wait (conn, G_IO_IN, left / 1000 * 1000 + 1000,
                                                       NULL, NULL))
        return;
      if (g_socket_receive (conn, sink, sizeof sink, NULL, NULL) <= 0)
        return;
    }
}

gboolean
ft_hostile_skip_upload (GSocket *conn)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gsize seen = 0;

  while (seen < MAX_SKIP)
    {
      char c;

      if (g_socket_receive (conn, &c, 1, NULL, NULL) <= 0)
        return FALSE;
      seen++;
      if (c != '\n')
        {
          if (line->len < 16)
            g_string_append_c (line, c);
          continue;
        }
      if (strcmp (line->str, "ENDUPLOAD") == 0)
        return TRUE;
      g_string_truncate (line, 0);
    }
  return FALSE;
}
