/* base64-check.h: what test-base64 and test-base64-decode share: bounds
 * checks on output buffers, the encoder fed in pieces, and the suites run
 * once per implementation. */
#pragma once

#include <glib.h>

#include "base64.h"

G_BEGIN_DECLS

/* Canary bytes after every output buffer: a step that writes more than its
 * documented maximum is caught even without a memory checker. */
#define CANARY_LEN 16
#define CANARY_BYTE 0xa5

/* len bytes from rand (owned; one spare byte at the end). */
guint8 *bc_random_bytes (GRand *rand, gsize len);
/* Asserts the CANARY_LEN bytes at canary are all CANARY_BYTE. */
void    bc_check_canary (const guint8 *canary);
/* Encodes data cut at the given offsets (sorted, each <= len) and returns
 * the text (owned, NUL-terminated). Each step gets a buffer of exactly
 * FS_B64_ENCODE_STEP_MAX bytes and the close one of exactly
 * FS_B64_ENCODE_CLOSE_MAX bytes. */
char   *bc_encode_pieces (const guint8 *data, gsize len, const gsize *cuts, gsize ncuts);

typedef struct {
  const char *path;   /* below /base64/IMPL/ */
  GTestFunc   func;
} BcCase;

typedef struct {
  const char *impl;
  GTestFunc   func;
} BcPerImpl;

/* Adds every case of suite once per implementation this machine runs, as
 * /base64/IMPL/PATH, run with that implementation chosen. Returns what
 * the cases point to (owned): free it after g_test_run(). */
BcPerImpl *bc_add_per_impl (const BcCase *suite, gsize n);

G_END_DECLS
