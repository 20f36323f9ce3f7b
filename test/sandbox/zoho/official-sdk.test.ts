/**
 * Zoho's own TypeScript SDK (@zohocrm/typescript-sdk-8.0) against the simulator, as a new user
 * would run it: no patched SDK, no intercepted requests. The SDK posts its token grant as
 * multipart/form-data, reads /org, /settings/modules and /settings/fields before record calls,
 * and parses every answer into its own models: a simulator answer it cannot read fails here.
 * Its token store and field cache live in a temp dir.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ZOHOCRMSDK from '@zohocrm/typescript-sdk-8.0';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZohoSimulator, type ZohoSimulator } from '../../../src/sandbox/zoho/index.js';

const { Record: SdkRecord, Territories, UsersTerritories, Users } = ZOHOCRMSDK;

describe("Zoho's official TypeScript SDK against the simulator", () => {
  let sim: ZohoSimulator;
  let dir: string;

  beforeAll(async () => {
    sim = await startZohoSimulator({ jobDelayMs: 300 });
    dir = mkdtempSync(path.join(tmpdir(), 'zoho-sdk-'));
    // A data centre is a URL pair; the SDK's own Environment class takes any.
    const environment = new ZOHOCRMSDK.Environment(
      sim.apiDomain,
      `${sim.accountsUrl}/oauth/v2/token`,
      `${sim.apiDomain}/crm/v8/upload`,
    );
    const token = new ZOHOCRMSDK.OAuthBuilder()
      .clientId(sim.credentials.clientId)
      .clientSecret(sim.credentials.clientSecret)
      .refreshToken(sim.credentials.refreshToken)
      .build();
    const logger = new ZOHOCRMSDK.LogBuilder()
      .level(ZOHOCRMSDK.Levels.ERROR)
      .filePath(path.join(dir, 'sdk.log'))
      .build();
    await (await new ZOHOCRMSDK.InitializeBuilder())
      .environment(environment)
      .token(token)
      .store(new ZOHOCRMSDK.FileStore(path.join(dir, 'tokens.txt')))
      .SDKConfig(new ZOHOCRMSDK.SDKConfigBuilder().pickListValidation(false).autoRefreshFields(true).build())
      .resourcePath(dir)
      .logger(logger)
      .initialize();
  });

  afterAll(async () => {
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gets a token (multipart grant) and reads the current user', async () => {
    const params = new ZOHOCRMSDK.ParameterMap();
    await params.add(Users.GetUsersParam.TYPE, 'CurrentUser');
    const res = await new Users.UsersOperations().getUsers(params);
    expect(res.getStatusCode()).toBe(200);
    const body = res.getObject();
    expect(body).toBeInstanceOf(Users.ResponseWrapper);
    const users = (body as InstanceType<typeof Users.ResponseWrapper>).getUsers();
    expect(users.map((u) => String(u.getId()))).toEqual([sim.apiUserId]);
    expect(sim.callCount('token')).toBeGreaterThan(0);
  });

  it("lists territories and a user's territories", async () => {
    const res = await new Territories.TerritoriesOperations().getTerritories(new ZOHOCRMSDK.ParameterMap());
    expect(res.getStatusCode()).toBe(200);
    const body = res.getObject();
    expect(body).toBeInstanceOf(Territories.ResponseWrapper);
    const names = (body as InstanceType<typeof Territories.ResponseWrapper>)
      .getTerritories()
      .map((t) => t.getName());
    expect(names).toContain('California');

    const member = sim.snapshot().memberships[0]!.userId;
    const mine = await new UsersTerritories.UsersTerritoriesOperations(BigInt(member)).getTerritoriesOfUser();
    expect(mine.getStatusCode()).toBe(200);
    const wrapper = mine.getObject() as InstanceType<typeof UsersTerritories.ResponseWrapper>;
    expect(wrapper).toBeInstanceOf(UsersTerritories.ResponseWrapper);
    expect(
      wrapper
        .getTerritories()
        .map((t) => String(t.getId()))
        .sort(),
    ).toEqual([...sim.userTerritoryIds(member)].sort());
  });

  it('reads records with fields=Territories, assigns, is refused a second assign while pending, removes', async () => {
    const record = sim.records('Accounts').find((r) => r.territories.length === 0 && !r.locked)!;
    const california = sim.territoryByName('California')!.id;
    const ops = new SdkRecord.RecordOperations('Accounts');

    const read = async () => {
      const params = new ZOHOCRMSDK.ParameterMap();
      await params.add(SdkRecord.GetRecordsParam.IDS, record.id);
      await params.add(SdkRecord.GetRecordsParam.FIELDS, 'Territories');
      const res = await ops.getRecords(params);
      expect(res.getStatusCode()).toBe(200);
      const body = res.getObject() as InstanceType<typeof SdkRecord.ResponseWrapper>;
      expect(body).toBeInstanceOf(SdkRecord.ResponseWrapper);
      const [row] = body.getData();
      expect(String(row!.getId())).toBe(record.id);
      const territories = (row!.getKeyValue('Territories') ?? []) as Array<
        InstanceType<typeof SdkRecord.Territory>
      >;
      return territories.map((t) => String(t.getId()));
    };
    expect(await read()).toEqual([]);

    const change = () => {
      const body = new SdkRecord.BodyWrapper();
      const row = new SdkRecord.Record();
      row.setId(BigInt(record.id));
      const territory = new SdkRecord.Territory();
      territory.setId(BigInt(california));
      row.addKeyValue('Territories', [territory]);
      body.setData([row]);
      return body;
    };
    const outcome = (res: Awaited<ReturnType<typeof ops.assignTerritoriesToMultipleRecords>>) => {
      const body = res.getObject() as InstanceType<typeof SdkRecord.ActionWrapper>;
      expect(body).toBeInstanceOf(SdkRecord.ActionWrapper);
      const [first] = body.getData() as Array<InstanceType<typeof SdkRecord.SuccessResponse>>;
      return { status: res.getStatusCode(), code: first!.getCode().getValue(), details: first!.getDetails() };
    };

    const assigned = outcome(await ops.assignTerritoriesToMultipleRecords(change()));
    expect(assigned).toMatchObject({ status: 202, code: 'SCHEDULED' });
    const jobId = String(assigned.details.get('job_id'));
    expect(jobId).toMatch(/^\d{19}$/);

    // The job is still pending: Zoho refuses another territory change on the record.
    const again = outcome(await ops.assignTerritoriesToMultipleRecords(change()));
    expect(again.code).toBe('ALREADY_SCHEDULED');
    expect(String(again.details.get('job_id'))).toBe(jobId);

    sim.completeJobsNow();
    expect(await read()).toEqual([california]);

    const removed = outcome(await ops.removeTerritoriesFromMultipleRecords(change()));
    expect(removed).toMatchObject({ status: 202, code: 'SCHEDULED' });
    sim.completeJobsNow();
    expect(await read()).toEqual([]);

    // The SDK read the org and the field metadata on its own, and got answers it could parse.
    expect(sim.callCount('getOrg')).toBeGreaterThan(0);
    expect(sim.callCount('getFields')).toBeGreaterThan(0);
  });

  it('logged no error while parsing any answer', () => {
    const log = path.join(dir, 'sdk.log');
    expect(existsSync(log) ? readFileSync(log, 'utf8') : '').toBe('');
  });
});
