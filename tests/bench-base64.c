/* bench-base64: encode and decode speed of every base64 implementation
 * this machine runs (scalar, ssse3, avx2, avx512) and of GLib's, side by
 * side in one run. A benchmark, not a test:
 *   make tests/bench-base64 && tests/bench-base64 [ROUNDS]
 *
 * The work is what a session does: steps of 48 KiB of content (encode) or
 * 64 KiB of text (decode) that are hot in the cache, written to a buffer
 * used again and again, 256 MiB in all per measurement. The measurements
 * go round-robin over the implementations, ROUNDS times (default 5), and
 * the median of each is printed, so that the machine's noise falls on all
 * alike. Every implementation's output is checked against the scalar's. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"

#define SOURCE (1024 * 1024)      /* content cycled through */
#define TOTAL (256 * 1024 * 1024) /* bytes per measurement */
#define STEP (48 * 1024)
#define DSTEP (64 * 1024)
#define MAX_IMPLS 8
#define MAX_ROUNDS 51

typedef struct {
  const guint8 *raw;
  const char *text;
  gsize text_len;
  char *enc_out;
  guint8 *dec_out;
} Work;

static double
encode_ours (Work *w)
{
  FsB64Encoder e;
  gint64 t0 = g_get_monotonic_time ();
  gsize done = 0;

  fs_b64_encoder_init (&e);
  while (done < TOTAL)
    for (gsize off = 0; off + STEP <= SOURCE && done < TOTAL; off += STEP, done += STEP)
      fs_b64_encoder_step (&e, w->raw + off, STEP, w->enc_out);
  return (double) TOTAL / (double) MAX (g_get_monotonic_time () - t0, 1);
}

static double
decode_ours (Work *w)
{
  FsB64Decoder d;
  gint64 t0 = g_get_monotonic_time ();
  gsize done = 0, n;

  fs_b64_decoder_init (&d);
  while (done < TOTAL)
    for (gsize off = 0; off + DSTEP <= w->text_len && done < TOTAL; off += DSTEP, done += DSTEP)
      if (!fs_b64_decoder_step (&d, w->text + off, DSTEP, w->dec_out, &n, NULL))
        g_error ("decoding failed");
  return (double) TOTAL / (double) MAX (g_get_monotonic_time () - t0, 1);
}

static double
encode_glib (Work *w)
{
  int state = 0, save = 0;
  gint64 t0 = g_get_monotonic_time ();
  gsize done = 0;

  while (done < TOTAL)
    for (gsize off = 0; off + STEP <= SOURCE && done < TOTAL; off += STEP, done += STEP)
      g_base64_encode_step (w->raw + off, STEP, FALSE, w->enc_out, &state, &save);
  return (double) TOTAL / (double) MAX (g_get_monotonic_time () - t0, 1);
}

static double
decode_glib (Work *w)
{
  int state = 0;
  guint save = 0;
  gint64 t0 = g_get_monotonic_time ();
  gsize done = 0;

  while (done < TOTAL)
    for (gsize off = 0; off + DSTEP <= w->text_len && done < TOTAL; off += DSTEP, done += DSTEP)
      g_base64_decode_step (w->text + off, DSTEP, w->dec_out, &state, &save);
  return (double) TOTAL / (double) MAX (g_get_monotonic_time () - t0, 1);
}

/* The whole source through the current implementation, one odd-sized
 * step at a time, compared with GLib's encoding and with the source. */
static gboolean
agrees (const Work *w)
{
  g_autofree char *text = g_malloc (FS_B64_ENCODE_STEP_MAX (SOURCE) + 8);
  g_autofree guint8 *back = g_malloc (FS_B64_DECODE_STEP_MAX (w->text_len) + 8);
  FsB64Encoder e;
  FsB64Decoder d;
  gsize len = 0, back_len = 0, n;

  fs_b64_encoder_init (&e);
  for (gsize off = 0; off < SOURCE; off += 4099)
    len += fs_b64_encoder_step (&e, w->raw + off, MIN (4099, SOURCE - off), text + len);
  len += fs_b64_encoder_close (&e, text + len);
  fs_b64_decoder_init (&d);
  for (gsize off = 0; off < w->text_len; off += 5003)
    {
      if (!fs_b64_decoder_step (&d, w->text + off, MIN (5003, w->text_len - off),
                                back + back_len, &n, NULL))
        return FALSE;
      back_len += n;
    }
  return len == w->text_len && memcmp (text, w->text, len) == 0 && back_len == SOURCE
         && memcmp (back, w->raw, SOURCE) == 0 && fs_b64_decoder_finish (&d, NULL);
}

static int
by_value (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *v, int n)
{
  qsort (v, (size_t) n, sizeof *v, by_value);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int
main (int argc, char **argv)
{
  const char *const *impls = fs_b64_implementations ();
  const char *chosen = fs_b64_implementation ();
  int rounds = argc > 1 ? atoi (argv[1]) : 5;
  double enc[MAX_IMPLS + 1][MAX_ROUNDS], dec[MAX_IMPLS + 1][MAX_ROUNDS];
  g_autofree guint8 *raw = g_malloc (SOURCE);
  g_autofree char *text = NULL;
  g_autofree char *enc_out = g_malloc (FS_B64_ENCODE_STEP_MAX (STEP) + 8);
  g_autofree guint8 *dec_out = g_malloc (FS_B64_DECODE_STEP_MAX (DSTEP) + 8);
  Work w;
  int nimpl = 0, status = 0;

  if (rounds < 1 || rounds > MAX_ROUNDS)
    {
      fprintf (stderr, "bench-base64: ROUNDS must be 1 to %d\n", MAX_ROUNDS);
      return 2;
    }
  for (gsize i = 0; i < SOURCE; i++)
    raw[i] = (guint8) ((i * 2654435761u) >> 13);
  text = g_base64_encode (raw, SOURCE);
  w = (Work) { raw, text, strlen (text), enc_out, dec_out };
  while (impls[nimpl] != NULL && nimpl < MAX_IMPLS)
    nimpl++;

  for (int i = 0; i < nimpl; i++)
    {
      fs_b64_use (impls[i], NULL);
      if (!agrees (&w))
        {
          printf ("%s: output DIFFERS from GLib's\n", impls[i]);
          status = 1;
        }
    }
  for (int r = 0; r < rounds; r++)
    for (int i = 0; i <= nimpl; i++)
      {
        if (i < nimpl)
          fs_b64_use (impls[i], NULL);
        enc[i][r] = i < nimpl ? encode_ours (&w) : encode_glib (&w);
        dec[i][r] = i < nimpl ? decode_ours (&w) : decode_glib (&w);
      }

  printf ("base64, hot steps of %d KiB (encode) and %d KiB (decode), %d MiB each, "
          "median of %d rounds; MB/s of input\n",
          STEP / 1024, DSTEP / 1024, TOTAL / (1024 * 1024), rounds);
  printf ("%-8s %10s %8s %10s %8s\n", "", "encode", "×scalar", "decode", "×scalar");
  {
    double enc0 = median (enc[0], rounds), dec0 = median (dec[0], rounds);

    for (int i = 0; i <= nimpl; i++)
      {
        double e = i == 0 ? enc0 : median (enc[i], rounds);
        double d = i == 0 ? dec0 : median (dec[i], rounds);

        printf ("%-8s %10.0f %8.2f %10.0f %8.2f\n", i < nimpl ? impls[i] : "GLib", e, e / enc0,
                d, d / dec0);
      }
  }
  printf ("default: %s\n", chosen);
  return status;
}
