/* json-member.h: typed reads of a JSON object's members that never warn.
 *
 * json-glib's json_object_get_*_member() log a critical for a member of
 * another type; an answer from a server, or a program's output, may have
 * one. These say "none" instead. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The deepest nesting of objects and arrays any JSON we parse may have:
 * json-glib recurses once per level, so a deeper document could run it
 * out of stack. The same bound as a server's answers (FS_FRAME_MAX_DEPTH). */
#define FS_JSON_MAX_DEPTH 64

/* Whether the JSON text in data (len bytes) nests objects and arrays at
 * most max_depth deep, brackets inside strings not counting. Says nothing
 * else about the text: json-glib checks the rest. Meant to run before
 * json-glib sees text from a file or a peer. */
gboolean    fs_json_depth_within (const char *data, gsize len, guint max_depth);

/* The member name of obj if it is a string, else NULL. */
const char *fs_json_string (JsonObject *obj, const char *name);
/* The member name of obj as a number (whole or not), else 0. */
double      fs_json_double (JsonObject *obj, const char *name);

G_END_DECLS
