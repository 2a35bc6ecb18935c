import { issueAccessToken } from '@opop/server-kit';
import type { DemoAccount, Organisation, OrganisationDirectory, PartnerKeys } from './accounts/accounts.service.ts';
import type { MembershipKind } from './accounts/membership.entity.ts';
import { ConsoleDemoOrganisationsDocument, ConsoleFindPartnerDocument, ConsoleFindPesantrenDocument, ConsoleKeysMadeByDocument, ConsolePartnerSlugsDocument, ConsoleRevokeApiKeyDocument } from './generated/operations.ts';
import { routerRequest } from './lib/router-request.ts';

/** The console acting for itself (finding organisations, seeding demo accounts): a one-minute admin token. */
const asConsole = (secret: string) => issueAccessToken({ role: 'programme_admin', subject: 'service:console', pesantrenId: null, scopes: [] }, secret, '1m');

/** Finds the organisation a membership is for through the router, like every other read. */
export function routerDirectory(routerUrl: string, accessTokenSecret: string): OrganisationDirectory {
  return {
    async find(kind: Exclude<MembershipKind, 'PROGRAMME_OFFICE'>, slug: string): Promise<Organisation | null> {
      const token = await asConsole(accessTokenSecret);
      if (kind === 'PESANTREN_OPERATOR') return (await routerRequest(routerUrl, ConsoleFindPesantrenDocument, { slug }, token)).pesantren;
      const { partner } = await routerRequest(routerUrl, ConsoleFindPartnerDocument, { slug }, token);
      const wanted = kind === 'MEDIA_PARTNER' ? 'MEDIA' : 'ACADEMIA';
      return partner && partner.role === wanted ? { id: partner.id, name: partner.name } : null;
    },
  };
}

/** Revokes, as the office, the API keys a person made for a partner they no longer represent. */
export function routerPartnerKeys(routerUrl: string, accessTokenSecret: string): PartnerKeys {
  return {
    async revokeKeysMadeBy(subject, partnerId, reason) {
      const token = await asConsole(accessTokenSecret);
      const partner = (await routerRequest(routerUrl, ConsolePartnerSlugsDocument, {}, token)).partners.find((p) => p.id === partnerId);
      if (!partner) return 0;
      const keys = (await routerRequest(routerUrl, ConsoleKeysMadeByDocument, { partnerSlug: partner.slug }, token)).apiKeys.filter((key) => key.createdBy === subject);
      for (const key of keys) await routerRequest(routerUrl, ConsoleRevokeApiKeyDocument, { id: key.id, reason }, token);
      return keys.length;
    },
  };
}

/** Published demo passwords: demo data only (README, "Demo accounts"); production refuses SEED_DEMO_DATA. */
export const DEMO_PASSWORDS = {
  office: 'demo-kantor-opop',
  operator: 'demo-operator-opop',
  media: 'demo-media-opop',
  academic: 'demo-akademik-opop',
} as const;

/** One demo account per kind of user, acting for the first demo pesantren and partners the router lists. */
export async function demoAccounts(routerUrl: string, accessTokenSecret: string): Promise<DemoAccount[]> {
  const data = await routerRequest(routerUrl, ConsoleDemoOrganisationsDocument, {}, await asConsole(accessTokenSecret));
  const pesantren = data.pesantrenList.nodes[0];
  const media = data.partners.find((p) => p.role === 'MEDIA');
  const academic = data.partners.find((p) => p.role === 'ACADEMIA');
  const accounts: DemoAccount[] = [
    { email: 'kantor@demo.opop.id', password: DEMO_PASSWORDS.office, name: 'Demo Kantor Program', membership: { kind: 'PROGRAMME_OFFICE', organisationId: null, organisationName: 'Kantor Program OPOP Jatim' } },
  ];
  if (pesantren) accounts.push({ email: 'operator@demo.opop.id', password: DEMO_PASSWORDS.operator, name: 'Demo Operator Pesantren', membership: { kind: 'PESANTREN_OPERATOR', organisationId: pesantren.id, organisationName: pesantren.name } });
  if (media) accounts.push({ email: 'media@demo.opop.id', password: DEMO_PASSWORDS.media, name: 'Demo Mitra Media', membership: { kind: 'MEDIA_PARTNER', organisationId: media.id, organisationName: media.name } });
  if (academic) accounts.push({ email: 'akademik@demo.opop.id', password: DEMO_PASSWORDS.academic, name: 'Demo Mitra Akademik', membership: { kind: 'ACADEMIC_PARTNER', organisationId: academic.id, organisationName: academic.name } });
  return accounts;
}
