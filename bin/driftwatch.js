#!/usr/bin/env node
// `npx driftwatch` after `npm run build`.
require('../dist/apps/cli/src/main.js');
