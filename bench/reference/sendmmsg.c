/*
 * The ceiling for layer 2 injection from user space: one AF_PACKET socket bound to an interface, one
 * prebuilt frame, sendmmsg() batches in a loop until a packet count or a duration is reached.
 * netkit's `inject --flood` is measured against it (bench/inject.ts).
 *
 * usage: sendmmsg IFACE FRAME_HEX SECONDS [BATCH]
 * prints: "sent N packets in S s: P pps"
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s IFACE FRAME_HEX SECONDS [BATCH]\n", argv[0]);
    return 2;
  }
  unsigned idx = if_nametoindex(argv[1]);
  if (!idx) { perror("if_nametoindex"); return 1; }
  unsigned char frame[2048] = {0};
  /* The frame is given whole, in hex, so the receiver does exactly the work it does for netkit's. */
  size_t hex = strlen(argv[2]);
  int len = (int)(hex / 2);
  if (hex % 2 || len < 14 || len > 1514) return 2;
  for (int i = 0; i < len; i++) {
    unsigned b;
    if (sscanf(argv[2] + 2 * i, "%2x", &b) != 1) return 2;
    frame[i] = (unsigned char)b;
  }
  double seconds = atof(argv[3]);
  int batch = argc > 4 ? atoi(argv[4]) : 256;
  if (batch < 1 || batch > 1024) return 2;
  int fd = socket(AF_PACKET, SOCK_RAW, 0);
  if (fd < 0) { perror("socket"); return 1; }
  struct sockaddr_ll sll = {0};
  sll.sll_family = AF_PACKET;
  sll.sll_ifindex = idx;
  if (bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0) { perror("bind"); return 1; }
  struct mmsghdr *msgs = calloc(batch, sizeof *msgs);
  struct iovec iov = {frame, (size_t)len};
  for (int i = 0; i < batch; i++) { msgs[i].msg_hdr.msg_iov = &iov; msgs[i].msg_hdr.msg_iovlen = 1; }
  unsigned long sent = 0;
  double t0 = now(), end = t0 + seconds, t = t0;
  while (t < end) {
    int r = sendmmsg(fd, msgs, batch, 0);
    if (r > 0) sent += r;
    t = now(); /* vDSO: tens of ns against a syscall of a whole batch */
  }
  t = now();
  printf("sent %lu packets in %.3f s: %.0f pps\n", sent, t - t0, sent / (t - t0));
  return 0;
}
