export { MAX_BAD_LINES, readRecordCsv, yieldToEventLoop } from './csv-reader.js';
export {
  EXAMPLE_ORG_ID,
  EXAMPLE_RECORD_ID,
  EXAMPLES,
  exampleArgs,
  exampleRef,
  exampleUrl,
} from './examples.js';
export {
  parseRecordCsv,
  parseRecordList,
  type RecordListDuplicate,
  type RecordListEntry,
  type RecordListError,
  type RecordListOptions,
  type RecordListResult,
} from './list.js';
export {
  ACCEPTED_MODULES_TEXT,
  isZohoModule,
  MODULE_TABS,
  moduleNoun,
  normalizeModule,
} from './modules.js';
export {
  ACCEPTED_RECORD_FORMS,
  checkRecordId,
  type ParseRecordRefOptions,
  parseRecordRef,
  RECORD_ID_PATTERN,
  type RecordRef,
  type RecordRefResult,
  type RecordRefSource,
  recordKey,
  recordWebUrl,
} from './ref.js';
