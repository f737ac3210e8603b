/* machine.c: what the machine is, read from /proc, uname and os-release. */
#include "config.h"

#include "machine.h"

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

static char *
cpu_model (void)
{
  g_autofree char *text = NULL;
  char *p, *end;

  if (!g_file_get_contents ("/proc/cpuinfo", &text, NULL, NULL)
      || (p = strstr (text, "model name")) == NULL || (p = strchr (p, ':')) == NULL)
    return g_strdup ("unknown");
  end = strchr (p, '\n');
  if (end != NULL)
    *end = '\0';
  return g_strstrip (g_strdup (p + 1));
}

static guint64
ram_bytes (void)
{
  g_autofree char *text = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/meminfo", &text, NULL, NULL)
      || (p = strstr (text, "MemTotal:")) == NULL)
    return 0;
  return g_ascii_strtoull (p + strlen ("MemTotal:"), NULL, 10) * 1024;
}

/* Unescapes mountinfo's octal escapes ("\040" for a space) in place. */
static void
unescape (char *s)
{
  char *out = s;

  for (char *p = s; *p != '\0'; p++)
    {
      if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7'
          && p[3] >= '0' && p[3] <= '7')
        {
          *out++ = (char) ((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
          p += 3;
        }
      else
        *out++ = *p;
    }
  *out = '\0';
}

/* Whether mount point mnt holds path: equal, or a directory above it. */
static gboolean
holds (const char *mnt, const char *path)
{
  gsize n = strlen (mnt);

  if (strcmp (mnt, "/") == 0)
    return TRUE;
  return strncmp (mnt, path, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

char *
fs_machine_fs_type (const char *path)
{
  g_autofree char *real = realpath (path, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  char *best = NULL;
  gsize best_len = 0;

  if (real == NULL || !g_file_get_contents ("/proc/self/mountinfo", &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  /* "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw": the
   * mount point is the fifth field, the type the first after " - ".
   * Later lines mount over earlier ones, so among equal lengths the last
   * one counts. The kernel lists only the mounts whose mount point this
   * process can reach: in a chroot whose root is not itself a mount point,
   * no line holds "/", and the type stays unknown rather than guessed. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", -1);
      const char *sep = strstr (lines[i], " - ");
      g_auto(GStrv) tail = NULL;

      if (g_strv_length (f) < 5 || sep == NULL)
        continue;
      unescape (f[4]);
      if (!holds (f[4], real) || strlen (f[4]) < best_len)
        continue;
      tail = g_strsplit (sep + 3, " ", 2);
      if (tail[0] == NULL || tail[0][0] == '\0')
        continue;
      g_free (best);
      best = g_strdup (tail[0]);
      best_len = strlen (f[4]);
    }
  return best;
}

void
fs_machine_read (FsMachine *m, const char *roots_dir)
{
  g_autofree char *loadavg = NULL;
  struct utsname u;

  memset (m, 0, sizeof *m);
  m->cpu_model = cpu_model ();
  m->logical_cores = g_get_num_processors ();
  m->ram_bytes = ram_bytes ();
  m->kernel = uname (&u) == 0 ? g_strdup_printf ("%s %s", u.sysname, u.release)
                              : g_strdup ("unknown");
  m->os = g_get_os_info (G_OS_INFO_KEY_PRETTY_NAME);
  if (m->os == NULL)
    m->os = g_strdup ("unknown");
  m->roots_dir = g_strdup (roots_dir);
  m->roots_fs = fs_machine_fs_type (roots_dir);
  if (m->roots_fs == NULL)
    m->roots_fs = g_strdup ("unknown");
  if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    {
      char *p = loadavg;
      for (int i = 0; i < 3; i++)
        m->load[i] = g_ascii_strtod (p, &p);
    }
  m->busy = m->load[0] >= FS_MACHINE_BUSY_LOAD_PER_CORE * m->logical_cores;
}

void
fs_machine_clear (FsMachine *m)
{
  g_clear_pointer (&m->cpu_model, g_free);
  g_clear_pointer (&m->kernel, g_free);
  g_clear_pointer (&m->os, g_free);
  g_clear_pointer (&m->roots_fs, g_free);
  g_clear_pointer (&m->roots_dir, g_free);
}

JsonNode *
fs_machine_to_json (const FsMachine *m)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "cpu_model");
  json_builder_add_string_value (b, m->cpu_model);
  json_builder_set_member_name (b, "logical_cores");
  json_builder_add_int_value (b, m->logical_cores);
  json_builder_set_member_name (b, "ram_bytes");
  json_builder_add_int_value (b, (gint64) m->ram_bytes);
  json_builder_set_member_name (b, "kernel");
  json_builder_add_string_value (b, m->kernel);
  json_builder_set_member_name (b, "os");
  json_builder_add_string_value (b, m->os);
  json_builder_set_member_name (b, "roots_dir");
  json_builder_add_string_value (b, m->roots_dir);
  json_builder_set_member_name (b, "roots_filesystem");
  json_builder_add_string_value (b, m->roots_fs);
  json_builder_set_member_name (b, "load_average");
  json_builder_begin_array (b);
  for (int i = 0; i < 3; i++)
    json_builder_add_double_value (b, m->load[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "busy");
  json_builder_add_boolean_value (b, m->busy);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
