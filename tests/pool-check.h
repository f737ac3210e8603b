/* pool-check.h: what test-pool and test-pool-failures share: running the
 * real filestorm-pool, and checking its JSON result and its human summary
 * against filestorm-pool(1). */
#pragma once

#include "testutil.h"

G_BEGIN_DECLS

#define POOL 3               /* server pool size */
#define CLIENTS 4            /* pool size of the JSON cases */
#define MiB (1024 * 1024)
#define RUN_TIMEOUT 30.0     /* seconds for any one run of the pool */
#define PREFIX "filestorm-pool: "

/* Patterns of the summary's values. */
#define SECONDS_RE "^[0-9]+\\.[0-9]{3} s$"
#define RATE_RE "^[0-9]+\\.[0-9]{2} MiB/s$"
#define MS_RE "[0-9]+\\.[0-9]{2}"
#define OPS_RE "^[0-9]+\\.[0-9]$"
#define OP_TIME_RE "^[0-9]+\\.[0-9]{3} ms$"
#define LATENCY_RE "^min " MS_RE "  p50 " MS_RE "  p90 " MS_RE "  p99 " MS_RE "  max " MS_RE "$"

/* ---------------------------------------------------------------- programs */

/* Asserts stderr is exactly want. */
void   fp_assert_stderr_is (FtRun *run, const char *want);
/* Nothing on stdout and exactly one line "filestorm-pool: MESSAGE" on
 * stderr; returns the message (owned). */
char  *fp_assert_one_error_line (FtRun *run);
/* argv for the pool: --host 127.0.0.1 --port PORT (port 0: none), then
 * args (NULL-terminated); NULL-terminated itself. */
GPtrArray *fp_argv (guint16 port, const char * const *args);
/* Starts the pool with fp_argv (port, args). */
FtRun *fp_start_a (guint16 port, const char * const *args);
/* The same, waiting at most RUN_TIMEOUT. */
FtRun *fp_run_a (guint16 port, const char * const *args);
/* Runs the pool against 127.0.0.1:port with the NULL-terminated
 * arguments, waiting at most RUN_TIMEOUT. */
FtRun *fp_run (guint16 port, ...) G_GNUC_NULL_TERMINATED;

/* Asserts the server's root holds name with the content filestorm-pool(1)
 * documents for a test file of size bytes. */
void   fp_assert_server_file_documented (FtServer *srv, const char *name, gsize size);
/* Asserts no temporary file stays in the server's root (5 s to go). */
void   fp_assert_no_temporaries (FtServer *srv);

/* ---------------------------------------------------------------- JSON */

typedef struct {
  JsonNode   *root;   /* (owned) */
  JsonObject *o;      /* (unowned) the root's */
  char       *shown;  /* (owned) for messages */
} FpResult;

void      fp_result_free (FpResult *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FpResult, fp_result_free)

/* stdout must be exactly one line holding one JSON object. */
FpResult *fp_parse_result (FtRun *run);
/* Members of the result (o: the result's root object or one inside it),
 * asserted present and of the type. */
gint64      fp_get_int (FpResult *r, JsonObject *o, const char *name);
double      fp_get_number (FpResult *r, JsonObject *o, const char *name);
gboolean    fp_get_bool (FpResult *r, const char *name);
const char *fp_get_string (FpResult *r, const char *name);
JsonObject *fp_get_object (FpResult *r, const char *name);
/* The count errors.KIND. */
gint64      fp_get_error (FpResult *r, const char *kind);
/* Every kind of error the result counts (NULL-terminated). */
extern const char * const fp_error_kinds[];

/* What a result must say about its own configuration. */
typedef struct {
  const char *mode;
  const char *operation;   /* as reported: "download" for get */
  double      volume;
  const char *file;
  gint64      file_bytes;
  gint64      clients;
  gint64      repeat;
} FpExpect;

void fp_expect_init (FpExpect *e, const char *mode, const char *operation, double volume,
                     gint64 clients, gint64 repeat);
/* Every documented member, with its type, in the documented order, and
 * the members that echo the configuration. */
void fp_check_shape (FpResult *r, const FpExpect *e);
/* A fully successful, verified run. */
void fp_check_success (FpResult *r, const FpExpect *e);

/* ---------------------------------------------------------------- summary */

/* The human summary: each line "Label:" padded to column 25, then the
 * value; the labels in order and the values matching the patterns. */
void fp_check_summary (FtRun *run, const char * const *labels, const char * const *patterns);

G_END_DECLS
