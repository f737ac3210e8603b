/* verdict-answer.c: the verdict's answer, a few short lines per
 * operation: which model is faster, which server pool is enough, what
 * each model costs, and what limited the measurement.
 *
 * Each claim rests on a family of comparisons ("thread is faster at 50
 * clients" on the pairs at 50 clients over every volume, server pool and
 * two models compared: one pair with thread and process alone, three
 * with event too, so the family is three times larger;
 * "pool 5 is enough" on each pool size against the best one at each
 * volume). Each comparison alone is wrong at most 5% of the time; m of
 * them up to m x 5% (compare.h). Holm's correction over the family keeps
 * the chance that any of its clear calls is false at most 5%, so a claim
 * made from them is held at the rate filestorm-stress(1) states. */
#include "config.h"

#include "verdict.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define ALPHA (1 - FS_COMPARE_LEVEL)

/* Where one line of the answer looks: a client mode, a number of idle
 * connections, an operation and a client count. */
typedef struct {
  FsClientMode client_mode;
  guint        idle;
  FsOperation  operation;
  guint        clients;
} Key;

/* The block of lines a scenario's belong to: its client mode and idle
 * connections. */
static gboolean
in_block (const FsScenario *s, FsClientMode cm, guint idle)
{
  return s->client_mode == cm && s->idle == idle;
}

static gboolean
in_key (const FsScenario *s, const Key *k)
{
  return in_block (s, k->client_mode, k->idle) && s->operation == k->operation
         && s->client_pool == k->clients;
}

static gboolean
same_volume (const FsScenario *a, const FsScenario *b)
{
  return a->volume == b->volume && a->transfer == b->transfer;
}

static char *
ratio_text (double r)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (r))
    return g_strdup (r > 1 ? ">1000x" : "0x");
  return g_strdup_printf ("%sx", g_ascii_formatd (buf, sizeof buf,
                                                  r >= 10 ? "%.0f" : "%.2f", r));
}

static char *
volume_text (const FsScenarioResult *sr)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup_printf ("%s %s%s", fs_format_number (sr->scenario.volume, buf),
                          fs_volume_unit (sr->quick),
                          sr->scenario.transfer == FS_TRANSFER_RAW ? " raw" : "");
}

static gint
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* ----------------------------------------------------------- the model */

/* What the pairs of two models (a below b) say, at one volume. */
typedef enum { SAYS_NOISE, SAYS_A, SAYS_B, SAYS_MIXED, SAYS_TOO_FEW } Says;

typedef struct {
  gboolean present;  /* the volume has a pair of these two models */
  Says     says;
  GArray  *ratios;   /* double: the clear calls' ratios */
} PairSays;

/* What the pairs at one volume say, after Holm over the whole family:
 * for each two models ma < mb, at [ma][mb]. */
typedef struct {
  const FsScenarioResult *first;  /* a scenario of the volume, for its text */
  PairSays pair[FS_N_MODES][FS_N_MODES];
} VolumeSays;

static Says
merge (Says a, gboolean clear, gboolean a_wins, gboolean too_few)
{
  Says b = clear ? (a_wins ? SAYS_A : SAYS_B) : SAYS_NOISE;

  if (a == SAYS_TOO_FEW)
    return too_few ? SAYS_TOO_FEW : b;
  if (too_few || b == SAYS_NOISE)
    return a;
  if (a == SAYS_NOISE || a == b)
    return b;
  return SAYS_MIXED;
}

static char *
median_ratio (GArray *ratios)
{
  g_array_sort (ratios, compare_double);
  return ratio_text (fs_median ((double *) (void *) ratios->data, ratios->len));
}

/* Two models: "thread faster (1.91x)", "thread ≈ process"; with more
 * (several), each names both ("thread faster than process (1.91x)"). */
static void
append_says (GString *s, FsMode ma, FsMode mb, const PairSays *ps, gboolean several)
{
  const char *a = fs_mode_name (ma), *b = fs_mode_name (mb);

  switch (ps->says)
    {
    case SAYS_A:
    case SAYS_B:
      g_string_append_printf (s, "%s faster", ps->says == SAYS_A ? a : b);
      if (several)
        g_string_append_printf (s, " than %s", ps->says == SAYS_A ? b : a);
      if (ps->ratios->len > 0)
        {
          g_autofree char *r = median_ratio (ps->ratios);
          g_string_append_printf (s, " (%s)", r);
        }
      break;
    case SAYS_MIXED:
    case SAYS_TOO_FEW:
      /* "mixed", "too few runs"; with more models, "thread against
       * event mixed", "too few runs for thread against event". */
      if (several && ps->says == SAYS_MIXED)
        g_string_append_printf (s, "%s against %s ", a, b);
      g_string_append (s, ps->says == SAYS_MIXED ? "mixed" : "too few runs");
      if (several && ps->says == SAYS_TOO_FEW)
        g_string_append_printf (s, " for %s against %s", a, b);
      break;
    case SAYS_NOISE:
    default:
      g_string_append_printf (s, "%s \xe2\x89\x88 %s", a, b);
    }
}

/* The model clearly faster than every other one at the volume, or -1. */
static int
best_model (const VolumeSays *vs)
{
  for (FsMode m = 0; m < FS_N_MODES; m++)
    {
      gboolean best = FALSE, lost = FALSE;

      for (FsMode o = 0; o < FS_N_MODES && !lost; o++)
        {
          const PairSays *ps = m < o ? &vs->pair[m][o] : &vs->pair[o][m];

          if (o == m || !ps->present)
            continue;
          best = ps->says == (m < o ? SAYS_A : SAYS_B);
          lost = !best;
        }
      if (best && !lost)
        return (int) m;
    }
  return -1;
}

/* What a volume (or every volume, its ratios gathered) says: the two
 * models' line as before the third, or, with more than two, the fastest
 * model over each other ("event fastest (1.52x over thread, 2.10x over
 * process)") or none, with what each two say. */
static void
append_volume (GString *s, const VolumeSays *vs, guint n_pairs)
{
  int best = best_model (vs);
  gboolean first = TRUE;

  if (n_pairs == 1)
    {
      for (FsMode ma = 0; ma < FS_N_MODES; ma++)
        for (FsMode mb = ma + 1; mb < FS_N_MODES; mb++)
          if (vs->pair[ma][mb].present)
            append_says (s, ma, mb, &vs->pair[ma][mb], FALSE);
      return;
    }
  if (best >= 0)
    g_string_append_printf (s, "%s fastest (", fs_mode_name ((FsMode) best));
  else
    g_string_append (s, "no model clearly fastest (");
  for (FsMode ma = 0; ma < FS_N_MODES; ma++)
    for (FsMode mb = ma + 1; mb < FS_N_MODES; mb++)
      {
        const PairSays *ps = &vs->pair[ma][mb];

        if (!ps->present)
          continue;
        if (best >= 0)
          {
            g_autofree char *r = NULL;
            if ((int) ma != best && (int) mb != best)
              continue;
            r = ps->ratios->len > 0 ? median_ratio (ps->ratios) : g_strdup ("?");
            g_string_append_printf (s, "%s%s over %s", first ? "" : ", ", r,
                                    fs_mode_name ((int) ma == best ? mb : ma));
          }
        else
          {
            if (!first)
              g_string_append (s, ", ");
            append_says (s, ma, mb, ps, TRUE);
          }
        first = FALSE;
      }
  g_string_append_c (s, ')');
}

static gboolean
same_says (const VolumeSays *x, const VolumeSays *y)
{
  for (FsMode ma = 0; ma < FS_N_MODES; ma++)
    for (FsMode mb = ma + 1; mb < FS_N_MODES; mb++)
      if (x->pair[ma][mb].present != y->pair[ma][mb].present
          || x->pair[ma][mb].says != y->pair[ma][mb].says)
        return FALSE;
  return TRUE;
}

/* The pairs of key k, every two models at every volume and server pool,
 * held together by Holm: "thread faster (1.91x)", "thread ≈ process",
 * "event fastest (...)", "depends on volume: ...", or NULL when no pair
 * is known; *best: the one model faster than every other, or -1. */
static char *
model_statement (const FsVerdict *v, const Key *k, int *best)
{
  g_autofree double *p = g_new (double, MAX (v->n_pairs, 1));
  g_autofree gboolean *clear = g_new (gboolean, MAX (v->n_pairs, 1));
  g_autofree const FsPair **fam = g_new (const FsPair *, MAX (v->n_pairs, 1));
  g_autoptr(GArray) vols = g_array_new (FALSE, TRUE, sizeof (VolumeSays));
  g_autoptr(GString) s = g_string_new (NULL);
  gboolean kinds[FS_N_MODES][FS_N_MODES] = { { FALSE } };
  guint m = 0, too_few = 0, n_kinds = 0;
  gboolean one = TRUE;

  *best = -1;
  for (guint i = 0; i < v->n_pairs; i++)
    if (in_key (&v->pairs[i].a->scenario, k) && v->pairs[i].speed.known)
      {
        fam[m] = &v->pairs[i];
        p[m++] = v->pairs[i].speed.p;
      }
  if (m == 0)
    return NULL;
  fs_compare_holm (p, m, ALPHA, clear);
  for (guint i = 0; i < m; i++)
    {
      const FsComparison *c = &fam[i]->speed;
      FsMode ma = fam[i]->a->scenario.mode, mb = fam[i]->b->scenario.mode;
      gboolean tf = c->call == FS_CALL_TOO_FEW;
      VolumeSays *vs = NULL;
      PairSays *ps;

      too_few += tf;
      n_kinds += !kinds[ma][mb];
      kinds[ma][mb] = TRUE;
      for (guint j = 0; j < vols->len && vs == NULL; j++)
        if (same_volume (&g_array_index (vols, VolumeSays, j).first->scenario,
                         &fam[i]->a->scenario))
          vs = &g_array_index (vols, VolumeSays, j);
      if (vs == NULL)
        {
          VolumeSays fresh = { fam[i]->a };

          for (FsMode x = 0; x < FS_N_MODES; x++)
            for (FsMode y = 0; y < FS_N_MODES; y++)
              fresh.pair[x][y] = (PairSays) { FALSE, SAYS_TOO_FEW,
                                              g_array_new (FALSE, FALSE, sizeof (double)) };
          g_array_append_val (vols, fresh);
          vs = &g_array_index (vols, VolumeSays, vols->len - 1);
        }
      ps = &vs->pair[ma][mb];
      ps->present = TRUE;
      ps->says = merge (ps->says, clear[i], c->winner == ma, tf);
      if (clear[i])
        g_array_append_val (ps->ratios, c->ratio);
    }
  for (guint j = 1; j < vols->len; j++)
    one = one && same_says (&g_array_index (vols, VolumeSays, j),
                            &g_array_index (vols, VolumeSays, 0));
  if (one)
    {
      /* Every volume says the same: once, with the ratios of all. */
      VolumeSays *all = &g_array_index (vols, VolumeSays, 0);

      for (guint j = 1; j < vols->len; j++)
        for (FsMode x = 0; x < FS_N_MODES; x++)
          for (FsMode y = 0; y < FS_N_MODES; y++)
            {
              GArray *r = g_array_index (vols, VolumeSays, j).pair[x][y].ratios;
              g_array_append_vals (all->pair[x][y].ratios, r->data, r->len);
            }
      if (n_kinds == 1 && too_few == m)
        for (FsMode ma = 0; ma < FS_N_MODES; ma++)
          for (FsMode mb = ma + 1; mb < FS_N_MODES; mb++)
            if (kinds[ma][mb])
              g_string_append_printf (s, "too few runs to tell %s from %s", fs_mode_name (ma),
                                      fs_mode_name (mb));
      if (s->len == 0)
        append_volume (s, all, n_kinds);
      *best = best_model (all);
    }
  else
    {
      g_string_append (s, "depends on volume:");
      for (guint j = 0; j < vols->len; j++)
        {
          VolumeSays *vs = &g_array_index (vols, VolumeSays, j);
          g_autofree char *vol = volume_text (vs->first);

          g_string_append_printf (s, "%s ", j == 0 ? "" : ",");
          append_volume (s, vs, n_kinds);
          g_string_append_printf (s, " at %s", vol);
        }
    }
  if (too_few > 0 && too_few < m)
    g_string_append_printf (s, " (too few runs in %u of %u pairs)", too_few, m);
  for (guint j = 0; j < vols->len; j++)
    for (FsMode x = 0; x < FS_N_MODES; x++)
      for (FsMode y = 0; y < FS_N_MODES; y++)
        g_array_unref (g_array_index (vols, VolumeSays, j).pair[x][y].ratios);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* ------------------------------------------------------------ the pool */

/* The geometric mean of a scenario's passed runs' figure, NaN if none. */
static double
geo_mean (const FsScenarioResult *sr, FsFigure fig)
{
  double sum = 0;
  guint n = 0;

  for (guint i = 0; i < sr->n_runs; i++)
    {
      double x = fs_result_row_figure (&sr->runs[i], fig);
      if (fs_result_row_failed (&sr->runs[i]) || isnan (x) || x <= 0)
        continue;
      sum += log (x);
      n++;
    }
  return n > 0 ? exp (sum / n) : NAN;
}

typedef struct {
  guint   pool;
  gboolean too_few;
  GArray *ratios;   /* double: clear calls' ratios against the best, < 1 */
} PoolSays;

/* "pool 5 is enough (pool 50 within noise; pool 1: 0.55x)" for the
 * scenarios of key k in model only (every model when -1), or NULL with
 * fewer than two pool sizes. Each pool size at each volume is compared with that
 * volume's best (the highest geometric mean of the same model), and the
 * family of those comparisons is held by Holm. */
static char *
pool_statement (const FsScenarioResult *results, guint n, const Key *k, int only)
{
  g_autofree const FsScenarioResult **pick = g_new (const FsScenarioResult *, MAX (n, 1));
  g_autoptr(GArray) pools = g_array_new (FALSE, FALSE, sizeof (PoolSays));
  g_autoptr(GArray) p = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) who = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) ratio = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree gboolean *clear = NULL;
  g_autoptr(GString) s = g_string_new (NULL);
  const PoolSays *enough = NULL;
  gboolean unknown = FALSE;
  guint picked = 0;

  for (guint i = 0; i < n; i++)
    {
      const FsScenario *sc = &results[i].scenario;
      guint j;

      if (results[i].n_runs == 0 || !in_key (sc, k) || (only >= 0 && (int) sc->mode != only))
        continue;
      pick[picked++] = &results[i];
      for (j = 0; j < pools->len && g_array_index (pools, PoolSays, j).pool != sc->server_pool;
           j++)
        ;
      if (j == pools->len)
        {
          PoolSays fresh = { sc->server_pool, FALSE,
                             g_array_new (FALSE, FALSE, sizeof (double)) };
          guint at = 0;
          while (at < pools->len && g_array_index (pools, PoolSays, at).pool < sc->server_pool)
            at++;
          g_array_insert_val (pools, at, fresh);
        }
    }
  if (pools->len < 2)
    {
      for (guint j = 0; j < pools->len; j++)
        g_array_unref (g_array_index (pools, PoolSays, j).ratios);
      return NULL;
    }

  /* Each scenario against the best of its model and volume. */
  for (guint i = 0; i < picked; i++)
    {
      const FsScenarioResult *best = NULL;
      FsFigure fig = fs_scenario_result_speed_figure (pick[i]);
      double best_mean = -1;
      FsCompareResult r;
      guint64 ops[2];
      guint j;

      for (guint o = 0; o < picked; o++)
        {
          double g = geo_mean (pick[o], fig);
          if (pick[o]->scenario.mode == pick[i]->scenario.mode
              && same_volume (&pick[o]->scenario, &pick[i]->scenario) && g > best_mean)
            {
              best = pick[o];
              best_mean = g;
            }
        }
      for (j = 0; g_array_index (pools, PoolSays, j).pool != pick[i]->scenario.server_pool; j++)
        ;
      if (best == NULL)
        {
          /* No passed run at this volume: nothing to say of it. */
          g_array_index (pools, PoolSays, j).too_few = TRUE;
          continue;
        }
      if (best == pick[i])
        continue;
      if (!fs_verdict_compare_runs (pick[i], best, fig, TRUE, &r, ops))
        {
          g_array_index (pools, PoolSays, j).too_few = TRUE;
          continue;
        }
      g_array_append_val (p, r.p);
      g_array_append_val (who, j);
      g_array_append_val (ratio, r.ratio);
    }
  clear = g_new (gboolean, MAX (p->len, 1));
  fs_compare_holm ((const double *) (void *) p->data, p->len, ALPHA, clear);
  for (guint c = 0; c < p->len; c++)
    {
      PoolSays *ps = &g_array_index (pools, PoolSays, g_array_index (who, guint, c));
      if (clear[c])
        g_array_append_val (ps->ratios, g_array_index (ratio, double, c));
      else if (isnan (g_array_index (p, double, c)))
        ps->too_few = TRUE;
    }

  /* The smallest pool within noise of the best, provided every smaller
   * one is known to be slower: a pool with too few runs might be enough. */
  for (guint j = 0; j < pools->len && enough == NULL && !unknown; j++)
    {
      const PoolSays *ps = &g_array_index (pools, PoolSays, j);
      unknown = ps->too_few;
      if (!unknown && ps->ratios->len == 0)
        enough = ps;
    }
  if (unknown)
    g_string_append (s, "too few runs to tell which server pool is enough (");
  else if (enough == NULL)
    g_string_append (s, "no pool size is within noise of the best at every volume (");
  else
    g_string_append_printf (s, "pool %u is enough%s%s (", enough->pool,
                            only >= 0 ? " for " : "", only >= 0 ? fs_mode_name (only) : "");
  /* Those within noise first, then the others, each by size. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint j = 0; j < pools->len; j++)
      {
        PoolSays *ps = &g_array_index (pools, PoolSays, j);
        gboolean noise = !ps->too_few && ps->ratios->len == 0;

        /* Unknown: only the pools that could not be judged, and those
         * clearly slower. */
        if (ps == enough || noise != (pass == 0) || (unknown && noise))
          continue;
        g_string_append_printf (s, "%spool %u", s->str[s->len - 1] == '(' ? "" : "; ", ps->pool);
        if (ps->ratios->len > 0)
          {
            g_autofree char *r = NULL;
            g_array_sort (ps->ratios, compare_double);
            r = ratio_text (fs_median ((double *) (void *) ps->ratios->data, ps->ratios->len));
            g_string_append_printf (s, ": %s", r);
          }
        else
          g_string_append (s, ps->too_few ? ": too few runs" : " within noise");
      }
  g_string_append_c (s, ')');
  for (guint j = 0; j < pools->len; j++)
    g_array_unref (g_array_index (pools, PoolSays, j).ratios);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* ---------------------------------------------------- costs and limits */

/* The median of a figure over the passed runs of a model's scenarios
 * of client mode cm and operation op; NaN if none has it. */
static double
runs_median (const FsScenarioResult *results, guint n, const Key *k, FsMode mode,
             FsFigure fig)
{
  g_autoptr(GArray) v = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < n; i++)
    {
      const FsScenario *sc = &results[i].scenario;
      if (!in_block (sc, k->client_mode, k->idle) || sc->operation != k->operation
          || sc->mode != mode)
        continue;
      for (guint r = 0; r < results[i].n_runs; r++)
        {
          double x = fs_result_row_figure (&results[i].runs[r], fig);
          if (!fs_result_row_failed (&results[i].runs[r]) && !isnan (x))
            g_array_append_val (v, x);
        }
    }
  return fs_median ((double *) (void *) v->data, v->len);
}

static char *
cost_line (const FsScenarioResult *results, guint n, const Key *k, const char *tag)
{
  FsOperation op = k->operation;
  FsScenario probe = { .operation = op };
  FsFigure cpu = fs_scenario_cpu_figure (&probe);
  g_autoptr(GString) s = g_string_new (NULL);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (FsMode m = 0; m < FS_N_MODES; m++)
    {
      double mem = runs_median (results, n, k, m, FS_FIG_SERVER_PSS);
      double c = runs_median (results, n, k, m, cpu);

      if (isnan (mem) && isnan (c))
        continue;
      g_string_append_printf (s, "%s%s ", s->len > 0 ? "; " : "", fs_mode_name (m));
      if (!isnan (mem))
        g_string_append_printf (s, "%s MiB", g_ascii_formatd (buf, sizeof buf, "%.1f",
                                                             mem / 1024));
      if (!isnan (c))
        g_string_append_printf (s, "%s%s ms/%s", isnan (mem) ? "" : ", ",
                                g_ascii_formatd (buf, sizeof buf, c >= 10 ? "%.0f" : "%.2f", c),
                                op == FS_OP_LIST ? "1,000 ops" : "MiB");
    }
  if (s->len == 0)
    return NULL;
  return g_strdup_printf ("%s%s cost (median server memory, CPU): %s",
                          fs_pool_operation_name (op), tag, s->str);
}

/* Like the table's ^: the pool's median CPU over the server's. */
static gboolean
pool_bound (const FsScenarioResult *sr)
{
  double pool = sr->median[FS_FIG_POOL_CPU], server = sr->median[FS_FIG_SERVER_CPU];

  return !isnan (pool) && !isnan (server) && pool > server;
}

static char *
bound_line (const FsVerdict *v, const Key *k, const char *tag)
{
  FsOperation op = k->operation;
  guint total = 0, bound = 0;

  for (guint i = 0; i < v->n_pairs; i++)
    {
      const FsScenario *sc = &v->pairs[i].a->scenario;
      if (!in_block (sc, k->client_mode, k->idle) || sc->operation != op)
        continue;
      total++;
      bound += pool_bound (v->pairs[i].a) || pool_bound (v->pairs[i].b);
    }
  if (bound * 2 <= total)
    return NULL;
  return g_strdup_printf ("%s%s: the load generator used more CPU than the server in %u of %u "
                          "pairs (^): give it more cores, or run filestorm-pool-mpi on other "
                          "machines", fs_pool_operation_name (op),
                          tag, bound, total);
}

/* ------------------------------------------------------------- public */

static int
key_order (gconstpointer a, gconstpointer b)
{
  const Key *x = a, *y = b;

  if (x->client_mode != y->client_mode)
    return (x->client_mode > y->client_mode) - (x->client_mode < y->client_mode);
  if (x->idle != y->idle)
    return (x->idle > y->idle) - (x->idle < y->idle);
  if (x->operation != y->operation)
    return (int) fs_operation_rank (x->operation) - (int) fs_operation_rank (y->operation);
  return (x->clients > y->clients) - (x->clients < y->clients);
}

/* ------------------------------------------------------------ capacities */

/* One pair's capacities: "thread pool 5 sustains 180 ops/s, process pool
 * 5 170 (within noise)"; clear: Holm's call over the pair's family. */
static char *
capacity_pair (const FsPair *pair, gboolean clear)
{
  const FsComparison *c = &pair->speed;
  double t = pair->a->median[FS_FIG_CAPACITY], q = pair->b->median[FS_FIG_CAPACITY];
  guint spool = pair->a->scenario.server_pool;
  g_autofree char *note = NULL;

  if (c->call == FS_CALL_TOO_FEW || !c->known)
    note = g_strdup ("too few runs to compare");
  else if (!clear || c->tie)
    note = g_strdup ("within noise");
  else
    {
      g_autofree char *r = ratio_text (c->ratio);
      note = g_strdup_printf ("%s ahead, %s", fs_mode_name (c->winner), r);
    }
  return g_strdup_printf ("%s pool %u sustains %.0f ops/s, %s pool %u %.0f (%s)",
                          fs_mode_name (pair->a->scenario.mode), spool, t,
                          fs_mode_name (pair->b->scenario.mode), spool, q, note);
}

/* The capacities of a search, one line per operation, volume and client
 * pool: "download 10 MiB, 5 clients, at p99 ≤ 50 ms: thread pool 5
 * sustains 180 ops/s, process pool 5 170 (within noise)", the idle
 * connections after the clients when there are any. A pair's call is
 * held with the others of its operation, client mode and idle
 * connections by Holm's correction, as the answer's other claims are. */
static void
capacity_lines (const FsVerdict *v, GPtrArray *lines)
{
  for (guint start = 0, end; start < v->n_pairs; start = end)
    {
      const FsScenario *first = &v->pairs[start].a->scenario;
      g_autofree double *p = NULL;
      g_autofree gboolean *clear = NULL;
      guint m = 0;

      for (end = start; end < v->n_pairs
           && in_block (&v->pairs[end].a->scenario, first->client_mode, first->idle)
           && v->pairs[end].a->scenario.operation == first->operation; end++)
        ;
      p = g_new (double, end - start);
      clear = g_new0 (gboolean, end - start);
      for (guint i = start; i < end; i++)
        if (v->pairs[i].speed.figure == FS_FIG_CAPACITY && v->pairs[i].speed.known
            && v->pairs[i].speed.call != FS_CALL_TOO_FEW)
          p[m++] = v->pairs[i].speed.p;
      fs_compare_holm (p, m, ALPHA, clear);
      m = 0;
      for (guint i = start, next; i < end; i = next)
        {
          const FsPair *pair = &v->pairs[i];
          const FsScenarioResult *t = pair->a;
          g_autofree char *slo = t->n_runs > 0 ? fs_slo_describe (&t->runs[0].slo) : NULL;
          g_autofree char *volume = volume_text (t);
          g_autofree char *idle = t->scenario.idle > 0
            ? g_strdup_printf (", %u idle connection%s", t->scenario.idle,
                               t->scenario.idle == 1 ? "" : "s")
            : g_strdup ("");
          GString *line = g_string_new (NULL);

          for (next = i; next < end
               && same_volume (&v->pairs[next].a->scenario, &t->scenario)
               && v->pairs[next].a->scenario.client_pool == t->scenario.client_pool;
               next++)
            {
              const FsPair *q = &v->pairs[next];
              gboolean counted = q->speed.figure == FS_FIG_CAPACITY && q->speed.known
                                 && q->speed.call != FS_CALL_TOO_FEW;
              g_autofree char *says = NULL;

              if (q->speed.figure != FS_FIG_CAPACITY)
                continue;
              says = capacity_pair (q, counted && clear[m]);
              m += counted;
              g_string_append_printf (line, "%s%s", line->len ? "; " : "", says);
            }
          if (line->len > 0)
            g_ptr_array_add (lines, g_strdup_printf (
              "%s%s%s, %u client%s%s, at %s: %s",
              fs_pool_operation_name (t->scenario.operation),
              t->scenario.operation == FS_OP_LIST ? "" : " ",
              t->scenario.operation == FS_OP_LIST ? "" : volume, t->scenario.client_pool,
              t->scenario.client_pool == 1 ? "" : "s", idle,
              slo != NULL ? slo : "the objective", line->str));
          g_string_free (line, TRUE);
        }
    }
}

GPtrArray *
fs_verdict_answer (const FsVerdict *v, const FsScenarioResult *results, guint n,
                   gboolean machine_busy)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (Key));
  gboolean several = FALSE, several_idle = FALSE, same = FALSE;
  guint runs = 0, failed = 0;

  for (guint i = 0; i < n; i++)
    {
      const FsScenario *sc = &results[i].scenario;
      Key k = { sc->client_mode, sc->idle, sc->operation, sc->client_pool };
      gboolean seen = FALSE;

      runs += results[i].n_runs;
      for (guint r = 0; r < results[i].n_runs; r++)
        failed += fs_result_row_failed (&results[i].runs[r]);
      if (results[i].n_runs == 0)
        continue;
      for (guint j = 0; j < keys->len && !seen; j++)
        seen = key_order (&g_array_index (keys, Key, j), &k) == 0;
      if (!seen)
        g_array_append_val (keys, k);
    }
  g_array_sort (keys, key_order);
  capacity_lines (v, lines);
  for (guint j = 1; j < keys->len; j++)
    {
      several = several || g_array_index (keys, Key, j).client_mode
                           != g_array_index (keys, Key, 0).client_mode;
      several_idle = several_idle || g_array_index (keys, Key, j).idle
                                     != g_array_index (keys, Key, 0).idle;
    }

  for (guint j = 0; j < keys->len; j++)
    {
      const Key *k = &g_array_index (keys, Key, j);
      FsScenario probe = { .client_mode = k->client_mode, .idle = k->idle,
                           .operation = k->operation, .client_pool = k->clients };
      g_autofree char *block = fs_verdict_block_name (&probe, several, several_idle);
      g_autofree char *tag = *block != '\0' ? g_strdup_printf (" (%s)", block) : g_strdup ("");
      int best;
      g_autofree char *model = model_statement (v, k, &best);
      g_autofree char *pool = pool_statement (results, n, k, best);
      g_autofree char *starved = fs_verdict_starved_text (results, n, &probe);
      const Key *next = j + 1 < keys->len ? &g_array_index (keys, Key, j + 1) : NULL;
      gboolean last = next == NULL || next->operation != k->operation
                      || next->client_mode != k->client_mode || next->idle != k->idle;

      /* The starved scenarios first: the finding at this client count. */
      g_autofree char *said = starved == NULL ? g_steal_pointer (&model)
                              : model == NULL ? g_steal_pointer (&starved)
                              : g_strdup_printf ("%s; %s", starved, model);

      same = same || k->client_mode == FS_CLIENT_SAME;
      if (said != NULL || pool != NULL)
        g_ptr_array_add (lines, g_strdup_printf ("%s, %u client%s%s: %s%s%s",
                                                 fs_pool_operation_name (k->operation),
                                                 k->clients, k->clients == 1 ? "" : "s", tag,
                                                 said != NULL ? said : "",
                                                 said != NULL && pool != NULL ? "; " : "",
                                                 pool != NULL ? pool : ""));
      if (last)
        {
          char *cost = cost_line (results, n, k, tag);
          char *bound = bound_line (v, k, tag);
          if (cost != NULL)
            g_ptr_array_add (lines, cost);
          if (bound != NULL)
            g_ptr_array_add (lines, bound);
        }
    }
  if (same)
    g_ptr_array_add (lines, g_strdup ("client mode same: the client pool's model changes with "
                                      "the server's, so its lines do not compare the servers "
                                      "alone"));
  if (failed > 0)
    g_ptr_array_add (lines, g_strdup_printf ("%u of %u runs failed (FAIL in the table): the "
                                             "answer rests on the runs that passed", failed,
                                             runs));
  if (machine_busy)
    g_ptr_array_add (lines, g_strdup ("the machine was busy before the run (load average at or "
                                      "above half its cores): runs spread more, so fewer "
                                      "differences are called"));
  return lines;
}
