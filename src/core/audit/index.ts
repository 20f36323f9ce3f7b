export { AUDIT_CSV_COLUMNS, auditCsvRecord } from './csv.js';
export {
  AUDIT_MAX_ROWS,
  type AuditExportDeps,
  type AuditExportResult,
  type AuditFileSender,
  exportAudit,
} from './export.js';
export { type AuditFilter, describeFilter, parseAuditFilter } from './filter.js';
export { type RetentionDeps, RetentionPruner } from './retention.js';
