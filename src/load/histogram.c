/* histogram.c: log-linear latency histogram; see histogram.h.
 *
 * Buckets 0 .. SUB_BUCKETS-1 hold the values 0 .. SUB_BUCKETS-1 exactly.
 * After that, group g >= 1 holds [2^(g+SUB_BITS-1), 2^(g+SUB_BITS)) in
 * SUB_BUCKETS equal buckets of width 2^(g-1) (the HdrHistogram layout), so a
 * bucket is never wider than 1/SUB_BUCKETS of the values in it and its
 * midpoint is within 1/(2 * SUB_BUCKETS) of any of them. */
#include "config.h"

#include "histogram.h"

#include <string.h>

#define LAST_EXP (FS_HISTOGRAM_MAX_EXP + FS_HISTOGRAM_SUB_BITS - 1)

static guint
bucket_of (guint64 v)
{
  guint e, shift;

  if (v < FS_HISTOGRAM_SUB_BUCKETS)
    return (guint) v;
  e = 63 - (guint) __builtin_clzll (v);
  if (e > LAST_EXP)
    return FS_HISTOGRAM_N_BUCKETS - 1;
  shift = e - FS_HISTOGRAM_SUB_BITS;
  return (shift + 1) * FS_HISTOGRAM_SUB_BUCKETS
         + (guint) ((v >> shift) - FS_HISTOGRAM_SUB_BUCKETS);
}

/* The midpoint of bucket i. */
static guint64
bucket_value (guint i)
{
  guint group = i / FS_HISTOGRAM_SUB_BUCKETS;
  guint64 sub = i % FS_HISTOGRAM_SUB_BUCKETS;
  guint shift;

  if (group == 0)
    return i;
  shift = group - 1;
  return ((FS_HISTOGRAM_SUB_BUCKETS + sub) << shift) + ((G_GUINT64_CONSTANT (1) << shift) >> 1);
}

static guint64
add_saturating (guint64 a, guint64 b)
{
  guint64 r;

  /* Only absurd values (hours of latency times billions of requests) get
   * here; a pinned sum beats a wrapped one. */
  if (!g_uint64_checked_add (&r, a, b))
    return G_MAXUINT64;
  return r;
}

void
fs_histogram_init (FsHistogram *h)
{
  memset (h, 0, sizeof *h);
  h->min = G_MAXUINT64;
}

void
fs_histogram_record (FsHistogram *h, guint64 value_us)
{
  h->buckets[bucket_of (value_us)]++;
  h->count++;
  h->sum = add_saturating (h->sum, value_us);
  if (value_us < h->min)
    h->min = value_us;
  if (value_us > h->max)
    h->max = value_us;
}

void
fs_histogram_merge (FsHistogram *into, const FsHistogram *from)
{
  for (guint i = 0; i < FS_HISTOGRAM_N_BUCKETS; i++)
    into->buckets[i] += from->buckets[i];
  into->count += from->count;
  into->sum = add_saturating (into->sum, from->sum);
  into->min = MIN (into->min, from->min);
  into->max = MAX (into->max, from->max);
}

guint64
fs_histogram_quantile (const FsHistogram *h, double q)
{
  double want;
  guint64 rank, seen = 0;

  if (h->count == 0)
    return 0;
  if (!(q > 0))  /* also NaN */
    q = 0;
  if (q > 1)
    q = 1;

  /* ceil() by hand: the library links no libm. */
  want = q * (double) h->count;
  rank = (guint64) want;
  if ((double) rank < want)
    rank++;
  rank = CLAMP (rank, 1, h->count);

  for (guint i = 0; i < FS_HISTOGRAM_N_BUCKETS; i++)
    {
      seen += h->buckets[i];
      if (seen >= rank)
        return CLAMP (bucket_value (i), h->min, h->max);
    }
  /* Only reachable if a bucket counter wrapped (> 4e9 values in one). */
  return h->max;
}

double
fs_histogram_mean (const FsHistogram *h)
{
  if (h->count == 0)
    return 0;
  return (double) h->sum / (double) h->count;
}
