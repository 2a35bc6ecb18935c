import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { POLICY_PATH, accessPolicy, accessPolicyMarkdown, type AccessPolicy } from '../scripts/access-policy.ts';

/**
 * Personal data under UU PDP (Law 27/2022): buyers' details, contact details of interest
 * expressions, santri-level data, who curated or issued what, and the audit log of record reads.
 * Listed by hand, so that a field is not "public" merely because nobody annotated it.
 */
const PERSONAL_FIELDS = [
  'OrderRequest.buyerName',
  'OrderRequest.buyerPhone',
  'OrderRequest.deliveryAddress',
  'OrderRequest.note',
  'InterestExpression.name',
  'InterestExpression.organisation',
  'InterestExpression.email',
  'InterestExpression.phone',
  'InterestExpression.region',
  'InterestExpression.message',
  'CurationEvent.actor',
  'EnrolmentReceipt.pseudonymousId',
  'EnrolmentReceipt.consents',
  'ConsentStatus.purpose',
  'ConsentStatus.granted',
  'ConsentStatus.since',
  'SantriRecord.pseudonym',
  'SantriRecord.birthYear',
  'SantriRecord.gender',
  'SantriRecord.programmeKind',
  'SantriRecord.intakeYear',
  'SantriRecord.regency',
  'SantriRecordAccess.subject',
  'SantriRecordAccess.role',
  'SantriRecordAccess.partnerId',
  'SantriRecordAccess.purpose',
  'SantriRecordAccess.filter',
  'SantriRecordAccess.fields',
  'SantriRecordAccess.at',
  'ApiKey.createdBy',
  'ApiKey.revokedBy',
];

describe('the access policy table', () => {
  let policy: AccessPolicy;
  beforeAll(async () => {
    policy = await accessPolicy();
  });

  it('is what the subgraphs declare today (run `npm run access-policy` when this fails)', async () => {
    expect(await readFile(POLICY_PATH, 'utf8')).toBe(accessPolicyMarkdown(policy));
  });

  it('lists every field of the public API, Query and Mutation first', () => {
    const published = Object.values(policy.apiSchema.getTypeMap())
      .filter((type) => 'getFields' in type && !type.name.startsWith('__') && type.astNode?.kind === 'ObjectTypeDefinition')
      .flatMap((type) => Object.keys((type as { getFields(): object }).getFields()).map((field) => `${type.name}.${field}`));
    expect(policy.fields.map((field) => field.coordinate).sort()).toEqual(published.sort());
    expect(policy.fields[0]?.type).toBe('Query');
  });

  it('lets no anonymous caller read personal data', () => {
    const byCoordinate = new Map(policy.fields.map((field) => [field.coordinate, field]));
    const unknown = PERSONAL_FIELDS.filter((coordinate) => !byCoordinate.has(coordinate));
    expect(unknown, 'personal fields the public API no longer has: update PERSONAL_FIELDS').toEqual([]);
    const readable = PERSONAL_FIELDS.filter((coordinate) => byCoordinate.get(coordinate)!.access.anonymous !== 'no');
    expect(readable, 'personal fields anonymous callers may read').toEqual([]);
  });
});
