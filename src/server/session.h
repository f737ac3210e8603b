/* session.h: one connection, as a machine that the server's models
 * drive: the protocol core that the blocking models (thread, process)
 * and the event model share.
 *
 * The machine holds everything about a connection: what has arrived and
 * not yet been handled, the answer not yet sent, the file being sent or
 * received, the counters and the time limits. Each model only waits: a
 * blocking one in poll(2) on the one socket (fs_session_serve()), the
 * event model in one epoll set for many. fs_session_run() does the
 * socket's reads and writes itself, without blocking, and says what it
 * waits for; no command is handled anywhere else. */
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
   * gives up; one in the middle of a request finishes it first. Read by
   * fs_session_serve() alone: the event model calls fs_session_stop(). */
  GCancellable *stop;         /* (unowned) */
} FsSessionConfig;

typedef struct _FsSession FsSession;
/* Buffers kept from one connection to the next by one thread, which
 * takes them for a connection only while it has a request under way:
 * an idle connection holds none. Not shared between threads. */
typedef struct _FsSessionCache FsSessionCache;

typedef enum {
  FS_SESSION_WAIT_IN,  /* call fs_session_run() again once readable */
  FS_SESSION_WAIT_OUT, /* ... once writable */
  /* call fs_session_work(), which may block on the disk, then
   * fs_session_run() again */
  FS_SESSION_WAIT_WORK,
  FS_SESSION_CLOSED,   /* the connection is closed: fs_session_free() */
} FsSessionWait;

/* keep: how many sets of buffers the cache keeps when none is in use. */
FsSessionCache *fs_session_cache_new  (guint keep);
void            fs_session_cache_free (FsSessionCache *cache);

/* Starts serving fd, a connected TCP socket's non-blocking descriptor,
 * which the session owns from here on. Counts the connection. cache is
 * the calling thread's, and must outlive the session. */
FsSession    *fs_session_new      (const FsSessionConfig *config, int fd, FsSessionCache *cache);
/* Reads, handles, answers and sends as far as the socket allows without
 * blocking, and says what the session now waits for. Also ends a wait
 * whose time (fs_session_deadline()) is out. */
FsSessionWait fs_session_run      (FsSession *s);
/* Does the file work the session waits for (an upload's fsync and
 * rename): in the calling thread, which need not be the one that runs
 * the session, as long as nothing else touches it meanwhile. */
void          fs_session_work     (FsSession *s);
/* The monotonic time (g_get_monotonic_time()) at which the current wait
 * runs out and fs_session_run() must be called even without readiness;
 * 0 for never. */
gint64        fs_session_deadline (FsSession *s);
/* The server stops: a session waiting for its next request ends at its
 * next fs_session_run(); one in the middle of a request finishes it. */
void          fs_session_stop     (FsSession *s);
int           fs_session_fd       (FsSession *s);
/* Counts the connection's end (clean or not) and closes it. Returns TRUE
 * when it ended cleanly. */
gboolean      fs_session_free     (FsSession *s);

/* The blocking models: serves fd (as fs_session_new()) until the client
 * closes it, it stays idle past the idle timeout, the stream can no
 * longer be trusted, or config->stop is cancelled. Returns TRUE when it
 * ended cleanly. */
gboolean fs_session_serve (const FsSessionConfig *config, int fd);

G_END_DECLS
