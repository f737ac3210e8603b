/* scenario.c: the scenario matrix of filestorm-stress: a GKeyFile checked
 * strictly, since a typo in a matrix that runs for an hour must stop it
 * before it starts rather than silently measure something else. */
#include "config.h"

#include <math.h>

#include "errors.h"
#include "util.h"
#include "scenario.h"

/* One dimension of the matrix; the file's key and the runner's option
 * (--client-pool) name the same list. */
typedef enum {
  DIM_MODE,
  DIM_CLIENT_MODE,
  DIM_OPERATION,
  DIM_TRANSFER,
  DIM_VOLUME,
  DIM_CLIENT_POOL,
  DIM_SERVER_POOL,
  DIM_IDLE,
  N_DIMS
} Dim;

typedef struct {
  const char *file_key;
  const char *option;
  guint       min, max;  /* for the pool sizes */
  const char *absent;    /* the list when the file has no such key; NULL:
                            the key is required */
} DimInfo;

static const DimInfo dims[N_DIMS] = {
  [DIM_MODE]        = { "modes", "mode", 0, 0 },
  /* Absent in the files from before it was an axis: thread, the default,
   * rather than same, so an old matrix measures the servers alone too. */
  [DIM_CLIENT_MODE] = { "client_modes", "client-mode", 0, 0, "thread" },
  [DIM_OPERATION]   = { "operations", "operation", 0, 0 },
  [DIM_TRANSFER]    = { "transfers", "transfer", 0, 0, "base64" },
  [DIM_VOLUME]      = { "volumes", "volume", 0, 0 },
  [DIM_CLIENT_POOL] = { "client_pools", "client-pool", 1, FS_POOL_MAX_CLIENTS },
  [DIM_SERVER_POOL] = { "server_pools", "server-pool", 1, FS_SERVER_MAX_POOL },
  /* Absent in the files from before it was an axis, and in the default
   * matrix: none, so their scenarios stay as they were. */
  [DIM_IDLE]        = { "idle", "idle-connections", 0, FS_POOL_MAX_IDLE, "0" },
};

/* [run] keys go to the pool as gint options, hence the upper bound. */
#define RUN_MAX G_MAXINT
#define DEFAULT_TIMEOUT 60
#define DEFAULT_REPEAT 1
#define DEFAULT_RUNS 1

typedef union {
  FsMode       mode;
  FsClientMode client_mode;
  FsOperation  operation;
  FsTransfer   transfer;
  double       volume;
  guint        count;
} Value;

static GArray **
dim_array (FsMatrix *matrix, Dim dim)
{
  switch (dim)
    {
    case DIM_MODE: return &matrix->modes;
    case DIM_CLIENT_MODE: return &matrix->client_modes;
    case DIM_OPERATION: return &matrix->operations;
    case DIM_TRANSFER: return &matrix->transfers;
    case DIM_VOLUME: return &matrix->volumes;
    case DIM_CLIENT_POOL: return &matrix->client_pools;
    case DIM_IDLE: return &matrix->idles;
    case DIM_SERVER_POOL:
    default: return &matrix->server_pools;
    }
}

static GArray *
dim_array_new (Dim dim)
{
  switch (dim)
    {
    case DIM_MODE: return g_array_new (FALSE, FALSE, sizeof (FsMode));
    case DIM_CLIENT_MODE: return g_array_new (FALSE, FALSE, sizeof (FsClientMode));
    case DIM_OPERATION: return g_array_new (FALSE, FALSE, sizeof (FsOperation));
    case DIM_TRANSFER: return g_array_new (FALSE, FALSE, sizeof (FsTransfer));
    case DIM_VOLUME: return g_array_new (FALSE, FALSE, sizeof (double));
    default: return g_array_new (FALSE, FALSE, sizeof (guint));
    }
}

static Value
dim_get (GArray *array, Dim dim, guint i)
{
  Value v;

  switch (dim)
    {
    case DIM_MODE: v.mode = g_array_index (array, FsMode, i); break;
    case DIM_CLIENT_MODE: v.client_mode = g_array_index (array, FsClientMode, i); break;
    case DIM_OPERATION: v.operation = g_array_index (array, FsOperation, i); break;
    case DIM_TRANSFER: v.transfer = g_array_index (array, FsTransfer, i); break;
    case DIM_VOLUME: v.volume = g_array_index (array, double, i); break;
    default: v.count = g_array_index (array, guint, i); break;
    }
  return v;
}

static void
dim_append (GArray *array, Dim dim, const Value *v)
{
  switch (dim)
    {
    case DIM_MODE: g_array_append_val (array, v->mode); break;
    case DIM_CLIENT_MODE: g_array_append_val (array, v->client_mode); break;
    case DIM_OPERATION: g_array_append_val (array, v->operation); break;
    case DIM_TRANSFER: g_array_append_val (array, v->transfer); break;
    case DIM_VOLUME: g_array_append_val (array, v->volume); break;
    default: g_array_append_val (array, v->count); break;
    }
}

static gboolean
value_equal (Dim dim, const Value *a, const Value *b)
{
  switch (dim)
    {
    case DIM_MODE: return a->mode == b->mode;
    case DIM_CLIENT_MODE: return a->client_mode == b->client_mode;
    case DIM_OPERATION: return a->operation == b->operation;
    case DIM_TRANSFER: return a->transfer == b->transfer;
    /* Numerically, so "10", "10.0" and "1e1" are one volume. */
    case DIM_VOLUME: return a->volume == b->volume;
    default: return a->count == b->count;
    }
}

static char *
value_format (Dim dim, const Value *v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  switch (dim)
    {
    case DIM_MODE: return g_strdup (fs_mode_name (v->mode));
    case DIM_CLIENT_MODE: return g_strdup (fs_client_mode_name (v->client_mode));
    case DIM_OPERATION: return g_strdup (fs_pool_operation_name (v->operation));
    case DIM_TRANSFER: return g_strdup (fs_pool_transfer_name (v->transfer));
    case DIM_VOLUME: return g_strdup (fs_format_number (v->volume, buf));
    default: return g_strdup_printf ("%u", v->count);
    }
}

/* Parses a whole number in min..max. On failure returns the reason,
 * without the value ("not between 1 and 10000"), for the caller to place
 * the value where its message wants it. */
static char *
parse_count (const char *text, guint min, guint max, guint *out)
{
  g_autoptr(GError) local = NULL;
  gint64 n;

  if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &n, &local))
    {
      if (!g_error_matches (local, G_NUMBER_PARSER_ERROR, G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS))
        return g_strdup ("not a whole number");
      n = text[0] == '-' ? G_MININT64 : G_MAXINT64;
    }
  /* [run]'s bound is only there to fit the pool's options. */
  if (max == RUN_MAX && n < (gint64) min)
    return g_strdup_printf ("less than %u", min);
  if (max == RUN_MAX && n > (gint64) max)
    return g_strdup_printf ("more than %u", max);
  if (n < (gint64) min || n > (gint64) max)
    return g_strdup_printf ("not between %u and %u", min, max);
  *out = (guint) n;
  return NULL;
}

/* Parses one value of a dimension, the same way for the file and for
 * fs_matrix_restrict(); returns the reason on failure as parse_count(). */
static char *
parse_value (Dim dim, const char *text, Value *out)
{
  char *end = NULL;

  switch (dim)
    {
    case DIM_MODE:
      if (!fs_mode_parse (text, &out->mode, NULL))
        return g_strdup ("not a mode (thread, process or event)");
      return NULL;
    case DIM_CLIENT_MODE:
      if (!fs_client_mode_parse (text, &out->client_mode, NULL))
        return g_strdup ("not a client mode (thread, process or same)");
      return NULL;
    case DIM_OPERATION:
      /* Accepts "get" for download, as filestorm-pool does. */
      if (!fs_pool_operation_parse (text, &out->operation, NULL))
        return g_strdup ("not an operation (upload, download or list)");
      return NULL;
    case DIM_TRANSFER:
      if (!fs_pool_transfer_parse (text, &out->transfer, NULL))
        return g_strdup ("not a transfer (base64 or raw)");
      return NULL;
    case DIM_VOLUME:
      /* By hand rather than g_key_file_get_double_list(): the same parser
       * serves --volume, and the message can name the one bad item. */
      out->volume = g_ascii_strtod (text, &end);
      if (end == text || *end != '\0')
        return g_strdup ("not a number of MiB (KiB with --quick), such as 10");
      if (!isfinite (out->volume))
        return g_strdup ("not a finite number");
      if (out->volume <= 0)
        return g_strdup ("not a positive number");
      return NULL;
    case DIM_CLIENT_POOL:
    case DIM_SERVER_POOL:
    case DIM_IDLE:
    default:
      return parse_count (text, dims[dim].min, dims[dim].max, &out->count);
    }
}

static char *
dim_list_format (GArray *array, Dim dim)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < array->len; i++)
    {
      Value v = dim_get (array, dim, i);
      g_autofree char *text = value_format (dim, &v);

      if (i > 0)
        g_string_append (s, ", ");
      g_string_append (s, text);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
usage_error (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
usage_error (GError **error, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, FS_ERROR, FS_ERROR_USAGE, message);
  return FALSE;
}

static gboolean
load_dim (FsMatrix *matrix, GKeyFile *kf, const char *name, Dim dim, GError **error)
{
  const char *key = dims[dim].file_key;
  g_autoptr(GArray) array = dim_array_new (dim);
  g_auto(GStrv) items = NULL;
  g_autoptr(GError) local = NULL;
  gsize n = 0;

  if (!g_key_file_has_key (kf, "matrix", key, NULL) && dims[dim].absent != NULL)
    {
      items = g_strsplit (dims[dim].absent, ";", -1);
      n = g_strv_length (items);
    }
  else if (!g_key_file_has_key (kf, "matrix", key, NULL))
    return usage_error (error, "%s: [matrix] %s: missing (every key of [matrix] but "
                        "client_modes, transfers and idle is required)", name, key);
  else
    items = fs_key_file_get_string_list (kf, "matrix", key, &n, &local);
  if (local != NULL)
    return usage_error (error, "%s: [matrix] %s: %s", name, key, local->message);
  if (n == 0)
    return usage_error (error, "%s: [matrix] %s: empty list", name, key);

  for (gsize i = 0; i < n; i++)
    {
      const char *text = g_strstrip (items[i]);
      g_autofree char *why = NULL;
      Value v;

      if (*text == '\0')
        return usage_error (error, "%s: [matrix] %s: empty item %" G_GSIZE_FORMAT
                            " in the list", name, key, i + 1);
      why = parse_value (dim, text, &v);
      if (why != NULL)
        return usage_error (error, "%s: [matrix] %s: %s is %s", name, key, text, why);
      for (guint j = 0; j < array->len; j++)
        {
          Value seen = dim_get (array, dim, j);

          if (value_equal (dim, &seen, &v))
            {
              g_autofree char *shown = value_format (dim, &v);

              return usage_error (error, "%s: [matrix] %s: %s is listed twice", name, key,
                                  shown);
            }
        }
      dim_append (array, dim, &v);
    }
  *dim_array (matrix, dim) = g_steal_pointer (&array);
  return TRUE;
}

/* [run]'s key as text, stripped, in *text; NULL when absent. */
static gboolean
run_text (GKeyFile *kf, const char *name, const char *key, char **text, GError **error)
{
  g_autoptr(GError) local = NULL;

  *text = NULL;
  if (!g_key_file_has_key (kf, "run", key, NULL))
    return TRUE;
  *text = fs_key_file_get_string (kf, "run", key, &local);
  if (*text == NULL)
    return usage_error (error, "%s: [run] %s: %s", name, key, local->message);
  g_strstrip (*text);
  return TRUE;
}

static gboolean
load_run (GKeyFile *kf, const char *name, const char *key, guint dflt, guint max, guint *out,
          GError **error)
{
  g_autofree char *text = NULL;
  g_autofree char *why = NULL;

  *out = dflt;
  if (!run_text (kf, name, key, &text, error))
    return FALSE;
  why = text != NULL ? parse_count (text, 1, max, out) : NULL;
  if (why != NULL)
    return usage_error (error, "%s: [run] %s: %s is %s", name, key, text, why);
  return TRUE;
}

/* [run] duration= or warmup=: *out is left 0 when the key is absent. */
static gboolean
load_seconds (GKeyFile *kf, const char *name, const char *key, gboolean zero, double *out,
              GError **error)
{
  g_autofree char *text = NULL;
  g_autofree char *why = NULL;

  *out = 0;
  if (!run_text (kf, name, key, &text, error))
    return FALSE;
  why = text != NULL ? fs_matrix_parse_seconds (text, zero, out) : NULL;
  if (why != NULL)
    return usage_error (error, "%s: [run] %s: %s is %s", name, key, text, why);
  return TRUE;
}

/* [run]'s steady state: duration= (with an optional warmup=) or repeat=,
 * never both, since either would silently overrule the other. */
static gboolean
load_steady (GKeyFile *kf, const char *name, FsMatrix *matrix, GError **error)
{
  gboolean has_duration = g_key_file_has_key (kf, "run", "duration", NULL);

  if (has_duration && g_key_file_has_key (kf, "run", "repeat", NULL))
    return usage_error (error, "%s: [run] repeat and duration cannot both be set: give a "
                        "count of operations or a time, not both", name);
  if (!has_duration && g_key_file_has_key (kf, "run", "warmup", NULL))
    return usage_error (error, "%s: [run] warmup needs duration: a warm-up comes before a "
                        "measured duration", name);
  if (!load_seconds (kf, name, "duration", FALSE, &matrix->duration, error)
      || !load_seconds (kf, name, "warmup", TRUE, &matrix->warmup, error))
    return FALSE;
  if (has_duration)
    {
      matrix->repeat = 0;
      return TRUE;
    }
  return load_run (kf, name, "repeat", DEFAULT_REPEAT, RUN_MAX, &matrix->repeat, error);
}

/* [run] slo=: the objective of a capacity search (search.h). */
static gboolean
load_slo (GKeyFile *kf, const char *name, FsMatrix *matrix, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;

  if (!run_text (kf, name, "slo", &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  if (!fs_slo_parse (text, &matrix->slo, &local))
    /* "--slo: ..." names the option; the file names its key. */
    return usage_error (error, "%s: [run] slo: %s", name,
                        g_str_has_prefix (local->message, "--slo: ")
                        ? local->message + 7 : local->message);
  matrix->search = TRUE;
  return TRUE;
}

/* Refuses groups and keys the format does not define, and keys set twice
 * (GKeyFile would keep the last one without a word). */
static gboolean
check_known (GKeyFile *kf, const char *name, GError **error)
{
  static const char *const run_keys[] = { "timeout", "repeat", "duration", "warmup", "runs",
                                           "slo", NULL };
  g_auto(GStrv) groups = g_key_file_get_groups (kf, NULL);

  for (guint g = 0; groups[g] != NULL; g++)
    {
      gboolean is_matrix = g_str_equal (groups[g], "matrix");
      g_auto(GStrv) keys = NULL;

      if (!is_matrix && !g_str_equal (groups[g], "run"))
        return usage_error (error, "%s: unknown group [%s] (expected [matrix] or [run])",
                            name, groups[g]);
      keys = g_key_file_get_keys (kf, groups[g], NULL, NULL);
      for (guint k = 0; keys[k] != NULL; k++)
        {
          gboolean known = FALSE;

          if (is_matrix)
            {
              for (guint d = 0; d < N_DIMS; d++)
                known = known || g_str_equal (keys[k], dims[d].file_key);
            }
          else
            known = g_strv_contains (run_keys, keys[k]);
          if (!known)
            return usage_error (error, "%s: [%s] %s: unknown key", name, groups[g], keys[k]);
          for (guint j = 0; j < k; j++)
            if (g_str_equal (keys[j], keys[k]))
              return usage_error (error, "%s: [%s] %s: set twice", name, groups[g], keys[k]);
        }
    }
  return TRUE;
}

FsMatrix *
fs_matrix_load_data (const char *data, gsize len, const char *name, GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(FsMatrix) matrix = g_new0 (FsMatrix, 1);
  g_autoptr(GError) local = NULL;

  /* KEEP_TRANSLATIONS so that "modes[de]=..." shows up as an unknown key
   * instead of vanishing. */
  if (!g_key_file_load_from_data (kf, data, len, G_KEY_FILE_KEEP_TRANSLATIONS, &local))
    {
      usage_error (error, "%s: %s", name, local->message);
      return NULL;
    }
  if (!check_known (kf, name, error))
    return NULL;
  if (!g_key_file_has_group (kf, "matrix"))
    {
      usage_error (error, "%s: no [matrix] group", name);
      return NULL;
    }
  for (guint d = 0; d < N_DIMS; d++)
    if (!load_dim (matrix, kf, name, d, error))
      return NULL;
  {
    /* Stops growing once past the limit: no list is longer than the
     * file, so the product cannot overflow. */
    guint64 n = 1;

    for (guint d = 0; d < N_DIMS && n <= FS_MATRIX_MAX_SCENARIOS; d++)
      n *= (*dim_array (matrix, d))->len;
    if (n > FS_MATRIX_MAX_SCENARIOS)
      {
        usage_error (error, "%s: [matrix] holds more than %u scenarios", name,
                     FS_MATRIX_MAX_SCENARIOS);
        return NULL;
      }
  }
  if (!load_run (kf, name, "timeout", DEFAULT_TIMEOUT, RUN_MAX, &matrix->timeout, error)
      || !load_steady (kf, name, matrix, error)
      || !load_run (kf, name, "runs", DEFAULT_RUNS, FS_MATRIX_MAX_RUNS, &matrix->runs, error)
      || !load_slo (kf, name, matrix, error))
    return NULL;
  return g_steal_pointer (&matrix);
}

FsMatrix *
fs_matrix_load (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  /* The GFileError already names the file. */
  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  return fs_matrix_load_data (data, len, path, error);
}

void
fs_matrix_free (FsMatrix *matrix)
{
  if (matrix == NULL)
    return;
  for (guint d = 0; d < N_DIMS; d++)
    g_clear_pointer (dim_array (matrix, d), g_array_unref);
  g_free (matrix);
}

/* One item of an option's list (item is stripped in place): its text, or
 * NULL with the error when it is empty or not a value of dim. */
static const char *
option_item (Dim dim, const char *key, const char *list, char *item, Value *v, GError **error)
{
  const char *text = g_strstrip (item);
  g_autofree char *why = NULL;

  if (*text == '\0')
    {
      usage_error (error, "--%s: empty value in '%s'", key, list);
      return NULL;
    }
  why = parse_value (dim, text, v);
  if (why != NULL)
    {
      usage_error (error, "--%s %s: %s", key, text, why);
      return NULL;
    }
  return text;
}

gboolean
fs_matrix_restrict (FsMatrix *matrix, const char *key, const char *list, GError **error)
{
  g_autoptr(GArray) wanted = NULL;
  g_autoptr(GArray) kept = NULL;
  g_auto(GStrv) items = NULL;
  GArray **array;
  Dim dim = N_DIMS;

  for (guint d = 0; d < N_DIMS; d++)
    if (g_strcmp0 (key, dims[d].option) == 0)
      dim = d;
  if (dim == N_DIMS)
    return usage_error (error, "no matrix dimension called '%s'", key);
  array = dim_array (matrix, dim);

  wanted = dim_array_new (dim);
  items = g_strsplit (list != NULL ? list : "", ",", -1);
  if (items[0] == NULL)
    return usage_error (error, "--%s: empty list", key);
  for (guint i = 0; items[i] != NULL; i++)
    {
      gboolean found = FALSE;
      Value v;
      const char *text = option_item (dim, key, list, items[i], &v, error);

      if (text == NULL)
        return FALSE;
      for (guint j = 0; j < (*array)->len && !found; j++)
        {
          Value have = dim_get (*array, dim, j);

          found = value_equal (dim, &have, &v);
        }
      if (!found)
        {
          g_autofree char *all = dim_list_format (*array, dim);

          return usage_error (error, "--%s %s: not in the matrix (%s)", key, text, all);
        }
      dim_append (wanted, dim, &v);
    }

  /* In the matrix's order, not the option's, so a restricted run is a
   * subsequence of the full one and results line up. */
  kept = dim_array_new (dim);
  for (guint j = 0; j < (*array)->len; j++)
    {
      Value have = dim_get (*array, dim, j);

      for (guint i = 0; i < wanted->len; i++)
        {
          Value want = dim_get (wanted, dim, i);

          if (value_equal (dim, &have, &want))
            {
              dim_append (kept, dim, &have);
              break;
            }
        }
    }
  g_array_unref (*array);
  *array = g_steal_pointer (&kept);
  return TRUE;
}

/* A value of a dimension whose values are small enums or counts, as a
 * number to order them by. */
static guint
value_key (Dim dim, const Value *v)
{
  return dim == DIM_MODE ? (guint) v->mode
         : dim == DIM_CLIENT_MODE ? (guint) v->client_mode : v->count;
}

static gint
compare_keys (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return (x > y) - (x < y);
}

/* Sets dimension dim (modes, client modes or idle connections) to list,
 * kept in increasing order (the enums' declared order) rather than as
 * typed, so that a run does not depend on how the option was written. */
static gboolean
set_dim (FsMatrix *matrix, Dim dim, const char *list, GError **error)
{
  const char *key = dims[dim].option;
  g_auto(GStrv) items = g_strsplit (list != NULL ? list : "", ",", -1);
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (guint));
  GArray *array = *dim_array (matrix, dim);

  if (items[0] == NULL)
    return usage_error (error, "--%s: empty list", key);
  for (guint i = 0; items[i] != NULL; i++)
    {
      Value v;
      const char *text = option_item (dim, key, list, items[i], &v, error);
      guint at;

      if (text == NULL)
        return FALSE;
      at = value_key (dim, &v);
      /* A value typed twice is a slip, not two axes. */
      for (guint j = 0; j < keys->len; j++)
        if (g_array_index (keys, guint, j) == at)
          return usage_error (error, "--%s %s: listed twice", key, text);
      g_array_append_val (keys, at);
    }
  g_array_sort (keys, compare_keys);
  g_array_set_size (array, 0);
  for (guint i = 0; i < keys->len; i++)
    {
      guint at = g_array_index (keys, guint, i);
      Value v = { .count = at };

      if (dim == DIM_MODE)
        v.mode = (FsMode) at;
      else if (dim == DIM_CLIENT_MODE)
        v.client_mode = (FsClientMode) at;
      dim_append (array, dim, &v);
    }
  return TRUE;
}

gboolean
fs_matrix_set_client_modes (FsMatrix *matrix, const char *list, GError **error)
{
  return set_dim (matrix, DIM_CLIENT_MODE, list, error);
}

gboolean
fs_matrix_set_modes (FsMatrix *matrix, const char *list, GError **error)
{
  return set_dim (matrix, DIM_MODE, list, error);
}

gboolean
fs_matrix_set_idle (FsMatrix *matrix, const char *list, GError **error)
{
  return set_dim (matrix, DIM_IDLE, list, error);
}

GArray *
fs_matrix_expand (const FsMatrix *matrix, gboolean quick, double scale)
{
  guint n = matrix->modes->len * matrix->client_modes->len * matrix->idles->len
            * matrix->operations->len * matrix->transfers->len * matrix->volumes->len
            * matrix->client_pools->len * matrix->server_pools->len;
  GArray *out = g_array_sized_new (FALSE, TRUE, sizeof (FsScenario), n);
  guint index = 0;

  for (guint m = 0; m < matrix->modes->len; m++)
    for (guint cm = 0; cm < matrix->client_modes->len; cm++)
    for (guint k = 0; k < matrix->idles->len; k++)
    for (guint o = 0; o < matrix->operations->len; o++)
      for (guint t = 0; t < matrix->transfers->len; t++)
        for (guint v = 0; v < matrix->volumes->len; v++)
          for (guint c = 0; c < matrix->client_pools->len; c++)
            for (guint s = 0; s < matrix->server_pools->len; s++)
              {
                FsScenario sc = {
                  .mode = g_array_index (matrix->modes, FsMode, m),
                  .client_mode = g_array_index (matrix->client_modes, FsClientMode, cm),
                  .operation = g_array_index (matrix->operations, FsOperation, o),
                  .transfer = g_array_index (matrix->transfers, FsTransfer, t),
                  .volume = g_array_index (matrix->volumes, double, v),
                  .client_pool = g_array_index (matrix->client_pools, guint, c),
                  .server_pool = g_array_index (matrix->server_pools, guint, s),
                  .idle = g_array_index (matrix->idles, guint, k),
                };

                /* List moves no content: once, as base64, whatever the
                 * transfers. */
                if (sc.operation == FS_OP_LIST && t > 0)
                  continue;
                if (sc.operation == FS_OP_LIST)
                  sc.transfer = FS_TRANSFER_BASE64;
                sc.index = ++index;
                sc.volume_mb = sc.volume * scale / (quick ? 1024.0 : 1.0);
                g_array_append_val (out, sc);
              }
  return out;
}

JsonNode *
fs_matrix_to_json (const FsMatrix *matrix)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  for (guint d = 0; d < N_DIMS; d++)
    {
      GArray *array = *dim_array ((FsMatrix *) matrix, d);

      json_builder_set_member_name (b, dims[d].file_key);
      json_builder_begin_array (b);
      for (guint i = 0; i < array->len; i++)
        {
          Value v = dim_get (array, d, i);
          g_autofree char *text = NULL;

          if (d == DIM_VOLUME)
            json_builder_add_double_value (b, v.volume);
          else if (d == DIM_CLIENT_POOL || d == DIM_SERVER_POOL || d == DIM_IDLE)
            json_builder_add_int_value (b, v.count);
          else
            {
              text = value_format (d, &v);
              json_builder_add_string_value (b, text);
            }
        }
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "timeout");
  json_builder_add_int_value (b, matrix->timeout);
  /* The one of repeat and duration in force; the other is null. */
  json_builder_set_member_name (b, "repeat");
  if (matrix->duration > 0)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, matrix->repeat);
  json_builder_set_member_name (b, "duration");
  if (matrix->duration > 0)
    json_builder_add_double_value (b, matrix->duration);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "warmup");
  json_builder_add_double_value (b, matrix->warmup);
  json_builder_set_member_name (b, "runs");
  json_builder_add_int_value (b, matrix->runs);
  /* The objective of a capacity search, null when none ran. */
  json_builder_set_member_name (b, "slo");
  if (matrix->search)
    {
      g_autofree char *slo = fs_slo_text (&matrix->slo);
      json_builder_add_string_value (b, slo);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
