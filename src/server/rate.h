/* rate.h: the minimum-rate rule for upload bodies (--min-rate).
 *
 * An upload whose average rate over any FS_RATE_WINDOW_S-second window
 * falls below the minimum is ended, so that a client trickling its data
 * cannot hold a thread or worker for as long as it likes (the idle timeout
 * alone restarts with every byte).
 *
 * The rule runs on the client's clock, not the wall clock: time passes
 * only while the session waits for the client's data. A server that
 * stalls on its own disk therefore never blames the client for it, while
 * a client that sends slowly makes the session wait, and its clock runs.
 * The windows are checked at whole seconds of that clock; no window is
 * judged before the first FS_RATE_WINDOW_S seconds have passed. Pure
 * arithmetic, no I/O: the session feeds it how long it waited and what
 * arrived. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FS_RATE_WINDOW_S 10

typedef struct {
  guint64 min_rate;                    /* bytes per second, 0 = no rule */
  gint64  clock_us;                    /* the client's clock */
  guint64 total;                       /* bytes received so far */
  /* marks[k % N] = total at whole second k of the clock, for the last
   * FS_RATE_WINDOW_S + 1 seconds. */
  guint64 marks[FS_RATE_WINDOW_S + 2];
} FsRateGuard;

void   fs_rate_guard_init    (FsRateGuard *guard, guint64 min_rate);
/* Records a wait of waited_us microseconds after which bytes arrived
 * (0 when the wait ended without data). */
void   fs_rate_guard_advance (FsRateGuard *guard, gint64 waited_us, guint64 bytes);
/* How long the session may wait for more data before the rule is broken,
 * in microseconds: 0 when it is broken already, -1 when there is no rule. */
gint64 fs_rate_guard_budget  (const FsRateGuard *guard);

G_END_DECLS
