/* protocol-strings.c: the awkward strings that test-protocol and
 * test-protocol-frames both feed the protocol (see protocol-strings.h). */
#include "config.h"

#include "protocol-strings.h"

/* Strings a file name or a message may hold, to check JSON escaping. */
const char *const ps_awkward[] = {
  "plain.bin",
  "a b.txt",
  "quote\"inside",
  "\"",
  "back\\slash",
  "\\",
  "\\\"",
  "h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93 \xf0\x9f\x98\x80",
  "slash/inside",
  "</script>",
  "tab\there",
  "cr\rlf\nboth",
  "\r\n\r\n",
  "x\r\n\r\ny",
  "\r\n",
  "ctl\x01\x02\x1f\x7f",
  "\xe2\x80\xa8 line separator",
  "",
};

const gsize ps_n_awkward = G_N_ELEMENTS (ps_awkward);

/* A control character as the rules for names count them: C0, DEL, C1. */
gboolean
ps_has_control (const char *s)
{
  for (; *s != '\0'; s++)
    if (g_ascii_iscntrl (*s) || (s[0] == '\xc2' && (guchar) s[1] >= 0x80 && (guchar) s[1] <= 0x9f))
      return TRUE;
  return FALSE;
}
