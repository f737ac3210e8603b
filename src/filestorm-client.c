/* filestorm-client: one command against a filestorm server. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client.h"
#include "base64.h"
#include "errors.h"
#include "protocol.h"
#include "options.h"
#include "util.h"

/* Exit codes, documented in filestorm-client(1). */
enum {
  EXIT_OK = 0,
  EXIT_SERVER = 1,  /* the server answered ERROR */
  EXIT_USAGE = 2,   /* bad command line */
  EXIT_IO = 3,      /* connection, protocol or local file failure */
};

#define DEFAULT_HOST "127.0.0.1"
#define DEFAULT_PORT 7000
#define DEFAULT_TIMEOUT 60
#define FILE_CHUNK (64 * 1024)

/* A command: the usage that --help lists and an argument error shows. */
typedef struct {
  const char *name;
  guint       nargs;
  const char *usage;  /* the command and its arguments */
  const char *what;
} Command;

static const Command commands[] = {
  { "list", 0, "list", "print the server's files, one per line" },
  { "get", 1, "get NAME [-o FILE]", "download NAME to FILE (default ./NAME)" },
  { "upload", 1, "upload PATH [--name NAME]", "upload a file; prints the stored name" },
  { "delete", 1, "delete NAME", "delete NAME on the server" },
  { "stats", 0, "stats", "print the server's counters as JSON" },
};

static int
report (GError *error)
{
  g_autofree char *shown = fs_protocol_printable_text (error->message);

  g_printerr ("filestorm-client: %s\n", shown);
  if (error->domain == FS_CLIENT_ERROR && error->code == FS_CLIENT_ERROR_SERVER)
    return EXIT_SERVER;
  /* A name that no request line can carry is a bad argument too. */
  if (error->domain == FS_ERROR
      && (error->code == FS_ERROR_USAGE || error->code == FS_ERROR_BAD_NAME))
    return EXIT_USAGE;
  return EXIT_IO;
}

static gboolean
usage_error (GError **error, const char *message)
{
  g_set_error_literal (error, FS_ERROR, FS_ERROR_USAGE, message);
  return FALSE;
}

static gboolean
errno_error (GError **error, const char *what, const char *path)
{
  return fs_set_errno_error (error, errno, "%s %s", what, path);
}

typedef struct {
  int         fd;
  const char *path;
} Output;

static gboolean
to_file (const guint8 *data, gsize len, gpointer user_data, GError **error)
{
  Output *out = user_data;
  return fs_write_all (out->fd, data, len, out->path, error);
}

/* get: the content goes to a temporary file beside the target, renamed
 * over it only once complete, so a failed download leaves nothing behind
 * and never a half-written file. "-" means standard output. */
typedef gboolean (*GetFunc) (FsClient *client, const char *name, guint64 max_size,
                             FsClientSink sink, gpointer user_data, guint64 *size,
                             GError **error);

static gboolean
cmd_get (FsClient *client, const char *name, const char *path, gboolean raw, GError **error)
{
  GetFunc get = raw ? fs_client_get_raw : fs_client_get;
  g_autofree char *dir = NULL, *base = NULL, *tmpl = NULL;
  Output out = { STDOUT_FILENO, "standard output" };
  guint64 size = 0;
  gboolean ok;

  if (g_strcmp0 (path, "-") == 0)
    return get (client, name, G_MAXUINT64, to_file, &out, &size, error);

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmpl = g_strdup_printf ("%s/.%s.part-XXXXXX", dir, base);
  out.fd = g_mkstemp_full (tmpl, O_WRONLY | O_CLOEXEC, 0644);
  out.path = path;
  if (out.fd < 0)
    return errno_error (error, "cannot create a file in", dir);

  ok = get (client, name, G_MAXUINT64, to_file, &out, &size, error);
  if (ok && fsync (out.fd) < 0)
    ok = errno_error (error, "cannot write", path);
  if (close (out.fd) < 0 && ok)
    ok = errno_error (error, "cannot write", path);
  if (ok && rename (tmpl, path) < 0)
    ok = errno_error (error, "cannot store", path);
  if (!ok)
    unlink (tmpl);
  return ok;
}

/* A name the server chose, on a line of its own: escaped as its error
 * text is, so that a name cannot clear the terminal or make two lines of
 * one. Valid names (no control characters) come out as they are. */
static void
print_name (const char *name)
{
  g_autofree char *shown = fs_protocol_printable_text (name);

  printf ("%s\n", shown);
}

static gssize
from_file (guint8 *buf, gsize len, gpointer user_data, GError **error)
{
  Output *in = user_data;

  for (;;)
    {
      ssize_t n = read (in->fd, buf, len);
      if (n >= 0)
        return n;
      if (errno != EINTR)
        {
          errno_error (error, "cannot read", in->path);
          return -1;
        }
    }
}

static gboolean
cmd_upload (FsClient *client, const char *path, const char *name, gboolean raw,
            GError **error)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *stored = NULL;
  Output in = { -1, path };
  guint64 size = 0;
  gboolean ok;

  in.fd = open (path, O_RDONLY | O_CLOEXEC);
  if (in.fd < 0)
    return errno_error (error, "cannot open", path);
  if (raw)
    {
      struct stat st;

      /* The size goes on the request line: a regular file's, read once. */
      if (fstat (in.fd, &st) < 0 || !S_ISREG (st.st_mode))
        {
          close (in.fd);
          g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                       "upload --raw needs a regular file: %s", path);
          return FALSE;
        }
      ok = fs_client_upload_raw (client, name ? name : base, (guint64) st.st_size, from_file,
                                 &in, &stored, &size, error);
    }
  else
    ok = fs_client_upload (client, name ? name : base, from_file, &in, &stored, &size, error);
  close (in.fd);
  if (ok)
    print_name (stored);
  return ok;
}

static gboolean
cmd_list (FsClient *client, GError **error)
{
  g_auto(GStrv) names = NULL;

  if (!fs_client_list (client, &names, error))
    return FALSE;
  for (gsize i = 0; names[i] != NULL; i++)
    print_name (names[i]);
  return TRUE;
}

static gboolean
cmd_stats (FsClient *client, GError **error)
{
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  if (!fs_client_stats (client, &data, error))
    return FALSE;
  node = json_node_init_object (json_node_alloc (), data);
  json_generator_set_root (gen, node);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autofree char *host = NULL;
  g_autofree char *output = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) args = NULL;
  gint port = DEFAULT_PORT;
  gint timeout = DEFAULT_TIMEOUT;
  gboolean version = FALSE;
  gboolean raw = FALSE;
  const GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, "Server address (default 127.0.0.1)", "HOST" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Server port (default 7000)", "PORT" },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout,
      "Give up on connecting, or on a stalled transfer, after SECONDS (default 60)",
      "SECONDS" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "get: write to FILE (default ./NAME; - for standard output)", "FILE" },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name,
      "upload: store under NAME (default: the file's own name)", "NAME" },
    { "raw", 'r', 0, G_OPTION_ARG_NONE, &raw,
      "get, upload: move the content as raw bytes (GETRAW, UPLOADRAW), not base64", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("COMMAND [ARGUMENT]");
  g_autoptr(GError) error = NULL;
  g_autoptr(FsClient) client = NULL;
  g_autoptr(GString) summary = g_string_new ("Commands:");
  const char *command;
  const Command *spec = NULL;
  guint nargs;
  gboolean ok = FALSE;

  fs_locale_init ();
  /* A download past the file size limit (RLIMIT_FSIZE) is a write that
   * fails with EFBIG, reported like any other, not a death by SIGXFSZ. */
  signal (SIGXFSZ, SIG_IGN);
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (summary, "\n  %-26s %s", commands[i].usage, commands[i].what);
  g_option_context_set_summary (context, summary->str);
  g_option_context_set_description (context,
      "Exit status: 0 OK, 1 the server answered ERROR, 2 bad usage,\n"
      "3 connection, protocol or file failure. See filestorm-client(1).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!fs_option_parse (context, &argc, &argv, &error))
    {
      error->domain = FS_ERROR;
      error->code = FS_ERROR_USAGE;
      return report (error);
    }
  if (version)
    {
      printf ("filestorm-client (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EXIT_OK;
    }
  if (!fs_b64_check_environment (&error))
    return report (error);

  nargs = args ? g_strv_length (args) : 0;
  command = nargs > 0 ? args[0] : NULL;
  for (gsize i = 0; command != NULL && i < G_N_ELEMENTS (commands); i++)
    if (strcmp (command, commands[i].name) == 0)
      spec = &commands[i];
  if (command == NULL)
    usage_error (&error, "no command given (try --help)");
  else if (spec == NULL)
    g_set_error (&error, FS_ERROR, FS_ERROR_USAGE, "unknown command '%s' (try --help)",
                 command);
  else if (nargs != spec->nargs + 1)
    /* The command's usage says what it takes: "get" alone needs a NAME. */
    g_set_error (&error, FS_ERROR, FS_ERROR_USAGE, "usage: filestorm-client %s (try --help)",
                 spec->usage);
  else if (port < 0 || port > 65535)
    usage_error (&error, "--port must be between 0 and 65535");
  else if (timeout < 0)
    usage_error (&error, "--timeout must not be negative");
  else if (output != NULL && strcmp (command, "get") != 0)
    usage_error (&error, "--output goes with get");
  else if (name != NULL && strcmp (command, "upload") != 0)
    usage_error (&error, "--name goes with upload");
  else if (raw && strcmp (command, "get") != 0 && strcmp (command, "upload") != 0)
    usage_error (&error, "--raw goes with get or upload");
  if (error != NULL)
    return report (error);

  client = fs_client_connect (host ? host : DEFAULT_HOST, (guint) port, (guint) timeout,
                              &error);
  if (client == NULL)
    return report (error);

  if (strcmp (command, "list") == 0)
    ok = cmd_list (client, &error);
  else if (strcmp (command, "stats") == 0)
    ok = cmd_stats (client, &error);
  else if (strcmp (command, "delete") == 0)
    ok = fs_client_delete (client, args[1], &error);
  else if (strcmp (command, "get") == 0)
    ok = cmd_get (client, args[1], output ? output : args[1], raw, &error);
  else
    ok = cmd_upload (client, args[1], name, raw, &error);

  if (fflush (stdout) != 0 && ok)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write to standard output");
      ok = FALSE;
    }
  return ok ? EXIT_OK : report (error);
}
