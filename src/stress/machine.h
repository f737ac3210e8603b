/* machine.h: the machine a run measured, for results that stand on
 * their own: numbers only mean something next to the machine that gave
 * them. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A 1-minute load average at or above this share of the logical cores
 * before the run marks the machine busy. */
#define FS_MACHINE_BUSY_LOAD_PER_CORE 0.5

typedef struct {
  char   *cpu_model;      /* (owned) /proc/cpuinfo "model name", or "unknown" */
  guint   logical_cores;
  guint64 ram_bytes;      /* MemTotal */
  char   *kernel;         /* (owned) uname: "Linux 6.1.0-18-amd64" */
  char   *os;             /* (owned) os-release PRETTY_NAME */
  char   *roots_fs;       /* (owned) filesystem type of the servers' roots: "tmpfs", "ext4" */
  char   *roots_dir;      /* (owned) where the servers' roots are made */
  double  load[3];        /* 1, 5 and 15 minutes, before the run */
  gboolean busy;          /* load[0] >= FS_MACHINE_BUSY_LOAD_PER_CORE * cores */
} FsMachine;

/* Reads the machine now; roots_dir is where the servers' roots go. */
void      fs_machine_read    (FsMachine *machine, const char *roots_dir);
void      fs_machine_clear   (FsMachine *machine);
JsonNode *fs_machine_to_json (const FsMachine *machine);

/* The filesystem type ("tmpfs", "ext4", ...) that holds path, from
 * /proc/self/mountinfo; NULL when it cannot be told (no such path, no
 * /proc, or no mount point at or above path in sight, as in a chroot whose
 * root is not a mount point). */
char     *fs_machine_fs_type (const char *path);

G_END_DECLS
