/* test-report-answer.c: the verdict's answer at the top of
 * filestorm-report's page. A results file (the fuzz corpus's run seed,
 * from a real run) is given a verdict.answer by editing its JSON: the
 * page shows its lines first, as text, and stays XML; without the
 * member, or with one that is not an array, there is no Answer; in a
 * comparison, each file's answer is under its label. */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "report-check.h"
#include "report-run.h"
#include "testutil.h"

static char *fixture;  /* (owned) the results file edited */

static const char first_line[] = "download, 50 clients: thread \xe2\x89\x88 process; "
                                 "pool 5 is enough (pool 50 within noise; pool 1: 0.55x)";

/* The fixture with verdict.answer set to answer (NULL: removed), written
 * as name under fr_work: its path. */
static char *
with_answer (JsonNode *answer, const char *name)
{
  g_autoptr(JsonNode) root = fr_load_json (fixture);
  JsonObject *verdict = json_object_get_object_member (json_node_get_object (root), "verdict");

  g_assert_nonnull (verdict);
  json_object_remove_member (verdict, "answer");
  if (answer != NULL)
    json_object_set_member (verdict, "answer", answer);
  return fr_write_json (root, name);
}

/* The answer's lines: the first, one with markup's characters, and two
 * members that are not strings and an empty one (all three left out). */
static JsonNode *
answer_lines (const char *last)
{
  JsonArray *a = json_array_new ();

  json_array_add_string_element (a, first_line);
  json_array_add_int_element (a, 42);
  json_array_add_null_element (a);
  json_array_add_string_element (a, "");
  json_array_add_string_element (a, last);
  return json_node_init_array (json_node_alloc (), a);
}

/* Runs filestorm-report on args (out first) and returns the page. */
static char *
report_page (const char *out, const char *const *args)
{
  g_autofree char *page = g_build_filename (out, "index.html", NULL);
  const char *xml[] = { "xmllint", "--noout", page, NULL };
  FrRan r = { 0 };
  FrPage parsed = { 0 };
  char *html = NULL;

  fr_report (&r, NULL, args);
  ft_check (r.status == 0, "exit %d: %s", r.status, r.err);
  fr_ran_clear (&r);
  /* Well-formed: GMarkup, and xmllint where it is installed. */
  fr_page_read (&parsed, page);
  fr_page_clear (&parsed);
  if (fr_have ("xmllint"))
    {
      fr_run (&r, NULL, xml);
      ft_check (r.status == 0 && *r.err == '\0', "xmllint: %s", r.err);
      fr_ran_clear (&r);
    }
  g_assert_true (g_file_get_contents (page, &html, NULL, NULL));
  return html;
}

/* The position of needle in html, failing when it is not there. */
static gsize
at (const char *html, const char *needle)
{
  const char *p = strstr (html, needle);

  ft_check (p != NULL, "the page has no %s", needle);
  return (gsize) (p - html);
}

static void
test_shown (void)
{
  g_autofree char *path = with_answer (answer_lines ("list: <b>& </li> stays text"),
                                       "answer.json");
  g_autofree char *out = g_build_filename (fr_work, "answer-report", NULL);
  const char *args[] = { "-o", out, path, NULL };
  g_autofree char *html = report_page (out, args);
  g_autofree char *first = g_strdup_printf ("<li>%s</li>", first_line);
  gsize answer = at (html, "<h2>Answer</h2>");
  gsize end = at (html + answer, "</section>") + answer;
  g_autofree char *section = g_strndup (html + answer, end - answer);

  /* First: after the header's title and machine line, before the run's
   * details, the verdict and the charts. */
  ft_check (at (html, "</header>") < answer && answer < at (html, "<section id=\"run\">")
            && answer < at (html, "<h2>Verdict</h2>") && answer < at (html, "<h2>Charts</h2>"),
            "the Answer is not between the header and the run's details");
  ft_check (strstr (section, first) != NULL, "the answer has no line '%s': %s", first, section);
  ft_check (strstr (section, "<li>list: &lt;b&gt;&amp; &lt;/li&gt; stays text</li>") != NULL,
            "the answer's line with markup is not text: %s", section);
  ft_check (strstr (section, "<b>") == NULL, "markup of the answer reached the page");
  /* The members that are not strings, and the empty one, are left out. */
  ft_check (strstr (section, "42") == NULL && strstr (strstr (section, "<li>") + 1, "<li>")
            != NULL && strstr (strstr (strstr (section, "<li>") + 1, "<li>") + 1, "<li>") == NULL,
            "the answer is not its two strings: %s", section);
}

/* Results written before the answer, and an answer that is not an array:
 * no Answer, and the page is still drawn. */
static void
test_absent (void)
{
  g_autofree char *without = with_answer (NULL, "no-answer.json");
  g_autofree char *odd = with_answer (json_node_init_string (json_node_alloc (), "not lines"),
                                      "odd-answer.json");
  g_autofree char *out = g_build_filename (fr_work, "no-answer-report", NULL);
  g_autofree char *out2 = g_build_filename (fr_work, "odd-answer-report", NULL);
  const char *args[] = { "-o", out, without, NULL };
  const char *args2[] = { "-o", out2, odd, NULL };
  g_autofree char *html = report_page (out, args);
  g_autofree char *html2 = report_page (out2, args2);

  ft_check (strstr (html, "Answer") == NULL, "a page without an answer has an Answer");
  ft_check (strstr (html2, "Answer") == NULL && strstr (html2, "not lines") == NULL,
            "an answer that is not an array was shown");
}

/* In a comparison, each file's answer is under its label; a file without
 * one says so. */
static void
test_comparison (void)
{
  g_autofree char *one = with_answer (answer_lines ("list: first file line"), "one.json");
  g_autofree char *two = with_answer (answer_lines ("list: second file line"), "two.json");
  g_autofree char *none = with_answer (NULL, "none.json");
  g_autofree char *out = g_build_filename (fr_work, "compare-answers", NULL);
  const char *args[] = { "-o", out, "-l", "One", "-l", "Two", "-l", "None", one, two, none,
                         NULL };
  g_autofree char *html = report_page (out, args);
  gsize answer = at (html, "<h2>Answer</h2>");
  gsize h_one = at (html + answer, "<h3>One</h3>") + answer;
  gsize h_two = at (html + answer, "<h3>Two</h3>") + answer;
  gsize h_none = at (html + answer, "<h3>None</h3>") + answer;
  gsize l_one = at (html, "<li>list: first file line</li>");
  gsize l_two = at (html, "<li>list: second file line</li>");

  ft_check (h_one < l_one && l_one < h_two && h_two < l_two && l_two < h_none
            && h_none < at (html, "No answer"),
            "the answers are not each under its file's label");
  ft_check (h_none < at (html, "<section id=\"run\">"), "the Answer is not first");
}

int
main (int argc, char **argv)
{
  const char *srcdir = g_getenv ("FILESTORM_SRCDIR");

  ft_init ();
  g_test_init (&argc, &argv, NULL);
  if (!fr_init ("test-report-answer", "/report-answer/needs-gnuplot"))
    return g_test_run ();
  fixture = srcdir != NULL
    ? g_build_filename (srcdir, "tests", "fuzz", "corpus", "results", "run", NULL)
    : g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "results", "run", NULL);
  g_test_add_func ("/report-answer/shown", test_shown);
  g_test_add_func ("/report-answer/absent", test_absent);
  g_test_add_func ("/report-answer/comparison", test_comparison);
  return fr_run_tests ();
}
