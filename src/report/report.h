/* report.h: filestorm-report's work, from results files to a directory
 * holding index.html and charts/. Used by filestorm-report and, at the
 * end of every run, by filestorm-stress. */
#pragma once

#include <stdio.h>

#include <glib.h>

#include "report-data.h"

G_BEGIN_DECLS

typedef struct {
  const char *const *inputs;   /* results JSON files, the first the reference */
  guint              n_inputs;
  const char *const *labels;   /* (nullable) one per input */
  const char        *output;   /* (nullable) the directory; NULL: the default */
  FILE              *notes;    /* (nullable) where to say that gnuplot is missing */
} FsReportOptions;

/* The default directory for a report of path: report_STAMP beside it,
 * STAMP from its name orchestrator_results_STAMP.json, or the local time
 * now; with -2, -3, ... when that exists. Owned. */
char    *fs_report_default_output (const char *path);

/* Reads the inputs, writes the report into a temporary directory beside
 * the output and renames it into place, so that the output either holds
 * a whole report or does not exist. The output may exist only as an
 * empty directory. *written (owned) receives its path; *charts_drawn
 * whether gnuplot drew the charts (FALSE when it is not installed, which
 * is said once on notes, and is not an error). */
gboolean fs_report_write (const FsReportOptions *options, char **written,
                          gboolean *charts_drawn, GError **error);

G_END_DECLS
