/* test-content.c: deterministic test content.
 *
 * The word-at-a-time fill and check are compared with a byte-at-a-time
 * reference of the documented construction, and with themselves cut into
 * pieces of every awkward size, since a downloader feeds them whatever
 * lengths the socket returns, starting at any offset. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "content.h"

#define CANARY_LEN 16
#define CANARY_BYTE 0xa5

/* Awkward piece lengths: below, at and around the 8-byte word and the
 * typical buffer sizes. */
static const gsize piece_lens[] = {
  1, 3, 7, 8, 9, 2, 15, 16, 17, 63, 64, 65, 4095, 4096, 4097, 65536 + 5, 5, 1000,
};

/* The construction, one byte at a time: byte o is byte o % 8 (little
 * endian) of the splitmix64 finalizer of key + (o / 8 + 1) * golden. */
static guint8
reference_byte (guint64 key, guint64 o)
{
  guint64 z = key + (o / 8 + 1) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  z ^= z >> 31;
  return (guint8) (z >> (8 * (o % 8)));
}

/* The whole content of (name, size), filled in one call (owned). */
static guint8 *
whole (const char *name, guint64 size)
{
  FsContent c;
  guint8 *buf = g_malloc (size + 1);

  fs_content_init (&c, name, size);
  g_assert_cmpuint (fs_content_fill (&c, buf, size), ==, size);
  g_assert_cmpuint (c.offset, ==, size);
  return buf;
}

static void
assert_same (const guint8 *got, const guint8 *want, gsize len, guint64 base)
{
  for (gsize i = 0; i < len; i++)
    if (got[i] != want[i])
      g_error ("byte %" G_GUINT64_FORMAT ": got 0x%02x, want 0x%02x",
               base + i, got[i], want[i]);
}

static void
test_reference (void)
{
  const guint64 size = 10007;
  g_autofree guint8 *buf = whole ("file_ref.bin", size);
  FsContent c;

  fs_content_init (&c, "file_ref.bin", size);
  for (guint64 o = 0; o < size; o++)
    if (buf[o] != reference_byte (c.key, o))
      g_error ("byte %" G_GUINT64_FORMAT " differs from the reference", o);
}

/* Pins the format: a reader built from another version, or on a
 * big-endian host, must generate the same bytes as the writer. */
static void
test_golden (void)
{
  static const guint8 want[16] = {
    0x37, 0xb5, 0x1b, 0x20, 0x90, 0xad, 0xbe, 0xbd,
    0x6c, 0x3e, 0x40, 0xc5, 0xef, 0xd1, 0x61, 0x54,
  };
  g_autofree guint8 *buf = whole ("file_1MB.bin", 1048576);

  assert_same (buf, want, sizeof want, 0);
}

static void
test_deterministic (void)
{
  const guint64 size = 100003;
  g_autofree guint8 *a = whole ("file_x.bin", size);
  g_autofree guint8 *b = whole ("file_x.bin", size);
  g_autofree guint8 *other_name = whole ("file_y.bin", size);
  g_autofree guint8 *prefix_name = whole ("file_x.bi", size);
  g_autofree guint8 *empty_name = whole ("", size);
  g_autofree guint8 *other_size = whole ("file_x.bin", size + 1);
  g_autofree guint8 *zeros = g_malloc0 (size);

  g_assert_cmpmem (a, size, b, size);
  /* Different from its first word on: compare the first 8 bytes as well as
   * the whole buffer. */
  g_assert_true (memcmp (a, other_name, 8) != 0);
  g_assert_true (memcmp (a, prefix_name, 8) != 0);
  g_assert_true (memcmp (a, empty_name, 8) != 0);
  g_assert_true (memcmp (a, other_size, 8) != 0);
  g_assert_true (memcmp (a, other_name, size) != 0);
  g_assert_true (memcmp (a, other_size, size) != 0);
  g_assert_true (memcmp (a, zeros, size) != 0);
}

/* Not a statistical test, only a guard against a degenerate generator
 * (stuck words, a period of a few bytes). */
static void
test_looks_random (void)
{
  const guint64 size = 1 << 20;
  g_autofree guint8 *buf = whole ("file_1MB.bin", size);
  guint counts[256] = { 0 };

  for (guint64 i = 0; i < size; i++)
    counts[buf[i]]++;
  /* Expected 4096 each, standard deviation 64. */
  for (guint v = 0; v < 256; v++)
    {
      g_assert_cmpuint (counts[v], >, 4096 - 640);
      g_assert_cmpuint (counts[v], <, 4096 + 640);
    }
  for (guint64 i = 8; i + 8 <= size; i += 8)
    g_assert_true (memcmp (buf + i, buf + i - 8, 8) != 0);
}

static void
test_fill_pieces (void)
{
  const guint64 size = 3 * 65536 + 12345;
  g_autofree guint8 *want = whole ("file_pieces.bin", size);

  /* Every rotation of the piece sequence, so each length is tried at many
   * alignments. */
  for (guint start = 0; start < G_N_ELEMENTS (piece_lens); start++)
    {
      g_autofree guint8 *got = g_malloc (size + 65536 + CANARY_LEN);
      FsContent c;
      guint64 off = 0;

      fs_content_init (&c, "file_pieces.bin", size);
      for (guint k = start; off < size; k++)
        {
          gsize len = piece_lens[k % G_N_ELEMENTS (piece_lens)];
          gsize expect = (gsize) MIN ((guint64) len, size - off);
          gsize n;

          memset (got + off, CANARY_BYTE, len + CANARY_LEN);
          n = fs_content_fill (&c, got + off, len);
          g_assert_cmpuint (n, ==, expect);
          for (gsize i = n; i < len + CANARY_LEN; i++)
            g_assert_cmphex (got[off + i], ==, CANARY_BYTE);
          off += n;
          g_assert_cmpuint (c.offset, ==, off);
        }
      assert_same (got, want, size, 0);
      g_assert_cmpuint (fs_content_fill (&c, got, 100), ==, 0);
    }
}

static void
test_fill_stops_at_size (void)
{
  for (guint64 size = 0; size < 40; size++)
    {
      g_autofree guint8 *want = whole ("file_tiny.bin", size);
      guint8 buf[64 + CANARY_LEN];
      FsContent c;

      fs_content_init (&c, "file_tiny.bin", size);
      memset (buf, CANARY_BYTE, sizeof buf);
      g_assert_cmpuint (fs_content_fill (&c, buf, 64), ==, size);
      assert_same (buf, want, size, 0);
      for (gsize i = size; i < sizeof buf; i++)
        g_assert_cmphex (buf[i], ==, CANARY_BYTE);
      g_assert_cmpuint (c.offset, ==, size);
      g_assert_cmpuint (fs_content_fill (&c, buf, 64), ==, 0);
      g_assert_cmpuint (fs_content_fill (&c, buf, 0), ==, 0);
      g_assert_cmpuint (c.offset, ==, size);
    }
}

static void
test_seek (void)
{
  const guint64 size = 2 * 65536 + 77;
  g_autofree guint8 *want = whole ("file_seek.bin", size);
  g_autofree guint8 *got = g_malloc (70000);
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed0c01);
  FsContent c;

  fs_content_init (&c, "file_seek.bin", size);
  for (guint round = 0; round < 2000; round++)
    {
      guint64 off, n;
      gsize len;

      /* Every offset near the start and the end, then random ones. */
      if (round < 64)
        off = round;
      else if (round < 128)
        off = size - (round - 64);
      else
        off = (guint64) g_rand_int_range (rand, 0, (gint32) size + 1);
      len = round % 3 == 0 ? piece_lens[round % G_N_ELEMENTS (piece_lens)]
                           : (gsize) g_rand_int_range (rand, 0, 70000);
      fs_content_seek (&c, off);
      g_assert_cmpuint (c.offset, ==, off);
      n = fs_content_fill (&c, got, len);
      g_assert_cmpuint (n, ==, MIN ((guint64) len, size - off));
      assert_same (got, want + off, n, off);
      g_assert_cmpuint (c.offset, ==, off + n);
    }
}

/* Checks data (the whole file) cut at the given sorted offsets, starting
 * at from. Returns the result and the mismatch. */
static gboolean
check_pieces (const char *name, guint64 size, const guint8 *data, gsize len,
              guint64 from, const gsize *cuts, guint ncuts, guint64 *mismatch)
{
  FsContent c;
  gsize start = 0;

  fs_content_init (&c, name, size);
  fs_content_seek (&c, from);
  for (guint i = 0; i <= ncuts; i++)
    {
      gsize end = i < ncuts ? cuts[i] : len;

      if (!fs_content_check (&c, data + start, end - start, mismatch))
        return FALSE;
      g_assert_cmpuint (c.offset, ==, from + end);
      start = end;
    }
  return TRUE;
}

static void
test_check_splits (void)
{
  const guint64 size = 1031;
  g_autofree guint8 *data = whole ("file_split.bin", size);
  guint64 mismatch = 12345;

  /* Every two-way split, and every three-way split with a short middle. */
  for (gsize a = 0; a <= size; a++)
    {
      g_assert_true (check_pieces ("file_split.bin", size, data, size, 0, &a, 1, &mismatch));
      for (gsize m = 0; m <= 17 && a + m <= size; m++)
        {
          gsize cuts[2] = { a, a + m };

          g_assert_true (check_pieces ("file_split.bin", size, data, size, 0, cuts, 2, &mismatch));
        }
    }
  /* Starting anywhere, to the end or partway. */
  for (guint64 from = 0; from <= size; from++)
    {
      gsize rest = size - from;
      gsize cut = rest / 3;

      g_assert_true (check_pieces ("file_split.bin", size, data + from, rest, from, &cut, 1, &mismatch));
      g_assert_true (check_pieces ("file_split.bin", size, data + from, cut, from, NULL, 0, &mismatch));
    }
  g_assert_cmpuint (mismatch, ==, 12345);
}

static void
test_check_large (void)
{
  const guint64 size = 4 * 65536 + 3;
  g_autofree guint8 *data = whole ("file_large.bin", size);
  FsContent c;
  guint64 off = 0;

  fs_content_init (&c, "file_large.bin", size);
  for (guint k = 0; off < size; k++)
    {
      gsize len = (gsize) MIN ((guint64) piece_lens[k % G_N_ELEMENTS (piece_lens)], size - off);

      g_assert_true (fs_content_check (&c, data + off, len, NULL));
      off += len;
    }
  g_assert_cmpuint (c.offset, ==, size);
  /* Empty data at the end is no overrun. */
  g_assert_true (fs_content_check (&c, data, 0, NULL));
}

/* Flips one byte at bad and checks the file in pieces cut at cuts. */
static void
assert_detects (const guint8 *clean, guint64 size, guint64 bad,
                const gsize *cuts, guint ncuts)
{
  g_autofree guint8 *data = g_memdup2 (clean, size);
  guint64 mismatch = G_MAXUINT64;
  gboolean ok;

  data[bad] ^= 0x01 << (bad % 8);
  ok = check_pieces ("file_flip.bin", size, data, size, 0, cuts, ncuts, &mismatch);
  if (ok)
    g_error ("a flipped byte at %" G_GUINT64_FORMAT " passed", bad);
  g_assert_cmpuint (mismatch, ==, bad);
}

static void
test_check_mismatch (void)
{
  const guint64 size = 70001;
  g_autofree guint8 *clean = whole ("file_flip.bin", size);
  const guint64 spots[] = {
    0, 1, 7, 8, 9, 15, size / 2 - 1, size / 2, size / 2 + 1, size / 2 + 7,
    65535, 65536, size - 9, size - 8, size - 2, size - 1,
  };
  const gsize cut_sets[][3] = {
    { 0, 0, 0 },
    { 1, 9, 65541 },
    { 3, 4099, 65543 },
    { 7, 35000, 35001 },
    { 8, 16, size - 1 },
    { size / 2, size / 2 + 1, size - 5 },
  };

  for (guint s = 0; s < G_N_ELEMENTS (spots); s++)
    {
      /* One shot, then pieces whose edges fall before, on and after the
       * bad byte. */
      assert_detects (clean, size, spots[s], NULL, 0);
      for (guint k = 0; k < G_N_ELEMENTS (cut_sets); k++)
        assert_detects (clean, size, spots[s], cut_sets[k], 3);
      for (gint d = -9; d <= 9; d++)
        {
          gint64 cut = (gint64) spots[s] + d;

          if (cut >= 0 && cut <= (gint64) size)
            {
              gsize one = (gsize) cut;

              assert_detects (clean, size, spots[s], &one, 1);
            }
        }
    }
}

static void
test_check_first_of_many (void)
{
  const guint64 size = 4096;
  g_autofree guint8 *data = whole ("file_flip.bin", size);
  FsContent c;
  guint64 mismatch = 0;

  data[1000] ^= 0xff;
  data[1001] ^= 0xff;
  data[3000] ^= 0xff;
  fs_content_init (&c, "file_flip.bin", size);
  g_assert_false (fs_content_check (&c, data, size, &mismatch));
  g_assert_cmpuint (mismatch, ==, 1000);
  /* mismatch may be NULL. */
  fs_content_seek (&c, 0);
  g_assert_false (fs_content_check (&c, data, size, NULL));
}

static void
test_check_past_end (void)
{
  const guint64 size = 1000;
  g_autofree guint8 *clean = whole ("file_end.bin", size);
  g_autofree guint8 *data = g_malloc0 (size + 64);
  FsContent c;
  guint64 mismatch = 0;

  memcpy (data, clean, size);

  /* Correct bytes, then any more. */
  for (gsize extra = 1; extra <= 17; extra++)
    {
      fs_content_init (&c, "file_end.bin", size);
      g_assert_false (fs_content_check (&c, data, size + extra, &mismatch));
      g_assert_cmpuint (mismatch, ==, size);

      fs_content_init (&c, "file_end.bin", size);
      g_assert_true (fs_content_check (&c, data, size - 5, &mismatch));
      g_assert_false (fs_content_check (&c, data + size - 5, 5 + extra, &mismatch));
      g_assert_cmpuint (mismatch, ==, size);
    }
  /* Anything at all once the end is reached. */
  fs_content_init (&c, "file_end.bin", size);
  fs_content_seek (&c, size);
  g_assert_false (fs_content_check (&c, data, 1, &mismatch));
  g_assert_cmpuint (mismatch, ==, size);
  /* A bad byte before the end is reported rather than the overrun. */
  data[size - 3] ^= 0x40;
  fs_content_init (&c, "file_end.bin", size);
  g_assert_false (fs_content_check (&c, data, size + 10, &mismatch));
  g_assert_cmpuint (mismatch, ==, size - 3);
  /* An empty file accepts only nothing. */
  fs_content_init (&c, "file_empty.bin", 0);
  g_assert_true (fs_content_check (&c, data, 0, &mismatch));
  g_assert_false (fs_content_check (&c, data, 1, &mismatch));
  g_assert_cmpuint (mismatch, ==, 0);
}

static void
test_name (void)
{
  static const struct { double mb; const char *name; } cases[] = {
    { 10, "file_10mb.bin" },
    { 0.5, "file_0.5mb.bin" },
    { 100, "file_100mb.bin" },
    { 1, "file_1mb.bin" },
    { 0.1, "file_0.1mb.bin" },
    { 0.25, "file_0.25mb.bin" },
    { 1.5, "file_1.5mb.bin" },
    { 50, "file_50mb.bin" },
    { 1000, "file_1000mb.bin" },
    { 1024, "file_1024mb.bin" },
    { 0.001, "file_0.001mb.bin" },
    { 123.456, "file_123.456mb.bin" },
    { 1e6, "file_1000000mb.bin" },
    { 0, "file_0mb.bin" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = fs_content_name (cases[i].mb);

      g_assert_cmpstr (name, ==, cases[i].name);
    }
}

static void
test_size (void)
{
  g_assert_cmpuint (fs_content_size (10), ==, 10485760);
  g_assert_cmpuint (fs_content_size (0.5), ==, 524288);
  g_assert_cmpuint (fs_content_size (100), ==, 104857600);
  g_assert_cmpuint (fs_content_size (0), ==, 0);
  g_assert_cmpuint (fs_content_size (1), ==, 1048576);
  /* 0.1 MiB = 104857.6 bytes; 0.001 MiB = 1048.576 bytes. */
  g_assert_cmpuint (fs_content_size (0.1), ==, 104858);
  g_assert_cmpuint (fs_content_size (0.001), ==, 1049);
  /* Halves round away from zero, like llround(). */
  g_assert_cmpuint (fs_content_size (0.5 / 1048576), ==, 1);
  g_assert_cmpuint (fs_content_size (2.5 / 1048576), ==, 3);
  g_assert_cmpuint (fs_content_size (2.4 / 1048576), ==, 2);
  g_assert_cmpuint (fs_content_size (1e6), ==, G_GUINT64_CONSTANT (1048576000000));
}

/* Run with -m perf for the figures quoted in content.c: 1 GiB through a
 * 64 KiB buffer, which stays in cache, as a downloader's would. */
static void
test_perf (void)
{
  const gsize chunk = 65536;
  const guint64 total = G_GUINT64_CONSTANT (1) << 30;
  g_autofree guint8 *buf = g_malloc (chunk);
  FsContent c;
  gint64 t0, t1, t2;

  fs_content_init (&c, "file_1024MB.bin", total);
  t0 = g_get_monotonic_time ();
  while (fs_content_fill (&c, buf, chunk) > 0)
    ;
  t1 = g_get_monotonic_time ();
  /* The buffer holds the last chunk: check it again and again. */
  for (guint64 off = 0; off < total; off += chunk)
    {
      fs_content_seek (&c, total - chunk);
      g_assert_true (fs_content_check (&c, buf, chunk, NULL));
    }
  t2 = g_get_monotonic_time ();

  g_test_message ("fill: %.2f GB/s, check: %.2f GB/s",
                  (double) total / 1e3 / (double) (t1 - t0),
                  (double) total / 1e3 / (double) (t2 - t1));
  g_test_minimized_result ((double) (t1 - t0) / 1e6, "fill 1 GiB: %.3f s",
                           (double) (t1 - t0) / 1e6);
  g_test_minimized_result ((double) (t2 - t1) / 1e6, "check 1 GiB: %.3f s",
                           (double) (t2 - t1) / 1e6);
}

/* The MD5 of the content, computed in blocks, is that of the whole,
 * whatever the size's remainder against the block. */
static void
test_md5 (void)
{
  static const guint64 sizes[] = { 0, 1, 65535, 65536, 65537, 200003 };

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree guint8 *buf = whole ("file_0.2mb.bin", sizes[i]);
      g_autofree char *want = g_compute_checksum_for_data (G_CHECKSUM_MD5, buf, sizes[i]);
      g_autofree char *got = fs_content_md5 ("file_0.2mb.bin", sizes[i]);

      g_assert_cmpstr (got, ==, want);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/content/md5", test_md5);
  g_test_add_func ("/content/reference", test_reference);
  g_test_add_func ("/content/golden", test_golden);
  g_test_add_func ("/content/deterministic", test_deterministic);
  g_test_add_func ("/content/looks-random", test_looks_random);
  g_test_add_func ("/content/fill/pieces", test_fill_pieces);
  g_test_add_func ("/content/fill/stops-at-size", test_fill_stops_at_size);
  g_test_add_func ("/content/seek", test_seek);
  g_test_add_func ("/content/check/splits", test_check_splits);
  g_test_add_func ("/content/check/large", test_check_large);
  g_test_add_func ("/content/check/mismatch", test_check_mismatch);
  g_test_add_func ("/content/check/first-of-many", test_check_first_of_many);
  g_test_add_func ("/content/check/past-end", test_check_past_end);
  g_test_add_func ("/content/name", test_name);
  g_test_add_func ("/content/size", test_size);
  if (g_test_perf ())
    g_test_add_func ("/content/perf", test_perf);

  return g_test_run ();
}
