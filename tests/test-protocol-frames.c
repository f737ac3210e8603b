/* test-protocol-frames.c: the response frames (framing, JSON, every
 * kind of answer), JSON string literals and printable text. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "errors.h"
#include "protocol.h"
#include "protocol-strings.h"

#define V(...) ((const char *const[]) { __VA_ARGS__, NULL })
#define EMPTY ((const char *const[]) { NULL })

/* -------------------------------------------------------------- frames */

/* Checks the framing of frame (a whole response) and returns its JSON
 * object, parsed. */
static JsonObject *
parse_frame (GString *frame)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *end;
  gsize json_len;
  JsonNode *root;

  g_assert_nonnull (frame);
  g_assert_cmpuint (frame->len, >, FS_FRAME_END_LEN);
  g_assert_cmpuint (strlen (frame->str), ==, frame->len);
  g_assert_true (g_str_has_suffix (frame->str, FS_FRAME_END));
  g_assert_true (g_utf8_validate (frame->str, (gssize) frame->len, NULL));

  /* The terminator occurs exactly once, at the end: a client that cuts the
   * stream at the first "\r\n\r\n" gets the whole object. */
  end = strstr (frame->str, FS_FRAME_END);
  g_assert_nonnull (end);
  g_assert_cmpuint ((gsize) (end - frame->str), ==, frame->len - FS_FRAME_END_LEN);
  json_len = frame->len - FS_FRAME_END_LEN;
  /* Compact, and JSON escapes every control character: no raw CR or LF
   * in the object at all. */
  g_assert_null (memchr (frame->str, '\n', json_len));
  g_assert_null (memchr (frame->str, '\r', json_len));

  g_assert_true (json_parser_load_from_data (parser, frame->str, (gssize) json_len, &error));
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static void
assert_member_string (JsonObject *obj, const char *member, const char *expected)
{
  JsonNode *node = json_object_get_member (obj, member);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);
  g_assert_cmpstr (json_node_get_string (node), ==, expected);
}

static void
test_frame_error (void)
{
  for (gsize i = 0; i < ps_n_awkward; i++)
    {
      g_autoptr(GString) frame = fs_protocol_error_frame (ps_awkward[i]);
      g_autoptr(JsonObject) obj = parse_frame (frame);

      assert_member_string (obj, "status", "ERROR");
      assert_member_string (obj, "data", ps_awkward[i]);
      g_assert_cmpuint (json_object_get_size (obj), ==, 2);
    }
}

static void
test_frame_unknown (void)
{
  g_autoptr(GString) frame = fs_protocol_error_frame (FS_MSG_UNKNOWN);
  g_autoptr(JsonObject) obj = parse_frame (frame);

  g_assert_cmpstr (FS_MSG_UNKNOWN, ==, "request tidak dikenali");
  assert_member_string (obj, "status", "ERROR");
  assert_member_string (obj, "data", "request tidak dikenali");
  /* Clients match on the text: it is there verbatim. */
  g_assert_nonnull (strstr (frame->str, "\"request tidak dikenali\""));
}

static void
test_frame_ok_message (void)
{
  g_autoptr(GString) frame = fs_protocol_ok_message_frame ("File deleted successfully");
  g_autoptr(JsonObject) obj = parse_frame (frame);

  assert_member_string (obj, "status", "OK");
  assert_member_string (obj, "message", "File deleted successfully");
}

static void
test_frame_generic (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) frame = NULL;
  g_autoptr(JsonObject) obj = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "OK");
  json_builder_set_member_name (builder, "n");
  json_builder_add_int_value (builder, G_GINT64_CONSTANT (1) << 40);
  json_builder_set_member_name (builder, "s");
  json_builder_add_string_value (builder, "\r\n\r\n");
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  frame = fs_protocol_frame (node);
  obj = parse_frame (frame);
  assert_member_string (obj, "status", "OK");
  assert_member_string (obj, "s", "\r\n\r\n");
  g_assert_cmpint (json_object_get_int_member (obj, "n"), ==, G_GINT64_CONSTANT (1) << 40);
}

static void
test_frame_upload (void)
{
  for (gsize i = 0; i < ps_n_awkward; i++)
    {
      guint64 size = (G_GUINT64_CONSTANT (1) << 33) + i;
      g_autoptr(GString) frame = fs_protocol_upload_frame (ps_awkward[i], size);
      g_autoptr(JsonObject) obj = parse_frame (frame);
      JsonObject *data;

      assert_member_string (obj, "status", "OK");
      assert_member_string (obj, "message", "File uploaded successfully");
      g_assert_true (json_object_has_member (obj, "data"));
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (obj, "data")));
      data = json_object_get_object_member (obj, "data");
      assert_member_string (data, "file_path", ps_awkward[i]);
      g_assert_cmpint (json_object_get_int_member (data, "size"), ==, (gint64) size);
    }
}

static void
check_list (const char *const *names)
{
  g_autoptr(GString) frame = fs_protocol_list_frame (names);
  g_autoptr(JsonObject) obj = parse_frame (frame);
  JsonNode *data;
  JsonArray *array;
  guint n = names != NULL ? g_strv_length ((GStrv) names) : 0;

  assert_member_string (obj, "status", "OK");
  data = json_object_get_member (obj, "data");
  g_assert_nonnull (data);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (data));
  array = json_node_get_array (data);
  g_assert_cmpuint (json_array_get_length (array), ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      g_assert_true (JSON_NODE_HOLDS_VALUE (element));
      g_assert_cmpstr (json_node_get_string (element), ==, names[i]);
    }
}

static void
test_frame_list (void)
{
  check_list (V ("a.bin", "b.png"));
  check_list (V ("only"));
  check_list (EMPTY);
  {
    const char *names[ps_n_awkward + 1];

    for (gsize i = 0; i < ps_n_awkward; i++)
      names[i] = ps_awkward[i];
    names[ps_n_awkward] = NULL;
    check_list (names);
  }
}

static void
check_get (const char *name, const char *b64)
{
  g_autoptr(GString) head = fs_protocol_get_frame_head (name);
  g_autoptr(GString) frame = NULL;
  g_autoptr(JsonObject) obj = NULL;

  /* The head ends with the opening quote of the base64 string and holds no
   * terminator of its own. */
  g_assert_nonnull (head);
  g_assert_cmpuint (head->len, >, 0);
  g_assert_cmpint (head->str[head->len - 1], ==, '"');
  g_assert_null (strstr (head->str, FS_FRAME_END));
  g_assert_null (memchr (head->str, '\n', head->len));

  frame = g_string_new_len (head->str, (gssize) head->len);
  g_string_append (frame, b64);
  g_string_append (frame, FS_GET_FRAME_TAIL);
  obj = parse_frame (frame);
  assert_member_string (obj, "status", "OK");
  assert_member_string (obj, "data_namafile", name);
  assert_member_string (obj, "data_file", b64);
}

static void
test_frame_get (void)
{
  g_assert_cmpstr (FS_GET_FRAME_TAIL, ==, "\"}\r\n\r\n");
  check_get ("a.bin", "QUJD");
  check_get ("a.bin", "");
  check_get ("big", "QUJDRA==QUJD+/+/");
  for (gsize i = 0; i < ps_n_awkward; i++)
    check_get (ps_awkward[i], "SGVsbG8gd29ybGQ=");
}

/* ------------------------------------------------------ text for people */

static void
test_printable (void)
{
  static const struct { const char *text, *shown; } cases[] = {
    { "plain.bin", "plain.bin" },
    { "a b.bin", "a b.bin" },
    { "", "" },
    { "a\nb", "a\\nb" },
    { "\r\n", "\\r\\n" },
    { "tab\there", "tab\\there" },
    { "\x1b[31mred", "\\x1b[31mred" },
    { "del\x7f", "del\\x7f" },
    { "h\xc3\xa9llo \xe2\x9c\x93", "h\xc3\xa9llo \xe2\x9c\x93" },
    { "c1 \xc2\x9b", "c1 \\xc2\\x9b" },                  /* CSI as one character */
    { "rlo \xe2\x80\xae", "rlo \\xe2\\x80\\xae" },       /* a bidi override */
    { "ls \xe2\x80\xa8", "ls \\xe2\\x80\\xa8" },         /* a line separator */
    { "bad \xff\xfe", "bad \\xff\\xfe" },
    { "cut \xe2\x9c", "cut \\xe2\\x9c" },
    { "back\\slash \"q\"", "back\\\\slash \\\"q\\\"" },
  };
  g_autofree char *ascii = NULL;

  /* The cases are for a UTF-8 locale; without one (LANG unset) the
   * characters beyond ASCII are escaped too (test-text checks more). */
  if (setlocale (LC_ALL, "C.UTF-8") == NULL)
    {
      g_test_skip ("no C.UTF-8 locale");
      return;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = fs_protocol_printable (cases[i].text);
      g_assert_cmpstr (shown, ==, cases[i].shown);
    }
  for (gsize i = 0; i < ps_n_awkward; i++)
    {
      g_autofree char *shown = fs_protocol_printable (ps_awkward[i]);
      g_assert_false (ps_has_control (shown));
      g_assert_true (g_utf8_validate (shown, -1, NULL));
    }
  setlocale (LC_ALL, "C");
  ascii = fs_protocol_printable ("h\xc3\xa9llo \"\xe2\x9c\x93\"");
  g_assert_cmpstr (ascii, ==, "h\\u00e9llo \\\"\\u2713\\\"");
}

static void
test_json_string (void)
{
  for (gsize i = 0; i < ps_n_awkward; i++)
    {
      g_autofree char *literal = fs_protocol_json_string (ps_awkward[i]);
      g_autofree char *doc = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *obj;

      g_assert_nonnull (literal);
      g_assert_cmpint (literal[0], ==, '"');
      g_assert_true (g_str_has_suffix (literal, "\""));
      g_assert_null (strchr (literal, '\n'));
      g_assert_null (strchr (literal, '\r'));
      doc = g_strdup_printf ("{\"k\":%s}", literal);
      g_assert_true (json_parser_load_from_data (parser, doc, -1, &error));
      g_assert_no_error (error);
      obj = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpstr (json_object_get_string_member (obj, "k"), ==, ps_awkward[i]);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/protocol/frame/error", test_frame_error);
  g_test_add_func ("/protocol/frame/unknown", test_frame_unknown);
  g_test_add_func ("/protocol/frame/ok-message", test_frame_ok_message);
  g_test_add_func ("/protocol/frame/generic", test_frame_generic);
  g_test_add_func ("/protocol/frame/upload", test_frame_upload);
  g_test_add_func ("/protocol/frame/list", test_frame_list);
  g_test_add_func ("/protocol/frame/get", test_frame_get);
  g_test_add_func ("/protocol/json-string", test_json_string);
  g_test_add_func ("/protocol/printable", test_printable);

  return g_test_run ();
}
