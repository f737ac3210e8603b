/* fuzz-server-config.c: filestorm-server's --config parser
 * (src/server/server-config.c) on any text: it applies the file or says why,
 * and what it applies is within the options' ranges. */
#include "config.h"

#include <stdlib.h>

#include "fuzz.h"
#include "server.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  FsServerConfig config;

  fs_server_config_init (&config);
  if (fs_server_config_load_data (&config, (const char *) data, size, "fuzz.conf", &error))
    {
      FUZZ_CHECK (error == NULL);
      FUZZ_CHECK (config.pool >= 1 && config.pool <= FS_SERVER_MAX_POOL);
      FUZZ_CHECK (config.port <= 65535);
      FUZZ_CHECK (config.max_upload >= 1 && config.max_upload <= FS_SERVER_MAX_MAX_UPLOAD);
      FUZZ_CHECK (config.min_rate <= FS_SERVER_MAX_MIN_RATE);
      FUZZ_CHECK (config.host != NULL && config.host[0] != '\0');
      FUZZ_CHECK (config.root != NULL && config.root[0] != '\0');
    }
  else
    FUZZ_CHECK (error != NULL && g_str_has_prefix (error->message, "fuzz.conf: "));
  fs_server_config_clear (&config);
  return 0;
}
