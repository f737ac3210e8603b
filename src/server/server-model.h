/* server-model.h: the server's concurrency models, one row each in the
 * table that fs_server_run() (server.c) chooses from by --mode, as
 * iperf3's struct protocol or Redis's ae backends. A model gets the
 * listening sockets, how to serve a connection and the stop signal; it
 * accepts, serves and closes its connections itself, in threads, in
 * worker processes or in event loops. What every
 * model shares sits below them all (listeners.h, accept.h, session.h). */
#pragma once

#include <signal.h>

#include <gio/gio.h>

#include "listeners.h"
#include "server-config.h"
#include "session.h"

G_BEGIN_DECLS

typedef struct {
  /* --pool, --grace, and what the ready line says (fs_server_announce()). */
  const FsServerConfig *config;
  /* GSocket, bound and listening, one per address of config->host. */
  GPtrArray            *listeners;
  /* How each connection is served: the store, the counters, the limits.
   * Its stop is left for the model to set, in each of its processes, to
   * the GCancellable that the stop signal cancels. */
  FsSessionConfig       session;
  /* The signals that stop the server, SIGINT and SIGTERM: the model blocks
   * them before it starts a thread, waits for them, and then lets the
   * requests under way finish within config->grace. */
  const sigset_t       *stop;
} FsServerModelArgs;

typedef struct {
  FsMode mode;  /* the --mode that chooses it */
  /* Serves until the stop signal. Returns an FS_SERVER_EXIT_* code once
   * the server has stopped; on failure *error says why. */
  int  (*run) (const FsServerModelArgs *args, GError **error);
} FsServerModel;

extern const FsServerModel fs_server_model_thread;  /* server-thread.c */
extern const FsServerModel fs_server_model_process; /* server-process.c */
#ifdef __linux__
extern const FsServerModel fs_server_model_event;   /* server-event.c */
#endif

G_END_DECLS
