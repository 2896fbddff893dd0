/*
 * The ceiling for netkit's echo benchmarks: a minimal epoll echo server in C.
 *
 *   echo_epoll PORT [THREADS] [udp]
 *
 * THREADS event loops (default 1), each with its own SO_REUSEPORT listener on 127.0.0.1:PORT, level-triggered,
 * one 64 KiB buffer per thread. A client that does not read gets its pending bytes kept and its reads paused
 * until the socket drains (the same backpressure netkit's servers apply). "udp" echoes datagrams instead.
 * Runs until SIGTERM/SIGINT.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF 65536
#define MAXEV 256

struct conn {
  int fd;
  char *pending; /* bytes read but not yet written back */
  size_t off, len;
};

static int port;
static int udp;

static int make_listener(void) {
  int fd = socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK, 0);
  int one = 1;
  if (fd < 0) { perror("socket"); exit(1); }
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("bind"); exit(1); }
  if (!udp && listen(fd, 4096) < 0) { perror("listen"); exit(1); }
  return fd;
}

static void drop(int ep, struct conn *c) {
  epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  free(c->pending);
  free(c);
}

/* Writes what is pending; returns 0 when drained, 1 when the socket is full, -1 on error. */
static int flush(struct conn *c) {
  while (c->off < c->len) {
    ssize_t n = write(c->fd, c->pending + c->off, c->len - c->off);
    if (n < 0) return errno == EAGAIN ? 1 : -1;
    c->off += (size_t)n;
  }
  c->off = c->len = 0;
  return 0;
}

static void *udp_loop(void *arg) {
  (void)arg;
  int fd = make_listener();
  int blocking = 0;
  ioctl(fd, FIONBIO, &blocking); /* one thread, one socket: nothing else to wait for */
  char *buf = malloc(BUF);
  for (;;) {
    struct sockaddr_storage from;
    socklen_t flen = sizeof from;
    ssize_t n = recvfrom(fd, buf, BUF, 0, (struct sockaddr *)&from, &flen);
    if (n >= 0) sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, flen);
  }
  return NULL;
}

static void *tcp_loop(void *arg) {
  (void)arg;
  int lfd = make_listener();
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
  epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
  char *buf = malloc(BUF);
  struct epoll_event evs[MAXEV];
  for (;;) {
    int n = epoll_wait(ep, evs, MAXEV, -1);
    for (int i = 0; i < n; i++) {
      struct conn *c = evs[i].data.ptr;
      if (!c) {
        int fd;
        while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          int one = 1;
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          struct conn *nc = calloc(1, sizeof *nc);
          nc->fd = fd;
          struct epoll_event e = {.events = EPOLLIN, .data.ptr = nc};
          epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
        }
        continue;
      }
      if (evs[i].events & EPOLLOUT) {
        int r = flush(c);
        if (r < 0) { drop(ep, c); continue; }
        if (r == 0) {
          struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
          epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
        }
        continue;
      }
      ssize_t got = read(c->fd, buf, BUF);
      if (got == 0 || (got < 0 && errno != EAGAIN)) { drop(ep, c); continue; }
      if (got < 0) continue;
      ssize_t put = write(c->fd, buf, (size_t)got);
      if (put < 0 && errno != EAGAIN) { drop(ep, c); continue; }
      if (put < 0) put = 0;
      if (put < got) {
        c->pending = realloc(c->pending, (size_t)(got - put));
        memcpy(c->pending, buf + put, (size_t)(got - put));
        c->off = 0;
        c->len = (size_t)(got - put);
        struct epoll_event e = {.events = EPOLLOUT, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
      }
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: echo_epoll PORT [THREADS] [udp]\n"); return 2; }
  port = atoi(argv[1]);
  int threads = argc > 2 ? atoi(argv[2]) : 1;
  udp = argc > 3 && strcmp(argv[3], "udp") == 0;
  if (threads < 1) threads = 1;
  signal(SIGPIPE, SIG_IGN);
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGINT);
  sigaddset(&s, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &s, NULL); /* threads inherit the mask; main takes the signal */
  pthread_t t[64];
  for (int i = 0; i < threads && i < 64; i++) pthread_create(&t[i], NULL, udp ? udp_loop : tcp_loop, NULL);
  fprintf(stderr, "echo_epoll: listening on 127.0.0.1:%d, %d thread(s)%s\n", port, threads, udp ? ", udp" : "");
  int sig;
  sigwait(&s, &sig);
  return 0;
}
