/* report-series.c: the lines of filestorm-report's grid charts: which
 * mode, client mode, idle connections and server pool (or results file)
 * each draws, its title, colour and dashes. */
#include "config.h"

#include "report-grid.h"

#include "util.h"

void
fs_grid_series_free (gpointer p)
{
  Series *s = p;

  g_free (s->title);
  g_free (s);
}

int
fs_grid_compare_guints (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return (x > y) - (x < y);
}

void
fs_grid_add_unique (GArray *values, guint v)
{
  for (guint i = 0; i < values->len; i++)
    if (g_array_index (values, guint, i) == v)
      return;
  g_array_append_val (values, v);
}

/* Whether run has a scenario in mode and client mode with idle
 * connections at server pool: a line (and a key entry) without one would
 * name what was not measured. */
static gboolean
run_has (const FsReportRun *run, FsMode mode, FsClientMode cm, guint idle, guint pool)
{
  for (guint i = 0; i < run->n_scenarios; i++)
    if (run->scenarios[i].scenario.mode == mode && run->scenarios[i].scenario.client_mode == cm
        && run->scenarios[i].scenario.idle == idle
        && run->scenarios[i].scenario.server_pool == pool)
      return TRUE;
  return FALSE;
}

/* The numbers of idle connections of the runs, in increasing order. */
static GArray *
idles (FsReportRun *const *runs, guint n)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint r = 0; r < n; r++)
    for (guint i = 0; i < runs[r]->n_scenarios; i++)
      fs_grid_add_unique (out, runs[r]->scenarios[i].scenario.idle);
  g_array_sort (out, fs_grid_compare_guints);
  return out;
}

/* The client modes of the runs, in their declared order. */
static GArray *
client_modes (FsReportRun *const *runs, guint n)
{
  gboolean seen[FS_CLIENT_N_MODES] = { FALSE };
  GArray *out = g_array_new (FALSE, FALSE, sizeof (FsClientMode));

  for (guint r = 0; r < n; r++)
    for (guint i = 0; i < runs[r]->n_scenarios; i++)
      seen[runs[r]->scenarios[i].scenario.client_mode] = TRUE;
  for (FsClientMode m = 0; m < FS_CLIENT_N_MODES; m++)
    if (seen[m])
      g_array_append_val (out, m);
  return out;
}

/* ", thread clients, 50 idle": a series' client mode and idle
 * connections, each named only when the chart has more than one of them
 * (a file of results format 2 alone has same). */
static const char *
series_tag (const GArray *modes, FsClientMode cm, const GArray *ks, guint idle, char buf[64])
{
  char cms[32] = "", idles[32] = "";

  if (modes->len > 1)
    g_snprintf (cms, sizeof cms, ", %s clients", fs_client_mode_name (cm));
  if (ks->len > 1)
    g_snprintf (idles, sizeof idles, ", %u idle", idle);
  g_snprintf (buf, 64, "%s%s", cms, idles);
  return buf;
}

/* One line per mode, client mode and server pool of run 0, coloured by
 * server pool (and client mode), dashed in process mode, dash-dotted in
 * event mode. */
void
fs_grid_series_by_mode_and_pool (Grid *g)
{
  g_autoptr(GArray) pools = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) cms = client_modes (g->runs, 1);
  g_autoptr(GArray) ks = idles (g->runs, 1);
  const FsReportRun *run = g->runs[0];

  for (guint i = 0; i < run->n_scenarios; i++)
    fs_grid_add_unique (pools, run->scenarios[i].scenario.server_pool);
  g_array_sort (pools, fs_grid_compare_guints);
  for (int m = 0; m < FS_N_MODES; m++)
    for (guint k = 0; k < ks->len; k++)
    for (guint c = 0; c < cms->len; c++)
      for (guint p = 0; p < pools->len; p++)
        {
          Series *s;
          guint pool = g_array_index (pools, guint, p);
          guint idle = g_array_index (ks, guint, k);
          FsClientMode cm = g_array_index (cms, FsClientMode, c);
          guint col = (k * cms->len + c) * pools->len + p;
          char buf[64];

          if (!run_has (run, (FsMode) m, cm, idle, pool))
            continue;
          s = g_new0 (Series, 1);
          s->run = 0;
          s->mode = (FsMode) m;
          s->client_mode = cm;
          s->idle = idle;
          s->server_pool = pool;
          s->title = g_strdup_printf ("%s%s, server pool %u", fs_mode_name ((FsMode) m),
                                      series_tag (cms, cm, ks, idle, buf), pool);
          s->colour = fs_gp_colours[col % FS_GP_N_COLOURS];
          s->dash = fs_gp_mode_dash (m);
          s->point = fs_gp_mode_point (m);
          s->key_col = col;
          g_ptr_array_add (g->series, s);
        }
}

/* One line per run, mode and client mode at one server pool, coloured
 * by run (and client mode). */
void
fs_grid_series_by_run_and_mode (Grid *g, guint pool)
{
  g_autoptr(GArray) cms = client_modes (g->runs, g->n_runs);
  g_autoptr(GArray) ks = idles (g->runs, g->n_runs);

  for (guint r = 0; r < g->n_runs; r++)
    for (guint k = 0; k < ks->len; k++)
    for (guint c = 0; c < cms->len; c++)
      for (int m = 0; m < FS_N_MODES; m++)
        {
          Series *s;
          FsClientMode cm = g_array_index (cms, FsClientMode, c);
          guint idle = g_array_index (ks, guint, k);
          guint col = (r * ks->len + k) * cms->len + c;
          char buf[64];

          if (!run_has (g->runs[r], (FsMode) m, cm, idle, pool))
            continue;
          s = g_new0 (Series, 1);
          s->run = r;
          s->mode = (FsMode) m;
          s->client_mode = cm;
          s->idle = idle;
          s->server_pool = pool;
          s->title = g_strdup_printf ("%s, %s%s", g->runs[r]->label, fs_mode_name ((FsMode) m),
                                      series_tag (cms, cm, ks, idle, buf));
          s->colour = fs_gp_colours[col % FS_GP_N_COLOURS];
          s->dash = fs_gp_mode_dash (m);
          s->point = fs_gp_mode_point (m);
          s->key_col = col;
          g_ptr_array_add (g->series, s);
        }
}
