// The packet inspector's display filter: a few words, every one of which a frame must match.
import type { FrameInfo } from './dissect.ts';

/** Filter words that name a protocol, and the tag (FrameInfo.tags) each one matches. */
const PROTOCOLS: Record<string, string> = {
  eth: 'eth',
  ether: 'eth',
  ethernet: 'eth',
  arp: 'arp',
  ip: 'ip',
  ipv4: 'ip',
  ipv6: 'ipv6',
  icmp: 'icmp',
  udp: 'udp',
  tcp: 'tcp',
  dhcp: 'dhcp',
  bootp: 'dhcp',
  dns: 'dns',
  http: 'http',
};

type Test = (info: FrameInfo) => boolean;

/**
 * Compiles a filter such as `tcp port 80`, `http`, `not arp` or `SYN`: a protocol name matches frames that
 * carry it, `port N` frames from or to port N, `not X` or `!X` the others, and any other word the summary
 * text (case-insensitive). An empty filter matches every frame.
 */
export function compileFilter(text: string): (info: FrameInfo) => boolean {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const tests: Test[] = [];
  let negate = false;
  for (let i = 0; i < words.length; i++) {
    let word = words[i]!.toLowerCase();
    if (word === 'not' || word === '!') {
      negate = !negate;
      continue;
    }
    if (word.startsWith('!')) {
      negate = !negate;
      word = word.slice(1);
    }
    let test: Test;
    const port = word === 'port' && /^\d+$/.test(words[i + 1] ?? '') ? Number(words[++i]) : undefined;
    if (port !== undefined) test = (info) => info.ports.includes(port);
    else if (PROTOCOLS[word]) {
      const tag = PROTOCOLS[word];
      test = (info) => info.tags.includes(tag);
    } else test = (info) => info.summary.toLowerCase().includes(word);
    tests.push(negate ? (info) => !test(info) : test);
    negate = false;
  }
  return (info) => tests.every((test) => test(info));
}
