import { conflict } from '@opop/server-kit';
import type { EntityManager } from '@opop/server-kit';
import type { Category } from '../category/category.entity.ts';
import type { CurationStatus, Product } from '../product/product.entity.ts';
import { CurationEvent } from './curation-event.entity.ts';

/** The curation workflow: which status each action may start from, and where it leads. */
export const CURATION_ACTIONS = {
  submit: { from: ['DRAFT', 'NEEDS_REVISION'], to: 'SUBMITTED', verb: 'submit' },
  startReview: { from: ['SUBMITTED'], to: 'IN_REVIEW', verb: 'start reviewing' },
  feature: { from: ['SUBMITTED', 'IN_REVIEW'], to: 'FEATURED', verb: 'feature' },
  requestRevision: { from: ['SUBMITTED', 'IN_REVIEW', 'FEATURED'], to: 'NEEDS_REVISION', verb: 'ask for a revision of' },
  /** A curated field of a featured product changed: it goes back to review, still on sale. */
  reopen: { from: ['FEATURED'], to: 'SUBMITTED', verb: 'reopen' },
} as const satisfies Record<string, { from: readonly CurationStatus[]; to: CurationStatus; verb: string }>;
export type CurationAction = keyof typeof CURATION_ACTIONS;

/** What the product still lacks before its category allows featuring it. */
export function missingForFeaturing(product: Product, category: Category): string[] {
  const missing: string[] = [];
  if (category.requiresHalal && !product.halalCertificateNumber) missing.push('halalCertificateNumber');
  if (category.foodPermit === 'BPOM' && !product.bpomNumber) missing.push('bpomNumber');
  if (category.foodPermit === 'PIRT_OR_BPOM' && !product.bpomNumber && !product.pirtNumber) missing.push('pirtNumber or bpomNumber');
  if (category.requiresSni && !product.sniCertificateNumber) missing.push('sniCertificateNumber');
  return missing;
}

/**
 * Moves the product and appends the step to its history; both are written by the caller's flush.
 * The step's time becomes the product's `statusSince`, which the curation queue filters and sorts by.
 */
export function applyCuration(em: EntityManager, product: Product, action: CurationAction, actor: string, note: string | null, at = new Date()): void {
  const rule = CURATION_ACTIONS[action];
  if (!(rule.from as readonly CurationStatus[]).includes(product.curationStatus)) {
    throw conflict(`Cannot ${rule.verb} a product that is ${product.curationStatus}; it must be ${rule.from.join(' or ')}`);
  }
  em.create(CurationEvent, { product, fromStatus: product.curationStatus, toStatus: rule.to, note, actor, at });
  product.curationStatus = rule.to;
  product.statusSince = at;
}

/** The first history entry of a product: it exists, as a draft, since `at`. */
export function recordCreation(em: EntityManager, product: Product, actor: string, at = new Date()): void {
  em.create(CurationEvent, { product, fromStatus: null, toStatus: 'DRAFT', note: null, actor, at });
  product.statusSince = at;
}
