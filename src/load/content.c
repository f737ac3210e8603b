/* content.c: deterministic test content; see content.h.
 *
 * Word i of file (name, size) is splitmix64's finalizer applied to
 * key + (i + 1) * GOLDEN, stored little-endian, so the bytes are the same on
 * every host and any word can be computed without its predecessors. */
#include "config.h"

#include "content.h"

#include <string.h>

#include "util.h"

#define GOLDEN G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)
#define FNV_OFFSET G_GUINT64_CONSTANT (0xcbf29ce484222325)
#define FNV_PRIME G_GUINT64_CONSTANT (0x100000001b3)

static inline guint64
mix (guint64 z)
{
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static inline guint64
word_at (guint64 key, guint64 index)
{
  return GUINT64_TO_LE (mix (key + (index + 1) * GOLDEN));
}

/* The whole words of a fill or a check go through loops that the compiler
 * vectorizes, built for AVX-512, AVX2 and plain x86-64 and chosen at run
 * time (target_clones); elsewhere they are plain loops. One word at a
 * time they ran at 5.4-6.5 GB/s; vectorized, the check is what verifies
 * every byte a pool downloads, and it was a fifth of the pool's CPU time
 * in a 50-client GET (perf). Figures: test-content -m perf. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define WORDS_LOOP \
  __attribute__ ((target_clones ("arch=x86-64-v4", "arch=x86-64-v3", "default"), \
                  optimize ("tree-vectorize")))
#elif defined(__x86_64__) && defined(__clang__)
#define WORDS_LOOP \
  __attribute__ ((target_clones ("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define WORDS_LOOP
#endif

/* Writes words index..index+n-1 to out. */
WORDS_LOOP static void
fill_words (guint64 key, guint64 index, guint8 *out, gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      guint64 w = word_at (key, index + i);
      memcpy (out + 8 * i, &w, 8);
    }
}

/* Non-zero when data differs from words index..index+n-1. */
WORDS_LOOP static guint64
diff_words (guint64 key, guint64 index, const guint8 *data, gsize n)
{
  guint64 acc = 0;

  for (gsize i = 0; i < n; i++)
    {
      guint64 got;
      memcpy (&got, data + 8 * i, 8);
      acc |= got ^ word_at (key, index + i);
    }
  return acc;
}

/* Words per diff_words() call: small enough that a bad byte is found
 * soon, large enough to run at full speed. */
#define CHECK_WORDS 512

void
fs_content_init (FsContent *c, const char *name, guint64 size)
{
  guint64 h = FNV_OFFSET;

  for (const guchar *p = (const guchar *) name; *p != '\0'; p++)
    h = (h ^ *p) * FNV_PRIME;
  /* Mixing the size in (not only the name) makes a truncated or extended
   * copy of a file fail verification from its first byte on. */
  c->key = mix (h ^ mix (size + GOLDEN));
  c->size = size;
  c->offset = 0;
}

void
fs_content_seek (FsContent *c, guint64 offset)
{
  g_return_if_fail (offset <= c->size);
  c->offset = offset;
}

gsize
fs_content_fill (FsContent *c, guint8 *buf, gsize len)
{
  /* A local key: buf may alias *c as far as the compiler knows, which
   * would reload the key for every word. */
  const guint64 key = c->key;
  guint64 off = c->offset;
  gsize n = (gsize) MIN ((guint64) len, c->size - off);
  guint64 index = off / 8;
  gsize done = 0;
  guint skip = off % 8;

  if (n == 0)
    return 0;

  if (skip != 0)
    {
      guint64 w = word_at (key, index++);
      gsize k = MIN (n, (gsize) (8 - skip));

      memcpy (buf, (const guint8 *) &w + skip, k);
      done = k;
    }
  if (n - done >= 8)
    {
      gsize words = (n - done) / 8;

      fill_words (key, index, buf + done, words);
      index += words;
      done += words * 8;
    }
  if (done < n)
    {
      guint64 w = word_at (key, index);

      memcpy (buf + done, &w, n - done);
    }

  c->offset = off + n;
  return n;
}

gssize
fs_content_source (guint8 *buf, gsize len, gpointer content, GError **error)
{
  return (gssize) fs_content_fill (content, buf, len);
}

/* Index of the first differing byte of two words (in memory order), which
 * differ; a byte loop keeps it independent of host endianness. */
static guint
first_diff (guint64 a_le, guint64 b_le)
{
  const guint8 *a = (const guint8 *) &a_le;
  const guint8 *b = (const guint8 *) &b_le;
  guint i = 0;

  while (a[i] == b[i])
    i++;
  return i;
}

/* On failure the position is left at the first bad byte, so a caller that
 * ignores mismatch can still read it from c->offset. */
gboolean
fs_content_check (FsContent *c, const guint8 *data, gsize len, guint64 *mismatch)
{
  const guint64 key = c->key;
  guint64 off = c->offset;
  gsize n = (gsize) MIN ((guint64) len, c->size - off);
  guint64 index = off / 8;
  gsize done = 0;
  guint skip = off % 8;
  guint64 bad;

  if (skip != 0 && n > 0)
    {
      guint64 w = word_at (key, index++);
      gsize k = MIN (n, (gsize) (8 - skip));
      const guint8 *want = (const guint8 *) &w + skip;

      for (gsize i = 0; i < k; i++)
        if (data[i] != want[i])
          {
            bad = off + i;
            goto fail;
          }
      done = k;
    }
  while (n - done >= 8)
    {
      gsize words = MIN ((n - done) / 8, (gsize) CHECK_WORDS);

      if (G_UNLIKELY (diff_words (key, index, data + done, words) != 0))
        /* Which word, and which byte of it. */
        for (;; done += 8)
          {
            guint64 w = word_at (key, index++);
            guint64 got;

            memcpy (&got, data + done, 8);
            if (got != w)
              {
                bad = off + done + first_diff (got, w);
                goto fail;
              }
          }
      index += words;
      done += words * 8;
    }
  if (done < n)
    {
      guint64 w = word_at (key, index);
      const guint8 *want = (const guint8 *) &w;

      for (gsize i = 0; done + i < n; i++)
        if (data[done + i] != want[i])
          {
            bad = off + done + i;
            goto fail;
          }
    }

  if (n < len)
    {
      /* Data past the end is wrong whatever its value. */
      bad = c->size;
      goto fail;
    }
  c->offset = off + n;
  return TRUE;

fail:
  c->offset = bad;
  if (mismatch != NULL)
    *mismatch = bad;
  return FALSE;
}

char *
fs_content_md5 (const char *name, guint64 size)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_MD5);
  g_autofree guint8 *buf = g_malloc (64 * 1024);
  FsContent c;
  gsize n;

  fs_content_init (&c, name, size);
  while ((n = fs_content_fill (&c, buf, 64 * 1024)) > 0)
    g_checksum_update (sum, buf, n);
  return g_strdup (g_checksum_get_string (sum));
}

char *
fs_content_name (double mb)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup_printf ("file_%smb.bin", fs_format_number (mb, buf));
}

guint64
fs_content_size (double mb)
{
  double bytes = mb * 1048576.0;
  guint64 whole;

  g_return_val_if_fail (bytes >= 0 && bytes < 18446744073709551616.0, 0);
  /* Rounds half away from zero like llround(), without pulling in libm;
   * bytes - whole is exact, unlike bytes + 0.5. */
  whole = (guint64) bytes;
  if (bytes - (double) whole >= 0.5)
    whole++;
  return whole;
}
