// The runtime's JavaScript, NUL-terminated, compiled at boot (before the
// snapshot is taken): prelude.js, then tslib.js from npm, the helpers
// TypeScript's output calls (__awaiter, __generator, ...): bundles are
// transpiled with noEmitHelpers, so no boot compiles them again. Both as
// js/pack.ts packs them (PRELUDE and TSLIB name the files).
  .section .rodata
  .globl js_prelude
  .globl js_prelude_end
  .globl js_tslib
  .globl js_tslib_end
js_prelude:
  .incbin PRELUDE
  .byte 0
js_prelude_end:
js_tslib:
  .incbin TSLIB
  .byte 0
js_tslib_end:
