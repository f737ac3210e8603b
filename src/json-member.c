/* json-member.c: typed reads of a JSON object's members that never warn. */
#include "config.h"

#include "json-member.h"

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
