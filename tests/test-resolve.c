/* test-resolve.c: a name's every address (src/wire/resolve.c), a connection
 * that tries them in turn, and a server that listens on each of them
 * (fs_server_listen() in src/server/listeners.c, the acceptor of
 * src/server/accept.c), over real loopback sockets. None of it depends on what /etc/hosts says
 * of localhost: the lists of two families are built by hand. */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "accept.h"
#include "errors.h"
#include "resolve.h"
#include "server.h"
#include "util.h"

static GSocketAddress *
address_new (const char *ip, guint port)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (ip);

  g_assert_nonnull (inet);
  return g_inet_socket_address_new (inet, port);
}

static GPtrArray *
list_of (const char *first_ip, guint first_port, const char *second_ip, guint second_port)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (list, address_new (first_ip, first_port));
  if (second_ip != NULL)
    g_ptr_array_add (list, address_new (second_ip, second_port));
  return list;
}

/* A listening socket on ip, port 0 for any free one; *port gets it. */
static GSocket *
listening (const char *ip, guint want, guint *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) at = address_new (ip, want);
  g_autoptr(GSocket) socket = g_socket_new (g_socket_address_get_family (at),
                                            G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                            &error);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  if (!g_socket_bind (socket, at, TRUE, &error))
    {
      g_test_message ("cannot bind %s:%u: %s", ip, want, error->message);
      return NULL;
    }
  g_assert_true (g_socket_listen (socket, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return g_steal_pointer (&socket);
}

/* A port on ip that nothing listens on: bound, read, closed. */
static guint
closed_port (const char *ip)
{
  guint port = 0;
  g_autoptr(GSocket) socket = listening (ip, 0, &port);

  if (socket == NULL)
    return 0;
  g_socket_close (socket, NULL);
  return port;
}

/* Whether this machine has ::1 at all (a container without IPv6 has not). */
static gboolean
have_ipv6_loopback (void)
{
  if (closed_port ("::1") != 0)
    return TRUE;
  g_test_skip ("no ::1 on this machine");
  return FALSE;
}

/* ------------------------------------------------------------ resolving */

static void
test_resolve_numeric (void)
{
  const char *ips[] = { "127.0.0.1", "::1" };

  for (gsize i = 0; i < G_N_ELEMENTS (ips); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) list = fs_resolve (ips[i], 7000, FALSE, &error);
      g_autofree char *ip = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (list->len, ==, 1);
      ip = g_inet_address_to_string (g_inet_socket_address_get_address (list->pdata[0]));
      g_assert_cmpstr (ip, ==, ips[i]);
      g_assert_cmpuint (g_inet_socket_address_get_port (list->pdata[0]), ==, 7000);
    }
}

/* localhost gives every address getaddrinfo() has for it, in its order,
 * each once: ::1 and 127.0.0.1 with Debian's stock /etc/hosts, where a
 * resolver that kept the first would give ::1 alone. */
static void
test_resolve_every_address (void)
{
  struct addrinfo hints = { .ai_socktype = SOCK_STREAM };
  struct addrinfo *ai = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = fs_resolve ("localhost", 9, FALSE, &error);
  g_autoptr(GPtrArray) want = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  g_assert_cmpint (getaddrinfo ("localhost", NULL, &hints, &ai), ==, 0);
  for (struct addrinfo *p = ai; p != NULL; p = p->ai_next)
    {
      char host[NI_MAXHOST];

      g_assert_cmpint (getnameinfo (p->ai_addr, p->ai_addrlen, host, sizeof host, NULL, 0,
                                    NI_NUMERICHOST), ==, 0);
      if (!g_ptr_array_find_with_equal_func (want, host, g_str_equal, NULL))
        g_ptr_array_add (want, g_strdup (host));
    }
  freeaddrinfo (ai);
  g_assert_cmpuint (list->len, ==, want->len);
  for (guint i = 0; i < list->len; i++)
    {
      g_autofree char *ip = g_inet_address_to_string (
        g_inet_socket_address_get_address (list->pdata[i]));

      g_test_message ("localhost %u: %s", i, ip);
      g_assert_cmpstr (ip, ==, want->pdata[i]);
      g_assert_true (fs_address_is_loopback (list->pdata[i]));
    }
}

static void
test_resolve_unknown (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = fs_resolve ("no-such-host.invalid", 9, FALSE, &error);

  g_assert_null (list);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "'no-such-host.invalid'"));
}

static void
test_loopback (void)
{
  const struct { const char *ip; gboolean loopback; } cases[] = {
    { "127.0.0.1", TRUE }, { "127.1.2.3", TRUE }, { "::1", TRUE },
    { "::ffff:127.0.0.1", TRUE }, { "10.0.0.1", FALSE }, { "0.0.0.0", FALSE },
    { "::", FALSE }, { "::ffff:10.0.0.1", FALSE }, { "128.0.0.1", FALSE },
  };
  g_autoptr(GPtrArray) mixed = list_of ("127.0.0.1", 7000, "10.0.0.1", 7000);
  g_autoptr(GPtrArray) both = list_of ("::1", 7000, "127.0.0.1", 7000);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GSocketAddress) a = address_new (cases[i].ip, 1);

      g_test_message ("%s", cases[i].ip);
      g_assert_cmpint (fs_address_is_loopback (G_INET_SOCKET_ADDRESS (a)), ==,
                       cases[i].loopback);
    }
  /* Every address must be loopback, not only the first. */
  g_assert_true (fs_check_loopback ("two", both, &error));
  g_assert_no_error (error);
  g_assert_false (fs_check_loopback ("mixed", mixed, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_USAGE);
  g_assert_true (g_str_has_prefix (error->message, "mixed is not a loopback address"));
}

/* ------------------------------------------------------------ connecting */

/* The first address refuses (a closed port on ::1), the second accepts
 * (127.0.0.1): the connection is made to the second, as GSocketClient
 * does with a name's addresses. The same port on both when it is free
 * on 127.0.0.1, as a server on one family of localhost would be. */
static void
test_connect_falls_back (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) server = NULL;
  g_autoptr(GSocket) client = NULL;
  g_autoptr(GSocket) accepted = NULL;
  g_autoptr(GPtrArray) list = NULL;
  guint closed, port = 0, chosen = 99;

  if (!have_ipv6_loopback ())
    return;
  closed = closed_port ("::1");
  server = listening ("127.0.0.1", closed, &port);
  if (server == NULL)
    server = listening ("127.0.0.1", 0, &port);
  g_assert_nonnull (server);
  list = list_of ("::1", closed, "127.0.0.1", port);
  client = fs_connect_first ((GSocketAddress *const *) list->pdata, list->len, 5, &chosen,
                             &error);
  g_assert_no_error (error);
  g_assert_nonnull (client);
  g_assert_cmpuint (chosen, ==, 1);
  /* It is the listener's connection, not something else's. */
  g_socket_set_timeout (server, 5);
  accepted = g_socket_accept (server, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (accepted);
}

/* When every address refuses: one line that names each once, and asks. */
static void
test_connect_all_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GSocket) client = NULL;
  g_autofree char *want = NULL;
  guint port;

  if (!have_ipv6_loopback ())
    return;
  port = closed_port ("::1");
  list = list_of ("::1", port, "127.0.0.1", port);
  client = fs_connect_first ((GSocketAddress *const *) list->pdata, list->len, 5, NULL, &error);
  g_assert_null (client);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  want = g_strdup_printf ("cannot connect to [::1]:%u or 127.0.0.1:%u: %s; "
                          "is a filestorm-server listening there?", port, port,
                          g_strerror (ECONNREFUSED));
  g_assert_cmpstr (error->message, ==, want);
}

/* ------------------------------------------------------------ listening */

/* Connects to address and checks that the acceptor takes it. */
static void
assert_served (GSocketAddress *address, FsAcceptor *acceptor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) client = fs_connect_first (&address, 1, 5, NULL, &error);
  int fd;

  g_assert_no_error (error);
  fd = fs_acceptor_accept (acceptor, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
}

/* [127.0.0.1:0, ::1:0]: the first gets a free port, the second the same
 * one, and one acceptor (what each thread or worker has) takes the
 * connections of both. */
static void
test_listen_every_address (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) listeners = NULL;
  g_autoptr(GCancellable) stop = g_cancellable_new ();
  g_autoptr(FsAcceptor) acceptor = NULL;
  guint port[2];

  if (!have_ipv6_loopback ())
    return;
  list = list_of ("127.0.0.1", 0, "::1", 0);
  listeners = fs_server_listen (list, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listeners->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (listeners->pdata[i],
                                                                    &error);
      g_autofree char *shown = NULL;

      g_assert_no_error (error);
      shown = fs_format_address (G_INET_SOCKET_ADDRESS (local));
      g_test_message ("listening on %s", shown);
      port[i] = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
      g_assert_cmpuint (port[i], >, 0);
    }
  g_assert_cmpuint (port[0], ==, port[1]);

  acceptor = fs_acceptor_new (listeners, stop, &error);
  g_assert_no_error (error);
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GSocketAddress) v6 = address_new ("::1", port[0]);
      g_autoptr(GSocketAddress) v4 = address_new ("127.0.0.1", port[0]);

      assert_served (v6, acceptor);
      assert_served (v4, acceptor);
    }
}

/* A port in use: said once, with what to do. */
static void
test_listen_in_use (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) taken = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) listeners = NULL;
  g_autofree char *where = NULL;
  const char *first;
  guint port = 0;

  taken = listening ("127.0.0.1", 0, &port);
  g_assert_nonnull (taken);
  list = list_of ("127.0.0.1", port, NULL, 0);
  listeners = fs_server_listen (list, &error);
  g_assert_null (listeners);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_test_message ("%s", error->message);
  where = g_strdup_printf ("127.0.0.1:%u", port);
  first = strstr (error->message, where);
  g_assert_nonnull (first);
  g_assert_null (strstr (first + 1, where));
  g_assert_nonnull (strstr (error->message, "--port 0"));
  g_assert_null (strchr (error->message, '\n'));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* An acceptor that misses a listener would wait for ever: bounded. */
  alarm (30);

  g_test_add_func ("/resolve/numeric", test_resolve_numeric);
  g_test_add_func ("/resolve/every-address", test_resolve_every_address);
  g_test_add_func ("/resolve/unknown", test_resolve_unknown);
  g_test_add_func ("/resolve/loopback", test_loopback);
  g_test_add_func ("/connect/falls-back", test_connect_falls_back);
  g_test_add_func ("/connect/all-refused", test_connect_all_refused);
  g_test_add_func ("/listen/every-address", test_listen_every_address);
  g_test_add_func ("/listen/in-use", test_listen_in_use);
  return g_test_run ();
}
