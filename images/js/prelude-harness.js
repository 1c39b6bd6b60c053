// A stand-in for the C side in the duk command, for prelude.test.ts: a fake __native on a virtual
// clock, and __run(), the idle loop, which jumps the clock to each next timer.
/* global print, TextEncoder, TextDecoder */
var __clock = 0;
// print() writes a string's bytes as Duktape keeps them (CESU-8), a Uint8Array's as they are.
function __print(text) {
  var bytes = new TextEncoder().encode(text + '\n');
  print(bytes);
}
globalThis.__native = {
  write: function (level, text) {
    // Stands for the execution timeout firing in the middle of a hook.
    if (level === 3 && globalThis.__abortOnError) {
      globalThis.__abortOnError = false;
      throw new RangeError('execution timeout');
    }
    print(['', '', 'warn: ', 'error: '][level] + text);
  },
  now: function () {
    return __clock;
  },
  random: function (u8) {
    for (var i = 0; i < u8.length; i++) u8[i] = Math.floor(Math.random() * 256);
  },
  respond: function (id, status, statusText, headers, body) {
    var text = body === null ? null : new TextDecoder().decode(body);
    var sent = { id: id, status: status, statusText: statusText, headers: headers, body: text };
    __print('respond ' + JSON.stringify(sent));
    return true;
  },
};
globalThis.__run = function () {
  for (var t; (t = globalThis.__tabcloud.tick()) >= 0;) if (t > __clock) __clock = t;
};
