/* test-verdict.c: the verdict's calls (fs_compare() on the runs of each
 * side) and its answer, on made-up scenarios. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "verdict.h"

#include "results-fixture.h"

/* Up to 12 scenarios, made one by one. */
typedef struct {
  FsScenarioResult srs[12];
  guint            n;
  guint            idle;  /* the idle connections of the scenarios added next */
} Set;

static FsScenarioResult *
add (Set *set, FsMode mode, guint clients, guint server_pool, FsClientMode cm,
     const double *mib_s, guint runs)
{
  FsScenarioResult *sr = &set->srs[set->n];
  FsScenario sc = scenario (set->n + 1, mode, FS_OP_DOWNLOAD, clients);

  g_assert_cmpuint (set->n, <, G_N_ELEMENTS (set->srs));
  sc.server_pool = server_pool;
  sc.client_mode = cm;
  sc.idle = set->idle;
  fs_scenario_result_init (sr, &sc, FALSE);
  add_runs (sr, mib_s, runs);
  set->n++;
  return sr;
}

static void
set_clear (Set *set)
{
  for (guint i = 0; i < set->n; i++)
    fs_scenario_result_clear (&set->srs[i]);
  set->n = 0;
}

static char *
answer_text (const FsVerdict *v)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < v->answer->len; i++)
    g_string_append_printf (s, "%s\n", (char *) v->answer->pdata[i]);
  g_test_message ("answer:\n%s", s->str);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* The same runs on both sides: no difference to find. The old rule
 * called the speed "within noise" here too, but its cost comparisons
 * were ties; the interval must be exactly 1. */
static void
test_identical (void)
{
  static const double runs[] = { 100, 110, 120 };
  Set set = { 0 };
  g_autoptr(FsVerdict) v = NULL;
  g_autofree char *text = NULL;

  add (&set, FS_MODE_THREAD, 5, 5, FS_CLIENT_THREAD, runs, 3);
  add (&set, FS_MODE_PROCESS, 5, 5, FS_CLIENT_THREAD, runs, 3);
  v = fs_verdict_new (set.srs, set.n, FALSE);
  g_assert_cmpuint (v->n_pairs, ==, 1);
  g_assert_cmpint (v->pairs[0].speed.call, ==, FS_CALL_NOISE);
  g_assert_true (v->pairs[0].speed.tie);
  g_assert_cmpfloat (v->pairs[0].speed.ratio, ==, 1.0);
  g_assert_cmpfloat (v->pairs[0].speed.lo, <, 1.0);
  g_assert_cmpfloat (v->pairs[0].speed.hi, >, 1.0);
  g_assert_cmpfloat (v->pairs[0].speed.p, >, 0.99);
  text = answer_text (v);
  g_assert_true (g_str_has_prefix (text, "download, 5 clients: thread \xe2\x89\x88 process\n"));
  set_clear (&set);
}

/* 3 runs a side, 2x apart, 2% spread: clear, for process, whose
 * interval (inverted with the ratio) lies above 1; the runs and the
 * operations behind each side are kept. */
static void
test_clear_side (void)
{
  static const double t[] = { 100, 102, 98 }, p[] = { 200, 204, 196 };
  Set set = { 0 };
  g_autoptr(FsVerdict) v = NULL;
  g_autofree char *text = NULL;
  const FsComparison *c;

  add (&set, FS_MODE_THREAD, 5, 5, FS_CLIENT_THREAD, t, 3);
  add (&set, FS_MODE_PROCESS, 5, 5, FS_CLIENT_THREAD, p, 3);
  v = fs_verdict_new (set.srs, set.n, FALSE);
  c = &v->pairs[0].speed;
  g_assert_cmpint (c->call, ==, FS_CALL_CLEAR);
  g_assert_cmpint (c->winner, ==, FS_MODE_PROCESS);
  g_assert_cmpfloat_with_epsilon (c->ratio, 2.0, 1e-9);
  g_assert_cmpfloat (c->lo, >, 1.0);
  g_assert_cmpfloat (c->lo, <, 2.0);
  g_assert_cmpfloat (c->hi, >, 2.0);
  g_assert_cmpfloat (c->p, <, 0.001);
  g_assert_cmpfloat (c->level, ==, 0.95);
  g_assert_cmpuint (c->runs[0], ==, 3);
  g_assert_cmpuint (c->runs[1], ==, 3);
  g_assert_cmpuint (c->operations[0], ==, 15);  /* 5 clients x 3 runs */
  g_assert_cmpuint (c->operations[1], ==, 15);
  text = answer_text (v);
  g_assert_true (g_str_has_prefix (text, "download, 5 clients: process faster (2.00x)\n"));
  set_clear (&set);
}

/* Ranges apart, but one side spreads widely: 3 runs cannot tell a 1.23x
 * difference from that spread (p = 0.19), so within noise; the min-max
 * rule called it clear, as it did 1 A/A pair in 10. */
static void
test_spread (void)
{
  static const double t[] = { 100, 101, 102 }, p[] = { 103, 125, 150 };
  Set set = { 0 };
  g_autoptr(FsVerdict) v = NULL;

  add (&set, FS_MODE_THREAD, 5, 5, FS_CLIENT_THREAD, t, 3);
  add (&set, FS_MODE_PROCESS, 5, 5, FS_CLIENT_THREAD, p, 3);
  v = fs_verdict_new (set.srs, set.n, FALSE);
  g_assert_cmpint (v->pairs[0].speed.call, ==, FS_CALL_NOISE);
  g_assert_cmpint (v->pairs[0].speed.winner, ==, FS_MODE_PROCESS);
  g_assert_cmpfloat (v->pairs[0].speed.lo, <, 1.0);
  g_assert_cmpfloat (v->pairs[0].speed.p, >, 0.1);
  set_clear (&set);
}

/* One run a side: no interval at the stated rate, however far apart. */
static void
test_too_few (void)
{
  static const double t[] = { 100 }, p[] = { 300 };
  Set set = { 0 };
  g_autoptr(FsVerdict) v = NULL;
  g_autofree char *text = NULL;

  add (&set, FS_MODE_THREAD, 5, 5, FS_CLIENT_THREAD, t, 1);
  add (&set, FS_MODE_PROCESS, 5, 5, FS_CLIENT_THREAD, p, 1);
  v = fs_verdict_new (set.srs, set.n, FALSE);
  g_assert_cmpint (v->pairs[0].speed.call, ==, FS_CALL_TOO_FEW);
  g_assert_true (isnan (v->pairs[0].speed.lo));
  text = answer_text (v);
  g_assert_true (g_str_has_prefix (text, "download, 5 clients: too few runs to tell thread "
                                         "from process\n"));
  set_clear (&set);

  /* Nor is a pool size called enough while a smaller one is unknown. */
  add (&set, FS_MODE_THREAD, 5, 1, FS_CLIENT_THREAD, t, 1);
  add (&set, FS_MODE_THREAD, 5, 5, FS_CLIENT_THREAD, p, 1);
  g_clear_pointer (&v, fs_verdict_free);
  g_clear_pointer (&text, g_free);
  v = fs_verdict_new (set.srs, set.n, FALSE);
  text = answer_text (v);
  g_assert_true (g_str_has_prefix (text, "download, 5 clients: too few runs to tell which "
                                         "server pool is enough (pool 1: too few runs)\n"));
  set_clear (&set);
}

/* Pools 1, 5 and 50 at 50 clients: pool 1 half as fast, 5 and 50 alike:
 * pool 5 is enough. */
static void
test_pool_enough (void)
{
  static const double slow[] = { 50, 51, 49 }, five[] = { 100, 102, 98 },
                      fifty[] = { 101, 99, 100 };
  Set set = { 0 };
  g_autoptr(FsVerdict) v = NULL;
  g_autofree char *text = NULL;

  for (guint m = 0; m < 2; m++)
    {
      FsMode mode = m == 0 ? FS_MODE_THREAD : FS_MODE_PROCESS;
      add (&set, mode, 50, 50, FS_CLIENT_THREAD, fifty, 3);
      add (&set, mode, 50, 1, FS_CLIENT_THREAD, slow, 3);
      add (&set, mode, 50, 5, FS_CLIENT_THREAD, five, 3);
    }
  v = fs_verdict_new (set.srs, set.n, FALSE);
  g_assert_cmpuint (v->n_pairs, ==, 3);
  text = answer_text (v);
  g_assert_true (g_str_has_prefix (text, "download, 50 clients: thread \xe2\x89\x88 process; "
                                         "pool 5 is enough (pool 50 within noise; "
                                         "pool 1: 0.50x)\n"));
  set_clear (&set);
}

/* Two pairs at 5 clients: one 1.26x apart with 10% spread (p = 0.036,
 * clear alone), the other identical. Over the family of two, Holm asks
 * for p < 0.025: the answer must not claim a faster model. */
static void
test_holm (void)
{
  static const double t[] = { 100, 110, 120 }, p[] = { 126, 138.6, 151.2 };
  Set set = { 0 };
  g_autoptr(FsVerdict) v = NULL;
  g_autofree char *text = NULL;
  const FsPair *apart;

  add (&set, FS_MODE_THREAD, 5, 1, FS_CLIENT_THREAD, t, 3);
  add (&set, FS_MODE_PROCESS, 5, 1, FS_CLIENT_THREAD, p, 3);
  add (&set, FS_MODE_THREAD, 5, 5, FS_CLIENT_THREAD, t, 3);
  add (&set, FS_MODE_PROCESS, 5, 5, FS_CLIENT_THREAD, t, 3);
  v = fs_verdict_new (set.srs, set.n, FALSE);
  apart = fs_verdict_find (v, &set.srs[0], FS_MODE_PROCESS);
  g_assert_cmpfloat (apart->speed.p, <, 0.05);
  g_assert_cmpfloat (apart->speed.p, >, 0.025);
  g_assert_cmpint (apart->speed.call, ==, FS_CALL_CLEAR);
  text = answer_text (v);
  g_assert_true (g_str_has_prefix (text, "download, 5 clients: thread \xe2\x89\x88 process;"));
  set_clear (&set);
}

/* The JSON's verdict opens with the answer, the lines as printed; each
 * figure has its interval, call, p-value, runs and operations. */
static void
test_json (void)
{
  static const double t[] = { 100, 102, 98 }, p[] = { 200, 204, 196 };
  Set set = { 0 };
  g_autoptr(FsVerdict) v = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *start = NULL;
  JsonObject *o, *speed;
  JsonArray *answer;
  g_autofree char *printed = NULL;
  gsize size;
  FILE *out;

  add (&set, FS_MODE_THREAD, 5, 5, FS_CLIENT_THREAD, t, 3);
  add (&set, FS_MODE_PROCESS, 5, 5, FS_CLIENT_THREAD, p, 3);
  v = fs_verdict_new (set.srs, set.n, FALSE);
  node = fs_verdict_to_json (v);
  json = json_to_string (node, FALSE);
  g_test_message ("%s", json);
  g_assert_true (g_str_has_prefix (json, "{\"answer\":[\"download, 5 clients: "));
  o = json_node_get_object (node);
  answer = json_object_get_array_member (o, "answer");
  g_assert_cmpuint (json_array_get_length (answer), ==, v->answer->len);
  for (guint i = 0; i < v->answer->len; i++)
    g_assert_cmpstr (json_array_get_string_element (answer, i), ==, v->answer->pdata[i]);
  speed = json_object_get_object_member (
    json_array_get_object_element (json_object_get_array_member (o, "pairs"), 0), "speed");
  g_assert_cmpstr (json_object_get_string_member (speed, "call"), ==, "clear");
  g_assert_cmpstr (json_object_get_string_member (speed, "winner"), ==, "process");
  g_assert_cmpfloat (json_object_get_double_member (speed, "lo"), >, 1.0);
  g_assert_cmpfloat (json_object_get_double_member (speed, "hi"), >, 2.0);
  g_assert_cmpfloat (json_object_get_double_member (speed, "level"), ==, 0.95);
  g_assert_cmpfloat (json_object_get_double_member (speed, "p"), <, 0.001);
  g_assert_cmpint (json_object_get_int_member (speed, "thread_runs"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (speed, "process_operations"), ==, 15);

  /* Printed: the answer last, under its heading. */
  out = open_memstream (&printed, &size);
  fs_verdict_print (v, out);
  fclose (out);
  g_test_message ("%s", printed);
  start = g_strdup_printf ("\nAnswer:\n  %s\n", (char *) v->answer->pdata[0]);
  g_assert_nonnull (strstr (printed, start));
  set_clear (&set);
}

/* Client mode same: said not to compare the servers alone. */
static void
test_same (void)
{
  static const double t[] = { 100, 110, 120 };
  Set set = { 0 };
  g_autoptr(FsVerdict) v = NULL;
  g_autofree char *text = NULL;

  add (&set, FS_MODE_THREAD, 5, 5, FS_CLIENT_SAME, t, 3);
  add (&set, FS_MODE_PROCESS, 5, 5, FS_CLIENT_SAME, t, 3);
  v = fs_verdict_new (set.srs, set.n, FALSE);
  g_assert_false (v->pairs[0].servers_alone);
  text = answer_text (v);
  g_assert_nonnull (strstr (text, "\nclient mode same: the client pool's model changes with "
                                  "the server's, so its lines do not compare the servers "
                                  "alone\n"));
  set_clear (&set);
}

/* What limited the measurement: the pool outworking the server in most
 * pairs, a failed run, a busy machine. */
static void
test_limits (void)
{
  static const double t[] = { 100, 110, 120 };
  Set set = { 0 };
  g_autoptr(FsVerdict) v = NULL;
  g_autofree char *text = NULL;
  FsScenarioResult *sr;
  FsResultRow bad;

  sr = add (&set, FS_MODE_THREAD, 5, 5, FS_CLIENT_THREAD, t, 3);
  for (guint i = 0; i < sr->n_runs; i++)
    sr->runs[i].pool_cpu_s = 2;
  run_init (&bad, &sr->scenario, 4, 100);
  bad.fail = 1;
  fs_scenario_result_add (sr, &bad);
  add (&set, FS_MODE_PROCESS, 5, 5, FS_CLIENT_THREAD, t, 3);
  v = fs_verdict_new (set.srs, set.n, TRUE);
  text = answer_text (v);
  g_assert_nonnull (strstr (text, "\ndownload: the load generator used more CPU than the "
                                  "server in 1 of 1 pairs (^)"));
  g_assert_nonnull (strstr (text, "filestorm-pool-mpi on other machines\n"));
  g_assert_nonnull (strstr (text, "\n1 of 7 runs failed"));
  g_assert_nonnull (strstr (text, "\nthe machine was busy"));
  set_clear (&set);
}

/* Three models: every two are paired, the conclusions name the two
 * they compare, and the answer names the fastest against each other. */
static void
test_three (void)
{
  static const double t[] = { 100, 102, 98 }, p[] = { 100, 104, 96 }, e[] = { 200, 204, 196 };
  static const char *const pairs[][2] = {
    { "thread", "process" }, { "thread", "event" }, { "process", "event" },
  };
  Set set = { 0 };
  g_autoptr(FsVerdict) v = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autofree char *printed = NULL;
  JsonArray *jp;
  gsize size;
  FILE *out;

  add (&set, FS_MODE_THREAD, 5, 5, FS_CLIENT_THREAD, t, 3);
  add (&set, FS_MODE_PROCESS, 5, 5, FS_CLIENT_THREAD, p, 3);
  add (&set, FS_MODE_EVENT, 5, 5, FS_CLIENT_THREAD, e, 3);
  v = fs_verdict_new (set.srs, set.n, FALSE);
  g_assert_cmpuint (v->n_pairs, ==, 3);
  g_assert_cmpuint (v->n_modes, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpstr (fs_mode_name (v->pairs[i].a->scenario.mode), ==, pairs[i][0]);
      g_assert_cmpstr (fs_mode_name (v->pairs[i].b->scenario.mode), ==, pairs[i][1]);
    }
  g_assert_cmpint (v->pairs[1].speed.winner, ==, FS_MODE_EVENT);
  g_assert_cmpint (v->pairs[2].speed.winner, ==, FS_MODE_EVENT);
  g_assert_true (fs_verdict_find (v, &set.srs[2], FS_MODE_PROCESS) == &v->pairs[2]);
  text = answer_text (v);
  g_assert_true (g_str_has_prefix (text, "download, 5 clients: event fastest (2.00x over "
                                         "thread, 2.00x over process)\n"));
  g_assert_nonnull (strstr (text, "\ndownload cost (median server memory, CPU): thread "));
  g_assert_nonnull (strstr (text, "; event "));

  /* Each pair's figures under its models' names. */
  node = fs_verdict_to_json (v);
  jp = json_object_get_array_member (json_node_get_object (node), "pairs");
  {
    JsonObject *pair = json_array_get_object_element (jp, 2);
    JsonArray *modes = json_object_get_array_member (pair, "modes");
    JsonObject *speed = json_object_get_object_member (pair, "speed");

    g_assert_cmpstr (json_array_get_string_element (modes, 0), ==, "process");
    g_assert_cmpstr (json_array_get_string_element (modes, 1), ==, "event");
    g_assert_cmpstr (json_object_get_string_member (speed, "winner"), ==, "event");
    g_assert_cmpfloat (json_object_get_double_member (speed, "event"), ==, 200.0 * 1024 * 1024);
    g_assert_cmpint (json_object_get_int_member (speed, "process_runs"), ==, 3);
    g_assert_false (json_object_has_member (speed, "thread"));
  }

  out = open_memstream (&printed, &size);
  fs_verdict_print (v, out);
  fclose (out);
  g_test_message ("%s", printed);
  g_assert_nonnull (strstr (printed, "Verdict, model against model (clear"));
  g_assert_nonnull (strstr (printed, "\n  download (thread against event): event ahead at 5 "
                                     "clients"));
  g_assert_nonnull (strstr (printed, "\n  download (process against event): event ahead"));
  g_assert_nonnull (strstr (printed, "\n  download (thread against process): within noise"));
  set_clear (&set);
}

/* Three models and no fastest: each two say what they say. */
static void
test_three_none (void)
{
  static const double fast[] = { 200, 204, 196 }, slow[] = { 100, 102, 98 };
  Set set = { 0 };
  g_autoptr(FsVerdict) v = NULL;
  g_autofree char *text = NULL;

  add (&set, FS_MODE_THREAD, 5, 5, FS_CLIENT_THREAD, fast, 3);
  add (&set, FS_MODE_PROCESS, 5, 5, FS_CLIENT_THREAD, slow, 3);
  add (&set, FS_MODE_EVENT, 5, 5, FS_CLIENT_THREAD, fast, 3);
  v = fs_verdict_new (set.srs, set.n, FALSE);
  text = answer_text (v);
  g_assert_true (g_str_has_prefix (text, "download, 5 clients: no model clearly fastest "
                                         "(thread faster than process (2.00x), thread "
                                         "\xe2\x89\x88 event, event faster than process "
                                         "(2.00x))"));
  set_clear (&set);
}

/* Three models make three comparisons at a client count, held together
 * by Holm: a difference clear for p < 0.05 alone (thread against event,
 * p between 0.025 and 0.05) is clear with two models and not with three,
 * where the smallest p-value must beat 0.05 / 3. */
static void
test_three_holm (void)
{
  static const double t[] = { 100, 110, 120 }, e[] = { 126, 138.6, 151.2 };
  Set set = { 0 };
  g_autoptr(FsVerdict) two = NULL;
  g_autoptr(FsVerdict) three = NULL;
  g_autofree char *text2 = NULL;
  g_autofree char *text3 = NULL;

  add (&set, FS_MODE_THREAD, 5, 5, FS_CLIENT_THREAD, t, 3);
  add (&set, FS_MODE_EVENT, 5, 5, FS_CLIENT_THREAD, e, 3);
  two = fs_verdict_new (set.srs, set.n, FALSE);
  g_assert_cmpfloat (two->pairs[0].speed.p, <, 0.05);
  g_assert_cmpfloat (two->pairs[0].speed.p, >, 0.025);
  text2 = answer_text (two);
  g_assert_true (g_str_has_prefix (text2, "download, 5 clients: event faster (1.26x)\n"));

  add (&set, FS_MODE_PROCESS, 5, 5, FS_CLIENT_THREAD, t, 3);
  three = fs_verdict_new (set.srs, set.n, FALSE);
  g_assert_cmpuint (three->n_pairs, ==, 3);
  text3 = answer_text (three);
  g_assert_true (g_str_has_prefix (text3, "download, 5 clients: no model clearly fastest "
                                          "(thread \xe2\x89\x88 process, thread \xe2\x89\x88 "
                                          "event, process \xe2\x89\x88 event)\n"));
  set_clear (&set);
}

/* The verdict is per number of idle connections: twins only at the same
 * number, conclusion and answer lines of their own, named, and Holm's
 * families apart (the pairs at 50 idle connections do not dilute those
 * at 0). */
static void
test_idle (void)
{
  static const double t[] = { 100, 110, 120 }, p[] = { 126, 138.6, 151.2 };
  static const double slow[] = { 10, 11, 12 };
  Set set = { 0 };
  g_autoptr(FsVerdict) v = NULL;
  g_autofree char *text = NULL;
  g_autofree char *printed = NULL;
  gsize size;
  FILE *out;

  add (&set, FS_MODE_THREAD, 5, 5, FS_CLIENT_THREAD, t, 3);
  add (&set, FS_MODE_PROCESS, 5, 5, FS_CLIENT_THREAD, p, 3);
  set.idle = 50;
  add (&set, FS_MODE_THREAD, 5, 5, FS_CLIENT_THREAD, slow, 3);
  add (&set, FS_MODE_PROCESS, 5, 5, FS_CLIENT_THREAD, t, 3);
  v = fs_verdict_new (set.srs, set.n, FALSE);
  g_assert_cmpuint (v->n_pairs, ==, 2);
  g_assert_true (v->pairs[0].a == &set.srs[0] && v->pairs[0].b == &set.srs[1]);
  g_assert_true (v->pairs[1].a == &set.srs[2] && v->pairs[1].b == &set.srs[3]);
  text = answer_text (v);
  /* p between 0.025 and 0.05: clear in a family of one, which it would
   * not be beside the pair at 50 idle connections. */
  g_assert_true (g_str_has_prefix (text, "download, 5 clients (0 idle connections): process "
                                         "faster (1.26x)\n"));
  g_assert_nonnull (strstr (text, "\ndownload, 5 clients (50 idle connections): process "
                                  "faster (10.0"));
  g_assert_nonnull (strstr (text, "\ndownload (50 idle connections) cost (median server "));

  out = open_memstream (&printed, &size);
  fs_verdict_print (v, out);
  fclose (out);
  g_test_message ("%s", printed);
  g_assert_nonnull (strstr (printed, "\n  download (0 idle connections): process ahead at 5 "
                                     "clients"));
  g_assert_nonnull (strstr (printed, "\n  download (50 idle connections): process ahead at 5 "
                                     "clients"));
  set_clear (&set);
}

/* The starved models are named once per model and pool, whatever the
 * volumes, and only when every run at every volume failed. */
static void
test_starved_volumes (void)
{
  static const double t[] = { 100, 110, 120 };
  Set set = { .idle = 50 };
  FsScenario key;
  g_autofree char *text = NULL;
  g_autofree char *mixed = NULL;

  for (guint v = 0; v < 2; v++)
    {
      FsScenarioResult *thread = add (&set, FS_MODE_THREAD, 5, 5, FS_CLIENT_THREAD, t, 3);
      FsScenarioResult *event = add (&set, FS_MODE_EVENT, 5, 5, FS_CLIENT_THREAD, t, 3);

      thread->scenario.volume = event->scenario.volume = 10.0 * (v + 1);
      thread->runs_passed = 0;
    }
  key = set.srs[0].scenario;
  text = fs_verdict_starved_text (set.srs, set.n, &key);
  g_assert_cmpstr (text, ==, "every run of thread pool 5 failed (event pool 5 passed)");
  /* Passed at one volume: not starved. */
  set.srs[2].runs_passed = set.srs[2].n_runs;
  mixed = fs_verdict_starved_text (set.srs, set.n, &key);
  g_assert_null (mixed);
  set_clear (&set);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/verdict/identical", test_identical);
  g_test_add_func ("/verdict/clear-side", test_clear_side);
  g_test_add_func ("/verdict/spread", test_spread);
  g_test_add_func ("/verdict/too-few", test_too_few);
  g_test_add_func ("/verdict/answer/pool-enough", test_pool_enough);
  g_test_add_func ("/verdict/answer/holm", test_holm);
  g_test_add_func ("/verdict/answer/json-first", test_json);
  g_test_add_func ("/verdict/answer/same", test_same);
  g_test_add_func ("/verdict/answer/limits", test_limits);
  g_test_add_func ("/verdict/three/pairs", test_three);
  g_test_add_func ("/verdict/three/none-fastest", test_three_none);
  g_test_add_func ("/verdict/three/holm", test_three_holm);
  g_test_add_func ("/verdict/idle", test_idle);
  g_test_add_func ("/verdict/idle/starved-volumes", test_starved_volumes);

  return g_test_run ();
}
