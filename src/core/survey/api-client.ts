/**
 * The survey API client, shared by the browser, the Node aggregator party and the tests.
 * The I/O is the `fetch` passed in (the global one by default), so this stays testable and
 * runs unchanged in a tab, in a worker and in Node.
 *
 * Everything the server returns is untrusted: descriptors are checked against the link
 * (descriptor.ts), envelopes and publications against the aggregators' keys (aggregator.ts).
 */
import type { AggregatorIo, Publication, StoredShare } from './aggregator';
import type { SurveyDescriptor } from './descriptor';
import { SurveyError } from './errors';
import type { ReportUpload } from './report';

export interface Receipt {
  id: string;
  seq: number;
  digest: string;
  storedAt: number;
}

export interface SurveyStatus {
  descriptor: unknown;
  state: 'scheduled' | 'open' | 'closed';
  reports: number;
  results: unknown[];
}

type Fetch = typeof fetch;

export class SurveyClient {
  constructor(
    readonly base: string,
    private readonly fetchFn: Fetch = (...a) => fetch(...a),
  ) {}

  private url(path: string): string {
    return new URL(`api/surveys${path}`, this.base.endsWith('/') ? this.base : this.base + '/').toString();
  }

  private async call(method: string, path: string, body?: string): Promise<Response> {
    const request = () => this.fetchFn(this.url(path), { method, body, headers: body === undefined ? undefined : { 'Content-Type': 'application/json' } });
    let res: Response;
    try {
      res = await request().catch((e: unknown) => {
        // A kept-alive connection to a server that restarted fails on first use ("other side
        // closed"; browsers retry this themselves, Node's fetch does not). GET and PUT are
        // idempotent here, so they get one fresh attempt; POSTs retry where they are known
        // to be safe (upload, by report id).
        if (method === 'GET' || method === 'PUT') return request();
        throw e;
      });
    } catch (e) {
      throw new SurveyError('SERVER', `cannot reach the server (${e instanceof Error ? e.message : String(e)})`);
    }
    if (res.status >= 400) {
      let msg = `server answered ${res.status}`;
      try {
        const j = (await res.json()) as { error?: unknown };
        if (typeof j.error === 'string') msg = j.error;
      } catch {
        /* not JSON */
      }
      throw Object.assign(new SurveyError('SERVER', msg), { status: res.status });
    }
    return res;
  }

  async create(d: SurveyDescriptor): Promise<{ token: string }> {
    return (await (await this.call('POST', '', JSON.stringify({ descriptor: d }))).json()) as { token: string };
  }

  async status(id: string): Promise<SurveyStatus> {
    return (await (await this.call('GET', `/${id}`)).json()) as SurveyStatus;
  }

  /**
   * Upload until the server acknowledges (the report id makes retries idempotent: a report
   * stored before a lost answer comes back as a duplicate with the same receipt).
   */
  async upload(id: string, u: ReportUpload, attempts = 4): Promise<{ receipt: Receipt; duplicate: boolean }> {
    const body = JSON.stringify(u);
    for (let i = 1; ; i++) {
      try {
        return (await (await this.call('POST', `/${id}/reports`, body)).json()) as { receipt: Receipt; duplicate: boolean };
      } catch (e) {
        const status = (e as { status?: number }).status;
        if (i >= attempts || (status !== undefined && status < 500)) throw e;
        await new Promise((r) => setTimeout(r, 200 * 2 ** i));
      }
    }
  }

  async close(id: string, token: string): Promise<void> {
    await this.call('POST', `/${id}/close`, JSON.stringify({ token }));
  }

  /** The server side of one aggregator's run. */
  aggregatorIo(d: SurveyDescriptor, me: 0 | 1): AggregatorIo {
    const peer = 1 - me;
    return {
      reports: async () => {
        const out: StoredShare[] = [];
        let after = 0;
        for (;;) {
          const page = (await (await this.call('GET', `/${d.id}/reports?aggregator=${me}&after=${after}`)).json()) as { reports: StoredShare[]; next: number | null };
          out.push(...page.reports.map((r) => ({ id: String(r.id), public: r.public, sealed: r.sealed })));
          if (page.next === null) return out;
          after = page.next;
        }
      },
      send: async (seq, envelope) => {
        await this.call('PUT', `/${d.id}/mail/${peer}/${seq}`, envelope);
      },
      receive: async (seq) => {
        for (;;) {
          const res = await this.call('GET', `/${d.id}/mail/${me}/${seq}?wait=20000`);
          if (res.status === 200) return res.text();
        }
      },
      publish: async (p: Publication) => {
        await this.call('PUT', `/${d.id}/results/${me}`, JSON.stringify(p));
      },
    };
  }
}
