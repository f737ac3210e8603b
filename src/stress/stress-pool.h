/* stress-pool.h: what stress.c shares with stress-pool.c (one pool
 * against a scenario's server) and stress-search.c (a run as a capacity
 * search). Not for the programs, which see stress.h. */
#pragma once

#include "stress.h"
#include "stress-server.h"

G_BEGIN_DECLS

/* A run's row before its pool: the scenario, its round and its fixed
 * figures, every measured one zero, the pool's CPU not known (-1), and
 * the ranks the pool is started over until it says. */
void     fs_stress_row_init (FsResultRow *row, const FsStressConfig *config,
                             const FsScenario *scenario, guint round);

/* Runs the pool against the server, in the open loop at rate ops/s
 * when rate > 0; its figures, its cost and the server's over the pool's
 * life go in row, and setup receives the connections the pool made
 * outside its timed operations. FALSE when the pool could not run or
 * failed (not for failed operations, which are in row). */
gboolean fs_stress_run_pool (const FsStressConfig *config, const FsScenario *scenario,
                             const FsStressServer *server, GCancellable *interrupt,
                             double rate, FsResultRow *row, guint64 *setup, GError **error);

/* The run as a capacity search under config->slo against one server
 * (stress-search.c): row gets the capacity, every step, and the figures
 * of the last step that met the objective. FALSE when a step could not
 * run. */
gboolean fs_stress_run_search (const FsStressConfig *config, const FsScenario *scenario,
                               const FsStressServer *server, GCancellable *interrupt,
                               FsResultRow *row, GError **error);

G_END_DECLS
