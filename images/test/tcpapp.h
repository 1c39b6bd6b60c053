// A test application on top of TCP (port 80) for the TCP tests: counts
// the upcalls and, when reading, collects what arrives.

#ifndef TCPAPP_H
#define TCPAPP_H

#include "fakenet.h"

#define PISN   1000u                  // the peer's initial sequence number
#define MS(x)  ((u64)(x) * 1000)

struct tcpapp {
  int accepts, recvs, sents, closes, reclaims;
  int refuse;                         // accept says no
  int reclaim;                        // reclaim closes the connection
  int read;                           // recv consumes everything
  int c;                              // the last accepted connection
  u32 ngot;
  u8 got[300000];
};
extern struct tcpapp app;

void app_reset(void);
int app_open(u16 sport, u32 pisn, u32 *iss);
void app_tick(u64 ms);

#endif
