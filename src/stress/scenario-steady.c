/* scenario-steady.c: a matrix's steady state, a count of operations per
 * client or a time after a warm-up, and its objective, as the command
 * line sets them over the file's [run] (scenario.c reads the file). */
#include "config.h"

#include <math.h>

#include "errors.h"
#include "scenario.h"

char *
fs_matrix_parse_seconds (const char *text, gboolean zero, double *out)
{
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);

  if (end == text || *end != '\0' || !isfinite (v) || v < 0 || (v == 0 && !zero)
      || v > FS_MATRIX_MAX_SECONDS)
    return g_strdup_printf ("not a %snumber of seconds up to %g, such as 2 or 0.5",
                            zero ? "" : "positive ", FS_MATRIX_MAX_SECONDS);
  *out = v;
  return NULL;
}

static gboolean
option_seconds (const char *option, const char *text, gboolean zero, double *out,
                GError **error)
{
  g_autofree char *why = fs_matrix_parse_seconds (text, zero, out);

  if (why == NULL)
    return TRUE;
  g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "%s %s: %s", option, text, why);
  return FALSE;
}

gboolean
fs_matrix_apply_steady (FsMatrix *matrix, guint repeat, const char *duration,
                        const char *warmup, gboolean quick, GError **error)
{
  double d = 0, w = 0;

  if (repeat > 0 && (duration != NULL || warmup != NULL))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "--repeat and --%s cannot be combined: "
                   "give a count of operations or a time, not both",
                   duration != NULL ? "duration" : "warmup");
      return FALSE;
    }
  if ((duration != NULL && !option_seconds ("--duration", duration, FALSE, &d, error))
      || (warmup != NULL && !option_seconds ("--warmup", warmup, TRUE, &w, error)))
    return FALSE;
  if (repeat > 0)
    {
      matrix->repeat = repeat;
      matrix->duration = matrix->warmup = 0;
      return TRUE;
    }
  if (duration != NULL || quick)
    {
      matrix->repeat = 0;
      matrix->duration = duration != NULL ? d : FS_QUICK_DURATION;
      matrix->warmup = duration != NULL ? 0 : FS_QUICK_WARMUP;
    }
  if (warmup != NULL)
    {
      if (matrix->duration <= 0)
        {
          g_set_error_literal (error, FS_ERROR, FS_ERROR_USAGE,
                               "--warmup needs a duration (--duration, or the matrix's "
                               "duration=): a warm-up comes before a measured duration");
          return FALSE;
        }
      matrix->warmup = w;
    }
  return TRUE;
}

gboolean
fs_matrix_apply_slo (FsMatrix *matrix, const char *text, GError **error)
{
  if (text != NULL)
    {
      if (!fs_slo_parse (text, &matrix->slo, error))
        return FALSE;
      matrix->search = TRUE;
    }
  if (matrix->search && matrix->duration <= 0)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_USAGE,
                           "an objective (--slo, or the matrix's slo=) needs a duration: "
                           "each step of the search offers a rate for --duration seconds");
      return FALSE;
    }
  return TRUE;
}
