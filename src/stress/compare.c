/* compare.c: a Welch t-interval on the logs of per-run values, and
 * Holm's correction. The method and its reasons are in compare.h. */
#include "config.h"

#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

const char *
fs_compare_call_name (FsCompareCall call)
{
  switch (call)
    {
    case FS_COMPARE_CLEAR: return "clear";
    case FS_COMPARE_NOISE: return "within noise";
    case FS_COMPARE_TOO_FEW:
    default: return "too few runs";
    }
}

/* ------------------------------------------------- the t distribution */

#define TINY 1e-300

/* One term of a continued fraction by the modified Lentz method: updates
 * c and d with the term's numerator aa and returns the factor it brings. */
static double
lentz_step (double aa, double *c, double *d)
{
  *d = 1.0 + aa * *d;
  if (fabs (*d) < TINY)
    *d = TINY;
  *c = 1.0 + aa / *c;
  if (fabs (*c) < TINY)
    *c = TINY;
  *d = 1.0 / *d;
  return *d * *c;
}

/* The continued fraction of the incomplete beta function (Numerical
 * Recipes, 2nd ed., section 6.4). It converges in O(sqrt(max(a, b)))
 * terms; our a and b are at most a few hundred. */
static double
beta_fraction (double a, double b, double x)
{
  double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0, d = 1.0 - qab * x / qap;

  if (fabs (d) < TINY)
    d = TINY;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 1000; m++)
    {
      int m2 = 2 * m;
      h *= lentz_step (m * (b - m) * x / ((qam + m2) * (a + m2)), &c, &d);
      double del = lentz_step (-(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)), &c, &d);
      h *= del;
      if (fabs (del - 1.0) < 1e-15)
        break;
    }
  return h;
}

/* The regularised incomplete beta function I_x(a, b). */
static double
beta_inc (double a, double b, double x)
{
  if (x <= 0.0)
    return 0.0;
  if (x >= 1.0)
    return 1.0;
  double front = exp (lgamma (a + b) - lgamma (a) - lgamma (b)
                      + a * log (x) + b * log1p (-x));
  if (x < (a + 1.0) / (a + b + 2.0))
    return front * beta_fraction (a, b, x) / a;
  return 1.0 - front * beta_fraction (b, a, 1.0 - x) / b;
}

double
fs_compare_t_pvalue (double t, double df)
{
  if (isnan (t) || isnan (df) || df <= 0)
    return NAN;
  if (isinf (t))
    return 0.0;
  return beta_inc (df / 2.0, 0.5, df / (df + t * t));
}

static double
t_density (double t, double df)
{
  return exp (lgamma ((df + 1.0) / 2.0) - lgamma (df / 2.0) - 0.5 * log (df * G_PI)
              - (df + 1.0) / 2.0 * log1p (t * t / df));
}

double
fs_compare_t_quantile (double p, double df)
{
  double t = 0.0;

  if (isnan (p) || isnan (df) || df <= 0 || p <= 0.0 || p > 1.0)
    return NAN;
  /* Newton's method on P(|T| >= t) - p, from t = 0. The two-sided tail
   * is decreasing and convex for t > 0, so every step lands at or left of
   * the root: the iteration climbs to it without overshooting, doubling
   * t per step while far (the Cauchy tail at df = 1) and quadratically
   * near it. */
  for (int i = 0; i < 200; i++)
    {
      double f = fs_compare_t_pvalue (t, df) - p;
      double step = f / (2.0 * t_density (t, df));
      if (!(step > 0.0))
        break;
      t += step;
      if (step <= 1e-12 * (1.0 + t))
        break;
    }
  return t;
}

/* ----------------------------------------------------------- one side */

/* Moves the n/2-th smallest value to v[n/2], smaller or equal ones
 * before it and larger or equal ones after: Hoare's selection as Wirth
 * writes it ("Algorithms + Data Structures = Programs", 2.3.4), expected
 * O(n), so that a run of 10^5 per-operation times is not sorted. */
static void
select_middle (double *v, gsize n)
{
  gssize l = 0, r = (gssize) n - 1, k = (gssize) (n / 2);

  while (l < r)
    {
      double x = v[k];
      gssize i = l, j = r;
      do
        {
          while (v[i] < x)
            i++;
          while (x < v[j])
            j--;
          if (i <= j)
            {
              double t = v[i];
              v[i] = v[j];
              v[j] = t;
              i++;
              j--;
            }
        }
      while (i <= j);
      if (j < k)
        l = i;
      if (k < i)
        r = j;
    }
}

static double
summary (const FsCompareRun *run, FsCompareSummary how, double *scratch)
{
  gsize n = run->n_samples;

  if (how == FS_COMPARE_RUN_MEAN)
    {
      double sum = 0;
      for (gsize i = 0; i < n; i++)
        sum += run->samples[i];
      return sum / n;
    }
  memcpy (scratch, run->samples, n * sizeof *scratch);
  select_middle (scratch, n);
  double upper = scratch[n / 2];
  if (n % 2)
    return upper;
  double lower = scratch[0];
  for (gsize i = 1; i < n / 2; i++)
    lower = MAX (lower, scratch[i]);
  return (lower + upper) / 2.0;
}

typedef struct {
  guint   runs;
  guint   zeros;      /* runs whose value is 0 */
  guint64 samples;
  double  mean;       /* of the logs of the non-zero runs' values */
  double  var;        /* their sample variance (n - 1) */
} Side;

static gboolean
check_side (const FsCompareSide *side, const char *name, gsize *longest, GError **error)
{
  for (guint i = 0; i < side->n_runs; i++)
    {
      const FsCompareRun *run = &side->runs[i];
      for (gsize j = 0; j < run->n_samples; j++)
        if (!isfinite (run->samples[j]) || run->samples[j] < 0)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         "Side %s, run %u, sample %" G_GSIZE_FORMAT
                         ": %g is not a finite number >= 0",
                         name, i + 1, j + 1, run->samples[j]);
            return FALSE;
          }
      *longest = MAX (*longest, run->n_samples);
    }
  return TRUE;
}

static void
summarise (const FsCompareSide *side, FsCompareSummary how, double *scratch, Side *s)
{
  double mean = 0, sq = 0;
  guint n = 0;

  *s = (Side) { .mean = NAN, .var = NAN };
  /* Welford's running mean and squared deviations of the logs:
   * one pass, and no cancellation when the spread is small beside the
   * level. */
  for (guint i = 0; i < side->n_runs; i++)
    {
      const FsCompareRun *run = &side->runs[i];
      if (run->n_samples == 0)
        continue;
      s->runs++;
      s->samples += run->n_samples;
      double m = summary (run, how, scratch);
      if (m == 0)
        {
          s->zeros++;
          continue;
        }
      double x = log (m), delta = x - mean;
      n++;
      mean += delta / n;
      sq += delta * (x - mean);
    }
  if (n > 0)
    s->mean = mean;
  if (n > 1)
    s->var = sq / (n - 1);
}

/* -------------------------------------------------------- the compare */

gboolean
fs_compare (const FsCompareSide *a, const FsCompareSide *b, FsCompareSummary how,
            gboolean higher_is_better, double level,
            FsCompareResult *result, GError **error)
{
  gsize longest = 0;
  Side sa, sb;

  if (level == 0)
    level = FS_COMPARE_LEVEL;
  if (!(level > 0 && level < 1))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Confidence level %g is not between 0 and 1", level);
      return FALSE;
    }
  if (!check_side (a, "A", &longest, error) || !check_side (b, "B", &longest, error))
    return FALSE;

  /* The median's working copy: the only allocation, as long as the
   * longest run. */
  g_autofree double *scratch = how == FS_COMPARE_RUN_MEDIAN ? g_new (double, MAX (longest, 1))
                                                            : NULL;
  summarise (a, how, scratch, &sa);
  summarise (b, how, scratch, &sb);

  FsCompareResult r = {
    .call = FS_COMPARE_TOO_FEW, .better = FS_COMPARE_NEITHER,
    .ratio = NAN, .lo = NAN, .hi = NAN, .p = NAN, .df = NAN, .level = level,
    .runs_a = sa.runs, .runs_b = sb.runs,
    .samples_a = sa.samples, .samples_b = sb.samples,
  };
  gboolean enough = sa.runs >= FS_COMPARE_MIN_RUNS && sb.runs >= FS_COMPARE_MIN_RUNS;

  if (sa.runs > 0 && sb.runs > 0 && sa.zeros == sa.runs && sb.zeros == sb.runs)
    {
      /* Zero on both sides, every run: the same, whatever the runs. */
      r.ratio = 1.0;
      if (enough)
        {
          r.lo = r.hi = r.p = 1.0;
          r.df = sa.runs + sb.runs - 2;
          r.call = FS_COMPARE_NOISE;
        }
    }
  else if (sa.runs > 0 && sb.runs > 0 && sa.zeros == 0 && sb.zeros == 0)
    {
      double d = sa.mean - sb.mean;
      r.ratio = exp (d);
      if (enough)
        {
          double wa = sa.var / sa.runs, wb = sb.var / sb.runs;
          double se = sqrt (wa + wb);
          double df = (wa + wb) * (wa + wb)
                      / (wa * wa / (sa.runs - 1) + wb * wb / (sb.runs - 1));
          if (se == 0)
            {
              /* Every run of each side gave the same value (a count, a
               * deterministic figure): no noise to be within. */
              r.df = sa.runs + sb.runs - 2;
              r.lo = r.hi = r.ratio;
              r.p = d == 0 ? 1.0 : 0.0;
            }
          else
            {
              double q = fs_compare_t_quantile (1.0 - level, df);
              r.df = df;
              r.p = fs_compare_t_pvalue (d / se, df);
              r.lo = exp (d - q * se);
              r.hi = exp (d + q * se);
            }
          r.call = r.lo > 1.0 || r.hi < 1.0 ? FS_COMPARE_CLEAR : FS_COMPARE_NOISE;
        }
    }
  /* else: a run of 0 beside non-zero ones has no ratio: too few. */

  if (r.call == FS_COMPARE_CLEAR)
    r.better = (r.ratio > 1.0) == !!higher_is_better ? FS_COMPARE_A : FS_COMPARE_B;
  *result = r;
  return TRUE;
}

/* -------------------------------------------------------------- Holm */

typedef struct {
  double p;
  guint  index;
} Ranked;

static int
ranked_order (const void *a, const void *b)
{
  const Ranked *x = a, *y = b;

  /* NAN last: a comparison that could not be made never rejects. */
  if (isnan (x->p) || isnan (y->p))
    return isnan (x->p) - isnan (y->p);
  if (x->p != y->p)
    return (x->p > y->p) - (x->p < y->p);
  return (x->index > y->index) - (x->index < y->index);
}

void
fs_compare_holm (const double *p, guint m, double alpha, gboolean *clear)
{
  g_autofree Ranked *ranked = g_new (Ranked, MAX (m, 1));

  for (guint i = 0; i < m; i++)
    {
      ranked[i] = (Ranked) { p[i], i };
      clear[i] = FALSE;
    }
  qsort (ranked, m, sizeof *ranked, ranked_order);
  /* The j-th smallest p-value (j from 0) is clear when it and every
   * smaller one beat alpha / (m - j); strictly, like the interval that
   * must exclude 1, not touch it. The first that fails stops the rest. */
  for (guint j = 0; j < m; j++)
    {
      if (!(ranked[j].p < alpha / (m - j)))
        break;
      clear[ranked[j].index] = TRUE;
    }
}
