// A line-editing serial shell: echo, backspace, ^U (erase line), ^C (cancel),
// tab as space, ANSI escape sequences ignored. Enter is '\r' (terminals), '\n'
// (pipes, v86's serial0_send of a "\n" string) or "\r\n". Appliances register
// commands; "help" lists them. A command with a null help string is hidden.

#include "types.h"
#include "defs.h"
#include "param.h"

#define CTRL(c) ((c) - '@')
#define ESC     0x1B
#define DEL     0x7F

static struct {
  const char *name;
  const char *help;
  shell_fn fn;
} cmds[SHELL_CMDS_MAX];
static int ncmds;
static int later;      // the command running goes on in the background: no prompt now

static const char *prompt = "> ";
static char line[SHELL_LINE_MAX];
static int len;
static int last_cr;    // previous byte was '\r': a following '\n' is the same Enter
static int esc;        // 0 normal, 1 after ESC, 2 inside "ESC [" ... final byte

// Built-in: list the commands with their one-line help.
static void
shell_help(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  for(int i = 0; i < ncmds; i++)
    if(cmds[i].help)
      kprintf("  %-10s %s\n", cmds[i].name, cmds[i].help);
}

// Add a command; fn gets the words of the line, argv[0] being the name.
void
shell_register(const char *name, const char *help, shell_fn fn)
{
  if(ncmds == SHELL_CMDS_MAX)
    panic("shell_register: more than %d commands", SHELL_CMDS_MAX);
  cmds[ncmds].name = name;
  cmds[ncmds].help = help;
  cmds[ncmds].fn = fn;
  ncmds++;
}

// Set the prompt and register the built-in commands. Call once.
void
shell_init(const char *p)
{
  prompt = p;
  shell_register("help", "list commands", shell_help);
}

// Print the prompt.
void
shell_prompt(void)
{
  kprintf("%s", prompt);
}

// Called by a command that goes on from the idle loop: the prompt is not
// printed when it returns; the command prints it (shell_prompt) when done.
void
shell_later(void)
{
  later = 1;
}

// Split line in place into words and run the command named by the first.
static void
shell_exec(char *s)
{
  char *argv[SHELL_ARGS_MAX + 1];
  int argc = 0;

  while(*s){
    while(*s == ' ')
      *s++ = 0;
    if(*s == 0)
      break;
    if(argc == SHELL_ARGS_MAX){
      kprintf("too many words (at most %d)\n", SHELL_ARGS_MAX);
      return;
    }
    argv[argc++] = s;
    while(*s && *s != ' ')
      s++;
  }
  argv[argc] = 0;
  if(argc == 0)
    return;
  for(int i = 0; i < ncmds; i++)
    if(strcmp(argv[0], cmds[i].name) == 0){
      cmds[i].fn(argc, argv);
      return;
    }
  kprintf("%s: unknown command (type 'help' for the list)\n", argv[0]);
}

// Swallow the bytes of an ANSI escape sequence (arrow keys etc.); 1 if c was one.
static int
shell_escape(int c)
{
  if(esc == 1){
    esc = (c == '[' || c == 'O') ? 2 : 0;
    return 1;
  }
  if(esc == 2){
    if(c >= 0x40 && c <= 0x7E)
      esc = 0;
    return 1;
  }
  if(c == ESC){
    esc = 1;
    return 1;
  }
  return 0;
}

// Erase the last character on the terminal and in the line.
static void
shell_rubout(void)
{
  len--;
  kprintf("\b \b");
}

// Feed one input byte to the line editor; runs a command on Enter.
void
shell_input(int c)
{
  int cr = last_cr;

  last_cr = (c == '\r');
  if(shell_escape(c) || (c == '\n' && cr))
    return;
  if(c == '\t')
    c = ' ';
  if(c == '\r' || c == '\n'){
    kprintf("\n");
    line[len] = 0;
    len = 0;
    shell_exec(line);
    if(!later)
      shell_prompt();
    later = 0;
  } else if(c == '\b' || c == DEL){
    if(len > 0)
      shell_rubout();
  } else if(c == CTRL('U')){
    while(len > 0)
      shell_rubout();
  } else if(c == CTRL('C')){
    len = 0;
    kprintf("^C\n");
    shell_prompt();
  } else if(c >= ' ' && c < DEL && len < SHELL_LINE_MAX - 1){
    line[len++] = c;
    kprintf("%c", c);
  }
}

// Idle poller: feed every received serial byte to the line editor. Input
// arrives by interrupt, so there is never a deadline.
u64
shell_poll(u64 now)
{
  int c;

  (void)now;
  while((c = uart_getc()) >= 0)
    shell_input(c);
  return TIME_NEVER;
}
