/* test-store.c: name rules, extension guessing, the root directory:
 * listing, confined reads and deletes. Uploads and temp-file cleanup are
 * in test-store-upload.c; the fixture both use in store-fixture.c. */
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
#include "store-fixture.h"

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

/* --------------------------------------------------------------- basics */

static void
test_open_creates_parents (StoreFixture *f, gconstpointer data)
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
  sf_put_root_file (f, "keep", "kept");
  g_clear_pointer (&f->store, fs_store_free);
  {
    g_autoptr(GError) error = NULL;

    f->store = fs_store_open (f->root, &error);
    g_assert_no_error (error);
    g_assert_nonnull (f->store);
  }
  sf_assert_root_content (f, "keep", "kept", 4);
}

static void
test_open_fails (StoreFixture *f, gconstpointer data)
{
  g_autofree char *file = g_build_filename (f->tmpdir, "plain-file", NULL);
  g_autofree char *under_file = g_build_filename (file, "sub", NULL);

  sf_put_file (file, "x", 1);
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
  sf_assert_path_content (file, "x", 1);
}

static void
test_list (StoreFixture *f, gconstpointer data)
{
  static const char *const regular[] = {
    "b", "a", "B", "a b.txt", "\xc3\xa9", "Z", "file_10MB.bin", "a.bin",
  };
  g_autofree char *dir = sf_in_root (f, "dir");
  g_autofree char *link = sf_in_root (f, "link");
  g_autofree char *dangling = sf_in_root (f, "dangling");
  g_autofree char *dirlink = sf_in_root (f, "dirlink");
  g_autofree char *fifo = sf_in_root (f, "fifo");
  g_autofree char *outside = g_build_filename (f->tmpdir, "outside", NULL);
  g_autofree char *outlink = sf_in_root (f, "outlink");
  g_autofree char *tmpname = g_strdup_printf (FS_TMP_PREFIX "%ld-x", (long) getpid ());
  g_auto(GStrv) names = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (regular); i++)
    sf_put_root_file (f, regular[i], "data");
  /* Things that must not be listed. */
  sf_put_root_file (f, ".hidden", "h");
  sf_put_root_file (f, tmpname, "partial");
  sf_put_root_file (f, "bad\nname", "n");
  sf_put_root_file (f, "ctl\x01", "c");
  sf_put_root_file (f, "del\x7f", "d");
  sf_put_root_file (f, "\xff", "u");
  sf_put_root_file (f, "tab\tname", "t");
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  {
    g_autofree char *inner = g_build_filename (dir, "inner", NULL);
    sf_put_file (inner, "i", 1);
  }
  sf_put_file (outside, "o", 1);
  g_assert_cmpint (symlink ("a", link), ==, 0);
  g_assert_cmpint (symlink ("nowhere", dangling), ==, 0);
  g_assert_cmpint (symlink ("dir", dirlink), ==, 0);
  g_assert_cmpint (symlink (outside, outlink), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);

  names = sf_list_root (f);
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
test_list_many (StoreFixture *f, gconstpointer data G_GNUC_UNUSED)
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
  names = sf_list_root (f);
  g_assert_cmpuint (g_strv_length (names), ==, count);
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *want = many_name (i);
      g_assert_cmpstr (names[i], ==, want);
    }
}

static void
test_list_empty (StoreFixture *f, gconstpointer data)
{
  g_auto(GStrv) names = sf_list_root (f);

  g_assert_cmpuint (g_strv_length (names), ==, 0);
}

static void
test_list_sorted_bytewise (StoreFixture *f, gconstpointer data)
{
  /* Bytewise: not locale collation, not case folding, not natural order. */
  static const char *const created[] = {
    "file10", "file2", "File1", "file1", "_x", "~y", "\xc3\x89", "\xc3\xa9",
    "z", "A", "0", "9", "a", "\xe2\x9c\x93",
  };
  g_auto(GStrv) names = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (created); i++)
    sf_put_root_file (f, created[i], "x");
  names = sf_list_root (f);
  g_assert_cmpstrv (names, ((const char *const[]) {
    "0", "9", "A", "File1", "_x", "a", "file1", "file10", "file2", "z", "~y",
    "\xc3\x89", "\xc3\xa9", "\xe2\x9c\x93", NULL }));
}

static void
test_read (StoreFixture *f, gconstpointer data)
{
  g_autofree guint8 *content = sf_pattern (100000, 7);
  g_autofree char *path = sf_in_root (f, "blob.bin");
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) got = NULL;
  guint64 size = 0;
  int fd;

  sf_put_file (path, content, 100000);
  fd = fs_store_open_read (f->store, "blob.bin", &size, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpuint (size, ==, 100000);
  got = sf_read_fd_all (fd);
  g_assert_cmpmem (got->data, got->len, content, 100000);
  close (fd);

  /* Empty file. */
  sf_put_root_file (f, "empty", "");
  fd = fs_store_open_read (f->store, "empty", &size, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpuint (size, ==, 0);
  close (fd);
}

static void
test_read_missing (StoreFixture *f, gconstpointer data)
{
  sf_assert_read_fails (f, "missing", FS_ERROR_NOT_FOUND);
  sf_assert_read_fails (f, "m\xc3\xa9ssing", FS_ERROR_NOT_FOUND);
}

static void
test_read_bad_names (StoreFixture *f, gconstpointer data)
{
  g_autofree char *sibling = g_build_filename (f->tmpdir, "deep", "er", "x", NULL);

  sf_put_file (sibling, "secret", 6);
  sf_put_root_file (f, ".hidden", "hidden");
  sf_assert_read_fails (f, "../x", FS_ERROR_BAD_NAME);
  sf_assert_read_fails (f, "/etc/passwd", FS_ERROR_BAD_NAME);
  sf_assert_read_fails (f, "a/b", FS_ERROR_BAD_NAME);
  sf_assert_read_fails (f, ".hidden", FS_ERROR_BAD_NAME);
  sf_assert_read_fails (f, ".", FS_ERROR_BAD_NAME);
  sf_assert_read_fails (f, "..", FS_ERROR_BAD_NAME);
  sf_assert_read_fails (f, "", FS_ERROR_BAD_NAME);
  sf_assert_read_fails (f, "bad\nname", FS_ERROR_BAD_NAME);
}

static void
test_read_symlink (StoreFixture *f, gconstpointer data)
{
  g_autofree char *in_link = sf_in_root (f, "in-link");
  g_autofree char *out_link = sf_in_root (f, "out-link");
  g_autofree char *abs_link = sf_in_root (f, "abs-link");
  g_autofree char *dir_link = sf_in_root (f, "dir-link");
  g_autofree char *outside = g_build_filename (f->tmpdir, "outside.txt", NULL);
  g_autofree char *target_abs = sf_in_root (f, "target");
  g_autofree char *dir = sf_in_root (f, "dir");

  sf_put_root_file (f, "target", "inside");
  sf_put_file (outside, "outside", 7);
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  g_assert_cmpint (symlink ("target", in_link), ==, 0);
  g_assert_cmpint (symlink (outside, out_link), ==, 0);
  g_assert_cmpint (symlink (target_abs, abs_link), ==, 0);
  g_assert_cmpint (symlink ("dir", dir_link), ==, 0);

  sf_assert_read_fails (f, "in-link", -1);
  sf_assert_read_fails (f, "out-link", -1);
  sf_assert_read_fails (f, "abs-link", -1);
  sf_assert_read_fails (f, "dir-link", -1);
  sf_assert_read_fails (f, "dir", -1);
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
test_read_fifo (StoreFixture *f, gconstpointer data)
{
  g_autofree char *fifo = sf_in_root (f, "fifo");
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
test_delete (StoreFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  sf_put_root_file (f, "doomed", "bye");
  sf_put_root_file (f, "kept", "stay");
  g_assert_true (fs_store_delete (f->store, "doomed", &error));
  g_assert_no_error (error);
  g_assert_false (sf_root_has (f, "doomed"));
  sf_assert_root_content (f, "kept", "stay", 4);
  names = sf_list_root (f);
  g_assert_cmpstrv (names, ((const char *const[]) { "kept", NULL }));

  /* Gone now. */
  g_assert_false (fs_store_delete (f->store, "doomed", &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_NOT_FOUND);
}

static void
test_delete_missing (StoreFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (fs_store_delete (f->store, "never-there", &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_NOT_FOUND);
}

static void
assert_delete_fails (StoreFixture *f, const char *name, int code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (fs_store_delete (f->store, name, &error));
  g_assert_nonnull (error);
  if (code >= 0)
    g_assert_error (error, FS_ERROR, code);
}

static void
test_delete_symlink (StoreFixture *f, gconstpointer data)
{
  g_autofree char *in_link = sf_in_root (f, "in-link");
  g_autofree char *out_link = sf_in_root (f, "out-link");
  g_autofree char *outside = g_build_filename (f->tmpdir, "outside.txt", NULL);
  GStatBuf st;

  sf_put_root_file (f, "target", "inside");
  sf_put_file (outside, "outside", 7);
  g_assert_cmpint (symlink ("target", in_link), ==, 0);
  g_assert_cmpint (symlink (outside, out_link), ==, 0);

  assert_delete_fails (f, "in-link", -1);
  assert_delete_fails (f, "out-link", -1);

  /* The targets are untouched, and so are the links (ERROR touches
   * nothing). */
  sf_assert_root_content (f, "target", "inside", 6);
  sf_assert_path_content (outside, "outside", 7);
  g_assert_cmpint (g_lstat (in_link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (g_lstat (out_link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
}

static void
test_delete_other_kinds (StoreFixture *f, gconstpointer data)
{
  g_autofree char *dir = sf_in_root (f, "dir");
  g_autofree char *sibling = g_build_filename (f->tmpdir, "deep", "er", "x", NULL);
  g_autofree char *tmpname = g_strdup_printf (FS_TMP_PREFIX "%ld-x", (long) getpid ());

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  sf_put_file (sibling, "secret", 6);
  sf_put_root_file (f, ".hidden", "hidden");
  sf_put_root_file (f, tmpname, "partial");

  assert_delete_fails (f, "dir", -1);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  assert_delete_fails (f, "../x", FS_ERROR_BAD_NAME);
  sf_assert_path_content (sibling, "secret", 6);
  assert_delete_fails (f, ".hidden", FS_ERROR_BAD_NAME);
  sf_assert_root_content (f, ".hidden", "hidden", 6);
  assert_delete_fails (f, tmpname, FS_ERROR_BAD_NAME);
  sf_assert_root_content (f, tmpname, "partial", 7);
  assert_delete_fails (f, "", FS_ERROR_BAD_NAME);
  assert_delete_fails (f, ".", FS_ERROR_BAD_NAME);
  assert_delete_fails (f, "..", FS_ERROR_BAD_NAME);
  assert_delete_fails (f, "/etc/passwd", FS_ERROR_BAD_NAME);
  g_assert_true (g_file_test (f->root, G_FILE_TEST_IS_DIR));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/name/accepts", test_name_accepts);
  g_test_add_func ("/store/name/rejects", test_name_rejects);
  g_test_add_func ("/store/guess-extension", test_guess_extension);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, sf_setup, func, sf_teardown)

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

#undef ADD

  return g_test_run ();
}
