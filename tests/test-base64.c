/* test-base64.c: the streaming base64 encoder, and what every
 * implementation must do alike.
 *
 * The encoder is checked against g_base64_encode() of the whole input for
 * every way of cutting the input into pieces, once per implementation the
 * machine has (scalar, ssse3, avx2, avx512); each SIMD one is
 * cross-checked against the scalar code on text that is partly not
 * base64; and FILESTORM_BASE64 picks one. The decoder's suite is in
 * test-base64-decode.c. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "base64.h"
#include "base64-check.h"
#include "errors.h"

static char *
glib_encode (const guint8 *data, gsize len)
{
  /* g_base64_encode() of zero bytes gives "" on every GLib we support. */
  return g_base64_encode (data, len);
}

/* Every split of the input into two pieces. */
static void
check_encode_all_splits (const guint8 *data, gsize len, const char *expected)
{
  for (gsize cut = 0; cut <= len; cut++)
    {
      g_autofree char *text = bc_encode_pieces (data, len, &cut, 1);

      if (g_strcmp0 (text, expected) != 0)
        g_test_message ("len %" G_GSIZE_FORMAT " split at %" G_GSIZE_FORMAT,
                        len, cut);
      g_assert_cmpstr (text, ==, expected);
    }
}

static void
test_encode_small (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed0001);

  for (gsize len = 0; len <= 200; len++)
    {
      g_autofree guint8 *data = bc_random_bytes (rand, len);
      g_autofree char *expected = glib_encode (data, len);
      g_autofree char *whole = bc_encode_pieces (data, len, NULL, 0);

      g_assert_cmpstr (whole, ==, expected);
      g_assert_cmpuint (strlen (whole), ==, (len + 2) / 3 * 4);
      check_encode_all_splits (data, len, expected);
    }
}

static void
test_encode_three_way (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed0002);

  /* Exhaustive for short inputs: every (cut1 <= cut2). */
  for (gsize len = 0; len <= 24; len++)
    {
      g_autofree guint8 *data = bc_random_bytes (rand, len);
      g_autofree char *expected = glib_encode (data, len);

      for (gsize a = 0; a <= len; a++)
        for (gsize b = a; b <= len; b++)
          {
            gsize cuts[2] = { a, b };
            g_autofree char *text = bc_encode_pieces (data, len, cuts, 2);

            g_assert_cmpstr (text, ==, expected);
          }
    }

  /* Random three-way (and many-way) cuts for longer inputs. */
  for (gsize len = 25; len <= 200; len++)
    {
      g_autofree guint8 *data = bc_random_bytes (rand, len);
      g_autofree char *expected = glib_encode (data, len);

      for (guint round = 0; round < 8; round++)
        {
          gsize cuts[2];
          g_autofree char *text = NULL;

          cuts[0] = (gsize) g_rand_int_range (rand, 0, (gint32) len + 1);
          cuts[1] = (gsize) g_rand_int_range (rand, (gint32) cuts[0], (gint32) len + 1);
          text = bc_encode_pieces (data, len, cuts, 2);
          g_assert_cmpstr (text, ==, expected);
        }

      /* One byte at a time. */
      {
        g_autofree gsize *cuts = g_new (gsize, len);
        g_autofree char *text = NULL;

        for (gsize i = 0; i < len; i++)
          cuts[i] = i;
        text = bc_encode_pieces (data, len, cuts, len);
        g_assert_cmpstr (text, ==, expected);
      }
    }
}

static void
test_encode_large (void)
{
  static const gsize lengths[] = { 4095, 4096, 4097, 65535, 65536, 65537,
                                   1000000, 3 * 1024 * 1024 + 1 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed0003);

  for (gsize li = 0; li < G_N_ELEMENTS (lengths); li++)
    {
      gsize len = lengths[li];
      g_autofree guint8 *data = bc_random_bytes (rand, len);
      g_autofree char *expected = glib_encode (data, len);
      g_autofree char *whole = bc_encode_pieces (data, len, NULL, 0);

      g_assert_cmpstr (whole, ==, expected);

      /* Every split is too slow for a megabyte: the splits near both ends,
       * around each multiple of 3 there, and a handful at random. */
      for (gsize cut = 0; cut <= 9; cut++)
        {
          gsize ends[2] = { cut, len - cut };

          for (guint e = 0; e < 2; e++)
            {
              g_autofree char *text = bc_encode_pieces (data, len, &ends[e], 1);
              g_assert_cmpstr (text, ==, expected);
            }
        }
      for (guint round = 0; round < 6; round++)
        {
          gsize cuts[2];
          g_autofree char *text2 = NULL;
          g_autofree char *text3 = NULL;

          cuts[0] = (gsize) g_rand_int_range (rand, 0, (gint32) len + 1);
          cuts[1] = (gsize) g_rand_int_range (rand, (gint32) cuts[0], (gint32) len + 1);
          text2 = bc_encode_pieces (data, len, cuts, 1);
          g_assert_cmpstr (text2, ==, expected);
          text3 = bc_encode_pieces (data, len, cuts, 2);
          g_assert_cmpstr (text3, ==, expected);
        }
    }
}

static void
test_encode_reuse (void)
{
  /* init resets the state: a second encoding after close starts clean. */
  FsB64Encoder enc;
  char out[64];
  gsize n;

  fs_b64_encoder_init (&enc);
  n = fs_b64_encoder_step (&enc, (const guint8 *) "A", 1, out);
  n += fs_b64_encoder_close (&enc, out + n);
  out[n] = '\0';
  g_assert_cmpstr (out, ==, "QQ==");

  fs_b64_encoder_init (&enc);
  n = fs_b64_encoder_step (&enc, (const guint8 *) "ABC", 3, out);
  n += fs_b64_encoder_close (&enc, out + n);
  out[n] = '\0';
  g_assert_cmpstr (out, ==, "QUJD");

  fs_b64_encoder_init (&enc);
  n = fs_b64_encoder_close (&enc, out);
  g_assert_cmpuint (n, ==, 0);
}

/* ---- Every implementation alike ---- */

/* A text of n characters, mostly of the alphabet, with white space,
 * padding and bytes outside the alphabet sprinkled in at the given rate
 * (per 1000 characters). */
static char *
mostly_base64 (GRand *rand, gsize n, gint32 rate)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static const char odd[] = " \t\r\n=\x80\xff-_.:@[`{\x01";
  char *text = g_malloc (n + 1);

  for (gsize i = 0; i < n; i++)
    text[i] = g_rand_int_range (rand, 0, 1000) < rate
                ? odd[g_rand_int_range (rand, 0, (gint32) sizeof odd - 1)]
                : alphabet[g_rand_int_range (rand, 0, 64)];
  text[n] = '\0';
  return text;
}

typedef struct {
  gboolean ok;
  char *message;
  GByteArray *out;
} Decoded;

static void
decoded_clear (Decoded *d)
{
  g_free (d->message);
  g_byte_array_unref (d->out);
}

/* Decodes text in pieces of the given size with implementation impl. */
static Decoded
decode_with (const char *impl, const char *text, gsize len, gsize piece)
{
  Decoded d = { TRUE, NULL, g_byte_array_new () };
  g_autofree guint8 *out = g_malloc (FS_B64_DECODE_STEP_MAX (piece) + CANARY_LEN);
  g_autoptr(GError) error = NULL;
  FsB64Decoder dec;

  g_assert_true (fs_b64_use (impl, NULL));
  fs_b64_decoder_init (&dec);
  memset (out + FS_B64_DECODE_STEP_MAX (piece), CANARY_BYTE, CANARY_LEN);
  for (gsize pos = 0; d.ok && pos < len; pos += piece)
    {
      gsize n = 0;

      d.ok = fs_b64_decoder_step (&dec, text + pos, MIN (piece, len - pos), out, &n, &error);
      bc_check_canary (out + FS_B64_DECODE_STEP_MAX (piece));
      g_byte_array_append (d.out, out, (guint) n);
    }
  if (d.ok)
    d.ok = fs_b64_decoder_finish (&dec, &error);
  if (error != NULL)
    d.message = g_strdup (error->message);
  g_assert_cmpuint (dec.decoded, ==, d.out->len);
  return d;
}

static void
test_cross_check (gconstpointer data)
{
  /* Text that the block kernels take in part and leave in part, fed in
   * pieces of every size around their widths: each implementation must
   * accept and refuse exactly what the scalar code does, with the same
   * bytes out and the same message. */
  const char *impl = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed0017);
  guint checked = 0, refused = 0;

  for (guint round = 0; round < 3000; round++)
    {
      gsize len = (gsize) g_rand_int_range (rand, 0, 700);
      gint32 rate = (gint32) (round % 4 == 0 ? 0 : g_rand_int_range (rand, 0, 12));
      gsize piece = (gsize) g_rand_int_range (rand, 1, 200);
      g_autofree char *text = mostly_base64 (rand, len, rate);
      Decoded ref = decode_with ("scalar", text, len, piece);
      Decoded got = decode_with (impl, text, len, piece);

      g_assert_cmpint (got.ok, ==, ref.ok);
      g_assert_cmpstr (got.message, ==, ref.message);
      g_assert_cmpmem (got.out->data, got.out->len, ref.out->data, ref.out->len);
      checked++;
      refused += !ref.ok;
      decoded_clear (&ref);
      decoded_clear (&got);
    }
  /* Both kinds were tried. */
  g_assert_cmpuint (refused, >, 300);
  g_assert_cmpuint (checked - refused, >, 300);
}

static void
test_cross_check_encode (gconstpointer data)
{
  /* Every length up to a few blocks of the widest kernel, from every
   * offset of a buffer: the same text as GLib's. */
  const char *impl = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed0018);
  g_autofree guint8 *buf = bc_random_bytes (rand, 400);

  g_assert_true (fs_b64_use (impl, NULL));
  for (gsize off = 0; off < 8; off++)
    for (gsize len = 0; len + off <= 400; len++)
      {
        g_autofree char *expected = glib_encode (buf + off, len);
        g_autofree char *text = bc_encode_pieces (buf + off, len, NULL, 0);

        g_assert_cmpstr (text, ==, expected);
      }
}

static void
test_implementations (void)
{
  const char *const *impls = fs_b64_implementations ();
  g_autoptr(GError) error = NULL;
  const char *best;
  gsize n = g_strv_length ((char **) impls);

  g_assert_cmpstr (impls[0], ==, "scalar");
  g_assert_true (g_strv_contains (impls, fs_b64_implementation ()));
  /* "auto" is the last of the list, the newest instruction set. */
  g_assert_true (fs_b64_use ("auto", NULL));
  best = fs_b64_implementation ();
  g_assert_cmpstr (best, ==, impls[n - 1]);
  g_assert_true (fs_b64_use ("scalar", NULL));
  g_assert_cmpstr (fs_b64_implementation (), ==, "scalar");

  g_assert_false (fs_b64_use ("avx3", &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_USAGE);
  g_assert_nonnull (strstr (error->message, "unknown base64 implementation 'avx3'"));
  /* A refused name leaves the choice as it was. */
  g_assert_cmpstr (fs_b64_implementation (), ==, "scalar");
  g_assert_true (fs_b64_use (best, NULL));
}

/* FILESTORM_BASE64 is read once, at the first use: each case runs in a
 * fresh process that sets it first. */
static void
test_environment (gconstpointer data)
{
  const char *value = data;

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      const char *const *impls = fs_b64_implementations ();
      const char *best = impls[g_strv_length ((char **) impls) - 1];
      gboolean ok;

      g_setenv ("FILESTORM_BASE64", value, TRUE);
      ok = fs_b64_check_environment (&error);
      if (g_str_equal (value, "bogus"))
        {
          g_assert_false (ok);
          g_assert_error (error, FS_ERROR, FS_ERROR_USAGE);
          g_assert_true (g_str_has_prefix (error->message, "FILESTORM_BASE64: unknown"));
          g_assert_cmpstr (fs_b64_implementation (), ==, best);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (fs_b64_implementation (), ==,
                           *value == '\0' || g_str_equal (value, "auto") ? best : value);
        }
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  static const BcCase suite[] = {
    { "encode/small-all-splits", test_encode_small },
    { "encode/three-way-splits", test_encode_three_way },
    { "encode/large", test_encode_large },
    { "encode/reuse", test_encode_reuse },
  };
  /* Freed after the run, so that LeakSanitizer finds nothing. */
  g_autofree BcPerImpl *runs = NULL;
  const char *const *impls;

  g_test_init (&argc, &argv, NULL);
  impls = fs_b64_implementations ();

  /* The encoder's cases once per implementation this machine runs, and
   * each SIMD one cross-checked against the scalar code. */
  runs = bc_add_per_impl (suite, G_N_ELEMENTS (suite));
  for (gsize i = 1; impls[i] != NULL; i++)
    {
      g_autofree char *dec = g_strdup_printf ("/base64/%s/cross-check/decode", impls[i]);
      g_autofree char *enc = g_strdup_printf ("/base64/%s/cross-check/encode", impls[i]);

      g_test_add_data_func (dec, impls[i], test_cross_check);
      g_test_add_data_func (enc, impls[i], test_cross_check_encode);
    }
  g_test_add_func ("/base64/implementations", test_implementations);
  g_test_add_data_func ("/base64/environment/scalar", "scalar", test_environment);
  g_test_add_data_func ("/base64/environment/auto", "auto", test_environment);
  g_test_add_data_func ("/base64/environment/empty", "", test_environment);
  g_test_add_data_func ("/base64/environment/bogus", "bogus", test_environment);
  for (gsize i = 1; impls[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/base64/environment/%s", impls[i]);

      g_test_add_data_func (path, impls[i], test_environment);
    }

  return g_test_run ();
}
