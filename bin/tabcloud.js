#!/usr/bin/env node
// The CLI runs from the TypeScript sources: nothing to build first.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
