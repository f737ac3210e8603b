/* cost.h: what a scenario costs the server, read from /proc.
 *
 * A probe follows one process tree, a server and the workers it forked,
 * over a window (the pool's run): CPU time and context switches as the
 * difference between the window's end and its start, memory as peaks
 * over samples taken while it runs (fs_cost_probe_sample()) and at its
 * end. Linux only; elsewhere every figure stays 0 and `available` FALSE. */
#pragma once

#include <sys/types.h>

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  gboolean available;      /* /proc could be read for the root */
  double   cpu_s;          /* user + system, summed over the tree */
  guint64  hwm_max_kib;    /* the largest VmHWM of one process */
  guint64  hwm_sum_kib;    /* VmHWM summed over the processes */
  guint64  pss_kib;        /* peak of the summed Pss (smaps_rollup) */
  guint64  rss_kib;        /* the summed Rss of the sample that gave pss_kib */
  guint64  ctx_voluntary;  /* context switches, summed over every thread */
  guint64  ctx_involuntary;
  guint    processes;      /* peak: the root and its children */
  guint    threads;        /* peak: threads summed over them */
} FsCost;

typedef struct _FsCostProbe FsCostProbe;

/* Starts a window on root and its children: reads their CPU times and
 * context switches now. */
FsCostProbe *fs_cost_probe_start  (pid_t root);
/* One memory sample (PSS, RSS, processes, threads); keeps the peaks. */
void         fs_cost_probe_sample (FsCostProbe *probe);
/* Ends the window: a last sample and the differences since the start. */
void         fs_cost_probe_finish (FsCostProbe *probe, FsCost *cost);
void         fs_cost_probe_free   (FsCostProbe *probe);

/* CPU seconds (user + system) of this process's children that have been
 * waited for, as getrusage (RUSAGE_CHILDREN) counts them: the difference
 * over a child's life is that child's own cost, and its children's. */
double       fs_cost_children_cpu (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsCostProbe, fs_cost_probe_free)

G_END_DECLS
