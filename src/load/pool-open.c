/* pool-open.c: the open loop's client. Under --rate, operations are due
 * on a schedule shared by the whole pool (schedule.h); every client takes
 * the next due one as soon as it is free, waits for its time, runs it on
 * its kept connection, and times it from the due time as well as from
 * the send. */
#include "config.h"

#include "pool-private.h"

#include <errno.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <time.h>

/* The monotonic clock that g_get_monotonic_time() reads, in nanoseconds. */
static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Sleeps until the monotonic clock reads at (ns), in steps of at most
 * 50 ms so that a signal is noticed; FALSE when one came. */
static gboolean
sleep_until (gint64 at)
{
  for (;;)
    {
      gint64 now = now_ns ();
      gint64 until;
      struct timespec ts;

      if (fs_pool_interrupted ())
        return FALSE;
      if (now >= at)
        return TRUE;
      until = MIN (at, now + 50 * 1000000);
      ts.tv_sec = until / 1000000000;
      ts.tv_nsec = until % 1000000000;
      clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
    }
}

static gint64
warmup_ns (const FsPoolConfig *config)
{
  return (gint64) (config->warmup_s * 1e9);
}

void
fs_pool_open_client (const FsPoolJob *job, guint index, FsPoolTally *t)
{
  const FsPoolConfig *config = job->config;
  FsOpenTally *open = &job->open[index];
  gint64 start = t->start_us * 1000;
  gint64 warm = warmup_ns (config);
  /* After the schedule, the operations still due may drain for as long
   * as the duration; the ones left then are not sent. */
  gint64 stop = start + job->schedule->end_ns + (gint64) (config->duration_s * 1e9);
  FsClient *kept = NULL;
  gint64 offset;
  /* When this client was last free: from the start, then from the end of
   * each operation. An operation due before then found every connection
   * busy (a free one would have taken it and waited for its time). */
  gint64 free_since = start;

#ifdef __linux__
  /* Wake on time: the default timer slack of 50 us would be schedule lag
   * of the pool's own making. */
  prctl (PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
#endif
  fs_histogram_init (&t->latency);
  fs_open_tally_init (open);
  while (!fs_pool_interrupted () && fs_schedule_take (job->schedule, &offset))
    {
      g_autoptr(GError) error = NULL;
      gint64 due = start + offset, now = now_ns (), sent, end;
      FsPoolMoved before;
      FsPoolOutcome outcome;
      gboolean ok;

      if (now >= stop)
        {
          if (offset >= warm)
            fs_open_record_unsent (open, due, now);
          break;
        }
      if (!sleep_until (due))
        break;
      sent = now_ns ();
      before = fs_pool_moved (t);
      ok = fs_pool_operation (job, &job->slots[index], t, &kept, &error);
      end = now_ns ();
      outcome = fs_pool_settle (t, &before, ok, error, offset < warm, sent / 1000, end / 1000);
      if (outcome == FS_POOL_ABANDONED)
        break;
      if (outcome == FS_POOL_COUNTED)
        fs_open_record (open, job->schedule->rate, due, free_since, sent, end);
      free_since = end;
    }
  g_clear_pointer (&kept, fs_client_free);
  t->seconds = t->last_end_us > t->first_start_us
               ? (double) (t->last_end_us - t->first_start_us) / G_USEC_PER_SEC : 0;
  t->done = TRUE;
}

void
fs_pool_open_drain (const FsPoolJob *job, gint64 start_us, gint64 stop_us, FsOpenTally *into)
{
  gint64 warm = warmup_ns (job->config), offset;

  while (fs_schedule_take (job->schedule, &offset))
    if (offset >= warm)
      fs_open_record_unsent (into, start_us * 1000 + offset, stop_us * 1000);
}
