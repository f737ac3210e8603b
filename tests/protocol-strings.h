/* protocol-strings.h: what test-protocol and test-protocol-frames share:
 * strings a file name or a message may hold, to check quoting and JSON
 * escaping, and the rule for control characters in names. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The awkward strings, ps_n_awkward of them. */
extern const char *const ps_awkward[];
extern const gsize ps_n_awkward;

/* A control character as the rules for names count them: C0, DEL, C1. */
gboolean ps_has_control (const char *s);

G_END_DECLS
