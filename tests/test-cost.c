/* test-cost.c: what filestorm-stress reads from the machine: a process
 * tree's cost from /proc, the filesystem of a directory, and the order of
 * the shuffled rounds and the clock of its progress line. */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <glib.h>

#include "cost.h"
#include "machine.h"
#include "stress.h"

/* -------------------------------------------------------------- rounds */

static void
test_round_order (void)
{
  for (guint round = 1; round <= 3; round++)
    {
      g_autofree guint *a = fs_stress_round_order (42, round, 50);
      g_autofree guint *b = fs_stress_round_order (42, round, 50);
      g_autofree guint *c = fs_stress_round_order (43, round, 50);
      g_autofree guint *next = fs_stress_round_order (42, round + 1, 50);
      gboolean seen[50] = { FALSE };

      /* A permutation, the same for the same seed and round. */
      g_assert_cmpmem (a, 50 * sizeof *a, b, 50 * sizeof *b);
      for (guint i = 0; i < 50; i++)
        {
          g_assert_cmpuint (a[i], <, 50);
          g_assert_false (seen[a[i]]);
          seen[a[i]] = TRUE;
        }
      /* Another seed, another order; the next round, another too. */
      g_assert_true (memcmp (a, c, 50 * sizeof *a) != 0);
      g_assert_true (memcmp (a, next, 50 * sizeof *a) != 0);
    }
}

static void
test_clock_text (void)
{
  g_autofree char *neg = fs_stress_clock_text (-5.4);
  g_autofree char *min = fs_stress_clock_text (65);
  g_autofree char *hour = fs_stress_clock_text (3723);

  g_assert_cmpstr (neg, ==, "00:00");
  g_assert_cmpstr (min, ==, "01:05");
  g_assert_cmpstr (hour, ==, "1:02:03");
}

/* ------------------------------------------------------ /proc readings */

/* Whether path is the root of a mount, by statx(2), apart from
 * mountinfo; TRUE when the kernel cannot tell (before Linux 5.8). */
static gboolean
is_mount_root (const char *path)
{
  struct statx st;

  if (statx (AT_FDCWD, path, 0, STATX_BASIC_STATS, &st) != 0
      || (st.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) == 0)
    return TRUE;
  return (st.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
}

static void
test_fs_type (void)
{
  g_autofree char *proc = fs_machine_fs_type ("/proc/self");
  g_autofree char *root = fs_machine_fs_type ("/");
  g_autofree char *missing = fs_machine_fs_type ("/no/such/place");

  g_assert_cmpstr (proc, ==, "proc");
  /* In a plain chroot, / is no mount point and mountinfo lists none that
   * holds it: the type is unknown there, not a wrong guess. */
  if (is_mount_root ("/"))
    g_assert_nonnull (root);
  else
    {
      g_test_message ("/ is not a mount point (a chroot?): its type is unknown");
      g_assert_null (root);
    }
  g_assert_null (missing);
}

/* This process's CPU time, all threads, in seconds. */
static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* A probe on this test process: the CPU it burns between start and
 * finish, a child it forks, and memory whose PSS cannot exceed its RSS. */
static void
test_cost_probe (void)
{
  double cpu0 = cpu_now ();
  g_autoptr(FsCostProbe) probe = fs_cost_probe_start (getpid ());
  double spun_from = cpu_now ();
  gint64 give_up = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  volatile guint64 spin = 0;
  double cpu1;
  FsCost cost;
  pid_t child = fork ();

  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      pause ();
      _exit (0);
    }
  /* 100 ms of CPU, however busy the machine is (bounded in time). */
  while (cpu_now () - spun_from < 0.1 && g_get_monotonic_time () < give_up)
    spin++;
  fs_cost_probe_sample (probe);
  fs_cost_probe_finish (probe, &cost);
  cpu1 = cpu_now ();
  kill (child, SIGKILL);
  waitpid (child, NULL, 0);

  /* What the probe saw is what this process used in its window: at least
   * the spin, at most everything from before the start to after the
   * end (the paused child uses nothing). */
  g_assert_true (cost.available);
  g_assert_cmpfloat (cost.cpu_s, >=, MIN (cpu_now () - spun_from, 0.1) - 0.01);
  g_assert_cmpfloat (cost.cpu_s, <=, cpu1 - cpu0 + 0.02);
  g_assert_cmpuint (cost.processes, ==, 2);
  g_assert_cmpuint (cost.threads, >=, 2);
  g_assert_cmpuint (cost.pss_kib, >, 0);
  g_assert_cmpuint (cost.pss_kib, <=, cost.rss_kib);
  g_assert_cmpuint (cost.hwm_max_kib, >, 0);
  g_assert_cmpuint (cost.hwm_sum_kib, >=, cost.hwm_max_kib);
}

static void
test_cost_gone (void)
{
  pid_t child = fork ();
  g_autoptr(FsCostProbe) probe = NULL;
  FsCost cost;

  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    _exit (0);
  waitpid (child, NULL, 0);
  /* A process that is no more: nothing known, nothing made up. */
  probe = fs_cost_probe_start (child);
  fs_cost_probe_finish (probe, &cost);
  g_assert_false (cost.available);
  g_assert_cmpfloat (cost.cpu_s, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stress/round-order", test_round_order);
  g_test_add_func ("/stress/clock-text", test_clock_text);
  g_test_add_func ("/machine/fs-type", test_fs_type);
  g_test_add_func ("/cost/probe", test_cost_probe);
  g_test_add_func ("/cost/gone", test_cost_gone);

  return g_test_run ();
}
