// Test double for `istioctl`.
import { existsSync } from 'node:fs';
import { clusterOfKubeconfig, fail, flag, out, readCluster, start, writeCluster } from './fake-host-state.mjs';

const args = await start('istioctl');
const version = process.env.FAKE_ISTIOCTL_VERSION ?? '1.30.3';

if (args[0] === 'version') {
  out(version);
} else if (args[0] === 'install') {
  const name = clusterOfKubeconfig(flag(args, '--kubeconfig'));
  const cluster = name && readCluster(name);
  if (!cluster) fail('Error: failed to connect to the cluster: the kubeconfig points nowhere');
  const overlay = flag(args, '-f');
  if (!overlay || !existsSync(overlay)) fail(`Error: could not read overlay ${overlay}`);
  const tag = args.find((a) => a.startsWith('tag='))?.slice(4);
  cluster.istio = { tag: tag ?? version };
  writeCluster(name, cluster);
  out('✔ Istio core installed ⛵️\n✔ Istiod installed 🧠\n✔ Ingress gateways installed 🛬\n✔ Egress gateways installed 🛫\n✔ Installation complete');
} else {
  fail(`fake istioctl: unsupported command: ${args.join(' ')}`, 64);
}
