/* session.h: one connection's request loop, the only code both server modes
 * share. */
#pragma once

#include <gio/gio.h>

#include "stats.h"
#include "store.h"

G_BEGIN_DECLS

typedef struct {
  FsStore      *store;        /* (unowned) */
  FsStats      *stats;        /* (unowned) */
  guint64       max_upload;   /* bytes of decoded content, 0 = no limit */
  guint         idle_timeout; /* seconds, 0 = none */
  /* A request line must arrive within this many seconds of its first
   * byte (0 = no limit); for a one-line UPLOAD, the line up to the start
   * of its content. */
  guint         request_timeout;
  /* Upload content below this many bytes per second over any
   * FS_RATE_WINDOW_S-second window is refused (0 = no minimum). */
  guint64       min_rate;
  /* Cancelled when the server stops. A session waiting for its next request
   * gives up; one in the middle of a request finishes it first. */
  GCancellable *stop;         /* (unowned) */
} FsSessionConfig;

/* Serves one connection, fd a connected TCP socket's non-blocking
 * descriptor, until the client closes it, it stays idle past the idle
 * timeout, the stream can no longer be trusted, or the server stops.
 * Counts the connection, its requests and its outcome in the stats.
 * Returns TRUE when it ended cleanly. Closes fd. */
gboolean fs_session_serve (const FsSessionConfig *config, int fd);

G_END_DECLS
