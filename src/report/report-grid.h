/* report-grid.h: what a grid chart of filestorm-report is made of (its
 * panels, its series and the grid), shared by report-charts.c, which
 * draws it, and report-series.c, which chooses its lines. */
#pragma once

#include "report-charts-private.h"
#include "scenario.h"

G_BEGIN_DECLS

typedef struct {
  FsOperation operation;
  FsTransfer  transfer;
  guint64     volume_bytes;
  double      volume;
  const char *unit;
} Panel;

typedef struct {
  guint       run;          /* which of the runs */
  FsMode      mode;
  FsClientMode client_mode;
  guint       server_pool;
  guint       idle;         /* idle connections */
  char       *title;        /* (owned) */
  const char *colour;
  int         dash;         /* gnuplot's dash type: fs_gp_mode_dash() */
  int         point;        /* and point type */
  guint       key_col;      /* its column in the key */
} Series;

typedef struct {
  FsReportRun *const *runs;
  guint        n_runs;
  GArray      *panels;       /* Panel */
  GPtrArray   *series;       /* Series */
  GArray      *clients;      /* guint, sorted */
  char        *subtitle;     /* (owned) the machine and runs */
  char        *source;       /* (owned) the results files */
} Grid;

void fs_grid_series_free     (gpointer series);
int  fs_grid_compare_guints  (gconstpointer a, gconstpointer b);
/* Appends v to values (guint) unless it is there. */
void fs_grid_add_unique      (GArray *values, guint v);
/* One line per mode, idle connections, client mode and server pool of
 * run 0, coloured by server pool (and client mode and idle connections),
 * dashed in process mode, dash-dotted in event mode. */
void fs_grid_series_by_mode_and_pool (Grid *g);
/* One line per run, idle connections, mode and client mode at one server
 * pool, coloured by run (and client mode and idle connections). */
void fs_grid_series_by_run_and_mode  (Grid *g, guint pool);

G_END_DECLS
