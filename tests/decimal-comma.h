/* decimal-comma.h: a numeric locale with a decimal comma, for tests that
 * check that numbers keep their dot whatever LC_NUMERIC says. */
#pragma once

#include <locale.h>

#include <glib.h>

/* Sets LC_NUMERIC to the first installed locale with a decimal comma and
 * returns TRUE; when none is installed, marks the test skipped and
 * returns FALSE. The caller restores LC_NUMERIC. */
static inline gboolean
ft_set_decimal_comma (void)
{
  static const char *const locales[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                                         "fr_FR.utf8", "nl_NL.UTF-8" };

  for (gsize i = 0; i < G_N_ELEMENTS (locales); i++)
    if (setlocale (LC_NUMERIC, locales[i]) != NULL)
      return TRUE;
  g_test_skip ("no locale with a decimal comma installed");
  return FALSE;
}
