/* bench-cost: what one sample of the /proc cost probe costs the machine.
 *
 *   make tests/bench-cost
 *   filestorm-server --mode process --pool 50 --port 0 --root /tmp/r &
 *   tests/bench-cost $!
 *
 * Prints the time of one fs_cost_probe_sample() (the average of 200) and
 * of fs_cost_probe_finish() on that process tree, and what they read.
 * filestorm-stress samples once per SAMPLE_INTERVAL_MS while a pool runs
 * (src/stress/stress.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "cost.h"

int
main (int argc, char **argv)
{
  g_autoptr(FsCostProbe) probe = NULL;
  FsCost cost;
  gint64 t0, t1, t2;
  pid_t pid;

  if (argc != 2 || (pid = (pid_t) atoi (argv[1])) <= 0)
    {
      fprintf (stderr, "usage: bench-cost PID\n");
      return 2;
    }
  probe = fs_cost_probe_start (pid);
  t0 = g_get_monotonic_time ();
  for (int i = 0; i < 200; i++)
    fs_cost_probe_sample (probe);
  t1 = g_get_monotonic_time ();
  fs_cost_probe_finish (probe, &cost);
  t2 = g_get_monotonic_time ();
  if (!cost.available)
    {
      fprintf (stderr, "bench-cost: cannot read /proc/%d\n", (int) pid);
      return 1;
    }
  printf ("sample %.3f ms, finish %.3f ms; %u processes, %u threads, PSS %" G_GUINT64_FORMAT
          " KiB, RSS %" G_GUINT64_FORMAT " KiB\n", (double) (t1 - t0) / 200 / 1000,
          (double) (t2 - t1) / 1000, cost.processes, cost.threads, cost.pss_kib, cost.rss_kib);
  return 0;
}
