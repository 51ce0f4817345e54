// Packet I/O for the VRRP daemon: raw protocol-112 sockets as keepalived opens them, gratuitous ARP and unsolicited
// neighbour advertisements. Per channel a receive socket (on the interface, joined to the VRRP group) and a send
// socket (bound to the primary address, TTL/hop limit 255, TOS/traffic class 0xC0, no multicast loopback); what
// arrives goes to a JavaScript callback from libuv's poll (IPv4: the whole packet; IPv6: the payload and what the
// control messages say). Addresses and routes are changed over rtnetlink, and link changes come from it; netlink()
// carries other netlink requests (IPVS over generic netlink) and hands the answers back undecoded. PING_CHECK gets
// raw ICMP and ICMPv6 channels, polled the same way, and TCP_CHECK a bare non-blocking connect on libuv's TCP handle
// (without the Node stream a net.Socket would build around it for every attempt).
// Everything else (VRRP itself, the ICMP messages) is TypeScript.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE // struct in6_pktinfo
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/icmp6.h>
#include <linux/icmp.h> // ICMP_FILTER
#include <linux/filter.h>
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
#include <sys/time.h>
#include <sys/un.h>
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
  int family; // AF_INET or AF_INET6 for VRRP and ICMP channels, 0 for watchLinks
  int icmp;   // an ICMP channel: one socket, rfd, for both ways (sfd -1)
  unsigned ifindex;
  uv_poll_t poll;
  napi_env env;
  napi_ref callback;
  napi_async_context context;
  int open;
  int holds; // the JavaScript handle and the libuv poll: freed when both let go
} channel_t;

typedef struct {
  int family;
  unsigned char bytes[16];
} ip_t;

#define IP_LEN(ip) ((ip)->family == AF_INET ? 4 : 16)

static napi_value throw_errno(napi_env env, const char *what) {
  char message[256];
  snprintf(message, sizeof message, "%s: %s", what, strerror(errno));
  napi_throw_error(env, NULL, message);
  return NULL;
}

static napi_value throw_type(napi_env env, const char *message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

// A string argument; one that does not fit is refused rather than cut (a cut interface name is another interface).
static int string_arg(napi_env env, napi_value v, char *out, size_t size) {
  size_t len;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok || len >= size) return -1;
  return napi_get_value_string_utf8(env, v, out, size, &len) == napi_ok ? 0 : -1;
}

static int parse_ip(const char *text, ip_t *ip) {
  if (inet_pton(AF_INET, text, ip->bytes) == 1) ip->family = AF_INET;
  else if (inet_pton(AF_INET6, text, ip->bytes) == 1) ip->family = AF_INET6;
  else return -1;
  return 0;
}

// The optional object argument argv[i] (options, route spec): 0 and *out NULL when absent, -1 when not an object.
static int object_arg(napi_env env, size_t argc, napi_value *argv, size_t i, napi_value *out) {
  napi_valuetype type;
  *out = NULL;
  if (argc <= i || napi_typeof(env, argv[i], &type) != napi_ok) return argc <= i ? 0 : -1;
  if (type == napi_undefined || type == napi_null) return 0;
  *out = argv[i];
  return type == napi_object ? 0 : -1;
}

// An optional property: 0 when absent (undefined or null), 1 when of type want, -1 otherwise.
static int prop(napi_env env, napi_value obj, const char *name, napi_valuetype want, napi_value *out) {
  napi_valuetype type;
  if (!obj) return 0;
  if (napi_get_named_property(env, obj, name, out) != napi_ok || napi_typeof(env, *out, &type) != napi_ok) return -1;
  if (type == napi_undefined || type == napi_null) return 0;
  return type == want ? 1 : -1;
}

static int prop_string(napi_env env, napi_value obj, const char *name, char *out, size_t size) {
  napi_value v;
  int r = prop(env, obj, name, napi_string, &v);
  return r == 1 && string_arg(env, v, out, size) ? -1 : r;
}

// An integer in [0, max].
static int prop_uint(napi_env env, napi_value obj, const char *name, uint32_t max, uint32_t *out) {
  napi_value v;
  double d;
  int r = prop(env, obj, name, napi_number, &v);
  if (r != 1) return r;
  if (napi_get_value_double(env, v, &d) != napi_ok || !(d >= 0 && d <= max) || d != (double)(uint32_t)d) return -1;
  *out = (uint32_t)d;
  return 1;
}

static int prop_bool(napi_env env, napi_value obj, const char *name, bool *out) {
  napi_value v;
  int r = prop(env, obj, name, napi_boolean, &v);
  return r == 1 && napi_get_value_bool(env, v, out) != napi_ok ? -1 : r;
}

// An address of the given family.
static int prop_ip(napi_env env, napi_value obj, const char *name, int family, ip_t *out) {
  char text[64];
  int r = prop_string(env, obj, name, text, sizeof text);
  return r == 1 && (parse_ip(text, out) || out->family != family) ? -1 : r;
}

// Calls a JavaScript callback from libuv. A throwing callback must not leave its exception pending in the environment
// (every later N-API call would fail): it goes to process 'uncaughtException', as from any other event source.
static void call_back(napi_env env, napi_ref callback, napi_async_context context, size_t argc, napi_value *argv) {
  napi_value cb, global, result, error;
  if (napi_get_reference_value(env, callback, &cb) != napi_ok || napi_get_global(env, &global) != napi_ok) return;
  if (napi_make_callback(env, context, global, cb, argc, argv, &result) == napi_pending_exception &&
      napi_get_and_clear_last_exception(env, &error) == napi_ok)
    napi_fatal_exception(env, error);
}

static void deliver(channel_t *c, size_t argc, napi_value *argv) {
  call_back(c->env, c->callback, c->context, argc, argv);
}

static void on_readable(uv_poll_t *poll, int status, int events) {
  channel_t *c = poll->data;
  if (status < 0 || !(events & UV_READABLE) || !c->open) return;
  napi_env env = c->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  unsigned char buf[2048];
  // The callback may close the channel: then its descriptors are gone.
  while (c->open) {
    struct sockaddr_in from;
    socklen_t fromlen = sizeof from;
    ssize_t n = recvfrom(c->rfd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fromlen);
    if (n < 0) break;
    napi_value argv[1];
    void *data;
    if (napi_create_buffer_copy(env, (size_t)n, buf, &data, &argv[0]) != napi_ok) break;
    deliver(c, 1, argv);
  }
  napi_close_handle_scope(env, scope);
}

// What the IPv6 checks need and the kernel no longer shows (it strips the header): the hop limit and the
// destination, from the control messages, read as keepalived's vrrp_scheduler.c does (exact lengths; truncated
// control data ignored). Missing: hop limit -1, destination "".
static void read_ipv6_control(const struct msghdr *msg, int *hop_limit, char *destination, size_t size) {
  *hop_limit = -1;
  destination[0] = 0;
  if (msg->msg_flags & MSG_CTRUNC) return;
  const char *end = (const char *)msg->msg_control + msg->msg_controllen;
  for (struct cmsghdr *cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR((struct msghdr *)msg, cm)) {
    if (cm->cmsg_len < CMSG_LEN(0) || (const char *)cm + cm->cmsg_len > end) break;
    size_t len = cm->cmsg_len - CMSG_LEN(0);
    if (cm->cmsg_level != IPPROTO_IPV6) continue;
    if (cm->cmsg_type == IPV6_HOPLIMIT && len == sizeof(int)) {
      memcpy(hop_limit, CMSG_DATA(cm), sizeof(int));
    } else if (cm->cmsg_type == IPV6_PKTINFO && len == sizeof(struct in6_pktinfo)) {
      struct in6_pktinfo info;
      memcpy(&info, CMSG_DATA(cm), sizeof info);
      inet_ntop(AF_INET6, &info.ipi6_addr, destination, (socklen_t)size);
    }
  }
}

// onPacket(payload, source, hopLimit, destination) for each IPv6 packet.
static void on_readable6(uv_poll_t *poll, int status, int events) {
  channel_t *c = poll->data;
  if (status < 0 || !(events & UV_READABLE) || !c->open) return;
  napi_env env = c->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  // The largest advert (255 IPv6 addresses) is 4088 bytes; anything longer arrives cut, as on IPv4.
  unsigned char buf[8192];
  union {
    char bytes[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct in6_pktinfo)) + 64];
    struct cmsghdr align;
  } control;
  while (c->open) {
    struct sockaddr_in6 from = {0};
    struct iovec iov = {.iov_base = buf, .iov_len = sizeof buf};
    struct msghdr msg = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1,
                         .msg_control = control.bytes, .msg_controllen = sizeof control.bytes};
    ssize_t n = recvmsg(c->rfd, &msg, MSG_DONTWAIT);
    if (n < 0) break;
    char source[INET6_ADDRSTRLEN] = "", destination[INET6_ADDRSTRLEN];
    int hop_limit;
    if (msg.msg_namelen >= sizeof from && from.sin6_family == AF_INET6) inet_ntop(AF_INET6, &from.sin6_addr, source, sizeof source);
    read_ipv6_control(&msg, &hop_limit, destination, sizeof destination);
    napi_value argv[4];
    void *data;
    if (napi_create_buffer_copy(env, (size_t)n, buf, &data, &argv[0]) != napi_ok ||
        napi_create_string_utf8(env, source, NAPI_AUTO_LENGTH, &argv[1]) != napi_ok ||
        napi_create_int32(env, hop_limit, &argv[2]) != napi_ok ||
        napi_create_string_utf8(env, destination, NAPI_AUTO_LENGTH, &argv[3]) != napi_ok)
      break;
    deliver(c, 4, argv);
  }
  napi_close_handle_scope(env, scope);
}

static void release(channel_t *c) {
  if (--c->holds == 0) free(c);
}

static void on_closed(uv_handle_t *handle) {
  channel_t *c = handle->data;
  napi_delete_reference(c->env, c->callback);
  napi_async_destroy(c->env, c->context);
  release(c);
}

// The handle was collected: a closed channel can go (an open one keeps running, as before).
static void on_collected(napi_env env, void *data, void *hint) {
  release(data);
}

static napi_value throw_syscall(napi_env env, const char *syscall, int error);

// Watches the channel's receive socket from libuv's loop, calling on_ready, which hands data to callback. When it
// cannot (an N-API call or libuv fails), the sockets are closed and the channel let go, and the call throws.
static napi_value start_channel(napi_env env, channel_t *c, napi_value callback, const char *name, uv_poll_cb on_ready) {
  c->env = env;
  napi_value resource, handle;
  uv_loop_t *loop;
  c->callback = NULL;
  c->context = NULL;
  int created = napi_create_reference(env, callback, 1, &c->callback) == napi_ok &&
                napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource) == napi_ok &&
                napi_async_init(env, NULL, resource, &c->context) == napi_ok && napi_get_uv_event_loop(env, &loop) == napi_ok &&
                napi_create_external(env, c, on_collected, NULL, &handle) == napi_ok;
  // From the external on, its finalizer lets go of the channel.
  c->holds = 1;
  int polled = created ? uv_poll_init_socket(loop, &c->poll, c->rfd) : 0;
  if (!created || polled) {
    if (c->context) napi_async_destroy(env, c->context);
    if (c->callback) napi_delete_reference(env, c->callback);
    close(c->rfd);
    if (c->sfd >= 0) close(c->sfd);
    if (!created) free(c);
    if (polled) return throw_syscall(env, "uv_poll_init", -polled);
    napi_throw_error(env, NULL, "kalint vrrp_io: N-API call failed");
    return NULL;
  }
  c->open = 1;
  c->holds = 2;
  c->poll.data = c;
  uv_poll_start(&c->poll, UV_READABLE, on_ready);
  return handle;
}

static int set_int(int fd, int level, int name, int value) {
  return setsockopt(fd, level, name, &value, sizeof value);
}

// IPv4: rx unbound on the interface and joined to the group; tx bound to the source, TTL 255, TOS 0xC0, no loop.
// Returns the step that failed (errno set), or NULL.
static const char *open_ipv4(channel_t *c, const char *ifname, unsigned index, const ip_t *source, const char *group, int ttl) {
  c->rfd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_PROTO);
  c->sfd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, VRRP_PROTO);
  if (c->rfd < 0 || c->sfd < 0) return "socket";
  struct sockaddr_in src = {.sin_family = AF_INET};
  memcpy(&src.sin_addr, source->bytes, 4);
  struct ip_mreqn mr = {.imr_ifindex = (int)index};
  if (setsockopt(c->rfd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname) + 1)) return "SO_BINDTODEVICE";
  if (group[0]) {
    if (inet_pton(AF_INET, group, &mr.imr_multiaddr) != 1) return "group address";
    if (setsockopt(c->rfd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof mr)) return "IP_ADD_MEMBERSHIP";
  }
  if (setsockopt(c->sfd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname) + 1)) return "SO_BINDTODEVICE";
  if (setsockopt(c->sfd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof mr)) return "IP_MULTICAST_IF";
  if (set_int(c->sfd, IPPROTO_IP, IP_MULTICAST_TTL, 255)) return "IP_MULTICAST_TTL";
  if (set_int(c->sfd, IPPROTO_IP, IP_TTL, ttl)) return "IP_TTL";
  if (set_int(c->sfd, IPPROTO_IP, IP_MULTICAST_LOOP, 0)) return "IP_MULTICAST_LOOP";
  if (set_int(c->sfd, IPPROTO_IP, IP_TOS, 0xC0)) return "IP_TOS";
  if (bind(c->sfd, (struct sockaddr *)&src, sizeof src)) return "bind";
  return NULL;
}

// IPv6 receive socket, as keepalived's open_vrrp_read_socket (vrrp.c): only the groups it joined
// (IPV6_MULTICAST_ALL off); bound to the group (so unicast adverts stay out) or, for unicast, to our own address
// (IPV6_FREEBIND: it may not be usable yet); hop limit and destination asked for as control messages; the kernel
// verifies the checksum at offset 6 (IPV6_CHECKSUM) and drops bad packets before we see them.
static const char *open_ipv6_receive(channel_t *c, const char *ifname, const ip_t *source, const ip_t *group) {
  struct sockaddr_in6 local = {.sin6_family = AF_INET6, .sin6_scope_id = c->ifindex};
  memcpy(&local.sin6_addr, group ? group->bytes : source->bytes, 16);
  int fd = c->rfd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_PROTO);
  if (fd < 0) return "socket";
  if (set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0)) return "IPV6_MULTICAST_ALL";
  if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname) + 1)) return "SO_BINDTODEVICE";
  if (group) {
    struct ipv6_mreq mr = {.ipv6mr_interface = c->ifindex};
    memcpy(&mr.ipv6mr_multiaddr, group->bytes, 16);
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mr, sizeof mr)) return "IPV6_ADD_MEMBERSHIP";
  } else if (set_int(fd, IPPROTO_IPV6, IPV6_FREEBIND, 1)) {
    return "IPV6_FREEBIND";
  }
  if (bind(fd, (struct sockaddr *)&local, sizeof local)) return "bind";
  if (set_int(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)) return "IPV6_RECVHOPLIMIT";
  if (set_int(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)) return "IPV6_RECVPKTINFO";
  if (set_int(fd, IPPROTO_IPV6, IPV6_CHECKSUM, 6)) return "IPV6_CHECKSUM";
  return NULL;
}

// IPv6 send socket, as keepalived's open_vrrp_send_socket: nothing queued for reading (its drop-all filter), on
// the interface, hop limit 255, traffic class 0xC0, no multicast loop. Differences: the source is fixed by bind()
// (keepalived passes it in IPV6_PKTINFO with each packet; IPV6_FREEBIND lets the link-local still be tentative),
// unicast hop limit 255 as RFC 5798 5.1.2.3 asks (keepalived only sets it with unicast_ttl), and no IPV6_CHECKSUM:
// encodeAdvert's checksum already covers the pseudo-header, and the payload is sent as given.
static const char *open_ipv6_send(channel_t *c, const char *ifname, const ip_t *source, int hops) {
  struct sockaddr_in6 local = {.sin6_family = AF_INET6, .sin6_scope_id = c->ifindex};
  memcpy(&local.sin6_addr, source->bytes, 16);
  struct sock_filter drop = BPF_STMT(BPF_RET | BPF_K, 0);
  struct sock_fprog none = {.len = 1, .filter = &drop};
  int fd = c->sfd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, VRRP_PROTO);
  if (fd < 0) return "socket";
  if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &none, sizeof none)) return "SO_ATTACH_FILTER";
  if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname) + 1)) return "SO_BINDTODEVICE";
  if (set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, (int)c->ifindex)) return "IPV6_MULTICAST_IF";
  if (set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 255)) return "IPV6_MULTICAST_HOPS";
  if (set_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, hops)) return "IPV6_UNICAST_HOPS";
  if (set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0)) return "IPV6_MULTICAST_LOOP";
  if (set_int(fd, IPPROTO_IPV6, IPV6_TCLASS, 0xC0)) return "IPV6_TCLASS";
  if (set_int(fd, IPPROTO_IPV6, IPV6_FREEBIND, 1)) return "IPV6_FREEBIND";
  if (bind(fd, (struct sockaddr *)&local, sizeof local)) return "bind";
  return NULL;
}

// open(ifname, sourceIp, group, onPacket) -> channel. group: the multicast group to join, or "" for unicast only.
// The source's family decides the channel's, and what onPacket receives.
static napi_value open_channel(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char ifname[IF_NAMESIZE], source[64], group[64];
  // keepalived's unicast_ttl: the TTL / hop limit of unicast adverts, 255 unless set.
  uint32_t ttl = 255;
  if (argc < 4 || string_arg(env, argv[0], ifname, sizeof ifname) || string_arg(env, argv[1], source, sizeof source) ||
      string_arg(env, argv[2], group, sizeof group) || (argc > 4 && (napi_get_value_uint32(env, argv[4], &ttl) != napi_ok || ttl < 1 || ttl > 255)))
    return throw_type(env, "open(ifname, sourceIp, group, onPacket, unicastTtl?)");
  ip_t src, grp;
  if (parse_ip(source, &src)) return throw_type(env, "sourceIp must be an IPv4 or IPv6 address");
  if (src.family == AF_INET6 && group[0] && (parse_ip(group, &grp) || grp.family != AF_INET6 || grp.bytes[0] != 0xff))
    return throw_type(env, "group must be an IPv6 multicast address");
  unsigned index = if_nametoindex(ifname);
  if (!index) return throw_errno(env, ifname);
  channel_t *c = calloc(1, sizeof *c);
  if (!c) return throw_errno(env, "calloc");
  c->rfd = c->sfd = -1;
  c->family = src.family;
  c->ifindex = index;
  const char *failed = src.family == AF_INET ? open_ipv4(c, ifname, index, &src, group, (int)ttl) : open_ipv6_receive(c, ifname, &src, group[0] ? &grp : NULL);
  if (!failed && src.family == AF_INET6) failed = open_ipv6_send(c, ifname, &src, (int)ttl);
  if (failed) {
    int saved = errno;
    if (c->rfd >= 0) close(c->rfd);
    if (c->sfd >= 0) close(c->sfd);
    free(c);
    errno = saved;
    return throw_errno(env, failed);
  }
  return start_channel(env, c, argv[3], "kalint.vrrp", src.family == AF_INET ? on_readable : on_readable6);
}

// Marks tcpConnect's handles, which are externals too: one passed for a channel must not be read as one.
static const napi_type_tag CONNECTION_TAG = {0x6b616c696e742d74, 0x63702d636f6e6e65};

static channel_t *channel_arg(napi_env env, napi_value v) {
  channel_t *c = NULL;
  bool connection = false;
  if (napi_check_object_type_tag(env, v, &CONNECTION_TAG, &connection) != napi_ok || connection ||
      napi_get_value_external(env, v, (void **)&c) != napi_ok || !c || !c->open) {
    napi_throw_error(env, NULL, "not an open channel");
    return NULL;
  }
  return c;
}

// send(channel, payload, destinationIp): the kernel adds the IP header from the send socket's settings. An IPv6
// destination is scoped to the channel's interface (link-local addresses and ff02:: groups need that).
static napi_value send_packet(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) return throw_type(env, "send(channel, payload, destination)");
  channel_t *c = channel_arg(env, argv[0]);
  if (!c) return NULL;
  if (c->icmp) return throw_type(env, "send needs a channel from open; icmpSend takes ICMP ones");
  void *data;
  size_t len;
  char destination[64];
  bool buffer = false;
  if (napi_is_buffer(env, argv[1], &buffer) != napi_ok || !buffer) return throw_type(env, "send: the payload must be a Buffer or Uint8Array");
  CHECK(napi_get_buffer_info(env, argv[1], &data, &len));
  if (string_arg(env, argv[2], destination, sizeof destination)) return throw_type(env, "send: the destination must be an address");
  ssize_t sent;
  if (c->family == AF_INET6) {
    struct sockaddr_in6 dst = {.sin6_family = AF_INET6, .sin6_scope_id = c->ifindex};
    if (inet_pton(AF_INET6, destination, &dst.sin6_addr) != 1) return throw_type(env, "destination must be an IPv6 address");
    sent = sendto(c->sfd, data, len, 0, (struct sockaddr *)&dst, sizeof dst);
  } else {
    struct sockaddr_in dst = {.sin_family = AF_INET};
    if (inet_pton(AF_INET, destination, &dst.sin_addr) != 1) return throw_type(env, "destination must be an IPv4 address");
    sent = sendto(c->sfd, data, len, 0, (struct sockaddr *)&dst, sizeof dst);
  }
  if (sent < 0) return throw_errno(env, "sendto");
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
  if (c->sfd >= 0) close(c->sfd);
  uv_close((uv_handle_t *)&c->poll, on_closed);
  return NULL;
}

// onMessage(message, source) for each ICMP or ICMPv6 message; a raw IPv4 socket reads the IP header too, which goes.
static void on_icmp_readable(uv_poll_t *poll, int status, int events) {
  channel_t *c = poll->data;
  if (status < 0 || !(events & UV_READABLE) || !c->open) return;
  napi_env env = c->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  // An error message quotes at most 576 (IPv4) or 1280 (IPv6) bytes; longer ones arrive cut.
  unsigned char buf[2048];
  while (c->open) {
    union {
      struct sockaddr_in v4;
      struct sockaddr_in6 v6;
    } from = {0};
    socklen_t fromlen = sizeof from;
    ssize_t n = recvfrom(c->rfd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fromlen);
    if (n < 0) break;
    size_t skip = 0;
    char source[INET6_ADDRSTRLEN];
    if (c->family == AF_INET) {
      skip = n > 0 ? (size_t)(buf[0] & 0x0f) * 4 : 0;
      if (skip < 20 || (size_t)n < skip || !inet_ntop(AF_INET, &from.v4.sin_addr, source, sizeof source)) continue;
    } else if (!inet_ntop(AF_INET6, &from.v6.sin6_addr, source, sizeof source)) {
      continue;
    }
    napi_value argv[2];
    void *data;
    if (napi_create_buffer_copy(env, (size_t)n - skip, buf + skip, &data, &argv[0]) != napi_ok ||
        napi_create_string_utf8(env, source, NAPI_AUTO_LENGTH, &argv[1]) != napi_ok)
      break;
    deliver(c, 2, argv);
  }
  napi_close_handle_scope(env, scope);
}

// icmpOpen(family, onMessage) -> channel (close it with close()): a raw ICMP (4) or ICMPv6 (6) socket for
// PING_CHECK. A raw ICMP socket sees all of the host's ICMP, so a filter lets only echo replies and destination
// unreachables through. keepalived's check_ping.c uses ping sockets (SOCK_DGRAM), which rewrite the echo
// identifier and need ping_group_range; as root, raw sockets do without.
static napi_value icmp_open(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_valuetype type;
  uint32_t family;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2 || napi_get_value_uint32(env, argv[0], &family) != napi_ok || (family != 4 && family != 6) ||
      napi_typeof(env, argv[1], &type) != napi_ok || type != napi_function)
    return throw_type(env, "icmpOpen(family 4 or 6, onMessage)");
  int fd = family == 4 ? socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP)
                       : socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
  if (fd < 0) return throw_errno(env, family == 4 ? "ICMP socket" : "ICMPv6 socket");
  const char *failed = NULL;
  if (family == 4) {
    // Set bits are the types dropped.
    struct icmp_filter filter = {.data = ~(1u << ICMP_ECHOREPLY | 1u << ICMP_DEST_UNREACH)};
    if (setsockopt(fd, SOL_RAW, ICMP_FILTER, &filter, sizeof filter)) failed = "ICMP_FILTER";
  } else {
    struct icmp6_filter filter;
    ICMP6_FILTER_SETBLOCKALL(&filter);
    ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
    ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &filter);
    if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof filter)) failed = "ICMP6_FILTER";
  }
  channel_t *c = failed ? NULL : calloc(1, sizeof *c);
  if (!c) {
    if (!failed) failed = "calloc";
    int saved = errno;
    close(fd);
    errno = saved;
    return throw_errno(env, failed);
  }
  c->rfd = fd;
  c->sfd = -1;
  c->family = family == 4 ? AF_INET : AF_INET6;
  c->icmp = 1;
  return start_channel(env, c, argv[1], "kalint.icmp", on_icmp_readable);
}

// icmpSend(channel, address, message): one ICMP message, as given, to an address of the channel's family; the kernel
// adds the IP header and, for ICMPv6, the checksum (RFC 3542 3.1).
static napi_value icmp_send(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) return throw_type(env, "icmpSend(channel, address, message)");
  channel_t *c = channel_arg(env, argv[0]);
  if (!c) return NULL;
  if (!c->icmp) return throw_type(env, "icmpSend needs a channel from icmpOpen");
  char address[64];
  bool is_buffer = false;
  void *data;
  size_t len;
  if (string_arg(env, argv[1], address, sizeof address) || napi_is_buffer(env, argv[2], &is_buffer) != napi_ok || !is_buffer ||
      napi_get_buffer_info(env, argv[2], &data, &len) != napi_ok)
    return throw_type(env, "icmpSend(channel, address, message)");
  union {
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
  } to = {0};
  socklen_t tolen;
  if (c->family == AF_INET) {
    to.v4.sin_family = AF_INET;
    tolen = sizeof to.v4;
    if (inet_pton(AF_INET, address, &to.v4.sin_addr) != 1) return throw_type(env, "address must be an IPv4 address");
  } else {
    to.v6.sin6_family = AF_INET6;
    tolen = sizeof to.v6;
    if (inet_pton(AF_INET6, address, &to.v6.sin6_addr) != 1) return throw_type(env, "address must be an IPv6 address");
  }
  if (sendto(c->rfd, data, len, 0, (struct sockaddr *)&to, tolen) < 0) return throw_errno(env, "sendto");
  return NULL;
}

// A TCP connect under way (tcpConnect): libuv's TCP handle (its socket) and connect request, and the callback owed.
typedef struct {
  uv_tcp_t tcp;
  uv_connect_t req;
  int pending; // the callback is owed: cleared once the connect ends or is cancelled
  int holds;   // the JavaScript handle and the libuv handle: freed when both let go
  napi_env env;
  napi_ref callback;
  napi_async_context context;
} connection_t;

typedef union {
  struct sockaddr sa;
  struct sockaddr_in v4;
  struct sockaddr_in6 v6;
} sockaddr_any_t;

// An address of the family (4 or 6) with its port; an IPv6 one may carry a %interface zone, as Node's net takes it.
static int parse_sockaddr(uint32_t family, const char *text, uint32_t port, sockaddr_any_t *out, socklen_t *len) {
  memset(out, 0, sizeof *out);
  *len = family == 4 ? sizeof out->v4 : sizeof out->v6;
  return family == 4 ? uv_ip4_addr(text, (int)port, &out->v4) : uv_ip6_addr(text, (int)port, &out->v6);
}

// Throws error as Node's system errors are: `code` the errno's name, and the `syscall` that failed.
static napi_value throw_syscall(napi_env env, const char *syscall, int error) {
  char name[64], text[160];
  uv_err_name_r(-error, name, sizeof name);
  snprintf(text, sizeof text, "%s: %s", syscall, strerror(error));
  napi_value code, message, err, sys;
  if (napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &code) != napi_ok ||
      napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &message) != napi_ok || napi_create_error(env, code, message, &err) != napi_ok ||
      napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &sys) != napi_ok || napi_set_named_property(env, err, "syscall", sys) != napi_ok) {
    napi_throw_error(env, NULL, "kalint vrrp_io: N-API call failed");
    return NULL;
  }
  napi_throw(env, err);
  return NULL;
}

static void release_connection(connection_t *t) {
  if (--t->holds == 0) free(t);
}

static void on_connection_closed(uv_handle_t *handle) {
  connection_t *t = handle->data;
  if (t->callback) napi_delete_reference(t->env, t->callback);
  if (t->context) napi_async_destroy(t->env, t->context);
  release_connection(t);
}

static void on_connection_collected(napi_env env, void *data, void *hint) {
  release_connection(data);
}

// Ends a connect: uv_close closes the socket at once (libuv forgets it first); the rest goes in the close callback.
static void end_connection(connection_t *t) {
  t->pending = 0;
  uv_close((uv_handle_t *)&t->tcp, on_connection_closed);
}

// libuv's verdict, from SO_ERROR once the socket is writable as in keepalived's socket_state; UV_ECANCELED after a
// cancel, which owes nothing. The socket is closed before onDone runs, which may then reuse its number at once.
static void on_connected(uv_connect_t *req, int status) {
  connection_t *t = req->data;
  if (!t->pending) return;
  char name[64] = "";
  if (status < 0) uv_err_name_r(status, name, sizeof name);
  end_connection(t);
  napi_env env = t->env;
  napi_handle_scope scope;
  napi_value argv[1];
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  if (napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &argv[0]) == napi_ok) call_back(env, t->callback, t->context, 1, argv);
  napi_close_handle_scope(env, scope);
}

// tcpConnect(family, address, port, localAddress, localPort, onDone) -> connection: keepalived's tcp_bind_connect
// (layer4.c) on a non-blocking socket, bound first unless localAddress is '' (by bind() itself: libuv's bind would
// add SO_REUSEADDR). keepalived also sets SO_LINGER, which makes close() wait for the peer: not here, where nothing
// may block. libuv's TCP handle rather than a poll on a socket of our own: uv_poll_init costs three more system calls
// (it tries the descriptor in epoll and sets it non-blocking again). What fails before the connect is under way is
// thrown with its code and syscall (socket, bind, connect), the socket closed; libuv reports an ECONNREFUSED from
// connect() itself later, through onDone. Otherwise onDone(error) is called once, from the event loop, with '' when
// the connection opened or else the errno's name, the socket already closed; tcpCancel before that closes the
// socket and drops the call.
static napi_value tcp_connect(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6], resource, handle;
  napi_valuetype type;
  uint32_t family, port, local_port;
  char address[64], local[64];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 6 || napi_get_value_uint32(env, argv[0], &family) != napi_ok || (family != 4 && family != 6) ||
      string_arg(env, argv[1], address, sizeof address) || napi_get_value_uint32(env, argv[2], &port) != napi_ok || port > 65535 ||
      string_arg(env, argv[3], local, sizeof local) || napi_get_value_uint32(env, argv[4], &local_port) != napi_ok || local_port > 65535 ||
      napi_typeof(env, argv[5], &type) != napi_ok || type != napi_function)
    return throw_type(env, "tcpConnect(family 4 or 6, address, port, localAddress or '', localPort, onDone)");
  sockaddr_any_t to, from;
  socklen_t len;
  if (parse_sockaddr(family, address, port, &to, &len) || (local[0] && parse_sockaddr(family, local, local_port, &from, &len)))
    return throw_type(env, "tcpConnect: address and localAddress must be addresses of the family");
  uv_loop_t *loop;
  CHECK(napi_get_uv_event_loop(env, &loop));
  CHECK(napi_create_string_utf8(env, "kalint.tcp", NAPI_AUTO_LENGTH, &resource));
  connection_t *t = calloc(1, sizeof *t);
  if (!t) return throw_syscall(env, "calloc", ENOMEM);
  // The socket, SOCK_NONBLOCK | SOCK_CLOEXEC; a handle that fails here is already undone.
  int r = uv_tcp_init_ex(loop, &t->tcp, to.sa.sa_family);
  if (r) {
    free(t);
    return throw_syscall(env, "socket", -r);
  }
  // From here the handle holds everything: end_connection closes it, and its close callback lets go of the rest.
  t->tcp.data = t;
  t->req.data = t;
  t->env = env;
  t->holds = 1;
  uv_os_fd_t fd = -1;
  uv_fileno((uv_handle_t *)&t->tcp, &fd);
  const char *failed = NULL;
  if (local[0] && bind(fd, &from.sa, len)) {
    failed = "bind";
    r = -errno;
  } else if ((r = uv_tcp_connect(&t->req, &t->tcp, &to.sa, on_connected)) != 0) {
    failed = "connect";
  }
  if (failed) {
    end_connection(t);
    return throw_syscall(env, failed, -r);
  }
  t->pending = 1;
  if (napi_create_reference(env, argv[5], 1, &t->callback) != napi_ok || napi_async_init(env, NULL, resource, &t->context) != napi_ok ||
      napi_create_external(env, t, on_connection_collected, NULL, &handle) != napi_ok) {
    end_connection(t);
    napi_throw_error(env, NULL, "kalint vrrp_io: N-API call failed");
    return NULL;
  }
  t->holds = 2;
  if (napi_type_tag_object(env, handle, &CONNECTION_TAG) != napi_ok) {
    end_connection(t);
    napi_throw_error(env, NULL, "kalint vrrp_io: N-API call failed");
    return NULL;
  }
  return handle;
}

// tcpCancel(connection): closes the socket of a connect still under way, whose onDone is then never called; does
// nothing once it has ended.
static napi_value tcp_cancel(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  bool tagged = false;
  connection_t *t = NULL;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_check_object_type_tag(env, argv[0], &CONNECTION_TAG, &tagged) != napi_ok || !tagged ||
      napi_get_value_external(env, argv[0], (void **)&t) != napi_ok)
    return throw_type(env, "tcpCancel(connection from tcpConnect)");
  if (t->pending) end_connection(t);
  return NULL;
}

// garp(ifname, ip): one gratuitous ARP request (who-has ip tell ip) from the interface's MAC, as keepalived sends.
static napi_value send_garp(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char ifname[IF_NAMESIZE], address[64];
  if (argc < 2 || string_arg(env, argv[0], ifname, sizeof ifname) || string_arg(env, argv[1], address, sizeof address))
    return throw_type(env, "garp(ifname, ip)");
  struct in_addr ip;
  if (inet_pton(AF_INET, address, &ip) != 1) return throw_type(env, "ip must be an IPv4 address");
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

// The one's-complement sum of big-endian 16-bit words, added to sum.
static uint32_t sum_words(const unsigned char *p, size_t len, uint32_t sum) {
  for (size_t i = 0; i + 1 < len; i += 2) sum += (uint32_t)(p[i] << 8 | p[i + 1]);
  if (len & 1) sum += (uint32_t)p[len - 1] << 8;
  return sum;
}

// keepalived's set_ipv6_forwarding: the Router flag says whether the interface forwards IPv6.
static int ipv6_forwarding(const char *ifname) {
  char path[64 + IF_NAMESIZE];
  snprintf(path, sizeof path, "/proc/sys/net/ipv6/conf/%s/forwarding", ifname);
  FILE *f = fopen(path, "re");
  int value = 0;
  if (f) {
    if (fscanf(f, "%d", &value) != 1) value = 0;
    fclose(f);
  }
  return value != 0;
}

#define NA_FRAME (14 + 40 + 24 + 8)

// The frame of keepalived's ndisc_send_unsolicited_na_immediate (vrrp_ndisc.c): Ethernet to 33:33:00:00:00:01,
// IPv6 from the target itself to ff02::1 with hop limit 255, ICMPv6 type 136 with Override (and Router) but not
// Solicited, and a Target Link-Layer Address option carrying the MAC.
static void build_na(unsigned char *frame, const unsigned char *mac, const unsigned char *target, int router) {
  unsigned char *ip6 = frame + 14, *icmp = ip6 + 40;
  memset(frame, 0, NA_FRAME);
  frame[0] = frame[1] = 0x33;
  frame[5] = 1;
  memcpy(frame + 6, mac, 6);
  frame[12] = 0x86;
  frame[13] = 0xdd;
  ip6[0] = 0x60;
  ip6[5] = 32; // payload length
  ip6[6] = IPPROTO_ICMPV6;
  ip6[7] = 255;
  memcpy(ip6 + 8, target, 16);
  ip6[24] = 0xff;
  ip6[25] = 0x02;
  ip6[39] = 1;
  icmp[0] = 136;
  icmp[4] = 0x20 | (router ? 0x80 : 0);
  memcpy(icmp + 8, target, 16);
  icmp[24] = 2; // Target Link-Layer Address, 1 × 8 bytes
  icmp[25] = 1;
  memcpy(icmp + 26, mac, 6);
  // Pseudo-header (source, destination, length, next header), then the message.
  uint32_t sum = sum_words(icmp, 32, sum_words(ip6 + 8, 32, 32 + IPPROTO_ICMPV6));
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  icmp[2] = (unsigned char)(~sum >> 8);
  icmp[3] = (unsigned char)~sum;
}

// na(ifname, ip6): one unsolicited neighbour advertisement for ip6 from the interface's MAC, as keepalived sends.
static napi_value send_na(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char ifname[IF_NAMESIZE], address[64];
  if (argc < 2 || string_arg(env, argv[0], ifname, sizeof ifname) || string_arg(env, argv[1], address, sizeof address))
    return throw_type(env, "na(ifname, ip6)");
  ip_t target;
  if (parse_ip(address, &target) || target.family != AF_INET6) return throw_type(env, "ip6 must be an IPv6 address");
  unsigned index = if_nametoindex(ifname);
  if (!index) return throw_errno(env, ifname);
  // Protocol 0: a socket that only sends queues nothing.
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "AF_PACKET socket");
  struct ifreq ifr = {0};
  snprintf(ifr.ifr_name, IF_NAMESIZE, "%s", ifname);
  const char *failed = ioctl(fd, SIOCGIFHWADDR, &ifr) < 0 ? "SIOCGIFHWADDR" : NULL;
  if (!failed && ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
    failed = "na: not an Ethernet interface";
    errno = EOPNOTSUPP;
  }
  if (!failed) {
    unsigned char frame[NA_FRAME];
    build_na(frame, (const unsigned char *)ifr.ifr_hwaddr.sa_data, target.bytes, ipv6_forwarding(ifname));
    struct sockaddr_ll to = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IPV6), .sll_ifindex = (int)index, .sll_halen = 6};
    memcpy(to.sll_addr, frame, 6);
    if (sendto(fd, frame, sizeof frame, 0, (struct sockaddr *)&to, sizeof to) < 0) failed = "sendto (NA)";
  }
  int saved = errno;
  close(fd);
  errno = saved;
  return failed ? throw_errno(env, failed) : NULL;
}

// Appends an attribute to a netlink request of room bytes; -1 when it does not fit.
static int add_attr(struct nlmsghdr *nh, size_t room, unsigned short type, const void *data, size_t len) {
  size_t at = NLMSG_ALIGN(nh->nlmsg_len);
  if (at + RTA_SPACE(len) > room) return -1;
  struct rtattr *rta = (struct rtattr *)((char *)nh + at);
  rta->rta_type = type;
  rta->rta_len = (unsigned short)RTA_LENGTH(len);
  memcpy(RTA_DATA(rta), data, len);
  nh->nlmsg_len = (unsigned)(at + RTA_ALIGN(rta->rta_len));
  return 0;
}

static int add_u32(struct nlmsghdr *nh, size_t room, unsigned short type, uint32_t value) {
  return add_attr(nh, room, type, &value, sizeof value);
}

// The kernel's extended-ack text of an error (NETLINK_EXT_ACK with NETLINK_CAP_ACK: the TLVs follow nlmsgerr).
static void ext_ack_text(const struct nlmsghdr *h, char *out, size_t size) {
  out[0] = 0;
  if ((h->nlmsg_flags & (NLM_F_CAPPED | NLM_F_ACK_TLVS)) != (NLM_F_CAPPED | NLM_F_ACK_TLVS)) return;
  size_t offset = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nlmsgerr));
  if (h->nlmsg_len <= offset) return;
  int len = (int)(h->nlmsg_len - offset);
  for (const struct rtattr *a = (const struct rtattr *)((const char *)h + offset); RTA_OK(a, len); a = RTA_NEXT(a, len))
    if (a->rta_type == NLMSGERR_ATTR_MSG) snprintf(out, size, " (%.*s)", (int)strnlen(RTA_DATA(a), RTA_PAYLOAD(a)), (const char *)RTA_DATA(a));
}

// Sends one rtnetlink request and waits for the kernel's answer; throws "what: errno text (kernel's reason)" when it
// refuses, and returns NULL either way. Shared by addresses and routes.
static napi_value netlink_call(napi_env env, struct nlmsghdr *req, const char *what) {
  req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
  req->nlmsg_seq = 1;
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return throw_errno(env, "netlink socket");
  set_int(fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
  set_int(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  const char *failed = NULL;
  int error = 0;
  char detail[160] = "";
  if (sendto(fd, req, req->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) failed = "netlink send";
  union {
    char bytes[8192];
    struct nlmsghdr align;
  } answer;
  for (int done = 0; !failed && !done;) {
    ssize_t n = recv(fd, answer.bytes, sizeof answer.bytes, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) failed = "netlink receive";
    for (struct nlmsghdr *h = &answer.align; !failed && NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_seq != req->nlmsg_seq || h->nlmsg_type != NLMSG_ERROR) continue;
      if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct nlmsgerr))) error = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
      if (error) ext_ack_text(h, detail, sizeof detail);
      done = 1;
      break;
    }
  }
  int saved = errno;
  close(fd);
  errno = saved;
  if (failed) return throw_errno(env, failed);
  if (error) {
    char message[320];
    snprintf(message, sizeof message, "%s: %s%s", what, strerror(error), detail);
    napi_throw_error(env, NULL, message);
  }
  return NULL;
}

typedef struct {
  char label[IF_NAMESIZE];
  uint32_t scope;
  ip_t broadcast;
  bool no_dad;
  int has_label, has_scope, has_broadcast, has_no_dad;
} address_options_t;

static int read_address_options(napi_env env, napi_value obj, address_options_t *o) {
  return (o->has_label = prop_string(env, obj, "label", o->label, sizeof o->label)) < 0 ||
         (o->has_scope = prop_uint(env, obj, "scope", 255, &o->scope)) < 0 ||
         (o->has_broadcast = prop_ip(env, obj, "broadcast", AF_INET, &o->broadcast)) < 0 ||
         (o->has_no_dad = prop_bool(env, obj, "noDad", &o->no_dad)) < 0
             ? -1
             : 0;
}

// address(add, ifname, ip, prefixLength, options?): adds or removes an address over rtnetlink, as keepalived's
// netlink_ipaddress (vrrp_ipaddress.c). IPv4: IFA_LOCAL and IFA_ADDRESS, scope global unless options.scope, label
// and broadcast when adding. IPv6: IFA_LOCAL, and IFA_F_NODAD when adding unless noDad is false (keepalived adds
// VIPs without duplicate address detection unless -nodad; VRRP is its own DAD). label, broadcast and scope are
// IPv4-only, as keepalived says; noDad is IPv6-only.
static napi_value change_address(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5], options;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  bool add;
  char ifname[IF_NAMESIZE], address[64];
  uint32_t prefix;
  address_options_t o = {0};
  if (argc < 4 || napi_get_value_bool(env, argv[0], &add) != napi_ok || string_arg(env, argv[1], ifname, sizeof ifname) ||
      string_arg(env, argv[2], address, sizeof address) || napi_get_value_uint32(env, argv[3], &prefix) != napi_ok ||
      object_arg(env, argc, argv, 4, &options) || read_address_options(env, options, &o))
    return throw_type(env, "address(add, ifname, ip, prefixLength, options?)");
  ip_t ip;
  if (parse_ip(address, &ip)) return throw_type(env, "ip must be an IPv4 or IPv6 address");
  if (prefix > (ip.family == AF_INET ? 32u : 128u)) return throw_type(env, "prefixLength out of range");
  if (ip.family == AF_INET6 ? o.has_label || o.has_scope || o.has_broadcast : o.has_no_dad)
    return throw_type(env, "label, broadcast and scope are IPv4 options, noDad an IPv6 one");
  unsigned index = if_nametoindex(ifname);
  if (!index) return throw_errno(env, ifname);
  struct {
    struct nlmsghdr nh;
    struct ifaddrmsg ifa;
    char attrs[128];
  } req = {0};
  struct nlmsghdr *nh = (struct nlmsghdr *)(void *)&req; // the whole request: attributes go past nh
  nh->nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg));
  nh->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
  nh->nlmsg_flags = add ? NLM_F_CREATE | NLM_F_EXCL : 0;
  req.ifa.ifa_family = (unsigned char)ip.family;
  req.ifa.ifa_prefixlen = (unsigned char)prefix;
  req.ifa.ifa_index = index;
  req.ifa.ifa_scope = o.has_scope ? (unsigned char)o.scope : RT_SCOPE_UNIVERSE;
  int bad = add_attr(nh, sizeof req, IFA_LOCAL, ip.bytes, (size_t)IP_LEN(&ip));
  if (ip.family == AF_INET) bad |= add_attr(nh, sizeof req, IFA_ADDRESS, ip.bytes, 4);
  if (add && o.has_broadcast) bad |= add_attr(nh, sizeof req, IFA_BROADCAST, o.broadcast.bytes, 4);
  if (add && o.has_label) bad |= add_attr(nh, sizeof req, IFA_LABEL, o.label, strlen(o.label) + 1);
  if (add && ip.family == AF_INET6 && !(o.has_no_dad && !o.no_dad)) bad |= add_u32(nh, sizeof req, IFA_FLAGS, IFA_F_NODAD);
  if (bad) return throw_type(env, "address request too long");
  return netlink_call(env, nh, add ? "RTM_NEWADDR" : "RTM_DELADDR");
}

typedef struct {
  ip_t destination, via, src;
  uint32_t prefix, metric, table, scope, protocol;
  unsigned char type;
  unsigned oif;
  int has_via, has_src, has_metric, has_scope, has_type;
} route_t;

// spec.type: keepalived's route types (find_rttables_rtntype) that need no more than this.
static int route_type(napi_env env, napi_value spec, unsigned char *type) {
  static const struct {
    const char *name;
    unsigned char value;
  } types[] = {{"unicast", RTN_UNICAST}, {"blackhole", RTN_BLACKHOLE}, {"unreachable", RTN_UNREACHABLE}, {"prohibit", RTN_PROHIBIT}, {"throw", RTN_THROW}};
  char name[16];
  int r = prop_string(env, spec, "type", name, sizeof name);
  if (r != 1) return r;
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
    if (!strcmp(name, types[i].name)) {
      *type = types[i].value;
      return 1;
    }
  }
  return -1;
}

// The route spec; a TypeError is thrown (and -1 returned) when it is not one. Defaults are keepalived's (alloc_route,
// netlink_route in vrrp_iproute.c): table main, protocol keepalived (18).
static int read_route(napi_env env, napi_value spec, route_t *r) {
  char text[64], dev[IF_NAMESIZE];
  r->table = RT_TABLE_MAIN;
  r->protocol = RTPROT_KEEPALIVED;
  if (prop_string(env, spec, "destination", text, sizeof text) != 1 || parse_ip(text, &r->destination) ||
      prop_uint(env, spec, "prefix", r->destination.family == AF_INET ? 32 : 128, &r->prefix) != 1) {
    throw_type(env, "route spec needs destination (an address) and prefix (its length)");
    return -1;
  }
  int family = r->destination.family, has_dev;
  if ((r->has_via = prop_ip(env, spec, "via", family, &r->via)) < 0 || (r->has_src = prop_ip(env, spec, "src", family, &r->src)) < 0 ||
      (has_dev = prop_string(env, spec, "dev", dev, sizeof dev)) < 0 || (r->has_metric = prop_uint(env, spec, "metric", UINT32_MAX, &r->metric)) < 0 ||
      prop_uint(env, spec, "table", UINT32_MAX, &r->table) < 0 || (r->has_scope = prop_uint(env, spec, "scope", 255, &r->scope)) < 0 ||
      (r->has_type = route_type(env, spec, &r->type)) < 0 || prop_uint(env, spec, "protocol", 255, &r->protocol) < 0) {
    throw_type(env, "route spec: via and src of the destination's family, dev a name, metric/table/scope/protocol integers, type unicast|blackhole|unreachable|prohibit|throw");
    return -1;
  }
  if (has_dev && !(r->oif = if_nametoindex(dev))) {
    throw_errno(env, dev);
    return -1;
  }
  return 0;
}

// route(add, spec): adds (NLM_F_CREATE | NLM_F_EXCL) or removes a route as keepalived's netlink_route: scope
// universe when adding (also without a gateway: keepalived does not narrow it to link as ip-route does) and nowhere
// when removing, unless spec.scope; type unicast when adding, and when removing only if given; a table above 255
// goes in RTA_TABLE.
static napi_value change_route(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], spec;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  bool add;
  route_t r = {0};
  if (argc < 2 || napi_get_value_bool(env, argv[0], &add) != napi_ok || object_arg(env, argc, argv, 1, &spec) || !spec)
    return throw_type(env, "route(add, spec)");
  if (read_route(env, spec, &r)) return NULL;
  struct {
    struct nlmsghdr nh;
    struct rtmsg rt;
    char attrs[256];
  } req = {0};
  struct nlmsghdr *nh = (struct nlmsghdr *)(void *)&req; // the whole request: attributes go past nh
  nh->nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg));
  nh->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
  nh->nlmsg_flags = add ? NLM_F_CREATE | NLM_F_EXCL : 0;
  req.rt.rtm_family = (unsigned char)r.destination.family;
  req.rt.rtm_dst_len = (unsigned char)r.prefix;
  req.rt.rtm_protocol = (unsigned char)r.protocol;
  req.rt.rtm_scope = r.has_scope ? (unsigned char)r.scope : add ? RT_SCOPE_UNIVERSE : RT_SCOPE_NOWHERE;
  req.rt.rtm_type = r.has_type ? r.type : add ? RTN_UNICAST : RTN_UNSPEC;
  req.rt.rtm_table = r.table < 256 ? (unsigned char)r.table : RT_TABLE_UNSPEC;
  size_t len = (size_t)IP_LEN(&r.destination);
  int bad = r.table < 256 ? 0 : add_u32(nh, sizeof req, RTA_TABLE, r.table);
  bad |= add_attr(nh, sizeof req, RTA_DST, r.destination.bytes, len);
  if (r.has_via) bad |= add_attr(nh, sizeof req, RTA_GATEWAY, r.via.bytes, len);
  if (r.has_src) bad |= add_attr(nh, sizeof req, RTA_PREFSRC, r.src.bytes, len);
  if (r.oif) bad |= add_u32(nh, sizeof req, RTA_OIF, r.oif);
  if (r.has_metric) bad |= add_u32(nh, sizeof req, RTA_PRIORITY, r.metric);
  if (bad) return throw_type(env, "route request too long");
  return netlink_call(env, nh, add ? "RTM_NEWROUTE" : "RTM_DELROUTE");
}

// Link changes from rtnetlink (RTMGRP_LINK): onLink(ifname, up) for every RTM_NEWLINK; up = IFF_RUNNING.
static void on_link_readable(uv_poll_t *poll, int status, int events) {
  channel_t *c = poll->data;
  if (status < 0 || !(events & UV_READABLE) || !c->open) return;
  napi_env env = c->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  char buf[8192];
  while (c->open) {
    ssize_t n = recv(c->rfd, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) break;
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; c->open && NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK) continue;
      struct ifinfomsg *ifi = NLMSG_DATA(h);
      const char *name = NULL;
      int len = (int)IFLA_PAYLOAD(h);
      for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len))
        if (a->rta_type == IFLA_IFNAME) name = RTA_DATA(a);
      if (!name) continue;
      napi_value argv[2];
      if (napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &argv[0]) != napi_ok ||
          napi_get_boolean(env, h->nlmsg_type == RTM_NEWLINK && (ifi->ifi_flags & IFF_RUNNING), &argv[1]) != napi_ok)
        continue;
      deliver(c, 2, argv);
    }
  }
  napi_close_handle_scope(env, scope);
}

// watchLinks(onLink) -> channel (close it with close()).
static napi_value watch_links(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) return throw_type(env, "watchLinks(onLink)");
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
  if (!c) {
    close(fd);
    return throw_errno(env, "calloc");
  }
  c->rfd = fd;
  c->sfd = dup(fd);
  return start_channel(env, c, argv[0], "kalint.links", on_link_readable);
}

// syslog(socketPath, datagram): one message to a syslog daemon's Unix datagram socket, as syslog(3) sends to
// /dev/log; the path is a parameter because containers often put the socket elsewhere.
static napi_value send_syslog(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  struct sockaddr_un to = {.sun_family = AF_UNIX};
  char message[2048];
  size_t len;
  if (argc < 2 || string_arg(env, argv[0], to.sun_path, sizeof to.sun_path) ||
      napi_get_value_string_utf8(env, argv[1], message, sizeof message, &len) != napi_ok)
    return throw_type(env, "syslog(socketPath, datagram)");
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "syslog socket");
  ssize_t sent = sendto(fd, message, len, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof to);
  int saved = errno;
  close(fd);
  errno = saved;
  if (sent < 0) return throw_errno(env, to.sun_path);
  return NULL;
}

// netlink(protocol, request) -> Buffer[]: sends one request (its bytes as given: a whole netlink message asking
// for an ACK or a dump) on a fresh AF_NETLINK socket of that protocol and returns every message the kernel answers
// with, the closing NLMSG_ERROR (an ACK is error 0) or NLMSG_DONE included: decoding, the kernel's errno among it,
// is the caller's. Throws only when the exchange itself fails; a receive timeout bounds it, so it never hangs.
#define NETLINK_TIMEOUT_S 5
#define NETLINK_BUFFER 65536 // a dump's datagrams are at most 32 KiB
static napi_value netlink_request(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint32_t protocol;
  bool is_buffer = false;
  void *data;
  size_t len;
  if (argc < 2 || napi_get_value_uint32(env, argv[0], &protocol) != napi_ok || napi_is_buffer(env, argv[1], &is_buffer) != napi_ok ||
      !is_buffer || napi_get_buffer_info(env, argv[1], &data, &len) != napi_ok)
    return throw_type(env, "netlink(protocol, request)");
  struct nlmsghdr req;
  if (len < NLMSG_HDRLEN) return throw_type(env, "netlink: request shorter than a netlink header");
  memcpy(&req, data, sizeof req);
  if (req.nlmsg_len != len) return throw_type(env, "netlink: request length differs from its nlmsg_len");
  // Without an ACK or a dump's DONE nothing would close the answer.
  if (!(req.nlmsg_flags & NLM_F_REQUEST) || !(req.nlmsg_flags & (NLM_F_ACK | NLM_F_DUMP)))
    return throw_type(env, "netlink: request needs NLM_F_REQUEST and NLM_F_ACK or NLM_F_DUMP");
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, (int)protocol);
  if (fd < 0) return throw_errno(env, "netlink socket");
  // Errors come back without the request copied in, with the kernel's reason when it gives one.
  set_int(fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
  set_int(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
  struct timeval timeout = {.tv_sec = NETLINK_TIMEOUT_S};
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  const char *failed = NULL;
  union {
    char *bytes;
    struct nlmsghdr *align;
  } buf = {.bytes = malloc(NETLINK_BUFFER)};
  napi_value replies;
  uint32_t count = 0;
  if (!buf.bytes) failed = "malloc";
  else if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout)) failed = "SO_RCVTIMEO";
  else if (napi_create_array(env, &replies) != napi_ok) {
    failed = "netlink: N-API call failed";
    errno = ENOMEM;
  } else if (sendto(fd, data, len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) failed = "netlink send";
  for (int done = 0; !failed && !done;) {
    struct sockaddr_nl from;
    socklen_t fromlen = sizeof from;
    ssize_t n = recvfrom(fd, buf.bytes, NETLINK_BUFFER, MSG_TRUNC, (struct sockaddr *)&from, &fromlen);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) errno = ETIMEDOUT;
      failed = "netlink receive";
      break;
    }
    if (n > NETLINK_BUFFER) {
      failed = "netlink receive";
      errno = EMSGSIZE;
      break;
    }
    if (from.nl_pid != 0) continue; // only the kernel answers
    int left = (int)n;
    for (struct nlmsghdr *h = buf.align; !done && NLMSG_OK(h, (unsigned)left); h = NLMSG_NEXT(h, left)) {
      if (h->nlmsg_seq != req.nlmsg_seq) continue;
      napi_value reply;
      void *copy;
      if (napi_create_buffer_copy(env, h->nlmsg_len, h, &copy, &reply) != napi_ok || napi_set_element(env, replies, count++, reply) != napi_ok) {
        failed = "netlink: N-API call failed";
        errno = ENOMEM;
        break;
      }
      done = h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_DONE;
    }
  }
  int saved = errno;
  free(buf.bytes);
  close(fd);
  errno = saved;
  return failed ? throw_errno(env, failed) : replies;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"open", NULL, open_channel, NULL, NULL, NULL, napi_default, NULL},
      {"send", NULL, send_packet, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, close_channel, NULL, NULL, NULL, napi_default, NULL},
      {"garp", NULL, send_garp, NULL, NULL, NULL, napi_default, NULL},
      {"na", NULL, send_na, NULL, NULL, NULL, napi_default, NULL},
      {"address", NULL, change_address, NULL, NULL, NULL, napi_default, NULL},
      {"route", NULL, change_route, NULL, NULL, NULL, napi_default, NULL},
      {"watchLinks", NULL, watch_links, NULL, NULL, NULL, napi_default, NULL},
      {"syslog", NULL, send_syslog, NULL, NULL, NULL, napi_default, NULL},
      {"netlink", NULL, netlink_request, NULL, NULL, NULL, napi_default, NULL},
      {"icmpOpen", NULL, icmp_open, NULL, NULL, NULL, napi_default, NULL},
      {"icmpSend", NULL, icmp_send, NULL, NULL, NULL, napi_default, NULL},
      {"tcpConnect", NULL, tcp_connect, NULL, NULL, NULL, napi_default, NULL},
      {"tcpCancel", NULL, tcp_cancel, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
