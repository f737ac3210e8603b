/* report-run.h: running the real programs for the report's tests
 * (test-report, test-report-charts): filestorm-stress to make results,
 * filestorm-report on them, and results files written from edited JSON,
 * all under one scratch directory. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

typedef struct {
  int   status;
  char *out;
  char *err;
} FrRan;

/* Everything the tests make goes under fr_work (owned; NULL when
 * gnuplot is missing and there is nothing to test); fr_report_path is
 * the filestorm-report to run. */
extern char *fr_work;
extern char *fr_report_path;

/* Finds the programs and makes fr_work, NAME-XXXXXX in the temporary
 * directory. FALSE when gnuplot is not installed: the one case added,
 * skip_path, skips saying so. */
gboolean    fr_init (const char *name, const char *skip_path);
/* A small run of both modes (download and list, 10 MiB, 1 and 5
 * clients, a server pool of 1): its results JSON's path. */
char       *fr_stress_small (void);
/* g_test_run(), then fr_work removed when every case passed. */
int         fr_run_tests (void);
void        fr_ran_clear (FrRan *r);
/* Runs argv (NULL-terminated) with env (NAME=VALUE, NULL-terminated,
 * nullable) added. */
void        fr_run (FrRan *r, const char *const *env, const char *const *argv);
/* filestorm-report with args and env. */
void        fr_report (FrRan *r, const char *const *env, const char *const *args);
JsonNode   *fr_load_json (const char *path);
/* Writes root to NAME under fr_work; returns its path. */
char       *fr_write_json (JsonNode *root, const char *name);
/* Runs filestorm-stress with args in a directory of its own under
 * fr_work; returns the results JSON's path, and the report's and stdout
 * when asked. */
char       *fr_stress (const char *name, const char *const *args, char **report_dir,
                       char **out);
gboolean    fr_have (const char *program);
