/* report-gp.c: writing gnuplot scripts and data for filestorm-report. */
#include "config.h"

#include "report-gp.h"

#include <string.h>

#include "report-data.h"

/* Colours for server pools (or runs, in comparisons), told apart by
 * people with the common colour blindnesses (Okabe and Ito). */
const char *const fs_gp_colours[FS_GP_N_COLOURS] = {
  "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000",
};

int
fs_gp_mode_dash (int mode)
{
  static const int dash[] = { 1, 2, 4 };

  return mode >= 0 && mode < (int) G_N_ELEMENTS (dash) ? dash[mode] : 1;
}

int
fs_gp_mode_point (int mode)
{
  static const int point[] = { 7, 9, 5 };

  return mode >= 0 && mode < (int) G_N_ELEMENTS (point) ? point[mode] : 7;
}

void
fs_gp_number (GString *s, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.6g", v));
}

/* "]]>" may not stand in XML text, and gnuplot's SVG terminal escapes
 * < and & but writes > as it is: a zero-width space (U+200B) between
 * "]]" and ">" keeps the page well-formed and the text's look, in the SVG
 * and the PNG alike. */
static void
break_cdata_end (GString *s, const char *text, const char *p)
{
  if (*p == '>' && p - text >= 2 && p[-1] == ']' && p[-2] == ']')
    g_string_append (s, "\xe2\x80\x8b");
}

/* A gnuplot string: single quotes, in which only ' needs doubling. */
void
fs_gp_quoted (GString *s, const char *text)
{
  g_string_append_c (s, '\'');
  for (const char *p = text; *p; p++)
    {
      /* The terminals are enhanced (their SVG then names each line by its
       * title, which the tests look for), so the characters of enhanced
       * text are escaped to stand for themselves. */
      if (strchr ("^_@&~{}\\", *p) != NULL)
        g_string_append_c (s, '\\');
      if (*p == '\'')
        g_string_append_c (s, '\'');
      break_cdata_end (s, text, p);
      /* No control character: a line end would end the string. */
      g_string_append_c (s, g_ascii_iscntrl (*p) ? ' ' : *p);
    }
  g_string_append_c (s, '\'');
}

/* A string in a data file: double quotes, which gnuplot's data reader
 * takes whole; a double quote inside becomes a single one. */
void
fs_gp_data_string (GString *s, const char *text)
{
  g_string_append_c (s, '"');
  for (const char *p = text; *p; p++)
    {
      break_cdata_end (s, text, p);
      g_string_append_c (s, *p == '"' ? '\'' : g_ascii_iscntrl (*p) ? ' ' : *p);
    }
  g_string_append_c (s, '"');
}

gboolean
fs_gp_write_file (const char *dir, const char *name, const char *ext, GString *text,
                  GError **error)
{
  g_autofree char *file = g_strconcat (name, ext, NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GError) local = NULL;

  if (!g_file_set_contents (path, text->str, (gssize) text->len, &local))
    {
      g_set_error (error, FS_REPORT_ERROR, FS_REPORT_ERROR_OUTPUT, "%s", local->message);
      return FALSE;
    }
  return TRUE;
}

/* The script's head: what it is, and the loop over the two outputs. */
void
fs_gp_begin_script (GString *gp, const char *name, const char *what, const char *source,
              guint width, guint height)
{
  /* The SVG's name prefixes its ids, and gnuplot takes only [A-Za-z0-9_]. */
  g_autofree char *id = g_strdelimit (g_strdup (name), "-", '_');

  g_string_append_printf (gp,
    "# %s.gp: %s\n"
    "# Written by filestorm-report from %s; the numbers are in %s.dat.\n"
    "# Run 'gnuplot %s.gp' in this directory to draw %s.svg and %s.png again.\n"
    "set encoding utf8\n"
    "do for [format in \"svg png\"] {\n"
    "reset\n"
    "if (format eq \"svg\") {\n"
    "  set terminal svg name \"%s\" size %u,%u dynamic enhanced font \"sans,12\" "
    "background \"white\"\n"
    "  set output \"%s.svg\"\n"
    "} else {\n"
    "  set terminal pngcairo size %u,%u enhanced font \"sans,11\" background \"white\"\n"
    "  set output \"%s.png\"\n"
    "}\n",
    name, what, source, name, name, name, name, id, width, height, name, width, height, name);
}

void
fs_gp_end_script (GString *gp, gboolean multiplot)
{
  if (multiplot)
    g_string_append (gp, "unset multiplot\n");
  g_string_append (gp, "set output\n}\n");
}

