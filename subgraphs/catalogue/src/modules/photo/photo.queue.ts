import { fromKysely, type Job, type KyselyTransactionLike, type PgBoss } from 'pg-boss';
import { openJobQueue, runAsBackgroundWork, type Database, type EntityManager, type Logger } from '@opop/server-kit';

export const PROCESS_PHOTO = 'photo-process';
export const SWEEP_PHOTOS = 'photo-sweep';

export interface ProcessPhotoJob {
  photoId: string;
}

/** How many times a photo is tried before it is marked FAILED (the first try included). */
export const PHOTO_ATTEMPTS = 4;

export interface PhotoQueueOptions {
  database: Database;
  /** Real PostgreSQL: pg-boss opens its own small pool there. Unset for PGlite. */
  databaseUrl: string | undefined;
  /** The PostgreSQL schema of pg-boss's tables, beside the catalogue's. */
  schema: string;
  logger: Logger;
  /** Photos processed at the same time by this process. */
  concurrency: number;
}

/**
 * The photo jobs, on pg-boss in the catalogue's own database: PGlite by default, PostgreSQL with
 * DATABASE_URL. A job is enqueued in the transaction that accepts its upload, so an upload is
 * never accepted without its job, nor a job left for an upload that was rolled back.
 */
export class PhotoQueue {
  readonly #boss: PgBoss;
  readonly #options: PhotoQueueOptions;

  private constructor(boss: PgBoss, options: PhotoQueueOptions) {
    this.#boss = boss;
    this.#options = options;
  }

  static async start(options: PhotoQueueOptions): Promise<PhotoQueue> {
    const boss = await openJobQueue({ ...options, applicationName: 'catalogue-photos' });
    await boss.createQueue(PROCESS_PHOTO, {
      retryLimit: PHOTO_ATTEMPTS - 1,
      retryDelay: 5,
      retryBackoff: true,
      // A photo of a phone is processed in about a second; a job still active after this was lost with its worker.
      expireInSeconds: 300,
    });
    await boss.createQueue(SWEEP_PHOTOS);
    return new PhotoQueue(boss, options);
  }

  /** The catalogue's pg-boss, which its other jobs (the storefront relay) share. */
  get boss(): PgBoss {
    return this.#boss;
  }

  /** Enqueues inside `em`'s transaction: the job exists exactly when that transaction commits. */
  async enqueueProcessing(em: EntityManager, photoId: string): Promise<void> {
    const transaction = em.getTransactionContext<KyselyTransactionLike>();
    if (!transaction) throw new Error('enqueueProcessing needs an open transaction');
    await this.#boss.send(PROCESS_PHOTO, { photoId } satisfies ProcessPhotoJob, { db: fromKysely(transaction) });
  }

  /** Runs `handler` for each photo job; it throws to be retried. `attempt` counts from 1. */
  async processWith(handler: (job: ProcessPhotoJob, attempt: number) => Promise<void>): Promise<void> {
    await this.#boss.work<ProcessPhotoJob>(
      PROCESS_PHOTO,
      { batchSize: 1, localConcurrency: this.#options.concurrency, pollingIntervalSeconds: 1, includeMetadata: true },
      async ([job]: Job<ProcessPhotoJob>[] & { retryCount?: number }[]) => {
        if (job) await runAsBackgroundWork(() => handler(job.data, ((job as { retryCount?: number }).retryCount ?? 0) + 1));
      },
    );
  }

  /** Runs `sweep` every 10 minutes (one instance at a time, across processes). */
  async sweepWith(sweep: () => Promise<void>): Promise<void> {
    await this.#boss.schedule(SWEEP_PHOTOS, '*/10 * * * *');
    await this.#boss.work(SWEEP_PHOTOS, async () => runAsBackgroundWork(sweep));
  }

  /** Jobs not finished yet, for /ready. */
  async pending(): Promise<number> {
    const stats = await this.#boss.getQueueStats(PROCESS_PHOTO);
    return (stats as { queuedCount?: number; activeCount?: number }).queuedCount ?? 0;
  }

  async stop(): Promise<void> {
    await this.#boss.stop({ graceful: true, timeout: 10_000 });
  }
}
