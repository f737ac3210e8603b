/* store-fixture.c: the root and the store that every case of test-store
 * and test-store-upload gets, and the helpers both use (see
 * store-fixture.h). */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "errors.h"
#include "store-fixture.h"

static void
rm_rf (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      if (dir != NULL)
        while ((name = g_dir_read_name (dir)) != NULL)
          {
            g_autofree char *child = g_build_filename (path, name, NULL);
            rm_rf (child);
          }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
sf_setup (StoreFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->tmpdir = g_dir_make_tmp ("filestorm-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->root = g_build_filename (f->tmpdir, "deep", "er", "root", NULL);
  f->store = fs_store_open (f->root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

void
sf_teardown (StoreFixture *f, gconstpointer data)
{
  g_clear_pointer (&f->store, fs_store_free);
  rm_rf (f->tmpdir);
  g_clear_pointer (&f->root, g_free);
  g_clear_pointer (&f->tmpdir, g_free);
}

char *
sf_in_root (StoreFixture *f, const char *name)
{
  return g_build_filename (f->root, name, NULL);
}

void
sf_put_file (const char *path, const void *data, gsize len)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const guint8 *p = data;

  g_assert_cmpint (fd, >=, 0);
  while (len > 0)
    {
      gssize n = write (fd, p, len);

      g_assert_cmpint (n, >, 0);
      p += n;
      len -= (gsize) n;
    }
  g_assert_cmpint (close (fd), ==, 0);
}

void
sf_put_root_file (StoreFixture *f, const char *name, const char *text)
{
  g_autofree char *path = sf_in_root (f, name);

  sf_put_file (path, text, strlen (text));
}

static GBytes *
read_path (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

void
sf_assert_path_content (const char *path, const void *data, gsize len)
{
  g_autoptr(GBytes) bytes = read_path (path);

  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), data, len);
}

void
sf_assert_root_content (StoreFixture *f, const char *name, const void *data, gsize len)
{
  g_autofree char *path = sf_in_root (f, name);

  sf_assert_path_content (path, data, len);
}

void
sf_assert_read_fails (StoreFixture *f, const char *name, int code)
{
  g_autoptr(GError) error = NULL;
  guint64 size = 12345;
  int fd = fs_store_open_read (f->store, name, &size, &error);

  if (fd >= 0)
    close (fd);
  g_assert_cmpint (fd, ==, -1);
  g_assert_nonnull (error);
  if (code >= 0)
    g_assert_error (error, FS_ERROR, code);
}

gboolean
sf_path_exists (const char *path)
{
  GStatBuf st;

  return g_lstat (path, &st) == 0;
}

gboolean
sf_root_has (StoreFixture *f, const char *name)
{
  g_autofree char *path = sf_in_root (f, name);

  return sf_path_exists (path);
}

/* Reads everything from fd, from offset 0 (pread: the fd's own offset does
 * not matter). */
GByteArray *
sf_read_fd_all (int fd)
{
  GByteArray *bytes = g_byte_array_new ();
  guint8 buf[8192];
  off_t off = 0;

  for (;;)
    {
      gssize n = pread (fd, buf, sizeof buf, off);

      g_assert_cmpint (n, >=, 0);
      if (n == 0)
        break;
      g_byte_array_append (bytes, buf, (guint) n);
      off += n;
    }
  return bytes;
}

GStrv
sf_list_root (StoreFixture *f)
{
  g_autoptr(GError) error = NULL;
  GStrv names = fs_store_list (f->store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (names);
  return names;
}

guint8 *
sf_pattern (gsize len, guint seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (len + 1);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  return data;
}
