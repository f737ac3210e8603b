/* test-text.c: the text that programs print and keep from what a server
 * sent: fs_protocol_printable_text() (a message made printable, quotes
 * left alone, under a UTF-8 locale and under one that is not) and
 * fs_copy_utf8() (a fixed buffer that stays UTF-8). */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "protocol.h"
#include "util.h"

/* shown: under a UTF-8 locale; ascii: under one that is not (LANG
 * unset), where g_printerr() would print "?" for anything beyond ASCII. */
static const struct { const char *text, *shown, *ascii; } printable_cases[] = {
  { "no such file", "no such file", "no such file" },
  { "", "", "" },
  { "the name \"a b\" is bad", "the name \"a b\" is bad", "the name \"a b\" is bad" },
  { "C:\\dir", "C:\\dir", "C:\\dir" },
  { "two\nlines\r", "two\\nlines\\r", "two\\nlines\\r" },
  { "\x1b[2J cleared", "\\x1b[2J cleared", "\\x1b[2J cleared" },
  { "h\xc3\xa9llo", "h\xc3\xa9llo", "h\\u00e9llo" },
  { "\xe2\x9c\x93 \xf0\x9f\x98\x80", "\xe2\x9c\x93 \xf0\x9f\x98\x80", "\\u2713 \\U0001f600" },
  { "c1 \xc2\x9b", "c1 \\xc2\\x9b", "c1 \\xc2\\x9b" },
  { "rlo \xe2\x80\xae", "rlo \\xe2\\x80\\xae", "rlo \\xe2\\x80\\xae" },
  { "bad \xff", "bad \\xff", "bad \\xff" },
};

static void
check_printable (gboolean utf8)
{
  for (gsize i = 0; i < G_N_ELEMENTS (printable_cases); i++)
    {
      const char *want = utf8 ? printable_cases[i].shown : printable_cases[i].ascii;
      g_autofree char *shown = fs_protocol_printable_text (printable_cases[i].text);
      g_autofree char *again = fs_protocol_printable_text (shown);

      g_assert_cmpstr (shown, ==, want);
      /* What is printable already comes out unchanged: a message passed
       * from one program to another is not escaped twice. */
      g_assert_cmpstr (again, ==, shown);
    }
}

static void
test_printable_text_utf8 (void)
{
  /* C.UTF-8 is built into glibc since 2.35 (Debian 12). */
  if (setlocale (LC_ALL, "C.UTF-8") == NULL)
    {
      g_test_skip ("no C.UTF-8 locale");
      return;
    }
  check_printable (TRUE);
  setlocale (LC_ALL, "C");
}

static void
test_printable_text_ascii (void)
{
  setlocale (LC_ALL, "C");
  check_printable (FALSE);
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
  g_test_add_func ("/text/printable/utf8", test_printable_text_utf8);
  g_test_add_func ("/text/printable/ascii", test_printable_text_ascii);
  g_test_add_func ("/text/copy-utf8", test_copy_utf8);
  return g_test_run ();
}
