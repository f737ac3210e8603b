/* rate.c: the minimum-rate rule for upload bodies; see rate.h. */
#include "config.h"

#include "rate.h"

#include <string.h>

#define N_MARKS ((gint64) G_N_ELEMENTS (((FsRateGuard *) NULL)->marks))

void
fs_rate_guard_init (FsRateGuard *guard, guint64 min_rate)
{
  memset (guard, 0, sizeof *guard);
  guard->min_rate = min_rate;
}

void
fs_rate_guard_advance (FsRateGuard *guard, gint64 waited_us, guint64 bytes)
{
  gint64 old_sec = guard->clock_us / G_USEC_PER_SEC;
  gint64 new_sec;

  guard->clock_us += MAX (waited_us, 0);
  new_sec = guard->clock_us / G_USEC_PER_SEC;
  /* Every whole second the wait went past saw the total as it was before
   * these bytes arrived at its end. */
  for (gint64 k = MAX (old_sec + 1, new_sec - N_MARKS + 1); k <= new_sec; k++)
    guard->marks[k % N_MARKS] = guard->total;
  guard->total += bytes;
}

/* The total at whole second k of the clock, supposing nothing more
 * arrives after now. k is at most FS_RATE_WINDOW_S seconds back. */
static guint64
mark_at (const FsRateGuard *guard, gint64 k, gint64 now_sec)
{
  return k <= now_sec ? guard->marks[k % N_MARKS] : guard->total;
}

gint64
fs_rate_guard_budget (const FsRateGuard *guard)
{
  const gint64 window = FS_RATE_WINDOW_S;
  guint64 need;
  gint64 now_sec;

  if (guard->min_rate == 0)
    return -1;
  need = guard->min_rate * (guint64) window;
  now_sec = guard->clock_us / G_USEC_PER_SEC;
  /* The first window, ending at a whole second from now on, that would
   * hold fewer than need bytes if nothing more arrived. One ending
   * window + 1 seconds ahead holds nothing, so the loop always ends. */
  for (gint64 end = MAX (window, now_sec); end <= now_sec + window + 1; end++)
    if (mark_at (guard, end, now_sec) - mark_at (guard, end - window, now_sec) < need)
      return MAX (end * G_USEC_PER_SEC - guard->clock_us, 0);
  g_assert_not_reached ();
}
