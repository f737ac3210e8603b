/* fuzz-results.c: filestorm-report's results reader (src/report/report-data.c)
 * on any bytes, as a results file may hold: it reads the file or says
 * why in a line naming it, and what it reads is within the ranges the
 * report's charts and tables rely on. The seed nested 100,000 deep
 * overflowed json-glib's stack before the depth bound. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "report-data.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsReportRun) run = NULL;

  run = fs_report_run_load_data ((const char *) data, size, "fuzz.json", &error);
  if (run == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == FS_REPORT_ERROR);
      FUZZ_CHECK (error->code == FS_REPORT_ERROR_INPUT || error->code == FS_REPORT_ERROR_FORMAT);
      FUZZ_CHECK (g_str_has_prefix (error->message, "fuzz.json: "));
      return 0;
    }
  FUZZ_CHECK (error == NULL);
  FUZZ_CHECK (run->n_scenarios > 0 && run->version != NULL);
  for (guint i = 0; i < run->n_scenarios; i++)
    {
      const FsReportScenario *s = &run->scenarios[i];

      FUZZ_CHECK (s->scenario.client_pool >= 1 && s->scenario.server_pool >= 1);
      FUZZ_CHECK (isfinite (s->scenario.volume) && s->scenario.volume >= 0);
      FUZZ_CHECK (s->volume_unit != NULL);
    }
  /* The verdict's lines are strings only, whatever else their arrays
   * held (tests/fuzz/corpus/results/answer). */
  for (guint i = 0; run->answer != NULL && run->answer[i] != NULL; i++)
    FUZZ_CHECK (g_utf8_validate (run->answer[i], -1, NULL));
  for (guint i = 0; run->conclusions != NULL && run->conclusions[i] != NULL; i++)
    FUZZ_CHECK (g_utf8_validate (run->conclusions[i], -1, NULL));
  g_free (fs_report_run_machine (run));
  g_free (fs_report_run_date (run));
  return 0;
}
