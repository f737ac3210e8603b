/* testutil-conn.c: the tests' tiny blocking client: connections to the
 * server, frames and answers (see testutil.h). */
#include "config.h"

#include "testutil.h"

#include <string.h>
#include <sys/socket.h>

#define FRAME_END "\r\n\r\n"
#define UNKNOWN_FRAME "{\"status\":\"ERROR\",\"data\":\"request tidak dikenali\"}" FRAME_END
#define READY_FRAME "READY TO RECEIVE FILE" FRAME_END

/* ================================================================ client */

FtConn *
ft_conn_new (guint16 port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  FtConn *conn = g_new0 (FtConn, 1);

  g_socket_client_set_timeout (client, FT_IO_TIMEOUT);
  g_socket_client_set_enable_proxy (client, FALSE);
  conn->connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  g_assert_no_error (error);
  conn->socket = g_socket_connection_get_socket (conn->connection);
  g_socket_set_timeout (conn->socket, FT_IO_TIMEOUT);
  conn->pending = g_byte_array_new ();
  return conn;
}

void
ft_conn_free (FtConn *conn)
{
  if (conn == NULL)
    return;
  g_socket_close (conn->socket, NULL);
  g_object_unref (conn->connection);
  g_byte_array_unref (conn->pending);
  g_free (conn);
}

void
ft_conn_shutdown_write (FtConn *conn)
{
  g_autoptr(GError) error = NULL;

  g_socket_shutdown (conn->socket, FALSE, TRUE, &error);
  g_assert_no_error (error);
}

void
ft_conn_reset (FtConn *conn)
{
  struct linger lg = { 1, 0 };

  g_assert_cmpint (setsockopt (g_socket_get_fd (conn->socket), SOL_SOCKET, SO_LINGER,
                               &lg, sizeof lg), ==, 0);
  ft_conn_free (conn);
}

gboolean
ft_port_refuses (guint16 port)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (socket);
  g_socket_set_timeout (socket, 2);
  if (g_socket_connect (socket, address, NULL, &error))
    return FALSE;
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

/* A port on 127.0.0.1 where nothing listens: bound, read, closed. */
guint16
ft_closed_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                          G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint16 port;

  g_assert_no_error (error);
  g_socket_bind (sock, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (sock, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (sock, NULL);
  g_assert_cmpuint (port, >, 0);
  return port;
}

void
ft_conn_set_timeout (FtConn *conn, guint seconds)
{
  g_socket_set_timeout (conn->socket, seconds);
}

gboolean
ft_conn_try_send (FtConn *conn, const void *data, gsize len, GError **error)
{
  const char *p = data;

  while (len > 0)
    {
      gssize n = g_socket_send (conn->socket, p, len, NULL, error);
      if (n < 0)
        return FALSE;
      p += n;
      len -= (gsize) n;
      conn->sent += (guint64) n;
    }
  return TRUE;
}

void
ft_conn_send (FtConn *conn, const void *data, gsize len)
{
  g_autoptr(GError) error = NULL;

  ft_conn_try_send (conn, data, len, &error);
  g_assert_no_error (error);
}

void
ft_conn_send_str (FtConn *conn, const char *text)
{
  ft_conn_send (conn, text, strlen (text));
}

gssize
ft_conn_recv_some (FtConn *conn, gsize max, GError **error)
{
  guint old = conn->pending->len;
  gssize n;

  g_byte_array_set_size (conn->pending, old + (guint) max);
  n = g_socket_receive (conn->socket, (char *) conn->pending->data + old, max, NULL, error);
  g_byte_array_set_size (conn->pending, old + (guint) MAX (n, 0));
  if (n > 0)
    conn->received += (guint64) n;
  return n;
}

GBytes *
ft_conn_read_frame (FtConn *conn, GError **error)
{
  gsize scan = 0;

  for (;;)
    {
      GByteArray *p = conn->pending;
      gssize n;

      if (p->len >= FT_MAX_FRAME)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       "no frame terminator in %u bytes", p->len);
          return NULL;
        }
      if (p->len >= 4)
        {
          const guint8 *hit = memmem (p->data + scan, p->len - scan, FRAME_END, 4);
          if (hit != NULL)
            {
              gsize len = (gsize) (hit - p->data) + 4;
              if (len == p->len)
                {
                  conn->pending = g_byte_array_new ();
                  return g_byte_array_free_to_bytes (p);
                }
              GBytes *frame = g_bytes_new (p->data, len);
              g_byte_array_remove_range (p, 0, (guint) len);
              return frame;
            }
          scan = p->len >= 3 ? p->len - 3 : 0;
        }
      n = ft_conn_recv_some (conn, 256 * 1024, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        {
          g_autofree char *shown = ft_preview (conn->pending->data, conn->pending->len);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                       "server closed the connection before a whole frame "
                       "(%u bytes pending: \"%s\")", conn->pending->len, shown);
          return NULL;
        }
    }
}

gboolean
ft_conn_wait_closed (FtConn *conn, double timeout, gsize *extra_bytes)
{
  double deadline = ft_now () + timeout;
  gsize extra = conn->pending->len;
  gboolean closed = FALSE;

  g_byte_array_set_size (conn->pending, 0);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      double left = deadline - ft_now ();
      char buf[65536];
      gssize n;

      if (left <= 0)
        break;
      if (!g_socket_condition_timed_wait (conn->socket, G_IO_IN,
                                          (gint64) (left * G_USEC_PER_SEC), NULL, &error))
        break;
      n = g_socket_receive (conn->socket, buf, sizeof buf, NULL, &error);
      /* end of stream, or a reset (whatever GIO maps ECONNRESET to) */
      if (n == 0 || (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) &&
                     !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)))
        {
          closed = TRUE;
          break;
        }
      if (n < 0)
        {
          ft_note ("waiting for close: %s", error->message);
          break;
        }
      extra += (gsize) n;
    }
  if (extra_bytes != NULL)
    *extra_bytes = extra;
  return closed;
}

JsonNode *
ft_parse_frame (GBytes *frame)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = ft_preview_bytes (frame);
  gsize len = 0;
  const char *data = g_bytes_get_data (frame, &len);
  JsonObject *object;
  JsonNode *status;

  ft_check (len >= 4 && memcmp (data + len - 4, FRAME_END, 4) == 0,
            "frame does not end in \\r\\n\\r\\n: \"%s\"", shown);
  ft_check (g_utf8_validate (data, (gssize) len - 4, NULL),
            "frame is not valid UTF-8: \"%s\"", shown);
  json_parser_load_from_data (parser, data, (gssize) len - 4, &error);
  ft_check (error == NULL, "frame is not JSON (%s): \"%s\"", error ? error->message : "", shown);
  ft_check (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)),
            "frame is not a JSON object: \"%s\"", shown);
  object = json_node_get_object (json_parser_get_root (parser));
  status = json_object_get_member (object, "status");
  ft_check (status != NULL && JSON_NODE_HOLDS_VALUE (status) &&
            json_node_get_value_type (status) == G_TYPE_STRING &&
            (g_strcmp0 (json_node_get_string (status), "OK") == 0 ||
             g_strcmp0 (json_node_get_string (status), "ERROR") == 0),
            "frame has no \"status\" of \"OK\" or \"ERROR\": \"%s\"", shown);
  return json_node_copy (json_parser_get_root (parser));
}

JsonNode *
ft_conn_read_json (FtConn *conn)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) frame = ft_conn_read_frame (conn, &error);

  g_assert_no_error (error);
  return ft_parse_frame (frame);
}

GBytes *
ft_request_raw (FtConn *conn, const char *line)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strconcat (line, "\n", NULL);
  GBytes *frame;

  ft_conn_send_str (conn, text);
  frame = ft_conn_read_frame (conn, &error);
  if (error != NULL)
    {
      g_autofree char *shown = ft_preview (line, strlen (line));
      ft_fail ("no answer to \"%s\": %s", shown, error->message);
    }
  return frame;
}

JsonNode *
ft_request (FtConn *conn, const char *line)
{
  g_autoptr(GBytes) frame = ft_request_raw (conn, line);
  return ft_parse_frame (frame);
}

const char *
ft_status (JsonNode *answer)
{
  return json_object_get_string_member (json_node_get_object (answer), "status");
}

void
ft_assert_ok (JsonNode *answer)
{
  if (g_strcmp0 (ft_status (answer), "OK") != 0)
    {
      g_autofree char *shown = ft_preview_json (answer);
      ft_fail ("expected status OK, got %s", shown);
    }
}

const char *
ft_assert_error (JsonNode *answer)
{
  JsonObject *object = json_node_get_object (answer);
  JsonNode *data = json_object_get_member (object, "data");
  g_autofree char *shown = ft_preview_json (answer);

  ft_check (g_strcmp0 (ft_status (answer), "ERROR") == 0, "expected status ERROR, got %s", shown);
  ft_check (data != NULL && JSON_NODE_HOLDS_VALUE (data) &&
            json_node_get_value_type (data) == G_TYPE_STRING &&
            *json_node_get_string (data) != '\0',
            "ERROR answer without a message string in \"data\": %s", shown);
  return json_node_get_string (data);
}

void
ft_assert_unknown_frame (GBytes *frame)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (frame, &len);
  g_autofree char *shown = ft_preview_bytes (frame);

  ft_check (len == strlen (UNKNOWN_FRAME) && memcmp (data, UNKNOWN_FRAME, len) == 0,
            "expected exactly {\"status\":\"ERROR\",\"data\":\"request tidak dikenali\"}"
            "\\r\\n\\r\\n, got \"%s\"", shown);
}

void
ft_conn_read_ready (FtConn *conn)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) ready = ft_conn_read_frame (conn, &error);

  g_assert_no_error (error);
  ft_assert_ready_frame (ready);
}

void
ft_assert_ready_frame (GBytes *frame)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (frame, &len);
  g_autofree char *shown = ft_preview_bytes (frame);

  ft_check (len == strlen (READY_FRAME) && memcmp (data, READY_FRAME, len) == 0,
            "expected exactly READY TO RECEIVE FILE\\r\\n\\r\\n, got \"%s\"", shown);
}

char *
ft_quote (const char *name)
{
  GString *out;

  if (*name != '\0' && strpbrk (name, " \t\"'\\") == NULL)
    return g_strdup (name);
  out = g_string_new ("\"");
  for (const char *p = name; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}
