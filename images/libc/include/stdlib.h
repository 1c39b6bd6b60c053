// <stdlib.h>: the allocator (../malloc.c) and the rest (../stdlib.c).

#ifndef _STDLIB_H
#define _STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX 0x7fffffff

void *malloc(size_t n);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t n);
void free(void *p);
// Not standard: the arena and its accounting (see ../malloc.c).
void malloc_init(void *base, size_t len);
size_t malloc_used(void);
size_t malloc_peak(void);
int malloc_check(void);      // 0 if the arena is consistent
size_t malloc_save(void *dst, size_t n);
void malloc_restore(const void *src);

void abort(void) __attribute__((noreturn));
int abs(int v);
long labs(long v);
int atoi(const char *s);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);

#endif
