/* test-first-error.c: filestorm-pool keeps one failure's message, its
 * first 255 bytes cut between characters (filestorm-pool(1)), and shows
 * it escaped in the summary's "First error:" line and as it was in
 * --json's first_error. A hostile server answers every GET with an
 * ERROR longer than the cut: an escape character, ASCII padding, then
 * four-byte characters (U+1F600) placed so that one ends exactly at the
 * cut, or straddles it with one, two or three of its bytes before it.
 * Both outputs stay valid UTF-8 and hold exactly the characters that fit. */
#include "config.h"

#include <string.h>

#include "content.h"
#include "hostile-server.h"
#include "protocol.h"
#include "testutil.h"

#define RUN_TIMEOUT 30
#define VOLUME "0.01"
/* The bytes kept of a message (filestorm-pool(1)). */
#define CUT 255
#define WIDE "\xf0\x9f\x98\x80"  /* U+1F600, four bytes */

/* Where the first U+1F600 starts, so that the cut falls after it, or
 * inside it after 3, 2 or 1 of its bytes, or before it. */
static const gsize starts[] = { CUT - 4, CUT - 3, CUT - 2, CUT - 1, CUT };

/* The message: an escape character (shown as \x1b), 'E' up to start,
 * then U+1F600 well past the cut. */
static char *
message_text (gsize start)
{
  GString *text = g_string_new ("\x1b");

  while (text->len < start)
    g_string_append_c (text, 'E');
  for (int i = 0; i < 40; i++)
    g_string_append (text, WIDE);
  return g_string_free (text, FALSE);
}

static void
answer (GSocket *conn, const char *request, gpointer data)
{
  const char *text = data;
  g_autofree char *name = fs_content_name (g_ascii_strtod (VOLUME, NULL));
  g_autofree char *list = g_strdup_printf ("{\"status\":\"OK\",\"data\":[\"%s\"]}\r\n\r\n",
                                           name);
  g_autofree char *quoted = fs_protocol_json_string (text);
  g_autofree char *error = g_strdup_printf ("{\"status\":\"ERROR\",\"data\":%s}\r\n\r\n",
                                            g_str_has_prefix (request, "GET ") ? quoted
                                            : "\"no\"");

  if (strcmp (request, "LIST") == 0)
    ft_hostile_send (conn, list, strlen (list));
  else
    ft_hostile_send (conn, error, strlen (error));
}

/* Runs the pool, one client downloading, against answer with text;
 * asserts exit status 1 and returns its standard output. */
static char *
run_pool (const char *text, gboolean json)
{
  g_autoptr(FtHostile) h = ft_hostile_start (3, answer, (gpointer) text);
  g_autofree char *pool = ft_program_path ("FILESTORM_POOL", "filestorm-pool");
  g_autofree char *port = g_strdup_printf ("%u", ft_hostile_port (h));
  const char * const argv[] = {
    pool, "--port", port, "--timeout", "5", "--operation", "download", "--volume", VOLUME,
    "--client-pool", "1", json ? "--json" : NULL, NULL
  };
  g_autoptr(FtRun) run = ft_run_start (NULL, NULL, NULL, argv);

  ft_run_wait (run, RUN_TIMEOUT);
  ft_hostile_stop (h);
  ft_run_assert_exit (run, 1);
  return ft_run_stdout_text (run);
}

static void
test_cut (gconstpointer data)
{
  /* The summary shows the characters kept: a UTF-8 locale for the
   * pool, whatever the test's own. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (starts); i++)
    {
      g_autofree char *text = message_text (starts[i]);
      g_autofree char *out = run_pool (text, FALSE);
      g_autofree char *json_out = run_pool (text, TRUE);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *want_line = NULL;
      gsize keep = CUT;
      const char *first;

      /* Back to the start of the character the cut falls in. */
      while ((text[keep] & 0xc0) == 0x80)
        keep--;
      ft_note ("U+1F600 from byte %zu: %zu bytes kept", starts[i], keep);

      json_parser_load_from_data (parser, json_out, -1, &error);
      g_assert_no_error (error);
      first = json_object_get_string_member (json_node_get_object (
                json_parser_get_root (parser)), "first_error");
      ft_check (strlen (first) == keep && strncmp (first, text, keep) == 0
                && g_utf8_validate (first, -1, NULL),
                "U+1F600 from byte %zu: first_error has %zu bytes, not the text's first %zu",
                starts[i], strlen (first), keep);

      want_line = g_strdup_printf ("\nFirst error:             \\x1b%.*s\n", (int) keep - 1,
                                   text + 1);
      ft_check (g_utf8_validate (out, -1, NULL) && strstr (out, want_line) != NULL
                && strchr (out, '\x1b') == NULL,
                "U+1F600 from byte %zu: the summary does not end its first error after %zu "
                "bytes, escaped:\n%s", starts[i], keep, out);
    }
}

int
main (int argc, char **argv)
{
  ft_init ();
  g_test_init (&argc, &argv, NULL);
  ft_test_add ("/first-error/cut", test_cut, NULL);
  return g_test_run ();
}
