/* stress-run.h: the tests' way to run filestorm-stress: with --no-report
 * and a results directory of its own, TMPDIR pointed at a fresh directory
 * (or the one given), its output and exit status kept. */
#pragma once

#include <glib.h>

typedef struct {
  int   status;
  char *out;   /* (owned) */
  char *err;   /* (owned) */
  char *dir;   /* (owned) the results directory */
  char *work;  /* (owned) the servers' TMPDIR and the results' parent */
} FtStressRun;

/* Runs filestorm-stress with args (NULL-terminated) plus --no-report and
 * --results-dir, TMPDIR set to tmpdir (or a fresh directory when NULL). */
void  ft_stress_run         (FtStressRun *r, const char *tmpdir, const char *const *args);
/* Frees r and removes its directory. */
void  ft_stress_run_clear   (FtStressRun *r);
/* The one results file whose name ends in suffix (owned); fails the test
 * when there is none, or a report (every run is --no-report). */
char *ft_stress_result_file (const FtStressRun *r, const char *suffix);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FtStressRun, ft_stress_run_clear)
