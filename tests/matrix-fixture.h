/* matrix-fixture.h: the scenario matrices of the tests of scenario.c
 * (test-scenario, test-scenario-axes). */
#pragma once

#include <glib.h>

#include "scenario.h"

/* data/scenarios.conf of the source tree. */
char     *default_matrix_path (void);
/* That file, loaded; the test fails when it does not load. */
FsMatrix *load_default (void);
/* A matrix from text, named test.conf in messages. */
FsMatrix *load_text (const char *text, GError **error);
guint     count_scenarios (const FsMatrix *m);
