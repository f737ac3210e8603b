/* server-cases.c: what the test-server-* programs share (see
 * server-cases.h). */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "server-cases.h"

static void
setup (FtServerFixture *f, gconstpointer mode)
{
  f->mode = mode;
  f->srv = ft_server_start (mode, POOL, NULL);
}

static void
teardown (FtServerFixture *f, gconstpointer mode G_GNUC_UNUSED)
{
  if (f->srv != NULL)
    ft_server_stop (f->srv);
}

/* ------------------------------------------------------------ helpers */

void
ft_assert_strv_equal (char **got, const char * const *want, const char *what)
{
  g_autofree char *g = g_strjoinv ("\", \"", got);
  g_autofree char *w = g_strjoinv ("\", \"", (char **) want);

  ft_check (g_strv_equal ((const char * const *) got, want),
            "%s: got [\"%s\"], want [\"%s\"]", what, g, w);
}

/* Asserts that the next answer on conn to line is an ERROR. */
void
ft_expect_error (FtConn *conn, const char *line)
{
  g_autoptr(GBytes) frame = ft_request_raw (conn, line);
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *shown = ft_preview (line, strlen (line));
  g_autofree char *got = ft_preview_bytes (frame);

  answer = ft_parse_frame (frame);
  ft_check (g_strcmp0 (ft_status (answer), "ERROR") == 0,
            "request \"%s\": expected ERROR, got \"%s\"", shown, got);
  ft_assert_error (answer);
}

void
ft_assert_list_ok (FtConn *conn)
{
  g_auto(GStrv) names = ft_list (conn);
}

void
ft_assert_root_file (const char *root, const char *name, const void *data, gsize len)
{
  g_autoptr(GBytes) got = ft_read_file (root, name);
  struct stat st;
  g_autofree char *path = g_build_filename (root, name, NULL);

  ft_check (got != NULL, "file \"%s\" missing from the root", name);
  ft_check (lstat (path, &st) == 0 && S_ISREG (st.st_mode), "\"%s\" is not a regular file", name);
  ft_assert_same_bytes (g_bytes_get_data (got, NULL), g_bytes_get_size (got), data, len);
}

/* ------------------------------------------------------------ main */

typedef struct {
  const char *mode;
  FtServerCaseFunc func;
} Case;

/* Runs in the case's own subprocess: a fresh server for every case. */
static void
run_case (gconstpointer data)
{
  const Case *c = data;
  FtServerFixture f = { NULL, NULL };

  setup (&f, c->mode);
  c->func (&f, c->mode);
  teardown (&f, c->mode);
}

int
ft_server_cases_run (int *argc, char ***argv, const FtServerCase *cases, gsize n_cases)
{
  static const char * const modes[] = { "thread", "process", "event" };
  /* Freed after the run, so that LeakSanitizer finds nothing. */
  g_autofree Case *all = g_new (Case, G_N_ELEMENTS (modes) * n_cases);
  gsize n = 0;

  ft_init ();
  g_test_init (argc, argv, NULL);

  for (gsize m = 0; m < G_N_ELEMENTS (modes); m++)
    for (gsize i = 0; i < n_cases; i++, n++)
      {
        g_autofree char *path = g_strdup_printf ("/server/%s/%s", modes[m], cases[i].name);

        all[n].mode = modes[m];
        all[n].func = cases[i].func;
        ft_test_add (path, run_case, &all[n]);
      }
  return g_test_run ();
}
