/* verdict.h: thread against process, scenario by scenario.
 *
 * Every thread scenario is paired with its process twin (same client
 * mode, operation, volume, client pool and server pool). A pair is compared on speed
 * (median aggregate throughput; operations per second for list), server
 * CPU (per MiB; per 1,000 operations for list) and server memory (peak
 * PSS). A comparison is clear when the two sides' min-max ranges over
 * their passed runs do not overlap, and each side has at least
 * FS_VERDICT_MIN_RUNS passed runs; otherwise it is within noise, or has
 * too few runs to tell. */
#pragma once

#include <stdio.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "results.h"

G_BEGIN_DECLS

#define FS_VERDICT_MIN_RUNS 2

typedef enum {
  FS_CALL_CLEAR,
  FS_CALL_NOISE,
  FS_CALL_TOO_FEW,    /* fewer than FS_VERDICT_MIN_RUNS passed runs on a side */
} FsCall;

typedef struct {
  gboolean known;     /* both sides have the figure from a passed run */
  FsFigure figure;
  gboolean tie;       /* equal medians: no winner */
  FsMode   winner;
  double   ratio;     /* the better median over the worse, >= 1; may be infinite */
  FsCall   call;
} FsComparison;

typedef struct {
  const FsScenarioResult *thread;   /* (unowned) */
  const FsScenarioResult *process;  /* (unowned) */
  FsComparison speed, cpu, memory;
  /* FALSE under client mode same: the client pool's model changed with
   * the server's, so the pair does not compare the servers alone. */
  gboolean servers_alone;
} FsPair;

typedef struct {
  FsPair    *pairs;        /* (owned) by client mode, operation, volume, client pool, server pool */
  guint      n_pairs;
  GPtrArray *conclusions;  /* (owned) char *: one line per operation, then cost lines */
} FsVerdict;

/* Pairs the scenarios (which must outlive the verdict) and concludes. */
FsVerdict  *fs_verdict_new     (const FsScenarioResult *results, guint n);
void        fs_verdict_free    (FsVerdict *verdict);
/* The pair a scenario belongs to, or NULL. */
const FsPair *fs_verdict_find  (const FsVerdict *verdict, const FsScenarioResult *sr);
const char *fs_call_name       (FsCall call);
JsonNode   *fs_verdict_to_json (const FsVerdict *verdict);
/* The conclusion lines, under a heading. */
void        fs_verdict_print   (const FsVerdict *verdict, FILE *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsVerdict, fs_verdict_free)

G_END_DECLS
