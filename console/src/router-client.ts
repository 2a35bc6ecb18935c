import { issueAccessToken } from '@opop/server-kit';
import type { Organisation, OrganisationDirectory } from './accounts/accounts.service.ts';
import type { MembershipKind } from './accounts/membership.entity.ts';

export class RouterError extends Error {
  override name = 'RouterError';
  readonly codes: string[];
  constructor(message: string, codes: string[]) {
    super(message);
    this.codes = codes;
  }
}

/** One GraphQL request to the router, as the holder of `token` (a signed-in person's access token). */
export async function routerRequest<Result, Variables extends Record<string, unknown> = Record<string, never>>(
  routerUrl: string,
  document: string | { toString(): string },
  variables: Variables,
  token: string | null,
): Promise<Result> {
  const response = await fetch(routerUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query: String(document), variables }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json().catch(() => null)) as { data?: Result; errors?: { message: string; extensions?: { code?: string } }[] } | null;
  if (!body) throw new RouterError(`the router answered ${response.status} without JSON`, []);
  if (body.errors?.length || !body.data) {
    throw new RouterError(body.errors?.map((e) => e.message).join('; ') ?? `no data (${response.status})`, body.errors?.map((e) => e.extensions?.code ?? 'UNKNOWN') ?? []);
  }
  return body.data;
}

const ORGANISATION_QUERIES = {
  pesantren: 'query ConsoleFindPesantren($slug: String!) { pesantren(slug: $slug) { id name } }',
  partner: 'query ConsoleFindPartner($slug: String!) { partner(slug: $slug) { id name role } }',
};

/**
 * Finds the organisation a membership is for, through the router like every other read. The
 * console asks as itself: a short programme-admin token, signed for this lookup only.
 */
export function routerDirectory(routerUrl: string, accessTokenSecret: string): OrganisationDirectory {
  const asConsole = () => issueAccessToken({ role: 'programme_admin', subject: 'service:console', pesantrenId: null, scopes: [] }, accessTokenSecret, '1m');
  return {
    async find(kind: Exclude<MembershipKind, 'PROGRAMME_OFFICE'>, slug: string): Promise<Organisation | null> {
      if (kind === 'PESANTREN_OPERATOR') {
        const data = await routerRequest<{ pesantren: Organisation | null }, { slug: string }>(routerUrl, ORGANISATION_QUERIES.pesantren, { slug }, await asConsole());
        return data.pesantren;
      }
      const data = await routerRequest<{ partner: (Organisation & { role: string }) | null }, { slug: string }>(routerUrl, ORGANISATION_QUERIES.partner, { slug }, await asConsole());
      const wanted = kind === 'MEDIA_PARTNER' ? 'MEDIA' : 'ACADEMIA';
      return data.partner && data.partner.role === wanted ? { id: data.partner.id, name: data.partner.name } : null;
    },
  };
}
