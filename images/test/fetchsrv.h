// The HTTP client tests' scaffolding: a scripted server on the fake NIC
// (the peer, 10.0.2.2) that takes the guest's connection, collects its
// request and answers with bytes the test gives; and fetch_ops that record
// what the client delivered.

#ifndef FETCHSRV_H
#define FETCHSRV_H

#include "fakenet.h"

extern struct fsrv {
  u16 port;                    // the guest's port (its SYN's source)
  u32 iss;                     // the guest's ISN
  u32 seq;                     // the server's next sequence number
  u32 ack;                     // what the server has received up to
  int rst, fin;                // the guest sent a RST, a FIN
  u32 nreq;
  char req[70000];             // the request bytes received
} srv;

extern struct fres {
  int heads, dones;
  int status;
  char headers[9000];
  u32 nheaders;
  char error[200];             // done's error, "" if none
  int abort_head;              // head() returns -1
  u32 nbody;
  u8 body[300000];             // last: fsrv_start clears what comes before
} res;

extern const struct fetch_ops rec_ops;

void fsrv_up(void);
int fsrv_start(const char *method, const char *url, const char *headers, const char *body);
int fsrv_start_body(const char *method, const char *url, const char *headers, const void *body, u32 len, int kept);
int fsrv_accept(u16 sport, int shift);
void fsrv_collect(void);
void fsrv_send(const void *p, u32 n, u32 seg);
void fsrv_say(const char *s);
void fsrv_fin(void);
void fsrv_poll(u64 ms);

#endif
