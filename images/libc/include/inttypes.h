// <inttypes.h>: only the types (from the compiler's <stdint.h>); no PRI macros.

#ifndef _INTTYPES_H
#define _INTTYPES_H

#include <stdint.h>

#endif
