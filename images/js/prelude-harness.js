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
// A stand-in for the C side's HTTP client: globalThis.__server(method, url, headers, body) answers
// each request with [status, statusText, headers, body] (a flat header list, a string body), or with
// a string, the client's error sentence. The answer arrives 1 ms later on the virtual clock. At most
// globalThis.__fetchRoom requests are in flight (-1 beyond, as the C side says).
var __answers = [];
var __tokens = 0;
globalThis.__native.fetch = function (method, url, headers, body) {
  if (typeof globalThis.__server !== 'function') return 'no server in this test';
  if (__answers.length >= (globalThis.__fetchRoom || Infinity)) return -1;
  var text = body === null ? null : new TextDecoder().decode(body);
  var answer = globalThis.__server(method, url, headers, text);
  var token = ++__tokens;
  __answers.push({ at: __clock + 1, token: token, answer: answer });
  return token;
};
function __deliver(a) {
  var r = a.answer;
  if (typeof r === 'string') return globalThis.__tabcloud.fetched(a.token, r, 0, '', [], null);
  var bytes = r[3] === null ? null : new TextEncoder().encode(r[3]);
  globalThis.__tabcloud.fetched(a.token, null, r[0], r[1], r[2], bytes);
}
// The idle loop: network answers and timers in the order of their times.
globalThis.__run = function () {
  for (;;) {
    var t = globalThis.__tabcloud.tick();
    if (__answers.length && (t < 0 || __answers[0].at <= t)) {
      var a = __answers.shift();
      if (a.at > __clock) __clock = a.at;
      __deliver(a);
    } else if (t >= 0) {
      if (t > __clock) __clock = t;
    } else return;
  }
};
