/* test-frame.c: the client's streaming reader of response frames. */
#include "config.h"

#include <string.h>

#include "errors.h"
#include "frame.h"

typedef struct {
  GString *streamed;
  gsize    calls;
  gsize    fail_after;  /* 0 = never */
} Sink;

static gboolean
collect (const char *data, gsize len, gpointer user_data, GError **error)
{
  Sink *sink = user_data;

  sink->calls++;
  if (sink->fail_after != 0 && sink->streamed->len + len > sink->fail_after)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_FAILED, "sink refused");
      return FALSE;
    }
  g_string_append_len (sink->streamed, data, (gssize) len);
  return TRUE;
}

/* Feeds text in pieces of at most step bytes; returns the bytes consumed
 * up to the frame's end, or -1 on error (kept in *error). */
static gssize
feed_in_steps (FsFrameScanner *scanner, const char *text, gsize len, gsize step,
               GError **error)
{
  gsize pos = 0;

  while (pos < len)
    {
      gsize n = MIN (step, len - pos), consumed = 0;
      gboolean done = FALSE;

      if (!fs_frame_scanner_feed (scanner, (const guint8 *) text + pos, n, &consumed, &done,
                                  error))
        return -1;
      g_assert_cmpuint (consumed, <=, n);
      pos += consumed;
      if (done)
        return (gssize) pos;
      g_assert_cmpuint (consumed, ==, n);
    }
  return -2; /* not finished */
}

static void
test_get_every_split (void)
{
  /* Python's json.dumps style: spaces after ':' and ','. */
  const char *frame =
    "{\"status\": \"OK\", \"data_namafile\": \"a b.bin\", \"data_file\": \"aGVsbG8K\"}\r\n\r\n";
  gsize len = strlen (frame);

  for (gsize step = 1; step <= len; step++)
    {
      g_autoptr(FsFrameScanner) scanner = NULL;
      g_autoptr(GError) error = NULL;
      Sink sink = { g_string_new (NULL), 0, 0 };
      JsonObject *obj;

      scanner = fs_frame_scanner_new ("data_file", collect, &sink, 1024);
      g_assert_cmpint (feed_in_steps (scanner, frame, len, step, &error), ==, (gssize) len);
      g_assert_no_error (error);
      g_assert_cmpstr (sink.streamed->str, ==, "aGVsbG8K");
      g_assert_true (fs_frame_scanner_streamed (scanner));
      obj = fs_frame_scanner_object (scanner);
      g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "OK");
      g_assert_cmpstr (json_object_get_string_member (obj, "data_namafile"), ==, "a b.bin");
      g_assert_false (json_object_has_member (obj, "data_file"));
      g_string_free (sink.streamed, TRUE);
    }
}

static void
test_member_order_and_values (void)
{
  const char *frame =
    "{\"data_file\":\"QUJD\",\"n\":-1.5e3,\"t\":true,\"z\":null,"
    "\"nested\":{\"a\":[1,{\"b\":\"}]\\\"\"}],\"c\":\"x,y\"},\"list\":[ \"p\" , \"q\" ],"
    "\"status\":\"OK\"}\r\n\r\n";
  g_autoptr(FsFrameScanner) scanner = NULL;
  g_autoptr(GError) error = NULL;
  Sink sink = { g_string_new (NULL), 0, 0 };
  JsonObject *obj, *nested;

  scanner = fs_frame_scanner_new ("data_file", collect, &sink, 4096);
  g_assert_cmpint (feed_in_steps (scanner, frame, strlen (frame), 7, &error), ==,
                   (gssize) strlen (frame));
  g_assert_no_error (error);
  g_assert_cmpstr (sink.streamed->str, ==, "QUJD");
  obj = fs_frame_scanner_object (scanner);
  g_assert_cmpfloat (json_object_get_double_member (obj, "n"), ==, -1500.0);
  g_assert_true (json_object_get_boolean_member (obj, "t"));
  g_assert_true (json_object_get_null_member (obj, "z"));
  nested = json_object_get_object_member (obj, "nested");
  g_assert_cmpstr (json_object_get_string_member (nested, "c"), ==, "x,y");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "list")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "OK");
  g_string_free (sink.streamed, TRUE);
}

static void
test_streamed_escapes (void)
{
  /* "\/" as some encoders write it, and escaped line breaks, which base64
   * decoders skip as white space. */
  const char *frame = "{\"status\":\"OK\",\"data_file\":\"ab\\/c\\nd\\re\\tf\\\"g\\\\h\"}\r\n\r\n";
  g_autoptr(FsFrameScanner) scanner = NULL;
  g_autoptr(GError) error = NULL;
  Sink sink = { g_string_new (NULL), 0, 0 };

  scanner = fs_frame_scanner_new ("data_file", collect, &sink, 4096);
  g_assert_cmpint (feed_in_steps (scanner, frame, strlen (frame), 1, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpstr (sink.streamed->str, ==, "ab/c\nd\re\tf\"g\\h");
  g_string_free (sink.streamed, TRUE);
}

static void
test_pipelined (void)
{
  const char *frames = "{\"status\":\"OK\",\"data\":[]}\r\n\r\n{\"status\":\"ERROR\"}\r\n\r\n";
  gsize first = strlen ("{\"status\":\"OK\",\"data\":[]}\r\n\r\n");
  g_autoptr(FsFrameScanner) a = fs_frame_scanner_new (NULL, NULL, NULL, 4096);
  g_autoptr(FsFrameScanner) b = fs_frame_scanner_new (NULL, NULL, NULL, 4096);
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;
  gboolean done = FALSE;

  g_assert_true (fs_frame_scanner_feed (a, (const guint8 *) frames, strlen (frames),
                                        &consumed, &done, &error));
  g_assert_true (done);
  g_assert_cmpuint (consumed, ==, first);
  g_assert_false (fs_frame_scanner_streamed (a));
  g_assert_true (fs_frame_scanner_feed (b, (const guint8 *) frames + first,
                                        strlen (frames) - first, &consumed, &done, &error));
  g_assert_true (done);
  g_assert_cmpstr (json_object_get_string_member (fs_frame_scanner_object (b), "status"), ==,
                   "ERROR");
}

static void
test_not_done_without_terminator (void)
{
  const char *frame = "{\"status\":\"OK\"}\r\n\r";
  g_autoptr(FsFrameScanner) scanner = fs_frame_scanner_new (NULL, NULL, NULL, 4096);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (feed_in_steps (scanner, frame, strlen (frame), 3, &error), ==, -2);
  g_assert_no_error (error);
}

static void
test_malformed (void)
{
  static const char * const bad[] = {
    "READY TO RECEIVE FILE\r\n\r\n",
    "[1,2]\r\n\r\n",
    "{\"status\" \"OK\"}\r\n\r\n",
    "{\"status\":\"OK\" \"x\":1}\r\n\r\n",
    "{status:\"OK\"}\r\n\r\n",
    "{\"status\":\"OK\"}garbage\r\n\r\n",
    "{\"a\":,}\r\n\r\n",
    "{\"a\":tru}\r\n\r\n",
    "{\"data_file\":\"ab\\u0041\"}\r\n\r\n",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(FsFrameScanner) scanner = NULL;
      g_autoptr(GError) error = NULL;
      Sink sink = { g_string_new (NULL), 0, 0 };
      g_autofree char *shown = g_strescape (bad[i], NULL);

      g_test_message ("frame %s", shown);
      scanner = fs_frame_scanner_new ("data_file", collect, &sink, 4096);
      g_assert_cmpint (feed_in_steps (scanner, bad[i], strlen (bad[i]), 5, &error), ==, -1);
      g_assert_error (error, FS_ERROR, FS_ERROR_PROTOCOL);
      g_string_free (sink.streamed, TRUE);
    }
}

static void
test_kept_bound (void)
{
  g_autoptr(GString) frame = g_string_new ("{\"status\":\"OK\",\"data\":\"");
  g_autoptr(FsFrameScanner) scanner = fs_frame_scanner_new (NULL, NULL, NULL, 1000);
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 2000; i++)
    g_string_append_c (frame, 'x');
  g_string_append (frame, "\"}\r\n\r\n");
  g_assert_cmpint (feed_in_steps (scanner, frame->str, frame->len, 64, &error), ==, -1);
  g_assert_error (error, FS_ERROR, FS_ERROR_PROTOCOL);
}

static void
test_large_stream_is_not_kept (void)
{
  /* 8 MiB through a scanner that may keep only 1 KiB. */
  g_autoptr(GString) frame = g_string_new ("{\"status\":\"OK\",\"data_file\":\"");
  g_autoptr(FsFrameScanner) scanner = NULL;
  g_autoptr(GError) error = NULL;
  Sink sink = { g_string_new (NULL), 0, 0 };
  gsize body = 8 * 1024 * 1024;

  for (gsize i = 0; i < body; i++)
    g_string_append_c (frame, "ABCD"[i % 4]);
  g_string_append (frame, "\"}\r\n\r\n");
  scanner = fs_frame_scanner_new ("data_file", collect, &sink, 1024);
  g_assert_cmpint (feed_in_steps (scanner, frame->str, frame->len, 65536, &error), ==,
                   (gssize) frame->len);
  g_assert_no_error (error);
  g_assert_cmpuint (sink.streamed->len, ==, body);
  g_string_free (sink.streamed, TRUE);
}

static void
test_sink_error_propagates (void)
{
  const char *frame = "{\"status\":\"OK\",\"data_file\":\"AAAABBBBCCCC\"}\r\n\r\n";
  g_autoptr(FsFrameScanner) scanner = NULL;
  g_autoptr(GError) error = NULL;
  Sink sink = { g_string_new (NULL), 0, 4 };

  scanner = fs_frame_scanner_new ("data_file", collect, &sink, 1024);
  g_assert_cmpint (feed_in_steps (scanner, frame, strlen (frame), 3, &error), ==, -1);
  g_assert_error (error, FS_ERROR, FS_ERROR_FAILED);
  g_string_free (sink.streamed, TRUE);
}

/* {"status":"OK","data":[[...[]...]]} with depth levels in all,
 * the frame's own object counting as one. */
static GString *
nested_frame (guint depth)
{
  GString *frame = g_string_new ("{\"status\":\"OK\",\"data\":");

  for (guint i = 1; i < depth; i++)
    g_string_append_c (frame, '[');
  for (guint i = 1; i < depth; i++)
    g_string_append_c (frame, ']');
  g_string_append (frame, "}\r\n\r\n");
  return frame;
}

static void
test_depth_limit (void)
{
  g_autoptr(GString) deepest = nested_frame (FS_FRAME_MAX_DEPTH);
  g_autoptr(GString) deeper = nested_frame (FS_FRAME_MAX_DEPTH + 1);
  g_autoptr(FsFrameScanner) a = fs_frame_scanner_new (NULL, NULL, NULL, 4096);
  g_autoptr(FsFrameScanner) b = fs_frame_scanner_new (NULL, NULL, NULL, 4096);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (feed_in_steps (a, deepest->str, deepest->len, 7, &error), ==,
                   (gssize) deepest->len);
  g_assert_no_error (error);
  g_assert_cmpint (feed_in_steps (b, deeper->str, deeper->len, 7, &error), ==, -1);
  g_assert_error (error, FS_ERROR, FS_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "nested deeper than 64"));
}

/* 100,000 levels (200 KB) used to make json-glib overflow the stack; the
 * scanner refuses them before json-glib sees anything. Brackets inside a
 * string are not nesting. */
static void
test_deep_hostile (void)
{
  g_autoptr(GString) deep = nested_frame (100000);
  g_autoptr(GString) quoted = g_string_new ("{\"status\":\"OK\",\"data\":[\"");
  g_autoptr(FsFrameScanner) a = fs_frame_scanner_new (NULL, NULL, NULL, 1024 * 1024);
  g_autoptr(FsFrameScanner) b = fs_frame_scanner_new (NULL, NULL, NULL, 1024 * 1024);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (feed_in_steps (a, deep->str, deep->len, 65536, &error), ==, -1);
  g_assert_error (error, FS_ERROR, FS_ERROR_PROTOCOL);
  g_clear_error (&error);
  for (int i = 0; i < 1000; i++)
    g_string_append (quoted, "[[{{");
  g_string_append (quoted, "\"]}\r\n\r\n");
  g_assert_cmpint (feed_in_steps (b, quoted->str, quoted->len, 65536, &error), ==,
                   (gssize) quoted->len);
  g_assert_no_error (error);
}

/* White space counts against the bound: a frame padded for ever (before
 * its object, between members, before its terminator) ends in an error. */
static void
test_white_space_bound (void)
{
  const char * const heads[] = { "", "{\"status\":\"OK\"", "{\"status\":\"OK\"}" };

  for (gsize i = 0; i < G_N_ELEMENTS (heads); i++)
    {
      g_autoptr(GString) frame = g_string_new (heads[i]);
      g_autoptr(FsFrameScanner) scanner = fs_frame_scanner_new (NULL, NULL, NULL, 1000);
      g_autoptr(GError) error = NULL;

      for (int k = 0; k < 2000; k++)
        g_string_append_c (frame, k % 2 ? ' ' : '\n');
      g_assert_cmpint (feed_in_steps (scanner, frame->str, frame->len, 64, &error), ==, -1);
      g_assert_error (error, FS_ERROR, FS_ERROR_PROTOCOL);
    }
}

static void
test_invalid_utf8 (void)
{
  const char * const frames[] = {
    "{\"status\":\"ERROR\",\"data\":\"bad \xff\xfe\"}\r\n\r\n",
    "{\"status\":\"OK\",\"data\":[\"\xc3\"]}\r\n\r\n",
    "{\"st\xe9tus\":\"OK\"}\r\n\r\n",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr(FsFrameScanner) scanner = fs_frame_scanner_new (NULL, NULL, NULL, 4096);
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (feed_in_steps (scanner, frames[i], strlen (frames[i]), 5, &error), ==,
                       -1);
      g_assert_error (error, FS_ERROR, FS_ERROR_PROTOCOL);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/frame/depth-limit", test_depth_limit);
  g_test_add_func ("/frame/deep-hostile", test_deep_hostile);
  g_test_add_func ("/frame/white-space-bound", test_white_space_bound);
  g_test_add_func ("/frame/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/frame/get/every-split", test_get_every_split);
  g_test_add_func ("/frame/member-order-and-values", test_member_order_and_values);
  g_test_add_func ("/frame/streamed-escapes", test_streamed_escapes);
  g_test_add_func ("/frame/pipelined", test_pipelined);
  g_test_add_func ("/frame/not-done-without-terminator", test_not_done_without_terminator);
  g_test_add_func ("/frame/malformed", test_malformed);
  g_test_add_func ("/frame/kept-bound", test_kept_bound);
  g_test_add_func ("/frame/large-stream-is-not-kept", test_large_stream_is_not_kept);
  g_test_add_func ("/frame/sink-error-propagates", test_sink_error_propagates);
  return g_test_run ();
}
