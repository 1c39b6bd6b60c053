import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseScriptError, ScriptErrorScanner } from './script-errors.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

test('a console line with a position gives line, column and message', () => {
  assert.deepEqual(parseScriptError('script error at 5:12: TypeError: cannot read property'), {
    line: 5,
    column: 12,
    message: 'TypeError: cannot read property',
  });
});

test('a console line with a line and no column gives column 0', () => {
  assert.deepEqual(parseScriptError('script error at 7: SyntaxError: parse error (line 7)'), {
    line: 7,
    column: 0,
    message: 'SyntaxError: parse error (line 7)',
  });
});

test('a script error without a position gives line 0; other lines give nothing', () => {
  assert.deepEqual(parseScriptError('script error: the script failed to load'), {
    line: 0,
    column: 0,
    message: 'the script failed to load',
  });
  assert.equal(parseScriptError('READY js'), undefined);
  assert.equal(parseScriptError('tick 3'), undefined);
});

test('the scanner finds errors in lines cut across chunks, with escapes and CRLF', () => {
  const scanner = new ScriptErrorScanner();
  assert.deepEqual(scanner.feed(bytes('READY js\r\njs> \x1b[31mscript err')), []);
  assert.deepEqual(scanner.feed(bytes('or at 3:7: RangeError: too deep\x1b[0m\r')), []);
  assert.deepEqual(scanner.feed(bytes('\nscript error at 4:1: Error: ü\n')), [
    { line: 3, column: 7, message: 'RangeError: too deep' },
    { line: 4, column: 1, message: 'Error: ü' },
  ]);
});

test('a character cut between chunks is decoded whole', () => {
  const scanner = new ScriptErrorScanner();
  const line = bytes('script error at 1:1: Error: é\n');
  const cut = line.indexOf(0xc3) + 1;
  assert.deepEqual(scanner.feed(line.subarray(0, cut)), []);
  assert.deepEqual(scanner.feed(line.subarray(cut)), [{ line: 1, column: 1, message: 'Error: é' }]);
});
