import { defineCheck, describeMix, fail, pass, pollBudgets, type Assertion, type MixResult } from '../../check-api';

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
    const result = await poll(round, { ...pollBudgets.propagation, until: (r) => only(r.jason, 'v2', n) && only(r.anonymous, 'v1', n) && only(r.alice, 'v1', 10) });
    const r = result.value;
    const out: Assertion[] = [];
    if (!r.jason) {
      out.push(fail('L04.LOGIN', 'logging in as jason gives a session', { expected: 'a session cookie from POST /login', actual: `HTTP ${r.jasonLogin}, no cookie`, hint: 'The login did not go through the ingress gateway; the bookinfo VirtualService must route /login to productpage.', next: 'kubectl get virtualservice bookinfo -n default -o yaml' }));
    } else if (only(r.jason, 'v2', n)) out.push(pass('L04.JASON_V2', `as jason, ${n}/${n} answers come from reviews v2`, { actual: describeMix(r.jason) }));
    else out.push(fail('L04.JASON_V2', `as jason, ${n}/${n} answers come from reviews v2`, { expected: `v2 ${n}/${n} (black stars)`, actual: describeMix(r.jason), hint: 'Requests from jason are not all routed to v2. The match must be on the end-user header, in the reviews VirtualService, before the default route.', next: 'istioctl x describe pod $(kubectl get pod -l app=reviews,version=v2 -o name | head -1 | cut -d/ -f2)' }));
    if (only(r.anonymous, 'v1', n)) out.push(pass('L04.ANON_V1', `without login, ${n}/${n} answers come from v1`));
    else out.push(fail('L04.ANON_V1', `without login, ${n}/${n} answers come from v1`, { expected: `v1 ${n}/${n}`, actual: describeMix(r.anonymous), hint: 'Anonymous requests should take the default route to v1; check that it is the last rule and names subset v1.', next: 'kubectl get virtualservice reviews -n default -o yaml' }));
    if (r.alice) {
      if (only(r.alice, 'v1', 10)) out.push(pass('L04.ALICE_V1', 'as alice, every answer comes from v1'));
      else out.push(fail('L04.ALICE_V1', 'as alice, every answer comes from v1', { expected: 'v1 10/10', actual: describeMix(r.alice), hint: 'Another user gets v2 too: the match is looser than end-user exact jason (a prefix or regex?).', next: 'kubectl get virtualservice reviews -n default -o yaml' }));
    }
    return out;
  },
});
