/* gnuplot.h: running gnuplot on a script, as a subprocess. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The gnuplot to run: $FILESTORM_GNUPLOT when set (a path or a name on
 * PATH), else "gnuplot" on PATH. NULL (owned) when there is none. */
char    *fs_gnuplot_find (void);

/* Runs gnuplot on script (a file name in dir) with dir as its working
 * directory, and checks that it wrote every file of outputs there
 * (NULL-terminated names). On failure the error holds gnuplot's first
 * line of complaint. */
gboolean fs_gnuplot_run  (const char *gnuplot, const char *dir, const char *script,
                          const char *const *outputs, GError **error);

G_END_DECLS
