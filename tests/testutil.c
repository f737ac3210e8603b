/* testutil.c: the core of the tests' helpers (see testutil.h): every case
 * in a subprocess of its own, diagnostics, deterministic content, files
 * and /proc. The server, the connection, the commands and the programs
 * have a file each: testutil-server.c, testutil-conn.c,
 * testutil-commands.c, testutil-run.c. */
#include "config.h"

#include "testutil.h"

#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

void
ft_init (void)
{
  /* A server closing on us while we write must fail the write, not kill
   * the test program. */
  signal (SIGPIPE, SIG_IGN);
}

typedef struct {
  GTestDataFunc func;
  gconstpointer data;
} IsolatedCase;

#define SKIP_FILE "ft-skipped"

void
ft_skip (const char *reason)
{
  const char *scratch = g_getenv ("FT_SCRATCH");

  if (g_test_subprocess () && scratch != NULL)
    {
      g_autofree char *path = g_build_filename (scratch, SKIP_FILE, NULL);

      g_assert_true (g_file_set_contents (path, reason, -1, NULL));
    }
  g_test_skip (reason);
}

static void
run_isolated (gconstpointer p)
{
  const IsolatedCase *c = p;
  g_autofree char *scratch = NULL;
  g_autofree char *skip_path = NULL;
  g_autofree char *skipped = NULL;
  g_autoptr(GError) error = NULL;

  if (g_test_subprocess ())
    {
      c->func (c->data);
      return;
    }
  /* The case's temporary files go under a directory removed here, so that
   * a case that aborts leaves nothing behind. */
  scratch = g_dir_make_tmp ("filestorm-case-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("FT_SCRATCH", scratch, TRUE);
  /* The child's stdout is captured (a "Bail out!" there would end the TAP
   * stream); its stderr, with the failure message, goes to the log. */
  g_test_trap_subprocess (NULL, (guint64) FT_TEST_TIMEOUT * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("FT_SCRATCH");
  skip_path = g_build_filename (scratch, SKIP_FILE, NULL);
  if (!g_file_get_contents (skip_path, &skipped, NULL, NULL))
    skipped = NULL;
  ft_rm_rf (scratch);
  if (g_test_trap_reached_timeout ())
    g_test_fail_printf ("%s: no result within %d s", g_test_get_path (), FT_TEST_TIMEOUT);
  else if (skipped != NULL && !g_test_trap_has_passed ())
    g_test_skip (skipped);
  else if (!g_test_trap_has_passed ())
    g_test_fail_printf ("%s failed: see its messages on stderr", g_test_get_path ());
}

void
ft_test_add (const char *path, GTestDataFunc func, gconstpointer data)
{
  IsolatedCase *c = g_new (IsolatedCase, 1);

  c->func = func;
  c->data = data;
  g_test_add_data_func_full (path, c, run_isolated, g_free);
}

void
ft_note (const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (g_test_subprocess ())
    g_printerr ("# %s\n", text);
  else
    g_test_message ("%s", text);
}

double
ft_now (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

char *
ft_preview (const void *data, gsize len)
{
  const gsize max = 300;
  GString *out = g_string_new (NULL);
  const guint8 *p = data;

  for (gsize i = 0; i < len && i < max; i++)
    {
      if (p[i] == '\\')
        g_string_append (out, "\\\\");
      else if (p[i] == '\n')
        g_string_append (out, "\\n");
      else if (p[i] == '\r')
        g_string_append (out, "\\r");
      else if (p[i] < 0x20 || p[i] >= 0x7f)
        g_string_append_printf (out, "\\x%02x", p[i]);
      else
        g_string_append_c (out, (char) p[i]);
    }
  if (len > max)
    g_string_append_printf (out, "... (%" G_GSIZE_FORMAT " bytes)", len);
  return g_string_free (out, FALSE);
}

char *
ft_preview_bytes (GBytes *bytes)
{
  gsize len = 0;
  const void *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;
  return ft_preview (data, len);
}

char *
ft_preview_json (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  return ft_preview (text, strlen (text));
}

/* ================================================================ data */

guint8 *
ft_content (guint64 seed, gsize len)
{
  guint8 *out = g_malloc (len + 1);
  guint64 x = seed * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15) + G_GUINT64_CONSTANT (0x2545F4914F6CDD1D);

  if (x == 0)
    x = 1;
  for (gsize i = 0; i < len; i += 8)
    {
      guint64 v;
      x ^= x >> 12;
      x ^= x << 25;
      x ^= x >> 27;
      v = x * G_GUINT64_CONSTANT (0x2545F4914F6CDD1D);
      memcpy (out + i, &v, MIN (8, len - i));
    }
  return out;
}

GBytes *
ft_content_bytes (guint64 seed, gsize len)
{
  return g_bytes_new_take (ft_content (seed, len), len);
}

void
ft_assert_same_bytes (const guint8 *got, gsize got_len, const guint8 *want, gsize want_len)
{
  if (got_len == want_len && memcmp (got, want, got_len) == 0)
    return;
  for (gsize i = 0; i < MIN (got_len, want_len); i++)
    if (got[i] != want[i])
      ft_fail ("content differs at byte %" G_GSIZE_FORMAT ": got 0x%02x, want 0x%02x "
               "(lengths %" G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT ")",
               i, got[i], want[i], got_len, want_len);
  ft_fail ("content has %" G_GSIZE_FORMAT " bytes, want %" G_GSIZE_FORMAT
           " (equal up to the shorter)", got_len, want_len);
}

/* ================================================================ files */

void
ft_write_file (const char *dir, const char *name, const void *data, gsize len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  /* GLib 2.74 writes G_FILE_SET_CONTENTS_NONE in place without truncating:
   * a shorter content would keep the old file's tail. */
  g_unlink (path);
  g_file_set_contents_full (path, data, (gssize) len, G_FILE_SET_CONTENTS_NONE, 0644, &error);
  g_assert_no_error (error);
}

GBytes *
ft_read_file (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, &error))
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return NULL;
      g_assert_no_error (error);
    }
  return g_bytes_new_take (data, len);
}

gboolean
ft_exists (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  struct stat st;

  return lstat (path, &st) == 0;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
ft_dir_entries (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = g_dir_open (dir, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

void
ft_assert_file_is (const char *dir, const char *name, GBytes *want)
{
  g_autoptr(GBytes) got = ft_read_file (dir, name);

  ft_check (got != NULL, "%s/%s does not exist", dir, name);
  ft_assert_same_bytes (g_bytes_get_data (got, NULL), g_bytes_get_size (got),
                        g_bytes_get_data (want, NULL), g_bytes_get_size (want));
}

void
ft_assert_no_hidden (const char *root, const char * const *allowed, const char *what)
{
  g_autofree char *left = NULL;

  ft_check (ft_wait_no_hidden (root, allowed, 10.0, &left),
            "%s: hidden/temporary file \"%s\" left in the root", what, left);
}

gboolean
ft_wait_no_hidden (const char *dir, const char * const *allowed, double timeout, char **left)
{
  double deadline = ft_now () + timeout;

  for (;;)
    {
      g_auto(GStrv) entries = ft_dir_entries (dir);
      const char *found = NULL;

      for (gsize i = 0; entries[i] != NULL && found == NULL; i++)
        if (entries[i][0] == '.' &&
            (allowed == NULL || !g_strv_contains (allowed, entries[i])))
          found = entries[i];
      if (found == NULL)
        return TRUE;
      if (ft_now () > deadline)
        {
          if (left != NULL)
            *left = g_strdup (found);
          return FALSE;
        }
      g_usleep (20 * 1000);
    }
}

static int
rm_one (const char *path, const struct stat *st G_GNUC_UNUSED, int flag G_GNUC_UNUSED,
        struct FTW *ftw G_GNUC_UNUSED)
{
  remove (path);
  return 0;
}

void
ft_rm_rf (const char *path)
{
  nftw (path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ================================================================ /proc */

/* State letter and PPid of pid from /proc/PID/status; FALSE if gone. */
static gboolean
proc_status (pid_t pid, char *state, pid_t *ppid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *text = NULL;
  const char *p;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  p = strstr (text, "\nState:");
  if (p == NULL)
    return FALSE;
  p += strlen ("\nState:");
  while (*p == ' ' || *p == '\t')
    p++;
  *state = *p;
  p = strstr (text, "\nPPid:");
  if (p == NULL)
    return FALSE;
  *ppid = (pid_t) atoi (p + strlen ("\nPPid:"));
  return TRUE;
}

pid_t
ft_proc_ppid (pid_t pid)
{
  char state;
  pid_t ppid;

  if (!proc_status (pid, &state, &ppid))
    return -1;
  return ppid;
}

gboolean
ft_proc_alive (pid_t pid)
{
  char state;
  pid_t ppid;

  return proc_status (pid, &state, &ppid) && state != 'Z' && state != 'X';
}

static GArray *
scan_proc (pid_t ppid, const char *needle)
{
  GArray *found = g_array_new (FALSE, FALSE, sizeof (pid_t));
  g_autoptr(GDir) d = g_dir_open ("/proc", 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      char state;
      pid_t pid, parent;

      if (!g_ascii_isdigit (name[0]))
        continue;
      pid = (pid_t) atoi (name);
      if (pid == getpid () || !proc_status (pid, &state, &parent) || state == 'Z' || state == 'X')
        continue;
      if (needle == NULL)
        {
          if (parent == ppid)
            g_array_append_val (found, pid);
        }
      else
        {
          g_autofree char *path = g_strdup_printf ("/proc/%d/cmdline", (int) pid);
          g_autofree char *cmdline = NULL;
          gsize len = 0;

          if (g_file_get_contents (path, &cmdline, &len, NULL) &&
              memmem (cmdline, len, needle, strlen (needle)) != NULL)
            g_array_append_val (found, pid);
        }
    }
  return found;
}

GArray *
ft_proc_children (pid_t ppid)
{
  return scan_proc (ppid, NULL);
}

GArray *
ft_proc_with_cmdline (const char *needle)
{
  return scan_proc (0, needle);
}
