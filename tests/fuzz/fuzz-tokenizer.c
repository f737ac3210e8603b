/* fuzz-tokenizer.c: the request-line tokenizer (src/wire/protocol.c) on any
 * bytes. Besides not crashing: what it splits, quoted back with
 * fs_protocol_quote() (as the client builds its requests), splits into
 * the same arguments, unless an argument holds a control character, which
 * fs_protocol_quote() refuses; a quoted argument holds no line end;
 * fs_protocol_printable() never holds a control character; and
 * fs_protocol_upload_head() says yes only to a line whose first two
 * tokens are UPLOAD and a name. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "fuzz.h"
#include "protocol.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *line = (const char *) data;
  g_auto(GStrv) args = NULL;
  g_autoptr(GError) error = NULL;
  gboolean head = fs_protocol_upload_head (line, size);

  if (!fs_protocol_tokenize (line, size, &args, &error))
    {
      FUZZ_CHECK (error != NULL && error->domain != 0);
      return 0;
    }
  FUZZ_CHECK (error == NULL);
  if (args[0] != NULL)
    (void) fs_protocol_command (args[0]);
  if (head)
    FUZZ_CHECK (args[0] != NULL && g_ascii_strcasecmp (args[0], "UPLOAD") == 0
                && args[1] != NULL && args[2] != NULL);

  /* A NUL inside a token would end its C string early: the session
   * refuses such lines before it tokenizes them. */
  if (memchr (line, '\0', size) == NULL)
    {
      g_autoptr(GString) again = g_string_new (NULL);
      g_auto(GStrv) back = NULL;
      gboolean sendable = TRUE;

      for (gsize i = 0; args[i] != NULL; i++)
        {
          g_autoptr(GError) refused = NULL;
          g_autofree char *quoted = fs_protocol_quote (args[i], &refused);
          g_autofree char *shown = fs_protocol_printable (args[i]);

          for (const char *p = shown; *p != '\0'; p++)
            FUZZ_CHECK (!g_ascii_iscntrl (*p));
          if (quoted == NULL)
            {
              FUZZ_CHECK (g_error_matches (refused, FS_ERROR, FS_ERROR_BAD_NAME));
              sendable = FALSE;
              continue;
            }
          FUZZ_CHECK (strpbrk (quoted, "\r\n") == NULL);
          g_string_append_printf (again, "%s%s", i > 0 ? " " : "", quoted);
        }
      if (!sendable)
        return 0;
      FUZZ_CHECK (fs_protocol_tokenize (again->str, again->len, &back, NULL));
      FUZZ_CHECK (g_strv_equal ((const char * const *) args, (const char * const *) back));
    }
  return 0;
}
