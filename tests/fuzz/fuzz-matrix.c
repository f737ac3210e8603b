/* fuzz-matrix.c: the scenario matrix parser of filestorm-stress
 * (src/stress/scenario.c) on any text: it loads or says why, and a matrix it
 * loads expands into the number of scenarios its lists promise, each
 * with a description. */
#include "config.h"

#include <stdlib.h>

#include "fuzz.h"
#include "scenario.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsMatrix) matrix = fs_matrix_load_data ((const char *) data, size, "fuzz.conf",
                                                    &error);
  g_autoptr(GArray) scenarios = NULL;
  guint64 want;

  if (matrix == NULL)
    {
      FUZZ_CHECK (error != NULL && g_str_has_prefix (error->message, "fuzz.conf: "));
      return 0;
    }
  want = (guint64) matrix->modes->len * matrix->operations->len * matrix->volumes->len
         * matrix->client_pools->len * matrix->server_pools->len;
  FUZZ_CHECK (want >= 1 && want <= FS_MATRIX_MAX_SCENARIOS);
  scenarios = fs_matrix_expand (matrix, size & 1, 1.0);
  FUZZ_CHECK (scenarios->len == want);
  for (guint i = 0; i < scenarios->len && i < 64; i++)
    {
      g_autofree char *text = fs_scenario_describe (&g_array_index (scenarios, FsScenario, i),
                                                    size & 1);
      FUZZ_CHECK (text != NULL && text[0] != '\0');
    }
  return 0;
}
