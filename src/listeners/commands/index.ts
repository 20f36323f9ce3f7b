/** Slash commands: `/territory` routes its subcommands in territory.ts (DESIGN.md §2). */
import type { App } from '@slack/bolt';
import type { BotServices } from '../../slack/context.js';
import { territoryCommand } from './territory.js';

export function registerCommands(app: App, services: BotServices): void {
  app.command('/territory', territoryCommand(services));
}
