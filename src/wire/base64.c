/* base64.c: streaming base64; see base64.h for why both directions are
 * our own. The scalar code here is the reference and the fallback; the
 * block kernels of base64-x86.c, when the CPU has them, take the whole
 * blocks in the middle of a step, and this code the rest. */
#include "config.h"

#include "base64.h"

#include <string.h>

#include "base64-private.h"
#include "errors.h"

/* ---- Choosing an implementation ---- */

/* The scalar code alone: the reference, and the fallback everywhere. */
static const FsB64Kernels scalar_kernels = { "scalar", NULL, NULL };
static const FsB64Kernels *kernels = &scalar_kernels;
/* What was wrong with FILESTORM_BASE64, if anything. */
static GError *environment_problem;

static const FsB64Kernels *
best_kernels (void)
{
  for (gsize i = 0; i < fs_b64_simd_ncandidates; i++)
    if (fs_b64_simd_candidates[i].supported ())
      return &fs_b64_simd_candidates[i].kernels;
  return &scalar_kernels;
}

static const FsB64Kernels *
find_kernels (const char *name, GError **error)
{
  if (g_strcmp0 (name, "auto") == 0)
    return best_kernels ();
  if (g_strcmp0 (name, "scalar") == 0)
    return &scalar_kernels;
  for (gsize i = 0; i < fs_b64_simd_ncandidates; i++)
    if (g_strcmp0 (name, fs_b64_simd_candidates[i].kernels.name) == 0)
      {
        if (fs_b64_simd_candidates[i].supported ())
          return &fs_b64_simd_candidates[i].kernels;
        g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                     "base64 implementation '%s' is not supported by this CPU", name);
        return NULL;
      }
  {
    g_autofree char *known = g_strjoinv (", ", (char **) fs_b64_implementations ());
    g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                 "unknown base64 implementation '%s' (this machine has %s, or auto)",
                 name, known);
  }
  return NULL;
}

static void
init_kernels (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;
  {
    const char *wanted = g_getenv ("FILESTORM_BASE64");
    const FsB64Kernels *found = NULL;

    if (wanted == NULL || *wanted == '\0')
      wanted = "auto";
    found = find_kernels (wanted, &environment_problem);
    if (environment_problem != NULL)
      g_prefix_error (&environment_problem, "FILESTORM_BASE64: ");
    kernels = found != NULL ? found : best_kernels ();
  }
  g_once_init_leave (&done, 1);
}

const char *const *
fs_b64_implementations (void)
{
  /* Scalar first, then the SIMD ones from the oldest instruction set. */
  static const char *names[8];
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      gsize n = 0;

      names[n++] = scalar_kernels.name;
      for (gsize i = fs_b64_simd_ncandidates; i > 0 && n + 1 < G_N_ELEMENTS (names); i--)
        if (fs_b64_simd_candidates[i - 1].supported ())
          names[n++] = fs_b64_simd_candidates[i - 1].kernels.name;
      g_once_init_leave (&done, 1);
    }
  return names;
}

const char *
fs_b64_implementation (void)
{
  init_kernels ();
  return kernels->name;
}

gboolean
fs_b64_use (const char *name, GError **error)
{
  const FsB64Kernels *found;

  init_kernels ();
  found = find_kernels (name, error);
  if (found == NULL)
    return FALSE;
  kernels = found;
  return TRUE;
}

gboolean
fs_b64_check_environment (GError **error)
{
  init_kernels ();
  if (environment_problem != NULL)
    {
      g_propagate_error (error, g_error_copy (environment_problem));
      return FALSE;
    }
  return TRUE;
}

/* ---- Encoding ---- */

static const char alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Two output characters for every 12-bit value, as one 16-bit word in
 * memory order: one lookup per half of a quantum, and whole words stored
 * instead of single characters. */
static guint16 pairs[4096];

static void
init_pairs (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;
  for (int i = 0; i < 4096; i++)
    {
      char two[2] = { alphabet[i >> 6], alphabet[i & 63] };
      memcpy (&pairs[i], two, 2);
    }
  g_once_init_leave (&done, 1);
}

void
fs_b64_encoder_init (FsB64Encoder *enc)
{
  init_pairs ();
  init_kernels ();
  enc->ncarry = 0;
}

static inline guint32
quantum_word (guint32 v)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  return (guint32) pairs[v >> 12] | ((guint32) pairs[v & 0xfff] << 16);
#else
  return ((guint32) pairs[v >> 12] << 16) | (guint32) pairs[v & 0xfff];
#endif
}

static inline char *
quantum (char *o, guint32 v)
{
  guint32 w = quantum_word (v);
  memcpy (o, &w, 4);
  return o + 4;
}

gsize
fs_b64_encoder_step (FsB64Encoder *enc, const guint8 *in, gsize len, char *out)
{
  char *o = out;

  while (enc->ncarry > 0 && len > 0)
    {
      if (enc->ncarry == 2)
        {
          o = quantum (o, ((guint32) enc->carry[0] << 16) | ((guint32) enc->carry[1] << 8) | in[0]);
          enc->ncarry = 0;
        }
      else
        enc->carry[enc->ncarry++] = in[0];
      in++;
      len--;
    }
  if (kernels->encode_blocks != NULL)
    {
      gsize done = kernels->encode_blocks (in, len, o);

      in += done;
      len -= done;
      o += done / 3 * 4;
    }
  /* Two quanta per round, read as one 64-bit load (8 bytes must be
   * there, 6 are used) and stored as one 64-bit word. */
  for (; len >= 8; in += 6, len -= 6, o += 8)
    {
      guint64 v;
      memcpy (&v, in, 8);
      v = GUINT64_FROM_BE (v);
      guint32 a = quantum_word ((guint32) (v >> 40));
      guint32 b = quantum_word ((guint32) (v >> 16) & 0xffffff);
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
      guint64 w = (guint64) a | ((guint64) b << 32);
#else
      guint64 w = ((guint64) a << 32) | (guint64) b;
#endif
      memcpy (o, &w, 8);
    }
  for (; len >= 3; in += 3, len -= 3)
    o = quantum (o, ((guint32) in[0] << 16) | ((guint32) in[1] << 8) | in[2]);
  for (; len > 0; in++, len--)
    enc->carry[enc->ncarry++] = in[0];
  return (gsize) (o - out);
}

gsize
fs_b64_encoder_close (FsB64Encoder *enc, char *out)
{
  guint32 v;

  if (enc->ncarry == 0)
    return 0;
  v = (guint32) enc->carry[0] << 16;
  if (enc->ncarry == 2)
    v |= (guint32) enc->carry[1] << 8;
  quantum (out, v);
  out[3] = '=';
  if (enc->ncarry == 1)
    out[2] = '=';
  enc->ncarry = 0;
  return 4;
}

/* ---- Decoding ---- */

enum { INVALID = -1, SPACE = -2, PAD = -3 };

/* Sextet values of the standard alphabet; negative entries classify the rest. */
static gint8 table[256];
/* The same, shifted into place for each position of a quantum, with
 * NOT_SEXTET set for every character outside the alphabet. */
#define NOT_SEXTET 0x80000000u
static guint32 dec0[256], dec1[256], dec2[256], dec3[256];

/* Writes the 24 bits of a decoded quantum as 3 bytes. */
static inline void
store3 (guint8 *o, guint32 x)
{
  o[0] = (guint8) (x >> 16);
  o[1] = (guint8) (x >> 8);
  o[2] = (guint8) x;
}

static void
init_table (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;
  for (int c = 0; c < 256; c++)
    table[c] = INVALID;
  for (int i = 0; i < 26; i++)
    {
      table['A' + i] = (gint8) i;
      table['a' + i] = (gint8) (26 + i);
    }
  for (int i = 0; i < 10; i++)
    table['0' + i] = (gint8) (52 + i);
  table['+'] = 62;
  table['/'] = 63;
  table['='] = PAD;
  table[' '] = table['\t'] = table['\r'] = table['\n'] = SPACE;
  table['\v'] = table['\f'] = SPACE;
  for (int c = 0; c < 256; c++)
    {
      guint32 v = (guint32) table[c];
      gboolean bad = table[c] < 0;
      dec0[c] = bad ? NOT_SEXTET : v << 18;
      dec1[c] = bad ? NOT_SEXTET : v << 12;
      dec2[c] = bad ? NOT_SEXTET : v << 6;
      dec3[c] = bad ? NOT_SEXTET : v;
    }
  g_once_init_leave (&done, 1);
}

void
fs_b64_decoder_init (FsB64Decoder *dec)
{
  init_table ();
  init_kernels ();
  dec->bits = 0;
  dec->nchars = 0;
  dec->npad = 0;
  dec->decoded = 0;
}

/* npad: 0 = no padding yet; 1 = "xx=" seen, one more '=' is owed;
 * 2 = padding complete, only white space may follow. */

static gboolean
bad_char (guint8 c, GError **error)
{
  if (g_ascii_isprint (c))
    g_set_error (error, FS_ERROR, FS_ERROR_BAD_BASE64,
                 "invalid base64: character '%c' is not in the alphabet", c);
  else
    g_set_error (error, FS_ERROR, FS_ERROR_BAD_BASE64,
                 "invalid base64: byte 0x%02x is not in the alphabet", c);
  return FALSE;
}

gboolean
fs_b64_decoder_step (FsB64Decoder *dec, const char *in_chars, gsize len,
                     guint8 *out, gsize *out_len, GError **error)
{
  const guint8 *in = (const guint8 *) in_chars;
  guint8 *o = out;
  gsize i = 0;

  while (i < len)
    {
      /* Fast path: whole quanta of alphabet characters, the usual case.
       * This is what makes decoding run at memory speed instead of one
       * branchy step per character. */
      if (dec->nchars == 0 && dec->npad == 0)
        {
          if (kernels->decode_blocks != NULL)
            {
              gsize done = kernels->decode_blocks (in + i, len - i, o);

              i += done;
              o += done / 4 * 3;
            }
          /* Two quanta per round: each character's sextet comes from a
           * table already shifted into place (and flagged when it is not
           * in the alphabet), and each quantum is stored as one word. */
          while (i + 8 <= len)
            {
              guint32 x = dec0[in[i]] | dec1[in[i + 1]] | dec2[in[i + 2]] | dec3[in[i + 3]];
              guint32 y = dec0[in[i + 4]] | dec1[in[i + 5]] | dec2[in[i + 6]]
                          | dec3[in[i + 7]];
              if ((x | y) & NOT_SEXTET)
                break;
              store3 (o, x);
              store3 (o + 3, y);
              o += 6;
              i += 8;
            }
          while (i + 4 <= len)
            {
              guint32 x = dec0[in[i]] | dec1[in[i + 1]] | dec2[in[i + 2]] | dec3[in[i + 3]];
              if (x & NOT_SEXTET)
                break;
              store3 (o, x);
              o += 3;
              i += 4;
            }
          if (i >= len)
            break;
        }

      guint8 ch = in[i++];
      gint v = table[ch];

      if (v >= 0)
        {
          if (dec->npad != 0)
            {
              g_set_error_literal (error, FS_ERROR, FS_ERROR_BAD_BASE64,
                                   "invalid base64: data after padding");
              goto fail;
            }
          dec->bits = (dec->bits << 6) | (guint32) v;
          if (++dec->nchars == 4)
            {
              o[0] = (guint8) (dec->bits >> 16);
              o[1] = (guint8) (dec->bits >> 8);
              o[2] = (guint8) dec->bits;
              o += 3;
              dec->nchars = 0;
              dec->bits = 0;
            }
        }
      else if (v == SPACE)
        continue;
      else if (v == PAD)
        {
          if (dec->npad == 1)
            dec->npad = 2;
          else if (dec->npad == 2 || dec->nchars < 2)
            {
              g_set_error_literal (error, FS_ERROR, FS_ERROR_BAD_BASE64,
                                   "invalid base64: misplaced padding");
              goto fail;
            }
          else if (dec->nchars == 2)
            {
              *o++ = (guint8) (dec->bits >> 4);
              dec->npad = 1;
              dec->nchars = 0;
              dec->bits = 0;
            }
          else /* nchars == 3 */
            {
              o[0] = (guint8) (dec->bits >> 10);
              o[1] = (guint8) (dec->bits >> 2);
              o += 2;
              dec->npad = 2;
              dec->nchars = 0;
              dec->bits = 0;
            }
        }
      else
        {
          bad_char (ch, error);
          goto fail;
        }
    }

  *out_len = (gsize) (o - out);
  dec->decoded += *out_len;
  return TRUE;

fail:
  *out_len = (gsize) (o - out);
  dec->decoded += *out_len;
  return FALSE;
}

gboolean
fs_b64_decoder_finish (FsB64Decoder *dec, GError **error)
{
  if (dec->nchars != 0 || dec->npad == 1)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_BAD_BASE64,
                           "invalid base64: truncated input (length is not a multiple of 4)");
      return FALSE;
    }
  return TRUE;
}
