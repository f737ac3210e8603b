/* frame.h: a client's reader of one response frame (a JSON object and
 * "\r\n\r\n") that streams one string member instead of holding it.
 *
 * A GET answer carries the whole file as one base64 string; json-glib can
 * only parse a complete document, which would hold the file in memory
 * twice over. This scanner walks the object byte by byte: the chosen
 * member's string goes to a callback as it arrives, every other member is
 * kept as text (bounded) and parsed with json-glib at the end. It accepts
 * any member order and the white space other servers put in their JSON
 * (Python's json.dumps writes ", " and ": "). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The deepest nesting of objects and arrays an answer may have, the frame
 * itself counting as one: far more than the protocol uses, and shallow
 * enough that json-glib, which recurses once per level, cannot run out of
 * stack on a hostile answer. The scanner refuses deeper answers before
 * json-glib sees them. */
#define FS_FRAME_MAX_DEPTH 64

/* Receives the streamed member's characters, JSON escapes already undone
 * except that \n, \r and \t come through as the white space they stand
 * for. Returns FALSE (with error set) to abandon the frame. */
typedef gboolean (*FsFrameStringFunc) (const char *data, gsize len, gpointer user_data,
                                       GError **error);

typedef struct _FsFrameScanner FsFrameScanner;

/* stream_member may be NULL: then every member is kept. max_kept bounds
 * the frame apart from the streamed string: the kept members' text and
 * the white space and punctuation around them (FS_ERROR_PROTOCOL past
 * it). The kept text must be valid UTF-8 and nested at most
 * FS_FRAME_MAX_DEPTH deep. */
FsFrameScanner *fs_frame_scanner_new  (const char *stream_member, FsFrameStringFunc func,
                                       gpointer user_data, gsize max_kept);
void            fs_frame_scanner_free (FsFrameScanner *scanner);

/* Feeds bytes; sets *consumed to how many belong to the frame (fewer than
 * len only when the frame ended: the rest belongs to the next one) and
 * *done when the frame is complete. FS_ERROR_PROTOCOL on malformed input. */
gboolean fs_frame_scanner_feed (FsFrameScanner *scanner, const guint8 *data, gsize len,
                                gsize *consumed, gboolean *done, GError **error);

/* After done: the object without the streamed member (owned by the
 * scanner), and whether the streamed member was present. */
JsonObject *fs_frame_scanner_object   (FsFrameScanner *scanner);
gboolean    fs_frame_scanner_streamed (FsFrameScanner *scanner);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsFrameScanner, fs_frame_scanner_free)

G_END_DECLS
