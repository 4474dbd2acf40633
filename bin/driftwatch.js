#!/usr/bin/env -S node --max-semi-space-size=4
// `npx driftwatch` after `npm run build`.
require('../dist/apps/cli/src/main.js');
