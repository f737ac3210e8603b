/* stress-server.h: the server a scenario of filestorm-stress measures.
 *
 * One seam for every kind of server: filestorm-server started from beside
 * this program, any command that speaks the protocol, started from a
 * template (--server-command), or a server already running (--target),
 * which is neither started nor stopped. A scenario starts one, learns its port and
 * process, runs the pool against it and stops it; the kind decides how
 * each step is done. */
#pragma once

#include <gio/gio.h>

#include "results.h"
#include "scenario.h"

G_BEGIN_DECLS

typedef struct _FsStressServer FsStressServer;

typedef struct {
  const char *server_path;     /* filestorm-server, when template is NULL */
  const char *template;        /* (nullable) --server-command */
  guint       start_timeout;   /* seconds for a command to take connections */
  guint       stop_grace;      /* seconds between SIGTERM and SIGKILL */
  const char *target_host;     /* (nullable) --target: a server already running */
  guint       target_port;
  /* filestorm-server's --idle-timeout, 0: its default. A command's or a
   * target's idle timeout is its own. */
  guint       idle_timeout;
} FsStressServerSpec;

/* A --server-command template as the command's words: split as a shell
 * would (quotes and backslashes; no shell runs it), then in every word
 * each of {mode} {pool} {port} {host} {root} replaced by values[0..4],
 * each of them doubled ({{mode}}) by the literal one ({mode}), and any
 * other brace kept as it is. NULL, with an FS_ERROR_USAGE error
 * that quotes the template, when it does not split. */
char          **fs_stress_command_argv (const char *template, const char *const values[5],
                                        GError **error);
/* Checks a --server-command template: it splits into words. */
gboolean        fs_stress_server_check_template (const char *template, GError **error);

/* Starts the server of scenario in base (a fresh directory it owns:
 * base/root is the server's root and, for a command, its working
 * directory; base/server.log its output) and waits until it takes
 * connections. Returns NULL with error set when it cannot, the command's
 * last lines of output in the message. */
FsStressServer *fs_stress_server_start (const FsStressServerSpec *spec,
                                        const FsScenario *scenario, const char *base,
                                        GCancellable *interrupt, GError **error);
const char     *fs_stress_server_host  (const FsStressServer *server);
guint           fs_stress_server_port  (const FsStressServer *server);
/* The server's process, for its cost; 0 once it has been reaped. */
pid_t           fs_stress_server_pid   (const FsStressServer *server);
/* How many connections starting it made (a command's readiness probe):
 * the server's counters see them. */
guint           fs_stress_server_probes (const FsStressServer *server);
/* Whether base/root is the directory the server serves, so that a test
 * file written there is one it serves (filestorm-server's --root). */
gboolean        fs_stress_server_serves_root (const FsStressServer *server);
/* Stops it (SIGTERM, then SIGKILL after the grace) and checks that none of
 * its processes is left, killing any that are. FALSE, with error set, when
 * it did not stop as it should: filestorm-server, exit status 0 within the
 * grace; a command, no process of it alive after SIGKILL (one slow to stop
 * is only noted, see fs_stress_server_how_stopped()). */
gboolean        fs_stress_server_stop  (FsStressServer *server, GError **error);
/* Once stopped: whether it exited within the grace, or was killed, and
 * then *killed_after_s seconds after SIGTERM; FS_SERVER_STOP_UNKNOWN for
 * a --target, which is not stopped. */
FsServerStop    fs_stress_server_how_stopped (const FsStressServer *server,
                                              double *killed_after_s);
/* Kills the server at once if it still runs, and frees it. */
void            fs_stress_server_free  (FsStressServer *server);

/* A child that dies with this process (prctl PR_SET_PDEATHSIG). */
GSubprocess    *fs_stress_spawn (const char * const *argv, GSubprocessFlags flags,
                                 const char *stderr_path, GError **error);
/* Ends a child: SIGKILL, then waits up to 5 s for it to be reaped. FALSE,
 * with error set, when it is still there (a process stuck in the kernel,
 * in state D, does not die until it leaves it). */
gboolean        fs_stress_kill_and_reap (GSubprocess *proc, GError **error);
/* A GAsyncReadyCallback that keeps a reference to the result in
 * *(GAsyncResult **) data, for a loop that iterates until it is set. */
void            fs_stress_keep_result (GObject *source, GAsyncResult *result,
                                       gpointer data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsStressServer, fs_stress_server_free)

G_END_DECLS
