/* server.c: filestorm-server: the root, the counters and the listening
 * sockets, then the concurrency model that --mode chooses from the table
 * of models, which serves until the stop signal. */
#include "config.h"

#include "server.h"

#include <signal.h>
#include <sys/resource.h>

#include "errors.h"
#include "resolve.h"
#include "server-model.h"
#include "util.h"

/* The concurrency models: a new one is one more row. */
static const FsServerModel *const models[] = {
  &fs_server_model_thread,
  &fs_server_model_process,
#ifdef __linux__
  &fs_server_model_event,
#endif
};

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

static const FsServerModel *
find_model (FsMode mode, GError **error)
{
  for (gsize i = 0; i < G_N_ELEMENTS (models); i++)
    if (models[i]->mode == mode)
      return models[i];
  g_set_error (error, FS_ERROR, FS_ERROR_USAGE, "no server model for --mode %s",
               fs_mode_name (mode));
  return NULL;
}

int
fs_server_run (const FsServerConfig *config, GError **error)
{
  const FsServerModel *model = find_model (config->mode, error);
  FsServerModelArgs args = { .config = config };
  g_autoptr(GPtrArray) addresses = NULL;
  sigset_t stop;
  int status;

  if (model == NULL)
    return FS_SERVER_EXIT_USAGE;
  /* A client that goes away must not kill the server on write, nor a
   * file-size limit (RLIMIT_FSIZE) on an upload: both become errors
   * (EPIPE, EFBIG) that the session answers. */
  signal (SIGPIPE, SIG_IGN);
  raise_fd_limit ();
  signal (SIGXFSZ, SIG_IGN);

  args.session.store = fs_store_open (config->root, error);
  if (args.session.store == NULL)
    return FS_SERVER_EXIT_ROOT;
  args.session.stats = fs_stats_new (fs_mode_name (config->mode), config->pool, error);
  if (args.session.stats == NULL)
    {
      fs_store_free (args.session.store);
      return FS_SERVER_EXIT_FAILURE;
    }
  args.session.max_upload = config->max_upload;
  args.session.idle_timeout = config->idle_timeout;
  args.session.request_timeout = config->request_timeout;
  args.session.min_rate = config->min_rate;
  sigemptyset (&stop);
  sigaddset (&stop, SIGINT);
  sigaddset (&stop, SIGTERM);
  args.stop = &stop;

  addresses = fs_resolve (config->host, config->port, TRUE, error);
  if (addresses != NULL)
    args.listeners = fs_server_listen (addresses, error);
  if (args.listeners == NULL)
    status = FS_SERVER_EXIT_LISTEN;
  else
    status = model->run (&args, error);

  g_clear_pointer (&args.listeners, g_ptr_array_unref);
  fs_stats_free (args.session.stats);
  fs_store_free (args.session.store);
  return status;
}
