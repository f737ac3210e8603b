/* fuzz.h: what every libFuzzer target of tests/fuzz shares. Built only
 * with ./configure --enable-fuzzing CC=clang; run by run-fuzzers.sh. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

/* A finding: the property the target checks does not hold. Aborts, so
 * that libFuzzer keeps the input. */
#define FUZZ_CHECK(cond) G_STMT_START {                                      \
    if (G_UNLIKELY (!(cond)))                                                \
      {                                                                      \
        g_printerr ("%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
        abort ();                                                            \
      }                                                                      \
  } G_STMT_END
