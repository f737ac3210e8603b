/* report-check.h: reading what filestorm-report writes, for the tests:
 * the page as XML (its tables' cells), an SVG's plotted lines, a PNG
 * decoded as far as its pixel rows. Each fails the test when the file
 * is not what it claims to be. */
#pragma once

#include <glib.h>

/* What GMarkup finds in the page (which is also well-formed XML). */
typedef struct {
  guint      svgs;
  /* The scenario table: per cell with data-figure, "index figure value
   * text" (value empty when the cell has none). */
  GPtrArray *cells;
  GPtrArray *ratios;     /* the ratio cells' texts */
  gboolean   in_table;
  char      *row;        /* the data-index of the row being read */
  char      *figure;     /* of the cell being read */
  char      *value;
  GString   *text;
  gboolean   in_ratio;
} FrPage;

char       *fr_read_text (const char *path);
void        fr_page_read (FrPage *p, const char *path);
void        fr_page_clear (FrPage *p);
GHashTable *fr_svg_lines (const char *path);
void        fr_check_png (const char *path);
