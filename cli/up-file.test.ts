// tabcloud.json as `tabcloud up` reads it: the appliances, and every kind of mistake named by its field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labels, ConsolePrefix } from './up-console.ts';
import { parseUpFile, UpFileError } from './up-file.ts';

const FILE = '/srv/app/tabcloud.json';

/** The message of the UpFileError that parsing `text` throws. */
function mistake(text: string): string {
  try {
    parseUpFile(text, FILE);
  } catch (error) {
    assert.ok(error instanceof UpFileError, String(error));
    assert.equal(error.code, 'bad-up-file');
    return error.message;
  }
  assert.fail(`no mistake found in ${text}`);
}

const file = (appliances: unknown): string => JSON.stringify({ appliances });

test('appliances in the file order, paths from the file folder, engine v86 by default', () => {
  const parsed = parseUpFile(
    file({
      db: { image: 'kv', userData: 'seed.json' },
      api: { image: 'js', userData: '../api/api.ts', publish: ['8080:80', '8443:443'], engine: 'qemu' },
      mine: { image: './build/mine.elf', cmdline: 'debug', allowNet: ['api.example.com', '*.CDN.test:8443', '*'] },
    }),
    FILE,
  );
  assert.deepEqual(parsed, [
    {
      name: 'db',
      image: 'kv',
      userData: '/srv/app/seed.json',
      publish: [],
      engine: 'v86',
      cmdline: undefined,
      allowNet: [],
    },
    {
      name: 'api',
      image: 'js',
      userData: '/srv/api/api.ts',
      publish: [
        { host: 8080, guest: 80 },
        { host: 8443, guest: 443 },
      ],
      engine: 'qemu',
      cmdline: undefined,
      allowNet: [],
    },
    {
      name: 'mine',
      image: '/srv/app/build/mine.elf',
      userData: undefined,
      publish: [],
      engine: 'v86',
      cmdline: 'debug',
      allowNet: ['api.example.com', '*.cdn.test:8443', '*'],
    },
  ]);
});

test('each kind of mistake names its field', () => {
  const cases: [string, RegExp][] = [
    ['{ "appliances": ', /tabcloud\.json is not JSON/],
    ['[]', /: the file: must be a JSON object/],
    [JSON.stringify({ appliances: {}, version: 3 }), /: version: unknown field/],
    [JSON.stringify({ services: {} }), /: services: unknown field/],
    [JSON.stringify({}), /: appliances: must be an object/],
    [file([]), /: appliances: must be an object/],
    [file({}), /: appliances: is empty/],
    [file({ DB: { image: 'kv' } }), /: appliances\["DB"\]: a name is a letter, then/],
    [file({ 'my db': { image: 'kv' } }), /: appliances\["my db"\]/],
    [file({ db: 'kv' }), /: appliances\.db: must be an object/],
    [file({ db: { imgae: 'kv' } }), /: appliances\.db\.imgae: unknown field \(known: image, userData/],
    [file({ db: {} }), /: appliances\.db\.image: a catalog id/],
    [file({ db: { image: 3 } }), /: appliances\.db\.image: a catalog id/],
    [file({ db: { image: 'kv', userData: 7 } }), /: appliances\.db\.userData: the path of a file/],
    [file({ db: { image: 'kv', engine: 'docker' } }), /: appliances\.db\.engine: "docker" is not "v86" or "qemu"/],
    [file({ db: { image: 'kv', cmdline: ['a'] } }), /: appliances\.db\.cmdline: a string/],
    [file({ api: { image: 'js', publish: '8080:80' } }), /: appliances\.api\.publish: an array/],
    [file({ api: { image: 'js', publish: ['80'] } }), /: appliances\.api\.publish\[0\]: "80" is not host:guest/],
    [
      file({ api: { image: 'js', publish: ['8080:80', 8081] } }),
      /: appliances\.api\.publish\[1\]: 8081 is not host:guest/,
    ],
    [file({ api: { image: 'js', publish: ['70000:80'] } }), /: appliances\.api\.publish\[0\]: "70000:80" is not/],
    [file({ db: { image: 'kv', allowNet: 'example.com' } }), /: appliances\.db\.allowNet: an array of hosts/],
    [
      file({ db: { image: 'kv', allowNet: ['a.test b.test'] } }),
      /: appliances\.db\.allowNet\[0\]: "a\.test b\.test" is not one host/,
    ],
    [
      file({ db: { image: 'kv', allowNet: ['a.test', 'http://b.test'] } }),
      /: appliances\.db\.allowNet\[1\]: 'http:\/\/b\.test' is not a host to allow: write a host name/,
    ],
    [
      file({ a: { image: 'kv', publish: ['8080:80'] }, b: { image: 'kv', publish: ['8080:80'] } }),
      /: appliances\.b\.publish\[0\]: host port 8080 is already published by appliances\.a\.publish\[0\]/,
    ],
  ];
  for (const [text, expected] of cases) assert.match(mistake(text), expected, text);
  assert.equal(
    mistake(file({ api: { image: 'js', publish: ['80'] } })),
    `${FILE}: appliances.api.publish[0]: "80" is not host:guest (ports 1-65535, e.g. "8080:80")`,
  );
});

test('console lines follow their aligned name; partial lines wait for their end', () => {
  const [db, api] = labels(['db', 'api'], false);
  assert.equal(db, 'db  | ');
  assert.equal(api, 'api | ');
  let out = '';
  const console = new ConsolePrefix(db!, (text) => (out += text));
  console.push(new TextEncoder().encode('READY kv\r\nnet: 10.0.2.'));
  assert.equal(out, 'db  | READY kv\n');
  console.push(new TextEncoder().encode('15/24\n$ '));
  console.flush();
  assert.equal(out, 'db  | READY kv\ndb  | net: 10.0.2.15/24\ndb  | $ \n');
  const [coloured] = labels(['db'], true);
  assert.equal(coloured, '\x1b[36mdb | \x1b[0m');
});
