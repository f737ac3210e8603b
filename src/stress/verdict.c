/* verdict.c: pairs, their comparisons, and the conclusion lines. */
#include "config.h"

#include "verdict.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *
fs_call_name (FsCall call)
{
  switch (call)
    {
    case FS_CALL_CLEAR: return "clear";
    case FS_CALL_NOISE: return "within noise";
    case FS_CALL_TOO_FEW:
    default: return "too few runs";
    }
}

static gboolean
twins (const FsScenario *a, const FsScenario *b)
{
  return fs_scenario_compare_twins (a, b) == 0;
}

static FsComparison
compare (const FsScenarioResult *a, const FsScenarioResult *b, FsFigure fig,
         gboolean higher_is_better)
{
  FsComparison c = { .figure = fig, .call = FS_CALL_NOISE, .ratio = NAN, .lo = NAN,
                     .hi = NAN, .level = FS_COMPARE_LEVEL, .p = NAN };
  FsCompareResult r;
  gboolean invert;

  if (!fs_verdict_compare_runs (a, b, fig, higher_is_better, &r, c.operations))
    return c;
  c.known = TRUE;
  c.runs[0] = r.runs_a;
  c.runs[1] = r.runs_b;
  c.level = r.level;
  c.p = r.p;
  c.call = r.call == FS_COMPARE_CLEAR ? FS_CALL_CLEAR
           : r.call == FS_COMPARE_NOISE ? FS_CALL_NOISE : FS_CALL_TOO_FEW;
  if (isnan (r.ratio))
    return c;
  /* r.ratio is a over b; shown as the better side's over the worse's (a
   * cost: the worse's over the better's), >= 1, and so is its interval,
   * inverted with it. */
  c.tie = r.ratio == 1.0;
  c.winner = (r.ratio > 1.0) == higher_is_better ? a->scenario.mode : b->scenario.mode;
  invert = r.ratio < 1.0;
  c.ratio = invert ? (r.ratio > 0 ? 1 / r.ratio : INFINITY) : r.ratio;
  c.lo = invert ? 1 / r.hi : r.lo;
  c.hi = invert ? 1 / r.lo : r.hi;
  return c;
}

static int
pair_order (gconstpointer x, gconstpointer y)
{
  const FsPair *a = x, *b = y;
  int c = fs_scenario_compare_twins (&a->a->scenario, &b->a->scenario);

  if (c != 0)
    return c;
  if (a->a->scenario.mode != b->a->scenario.mode)
    return (int) a->a->scenario.mode - (int) b->a->scenario.mode;
  return (int) a->b->scenario.mode - (int) b->b->scenario.mode;
}

/* Two models compared: the pair's a side in ma, its b side in mb. */
typedef struct {
  FsMode a, b;
} Models;

static gboolean
of_models (const FsPair *p, Models m)
{
  return p->a->scenario.mode == m.a && p->b->scenario.mode == m.b;
}

/* ---------------------------------------------------------- conclusions */

static const char *
op_name (FsOperation op)
{
  return fs_pool_operation_name (op);
}

static char *
ratio_text (double r)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (r))
    return g_strdup (">1000x");
  return g_strdup_printf ("%sx", g_ascii_formatd (buf, sizeof buf, r >= 10 ? "%.0f" : "%.2f", r));
}

/* What the pairs of one operation and one client pool say about speed. */
static char *
speed_statement (const FsPair *pairs, guint n, Models models, FsOperation op, guint clients,
                 gboolean *own_clients)
{
  const char *names[2] = { fs_mode_name (models.a), fs_mode_name (models.b) };
  guint total = 0, clear[2] = { 0, 0 }, too_few = 0;
  g_autofree double *thread_ratios = g_new (double, n + 1);
  g_autofree double *process_ratios = g_new (double, n + 1);
  double *ratios[2] = { thread_ratios, process_ratios };

  for (guint i = 0; i < n; i++)
    {
      const FsPair *p = &pairs[i];
      if (!of_models (p, models) || p->a->scenario.operation != op
          || p->a->scenario.client_pool != clients || !p->speed.known)
        continue;
      total++;
      if (p->speed.call == FS_CALL_CLEAR)
        {
          guint w = p->speed.winner == models.b;
          ratios[w][clear[w]++] = p->speed.ratio;
        }
      else if (p->speed.call == FS_CALL_TOO_FEW)
        too_few++;
    }
  if (total == 0)
    return NULL;
  /* Statements with a count name their client pool; the others are
   * gathered by the caller. */
  *own_clients = clear[0] > 0 || clear[1] > 0;
  if (clear[0] > 0 && clear[1] > 0)
    return g_strdup_printf ("mixed at %u client%s (%s clearly ahead in %u, %s in %u, "
                            "of %u pairs)", clients, clients == 1 ? "" : "s", names[0],
                            clear[0], names[1], clear[1], total);
  /* A mode is ahead when most of the pairs say so: each pair alone is
   * clear by chance up to 5% of the time, so one clear pair among many
   * says little (the answer's Holm correction makes that exact). */
  for (guint w = 0; w < 2; w++)
    if (clear[w] > 0 && clear[w] * 2 <= total)
      return g_strdup_printf ("mostly within noise at %u client%s (%s clearly ahead in %u of %u "
                              "pairs)", clients, clients == 1 ? "" : "s",
                              names[w], clear[w], total);
    else if (clear[w] > 0)
      {
        g_autofree char *r = ratio_text (fs_median (ratios[w], clear[w]));
        return g_strdup_printf ("%s ahead at %u client%s (%s, clear in %u of %u pair%s)",
                                names[w], clients,
                                clients == 1 ? "" : "s", r, clear[w], total,
                                total == 1 ? "" : "s");
      }
  return g_strdup (too_few == total ? "too few runs to tell" : "within noise");
}

static gint
compare_uint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return (x > y) - (x < y);
}

/* "within noise" at 1 and 5 clients: statements without a count of their
 * own gather their client pools. */
static char *
speed_line (const FsPair *pairs, guint n, Models models, FsOperation op, const char *tag)
{
  g_autoptr(GArray) clients = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) ahead = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) kinds = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) pools = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GString) line = g_string_new (op_name (op));

  g_string_append (line, tag);

  for (guint i = 0; i < n; i++)
    {
      guint c = pairs[i].a->scenario.client_pool;
      gboolean seen = FALSE;
      if (!of_models (&pairs[i], models) || pairs[i].a->scenario.operation != op)
        continue;
      for (guint k = 0; k < clients->len; k++)
        seen = seen || g_array_index (clients, guint, k) == c;
      if (!seen)
        g_array_append_val (clients, c);
    }
  if (clients->len == 0)
    return NULL;
  g_array_sort (clients, compare_uint);

  for (guint k = 0; k < clients->len; k++)
    {
      guint c = g_array_index (clients, guint, k);
      gboolean own = FALSE;
      char *s = speed_statement (pairs, n, models, op, c, &own);
      guint j;

      if (s == NULL)
        continue;
      if (own)
        {
          g_ptr_array_add (ahead, s);
          continue;
        }
      for (j = 0; j < kinds->len && strcmp (kinds->pdata[j], s) != 0; j++)
        ;
      if (j == kinds->len)
        {
          g_ptr_array_add (kinds, s);
          g_ptr_array_add (pools, g_ptr_array_new_with_free_func (g_free));
        }
      else
        g_free (s);
      g_ptr_array_add (pools->pdata[j], g_strdup_printf ("%u", c));
    }

  if (ahead->len == 0 && kinds->len == 0)
    g_string_append (line, ": no pair with a passed run on both sides");
  else
    g_string_append (line, ": ");
  for (guint i = 0; i < ahead->len; i++)
    g_string_append_printf (line, "%s%s", i > 0 ? "; " : "", (char *) ahead->pdata[i]);
  for (guint j = 0; j < kinds->len; j++)
    {
      GPtrArray *list = pools->pdata[j];
      g_string_append_printf (line, "%s%s at ", line->str[line->len - 2] == ':' ? "" : "; ",
                              (char *) kinds->pdata[j]);
      for (guint i = 0; i < list->len; i++)
        g_string_append_printf (line, "%s%s", i == 0 ? "" : i + 1 == list->len ? " and " : ", ",
                                (char *) list->pdata[i]);
      g_string_append (line, list->len == 1 && g_str_equal (list->pdata[0], "1") ? " client"
                                                                               : " clients");
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* "download cost: ..." for the CPU and memory comparisons. */
static char *
cost_line (const FsPair *pairs, guint n, Models models, FsOperation op, const char *tag)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (int which = 0; which < 2; which++)
    {
      guint total = 0, clear[2] = { 0, 0 };

      for (guint i = 0; i < n; i++)
        {
          const FsComparison *c = which == 0 ? &pairs[i].cpu : &pairs[i].memory;
          if (!of_models (&pairs[i], models) || pairs[i].a->scenario.operation != op
              || !c->known)
            continue;
          total++;
          if (c->call == FS_CALL_CLEAR)
            clear[c->winner == models.b]++;
        }
      if (total == 0)
        continue;
      g_string_append_printf (line, "%s%s clearly lower with %s in %u, with %s in %u, "
                              "of %u pair%s", line->len > 0 ? "; " : "",
                              which == 0 ? (op == FS_OP_LIST ? "server CPU per 1,000 operations"
                                                             : "server CPU per MiB")
                                         : "server memory (PSS)",
                              fs_mode_name (models.a), clear[0], fs_mode_name (models.b),
                              clear[1], total, total == 1 ? "" : "s");
    }
  if (line->len == 0)
    return NULL;
  return g_strdup_printf ("%s%s cost: %s", op_name (op), tag, line->str);
}

/* ------------------------------------------------------------- public */

/* The conclusion lines of the pairs of one client mode and number of
 * idle connections (they are together: pair_order() sorts by them
 * first), named by block ("client mode same, 50 idle connections", or
 * ""), for each two models compared: named in the tag too when there are
 * more than two. */
static void
conclude_block (FsVerdict *v, const FsPair *pairs, guint n, const char *block)
{
  static const FsOperation ops[] = { FS_OP_UPLOAD, FS_OP_DOWNLOAD, FS_OP_LIST };

  for (FsMode ma = 0; ma < FS_N_MODES; ma++)
    for (FsMode mb = ma + 1; mb < FS_N_MODES; mb++)
      {
        Models models = { ma, mb };
        g_autofree char *tag = NULL;

        if (!v->has_mode[ma] || !v->has_mode[mb])
          continue;
        if (v->n_modes <= 2)
          tag = *block != '\0' ? g_strdup_printf (" (%s)", block) : g_strdup ("");
        else
          tag = g_strdup_printf (" (%s%s%s against %s)", block, *block != '\0' ? ", " : "",
                                 fs_mode_name (ma), fs_mode_name (mb));
        for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
          {
            char *line = speed_line (pairs, n, models, ops[i], tag);
            if (line != NULL)
              g_ptr_array_add (v->conclusions, line);
          }
        for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
          {
            char *line = cost_line (pairs, n, models, ops[i], tag);
            if (line != NULL)
              g_ptr_array_add (v->conclusions, line);
          }
      }
}

FsVerdict *
fs_verdict_new (const FsScenarioResult *results, guint n, gboolean machine_busy)
{
  FsVerdict *v = g_new0 (FsVerdict, 1);

  /* Each scenario has at most one twin in each other mode. */
  v->pairs = g_new0 (FsPair, MAX ((gsize) n * (FS_N_MODES - 1) / 2, 1));
  v->conclusions = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      const FsScenarioResult *a = &results[i];
      if (a->n_runs == 0)
        continue;
      for (FsMode other = a->scenario.mode + 1; other < FS_N_MODES; other++)
        for (guint k = 0; k < n; k++)
          {
            const FsScenarioResult *b = &results[k];
            FsPair *pair;
            if (b->scenario.mode != other || b->n_runs == 0
                || !twins (&a->scenario, &b->scenario))
              continue;
            pair = &v->pairs[v->n_pairs++];
            pair->a = a;
            pair->b = b;
            pair->speed = compare (a, b, fs_scenario_result_speed_figure (a), TRUE);
            pair->cpu = compare (a, b, fs_scenario_cpu_figure (&a->scenario), FALSE);
            pair->memory = compare (a, b, FS_FIG_SERVER_PSS, FALSE);
            pair->servers_alone = a->scenario.client_mode != FS_CLIENT_SAME;
            v->n_modes += !v->has_mode[a->scenario.mode] + !v->has_mode[other];
            v->has_mode[a->scenario.mode] = v->has_mode[other] = TRUE;
            break;
          }
    }
  qsort (v->pairs, v->n_pairs, sizeof *v->pairs, pair_order);
  /* Each client mode gets its own lines, tagged when there are several,
   * since they answer with different load generators; and so does each
   * number of idle connections, since the verdict is per that number. */
  {
    gboolean several = FALSE, several_idle = FALSE;
    guint same = 0;

    for (guint i = 1; i < v->n_pairs; i++)
      {
        several = several || v->pairs[i].a->scenario.client_mode
                             != v->pairs[0].a->scenario.client_mode;
        several_idle = several_idle || v->pairs[i].a->scenario.idle
                                       != v->pairs[0].a->scenario.idle;
      }
    for (guint start = 0, end; start < v->n_pairs; start = end)
      {
        const FsScenario *first = &v->pairs[start].a->scenario;
        g_autofree char *block = fs_verdict_block_name (first, several, several_idle);

        for (end = start; end < v->n_pairs
             && v->pairs[end].a->scenario.client_mode == first->client_mode
             && v->pairs[end].a->scenario.idle == first->idle; end++)
          ;
        if (first->client_mode == FS_CLIENT_SAME)
          same += end - start;
        conclude_block (v, v->pairs + start, end - start, block);
      }
    if (same > 0)
      g_ptr_array_add (v->conclusions,
                       g_strdup ("client mode 'same': the client pool's model changes with "
                                 "the server's, so these pairs do not compare the servers "
                                 "alone"));
  }
  {
    /* A server without STATS: its counters are unknown, not zero. A
     * capacity search does not read them (its connections are kept). */
    guint ran = 0, without = 0, searched = 0;

    for (guint i = 0; i < n; i++)
      for (guint k = 0; k < results[i].n_runs; k++)
        if (results[i].runs[k].searched)
          searched++;
        else if (results[i].runs[k].success + results[i].runs[k].fail > 0)
          {
            ran++;
            without += !results[i].runs[k].server_counters;
          }
    if (without > 0)
      g_ptr_array_add (v->conclusions,
                       g_strdup_printf ("server counters not available in %u of %u runs (the "
                                        "server has no STATS): server_success, server_fail "
                                        "and worker_restarts are empty", without, ran));
    if (searched > 0)
      g_ptr_array_add (v->conclusions,
                       g_strdup_printf ("%u runs searched for a capacity: their server "
                                        "counters are not read, and each run's other figures "
                                        "are those of its step at the capacity", searched));
  }
  {
    /* Said once for the run: a --server-command server slow to stop has
     * still served, and its runs pass (filestorm-server's fail, and say
     * why in their error). */
    guint stopped = 0, killed = 0;

    for (guint i = 0; i < n; i++)
      for (guint k = 0; k < results[i].n_runs; k++)
        {
          const FsResultRow *row = &results[i].runs[k];
          if (row->server_stop == FS_SERVER_STOP_UNKNOWN || fs_result_row_failed (row))
            continue;
          stopped++;
          killed += row->server_stop == FS_SERVER_STOP_KILLED;
        }
    if (killed > 0)
      g_ptr_array_add (v->conclusions,
                       g_strdup_printf ("the server was slow to stop in %u of %u passed runs: "
                                        "it did not exit within --stop-grace of SIGTERM and "
                                        "was killed (server_stop in the JSON), which does not "
                                        "fail a run", killed, stopped));
  }
  v->answer = fs_verdict_answer (v, results, n, machine_busy);
  return v;
}

void
fs_verdict_free (FsVerdict *v)
{
  if (v == NULL)
    return;
  g_free (v->pairs);
  g_ptr_array_unref (v->conclusions);
  g_ptr_array_unref (v->answer);
  g_free (v);
}

const FsPair *
fs_verdict_find (const FsVerdict *v, const FsScenarioResult *sr, FsMode other)
{
  for (guint i = 0; i < v->n_pairs; i++)
    if ((v->pairs[i].a == sr && v->pairs[i].b->scenario.mode == other)
        || (v->pairs[i].b == sr && v->pairs[i].a->scenario.mode == other))
      return &v->pairs[i];
  return NULL;
}

static void
add_comparison (JsonBuilder *b, const char *name, const FsComparison *c, const FsPair *p)
{
  const FsScenarioResult *sides[2] = { p->a, p->b };

  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "figure");
  json_builder_add_string_value (b, fs_figure_name (c->figure));
  /* Each side under its mode's name: "thread", "thread_min", ... */
  for (guint side = 0; side < 2; side++)
    {
      const char *mode = fs_mode_name (sides[side]->scenario.mode);
      g_autofree char *lo = g_strdup_printf ("%s_min", mode);
      g_autofree char *hi = g_strdup_printf ("%s_max", mode);

      fs_json_add_number (b, mode, sides[side]->median[c->figure]);
      fs_json_add_number (b, lo, sides[side]->min[c->figure]);
      fs_json_add_number (b, hi, sides[side]->max[c->figure]);
    }
  json_builder_set_member_name (b, "winner");
  if (c->known && !c->tie)
    json_builder_add_string_value (b, fs_mode_name (c->winner));
  else
    json_builder_add_null_value (b);
  fs_json_add_number (b, "ratio", c->known ? c->ratio : NAN);
  fs_json_add_number (b, "lo", c->known ? c->lo : NAN);
  fs_json_add_number (b, "hi", c->known ? c->hi : NAN);
  fs_json_add_number (b, "level", c->level);
  json_builder_set_member_name (b, "call");
  if (c->known)
    json_builder_add_string_value (b, fs_call_name (c->call));
  else
    json_builder_add_null_value (b);
  fs_json_add_number (b, "p", c->known ? c->p : NAN);
  for (guint side = 0; side < 2; side++)
    {
      const char *mode = fs_mode_name (sides[side]->scenario.mode);
      g_autofree char *runs = g_strdup_printf ("%s_runs", mode);
      g_autofree char *ops = g_strdup_printf ("%s_operations", mode);

      json_builder_set_member_name (b, runs);
      json_builder_add_int_value (b, c->runs[side]);
      json_builder_set_member_name (b, ops);
      json_builder_add_int_value (b, (gint64) c->operations[side]);
    }
  json_builder_end_object (b);
}

JsonNode *
fs_verdict_to_json (const FsVerdict *v)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  /* First, so that a reader finds the answer before the detail. */
  json_builder_set_member_name (b, "answer");
  json_builder_begin_array (b);
  for (guint i = 0; i < v->answer->len; i++)
    json_builder_add_string_value (b, v->answer->pdata[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "rule");
  json_builder_add_string_value (b, "clear: the 95% Welch t-interval of the ratio of the "
                                 "geometric means of the two sides' passed runs excludes 1 "
                                 "(at most 5% false clear calls per comparison); too few "
                                 "with fewer than 2 runs a side; the answer holds each "
                                 "claim's family of comparisons at 5% with Holm's "
                                 "correction");
  json_builder_set_member_name (b, "conclusions");
  json_builder_begin_array (b);
  for (guint i = 0; i < v->conclusions->len; i++)
    json_builder_add_string_value (b, v->conclusions->pdata[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "pairs");
  json_builder_begin_array (b);
  for (guint i = 0; i < v->n_pairs; i++)
    {
      const FsPair *p = &v->pairs[i];
      const FsScenario *s = &p->a->scenario;

      json_builder_begin_object (b);
      /* The two models compared, the members of each comparison named
       * after them. */
      json_builder_set_member_name (b, "modes");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, fs_mode_name (p->a->scenario.mode));
      json_builder_add_string_value (b, fs_mode_name (p->b->scenario.mode));
      json_builder_end_array (b);
      json_builder_set_member_name (b, "client_mode");
      json_builder_add_string_value (b, fs_client_mode_name (s->client_mode));
      json_builder_set_member_name (b, "compares_servers_alone");
      json_builder_add_boolean_value (b, p->servers_alone);
      json_builder_set_member_name (b, "operation");
      json_builder_add_string_value (b, fs_pool_operation_name (s->operation));
      fs_json_add_number (b, "volume", s->volume);
      json_builder_set_member_name (b, "volume_unit");
      json_builder_add_string_value (b, fs_volume_unit (p->a->quick));
      json_builder_set_member_name (b, "client_pool");
      json_builder_add_int_value (b, s->client_pool);
      json_builder_set_member_name (b, "server_pool");
      json_builder_add_int_value (b, s->server_pool);
      json_builder_set_member_name (b, "idle_connections");
      json_builder_add_int_value (b, s->idle);
      add_comparison (b, "speed", &p->speed, p);
      add_comparison (b, "cpu", &p->cpu, p);
      add_comparison (b, "memory", &p->memory, p);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* "  line", broken at spaces before column 100, continued with 4 spaces. */
static void
print_wrapped (FILE *out, const char *line)
{
  const char *p = line;
  guint indent = 2;

  while (strlen (p) + indent > 99)
    {
      const char *cut = p + (99 - indent);
      while (cut > p && *cut != ' ')
        cut--;
      if (cut == p)
        break;
      fprintf (out, "%*s%.*s\n", (int) indent, "", (int) (cut - p), p);
      p = cut + 1;
      indent = 4;
    }
  fprintf (out, "%*s%s\n", (int) indent, "", p);
}

void
fs_verdict_print (const FsVerdict *v, FILE *out)
{
  /* The two models of every pair, or "model against model". */
  FsMode two[2] = { FS_MODE_THREAD, FS_MODE_PROCESS };
  guint found = 0;

  for (FsMode m = 0; m < FS_N_MODES && v->n_modes == 2; m++)
    if (v->has_mode[m])
      two[found++] = m;
  if (v->conclusions->len == 0 && v->answer->len == 0)
    return;
  if (v->n_modes > 2)
    fprintf (out, "\nVerdict, model against model");
  else
    fprintf (out, "\nVerdict, %s against %s", fs_mode_name (two[0]), fs_mode_name (two[1]));
  fprintf (out, " (clear = the 95%% interval of the ratio excludes 1):\n");
  for (guint i = 0; i < v->conclusions->len; i++)
    print_wrapped (out, v->conclusions->pdata[i]);
  if (v->answer->len == 0)
    return;
  fprintf (out, "\nAnswer:\n");
  for (guint i = 0; i < v->answer->len; i++)
    print_wrapped (out, v->answer->pdata[i]);
}
