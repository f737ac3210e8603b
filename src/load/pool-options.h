/* pool-options.h: the client pool's settings: their defaults, the names
 * of operations and transfers, and the command-line options that
 * filestorm-pool and filestorm-pool-mpi share. */
#pragma once

#include "pool.h"

G_BEGIN_DECLS

/* --repeat not given: a fixed count of 1, unless --duration is. */
#define FS_POOL_REPEAT_UNSET G_MININT

/* What the shared options write into, before they are checked. */
typedef struct {
  char     *mode;       /* (owned) (nullable) */
  char     *operation;  /* (owned) (nullable) */
  char     *transfer;   /* (owned) (nullable) */
  char     *host;       /* (owned) (nullable) */
  char     *volume_text;/* (owned) (nullable) --volume as given, parsed into volume */
  char     *duration_text; /* (owned) (nullable) --duration as given */
  char     *warmup_text;   /* (owned) (nullable) --warmup as given */
  char     *rate_text;     /* (owned) (nullable) --rate as given */
  char     *arrival;       /* (owned) (nullable) */
  char    **rest;       /* (owned) (nullable) */
  double    volume;
  gint      clients;
  gint      repeat;     /* FS_POOL_REPEAT_UNSET until given */
  gint      port;
  gint      timeout;
  gint      idle;       /* --idle-connections */
  gboolean  json;
  gboolean  no_verify;
  gboolean  no_prepare;
  gboolean  keep_alive;
  gboolean  version;
} FsPoolOptions;

void     fs_pool_options_init  (FsPoolOptions *options);
void     fs_pool_options_clear (FsPoolOptions *options);
/* Adds the shared options to context's main group; client_pool_help is
 * what --help says of --client-pool. */
void     fs_pool_options_add   (GOptionContext *context, FsPoolOptions *options,
                                const char *client_pool_help);
/* Checks what was parsed and puts it in config (from
 * fs_pool_config_init()); FS_ERROR_USAGE with one line on bad usage.
 * --client-pool may be up to max_clients. */
gboolean fs_pool_options_apply (FsPoolOptions *options, guint max_clients, FsPoolConfig *config,
                                GError **error);

G_END_DECLS
