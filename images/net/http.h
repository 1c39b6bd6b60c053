// The HTTP server's interface is part of the appliance API (include/tabcloud.h);
// its internals are in http_impl.h.

#ifndef HTTP_H
#define HTTP_H

#include "tabcloud.h"

#endif
