/* testutil.h: helpers for the end-to-end tests.
 *
 * The tests start the real filestorm-server (never a mock) on 127.0.0.1,
 * port 0, with a fresh temporary root, and talk to it over TCP with a tiny
 * blocking client. Every wait has a deadline.
 *
 * One header for five files: testutil.c (cases, diagnostics, content,
 * files, /proc), testutil-server.c, testutil-conn.c, testutil-commands.c
 * and testutil-run.c (programs). */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <stdarg.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* Deadlines, in seconds. */
#define FT_READY_TIMEOUT 10   /* for the "listening on" line */
#define FT_STOP_TIMEOUT 15    /* for the server to exit after SIGTERM */
#define FT_IO_TIMEOUT 30      /* any single socket read or write */

/* The largest response frame a test accepts (a GET of a 20 MiB file is
 * about 28 MB). */
#define FT_MAX_FRAME (128u * 1024 * 1024)

/* Fails the running test with a formatted message (like a failed
 * g_assert, so it aborts the test program). */
#define ft_fail(...) G_STMT_START {                                          \
    char *ft_fail_msg_ = g_strdup_printf (__VA_ARGS__);                      \
    g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC,        \
                         ft_fail_msg_);                                      \
    g_free (ft_fail_msg_);                                                   \
  } G_STMT_END
/* Asserts cond, with a formatted message when it does not hold. */
#define ft_check(cond, ...) G_STMT_START {                                   \
    if (G_LIKELY (cond)) ; else ft_fail (__VA_ARGS__);                        \
  } G_STMT_END

/* Printable, escaped, shortened view of bytes for failure messages
 * (owned). */
char *ft_preview (const void *data, gsize len);
char *ft_preview_bytes (GBytes *bytes);
char *ft_preview_json (JsonNode *node);

/* Ignores SIGPIPE; call first in main(). */
void ft_init (void);

/* Every test case runs in its own subprocess (g_test_trap_subprocess), with
 * this deadline in seconds: a failing or hanging case is reported and
 * the next one still runs. */
#define FT_TEST_TIMEOUT 120
void ft_test_add (const char *path, GTestDataFunc func, gconstpointer data);

/* g_test_skip() for a case added with ft_test_add(): the case's subprocess
 * leaves REASON for its parent, which reports the case skipped, not failed
 * (a skipped subprocess exits 77, which g_test_trap_has_passed() counts as
 * a failure). The caller returns after it. */
void ft_skip (const char *reason);

/* A diagnostic line for the test log (g_test_message, or stderr inside the
 * per-case subprocess, whose stdout is not shown). */
void ft_note (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* Monotonic clock in seconds. */
double ft_now (void);

/* ---------------------------------------------------------------- server */

typedef struct {
  char        *base;    /* (owned) temporary directory made for this server */
  char        *root;    /* (owned) base/root, the server's --root */
  char        *mode;    /* (owned) "thread" or "process" */
  guint        pool;
  guint16      port;
  pid_t        pid;     /* the server's (the supervisor's) pid */
  GSubprocess *proc;    /* (owned) */
  gboolean     reaped;  /* exit status already checked */
} FtServer;

/* A program of the build: $ENV_VAR, else ../src/NAME relative to the
 * directory of the running test program (owned). */
char *ft_program_path (const char *env_var, const char *name);
/* The server binary: ft_program_path ("FILESTORM_SERVER", "filestorm-server"). */
const char *ft_server_path (void);
/* The pool binary: ft_program_path ("FILESTORM_POOL", "filestorm-pool"). */
const char *ft_pool_path (void);

/* Starts `filestorm-server --mode MODE --pool POOL --host 127.0.0.1
 * --port 0 --root ROOT [extra...]` (extra NULL-terminated, may be NULL) and
 * waits (FT_READY_TIMEOUT) for its ready line, whose exact format is
 * asserted. The root is BASE/root, BASE a new directory (under $FT_SCRATCH,
 * which ft_test_add() sets per case, else in the temporary directory); the
 * root does not exist beforehand: the server creates it. */
FtServer *ft_server_start (const char *mode, guint pool, const char * const *extra);

/* Servers started from now on run with RLIMIT_FSIZE at bytes (0: the
 * test program's own limit), and with SIGXFSZ at its default, fatal. */
void ft_server_set_fsize_limit (guint64 bytes);

/* With on, pins the test program to one CPU and has servers started from
 * now on run on that CPU at SCHED_IDLE: any wake-up of the test program
 * (an answer arriving) preempts the server right there, so the test sees
 * the server's state as it was at the moment it answered, instead of
 * racing it. Returns the CPU, or -1 when off. */
int  ft_pin_and_starve_servers (gboolean on);

/* Sends a signal to the server process (nothing if it has exited). */
void ft_server_signal (FtServer *srv, int sig);

/* Waits up to timeout seconds for the server to exit. TRUE if it did. */
gboolean ft_server_wait (FtServer *srv, double timeout);

/* Asserts that the server has exited (ft_server_wait) with status 0 and that
 * it wrote nothing to stdout after its ready line. */
void ft_server_assert_exit_ok (FtServer *srv);

/* Stops the server: SIGTERM unless it has exited already, waits up to
 * FT_STOP_TIMEOUT seconds (SIGKILL and fail the test if it does not exit),
 * asserts exit status 0, removes the temporary directory and frees. */
void ft_server_stop (FtServer *srv);

/* Cleans up without any assertion: SIGKILL if still running, waits, removes
 * the temporary directory, frees. For servers a test killed on purpose. */
void ft_server_free (FtServer *srv);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FtServer, ft_server_free)

/* ---------------------------------------------------------------- client */

typedef struct {
  GSocketConnection *connection; /* (owned) */
  GSocket           *socket;     /* (unowned) the connection's */
  GByteArray        *pending;    /* (owned) received, not yet consumed */
  guint64            sent;       /* bytes written to the socket */
  guint64            received;   /* bytes read from the socket */
} FtConn;

/* Connects to 127.0.0.1:port with FT_IO_TIMEOUT as the I/O timeout.
 * Asserts success. */
FtConn *ft_conn_new  (guint16 port);
void    ft_conn_free (FtConn *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FtConn, ft_conn_free)

/* Closes the sending side (the server sees end of stream; we can still
 * read). */
void ft_conn_shutdown_write (FtConn *conn);
/* Closes and frees the connection with a reset (SO_LINGER 0) instead of
 * an orderly close, as a killed client's kernel may. */
void ft_conn_reset (FtConn *conn);
/* Whether a connection to 127.0.0.1:port is refused: nothing listens. */
gboolean ft_port_refuses (guint16 port);
/* A port on 127.0.0.1 where nothing listens: bound, read, closed. */
guint16  ft_closed_port (void);

/* Sets the I/O timeout of one connection (seconds, 0 = none). */
void ft_conn_set_timeout (FtConn *conn, guint seconds);

/* Writes all of data; FALSE with error if the socket fails. */
gboolean ft_conn_try_send (FtConn *conn, const void *data, gsize len, GError **error);
/* Writes all of data and asserts it worked. */
void     ft_conn_send     (FtConn *conn, const void *data, gsize len);
void     ft_conn_send_str (FtConn *conn, const char *text);

/* One receive into the pending buffer: returns the number of bytes read,
 * 0 at end of stream, -1 with error. */
gssize ft_conn_recv_some (FtConn *conn, gsize max, GError **error);

/* Reads one response frame: every byte up to and including the first
 * "\r\n\r\n", whatever the read boundaries (bytes after it stay pending for
 * the next frame). NULL with error at end of stream, on timeout or when the
 * frame exceeds FT_MAX_FRAME. */
GBytes *ft_conn_read_frame (FtConn *conn, GError **error);

/* Waits until the server closes the connection: TRUE if end of stream (or
 * a reset) came within timeout seconds and nothing else arrived first;
 * *extra_bytes (nullable) gets the count of bytes that arrived before it. */
gboolean ft_conn_wait_closed (FtConn *conn, double timeout, gsize *extra_bytes);

/* Parses a frame as a JSON object: asserts the terminator, valid UTF-8 and
 * a JSON object with a string "status". Returns the root node (owned). */
JsonNode *ft_parse_frame (GBytes *frame);

/* Reads and parses one frame, asserting it arrives. */
JsonNode *ft_conn_read_json (FtConn *conn);

/* Sends line + "\n" and returns the parsed answer (owned). */
JsonNode *ft_request (FtConn *conn, const char *line);
/* Sends line + "\n" and returns the raw answer frame, asserting it arrives. */
GBytes   *ft_request_raw (FtConn *conn, const char *line);

/* Accessors for a parsed answer. */
const char *ft_status (JsonNode *answer);
/* Asserts status "OK". */
void        ft_assert_ok (JsonNode *answer);
/* Asserts status "ERROR" with a non-empty string "data"; returns the data. */
const char *ft_assert_error (JsonNode *answer);
/* Asserts the frame is byte for byte the answer to an unknown request. */
void        ft_assert_unknown_frame (GBytes *frame);

/* A request argument for a name: bare when it holds no space, tab or quote,
 * else double-quoted with \" and \\ escapes. */
char *ft_quote (const char *name);

/* ---- commands, each asserting an OK answer of the documented shape ---- */

/* LIST: the names in the answer (NULL-terminated, owned). */
GStrv   ft_list   (FtConn *conn);
/* GET: checks data_namafile and that data_file is exactly the (padded,
 * unbroken) base64 of expect when expect is not NULL; returns the decoded
 * content. */
GBytes *ft_get    (FtConn *conn, const char *name, GBytes *expect);
/* One-line UPLOAD name <base64>; returns the stored name (file_path). */
char   *ft_upload_line (FtConn *conn, const char *name, const guint8 *data, gsize len);
/* Streamed UPLOAD [name]: asserts the bare READY frame, sends the base64 in
 * lines of line_len characters (0 = one line), then ENDUPLOAD; returns the
 * parsed final answer (owned), which may be an ERROR. */
JsonNode *ft_upload_stream_answer (FtConn *conn, const char *name,
                                   const guint8 *data, gsize len, gsize line_len);
/* The same, asserting OK; returns the stored name. */
char   *ft_upload_stream (FtConn *conn, const char *name, const guint8 *data,
                          gsize len, gsize line_len);
/* DELETE: asserts the OK answer. */
void    ft_delete (FtConn *conn, const char *name);
/* STATS: returns the "data" object's node (owned), asserting its members. */
JsonNode *ft_stats (FtConn *conn);
/* An integer member of a STATS data node (asserted present and integral). */
gint64  ft_stat (JsonNode *stats, const char *member);

/* Asserts that frame is exactly the bare "READY TO RECEIVE FILE\r\n\r\n". */
void    ft_assert_ready_frame (GBytes *frame);
/* Reads the next frame and asserts it is the READY line. */
void    ft_conn_read_ready (FtConn *conn);

/* ---------------------------------------------------------------- data */

/* Deterministic content: len bytes of xorshift64* output for seed. */
guint8 *ft_content (guint64 seed, gsize len);
GBytes *ft_content_bytes (guint64 seed, gsize len);
/* Asserts two buffers are equal, reporting the first difference. */
void    ft_assert_same_bytes (const guint8 *got, gsize got_len,
                              const guint8 *want, gsize want_len);

/* ---------------------------------------------------------------- files */

/* Writes a file (path = dir/name) with the given content, asserting. */
void    ft_write_file (const char *dir, const char *name, const void *data, gsize len);
/* Reads dir/name; NULL if it does not exist. */
GBytes *ft_read_file  (const char *dir, const char *name);
gboolean ft_exists    (const char *dir, const char *name); /* lstat() */
/* Every entry of dir (all of them, hidden ones too), sorted. */
GStrv   ft_dir_entries (const char *dir);
/* Asserts dir/name exists and holds exactly want. */
void    ft_assert_file_is (const char *dir, const char *name, GBytes *want);
/* Polls (deadline timeout seconds) until dir has no entry whose name starts
 * with '.' other than those in allowed (NULL-terminated, nullable). Returns
 * TRUE when clean; else FALSE and *left (nullable) names one left over. */
gboolean ft_wait_no_hidden (const char *dir, const char * const *allowed,
                            double timeout, char **left);
/* Asserts ft_wait_no_hidden (root, allowed, 10 s); what says when. */
void    ft_assert_no_hidden (const char *root, const char * const *allowed, const char *what);
/* Removes a tree (no symlinks followed). */
void    ft_rm_rf (const char *path);

/* ---------------------------------------------------------------- /proc */

/* The PPid of pid, or -1 if there is no such process. */
pid_t    ft_proc_ppid (pid_t pid);
/* TRUE if pid exists and is not a zombie. */
gboolean ft_proc_alive (pid_t pid);
/* Live (non-zombie) processes whose PPid is ppid. */
GArray  *ft_proc_children (pid_t ppid);
/* Live (non-zombie) processes whose /proc/PID/cmdline contains needle. */
GArray  *ft_proc_with_cmdline (const char *needle);

/* ---------------------------------------------------------------- programs */

/* A program run to completion, its output collected asynchronously in a
 * context of its own. */
typedef struct {
  char         *cmd;      /* (owned) the command line, for messages */
  GSubprocess  *proc;     /* (owned) */
  GMainContext *ctx;      /* (owned) where communicate_async completes */
  gboolean      done;
  GBytes       *out;      /* (owned) stdout (empty when redirected) */
  GBytes       *err;      /* (owned) stderr */
  GError       *error;    /* (owned) from communicate */
  double        started;
  double        elapsed;  /* seconds from spawn to completion */
} FtRun;

/* The child setup of every program a test starts (the server's too): it
 * dies with the test program and takes SIGPIPE at its default. */
void   ft_child_setup (gpointer data);
/* Starts argv with stderr piped; stdout piped too unless stdout_path
 * (nullable) names a file for it; stdin from stdin_path (nullable), else
 * /dev/null; in cwd (nullable). The child dies with the test program. */
FtRun *ft_run_start (const char *cwd, const char *stdin_path, const char *stdout_path,
                     const char * const *argv);
/* Lets the run make progress without blocking. */
void   ft_run_poll  (FtRun *run);
/* Waits (deadline timeout s) for the run to finish; on timeout the test
 * fails (and ft_run_free kills the program). */
void   ft_run_wait  (FtRun *run, double timeout);
/* Starts program --host 127.0.0.1 --port port and then the arguments in
 * ap (NULL-terminated), as ft_run_start (cwd, stdin_path, NULL, ...). */
FtRun *ft_run_start_port_v (const char *program, guint16 port, const char *cwd,
                            const char *stdin_path, va_list ap);
/* Kills the program if it still runs, then frees. */
void   ft_run_free  (FtRun *run);
/* stdout and stderr as NUL-terminated text (owned). */
char  *ft_run_stdout_text (FtRun *run);
char  *ft_run_stderr_text (FtRun *run);
/* Asserts the program exited (not killed by a signal) with status want. */
void   ft_run_assert_exit (FtRun *run, int want);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FtRun, ft_run_free)

G_END_DECLS
