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

/* Sends "LIST" padded with spaces to the edge's length, its terminator
 * and "LIST\n" in one write; the first answer says whether the long line
 * was served, the second that the connection went on. */
static void
check_edge (guint16 port, const Edge *e)
{
  g_autoptr(FtConn) conn = ft_conn_new (port);
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
    ft_check (g_strcmp0 (ft_status (first), "OK") == 0, "%s: the line was not served",
              e->name);
  else
    {
      const char *message = ft_assert_error (first);

      ft_check (strstr (message, "too long") != NULL,
                "%s: ERROR \"%s\", not \"too long\"", e->name, message);
    }
  second = ft_conn_read_json (conn);
  ft_assert_ok (second);
}

/* Every edge against one server in the mode given. */
static void
test_edges (gconstpointer data)
{
  g_autoptr(FtServer) srv = ft_server_start (data, 2, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (edges); i++)
    check_edge (srv->port, &edges[i]);
  ft_server_stop (g_steal_pointer (&srv));
}

int
main (int argc, char **argv)
{
  ft_init ();
  g_test_init (&argc, &argv, NULL);
  ft_test_add ("/request-line/thread", test_edges, "thread");
  ft_test_add ("/request-line/process", test_edges, "process");
  return g_test_run ();
}
