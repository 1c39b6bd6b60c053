// multiboot.c: command line lookup and memory map parsing.

#include "test.h"

static void
test_cmdline(void)
{
  const char *line = "/boot/hello.elf ip=10.0.2.15  debug name=kv x=";
  char buf[32];

  CHECK(cmdline_find(line, "ip", buf, sizeof(buf)) == 9);
  CHECK_STR(buf, "10.0.2.15");
  CHECK(cmdline_find(line, "debug", buf, sizeof(buf)) == 0);
  CHECK_STR(buf, "");
  CHECK(cmdline_find(line, "name", buf, sizeof(buf)) == 2);
  CHECK_STR(buf, "kv");
  CHECK(cmdline_find(line, "x", buf, sizeof(buf)) == 0);
  CHECK(cmdline_find(line, "i", buf, sizeof(buf)) == -1);     // no prefix matches
  CHECK(cmdline_find(line, "missing", buf, sizeof(buf)) == -1);
  CHECK(cmdline_find(line, "", buf, sizeof(buf)) == -1);
  CHECK(cmdline_find("", "ip", buf, sizeof(buf)) == -1);
  CHECK(cmdline_find(line, "ip", buf, 4) == 9);               // truncated copy
  CHECK_STR(buf, "10.");
}

struct entry {
  u32 size;
  u64 addr;
  u64 len;
  u32 type;
} __attribute__((packed));

static void
test_mmap(void)
{
  // v86 with 16 MiB: RAM below the VGA hole and above it up to the top.
  struct entry v86[] = {
    { 20, 0, 0xA0000, 1 },
    { 20, 0xC0000, 0x1000000 - 0xC0000, 1 },
  };
  struct entry mixed[] = {
    { 20, 0, 0x9FC00, 1 },
    { 20, 0x9FC00, 0x400, 2 },
    { 20, 0x100000, 0x1EE0000, 1 },
    { 20, 0xFFFC0000, 0x40000, 2 },
  };
  struct entry broken[] = {
    { 20, 0, 0x1000, 1 },
    { 0, 0x1000, 0x1000, 1 },             // size 0 would loop forever
  };
  const struct mem_region *r;

  mb_parse_mmap((const u8 *)v86, sizeof(v86));
  CHECK(mb_mem_total() == 0x1000000 - 0x20000);
  CHECK(mb_mmap(&r) == 2 && r[1].base == 0xC0000 && r[1].type == 1);

  mb_parse_mmap((const u8 *)mixed, sizeof(mixed));
  CHECK(mb_mem_total() == 0x9FC00 + 0x1EE0000);
  CHECK(mb_mmap(&r) == 4 && r[3].base == 0xFFFC0000 && r[3].type == 2);

  mb_parse_mmap((const u8 *)broken, sizeof(broken));
  CHECK(mb_mem_total() == 0x1000 && mb_mmap(&r) == 1);

  mb_parse_mmap((const u8 *)v86, sizeof(v86) - 1);           // a cut-off entry is ignored
  CHECK(mb_mmap(&r) == 1);
}

static void
test_free_region(void)
{
  struct entry map[] = {
    { 20, 0, 0x9FC00, 1 },
    { 20, 0x100000, 0x1300000, 1 },          // RAM up to 20 MiB
    { 20, 0xFFFC0000, 0x40000, 2 },
  };
  u32 b, l;

  mb_parse_mmap((const u8 *)map, sizeof(map));
  CHECK(mb_free_region(0x150000, &b, &l) == 0 && b == 0x150000 && l == 0x1400000 - 0x150000);
  mb_set_module(0x151000, 0x152000);         // just above the kernel (QEMU, v86)
  CHECK(mb_free_region(0x150000, &b, &l) == 0 && b == 0x152000 && l == 0x1400000 - 0x152000);
  mb_set_module(0x1300000, 0x1380000);       // near the top: the part below is larger
  CHECK(mb_free_region(0x150000, &b, &l) == 0 && b == 0x150000 && l == 0x1300000 - 0x150000);
  CHECK(mb_free_region(0x1400000, &b, &l) < 0);
}

void
test_multiboot(void)
{
  test_cmdline();
  test_mmap();
  test_free_region();
  CHECK_PANICS(mb_init(0x12345678, 0));
  CHECK_STR(test_panic_msg, "mb_init: bad multiboot magic 0x12345678");
}
