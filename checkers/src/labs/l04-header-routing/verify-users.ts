import { defineCheck, describeMix, finding, pollBudgets, type Assertion, type MixResult } from '../../check-api';

interface UserRound {
  jason?: MixResult;
  jasonLogin: number;
  anonymous: MixResult;
  alice?: MixResult;
  aliceLogin: number;
}

const only = (m: MixResult | undefined, v: 'v1' | 'v2', n: number) => m !== undefined && m.counts[v] === n;

/** Step 2: logged in as jason → only v2; anonymous and alice → only v1. */
export const verifyUsers = defineCheck({
  labId: 'l04-header-routing',
  stepId: 'verify-users',
  kind: 'probe',
  async run({ probes, poll }) {
    const n = 20;
    const round = async (): Promise<UserRound> => {
      const jason = await probes.login('jason');
      const alice = await probes.login('alice');
      return {
        jasonLogin: jason.status,
        jason: jason.cookie ? await probes.mix(n, { session: jason }) : undefined,
        anonymous: await probes.mix(n),
        aliceLogin: alice.status,
        alice: alice.cookie ? await probes.mix(10, { session: alice }) : undefined,
      };
    };
    const result = await poll(round, {
      ...pollBudgets.propagation,
      until: (r) => only(r.jason, 'v2', n) && only(r.anonymous, 'v1', n) && only(r.alice, 'v1', 10),
    });
    const r = result.value;
    const out: Assertion[] = [];
    const login = finding('L04.LOGIN');
    const jasonV2 = finding('L04.JASON_V2');
    if (!r.jason)
      out.push(
        login.fail({
          expected: 'a session cookie from POST /login',
          actual: `HTTP ${r.jasonLogin}, no cookie`,
          next: 'kubectl get virtualservice bookinfo -n default -o yaml',
        }),
      );
    else if (only(r.jason, 'v2', n)) out.push(jasonV2.pass({ actual: `${n}/${n}: ${describeMix(r.jason)}` }));
    else
      out.push(
        jasonV2.fail({
          expected: `v2 ${n}/${n} (black stars)`,
          actual: describeMix(r.jason),
          next: 'istioctl x describe pod $(kubectl get pod -l app=reviews,version=v2 -o name | head -1 | cut -d/ -f2)',
          hint: 'observed',
        }),
      );
    const anon = finding('L04.ANON_V1');
    out.push(
      only(r.anonymous, 'v1', n)
        ? anon.pass({ actual: describeMix(r.anonymous) })
        : anon.fail({
            expected: `v1 ${n}/${n}`,
            actual: describeMix(r.anonymous),
            next: 'kubectl get virtualservice reviews -n default -o yaml',
          }),
    );
    if (r.alice) {
      const alice = finding('L04.ALICE_V1');
      out.push(
        only(r.alice, 'v1', 10)
          ? alice.pass()
          : alice.fail({
              expected: 'v1 10/10',
              actual: describeMix(r.alice),
              next: 'kubectl get virtualservice reviews -n default -o yaml',
            }),
      );
    }
    return out;
  },
});
