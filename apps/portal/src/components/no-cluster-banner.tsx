'use client';

import { useEffect, useState } from 'react';

const foldedKey = 'workshop.noClusterBanner';

/**
 * Shown when the learner's environment has no cluster: what works anyway and the one command that
 * gives one. The learner may fold it to its first line (remembered), which keeps a phone screen usable.
 */
export function NoClusterBanner() {
  const [open, setOpen] = useState(true);
  useEffect(() => setOpen(window.localStorage.getItem(foldedKey) !== 'folded'), []);
  return (
    <details
      className="no-cluster-banner"
      data-test="no-cluster-banner"
      open={open}
      onToggle={(e) => {
        const nowOpen = (e.target as HTMLDetailsElement).open;
        setOpen(nowOpen);
        window.localStorage.setItem(foldedKey, nowOpen ? 'open' : 'folded');
      }}
    >
      <summary>
        <strong>No cluster is attached, so checks cannot pass yet.</strong>
      </summary>
      <p>
        You can still read every lesson, use the shell in the terminal, and open “What this check looks for” under each
        step.
      </p>
      <p>
        To get your own cluster, restart the workshop with Docker and kind installed:{' '}
        <code data-test="no-cluster-command">CLUSTERS_PROVIDER=kind npm start</code>, or point it at a cluster you
        have: <code>CLUSTERS_LOCAL_KUBECONFIG=/path/to/kubeconfig npm start</code>.
      </p>
    </details>
  );
}
