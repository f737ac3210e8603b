/* content.h: deterministic test content.
 *
 * The bytes of the test file (name, size) come from a counter-mode PRNG
 * keyed by the name and the size, so any reader can regenerate them at any
 * offset and verify a download while it streams, without a stored copy.
 * Generation runs at memory speed (a few GB/s), well above the network. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint64 key;     /* from name and size */
  guint64 size;
  guint64 offset;  /* next byte to produce */
} FsContent;

void    fs_content_init (FsContent *c, const char *name, guint64 size);
/* Moves to offset (<= size). */
void    fs_content_seek (FsContent *c, guint64 offset);
/* Writes the next min(len, size - offset) bytes into buf and returns how
 * many. */
gsize   fs_content_fill (FsContent *c, guint8 *buf, gsize len);
/* The same as an upload's source (an FsClientSource, client.h): content
 * is the FsContent. Never fails. */
gssize  fs_content_source (guint8 *buf, gsize len, gpointer content, GError **error);
/* Compares data with the next len bytes of content, advancing. Returns
 * FALSE on the first mismatch or if data runs past the end, setting
 * *mismatch to the offset of the first bad byte. */
gboolean fs_content_check (FsContent *c, const guint8 *data, gsize len, guint64 *mismatch);

/* The MD5 of the whole content of name and size, in lower-case hex,
 * computed in fixed blocks (newly allocated). */
char   *fs_content_md5 (const char *name, guint64 size);

/* The test file name for a volume of mb MiB: "file_10mb.bin",
 * "file_0.5mb.bin" (shortest form of the number). */
char   *fs_content_name (double mb);
/* The size in bytes of a volume of mb MiB, rounded to the nearest byte. */
guint64 fs_content_size (double mb);

G_END_DECLS
