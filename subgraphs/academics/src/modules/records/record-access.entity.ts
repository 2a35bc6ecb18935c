import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import type { ProgrammeKind } from '../programme/programme.entity.ts';
import { CONSENT_PURPOSES, type GENDERS } from '../santri/santri.entity.ts';

/** The filter of one access as it was applied: every condition present, null when not given. */
export interface AppliedRecordFilter {
  regencyCodes: string[] | null;
  /** Absent in entries written before areas existed. */
  areaCodes?: string[] | null;
  programmeKinds: ProgrammeKind[] | null;
  genders: (typeof GENDERS)[number][] | null;
  birthYears: number[] | null;
  intakeYears: number[] | null;
}

/**
 * One request for santri records: who asked, for which purpose and filter, which fields were
 * selected and how many records left, or why the request was refused. Written in the transaction
 * that reads the records, so no record leaves unaudited; a refused request is written on its own. Append-only in the database itself: the trigger below refuses UPDATE
 * and DELETE from every session, this service's included (only a schema change could lift it);
 * TRUNCATE, which fires no row trigger and which the schema diff cannot see, is refused by a
 * statement trigger the migration adds by hand.
 *
 * `santriIds` names the santri whose records were disclosed: what a breach notification
 * (UU PDP, 3×24 hours) needs to know whom to tell. It stays in the database, never in the API.
 * No foreign key: the log must outlive the records it speaks of (a re-seed replaces santri).
 */
const SantriRecordAccessSchema = defineEntity({
  name: 'SantriRecordAccess',
  tableName: 'santri_record_access',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    at: p.datetime().onCreate(() => new Date()).index(),
    subject: p.string().length(200),
    role: p.string().length(40),
    partnerId: p.uuid().nullable().index(),
    purpose: p.enum(CONSENT_PURPOSES),
    filter: p.json<AppliedRecordFilter>(),
    fields: p.array(),
    recordCount: p.integer(),
    santriIds: p.array(),
    /** The refusal the caller received; null when records (possibly none) were returned. */
    refusal: p.string().length(500).nullable(),
  },
  triggers: [
    {
      name: 'append_only',
      timing: 'before',
      events: ['update', 'delete'],
      forEach: 'row',
      body: `raise exception '% is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'insufficient_privilege';`,
    },
  ],
});

export class SantriRecordAccess extends SantriRecordAccessSchema.class {}
SantriRecordAccessSchema.setClass(SantriRecordAccess);
