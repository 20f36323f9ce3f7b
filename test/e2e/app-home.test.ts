/**
 * App Home end to end: the emulator sends app_home_opened (signed HTTP, and Socket Mode), the
 * app publishes each person's Home with views.publish, and republishes it when something it
 * shows changes. A rep sees their requests, an approver the one waiting with a working Review
 * button, ops the open alert and the monitor's last run; the Home buttons open the modals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { content, parentMessage, previewList, submitPreview, waitForView } from './bulk-flow.js';
import { DEMO_IDS, eventually, type Stack, startStack } from './harness.js';

const homeText = (stack: Stack, user: string) => {
  const view = stack.slack.homeView(user);
  return view ? JSON.stringify(view.blocks) : '';
};

describe.each(['http', 'socket'] as const)('App Home over %s', (transport) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ transport, monitorSchedule: false });
  }, 30_000);
  afterAll(async () => {
    await stack?.close();
  });

  const freshLeads = (n: number) =>
    stack.zoho
      .records('Leads')
      .filter((r) => r.territories.length === 0 && !r.locked)
      .slice(0, n);

  it('a rep sees their recent requests and where each stands, refreshed as they change', async () => {
    const [lead] = freshLeads(1);
    await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `assign Leads/${lead!.id} US West`,
    });
    await eventually(
      () => stack.zoho.record('Leads', lead!.id)!.territories.length === 1,
      15_000,
      'assigned',
    );
    const [mine] = await stack.bot.services.store.listRequestsByRequester(DEMO_IDS.rep, 1);
    await eventually(
      async () => (await stack.bot.services.store.getRequest(mine!.id))?.state === 'done',
      15_000,
      'request done',
    );
    const res = await stack.driver.openHome(DEMO_IDS.rep);
    expect(res.status).toBe(200);
    const view = await eventually(() => stack.slack.homeView(DEMO_IDS.rep), 10_000, 'Home published');
    expect(view.type).toBe('home');
    const text = homeText(stack, DEMO_IDS.rep);
    expect(text).toContain(mine!.id);
    expect(text).toContain('Done');
    expect(text).toContain('Assign territories');
    expect(text).not.toContain('Waiting for your decision');
    expect(text).not.toContain('Territory health');

    // A new request shows up without opening Home again: it was opened once, so it is republished.
    const [next] = freshLeads(1);
    await stack.driver.command({
      user: DEMO_IDS.rep,
      channel: DEMO_IDS.sales,
      text: `assign Leads/${next!.id} DACH`,
    });
    const [newest] = await eventually(async () => {
      const list = await stack.bot.services.store.listRequestsByRequester(DEMO_IDS.rep, 1);
      return list[0]?.id !== mine!.id ? list : null;
    }, 10_000);
    await eventually(() => homeText(stack, DEMO_IDS.rep).includes(newest!.id), 15_000, 'Home refreshed');
    // Nobody else opened Home: nothing was published for them.
    expect(stack.slack.homeView(DEMO_IDS.rep2)).toBeUndefined();
  });

  it('an approver sees the request waiting for them; Review opens the review modal', async () => {
    const leads = freshLeads(2);
    const { requestId } = await previewList(stack, {
      user: DEMO_IDS.rep2,
      paste: leads.map((l) => `Leads/${l.id}, Nordics`).join('\n'),
    });
    await submitPreview(stack, DEMO_IDS.rep2);
    await parentMessage(stack, requestId);
    await stack.driver.openHome(DEMO_IDS.manager);
    await eventually(
      () => homeText(stack, DEMO_IDS.manager).includes(requestId),
      10_000,
      'waiting request on Home',
    );
    expect(homeText(stack, DEMO_IDS.manager)).toContain('Waiting for your decision');
    const home = stack.slack.homeView(DEMO_IDS.manager)!;
    await stack.driver.clickButton({
      user: DEMO_IDS.manager,
      viewId: home.id,
      actionId: 'approval_review',
      value: requestId,
    });
    const review = await waitForView(stack, DEMO_IDS.manager, 'review_modal', 10_000);
    expect(content({ blocks: review.blocks })).toContain('Nordics');
  });

  it('ops see the open alert and the last monitor run', async () => {
    stack.zoho.setTerritoryManagement(false);
    await stack.bot.services.monitor.runNow();
    const [alert] = await stack.bot.services.store.listAlerts({ states: ['firing'] });
    expect(alert).toBeDefined();
    await stack.driver.openHome(DEMO_IDS.ops);
    await eventually(() => homeText(stack, DEMO_IDS.ops).includes('Territory health'), 10_000, 'ops Home');
    const text = homeText(stack, DEMO_IDS.ops);
    expect(text).toContain('Last monitor run');
    expect(text).toContain(alert!.title.slice(0, 30));
    // A rep's Home has no health section.
    expect(homeText(stack, DEMO_IDS.rep)).not.toContain('Territory health');
    stack.zoho.setTerritoryManagement(true);
    await stack.bot.services.monitor.runNow();
    await eventually(
      () => homeText(stack, DEMO_IDS.ops).includes('No alert is firing'),
      10_000,
      'ops Home refreshed',
    );
  });

  it('the Home buttons open the assign and bulk modals', async () => {
    const home = stack.slack.homeView(DEMO_IDS.rep)!;
    await stack.driver.clickButton({ user: DEMO_IDS.rep, viewId: home.id, actionId: 'home_open_assign' });
    await waitForView(stack, DEMO_IDS.rep, 'assign_modal', 10_000);
    await stack.driver.closeView({ user: DEMO_IDS.rep });
    await stack.driver.clickButton({ user: DEMO_IDS.rep, viewId: home.id, actionId: 'home_open_bulk' });
    await waitForView(stack, DEMO_IDS.rep, 'bulk_modal', 10_000);
  });
});
