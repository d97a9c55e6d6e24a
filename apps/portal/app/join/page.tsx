import type { Metadata } from 'next';
import { JoinForm } from '../../src/components/join-form';
import { labCatalog } from '../../src/labs/lab-catalog';

export const metadata: Metadata = { title: 'Join a cohort · Istio Workshop' };

export default async function JoinPage({ searchParams }: { searchParams: Promise<{ code?: string | string[] }> }) {
  const { code } = await searchParams;
  const titles = Object.fromEntries(labCatalog().labs.map((l) => [l.id, l.title]));
  return (
    <main className="narrow-page">
      <p>
        <a className="back-link" href="/">
          ← Labs
        </a>
      </p>
      <h1>Join your instructor&apos;s cohort</h1>
      <p className="muted">Type the code your instructor shows. No account needed: your progress stays with this browser.</p>
      <JoinForm initialCode={typeof code === 'string' ? code.slice(0, 20) : ''} labTitles={titles} />
    </main>
  );
}
