/**
 * In-code migration provider: migrations ship inside the bundle (no directory scan at run
 * time, which would break under tsx/dist path differences). Names sort in apply order.
 */
import type { Migration, MigrationProvider } from 'kysely';
import type { DialectName } from '../schema.js';
import { initialMigration } from './0001_initial.js';
import { itemsByRecordMigration } from './0002_items_by_record.js';
import { outboxMigration } from './0004_outbox.js';
import { auditRetentionMigration } from './0005_audit_retention.js';
import { homeOpenersMigration } from './0006_home_openers.js';
import { itemsSameRecordMigration } from './0007_items_same_record.js';
import { itemDisplayMigration } from './0008_item_display.js';
import { itemsByRecordIdMigration } from './0009_items_by_record_id.js';

export function migrationProvider(dialect: DialectName): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '0001_initial': initialMigration(dialect),
        '0002_items_by_record': itemsByRecordMigration,
        '0004_outbox': outboxMigration(dialect),
        '0005_audit_retention': auditRetentionMigration,
        '0006_home_openers': homeOpenersMigration,
        '0007_items_same_record': itemsSameRecordMigration,
        '0008_item_display': itemDisplayMigration,
        '0009_items_by_record_id': itemsByRecordIdMigration,
      };
    },
  };
}
