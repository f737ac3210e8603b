/* test-base64-decode.c: the strict streaming base64 decoder, checked to
 * give the input back for every way of cutting the text, with white space
 * and line breaks anywhere, and to refuse what is not strict base64; and
 * the round trip through the encoder. The suite runs once per
 * implementation the machine has. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "base64.h"
#include "base64-check.h"
#include "errors.h"

/* ------------------------------------------------------------ decoding */

/* Decodes text (len characters) cut at the given offsets. On success
 * returns TRUE and the bytes in *out (owned); on failure returns FALSE and
 * sets error, from step or from finish. Checks buffer bounds and that
 * dec.decoded counts the bytes produced. */
static gboolean
decode_pieces (const char *text, gsize len, const gsize *cuts, gsize ncuts,
               GByteArray **out, GError **error)
{
  FsB64Decoder dec;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  gsize start = 0;

  fs_b64_decoder_init (&dec);
  g_assert_cmpuint (dec.decoded, ==, 0);
  for (gsize i = 0; i <= ncuts; i++)
    {
      gsize end = i < ncuts ? cuts[i] : len;
      gsize max = FS_B64_DECODE_STEP_MAX (end - start);
      g_autofree guint8 *buf = g_malloc (max + CANARY_LEN);
      gsize n = G_MAXSIZE;

      g_assert_cmpuint (end, >=, start);
      memset (buf + max, CANARY_BYTE, CANARY_LEN);
      if (!fs_b64_decoder_step (&dec, text + start, end - start, buf, &n, error))
        {
          g_assert (error == NULL || *error != NULL);
          bc_check_canary (buf + max);
          return FALSE;
        }
      g_assert_cmpuint (n, <=, max);
      bc_check_canary (buf + max);
      g_byte_array_append (bytes, buf, (guint) n);
      g_assert_cmpuint (dec.decoded, ==, bytes->len);
      start = end;
    }
  if (!fs_b64_decoder_finish (&dec, error))
    {
      g_assert (error == NULL || *error != NULL);
      return FALSE;
    }
  g_assert_cmpuint (dec.decoded, ==, bytes->len);
  if (out != NULL)
    *out = g_steal_pointer (&bytes);
  return TRUE;
}

static void
assert_decodes_to (const char *text, gsize len, const gsize *cuts, gsize ncuts,
                   const guint8 *expected, gsize expected_len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) bytes = NULL;

  if (!decode_pieces (text, len, cuts, ncuts, &bytes, &error))
    {
      g_autofree char *shown = g_strescape (text, NULL);

      g_test_message ("decoding \"%s\" (cut %" G_GSIZE_FORMAT " ways) failed",
                      shown, ncuts + 1);
      g_assert_no_error (error);
    }
  g_assert_cmpmem (bytes->data, bytes->len, expected, expected_len);
}

/* Every split of text into two pieces, plus whole and byte by byte. */
static void
check_decode_all_splits (const char *text, gsize len,
                         const guint8 *expected, gsize expected_len)
{
  g_autofree gsize *cuts = g_new (gsize, len + 1);

  assert_decodes_to (text, len, NULL, 0, expected, expected_len);
  for (gsize cut = 0; cut <= len; cut++)
    assert_decodes_to (text, len, &cut, 1, expected, expected_len);
  for (gsize i = 0; i < len; i++)
    cuts[i] = i;
  assert_decodes_to (text, len, cuts, len, expected, expected_len);
}

static void
test_decode_splits (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed0010);

  for (gsize len = 0; len <= 200; len++)
    {
      g_autofree guint8 *data = bc_random_bytes (rand, len);
      g_autofree char *text = g_base64_encode (data, len);

      check_decode_all_splits (text, strlen (text), data, len);
    }
}

static void
test_decode_three_way (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed0011);

  for (gsize len = 0; len <= 12; len++)
    {
      g_autofree guint8 *data = bc_random_bytes (rand, len);
      g_autofree char *text = g_base64_encode (data, len);
      gsize tlen = strlen (text);

      for (gsize a = 0; a <= tlen; a++)
        for (gsize b = a; b <= tlen; b++)
          {
            gsize cuts[2] = { a, b };
            assert_decodes_to (text, tlen, cuts, 2, data, len);
          }
    }
}

static void
test_decode_large (void)
{
  static const gsize lengths[] = { 4096, 65537, 1000000 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed0012);

  for (gsize li = 0; li < G_N_ELEMENTS (lengths); li++)
    {
      gsize len = lengths[li];
      g_autofree guint8 *data = bc_random_bytes (rand, len);
      g_autofree char *text = g_base64_encode (data, len);
      gsize tlen = strlen (text);

      assert_decodes_to (text, tlen, NULL, 0, data, len);
      for (gsize cut = 0; cut <= 9; cut++)
        {
          gsize ends[2] = { cut, tlen - cut };
          assert_decodes_to (text, tlen, &ends[0], 1, data, len);
          assert_decodes_to (text, tlen, &ends[1], 1, data, len);
        }
      for (guint round = 0; round < 6; round++)
        {
          gsize cuts[2];

          cuts[0] = (gsize) g_rand_int_range (rand, 0, (gint32) tlen + 1);
          cuts[1] = (gsize) g_rand_int_range (rand, (gint32) cuts[0], (gint32) tlen + 1);
          assert_decodes_to (text, tlen, cuts, 2, data, len);
        }
    }
}

/* text with sep inserted after every k characters. */
static char *
break_every (const char *text, gsize k, const char *sep)
{
  GString *s = g_string_new (NULL);
  gsize len = strlen (text);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && i % k == 0)
        g_string_append (s, sep);
      g_string_append_c (s, text[i]);
    }
  /* Like a file that ends with a line break. */
  g_string_append (s, sep);
  return g_string_free (s, FALSE);
}

static void
test_decode_line_breaks (void)
{
  static const gsize ks[] = { 1, 2, 3, 4, 5, 76 };
  static const char *const seps[] = { "\r\n", "\n" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed0013);

  for (gsize len = 0; len <= 200; len++)
    {
      g_autofree guint8 *data = bc_random_bytes (rand, len);
      g_autofree char *text = g_base64_encode (data, len);

      for (gsize ki = 0; ki < G_N_ELEMENTS (ks); ki++)
        for (gsize si = 0; si < G_N_ELEMENTS (seps); si++)
          {
            g_autofree char *broken = break_every (text, ks[ki], seps[si]);
            gsize blen = strlen (broken);

            /* Every split for the shorter texts, a few for the rest: the
             * whole matrix would be quadratic for no extra coverage. */
            if (len <= 48 || len % 17 == 0)
              check_decode_all_splits (broken, blen, data, len);
            else
              {
                assert_decodes_to (broken, blen, NULL, 0, data, len);
                for (guint round = 0; round < 8; round++)
                  {
                    gsize cut = (gsize) g_rand_int_range (rand, 0, (gint32) blen + 1);
                    assert_decodes_to (broken, blen, &cut, 1, data, len);
                  }
              }
          }
    }
}

/* text with random runs of white space inserted at random points
 * (including before the first and after the last character). */
static char *
sprinkle_space (GRand *rand, const char *text)
{
  static const char *const spaces[] = { " ", "\t", "\r\n", "\n", "  \t ",
                                        "\r", "\n\n", " \r\n\t" };
  GString *s = g_string_new (NULL);
  gsize len = strlen (text);

  for (gsize i = 0; i <= len; i++)
    {
      if (g_rand_int_range (rand, 0, 3) == 0)
        g_string_append (s, spaces[g_rand_int_range (rand, 0, G_N_ELEMENTS (spaces))]);
      if (i < len)
        g_string_append_c (s, text[i]);
    }
  return g_string_free (s, FALSE);
}

static void
test_decode_white_space (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed0014);

  for (gsize len = 0; len <= 120; len++)
    {
      g_autofree guint8 *data = bc_random_bytes (rand, len);
      g_autofree char *text = g_base64_encode (data, len);

      for (guint round = 0; round < 4; round++)
        {
          g_autofree char *spaced = sprinkle_space (rand, text);
          check_decode_all_splits (spaced, strlen (spaced), data, len);
        }
    }

  /* Hand-written ones. */
  check_decode_all_splits (" Q Q = = ", 9, (const guint8 *) "A", 1);
  check_decode_all_splits ("\tQUJD\r\n", 7, (const guint8 *) "ABC", 3);
  check_decode_all_splits ("QU I=", 5, (const guint8 *) "AB", 2);
  check_decode_all_splits ("QQ=\n=", 5, (const guint8 *) "A", 1);
  check_decode_all_splits ("QUJD\n\nQUJD", 10, (const guint8 *) "ABCABC", 6);
  check_decode_all_splits ("   ", 3, (const guint8 *) "", 0);
  check_decode_all_splits ("\r\n", 2, (const guint8 *) "", 0);
}

static void
test_decode_accepts (void)
{
  check_decode_all_splits ("", 0, (const guint8 *) "", 0);
  check_decode_all_splits ("QQ==", 4, (const guint8 *) "A", 1);
  check_decode_all_splits ("QUI=", 4, (const guint8 *) "AB", 2);
  check_decode_all_splits ("QUJD", 4, (const guint8 *) "ABC", 3);
  check_decode_all_splits ("QUJDRA==", 8, (const guint8 *) "ABCD", 4);
  check_decode_all_splits ("AAAA", 4, (const guint8 *) "\0\0\0", 3);
  check_decode_all_splits ("////", 4, (const guint8 *) "\xff\xff\xff", 3);
  check_decode_all_splits ("++++", 4, (const guint8 *) "\xfb\xef\xbe", 3);
  /* The whole alphabet, in order. */
  {
    const char *alpha =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    gsize n = 0;
    g_autofree guint8 *expected = g_base64_decode (alpha, &n);

    check_decode_all_splits (alpha, strlen (alpha), expected, n);
  }
}

/* Text that must be refused, however it is cut. */
static void
check_rejects (const char *text, gsize len)
{
  g_autofree char *shown = g_strescape (text, NULL);
  g_autofree gsize *cuts = g_new (gsize, len + 1);

  for (gsize cut = 0; cut <= len + 1; cut++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok;

      /* cut == len + 1 stands for "one character at a time". */
      if (cut <= len)
        ok = decode_pieces (text, len, &cut, 1, NULL, &error);
      else
        {
          for (gsize i = 0; i < len; i++)
            cuts[i] = i;
          ok = decode_pieces (text, len, cuts, len, NULL, &error);
        }
      if (ok)
        g_test_message ("\"%s\" (len %" G_GSIZE_FORMAT ", cut %" G_GSIZE_FORMAT
                        ") was accepted", shown, len, cut);
      g_assert_false (ok);
      g_assert_error (error, FS_ERROR, FS_ERROR_BAD_BASE64);
      g_assert_nonnull (error->message);
    }
}

static void
test_decode_rejects_alphabet (void)
{
  check_rejects ("*", 1);
  check_rejects ("QUJ*", 4);
  check_rejects ("QUJD*", 5);
  check_rejects ("QU-D", 4);
  check_rejects ("QU_D", 4);
  check_rejects ("QU\0D", 4);
  check_rejects ("\0", 1);
  check_rejects ("QUJD\0", 5);
  check_rejects ("QU\xff" "D", 4);
  check_rejects ("\xff", 1);
  check_rejects ("QUJD.", 5);
  check_rejects (".QUJD", 5);
  check_rejects ("QU.D", 4);
  check_rejects ("QUJD\x01", 5);
  check_rejects ("QQ==*", 5);
  check_rejects ("QQ==.", 5);
  /* base64url is a different alphabet. */
  check_rejects ("-_-_", 4);
  /* Characters that GLib's decoder silently skips. */
  check_rejects ("QU\"JD", 5);
  check_rejects ("Q:UJD", 5);
  check_rejects ("\xc3\xa9QUJD", 6);
}

static void
test_decode_rejects_padding (void)
{
  /* Data after padding. */
  check_rejects ("QQ==QQ==", 8);
  check_rejects ("QUI=QUI=", 8);
  check_rejects ("QQ==Q", 5);
  check_rejects ("QQ=A", 4);
  check_rejects ("QQ= A=", 6);
  check_rejects ("QUI=\nQUJD", 9);
  /* '=' in the first or second position of a quantum. */
  check_rejects ("=AAA", 4);
  check_rejects ("=", 1);
  check_rejects ("====", 4);
  check_rejects ("A===", 4);
  check_rejects ("A=", 2);
  check_rejects ("A==", 3);
  check_rejects ("QUJDQ=", 6);
  check_rejects ("QUJD Q =\n", 8);
  check_rejects ("QUJD=AAA", 8);
  check_rejects ("QUJDA===", 8);
  check_rejects ("QUJD=", 5);
  check_rejects ("QUJD====", 8);
  /* Too much padding. */
  check_rejects ("QQ===", 5);
  check_rejects ("QQ====", 6);
  check_rejects ("QUI==", 5);
  check_rejects ("QUI===", 6);
  /* Too little: the padded form is required. */
  check_rejects ("QQ=", 3);
}

static void
test_decode_rejects_truncated (void)
{
  check_rejects ("QUJ", 3);
  check_rejects ("Q", 1);
  check_rejects ("QU", 2);
  check_rejects ("QUJDQ", 5);
  check_rejects ("QUJDQU", 6);
  check_rejects ("QUJDQUJ", 7);
  check_rejects ("QUJ\r\n", 5);
  check_rejects ("Q \n", 3);
}

static void
test_decode_error_is_sticky (void)
{
  /* After a refused step nothing is expected to work anymore, but the error
   * must come from step itself (before finish) for bad characters, so that a
   * stream can be refused as soon as the bad byte arrives. */
  FsB64Decoder dec;
  guint8 out[FS_B64_DECODE_STEP_MAX (8)];
  gsize n = 0;
  g_autoptr(GError) error = NULL;

  fs_b64_decoder_init (&dec);
  g_assert_true (fs_b64_decoder_step (&dec, "QUJD", 4, out, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  g_assert_false (fs_b64_decoder_step (&dec, "QU*D", 4, out, &n, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_BAD_BASE64);
  g_clear_error (&error);

  /* Data after padding is refused by the step that sees it. */
  fs_b64_decoder_init (&dec);
  g_assert_true (fs_b64_decoder_step (&dec, "QQ==", 4, out, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  g_assert_false (fs_b64_decoder_step (&dec, "QQ==", 4, out, &n, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_BAD_BASE64);
}

static void
test_decode_counts (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed0015);
  FsB64Decoder dec;
  guint64 total = 0;
  gsize expected_total = 0;

  /* One decoder over many pieces: decoded is the running total of out_len. */
  fs_b64_decoder_init (&dec);
  for (guint round = 0; round < 300; round++)
    {
      gsize len = (gsize) g_rand_int_range (rand, 0, 64) * 3;
      g_autofree guint8 *data = bc_random_bytes (rand, len);
      g_autofree char *text = g_base64_encode (data, len);
      gsize tlen = strlen (text);
      g_autofree guint8 *out = g_malloc (FS_B64_DECODE_STEP_MAX (tlen));
      g_autoptr(GError) error = NULL;
      gsize n = 0;

      g_assert_true (fs_b64_decoder_step (&dec, text, tlen, out, &n, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (out, n, data, len);
      total += n;
      expected_total += len;
      g_assert_cmpuint (dec.decoded, ==, total);
    }
  g_assert_cmpuint (dec.decoded, ==, expected_total);
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (fs_b64_decoder_finish (&dec, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (dec.decoded, ==, expected_total);
  }
}

static void
test_round_trip (void)
{
  /* Our encoder feeding our decoder, pieces of random sizes on both sides. */
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed0016);

  for (guint round = 0; round < 50; round++)
    {
      gsize len = (gsize) g_rand_int_range (rand, 0, 100000);
      g_autofree guint8 *data = bc_random_bytes (rand, len);
      gsize cuts[3];
      g_autofree char *text = NULL;
      gsize tlen;

      for (guint i = 0; i < 3; i++)
        cuts[i] = (gsize) g_rand_int_range (rand, 0, (gint32) len + 1);
      if (cuts[0] > cuts[1]) { gsize t = cuts[0]; cuts[0] = cuts[1]; cuts[1] = t; }
      if (cuts[1] > cuts[2]) { gsize t = cuts[1]; cuts[1] = cuts[2]; cuts[2] = t; }
      if (cuts[0] > cuts[1]) { gsize t = cuts[0]; cuts[0] = cuts[1]; cuts[1] = t; }
      text = bc_encode_pieces (data, len, cuts, 3);
      tlen = strlen (text);
      for (guint i = 0; i < 3; i++)
        cuts[i] = (gsize) g_rand_int_range (rand, 0, (gint32) tlen + 1);
      if (cuts[0] > cuts[1]) { gsize t = cuts[0]; cuts[0] = cuts[1]; cuts[1] = t; }
      if (cuts[1] > cuts[2]) { gsize t = cuts[1]; cuts[1] = cuts[2]; cuts[2] = t; }
      if (cuts[0] > cuts[1]) { gsize t = cuts[0]; cuts[0] = cuts[1]; cuts[1] = t; }
      assert_decodes_to (text, tlen, cuts, 3, data, len);
    }
}

int
main (int argc, char **argv)
{
  static const BcCase suite[] = {
    { "decode/all-splits", test_decode_splits },
    { "decode/three-way-splits", test_decode_three_way },
    { "decode/large", test_decode_large },
    { "decode/line-breaks", test_decode_line_breaks },
    { "decode/white-space", test_decode_white_space },
    { "decode/accepts", test_decode_accepts },
    { "decode/rejects/alphabet", test_decode_rejects_alphabet },
    { "decode/rejects/padding", test_decode_rejects_padding },
    { "decode/rejects/truncated", test_decode_rejects_truncated },
    { "decode/rejects/from-step", test_decode_error_is_sticky },
    { "decode/counts", test_decode_counts },
    { "round-trip", test_round_trip },
  };
  /* Freed after the run, so that LeakSanitizer finds nothing. */
  g_autofree BcPerImpl *runs = NULL;

  g_test_init (&argc, &argv, NULL);
  /* The whole suite once per implementation this machine runs. */
  runs = bc_add_per_impl (suite, G_N_ELEMENTS (suite));
  return g_test_run ();
}
