'use client';

/**
 * Shown when the learner's environment has no cluster: what works anyway and the one command that
 * gives one. Kept short; the full story is in the README.
 */
export function NoClusterBanner() {
  return (
    <section className="no-cluster-banner" data-test="no-cluster-banner" aria-label="No cluster attached">
      <p>
        <strong>No cluster is attached, so checks cannot pass yet.</strong> You can still read every lesson, use the
        shell on the right, and open “What this check looks for” under each step.
      </p>
      <p>
        To get your own cluster, restart the workshop with Docker and kind installed:{' '}
        <code data-test="no-cluster-command">CLUSTERS_PROVIDER=kind npm start</code>, or point it at a cluster you
        have: <code>CLUSTERS_LOCAL_KUBECONFIG=/path/to/kubeconfig npm start</code>.
      </p>
    </section>
  );
}
