import { randomUUID } from 'node:crypto';
import { generateAcademics, generateWorld, santriBatches, type DemoWorld } from '@opop/demo-data';
import type { Database, EntityManager, Logger } from '@opop/server-kit';
import { EntrepreneurshipLab } from '../src/modules/lab/lab.entity.ts';
import { PesantrenPlace, Programme } from '../src/modules/programme/programme.entity.ts';
import { ConsentEvent, EnrolmentCount, PesantrenEnrolmentCount, PesantrenEnrolmentMargin, Santri } from '../src/modules/santri/santri.entity.ts';
import { rebuildEnrolmentCounts } from '../src/modules/stats/enrolment-stats.ts';
import { newRecordKey } from '../src/modules/stats/perturbation.ts';

const BATCH = 2_000;

/**
 * Replaces programmes, labs, santri and consent records with the generated world's, in one
 * transaction. At programme scale that is 761,777 santri, streamed in batches.
 */
export async function loadAcademics(em: EntityManager, world: DemoWorld): Promise<Record<string, number>> {
  const academics = generateAcademics(world);
  let santri = 0;
  let consents = 0;
  await em.transactional(async (tx) => {
    await tx.nativeDelete(EnrolmentCount, {});
    await tx.nativeDelete(PesantrenEnrolmentCount, {});
    await tx.nativeDelete(PesantrenEnrolmentMargin, {});
    await tx.nativeDelete(ConsentEvent, {});
    await tx.nativeDelete(Santri, {});
    await tx.nativeDelete(EntrepreneurshipLab, {});
    await tx.nativeDelete(PesantrenPlace, {});
    await tx.nativeDelete(Programme, {});
    for (let start = 0; start < academics.programmes.length; start += BATCH) {
      await tx.insertMany(Programme, academics.programmes.slice(start, start + BATCH).map((programme) => ({ ...programme, createdAt: new Date(Date.UTC(programme.establishedYear, 6, 1)) })));
    }
    const places = new Map(academics.programmes.map((programme) => [programme.pesantrenId, programme.regencyCode]));
    const placeRows = [...places].map(([pesantrenId, regencyCode]) => ({ pesantrenId, regencyCode }));
    for (let start = 0; start < placeRows.length; start += BATCH) await tx.insertMany(PesantrenPlace, placeRows.slice(start, start + BATCH));
    await tx.insertMany(
      EntrepreneurshipLab,
      academics.labs.map((lab) => ({
        id: lab.id,
        programme: lab.programmeId,
        pesantrenId: lab.pesantrenId,
        name: lab.name,
        focus: lab.focus,
        productIds: lab.productIds,
        activities: lab.activities.map((a) => ({ kind: a.kind, titleIndonesian: a.titleId, titleEnglish: a.titleEn, on: a.on, participants: a.participants })),
        createdAt: new Date(),
      })),
    );
    for (const batch of santriBatches(academics, BATCH)) {
      await tx.insertMany(
        Santri,
        batch.map((record) => ({
          id: record.id,
          programme: record.programmeId,
          pesantrenId: record.pesantrenId,
          regencyCode: record.regencyCode,
          programmeKind: record.programmeKind,
          birthYear: record.birthYear,
          gender: record.gender,
          intakeYear: record.enrolmentYear,
          recordKey: newRecordKey(),
          createdAt: new Date(Date.UTC(record.enrolmentYear, 6, 15)),
        })),
      );
      const events = batch.flatMap((record) =>
        record.consents.map((consent) => ({
          id: randomUUID(),
          santri: record.id,
          purpose: consent.purpose,
          granted: true,
          relationship: consent.relationship,
          evidence: consent.evidence,
          effectiveOn: consent.grantedOn,
          recordedBy: 'demo-operator',
          recordedAt: new Date(`${consent.grantedOn}T09:00:00Z`),
        })),
      );
      if (events.length) await tx.insertMany(ConsentEvent, events);
      santri += batch.length;
      consents += events.length;
    }
    await rebuildEnrolmentCounts(tx);
  });
  return { programmes: academics.programmes.length, labs: academics.labs.length, santri, consentEvents: consents };
}

/** First run of `npm start`: an empty database gets the demo data set. */
export async function seedDemoDataIfEmpty(database: Database, _logger: Logger): Promise<Record<string, number> | undefined> {
  const em = database.fork();
  if ((await em.count(Programme, {})) > 0) return undefined;
  return loadAcademics(em, generateWorld('demo'));
}
