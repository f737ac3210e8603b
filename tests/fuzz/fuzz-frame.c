/* fuzz-frame.c: the client's frame scanner (src/wire/frame.c), which reads
 * every byte a server sends before json-glib sees any. The input is used
 * as it comes, nesting however deep it likes: the scanner must refuse
 * what is too deep, too large or not UTF-8, and never crash or let
 * json-glib recurse past FS_FRAME_MAX_DEPTH. The first byte picks the
 * piece size and the bound; data_file is streamed to a sink, as in a
 * GET. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "fuzz.h"

/* The bound on what the scanner keeps: small, so that fuzzing inputs
 * reach it, or large, so that they reach json-glib however deep they
 * nest (a 100,000-level seed overflowed its stack before the depth
 * bound). The first byte's top bit picks one. */
#define SMALL_KEPT 4096
#define LARGE_KEPT (1024 * 1024)

static gboolean
sink (const char *data, gsize len, gpointer user_data, GError **error)
{
  gsize *total = user_data;

  *total += len;
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(FsFrameScanner) scanner = NULL;
  gsize streamed = 0;
  gsize piece;

  if (size == 0)
    return 0;
  piece = (gsize) (data[0] & 0x7f) + 1;
  scanner = fs_frame_scanner_new ((size & 1) ? "data_file" : NULL, sink, &streamed,
                                  (data[0] & 0x80) ? LARGE_KEPT : SMALL_KEPT);
  data++;
  size--;
  for (gsize pos = 0; pos < size;)
    {
      gsize n = MIN (piece, size - pos), consumed = 0;
      gboolean done = FALSE;
      g_autoptr(GError) error = NULL;

      if (!fs_frame_scanner_feed (scanner, data + pos, n, &consumed, &done, &error))
        {
          FUZZ_CHECK (error != NULL);
          return 0;
        }
      FUZZ_CHECK (consumed <= n);
      if (done)
        {
          JsonObject *object = fs_frame_scanner_object (scanner);

          FUZZ_CHECK (object != NULL);
          (void) json_object_get_size (object);
          return 0;
        }
      FUZZ_CHECK (consumed == n);
      pos += n;
    }
  return 0;
}
