/* schedule.c: the open loop's schedule and its bookkeeping. */
#include "config.h"

#include "schedule.h"

#include <math.h>

#include "errors.h"

gboolean
fs_arrival_parse (const char *text, FsArrival *arrival, GError **error)
{
  if (g_strcmp0 (text, "uniform") == 0)
    *arrival = FS_ARRIVAL_UNIFORM;
  else if (g_strcmp0 (text, "poisson") == 0)
    *arrival = FS_ARRIVAL_POISSON;
  else
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                   "invalid arrival '%s' (expected uniform or poisson)", text);
      return FALSE;
    }
  return TRUE;
}

const char *
fs_arrival_name (FsArrival arrival)
{
  return arrival == FS_ARRIVAL_POISSON ? "poisson" : "uniform";
}

void
fs_schedule_init (FsSchedule *s, double rate, FsArrival arrival, guint64 seed, gint64 end_ns)
{
  s->rate = rate;
  s->arrival = arrival;
  s->seed = seed;
  s->end_ns = end_ns;
  s->next = 0;
}

/* SplitMix64: a good 64-bit mix of the seed and the offset, so that every
 * gap is a function of where it starts and the schedule does not depend
 * on which client takes it. */
static guint64
mix (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

/* An exponential gap of mean 1/rate seconds, at least 1 ns: -ln(u) / rate
 * with u uniform in (0, 1]. */
static guint64
poisson_gap (const FsSchedule *s, guint64 at)
{
  double u = (double) ((mix (s->seed ^ mix (at)) >> 11) + 1) / 9007199254740992.0;
  double gap = -log (u) / s->rate * 1e9;

  return gap < 1 ? 1 : gap > 1e15 ? (guint64) 1e15 : (guint64) gap;
}

gboolean
fs_schedule_take (FsSchedule *s, gint64 *due_ns)
{
  guint64 at;

  if (s->arrival == FS_ARRIVAL_UNIFORM)
    {
      /* The index times the period, in double: exact to the nanosecond
       * for any schedule shorter than a day at up to FS_SCHEDULE_MAX_RATE,
       * with no rounding that adds up from one operation to the next. */
      guint64 k = __atomic_fetch_add (&s->next, 1, __ATOMIC_RELAXED);
      double offset = (double) k * 1e9 / s->rate;

      if (offset >= (double) s->end_ns)
        return FALSE;
      *due_ns = (gint64) offset;
      return TRUE;
    }
  at = __atomic_load_n (&s->next, __ATOMIC_RELAXED);
  do
    {
      if (at >= (guint64) s->end_ns)
        return FALSE;
    }
  while (!__atomic_compare_exchange_n (&s->next, &at, at + poisson_gap (s, at), FALSE,
                                       __ATOMIC_RELAXED, __ATOMIC_RELAXED));
  *due_ns = (gint64) at;
  return TRUE;
}

void
fs_open_tally_init (FsOpenTally *t)
{
  t->due = t->late = t->unsent = t->max_backlog = 0;
  fs_histogram_init (&t->corrected);
  fs_histogram_init (&t->lag);
}

void
fs_open_tally_merge (FsOpenTally *into, const FsOpenTally *from)
{
  into->due += from->due;
  into->late += from->late;
  into->unsent += from->unsent;
  into->max_backlog = MAX (into->max_backlog, from->max_backlog);
  fs_histogram_merge (&into->corrected, &from->corrected);
  fs_histogram_merge (&into->lag, &from->lag);
}

static guint64
us (gint64 ns)
{
  return ns > 0 ? (guint64) (ns / 1000) : 0;
}

void
fs_open_record (FsOpenTally *t, double rate, gint64 due, gint64 taken, gint64 sent,
                gint64 end)
{
  t->due++;
  if (taken > due)
    {
      guint64 backlog = (guint64) floor ((double) (taken - due) * rate / 1e9) + 1;

      t->late++;
      t->max_backlog = MAX (t->max_backlog, backlog);
    }
  fs_histogram_record (&t->lag, us (sent - due));
  fs_histogram_record (&t->corrected, us (end - due));
}

void
fs_open_record_unsent (FsOpenTally *t, gint64 due, gint64 stop)
{
  t->due++;
  t->unsent++;
  fs_histogram_record (&t->corrected, us (stop - due));
}
