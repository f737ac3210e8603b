/* test-request-line.c: the server's bound on a request line is the one
 * filestorm-protocol(7) states: a line longer than 64 KiB is refused,
 * its length not counting the line feed nor a carriage return before it
 * (which is dropped). The server used to count the terminator, and
 * refused a line of exactly 65,536 bytes ended by LF and one of 65,535
 * ended by CRLF. Each edge in both concurrency models; after each, the
 * connection serves a LIST, so the rest of a refused line was dropped
 * and nothing more. */
#include "config.h"

#include <string.h>

#include "testutil.h"

#define LINE_MAX_BYTES (64 * 1024)

typedef struct {
  const char *name;
  gsize       len;     /* the line's bytes, without its terminator */
  const char *end;     /* "\n" or "\r\n" */
  gboolean    served;  /* TRUE: the LIST is answered; FALSE: "too long" */
} Edge;

static const Edge edges[] = {
  { "lf-at-limit", LINE_MAX_BYTES, "\n", TRUE },
  { "lf-past-limit", LINE_MAX_BYTES + 1, "\n", FALSE },
  { "crlf-at-limit", LINE_MAX_BYTES, "\r\n", TRUE },
  { "crlf-past-limit", LINE_MAX_BYTES + 1, "\r\n", FALSE },
};

static const char * const modes[] = { "thread", "process" };

typedef struct {
  const char *mode;
  const Edge *edge;
} ModeEdge;

static ModeEdge mode_edges[G_N_ELEMENTS (modes) * G_N_ELEMENTS (edges)];

/* Sends "LIST" padded with spaces to the edge's length, its terminator
 * and "LIST\n" in one write; the first answer says whether the long line
 * was served, the second that the connection went on. */
static void
test_edge (gconstpointer data)
{
  const ModeEdge *me = data;
  const Edge *e = me->edge;
  g_autoptr(FtServer) srv = ft_server_start (me->mode, 2, NULL);
  g_autoptr(FtConn) conn = ft_conn_new (srv->port);
  g_autoptr(GString) request = g_string_new ("LIST");
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;

  while (request->len < e->len)
    g_string_append_c (request, ' ');
  g_string_append (request, e->end);
  g_string_append (request, "LIST\n");
  ft_conn_send (conn, request->str, request->len);

  first = ft_conn_read_json (conn);
  if (e->served)
    ft_assert_ok (first);
  else
    {
      const char *message = ft_assert_error (first);

      ft_check (strstr (message, "too long") != NULL,
                "a line of %zu bytes and \"%s\" got ERROR \"%s\", not \"too long\"", e->len,
                strcmp (e->end, "\n") == 0 ? "\\n" : "\\r\\n", message);
    }
  second = ft_conn_read_json (conn);
  ft_assert_ok (second);
  ft_server_stop (g_steal_pointer (&srv));
}

int
main (int argc, char **argv)
{
  gsize n = 0;

  ft_init ();
  g_test_init (&argc, &argv, NULL);
  for (gsize m = 0; m < G_N_ELEMENTS (modes); m++)
    for (gsize i = 0; i < G_N_ELEMENTS (edges); i++)
      {
        g_autofree char *path = g_strdup_printf ("/request-line/%s/%s", modes[m],
                                                 edges[i].name);

        mode_edges[n].mode = modes[m];
        mode_edges[n].edge = &edges[i];
        ft_test_add (path, test_edge, &mode_edges[n]);
        n++;
      }
  return g_test_run ();
}
