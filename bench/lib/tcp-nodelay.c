/*
 * LD_PRELOAD shim for the benchmarks' mock cluster: accept() and accept4() set TCP_NODELAY on
 * every connection they return, as Kafka's broker does for each connection it accepts (and the
 * kts broker too). librdkafka's mock cluster leaves Nagle's algorithm on, so a small response
 * that follows another not yet acknowledged waits for the client's delayed ACK (up to 40 ms).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

static int no_delay(int fd) {
  if (fd >= 0) {
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  }
  return fd;
}

int accept(int fd, struct sockaddr *address, socklen_t *length) {
  static int (*next)(int, struct sockaddr *, socklen_t *);
  if (next == NULL) next = dlsym(RTLD_NEXT, "accept");
  return no_delay(next(fd, address, length));
}

int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
  static int (*next)(int, struct sockaddr *, socklen_t *, int);
  if (next == NULL) next = dlsym(RTLD_NEXT, "accept4");
  return no_delay(next(fd, address, length, flags));
}
