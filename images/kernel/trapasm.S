# Interrupt entry: one stub per vector pushes a uniform (err, trapno) pair,
# then alltraps builds a struct trapframe and calls trap(tf).

.text
alltraps:
  pushal
  cld                        # the C ABI wants DF=0
  pushl %esp                 # struct trapframe *
  call trap
  addl $4, %esp
  popal
  addl $8, %esp              # trapno and err
  iret

# Vector without a CPU error code: push a 0 in its place.
.macro VEC n
vector\n:
  pushl $0
  pushl $\n
  jmp alltraps
.endm

# Vector for which the CPU pushes an error code.
.macro VECERR n
vector\n:
  pushl $\n
  jmp alltraps
.endm

.irp n, 0,1,2,3,4,5,6,7
VEC \n
.endr
VECERR 8
VEC 9
.irp n, 10,11,12,13,14
VECERR \n
.endr
VEC 15
VEC 16
VECERR 17
.irp n, 18,19,20
VEC \n
.endr
VECERR 21
.irp n, 22,23,24,25,26,27,28
VEC \n
.endr
VECERR 29
VECERR 30
VEC 31
.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
VEC \n
.endr

.section .rodata
.p2align 2
.globl trap_vectors
trap_vectors:
.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23
  .long vector\n
.endr
.irp n, 24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
  .long vector\n
.endr

.section .note.GNU-stack, "", @progbits   # no executable stack (quiets GNU ld)
