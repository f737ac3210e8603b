/* results-fixture.h: scenarios and runs made up for the tests of the
 * results (test-results) and of the verdict (test-verdict). */
#pragma once

#include <glib.h>

#include "results.h"

/* A download-like scenario of 10 MiB at server pool 5. */
FsScenario scenario (guint index, FsMode mode, FsOperation op, guint clients);
/* A passed run of sc moving mib_s MiB/s aggregate, with cost figures
 * (the server's PSS grows with the round). */
void       run_init (FsResultRow *row, const FsScenario *sc, guint round, double mib_s);
/* n passed runs of sr at these speeds, rounds 1 to n. */
void       add_runs (FsScenarioResult *sr, const double *mib_s, guint n);
