/* pool-prepare.c: what the client pool does before the timed run: asks
 * the server what it is (STATS), and for a download puts the test file in
 * place, uploading it when it is missing, and finds the name the server
 * stored it under. */
#include "config.h"

#include "pool-private.h"

#include "content.h"
#include "errors.h"
#include "protocol.h"

/* The characters of a server's failed-STATS text that the summary keeps. */
#define SERVER_TEXT_MAX 200
/* Seconds the STATS answer may take: an idle server answers in well under
 * a millisecond, and one that never answers (a classic server holding the
 * unknown command) would otherwise cost --timeout, 60 s by default, in
 * every scenario of filestorm-stress. */
#define STATS_TIMEOUT 2

/* A connection outside the timed run: counted (the server counts it as a
 * session too) and registered in the slot after the clients', so that a
 * signal cuts it short like theirs. */
static FsClient *
setup_connect (FsPoolJob *job, guint *connections, GError **error)
{
  gint *slot = &job->slots[job->config->clients];
  FsClient *client;

  /* The first one tries every address in turn, and the one that accepts
   * is the run's (a name such as localhost may have ::1 and 127.0.0.1,
   * with the server on one only). */
  if (job->address == NULL)
    {
      guint chosen = 0;

      client = fs_client_connect_first ((GSocketAddress *const *) job->addresses->pdata,
                                        job->addresses->len, job->config->timeout, &chosen,
                                        error);
      if (client != NULL)
        job->address = job->addresses->pdata[chosen];
    }
  else
    client = fs_client_connect_address (job->address, job->config->timeout, error);
  if (client == NULL)
    return NULL;
  (*connections)++;
  if (!fs_pool_watch (slot, client))
    {
      fs_pool_unwatch (slot, client);
      fs_client_free (client);
      fs_pool_interrupted_error (error);
      return NULL;
    }
  return client;
}

static void
setup_close (const FsPoolJob *job, FsClient *client)
{
  if (client == NULL)
    return;
  fs_pool_unwatch (&job->slots[job->config->clients], client);
  fs_client_free (client);
}

/* The server's mode and pool from STATS, so that the result says what it
 * measured. A server that cannot be reached is an error; one that answers
 * STATS with an error (or without those members) is only unknown. */
static gboolean
ask_server (FsPoolJob *job, FsPoolResult *result, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonObject) data = NULL;
  FsClient *client = setup_connect (job, &result->setup_connections, error);
  JsonNode *mode, *pool;

  if (client == NULL)
    return FALSE;
  fs_client_set_timeout (client, MIN (job->config->timeout, STATS_TIMEOUT));
  if (!fs_client_stats (client, &data, &local))
    {
      setup_close (job, client);
      if (fs_pool_interrupted ())
        return fs_pool_interrupted_error (error);
      /* The server's own text, for one line of the summary: cut to
       * SERVER_TEXT_MAX characters (never inside one), then escaped, so
       * that no escape is cut in two; a cut says so. */
      {
        g_autofree char *cut = g_utf8_make_valid (local->message, -1);

        if (g_utf8_strlen (cut, -1) > SERVER_TEXT_MAX)
          {
            g_autofree char *shorter = g_utf8_substring (cut, 0, SERVER_TEXT_MAX);
            g_free (cut);
            cut = g_strdup_printf ("%s... (cut at %d characters)", shorter, SERVER_TEXT_MAX);
          }
        result->server_error = fs_protocol_printable_text (cut);
      }
      return TRUE;
    }
  setup_close (job, client);
  mode = json_object_get_member (data, "mode");
  pool = json_object_get_member (data, "pool");
  if (mode == NULL || !JSON_NODE_HOLDS_VALUE (mode)
      || json_node_get_value_type (mode) != G_TYPE_STRING
      || pool == NULL || !JSON_NODE_HOLDS_VALUE (pool)
      || json_node_get_value_type (pool) != G_TYPE_INT64)
    {
      result->server_error = g_strdup ("the STATS answer has no \"mode\" and \"pool\"");
      return TRUE;
    }
  result->server_mode = g_strdup (json_node_get_string (mode));
  result->server_pool = json_node_get_int (pool);
  return TRUE;
}

/* For download: the file must be on the server before timing starts. A
 * server that stores uploads under a name of its own (an MD5, say) gets
 * the file uploaded, and the downloads ask for that name. */
static gboolean
prepare (FsPoolJob *job, FsPoolResult *result, GError **error)
{
  FsClient *client = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *stored = NULL;
  guint64 stored_size = 0;
  FsContent content;
  gboolean ok;

  result->prepared = FALSE;
  client = setup_connect (job, &result->setup_connections, error);
  if (client == NULL)
    return FALSE;
  ok = fs_client_list (client, &names, error);
  setup_close (job, client);
  if (!ok)
    return FALSE;
  if (g_strv_contains ((const char * const *) names, job->file))
    return TRUE;

  client = setup_connect (job, &result->setup_connections, error);
  fs_content_init (&content, job->file, job->size);
  ok = client != NULL
       && fs_client_upload (client, job->file, fs_content_source, &content, &stored, &stored_size,
                            error);
  setup_close (job, client);
  if (!ok)
    {
      g_prefix_error (error, "cannot upload %s for the download test: ", job->file);
      return FALSE;
    }
  if (stored_size != G_MAXUINT64 && stored_size != job->size)
    {
      g_set_error (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_CORRUPT,
                   "cannot upload %s for the download test: the server stored %"
                   G_GUINT64_FORMAT " bytes of %" G_GUINT64_FORMAT, job->file, stored_size,
                   job->size);
      return FALSE;
    }
  /* The downloads would send it on their request lines: a line end in it
   * would make a request of its own. */
  if (!fs_protocol_check_arg (stored, error))
    {
      g_prefix_error (error, "the server stored %s for the download test under a name that "
                      "cannot be asked for: ", job->file);
      return FALSE;
    }
  result->stored_name = g_steal_pointer (&stored);
  job->get_name = result->stored_name;
  result->prepared = TRUE;
  return TRUE;
}

/* The note that the file was uploaded first, since it is not measured. */
static void
note_prepared (const FsPoolResult *result, FILE *progress)
{
  /* The server chose the name: escaped, since it may hold what a
   * terminal acts on (a bidirectional override, say; control
   * characters were refused already). */
  g_autofree char *shown = fs_protocol_printable (result->stored_name);
  g_autofree char *as = g_strcmp0 (result->stored_name, result->file) != 0
                        ? g_strdup_printf ("; the server stored it as %s", shown)
                        : g_strdup ("");
  /* The program's name (filestorm-pool, filestorm-pool-mpi), as
   * g_option_context_parse() set it. */
  const char *program = g_get_prgname () != NULL ? g_get_prgname () : "filestorm-pool";

  fprintf (progress, "%s: %s was not on the server; uploaded it (%"
           G_GUINT64_FORMAT " bytes) before the timed run%s\n", program, result->file,
           result->file_size, as);
}

gboolean
fs_pool_prepare (FsPoolJob *job, FsPoolResult *result, FILE *progress, GError **error)
{
  /* Before the timed run, so that its connections do not compete with
   * the clients' (they are counted in setup_connections). */
  if (!ask_server (job, result, error)
      || (job->config->operation == FS_OP_DOWNLOAD && job->config->prepare
          && !prepare (job, result, error)))
    return FALSE;
  if (result->prepared && progress != NULL)
    note_prepared (result, progress);
  return TRUE;
}
