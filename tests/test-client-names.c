/* test-client-names.c: names that a server chooses reach the terminal
 * escaped. filestorm-client's list and upload printed them raw: a server
 * could clear the screen, set the terminal's title, or make two lines of
 * one name. They now go through the escaping of the server's error text
 * (fs_protocol_printable_text), one line per name; valid names come out
 * as they are. (ASCII only: how other characters are shown depends on
 * the locale.) */
#include "config.h"

#include <string.h>

#include "hostile-server.h"
#include "testutil.h"

#define RUN_TIMEOUT 30

/* What the hostile server answers LIST with, and what the client must
 * print for it. */
#define LIST_ANSWER \
  "{\"status\":\"OK\",\"data\":[\"ok.txt\",\"evil\\u001b]0;pwned\\u0007\\u001b[2Jname\"," \
  "\"two\\nlines\",\"c1\\u0085x\",\"quote\\\" back\\\\slash\"]}\r\n\r\n"
#define LIST_SHOWN \
  "ok.txt\n" \
  "evil\\x1b]0;pwned\\x07\\x1b[2Jname\n" \
  "two\\nlines\n" \
  "c1\\xc2\\x85x\n" \
  "quote\" back\\slash\n"

/* The name an upload is stored under, as JSON, and as printed. */
#define STORED_JSON "\"x\\u001b[2J\\nfake line\""
#define STORED_SHOWN "x\\x1b[2J\\nfake line\n"

/* The server's choices: the stored name (a JSON string literal), and
 * the request lines it read. */
typedef struct {
  const char *stored;
  GPtrArray  *requests;  /* (owned) */
} Names;

static void
answer (GSocket *conn, const char *request, gpointer data)
{
  Names *names = data;
  static const char ready[] = "READY TO RECEIVE FILE\r\n\r\n";
  static const char refused[] = "{\"status\":\"ERROR\",\"data\":\"no\"}\r\n\r\n";
  g_autofree char *stored = g_strdup_printf (
    "{\"status\":\"OK\",\"message\":\"File uploaded successfully\","
    "\"data\":{\"file_path\":%s}}\r\n\r\n", names->stored);

  g_ptr_array_add (names->requests, g_strdup (request));
  if (strcmp (request, "LIST") == 0)
    ft_hostile_send (conn, LIST_ANSWER, strlen (LIST_ANSWER));
  else if (g_str_has_prefix (request, "UPLOAD "))
    {
      if (ft_hostile_send (conn, ready, strlen (ready)) && ft_hostile_skip_upload (conn))
        ft_hostile_send (conn, stored, strlen (stored));
    }
  else
    ft_hostile_send (conn, refused, strlen (refused));
}

/* Runs filestorm-client with the NULL-terminated args against the
 * hostile server; asserts exit status 0, nothing on stderr, and stdout
 * exactly want. */
static void
check_output (const char * const *args, const char *want)
{
  Names names = { STORED_JSON, g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(GPtrArray) requests = names.requests;
  g_autoptr(FtHostile) h = ft_hostile_start (1, answer, &names);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(FtRun) run = NULL;
  g_autofree char *out = NULL, *err = NULL, *shown = NULL;

  g_ptr_array_add (argv, ft_program_path ("FILESTORM_CLIENT", "filestorm-client"));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", ft_hostile_port (h)));
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  run = ft_run_start (g_getenv ("FT_SCRATCH"), NULL, NULL, (const char * const *) argv->pdata);
  ft_run_wait (run, RUN_TIMEOUT);
  ft_hostile_stop (h);
  out = ft_run_stdout_text (run);
  err = ft_run_stderr_text (run);
  shown = ft_preview (out, strlen (out));
  ft_note ("%s: %s", run->cmd, shown);
  ft_run_assert_exit (run, 0);
  ft_check (err[0] == '\0', "%s: stderr \"%s\"", run->cmd, err);
  ft_check (strcmp (out, want) == 0, "%s printed \"%s\"", run->cmd, shown);
}

static void
test_list (gconstpointer data)
{
  const char * const args[] = { "list", NULL };

  check_output (args, LIST_SHOWN);
}

static void
test_upload (gconstpointer data)
{
  g_autofree char *path = g_build_filename (g_getenv ("FT_SCRATCH"), "up.bin", NULL);
  const char * const args[] = { "upload", path, NULL };

  g_assert_true (g_file_set_contents (path, "hello\n", -1, NULL));
  check_output (args, STORED_SHOWN);
}

/* A stored name with a carriage return in it, which a server may take
 * for a line's end, is never sent back: filestorm-pool refuses it before
 * the timed run (exit 3, one line naming U+000D), and the upload is the
 * last request it sent. */
static void
test_pool_stored_cr (gconstpointer data)
{
  Names names = { "\"x.bin\\rDELETE victim.bin\"", g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(GPtrArray) requests = names.requests;
  g_autoptr(FtHostile) h = ft_hostile_start (6, answer, &names);
  g_autofree char *pool = ft_program_path ("FILESTORM_POOL", "filestorm-pool");
  g_autofree char *port = g_strdup_printf ("%u", ft_hostile_port (h));
  const char * const argv[] = {
    pool, "--port", port, "--timeout", "5", "--operation", "download", "--volume", "0.01",
    "--client-pool", "2", NULL
  };
  g_autoptr(FtRun) run = ft_run_start (NULL, NULL, NULL, argv);
  g_autofree char *err = NULL;
  const char *last;

  ft_run_wait (run, RUN_TIMEOUT);
  ft_hostile_stop (h);
  err = ft_run_stderr_text (run);
  ft_note ("%s", err);
  ft_run_assert_exit (run, 3);
  ft_check (g_str_has_prefix (err, "filestorm-pool: ") && strstr (err, "U+000D") != NULL
            && strchr (err, '\n') == err + strlen (err) - 1 && strchr (err, '\r') == NULL,
            "stderr \"%s\" is not one line refusing U+000D", err);
  last = requests->len > 0 ? g_ptr_array_index (requests, requests->len - 1) : "";
  ft_check (g_str_has_prefix (last, "UPLOAD "), "the pool sent %u requests, the last \"%s\"",
            requests->len, last);
}

int
main (int argc, char **argv)
{
  ft_init ();
  g_test_init (&argc, &argv, NULL);
  ft_test_add ("/client-names/list", test_list, NULL);
  ft_test_add ("/client-names/upload", test_upload, NULL);
  ft_test_add ("/client-names/pool-stored-cr", test_pool_stored_cr, NULL);
  return g_test_run ();
}
