// prelude.js in the image, NUL-terminated: the runtime compiles it at boot.
  .section .rodata
  .globl js_prelude
  .globl js_prelude_end
js_prelude:
  .incbin "js/prelude.js"
  .byte 0
js_prelude_end:
