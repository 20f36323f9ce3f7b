/** Keys under which the store remembers where the bot's Slack messages are (Store.saveMessageRef). */

/** The request's parent message (updated in place; results are threaded under it). */
export const parentMessageKey = (requestId: string) => `request:${requestId}:parent`;

/** Every copy of the approval card (the approvals channel, or one DM per approver). */
export const approvalKeyPrefix = (requestId: string) => `request:${requestId}:approval:`;
