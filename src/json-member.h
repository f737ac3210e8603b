/* json-member.h: typed reads of a JSON object's members that never warn.
 *
 * json-glib's json_object_get_*_member() log a critical for a member of
 * another type; an answer from a server, or a program's output, may have
 * one. These say "none" instead. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The member name of obj if it is a string, else NULL. */
const char *fs_json_string (JsonObject *obj, const char *name);
/* The member name of obj as a number (whole or not), else 0. */
double      fs_json_double (JsonObject *obj, const char *name);

G_END_DECLS
