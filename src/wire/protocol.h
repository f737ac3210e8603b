/* protocol.h: request-line tokenizer, command table and response frames.
 * No I/O here: the session decides when to read and write. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Every response frame ends with these four bytes. */
#define FS_FRAME_END "\r\n\r\n"
#define FS_FRAME_END_LEN 4

/* The exact answer text for an unknown request: existing clients match it. */
#define FS_MSG_UNKNOWN "request tidak dikenali"
/* The bare line that starts a streamed upload (followed by FS_FRAME_END). */
#define FS_READY_LINE "READY TO RECEIVE FILE"
#define FS_END_UPLOAD "ENDUPLOAD"

typedef enum {
  FS_CMD_UNKNOWN,
  FS_CMD_LIST,
  FS_CMD_GET,
  FS_CMD_UPLOAD,
  FS_CMD_DELETE,
  FS_CMD_STATS,
  FS_CMD_GETRAW,
  FS_CMD_UPLOADRAW,
} FsCommand;

/* Looks up a command word, case-insensitively. */
FsCommand fs_protocol_command (const char *word);

/* Reads the next argument of line[*pos .. len), shell-like: runs of spaces
 * and tabs separate arguments; '...' holds everything literally; "..." holds
 * everything, with \" and \\ as escapes; outside quotes a backslash escapes
 * the next byte. Returns TRUE and sets *token (owned) and advances *pos
 * past it; returns FALSE with *token NULL and no error at the end of the
 * line; returns FALSE with FS_ERROR_PROTOCOL on an unterminated quote or a
 * trailing backslash. The line must not contain its '\n'. */
gboolean fs_protocol_next_token (const char *line, gsize len, gsize *pos,
                                 char **token, GError **error);

/* Splits a whole request line into a NULL-terminated vector. */
gboolean fs_protocol_tokenize (const char *line, gsize len, GStrv *argv,
                               GError **error);

/* How much of a line fs_protocol_upload_head() looks at. */
#define FS_PROTOCOL_HEAD_MAX 1024

/* Whether line[0 .. len), whose '\n' has not arrived, already holds the
 * head of a one-line UPLOAD: the command word, a whole name, and the first
 * byte of content after it, all within its first FS_PROTOCOL_HEAD_MAX
 * bytes. Bytes still to come cannot change that. */
gboolean fs_protocol_upload_head (const char *line, gsize len);

/* Offset of the first byte after the spaces and tabs at line[pos]. */
gsize fs_protocol_skip_space (const char *line, gsize len, gsize pos);

/* Serialises a JSON object (compact) followed by FS_FRAME_END. */
GString *fs_protocol_frame (JsonNode *object);
/* {"status":"ERROR","data":message} + FS_FRAME_END */
GString *fs_protocol_error_frame (const char *message);
/* {"status":"OK","message":message} + FS_FRAME_END */
GString *fs_protocol_ok_message_frame (const char *message);
/* The answer to a successful upload of stored_name: data.file_path, and
 * data.size (filestorm's own member) so that a client can check that
 * every byte arrived. */
GString *fs_protocol_upload_frame (const char *stored_name, guint64 size);
/* The answer to GETRAW before its raw bytes: data_namafile and size. */
GString *fs_protocol_getraw_frame (const char *name, guint64 size);
/* The answer to LIST: names is a NULL-terminated, already sorted vector. */
GString *fs_protocol_list_frame (const char * const *names);
/* The start of a GET answer up to and including the opening quote of
 * "data_file", so the base64 text can be streamed after it; the caller
 * ends the frame with FS_GET_FRAME_TAIL. */
GString *fs_protocol_get_frame_head (const char *name);
#define FS_GET_FRAME_TAIL "\"}" FS_FRAME_END

/* Whether arg can go on a request line at all. A request is one line,
 * and no quoting holds a '\n' (nor a '\r', which a server may drop or take
 * for the line's end): file names hold no control characters (see
 * PROTOCOL.md), so an argument with one (U+0001..U+001F, U+007F..U+009F)
 * is FS_ERROR_BAD_NAME. Its message shows arg as fs_protocol_printable()
 * does. */
gboolean fs_protocol_check_arg (const char *arg, GError **error);

/* An argument quoted for a request line when it needs it (empty, or holds
 * spaces, quotes or backslashes), for fs_protocol_next_token(); NULL with
 * the error of fs_protocol_check_arg() when it cannot go on one, so that
 * no argument ever makes a second request line. */
char *fs_protocol_quote (const char *arg, GError **error);

/* text as people may read it on a terminal or in a log line: printable
 * UTF-8 as it is; control characters (C0, DEL and C1), bytes that are not
 * UTF-8, backslashes and double quotes as C escapes ("\n", "\x1b", "\\",
 * "\""). When the locale's character set is not UTF-8 (g_get_charset()),
 * printable characters beyond ASCII are escaped too, as "\u00e9" (or
 * "\U0001f600"), so that the text stays readable there. Never holds a
 * line end. */
char *fs_protocol_printable (const char *text);
/* The same for a message, which is not read back: backslashes and double
 * quotes stay as they are, so that text already made printable comes out
 * unchanged. What a program prints about a failure goes through it: the
 * text may hold what a server sent. */
char *fs_protocol_printable_text (const char *text);

/* A JSON string literal, quotes included, for text that must be embedded. */
char *fs_protocol_json_string (const char *text);

G_END_DECLS
