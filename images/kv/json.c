// A strict reader for one JSON shape (RFC 8259): an object whose values
// are all strings, e.g. the kv seed {"greeting": "hello\n"}. Strings are
// checked in full (UTF-8, escapes, surrogate pairs, no control
// characters) before anything is used; json_decode then streams a string's
// bytes out. No allocation: strings are decoded where they lie.

#include "tabcloud.h"
#include "kv.h"

struct json {
  const char *p;
  u32 i, n;
  struct json_err *err;
};

// Record the first error: msg at the current offset. Always -1.
static int
json_fail(struct json *j, const char *msg)
{
  j->err->at = j->i;
  j->err->msg = msg;
  return -1;
}

// Skip JSON whitespace.
static void
json_ws(struct json *j)
{
  while(j->i < j->n && (j->p[j->i] == ' ' || j->p[j->i] == '\t' || j->p[j->i] == '\n' || j->p[j->i] == '\r'))
    j->i++;
}

// The value of 4 hex digits at s, or -1.
static int
json_hex4(const char *s)
{
  int v = 0;

  for(int k = 0; k < 4; k++){
    char c = s[k] | 0x20;
    if(s[k] >= '0' && s[k] <= '9')
      v = v << 4 | (s[k] - '0');
    else if(c >= 'a' && c <= 'f')
      v = v << 4 | (c - 'a' + 10);
    else
      return -1;
  }
  return v;
}

// Length of the valid UTF-8 sequence at s[0..n) (no overlongs, no
// surrogates, at most U+10FFFF), or 0 if it is not one.
static u32
json_utf8(const u8 *s, u32 n)
{
  u32 len, cp, min;

  if(s[0] < 0x80)
    return 1;
  if((s[0] & 0xE0) == 0xC0){ len = 2; cp = s[0] & 0x1F; min = 0x80; }
  else if((s[0] & 0xF0) == 0xE0){ len = 3; cp = s[0] & 0x0F; min = 0x800; }
  else if((s[0] & 0xF8) == 0xF0){ len = 4; cp = s[0] & 0x07; min = 0x10000; }
  else
    return 0;
  if(len > n)
    return 0;
  for(u32 k = 1; k < len; k++){
    if((s[k] & 0xC0) != 0x80)
      return 0;
    cp = cp << 6 | (s[k] & 0x3F);
  }
  if(cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return len;
}

// Decode the escape at s[0..n) (after the backslash) into out (up to 4
// bytes); *used gets the bytes it spans. Its decoded length, or 0 if bad.
static u32
json_escape(const char *s, u32 n, u8 *out, u32 *used)
{
  static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
  int cp, lo;

  for(u32 k = 0; k < 8; k++)
    if(n >= 1 && s[0] == from[k]){
      out[0] = to[k];
      *used = 1;
      return 1;
    }
  if(n < 5 || s[0] != 'u' || (cp = json_hex4(s + 1)) < 0)
    return 0;
  *used = 5;
  if(cp >= 0xDC00 && cp <= 0xDFFF)
    return 0;                           // a lone low surrogate
  if(cp >= 0xD800 && cp <= 0xDBFF){
    if(n < 11 || s[5] != '\\' || s[6] != 'u' || (lo = json_hex4(s + 7)) < 0xDC00 || lo > 0xDFFF)
      return 0;
    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    *used = 11;
  }
  if(cp < 0x80){ out[0] = cp; return 1; }
  if(cp < 0x800){ out[0] = 0xC0 | cp >> 6; out[1] = 0x80 | (cp & 0x3F); return 2; }
  if(cp < 0x10000){
    out[0] = 0xE0 | cp >> 12; out[1] = 0x80 | (cp >> 6 & 0x3F); out[2] = 0x80 | (cp & 0x3F);
    return 3;
  }
  out[0] = 0xF0 | cp >> 18; out[1] = 0x80 | (cp >> 12 & 0x3F);
  out[2] = 0x80 | (cp >> 6 & 0x3F); out[3] = 0x80 | (cp & 0x3F);
  return 4;
}

// Walk the string body s[0..n): validate it and, with a sink, send out its
// decoded bytes. The decoded length, or -1 with *bad at the bad byte.
static i64
json_walk(const char *s, u32 n, json_sink_fn sink, void *ctx, u32 *bad)
{
  u32 i = 0, run = 0, k, used;
  i64 len = 0;
  u8 out[4];

  while(i < n){
    if(s[i] == '\\'){
      if(sink && run && sink(ctx, s + i - run, run) < 0)
        return -1;
      run = 0;
      if((k = json_escape(s + i + 1, n - i - 1, out, &used)) == 0 || (sink && sink(ctx, out, k) < 0)){
        *bad = i;
        return -1;
      }
      len += k;
      i += 1 + used;
      continue;
    }
    if((u8)s[i] < 0x20 || (k = json_utf8((const u8 *)s + i, n - i)) == 0){
      *bad = i;
      return -1;
    }
    i += k;
    run += k;
    len += k;
  }
  if(sink && run && sink(ctx, s + n - run, run) < 0)
    return -1;
  return len;
}

// Read the string starting at the current quote into *s.
static int
json_string(struct json *j, struct json_str *s)
{
  u32 start, bad = 0;
  i64 len;

  if(j->i >= j->n || j->p[j->i] != '"')
    return json_fail(j, "expected a string");
  start = ++j->i;
  while(j->i < j->n && j->p[j->i] != '"')
    j->i += j->p[j->i] == '\\' ? 2 : 1;
  if(j->i >= j->n){
    j->i = start - 1;
    return json_fail(j, "unterminated string");
  }
  s->raw = j->p + start;
  s->n = j->i - start;
  if((len = json_walk(s->raw, s->n, 0, 0, &bad)) < 0){
    j->i = start + bad;
    return json_fail(j, "bad escape, control character or UTF-8 in string");
  }
  s->len = (u32)len;
  j->i++;
  return 0;
}

// Expect byte c at the current offset (after whitespace).
static int
json_expect(struct json *j, char c, const char *msg)
{
  json_ws(j);
  if(j->i >= j->n || j->p[j->i] != c)
    return json_fail(j, msg);
  j->i++;
  return 0;
}

// Parse p[0..n) as {"key": "value", ...} and call fn for each pair in
// order. 0, or -1 with *err set (by the parser or by fn).
int
json_object(const char *p, u32 n, json_pair_fn fn, void *ctx, struct json_err *err)
{
  struct json j = { p, 0, n, err };
  struct json_str k, v;

  if(n >= 3 && (u8)p[0] == 0xEF && (u8)p[1] == 0xBB && (u8)p[2] == 0xBF)
    j.i = 3;                           // a UTF-8 byte order mark
  if(json_expect(&j, '{', "expected '{' (a JSON object)") < 0)
    return -1;
  json_ws(&j);
  if(j.i < n && p[j.i] == '}')
    j.i++;
  else for(;;){
    json_ws(&j);
    if(json_string(&j, &k) < 0 || json_expect(&j, ':', "expected ':'") < 0)
      return -1;
    json_ws(&j);
    if(j.i < n && p[j.i] != '"')
      return json_fail(&j, "values must be strings");
    if(json_string(&j, &v) < 0)
      return -1;
    err->at = k.raw - p;
    if(fn(ctx, &k, &v, err) < 0)
      return -1;
    json_ws(&j);
    if(j.i < n && p[j.i] == '}'){
      j.i++;
      break;
    }
    if(json_expect(&j, ',', "expected ',' or '}'") < 0)
      return -1;
  }
  json_ws(&j);
  return j.i == n ? 0 : json_fail(&j, "trailing characters after the object");
}

// Send the decoded bytes of string s to sink, in runs. 0, or -1 if sink
// failed.
int
json_decode(const struct json_str *s, json_sink_fn sink, void *ctx)
{
  u32 bad;

  return json_walk(s->raw, s->n, sink, ctx, &bad) < 0 ? -1 : 0;
}
