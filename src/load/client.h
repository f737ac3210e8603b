/* client.h: a blocking client of the filestorm protocol.
 *
 * One FsClient is one TCP connection. Transfers stream through fixed
 * buffers: a GET hands decoded content to a sink as it arrives, an upload
 * pulls content from a source as it sends, so memory does not grow with
 * the file size. Every failure is an FS_CLIENT_ERROR whose code says what
 * kind of failure it was (the pool counts them by kind), but for a name
 * that no request line can carry (see fs_protocol_check_arg()): that is
 * FS_ERROR_BAD_NAME, and nothing is sent. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define FS_CLIENT_ERROR (fs_client_error_quark ())
GQuark fs_client_error_quark (void);

typedef enum {
  FS_CLIENT_ERROR_CONNECT,   /* cannot connect */
  FS_CLIENT_ERROR_READ,      /* reading failed or the server closed */
  FS_CLIENT_ERROR_WRITE,     /* sending failed */
  FS_CLIENT_ERROR_TIMEOUT,   /* connect, read or write timed out */
  FS_CLIENT_ERROR_PROTOCOL,  /* the answer is not what the protocol says */
  FS_CLIENT_ERROR_CORRUPT,   /* content does not match what was expected */
  FS_CLIENT_ERROR_SERVER,    /* the server answered ERROR; the message is its text */
  FS_CLIENT_N_ERRORS
} FsClientError;

/* The short name of an error kind: "connect", "read", ... */
const char *fs_client_error_name (FsClientError code);

typedef struct _FsClient FsClient;

/* Connects with a timeout of timeout_s seconds (0 = none), which then also
 * bounds every read and write: to each address host resolves to in turn
 * until one accepts (see fs_resolve() and fs_connect_first()). */
FsClient *fs_client_connect (const char *host, guint port, guint timeout_s, GError **error);
/* The same, to an address already resolved. */
FsClient *fs_client_connect_address (GSocketAddress *address, guint timeout_s,
                                     GError **error);
/* The same, to the first of n addresses that accepts; *chosen (nullable)
 * gets its index. */
FsClient *fs_client_connect_first (GSocketAddress *const *addresses, guint n,
                                   guint timeout_s, guint *chosen, GError **error);
void      fs_client_free    (FsClient *client);
/* Bounds each receive and send from now on by timeout_s seconds (0: none). */
void      fs_client_set_timeout (FsClient *client, guint timeout_s);
/* The connection's socket, for a caller that must cut it short from
 * elsewhere (shutdown(2) from a signal handler, as filestorm-pool does on
 * SIGINT): the read or write in progress then fails at once. The client
 * keeps owning it. */
int       fs_client_fd      (FsClient *client);
/* Content bytes the client has received and sent (not counting framing). */
guint64   fs_client_bytes_received (FsClient *client);

gboolean fs_client_list   (FsClient *client, GStrv *names, GError **error);
gboolean fs_client_delete (FsClient *client, const char *name, GError **error);
/* The "data" object of the STATS answer. */
gboolean fs_client_stats  (FsClient *client, JsonObject **data, GError **error);
/* The counter name of a STATS answer's data in *value: 0 when it is not
 * there; FALSE, with an FS_CLIENT_ERROR_PROTOCOL error naming it, when it
 * is not a whole number from 0 to FS_CLIENT_STATS_COUNT_MAX. */
#define FS_CLIENT_STATS_COUNT_MAX G_GINT64_CONSTANT (1000000000000000)
gboolean fs_client_stats_count (JsonObject *data, const char *name, guint64 *value,
                                GError **error);

/* Receives decoded content in order. Returns FALSE, with error set, to
 * abandon the transfer. */
typedef gboolean (*FsClientSink) (const guint8 *data, gsize len, gpointer user_data,
                                  GError **error);
/* GET: streams the file to sink; *size (nullable) gets the byte count.
 * max_size is the most content the caller expects (G_MAXUINT64: any).
 * The transfer is bounded while it streams, since bytes that keep coming
 * keep every timeout from firing: content past max_size, with room for
 * line breaks (its base64 may hold up to 1/32 of white space, plus 4 KiB),
 * is an FS_CLIENT_ERROR_PROTOCOL, and so is white space in the content
 * past the answer's 64 MiB bound, whatever max_size. */
gboolean fs_client_get (FsClient *client, const char *name, guint64 max_size,
                        FsClientSink sink, gpointer user_data, guint64 *size,
                        GError **error);

/* Fills buf with up to len bytes of content, returning how many; 0 at the
 * end, -1 with error set on failure. */
typedef gssize (*FsClientSource) (guint8 *buf, gsize len, gpointer user_data,
                                  GError **error);
/* Streamed UPLOAD (name may be NULL: the server names the file). Sets
 * *stored_name (owned) and *stored_size, which is G_MAXUINT64 when the
 * server does not report a size (servers other than filestorm's). */
gboolean fs_client_upload (FsClient *client, const char *name, FsClientSource source,
                           gpointer user_data, char **stored_name, guint64 *stored_size,
                           GError **error);

/* GETRAW: the same as fs_client_get(), the content coming as raw bytes
 * (filestorm's extension; classic servers answer it as unknown, an
 * FS_CLIENT_ERROR_SERVER). An answer that announces more than max_size
 * bytes is an FS_CLIENT_ERROR_PROTOCOL before any is read. */
gboolean fs_client_get_raw (FsClient *client, const char *name, guint64 max_size,
                            FsClientSink sink, gpointer user_data, guint64 *size,
                            GError **error);
/* UPLOADRAW: sends exactly size bytes from source, which must have them;
 * otherwise as fs_client_upload(), but a name is required. */
gboolean fs_client_upload_raw (FsClient *client, const char *name, guint64 size,
                               FsClientSource source, gpointer user_data,
                               char **stored_name, guint64 *stored_size, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsClient, fs_client_free)

G_END_DECLS
