// kv/json.c: the strict reader of {"key": "string", ...} seeds.

#include "param.h"
#include "test.h"
#include "kv.h"

static char out[512];
static u32 nout;

// json_sink_fn: collect bytes into out.
static int
sink(void *ctx, const void *p, u32 n)
{
  (void)ctx;
  kmemcpy(out + nout, p, n);
  nout += n;
  return 0;
}

// json_pair_fn: append "key=value;" to out.
static int
pair(void *ctx, const struct json_str *k, const struct json_str *v, struct json_err *err)
{
  (void)err;
  json_decode(k, sink, ctx);
  sink(ctx, "=", 1);
  json_decode(v, sink, ctx);
  sink(ctx, ";", 1);
  return k->len == 4 && kmemcmp(k->raw, "stop", 4) == 0 ? (err->msg = "stopped", -1) : 0;
}

// Parse s; on success out holds the pairs; on failure, the error and offset.
static int
parse(const char *s, struct json_err *err)
{
  nout = 0;
  err->msg = 0;
  int r = json_object(s, kstrlen(s), pair, 0, err);
  out[nout] = 0;
  return r;
}

static void
test_json_ok(void)
{
  struct json_err e;

  CHECK(parse("{}", &e) == 0 && nout == 0);
  CHECK(parse(" \n{ \"a\" : \"1\" ,\"b\":\"\"}\r\n", &e) == 0);
  CHECK_STR(out, "a=1;b=;");
  CHECK(parse("{\"e\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", &e) == 0);
  CHECK_STR(out, "e=\"\\/\b\f\n\r\t;");
  CHECK(parse("{\"u\":\"\\u0041\\u00e9\\u20AC\\ud83d\\ude00\"}", &e) == 0);
  CHECK_STR(out, "u=A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80;");
  CHECK(parse("{\"raw\":\"h\xC3\xA9llo \xF0\x9F\x98\x80\"}", &e) == 0);
  CHECK_STR(out, "raw=h\xC3\xA9llo \xF0\x9F\x98\x80;");
  CHECK(parse("\xEF\xBB\xBF{\"bom\":\"ok\"}", &e) == 0);
  CHECK(parse("{\"a\":\"1\",\"a\":\"2\"}", &e) == 0);   // duplicates: the caller decides
  CHECK_STR(out, "a=1;a=2;");
}

// Does s fail with an error at byte at?
static int
fails_at(const char *s, u32 at)
{
  struct json_err e;

  return parse(s, &e) < 0 && e.msg != 0 && e.at == at;
}

static void
test_json_errors(void)
{
  CHECK(fails_at("", 0));
  CHECK(fails_at("[]", 0));
  CHECK(fails_at("{", 1));
  CHECK(fails_at("{\"a\":1}", 5));               // values must be strings
  CHECK(fails_at("{\"a\":\"1\",}", 9));          // trailing comma
  CHECK(fails_at("{\"a\" \"1\"}", 5));
  CHECK(fails_at("{\"a\":\"1\"} x", 10));
  CHECK(fails_at("{\"a\":\"1\"}{}", 9));
  CHECK(fails_at("{\"a\":\"1", 5));              // unterminated
  CHECK(fails_at("{\"a\":\"x\ty\"}", 7));        // a raw control character
  CHECK(fails_at("{\"a\":\"\\x\"}", 6));         // unknown escape
  CHECK(fails_at("{\"a\":\"\\u12\"}", 6));
  CHECK(fails_at("{\"a\":\"\\ud800\"}", 6));     // lone surrogates
  CHECK(fails_at("{\"a\":\"\\udc00\"}", 6));
  CHECK(fails_at("{\"a\":\"\xC3\"}", 6));        // cut UTF-8
  CHECK(fails_at("{\"a\":\"\xC0\x80\"}", 6));    // overlong
  CHECK(fails_at("{\"a\":\"\xED\xA0\x80\"}", 6)); // an encoded surrogate
  CHECK(fails_at("{\"a\":\"\xF4\x90\x80\x80\"}", 6));   // beyond U+10FFFF
  CHECK(fails_at("{\"a\":\"\xFF\"}", 6));
  CHECK(fails_at("{\"ok\":\"1\",\"stop\":\"2\"}", 11));  // the callback's error, at its key
  CHECK_STR(out, "ok=1;stop=2;");
}

void
test_json(void)
{
  test_json_ok();
  test_json_errors();
}
