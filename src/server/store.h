/* store.h: the server's root directory.
 *
 * Everything is opened relative to one directory fd with O_NOFOLLOW, and
 * names are checked against the rules of PROTOCOL.md first, so no request
 * reaches outside the root, links included. Uploads go to a hidden
 * temporary file (".fstmp-<pid>-...") that is fsync()ed and renamed over
 * the final name only when complete: a reader sees old or new, never a mix,
 * and a failed upload leaves no trace.
 *
 * Error messages name files by their names in the root, never by the
 * root's own path: they are sent to clients, who have no business
 * knowing the server's directory layout. */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

#define FS_NAME_MAX 255
/* Prefix of temporary upload files; every hidden name is reserved anyway. */
#define FS_TMP_PREFIX ".fstmp-"

/* Checks a file name (len bytes, not NUL-terminated necessarily) against
 * the rules: 1..255 bytes, valid UTF-8, no '/', NUL or control characters,
 * not starting with '.'. Fails with FS_ERROR_BAD_NAME and a message that
 * says which rule was broken. */
gboolean fs_name_validate (const char *name, gssize len, GError **error);

typedef struct _FsStore FsStore;

/* Opens (creating it and its parents if missing) the root directory, and
 * removes temporary files left by processes that no longer exist. */
FsStore    *fs_store_open  (const char *path, GError **error);
void        fs_store_free  (FsStore *store);
const char *fs_store_path  (FsStore *store);
int         fs_store_dirfd (FsStore *store);
/* Removes the temporary files that process pid left behind (the process
 * mode supervisor calls this for a worker that died). */
void        fs_store_cleanup_pid (FsStore *store, pid_t pid);

/* The regular files in the root whose names follow the rules, sorted
 * bytewise; temporary files never appear. NULL-terminated, owned. */
GStrv    fs_store_list   (FsStore *store, GError **error);
/* Opens a regular file for reading; returns the fd (>= 0) and its size, or
 * -1 with FS_ERROR_NOT_FOUND / FS_ERROR_BAD_NAME / a G_IO_ERROR. */
int      fs_store_open_read (FsStore *store, const char *name, guint64 *size,
                             GError **error);
gboolean fs_store_delete (FsStore *store, const char *name, GError **error);

typedef struct _FsUpload FsUpload;

/* Starts an upload. name may be NULL: the stored name is then the hex MD5 of
 * the content plus an extension guessed from its first bytes. Content past
 * max_size bytes fails with FS_ERROR_TOO_LARGE (0 means no limit). */
FsUpload   *fs_upload_begin  (FsStore *store, const char *name, guint64 max_size,
                              GError **error);
gboolean    fs_upload_write  (FsUpload *up, const guint8 *data, gsize len,
                              GError **error);
/* Sets FS_ERROR_TOO_LARGE for an upload past max_size bytes (the message
 * names the limit) and returns FALSE. */
gboolean    fs_upload_too_large (guint64 max_size, GError **error);
guint64     fs_upload_size   (FsUpload *up);
/* Flushes to disk, renames into place and returns the stored name (owned).
 * On failure the temporary file is removed. */
char       *fs_upload_commit (FsUpload *up, GError **error);
/* Removes the temporary file unless committed, and frees. */
void        fs_upload_free   (FsUpload *up);

/* The extension (".png", ...) guessed from the first bytes of content, or
 * "" when nothing matches. */
const char *fs_guess_extension (const guint8 *head, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsStore, fs_store_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsUpload, fs_upload_free)

G_END_DECLS
