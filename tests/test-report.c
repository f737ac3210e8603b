/* test-report.c: filestorm-report end to end, on the results of real
 * filestorm-stress runs (a whole --quick matrix, and a smaller second
 * run to compare it with): the report filestorm-stress writes, its page
 * parsed as HTML and XML, its SVGs (a plotted path for every line), its
 * PNGs decoded, its table against the JSON, a comparison with its ratio
 * chart, the page without gnuplot, and every kind of bad input with its
 * message, its exit status and nothing left behind. What the charts say
 * of edited results is test-report-charts.c's. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "report-check.h"
#include "report-run.h"
#include "testutil.h"

/* The charts of a run without failures. */
static const char *const run_charts[] = {
  "throughput", "time-per-client", "latency-p50", "latency-p99", "cpu-cost", "memory",
  "fairness", NULL,
};

static char *quick_json;  /* (owned) the --quick run's results */
static char *quick_report;/* (owned) the report filestorm-stress wrote of it */
static char *quick_out;   /* (owned) its stdout */
static char *small_json;  /* (owned) a second, smaller run */

/* ------------------------------------------------------------ the cases */

static void
test_stress_writes_it (void)
{
  g_autofree char *index = g_build_filename (quick_report, "index.html", NULL);
  g_autofree char *line = g_strdup_printf ("Report:            %s/index.html", quick_report);

  ft_check (strstr (quick_out, line) != NULL, "no line \"%s\" in:\n%s", line, quick_out);
  g_assert_true (g_file_test (index, G_FILE_TEST_IS_REGULAR));
  for (guint i = 0; run_charts[i] != NULL; i++)
    {
      static const char *const exts[] = { ".svg", ".png", ".dat", ".gp", NULL };
      for (guint e = 0; exts[e] != NULL; e++)
        {
          g_autofree char *name = g_strconcat (run_charts[i], exts[e], NULL);
          g_autofree char *path = g_build_filename (quick_report, "charts", name, NULL);
          ft_check (g_file_test (path, G_FILE_TEST_IS_REGULAR), "no %s", path);
        }
    }
  {
    /* Every scenario passed: no failures chart. */
    g_autofree char *failures = g_build_filename (quick_report, "charts", "failures.svg", NULL);
    g_assert_false (g_file_test (failures, G_FILE_TEST_EXISTS));
  }
}

/* xmllint's HTML parser is HTML 4: it reports the HTML5 and SVG elements
 * as unknown, and nothing else may it report. */
static void
test_html_parses (void)
{
  static const char *const unknown[] = {
    "header", "section", "figure", "figcaption", "footer", "svg", "g", "path", "rect", "text",
    "desc", "defs", "circle", "use", "filter", "feflood", "fecomposite", "tspan", "polygon",
    "line", "image", "title", NULL,
  };
  g_autofree char *index = g_build_filename (quick_report, "index.html", NULL);
  const char *html[] = { "xmllint", "--html", "--noout", index, NULL };
  const char *xml[] = { "xmllint", "--noout", index, NULL };
  g_auto(GStrv) lines = NULL;
  FrRan r = { 0 };
  guint complaints = 0;

  if (!fr_have ("xmllint"))
    {
      g_test_skip ("xmllint is not installed (Debian: libxml2-utils)");
      return;
    }
  fr_run (&r, NULL, html);
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (r.err, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *e = strstr (lines[i], "parser error : ");
      gboolean known = FALSE;

      if (e == NULL)
        continue;
      for (guint k = 0; unknown[k] != NULL && !known; k++)
        {
          g_autofree char *msg = g_strdup_printf ("parser error : Tag %s invalid", unknown[k]);
          known = strstr (lines[i], msg) != NULL;
        }
      ft_check (known, "xmllint --html: %s", lines[i]);
      complaints++;
    }
  ft_note ("xmllint --html: %u unknown-element notes, no other error", complaints);
  fr_ran_clear (&r);
  fr_run (&r, NULL, xml);
  ft_check (r.status == 0 && *r.err == '\0', "the page is not well-formed XML:\n%s", r.err);
  fr_ran_clear (&r);
}

static void
test_svgs (void)
{
  g_autoptr(JsonNode) root = fr_load_json (quick_json);
  JsonArray *scenarios = json_object_get_array_member (json_node_get_object (root), "scenarios");
  g_autoptr(GPtrArray) series = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *index = g_build_filename (quick_report, "index.html", NULL);
  FrPage page;

  /* The lines: every mode and server pool of the run. */
  for (guint i = 0; i < json_array_get_length (scenarios); i++)
    {
      JsonObject *s = json_array_get_object_element (scenarios, i);
      g_autofree char *title = g_strdup_printf ("%s, server pool %" G_GINT64_FORMAT,
                                                json_object_get_string_member (s, "mode"),
                                                json_object_get_int_member (s, "server_pool"));
      if (!g_ptr_array_find_with_equal_func (series, title, g_str_equal, NULL))
        g_ptr_array_add (series, g_steal_pointer (&title));
    }
  g_assert_cmpuint (series->len, ==, 6);
  for (guint i = 0; run_charts[i] != NULL; i++)
    {
      g_autofree char *name = g_strconcat (run_charts[i], ".svg", NULL);
      g_autofree char *path = g_build_filename (quick_report, "charts", name, NULL);
      g_autoptr(GHashTable) lines = fr_svg_lines (path);

      if (fr_have ("xmllint"))
        {
          const char *argv[] = { "xmllint", "--noout", path, NULL };
          FrRan r = { 0 };
          fr_run (&r, NULL, argv);
          ft_check (r.status == 0 && *r.err == '\0', "%s: %s", path, r.err);
          fr_ran_clear (&r);
        }
      for (guint k = 0; k < series->len; k++)
        {
          GString *letters = g_hash_table_lookup (lines, g_ptr_array_index (series, k));
          ft_check (letters != NULL && letters->len > 0,
                    "%s: no plotted path for the line \"%s\"", path,
                    (char *) g_ptr_array_index (series, k));
        }
    }
  /* Inline, one SVG per chart. */
  fr_page_read (&page, index);
  g_assert_cmpuint (page.svgs, ==, g_strv_length ((GStrv) run_charts));
  fr_page_clear (&page);
}

static void
test_pngs (void)
{
  for (guint i = 0; run_charts[i] != NULL; i++)
    {
      g_autofree char *name = g_strconcat (run_charts[i], ".png", NULL);
      g_autofree char *path = g_build_filename (quick_report, "charts", name, NULL);
      fr_check_png (path);
    }
}

/* The factor from the JSON's unit to the page's, by figure. */
static double
shown_factor (const char *figure)
{
  if (g_str_has_suffix (figure, "_Bps"))
    return 1.0 / (1024 * 1024);
  if (strcmp (figure, "server_pss_kib") == 0)
    return 1.0 / 1024;
  return 1;
}

static void
test_table_matches_json (void)
{
  g_autoptr(JsonNode) root = fr_load_json (quick_json);
  JsonArray *scenarios = json_object_get_array_member (json_node_get_object (root), "scenarios");
  g_autofree char *index = g_build_filename (quick_report, "index.html", NULL);
  g_autoptr(GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint checked = 0;
  FrPage page;

  fr_page_read (&page, index);
  ft_check (page.cells->len >= 10 * json_array_get_length (scenarios),
            "%u figure cells for %u scenarios", page.cells->len,
            json_array_get_length (scenarios));
  for (guint i = 0; i < page.cells->len; i++)
    {
      g_auto(GStrv) f = g_strsplit (g_ptr_array_index (page.cells, i), " ", 4);
      guint64 n = g_ascii_strtoull (f[0], NULL, 10);
      JsonObject *s, *median;
      JsonNode *want;

      ft_check (n >= 1 && n <= json_array_get_length (scenarios), "row %s", f[0]);
      g_hash_table_add (rows, g_strdup (f[0]));
      s = json_array_get_object_element (scenarios, (guint) n - 1);
      median = json_object_get_object_member (s, "median");
      want = json_object_get_member (median, f[1]);
      ft_check (want != NULL, "the page shows %s, which the JSON lacks", f[1]);
      if (JSON_NODE_HOLDS_NULL (want))
        {
          ft_check (*f[2] == '\0', "scenario %s: %s is null in the JSON, %s on the page", f[0],
                    f[1], f[2]);
          continue;
        }
      {
        double v = json_node_get_double (want);
        double exact = g_ascii_strtod (f[2], NULL);
        double shown = g_ascii_strtod (f[3], NULL);
        double expect = v * shown_factor (f[1]);

        ft_check (exact == v, "scenario %s: %s is %.17g in the JSON, data-value %s", f[0], f[1],
                  v, f[2]);
        ft_check (fabs (shown - expect) <= 0.0051 * fabs (expect) + 0.0005,
                  "scenario %s: %s is %g (%.17g in the JSON), the page shows \"%s\"", f[0], f[1],
                  expect, v, f[3]);
        checked++;
      }
    }
  g_assert_cmpuint (g_hash_table_size (rows), ==, json_array_get_length (scenarios));
  ft_note ("%u numbers of the table checked against the JSON", checked);
  fr_page_clear (&page);
}

static void
test_comparison (void)
{
  g_autofree char *out = g_build_filename (fr_work, "compare", NULL);
  const char *args[] = { "-o", out, "-l", "all_of it", "-l", "downloads & <more>", quick_json,
                         small_json, NULL };
  g_autofree char *index = g_build_filename (out, "index.html", NULL);
  g_autofree char *ratio = g_build_filename (out, "charts", "ratio-2.svg", NULL);
  g_autofree char *ratio_png = g_build_filename (out, "charts", "ratio-2.png", NULL);
  g_autofree char *overlay = g_build_filename (out, "charts", "compare-throughput-s1.svg", NULL);
  g_autoptr(JsonNode) a = fr_load_json (quick_json), b = fr_load_json (small_json);
  JsonArray *sa = json_object_get_array_member (json_node_get_object (a), "scenarios");
  JsonArray *sb = json_object_get_array_member (json_node_get_object (b), "scenarios");
  g_autoptr(GHashTable) lines = NULL;
  FrPage page;
  FrRan r = { 0 };
  guint checked = 0;

  fr_report (&r, NULL, args);
  ft_check (r.status == 0, "exit %d: %s", r.status, r.err);
  g_assert_true (g_file_test (ratio, G_FILE_TEST_IS_REGULAR));
  fr_check_png (ratio_png);
  lines = fr_svg_lines (ratio);
  g_assert_nonnull (g_hash_table_lookup (lines, "downloads & <more> / all_of it"));
  lines = (g_hash_table_unref (lines), fr_svg_lines (overlay));
  g_assert_nonnull (g_hash_table_lookup (lines, "all_of it, thread"));
  g_assert_nonnull (g_hash_table_lookup (lines, "downloads & <more>, process"));

  /* The ratios of the page are those of the two files' medians. */
  fr_page_read (&page, index);
  for (guint i = 0; i < page.ratios->len; i++)
    {
      g_auto(GStrv) f = g_strsplit (g_ptr_array_index (page.ratios, i), " ", 2);
      JsonObject *s = json_array_get_object_element (sa, (guint) g_ascii_strtoull (f[0], NULL, 10) - 1);
      const char *fig = strcmp (json_object_get_string_member (s, "operation"), "list") == 0
                        ? "ops_per_s" : "aggregate_Bps";

      for (guint k = 0; k < json_array_get_length (sb); k++)
        {
          JsonObject *t = json_array_get_object_element (sb, k);
          double want, shown;

          if (strcmp (json_object_get_string_member (t, "mode"),
                      json_object_get_string_member (s, "mode")) != 0
              || strcmp (json_object_get_string_member (t, "operation"),
                         json_object_get_string_member (s, "operation")) != 0
              || json_object_get_int_member (t, "volume_bytes")
                 != json_object_get_int_member (s, "volume_bytes")
              || json_object_get_int_member (t, "client_pool")
                 != json_object_get_int_member (s, "client_pool")
              || json_object_get_int_member (t, "server_pool")
                 != json_object_get_int_member (s, "server_pool"))
            continue;
          want = json_object_get_double_member (json_object_get_object_member (t, "median"), fig)
                 / json_object_get_double_member (json_object_get_object_member (s, "median"), fig);
          shown = g_ascii_strtod (f[1], NULL);
          ft_check (fabs (shown - want) <= 0.0051 * want + 0.0005,
                    "scenario %s: ratio %g, the page shows %s", f[0], want, f[1]);
          checked++;
        }
    }
  g_assert_cmpuint (checked, ==, json_array_get_length (sb));
  g_assert_cmpuint (page.svgs, >=, 2);
  fr_page_clear (&page);
  fr_ran_clear (&r);
}

/* Labels and file names are the user's, and may hold line ends: none may
 * end a comment or a string in a gnuplot script (gnuplot's system() would
 * run the next line) or a data file, and the page stays XML. The output
 * named with a trailing slash is the directory itself. */
static void
test_hostile_names (void)
{
  g_autofree char *out = g_build_filename (fr_work, "hostile", NULL);
  g_autofree char *out_slash = g_strconcat (out, "/", NULL);
  g_autofree char *marker = g_build_filename (fr_work, "hostile-ran", NULL);
  g_autofree char *evil = g_strdup_printf ("B\nsystem(\"touch %s\")\n#", marker);
  g_autofree char *odd_json = g_build_filename (fr_work, "odd\nsystem(\"touch x\")\n#.json", NULL);
  g_autofree char *text = NULL;
  g_autofree char *index = g_build_filename (out, "index.html", NULL);
  const char *args[] = { "-o", out_slash, "-l", "A", "-l", evil, quick_json, odd_json, NULL };
  g_autoptr(GDir) charts = NULL;
  g_autofree char *charts_dir = g_build_filename (out, "charts", NULL);
  const char *name;
  guint scripts = 0;
  FrRan r = { 0 };

  g_assert_true (g_file_get_contents (small_json, &text, NULL, NULL));
  g_assert_true (g_file_set_contents (odd_json, text, -1, NULL));
  fr_report (&r, NULL, args);
  ft_check (r.status == 0, "exit %d: %s", r.status, r.err);
  ft_check (!g_file_test (marker, G_FILE_TEST_EXISTS), "a label ran a command through gnuplot");
  g_assert_true (g_file_test (index, G_FILE_TEST_IS_REGULAR));
  charts = g_dir_open (charts_dir, 0, NULL);
  g_assert_nonnull (charts);
  while ((name = g_dir_read_name (charts)) != NULL)
    {
      g_autofree char *path = g_build_filename (charts_dir, name, NULL);
      g_autofree char *body = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_str_has_suffix (name, ".gp") && !g_str_has_suffix (name, ".dat"))
        continue;
      scripts++;
      g_assert_true (g_file_get_contents (path, &body, NULL, NULL));
      lines = g_strsplit (body, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        ft_check (!g_str_has_prefix (lines[i], "system(") && !g_str_has_prefix (lines[i], "#\""),
                  "%s:%u: a label's line end made a line of its own: %s", name, i + 1, lines[i]);
    }
  g_assert_cmpuint (scripts, >, 0);
  if (fr_have ("xmllint"))
    {
      const char *argv[] = { "xmllint", "--noout", index, NULL };
      FrRan x = { 0 };

      fr_run (&x, NULL, argv);
      ft_check (x.status == 0, "the page is not XML: %s", x.err);
      fr_ran_clear (&x);
    }
  g_unlink (odd_json);
  fr_ran_clear (&r);
}

/* No gnuplot: one line saying how to get it, and the page with its
 * tables and no chart. */
static void
test_without_gnuplot (void)
{
  g_autofree char *out = g_build_filename (fr_work, "no-gnuplot", NULL);
  g_autofree char *index = g_build_filename (out, "index.html", NULL);
  g_autofree char *dat = g_build_filename (out, "charts", "throughput.dat", NULL);
  g_autofree char *svg = g_build_filename (out, "charts", "throughput.svg", NULL);
  const char *env[] = { "FILESTORM_GNUPLOT=", NULL };
  const char *args[] = { "--output", out, quick_json, NULL };
  g_autofree char *text = NULL;
  FrPage page;
  FrRan r = { 0 };

  fr_report (&r, env, args);
  ft_check (r.status == 0, "exit %d: %s", r.status, r.err);
  ft_check (strstr (r.err, "gnuplot-nox") != NULL && strchr (r.err, '\n') == strrchr (r.err, '\n'),
            "not one line naming gnuplot-nox: %s", r.err);
  g_assert_true (g_file_test (dat, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (svg, G_FILE_TEST_EXISTS));
  fr_page_read (&page, index);
  g_assert_cmpuint (page.svgs, ==, 0);
  g_assert_cmpuint (page.cells->len, >, 0);
  fr_page_clear (&page);
  text = fr_read_text (index);
  g_assert_nonnull (strstr (text, "apt-get install gnuplot-nox"));
  fr_ran_clear (&r);
}

/* Nothing of a failed report is left: neither the directory nor its
 * temporary one. */
static void
assert_nothing_in (const char *dir, const char *what)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    ft_check (!g_str_has_prefix (name, "report") && !g_str_has_prefix (name, ".report")
              && !g_str_has_prefix (name, ".out"),
              "%s: %s left behind in %s", what, name, dir);
}

static char *
write_case (const char *name, const char *text)
{
  g_autofree char *dir = g_build_filename (fr_work, "bad", NULL);
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0755);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
expect_failure (const char *what, const char *const *env, const char *const *args, int status,
                const char *message)
{
  g_autofree char *dir = g_build_filename (fr_work, "bad", NULL);
  FrRan r = { 0 };

  fr_report (&r, env, args);
  ft_check (r.status == status, "%s: exit %d, not %d; stderr: %s", what, r.status, status, r.err);
  ft_check (g_str_has_prefix (r.err, "filestorm-report: ") && strchr (r.err, '\n') != NULL
            && strchr (r.err, '\n')[1] == '\0',
            "%s: not one line \"filestorm-report: ...\" on stderr: \"%s\"", what, r.err);
  ft_check (strstr (r.err, message) != NULL, "%s: \"%s\" not in: %s", what, message, r.err);
  g_assert_cmpstr (r.out, ==, "");
  assert_nothing_in (dir, what);
  ft_note ("%s: exit %d, %s", what, r.status, g_strchomp (r.err));
  fr_ran_clear (&r);
}

static void
test_bad_input (void)
{
  g_autofree char *dir = g_build_filename (fr_work, "bad", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *text = write_case ("notes.json", "these are my notes\n");
  g_autofree char *other = write_case ("other.json", "{\"name\": \"not ours\"}\n");
  g_autofree char *rows = write_case (
    "orchestrator_results_20250101_000000.json",
    "[{\"timestamp\": \"2025-01-01 00:00:00\", \"mode\": \"thread\", \"server_pool\": 1, "
    "\"operation\": \"upload\", \"volume\": 10, \"client_pool\": 1, \"avg_time_s\": 0.1}]\n");
  g_autofree char *newer = write_case ("newer.json",
                                       "{\"filestorm\": {\"results_format\": 4}, \"scenarios\": []}");
  g_autofree char *empty = write_case ("empty.json",
                                       "{\"filestorm\": {\"results_format\": 3}, \"scenarios\": []}");
  g_autofree char *zero = write_case ("zero.json", "");
  g_autofree char *missing = g_build_filename (dir, "missing.json", NULL);
  g_autofree char *file = write_case ("a-file", "x");
  g_autofree char *under_file = g_build_filename (file, "report", NULL);
  g_autofree char *full = g_build_filename (dir, "full", NULL);
  g_autofree char *in_full = g_build_filename (full, "x", NULL);
  g_autofree char *stale = NULL;
  g_autoptr(GString) deep = g_string_new ("{\"filestorm\":");
  g_autofree char *deep_100000 = NULL, *deep_64 = NULL, *deep_65 = NULL;
  g_autofree char *given = g_build_filename (fr_work, "given", NULL);
  g_autofree char *csv = NULL, *csv_json = NULL, *page = NULL;

  /* The results reader refuses nesting past 64 levels before json-glib,
   * which recurses per level, sees it: at 100,000 it overflowed the
   * stack. 64 levels are json-glib's to refuse (unended), not ours. */
  g_string_append_len (deep, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", 63);
  deep_64 = write_case ("deep-64.json", deep->str);
  g_string_append_c (deep, '[');
  deep_65 = write_case ("deep-65.json", deep->str);
  while (deep->len < 100000 + strlen ("{\"filestorm\":"))
    g_string_append_c (deep, '[');
  deep_100000 = write_case ("deep-100000.json", deep->str);
  /* The files written beside the results, given in their place. */
  g_assert_cmpint (g_mkdir_with_parents (given, 0755), ==, 0);
  csv = g_build_filename (given, "orchestrator_results_20250101_000001.csv", NULL);
  csv_json = g_build_filename (given, "orchestrator_results_20250101_000001.json", NULL);
  page = g_build_filename (given, "report_20250101_000001", "index.html", NULL);
  g_assert_true (g_file_set_contents (csv, "mode,server_pool\nthread,1\n", -1, NULL));
  g_assert_true (g_file_set_contents (csv_json, "{}", -1, NULL));

  /* -o out everywhere, so that nothing may appear in dir. */
  {
    const char *a[] = { "-o", out, missing, NULL };
    expect_failure ("a missing file", NULL, a, 1, "missing.json: cannot read: No such file or directory");
  }
  {
    const char *a[] = { "-o", out, text, NULL };
    expect_failure ("not JSON", NULL, a, 1, "not filestorm results: not JSON");
  }
  {
    const char *a[] = { "-o", out, deep_100000, NULL };
    expect_failure ("nested 100,000 deep", NULL, a, 1,
                    "not filestorm results: nested deeper than 64 levels");
  }
  {
    const char *a[] = { "-o", out, deep_65, NULL };
    expect_failure ("nested 65 deep", NULL, a, 1, "nested deeper than 64 levels");
  }
  {
    const char *a[] = { "-o", out, deep_64, NULL };
    expect_failure ("nested 64 deep", NULL, a, 1, "not filestorm results: not JSON");
  }
  {
    const char *a[] = { "-o", out, csv, NULL };
    g_autofree char *msg = g_strdup_printf ("CSV table, not the results: give the JSON file, %s",
                                            csv_json);
    expect_failure ("the CSV", NULL, a, 2, msg);
  }
  {
    g_autofree char *page_dir = g_path_get_dirname (page);
    g_assert_cmpint (g_mkdir_with_parents (page_dir, 0755), ==, 0);
  }
  g_assert_true (g_file_set_contents (page, "<!DOCTYPE html>\n<html></html>\n", -1, NULL));
  {
    const char *a[] = { "-o", out, page, NULL };
    g_autofree char *msg = g_strdup_printf ("report page, not the results: give the JSON file, %s",
                                            csv_json);
    expect_failure ("a report page", NULL, a, 2, msg);
  }
  g_unlink (csv_json);
  {
    const char *a[] = { "-o", out, page, NULL };
    expect_failure ("a report page, no JSON beside", NULL, a, 2,
                    "give the orchestrator_results_STAMP.json that filestorm-stress wrote");
  }
  {
    const char *a[] = { "-o", out, zero, NULL };
    expect_failure ("an empty file", NULL, a, 1, "not filestorm results");
  }
  {
    const char *a[] = { "-o", out, other, NULL };
    expect_failure ("JSON of something else", NULL, a, 1, "no \"filestorm\" object");
  }
  {
    const char *a[] = { "-o", out, rows, NULL };
    expect_failure ("filestorm 0.1.0's rows", NULL, a, 1, "older filestorm (an array of rows");
  }
  {
    /* Without -o too: the default directory is not made. */
    const char *a[] = { rows, NULL };
    expect_failure ("filestorm 0.1.0's rows, default output", NULL, a, 1, "older filestorm");
  }
  {
    const char *a[] = { "-o", out, newer, NULL };
    expect_failure ("a newer format", NULL, a, 1, "from a newer filestorm");
  }
  {
    const char *a[] = { "-o", out, empty, NULL };
    expect_failure ("no scenario yet", NULL, a, 1, "no scenario has finished");
  }
  {
    const char *a[] = { "-o", out, quick_json, text, NULL };
    expect_failure ("a bad second file", NULL, a, 1, "notes.json");
  }
  {
    const char *a[] = { "-o", under_file, quick_json, NULL };
    expect_failure ("an output under a file", NULL, a, 3, "a-file");
  }
  g_assert_cmpint (g_mkdir_with_parents (full, 0755), ==, 0);
  g_assert_true (g_file_set_contents (in_full, "keep me", -1, NULL));
  {
    const char *a[] = { "-o", full, quick_json, NULL };
    expect_failure ("a non-empty output", NULL, a, 3, "exists and is not empty");
    g_assert_true (g_file_test (in_full, G_FILE_TEST_IS_REGULAR));
    g_remove (in_full);
    g_rmdir (full);
  }
  {
    const char *env[] = { "FILESTORM_GNUPLOT=/bin/false", NULL };
    const char *a[] = { "-o", out, quick_json, NULL };
    expect_failure ("gnuplot fails", env, a, 4, "gnuplot failed on throughput.gp: exit status");
  }
  {
    const char *a[] = { NULL };
    expect_failure ("no file", NULL, a, 2, "no results file");
  }
  {
    const char *a[] = { "-l", "one", quick_json, small_json, NULL };
    expect_failure ("one label for two files", NULL, a, 2, "1 --label given for 2");
  }
  {
    const char *a[] = { "--colour", quick_json, NULL };
    expect_failure ("an unknown option", NULL, a, 2, "--colour");
  }
  stale = g_build_filename (dir, "out", NULL);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
}

/* Without --output, report_STAMP beside the results, with a suffix when
 * that exists (filestorm-stress wrote it). */
static void
test_default_output (void)
{
  g_autofree char *dir = g_path_get_dirname (quick_json);
  g_autofree char *base = g_path_get_basename (quick_json);
  g_autofree char *stamp = g_strndup (base + strlen ("orchestrator_results_"),
                                      strlen (base) - strlen ("orchestrator_results_.json"));
  g_autofree char *want = g_strdup_printf ("Report: %s/report_%s-2/index.html\n", dir, stamp);
  const char *args[] = { quick_json, NULL };
  FrRan r = { 0 };

  fr_report (&r, NULL, args);
  ft_check (r.status == 0, "exit %d: %s", r.status, r.err);
  g_assert_cmpstr (r.out, ==, want);
  fr_ran_clear (&r);
}

/* A results file of format 2 (the fuzz corpus's run seed, from a real
 * run before the client mode) still renders, its scenarios read as
 * client mode same and the page saying it was measured the old way; a
 * run of this build's format says neither. */
static void
test_old_format (void)
{
  const char *srcdir = g_getenv ("FILESTORM_SRCDIR");
  g_autofree char *old = srcdir != NULL
    ? g_build_filename (srcdir, "tests", "fuzz", "corpus", "results", "run", NULL)
    : g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "results", "run", NULL);
  g_autofree char *out = g_build_filename (fr_work, "old-format", NULL);
  g_autofree char *both = g_build_filename (fr_work, "old-and-new", NULL);
  g_autofree char *page = g_build_filename (out, "index.html", NULL);
  g_autofree char *page2 = g_build_filename (both, "index.html", NULL);
  g_autofree char *quick_page = g_build_filename (quick_report, "index.html", NULL);
  g_autofree char *html = NULL, *html2 = NULL, *quick_html = NULL;
  const char *args[] = { "-o", out, old, NULL };
  const char *args2[] = { "-o", both, small_json, old, NULL };
  FrRan r = { 0 };

  fr_report (&r, NULL, args);
  ft_check (r.status == 0, "exit %d: %s", r.status, r.err);
  fr_ran_clear (&r);
  g_assert_true (g_file_get_contents (page, &html, NULL, NULL));
  g_assert_nonnull (strstr (html, "measured the old way: the client pool's model followed "
                                  "the server's"));
  g_assert_nonnull (strstr (html, "<th>client mode</th>"));
  g_assert_nonnull (strstr (html, "<td>thread</td><td>same</td><td>upload</td>"));
  /* Beside a new run, only the old one is marked. */
  fr_report (&r, NULL, args2);
  ft_check (r.status == 0, "exit %d: %s", r.status, r.err);
  fr_ran_clear (&r);
  g_assert_true (g_file_get_contents (page2, &html2, NULL, NULL));
  g_assert_nonnull (strstr (html2, "Results format 2, measured the old way"));
  /* Two client modes on one chart: the key names them; one alone, not. */
  {
    g_autofree char *gp = g_build_filename (both, "charts", "compare-throughput-s1.gp", NULL);
    g_autofree char *quick_gp = g_build_filename (quick_report, "charts", "throughput.gp",
                                                  NULL);
    g_autofree char *text = NULL, *quick_text = NULL;

    g_assert_true (g_file_get_contents (gp, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, ", thread, same clients'"));
    g_assert_nonnull (strstr (text, ", thread, thread clients'"));
    g_assert_true (g_file_get_contents (quick_gp, &quick_text, NULL, NULL));
    g_assert_null (strstr (quick_text, " clients'"));
    g_assert_nonnull (strstr (quick_text, "'thread, server pool 1'"));
  }
  g_assert_true (g_file_get_contents (quick_page, &quick_html, NULL, NULL));
  g_assert_null (strstr (quick_html, "measured the old way"));
  g_assert_nonnull (strstr (quick_html, "<td>process</td><td>thread</td>"));
}

int
main (int argc, char **argv)
{
  /* One run of one operation per client, as --quick was before it had a
   * steady state: tests/stress-quick.sh runs the real --quick once. */
  static const char *const quick[] = { "--quick", "--runs", "1", "--repeat", "1", NULL };

  ft_init ();
  g_test_init (&argc, &argv, NULL);
  if (!fr_init ("test-report", "/report/needs-gnuplot"))
    return g_test_run ();
  /* The runs, once for every case. */
  quick_json = fr_stress ("quick", quick, &quick_report, &quick_out);
  g_assert_nonnull (quick_report);
  small_json = fr_stress_small ();

  g_test_add_func ("/report/stress-writes-it", test_stress_writes_it);
  g_test_add_func ("/report/html-parses", test_html_parses);
  g_test_add_func ("/report/svgs", test_svgs);
  g_test_add_func ("/report/pngs", test_pngs);
  g_test_add_func ("/report/table-matches-json", test_table_matches_json);
  g_test_add_func ("/report/comparison", test_comparison);
  g_test_add_func ("/report/hostile-names", test_hostile_names);
  g_test_add_func ("/report/without-gnuplot", test_without_gnuplot);
  g_test_add_func ("/report/bad-input", test_bad_input);
  g_test_add_func ("/report/default-output", test_default_output);
  g_test_add_func ("/report/old-format", test_old_format);
  return fr_run_tests ();
}
