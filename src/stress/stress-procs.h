/* stress-procs.h: the processes below filestorm-stress, found in /proc.
 *
 * A scenario's server may start processes that leave its process group
 * (setsid) and its directory (cd /), as a daemon does. On Linux this
 * program is the subreaper of everything it starts, so such a process is
 * adopted by it, not by init, when its parent exits, and stays below it:
 * between scenarios, every process below this one that GLib does not wait
 * for (GLib waits for the children started with GSubprocess) belongs to
 * the server of the scenario. */
#pragma once

#include <gio/gio.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* The marks of one server's processes. */
typedef struct {
  pid_t       group;  /* its process group (a command's), or 0 */
  const char *base;   /* its scenario directory: named on the command line, or the cwd */
} FsStressProcs;

/* Makes this process the subreaper of its descendants (Linux
 * PR_SET_CHILD_SUBREAPER). FALSE, with error set, where it cannot: then a
 * process that leaves the group and the directory is not found. */
gboolean fs_stress_procs_adopt_orphans (GError **error);

/* Records a child GLib waits for: it is never signalled nor reaped here. */
void     fs_stress_procs_track (GSubprocess *proc);

/* Sends sig to every live process of the server (below this process and
 * not tracked, in its group, or marked with its directory); returns how
 * many it sent it to. */
guint    fs_stress_procs_signal (const FsStressProcs *procs, int sig);

/* SIGKILLs what is left of the server and waits, up to timeout_ms, for it
 * to be gone, reaping the orphans this process adopted. Returns how many
 * processes it killed. */
guint    fs_stress_procs_kill (const FsStressProcs *procs, guint timeout_ms);

G_END_DECLS
