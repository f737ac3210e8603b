/* server.h: filestorm-server. The main() file parses options into an
 * FsServerConfig (server-config.h) and calls fs_server_run(), which
 * chooses the concurrency model by --mode from the table of models
 * (server-model.h). */
#pragma once

#include <gio/gio.h>

#include "listeners.h"
#include "server-config.h"

G_BEGIN_DECLS

/* Runs the server until SIGINT or SIGTERM. Prints the "listening on" line
 * when ready. Returns an FS_SERVER_EXIT_* code; on failure *error says why. */
int fs_server_run (const FsServerConfig *config, GError **error);

G_END_DECLS
