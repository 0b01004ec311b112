#!/usr/bin/env node
import { run } from '../dist/electron/cli/main.js';

process.exitCode = await run(process.argv.slice(2));
