import { actorOf, badUserInput, canManagePesantren, notFound, parseId, parseInput, requirePesantrenManager, type EntityManager, type Identity, type Logger } from '@opop/server-kit';
import type { Programme } from '../programme/programme.entity.ts';
import { enrolSantriInput, guardianConsentInput, withdrawnOnInput } from '../programme/programme.input.ts';
import type { ProgrammeRepository } from '../programme/programme.repository.ts';
import { addToEnrolmentCounts } from '../stats/enrolment-stats.ts';
import { ConsentEvent, Santri, type ConsentPurpose } from './santri.entity.ts';
import type { ConsentState, SantriRepository } from './santri.repository.ts';

/** What the operator keeps of an enrolment. */
export interface EnrolmentReceipt {
  pseudonymousId: string;
  programme: Programme;
  consents: ConsentState[];
}

/** Enrolments and guardian consent: one instance per request, acting as its caller. */
export class SantriService {
  readonly #em: EntityManager;
  readonly #identity: Identity;
  readonly #logger: Logger;
  readonly #santri: SantriRepository;
  readonly #programmes: ProgrammeRepository;

  constructor(deps: { em: EntityManager; identity: Identity; logger: Logger; santri: SantriRepository; programmes: ProgrammeRepository }) {
    this.#em = deps.em;
    this.#identity = deps.identity;
    this.#logger = deps.logger;
    this.#santri = deps.santri;
    this.#programmes = deps.programmes;
  }

  /**
   * Enrols a santri in a programme of the caller's pesantren: the record, the guardian's consents
   * and the statistics rollups in one transaction, so the rollups never disagree with the records.
   */
  async enrol(input: unknown): Promise<EnrolmentReceipt> {
    const data = parseInput(enrolSantriInput, input, 'input');
    const programme = await this.#programmes.findById(data.programmeId.toLowerCase());
    if (!programme) throw badUserInput('is not a known programme', 'input.programmeId');
    requirePesantrenManager(this.#identity, programme.pesantrenId, 'An operator may only enrol santri in their own programmes');
    const santri = await this.#em.transactional(async (tx) => {
      const created = tx.create(Santri, {
        programme,
        pesantrenId: programme.pesantrenId,
        regencyCode: programme.regencyCode,
        programmeKind: programme.kind,
        birthYear: data.birthYear,
        gender: data.gender,
        intakeYear: data.intakeYear,
      });
      for (const consent of data.guardianConsents ?? []) {
        tx.create(ConsentEvent, { santri: created, purpose: consent.purpose, granted: true, relationship: consent.relationship, evidence: consent.evidence, effectiveOn: consent.grantedOn, recordedBy: actorOf(this.#identity) });
      }
      await tx.flush();
      await addToEnrolmentCounts(tx, [created.id]);
      return created;
    });
    this.#logger.info({ programmeId: programme.id, by: this.#identity.subject }, 'santri enrolled');
    return { pseudonymousId: santri.id, programme, consents: await this.#santri.consentStatus(santri) };
  }

  /** Records a guardian's consent for one purpose; the history is kept, nothing overwritten. */
  async recordConsent(pseudonymousId: string, input: unknown): Promise<ConsentState[]> {
    const santri = await this.#managed(pseudonymousId);
    const consent = parseInput(guardianConsentInput, input, 'consent');
    this.#em.create(ConsentEvent, { santri, purpose: consent.purpose, granted: true, relationship: consent.relationship, evidence: consent.evidence, effectiveOn: consent.grantedOn, recordedBy: actorOf(this.#identity) });
    await this.#em.flush();
    return this.#santri.consentStatus(santri);
  }

  /** Records that a guardian withdrew consent for a purpose, from the given date. */
  async withdrawConsent(pseudonymousId: string, purpose: ConsentPurpose, date: unknown): Promise<ConsentState[]> {
    const santri = await this.#managed(pseudonymousId);
    const withdrawnOn = parseInput(withdrawnOnInput, date, 'withdrawnOn');
    this.#em.create(ConsentEvent, { santri, purpose, granted: false, relationship: null, evidence: null, effectiveOn: withdrawnOn, recordedBy: actorOf(this.#identity) });
    await this.#em.flush();
    return this.#santri.consentStatus(santri);
  }

  /** A santri the caller may manage; unknown and foreign santri are answered alike. */
  async #managed(pseudonymousId: string): Promise<Santri> {
    const santri = await this.#santri.findById(parseId(pseudonymousId, 'pseudonymousId'));
    if (!santri || !canManagePesantren(this.#identity, santri.pesantrenId)) throw notFound('Santri');
    return santri;
  }
}
