import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { PROGRAMME_KINDS, Programme } from '../programme/programme.entity.ts';
import { newRecordKey } from '../stats/perturbation.ts';

export const GENDERS = ['FEMALE', 'MALE'] as const;
export const CONSENT_PURPOSES = ['RESEARCH', 'PROGRAMME_EVALUATION'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
export const GUARDIAN_RELATIONSHIPS = ['FATHER', 'MOTHER', 'GUARDIAN'] as const;

/**
 * A santri, pseudonymously: the id is random and nothing else identifies the child. Never add a
 * name, NIK, NISN or health data here (UU PDP: most santri are children). The pesantren, regency
 * and kind are copied from the programme at enrolment so aggregates read one table.
 */
const SantriSchema = defineEntity({
  name: 'Santri',
  tableName: 'santri',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    programme: () => p.manyToOne(Programme).index(),
    pesantrenId: p.uuid().index(),
    regencyCode: p.string().length(4).index(),
    programmeKind: p.enum(PROGRAMME_KINDS),
    birthYear: p.smallint(),
    gender: p.enum(GENDERS),
    intakeYear: p.smallint(),
    /**
     * The random key that perturbs every published count this santri is part of (the cell key
     * method, stats/perturbation.ts). Drawn once, never changed, never shown: a new key would
     * give the santri's groups fresh noise to average.
     */
    recordKey: p.bigint('number').onCreate(() => newRecordKey()),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class Santri extends SantriSchema.class {}
SantriSchema.setClass(Santri);

/**
 * Guardian consent as append-only events: granting and withdrawing each add a row, so the record
 * proves what was consented to, by whom and when. The latest event per purpose is the state.
 */
const ConsentEventSchema = defineEntity({
  name: 'ConsentEvent',
  tableName: 'consent_event',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    santri: () => p.manyToOne(Santri).index(),
    purpose: p.enum(CONSENT_PURPOSES),
    granted: p.boolean(),
    relationship: p.enum(GUARDIAN_RELATIONSHIPS).nullable(),
    evidence: p.string().length(60).nullable(),
    effectiveOn: p.date(),
    recordedBy: p.string().length(120),
    recordedAt: p.datetime().onCreate(() => new Date()),
  },
});

export class ConsentEvent extends ConsentEventSchema.class {}
ConsentEventSchema.setClass(ConsentEvent);

/**
 * Santri counted per regency, programme kind, gender, age band and intake year: the rollup that
 * answers enrolment statistics not broken down by pesantren without scanning every santri. It is
 * written in the same transaction as each enrolment, and rebuilt from `santri` when seeding, so it
 * never disagrees with the records (a test compares the two).
 */
const EnrolmentCountSchema = defineEntity({
  name: 'EnrolmentCount',
  tableName: 'enrolment_count',
  properties: {
    /** 'live' for the rows every enrolment updates; an academic year ('2026/2027') for the frozen copy statistics publish (stats/releases.ts). */
    release: p.string().length(12).primary(),
    regencyCode: p.string().length(4).primary(),
    programmeKind: p.enum(PROGRAMME_KINDS).primary(),
    gender: p.enum(GENDERS).primary(),
    ageBand: p.string().length(20).primary(),
    intakeYear: p.smallint().primary(),
    santri: p.integer(),
    /** The santri's record keys added up modulo 2^52: the cell key of the group (stats/perturbation.ts). */
    keySum: p.bigint('number'),
  },
});

export class EnrolmentCount extends EnrolmentCountSchema.class {}
EnrolmentCountSchema.setClass(EnrolmentCount);

/**
 * The same counts per pesantren as well: the smallest groups statistics publish about (one
 * pesantren, programme kind, gender, age band and intake year). Statistics broken down by
 * pesantren add these up instead of scanning every santri record (a few hundred thousand rows at
 * programme scale instead of 761,777). Kept like `enrolment_count`, in the enrolment's transaction.
 */
const PesantrenEnrolmentCountSchema = defineEntity({
  name: 'PesantrenEnrolmentCount',
  tableName: 'pesantren_enrolment_count',
  properties: {
    /** 'live' for the rows every enrolment updates; an academic year ('2026/2027') for the frozen copy statistics publish (stats/releases.ts). */
    release: p.string().length(12).primary(),
    pesantrenId: p.uuid().primary(),
    // A pesantren lies in one regency; the key keeps it anyway, so a count can never mix two.
    regencyCode: p.string().length(4).primary(),
    programmeKind: p.enum(PROGRAMME_KINDS).primary(),
    gender: p.enum(GENDERS).primary(),
    ageBand: p.string().length(20).primary(),
    intakeYear: p.smallint().primary(),
    santri: p.integer(),
    keySum: p.bigint('number'),
  },
});

export class PesantrenEnrolmentCount extends PesantrenEnrolmentCountSchema.class {}
PesantrenEnrolmentCountSchema.setClass(PesantrenEnrolmentCount);

/**
 * Each pesantren's santri in all, and by each value of one other dimension (`dimension` ALL with
 * an empty value, or PROGRAMME, GENDER, AGE_BAND, YEAR): the tables researchers ask for most
 * ("every pesantren by gender") read one row per group from here. Kept like the other rollups.
 */
const PesantrenEnrolmentMarginSchema = defineEntity({
  name: 'PesantrenEnrolmentMargin',
  tableName: 'pesantren_enrolment_margin',
  properties: {
    /** 'live' for the rows every enrolment updates; an academic year ('2026/2027') for the frozen copy statistics publish (stats/releases.ts). */
    release: p.string().length(12).primary(),
    dimension: p.string().length(20).primary(),
    pesantrenId: p.uuid().primary(),
    value: p.string().length(40).primary(),
    santri: p.integer(),
    keySum: p.bigint('number'),
  },
});

export class PesantrenEnrolmentMargin extends PesantrenEnrolmentMarginSchema.class {}
PesantrenEnrolmentMarginSchema.setClass(PesantrenEnrolmentMargin);

/**
 * One release of enrolment statistics: the rollups as they stood when it was taken, frozen for
 * its academic year. Statistics and public counts are read from the current release only, so
 * enrolling santri (real or made up) cannot make a group's noise be drawn again before the next
 * year: without that, an operator enrolling a known santri a day could collect a fresh draw of a
 * small group's noise every day and average it away.
 */
const StatisticsReleaseSchema = defineEntity({
  name: 'StatisticsRelease',
  tableName: 'statistics_release',
  properties: {
    period: p.string().length(12).primary(),
    takenAt: p.datetime().onCreate(() => new Date()),
    santri: p.integer(),
  },
});

export class StatisticsRelease extends StatisticsReleaseSchema.class {}
StatisticsReleaseSchema.setClass(StatisticsRelease);
