// THE one file of pinned versions for learner environments (docs/learner-environment.md). Everything else — the kind
// config, the Istio install, the image list, the doctor, the CI workflow — reads its pins from here.
// To bump Istio: change `istio.version`, the addon image tags that ship with that tag's samples/addons,
// then run `npm run test:clusters:real` on a Docker host before merging.

export const versions = {
  kind: {
    /** kind CLI release the node image below was built for. */
    version: 'v0.33.0',
    /** kind v0.33's default node (v1.37) is outside Istio 1.30's range, so we always pass this one, by digest. */
    nodeImage: 'kindest/node:v1.35.8@sha256:07b2536e30b803ed61d1677a79df6115f798ce64c80f9e22f6ed45afd09323c0',
    kubernetesMinor: 35,
  },
  kubectl: {
    /** Client used by the platform and baked into the toolbox; any client within ±1 minor of the node works. */
    version: 'v1.35.8',
    minMinor: 34,
    maxMinor: 36,
  },
  istio: {
    version: '1.30.3',
    hub: 'docker.io/istio',
  },
  /** samples/addons at the pinned Istio tag: applied by URL (or from a local copy, see README), images pinned here. */
  addons: {
    baseUrl: 'https://raw.githubusercontent.com/istio/istio/1.30.3/samples/addons',
    manifests: ['prometheus.yaml', 'grafana.yaml', 'jaeger.yaml', 'kiali.yaml'],
    images: [
      'prom/prometheus:v3.10.0',
      'ghcr.io/prometheus-operator/prometheus-config-reloader:v0.89.0',
      'grafana/grafana:12.0.1',
      'jaegertracing/jaeger:2.14.0',
      'quay.io/kiali/kiali:v2.26',
    ],
  },
  bookinfo: {
    /** Our own manifest (clusters/manifests/bookinfo.yaml) uses these Docker Hub images, not registry.istio.io. */
    tag: '1.20.3',
  },
  labExtras: {
    images: [
      'docker.io/curlimages/curl:8.16.0',
      'docker.io/mccutchen/go-httpbin:v2.15.0',
      // (verify) the newest fortio tag at pin time; the sample's `latest_release` is mutable, so never use it.
      'docker.io/fortio/fortio:1.69.1',
    ],
  },
  toolbox: {
    /** Built from clusters/toolbox/Dockerfile on the host (preload step), never pulled. */
    image: 'localhost/istio-workshop-toolbox:0.1.0-istio1.30.3',
    debianBase: 'docker.io/library/debian:trixie-slim',
  },
  /** Host requirements checked by `doctor` (kind known issues; docs/learner-environment.md). */
  host: {
    minInotifyWatches: 524_288,
    minInotifyInstances: 512,
    /** docker image save --platform (used for the offline archive) needs Docker Engine 28+. */
    minDockerMajor: 28,
  },
} as const;

export type Versions = typeof versions;

/** Istio images derived from the overlay's hub and the pinned tag. */
export function istioImages(v: Versions = versions): string[] {
  return [`${v.istio.hub}/pilot:${v.istio.version}`, `${v.istio.hub}/proxyv2:${v.istio.version}`];
}

export function addonManifestUrls(v: Versions = versions): string[] {
  return v.addons.manifests.map((m) => `${v.addons.baseUrl}/${m}`);
}
