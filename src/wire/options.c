/* options.c: parsing a program's command line, the same in every program. */
#include "config.h"

#include "options.h"

#include <string.h>

/* Names a new user reaches for, and the options that mean them, in order
 * of preference: the first the program has is suggested. */
static const struct {
  const char *given;
  const char *const known[3];
} synonyms[] = {
  { "threads",     { "pool", "server-pool", "client-pool" } },
  { "workers",     { "pool", "server-pool", "client-pool" } },
  { "processes",   { "pool", "server-pool", "client-pool" } },
  { "clients",     { "client-pool", NULL, NULL } },
  { "concurrency", { "client-pool", NULL, NULL } },
  { "connections", { "client-pool", NULL, NULL } },
  { "size",        { "volume", NULL, NULL } },
};

/* Edits from a to b: a letter added, dropped, changed, or two side by
 * side swapped (--prot for --port). */
static guint
distance (const char *a, const char *b)
{
  gsize la = strlen (a), lb = strlen (b), w = lb + 1;
  g_autofree guint *d = g_new (guint, (la + 1) * w);

  for (gsize i = 0; i <= la; i++)
    for (gsize j = 0; j <= lb; j++)
      {
        guint v;

        if (i == 0 || j == 0)
          v = (guint) (i + j);
        else
          {
            v = MIN (MIN (d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1),
                     d[(i - 1) * w + j - 1] + (a[i - 1] != b[j - 1]));
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
              v = MIN (v, d[(i - 2) * w + j - 2] + 1);
          }
        d[i * w + j] = v;
      }
  return d[la * w + lb];
}

const char *
fs_option_nearest (const char *name, const char *const *known)
{
  const char *best = NULL;
  guint best_d = G_MAXUINT;

  for (gsize i = 0; i < G_N_ELEMENTS (synonyms); i++)
    if (g_ascii_strcasecmp (name, synonyms[i].given) == 0)
      for (gsize k = 0; k < G_N_ELEMENTS (synonyms[i].known) && synonyms[i].known[k]; k++)
        if (g_strv_contains (known, synonyms[i].known[k]))
          return synonyms[i].known[k];
  for (gsize i = 0; known[i] != NULL; i++)
    {
      guint d = distance (name, known[i]);

      /* --vol for --volume: GOption takes no abbreviation. */
      if (strlen (name) >= 3 && g_str_has_prefix (known[i], name))
        d = MIN (d, 1);
      if (d < best_d)
        best_d = d, best = known[i];
    }
  /* Two edits at most, and fewer than a third of the name: --tim is not
   * --dim. */
  return best != NULL && best_d <= 2 && best_d * 3 <= strlen (name) ? best : NULL;
}

/* The long options --help lists: GOption says no other way. */
static GStrv
known_options (GOptionContext *context)
{
  g_autofree char *help = g_option_context_get_help (context, FALSE, NULL);
  g_autoptr(GRegex) re = g_regex_new ("^\\s+(?:-\\S, )?--([A-Za-z0-9][A-Za-z0-9-]*)",
                                      G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) m = NULL;
  GPtrArray *names = g_ptr_array_new ();

  g_regex_match (re, help, 0, &m);
  for (; g_match_info_matches (m); g_match_info_next (m, NULL))
    g_ptr_array_add (names, g_match_info_fetch (m, 1));
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (names, FALSE);
}

gboolean
fs_option_parse (GOptionContext *context, int *argc, char ***argv, GError **error)
{
  /* GOption may reorder or remove arguments: keep what was given. */
  g_auto(GStrv) given = g_new0 (char *, (gsize) *argc + 1);
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) known = NULL;
  g_autofree char *unknown = NULL;
  const char *near = NULL;

  for (int i = 0; i < *argc; i++)
    given[i] = g_strdup ((*argv)[i]);
  if (g_option_context_parse (context, argc, argv, &local))
    return TRUE;
  if (!g_error_matches (local, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  known = known_options (context);
  for (int i = 1; given[i] != NULL && unknown == NULL; i++)
    {
      if (strcmp (given[i], "--") == 0)
        break;
      if (g_str_has_prefix (given[i], "--"))
        {
          g_autofree char *name = g_strndup (given[i] + 2, strcspn (given[i] + 2, "="));

          if (*name != '\0' && !g_strv_contains ((const char *const *) known, name))
            unknown = g_steal_pointer (&name);
        }
    }
  if (unknown != NULL)
    near = fs_option_nearest (unknown, (const char *const *) known);
  if (near != NULL)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
                 "%s; did you mean --%s? (try --help)", local->message, near);
  else
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION, "%s (try --help)",
                 local->message);
  return FALSE;
}
