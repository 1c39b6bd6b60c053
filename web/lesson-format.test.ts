import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { describeCheck, evaluate, parseAction, parseCheck, parseLesson, type Observed } from './lesson-format.ts';

const seen = (over: Partial<Observed> = {}): Observed => ({
  states: {},
  consoles: {},
  frames: {},
  shareLink: '',
  online: true,
  opened: [],
  hash: '#/',
  ...over,
});

test('every lesson in lessons/ parses, and there are at least three', () => {
  const dir = new URL('../lessons/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 3);
  for (const file of files) {
    const lesson = parseLesson(file.replace(/\.json$/, ''), JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
    assert.ok(lesson.steps.length >= 3, `${file} has steps`);
    assert.ok(
      lesson.steps.some((s) => s.check),
      `${file} checks something`,
    );
  }
});

test('actions: each verb, the appliance first where one is named', () => {
  assert.deepEqual(parseAction('open: kv'), { kind: 'open', appliance: 'kv' });
  assert.deepEqual(parseAction('type: hello uptime'), { kind: 'type', appliance: 'hello', text: 'uptime' });
  assert.deepEqual(parseAction('type: hello echo a  b'), { kind: 'type', appliance: 'hello', text: 'echo a  b' });
  assert.deepEqual(parseAction('fetch: /vm/kv/keys'), { kind: 'fetch', url: '/vm/kv/keys' });
  assert.deepEqual(parseAction('open-tab: /vm/kv/keys'), { kind: 'open-tab', url: '/vm/kv/keys' });
  assert.deepEqual(parseAction('go: #/src/kv/net/tcp_in.c:L12'), { kind: 'go', hash: '#/src/kv/net/tcp_in.c:L12' });
  assert.deepEqual(parseAction('click: Share this running appliance'), {
    kind: 'click',
    label: 'Share this running appliance',
  });
});

test('bad actions say what is wrong', () => {
  assert.throws(() => parseAction('launch: kv'), /unknown action 'launch'/);
  assert.throws(() => parseAction('open: KV!'), /not an appliance name/);
  assert.throws(() => parseAction('type: hello'), /appliance name and then more/);
  assert.throws(() => parseAction('go: /vm/kv'), /starting with #\//);
  assert.throws(() => parseAction('fetch:'), /argument is missing/);
});

test('checks parse, and bad ones are refused', () => {
  assert.deepEqual(parseCheck('state: kv ready'), { kind: 'state', appliance: 'kv', state: 'ready' });
  assert.deepEqual(parseCheck('frame-seen: kv HTTP GET /keys'), {
    kind: 'frame-seen',
    appliance: 'kv',
    text: 'HTTP GET /keys',
  });
  assert.deepEqual(parseCheck('link-created'), { kind: 'link-created' });
  assert.deepEqual(parseCheck('offline'), { kind: 'offline' });
  assert.throws(() => parseCheck('state: kv running'), /one of off, booting, ready/);
  assert.throws(() => parseCheck('offline: yes'), /takes no argument/);
  assert.throws(() => parseCheck('booted: kv'), /unknown check 'booted'/);
});

test('a lesson file with a mistake is refused with its step named', () => {
  const step = {
    title: 'Boot',
    text: 'Boot it.',
    do: [{ label: 'Boot', action: 'open: kv' }],
    check: 'state: kv ready',
  };
  assert.equal(parseLesson('x', { title: 'T', summary: 'S', steps: [step] }).steps[0]!.text[0], 'Boot it.');
  assert.throws(() => parseLesson('x', { title: 'T', summary: 'S', steps: [] }), /lesson x: 'steps'/);
  assert.throws(
    () => parseLesson('x', { title: 'T', summary: 'S', steps: [step, { ...step, check: 'state: kv up' }] }),
    /lesson x, step 2/,
  );
  assert.throws(() => parseLesson('x', { summary: 'S', steps: [step] }), /'title'/);
  assert.throws(
    () => parseLesson('x', { title: 'T', summary: 'S', steps: [{ ...step, show: 'chart: kv' }] }),
    /unknown figure/,
  );
});

test('state and console checks look at the named appliance only', () => {
  const ready = parseCheck('state: kv ready');
  assert.equal(evaluate(ready, seen({ states: { kv: 'booting' } })), false);
  assert.equal(evaluate(ready, seen({ states: { hello: 'ready' } })), false);
  assert.equal(evaluate(ready, seen({ states: { kv: 'ready' } })), true);
  const uptime = parseCheck('console-contains: hello s, idle');
  assert.equal(evaluate(uptime, seen({ consoles: { hello: 'hello> uptime\r\n' } })), false);
  assert.equal(evaluate(uptime, seen({ consoles: { hello: 'up 1.204 s, idle 99.1%' } })), true);
  assert.equal(evaluate(uptime, seen({ consoles: { kv: 'up 1.204 s, idle 99.1%' } })), false);
});

test('frame checks match a part of a frame summary', () => {
  const frames = {
    kv: [
      'ARP who-has 10.0.2.15 tell 10.0.2.2',
      'TCP 10.0.2.2:49152 → 10.0.2.15:80 [SYN] seq=1 win=65535 len=0 mss=1460',
      'TCP 10.0.2.15:80 → 10.0.2.2:49152 [SYN, ACK] seq=9 ack=2 win=4096 len=0 mss=1460',
      'HTTP GET /keys',
      'HTTP 200 OK',
    ],
  };
  assert.equal(evaluate(parseCheck('frame-seen: kv [SYN]'), seen({ frames })), true);
  assert.equal(evaluate(parseCheck('frame-seen: kv HTTP GET /keys'), seen({ frames })), true);
  assert.equal(evaluate(parseCheck('frame-seen: kv HTTP PUT'), seen({ frames })), false);
  assert.equal(evaluate(parseCheck('frame-seen: static ARP'), seen({ frames })), false);
  assert.equal(evaluate(parseCheck('frame-seen: kv [SYN]'), seen({ frames: { kv: [frames.kv[2]!] } })), false);
});

test('link, offline, opened and route checks', () => {
  assert.equal(evaluate(parseCheck('link-created'), seen()), false);
  assert.equal(evaluate(parseCheck('link-created'), seen({ shareLink: 'http://x/#/a/kv?state=abc' })), true);
  assert.equal(evaluate(parseCheck('offline'), seen()), false);
  assert.equal(evaluate(parseCheck('offline'), seen({ online: false })), true);
  const opened = parseCheck('opened: /vm/kv/keys');
  assert.equal(evaluate(opened, seen({ opened: ['http://127.0.0.1:4173/vm/kv/keys/a'] })), false);
  assert.equal(evaluate(opened, seen({ opened: ['http://127.0.0.1:4173/vm/kv/keys'] })), true);
  assert.equal(evaluate(parseCheck('route: #/src/hello'), seen({ hash: '#/src/hello/hello/hello.c' })), true);
  assert.equal(evaluate(parseCheck('route: #/src/hello'), seen({ hash: '#/a/hello' })), false);
});

test('every check can be said in words', () => {
  assert.equal(describeCheck(parseCheck('state: kv ready')), 'kv is ready');
  assert.equal(describeCheck(parseCheck('frame-seen: kv [SYN]')), "a frame “[SYN]” crossed kv's wire");
});
