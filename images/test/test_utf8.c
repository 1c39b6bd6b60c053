// js/utf8.c: Duktape's string bytes (CESU-8 surrogates) to UTF-8 as
// TextEncoder gives it, and UTF-8 to string bytes as the WHATWG decoder
// (Node's TextDecoder) gives it, malformed input included.

#include "test.h"
#include "utf8.h"

// Convert in[0..n) with fn and compare with want[0..wn).
static int
same(u32 (*fn)(const u8 *, u32, u8 *), const char *in, u32 n, const char *want, u32 wn)
{
  u8 out[64];
  u32 len = fn((const u8 *)in, n, out);

  return len == wn && kmemcmp(out, want, wn) == 0;
}

#define FROM(in, want) CHECK(same(utf8_from_js, in, sizeof(in) - 1, want, sizeof(want) - 1))
#define TO(in, want) CHECK(same(utf8_to_js, in, sizeof(in) - 1, want, sizeof(want) - 1))
#define FFFD "\xEF\xBF\xBD"

static void
test_utf8_from_js(void)
{
  FROM("plain ascii", "plain ascii");
  FROM("caf\xC3\xA9 \xE2\x82\xAC", "caf\xC3\xA9 \xE2\x82\xAC");          // BMP: the same bytes
  FROM("\xED\xA0\xBD\xED\xB8\x80", "\xF0\x9F\x98\x80");                  // U+1F600 from its pair
  FROM("a\xED\xA0\xBDz", "a" FFFD "z");                                   // lone high surrogate
  FROM("\xED\xB8\x80", FFFD);                                             // lone low surrogate
  FROM("\xED\xB8\x80\xED\xA0\xBD", FFFD FFFD);                            // a pair the wrong way round
  FROM("\xED\x9F\xBF", "\xED\x9F\xBF");                                   // U+D7FF is no surrogate
  FROM("\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80");                           // a 4-byte form passes
}

static void
test_utf8_to_js(void)
{
  TO("plain ascii", "plain ascii");
  TO("caf\xC3\xA9", "caf\xC3\xA9");
  TO("\xF0\x9F\x98\x80!", "\xED\xA0\xBD\xED\xB8\x80!");                  // U+1F600 as its pair
  TO("\xF4\x8F\xBF\xBF", "\xED\xAF\xBF\xED\xBF\xBF");                    // U+10FFFF
  TO("a\xFF" "b", "a" FFFD "b");
  TO("\xC0\x80", FFFD FFFD);                                              // overlong: two subparts
  TO("\xE2\x82", FFFD);                                                   // cut short: one
  TO("\xE2\x82" "x", FFFD "x");
  TO("\xF0\x80\x80", FFFD FFFD FFFD);                                     // F0 80 is never a start
  TO("\xED\xA0\x80", FFFD FFFD FFFD);                                     // a surrogate in UTF-8
  TO("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD);                            // past U+10FFFF
  TO("\xF0\x9F\x98", FFFD);
}

// Random code points to UTF-8 by hand, then to string bytes and back.
static void
test_utf8_round_trip(void)
{
  u8 utf8[4096], js[8192], back[8192];
  u32 n = 0, c, jn, bn;
  int ok = 1;

  for(int round = 0; round < 200 && ok; round++){
    for(n = 0; n < sizeof(utf8) - 4; ){
      c = (u32)(test_rand() % 0x110000);
      if(c >= 0xD800 && c <= 0xDFFF)
        continue;
      if(c < 0x80)
        utf8[n++] = c;
      else if(c < 0x800)
        utf8[n++] = 0xC0 | c >> 6, utf8[n++] = 0x80 | (c & 0x3F);
      else if(c < 0x10000)
        utf8[n++] = 0xE0 | c >> 12, utf8[n++] = 0x80 | (c >> 6 & 0x3F), utf8[n++] = 0x80 | (c & 0x3F);
      else
        utf8[n++] = 0xF0 | c >> 18, utf8[n++] = 0x80 | (c >> 12 & 0x3F), utf8[n++] = 0x80 | (c >> 6 & 0x3F),
        utf8[n++] = 0x80 | (c & 0x3F);
    }
    jn = utf8_to_js(utf8, n, js);
    bn = utf8_from_js(js, jn, back);
    ok = bn == n && kmemcmp(back, utf8, n) == 0;
  }
  CHECK(ok);
}

void
test_utf8(void)
{
  test_utf8_from_js();
  test_utf8_to_js();
  test_utf8_round_trip();
}
