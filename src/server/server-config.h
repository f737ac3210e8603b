/* server-config.h: filestorm-server's settings (FsServerConfig), their
 * defaults and limits, and its exit codes: what main(), the server and its
 * concurrency models all read. */
#pragma once

#include <gio/gio.h>

#include "util.h"

G_BEGIN_DECLS

/* Exit codes of filestorm-server (documented in filestorm-server(1)). */
enum {
  FS_SERVER_EXIT_OK      = 0, /* stopped by SIGINT/SIGTERM */
  FS_SERVER_EXIT_FAILURE = 1, /* any other failure */
  FS_SERVER_EXIT_USAGE   = 2, /* bad option */
  FS_SERVER_EXIT_LISTEN  = 3, /* cannot resolve, bind or listen */
  FS_SERVER_EXIT_ROOT    = 4, /* cannot create or open the root directory */
};

typedef struct {
  FsMode       mode;
  guint        pool;          /* 1..1024 */
  char        *host;          /* (owned) */
  guint        port;          /* 0 = any free port */
  char        *port_file;     /* (owned) (nullable) */
  char        *root;          /* (owned) */
  guint64      max_upload;    /* bytes */
  guint        idle_timeout;  /* seconds */
  guint        request_timeout; /* seconds, 0 = none */
  guint64      min_rate;      /* upload bytes per second, 0 = none */
  guint        grace;         /* seconds to let requests finish on stop */
} FsServerConfig;

#define FS_SERVER_DEFAULT_POOL 5
#define FS_SERVER_DEFAULT_HOST "127.0.0.1"
#define FS_SERVER_DEFAULT_PORT 7000
#define FS_SERVER_DEFAULT_ROOT "./files"
#define FS_SERVER_DEFAULT_MAX_UPLOAD (G_GUINT64_CONSTANT (1) << 30)
#define FS_SERVER_DEFAULT_IDLE_TIMEOUT 60
#define FS_SERVER_DEFAULT_REQUEST_TIMEOUT 30
#define FS_SERVER_DEFAULT_MIN_RATE 1024
/* The largest --max-upload, 8388607T: the largest whole number of TiB
 * below the largest file size (off_t, 2^63 - 1 bytes). */
#define FS_SERVER_MAX_MAX_UPLOAD (G_GUINT64_CONSTANT (8388607) << 40)
/* The largest --min-rate, 1 TiB/s: far beyond any link. */
#define FS_SERVER_MAX_MIN_RATE (G_GUINT64_CONSTANT (1) << 40)
#define FS_SERVER_DEFAULT_GRACE 10

void fs_server_config_init  (FsServerConfig *config);
void fs_server_config_clear (FsServerConfig *config);

/* Sets one setting from text, by its option name without dashes ("pool",
 * "max-upload", "base-port", ...); FS_ERROR_USAGE says what is wrong. */
gboolean    fs_server_config_set  (FsServerConfig *config, const char *key,
                                   const char *value, GError **error);
/* Applies a configuration file: a GKeyFile whose group [server] holds
 * settings under the options' names. Keys in skip (nullable) are left
 * alone: the command line set them and wins. Unknown groups and keys are
 * errors. */
gboolean    fs_server_config_load (FsServerConfig *config, const char *path,
                                   GHashTable *skip, GError **error);
/* The same from text; name stands for the file in messages. */
gboolean    fs_server_config_load_data (FsServerConfig *config, const char *data, gsize len,
                                        const char *name, GError **error);

G_END_DECLS
