/* report-charts.h: the charts of filestorm-report, as gnuplot data and
 * scripts.
 *
 * fs_report_charts_write() writes, for every chart, NAME.dat (the
 * numbers) and NAME.gp (the gnuplot script that draws NAME.svg and
 * NAME.png from them, from its own directory) and says what it wrote;
 * gnuplot.h runs the scripts. */
#pragma once

#include <glib.h>

#include "report-data.h"

G_BEGIN_DECLS

typedef struct {
  char *name;      /* (owned) the files' stem: "throughput" */
  char *title;     /* (owned) what it shows, for the page's heading */
  char *caption;   /* (owned) how to read it, one or two sentences */
} FsChart;

void fs_chart_free (FsChart *chart);

/* The charts of one run (n == 1) or of a comparison of n runs, the first
 * being the reference, written into dir. Returns an array of FsChart
 * (owned) in the order the page shows them. */
GPtrArray *fs_report_charts_write (FsReportRun *const *runs, guint n, const char *dir,
                                   GError **error);

G_END_DECLS
