/* base64.h: streaming base64 (RFC 4648, standard alphabet, padded, no
 * line breaks), checked against GLib's in tests/test-base64.c.
 *
 * Both directions are our own, for measured reasons (tests/bench-base64:
 * 64 MiB in the session's step sizes, gcc -O2, this project's 2-core
 * machine, whose timings vary by 30% from run to run; instruction counts
 * from valgrind --tool=callgrind do not):
 * - GLib's g_base64_decode_step() silently skips characters outside the
 *   alphabet, and the protocol must answer bad base64 with an ERROR. Ours
 *   is strict: it skips ASCII white space anywhere (input may be split
 *   across lines at any point) and rejects everything else outside the
 *   alphabet, misplaced padding and a truncated final quantum. Decoding
 *   two quanta per round from pre-shifted tables, it runs at 3.2 GB/s of
 *   base64 against GLib's 1.4 GB/s (459 M instructions for the 85 MiB,
 *   down from 671 M one quantum at a time).
 * - g_base64_encode_step() encodes 0.5-0.8 GB/s of input, which made it
 *   the largest cost of serving a GET. Ours looks up 12 bits at a time
 *   and handles two quanta per 64-bit load and store: 0.9-1.1 GB/s
 *   (313 M instructions for the 64 MiB, down from 403 M with byte loads).
 *
 * On x86-64 the whole blocks in the middle of each step go to SSSE3, AVX2
 * or AVX-512 VBMI code (base64-x86.c), the best the CPU has, chosen at
 * run time; the scalar code above stays the fallback and the reference,
 * and does every partial quantum, white space, padding and error, so the
 * strictness is the same whichever runs. tests/bench-base64 prints each
 * side by side. The environment variable FILESTORM_BASE64 (scalar, ssse3,
 * avx2, avx512 or auto, the default) forces one. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint8 carry[2];  /* input bytes waiting for a whole quantum */
  guint  ncarry;
} FsB64Encoder;

/* Output bytes needed to encode len input bytes in one step. */
#define FS_B64_ENCODE_STEP_MAX(len) (((len) / 3 + 1) * 4 + 4)
/* Output bytes that fs_b64_encoder_close() may write. */
#define FS_B64_ENCODE_CLOSE_MAX 4
/* Output bytes needed to decode len input characters in one step. */
#define FS_B64_DECODE_STEP_MAX(len) (((len) / 4 + 1) * 3)

void  fs_b64_encoder_init  (FsB64Encoder *enc);
gsize fs_b64_encoder_step  (FsB64Encoder *enc, const guint8 *in, gsize len, char *out);
gsize fs_b64_encoder_close (FsB64Encoder *enc, char *out);

typedef struct {
  guint32 bits;     /* sextets of the current quantum */
  guint   nchars;   /* characters of the current quantum, 0..3 */
  guint   npad;     /* '=' seen; once non-zero only '=' and space may follow */
  guint64 decoded;  /* bytes produced so far */
} FsB64Decoder;

void     fs_b64_decoder_init   (FsB64Decoder *dec);
/* Decodes len characters into out (room for FS_B64_DECODE_STEP_MAX(len)),
 * setting *out_len. On bad input returns FALSE with FS_ERROR_BAD_BASE64. */
gboolean fs_b64_decoder_step   (FsB64Decoder *dec, const char *in, gsize len,
                                guint8 *out, gsize *out_len, GError **error);
/* Checks that the input ended on a quantum boundary. */
gboolean fs_b64_decoder_finish (FsB64Decoder *dec, GError **error);

/* The implementations this machine can run, scalar first: a static
 * NULL-terminated list. */
const char *const *fs_b64_implementations (void);
/* The one in use: FILESTORM_BASE64's choice, or the best the CPU has. */
const char        *fs_b64_implementation  (void);
/* Switches every encoder and decoder to name ("auto" for the best) from
 * their next step; FS_ERROR_USAGE when it is unknown or not supported.
 * Not thread-safe: for tests and benchmarks, before the work starts. */
gboolean           fs_b64_use             (const char *name, GError **error);
/* FALSE with FS_ERROR_USAGE when FILESTORM_BASE64 names an implementation
 * that is unknown or unsupported; the best one is used meanwhile. */
gboolean           fs_b64_check_environment (GError **error);

G_END_DECLS
