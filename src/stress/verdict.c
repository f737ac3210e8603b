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
compare (const FsScenarioResult *t, const FsScenarioResult *p, FsFigure fig,
         gboolean higher_is_better)
{
  FsComparison c = { .figure = fig, .call = FS_CALL_NOISE, .ratio = NAN, .lo = NAN,
                     .hi = NAN, .level = FS_COMPARE_LEVEL, .p = NAN };
  FsCompareResult r;
  gboolean invert;

  if (!fs_verdict_compare_runs (t, p, fig, higher_is_better, &r, c.operations))
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
  /* r.ratio is thread over process; shown as the better side's over the
   * worse's (a cost: the worse's over the better's), >= 1, and so is its
   * interval, inverted with it. */
  c.tie = r.ratio == 1.0;
  c.winner = (r.ratio > 1.0) == higher_is_better ? FS_MODE_THREAD : FS_MODE_PROCESS;
  invert = r.ratio < 1.0;
  c.ratio = invert ? (r.ratio > 0 ? 1 / r.ratio : INFINITY) : r.ratio;
  c.lo = invert ? 1 / r.hi : r.lo;
  c.hi = invert ? 1 / r.lo : r.hi;
  return c;
}

static int
pair_order (gconstpointer a, gconstpointer b)
{
  return fs_scenario_compare_twins (&((const FsPair *) a)->thread->scenario,
                                    &((const FsPair *) b)->thread->scenario);
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
speed_statement (const FsPair *pairs, guint n, FsOperation op, guint clients,
                 gboolean *own_clients)
{
  guint total = 0, clear[2] = { 0, 0 }, too_few = 0;
  g_autofree double *thread_ratios = g_new (double, n + 1);
  g_autofree double *process_ratios = g_new (double, n + 1);
  double *ratios[2] = { thread_ratios, process_ratios };

  for (guint i = 0; i < n; i++)
    {
      const FsPair *p = &pairs[i];
      if (p->thread->scenario.operation != op || p->thread->scenario.client_pool != clients
          || !p->speed.known)
        continue;
      total++;
      if (p->speed.call == FS_CALL_CLEAR)
        {
          guint w = p->speed.winner == FS_MODE_PROCESS;
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
    return g_strdup_printf ("mixed at %u client%s (thread clearly ahead in %u, process in %u, "
                            "of %u pairs)", clients, clients == 1 ? "" : "s", clear[0],
                            clear[1], total);
  /* A mode is ahead when most of the pairs say so: each pair alone is
   * clear by chance up to 5% of the time, so one clear pair among many
   * says little (the answer's Holm correction makes that exact). */
  for (guint w = 0; w < 2; w++)
    if (clear[w] > 0 && clear[w] * 2 <= total)
      return g_strdup_printf ("mostly within noise at %u client%s (%s clearly ahead in %u of %u "
                              "pairs)", clients, clients == 1 ? "" : "s",
                              w == 0 ? "thread" : "process", clear[w], total);
    else if (clear[w] > 0)
      {
        g_autofree char *r = ratio_text (fs_median (ratios[w], clear[w]));
        return g_strdup_printf ("%s ahead at %u client%s (%s, clear in %u of %u pair%s)",
                                w == 0 ? "thread" : "process", clients,
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
speed_line (const FsPair *pairs, guint n, FsOperation op, const char *tag)
{
  g_autoptr(GArray) clients = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) ahead = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) kinds = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) pools = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GString) line = g_string_new (op_name (op));

  g_string_append (line, tag);

  for (guint i = 0; i < n; i++)
    {
      guint c = pairs[i].thread->scenario.client_pool;
      gboolean seen = FALSE;
      if (pairs[i].thread->scenario.operation != op)
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
      char *s = speed_statement (pairs, n, op, c, &own);
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
cost_line (const FsPair *pairs, guint n, FsOperation op, const char *tag)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (int which = 0; which < 2; which++)
    {
      guint total = 0, clear[2] = { 0, 0 };

      for (guint i = 0; i < n; i++)
        {
          const FsComparison *c = which == 0 ? &pairs[i].cpu : &pairs[i].memory;
          if (pairs[i].thread->scenario.operation != op || !c->known)
            continue;
          total++;
          if (c->call == FS_CALL_CLEAR)
            clear[c->winner == FS_MODE_PROCESS]++;
        }
      if (total == 0)
        continue;
      g_string_append_printf (line, "%s%s clearly lower with thread in %u, with process in %u, "
                              "of %u pair%s", line->len > 0 ? "; " : "",
                              which == 0 ? (op == FS_OP_LIST ? "server CPU per 1,000 operations"
                                                             : "server CPU per MiB")
                                         : "server memory (PSS)",
                              clear[0], clear[1], total, total == 1 ? "" : "s");
    }
  if (line->len == 0)
    return NULL;
  return g_strdup_printf ("%s%s cost: %s", op_name (op), tag, line->str);
}

/* ------------------------------------------------------------- public */

FsVerdict *
fs_verdict_new (const FsScenarioResult *results, guint n, gboolean machine_busy)
{
  FsVerdict *v = g_new0 (FsVerdict, 1);
  static const FsOperation ops[] = { FS_OP_UPLOAD, FS_OP_DOWNLOAD, FS_OP_LIST };

  v->pairs = g_new0 (FsPair, MAX (n, 1));
  v->conclusions = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      const FsScenarioResult *t = &results[i];
      if (t->scenario.mode != FS_MODE_THREAD || t->n_runs == 0)
        continue;
      for (guint k = 0; k < n; k++)
        {
          const FsScenarioResult *p = &results[k];
          FsPair *pair;
          if (p->scenario.mode != FS_MODE_PROCESS || p->n_runs == 0
              || !twins (&t->scenario, &p->scenario))
            continue;
          pair = &v->pairs[v->n_pairs++];
          pair->thread = t;
          pair->process = p;
          pair->speed = compare (t, p, fs_scenario_result_speed_figure (t), TRUE);
          pair->cpu = compare (t, p, fs_scenario_cpu_figure (&t->scenario), FALSE);
          pair->memory = compare (t, p, FS_FIG_SERVER_PSS, FALSE);
          pair->servers_alone = t->scenario.client_mode != FS_CLIENT_SAME;
          break;
        }
    }
  qsort (v->pairs, v->n_pairs, sizeof *v->pairs, pair_order);
  /* The pairs of one client mode are together (pair_order() sorts by it
   * first); each client mode gets its own lines, tagged when there are
   * several, since they answer with different load generators. */
  {
    gboolean several = v->n_pairs > 0 && v->pairs[0].thread->scenario.client_mode
                       != v->pairs[v->n_pairs - 1].thread->scenario.client_mode;
    guint same = 0;

    for (guint start = 0, end; start < v->n_pairs; start = end)
      {
        FsClientMode cm = v->pairs[start].thread->scenario.client_mode;
        g_autofree char *tag = several ? g_strdup_printf (" (client mode %s)",
                                                          fs_client_mode_name (cm))
                                       : g_strdup ("");

        for (end = start; end < v->n_pairs && v->pairs[end].thread->scenario.client_mode == cm;
             end++)
          ;
        if (cm == FS_CLIENT_SAME)
          same = end - start;
        for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
          {
            char *line = speed_line (v->pairs + start, end - start, ops[i], tag);
            if (line != NULL)
              g_ptr_array_add (v->conclusions, line);
          }
        for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
          {
            char *line = cost_line (v->pairs + start, end - start, ops[i], tag);
            if (line != NULL)
              g_ptr_array_add (v->conclusions, line);
          }
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
fs_verdict_find (const FsVerdict *v, const FsScenarioResult *sr)
{
  for (guint i = 0; i < v->n_pairs; i++)
    if (v->pairs[i].thread == sr || v->pairs[i].process == sr)
      return &v->pairs[i];
  return NULL;
}

static void
add_comparison (JsonBuilder *b, const char *name, const FsComparison *c, const FsPair *p)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "figure");
  json_builder_add_string_value (b, fs_figure_name (c->figure));
  fs_json_add_number (b, "thread", p->thread->median[c->figure]);
  fs_json_add_number (b, "thread_min", p->thread->min[c->figure]);
  fs_json_add_number (b, "thread_max", p->thread->max[c->figure]);
  fs_json_add_number (b, "process", p->process->median[c->figure]);
  fs_json_add_number (b, "process_min", p->process->min[c->figure]);
  fs_json_add_number (b, "process_max", p->process->max[c->figure]);
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
      g_autofree char *runs = g_strdup_printf ("%s_runs", side == 0 ? "thread" : "process");
      g_autofree char *ops = g_strdup_printf ("%s_operations",
                                              side == 0 ? "thread" : "process");

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
      const FsScenario *s = &p->thread->scenario;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "client_mode");
      json_builder_add_string_value (b, fs_client_mode_name (s->client_mode));
      json_builder_set_member_name (b, "compares_servers_alone");
      json_builder_add_boolean_value (b, p->servers_alone);
      json_builder_set_member_name (b, "operation");
      json_builder_add_string_value (b, fs_pool_operation_name (s->operation));
      fs_json_add_number (b, "volume", s->volume);
      json_builder_set_member_name (b, "volume_unit");
      json_builder_add_string_value (b, fs_volume_unit (p->thread->quick));
      json_builder_set_member_name (b, "client_pool");
      json_builder_add_int_value (b, s->client_pool);
      json_builder_set_member_name (b, "server_pool");
      json_builder_add_int_value (b, s->server_pool);
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
  if (v->conclusions->len == 0 && v->answer->len == 0)
    return;
  fprintf (out, "\nVerdict, thread against process (clear = the 95%% interval of the ratio "
           "excludes 1):\n");
  for (guint i = 0; i < v->conclusions->len; i++)
    print_wrapped (out, v->conclusions->pdata[i]);
  if (v->answer->len == 0)
    return;
  fprintf (out, "\nAnswer:\n");
  for (guint i = 0; i < v->answer->len; i++)
    print_wrapped (out, v->answer->pdata[i]);
}
