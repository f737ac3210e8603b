/* dirscan.c: a directory's entries with getdents64(2) straight into a
 * fixed buffer.
 *
 * Why not opendir()/readdir(): fdopendir() costs an fstat() and two
 * fcntl() calls on top of the open, and a 32 KiB malloc, on every LIST.
 * On the 2-core VM of issue 12 a trivial system call takes 1.1-1.2 us
 * (getsockopt or fcntl in a loop), and LIST on a new connection costs
 * the server 60-100 us in all: three calls of those are 3-5% of it.
 * Without getdents64 (not Linux) this is readdir(). */
#include "config.h"

#include "dirscan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#if defined(__linux__) && defined(__GLIBC__) \
    && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 30))
#define HAVE_GETDENTS64 1
#endif

gboolean
fs_dir_scan_open (FsDirScan *scan, int dirfd)
{
  scan->pos = scan->len = 0;
  scan->dir = NULL;
  scan->fd = openat (dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (scan->fd < 0)
    return FALSE;
#ifndef HAVE_GETDENTS64
  scan->dir = fdopendir (scan->fd);
  if (scan->dir == NULL)
    {
      int errsv = errno;
      close (scan->fd);
      scan->fd = -1;
      errno = errsv;
      return FALSE;
    }
#endif
  return TRUE;
}

const char *
fs_dir_scan_next (FsDirScan *scan, guint8 *type, int *errsv)
{
#ifdef HAVE_GETDENTS64
  const struct dirent64 *ent;

  *errsv = 0;
  if (scan->pos >= scan->len)
    {
      ssize_t n;

      do
        n = getdents64 (scan->fd, scan->buf, sizeof scan->buf);
      while (n < 0 && errno == EINTR);
      /* A directory removed while open fails with ENOENT: that is its
       * end, as readdir() in glibc takes it too. */
      if (n < 0 && errno != ENOENT)
        {
          *errsv = errno;
          return NULL;
        }
      if (n <= 0)
        return NULL;
      scan->pos = 0;
      scan->len = (gsize) n;
    }
  ent = (const struct dirent64 *) ((const guint8 *) scan->buf + scan->pos);
  scan->pos += ent->d_reclen;
  *type = ent->d_type;
  return ent->d_name;
#else
  struct dirent *ent;

  errno = 0;
  ent = readdir (scan->dir);
  *errsv = ent == NULL ? errno : 0;
  if (ent == NULL)
    return NULL;
  *type = ent->d_type;
  return ent->d_name;
#endif
}

void
fs_dir_scan_close (FsDirScan *scan)
{
  if (scan->dir != NULL)
    closedir (scan->dir);
  else if (scan->fd >= 0)
    close (scan->fd);
  scan->dir = NULL;
  scan->fd = -1;
}
