/* options.h: parsing a program's command line, the same in every
 * program: an unknown option says what to try instead. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* g_option_context_parse(), except that an unknown option's message
 * ends "(try --help)" and, when a known long option is near it (a
 * letter or two apart, a prefix, or a usual name for it such as
 * --threads for --pool), also asks "did you mean --X?". */
gboolean fs_option_parse (GOptionContext *context, int *argc, char ***argv, GError **error);

/* The known long option nearest to name (without "--"), or NULL: what
 * fs_option_parse() suggests. known is the program's long options. */
const char *fs_option_nearest (const char *name, const char *const *known);

G_END_DECLS
