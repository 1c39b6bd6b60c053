# setjmp/longjmp for i386 cdecl. jmp_buf: ebx esi edi ebp esp eip.

.text
.globl setjmp
# int setjmp(jmp_buf env): save the callee-saved registers; 0 now, v later.
setjmp:
  movl 4(%esp), %eax
  movl %ebx, 0(%eax)
  movl %esi, 4(%eax)
  movl %edi, 8(%eax)
  movl %ebp, 12(%eax)
  leal 4(%esp), %ecx        # the caller's esp after this call returns
  movl %ecx, 16(%eax)
  movl (%esp), %ecx         # the return address
  movl %ecx, 20(%eax)
  xorl %eax, %eax
  ret

.globl longjmp
# void longjmp(jmp_buf env, int v): return from setjmp again, with v (1 if v is 0).
longjmp:
  movl 4(%esp), %edx
  movl 8(%esp), %eax
  testl %eax, %eax
  jnz 1f
  incl %eax
1:
  movl 0(%edx), %ebx
  movl 4(%edx), %esi
  movl 8(%edx), %edi
  movl 12(%edx), %ebp
  movl 16(%edx), %esp
  jmp *20(%edx)
