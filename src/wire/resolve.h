/* resolve.h: from a name to its addresses, and from addresses to the
 * first one that accepts a connection.
 *
 * A name may have several addresses: Debian's stock /etc/hosts gives
 * localhost ::1 and 127.0.0.1. Every program takes all of them, in
 * getaddrinfo()'s order, and a connection tries each in turn until one
 * accepts, as GIO's GSocketClient does with a GNetworkAddress; the server
 * listens on all of them.
 *
 * The resolving is getaddrinfo() in the calling thread, not GResolver
 * (nor GNetworkAddress, which uses it): GLib's resolver starts a worker
 * thread, and the programs that fork after resolving (the pool's process
 * clients, the process-mode server's supervisor) must still be
 * single-threaded when they do. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Every address host resolves to, each with port, in getaddrinfo()'s
 * order and without repeats: a GPtrArray of GInetSocketAddress (owned by
 * the array). passive: for listening (AI_PASSIVE). On failure a
 * G_IO_ERROR_HOST_NOT_FOUND "cannot resolve 'HOST': reason". */
GPtrArray *fs_resolve (const char *host, guint port, gboolean passive, GError **error);

/* Whether address is a loopback one: 127.0.0.0/8, ::1, or ::ffff:127.x. */
gboolean fs_address_is_loopback (GInetSocketAddress *address);
/* The load tools' rule: a server on another machine is loaded only on
 * purpose. TRUE when every one of addresses (what host resolved to) is a
 * loopback one; else FS_ERROR_USAGE "HOST is not a loopback address: ...
 * --allow-remote". */
gboolean fs_check_loopback (const char *host, GPtrArray *addresses, GError **error);
/* fs_resolve() then fs_check_loopback(); a name that does not resolve is
 * FS_ERROR_USAGE too. */
gboolean fs_host_is_loopback (const char *host, GError **error);

/* Connects a TCP socket to addresses[0], then addresses[1], ... (n of
 * them) until one accepts, each within timeout_s seconds (0: no limit);
 * the socket keeps that timeout for its reads and writes. *chosen
 * (nullable) gets the index of the one that accepted. When none does, a
 * G_IO_ERROR (the last failure's code, G_IO_ERROR_TIMED_OUT for a
 * timeout) whose one line names each address once, with why, and asks
 * "is a filestorm-server listening there?" when every one refused. */
GSocket *fs_connect_first (GSocketAddress *const *addresses, guint n, guint timeout_s,
                           guint *chosen, GError **error);

G_END_DECLS
