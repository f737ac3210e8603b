/* test-text.c: the text that programs print and keep from what a server
 * sent: fs_protocol_printable_text() (a message made printable, quotes
 * left alone) and fs_copy_utf8() (a fixed buffer that stays UTF-8). */
#include "config.h"

#include <string.h>

#include "protocol.h"
#include "util.h"

static void
test_printable_text (void)
{
  static const struct { const char *text, *shown; } cases[] = {
    { "no such file", "no such file" },
    { "", "" },
    { "the name \"a b\" is bad", "the name \"a b\" is bad" },
    { "C:\\dir", "C:\\dir" },
    { "two\nlines\r", "two\\nlines\\r" },
    { "\x1b[2J cleared", "\\x1b[2J cleared" },
    { "h\xc3\xa9llo", "h\xc3\xa9llo" },
    { "c1 \xc2\x9b", "c1 \\xc2\\x9b" },
    { "rlo \xe2\x80\xae", "rlo \\xe2\\x80\\xae" },
    { "bad \xff", "bad \\xff" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = fs_protocol_printable_text (cases[i].text);
      g_autofree char *again = fs_protocol_printable_text (shown);

      g_assert_cmpstr (shown, ==, cases[i].shown);
      /* What is printable already comes out unchanged: a message passed
       * from one program to another is not escaped twice. */
      g_assert_cmpstr (again, ==, shown);
    }
}

static void
test_copy_utf8 (void)
{
  static const struct { const char *src, *copied; gsize size; } cases[] = {
    { "abc", "abc", 6 },
    { "abcde", "abcde", 6 },
    /* "é" would be cut after its first byte: it goes whole. */
    { "abcd\xc3\xa9", "abcd", 6 },
    { "abc\xc3\xa9z", "abc\xc3\xa9", 6 },
    /* "✓" is three bytes: its first two are dropped. */
    { "abc\xe2\x9c\x93", "abc", 6 },
    /* Bytes that were not UTF-8 to begin with are not the cut's to mend. */
    { "abcd\xff\xfe", "abcd\xff", 6 },
    { "x", "", 1 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char buf[6];

      fs_copy_utf8 (buf, cases[i].src, cases[i].size);
      g_assert_cmpstr (buf, ==, cases[i].copied);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/text/printable", test_printable_text);
  g_test_add_func ("/text/copy-utf8", test_copy_utf8);
  return g_test_run ();
}
