// Test double for `kind`: answers the commands the pipeline and the reconciler use.
import { readFileSync, writeFileSync } from 'node:fs';
import {
  deleteCluster, fail, flag, kubeconfigText, listClusters, normaliseImageRef, out, readCluster, start, writeCluster,
} from './fake-host-state.mjs';

const args = await start('kind');
const [a0, a1] = args;

if (a0 === 'version') {
  out(`kind ${process.env.FAKE_KIND_VERSION ?? 'v0.33.0'} go1.24.6 linux/amd64`);
} else if (a0 === 'get' && a1 === 'clusters') {
  const names = listClusters();
  if (names.length === 0) process.stderr.write('No kind clusters found.\n');
  else out(names.join('\n'));
} else if (a0 === 'create' && a1 === 'cluster') {
  const name = flag(args, '--name') ?? 'kind';
  if (readCluster(name)) fail(`ERROR: failed to create cluster: node(s) already exist for a cluster with the name "${name}"`);
  const image = flag(args, '--image');
  if (!image || !image.includes('@sha256:')) fail('fake kind: the pipeline must pass --image with a digest');
  const { parse } = await import('yaml');
  const config = parse(readFileSync(flag(args, '--config'), 'utf8'));
  const mappings = config?.nodes?.[0]?.extraPortMappings ?? [];
  const http = mappings.find((m) => m.containerPort === 30080);
  writeCluster(name, { name, image, httpPort: http?.hostPort ?? null, images: [], namespaces: { default: {} }, applied: [], pods: [] });
  const kubeconfig = flag(args, '--kubeconfig');
  if (kubeconfig) writeFileSync(kubeconfig, kubeconfigText(name));
  process.stderr.write(`Creating cluster "${name}" ...\n ✓ Ready after 1s 💚\n`);
} else if (a0 === 'delete' && a1 === 'cluster') {
  const name = flag(args, '--name') ?? 'kind';
  deleteCluster(name);
  process.stderr.write(`Deleting cluster "${name}" ...\n`);
} else if (a0 === 'export' && a1 === 'kubeconfig') {
  const name = flag(args, '--name') ?? 'kind';
  if (!readCluster(name)) fail(`ERROR: could not locate any control plane nodes for cluster named '${name}'`);
  writeFileSync(flag(args, '--kubeconfig'), kubeconfigText(name));
} else if (a0 === 'load' && (a1 === 'image-archive' || a1 === 'docker-image')) {
  const name = flag(args, '--name') ?? 'kind';
  const cluster = readCluster(name);
  if (!cluster) fail(`ERROR: no nodes found for cluster "${name}"`);
  const refs = a1 === 'image-archive' ? JSON.parse(readFileSync(args[2], 'utf8')) : args.slice(2).filter((x) => !x.startsWith('--') && x !== name);
  cluster.images = [...new Set([...cluster.images, ...refs.map(normaliseImageRef)])];
  writeCluster(name, cluster);
} else {
  fail(`fake kind: unsupported command: ${args.join(' ')}`, 64);
}
