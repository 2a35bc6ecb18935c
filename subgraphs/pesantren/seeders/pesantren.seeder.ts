import { generateWorld, type DemoWorld } from '@opop/demo-data';
import type { Database, EntityManager, Logger } from '@opop/server-kit';
import { Pesantren } from '../src/modules/pesantren/pesantren.entity.ts';

const BATCH = 1_000;

/**
 * Replaces every pesantren with the generated world's, in one transaction: a failed load leaves
 * the previous data in place. Regencies are reference data from the migrations and stay.
 */
export async function loadPesantren(em: EntityManager, world: DemoWorld): Promise<Record<string, number>> {
  await em.transactional(async (tx) => {
    await tx.nativeDelete(Pesantren, {});
    for (let start = 0; start < world.pesantren.length; start += BATCH) {
      await tx.insertMany(
        Pesantren,
        world.pesantren.slice(start, start + BATCH).map((record) => ({
          id: record.id,
          nspp: record.nspp,
          name: record.name,
          slug: record.slug,
          regency: record.regencyCode,
          address: record.address,
          pillars: record.pillars,
          cooperativeName: record.cooperative?.name ?? null,
          cooperativeLegalNumber: record.cooperative?.legalNumber ?? null,
          whatsapp: record.whatsapp,
          memberSince: record.memberSince,
          awards: record.awards,
          isDemo: true,
          createdAt: record.createdAt,
          updatedAt: record.createdAt,
        })),
      );
    }
  });
  return { pesantren: world.pesantren.length };
}

/** First run of `npm start`: an empty database gets the demo data set. */
export async function seedDemoDataIfEmpty(database: Database, _logger: Logger): Promise<Record<string, number> | undefined> {
  const em = database.fork();
  if ((await em.count(Pesantren, {})) > 0) return undefined;
  return loadPesantren(em, generateWorld('demo'));
}
