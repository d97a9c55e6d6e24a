import { oidcProblemMessages, oidcStartPath, type OidcProblem } from '../../instructors/oidc-sign-in';

function isProblem(value: string | undefined): value is OidcProblem {
  return value !== undefined && Object.hasOwn(oidcProblemMessages, value);
}

/**
 * The sign-in page's OIDC part: the button only when an issuer is configured (`issuerName`), and
 * why the last attempt failed (`problem` from the callback's redirect; unknown values are ignored,
 * so the page never shows text a link made up).
 */
export function OidcSignIn({ issuerName, problem }: { issuerName: string | undefined; problem: string | undefined }) {
  if (!issuerName) return null;
  return (
    <div className="oidc-sign-in">
      {isProblem(problem) && (
        <p className="error" role="alert" data-testid="oidc-problem">
          {oidcProblemMessages[problem]}
        </p>
      )}
      {/* A plain link: the start route redirects the whole page to the issuer. */}
      <a className="button-link primary" href={oidcStartPath}>
        Sign in with {issuerName}
      </a>
      <p className="muted">or with your password:</p>
    </div>
  );
}
