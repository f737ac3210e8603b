/* util.h: small helpers shared by the programs: options, numbers, files. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Call first in main(): setlocale (LC_ALL, "") for messages and the
 * character set, but LC_NUMERIC stays "C", so that every number printed,
 * for people or for programs, has a decimal point (see util.c). */
void fs_locale_init (void);

/* The concurrency models: of the server (all three) and of the client
 * pool (thread and process: a pool of clients that block). */
typedef enum {
  FS_MODE_THREAD,
  FS_MODE_PROCESS,
  FS_MODE_EVENT,
} FsMode;
#define FS_N_MODES 3

/* "thread", "process" or "event"; anything else is FS_ERROR_USAGE. */
gboolean    fs_mode_parse (const char *text, FsMode *mode, GError **error);
const char *fs_mode_name  (FsMode mode);
/* A client pool's model: "thread" or "process" alone. */
gboolean    fs_pool_mode_parse (const char *text, FsMode *mode, GError **error);

/* The largest server pool (--pool): the server's limit, and the matrix's
 * on the pools it asks for (scenario.c). Here, below both, so that the
 * matrix need not know the server. */
#define FS_SERVER_MAX_POOL 1024

/* Parses a byte size: a whole number with an optional binary suffix
 * K, M, G or T (also KiB/MiB/GiB/TiB or KB/MB/GB/TB, all powers of 1024).
 * "1G" is 1073741824. Fails on anything else, on 0 and on overflow. */
gboolean fs_parse_size (const char *text, guint64 *out, GError **error);

/* Writes all of data to fd, retrying short writes and EINTR. On failure
 * sets a G_IO_ERROR "cannot write WHAT: reason". */
gboolean fs_write_all (int fd, const void *data, gsize len, const char *what,
                       GError **error);

/* The shortest of %.15g..%.17g that reads back as the same double: "10",
 * "0.5", not "10.000000" or "0.10000000000000001"; never the locale's
 * decimal comma, since it goes into file names, CSV and messages. */
const char *fs_format_number (double v, char buf[G_ASCII_DTOSTR_BUF_SIZE]);

/* template split into words as a shell would, then in every word each
 * {names[i]} (of n_names) replaced by values[i], and each {{names[i]}} by
 * the literal {names[i]}; any other brace is kept.
 * FS_ERROR_USAGE ("WHAT cannot be split into words: ...") when the
 * template does not split. */
char **fs_template_argv (const char *template, const char *what, const char *const *names,
                         gsize n_names, const char *const *values, GError **error);

/* Formats a socket address as HOST:PORT, with [HOST]:PORT for IPv6. */
char *fs_format_address (GInetSocketAddress *address);

/* g_key_file_get_string() and g_key_file_get_string_list() that check
 * the raw value first: valid UTF-8, and only the escapes GKeyFile knows
 * (\s \n \t \r \\, and \; in a list). GKeyFile itself returns what it
 * could read of a value with a bad escape along with its error, and GLib
 * 2.74 sets that error once per bad escape, so a value with two made it
 * warn "GError set over the top of a previous GError" on stderr. Here it
 * never meets one: FS_ERROR_USAGE says what is wrong, for the caller to
 * prefix with the file and key. */
char *fs_key_file_get_string      (GKeyFile *file, const char *group, const char *key,
                                   GError **error);
GStrv fs_key_file_get_string_list (GKeyFile *file, const char *group, const char *key,
                                   gsize *length, GError **error);

/* g_strlcpy() (size > 0) that, when src does not fit, cuts before a
 * character that would be left in part, so that UTF-8 stays UTF-8: a
 * server's long message kept in a fixed buffer is written out as JSON. */
void  fs_copy_utf8 (char *dest, const char *src, gsize size);

/* Removes path and everything under it, as far as it can; links are
 * removed, not followed. For the programs' own temporary directories. */
void  fs_remove_tree (const char *path);

G_END_DECLS
