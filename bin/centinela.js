#!/usr/bin/env node
// The package ships TypeScript sources run through tsx, so `centinela` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
