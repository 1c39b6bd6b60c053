// Between UTF-8 and Duktape's string bytes (utf8.c). Hardware-free.

#ifndef UTF8_H
#define UTF8_H

#include "types.h"

u32 utf8_from_js(const u8 *s, u32 n, u8 *out);
u32 utf8_to_js(const u8 *s, u32 n, u8 *out);

#endif
