/* test-scenario-axes.c: the matrix's axes beyond the seed's: the third
 * server model (event), asked for by --mode or modes=. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "errors.h"
#include "scenario.h"

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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scenario-axes/modes/option", test_modes_option);
  g_test_add_func ("/scenario-axes/modes/file", test_modes_file);
  return g_test_run ();
}
