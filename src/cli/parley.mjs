#!/usr/bin/env node
// `npx parley …` (package.json "bin"): runs the TypeScript CLI through tsx, which is a
// dependency, so a clone works after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
