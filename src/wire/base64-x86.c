/* base64-x86.c: SSSE3, AVX2 and AVX-512 VBMI block kernels for base64.c.
 *
 * The methods are those of W. Muła and D. Lemire, "Faster Base64 Encoding
 * and Decoding Using AVX2 Instructions" (ACM TWeb 12(3), 2018) and Muła's
 * AVX-512 VBMI follow-up: encoding reshuffles each 3 input bytes into a
 * 32-bit lane, pulls out the four sextets with multiplies (or one
 * vpmultishiftqb) and maps them to characters with a 16-entry table of
 * offsets (or one 64-byte vpermb); decoding classifies each character by
 * its two nibbles, so that a character outside the alphabet shows as a
 * common bit of two table lookups, adds a per-range offset and packs the
 * sextets back into bytes with two multiply-adds.
 *
 * Each kernel is compiled for its instruction set with a target
 * attribute and chosen at run time (base64.c), so the binary runs on any
 * x86-64; nothing here is compiled elsewhere. See base64-private.h for
 * what a kernel must and must not do. */
#include "config.h"

#include "base64-private.h"

#if defined(__x86_64__) && defined(__GNUC__)

#include <immintrin.h>
#include <string.h>

#define TARGET_SSSE3 __attribute__ ((target ("ssse3")))
#define TARGET_AVX2 __attribute__ ((target ("avx2")))
#define TARGET_VBMI __attribute__ ((target ("avx512f,avx512bw,avx512vbmi")))

/* ---- SSSE3: 12 bytes to 16 characters, 16 characters to 12 bytes ---- */

/* Per 128-bit lane: what to add to a sextet to get its character, indexed
 * as enc_ascii_128() says. */
#define ENC_OFFSETS 'a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, \
                    '0' - 52, '0' - 52, '0' - 52, '0' - 52, '+' - 62, '/' - 63, 'A', 0, 0

TARGET_SSSE3 static inline __m128i
enc_sextets_128 (__m128i in)
{
  /* Each 32-bit lane gets bytes b, a, c, b of its quantum a b c, so that
   * every sextet lies whole inside one 16-bit half. */
  in = _mm_shuffle_epi8 (in, _mm_set_epi8 (10, 11, 9, 10, 7, 8, 6, 7, 4, 5, 3, 4, 1, 2, 0, 1));
  __m128i t0 = _mm_and_si128 (in, _mm_set1_epi32 (0x0fc0fc00));
  __m128i t1 = _mm_mulhi_epu16 (t0, _mm_set1_epi32 (0x04000040));
  __m128i t2 = _mm_and_si128 (in, _mm_set1_epi32 (0x003f03f0));
  __m128i t3 = _mm_mullo_epi16 (t2, _mm_set1_epi32 (0x01000010));
  return _mm_or_si128 (t1, t3);
}

TARGET_SSSE3 static inline __m128i
enc_ascii_128 (__m128i sextets)
{
  /* 0..25 -> 13, 26..51 -> 0, 52..61 -> 1..10, 62 -> 11, 63 -> 12: the
   * index of the offset that turns the sextet into its character. */
  __m128i idx = _mm_subs_epu8 (sextets, _mm_set1_epi8 (51));
  __m128i upper = _mm_cmpgt_epi8 (_mm_set1_epi8 (26), sextets);
  idx = _mm_or_si128 (idx, _mm_and_si128 (upper, _mm_set1_epi8 (13)));
  const __m128i offsets = _mm_setr_epi8 (ENC_OFFSETS);
  return _mm_add_epi8 (_mm_shuffle_epi8 (offsets, idx), sextets);
}

TARGET_SSSE3 static gsize
encode_ssse3 (const guint8 *in, gsize len, char *out)
{
  gsize done = 0;

  /* 16 bytes are loaded for the 12 used. */
  for (; done + 16 <= len; done += 12, out += 16)
    {
      __m128i v = _mm_loadu_si128 ((const __m128i *) (in + done));
      _mm_storeu_si128 ((__m128i *) out, enc_ascii_128 (enc_sextets_128 (v)));
    }
  return done;
}

/* The nibble tables of the decoders, per 128-bit lane: a character is in
 * the alphabet when lo_bits[low nibble] & hi_bits[high nibble] == 0;
 * roll[high nibble, or 1 for '/'] is what to add to get its sextet. */
#define DEC_LO_BITS 0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1a, \
                    0x1b, 0x1b, 0x1b, 0x1a
#define DEC_HI_BITS 0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, \
                    0x10, 0x10, 0x10, 0x10
#define DEC_ROLL 0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0
/* Each 32-bit lane of sextets becomes the 24 bits of its quantum. */
#define DEC_MERGE_PAIRS 0x01400140
#define DEC_MERGE_QUADS 0x00011000
#define DEC_PACK 2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1

/* Sextets of 16 characters in *values; FALSE if any is not in the alphabet. */
TARGET_SSSE3 static inline gboolean
dec_sextets_128 (__m128i in, __m128i *values)
{
  const __m128i lo_bits = _mm_setr_epi8 (DEC_LO_BITS);
  const __m128i hi_bits = _mm_setr_epi8 (DEC_HI_BITS);
  const __m128i roll = _mm_setr_epi8 (DEC_ROLL);
  const __m128i nibble = _mm_set1_epi8 (0x0f);
  __m128i hi = _mm_and_si128 (_mm_srli_epi32 (in, 4), nibble);
  __m128i lo = _mm_and_si128 (in, nibble);
  __m128i bad = _mm_and_si128 (_mm_shuffle_epi8 (lo_bits, lo), _mm_shuffle_epi8 (hi_bits, hi));

  if (_mm_movemask_epi8 (_mm_cmpeq_epi8 (bad, _mm_setzero_si128 ())) != 0xffff)
    return FALSE;
  __m128i slash = _mm_cmpeq_epi8 (in, _mm_set1_epi8 ('/'));
  *values = _mm_add_epi8 (in, _mm_shuffle_epi8 (roll, _mm_add_epi8 (slash, hi)));
  return TRUE;
}

TARGET_SSSE3 static gsize
decode_ssse3 (const guint8 *in, gsize len, guint8 *out)
{
  gsize done = 0;

  for (; done + 16 <= len; done += 16, out += 12)
    {
      __m128i v;

      if (!dec_sextets_128 (_mm_loadu_si128 ((const __m128i *) (in + done)), &v))
        break;
      v = _mm_maddubs_epi16 (v, _mm_set1_epi32 (DEC_MERGE_PAIRS));
      v = _mm_madd_epi16 (v, _mm_set1_epi32 (DEC_MERGE_QUADS));
      v = _mm_shuffle_epi8 (v, _mm_setr_epi8 (DEC_PACK));
      /* 12 bytes, stored as 8 + 4 so that nothing past them is written. */
      _mm_storel_epi64 ((__m128i *) out, v);
      guint32 tail = (guint32) _mm_cvtsi128_si32 (_mm_srli_si128 (v, 8));
      memcpy (out + 8, &tail, 4);
    }
  return done;
}

static gboolean
has_ssse3 (void)
{
  return __builtin_cpu_supports ("ssse3");
}

/* ---- AVX2: 24 bytes to 32 characters, 32 characters to 24 bytes ---- */

/* Sextets to characters: see enc_ascii_128(). */
TARGET_AVX2 static inline __m256i
enc_block_avx2 (__m256i v, __m256i shuffle)
{
  const __m256i offsets = _mm256_setr_epi8 (ENC_OFFSETS, ENC_OFFSETS);

  v = _mm256_shuffle_epi8 (v, shuffle);
  __m256i t0 = _mm256_and_si256 (v, _mm256_set1_epi32 (0x0fc0fc00));
  __m256i t1 = _mm256_mulhi_epu16 (t0, _mm256_set1_epi32 (0x04000040));
  __m256i t2 = _mm256_and_si256 (v, _mm256_set1_epi32 (0x003f03f0));
  __m256i t3 = _mm256_mullo_epi16 (t2, _mm256_set1_epi32 (0x01000010));
  __m256i sextets = _mm256_or_si256 (t1, t3);
  __m256i idx = _mm256_subs_epu8 (sextets, _mm256_set1_epi8 (51));
  __m256i upper = _mm256_cmpgt_epi8 (_mm256_set1_epi8 (26), sextets);

  idx = _mm256_or_si256 (idx, _mm256_and_si256 (upper, _mm256_set1_epi8 (13)));
  return _mm256_add_epi8 (_mm256_shuffle_epi8 (offsets, idx), sextets);
}

TARGET_AVX2 static gsize
encode_avx2 (const guint8 *in, gsize len, char *out)
{
  /* The first block: each 128-bit lane takes bytes 0-11 of its own
   * 16-byte load. */
  const __m256i first = _mm256_setr_epi8 (1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10,
                                          1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
  /* The others: one 32-byte load from 4 bytes before the block, so that
   * the low lane holds the block's bytes 0-11 at 4-15 and the high lane
   * its bytes 12-23 at 0-11. */
  const __m256i rest = _mm256_setr_epi8 (5, 4, 6, 5, 8, 7, 9, 8, 11, 10, 12, 11, 14, 13, 15, 14,
                                         1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
  gsize done = 0;

  /* 28 bytes must be there for the 24 used. */
  if (len < 28)
    return 0;
  {
    __m128i lo = _mm_loadu_si128 ((const __m128i *) in);
    __m128i hi = _mm_loadu_si128 ((const __m128i *) (in + 12));
    __m256i v = _mm256_inserti128_si256 (_mm256_castsi128_si256 (lo), hi, 1);

    _mm256_storeu_si256 ((__m256i *) out, enc_block_avx2 (v, first));
    done = 24;
    out += 32;
  }
  for (; done + 52 <= len; done += 48, out += 64)
    {
      __m256i a = _mm256_loadu_si256 ((const __m256i *) (in + done - 4));
      __m256i b = _mm256_loadu_si256 ((const __m256i *) (in + done + 20));

      _mm256_storeu_si256 ((__m256i *) out, enc_block_avx2 (a, rest));
      _mm256_storeu_si256 ((__m256i *) (out + 32), enc_block_avx2 (b, rest));
    }
  for (; done + 28 <= len; done += 24, out += 32)
    {
      __m256i v = _mm256_loadu_si256 ((const __m256i *) (in + done - 4));

      _mm256_storeu_si256 ((__m256i *) out, enc_block_avx2 (v, rest));
    }
  return done;
}

TARGET_AVX2 static gsize
decode_avx2 (const guint8 *in, gsize len, guint8 *out)
{
  const __m256i lo_bits = _mm256_setr_epi8 (DEC_LO_BITS, DEC_LO_BITS);
  const __m256i hi_bits = _mm256_setr_epi8 (DEC_HI_BITS, DEC_HI_BITS);
  const __m256i roll = _mm256_setr_epi8 (DEC_ROLL, DEC_ROLL);
  const __m256i nibble = _mm256_set1_epi8 (0x0f);
  const __m256i pack = _mm256_setr_epi8 (DEC_PACK, DEC_PACK);
  const __m256i lanes = _mm256_setr_epi32 (0, 1, 2, 4, 5, 6, 3, 7);
  gsize done = 0;

  for (; done + 32 <= len; done += 32, out += 24)
    {
      __m256i v = _mm256_loadu_si256 ((const __m256i *) (in + done));
      __m256i hi = _mm256_and_si256 (_mm256_srli_epi32 (v, 4), nibble);
      __m256i lo = _mm256_and_si256 (v, nibble);

      if (!_mm256_testz_si256 (_mm256_shuffle_epi8 (lo_bits, lo),
                               _mm256_shuffle_epi8 (hi_bits, hi)))
        break;
      __m256i slash = _mm256_cmpeq_epi8 (v, _mm256_set1_epi8 ('/'));
      v = _mm256_add_epi8 (v, _mm256_shuffle_epi8 (roll, _mm256_add_epi8 (slash, hi)));
      v = _mm256_maddubs_epi16 (v, _mm256_set1_epi32 (DEC_MERGE_PAIRS));
      v = _mm256_madd_epi16 (v, _mm256_set1_epi32 (DEC_MERGE_QUADS));
      v = _mm256_shuffle_epi8 (v, pack);
      v = _mm256_permutevar8x32_epi32 (v, lanes);
      /* 24 bytes, stored as 16 + 8 so that nothing past them is written. */
      _mm_storeu_si128 ((__m128i *) out, _mm256_castsi256_si128 (v));
      _mm_storel_epi64 ((__m128i *) (out + 16), _mm256_extracti128_si256 (v, 1));
    }
  return done;
}

static gboolean
has_avx2 (void)
{
  return __builtin_cpu_supports ("avx2");
}

/* ---- AVX-512 VBMI: 48 bytes to 64 characters, 64 characters to 48 bytes ---- */

static const char alphabet64[64] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* The byte permutations and the decoding table, computed once rather than
 * on every step. */
static struct {
  guint8 spread[64];   /* lane k (32 bits) takes bytes b, a, c, b of quantum k */
  guint8 gather[64];   /* bytes 2, 1, 0 of each 32-bit lane, for 48 output bytes */
  guint8 sextet[128];  /* the sextet of each 7-bit character, 0x80 when none */
} vbmi;

static void
vbmi_init (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;
  memset (vbmi.gather, 0, sizeof vbmi.gather);
  memset (vbmi.sextet, 0x80, sizeof vbmi.sextet);
  for (int k = 0; k < 16; k++)
    {
      vbmi.spread[4 * k] = (guint8) (3 * k + 1);
      vbmi.spread[4 * k + 1] = (guint8) (3 * k);
      vbmi.spread[4 * k + 2] = (guint8) (3 * k + 2);
      vbmi.spread[4 * k + 3] = (guint8) (3 * k + 1);
      vbmi.gather[3 * k] = (guint8) (4 * k + 2);
      vbmi.gather[3 * k + 1] = (guint8) (4 * k + 1);
      vbmi.gather[3 * k + 2] = (guint8) (4 * k);
    }
  for (int i = 0; i < 64; i++)
    vbmi.sextet[(guint8) alphabet64[i]] = (guint8) i;
  g_once_init_leave (&done, 1);
}

TARGET_VBMI static gsize
encode_vbmi (const guint8 *in, gsize len, char *out)
{
  gsize done = 0;

  vbmi_init ();
  const __m512i spread = _mm512_loadu_si512 (vbmi.spread);
  const __m512i lookup = _mm512_loadu_si512 (alphabet64);
  /* The bit offset of each sextet inside its 64-bit pair of lanes. */
  const __m512i shifts = _mm512_set1_epi64 (0x3036242a1016040aLL);

  /* 64 bytes are loaded for the 48 used. */
  for (; done + 64 <= len; done += 48, out += 64)
    {
      __m512i v = _mm512_loadu_si512 (in + done);

      v = _mm512_permutexvar_epi8 (spread, v);
      v = _mm512_multishift_epi64_epi8 (shifts, v);
      _mm512_storeu_si512 (out, _mm512_permutexvar_epi8 (v, lookup));
    }
  return done;
}

TARGET_VBMI static gsize
decode_vbmi (const guint8 *in, gsize len, guint8 *out)
{
  gsize done = 0;

  vbmi_init ();
  const __m512i table_lo = _mm512_loadu_si512 (vbmi.sextet);
  const __m512i table_hi = _mm512_loadu_si512 (vbmi.sextet + 64);
  const __m512i pack = _mm512_loadu_si512 (vbmi.gather);
  const __mmask64 first48 = 0x0000ffffffffffffULL;

  for (; done + 64 <= len; done += 64, out += 48)
    {
      __m512i v = _mm512_loadu_si512 (in + done);
      __m512i sextets = _mm512_permutex2var_epi8 (table_lo, v, table_hi);

      /* A set top bit, in the character (not 7-bit) or in its sextet (not
       * in the alphabet), refuses the block. */
      if (_mm512_movepi8_mask (_mm512_or_si512 (v, sextets)) != 0)
        break;
      v = _mm512_maddubs_epi16 (sextets, _mm512_set1_epi32 (DEC_MERGE_PAIRS));
      v = _mm512_madd_epi16 (v, _mm512_set1_epi32 (DEC_MERGE_QUADS));
      _mm512_mask_storeu_epi8 (out, first48, _mm512_permutexvar_epi8 (pack, v));
    }
  return done;
}

static gboolean
has_vbmi (void)
{
  return __builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("avx512bw")
         && __builtin_cpu_supports ("avx512vbmi");
}

const FsB64Candidate fs_b64_simd_candidates[] = {
  { { "avx512", encode_vbmi, decode_vbmi }, has_vbmi },
  { { "avx2", encode_avx2, decode_avx2 }, has_avx2 },
  { { "ssse3", encode_ssse3, decode_ssse3 }, has_ssse3 },
};
const gsize fs_b64_simd_ncandidates = G_N_ELEMENTS (fs_b64_simd_candidates);

#else

/* Not x86-64: the scalar code is the only implementation. */
const FsB64Candidate fs_b64_simd_candidates[1];
const gsize fs_b64_simd_ncandidates = 0;

#endif
