/* server-event.c: event mode. --pool N event-loop workers, each a
 * thread with an epoll set of its own, in which it waits on the shared
 * listening sockets (EPOLLEXCLUSIVE, so that a connection wakes one
 * worker, as in accept.c) and on every connection it has accepted. A
 * connection is a session machine (session.h) that a worker runs
 * whenever its socket is ready or its time runs out; the machine reads
 * and writes without blocking, so one worker serves any number of
 * connections, and an idle one costs a session (about 600 bytes here)
 * and no buffer (session-reply.c).
 *
 * Time: each worker knows the earliest deadline of its sessions (an
 * upper bound on it, updated whenever a session runs) and looks at all
 * of them when it comes; the deadlines are whole seconds (idle, request,
 * rate), so one look per deadline that comes is little, even with ten
 * thousand idle connections.
 *
 * File work that blocks: an upload's fsync() and rename() go to a small
 * pool of work threads (as nginx's "aio threads"), and the loop serves
 * the others meanwhile. Measured on the 2-core VM (ext4, 24 GiB): a
 * LIST of 50 kept-alive clients for 8 s, while 10 clients upload 100 MiB
 * each with UPLOADRAW, against --pool 2; three alternating pairs: with
 * the fsync in the loop, LIST p99 768, 1217 and 874 ms at 1730, 850 and
 * 1263 LIST/s, uploads 656 and 647 MiB/s; with the work threads, p99
 * 366, 707 and 580 ms at 3250, 1474 and 1732 LIST/s, uploads 828 and
 * 751 MiB/s (the rest of the wait is the two cores, busy with 60
 * clients). Reading a file for GET and writing an upload's pieces stay
 * in the loop: they meet the page cache, and the machine does them in
 * pieces of at most 64 KiB. */
#include "config.h"

#ifdef __linux__

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errors.h"
#include "server-model.h"
#include "store.h"

/* Connections a worker accepts per wake-up before it serves again. */
#define ACCEPT_BATCH 32
/* Events a worker takes per epoll_wait(). */
#define EVENT_BATCH 64
/* After accept() found no descriptor left: how long a worker leaves the
 * listeners alone, rather than spin on them. */
#define ACCEPT_PAUSE_US (100 * 1000)

/* Threads that do the file work that blocks (session.h's
 * FS_SESSION_WAIT_WORK) for all the workers. */
#define WORK_THREADS 4

typedef enum { SRC_LISTENER, SRC_STOP, SRC_WAKE, SRC_CONN } SourceKind;

/* What an epoll event's data points to. */
typedef struct {
  SourceKind kind;
  guint      index; /* a listener's, or a connection's in conns */
} Source;

typedef struct _EventServer EventServer;
typedef struct _Worker Worker;

typedef struct {
  Source     source;  /* first: an event's data is the Conn */
  FsSession *session;
  Worker    *worker;
  guint32    events;  /* what epoll watches for it */
  gboolean   busy;    /* its file work is under way in a work thread */
} Conn;

struct _Worker {
  EventServer    *server;
  int             epoll;
  /* Connections whose file work is done, and the eventfd that says so. */
  GAsyncQueue    *done;
  int             wake_fd;
  Source          wake_source;
  GPtrArray      *conns;      /* Conn, each at its source.index */
  FsSessionCache *cache;
  Source         *listener_sources;
  Source          stop_source;
  gint64          next_check; /* no deadline comes sooner; 0: none */
  gint64          resume_accept; /* 0 unless the listeners are left alone */
  gboolean        stopping;
};

struct _EventServer {
  FsSessionConfig session;
  GPtrArray      *listeners;  /* GSocket */
  GCancellable   *stop;       /* (owned) */
  int             stop_fd;
  Worker         *workers;
  GThread       **threads;
  guint           n_workers;
  GThreadPool    *work;       /* Conn */
  GMutex          lock;
  GCond           ended;
  guint           running;    /* workers still in their loop, under lock */
};

static void
note_deadline (Worker *w, gint64 deadline)
{
  if (deadline != 0 && (w->next_check == 0 || deadline < w->next_check))
    w->next_check = deadline;
}

static void
conn_drop (Worker *w, Conn *c)
{
  guint i = c->source.index;

  g_ptr_array_remove_index_fast (w->conns, i);
  /* The last one took its place. */
  if (i < w->conns->len)
    ((Conn *) w->conns->pdata[i])->source.index = i;
  /* Closing the descriptor takes it out of the epoll set. */
  fs_session_free (c->session);
  g_free (c);
}

/* Runs a connection's session as far as it goes, and watches for what
 * it waits for next. */
static void
drive (Worker *w, Conn *c)
{
  FsSessionWait what;
  guint32 want;

  if (c->busy)
    return;
  what = fs_session_run (c->session);
  if (what == FS_SESSION_CLOSED)
    {
      conn_drop (w, c);
      return;
    }
  if (what == FS_SESSION_WAIT_WORK)
    {
      /* Out of the set until the work is done: epoll reports a reset's
       * EPOLLHUP whatever the mask, which would wake the loop for
       * nothing all that time. */
      epoll_ctl (w->epoll, EPOLL_CTL_DEL, fs_session_fd (c->session), NULL);
      c->events = 0;
      c->busy = TRUE;
      g_thread_pool_push (w->server->work, c, NULL);
      return;
    }
  want = what == FS_SESSION_WAIT_IN ? EPOLLIN : EPOLLOUT;
  if (want != c->events)
    {
      struct epoll_event ev = { .events = want, .data.ptr = c };
      int op = c->events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;

      if (epoll_ctl (w->epoll, op, fs_session_fd (c->session), &ev) == 0)
        c->events = want;
      else if (op == EPOLL_CTL_ADD)
        {
          g_printerr ("filestorm-server: cannot watch a connection: %s\n", g_strerror (errno));
          conn_drop (w, c);
          return;
        }
    }
  note_deadline (w, fs_session_deadline (c->session));
}

/* In a work thread: the file work of one connection, then back to its
 * worker. */
static void
do_work (gpointer data, gpointer user_data)
{
  Conn *c = data;
  guint64 one = 1;

  fs_session_work (c->session);
  g_async_queue_push (c->worker->done, c);
  if (write (c->worker->wake_fd, &one, sizeof one) < 0)
    g_printerr ("filestorm-server: cannot wake an event loop: %s\n", g_strerror (errno));
}

/* Back in the worker: the connections whose work is done go on. */
static void
work_done (Worker *w)
{
  guint64 n;
  Conn *c;

  if (read (w->wake_fd, &n, sizeof n) < 0 && errno != EAGAIN)
    g_printerr ("filestorm-server: cannot read an eventfd: %s\n", g_strerror (errno));
  while ((c = g_async_queue_try_pop (w->done)) != NULL)
    {
      c->busy = FALSE;
      drive (w, c);
    }
}

static void
watch_listeners (Worker *w, int op)
{
  for (guint i = 0; i < w->server->listeners->len; i++)
    {
      struct epoll_event ev = { .events = EPOLLIN | EPOLLEXCLUSIVE,
                                .data.ptr = &w->listener_sources[i] };

      epoll_ctl (w->epoll, op, g_socket_get_fd (w->server->listeners->pdata[i]), &ev);
    }
}

static void
accept_some (Worker *w, guint listener)
{
  int lfd = g_socket_get_fd (w->server->listeners->pdata[listener]);

  for (guint k = 0; k < ACCEPT_BATCH; k++)
    {
      int fd = accept4 (lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
      Conn *c;

      if (fd < 0)
        {
          int errsv = errno;

          if (errsv == EINTR || errsv == ECONNABORTED)
            continue;
          /* The signal thread closes the listeners when the server
           * stops, maybe under this very call. */
          if (errsv == EAGAIN || errsv == EWOULDBLOCK
              || g_cancellable_is_cancelled (w->server->stop))
            return;
          /* Out of descriptors, say: say so, and leave the listeners
           * alone for a moment rather than spin on them. */
          g_printerr ("filestorm-server: cannot accept a connection: %s\n",
                      g_strerror (errsv));
          watch_listeners (w, EPOLL_CTL_DEL);
          w->resume_accept = g_get_monotonic_time () + ACCEPT_PAUSE_US;
          return;
        }
      c = g_new (Conn, 1);
      c->source.kind = SRC_CONN;
      c->source.index = w->conns->len;
      c->worker = w;
      c->busy = FALSE;
      c->session = fs_session_new (&w->server->session, fd, w->cache);
      /* Not in the set yet: drive() adds it for what it waits for. */
      c->events = 0;
      g_ptr_array_add (w->conns, c);
      /* Its request may be here already; if not, its idle time starts. */
      drive (w, c);
    }
}

/* Runs every session whose time is out, and finds the next deadline. */
static void
check_deadlines (Worker *w, gint64 now)
{
  w->next_check = 0;
  for (guint i = 0; i < w->conns->len;)
    {
      Conn *c = w->conns->pdata[i];
      gint64 deadline = fs_session_deadline (c->session);

      if (deadline != 0 && deadline <= now)
        {
          guint before = w->conns->len;

          drive (w, c);
          /* A dropped connection's place has the last one now. */
          if (w->conns->len < before)
            continue;
        }
      else
        note_deadline (w, deadline);
      i++;
    }
}

/* The server stops: no more accepting; sessions waiting for a request
 * end, those in the middle of one finish it. */
static void
begin_stop (Worker *w)
{
  w->stopping = TRUE;
  /* The signal thread closes the listeners, which takes them out of the
   * set: they are not touched here, since a descriptor closed may be a
   * new connection's by now. */
  epoll_ctl (w->epoll, EPOLL_CTL_DEL, w->server->stop_fd, NULL);
  for (guint i = w->conns->len; i > 0; i--)
    {
      Conn *c = w->conns->pdata[i - 1];

      fs_session_stop (c->session);
      drive (w, c);
    }
}

static int
wait_ms (Worker *w, gint64 now)
{
  gint64 until = w->next_check;

  if (w->resume_accept != 0)
    until = until == 0 ? w->resume_accept : MIN (until, w->resume_accept);
  if (until == 0)
    return -1;
  /* Whole milliseconds, rounded up: when it wakes, the time is out. */
  return (int) MIN ((MAX (until - now, 0) + 999) / 1000, G_MAXINT);
}

static gpointer
worker_loop (gpointer data)
{
  Worker *w = data;
  EventServer *es = w->server;
  struct epoll_event events[EVENT_BATCH];

  while (!w->stopping || w->conns->len > 0)
    {
      gint64 now = g_get_monotonic_time ();
      int n = epoll_wait (w->epoll, events, EVENT_BATCH, wait_ms (w, now));

      gboolean woken = FALSE, stop = FALSE;

      for (int i = 0; i < n; i++)
        {
          Source *src = events[i].data.ptr;

          if (src->kind == SRC_CONN)
            drive (w, (Conn *) src);
          else if (src->kind == SRC_LISTENER && !w->stopping
                   && !g_cancellable_is_cancelled (es->stop))
            accept_some (w, src->index);
          else if (src->kind == SRC_WAKE)
            woken = TRUE;
          else if (src->kind == SRC_STOP)
            stop = TRUE;
        }
      /* These run other connections than the event's, which may close
       * them: only once no event of this batch is left to point to one. */
      if (woken)
        work_done (w);
      if (stop && !w->stopping)
        begin_stop (w);
      now = g_get_monotonic_time ();
      if (w->resume_accept != 0 && now >= w->resume_accept)
        {
          w->resume_accept = 0;
          if (!w->stopping && !g_cancellable_is_cancelled (es->stop))
            watch_listeners (w, EPOLL_CTL_ADD);
        }
      if (w->next_check != 0 && now >= w->next_check)
        check_deadlines (w, now);
    }
  g_mutex_lock (&es->lock);
  es->running--;
  g_cond_signal (&es->ended);
  g_mutex_unlock (&es->lock);
  return NULL;
}

static gboolean
worker_init (EventServer *es, Worker *w, GError **error)
{
  struct epoll_event stop_ev = { .events = EPOLLIN, .data.ptr = &w->stop_source };
  struct epoll_event wake_ev = { .events = EPOLLIN, .data.ptr = &w->wake_source };

  w->server = es;
  w->done = g_async_queue_new ();
  w->wake_source.kind = SRC_WAKE;
  w->wake_fd = eventfd (0, EFD_NONBLOCK | EFD_CLOEXEC);
  w->conns = g_ptr_array_new ();
  /* A few sets of buffers for the requests under way at once. */
  w->cache = fs_session_cache_new (8);
  w->stop_source.kind = SRC_STOP;
  w->listener_sources = g_new0 (Source, es->listeners->len);
  for (guint i = 0; i < es->listeners->len; i++)
    {
      w->listener_sources[i].kind = SRC_LISTENER;
      w->listener_sources[i].index = i;
    }
  w->epoll = epoll_create1 (EPOLL_CLOEXEC);
  if (w->epoll < 0 || w->wake_fd < 0
      || epoll_ctl (w->epoll, EPOLL_CTL_ADD, es->stop_fd, &stop_ev) < 0
      || epoll_ctl (w->epoll, EPOLL_CTL_ADD, w->wake_fd, &wake_ev) < 0)
    return fs_set_errno_error (error, errno, "cannot make an event loop");
  watch_listeners (w, EPOLL_CTL_ADD);
  return TRUE;
}

static void
worker_clear (Worker *w)
{
  if (w->epoll >= 0)
    close (w->epoll);
  if (w->wake_fd >= 0)
    close (w->wake_fd);
  g_clear_pointer (&w->done, g_async_queue_unref);
  g_clear_pointer (&w->conns, g_ptr_array_unref);
  g_clear_pointer (&w->cache, fs_session_cache_free);
  g_clear_pointer (&w->listener_sources, g_free);
}

/* Waits until no worker is in its loop any more, or the deadline
 * (monotonic) passes. Returns the number of workers still running. */
static guint
wait_running (EventServer *es, gint64 deadline)
{
  guint running;

  g_mutex_lock (&es->lock);
  while (es->running > 0)
    if (!g_cond_wait_until (&es->ended, &es->lock, deadline))
      break;
  running = es->running;
  g_mutex_unlock (&es->lock);
  return running;
}

static int
run_event (const FsServerModelArgs *args, GError **error)
{
  const FsServerConfig *config = args->config;
  /* On the heap: after the grace period, workers still busy use it until
   * the process exits. */
  EventServer *es = g_new0 (EventServer, 1);
  guint running;

  /* SIGINT/SIGTERM are taken by one thread, which cancels es->stop. */
  pthread_sigmask (SIG_BLOCK, args->stop, NULL);
  es->stop = g_cancellable_new ();
  es->stop_fd = g_cancellable_get_fd (es->stop);
  es->session = args->session;
  es->session.stop = es->stop;
  es->listeners = args->listeners;
  es->n_workers = config->pool;
  es->workers = g_new0 (Worker, config->pool);
  g_mutex_init (&es->lock);
  g_cond_init (&es->ended);
  if (es->stop_fd < 0)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_FAILED, "cannot make an event loop");
      return FS_SERVER_EXIT_FAILURE;
    }
  es->work = g_thread_pool_new (do_work, es, WORK_THREADS, FALSE, error);
  if (es->work == NULL)
    return FS_SERVER_EXIT_FAILURE;
  /* Every worker's set is made first, so that a failure is the
   * server's, and the workers start only once the server has said it is
   * ready: a connection that comes sooner waits in the backlog. */
  for (guint i = 0; i < es->n_workers; i++)
    if (!worker_init (es, &es->workers[i], error))
      return FS_SERVER_EXIT_FAILURE;
  fs_server_watch_signals (es->stop, args->stop, args->listeners);
  if (!fs_server_announce (config, args->listeners, error))
    return FS_SERVER_EXIT_FAILURE;
  es->running = es->n_workers;
  es->threads = g_new0 (GThread *, es->n_workers);
  for (guint i = 0; i < es->n_workers; i++)
    es->threads[i] = g_thread_new ("fs-event", worker_loop, &es->workers[i]);

  /* The workers run until the stop; then those with requests under way
   * get the grace period to finish them. */
  while (!g_cancellable_is_cancelled (es->stop))
    wait_running (es, g_get_monotonic_time () + 100 * 1000);
  fs_server_close_listeners (args->listeners);
  running = wait_running (es, g_get_monotonic_time ()
                              + (gint64) config->grace * G_USEC_PER_SEC);
  if (running > 0)
    {
      g_printerr ("filestorm-server: %u worker(s) still busy after %u s; exiting\n",
                  running, config->grace);
      /* Their sessions still use the store: end the process here,
       * leaving no half-written upload behind. */
      fs_store_cleanup_pid (args->session.store, getpid ());
      fflush (NULL);
      _exit (FS_SERVER_EXIT_OK);
    }
  for (guint i = 0; i < es->n_workers; i++)
    {
      g_thread_join (es->threads[i]);
      worker_clear (&es->workers[i]);
    }
  g_thread_pool_free (es->work, FALSE, TRUE);
  g_free (es->threads);
  g_free (es->workers);
  g_mutex_clear (&es->lock);
  g_cond_clear (&es->ended);
  g_cancellable_release_fd (es->stop);
  g_object_unref (es->stop);
  g_free (es);
  return FS_SERVER_EXIT_OK;
}

const FsServerModel fs_server_model_event = { FS_MODE_EVENT, run_event };

#endif /* __linux__ */
