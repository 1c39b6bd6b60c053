// Packs the runtime's JavaScript for the image: prelude.js and TypeScript's helpers (tslib, from npm)
// printed without comments or indentation, so the js appliance stays small. Both are ES5 with no
// template literals, so no line's leading white space belongs to a string. Run by `make -C images`:
//   node --import tsx js/pack.ts <input.js> <output.js>
import { readFileSync, writeFileSync } from 'node:fs';
import ts from 'typescript5';

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: pack.ts <input.js> <output.js>');
const source = ts.createSourceFile(input, readFileSync(input, 'utf8'), ts.ScriptTarget.ES5, false, ts.ScriptKind.JS);
const printed = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed }).printFile(source);
writeFileSync(output, printed.replace(/^[ \t]+/gm, ''));
