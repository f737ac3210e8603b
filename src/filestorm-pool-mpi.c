/* filestorm-pool-mpi: options in, fs_pool_mpi_run() out. The options are
 * parsed before MPI starts, so that --help and --version need no MPI;
 * only rank 0 (as the launcher's environment says) prints them. Bad usage
 * under a launcher ends through fs_pool_mpi_refuse(). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "errors.h"
#include "options.h"
#include "pool-mpi.h"
#include "pool-options.h"
#include "protocol.h"

/* This process's rank, as the launcher's environment says (Open MPI,
 * PMIx and MPICH's Hydra each do), or NULL when no launcher started it. */
static const char *
launch_rank (void)
{
  static const char *const names[] = { "OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_getenv (names[i]) != NULL)
      return g_getenv (names[i]);
  return NULL;
}

/* Whether this process is rank 0, or not started by a launcher. */
static gboolean
speaks (void)
{
  const char *rank = launch_rank ();

  return rank == NULL || strcmp (rank, "0") == 0;
}

/* Bad usage: one line, exit 2. Under a launcher the ranks agree through
 * MPI first, because mpirun kills the whole job as soon as one rank exits
 * non-zero, and rank 0 could die before it has printed the line. */
static int
fail (int status, const char *message)
{
  g_autofree char *shown = NULL;

  if (launch_rank () != NULL)
    return fs_pool_mpi_refuse (status, message, stderr);
  shown = fs_protocol_printable_text (message);
  g_printerr ("filestorm-pool-mpi: %s\n", shown);
  return status;
}

static gboolean
parse_options (int *argc, char ***argv, FsPoolMpiConfig *config, gboolean *help,
               gboolean *version, char **help_text, GError **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  FsPoolOptions options;
  gint per_rank = -1;  /* not given */
  gint test_rank = -1, test_port = 0;
  g_autofree char *test = NULL;
  const GOptionEntry entries[] = {
    { "clients-per-rank", 0, 0, G_OPTION_ARG_INT, &per_rank,
      "Run N clients on every rank, instead of --client-pool in all", "N" },
    { "allow-remote", 0, 0, G_OPTION_ARG_NONE, &config->allow_remote,
      "Let --host be a server on another machine (the default is loopback only)", NULL },
    { "help", 'h', 0, G_OPTION_ARG_NONE, help, "Show help options", NULL },
    { "test-rank-port", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &test,
      "Testing: rank R connects to PORT instead of --port", "R:PORT" },
    { NULL }
  };
  gboolean ok;

  g_option_context_set_summary (context,
      "Run one client pool across the ranks of an MPI job (mpirun -n R ...):\n"
      "the clients of --client-pool are split over the ranks, each rank runs\n"
      "its share as filestorm-pool does, all start together, and rank 0\n"
      "prints the merged result and a row per rank. Every transferred byte is\n"
      "checked against the expected content.");
  g_option_context_set_description (context,
      "Exit status, the same on every rank: 0 every operation succeeded, 1\n"
      "some failed, 2 bad usage, 3 a rank cannot reach the server or prepare,\n"
      "130 interrupted. See filestorm-pool-mpi(1).");
  /* GOption's own --help would exit on every rank, before MPI_Finalize. */
  g_option_context_set_help_enabled (context, FALSE);
  fs_pool_options_init (&options);
  options.clients = 0;  /* given or not: it and --clients-per-rank exclude each other */
  fs_pool_options_add (context, &options,
                       "Concurrent clients in all, split over the ranks (default 1 per rank)");
  g_option_context_add_main_entries (context, entries, NULL);
  ok = fs_option_parse (context, argc, argv, error);
  *version = options.version;
  config->json = options.json;
  if (ok && *help)
    *help_text = g_option_context_get_help (context, TRUE, NULL);
  if (!ok || *help || *version)
    {
      fs_pool_options_clear (&options);
      return ok;
    }
  ok = FALSE;
  if (options.clients != 0 && per_rank != -1)
    g_set_error_literal (error, FS_ERROR, FS_ERROR_USAGE,
                         "--client-pool and --clients-per-rank exclude each other");
  else if (per_rank != -1 && (per_rank < 1 || per_rank > FS_POOL_MAX_CLIENTS))
    g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                 "--clients-per-rank must be between 1 and %d, not %d", FS_POOL_MAX_CLIENTS,
                 per_rank);
  else if (test != NULL
           && (sscanf (test, "%d:%d", &test_rank, &test_port) != 2 || test_rank < 0
               || test_port < 1 || test_port > 65535))
    g_set_error (error, FS_ERROR, FS_ERROR_USAGE,
                 "--test-rank-port must be RANK:PORT, not '%s'", test);
  else
    {
      gboolean total = options.clients != 0;

      /* Neither: one client per rank. The total is checked per rank once
       * the ranks are known. */
      if (!total)
        options.clients = per_rank > 0 ? per_rank : 1;
      ok = fs_pool_options_apply (&options, G_MAXINT, &config->config, error);
      config->clients_per_rank = per_rank > 0 ? (guint) per_rank : total ? 0 : 1;
      config->test_rank = test_rank;
      config->test_port = (guint) test_port;
    }
  fs_pool_options_clear (&options);
  return ok;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *help_text = NULL;
  gboolean help = FALSE, version = FALSE;
  FsPoolMpiConfig config;
  int status;

  fs_locale_init ();
  memset (&config, 0, sizeof config);
  fs_pool_config_init (&config.config);
  if (!parse_options (&argc, &argv, &config, &help, &version, &help_text, &error))
    {
      fs_pool_config_clear (&config.config);
      return fail (FS_POOL_EXIT_USAGE, error->message);
    }
  if (help || version)
    {
      fs_pool_config_clear (&config.config);
      if (speaks () && help)
        fputs (help_text, stdout);
      else if (speaks ())
        printf ("filestorm-pool-mpi (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return FS_POOL_EXIT_OK;
    }
  if (!fs_b64_check_environment (&error))
    {
      fs_pool_config_clear (&config.config);
      return fail (FS_POOL_EXIT_USAGE, error->message);
    }

  fs_pool_handle_signals ();
  status = fs_pool_mpi_run (&config, stdout, stderr);
  fs_pool_config_clear (&config.config);
  return status;
}
