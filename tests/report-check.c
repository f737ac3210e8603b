/* report-check.c: see report-check.h. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "report-check.h"
#include "testutil.h"

char *
fr_read_text (const char *path)
{
  char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* ------------------------------------------------------ the page as XML */



static const char *
attr (const char **names, const char **values, const char *name)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (strcmp (names[i], name) == 0)
      return values[i];
  return NULL;
}

static void
page_start (GMarkupParseContext *ctx, const char *element, const char **names,
            const char **values, gpointer data, GError **error)
{
  FrPage *p = data;
  const char *v;

  if (strcmp (element, "svg") == 0)
    p->svgs++;
  if (strcmp (element, "table") == 0 && (v = attr (names, values, "id")) != NULL)
    p->in_table = strcmp (v, "scenario-table") == 0 || strcmp (v, "comparison-table") == 0;
  if (p->in_table && strcmp (element, "tr") == 0 && (v = attr (names, values, "data-index")))
    {
      g_free (p->row);
      p->row = g_strdup (v);
    }
  if (p->in_table && strcmp (element, "td") == 0)
    {
      if ((v = attr (names, values, "data-figure")) != NULL)
        {
          p->figure = g_strdup (v);
          p->value = g_strdup ((v = attr (names, values, "data-value")) ? v : "");
          g_string_truncate (p->text, 0);
        }
      else if (attr (names, values, "data-ratio") != NULL)
        {
          p->in_ratio = TRUE;
          g_string_truncate (p->text, 0);
        }
    }
}

static void
page_end (GMarkupParseContext *ctx, const char *element, gpointer data, GError **error)
{
  FrPage *p = data;

  if (strcmp (element, "table") == 0)
    p->in_table = FALSE;
  if (strcmp (element, "td") == 0 && p->figure != NULL)
    {
      g_ptr_array_add (p->cells, g_strdup_printf ("%s %s %s %s", p->row, p->figure, p->value,
                                                  p->text->str));
      g_clear_pointer (&p->figure, g_free);
      g_clear_pointer (&p->value, g_free);
    }
  if (strcmp (element, "td") == 0 && p->in_ratio)
    {
      g_ptr_array_add (p->ratios, g_strdup_printf ("%s %s", p->row, p->text->str));
      p->in_ratio = FALSE;
    }
}

static void
page_text (GMarkupParseContext *ctx, const char *text, gsize len, gpointer data,
           GError **error)
{
  FrPage *p = data;

  /* Only the cell's own number: the range below it is in a span. */
  if ((p->figure != NULL || p->in_ratio)
      && strcmp (g_markup_parse_context_get_element (ctx), "td") == 0)
    g_string_append_len (p->text, text, (gssize) len);
}

void
fr_page_read (FrPage *p, const char *path)
{
  static const GMarkupParser parser = { page_start, page_end, page_text, NULL, NULL };
  g_autofree char *text = fr_read_text (path);
  g_autoptr(GMarkupParseContext) ctx = NULL;
  g_autoptr(GError) error = NULL;

  memset (p, 0, sizeof *p);
  p->cells = g_ptr_array_new_with_free_func (g_free);
  p->ratios = g_ptr_array_new_with_free_func (g_free);
  p->text = g_string_new (NULL);
  ctx = g_markup_parse_context_new (&parser, 0, p, NULL);
  ft_check (g_markup_parse_context_parse (ctx, text, -1, &error)
            && g_markup_parse_context_end_parse (ctx, &error),
            "%s is not well-formed: %s", path, error ? error->message : "?");
}

void
fr_page_clear (FrPage *p)
{
  g_ptr_array_unref (p->cells);
  g_ptr_array_unref (p->ratios);
  g_string_free (p->text, TRUE);
  g_free (p->row);
}

/* -------------------------------------------------------------- SVGs */

/* The plot groups of an SVG: per title, the panel letters of the groups
 * holding a path with a line (an "L"). */
typedef struct {
  GHashTable *lines;   /* title -> GString of panel letters */
  char        group[64];
  char        letter;
  gboolean    in_title;
  GString    *title;
  gboolean    plotted;
  int         depth, group_depth;
  char        last_letter;
} Svg;

static void
svg_start (GMarkupParseContext *ctx, const char *element, const char **names,
           const char **values, gpointer data, GError **error)
{
  Svg *s = data;
  const char *id = attr (names, values, "id"), *d;

  s->depth++;
  if (strcmp (element, "g") == 0 && id != NULL && strstr (id, "_plot_") != NULL
      && s->group_depth == 0)
    {
      gsize n = strlen (id);

      s->group_depth = s->depth;
      s->letter = g_ascii_isalpha (id[n - 1]) ? id[n - 1] : '?';
      s->last_letter = MAX (s->last_letter, s->letter);
      s->plotted = FALSE;
      g_string_truncate (s->title, 0);
    }
  if (s->group_depth > 0 && strcmp (element, "title") == 0)
    s->in_title = TRUE;
  /* A line is a path with a segment; a bar is a filled polygon. */
  if (s->group_depth > 0 && strcmp (element, "path") == 0
      && (d = attr (names, values, "d")) != NULL && strchr (d, 'L') != NULL)
    s->plotted = TRUE;
  if (s->group_depth > 0 && strcmp (element, "polygon") == 0
      && (d = attr (names, values, "points")) != NULL && strchr (d, ',') != NULL)
    s->plotted = TRUE;
}

static void
svg_end (GMarkupParseContext *ctx, const char *element, gpointer data, GError **error)
{
  Svg *s = data;

  if (strcmp (element, "title") == 0)
    s->in_title = FALSE;
  if (s->group_depth == s->depth && strcmp (element, "g") == 0)
    {
      if (s->plotted)
        {
          GString *letters = g_hash_table_lookup (s->lines, s->title->str);
          if (letters == NULL)
            g_hash_table_insert (s->lines, g_strdup (s->title->str), letters = g_string_new (NULL));
          g_string_append_c (letters, s->letter);
        }
      s->group_depth = 0;
    }
  s->depth--;
}

static void
svg_text (GMarkupParseContext *ctx, const char *text, gsize len, gpointer data, GError **error)
{
  Svg *s = data;

  if (s->in_title)
    g_string_append_len (s->title, text, (gssize) len);
}

static void
string_free (gpointer p)
{
  g_string_free (p, TRUE);
}

/* Parses an SVG (well-formed or the test fails) and returns its lines:
 * title -> letters of the data panels with a plotted path or bar. In a
 * multiplot (panels lettered a, b, ...) the last panel is the key and is
 * left out; a single plot ('?') has its key inside and keeps it. */
GHashTable *
fr_svg_lines (const char *path)
{
  static const GMarkupParser parser = { svg_start, svg_end, svg_text, NULL, NULL };
  g_autofree char *text = fr_read_text (path);
  g_autoptr(GMarkupParseContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  Svg s = { 0 };
  GHashTableIter it;
  gpointer key, value;

  s.lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, string_free);
  s.title = g_string_new (NULL);
  ctx = g_markup_parse_context_new (&parser, 0, &s, NULL);
  ft_check (g_markup_parse_context_parse (ctx, text, -1, &error)
            && g_markup_parse_context_end_parse (ctx, &error),
            "%s is not well-formed: %s", path, error ? error->message : "?");
  g_hash_table_iter_init (&it, s.lines);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      GString *letters = value;
      g_autoptr(GString) kept = g_string_new (NULL);

      for (gsize i = 0; i < letters->len; i++)
        if (s.last_letter == '?' || letters->str[i] != s.last_letter)
          g_string_append_c (kept, letters->str[i]);
      g_string_assign (letters, kept->str);
    }
  g_string_free (s.title, TRUE);
  return s.lines;
}

/* -------------------------------------------------------------- PNGs */

static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static guint32
crc32_of (const guint8 *p, gsize n)
{
  guint32 c = 0xffffffffu;

  for (gsize i = 0; i < n; i++)
    {
      c ^= p[i];
      for (int k = 0; k < 8; k++)
        c = (c >> 1) ^ (0xedb88320u & -(c & 1));
    }
  return c ^ 0xffffffffu;
}

/* Decodes a PNG as far as its pixel rows: the signature, every chunk's
 * CRC, IHDR, the IDAT stream inflated to exactly the size the header
 * says, and rows that are not all alike. */
void
fr_check_png (const char *path)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autofree guint8 *data = NULL;
  gsize len, at = 8;
  guint32 width = 0, height = 0;
  guint bits = 0, colour = 0, channels;
  g_autoptr(GByteArray) idat = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  gboolean ended = FALSE;

  g_file_get_contents (path, (char **) &data, &len, &error);
  g_assert_no_error (error);
  ft_check (len > 8 && memcmp (data, signature, 8) == 0, "%s: no PNG signature", path);
  while (!ended)
    {
      guint32 n;

      ft_check (at + 12 <= len, "%s: truncated at byte %zu", path, at);
      n = be32 (data + at);
      ft_check (at + 12 + n <= len, "%s: chunk past the end", path);
      ft_check (crc32_of (data + at + 4, n + 4) == be32 (data + at + 8 + n),
                "%s: bad CRC in chunk %.4s", path, (const char *) data + at + 4);
      if (memcmp (data + at + 4, "IHDR", 4) == 0)
        {
          width = be32 (data + at + 8);
          height = be32 (data + at + 12);
          bits = data[at + 16];
          colour = data[at + 17];
        }
      else if (memcmp (data + at + 4, "IDAT", 4) == 0)
        g_byte_array_append (idat, data + at + 8, n);
      else if (memcmp (data + at + 4, "IEND", 4) == 0)
        ended = TRUE;
      at += 12 + n;
    }
  ft_check (width >= 300 && height >= 200 && bits == 8, "%s: %ux%u, %u bits", path, width,
            height, bits);
  channels = colour == 2 ? 3 : colour == 6 ? 4 : colour == 0 ? 1 : colour == 4 ? 2 : 1;
  {
    g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
    g_autoptr(GInputStream) raw = g_memory_input_stream_new_from_data (idat->data, idat->len,
                                                                       NULL);
    g_autoptr(GInputStream) in = g_converter_input_stream_new (raw, G_CONVERTER (z));
    gsize row = 1 + (gsize) width * channels, want = row * height, got = 0;
    guint8 buf[65536];
    gboolean seen[256] = { FALSE };
    guint distinct = 0;
    gssize n;

    while ((n = g_input_stream_read (in, buf, sizeof buf, NULL, &error)) > 0)
      {
        for (gssize i = 0; i < n; i++)
          if (!seen[buf[i]])
            seen[buf[i]] = TRUE, distinct++;
        got += (gsize) n;
      }
    g_assert_no_error (error);
    ft_check (got == want, "%s: %zu bytes of pixel rows, the header says %zu", path, got, want);
    ft_check (distinct >= 16, "%s: only %u distinct bytes: a blank image", path, distinct);
  }
}
