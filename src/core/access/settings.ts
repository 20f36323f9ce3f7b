/** The access settings as configured (DESIGN.md §6), and how the mode is announced. */
import type { AccessMode, AppConfig } from '../config/index.js';

export interface AccessSettings {
  mode: AccessMode;
  maxDirectChangesPerHour: number;
  approvalThreshold: number;
}

export function accessSettingsFromConfig(config: Pick<AppConfig, 'access' | 'policy'>): AccessSettings {
  return {
    mode: config.access.mode,
    maxDirectChangesPerHour: config.access.maxDirectChangesPerHour,
    approvalThreshold: config.policy.approvalThreshold,
  };
}

/** One line for the start-up log and `/territory health` (DESIGN.md §4: open mode says it is on). */
export function accessModeNotice(settings: AccessSettings): string {
  const lists = `lists of more than ${settings.approvalThreshold} record${settings.approvalThreshold === 1 ? '' : 's'} need approval`;
  return settings.mode === 'open'
    ? `Access mode: open. Anyone who may make requests can change any record without approval; only ${lists}.`
    : `Access mode: zoho. A change runs without approval only on records a person owns or that sit in their Zoho territories, ` +
        `into territories that are theirs, up to ${settings.maxDirectChangesPerHour} records an hour; ${lists}; ` +
        'anything else goes to the managers of the territories it touches.';
}
