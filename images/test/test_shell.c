// shell.c: line editing (echo, backspace, ^U, ^C, escape sequences, CRLF)
// and command dispatch, with the console captured in test_out.

#include "param.h"
#include "test.h"

static int calls;
static char args[256];

// A command that records its argument vector as "argc:a|b|c".
static void
cmd_record(int argc, char **argv)
{
  calls++;
  ksnprintf(args, sizeof(args), "%d:", argc);
  for(int i = 0; i < argc; i++)
    ksnprintf(args + kstrlen(args), sizeof(args) - kstrlen(args), i ? "|%s" : "%s", argv[i]);
}

// Type s into the shell through the fake serial port.
static void
type(const char *s)
{
  test_uart_feed(s);
  CHECK(shell_poll(0) == TIME_NEVER);
}

static void
test_dispatch(void)
{
  test_out_reset();
  type("rec a  b\tc\r");
  CHECK(calls == 1);
  CHECK_STR(args, "4:rec|a|b|c");
  CHECK_STR(test_out, "rec a  b c\nt> ");       // echoed; the tab became a space

  test_out_reset();
  type("nope\r");
  CHECK_STR(test_out, "nope\nnope: unknown command (type 'help' for the list)\nt> ");

  test_out_reset();
  type("help\n");
  CHECK_STR(test_out, "help\n  help       list commands\n  rec        record\nt> ");

  test_out_reset();
  type("\r\r\n");                       // empty lines; CRLF is one Enter
  CHECK_STR(test_out, "\nt> \nt> ");

  type("rec 1 2 3 4 5 6 7 8\r");        // nine words
  CHECK(calls == 1);
}

static void
test_editing(void)
{
  calls = 0;
  test_out_reset();
  type("rex\b\x7f" "ec  x\r");          // rex, two rubouts, "ec  x"
  CHECK(calls == 1);
  CHECK_STR(args, "2:rec|x");
  CHECK_STR(test_out, "rex\b \b\b \bec  x\nt> ");

  type("junk\x15rec u\r");              // ^U erases the line
  CHECK_STR(args, "2:rec|u");
  type("rec\x03");                      // ^C cancels it
  CHECK(calls == 2);
  type("\x1b[Arec\x1b[1;5D\x1bOA e\r"); // arrow keys are ignored
  CHECK_STR(args, "2:rec|e");
  type("\b\b\brec\r");                  // rubout on an empty line is harmless
  CHECK_STR(args, "1:rec");
}

static void
test_long_line(void)
{
  char line[SHELL_LINE_MAX + 20];
  int n = 0;

  line[n++] = 'r';
  line[n++] = 'e';
  line[n++] = 'c';
  line[n++] = ' ';
  while(n < SHELL_LINE_MAX + 10)
    line[n++] = 'y';
  line[n++] = '\r';
  line[n] = 0;
  type(line);
  CHECK(kstrlen(args) == 2 + 4 + (SHELL_LINE_MAX - 1 - 4));   // "2:rec|" + y's
}

void
test_shell(void)
{
  shell_init("t> ");
  shell_register("rec", "record", cmd_record);
  shell_register("hidden", 0, cmd_record);
  test_dispatch();
  test_editing();
  test_long_line();
}
