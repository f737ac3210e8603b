/* pool-op.c: one operation of a pool's client, on a connection of its
 * own or a kept one, with every byte checked, and how it is counted:
 * shared by the closed loop (pool.c) and the open one (pool-open.c). */
#include "config.h"

#include "pool-private.h"

#include <string.h>

#include "content.h"
#include "errors.h"
#include "util.h"

typedef struct {
  FsContent content;
  gboolean  verify;
} Check;

static gboolean
check_download (const guint8 *data, gsize len, gpointer user_data, GError **error)
{
  Check *check = user_data;
  guint64 bad = 0;

  if (!check->verify)
    return TRUE;
  if (fs_content_check (&check->content, data, len, &bad))
    return TRUE;
  if (bad >= check->content.size)
    g_set_error (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_CORRUPT,
                 "the download is longer than the expected %" G_GUINT64_FORMAT " bytes",
                 check->content.size);
  else
    g_set_error (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_CORRUPT,
                 "the download differs from the expected content at byte %" G_GUINT64_FORMAT,
                 bad);
  return FALSE;
}

static gboolean
corrupt (GError **error, const char *what, guint64 got, guint64 want)
{
  g_set_error (error, FS_CLIENT_ERROR, FS_CLIENT_ERROR_CORRUPT,
               "%s: %" G_GUINT64_FORMAT " bytes, expected %" G_GUINT64_FORMAT, what, got, want);
  return FALSE;
}

/* A stored name that is the content's MD5 in hex, alone or followed by an
 * extension (".png", ...): the classic server's name for an upload, and
 * its proof of what it received. */
static gboolean
named_by_md5 (const char *stored, const char *md5)
{
  const char *ext = stored + 32;

  if (md5 == NULL || strlen (stored) < 32 || g_ascii_strncasecmp (stored, md5, 32) != 0)
    return FALSE;
  if (*ext == '\0')
    return TRUE;
  if (*ext++ != '.' || *ext == '\0' || strlen (ext) > 8)
    return FALSE;
  for (; *ext != '\0'; ext++)
    if (!g_ascii_isalnum (*ext))
      return FALSE;
  return TRUE;
}

/* An upload is verified when the server confirms it: by the stored size
 * (filestorm's answer) or by a stored name that is the content's MD5 (the
 * classic server's). The server may store it under a name of its own. */
static gboolean
upload (FsClient *client, const FsPoolJob *job, FsPoolTally *t, GError **error)
{
  g_autofree char *stored = NULL;
  guint64 stored_size = 0;
  FsContent content;

  fs_content_init (&content, job->file, job->size);
  if (job->config->transfer == FS_TRANSFER_RAW
      ? !fs_client_upload_raw (client, job->file, job->size, fs_content_source, &content, &stored,
                               &stored_size, error)
      : !fs_client_upload (client, job->file, fs_content_source, &content, &stored,
                           &stored_size, error))
    return FALSE;
  if (stored_size != G_MAXUINT64 && stored_size != job->size)
    return corrupt (error, "the server stored", stored_size, job->size);
  if (job->config->verify && (stored_size != G_MAXUINT64 || named_by_md5 (stored, job->md5)))
    {
      t->verified++;
      t->verified_bytes += job->size;
    }
  t->bytes += job->size;
  return TRUE;
}

static gboolean
download (FsClient *client, const FsPoolJob *job, FsPoolTally *t, GError **error)
{
  Check check = { .verify = job->config->verify };
  guint64 size = 0;

  fs_content_init (&check.content, job->file, job->size);
  if (job->config->transfer == FS_TRANSFER_RAW
      ? !fs_client_get_raw (client, job->get_name, job->size, check_download, &check, &size,
                            error)
      : !fs_client_get (client, job->get_name, job->size, check_download, &check, &size,
                        error))
    return FALSE;
  if (size != job->size)
    return corrupt (error, "the download has", size, job->size);
  if (job->config->verify)
    {
      t->verified++;
      t->verified_bytes += size;
    }
  t->bytes += size;
  return TRUE;
}

gboolean
fs_pool_operation (const FsPoolJob *job, gint *slot, FsPoolTally *t, FsClient **kept,
                   GError **error)
{
  g_autoptr(FsClient) client = kept != NULL && *kept != NULL
                               ? g_steal_pointer (kept)
                               : fs_client_connect_address (job->address,
                                                            job->config->timeout, error);
  g_auto(GStrv) names = NULL;
  gboolean ok;

  if (client == NULL)
    return FALSE;
  if (!fs_pool_watch (slot, client))
    ok = fs_pool_interrupted_error (error);
  else switch (job->config->operation)
    {
    case FS_OP_LIST:
      ok = fs_client_list (client, &names, error);
      break;
    case FS_OP_UPLOAD:
      t->transfers++;
      ok = upload (client, job, t, error);
      break;
    case FS_OP_DOWNLOAD:
    default:
      t->transfers++;
      ok = download (client, job, t, error);
      break;
    }
  fs_pool_unwatch (slot, client);
  /* A connection whose operation failed is in an unknown state: the
   * next operation makes a new one. */
  if (ok && kept != NULL)
    *kept = g_steal_pointer (&client);
  return ok;
}

FsPoolMoved
fs_pool_moved (const FsPoolTally *t)
{
  return (FsPoolMoved) { t->bytes, t->transfers, t->verified, t->verified_bytes };
}

static void
take_back (FsPoolTally *t, const FsPoolMoved *before)
{
  t->bytes = before->bytes;
  t->transfers = before->transfers;
  t->verified = before->verified;
  t->verified_bytes = before->verified_bytes;
}

static void
record_error (FsPoolTally *t, const GError *error)
{
  if (t->first_error[0] == '\0')
    fs_copy_utf8 (t->first_error, error->message, sizeof t->first_error);
}

FsPoolOutcome
fs_pool_settle (FsPoolTally *t, const FsPoolMoved *before, gboolean ok, const GError *error,
                gboolean warmup, gint64 start_us, gint64 end_us)
{
  /* An operation that finished counts, even after the signal; one that
   * failed once it came was (most likely) cut short by it, and counts
   * neither way. */
  if (!ok && fs_pool_interrupted ())
    {
      take_back (t, before);
      t->abandoned++;
      return FS_POOL_ABANDONED;
    }
  if (warmup)
    {
      take_back (t, before);
      t->warmup_ops++;
      if (!ok)
        {
          t->warmup_fail++;
          record_error (t, error);
        }
      return FS_POOL_WARMUP;
    }
  if (t->first_start_us == 0)
    t->first_start_us = start_us;
  t->last_end_us = end_us;
  fs_histogram_record (&t->latency, (guint64) (end_us - start_us));
  if (ok)
    {
      t->success++;
      return FS_POOL_COUNTED;
    }
  t->fail++;
  if (error->domain == FS_CLIENT_ERROR && error->code < FS_CLIENT_N_ERRORS)
    t->errors[error->code]++;
  else
    t->errors[FS_CLIENT_ERROR_PROTOCOL]++;
  record_error (t, error);
  return FS_POOL_COUNTED;
}

