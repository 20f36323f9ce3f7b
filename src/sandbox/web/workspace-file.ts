/**
 * The sandbox's Slack workspace: the emulator's demo people and channels under the names the
 * page shows (#sales, #approvals, #territory-ops), kept in a JSON file by the emulator itself
 * (messages, threads, DMs with their ts, so the app's stored parent messages still resolve
 * after a restart).
 */
import { existsSync, renameSync } from 'node:fs';
import type { Logger } from '../../core/log.js';
import {
  DEMO_IDS,
  demoWorkspace,
  type SlackEmulator,
  startSlackEmulator,
  type WorkspaceSeed,
} from '../slack/index.js';

/** Channel names people expect in a sales org; the ids stay the emulator's demo ids. */
const SANDBOX_CHANNEL_NAMES: Record<string, string> = {
  [DEMO_IDS.approvals]: 'approvals',
  [DEMO_IDS.opsAlerts]: 'territory-ops',
};

export function sandboxWorkspace(): WorkspaceSeed {
  const seed = demoWorkspace();
  return {
    ...seed,
    channels: (seed.channels ?? []).map((c) => ({ ...c, name: SANDBOX_CHANNEL_NAMES[c.id] ?? c.name })),
  };
}

/**
 * Starts the emulator on the saved workspace (or the fresh sandbox one). A file the emulator
 * cannot read (another version, hand-edited) is moved aside rather than blocking `npm start`.
 */
export async function startSandboxSlack(file: string, logger: Logger): Promise<SlackEmulator> {
  const start = () => startSlackEmulator({ seed: sandboxWorkspace(), stateFile: file });
  try {
    return await start();
  } catch (err) {
    if (!existsSync(file)) throw err;
    const aside = `${file}.unreadable-${Date.now()}`;
    renameSync(file, aside);
    logger.warn({ err, file, movedTo: aside }, 'saved Slack workspace unreadable; starting a fresh one');
    return start();
  }
}
