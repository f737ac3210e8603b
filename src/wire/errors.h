/* errors.h: the filestorm error domain. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FS_ERROR (fs_error_quark ())
GQuark fs_error_quark (void);

typedef enum {
  FS_ERROR_FAILED,       /* anything without a better code */
  FS_ERROR_USAGE,        /* bad option or argument */
  FS_ERROR_BAD_NAME,     /* a file name outside the rules of PROTOCOL.md */
  FS_ERROR_NOT_FOUND,    /* no such regular file in the root */
  FS_ERROR_TOO_LARGE,    /* an upload over --max-upload */
  FS_ERROR_BAD_BASE64,   /* content that is not valid base64 */
  FS_ERROR_PROTOCOL,     /* a request or response outside the protocol */
  FS_ERROR_TOO_SLOW,     /* a request or upload past its time or below its rate */
  FS_ERROR_CUT_OFF,      /* an upload whose client's stream ended before it did */
} FsError;

/* Sets *error to "what: strerror(errsv)" in G_IO_ERROR, with the code
 * errsv maps to; what is a printf format. Returns FALSE. */
gboolean fs_set_errno_error (GError **error, int errsv, const char *fmt, ...)
  G_GNUC_PRINTF (3, 4);

G_END_DECLS
