/* search.c: a scenario's capacity under a latency objective: the
 * objective's text, and the search over offered rates. */
#include "config.h"

#include "search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "results.h"

/* ------------------------------------------------------------ the objective */

static gboolean
bad_term (GError **error, const char *term, const char *why)
{
  g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
               "--slo: '%s' %s (expected terms such as p99<=50ms, p50<=10ms, errors<=0.1%%, "
               "joined by commas)", term, why);
  return FALSE;
}

/* A number with a unit, in ms: "50ms", "0.05s", "800us". */
static gboolean
parse_latency (const char *text, double *ms)
{
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);

  if (end == text || !isfinite (v) || v <= 0)
    return FALSE;
  if (strcmp (end, "ms") == 0)
    *ms = v;
  else if (strcmp (end, "s") == 0)
    *ms = v * 1000;
  else if (strcmp (end, "us") == 0)
    *ms = v / 1000;
  else
    return FALSE;
  return *ms <= 86400.0 * 1000;
}

gboolean
fs_slo_parse (const char *text, FsSlo *slo, GError **error)
{
  g_auto(GStrv) terms = g_strsplit (text, ",", -1);

  slo->p50_ms = slo->p99_ms = NAN;
  slo->errors = 0;
  for (guint i = 0; terms[i] != NULL; i++)
    {
      char *term = g_strstrip (terms[i]);
      const char *bound = strstr (term, "<=");
      g_autofree char *name = NULL;

      if (bound == NULL)
        return bad_term (error, term, "has no <=");
      name = g_strstrip (g_strndup (term, (gsize) (bound - term)));
      bound += 2;
      while (g_ascii_isspace (*bound))
        bound++;
      if (strcmp (name, "p50") == 0 || strcmp (name, "p99") == 0)
        {
          double *at = name[1] == '5' ? &slo->p50_ms : &slo->p99_ms;

          if (!isnan (*at))
            return bad_term (error, term, "is given twice");
          if (!parse_latency (bound, at))
            return bad_term (error, term, "needs a positive time in ms, s or us");
        }
      else if (strcmp (name, "errors") == 0)
        {
          char *end = NULL;
          double v = g_ascii_strtod (bound, &end);

          if (end == bound || strcmp (end, "%") != 0 || !isfinite (v) || v < 0 || v > 100)
            return bad_term (error, term, "needs a percentage from 0% to 100%");
          slo->errors = v / 100;
        }
      else
        return bad_term (error, term, "bounds neither p50, p99 nor errors");
    }
  if (isnan (slo->p50_ms) && isnan (slo->p99_ms))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                   "--slo '%s' bounds no latency: give p99<=TIME or p50<=TIME, as in "
                   "p99<=50ms", text);
      return FALSE;
    }
  return TRUE;
}

/* The shortest decimal form, with a point. */
static char *
number (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.6g", v));
}

char *
fs_slo_text (const FsSlo *slo)
{
  GString *s = g_string_new (NULL);
  g_autofree char *errors = number (slo->errors * 100);

  if (!isnan (slo->p50_ms))
    {
      g_autofree char *v = number (slo->p50_ms);
      g_string_append_printf (s, "p50<=%sms,", v);
    }
  if (!isnan (slo->p99_ms))
    {
      g_autofree char *v = number (slo->p99_ms);
      g_string_append_printf (s, "p99<=%sms,", v);
    }
  g_string_append_printf (s, "errors<=%s%%", errors);
  return g_string_free (s, FALSE);
}

char *
fs_slo_describe (const FsSlo *slo)
{
  GString *s = g_string_new (NULL);

  if (!isnan (slo->p50_ms))
    {
      g_autofree char *v = number (slo->p50_ms);
      g_string_append_printf (s, "p50 ≤ %s ms", v);
    }
  if (!isnan (slo->p99_ms))
    {
      g_autofree char *v = number (slo->p99_ms);
      g_string_append_printf (s, "%sp99 ≤ %s ms", s->len ? ", " : "", v);
    }
  if (slo->errors > 0)
    {
      g_autofree char *v = number (slo->errors * 100);
      g_string_append_printf (s, ", errors ≤ %s%%", v);
    }
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------ the search */

void
fs_search_result_clear (FsSearchResult *result)
{
  g_clear_pointer (&result->steps, g_array_unref);
}

gboolean
fs_search_judge (const FsSlo *slo, FsSearchStep *step)
{
  double scheduled = step->scheduled > 0 ? step->scheduled : step->offered;

  step->met = step->operations > 0
              && step->achieved >= FS_SEARCH_ACHIEVED * scheduled
              && (isnan (slo->p50_ms) || step->p50_ms <= slo->p50_ms)
              && (isnan (slo->p99_ms) || step->p99_ms <= slo->p99_ms)
              && step->errors <= slo->errors;
  return step->met;
}

typedef struct {
  const FsSlo      *slo;
  FsSearchStepFunc  fn;
  gpointer          data;
  GArray           *steps;
} Search;

/* Runs one step at rate; FALSE when it could not run, or when the search
 * has taken its most steps (error then unset). */
static gboolean
step (Search *s, double rate, gboolean *met, GError **error)
{
  FsSearchStep st = { .offered = rate };

  if (s->steps->len >= FS_SEARCH_MAX_STEPS)
    return FALSE;
  if (!s->fn (&st, s->data, error))
    return FALSE;
  fs_search_judge (s->slo, &st);
  g_array_append_val (s->steps, st);
  *met = st.met;
  return TRUE;
}

/* The highest rate below under that met the objective, 0 if none. */
static double
passed_below (const GArray *steps, double under)
{
  double best = 0;

  for (guint i = 0; i < steps->len; i++)
    {
      const FsSearchStep *st = &g_array_index (steps, FsSearchStep, i);
      if (st->met && st->offered < under && st->offered > best)
        best = st->offered;
    }
  return best;
}

gboolean
fs_search_run (const FsSlo *slo, double start, double max, FsSearchStepFunc fn,
               gpointer data, FsSearchResult *result, GError **error)
{
  Search s = { slo, fn, data, g_array_new (FALSE, FALSE, sizeof (FsSearchStep)) };
  double lo = 0, hi = INFINITY, rate = MIN (start, max);
  /* Below the start, halving goes on this far before it calls the
   * capacity none. */
  double floor_rate = start / 64;
  gboolean met = FALSE, ok = TRUE;
  GError *local = NULL;

  memset (result, 0, sizeof *result);
  result->steps = s.steps;
  /* Up: double until the objective fails, or the largest rate meets it. */
  while (ok && isinf (hi))
    {
      if (!(ok = step (&s, rate, &met, &local)))
        break;
      if (!met)
        hi = rate;
      else if ((lo = rate) >= max)
        break;
      else
        rate = MIN (rate * 2, max);
    }
  /* Down: the start was already too much. */
  while (ok && lo == 0 && hi / 2 >= floor_rate)
    {
      rate = hi / 2;
      if (!(ok = step (&s, rate, &met, &local)))
        break;
      if (met)
        lo = rate;
      else
        hi = rate;
    }
  /* Bisect, then confirm; a confirmation that fails was a lucky step:
   * the rate becomes a failing one, and the search resumes below it. */
  for (guint attempt = 0; ok && lo > 0 && attempt < 3; attempt++)
    {
      while (ok && !isinf (hi) && hi > lo * FS_SEARCH_RESOLUTION)
        {
          rate = sqrt (lo * hi);
          if (!(ok = step (&s, rate, &met, &local)))
            break;
          if (met)
            lo = rate;
          else
            hi = rate;
        }
      if (!ok || !(ok = step (&s, lo, &met, &local)))
        break;
      if (met)
        {
          result->confirmed = TRUE;
          break;
        }
      hi = lo;
      lo = passed_below (s.steps, hi);
    }
  result->capacity = lo;
  /* The most steps ends a search, and is not a failure. */
  if (local == NULL)
    return TRUE;
  g_propagate_error (error, local);
  return FALSE;
}

JsonNode *
fs_search_steps_to_json (const GArray *steps)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      const FsSearchStep *st = &g_array_index (steps, FsSearchStep, i);

      json_builder_begin_object (b);
      fs_json_add_number (b, "offered", st->offered);
      fs_json_add_number (b, "scheduled", st->scheduled);
      fs_json_add_number (b, "achieved", st->achieved);
      fs_json_add_number (b, "p50_ms", st->p50_ms);
      fs_json_add_number (b, "p99_ms", st->p99_ms);
      fs_json_add_number (b, "errors", st->errors);
      json_builder_set_member_name (b, "operations");
      json_builder_add_int_value (b, (gint64) st->operations);
      json_builder_set_member_name (b, "met");
      json_builder_add_boolean_value (b, st->met);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}
