// Packet I/O for the VRRP daemon: raw IPv4 protocol-112 sockets as keepalived opens them, and gratuitous ARP.
// A receive socket (unbound, on the interface, joined to the VRRP group) and a send socket (bound to the
// primary address, TTL 255, TOS 0xC0, no multicast loopback); received packets, IP header included, go to a
// JavaScript callback from libuv's poll. Virtual addresses are added and removed over rtnetlink, and link
// changes come from it. Everything else (VRRP itself) is TypeScript.
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/ethernet.h>
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#define VRRP_PROTO 112
#define CHECK(call)                                                       \
  do {                                                                    \
    if ((call) != napi_ok) {                                              \
      napi_throw_error(env, NULL, "kalint vrrp_io: N-API call failed");   \
      return NULL;                                                        \
    }                                                                     \
  } while (0)

typedef struct {
  int rfd, sfd;
  uv_poll_t poll;
  napi_env env;
  napi_ref callback;
  napi_async_context context;
  int open;
} channel_t;

static napi_value throw_errno(napi_env env, const char *what) {
  char message[256];
  snprintf(message, sizeof message, "%s: %s", what, strerror(errno));
  napi_throw_error(env, NULL, message);
  return NULL;
}

static int string_arg(napi_env env, napi_value v, char *out, size_t size) {
  size_t len;
  return napi_get_value_string_utf8(env, v, out, size, &len) == napi_ok ? 0 : -1;
}

static void on_readable(uv_poll_t *poll, int status, int events) {
  channel_t *c = poll->data;
  if (status < 0 || !(events & UV_READABLE) || !c->open) return;
  napi_env env = c->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  unsigned char buf[2048];
  for (;;) {
    struct sockaddr_in from;
    socklen_t fromlen = sizeof from;
    ssize_t n = recvfrom(c->rfd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fromlen);
    if (n < 0) break;
    napi_value argv[1], cb, global, result;
    void *data;
    napi_create_buffer_copy(env, (size_t)n, buf, &data, &argv[0]);
    napi_get_reference_value(env, c->callback, &cb);
    napi_get_global(env, &global);
    napi_make_callback(env, c->context, global, cb, 1, argv, &result);
  }
  napi_close_handle_scope(env, scope);
}

static void on_closed(uv_handle_t *handle) {
  channel_t *c = handle->data;
  napi_delete_reference(c->env, c->callback);
  napi_async_destroy(c->env, c->context);
  free(c);
}

// Watches the channel's receive socket from libuv's loop, calling on_ready, which hands data to callback.
static napi_value start_channel(napi_env env, channel_t *c, napi_value callback, const char *name, uv_poll_cb on_ready) {
  c->env = env;
  c->open = 1;
  napi_value resource, handle;
  uv_loop_t *loop;
  CHECK(napi_create_reference(env, callback, 1, &c->callback));
  CHECK(napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource));
  CHECK(napi_async_init(env, NULL, resource, &c->context));
  CHECK(napi_get_uv_event_loop(env, &loop));
  uv_poll_init_socket(loop, &c->poll, c->rfd);
  c->poll.data = c;
  uv_poll_start(&c->poll, UV_READABLE, on_ready);
  CHECK(napi_create_external(env, c, NULL, NULL, &handle));
  return handle;
}

// open(ifname, sourceIp, group, onPacket) -> channel. group: the multicast group to join, or "" for unicast only.
static napi_value open_channel(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char ifname[IF_NAMESIZE], source[64], group[64];
  if (argc < 4 || string_arg(env, argv[0], ifname, sizeof ifname) || string_arg(env, argv[1], source, sizeof source) ||
      string_arg(env, argv[2], group, sizeof group)) {
    napi_throw_type_error(env, NULL, "open(ifname, sourceIp, group, onPacket)");
    return NULL;
  }
  unsigned index = if_nametoindex(ifname);
  if (!index) return throw_errno(env, ifname);
  struct sockaddr_in src = {.sin_family = AF_INET};
  if (inet_pton(AF_INET, source, &src.sin_addr) != 1) {
    napi_throw_type_error(env, NULL, "sourceIp must be an IPv4 address");
    return NULL;
  }
  channel_t *c = calloc(1, sizeof *c);
  c->rfd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_PROTO);
  c->sfd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, VRRP_PROTO);
  const char *failed = NULL;
  if (c->rfd < 0 || c->sfd < 0) failed = "socket";
  int ttl = 255, loop = 0, tos = 0xC0;
  struct ip_mreqn mr = {.imr_ifindex = (int)index};
  if (!failed && setsockopt(c->rfd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname) + 1)) failed = "SO_BINDTODEVICE";
  if (!failed && group[0]) {
    if (inet_pton(AF_INET, group, &mr.imr_multiaddr) != 1) failed = "group address";
    else if (setsockopt(c->rfd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof mr)) failed = "IP_ADD_MEMBERSHIP";
  }
  if (!failed && setsockopt(c->sfd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname) + 1)) failed = "SO_BINDTODEVICE";
  if (!failed && setsockopt(c->sfd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof mr)) failed = "IP_MULTICAST_IF";
  if (!failed && setsockopt(c->sfd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl)) failed = "IP_MULTICAST_TTL";
  if (!failed && setsockopt(c->sfd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl)) failed = "IP_TTL";
  if (!failed && setsockopt(c->sfd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop)) failed = "IP_MULTICAST_LOOP";
  if (!failed && setsockopt(c->sfd, IPPROTO_IP, IP_TOS, &tos, sizeof tos)) failed = "IP_TOS";
  if (!failed && bind(c->sfd, (struct sockaddr *)&src, sizeof src)) failed = "bind";
  if (failed) {
    int saved = errno;
    if (c->rfd >= 0) close(c->rfd);
    if (c->sfd >= 0) close(c->sfd);
    free(c);
    errno = saved;
    return throw_errno(env, failed);
  }
  return start_channel(env, c, argv[3], "kalint.vrrp", on_readable);
}

static channel_t *channel_arg(napi_env env, napi_value v) {
  channel_t *c = NULL;
  if (napi_get_value_external(env, v, (void **)&c) != napi_ok || !c || !c->open) {
    napi_throw_error(env, NULL, "not an open channel");
    return NULL;
  }
  return c;
}

// send(channel, payload, destinationIp): the kernel adds the IP header from the send socket's settings.
static napi_value send_packet(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  channel_t *c = argc == 3 ? channel_arg(env, argv[0]) : NULL;
  if (!c) return NULL;
  void *data;
  size_t len;
  char destination[64];
  CHECK(napi_get_buffer_info(env, argv[1], &data, &len));
  if (string_arg(env, argv[2], destination, sizeof destination)) return NULL;
  struct sockaddr_in dst = {.sin_family = AF_INET};
  if (inet_pton(AF_INET, destination, &dst.sin_addr) != 1) {
    napi_throw_type_error(env, NULL, "destination must be an IPv4 address");
    return NULL;
  }
  if (sendto(c->sfd, data, len, 0, (struct sockaddr *)&dst, sizeof dst) < 0) return throw_errno(env, "sendto");
  return NULL;
}

static napi_value close_channel(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  channel_t *c = argc == 1 ? channel_arg(env, argv[0]) : NULL;
  if (!c) return NULL;
  c->open = 0;
  uv_poll_stop(&c->poll);
  close(c->rfd);
  close(c->sfd);
  uv_close((uv_handle_t *)&c->poll, on_closed);
  return NULL;
}

// garp(ifname, ip): one gratuitous ARP request (who-has ip tell ip) from the interface's MAC, as keepalived sends.
static napi_value send_garp(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char ifname[IF_NAMESIZE], address[64];
  if (argc < 2 || string_arg(env, argv[0], ifname, sizeof ifname) || string_arg(env, argv[1], address, sizeof address)) {
    napi_throw_type_error(env, NULL, "garp(ifname, ip)");
    return NULL;
  }
  struct in_addr ip;
  if (inet_pton(AF_INET, address, &ip) != 1) {
    napi_throw_type_error(env, NULL, "ip must be an IPv4 address");
    return NULL;
  }
  int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ARP));
  if (fd < 0) return throw_errno(env, "AF_PACKET socket");
  struct ifreq ifr = {0};
  snprintf(ifr.ifr_name, IF_NAMESIZE, "%s", ifname);
  if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
    close(fd);
    return throw_errno(env, "SIOCGIFHWADDR");
  }
  unsigned char arp[28] = {0, 1, 8, 0, 6, 4, 0, 1};
  memcpy(arp + 8, ifr.ifr_hwaddr.sa_data, 6);
  memcpy(arp + 14, &ip, 4);
  memset(arp + 18, 0xff, 6);
  memcpy(arp + 24, &ip, 4);
  struct sockaddr_ll to = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ARP), .sll_ifindex = (int)if_nametoindex(ifname), .sll_halen = 6};
  memset(to.sll_addr, 0xff, 6);
  ssize_t sent = sendto(fd, arp, sizeof arp, 0, (struct sockaddr *)&to, sizeof to);
  int saved = errno;
  close(fd);
  errno = saved;
  if (sent < 0) return throw_errno(env, "sendto (ARP)");
  return NULL;
}

// address(add, ifname, ip, prefixLength): adds or removes an IPv4 address over rtnetlink, waiting for the kernel's answer.
static napi_value change_address(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  bool add;
  char ifname[IF_NAMESIZE], address[64];
  uint32_t prefix;
  if (argc < 4 || napi_get_value_bool(env, argv[0], &add) != napi_ok || string_arg(env, argv[1], ifname, sizeof ifname) ||
      string_arg(env, argv[2], address, sizeof address) || napi_get_value_uint32(env, argv[3], &prefix) != napi_ok || prefix > 32) {
    napi_throw_type_error(env, NULL, "address(add, ifname, ip, prefixLength)");
    return NULL;
  }
  struct in_addr ip;
  if (inet_pton(AF_INET, address, &ip) != 1) {
    napi_throw_type_error(env, NULL, "ip must be an IPv4 address");
    return NULL;
  }
  unsigned index = if_nametoindex(ifname);
  if (!index) return throw_errno(env, ifname);
  struct {
    struct nlmsghdr nh;
    struct ifaddrmsg ifa;
    char attrs[64];
  } req = {0};
  req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg));
  req.nh.nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
  req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0);
  req.nh.nlmsg_seq = 1;
  req.ifa.ifa_family = AF_INET;
  req.ifa.ifa_prefixlen = (unsigned char)prefix;
  req.ifa.ifa_index = index;
  req.ifa.ifa_scope = RT_SCOPE_UNIVERSE;
  unsigned short types[2] = {IFA_LOCAL, IFA_ADDRESS};
  for (int i = 0; i < 2; i++) {
    struct rtattr *rta = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.nh.nlmsg_len));
    rta->rta_type = types[i];
    rta->rta_len = RTA_LENGTH(4);
    memcpy(RTA_DATA(rta), &ip, 4);
    req.nh.nlmsg_len = NLMSG_ALIGN(req.nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
  }
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return throw_errno(env, "netlink socket");
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) {
    int saved = errno;
    close(fd);
    errno = saved;
    return throw_errno(env, "netlink send");
  }
  char answer[512];
  ssize_t n = recv(fd, answer, sizeof answer, 0);
  int saved = errno;
  close(fd);
  if (n < 0) {
    errno = saved;
    return throw_errno(env, "netlink receive");
  }
  struct nlmsghdr *h = (struct nlmsghdr *)answer;
  if (NLMSG_OK(h, (unsigned)n) && h->nlmsg_type == NLMSG_ERROR) {
    struct nlmsgerr *e = NLMSG_DATA(h);
    if (e->error) {
      errno = -e->error;
      return throw_errno(env, add ? "RTM_NEWADDR" : "RTM_DELADDR");
    }
  }
  return NULL;
}

// Link changes from rtnetlink (RTMGRP_LINK): onLink(ifname, up) for every RTM_NEWLINK; up = IFF_RUNNING.
static void on_link_readable(uv_poll_t *poll, int status, int events) {
  channel_t *c = poll->data;
  if (status < 0 || !(events & UV_READABLE) || !c->open) return;
  napi_env env = c->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  char buf[8192];
  for (;;) {
    ssize_t n = recv(c->rfd, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) break;
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK) continue;
      struct ifinfomsg *ifi = NLMSG_DATA(h);
      const char *name = NULL;
      int len = (int)IFLA_PAYLOAD(h);
      for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len))
        if (a->rta_type == IFLA_IFNAME) name = RTA_DATA(a);
      if (!name) continue;
      napi_value argv[2], cb, global, result;
      napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &argv[0]);
      napi_get_boolean(env, h->nlmsg_type == RTM_NEWLINK && (ifi->ifi_flags & IFF_RUNNING), &argv[1]);
      napi_get_reference_value(env, c->callback, &cb);
      napi_get_global(env, &global);
      napi_make_callback(env, c->context, global, cb, 2, argv, &result);
    }
  }
  napi_close_handle_scope(env, scope);
}

// watchLinks(onLink) -> channel (close it with close()).
static napi_value watch_links(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) {
    napi_throw_type_error(env, NULL, "watchLinks(onLink)");
    return NULL;
  }
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return throw_errno(env, "netlink socket");
  struct sockaddr_nl local = {.nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK};
  if (bind(fd, (struct sockaddr *)&local, sizeof local)) {
    int saved = errno;
    close(fd);
    errno = saved;
    return throw_errno(env, "netlink bind");
  }
  channel_t *c = calloc(1, sizeof *c);
  c->rfd = fd;
  c->sfd = dup(fd);
  return start_channel(env, c, argv[0], "kalint.links", on_link_readable);
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"open", NULL, open_channel, NULL, NULL, NULL, napi_default, NULL},
      {"send", NULL, send_packet, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, close_channel, NULL, NULL, NULL, napi_default, NULL},
      {"garp", NULL, send_garp, NULL, NULL, NULL, napi_default, NULL},
      {"address", NULL, change_address, NULL, NULL, NULL, napi_default, NULL},
      {"watchLinks", NULL, watch_links, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, 6, props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
