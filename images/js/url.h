// Simple request URLs taken apart in C (url.c). Hardware-free.

#ifndef URL_H
#define URL_H

#include "types.h"

struct url_parts {
  u32 host, host_len;
  u32 port, port_len;         // port_len 0: none
  u32 path, path_len;
  int query;                  // where the query starts (after "?"), -1 if there is none; it runs to the end
};

int url_simple(const char *s, u32 n, struct url_parts *p);

#endif
