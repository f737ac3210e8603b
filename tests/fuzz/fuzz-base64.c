/* fuzz-base64.c: the streaming base64 decoder and encoder (src/wire/base64.c)
 * against GLib's. The first byte picks the piece size the input is fed
 * in; the rest is, in turn, base64 text to decode and content to encode.
 * Whatever our decoder accepts, GLib decodes to the same bytes (GLib
 * skips what it does not know, so only accepted input is compared); what
 * our encoder writes is GLib's encoding and decodes back to the input.
 * Each input goes through every implementation the machine runs (scalar,
 * ssse3, avx2, avx512): each must also accept and refuse what the scalar
 * code does, with the same bytes and the same message. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "fuzz.h"

/* What a decoding came to: "ok" or the message, then the bytes out. */
static GString *
outcome (const char *how, const GByteArray *bytes)
{
  GString *what = g_string_new (how);

  g_string_append_c (what, '\n');
  g_string_append_len (what, (const char *) bytes->data, (gssize) bytes->len);
  return what;
}

/* Decodes text in pieces; returns its outcome(). */
static GString *
check_decode (const char *text, gsize len, gsize piece)
{
  g_autoptr(GByteArray) ours = g_byte_array_new ();
  g_autofree guint8 *out = g_malloc (FS_B64_DECODE_STEP_MAX (piece));
  g_autofree char *copy = NULL;
  g_autofree guchar *theirs = NULL;
  FsB64Decoder dec;
  gsize theirs_len = 0;

  fs_b64_decoder_init (&dec);
  for (gsize pos = 0; pos < len; pos += piece)
    {
      gsize n = MIN (piece, len - pos), out_len = 0;
      g_autoptr(GError) error = NULL;

      if (!fs_b64_decoder_step (&dec, text + pos, n, out, &out_len, &error))
        {
          FUZZ_CHECK (error != NULL);
          return outcome (error->message, ours);
        }
      FUZZ_CHECK (out_len <= FS_B64_DECODE_STEP_MAX (n));
      g_byte_array_append (ours, out, (guint) out_len);
    }
  {
    g_autoptr(GError) error = NULL;

    if (!fs_b64_decoder_finish (&dec, &error))
      return outcome (error->message, ours);
  }
  FUZZ_CHECK (dec.decoded == ours->len);
  /* Accepted text holds no NUL: GLib needs a C string. */
  FUZZ_CHECK (memchr (text, '\0', len) == NULL);
  copy = g_strndup (text, len);
  theirs = g_base64_decode (copy, &theirs_len);
  FUZZ_CHECK (theirs_len == ours->len);
  FUZZ_CHECK (theirs_len == 0 || memcmp (theirs, ours->data, theirs_len) == 0);
  return outcome ("ok", ours);
}

static void
check_encode (const guint8 *data, gsize len, gsize piece)
{
  g_autoptr(GString) ours = g_string_new (NULL);
  g_autofree char *out = g_malloc (FS_B64_ENCODE_STEP_MAX (piece));
  g_autofree char *theirs = g_base64_encode (data, len);
  g_autofree guchar *back = NULL;
  char tail[FS_B64_ENCODE_CLOSE_MAX];
  FsB64Encoder enc;
  gsize back_len = 0;

  fs_b64_encoder_init (&enc);
  for (gsize pos = 0; pos < len; pos += piece)
    {
      gsize n = MIN (piece, len - pos);
      gsize written = fs_b64_encoder_step (&enc, data + pos, n, out);

      FUZZ_CHECK (written <= FS_B64_ENCODE_STEP_MAX (n));
      g_string_append_len (ours, out, (gssize) written);
    }
  g_string_append_len (ours, tail, (gssize) fs_b64_encoder_close (&enc, tail));
  FUZZ_CHECK (strcmp (ours->str, theirs) == 0);
  back = g_base64_decode (ours->str, &back_len);
  FUZZ_CHECK (back_len == len && (len == 0 || memcmp (back, data, len) == 0));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *const *impls = fs_b64_implementations ();
  g_autoptr(GString) reference = NULL;
  gsize piece;

  if (size == 0)
    return 0;
  /* 1 to 256 bytes a piece: carries across every boundary get tried. */
  piece = (gsize) data[0] + 1;
  for (gsize i = 0; impls[i] != NULL; i++)
    {
      g_autoptr(GString) decoded = NULL;

      FUZZ_CHECK (fs_b64_use (impls[i], NULL));
      decoded = check_decode ((const char *) data + 1, size - 1, piece);
      if (reference == NULL)
        reference = g_steal_pointer (&decoded);
      else
        FUZZ_CHECK (g_string_equal (decoded, reference));
      check_encode (data + 1, size - 1, piece);
    }
  return 0;
}
