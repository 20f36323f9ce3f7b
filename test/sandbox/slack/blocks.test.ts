/** Block Kit limits the emulator enforces, and the ids Slack fills in. */
import { describe, expect, it } from 'vitest';
import { assignIds, blockProblems, findElements } from '../../../src/sandbox/slack/blocks.js';
import type { Block } from '../../../src/sandbox/slack/index.js';

const button = (action_id: string, value = 'v') => ({
  type: 'button',
  action_id,
  value,
  text: { type: 'plain_text', text: 'Go' },
});

describe('blockProblems', () => {
  it('accepts a well-formed message', () => {
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'Request #1' } },
      { type: 'section', block_id: 's', text: { type: 'mrkdwn', text: 'x' }, accessory: button('more') },
      { type: 'actions', block_id: 'a', elements: [button('approve'), button('reject')] },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'by <@U1>' }] },
    ];
    expect(blockProblems(blocks, 50, '/blocks')).toEqual([]);
  });

  it('names each broken limit with a json-pointer, as Slack does', () => {
    const problems = blockProblems(
      [
        {
          type: 'section',
          block_id: 'dup',
          fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })),
        },
        { type: 'section', block_id: 'dup', text: { type: 'mrkdwn', text: '' } },
        { type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`b${i}`)) },
        { type: 'actions', elements: [button('same'), button('same', 'x'.repeat(2001))] },
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
        { type: 'input', element: { type: 'plain_text_input', action_id: 'i' } },
      ],
      50,
      '/blocks',
    );
    expect(problems).toEqual([
      '[ERROR] no more than 10 items allowed [json-pointer:/blocks/0/fields]',
      '[ERROR] duplicate block_id [json-pointer:/blocks/1/block_id]',
      '[ERROR] must be a text object with non-empty text [json-pointer:/blocks/1/text]',
      '[ERROR] no more than 25 items allowed [json-pointer:/blocks/2/elements]',
      '[ERROR] must be less than 2001 characters [json-pointer:/blocks/3/elements/1/value]',
      '[ERROR] duplicate action_id [json-pointer:/blocks/3/elements/1/action_id]',
      '[ERROR] must be less than 151 characters [json-pointer:/blocks/4/text]',
      '[ERROR] must provide a label [json-pointer:/blocks/5/label]',
    ]);
  });

  it('counts blocks against the container limit (50 in messages, 100 in views)', () => {
    const many = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(blockProblems(many, 50, '/blocks')).toEqual([
      '[ERROR] no more than 50 items allowed [json-pointer:/blocks]',
    ]);
    expect(blockProblems(many, 100, '/view/blocks')).toEqual([]);
    expect(blockProblems('nope', 50, '/blocks')).toEqual(['[ERROR] must be an array [json-pointer:/blocks]']);
  });
});

describe('assignIds and findElements', () => {
  it('fills missing block_id/action_id and finds elements wherever they sit', () => {
    let n = 0;
    const blocks = assignIds(
      [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'x' },
          accessory: { type: 'overflow', options: [] },
        },
        {
          type: 'actions',
          block_id: 'keep',
          elements: [button('approve'), { type: 'button', text: { type: 'plain_text', text: 'b' } }],
        },
        {
          type: 'input',
          block_id: 'in',
          label: { type: 'plain_text', text: 'l' },
          element: { type: 'plain_text_input' },
        },
        { type: 'image', image_url: 'https://example.com/x.png', alt_text: 'x' },
      ] as Block[],
      () => `id${++n}`,
    );
    expect(blocks.map((b) => b.block_id)).toEqual(['id1', 'keep', 'in', 'id5']);
    expect((blocks[0]!.accessory as { action_id: string }).action_id).toBe('id2');
    expect((blocks[1]!.elements as { action_id: string }[]).map((e) => e.action_id)).toEqual([
      'approve',
      'id3',
    ]);
    expect((blocks[2]!.element as { action_id: string }).action_id).toBe('id4');

    expect(findElements(blocks, 'approve').map((l) => [l.block.block_id, l.container])).toEqual([
      ['keep', 'actions'],
    ]);
    expect(findElements(blocks, 'id4')[0]?.container).toBe('input');
    expect(findElements(blocks, 'approve', 'other')).toEqual([]);
  });
});
