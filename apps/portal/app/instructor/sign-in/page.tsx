import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { OidcSignIn } from '../../../src/components/instructor/oidc-sign-in';
import { SignInForm } from '../../../src/components/instructor/sign-in-form';
import { currentInstructor } from '../../../src/instructors/instructor-route';
import { oidcSettingsFrom } from '../../../src/instructors/oidc-sign-in';
import { portal } from '../../../src/portal-services';

export const metadata: Metadata = { title: 'Instructor sign-in · Istio Workshop' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ oidc?: string | string[] }> }) {
  const services = await portal();
  if (await currentInstructor(services)) redirect('/instructor');
  const { oidc } = await searchParams;
  const issuerName = oidcSettingsFrom(services.config)?.name;
  return (
    <main className="narrow-page">
      <p>
        <a className="back-link" href="/">
          ← Labs
        </a>
      </p>
      <h1>Instructor sign-in</h1>
      <p className="muted">
        Instructor accounts are made by whoever runs this platform: <code>npm run admin -- create-instructor</code>. Learners do not need
        an account; they join a cohort at <a href="/join">/join</a>.
      </p>
      <OidcSignIn issuerName={issuerName} problem={typeof oidc === 'string' ? oidc : undefined} />
      <SignInForm />
    </main>
  );
}
