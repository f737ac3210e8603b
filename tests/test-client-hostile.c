/* test-client-hostile.c: filestorm-client and filestorm-pool against a
 * hostile server (tests/hostile-server.c). Whatever bytes a server sends,
 * a client ends with its documented exit status and one line on stderr,
 * never with a signal: an answer nested 100,000 deep used to overflow
 * json-glib's stack (SIGSEGV). Each case runs every command that reads an
 * answer (list, stats, get, delete, upload) against one kind of answer.
 * The last case holds the client against a file size limit instead. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "hostile-server.h"
#include "testutil.h"

#define PREFIX "filestorm-client: "
#define DEEP 100000
/* Past the client's bound on an answer (64 MiB). */
#define HUGE (65u * 1024 * 1024)
#define RUN_TIMEOUT 30

typedef enum {
  DEEP_NESTING,  /* {"status":"OK","data":[[[[...]]]]}, 100,000 deep */
  NEVER_ENDS,    /* the start of a frame, then silence */
  TOO_LARGE,     /* a string that grows past the bound */
  WHITE_SPACE,   /* a complete object, then white space past the bound */
  BAD_UTF8,      /* bytes that are not UTF-8 in the kept members */
  READY_LINE,    /* READY TO RECEIVE FILE where JSON is expected */
} Kind;

typedef struct {
  const char *path;
  Kind        kind;
  const char *expect;  /* in the one line on stderr */
} Case;

static const Case cases[] = {
  { "/client-hostile/deep-nesting", DEEP_NESTING, "nested deeper than 64 levels" },
  { "/client-hostile/never-ends", NEVER_ENDS, "timed out" },
  { "/client-hostile/too-large", TOO_LARGE, "larger than" },
  { "/client-hostile/white-space", WHITE_SPACE, "larger than" },
  { "/client-hostile/bad-utf8", BAD_UTF8, "not valid UTF-8" },
  { "/client-hostile/ready-line", READY_LINE, "expected a JSON object" },
};

static void
send_nested (GSocket *conn, const char *head, const char *tail)
{
  g_autoptr(GString) frame = g_string_new (head);

  for (int i = 0; i < DEEP; i++)
    g_string_append_c (frame, '[');
  for (int i = 0; i < DEEP; i++)
    g_string_append_c (frame, ']');
  g_string_append (frame, tail);
  ft_hostile_send (conn, frame->str, frame->len);
}

/* The hostile answer of kind *data to one request. For GET the nesting
 * sits beside data_file; for UPLOAD the server first says READY, takes
 * the content, and then answers badly. */
static void
answer (GSocket *conn, const char *request, gpointer data)
{
  const Case *c = data;
  gboolean get = g_str_has_prefix (request, "GET ");
  const char *head = get ? "{\"status\":\"OK\",\"data_namafile\":\"x.bin\",\"extra\":"
                         : "{\"status\":\"OK\",\"data\":";
  const char *tail = get ? ",\"data_file\":\"QUJD\"}\r\n\r\n" : "}\r\n\r\n";
  static const char ready[] = "READY TO RECEIVE FILE\r\n\r\n";

  if (g_str_has_prefix (request, "UPLOAD ") && c->kind != READY_LINE)
    {
      if (!ft_hostile_send (conn, ready, strlen (ready)) || !ft_hostile_skip_upload (conn))
        return;
    }

  switch (c->kind)
    {
    case DEEP_NESTING:
      send_nested (conn, head, tail);
      break;
    case NEVER_ENDS:
      ft_hostile_send (conn, head, strlen (head));
      ft_hostile_send (conn, "[\"a\",", 5);
      ft_hostile_hold (conn, 15);
      break;
    case TOO_LARGE:
      ft_hostile_send (conn, head, strlen (head));
      ft_hostile_send (conn, "[\"", 2);
      ft_hostile_send_repeated (conn, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                                HUGE);
      ft_hostile_send (conn, "\"]}\r\n\r\n", 7);
      break;
    case WHITE_SPACE:
      ft_hostile_send (conn, "{\"status\":\"OK\",\"data\":[]}", 25);
      ft_hostile_send_repeated (conn, "                                \n", HUGE);
      ft_hostile_send (conn, "\r\n\r\n", 4);
      break;
    case BAD_UTF8:
      if (get)
        {
          static const char bad[] =
            "{\"status\":\"OK\",\"data_namafile\":\"\xff\xfe\",\"data_file\":\"QUJD\"}\r\n\r\n";
          ft_hostile_send (conn, bad, strlen (bad));
        }
      else
        {
          static const char bad[] =
            "{\"status\":\"OK\",\"message\":\"\xc3(\",\"data\":{\"file_path\":\"x\"}}\r\n\r\n";
          ft_hostile_send (conn, bad, strlen (bad));
        }
      break;
    case READY_LINE:
      ft_hostile_send (conn, ready, strlen (ready));
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Runs filestorm-client with --timeout 1 and the NULL-terminated
 * arguments; asserts exit status 3 (not a signal) and one line on stderr
 * that says what the case expects. */
static void
check_client (guint16 port, const Case *c, const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *client = ft_program_path ("FILESTORM_CLIENT", "filestorm-client");
  g_autoptr(FtRun) run = NULL;
  g_autofree char *err = NULL;
  const char *nl;

  g_ptr_array_add (argv, g_strdup (client));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", port));
  g_ptr_array_add (argv, g_strdup ("--timeout"));
  g_ptr_array_add (argv, g_strdup ("1"));
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  run = ft_run_start (g_getenv ("FT_SCRATCH"), NULL, NULL, (const char * const *) argv->pdata);
  ft_run_wait (run, RUN_TIMEOUT);
  ft_run_assert_exit (run, 3);
  err = ft_run_stderr_text (run);
  nl = strchr (err, '\n');
  ft_note ("%s: %s", args[0], err);
  ft_check (g_str_has_prefix (err, PREFIX) && nl != NULL && nl[1] == '\0',
            "%s: stderr \"%s\" is not one line \"" PREFIX "...\"", run->cmd, err);
  ft_check (strstr (err, c->expect) != NULL, "%s: stderr \"%s\" does not say \"%s\"", run->cmd,
            err, c->expect);
}

static void
test_client (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *upload = g_build_filename (g_getenv ("FT_SCRATCH"), "up.bin", NULL);
  const char * const commands[][4] = {
    { "list", NULL },
    { "stats", NULL },
    { "get", "x.bin", "-o", "out.bin" },
    { "delete", "x.bin", NULL },
    { "upload", upload, NULL },
  };

  g_assert_true (g_file_set_contents (upload, "hello\n", -1, NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      /* the READY line is a fine answer to UPLOAD's request line */
      if (c->kind == READY_LINE && strcmp (commands[i][0], "upload") == 0)
        continue;
      {
        g_autoptr(FtHostile) h = ft_hostile_start (1, answer, (gpointer) c);
        const char *args[5] = { NULL };

        memcpy (args, commands[i], sizeof commands[i]);
        check_client (ft_hostile_port (h), c, args);
      }
      ft_check (!ft_exists (g_getenv ("FT_SCRATCH"), "out.bin"),
                "a failed download left out.bin");
    }
}

/* filestorm-pool reads answers through the same code: with clients as
 * threads (one process) and as processes, every client fails with a
 * protocol error, none crashes, and the pool exits 1. The pool's STATS
 * before the run is one connection more, whose bad answer only makes the
 * server unknown. */
static void
test_pool_deep (gconstpointer data)
{
  static const Case deep = { NULL, DEEP_NESTING, NULL };
  const char * const modes[] = { "thread", "process" };
  g_autofree char *pool = ft_program_path ("FILESTORM_POOL", "filestorm-pool");

  for (gsize m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autoptr(FtHostile) h = ft_hostile_start (4, answer, (gpointer) &deep);
      g_autofree char *port = g_strdup_printf ("%u", ft_hostile_port (h));
      const char * const argv[] = {
        pool, "--mode", modes[m], "--operation", "list", "--client-pool", "3", "--port", port,
        "--timeout", "5", "--json", NULL
      };
      g_autoptr(FtRun) run = ft_run_start (NULL, NULL, NULL, argv);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;
      JsonObject *result, *errors;

      ft_run_wait (run, RUN_TIMEOUT);
      ft_run_assert_exit (run, 1);
      out = ft_run_stdout_text (run);
      json_parser_load_from_data (parser, out, -1, &error);
      g_assert_no_error (error);
      result = json_node_get_object (json_parser_get_root (parser));
      errors = json_object_get_object_member (result, "errors");
      g_assert_cmpint (json_object_get_int_member (result, "fail"), ==, 3);
      g_assert_cmpint (json_object_get_int_member (errors, "protocol"), ==, 3);
      g_assert_cmpint (json_object_get_int_member (errors, "crashed"), ==, 0);
    }
}

/* A server that stores the pool's download file under a name of its own,
 * stored (a JSON string literal), and answers anything but LIST and
 * UPLOAD with an ERROR whose text holds a line end and an escape
 * sequence. Every request line it reads is kept in requests. */
typedef struct {
  const char *stored;
  GPtrArray  *requests;  /* (owned) */
  const char *error;     /* the ERROR's text as raw JSON bytes; NULL: ERROR_TEXT */
  const char *locale;    /* the program's LC_ALL; NULL: the test's environment */
} Storing;

#define TWO_LINES "x.bin\nDELETE victim.bin"
#define TWO_LINES_JSON "\"x.bin\\nDELETE victim.bin\""
#define ERROR_TEXT "no\nsuch \x1b[2J file"

static void
answer_storing (GSocket *conn, const char *request, gpointer data)
{
  Storing *st = data;
  static const char ready[] = "READY TO RECEIVE FILE\r\n\r\n";
  static const char list[] = "{\"status\":\"OK\",\"data\":[]}\r\n\r\n";
  g_autofree char *error = g_strdup_printf ("{\"status\":\"ERROR\",\"data\":\"%s\"}\r\n\r\n",
                                            st->error != NULL ? st->error
                                            : "no\\nsuch \\u001b[2J file");

  g_ptr_array_add (st->requests, g_strdup (request));
  if (strcmp (request, "LIST") == 0)
    ft_hostile_send (conn, list, strlen (list));
  else if (g_str_has_prefix (request, "UPLOAD "))
    {
      g_autofree char *stored = g_strdup_printf (
        "{\"status\":\"OK\",\"message\":\"File uploaded successfully\","
        "\"data\":{\"file_path\":%s}}\r\n\r\n", st->stored);

      if (ft_hostile_send (conn, ready, strlen (ready)) && ft_hostile_skip_upload (conn))
        ft_hostile_send (conn, stored, strlen (stored));
    }
  else
    ft_hostile_send (conn, error, strlen (error));
}

/* Runs program ("filestorm-pool", ...) against answer_storing, for up to
 * connections connections, with --port, --timeout 5 and the
 * NULL-terminated args, under env(1) with LC_ALL=st->locale when that is
 * set, and asserts its exit status. */
static FtRun *
run_storing (Storing *st, guint connections, const char *env, const char *program,
             int status, const char * const *args)
{
  g_autoptr(FtHostile) h = ft_hostile_start (connections, answer_storing, st);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  FtRun *run;

  if (st->locale != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("env"));
      g_ptr_array_add (argv, g_strconcat ("LC_ALL=", st->locale, NULL));
    }
  g_ptr_array_add (argv, ft_program_path (env, program));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", ft_hostile_port (h)));
  g_ptr_array_add (argv, g_strdup ("--timeout"));
  g_ptr_array_add (argv, g_strdup ("5"));
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  run = ft_run_start (NULL, NULL, NULL, (const char * const *) argv->pdata);
  ft_run_wait (run, RUN_TIMEOUT);
  ft_run_assert_exit (run, status);
  ft_hostile_stop (h);
  return run;
}

/* Asserts that stderr is one line "prefix...\n" that says expect and
 * shows TWO_LINES escaped. */
static void
check_one_line (FtRun *run, const char *prefix, const char *expect)
{
  g_autofree char *err = ft_run_stderr_text (run);
  const char *nl = strchr (err, '\n');

  ft_note ("%s", err);
  ft_check (g_str_has_prefix (err, prefix) && nl != NULL && nl[1] == '\0',
            "%s: stderr \"%s\" is not one line \"%s...\"", run->cmd, err, prefix);
  ft_check (strstr (err, expect) != NULL && strstr (err, "\"x.bin\\nDELETE victim.bin\"") != NULL,
            "%s: stderr \"%s\" does not say \"%s\" and show the name escaped", run->cmd, err,
            expect);
}

/* filestorm-pool refuses the stored name before the timed run: exit 3,
 * one line, and no request after the upload (a download would have sent
 * "DELETE victim.bin" as a request of its own). */
static void
test_pool_stored_name (gconstpointer data)
{
  const char * const args[] = {
    "--operation", "download", "--volume", "0.01", "--client-pool", "2", NULL
  };
  Storing st = { TWO_LINES_JSON, g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(FtRun) run = run_storing (&st, 6, "FILESTORM_POOL", "filestorm-pool", 3, args);
  g_autoptr(GPtrArray) requests = st.requests;

  check_one_line (run, "filestorm-pool: ", "cannot be asked for");
  ft_check (requests->len == 3 && g_str_has_prefix (g_ptr_array_index (requests, 2), "UPLOAD "),
            "the pool sent %u requests, the last \"%s\", not STATS, LIST, UPLOAD", requests->len,
            requests->len > 0 ? (char *) g_ptr_array_index (requests, requests->len - 1) : "");
}

/* filestorm-client refuses such a name given to it the same way, as a
 * usage error (exit 2), and sends nothing. */
static void
test_client_name_line_end (gconstpointer data)
{
  const char * const args[] = { "delete", TWO_LINES, NULL };
  Storing st = { TWO_LINES_JSON, g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(FtRun) run = run_storing (&st, 1, "FILESTORM_CLIENT", "filestorm-client", 2, args);
  g_autoptr(GPtrArray) requests = st.requests;

  check_one_line (run, PREFIX, "control character (U+000A)");
  ft_check (requests->len == 0 || strcmp (g_ptr_array_index (requests, 0), "") == 0,
            "the client sent \"%s\"", (char *) g_ptr_array_index (requests, 0));
}

/* A stored name that a request can carry but a terminal acts on, a
 * right-to-left override (U+202E), is shown escaped in the progress
 * line; the downloads ask for it, and the server's answer, text with a
 * line end and an escape sequence, comes out of --json escaped by
 * json-glib: one line of JSON that reads back as the text. */
static void
test_pool_stored_name_shown (gconstpointer data)
{
  const char * const args[] = {
    "--operation", "download", "--volume", "0.01", "--client-pool", "1", "--json", NULL
  };
  Storing st = { "\"x\\u202enib.exe\"", g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(FtRun) run = run_storing (&st, 4, "FILESTORM_POOL", "filestorm-pool", 1, args);
  g_autoptr(GPtrArray) requests = st.requests;
  g_autofree char *err = ft_run_stderr_text (run);
  g_autofree char *out = ft_run_stdout_text (run);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *nl = strchr (out, '\n');

  ft_note ("%s", err);
  ft_check (g_str_has_suffix (err, "; the server stored it as x\\xe2\\x80\\xaenib.exe\n")
            && strstr (err, "\xe2\x80\xae") == NULL,
            "stderr \"%s\" does not show the stored name escaped", err);
  ft_check (requests->len == 4 && strcmp (g_ptr_array_index (requests, 3),
                                          "GET x\xe2\x80\xaenib.exe") == 0,
            "the download did not ask for the stored name (%u requests)", requests->len);
  ft_check (nl != NULL && nl[1] == '\0', "--json output is not one line: \"%s\"", out);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (
                     json_parser_get_root (parser)), "first_error"), ==, ERROR_TEXT);
}

/* The pool's summary line or the client's stderr line under locale:
 * "First error:" or "filestorm-client: " and shown, printable, one line
 * for the client, and UTF-8. */
static void
check_error_shown (const char *text, const char *locale, gboolean client, const char *shown)
{
  ft_note ("LC_ALL=%s: %s", locale, text);
  if (!client)
    ft_check (strstr (text, "First error:") != NULL && strstr (text, shown) != NULL
              && strchr (text, '\x1b') == NULL && g_utf8_validate (text, -1, NULL),
              "LC_ALL=%s: the pool's summary does not show the error escaped, as \"%s\":\n%s",
              locale, shown, text);
  else
    ft_check (g_str_has_prefix (text, PREFIX) && strstr (text, shown) != NULL
              && strchr (text, '\n') == text + strlen (text) - 1
              && strchr (text, '\x1b') == NULL,
              "LC_ALL=%s: filestorm-client's stderr \"%s\" is not one printable line \"%s\"",
              locale, text, shown);
}

/* The lines a program prints about a server's ERROR are printable: its
 * line end and escape sequence come out escaped, on one line. The text
 * ends in 160 "é"s, and the 119th holds bytes 254 and 255 of it: the
 * pool's first error, cut to 255 bytes, is cut before that one and stays
 * UTF-8 in --json. The summary and the client's line are read twice:
 * under C.UTF-8 they show "é", under C (LANG unset) "\u00e9", where
 * g_printerr() would have printed "?". */
static void
test_error_shown (gconstpointer data)
{
  const char * const pool_args[] = {
    "--operation", "download", "--volume", "0.01", "--client-pool", "1", NULL
  };
  const char * const json_args[] = {
    "--operation", "download", "--volume", "0.01", "--client-pool", "1", "--json", NULL
  };
  const char * const client_args[] = { "delete", "x.bin", NULL };
  const char *locales[] = { "C.UTF-8", "C" };
  const char *start = "no\nsuch \x1b[2J file ";
  g_autoptr(GString) text = g_string_new (start);
  g_autoptr(GString) json_text = g_string_new ("no\\nsuch \\u001b[2J file ");
  g_autoptr(GString) shown_utf8 = g_string_new ("no\\nsuch \\x1b[2J file ");
  g_autoptr(GString) shown_ascii = g_string_new ("no\\nsuch \\x1b[2J file ");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json_out = NULL;
  const char *first;

  if (setlocale (LC_ALL, "C.UTF-8") == NULL)
    {
      ft_skip ("no C.UTF-8 locale, which shows the text as UTF-8");
      return;
    }
  setlocale (LC_ALL, "C");
  for (int i = 0; i < 160; i++)
    {
      g_string_append (text, "\xc3\xa9");
      g_string_append (json_text, "\\u00e9");
    }
  /* The summary cuts the text; the client's line ends in all 160. */
  for (int i = 0; i < 2; i++)
    {
      g_string_append (shown_utf8, "\xc3\xa9");
      g_string_append (shown_ascii, "\\u00e9");
    }
  for (gsize l = 0; l < G_N_ELEMENTS (locales); l++)
    {
      const char *shown = l == 0 ? shown_utf8->str : shown_ascii->str;
      Storing pool = { "\"x.bin\"", g_ptr_array_new_with_free_func (g_free), json_text->str,
                       locales[l] };
      Storing client = { "\"x.bin\"", g_ptr_array_new_with_free_func (g_free), json_text->str,
                         locales[l] };
      g_autoptr(FtRun) pool_run = run_storing (&pool, 4, "FILESTORM_POOL", "filestorm-pool", 1,
                                               pool_args);
      g_autoptr(FtRun) client_run = run_storing (&client, 1, "FILESTORM_CLIENT",
                                                 "filestorm-client", 1, client_args);
      g_autofree char *out = ft_run_stdout_text (pool_run);
      g_autofree char *err = ft_run_stderr_text (client_run);

      g_ptr_array_unref (pool.requests);
      g_ptr_array_unref (client.requests);
      check_error_shown (out, locales[l], FALSE, shown);
      check_error_shown (err, locales[l], TRUE, shown);
      ft_check (l == 0 || (strchr (out, '?') == NULL && strchr (err, '?') == NULL),
                "LC_ALL=C: a character came out as \"?\"");
    }
  {
    Storing st = { "\"x.bin\"", g_ptr_array_new_with_free_func (g_free), json_text->str };
    g_autoptr(FtRun) run = run_storing (&st, 4, "FILESTORM_POOL", "filestorm-pool", 1,
                                        json_args);

    g_ptr_array_unref (st.requests);
    json_out = ft_run_stdout_text (run);
  }
  json_parser_load_from_data (parser, json_out, -1, &error);
  g_assert_no_error (error);
  first = json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                         "first_error");
  ft_check (g_utf8_validate (first, -1, NULL) && strlen (first) == 254
            && strncmp (first, text->str, 254) == 0,
            "--json's first_error (%zu bytes) is not the text's first 254 bytes", strlen (first));
}

/* Not a hostile server but a hostile limit: a download past the
 * client's RLIMIT_FSIZE fails with exit status 3 and one line, and
 * leaves neither the output file nor a temporary one, instead of killing
 * the client with SIGXFSZ. */
static void
test_rlimit_fsize (gconstpointer data)
{
  g_autoptr(FtServer) srv = ft_server_start ("thread", 1, NULL);
  g_autofree char *client = ft_program_path ("FILESTORM_CLIENT", "filestorm-client");
  g_autofree char *prlimit = g_find_program_in_path ("prlimit");
  g_autofree char *port = g_strdup_printf ("%u", srv->port);
  g_autofree guint8 *big = ft_content (1, 2 * 1024 * 1024);
  g_autofree char *dir = g_build_filename (g_getenv ("FT_SCRATCH"), "out", NULL);
  g_autoptr(FtRun) run = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) left = NULL;

  if (prlimit == NULL)
    {
      ft_skip ("no prlimit(1) (util-linux)");
      return;
    }
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  ft_write_file (srv->root, "big.bin", big, 2 * 1024 * 1024);
  {
    const char * const argv[] = {
      prlimit, "--fsize=1000000", client, "--port", port, "get", "big.bin", "-o", "big.bin",
      NULL
    };
    run = ft_run_start (dir, NULL, NULL, argv);
  }
  ft_run_wait (run, RUN_TIMEOUT);
  ft_run_assert_exit (run, 3);
  err = ft_run_stderr_text (run);
  ft_note ("%s", err);
  ft_check (g_str_has_prefix (err, PREFIX) && strstr (err, "File too large") != NULL,
            "stderr \"%s\" does not say \"File too large\"", err);
  left = ft_dir_entries (dir);
  ft_check (left[0] == NULL, "a failed download left \"%s\"", left[0]);
  ft_server_stop (g_steal_pointer (&srv));
}

int
main (int argc, char **argv)
{
  ft_init ();
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    ft_test_add (cases[i].path, test_client, &cases[i]);
  ft_test_add ("/client-hostile/pool-deep-nesting", test_pool_deep, NULL);
  ft_test_add ("/client-hostile/pool-stored-name-line-end", test_pool_stored_name, NULL);
  ft_test_add ("/client-hostile/client-name-line-end", test_client_name_line_end, NULL);
  ft_test_add ("/client-hostile/pool-stored-name-shown", test_pool_stored_name_shown, NULL);
  ft_test_add ("/client-hostile/error-shown", test_error_shown, NULL);
  ft_test_add ("/client-hostile/rlimit-fsize", test_rlimit_fsize, NULL);
  return g_test_run ();
}
