import { badUserInput, parseInput, requirePesantrenManager, verifyPesantrenPlace, type EntityManager, type EntityReferences, type Identity } from '@opop/server-kit';
import { EntrepreneurshipLab } from '../lab/lab.entity.ts';
import { PesantrenPlace, Programme } from './programme.entity.ts';
import { createProgrammeInput } from './programme.input.ts';

/**
 * The pesantren subgraph's answer to "which pesantren is this, and in which regency": the
 * regency a programme is counted in comes from the pesantren, not from the caller.
 */
export type PesantrenRegister = EntityReferences;

/** Writes of programmes: one instance per request, acting as its caller. */
export class ProgrammeService {
  readonly #em: EntityManager;
  readonly #identity: Identity;
  /** Undefined only where academics runs without the pesantren subgraph (never in production). */
  readonly #pesantren: PesantrenRegister | undefined;

  constructor(em: EntityManager, identity: Identity, pesantren?: PesantrenRegister) {
    this.#em = em;
    this.#identity = identity;
    this.#pesantren = pesantren;
  }

  /** A programme of the caller's pesantren (any, for programme admins), with its lab when it is one. */
  async create(input: unknown): Promise<Programme> {
    const data = parseInput(createProgrammeInput, input, 'input');
    const pesantrenId = data.pesantrenId.toLowerCase();
    requirePesantrenManager(this.#identity, pesantrenId, 'An operator may only add programmes to their own pesantren');
    await verifyPesantrenPlace(this.#pesantren, pesantrenId, data.regencyCode);
    // A pesantren lies in one regency: every programme of it is counted there. Without this, a
    // programme (and the santri enrolled in it) could be placed in any regency's statistics.
    return this.#em.transactional(async (tx) => {
      await tx.createQueryBuilder(PesantrenPlace).insert({ pesantrenId, regencyCode: data.regencyCode }).onConflict('pesantrenId').ignore().execute('run');
      const place = await tx.findOneOrFail(PesantrenPlace, { pesantrenId });
      if (place.regencyCode !== data.regencyCode) throw badUserInput(`must be the regency of the pesantren's other programmes (${place.regencyCode})`, 'input.regencyCode');
      const programme = tx.create(Programme, {
        pesantrenId,
        regencyCode: data.regencyCode,
        kind: data.kind,
        name: data.name,
        establishedYear: data.establishedYear ?? null,
      });
      if (data.kind === 'ENTREPRENEURSHIP_LAB') {
        tx.create(EntrepreneurshipLab, { programme, pesantrenId, name: data.name, focus: data.labFocus!, productIds: [], activities: [] });
      }
      await tx.flush();
      return programme;
    });
  }
}
