import { bpomNumber, halalCertificateNumber, indonesianMobile, nspp, pirtNumber } from '@opop/identifiers';
import { describe, expect, it } from 'vitest';
import { CATEGORY_TEMPLATES } from '../src/catalogue-templates.ts';
import { generateWorld } from '../src/index.ts';

const demo = generateWorld('demo');

describe('the demo world', () => {
  it('is the same on every run, so separately seeded subgraphs agree on keys', () => {
    const again = generateWorld('demo');
    expect(again.pesantren.map((p) => p.id)).toEqual(demo.pesantren.map((p) => p.id));
    expect(again.products.map((p) => [p.id, p.sellerId, p.priceRupiah])).toEqual(demo.products.map((p) => [p.id, p.sellerId, p.priceRupiah]));
  });

  it('covers every regency, pillar and category at demo scale', () => {
    expect(demo.pesantren.length).toBeGreaterThanOrEqual(60);
    expect(demo.products.length).toBeGreaterThanOrEqual(300);
    expect(new Set(demo.pesantren.map((p) => p.regencyCode)).size).toBe(38);
    expect(new Set(demo.sellers.map((s) => s.pillar))).toEqual(new Set(['PESANTRENPRENEUR', 'SANTRIPRENEUR', 'SOSIOPRENEUR']));
    const leaves = CATEGORY_TEMPLATES.filter((c) => !CATEGORY_TEMPLATES.some((child) => child.parentSlug === c.slug));
    expect(new Set(demo.products.map((p) => p.categorySlug))).toEqual(new Set(leaves.map((c) => c.slug)));
  });

  it('includes the real institutions the brief names, as demo profiles', () => {
    const names = demo.pesantren.map((p) => p.name);
    for (const name of ['Sidogiri', 'Sunan Drajat', 'Gontor', 'Tebuireng', 'Lirboyo']) expect(names.some((n) => n.includes(name))).toBe(true);
    for (const product of demo.products) expect(product.descriptionId).toContain('Data demo');
  });

  it('only generates identifiers our own validation accepts, and unique keys', () => {
    expect(new Set(demo.pesantren.map((p) => p.nspp)).size).toBe(demo.pesantren.length);
    expect(new Set(demo.pesantren.map((p) => p.slug)).size).toBe(demo.pesantren.length);
    expect(new Set(demo.products.map((p) => p.slug)).size).toBe(demo.products.length);
    for (const p of demo.pesantren) {
      expect(nspp.safeParse(p.nspp).success, p.nspp).toBe(true);
      expect(indonesianMobile.safeParse(p.whatsapp).success, p.whatsapp).toBe(true);
    }
    for (const p of demo.products) {
      if (p.halalCertificateNumber) expect(halalCertificateNumber.safeParse(p.halalCertificateNumber).success, p.halalCertificateNumber).toBe(true);
      if (p.bpomNumber) expect(bpomNumber.safeParse(p.bpomNumber).success, p.bpomNumber).toBe(true);
      if (p.pirtNumber) expect(pirtNumber.safeParse(p.pirtNumber).success, p.pirtNumber).toBe(true);
      expect(p.priceRupiah % 500).toBe(0);
    }
  });

  it('features only products that meet their category’s permit rules, with a matching history', () => {
    const categories = new Map(demo.categories.map((c) => [c.slug, c]));
    const featured = demo.products.filter((p) => p.status === 'FEATURED');
    expect(featured.length).toBeGreaterThan(150);
    for (const product of featured) {
      const category = categories.get(product.categorySlug)!;
      if (category.requiresHalal) expect(product.halalCertificateNumber).not.toBeNull();
      if (category.foodPermit === 'BPOM') expect(product.bpomNumber).not.toBeNull();
      if (category.foodPermit === 'PIRT_OR_BPOM') expect(product.bpomNumber ?? product.pirtNumber).not.toBeNull();
      if (category.requiresSni) expect(product.sniCertificateNumber).not.toBeNull();
      expect(product.history.map((e) => e.toStatus)).toEqual(['SUBMITTED', 'IN_REVIEW', 'FEATURED']);
    }
  });

  it('generates programme scale: 4,452 pesantren and 100,000 products', () => {
    const full = generateWorld('full');
    expect(full.pesantren).toHaveLength(4_452);
    expect(full.products).toHaveLength(100_000);
    expect(full.pesantren.slice(0, demo.pesantren.length).map((p) => p.nspp).slice(0, 5)).toEqual(demo.pesantren.slice(0, 5).map((p) => p.nspp));
  });
});
