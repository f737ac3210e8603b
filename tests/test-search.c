/* test-search.c: the latency objective's text, the judgement of a step,
 * and the capacity search driven by servers of known capacity simulated
 * here (the real ones are in stress-capacity.sh). */
#include "config.h"

#include <math.h>

#include <glib.h>

#include "errors.h"
#include "search.h"

static void
test_slo_parse (void)
{
  static const struct { const char *text; double p50, p99, errors; const char *canon; } good[] = {
    { "p99<=50ms", NAN, 50, 0, "p99<=50ms,errors<=0%" },
    { "p99<=0.05s", NAN, 50, 0, "p99<=50ms,errors<=0%" },
    { " p50 <= 800us , p99<=1s,errors<=0.1%", 0.8, 1000, 0.001,
      "p50<=0.8ms,p99<=1000ms,errors<=0.1%" },
    { "errors<=5%,p50<=10ms", 10, NAN, 0.05, "p50<=10ms,errors<=5%" },
  };
  static const char *const bad[] = {
    "", "p99", "p99<50ms", "p99<=50", "p99<=-1ms", "p99<=0ms", "p99<=nanms", "p95<=50ms",
    "errors<=1%", "p99<=50ms,errors<=101%", "p99<=50ms,errors<=0.1", "p99<=5ms,p99<=6ms",
    "p99<=50ms,", "p99<=99999999s",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *canon = NULL;
      FsSlo slo;

      g_assert_true (fs_slo_parse (good[i].text, &slo, &error));
      g_assert_no_error (error);
      g_assert_true (isnan (good[i].p50) ? isnan (slo.p50_ms)
                                         : fabs (slo.p50_ms - good[i].p50) < 1e-9);
      g_assert_true (isnan (good[i].p99) ? isnan (slo.p99_ms)
                                         : fabs (slo.p99_ms - good[i].p99) < 1e-9);
      g_assert_cmpfloat (fabs (slo.errors - good[i].errors), <, 1e-12);
      canon = fs_slo_text (&slo);
      g_assert_cmpstr (canon, ==, good[i].canon);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      FsSlo slo;

      if (fs_slo_parse (bad[i], &slo, &error))
        g_error ("--slo '%s' was accepted", bad[i]);
      g_assert_error (error, FS_ERROR, FS_ERROR_USAGE);
      g_assert_null (strchr (error->message, '\n'));
      g_assert_true (g_str_has_prefix (error->message, "--slo"));
    }
}

static void
test_judge (void)
{
  FsSlo slo;
  FsSearchStep st = { .offered = 100, .achieved = 98, .p50_ms = 5, .p99_ms = 50,
                      .errors = 0, .operations = 100 };

  g_assert_true (fs_slo_parse ("p99<=50ms,p50<=5ms,errors<=1%", &slo, NULL));
  g_assert_true (fs_search_judge (&slo, &st) && st.met);
  st.achieved = 97.9;
  g_assert_false (fs_search_judge (&slo, &st) || st.met);
  /* Held to what the schedule made due (a Poisson count), when known. */
  st.scheduled = 90;
  g_assert_true (fs_search_judge (&slo, &st));
  st.scheduled = 120;
  st.achieved = 110;
  g_assert_false (fs_search_judge (&slo, &st));
  st.scheduled = 0;
  st.achieved = 100;
  st.p99_ms = 50.1;
  g_assert_false (fs_search_judge (&slo, &st));
  st.p99_ms = 1;
  st.p50_ms = 5.5;
  g_assert_false (fs_search_judge (&slo, &st));
  st.p50_ms = 1;
  st.errors = 0.011;
  g_assert_false (fs_search_judge (&slo, &st));
  st.errors = 0;
  st.operations = 0;
  g_assert_false (fs_search_judge (&slo, &st));
}

/* A server of capacity cap: it keeps up below it (p99 1 ms) and falls
 * behind above it. flaky: the first step above cap meets the objective
 * all the same, once. */
typedef struct {
  double   cap;
  gboolean flaky;
  guint    fail_at;   /* the step that cannot run, 1-based; 0: none */
  guint    steps;
} Known;

static gboolean
known_step (FsSearchStep *st, gpointer data, GError **error)
{
  Known *k = data;
  gboolean keeps_up = st->offered <= k->cap;

  if (++k->steps == k->fail_at)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_FAILED, "the pool failed");
      return FALSE;
    }
  if (k->flaky && !keeps_up)
    {
      keeps_up = TRUE;
      k->flaky = FALSE;
    }
  st->operations = 1000;
  st->achieved = keeps_up ? st->offered : k->cap;
  st->p50_ms = keeps_up ? 0.5 : 400;
  st->p99_ms = keeps_up ? 1 : 900;
  return TRUE;
}

static void
test_known (void)
{
  static const double caps[] = { 0.5, 3, 10, 17, 200, 190, 1234.5, 99999, 3e6 };
  FsSlo slo;

  g_assert_true (fs_slo_parse ("p99<=50ms", &slo, NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (caps); i++)
    {
      Known k = { caps[i] };
      FsSearchResult r;

      g_assert_true (fs_search_run (&slo, 10, 1e7, known_step, &k, &r, NULL));
      /* Within 10% below the true capacity, never above it: the promise of
       * filestorm-stress(1), whatever FS_SEARCH_RESOLUTION says. */
      g_assert_cmpfloat (r.capacity, <=, caps[i]);
      g_assert_cmpfloat (r.capacity * 1.1, >=, caps[i]);
      g_assert_true (r.confirmed);
      g_assert_cmpuint (r.steps->len, ==, k.steps);
      g_assert_cmpuint (r.steps->len, <=, 30);
      /* The last step is the confirmation, at the capacity. */
      g_assert_cmpfloat (g_array_index (r.steps, FsSearchStep, r.steps->len - 1).offered, ==,
                         r.capacity);
      fs_search_result_clear (&r);
    }
}

/* Beyond the search's ends: more than the largest rate, or nothing. */
static void
test_ends (void)
{
  FsSlo slo;
  Known big = { 1e9 }, none = { 0.01 };
  FsSearchResult r;

  g_assert_true (fs_slo_parse ("p99<=50ms", &slo, NULL));
  g_assert_true (fs_search_run (&slo, 10, 1000, known_step, &big, &r, NULL));
  g_assert_cmpfloat (r.capacity, ==, 1000);
  g_assert_true (r.confirmed);
  fs_search_result_clear (&r);
  g_assert_true (fs_search_run (&slo, 10, 1000, known_step, &none, &r, NULL));
  g_assert_cmpfloat (r.capacity, ==, 0);
  g_assert_false (r.confirmed);
  g_assert_cmpuint (r.steps->len, <=, 8);
  fs_search_result_clear (&r);
}

/* A step that met the objective by luck: its confirmation fails, and the
 * search settles below it. */
static void
test_unconfirmed (void)
{
  FsSlo slo;
  Known k = { 200, TRUE };
  FsSearchResult r;

  g_assert_true (fs_slo_parse ("p99<=50ms", &slo, NULL));
  g_assert_true (fs_search_run (&slo, 10, 1e7, known_step, &k, &r, NULL));
  g_assert_cmpfloat (r.capacity, <=, 200);
  g_assert_cmpfloat (r.capacity * 1.1, >=, 200);
  g_assert_true (r.confirmed);
  fs_search_result_clear (&r);
}

/* A step that cannot run ends the search with its error; the steps so
 * far are kept. */
static void
test_step_fails (void)
{
  g_autoptr(GError) error = NULL;
  FsSlo slo;
  Known k = { 200, FALSE, 3 };
  FsSearchResult r;
  g_autoptr(JsonNode) steps = NULL;

  g_assert_true (fs_slo_parse ("p99<=50ms", &slo, NULL));
  g_assert_false (fs_search_run (&slo, 10, 1e7, known_step, &k, &r, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_FAILED);
  g_assert_cmpuint (r.steps->len, ==, 2);
  steps = fs_search_steps_to_json (r.steps);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (steps)), ==, 2);
  g_assert_true (json_object_get_boolean_member (
    json_array_get_object_element (json_node_get_array (steps), 1), "met"));
  fs_search_result_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/search/slo-parse", test_slo_parse);
  g_test_add_func ("/search/judge", test_judge);
  g_test_add_func ("/search/known", test_known);
  g_test_add_func ("/search/ends", test_ends);
  g_test_add_func ("/search/unconfirmed", test_unconfirmed);
  g_test_add_func ("/search/step-fails", test_step_fails);
  return g_test_run ();
}
