// The HTTP tests' scaffolding: a test application behind http_listen and a
// scripted client on the fake NIC that collects what the server sends.

#ifndef HTTPCL_H
#define HTTPCL_H

#include "fakenet.h"
#include "http.h"

extern struct hclient {
  u32 iss, seq, una;           // our ISN; the client's next seq; what it has acked of ours
  int fin;                     // the server sent its FIN
  u32 nout;
  char out[70000];             // what the client received
} cl;
extern int releases;           // app->release calls
extern u8 body[4096];          // the last request body the app took
extern u32 nbody;

void h_open(void);
void h_open_app(const struct http_app *app);
void h_pump(void);
void h_send_split(const char *s, u32 seg);
void h_send(const char *s);
int h_is(const char *want);
int h_status(int status);

#endif
