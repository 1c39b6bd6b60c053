// Every fixed limit of the kernel, the network stack and the appliances, in
// one place. Macros only: entry.S includes it.

#ifndef KSTACK_SIZE
#define KSTACK_SIZE      16384   // boot (and only) kernel stack, bytes (js: JS_STACK_SIZE)
#endif
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

// Devices
#define NE2K_SPIN        100000  // polls of an NE2000 status bit before giving up
#define VIRTIO_SPIN      100000  // polls for a free transmit buffer (or a reset) before giving up
#define VIRTIO_QUEUE_MAX 256     // descriptors per virtqueue (at most; the device may offer fewer)
#define VIRTIO_RX_POOL   (1u << 20)    // receive buffers: 15 frames of 64 KiB, or 256 of 1500 bytes
#define VIRTIO_TX_POOL   (256u << 10)  // transmit buffers: 3 frames of 64 KiB, or 170 of 1500 bytes

// Network stack (images/net/)
#define NET_MTU_MAX      65535   // largest MTU taken from a NIC (v86's virtio-net offers 64 KiB frames)
#define NET_FRAME_MAX    (NET_MTU_MAX + 14)   // Ethernet frame without FCS
#define NET_ARP_FRAME    1514    // a frame held while its next hop is resolved (larger ones are dropped; TCP resends)
#define NET_RX_BATCH     32      // frames taken from the NIC per poll before other pollers run
#define NET_DHCP_WAIT_MS 3000    // then fall back to the cmdline's ip= (if any)
#define ARP_ENTRIES      8       // cache entries, each holding one frame awaiting resolution
#define ARP_RETRY_MS     500     // between requests for an unresolved address
#define ARP_TRIES        5       // requests before the entry (and its frame) is dropped
#define ARP_TTL_MS       600000  // a resolved entry is refreshed after this
#define DHCP_RETRY_MS    1000    // first retransmission; doubles up to DHCP_RETRY_MAX_MS
#define DHCP_RETRY_MAX_MS 16000
#define TCP_LISTENERS    4       // listening ports
#define TCP_CONNS        1024    // connections, counting SYN_RCVD and TIME_WAIT ones
#define TCP_BACKLOG      256     // of them half-open (SYN_RCVD); a SYN beyond waits unanswered
#define TCP_RECLAIM_TRIES 8      // idle connections asked to close cleanly for one SYN that finds the table full
#define TCP_RECLAIM_IDLE_MS 1000 // only after this long without a segment (a request may be on its way before)
#define TCP_BUFS         256     // pooled ring buffers of TCP_BUFSIZE, taken only while holding data
#define TCP_BUFSIZE      16384   // one receive or send ring
#define TCP_BIGBUFS      4       // larger rings, for links with large frames (virtio-net in v86)
#define TCP_BIGBUFSIZE   (256u << 10)  // one of them: four 64 KiB segments in flight
#define TCP_WSCALE       3       // our window scale (RFC 7323), when the peer offers one: windows up to 512 KiB
#define TCP_HASH         256     // connection lookup buckets (power of two)
#define TCP_MSS          1460    // the MSS on a 1500-byte link (larger links: their MTU less 40)
#define TCP_RCVBUF       TCP_BUFSIZE   // a connection's receive ring, when it has one
#define TCP_WND_MAX      (8 * TCP_MSS)  // largest window we advertise on a 1500-byte link: the NE2000 ring holds ~9 full frames
#define TCP_WND_SHARE    75      // percent of the NIC's receive buffer shared by the windows of busy connections
#define TCP_BUSY_MS      200     // a connection that received data this recently is busy
#define TCP_SNDBUF       TCP_BUFSIZE   // a connection's send ring, when it has one
#define TCP_OOO_MAX      4       // out-of-order ranges kept per connection
#define TCP_RTO_INIT_MS  1000    // RFC 6298 initial RTO
#define TCP_RTO_MIN_MS   200
#define TCP_RTO_MAX_MS   30000
#define TCP_RETRIES      8       // retransmissions of one segment before the connection is reset
#define TCP_SYN_RETRIES  4       // SYN-ACK retransmissions before a half-open connection is dropped
#define TCP_DELACK_MS    20      // an ACK waits this long for data to ride on (every 2nd segment: at once)
#define TCP_TIMEWAIT_MS  5000    // TIME_WAIT (the oldest is recycled at once when the table is full)
#define TCP_FINWAIT2_MS  15000   // a peer that never sends its FIN
#define TCP_IDLE_MS      300000  // a connection with no traffic is reset
#define TCP_EPHEMERAL    49152   // local ports of active opens: from here to 65535 (RFC 6335)
#define UDP_BINDS        4       // bound UDP ports (the DHCP client's, the DNS resolver's)

// DNS resolver (images/net/dns.c)
#define DNS_CACHE        8       // names cached, lookups in progress included
#define DNS_NAME_MAX     63      // a name looked up, bytes
#define DNS_RETRY_MS     1000    // first retransmission of a query; then doubled
#define DNS_TRIES        3       // queries sent before giving up (after 1 + 2 + 4 s)
#define DNS_TTL_MAX      3600    // an answer is kept at most this long, seconds (else its TTL)
#define DNS_HOLD_MS      1000    // at least this long: negative answers, failures, TTL 0

// HTTP client (images/net/fetch*.c)
#define FETCH_MAX        8       // requests in flight
#define FETCH_TIMEOUT_MS 30000   // a request with no progress this long fails
#define FETCH_SEND_MAX   65536   // a request as sent: request line, headers, body (bytes)
#define FETCH_HEAD_MAX   8192    // a response's status line and headers (bytes)
#define FETCH_HOST_MAX   127     // a URL's host name, bytes
#define FETCH_PROXY_PORT 80      // the host's HTTP proxy, at the gateway's address
#define FETCH_SHOW_MAX   4096    // body bytes the fetch command prints (the rest is counted)

// HTTP server (images/net/http*.c)
#define HTTP_URI_MAX     1024    // request target, bytes (else 414)
#define HTTP_METHOD_MAX  15      // method token, bytes (else 400)
#define HTTP_LINE_MAX    2048    // one header line, bytes (else 431)
#define HTTP_HDR_MAX     8192    // request line and headers together (else 431)
#define HTTP_MEMS        128     // requests read or answered at once (pooled buffers); more wait
#define HTTP_CTYPE_MAX   127     // Content-Type kept, bytes (else 400)
#define HTTP_SMALL_BODY  512     // inline response bodies (JSON answers, errors)
#define HTTP_HEAD_MAX    2048    // a response head (with an application's header lines) and the send-buffer room it needs
#define HTTP_ETAGS_MAX   128     // If-None-Match kept, bytes (beyond, the tags that fit)
#define HTTP_EXTRA_MAX   160     // header lines an application adds to a response (ETag, Location), bytes

// The kv appliance (images/kv/)
#define KV_KEY_MAX       128     // key bytes (else 400)
#define KV_VALUE_MAX     (1u << 20)   // value bytes (else 413)
#define KV_BYTES_MAX     (8u << 20)   // all values together (else 507)
#define KV_KEYS_MAX      4096    // keys (else 507)
#define KV_CHUNK         256     // storage unit of values
#define HTTP_DISCARD_MAX 65536   // a refused request's body is read and dropped up to this; beyond, the connection closes
#define HTTP_SCRATCH     4096    // one piece of a streamed response body

// The static appliance (images/static/)
#define STATIC_FILES_MAX 256     // files taken from the user-data archive (later ones are skipped)
#define STATIC_NAME_MAX  100     // a file's path in the site, bytes (longer ones are skipped)
#define STATIC_LONGNAME  256     // a GNU or pax long name read from the archive, bytes
#define STATIC_NOTE_MAX  256     // what the built-in index page says about the user-data, bytes
#define STATIC_PAGE_MAX  4096    // the built-in index page with that note, bytes
#define STATIC_ETAG_MAX  24      // an ETag: "<size hex>-<hash hex>" with its quotes, bytes incl. NUL

// The js appliance (images/js/)
#define JS_STACK_SIZE    (512 * 1024)  // its kernel stack: Duktape's compiler, RegExp and JSON recurse in C
#define JS_HEAP_MAX      (32u << 20)   // the JS heap (malloc arena), at most: a 4 MB string response needs 16 MB while it is encoded
#define JS_KEEP_MAX      (4u << 20)    // a copy of the heap as the prelude left it: a reset puts it back
#define JS_BODY_MAX      (1u << 20)    // a request body (else 413)
#define JS_CALL_MS       5000    // a call into JS is interrupted after this; a request unanswered gets 503
#define JS_IDLE_GC_MS    1000    // garbage cycles are collected once the service has been idle this long
#define JS_HEAD_MAX      1800    // a response's own header lines, bytes (must fit in HTTP_HEAD_MAX)
