/* test-stats-hostile.c: STATS answers that break the protocol
 * (tests/hostile-server.c), as filestorm-stress and filestorm-pool read
 * them. A counter that is negative or beyond any real count is a protocol
 * error, reported as such: filestorm-stress once printed "the server still
 * had 9223372036854775802 connection(s) open". A failed STATS's text, cut
 * for the pool's summary, is cut between characters and says so. */
#include "config.h"

#include <string.h>

#include "client.h"
#include "hostile-server.h"
#include "testutil.h"

#define RUN_TIMEOUT 60

/* Answers STATS with the frame in data, LIST with no names, and anything
 * else with nothing. */
static void
answer_stats (GSocket *conn, const char *request, gpointer data)
{
  static const char list[] = "{\"status\":\"OK\",\"data\":[]}\r\n\r\n";
  const char *frame = g_ascii_strncasecmp (request, "STATS", 5) == 0 ? data
                      : g_ascii_strncasecmp (request, "LIST", 4) == 0 ? list : NULL;

  if (frame != NULL)
    ft_hostile_send (conn, frame, strlen (frame));
}

/* A STATS answer whose data is object (JSON text), as answer_stats()'s
 * data (owned). */
static char *
stats_frame (const char *object)
{
  return g_strdup_printf ("{\"status\":\"OK\",\"data\":%s}\r\n\r\n", object);
}

/* fs_client_stats_count(): counts from 0 to 10^15 are read, a member
 * that is missing is 0, and anything else is a protocol error naming the
 * member. */
static void
test_counts (gconstpointer data)
{
  static const struct { const char *value; gboolean ok; guint64 want; const char *says; } cases[] = {
    { "12", TRUE, 12, NULL },
    { "0", TRUE, 0, NULL },
    { "1000000000000000", TRUE, G_GUINT64_CONSTANT (1000000000000000), NULL },
    { NULL, TRUE, 0, NULL },  /* not there */
    { "1000000000000001", FALSE, 0, "is 1000000000000001, not a count" },
    { "9223372036854775803", FALSE, 0, "is 9223372036854775803, not a count" },
    { "-3", FALSE, 0, "is -3, not a count" },
    { "1e300", FALSE, 0, "is not a whole number" },
    { "2.5", FALSE, 0, "is not a whole number" },
    { "\"12\"", FALSE, 0, "is not a whole number" },
    { "[1]", FALSE, 0, "is not a whole number" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *object = cases[i].value != NULL
        ? g_strdup_printf ("{\"mode\":\"thread\",\"connections\":%s}", cases[i].value)
        : g_strdup ("{\"mode\":\"thread\"}");
      g_autofree char *frame = stats_frame (object);
      g_autoptr(FtHostile) h = ft_hostile_start (1, answer_stats, frame);
      g_autoptr(GError) error = NULL;
      g_autoptr(FsClient) client = fs_client_connect ("127.0.0.1", ft_hostile_port (h), 10,
                                                      &error);
      g_autoptr(JsonObject) stats = NULL;
      guint64 value = 99;
      gboolean ok;

      g_assert_no_error (error);
      ft_check (fs_client_stats (client, &stats, &error), "STATS with %s: %s", object,
                error->message);
      ok = fs_client_stats_count (stats, "connections", &value, &error);
      ft_check (ok == cases[i].ok, "connections %s: %s", object,
                ok ? "taken" : error->message);
      if (ok)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (value, ==, cases[i].want);
          continue;
        }
      g_assert_error (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_PROTOCOL);
      ft_check (strstr (error->message, "STATS \"connections\" ") != NULL
                && strstr (error->message, cases[i].says) != NULL,
                "connections %s: \"%s\" does not say \"%s\"", cases[i].value, error->message,
                cases[i].says);
    }
}

/* filestorm-stress --target against a server whose STATS counts
 * 9223372036854775803 connections: the run fails at once with a protocol
 * error, instead of waiting 10 s for them to end and printing the number
 * as connections open. */
static void
test_stress_huge (gconstpointer data)
{
  static const char stats[] =
    "{\"mode\":\"thread\",\"pool\":1,\"connections\":9223372036854775803,"
    "\"workers_ok\":0,\"workers_failed\":0,\"worker_restarts\":0}";
  g_autofree char *stress = ft_program_path ("FILESTORM_STRESS", "filestorm-stress");
  g_autofree char *results = g_build_filename (g_getenv ("FT_SCRATCH"), "results", NULL);
  g_autofree char *frame = stats_frame (stats);
  g_autoptr(FtHostile) h = ft_hostile_start (200, answer_stats, frame);
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", ft_hostile_port (h));
  const char *const argv[] = {
    stress, "--target", target, "--quick", "--operation", "list", "--volume", "10",
    "--client-pool", "1", "--timeout", "5", "--no-report", "--results-dir", results, NULL
  };
  g_autoptr(FtRun) run = ft_run_start (NULL, NULL, NULL, argv);
  g_autofree char *out = NULL;

  ft_run_wait (run, RUN_TIMEOUT);
  out = ft_run_stdout_text (run);
  ft_note ("%s", out);
  ft_run_assert_exit (run, 1);
  ft_check (strstr (out, "STATS: malformed answer from the server: STATS \"connections\" is "
                         "9223372036854775803, not a count") != NULL,
            "the run's line does not report the protocol error:\n%s", out);
  ft_check (strstr (out, "connection(s)") == NULL, "a count was taken as connections:\n%s",
            out);
  /* The settling wait (10 s) is not waited out. */
  ft_check (run->elapsed < 8, "the run took %.1f s", run->elapsed);
}

/* The pool's summary shows a failed STATS's text cut to 200 characters:
 * here 198 ASCII ones, then two of two bytes each (bytes 199 to 202), then
 * more that must not be shown. The cut keeps both whole, the line stays
 * UTF-8, and it says it was cut. */
static void
test_pool_stats_text_cut (gconstpointer data)
{
  g_autofree char *pool = ft_program_path ("FILESTORM_POOL", "filestorm-pool");
  g_autofree char *kept = g_strnfill (198, 'a');
  g_autofree char *dropped = g_strnfill (100, 'b');
  g_autofree char *text = g_strconcat (kept, "\xc3\xa9\xc3\xa9", dropped, NULL);
  g_autofree char *frame = g_strdup_printf ("{\"status\":\"ERROR\",\"data\":\"%s\"}\r\n\r\n",
                                            text);
  g_autoptr(FtHostile) h = NULL;
  g_autofree char *port = NULL;
  g_autoptr(FtRun) run = NULL;
  g_autofree char *out = NULL;
  g_autofree char *want = g_strconcat ("(STATS: ", kept, "\xc3\xa9\xc3\xa9",
                                       "... (cut at 200 characters))\n", NULL);
  g_autofree char *line = NULL;
  const char *start;

  /* The pool shows printable characters as they are in a UTF-8 locale. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  h = ft_hostile_start (2, answer_stats, frame);
  port = g_strdup_printf ("%u", ft_hostile_port (h));
  {
    const char *const argv[] = {
      pool, "--operation", "list", "--client-pool", "1", "--port", port, "--timeout", "3",
      NULL
    };
    run = ft_run_start (NULL, NULL, NULL, argv);
  }
  ft_run_wait (run, RUN_TIMEOUT);
  out = ft_run_stdout_text (run);
  ft_note ("%s", out);
  ft_run_assert_exit (run, 0);
  start = strstr (out, "Server:");
  ft_check (start != NULL, "no Server: line in\n%s", out);
  line = g_strndup (start, strcspn (start, "\n") + 1);
  ft_check (g_utf8_validate (line, -1, NULL), "the Server: line is not UTF-8");
  ft_check (g_str_has_suffix (line, want), "the Server: line is not cut as it should be:\n%s",
            line);
  ft_check (strchr (line, 'b') == NULL, "the Server: line shows what is past the cut");
}

int
main (int argc, char **argv)
{
  ft_init ();
  g_test_init (&argc, &argv, NULL);
  ft_test_add ("/stats-hostile/counts", test_counts, NULL);
  ft_test_add ("/stats-hostile/stress-huge-count", test_stress_huge, NULL);
  ft_test_add ("/stats-hostile/pool-text-cut", test_pool_stats_text_cut, NULL);
  return g_test_run ();
}
