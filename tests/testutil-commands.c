/* testutil-commands.c: the protocol's commands, each asserting an
 * answer of the documented shape (see testutil.h). */
#include "config.h"

#include "testutil.h"

#include <string.h>

static const char *
string_member (JsonNode *answer, const char *member)
{
  JsonObject *object = json_node_get_object (answer);
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *shown = ft_preview_json (answer);

  ft_check (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
            json_node_get_value_type (node) == G_TYPE_STRING,
            "answer has no string member \"%s\": %s", member, shown);
  return json_node_get_string (node);
}

GStrv
ft_list (FtConn *conn)
{
  g_autoptr(JsonNode) answer = ft_request (conn, "LIST");
  g_autofree char *shown = ft_preview_json (answer);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  JsonNode *data;
  JsonArray *array;

  ft_assert_ok (answer);
  data = json_object_get_member (json_node_get_object (answer), "data");
  ft_check (data != NULL && JSON_NODE_HOLDS_ARRAY (data), "LIST answer without a \"data\" array: %s", shown);
  array = json_node_get_array (data);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      ft_check (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING,
                "LIST element %u is not a string: %s", i, shown);
      g_strv_builder_add (names, json_node_get_string (e));
    }
  return g_strv_builder_end (names);
}

GBytes *
ft_get (FtConn *conn, const char *name, GBytes *expect)
{
  g_autofree char *quoted = ft_quote (name);
  g_autofree char *line = g_strconcat ("GET ", quoted, NULL);
  g_autoptr(JsonNode) answer = ft_request (conn, line);
  const char *b64;
  guchar *decoded;
  gsize decoded_len = 0;

  ft_assert_ok (answer);
  ft_check (g_strcmp0 (string_member (answer, "data_namafile"), name) == 0,
            "GET %s: data_namafile is \"%s\"", name, string_member (answer, "data_namafile"));
  b64 = string_member (answer, "data_file");
  if (expect != NULL)
    {
      gsize want_len = 0;
      const guint8 *want = g_bytes_get_data (expect, &want_len);
      g_autofree char *want_b64 = g_base64_encode (want, want_len);

      if (strcmp (b64, want_b64) != 0)
        {
          gsize i = 0;
          while (b64[i] != '\0' && b64[i] == want_b64[i])
            i++;
          ft_fail ("GET %s: data_file differs from the base64 of the content at "
                   "offset %" G_GSIZE_FORMAT " (got %" G_GSIZE_FORMAT " chars, want %"
                   G_GSIZE_FORMAT ")", name, i, strlen (b64), strlen (want_b64));
        }
    }
  decoded = g_base64_decode (b64, &decoded_len);
  if (expect != NULL)
    {
      gsize want_len = 0;
      const guint8 *want = g_bytes_get_data (expect, &want_len);
      ft_assert_same_bytes (decoded, decoded_len, want, want_len);
    }
  return g_bytes_new_take (decoded, decoded_len);
}

static char *
check_upload_answer (JsonNode *answer, const char *what)
{
  JsonObject *object;
  JsonNode *data;
  JsonNode *path;
  g_autofree char *shown = ft_preview_json (answer);

  ft_check (g_strcmp0 (ft_status (answer), "OK") == 0, "%s: expected OK, got %s", what, shown);
  ft_check (g_strcmp0 (string_member (answer, "message"), "File uploaded successfully") == 0,
            "%s: wrong message in %s", what, shown);
  object = json_node_get_object (answer);
  data = json_object_get_member (object, "data");
  ft_check (data != NULL && JSON_NODE_HOLDS_OBJECT (data), "%s: no \"data\" object in %s", what, shown);
  path = json_object_get_member (json_node_get_object (data), "file_path");
  ft_check (path != NULL && JSON_NODE_HOLDS_VALUE (path) &&
            json_node_get_value_type (path) == G_TYPE_STRING,
            "%s: no data.file_path string in %s", what, shown);
  return g_strdup (json_node_get_string (path));
}

char *
ft_upload_line (FtConn *conn, const char *name, const guint8 *data, gsize len)
{
  g_autofree char *quoted = ft_quote (name);
  g_autofree char *b64 = NULL;
  g_autoptr(GString) line = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) frame = NULL;
  g_autofree char *what = g_strdup_printf ("one-line UPLOAD %s (%" G_GSIZE_FORMAT " bytes)", name, len);

  g_assert_cmpuint (len, >, 0); /* "UPLOAD name" alone is the streamed form */
  b64 = g_base64_encode (data, len);
  line = g_string_sized_new (strlen (b64) + strlen (quoted) + 16);
  g_string_append_printf (line, "UPLOAD %s %s\n", quoted, b64);
  ft_conn_send (conn, line->str, line->len);
  frame = ft_conn_read_frame (conn, &error);
  ft_check (error == NULL, "%s: no answer: %s", what, error ? error->message : "");
  answer = ft_parse_frame (frame);
  return check_upload_answer (answer, what);
}

JsonNode *
ft_upload_stream_answer (FtConn *conn, const char *name, const guint8 *data,
                         gsize len, gsize line_len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) ready = NULL;
  g_autoptr(GBytes) frame = NULL;
  g_autofree char *b64 = g_base64_encode (data, len);
  g_autofree char *request = NULL;
  gsize b64_len = strlen (b64);

  if (name != NULL)
    {
      g_autofree char *quoted = ft_quote (name);
      request = g_strdup_printf ("UPLOAD %s\n", quoted);
    }
  else
    request = g_strdup ("UPLOAD\n");
  ft_conn_send_str (conn, request);
  ready = ft_conn_read_frame (conn, &error);
  ft_check (error == NULL, "streamed UPLOAD %s: no READY: %s", name ? name : "(unnamed)",
            error ? error->message : "");
  ft_assert_ready_frame (ready);

  if (line_len == 0)
    line_len = MAX (b64_len, 1);
  for (gsize off = 0; off < b64_len; off += line_len)
    {
      ft_conn_send (conn, b64 + off, MIN (line_len, b64_len - off));
      ft_conn_send (conn, "\n", 1);
    }
  ft_conn_send_str (conn, "ENDUPLOAD\n");
  frame = ft_conn_read_frame (conn, &error);
  ft_check (error == NULL, "streamed UPLOAD %s: no answer after ENDUPLOAD: %s",
            name ? name : "(unnamed)", error ? error->message : "");
  return ft_parse_frame (frame);
}

char *
ft_upload_stream (FtConn *conn, const char *name, const guint8 *data, gsize len, gsize line_len)
{
  g_autoptr(JsonNode) answer = ft_upload_stream_answer (conn, name, data, len, line_len);
  g_autofree char *what = g_strdup_printf ("streamed UPLOAD %s (%" G_GSIZE_FORMAT " bytes)",
                                           name ? name : "(unnamed)", len);
  return check_upload_answer (answer, what);
}

void
ft_delete (FtConn *conn, const char *name)
{
  g_autofree char *quoted = ft_quote (name);
  g_autofree char *line = g_strconcat ("DELETE ", quoted, NULL);
  g_autoptr(JsonNode) answer = ft_request (conn, line);
  g_autofree char *shown = ft_preview_json (answer);

  ft_check (g_strcmp0 (ft_status (answer), "OK") == 0, "DELETE %s: expected OK, got %s", name, shown);
  ft_check (g_strcmp0 (string_member (answer, "message"), "File deleted successfully") == 0,
            "DELETE %s: wrong message in %s", name, shown);
}

static const char * const counters[] = {
  "connections", "requests", "requests_ok", "requests_failed", "workers_ok",
  "workers_failed", "worker_restarts", "bytes_in", "bytes_out", NULL
};

JsonNode *
ft_stats (FtConn *conn)
{
  g_autoptr(JsonNode) answer = ft_request (conn, "STATS");
  g_autofree char *shown = ft_preview_json (answer);
  JsonNode *data;
  JsonObject *object;
  JsonNode *member;

  ft_assert_ok (answer);
  data = json_object_get_member (json_node_get_object (answer), "data");
  ft_check (data != NULL && JSON_NODE_HOLDS_OBJECT (data), "STATS answer without a \"data\" object: %s", shown);
  object = json_node_get_object (data);

  member = json_object_get_member (object, "mode");
  ft_check (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
            json_node_get_value_type (member) == G_TYPE_STRING &&
            (g_strcmp0 (json_node_get_string (member), "thread") == 0 ||
             g_strcmp0 (json_node_get_string (member), "process") == 0 ||
             g_strcmp0 (json_node_get_string (member), "event") == 0),
            "STATS: bad \"mode\": %s", shown);
  member = json_object_get_member (object, "uptime_s");
  ft_check (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
            (json_node_get_value_type (member) == G_TYPE_INT64 ||
             json_node_get_value_type (member) == G_TYPE_DOUBLE) &&
            json_node_get_double (member) >= 0,
            "STATS: bad \"uptime_s\": %s", shown);
  for (gsize i = 0; counters[i] != NULL; i++)
    ft_check (ft_stat (data, counters[i]) >= 0, "STATS: negative %s: %s", counters[i], shown);
  ft_check (ft_stat (data, "pool") >= 1, "STATS: bad pool: %s", shown);
  ft_check (ft_stat (data, "pid") > 1, "STATS: bad pid: %s", shown);
  return json_node_copy (data);
}

gint64
ft_stat (JsonNode *stats, const char *member)
{
  JsonNode *node = json_object_get_member (json_node_get_object (stats), member);
  g_autofree char *shown = ft_preview_json (stats);

  ft_check (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
            json_node_get_value_type (node) == G_TYPE_INT64,
            "STATS data has no integer member \"%s\": %s", member, shown);
  return json_node_get_int (node);
}
