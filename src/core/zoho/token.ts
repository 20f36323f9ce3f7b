import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { Clock } from '../clock.js';
import type { TokenInfo } from './types.js';

export interface TokenManagerOptions {
  accountsUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  apiDomain?: string | null;
  clock?: Clock;
  logger?: Logger;
  dispatcher?: Dispatcher;
}

export class TokenManager {
  constructor(readonly options: TokenManagerOptions) {}
  /** A valid access token, refreshing (single-flight) when needed. */
  getAccessToken(): Promise<{ accessToken: string; info: TokenInfo }> {
    throw new Error('TokenManager: implementation in progress');
  }
}
