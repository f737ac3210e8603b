/* server.c: what both concurrency models share: configuration, the
 * listening socket, the root, the counters and the ready line. */
#include "config.h"

#include "server.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "errors.h"
#include "util.h"

/* Connections the kernel queues while every thread or worker is busy:
 * enough for the largest client pools we run against a pool of one. */
#define LISTEN_BACKLOG 1024

void
fs_server_config_init (FsServerConfig *config)
{
  memset (config, 0, sizeof *config);
  config->mode = FS_MODE_THREAD;
  config->pool = FS_SERVER_DEFAULT_POOL;
  config->host = g_strdup (FS_SERVER_DEFAULT_HOST);
  config->port = FS_SERVER_DEFAULT_PORT;
  config->root = g_strdup (FS_SERVER_DEFAULT_ROOT);
  config->max_upload = FS_SERVER_DEFAULT_MAX_UPLOAD;
  config->idle_timeout = FS_SERVER_DEFAULT_IDLE_TIMEOUT;
  config->request_timeout = FS_SERVER_DEFAULT_REQUEST_TIMEOUT;
  config->min_rate = FS_SERVER_DEFAULT_MIN_RATE;
  config->grace = FS_SERVER_DEFAULT_GRACE;
}

void
fs_server_config_clear (FsServerConfig *config)
{
  g_clear_pointer (&config->host, g_free);
  g_clear_pointer (&config->port_file, g_free);
  g_clear_pointer (&config->root, g_free);
}

static GSocket *
listen_on (const char *host, guint port, GError **error)
{
  g_autoptr(GSocketAddress) address = fs_resolve (host, port, TRUE, error);
  g_autoptr(GSocket) socket = NULL;
  g_autofree char *where = NULL;

  if (address == NULL)
    return NULL;
  where = fs_format_address (G_INET_SOCKET_ADDRESS (address));
  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL
      || !g_socket_bind (socket, address, TRUE, error))
    goto fail;
  /* Every answer leaves in whole frames: no Nagle delay. Linux gives the
   * accepted connections the listening socket's TCP_NODELAY, so this is
   * once for all of them (session.c sets it per connection elsewhere). */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_listen (socket, error))
    goto fail;
  return g_steal_pointer (&socket);

fail:
  g_prefix_error (error, "cannot listen on %s: ", where);
  return NULL;
}

gboolean
fs_server_announce (FsServer *server, GError **error)
{
  const FsServerConfig *config = server->config;
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (server->listener, error);
  g_autofree char *where = NULL;
  guint port;

  if (local == NULL)
    return FALSE;
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  if (config->port_file != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%u\n", port);
      if (!g_file_set_contents (config->port_file, text, -1, error))
        {
          g_prefix_error (error, "cannot write the port file: ");
          return FALSE;
        }
    }
  where = fs_format_address (G_INET_SOCKET_ADDRESS (local));
  printf ("listening on %s (%s, pool %u)\n", where, fs_mode_name (config->mode),
          config->pool);
  fflush (stdout);
  return TRUE;
}

typedef struct {
  GCancellable *stop;     /* (owned) */
  GSocket      *listener; /* (owned) */
} Watch;

static gpointer
watch_signals (gpointer data)
{
  Watch *watch = data;
  sigset_t set;
  int sig;

  sigemptyset (&set);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGTERM);
  while (sigwait (&set, &sig) != 0)
    ;
  g_cancellable_cancel (watch->stop);
  /* The accept that may be waiting on it was woken by the cancellation. */
  g_socket_close (watch->listener, NULL);
  g_object_unref (watch->stop);
  g_object_unref (watch->listener);
  g_free (watch);
  return NULL;
}

void
fs_server_watch_signals (GCancellable *stop, GSocket *listener)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->stop = g_object_ref (stop);
  watch->listener = g_object_ref (listener);
  g_thread_unref (g_thread_new ("fs-signals", watch_signals, watch));
}

void
fs_server_session_config (FsServer *server, GCancellable *stop, FsSessionConfig *session)
{
  session->store = server->store;
  session->stats = server->stats;
  session->max_upload = server->config->max_upload;
  session->idle_timeout = server->config->idle_timeout;
  session->request_timeout = server->config->request_timeout;
  session->min_rate = server->config->min_rate;
  session->stop = stop;
}

/* Each connection is a descriptor, and each pool thread or worker has
 * one more, its epoll set (accept.c): take all the descriptors the hard
 * limit allows, as servers do, so that --pool 1024 fits under a soft
 * limit of 1024. */
static void
raise_fd_limit (void)
{
  struct rlimit lim;

  if (getrlimit (RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max)
    {
      lim.rlim_cur = lim.rlim_max;
      setrlimit (RLIMIT_NOFILE, &lim);
    }
}

int
fs_server_run (const FsServerConfig *config, GError **error)
{
  FsServer server = { .config = config };
  int status;

  /* A client that goes away must not kill the server on write, nor a
   * file-size limit (RLIMIT_FSIZE) on an upload: both become errors
   * (EPIPE, EFBIG) that the session answers. */
  signal (SIGPIPE, SIG_IGN);
  raise_fd_limit ();
  signal (SIGXFSZ, SIG_IGN);

  server.store = fs_store_open (config->root, error);
  if (server.store == NULL)
    return FS_SERVER_EXIT_ROOT;
  server.stats = fs_stats_new (fs_mode_name (config->mode), config->pool, error);
  if (server.stats == NULL)
    {
      fs_store_free (server.store);
      return FS_SERVER_EXIT_FAILURE;
    }
  server.listener = listen_on (config->host, config->port, error);
  if (server.listener == NULL)
    status = FS_SERVER_EXIT_LISTEN;
  else if (config->mode == FS_MODE_PROCESS)
    status = fs_server_run_process (&server, error);
  else
    status = fs_server_run_thread (&server, error);

  g_clear_object (&server.listener);
  fs_stats_free (server.stats);
  fs_store_free (server.store);
  return status;
}
