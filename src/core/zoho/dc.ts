/** Zoho data centres: accounts (OAuth) host and default API host. Source: Zoho SDK DC classes, zoho-api.md §3. */
export const DATA_CENTRES = {
  us: { accounts: 'https://accounts.zoho.com', api: 'https://www.zohoapis.com', web: 'crm.zoho.com' },
  eu: { accounts: 'https://accounts.zoho.eu', api: 'https://www.zohoapis.eu', web: 'crm.zoho.eu' },
  in: { accounts: 'https://accounts.zoho.in', api: 'https://www.zohoapis.in', web: 'crm.zoho.in' },
  au: {
    accounts: 'https://accounts.zoho.com.au',
    api: 'https://www.zohoapis.com.au',
    web: 'crm.zoho.com.au',
  },
  jp: { accounts: 'https://accounts.zoho.jp', api: 'https://www.zohoapis.jp', web: 'crm.zoho.jp' },
  ca: { accounts: 'https://accounts.zohocloud.ca', api: 'https://www.zohoapis.ca', web: 'crm.zohocloud.ca' },
  sa: { accounts: 'https://accounts.zoho.sa', api: 'https://www.zohoapis.sa', web: 'crm.zoho.sa' },
  // UK's API host is not in Zoho's SDK; the token response's api_domain wins anyway.
  uk: { accounts: 'https://accounts.zoho.uk', api: 'https://www.zohoapis.uk', web: 'crm.zoho.uk' },
  cn: {
    accounts: 'https://accounts.zoho.com.cn',
    api: 'https://www.zohoapis.com.cn',
    web: 'crm.zoho.com.cn',
  },
} as const;

export type DataCentre = keyof typeof DATA_CENTRES;
export const DATA_CENTRE_CODES = Object.keys(DATA_CENTRES) as DataCentre[];
