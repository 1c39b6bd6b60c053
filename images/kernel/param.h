// Every fixed limit of the kernel, in one place. Macros only: entry.S includes it.

#define KSTACK_SIZE      16384   // boot (and only) kernel stack, bytes
#define TIME_CAL_US      2000    // TSC calibration against the PIT at boot, microseconds
#define UART_RXBUF       256     // serial input ring, bytes (power of two)
#define UART_TX_SPIN     100000  // polls of LSR before a byte is sent regardless
#define CMDLINE_MAX      256     // kernel command line kept, bytes incl. NUL
#define MMAP_MAX         16      // memory map regions kept
#define BOOT_MARKS_MAX   16      // boot timeline stages
#define IDLE_POLLS_MAX   8       // poll functions run after each wakeup
#define SHELL_LINE_MAX   128     // shell input line, bytes incl. NUL
#define SHELL_ARGS_MAX   8       // words per shell line
#define SHELL_CMDS_MAX   16      // registered shell commands
