// string.c: the memory and string functions (renamed k* on the host).

#include "test.h"

static void
test_mem(void)
{
  u8 a[16], b[16];

  for(int i = 0; i < 16; i++)
    a[i] = (u8)i;
  CHECK(kmemcpy(b, a, 16) == b && kmemcmp(a, b, 16) == 0);
  CHECK(kmemset(b, 0xAB, 10) == b && b[0] == 0xAB && b[9] == 0xAB && b[10] == 10);
  kmemset(b, 0, 0);
  CHECK(b[0] == 0xAB);

  // Overlap with dst above src (copies backwards) and below (forwards).
  CHECK(kmemmove(a + 2, a, 8) == a + 2);
  CHECK(a[2] == 0 && a[9] == 7 && a[10] == 10 && a[1] == 1);
  for(int i = 0; i < 16; i++)
    a[i] = (u8)i;
  kmemmove(a, a + 3, 8);
  CHECK(a[0] == 3 && a[7] == 10 && a[8] == 8);
  kmemmove(a, a, 16);
  CHECK(a[0] == 3);

  CHECK(kmemcmp("abc", "abd", 3) < 0 && kmemcmp("abd", "abc", 3) > 0);
  CHECK(kmemcmp("abc", "abd", 2) == 0 && kmemcmp("x", "y", 0) == 0);
  CHECK(kmemcmp("\x80", "\x01", 1) > 0);   // bytes compare as unsigned
}

static void
test_str(void)
{
  const char *s = "hello";

  CHECK(kstrlen("") == 0 && kstrlen(s) == 5);
  CHECK(kstrcmp("abc", "abc") == 0);
  CHECK(kstrcmp("abc", "abd") < 0 && kstrcmp("abd", "abc") > 0);
  CHECK(kstrcmp("ab", "abc") < 0 && kstrcmp("abc", "ab") > 0);
  CHECK(kstrcmp("\xff", "a") > 0);
  CHECK(kstrncmp("abcx", "abcy", 3) == 0 && kstrncmp("abcx", "abcy", 4) < 0);
  CHECK(kstrncmp("ab", "ab", 10) == 0 && kstrncmp("a", "b", 0) == 0);
  CHECK(kstrchr(s, 'l') == s + 2 && kstrchr(s, 'z') == 0);
  CHECK(kstrchr(s, 0) == s + 5);
}

void
test_string(void)
{
  test_mem();
  test_str();
}
