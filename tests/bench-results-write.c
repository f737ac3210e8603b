/* bench-results-write: what writing the results costs filestorm-stress.
 *
 *   make tests/bench-results-write
 *   tests/bench-results-write data/scenarios.conf /tmp/bench-results
 *
 * Adds 3 runs of every scenario of the matrix to a new results pair in
 * DIR, as a run of the whole matrix at runs=3 does (each add rewrites the
 * CSV and the JSON document, fsync()ed), and prints the total and the
 * slowest add. This happens between scenarios, outside any timed phase. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "results-files.h"

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsMatrix) matrix = NULL;
  g_autoptr(GArray) scenarios = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(FsResults) results = NULL;
  FsMachine machine;
  FsRunInfo info;
  gint64 start, slowest = 0;

  if (argc != 3)
    {
      fprintf (stderr, "usage: bench-results-write MATRIX DIR\n");
      return 2;
    }
  matrix = fs_matrix_load (argv[1], &error);
  if (matrix == NULL)
    {
      fprintf (stderr, "bench-results-write: %s\n", error->message);
      return 2;
    }
  scenarios = fs_matrix_expand (matrix, FALSE, 1);
  fs_machine_read (&machine, argv[2]);
  info = (FsRunInfo) { .command = "bench-results-write", .machine = &machine, .started = now,
                       .seed = 1, .runs = 3, .matrix_file = argv[1], .matrix = matrix,
                       .scale = 1 };
  results = fs_results_open (argv[2], &info, scenarios, &error);
  fs_machine_clear (&machine);
  if (results == NULL)
    {
      fprintf (stderr, "bench-results-write: %s\n", error->message);
      return 1;
    }
  start = g_get_monotonic_time ();
  for (guint round = 1; round <= 3; round++)
    for (guint i = 0; i < scenarios->len; i++)
      {
        FsResultRow row = {
          .scenario = g_array_index (scenarios, FsScenario, i), .round = round,
          .timestamp = g_strdup ("2026-12-02 10:00:00"), .success = 5, .verified = TRUE,
          .volume_bytes = 10485760, .total_time_s = 1, .avg_time_s = 0.5,
          .aggregate_Bps = 1e8, .server = { .available = TRUE, .cpu_s = 0.1 },
          .pool_cpu_s = 0.1, .ranks = 1,
        };
        gint64 t = g_get_monotonic_time ();

        if (!fs_results_add (results, &row, &error))
          {
            fprintf (stderr, "bench-results-write: %s\n", error->message);
            return 1;
          }
        slowest = MAX (slowest, g_get_monotonic_time () - t);
      }
  printf ("%u adds: %.2f s in all, the slowest %.1f ms; %s\n", scenarios->len * 3,
          (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC, (double) slowest / 1000,
          fs_results_json_path (results));
  return 0;
}
