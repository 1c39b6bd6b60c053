// Between UTF-8 on the wire and Duktape's strings. Duktape keeps a string
// as its UTF-16 code units written like UTF-8: a BMP character as UTF-8, a
// surrogate (paired or not) as its own 3-byte sequence ED A0..BF xx (the
// form called CESU-8). So text without surrogates is the same bytes both
// ways, and these loops only rewrite surrogates: JS's own TextEncoder and
// TextDecoder walk every character through Duktape's generic code, which
// costs v86 about a microsecond a byte. Hardware-free: host-tested.

#include "types.h"
#include "utf8.h"

#define REPLACEMENT_LEN 3
static const u8 replacement[REPLACEMENT_LEN] = { 0xEF, 0xBF, 0xBD };   // U+FFFD in UTF-8

// The code unit of the 3-byte sequence at s (which must hold 3 bytes).
static u32
utf8_unit(const u8 *s)
{
  return (s[0] & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu);
}

// Is s[0..n) the start of a 3-byte surrogate of the range lo..lo+0x3FF?
static int
utf8_surrogate(const u8 *s, u32 n, u32 lo)
{
  return n >= 3 && s[0] == 0xED && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
         (utf8_unit(s) & 0xFC00) == lo;
}

// Duktape string bytes s[0..n) as UTF-8 into out (room for n bytes: the
// result is never longer): a surrogate pair becomes one 4-byte sequence, a
// lone surrogate U+FFFD, as TextEncoder does. The length written.
u32
utf8_from_js(const u8 *s, u32 n, u8 *out)
{
  u32 i = 0, o = 0, c;

  while(i < n){
    if(s[i] != 0xED){
      out[o++] = s[i++];
    } else if(utf8_surrogate(s + i, n - i, 0xD800) && utf8_surrogate(s + i + 3, n - i - 3, 0xDC00)){
      c = 0x10000 + ((utf8_unit(s + i) & 0x3FF) << 10 | (utf8_unit(s + i + 3) & 0x3FF));
      out[o++] = 0xF0 | c >> 18;
      out[o++] = 0x80 | (c >> 12 & 0x3F);
      out[o++] = 0x80 | (c >> 6 & 0x3F);
      out[o++] = 0x80 | (c & 0x3F);
      i += 6;
    } else if(utf8_surrogate(s + i, n - i, 0xD800) || utf8_surrogate(s + i, n - i, 0xDC00)){
      for(int k = 0; k < REPLACEMENT_LEN; k++)
        out[o++] = replacement[k];
      i += 3;
    } else
      out[o++] = s[i++];
  }
  return o;
}

// Write code point c as Duktape string bytes at out: UTF-8 for the BMP, a
// surrogate pair of 3-byte sequences above it. The bytes written.
static u32
utf8_put(u8 *out, u32 c)
{
  if(c < 0x80){
    out[0] = c;
    return 1;
  }
  if(c < 0x800){
    out[0] = 0xC0 | c >> 6;
    out[1] = 0x80 | (c & 0x3F);
    return 2;
  }
  if(c < 0x10000){
    out[0] = 0xE0 | c >> 12;
    out[1] = 0x80 | (c >> 6 & 0x3F);
    out[2] = 0x80 | (c & 0x3F);
    return 3;
  }
  c -= 0x10000;
  return utf8_put(out, 0xD800 | c >> 10) + utf8_put(out + 3, 0xDC00 | (c & 0x3FF));
}

// UTF-8 bytes s[0..n) as Duktape string bytes into out (room for 3n
// bytes), decoded as the WHATWG Encoding standard's UTF-8 decoder does: a
// 4-byte sequence becomes its surrogate pair, each maximal ill-formed
// subpart U+FFFD. The length written.
u32
utf8_to_js(const u8 *s, u32 n, u8 *out)
{
  u32 o = 0, c = 0, needed = 0, seen = 0, lower = 0x80, upper = 0xBF, b;

  for(u32 i = 0; i < n; i++){
    b = s[i];
    if(needed == 0){
      if(b < 0x80)
        out[o++] = b;
      else if(b >= 0xC2 && b <= 0xDF)
        needed = 1, c = b & 0x1F;
      else if(b >= 0xE0 && b <= 0xEF)
        needed = 2, c = b & 0x0F, lower = b == 0xE0 ? 0xA0 : 0x80, upper = b == 0xED ? 0x9F : 0xBF;
      else if(b >= 0xF0 && b <= 0xF4)
        needed = 3, c = b & 0x07, lower = b == 0xF0 ? 0x90 : 0x80, upper = b == 0xF4 ? 0x8F : 0xBF;
      else
        o += utf8_put(out + o, 0xFFFD);
      continue;
    }
    if(b < lower || b > upper){
      needed = seen = 0;
      lower = 0x80;
      upper = 0xBF;
      o += utf8_put(out + o, 0xFFFD);
      i--;                                   // this byte starts afresh
      continue;
    }
    lower = 0x80;
    upper = 0xBF;
    c = c << 6 | (b & 0x3F);
    if(++seen == needed){
      o += utf8_put(out + o, c);
      needed = seen = 0;
    }
  }
  if(needed)
    o += utf8_put(out + o, 0xFFFD);
  return o;
}
