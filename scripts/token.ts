import { parseArgs } from 'node:util';
import { ROLES, issueAccessToken, isUuid, runMain } from '@opop/server-kit';
import { localSecrets, stackFrom } from './stack.ts';

/**
 * `npm run token -- --role programme_admin` prints an access token for trying mutations on the
 * platform `npm start` runs, signed with the same local secret. Operators name their pesantren:
 * `--role pesantren_operator --pesantren pondok-pesantren-sidogiri` (a slug or an id). Scopes:
 * `--scopes "academics:aggregate academics:records"`.
 */
const DEFAULT_SCOPES: Partial<Record<string, string[]>> = {
  academic_partner: ['academics:aggregate'],
  programme_admin: ['academics:aggregate'],
};

await runMain(async () => {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'programme_admin' },
      subject: { type: 'string' },
      pesantren: { type: 'string' },
      scopes: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  const role = ROLES.find((known) => known === values.role);
  if (!role || role === 'anonymous') throw new Error(`--role must be one of ${ROLES.filter((r) => r !== 'anonymous').join(', ')}`);
  let pesantrenId: string | null = null;
  if (role === 'pesantren_operator') {
    if (!values.pesantren) throw new Error('an operator token needs --pesantren <slug or id>');
    pesantrenId = isUuid(values.pesantren) ? values.pesantren : await lookUpPesantren(values.pesantren);
  }
  // Scopes are narrower than roles: by default a token gets what its role usually needs
  // (aggregates for academic partners and admins); --scopes "a b" asks for exactly these.
  const scopes = values.scopes !== undefined ? values.scopes.split(/[\s,]+/).filter(Boolean) : (DEFAULT_SCOPES[role] ?? []);
  const { AUTH_TOKEN_SECRET } = await localSecrets(process.env, stackFrom(process.env).dataDir);
  const token = await issueAccessToken({ role, subject: values.subject ?? `local-${role}`, pesantrenId, scopes }, AUTH_TOKEN_SECRET, values.expires);
  console.log(token);
  console.error(`\nUse it as:  -H 'authorization: Bearer ${token.slice(0, 16)}…'  (valid ${values.expires})`);
});

async function lookUpPesantren(slug: string): Promise<string> {
  const api = `http://127.0.0.1:${stackFrom(process.env).router.port}/graphql`;
  const response = await fetch(api, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'query($slug: String!) { pesantren(slug: $slug) { id } }', variables: { slug } }),
  }).catch(() => {
    throw new Error(`could not reach ${api} to look up "${slug}": start the platform or pass the pesantren id`);
  });
  const body = (await response.json()) as { data?: { pesantren: { id: string } | null } };
  if (!body.data?.pesantren) throw new Error(`no pesantren has the slug "${slug}"`);
  return body.data.pesantren.id;
}
