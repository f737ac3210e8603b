/* schedule.h: the open loop's schedule and its bookkeeping.
 *
 * Under --rate, operations are due on a fixed schedule from the pool's
 * common start, whatever the server does: a closed loop, whose clients
 * wait for an answer before they send again, slows down with the server
 * and never sends the requests that would have queued ("coordinated
 * omission"). Each operation is timed from the moment it was due (the
 * corrected latency) as well as from the moment it was sent (the
 * uncorrected one).
 *
 * The schedule is shared by every client of a pool, threads or forked
 * processes alike: it lives in shared memory and is taken from with one
 * atomic operation, so any free connection takes the next due operation.
 * The bookkeeping is plain arithmetic on given clock readings, so that it
 * can be checked on fixed clocks. */
#pragma once

#include <glib.h>

#include "histogram.h"

G_BEGIN_DECLS

typedef enum {
  FS_ARRIVAL_UNIFORM,  /* one operation every 1/rate seconds */
  FS_ARRIVAL_POISSON,  /* exponential gaps of mean 1/rate: a Poisson process */
} FsArrival;

#define FS_SCHEDULE_MAX_RATE 10000000.0

gboolean    fs_arrival_parse (const char *text, FsArrival *arrival, GError **error);
const char *fs_arrival_name  (FsArrival arrival);

/* The schedule: offsets in nanoseconds from the common start. */
typedef struct {
  double    rate;     /* operations per second, > 0 */
  FsArrival arrival;
  guint64   seed;     /* poisson: the gaps are a function of it and the offset */
  gint64    end_ns;   /* no operation is due at or after this offset */
  /* uniform: the next operation's index; poisson: its offset. Taken
   * atomically, in memory that forked clients share. */
  guint64   next;
} FsSchedule;

void     fs_schedule_init (FsSchedule *s, double rate, FsArrival arrival, guint64 seed,
                           gint64 end_ns);
/* Takes the next due operation and sets *due_ns to its offset; FALSE
 * when the schedule is over (nothing is due before end_ns). Safe from any
 * number of threads and processes at once. */
gboolean fs_schedule_take (FsSchedule *s, gint64 *due_ns);

/* What the open loop found, per client, merged by adding. Only measured
 * operations (due after the warm-up) are in it. */
typedef struct {
  guint64     due;          /* operations due in the measured window */
  guint64     late;         /* taken after they were due: every connection was busy */
  guint64     unsent;       /* still waiting when the run stopped */
  guint64     max_backlog;  /* the most operations due and not started at once */
  FsHistogram corrected;    /* due -> end of the answer, microseconds */
  FsHistogram lag;          /* due -> sent (the schedule lag), microseconds */
} FsOpenTally;

void fs_open_tally_init  (FsOpenTally *t);
void fs_open_tally_merge (FsOpenTally *into, const FsOpenTally *from);

/* Records one measured operation, all times in nanoseconds on one clock:
 * due (start + its offset), taken (when the connection that took it from
 * the schedule became free: the common start, or the end of its previous
 * operation), sent (when that connection started on it, after waiting
 * for the due time) and end (its answer's end). An operation taken after
 * it was due is late: every connection was busy when it came due. The
 * backlog then was the operations due since it, itself included:
 * (taken - due) * rate + 1, exact for uniform arrivals and the expected
 * count for poisson ones. */
void fs_open_record (FsOpenTally *t, double rate, gint64 due, gint64 taken, gint64 sent,
                     gint64 end);
/* Records an operation that was due but never sent before the run
 * stopped at stop: its corrected latency is the time it had waited, a
 * lower bound. */
void fs_open_record_unsent (FsOpenTally *t, gint64 due, gint64 stop);

G_END_DECLS
