/* test-report-charts.c: what filestorm-report's charts say, on the
 * results of a real filestorm-stress run edited case by case: the
 * failures chart of failed runs, the key of a run of one mode (alone and
 * beside a run of both), a machine line too long to draw, strings with
 * XML's special characters in every chart, plots as wide as the canvas,
 * a key of many lines that fits, and the charts of a capacity search. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "report-check.h"
#include "report-run.h"
#include "testutil.h"

static char *small_json;  /* (owned) a small run of both modes */

/* A results file whose runs failed has the failures chart, by kind. */
static void
test_failures_chart (void)
{
  g_autoptr(JsonNode) root = fr_load_json (small_json);
  JsonArray *scenarios = json_object_get_array_member (json_node_get_object (root), "scenarios");
  JsonObject *s = json_array_get_object_element (scenarios, 0);
  JsonObject *run0 = json_array_get_object_element (json_object_get_array_member (s, "runs"), 0);
  g_autofree char *path = NULL;
  g_autofree char *out = g_build_filename (fr_work, "failed-report", NULL);
  g_autofree char *dat = g_build_filename (out, "charts", "failures.dat", NULL);
  g_autofree char *svg = g_build_filename (out, "charts", "failures.svg", NULL);
  g_autofree char *text = NULL;
  const char *args[] = { "-o", out, NULL, NULL };
  FrRan r = { 0 };

  /* Two timeouts and a corrupt download in the first run of the first
   * scenario. */
  json_object_set_boolean_member (run0, "passed", FALSE);
  json_object_set_int_member (json_object_get_object_member (run0, "errors"), "timeout", 2);
  json_object_set_int_member (json_object_get_object_member (run0, "errors"), "corrupt", 1);
  args[2] = path = fr_write_json (root, "failed.json");
  fr_report (&r, NULL, args);
  ft_check (r.status == 0, "exit %d: %s", r.status, r.err);
  text = fr_read_text (dat);
  ft_check (strstr (text, "timeout, corrupt") != NULL && strstr (text, " 2 1\n") != NULL,
            "failures.dat does not count 2 timeouts and 1 corrupt:\n%s", text);
  {
    g_autoptr(GHashTable) lines = fr_svg_lines (svg);
    g_assert_nonnull (g_hash_table_lookup (lines, "timeout"));
  }
  fr_ran_clear (&r);
}

/* The y of the key entry titled title in an SVG of gnuplot's (the
 * translate() of the text before it); -1 when there is none. */
static double
key_y (const char *svg, const char *title)
{
  g_autofree char *needle = g_strdup_printf (">%s</tspan>", title);
  const char *at = strstr (svg, needle), *t = NULL;
  double x, y;

  for (const char *p = svg; at != NULL && (p = strstr (p, "translate(")) != NULL && p < at; p++)
    t = p;
  if (t == NULL || sscanf (t, "translate(%lf,%lf)", &x, &y) != 2)
    return -1;
  return y;
}

/* A run of one mode: the charts' keys name only what was measured (no
 * line of process mode that has no point), and compared with a run of
 * both modes, its one entry keeps the key's rows in line: thread above
 * process in every column. */
static void
test_one_mode (void)
{
  g_autoptr(JsonNode) root = fr_load_json (small_json);
  JsonArray *scenarios = json_object_get_array_member (json_node_get_object (root), "scenarios");
  g_autofree char *path = NULL;
  g_autofree char *out = g_build_filename (fr_work, "thread-only-report", NULL);
  g_autofree char *both = g_build_filename (fr_work, "thread-and-both-report", NULL);
  g_autofree char *svg = g_build_filename (out, "charts", "throughput.svg", NULL);
  g_autofree char *cmp = g_build_filename (both, "charts", "compare-throughput-s1.svg", NULL);
  g_autofree char *text = NULL;
  const char *args[] = { "-o", out, NULL, NULL };
  const char *cmp_args[] = { "-o", both, "-l", "one", "-l", "both", NULL, small_json, NULL };
  guint left = 0;
  FrRan r = { 0 };

  for (guint i = json_array_get_length (scenarios); i-- > 0;)
    if (strcmp (json_object_get_string_member (json_array_get_object_element (scenarios, i),
                                               "mode"), "thread") != 0)
      json_array_remove_element (scenarios, i);
    else
      left++;
  g_assert_cmpuint (left, >, 0);
  args[2] = cmp_args[6] = path = fr_write_json (root, "thread-only.json");
  fr_report (&r, NULL, args);
  ft_check (r.status == 0, "exit %d: %s", r.status, r.err);
  text = fr_read_text (svg);
  ft_check (strstr (text, "thread, server pool 1") != NULL, "throughput.svg has no thread line");
  ft_check (strstr (text, "process, server pool") == NULL,
            "throughput.svg names a process line that has no point");
  fr_ran_clear (&r);
  g_clear_pointer (&text, g_free);

  fr_report (&r, NULL, cmp_args);
  ft_check (r.status == 0, "exit %d: %s", r.status, r.err);
  text = fr_read_text (cmp);
  ft_check (key_y (text, "one, thread") > 0 && key_y (text, "one, process") < 0,
            "the key of %s has no entry 'one, thread', or one for 'one, process'", cmp);
  ft_check (key_y (text, "both, thread") == key_y (text, "one, thread")
            && key_y (text, "both, process") > key_y (text, "both, thread"),
            "the key's rows are out of line: one, thread at y %g; both, thread at %g, "
            "both, process at %g", key_y (text, "one, thread"), key_y (text, "both, thread"),
            key_y (text, "both, process"));
  fr_ran_clear (&r);
}

/* A machine line of thousands of characters (cpu_model is the file's to
 * say) is cut off, not a canvas wider than cairo draws: the report is
 * still written, with its charts. */
static void
test_long_machine_line (void)
{
  g_autoptr(JsonNode) root = fr_load_json (small_json);
  JsonObject *machine = json_object_get_object_member (json_node_get_object (root), "machine");
  g_autofree char *model = g_strnfill (5000, 'W');
  g_autofree char *path = NULL;
  g_autofree char *out = g_build_filename (fr_work, "long-cpu-report", NULL);
  g_autofree char *png = g_build_filename (out, "charts", "throughput.png", NULL);
  const char *args[] = { "-o", out, NULL, NULL };
  FrRan r = { 0 };

  json_object_set_string_member (machine, "cpu_model", model);
  args[2] = path = fr_write_json (root, "long-cpu.json");
  fr_report (&r, NULL, args);
  ft_check (r.status == 0, "exit %d: %s", r.status, r.err);
  fr_check_png (png);
  fr_ran_clear (&r);
}

/* The strings of a results file and the labels reach gnuplot, whose SVG
 * terminal escapes < and & but writes > as it is: "]]>", which XML text
 * may not hold, made every inlined SVG unreadable and the page not XML
 * (filestorm-report(1) promises XML). Every SVG and the page must parse,
 * and the key keeps the label's look. */
static void
test_xml_specials (void)
{
  g_autoptr(JsonNode) root = fr_load_json (small_json);
  JsonObject *machine = json_object_get_object_member (json_node_get_object (root), "machine");
  g_autofree char *a = NULL, *b = NULL;
  g_autofree char *out = g_build_filename (fr_work, "xml-specials", NULL);
  g_autofree char *charts_dir = g_build_filename (out, "charts", NULL);
  g_autofree char *index = g_build_filename (out, "index.html", NULL);
  g_autofree char *overlay = g_build_filename (charts_dir, "compare-throughput-s1.svg", NULL);
  const char *args[] = { "-o", out, "-l", "A ]]> & <i>\"q\"", "-l", "B]]>'", NULL, NULL, NULL };
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint svgs = 0;
  FrPage page;
  FrRan r = { 0 };

  json_object_set_string_member (machine, "cpu_model", "Acme ]]> CPU & <b>\"fast\"</b> ]]]]>>");
  args[6] = a = fr_write_json (root, "specials-a.json");
  args[7] = b = fr_write_json (root, "specials-b.json");
  fr_report (&r, NULL, args);
  ft_check (r.status == 0, "exit %d: %s", r.status, r.err);
  fr_ran_clear (&r);
  {
    const char *argv[] = { "xmllint", "--noout", index, NULL };

    fr_run (&r, NULL, argv);
    ft_check (r.status == 0 && *r.err == '\0', "the page is not well-formed XML:\n%s", r.err);
    fr_ran_clear (&r);
  }
  dir = g_dir_open (charts_dir, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (charts_dir, name, NULL);
      const char *argv[] = { "xmllint", "--noout", path, NULL };

      if (!g_str_has_suffix (name, ".svg"))
        continue;
      svgs++;
      fr_run (&r, NULL, argv);
      ft_check (r.status == 0 && *r.err == '\0', "%s is not well-formed XML:\n%s", name, r.err);
      fr_ran_clear (&r);
    }
  fr_page_read (&page, index);
  ft_check (svgs > 0 && page.svgs == svgs, "%u SVGs inlined of %u", page.svgs, svgs);
  fr_page_clear (&page);
  {
    /* A zero-width space between "]]" and ">": the label as it looks. */
    g_autoptr(GHashTable) lines = fr_svg_lines (overlay);
    g_assert_nonnull (g_hash_table_lookup (lines, "A ]]\u200b> & <i>\"q\", thread"));
  }
}

/* The width of an SVG of gnuplot's (its viewBox). */
static double
svg_width (const char *svg)
{
  const char *v = strstr (svg, "viewBox=\"");
  double x, y, w = 0;

  g_assert_nonnull (v);
  g_assert_cmpint (sscanf (v, "viewBox=\"%lf %lf %lf", &x, &y, &w), ==, 3);
  return w;
}

/* The plot areas of an SVG of gnuplot's, from their borders (set border
 * 3: up the left axis, then along the bottom one): left, top, right,
 * bottom of each. */
static GArray *
plot_areas (const char *svg)
{
  static const char needle[] = "<path stroke='black'  d='";
  GArray *areas = g_array_new (FALSE, FALSE, sizeof (double));

  for (const char *p = svg; (p = strstr (p, needle)) != NULL; p++)
    {
      double v[6];

      gboolean seen = FALSE;

      if (sscanf (p + strlen (needle), "M%lf,%lf L%lf,%lf L%lf,%lf", &v[0], &v[1], &v[2],
                  &v[3], &v[4], &v[5]) != 6 || v[0] != v[2] || v[3] != v[5])
        continue;
      /* gnuplot draws each border twice. */
      for (guint i = 0; i < areas->len && !seen; i += 4)
        seen = g_array_index (areas, double, i) == v[0]
               && g_array_index (areas, double, i + 3) == v[3];
      if (!seen)
        g_array_append_vals (areas, ((double[]) { v[0], v[1], v[4], v[3] }), 4);
    }
  return areas;
}

/* The charts use the width they are given: a run of one volume has one
 * column of panels, whose plot was 340 pixels of a 910-pixel canvas
 * (the page then scaled it up to 1,320). The plot areas of a row of
 * panels take at least 70% of the canvas's width. */
static void
test_wide_plots (void)
{
  g_autofree char *out = g_build_filename (fr_work, "wide-report", NULL);
  g_autofree char *svg = g_build_filename (out, "charts", "throughput.svg", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GArray) areas = NULL;
  const char *args[] = { "-o", out, small_json, NULL };
  double width, plotted = 0;
  FrRan r = { 0 };

  fr_report (&r, NULL, args);
  ft_check (r.status == 0, "exit %d: %s", r.status, r.err);
  text = fr_read_text (svg);
  width = svg_width (text);
  areas = plot_areas (text);
  ft_check (areas->len >= 8, "fewer than two plot areas found in %s", svg);
  /* The row of the first panel: the areas with its bottom. */
  for (guint i = 0; i < areas->len; i += 4)
    if (g_array_index (areas, double, i + 3) == g_array_index (areas, double, 3))
      plotted += g_array_index (areas, double, i + 2) - g_array_index (areas, double, i);
  ft_check (plotted >= 0.7 * width, "the plots of a row are %.0f pixels of %.0f", plotted, width);
  fr_ran_clear (&r);
}

/* A run with the event model (filestorm-stress --mode thread,process,
 * event): its lines are drawn, dash-dotted with squares, and the key
 * has a row for each of the three models. */
static void
test_event_mode (void)
{
  g_autoptr(JsonNode) root = fr_load_json (small_json);
  JsonArray *scenarios = json_object_get_array_member (json_node_get_object (root), "scenarios");
  g_autofree char *path = NULL;
  g_autofree char *out = g_build_filename (fr_work, "event-report", NULL);
  g_autofree char *svg = g_build_filename (out, "charts", "throughput.svg", NULL);
  g_autofree char *gp = g_build_filename (out, "charts", "throughput.gp", NULL);
  g_autofree char *text = NULL, *script = NULL;
  const char *args[] = { "-o", out, NULL, NULL };
  guint n = json_array_get_length (scenarios);
  FrRan r = { 0 };

  for (guint i = 0; i < n; i++)
    {
      JsonObject *s = json_array_get_object_element (scenarios, i);
      g_autofree char *json = NULL;
      JsonNode *copy;

      if (strcmp (json_object_get_string_member (s, "mode"), "thread") != 0)
        continue;
      json = json_to_string (json_array_get_element (scenarios, i), FALSE);
      copy = json_from_string (json, NULL);
      json_object_set_string_member (json_node_get_object (copy), "mode", "event");
      json_array_add_element (scenarios, copy);
    }
  args[2] = path = fr_write_json (root, "event.json");
  fr_report (&r, NULL, args);
  ft_check (r.status == 0, "exit %d: %s", r.status, r.err);
  text = fr_read_text (svg);
  script = fr_read_text (gp);
  ft_check (key_y (text, "event, server pool 1") > key_y (text, "process, server pool 1")
            && key_y (text, "process, server pool 1") > key_y (text, "thread, server pool 1")
            && key_y (text, "thread, server pool 1") > 0,
            "the key of %s has no event row below process and thread", svg);
  ft_check (strstr (script, "pt 5 ps 0.9 dt 4") != NULL,
            "%s draws no event line dash-dotted with squares", gp);
  fr_ran_clear (&r);
}

/* A run with idle connections (filestorm-stress --idle-connections 0,50):
 * a line per number of them, named, and the scenarios of each found
 * apart. */
static void
test_idle (void)
{
  g_autoptr(JsonNode) root = fr_load_json (small_json);
  JsonArray *scenarios = json_object_get_array_member (json_node_get_object (root), "scenarios");
  g_autofree char *path = NULL;
  g_autofree char *out = g_build_filename (fr_work, "idle-report", NULL);
  g_autofree char *svg = g_build_filename (out, "charts", "throughput.svg", NULL);
  g_autofree char *text = NULL;
  const char *args[] = { "-o", out, NULL, NULL };
  guint n = json_array_get_length (scenarios);
  FrRan r = { 0 };

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *json = json_to_string (json_array_get_element (scenarios, i), FALSE);
      JsonNode *copy = json_from_string (json, NULL);

      json_object_set_int_member (json_node_get_object (copy), "idle_connections", 50);
      json_array_add_element (scenarios, copy);
    }
  args[2] = path = fr_write_json (root, "idle.json");
  fr_report (&r, NULL, args);
  ft_check (r.status == 0, "exit %d: %s", r.status, r.err);
  text = fr_read_text (svg);
  ft_check (key_y (text, "thread, 0 idle, server pool 1") > 0
            && key_y (text, "thread, 50 idle, server pool 1") > 0,
            "the key of %s has no line per number of idle connections", svg);
  fr_ran_clear (&r);
}

/* A key of many lines (three client modes, two server pools, two modes)
 * ran off both sides of the canvas: it fits within it, above the panels. */
static void
test_key_fits (void)
{
  g_autoptr(JsonNode) root = fr_load_json (small_json);
  JsonArray *scenarios = json_object_get_array_member (json_node_get_object (root), "scenarios");
  g_autofree char *path = NULL;
  g_autofree char *out = g_build_filename (fr_work, "many-lines-report", NULL);
  g_autofree char *svg = g_build_filename (out, "charts", "throughput.svg", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GArray) areas = NULL;
  const char *args[] = { "-o", out, NULL, NULL };
  static const char needle[] = "<path stroke='rgb(170, 170, 170)'  d='M";
  const char *box;
  double x0, y0, x1, y1, width, top = G_MAXDOUBLE;
  guint n = json_array_get_length (scenarios);
  FrRan r = { 0 };

  /* Each scenario again at server pool 5, and both in the two other
   * client modes: 12 lines. */
  for (guint i = 0; i < n; i++)
    for (guint m = 0; m < 6; m++)
      {
        static const char *const modes[] = { "thread", "process", "same" };
        g_autofree char *json = NULL;
        JsonNode *copy;

        if (m == 0)
          continue;
        /* json_node_copy() would share the object. */
        json = json_to_string (json_array_get_element (scenarios, i), FALSE);
        copy = json_from_string (json, NULL);
        json_object_set_string_member (json_node_get_object (copy), "client_mode", modes[m % 3]);
        json_object_set_int_member (json_node_get_object (copy), "server_pool", m < 3 ? 1 : 5);
        json_array_add_element (scenarios, copy);
      }
  args[2] = path = fr_write_json (root, "many-lines.json");
  fr_report (&r, NULL, args);
  ft_check (r.status == 0, "exit %d: %s", r.status, r.err);
  text = fr_read_text (svg);
  width = svg_width (text);
  box = strstr (text, needle);
  ft_check (box != NULL && sscanf (box + strlen (needle), "%lf,%lf L%lf,%lf L%lf,%lf", &x0, &y0,
                                   &x0, &y1, &x1, &y1) == 6,
            "no closed key box in %s (one cut off by the canvas is drawn open)", svg);
  areas = plot_areas (text);
  for (guint i = 0; i < areas->len; i += 4)
    top = MIN (top, g_array_index (areas, double, i + 1));
  ft_check (x0 > 1 && x1 < width - 1 && MAX (y0, y1) < top,
            "the key (%.0f to %.0f, bottom %.0f) is not within the canvas (%.0f wide) above "
            "the panels (top %.0f)", x0, x1, MAX (y0, y1), width, top);
  fr_ran_clear (&r);
}

/* A capacity search's results (filestorm-stress --slo): the bars of the
 * capacities, and latency against offered rate with a median line per
 * rate of the runs' steps, the objective and each capacity marked. */
static void
test_capacity (void)
{
  g_autoptr(JsonNode) root = fr_load_json (small_json);
  JsonObject *o = json_node_get_object (root);
  JsonArray *scenarios = json_object_get_array_member (o, "scenarios");
  g_autofree char *path = NULL;
  g_autofree char *out = g_build_filename (fr_work, "capacity-report", NULL);
  g_autofree char *bars = g_build_filename (out, "charts", "capacity.dat", NULL);
  g_autofree char *lat = g_build_filename (out, "charts", "capacity-latency.dat", NULL);
  g_autofree char *gp = g_build_filename (out, "charts", "capacity-latency.gp", NULL);
  g_autofree char *svg = g_build_filename (out, "charts", "capacity-latency.svg", NULL);
  g_autofree char *page = g_build_filename (out, "index.html", NULL);
  g_autofree char *text = NULL;
  const char *args[] = { "-o", out, NULL, NULL };
  FrRan r = { 0 };

  json_object_set_string_member (json_object_get_object_member (
                                   json_object_get_object_member (o, "run"), "matrix"),
                                 "slo", "p99<=50ms,errors<=0%");
  for (guint i = 0; i < json_array_get_length (scenarios); i++)
    {
      JsonObject *s = json_array_get_object_element (scenarios, i);
      JsonArray *runs = json_object_get_array_member (s, "runs");
      /* 1234 ops/s in the first scenario, 2000 in the others. */
      double cap = i == 0 ? 1234 : 2000;

      json_object_set_double_member (json_object_get_object_member (s, "median"),
                                     "capacity_ops_per_s", cap);
      json_object_set_double_member (json_object_get_object_member (s, "min"),
                                     "capacity_ops_per_s", cap * 0.9);
      json_object_set_double_member (json_object_get_object_member (s, "max"),
                                     "capacity_ops_per_s", cap * 1.1);
      for (guint k = 0; k < json_array_get_length (runs); k++)
        {
          /* Two steps at 1000 ops/s (p99 2 and 4 ms: a median of 3),
           * one at 4000 that missed. */
          g_autoptr(JsonNode) search = json_from_string (
            "{\"confirmed\": true, \"steps\": ["
            "{\"offered\": 1000, \"scheduled\": 1000, \"achieved\": 1000, \"p50_ms\": 1,"
            " \"p99_ms\": 2, \"errors\": 0, \"operations\": 500, \"met\": true},"
            "{\"offered\": 1000, \"scheduled\": 1000, \"achieved\": 1000, \"p50_ms\": 1,"
            " \"p99_ms\": 4, \"errors\": 0, \"operations\": 500, \"met\": true},"
            "{\"offered\": 4000, \"scheduled\": 4000, \"achieved\": 3000, \"p50_ms\": 90,"
            " \"p99_ms\": 400, \"errors\": 0, \"operations\": 1500, \"met\": false}]}",
            NULL);
          json_object_set_member (json_array_get_object_element (runs, k), "search",
                                  g_steal_pointer (&search));
        }
    }
  args[2] = path = fr_write_json (root, "capacity.json");
  fr_report (&r, NULL, args);
  ft_check (r.status == 0, "exit %d: %s", r.status, r.err);
  text = fr_read_text (bars);
  ft_check (strstr (text, " 1234 1110.6 1357.4\n") != NULL && strstr (text, " 2000 1800 2200\n"),
            "capacity.dat lacks the capacities and their spread:\n%s", text);
  g_free (text);
  text = fr_read_text (lat);
  ft_check (strstr (text, "\n1000 1 3 ") != NULL && strstr (text, "\n4000 90 400 ") != NULL
            && strstr (text, "\n4000 400 0\n") != NULL,
            "capacity-latency.dat lacks the medians per rate or the steps:\n%s", text);
  g_free (text);
  text = fr_read_text (gp);
  ft_check (strstr (text, "50 with lines") != NULL && strstr (text, "set arrow from 1234,") != NULL,
            "capacity-latency.gp draws no objective or no capacity:\n%s", text);
  {
    g_autoptr(GHashTable) lines = fr_svg_lines (svg);
    g_assert_nonnull (g_hash_table_lookup (lines, "objective: p99"));
  }
  g_free (text);
  text = fr_read_text (page);
  ft_check (strstr (text, "capacity-latency.svg") != NULL && strstr (text, "capacity.svg") != NULL
            && strstr (text, ">1234<") != NULL,
            "the page shows neither the capacity charts nor the capacity as the speed");
  fr_ran_clear (&r);
}

int
main (int argc, char **argv)
{
  ft_init ();
  g_test_init (&argc, &argv, NULL);
  if (!fr_init ("test-report-charts", "/report-charts/needs-gnuplot"))
    return g_test_run ();
  small_json = fr_stress_small ();
  g_test_add_func ("/report-charts/failures", test_failures_chart);
  g_test_add_func ("/report-charts/one-mode", test_one_mode);
  g_test_add_func ("/report-charts/event-mode", test_event_mode);
  g_test_add_func ("/report-charts/idle", test_idle);
  g_test_add_func ("/report-charts/long-machine-line", test_long_machine_line);
  g_test_add_func ("/report-charts/xml-specials", test_xml_specials);
  g_test_add_func ("/report-charts/wide-plots", test_wide_plots);
  g_test_add_func ("/report-charts/key-fits", test_key_fits);
  g_test_add_func ("/report-charts/capacity", test_capacity);
  return fr_run_tests ();
}
