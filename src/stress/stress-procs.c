/* stress-procs.c: the processes below filestorm-stress, found in /proc. */
#include "config.h"

#include "stress-procs.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "errors.h"

/* Milliseconds between looks while killed processes go. */
#define GONE_INTERVAL_MS 10

typedef struct {
  pid_t    pid, ppid, group;
  gboolean zombie;  /* holds nothing and cannot be killed: only reaped */
} Proc;

/* The GSubprocess children, (owned); pruned of those that have exited. */
static GPtrArray *tracked;

gboolean
fs_stress_procs_adopt_orphans (GError **error)
{
#if defined(__linux__) && defined(PR_SET_CHILD_SUBREAPER)
  if (prctl (PR_SET_CHILD_SUBREAPER, 1) == 0)
    return TRUE;
  fs_set_errno_error (error, errno, "cannot adopt the servers' orphaned processes");
#else
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "cannot adopt the servers' orphaned processes on this system");
#endif
  return FALSE;
}

static void
prune (void)
{
  for (guint i = tracked != NULL ? tracked->len : 0; i > 0; i--)
    if (g_subprocess_get_identifier (g_ptr_array_index (tracked, i - 1)) == NULL)
      g_ptr_array_remove_index_fast (tracked, i - 1);
}

void
fs_stress_procs_track (GSubprocess *proc)
{
  if (tracked == NULL)
    tracked = g_ptr_array_new_with_free_func (g_object_unref);
  prune ();
  g_ptr_array_add (tracked, g_object_ref (proc));
}

/* Whether GLib waits for pid: a tracked child it has not reaped yet. A
 * waitpid() here would take its exit status from it. */
static gboolean
glib_waits_for (pid_t pid)
{
  prune ();
  for (guint i = 0; tracked != NULL && i < tracked->len; i++)
    {
      const char *id = g_subprocess_get_identifier (g_ptr_array_index (tracked, i));
      if (id != NULL && g_ascii_strtoll (id, NULL, 10) == pid)
        return TRUE;
    }
  return FALSE;
}

/* Every process in /proc but this one, with its parent and group. */
static GArray *
read_procs (void)
{
  GArray *procs = g_array_new (FALSE, FALSE, sizeof (Proc));
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *stat = NULL;
      const char *p;
      char state = '?';
      long ppid = 0, group = 0;
      Proc proc = { (pid_t) g_ascii_strtoll (name, NULL, 10) };

      if (!g_ascii_isdigit (name[0]) || proc.pid <= 0 || proc.pid == getpid ())
        continue;
      path = g_strdup_printf ("/proc/%s/stat", name);
      /* comm may hold spaces and parentheses: the fields follow the last ')'. */
      if (!g_file_get_contents (path, &stat, NULL, NULL) || (p = strrchr (stat, ')')) == NULL
          || sscanf (p + 1, " %c %ld %ld", &state, &ppid, &group) != 3)
        continue;
      proc.ppid = (pid_t) ppid;
      proc.group = (pid_t) group;
      proc.zombie = state == 'Z' || state == 'X';
      g_array_append_val (procs, proc);
    }
  return procs;
}

/* Whether procs[i] is below this process: its chain of parents, at most
 * as long as the list, reaches it. */
static gboolean
below_us (GArray *procs, GHashTable *parents, guint i)
{
  pid_t pid = g_array_index (procs, Proc, i).ppid;

  for (guint steps = 0; steps <= procs->len && pid > 1; steps++)
    {
      if (pid == getpid ())
        return TRUE;
      pid = GPOINTER_TO_INT (g_hash_table_lookup (parents, GINT_TO_POINTER (pid)));
    }
  return FALSE;
}

/* Whether pid's working directory is dir or under it. */
static gboolean
cwd_under (pid_t pid, const char *dir)
{
  g_autofree char *link = g_strdup_printf ("/proc/%d/cwd", (int) pid);
  g_autofree char *cwd = g_file_read_link (link, NULL);
  gsize n = strlen (dir);

  return cwd != NULL && strncmp (cwd, dir, n) == 0 && (cwd[n] == '\0' || cwd[n] == '/');
}

/* Whether pid's command line names dir (filestorm-server's forked
 * workers carry its --root). */
static gboolean
names_dir (pid_t pid, const char *dir)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/cmdline", (int) pid);
  g_autofree char *cmdline = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &cmdline, &len, NULL) || len == 0)
    return FALSE;
  for (gsize i = 0; i + 1 < len; i++)
    if (cmdline[i] == '\0')
      cmdline[i] = ' ';
  return strstr (cmdline, dir) != NULL;
}

/* Sends sig to the server's live processes; adds each to hit (nullable)
 * and returns how many there were. */
static guint
signal_procs (const FsStressProcs *procs, int sig, GHashTable *hit)
{
  g_autoptr(GArray) list = read_procs ();
  g_autoptr(GHashTable) parents = g_hash_table_new (NULL, NULL);
  guint n = 0;

  for (guint i = 0; i < list->len; i++)
    {
      const Proc *p = &g_array_index (list, Proc, i);
      g_hash_table_insert (parents, GINT_TO_POINTER (p->pid), GINT_TO_POINTER (p->ppid));
    }
  for (guint i = 0; i < list->len; i++)
    {
      const Proc *p = &g_array_index (list, Proc, i);

      if (p->zombie || glib_waits_for (p->pid))
        continue;
      if ((procs->group > 1 && p->group == procs->group) || below_us (list, parents, i)
          || (procs->base != NULL
              && (cwd_under (p->pid, procs->base) || names_dir (p->pid, procs->base))))
        {
          kill (p->pid, sig);
          if (hit != NULL)
            g_hash_table_add (hit, GINT_TO_POINTER (p->pid));
          n++;
        }
    }
  return n;
}

guint
fs_stress_procs_signal (const FsStressProcs *procs, int sig)
{
  return signal_procs (procs, sig, NULL);
}

/* Reaps the orphans this process adopted that have ended: its children
 * that GLib does not wait for. */
static void
reap_adopted (void)
{
  g_autoptr(GArray) list = read_procs ();

  for (guint i = 0; i < list->len; i++)
    {
      const Proc *p = &g_array_index (list, Proc, i);

      if (p->zombie && p->ppid == getpid () && !glib_waits_for (p->pid))
        waitpid (p->pid, NULL, WNOHANG);
    }
}

guint
fs_stress_procs_kill (const FsStressProcs *procs, guint timeout_ms)
{
  g_autoptr(GHashTable) killed = g_hash_table_new (NULL, NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  /* Again while any is left: one may have forked as the first went. */
  while (signal_procs (procs, SIGKILL, killed) > 0 && g_get_monotonic_time () < deadline)
    {
      reap_adopted ();
      g_usleep (GONE_INTERVAL_MS * 1000);
    }
  reap_adopted ();
  return g_hash_table_size (killed);
}
