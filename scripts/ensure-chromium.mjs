// Finds Chromium for the real-browser tests, or installs Debian's package when it is missing
// and we are root (CI and new machines start without it). Prints the path it settled on.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function install() {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(`Chromium is missing at ${chromiumPath} and this is not root: run "sudo apt-get install -y chromium" or set CHROMIUM_PATH`);
  }
  console.log(`Chromium not found at ${chromiumPath}: installing Debian's package (about a minute)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
}

if (!existsSync(chromiumPath)) install();
if (!existsSync(chromiumPath)) throw new Error(`Chromium still missing at ${chromiumPath}`);
console.log(`chromium: ${chromiumPath}`);
