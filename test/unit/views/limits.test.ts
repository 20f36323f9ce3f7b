import type { View } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { button, LIMITS, type SlackMessage, section } from '../../../src/views/blocks.js';
import { assertBlockKitLimits, blockKitViolations } from '../../../src/views/limits.js';

const ok: SlackMessage = { text: 'hello', blocks: [section('hi')] };

describe('assertBlockKitLimits', () => {
  it('accepts a small valid message and modal', () => {
    expect(() => assertBlockKitLimits(ok)).not.toThrow();
    const view: View = {
      type: 'modal',
      title: { type: 'plain_text', text: 'Title' },
      submit: { type: 'plain_text', text: 'Go' },
      blocks: [
        {
          type: 'input',
          block_id: 'b',
          label: { type: 'plain_text', text: 'L' },
          element: { type: 'plain_text_input', action_id: 'a', max_length: 3000 },
        },
      ],
    };
    expect(blockKitViolations(view)).toEqual([]);
  });

  it('reports message-level violations', () => {
    const many: SlackMessage = { text: '', blocks: Array.from({ length: 51 }, () => section('x')) };
    const v = blockKitViolations(many);
    expect(v.some((s) => s.startsWith('text:'))).toBe(true);
    expect(v).toContain('blocks: 51 > 50');
  });

  it('reports oversize texts, fields, ids and duplicates', () => {
    const m = {
      text: 'x',
      blocks: [
        { type: 'section', block_id: 'a', text: { type: 'mrkdwn', text: 'y'.repeat(3001) } },
        {
          type: 'section',
          block_id: 'a',
          fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })),
        },
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'z'.repeat(256),
              text: { type: 'plain_text', text: 'b' },
              value: 'v',
            },
            {
              type: 'button',
              action_id: 'same',
              text: { type: 'plain_text', text: 'b' },
              value: 'v'.repeat(2001),
            },
            { type: 'button', action_id: 'same', text: { type: 'plain_text', text: '' }, value: 'v' },
          ],
        },
      ],
    } as unknown as SlackMessage;
    const v = blockKitViolations(m).join('\n');
    expect(v).toContain('blocks[0].text.text: 3001 > 3000');
    expect(v).toContain('blocks[1].block_id: duplicate');
    expect(v).toContain('blocks[1].fields: 11 > 10');
    expect(v).toContain('blocks[2].text.text: 151 > 150');
    expect(v).toContain('blocks[3].elements[0].action_id: 256 > 255');
    expect(v).toContain('blocks[3].elements[1].value: 2001 > 2000');
    expect(v).toContain('blocks[3].elements[2].action_id: duplicate in block');
    expect(v).toContain('blocks[3].elements[2].text.text: must not be empty');
  });

  it('reports modal violations: title, metadata, missing submit, select options', () => {
    const options = Array.from({ length: 101 }, (_, i) => ({
      text: { type: 'plain_text', text: 'o'.repeat(76) },
      value: String(i),
    }));
    const view = {
      type: 'modal',
      title: { type: 'plain_text', text: 'A title that is far too long' },
      private_metadata: 'm'.repeat(3001),
      blocks: [
        {
          type: 'input',
          label: { type: 'plain_text', text: 'L' },
          element: { type: 'static_select', action_id: 'a', options },
        },
      ],
    } as unknown as View;
    const v = blockKitViolations(view).join('\n');
    expect(v).toContain('title.text: 28 > 24');
    expect(v).toContain('private_metadata: 3001 > 3000');
    expect(v).toContain('submit: required');
    expect(v).toContain('options: 101 > 100');
    expect(v).toContain('options[0].text.text: 76 > 75');
    expect(v).toContain('input blocks need an explicit block_id');
  });

  it('enforces the message text budget and flags secrets', () => {
    const big: SlackMessage = {
      text: 'x',
      blocks: Array.from({ length: 5 }, () => section('y'.repeat(2900))),
    };
    expect(blockKitViolations(big).join('\n')).toContain(`> ${LIMITS.messageTextBudget}`);
    const secret: SlackMessage = { text: 'token xoxb-1234567890-abcdef', blocks: [section('x')] };
    expect(blockKitViolations(secret).join('\n')).toContain('secret');
    const zoho: SlackMessage = {
      text: 'x',
      blocks: [section('1000.0123456789abcdef0123.0123456789abcdef0123')],
    };
    expect(() => assertBlockKitLimits(zoho)).toThrow(/secret/);
  });

  it('button() refuses values it would have to cut', () => {
    expect(() => button({ text: 'x', actionId: 'a', value: 'v'.repeat(2001) })).toThrow(RangeError);
  });
});
