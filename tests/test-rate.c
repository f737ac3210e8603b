/* test-rate.c: the minimum-rate rule for upload bodies (src/server/rate.c), on
 * its own clock: no sleeping, the tests say how long each wait took. */
#include "config.h"

#include "rate.h"

#define S ((gint64) G_USEC_PER_SEC)

/* Sends bytes every step_us for total_us, each arriving at the end of
 * its wait; returns the clock at which the budget first reached 0, or
 * -1 if it never did. */
static gint64
run_steady (FsRateGuard *g, guint64 bytes, gint64 step_us, gint64 total_us)
{
  for (gint64 t = 0; t < total_us; t += step_us)
    {
      gint64 budget = fs_rate_guard_budget (g);
      if (budget == 0)
        return g->clock_us;
      if (budget > 0 && budget < step_us)
        {
          /* the wait runs out before the bytes come */
          fs_rate_guard_advance (g, budget, 0);
          return g->clock_us;
        }
      fs_rate_guard_advance (g, step_us, bytes);
    }
  return -1;
}

static void
test_no_rule (void)
{
  FsRateGuard g;

  fs_rate_guard_init (&g, 0);
  g_assert_cmpint (fs_rate_guard_budget (&g), ==, -1);
  fs_rate_guard_advance (&g, 3600 * S, 0);
  g_assert_cmpint (fs_rate_guard_budget (&g), ==, -1);
}

/* Nothing is judged in the first window: a fresh upload may wait 10 s. */
static void
test_first_window (void)
{
  FsRateGuard g;

  fs_rate_guard_init (&g, 1024);
  g_assert_cmpint (fs_rate_guard_budget (&g), ==, FS_RATE_WINDOW_S * S);
  fs_rate_guard_advance (&g, 4 * S, 0);
  g_assert_cmpint (fs_rate_guard_budget (&g), ==, (FS_RATE_WINDOW_S - 4) * S);
  fs_rate_guard_advance (&g, (FS_RATE_WINDOW_S - 4) * S, 0);
  g_assert_cmpint (fs_rate_guard_budget (&g), ==, 0);
}

/* Trickling: 100 bytes a second against 1 KiB/s fails when the first
 * window closes, 10 s in; 512 B/s too. */
static void
test_trickle_fails (void)
{
  FsRateGuard g;

  fs_rate_guard_init (&g, 1024);
  g_assert_cmpint (run_steady (&g, 100, S, 60 * S), ==, 10 * S);
  fs_rate_guard_init (&g, 1024);
  g_assert_cmpint (run_steady (&g, 128, S / 4, 60 * S), ==, 10 * S);
}

/* Steady at or above the minimum, in small or large steps: never. */
static void
test_steady_passes (void)
{
  FsRateGuard g;

  fs_rate_guard_init (&g, 1024);
  g_assert_cmpint (run_steady (&g, 2048, S, 120 * S), ==, -1);
  fs_rate_guard_init (&g, 1024);
  g_assert_cmpint (run_steady (&g, 26, S / 40, 120 * S), ==, -1);
  fs_rate_guard_init (&g, 1024);
  g_assert_cmpint (run_steady (&g, 5 * 10240, 5 * S, 120 * S), ==, -1);
}

/* Any window counts, not only the first: a fast start then a stall fails
 * once a whole window has passed without enough, 11 s after the burst
 * (the window ending at second 11 holds nothing). */
static void
test_stall_after_burst (void)
{
  FsRateGuard g;

  fs_rate_guard_init (&g, 1024);
  fs_rate_guard_advance (&g, S / 2, 1024 * 1024);
  g_assert_cmpint (fs_rate_guard_budget (&g), ==, 11 * S - S / 2);
  /* more data later moves the deadline on */
  fs_rate_guard_advance (&g, 8 * S, 1024 * 1024);
  g_assert_cmpint (fs_rate_guard_budget (&g), ==, 19 * S - (S / 2 + 8 * S));
  fs_rate_guard_advance (&g, fs_rate_guard_budget (&g), 0);
  g_assert_cmpint (fs_rate_guard_budget (&g), ==, 0);
}

/* A pause shorter than a window, between good stretches, is fine. */
static void
test_short_pause_passes (void)
{
  FsRateGuard g;

  fs_rate_guard_init (&g, 1024);
  g_assert_cmpint (run_steady (&g, 4096, S, 20 * S), ==, -1);
  fs_rate_guard_advance (&g, 5 * S, 0);
  g_assert_cmpint (fs_rate_guard_budget (&g), >, 0);
  g_assert_cmpint (run_steady (&g, 4096, S, 20 * S), ==, -1);
}

/* Waits far longer than the window (which the session never lets happen)
 * are recorded without wrapping the marks the wrong way: every second of
 * the gap saw the total from before it, so the window ending now holds
 * nothing and the rule is broken, whatever arrived at the gap's end. */
static void
test_long_wait (void)
{
  FsRateGuard g;

  fs_rate_guard_init (&g, 1);
  fs_rate_guard_advance (&g, S, 1000);
  fs_rate_guard_advance (&g, 1000 * S, 5000);
  g_assert_cmpint (fs_rate_guard_budget (&g), ==, 0);
  /* Within the ring: a gap of exactly one window, then a burst. */
  fs_rate_guard_init (&g, 1);
  fs_rate_guard_advance (&g, S / 2, 100);
  fs_rate_guard_advance (&g, FS_RATE_WINDOW_S * S, 100);
  /* the window ending at second 10 held the first 100 bytes */
  g_assert_cmpint (fs_rate_guard_budget (&g), >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rate/no-rule", test_no_rule);
  g_test_add_func ("/rate/first-window", test_first_window);
  g_test_add_func ("/rate/trickle-fails", test_trickle_fails);
  g_test_add_func ("/rate/steady-passes", test_steady_passes);
  g_test_add_func ("/rate/stall-after-burst", test_stall_after_burst);
  g_test_add_func ("/rate/short-pause-passes", test_short_pause_passes);
  g_test_add_func ("/rate/long-wait", test_long_wait);
  return g_test_run ();
}
