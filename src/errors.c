/* errors.c: the filestorm error domain. */
#include "config.h"

#include "errors.h"

G_DEFINE_QUARK (filestorm-error-quark, fs_error)
