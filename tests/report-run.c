/* report-run.c: running filestorm-stress and filestorm-report for the
 * report's tests (see report-run.h). */
#include "config.h"

#include "report-run.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "testutil.h"

char *fr_work;
char *fr_report_path;

static void
needs_gnuplot (void)
{
  g_test_skip ("gnuplot is not installed (Debian: gnuplot-nox): the report's charts cannot "
               "be checked");
}

gboolean
fr_init (const char *name, const char *skip_path)
{
  g_autofree char *templ = g_strconcat (name, "-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;

  fr_report_path = ft_program_path ("FILESTORM_REPORT", "filestorm-report");
  if (!fr_have ("gnuplot"))
    {
      g_test_add_func (skip_path, needs_gnuplot);
      return FALSE;
    }
  fr_work = g_dir_make_tmp (templ, &error);
  g_assert_no_error (error);
  return TRUE;
}

char *
fr_stress_small (void)
{
  static const char *const small[] = { "--quick", "--operation", "download,list", "--volume",
                                       "10", "--client-pool", "1,5", "--server-pool", "1",
                                       "--no-report", NULL };

  return fr_stress ("small", small, NULL, NULL);
}

int
fr_run_tests (void)
{
  int status = g_test_run ();

  if (status == 0 && fr_work != NULL)
    ft_rm_rf (fr_work);
  return status;
}

void
fr_ran_clear (FrRan *r)
{
  g_free (r->out);
  g_free (r->err);
}

/* Runs argv (NULL-terminated) with env (NAME=VALUE, NULL-terminated,
 * nullable) added. */
void
fr_run (FrRan *r, const char *const *env, const char *const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (env[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, kv[0], kv[1], TRUE);
    }
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  r->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}


/* filestorm-report with args and env. */
void
fr_report (FrRan *r, const char *const *env, const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, fr_report_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  fr_run (r, env, (const char *const *) argv->pdata);
}

JsonNode *
fr_load_json (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Writes root to NAME under fr_work; returns its path. */
char *
fr_write_json (JsonNode *root, const char *name)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fr_work, name, NULL);

  json_generator_set_root (gen, root);
  json_generator_to_file (gen, path, &error);
  g_assert_no_error (error);
  return path;
}

/* Runs filestorm-stress with args in a directory of its own under fr_work;
 * returns the results JSON's path, and the report's and stdout when
 * asked. */
char *
fr_stress (const char *name, const char *const *args, char **report_dir, char **out)
{
  g_autofree char *dir = g_build_filename (fr_work, name, NULL);
  g_autofree char *results = g_build_filename (dir, "results", NULL);
  g_autofree char *tmp = g_build_filename (dir, "tmp", NULL);
  g_autofree char *stress_path = ft_program_path ("FILESTORM_STRESS", "filestorm-stress");
  g_autofree char *tmpdir_env = g_strconcat ("TMPDIR=", tmp, NULL);
  const char *env[] = { tmpdir_env, NULL };
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDir) d = NULL;
  const char *entry;
  char *json = NULL;
  FrRan r = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (tmp, 0755), ==, 0);
  g_ptr_array_add (argv, stress_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, "--results-dir");
  g_ptr_array_add (argv, results);
  g_ptr_array_add (argv, NULL);
  fr_run (&r, env, (const char *const *) argv->pdata);
  ft_check (r.status == 0, "filestorm-stress exited %d\n%s\n%s", r.status, r.out, r.err);
  d = g_dir_open (results, 0, NULL);
  g_assert_nonnull (d);
  while ((entry = g_dir_read_name (d)) != NULL)
    {
      if (g_str_has_suffix (entry, ".json"))
        json = g_build_filename (results, entry, NULL);
      else if (g_str_has_prefix (entry, "report_") && report_dir != NULL)
        *report_dir = g_build_filename (results, entry, NULL);
    }
  g_assert_nonnull (json);
  if (out != NULL)
    *out = g_steal_pointer (&r.out);
  fr_ran_clear (&r);
  return json;
}

gboolean
fr_have (const char *program)
{
  g_autofree char *p = g_find_program_in_path (program);
  return p != NULL;
}
