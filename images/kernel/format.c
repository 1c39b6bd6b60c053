// printf-style formatting with no hardware dependency (also built on the host
// for unit tests). Conversions: %d %i %u %x %X %p %s %c %%; flags '-' and '0';
// width and precision as digits or '*'; length modifiers l, ll, z.
// %p prints 0x and the address zero-padded to the pointer's width.

#include "types.h"
#include "defs.h"

struct fmt_out {
  format_sink sink;
  void *arg;
  int n;             // characters produced so far
};

struct fmt_spec {
  int left;          // '-': pad on the right
  int zero;          // '0': pad numbers with zeros
  int width;         // minimum field width
  int prec;          // -1 if none: max chars for %s, min digits for numbers
  int lng;           // 0 int, 1 long, 2 long long, 3 size_t
};

// Emit one character.
static void
fmt_put(struct fmt_out *o, char c)
{
  o->sink(o->arg, c);
  o->n++;
}

// Emit k copies of c (none if k <= 0).
static void
fmt_pad(struct fmt_out *o, char c, int k)
{
  while(k-- > 0)
    fmt_put(o, c);
}

// Emit prefix, zeros leading zeros and s[0..len), padded to the field width.
static void
fmt_field(struct fmt_out *o, struct fmt_spec *sp, const char *prefix, int zeros,
          const char *s, int len)
{
  int plen = 0, fill;

  while(prefix[plen])
    plen++;
  fill = sp->width - plen - zeros - len;
  if(!sp->left && !sp->zero)
    fmt_pad(o, ' ', fill);
  for(int i = 0; i < plen; i++)
    fmt_put(o, prefix[i]);
  if(!sp->left && sp->zero)
    fmt_pad(o, '0', fill);
  fmt_pad(o, '0', zeros);
  for(int i = 0; i < len; i++)
    fmt_put(o, s[i]);
  if(sp->left)
    fmt_pad(o, ' ', fill);
}

// Write the digits of v in base (10 or 16) ending just before end; return the first.
static char *
fmt_digits(u64 v, u32 base, int upper, char *end)
{
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char *p = end;
  u64 rem;
  u32 v32;

  while(v > 0xFFFFFFFFu){       // 64-bit division only while it is needed
    v = div64_udivmod(v, base, &rem);
    *--p = digits[rem];
  }
  v32 = (u32)v;
  do {
    *--p = digits[v32 % base];
    v32 /= base;
  } while(v32);
  return p;
}

// Emit an integer conversion of magnitude v with an optional sign or 0x prefix.
static void
fmt_number(struct fmt_out *o, struct fmt_spec *sp, u64 v, u32 base, int upper,
           const char *prefix)
{
  char buf[24];
  char *end = buf + sizeof(buf);
  char *s = fmt_digits(v, base, upper, end);
  int len = end - s, zeros = 0;

  if(sp->prec >= 0){
    if(sp->prec == 0 && v == 0)
      len = 0;
    zeros = sp->prec > len ? sp->prec - len : 0;
    sp->zero = 0;               // as in C: a precision turns off the '0' flag
  }
  fmt_field(o, sp, prefix, zeros, s, len);
}

// Fetch a signed integer argument of the spec's length.
static i64
fmt_arg_signed(struct fmt_spec *sp, va_list *ap)
{
  switch(sp->lng){
  case 1: return va_arg(*ap, long);
  case 2: return va_arg(*ap, long long);
  case 3: return (i64)va_arg(*ap, size_t);   // %zd: ssize_t is not freestanding
  }
  return va_arg(*ap, int);
}

// Fetch an unsigned integer argument of the spec's length.
static u64
fmt_arg_unsigned(struct fmt_spec *sp, va_list *ap)
{
  switch(sp->lng){
  case 1: return va_arg(*ap, unsigned long);
  case 2: return va_arg(*ap, unsigned long long);
  case 3: return va_arg(*ap, size_t);
  }
  return va_arg(*ap, unsigned int);
}

// Parse a decimal number or '*' (taken from the arguments) at *fmt.
static int
fmt_int(const char **fmt, va_list *ap)
{
  int n = 0;

  if(**fmt == '*'){
    (*fmt)++;
    return va_arg(*ap, int);
  }
  while(**fmt >= '0' && **fmt <= '9')
    n = n * 10 + (*(*fmt)++ - '0');
  return n;
}

// Parse flags, width, precision and length after '%'; return the conversion char.
static char
fmt_spec(const char **fmt, struct fmt_spec *sp, va_list *ap)
{
  *sp = (struct fmt_spec){ 0, 0, 0, -1, 0 };
  for(;; (*fmt)++){
    if(**fmt == '-')
      sp->left = 1;
    else if(**fmt == '0')
      sp->zero = 1;
    else
      break;
  }
  sp->width = fmt_int(fmt, ap);
  if(sp->width < 0){            // a negative '*' width means left-justify
    sp->left = 1;
    sp->width = -sp->width;
  }
  if(**fmt == '.'){
    (*fmt)++;
    sp->prec = fmt_int(fmt, ap);
  }
  for(; **fmt == 'l' && sp->lng < 2; (*fmt)++)
    sp->lng++;
  if(**fmt == 'z'){
    sp->lng = 3;
    (*fmt)++;
  }
  if(sp->left)
    sp->zero = 0;
  return **fmt;
}

// Emit one conversion c described by sp, taking its argument from ap.
static void
fmt_convert(struct fmt_out *o, struct fmt_spec *sp, char c, va_list *ap)
{
  char ch;
  const char *s;
  int len;
  i64 v;

  switch(c){
  case 'd':
  case 'i':
    v = fmt_arg_signed(sp, ap);
    if(v < 0)
      fmt_number(o, sp, -(u64)v, 10, 0, "-");
    else
      fmt_number(o, sp, (u64)v, 10, 0, "");
    break;
  case 'u':
    fmt_number(o, sp, fmt_arg_unsigned(sp, ap), 10, 0, "");
    break;
  case 'x':
  case 'X':
    fmt_number(o, sp, fmt_arg_unsigned(sp, ap), 16, c == 'X', "");
    break;
  case 'p':
    sp->prec = 2 * sizeof(void *);
    fmt_number(o, sp, (uintptr_t)va_arg(*ap, void *), 16, 0, "0x");
    break;
  case 's':
    s = va_arg(*ap, const char *);
    if(s == 0)
      s = "(null)";
    for(len = 0; s[len] && (sp->prec < 0 || len < sp->prec); len++)
      ;
    sp->zero = 0;
    fmt_field(o, sp, "", 0, s, len);
    break;
  case 'c':
    ch = (char)va_arg(*ap, int);
    sp->zero = 0;
    fmt_field(o, sp, "", 0, &ch, 1);
    break;
  case '%':
    fmt_put(o, '%');
    break;
  default:                      // unknown conversion: show it as written
    fmt_put(o, '%');
    fmt_put(o, c);
  }
}

// Format fmt with ap, handing each character to sink; return the count.
int
format(format_sink sink, void *arg, const char *fmt, va_list ap)
{
  struct fmt_out o = { sink, arg, 0 };
  struct fmt_spec sp;
  va_list aq;
  char c;

  va_copy(aq, ap);              // a local va_list can be passed by pointer portably
  for(; *fmt; fmt++){
    if(*fmt != '%'){
      fmt_put(&o, *fmt);
      continue;
    }
    fmt++;
    c = fmt_spec(&fmt, &sp, &aq);
    if(c == 0){                 // a lone '%' at the end
      fmt_put(&o, '%');
      break;
    }
    fmt_convert(&o, &sp, c, &aq);
  }
  va_end(aq);
  return o.n;
}

struct fmt_buf {
  char *buf;
  size_t size;
  size_t pos;
};

// Sink for ksnprintf: store while there is room, keeping one byte for the NUL.
static void
fmt_buf_sink(void *arg, char c)
{
  struct fmt_buf *b = arg;

  if(b->pos + 1 < b->size)
    b->buf[b->pos++] = c;
}

// vsnprintf: write at most n bytes including the NUL; return the untruncated length.
int
kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
  struct fmt_buf b = { buf, n, 0 };
  int len = format(fmt_buf_sink, &b, fmt, ap);

  if(n > 0)
    buf[b.pos] = 0;
  return len;
}

// snprintf: write at most n bytes including the NUL; return the untruncated length.
int
ksnprintf(char *buf, size_t n, const char *fmt, ...)
{
  va_list ap;
  int len;

  va_start(ap, fmt);
  len = kvsnprintf(buf, n, fmt, ap);
  va_end(ap);
  return len;
}
