/* base64-check.c: what test-base64 and test-base64-decode share (see
 * base64-check.h). */
#include "config.h"

#include <string.h>

#include "base64-check.h"

guint8 *
bc_random_bytes (GRand *rand, gsize len)
{
  guint8 *data = g_malloc (len + 1);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  return data;
}

void
bc_check_canary (const guint8 *canary)
{
  for (gsize i = 0; i < CANARY_LEN; i++)
    g_assert_cmphex (canary[i], ==, CANARY_BYTE);
}

/* Encodes data cut at the given offsets (sorted, each <= len) and returns
 * the text (owned, NUL-terminated). Each step gets a buffer of exactly
 * FS_B64_ENCODE_STEP_MAX bytes and the close one of exactly
 * FS_B64_ENCODE_CLOSE_MAX bytes. */
char *
bc_encode_pieces (const guint8 *data, gsize len, const gsize *cuts, gsize ncuts)
{
  FsB64Encoder enc;
  GString *text = g_string_new (NULL);
  gsize start = 0;

  fs_b64_encoder_init (&enc);
  for (gsize i = 0; i <= ncuts; i++)
    {
      gsize end = i < ncuts ? cuts[i] : len;
      gsize max = FS_B64_ENCODE_STEP_MAX (end - start);
      g_autofree guint8 *out = g_malloc (max + CANARY_LEN);
      gsize n;

      g_assert_cmpuint (end, >=, start);
      memset (out + max, CANARY_BYTE, CANARY_LEN);
      n = fs_b64_encoder_step (&enc, data + start, end - start, (char *) out);
      g_assert_cmpuint (n, <=, max);
      bc_check_canary (out + max);
      g_string_append_len (text, (const char *) out, n);
      start = end;
    }

  {
    guint8 out[FS_B64_ENCODE_CLOSE_MAX + CANARY_LEN];
    gsize n;

    memset (out + FS_B64_ENCODE_CLOSE_MAX, CANARY_BYTE, CANARY_LEN);
    n = fs_b64_encoder_close (&enc, (char *) out);
    g_assert_cmpuint (n, <=, FS_B64_ENCODE_CLOSE_MAX);
    bc_check_canary (out + FS_B64_ENCODE_CLOSE_MAX);
    g_string_append_len (text, (const char *) out, n);
  }

  return g_string_free (text, FALSE);
}

/* Runs a test with one implementation chosen. */
static void
run_with (gconstpointer data)
{
  const BcPerImpl *p = data;

  g_assert_true (fs_b64_use (p->impl, NULL));
  p->func ();
  g_assert_cmpstr (fs_b64_implementation (), ==, p->impl);
}

BcPerImpl *
bc_add_per_impl (const BcCase *suite, gsize n)
{
  const char *const *impls = fs_b64_implementations ();
  BcPerImpl *runs = g_new (BcPerImpl, g_strv_length ((char **) impls) * n);
  gsize nruns = 0;

  for (gsize i = 0; impls[i] != NULL; i++)
    for (gsize t = 0; t < n; t++)
      {
        g_autofree char *path = g_strdup_printf ("/base64/%s/%s", impls[i], suite[t].path);

        runs[nruns] = (BcPerImpl) { impls[i], suite[t].func };
        g_test_add_data_func (path, &runs[nruns++], run_with);
      }
  return runs;
}
