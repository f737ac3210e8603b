/* cost.c: a process tree's CPU, memory and context switches from /proc.
 *
 * The tree is the root and the processes whose parent it is: the server
 * and, in process mode, its pre-forked workers. The kernel here has no
 * /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN), so the children are
 * found by reading the parent field of every /proc/PID/stat: about 200
 * small reads. A whole sample of a 50-worker server (the tree, then
 * status and smaps_rollup of each process) took 3.8 to 6.4 ms here
 * (tests/bench-cost.c), so the tree is listed once per sample and the
 * window's start and end share theirs with the sample they take.
 *
 * CPU time and context switches are read per thread (/proc/PID/task/
 * TID/schedstat and status). A worker that dies and is reaped by the root
 * moves its time into the root's cutime and cstime, which are counted;
 * the switches of threads that ended within the window are lost, which
 * makes that figure a lower bound, and so is their CPU time, which
 * schedstat keeps per thread (the servers' threads and workers live as
 * long as the server, unless one crashes). status files are read whole:
 * 16 KiB holds them even with long Cpus_allowed masks. */
#include "config.h"

#include "cost.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

struct _FsCostProbe {
  pid_t   root;
  gboolean available;
  double  cpu_start;     /* seconds */
  guint64 vol_start, invol_start;
  FsCost  peak;          /* the memory peaks so far */
};

/* Reads a small /proc file into buf, NUL-terminated; FALSE if it cannot. */
static gboolean
read_small (const char *path, char *buf, gsize size)
{
  gsize len = 0;
  int fd;

  do
    fd = open (path, O_RDONLY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    return FALSE;
  while (len + 1 < size)
    {
      ssize_t n = read (fd, buf + len, size - 1 - len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      len += (gsize) n;
    }
  close (fd);
  buf[len] = '\0';
  return len > 0;
}

/* The value of "Name:   1234 kB" in a status-style file, 0 if absent. */
static guint64
field (const char *text, const char *name)
{
  gsize n = strlen (name);
  const char *p = text;

  while (p != NULL && *p != '\0')
    {
      if (strncmp (p, name, n) == 0 && p[n] == ':')
        return g_ascii_strtoull (p + n + 1, NULL, 10);
      p = strchr (p, '\n');
      if (p != NULL)
        p++;
    }
  return 0;
}

typedef struct {
  pid_t   ppid;
  guint64 ticks;   /* utime + stime */
  guint64 cticks;  /* cutime + cstime: waited-for children */
} Stat;

/* /proc/PID/stat: the fields after the command name, which may hold
 * spaces and parentheses, so they are counted from its last ')'. */
static gboolean
read_stat (pid_t pid, Stat *st)
{
  char path[64], buf[1024];
  char *p;
  guint64 f[18] = { 0 };  /* fields 3..20 of proc(5) */

  g_snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  if (!read_small (path, buf, sizeof buf) || (p = strrchr (buf, ')')) == NULL)
    return FALSE;
  p += 2;                         /* ") " */
  p = strchr (p, ' ');            /* past the state, field 3 */
  for (guint i = 1; i < G_N_ELEMENTS (f) && p != NULL; i++)
    {
      char *end;
      f[i] = g_ascii_strtoull (p + 1, &end, 10);
      p = strchr (end, ' ');
    }
  st->ppid = (pid_t) f[4 - 3];
  st->ticks = f[14 - 3] + f[15 - 3];
  st->cticks = f[16 - 3] + f[17 - 3];
  return TRUE;
}

/* The root and its children; the root first. */
static GArray *
list_tree (pid_t root)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  g_array_append_val (pids, root);
  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      Stat st;
      pid_t pid;

      if (!g_ascii_isdigit (name[0]))
        continue;
      pid = (pid_t) g_ascii_strtoll (name, NULL, 10);
      if (pid != root && read_stat (pid, &st) && st.ppid == root)
        g_array_append_val (pids, pid);
    }
  return pids;
}

static double
ticks_to_s (guint64 ticks)
{
  static long hz;

  if (hz <= 0)
    hz = sysconf (_SC_CLK_TCK);
  return hz > 0 ? (double) ticks / (double) hz : 0;
}

/* CPU time and context switches of the tree, thread by thread. A
 * thread's CPU time comes from /proc/PID/task/TID/schedstat, in
 * nanoseconds: /proc/PID/stat counts in clock ticks of 10 ms, coarser
 * than a whole quick scenario. The root's waited-for children only exist
 * as ticks (cutime and cstime). */
static void
tree_scan (GArray *pids, double *cpu_s, guint64 *vol, guint64 *invol, gboolean *root_seen)
{
  *cpu_s = 0;
  *vol = *invol = 0;
  *root_seen = FALSE;
  for (guint i = 0; i < pids->len; i++)
    {
      pid_t pid = g_array_index (pids, pid_t, i);
      g_autofree char *dir = g_strdup_printf ("/proc/%d/task", (int) pid);
      g_autoptr(GDir) tasks = g_dir_open (dir, 0, NULL);
      const char *tid;
      guint64 ns = 0;
      gboolean have_ns = FALSE;
      Stat st;

      if (!read_stat (pid, &st))
        continue;
      if (i == 0)
        {
          *cpu_s += ticks_to_s (st.cticks);
          *root_seen = TRUE;
        }
      while (tasks != NULL && (tid = g_dir_read_name (tasks)) != NULL)
        {
          g_autofree char *status = g_build_filename (dir, tid, "status", NULL);
          g_autofree char *sched = g_build_filename (dir, tid, "schedstat", NULL);
          char buf[16384];

          if (read_small (sched, buf, sizeof buf))
            {
              ns += g_ascii_strtoull (buf, NULL, 10);
              have_ns = TRUE;
            }
          if (!read_small (status, buf, sizeof buf))
            continue;
          *vol += field (buf, "voluntary_ctxt_switches");
          *invol += field (buf, "nonvoluntary_ctxt_switches");
        }
      *cpu_s += have_ns ? (double) ns / 1e9 : ticks_to_s (st.ticks);
    }
}

/* One memory sample of the processes in pids; keeps the peaks. */
static void
sample_tree (FsCostProbe *probe, GArray *pids)
{
  guint64 pss = 0, rss = 0, hwm_sum = 0, hwm_max = 0;
  guint processes = 0, threads = 0;

  for (guint i = 0; i < pids->len; i++)
    {
      int pid = (int) g_array_index (pids, pid_t, i);
      char path[64], buf[16384];
      guint64 hwm;

      g_snprintf (path, sizeof path, "/proc/%d/status", pid);
      if (!read_small (path, buf, sizeof buf))
        continue;
      processes++;
      threads += (guint) field (buf, "Threads");
      hwm = field (buf, "VmHWM");
      hwm_sum += hwm;
      hwm_max = MAX (hwm_max, hwm);
      g_snprintf (path, sizeof path, "/proc/%d/smaps_rollup", pid);
      if (read_small (path, buf, sizeof buf))
        {
          pss += field (buf, "Pss");
          rss += field (buf, "Rss");
        }
    }
  if (pss > probe->peak.pss_kib)
    {
      probe->peak.pss_kib = pss;
      probe->peak.rss_kib = rss;
    }
  probe->peak.hwm_sum_kib = MAX (probe->peak.hwm_sum_kib, hwm_sum);
  probe->peak.hwm_max_kib = MAX (probe->peak.hwm_max_kib, hwm_max);
  probe->peak.processes = MAX (probe->peak.processes, processes);
  probe->peak.threads = MAX (probe->peak.threads, threads);
}

FsCostProbe *
fs_cost_probe_start (pid_t root)
{
  FsCostProbe *probe = g_new0 (FsCostProbe, 1);
  g_autoptr(GArray) pids = list_tree (root);

  probe->root = root;
  tree_scan (pids, &probe->cpu_start, &probe->vol_start, &probe->invol_start,
             &probe->available);
  sample_tree (probe, pids);
  return probe;
}

void
fs_cost_probe_sample (FsCostProbe *probe)
{
  g_autoptr(GArray) pids = list_tree (probe->root);

  sample_tree (probe, pids);
}

void
fs_cost_probe_finish (FsCostProbe *probe, FsCost *cost)
{
  g_autoptr(GArray) pids = list_tree (probe->root);
  guint64 vol, invol;
  gboolean seen;
  double cpu;

  sample_tree (probe, pids);
  tree_scan (pids, &cpu, &vol, &invol, &seen);
  *cost = probe->peak;
  cost->available = probe->available && seen;
  if (!cost->available)
    {
      memset (cost, 0, sizeof *cost);
      return;
    }
  cost->cpu_s = MAX (cpu - probe->cpu_start, 0);
  cost->ctx_voluntary = vol > probe->vol_start ? vol - probe->vol_start : 0;
  cost->ctx_involuntary = invol > probe->invol_start ? invol - probe->invol_start : 0;
}

void
fs_cost_probe_free (FsCostProbe *probe)
{
  g_free (probe);
}

double
fs_cost_children_cpu (void)
{
  struct rusage ru;

  if (getrusage (RUSAGE_CHILDREN, &ru) < 0)
    return 0;
  return (double) ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6
         + (double) ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}
