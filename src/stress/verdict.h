/* verdict.h: model against model, scenario by scenario, then an answer.
 *
 * Every scenario is paired with its twin in each other server model
 * (same client mode, operation, volume, client pool and server pool):
 * thread with process, and with event and process with event when the
 * matrix has event. A pair is compared on speed
 * (aggregate throughput; operations per second for list), server CPU (per
 * MiB; per 1,000 operations for list) and server memory (peak PSS), each
 * with fs_compare() (compare.h) on the values of the sides' passed runs
 * that have the figure: a Welch t-interval of the ratio of the geometric
 * means at 95%, clear when it excludes 1, too few with fewer than
 * FS_COMPARE_MIN_RUNS (2) such runs on a side. Its false-clear rate is
 * at most 5% per comparison (tests/test-compare.c).
 *
 * After the pairs comes the answer (verdict-answer.c): per operation and
 * client count, the faster model, the smallest server pool within noise
 * of the best, the costs and what limited the measurement. Its claims rest
 * on families of comparisons, held at 5% together by Holm's correction. */
#pragma once

#include <stdio.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "compare.h"
#include "results.h"

G_BEGIN_DECLS

/* The fewest passed runs with a figure on each side for a call: the
 * statistic's own minimum (compare.h). */
#define FS_VERDICT_MIN_RUNS FS_COMPARE_MIN_RUNS

typedef enum {
  FS_CALL_CLEAR,
  FS_CALL_NOISE,
  FS_CALL_TOO_FEW,    /* fewer than FS_VERDICT_MIN_RUNS passed runs on a side */
} FsCall;

typedef struct {
  gboolean known;     /* both sides have the figure from a passed run */
  FsFigure figure;
  gboolean tie;       /* equal geometric means: no winner */
  FsMode   winner;    /* the better side by the ratio (clear or not) */
  /* The better side's geometric mean over the worse's (for a cost: the
   * worse over the better), >= 1, with its interval at level (lo, hi:
   * NaN when too few); p: the two-sided p-value of "no difference". */
  double   ratio, lo, hi, level, p;
  FsCall   call;
  /* Behind each side (0: the pair's a, 1: its b): the runs used, and
   * the operations they made (their success counts summed). */
  guint    runs[2];
  guint64  operations[2];
} FsComparison;

typedef struct {
  /* (unowned) The two sides, a in the lower mode (thread, then process,
   * then event): thread and process, thread and event, process and
   * event. */
  const FsScenarioResult *a;
  const FsScenarioResult *b;
  FsComparison speed, cpu, memory;
  /* FALSE under client mode same: the client pool's model changed with
   * the server's, so the pair does not compare the servers alone. */
  gboolean servers_alone;
} FsPair;

typedef struct {
  /* (owned) By client mode, operation, volume, client pool, server pool,
   * then the sides' modes. */
  FsPair    *pairs;
  guint      n_pairs;
  /* The server models that have a pair, and how many: the text names the
   * two sides of a line only when there are more than two. */
  gboolean   has_mode[FS_N_MODES];
  guint      n_modes;
  GPtrArray *conclusions;  /* (owned) char *: one line per operation, then cost lines */
  GPtrArray *answer;       /* (owned) char *: the answer's lines (verdict-answer.c) */
} FsVerdict;

/* Pairs the scenarios (which must outlive the verdict) and concludes;
 * machine_busy: the machine was busy before the run (machine.h), which
 * the answer says. */
FsVerdict  *fs_verdict_new     (const FsScenarioResult *results, guint n,
                                gboolean machine_busy);
/* Compares figure fig of a's passed runs with b's (verdict-runs.c): each
 * run that has the figure is one value, fs_compare() with one sample a
 * run. operations: the success counts of the runs used, a's then b's.
 * FALSE when a side has no such run (result untouched). */
gboolean    fs_verdict_compare_runs (const FsScenarioResult *a, const FsScenarioResult *b,
                                     FsFigure fig, gboolean higher_is_better,
                                     FsCompareResult *result, guint64 operations[2]);
/* With idle connections, a scenario whose every run failed (at key's
 * client mode, idle connections, operation and client pool) had its
 * workers starved by them, which is the answer there: "every run of
 * thread pool 1 failed (event pool 1 passed)", or NULL (none did, or key
 * has no idle connections: a failed run is then a failure, said
 * apart). */
char       *fs_verdict_starved_text (const FsScenarioResult *results, guint n,
                                     const FsScenario *key);
/* The answer's lines (verdict-answer.c), from the verdict's pairs and
 * the scenarios. */
GPtrArray  *fs_verdict_answer  (const FsVerdict *verdict, const FsScenarioResult *results,
                                guint n, gboolean machine_busy);
void        fs_verdict_free    (FsVerdict *verdict);
/* The pair of scenario sr against its twin in mode other, or NULL. */
const FsPair *fs_verdict_find  (const FsVerdict *verdict, const FsScenarioResult *sr,
                                FsMode other);
const char *fs_call_name       (FsCall call);
/* What sets a block of lines apart, for their tag: "client mode same"
 * when client_mode (several client modes), "50 idle connections" when
 * idle (several numbers of them), both, or "" (owned). */
char       *fs_verdict_block_name (const FsScenario *s, gboolean client_mode, gboolean idle);
JsonNode   *fs_verdict_to_json (const FsVerdict *verdict);
/* The conclusion lines, under a heading, then the answer under
 * "Answer:". */
void        fs_verdict_print   (const FsVerdict *verdict, FILE *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsVerdict, fs_verdict_free)

G_END_DECLS
