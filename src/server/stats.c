/* stats.c: the server's counters, in memory shared across processes. */
#include "config.h"

#include "stats.h"

#include <errno.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gio/gio.h>

#include "errors.h"

struct _FsStats {
  atomic_uint_least64_t counters[FS_STAT_N_COUNTERS];
  gint64 started_us;  /* monotonic, the same clock in every process */
  guint  pool;
  char   mode[16];
};

/* Lock-free 64-bit atomics are address-free, so they work on memory shared
 * by forked processes; refuse to build where they are not. */
_Static_assert (ATOMIC_LLONG_LOCK_FREE == 2, "64-bit atomics must be lock-free");

static const char * const names[FS_STAT_N_COUNTERS] = {
  [FS_STAT_CONNECTIONS] = "connections",
  [FS_STAT_REQUESTS] = "requests",
  [FS_STAT_REQUESTS_OK] = "requests_ok",
  [FS_STAT_REQUESTS_FAILED] = "requests_failed",
  [FS_STAT_WORKERS_OK] = "workers_ok",
  [FS_STAT_WORKERS_FAILED] = "workers_failed",
  [FS_STAT_WORKER_RESTARTS] = "worker_restarts",
  [FS_STAT_BYTES_IN] = "bytes_in",
  [FS_STAT_BYTES_OUT] = "bytes_out",
};

FsStats *
fs_stats_new (const char *mode, guint pool, GError **error)
{
  FsStats *stats = mmap (NULL, sizeof *stats, PROT_READ | PROT_WRITE,
                         MAP_SHARED | MAP_ANONYMOUS, -1, 0);

  if (stats == MAP_FAILED)
    {
      fs_set_errno_error (error, errno, "cannot map shared memory for the counters");
      return NULL;
    }
  for (int i = 0; i < FS_STAT_N_COUNTERS; i++)
    atomic_init (&stats->counters[i], 0);
  stats->started_us = g_get_monotonic_time ();
  stats->pool = pool;
  g_strlcpy (stats->mode, mode, sizeof stats->mode);
  return stats;
}

void
fs_stats_free (FsStats *stats)
{
  if (stats != NULL)
    munmap (stats, sizeof *stats);
}

void
fs_stats_add (FsStats *stats, FsStat which, guint64 n)
{
  atomic_fetch_add_explicit (&stats->counters[which], n, memory_order_relaxed);
}

guint64
fs_stats_get (FsStats *stats, FsStat which)
{
  return atomic_load_explicit (&stats->counters[which], memory_order_relaxed);
}

const char *
fs_stats_name (FsStat which)
{
  return names[which];
}

JsonNode *
fs_stats_to_json (FsStats *stats)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gint64 uptime_us = g_get_monotonic_time () - stats->started_us;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "mode");
  json_builder_add_string_value (b, stats->mode);
  json_builder_set_member_name (b, "pool");
  json_builder_add_int_value (b, stats->pool);
  json_builder_set_member_name (b, "uptime_s");
  json_builder_add_int_value (b, uptime_us / G_USEC_PER_SEC);
  for (int i = 0; i < FS_STAT_N_COUNTERS; i++)
    {
      json_builder_set_member_name (b, names[i]);
      json_builder_add_int_value (b, (gint64) fs_stats_get (stats, (FsStat) i));
    }
  json_builder_set_member_name (b, "pid");
  json_builder_add_int_value (b, getpid ());
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
