// The js appliance's runtime, JavaScript side: what Duktape 2.7 lacks of the web platform's
// server-side subset (WinterTC), and the __tabcloud hooks the C side calls. Plain ES5; the
// contract with the C side is in README.md. Everything is feature-tested and added only when
// missing, except what must be ours: Promise (its job queue is drained by the hooks), console and
// timers (on __native's clock); and Duktape's functions that differ from the standard are replaced
// (Array sort and splice, JSON.stringify, String.fromCharCode, Math.cbrt).
/* global TextEncoder, TextDecoder, __native */
/* eslint-disable no-control-regex -- URLs, headers and the console deal in control characters */
(function (G, native) {
  'use strict';
  delete G.__native;

  var K = Symbol('tabcloud.internal'); // an object's internal state, never enumerable
  var ITER = Symbol.iterator;
  var OP = Object.prototype;
  var AP = Array.prototype;
  var toStr = OP.toString;
  var defProp = Object.defineProperty;

  function hasOwn(o, k) {
    return OP.hasOwnProperty.call(o, k);
  }
  function isNil(v) {
    return v === null || v === undefined;
  }
  function isObject(v) {
    return v !== null && (typeof v === 'object' || typeof v === 'function');
  }
  // Adds non-enumerable methods (only the missing ones unless force).
  function def(o, props, force) {
    for (var k in props)
      if (force || !hasOwn(o, k)) defProp(o, k, { value: props[k], writable: true, configurable: true });
  }
  function redef(o, props) {
    def(o, props, true);
  }
  function defSym(o, sym, v) {
    if (!hasOwn(o, sym)) defProp(o, sym, { value: v, writable: true, configurable: true });
  }
  function getters(o, props) {
    for (var k in props) defProp(o, k, { get: props[k], configurable: true, enumerable: true });
  }
  function setState(o, st) {
    defProp(o, K, { value: st });
    return st;
  }
  // The internal state of a platform object of kind t, or a TypeError (a method on the wrong object).
  function state(o, t) {
    var st = isNil(o) ? undefined : o[K];
    if (!st || st.t !== t) throw new TypeError('Illegal invocation');
    return st;
  }
  function kindOf(o) {
    var st = isObject(o) ? o[K] : undefined;
    return st ? st.t : '';
  }
  function global(name, v) {
    defProp(G, name, { value: v, writable: true, configurable: true });
  }
  function attempt(f) {
    try {
      f();
    } catch (e) {
      return e;
    }
  }
  function sameValueZero(a, b) {
    return a === b || (a !== a && b !== b);
  }
  function toLength(n) {
    n = Math.trunc(+n) || 0;
    return n < 0 ? 0 : Math.min(n, 9007199254740991);
  }
  function relIndex(i, len, dflt) {
    if (i === undefined) return dflt;
    i = Math.trunc(+i) || 0;
    return i < 0 ? Math.max(len + i, 0) : Math.min(i, len);
  }

  // Iteration.
  if (!Symbol.asyncIterator) defProp(Symbol, 'asyncIterator', { value: Symbol('Symbol.asyncIterator') });
  var IterProto = {};
  defSym(IterProto, ITER, function () {
    return this;
  });
  function makeIter(next) {
    var it = Object.create(IterProto);
    def(it, { next: next });
    return it;
  }
  function done() {
    return { value: undefined, done: true };
  }
  // kind: 0 values, 1 keys, 2 entries.
  function arrayIter(a, kind) {
    var i = 0;
    return makeIter(function () {
      if (a === undefined || i >= a.length) {
        a = undefined;
        return done();
      }
      var k = i++;
      return { value: kind === 1 ? k : kind === 0 ? a[k] : [k, a[k]], done: false };
    });
  }
  // Calls fn(value) for each value of an iterable (or array-like), closing the iterator on a throw.
  function iterate(obj, fn) {
    if (isNil(obj)) throw new TypeError(obj + ' is not iterable');
    var m = obj[ITER];
    if (typeof m !== 'function') {
      if (typeof obj === 'string' || typeof obj.length !== 'number') throw new TypeError('object is not iterable');
      for (var i = 0; i < obj.length; i++) fn(obj[i]);
      return;
    }
    var it = m.call(obj),
      r;
    while (!(r = it.next()).done) {
      try {
        fn(r.value);
      } catch (e) {
        attempt(function () {
          if (typeof it['return'] === 'function') it['return']();
        }); // the first error wins
        throw e;
      }
    }
  }
  var iterMethods = {
    values: function () {
      return arrayIter(Object(this), 0);
    },
    keys: function () {
      return arrayIter(Object(this), 1);
    },
    entries: function () {
      return arrayIter(Object(this), 2);
    },
  };
  def(AP, iterMethods);
  defSym(AP, ITER, AP.values);
  defSym(String.prototype, ITER, function () {
    var s = String(this),
      i = 0;
    return makeIter(function () {
      if (i >= s.length) return done();
      var c = s.charCodeAt(i),
        n = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      var len = n >= 0xdc00 && n <= 0xdfff ? 2 : 1;
      i += len;
      return { value: s.substr(i - len, len), done: false };
    });
  });

  // Missing ES2015+ library functions.
  def(Array, {
    from: function (items, mapFn, thisArg) {
      var out = [],
        i = 0;
      if (isNil(items)) throw new TypeError(items + ' is not iterable');
      var add = function (v) {
        out.push(mapFn ? mapFn.call(thisArg, v, i++) : v);
      };
      if (typeof items[ITER] === 'function' || typeof items === 'string') iterate(items, add);
      else for (var n = toLength(items.length), j = 0; j < n; j++) add(items[j]);
      return out;
    },
    of: function () {
      return AP.slice.call(arguments);
    },
  });
  function findBy(fromEnd, wantIndex) {
    return function (pred, thisArg) {
      var o = Object(this),
        n = toLength(o.length);
      for (var k = 0; k < n; k++) {
        var i = fromEnd ? n - 1 - k : k;
        if (pred.call(thisArg, o[i], i, o)) return wantIndex ? i : o[i];
      }
      return wantIndex ? -1 : undefined;
    };
  }
  function flatten(out, a, depth) {
    for (var i = 0; i < a.length; i++) {
      if (!(i in a)) continue;
      if (depth > 0 && Array.isArray(a[i])) flatten(out, a[i], depth - 1);
      else out.push(a[i]);
    }
    return out;
  }
  var arrayExtras = {
    find: findBy(false, false),
    findIndex: findBy(false, true),
    findLast: findBy(true, false),
    findLastIndex: findBy(true, true),
    includes: function (v, from) {
      var o = Object(this),
        n = toLength(o.length);
      for (var i = relIndex(from, n, 0); i < n; i++) if (sameValueZero(o[i], v)) return true;
      return false;
    },
    fill: function (v, start, end) {
      var o = Object(this),
        n = toLength(o.length);
      for (var i = relIndex(start, n, 0), e = relIndex(end, n, n); i < e; i++) o[i] = v;
      return o;
    },
    at: function (i) {
      var o = Object(this),
        n = toLength(o.length);
      i = Math.trunc(+i) || 0;
      if (i < 0) i += n;
      return i < 0 || i >= n ? undefined : o[i];
    },
  };
  def(AP, arrayExtras);
  var nativeSort = AP.sort,
    nativeSplice = AP.splice;
  def(AP, {
    copyWithin: function (target, start, end) {
      var o = Object(this),
        n = toLength(o.length),
        to = relIndex(target, n, 0),
        from = relIndex(start, n, 0);
      var count = Math.min(relIndex(end, n, n) - from, n - to),
        dir = 1;
      if (from < to && to < from + count) {
        dir = -1;
        from += count - 1;
        to += count - 1;
      }
      for (; count > 0; count--, from += dir, to += dir) {
        if (from in o) o[to] = o[from];
        else delete o[to];
      }
      return o;
    },
    flat: function (depth) {
      return flatten([], this, depth === undefined ? 1 : Math.trunc(+depth) || 0);
    },
    flatMap: function (fn, thisArg) {
      return flatten([], AP.map.call(this, fn, thisArg), 1);
    },
  });
  // ES2015 made splice(start) delete to the end and sort stable; Duktape has neither.
  redef(AP, {
    splice: function (start) {
      if (!arguments.length) return [];
      if (arguments.length !== 1) return nativeSplice.apply(this, arguments);
      return nativeSplice.call(this, start, toLength(this.length));
    },
    sort: function (cmp) {
      if (cmp !== undefined && typeof cmp !== 'function')
        throw new TypeError('The comparison function must be either a function or undefined');
      var o = Object(this),
        n = toLength(o.length),
        vals = [],
        undef = 0,
        i;
      for (i = 0; i < n; i++) {
        if (!(i in o)) continue;
        if (o[i] === undefined) undef++;
        else vals.push([o[i], vals.length]);
      }
      nativeSort.call(vals, function (a, b) {
        var x = a[0],
          y = b[0],
          r;
        if (cmp) r = +cmp(x, y);
        else {
          x = String(x);
          y = String(y);
          r = x < y ? -1 : x > y ? 1 : 0;
        }
        return r || a[1] - b[1];
      });
      for (i = 0; i < vals.length; i++) o[i] = vals[i][0];
      for (; i < vals.length + undef; i++) o[i] = undefined;
      for (; i < n; i++) delete o[i];
      return o;
    },
  });
  def(Object, {
    hasOwn: function (o, k) {
      return hasOwn(Object(o), k);
    },
    entries: function (o) {
      return Object.keys(o).map(function (k) {
        return [k, o[k]];
      });
    },
    values: function (o) {
      return Object.keys(o).map(function (k) {
        return o[k];
      });
    },
    fromEntries: function (it) {
      var o = {};
      iterate(it, function (e) {
        o[e[0]] = e[1];
      });
      return o;
    },
    getOwnPropertyDescriptors: function (o) {
      var r = {};
      Object.getOwnPropertyNames(o)
        .concat(Object.getOwnPropertySymbols(o))
        .forEach(function (k) {
          r[k] = Object.getOwnPropertyDescriptor(o, k);
        });
      return r;
    },
  });
  function pad(atStart) {
    return function (len, fill) {
      var s = String(this);
      fill = fill === undefined ? ' ' : String(fill);
      len = toLength(len);
      if (len <= s.length || fill === '') return s;
      var p = fill.repeat(Math.ceil((len - s.length) / fill.length)).slice(0, len - s.length);
      return atStart ? p + s : s + p;
    };
  }
  var WS = '[\\s\\uFEFF\\xA0]+';
  var trimStart = function () {
    return String(this).replace(new RegExp('^' + WS), '');
  };
  var trimEnd = function () {
    return String(this).replace(new RegExp(WS + '$'), '');
  };
  def(String.prototype, {
    padStart: pad(true),
    padEnd: pad(false),
    trimStart: trimStart,
    trimEnd: trimEnd,
    trimLeft: trimStart,
    trimRight: trimEnd,
    at: arrayExtras.at,
    replaceAll: function (find, repl) {
      var s = String(this);
      if (toStr.call(find) === '[object RegExp]') {
        if (!find.global) throw new TypeError('replaceAll must be called with a global RegExp');
        return s.replace(find, repl);
      }
      var f = String(find),
        out = '',
        last = 0,
        step = f.length || 1;
      var substitute = function (p) {
        if (typeof repl === 'function') return String(repl(f, p, s));
        return String(repl).replace(/\$([$&`'])/g, function (m, c) {
          return c === '$' ? '$' : c === '&' ? f : c === '`' ? s.slice(0, p) : s.slice(p + f.length);
        });
      };
      for (var p = s.indexOf(f); p >= 0; p = p + step > s.length ? -1 : s.indexOf(f, p + step)) {
        out += s.slice(last, p) + substitute(p);
        last = p + f.length;
      }
      return out + s.slice(last);
    },
  });
  if (!('description' in Symbol.prototype)) {
    defProp(Symbol.prototype, 'description', {
      get: function () {
        var m = /^Symbol\(([\s\S]*)\)$/.exec(String(this));
        return m ? m[1] : undefined;
      },
      configurable: true,
    });
  }
  // Duktape's fromCharCode keeps code points above 0xFFFF; the spec takes the low 16 bits.
  var fromCharCode = String.fromCharCode;
  redef(String, {
    fromCharCode: function () {
      var codes = AP.map.call(arguments, function (c) {
        return c & 0xffff;
      });
      return fromCharCode.apply(null, codes);
    },
  });
  def(String.prototype, {
    // NFC and NFD for Latin letters (below); the compatibility forms are treated as the canonical.
    normalize: function (form) {
      form = form === undefined ? 'NFC' : String(form);
      if (!/^NFK?[CD]$/.test(form))
        throw new RangeError('The normalization form should be one of NFC, NFD, NFKC, NFKD.');
      if (!decomposed) buildNormalization();
      var d = String(this).replace(/[\u00c0-\u024f\u1e00-\u1eff]/g, decompose);
      d = d.replace(/[\u0300-\u036f]{2,}/g, canonicalOrder);
      return form.slice(-1) === 'D' ? d : d.replace(/[^\u0300-\u036f][\u0300-\u036f]+/g, compose);
    },
    matchAll: function (re) {
      if (toStr.call(re) === '[object RegExp]' && !re.global)
        throw new TypeError('String.prototype.matchAll called with a non-global RegExp argument');
      var s = String(this),
        isRe = toStr.call(re) === '[object RegExp]',
        r = new RegExp(re, isRe ? (re.ignoreCase ? 'gi' : 'g') + (re.multiline ? 'm' : '') : 'g');
      r.lastIndex = re.lastIndex || 0;
      return makeIter(function () {
        var m = r ? r.exec(s) : null;
        if (!m) {
          r = null;
          return done();
        }
        if (m[0] === '') r.lastIndex++;
        return { value: m, done: false };
      });
    },
  });
  // The canonical decompositions of U+00C0-U+024F and U+1E00-U+1EFF, two characters a code point:
  // the base (itself maybe decomposable) and a letter naming the combining mark; '..' for none.
  var MARKS =
    '\u0300\u0301\u0302\u0303\u0308\u030a\u0327\u0304\u0306\u0328\u0307\u030c\u030b\u031b\u030f\u0311\u0326\u0325\u0323\u0331\u032d\u0330\u032e\u0324\u0309';
  var LATIN = [
    [
      0xc0,
      'AaAbAcAdAeAf..CgEaEbEcEeIaIbIcIe..NdOaObOcOdOe....UaUbUcUeYb....aaabacadaeaf..cgeaebeceeiaibicie..ndoaobocodoe....uaubucueyb..yeAhahAiaiAjajCbcbCcccCkckClclDldl....EhehEieiEkekEjejElelGcgcGigiGkgkGgggHchc....IdidIhihIiiiIjijIk......JcjcKgkg..LblbLglgLlll........NbnbNgngNlnl......OhohOioiOmom....RbrbRgrgRlrlSbsbScscSgsgSlslTgtgTltl....UdudUhuhUiuiUfufUmumUjujWcwcYcycYeZbzbZkzkZlzl..................................................................Onon..........................Unun........................................................AlalIlilOlolUlulÜhühÜbübÜlülÜaüa..ÄhähȦhȧhÆhæh....GlglKlklOjojǪhǫhƷlʒljl......Gbgb....NanaÅbåbÆbæbØbøbAoaoApapEoeoEpepIoioIpipOoooOpopRoroRprpUouoUpupSqsqTqtq....Hlhl............AkakEgegÖhöhÕhõhOkokȮhȯhYhyh........................................................',
    ],
    [
      0x1e00,
      'ArarBkbkBsbsBtbtÇbçbDkdkDsdsDtdtDgdgDuduĒaēaĒbēbEueuEvevȨiȩiFkfkGhghHkhkHshsHeheHghgHwhwIvivÏbïbKbkbKsksKtktLslsḶhḷhLtltLuluMbmbMkmkMsmsNknkNsnsNtntNunuÕbõbÕeõeŌaōaŌbōbPbpbPkpkRkrkRsrsṚhṛhRtrtSkskSsssŚkśkŠkškṢkṣkTktkTstsTtttTutuUxuxUvuvUuuuŨbũbŪeūeVdvdVsvsWawaWbwbWeweWkwkWswsXkxkXexeYkykZczcZszsZtzthttewfyf..ſk........AsasAyayÂbâbÂaâaÂyâyÂdâdẠcạcĂbăbĂaăaĂyăyĂdădẠiạiEsesEyeyEdedÊbêbÊaêaÊyêyÊdêdẸcẹcIyiyIsisOsosOyoyÔbôbÔaôaÔyôyÔdôdỌcọcƠbơbƠaơaƠyơyƠdơdƠsơsUsusUyuyƯbưbƯaưaƯyưyƯdưdƯsưsYayaYsysYyyyYdyd............',
    ],
  ];
  var decomposed, composed;
  function buildNormalization() {
    decomposed = {};
    composed = {};
    LATIN.forEach(function (range) {
      for (var i = 0, t = range[1]; i < t.length; i += 2) {
        if (t.charAt(i) === '.') continue;
        var m = t.charCodeAt(i + 1),
          pair = t.charAt(i) + MARKS.charAt(m >= 97 ? m - 97 : m - 65 + 26),
          c = String.fromCharCode(range[0] + i / 2);
        decomposed[c] = pair;
        composed[pair] = c;
      }
    });
  }
  function decompose(c) {
    var d = decomposed[c];
    return d ? decompose(d.charAt(0)) + d.charAt(1) : c;
  }
  // A mark's combining class, roughly: attached (cedilla, ogonek, horn), below, or above.
  function markClass(mark) {
    if (/[\u0327\u0328\u031b]/.test(mark)) return 1;
    return /[\u0316-\u0319\u031c-\u0333\u0339-\u033c\u0345]/.test(mark) ? 2 : 3;
  }
  function canonicalOrder(marks) {
    var list = marks.split('').map(function (m, i) {
      return [markClass(m), i, m];
    });
    list.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1];
    });
    return list
      .map(function (e) {
        return e[2];
      })
      .join('');
  }
  function compose(run) {
    var base = run.charAt(0),
      rest = '';
    for (var i = 1; i < run.length; i++) {
      var mark = run.charAt(i),
        c = composed[base + mark];
      if (c && (rest === '' || markClass(rest.slice(-1)) < markClass(mark))) base = c;
      else rest += mark;
    }
    return base + rest;
  }
  def(String, {
    raw: function (strs) {
      var raw = strs.raw,
        out = '';
      for (var i = 0; i < raw.length; i++)
        out += raw[i] + (i + 1 < raw.length && i + 1 < arguments.length ? arguments[i + 1] : '');
      return out;
    },
  });
  def(Math, {
    fround: function (x) {
      return new Float32Array([x])[0];
    },
    expm1: function (x) {
      return Math.abs(x) < 1e-5 ? x + (x * x) / 2 + (x * x * x) / 6 : Math.exp(x) - 1;
    },
    log1p: function (x) {
      return Math.abs(x) < 1e-5 ? x - (x * x) / 2 + (x * x * x) / 3 : Math.log(1 + x);
    },
    sinh: function (x) {
      return x === 0 ? x : (Math.exp(x) - Math.exp(-x)) / 2;
    },
    cosh: function (x) {
      return (Math.exp(x) + Math.exp(-x)) / 2;
    },
    tanh: function (x) {
      if (x === 0 || x !== x) return x;
      if (Math.abs(x) > 20) return Math.sign(x);
      var a = Math.exp(2 * x);
      return (a - 1) / (a + 1);
    },
    asinh: function (x) {
      return x === 0 || !isFinite(x) ? x : (x < 0 ? -1 : 1) * Math.log(Math.abs(x) + Math.sqrt(x * x + 1));
    },
    acosh: function (x) {
      return Math.log(x + Math.sqrt(x * x - 1));
    },
    atanh: function (x) {
      return x === 0 ? x : Math.log((1 + x) / (1 - x)) / 2;
    },
  });
  // ES2019's JSON.stringify: U+2028 and U+2029 as they are, lone surrogates escaped (Duktape does
  // the opposite).
  var stringify = JSON.stringify;
  redef(JSON, {
    stringify: function () {
      var out = stringify.apply(JSON, arguments);
      if (typeof out !== 'string' || !/\\u202[89]|[\ud800-\udfff]/.test(out)) return out;
      out = out.replace(/(\\+)u(202[89])/g, function (m, slashes, hex) {
        return slashes.length % 2 ? slashes.slice(1) + String.fromCharCode(parseInt(hex, 16)) : m;
      });
      return out.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g, function (c) {
        return c.length === 2 ? c : '\\u' + c.charCodeAt(0).toString(16);
      });
    },
  });
  // Duktape's cbrt is off by an ulp even for perfect cubes; one Newton step fixes that.
  if (Math.cbrt(27) !== 3) {
    redef(Math, {
      cbrt: function (x) {
        var a = Math.abs(x),
          y = Math.pow(a, 1 / 3);
        if (a === 0 || !isFinite(a)) return x;
        y -= (y * y * y - a) / (3 * y * y);
        return x < 0 ? -y : y;
      },
    });
  }
  // Typed arrays share one prototype in Duktape; Array's generic methods work on them, except those
  // that build a new array (which must be of the same type) and sort (numeric by default).
  var TAP = Object.getPrototypeOf(Uint8Array.prototype);
  // Typed arrays' default order: numeric, -0 before +0, NaN last.
  function numericOrder(x, y) {
    if (x !== x || y !== y) return (x !== x) - (y !== y);
    return x - y || (1 / x < 1 / y ? -1 : 0);
  }
  function sameType(ta, values) {
    var r = new ta.constructor(values.length);
    r.set(values);
    return r;
  }
  def(TAP, iterMethods);
  defSym(TAP, ITER, TAP.values);
  def(TAP, arrayExtras);
  [
    'indexOf',
    'lastIndexOf',
    'join',
    'forEach',
    'reduce',
    'reduceRight',
    'every',
    'some',
    'reverse',
    'toString',
  ].forEach(function (m) {
    if (!hasOwn(TAP, m)) defProp(TAP, m, { value: AP[m], writable: true, configurable: true });
  });
  def(TAP, {
    slice: function (a, b) {
      return sameType(this, this.subarray(relIndex(a, this.length, 0), relIndex(b, this.length, this.length)));
    },
    map: function (fn, t) {
      return sameType(this, AP.map.call(this, fn, t));
    },
    filter: function (fn, t) {
      return sameType(this, AP.filter.call(this, fn, t));
    },
    sort: function (cmp) {
      var a = AP.slice.call(this).sort(cmp || numericOrder);
      this.set(a);
      return this;
    },
  });
  [
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array,
  ].forEach(function (C) {
    def(C, {
      from: function (v, f, t) {
        return new this(Array.from(v, f, t));
      },
      of: function () {
        return new this(AP.slice.call(arguments));
      },
    });
  });

  // Microtasks.
  // A job is taken off the queue (its slot nulled) before it runs, so a hook aborted by the
  // execution timeout leaves the queue consistent: the next hook carries on with the next job.
  var jobs = [],
    jobHead = 0,
    unhandled = [];
  function enqueue(job) {
    jobs.push(job);
  }
  function drain() {
    while (jobHead < jobs.length) {
      var job = jobs[jobHead];
      jobs[jobHead++] = null;
      if (job) job();
      if (jobHead > 1024) {
        var n = jobHead;
        jobHead = 0;
        jobs.splice(0, n);
      }
    }
    jobHead = 0;
    jobs = [];
    while (unhandled.length) {
      var st = unhandled.shift();
      if (!st.h) {
        st.h = true;
        writeLine(3, 'Uncaught (in promise) ' + describe(st.v));
      }
    }
  }

  // Promise (ES2015 semantics, the spec's job order, so interleavings match Node's).
  function Promise(executor) {
    if (!(this instanceof Promise)) throw new TypeError("Promise constructor cannot be invoked without 'new'");
    if (typeof executor !== 'function')
      throw new TypeError('Promise resolver ' + describe(executor) + ' is not a function');
    var st = setState(this, { t: 'P', s: 0, v: undefined, r: [], h: false });
    var f = resolvers(this, st);
    try {
      executor(f[0], f[1]);
    } catch (e) {
      f[1](e);
    }
  }
  function resolvers(p, st) {
    var called = false;
    return [
      function (x) {
        if (!called) {
          called = true;
          resolvePromise(p, st, x);
        }
      },
      function (r) {
        if (!called) {
          called = true;
          settle(st, 2, r);
        }
      },
    ];
  }
  function resolvePromise(p, st, x) {
    if (x === p) return settle(st, 2, new TypeError('Chaining cycle detected for promise #<Promise>'));
    if (!isObject(x)) return settle(st, 1, x);
    var then;
    try {
      then = x.then;
    } catch (e) {
      return settle(st, 2, e);
    }
    if (typeof then !== 'function') return settle(st, 1, x);
    enqueue(function () {
      var f = resolvers(p, st);
      try {
        then.call(x, f[0], f[1]);
      } catch (e) {
        f[1](e);
      }
    });
  }
  function settle(st, s, v) {
    var reactions = st.r;
    st.s = s;
    st.v = v;
    st.r = null;
    if (s === 2 && !st.h) unhandled.push(st);
    for (var i = 0; i < reactions.length; i++) schedule(reactions[i], s, v);
  }
  function schedule(re, s, v) {
    enqueue(function () {
      var h = s === 1 ? re.f : re.j,
        out;
      if (typeof h !== 'function') return (s === 1 ? re.c.resolve : re.c.reject)(v);
      try {
        out = h(v);
      } catch (e) {
        return re.c.reject(e);
      }
      re.c.resolve(out);
    });
  }
  function capability(C) {
    if (C === Promise) {
      // The common case, without the executor the spec's NewPromiseCapability goes through.
      var promise = Object.create(Promise.prototype),
        f = resolvers(promise, setState(promise, { t: 'P', s: 0, v: undefined, r: [], h: false }));
      return { promise: promise, resolve: f[0], reject: f[1] };
    }
    var res, rej;
    var p = new C(function (a, b) {
      if (res !== undefined || rej !== undefined)
        throw new TypeError('Promise executor has already been invoked with non-undefined arguments');
      res = a;
      rej = b;
    });
    if (typeof res !== 'function' || typeof rej !== 'function')
      throw new TypeError('Promise resolve or reject function is not callable');
    return { promise: p, resolve: res, reject: rej };
  }
  function speciesOf(p) {
    var C = p.constructor;
    return typeof C === 'function' ? C : Promise;
  }
  function promiseResolve(C, x) {
    if (kindOf(x) === 'P' && x.constructor === C) return x;
    var cap = capability(C);
    cap.resolve(x);
    return cap.promise;
  }
  function fulfilledEntry(set) {
    return function (v) {
      set({ status: 'fulfilled', value: v });
    };
  }
  function rejectedEntry(set) {
    return function (e) {
      set({ status: 'rejected', reason: e });
    };
  }
  // Promise.all (mode 0), allSettled (1), any (2), race (3).
  function combine(C, iterable, mode) {
    var cap = capability(C),
      values = [],
      remaining = 1,
      index = 0;
    function finish() {
      if (mode === 3) return;
      if (mode === 2) cap.reject(new AggregateError(values, 'All promises were rejected'));
      else cap.resolve(values);
    }
    try {
      var resolve = C.resolve;
      if (typeof resolve !== 'function') throw new TypeError('Promise resolve or reject function is not callable');
      iterate(iterable, function (item) {
        var i = index++,
          called = false;
        values.push(undefined);
        remaining++;
        var set = function (v) {
          if (!called) {
            called = true;
            values[i] = v;
            if (--remaining === 0) finish();
          }
        };
        var next = resolve.call(C, item);
        if (mode === 0) next.then(set, cap.reject);
        else if (mode === 1) next.then(fulfilledEntry(set), rejectedEntry(set));
        else if (mode === 2) next.then(cap.resolve, set);
        else next.then(cap.resolve, cap.reject);
      });
      if (--remaining === 0) finish();
    } catch (e) {
      cap.reject(e);
    }
    return cap.promise;
  }
  def(Promise.prototype, {
    then: function (onFulfilled, onRejected) {
      var st = state(this, 'P'),
        cap = capability(speciesOf(this));
      var re = { f: onFulfilled, j: onRejected, c: cap };
      if (st.s === 0) st.r.push(re);
      else schedule(re, st.s, st.v);
      st.h = true;
      return cap.promise;
    },
    catch: function (onRejected) {
      return this.then(undefined, onRejected);
    },
    finally: function (onFinally) {
      var C = speciesOf(this);
      if (typeof onFinally !== 'function') return this.then(onFinally, onFinally);
      var thenFinally = function (v) {
        return promiseResolve(C, onFinally()).then(function () {
          return v;
        });
      };
      var catchFinally = function (e) {
        return promiseResolve(C, onFinally()).then(function () {
          throw e;
        });
      };
      return this.then(thenFinally, catchFinally);
    },
  });
  defSym(Promise.prototype, Symbol.toStringTag, 'Promise');
  def(Promise, {
    resolve: function (x) {
      return promiseResolve(this, x);
    },
    reject: function (r) {
      var cap = capability(this);
      cap.reject(r);
      return cap.promise;
    },
    all: function (it) {
      return combine(this, it, 0);
    },
    allSettled: function (it) {
      return combine(this, it, 1);
    },
    any: function (it) {
      return combine(this, it, 2);
    },
    race: function (it) {
      return combine(this, it, 3);
    },
    withResolvers: function () {
      return capability(this);
    },
  });
  global('Promise', Promise);

  // An Error subclass in ES5: a real Error (so it has a stack) with another prototype.
  function errorClass(name, init) {
    function E(message) {
      var e = new Error(message);
      Object.setPrototypeOf(e, Object.getPrototypeOf(this) || E.prototype);
      init.apply(e, arguments);
      return e;
    }
    defProp(E, 'name', { value: name, configurable: true });
    E.prototype = Object.create(Error.prototype);
    def(E.prototype, { constructor: E, name: name });
    return E;
  }
  var AggregateError =
    G.AggregateError ||
    errorClass('AggregateError', function (errors, message) {
      this.message = message === undefined ? '' : String(message);
      def(this, { errors: Array.from(errors) }, true);
    });
  var DOMException =
    G.DOMException ||
    errorClass('DOMException', function (message, name) {
      this.message = message === undefined ? '' : String(message);
      def(this, { name: name === undefined ? 'Error' : String(name) }, true);
    });
  if (!G.AggregateError) global('AggregateError', AggregateError);
  if (!G.DOMException) global('DOMException', DOMException);

  // Map, Set (insertion-ordered linked entries; SameValueZero).
  // Primitive keys are indexed by a typed string; objects by an id stored under a symbol on them
  // (a non-extensible object or a symbol key falls back to a list). A deleted entry keeps its
  // links, so an iterator standing on it walks back to a live entry and carries on from there.
  var KID = Symbol('tabcloud.id'),
    nextId = 0;
  function keyString(k) {
    switch (typeof k) {
      case 'string':
        return 's' + k;
      case 'number':
        return 'n' + (k === 0 ? 0 : k);
      case 'boolean':
        return k ? 't' : 'f';
      case 'undefined':
        return 'u';
      case 'symbol':
        return null;
    }
    if (k === null) return 'z';
    if (hasOwn(k, KID)) return 'o' + k[KID];
    if (!Object.isExtensible(k)) return null;
    defProp(k, KID, { value: ++nextId });
    return 'o' + nextId;
  }
  function collection(t) {
    var head = { r: false, n: null, p: null };
    return { t: t, head: head, tail: head, idx: Object.create(null), odd: [], size: 0 };
  }
  function findEntry(st, k) {
    var s = keyString(k);
    if (s !== null) return st.idx[s];
    for (var i = 0; i < st.odd.length; i++) if (st.odd[i].k === k) return st.odd[i];
  }
  function addEntry(st, k, v) {
    var e = findEntry(st, k);
    if (e) {
      e.v = v;
      return;
    }
    if (k === 0) k = 0; // -0 becomes +0
    e = { k: k, v: v, r: false, n: null, p: st.tail };
    var s = keyString(k);
    if (s !== null) st.idx[s] = e;
    else st.odd.push(e);
    st.tail.n = e;
    st.tail = e;
    st.size++;
  }
  function removeEntry(st, k) {
    var e = findEntry(st, k);
    if (!e) return false;
    var s = keyString(k);
    if (s !== null) delete st.idx[s];
    else st.odd.splice(st.odd.indexOf(e), 1);
    e.r = true;
    e.p.n = e.n;
    if (e.n) e.n.p = e.p;
    else st.tail = e.p;
    st.size--;
    return true;
  }
  function clearEntries(st) {
    for (var e = st.head.n; e; e = e.n) e.r = true;
    st.head.n = null;
    st.tail = st.head;
    st.idx = Object.create(null);
    st.odd = [];
    st.size = 0;
  }
  // The live entry after e (walking back first if e was deleted), or null.
  function nextLive(e) {
    while (e.r) e = e.p;
    return e.n;
  }
  // kind: 0 values, 1 keys, 2 entries.
  function entryIter(st, kind) {
    var cur = st.head;
    return makeIter(function () {
      if (!cur || !(cur = nextLive(cur))) return done();
      return { value: kind === 1 ? cur.k : kind === 0 ? cur.v : [cur.k, cur.v], done: false };
    });
  }
  function fillFrom(self, iterable, pairs) {
    if (isNil(iterable)) return;
    var add = pairs ? self.set : self.add;
    if (typeof add !== 'function') throw new TypeError("'" + (pairs ? 'set' : 'add') + "' is not a function");
    iterate(iterable, function (e) {
      if (!pairs) return add.call(self, e);
      if (!isObject(e)) throw new TypeError('Iterator value ' + e + ' is not an entry object');
      add.call(self, e[0], e[1]);
    });
  }
  // Defines the global class name unless the engine has it.
  function collectionClass(name, t, pairs, methods) {
    if (typeof G[name] === 'function') return;
    function C(iterable) {
      if (!(this instanceof C)) throw new TypeError('Constructor ' + name + " requires 'new'");
      setState(this, collection(t));
      fillFrom(this, iterable, pairs);
    }
    defProp(C, 'name', { value: name, configurable: true });
    var proto = C.prototype;
    def(proto, methods);
    def(proto, {
      has: function (k) {
        return !!findEntry(state(this, t), k);
      },
      delete: function (k) {
        return removeEntry(state(this, t), k);
      },
      clear: function () {
        clearEntries(state(this, t));
      },
      forEach: function (fn, thisArg) {
        if (typeof fn !== 'function') throw new TypeError(describe(fn) + ' is not a function');
        for (var e = state(this, t).head; (e = nextLive(e));) fn.call(thisArg, e.v, e.k, this);
      },
      entries: function () {
        return entryIter(state(this, t), 2);
      },
      values: function () {
        return entryIter(state(this, t), 0);
      },
      keys: function () {
        return entryIter(state(this, t), 1);
      },
    });
    if (!pairs) proto.keys = proto.values;
    defProp(proto, 'size', {
      get: function () {
        return state(this, t).size;
      },
      configurable: true,
    });
    defSym(proto, ITER, pairs ? proto.entries : proto.values);
    defSym(proto, Symbol.toStringTag, name);
    global(name, C);
  }
  collectionClass('Map', 'M', true, {
    get: function (k) {
      var e = findEntry(state(this, 'M'), k);
      return e ? e.v : undefined;
    },
    set: function (k, v) {
      addEntry(state(this, 'M'), k, v);
      return this;
    },
  });
  collectionClass('Set', 'S', false, {
    add: function (v) {
      addEntry(state(this, 'S'), v, v);
      return this;
    },
  });
  // WeakMap/WeakSet: the value lives on the key under a per-collection symbol, so it dies with the
  // key; non-extensible keys fall back to a (strong) list.
  function weakClass(name, t, pairs, methods) {
    if (typeof G[name] === 'function') return;
    function W(iterable) {
      if (!(this instanceof W)) throw new TypeError('Constructor ' + name + " requires 'new'");
      setState(this, { t: t, sym: Symbol(name), keys: [], vals: [] });
      fillFrom(this, iterable, pairs);
    }
    defProp(W, 'name', { value: name, configurable: true });
    def(W.prototype, methods);
    def(W.prototype, {
      has: function (k) {
        var st = state(this, t);
        return isObject(k) && (hasOwn(k, st.sym) || st.keys.indexOf(k) >= 0);
      },
      delete: function (k) {
        var st = state(this, t),
          i;
        if (!isObject(k)) return false;
        if (hasOwn(k, st.sym)) return delete k[st.sym];
        if ((i = st.keys.indexOf(k)) < 0) return false;
        st.keys.splice(i, 1);
        st.vals.splice(i, 1);
        return true;
      },
    });
    defSym(W.prototype, Symbol.toStringTag, name);
    global(name, W);
  }
  function weakSet(st, k, v) {
    if (!isObject(k)) throw new TypeError('Invalid value used as weak ' + (st.t === 'WM' ? 'map key' : 'set value'));
    var i;
    if (hasOwn(k, st.sym)) k[st.sym] = v;
    else if (Object.isExtensible(k)) defProp(k, st.sym, { value: v, writable: true, configurable: true });
    else if ((i = st.keys.indexOf(k)) >= 0) st.vals[i] = v;
    else {
      st.keys.push(k);
      st.vals.push(v);
    }
  }
  weakClass('WeakMap', 'WM', true, {
    get: function (k) {
      var st = state(this, 'WM');
      if (!isObject(k)) return undefined;
      return hasOwn(k, st.sym) ? k[st.sym] : st.vals[st.keys.indexOf(k)];
    },
    set: function (k, v) {
      weakSet(state(this, 'WM'), k, v);
      return this;
    },
  });
  weakClass('WeakSet', 'WS', false, {
    add: function (v) {
      weakSet(state(this, 'WS'), v, true);
      return this;
    },
  });

  // The line map and error positions.
  var linemap = [];
  // [line, column] in the user's source for a line of the script, or null when unknown.
  function mapLine(n) {
    if (!linemap.length) return [n, 0];
    var m = /^(\d+):(\d+)$/.exec(linemap[n - 1] || '');
    return m ? [+m[1], +m[2]] : null;
  }
  var FRAME = /^(\s+at .*\(script:)(\d+)\)/;
  // The first stack frame in the user's script that maps to their source.
  function errorPosition(e) {
    var stack = isObject(e) ? e.stack : undefined;
    if (typeof stack !== 'string') return null;
    var lines = stack.split('\n');
    for (var i = 1; i < lines.length; i++) {
      var m = FRAME.exec(lines[i]),
        pos = m && mapLine(+m[2]);
      if (pos) return pos;
    }
    return null;
  }
  function errorMessage(e) {
    if (e instanceof Error || toStr.call(e) === '[object Error]') {
      var msg = String(e.message === undefined ? '' : e.message),
        name = String(e.name === undefined ? 'Error' : e.name);
      return msg ? name + ': ' + msg : name;
    }
    return isObject(e) ? inspect(e) : String(e);
  }
  // An error's stack as the user should read it: only the script's frames, at their source positions.
  function userStack(e) {
    var lines = String(e.stack).split('\n'),
      out = [lines[0]];
    for (var i = 1; i < lines.length; i++) {
      var m = FRAME.exec(lines[i]),
        pos = m && mapLine(+m[2]);
      if (pos) out.push(m[1] + pos[0] + (pos[1] ? ':' + pos[1] : '') + ')');
    }
    return out.join('\n');
  }
  function errorJSON(e) {
    var info = { error: 'script-error', message: errorMessage(e) },
      pos = errorPosition(e);
    if (pos) {
      info.line = pos[0];
      if (pos[1]) info.column = pos[1];
    }
    return info;
  }
  function reportError(e) {
    var info = errorJSON(e);
    var at = info.line ? ' at ' + info.line + (info.column ? ':' + info.column : '') : '';
    writeLine(3, 'script error' + at + ': ' + info.message);
  }

  // console, in the format of Node's util.inspect for the common cases.
  // Duktape keeps a non-BMP character as a surrogate pair, CESU-8 inside, and the C side prints a
  // string's bytes: a line with one goes out with the pair turned into one code point, which
  // Duktape's own String.fromCharCode makes (as UTF-8 inside).
  var wideChars = fromCharCode(0x1f600).length === 1;
  function toCodePoint(c) {
    if (c.length === 1) return '\ufffd';
    return fromCharCode((c.charCodeAt(0) - 0xd800) * 0x400 + c.charCodeAt(1) - 0xdc00 + 0x10000);
  }
  function writeLine(level, text) {
    if (wideChars && /[\ud800-\udfff]/.test(text))
      text = text.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g, toCodePoint);
    native.write(level, text);
  }
  function describe(v) {
    return typeof v === 'string' ? v : inspect(v);
  }
  function inspect(v) {
    return formatValue({ seen: [], circular: [], indent: 0, depth: 2 }, v, 0);
  }
  var IDENT = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
  function hex(n, w) {
    var s = n.toString(16).toUpperCase();
    while (s.length < w) s = '0' + s;
    return s;
  }
  function quote(s) {
    var q = "'";
    if (s.indexOf("'") >= 0) {
      if (s.indexOf('"') < 0) q = '"';
      else if (s.indexOf('`') < 0 && s.indexOf('${') < 0) q = '`';
    }
    return (
      q +
      s.replace(/[\x00-\x1f\x27\x5c\x7f-\x9f]|[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g, function (c) {
        var n = c.charCodeAt(0);
        if (c.length === 2) return c;
        if (c === "'") return q === "'" ? "\\'" : c;
        if (c === '\\') return '\\\\';
        if (n >= 0xd800) return '\\u' + n.toString(16);
        return { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' }[n] || '\\x' + hex(n, 2);
      }) +
      q
    );
  }
  function formatPrimitive(v) {
    if (typeof v === 'string') return quote(v);
    if (v === 0 && 1 / v < 0) return '-0';
    return String(v);
  }
  function ctorName(v) {
    for (var o = v; o; o = Object.getPrototypeOf(o)) {
      var d = Object.getOwnPropertyDescriptor(o, 'constructor');
      if (d && typeof d.value === 'function' && d.value.name && v instanceof d.value) return d.value.name;
    }
    return Object.getPrototypeOf(v) === null ? null : '';
  }
  function prefixOf(ctor, tag, fallback, size) {
    size = size || '';
    if (ctor === null)
      return '[' + fallback + size + ': null prototype] ' + (tag && tag !== fallback ? '[' + tag + '] ' : '');
    return (ctor || fallback) + size + ' ' + (tag && tag !== ctor ? '[' + tag + '] ' : '');
  }
  function ownKeys(v, skipIndices) {
    var keys = Object.keys(v);
    if (skipIndices)
      keys = keys.filter(function (k) {
        return !/^(0|[1-9]\d*)$/.test(k);
      });
    var symbols = Object.getOwnPropertySymbols(v).filter(function (s) {
      return OP.propertyIsEnumerable.call(v, s);
    });
    return keys.concat(symbols);
  }
  function formatValue(ctx, v, depth) {
    if (!isObject(v)) return formatPrimitive(v);
    if (ctx.seen.indexOf(v) >= 0) {
      var i = ctx.circular.indexOf(v);
      if (i < 0) i = ctx.circular.push(v) - 1;
      return '[Circular *' + (i + 1) + ']';
    }
    return formatRaw(ctx, v, depth);
  }
  function formatRaw(ctx, v, depth) {
    var ctor = ctorName(v),
      tag = v[Symbol.toStringTag],
      kind = kindOf(v),
      cls = toStr.call(v);
    if (typeof tag !== 'string' || OP.propertyIsEnumerable.call(v, Symbol.toStringTag)) tag = '';
    var base = '',
      braces = ['{', '}'],
      isArrayish = false,
      keys,
      src = v,
      entries = null,
      empty;
    if (kind === 'U' || kind === 'H') {
      // Shown as the plain object of their attributes, as Node shows them.
      src = {};
      if (kind === 'U')
        URL_KEYS.forEach(function (k) {
          src[k] = v[k];
        });
      else
        sortedHeaders(v[K].list).forEach(function (e) {
          src[e[0]] = e[1];
        });
      keys = Object.keys(src);
      braces[0] = ctor + ' {';
      if (!keys.length) return braces[0] + '}';
    } else if (kind === 'Q') {
      keys = [];
      braces[0] = ctor + ' {';
      if (!v[K].list.length) return braces[0] + '}';
      entries = function () {
        return v[K].list.map(function (e) {
          return quote(e[0]) + ' => ' + quote(e[1]);
        });
      };
    } else if (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) {
      isArrayish = true;
      keys = ownKeys(v, true);
      var plain = ctor === 'Array' && !tag;
      braces = [(plain ? '' : prefixOf(ctor, tag, 'Array', '(' + v.length + ')')) + '[', ']'];
      if (!v.length && !keys.length) return braces[0] + ']';
      entries = function () {
        return formatList(ctx, v, depth);
      };
    } else if (kind === 'M' || kind === 'S') {
      keys = ownKeys(v);
      var p = prefixOf(ctor, tag, kind === 'M' ? 'Map' : 'Set', '(' + v.size + ')');
      if (!v.size && !keys.length) return p + '{}';
      braces = [p + '{', '}'];
      entries = function () {
        var out = [];
        ctx.indent += 2;
        v.forEach(function (val, k) {
          var s = formatValue(ctx, val, depth);
          out.push(kind === 'M' ? formatValue(ctx, k, depth) + ' => ' + s : s);
        });
        ctx.indent -= 2;
        return out;
      };
    } else {
      keys = ownKeys(v);
      empty = !keys.length;
      if (typeof v === 'function') {
        base =
          '[Function' +
          (ctor === null ? ' (null prototype)' : '') +
          (v.name ? ': ' + v.name : ' (anonymous)') +
          ']' +
          (ctor && ctor !== 'Function' ? ' ' + ctor : '') +
          (tag && tag !== ctor ? ' [' + tag + ']' : '');
        if (empty) return base;
      } else if (cls === '[object RegExp]' || cls === '[object Date]') {
        base = cls === '[object Date]' ? (isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString()) : String(v);
        if (empty) return base;
      } else if (v instanceof Error || cls === '[object Error]') {
        base = typeof v.stack === 'string' ? userStack(v) : errorMessage(v);
        if (base.indexOf('\n    at') < 0) base = '[' + base + ']';
        if (ctx.indent) base = base.split('\n').join('\n' + ' '.repeat(ctx.indent));
        if (empty) return base;
      } else if (v instanceof ArrayBuffer) {
        braces[0] = prefixOf(ctor, tag, 'ArrayBuffer') + '{';
        entries = function () {
          var b = new Uint8Array(v, 0, Math.min(v.byteLength, 50)),
            s = [];
          for (var i = 0; i < b.length; i++) s.push(hex(b[i], 2).toLowerCase());
          return [
            '[Uint8Contents]: <' +
              s.join(' ') +
              (v.byteLength > 50 ? ' ... ' + (v.byteLength - 50) + ' more bytes' : '') +
              '>',
            'byteLength: ' + v.byteLength,
          ];
        };
      } else if (kind === 'P') {
        braces[0] = prefixOf(ctor, tag, 'Promise') + '{';
        entries = function () {
          var st = v[K];
          if (!st.s) return ['<pending>'];
          ctx.indent += 2;
          var s = formatValue(ctx, st.v, depth);
          ctx.indent -= 2;
          return [st.s === 2 ? '<rejected> ' + s : s];
        };
      } else {
        braces[0] =
          (ctor === 'Object' ? (tag ? prefixOf(ctor, tag, 'Object') : '') : prefixOf(ctor, tag, 'Object')) + '{';
        if (empty) return braces[0] + '}';
      }
    }
    if (depth > ctx.depth) return ctor === null ? '[Object: null prototype]' : '[' + (ctor || 'Object') + ']';
    depth++;
    ctx.seen.push(v);
    var output = entries ? entries() : [];
    for (var i = 0; i < keys.length; i++) output.push(formatProperty(ctx, src, depth, keys[i]));
    ctx.seen.pop();
    var ref = ctx.circular.indexOf(v);
    if (ref >= 0) base = '<ref *' + (ref + 1) + '>' + (base ? ' ' + base : '');
    return joinOutput(ctx, output, base, braces, isArrayish, v);
  }
  function formatList(ctx, v, depth) {
    var out = [],
      n = Math.min(v.length, 100),
      holes = 0;
    function flush() {
      if (holes) out.push('<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>');
      holes = 0;
    }
    for (var i = 0; i < n; i++) {
      if (!hasOwn(v, i) && Array.isArray(v)) {
        holes++;
        continue;
      }
      flush();
      ctx.indent += 2;
      out.push(formatValue(ctx, v[i], depth));
      ctx.indent -= 2;
    }
    flush();
    if (v.length > n) out.push('... ' + (v.length - n) + ' more item' + (v.length - n > 1 ? 's' : ''));
    return out;
  }
  function formatProperty(ctx, v, depth, key) {
    var d = Object.getOwnPropertyDescriptor(v, key) || { value: v[key] },
      s;
    if (d.get || d.set) s = d.get ? (d.set ? '[Getter/Setter]' : '[Getter]') : '[Setter]';
    else {
      ctx.indent += 2;
      s = formatValue(ctx, d.value, depth);
      ctx.indent -= 2;
    }
    var name = typeof key === 'symbol' ? '[' + String(key) + ']' : IDENT.test(key) ? key : quote(key);
    return name + ': ' + s;
  }
  // Node's reduceToSingleString for compact mode 3: one line when it fits in 80 columns, else one
  // entry a line; arrays of more than six entries are grouped in columns.
  function joinOutput(ctx, output, base, braces, isArrayish, v) {
    var entries = output.length;
    if (isArrayish && entries > 6) output = groupElements(ctx, output, v);
    if (entries === output.length) {
      var start = output.length + ctx.indent + braces[0].length + base.length + 10,
        total = output.length + start;
      var fits = total + output.length <= 80;
      for (var i = 0; fits && i < output.length; i++) fits = (total += output[i].length) <= 80;
      if (fits && base.indexOf('\n') < 0) {
        var joined = output.join(', ');
        if (joined.indexOf('\n') < 0) return (base ? base + ' ' : '') + braces[0] + ' ' + joined + ' ' + braces[1];
      }
    }
    var ind = '\n' + ' '.repeat(ctx.indent);
    return (base ? base + ' ' : '') + braces[0] + ind + '  ' + output.join(',' + ind + '  ') + ind + braces[1];
  }
  function groupElements(ctx, output, v) {
    var total = 0,
      maxLen = 0,
      i,
      n = output.length;
    if (v.length > 100) n--; // leave out "... more items"
    var lens = [];
    for (i = 0; i < n; i++) {
      lens[i] = output[i].length;
      total += lens[i] + 2;
      if (maxLen < lens[i]) maxLen = lens[i];
    }
    var actualMax = maxLen + 2;
    if (!(actualMax * 3 + ctx.indent < 80 && (total / actualMax > 5 || maxLen <= 6))) return output;
    var bias = Math.sqrt(actualMax - total / output.length),
      biasedMax = Math.max(actualMax - 3 - bias, 1);
    var byArea = Math.round(Math.sqrt(2.5 * biasedMax * n) / biasedMax);
    var cols = Math.min(byArea, Math.floor((80 - ctx.indent) / actualMax), 12, 15);
    if (cols <= 1) return output;
    var widths = [],
      grouped = [],
      numeric = true;
    for (i = 0; i < cols; i++) {
      var w = 0;
      for (var j = i; j < output.length; j += cols) if (lens[j] > w) w = lens[j];
      widths.push(w + 2);
    }
    for (i = 0; i < output.length; i++)
      if (typeof v[i] !== 'number') {
        numeric = false;
        break;
      }
    for (i = 0; i < n; i += cols) {
      var max = Math.min(i + cols, n),
        line = '';
      for (j = i; j < max - 1; j++)
        line += numeric ? (output[j] + ', ').padStart(widths[j - i]) : (output[j] + ', ').padEnd(widths[j - i]);
      line += numeric ? output[j].padStart(widths[j - i] - 2) : output[j];
      grouped.push(line);
    }
    if (v.length > 100) grouped.push(output[n]);
    return grouped;
  }
  // console.log's arguments: strings as they are, the rest inspected; printf-style % directives
  // in a first string argument.
  function formatArgs(args) {
    var out = [],
      i = 0;
    if (typeof args[0] === 'string' && args.length > 1 && args[0].indexOf('%') >= 0) {
      i = 1;
      var first = args[0].replace(/%([sdifjoOc%])/g, function (m, c) {
        if (c === '%') return '%';
        if (i >= args.length) return m;
        var a = args[i++];
        switch (c) {
          case 's':
            return typeof a === 'string' ? a : isObject(a) ? inspect(a) : formatPrimitive(a);
          case 'd':
          case 'i':
            return isObject(a) ? 'NaN' : String(c === 'i' ? parseInt(a, 10) : Number(a));
          case 'f':
            return String(parseFloat(a));
          case 'j':
            try {
              return JSON.stringify(a);
            } catch (e) {
              if (!(e instanceof TypeError)) throw e;
              return '[Circular]';
            }
          case 'c':
            return '';
          default:
            return inspect(a);
        }
      });
      out.push(first);
    }
    for (; i < args.length; i++) out.push(typeof args[i] === 'string' ? args[i] : inspect(args[i]));
    return out.join(' ');
  }
  function logger(level) {
    return function () {
      writeLine(level, formatArgs(arguments));
    };
  }
  var counts = {},
    timeStarts = {};
  global('console', {
    log: logger(0),
    debug: logger(0),
    info: logger(1),
    warn: logger(2),
    error: logger(3),
    trace: logger(3),
    dir: function (v) {
      writeLine(0, inspect(v));
    },
    assert: function (ok) {
      if (!ok)
        writeLine(3, 'Assertion failed' + (arguments.length > 1 ? ': ' + formatArgs(AP.slice.call(arguments, 1)) : ''));
    },
    count: function (label) {
      label = label === undefined ? 'default' : String(label);
      counts[label] = (counts[label] || 0) + 1;
      writeLine(0, label + ': ' + counts[label]);
    },
    time: function (label) {
      timeStarts[label === undefined ? 'default' : label] = native.now();
    },
    timeEnd: function (label) {
      label = label === undefined ? 'default' : label;
      if (timeStarts[label] === undefined) return;
      writeLine(0, label + ': ' + (native.now() - timeStarts[label]).toFixed(3) + 'ms');
      delete timeStarts[label];
    },
  });

  // Timers (ordered by due time, then creation, like Node's) and queueMicrotask.
  var timers = [],
    nextTimerId = 1,
    timerSeq = 0;
  function insertTimer(tm) {
    var i = timers.length;
    while (i > 0 && timers[i - 1].at > tm.at) i--;
    timers.splice(i, 0, tm);
  }
  function addTimer(fn, delay, args, repeat) {
    if (typeof fn !== 'function')
      throw new TypeError('The "callback" argument must be of type function. Received ' + describe(fn));
    delay = +delay;
    if (!(delay >= 1 && delay <= 2147483647)) delay = 1;
    var tm = {
      id: nextTimerId++,
      at: native.now() + delay,
      fn: fn,
      args: AP.slice.call(args, 2),
      every: repeat ? delay : 0,
      seq: timerSeq++,
    };
    insertTimer(tm);
    return tm.id;
  }
  function clearTimer(id) {
    for (var i = 0; i < timers.length; i++)
      if (timers[i].id === id) {
        timers.splice(i, 1);
        return;
      }
  }
  global('setTimeout', function (fn, delay) {
    return addTimer(fn, delay, arguments, false);
  });
  global('setInterval', function (fn, delay) {
    return addTimer(fn, delay, arguments, true);
  });
  global('clearTimeout', clearTimer);
  global('clearInterval', clearTimer);
  global('queueMicrotask', function (fn) {
    if (typeof fn !== 'function')
      throw new TypeError('The "callback" argument must be of type function. Received ' + describe(fn));
    enqueue(function () {
      try {
        fn();
      } catch (e) {
        reportError(e);
      }
    });
  });

  // TextEncoder, base64, crypto, performance.
  // The C side converts in one pass (utf8.c): Duktape's own TextEncoder and TextDecoder take v86 about a
  // microsecond a byte. The prelude's tests run without it, in the duk command.
  var encoder = new TextEncoder(),
    decoder = new TextDecoder();
  var utf8 =
    native.utf8 ||
    function (s) {
      return encoder.encode(usv(s));
    };
  var fromUtf8 =
    native.text ||
    function (b) {
      return decoder.decode(b);
    };
  if (native.utf8)
    redef(TextEncoder.prototype, {
      encode: function (s) {
        return native.utf8(s === undefined ? '' : String(s));
      },
    });
  def(TextEncoder.prototype, {
    encodeInto: function (s, dest) {
      var read = 0,
        written = 0,
        str = String(s);
      while (read < str.length) {
        var c = str.charCodeAt(read),
          len = c >= 0xd800 && c <= 0xdbff && read + 1 < str.length ? 2 : 1;
        var bytes = utf8(str.substr(read, len));
        if (bytes.length === 4 && len === 1) bytes = utf8('\ufffd');
        if (written + bytes.length > dest.length) break;
        dest.set(bytes, written);
        written += bytes.length;
        read += len;
      }
      return { read: read, written: written };
    },
  });
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  global('btoa', function (s) {
    s = String(s);
    if (/[^\x00-\xff]/.test(s)) throw new DOMException('Invalid character', 'InvalidCharacterError');
    var out = '';
    for (var i = 0; i < s.length; i += 3) {
      var n = (s.charCodeAt(i) << 16) | ((s.charCodeAt(i + 1) || 0) << 8) | (s.charCodeAt(i + 2) || 0);
      out +=
        B64.charAt(n >> 18) +
        B64.charAt((n >> 12) & 63) +
        (i + 1 < s.length ? B64.charAt((n >> 6) & 63) : '=') +
        (i + 2 < s.length ? B64.charAt(n & 63) : '=');
    }
    return out;
  });
  global('atob', function (s) {
    s = String(s).replace(/[\t\n\f\r ]/g, '');
    if (s.length % 4 === 0) s = s.replace(/==?$/, '');
    if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s))
      throw new DOMException('The string to be decoded is not correctly encoded.', 'InvalidCharacterError');
    var out = '',
      bits = 0,
      acc = 0;
    for (var i = 0; i < s.length; i++) {
      acc = (acc << 6) | B64.indexOf(s.charAt(i));
      if ((bits += 6) >= 8) {
        bits -= 8;
        out += String.fromCharCode((acc >> bits) & 255);
      }
    }
    return out;
  });
  var crypto = {
    getRandomValues: function (ta) {
      if (
        !ArrayBuffer.isView(ta) ||
        ta instanceof DataView ||
        ta instanceof Float32Array ||
        ta instanceof Float64Array
      ) {
        throw new DOMException('The data argument must be an integer-type TypedArray', 'TypeMismatchError');
      }
      if (ta.byteLength > 65536)
        throw new DOMException('The requested length exceeds 65,536 bytes', 'QuotaExceededError');
      native.random(new Uint8Array(ta.buffer, ta.byteOffset, ta.byteLength));
      return ta;
    },
    randomUUID: function () {
      var b = crypto.getRandomValues(new Uint8Array(16)),
        h = '';
      b[6] = (b[6] & 0x0f) | 0x40;
      b[8] = (b[8] & 0x3f) | 0x80;
      for (var i = 0; i < 16; i++)
        h += (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + hex(b[i], 2).toLowerCase();
      return h;
    },
  };
  global('crypto', crypto);

  // structuredClone for the values that can be data: primitives, plain objects, arrays, Date,
  // RegExp, Map, Set, ArrayBuffer, typed arrays, errors; cycles and shared references kept.
  function cloneValue(v, seen) {
    if (!isObject(v)) {
      if (typeof v === 'symbol') throw new DOMException(String(v) + ' could not be cloned.', 'DataCloneError');
      return v;
    }
    for (var i = 0; i < seen.length; i += 2) if (seen[i] === v) return seen[i + 1];
    var cls = toStr.call(v),
      kind = kindOf(v),
      out;
    if (typeof v === 'function' || (kind && kind !== 'M' && kind !== 'S')) {
      throw new DOMException(describe(v) + ' could not be cloned.', 'DataCloneError');
    }
    if (cls === '[object Date]') out = new Date(v.getTime());
    else if (cls === '[object RegExp]') out = new RegExp(v.source, String(v).replace(/^[\s\S]*\//, ''));
    else if (v instanceof ArrayBuffer) out = v.slice(0);
    else if (ArrayBuffer.isView(v))
      out = new v.constructor(cloneValue(v.buffer, seen), v.byteOffset, v.byteLength / (v.BYTES_PER_ELEMENT || 1));
    else if (kind === 'M') out = new G.Map();
    else if (kind === 'S') out = new G.Set();
    else if (v instanceof Error) out = new (G[v.name] || Error)(v.message);
    else out = Array.isArray(v) ? new Array(v.length) : {};
    seen.push(v, out);
    if (kind === 'M')
      v.forEach(function (val, k) {
        out.set(cloneValue(k, seen), cloneValue(val, seen));
      });
    else if (kind === 'S')
      v.forEach(function (val) {
        out.add(cloneValue(val, seen));
      });
    else if (
      !ArrayBuffer.isView(v) &&
      !(v instanceof ArrayBuffer) &&
      cls !== '[object Date]' &&
      cls !== '[object RegExp]'
    ) {
      Object.keys(v).forEach(function (k) {
        out[k] = cloneValue(v[k], seen);
      });
    }
    return out;
  }
  if (typeof G.structuredClone !== 'function') {
    global('structuredClone', function (v) {
      if (!arguments.length) throw new TypeError('The "value" argument must be specified');
      return cloneValue(v, []);
    });
  }
  if (!G.performance) global('performance', { now: native.now });

  // URLSearchParams (application/x-www-form-urlencoded, as Node).
  // A string as Unicode scalar values: lone surrogates become U+FFFD.
  var SURROGATE = /[\ud800-\udfff]/;
  function usv(s) {
    s = String(s);
    if (!SURROGATE.test(s)) return s;
    return s.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g, function (c) {
      return c.length === 2 ? c : '\ufffd';
    });
  }
  function formEncode(s) {
    return encodeURIComponent(usv(s)).replace(/[!'()~]|%20/g, function (c) {
      return c === '%20' ? '+' : '%' + hex(c.charCodeAt(0), 2);
    });
  }
  // Percent-decoding into bytes, then UTF-8 (invalid sequences become U+FFFD).
  function percentDecode(s) {
    if (s.indexOf('%') < 0) return s;
    return s.replace(/(%[0-9a-fA-F]{2})+/g, function (run) {
      var b = new Uint8Array(run.length / 3);
      for (var i = 0; i < b.length; i++) b[i] = parseInt(run.substr(i * 3 + 1, 2), 16);
      return fromUtf8(b);
    });
  }
  function parseForm(s) {
    var list = [];
    s.split('&').forEach(function (part) {
      if (!part) return;
      var i = part.indexOf('='),
        k = i < 0 ? part : part.slice(0, i),
        v = i < 0 ? '' : part.slice(i + 1);
      list.push([percentDecode(k.replace(/\+/g, ' ')), percentDecode(v.replace(/\+/g, ' '))]);
    });
    return list;
  }
  function URLSearchParams(init) {
    if (!(this instanceof URLSearchParams))
      throw new TypeError("Class constructor URLSearchParams cannot be invoked without 'new'");
    var st = setState(this, { t: 'Q', list: [], url: null }),
      list = st.list;
    if (isNil(init) || init === '') return;
    if (kindOf(init) === 'Q') {
      st.list = state(init, 'Q').list.map(function (e) {
        return e.slice();
      });
      return;
    }
    if (isObject(init)) {
      if (typeof init[ITER] === 'function') {
        iterate(init, function (pair) {
          var a = typeof pair === 'string' ? null : Array.from(pair);
          if (!a || a.length !== 2) throw new TypeError('Each query pair must be an iterable [name, value] tuple');
          list.push([usv(a[0]), usv(a[1])]);
        });
      } else {
        Object.keys(init).forEach(function (k) {
          list.push([usv(k), usv(init[k])]);
        });
      }
      return;
    }
    init = usv(init);
    st.list = parseForm(init.charAt(0) === '?' ? init.slice(1) : init);
  }
  function serializeForm(list) {
    return list
      .map(function (e) {
        return formEncode(e[0]) + '=' + formEncode(e[1]);
      })
      .join('&');
  }
  // Tells the owning URL that its query changed.
  function paramsChanged(st) {
    if (!st.url) return;
    var q = serializeForm(st.list);
    st.url.query = q === '' ? null : q;
  }
  var QP = URLSearchParams.prototype;
  def(QP, {
    append: function (k, v) {
      var st = state(this, 'Q');
      st.list.push([usv(k), usv(v)]);
      paramsChanged(st);
    },
    delete: function (k, v) {
      var st = state(this, 'Q');
      k = usv(k);
      if (v !== undefined) v = usv(v);
      st.list = st.list.filter(function (e) {
        return e[0] !== k || (v !== undefined && e[1] !== v);
      });
      paramsChanged(st);
    },
    get: function (k) {
      k = usv(k);
      var e = state(this, 'Q').list.filter(function (e) {
        return e[0] === k;
      })[0];
      return e ? e[1] : null;
    },
    getAll: function (k) {
      k = usv(k);
      return state(this, 'Q')
        .list.filter(function (e) {
          return e[0] === k;
        })
        .map(function (e) {
          return e[1];
        });
    },
    has: function (k, v) {
      k = usv(k);
      if (v !== undefined) v = usv(v);
      return state(this, 'Q').list.some(function (e) {
        return e[0] === k && (v === undefined || e[1] === v);
      });
    },
    set: function (k, v) {
      var st = state(this, 'Q'),
        found = false;
      k = usv(k);
      v = usv(v);
      st.list = st.list.filter(function (e) {
        if (e[0] !== k) return true;
        if (found) return false;
        found = true;
        e[1] = v;
        return true;
      });
      if (!found) st.list.push([k, v]);
      paramsChanged(st);
    },
    sort: function () {
      var st = state(this, 'Q');
      st.list = st.list
        .map(function (e, i) {
          return [e, i];
        })
        .sort(function (a, b) {
          return a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1];
        })
        .map(function (x) {
          return x[0];
        });
      paramsChanged(st);
    },
    forEach: function (fn, thisArg) {
      var list = state(this, 'Q').list;
      for (var i = 0; i < list.length; i++) fn.call(thisArg, list[i][1], list[i][0], this);
    },
    entries: function () {
      return pairIter(state(this, 'Q').list, 2);
    },
    keys: function () {
      return pairIter(state(this, 'Q').list, 1);
    },
    values: function () {
      return pairIter(state(this, 'Q').list, 0);
    },
    toString: function () {
      return serializeForm(state(this, 'Q').list);
    },
  });
  defProp(QP, 'size', {
    get: function () {
      return state(this, 'Q').list.length;
    },
    configurable: true,
  });
  defSym(QP, ITER, QP.entries);
  defSym(QP, Symbol.toStringTag, 'URLSearchParams');
  function pairIter(list, kind) {
    list = list.slice();
    return makeIter(function () {
      var e = list.shift();
      if (!e) return done();
      return { value: kind === 1 ? e[0] : kind === 0 ? e[1] : [e[0], e[1]], done: false };
    });
  }
  global('URLSearchParams', URLSearchParams);

  // URL (the WHATWG parser for special schemes; other schemes keep an opaque path).
  var SPECIAL = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443', 'ftp:': '21', 'file:': '' };
  var FRAGMENT_SET = '"<>`',
    QUERY_SET = '"#<>',
    PATH_SET = '"#<>?`{}',
    USERINFO_SET = '"#<>?`{}/:;=@[\\]^|';
  function percentEncode(s, set) {
    var out = '';
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i),
        n = s.charCodeAt(i);
      if (n >= 0xd800 && n <= 0xdbff && i + 1 < s.length) {
        var d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) c += s.charAt(++i);
      }
      if (n >= 0x80) out += encodeURIComponent(usv(c));
      else if (n <= 0x20 || n === 0x7f || set.indexOf(c) >= 0) out += '%' + hex(n, 2);
      else out += c;
    }
    return out;
  }
  function isDot(seg) {
    return seg === '.' || seg.toLowerCase() === '%2e';
  }
  function isDotDot(seg) {
    return /^(\.|%2e)(\.|%2e)$/i.test(seg);
  }
  // Resolves the dot segments of an absolute path (a string starting with "/").
  function normalizePath(path) {
    var out = [],
      segs = path.split('/');
    for (var i = 1; i < segs.length; i++) {
      var seg = segs[i],
        last = i === segs.length - 1;
      if (isDotDot(seg)) {
        out.pop();
        if (last) out.push('');
      } else if (isDot(seg)) {
        if (last) out.push('');
      } else out.push(percentEncode(seg, PATH_SET));
    }
    return '/' + out.join('/');
  }
  function parseHost(host, special) {
    if (host.charAt(0) === '[') {
      if (!/^\[[0-9a-fA-F:.]+\]$/.test(host)) return null;
      return host.toLowerCase();
    }
    if (!special) return /[\x00\t\n\r #/:<>?@[\\\]^|]/.test(host) ? null : percentEncode(host, '');
    host = percentDecode(host).toLowerCase();
    if (host === '' || /[\x00-\x20#%/:<>?@[\\\]^|\x7f]/.test(host)) return null;
    return host;
  }
  // Parses "//user:pass@host:port" (without the slashes) into u; false if invalid.
  function parseAuthority(u, auth) {
    var at = auth.lastIndexOf('@');
    u.username = u.password = '';
    if (at >= 0) {
      var info = auth.slice(0, at),
        colon = info.indexOf(':');
      u.username = percentEncode(colon < 0 ? info : info.slice(0, colon), USERINFO_SET);
      u.password = colon < 0 ? '' : percentEncode(info.slice(colon + 1), USERINFO_SET);
      auth = auth.slice(at + 1);
    }
    var m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(auth);
    if (!m) return false;
    var special = u.protocol in SPECIAL,
      host = parseHost(m[1], special);
    if (host === null && !(m[1] === '' && (u.protocol === 'file:' || !special))) return false;
    var port = m[2] === undefined || m[2] === '' ? '' : String(+m[2]);
    if (+port > 65535) return false;
    u.hostname = host || '';
    u.port = port === SPECIAL[u.protocol] ? '' : port;
    return true;
  }
  // Splits off "?query" and "#fragment" into u; returns the rest.
  function splitQuery(u, s) {
    var hash = s.indexOf('#');
    if (hash >= 0) {
      u.fragment = percentEncode(s.slice(hash + 1), FRAGMENT_SET);
      s = s.slice(0, hash);
    }
    var q = s.indexOf('?');
    if (q >= 0) {
      u.query = percentEncode(s.slice(q + 1), u.protocol in SPECIAL ? QUERY_SET + "'" : QUERY_SET);
      s = s.slice(0, q);
    }
    return s;
  }
  // The URL record for input against an optional base record, or null if it does not parse.
  var HTTP_WS_EDGE = /^[\t\n\r ]|[\t\n\r ]$/;
  function parseURL(input, base) {
    // A URL this parser would give back as it is, taken apart in C (url.c): the parser's regular
    // expressions cost v86 a tenth of a second, and nearly every request URL is of that form.
    var f = !base && native.url && typeof input === 'string' ? native.url(input) : undefined;
    if (f)
      return {
        protocol: 'http:',
        username: '',
        password: '',
        hostname: f[0],
        port: f[1],
        path: f[2],
        opaque: false,
        query: f[3],
        fragment: null,
      };
    input = String(input)
      .replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '')
      .replace(/[\t\n\r]/g, '');
    var u = {
      protocol: '',
      username: '',
      password: '',
      hostname: null,
      port: '',
      path: '',
      opaque: false,
      query: null,
      fragment: null,
    };
    var m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(input),
      rest;
    if (m) {
      u.protocol = m[1].toLowerCase() + ':';
      rest = input.slice(m[0].length);
    } else {
      if (!base) return null;
      u.protocol = base.protocol;
      rest = input;
    }
    var special = u.protocol in SPECIAL;
    rest = splitQuery(u, rest);
    if (special) rest = rest.replace(/\\/g, '/');
    var sameScheme = base && base.protocol === u.protocol;
    if (!m || (special && sameScheme && rest.charAt(0) !== '/')) {
      // Relative to base.
      if (!base) return null;
      if (base.opaque) {
        if (m || rest || u.query !== null) return null;
        u.opaque = true;
      }
      if (rest.slice(0, 2) === '//') {
        if (!parseAuthority(u, rest.slice(2).split('/')[0])) return null;
        rest = rest.slice(2 + rest.slice(2).split('/')[0].length);
        u.path = normalizePath(rest || '/');
        return u;
      }
      u.username = base.username;
      u.password = base.password;
      u.hostname = base.hostname;
      u.port = base.port;
      if (rest === '') {
        u.path = base.path;
        if (u.query === null) u.query = base.query;
      } else if (rest.charAt(0) === '/') {
        u.path = normalizePath(rest);
      } else {
        u.path = normalizePath(base.path.slice(0, base.path.lastIndexOf('/') + 1) + rest);
      }
      return u;
    }
    if (special && u.protocol !== 'file:') {
      rest = rest.replace(/^\/*/, '');
      var slash = rest.indexOf('/'),
        auth = slash < 0 ? rest : rest.slice(0, slash);
      if (!parseAuthority(u, auth)) return null;
      u.path = normalizePath(slash < 0 ? '/' : rest.slice(slash));
    } else if (rest.slice(0, 2) === '//') {
      var end = rest.indexOf('/', 2);
      if (end < 0) end = rest.length;
      if (!parseAuthority(u, rest.slice(2, end))) return null;
      u.path = rest.length > end || special ? normalizePath(rest.slice(end) || '/') : '';
    } else if (rest.charAt(0) === '/' || special) {
      u.hostname = special ? '' : null;
      u.path = normalizePath(rest.charAt(0) === '/' ? rest : '/' + rest);
    } else {
      u.opaque = true;
      u.path = percentEncode(rest, '');
    }
    return u;
  }
  function hrefOf(u) {
    var s = u.protocol;
    if (u.hostname !== null) {
      s += '//';
      if (u.username || u.password) s += u.username + (u.password ? ':' + u.password : '') + '@';
      s += u.hostname + (u.port ? ':' + u.port : '');
    } else if (!u.opaque && u.path.slice(0, 2) === '//') s += '/.';
    return s + u.path + (u.query !== null ? '?' + u.query : '') + (u.fragment !== null ? '#' + u.fragment : '');
  }
  var URL_KEYS = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port'];
  URL_KEYS.push('pathname', 'search', 'searchParams', 'hash');
  function URL(input, base) {
    if (!(this instanceof URL)) throw new TypeError("Class constructor URL cannot be invoked without 'new'");
    var b = null;
    if (base !== undefined) {
      b = parseURL(String(base));
      if (!b) throw invalidURL(base);
    }
    var u = parseURL(usv(input), b);
    if (!u) throw invalidURL(input);
    u.t = 'U';
    u.params = null; // made on first use: parsing the query costs v86 milliseconds
    setState(this, u);
  }
  function paramsOf(u) {
    if (!u.params) {
      u.params = new URLSearchParams(u.query || '');
      u.params[K].url = u;
    }
    return u.params;
  }
  function invalidURL(input) {
    var e = new TypeError('Invalid URL');
    e.code = 'ERR_INVALID_URL';
    e.input = String(input);
    return e;
  }
  function urlState(self) {
    return state(self, 'U');
  }
  function resetParams(u) {
    if (u.params) u.params[K].list = parseForm(u.query || '');
  }
  // A URL property; get is a function of the URL record or the name of its field.
  function accessor(name, get, set) {
    defProp(URL.prototype, name, {
      get: function () {
        var u = urlState(this);
        return typeof get === 'string' ? u[get] : get(u);
      },
      set: set
        ? function (v) {
            set(urlState(this), usv(v));
          }
        : undefined,
      enumerable: true,
      configurable: true,
    });
  }
  function hostnameOf(u) {
    return u.hostname || '';
  }
  function searchOf(u) {
    return u.query ? '?' + u.query : '';
  }
  function hashOf(u) {
    return u.fragment ? '#' + u.fragment : '';
  }
  function hostOf(u) {
    return u.hostname === null ? '' : u.hostname + (u.port ? ':' + u.port : '');
  }
  accessor('href', hrefOf, function (u, v) {
    var n = parseURL(v);
    if (!n) throw invalidURL(v);
    for (var k in n) u[k] = n[k];
    resetParams(u);
  });
  accessor('origin', function (u) {
    var inner = u.protocol === 'blob:' && parseURL(u.path);
    if (inner && /^https?:$/.test(inner.protocol)) u = inner;
    return u.protocol in SPECIAL && u.protocol !== 'file:' ? u.protocol + '//' + hostOf(u) : 'null';
  });
  accessor('protocol', 'protocol', function (u, v) {
    var m = /^([a-zA-Z][a-zA-Z0-9+.-]*)(:|$)/.exec(v);
    if (!m) return;
    var p = m[1].toLowerCase() + ':';
    if (p in SPECIAL !== u.protocol in SPECIAL || (p === 'file:' && (u.username || u.password || u.port))) return;
    u.protocol = p;
    if (u.port === SPECIAL[p]) u.port = '';
  });
  accessor('username', 'username', function (u, v) {
    if (u.hostname) u.username = percentEncode(v, USERINFO_SET);
  });
  accessor('password', 'password', function (u, v) {
    if (u.hostname) u.password = percentEncode(v, USERINFO_SET);
  });
  accessor('host', hostOf, function (u, v) {
    if (u.opaque) return;
    var t = { protocol: u.protocol };
    if (parseAuthority(t, v.split(/[/?#\\]/)[0]) && t.hostname) {
      u.hostname = t.hostname;
      if (/:\d/.test(v)) u.port = t.port;
    }
  });
  accessor('hostname', hostnameOf, function (u, v) {
    if (u.opaque) return;
    var h = parseHost(v.split(/[/?#:\\]/)[0], u.protocol in SPECIAL);
    if (h) u.hostname = h;
  });
  accessor('port', 'port', function (u, v) {
    if (!u.hostname || u.protocol === 'file:') return;
    var m = /^\d*/.exec(v)[0];
    if (v === '') u.port = '';
    else if (m && +m <= 65535) u.port = String(+m) === SPECIAL[u.protocol] ? '' : String(+m);
  });
  accessor('pathname', 'path', function (u, v) {
    if (u.opaque) return;
    var special = u.protocol in SPECIAL;
    if (special) v = v.replace(/\\/g, '/');
    u.path = normalizePath(v.charAt(0) === '/' ? v : '/' + v);
  });
  accessor('search', searchOf, function (u, v) {
    u.query =
      v === ''
        ? null
        : percentEncode(v.charAt(0) === '?' ? v.slice(1) : v, u.protocol in SPECIAL ? QUERY_SET + "'" : QUERY_SET);
    resetParams(u);
  });
  accessor('searchParams', paramsOf);
  accessor('hash', hashOf, function (u, v) {
    u.fragment = v === '' ? null : percentEncode(v.charAt(0) === '#' ? v.slice(1) : v, FRAGMENT_SET);
  });
  def(URL.prototype, {
    toString: function () {
      return hrefOf(urlState(this));
    },
    toJSON: function () {
      return hrefOf(urlState(this));
    },
  });
  defSym(URL.prototype, Symbol.toStringTag, 'URL');
  def(URL, {
    canParse: function (input, base) {
      var b = base === undefined ? undefined : parseURL(String(base));
      return b !== null && parseURL(usv(input), b) !== null;
    },
  });
  global('URL', URL);

  // Headers.
  var TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  // Names checked before, lower-cased: the check is a regular expression, and v86 runs Duktape's slowly.
  var NAMES = Object.create(null),
    namesKept = 0;
  function headerName(name) {
    name = String(name);
    var lower = NAMES[name];
    if (lower !== undefined) return lower;
    if (!TOKEN.test(name)) throw new TypeError('Headers: "' + name + '" is an invalid header name.');
    lower = name.toLowerCase();
    if (namesKept < 256) {
      NAMES[name] = lower;
      namesKept++;
    }
    return lower;
  }
  function headerValue(v) {
    v = String(v);
    if (HTTP_WS_EDGE.test(v)) v = v.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
    if (/[\0\r\n]|[^\x00-\xff]/.test(v)) throw new TypeError('Headers: "' + v + '" is an invalid header value.');
    return v;
  }
  function Headers(init) {
    if (!(this instanceof Headers)) throw new TypeError("Class constructor Headers cannot be invoked without 'new'");
    var list = setState(this, { t: 'H', list: [] }).list;
    if (isNil(init)) return;
    if (!isObject(init)) throw new TypeError('Headers: the init is neither a record nor a sequence of pairs');
    if (kindOf(init) === 'H') init = init[K].list;
    if (typeof init[ITER] === 'function') {
      iterate(init, function (pair) {
        var a = Array.from(pair);
        if (a.length !== 2)
          throw new TypeError('Headers constructor: expected name/value pair to be length 2, found ' + a.length + '.');
        list.push([headerName(a[0]), headerValue(a[1])]);
      });
    } else {
      Object.keys(init).forEach(function (k) {
        list.push([headerName(k), headerValue(init[k])]);
      });
    }
  }
  // The spec's "sort and combine": by name, values of one name joined with ", " except set-cookie.
  function sortedHeaders(list) {
    var names = [],
      byName = {},
      out = [];
    list.forEach(function (e) {
      if (!hasOwn(byName, e[0])) {
        byName[e[0]] = [];
        names.push(e[0]);
      }
      byName[e[0]].push(e[1]);
    });
    names.sort().forEach(function (n) {
      if (n === 'set-cookie')
        byName[n].forEach(function (v) {
          out.push([n, v]);
        });
      else out.push([n, byName[n].join(', ')]);
    });
    return out;
  }
  var HP = Headers.prototype;
  def(HP, {
    append: function (k, v) {
      state(this, 'H').list.push([headerName(k), headerValue(v)]);
    },
    delete: function (k) {
      var st = state(this, 'H');
      k = headerName(k);
      st.list = st.list.filter(function (e) {
        return e[0] !== k;
      });
    },
    get: function (k) {
      k = headerName(k);
      var list = state(this, 'H').list,
        out = null;
      for (var i = 0; i < list.length; i++)
        if (list[i][0] === k) out = out === null ? list[i][1] : out + ', ' + list[i][1];
      return out;
    },
    getSetCookie: function () {
      return state(this, 'H')
        .list.filter(function (e) {
          return e[0] === 'set-cookie';
        })
        .map(function (e) {
          return e[1];
        });
    },
    has: function (k) {
      k = headerName(k);
      var list = state(this, 'H').list;
      for (var i = 0; i < list.length; i++) if (list[i][0] === k) return true;
      return false;
    },
    set: function (k, v) {
      var st = state(this, 'H'),
        list = st.list,
        out = [],
        found = false;
      k = headerName(k);
      v = headerValue(v);
      for (var i = 0; i < list.length; i++) {
        if (list[i][0] !== k) out.push(list[i]);
        else if (!found) {
          found = true;
          list[i][1] = v;
          out.push(list[i]);
        }
      }
      if (!found) out.push([k, v]);
      st.list = out;
    },
    forEach: function (fn, thisArg) {
      var list = sortedHeaders(state(this, 'H').list);
      for (var i = 0; i < list.length; i++) fn.call(thisArg, list[i][1], list[i][0], this);
    },
    entries: function () {
      return pairIter(sortedHeaders(state(this, 'H').list), 2);
    },
    keys: function () {
      return pairIter(sortedHeaders(state(this, 'H').list), 1);
    },
    values: function () {
      return pairIter(sortedHeaders(state(this, 'H').list), 0);
    },
  });
  defSym(HP, ITER, HP.entries);
  defSym(HP, Symbol.toStringTag, 'Headers');
  global('Headers', Headers);

  // Request, Response and their body.
  // The bytes of a body init and its default content-type; body is null for none.
  function extractBody(body) {
    if (isNil(body)) return { bytes: null, type: null };
    if (body instanceof ArrayBuffer) return { bytes: new Uint8Array(body.slice(0)), type: null };
    if (ArrayBuffer.isView(body))
      return {
        bytes: new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)),
        type: null,
      };
    if (kindOf(body) === 'Q')
      return { bytes: utf8(body.toString()), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
    return { bytes: utf8(String(body)), type: 'text/plain;charset=UTF-8' };
  }
  function consume(self, t, convert) {
    var st;
    try {
      st = state(self, t);
      if (st.used) throw new TypeError('Body is unusable: Body has already been read');
      if (st.bytes) st.used = true;
      return Promise.resolve(convert(st.bytes || new Uint8Array(0)));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  function bodyMixin(proto, t) {
    def(proto, {
      text: function () {
        return consume(this, t, fromUtf8);
      },
      json: function () {
        return consume(this, t, function (b) {
          return JSON.parse(fromUtf8(b));
        });
      },
      arrayBuffer: function () {
        return consume(this, t, function (b) {
          return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
        });
      },
      bytes: function () {
        return consume(this, t, function (b) {
          return new Uint8Array(b);
        });
      },
    });
    getters(proto, {
      headers: function () {
        return state(this, t).headers;
      },
      bodyUsed: function () {
        return state(this, t).used;
      },
      // Not a ReadableStream: null, or the body's bytes.
      body: function () {
        return state(this, t).bytes;
      },
    });
    defSym(proto, Symbol.toStringTag, t === 'R' ? 'Request' : 'Response');
  }
  var METHODS = { DELETE: 1, GET: 1, HEAD: 1, OPTIONS: 1, POST: 1, PUT: 1 };
  function Request(input, init) {
    if (!(this instanceof Request)) throw new TypeError("Class constructor Request cannot be invoked without 'new'");
    init = init || {};
    var from = kindOf(input) === 'R' ? input[K] : null,
      url;
    if (from) url = from.url;
    else {
      var u = parseURL(usv(input));
      if (!u) throw new TypeError('Failed to parse URL from ' + input);
      if (u.username || u.password)
        throw new TypeError('Request cannot be constructed from a URL that includes credentials: ' + input);
      url = hrefOf(u);
    }
    var method = init.method !== undefined ? String(init.method) : from ? from.method : 'GET';
    if (!TOKEN.test(method)) throw new TypeError("'" + method + "' is not a valid HTTP method.");
    if (METHODS[method.toUpperCase()]) method = method.toUpperCase();
    if (/^(CONNECT|TRACE|TRACK)$/i.test(method)) throw new TypeError("'" + method + "' HTTP method is unsupported.");
    var body = init.body !== undefined ? extractBody(init.body) : { bytes: from ? from.bytes : null, type: null };
    if (from && init.body === undefined && from.used)
      throw new TypeError('Cannot construct a Request with a Request object that has already been used.');
    if (body.bytes && (method === 'GET' || method === 'HEAD'))
      throw new TypeError('Request with GET/HEAD method cannot have body.');
    var headers = new Headers(init.headers !== undefined ? init.headers : from ? from.headers : undefined);
    if (body.type && !headers.has('content-type')) headers.set('content-type', body.type);
    setState(this, {
      t: 'R',
      url: url,
      method: method,
      headers: headers,
      bytes: body.bytes,
      used: false,
      redirect: init.redirect || (from ? from.redirect : 'follow'),
    });
  }
  bodyMixin(Request.prototype, 'R');
  getters(Request.prototype, {
    method: function () {
      return state(this, 'R').method;
    },
    url: function () {
      return state(this, 'R').url;
    },
    redirect: function () {
      return state(this, 'R').redirect;
    },
  });
  def(Request.prototype, {
    clone: function () {
      var st = state(this, 'R');
      if (st.used) throw new TypeError('Request.clone: Body has already been consumed.');
      return new Request(this);
    },
  });
  global('Request', Request);

  var NULL_BODY = { 101: 1, 103: 1, 204: 1, 205: 1, 304: 1 };
  function Response(body, init) {
    if (!(this instanceof Response)) throw new TypeError("Class constructor Response cannot be invoked without 'new'");
    init = init || {};
    var status = init.status === undefined ? 200 : +init.status;
    if (!(status >= 200 && status <= 599) || status % 1)
      throw new RangeError('init["status"] must be in the range of 200 to 599, inclusive.');
    var statusText = init.statusText === undefined ? '' : String(init.statusText);
    if (/[^\t\x20-\x7e\x80-\xff]/.test(statusText)) throw new TypeError('Invalid statusText');
    var b = extractBody(body);
    if (b.bytes && NULL_BODY[status])
      throw new TypeError('Response constructor: Invalid response status code ' + status);
    var headers = new Headers(init.headers);
    if (b.type && !headers.has('content-type')) headers.set('content-type', b.type);
    setState(this, {
      t: 'A',
      status: status,
      statusText: statusText,
      headers: headers,
      bytes: b.bytes,
      used: false,
      type: 'default',
    });
  }
  bodyMixin(Response.prototype, 'A');
  getters(Response.prototype, {
    status: function () {
      return state(this, 'A').status;
    },
    statusText: function () {
      return state(this, 'A').statusText;
    },
    ok: function () {
      var s = state(this, 'A').status;
      return s >= 200 && s <= 299;
    },
    type: function () {
      return state(this, 'A').type;
    },
    url: function () {
      return state(this, 'A').url || '';
    },
    redirected: function () {
      return !!state(this, 'A').redirected;
    },
  });
  def(Response.prototype, {
    clone: function () {
      var st = state(this, 'A');
      if (st.used) throw new TypeError('Response.clone: Body has already been consumed.');
      var r = Object.create(Response.prototype),
        copy = {};
      for (var k in st) copy[k] = st[k];
      copy.headers = new Headers(st.headers);
      setState(r, copy);
      return r;
    },
  });
  def(Response, {
    json: function (data, init) {
      var text = JSON.stringify(data);
      if (text === undefined) throw new TypeError('Value is not JSON serializable');
      var r = new Response(text, init),
        h = r.headers;
      if (!(init && init.headers && new Headers(init.headers).has('content-type')))
        h.set('content-type', 'application/json');
      return r;
    },
    redirect: function (url, status) {
      status = status === undefined ? 302 : +status;
      var u = parseURL(usv(url));
      if (!u) throw new TypeError('Failed to parse URL from ' + url);
      if (!{ 301: 1, 302: 1, 303: 1, 307: 1, 308: 1 }[status]) throw new RangeError('Invalid status code ' + status);
      return new Response(null, { status: status, headers: { location: hrefOf(u) } });
    },
    error: function () {
      var r = new Response(null, { status: 200 }),
        st = r[K];
      st.status = 0;
      st.type = 'error';
      return r;
    },
  });
  global('Response', Response);

  // fetch: the C side's HTTP client makes each request (native.fetch) and hands the answer to the
  // fetched hook, which settles the promise; redirects are followed here, as the web's fetch does.
  var FETCH_BODY_MAX = 1048576,
    REDIRECTS_MAX = 20,
    fetches = {},
    waiting = [];
  // Header lines the client writes itself: a script's own would contradict them.
  var CLIENT_HEADERS = {
    connection: 1,
    'content-length': 1,
    expect: 1,
    host: 1,
    'keep-alive': 1,
    'transfer-encoding': 1,
    upgrade: 1,
    'user-agent': 1,
  };
  var BODY_HEADERS = { 'content-encoding': 1, 'content-language': 1, 'content-location': 1, 'content-type': 1 };
  var REDIRECT = { 301: 1, 302: 1, 303: 1, 307: 1, 308: 1 };
  // Points f (a fetch under way) at the URL record u.
  function fetchTarget(f, u) {
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new TypeError('fetch: ' + hrefOf(u) + ': only http: and https: URLs are supported');
    u.fragment = null;
    f.url = hrefOf(u);
    f.origin = u.protocol + '//' + hostOf(u);
    f.host = u.hostname;
  }
  // Hands f to the C side's client: true, or false if the client has no room for another request.
  function fetchSend(f) {
    var flat = [],
      accept = false;
    for (var i = 0; i < f.headers.length; i++) {
      var name = f.headers[i][0];
      if (CLIENT_HEADERS[name]) continue;
      accept = accept || name === 'accept';
      flat.push(name, f.headers[i][1]);
    }
    if (!accept) flat.push('accept', '*/*');
    var size = f.bytes ? f.bytes.length : 0;
    if (size > FETCH_BODY_MAX)
      throw new TypeError('fetch to ' + f.host + ': the request body is ' + size + ' bytes; at most 1 MiB is sent');
    var token = native.fetch(f.method, f.url, flat, f.bytes);
    if (typeof token !== 'number') throw new TypeError(String(token));
    if (token < 0) return false;
    fetches[token] = f;
    return true;
  }
  // Starts fetches that waited for the client to have room, in order.
  function fetchWaiting() {
    while (waiting.length) {
      var f = waiting[0];
      try {
        if (!fetchSend(f)) return;
        waiting.shift();
      } catch (e) {
        waiting.shift();
        f.reject(e);
      }
    }
  }
  function fetch(input, init) {
    var f = { redirects: 0 };
    var p = new Promise(function (resolve, reject) {
      f.resolve = resolve;
      f.reject = reject;
    });
    try {
      var req = new Request(input, init),
        st = req[K];
      if (kindOf(input) === 'R' && (init === undefined || init.body === undefined) && st.bytes) input[K].used = true;
      f.method = st.method;
      f.headers = st.headers[K].list.slice();
      f.bytes = st.bytes;
      f.redirect = st.redirect;
      fetchTarget(f, parseURL(st.url));
      if (waiting.length || !fetchSend(f)) waiting.push(f);
    } catch (e) {
      f.reject(e);
    }
    return p;
  }
  // The next hop of a redirect (the spec's HTTP-redirect fetch): GET for a 303, and for a POST's 301
  // or 302; no authorization to another origin.
  function fetchRedirect(f, status, location) {
    var u = parseURL(location, parseURL(f.url));
    if (f.redirect === 'error') throw new TypeError('fetch to ' + f.host + ': redirected, and redirect is "error"');
    if (!u) throw new TypeError('fetch to ' + f.host + ': the redirect location "' + location + '" is not a URL');
    if (++f.redirects > REDIRECTS_MAX) throw new TypeError('fetch to ' + f.host + ': redirect count exceeded');
    if ((status === 303 && f.method !== 'GET' && f.method !== 'HEAD') || (status <= 302 && f.method === 'POST')) {
      f.method = 'GET';
      f.bytes = null;
      f.headers = f.headers.filter(function (e) {
        return !BODY_HEADERS[e[0]];
      });
    }
    var origin = f.origin;
    fetchTarget(f, u);
    if (f.origin !== origin)
      f.headers = f.headers.filter(function (e) {
        return e[0] !== 'authorization';
      });
    if (!fetchSend(f)) waiting.push(f);
  }
  // The C side's answer for f: the response's parts, or error, the client's sentence naming the host.
  function fetchSettle(f, error, status, statusText, headers, bytes) {
    if (error) return f.reject(new TypeError(error));
    var h = new Headers(),
      list = h[K].list;
    for (var i = 0; i + 1 < headers.length; i += 2)
      list.push([String(headers[i]).toLowerCase(), String(headers[i + 1])]);
    var location = REDIRECT[status] ? h.get('location') : null;
    if (location !== null && f.redirect !== 'manual') return fetchRedirect(f, status, location);
    var res = Object.create(Response.prototype);
    setState(res, {
      t: 'A',
      status: status,
      statusText: statusText,
      headers: h,
      bytes: NULL_BODY[status] || f.method === 'HEAD' ? null : bytes || new Uint8Array(0),
      used: false,
      type: 'basic',
      url: f.url,
      redirected: f.redirects > 0,
    });
    f.resolve(res);
  }
  global('fetch', fetch);

  // The hooks the C side calls (README.md).
  var handler = null;
  function respond(id, status, statusText, headers, bytes) {
    var list = headers.length > 1 ? sortedHeaders(headers) : headers,
      flat = [];
    for (var i = 0; i < list.length; i++) flat.push(list[i][0], list[i][1]);
    native.respond(id, status, statusText, flat, bytes);
  }
  // Reactions to a handler's promise for request id (made apart: Duktape rejects the trailing comma
  // prettier gives a call whose function arguments it splits over lines).
  function answerLater(id) {
    return function (r) {
      try {
        answer(id, r);
      } catch (e) {
        fail(id, e);
      }
    };
  }
  function failLater(id) {
    return function (e) {
      fail(id, e);
    };
  }
  // Send the handler's Response res for request id.
  function answer(id, res) {
    if (kindOf(res) !== 'A') throw new TypeError('the fetch handler returned ' + inspect(res) + ', not a Response');
    var st = res[K];
    if (st.type === 'error') throw new TypeError('the fetch handler returned Response.error()');
    respond(id, st.status, st.statusText, st.headers[K].list, st.bytes);
  }
  function respondJSON(id, status, statusText, value) {
    respond(id, status, statusText, [['content-type', 'application/json']], utf8(JSON.stringify(value)));
  }
  function fail(id, e) {
    reportError(e);
    respondJSON(id, 500, 'Internal Server Error', errorJSON(e));
  }
  function hasFetch(h) {
    return isObject(h) && typeof h.fetch === 'function';
  }
  var context = {
    waitUntil: function (p) {
      Promise.resolve(p)['catch'](reportError);
    },
    passThroughOnException: function () {},
  };
  global('__tabcloud', {
    load: function (fn, map) {
      drain(); // what an aborted hook left
      map = String(map || '')
        .replace(/^\/\/# tabcloud-linemap /, '')
        .replace(/\s+$/, '');
      linemap = map ? map.split(',') : [];
      var module = { exports: {} };
      try {
        fn.call(module.exports, module.exports, module);
        var m = module.exports;
        handler = m && hasFetch(m['default']) ? m['default'] : hasFetch(m) ? m : null;
      } finally {
        drain();
      }
    },
    request: function (id, method, url, headers, body) {
      drain();
      if (!handler) {
        respondJSON(id, 500, 'Internal Server Error', {
          error: 'no-handler',
          message: 'the script has no default export with a fetch(request) method',
        });
        return;
      }
      var h = new Headers(),
        list = h[K].list;
      for (var i = 0; i + 1 < headers.length; i += 2)
        list.push([String(headers[i]).toLowerCase(), String(headers[i + 1])]);
      var req = Object.create(Request.prototype),
        parsed = parseURL(url);
      setState(req, {
        t: 'R',
        url: parsed ? hrefOf(parsed) : url,
        method: method,
        headers: h,
        bytes: body && body.length ? body : null,
        used: false,
        redirect: 'follow',
      });
      try {
        var res = handler.fetch(req, {}, context);
        // A Response at once skips the promise machinery, which costs v86 milliseconds.
        if (kindOf(res) === 'A') answer(id, res);
        else Promise.resolve(res).then(answerLater(id), failLater(id));
      } catch (e) {
        fail(id, e);
      }
      drain();
    },
    tick: function () {
      drain();
      var now = native.now();
      while (timers.length && timers[0].at <= now) {
        var tm = timers.shift();
        if (tm.every) {
          tm.at = now + tm.every;
          tm.seq = timerSeq++;
          insertTimer(tm);
        }
        try {
          tm.fn.apply(undefined, tm.args);
        } catch (e) {
          reportError(e);
        }
        drain();
      }
      drain();
      return timers.length ? timers[0].at : -1;
    },
    fetched: function (token, error, status, statusText, headers, bytes) {
      drain();
      var f = fetches[token];
      if (f) {
        delete fetches[token];
        try {
          fetchSettle(f, error, status, statusText, headers, bytes);
        } catch (e) {
          f.reject(e);
        }
      }
      fetchWaiting();
      drain();
    },
    errorInfo: errorJSON,
  });
})(typeof globalThis !== 'undefined' ? globalThis : this, __native);
