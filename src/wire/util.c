/* util.c: small helpers shared by the programs: options, numbers, files. */
#include "config.h"

#include "util.h"

#include <errno.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "errors.h"

void
fs_locale_init (void)
{
  /* The user's locale for everything people read: the character set, so
   * that GLib prints its quotes and "[OPTION…]" rather than "?", and the
   * language of GLib's own messages. Numbers stay in the C locale: a
   * decimal comma would break what programs read from these programs
   * (--json, the CSV, a port file) and what goes over the wire, and every
   * printf() of a double would have to be checked for it. One rule, "a
   * number always has a dot", is simpler than a split between output for
   * people and output for programs. */
  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
}

gboolean
fs_parse_size (const char *text, guint64 *out, GError **error)
{
  static const struct { const char *suffix; guint shift; } units[] = {
    { "", 0 },
    { "K", 10 }, { "KB", 10 }, { "KiB", 10 },
    { "M", 20 }, { "MB", 20 }, { "MiB", 20 },
    { "G", 30 }, { "GB", 30 }, { "GiB", 30 },
    { "T", 40 }, { "TB", 40 }, { "TiB", 40 },
  };
  const char *p = text;
  char *end = NULL;
  guint64 value;

  if (text == NULL || !g_ascii_isdigit (*p))
    goto bad;
  errno = 0;
  value = g_ascii_strtoull (p, &end, 10);
  if (errno != 0 || end == p)
    goto bad;
  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    {
      if (g_ascii_strcasecmp (end, units[i].suffix) != 0)
        continue;
      if (value == 0)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                       "size must be greater than zero: '%s'", text);
          return FALSE;
        }
      if (value > (G_MAXUINT64 >> units[i].shift))
        goto bad;
      *out = value << units[i].shift;
      return TRUE;
    }
bad:
  g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
               "invalid size '%s' (expected a number with an optional K, M, G or T suffix)",
               text ? text : "");
  return FALSE;
}

char *
fs_format_address (GInetSocketAddress *address)
{
  GInetAddress *inet = g_inet_socket_address_get_address (address);
  g_autofree char *host = g_inet_address_to_string (inet);
  guint port = g_inet_socket_address_get_port (address);

  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[%s]:%u", host, port);
  return g_strdup_printf ("%s:%u", host, port);
}

const char *
fs_format_number (double v, char buf[G_ASCII_DTOSTR_BUF_SIZE])
{
  static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };

  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, formats[i], v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  return buf;
}

const char *
fs_mode_name (FsMode mode)
{
  static const char *const names[FS_N_MODES] = { "thread", "process", "event" };

  return (guint) mode < FS_N_MODES ? names[mode] : "thread";
}

gboolean
fs_mode_parse (const char *text, FsMode *mode, GError **error)
{
  if (g_strcmp0 (text, "thread") == 0)
    *mode = FS_MODE_THREAD;
  else if (g_strcmp0 (text, "process") == 0)
    *mode = FS_MODE_PROCESS;
  else if (g_strcmp0 (text, "event") == 0)
    *mode = FS_MODE_EVENT;
  else
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                   "invalid mode '%s' (expected thread, process or event)", text);
      return FALSE;
    }
  return TRUE;
}

gboolean
fs_pool_mode_parse (const char *text, FsMode *mode, GError **error)
{
  FsMode m;

  if (!fs_mode_parse (text, &m, NULL) || m == FS_MODE_EVENT)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                   "invalid mode '%s' (expected thread or process)", text);
      return FALSE;
    }
  *mode = m;
  return TRUE;
}

gboolean
fs_write_all (int fd, const void *data, gsize len, const char *what, GError **error)
{
  const guint8 *p = data;

  while (len > 0)
    {
      ssize_t n = write (fd, p, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          return fs_set_errno_error (error, errno, "cannot write %s", what);
        }
      p += n;
      len -= (gsize) n;
    }
  return TRUE;
}

static gboolean
check_value (GKeyFile *file, const char *group, const char *key, gboolean list,
             GError **error)
{
  g_autofree char *raw = g_key_file_get_value (file, group, key, error);

  if (raw == NULL)
    return FALSE;
  if (!g_utf8_validate (raw, -1, NULL))
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_USAGE, "the value is not valid UTF-8");
      return FALSE;
    }
  for (const char *p = strchr (raw, '\\'); p != NULL; p = strchr (p + 2, '\\'))
    {
      if (p[1] == '\0')
        {
          g_set_error_literal (error, FS_ERROR, FS_ERROR_USAGE,
                               "the value ends in a backslash");
          return FALSE;
        }
      if (strchr ("sntr\\", p[1]) == NULL && !(list && p[1] == ';'))
        {
          g_autofree char *shown = g_strndup (p, g_utf8_next_char (p + 1) - p);
          g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                       "the value holds an unknown escape '%s'", shown);
          return FALSE;
        }
    }
  return TRUE;
}

char *
fs_key_file_get_string (GKeyFile *file, const char *group, const char *key, GError **error)
{
  if (!check_value (file, group, key, FALSE, error))
    return NULL;
  return g_key_file_get_string (file, group, key, error);
}

GStrv
fs_key_file_get_string_list (GKeyFile *file, const char *group, const char *key,
                             gsize *length, GError **error)
{
  if (!check_value (file, group, key, TRUE, error))
    return NULL;
  return g_key_file_get_string_list (file, group, key, length, error);
}

void
fs_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      GStatBuf st;

      /* A link is removed, never followed. */
      if (g_lstat (child, &st) == 0 && S_ISDIR (st.st_mode))
        fs_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* The placeholder names[i] that text starts with, as {NAME} (with
 * doubled braces, {{NAME}}, when doubled), or n_names. */
static gsize
placeholder_at (const char *text, gboolean doubled, const char *const *names, gsize n_names)
{
  const char *open = doubled ? "{{" : "{", *close = doubled ? "}}" : "}";
  gsize skip = strlen (open);

  if (strncmp (text, open, skip) != 0)
    return n_names;
  for (gsize i = 0; i < n_names; i++)
    {
      gsize n = strlen (names[i]);
      if (strncmp (text + skip, names[i], n) == 0 && strncmp (text + skip + n, close, skip) == 0)
        return i;
    }
  return n_names;
}

/* word with each {names[i]} replaced by values[i], and each {{names[i]}}
 * by the literal {names[i]}, so that a command can be given the text of a
 * placeholder; any other brace is kept as it is, so that a template needs
 * no escape for a shell's ${HOME} or awk's {print}. */
static char *
substitute (const char *word, const char *const *names, gsize n_names,
            const char *const *values)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = word; *p != '\0'; p++)
    {
      gsize i = placeholder_at (p, TRUE, names, n_names);

      if (i < n_names)
        {
          g_string_append_printf (out, "{%s}", names[i]);
          p += strlen (names[i]) + 3;
          continue;
        }
      i = placeholder_at (p, FALSE, names, n_names);
      if (i == n_names)
        {
          g_string_append_c (out, *p);
          continue;
        }
      g_string_append (out, values[i]);
      p += strlen (names[i]) + 1;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char **
fs_template_argv (const char *template, const char *what, const char *const *names,
                  gsize n_names, const char *const *values, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) words = NULL;

  /* Split first, so that a value is one word's text whatever it holds, and
   * a placeholder may stand inside quotes. */
  if (!g_shell_parse_argv (template, NULL, &words, &local))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "%s cannot be split into words: %s", what,
                   local->message);
      return NULL;
    }
  for (guint i = 0; words[i] != NULL; i++)
    {
      char *done = substitute (words[i], names, n_names, values);
      g_free (words[i]);
      words[i] = done;
    }
  return g_steal_pointer (&words);
}

void
fs_copy_utf8 (char *dest, const char *src, gsize size)
{
  char *end, *last;

  if (g_strlcpy (dest, src, size) < size)
    return;
  end = dest + strlen (dest);
  last = g_utf8_find_prev_char (dest, end);
  if (last != NULL && g_utf8_get_char_validated (last, end - last) == (gunichar) -2)
    *last = '\0';
}
