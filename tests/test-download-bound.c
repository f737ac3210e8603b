/* test-download-bound.c: a download stops when the server sends more
 * than it should, while it streams. Bytes that keep coming keep every
 * timeout from firing, so a server that sends a GET's data_file as
 * endless white space, or the right content followed by more without
 * end, used to keep filestorm-pool (and filestorm-stress through it)
 * reading gigabytes until killed; --no-verify did not help, since the
 * length was checked only once the frame ended.
 *
 * The hostile server (tests/hostile-server.c) sends at most ENDLESS bytes
 * of the endless part, then closes: a client without the bound then fails
 * with a read error after reading them all, one with it fails with a
 * protocol error after a few kilobytes. */
#include "config.h"

#include <string.h>

#include "base64.h"
#include "content.h"
#include "hostile-server.h"
#include "testutil.h"

#define ENDLESS (256u * 1024 * 1024)
#define RUN_TIMEOUT 60
#define VOLUME "0.01"
#define GET_HEAD "{\"status\":\"OK\",\"data_namafile\":\"%s\",\"data_file\":\""

typedef enum {
  WHITE_SPACE,   /* data_file: spaces without end */
  MORE_CONTENT,  /* data_file: the right content, then "QUJD" without end */
  RAW_ENDLESS,   /* GETRAW announcing 1 TiB, then bytes without end */
  LINE_BREAKS,   /* data_file: the right content, CRLF every 76 characters */
} Kind;

typedef struct {
  Kind    kind;
  guint64 sent;  /* bytes of the endless part sent */
} Hostile;

/* Sends chunk over and over until ENDLESS bytes or the client goes,
 * counting what was sent. */
static void
send_endless (GSocket *conn, const char *chunk, Hostile *h)
{
  g_autoptr(GString) block = g_string_new (NULL);

  while (block->len < 64 * 1024)
    g_string_append (block, chunk);
  while (h->sent < ENDLESS && ft_hostile_send (conn, block->str, block->len))
    h->sent += block->len;
}

/* The pool's file as base64, with a CRLF after every 76 characters
 * when breaks. With more, the file (10,486 bytes) goes on with "AB",
 * so that its base64 needs no padding and "QUJD" ("ABC") can follow it
 * as more of the same content. */
static GString *
encoded_content (gboolean breaks, gboolean more)
{
  g_autofree char *name = fs_content_name (g_ascii_strtod (VOLUME, NULL));
  guint64 size = fs_content_size (g_ascii_strtod (VOLUME, NULL));
  g_autofree guint8 *raw = g_malloc (size + 2);
  g_autofree char *b64 = g_malloc (FS_B64_ENCODE_STEP_MAX (size + 2) + FS_B64_ENCODE_CLOSE_MAX);
  GString *out = g_string_new (NULL);
  FsContent content;
  FsB64Encoder enc;
  gsize n;

  g_assert_cmpuint (size % 3, ==, 1);
  fs_content_init (&content, name, size);
  fs_content_fill (&content, raw, size);
  memcpy (raw + size, "AB", 2);
  fs_b64_encoder_init (&enc);
  n = fs_b64_encoder_step (&enc, raw, size + (more ? 2 : 0), b64);
  n += fs_b64_encoder_close (&enc, b64 + n);
  for (gsize i = 0; i < n; i += 76)
    {
      g_string_append_len (out, b64 + i, MIN (76, n - i));
      if (breaks)
        g_string_append (out, "\\r\\n");
    }
  return out;
}

static void
answer (GSocket *conn, const char *request, gpointer data)
{
  Hostile *h = data;
  g_autofree char *name = fs_content_name (g_ascii_strtod (VOLUME, NULL));
  g_autofree char *head = g_strdup_printf (GET_HEAD, name);
  g_autofree char *list = g_strdup_printf ("{\"status\":\"OK\",\"data\":[\"%s\"]}\r\n\r\n",
                                           name);
  static const char refused[] = "{\"status\":\"ERROR\",\"data\":\"no STATS here\"}\r\n\r\n";

  if (strcmp (request, "LIST") == 0)
    ft_hostile_send (conn, list, strlen (list));
  else if (g_str_has_prefix (request, "GETRAW "))
    {
      g_autofree char *frame = g_strdup_printf (
        "{\"status\":\"OK\",\"data_namafile\":\"%s\",\"size\":1099511627776}\r\n\r\n", name);

      if (ft_hostile_send (conn, frame, strlen (frame)))
        send_endless (conn, "ABCDEFGH", h);
    }
  else if (g_str_has_prefix (request, "GET "))
    {
      g_autoptr(GString) content = encoded_content (h->kind == LINE_BREAKS,
                                                     h->kind == MORE_CONTENT);

      if (!ft_hostile_send (conn, head, strlen (head)))
        return;
      if (h->kind == WHITE_SPACE)
        send_endless (conn, "    ", h);
      else if (ft_hostile_send (conn, content->str, content->len))
        {
          if (h->kind == MORE_CONTENT)
            send_endless (conn, "QUJD", h);
          else
            ft_hostile_send (conn, "\"}\r\n\r\n", 6);
        }
    }
  else
    ft_hostile_send (conn, refused, strlen (refused));
}

/* Runs filestorm-pool (--timeout 3, one client, --json and the
 * NULL-terminated args) in mode against a server of kind; returns its
 * result and sets *sent. */
static JsonObject *
run_pool (Kind kind, const char *mode, const char * const *args, int status, guint64 *sent)
{
  Hostile h = { kind, 0 };
  g_autoptr(FtHostile) server = ft_hostile_start (3, answer, &h);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(FtRun) run = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  const char * const base[] = {
    "--mode", mode, "--operation", "download", "--volume", VOLUME, "--client-pool", "1",
    "--timeout", "3", "--json", NULL
  };

  g_ptr_array_add (argv, ft_program_path ("FILESTORM_POOL", "filestorm-pool"));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", ft_hostile_port (server)));
  for (gsize i = 0; base[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (base[i]));
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  run = ft_run_start (NULL, NULL, NULL, (const char * const *) argv->pdata);
  ft_run_wait (run, RUN_TIMEOUT);
  ft_hostile_stop (server);
  err = ft_run_stderr_text (run);
  out = ft_run_stdout_text (run);
  ft_note ("%s (%.1f s, %" G_GUINT64_FORMAT " bytes sent): %s%s", run->cmd, run->elapsed,
           h.sent, err, out);
  ft_run_assert_exit (run, status);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  *sent = h.sent;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The download fails as a protocol error, in both modes, long before
 * the server has sent all it would. */
static void
check_bounded (Kind kind, const char * const *args)
{
  const char * const modes[] = { "thread", "process" };

  for (gsize m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      guint64 sent = 0;
      g_autoptr(JsonObject) result = run_pool (kind, modes[m], args, 1, &sent);
      JsonObject *errors = json_object_get_object_member (result, "errors");
      const char *first = json_object_get_string_member_with_default (result, "first_error",
                                                                      "");

      ft_check (json_object_get_int_member (result, "fail") == 1
                && json_object_get_int_member (errors, "protocol") == 1,
                "%s: the download did not fail as a protocol error: %s", modes[m], first);
      ft_check (sent < ENDLESS / 4, "%s: the client read on: %" G_GUINT64_FORMAT
                " bytes sent", modes[m], sent);
    }
}

static void
test_white_space (gconstpointer data)
{
  const char * const args[] = { NULL };

  check_bounded (WHITE_SPACE, args);
}

static void
test_more_content (gconstpointer data)
{
  const char * const args[] = { "--no-verify", NULL };

  check_bounded (MORE_CONTENT, args);
}

static void
test_raw_endless (gconstpointer data)
{
  const char * const args[] = { "--no-verify", "--transfer", "raw", NULL };

  check_bounded (RAW_ENDLESS, args);
}

/* The bound leaves room for a server that breaks its base64 into lines
 * (MIME's 76 characters and CRLF): the download succeeds, verified. */
static void
test_line_breaks (gconstpointer data)
{
  const char * const args[] = { NULL };
  guint64 sent = 0;
  g_autoptr(JsonObject) result = run_pool (LINE_BREAKS, "thread", args, 0, &sent);

  g_assert_cmpint (json_object_get_int_member (result, "success"), ==, 1);
  g_assert_true (json_object_get_boolean_member (result, "verified"));
}

/* filestorm-client get knows no size to expect: white space in the
 * content counts toward the answer's 64 MiB bound, and the download
 * fails with exit status 3, one line, and no file left. */
static void
test_client_white_space (gconstpointer data)
{
  Hostile h = { WHITE_SPACE, 0 };
  g_autoptr(FtHostile) server = ft_hostile_start (1, answer, &h);
  g_autofree char *client = ft_program_path ("FILESTORM_CLIENT", "filestorm-client");
  g_autofree char *port = g_strdup_printf ("%u", ft_hostile_port (server));
  const char * const argv[] = {
    client, "--port", port, "--timeout", "3", "get", "x.bin", "-o", "out.bin", NULL
  };
  g_autoptr(FtRun) run = ft_run_start (g_getenv ("FT_SCRATCH"), NULL, NULL, argv);
  g_autofree char *err = NULL;

  ft_run_wait (run, RUN_TIMEOUT);
  ft_hostile_stop (server);
  err = ft_run_stderr_text (run);
  ft_note ("%s (%" G_GUINT64_FORMAT " bytes sent)", err, h.sent);
  ft_run_assert_exit (run, 3);
  ft_check (strstr (err, "white space") != NULL && strchr (err, '\n') == err + strlen (err) - 1,
            "stderr \"%s\" is not one line about white space", err);
  ft_check (h.sent < ENDLESS / 2, "the client read on: %" G_GUINT64_FORMAT " bytes sent",
            h.sent);
  ft_check (!ft_exists (g_getenv ("FT_SCRATCH"), "out.bin"), "a failed download left out.bin");
}

int
main (int argc, char **argv)
{
  ft_init ();
  g_test_init (&argc, &argv, NULL);
  ft_test_add ("/download-bound/white-space", test_white_space, NULL);
  ft_test_add ("/download-bound/more-content-no-verify", test_more_content, NULL);
  ft_test_add ("/download-bound/raw-endless-no-verify", test_raw_endless, NULL);
  ft_test_add ("/download-bound/line-breaks", test_line_breaks, NULL);
  ft_test_add ("/download-bound/client-white-space", test_client_white_space, NULL);
  return g_test_run ();
}
