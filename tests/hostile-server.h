/* hostile-server.h: a server that breaks the protocol on purpose, for the
 * clients' side of it (filestorm-client, filestorm-pool): answers nested
 * 100,000 deep, frames that never end or never stop growing, bytes that
 * are not UTF-8, a READY line where JSON belongs. Not a stand-in for
 * filestorm-server: the real one never answers like this.
 *
 * It listens on 127.0.0.1, port 0, and serves connections one at a time
 * in a thread of its own: for each it reads the request line and hands
 * it to an answer function, then closes. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Answers one request. request is its line, without the '\n'. */
typedef void (*FtAnswerFunc) (GSocket *conn, const char *request, gpointer data);

typedef struct _FtHostile FtHostile;

/* Serves up to max_connections connections with answer. */
FtHostile *ft_hostile_start (guint max_connections, FtAnswerFunc answer, gpointer data);
/* Serves one connection with exactly these bytes. */
FtHostile *ft_hostile_start_reply (const char *reply);
guint16    ft_hostile_port (FtHostile *hostile);
/* The request line of the first connection served (NULL if none), once
 * ft_hostile_stop() has returned. */
const char *ft_hostile_request (FtHostile *hostile);
/* Stops accepting and waits for the thread. */
void       ft_hostile_stop (FtHostile *hostile);
/* Stops, if not yet, and frees. */
void       ft_hostile_free (FtHostile *hostile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FtHostile, ft_hostile_free)

/* For answer functions: sends all of data; FALSE once the client has
 * gone (which ends the answer, not the test). */
gboolean ft_hostile_send (GSocket *conn, const void *data, gsize len);
/* Sends chunk over and over, total bytes in all (or until the client
 * goes). */
gboolean ft_hostile_send_repeated (GSocket *conn, const char *chunk, guint64 total);
/* Keeps the connection open, reading and dropping what arrives, until
 * the client closes it or seconds pass. */
void     ft_hostile_hold (GSocket *conn, double seconds);
/* Reads and drops lines until one is exactly "ENDUPLOAD" (an upload's
 * content), for at most 64 MiB. */
gboolean ft_hostile_skip_upload (GSocket *conn);

G_END_DECLS
