/* results-fixture.c: scenarios and runs made up for the tests of the
 * results and of the verdict. */
#include "config.h"

#include "results-fixture.h"

#include <string.h>

FsScenario
scenario (guint index, FsMode mode, FsOperation op, guint clients)
{
  return (FsScenario) {
    .index = index, .mode = mode, .operation = op, .volume = 10, .volume_mb = 10,
    .client_pool = clients, .server_pool = 5,
  };
}

/* A passed run of sc moving MiB/s aggregate, with cost figures. */
void
run_init (FsResultRow *row, const FsScenario *sc, guint round, double mib_s)
{
  memset (row, 0, sizeof *row);
  row->scenario = *sc;
  row->round = round;
  row->ranks = 1;
  row->timestamp = g_strdup_printf ("2026-12-02 10:00:%02u", round);
  row->success = sc->client_pool;
  row->volume_bytes = 10 * 1048576;
  row->total_time_s = (double) row->success * 10 / mib_s;
  row->avg_time_s = row->total_time_s / 2;
  row->aggregate_Bps = mib_s * 1048576;
  row->throughput_Bps = row->aggregate_Bps / sc->client_pool;
  row->p50_ms = 10 * round;
  row->p99_ms = 20 * round;
  row->verified = TRUE;
  row->server_success = sc->client_pool;
  row->server_counters = TRUE;
  row->server = (FsCost) { .available = TRUE, .cpu_s = 0.5, .pss_kib = 2048 * round,
                           .rss_kib = 4096 * round, .processes = 1, .threads = 7 };
  row->pool_cpu_s = 0.25;
  row->pool_peak_rss_kib = 3000;
}

void
add_runs (FsScenarioResult *sr, const double *mib_s, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      FsResultRow row;
      run_init (&row, &sr->scenario, i + 1, mib_s[i]);
      fs_scenario_result_add (sr, &row);
      g_assert_null (row.timestamp);  /* taken */
    }
}

