/**
 * Turns a Zoho failure into words for people: what happened and what to do. Never includes a
 * token, secret or raw response body.
 */
import {
  TERRITORY_OFF_CODES,
  ZohoApiError,
  ZohoAuthError,
  ZohoNetworkError,
  ZohoResponseError,
} from './errors.js';

export interface Explanation {
  problem: string;
  action: string;
}

export function explainZohoError(err: unknown): Explanation {
  if (err instanceof ZohoAuthError) {
    switch (err.reason) {
      case 'revoked':
        return {
          problem: "Zoho rejected the bot's refresh token: it was revoked or is no longer valid.",
          action:
            'Ask a Zoho admin to generate a new refresh token for the API user and set ZOHO_REFRESH_TOKEN.',
        };
      case 'invalid_client':
        return {
          problem: "Zoho does not recognise the bot's client id or secret.",
          action: 'Check ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_DC (the data centre of your Zoho org).',
        };
      case 'throttled':
        return {
          problem:
            'Zoho is limiting how often the bot may sign in (at most 10 token refreshes in 10 minutes).',
          action: 'Try again in a few minutes.',
        };
      case 'scope':
        return {
          problem: "The bot's Zoho token lacks a permission (scope) this needs.",
          action:
            'Generate a refresh token with ZohoCRM.settings.territories.READ, ZohoCRM.users.READ and ZohoCRM.modules.ALL.',
        };
      default:
        return {
          problem: `Zoho sign-in failed: ${err.message}`,
          action: 'Try again; if it persists, tell your Zoho admin.',
        };
    }
  }
  if (err instanceof ZohoApiError) {
    if (TERRITORY_OFF_CODES.has(err.code)) {
      return {
        problem: `Territory management is not enabled in Zoho for this (${err.code}).`,
        action:
          'A Zoho admin can turn it on under Setup > Territory Management (Leads need Zoho support to enable).',
      };
    }
    if (err.code === 'NO_PERMISSION' || err.code === 'AUTHORIZATION_FAILED') {
      return {
        problem: `The bot's Zoho user is not allowed to do this (${err.code}: ${err.message}).`,
        action:
          "Ask a Zoho admin to check the API user's profile and territory memberships (`/territory health`).",
      };
    }
    if (err.code === 'TOO_MANY_REQUESTS') {
      return { problem: 'Zoho is busy: the org hit its API limit.', action: 'Try again in a few minutes.' };
    }
    return {
      problem: `Zoho answered ${err.code}: ${err.message}`,
      action: 'Check the record and territories and try again.',
    };
  }
  if (err instanceof ZohoNetworkError) {
    return { problem: 'Zoho did not answer in time.', action: 'Try again in a minute; nothing was changed.' };
  }
  if (err instanceof ZohoResponseError) {
    return {
      problem: 'Zoho sent an answer the bot did not understand.',
      action: "Try again; if it persists, tell the bot's admins.",
    };
  }
  return {
    problem: 'Something went wrong while talking to Zoho.',
    action: "Try again; if it persists, tell the bot's admins.",
  };
}
