/* report-html.c: filestorm-report's page.
 *
 * One file that stands on its own: the charts are inline SVG (their ids
 * made unique per chart, since gnuplot gives every SVG the same ones),
 * the style is inline, and there is no script. Every number in the
 * tables carries the exact value of the results file in data-value, for
 * whoever checks the page against the JSON. The page is also well-formed
 * XML (polyglot HTML), so that XML tools can read it. */
#include "config.h"

#include "report-html.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>

#include "pool.h"
#include "util.h"

static const char style[] =
  "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1320px;padding:1em 2em;"
  "color:#1a1a1a;background:#fff;line-height:1.4}\n"
  "h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;"
  "margin-top:2em}\n"
  "table{border-collapse:collapse;font-size:.88em}td,th{padding:.25em .6em;"
  "border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}\n"
  "th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums;"
  "white-space:nowrap}\n"
  ".range{color:#777;font-size:.85em}.fail{color:#b00020;font-weight:bold}"
  ".ok{color:#0a6b2d}\n"
  "table.meta th{width:12em}table.meta td{max-width:60em;overflow-wrap:anywhere}\n"
  "figure{margin:1.5em 0;padding:0}figure svg{width:100%;height:auto;display:block;box-sizing:border-box;"
  "border:1px solid #e4e4e4}\n"
  "figcaption h3{margin:.2em 0}figcaption p{margin:.2em 0}.files{font-size:.85em}\n"
  ".answer li{margin:.3em 0;font-size:1.1em}.verdict li{margin:.3em 0}.rule{color:#555;font-size:.9em}\n"
  ".note{background:#fff8e1;border-left:4px solid #e69f00;padding:.5em 1em}\n"
  "div.scroll{overflow-x:auto}\n";

typedef struct {
  FILE       *out;
  const char *path;
} Page;

static void
text (Page *p, const char *s)
{
  /* Control characters have no place in XML 1.0, even as references. */
  g_autofree char *clean = fs_report_printable (s != NULL ? s : "");
  g_autofree char *e = g_markup_escape_text (clean, -1);

  fputs (e, p->out);
}

static void
put (Page *p, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
put (Page *p, const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  vfprintf (p->out, fmt, ap);
  va_end (ap);
}

/* A number for people: about four significant digits, a decimal point
 * whatever the locale. */
static char *
human (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double a = fabs (v);
  const char *fmt = a >= 1000 ? "%.0f" : a >= 100 ? "%.1f" : a >= 10 ? "%.2f"
                    : a >= 1 ? "%.3f" : a == 0 ? "%.0f" : "%.3g";

  return g_strdup (g_ascii_formatd (buf, sizeof buf, fmt, v));
}

/* A table cell holding a figure of a scenario, scaled for people, with
 * the file's exact median in data-value and the range when asked. */
static void
figure_cell (Page *p, const FsReportScenario *s, FsFigure fig, gboolean range)
{
  char exact[G_ASCII_DTOSTR_BUF_SIZE];
  double factor, v = s->median[fig];

  fs_report_figure_unit (fig, &factor);

  if (!isfinite (v))
    {
      put (p, "<td class=\"n\" data-figure=\"%s\">\xe2\x80\x94</td>", fs_figure_name (fig));
      return;
    }
  g_ascii_formatd (exact, sizeof exact, "%.17g", v);
  {
    g_autofree char *shown = human (v * factor);
    put (p, "<td class=\"n\" data-figure=\"%s\" data-value=\"%s\">%s", fs_figure_name (fig),
         exact, shown);
  }
  if (range && s->runs_done > 1 && isfinite (s->min[fig]) && isfinite (s->max[fig]))
    {
      g_autofree char *lo = human (s->min[fig] * factor), *hi = human (s->max[fig] * factor);
      put (p, "<br/><span class=\"range\">%s\xe2\x80\x93%s</span>", lo, hi);
    }
  put (p, "</td>");
}

static void
meta_row (Page *p, const char *name, const char *const *values, guint n)
{
  put (p, "<tr><th>");
  text (p, name);
  put (p, "</th>");
  for (guint i = 0; i < n; i++)
    {
      put (p, "<td>");
      text (p, values[i] != NULL ? values[i] : "\xe2\x80\x94");
      put (p, "</td>");
    }
  put (p, "</tr>\n");
}

/* "2026-12-02 23:09:47 UTC, after 10 min 33 s", or the recorded text when
 * it is not an ISO 8601 time. */
static char *
ended_text (const FsReportRun *r)
{
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autofree char *when = NULL;
  const char *tail = r->complete ? "" : " (interrupted)";

  if (r->ended == NULL)
    return g_strdup ("not ended");
  if ((end = g_date_time_new_from_iso8601 (r->ended, NULL)) == NULL)
    return g_strdup_printf ("%s%s", r->ended, tail);
  when = g_date_time_format (end, "%Y-%m-%d %H:%M:%S UTC");
  if (r->started != NULL && (start = g_date_time_new_from_iso8601 (r->started, NULL)) != NULL)
    {
      gint64 s = g_date_time_difference (end, start) / G_TIME_SPAN_SECOND;

      if (s >= 0)
        return g_strdup_printf ("%s, after %" G_GINT64_FORMAT " min %02" G_GINT64_FORMAT " s%s",
                                when, s / 60, s % 60, tail);
    }
  return g_strdup_printf ("%s%s", when, tail);
}

/* A results file of format 2: its thread and process scenarios were
 * loaded by different client pools. */
#define OLD_WAY "measured the old way: the client pool's model followed the server's"

/* Which pool measured: filestorm-pool, or filestorm-pool-mpi over the
 * ranks its scenarios report, started by the launcher. */
static char *
load_generator_text (const FsReportRun *r)
{
  guint lo = G_MAXUINT, hi = 0;
  g_autofree char *ranks = NULL;

  /* 0: a scenario whose pools failed before saying. */
  for (guint i = 0; i < r->n_scenarios; i++)
    if (r->scenarios[i].runs_done > 0 && r->scenarios[i].ranks > 0)
      {
        lo = MIN (lo, r->scenarios[i].ranks);
        hi = MAX (hi, r->scenarios[i].ranks);
      }
  if (r->launcher == NULL && hi <= 1)
    return g_strdup_printf ("filestorm-pool, one process%s", r->old_way ? "; " OLD_WAY : "");
  ranks = hi == 0 ? g_strdup ("ranks not known")
          : lo == hi ? g_strdup_printf ("%u rank%s", hi, hi == 1 ? "" : "s")
          : g_strdup_printf ("%u to %u ranks", lo, hi);
  return g_strdup_printf ("filestorm-pool-mpi over %s, started by: %s%s", ranks,
                          r->launcher != NULL ? r->launcher : "?",
                          r->old_way ? "; " OLD_WAY : "");
}

static void
write_metadata (Page *p, FsReportRun *const *runs, guint n)
{
  static const char *const names[] = {
    "label", "results file", "filestorm", "command", "machine", "kernel", "system",
    "servers' roots", "load at start", "started", "ended", "seed", "runs per scenario",
    "scenarios", "matrix", "load generator",
  };
  g_autofree char **row = g_new0 (char *, n);
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);

  put (p, "<section id=\"run\"><h2>The run%s</h2><div class=\"scroll\"><table class=\"meta\">\n",
       n > 1 ? "s" : "");
  for (gsize f = 0; f < G_N_ELEMENTS (names); f++)
    {
      for (guint i = 0; i < n; i++)
        {
          const FsReportRun *r = runs[i];
          char *v = NULL;

          switch (f)
            {
            case 0: v = g_strdup (r->label); break;
            case 1: v = g_strdup (r->path); break;
            case 2: v = g_strdup (r->version); break;
            case 3: v = g_strdup (r->command); break;
            case 4: v = fs_report_run_machine (r); break;
            case 5: v = g_strdup (r->kernel); break;
            case 6: v = g_strdup (r->os); break;
            case 7: v = r->roots_fs != NULL ? g_strdup (r->roots_fs) : NULL; break;
            case 8:
              v = isfinite (r->load1) ? g_strdup_printf ("%.2f%s", r->load1,
                                                         r->busy ? " (the machine was busy)"
                                                         : "")
                  : NULL;
              break;
            case 9: v = fs_report_run_date (r); break;
            case 10:
              v = ended_text (r);
              break;
            case 11: v = r->seed >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, r->seed) : NULL;
              break;
            case 12: v = g_strdup_printf ("%u", r->runs); break;
            case 13:
              v = g_strdup_printf ("%u%s", r->n_scenarios,
                                   r->quick ? ", --quick (volumes in KiB)" : "");
              break;
            case 14:
              v = g_strdup_printf ("%s%s", r->matrix_file != NULL ? r->matrix_file : "?",
                                   r->scale != 1 ? ", volumes scaled" : "");
              break;
            case 15: v = load_generator_text (r); break;
            default: break;
            }
          row[i] = v;
          if (v != NULL)
            g_ptr_array_add (owned, v);
        }
      meta_row (p, names[f], (const char *const *) row, n);
    }
  put (p, "</table></div></section>\n");
}

/* A list of the verdict's lines, as text. */
static void
write_lines (Page *p, const GStrv lines)
{
  put (p, "<ul>\n");
  for (guint k = 0; lines[k] != NULL; k++)
    {
      put (p, "<li>");
      text (p, lines[k]);
      put (p, "</li>\n");
    }
  put (p, "</ul>\n");
}

/* The verdict's answer, first on the page: what the run was for (which
 * model, which server pool is enough), before the details it rests on.
 * Nothing for results written before it; in a comparison, each file's
 * under its label. */
static void
write_answer (Page *p, FsReportRun *const *runs, guint n)
{
  gboolean any = FALSE;

  for (guint i = 0; i < n; i++)
    any = any || (runs[i]->answer != NULL && runs[i]->answer[0] != NULL);
  if (!any)
    return;
  put (p, "<section id=\"answer\" class=\"answer\"><h2>Answer</h2>\n");
  for (guint i = 0; i < n; i++)
    {
      const FsReportRun *r = runs[i];
      gboolean has = r->answer != NULL && r->answer[0] != NULL;

      if (n > 1)
        {
          put (p, "<h3>");
          text (p, r->label);
          put (p, "</h3>\n");
        }
      if (!has)
        {
          put (p, "<p class=\"note\">No answer: results written before filestorm gave "
                  "one.</p>\n");
          continue;
        }
      write_lines (p, r->answer);
    }
  put (p, "</section>\n");
}

static void
write_verdict (Page *p, FsReportRun *const *runs, guint n)
{
  put (p, "<section id=\"verdict\" class=\"verdict\"><h2>Verdict</h2>\n");
  for (guint i = 0; i < n; i++)
    {
      const FsReportRun *r = runs[i];

      if (n > 1)
        {
          put (p, "<h3>");
          text (p, r->label);
          put (p, "</h3>\n");
        }
      /* Before the conclusions, which it qualifies. */
      if (r->old_way)
        put (p, "<p class=\"note old-way\">Results format 2, " OLD_WAY " (client mode "
                "same), so its thread and process scenarios were loaded by different "
                "generators: these pairs do not compare the servers alone.</p>\n");
      if (r->conclusions == NULL || r->conclusions[0] == NULL)
        {
          put (p, "<p class=\"note\">No verdict: the run did not end, or it had no pair of "
                  "scenarios in two server models (thread, process, event) to "
                  "compare.</p>\n");
          continue;
        }
      write_lines (p, r->conclusions);
      if (r->verdict_rule != NULL)
        {
          put (p, "<p class=\"rule\">The rule: ");
          text (p, r->verdict_rule);
          put (p, ". See filestorm-stress(1), THE VERDICT.</p>\n");
        }
    }
  put (p, "</section>\n");
}

/* --------------------------------------------------------- the SVGs */

/* gnuplot names its markers and filters the same in every SVG; inline,
 * they would clash. */
static const char *const svg_ids[] = {
  "gpDot", "gpPt", "gnuplot_canvas", "greybox", "textbox",
};

static char *
unique_ids (const char *line, const char *prefix)
{
  GString *s = g_string_new (NULL);
  const char *p = line;

  while (*p)
    {
      gboolean done = FALSE;

      if (*p == '\'' || *p == '"' || *p == '#')
        for (gsize i = 0; i < G_N_ELEMENTS (svg_ids) && !done; i++)
          if (g_str_has_prefix (p + 1, svg_ids[i]))
            {
              g_string_append_c (s, *p);
              g_string_append_printf (s, "%s-", prefix);
              p++;
              done = TRUE;
            }
      if (!done)
        g_string_append_c (s, *p++);
    }
  return g_string_free (s, FALSE);
}

/* Copies charts_dir/NAME.svg into the page a line at a time, without its
 * XML declaration. */
static gboolean
inline_svg (Page *p, const char *charts_dir, const FsChart *chart, GError **error)
{
  g_autofree char *file = g_strconcat (chart->name, ".svg", NULL);
  g_autofree char *path = g_build_filename (charts_dir, file, NULL);
  g_autoptr(GFile) gfile = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) local = NULL;
  char *line;

  in = g_file_read (gfile, NULL, &local);
  if (in == NULL)
    {
      g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_OUTPUT, "cannot read %s: %s", path,
                   local->message);
      return FALSE;
    }
  lines = g_data_input_stream_new (G_INPUT_STREAM (in));
  while ((line = g_data_input_stream_read_line (lines, NULL, NULL, &local)) != NULL)
    {
      if (!g_str_has_prefix (line, "<?xml"))
        {
          g_autofree char *fixed = unique_ids (line, chart->name);
          fputs (fixed, p->out);
          fputc ('\n', p->out);
        }
      g_free (line);
    }
  if (local != NULL)
    {
      g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_OUTPUT, "cannot read %s: %s", path,
                   local->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_charts (Page *p, const FsReportPage *page, GError **error)
{
  put (p, "<section id=\"charts\"><h2>Charts</h2>\n");
  if (!page->drawn)
    {
      put (p, "<p class=\"note\">");
      text (p, page->no_charts != NULL ? page->no_charts : "No charts were drawn.");
      put (p, " The data and gnuplot scripts of the charts are in charts/.</p>\n");
    }
  for (guint i = 0; page->drawn && i < page->charts->len; i++)
    {
      const FsChart *c = g_ptr_array_index (page->charts, i);

      put (p, "<figure id=\"chart-%s\"><figcaption><h3>", c->name);
      text (p, c->title);
      put (p, "</h3><p>");
      text (p, c->caption);
      put (p, "</p><p class=\"files\"><a href=\"charts/%s.svg\">SVG</a> \xc2\xb7 "
              "<a href=\"charts/%s.png\">PNG</a> \xc2\xb7 <a href=\"charts/%s.dat\">data</a> "
              "\xc2\xb7 <a href=\"charts/%s.gp\">gnuplot script</a></p></figcaption>\n",
           c->name, c->name, c->name, c->name);
      if (!inline_svg (p, page->charts_dir, c, error))
        return FALSE;
      put (p, "</figure>\n");
    }
  put (p, "</section>\n");
  return TRUE;
}

/* --------------------------------------------------------- the tables */

static void
scenario_cells (Page *p, const FsReportScenario *s)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  put (p, "<td>%s</td><td>%s</td><td>%s%s</td><td class=\"n\">%s %s</td><td class=\"n\">%u",
       fs_mode_name (s->scenario.mode), fs_client_mode_name (s->scenario.client_mode),
       fs_pool_operation_name (s->scenario.operation),
       s->scenario.transfer == FS_TRANSFER_RAW ? " raw" : "",
       fs_format_number (s->scenario.volume, number), s->volume_unit, s->scenario.client_pool);
  /* A pool spread over MPI ranks says so beside its clients. */
  if (s->ranks > 1)
    put (p, " <span class=\"ranks\">over %u ranks</span>", s->ranks);
  put (p, "</td><td class=\"n\">%u</td>", s->scenario.server_pool);
}

static void
write_scenarios (Page *p, const FsReportRun *run)
{
  put (p, "<section id=\"scenarios\"><h2>Scenarios</h2>\n"
          "<p>Medians over each scenario's passed runs, with the range (min\xe2\x80\x93max) "
          "under the speed and time per client when there were several runs. Speed is the "
          "aggregate throughput in MiB/s, or operations per second for list, and the "
          "capacity in operations per second under the objective when the runs searched for "
          "it; server CPU is in ms per MiB moved, or per 1,000 operations for list.</p>\n"
          "<div class=\"scroll\"><table id=\"scenario-table\">\n<thead><tr><th>#</th>"
          "<th>mode</th><th>client mode</th><th>operation</th><th>volume</th><th>clients</th><th>server pool</th>"
          "<th>runs passed</th><th>speed</th><th>time per client (s)</th>"
          "<th>slowest client (s)</th><th>p50 (ms)</th><th>p99 (ms)</th>"
          "<th>server CPU</th><th>server PSS (MiB)</th><th>server CPU (s)</th>"
          "<th>pool CPU (s)</th><th>failed ops</th><th>status</th></tr></thead>\n<tbody>\n");
  for (guint i = 0; i < run->n_scenarios; i++)
    {
      const FsReportScenario *s = &run->scenarios[i];
      gboolean list = s->scenario.operation == FS_OP_LIST;
      gboolean failed = s->runs_passed < s->runs_done || !s->verified;

      put (p, "<tr data-index=\"%u\"><td class=\"n\">%u</td>", s->scenario.index,
           s->scenario.index);
      scenario_cells (p, s);
      put (p, "<td class=\"n\">%u/%u</td>", s->runs_passed, s->runs_done);
      figure_cell (p, s, fs_report_speed_figure (s), TRUE);
      figure_cell (p, s, FS_FIG_AVG_TIME, TRUE);
      figure_cell (p, s, FS_FIG_CLIENT_TIME_MAX, FALSE);
      figure_cell (p, s, FS_FIG_P50, FALSE);
      figure_cell (p, s, FS_FIG_P99, FALSE);
      figure_cell (p, s, list ? FS_FIG_SERVER_CPU_PER_KOP : FS_FIG_SERVER_CPU_PER_MIB, FALSE);
      figure_cell (p, s, FS_FIG_SERVER_PSS, FALSE);
      figure_cell (p, s, FS_FIG_SERVER_CPU, FALSE);
      figure_cell (p, s, FS_FIG_POOL_CPU, FALSE);
      figure_cell (p, s, FS_FIG_FAIL, FALSE);
      if (failed)
        {
          put (p, "<td class=\"fail\">FAIL");
          if (s->error != NULL)
            {
              put (p, ": ");
              text (p, s->error);
            }
          put (p, "</td>");
        }
      else
        put (p, "<td class=\"ok\">ok</td>");
      put (p, "</tr>\n");
    }
  put (p, "</tbody></table></div></section>\n");
}

/* A comparison: the speed of each run per scenario of the first, and
 * the ratio to the first. */
static void
write_comparison (Page *p, FsReportRun *const *runs, guint n)
{
  put (p, "<section id=\"scenarios\"><h2>Scenarios compared</h2>\n"
          "<p>The median speed of each file (aggregate throughput in MiB/s, operations per "
          "second for list, the capacity in operations per second for a search) and its ratio "
          "to the first file's, for the scenarios of the first file; \xe2\x80\x94 where a "
          "file lacks the scenario.</p>\n"
          "<div class=\"scroll\"><table id=\"comparison-table\">\n<thead><tr><th>#</th>"
          "<th>mode</th><th>client mode</th><th>operation</th><th>volume</th><th>clients</th><th>server pool</th>");
  for (guint r = 0; r < n; r++)
    {
      put (p, "<th>");
      text (p, runs[r]->label);
      put (p, "</th>");
      if (r > 0)
        {
          put (p, "<th>");
          text (p, runs[r]->label);
          put (p, " / ");
          text (p, runs[0]->label);
          put (p, "</th>");
        }
    }
  put (p, "</tr></thead>\n<tbody>\n");
  for (guint i = 0; i < runs[0]->n_scenarios; i++)
    {
      const FsReportScenario *s = &runs[0]->scenarios[i];
      FsFigure fig = fs_report_speed_figure (s);

      put (p, "<tr data-index=\"%u\"><td class=\"n\">%u</td>", s->scenario.index,
           s->scenario.index);
      scenario_cells (p, s);
      for (guint r = 0; r < n; r++)
        {
          const FsReportScenario *t = r == 0 ? s : fs_report_run_find (runs[r], s);

          if (t == NULL)
            put (p, "<td class=\"n\">\xe2\x80\x94</td>%s", r > 0 ? "<td class=\"n\">\xe2\x80\x94</td>" : "");
          else
            {
              figure_cell (p, t, fig, TRUE);
              if (r > 0)
                {
                  double ratio = t->median[fig] / s->median[fig];
                  g_autofree char *shown = human (ratio);

                  if (isfinite (ratio))
                    put (p, "<td class=\"n\" data-ratio=\"1\">%s\xc3\x97</td>", shown);
                  else
                    put (p, "<td class=\"n\">\xe2\x80\x94</td>");
                }
            }
        }
      put (p, "</tr>\n");
    }
  put (p, "</tbody></table></div></section>\n");
}

gboolean
fs_report_html_write (const FsReportPage *page, const char *path, GError **error)
{
  Page p = { fopen (path, "w"), path };
  FsReportRun *const *runs = page->runs;
  g_autofree char *machine = fs_report_run_machine (runs[0]);
  g_autofree char *date = fs_report_run_date (runs[0]);
  gboolean ok;

  if (p.out == NULL)
    {
      int errsv = errno;
      g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_OUTPUT, "cannot create %s: %s",
                   path, g_strerror (errsv));
      return FALSE;
    }
  put (&p, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
           "<meta name=\"generator\" content=\"filestorm-report %s\"/>\n<title>", PACKAGE_VERSION);
  if (page->n_runs == 1)
    {
      put (&p, "filestorm report: ");
      text (&p, date != NULL ? date : runs[0]->label);
    }
  else
    put (&p, "filestorm comparison of %u runs", page->n_runs);
  put (&p, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header><h1>", style);
  if (page->n_runs == 1)
    put (&p, "filestorm report</h1>\n<p>Server models against each other: %u scenarios on ",
         runs[0]->n_scenarios);
  else
    put (&p, "filestorm comparison</h1>\n<p>%u results files side by side, the first (",
         page->n_runs);
  if (page->n_runs == 1)
    {
      text (&p, machine);
      put (&p, date != NULL ? ", started " : "");
      text (&p, date != NULL ? date : "");
      put (&p, ".</p>");
    }
  else
    {
      text (&p, runs[0]->label);
      put (&p, ") the reference for the ratios.</p>");
    }
  put (&p, "</header>\n");

  write_answer (&p, runs, page->n_runs);
  write_metadata (&p, runs, page->n_runs);
  write_verdict (&p, runs, page->n_runs);
  ok = write_charts (&p, page, error);
  if (ok)
    {
      if (page->n_runs == 1)
        write_scenarios (&p, runs[0]);
      else
        write_comparison (&p, runs, page->n_runs);
      put (&p, "<footer><p class=\"rule\">Written by filestorm-report %s. The numbers come from "
               "the results files named above; filestorm-results(5) defines every figure."
               "</p></footer>\n</body>\n</html>\n", PACKAGE_VERSION);
    }
  if (fflush (p.out) != 0 || ferror (p.out))
    {
      int errsv = errno;
      if (ok)
        g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_OUTPUT, "cannot write %s: %s",
                     path, g_strerror (errsv));
      ok = FALSE;
    }
  if (fclose (p.out) != 0 && ok)
    {
      int errsv = errno;
      g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_OUTPUT, "cannot write %s: %s",
                   path, g_strerror (errsv));
      ok = FALSE;
    }
  return ok;
}
