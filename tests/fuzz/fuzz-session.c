/* fuzz-session.c: the session machine (src/server/session*.c), which
 * every server model drives, on any bytes a client may send, cut into
 * pieces of any size: fed through a socket pair, it answers what it can,
 * never crashes or leaks, never waits for more once the client's stream
 * has ended, leaves no temporary upload behind, and ends every request it
 * counted as OK or failed. The first byte of the input sets the size of
 * the pieces. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "session.h"

/* No real input needs more turns than this: each moves a piece. */
#define MAX_TURNS 100000

static char           *root;
static FsStore        *store;
static FsStats        *stats;
static FsSessionCache *cache;
static FsSessionConfig config;

/* Once, at the first input (fuzz-common.c has LLVMFuzzerInitialize). */
static void
setup (void)
{
  g_autoptr(GError) error = NULL;

  root = g_dir_make_tmp ("filestorm-fuzz-session-XXXXXX", &error);
  store = root != NULL ? fs_store_open (root, &error) : NULL;
  stats = store != NULL ? fs_stats_new ("thread", 1, &error) : NULL;
  if (stats == NULL)
    {
      g_printerr ("fuzz-session: %s\n", error->message);
      abort ();
    }
  cache = fs_session_cache_new (1);
  config.store = store;
  config.stats = stats;
  /* Small enough that an input can hit it; no time limits, which would
   * only make the target slow. */
  config.max_upload = 64 * 1024;
}

static void
empty_root (void)
{
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (root, name, NULL);

      FUZZ_CHECK (!g_str_has_prefix (name, FS_TMP_PREFIX));
      unlink (path);
    }
}

/* Reads and drops what the server sent. */
static void
drain (int fd)
{
  char sink[65536];

  while (read (fd, sink, sizeof sink) > 0)
    ;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  int sv[2];
  gsize piece, sent = 0;
  gboolean shut = FALSE;
  FsSession *s;
  guint turns;

  if (store == NULL)
    setup ();
  if (size == 0)
    return 0;
  piece = 1 + data[0] % 251;
  data++;
  size--;
  FUZZ_CHECK (socketpair (AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) == 0);
  s = fs_session_new (&config, sv[1], cache);
  for (turns = 0; turns < MAX_TURNS; turns++)
    {
      FsSessionWait what;

      if (sent < size)
        {
          ssize_t n = write (sv[0], data + sent, MIN (piece, size - sent));
          if (n > 0)
            sent += (gsize) n;
        }
      if (sent == size && !shut)
        {
          shutdown (sv[0], SHUT_WR);
          shut = TRUE;
        }
      what = fs_session_run (s);
      if (what == FS_SESSION_CLOSED)
        break;
      if (what == FS_SESSION_WAIT_WORK)
        fs_session_work (s);
      drain (sv[0]);
    }
  FUZZ_CHECK (turns < MAX_TURNS);
  fs_session_free (s);
  close (sv[0]);
  FUZZ_CHECK (fs_stats_get (stats, FS_STAT_REQUESTS)
              == fs_stats_get (stats, FS_STAT_REQUESTS_OK)
                 + fs_stats_get (stats, FS_STAT_REQUESTS_FAILED));
  empty_root ();
  return 0;
}
