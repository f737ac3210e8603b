/* matrix-fixture.c: see matrix-fixture.h. */
#include "config.h"

#include "matrix-fixture.h"

#include <string.h>

char *
default_matrix_path (void)
{
  const char *srcdir = g_getenv ("FILESTORM_SRCDIR");

  if (srcdir != NULL)
    return g_build_filename (srcdir, "data", "scenarios.conf", NULL);
  /* Run by hand from the build tree: tests/../data. */
  return g_build_filename (g_test_get_dir (G_TEST_BUILT), "..", "data", "scenarios.conf", NULL);
}

FsMatrix *
load_default (void)
{
  g_autofree char *path = default_matrix_path ();
  g_autoptr(GError) error = NULL;
  FsMatrix *m = fs_matrix_load (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (m);
  return m;
}

FsMatrix *
load_text (const char *text, GError **error)
{
  return fs_matrix_load_data (text, strlen (text), "test.conf", error);
}

guint
count_scenarios (const FsMatrix *m)
{
  g_autoptr(GArray) all = fs_matrix_expand (m, FALSE, 1);

  return all->len;
}
