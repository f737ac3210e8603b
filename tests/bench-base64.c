/* bench-base64: encode and decode speed of ours against GLib's, over
 * 64 MiB in the step sizes the session uses. A benchmark, not a test:
 *   make tests/bench-base64 && tests/bench-base64 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base64.h"

#define SIZE (64 * 1024 * 1024)
#define STEP (48 * 1024)
#define DSTEP (64 * 1024)

static double
mbps (gsize bytes, gint64 us)
{
  return (double) bytes / (double) MAX (us, 1);
}

int
main (void)
{
  g_autofree guint8 *raw = g_malloc (SIZE);
  g_autofree char *enc = g_malloc (FS_B64_ENCODE_STEP_MAX (SIZE) + 8);
  g_autofree char *genc = g_malloc (FS_B64_ENCODE_STEP_MAX (SIZE) + 8);
  g_autofree guint8 *out = g_malloc (FS_B64_DECODE_STEP_MAX (DSTEP));
  FsB64Encoder e;
  FsB64Decoder d;
  gsize el = 0, gl = 0, n;
  int state = 0, save = 0;
  guint gsave = 0;
  gint64 t0, t1, t2, t3, t4;

  for (gsize i = 0; i < SIZE; i++)
    raw[i] = (guint8) ((i * 2654435761u) >> 13);

  t0 = g_get_monotonic_time ();
  fs_b64_encoder_init (&e);
  for (gsize off = 0; off < SIZE; off += STEP)
    el += fs_b64_encoder_step (&e, raw + off, MIN (STEP, SIZE - off), enc + el);
  el += fs_b64_encoder_close (&e, enc + el);
  t1 = g_get_monotonic_time ();
  for (gsize off = 0; off < SIZE; off += STEP)
    gl += g_base64_encode_step (raw + off, MIN (STEP, SIZE - off), FALSE, genc + gl, &state, &save);
  gl += g_base64_encode_close (FALSE, genc + gl, &state, &save);
  t2 = g_get_monotonic_time ();
  fs_b64_decoder_init (&d);
  for (gsize off = 0; off < el; off += DSTEP)
    fs_b64_decoder_step (&d, enc + off, MIN (DSTEP, el - off), out, &n, NULL);
  t3 = g_get_monotonic_time ();
  state = 0;
  for (gsize off = 0; off < el; off += DSTEP)
    g_base64_decode_step (enc + off, MIN (DSTEP, el - off), out, &state, &gsave);
  t4 = g_get_monotonic_time ();

  printf ("encode: ours %.0f MB/s, GLib %.0f MB/s (of input); outputs %s\n",
          mbps (SIZE, t1 - t0), mbps (SIZE, t2 - t1),
          el == gl && memcmp (enc, genc, el) == 0 ? "identical" : "DIFFER");
  printf ("decode: ours %.0f MB/s, GLib %.0f MB/s (of base64)\n",
          mbps (el, t3 - t2), mbps (el, t4 - t3));
  return el == gl && memcmp (enc, genc, el) == 0 ? 0 : 1;
}
