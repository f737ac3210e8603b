/* pool-mpi.h: one client pool spread over the ranks of an MPI job
 * (filestorm-pool-mpi). pool-mpi.c owns every MPI call and is built only
 * into that program; pool-ranks.c shares the clients out and says what a
 * merged run found, and needs no MPI. */
#pragma once

#include <stdio.h>

#include "pool.h"

G_BEGIN_DECLS

/* What filestorm-pool-mpi's options ask for: the pool's, for the whole
 * job (config.clients is the total unless clients_per_rank), and its
 * own. */
typedef struct {
  FsPoolConfig config;
  gboolean     json;
  guint        clients_per_rank;  /* 0: split config.clients over the ranks */
  gboolean     allow_remote;      /* --host may be another machine */
  /* Testing: rank test_rank (-1: none) uses test_port instead. */
  gint         test_rank;
  guint        test_port;
} FsPoolMpiConfig;

/* One rank's own figures, gathered to rank 0. */
typedef struct {
  gint32  rank;
  guint32 clients;
  guint64 success;
  guint64 fail;
  double  total_time_s;     /* its start signal to its last client's end */
  double  latency_p50_ms;   /* of its own operations */
  gint64  peak_rss_kib;         /* its own, getrusage (RUSAGE_SELF) */
  gint64  client_peak_rss_kib;  /* its largest client process's; 0 for threads */
  char    host[256];
  char    first_error[256];
} FsPoolRankRow;

/* pool-ranks.c: the clients of rank (0-based) of n_ranks when total are
 * split: the remainder goes to the lowest ranks, so 10 over 4 is 3, 3, 2,
 * 2. */
guint     fs_pool_mpi_share (guint total, guint rank, guint n_ranks);

/* Runs the job's pool: every rank calls it with its own parsed options
 * (rank 0's are the ones that count: they are broadcast), and every rank
 * returns the same exit status, that of filestorm-pool(1). Rank 0 prints
 * the merged result on out and any failure on err, in one line naming
 * the rank and host it came from; the other ranks print nothing. */
int       fs_pool_mpi_run (const FsPoolMpiConfig *config, FILE *out, FILE *err);

/* Refuses to run, with status and message (bad usage), in place of
 * fs_pool_mpi_run(): some ranks may call one and some the other. Every
 * rank then ends with the status of the lowest rank that refused, rank 0
 * printing its message in one line, and none returns before rank 0 has
 * printed. */
int       fs_pool_mpi_refuse (int status, const char *message, FILE *err);

/* pool-ranks.c: the merged result as filestorm-pool shows it, plus
 * the ranks: "ranks", "hosts" (each host once, in rank order) and
 * "per_rank" in the JSON, and a table of them in the summary. The
 * JSON's peak_rss_kib and client_peak_rss_kib are the largest of any
 * rank's. */
JsonNode *fs_pool_mpi_to_json (const FsPoolResult *merged, const FsPoolRankRow *rows,
                               guint n_ranks);
void      fs_pool_mpi_print   (const FsPoolResult *merged, const FsPoolRankRow *rows,
                               guint n_ranks, FILE *out);

G_END_DECLS
