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
/* The pool's --timeout for scenario: the configuration's, but in a
 * scenario with idle connections at most its warm-up and duration plus
 * FS_STRESS_IDLE_SLACK seconds, so that a blocking server whose workers
 * all wait on idle connections shows timed-out operations within the run
 * rather than a wait of --timeout (60 s by default) per operation. */
#define FS_STRESS_IDLE_SLACK 5
guint    fs_stress_pool_timeout (const FsStressConfig *config, const FsScenario *scenario);
/* The --idle-timeout filestorm-stress gives its own server in a scenario
 * with idle connections, 0 without: longer than the pool can run (its
 * warm-up, duration and two of its timeouts, and a minute more), so
 * that the idle connections stay open for the whole run. */
guint    fs_stress_server_idle_timeout (const FsStressConfig *config,
                                        const FsScenario *scenario);

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
