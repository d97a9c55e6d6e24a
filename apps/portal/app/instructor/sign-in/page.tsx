import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '../../../src/components/instructor/sign-in-form';
import { currentInstructor } from '../../../src/instructors/instructor-route';
import { portal } from '../../../src/portal-services';

export const metadata: Metadata = { title: 'Instructor sign-in · Istio Workshop' };

export default async function SignInPage() {
  if (await currentInstructor(await portal())) redirect('/instructor');
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
      <SignInForm />
    </main>
  );
}
