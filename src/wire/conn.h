/* conn.h: blocking reads and writes with a timeout on a connected
 * socket's descriptor, as GSocket does them, without a GObject per
 * connection. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  int    fd;         /* non-blocking; (unowned) */
  gint64 timeout_us; /* bound on each receive or send; 0 for none */
} FsConn;

/* fd must be non-blocking (O_NONBLOCK). timeout_s 0: no timeout. */
void     fs_conn_init (FsConn *c, int fd, guint timeout_s);

/* Waits until the socket is readable (G_IO_IN) or writable (G_IO_OUT),
 * at most timeout_us (-1: without end), or until cancellable (nullable)
 * is cancelled. Fails with G_IO_ERROR_TIMED_OUT or G_IO_ERROR_CANCELLED. */
gboolean fs_conn_wait (FsConn *c, GIOCondition condition, gint64 timeout_us,
                       GCancellable *cancellable, GError **error);

/* Receives up to len bytes, waiting for them under the timeout: the
 * number received, 0 at end of stream, -1 with error set. */
gssize   fs_conn_receive (FsConn *c, void *buf, gsize len, GCancellable *cancellable,
                          GError **error);

/* Sends all of data, waiting for room under the timeout, which starts
 * again whenever some data goes out. *written (nullable) says how much
 * went out, also on failure. Never raises SIGPIPE. */
gboolean fs_conn_send_all (FsConn *c, const void *data, gsize len, gsize *written,
                           GError **error);

G_END_DECLS
