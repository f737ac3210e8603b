/* stress-target.h: filestorm-stress --target, a server already running.
 *
 * Nothing is started: the pool scenarios run against HOST:PORT, and the
 * matrix's mode and server-pool axes only label the results, each with
 * one value, given or read from the server's STATS. */
#pragma once

#include <gio/gio.h>

#include "scenario.h"

G_BEGIN_DECLS

typedef struct {
  GPtrArray *addresses; /* (owned) what HOST resolved to, once */
  char    *host;       /* (owned) the numeric address of the one that accepted */
  guint    port;
  char    *where;      /* (owned) host and port as HOST:PORT, [HOST]:PORT for IPv6 */
  FsMode   mode;       /* the label of the mode axis */
  guint    pool;       /* the label of the server-pool axis */
  gboolean from_stats; /* a label came from the server's STATS */
} FsStressTarget;

void     fs_stress_target_clear (FsStressTarget *target);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FsStressTarget, fs_stress_target_clear)

/* Parses "HOST:PORT" ("[::1]:7000" for IPv6) and resolves HOST once,
 * to every address it has. HOST must be a loopback address, or resolve
 * only to loopback addresses, unless allow_remote. An FS_ERROR_USAGE
 * error for a bad or remote target. */
gboolean fs_stress_target_parse (const char *text, gboolean allow_remote,
                                 FsStressTarget *target, GError **error);

/* Connects to the first of the target's addresses that accepts: that
 * one becomes target->host (numeric), which every connection then uses.
 * Then fills the labels: label_mode (nullable) and label_pool (0: not given),
 * else the server's STATS mode and pool. A server that cannot be reached
 * is an FS_ERROR_FAILED error; a label that is neither given nor in
 * STATS, FS_ERROR_USAGE. */
gboolean fs_stress_target_labels (FsStressTarget *target, const char *label_mode,
                                  guint label_pool, GError **error);

/* Makes the matrix's mode and server-pool axes the target's labels. */
void     fs_stress_target_apply (const FsStressTarget *target, FsMatrix *matrix);

G_END_DECLS
