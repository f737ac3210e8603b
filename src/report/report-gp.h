/* report-gp.h: writing gnuplot scripts and data for filestorm-report's
 * charts (report-charts.c, report-bars.c). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FS_GP_N_COLOURS 8
extern const char *const fs_gp_colours[FS_GP_N_COLOURS];

/* How a server model's lines look, the same in every chart: its dash
 * type (thread solid, process dashed, event dash-dot) and point type
 * (thread a circle, process a triangle, event a square); mode is an
 * FsMode. */
int      fs_gp_mode_dash  (int mode);
int      fs_gp_mode_point (int mode);

/* A number, locale-independent, to six significant digits. */
void     fs_gp_number      (GString *s, double v);
/* A gnuplot string literal, and a string field of a data file: each
 * stands for itself in gnuplot's enhanced text, and makes well-formed
 * XML in its SVG (no "]]>"). */
void     fs_gp_quoted      (GString *s, const char *text);
void     fs_gp_data_string (GString *s, const char *text);
/* dir/NAME.EXT holding text; FS_REPORT_ERROR_OUTPUT on failure. */
gboolean fs_gp_write_file  (const char *dir, const char *name, const char *ext, GString *text,
                            GError **error);
/* The head of NAME.gp: what it is, and the loop that draws NAME.svg and
 * NAME.png of width x height pixels; fs_gp_end_script() closes it. */
void     fs_gp_begin_script (GString *gp, const char *name, const char *what,
                             const char *source, guint width, guint height);
void     fs_gp_end_script   (GString *gp, gboolean multiplot);

G_END_DECLS
