/* frame.c: a streaming reader of one response frame; see frame.h. */
#include "config.h"

#include "frame.h"

#include <string.h>

#include "errors.h"

typedef enum {
  ST_START,          /* before the '{' */
  ST_KEY_OR_END,     /* after '{' or ',' */
  ST_KEY,            /* inside a member name */
  ST_KEY_ESCAPE,
  ST_COLON,
  ST_VALUE,          /* before a value */
  ST_RAW,            /* inside a kept value */
  ST_STREAM,         /* inside the streamed string */
  ST_STREAM_ESCAPE,
  ST_AFTER_VALUE,    /* before ',' or '}' */
  ST_TERMINATOR,     /* after the final '}' */
  ST_DONE,
} State;

struct _FsFrameScanner {
  char             *stream_member; /* (owned) (nullable) */
  FsFrameStringFunc func;
  gpointer          user_data;
  gsize             max_kept;
  State             state;
  GString          *key;           /* (owned) raw text of the current name */
  GString          *kept;          /* (owned) "{" and the kept members */
  gboolean          any_kept;
  gboolean          streamed;
  /* The kept value being read. */
  guint             depth;
  gboolean          in_string;
  gboolean          escape;
  guint32           last4;         /* the last bytes after the '}' */
  gsize             seen;          /* bytes outside the streamed string */
  JsonObject       *object;        /* (owned) (nullable) */
};

FsFrameScanner *
fs_frame_scanner_new (const char *stream_member, FsFrameStringFunc func,
                      gpointer user_data, gsize max_kept)
{
  FsFrameScanner *s = g_new0 (FsFrameScanner, 1);

  s->stream_member = g_strdup (stream_member);
  s->func = func;
  s->user_data = user_data;
  s->max_kept = max_kept;
  s->key = g_string_new (NULL);
  s->kept = g_string_new ("{");
  return s;
}

void
fs_frame_scanner_free (FsFrameScanner *s)
{
  if (s == NULL)
    return;
  g_free (s->stream_member);
  g_string_free (s->key, TRUE);
  g_string_free (s->kept, TRUE);
  g_clear_pointer (&s->object, json_object_unref);
  g_free (s);
}

JsonObject *
fs_frame_scanner_object (FsFrameScanner *s)
{
  return s->object;
}

gboolean
fs_frame_scanner_streamed (FsFrameScanner *s)
{
  return s->streamed;
}

static inline gboolean
is_ws (guint8 c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static gboolean
malformed (GError **error, const char *what, guint8 c)
{
  if (g_ascii_isprint (c))
    g_set_error (error, FS_ERROR, FS_ERROR_PROTOCOL,
                 "malformed answer from the server: %s, found '%c'", what, c);
  else
    g_set_error (error, FS_ERROR, FS_ERROR_PROTOCOL,
                 "malformed answer from the server: %s, found byte 0x%02x", what, c);
  return FALSE;
}

static gboolean
too_large (FsFrameScanner *s, GError **error)
{
  g_set_error (error, FS_ERROR, FS_ERROR_PROTOCOL,
               "answer from the server larger than %" G_GSIZE_FORMAT " bytes", s->max_kept);
  return FALSE;
}

static gboolean
keep (FsFrameScanner *s, guint8 c, GError **error)
{
  g_string_append_c (s->kept, (char) c);
  if (s->kept->len <= s->max_kept)
    return TRUE;
  return too_large (s, error);
}

static gboolean
finish (FsFrameScanner *s, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;
  JsonNode *root;

  g_string_append_c (s->kept, '}');
  if (!g_utf8_validate_len (s->kept->str, s->kept->len, NULL))
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_PROTOCOL,
                           "malformed answer from the server: not valid UTF-8");
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, s->kept->str, (gssize) s->kept->len, &local))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_PROTOCOL,
                   "malformed answer from the server: %s", local->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_PROTOCOL,
                           "malformed answer from the server: not a JSON object");
      return FALSE;
    }
  s->object = json_object_ref (json_node_get_object (root));
  return TRUE;
}

/* Streams a run of the streamed string up to its next quote or
 * backslash; returns how many bytes it took. */
static gsize
stream_run (FsFrameScanner *s, const guint8 *p, gsize len, GError **error)
{
  const guint8 *quote = memchr (p, '"', len);
  gsize n = quote ? (gsize) (quote - p) : len;
  const guint8 *backslash = memchr (p, '\\', n);

  /* Two memchr() passes, not a loop over bytes: base64 never holds
   * either character, and this is the hot path of every download. */
  if (backslash != NULL)
    n = (gsize) (backslash - p);
  if (n > 0 && !s->func ((const char *) p, n, s->user_data, error))
    return G_MAXSIZE;
  return n;
}

static gboolean
stream_escape (FsFrameScanner *s, guint8 c, GError **error)
{
  char out;

  switch (c)
    {
    case '"': out = '"'; break;
    case '\\': out = '\\'; break;
    case '/': out = '/'; break;
    case 'n': out = '\n'; break;
    case 'r': out = '\r'; break;
    case 't': out = '\t'; break;
    default:
      return malformed (error, "unsupported escape in a streamed string", c);
    }
  return s->func (&out, 1, s->user_data, error);
}

/* One byte of a kept value. Returns FALSE on error; sets *reprocess when
 * the byte ended the value and must be read again in ST_AFTER_VALUE. */
static gboolean
raw_byte (FsFrameScanner *s, guint8 c, gboolean *reprocess, GError **error)
{
  *reprocess = FALSE;
  if (s->in_string)
    {
      if (s->escape)
        s->escape = FALSE;
      else if (c == '\\')
        s->escape = TRUE;
      else if (c == '"')
        {
          s->in_string = FALSE;
          if (s->depth == 0)
            s->state = ST_AFTER_VALUE;
        }
      return keep (s, c, error);
    }
  switch (c)
    {
    case '"':
      s->in_string = TRUE;
      return keep (s, c, error);
    case '{':
    case '[':
      /* depth counts the levels inside this member's value; the frame's
       * own object is one more. */
      if (s->depth + 2 > FS_FRAME_MAX_DEPTH)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_PROTOCOL,
                       "malformed answer from the server: nested deeper than %d levels",
                       FS_FRAME_MAX_DEPTH);
          return FALSE;
        }
      s->depth++;
      return keep (s, c, error);
    case '}':
    case ']':
      if (s->depth == 0)
        break;
      if (--s->depth == 0)
        s->state = ST_AFTER_VALUE;
      return keep (s, c, error);
    case ',':
      if (s->depth > 0)
        return keep (s, c, error);
      break;
    default:
      if (is_ws (c))
        {
          if (s->depth > 0)
            return TRUE;
          break;
        }
      return keep (s, c, error);
    }
  /* A scalar ended: the byte belongs to what follows the value. */
  s->state = ST_AFTER_VALUE;
  *reprocess = TRUE;
  return TRUE;
}

gboolean
fs_frame_scanner_feed (FsFrameScanner *s, const guint8 *data, gsize len,
                       gsize *consumed, gboolean *done, GError **error)
{
  gsize i = 0;

  *done = FALSE;
  while (i < len && s->state != ST_DONE)
    {
      guint8 c = data[i];
      gboolean reprocess = FALSE;

      /* Every byte but the streamed string's counts, white space too: a
       * server must not be able to keep a client reading for ever. */
      if (s->state != ST_STREAM && s->state != ST_STREAM_ESCAPE && ++s->seen > s->max_kept)
        return too_large (s, error);

      switch (s->state)
        {
        case ST_START:
          if (c == '{')
            s->state = ST_KEY_OR_END;
          else if (!is_ws (c))
            return malformed (error, "expected a JSON object", c);
          break;

        case ST_KEY_OR_END:
          if (c == '"')
            {
              g_string_truncate (s->key, 0);
              s->state = ST_KEY;
            }
          else if (c == '}')
            s->state = ST_TERMINATOR;
          else if (!is_ws (c))
            return malformed (error, "expected a member name", c);
          break;

        case ST_KEY:
          if (c == '"')
            s->state = ST_COLON;
          else
            {
              if (c == '\\')
                s->state = ST_KEY_ESCAPE;
              g_string_append_c (s->key, (char) c);
              if (s->key->len > s->max_kept)
                return malformed (error, "member name too long", c);
            }
          break;

        case ST_KEY_ESCAPE:
          g_string_append_c (s->key, (char) c);
          s->state = ST_KEY;
          break;

        case ST_COLON:
          if (c == ':')
            s->state = ST_VALUE;
          else if (!is_ws (c))
            return malformed (error, "expected ':'", c);
          break;

        case ST_VALUE:
          if (is_ws (c))
            break;
          if (c == '"' && s->stream_member != NULL && !s->streamed
              && strcmp (s->key->str, s->stream_member) == 0)
            {
              s->streamed = TRUE;
              s->state = ST_STREAM;
              break;
            }
          if (s->any_kept)
            g_string_append_c (s->kept, ',');
          s->any_kept = TRUE;
          g_string_append_c (s->kept, '"');
          g_string_append_len (s->kept, s->key->str, (gssize) s->key->len);
          g_string_append (s->kept, "\":");
          s->depth = 0;
          s->in_string = FALSE;
          s->escape = FALSE;
          s->state = ST_RAW;
          if (!raw_byte (s, c, &reprocess, error))
            return FALSE;
          if (reprocess)
            return malformed (error, "expected a value", c);
          break;

        case ST_RAW:
          if (!raw_byte (s, c, &reprocess, error))
            return FALSE;
          if (reprocess)
            continue;
          break;

        case ST_STREAM:
          {
            gsize n = stream_run (s, data + i, len - i, error);
            if (n == G_MAXSIZE)
              return FALSE;
            i += n;
            if (i == len)
              continue;
            c = data[i];
            s->state = c == '"' ? ST_AFTER_VALUE : ST_STREAM_ESCAPE;
          }
          break;

        case ST_STREAM_ESCAPE:
          if (!stream_escape (s, c, error))
            return FALSE;
          s->state = ST_STREAM;
          break;

        case ST_AFTER_VALUE:
          if (c == ',')
            s->state = ST_KEY_OR_END;
          else if (c == '}')
            s->state = ST_TERMINATOR;
          else if (!is_ws (c))
            return malformed (error, "expected ',' or '}'", c);
          break;

        case ST_TERMINATOR:
          if (!is_ws (c))
            return malformed (error, "unexpected data after the JSON object", c);
          s->last4 = (s->last4 << 8) | c;
          if (s->last4 == (('\r' << 24) | ('\n' << 16) | ('\r' << 8) | '\n'))
            {
              if (!finish (s, error))
                return FALSE;
              s->state = ST_DONE;
            }
          break;

        case ST_DONE:
        default:
          g_assert_not_reached ();
        }
      i++;
    }

  *consumed = i;
  *done = s->state == ST_DONE;
  return TRUE;
}
