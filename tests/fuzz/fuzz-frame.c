/* fuzz-frame.c: the client's frame scanner (src/frame.c), which reads
 * every byte a server sends before json-glib sees any. The input is used
 * as it comes, nesting however deep it likes: the scanner must refuse
 * what is too deep, too large or not UTF-8, and never crash or let
 * json-glib recurse past FS_FRAME_MAX_DEPTH. The first byte picks the
 * piece size; data_file is streamed to a sink, as in a GET. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "fuzz.h"

/* Small enough that the size bound is reached within fuzzing inputs. */
#define MAX_KEPT (64 * 1024)

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  FUZZ_INIT_GLIB ();
  return 0;
}

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
  piece = (gsize) data[0] + 1;
  data++;
  size--;
  scanner = fs_frame_scanner_new ((size & 1) ? "data_file" : NULL, sink, &streamed, MAX_KEPT);
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
