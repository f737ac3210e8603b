/* test-scenario.c: the scenario matrix (scenario.c) and the results
 * files and table (results.c) of filestorm-stress.
 *
 * The CSV is read back with a small RFC 4180 parser of the test's own,
 * strict about CRLF, so quoting is checked by a round trip rather than by
 * comparing against text produced the same way. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "errors.h"
#include "results.h"
#include "scenario.h"

#define N_COLUMNS 23

/* ------------------------------------------------------------- helpers */

static char *
default_matrix_path (void)
{
  const char *srcdir = g_getenv ("FILESTORM_SRCDIR");

  if (srcdir != NULL)
    return g_build_filename (srcdir, "data", "scenarios.conf", NULL);
  /* Run by hand from the build tree: tests/../data. */
  return g_build_filename (g_test_get_dir (G_TEST_BUILT), "..", "data", "scenarios.conf", NULL);
}

static FsMatrix *
load_default (void)
{
  g_autofree char *path = default_matrix_path ();
  g_autoptr(GError) error = NULL;
  FsMatrix *m = fs_matrix_load (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (m);
  return m;
}

static FsMatrix *
load_text (const char *text, GError **error)
{
  return fs_matrix_load_data (text, strlen (text), "test.conf", error);
}

static guint
count_scenarios (const FsMatrix *m)
{
  g_autoptr(GArray) all = fs_matrix_expand (m, FALSE, 1);

  return all->len;
}

/* The matrix's volumes as "10,100". */
static char *
volumes_of (const FsMatrix *m)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < m->volumes->len; i++)
    g_string_append_printf (s, "%s%g", i ? "," : "", g_array_index (m->volumes, double, i));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Splits text (a whole CSV file) into records of fields. Fails the test
 * on anything RFC 4180 does not allow: a bare CR or LF outside quotes,
 * text after a closing quote, an unterminated quote. */
static GPtrArray *
csv_parse (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  const char *p = text;

  while (*p != '\0')
    {
      GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);

      g_ptr_array_add (records, fields);
      for (;;)
        {
          GString *field = g_string_new (NULL);

          if (*p == '"')
            {
              for (p++;; p++)
                {
                  g_assert_true (*p != '\0');  /* unterminated quote */
                  if (*p == '"' && p[1] == '"')
                    {
                      g_string_append_c (field, '"');
                      p++;
                    }
                  else if (*p == '"')
                    {
                      p++;
                      break;
                    }
                  else
                    g_string_append_c (field, *p);
                }
            }
          else
            {
              for (; *p != '\0' && *p != ',' && *p != '\r' && *p != '\n'; p++)
                {
                  g_assert_true (*p != '"');  /* a quote inside an unquoted field */
                  g_string_append_c (field, *p);
                }
            }
          g_ptr_array_add (fields, g_string_free (field, FALSE));
          if (*p == ',')
            {
              p++;
              continue;
            }
          /* Every record, the last included, ends with CRLF. */
          g_assert_cmpint (p[0], ==, '\r');
          g_assert_cmpint (p[1], ==, '\n');
          p += 2;
          break;
        }
    }
  return records;
}

static const char *
field (GPtrArray *records, guint r, guint f)
{
  GPtrArray *fields = records->pdata[r];

  g_assert_cmpuint (f, <, fields->len);
  return fields->pdata[f];
}

/* The index of a column by its header name. */
static guint
column (const char *name)
{
  g_auto(GStrv) names = g_strsplit (fs_results_csv_header (), ",", -1);

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], name))
      return i;
  g_assert_not_reached ();
}

static void
row_init (FsResultRow *row, FsOperation op)
{
  memset (row, 0, sizeof *row);
  row->scenario = (FsScenario) {
    .index = 1, .mode = FS_MODE_PROCESS, .operation = op, .volume = 10, .volume_mb = 10,
    .client_pool = 5, .server_pool = 50,
  };
  row->timestamp = g_strdup ("2026-11-25 10:15:42");
  row->avg_time_s = 1.5;
  row->throughput_Bps = op == FS_OP_LIST ? 0 : 123.4 * 1048576;
  row->aggregate_Bps = op == FS_OP_LIST ? 0 : 456.75 * 1048576;
  row->total_time_s = 2.25;
  row->success = 5;
  row->p50_ms = 12.3456;
  row->p90_ms = 20;
  row->p99_ms = 30.0004;
  row->max_ms = 31;
  row->verified = TRUE;
  row->volume_bytes = 10485760;
  row->server_success = 6;
}

static char *
make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-scenario-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          rm_rf (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* -------------------------------------------------------- the matrix */

static void
test_default_expand (void)
{
  g_autoptr(FsMatrix) m = load_default ();
  g_autoptr(GArray) all = fs_matrix_expand (m, FALSE, 1);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  static const char *const modes[] = { "thread", "process" };
  static const char *const ops[] = { "upload", "download", "list" };
  static const char *const vols[] = { "10", "50", "100" };
  static const guint pools[] = { 1, 5, 50 };

  g_assert_cmpuint (m->timeout, ==, 60);
  g_assert_cmpuint (m->repeat, ==, 1);
  g_assert_cmpuint (all->len, ==, 162);
  for (guint i = 0; i < all->len; i++)
    {
      const FsScenario *s = &g_array_index (all, FsScenario, i);
      g_autofree char *got = fs_scenario_describe (s, FALSE);
      /* Modes outermost, server pools innermost. */
      g_autofree char *want = g_strdup_printf ("%s %s %sMB c%u s%u", modes[i / 81],
                                               ops[i / 27 % 3], vols[i / 9 % 3],
                                               pools[i / 3 % 3], pools[i % 3]);

      g_assert_cmpuint (s->index, ==, i + 1);
      g_assert_cmpstr (got, ==, want);
      g_assert_cmpfloat (s->volume_mb, ==, s->volume);
      g_assert_false (g_hash_table_contains (seen, got));
      g_hash_table_add (seen, g_steal_pointer (&got));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 162);
}

static void
test_load_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsMatrix) m = fs_matrix_load ("/nonexistent/scenarios.conf", &error);

  g_assert_null (m);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

static void
test_restrict_single (void)
{
  g_autoptr(FsMatrix) m = load_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) all = NULL;

  g_assert_true (fs_matrix_restrict (m, "mode", "process", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (m->modes->len, ==, 1);
  all = fs_matrix_expand (m, FALSE, 1);
  g_assert_cmpuint (all->len, ==, 81);
  for (guint i = 0; i < all->len; i++)
    {
      g_assert_cmpint (g_array_index (all, FsScenario, i).mode, ==, FS_MODE_PROCESS);
      g_assert_cmpuint (g_array_index (all, FsScenario, i).index, ==, i + 1);
    }
}

static void
test_restrict_multiple (void)
{
  g_autoptr(FsMatrix) m = load_default ();
  g_autoptr(GError) error = NULL;
  g_autofree char *vols = NULL;

  /* Given out of order: the matrix's order wins. */
  g_assert_true (fs_matrix_restrict (m, "volume", "100, 10", &error));
  g_assert_no_error (error);
  vols = volumes_of (m);
  g_assert_cmpstr (vols, ==, "10,100");

  g_assert_true (fs_matrix_restrict (m, "operation", "list,upload", &error));
  g_assert_cmpint (g_array_index (m->operations, FsOperation, 0), ==, FS_OP_UPLOAD);
  g_assert_cmpint (g_array_index (m->operations, FsOperation, 1), ==, FS_OP_LIST);
  g_assert_true (fs_matrix_restrict (m, "client-pool", "50,1", &error));
  g_assert_true (fs_matrix_restrict (m, "server-pool", "5", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_scenarios (m), ==, 2 * 2 * 2 * 2 * 1);
  g_assert_cmpuint (g_array_index (m->client_pools, guint, 0), ==, 1);
  g_assert_cmpuint (g_array_index (m->client_pools, guint, 1), ==, 50);
}

static void
test_restrict_numeric (void)
{
  g_autoptr(FsMatrix) m = load_default ();
  g_autoptr(GError) error = NULL;

  g_assert_true (fs_matrix_restrict (m, "volume", "10.0,5e1", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (m->volumes->len, ==, 2);
  g_assert_cmpfloat (g_array_index (m->volumes, double, 0), ==, 10);
  g_assert_cmpfloat (g_array_index (m->volumes, double, 1), ==, 50);
  g_assert_true (fs_matrix_restrict (m, "client-pool", "05", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_array_index (m->client_pools, guint, 0), ==, 5);
  /* "get" is download, as for filestorm-pool. */
  g_assert_true (fs_matrix_restrict (m, "operation", "get", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (m->operations->len, ==, 1);
  g_assert_cmpint (g_array_index (m->operations, FsOperation, 0), ==, FS_OP_DOWNLOAD);
}

static void
test_restrict_errors (void)
{
  static const struct { const char *key, *list, *message; } cases[] = {
    { "volume", "7", "--volume 7: not in the matrix (10, 50, 100)" },
    { "volume", "10,7", "--volume 7: not in the matrix (10, 50, 100)" },
    { "volume", "ten", "--volume ten: not a number" },
    { "mode", "threads", "--mode threads: not a mode (thread or process)" },
    { "operation", "delete", "--operation delete: not an operation (upload, download or list)" },
    { "client-pool", "2", "--client-pool 2: not in the matrix (1, 5, 50)" },
    { "server-pool", "0", "--server-pool 0: not between 1 and 1024" },
    { "server-pool", "", NULL },
    { "server-pool", " , ", NULL },
    { "volume", "10,,50", NULL },
    { "volumes", "10", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FsMatrix) m = load_default ();
      g_autoptr(GError) error = NULL;

      g_test_message ("--%s '%s'", cases[i].key, cases[i].list);
      g_assert_false (fs_matrix_restrict (m, cases[i].key, cases[i].list, &error));
      g_assert_error (error, FS_ERROR, FS_ERROR_USAGE);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
      /* A failed restriction leaves the matrix whole. */
      g_assert_cmpuint (count_scenarios (m), ==, 162);
    }
}

#define GOOD_MATRIX \
  "[matrix]\nmodes=thread;process\noperations=upload;download;list\n" \
  "volumes=10;50;100\nclient_pools=1;5;50\nserver_pools=1;5;50\n"

static void
test_bad_files (void)
{
  /* Each file, and words its error message must contain: the key, and
   * the bad value where there is one. */
  static const struct { const char *text; const char *words[3]; } cases[] = {
    /* A missing key. */
    { "[matrix]\nmodes=thread\noperations=list\nvolumes=1\nclient_pools=1\n",
      { "server_pools", "missing" } },
    { "[matrix]\noperations=list\nvolumes=1\nclient_pools=1\nserver_pools=1\n",
      { "modes", "missing" } },
    { "[run]\ntimeout=5\n", { "[matrix]" } },
    { "", { "[matrix]" } },
    /* An empty list. */
    { "[matrix]\nmodes=thread\noperations=list\nvolumes=\nclient_pools=1\nserver_pools=1\n",
      { "volumes", "empty" } },
    { "[matrix]\nmodes=thread\noperations=list;;upload\nvolumes=1\nclient_pools=1\n"
      "server_pools=1\n", { "operations", "empty" } },
    /* Bad names. */
    { "[matrix]\nmodes=thread;fork\noperations=list\nvolumes=1\nclient_pools=1\n"
      "server_pools=1\n", { "modes", "fork" } },
    { "[matrix]\nmodes=thread\noperations=put\nvolumes=1\nclient_pools=1\nserver_pools=1\n",
      { "operations", "put" } },
    /* Out of range. */
    { "[matrix]\nmodes=thread\noperations=list\nvolumes=1\nclient_pools=0\nserver_pools=1\n",
      { "test.conf: [matrix] client_pools: 0 is not between 1 and 10000" } },
    { "[matrix]\nmodes=thread\noperations=list\nvolumes=1\nclient_pools=10001\n"
      "server_pools=1\n", { "client_pools", "10001" } },
    { "[matrix]\nmodes=thread\noperations=list\nvolumes=1\nclient_pools=1\n"
      "server_pools=1025\n", { "server_pools", "1025", "1024" } },
    { "[matrix]\nmodes=thread\noperations=list\nvolumes=1\nclient_pools=-5\nserver_pools=1\n",
      { "client_pools", "-5" } },
    { "[matrix]\nmodes=thread\noperations=list\nvolumes=1\nclient_pools=1\n"
      "server_pools=99999999999999999999999\n", { "server_pools", "99999999999999999999999" } },
    { "[matrix]\nmodes=thread\noperations=list\nvolumes=10;-1\nclient_pools=1\n"
      "server_pools=1\n", { "volumes", "-1" } },
    { "[matrix]\nmodes=thread\noperations=list\nvolumes=0\nclient_pools=1\nserver_pools=1\n",
      { "volumes", "0" } },
    { "[matrix]\nmodes=thread\noperations=list\nvolumes=nan\nclient_pools=1\nserver_pools=1\n",
      { "volumes", "nan" } },
    { "[matrix]\nmodes=thread\noperations=list\nvolumes=inf\nclient_pools=1\nserver_pools=1\n",
      { "volumes", "inf" } },
    /* Not numbers at all. */
    { "[matrix]\nmodes=thread\noperations=list\nvolumes=ten\nclient_pools=1\nserver_pools=1\n",
      { "volumes", "ten", "not a number" } },
    { "[matrix]\nmodes=thread\noperations=list\nvolumes=10MB\nclient_pools=1\n"
      "server_pools=1\n", { "volumes", "10MB" } },
    { "[matrix]\nmodes=thread\noperations=list\nvolumes=1\nclient_pools=5x\nserver_pools=1\n",
      { "client_pools", "5x", "whole number" } },
    { "[matrix]\nmodes=thread\noperations=list\nvolumes=1\nclient_pools=2.5\nserver_pools=1\n",
      { "client_pools", "2.5" } },
    /* Duplicates, also under another spelling. */
    { "[matrix]\nmodes=thread;thread\noperations=list\nvolumes=1\nclient_pools=1\n"
      "server_pools=1\n", { "modes", "thread", "twice" } },
    { "[matrix]\nmodes=thread\noperations=download;get\nvolumes=1\nclient_pools=1\n"
      "server_pools=1\n", { "operations", "download", "twice" } },
    { "[matrix]\nmodes=thread\noperations=list\nvolumes=10;10.0\nclient_pools=1\n"
      "server_pools=1\n", { "volumes", "10", "twice" } },
    { "[matrix]\nmodes=thread\noperations=list\nvolumes=1\nclient_pools=5;1;5\n"
      "server_pools=1\n", { "client_pools", "5", "twice" } },
    { GOOD_MATRIX "volumes=1\n", { "volumes", "twice" } },
    /* Unknown groups and keys: typos. */
    { GOOD_MATRIX "client_pool=5\n", { "client_pool", "unknown" } },
    { GOOD_MATRIX "modes[de]=thread\n", { "modes[de]", "unknown" } },
    { GOOD_MATRIX "[run]\ntimeout=5\nrepeats=2\n", { "repeats", "unknown" } },
    { GOOD_MATRIX "[runs]\ntimeout=5\n", { "[runs]", "unknown" } },
    /* [run]. */
    { GOOD_MATRIX "[run]\ntimeout=0\n", { "timeout", "0" } },
    { GOOD_MATRIX "[run]\nrepeat=x\n", { "repeat", "x" } },
    { GOOD_MATRIX "[run]\nrepeat=-1\n", { "repeat", "-1" } },
    /* Bad escapes: GKeyFile would read part of the value; with two, GLib
     * 2.74 warned about a GError set twice (fatal in a GTest). */
    { "[matrix]\nmodes=thread\noperations=list\nvolumes=1\\c\nclient_pools=1\n"
      "server_pools=1\n", { "volumes", "unknown escape '\\c'" } },
    { "[matrix]\nmodes=thread;b\\L\\\noperations=list\nvolumes=1\nclient_pools=1\n"
      "server_pools=1\n", { "modes", "unknown escape" } },
    { "[matrix]\nmodes=thread\\\noperations=list\nvolumes=1\nclient_pools=1\n"
      "server_pools=1\n", { "modes", "ends in a backslash" } },
    { GOOD_MATRIX "[run]\ntimeout=5\\c\n", { "timeout", "unknown escape" } },
    { GOOD_MATRIX "[run]\ntimeout=5\\x\\\n", { "timeout", "unknown escape" } },
    { GOOD_MATRIX "[run]\nrepeat=\xff\n", { "repeat", "UTF-8" } },
    /* Not a key file. */
    { GOOD_MATRIX "this is not a key\n", { "test.conf" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FsMatrix) m = load_text (cases[i].text, &error);

      g_assert_null (m);
      g_assert_error (error, FS_ERROR, FS_ERROR_USAGE);
      g_test_message ("case %u: %s", i, error->message);
      g_assert_true (g_str_has_prefix (error->message, "test.conf: "));
      for (guint w = 0; w < G_N_ELEMENTS (cases[i].words) && cases[i].words[w] != NULL; w++)
        if (strstr (error->message, cases[i].words[w]) == NULL)
          g_error ("case %u: '%s' does not contain '%s'", i, error->message,
                   cases[i].words[w]);
    }
}

/* 2 x 3 x 100 x 100 x 100 = 6,000,000 scenarios: refused when loaded,
 * not expanded into memory; 100,000 exactly is fine. */
static void
test_too_many_scenarios (void)
{
  g_autoptr(GString) big = g_string_new ("[matrix]\nmodes=thread;process\n"
                                         "operations=upload;download;list\n");
  g_autoptr(GString) edge = g_string_new ("[matrix]\nmodes=thread;process\n"
                                          "operations=upload;download\n");
  const char * const keys[] = { "volumes", "client_pools", "server_pools" };
  g_autoptr(GError) error = NULL;
  g_autoptr(FsMatrix) none = NULL;
  g_autoptr(FsMatrix) most = NULL;

  for (gsize k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      g_string_append_printf (big, "%s=", keys[k]);
      for (int i = 1; i <= 100; i++)
        g_string_append_printf (big, "%d;", i);
      g_string_append_c (big, '\n');
    }
  none = load_text (big->str, &error);
  g_assert_null (none);
  g_assert_error (error, FS_ERROR, FS_ERROR_USAGE);
  g_assert_nonnull (strstr (error->message, "more than 100000 scenarios"));
  g_clear_error (&error);

  /* 2 x 2 x 50 x 25 x 20 */
  g_string_append (edge, "volumes=");
  for (int i = 1; i <= 50; i++)
    g_string_append_printf (edge, "%d;", i);
  g_string_append (edge, "\nclient_pools=");
  for (int i = 1; i <= 25; i++)
    g_string_append_printf (edge, "%d;", i);
  g_string_append (edge, "\nserver_pools=");
  for (int i = 1; i <= 20; i++)
    g_string_append_printf (edge, "%d;", i);
  g_string_append_c (edge, '\n');
  most = load_text (edge->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_scenarios (most), ==, FS_MATRIX_MAX_SCENARIOS);
}

static void
test_good_variants (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsMatrix) m = NULL;

  /* Trailing separator, blanks around items, fractional volumes, get. */
  m = load_text ("# comment\n[matrix]\nmodes = process;\noperations=get ; list\n"
                 "volumes=0.5;2.25\nclient_pools=10000\nserver_pools=1024\n"
                 "[run]\ntimeout=5\nrepeat=3\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (m->modes->len, ==, 1);
  g_assert_cmpint (g_array_index (m->operations, FsOperation, 0), ==, FS_OP_DOWNLOAD);
  g_assert_cmpfloat (g_array_index (m->volumes, double, 1), ==, 2.25);
  g_assert_cmpuint (g_array_index (m->client_pools, guint, 0), ==, 10000);
  g_assert_cmpuint (g_array_index (m->server_pools, guint, 0), ==, 1024);
  g_assert_cmpuint (m->timeout, ==, 5);
  g_assert_cmpuint (m->repeat, ==, 3);
  g_assert_cmpuint (count_scenarios (m), ==, 4);
}

static void
test_quick_scale (void)
{
  g_autoptr(FsMatrix) m = load_default ();
  g_autoptr(GArray) plain = fs_matrix_expand (m, FALSE, 1);
  g_autoptr(GArray) quick = fs_matrix_expand (m, TRUE, 1);
  g_autoptr(GArray) scaled = fs_matrix_expand (m, FALSE, 0.5);
  g_autoptr(GArray) both = fs_matrix_expand (m, TRUE, 3);

  g_assert_cmpuint (quick->len, ==, 162);
  for (guint i = 0; i < plain->len; i++)
    {
      double v = g_array_index (plain, FsScenario, i).volume;

      /* The listed volume stays; only what the pool is asked for moves. */
      g_assert_cmpfloat (g_array_index (quick, FsScenario, i).volume, ==, v);
      g_assert_cmpfloat (g_array_index (quick, FsScenario, i).volume_mb, ==, v / 1024);
      g_assert_cmpfloat (g_array_index (scaled, FsScenario, i).volume_mb, ==, v * 0.5);
      g_assert_cmpfloat (g_array_index (both, FsScenario, i).volume_mb, ==, v * 3 / 1024);
    }
}

static void
test_describe (void)
{
  FsScenario s = {
    .index = 7, .mode = FS_MODE_THREAD, .operation = FS_OP_UPLOAD, .volume = 10,
    .volume_mb = 10, .client_pool = 5, .server_pool = 50,
  };
  g_autofree char *a = fs_scenario_describe (&s, FALSE);
  g_autofree char *b = fs_scenario_describe (&s, TRUE);
  g_autofree char *c = NULL;
  g_autofree char *d = NULL;

  g_assert_cmpstr (a, ==, "thread upload 10MB c5 s50");
  g_assert_cmpstr (b, ==, "thread upload 10KB c5 s50");
  s = (FsScenario) { 1, FS_MODE_PROCESS, FS_OP_DOWNLOAD, 0.1, 0.1, 1, 1 };
  c = fs_scenario_describe (&s, FALSE);
  g_assert_cmpstr (c, ==, "process download 0.1MB c1 s1");
  s = (FsScenario) { 1, FS_MODE_PROCESS, FS_OP_LIST, 1024, 1024, 10000, 1024 };
  d = fs_scenario_describe (&s, TRUE);
  g_assert_cmpstr (d, ==, "process list 1024KB c10000 s1024");
}

/* Numbers must not follow LC_NUMERIC: describe, restrict, CSV. */
static void
test_locale (void)
{
  static const char *const locales[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                                         "fr_FR.utf8", "nl_NL.UTF-8" };
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  const char *set = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (locales) && set == NULL; i++)
    set = setlocale (LC_NUMERIC, locales[i]);
  if (set == NULL)
    {
      g_test_skip ("no locale with a decimal comma installed");
      return;
    }
  {
    FsScenario s = { 1, FS_MODE_THREAD, FS_OP_UPLOAD, 0.5, 0.5, 1, 1 };
    g_autofree char *text = fs_scenario_describe (&s, FALSE);
    g_autoptr(GError) error = NULL;
    g_autoptr(FsMatrix) m = load_text ("[matrix]\nmodes=thread\noperations=upload\n"
                                       "volumes=0.5;1.5\nclient_pools=1\nserver_pools=1\n",
                                       &error);
    FsResultRow row;
    g_autofree char *record = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (text, ==, "thread upload 0.5MB c1 s1");
    g_assert_true (fs_matrix_restrict (m, "volume", "1.5", &error));
    g_assert_no_error (error);
    row_init (&row, FS_OP_UPLOAD);
    record = fs_results_csv_record (&row);
    g_assert_nonnull (strstr (record, ",1.500000,"));
    fs_result_row_clear (&row);
  }
  setlocale (LC_NUMERIC, saved);
}

/* ------------------------------------------------------------- results */

static void
test_csv_header (void)
{
  g_assert_cmpstr (fs_results_csv_header (), ==,
                   "timestamp,mode,server_pool,operation,volume,client_pool,avg_time_s,"
                   "throughput_Bps,success,fail,server_success,server_fail,aggregate_Bps,"
                   "total_time_s,p50_ms,p90_ms,p99_ms,max_ms,verified,worker_restarts,"
                   "volume_unit,volume_bytes,error");
}

static void
test_csv_record (void)
{
  FsResultRow row;
  g_autofree char *record = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) records = NULL;

  row_init (&row, FS_OP_UPLOAD);
  record = fs_results_csv_record (&row);
  fs_result_row_clear (&row);
  g_assert_cmpstr (record, ==,
                   "2026-11-25 10:15:42,process,50,upload,10,5,1.500000,129394278.4,5,0,6,0,"
                   "478937088.0,2.250000,12.346,20.000,30.000,31.000,true,0,MB,10485760,");

  row_init (&row, FS_OP_DOWNLOAD);
  row.quick = TRUE;
  row.verified = FALSE;
  row.scenario.volume = 0.5;
  g_clear_pointer (&record, g_free);
  record = fs_results_csv_record (&row);
  text = g_strconcat (record, "\r\n", NULL);
  records = csv_parse (text);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpuint (((GPtrArray *) records->pdata[0])->len, ==, N_COLUMNS);
  g_assert_cmpstr (field (records, 0, column ("operation")), ==, "download");
  g_assert_cmpstr (field (records, 0, column ("volume")), ==, "0.5");
  g_assert_cmpstr (field (records, 0, column ("volume_unit")), ==, "KB");
  g_assert_cmpstr (field (records, 0, column ("verified")), ==, "false");
  g_assert_cmpstr (field (records, 0, column ("error")), ==, "");
  fs_result_row_clear (&row);
  g_assert_null (row.timestamp);
}

static void
test_csv_quoting (void)
{
  static const char *const errors[] = {
    "server died, twice",
    "said \"no\"",
    "line one\nline two",
    "cr\ronly",
    "all, of \"them\"\r\nat once,",
    "\"",
    ",",
  };

  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    {
      FsResultRow row;
      g_autofree char *record = NULL;
      g_autofree char *text = NULL;
      g_autoptr(GPtrArray) records = NULL;

      row_init (&row, FS_OP_UPLOAD);
      row.error = g_strdup (errors[i]);
      g_free (row.timestamp);
      row.timestamp = g_strdup ("a,\"b\"");
      record = fs_results_csv_record (&row);
      text = g_strconcat (record, "\r\n", NULL);
      records = csv_parse (text);
      g_assert_cmpuint (records->len, ==, 1);
      g_assert_cmpuint (((GPtrArray *) records->pdata[0])->len, ==, N_COLUMNS);
      g_assert_cmpstr (field (records, 0, column ("error")), ==, errors[i]);
      g_assert_cmpstr (field (records, 0, column ("timestamp")), ==, "a,\"b\"");
      g_assert_cmpstr (field (records, 0, column ("mode")), ==, "process");
      fs_result_row_clear (&row);
    }
}

static void
test_csv_list (void)
{
  FsResultRow row;
  g_autofree char *record = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;

  row_init (&row, FS_OP_LIST);
  row.throughput_Bps = 99;  /* whatever it says, list has no rate */
  record = fs_results_csv_record (&row);
  text = g_strconcat (record, "\r\n", NULL);
  records = csv_parse (text);
  g_assert_cmpstr (field (records, 0, column ("operation")), ==, "list");
  g_assert_cmpstr (field (records, 0, column ("throughput_Bps")), ==, "-");
  g_assert_cmpstr (field (records, 0, column ("aggregate_Bps")), ==, "-");
  g_assert_cmpstr (field (records, 0, column ("avg_time_s")), ==, "1.500000");

  node = fs_result_row_to_json (&row);
  o = json_node_get_object (node);
  g_assert_true (json_object_get_null_member (o, "throughput_Bps"));
  g_assert_true (json_object_get_null_member (o, "aggregate_Bps"));
  fs_result_row_clear (&row);
}

static void
test_json_row (void)
{
  FsResultRow row;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) failed = NULL;
  g_auto(GStrv) names = g_strsplit (fs_results_csv_header (), ",", -1);
  JsonObject *o;

  row_init (&row, FS_OP_UPLOAD);
  node = fs_result_row_to_json (&row);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  o = json_node_get_object (node);
  /* The same fields as the CSV, and no others. */
  g_assert_cmpuint (json_object_get_size (o), ==, N_COLUMNS);
  for (guint i = 0; names[i] != NULL; i++)
    g_assert_true (json_object_has_member (o, names[i]));
  g_assert_cmpstr (json_object_get_string_member (o, "mode"), ==, "process");
  g_assert_cmpstr (json_object_get_string_member (o, "operation"), ==, "upload");
  g_assert_cmpint (json_object_get_int_member (o, "server_pool"), ==, 50);
  g_assert_cmpint (json_object_get_int_member (o, "client_pool"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (o, "success"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (o, "volume_bytes"), ==, 10485760);
  g_assert_cmpfloat (json_object_get_double_member (o, "volume"), ==, 10);
  g_assert_cmpfloat (json_object_get_double_member (o, "avg_time_s"), ==, 1.5);
  g_assert_cmpfloat (json_object_get_double_member (o, "throughput_Bps"), ==, 123.4 * 1048576);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (o, "p50_ms")), ==,
                   G_TYPE_DOUBLE);
  g_assert_true (json_object_get_boolean_member (o, "verified"));
  g_assert_cmpstr (json_object_get_string_member (o, "volume_unit"), ==, "MB");
  g_assert_true (json_object_get_null_member (o, "error"));

  row.error = g_strdup ("server did not start");
  failed = fs_result_row_to_json (&row);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (failed), "error"), ==,
                   "server did not start");
  fs_result_row_clear (&row);
}

static void
test_row_failed (void)
{
  FsResultRow row;

  row_init (&row, FS_OP_UPLOAD);
  g_assert_false (fs_result_row_failed (&row));
  row.fail = 1;
  g_assert_true (fs_result_row_failed (&row));
  row.fail = 0;
  row.server_fail = 1;
  g_assert_true (fs_result_row_failed (&row));
  row.server_fail = 0;
  row.worker_restarts = 2;
  g_assert_true (fs_result_row_failed (&row));
  row.worker_restarts = 0;
  row.verified = FALSE;
  g_assert_true (fs_result_row_failed (&row));
  row.verified = TRUE;
  row.error = g_strdup ("timeout");
  g_assert_true (fs_result_row_failed (&row));
  fs_result_row_clear (&row);
  g_assert_false (fs_result_row_failed (&row));
}

static GDateTime *
start_time (void)
{
  return g_date_time_new_local (2026, 11, 25, 10, 15, 0);
}

static void
test_files (void)
{
  g_autofree char *tmp = make_tmpdir ();
  g_autofree char *dir = g_build_filename (tmp, "results", "run", NULL);
  g_autofree char *want_csv = g_build_filename (dir, "orchestrator_results_20261125_101500.csv",
                                                NULL);
  g_autofree char *want_json = g_build_filename (dir,
                                                 "orchestrator_results_20261125_101500.json",
                                                 NULL);
  g_autoptr(GDateTime) started = start_time ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FsResults) results = fs_results_open (dir, started, &error);
  static const FsOperation ops[] = { FS_OP_UPLOAD, FS_OP_DOWNLOAD, FS_OP_LIST, FS_OP_UPLOAD };

  g_assert_no_error (error);
  g_assert_nonnull (results);
  g_assert_cmpstr (fs_results_csv_path (results), ==, want_csv);
  g_assert_cmpstr (fs_results_json_path (results), ==, want_json);

  /* The header is on disk before any row. */
  {
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (want_csv, &text, NULL, NULL));
    g_assert_true (g_str_has_prefix (text, fs_results_csv_header ()));
    g_assert_true (g_str_has_suffix (text, "error\r\n"));
  }

  for (guint n = 1; n <= G_N_ELEMENTS (ops); n++)
    {
      FsResultRow row;
      g_autofree char *csv = NULL;
      g_autofree char *record = NULL;
      g_autoptr(GPtrArray) records = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *success = g_strdup_printf ("%u", n);
      JsonArray *array;

      row_init (&row, ops[n - 1]);
      row.scenario.index = n;
      row.success = n;
      if (n == 2)
        row.error = g_strdup ("pool said: \"no\",\nthen left");
      g_assert_true (fs_results_add (results, &row, &error));
      g_assert_no_error (error);
      record = fs_results_csv_record (&row);

      /* Read back at once, not after a close: the row is in the file. */
      g_assert_true (g_file_get_contents (want_csv, &csv, NULL, NULL));
      records = csv_parse (csv);
      g_assert_cmpuint (records->len, ==, n + 1);
      for (guint r = 0; r < records->len; r++)
        g_assert_cmpuint (((GPtrArray *) records->pdata[r])->len, ==, N_COLUMNS);
      g_assert_cmpstr (field (records, 0, 0), ==, "timestamp");
      g_assert_cmpstr (field (records, n, column ("success")), ==, success);
      g_assert_true (g_str_has_suffix (csv, "\r\n"));
      g_assert_true (strstr (csv, record) != NULL);

      g_assert_true (json_parser_load_from_file (parser, want_json, &error));
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
      array = json_node_get_array (json_parser_get_root (parser));
      g_assert_cmpuint (json_array_get_length (array), ==, n);
      for (guint r = 0; r < n; r++)
        g_assert_true (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, r)));
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, n - 1),
                                                   "success"), ==, n);
      if (n == 2)
        g_assert_cmpstr (json_object_get_string_member (
                           json_array_get_object_element (array, 1), "error"), ==,
                         "pool said: \"no\",\nthen left");
      fs_result_row_clear (&row);
    }

  g_clear_pointer (&results, fs_results_free);
  rm_rf (tmp);
}

static void
test_files_empty_json (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autoptr(GDateTime) started = start_time ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FsResults) results = fs_results_open (dir, started, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_no_error (error);
  /* Before any row the JSON file is already a valid, empty array. */
  g_assert_true (json_parser_load_from_file (parser, fs_results_json_path (results), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))),
                    ==, 0);
  g_clear_pointer (&results, fs_results_free);
  rm_rf (dir);
}

static void
test_files_collision (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autoptr(GDateTime) started = start_time ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FsResults) first = NULL;
  g_autoptr(FsResults) second = NULL;
  g_autoptr(FsResults) third = NULL;
  g_autofree char *stale = g_build_filename (dir, "orchestrator_results_20261125_101500-3.json",
                                             NULL);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) records = NULL;
  FsResultRow row;

  first = fs_results_open (dir, started, &error);
  g_assert_no_error (error);
  row_init (&row, FS_OP_UPLOAD);
  g_assert_true (fs_results_add (first, &row, &error));
  g_assert_no_error (error);
  fs_result_row_clear (&row);

  /* Same second: a new name, the first run's files untouched. */
  second = fs_results_open (dir, started, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (fs_results_csv_path (second),
                                   "/orchestrator_results_20261125_101500-2.csv"));
  g_assert_true (g_str_has_suffix (fs_results_json_path (second),
                                   "/orchestrator_results_20261125_101500-2.json"));
  g_assert_true (g_file_get_contents (fs_results_csv_path (first), &text, NULL, NULL));
  records = csv_parse (text);
  g_assert_cmpuint (records->len, ==, 2);

  /* A name whose .json alone exists is taken too. */
  g_assert_true (g_file_set_contents (stale, "keep me", -1, NULL));
  third = fs_results_open (dir, started, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (fs_results_csv_path (third),
                                   "/orchestrator_results_20261125_101500-4.csv"));
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (stale, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "keep me");
  {
    g_autofree char *orphan = g_build_filename (dir,
                                                "orchestrator_results_20261125_101500-3.csv",
                                                NULL);

    g_assert_false (g_file_test (orphan, G_FILE_TEST_EXISTS));
  }

  g_clear_pointer (&first, fs_results_free);
  g_clear_pointer (&second, fs_results_free);
  g_clear_pointer (&third, fs_results_free);
  rm_rf (dir);
}

static void
test_files_bad_dir (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *file = g_build_filename (dir, "plain-file", NULL);
  g_autofree char *below = g_build_filename (file, "results", NULL);
  g_autoptr(GDateTime) started = start_time ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FsResults) results = NULL;

  g_assert_true (g_file_set_contents (file, "", 0, NULL));
  results = fs_results_open (below, started, &error);
  g_assert_null (results);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, below));
  rm_rf (dir);
}

static void
test_print_table (void)
{
  FsResultRow rows[3];
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream (&text, &size);
  g_auto(GStrv) lines = NULL;
  g_autofree char *owned = NULL;

  row_init (&rows[0], FS_OP_UPLOAD);
  row_init (&rows[1], FS_OP_LIST);
  rows[1].scenario.mode = FS_MODE_THREAD;
  rows[1].scenario.client_pool = 10000;
  rows[1].fail = 3;
  row_init (&rows[2], FS_OP_DOWNLOAD);
  rows[2].quick = TRUE;
  rows[2].throughput_Bps = 512;

  fs_results_print_table (rows, G_N_ELEMENTS (rows), out);
  fclose (out);
  owned = text;
  g_test_message ("\n%s", text);
  g_assert_true (g_str_has_suffix (text, "\n"));
  lines = g_strsplit (text, "\n", -1);
  /* Header, separator, one line per row, and the empty string after the
   * last newline. */
  g_assert_cmpuint (g_strv_length (lines), ==, 2 + G_N_ELEMENTS (rows) + 1);
  g_assert_cmpstr (lines[5], ==, "");

  {
    static const char *const titles[] = { "Mode", "Op", "Vol", "CliPool", "SrvPool",
                                          "Avg(s)", "Thrpt", "Suc/Fal" };
    const char *p = lines[0];

    for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
      {
        p = strstr (p, titles[i]);
        g_assert_nonnull (p);
      }
  }
  for (const char *p = lines[1]; *p != '\0'; p++)
    g_assert_true (*p == '-' || *p == '+');
  g_assert_nonnull (strstr (lines[2], "process"));
  g_assert_nonnull (strstr (lines[2], "upload"));
  g_assert_nonnull (strstr (lines[2], "10MB"));
  g_assert_nonnull (strstr (lines[2], "123.4 MiB/s"));
  g_assert_nonnull (strstr (lines[2], "1.500"));
  g_assert_true (g_str_has_suffix (lines[2], "5/0"));
  g_assert_nonnull (strstr (lines[3], "list"));
  g_assert_nonnull (strstr (lines[3], " - "));
  g_assert_true (g_str_has_suffix (lines[3], "5/3"));
  g_assert_nonnull (strstr (lines[4], "10KB"));
  g_assert_nonnull (strstr (lines[4], "512.0 B/s"));

  /* Aligned: every line as long as the header, the column bars in the
   * same places. */
  for (guint i = 2; i < 5; i++)
    {
      g_assert_cmpuint (strlen (lines[i]), ==, strlen (lines[0]));
      for (guint c = 0; lines[0][c] != '\0'; c++)
        if (lines[0][c] == '|')
          {
            g_assert_cmpint (lines[i][c], ==, '|');
            g_assert_cmpint (lines[1][c], ==, '+');
          }
    }
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    fs_result_row_clear (&rows[i]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scenario/too-many", test_too_many_scenarios);
  g_test_add_func ("/scenario/default/expand", test_default_expand);
  g_test_add_func ("/scenario/load/missing-file", test_load_missing_file);
  g_test_add_func ("/scenario/load/bad", test_bad_files);
  g_test_add_func ("/scenario/load/good-variants", test_good_variants);
  g_test_add_func ("/scenario/restrict/single", test_restrict_single);
  g_test_add_func ("/scenario/restrict/multiple", test_restrict_multiple);
  g_test_add_func ("/scenario/restrict/numeric", test_restrict_numeric);
  g_test_add_func ("/scenario/restrict/errors", test_restrict_errors);
  g_test_add_func ("/scenario/expand/quick-scale", test_quick_scale);
  g_test_add_func ("/scenario/describe", test_describe);
  g_test_add_func ("/scenario/locale", test_locale);

  g_test_add_func ("/results/csv/header", test_csv_header);
  g_test_add_func ("/results/csv/record", test_csv_record);
  g_test_add_func ("/results/csv/quoting", test_csv_quoting);
  g_test_add_func ("/results/csv/list", test_csv_list);
  g_test_add_func ("/results/json/row", test_json_row);
  g_test_add_func ("/results/row/failed", test_row_failed);
  g_test_add_func ("/results/files/rows", test_files);
  g_test_add_func ("/results/files/empty-json", test_files_empty_json);
  g_test_add_func ("/results/files/collision", test_files_collision);
  g_test_add_func ("/results/files/bad-dir", test_files_bad_dir);
  g_test_add_func ("/results/table", test_print_table);

  return g_test_run ();
}
