/* listeners.h: the server's listening sockets: binding them, the ready
 * line, and closing them on a stop signal. Shared by the server, which
 * binds them, and every concurrency model, which announces, watches and
 * closes them. */
#pragma once

#include <signal.h>

#include <gio/gio.h>

#include "server-config.h"

G_BEGIN_DECLS

/* Binds and listens on each of addresses (GInetSocketAddress, as
 * fs_resolve() gives them), as nginx does for `listen localhost:80`:
 * returns a GPtrArray of GSocket in the same order. When the first
 * address's port is 0 the kernel chooses a free one, and the others bind
 * that same port. An address already in use is said once, with what to
 * do about it. */
GPtrArray *fs_server_listen (GPtrArray *addresses, GError **error);

/* Writes config's port file and prints the "listening on" line, then an
 * "also listening on" line for each further listener. */
gboolean fs_server_announce (const FsServerConfig *config, GPtrArray *listeners,
                             GError **error);

/* Starts a thread that waits for one of signals (which the caller has
 * blocked in every thread), then cancels stop and closes this process's
 * copy of every listener. A thread can do what a signal handler cannot: the
 * accept and every session waiting for a request give up at once, while
 * sessions in the middle of one finish it; and once every process has
 * let go of the socket, the kernel refuses new connections instead of
 * queueing them for nobody. */
void fs_server_watch_signals (GCancellable *stop, const sigset_t *signals,
                              GPtrArray *listeners);
/* Closes this process's copy of every listener. */
void fs_server_close_listeners (GPtrArray *listeners);

G_END_DECLS
