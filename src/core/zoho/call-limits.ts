/**
 * Records (or record ids) per Zoho call: assign/remove territories, feature-info (pending jobs)
 * and get-records all cap `data` / `ids` at 100 (Zoho's OAS; zoho-api.md §11.4). Every batch
 * the client, the engine and the job tracker form is cut at this size.
 */
export const MAX_RECORDS_PER_CALL = 100;
