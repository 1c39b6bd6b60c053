// A request URL that the WHATWG URL parser would give back unchanged, taken
// apart without it: the prelude's full parser costs v86 a tenth of a second
// a URL, and nearly every URL a service sees is of this simple form. Rules:
// "http://", a host of lower-case labels whose last starts with a letter or
// a dotted quad in canonical form, a port other than 80 (at most 65535), a
// path of segments that are not dot segments and need no percent-encoding,
// and a query that needs none either; no fragment. Hardware-free.

#include "types.h"
#include "defs.h"
#include "url.h"

// May c stand in a path segment as it is?
static int
url_path_char(int c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c != 0 && strchr("-._~!$&'()*+,;=:@%", c));
}

// The length of the host name at s (lower-case labels, the last one
// starting with a letter), or 0.
static u32
url_name(const char *s)
{
  u32 n = 0, label = 0;
  int letter = 0;

  for(;; n++){
    char c = s[n];
    if((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'){
      if(label++ == 0)
        letter = c >= 'a' && c <= 'z';
    } else if(c == '.' && label > 0){
      label = 0;
    } else
      break;
  }
  return label > 0 && letter ? n : 0;
}

// The length of the canonical dotted quad at s (0-255, no leading zeros), or 0.
static u32
url_quad(const char *s)
{
  u32 n = 0, v, d;

  for(int part = 0; part < 4; part++){
    if(part > 0 && s[n++] != '.')
      return 0;
    for(v = d = 0; s[n] >= '0' && s[n] <= '9' && d < 4; n++, d++)
      v = v * 10 + (s[n] - '0');
    if(d == 0 || d > 3 || v > 255 || (d > 1 && s[n - d] == '0'))
      return 0;
  }
  return (s[n] >= 'a' && s[n] <= 'z') || s[n] == '-' || s[n] == '.' || (s[n] >= '0' && s[n] <= '9') ? 0 : n;
}

// Is s[0..n) a dot segment, "." or "..", also as "%2e" (any case)?
static int
url_dot_segment(const char *s, u32 n)
{
  u32 dots = 0;

  for(u32 i = 0; i < n; dots++){
    if(s[i] == '.')
      i++;
    else if(i + 3 <= n && s[i] == '%' && s[i + 1] == '2' && (s[i + 2] | 0x20) == 'e')
      i += 3;
    else
      return 0;
  }
  return dots == 1 || dots == 2;
}

// Take URL s apart if it is simple (above): 0 and the parts' offsets and
// lengths in *p, or -1.
int
url_simple(const char *s, u32 n, struct url_parts *p)
{
  u32 i = 7, seg, v;

  if(n < 8 || strncmp(s, "http://", 7) != 0)
    return -1;
  p->host = i;
  p->host_len = url_name(s + i) ? url_name(s + i) : url_quad(s + i);
  if(p->host_len == 0)
    return -1;
  i += p->host_len;
  p->port = p->port_len = 0;
  if(s[i] == ':'){
    p->port = ++i;
    for(v = 0; i < n && s[i] >= '0' && s[i] <= '9' && i - p->port < 6; i++)
      v = v * 10 + (s[i] - '0');
    p->port_len = i - p->port;
    if(p->port_len == 0 || p->port_len > 5 || s[p->port] == '0' || v > 65535 || v == 80)
      return -1;
  }
  p->path = i;
  while(i < n && s[i] == '/'){
    for(seg = ++i; i < n && url_path_char(s[i]); i++)
      ;
    if(url_dot_segment(s + seg, i - seg))
      return -1;
  }
  p->path_len = i - p->path;
  p->query = -1;
  if(p->path_len == 0)
    return -1;
  if(i < n && s[i] == '?'){
    p->query = ++i;
    while(i < n && (s[i] == '/' || s[i] == '?' || (s[i] != '\'' && url_path_char(s[i]))))
      i++;
  }
  return i == n ? 0 : -1;
}
