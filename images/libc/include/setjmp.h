// <setjmp.h> for i386 (../setjmp.S): ebx esi edi ebp esp eip.

#ifndef _SETJMP_H
#define _SETJMP_H

typedef unsigned long jmp_buf[6];

// returns_twice: without it the compiler may keep values in registers that
// longjmp does not restore, and the first thrown error loops.
int setjmp(jmp_buf env) __attribute__((returns_twice));
void longjmp(jmp_buf env, int v) __attribute__((noreturn));

#endif
