/* report-charts.c: the data and gnuplot scripts of filestorm-report's
 * charts.
 *
 * Most charts are a grid of panels, one per operation (rows) and volume
 * (columns), each plotting a figure against the client pool on a log
 * axis, one line per mode and server pool, with bars from the minimum to
 * the maximum over the runs. The lines are nudged apart along x so that
 * equal values do not hide each other. Every script draws both an SVG
 * and a PNG, so that a user can restyle it and run gnuplot on it again. */
#include "config.h"

#include "report-charts-private.h"
#include "report-grid.h"

#include <math.h>
#include <string.h>

#include "pool.h"
#include "util.h"

void
fs_chart_free (FsChart *chart)
{
  if (chart == NULL)
    return;
  g_free (chart->name);
  g_free (chart->title);
  g_free (chart->caption);
  g_free (chart);
}

/* ------------------------------------------------------- the grid */

/* What a grid chart plots. */
typedef struct {
  const char *name;
  const char *title;
  const char *caption;
  FsFigure    transfer;      /* the figure for upload and download */
  FsFigure    list;          /* for list; FS_N_FIGURES: no list panels */
  double      transfer_factor, list_factor;
  const char *transfer_unit, *list_unit;
  gboolean    within;        /* bars: the clients' spread, not the runs' */
  gboolean    whiskers;      /* points and bars, no lines */
} GridSpec;

static int
compare_panels (gconstpointer a, gconstpointer b)
{
  const Panel *x = a, *y = b;
  guint rx = fs_operation_rank (x->operation), ry = fs_operation_rank (y->operation);

  if (rx != ry)
    return rx < ry ? -1 : 1;
  if (x->transfer != y->transfer)
    return x->transfer < y->transfer ? -1 : 1;
  return (x->volume_bytes > y->volume_bytes) - (x->volume_bytes < y->volume_bytes);
}

static void
add_panel (GArray *panels, const FsReportScenario *s)
{
  for (guint i = 0; i < panels->len; i++)
    {
      Panel *p = &g_array_index (panels, Panel, i);
      if (p->operation == s->scenario.operation && p->transfer == s->scenario.transfer
          && p->volume_bytes == s->volume_bytes)
        return;
    }
  g_array_append_val (panels, ((Panel) { s->scenario.operation, s->scenario.transfer,
                                         s->volume_bytes, s->scenario.volume,
                                         s->volume_unit }));
}

static void
grid_clear (Grid *g)
{
  g_clear_pointer (&g->panels, g_array_unref);
  g_clear_pointer (&g->series, g_ptr_array_unref);
  g_clear_pointer (&g->clients, g_array_unref);
  g_clear_pointer (&g->subtitle, g_free);
  g_clear_pointer (&g->source, g_free);
}

/* The panels and client pools of the runs' scenarios; the series are
 * the caller's. */
static void
grid_init (Grid *g, FsReportRun *const *runs, guint n)
{
  g_autofree char *machine = fs_report_run_machine (runs[0]);
  GString *source = g_string_new (NULL);
  gboolean same_machine = TRUE;

  g->runs = runs;
  g->n_runs = n;
  g->panels = g_array_new (FALSE, FALSE, sizeof (Panel));
  g->series = g_ptr_array_new_with_free_func (fs_grid_series_free);
  g->clients = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint r = 0; r < n; r++)
    {
      const char *base = runs[r]->file;
      g_autofree char *other = fs_report_run_machine (runs[r]);

      for (guint i = 0; i < runs[r]->n_scenarios; i++)
        {
          add_panel (g->panels, &runs[r]->scenarios[i]);
          fs_grid_add_unique (g->clients, runs[r]->scenarios[i].scenario.client_pool);
        }
      g_string_append_printf (source, "%s%s", r > 0 ? ", " : "", base);
      same_machine = same_machine && g_str_equal (machine, other);
    }
  g_array_sort (g->panels, compare_panels);
  g_array_sort (g->clients, fs_grid_compare_guints);
  g->source = g_string_free (source, FALSE);
  if (n == 1)
    g->subtitle = g_strdup_printf ("%s; %u run%s per scenario",
                                   machine, runs[0]->runs, runs[0]->runs == 1 ? "" : "s");
  else
    g->subtitle = g_strdup_printf ("%s; one colour per file",
                                   same_machine ? machine : "several machines");
}

static const FsReportScenario *
find (const FsReportRun *run, const Series *se, const Panel *p, guint clients)
{
  for (guint i = 0; i < run->n_scenarios; i++)
    {
      const FsReportScenario *s = &run->scenarios[i];
      if (s->scenario.mode == se->mode && s->scenario.client_mode == se->client_mode
          && s->scenario.idle == se->idle && s->scenario.operation == p->operation
          && s->scenario.transfer == p->transfer && s->volume_bytes == p->volume_bytes
          && s->scenario.client_pool == clients && s->scenario.server_pool == se->server_pool)
        return s;
    }
  return NULL;
}

/* The point of series s in panel p at a client pool: y, and the ends of
 * its bar. FALSE when there is none. */
static gboolean
point (const Grid *g, const GridSpec *spec, const Panel *p, const Series *se, guint clients,
       double out[3])
{
  const FsReportScenario *s = find (g->runs[se->run], se, p, clients);
  gboolean list = p->operation == FS_OP_LIST;
  FsFigure fig = list ? spec->list : spec->transfer;
  double factor = list ? spec->list_factor : spec->transfer_factor;

  if (s == NULL || fig == FS_N_FIGURES)
    return FALSE;
  if (spec->within)
    {
      out[0] = s->median[FS_FIG_CLIENT_TIME_P50];
      out[1] = s->median[FS_FIG_CLIENT_TIME_MIN];
      out[2] = s->median[FS_FIG_CLIENT_TIME_MAX];
    }
  else
    {
      out[0] = s->median[fig];
      out[1] = s->min[fig];
      out[2] = s->max[fig];
    }
  for (int i = 0; i < 3; i++)
    out[i] *= factor;
  if (!isfinite (out[1]) || !isfinite (out[2]))
    out[1] = out[2] = out[0];
  return isfinite (out[0]);
}

static void
panel_title (GString *gp, const Panel *p)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *title = p->operation == FS_OP_LIST
    ? g_strdup_printf ("list (volume axis %s %s)", fs_format_number (p->volume, number), p->unit)
    : g_strdup_printf ("%s%s, %s %s", fs_pool_operation_name (p->operation),
                       p->transfer == FS_TRANSFER_RAW ? " raw" : "",
                       fs_format_number (p->volume, number), p->unit);

  g_string_append (gp, "set title ");
  fs_gp_quoted (gp, title);
  g_string_append (gp, "\n");
}

/* Pixels: a panel's cell at least (wider when there are few columns),
 * and the strip above the panels for the title. */
#define CELL_W 430
/* The width the panels fill: the report page's column (its CSS
 * max-width), so that a chart of one or two columns of panels is drawn
 * as wide as the page shows it, not a 430-pixel plot scaled up. */
#define FRAME_W 1320
/* Panels per row at most, and the tallest and widest chart drawn: cairo refuses
 * images above 32767 pixels a side. */
#define MAX_COLS 6
#define MAX_HEIGHT 30000
#define MAX_WIDTH 30000
#define CELL_H 330
#define TITLE_H 62
#define SIDE 40
/* A character of the 14-point title, in pixels: about 9.3 measured for
 * real titles, more for capitals. */
#define TITLE_CHAR_W 10
/* A key entry: its height, and the width of a character of its title in
 * the PNG (gnuplot sizes a key column by its longest title, the sample
 * and the 'width' added: about 10 characters more). */
#define KEY_ROW_H 19
#define KEY_CHAR_W 9
#define KEY_EXTRA_CHARS 10

/* The panels that apply to spec (no list panels for a figure list lacks),
 * each with its row (one per operation) and column. */
static guint
place_panels (const Grid *g, const GridSpec *spec, GArray *panels, GArray *cells,
              guint *rows, guint *cols)
{
  FsOperation last = (FsOperation) -1;
  FsTransfer last_transfer = FS_TRANSFER_BASE64;
  guint row = 0, col = 0;

  *rows = *cols = 0;
  for (guint i = 0; i < g->panels->len; i++)
    {
      Panel *p = &g_array_index (g->panels, Panel, i);

      if (p->operation == FS_OP_LIST && spec->list == FS_N_FIGURES)
        continue;
      /* One row per operation and transfer, wrapped after MAX_COLS
       * volumes. */
      if (p->operation != last || p->transfer != last_transfer || col == MAX_COLS)
        {
          row = (*rows)++;
          col = 0;
          last = p->operation;
          last_transfer = p->transfer;
        }
      g_array_append_val (panels, *p);
      g_array_append_val (cells, row);
      g_array_append_val (cells, col);
      col++;
      *cols = MAX (*cols, col);
    }
  return panels->len;
}

/* What the key holds: the modes of the lines that have a point in the
 * chart (plotted[k]), its last column, how many columns have an entry,
 * and its longest title in characters. */
static void
key_extent (const Grid *g, const gboolean *plotted, gboolean has_mode[FS_N_MODES],
            guint *last_col, guint *n_cols, guint *chars)
{
  *last_col = *n_cols = *chars = 0;
  for (guint k = 0; k < g->series->len; k++)
    {
      const Series *se = g_ptr_array_index (g->series, k);

      if (plotted[k])
        {
          has_mode[se->mode] = TRUE;
          *last_col = MAX (*last_col, se->key_col);
          *chars = MAX (*chars, (guint) g_utf8_strlen (se->title, -1));
        }
    }
  for (guint col = 0; col <= *last_col; col++)
    for (guint k = 0; k < g->series->len; k++)
      if (plotted[k] && ((const Series *) g_ptr_array_index (g->series, k))->key_col == col)
        {
          (*n_cols)++;
          break;
        }
}

/* The rows of the key: thread above process above event (one per mode
 * the chart has), times as many of the series' columns as must share a
 * column of the key for the key to fit in the canvas's width. A key of
 * a column per server pool and client mode was wider than the canvas
 * and ran off both sides. */
static guint
key_rows (const Grid *g, const gboolean *plotted, guint width)
{
  gboolean has_mode[FS_N_MODES] = { FALSE };
  guint last_col, n_cols, chars, fit, modes = 0;

  key_extent (g, plotted, has_mode, &last_col, &n_cols, &chars);
  fit = MAX (1, (width - 2 * SIDE) / ((chars + KEY_EXTRA_CHARS) * KEY_CHAR_W));
  for (int m = 0; m < FS_N_MODES; m++)
    modes += has_mode[m];
  return modes * ((n_cols + fit - 1) / fit);
}

/* The key on its own, over the whole canvas, so that it may be wider
 * than a panel: every line that has a point in the chart (plotted[k]),
 * drawn with no data, in rows entries a column. */
static void
key_plot (GString *gp, const Grid *g, const gboolean *plotted, guint height, guint rows)
{
  gboolean has_mode[FS_N_MODES] = { FALSE };
  guint last_col, n_cols, chars;

  key_extent (g, plotted, has_mode, &last_col, &n_cols, &chars);
  g_string_append_printf (gp, "set origin 0,0\nset size 1,1\nunset title\nunset xlabel\n"
                          "unset ylabel\nunset border\nunset tics\nunset grid\nunset logscale x\n"
                          "set xrange [0:1]\nset yrange [0:1]\n"
                          "set key at screen 0.5,%.4f center top vertical maxrows %u "
                          "samplen 4 spacing 1.2 width 2 box lc rgb '#aaaaaa'\nplot ",
                          1 - (double) TITLE_H / height, MAX (rows, 1));
  /* A vertical key is filled column by column: thread above process,
   * one pair per server pool (or per file). A column that
   * lacks a mode the chart has gets a blank entry in its place, or every
   * entry after it would move up a row. */
  for (guint col = 0, n = 0; col <= last_col; col++)
    {
      /* The line style of the column's series in each mode: its index in
       * g->series + 1, 0 for none. */
      guint style[FS_N_MODES] = { 0 };
      gboolean any = FALSE;

      for (guint k = 0; k < g->series->len; k++)
        {
          const Series *se = g_ptr_array_index (g->series, k);

          if (plotted[k] && se->key_col == col)
            {
              style[se->mode] = k + 1;
              any = TRUE;
            }
        }
      if (!any)
        continue;
      for (int m = 0; m < FS_N_MODES; m++)
        {
          if (!has_mode[m])
            continue;
          g_string_append (gp, n++ ? ", " : "");
          if (style[m] == 0)
            {
              g_string_append (gp, "keyentry with lines lt nodraw title ' '");
              continue;
            }
          g_string_append_printf (gp, "NaN with linespoints ls %u title ", style[m]);
          fs_gp_quoted (gp, ((const Series *) g_ptr_array_index (g->series, style[m] - 1))->title);
        }
    }
  g_string_append (gp, "\n");
}

static gboolean
write_grid (const Grid *g, const GridSpec *spec, const char *dir, gboolean *drawn,
            GError **error)
{
  g_autoptr(GString) dat = g_string_new (NULL), gp = g_string_new (NULL);
  g_autoptr(GArray) panels = g_array_new (FALSE, FALSE, sizeof (Panel));
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (guint));
  guint cols, rows, block = 0, points = 0, width, height, left, chars, cell_w, top_h, krows;
  g_autofree char *sub = NULL;
  g_autofree gboolean *plotted = g_new0 (gboolean, g->series->len);
  guint clients_lo = g_array_index (g->clients, guint, 0);
  guint clients_hi = g_array_index (g->clients, guint, g->clients->len - 1);
  /* Whiskers need more room than lines with short bars. */
  double spread = spec->whiskers ? 0.08 : 0.045;
  /* The room along x (log) that the nudged points of one client pool
   * may take: the narrowest gap between client pools, or the margin of
   * the x range around one alone. */
  double room = 2 * log (1.5);

  *drawn = FALSE;
  if (place_panels (g, spec, panels, cells, &rows, &cols) == 0)
    return TRUE;
  /* Which lines have a point, before drawing: the key's size depends on
   * them. */
  for (guint i = 0; i < panels->len; i++)
    for (guint k = 0; k < g->series->len; k++)
      for (guint c = 0; c < g->clients->len && !plotted[k]; c++)
        {
          double v[3];

          plotted[k] = point (g, spec, &g_array_index (panels, Panel, i),
                              g_ptr_array_index (g->series, k),
                              g_array_index (g->clients, guint, c), v);
        }
  for (guint c = 1; c < g->clients->len; c++)
    room = MIN (room, log ((double) g_array_index (g->clients, guint, c)
                           / g_array_index (g->clients, guint, c - 1)));
  /* Nudged points of many lines stay within half of that room, so that a
   * client pool's points are not taken for the next one's. */
  if (g->series->len > 1)
    spread = MIN (spread, 0.5 * room / (g->series->len - 1));

  g_string_append_printf (dat, "# %s.dat: %s\n# %s\n"
                          "# One block per panel and line (gnuplot's index, from 0); columns:\n"
                          "# client pool, %s, bar low, bar high\n",
                          spec->name, spec->title, g->source,
                          spec->within ? "median client" : "median");
  sub = g_strdup_printf ("%s; %s", g->subtitle, spec->within
                         ? "whiskers: fastest to slowest client" : "bars: min to max over the runs");
  /* Wide enough for the title's lines too (about TITLE_CHAR_W pixels a
   * character), with the panels in the middle: one panel alone is
   * narrower than the machine's line. A machine line of thousands of
   * characters (the results' cpu_model is the file's to say) is cut off
   * at MAX_WIDTH, not a canvas cairo refuses. */
  chars = (guint) MIN (MAX (g_utf8_strlen (spec->title, -1), g_utf8_strlen (sub, -1)),
                       (MAX_WIDTH - 2 * SIDE) / TITLE_CHAR_W);
  /* The panels fill the frame's width: one column of panels is a wide
   * plot, not a narrow one in the middle of a wide canvas. */
  cell_w = MAX (CELL_W, (FRAME_W - 2 * SIDE) / cols);
  width = MAX (cell_w * cols, TITLE_CHAR_W * chars) + 2 * SIDE;
  left = (width - cell_w * cols) / 2;
  /* Below the title, the key as tall as its rows, then the panels. */
  krows = key_rows (g, plotted, width);
  top_h = TITLE_H + KEY_ROW_H * krows + 25;
  height = CELL_H * rows + top_h + 20;
  if (height > MAX_HEIGHT)
    return TRUE;
  fs_gp_begin_script (gp, spec->name, spec->title, g->source, width, height);
  g_string_append (gp, "set multiplot title ");
  fs_gp_quoted (gp, spec->title);
  g_string_append (gp, ".\"\\n\".");
  fs_gp_quoted (gp, sub);
  g_string_append (gp, " font \",14\"\n");
  g_string_append_printf (gp, "unset key\nset logscale x\nset xrange [%g:%g]\nset xtics (",
                          clients_lo / 1.5, clients_hi * 1.5);
  for (guint i = 0; i < g->clients->len; i++)
    g_string_append_printf (gp, "%s%u", i ? ", " : "", g_array_index (g->clients, guint, i));
  g_string_append (gp, ")\nset xlabel 'client pool (log scale)'\n"
                       "set grid ytics lc rgb '#dddddd'\nset border 3\nset tics nomirror\n"
                       "set bars small\n");
  for (guint k = 0; k < g->series->len; k++)
    {
      const Series *se = g_ptr_array_index (g->series, k);

      /* A whisker drawn dashed is a few dots at a few pixels long, which
       * cannot be matched to its point: whiskers are solid, the point's
       * shape telling process (a triangle) and event (a square) from
       * thread (a circle). */
      g_string_append_printf (gp, "set style line %u lc rgb '%s' lw 2 pt %d ps %s dt %d\n",
                              k + 1, se->colour, se->point,
                              spec->whiskers ? "1.1" : "0.9",
                              spec->whiskers ? 1 : se->dash);
    }

  for (guint i = 0; i < panels->len; i++)
    {
      const Panel *p = &g_array_index (panels, Panel, i);
      guint row = g_array_index (cells, guint, 2 * i), col = g_array_index (cells, guint, 2 * i + 1);
      gboolean list = p->operation == FS_OP_LIST;
      g_autoptr(GString) plot = g_string_new (NULL);
      double ymax = 0;

      g_string_append_printf (gp, "set origin %.4f,%.4f\nset size %.4f,%.4f\n",
                              (double) (left + col * cell_w) / width,
                              (double) (10 + (rows - 1 - row) * CELL_H) / height,
                              (double) cell_w / width, (double) CELL_H / height);
      panel_title (gp, p);
      g_string_append (gp, "set ylabel ");
      fs_gp_quoted (gp, list ? spec->list_unit : spec->transfer_unit);
      g_string_append (gp, "\n");
      for (guint k = 0; k < g->series->len; k++)
        {
          const Series *se = g_ptr_array_index (g->series, k);
          double nudge = exp (spread * ((double) k - (g->series->len - 1) / 2.0));
          guint n = 0;

          for (guint c = 0; c < g->clients->len; c++)
            {
              double v[3];
              guint clients = g_array_index (g->clients, guint, c);

              if (!point (g, spec, p, se, clients, v))
                continue;
              if (n++ == 0)
                g_string_append_printf (dat, "\n\n# index %u: %s; %s\n", block, se->title,
                                        list ? "list" : fs_pool_operation_name (p->operation));
              g_string_append_printf (dat, "%u ", clients);
              for (int j = 0; j < 3; j++)
                {
                  fs_gp_number (dat, v[j]);
                  g_string_append_c (dat, j < 2 ? ' ' : '\n');
                }
              ymax = MAX (ymax, MAX (v[0], v[2]));
            }
          if (n == 0)
            continue;
          plotted[k] = TRUE;
          points += n;
          g_string_append_printf (plot, "%s'%s.dat' index %u using ($1*", plot->len ? ", " : "",
                                  spec->name, block++);
          fs_gp_number (plot, nudge);
          g_string_append_printf (plot, "):2:3:4 with %s ls %u title ",
                                  spec->whiskers ? "yerrorbars" : "yerrorlines", k + 1);
          fs_gp_quoted (plot, se->title);
        }
      if (plot->len == 0)
        g_string_append (gp, "set yrange [0:1]\nset label 1 'no value' at graph 0.5,0.5 center\n"
                             "plot NaN notitle\nunset label 1\n");
      else
        {
          /* From 0, with room above the highest bar. */
          g_string_append (gp, "set yrange [0:");
          fs_gp_number (gp, ymax > 0 ? (isfinite (ymax * 1.08) ? ymax * 1.08 : ymax) : 1);
          g_string_append_printf (gp, "]\nplot %s\n", plot->str);
        }
    }
  key_plot (gp, g, plotted, height, krows);
  fs_gp_end_script (gp, TRUE);
  if (points == 0)
    return TRUE;
  *drawn = TRUE;
  return fs_gp_write_file (dir, spec->name, ".dat", dat, error)
         && fs_gp_write_file (dir, spec->name, ".gp", gp, error);
}

/* ------------------------------------------------------- the list */

static const GridSpec run_charts[] = {
  { "throughput", "Aggregate throughput against client pool",
    "What the server moved as a whole (list: operations per second), by mode and server pool. "
    "A line that levels off has reached the server's limit; one that falls has collapsed.",
    FS_FIG_AGGREGATE, FS_FIG_OPS_PER_S, 1.0 / (1024 * 1024), 1, "MiB/s", "operations/s",
    FALSE, FALSE },
  { "time-per-client", "Time per client against client pool",
    "The average time a client took for its operations, the original tool's headline figure.",
    FS_FIG_AVG_TIME, FS_FIG_AVG_TIME, 1, 1000, "s", "ms", FALSE, FALSE },
  { "latency-p50", "Median (p50) latency of one operation against client pool",
    "From the start of an operation's connection to its close.",
    FS_FIG_P50, FS_FIG_P50, 1, 1, "ms", "ms", FALSE, FALSE },
  { "latency-p99", "p99 latency of one operation against client pool",
    "The time 99% of operations stayed under: the slow tail.",
    FS_FIG_P99, FS_FIG_P99, 1, 1, "ms", "ms", FALSE, FALSE },
  { "cpu-cost", "Server CPU time per MiB moved (per 1,000 operations for list)",
    "User and system CPU of the server's every process and thread over the pool's run, "
    "divided by the work done: lower is cheaper.",
    FS_FIG_SERVER_CPU_PER_MIB, FS_FIG_SERVER_CPU_PER_KOP, 1, 1, "CPU ms per MiB",
    "CPU ms per 1,000 ops", FALSE, FALSE },
  { "memory", "Server memory (peak PSS) against client pool",
    "The peak proportional set size summed over the server's processes, so that pages shared "
    "between workers count once.",
    FS_FIG_SERVER_PSS, FS_FIG_SERVER_PSS, 1.0 / 1024, 1.0 / 1024, "MiB", "MiB", FALSE, FALSE },
  { "fairness", "Fairness: the spread of time per client within a scenario",
    "Each point is the median client's time; its whisker runs from the fastest client to the "
    "slowest (medians over the runs). A long whisker upwards is a straggler.",
    FS_FIG_CLIENT_TIME_P50, FS_FIG_CLIENT_TIME_P50, 1, 1000, "s", "ms", TRUE, TRUE },
};

static gboolean
add_chart (GPtrArray *charts, const char *name, const char *title, const char *caption)
{
  FsChart *c = g_new0 (FsChart, 1);

  c->name = g_strdup (name);
  c->title = g_strdup (title);
  c->caption = g_strdup (caption);
  g_ptr_array_add (charts, c);
  return TRUE;
}

GPtrArray *
fs_report_charts_write (FsReportRun *const *runs, guint n, const char *dir, GError **error)
{
  g_autoptr(GPtrArray) charts = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_chart_free);
  Grid g = { 0 };
  gboolean drawn;
  gboolean ok = TRUE;

  grid_init (&g, runs, n);
  if (n == 1)
    {
      ok = fs_report_capacity_charts (runs[0], dir, charts, error);
      fs_grid_series_by_mode_and_pool (&g);
      for (gsize i = 0; ok && i < G_N_ELEMENTS (run_charts); i++)
        {
          const GridSpec *spec = &run_charts[i];

          if (spec->within && !runs[0]->has_client_times)
            continue;
          ok = write_grid (&g, spec, dir, &drawn, error);
          if (ok && drawn)
            add_chart (charts, spec->name, spec->title, spec->caption);
        }
      if (ok && (ok = fs_report_bars_failures (runs[0], dir, &drawn, error)) && drawn)
        add_chart (charts, "failures", "Failures per scenario, by kind",
                   "Failed operations summed over the runs, by what went wrong (see "
                   "filestorm-pool(1)); 'run' counts runs that failed without a failed "
                   "operation, as when the server did not start.");
    }
  else
    {
      g_autoptr(GArray) pools = g_array_new (FALSE, FALSE, sizeof (guint));

      for (guint i = 0; i < runs[0]->n_scenarios; i++)
        fs_grid_add_unique (pools, runs[0]->scenarios[i].scenario.server_pool);
      g_array_sort (pools, fs_grid_compare_guints);
      for (guint p = 0; ok && p < pools->len; p++)
        {
          guint pool = g_array_index (pools, guint, p);
          g_autofree char *name = g_strdup_printf ("compare-throughput-s%u", pool);
          g_autofree char *title = g_strdup_printf ("Aggregate throughput, server pool %u", pool);
          GridSpec spec = run_charts[0];

          spec.name = name;
          spec.title = title;
          spec.caption = "Chart 1 of each file overlaid: one colour per file, dashed for "
                         "process mode, dash-dotted for event mode.";
          g_ptr_array_set_size (g.series, 0);
          fs_grid_series_by_run_and_mode (&g, pool);
          ok = write_grid (&g, &spec, dir, &drawn, error);
          if (ok && drawn)
            add_chart (charts, name, title, spec.caption);
        }
      for (guint r = 1; ok && r < n; r++)
        {
          g_autofree char *name = g_strdup_printf ("ratio-%u", r + 1);
          g_autofree char *title = g_strdup_printf ("Speed of %s relative to %s",
                                                    runs[r]->label, runs[0]->label);

          ok = fs_report_bars_ratios (runs, r, name, dir, &drawn, error);
          if (ok && drawn)
            add_chart (charts, name, title,
                       "Per scenario both files have, the ratio of the medians of the speed "
                       "figure (aggregate throughput, operations per second for list), sorted; "
                       "the line marks 1.0, no difference.");
        }
    }
  grid_clear (&g);
  return ok ? g_steal_pointer (&charts) : NULL;
}
