/* test-store-upload.c: the store's uploads (atomic, aborted, too large,
 * unnamed, racing readers and writers) and the cleanup of the temporary
 * files that dead uploads leave. */
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

/* ------------------------------------------------------------- helpers */

static int
compare_names (gconstpointer a, gconstpointer b)
{
  /* g_ptr_array_sort passes pointers to the elements. */
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The names in the root that start with '.', sorted. */
static GStrv
hidden_names (StoreFixture *f)
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
count_temp_files (StoreFixture *f, pid_t pid)
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
assert_no_hidden_files (StoreFixture *f)
{
  g_auto(GStrv) hidden = hidden_names (f);

  if (hidden[0] != NULL)
    g_test_message ("left behind: %s", hidden[0]);
  g_assert_cmpuint (g_strv_length (hidden), ==, 0);
}

/* Uploads data under name (NULL: unnamed) in chunks of chunk bytes and
 * returns the stored name. */
static char *
upload (StoreFixture *f, const char *name, const void *data, gsize len, gsize chunk)
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

/* -------------------------------------------------------------- uploads */

static void
test_upload_atomic_new (StoreFixture *f, gconstpointer data)
{
  g_autofree guint8 *content = sf_pattern (300000, 11);
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
  g_assert_false (sf_root_has (f, "new.bin"));
  g_assert_cmpuint (count_temp_files (f, getpid ()), ==, 1);
  {
    g_auto(GStrv) names = sf_list_root (f);
    g_assert_cmpuint (g_strv_length (names), ==, 0);
  }
  sf_assert_read_fails (f, "new.bin", FS_ERROR_NOT_FOUND);

  g_assert_true (fs_upload_write (up, content + 150000, 150000, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fs_upload_size (up), ==, 300000);
  stored = fs_upload_commit (up, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, "new.bin");

  sf_assert_root_content (f, "new.bin", content, 300000);
  assert_no_hidden_files (f);
  {
    g_auto(GStrv) names = sf_list_root (f);
    g_assert_cmpstrv (names, ((const char *const[]) { "new.bin", NULL }));
  }

  /* Freeing a committed upload leaves the file alone. */
  g_clear_pointer (&up, fs_upload_free);
  sf_assert_root_content (f, "new.bin", content, 300000);
  assert_no_hidden_files (f);
}

static void
test_upload_atomic_overwrite (StoreFixture *f, gconstpointer data)
{
  g_autofree guint8 *content = sf_pattern (200000, 12);
  g_autoptr(GError) error = NULL;
  g_autoptr(FsUpload) up = NULL;
  g_autofree char *stored = NULL;

  sf_put_root_file (f, "f.txt", "OLD CONTENT");
  up = fs_upload_begin (f->store, "f.txt", 0, &error);
  g_assert_no_error (error);
  g_assert_true (fs_upload_write (up, content, 123456, &error));
  g_assert_no_error (error);

  sf_assert_root_content (f, "f.txt", "OLD CONTENT", 11);
  g_assert_cmpuint (count_temp_files (f, getpid ()), ==, 1);
  {
    g_auto(GStrv) names = sf_list_root (f);
    g_assert_cmpstrv (names, ((const char *const[]) { "f.txt", NULL }));
  }

  g_assert_true (fs_upload_write (up, content + 123456, 200000 - 123456, &error));
  g_assert_no_error (error);
  stored = fs_upload_commit (up, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, "f.txt");
  sf_assert_root_content (f, "f.txt", content, 200000);
  assert_no_hidden_files (f);
}

static void
test_upload_abort (StoreFixture *f, gconstpointer data)
{
  g_autofree guint8 *content = sf_pattern (50000, 13);

  sf_put_root_file (f, "f.txt", "OLD CONTENT");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FsUpload) up = fs_upload_begin (f->store, "f.txt", 0, &error);

    g_assert_no_error (error);
    g_assert_true (fs_upload_write (up, content, 50000, &error));
    g_assert_cmpuint (count_temp_files (f, getpid ()), ==, 1);
    /* Dropped without commit. */
  }
  sf_assert_root_content (f, "f.txt", "OLD CONTENT", 11);
  assert_no_hidden_files (f);

  /* A new name: nothing at all remains. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FsUpload) up = fs_upload_begin (f->store, "fresh", 0, &error);

    g_assert_no_error (error);
    g_assert_true (fs_upload_write (up, content, 50000, &error));
  }
  g_assert_false (sf_root_has (f, "fresh"));
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
    g_auto(GStrv) names = sf_list_root (f);
    g_assert_cmpstrv (names, ((const char *const[]) { "f.txt", NULL }));
  }
}

static void
test_upload_too_large (StoreFixture *f, gconstpointer data)
{
  g_autofree guint8 *content = sf_pattern (64, 14);

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
    sf_assert_root_content (f, "exact", content, 10);
  }

  /* One byte over, across writes. */
  sf_put_root_file (f, "over", "OLD");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FsUpload) up = fs_upload_begin (f->store, "over", 10, &error);

    g_assert_no_error (error);
    g_assert_true (fs_upload_write (up, content, 6, &error));
    g_assert_no_error (error);
    g_assert_false (fs_upload_write (up, content + 6, 5, &error));
    g_assert_error (error, FS_ERROR, FS_ERROR_TOO_LARGE);
  }
  sf_assert_root_content (f, "over", "OLD", 3);
  assert_no_hidden_files (f);

  /* Over in a single write. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FsUpload) up = fs_upload_begin (f->store, "over2", 10, &error);

    g_assert_no_error (error);
    g_assert_false (fs_upload_write (up, content, 64, &error));
    g_assert_error (error, FS_ERROR, FS_ERROR_TOO_LARGE);
  }
  g_assert_false (sf_root_has (f, "over2"));
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
    g_autofree guint8 *big = sf_pattern (3 * 1024 * 1024, 15);
    g_autofree char *stored = upload (f, "big", big, 3 * 1024 * 1024, 65536);

    g_assert_cmpstr (stored, ==, "big");
    sf_assert_root_content (f, "big", big, 3 * 1024 * 1024);
  }
}

static void
test_upload_unnamed (StoreFixture *f, gconstpointer data)
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
    sf_assert_root_content (f, stored, text, strlen (text));
  }
  {
    /* The magic arrives one byte per write: the guess needs the head
     * gathered across writes. */
    g_autofree char *stored = upload (f, NULL, png, sizeof png, 1);

    g_assert_cmpstr (stored, ==, want_png);
    g_assert_true (g_str_has_suffix (stored, ".png"));
    sf_assert_root_content (f, stored, png, sizeof png);
  }
  {
    g_autofree char *stored = upload (f, NULL, pdf, strlen (pdf), 3);

    g_assert_cmpstr (stored, ==, want_pdf);
    sf_assert_root_content (f, stored, pdf, strlen (pdf));
  }
  {
    g_autofree char *stored = upload (f, NULL, "", 0, 1);

    g_assert_cmpstr (stored, ==, md5_empty);
    g_assert_cmpstr (stored, ==, "d41d8cd98f00b204e9800998ecf8427e");
    sf_assert_root_content (f, stored, "", 0);
  }
  {
    /* Same content again: same name, no error. */
    g_autofree char *stored = upload (f, NULL, text, strlen (text), 1000);

    g_assert_cmpstr (stored, ==, md5_text);
  }
  {
    /* Large content, in chunks that cross the MD5 block size. */
    gsize len = 1000003;
    g_autofree guint8 *big = sf_pattern (len, 16);
    g_autofree char *md5_big = NULL;
    g_autofree char *stored = NULL;

    big[0] = 'x'; /* no accidental magic */
    md5_big = g_compute_checksum_for_data (G_CHECKSUM_MD5, big, len);
    stored = upload (f, NULL, big, len, 4097);
    g_assert_cmpstr (stored, ==, md5_big);
    sf_assert_root_content (f, stored, big, len);
  }
  assert_no_hidden_files (f);
  {
    g_auto(GStrv) names = sf_list_root (f);
    g_assert_cmpuint (g_strv_length (names), ==, 5);
  }
}

static void
test_upload_bad_names (StoreFixture *f, gconstpointer data)
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
  g_assert_false (sf_path_exists (sibling));
  assert_no_hidden_files (f);
  {
    g_auto(GStrv) names = sf_list_root (f);
    g_assert_cmpuint (g_strv_length (names), ==, 0);
  }
}

static void
test_upload_over_symlink (StoreFixture *f, gconstpointer data)
{
  /* Whatever happens to the link, the file outside is never written. */
  g_autofree char *outside = g_build_filename (f->tmpdir, "outside.txt", NULL);
  g_autofree char *link = sf_in_root (f, "link");
  g_autoptr(GError) error = NULL;
  g_autoptr(FsUpload) up = NULL;
  g_autofree char *stored = NULL;

  sf_put_file (outside, "outside", 7);
  g_assert_cmpint (symlink (outside, link), ==, 0);
  up = fs_upload_begin (f->store, "link", 0, &error);
  if (up != NULL)
    {
      if (fs_upload_write (up, (const guint8 *) "EVIL", 4, &error))
        stored = fs_upload_commit (up, &error);
      g_clear_pointer (&up, fs_upload_free);
    }
  g_clear_error (&error);
  sf_assert_path_content (outside, "outside", 7);
  assert_no_hidden_files (f);
}

static void
test_upload_over_directory (StoreFixture *f, gconstpointer data)
{
  g_autofree char *dir = sf_in_root (f, "dir");
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
test_upload_concurrent_same_name (StoreFixture *f, gconstpointer data)
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
  sf_assert_root_content (f, "same", "BBBBBB", 6);
  sa = fs_upload_commit (a, &error);
  g_assert_no_error (error);
  sf_assert_root_content (f, "same", "AAAA", 4);
  assert_no_hidden_files (f);
}

static void
test_upload_reader_keeps_old (StoreFixture *f, gconstpointer data)
{
  gsize old_len = 256 * 1024, new_len = 100 * 1024;
  g_autofree guint8 *old_content = sf_pattern (old_len, 21);
  g_autofree guint8 *new_content = sf_pattern (new_len, 22);
  g_autofree char *path = sf_in_root (f, "shared.bin");
  g_autoptr(GError) error = NULL;
  g_autoptr(FsUpload) up = NULL;
  g_autofree char *stored = NULL;
  guint64 size = 0;
  int before, during, after;

  sf_put_file (path, old_content, old_len);
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
    g_autoptr(GByteArray) got = sf_read_fd_all (before);
    g_assert_cmpmem (got->data, got->len, old_content, old_len);
  }
  {
    g_autoptr(GByteArray) got = sf_read_fd_all (during);
    g_assert_cmpmem (got->data, got->len, old_content, old_len);
  }
  {
    g_autoptr(GByteArray) got = sf_read_fd_all (after);
    g_assert_cmpmem (got->data, got->len, new_content, new_len);
  }
  close (before);
  close (during);
  close (after);
}

/* Readers racing an uploader: every read is wholly one version. */
typedef struct {
  StoreFixture      *f;
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
      got = sf_read_fd_all (fd);
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
test_upload_race (StoreFixture *f, gconstpointer data)
{
  Race race = { .f = f };
  g_autoptr(GThread) reader = NULL;

  race.lengths[0] = 70000;
  race.lengths[1] = 130001;
  race.versions[0] = sf_pattern (race.lengths[0], 31);
  race.versions[1] = sf_pattern (race.lengths[1], 32);
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
test_cleanup_on_open (StoreFixture *f, gconstpointer data)
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
  sf_put_root_file (f, dead1, "partial");
  sf_put_root_file (f, dead2, "partial");
  sf_put_root_file (f, live1, "partial");
  sf_put_root_file (f, live2, "partial");
  sf_put_root_file (f, ".hidden", "not a temp file");
  sf_put_root_file (f, "fstmp-999999999-x", "a regular file");

  {
    g_autoptr(GError) error = NULL;

    f->store = fs_store_open (f->root, &error);
    g_assert_no_error (error);
    g_assert_nonnull (f->store);
  }

  g_assert_false (sf_root_has (f, dead1));
  g_assert_false (sf_root_has (f, dead2));
  g_assert_true (sf_root_has (f, live1));
  g_assert_true (sf_root_has (f, live2));
  g_assert_true (sf_root_has (f, ".hidden"));
  sf_assert_root_content (f, "fstmp-999999999-x", "a regular file", 14);
}

static void
test_cleanup_pid (StoreFixture *f, gconstpointer data)
{
  pid_t me = getpid ();
  g_autofree char *mine1 = temp_name (me, "a");
  g_autofree char *mine2 = temp_name (me, "b-more");
  g_autofree char *longer = g_strdup_printf (FS_TMP_PREFIX "%ld1-c", (long) me);
  g_autofree char *other = temp_name (getppid (), "d");
  g_autofree char *regular = g_strdup_printf ("%ld-a", (long) me);

  sf_put_root_file (f, mine1, "partial");
  sf_put_root_file (f, mine2, "partial");
  sf_put_root_file (f, longer, "partial");
  sf_put_root_file (f, other, "partial");
  sf_put_root_file (f, regular, "regular");

  fs_store_cleanup_pid (f->store, me);

  g_assert_false (sf_root_has (f, mine1));
  g_assert_false (sf_root_has (f, mine2));
  g_assert_true (sf_root_has (f, longer));
  g_assert_true (sf_root_has (f, other));
  sf_assert_root_content (f, regular, "regular", 7);

  /* A dead pid's files go the same way. */
  {
    pid_t dead = dead_pid ();
    g_autofree char *gone = temp_name (dead, "x");

    sf_put_root_file (f, gone, "partial");
    fs_store_cleanup_pid (f->store, dead);
    g_assert_false (sf_root_has (f, gone));
    g_assert_true (sf_root_has (f, other));
  }
}

static void
test_cleanup_spares_live_upload (StoreFixture *f, gconstpointer data)
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
  sf_assert_root_content (f, "live", "123456789", 9);
  assert_no_hidden_files (f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, sf_setup, func, sf_teardown)

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
