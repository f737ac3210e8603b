/* protocol.c: request-line tokenizer, command table and response frames. */
#include "config.h"

#include "protocol.h"

#include <string.h>

#include "errors.h"

static const struct {
  const char *word;
  FsCommand   command;
} commands[] = {
  { "LIST", FS_CMD_LIST },
  { "GET", FS_CMD_GET },
  { "UPLOAD", FS_CMD_UPLOAD },
  { "DELETE", FS_CMD_DELETE },
  { "STATS", FS_CMD_STATS },
  { "GETRAW", FS_CMD_GETRAW },
  { "UPLOADRAW", FS_CMD_UPLOADRAW },
};

FsCommand
fs_protocol_command (const char *word)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_ascii_strcasecmp (word, commands[i].word) == 0)
      return commands[i].command;
  return FS_CMD_UNKNOWN;
}

static inline gboolean
is_space (char c)
{
  return c == ' ' || c == '\t';
}

gsize
fs_protocol_skip_space (const char *line, gsize len, gsize pos)
{
  while (pos < len && is_space (line[pos]))
    pos++;
  return pos;
}

gboolean
fs_protocol_next_token (const char *line, gsize len, gsize *pos,
                        char **token, GError **error)
{
  gsize i = fs_protocol_skip_space (line, len, *pos);
  g_autoptr(GString) out = NULL;

  *token = NULL;
  if (i >= len)
    {
      *pos = i;
      return FALSE;
    }

  out = g_string_new (NULL);
  while (i < len && !is_space (line[i]))
    {
      char c = line[i++];

      if (c == '\'')
        {
          const char *close = memchr (line + i, '\'', len - i);
          if (close == NULL)
            {
              g_set_error_literal (error, FS_ERROR, FS_ERROR_PROTOCOL,
                                   "unterminated single quote");
              return FALSE;
            }
          g_string_append_len (out, line + i, close - (line + i));
          i = (gsize) (close - line) + 1;
        }
      else if (c == '"')
        {
          for (;;)
            {
              if (i >= len)
                {
                  g_set_error_literal (error, FS_ERROR, FS_ERROR_PROTOCOL,
                                       "unterminated double quote");
                  return FALSE;
                }
              c = line[i++];
              if (c == '"')
                break;
              if (c == '\\' && i < len && (line[i] == '"' || line[i] == '\\'))
                c = line[i++];
              g_string_append_c (out, c);
            }
        }
      else if (c == '\\')
        {
          if (i >= len)
            {
              g_set_error_literal (error, FS_ERROR, FS_ERROR_PROTOCOL,
                                   "trailing backslash");
              return FALSE;
            }
          g_string_append_c (out, line[i++]);
        }
      else
        g_string_append_c (out, c);
    }

  *pos = i;
  *token = g_string_free (g_steal_pointer (&out), FALSE);
  return TRUE;
}

gboolean
fs_protocol_upload_head (const char *line, gsize len)
{
  static const char word[] = "UPLOAD";
  g_autofree char *name = NULL;
  gsize pos = fs_protocol_skip_space (line, len, 0);

  /* Only the start of the line is looked at, so that a name trickled in
   * a byte at a time costs linear work, not quadratic: a valid name (255
   * bytes, at most twice that quoted and escaped) with its command word
   * and separators fits well within it. A longer head is still served
   * once the buffer is full. */
  len = MIN (len, FS_PROTOCOL_HEAD_MAX);
  /* A cheap test first: this runs whenever a line has not ended yet. */
  if (len - pos <= strlen (word) || g_ascii_strncasecmp (line + pos, word, strlen (word)) != 0
      || !is_space (line[pos + strlen (word)]))
    return FALSE;
  pos += strlen (word);
  /* The name ends where a space follows it; at the end of what has
   * arrived it may still go on. */
  if (!fs_protocol_next_token (line, len, &pos, &name, NULL) || pos >= len)
    return FALSE;
  return fs_protocol_skip_space (line, len, pos) < len;
}

gboolean
fs_protocol_tokenize (const char *line, gsize len, GStrv *argv, GError **error)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local = NULL;
  gsize pos = 0;
  char *token;

  while (fs_protocol_next_token (line, len, &pos, &token, &local))
    g_ptr_array_add (args, token);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_ptr_array_add (args, NULL);
  *argv = (GStrv) g_ptr_array_free (g_steal_pointer (&args), FALSE);
  return TRUE;
}

GString *
fs_protocol_frame (JsonNode *object)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  GString *frame = g_string_sized_new (128);

  json_generator_set_root (gen, object);
  json_generator_to_gstring (gen, frame);
  g_string_append_len (frame, FS_FRAME_END, FS_FRAME_END_LEN);
  return frame;
}

static GString *
status_frame (const char *status, const char *key, const char *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, status);
  json_builder_set_member_name (b, key);
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return fs_protocol_frame (root);
}

GString *
fs_protocol_error_frame (const char *message)
{
  return status_frame ("ERROR", "data", message);
}

GString *
fs_protocol_ok_message_frame (const char *message)
{
  return status_frame ("OK", "message", message);
}

GString *
fs_protocol_upload_frame (const char *stored_name, guint64 size)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "OK");
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, "File uploaded successfully");
  json_builder_set_member_name (b, "data");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file_path");
  json_builder_add_string_value (b, stored_name);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, (gint64) size);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return fs_protocol_frame (root);
}

GString *
fs_protocol_getraw_frame (const char *name, guint64 size)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "OK");
  json_builder_set_member_name (b, "data_namafile");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, (gint64) size);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return fs_protocol_frame (root);
}

GString *
fs_protocol_list_frame (const char * const *names)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "OK");
  json_builder_set_member_name (b, "data");
  json_builder_begin_array (b);
  for (gsize i = 0; names[i] != NULL; i++)
    json_builder_add_string_value (b, names[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return fs_protocol_frame (root);
}

char *
fs_protocol_json_string (const char *text)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

GString *
fs_protocol_get_frame_head (const char *name)
{
  g_autofree char *quoted = fs_protocol_json_string (name);
  GString *head = g_string_sized_new (64 + strlen (quoted));

  g_string_append (head, "{\"status\":\"OK\",\"data_namafile\":");
  g_string_append (head, quoted);
  g_string_append (head, ",\"data_file\":\"");
  return head;
}

/* The first control character of text (U+0001..U+001F, U+007F..U+009F:
 * the ones that the rules for names forbid), or 0. The C1 ones are looked
 * for as UTF-8 too: a server that decodes its lines may end one at U+0085. */
static gunichar
first_control (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p < 0x20 || *p == 0x7f)
        return *p;
      if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
        return p[1];
    }
  return 0;
}

gboolean
fs_protocol_check_arg (const char *arg, GError **error)
{
  gunichar bad = first_control (arg);
  g_autofree char *shown = NULL;

  if (bad == 0)
    return TRUE;
  shown = fs_protocol_printable (arg);
  g_set_error (error, FS_ERROR, FS_ERROR_BAD_NAME,
               "the name \"%s\" holds a control character (U+%04X), which no request "
               "line can carry", shown, (guint) bad);
  return FALSE;
}

char *
fs_protocol_quote (const char *arg, GError **error)
{
  GString *out;

  if (!fs_protocol_check_arg (arg, error))
    return NULL;
  if (*arg != '\0' && strpbrk (arg, " \"'\\") == NULL)
    return g_strdup (arg);
  out = g_string_new ("\"");
  for (const char *p = arg; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* Whether people may see c as it is: not a control or format character
 * (bidirectional overrides included), nor one that ends a line. */
static gboolean
shows_as_itself (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return g_unichar_isprint (c) && type != G_UNICODE_LINE_SEPARATOR
         && type != G_UNICODE_PARAGRAPH_SEPARATOR;
}

/* quoting: backslashes and double quotes are escaped too, so that the
 * result can stand between quotes and be read back. Under a locale whose
 * character set is not UTF-8 (LANG unset: ASCII), g_printerr() would turn
 * every other character into "?", so they are escaped as \u00e9 (\U for
 * those beyond U+FFFF), which any terminal shows and a reader can decode. */
static char *
printable (const char *text, gboolean quoting)
{
  const char *p = text, *end = text + strlen (text);
  GString *out = g_string_sized_new ((gsize) (end - text) + 8);
  gboolean ascii = !g_get_charset (NULL);

  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      gboolean valid = c != (gunichar) -1 && c != (gunichar) -2;
      const char *next = valid ? g_utf8_next_char (p) : p + 1;

      if (quoting && (c == '\\' || c == '"'))
        g_string_append_printf (out, "\\%c", (char) c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (valid && shows_as_itself (c) && ascii && c > 0x7f)
        g_string_append_printf (out, c > 0xffff ? "\\U%08x" : "\\u%04x", (guint) c);
      else if (valid && shows_as_itself (c))
        g_string_append_len (out, p, next - p);
      else
        for (const char *q = p; q < next; q++)
          g_string_append_printf (out, "\\x%02x", (guint) (guchar) *q);
      p = next;
    }
  return g_string_free (out, FALSE);
}

char *
fs_protocol_printable (const char *text)
{
  return printable (text, TRUE);
}

char *
fs_protocol_printable_text (const char *text)
{
  return printable (text, FALSE);
}
