/** Fails the browser suite at once, saying how to fix it, when Debian's chromium is missing. */
import { CHROMIUM } from './support/browser';
import { existsSync } from 'node:fs';

export default function globalSetup(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`browser suite: ${CHROMIUM} is missing; install it with \`apt-get install -y chromium\` (no browser is ever downloaded)`);
  }
}
