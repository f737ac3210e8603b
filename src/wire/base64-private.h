/* base64-private.h: the block kernels behind src/base64.c.
 *
 * A kernel works on whole blocks only and never on a partial quantum:
 * - encode_blocks() encodes as many whole blocks of its width from in as
 *   it can without reading past in + len, and returns the input bytes it
 *   consumed (a multiple of 3; out receives 4/3 as many characters);
 * - decode_blocks() decodes whole blocks of characters while every
 *   character of a block is in the alphabet, and returns the characters
 *   consumed (a multiple of 4; out receives 3/4 as many bytes). It stops
 *   before the first block holding anything else, white space, padding or
 *   a bad byte alike, and the scalar code in base64.c takes it from there,
 *   so every implementation accepts and refuses exactly the same input,
 *   with the same message. It writes no byte beyond those it produces. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *name;
  gsize (*encode_blocks) (const guint8 *in, gsize len, char *out);
  gsize (*decode_blocks) (const guint8 *in, gsize len, guint8 *out);
} FsB64Kernels;

/* The x86 kernels (src/base64-x86.c), best first, each with its CPU
 * check; an empty list where they are not compiled. */
typedef struct {
  FsB64Kernels kernels;
  gboolean (*supported) (void);
} FsB64Candidate;

extern const FsB64Candidate fs_b64_simd_candidates[];
extern const gsize fs_b64_simd_ncandidates;

G_END_DECLS
