/* test-schedule.c: the open loop's schedule and its bookkeeping, on
 * fixed clocks: which operation is due when, what is late, the backlog,
 * the schedule lag and the two latencies, and a schedule shared by
 * threads that take from it at once. */
#include "config.h"

#include <math.h>

#include <glib.h>

#include "errors.h"
#include "schedule.h"

#define MS G_GINT64_CONSTANT (1000000)  /* nanoseconds */

/* Uniform arrivals: one every 1/rate, exact, and nothing due at or past
 * the end. */
static void
test_uniform (void)
{
  FsSchedule s;
  gint64 due;
  guint n = 0;

  fs_schedule_init (&s, 200, FS_ARRIVAL_UNIFORM, 1, 1000 * (gint64) MS);
  while (fs_schedule_take (&s, &due))
    {
      g_assert_cmpint (due, ==, (gint64) n * 5 * MS);
      n++;
    }
  g_assert_cmpuint (n, ==, 200);
  g_assert_false (fs_schedule_take (&s, &due));

  /* A period that is no whole number of nanoseconds does not drift. */
  fs_schedule_init (&s, 3, FS_ARRIVAL_UNIFORM, 1, 3600 * (gint64) 1000 * MS);
  for (n = 0; fs_schedule_take (&s, &due); n++)
    ;
  g_assert_cmpuint (n, ==, 3 * 3600);
}

/* Poisson arrivals: a mean gap of 1/rate, gaps spread as an exponential
 * (their standard deviation equals their mean), and the same schedule
 * from the same seed. */
static void
test_poisson (void)
{
  FsSchedule a, b;
  gint64 due, other, last = 0;
  double sum = 0, sum2 = 0;
  guint n = 0;

  fs_schedule_init (&a, 1000, FS_ARRIVAL_POISSON, 42, 100 * (gint64) 1000 * MS);
  fs_schedule_init (&b, 1000, FS_ARRIVAL_POISSON, 42, 100 * (gint64) 1000 * MS);
  while (fs_schedule_take (&a, &due))
    {
      double gap;

      g_assert_true (fs_schedule_take (&b, &other));
      g_assert_cmpint (due, ==, other);
      if (n > 0)
        {
          gap = (double) (due - last) / MS;
          sum += gap;
          sum2 += gap * gap;
        }
      last = due;
      n++;
    }
  /* 100,000 expected; the count of a Poisson process has a standard
   * deviation of sqrt(100,000) = 316. */
  g_assert_cmpuint (n, >, 98500);
  g_assert_cmpuint (n, <, 101500);
  g_assert_cmpfloat (fabs (sum / (n - 1) - 1.0), <, 0.02);
  g_assert_cmpfloat (fabs (sqrt (sum2 / (n - 1) - pow (sum / (n - 1), 2)) - 1.0), <, 0.03);

  /* Another seed, another schedule. */
  fs_schedule_init (&a, 1000, FS_ARRIVAL_POISSON, 42, 1000 * (gint64) MS);
  fs_schedule_init (&b, 1000, FS_ARRIVAL_POISSON, 43, 1000 * (gint64) MS);
  g_assert_true (fs_schedule_take (&a, &due) && fs_schedule_take (&b, &other));
  g_assert_true (fs_schedule_take (&a, &due) && fs_schedule_take (&b, &other));
  g_assert_cmpint (due, !=, other);
}

/* An operation taken before it was due: on time, its lag the wait past
 * the due time, its corrected latency from the due time and not from
 * when it was taken. */
static void
test_on_time (void)
{
  FsOpenTally t;

  fs_open_tally_init (&t);
  /* due at 100 ms, taken at 90, sent at 100.2, answered at 103.2 */
  fs_open_record (&t, 200, 100 * MS, 90 * MS, 100 * MS + 200000, 103 * MS + 200000);
  g_assert_cmpuint (t.due, ==, 1);
  g_assert_cmpuint (t.late, ==, 0);
  g_assert_cmpuint (t.max_backlog, ==, 0);
  g_assert_cmpuint (t.lag.max, ==, 200);
  g_assert_cmpuint (t.corrected.max, ==, 3200);
}

/* Late: every connection was busy until 1 s after the due time. At 200
 * ops/s the backlog then was the 200 due since it, plus itself; its
 * corrected latency holds the whole wait. */
static void
test_late (void)
{
  FsOpenTally t, all;

  fs_open_tally_init (&t);
  fs_open_record (&t, 200, 1000 * MS, 2000 * MS, 2000 * MS + 50000, 2001 * MS);
  g_assert_cmpuint (t.late, ==, 1);
  g_assert_cmpuint (t.max_backlog, ==, 201);
  g_assert_cmpuint (t.lag.max, ==, 1000050);
  g_assert_cmpuint (t.corrected.max, ==, 1001000);

  /* Taken a moment after it was due: late, the backlog itself alone. */
  fs_open_record (&t, 200, 3000 * MS, 3000 * MS + 1, 3000 * MS + 1, 3001 * MS);
  g_assert_cmpuint (t.late, ==, 2);
  g_assert_cmpuint (t.max_backlog, ==, 201);

  /* Never sent: only the corrected latency, the wait until the stop. */
  fs_open_record_unsent (&t, 4000 * MS, 4500 * MS);
  g_assert_cmpuint (t.due, ==, 3);
  g_assert_cmpuint (t.unsent, ==, 1);
  g_assert_cmpuint (t.lag.count, ==, 2);
  g_assert_cmpuint (t.corrected.count, ==, 3);
  g_assert_cmpuint (t.corrected.min, ==, 1000);

  /* Merged: counts add, the backlog is the largest. */
  fs_open_tally_init (&all);
  fs_open_record (&all, 200, 0, 3 * MS, 3 * MS, 4 * MS);
  fs_open_tally_merge (&all, &t);
  g_assert_cmpuint (all.due, ==, 4);
  g_assert_cmpuint (all.late, ==, 3);
  g_assert_cmpuint (all.unsent, ==, 1);
  g_assert_cmpuint (all.max_backlog, ==, 201);
  g_assert_cmpuint (all.corrected.count, ==, 4);
}

/* Threads that take from one schedule at once: every operation is taken
 * exactly once, by one of them. */
typedef struct {
  FsSchedule *s;
  GArray     *dues;  /* gint64, this thread's */
} Taker;

static gpointer
take_all (gpointer data)
{
  Taker *t = data;
  gint64 due;

  while (fs_schedule_take (t->s, &due))
    g_array_append_val (t->dues, due);
  return NULL;
}

static gint
cmp_i64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
test_shared (gconstpointer data)
{
  FsArrival arrival = GPOINTER_TO_INT (data);
  FsSchedule s;
  const guint n = 200000;
  Taker takers[4];
  GThread *threads[4];
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* 100,000 per second for n / 100,000 seconds: n operations. */
  fs_schedule_init (&s, 100000, arrival, 7, (gint64) n * 10000);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      takers[i] = (Taker) { &s, g_array_new (FALSE, FALSE, sizeof (gint64)) };
      threads[i] = g_thread_new ("taker", take_all, &takers[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_thread_join (threads[i]);
      g_array_append_vals (all, takers[i].dues->data, takers[i].dues->len);
      g_array_unref (takers[i].dues);
    }
  g_array_sort (all, cmp_i64);
  /* Gaps are at least 1 ns: two equal offsets are one operation taken
   * twice. */
  for (guint i = 1; i < all->len; i++)
    g_assert_cmpint (g_array_index (all, gint64, i - 1), <, g_array_index (all, gint64, i));
  if (arrival == FS_ARRIVAL_UNIFORM)
    {
      g_assert_cmpuint (all->len, ==, n);
      g_assert_cmpint (g_array_index (all, gint64, n - 1), ==, (gint64) (n - 1) * 10000);
    }
  else
    {
      g_assert_cmpuint (all->len, >, n * 0.98);
      g_assert_cmpuint (all->len, <, n * 1.02);
    }
}

static void
test_arrival_names (void)
{
  g_autoptr(GError) error = NULL;
  FsArrival arrival = FS_ARRIVAL_UNIFORM;

  g_assert_true (fs_arrival_parse ("poisson", &arrival, NULL));
  g_assert_cmpint (arrival, ==, FS_ARRIVAL_POISSON);
  g_assert_cmpstr (fs_arrival_name (arrival), ==, "poisson");
  g_assert_false (fs_arrival_parse ("Poisson", &arrival, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_USAGE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/schedule/uniform", test_uniform);
  g_test_add_func ("/schedule/poisson", test_poisson);
  g_test_add_func ("/schedule/on-time", test_on_time);
  g_test_add_func ("/schedule/late", test_late);
  g_test_add_data_func ("/schedule/shared/uniform", GINT_TO_POINTER (FS_ARRIVAL_UNIFORM),
                        test_shared);
  g_test_add_data_func ("/schedule/shared/poisson", GINT_TO_POINTER (FS_ARRIVAL_POISSON),
                        test_shared);
  g_test_add_func ("/schedule/arrival-names", test_arrival_names);
  return g_test_run ();
}
