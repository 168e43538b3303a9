#!/usr/bin/env node
// Runs the TypeScript CLI directly: the project ships sources, not a build.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
