/* fuzz-common.c: linked into every fuzz target. */
#include "config.h"

#include <stdlib.h>

#include "fuzz.h"

/* Criticals and warnings mean misuse of GLib on some input: findings
 * too. They abort(), which libFuzzer catches and keeps the input of (a
 * fatal GLib log raises SIGTRAP, which it does not). */
static void
fuzz_log (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  g_printerr ("%s: %s\n", domain ? domain : "", message);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_default_handler (fuzz_log, NULL);
  return 0;
}
