// Test double for `docker` (the CLI talking to an engine that hosts kind nodes).
import { writeFileSync } from 'node:fs';
import { addHostImage, fail, flag, hostHasImage, listClusters, out, readCluster, start } from './fake-host-state.mjs';

const args = await start('docker');
const [a0, a1] = args;
const down = process.env.FAKE_DOCKER_DOWN === '1';
if (down) fail('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?');

function clusterOfNode(node) {
  const name = node.replace(/-control-plane$/, '');
  const cluster = readCluster(name);
  if (!cluster) fail(`Error response from daemon: No such container: ${node}`);
  return cluster;
}

if (a0 === 'info') {
  out(process.env.FAKE_DOCKER_INFO ?? '28.2.2|25769803776|2|x86_64');
} else if (a0 === 'exec' && args[2] === 'crictl' && args[3] === 'images') {
  const cluster = clusterOfNode(a1);
  out(JSON.stringify({ images: cluster.images.map((ref, i) => ({ id: `sha256:${i}`, repoTags: [ref] })) }));
} else if (a0 === 'image' && a1 === 'inspect') {
  const refs = args.slice(2).filter((x, i, all) => !x.startsWith('--') && all[i - 1] !== '--format');
  const missing = refs.filter((r) => !hostHasImage(r));
  for (const r of refs.filter((x) => hostHasImage(x))) out(`sha256:${Buffer.from(r).toString('hex').slice(0, 12)}`);
  if (missing.length > 0) fail(missing.map((r) => `Error response from daemon: No such image: ${r}`).join('\n'));
} else if (a0 === 'pull') {
  const ref = args[args.length - 1];
  addHostImage(ref);
  out(`Status: Downloaded newer image for ${ref}`);
} else if (a0 === 'build') {
  const tag = flag(args, '-t');
  if (!tag) fail('fake docker: build without -t');
  addHostImage(tag);
} else if (a0 === 'image' && a1 === 'save') {
  const file = flag(args, '-o');
  const refs = args.slice(2).filter((x, i, all) => !x.startsWith('-') && !['-o', '--platform'].includes(all[i - 1]));
  const missing = refs.filter((r) => !hostHasImage(r));
  if (missing.length > 0) fail(`Error response from daemon: reference does not exist: ${missing[0]}`);
  writeFileSync(file, JSON.stringify(refs));
} else if (a0 === 'port') {
  const cluster = clusterOfNode(a1);
  if (args[2] !== '30080/tcp' || cluster.httpPort === null) fail(`Error: No public port '${args[2]}' published for ${a1}`);
  out(`127.0.0.1:${cluster.httpPort}`);
} else if (a0 === 'ps') {
  out(listClusters().map((c) => `${c}-control-plane`).join('\n'));
} else {
  fail(`fake docker: unsupported command: ${args.join(' ')}`, 64);
}
