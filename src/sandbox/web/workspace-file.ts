/**
 * The sandbox's Slack workspace: the emulator's demo people and channels under the names the
 * page shows (#sales, #approvals, #territory-ops), saved to a JSON file on every change
 * (debounced) and read back at start.
 *
 * The emulator can be seeded with people, groups and channels only, so that is what a restart
 * restores; messages start afresh (asked of the emulator's owner in requests-sandbox.md).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Logger } from '../../core/log.js';
import {
  type ChannelSeed,
  DEMO_IDS,
  demoWorkspace,
  type SlackEmulator,
  type WorkspaceSeed,
  type WorkspaceSnapshot,
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

/** The seed part of a saved snapshot (people, groups, channels other than DMs), or null if unusable. */
export function seedFromSnapshot(snapshot: WorkspaceSnapshot): WorkspaceSeed | null {
  if (!snapshot || !Array.isArray(snapshot.users) || !Array.isArray(snapshot.channels)) return null;
  const channels: ChannelSeed[] = [];
  for (const c of snapshot.channels) {
    // DMs are created again on demand (conversations.open), as Slack does.
    if (c.kind !== 'public' && c.kind !== 'private') continue;
    const { messages: _m, kind, ...rest } = c;
    channels.push({ ...rest, kind });
  }
  return {
    team: snapshot.team,
    bot: snapshot.bot,
    users: snapshot.users.filter((u) => u.id !== snapshot.bot.userId),
    usergroups: snapshot.usergroups ?? [],
    channels,
  };
}

/** Reads the saved workspace; a missing or broken file gives the fresh sandbox workspace. */
export function loadWorkspaceSeed(file: string, logger: Logger): WorkspaceSeed {
  if (!existsSync(file)) return sandboxWorkspace();
  try {
    const seed = seedFromSnapshot(JSON.parse(readFileSync(file, 'utf8')) as WorkspaceSnapshot);
    if (seed) return seed;
    logger.warn({ file }, 'saved Slack workspace is not a snapshot; starting with the demo workspace');
  } catch (err) {
    logger.warn({ err, file }, 'saved Slack workspace unreadable; starting with the demo workspace');
  }
  return sandboxWorkspace();
}

export interface WorkspacePersistence {
  /** Writes any pending change now. */
  flush(): void;
  stop(): void;
}

/** Saves `emulator.snapshot()` to `file` at most every `debounceMs` while changes keep coming. */
export function persistWorkspace(
  emulator: SlackEmulator,
  file: string,
  logger: Logger,
  debounceMs = 500,
): WorkspacePersistence {
  let timer: NodeJS.Timeout | null = null;
  const write = () => {
    timer = null;
    try {
      // Write-then-rename so a crash mid-write never leaves half a file.
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, JSON.stringify(emulator.snapshot()));
      renameSync(tmp, file);
    } catch (err) {
      logger.warn({ err, file }, 'could not save the Slack workspace');
    }
  };
  const onChange = () => {
    timer ??= setTimeout(write, debounceMs);
  };
  emulator.events.on('change', onChange);
  write();
  return {
    flush() {
      if (timer) {
        clearTimeout(timer);
        write();
      }
    },
    stop() {
      emulator.events.off('change', onChange);
      this.flush();
    },
  };
}
