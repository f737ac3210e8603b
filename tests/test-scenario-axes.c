/* test-scenario-axes.c: the matrix's axes beyond the seed's: the third
 * server model (event), asked for by --mode or modes=, and the idle
 * connections, by --idle-connections or idle=. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "errors.h"
#include "results.h"
#include "scenario.h"
#include "stress-pool.h"

#include "matrix-fixture.h"

/* The default matrix keeps its two models and 162 scenarios; --mode
 * sets the models (as --client-mode sets the client modes), so event,
 * which the default matrix lacks, can be asked for, kept in the
 * declared order thread, process, event. */
static void
test_modes_option (void)
{
  g_autoptr(FsMatrix) m = load_default ();
  g_autoptr(GArray) all = NULL;
  g_autoptr(GError) error = NULL;
  static const char *const wrong[][2] = {
    { "", "--mode: empty list" },
    { "thread,", "--mode: empty value in 'thread,'" },
    { "fiber", "--mode fiber: not a mode (thread, process or event)" },
    { "event,event", "--mode event: listed twice" },
  };

  g_assert_cmpuint (m->modes->len, ==, 2);
  g_assert_cmpuint (count_scenarios (m), ==, 162);
  g_assert_true (fs_matrix_set_modes (m, "event, thread,process", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (m->modes->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (g_array_index (m->modes, FsMode, i), ==, i);
  g_assert_cmpuint (count_scenarios (m), ==, 3 * 81);
  g_assert_true (fs_matrix_set_modes (m, "event", &error));
  all = fs_matrix_expand (m, FALSE, 1);
  g_assert_cmpuint (all->len, ==, 81);
  {
    g_autofree char *text = fs_scenario_describe (&g_array_index (all, FsScenario, 0), FALSE);
    g_assert_cmpstr (text, ==, "event upload 10MiB c1 s1");
  }
  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_assert_false (fs_matrix_set_modes (m, wrong[i][0], &error));
      g_assert_error (error, FS_ERROR, FS_ERROR_USAGE);
      g_assert_cmpstr (error->message, ==, wrong[i][1]);
      g_clear_error (&error);
    }
  /* A failed option leaves the matrix as it was. */
  g_assert_cmpuint (m->modes->len, ==, 1);
}

/* modes= in a file takes event; client mode same with an event server
 * runs thread clients, since a client pool has no event model. */
static void
test_modes_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsMatrix) m = load_text ("[matrix]\nmodes=thread;process;event\n"
                                     "client_modes=same;process\noperations=list\nvolumes=1\n"
                                     "client_pools=5\nserver_pools=5\n", &error);
  g_autoptr(GArray) all = NULL;
  static const FsMode pool[] = {
    FS_MODE_THREAD, FS_MODE_PROCESS, FS_MODE_PROCESS, FS_MODE_PROCESS,
    FS_MODE_THREAD, FS_MODE_PROCESS,
  };
  static const char *const want[] = {
    "thread list 1MiB c5 s5 clients:same", "thread list 1MiB c5 s5 clients:process",
    "process list 1MiB c5 s5 clients:same", "process list 1MiB c5 s5 clients:process",
    "event list 1MiB c5 s5 clients:same", "event list 1MiB c5 s5 clients:process",
  };

  g_assert_no_error (error);
  all = fs_matrix_expand (m, FALSE, 1);
  g_assert_cmpuint (all->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < all->len; i++)
    {
      const FsScenario *s = &g_array_index (all, FsScenario, i);
      g_autofree char *text = fs_scenario_describe (s, FALSE);

      g_assert_cmpstr (text, ==, want[i]);
      g_assert_cmpint (fs_scenario_pool_mode (s), ==, pool[i]);
    }
}

/* The idle connections: 0 alone by default (the default matrix keeps its
 * 162 scenarios), an axis of their own when set, right after the client
 * modes, in increasing order; in the description and the matrix's JSON;
 * and twins only at the same number. */
static void
test_idle (void)
{
  g_autoptr(FsMatrix) m = load_default ();
  g_autoptr(GArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;
  FsScenario a, b;
  static const char *const wrong[][2] = {
    { "", "--idle-connections: empty list" },
    { "-1", "--idle-connections -1: not between 0 and 1000000" },
    { "1000001", "--idle-connections 1000001: not between 0 and 1000000" },
    { "5,05", "--idle-connections 05: listed twice" },
    { "many", "--idle-connections many: not a whole number" },
  };

  g_assert_cmpuint (m->idles->len, ==, 1);
  g_assert_cmpuint (g_array_index (m->idles, guint, 0), ==, 0);
  g_assert_cmpuint (count_scenarios (m), ==, 162);
  g_assert_true (fs_matrix_set_idle (m, "50, 0", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (m->idles->len, ==, 2);
  g_assert_cmpuint (g_array_index (m->idles, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (m->idles, guint, 1), ==, 50);
  all = fs_matrix_expand (m, FALSE, 1);
  g_assert_cmpuint (all->len, ==, 2 * 162);
  /* Within a mode and client mode, all 0 first, then all 50. */
  g_assert_cmpuint (g_array_index (all, FsScenario, 40).idle, ==, 0);
  g_assert_cmpuint (g_array_index (all, FsScenario, 81).idle, ==, 50);
  text = fs_scenario_describe (&g_array_index (all, FsScenario, 81), FALSE);
  g_assert_cmpstr (text, ==, "thread upload 10MiB c1 s1 idle:50");
  json = fs_matrix_to_json (m);
  {
    JsonArray *idle = json_object_get_array_member (json_node_get_object (json), "idle");
    g_assert_cmpuint (json_array_get_length (idle), ==, 2);
    g_assert_cmpint (json_array_get_int_element (idle, 1), ==, 50);
  }
  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_assert_false (fs_matrix_set_idle (m, wrong[i][0], &error));
      g_assert_error (error, FS_ERROR, FS_ERROR_USAGE);
      g_assert_cmpstr (error->message, ==, wrong[i][1]);
      g_clear_error (&error);
    }

  a = g_array_index (all, FsScenario, 0);
  b = g_array_index (all, FsScenario, 81);
  g_assert_cmpint (fs_scenario_compare_twins (&a, &b), <, 0);
  b.idle = 0;
  b.mode = FS_MODE_PROCESS;
  g_assert_cmpint (fs_scenario_compare_twins (&a, &b), ==, 0);
}

/* idle= in a file: optional, a list of numbers from 0. */
static void
test_idle_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsMatrix) m = load_text ("[matrix]\nmodes=thread\noperations=list\nvolumes=1\n"
                                     "client_pools=5\nserver_pools=5\nidle=0;50\n", &error);
  g_autoptr(FsMatrix) bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (count_scenarios (m), ==, 2);
  bad = load_text ("[matrix]\nmodes=thread\noperations=list\nvolumes=1\nclient_pools=5\n"
                   "server_pools=5\nidle=0;-3\n", &error);
  g_assert_null (bad);
  g_assert_cmpstr (error->message, ==, "test.conf: [matrix] idle: -3 is not between 0 and "
                                       "1000000");
}

/* The bounds of a scenario with idle connections: the pool's timeout is
 * at most the warm-up and duration, rounded up, plus 5 s (never more than
 * --timeout), and the server's idle timeout outlasts the pool's whole
 * run; without idle connections both are as before. */
static void
test_idle_bounds (void)
{
  FsStressConfig config = { .timeout = 60, .duration = 0.3, .warmup = 0.1 };
  FsScenario none = { .idle = 0 }, some = { .idle = 50 };
  guint pool;

  g_assert_cmpuint (fs_stress_pool_timeout (&config, &none), ==, 60);
  g_assert_cmpuint (fs_stress_server_idle_timeout (&config, &none), ==, 0);
  pool = fs_stress_pool_timeout (&config, &some);
  g_assert_cmpuint (pool, ==, 1 + FS_STRESS_IDLE_SLACK);
  /* The run: the warm-up and the duration, and an operation stalled for
   * the pool's timeout at each end of it. */
  g_assert_cmpuint (fs_stress_server_idle_timeout (&config, &some), >, 1 + 2 * pool);
  config.timeout = 2;
  g_assert_cmpuint (fs_stress_pool_timeout (&config, &some), ==, 2);
  /* A fixed count: no duration, the slack alone. */
  config = (FsStressConfig) { .timeout = 60, .repeat = 3 };
  g_assert_cmpuint (fs_stress_pool_timeout (&config, &some), ==, FS_STRESS_IDLE_SLACK);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scenario-axes/modes/option", test_modes_option);
  g_test_add_func ("/scenario-axes/modes/file", test_modes_file);
  g_test_add_func ("/scenario-axes/idle/option", test_idle);
  g_test_add_func ("/scenario-axes/idle/file", test_idle_file);
  g_test_add_func ("/scenario-axes/idle/bounds", test_idle_bounds);
  return g_test_run ();
}
