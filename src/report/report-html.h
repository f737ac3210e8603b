/* report-html.h: filestorm-report's page, index.html. */
#pragma once

#include <glib.h>

#include "report-charts.h"
#include "report-data.h"

G_BEGIN_DECLS

typedef struct {
  FsReportRun *const *runs;       /* the first is the reference */
  guint               n_runs;
  GPtrArray          *charts;     /* FsChart, their files in charts_dir */
  const char         *charts_dir; /* where NAME.svg are */
  gboolean            drawn;      /* gnuplot drew them; else say how to */
  const char         *no_charts;  /* (nullable) why there are none */
} FsReportPage;

/* Writes the page, self-contained (the SVGs inline, no script), to path. */
gboolean fs_report_html_write (const FsReportPage *page, const char *path, GError **error);

G_END_DECLS
