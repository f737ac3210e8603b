/* report-charts-private.h: what report-charts.c and report-bars.c share. */
#pragma once

#include "report-charts.h"
#include "report-gp.h"

G_BEGIN_DECLS

/* Failures per scenario by kind (failures.dat, failures.gp); *drawn is
 * FALSE when there were none. */
gboolean fs_report_bars_failures (const FsReportRun *run, const char *dir, gboolean *drawn,
                                  GError **error);
/* NAME.dat and NAME.gp: the speed of runs[other] over runs[0] per
 * scenario they share, sorted; *drawn is FALSE when they share none. */
gboolean fs_report_bars_ratios   (FsReportRun *const *runs, guint other, const char *name,
                                  const char *dir, gboolean *drawn, GError **error);

/* The charts of a capacity search (report-capacity.c), appended to
 * charts (FsChart) when the run searched: the capacities as bars, and
 * the corrected latency of every step against its offered rate. */
gboolean fs_report_capacity_charts (const FsReportRun *run, const char *dir, GPtrArray *charts,
                                    GError **error);

G_END_DECLS
