export const DNS_PORT = 53;
export const DNS_HEADER_BYTES = 12;
export const DNS_TYPE_A = 1;
export const DNS_TYPE_AAAA = 28;
export const DNS_TYPE_ANY = 255;
export const DNS_CLASS_IN = 1;

export const DNS_FLAG_QR = 0x8000;
export const DNS_FLAG_AA = 0x0400;
export const DNS_FLAG_TC = 0x0200;
export const DNS_FLAG_RD = 0x0100;
export const DNS_FLAG_RA = 0x0080;
export const DNS_RCODE_NOERROR = 0;
export const DNS_RCODE_FORMERR = 1;
export const DNS_RCODE_NXDOMAIN = 3;
export const DNS_RCODE_NOTIMP = 4;

const ID = 0;
const FLAGS = 2;
const QDCOUNT = 4;
const ANCOUNT = 6;
const NSCOUNT = 8;
const ARCOUNT = 10;
const MAX_LABEL_BYTES = 63;
const MAX_NAME_BYTES = 255;
const POINTER = 0xc0;

const TYPE_NAMES: Record<number, string> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  12: 'PTR',
  15: 'MX',
  16: 'TXT',
  28: 'AAAA',
  33: 'SRV',
  41: 'OPT',
  255: 'ANY',
};
const RCODE_NAMES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

/** A question: a name without the trailing dot, e.g. 'kv.tab'. */
export interface DnsQuestion {
  name: string;
  type: number;
  class: number;
}

/** A resource record with its raw data (4 bytes for A). */
export interface DnsRecord extends DnsQuestion {
  ttl: number;
  data: Uint8Array;
}

/** A DNS message; flags is the raw 16-bit flags word (use the DNS_FLAG_ constants, rcode in the low 4 bits). */
export interface DnsMessage {
  id: number;
  flags: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities?: DnsRecord[];
  additionals?: DnsRecord[];
}

/** The name of a record type, e.g. 'A'. */
export function dnsTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `TYPE${type}`;
}

/** The name of a response code, e.g. 'NXDOMAIN'. */
export function dnsRcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RCODE${rcode}`;
}

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public offset: number,
  ) {}

  u16(): number | null {
    if (this.offset + 2 > this.bytes.length) return null;
    const value = (this.bytes[this.offset] << 8) | this.bytes[this.offset + 1];
    this.offset += 2;
    return value;
  }

  // Compression pointers must point strictly backwards, so a malicious loop cannot run forever.
  name(): string | null {
    const labels: string[] = [];
    let at = this.offset;
    let end: number | undefined;
    let total = 0;
    for (;;) {
      if (at >= this.bytes.length) return null;
      const length = this.bytes[at];
      if ((length & POINTER) === POINTER) {
        if (at + 1 >= this.bytes.length) return null;
        const target = ((length & ~POINTER) << 8) | this.bytes[at + 1];
        end ??= at + 2;
        if (target >= at) return null;
        at = target;
        continue;
      }
      if (length > MAX_LABEL_BYTES) return null;
      if (length === 0) break;
      total += length + 1;
      if (total > MAX_NAME_BYTES || at + 1 + length > this.bytes.length) return null;
      labels.push(String.fromCharCode(...this.bytes.subarray(at + 1, at + 1 + length)));
      at += 1 + length;
    }
    this.offset = end ?? at + 1;
    return labels.join('.');
  }

  question(): DnsQuestion | null {
    const name = this.name();
    const type = this.u16();
    const klass = this.u16();
    return name === null || type === null || klass === null ? null : { name, type, class: klass };
  }

  record(): DnsRecord | null {
    const question = this.question();
    const ttlHigh = this.u16();
    const ttlLow = this.u16();
    const length = this.u16();
    if (!question || ttlHigh === null || ttlLow === null || length === null) return null;
    if (this.offset + length > this.bytes.length) return null;
    const data = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return { ...question, ttl: ttlHigh * 0x10000 + ttlLow, data };
  }
}

function readSection<T>(count: number, read: () => T | null): T[] | null {
  const items: T[] = [];
  for (let i = 0; i < count; i++) {
    const item = read();
    if (item === null) return null;
    items.push(item);
  }
  return items;
}

/** Parses a DNS message (compressed names allowed); null if any section is truncated or malformed. */
export function parseDns(bytes: Uint8Array): DnsMessage | null {
  if (bytes.length < DNS_HEADER_BYTES) return null;
  const word = (offset: number): number => (bytes[offset] << 8) | bytes[offset + 1];
  const reader = new Reader(bytes, DNS_HEADER_BYTES);
  const questions = readSection(word(QDCOUNT), () => reader.question());
  const answers = questions && readSection(word(ANCOUNT), () => reader.record());
  const authorities = answers && readSection(word(NSCOUNT), () => reader.record());
  const additionals = authorities && readSection(word(ARCOUNT), () => reader.record());
  if (!questions || !answers || !authorities || !additionals) return null;
  return { id: word(ID), flags: word(FLAGS), questions, answers, authorities, additionals };
}

function pushU16(out: number[], value: number): void {
  out.push(value >> 8, value & 0xff);
}

function pushName(out: number[], name: string): void {
  const labels = name.split('.').filter((label) => label !== '');
  let total = 1;
  for (const label of labels) {
    total += label.length + 1;
    if (label.length > MAX_LABEL_BYTES || total > MAX_NAME_BYTES) throw new RangeError(`bad DNS name: ${name}`);
    out.push(label.length);
    for (let i = 0; i < label.length; i++) out.push(label.charCodeAt(i) & 0xff);
  }
  out.push(0);
}

function pushRecord(out: number[], record: DnsRecord): void {
  pushName(out, record.name);
  pushU16(out, record.type);
  pushU16(out, record.class);
  pushU16(out, Math.floor(record.ttl / 0x10000));
  pushU16(out, record.ttl & 0xffff);
  pushU16(out, record.data.length);
  out.push(...record.data);
}

/** Emits a DNS message with uncompressed names. */
export function emitDns(message: DnsMessage): Uint8Array {
  const authorities = message.authorities ?? [];
  const additionals = message.additionals ?? [];
  const out: number[] = [];
  pushU16(out, message.id);
  pushU16(out, message.flags);
  pushU16(out, message.questions.length);
  pushU16(out, message.answers.length);
  pushU16(out, authorities.length);
  pushU16(out, additionals.length);
  for (const question of message.questions) {
    pushName(out, question.name);
    pushU16(out, question.type);
    pushU16(out, question.class);
  }
  for (const record of [...message.answers, ...authorities, ...additionals]) pushRecord(out, record);
  return Uint8Array.from(out);
}
