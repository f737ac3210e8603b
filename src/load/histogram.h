/* histogram.h: latency histogram with log-linear buckets.
 *
 * Values are microseconds. Each power of two is split into
 * FS_HISTOGRAM_SUB_BUCKETS linear buckets, so a recorded value is known to
 * within 1/128 of itself (< 1% relative error) from 1 us up to about
 * 2^47 us (4.5 years); larger values land in the last bucket. Histograms of
 * several workers merge by adding counts. Min and max are exact. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FS_HISTOGRAM_SUB_BITS 7
#define FS_HISTOGRAM_SUB_BUCKETS (1 << FS_HISTOGRAM_SUB_BITS)
#define FS_HISTOGRAM_MAX_EXP 40
#define FS_HISTOGRAM_N_BUCKETS ((FS_HISTOGRAM_MAX_EXP + 1) * FS_HISTOGRAM_SUB_BUCKETS)

typedef struct {
  guint64 count;
  guint64 min;   /* exact; G_MAXUINT64 when empty */
  guint64 max;   /* exact; 0 when empty */
  guint64 sum;
  guint32 buckets[FS_HISTOGRAM_N_BUCKETS];
} FsHistogram;

void    fs_histogram_init   (FsHistogram *h);
void    fs_histogram_record (FsHistogram *h, guint64 value_us);
void    fs_histogram_merge  (FsHistogram *into, const FsHistogram *from);
/* The value at quantile q in [0, 1] (q = 0.5 is the median): the
 * representative value of the bucket holding the ceil(q * count)-th
 * smallest value, clamped to [min, max], so p50 <= p90 <= p99 <= max
 * always holds. 0 when empty. */
guint64 fs_histogram_quantile (const FsHistogram *h, double q);
double  fs_histogram_mean   (const FsHistogram *h);

G_END_DECLS
