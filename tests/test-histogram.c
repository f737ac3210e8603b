/* test-histogram.c: the log-linear latency histogram.
 *
 * Quantiles are compared with the exact order statistic of the same
 * rank, max(1, ceil(q * n)), taken from the sorted values. Answering with
 * a bucket's midpoint puts the histogram within half a bucket, 1/256 of
 * the value (the header promises 1/128). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "histogram.h"

/* The largest value that still gets its own bucket. */
#define TOP ((G_GUINT64_CONSTANT (1) << (FS_HISTOGRAM_MAX_EXP + FS_HISTOGRAM_SUB_BITS)) - 1)

static const double quantiles[] = {
  0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999, 1,
};

static FsHistogram *
histogram_new (void)
{
  FsHistogram *h = g_new (FsHistogram, 1);

  fs_histogram_init (h);
  return h;
}

static gint
cmp_u64 (gconstpointer a, gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

/* The rank of quantile q among n values, as histogram.h defines it (with
 * ceil() by hand: the tests link no libm either). */
static guint64
rank_of (double q, guint64 n)
{
  double want = q * (double) n;
  guint64 rank = (guint64) want;

  if ((double) rank < want)
    rank++;
  return CLAMP (rank, 1, n);
}

/* The index of the one bucket that holds a single recorded value. */
static guint
bucket_index (guint64 v)
{
  g_autofree FsHistogram *h = histogram_new ();
  guint found = G_MAXUINT;

  fs_histogram_record (h, v);
  for (guint i = 0; i < FS_HISTOGRAM_N_BUCKETS; i++)
    if (h->buckets[i] != 0)
      {
        g_assert_cmpuint (found, ==, G_MAXUINT);
        g_assert_cmpuint (h->buckets[i], ==, 1);
        found = i;
      }
  g_assert_cmpuint (found, !=, G_MAXUINT);
  return found;
}

/* Asserts got is within 1/256 of want: the header promises 1/128, and
 * answering with the midpoint of a bucket (not an edge) halves that.
 * Exact below 128, where buckets are one value wide. */
static void
assert_close (guint64 got, guint64 want, double q, const char *what)
{
  guint64 diff = got > want ? got - want : want - got;

  if (want <= TOP && diff > want / (2 * FS_HISTOGRAM_SUB_BUCKETS))
    g_error ("%s: quantile %g is %" G_GUINT64_FORMAT ", exact %" G_GUINT64_FORMAT
             " (off by %.3f%%)", what, q, got, want,
             100.0 * (double) diff / (double) want);
  /* Well within the 1% the pool reports promise. */
  g_assert_cmpfloat ((double) diff, <=, 0.01 * (double) want);
}

/* Records values (n of them) and compares everything with the exact
 * answers. Sorts values. */
static void
check_dataset (guint64 *values, gsize n, const char *what)
{
  g_autofree FsHistogram *h = histogram_new ();
  guint64 sum = 0, prev = 0;

  for (gsize i = 0; i < n; i++)
    {
      fs_histogram_record (h, values[i]);
      sum += values[i];
    }
  qsort (values, n, sizeof *values, cmp_u64);

  g_assert_cmpuint (h->count, ==, n);
  g_assert_cmpuint (h->min, ==, values[0]);
  g_assert_cmpuint (h->max, ==, values[n - 1]);
  g_assert_cmpuint (h->sum, ==, sum);
  g_assert_cmpfloat (fs_histogram_mean (h), ==, (double) sum / (double) n);

  for (guint i = 0; i < G_N_ELEMENTS (quantiles); i++)
    {
      double q = quantiles[i];
      guint64 got = fs_histogram_quantile (h, q);

      assert_close (got, values[rank_of (q, n) - 1], q, what);
      g_assert_cmpuint (got, >=, prev);
      g_assert_cmpuint (got, >=, h->min);
      g_assert_cmpuint (got, <=, h->max);
      prev = got;
    }
}

static void
test_empty (void)
{
  g_autofree FsHistogram *h = histogram_new ();

  g_assert_cmpuint (h->count, ==, 0);
  g_assert_cmpuint (h->min, ==, G_MAXUINT64);
  g_assert_cmpuint (h->max, ==, 0);
  g_assert_cmpuint (h->sum, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (quantiles); i++)
    g_assert_cmpuint (fs_histogram_quantile (h, quantiles[i]), ==, 0);
  g_assert_cmpfloat (fs_histogram_mean (h), ==, 0);
  for (guint i = 0; i < FS_HISTOGRAM_N_BUCKETS; i++)
    g_assert_cmpuint (h->buckets[i], ==, 0);
}

static void
test_single (void)
{
  static const guint64 values[] = {
    0, 1, 2, 127, 128, 129, 255, 256, 257, 1000, 12345, 999999, 1000000,
    G_GUINT64_CONSTANT (10000000000), TOP, TOP + 1, G_MAXUINT64,
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree FsHistogram *h = histogram_new ();

      fs_histogram_record (h, values[i]);
      g_assert_cmpuint (h->count, ==, 1);
      g_assert_cmpuint (h->min, ==, values[i]);
      g_assert_cmpuint (h->max, ==, values[i]);
      g_assert_cmpuint (h->sum, ==, values[i]);
      g_assert_cmpfloat (fs_histogram_mean (h), ==, (double) values[i]);
      /* Clamped to [min, max], which is exact here. */
      for (guint k = 0; k < G_N_ELEMENTS (quantiles); k++)
        g_assert_cmpuint (fs_histogram_quantile (h, quantiles[k]), ==, values[i]);
    }
}

static void
test_constant (void)
{
  static const guint64 values[] = { 0, 7, 12345, G_GUINT64_CONSTANT (4000000000) };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree FsHistogram *h = histogram_new ();

      for (guint k = 0; k < 10000; k++)
        fs_histogram_record (h, values[i]);
      for (guint k = 0; k < G_N_ELEMENTS (quantiles); k++)
        g_assert_cmpuint (fs_histogram_quantile (h, quantiles[k]), ==, values[i]);
      g_assert_cmpuint (h->count, ==, 10000);
      g_assert_cmpfloat (fs_histogram_mean (h), ==, (double) values[i]);
    }
}

/* The layout the header documents: exact below SUB_BUCKETS, then
 * SUB_BUCKETS buckets per power of two, in order, up to TOP. */
static void
test_layout (void)
{
  g_autofree FsHistogram *h = histogram_new ();
  guint prev = 0;

  for (guint64 v = 0; v < FS_HISTOGRAM_SUB_BUCKETS; v++)
    g_assert_cmpuint (bucket_index (v), ==, v);
  /* Indices never go down and never skip one. */
  for (guint64 v = 1; v < 4096; v++)
    {
      guint i = bucket_index (v);

      g_assert_true (i == prev || i == prev + 1);
      prev = i;
    }
  /* Every value below 2^20 once: each bucket then holds its width. */
  for (guint64 v = 0; v < (1 << 20); v++)
    fs_histogram_record (h, v);
  for (guint i = 0; i < (20 - FS_HISTOGRAM_SUB_BITS + 1) * FS_HISTOGRAM_SUB_BUCKETS; i++)
    {
      guint group = i / FS_HISTOGRAM_SUB_BUCKETS;

      g_assert_cmpuint (h->buckets[i], ==, group == 0 ? 1 : 1u << (group - 1));
    }
  /* Each power of two starts a new run of SUB_BUCKETS buckets. */
  for (guint e = FS_HISTOGRAM_SUB_BITS; e < FS_HISTOGRAM_MAX_EXP + FS_HISTOGRAM_SUB_BITS; e++)
    {
      guint64 p = G_GUINT64_CONSTANT (1) << e;
      guint first = (e - FS_HISTOGRAM_SUB_BITS + 1) * FS_HISTOGRAM_SUB_BUCKETS;

      g_assert_cmpuint (bucket_index (p), ==, first);
      g_assert_cmpuint (bucket_index (p - 1), ==, first - 1);
      g_assert_cmpuint (bucket_index (p + (p >> 1)), ==, first + FS_HISTOGRAM_SUB_BUCKETS / 2);
      g_assert_cmpuint (bucket_index (2 * p - 1), ==, first + FS_HISTOGRAM_SUB_BUCKETS - 1);
    }
  g_assert_cmpuint (bucket_index (TOP), ==, FS_HISTOGRAM_N_BUCKETS - 1);
  g_assert_cmpuint (bucket_index (TOP + 1), ==, FS_HISTOGRAM_N_BUCKETS - 1);
  g_assert_cmpuint (bucket_index (G_MAXUINT64), ==, FS_HISTOGRAM_N_BUCKETS - 1);
  /* The header's promise: 2^40 us (12 days) is well inside the range. */
  g_assert_cmpuint (bucket_index (G_GUINT64_CONSTANT (1) << 40), <, FS_HISTOGRAM_N_BUCKETS - 1);
}

/* Two values per bucket edge, to put quantiles on the worst spots. */
static void
test_edges (void)
{
  g_autofree guint64 *values = g_new (guint64, 47 * 6);
  gsize n = 0;

  for (guint e = 0; e < 47; e++)
    {
      guint64 p = G_GUINT64_CONSTANT (1) << e;

      values[n++] = p;
      values[n++] = p - 1;
      values[n++] = p + 1;
      values[n++] = 2 * p - 1;
      values[n++] = p + p / 128;
      values[n++] = p + p / 128 - 1;
    }
  for (gsize i = 0; i < n; i++)
    {
      /* Each alone must come back exactly (clamping), and in a pair with
       * 1 the max quantile must be close. */
      g_autofree FsHistogram *h = histogram_new ();
      guint64 pair[2] = { 1, values[i] };

      check_dataset (pair, 2, "edge pair");
      fs_histogram_record (h, values[i]);
      g_assert_cmpuint (fs_histogram_quantile (h, 0.5), ==, values[i]);
    }
  check_dataset (values, n, "edges");
}

static void
test_uniform (void)
{
  const gsize n = 200000;
  g_autofree guint64 *values = g_new (guint64, n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed4001);

  for (gsize i = 0; i < n; i++)
    values[i] = (guint64) g_rand_int_range (rand, 1, 1000001);
  check_dataset (values, n, "uniform 1..1e6");
}

/* A long tail: a geometric number of doublings of a uniform base, so each
 * power of two holds about half the values of the one before. */
static void
test_long_tail (void)
{
  const gsize n = 200000;
  g_autofree guint64 *values = g_new (guint64, n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed4002);

  for (gsize i = 0; i < n; i++)
    {
      guint32 bits = g_rand_int (rand) | 0x80000000u;
      guint doublings = (guint) __builtin_ctz (bits);

      values[i] = (guint64) g_rand_int_range (rand, 200, 400) << doublings;
    }
  check_dataset (values, n, "long tail");
}

/* Latency-like: a tight mode, a slow 2% and a few stalls, so p99 sits on
 * the boundary of the modes. */
static void
test_bimodal (void)
{
  const gsize n = 100000;
  g_autofree guint64 *values = g_new (guint64, n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed4003);

  for (gsize i = 0; i < n; i++)
    {
      gint32 r = g_rand_int_range (rand, 0, 1000);

      if (r < 980)
        values[i] = (guint64) g_rand_int_range (rand, 400, 600);
      else if (r < 999)
        values[i] = (guint64) g_rand_int_range (rand, 40000, 60000);
      else
        values[i] = (guint64) g_rand_int_range (rand, 1000000, 3000000);
    }
  check_dataset (values, n, "bimodal");
}

/* From 1 us to 1e10 us (almost 3 hours), evenly on a log scale. */
static void
test_wide_range (void)
{
  const gsize n = 100000;
  const guint64 hi = G_GUINT64_CONSTANT (10000000000);
  g_autofree guint64 *values = g_new (guint64, n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed4004);

  values[0] = 1;
  values[1] = hi;
  for (gsize i = 2; i < n; i++)
    {
      guint e = (guint) g_rand_int_range (rand, 0, 34);
      guint64 lo = G_GUINT64_CONSTANT (1) << e;
      guint64 v = lo + (((guint64) g_rand_int (rand) << 32 | g_rand_int (rand)) % lo);

      values[i] = MIN (v, hi);
    }
  check_dataset (values, n, "1 us .. 1e10 us");
}

static void
test_above_max (void)
{
  g_autofree FsHistogram *h = histogram_new ();
  guint64 prev = 0;

  /* Beyond the last bucket the quantiles lose precision but keep their
   * order and stay within [min, max]; min, max and count stay exact. */
  for (guint i = 0; i < 1000; i++)
    fs_histogram_record (h, 100 + i);
  for (guint i = 0; i < 20; i++)
    fs_histogram_record (h, TOP + 1 + (G_GUINT64_CONSTANT (1) << (i + 40)));
  fs_histogram_record (h, G_MAXUINT64);

  g_assert_cmpuint (h->count, ==, 1021);
  g_assert_cmpuint (h->min, ==, 100);
  g_assert_cmpuint (h->max, ==, G_MAXUINT64);
  g_assert_cmpuint (h->buckets[FS_HISTOGRAM_N_BUCKETS - 1], ==, 21);
  /* The sum saturates rather than wraps. */
  g_assert_cmpuint (h->sum, ==, G_MAXUINT64);
  /* Values below the top are still found precisely. */
  assert_close (fs_histogram_quantile (h, 0.5), 100 + 510, 0.5, "above max");
  for (guint i = 0; i < G_N_ELEMENTS (quantiles); i++)
    {
      guint64 got = fs_histogram_quantile (h, quantiles[i]);

      g_assert_cmpuint (got, >=, prev);
      g_assert_cmpuint (got, >=, h->min);
      g_assert_cmpuint (got, <=, h->max);
      prev = got;
    }
  g_assert_cmpuint (fs_histogram_quantile (h, 1), >, TOP / 2);
}

/* Out-of-range q is clamped to [0, 1]. */
static void
test_odd_quantiles (void)
{
  g_autofree FsHistogram *h = histogram_new ();

  for (guint64 v = 1; v <= 100; v++)
    fs_histogram_record (h, v);
  g_assert_cmpuint (fs_histogram_quantile (h, -1), ==, 1);
  g_assert_cmpuint (fs_histogram_quantile (h, 0), ==, 1);
  g_assert_cmpuint (fs_histogram_quantile (h, 0.005), ==, 1);
  g_assert_cmpuint (fs_histogram_quantile (h, 0.01), ==, 1);
  g_assert_cmpuint (fs_histogram_quantile (h, 0.011), ==, 2);
  g_assert_cmpuint (fs_histogram_quantile (h, 0.5), ==, 50);
  g_assert_cmpuint (fs_histogram_quantile (h, 0.99), ==, 99);
  g_assert_cmpuint (fs_histogram_quantile (h, 0.991), ==, 100);
  g_assert_cmpuint (fs_histogram_quantile (h, 1), ==, 100);
  g_assert_cmpuint (fs_histogram_quantile (h, 2), ==, 100);
}

static void
test_merge (void)
{
  enum { K = 8, PER = 20000 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed4005);
  g_autofree FsHistogram *all = histogram_new ();
  g_autofree FsHistogram *merged = histogram_new ();
  g_autofree FsHistogram *empty = histogram_new ();

  for (guint k = 0; k < K; k++)
    {
      g_autofree FsHistogram *part = histogram_new ();
      /* Different ranges per part, and one empty part. */
      guint n = k == 3 ? 0 : (guint) g_rand_int_range (rand, 1, PER);
      guint64 scale = G_GUINT64_CONSTANT (1) << (3 * k);

      for (guint i = 0; i < n; i++)
        {
          guint64 v = (guint64) g_rand_int_range (rand, 0, 100000) * scale;

          fs_histogram_record (part, v);
          fs_histogram_record (all, v);
        }
      fs_histogram_merge (merged, part);
    }
  fs_histogram_merge (merged, empty);

  g_assert_cmpuint (merged->count, ==, all->count);
  g_assert_cmpuint (merged->min, ==, all->min);
  g_assert_cmpuint (merged->max, ==, all->max);
  g_assert_cmpuint (merged->sum, ==, all->sum);
  g_assert_cmpmem (merged->buckets, sizeof merged->buckets, all->buckets, sizeof all->buckets);
  for (guint i = 0; i < G_N_ELEMENTS (quantiles); i++)
    g_assert_cmpuint (fs_histogram_quantile (merged, quantiles[i]), ==,
                      fs_histogram_quantile (all, quantiles[i]));
  g_assert_cmpfloat (fs_histogram_mean (merged), ==, fs_histogram_mean (all));

  /* Into an empty histogram: a copy. */
  fs_histogram_merge (empty, all);
  g_assert_cmpmem (empty, sizeof *empty, all, sizeof *all);
}

/* Many small random datasets of mixed shapes: ordering and accuracy. */
static void
test_random_datasets (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed4006);
  g_autofree guint64 *values = g_new (guint64, 3000);

  for (guint round = 0; round < 300; round++)
    {
      gsize n = (gsize) g_rand_int_range (rand, 1, 3000);
      guint shape = round % 3;

      for (gsize i = 0; i < n; i++)
        {
          guint64 r = (guint64) g_rand_int (rand) << 32 | g_rand_int (rand);

          if (shape == 0)       /* narrow */
            values[i] = 1000 + r % 50;
          else if (shape == 1)  /* any magnitude up to 2^46 */
            values[i] = r >> (18 + r % 46);
          else                  /* small, exact region and just above */
            values[i] = r % 300;
        }
      check_dataset (values, n, "random");
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/histogram/empty", test_empty);
  g_test_add_func ("/histogram/single", test_single);
  g_test_add_func ("/histogram/constant", test_constant);
  g_test_add_func ("/histogram/layout", test_layout);
  g_test_add_func ("/histogram/edges", test_edges);
  g_test_add_func ("/histogram/quantile/uniform", test_uniform);
  g_test_add_func ("/histogram/quantile/long-tail", test_long_tail);
  g_test_add_func ("/histogram/quantile/bimodal", test_bimodal);
  g_test_add_func ("/histogram/quantile/wide-range", test_wide_range);
  g_test_add_func ("/histogram/quantile/above-max", test_above_max);
  g_test_add_func ("/histogram/quantile/odd-q", test_odd_quantiles);
  g_test_add_func ("/histogram/quantile/random", test_random_datasets);
  g_test_add_func ("/histogram/merge", test_merge);

  return g_test_run ();
}
