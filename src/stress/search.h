/* search.h: a scenario's capacity under a latency objective.
 *
 * The objective (--slo) bounds the corrected p99 and p50 of an open-loop
 * run (filestorm-pool --rate) and its share of failed operations. The
 * capacity is the highest offered rate that meets it while the server
 * achieves at least FS_SEARCH_ACHIEVED of it. The search doubles the
 * rate from a start until the objective fails, bisects to within
 * FS_SEARCH_RESOLUTION, and confirms the best rate with one more step.
 * It drives steps through a function, so that the same search runs real
 * pools (stress.c) and, in the tests, a server of known capacity. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The objective: a bound is NaN when not given. errors is a fraction of
 * the measured operations, 0 unless given. */
typedef struct {
  double p50_ms;
  double p99_ms;
  double errors;
} FsSlo;

/* "p99<=50ms", terms joined by commas: p50 and p99 take ms, s or us,
 * errors a percentage ("errors<=0.1%"). A latency term is required;
 * FS_ERROR_USAGE with one line saying what is wrong. */
gboolean fs_slo_parse (const char *text, FsSlo *slo, GError **error);
/* The objective in that form, every bound given (owned):
 * "p99<=50ms,errors<=0%". */
char    *fs_slo_text  (const FsSlo *slo);
/* The same for people: "p99 ≤ 50 ms" (errors only when not 0). */
char    *fs_slo_describe (const FsSlo *slo);

/* The achieved rate a step must reach, as a share of the scheduled one. */
#define FS_SEARCH_ACHIEVED 0.98
/* The bisection stops once the lowest failing rate is within this
 * factor of the highest passing one: the capacity is then known to
 * within 10%. */
#define FS_SEARCH_RESOLUTION 1.1
/* The most steps of one search: doubling from 1 op/s to the pool's
 * largest rate takes 24, bisecting 10 more, confirming a few. */
#define FS_SEARCH_MAX_STEPS 64

/* One step: a run of the pool at an offered rate. */
typedef struct {
  double  offered;    /* asked, operations per second */
  /* What the schedule made due, per second of the duration: the rate
   * asked for uniform arrivals, a Poisson count's for poisson ones (0:
   * not known, the rate asked then). The achieved rate is held to it. */
  double  scheduled;
  double  achieved;   /* successes per second of the measured window */
  double  p50_ms;     /* corrected */
  double  p99_ms;
  double  errors;     /* failed share of the measured operations */
  guint64 operations;
  gboolean met;       /* the objective held and achieved >= 98% */
} FsSearchStep;

/* Fills step (offered is set) by running the pool at step->offered;
 * FALSE with error set when the step could not run at all (the pool or
 * the server failed, an interruption), which ends the search. */
typedef gboolean (*FsSearchStepFunc) (FsSearchStep *step, gpointer data, GError **error);

typedef struct {
  double   capacity;   /* the highest confirmed rate that met the objective;
                        * 0 when even the lowest tried failed */
  gboolean confirmed;  /* a second step at capacity met it too */
  GArray  *steps;      /* (owned) FsSearchStep, in the order run */
} FsSearchResult;

void     fs_search_result_clear (FsSearchResult *result);
/* Whether step meets slo (and sets step->met). */
gboolean fs_search_judge (const FsSlo *slo, FsSearchStep *step);
/* Searches from start (ops/s, > 0) up to at most max. The result holds
 * every step run, also when it returns FALSE (a step failed to run). */
gboolean fs_search_run (const FsSlo *slo, double start, double max, FsSearchStepFunc step,
                        gpointer data, FsSearchResult *result, GError **error);

/* The steps as a JSON array of objects: offered, achieved, p50_ms,
 * p99_ms, errors, operations, met. */
JsonNode *fs_search_steps_to_json (const GArray *steps);

G_END_DECLS
