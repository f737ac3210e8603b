/* store-fixture.h: the fixture of test-store and test-store-upload (a
 * fresh store whose root is created below a new temporary directory) and
 * the helpers both use. */
#pragma once

#include <glib.h>

#include "store.h"

G_BEGIN_DECLS

typedef struct {
  char    *tmpdir;  /* (owned) everything lives under it */
  char    *root;    /* (owned) tmpdir/deep/er/root */
  FsStore *store;   /* (owned) */
} StoreFixture;

void  sf_setup    (StoreFixture *f, gconstpointer data);
void  sf_teardown (StoreFixture *f, gconstpointer data);

/* root/name (owned). */
char *sf_in_root (StoreFixture *f, const char *name);
/* Writes a file with exactly data, asserting. */
void  sf_put_file (const char *path, const void *data, gsize len);
void  sf_put_root_file (StoreFixture *f, const char *name, const char *text);
/* Asserts the file holds exactly data. */
void  sf_assert_path_content (const char *path, const void *data, gsize len);
void  sf_assert_root_content (StoreFixture *f, const char *name, const void *data, gsize len);
/* Asserts fs_store_open_read() of name fails, with code (-1: any). */
void  sf_assert_read_fails (StoreFixture *f, const char *name, int code);
/* lstat() succeeds. */
gboolean sf_path_exists (const char *path);
gboolean sf_root_has (StoreFixture *f, const char *name);
/* Reads everything from fd, from offset 0 (pread: the fd's own offset does
 * not matter). */
GByteArray *sf_read_fd_all (int fd);
/* fs_store_list(), asserting success. */
GStrv sf_list_root (StoreFixture *f);
/* len pseudo-random bytes for seed (owned; one spare byte at the end). */
guint8 *sf_pattern (gsize len, guint seed);

G_END_DECLS
