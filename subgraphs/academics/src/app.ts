import { randomBytes } from 'node:crypto';
import { createSubgraphService, federatedReferences, type EntityReferences, type Logger, type SubgraphService } from '@opop/server-kit';
import { migrations } from '../migrations/index.ts';
import { seedDemoDataIfEmpty } from '../seeders/academics.seeder.ts';
import type { AcademicsConfig } from './config.ts';
import { createAcademicsContext, type AcademicsContext } from './context.ts';
import { entities } from './entities.ts';
import { name, resolvers, typeDefs } from './index.ts';
import { SantriPseudonyms } from './modules/records/pseudonyms.ts';
import { selectedFieldPaths } from './modules/records/selection.ts';
import { StatisticsReleases } from './modules/stats/releases.ts';

/** Builds the academics service (database migrated, demo data seeded if asked); nothing listens yet. */
export interface AcademicsServiceOptions {
  /** The clock statistics releases follow (tests move it to the next academic year). */
  now?: () => Date;
  /** Keep computed statistics tables of the current release (default); the bench measures without. */
  cacheTables?: boolean;
  /** Where pesantren are checked (default: the pesantren subgraph at config.pesantrenUrl). */
  pesantrenReferences?: EntityReferences;
}

export async function createAcademicsService(config: AcademicsConfig, logger?: Logger, options: AcademicsServiceOptions = {}): Promise<SubgraphService<AcademicsContext>> {
  if (!config.pseudonymSecret && config.environment === 'production') throw new Error('PSEUDONYM_SECRET is required in production');
  // Outside production a missing secret becomes a random one for this process: never a known
  // default, at the price of pseudonyms that change when the service restarts.
  const ephemeral = !config.pseudonymSecret;
  const pseudonyms = new SantriPseudonyms(config.pseudonymSecret ?? randomBytes(32).toString('base64url'));
  if (!config.pesantrenUrl && !options.pesantrenReferences && config.environment === 'production') {
    throw new Error('PESANTREN_URL is required in production: programmes are checked against the pesantren they name');
  }
  const pesantren =
    options.pesantrenReferences ??
    (config.pesantrenUrl ? federatedReferences({ url: config.pesantrenUrl, identitySecret: config.identitySecret, caller: 'subgraph:academics' }) : undefined);
  const releases = new StatisticsReleases(options.now, options.cacheTables === undefined ? {} : { cacheTables: options.cacheTables });
  return createSubgraphService<AcademicsContext>({
    module: { name, typeDefs, resolvers },
    config,
    entities,
    migrations,
    ...(logger ? { logger } : {}),
    seedDemoData: seedDemoDataIfEmpty,
    runtime: async (_database, serviceLogger) => {
      if (!pesantren) serviceLogger.warn('PESANTREN_URL is not set: new programmes are not checked against the pesantren subgraph (their pesantren and regency are taken as given)');
      if (ephemeral) serviceLogger.warn('PSEUDONYM_SECRET is not set: santri record pseudonyms use a random key and change when this service restarts');
      return {
        createContext: (base) => createAcademicsContext(base, pseudonyms, releases, pesantren),
        // Every request for santri records is audited, those the access rules refuse included.
        onAccessDenied: async (coordinate, { args, context, info, error }) => {
          if (coordinate === 'Query.santriRecords') await (context as AcademicsContext).recordsService.auditRefusal(args, selectedFieldPaths(info), error);
        },
      };
    },
  });
}
