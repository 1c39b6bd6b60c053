# Multiboot v1 entry. The loader (v86 with no BIOS, or QEMU after SeaBIOS) jumps
# to _start in 32-bit protected mode, paging off, with eax = 0x2BADB002 and
# ebx = physical address of the multiboot info. Nothing else is promised: the
# GDTR may be garbage (v86), so no segment register is reloaded here.

#include "param.h"

#define MB_MAGIC  0x1BADB002
#define MB_FLAGS  0x00000003   /* page-align modules, want a memory map */

.section .multiboot, "a"
.p2align 2
  .long MB_MAGIC
  .long MB_FLAGS
  .long -(MB_MAGIC + MB_FLAGS)

.text
.globl _start
_start:
  movl %eax, %esi            # keep the magic: rdtsc clobbers eax
  rdtsc                      # time 0 of the boot timeline
  movl %eax, boot_tsc
  movl %edx, boot_tsc+4

  # The stack lives after __bss_end (.stack): no loader zeroes it, and it
  # need not be. Then .bss, unless the loader did (main.c).
  movl $kstack + KSTACK_SIZE, %esp
  pushl $0
  popfl                      # known flags: IF=0, DF=0
  pushl %ebx                 # multiboot info
  pushl %esi                 # multiboot magic
  call boot_zero_bss
  movl %ebx, 4(%esp)         # a C function may change its arguments' slots:
  movl %esi, (%esp)          # pass them again (ebx, esi are callee-saved)
  call kmain
1:
  cli
  hlt
  jmp 1b

.data
.p2align 3
.globl boot_tsc
boot_tsc:
  .quad 0

.section .stack, "aw", @nobits
.p2align 4
kstack:
  .skip KSTACK_SIZE

.section .note.GNU-stack, "", @progbits   # no executable stack (quiets GNU ld)
