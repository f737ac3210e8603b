/* dirscan.h: reading a directory's entries from a descriptor, with one
 * fixed buffer and no allocation. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FS_DIR_SCAN_BUFFER (32 * 1024)

typedef struct {
  int      fd;
  gsize    pos, len;                 /* the entries in buf not yet taken */
  gpointer dir;                      /* DIR *, where there is no getdents64 */
  guint64  buf[FS_DIR_SCAN_BUFFER / sizeof (guint64)]; /* aligned for dirent64 */
} FsDirScan;

/* Opens the directory dirfd refers to, afresh (its own offset). FALSE
 * with errno set on failure. */
gboolean    fs_dir_scan_open  (FsDirScan *scan, int dirfd);
/* The next entry's name, "." and ".." included, and its d_type (DT_*);
 * NULL at the end (*errsv 0) or on failure (*errsv the errno). The name
 * lasts until the next call. */
const char *fs_dir_scan_next  (FsDirScan *scan, guint8 *type, int *errsv);
void        fs_dir_scan_close (FsDirScan *scan);

G_END_DECLS
