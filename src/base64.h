/* base64.h: streaming base64 (RFC 4648, standard alphabet, padded).
 *
 * Encoding is GLib's g_base64_encode_step() without line breaks, wrapped so
 * that callers size buffers in one place. Decoding is our own: GLib's
 * g_base64_decode_step() silently skips characters outside the alphabet, and
 * the protocol must answer bad base64 with an ERROR, so we need a strict
 * decoder. It skips ASCII white space anywhere (input may be split across
 * lines at any point) and rejects everything else outside the alphabet,
 * misplaced padding and a truncated final quantum. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int state;
  int save;
} FsB64Encoder;

/* Output bytes needed to encode len input bytes in one step. */
#define FS_B64_ENCODE_STEP_MAX(len) (((len) / 3 + 1) * 4 + 4)
/* Output bytes that fs_b64_encoder_close() may write. */
#define FS_B64_ENCODE_CLOSE_MAX 5
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

G_END_DECLS
