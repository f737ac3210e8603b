/* compare.h: is side A of a figure better than side B, and how sure are we?
 *
 * The statistic behind every "clear" call, with a false-clear rate that is
 * stated and tested (DESIGN.md, rule 3; tests/test-compare.c).
 *
 * Data. Each side has r runs; each run has k >= 1 within-run samples (the
 * ops/s of each of k equal time slices of a steady-state run, or the time
 * of each operation). Runs may have different k.
 *
 * Method: a Welch t-interval on the logarithms of the per-run values.
 *  - Each run is summarised by one value: the mean of its samples
 *    (FS_COMPARE_RUN_MEAN: for equal time slices, the run's own ops/s) or
 *    their median (FS_COMPARE_RUN_MEDIAN: per-operation times, where the
 *    p50 is what is quoted and a few slow operations must not move it).
 *  - The run, not the sample, is the independent unit (Kalibera and Jones,
 *    "Rigorous benchmarking in reasonable time", ISMM 2013; Georges,
 *    Buytaert and Eeckhout, "Statistically rigorous Java performance
 *    evaluation", OOPSLA 2007, section 3). Samples of one run share its
 *    start-up, page cache, CPU placement and neighbours, so they are
 *    neither independent nor a picture of another run: the spread between
 *    runs is seen only by comparing runs. Each run's value carries its
 *    within-run noise, so the spread of the values across runs is the
 *    whole variance of a run, Kalibera and Jones' two levels together
 *    (Var = s_between^2 + s_within^2 / k). Longer runs (more slices)
 *    shrink only the second term; only more runs shrink the first.
 *  - On the log scale a ratio is a difference and multiplicative noise is
 *    additive. The ratio reported is exp(mean log A - mean log B), the
 *    ratio of the sides' geometric means of their per-run values: the
 *    centre of its own interval, which a ratio of the medians of 2 or 3
 *    runs would not be, and the mean of runs that Georges et al. use, on
 *    the scale the interval is built on.
 *  - Welch's t (unequal variances, Welch-Satterthwaite degrees of freedom)
 *    because two server models need not have the same run-to-run spread.
 *    With equal r its statistic is Student's and only its degrees of
 *    freedom are fewer: the cautious choice. Student's pooled t calls 7.0%
 *    of A/A pairs clear when 2 runs 10% apart meet 3 runs 3% apart (a
 *    failed run, a steadier model); Welch 4.7% (/compare/aa/unequal).
 *    Measured false-clear rate at
 *    95% (tests/test-compare.c, 10% between runs, 25% within, 10 slices):
 *    2.3% at r = 2, 3.1-3.4% at r = 3, 4.3% at r = 5, 3.0-3.1% with heavy
 *    tails at r = 3; 0 at r = 1 (never called).
 *
 * Why not a (two-level) bootstrap, also proposed by Kalibera and Jones?
 * Resampling 3 runs out of 3 gives 10 distinct resamples and a percentile
 * interval about as narrow as a normal one with the variance shrunk by
 * (r - 1) / r: at r = 3 it calls A/A pairs "clear" far more often than 5%
 * (reckoned, not measured: a cut-off near 1.96 x sqrt(2/3) = 1.6
 * standard errors, where the t quantile at 4 degrees of freedom is 2.78).
 * The bootstrap is right with tens of runs; filestorm has 2 to 8. The
 * t-interval needs no random numbers: it is reproducible by construction.
 *
 * When is it "too few"? When either side has fewer than
 * FS_COMPARE_MIN_RUNS (2) runs with samples. One run a side has only
 * within-run samples, and they say nothing of the run-to-run variation (a
 * different page cache, CPU placement or busy neighbour moves the whole
 * run): an interval built from them calls identical servers different far
 * more often than stated (21% of A/A pairs at this machine's spread with
 * 10 slices, test /compare/aa/1). Rather than widen it by a guessed
 * spread, the comparison refuses to call. With 2 runs a side the interval is honest
 * but wide (t quantile 4.3 at 2 degrees of freedom).
 *
 * Power, so that the runs can be chosen: sides 1.3x apart are called
 * clear for the faster side in at least 95% of pairs only when the
 * per-run values agree well. With this machine's ~10% between runs it
 * takes 6 runs a side of 40 slices (96%) or 8 of 10 (97%); 3 runs reach
 * 38% (10 slices) to 51% (40 slices), and no method holding its 5% could
 * pass 89% there (a z test knowing the spread). With 3 runs, 95% needs
 * runs within ~3% of each other and 40 slices (98%).
 *
 * Zeros. A run whose value is 0 has no place on a ratio scale. When every
 * run of both sides is 0 the sides are identical (ratio 1, within noise);
 * otherwise a zero run makes the comparison "too few". Negative, NaN or
 * infinite samples are refused with an error.
 *
 * Several comparisons. A claim that rests on m comparisons ("pool 5 is
 * enough": pool 5 within noise of pool 50 and clearly ahead of pool 1; the
 * fastest of three models) is false if any one of its calls is, and m
 * calls at 5% each give up to m x 5% for the claim (measured: 9.4% for 3
 * comparisons sharing a side, 13.6% for 5). fs_compare_holm() applies
 * Holm's step-down correction (Holm, "A simple sequentially rejective
 * multiple test procedure", Scand. J. Statist. 6, 1979) to their p-values:
 * the chance that any of the family's clear calls is false stays at most
 * alpha whatever the dependence between them (they may share a side;
 * measured 2.3-2.7% for m = 3..5). Equivalently, the comparison with the
 * j-th smallest p-value (j from 1) is clear when its interval at level
 * 1 - alpha / (m - j + 1) excludes 1 and so did those before it;
 * fs_compare() takes the level, so that interval can be shown.
 *
 * Cost: one scratch array of the longest run's length (medians only); a
 * Welch interval needs no resampling. 300 comparisons of 5 runs x 1,000
 * samples a side take 10-15 ms here (34-47 us each; test /compare/cost).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Fewer runs than this on a side: too few to state an interval. */
#define FS_COMPARE_MIN_RUNS 2
#define FS_COMPARE_LEVEL    0.95

typedef enum {
  FS_COMPARE_CLEAR,    /* the interval of the ratio excludes 1 */
  FS_COMPARE_NOISE,    /* it contains 1 */
  FS_COMPARE_TOO_FEW,  /* no interval at the promised rate: see above */
} FsCompareCall;

/* How a run's samples become the run's value. */
typedef enum {
  /* The mean: for the ops/s of equal time slices it is the run's own
   * ops/s (total operations over total time), and it is the more
   * efficient estimate of a run's level (the median of k log-normal
   * values has the variance of a mean of about 0.64 k). */
  FS_COMPARE_RUN_MEAN,
  /* The median: for per-operation times, where a few slow operations
   * would move the mean; it is the p50 that is reported. */
  FS_COMPARE_RUN_MEDIAN,
} FsCompareSummary;

typedef enum {
  FS_COMPARE_NEITHER,
  FS_COMPARE_A,
  FS_COMPARE_B,
} FsCompareSideName;

/* One run: its within-run samples. */
typedef struct {
  const double *samples;
  gsize         n_samples;
} FsCompareRun;

/* One side: its runs. A run with no samples counts as no run. */
typedef struct {
  const FsCompareRun *runs;
  guint               n_runs;
} FsCompareSide;

typedef struct {
  FsCompareCall     call;
  /* Faster (better) side when the call is clear, otherwise NEITHER. */
  FsCompareSideName better;
  /* A over B: geometric mean of A's per-run values over B's. NAN when
   * a side has no run or a zero run beside non-zero ones; lo, hi, p
   * and df are NAN when the call is "too few". */
  double            ratio;
  double            lo, hi;      /* interval of the ratio at level */
  double            level;
  double            p;           /* two-sided p-value of "ratio = 1" */
  double            df;          /* Welch-Satterthwaite degrees of freedom */
  guint             runs_a, runs_b;        /* runs with samples */
  guint64           samples_a, samples_b;  /* samples in those runs */
} FsCompareResult;

/* Compares A with B, each run summarised as how says, at the confidence
 * level (0 < level < 1; 0 means
 * FS_COMPARE_LEVEL). higher_is_better says which way "better" points
 * (ops/s: TRUE; seconds per operation: FALSE). Fails only on invalid input
 * (a negative, NaN or infinite sample, a bad level), with *result
 * untouched. */
gboolean fs_compare (const FsCompareSide *a, const FsCompareSide *b, FsCompareSummary how,
                     gboolean higher_is_better, double level,
                     FsCompareResult *result, GError **error);

/* Holm's step-down correction over a family of m comparisons: clear[i] is
 * set to whether comparison i is clear at family-wise level alpha, from
 * its two-sided p-value p[i]. A NAN p-value (a "too few" comparison) is
 * never clear and still counts in m, which keeps the rate. */
void     fs_compare_holm (const double *p, guint m, double alpha, gboolean *clear);

/* The two-sided p-value of a t statistic with df degrees of freedom,
 * P(|T| >= |t|), and its inverse: the t with P(|T| >= t) = p. */
double   fs_compare_t_pvalue   (double t, double df);
double   fs_compare_t_quantile (double p, double df);

const char *fs_compare_call_name (FsCompareCall call);

G_END_DECLS
