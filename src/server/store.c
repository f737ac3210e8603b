/* store.c: the server's root directory, confined to one directory fd. */
#include "config.h"

#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>

#include "dirscan.h"
#include "errors.h"
#include "util.h"

struct _FsStore {
  char *path;   /* (owned) */
  int   dirfd;
};

struct _FsUpload {
  FsStore   *store;     /* (unowned) */
  char      *name;      /* (owned) (nullable) NULL: name from content */
  char      *tmpname;   /* (owned) */
  int        fd;
  guint64    size;
  guint64    max_size;
  GChecksum *md5;       /* (owned) (nullable) only for unnamed uploads */
  guint8     head[8];   /* first bytes, for the extension */
  gsize      head_len;
  gboolean   committed;
};

gboolean
fs_name_validate (const char *name, gssize len, GError **error)
{
  const char *p, *end;
  gsize n = len < 0 ? strlen (name) : (gsize) len;
  const char *why = NULL;

  if (n == 0)
    why = "it is empty";
  else if (n > FS_NAME_MAX)
    why = "it is longer than 255 bytes";
  else if (memchr (name, '\0', n) != NULL)
    why = "it contains a NUL byte";
  else if (!g_utf8_validate_len (name, n, NULL))
    why = "it is not valid UTF-8";
  else if (memchr (name, '/', n) != NULL)
    why = "it contains '/'";
  else if (name[0] == '.')
    why = "it starts with '.'";
  else
    {
      end = name + n;
      for (p = name; p < end; p = g_utf8_next_char (p))
        if (g_unichar_iscntrl (g_utf8_get_char (p)))
          {
            why = "it contains a control character";
            break;
          }
    }

  if (why == NULL)
    return TRUE;
  g_set_error (error, FS_ERROR, FS_ERROR_BAD_NAME, "invalid file name: %s", why);
  return FALSE;
}

/* Parses the pid out of ".fstmp-<pid>-...", or returns 0. */
static pid_t
tmp_name_pid (const char *name)
{
  const char *p;
  char *end = NULL;
  guint64 pid;

  if (!g_str_has_prefix (name, FS_TMP_PREFIX))
    return 0;
  p = name + strlen (FS_TMP_PREFIX);
  pid = g_ascii_strtoull (p, &end, 10);
  if (end == p || *end != '-' || pid == 0 || pid > G_MAXINT32)
    return 0;
  return (pid_t) pid;
}

typedef gboolean (*TmpFilter) (pid_t pid, gpointer data);

static void
remove_tmp_files (FsStore *store, TmpFilter filter, gpointer data)
{
  /* A fresh open file description per listing (dirscan.c), so concurrent
   * listings in threads do not share one directory offset. */
  g_autofree FsDirScan *scan = g_new (FsDirScan, 1);
  const char *name;
  guint8 type;
  int errsv;

  if (!fs_dir_scan_open (scan, store->dirfd))
    return;
  while ((name = fs_dir_scan_next (scan, &type, &errsv)) != NULL)
    {
      pid_t pid = tmp_name_pid (name);
      if (pid != 0 && filter (pid, data))
        unlinkat (store->dirfd, name, 0);
    }
  fs_dir_scan_close (scan);
}

static gboolean
pid_is_dead (pid_t pid, gpointer data)
{
  return kill (pid, 0) < 0 && errno == ESRCH;
}

static gboolean
pid_is (pid_t pid, gpointer data)
{
  return pid == *(pid_t *) data;
}

FsStore *
fs_store_open (const char *path, GError **error)
{
  g_autoptr(FsStore) store = g_new0 (FsStore, 1);

  store->dirfd = -1;
  store->path = g_strdup (path);
  if (g_mkdir_with_parents (path, 0755) < 0)
    {
      fs_set_errno_error (error, errno, "cannot create root directory %s", path);
      return NULL;
    }
  store->dirfd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (store->dirfd < 0)
    {
      fs_set_errno_error (error, errno, "cannot open root directory %s", path);
      return NULL;
    }
  remove_tmp_files (store, pid_is_dead, NULL);
  return g_steal_pointer (&store);
}

void
fs_store_free (FsStore *store)
{
  if (store == NULL)
    return;
  if (store->dirfd >= 0)
    close (store->dirfd);
  g_free (store->path);
  g_free (store);
}

const char *
fs_store_path (FsStore *store)
{
  return store->path;
}

int
fs_store_dirfd (FsStore *store)
{
  return store->dirfd;
}

void
fs_store_cleanup_pid (FsStore *store, pid_t pid)
{
  remove_tmp_files (store, pid_is, &pid);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
fs_store_list (FsStore *store, GError **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  /* On the stack: 32 KiB, and a listing's only memory besides the names. */
  FsDirScan scan;
  const char *name;
  guint8 type;
  int errsv;

  if (!fs_dir_scan_open (&scan, store->dirfd))
    {
      fs_set_errno_error (error, errno, "cannot open the root directory");
      return NULL;
    }
  while ((name = fs_dir_scan_next (&scan, &type, &errsv)) != NULL)
    {
      struct stat st;

      if (name[0] == '.' || !fs_name_validate (name, -1, NULL))
        continue;
      if (type != DT_REG)
        {
          if (type != DT_UNKNOWN)
            continue;
          if (fstatat (store->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0
              || !S_ISREG (st.st_mode))
            continue;
        }
      g_ptr_array_add (names, g_strdup (name));
    }
  fs_dir_scan_close (&scan);
  if (errsv != 0)
    {
      fs_set_errno_error (error, errsv, "cannot read the root directory");
      return NULL;
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

static gboolean
not_found (GError **error, const char *name)
{
  g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND, "file not found: %s", name);
  return FALSE;
}

int
fs_store_open_read (FsStore *store, const char *name, guint64 *size, GError **error)
{
  struct stat st;
  int flags;
  int fd;

  if (!fs_name_validate (name, -1, error))
    return -1;
  /* O_NOFOLLOW: a link is never followed, wherever it points. O_NONBLOCK:
   * opening a FIFO must not hang the session; it is refused below. */
  fd = openat (store->dirfd, name,
               O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    {
      int errsv = errno;
      if (errsv == ENOENT || errsv == ELOOP || errsv == ENXIO)
        not_found (error, name);
      else
        fs_set_errno_error (error, errsv, "cannot open %s", name);
      return -1;
    }
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      not_found (error, name);
      return -1;
    }
  flags = fcntl (fd, F_GETFL);
  if (flags < 0 || fcntl (fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
    {
      int errsv = errno;
      close (fd);
      fs_set_errno_error (error, errsv, "cannot open %s", name);
      return -1;
    }
  posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  *size = (guint64) st.st_size;
  return fd;
}

gboolean
fs_store_delete (FsStore *store, const char *name, GError **error)
{
  struct stat st;

  if (!fs_name_validate (name, -1, error))
    return FALSE;
  if (fstatat (store->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    {
      if (errno == ENOENT)
        return not_found (error, name);
      return fs_set_errno_error (error, errno, "cannot delete %s", name);
    }
  if (!S_ISREG (st.st_mode))
    return not_found (error, name);
  if (unlinkat (store->dirfd, name, 0) < 0)
    {
      if (errno == ENOENT)
        return not_found (error, name);
      return fs_set_errno_error (error, errno, "cannot delete %s", name);
    }
  return TRUE;
}

FsUpload *
fs_upload_begin (FsStore *store, const char *name, guint64 max_size, GError **error)
{
  static gint counter;
  g_autoptr(FsUpload) up = NULL;

  if (name != NULL && !fs_name_validate (name, -1, error))
    return NULL;

  up = g_new0 (FsUpload, 1);
  up->store = store;
  up->fd = -1;
  up->name = g_strdup (name);
  up->max_size = max_size;
  if (name == NULL)
    up->md5 = g_checksum_new (G_CHECKSUM_MD5);

  for (int attempt = 0; up->fd < 0; attempt++)
    {
      g_free (up->tmpname);
      up->tmpname = g_strdup_printf (FS_TMP_PREFIX "%ld-%d-%08x", (long) getpid (),
                                     g_atomic_int_add (&counter, 1), g_random_int ());
      up->fd = openat (store->dirfd, up->tmpname,
                       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
      if (up->fd < 0 && (errno != EEXIST || attempt >= 100))
        {
          fs_set_errno_error (error, errno, "cannot create a temporary file for the upload");
          g_clear_pointer (&up->tmpname, g_free);
          return NULL;
        }
    }
  return g_steal_pointer (&up);
}

gboolean
fs_upload_too_large (guint64 max_size, GError **error)
{
  g_autofree char *limit = g_format_size_full (max_size, G_FORMAT_SIZE_IEC_UNITS);

  g_set_error (error, FS_ERROR, FS_ERROR_TOO_LARGE, "upload too large: the limit is %s", limit);
  return FALSE;
}

gboolean
fs_upload_write (FsUpload *up, const guint8 *data, gsize len, GError **error)
{
  if (up->max_size != 0 && (up->size + len < up->size || up->size + len > up->max_size))
    return fs_upload_too_large (up->max_size, error);
  if (up->head_len < sizeof up->head)
    {
      gsize n = MIN (len, sizeof up->head - up->head_len);
      memcpy (up->head + up->head_len, data, n);
      up->head_len += n;
    }
  if (up->md5 != NULL)
    g_checksum_update (up->md5, data, len);

  if (!fs_write_all (up->fd, data, len, up->name ? up->name : "the upload", error))
    return FALSE;
  up->size += len;
  return TRUE;
}

guint64
fs_upload_size (FsUpload *up)
{
  return up->size;
}

const char *
fs_guess_extension (const guint8 *head, gsize len)
{
  static const struct { const char *magic; gsize len; const char *ext; } magics[] = {
    { "\x89PNG\r\n\x1a\n", 8, ".png" },
    { "\xff\xd8\xff", 3, ".jpeg" },
    { "%PDF", 4, ".pdf" },
    { "GIF87a", 6, ".gif" },
    { "GIF89a", 6, ".gif" },
    { "PK\x03\x04", 4, ".zip" },
    { "ID3", 3, ".mpeg" },
    { "\xff\xfb", 2, ".mpeg" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (magics); i++)
    if (len >= magics[i].len && memcmp (head, magics[i].magic, magics[i].len) == 0)
      return magics[i].ext;
  return "";
}

/* Removes the temporary file after a failed commit. */
static char *
commit_failed (FsUpload *up)
{
  unlinkat (up->store->dirfd, up->tmpname, 0);
  g_clear_pointer (&up->tmpname, g_free);
  return NULL;
}

char *
fs_upload_commit (FsUpload *up, GError **error)
{
  g_autofree char *final = NULL;
  int fd = up->fd;

  up->fd = -1;
  if (fsync (fd) < 0)
    {
      int errsv = errno;
      close (fd);
      fs_set_errno_error (error, errsv, "cannot flush the upload to disk");
      return commit_failed (up);
    }
  if (close (fd) < 0)
    {
      fs_set_errno_error (error, errno, "cannot close the upload");
      return commit_failed (up);
    }

  if (up->name != NULL)
    final = g_strdup (up->name);
  else
    final = g_strconcat (g_checksum_get_string (up->md5),
                         fs_guess_extension (up->head, up->head_len), NULL);

  if (renameat (up->store->dirfd, up->tmpname, up->store->dirfd, final) < 0)
    {
      fs_set_errno_error (error, errno, "cannot store %s", final);
      return commit_failed (up);
    }
  up->committed = TRUE;
  /* Make the rename itself durable; a failure here loses nothing readers
   * can see, so it is not reported. */
  fsync (up->store->dirfd);
  return g_steal_pointer (&final);
}

void
fs_upload_free (FsUpload *up)
{
  if (up == NULL)
    return;
  if (up->fd >= 0)
    close (up->fd);
  if (!up->committed && up->tmpname != NULL)
    unlinkat (up->store->dirfd, up->tmpname, 0);
  if (up->md5 != NULL)
    g_checksum_free (up->md5);
  g_free (up->name);
  g_free (up->tmpname);
  g_free (up);
}
