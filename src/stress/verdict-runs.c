/* verdict-runs.c: one figure of two scenarios' runs compared, the step
 * that both the verdict's pairs (verdict.c) and its answer
 * (verdict-answer.c) take, and the name of a block of their lines. Below
 * both, so that neither calls back into the other. */
#include "config.h"

#include "verdict.h"

#include <math.h>

/* The passed runs of sr with figure fig: their values (one sample a run)
 * and success counts. */
typedef struct {
  double       *values;
  FsCompareRun *runs;
  guint         n;
  guint64       operations;
} Side;

static void
side_init (Side *side, const FsScenarioResult *sr, FsFigure fig)
{
  side->values = g_new (double, MAX (sr->n_runs, 1));
  side->runs = g_new (FsCompareRun, MAX (sr->n_runs, 1));
  side->n = 0;
  side->operations = 0;
  for (guint i = 0; i < sr->n_runs; i++)
    {
      double x = fs_result_row_figure (&sr->runs[i], fig);

      /* A failed run measured something else; a run whose /proc could
       * not be read has no cost. */
      if (fs_result_row_failed (&sr->runs[i]) || isnan (x))
        continue;
      side->values[side->n] = x;
      side->runs[side->n] = (FsCompareRun) { &side->values[side->n], 1 };
      side->n++;
      /* The runs' successful operations; a per-run count of the
       * measured operations, when runs have one, is the better figure. */
      side->operations += sr->runs[i].success;
    }
}

static void
side_clear (Side *side)
{
  g_free (side->values);
  g_free (side->runs);
}

gboolean
fs_verdict_compare_runs (const FsScenarioResult *a, const FsScenarioResult *b, FsFigure fig,
                         gboolean higher_is_better, FsCompareResult *result,
                         guint64 operations[2])
{
  Side sa, sb;
  gboolean ok = FALSE;

  side_init (&sa, a, fig);
  side_init (&sb, b, fig);
  if (sa.n > 0 && sb.n > 0)
    {
      FsCompareSide ca = { sa.runs, sa.n }, cb = { sb.runs, sb.n };
      g_autoptr(GError) error = NULL;

      /* Fails only on a negative or infinite value, which no figure
       * has: such a pair is left unknown. */
      ok = fs_compare (&ca, &cb, FS_COMPARE_RUN_MEAN, higher_is_better, 0, result, &error);
      if (!ok)
        g_warning ("verdict: %s", error->message);
      operations[0] = sa.operations;
      operations[1] = sb.operations;
    }
  side_clear (&sa);
  side_clear (&sb);
  return ok;
}

char *
fs_verdict_block_name (const FsScenario *s, gboolean client_mode, gboolean idle)
{
  g_autofree char *cm = client_mode ? g_strdup_printf ("client mode %s",
                                                       fs_client_mode_name (s->client_mode))
                                    : NULL;
  g_autofree char *k = idle ? g_strdup_printf ("%u idle connection%s", s->idle,
                                               s->idle == 1 ? "" : "s")
                            : NULL;

  return g_strdup_printf ("%s%s%s", cm != NULL ? cm : "", cm != NULL && k != NULL ? ", " : "",
                          k != NULL ? k : "");
}

static gboolean
in_starved_key (const FsScenario *s, const FsScenario *key)
{
  return s->client_mode == key->client_mode && s->idle == key->idle
         && s->operation == key->operation && s->client_pool == key->client_pool;
}

/* Whether a model at a server pool was starved in key: it ran, at every
 * volume and transfer of key, and every one of its runs failed. */
static gboolean
starved_at (const FsScenarioResult *results, guint n, const FsScenario *key, FsMode mode,
            guint pool)
{
  gboolean ran = FALSE;

  for (guint i = 0; i < n; i++)
    {
      const FsScenarioResult *sr = &results[i];

      if (!in_starved_key (&sr->scenario, key) || sr->scenario.mode != mode
          || sr->scenario.server_pool != pool || sr->n_runs == 0)
        continue;
      if (sr->runs_passed > 0)
        return FALSE;
      ran = TRUE;
    }
  return ran;
}

char *
fs_verdict_starved_text (const FsScenarioResult *results, guint n, const FsScenario *key)
{
  g_autoptr(GString) failed = g_string_new (NULL), served = g_string_new (NULL);

  if (key->idle == 0)
    return NULL;
  /* The models and pools of the key whose every run failed, then those
   * that passed at the same server pools; each once, whatever the
   * volumes and transfers. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        const FsScenario *sc = &results[i].scenario;
        gboolean seen = FALSE, beside = FALSE, starved;
        GString *to = pass == 0 ? failed : served;

        if (!in_starved_key (sc, key) || results[i].n_runs == 0)
          continue;
        for (guint j = 0; j < i && !seen; j++)
          seen = in_starved_key (&results[j].scenario, key) && results[j].n_runs > 0
                 && results[j].scenario.mode == sc->mode
                 && results[j].scenario.server_pool == sc->server_pool;
        starved = starved_at (results, n, key, sc->mode, sc->server_pool);
        if (seen || starved != (pass == 0))
          continue;
        for (int m = 0; m < FS_N_MODES && pass == 1 && !beside; m++)
          beside = (FsMode) m != sc->mode
                   && starved_at (results, n, key, (FsMode) m, sc->server_pool);
        if (pass == 0 || beside)
          g_string_append_printf (to, "%s%s pool %u", to->len > 0 ? ", " : "",
                                  fs_mode_name (sc->mode), sc->server_pool);
      }
  if (failed->len == 0)
    return NULL;
  return g_strdup_printf ("every run of %s failed%s%s%s", failed->str,
                          served->len > 0 ? " (" : "", served->str,
                          served->len > 0 ? " passed)" : "");
}
