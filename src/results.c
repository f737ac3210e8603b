/* results.c: filestorm-stress's results files and closing table.
 *
 * Each finished scenario is appended to the CSV and fsync()ed at once,
 * and the JSON file is rewritten whole (atomically, by rename) with every
 * row so far: a run killed at any moment leaves both files valid and
 * holding every scenario that finished.
 *
 * Names: fs_results_open() never overwrites earlier results. When
 * orchestrator_results_<stamp>.csv or its .json already exists (two runs
 * started in the same second), it uses orchestrator_results_<stamp>-2,
 * then -3 and so on; the files are created with O_EXCL, so two runs
 * racing for a name cannot both get it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "results.h"
#include "util.h"

/* Suffixes tried before giving up: -2 .. -999. */
#define MAX_SUFFIX 999

struct _FsResults {
  char      *csv_path;   /* (owned) */
  char      *json_path;  /* (owned) */
  int        csv_fd;     /* (owned) */
  JsonArray *rows;       /* (owned) every row added so far, as JSON */
};

static const char csv_header[] =
  "timestamp,mode,server_pool,operation,volume,client_pool,avg_time_s,throughput_Bps,"
  "success,fail,server_success,server_fail,aggregate_Bps,total_time_s,p50_ms,p90_ms,"
  "p99_ms,max_ms,verified,worker_restarts,volume_unit,volume_bytes,error";

/* ------------------------------------------------------------- the row */

void
fs_result_row_clear (FsResultRow *row)
{
  g_clear_pointer (&row->timestamp, g_free);
  g_clear_pointer (&row->error, g_free);
}

gboolean
fs_result_row_failed (const FsResultRow *row)
{
  return row->fail > 0 || row->server_fail > 0 || row->error != NULL
         || row->worker_restarts > 0 || !row->verified;
}

/* A fixed-point number with the C locale's dot whatever the user's locale
 * says, so the CSV reads the same everywhere; empty for NaN and infinity,
 * which no spreadsheet takes as a number. */
static const char *
format_fixed (const char *format, double v, char buf[G_ASCII_DTOSTR_BUF_SIZE])
{
  if (!isfinite (v))
    buf[0] = '\0';
  else
    g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, format, v);
  return buf;
}

static gboolean
is_list (const FsResultRow *row)
{
  return row->scenario.operation == FS_OP_LIST;
}

static const char *
volume_unit (const FsResultRow *row)
{
  return row->quick ? "KB" : "MB";
}

/* ------------------------------------------------------------------ CSV */

const char *
fs_results_csv_header (void)
{
  return csv_header;
}

/* RFC 4180: a field holding a comma, a double quote, CR or LF is quoted,
 * with its quotes doubled. Every field is preceded by a comma, and the
 * record's first one dropped at the end, so an empty first field still
 * counts. NULL is an empty field. */
static void
add_field (GString *s, const char *text)
{
  g_string_append_c (s, ',');
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (s, text);
      return;
    }
  g_string_append_c (s, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

static void
add_u64 (GString *s, guint64 v)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, v);
  add_field (s, buf);
}

static void
add_fixed (GString *s, const char *format, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  add_field (s, format_fixed (format, v, buf));
}

/* A rate; list moves no content, so it has none ("-", as the original
 * wrote for every row). */
static void
add_rate (GString *s, const FsResultRow *row, double v)
{
  if (is_list (row))
    add_field (s, "-");
  else
    add_fixed (s, "%.1f", v);
}

char *
fs_results_csv_record (const FsResultRow *row)
{
  GString *s = g_string_new (NULL);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  add_field (s, row->timestamp);
  add_field (s, fs_mode_name (row->scenario.mode));
  add_u64 (s, row->scenario.server_pool);
  add_field (s, fs_pool_operation_name (row->scenario.operation));
  add_field (s, fs_format_number (row->scenario.volume, buf));
  add_u64 (s, row->scenario.client_pool);
  add_fixed (s, "%.6f", row->avg_time_s);
  add_rate (s, row, row->throughput_Bps);
  add_u64 (s, row->success);
  add_u64 (s, row->fail);
  add_u64 (s, row->server_success);
  add_u64 (s, row->server_fail);
  add_rate (s, row, row->aggregate_Bps);
  add_fixed (s, "%.6f", row->total_time_s);
  add_fixed (s, "%.3f", row->p50_ms);
  add_fixed (s, "%.3f", row->p90_ms);
  add_fixed (s, "%.3f", row->p99_ms);
  add_fixed (s, "%.3f", row->max_ms);
  add_field (s, row->verified ? "true" : "false");
  add_u64 (s, row->worker_restarts);
  add_field (s, volume_unit (row));
  add_u64 (s, row->volume_bytes);
  add_field (s, row->error);
  g_string_erase (s, 0, 1);
  return g_string_free (s, FALSE);
}

/* ----------------------------------------------------------------- JSON */

static void
add_json_double (JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name (b, name);
  /* JSON has no NaN or infinity. */
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
add_json_int (JsonBuilder *b, const char *name, guint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, (gint64) MIN (v, (guint64) G_MAXINT64));
}

static void
add_json_string (JsonBuilder *b, const char *name, const char *v)
{
  json_builder_set_member_name (b, name);
  if (v != NULL)
    json_builder_add_string_value (b, v);
  else
    json_builder_add_null_value (b);
}

JsonNode *
fs_result_row_to_json (const FsResultRow *row)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_json_string (b, "timestamp", row->timestamp);
  add_json_string (b, "mode", fs_mode_name (row->scenario.mode));
  add_json_int (b, "server_pool", row->scenario.server_pool);
  add_json_string (b, "operation", fs_pool_operation_name (row->scenario.operation));
  add_json_double (b, "volume", row->scenario.volume);
  add_json_int (b, "client_pool", row->scenario.client_pool);
  add_json_double (b, "avg_time_s", row->avg_time_s);
  if (is_list (row))
    {
      json_builder_set_member_name (b, "throughput_Bps");
      json_builder_add_null_value (b);
    }
  else
    add_json_double (b, "throughput_Bps", row->throughput_Bps);
  add_json_int (b, "success", row->success);
  add_json_int (b, "fail", row->fail);
  add_json_int (b, "server_success", row->server_success);
  add_json_int (b, "server_fail", row->server_fail);
  if (is_list (row))
    {
      json_builder_set_member_name (b, "aggregate_Bps");
      json_builder_add_null_value (b);
    }
  else
    add_json_double (b, "aggregate_Bps", row->aggregate_Bps);
  add_json_double (b, "total_time_s", row->total_time_s);
  add_json_double (b, "p50_ms", row->p50_ms);
  add_json_double (b, "p90_ms", row->p90_ms);
  add_json_double (b, "p99_ms", row->p99_ms);
  add_json_double (b, "max_ms", row->max_ms);
  json_builder_set_member_name (b, "verified");
  json_builder_add_boolean_value (b, row->verified);
  add_json_int (b, "worker_restarts", row->worker_restarts);
  add_json_string (b, "volume_unit", volume_unit (row));
  add_json_int (b, "volume_bytes", row->volume_bytes);
  add_json_string (b, "error", row->error);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---------------------------------------------------------------- files */

static gboolean
set_errno_error (GError **error, int saved_errno, const char *what, const char *path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "cannot %s %s: %s",
               what, path, g_strerror (saved_errno));
  return FALSE;
}

/* Appends and makes it durable: on disk, not only in the page cache, so
 * the row survives a crash of the machine the server under test may have
 * provoked. */
static gboolean
write_durably (int fd, const char *data, gsize len, const char *path, GError **error)
{
  if (!fs_write_all (fd, data, len, path, error))
    return FALSE;
  if (fsync (fd) < 0)
    return set_errno_error (error, errno, "sync", path);
  return TRUE;
}

/* Creates path, failing with EEXIST rather than touching an existing
 * file. Returns the descriptor or -1 with errno set. */
static int
create_new (const char *path)
{
  int fd;

  do
    fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  while (fd < 0 && errno == EINTR);
  return fd;
}

/* Claims base.csv and base.json, both new. Returns FALSE with *busy set
 * when either exists already. */
static gboolean
claim (FsResults *r, const char *base, gboolean *busy, GError **error)
{
  g_autofree char *csv = g_strconcat (base, ".csv", NULL);
  g_autofree char *json = g_strconcat (base, ".json", NULL);
  int fd, json_fd, saved;
  gboolean ok;

  *busy = FALSE;
  fd = create_new (csv);
  if (fd < 0)
    {
      *busy = errno == EEXIST;
      return set_errno_error (error, errno, "create", csv);
    }
  json_fd = create_new (json);
  if (json_fd < 0)
    {
      saved = errno;
      close (fd);
      g_unlink (csv);
      *busy = saved == EEXIST;
      return set_errno_error (error, saved, "create", json);
    }
  /* A valid, empty document from the start, so a reader never finds an
   * empty file. */
  ok = write_durably (json_fd, "[]\n", 3, json, error);
  close (json_fd);
  if (!ok)
    {
      close (fd);
      g_unlink (csv);
      g_unlink (json);
      return FALSE;
    }
  r->csv_fd = fd;
  r->csv_path = g_steal_pointer (&csv);
  r->json_path = g_steal_pointer (&json);
  return TRUE;
}

FsResults *
fs_results_open (const char *dir, GDateTime *started, GError **error)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (started);
  g_autofree char *stamp = g_date_time_format (local, "%Y%m%d_%H%M%S");
  g_autoptr(FsResults) r = g_new0 (FsResults, 1);
  g_autofree char *line = NULL;

  r->csv_fd = -1;
  if (g_mkdir_with_parents (dir, 0777) < 0)
    {
      set_errno_error (error, errno, "create directory", dir);
      return NULL;
    }
  for (guint n = 1; r->csv_path == NULL; n++)
    {
      g_autofree char *name = n == 1
        ? g_strdup_printf ("orchestrator_results_%s", stamp)
        : g_strdup_printf ("orchestrator_results_%s-%u", stamp, n);
      g_autofree char *base = g_build_filename (dir, name, NULL);
      g_autoptr(GError) local_error = NULL;
      gboolean busy;

      if (claim (r, base, &busy, &local_error))
        break;
      if (!busy || n == MAX_SUFFIX)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  r->rows = json_array_new ();

  line = g_strconcat (csv_header, "\r\n", NULL);
  if (!write_durably (r->csv_fd, line, strlen (line), r->csv_path, error))
    return NULL;
  return g_steal_pointer (&r);
}

gboolean
fs_results_add (FsResults *r, const FsResultRow *row, GError **error)
{
  g_autofree char *record = fs_results_csv_record (row);
  g_autofree char *line = g_strconcat (record, "\r\n", NULL);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *text = NULL;
  g_autofree char *doc = NULL;

  if (!write_durably (r->csv_fd, line, strlen (line), r->csv_path, error))
    return FALSE;

  /* Kept even when the rewrite below fails, so the next one has it. */
  json_array_add_element (r->rows, fs_result_row_to_json (row));
  json_node_set_array (root, r->rows);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  doc = g_strconcat (text, "\n", NULL);
  /* Written to a temporary file, synced and renamed over the old one:
   * readers see the previous document or the new one, never half. */
  return g_file_set_contents (r->json_path, doc, -1, error);
}

const char *
fs_results_csv_path (FsResults *r)
{
  return r->csv_path;
}

const char *
fs_results_json_path (FsResults *r)
{
  return r->json_path;
}

void
fs_results_free (FsResults *r)
{
  if (r == NULL)
    return;
  if (r->csv_fd >= 0)
    close (r->csv_fd);
  g_free (r->csv_path);
  g_free (r->json_path);
  g_clear_pointer (&r->rows, json_array_unref);
  g_free (r);
}

/* ---------------------------------------------------------------- table */

enum { COL_MODE, COL_OP, COL_VOL, COL_CLI, COL_SRV, COL_AVG, COL_THRPT, COL_SUCFAL, N_COLS };

static const char *const col_titles[N_COLS] = {
  "Mode", "Op", "Vol", "CliPool", "SrvPool", "Avg(s)", "Thrpt", "Suc/Fal",
};

/* Numbers right-aligned so their digits line up; names to the left. */
static const gboolean col_right[N_COLS] = {
  FALSE, FALSE, TRUE, TRUE, TRUE, TRUE, TRUE, TRUE,
};

static char *
human_rate (double bps)
{
  static const char *const units[] = { "B/s", "KiB/s", "MiB/s", "GiB/s", "TiB/s" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  guint u = 0;

  if (!isfinite (bps))
    return g_strdup ("-");
  while (bps >= 1024 && u + 1 < G_N_ELEMENTS (units))
    {
      bps /= 1024;
      u++;
    }
  return g_strdup_printf ("%s %s", g_ascii_formatd (buf, sizeof buf, "%.1f", bps), units[u]);
}

static void
print_line (FILE *out, const char *const cells[N_COLS], const guint widths[N_COLS])
{
  for (guint c = 0; c < N_COLS; c++)
    {
      int w = (int) widths[c];

      if (c > 0)
        fputs (" | ", out);
      if (col_right[c])
        fprintf (out, "%*s", w, cells[c]);
      else if (c + 1 < N_COLS)
        fprintf (out, "%-*s", w, cells[c]);
      else
        fputs (cells[c], out);
    }
  fputc ('\n', out);
}

void
fs_results_print_table (FsResultRow *rows, guint n, FILE *out)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  guint widths[N_COLS];
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint c = 0; c < N_COLS; c++)
    widths[c] = (guint) strlen (col_titles[c]);

  /* Formatted first, so every column is as wide as its widest cell. */
  for (guint i = 0; i < n; i++)
    {
      const FsResultRow *row = &rows[i];

      g_ptr_array_add (cells, g_strdup (fs_mode_name (row->scenario.mode)));
      g_ptr_array_add (cells, g_strdup (fs_pool_operation_name (row->scenario.operation)));
      g_ptr_array_add (cells, g_strconcat (fs_format_number (row->scenario.volume, buf),
                                           volume_unit (row), NULL));
      g_ptr_array_add (cells, g_strdup_printf ("%u", row->scenario.client_pool));
      g_ptr_array_add (cells, g_strdup_printf ("%u", row->scenario.server_pool));
      g_ptr_array_add (cells, g_strdup (format_fixed ("%.3f", row->avg_time_s, buf)));
      g_ptr_array_add (cells, is_list (row) ? g_strdup ("-") : human_rate (row->throughput_Bps));
      g_ptr_array_add (cells, g_strdup_printf ("%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT,
                                               row->success, row->fail));
    }
  for (guint i = 0; i < cells->len; i++)
    widths[i % N_COLS] = MAX (widths[i % N_COLS], (guint) strlen (cells->pdata[i]));

  print_line (out, col_titles, widths);
  for (guint c = 0; c < N_COLS; c++)
    {
      if (c > 0)
        fputs ("-+-", out);
      for (guint k = 0; k < widths[c]; k++)
        fputc ('-', out);
    }
  fputc ('\n', out);
  for (guint i = 0; i < n; i++)
    print_line (out, (const char *const *) &cells->pdata[i * N_COLS], widths);
}
