/* pool-private.h: what pool.c (the clients, the run) shares with
 * pool-prepare.c (what comes before the timed run) and pool-interrupt.c
 * (the signals, below both). Not for the programs, which see only
 * pool.h. */
#pragma once

#include <stdio.h>
#include <sys/types.h>

#include "pool.h"

G_BEGIN_DECLS

/* What every client of a run shares, read-only once the clients start. */
typedef struct {
  const FsPoolConfig *config;
  GPtrArray          *addresses; /* (unowned) what config->host resolved to */
  GSocketAddress     *address;  /* (unowned) the one of them that accepted the
                                 * first setup connection (pool-prepare.c),
                                 * which every later connection uses */
  const char         *file;     /* the test file's name, and its content's key */
  guint64             size;
  gint               *slots;    /* (unowned) clients + 1, see on_signal()
                                 * in pool-interrupt.c */
  const char         *get_name; /* what downloads ask for: the name the server
                                 * stored the file under (file, or its own) */
  const char         *md5;      /* (nullable) the content's MD5 in hex, for
                                 * servers that name uploads by it */
  FsSchedule         *schedule; /* (unowned) (nullable) under a rate, shared */
  FsOpenTally        *open;     /* (unowned) (nullable) under a rate, one per
                                 * client, shared */
} FsPoolJob;

/* ---- pool-op.c ---- */

/* What an operation adds to a tally besides its outcome, to take back
 * when it does not count (cut short, or in the warm-up). */
typedef struct {
  guint64 bytes, transfers, verified, verified_bytes;
} FsPoolMoved;

FsPoolMoved fs_pool_moved (const FsPoolTally *t);

/* One operation, on the connection in *kept when there is one, and left
 * there when it succeeded; kept NULL: on a connection of its own. */
gboolean fs_pool_operation (const FsPoolJob *job, gint *slot, FsPoolTally *t,
                            FsClient **kept, GError **error);

typedef enum {
  FS_POOL_COUNTED,    /* measured: in the counts and the latency */
  FS_POOL_WARMUP,     /* in the warm-up: only a failure is kept */
  FS_POOL_ABANDONED,  /* failed once a signal came: cut short by it */
} FsPoolOutcome;

/* Counts an operation that ran from start_us to end_us (ok, or failed
 * with error) into t, taking back what it moved (before) unless it is
 * measured: it is in the warm-up when warmup says so. */
FsPoolOutcome fs_pool_settle (FsPoolTally *t, const FsPoolMoved *before, gboolean ok,
                              const GError *error, gboolean warmup, gint64 start_us,
                              gint64 end_us);

/* ---- pool-idle.c ---- */

/* n connections to address, opened one after the other (each connect
 * bounded by timeout_s) and never written to: a GPtrArray whose free
 * closes them. The soft limit on open files is raised to the hard one
 * when it cannot hold them beside the clients'. Fails with
 * FS_CLIENT_ERROR_CONNECT, naming the connection that could not be
 * opened, or when interrupted. */
GPtrArray *fs_pool_idle_open (GSocketAddress *address, guint n, guint clients,
                              guint timeout_s, GError **error);

/* ---- pool-open.c ---- */

/* The open loop's client: takes due operations from job->schedule until
 * it is over, or until the drain after it (as long as the duration) has
 * passed, each on its kept connection, and records them in t and
 * job->open[index]. */
void fs_pool_open_client (const FsPoolJob *job, guint index, FsPoolTally *t);
/* After the clients: accounts the operations still due as not sent
 * (stop_us on the monotonic clock) into into. */
void fs_pool_open_drain  (const FsPoolJob *job, gint64 start_us, gint64 stop_us,
                          FsOpenTally *into);

/* ---- pool-interrupt.c ---- */

/* Whether SIGINT or SIGTERM has come (see fs_pool_handle_signals()). */
gboolean fs_pool_interrupted (void);
/* Registers client's socket in slot, for the signal handler to shut down;
 * FALSE (the socket already shut down) when the pool is being
 * interrupted. */
gboolean fs_pool_watch (gint *slot, FsClient *client);
/* Unregisters the slot; once interrupted, makes the close a reset too. */
void     fs_pool_unwatch (gint *slot, FsClient *client);
/* Sets the error of an operation that an interruption stopped; FALSE. */
gboolean fs_pool_interrupted_error (GError **error);
/* The signal that came, 0 before one has. */
int      fs_pool_signal (void);
/* Makes n slots, each -1 (idle), for the handler to read; they are never
 * freed, since a handler may still read them after the run. */
gint    *fs_pool_publish_slots (guint n);
/* The client processes (n of them, pid 0 for one not started) to which
 * the pool passes a signal on; NULL once they have ended. */
void     fs_pool_forward_signals (pid_t *pids, guint n);

/* ---- pool-prepare.c ---- */

/* Before the timed run (pool-prepare.c): asks the server's STATS, and for
 * a download with config->prepare puts the test file in place, setting
 * job->get_name to the name the server stored it under; says on progress
 * (nullable) when it uploaded the file. Counts its connections in
 * result->setup_connections. FALSE when the server cannot be reached or
 * the file cannot be put in place, or when a signal stopped it. */
gboolean fs_pool_prepare (FsPoolJob *job, FsPoolResult *result, FILE *progress,
                          GError **error);

G_END_DECLS
