#!/usr/bin/env node
/**
 * The `analyze` command as installed (dist/analyze.js): the bundled command, compiled from V8's
 * code cache when the build made one (code-cache.ts says why).
 */
import { fileURLToPath } from 'node:url';
import { runBundle } from './code-cache.js';

runBundle(fileURLToPath(new URL('analyze-main.cjs', import.meta.url)));
