/* pool-ranks.c: the ranks of a filestorm-pool-mpi job, without MPI: how
 * the clients are shared out, and what the merged result and each rank's
 * row say, as JSON and as the summary people read. */
#include "config.h"

#include "pool-mpi.h"

#include <string.h>

guint
fs_pool_mpi_share (guint total, guint rank, guint n_ranks)
{
  return total / n_ranks + (rank < total % n_ranks ? 1 : 0);
}

/* The hosts, each once, in the order of their first rank. */
static GPtrArray *
distinct_hosts (const FsPoolRankRow *rows, guint n)
{
  GPtrArray *hosts = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    {
      gboolean seen = FALSE;
      for (guint j = 0; j < hosts->len && !seen; j++)
        seen = strcmp (g_ptr_array_index (hosts, j), rows[i].host) == 0;
      if (!seen)
        g_ptr_array_add (hosts, (gpointer) rows[i].host);
    }
  return hosts;
}

JsonNode *
fs_pool_mpi_to_json (const FsPoolResult *merged, const FsPoolRankRow *rows, guint n)
{
  JsonNode *node = fs_pool_result_to_json (merged);
  JsonObject *top = json_node_get_object (node);
  g_autoptr(GPtrArray) hosts = distinct_hosts (rows, n);
  JsonArray *names = json_array_sized_new (hosts->len);
  JsonArray *per_rank = json_array_sized_new (n);
  gint64 peak = 0, client_peak = 0;

  for (guint i = 0; i < hosts->len; i++)
    json_array_add_string_element (names, g_ptr_array_index (hosts, i));
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_object_new ();

      json_object_set_int_member (row, "rank", rows[i].rank);
      json_object_set_string_member (row, "host", rows[i].host);
      json_object_set_int_member (row, "client_pool", rows[i].clients);
      json_object_set_int_member (row, "success", (gint64) rows[i].success);
      json_object_set_int_member (row, "fail", (gint64) rows[i].fail);
      json_object_set_double_member (row, "total_time_s", rows[i].total_time_s);
      json_object_set_double_member (row, "latency_p50_ms", rows[i].latency_p50_ms);
      json_object_set_int_member (row, "peak_rss_kib",
                                  MAX (rows[i].peak_rss_kib, rows[i].client_peak_rss_kib));
      peak = MAX (peak, rows[i].peak_rss_kib);
      client_peak = MAX (client_peak, rows[i].client_peak_rss_kib);
      if (rows[i].first_error[0] != '\0')
        json_object_set_string_member (row, "first_error", rows[i].first_error);
      else
        json_object_set_null_member (row, "first_error");
      json_array_add_object_element (per_rank, row);
    }
  /* The job's load generator: its largest rank and client, wherever
   * they ran. */
  json_object_set_int_member (top, "peak_rss_kib", peak);
  json_object_set_int_member (top, "client_peak_rss_kib", client_peak);
  json_object_set_int_member (top, "ranks", n);
  json_object_set_array_member (top, "hosts", names);
  json_object_set_array_member (top, "per_rank", per_rank);
  return node;
}

void
fs_pool_mpi_print (const FsPoolResult *merged, const FsPoolRankRow *rows, guint n, FILE *out)
{
  g_autoptr(GPtrArray) hosts = distinct_hosts (rows, n);
  g_autoptr(GString) list = g_string_new (NULL);
  int width = 4;

  fs_pool_result_print (merged, out);
  for (guint i = 0; i < hosts->len; i++)
    g_string_append_printf (list, "%s%s", i > 0 ? ", " : "",
                            (const char *) g_ptr_array_index (hosts, i));
  for (guint i = 0; i < n; i++)
    width = MAX (width, (int) MIN (strlen (rows[i].host), 40));
  fprintf (out, "Ranks:                   %u on %u host%s (%s)\n", n, hosts->len,
           hosts->len == 1 ? "" : "s", list->str);
  fprintf (out, "  %4s  %-*s  %7s  %8s  %8s  %8s  %8s\n", "rank", width, "host", "clients",
           "success", "fail", "time s", "p50 ms");
  for (guint i = 0; i < n; i++)
    fprintf (out, "  %4d  %-*.40s  %7u  %8" G_GUINT64_FORMAT "  %8" G_GUINT64_FORMAT
             "  %8.3f  %8.2f\n", rows[i].rank, width, rows[i].host, rows[i].clients,
             rows[i].success, rows[i].fail, rows[i].total_time_s, rows[i].latency_p50_ms);
}
