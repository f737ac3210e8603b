/* client.c: a blocking client of the filestorm protocol. */
#include "config.h"

#include "client.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "base64.h"
#include "bufio.h"
#include "errors.h"
#include "frame.h"
#include "json-member.h"
#include "protocol.h"
#include "resolve.h"
#include "util.h"

/* Content read from a source per base64 line sent (a multiple of 3, so
 * lines need no padding until the last). */
#define UPLOAD_CHUNK (48 * 1024)
/* Kept members of an answer (everything but a GET's content): enough for
 * a LIST of a very large directory, bounded against a hostile server. */
#define MAX_ANSWER (64 * 1024 * 1024)
/* The READY line and a small ERROR in its place. */
#define MAX_READY 4096

G_DEFINE_QUARK (filestorm-client-error-quark, fs_client_error)

struct _FsClient {
  GSocketConnection *connection;  /* (owned) */
  FsConn             conn;        /* its socket's descriptor */
  FsReader           reader;
  FsWriter           writer;
  guint64            received;    /* content bytes */
};

void
fs_client_set_timeout (FsClient *client, guint timeout_s)
{
  client->conn.timeout_us = (gint64) timeout_s * G_USEC_PER_SEC;
}

const char *
fs_client_error_name (FsClientError code)
{
  static const char * const names[FS_CLIENT_N_ERRORS] = {
    [FS_CLIENT_ERROR_CONNECT] = "connect",
    [FS_CLIENT_ERROR_READ] = "read",
    [FS_CLIENT_ERROR_WRITE] = "write",
    [FS_CLIENT_ERROR_TIMEOUT] = "timeout",
    [FS_CLIENT_ERROR_PROTOCOL] = "protocol",
    [FS_CLIENT_ERROR_CORRUPT] = "corrupt",
    [FS_CLIENT_ERROR_SERVER] = "server",
  };
  return (guint) code < FS_CLIENT_N_ERRORS ? names[code] : "unknown";
}

/* Turns a GIO error into the client error of the given kind (timeouts are
 * their own kind whatever the operation). */
static gboolean
io_failed (GError **error, GError *cause, FsClientError kind, const char *what)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    kind = FS_CLIENT_ERROR_TIMEOUT;
  g_set_error (error, FS_CLIENT_ERROR, kind, "%s: %s", what, cause->message);
  g_error_free (cause);
  return FALSE;
}

/* A connection that could not be made: its error's text is whole
 * already (see fs_connect_first()), only its kind is the client's. */
static void
connect_failed (GError **error, GError *cause)
{
  FsClientError kind = g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
                       ? FS_CLIENT_ERROR_TIMEOUT : FS_CLIENT_ERROR_CONNECT;

  g_set_error_literal (error, FS_CLIENT_ERROR, kind, cause->message);
  g_error_free (cause);
}

FsClient *
fs_client_connect (const char *host, guint port, guint timeout_s, GError **error)
{
  g_autoptr(GPtrArray) addresses = NULL;
  GError *local = NULL;

  addresses = fs_resolve (host, port, FALSE, &local);
  if (addresses == NULL)
    {
      connect_failed (error, local);
      return NULL;
    }
  return fs_client_connect_first ((GSocketAddress *const *) addresses->pdata, addresses->len,
                                  timeout_s, NULL, error);
}

FsClient *
fs_client_connect_address (GSocketAddress *address, guint timeout_s, GError **error)
{
  return fs_client_connect_first (&address, 1, timeout_s, NULL, error);
}

FsClient *
fs_client_connect_first (GSocketAddress *const *addresses, guint n, guint timeout_s,
                         guint *chosen, GError **error)
{
  GError *local = NULL;
  FsClient *client;
  GSocket *socket = fs_connect_first (addresses, n, timeout_s, chosen, &local);
  GSocketConnection *connection;

  if (socket == NULL)
    {
      connect_failed (error, local);
      return NULL;
    }
  connection = g_socket_connection_factory_create_connection (socket);
  g_object_unref (socket);
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP,
                       TCP_NODELAY, 1, NULL);

  client = g_new0 (FsClient, 1);
  client->connection = connection;
  /* GSocket's descriptor is non-blocking, as FsConn wants. */
  fs_conn_init (&client->conn, g_socket_get_fd (g_socket_connection_get_socket (connection)),
                timeout_s);
  fs_reader_init (&client->reader, &client->conn, FS_BUFIO_SIZE);
  fs_writer_init (&client->writer, &client->conn, 2 * FS_B64_ENCODE_STEP_MAX (UPLOAD_CHUNK));
  return client;
}

void
fs_client_free (FsClient *client)
{
  if (client == NULL)
    return;
  g_io_stream_close (G_IO_STREAM (client->connection), NULL, NULL);
  g_object_unref (client->connection);
  fs_reader_clear (&client->reader);
  fs_writer_clear (&client->writer);
  g_free (client);
}

int
fs_client_fd (FsClient *client)
{
  return client->conn.fd;
}

guint64
fs_client_bytes_received (FsClient *client)
{
  return client->received;
}

/* Sends "COMMAND [ARG [MORE]]": arg (nullable) quoted, more (nullable)
 * as it is, for what needs no quoting (UPLOADRAW's size). */
static gboolean
send_request (FsClient *client, const char *command, const char *arg, const char *more,
              GError **error)
{
  g_autofree char *quoted = NULL;
  g_autofree char *line = NULL;
  GError *local = NULL;

  /* A name with a line end in it would send a request of its own. */
  if (arg != NULL && (quoted = fs_protocol_quote (arg, error)) == NULL)
    return FALSE;
  line = g_strconcat (command, quoted ? " " : "", quoted ? quoted : "", more ? " " : "",
                      more ? more : "", "\n", NULL);
  if (!fs_writer_append_final (&client->writer, line, strlen (line), &local))
    return io_failed (error, local, FS_CLIENT_ERROR_WRITE, "cannot send the request");
  return TRUE;
}

static gboolean
fill (FsClient *client, GError **error)
{
  GError *local = NULL;
  gssize n = fs_reader_fill (&client->reader, NULL, &local);

  if (n < 0)
    return io_failed (error, local, FS_CLIENT_ERROR_READ, "cannot read the answer");
  if (n == 0)
    {
      g_set_error_literal (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_READ,
                           "the server closed the connection before answering in full");
      return FALSE;
    }
  return TRUE;
}

/* Reads one answer frame, streaming stream_member (nullable) to func, and
 * checks its status: an ERROR answer fails with FS_CLIENT_ERROR_SERVER. */
static JsonObject *
read_answer (FsClient *client, const char *stream_member, FsFrameStringFunc func,
             gpointer user_data, gboolean *streamed, GError **error)
{
  g_autoptr(FsFrameScanner) scanner = fs_frame_scanner_new (stream_member, func, user_data,
                                                            MAX_ANSWER);
  JsonObject *object;
  const char *status;

  for (;;)
    {
      GError *local = NULL;
      gsize consumed = 0;
      gboolean done = FALSE;

      if (fs_reader_avail (&client->reader) == 0 && !fill (client, error))
        return NULL;
      if (!fs_frame_scanner_feed (scanner, fs_reader_data (&client->reader),
                                  fs_reader_avail (&client->reader), &consumed, &done,
                                  &local))
        {
          if (local->domain == FS_CLIENT_ERROR)
            g_propagate_error (error, local);
          else
            {
              g_set_error_literal (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_PROTOCOL,
                                   local->message);
              g_error_free (local);
            }
          return NULL;
        }
      fs_reader_consume (&client->reader, consumed);
      if (done)
        break;
    }

  object = fs_frame_scanner_object (scanner);
  status = json_object_get_string_member_with_default (object, "status", NULL);
  if (g_strcmp0 (status, "ERROR") == 0)
    {
      const char *message = json_object_get_string_member_with_default (object, "data", NULL);
      g_set_error_literal (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_SERVER,
                           message ? message : "the server answered ERROR");
      return NULL;
    }
  if (g_strcmp0 (status, "OK") != 0)
    {
      g_set_error_literal (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_PROTOCOL,
                           "malformed answer from the server: no \"status\" of OK or ERROR");
      return NULL;
    }
  if (streamed != NULL)
    *streamed = fs_frame_scanner_streamed (scanner);
  return json_object_ref (object);
}

static gboolean
protocol_error (GError **error, const char *message)
{
  g_set_error (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_PROTOCOL,
               "malformed answer from the server: %s", message);
  return FALSE;
}

gboolean
fs_client_list (FsClient *client, GStrv *names, GError **error)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  JsonNode *data;
  JsonArray *array;

  if (!send_request (client, "LIST", NULL, NULL, error))
    return FALSE;
  answer = read_answer (client, NULL, NULL, NULL, NULL, error);
  if (answer == NULL)
    return FALSE;
  data = json_object_get_member (answer, "data");
  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    return protocol_error (error, "LIST without a \"data\" array");
  array = json_node_get_array (data);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      if (json_node_get_value_type (item) != G_TYPE_STRING)
        return protocol_error (error, "LIST with a name that is not a string");
      g_ptr_array_add (out, g_strdup (json_node_get_string (item)));
    }
  g_ptr_array_add (out, NULL);
  *names = (GStrv) g_ptr_array_free (g_steal_pointer (&out), FALSE);
  return TRUE;
}

gboolean
fs_client_delete (FsClient *client, const char *name, GError **error)
{
  g_autoptr(JsonObject) answer = NULL;

  if (!send_request (client, "DELETE", name, NULL, error))
    return FALSE;
  answer = read_answer (client, NULL, NULL, NULL, NULL, error);
  return answer != NULL;
}

gboolean
fs_client_stats (FsClient *client, JsonObject **data, GError **error)
{
  g_autoptr(JsonObject) answer = NULL;

  if (!send_request (client, "STATS", NULL, NULL, error))
    return FALSE;
  answer = read_answer (client, NULL, NULL, NULL, NULL, error);
  if (answer == NULL)
    return FALSE;
  if (!json_object_has_member (answer, "data")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (answer, "data")))
    return protocol_error (error, "STATS without a \"data\" object");
  *data = json_object_ref (json_object_get_object_member (answer, "data"));
  return TRUE;
}

/* A hostile or broken server's 9223372036854775803 connections would be
 * printed as they are ("... connection(s) open"): a count beyond any real
 * one (10^15 connections, at a million a second, take 31 years) is a
 * protocol error, as a negative one is. */
gboolean
fs_client_stats_count (JsonObject *data, const char *name, guint64 *value, GError **error)
{
  JsonNode *node = json_object_get_member (data, name);
  g_autofree char *why = NULL;
  gint64 v = 0;

  *value = 0;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    why = g_strdup_printf ("STATS \"%s\" is not a whole number", name);
  else if ((v = json_node_get_int (node)) < 0 || v > FS_CLIENT_STATS_COUNT_MAX)
    why = g_strdup_printf ("STATS \"%s\" is %" G_GINT64_FORMAT ", not a count", name, v);
  if (why != NULL)
    return protocol_error (error, why);
  *value = (guint64) v;
  return TRUE;
}

typedef struct {
  FsClient     *client;
  FsB64Decoder  decoder;
  guint8       *out;       /* (owned) decoded bytes */
  FsClientSink  sink;
  gpointer      user_data;
  guint64       max_size;  /* see fs_client_get() */
  guint64       limit;     /* characters of data_file allowed */
  guint64       chars;     /* characters of data_file so far */
} GetState;

/* Room in a GET's content beyond its base64 for what a server may put
 * between the characters: a share of the encoded size (1/32 lets MIME's
 * CRLF every 76 characters through, 2.6%) and a fixed part. */
#define GET_SLACK_SHARE 32
#define GET_SLACK_FIXED 4096

/* Characters that max_size bytes of content may take in data_file. */
static guint64
get_limit (guint64 max_size)
{
  guint64 encoded;

  if (max_size > G_MAXUINT64 / 2)
    return G_MAXUINT64;
  encoded = (max_size / 3 + (max_size % 3 != 0)) * 4;
  return encoded + encoded / GET_SLACK_SHARE + GET_SLACK_FIXED;
}

/* The scanner does not count the streamed string against the answer's
 * bound, and the decoder skips white space: without this a server could
 * send endless content, or endless white space, and bytes that keep
 * coming never let a timeout fire. */
static gboolean
get_bounded (GetState *st, GError **error)
{
  /* The characters that the decoded bytes and the quantum in progress
   * took: the rest was white space. */
  guint64 content = (st->decoder.decoded + 2) / 3 * 4 + st->decoder.nchars;

  if (st->chars > st->limit)
    {
      g_set_error (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_PROTOCOL,
                   "malformed answer from the server: data_file goes on past the %"
                   G_GUINT64_FORMAT " bytes expected", st->max_size);
      return FALSE;
    }
  if (st->chars > content && st->chars - content > MAX_ANSWER)
    {
      g_set_error (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_PROTOCOL,
                   "malformed answer from the server: data_file holds more than %u bytes "
                   "of white space", MAX_ANSWER);
      return FALSE;
    }
  return TRUE;
}

/* The scanner hands base64 text in pieces of at most a read buffer. */
static gboolean
get_chars (const char *data, gsize len, gpointer user_data, GError **error)
{
  GetState *st = user_data;
  g_autoptr(GError) local = NULL;
  gsize n = 0;

  while (len > 0)
    {
      gsize step = MIN (len, FS_BUFIO_SIZE);
      if (!fs_b64_decoder_step (&st->decoder, data, step, st->out, &n, &local))
        {
          g_set_error (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_PROTOCOL,
                       "malformed answer from the server: %s", local->message);
          return FALSE;
        }
      st->client->received += n;
      st->chars += step;
      if (!get_bounded (st, error))
        return FALSE;
      if (n > 0 && !st->sink (st->out, n, st->user_data, error))
        return FALSE;
      data += step;
      len -= step;
    }
  return TRUE;
}

gboolean
fs_client_get (FsClient *client, const char *name, guint64 max_size, FsClientSink sink,
               gpointer user_data, guint64 *size, GError **error)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autofree guint8 *out = g_malloc (FS_B64_DECODE_STEP_MAX (FS_BUFIO_SIZE));
  g_autoptr(GError) local = NULL;
  GetState st = { client, { 0 }, out, sink, user_data, max_size, get_limit (max_size), 0 };
  gboolean streamed = FALSE;

  fs_b64_decoder_init (&st.decoder);
  if (!send_request (client, "GET", name, NULL, error))
    return FALSE;
  answer = read_answer (client, "data_file", get_chars, &st, &streamed, error);
  if (answer == NULL)
    return FALSE;
  if (!streamed)
    return protocol_error (error, "GET without \"data_file\"");
  if (!fs_b64_decoder_finish (&st.decoder, &local))
    return protocol_error (error, local->message);
  if (size != NULL)
    *size = st.decoder.decoded;
  return TRUE;
}

/* Reads the answer to "UPLOAD [name]": the bare READY line, or an ERROR
 * frame in its place. The line's "\r\n\r\n" is taken when it has come
 * with it; some servers send the line alone, or a bare "\n", and then wait
 * for the data, so the client must not wait for more. The scanner of the
 * upload's answer skips any line ends that arrive later. */
static gboolean
read_ready (FsClient *client, GError **error)
{
  static const char ready[] = FS_READY_LINE;
  g_autoptr(JsonObject) answer = NULL;

  for (;;)
    {
      gsize avail = fs_reader_avail (&client->reader);
      const guint8 *data = fs_reader_data (&client->reader);

      if (avail > 0 && data[0] == '{')
        {
          answer = read_answer (client, NULL, NULL, NULL, NULL, error);
          if (answer != NULL)
            protocol_error (error, "a JSON answer where READY was expected");
          return FALSE;
        }
      if (avail >= strlen (ready))
        {
          gsize n = strlen (ready);

          if (memcmp (data, ready, n) != 0)
            return protocol_error (error, "expected \"" FS_READY_LINE "\"");
          while (n < avail && n < strlen (ready) + 4 && (data[n] == '\r' || data[n] == '\n'))
            n++;
          fs_reader_consume (&client->reader, n);
          return TRUE;
        }
      if (avail > 0 && memcmp (data, ready, avail) != 0)
        return protocol_error (error, "expected \"" FS_READY_LINE "\"");
      if (!fill (client, error))
        return FALSE;
    }
}

/* After a failed send: the server may have refused the upload (too large)
 * and said why before closing; its word beats "broken pipe". */
static gboolean
send_failed (FsClient *client, GError *cause, GError **error)
{
  g_autoptr(GError) answer_error = NULL;
  JsonObject *answer = read_answer (client, NULL, NULL, NULL, NULL, &answer_error);

  /* Only an ERROR answer says more than the failed send. */
  g_clear_pointer (&answer, json_object_unref);
  if (g_error_matches (answer_error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_SERVER))
    {
      g_error_free (cause);
      g_propagate_error (error, g_steal_pointer (&answer_error));
      return FALSE;
    }
  return io_failed (error, cause, FS_CLIENT_ERROR_WRITE, "cannot send the upload");
}

static gboolean upload_answer (FsClient *client, char **stored_name, guint64 *stored_size,
                               GError **error);

gboolean
fs_client_upload (FsClient *client, const char *name, FsClientSource source,
                  gpointer user_data, char **stored_name, guint64 *stored_size,
                  GError **error)
{
  g_autofree guint8 *chunk = g_malloc (UPLOAD_CHUNK);
  FsWriter *w = &client->writer;
  GError *local = NULL;
  FsB64Encoder enc;

  if (!send_request (client, "UPLOAD", name, NULL, error) || !read_ready (client, error))
    return FALSE;

  fs_b64_encoder_init (&enc);
  for (;;)
    {
      gssize n = 0;
      gsize got = 0;

      /* Sources may return short counts: fill a whole chunk so that every
       * line but the last is a whole number of base64 quanta. */
      while (got < UPLOAD_CHUNK && (n = source (chunk + got, UPLOAD_CHUNK - got, user_data,
                                                error)) > 0)
        got += (gsize) n;
      if (n < 0)
        return FALSE;
      if (got == 0)
        break;
      if (fs_writer_room (w) < FS_B64_ENCODE_STEP_MAX (got) + 1 && !fs_writer_flush (w, &local))
        return send_failed (client, local, error);
      fs_writer_commit (w, fs_b64_encoder_step (&enc, chunk, got, (char *) fs_writer_tail (w)));
      *fs_writer_tail (w) = '\n';
      fs_writer_commit (w, 1);
      if (n == 0)
        break;
    }
  {
    char tail[FS_B64_ENCODE_CLOSE_MAX + sizeof "\n" FS_END_UPLOAD "\n"];
    gsize n = fs_b64_encoder_close (&enc, tail);

    memcpy (tail + n, "\n" FS_END_UPLOAD "\n", strlen ("\n" FS_END_UPLOAD "\n"));
    n += strlen ("\n" FS_END_UPLOAD "\n");
    if (!fs_writer_append_final (w, tail, n, &local))
      return send_failed (client, local, error);
  }

  return upload_answer (client, stored_name, stored_size, error);
}

/* The answer to an upload: the stored name and size (see
 * fs_client_upload()). */
static gboolean
upload_answer (FsClient *client, char **stored_name, guint64 *stored_size, GError **error)
{
  g_autoptr(JsonObject) answer = read_answer (client, NULL, NULL, NULL, NULL, error);
  JsonObject *data;
  JsonNode *size;
  const char *stored;

  if (answer == NULL)
    return FALSE;
  data = json_object_has_member (answer, "data")
         && JSON_NODE_HOLDS_OBJECT (json_object_get_member (answer, "data"))
         ? json_object_get_object_member (answer, "data") : NULL;
  /* filestorm and the classic implementation send data.file_path; the
   * classic protocol's text says data_namafile. */
  stored = data != NULL ? fs_json_string (data, "file_path") : NULL;
  if (stored == NULL)
    stored = fs_json_string (answer, "data_namafile");
  if (stored == NULL && data != NULL)
    stored = fs_json_string (data, "data_namafile");
  if (stored == NULL || stored[0] == '\0')
    return protocol_error (error, "upload answer without the stored name "
                                  "(\"data\": {\"file_path\"} or \"data_namafile\")");
  size = data != NULL ? json_object_get_member (data, "size") : NULL;
  *stored_name = g_strdup (stored);
  *stored_size = size != NULL && JSON_NODE_HOLDS_VALUE (size)
                 && json_node_get_value_type (size) == G_TYPE_INT64
                 && json_node_get_int (size) >= 0
                 ? (guint64) json_node_get_int (size) : G_MAXUINT64;
  return TRUE;
}

/* ------------------------------------------------------------ raw */

/* Raw content moves through a buffer of its own, larger than the
 * reader's, in reads and writes of this size. */
#define RAW_CHUNK (256 * 1024)

gboolean
fs_client_get_raw (FsClient *client, const char *name, guint64 max_size,
                   FsClientSink sink, gpointer user_data, guint64 *size, GError **error)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autofree guint8 *buf = NULL;
  JsonNode *member;
  guint64 want, left;

  if (!send_request (client, "GETRAW", name, NULL, error))
    return FALSE;
  answer = read_answer (client, NULL, NULL, NULL, NULL, error);
  if (answer == NULL)
    return FALSE;
  member = json_object_get_member (answer, "size");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member)
      || json_node_get_value_type (member) != G_TYPE_INT64 || json_node_get_int (member) < 0)
    return protocol_error (error, "GETRAW answer without a \"size\"");
  want = left = (guint64) json_node_get_int (member);
  if (want > max_size)
    {
      g_set_error (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_PROTOCOL,
                   "malformed answer from the server: GETRAW announces %" G_GUINT64_FORMAT
                   " bytes, more than the %" G_GUINT64_FORMAT " expected", want, max_size);
      return FALSE;
    }

  /* What came with the frame first, then straight from the socket. */
  while (left > 0 && fs_reader_avail (&client->reader) > 0)
    {
      gsize n = (gsize) MIN ((guint64) fs_reader_avail (&client->reader), left);

      client->received += n;
      if (!sink (fs_reader_data (&client->reader), n, user_data, error))
        return FALSE;
      fs_reader_consume (&client->reader, n);
      left -= n;
    }
  if (left > 0)
    buf = g_malloc (RAW_CHUNK);
  while (left > 0)
    {
      GError *local = NULL;
      gssize n = fs_conn_receive (&client->conn, buf, (gsize) MIN (left, RAW_CHUNK), NULL,
                                  &local);

      if (n < 0)
        return io_failed (error, local, FS_CLIENT_ERROR_READ, "cannot read the answer");
      if (n == 0)
        {
          g_set_error (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_READ,
                       "the server closed the connection after %" G_GUINT64_FORMAT
                       " of %" G_GUINT64_FORMAT " bytes", want - left, want);
          return FALSE;
        }
      client->received += (guint64) n;
      if (!sink (buf, (gsize) n, user_data, error))
        return FALSE;
      left -= (guint64) n;
    }
  if (size != NULL)
    *size = want;
  return TRUE;
}

gboolean
fs_client_upload_raw (FsClient *client, const char *name, guint64 size, FsClientSource source,
                      gpointer user_data, char **stored_name, guint64 *stored_size,
                      GError **error)
{
  g_autofree char *size_text = g_strdup_printf ("%" G_GUINT64_FORMAT, size);
  g_autofree guint8 *chunk = NULL;
  GError *local = NULL;
  guint64 left = size;

  if (!send_request (client, "UPLOADRAW", name, size_text, error) || !read_ready (client, error))
    return FALSE;

  chunk = g_malloc (RAW_CHUNK);
  while (left > 0)
    {
      gssize n = source (chunk, (gsize) MIN (left, RAW_CHUNK), user_data, error);

      if (n < 0)
        return FALSE;
      if (n == 0)
        {
          /* The server waits for bytes that will not come: this
           * connection cannot be used again. */
          g_set_error (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_WRITE,
                       "the content ended after %" G_GUINT64_FORMAT " of the %" G_GUINT64_FORMAT
                       " bytes announced", size - left, size);
          return FALSE;
        }
      if (!fs_conn_send_all (&client->conn, chunk, (gsize) n, NULL, &local))
        return send_failed (client, local, error);
      left -= (guint64) n;
    }
  return upload_answer (client, stored_name, stored_size, error);
}
