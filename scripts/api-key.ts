import { parseArgs } from 'node:util';
import { issueAccessToken, runMain } from '@opop/server-kit';
import { localSecrets, stackFrom } from './stack.ts';

const USAGE = `usage: npm run -s api-key -- --partner <slug> --role media_partner|academic_partner
         [--scopes widgets:events,...] [--origins https://www.jtv.co.id,...] [--name <label>]`;

const ROLES = { media_partner: 'MEDIA_PARTNER', academic_partner: 'ACADEMIC_PARTNER' } as const;

/** Mistakes the user fixes by reading the message: no stack trace in the way. */
function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/**
 * `npm run api-key -- --partner jtv --role media_partner --scopes widgets:events --origins https://www.jtv.co.id`
 * creates an API key on the platform `npm start` runs, through the router's `createApiKey`, as a
 * programme admin signed with the local secret (as `npm run token` does). The key goes to stdout
 * alone, so `KEY=$(npm run -s api-key -- …)` captures it; it cannot be shown again. Keys are never
 * part of the demo data: a key in the repository would be a key anyone can use.
 */
await runMain(async () => {
  const { values } = parseArgs({
    options: {
      partner: { type: 'string' },
      role: { type: 'string' },
      scopes: { type: 'string', multiple: true, default: [] },
      origins: { type: 'string', multiple: true, default: [] },
      name: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const role = values.role === 'media_partner' || values.role === 'academic_partner' ? ROLES[values.role] : undefined;
  if (!values.partner || !role) fail(USAGE);
  // Lists may come comma-separated or as repeated options.
  const list = (items: string[]) => items.flatMap((item) => item.split(',')).map((item) => item.trim()).filter(Boolean);

  const { AUTH_TOKEN_SECRET, generated } = await localSecrets(process.env, stackFrom(process.env).dataDir);
  if (generated) fail('There were no local secrets yet, so no platform runs with them: start it with `npm start` first.');
  const token = await issueAccessToken({ role: 'programme_admin', subject: 'local-api-key-script', pesantrenId: null, scopes: [] }, AUTH_TOKEN_SECRET, '5m');

  const api = `http://127.0.0.1:${stackFrom(process.env).router.port}/graphql`;
  const input = { partnerSlug: values.partner, name: values.name ?? `${values.partner} (local)`, role, scopes: list(values.scopes), allowedOrigins: list(values.origins) };
  const response = await fetch(api, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: `mutation CreateApiKey($input: CreateApiKeyInput!) {
        createApiKey(input: $input) { secret apiKey { id prefix role scopes allowedOrigins partner { slug name } } }
      }`,
      variables: { input },
    }),
  }).catch(() => fail(`Could not reach ${api}: start the platform with \`npm start\` first.`));
  const body = (await response.json()) as {
    data?: { createApiKey: { secret: string; apiKey: { id: string; prefix: string; role: string; scopes: string[]; allowedOrigins: string[]; partner: { slug: string; name: string } } } } | null;
    errors?: { message: string }[];
  };
  if (body.errors?.length || !body.data) fail(`createApiKey failed:\n${(body.errors ?? []).map((e) => `  - ${e.message}`).join('\n')}`);

  const { secret, apiKey } = body.data.createApiKey;
  console.log(secret);
  console.error(
    [
      '',
      `API key ${apiKey.prefix} (id ${apiKey.id}) for ${apiKey.partner.name}, role ${apiKey.role}`,
      `  scopes:  ${apiKey.scopes.join(', ') || 'none'}`,
      `  origins: ${apiKey.allowedOrigins.join(', ') || 'any'}`,
      'Copy the key now: only its hash is kept, so it cannot be shown again.',
    ].join('\n'),
  );
});
