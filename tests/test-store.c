/* test-store.c: name rules, extension guessing, the root directory:
 * listing, confined reads and deletes, atomic uploads, temp-file cleanup. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "errors.h"
#include "store.h"

/* ---------------------------------------------------------------- names */

static void
assert_name_ok (const char *name, gssize len)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fs_name_validate (name, len, &error));
  g_assert_no_error (error);
}

static void
assert_name_bad (const char *name, gssize len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = g_strescape (name, NULL);

  g_test_message ("name \"%s\" (len %" G_GSSIZE_FORMAT ") must be refused", shown, len);
  g_assert_false (fs_name_validate (name, len, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_BAD_NAME);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_name_accepts (void)
{
  g_autofree char *n255 = g_strnfill (255, 'a');
  /* 255 bytes of two-byte characters and one ASCII. */
  GString *u255 = g_string_new ("x");

  while (u255->len < 255)
    g_string_append (u255, "\xc3\xa9");
  g_assert_cmpuint (u255->len, ==, 255);

  assert_name_ok ("a", -1);
  assert_name_ok ("file_10MB.bin", -1);
  assert_name_ok ("a b.txt", -1);
  assert_name_ok ("h\xc3\xa9llo", -1);
  assert_name_ok ("\xe2\x9c\x93\xf0\x9f\x98\x80", -1);
  assert_name_ok ("a.", -1);
  assert_name_ok ("a..b", -1);
  assert_name_ok ("x.fstmp-1-y", -1);
  assert_name_ok ("-rf", -1);
  assert_name_ok ("with'quote\"and\\backslash", -1);
  assert_name_ok (n255, -1);
  assert_name_ok (n255, 255);
  assert_name_ok (u255->str, -1);
  /* len counts: the bytes after len do not matter. */
  assert_name_ok ("ab/cd", 2);
  assert_name_ok ("abc\n", 3);
  g_string_free (u255, TRUE);
}

static void
test_name_rejects (void)
{
  g_autofree char *n256 = g_strnfill (256, 'a');
  g_autofree char *n1000 = g_strnfill (1000, 'b');

  assert_name_bad ("", -1);
  assert_name_bad ("abc", 0);
  assert_name_bad (".", -1);
  assert_name_bad ("..", -1);
  assert_name_bad (".hidden", -1);
  assert_name_bad (".fstmp-123-x", -1);
  assert_name_bad ("a/b", -1);
  assert_name_bad ("a/", -1);
  assert_name_bad ("/", -1);
  assert_name_bad ("/etc/passwd", -1);
  assert_name_bad ("../x", -1);
  assert_name_bad ("x/..", -1);
  assert_name_bad ("a\nb", -1);
  assert_name_bad ("a\rb", -1);
  assert_name_bad ("a\tb", -1);
  assert_name_bad ("a\x7f", -1);
  assert_name_bad ("\x01", -1);
  assert_name_bad ("a\x1b[31m", -1);
  assert_name_bad ("\x1f", -1);
  assert_name_bad ("\xff", -1);
  assert_name_bad ("\xc3", -1);
  assert_name_bad ("ab\xc3", -1);
  assert_name_bad ("\xc0\xaf", -1);   /* overlong '/' */
  assert_name_bad ("\xed\xa0\x80", -1); /* surrogate */
  assert_name_bad (n256, -1);
  assert_name_bad (n256, 256);
  assert_name_bad (n1000, -1);
  /* Embedded NUL, with the length given. */
  assert_name_bad ("ab\0cd", 5);
  assert_name_bad ("\0", 1);
  assert_name_bad ("abc\0", 4);
  /* A valid UTF-8 sequence cut by len. */
  assert_name_bad ("h\xc3\xa9llo", 2);
}

/* ----------------------------------------------------------- extensions */

static void
assert_ext (const char *head, gsize len, const char *expected)
{
  const char *ext = fs_guess_extension ((const guint8 *) head, len);

  g_assert_nonnull (ext);
  g_assert_cmpstr (ext, ==, expected);
}

static void
test_guess_extension (void)
{
  assert_ext ("\x89PNG\r\n\x1a\n", 8, ".png");
  assert_ext ("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, ".png");
  assert_ext ("\x89PNG\r\n\x1a", 7, "");
  assert_ext ("\x89PNG\r\n\x1a\r", 8, "");
  assert_ext ("\x89png\r\n\x1a\n", 8, "");
  assert_ext ("\xff\xd8\xff", 3, ".jpeg");
  assert_ext ("\xff\xd8\xff\xe0\0\x10JFIF", 10, ".jpeg");
  assert_ext ("\xff\xd8", 2, "");
  assert_ext ("\xff\xd8\xfe", 3, "");
  assert_ext ("%PDF", 4, ".pdf");
  assert_ext ("%PDF-1.7\n", 9, ".pdf");
  assert_ext ("%PD", 3, "");
  assert_ext ("%pdf-1.7", 8, "");
  assert_ext ("GIF87a", 6, ".gif");
  assert_ext ("GIF89a\x01\0", 8, ".gif");
  assert_ext ("GIF88a", 6, "");
  assert_ext ("GIF8", 4, "");
  assert_ext ("GIF89", 5, "");
  assert_ext ("PK\x03\x04", 4, ".zip");
  assert_ext ("PK\x03\x04\x14\0", 6, ".zip");
  assert_ext ("PK\x03", 3, "");
  assert_ext ("PK\x05\x06", 4, "");
  assert_ext ("ID3", 3, ".mpeg");
  assert_ext ("ID3\x04\0", 5, ".mpeg");
  assert_ext ("ID", 2, "");
  assert_ext ("\xff\xfb", 2, ".mpeg");
  assert_ext ("\xff\xfb\x90\x64", 4, ".mpeg");
  assert_ext ("\xff", 1, "");
  assert_ext ("\xff\xfa", 2, "");
  assert_ext ("hello world", 11, "");
  assert_ext ("", 0, "");
  g_assert_cmpstr (fs_guess_extension (NULL, 0), ==, "");
  /* Only the start counts. */
  assert_ext ("xx%PDF", 6, "");
}

/* ------------------------------------------------------------- fixture */

typedef struct {
  char    *tmpdir;  /* (owned) everything lives under it */
  char    *root;    /* (owned) tmpdir/deep/er/root */
  FsStore *store;   /* (owned) */
} Fixture;

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

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->tmpdir = g_dir_make_tmp ("filestorm-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->root = g_build_filename (f->tmpdir, "deep", "er", "root", NULL);
  f->store = fs_store_open (f->root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->store, fs_store_free);
  rm_rf (f->tmpdir);
  g_clear_pointer (&f->root, g_free);
  g_clear_pointer (&f->tmpdir, g_free);
}

static char *
in_root (Fixture *f, const char *name)
{
  return g_build_filename (f->root, name, NULL);
}

static void
put_file (const char *path, const void *data, gsize len)
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

static void
put_root_file (Fixture *f, const char *name, const char *text)
{
  g_autofree char *path = in_root (f, name);

  put_file (path, text, strlen (text));
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

static void
assert_path_content (const char *path, const void *data, gsize len)
{
  g_autoptr(GBytes) bytes = read_path (path);

  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), data, len);
}

static void
assert_root_content (Fixture *f, const char *name, const void *data, gsize len)
{
  g_autofree char *path = in_root (f, name);

  assert_path_content (path, data, len);
}

static gboolean
path_exists (const char *path)
{
  GStatBuf st;

  return g_lstat (path, &st) == 0;
}

static gboolean
root_has (Fixture *f, const char *name)
{
  g_autofree char *path = in_root (f, name);

  return path_exists (path);
}

/* Reads everything from fd, from offset 0 (pread: the fd's own offset does
 * not matter). */
static GByteArray *
read_fd_all (int fd)
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

static int
compare_names (gconstpointer a, gconstpointer b)
{
  /* g_ptr_array_sort passes pointers to the elements. */
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The names in the root that start with '.', sorted. */
static GStrv
hidden_names (Fixture *f)
{
  g_autoptr(GDir) dir = g_dir_open (f->root, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] == '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* Temporary files of process pid in the root. */
static guint
count_temp_files (Fixture *f, pid_t pid)
{
  g_auto(GStrv) hidden = hidden_names (f);
  g_autofree char *prefix = g_strdup_printf (FS_TMP_PREFIX "%ld-", (long) pid);
  guint n = 0;

  for (guint i = 0; hidden[i] != NULL; i++)
    if (g_str_has_prefix (hidden[i], prefix))
      n++;
  return n;
}

static void
assert_no_hidden_files (Fixture *f)
{
  g_auto(GStrv) hidden = hidden_names (f);

  if (hidden[0] != NULL)
    g_test_message ("left behind: %s", hidden[0]);
  g_assert_cmpuint (g_strv_length (hidden), ==, 0);
}

static GStrv
list_root (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GStrv names = fs_store_list (f->store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (names);
  return names;
}

static guint8 *
pattern (gsize len, guint seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (len + 1);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  return data;
}

/* Uploads data under name (NULL: unnamed) in chunks of chunk bytes and
 * returns the stored name. */
static char *
upload (Fixture *f, const char *name, const void *data, gsize len, gsize chunk)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsUpload) up = fs_upload_begin (f->store, name, 0, &error);
  const guint8 *p = data;
  char *stored;

  g_assert_no_error (error);
  g_assert_nonnull (up);
  for (gsize off = 0; off < len; off += chunk)
    {
      gsize n = MIN (chunk, len - off);

      g_assert_true (fs_upload_write (up, p + off, n, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (fs_upload_size (up), ==, len);
  stored = fs_upload_commit (up, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  return stored;
}

/* --------------------------------------------------------------- basics */

static void
test_open_creates_parents (Fixture *f, gconstpointer data)
{
  GStatBuf by_path, by_store;
  struct stat by_fd;
  int dirfd;

  g_assert_true (g_file_test (f->root, G_FILE_TEST_IS_DIR));
  g_assert_nonnull (fs_store_path (f->store));
  g_assert_cmpint (g_stat (f->root, &by_path), ==, 0);
  g_assert_cmpint (g_stat (fs_store_path (f->store), &by_store), ==, 0);
  g_assert_cmpuint (by_path.st_dev, ==, by_store.st_dev);
  g_assert_cmpuint (by_path.st_ino, ==, by_store.st_ino);

  dirfd = fs_store_dirfd (f->store);
  g_assert_cmpint (dirfd, >=, 0);
  g_assert_cmpint (fstat (dirfd, &by_fd), ==, 0);
  g_assert_true (S_ISDIR (by_fd.st_mode));
  g_assert_cmpuint (by_path.st_dev, ==, by_fd.st_dev);
  g_assert_cmpuint (by_path.st_ino, ==, by_fd.st_ino);

  /* An existing root opens again, content untouched. */
  put_root_file (f, "keep", "kept");
  g_clear_pointer (&f->store, fs_store_free);
  {
    g_autoptr(GError) error = NULL;

    f->store = fs_store_open (f->root, &error);
    g_assert_no_error (error);
    g_assert_nonnull (f->store);
  }
  assert_root_content (f, "keep", "kept", 4);
}

static void
test_open_fails (Fixture *f, gconstpointer data)
{
  g_autofree char *file = g_build_filename (f->tmpdir, "plain-file", NULL);
  g_autofree char *under_file = g_build_filename (file, "sub", NULL);

  put_file (file, "x", 1);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FsStore) store = fs_store_open (file, &error);

    g_assert_null (store);
    g_assert_nonnull (error);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FsStore) store = fs_store_open (under_file, &error);

    g_assert_null (store);
    g_assert_nonnull (error);
  }
  assert_path_content (file, "x", 1);
}

static void
test_list (Fixture *f, gconstpointer data)
{
  static const char *const regular[] = {
    "b", "a", "B", "a b.txt", "\xc3\xa9", "Z", "file_10MB.bin", "a.bin",
  };
  g_autofree char *dir = in_root (f, "dir");
  g_autofree char *link = in_root (f, "link");
  g_autofree char *dangling = in_root (f, "dangling");
  g_autofree char *dirlink = in_root (f, "dirlink");
  g_autofree char *fifo = in_root (f, "fifo");
  g_autofree char *outside = g_build_filename (f->tmpdir, "outside", NULL);
  g_autofree char *outlink = in_root (f, "outlink");
  g_autofree char *tmpname = g_strdup_printf (FS_TMP_PREFIX "%ld-x", (long) getpid ());
  g_auto(GStrv) names = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (regular); i++)
    put_root_file (f, regular[i], "data");
  /* Things that must not be listed. */
  put_root_file (f, ".hidden", "h");
  put_root_file (f, tmpname, "partial");
  put_root_file (f, "bad\nname", "n");
  put_root_file (f, "ctl\x01", "c");
  put_root_file (f, "del\x7f", "d");
  put_root_file (f, "\xff", "u");
  put_root_file (f, "tab\tname", "t");
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  {
    g_autofree char *inner = g_build_filename (dir, "inner", NULL);
    put_file (inner, "i", 1);
  }
  put_file (outside, "o", 1);
  g_assert_cmpint (symlink ("a", link), ==, 0);
  g_assert_cmpint (symlink ("nowhere", dangling), ==, 0);
  g_assert_cmpint (symlink ("dir", dirlink), ==, 0);
  g_assert_cmpint (symlink (outside, outlink), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);

  names = list_root (f);
  g_assert_cmpstrv (names, ((const char *const[]) {
    "B", "Z", "a", "a b.txt", "a.bin", "b", "file_10MB.bin", "\xc3\xa9", NULL }));
}

/* More entries than one read of the directory returns (its buffer is
 * 32 KiB): 3000 names of 60 bytes, a tmp file among them every 100. */
static char *
many_name (guint i)
{
  return g_strdup_printf ("file-%06u-%s.bin", i, "padding-padding-padding-padding-padding");
}

static void
test_list_many (Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
  const guint count = 3000;
  g_auto(GStrv) names = NULL;

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *name = many_name (i);
      g_autofree char *path = g_build_filename (f->root, name, NULL);

      g_assert_true (g_file_set_contents (path, "x", 1, NULL));
      if (i % 100 == 0)
        {
          g_autofree char *hidden = g_strdup_printf ("%s/.%s.tmp", f->root, name);
          g_assert_true (g_file_set_contents (hidden, "x", 1, NULL));
        }
    }
  names = list_root (f);
  g_assert_cmpuint (g_strv_length (names), ==, count);
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *want = many_name (i);
      g_assert_cmpstr (names[i], ==, want);
    }
}

static void
test_list_empty (Fixture *f, gconstpointer data)
{
  g_auto(GStrv) names = list_root (f);

  g_assert_cmpuint (g_strv_length (names), ==, 0);
}

static void
test_list_sorted_bytewise (Fixture *f, gconstpointer data)
{
  /* Bytewise: not locale collation, not case folding, not natural order. */
  static const char *const created[] = {
    "file10", "file2", "File1", "file1", "_x", "~y", "\xc3\x89", "\xc3\xa9",
    "z", "A", "0", "9", "a", "\xe2\x9c\x93",
  };
  g_auto(GStrv) names = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (created); i++)
    put_root_file (f, created[i], "x");
  names = list_root (f);
  g_assert_cmpstrv (names, ((const char *const[]) {
    "0", "9", "A", "File1", "_x", "a", "file1", "file10", "file2", "z", "~y",
    "\xc3\x89", "\xc3\xa9", "\xe2\x9c\x93", NULL }));
}

static void
test_read (Fixture *f, gconstpointer data)
{
  g_autofree guint8 *content = pattern (100000, 7);
  g_autofree char *path = in_root (f, "blob.bin");
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) got = NULL;
  guint64 size = 0;
  int fd;

  put_file (path, content, 100000);
  fd = fs_store_open_read (f->store, "blob.bin", &size, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpuint (size, ==, 100000);
  got = read_fd_all (fd);
  g_assert_cmpmem (got->data, got->len, content, 100000);
  close (fd);

  /* Empty file. */
  put_root_file (f, "empty", "");
  fd = fs_store_open_read (f->store, "empty", &size, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpuint (size, ==, 0);
  close (fd);
}

static void
assert_read_fails (Fixture *f, const char *name, int code)
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

static void
test_read_missing (Fixture *f, gconstpointer data)
{
  assert_read_fails (f, "missing", FS_ERROR_NOT_FOUND);
  assert_read_fails (f, "m\xc3\xa9ssing", FS_ERROR_NOT_FOUND);
}

static void
test_read_bad_names (Fixture *f, gconstpointer data)
{
  g_autofree char *sibling = g_build_filename (f->tmpdir, "deep", "er", "x", NULL);

  put_file (sibling, "secret", 6);
  put_root_file (f, ".hidden", "hidden");
  assert_read_fails (f, "../x", FS_ERROR_BAD_NAME);
  assert_read_fails (f, "/etc/passwd", FS_ERROR_BAD_NAME);
  assert_read_fails (f, "a/b", FS_ERROR_BAD_NAME);
  assert_read_fails (f, ".hidden", FS_ERROR_BAD_NAME);
  assert_read_fails (f, ".", FS_ERROR_BAD_NAME);
  assert_read_fails (f, "..", FS_ERROR_BAD_NAME);
  assert_read_fails (f, "", FS_ERROR_BAD_NAME);
  assert_read_fails (f, "bad\nname", FS_ERROR_BAD_NAME);
}

static void
test_read_symlink (Fixture *f, gconstpointer data)
{
  g_autofree char *in_link = in_root (f, "in-link");
  g_autofree char *out_link = in_root (f, "out-link");
  g_autofree char *abs_link = in_root (f, "abs-link");
  g_autofree char *dir_link = in_root (f, "dir-link");
  g_autofree char *outside = g_build_filename (f->tmpdir, "outside.txt", NULL);
  g_autofree char *target_abs = in_root (f, "target");
  g_autofree char *dir = in_root (f, "dir");

  put_root_file (f, "target", "inside");
  put_file (outside, "outside", 7);
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  g_assert_cmpint (symlink ("target", in_link), ==, 0);
  g_assert_cmpint (symlink (outside, out_link), ==, 0);
  g_assert_cmpint (symlink (target_abs, abs_link), ==, 0);
  g_assert_cmpint (symlink ("dir", dir_link), ==, 0);

  assert_read_fails (f, "in-link", -1);
  assert_read_fails (f, "out-link", -1);
  assert_read_fails (f, "abs-link", -1);
  assert_read_fails (f, "dir-link", -1);
  assert_read_fails (f, "dir", -1);
  /* The target itself is fine. */
  {
    g_autoptr(GError) error = NULL;
    guint64 size = 0;
    int fd = fs_store_open_read (f->store, "target", &size, &error);

    g_assert_no_error (error);
    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpuint (size, ==, 6);
    close (fd);
  }
}

typedef struct {
  FsStore *store;
  GMutex   lock;
  GCond    cond;
  gboolean done;
  int      fd;
  GError  *error;
} FifoRead;

static gpointer
fifo_read_thread (gpointer data)
{
  FifoRead *r = data;
  guint64 size = 0;
  GError *error = NULL;
  int fd = fs_store_open_read (r->store, "fifo", &size, &error);

  g_mutex_lock (&r->lock);
  r->fd = fd;
  r->error = error;
  r->done = TRUE;
  g_cond_signal (&r->cond);
  g_mutex_unlock (&r->lock);
  return NULL;
}

static void
test_read_fifo (Fixture *f, gconstpointer data)
{
  g_autofree char *fifo = in_root (f, "fifo");
  FifoRead r = { .store = f->store, .fd = -2 };
  g_autoptr(GThread) thread = NULL;
  gint64 deadline;
  gboolean finished;

  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  g_mutex_init (&r.lock);
  g_cond_init (&r.cond);
  thread = g_thread_new ("fifo-read", fifo_read_thread, &r);

  deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  g_mutex_lock (&r.lock);
  while (!r.done)
    if (!g_cond_wait_until (&r.cond, &r.lock, deadline))
      break;
  finished = r.done;
  g_mutex_unlock (&r.lock);

  if (!finished)
    {
      /* Blocked in open(): give it a writer so that the thread can end,
       * then fail. */
      int wfd = open (fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);

      g_test_message ("fs_store_open_read() of a fifo blocked for 5 s");
      g_thread_join (g_steal_pointer (&thread));
      if (wfd >= 0)
        close (wfd);
    }
  else
    g_thread_join (g_steal_pointer (&thread));

  if (r.fd >= 0)
    close (r.fd);
  g_assert_true (finished);
  g_assert_cmpint (r.fd, ==, -1);
  g_assert_nonnull (r.error);
  g_clear_error (&r.error);
  g_mutex_clear (&r.lock);
  g_cond_clear (&r.cond);
}

static void
test_delete (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  put_root_file (f, "doomed", "bye");
  put_root_file (f, "kept", "stay");
  g_assert_true (fs_store_delete (f->store, "doomed", &error));
  g_assert_no_error (error);
  g_assert_false (root_has (f, "doomed"));
  assert_root_content (f, "kept", "stay", 4);
  names = list_root (f);
  g_assert_cmpstrv (names, ((const char *const[]) { "kept", NULL }));

  /* Gone now. */
  g_assert_false (fs_store_delete (f->store, "doomed", &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_NOT_FOUND);
}

static void
test_delete_missing (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (fs_store_delete (f->store, "never-there", &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_NOT_FOUND);
}

static void
assert_delete_fails (Fixture *f, const char *name, int code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (fs_store_delete (f->store, name, &error));
  g_assert_nonnull (error);
  if (code >= 0)
    g_assert_error (error, FS_ERROR, code);
}

static void
test_delete_symlink (Fixture *f, gconstpointer data)
{
  g_autofree char *in_link = in_root (f, "in-link");
  g_autofree char *out_link = in_root (f, "out-link");
  g_autofree char *outside = g_build_filename (f->tmpdir, "outside.txt", NULL);
  GStatBuf st;

  put_root_file (f, "target", "inside");
  put_file (outside, "outside", 7);
  g_assert_cmpint (symlink ("target", in_link), ==, 0);
  g_assert_cmpint (symlink (outside, out_link), ==, 0);

  assert_delete_fails (f, "in-link", -1);
  assert_delete_fails (f, "out-link", -1);

  /* The targets are untouched, and so are the links (ERROR touches
   * nothing). */
  assert_root_content (f, "target", "inside", 6);
  assert_path_content (outside, "outside", 7);
  g_assert_cmpint (g_lstat (in_link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (g_lstat (out_link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
}

static void
test_delete_other_kinds (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = in_root (f, "dir");
  g_autofree char *sibling = g_build_filename (f->tmpdir, "deep", "er", "x", NULL);
  g_autofree char *tmpname = g_strdup_printf (FS_TMP_PREFIX "%ld-x", (long) getpid ());

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  put_file (sibling, "secret", 6);
  put_root_file (f, ".hidden", "hidden");
  put_root_file (f, tmpname, "partial");

  assert_delete_fails (f, "dir", -1);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  assert_delete_fails (f, "../x", FS_ERROR_BAD_NAME);
  assert_path_content (sibling, "secret", 6);
  assert_delete_fails (f, ".hidden", FS_ERROR_BAD_NAME);
  assert_root_content (f, ".hidden", "hidden", 6);
  assert_delete_fails (f, tmpname, FS_ERROR_BAD_NAME);
  assert_root_content (f, tmpname, "partial", 7);
  assert_delete_fails (f, "", FS_ERROR_BAD_NAME);
  assert_delete_fails (f, ".", FS_ERROR_BAD_NAME);
  assert_delete_fails (f, "..", FS_ERROR_BAD_NAME);
  assert_delete_fails (f, "/etc/passwd", FS_ERROR_BAD_NAME);
  g_assert_true (g_file_test (f->root, G_FILE_TEST_IS_DIR));
}

/* -------------------------------------------------------------- uploads */

static void
test_upload_atomic_new (Fixture *f, gconstpointer data)
{
  g_autofree guint8 *content = pattern (300000, 11);
  g_autoptr(GError) error = NULL;
  g_autoptr(FsUpload) up = NULL;
  g_autofree char *stored = NULL;

  up = fs_upload_begin (f->store, "new.bin", 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (up);
  g_assert_true (fs_upload_write (up, content, 100000, &error));
  g_assert_true (fs_upload_write (up, content + 100000, 50000, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fs_upload_size (up), ==, 150000);

  /* Mid-upload: no final name, one hidden temp file of ours, not listed. */
  g_assert_false (root_has (f, "new.bin"));
  g_assert_cmpuint (count_temp_files (f, getpid ()), ==, 1);
  {
    g_auto(GStrv) names = list_root (f);
    g_assert_cmpuint (g_strv_length (names), ==, 0);
  }
  assert_read_fails (f, "new.bin", FS_ERROR_NOT_FOUND);

  g_assert_true (fs_upload_write (up, content + 150000, 150000, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fs_upload_size (up), ==, 300000);
  stored = fs_upload_commit (up, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, "new.bin");

  assert_root_content (f, "new.bin", content, 300000);
  assert_no_hidden_files (f);
  {
    g_auto(GStrv) names = list_root (f);
    g_assert_cmpstrv (names, ((const char *const[]) { "new.bin", NULL }));
  }

  /* Freeing a committed upload leaves the file alone. */
  g_clear_pointer (&up, fs_upload_free);
  assert_root_content (f, "new.bin", content, 300000);
  assert_no_hidden_files (f);
}

static void
test_upload_atomic_overwrite (Fixture *f, gconstpointer data)
{
  g_autofree guint8 *content = pattern (200000, 12);
  g_autoptr(GError) error = NULL;
  g_autoptr(FsUpload) up = NULL;
  g_autofree char *stored = NULL;

  put_root_file (f, "f.txt", "OLD CONTENT");
  up = fs_upload_begin (f->store, "f.txt", 0, &error);
  g_assert_no_error (error);
  g_assert_true (fs_upload_write (up, content, 123456, &error));
  g_assert_no_error (error);

  assert_root_content (f, "f.txt", "OLD CONTENT", 11);
  g_assert_cmpuint (count_temp_files (f, getpid ()), ==, 1);
  {
    g_auto(GStrv) names = list_root (f);
    g_assert_cmpstrv (names, ((const char *const[]) { "f.txt", NULL }));
  }

  g_assert_true (fs_upload_write (up, content + 123456, 200000 - 123456, &error));
  g_assert_no_error (error);
  stored = fs_upload_commit (up, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, "f.txt");
  assert_root_content (f, "f.txt", content, 200000);
  assert_no_hidden_files (f);
}

static void
test_upload_abort (Fixture *f, gconstpointer data)
{
  g_autofree guint8 *content = pattern (50000, 13);

  put_root_file (f, "f.txt", "OLD CONTENT");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FsUpload) up = fs_upload_begin (f->store, "f.txt", 0, &error);

    g_assert_no_error (error);
    g_assert_true (fs_upload_write (up, content, 50000, &error));
    g_assert_cmpuint (count_temp_files (f, getpid ()), ==, 1);
    /* Dropped without commit. */
  }
  assert_root_content (f, "f.txt", "OLD CONTENT", 11);
  assert_no_hidden_files (f);

  /* A new name: nothing at all remains. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FsUpload) up = fs_upload_begin (f->store, "fresh", 0, &error);

    g_assert_no_error (error);
    g_assert_true (fs_upload_write (up, content, 50000, &error));
  }
  g_assert_false (root_has (f, "fresh"));
  assert_no_hidden_files (f);

  /* Unnamed, dropped. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FsUpload) up = fs_upload_begin (f->store, NULL, 0, &error);

    g_assert_no_error (error);
    g_assert_true (fs_upload_write (up, content, 50000, &error));
  }
  assert_no_hidden_files (f);
  {
    g_auto(GStrv) names = list_root (f);
    g_assert_cmpstrv (names, ((const char *const[]) { "f.txt", NULL }));
  }
}

static void
test_upload_too_large (Fixture *f, gconstpointer data)
{
  g_autofree guint8 *content = pattern (64, 14);

  /* Exactly the limit is fine. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FsUpload) up = fs_upload_begin (f->store, "exact", 10, &error);
    g_autofree char *stored = NULL;

    g_assert_no_error (error);
    g_assert_true (fs_upload_write (up, content, 6, &error));
    g_assert_true (fs_upload_write (up, content + 6, 4, &error));
    g_assert_no_error (error);
    stored = fs_upload_commit (up, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (stored, ==, "exact");
    assert_root_content (f, "exact", content, 10);
  }

  /* One byte over, across writes. */
  put_root_file (f, "over", "OLD");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FsUpload) up = fs_upload_begin (f->store, "over", 10, &error);

    g_assert_no_error (error);
    g_assert_true (fs_upload_write (up, content, 6, &error));
    g_assert_no_error (error);
    g_assert_false (fs_upload_write (up, content + 6, 5, &error));
    g_assert_error (error, FS_ERROR, FS_ERROR_TOO_LARGE);
  }
  assert_root_content (f, "over", "OLD", 3);
  assert_no_hidden_files (f);

  /* Over in a single write. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FsUpload) up = fs_upload_begin (f->store, "over2", 10, &error);

    g_assert_no_error (error);
    g_assert_false (fs_upload_write (up, content, 64, &error));
    g_assert_error (error, FS_ERROR, FS_ERROR_TOO_LARGE);
  }
  g_assert_false (root_has (f, "over2"));
  assert_no_hidden_files (f);

  /* Unnamed too. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FsUpload) up = fs_upload_begin (f->store, NULL, 1, &error);

    g_assert_no_error (error);
    g_assert_false (fs_upload_write (up, content, 2, &error));
    g_assert_error (error, FS_ERROR, FS_ERROR_TOO_LARGE);
  }
  assert_no_hidden_files (f);

  /* 0 means no limit. */
  {
    g_autofree guint8 *big = pattern (3 * 1024 * 1024, 15);
    g_autofree char *stored = upload (f, "big", big, 3 * 1024 * 1024, 65536);

    g_assert_cmpstr (stored, ==, "big");
    assert_root_content (f, "big", big, 3 * 1024 * 1024);
  }
}

static void
test_upload_unnamed (Fixture *f, gconstpointer data)
{
  static const char text[] = "hello world, no magic here";
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                                0, 0, 0, 13, 'I', 'H', 'D', 'R', 1, 2, 3 };
  static const char pdf[] = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n";
  g_autofree char *md5_text = g_compute_checksum_for_data (G_CHECKSUM_MD5,
                                                           (const guint8 *) text, strlen (text));
  g_autofree char *md5_png = g_compute_checksum_for_data (G_CHECKSUM_MD5, png, sizeof png);
  g_autofree char *md5_pdf = g_compute_checksum_for_data (G_CHECKSUM_MD5,
                                                          (const guint8 *) pdf, strlen (pdf));
  g_autofree char *md5_empty = g_compute_checksum_for_data (G_CHECKSUM_MD5,
                                                            (const guint8 *) "", 0);
  g_autofree char *want_png = g_strconcat (md5_png, ".png", NULL);
  g_autofree char *want_pdf = g_strconcat (md5_pdf, ".pdf", NULL);

  {
    g_autofree char *stored = upload (f, NULL, text, strlen (text), 5);

    g_assert_cmpstr (stored, ==, md5_text);
    assert_root_content (f, stored, text, strlen (text));
  }
  {
    /* The magic arrives one byte per write: the guess needs the head
     * gathered across writes. */
    g_autofree char *stored = upload (f, NULL, png, sizeof png, 1);

    g_assert_cmpstr (stored, ==, want_png);
    g_assert_true (g_str_has_suffix (stored, ".png"));
    assert_root_content (f, stored, png, sizeof png);
  }
  {
    g_autofree char *stored = upload (f, NULL, pdf, strlen (pdf), 3);

    g_assert_cmpstr (stored, ==, want_pdf);
    assert_root_content (f, stored, pdf, strlen (pdf));
  }
  {
    g_autofree char *stored = upload (f, NULL, "", 0, 1);

    g_assert_cmpstr (stored, ==, md5_empty);
    g_assert_cmpstr (stored, ==, "d41d8cd98f00b204e9800998ecf8427e");
    assert_root_content (f, stored, "", 0);
  }
  {
    /* Same content again: same name, no error. */
    g_autofree char *stored = upload (f, NULL, text, strlen (text), 1000);

    g_assert_cmpstr (stored, ==, md5_text);
  }
  {
    /* Large content, in chunks that cross the MD5 block size. */
    gsize len = 1000003;
    g_autofree guint8 *big = pattern (len, 16);
    g_autofree char *md5_big = NULL;
    g_autofree char *stored = NULL;

    big[0] = 'x'; /* no accidental magic */
    md5_big = g_compute_checksum_for_data (G_CHECKSUM_MD5, big, len);
    stored = upload (f, NULL, big, len, 4097);
    g_assert_cmpstr (stored, ==, md5_big);
    assert_root_content (f, stored, big, len);
  }
  assert_no_hidden_files (f);
  {
    g_auto(GStrv) names = list_root (f);
    g_assert_cmpuint (g_strv_length (names), ==, 5);
  }
}

static void
test_upload_bad_names (Fixture *f, gconstpointer data)
{
  static const char *const bad[] = {
    "", ".", "..", ".hidden", "../x", "a/b", "/tmp/x", "a\nb", "\xff",
  };
  g_autofree char *sibling = g_build_filename (f->tmpdir, "deep", "er", "x", NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FsUpload) up = fs_upload_begin (f->store, bad[i], 0, &error);

      g_assert_null (up);
      g_assert_error (error, FS_ERROR, FS_ERROR_BAD_NAME);
    }
  g_assert_false (path_exists (sibling));
  assert_no_hidden_files (f);
  {
    g_auto(GStrv) names = list_root (f);
    g_assert_cmpuint (g_strv_length (names), ==, 0);
  }
}

static void
test_upload_over_symlink (Fixture *f, gconstpointer data)
{
  /* Whatever happens to the link, the file outside is never written. */
  g_autofree char *outside = g_build_filename (f->tmpdir, "outside.txt", NULL);
  g_autofree char *link = in_root (f, "link");
  g_autoptr(GError) error = NULL;
  g_autoptr(FsUpload) up = NULL;
  g_autofree char *stored = NULL;

  put_file (outside, "outside", 7);
  g_assert_cmpint (symlink (outside, link), ==, 0);
  up = fs_upload_begin (f->store, "link", 0, &error);
  if (up != NULL)
    {
      if (fs_upload_write (up, (const guint8 *) "EVIL", 4, &error))
        stored = fs_upload_commit (up, &error);
      g_clear_pointer (&up, fs_upload_free);
    }
  g_clear_error (&error);
  assert_path_content (outside, "outside", 7);
  assert_no_hidden_files (f);
}

static void
test_upload_over_directory (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = in_root (f, "dir");
  g_autoptr(GError) error = NULL;
  g_autoptr(FsUpload) up = NULL;

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  up = fs_upload_begin (f->store, "dir", 0, &error);
  if (up != NULL)
    {
      g_autofree char *stored = NULL;

      g_assert_no_error (error);
      g_assert_true (fs_upload_write (up, (const guint8 *) "data", 4, &error));
      g_assert_no_error (error);
      stored = fs_upload_commit (up, &error);
      g_assert_null (stored);
      /* "On failure the temporary file is removed": before free. */
      assert_no_hidden_files (f);
    }
  g_assert_nonnull (error);
  g_clear_pointer (&up, fs_upload_free);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  assert_no_hidden_files (f);
}

static void
test_upload_concurrent_same_name (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsUpload) a = fs_upload_begin (f->store, "same", 0, &error);
  g_autoptr(FsUpload) b = fs_upload_begin (f->store, "same", 0, &error);
  g_autofree char *sa = NULL;
  g_autofree char *sb = NULL;

  g_assert_no_error (error);
  g_assert_true (fs_upload_write (a, (const guint8 *) "AAAA", 4, &error));
  g_assert_true (fs_upload_write (b, (const guint8 *) "BBBBBB", 6, &error));
  g_assert_no_error (error);
  /* Two distinct temporary files. */
  g_assert_cmpuint (count_temp_files (f, getpid ()), ==, 2);
  sb = fs_upload_commit (b, &error);
  g_assert_no_error (error);
  assert_root_content (f, "same", "BBBBBB", 6);
  sa = fs_upload_commit (a, &error);
  g_assert_no_error (error);
  assert_root_content (f, "same", "AAAA", 4);
  assert_no_hidden_files (f);
}

static void
test_upload_reader_keeps_old (Fixture *f, gconstpointer data)
{
  gsize old_len = 256 * 1024, new_len = 100 * 1024;
  g_autofree guint8 *old_content = pattern (old_len, 21);
  g_autofree guint8 *new_content = pattern (new_len, 22);
  g_autofree char *path = in_root (f, "shared.bin");
  g_autoptr(GError) error = NULL;
  g_autoptr(FsUpload) up = NULL;
  g_autofree char *stored = NULL;
  guint64 size = 0;
  int before, during, after;

  put_file (path, old_content, old_len);
  before = fs_store_open_read (f->store, "shared.bin", &size, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (size, ==, old_len);

  up = fs_upload_begin (f->store, "shared.bin", 0, &error);
  g_assert_no_error (error);
  g_assert_true (fs_upload_write (up, new_content, new_len / 2, &error));
  g_assert_no_error (error);

  during = fs_store_open_read (f->store, "shared.bin", &size, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (size, ==, old_len);

  g_assert_true (fs_upload_write (up, new_content + new_len / 2, new_len - new_len / 2, &error));
  stored = fs_upload_commit (up, &error);
  g_assert_no_error (error);

  after = fs_store_open_read (f->store, "shared.bin", &size, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (size, ==, new_len);

  {
    g_autoptr(GByteArray) got = read_fd_all (before);
    g_assert_cmpmem (got->data, got->len, old_content, old_len);
  }
  {
    g_autoptr(GByteArray) got = read_fd_all (during);
    g_assert_cmpmem (got->data, got->len, old_content, old_len);
  }
  {
    g_autoptr(GByteArray) got = read_fd_all (after);
    g_assert_cmpmem (got->data, got->len, new_content, new_len);
  }
  close (before);
  close (during);
  close (after);
}

/* Readers racing an uploader: every read is wholly one version. */
typedef struct {
  Fixture      *f;
  gint          stop;
  guint8       *versions[2];
  gsize         lengths[2];
  guint         reads;
  guint         bad;
} Race;

static gpointer
race_reader (gpointer data)
{
  Race *race = data;

  while (!g_atomic_int_get (&race->stop))
    {
      g_autoptr(GError) error = NULL;
      guint64 size = 0;
      int fd = fs_store_open_read (race->f->store, "race", &size, &error);
      g_autoptr(GByteArray) got = NULL;
      gboolean ok = FALSE;

      if (fd < 0)
        {
          race->bad++;
          continue;
        }
      got = read_fd_all (fd);
      close (fd);
      for (guint v = 0; v < 2; v++)
        if (got->len == race->lengths[v] && size == race->lengths[v] &&
            memcmp (got->data, race->versions[v], got->len) == 0)
          ok = TRUE;
      if (!ok)
        race->bad++;
      race->reads++;
    }
  return NULL;
}

static void
test_upload_race (Fixture *f, gconstpointer data)
{
  Race race = { .f = f };
  g_autoptr(GThread) reader = NULL;

  race.lengths[0] = 70000;
  race.lengths[1] = 130001;
  race.versions[0] = pattern (race.lengths[0], 31);
  race.versions[1] = pattern (race.lengths[1], 32);
  g_free (upload (f, "race", race.versions[0], race.lengths[0], 65536));

  reader = g_thread_new ("race-reader", race_reader, &race);
  for (guint i = 0; i < 60; i++)
    {
      guint v = (i + 1) % 2;
      g_free (upload (f, "race", race.versions[v], race.lengths[v], 8192));
    }
  g_atomic_int_set (&race.stop, 1);
  g_thread_join (g_steal_pointer (&reader));

  g_test_message ("%u reads while uploading", race.reads);
  g_assert_cmpuint (race.bad, ==, 0);
  assert_no_hidden_files (f);
  g_free (race.versions[0]);
  g_free (race.versions[1]);
}

/* -------------------------------------------------------------- cleanup */

/* A pid that no process has now. */
static pid_t
dead_pid (void)
{
  pid_t child = fork ();
  int status = 0;

  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    _exit (0);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_cmpint (kill (child, 0), ==, -1);
  g_assert_cmpint (errno, ==, ESRCH);
  return child;
}

static char *
temp_name (pid_t pid, const char *tail)
{
  return g_strdup_printf (FS_TMP_PREFIX "%ld-%s", (long) pid, tail);
}

static void
test_cleanup_on_open (Fixture *f, gconstpointer data)
{
  pid_t huge = 999999999;
  pid_t reaped = dead_pid ();
  g_autofree char *dead1 = temp_name (huge, "x");
  g_autofree char *dead2 = temp_name (reaped, "abc123");
  g_autofree char *live1 = temp_name (getpid (), "keep");
  g_autofree char *live2 = temp_name (getppid (), "keep");

  g_assert_cmpint (kill (huge, 0), ==, -1);
  g_assert_cmpint (errno, ==, ESRCH);

  g_clear_pointer (&f->store, fs_store_free);
  put_root_file (f, dead1, "partial");
  put_root_file (f, dead2, "partial");
  put_root_file (f, live1, "partial");
  put_root_file (f, live2, "partial");
  put_root_file (f, ".hidden", "not a temp file");
  put_root_file (f, "fstmp-999999999-x", "a regular file");

  {
    g_autoptr(GError) error = NULL;

    f->store = fs_store_open (f->root, &error);
    g_assert_no_error (error);
    g_assert_nonnull (f->store);
  }

  g_assert_false (root_has (f, dead1));
  g_assert_false (root_has (f, dead2));
  g_assert_true (root_has (f, live1));
  g_assert_true (root_has (f, live2));
  g_assert_true (root_has (f, ".hidden"));
  assert_root_content (f, "fstmp-999999999-x", "a regular file", 14);
}

static void
test_cleanup_pid (Fixture *f, gconstpointer data)
{
  pid_t me = getpid ();
  g_autofree char *mine1 = temp_name (me, "a");
  g_autofree char *mine2 = temp_name (me, "b-more");
  g_autofree char *longer = g_strdup_printf (FS_TMP_PREFIX "%ld1-c", (long) me);
  g_autofree char *other = temp_name (getppid (), "d");
  g_autofree char *regular = g_strdup_printf ("%ld-a", (long) me);

  put_root_file (f, mine1, "partial");
  put_root_file (f, mine2, "partial");
  put_root_file (f, longer, "partial");
  put_root_file (f, other, "partial");
  put_root_file (f, regular, "regular");

  fs_store_cleanup_pid (f->store, me);

  g_assert_false (root_has (f, mine1));
  g_assert_false (root_has (f, mine2));
  g_assert_true (root_has (f, longer));
  g_assert_true (root_has (f, other));
  assert_root_content (f, regular, "regular", 7);

  /* A dead pid's files go the same way. */
  {
    pid_t dead = dead_pid ();
    g_autofree char *gone = temp_name (dead, "x");

    put_root_file (f, gone, "partial");
    fs_store_cleanup_pid (f->store, dead);
    g_assert_false (root_has (f, gone));
    g_assert_true (root_has (f, other));
  }
}

static void
test_cleanup_spares_live_upload (Fixture *f, gconstpointer data)
{
  /* A second store opened on the same root (a restarted worker, say) must
   * not remove the temporary file of an upload still in progress. */
  g_autoptr(GError) error = NULL;
  g_autoptr(FsUpload) up = fs_upload_begin (f->store, "live", 0, &error);
  g_autofree char *stored = NULL;

  g_assert_no_error (error);
  g_assert_true (fs_upload_write (up, (const guint8 *) "12345", 5, &error));
  g_assert_cmpuint (count_temp_files (f, getpid ()), ==, 1);
  {
    g_autoptr(FsStore) second = fs_store_open (f->root, &error);

    g_assert_no_error (error);
    g_assert_nonnull (second);
  }
  g_assert_cmpuint (count_temp_files (f, getpid ()), ==, 1);
  g_assert_true (fs_upload_write (up, (const guint8 *) "6789", 4, &error));
  stored = fs_upload_commit (up, &error);
  g_assert_no_error (error);
  assert_root_content (f, "live", "123456789", 9);
  assert_no_hidden_files (f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/name/accepts", test_name_accepts);
  g_test_add_func ("/store/name/rejects", test_name_rejects);
  g_test_add_func ("/store/guess-extension", test_guess_extension);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/store/open/creates-parents", test_open_creates_parents);
  ADD ("/store/open/fails", test_open_fails);
  ADD ("/store/list/filtered", test_list);
  ADD ("/store/list/empty", test_list_empty);
  ADD ("/store/list/many", test_list_many);
  ADD ("/store/list/sorted-bytewise", test_list_sorted_bytewise);
  ADD ("/store/read/basic", test_read);
  ADD ("/store/read/missing", test_read_missing);
  ADD ("/store/read/bad-names", test_read_bad_names);
  ADD ("/store/read/symlink", test_read_symlink);
  ADD ("/store/read/fifo", test_read_fifo);
  ADD ("/store/delete/basic", test_delete);
  ADD ("/store/delete/missing", test_delete_missing);
  ADD ("/store/delete/symlink", test_delete_symlink);
  ADD ("/store/delete/other-kinds", test_delete_other_kinds);
  ADD ("/store/upload/atomic-new", test_upload_atomic_new);
  ADD ("/store/upload/atomic-overwrite", test_upload_atomic_overwrite);
  ADD ("/store/upload/abort", test_upload_abort);
  ADD ("/store/upload/too-large", test_upload_too_large);
  ADD ("/store/upload/unnamed", test_upload_unnamed);
  ADD ("/store/upload/bad-names", test_upload_bad_names);
  ADD ("/store/upload/over-symlink", test_upload_over_symlink);
  ADD ("/store/upload/over-directory", test_upload_over_directory);
  ADD ("/store/upload/concurrent-same-name", test_upload_concurrent_same_name);
  ADD ("/store/upload/reader-keeps-old", test_upload_reader_keeps_old);
  ADD ("/store/upload/race", test_upload_race);
  ADD ("/store/cleanup/on-open", test_cleanup_on_open);
  ADD ("/store/cleanup/pid", test_cleanup_pid);
  ADD ("/store/cleanup/spares-live-upload", test_cleanup_spares_live_upload);

#undef ADD

  return g_test_run ();
}
