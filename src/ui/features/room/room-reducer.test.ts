/**
 * The control protocol in memory: several tabs, each a reducer state, exchanging the control
 * messages their effects ask for (no mesh, worker or browser). Host claims are checked by the
 * harness as the controller would: only the real host's hello carries a valid statement.
 */
import { describe, expect, it } from 'vitest';
import { MpcError, toErrorInfo } from '../../../core/errors';
import { Protocol } from '../../../core/session/round';
import { runPartiesSettled } from '../../../core/session/simulate';
import { readPrivateInput } from './private-input';
import type { ControlMessage, RoomSpec } from './room-protocol';
import { initialControlState, reduceControl, RUN_IN_PROGRESS, type ControlEffect, type ControlEnv, type ControlEvent, type ControlState } from './room-reducer';
import { describeRunFailure } from './room-rules';
import { initialRoomState } from './room-store';
import { defaultSpec } from './spec-defaults';

const id = (n: string) => n.padEnd(22, 'x');
const runId = (n: string) => n.padEnd(12, 'r');

const env = (refuse?: ControlEnv['refuseRun']): ControlEnv => ({
  readOwn: (room) => (room.spec && room.input.trim() ? readPrivateInput(room.input, room.spec) : undefined),
  ...(refuse ? { refuseRun: refuse } : {}),
});

interface Tab {
  id: string;
  state: ControlState;
  env: ControlEnv;
  runs: Extract<ControlEffect, { t: 'run' }>[];
  aborts: Extract<ControlEffect, { t: 'run-aborted' }>[];
}

/** Tabs of one room; `deliver` carries their control messages until none is left. */
class Room {
  tabs = new Map<string, Tab>();
  /** Who the link names as host (its hellos verify). */
  hostId?: string;
  queue: { from: string; to: string; msg: ControlMessage }[] = [];
  log: { from: string; to: string; msg: ControlMessage }[] = [];

  add(name: string, { host = false, spec, refuse }: { host?: boolean; spec?: RoomSpec; refuse?: ControlEnv['refuseRun'] } = {}): Tab {
    const me = id(name);
    if (host) this.hostId = me;
    const room = { ...initialRoomState(), name, joined: true, isCreator: host, selfId: me, signaling: 'open' as const, spec: host ? (spec ?? defaultSpec('sum')) : undefined };
    room.participants = [{ id: me, name, self: true, creator: host, link: 'connected', ready: false }];
    const tab: Tab = { id: me, state: initialControlState(room), env: env(refuse), runs: [], aborts: [] };
    this.tabs.set(me, tab);
    // The mesh connects it to everyone already here.
    for (const other of this.tabs.values()) {
      if (other === tab) continue;
      this.event(other, { type: 'peer-state', id: me, state: 'connected' });
      this.event(tab, { type: 'peer-state', id: other.id, state: 'connected' });
    }
    this.deliver();
    return tab;
  }

  remove(tab: Tab): void {
    this.tabs.delete(tab.id);
    for (const other of this.tabs.values()) this.event(other, { type: 'peer-left', id: tab.id });
    this.deliver();
  }

  event(tab: Tab, e: ControlEvent): void {
    const step = reduceControl(tab.state, e, tab.env);
    tab.state = step.state;
    for (const effect of step.effects) {
      if (effect.t === 'send') for (const to of effect.to) this.queue.push({ from: tab.id, to, msg: effect.msg });
      else if (effect.t === 'run') tab.runs.push(effect);
      else if (effect.t === 'run-aborted') tab.aborts.push(effect);
    }
  }

  deliver(): void {
    while (this.queue.length) {
      const m = this.queue.shift() as (typeof this.queue)[number];
      this.log.push(m);
      const tab = this.tabs.get(m.to);
      if (!tab) continue;
      const claims = m.msg.t === 'hello' && m.msg.creator;
      this.event(tab, { type: 'control', from: m.from, msg: m.msg, ...(claims ? { hostClaim: m.from === this.hostId ? 'valid' : 'invalid' } : {}) });
    }
  }

  do(tab: Tab, e: ControlEvent): void {
    this.event(tab, e);
    this.deliver();
  }

  ready(tab: Tab, input: string): void {
    this.do(tab, { type: 'set-input', text: input });
    this.do(tab, { type: 'set-ready', ready: true });
  }
}

const names = (t: Tab) => t.state.room.participants.map((p) => p.name).sort();
const readyOf = (t: Tab, name: string) => t.state.room.participants.find((p) => p.name === name)?.ready;

describe('control protocol (pure reducer)', () => {
  it('three tabs agree on the host spec, get ready, and all run the same spec, roster and counts', () => {
    const room = new Room();
    const host = room.add('Ann', { host: true });
    const b = room.add('Bob');
    const c = room.add('Cy');
    for (const t of [host, b, c]) {
      expect(names(t)).toEqual(['Ann', 'Bob', 'Cy']);
      expect(t.state.room.spec).toEqual(defaultSpec('sum'));
      expect(t.state.room.participants.find((p) => p.name === 'Ann')?.creator).toBe(true);
    }
    room.ready(host, '1');
    room.ready(b, '2');
    room.ready(c, '3');
    for (const t of [host, b, c]) expect(['Ann', 'Bob', 'Cy'].map((n) => readyOf(t, n))).toEqual([true, true, true]);
    room.do(host, { type: 'start', runId: runId('one') });
    const runs = [host, b, c].map((t) => t.runs);
    for (const r of runs) expect(r).toHaveLength(1);
    expect(new Set(runs.map((r) => JSON.stringify(r[0]))).size).toBe(1);
    expect(runs[0][0]).toMatchObject({ runId: runId('one'), roster: [host.id, b.id, c.id].sort(), counts: [1, 1, 1] });
  });

  it('Start waits for everyone, with a reason in words', () => {
    const room = new Room();
    const host = room.add('Ann', { host: true });
    room.add('Bob');
    room.ready(host, '1');
    room.do(host, { type: 'start', runId: runId('x') });
    expect(host.runs).toHaveLength(0);
    expect(host.state.room.notice).toBe('Waiting for Bob to be ready.');
  });

  it('a spec change withdraws everyone’s Ready and keeps the previous result in the list', () => {
    const room = new Room();
    const host = room.add('Ann', { host: true });
    const b = room.add('Bob');
    room.ready(host, '1');
    room.ready(b, '2');
    const shown = { computation: 'sum' as const, output: { kind: 'sum' as const, value: '3' }, values: ['3'], parties: 2, names: ['Ann', 'Bob'], millis: 1, traffic: [] };
    b.state = { ...b.state, room: { ...b.state.room, result: shown, run: { status: 'done' } } };
    room.do(host, { type: 'set-spec', spec: defaultSpec('median') });
    expect(b.state.room.spec?.kind).toBe('median');
    for (const t of [host, b]) expect([readyOf(t, 'Ann'), readyOf(t, 'Bob')]).toEqual([false, false]);
    expect(b.state.room.result).toBeUndefined();
    expect(b.state.room.history).toEqual([shown]);
    // The input the person typed stays (its rules still apply).
    expect(b.state.room.input).toBe('2');
  });

  it('a guest refuses a start with a spec or group it did not agree to, and no input is used', () => {
    const room = new Room();
    const host = room.add('Ann', { host: true });
    const b = room.add('Bob');
    room.ready(host, '1');
    room.ready(b, '2');
    // The host's tab sends a start for another computation than the one Bob saw.
    room.queue.push({ from: host.id, to: b.id, msg: { t: 'start', runId: runId('evil'), spec: defaultSpec('max'), roster: [host.id, b.id].sort(), counts: [1, 1] } });
    room.deliver();
    expect(b.runs).toHaveLength(0);
    expect(b.state.room.error).toContain('different computation');
    const abort = room.log.find((m) => m.from === b.id && m.msg.t === 'abort');
    expect(abort?.msg).toMatchObject({ t: 'abort', runId: runId('evil'), code: 'ABORTED' });
    // And a start naming a different group.
    room.queue.push({ from: host.id, to: b.id, msg: { t: 'start', runId: runId('grp'), spec: defaultSpec('sum'), roster: [host.id, b.id, id('ghost')].sort(), counts: [1, 1, 1] } });
    room.deliver();
    expect(b.runs).toHaveLength(0);
    expect(b.state.room.error).toContain('different group');
  });

  it('a tab-local refusal (the privacy ledger hook) stops the run in that tab and tells the others', () => {
    const room = new Room();
    const host = room.add('Ann', { host: true });
    const b = room.add('Bob', { refuse: () => 'the room’s privacy budget is spent' });
    room.ready(host, '1');
    room.ready(b, '2');
    room.do(host, { type: 'start', runId: runId('dp') });
    expect(host.runs).toHaveLength(1);
    expect(b.runs).toHaveLength(0);
    expect(b.state.room.error).toBe('This tab refused the run: the room’s privacy budget is spent. No input was used.');
    host.state = { ...host.state, room: { ...host.state.room, run: { status: 'running', runId: runId('dp') } } };
    room.deliver();
    const abortFromBob = room.log.filter((m) => m.from === b.id && m.msg.t === 'abort');
    expect(abortFromBob).toHaveLength(1);
  });

  it('an insider who claims host is refused with a notice; the real host’s rules still apply', () => {
    const room = new Room();
    const host = room.add('Ann', { host: true });
    const mallory = room.add('Mal');
    // Mallory says hello again, claiming to be host, with her own spec.
    room.queue.push({ from: mallory.id, to: host.id, msg: { t: 'hello', name: 'Mal', creator: true, spec: defaultSpec('max') } });
    const b = room.add('Bob');
    room.queue.push({ from: mallory.id, to: b.id, msg: { t: 'hello', name: 'Mal', creator: true, spec: defaultSpec('max') } });
    room.queue.push({ from: mallory.id, to: b.id, msg: { t: 'spec', spec: defaultSpec('max') } });
    room.deliver();
    expect(b.state.room.spec?.kind).toBe('sum');
    expect(b.state.room.participants.find((p) => p.name === 'Mal')?.creator).toBe(false);
    expect(b.state.room.connectionNotices.join('\n')).toContain('Mal claims to be the host, but the room link names a different host');
    expect(host.state.room.connectionNotices.join('\n')).toContain('Mal claims to be the host');
  });

  it('a late joiner is told a run is in progress; the notice clears when it ends', () => {
    const room = new Room();
    const host = room.add('Ann', { host: true });
    host.state = { ...host.state, room: { ...host.state.room, run: { status: 'running', runId: runId('busy') } } };
    const late = room.add('Late');
    expect(late.state.room.connectionNotices).toContain(RUN_IN_PROGRESS);
    room.queue.push({ from: host.id, to: late.id, msg: { t: 'status', running: false } });
    room.deliver();
    expect(late.state.room.connectionNotices).not.toContain(RUN_IN_PROGRESS);
  });

  it('“X left” notices say what is possible and clear when X is back', () => {
    const room = new Room();
    const host = room.add('Ann', { host: true });
    const b = room.add('Bob');
    const c = room.add('Cy');
    room.remove(b);
    expect(c.state.room.connectionNotices).toContain('Bob left the room.');
    room.add('Bob');
    expect(c.state.room.connectionNotices).not.toContain('Bob left the room.');
    room.remove(host);
    const hostLeft = 'The host (Ann) left: nobody can start a run until they open the room link again in the browser they created it in.';
    expect(c.state.room.connectionNotices).toContain(hostLeft);
    room.add('Ann', { host: true });
    expect(c.state.room.connectionNotices).not.toContain(hostLeft);
    expect(c.state.room.participants.find((p) => p.name === 'Ann')?.creator).toBe(true);
  });

  it('someone leaving withdraws everyone’s Ready (consent was for the group as it was)', () => {
    const room = new Room();
    const host = room.add('Ann', { host: true });
    const b = room.add('Bob');
    const c = room.add('Cy');
    for (const [t, v] of [[host, '1'], [b, '2'], [c, '3']] as const) room.ready(t, v);
    room.remove(c);
    for (const t of [host, b]) expect([readyOf(t, 'Ann'), readyOf(t, 'Bob')]).toEqual([false, false]);
  });

  it('an abort that overtakes the start stops that run before it begins', () => {
    const room = new Room();
    const host = room.add('Ann', { host: true });
    const b = room.add('Bob');
    room.ready(host, '1');
    room.ready(b, '2');
    room.queue.push({ from: host.id, to: b.id, msg: { t: 'abort', runId: runId('early'), reason: 'stop', code: 'ABORTED' } });
    room.queue.push({ from: host.id, to: b.id, msg: { t: 'start', runId: runId('early'), spec: defaultSpec('sum'), roster: [host.id, b.id].sort(), counts: [1, 1] } });
    room.deliver();
    expect(b.runs).toHaveLength(0);
  });

  it('passes a running abort on with its typed code', () => {
    const room = new Room();
    const host = room.add('Ann', { host: true });
    const b = room.add('Bob');
    b.state = { ...b.state, room: { ...b.state.room, run: { status: 'running', runId: runId('r') } } };
    room.queue.push({ from: host.id, to: b.id, msg: { t: 'abort', runId: runId('r'), reason: 'x', code: 'MALICIOUS_ABORT' } });
    room.deliver();
    expect(b.aborts).toEqual([{ t: 'run-aborted', runId: runId('r'), from: host.id, reason: 'x', code: 'MALICIOUS_ABORT' }]);
  });
});

describe('run failures from typed codes, not message text', () => {
  const people = ['Ann', 'Bob', 'Cy'];

  it('a peer’s abort notice arrives with its code and who reported it (session → UI)', async () => {
    // Party 1 detects a deviation and aborts; the others' sessions must keep the code
    // (the old session refused MALICIOUS_ABORT from peers as "unknown error code" and blamed
    // the reporter with MALFORMED_MESSAGE) and say who reported it.
    const settled = await runPartiesSettled(3, async (s) => {
      if (s.self === 1) s.abort(new MpcError('MALICIOUS_ABORT', 'a participant deviated from the protocol'));
      await s.receive(s.others[0], s.round(Protocol.Open, 0, 0));
    });
    const info = toErrorInfo((settled[0] as PromiseRejectedResult).reason);
    expect(info).toMatchObject({ code: 'MALICIOUS_ABORT', reporter: 1 });
    const failure = describeRunFailure(info, people);
    expect(failure.text).toBe('The computation was stopped: a participant deviated from the protocol. No result was revealed.');
    expect(failure.publicReason).not.toMatch(/Ann|Bob|Cy/);
  });

  it('says who claims a failure another party reported', () => {
    const f = describeRunFailure({ code: 'ROUND_TIMEOUT', message: 'party 2 aborted: timeout', party: 0, reporter: 2 }, people);
    expect(f.text).toBe('Cy reports: Ann stopped responding. No result was revealed. You can start again.');
    expect(f.publicReason).toBe('Ann stopped responding. No result was revealed.');
  });

  it('keeps a deviation a deviation when the room abort overtook the session notice', () => {
    const f = describeRunFailure({ code: 'ABORTED', message: 'A participant deviated from the protocol. No result was revealed.', party: 1 }, people, (p) => (p === 1 ? 'MALICIOUS_ABORT' : undefined));
    expect(f.code).toBe('MALICIOUS_ABORT');
    expect(f.text).not.toContain('Bob');
    // Without the typed code the same words are just Bob's sentence.
    expect(describeRunFailure({ code: 'ABORTED', message: 'stop', party: 1 }, people).text).toBe('Bob stopped the run: stop');
  });
});
