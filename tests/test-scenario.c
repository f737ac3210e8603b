/* test-scenario.c: the scenario matrix (scenario.c) and the results
 * files and table (results.c) of filestorm-stress.
 *
 * The CSV is read back with a small RFC 4180 parser of the test's own,
 * strict about CRLF, so quoting is checked by a round trip rather than by
 * comparing against text produced the same way. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "errors.h"
#include "results.h"
#include "scenario.h"

#include "decimal-comma.h"
#include "matrix-fixture.h"

/* ------------------------------------------------------------- helpers */

/* The matrix's volumes as "10,100". */
static char *
volumes_of (const FsMatrix *m)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < m->volumes->len; i++)
    g_string_append_printf (s, "%s%g", i ? "," : "", g_array_index (m->volumes, double, i));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

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
  /* A steady state by time, not one operation per client (issue 27). */
  g_assert_cmpuint (m->repeat, ==, 0);
  g_assert_cmpfloat (m->duration, ==, 1.5);
  g_assert_cmpfloat (m->warmup, ==, 0.5);
  g_assert_cmpuint (m->runs, ==, 3);
  g_assert_cmpuint (all->len, ==, 162);
  for (guint i = 0; i < all->len; i++)
    {
      const FsScenario *s = &g_array_index (all, FsScenario, i);
      g_autofree char *got = fs_scenario_describe (s, FALSE);
      /* Modes outermost, server pools innermost. */
      g_autofree char *want = g_strdup_printf ("%s %s %sMiB c%u s%u", modes[i / 81],
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
    { "volume", "ten", "--volume ten: not a number of MiB (KiB with --quick), such as 10" },
    { "mode", "threads", "--mode threads: not a mode (thread, process or event)" },
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
    { "[matrix]\nmodes=thread\noperations=get\ntransfers=base64;binary\nvolumes=1\n"
      "client_pools=1\nserver_pools=1\n", { "transfers", "binary", "base64 or raw" } },
    { "[matrix]\nmodes=thread\noperations=get\ntransfers=\nvolumes=1\n"
      "client_pools=1\nserver_pools=1\n", { "transfers", "empty" } },
    { "[matrix]\nmodes=thread\noperations=get\ntransfers=raw;raw\nvolumes=1\n"
      "client_pools=1\nserver_pools=1\n", { "transfers", "raw", "twice" } },
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
      { "volumes", "ten", "not a number of MiB (KiB with --quick), such as 10" } },
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
    { GOOD_MATRIX "[run]\nruns=0\n", { "runs", "0", "between 1 and 1000" } },
    /* A count or a time, not both; a warm-up precedes a duration. */
    { GOOD_MATRIX "[run]\nrepeat=2\nduration=1\n",
      { "[run] repeat and duration cannot both be set" } },
    { GOOD_MATRIX "[run]\nwarmup=1\n", { "[run] warmup needs duration" } },
    { GOOD_MATRIX "[run]\nduration=0\n", { "duration", "0", "positive number of seconds" } },
    { GOOD_MATRIX "[run]\nduration=2s\n", { "duration", "2s" } },
    { GOOD_MATRIX "[run]\nduration=86401\n", { "duration", "86401", "up to 86400" } },
    { GOOD_MATRIX "[run]\nduration=nan\n", { "duration", "nan" } },
    { GOOD_MATRIX "[run]\nduration=1\nwarmup=-1\n", { "warmup", "-1" } },
    { GOOD_MATRIX "[run]\nduration=1\nwarmup=0,5\n", { "warmup", "0,5" } },
    { GOOD_MATRIX "[run]\nruns=1001\n", { "runs", "1001" } },
    { GOOD_MATRIX "[run]\nruns=two\n", { "runs", "two" } },
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
                 "[run]\ntimeout=5\nrepeat=3\nruns=7\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (m->modes->len, ==, 1);
  g_assert_cmpint (g_array_index (m->operations, FsOperation, 0), ==, FS_OP_DOWNLOAD);
  g_assert_cmpfloat (g_array_index (m->volumes, double, 1), ==, 2.25);
  g_assert_cmpuint (g_array_index (m->client_pools, guint, 0), ==, 10000);
  g_assert_cmpuint (g_array_index (m->server_pools, guint, 0), ==, 1024);
  g_assert_cmpuint (m->timeout, ==, 5);
  g_assert_cmpuint (m->repeat, ==, 3);
  g_assert_cmpuint (m->runs, ==, 7);
  g_assert_cmpuint (count_scenarios (m), ==, 4);
  g_clear_pointer (&m, fs_matrix_free);
  /* Without [run], one run of each. */
  m = load_text ("[matrix]\nmodes=thread\noperations=list\nvolumes=1\nclient_pools=1\n"
                 "server_pools=1\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (m->runs, ==, 1);
}

/* [run] duration= and warmup=, and the command line over them. */
static void
test_steady (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsMatrix) m = load_text (GOOD_MATRIX "[run]\nduration=1.5\nwarmup=0.25\n",
                                     &error);
  const char *refused[][3] = {
    /* --repeat, --duration, --warmup: what the message names */
    { "2", "1", "--repeat and --duration cannot be combined" },
    { "2", NULL, "--repeat and --warmup cannot be combined" },
    { NULL, "0", "--duration 0: not a positive number" },
    { NULL, "1,5", "--duration 1,5:" },
  };

  g_assert_no_error (error);
  g_assert_cmpuint (m->repeat, ==, 0);
  g_assert_cmpfloat (m->duration, ==, 1.5);
  g_assert_cmpfloat (m->warmup, ==, 0.25);
  /* No option: the file's. */
  g_assert_true (fs_matrix_apply_steady (m, 0, NULL, NULL, FALSE, &error));
  g_assert_cmpfloat (m->duration, ==, 1.5);
  g_assert_cmpfloat (m->warmup, ==, 0.25);
  /* --warmup alone changes the file's warm-up. */
  g_assert_true (fs_matrix_apply_steady (m, 0, NULL, "0", FALSE, &error));
  g_assert_cmpfloat (m->warmup, ==, 0);
  /* --duration alone: its own warm-up is 0, not the file's. */
  m->warmup = 0.25;
  g_assert_true (fs_matrix_apply_steady (m, 0, "3", NULL, FALSE, &error));
  g_assert_cmpfloat (m->duration, ==, 3);
  g_assert_cmpfloat (m->warmup, ==, 0);
  /* --repeat over the file's duration: a count, with no warm-up. */
  g_assert_true (fs_matrix_apply_steady (m, 4, NULL, NULL, FALSE, &error));
  g_assert_cmpuint (m->repeat, ==, 4);
  g_assert_cmpfloat (m->duration, ==, 0);
  g_assert_cmpfloat (m->warmup, ==, 0);
  /* Now no duration is in force: --warmup alone is refused. */
  g_assert_false (fs_matrix_apply_steady (m, 0, NULL, "1", FALSE, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_USAGE);
  g_assert_nonnull (strstr (error->message, "--warmup needs a duration"));
  g_clear_error (&error);
  /* --duration over a file's repeat=. */
  g_assert_true (fs_matrix_apply_steady (m, 0, "0.5", "0.1", FALSE, &error));
  g_assert_cmpuint (m->repeat, ==, 0);
  g_assert_cmpfloat (m->duration, ==, 0.5);
  g_assert_cmpfloat (m->warmup, ==, 0.1);
  /* --quick: its own, unless --repeat or --duration is given. */
  g_assert_true (fs_matrix_apply_steady (m, 0, NULL, NULL, TRUE, &error));
  g_assert_cmpfloat (m->duration, ==, FS_QUICK_DURATION);
  g_assert_cmpfloat (m->warmup, ==, FS_QUICK_WARMUP);
  g_assert_true (fs_matrix_apply_steady (m, 1, NULL, NULL, TRUE, &error));
  g_assert_cmpuint (m->repeat, ==, 1);
  g_assert_cmpfloat (m->duration, ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      guint repeat = refused[i][0] != NULL ? (guint) atoi (refused[i][0]) : 0;

      g_assert_false (fs_matrix_apply_steady (m, repeat, refused[i][1],
                                              refused[i][0] != NULL && refused[i][1] == NULL
                                                ? "1" : NULL, FALSE, &error));
      g_assert_error (error, FS_ERROR, FS_ERROR_USAGE);
      if (strstr (error->message, refused[i][2]) == NULL)
        g_error ("case %" G_GSIZE_FORMAT ": '%s' does not contain '%s'", i, error->message,
                 refused[i][2]);
      g_clear_error (&error);
    }
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

/* transfers= is optional (base64); raw doubles the transfer scenarios,
 * but list, which moves no content, comes once, as base64; --transfer
 * restricts it like any dimension. */
static void
test_transfers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsMatrix) plain = load_text ("[matrix]\nmodes=thread;process\n"
                                         "operations=upload;download;list\nvolumes=1;2\n"
                                         "client_pools=1\nserver_pools=3\n", &error);
  g_autoptr(FsMatrix) both = NULL;
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) b = NULL;
  guint raw = 0, lists = 0;

  g_assert_no_error (error);
  a = fs_matrix_expand (plain, FALSE, 1.0);
  g_assert_cmpuint (a->len, ==, 12);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpint (g_array_index (a, FsScenario, i).transfer, ==, FS_TRANSFER_BASE64);

  both = load_text ("[matrix]\nmodes=thread;process\noperations=upload;download;list\n"
                    "transfers=raw;base64\nvolumes=1;2\nclient_pools=1\nserver_pools=3\n",
                    &error);
  g_assert_no_error (error);
  b = fs_matrix_expand (both, FALSE, 1.0);
  /* 2 modes x (2 operations x 2 transfers + list) x 2 volumes */
  g_assert_cmpuint (b->len, ==, 20);
  for (guint i = 0; i < b->len; i++)
    {
      const FsScenario *s = &g_array_index (b, FsScenario, i);

      g_assert_cmpuint (s->index, ==, i + 1);
      raw += s->transfer == FS_TRANSFER_RAW;
      if (s->operation == FS_OP_LIST)
        {
          lists++;
          g_assert_cmpint (s->transfer, ==, FS_TRANSFER_BASE64);
        }
    }
  g_assert_cmpuint (raw, ==, 8);
  g_assert_cmpuint (lists, ==, 4);
  {
    const FsScenario *s = &g_array_index (b, FsScenario, 0);
    g_autofree char *d = fs_scenario_describe (s, FALSE);

    g_assert_cmpstr (d, ==, "thread upload raw 1MiB c1 s3");
  }

  g_assert_true (fs_matrix_restrict (both, "transfer", "base64", &error));
  g_assert_no_error (error);
  {
    g_autoptr(GArray) c = fs_matrix_expand (both, FALSE, 1.0);

    g_assert_cmpuint (c->len, ==, 12);
  }
  g_assert_false (fs_matrix_restrict (both, "transfer", "raw", &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_USAGE);
  g_assert_nonnull (strstr (error->message, "not in the matrix"));
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

  g_assert_cmpstr (a, ==, "thread upload 10MiB c5 s50");
  g_assert_cmpstr (b, ==, "thread upload 10KiB c5 s50");
  s = (FsScenario) { 1, FS_MODE_PROCESS, FS_OP_DOWNLOAD, 0.1, 0.1, 1, 1 };
  c = fs_scenario_describe (&s, FALSE);
  g_assert_cmpstr (c, ==, "process download 0.1MiB c1 s1");
  s = (FsScenario) { 1, FS_MODE_PROCESS, FS_OP_LIST, 1024, 1024, 10000, 1024 };
  d = fs_scenario_describe (&s, TRUE);
  g_assert_cmpstr (d, ==, "process list 1024KiB c10000 s1024");
}

/* Numbers must not follow LC_NUMERIC: describe, restrict, CSV. */
static void
test_locale (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));

  if (!ft_set_decimal_comma ())
    return;
  {
    FsScenario s = { 1, FS_MODE_THREAD, FS_OP_UPLOAD, 0.5, 0.5, 1, 1 };
    g_autofree char *text = fs_scenario_describe (&s, FALSE);
    g_autoptr(GError) error = NULL;
    g_autoptr(FsMatrix) m = load_text ("[matrix]\nmodes=thread\noperations=upload\n"
                                       "volumes=0.5;1.5\nclient_pools=1\nserver_pools=1\n",
                                       &error);
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(JsonGenerator) gen = json_generator_new ();
    g_autofree char *json = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (text, ==, "thread upload 0.5MiB c1 s1");
    g_assert_true (fs_matrix_restrict (m, "volume", "1.5", &error));
    g_assert_no_error (error);
    node = fs_matrix_to_json (m);
    json_generator_set_root (gen, node);
    json_node_unref (g_steal_pointer (&node));
    json = json_generator_to_data (gen, NULL);
    g_assert_nonnull (strstr (json, "[1.5]"));
  }
  setlocale (LC_NUMERIC, saved);
}

/* The client mode: an axis of the matrix, thread when a file from before
 * it does not say, set (not only restricted) by --client-mode, and part
 * of the twins' key. */
static void
test_client_modes (void)
{
  static const char *const old =
    "[matrix]\nmodes=thread;process\noperations=list\nvolumes=1\nclient_pools=5\n"
    "server_pools=5\n";
  g_autofree char *three = g_strconcat (old, "client_modes=same;thread;process\n", NULL);
  g_autofree char *bad = g_strconcat (old, "client_modes=thread;fork\n", NULL);
  g_autofree char *twice = g_strconcat (old, "client_modes=same;same\n", NULL);
  g_autoptr(FsMatrix) m = load_text (old, NULL);
  g_autoptr(FsMatrix) d = load_default ();
  g_autoptr(FsMatrix) t = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GError) error = NULL;
  FsScenario a = { 0 }, b = { 0 };

  /* A file without the key loads, with thread alone. */
  g_assert_nonnull (m);
  g_assert_cmpuint (m->client_modes->len, ==, 1);
  g_assert_cmpint (g_array_index (m->client_modes, FsClientMode, 0), ==, FS_CLIENT_THREAD);
  g_assert_cmpuint (count_scenarios (m), ==, 2);
  g_assert_cmpuint (d->client_modes->len, ==, 1);
  g_assert_cmpint (g_array_index (d->client_modes, FsClientMode, 0), ==, FS_CLIENT_THREAD);

  t = load_text (three, &error);
  g_assert_no_error (error);
  all = fs_matrix_expand (t, FALSE, 1);
  g_assert_cmpuint (all->len, ==, 6);
  {
    /* Modes outermost, then client modes in the file's order. */
    static const char *const want[] = {
      "thread list 1MiB c5 s5 clients:same", "thread list 1MiB c5 s5",
      "thread list 1MiB c5 s5 clients:process", "process list 1MiB c5 s5 clients:same",
      "process list 1MiB c5 s5", "process list 1MiB c5 s5 clients:process",
    };
    static const FsMode pool[] = {
      FS_MODE_THREAD, FS_MODE_THREAD, FS_MODE_PROCESS,
      FS_MODE_PROCESS, FS_MODE_THREAD, FS_MODE_PROCESS,
    };

    for (guint i = 0; i < all->len; i++)
      {
        const FsScenario *s = &g_array_index (all, FsScenario, i);
        g_autofree char *text = fs_scenario_describe (s, FALSE);

        g_assert_cmpstr (text, ==, want[i]);
        g_assert_cmpint (fs_scenario_pool_mode (s), ==, pool[i]);
      }
  }
  g_assert_true (fs_matrix_restrict (t, "client-mode", "process,same", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (t->client_modes->len, ==, 2);
  g_assert_cmpint (g_array_index (t->client_modes, FsClientMode, 0), ==, FS_CLIENT_SAME);
  /* The default matrix has thread alone: restricting cannot ask for
   * process, setting can, kept in the declared order. */
  g_assert_false (fs_matrix_restrict (d, "client-mode", "process", &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_USAGE);
  g_clear_error (&error);
  g_assert_true (fs_matrix_set_client_modes (d, "same, process,thread", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (d->client_modes->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (g_array_index (d->client_modes, FsClientMode, i), ==, i);
  g_assert_cmpuint (count_scenarios (d), ==, 3 * 162);
  {
    static const char *const wrong[] = { "", "thread,", "fork", "thread,thread", NULL };

    for (guint i = 0; wrong[i] != NULL; i++)
      {
        g_assert_false (fs_matrix_set_client_modes (d, wrong[i], &error));
        g_assert_error (error, FS_ERROR, FS_ERROR_USAGE);
        g_test_message ("%s: %s", wrong[i], error->message);
        g_clear_error (&error);
      }
  }
  g_assert_cmpuint (d->client_modes->len, ==, 3);
  g_assert_null (load_text (bad, &error));
  g_assert_nonnull (strstr (error->message, "client_modes: fork is not a client mode"));
  g_clear_error (&error);
  g_assert_null (load_text (twice, &error));
  g_assert_nonnull (strstr (error->message, "listed twice"));
  g_clear_error (&error);

  /* Twins: the server's mode left out, the client mode kept. */
  a.mode = FS_MODE_THREAD;
  b.mode = FS_MODE_PROCESS;
  g_assert_cmpint (fs_scenario_compare_twins (&a, &b), ==, 0);
  b.client_mode = FS_CLIENT_SAME;
  g_assert_cmpint (fs_scenario_compare_twins (&a, &b), <, 0);
  g_assert_cmpint (fs_scenario_compare_twins (&b, &a), >, 0);
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
  g_test_add_func ("/scenario/transfers", test_transfers);
  g_test_add_func ("/scenario/locale", test_locale);
  g_test_add_func ("/scenario/client-modes", test_client_modes);
  g_test_add_func ("/scenario/steady", test_steady);


  return g_test_run ();
}
