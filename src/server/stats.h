/* stats.h: the server's counters.
 *
 * One FsStats lives in memory shared by every process of the server
 * (mmap MAP_SHARED before the process-mode supervisor forks), and every
 * counter is a lock-free 64-bit atomic, so a STATS answer from any worker
 * speaks for the whole server. Counters only grow. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  FS_STAT_CONNECTIONS,
  FS_STAT_REQUESTS,
  FS_STAT_REQUESTS_OK,
  FS_STAT_REQUESTS_FAILED,
  FS_STAT_WORKERS_OK,
  FS_STAT_WORKERS_FAILED,
  FS_STAT_WORKER_RESTARTS,
  FS_STAT_BYTES_IN,
  FS_STAT_BYTES_OUT,
  FS_STAT_N_COUNTERS
} FsStat;

typedef struct _FsStats FsStats;

/* Maps a zeroed block of shared anonymous memory. */
FsStats *fs_stats_new  (const char *mode, guint pool, GError **error);
void     fs_stats_free (FsStats *stats);
void     fs_stats_add  (FsStats *stats, FsStat which, guint64 n);
guint64  fs_stats_get  (FsStats *stats, FsStat which);
/* The member name of a counter in the STATS answer ("bytes_in", ...). */
const char *fs_stats_name (FsStat which);
/* The STATS "data" object: mode, pool, uptime_s, every counter, and pid
 * (the process that answered). */
JsonNode *fs_stats_to_json (FsStats *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsStats, fs_stats_free)

G_END_DECLS
