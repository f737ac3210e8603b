/* accept.h: waiting for and taking one connection from the listening
 * sockets that all of a server's threads or worker processes share. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _FsAcceptor FsAcceptor;

/* One per thread or worker process that accepts: it is not shared.
 * listeners: the GSocket of each address the server listens on, at least
 * one. stop ends a wait in fs_acceptor_accept(). */
FsAcceptor *fs_acceptor_new   (GPtrArray *listeners, GCancellable *stop, GError **error);
void        fs_acceptor_free  (FsAcceptor *acceptor);

/* Waits until a connection comes or stop is cancelled, and takes it.
 * Returns the connected socket's descriptor, which the caller closes, or
 * -1 with G_IO_ERROR_CANCELLED when stopped, or another error (out of
 * file descriptors, say). The descriptor is non-blocking (O_NONBLOCK,
 * which a GSocket's is too), with close-on-exec. */
int         fs_acceptor_accept (FsAcceptor *acceptor, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsAcceptor, fs_acceptor_free)

G_END_DECLS
