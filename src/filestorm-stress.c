/* filestorm-stress: options in, the scenario matrix run, results out. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>

#include "base64.h"
#include "errors.h"
#include "machine.h"
#include "protocol.h"
#include "report.h"
#include "results-files.h"
#include "scenario.h"
#include "stress.h"
#include "stress-procs.h"
#include "stress-server.h"
#include "stress-target.h"
#include "options.h"
#include "util.h"

/* Exit codes, documented in filestorm-stress(1). */
enum {
  EXIT_OK = 0,            /* every scenario passed (or failures <= --max-fail) */
  EXIT_FAILED = 1,        /* more scenarios failed than --max-fail allows */
  EXIT_USAGE = 2,         /* bad command line or matrix */
  EXIT_SETUP = 3,         /* cannot find the programs or write the results */
  EXIT_INTERRUPTED = 130, /* SIGINT or SIGTERM */
};

#define DEFAULT_MATRIX FS_PKGDATADIR "/scenarios.conf"
#define RESOURCE_MATRIX "/org/filestorm/scenarios.conf"

static int
fail (int status, const char *message)
{
  g_autofree char *shown = fs_protocol_printable_text (message);

  g_printerr ("filestorm-stress: %s\n", shown);
  return status;
}

static gboolean
on_signal (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_CONTINUE;
}

/* The command line as given, each word quoted as a shell would need. */
static char *
command_line (int argc, char **argv)
{
  GString *s = g_string_new (NULL);

  for (int i = 0; i < argc; i++)
    {
      g_autofree char *word = g_shell_quote (argv[i]);
      gboolean plain = strpbrk (argv[i], " \t\n'\"\\$`*?[]{}()<>|&;#~!") == NULL
                       && argv[i][0] != '\0';
      g_string_append_printf (s, "%s%s", i > 0 ? " " : "", plain ? argv[i] : word);
    }
  return g_string_free (s, FALSE);
}

/* --seed: a whole number that fits GRand's 32-bit seed. */
static gboolean
parse_seed (const char *text, guint32 *seed, GError **error)
{
  guint64 n;
  g_autoptr(GError) local = NULL;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &n, &local))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                   "--seed must be a whole number from 0 to %u, not '%s'", G_MAXUINT32, text);
      return FALSE;
    }
  *seed = (guint32) n;
  return TRUE;
}

/* --matrix FILE, else the installed matrix, else the copy compiled in. */
static FsMatrix *
load_matrix (const char *path, char **used, GError **error)
{
  g_autoptr(GBytes) data = NULL;
  gsize len = 0;
  const char *text;

  if (path == NULL && g_file_test (DEFAULT_MATRIX, G_FILE_TEST_EXISTS))
    path = DEFAULT_MATRIX;
  if (path != NULL)
    {
      *used = g_strdup (path);
      return fs_matrix_load (path, error);
    }
  data = g_resources_lookup_data (RESOURCE_MATRIX, 0, error);
  if (data == NULL)
    return NULL;
  *used = g_strdup ("the built-in default matrix");
  text = g_bytes_get_data (data, &len);
  return fs_matrix_load_data (text, len, "scenarios.conf", error);
}

int
main (int argc, char **argv)
{
  g_autofree char *matrix_path = NULL;
  g_autofree char *client_modes = NULL;
  g_autofree char *modes = NULL, *operations = NULL, *volumes = NULL;
  g_autofree char *client_pools = NULL, *server_pools = NULL, *transfers = NULL;
  g_autofree char *idle = NULL;
  g_autofree char *results_dir = NULL;
  g_autofree char *used = NULL;
  g_autofree char *seed_text = NULL;
  g_autofree char *duration = NULL, *warmup = NULL;
  g_autofree char *slo = NULL, *slo_start = NULL, *arrival = NULL;
  g_autofree char *command = command_line (argc, argv);
  g_autofree char *tmpdir = NULL;
  g_autofree char *report_error = NULL;
  g_autofree char *server_command = NULL;
  g_autofree char *target_text = NULL, *label_mode = NULL;
  g_autofree char *launcher = NULL;
  g_auto(GStrv) launcher_argv = NULL;
  gint label_pool = 0, ranks = G_MININT;  /* G_MININT: not given */
  gboolean allow_remote = FALSE;
  g_auto(FsStressTarget) target = { 0 };
  gint start_timeout = 10, stop_grace = 5;
  g_auto(GStrv) rest = NULL;
  gboolean quick = FALSE, version = FALSE, no_report = FALSE;
  double scale = 1.0;
  gint max_fail = 0, timeout = 0, repeat = 0, runs = G_MININT;  /* G_MININT: not given */
  guint32 seed = g_random_int ();
  const GOptionEntry entries[] = {
    { "matrix", 0, 0, G_OPTION_ARG_FILENAME, &matrix_path,
      "Scenario matrix to run (default " DEFAULT_MATRIX ")", "FILE" },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &modes,
      "The server's models (comma list: thread,process,event; default: the matrix's)",
      "LIST" },
    { "client-mode", 0, 0, G_OPTION_ARG_STRING, &client_modes,
      "The client pool's models (comma list: thread,process,same; default thread)", "LIST" },
    { "operation", 0, 0, G_OPTION_ARG_STRING, &operations,
      "Run only these operations (comma list: upload,download,list)", "LIST" },
    { "transfer", 0, 0, G_OPTION_ARG_STRING, &transfers,
      "Run only these transfers (comma list: base64,raw)", "LIST" },
    { "volume", 0, 0, G_OPTION_ARG_STRING, &volumes,
      "Run only these volumes (comma list, e.g. 10,50)", "LIST" },
    { "client-pool", 0, 0, G_OPTION_ARG_STRING, &client_pools,
      "Run only these client pool sizes (comma list)", "LIST" },
    { "server-pool", 0, 0, G_OPTION_ARG_STRING, &server_pools,
      "Run only these server pool sizes (comma list)", "LIST" },
    { "idle-connections", 0, 0, G_OPTION_ARG_STRING, &idle,
      "Connections each pool holds open without a request for the whole run (comma "
      "list, e.g. 0,50; default: the matrix's, 0)", "LIST" },
    { "quick", 'q', 0, G_OPTION_ARG_NONE, &quick,
      "Volumes in KiB instead of MiB: the same scenarios in seconds", NULL },
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &scale, "Multiply every volume by F", "F" },
    { "results-dir", 'o', 0, G_OPTION_ARG_FILENAME, &results_dir,
      "Write the CSV and JSON results in DIR (default ./results)", "DIR" },
    { "max-fail", 0, 0, G_OPTION_ARG_INT, &max_fail,
      "Exit 0 as long as at most N scenarios failed (default 0)", "N" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
      "The clients' timeout on a stalled transfer (default: the matrix's)", "SECONDS" },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat,
      "Operations per client, instead of a duration (default: the matrix's)", "K" },
    { "duration", 0, 0, G_OPTION_ARG_STRING, &duration,
      "Each client repeats its operation for this long, measured after the warm-up "
      "(default: the matrix's; 0.08 with --quick)", "SECONDS" },
    { "warmup", 0, 0, G_OPTION_ARG_STRING, &warmup,
      "With a duration: run this long first, not measured (default: the matrix's; 0.02 "
      "with --quick)", "SECONDS" },
    { "slo", 0, 0, G_OPTION_ARG_STRING, &slo,
      "Search each scenario's capacity: the highest rate at which the objective holds, "
      "such as 'p99<=50ms' or 'p99<=50ms,p50<=10ms,errors<=0.1%' (default: the matrix's "
      "slo=, else no search)", "OBJECTIVE" },
    { "slo-start", 0, 0, G_OPTION_ARG_STRING, &slo_start,
      "With an objective: the rate the search starts from, in operations per second "
      "(default 10)", "OPS" },
    { "arrival", 0, 0, G_OPTION_ARG_STRING, &arrival,
      "With an objective: the search's arrivals, uniform (the default) or poisson", "KIND" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs,
      "Measure every scenario K times, in K rounds (default: the matrix's; 3 with --quick)",
      "K" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      "Seed of the rounds' shuffled order (default: a random one; always recorded)", "N" },
    { "server-command", 0, 0, G_OPTION_ARG_STRING, &server_command,
      "Measure the server this command starts instead of filestorm-server; "
      "split into words as a shell would; in them, {mode}, {pool}, {port}, {host} and {root} "
      "are replaced, any other brace is kept. Only {port} is checked free; the command's "
      "exit status is ignored", "TEMPLATE" },
    { "start-timeout", 0, 0, G_OPTION_ARG_INT, &start_timeout,
      "Seconds for the command's server to take connections (default 10)", "SECONDS" },
    { "stop-grace", 0, 0, G_OPTION_ARG_INT, &stop_grace,
      "Seconds between SIGTERM and SIGKILL to the command's processes (default 5)",
      "SECONDS" },
    { "target", 0, 0, G_OPTION_ARG_STRING, &target_text,
      "Run the pool scenarios against the server already running at HOST:PORT; "
      "start nothing", "HOST:PORT" },
    { "label-mode", 0, 0, G_OPTION_ARG_STRING, &label_mode,
      "With --target: the server's mode, for the results (default: from its STATS)",
      "MODE" },
    { "label-pool", 0, 0, G_OPTION_ARG_INT, &label_pool,
      "With --target: the server's pool, for the results (default: from its STATS)", "N" },
    { "allow-remote", 0, 0, G_OPTION_ARG_NONE, &allow_remote,
      "Allow a --target that is not a loopback address", NULL },
    { "launcher", 0, 0, G_OPTION_ARG_STRING, &launcher,
      "Run each scenario's pool as filestorm-pool-mpi through this command, such as "
      "'mpirun -n {ranks} --hostfile hosts'; split into words as a shell would, with "
      "{ranks} replaced by --ranks (ranks on other hosts need --target and "
      "--allow-remote)", "TEMPLATE" },
    { "ranks", 0, 0, G_OPTION_ARG_INT, &ranks,
      "With --launcher: the ranks that {ranks} stands for (1 to 100000, at most "
      "every scenario's client pool; default 1)", "R" },
    { "no-report", 0, 0, G_OPTION_ARG_NONE, &no_report,
      "Do not write the HTML report and charts at the end", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, NULL },
    { NULL }
  };
  const struct { const char *key; char **list; } filters[] = {
    { "operation", &operations }, { "volume", &volumes },
    { "client-pool", &client_pools }, { "server-pool", &server_pools },
    { "transfer", &transfers },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FsMatrix) matrix = NULL;
  g_autoptr(GArray) scenarios = NULL;
  g_autoptr(FsResults) results = NULL;
  g_autoptr(GDateTime) started = NULL;
  g_autoptr(GCancellable) interrupt = g_cancellable_new ();
  FsStressConfig config = { 0 };
  FsStressOutcome outcome;
  FsMachine machine;
  FsRunInfo info;
  FsScenarioResult *srs;
  guint n_srs;
  gboolean live = isatty (STDOUT_FILENO);
  gboolean finish_failed = FALSE;
  int status;

  fs_locale_init ();
  g_option_context_set_summary (context,
      "Run a matrix of load scenarios (server mode x operation x volume x client\n"
      "pool x server pool) against a real server started for each: filestorm-server,\n"
      "or the one --server-command starts. Every scenario runs K times in shuffled\n"
      "rounds; record what each run cost the server and the pool; print medians\n"
      "and a verdict between the server's models, and write them to a CSV and a\n"
      "JSON file and an HTML report.");
  g_option_context_set_description (context,
      "Exit status: 0 all scenarios passed, 1 some failed (beyond --max-fail),\n"
      "2 bad usage or matrix, 3 cannot run at all, 130 interrupted.\n"
      "See filestorm-stress(1) and filestorm-scenarios(5).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!fs_option_parse (context, &argc, &argv, &error))
    return fail (EXIT_USAGE, error->message);
  if (version)
    {
      printf ("filestorm-stress (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EXIT_OK;
    }
  /* Checked here, once, rather than by every pool and server it starts. */
  if (!fs_b64_check_environment (&error))
    return fail (EXIT_USAGE, error->message);
  if (rest != NULL && rest[0] != NULL)
    {
      g_autofree char *msg = g_strdup_printf ("unexpected argument '%s'", rest[0]);
      return fail (EXIT_USAGE, msg);
    }
  if (!(scale > 0) || scale > 1e6)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *msg = g_strdup_printf ("--scale must be a number above 0 and at most "
                                              "1000000, not %s", fs_format_number (scale, buf));
      return fail (EXIT_USAGE, msg);
    }
  {
    const struct { const char *name; gint value; gint max; } counts[] = {
      { "--max-fail", max_fail, G_MAXINT }, { "--timeout", timeout, G_MAXINT },
      { "--repeat", repeat, G_MAXINT }, { "--runs", runs == G_MININT ? 1 : runs, FS_MATRIX_MAX_RUNS },
      { "--start-timeout", start_timeout, 3600 }, { "--stop-grace", stop_grace, 3600 },
      { "--label-pool", label_pool, G_MAXINT }, { "--ranks", ranks == G_MININT ? 1 : ranks, 100000 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS (counts); i++)
      if (counts[i].value < (counts[i].max == G_MAXINT ? 0 : 1) || counts[i].value > counts[i].max)
        {
          g_autofree char *msg = counts[i].max == G_MAXINT
            ? g_strdup_printf ("%s must be 0 or more, not %d", counts[i].name, counts[i].value)
            : g_strdup_printf ("%s must be between 1 and %d, not %d", counts[i].name,
                               counts[i].max, counts[i].value);
          return fail (EXIT_USAGE, msg);
        }
  }
  if (seed_text != NULL && !parse_seed (seed_text, &seed, &error))
    return fail (EXIT_USAGE, error->message);
  if (server_command != NULL && !fs_stress_server_check_template (server_command, &error))
    return fail (EXIT_USAGE, error->message);
  if (target_text == NULL && (label_mode != NULL || label_pool > 0 || allow_remote))
    return fail (EXIT_USAGE, "--label-mode, --label-pool and --allow-remote go with --target");
  if (target_text != NULL && (server_command != NULL || modes != NULL || server_pools != NULL))
    return fail (EXIT_USAGE, "--target measures a server already running: it takes neither "
                             "--server-command, nor --mode or --server-pool (see --label-mode "
                             "and --label-pool)");
  if (target_text != NULL && !fs_stress_target_parse (target_text, allow_remote, &target, &error))
    return fail (EXIT_USAGE, error->message);
  if (launcher == NULL && ranks != G_MININT)
    return fail (EXIT_USAGE, "--ranks goes with --launcher");
  config.ranks = 1;
  if (launcher != NULL)
    {
      launcher_argv = fs_stress_launcher_argv (launcher, ranks == G_MININT ? 1 : (guint) ranks,
                                               ranks != G_MININT, &config.ranks, &error);
      if (launcher_argv == NULL)
        return fail (EXIT_USAGE, error->message);
    }

  matrix = load_matrix (matrix_path, &used, &error);
  if (matrix == NULL)
    return fail (EXIT_USAGE, error->message);
  for (gsize i = 0; i < G_N_ELEMENTS (filters); i++)
    if (*filters[i].list != NULL
        && !fs_matrix_restrict (matrix, filters[i].key, *filters[i].list, &error))
      return fail (EXIT_USAGE, error->message);
  if (modes != NULL && !fs_matrix_set_modes (matrix, modes, &error))
    return fail (EXIT_USAGE, error->message);
  if (idle != NULL && !fs_matrix_set_idle (matrix, idle, &error))
    return fail (EXIT_USAGE, error->message);
  if (client_modes != NULL && !fs_matrix_set_client_modes (matrix, client_modes, &error))
    return fail (EXIT_USAGE, error->message);
  if (target_text != NULL)
    {
      if (!fs_stress_target_labels (&target, label_mode, (guint) label_pool, &error))
        return fail (g_error_matches (error, FS_ERROR, FS_ERROR_USAGE) ? EXIT_USAGE
                                                                       : EXIT_SETUP,
                     error->message);
      fs_stress_target_apply (&target, matrix);
    }
  scenarios = fs_matrix_expand (matrix, quick, scale);
  config.launcher = g_steal_pointer (&launcher_argv);
  config.allow_remote = allow_remote;
  if (!fs_stress_check_ranks (&config, scenarios, &error))
    {
      fs_stress_config_clear (&config);
      return fail (EXIT_USAGE, error->message);
    }

  config.quick = quick;
  config.server_command = g_strdup (server_command);
  config.start_timeout = (guint) start_timeout;
  config.stop_grace = (guint) stop_grace;
  config.target_host = g_strdup (target.host);
  config.target_port = target.port;
  config.timeout = timeout > 0 ? (guint) timeout : matrix->timeout;
  /* The matrix as run, recorded in the results. */
  matrix->timeout = config.timeout;
  if (!fs_matrix_apply_steady (matrix, (guint) repeat, duration, warmup, quick, &error))
    {
      fs_stress_config_clear (&config);
      return fail (EXIT_USAGE, error->message);
    }
  /* A run of a fixed count has no length to bound how long a model that
   * the idle connections starve waits, nor to set the server's idle
   * timeout above. */
  for (guint i = 0; matrix->duration == 0 && i < matrix->idles->len; i++)
    if (g_array_index (matrix->idles, guint, i) > 0)
      {
        fs_stress_config_clear (&config);
        return fail (EXIT_USAGE, "idle connections need runs of a set length (--duration, "
                                 "or [run] duration=), not --repeat");
      }
  config.repeat = matrix->repeat;
  config.duration = matrix->duration;
  config.warmup = matrix->warmup;
  if (!fs_matrix_apply_slo (matrix, slo, &error)
      || !fs_stress_search_start (slo_start, matrix->search, &config.search_start, &error)
      || !fs_stress_search_arrival (arrival, matrix->search, &config.arrival, &error))
    {
      fs_stress_config_clear (&config);
      return fail (EXIT_USAGE, error->message);
    }
  config.search = matrix->search;
  config.slo = matrix->slo;
  /* --quick: enough rounds for the comparison to call something. */
  matrix->runs = runs > 0 ? (guint) runs : quick ? FS_QUICK_RUNS : matrix->runs;
  if (!fs_stress_find_programs (&config, &error))
    {
      fs_stress_config_clear (&config);
      return fail (EXIT_SETUP, error->message);
    }
  tmpdir = fs_stress_check_tmpdir (&error);
  if (tmpdir == NULL)
    {
      fs_stress_config_clear (&config);
      return fail (EXIT_SETUP, error->message);
    }
  /* So that a server's process that leaves its group and directory stays
   * below this one, to be found and stopped (see stress-procs.h). */
  if (target_text == NULL && !fs_stress_procs_adopt_orphans (&error))
    {
      g_printerr ("filestorm-stress: warning: %s; a server's process that leaves its "
                  "process group and directory will not be found\n", error->message);
      g_clear_error (&error);
    }
  started = g_date_time_new_now_local ();
  fs_machine_read (&machine, tmpdir);
  info = (FsRunInfo) {
    .command = command, .machine = &machine, .started = started, .seed = seed,
    .runs = matrix->runs, .matrix_file = used, .matrix = matrix, .quick = quick,
    .scale = scale, .server_command = server_command, .target = target_text,
    .launcher = launcher, .ranks = config.ranks,
  };
  results = fs_results_open (results_dir ? results_dir : "results", &info, scenarios, &error);
  if (results == NULL)
    {
      fs_machine_clear (&machine);
      fs_stress_config_clear (&config);
      return fail (EXIT_SETUP, error->message);
    }

  printf ("filestorm-stress: %u scenario%s x %u run%s from %s, seed %u; results in %s\n",
          scenarios->len, scenarios->len == 1 ? "" : "s", matrix->runs,
          matrix->runs == 1 ? "" : "s", used, seed, fs_results_csv_path (results));
  if (matrix->duration > 0)
    {
      char d[G_ASCII_DTOSTR_BUF_SIZE], w[G_ASCII_DTOSTR_BUF_SIZE];

      if (config.search)
        printf ("each step: the clients' kept connections offer a rate for %s s, after a %s s "
                "warm-up\n", fs_format_number (matrix->duration, d),
                fs_format_number (matrix->warmup, w));
      else
        printf ("each run: every client repeats its operation for %s s, after a %s s warm-up\n",
                fs_format_number (matrix->duration, d), fs_format_number (matrix->warmup, w));
    }
  else
    printf ("each run: %u operation%s per client\n", matrix->repeat,
            matrix->repeat == 1 ? "" : "s");
  if (config.search)
    {
      g_autofree char *estimate = fs_stress_search_estimate (&config, scenarios->len,
                                                             matrix->runs);
      printf ("%s\n", estimate);
    }
  if (quick)
    printf ("quick: volumes in KiB; these runs measure latency, not bandwidth\n");
  if (launcher != NULL)
    printf ("pools: filestorm-pool-mpi, started by %s\n", launcher);
  printf ("machine: %s, %u logical cores, %.1f GiB RAM, %s; servers' roots on %s (%s)\n",
          machine.cpu_model, machine.logical_cores,
          (double) machine.ram_bytes / (1024.0 * 1024 * 1024), machine.kernel,
          machine.roots_fs, machine.roots_dir);
  if (machine.busy)
    printf ("warning: the machine looks busy (load average %.2f on %u cores): the figures "
            "will be noisier\n", machine.load[0], machine.logical_cores);
  fs_machine_clear (&machine);
  fflush (stdout);
  g_unix_signal_add (SIGINT, on_signal, interrupt);
  g_unix_signal_add (SIGTERM, on_signal, interrupt);
  fs_stress_run_all (&config, scenarios, matrix->runs, seed, results, stdout, live, interrupt,
                     &outcome);
  fs_stress_config_clear (&config);
  if (outcome.write_error == NULL
      && !fs_results_finish (results, !outcome.interrupted, &error))
    {
      outcome.write_error = g_strdup (error->message);
      finish_failed = TRUE;
    }

  srs = fs_results_scenarios (results, &n_srs);
  fs_results_print_table (srs, n_srs, fs_results_verdict (results), stdout);
  if (fs_results_verdict (results) != NULL)
    fs_verdict_print (fs_results_verdict (results), stdout);
  printf ("\n");
  if (finish_failed)
    printf ("Finished %u of %u runs, but the last update of the results (the verdict) "
            "cannot be written\n", outcome.n_runs, scenarios->len * matrix->runs);
  else if (outcome.write_error != NULL)
    printf ("Stopped after %u of %u runs: the results cannot be written\n",
            outcome.n_runs, scenarios->len * matrix->runs);
  else if (outcome.interrupted)
    printf ("Interrupted after %u of %u runs (%.1f s); the finished runs are in %s\n",
            outcome.n_runs, scenarios->len * matrix->runs, outcome.elapsed_s,
            fs_results_json_path (results));
  else if (outcome.n_failed == 0)
    printf ("PASS: all %u scenarios x %u runs succeeded, every transfer verified, in %.1f s\n",
            scenarios->len, matrix->runs, outcome.elapsed_s);
  else
    printf ("%s: %u of %u scenarios had failed runs (allowed: %d), in %.1f s;"
            " see the error column of %s\n",
            outcome.n_failed > (guint) max_fail ? "FAIL" : "PASS (within --max-fail)",
            outcome.n_failed, scenarios->len, max_fail, outcome.elapsed_s,
            fs_results_csv_path (results));
  printf ("Results (seed %u): %s\n                   %s\n", seed,
          fs_results_csv_path (results), fs_results_json_path (results));
  if (!no_report && !outcome.interrupted && outcome.write_error == NULL && n_srs > 0)
    {
      /* The report of what was written, beside it (filestorm-report(1)). */
      const char *inputs[] = { fs_results_json_path (results), NULL };
      FsReportOptions options = { inputs, 1, NULL, NULL, NULL };
      g_autofree char *written = NULL;
      gboolean drawn = FALSE;

      /* A missing gnuplot is not a failure of the run: say it beside the
       * path, on stdout. */
      if (fs_report_write (&options, &written, &drawn, &error))
        printf ("Report:            %s/index.html%s\n", written,
                drawn ? "" : " (no charts: gnuplot is not installed; "
                             "Debian: apt-get install gnuplot-nox)");
      else
        report_error = g_strdup (error->message);
    }

  status = outcome.interrupted ? EXIT_INTERRUPTED
           : outcome.write_error != NULL || report_error != NULL ? EXIT_SETUP
           : outcome.n_failed > (guint) max_fail ? EXIT_FAILED : EXIT_OK;
  if (outcome.write_error != NULL)
    g_printerr ("filestorm-stress: stopped: %s\n", outcome.write_error);
  if (report_error != NULL)
    g_printerr ("filestorm-stress: cannot write the report: %s\n", report_error);
  fs_stress_outcome_clear (&outcome);
  return status;
}
