/* json-member.c: typed reads of a JSON object's members that never warn. */
#include "config.h"

#include "json-member.h"

#include "frame.h"

G_STATIC_ASSERT (FS_JSON_MAX_DEPTH == FS_FRAME_MAX_DEPTH);

/* A scalar member, or NULL: not there, null, an object or an array. */
static JsonNode *
value_member (JsonObject *obj, const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? node : NULL;
}

const char *
fs_json_string (JsonObject *obj, const char *name)
{
  JsonNode *node = value_member (obj, name);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

double
fs_json_double (JsonObject *obj, const char *name)
{
  JsonNode *node = value_member (obj, name);

  return node != NULL ? json_node_get_double (node) : 0;
}

gboolean
fs_json_depth_within (const char *data, gsize len, guint max_depth)
{
  gboolean in_string = FALSE, escape = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escape)
            escape = FALSE;
          else if (c == '\\')
            escape = TRUE;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      /* An unbalanced closer is json-glib's to refuse; it must not wrap. */
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }
  return TRUE;
}
