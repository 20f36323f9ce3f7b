/** A Slack Web API error answer: HTTP 200 with `{"ok":false,"error":<code>}` (plus extras). */
export class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
    this.name = 'SlackApiError';
  }
}

/** `invalid_arguments` / `invalid_blocks` carry Slack's pointer messages in response_metadata. */
export function withMessages(error: string, messages: string[]): SlackApiError {
  return new SlackApiError(error, { response_metadata: { messages } });
}
