/* filestorm-report: results files in, a report directory out. */
#include "config.h"

#include <stdio.h>

#include "report.h"
#include "options.h"
#include "util.h"

/* Exit codes, documented in filestorm-report(1). */
enum {
  EXIT_OK = 0,        /* the report was written (with or without charts) */
  EXIT_INPUT = 1,     /* an input is unreadable or not results this report reads */
  EXIT_USAGE = 2,     /* bad command line, or the CSV or a page given for the JSON */
  EXIT_OUTPUT = 3,    /* the output directory cannot be written */
  EXIT_GNUPLOT = 4,   /* gnuplot failed on a chart */
};

static int
fail (int status, const char *message)
{
  g_printerr ("filestorm-report: %s\n", message);
  return status;
}

int
main (int argc, char **argv)
{
  g_autofree char *output = NULL;
  g_auto(GStrv) labels = NULL;
  g_auto(GStrv) inputs = NULL;
  g_autofree char *written = NULL;
  gboolean version = FALSE, drawn = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Write the report in DIR, which must not exist or be empty (default: "
      "report_STAMP beside the first file)", "DIR" },
    { "label", 'l', 0, G_OPTION_ARG_STRING_ARRAY, &labels,
      "Name the files in charts and tables, once per file, in their order (default: "
      "the date each run started)", "NAME" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("RESULTS.json [MORE.json...]");
  g_autoptr(GError) error = NULL;
  FsReportOptions options = { 0 };
  guint n_inputs, n_labels;

  fs_locale_init ();
  g_option_context_set_summary (context,
      "Draw the charts of a filestorm-stress results file and write them, with its\n"
      "metadata, verdict and scenario table, into one self-contained HTML page;\n"
      "given several files, compare them side by side, the first as the reference.\n"
      "Charts are drawn by gnuplot (Debian: gnuplot-nox); without it the page has\n"
      "its tables only.");
  g_option_context_set_description (context,
      "Exit status: 0 written, 1 an input is not results this report reads,\n"
      "2 bad usage (such as the CSV or a report page given, not the JSON),\n"
      "3 the output cannot be written, 4 gnuplot failed.\n"
      "See filestorm-report(1) and filestorm-results(5).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!fs_option_parse (context, &argc, &argv, &error))
    return fail (EXIT_USAGE, error->message);
  if (version)
    {
      printf ("filestorm-report (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EXIT_OK;
    }
  n_inputs = inputs != NULL ? g_strv_length (inputs) : 0;
  n_labels = labels != NULL ? g_strv_length (labels) : 0;
  if (n_inputs == 0)
    return fail (EXIT_USAGE, "no results file given (try --help)");
  if (n_labels > 0 && n_labels != n_inputs)
    {
      g_autofree char *msg = g_strdup_printf ("%u --label given for %u results file%s; give "
                                              "one per file, or none", n_labels, n_inputs,
                                              n_inputs == 1 ? "" : "s");
      return fail (EXIT_USAGE, msg);
    }
  for (guint i = 0; i < n_labels; i++)
    if (*g_strstrip (labels[i]) == '\0')
      return fail (EXIT_USAGE, "a --label is empty");
    else if (!g_utf8_validate (labels[i], -1, NULL))
      return fail (EXIT_USAGE, "a --label is not valid UTF-8");
  if (output != NULL && *output == '\0')
    return fail (EXIT_USAGE, "--output is empty");

  options.inputs = (const char *const *) inputs;
  options.n_inputs = n_inputs;
  options.labels = (const char *const *) labels;
  options.output = output;
  options.notes = stderr;
  if (!fs_report_write (&options, &written, &drawn, &error))
    return fail (error->code == FS_REPORT_ERROR_INPUT || error->code == FS_REPORT_ERROR_FORMAT
                 ? EXIT_INPUT
                 : error->code == FS_REPORT_ERROR_USAGE ? EXIT_USAGE
                 : error->code == FS_REPORT_ERROR_GNUPLOT ? EXIT_GNUPLOT : EXIT_OUTPUT,
                 error->message);
  printf ("Report: %s/index.html\n", written);
  return EXIT_OK;
}
