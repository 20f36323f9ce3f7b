/**
 * DNS rebinding guard for the sandbox's local servers: a page on a foreign name that resolves
 * to 127.0.0.1 sends that name as Host, so only loopback names may reach admin endpoints
 * (the sandbox page, the simulator's /__sim/, the emulator's /_emulator/).
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]';
}

export const NOT_LOOPBACK_MESSAGE = 'admin endpoints answer only at 127.0.0.1 or localhost';
