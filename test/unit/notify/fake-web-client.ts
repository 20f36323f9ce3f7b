/**
 * A Web API client for src/notify tests: records every call and answers like Slack, with
 * per-method failures (`{ data: { error } }`, as @slack/web-api throws them) when scripted.
 */
import type { WebClient } from '@slack/web-api';

export interface WebCall {
  method: string;
  args: Record<string, unknown>;
}

export function fakeWebClient(
  options: { failIn?: Record<string, string>; usergroups?: Record<string, string[]> } = {},
) {
  const calls: WebCall[] = [];
  let ts = 1000;
  const fail = (method: string, channel: unknown) => {
    const code = options.failIn?.[`${method}:${String(channel)}`];
    if (code)
      throw Object.assign(new Error(`An API error occurred: ${code}`), { data: { ok: false, error: code } });
  };
  const record = (method: string, args: Record<string, unknown>) => {
    calls.push({ method, args });
    fail(method, args.channel);
  };
  const client = {
    chat: {
      postMessage: async (args: Record<string, unknown>) => {
        record('chat.postMessage', args);
        return { ok: true, channel: args.channel, ts: `${++ts}.000100` };
      },
      update: async (args: Record<string, unknown>) => {
        record('chat.update', args);
        return { ok: true, channel: args.channel, ts: args.ts };
      },
    },
    conversations: {
      open: async (args: Record<string, unknown>) => {
        record('conversations.open', args);
        return { ok: true, channel: { id: `D-${String(args.users)}` } };
      },
    },
    usergroups: {
      users: {
        list: async (args: Record<string, unknown>) => {
          record('usergroups.users.list', args);
          return { ok: true, users: options.usergroups?.[String(args.usergroup)] ?? [] };
        },
      },
    },
  };
  return {
    client: client as unknown as WebClient,
    calls,
    /** Calls of one method, in order. */
    of: (method: string) => calls.filter((c) => c.method === method).map((c) => c.args),
  };
}
