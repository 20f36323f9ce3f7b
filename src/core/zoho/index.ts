export { type RetryOptions, ZohoClient, type ZohoClientOptions } from './client.js';
export { DATA_CENTRE_CODES, DATA_CENTRES, type DataCentre } from './dc.js';
export * from './errors.js';
export { type ZohoCallObserver, zohoOperation } from './observer.js';
export { TokenManager, type TokenManagerOptions } from './token.js';
export * from './types.js';
