/* test-protocol.c: request-line tokenizer, command table, the client's
 * quoting of names, the head of a one-line UPLOAD. Response frames are in
 * test-protocol-frames.c. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "errors.h"
#include "protocol.h"
#include "protocol-strings.h"

/* ----------------------------------------------------------- tokenizer */

/* Tokenizes line (len bytes, or strlen) and compares with the expected
 * NULL-terminated vector. */
static void
check_tokens_len (const char *line, gsize len, const char *const *expected)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = g_strescape (line, NULL);

  g_test_message ("tokenizing \"%s\"", shown);
  g_assert_true (fs_protocol_tokenize (line, len, &argv, &error));
  g_assert_no_error (error);
  g_assert_nonnull (argv);
  g_assert_cmpstrv (argv, expected);
}

static void
check_tokens (const char *line, const char *const *expected)
{
  check_tokens_len (line, strlen (line), expected);
}

static void
check_tokenize_fails (const char *line)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = g_strescape (line, NULL);

  g_test_message ("tokenizing \"%s\" must fail", shown);
  g_assert_false (fs_protocol_tokenize (line, strlen (line), &argv, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_PROTOCOL);
  g_assert_null (argv);
}

#define V(...) ((const char *const[]) { __VA_ARGS__, NULL })
#define EMPTY ((const char *const[]) { NULL })

static void
test_tokenize_plain (void)
{
  check_tokens ("LIST", V ("LIST"));
  check_tokens ("GET a.bin", V ("GET", "a.bin"));
  check_tokens ("UPLOAD name QUJD", V ("UPLOAD", "name", "QUJD"));
  check_tokens ("a b c d e f", V ("a", "b", "c", "d", "e", "f"));
  check_tokens ("x", V ("x"));
  /* UTF-8 and other bytes pass through. */
  check_tokens ("GET h\xc3\xa9llo", V ("GET", "h\xc3\xa9llo"));
}

static void
test_tokenize_spaces (void)
{
  check_tokens ("GET   a.bin", V ("GET", "a.bin"));
  check_tokens ("GET\ta.bin", V ("GET", "a.bin"));
  check_tokens ("GET \t \t a \t\t b", V ("GET", "a", "b"));
  check_tokens ("   GET a", V ("GET", "a"));
  check_tokens ("GET a   ", V ("GET", "a"));
  check_tokens ("\t GET a \t", V ("GET", "a"));
}

static void
test_tokenize_empty (void)
{
  check_tokens ("", EMPTY);
  check_tokens (" ", EMPTY);
  check_tokens ("   \t  ", EMPTY);
  check_tokens ("\t", EMPTY);
}

static void
test_tokenize_double_quotes (void)
{
  check_tokens ("GET \"a b.txt\"", V ("GET", "a b.txt"));
  check_tokens ("GET \"  lead and trail  \"", V ("GET", "  lead and trail  "));
  check_tokens ("GET \"tab\there\"", V ("GET", "tab\there"));
  check_tokens ("GET \"a\\\"b\"", V ("GET", "a\"b"));
  check_tokens ("GET \"a\\\\b\"", V ("GET", "a\\b"));
  check_tokens ("GET \"\\\\\"", V ("GET", "\\"));
  check_tokens ("GET \"\\\"\"", V ("GET", "\""));
  check_tokens ("GET \"it's\"", V ("GET", "it's"));
  check_tokens ("\"a\" \"b\"", V ("a", "b"));
  /* Other backslashes inside double quotes are held literally. */
  check_tokens ("GET \"a\\nb\"", V ("GET", "a\\nb"));
}

static void
test_tokenize_single_quotes (void)
{
  check_tokens ("GET 'a b.txt'", V ("GET", "a b.txt"));
  check_tokens ("GET 'a\\b'", V ("GET", "a\\b"));
  check_tokens ("GET 'a\\\\b'", V ("GET", "a\\\\b"));
  check_tokens ("GET 'trailing\\'", V ("GET", "trailing\\"));
  check_tokens ("GET 'say \"hi\"'", V ("GET", "say \"hi\""));
  check_tokens ("GET '  x  '", V ("GET", "  x  "));
}

static void
test_tokenize_backslash (void)
{
  check_tokens ("GET a\\ b", V ("GET", "a b"));
  check_tokens ("GET \\\"x", V ("GET", "\"x"));
  check_tokens ("GET \\'x", V ("GET", "'x"));
  check_tokens ("GET a\\\\b", V ("GET", "a\\b"));
  check_tokens ("GET \\a", V ("GET", "a"));
  check_tokens ("GET a\\\tb", V ("GET", "a\tb"));
  check_tokens ("\\ ", V (" "));
}

static void
test_tokenize_join (void)
{
  check_tokens ("a\"b c\"d", V ("ab cd"));
  check_tokens ("GET a\"b c\"d", V ("GET", "ab cd"));
  check_tokens ("a'b c'd", V ("ab cd"));
  check_tokens ("a'b c'\"d e\"f", V ("ab cd ef"));
  check_tokens ("\"a\"'b'c", V ("abc"));
  check_tokens ("x\\ y\"z w\"", V ("x yz w"));
  check_tokens ("pre\"\"post", V ("prepost"));
}

static void
test_tokenize_empty_argument (void)
{
  check_tokens ("\"\"", V (""));
  check_tokens ("''", V (""));
  check_tokens ("GET \"\"", V ("GET", ""));
  check_tokens ("a '' b", V ("a", "", "b"));
  check_tokens ("a \"\" \"\" b", V ("a", "", "", "b"));
  check_tokens ("\"\"''", V (""));
}

static void
test_tokenize_errors (void)
{
  check_tokenize_fails ("\"abc");
  check_tokenize_fails ("GET \"abc");
  check_tokenize_fails ("GET 'abc");
  check_tokenize_fails ("'");
  check_tokenize_fails ("\"");
  check_tokenize_fails ("GET abc\\");
  check_tokenize_fails ("\\");
  check_tokenize_fails ("GET \"abc\\\"");
  check_tokenize_fails ("GET \"abc\\");
  check_tokenize_fails ("GET 'a' \"b");
  check_tokenize_fails ("GET a\"b c");
}

static void
test_tokenize_errors_no_gerror (void)
{
  /* GLib convention: error may be NULL, and the call still fails. */
  static const char *const bad[] = { "\"abc", "GET 'abc", "GET abc\\", "a b \"c" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(GStrv) argv = NULL;
      gsize pos = 0;
      char *token = (char *) "sentinel";
      g_autofree char *shown = g_strescape (bad[i], NULL);

      g_test_message ("tokenizing \"%s\" with error == NULL must fail", shown);
      g_assert_false (fs_protocol_tokenize (bad[i], strlen (bad[i]), &argv, NULL));
      g_assert_null (argv);

      /* next_token, on its own, on a line whose first argument is bad. */
      if (bad[i][0] == '"')
        {
          g_assert_false (fs_protocol_next_token (bad[i], strlen (bad[i]), &pos,
                                                  &token, NULL));
          g_assert_null (token);
        }
    }
}

static void
test_tokenize_length (void)
{
  /* Only len bytes are looked at: the buffer may go on. */
  static const char buf[] = "GET a.bin\nLIST more";

  check_tokens_len (buf, 9, V ("GET", "a.bin"));
  check_tokens_len (buf, 5, V ("GET", "a"));
  check_tokens_len (buf, 3, V ("GET"));
  check_tokens_len (buf, 0, EMPTY);
  /* A quote cut by len is unterminated, even if the buffer closes it. */
  {
    static const char quoted[] = "GET \"a b\"";
    g_auto(GStrv) argv = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_false (fs_protocol_tokenize (quoted, 7, &argv, &error));
    g_assert_error (error, FS_ERROR, FS_ERROR_PROTOCOL);
  }
}

static void
test_next_token (void)
{
  const char *line = "GET  foo\t\"b a r\" rest of line  ";
  gsize len = strlen (line);
  gsize pos = 0;
  g_autoptr(GError) error = NULL;
  char *token = NULL;

  g_assert_true (fs_protocol_next_token (line, len, &pos, &token, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "GET");
  g_clear_pointer (&token, g_free);
  /* *pos is past the token; the separator may or may not be eaten. */
  g_assert_cmpuint (pos, >=, 3);
  g_assert_cmpuint (pos, <=, 5);
  g_assert_cmpuint (fs_protocol_skip_space (line, len, pos), ==, 5);

  g_assert_true (fs_protocol_next_token (line, len, &pos, &token, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "foo");
  g_clear_pointer (&token, g_free);
  g_assert_cmpuint (pos, >=, 8);
  g_assert_cmpuint (pos, <=, 9);
  g_assert_cmpuint (fs_protocol_skip_space (line, len, pos), ==, 9);

  g_assert_true (fs_protocol_next_token (line, len, &pos, &token, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "b a r");
  g_clear_pointer (&token, g_free);
  g_assert_cmpuint (pos, >=, 16);
  g_assert_cmpuint (pos, <=, 17);
  /* The rest of the line, as the one-line UPLOAD takes it. */
  pos = fs_protocol_skip_space (line, len, pos);
  g_assert_cmpuint (pos, ==, 17);
  g_assert_cmpstr (line + pos, ==, "rest of line  ");

  g_assert_true (fs_protocol_next_token (line, len, &pos, &token, &error));
  g_assert_cmpstr (token, ==, "rest");
  g_clear_pointer (&token, g_free);
  g_assert_true (fs_protocol_next_token (line, len, &pos, &token, &error));
  g_assert_cmpstr (token, ==, "of");
  g_clear_pointer (&token, g_free);
  g_assert_true (fs_protocol_next_token (line, len, &pos, &token, &error));
  g_assert_cmpstr (token, ==, "line");
  g_clear_pointer (&token, g_free);
  g_assert_no_error (error);

  /* End of line: FALSE, no token, no error; and again. */
  token = (char *) "sentinel";
  g_assert_false (fs_protocol_next_token (line, len, &pos, &token, &error));
  g_assert_no_error (error);
  g_assert_null (token);
  g_assert_cmpuint (pos, <=, len);
  token = (char *) "sentinel";
  g_assert_false (fs_protocol_next_token (line, len, &pos, &token, &error));
  g_assert_no_error (error);
  g_assert_null (token);
}

static void
test_next_token_upload_line (void)
{
  /* UPLOAD name <base64...>: after the name, the rest is the content. */
  const char *line = "UPLOAD 'my file.bin'   QUJD RA==";
  gsize len = strlen (line);
  gsize pos = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *cmd = NULL;
  g_autofree char *name = NULL;

  g_assert_true (fs_protocol_next_token (line, len, &pos, &cmd, &error));
  g_assert_cmpstr (cmd, ==, "UPLOAD");
  g_assert_true (fs_protocol_next_token (line, len, &pos, &name, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "my file.bin");
  g_assert_cmpuint (pos, >=, 20);
  g_assert_cmpuint (pos, <=, 23);
  g_assert_cmpstr (line + fs_protocol_skip_space (line, len, pos), ==, "QUJD RA==");
}

static void
test_next_token_errors (void)
{
  static const char *const bad[] = { "\"open", "'open", "end\\", "x\"y" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gsize pos = 0;
      char *token = (char *) "sentinel";
      g_autoptr(GError) error = NULL;

      g_assert_false (fs_protocol_next_token (bad[i], strlen (bad[i]), &pos,
                                              &token, &error));
      g_assert_error (error, FS_ERROR, FS_ERROR_PROTOCOL);
      g_assert_null (token);
    }

  /* The error comes when the bad argument is reached, not before. */
  {
    const char *line = "GET \"open";
    gsize pos = 0;
    g_autofree char *first = NULL;
    char *token = (char *) "sentinel";
    g_autoptr(GError) error = NULL;

    g_assert_true (fs_protocol_next_token (line, strlen (line), &pos, &first, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (first, ==, "GET");
    g_assert_false (fs_protocol_next_token (line, strlen (line), &pos, &token, &error));
    g_assert_error (error, FS_ERROR, FS_ERROR_PROTOCOL);
    g_assert_null (token);
  }
}

static void
test_next_token_empty_line (void)
{
  static const char *const lines[] = { "", "   ", "\t \t" };

  for (gsize i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      gsize pos = 0;
      char *token = (char *) "sentinel";
      g_autoptr(GError) error = NULL;

      g_assert_false (fs_protocol_next_token (lines[i], strlen (lines[i]), &pos,
                                              &token, &error));
      g_assert_no_error (error);
      g_assert_null (token);
    }
}

static void
test_skip_space (void)
{
  g_assert_cmpuint (fs_protocol_skip_space ("  \t x", 5, 0), ==, 4);
  g_assert_cmpuint (fs_protocol_skip_space ("  \t x", 5, 1), ==, 4);
  g_assert_cmpuint (fs_protocol_skip_space ("  \t x", 5, 4), ==, 4);
  g_assert_cmpuint (fs_protocol_skip_space ("  \t x", 5, 5), ==, 5);
  g_assert_cmpuint (fs_protocol_skip_space ("abc", 3, 0), ==, 0);
  g_assert_cmpuint (fs_protocol_skip_space ("a   ", 4, 1), ==, 4);
  g_assert_cmpuint (fs_protocol_skip_space ("", 0, 0), ==, 0);
  /* Stops at len, even if the buffer has more spaces. */
  g_assert_cmpuint (fs_protocol_skip_space ("      ", 3, 0), ==, 3);
  /* Only spaces and tabs: CR and LF are not argument separators. */
  g_assert_cmpuint (fs_protocol_skip_space (" \rx", 3, 0), ==, 1);
}

/* ------------------------------------------------------------ commands */

static void
test_command_lookup (void)
{
  static const struct { const char *word; FsCommand cmd; } cases[] = {
    { "LIST", FS_CMD_LIST }, { "list", FS_CMD_LIST }, { "LiSt", FS_CMD_LIST },
    { "GET", FS_CMD_GET }, { "get", FS_CMD_GET }, { "gEt", FS_CMD_GET },
    { "UPLOAD", FS_CMD_UPLOAD }, { "upload", FS_CMD_UPLOAD },
    { "DELETE", FS_CMD_DELETE }, { "Delete", FS_CMD_DELETE },
    { "STATS", FS_CMD_STATS }, { "stats", FS_CMD_STATS },
    { "GETRAW", FS_CMD_GETRAW }, { "getraw", FS_CMD_GETRAW },
    { "UPLOADRAW", FS_CMD_UPLOADRAW }, { "UploadRaw", FS_CMD_UPLOADRAW },
    { "", FS_CMD_UNKNOWN },
    { "LISTX", FS_CMD_UNKNOWN }, { "LIS", FS_CMD_UNKNOWN },
    { "L", FS_CMD_UNKNOWN }, { "GETR", FS_CMD_UNKNOWN },
    { "UPLOADRAWX", FS_CMD_UNKNOWN }, { "UPLOADR", FS_CMD_UNKNOWN },
    { "XLIST", FS_CMD_UNKNOWN }, { "LIST ", FS_CMD_UNKNOWN },
    { " LIST", FS_CMD_UNKNOWN }, { "foo", FS_CMD_UNKNOWN },
    { "ENDUPLOAD", FS_CMD_UNKNOWN }, { "HELP", FS_CMD_UNKNOWN },
    { "l\xc4\xb1st", FS_CMD_UNKNOWN }, /* dotless i: no Unicode folding */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("command \"%s\"", cases[i].word);
      g_assert_cmpint (fs_protocol_command (cases[i].word), ==, cases[i].cmd);
    }
}

/* ----------------------------------------------------------- quoting */

/* What the client quotes, the server's tokenizer reads back as it was. */
static void
test_quote_round_trip (void)
{
  for (gsize i = 0; i < ps_n_awkward; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *quoted = NULL;
      g_autofree char *line = NULL;
      const char *expected[] = { "GET", ps_awkward[i], NULL };

      if (ps_has_control (ps_awkward[i]))
        continue;
      quoted = fs_protocol_quote (ps_awkward[i], &error);
      g_assert_no_error (error);
      line = g_strconcat ("GET ", quoted, NULL);
      check_tokens_len (line, strlen (line), expected);
    }
}

/* No name makes a second request line: one with a line end, or any other
 * control character (C1 as UTF-8 too: NEL, U+0085, ends a line for some
 * servers), is refused before it is sent, with one line that shows it
 * escaped. */
static void
test_quote_control (void)
{
  for (guint b = 1; b < 0xa0; b++)
    {
      g_autofree char *bad = NULL;
      g_autofree char *code = NULL;
      char *names[3];

      if (b >= 0x20 && b < 0x7f)
        continue;
      bad = g_ucs4_to_utf8 (&b, 1, NULL, NULL, NULL);
      code = g_strdup_printf ("(U+%04X)", b);
      names[0] = g_strdup (bad);
      names[1] = g_strconcat ("a", bad, "b.bin", NULL);
      names[2] = g_strconcat ("a.bin", bad, NULL);
      for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *quoted = fs_protocol_quote (names[i], &error);

          g_assert_null (quoted);
          g_assert_error (error, FS_ERROR, FS_ERROR_BAD_NAME);
          g_assert_false (ps_has_control (error->message));
          g_assert_nonnull (strstr (error->message, code));
          g_assert_false (fs_protocol_check_arg (names[i], NULL));
          g_free (names[i]);
        }
    }
  for (gsize i = 0; i < ps_n_awkward; i++)
    g_assert_true (fs_protocol_check_arg (ps_awkward[i], NULL) != ps_has_control (ps_awkward[i]));
}

/* The head of a one-line UPLOAD, before its '\n' has arrived: the name
 * is whole only once a space follows it, and content has begun. */
static void
test_upload_head (void)
{
  static const struct { const char *line; gboolean head; } cases[] = {
    { "UPLOAD a.bin QUJD", TRUE },
    { "upload a.bin Q", TRUE },
    { "  UPLOAD\ta.bin \tQ", TRUE },
    { "UPLOAD 'a b.bin' QUJD", TRUE },
    { "UPLOAD a\\ b.bin QUJD", TRUE },
    { "UPLOAD a.bin", FALSE },       /* the name may go on */
    { "UPLOAD a.bin ", FALSE },      /* no content yet */
    { "UPLOAD a.bin \t ", FALSE },
    { "UPLOAD 'a b.bin", FALSE },    /* the quote is still open */
    { "UPLOAD 'a b.bin' ", FALSE },
    { "UPLOAD a\\", FALSE },        /* an escape with nothing after it */
    { "UPLOAD", FALSE },
    { "UPLOAD ", FALSE },
    { "UPLOADX a b", FALSE },
    { "UPLOA", FALSE },
    { "LIST a b", FALSE },
    { "", FALSE },
  };

  /* Only the first FS_PROTOCOL_HEAD_MAX bytes count. */
  {
    g_autoptr(GString) near = g_string_new ("UPLOAD ");
    g_autoptr(GString) far = NULL;

    while (near->len < FS_PROTOCOL_HEAD_MAX - 3)
      g_string_append_c (near, 'n');
    g_string_append (near, " Q");
    g_assert_true (fs_protocol_upload_head (near->str, near->len));
    far = g_string_new (near->str);
    g_string_insert (far, 7, "nn");
    g_assert_false (fs_protocol_upload_head (far->str, far->len));
  }
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean got = fs_protocol_upload_head (cases[i].line, strlen (cases[i].line));
      if (got != cases[i].head)
        g_error ("fs_protocol_upload_head (\"%s\") = %d, want %d", cases[i].line, got,
                 cases[i].head);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/protocol/upload-head", test_upload_head);
  g_test_add_func ("/protocol/tokenize/plain", test_tokenize_plain);
  g_test_add_func ("/protocol/tokenize/spaces", test_tokenize_spaces);
  g_test_add_func ("/protocol/tokenize/empty", test_tokenize_empty);
  g_test_add_func ("/protocol/tokenize/double-quotes", test_tokenize_double_quotes);
  g_test_add_func ("/protocol/tokenize/single-quotes", test_tokenize_single_quotes);
  g_test_add_func ("/protocol/tokenize/backslash", test_tokenize_backslash);
  g_test_add_func ("/protocol/tokenize/join", test_tokenize_join);
  g_test_add_func ("/protocol/tokenize/empty-argument", test_tokenize_empty_argument);
  g_test_add_func ("/protocol/tokenize/errors", test_tokenize_errors);
  g_test_add_func ("/protocol/tokenize/errors-no-gerror", test_tokenize_errors_no_gerror);
  g_test_add_func ("/protocol/tokenize/length", test_tokenize_length);
  g_test_add_func ("/protocol/next-token/walk", test_next_token);
  g_test_add_func ("/protocol/next-token/upload-line", test_next_token_upload_line);
  g_test_add_func ("/protocol/next-token/errors", test_next_token_errors);
  g_test_add_func ("/protocol/next-token/empty-line", test_next_token_empty_line);
  g_test_add_func ("/protocol/skip-space", test_skip_space);
  g_test_add_func ("/protocol/command/lookup", test_command_lookup);
  g_test_add_func ("/protocol/quote/round-trip", test_quote_round_trip);
  g_test_add_func ("/protocol/quote/control", test_quote_control);

  return g_test_run ();
}
