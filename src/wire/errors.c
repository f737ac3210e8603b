/* errors.c: the filestorm error domain. */
#include "config.h"

#include "errors.h"

#include <stdarg.h>

#include <gio/gio.h>

G_DEFINE_QUARK (filestorm-error-quark, fs_error)

gboolean
fs_set_errno_error (GError **error, int errsv, const char *fmt, ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, fmt);
  what = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
               "%s: %s", what, g_strerror (errsv));
  return FALSE;
}
